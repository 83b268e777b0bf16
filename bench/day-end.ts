/**
 * `npm run bench:day-end`: what a past day's clearing report or statement costs (gateway/day-end.ts): the journal
 * replayed from its first record up to the day's last into the four document views. Figures, not pass/fail.
 *
 * Writes a SQLite journal of BENCH_DAY_END_COMMANDS commands (default 200,000: orders that rest and cross on one
 * instrument, so trades and obligations) spread over two exchange days by a clock that steps on each reading, then asks for the
 * first day's views (a rebuild over half the journal), again (kept), and prints the times and the heap before and
 * after.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dayEndDocuments } from "../src/gateway/day-end.ts";
import { Exchange } from "../src/gateway/exchange.ts";
import { benchJournalSetup, writeBenchOrders } from "./journal-workload.ts";

const COMMANDS = Number(process.env.BENCH_DAY_END_COMMANDS ?? 200_000);
const START_MS = Date.UTC(2026, 0, 4, 19, 0, 0); // 00:00 on 5 January 2026, exchange time
const STEP_MS = (2 * 86_400_000) / COMMANDS;

let ticks = 0;
const dir = mkdtempSync(join(tmpdir(), "sauda-day-end-"));
const exchange = await Exchange.open({
  data: dir,
  snapshotEveryMs: 0,
  clock: () => Math.floor(START_MS + ticks++ * STEP_MS),
});
for (const command of benchJournalSetup()) await exchange.submit(command);
const writeStarted = performance.now();
await writeBenchOrders(exchange, { count: COMMANDS, stream: "bench-day-end", cancels: false });
console.log(
  `wrote ${COMMANDS} commands over two exchange days in ${((performance.now() - writeStarted) / 1000).toFixed(1)} s`,
);

const documents = dayEndDocuments(exchange);
const heapBefore = process.memoryUsage().heapUsed;
let started = performance.now();
const views = await documents.viewsOf("2026-01-05");
const rebuildMs = performance.now() - started;
const heapAfter = process.memoryUsage().heapUsed;
console.log(
  `day-end rebuild of 2026-01-05: ${views.lastSeq} records in ${rebuildMs.toFixed(0)} ms (${((views.lastSeq / rebuildMs) * 1000).toFixed(0)} records/s); heap ${(heapBefore / 2 ** 20).toFixed(0)} → ${(heapAfter / 2 ** 20).toFixed(0)} MiB`,
);
started = performance.now();
await documents.viewsOf("2026-01-05");
console.log(`asked again (kept): ${(performance.now() - started).toFixed(2)} ms; rebuilds ${documents.rebuilds}`);
await exchange.close();
