/**
 * `node --import tsx bench/engine-apply.ts`: the engine alone on bench:core's seeded workload (bench/core-workload.ts):
 * `engine.apply` over the set-up and BENCH_CORE_ORDERS orders (default 200,000) on a fresh engine, BENCH_PARTS_ROUNDS
 * times (default 3), printing each round's main-thread CPU per command and the garbage collections it ran: young
 * (scavenges) and the others, counted by `PerformanceObserver` between the round's start and end. Counts, unlike times,
 * barely move with the machine's load, so they are the figure to compare on a busy machine.
 *
 * The commands are made (and parsed from their JSON, as the engine gets them) before the first round, so a round
 * allocates only what the engine does. BENCH_HEAP_PROF=FILE writes a sampling heap profile of the first round (V8's
 * HeapProfiler, counting objects collected since: the garbage is the point; summarise it with bench/heap-summary.ts),
 * BENCH_CPU_PROF=FILE a CPU profile of the first round (bench/profile-summary.ts). Under `node --trace-gc-nvp` (the
 * bytes each scavenge promoted) the `round N start` and `round N end` lines mark where to read. Figures, not pass/fail.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { type PerformanceEntry, PerformanceObserver } from "node:perf_hooks";
import type { Command } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import { orders, setup } from "./core-workload.ts";

const ORDERS = Number(process.env.BENCH_CORE_ORDERS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_PARTS_ROUNDS ?? 3);
const HEAP_PROFILE_FILE = process.env.BENCH_HEAP_PROF;
const CPU_PROFILE_FILE = process.env.BENCH_CPU_PROF;
const HEAP_SAMPLE_INTERVAL_BYTES = 4096;

/** CPU time of this process's main thread in nanoseconds, or NaN where /proc has no schedstat. */
function mainThreadCpuNs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]);
  } catch {
    return Number.NaN;
  }
}

const commands = [...setup(), ...orders(ORDERS, 7)].map((c) => JSON.parse(JSON.stringify(c)) as Command);

// V8's collection kinds as node:perf_hooks names them: 1 is a scavenge of the young generation.
const GC_MINOR = 1;
let scavenges = 0;
let otherCollections = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
    if (entry.detail?.kind === GC_MINOR) scavenges++;
    else otherCollections++;
  }
});
observer.observe({ entryTypes: ["gc"] });

/** Waits for the observer to have been told of every collection so far. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 50));

console.log(`engine.apply over ${commands.length.toLocaleString("en-US")} commands, ${ROUNDS} rounds`);
const session = HEAP_PROFILE_FILE || CPU_PROFILE_FILE ? new Session() : null;
session?.connect();
for (let round = 1; round <= ROUNDS; round++) {
  await settle();
  if (round === 1 && HEAP_PROFILE_FILE)
    await session?.post("HeapProfiler.startSampling", {
      samplingInterval: HEAP_SAMPLE_INTERVAL_BYTES,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  if (round === 1 && CPU_PROFILE_FILE) {
    await session?.post("Profiler.enable");
    await session?.post("Profiler.start");
  }
  scavenges = 0;
  otherCollections = 0;
  console.log(`round ${round} start`);
  const before = mainThreadCpuNs();
  const engine = new Engine();
  let timeMs = Date.UTC(2026, 0, 5, 6);
  for (let i = 0; i < commands.length; i++) engine.apply({ seq: i + 1, timeMs: timeMs++, command: commands[i]! });
  const microseconds = (mainThreadCpuNs() - before) / 1000 / commands.length;
  console.log(`round ${round} end`);
  if (round === 1 && HEAP_PROFILE_FILE) {
    const { profile } = await session!.post("HeapProfiler.stopSampling");
    writeFileSync(HEAP_PROFILE_FILE, JSON.stringify(profile));
  }
  if (round === 1 && CPU_PROFILE_FILE) {
    const { profile } = await session!.post("Profiler.stop");
    writeFileSync(CPU_PROFILE_FILE, JSON.stringify(profile));
  }
  await settle();
  console.log(
    `  round ${round}: ${microseconds.toFixed(2)} µs a command; scavenges ${scavenges}, other collections ${otherCollections}`,
  );
}
observer.disconnect();
session?.disconnect();
