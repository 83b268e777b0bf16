/**
 * `npm run bench:backup`: what a SQLite backup and a restore from it cost, for the business-continuity plan
 * (docs/operations.md). Figures, not pass/fail.
 *
 * Writes a SQLite journal of BENCH_BACKUP_COMMANDS commands (default 200,000: a cleared instrument, resting and
 * crossing orders, cancels) through the exchange as the server does, and leaves it open (a running server). Then, as
 * an operator would: `sauda backup --data DIR --to RESTORED_DIR` (the online copy, then verify over it), and
 * `sauda serve --data RESTORED_DIR` on the copy (the restore after a lost disk: the copy is a data directory), timed
 * from the spawn to its first answer at /api/health.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Exchange } from "../src/gateway/exchange.ts";
import { writeBenchJournal } from "./journal-workload.ts";
import { startServe } from "./serve-process.ts";

const COMMANDS = Number(process.env.BENCH_BACKUP_COMMANDS ?? 200_000);
const BIN = resolve(import.meta.dirname, "../bin/sauda.js");

const root = mkdtempSync(join(tmpdir(), "sauda-bench-backup-"));
const data = join(root, "data");
const keys = join(root, "data-keys");

const exchange = await Exchange.open({ data, keysDir: keys });
const writeStarted = performance.now();
await writeBenchJournal(exchange, { commands: COMMANDS, stream: "bench-backup" });
const bytes = statSync(join(data, "sauda.sqlite")).size;
console.log(
  `wrote ${COMMANDS} commands in ${((performance.now() - writeStarted) / 1000).toFixed(1)} s; sauda.sqlite ${(bytes / 1e6).toFixed(0)} MB (${root})`,
);

function run(args: string[]): Promise<{ ms: number; output: string; code: number | null }> {
  const started = performance.now();
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("exit", (code) => resolveRun({ ms: performance.now() - started, output, code }));
  });
}

const restored = join(root, "restored");
const backup = await run(["backup", "--data", data, "--to", restored, "--keys", keys]);
console.log(backup.output.trim());
console.log(`sauda backup (online copy + verify of the copy): ${(backup.ms / 1000).toFixed(1)} s, exit ${backup.code}`);
await exchange.close();

// The restore after a lost disk: the copy is a data directory; the keys come from their own backup.
const server = await startServe({ data: restored, keysDir: keys });
console.log(
  `sauda serve on the restored copy: serving ${(server.servingMs / 1000).toFixed(1)} s after the spawn, ${JSON.stringify(server.health)}`,
);
const recovered = server.lines.find((line) => line.includes("recovered:"));
if (recovered) console.log(recovered.slice(recovered.indexOf("recovered:")));
await server.stop("SIGKILL");
rmSync(root, { recursive: true, force: true });
process.exit(0);
