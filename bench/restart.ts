/**
 * `npm run bench:restart`: time for `sauda serve` to serve again after a SIGKILL, with a large journal. Figures, not
 * pass/fail.
 *
 * Writes a SQLite journal of BENCH_RESTART_COMMANDS commands (default 1,000,000: a cleared instrument, resting and
 * crossing orders, cancels) through the exchange as the server does (sequencer, periodic snapshots by count), then
 * stops without a clean shutdown (no last snapshot: as after a SIGKILL). It then starts `sauda serve --no-demo` on it
 * and measures the time from the spawn to the first answer of GET /api/health, kills it with SIGKILL, and does the
 * same again; and the same on an empty journal (the start-up cost without a journal: loading the code, the keys,
 * building the routes); then once more after a clean stop (SIGTERM: snapshots at the head). BENCH_RESTART_SNAPSHOT_EVERY
 * sets the snapshots by count while writing (default the server's). Prints the times and how many records each start
 * replayed after its snapshots (the engine's and the read models'), and the server's CPU time (user + system, all its
 * threads, from /proc/<pid>/stat) at the moment it serves, with the load average: the wall-clock figures depend on the
 * machine's load, the CPU time much less.
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Exchange, VIEW_SNAPSHOT_EVERY_RECORDS } from "../src/gateway/exchange.ts";
import { writeBenchJournal } from "./journal-workload.ts";
import { startServe } from "./serve-process.ts";

const COMMANDS = Number(process.env.BENCH_RESTART_COMMANDS ?? 1_000_000);
/** Snapshots (engine and read models) by count while writing the journal; default the server's. */
const SNAPSHOT_EVERY = process.env.BENCH_RESTART_SNAPSHOT_EVERY
  ? Number(process.env.BENCH_RESTART_SNAPSHOT_EVERY)
  : undefined;

async function writeJournal(dir: string, commands: number): Promise<void> {
  const exchange = await Exchange.open({
    data: dir,
    snapshotEveryMs: 0,
    ...(SNAPSHOT_EVERY === undefined ? {} : { snapshotEveryCommands: SNAPSHOT_EVERY }),
  });
  await writeBenchJournal(exchange, { commands, stream: "bench-restart" });
  // The read models are snapshotted by count by the snapshot thread, which may be behind the head: wait for the last
  // one the count makes, so that the starts below find the same snapshots whatever the thread's pace.
  const every = SNAPSHOT_EVERY ?? VIEW_SNAPSHOT_EVERY_RECORDS;
  const last = every > 0 ? Math.floor(commands / every) * every : 0;
  const waitStarted = performance.now();
  while (last > 0 && ((await exchange.store.loadViewSnapshot())?.seq ?? 0) < last) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  console.log(
    `the snapshot thread saved the read models at ${last} ${((performance.now() - waitStarted) / 1000).toFixed(1)} s after the last write`,
  );
  // No close: the last snapshot is the one the count made, as after a SIGKILL.
}

/** Clock ticks per second of /proc/<pid>/stat's times (100 on Linux unless configured otherwise). */
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/**
 * CPU time (user + system, all threads) the process `pid` has used so far, in ms, from /proc/<pid>/stat (fields 14 and
 * 15, counted after the command name, which may hold spaces); null where there is no /proc.
 */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

interface Start {
  /** From the spawn to the first answer of /api/health. */
  readonly ms: number;
  /** The server's CPU time when it first answered (null without /proc). */
  readonly cpuMs: number | null;
  /** The 1-minute load average when it first answered. */
  readonly load: number;
  readonly lines: string[];
}

/**
 * Starts the server, waits for /api/health to answer, reads its CPU time, kills it with SIGKILL (or, `clean`, stops it
 * with SIGTERM: it then writes its snapshots at the head); returns the time, the CPU time and its log.
 */
async function startAndKill(dir: string, clean = false): Promise<Start> {
  const serve = await startServe({ data: dir });
  const cpuMs = processCpuMs(serve.child.pid);
  const load = loadavg()[0]!;
  await serve.stop(clean ? "SIGTERM" : "SIGKILL");
  return { ms: serve.servingMs, cpuMs, load, lines: serve.lines };
}

/** "serving N ms after the spawn (server CPU M ms, load L)". */
function serving(run: Start): string {
  const cpu = run.cpuMs === null ? "CPU unknown (no /proc)" : `server CPU ${run.cpuMs.toFixed(0)} ms`;
  return `serving ${run.ms.toFixed(0)} ms after the spawn (${cpu}, load ${run.load.toFixed(1)})`;
}

/** The server's own account of its start: when it listened, and by when its code was loaded. */
function started(lines: readonly string[]): string {
  const line = lines.find((l) => l.startsWith("started:"));
  return line === undefined ? "(no start line)" : line;
}

const empty = mkdtempSync(join(tmpdir(), "sauda-restart-empty-"));
await startAndKill(empty); // the first start makes the keys
const baseline = await startAndKill(empty);
console.log(`empty journal: ${serving(baseline)} (start-up cost); ${started(baseline.lines)}`);

const dir = mkdtempSync(join(tmpdir(), "sauda-restart-"));
const writeStarted = performance.now();
await writeJournal(dir, COMMANDS);
console.log(`wrote ${COMMANDS} commands in ${((performance.now() - writeStarted) / 1000).toFixed(1)} s (${dir})`);
for (let i = 1; i <= 2; i++) {
  const run = await startAndKill(dir);
  const recovered = run.lines.find((line) => line.includes("recovered:")) ?? "(no recovery line)";
  console.log(
    `journal of ${COMMANDS} commands, start ${i} after a SIGKILL: ${serving(run)}; ${recovered.slice(recovered.indexOf("recovered:"))}; ${started(run.lines)}`,
  );
}
// A clean stop writes the snapshots at the head: the next start replays nothing.
await startAndKill(dir, true);
const afterClean = await startAndKill(dir);
const recovered = afterClean.lines.find((line) => line.includes("recovered:")) ?? "(no recovery line)";
console.log(
  `journal of ${COMMANDS} commands, start after a clean stop: ${serving(afterClean)}; ${recovered.slice(recovered.indexOf("recovered:"))}; ${started(afterClean.lines)}`,
);
process.exit(0);
