/**
 * The young generation `sauda serve` runs with. Node 20 gives V8 16 MB semi-spaces: at tens of thousands of orders a
 * second the server then scavenges every 1,400 records or so, and a third of its main thread's CPU goes to garbage
 * collection. With `node --max-semi-space-size=64` (what `npm start` and bin/sauda.js's first line pass) it scavenges
 * about a quarter as often (bench:server, bench:core: docs/operations.md, "The young generation"). V8 sizes the heap
 * when the process starts, so the flag must be on node's command line or in NODE_OPTIONS; `serve` says which it got.
 */

/** The semi-space size (MB) `npm start` and bin/sauda.js give node. */
export const SEMI_SPACE_MB = 64;

/**
 * The semi-space size in MB given to this node, or null: NODE_OPTIONS is read before the command line, so the command
 * line's flag wins, and of several the last one given counts (as node does).
 */
export function semiSpaceMb(execArgv: readonly string[], nodeOptions: string | undefined): number | null {
  const given = [nodeOptions ?? "", ...execArgv].join(" ");
  let found: number | null = null;
  for (const match of given.matchAll(/--max[-_]semi[-_]space[-_]size(?:=|\s+)(\d+)\b/g)) found = Number(match[1]);
  return found;
}

/** The line `sauda serve` logs about it. */
export function youngGenerationLine(mb: number | null): string {
  if (mb !== null) return `heap: young generation with semi-spaces of ${mb} MB (--max-semi-space-size=${mb})`;
  return (
    `heap: node's default young generation (16 MB semi-spaces); start node with --max-semi-space-size=${SEMI_SPACE_MB}, ` +
    `as npm start does, for a quarter of the collections (docs/operations.md, "The young generation")`
  );
}
