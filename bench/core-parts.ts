/**
 * `node --import tsx bench/core-parts.ts`: where the main thread's time per command goes in bench/core.ts's write path,
 * measured part by part on the same seeded workload (bench/core-workload.ts), in one process:
 * - the engine alone (`engine.apply` on commands already copied);
 * - the sequencer's stored form of each command (the plain copy and its JSON text) and the events' JSON text;
 * - packing a batch's records for the SQLite writer thread (into a buffer used again, as the store does);
 * - the whole sequencer with a store that writes nothing (no writer thread: what is left is this thread's work), sent
 *   a command at a time (`submit`) and in groups (`submitMany`).
 * Each part runs `BENCH_PARTS_ROUNDS` times (default 3) and prints its least CPU time per command, read from the main
 * thread's own clock (/proc/self/task/<pid>/schedstat, nanoseconds; process.cpuUsage would add V8's helper threads).
 * On a busy machine the parts' ratios hold better than their absolute figures. Figures, not pass/fail.
 * Environment: BENCH_CORE_ORDERS (default 100,000), BENCH_PARTS_ROUNDS.
 */

import { readFileSync } from "node:fs";
import type { Command } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import type { EngineEvent } from "../src/engine/events.ts";
import { plainCommand } from "../src/journal/plain.ts";
import type { JournalHead, JournalRecord, UnchainedRecord } from "../src/journal/records.ts";
import { Sequencer } from "../src/journal/sequencer.ts";
import { packRecords } from "../src/journal/sqlite-store.ts";
import type { JournalStore } from "../src/journal/store.ts";
import { orders, setup } from "./core-workload.ts";

const ORDERS = Number(process.env.BENCH_CORE_ORDERS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_PARTS_ROUNDS ?? 3);
const IN_FLIGHT_MAX = 50_000;
const BATCH = 1000;

/** CPU time of this process's main thread in nanoseconds, or NaN where /proc has no schedstat. */
function mainThreadCpuNs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]);
  } catch {
    return Number.NaN;
  }
}

function startTime(): number {
  return Date.UTC(2026, 0, 5, 6);
}

/** The workload as the engine gets it: setup then orders, each a fresh parse of its JSON. */
function workload(): Command[] {
  return [...setup(), ...orders(ORDERS, 7)].map((c) => JSON.parse(JSON.stringify(c)) as Command);
}

/** Applies every command to a fresh engine; returns each command's events. */
function applyAll(commands: readonly Command[]): EngineEvent[][] {
  const engine = new Engine();
  const events: EngineEvent[][] = new Array(commands.length);
  let timeMs = startTime();
  for (let i = 0; i < commands.length; i++)
    events[i] = engine.apply({ seq: i + 1, timeMs: timeMs++, command: commands[i]! });
  return events;
}

/** A store that keeps nothing and answers at once: the sequencer's own cost, without a writer thread. */
function nullStore(): JournalStore {
  const store: Partial<JournalStore> = {
    kind: "null",
    location: "nowhere",
    head: async (): Promise<JournalHead | null> => null,
    append: async (_records: readonly JournalRecord[]) => undefined,
    appendChained: async (previousHash: string, _records: readonly UnchainedRecord[]) => previousHash,
  };
  return store as JournalStore;
}

/** The bench's submit loop (bench/core.ts `throughput`) on a null store; groups of `BATCH` with `submitMany` when asked. */
async function sequencerRun(commands: readonly Command[], many = false): Promise<void> {
  const engine = new Engine();
  let now = startTime();
  const sequencer = new Sequencer(engine, nullStore(), null, {
    clock: () => now++,
    batchCommandsMax: BATCH,
    snapshotEveryCommands: 0,
  });
  let inFlight = 0;
  let wake: (() => void) | null = null;
  if (many) {
    for (let i = 0; i < commands.length; i += BATCH) {
      while (inFlight >= IN_FLIGHT_MAX) await new Promise<void>((resolve) => (wake = resolve));
      const group = commands.slice(i, i + BATCH);
      inFlight += group.length;
      void sequencer.submitMany(group).then(() => {
        inFlight -= group.length;
        if (wake && inFlight < IN_FLIGHT_MAX / 2) {
          const w = wake;
          wake = null;
          w();
        }
      });
    }
    await sequencer.drain();
    return;
  }
  for (const command of commands) {
    while (inFlight >= IN_FLIGHT_MAX) await new Promise<void>((resolve) => (wake = resolve));
    inFlight++;
    void sequencer.submit(command).then(() => {
      inFlight--;
      if (wake && inFlight < IN_FLIGHT_MAX / 2) {
        const w = wake;
        wake = null;
        w();
      }
    });
  }
  await sequencer.drain();
}

async function main(): Promise<void> {
  const commands = workload();
  const events = applyAll(commands);
  const commandTexts = commands.map((c) => JSON.stringify(c));
  const eventTexts = events.map((e) => JSON.stringify(e));
  const records: UnchainedRecord[] = commands.map((_, i) => ({
    seq: i + 1,
    timeMs: startTime() + i,
    meta: "{}",
    command: commandTexts[i]!,
    events: eventTexts[i]!,
  }));
  const parts: [string, () => unknown][] = [
    ["engine.apply", () => applyAll(commands)],
    ["plainCommand (copy)", () => commands.map((c) => plainCommand(c))],
    ["JSON.stringify(command)", () => commands.map((c) => JSON.stringify(c))],
    ["JSON.stringify(events)", () => events.map((e) => JSON.stringify(e))],
    [
      `packRecords (batches of ${BATCH})`,
      () => {
        // One buffer used again, as the store uses the buffers its writer thread hands back.
        let spare: Buffer | null = null;
        const buffer = (bytes: number) => {
          if (spare === null || spare.length < bytes) spare = Buffer.allocUnsafeSlow(bytes);
          return spare;
        };
        for (let i = 0; i < records.length; i += BATCH) packRecords(records.slice(i, i + BATCH), buffer);
      },
    ],
    ["sequencer + engine, null store", () => sequencerRun(commands)],
    [`... with submitMany, groups of ${BATCH}`, () => sequencerRun(commands, true)],
  ];
  console.log(
    `main-thread CPU per command, least of ${ROUNDS} rounds, ${commands.length.toLocaleString("en-US")} commands`,
  );
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of parts) {
      const before = mainThreadCpuNs();
      await run();
      const microseconds = (mainThreadCpuNs() - before) / 1000 / commands.length;
      best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, microseconds));
    }
  }
  for (const [name, microseconds] of best)
    console.log(`  ${name.padEnd(34)} ${microseconds.toFixed(2).padStart(6)} µs`);
}

await main();
