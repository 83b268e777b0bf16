/**
 * `npm run bench:snapshot`: what a snapshot costs the leader, engine and read models, on the state a journal of
 * BENCH_SNAPSHOT_COMMANDS commands (default 200,000: the workload of bench/restart.ts) leaves. Figures, not pass/fail.
 *
 * Writes the journal in-process (no periodic snapshots), then takes each snapshot as the server does and prints its
 * size, the time of each step on the main thread, and the longest event-loop stall seen while it was taken and
 * written (perf_hooks.monitorEventLoopDelay; a timer keeps the loop ticking so that a stall shows as delay).
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Exchange } from "../src/gateway/exchange.ts";
import { dataHash } from "../src/journal/records.ts";
import { writeBenchJournal } from "./journal-workload.ts";

const COMMANDS = Number(process.env.BENCH_SNAPSHOT_COMMANDS ?? 200_000);

const dir = mkdtempSync(join(tmpdir(), "sauda-bench-snapshot-"));
const exchange = await Exchange.open({
  data: dir,
  snapshotEveryMs: 0,
  snapshotEveryCommands: 0,
  viewSnapshotEveryRecords: 0,
});
const started = performance.now();
await writeBenchJournal(exchange, { commands: COMMANDS, stream: "bench-restart" });
console.log(`wrote ${COMMANDS} commands in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const ms = (from: number) => (performance.now() - from).toFixed(0);
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

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
  const perOrder = (orders: readonly unknown[]) =>
    orders.length === 0 ? 0 : Math.round(JSON.stringify(orders).length / orders.length);
  console.log(
    `round ${round}: bytes per order in the engine snapshot: live ${perOrder(state.orders)}, done ${perOrder(state.done)}`,
  );
  console.log(
    `round ${round}: engine snapshot ${mb(json.length)} MB (${state.orders.length} live orders, ${state.done.length} done): ` +
      `invariants ${invariantsMs} ms, snapshot() ${snapshotMs} ms, JSON ${stringifyMs} ms, hash ${hashMs} ms`,
  );
  // As the server takes it (by count or by time): the sequencer's snapshot, taken, hashed and saved.
  const sequencer = (exchange as unknown as { sequencer: { snapshot(): Promise<void> } }).sequencer;
  const engineStall = await stall(() => sequencer.snapshot());
  console.log(
    `round ${round}: engine snapshot as the sequencer takes it: longest event-loop stall while taken and written ${engineStall.toFixed(0)} ms`,
  );
  let bytes = 0;
  let captureMs = "";
  const viewsStall = await stall(async () => {
    t = performance.now();
    const writing = exchange.snapshotViews();
    captureMs = ms(t);
    await writing;
  });
  bytes = (await exchange.store.loadViewSnapshot())?.data.length ?? 0;
  console.log(
    `round ${round}: read models' snapshot ${mb(bytes)} MB: capture (on this thread) ${captureMs} ms; longest event-loop stall while taken and written ${viewsStall.toFixed(0)} ms`,
  );
  // A command so the next round's snapshot is at a new head.
  await exchange.submit({ type: "time.tick" });
}
await exchange.close();
process.exit(0);
