/**
 * `npm run bench:engine-restore`: what recovering the engine from its snapshot costs, step by step, in-process (no
 * server, no journal store). Figures, not pass/fail.
 *
 * Applies BENCH_ENGINE_RESTORE_COMMANDS commands (default 200,000: the workload of bench/restart.ts, the two-party
 * market then seeded orders and cancels) straight to an engine, snapshots it as the sequencer does, then times each
 * step a start takes with that snapshot: hashing the stored bytes, parsing them, restoring the engine, replaying a tail
 * of BENCH_ENGINE_RESTORE_TAIL further commands (default 20,000) before the warm, as a start does (so the replay pays
 * for the records its lookups make), the warm, and the state-hash check (against a restore warmed before the tail). Prints CPU time (this
 * process, `process.cpuUsage`) beside wall time; compare CPU figures on a shared machine.
 */

import { writeFileSync } from "node:fs";
import type { Command } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import { dataHash } from "../src/journal/records.ts";
import { benchJournalSetup, benchOrders } from "./journal-workload.ts";

const COMMANDS = Number(process.env.BENCH_ENGINE_RESTORE_COMMANDS ?? 200_000);
const TAIL = Number(process.env.BENCH_ENGINE_RESTORE_TAIL ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ENGINE_RESTORE_ROUNDS ?? 3);

/** The commands of bench/journal-workload.ts `writeBenchJournal`, in order (same seed, same stream). */
function* workload(count: number): Generator<Command> {
  const setup = benchJournalSetup();
  yield* setup;
  yield* benchOrders(count - setup.length, "bench-restart", true);
}

const START_MS = Date.UTC(2026, 0, 5, 6, 0);
const engine = new Engine();
const commands = workload(COMMANDS + TAIL);
let seq = 0;
for (let next = commands.next(); !next.done; next = commands.next()) {
  seq++;
  engine.apply({ seq, timeMs: START_MS + seq, command: next.value });
  if (seq === COMMANDS) break;
}
const tail: { seq: number; timeMs: number; command: string }[] = [];
for (const command of commands) {
  seq++;
  tail.push({ seq, timeMs: START_MS + seq, command: JSON.stringify(command) });
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
function timed<T>(run: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = run();
  return { value, wallMs: performance.now() - started, cpuMs: cpuMs(process.cpuUsage(cpu)) };
}
const figure = (t: { wallMs: number; cpuMs: number }) =>
  `${t.cpuMs.toFixed(0).padStart(6)} ms CPU ${t.wallMs.toFixed(0).padStart(6)} ms wall`;

const taken = timed(() => JSON.stringify(engine.snapshot()));
const data = taken.value;
const snapshot = JSON.parse(data) as Record<string, unknown>;
const liveOrders = (snapshot.orders as { id: readonly string[] }).id.length;
console.log(
  `state after ${COMMANDS} commands: ${liveOrders} live orders, snapshot ${(data.length / 1e6).toFixed(1)} MB (version ${snapshot.version})`,
);
const megabytes = (part: unknown) => `${(JSON.stringify(part).length / 1e6).toFixed(2)} MB`;
for (const [key, part] of Object.entries(snapshot)) {
  console.log(`  ${key}: ${megabytes(part)}`);
  // The clearing house's parts, and the clearing's, one level further down: the large ones at a long session.
  if (key !== "house" || part === null || typeof part !== "object") continue;
  for (const [inner, value] of Object.entries(part)) {
    console.log(`    ${inner}: ${megabytes(value)}`);
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    for (const [deeper, more] of Object.entries(value)) console.log(`      ${deeper}: ${megabytes(more)}`);
  }
}
// BENCH_ENGINE_RESTORE_SAVE=path writes the snapshot's bytes there (to compare formats without applying the
// commands again).
if (process.env.BENCH_ENGINE_RESTORE_SAVE) writeFileSync(process.env.BENCH_ENGINE_RESTORE_SAVE, data);
console.log(`take (snapshot + JSON.stringify):  ${figure(taken)}`);
for (let round = 1; round <= ROUNDS; round++) {
  const hashed = timed(() => dataHash(data));
  const parsed = timed(() => JSON.parse(data));
  const restored = timed(() => Engine.restore(parsed.value));
  // As a start does: the tail replayed before the warm (what the restore leaves for later, the order records and
  // their index, made by the lookups that need them), then the warm (a server does it in slices once it serves).
  const replayed = timed(() => {
    for (const record of tail) {
      restored.value.apply({ seq: record.seq, timeMs: record.timeMs, command: JSON.parse(record.command) as Command });
    }
  });
  const warmed = timed(() => restored.value.warm(Number.POSITIVE_INFINITY));
  // The state hash checked against a second restore, warmed first, that replays the same tail.
  const again = Engine.restore(JSON.parse(data));
  again.warm(Number.POSITIVE_INFINITY);
  if (again.stateHash(dataHash) !== hashed.value) throw new Error("the restored engine hashes differently");
  for (const record of tail) {
    again.apply({ seq: record.seq, timeMs: record.timeMs, command: JSON.parse(record.command) as Command });
  }
  const checked = timed(() => restored.value.stateHash(dataHash));
  if (checked.value !== again.stateHash(dataHash)) {
    throw new Error("the tail replayed before the warm leaves another state than after it");
  }
  console.log(`round ${round}:`);
  console.log(`  hash the bytes (sha256):          ${figure(hashed)}`);
  console.log(`  JSON.parse:                       ${figure(parsed)}`);
  console.log(
    `  Engine.restore:                   ${figure(restored)} (${((restored.cpuMs * 1000) / Math.max(1, liveOrders)).toFixed(2)} µs CPU a live order)`,
  );
  console.log(
    `  replay ${tail.length} records (cold):     ${figure(replayed)} (${((replayed.cpuMs * 1000) / Math.max(1, tail.length)).toFixed(1)} µs CPU a record)`,
  );
  console.log(`  warm (records + id index, later): ${figure(warmed)}`);
  console.log(`  state-hash check (re-serialise):  ${figure(checked)}`);
}
