/**
 * `npm run bench:snapshot`: what a snapshot costs the leader, engine and read models, on the state a journal of
 * BENCH_SNAPSHOT_COMMANDS commands (default 200,000: the workload of bench/restart.ts) leaves. Figures, not pass/fail.
 *
 * Writes the journal in-process (no periodic engine snapshots), then takes each snapshot as the server does and prints
 * its size, the time of each step on the main thread, and the longest event-loop stall seen while it was taken and
 * written (perf_hooks.monitorEventLoopDelay; a timer keeps the loop ticking so that a stall shows as delay).
 *
 * The read models: BENCH_SNAPSHOT_VIEWS=thread (the default, as the server runs) snapshots them every
 * BENCH_SNAPSHOT_COMMANDS records by the snapshot thread (view-snapshot-thread.ts), which starts half way through the
 * writing and follows the journal from there; each round then asks it for one at a new head. `here` captures them on
 * the leader's thread (no snapshot thread: what a clean stop does without one, and what every snapshot did before).
 * The engine: each round takes its snapshot as the sequencer does on the leader's thread (the clean stop's, and every
 * snapshot before the engine's snapshot thread), then asks the engine's snapshot thread (journal/engine-snapshot-thread.ts)
 * for one at a new head, each with the longest event-loop stall meanwhile; at the end, the thread's work per record
 * (read, chain hash, parse, apply), measured here with the same code while it is idle.
 * Also printed: the process's CPU per command in each quarter of the writing (the snapshot thread follows in the
 * last two), and the process's CPU while each read-model snapshot was taken.
 *
 * Memory, once the writing is done and the engine's snapshot thread has caught up (a snapshot asked at the head): the
 * process's rss, this thread's V8 heap in use and the engine's snapshot thread's (each after a collection: the bench
 * runs with --expose-gc, which reaches every thread; the thread's collection before each answer is then part of the
 * rounds' "saved … ms after asked"). BENCH_SNAPSHOT_ENGINE_THREAD=off runs without that thread (the
 * sequencer's snapshots only), for the rss it costs; compare with BENCH_SNAPSHOT_VIEWS=here both ways (no read models'
 * thread either).
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { columnLength } from "../src/engine/columns.ts";
import type { Command } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import { Exchange } from "../src/gateway/exchange.ts";
import { buildViews, feedViews } from "../src/gateway/read-models.ts";
import { chainHash, dataHash, GENESIS_HASH } from "../src/journal/records.ts";
import { READ_PAGE_RECORDS } from "../src/journal/store.ts";
import { outcomeOfRecord } from "../src/projections/index.ts";
import { writeBenchJournal } from "./journal-workload.ts";

const COMMANDS = Number(process.env.BENCH_SNAPSHOT_COMMANDS ?? 200_000);
const VIEWS = process.env.BENCH_SNAPSHOT_VIEWS ?? "thread";
if (VIEWS !== "thread" && VIEWS !== "here") throw new Error("BENCH_SNAPSHOT_VIEWS is thread or here");
const ENGINE_THREAD = process.env.BENCH_SNAPSHOT_ENGINE_THREAD ?? "on";
if (ENGINE_THREAD !== "on" && ENGINE_THREAD !== "off") throw new Error("BENCH_SNAPSHOT_ENGINE_THREAD is on or off");

const dir = mkdtempSync(join(tmpdir(), "sauda-bench-snapshot-"));
const exchange = await Exchange.open({
  data: dir,
  snapshotEveryMs: 0,
  // The sequencer takes no snapshot by count (each round takes one on this thread, as before the engine's snapshot
  // thread); the engine's snapshot thread starts half way and snapshots every BENCH_SNAPSHOT_COMMANDS records.
  snapshotEveryCommands: Number.MAX_SAFE_INTEGER,
  engineSnapshotEveryRecords: ENGINE_THREAD === "on" ? COMMANDS : 0,
  viewSnapshotEveryRecords: VIEWS === "thread" ? COMMANDS : 0,
});
const started = performance.now();
const quarters: number[] = [];
let quarterCpu = process.cpuUsage();
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
await writeBenchJournal(exchange, {
  commands: COMMANDS,
  stream: "bench-restart",
  progress: {
    every: Math.floor(COMMANDS / 4),
    run: () => {
      if (quarters.length >= 3) return;
      quarters.push(cpuMs(process.cpuUsage(quarterCpu)));
      quarterCpu = process.cpuUsage();
    },
  },
});
quarters.push(cpuMs(process.cpuUsage(quarterCpu)));
console.log(
  `wrote ${COMMANDS} commands in ${((performance.now() - started) / 1000).toFixed(1)} s (read models snapshotted ${VIEWS === "thread" ? "by the snapshot thread" : "on the leader's thread"})`,
);
const quarter = COMMANDS / 4;
console.log(
  `process CPU per command by quarter of the writing: ${quarters.map((ms) => `${((ms * 1000) / quarter).toFixed(0)} µs`).join(", ")}` +
    (VIEWS === "thread" ? " (the snapshot thread follows the journal in the last two)" : ""),
);

const ms = (from: number) => (performance.now() - from).toFixed(0);
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

{
  const thread = exchange.engineSnapshotThread;
  let threadHeap = `the engine's snapshot thread ${ENGINE_THREAD === "on" ? "is not running" : "is off"}`;
  if (thread?.usable) {
    const seq = await thread.snapshot(exchange.engine.lastSeq);
    threadHeap = `the engine's snapshot thread's heap used ${mb(thread.heapUsedBytes)} MB (its snapshot at ${seq})`;
  }
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  console.log(
    `memory at ${exchange.engine.lastSeq} records: rss ${mb(usage.rss)} MB; this thread's heap used ${mb(usage.heapUsed)} MB; ${threadHeap}`,
  );
}

/**
 * Runs `work` and returns the longest event-loop stall seen meanwhile, in ms: the longest gap between two ticks of a
 * 1 ms timer (what a request or a stream waiting on this thread would wait at worst), beside the maximum that
 * perf_hooks.monitorEventLoopDelay reports over the same time.
 */
