/**
 * `npm run bench:forward`: what write forwarding adds to an order's round trip. Figures, not pass/fail. Needs
 * PostgreSQL (SAUDA_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
 *
 * Starts a leader and a follower of `sauda serve` on a fresh schema (the two-party market), then places
 * BENCH_FORWARD_ORDERS orders (default 1000) one at a time, each answered before the next, signed with API keys: in
 * rounds of 50, alternately straight to the leader and through the follower (so that both see the same load on this
 * shared machine). A sell and a buy at one price alternate, so the book stays small. It prints, for each path, the
 * round trip measured by the client (p50, p99, max) and the difference of the medians: the forwarding's cost (one
 * more HTTP hop on loopback, a kept-alive connection, the mark made and checked). 20 orders per path warm up first.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { dropSchema, testSchema } from "../test/support/postgres.ts";
import {
  openTwoPartyMarket,
  startNodeProcess,
  TwoPartyOrders,
  twoPartyMarket,
} from "../test/support/two-party-market.ts";

const ORDERS = Number(process.env.BENCH_FORWARD_ORDERS ?? 1000);
const ROUND = 50;
const WARM_UP = 20;
const INSTRUMENT = "PB-KAZGPZ-FORWARD";
const PRICE = 13_300_000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const schema = testSchema("forward_bench");
const base = mkdtempSync(join(tmpdir(), "sauda-forward-bench-"));
const keys = await openTwoPartyMarket(schema, join(base, "keys"), twoPartyMarket(INSTRUMENT));

const leader = startNodeProcess("leader", schema, base);
const leaderUrl = await leader.url;
const follower = startNodeProcess("follower", schema, base);
const followerUrl = await follower.url;
console.log(`leader ${leaderUrl}, follower ${followerUrl}; ${ORDERS} orders, one at a time, in rounds of ${ROUND}`);

const orders = new TwoPartyOrders(INSTRUMENT, keys);
/** One order through `url`, a sell and a buy in turn; its round trip in ms. */
async function order(url: string): Promise<number> {
  const member = orders.placed % 2 === 0 ? "P" : "B";
  const started = performance.now();
  const response = await orders.place(url, member, PRICE);
  await response.arrayBuffer();
  const elapsedMs = performance.now() - started;
  if (response.status !== 201) throw new Error(`order refused through ${url}: ${response.status}`);
  return elapsedMs;
}

try {
  for (let i = 0; i < WARM_UP; i++) {
    await order(leaderUrl);
    await order(followerUrl);
  }
  const direct: number[] = [];
  const forwarded: number[] = [];
  for (let done = 0; done < ORDERS; done += 2 * ROUND) {
    for (let i = 0; i < ROUND; i++) direct.push(await order(leaderUrl));
    for (let i = 0; i < ROUND; i++) forwarded.push(await order(followerUrl));
  }
  const line = (name: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(
      `${name.padEnd(22)} ${String(values.length).padStart(5)} orders  p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  max ${sorted.at(-1)!.toFixed(2)} ms`,
    );
    return percentile(sorted, 50);
  };
  const directP50 = line("straight to the leader", direct);
  const forwardedP50 = line("through the follower", forwarded);
  console.log(`forwarding adds ${(forwardedP50 - directP50).toFixed(2)} ms at the median`);
} finally {
  leader.child.kill("SIGTERM");
  follower.child.kill("SIGTERM");
  await Promise.all(
    [leader.child, follower.child].map((child) => new Promise((resolveExit) => child.once("exit", resolveExit))),
  );
  await dropSchema(schema);
}
