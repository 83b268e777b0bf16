/**
 * `npm run bench:follow`: what the two snapshot threads (the engine's, journal/engine-snapshot-worker.ts, and the read
 * models', gateway/view-snapshot-worker.ts) cost to follow the journal, per record. Both apply every record the leader
 * applies, on the cores the leader, the journal's writer and the clients share, so their CPU per record bounds what a
 * two-core server makes durable (docs/operations.md, "Where a WebSocket order's CPU goes across the server's threads").
 *
 * Set-up: an exchange on a fresh SQLite journal with the server's default snapshot intervals, and the core workload
 * (bench/core-workload.ts: orders around 133,000 tenge/t, a third crossing, cancels) submitted in groups of 1,000.
 * First `BENCH_FOLLOW_WARM_UP` orders (default 60,000: past half the read models' interval, so both threads have
 * started and loaded); both threads are then asked for a snapshot at the head, which they answer once they have
 * applied every record. Then `BENCH_FOLLOW_ORDERS` more (default 60,000) and the same again. Between the two the CPU
 * time of each thread at the snapshot threads' nice value (they and the threads they started: their stores' writers)
 * is read from Linux's per-thread counters, and divided by the records. It includes their snapshots (every 10,000
 * records for the engine, one at the head for the read models), which is what following costs them. Also printed:
 * how many records each took as the journal's writer sent them (`JournalStore.follow`), the rest read back from the
 * store.
 *
 * A figure, not a test: it never fails on speed. Linux only (elsewhere it prints no per-thread figures).
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "../src/engine/commands.ts";
import { Exchange } from "../src/gateway/exchange.ts";
import { INSTRUMENT, orders, setup } from "./core-workload.ts";

const ORDERS = Number(process.env.BENCH_FOLLOW_ORDERS ?? 60_000);
const WARM_UP = Number(process.env.BENCH_FOLLOW_WARM_UP ?? 60_000);
const GROUP = 1_000;
const TICKS_PER_SECOND = 100;
/** Fields of /proc/<pid>/task/<tid>/stat after the ")" that ends the thread's name: utime, stime and nice. */
const UTIME = 11;
const STIME = 12;
const NICE = 16;

interface ThreadCpu {
  readonly tid: string;
  /** Its name (src/journal/thread-name.js): a snapshot thread's, or its starter's for a thread it started. */
  readonly name: string;
  readonly nice: number;
  readonly cpuMs: number;
}

function threads(): ThreadCpu[] {
  try {
    return readdirSync("/proc/self/task").map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[UTIME]) + Number(fields[STIME]);
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      return { tid, name, nice: Number(fields[NICE]), cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
    });
  } catch {
    return [];
  }
}

/** Submits `commands` in groups of `GROUP`, each group once the one before is durable. */
async function submitAll(exchange: Exchange, commands: Iterable<Command>): Promise<void> {
  let group: Promise<unknown>[] = [];
  for (const command of commands) {
    group.push(exchange.submit(command));
    if (group.length === GROUP) {
      await Promise.all(group);
      group = [];
    }
  }
  await Promise.all(group);
}

/** Both snapshot threads have applied every record up to the head: each has answered a snapshot there. */
async function bothAtTheHead(exchange: Exchange): Promise<void> {
  const head = exchange.engine.lastSeq;
  const [engine] = await Promise.all([exchange.engineSnapshotThread?.snapshot(head), exchange.snapshotViews()]);
  if (engine !== head || exchange.viewSnapshotThread?.savedSeq !== head) {
    throw new Error(`the snapshot threads did not both snapshot the head ${head}: is each running?`);
  }
}

/** CPU time (ms) of each thread at a lower priority than the main thread's: the snapshot threads and their own. */
function snapshotThreadsCpu(): Map<string, ThreadCpu> {
  const all = threads();
  const mainNice = all.find((thread) => thread.tid === String(process.pid))?.nice ?? 0;
  return new Map(all.filter((thread) => thread.nice > mainNice).map((thread) => [thread.tid, thread]));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sauda-bench-follow-"));
  // Time moves as on a live exchange (a record's time is its batch's): a clock that stood still would put every
  // record in the same millisecond, where surveillance's spoofing rule compares each fill with every cancel of that
  // millisecond, which no live session does.
  const openedAt = performance.now();
  const exchange = await Exchange.open({
    data: dir,
    clock: () => Date.UTC(2026, 0, 5, 6) + Math.floor(performance.now() - openedAt),
    snapshotEveryMs: 0,
  });
  try {
    await submitAll(exchange, setup());
    const workload = orders(WARM_UP + ORDERS, 7) as Iterator<Command>;
    const take = function* (count: number): Generator<Command> {
      for (let i = 0; i < count; i++) {
        const next = workload.next();
        if (next.done) return;
        yield next.value;
      }
    };
    // Past half the read models' interval, so that both threads have started, loaded and caught up.
    await submitAll(exchange, take(WARM_UP));
    await bothAtTheHead(exchange);
    const from = exchange.engine.lastSeq;
    const before = snapshotThreadsCpu();
    const fedBefore = [exchange.engineSnapshotThread!.fedRecords, exchange.viewSnapshotThread!.fedRecords];
    const started = Date.now();
    await submitAll(exchange, take(ORDERS));
    await bothAtTheHead(exchange);
    const ms = Date.now() - started;
    const after = snapshotThreadsCpu();
    const records = exchange.engine.lastSeq - from;
    const fed = [
      exchange.engineSnapshotThread!.fedRecords - fedBefore[0]!,
      exchange.viewSnapshotThread!.fedRecords - fedBefore[1]!,
    ];
    console.log("sauda bench:follow (bench/follow.ts)");
    console.log(
      `  ${INSTRUMENT}: records ${(from + 1).toLocaleString("en")} to ${exchange.engine.lastSeq.toLocaleString("en")} measured (${WARM_UP.toLocaleString("en")} orders before them), in ${ms} ms to both threads' snapshot at the head`,
    );
    console.log(
      `  records taken as the journal's writer sent them: engine thread ${fed[0]}, read models' thread ${fed[1]} (of ${records})`,
    );
    if (after.size === 0) {
      console.log("  no per-thread figures (not Linux, or no thread at a lower priority)");
      return;
    }
    // By name: each snapshot thread with the threads it started (its store's writers and readers carry its name).
    const byName = new Map<string, number[]>();
    for (const [tid, thread] of after) {
      const ms = thread.cpuMs - (before.get(tid)?.cpuMs ?? 0);
      if (ms > 0) byName.set(thread.name, [...(byName.get(thread.name) ?? []), ms]);
    }
    const total = [...byName.values()].flat().reduce((sum, ms) => sum + ms, 0);
    const perRecord = (ms: number) => ((ms * 1000) / records).toFixed(1);
    const parts = [...byName].map(([name, list]) => `${name} ${list.map(perRecord).join(" + ")}`);
    console.log(
      `  CPU of the snapshot threads (and the threads they started) per record: ${parts.join("; ")}; ${perRecord(total)} µs in all`,
    );
  } finally {
    await exchange.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
