/**
 * `node --import tsx bench/engine-restore-file.ts FILE`: restores the engine snapshot in FILE (as
 * `BENCH_ENGINE_RESTORE_SAVE=FILE npm run bench:engine-restore` writes it) in a fresh process, as a start does: parse,
 * restore, then the warm a server does behind serving. Prints CPU time (`process.cpuUsage`); figures, not pass/fail.
 * Run it alternately with the old code's copy to compare formats without the bench's large heap beside the restore.
 */

import { readFileSync } from "node:fs";
import { Engine } from "../src/engine/engine.ts";

const file = process.argv[2];
if (file === undefined) throw new Error("usage: bench/engine-restore-file.ts FILE");
const data = readFileSync(file, "utf8");
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
let started = cpuMs();
const parsed = JSON.parse(data) as Parameters<typeof Engine.restore>[0];
const parseMs = cpuMs() - started;
started = cpuMs();
const engine = Engine.restore(parsed);
const restoreMs = cpuMs() - started;
started = cpuMs();
engine.warm(Number.POSITIVE_INFINITY);
const warmMs = cpuMs() - started;
console.log(
  `version ${parsed.version}, ${(data.length / 1e6).toFixed(1)} MB: JSON.parse ${parseMs.toFixed(0)} ms, ` +
    `Engine.restore ${restoreMs.toFixed(0)} ms, together ${(parseMs + restoreMs).toFixed(0)} ms, ` +
    `warm ${warmMs.toFixed(0)} ms (CPU)`,
);
