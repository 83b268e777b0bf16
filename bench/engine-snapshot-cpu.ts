/**
 * `node --import tsx bench/engine-snapshot-cpu.ts`: what an engine snapshot costs the engine's snapshot thread as the
 * state grows, on bench:core's seeded workload (bench/core-workload.ts). The engine applies BENCH_SNAPSHOT_CPU_START
 * commands (default 100,000), then takes a snapshot (`engine.snapshot()` and its `JSON.stringify`, as the thread saves
 * it) every BENCH_SNAPSHOT_CPU_EVERY commands (default 10,000, the server's) up to BENCH_SNAPSHOT_CPU_COMMANDS (default
 * 300,000). Printed: the process's CPU (every thread: the collector's helpers too) per snapshot and per command applied,
 * the state's size at the end, and a digest of every snapshot's text, which must not change with a change that keeps
 * the snapshot's bytes (compare it before and after). A figure, not a test: it never fails on speed.
 */

import { createHash } from "node:crypto";
import type { Command } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import { orders, setup } from "./core-workload.ts";

const START = Number(process.env.BENCH_SNAPSHOT_CPU_START ?? 100_000);
const EVERY = Number(process.env.BENCH_SNAPSHOT_CPU_EVERY ?? 10_000);
const COMMANDS = Number(process.env.BENCH_SNAPSHOT_CPU_COMMANDS ?? 300_000);
const TIME_MS = 1_700_000_000_000;

/** CPU of the whole process in ms since `from` (process.cpuUsage's microseconds). */
function cpuMsSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
}

const commands = [...setup(), ...orders(COMMANDS, 7)].map((c) => JSON.parse(JSON.stringify(c)) as Command);
const engine = new Engine();
let seq = 0;
const apply = (count: number) => {
  for (let k = 0; k < count && seq < commands.length; k++) {
    const command = commands[seq]!;
    seq++;
    engine.apply({ seq, timeMs: TIME_MS + seq, command });
  }
};
apply(START);
let snapshotMs = 0;
let stringifyMs = 0;
let applyMs = 0;
let snapshots = 0;
let bytes = 0;
const digest = createHash("sha256");
while (seq + EVERY <= commands.length) {
  const applying = process.cpuUsage();
  apply(EVERY);
  applyMs += cpuMsSince(applying);
  const taking = process.cpuUsage();
  const snapshot = engine.snapshot();
  snapshotMs += cpuMsSince(taking);
  const writing = process.cpuUsage();
  const text = JSON.stringify(snapshot);
  stringifyMs += cpuMsSince(writing);
  digest.update(text);
  bytes = text.length;
  snapshots++;
}
const applied = snapshots * EVERY;
console.log(`engine snapshots on bench/core-workload.ts, one every ${EVERY.toLocaleString("en-US")} commands`);
console.log(
  `  ${snapshots} snapshots from command ${START.toLocaleString("en-US")} to ${seq.toLocaleString("en-US")}: ` +
    `snapshot() ${(snapshotMs / snapshots).toFixed(1)} ms and JSON.stringify ${(stringifyMs / snapshots).toFixed(1)} ms ` +
    `of CPU each, ${(((snapshotMs + stringifyMs) * 1000) / applied).toFixed(1)} µs per command applied between them; ` +
    `engine.apply ${((applyMs * 1000) / applied).toFixed(2)} µs per command`,
);
console.log(
  `  the last snapshot: ${(bytes / 1e6).toFixed(1)} MB of JSON; digest of every snapshot's text ${digest.digest("hex")}`,
);
