/**
 * `npm run bench:views-feed`: what the read models (projections and surveillance) cost per journal record, as the
 * read models' snapshot thread (src/gateway/view-snapshot-worker.ts) and a start's replay pay it, part by part.
 * Figures, not pass/fail.
 *
 * Writes a journal of the core benchmark's seeded workload (bench/core-workload.ts: a cleared instrument, eight
 * producers and eight buyers, limit orders about a third crossing, cancels, a close and a reopen every 100,000
 * commands) through the sequencer into SQLite, each command with the metadata the API gives it, then measures, on the
 * main thread's own CPU clock (/proc/self/task/<pid>/schedstat: not V8's helper threads) and on the process's
 * (`process.cpuUsage`, which adds the garbage collector's helper threads), per record:
 * - read: the store's pages (`store.read`, READ_PAGE_RECORDS at a time), as the thread reads them;
 * - parse: `outcomeOfRecord` (three JSON parses and the checks);
 * - feed: `feedViews` into fresh read models (projections, then surveillance), uninstrumented;
 * - then the feed again into fresh read models with every part timed (`performance.now()` around each projection's
 *   `apply`, surveillance's journal adapter and each detector's handlers): each part's wall time, scaled by that
 *   pass's main-thread CPU over its wall time (the machine may be busy), so the parts add up to that pass's CPU.
 * Each measured pass runs BENCH_VIEWS_ROUNDS times (default 2) and the least is printed. The load average is printed
 * beside the figures. Environment: BENCH_VIEWS_ORDERS (default 100,000), BENCH_VIEWS_ROUNDS.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../src/engine/engine.ts";
import { buildViews, feedViews, type Views } from "../src/gateway/read-models.ts";
import type { JournalRecord } from "../src/journal/records.ts";
import { Sequencer } from "../src/journal/sequencer.ts";
import { SqliteStore } from "../src/journal/sqlite-store.ts";
import { READ_PAGE_RECORDS } from "../src/journal/store.ts";
import { outcomeOfRecord, type ProjectionOutcome } from "../src/projections/index.ts";
import { orders, setup } from "./core-workload.ts";

const ORDERS = Number(process.env.BENCH_VIEWS_ORDERS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_VIEWS_ROUNDS ?? 2);

/** CPU time of this process's main thread in nanoseconds, or NaN where /proc has no schedstat. */
function mainThreadCpuNs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]);
  } catch {
    return Number.NaN;
  }
}

interface Cost {
  /** Main thread CPU, µs per record. */
  readonly main: number;
  /** Process CPU (with helper threads), µs per record. */
  readonly process: number;
  /** Wall time, µs per record. */
  readonly wall: number;
}

/** The least cost of `ROUNDS` runs of `run` (each over `records` records). */
async function measure(records: number, run: () => unknown | Promise<unknown>): Promise<Cost> {
  let best: Cost = { main: Infinity, process: Infinity, wall: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    const cpu = process.cpuUsage();
    const main = mainThreadCpuNs();
    const wall = performance.now();
    await run();
    const wallUs = (performance.now() - wall) * 1000;
    const mainUs = (mainThreadCpuNs() - main) / 1000;
    const used = process.cpuUsage(cpu);
    const cost = { main: mainUs / records, process: (used.user + used.system) / records, wall: wallUs / records };
    if (cost.main < best.main || (Number.isNaN(best.main) && cost.process < best.process)) best = cost;
  }
  return best;
}

const fmt = (us: number) => us.toFixed(2).padStart(8);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

