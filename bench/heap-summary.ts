/**
 * Summarises a V8 sampling heap profile (`.heapprofile`, e.g. the server's under `BENCH_SERVER_HEAP_PROF=DIR npm run
 * bench:server`, named `heap-PID-Nrecords.heapprofile` after the journal records of its window): bytes allocated by
 * function, largest first, and the call chains of the largest allocation sites.
 *
 *   node --import tsx bench/heap-summary.ts PROFILE [--top N] [--chains N] [--depth N]
 *
 * The sampler records one allocation per so many bytes on average and scales each sample back up, so the bytes are
 * estimates; read them as shares, and as bytes per record when the file name carries the record count. Bytes include
 * garbage collected since (that is the point: short-lived garbage is what the scavenger pays for).
 */

import { readFileSync } from "node:fs";

interface HeapNode {
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}

const args = process.argv.slice(2);
const file = args.shift();
if (file === undefined) {
  console.error("usage: heap-summary.ts PROFILE [--top N] [--chains N] [--depth N]");
  process.exit(2);
}
let top = 40;
let chains = 25;
let depth = 6;
while (args.length > 0) {
  const arg = args.shift()!;
  if (arg === "--top") top = Number(args.shift());
  else if (arg === "--chains") chains = Number(args.shift());
  else if (arg === "--depth") depth = Number(args.shift());
}
const records = Number(/-(\d+)records\.heapprofile$/.exec(file)?.[1] ?? "0");

const { head } = JSON.parse(readFileSync(file, "utf8")) as { head: HeapNode };

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\/.*?\/(src|bench|test)\//, "$1/")
    .replace(/^.*node_modules\//, "")
    .replace(/^node:internal\//, "node:");
}

function label(node: HeapNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || "(anonymous)"} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ""}`.trim();
}

const byFunction = new Map<string, number>();
const byChain = new Map<string, number>();
let total = 0;
const stack: string[] = [];
function walk(node: HeapNode): void {
  stack.push(label(node));
  if (node.selfSize > 0) {
    total += node.selfSize;
    const name = stack[stack.length - 1]!;
    byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
    const chain = stack.slice(-depth).reverse().join("\n      < ");
    byChain.set(chain, (byChain.get(chain) ?? 0) + node.selfSize);
  }
  for (const child of node.children) walk(child);
  stack.pop();
}
walk(head);

const each = (bytes: number) => (records > 0 ? ` ${(bytes / records).toFixed(0).padStart(6)} B/record` : "");
const share = (bytes: number) => `${((100 * bytes) / total).toFixed(1).padStart(5)}%`;
console.log(
  `${file}: ${(total / 1e6).toFixed(1)} MB sampled${records > 0 ? `, ${records} records` : ""}${each(total)}`,
);
for (const [name, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${share(bytes)}${each(bytes)}  ${name}`);
}
console.log("\nlargest allocation sites with their callers:");
for (const [chain, bytes] of [...byChain].sort((a, b) => b[1] - a[1]).slice(0, chains)) {
  console.log(`${share(bytes)}${each(bytes)}  ${chain}`);
}