async function stall(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  // The garbage of the step before (the engine snapshot's strings) is collected here, not counted in this one's stall.
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.enable();
  longest = 0;
  last = performance.now();
  await work();
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  clearInterval(tick);
  console.log(`  (monitorEventLoopDelay max ${(histogram.max / 1e6).toFixed(0)} ms)`);
  return longest;
}

for (let round = 1; round <= 2; round++) {
  // The engine's snapshot, step by step as the sequencer takes it.
  let t = performance.now();
  exchange.engine.checkInvariants();
  const invariantsMs = ms(t);
  t = performance.now();
  const state = exchange.engine.snapshot();
  const snapshotMs = ms(t);
  t = performance.now();
  const json = JSON.stringify(state);
  const stringifyMs = ms(t);
  t = performance.now();
  dataHash(json);
  const hashMs = ms(t);
  const perOrder = (orders: unknown, count: number) =>
    count === 0 ? 0 : Math.round(JSON.stringify(orders).length / count);
  const doneCount = columnLength(state.done.id.stem);
  console.log(
    `round ${round}: bytes per order in the engine snapshot: live ${perOrder(state.orders, state.orders.id.length)}, done ${perOrder(state.done, doneCount)}`,
  );
  console.log(
    `round ${round}: engine snapshot ${mb(json.length)} MB (${state.orders.id.length} live orders, ${doneCount} done): ` +
      `invariants ${invariantsMs} ms, snapshot() ${snapshotMs} ms, JSON ${stringifyMs} ms, hash ${hashMs} ms`,
  );
  // As the server takes it (by count or by time): the sequencer's snapshot, taken, hashed and saved.
  const sequencer = (exchange as unknown as { sequencer: { snapshot(): Promise<void> } }).sequencer;
  const engineStall = await stall(() => sequencer.snapshot());
  console.log(
    `round ${round}: engine snapshot as the sequencer takes it: longest event-loop stall while taken and written ${engineStall.toFixed(0)} ms`,
  );
  // By the engine's snapshot thread, at a new head: this thread only posts a message.
  await exchange.submit({ type: "time.tick" });
  const engineThread = exchange.engineSnapshotThread;
  if (engineThread?.usable) {
    const head = exchange.engine.lastSeq;
    let savedSeq: number | null = null;
    const threadCpu = process.cpuUsage();
    t = performance.now();
    const threadStall = await stall(async () => {
      savedSeq = await engineThread.snapshot(head);
    });
    console.log(
      `round ${round}: engine snapshot by the engine's snapshot thread at ${savedSeq}: saved ${ms(t)} ms after asked; ` +
        `process CPU ${cpuMs(process.cpuUsage(threadCpu)).toFixed(0)} ms; longest event-loop stall while taken and written ${threadStall.toFixed(0)} ms`,
    );
  } else console.log(`round ${round}: the engine's snapshot thread is not running`);
  // A command so that the read models' snapshot is at a new head.
  await exchange.submit({ type: "time.tick" });
  let bytes = 0;
  let captureMs = "";
  const viewsCpu = process.cpuUsage();
  const viewsStall = await stall(async () => {
    t = performance.now();
    const writing = exchange.snapshotViews();
    captureMs = ms(t);
    await writing;
  });
  const viewsCpuMs = cpuMs(process.cpuUsage(viewsCpu));
  const saved = await exchange.store.loadViewSnapshot();
  bytes = saved?.data.length ?? 0;
  console.log(
    `round ${round}: read models' snapshot at ${saved?.seq} ${mb(bytes)} MB: on this thread ${captureMs} ms` +
      `${VIEWS === "thread" ? " (a message to the snapshot thread)" : " (the capture)"}; process CPU ${viewsCpuMs.toFixed(0)} ms; ` +
      `longest event-loop stall while taken and written ${viewsStall.toFixed(0)} ms`,
  );
}
console.log(`rss ${mb(process.memoryUsage().rss)} MB`);

