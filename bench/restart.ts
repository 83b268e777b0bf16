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
 *
 * The server serves as soon as the engine is recovered and loads its read models behind (their state in /api/health),
 * so each start also prints when /api/health first said `views: "ready"` and when the first order was acknowledged
 * (a signed POST /api/orders by a trader the journal holds, made after the last snapshots by count, sent again every
 * 10 ms until 201: refused with VIEWS_LOADING until identity is there, restored first from its own snapshot and caught
 * up with the journal's tail, gateway/identity.ts; or until the read models are loaded when it could not be), each with
 * the server's CPU time then.
 * BENCH_RESTART_WAIT_FOR_VIEWS=1 runs the server with --wait-for-views (as before it loaded them behind serving).
 */

import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { placeBenchOrder, writeRestartJournal } from "./restart-journal.ts";
import { processCpuMs, startServe } from "./serve-process.ts";

const COMMANDS = Number(process.env.BENCH_RESTART_COMMANDS ?? 1_000_000);
/** Snapshots (engine and read models) by count while writing the journal; default the server's. */
const SNAPSHOT_EVERY = process.env.BENCH_RESTART_SNAPSHOT_EVERY
  ? Number(process.env.BENCH_RESTART_SNAPSHOT_EVERY)
  : undefined;

const WAIT_FOR_VIEWS = process.env.BENCH_RESTART_WAIT_FOR_VIEWS === "1";
interface Moment {
  /** From the spawn. */
  readonly ms: number;
  /** The server's CPU time then (null without /proc). */
  readonly cpuMs: number | null;
  /** The 1-minute load average then. */
  readonly load: number;
}

interface Start extends Moment {
  /** When /api/health first said the read models are ready. */
  readonly viewsReady: Moment;
  /** When the first order was acknowledged (null: not tried, on an empty journal). */
  readonly firstOrder: Moment | null;
  readonly lines: string[];
}

let orderCount = 0;

/** Sends a signed order until it is acknowledged (201); returns when it was, from `spawnedMs`. */
async function firstOrder(url: string, pid: number | undefined, spawnedMs: number): Promise<Moment> {
  for (;;) {
    const answer = await placeBenchOrder(url, `restart-${Date.now()}-${++orderCount}`);
    if (answer.status === 201) return moment(pid, spawnedMs);
    if (answer.status !== 503) throw new Error(`the order was answered ${answer.status}: ${answer.text}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 10));
  }
}

/** Polls /api/health until it says the read models are ready. */
async function viewsReady(url: string, pid: number | undefined, spawnedMs: number): Promise<Moment> {
  for (;;) {
    const health = (await (await fetch(`${url}/api/health`)).json()) as { views?: string };
    if (health.views === undefined || health.views === "ready") return moment(pid, spawnedMs);
    await new Promise((resolveWait) => setTimeout(resolveWait, 10));
  }
}

function moment(pid: number | undefined, spawnedMs: number): Moment {
  return { ms: performance.now() - spawnedMs, cpuMs: processCpuMs(pid), load: loadavg()[0]! };
}

/**
 * Starts the server, waits for /api/health to answer, reads its CPU time, kills it with SIGKILL (or, `clean`, stops it
 * with SIGTERM: it then writes its snapshots at the head); returns the time, the CPU time and its log.
 */
async function startAndKill(dir: string, clean = false, order = true): Promise<Start> {
  const spawnedMs = performance.now();
  const serve = await startServe({ data: dir, ...(WAIT_FOR_VIEWS ? { args: ["--wait-for-views"] } : {}) });
  const cpuMs = processCpuMs(serve.child.pid);
  const load = loadavg()[0]!;
  // Both at once: an order may be acknowledged before the read models are ready (identity is restored first).
  const [ready, ordered] = await Promise.all([
    viewsReady(serve.url, serve.child.pid, spawnedMs),
    order ? firstOrder(serve.url, serve.child.pid, spawnedMs) : Promise.resolve(null),
  ]);
  await serve.stop(clean ? "SIGTERM" : "SIGKILL");
  return { ms: serve.servingMs, cpuMs, load, viewsReady: ready, firstOrder: ordered, lines: serve.lines };
}

function at(what: string, when: Moment): string {
  const cpu = when.cpuMs === null ? "CPU unknown (no /proc)" : `server CPU ${when.cpuMs.toFixed(0)} ms`;
  return `${what} ${when.ms.toFixed(0)} ms after the spawn (${cpu}, load ${when.load.toFixed(1)})`;
}

/** "serving N ms after the spawn (server CPU M ms, load L); views ready …; first order acknowledged …". */
function serving(run: Start): string {
  return [
    at("serving", run),
    at("views ready", run.viewsReady),
    ...(run.firstOrder === null ? [] : [at("first order acknowledged", run.firstOrder)]),
  ].join("; ");
}

/** The server's own account of its start: when it listened, and by when its code was loaded. */
function started(lines: readonly string[]): string {
  const line = lines.find((l) => l.startsWith("started:"));
  return line === undefined ? "(no start line)" : line;
}

const empty = mkdtempSync(join(tmpdir(), "sauda-restart-empty-"));
await startAndKill(empty, false, false); // the first start makes the keys
const baseline = await startAndKill(empty, false, false);
console.log(`empty journal: ${serving(baseline)} (start-up cost); ${started(baseline.lines)}`);

const dir = mkdtempSync(join(tmpdir(), "sauda-restart-"));
const writeStarted = performance.now();
await writeRestartJournal(dir, COMMANDS, SNAPSHOT_EVERY);
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
