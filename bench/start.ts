/**
 * `npm run bench:start`: what a start of `sauda` costs when it runs the compiled build (dist/, `npm run build:server`)
 * and when it runs the TypeScript sources through tsx (SAUDA_FROM_SOURCE=1). Figures, not pass/fail.
 *
 * For each way, BENCH_START_ROUNDS times (default 5, the two ways taking turns so both see the same load): `sauda
 * serve --no-demo --port 0` on an empty journal, from the spawn to the first answer of GET /api/health, then SIGKILL;
 * and `sauda --help`. Prints medians of the wall time, of the CPU time the process had used by then (all its threads,
 * from /proc: the load of a shared machine stretches the wall time much more than the CPU time), and of the server's
 * own "code loaded by" figure; then the ratios of build to sources. Needs a fresh build: run `npm run build:server`.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freshBuild } from "../bin/build-stamp.js";
import { startServe } from "./serve-process.ts";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "bin/sauda.js");
const ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 5);
/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

type Way = "build" | "sources";

/** The environment that makes bin/sauda.js take `way`. */
function environment(way: Way): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (way === "sources") env.SAUDA_FROM_SOURCE = "1";
  else delete env.SAUDA_FROM_SOURCE;
  return env;
}

/** CPU ms a live process has used (user + system, all threads), from /proc/PID/stat. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // After the command name: state is field 3, utime 14 and stime 15 (1-based), so indices 11 and 12 here.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** CPU ms used by this process's finished (waited-for) children, from /proc/self/stat (cutime + cstime). */
function childrenCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

interface ServeStart {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly codeLoadedMs: number;
}

async function serveStart(way: Way, dir: string): Promise<ServeStart> {
  const serve = await startServe({ data: dir, env: environment(way) });
  const cpuMs = cpuMsOf(serve.child.pid!);
  // The server writes its "started:" line once its read models are loaded, which may come after the first 200.
  const startLine = await serve.line("started:");
  await serve.stop("SIGKILL");
  const from = way === "build" ? "from the build" : "through tsx";
  if (!startLine.includes(from)) throw new Error(`expected code loaded ${from}: ${startLine}`);
  const codeLoadedMs = Number(/code loaded by (\d+) ms/.exec(startLine)?.[1] ?? Number.NaN);
  return { wallMs: serve.servingMs, cpuMs, codeLoadedMs };
}

function help(way: Way): { wallMs: number; cpuMs: number } {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const run = spawnSync(process.execPath, [BIN, "--help"], { env: environment(way), encoding: "utf8" });
  const wallMs = performance.now() - started;
  if (run.status !== 0 || !run.stdout.includes("Usage: sauda")) throw new Error(`sauda --help failed: ${run.stderr}`);
  return { wallMs, cpuMs: childrenCpuMs() - cpuBefore };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

if (freshBuild(join(ROOT, "src"), join(ROOT, "dist")) === null) {
  console.error("no fresh build of the sources in dist/: run `npm run build:server` first");
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), "sauda-start-"));
await serveStart("build", dir); // the first start makes the keys
const ways: Way[] = ["build", "sources"];
const serves: Record<Way, ServeStart[]> = { build: [], sources: [] };
const helps: Record<Way, { wallMs: number; cpuMs: number }[]> = { build: [], sources: [] };
console.log(
  `load average at the start: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(", ")}`,
);
for (let round = 0; round < ROUNDS; round++) {
  for (const way of round % 2 === 0 ? ways : [...ways].reverse()) {
    serves[way].push(await serveStart(way, dir));
    helps[way].push(help(way));
  }
}
const figures = (way: Way) => ({
  serveWallMs: median(serves[way].map((s) => s.wallMs)),
  serveCpuMs: median(serves[way].map((s) => s.cpuMs)),
  codeLoadedMs: median(serves[way].map((s) => s.codeLoadedMs)),
  helpWallMs: median(helps[way].map((h) => h.wallMs)),
  helpCpuMs: median(helps[way].map((h) => h.cpuMs)),
});
const result = { build: figures("build"), sources: figures("sources") };
for (const way of ways) {
  const f = result[way];
  console.log(
    `${way.padEnd(7)}: serve, empty journal: serving ${f.serveWallMs.toFixed(0)} ms after the spawn, ${f.serveCpuMs.toFixed(0)} ms CPU, code loaded by ${f.codeLoadedMs.toFixed(0)} ms; --help ${f.helpWallMs.toFixed(0)} ms, ${f.helpCpuMs.toFixed(0)} ms CPU (medians of ${ROUNDS})`,
  );
}
const ratio = (key: keyof ReturnType<typeof figures>) => (result.build[key] / result.sources[key]).toFixed(2);
console.log(
  `build / sources: serving ${ratio("serveWallMs")}, serve CPU ${ratio("serveCpuMs")}, code loaded ${ratio("codeLoadedMs")}, --help ${ratio("helpWallMs")}, --help CPU ${ratio("helpCpuMs")}`,
);
console.log(
  `load average at the end: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(", ")}`,
);
