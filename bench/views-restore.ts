/**
 * `npm run bench:views-restore`: what restoring the read models (projections and surveillance) from their snapshot
 * costs, alone, in a fresh process: the part of a restart that keeps every API read at 503 VIEWS_LOADING. Figures, not
 * pass/fail.
 *
 * `build N FILE`: applies the bench journal's commands (bench/journal-workload.ts: the two-party market, then seeded
 * orders and one cancel in twenty; N commands in all, default 100,000) straight to an engine and feeds each outcome
 * to new read models (as the snapshot thread does), then captures them (`captureViews`) into FILE.
 * `restore FILE [ROUNDS]`: restores FILE into new read models ROUNDS times (default 3), each in a new process (this
 * script again, `restore-once`), and prints each one's CPU time (`process.cpuUsage`: the main thread and the garbage
 * collector's helper threads) beside its wall time, and the heap in use after a collection once restored.
 * A snapshot restores only into the code that wrote it (`codeVersion`): build it with the code you restore it with,
 * or, to restore the very same bytes with the code before and after a change to the restore alone (the format
 * unchanged), `restamp FILE` rewrites the code version FILE names to this code's (a copy of FILE for each tree).
 */

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { deserialize, serialize } from "node:v8";
import { Engine } from "../src/engine/engine.ts";
import { buildViews, feedViews, viewRoots } from "../src/gateway/read-models.ts";
import { captureViews, codeVersion, restoreViews } from "../src/gateway/view-snapshots.ts";
import { benchJournalSetup, benchOrders } from "./journal-workload.ts";

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
const [mode, ...args] = process.argv.slice(2);

if (mode === "build") {
  const commands = Number(args[0] ?? 100_000);
  const file = args[1];
  if (file === undefined) throw new Error("usage: bench/views-restore.ts build N FILE");
  const setup = benchJournalSetup();
  const engine = new Engine();
  const views = buildViews(undefined);
  const startMs = Date.UTC(2026, 0, 5, 6, 0);
  let seq = 0;
  const feed = (command: Parameters<Engine["apply"]>[0]["command"]) => {
    seq++;
    const timeMs = startMs + seq;
    const events = engine.apply({ seq, timeMs, command });
    const meta = { actor: "trader-1", role: "trader", source: "ws", requestId: `r${seq}` };
    feedViews(views, { seq, timeMs, command, meta, events });
  };
  for (const command of setup) feed(command);
  for (const command of benchOrders(commands - setup.length, "bench-restart", true)) feed(command);
  const cpu = process.cpuUsage();
  const data = captureViews(viewRoots(views), viewRoots(buildViews(undefined)));
  writeFileSync(file, data);
  console.log(
    `${seq} commands fed; snapshot of the read models ${(data.length / 1e6).toFixed(1)} MB (capture ${cpuMs(process.cpuUsage(cpu)).toFixed(0)} ms CPU) in ${file}`,
  );
} else if (mode === "restore-once") {
  const data = readFileSync(args[0]!);
  const views = buildViews(undefined);
  const cpu = process.cpuUsage();
  const started = performance.now();
  restoreViews(data, viewRoots(views));
  const used = cpuMs(process.cpuUsage(cpu));
  const wall = performance.now() - started;
  (globalThis as { gc?: () => void }).gc?.();
  const heap = process.memoryUsage().heapUsed;
  console.log(JSON.stringify({ cpuMs: used, wallMs: wall, heapMb: heap / 1e6, seq: views.projections.lastSeq }));
} else if (mode === "restamp") {
  const file = args[0];
  if (file === undefined) throw new Error("usage: bench/views-restore.ts restamp FILE");
  const whole = deserialize(readFileSync(file)) as unknown[];
  whole[1] = codeVersion();
  writeFileSync(file, serialize(whole));
  console.log(`${file} now names this code's version of the read models`);
} else if (mode === "restore") {
  const file = args[0];
  if (file === undefined) throw new Error("usage: bench/views-restore.ts restore FILE [ROUNDS]");
  const rounds = Number(args[1] ?? 3);
  console.log(`restoring ${file} in ${rounds} new processes; load ${load()}`);
  for (let round = 1; round <= rounds; round++) {
    const out = execFileSync(
      process.execPath,
      ["--expose-gc", "--import", "tsx", new URL(import.meta.url).pathname, "restore-once", file],
      { encoding: "utf8" },
    );
    const figures = JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, number>;
    console.log(
      `  round ${round}: ${figures.cpuMs!.toFixed(0)} ms CPU, ${figures.wallMs!.toFixed(0)} ms wall, heap ${figures.heapMb!.toFixed(0)} MB after (read models at ${figures.seq})`,
    );
  }
  console.log(`load ${load()}`);
} else throw new Error("usage: bench/views-restore.ts build N FILE | restore FILE [ROUNDS] | restamp FILE");
