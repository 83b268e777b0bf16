/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. the server's under `BENCH_SERVER_CPU_PROF=DIR npm run
 * bench:server`): self time by function, largest first, and optionally the inclusive time of the functions named on
 * the command line with their most common callers.
 *
 *   node --import tsx bench/profile-summary.ts PROFILE [--window SAMPLES.jsonl] [--top N] [--per-op] [NAME ...]
 *
 * `--window` takes the samples file bench/server.ts writes beside the profile (one line per journal sample, with the
 * time on the profile's clock) and keeps only the profile's samples inside the measurement window (between its second
 * and third lines), so the set-up, the drain and the shutdown are left out; `--per-op` then also prints each function's
 * time per journal record of the window. Times are sampled wall time of the thread while it ran that function: on a
 * loaded machine they include time the thread was runnable but not running, so read them as shares.
 */

import { readFileSync } from "node:fs";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const args = process.argv.slice(2);
const file = args.shift();
if (file === undefined) {
  console.error("usage: profile-summary.ts PROFILE [--window SAMPLES.jsonl] [--top N] [--per-op] [NAME ...]");
  process.exit(2);
}
let windowFile: string | null = null;
let top = 40;
let perOp = false;
const names: string[] = [];
while (args.length > 0) {
  const arg = args.shift()!;
  if (arg === "--window") windowFile = args.shift() ?? null;
  else if (arg === "--top") top = Number(args.shift());
  else if (arg === "--per-op") perOp = true;
  else names.push(arg);
}

const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

let fromUs = Number.NEGATIVE_INFINITY;
let toUs = Number.POSITIVE_INFINITY;
let ops = 0;
if (windowFile !== null) {
  const lines = readFileSync(windowFile, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as { seq: number; timeUs: number });
  const [start, end] = [lines[1], lines[2]];
  if (start === undefined || end === undefined) throw new Error(`${windowFile} has fewer than three samples`);
  fromUs = start.timeUs;
  toUs = end.timeUs;
  ops = end.seq - start.seq;
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\/.*?\/(src|bench|test)\//, "$1/")
    .replace(/^.*node_modules\//, "")
    .replace(/^node:internal\//, "node:");
}

function label(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  return `${functionName || "(anonymous)"} ${shortUrl(url)}`.trim();
}

const self = new Map<string, number>();
const inclusive = new Map<string, Map<string, number>>();
let totalUs = 0;
let idleUs = 0;
let timeUs = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  timeUs += profile.timeDeltas[i] ?? 0;
  // A sample's time is the delta to the next one (the time the thread spent where this sample found it).
  const spentUs = profile.timeDeltas[i + 1] ?? 0;
  if (timeUs < fromUs || timeUs >= toUs) continue;
  const leaf = nodes.get(profile.samples[i]!)!;
  const name = label(leaf);
  if (leaf.callFrame.functionName === "(idle)") {
    idleUs += spentUs;
    continue;
  }
  totalUs += spentUs;
  self.set(name, (self.get(name) ?? 0) + spentUs);
  if (names.length === 0) continue;
  const chain: string[] = [];
  for (let id: number | undefined = leaf.id; id !== undefined; id = parents.get(id)) chain.push(label(nodes.get(id)!));
  for (const wanted of names) {
    const at = chain.findIndex((entry) => entry.startsWith(wanted));
    if (at < 0) continue;
    const callers = chain.slice(at + 1, at + 5).join(" < ");
    const byCaller = inclusive.get(wanted) ?? new Map<string, number>();
    byCaller.set(callers, (byCaller.get(callers) ?? 0) + spentUs);
    inclusive.set(wanted, byCaller);
  }
}

const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const share = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
const each = (us: number) => (perOp && ops > 0 ? ` ${(us / ops).toFixed(2).padStart(6)} µs/op` : "");
console.log(
  `${file}: ${(totalUs / 1e6).toFixed(2)} s busy, ${(idleUs / 1e6).toFixed(2)} s idle${ops > 0 ? `, ${ops} journal records in the window` : ""}${each(totalUs)}`,
);
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${ms(us)} ${share(us)}${each(us)}  ${name}`);
}
for (const wanted of names) {
  const byCaller = inclusive.get(wanted);
  const sum = byCaller === undefined ? 0 : [...byCaller.values()].reduce((a, b) => a + b, 0);
  console.log(`\ninclusive ${wanted}: ${ms(sum).trim()} ${share(sum).trim()}${each(sum)}`);
  for (const [callers, us] of [...(byCaller ?? [])].sort((a, b) => b[1] - a[1]).slice(0, 6)) {
    console.log(`${ms(us)}  < ${callers}`);
  }
}