// The noise floor of the stall figures on this machine: the same measurement over a second in which nothing is done.
const idleStall = await stall(() => new Promise((resolve) => setTimeout(resolve, 1000)));
console.log(`idle second (nothing taken): longest event-loop stall ${idleStall.toFixed(0)} ms`);

// What the snapshot thread does per record, measured here with the same code (read a page, parse, apply to the read
// models and surveillance), while that thread is idle: the CPU it adds per record besides its captures.
const replayCpu = process.cpuUsage();
const replayed = buildViews(undefined);
const headSeq = exchange.projections.lastSeq;
for (let from = 1; from <= headSeq; ) {
  const page = await exchange.store.read(from, Math.min(READ_PAGE_RECORDS, headSeq - from + 1));
  for (const record of page) feedViews(replayed, outcomeOfRecord(record));
  from += page.length;
}
const replayCpuMs = cpuMs(process.cpuUsage(replayCpu));
console.log(
  `replaying the journal into a copy of the read models (the snapshot thread's work per record): ${((replayCpuMs * 1000) / headSeq).toFixed(0)} µs CPU per record`,
);

// What the engine's snapshot thread does per record, here with the same code (a read of pages, the chain hash, the
// command's parse and the engine's apply): the part a thread shared with the read models' would not repeat is the read
// (the read models' thread reads the same pages) and the command's parse.
{
  const engine = new Engine();
  let previous = GENESIS_HASH;
  let readMs = 0;
  let chainMs = 0;
  let parseMs = 0;
  let applyMs = 0;
  const cpu = process.cpuUsage();
  for (let from = 1; from <= headSeq; ) {
    let t = performance.now();
    const page = await exchange.store.read(from, Math.min(READ_PAGE_RECORDS, headSeq - from + 1));
    readMs += performance.now() - t;
    for (const record of page) {
      t = performance.now();
      previous = chainHash(previous, record.seq, record.timeMs, record.meta, record.command, record.events);
      const t2 = performance.now();
      const command = JSON.parse(record.command) as Command;
      const t3 = performance.now();
      engine.apply({ seq: record.seq, timeMs: record.timeMs, command });
      chainMs += t2 - t;
      parseMs += t3 - t2;
      applyMs += performance.now() - t3;
    }
    from += page.length;
  }
  const perRecord = (total: number) => `${((total * 1000) / headSeq).toFixed(1)} µs`;
  console.log(
    `replaying the journal into a copy of the engine (the engine's snapshot thread's work per record): ` +
      `${perRecord(cpuMs(process.cpuUsage(cpu)))} CPU per record: read ${perRecord(readMs)}, chain hash ${perRecord(chainMs)}, ` +
      `command parse ${perRecord(parseMs)}, apply ${perRecord(applyMs)}`,
  );
}
await exchange.close();
process.exit(0);
