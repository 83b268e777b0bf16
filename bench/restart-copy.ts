/**
 * `node --import tsx bench/restart-copy.ts DATA_DIR [LABEL]`: one `sauda serve --no-demo` start on a copy of a data
 * directory (and of its `-keys` directory beside it) as it stands, e.g. the one `npm run bench:restart` wrote and left
 * as after a SIGKILL, so that starts can be repeated on the same state without writing the journal again (a
 * 1,000,000-command journal takes many minutes to write). Prints the time from the spawn to the first 200 of GET
 * /api/health, the server's CPU time then (user + system, all threads, /proc/<pid>/stat) and the load average, with
 * the server's `recovered:` and listening lines; then kills it with SIGKILL and deletes the copy. Figures, not
 * pass/fail.
 *
 * BIN: the `sauda` script to run (default this tree's bin/sauda.js; another tree's to compare builds, alternately).
 * UNTIL=views: go on until the server says its read models are ready, and print when that was (from the spawn) and
 * the server's CPU time then.
 * PROF_OUT: write a CPU profile of the server's main thread from its start to that first answer (or, with
 * UNTIL=views, to its read models' being ready) (bench/profile-until-signal.mjs; summarise it with
 * bench/profile-summary.ts).
 * NODE_FLAGS: flags to give node before the script, space-separated (e.g. `--max-semi-space-size=64`, which `npm start`
 * and bin/sauda.js's first line pass, and a spawn of `node bin/sauda.js` does not).
 * ALL_LINES=1: print every line the server wrote, not only its warnings.
 */

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { startServe } from "./serve-process.ts";

const [source, label = "start"] = process.argv.slice(2);
if (source === undefined) {
  console.error("usage: restart-copy.ts DATA_DIR [LABEL]");
  process.exit(2);
}
const copy = `${source}-copy-${process.pid}`;
execFileSync("cp", ["-a", source, copy]);
execFileSync("cp", ["-a", `${source}-keys`, `${copy}-keys`]);
const profile = process.env.PROF_OUT;
const bin = process.env.BIN ?? resolve(import.meta.dirname, "../bin/sauda.js");
const preload = resolve(import.meta.dirname, "profile-until-signal.mjs");
const clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
try {
  const spawned = performance.now();
  const serve = await startServe({
    data: copy,
    bin,
    nodeArgs: [
      ...(process.env.NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
      ...(profile ? ["--import", preload] : []),
    ],
  });
  const { child, lines, servingMs } = serve;
  const cpuNow = () => {
    const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  };
  const cpuMs = cpuNow();
  const load = loadavg()[0]!;
  if (process.env.UNTIL === "views") {
    await serve.line("read models ready");
    console.log(
      `${label}: read models ready ${(performance.now() - spawned).toFixed(0)} ms after the spawn (server CPU ${cpuNow().toFixed(0)} ms, load ${loadavg()[0]!.toFixed(1)})`,
    );
  }
  if (profile) {
    child.kill("SIGUSR2");
    while (!existsSync(`${profile}.done`)) await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    renameSync(`${profile}.tmp`, profile);
    rmSync(`${profile}.done`);
  }
  const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
  child.kill("SIGKILL");
  await exited;
  const recovered = lines.find((line) => line.includes("recovered:")) ?? "(no recovery line)";
  const listening = /listening (\d+) ms after the process started/.exec(lines.join("\n"))?.[1] ?? "?";
  console.log(
    `${label}: serving ${servingMs.toFixed(0)} ms after the spawn (server CPU ${cpuMs.toFixed(0)} ms, load ${load.toFixed(1)}); listening ${listening} ms after the process started; ${recovered.slice(recovered.indexOf("recovered:"))}`,
  );
  for (const line of lines) if (process.env.ALL_LINES || line.startsWith("warning")) console.log(`  ${line}`);
} finally {
  rmSync(copy, { recursive: true, force: true });
  rmSync(`${copy}-keys`, { recursive: true, force: true });
}
process.exit(0);
