/**
 * `sauda serve` as the start-up benchmarks run it (bench/start.ts, bench/restart.ts, bench/backup.ts): a child
 * process of bin/sauda.js with no demo on a free port, counted as serving from the spawn to the first 200 of GET
 * /api/health. The health check is polled without a pause, so the figure is not rounded up to a poll interval.
 */

import { type ChildProcessByStdio, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

const BIN = resolve(import.meta.dirname, "../bin/sauda.js");

/** Clock ticks per second of /proc/<pid>/stat's times (100 on Linux unless configured otherwise). */
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/**
 * CPU time (user + system, all threads) the process `pid` has used so far, in ms, from /proc/<pid>/stat (fields 14 and
 * 15, counted after the command name, which may hold spaces); null where there is no /proc.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** A `sauda serve` that has answered its first health check. */
export interface ServeProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly url: string;
  /** The lines it has written to stdout (more are added while it runs). */
  readonly lines: string[];
  /** From the spawn to the first 200 of GET /api/health. */
  readonly servingMs: number;
  /** The body of that first answer. */
  readonly health: unknown;
  /** The first line it writes (or has written) that starts with `prefix`. */
  line(prefix: string): Promise<string>;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Spawns `sauda serve --port 0 --no-demo --data DATA` (and `--keys KEYS_DIR` when given) with `env` (this process's by
 * default), and resolves once /api/health answers 200; rejects if the process exits before it says where it listens.
 */
export async function startServe(options: {
  readonly data: string;
  readonly keysDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** More arguments to `sauda serve`. */
  readonly args?: readonly string[];
  /** The `sauda` script to run (default this tree's bin/sauda.js: another tree's to compare builds). */
  readonly bin?: string;
  /** Arguments to node before the script (e.g. `--import` of a profiler). */
  readonly nodeArgs?: readonly string[];
}): Promise<ServeProcess> {
  const started = performance.now();
  const args = ["serve", "--port", "0", "--no-demo", "--data", options.data];
  if (options.keysDir !== undefined) args.push("--keys", options.keysDir);
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.bin ?? BIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: options.env ?? process.env,
  });
  const lines: string[] = [];
  const output = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolveUrl, reject) => {
    output.on("line", (line) => {
      lines.push(line);
      const match = /sauda exchange on (http:\/\/\S+)/.exec(line);
      if (match) resolveUrl(match[1]!);
    });
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${lines.join("\n")}`)));
  });
  let health: unknown = null;
  while (health === null) {
    health = await fetch(`${url}/api/health`).then(
      (response) => (response.ok ? response.json() : null),
      () => null,
    );
  }
  const servingMs = performance.now() - started;
  return {
    child,
    url,
    lines,
    servingMs,
    health,
    line: (prefix) =>
      new Promise<string>((resolveLine, reject) => {
        const written = lines.find((line) => line.startsWith(prefix));
        if (written !== undefined) return resolveLine(written);
        const onLine = (line: string) => {
          if (!line.startsWith(prefix)) return;
          output.off("line", onLine);
          resolveLine(line);
        };
        output.on("line", onLine);
        child.once("exit", () => reject(new Error(`serve exited before a line starting "${prefix}"`)));
      }),
    stop: async (signal) => {
      const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
      child.kill(signal);
      await exited;
    },
  };
}
