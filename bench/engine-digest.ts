/**
 * `node --import tsx bench/engine-digest.ts`: digests of what the engine writes over a long seeded run, to compare two
 * versions of the engine that must behave the same (run it in each and compare the lines). The workload is bench:core's
 * (bench/core-workload.ts) with BENCH_DIGEST_ORDERS orders (default 120,000) and the instrument closed and reopened
 * every BENCH_DIGEST_DAY commands (default 20,000), so sessions end and their averages become band references.
 *
 * Prints the SHA-256 of every event's JSON, in order; every BENCH_DIGEST_EVERY commands (default 10,000) the digest of
 * the engine's snapshot JSON and its state hash; and the state hash of an engine restored from the last snapshot's JSON
 * and then given the rest of the commands (a restore that changed anything shows there). Figures, not pass/fail.
 */

import { createHash } from "node:crypto";
import type { Command } from "../src/engine/commands.ts";
import { Engine, type EngineSnapshot } from "../src/engine/engine.ts";
import { INSTRUMENT, orders, setup } from "./core-workload.ts";

const ORDERS = Number(process.env.BENCH_DIGEST_ORDERS ?? 120_000);
const DAY = Number(process.env.BENCH_DIGEST_DAY ?? 20_000);
const EVERY = Number(process.env.BENCH_DIGEST_EVERY ?? 10_000);

const commands: Command[] = setup();
let i = 0;
for (const order of orders(ORDERS, 11)) {
  if (++i % DAY === 0) {
    commands.push({ type: "phase.set", instrument: INSTRUMENT, phase: "closed" });
    commands.push({ type: "phase.set", instrument: INSTRUMENT, phase: "continuous" });
  }
  commands.push(order);
}

const events = createHash("sha256");
const snapshots = createHash("sha256");
const engine = new Engine();
const start = Date.UTC(2026, 0, 5, 6);
let lastSnapshot = "";
let lastAt = 0;
let eventCount = 0;
for (let n = 0; n < commands.length; n++) {
  for (const event of engine.apply({ seq: n + 1, timeMs: start + n, command: commands[n]! })) {
    events.update(JSON.stringify(event));
    events.update("\n");
    eventCount++;
  }
  if ((n + 1) % EVERY === 0) {
    lastSnapshot = JSON.stringify(engine.snapshot());
    lastAt = n + 1;
    snapshots.update(lastSnapshot);
    snapshots.update(engine.stateHash());
  }
}
const restored = Engine.restore(JSON.parse(lastSnapshot) as EngineSnapshot);
for (let n = lastAt; n < commands.length; n++) restored.apply({ seq: n + 1, timeMs: start + n, command: commands[n]! });

console.log(`${commands.length.toLocaleString("en-US")} commands, ${eventCount.toLocaleString("en-US")} events`);
console.log(`events    ${events.digest("hex")}`);
console.log(`snapshots ${snapshots.digest("hex")}`);
console.log(`state     ${engine.stateHash()}`);
console.log(`restored  ${restored.stateHash()} (from the snapshot after command ${lastAt.toLocaleString("en-US")})`);