async function writeJournal(dir: string): Promise<number> {
  const commands = [...setup(), ...orders(ORDERS, 7, true)];
  const store = new SqliteStore(dir);
  await store.writerReady();
  let now = Date.UTC(2026, 0, 5, 6);
  const sequencer = new Sequencer(new Engine(), store, null, {
    clock: () => now++,
    batchCommandsMax: 1000,
    snapshotEveryCommands: 0,
  });
  let pending: Promise<unknown>[] = [];
  for (const [i, command] of commands.entries()) {
    const meta = { actor: "trader-1", role: "trader", source: "ws", requestId: `r${i}` };
    pending.push(sequencer.submit(command, meta));
    if (pending.length >= 20_000) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  await sequencer.stop();
  await store.close();
  return commands.length;
}

/** Wraps `object[method]` (an own or inherited function) so that its wall time adds to `totals[name]`. */
function timeMethod(totals: Map<string, number>, name: string, object: object, method: string): void {
  const target = object as Record<string, unknown>;
  const original = target[method];
  if (typeof original !== "function") return;
  totals.set(name, totals.get(name) ?? 0);
  target[method] = function (this: unknown, ...args: unknown[]) {
    const start = performance.now();
    try {
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } finally {
      totals.set(name, totals.get(name)! + performance.now() - start);
    }
  };
}

const PROJECTION_PARTS = [
  "sessions",
  "marketData",
  "accounts",
  "supply",
  "audit",
  "participation",
  "outages",
  "controls",
  "deliveries",
  "users",
  "applications",
  "contracts",
  "notices",
  "remedies",
] as const;
const DETECTOR_METHODS = [
  "session",
  "order",
  "amend",
  "cancel",
  "trade",
  "sessionEnd",
  "declared",
  "withdrawn",
  "obligation",
];

/** Fresh read models with every part timed; returns them and the totals (ms) by part. */
function timedViews(): { views: Views; totals: Map<string, number> } {
  const views = buildViews(undefined);
  const totals = new Map<string, number>();
  const projections = views.projections as unknown as Record<string, object>;
  timeMethod(totals, "projections (all)", views.projections, "apply");
  for (const part of PROJECTION_PARTS) {
    // The audit trail is fed through `record` (its `apply` also writes the entry's texts, for callers that read them).
    const view = projections[part]!;
    timeMethod(totals, `  ${part}`, view, "record" in view ? "record" : "apply");
  }
  const live = views.surveillance as unknown as { surveillance: { detectors: object[] }; adapter: object };
  timeMethod(totals, "surveillance (all)", views.surveillance, "apply");
  timeMethod(totals, "  detectors (all, with dispatch)", live.surveillance, "apply");
  for (const detector of live.surveillance.detectors) {
    const name = `    ${detector.constructor.name}`;
    for (const method of DETECTOR_METHODS) timeMethod(totals, name, detector, method);
  }
  return { views, totals };
}

async function main(): Promise<void> {
  console.log(`sauda read models' cost per record — node ${process.version}, load ${load()}`);
  const dir = mkdtempSync(join(tmpdir(), "sauda-bench-views-"));
  try {
    const count = await writeJournal(dir);
    console.log(`journal of ${count.toLocaleString("en-US")} records written (SQLite); rounds ${ROUNDS}\n`);
    const store = new SqliteStore(dir);
    let records: JournalRecord[] = [];
    const read = await measure(count, async () => {
      records = [];
      let seq = 0;
      for (;;) {
        const page = await store.read(seq + 1, READ_PAGE_RECORDS);
        if (page.length === 0) break;
        for (const record of page) records.push(record);
        seq = page.at(-1)!.seq;
      }
    });
    await store.close();
    let outcomes: ProjectionOutcome[] = [];
    const parse = await measure(count, () => {
      outcomes = records.map((record) => outcomeOfRecord(record));
    });
    const feed = await measure(count, () => {
      const views = buildViews(undefined);
      for (const outcome of outcomes) feedViews(views, outcome);
    });
    console.log("per record, µs            main CPU  process CPU     wall");
    for (const [name, cost] of [
      ["read (store pages)", read],
      ["parse (outcomeOfRecord)", parse],
      ["feed (feedViews)", feed],
    ] as const) {
      console.log(`${name.padEnd(24)}${fmt(cost.main)}     ${fmt(cost.process)} ${fmt(cost.wall)}`);
    }
    const total = read.main + parse.main + feed.main;
    console.log(`${"thread total".padEnd(24)}${fmt(total)}  (read + parse + feed, main CPU)\n`);

    let best: { totals: Map<string, number>; scale: number; cpu: number } | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      const { views, totals } = timedViews();
      const main = mainThreadCpuNs();
      const wall = performance.now();
      for (const outcome of outcomes) feedViews(views, outcome);
      const cpuMs = (mainThreadCpuNs() - main) / 1e6;
      const scale = cpuMs / (performance.now() - wall);
      if (best === null || cpuMs < best.cpu) best = { totals, scale, cpu: cpuMs };
    }
    const { totals, scale, cpu } = best!;
    console.log(
      `feed by part (instrumented: ${fmt((cpu * 1000) / count).trim()} µs/record main CPU; parts' wall × ${scale.toFixed(2)})`,
    );
    for (const [name, ms] of totals) console.log(`${name.padEnd(40)}${fmt((ms * 1000 * scale) / count)} µs`);
    console.log(`\nload ${load()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
