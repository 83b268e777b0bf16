/**
 * `npm run bench:fanout`: public market data fanned out by followers to many WebSocket subscribers. Figures, not
 * pass/fail. Needs PostgreSQL (SAUDA_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
 *
 * Starts a leader and BENCH_FANOUT_FOLLOWERS followers (default 2) of `sauda serve` on a fresh schema, then in steps
 * (BENCH_FANOUT_STEPS, default 1000,5000,10000 subscribers in all, split evenly over the followers) opens public
 * WebSocket connections to the followers, each subscribed to one instrument's trades, and at each step makes
 * BENCH_FANOUT_TRADES trades (default 50; a resting sell and a crossing buy through the leader's REST API, one pair at a
 * time). For every trade and subscriber it takes the delay from the trade's journal time (`timeMs`: its sequencing,
 * just before its batch is durable) to its arrival at the subscriber, and prints p50, p99 and max per step, with how
 * many subscribers received every trade. Subscribers connect from several loopback addresses (127.0.0.2, …), at most
 * 1,000 per address: the public connect rate is limited per address. All processes share this machine.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import type { Command } from "../src/engine/commands.ts";
import { dropSchema, testSchema } from "../test/support/postgres.ts";
import {
  openTwoPartyMarket,
  startNodeProcess,
  TwoPartyOrders,
  twoPartyMarket,
} from "../test/support/two-party-market.ts";

const FOLLOWERS = Number(process.env.BENCH_FANOUT_FOLLOWERS ?? 2);
const STEPS = (process.env.BENCH_FANOUT_STEPS ?? "1000,5000,10000").split(",").map(Number);
const TRADES = Number(process.env.BENCH_FANOUT_TRADES ?? 50);
const PER_ADDRESS_MAX = 1000;
const INSTRUMENT = "PB-KAZGPZ-FANOUT";
const PRICE = 13_300_000;

const SETUP: Command[] = twoPartyMarket(INSTRUMENT);

/** One subscriber: the delays (ms) of the trades it received, by trade id. */
interface Subscriber {
  readonly socket: WebSocket;
  readonly delaysMs: Map<string, number>;
}

function subscribe(url: string, localAddress: string): Promise<Subscriber> {
  return new Promise((resolveSubscriber, reject) => {
    const socket = new WebSocket(`${url.replace("http", "ws")}/api/stream`, { localAddress });
    const delaysMs = new Map<string, number>();
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        trades?: { tradeId: string; timeMs: number }[];
      };
      if (message.type === "snapshot") resolveSubscriber({ socket, delaysMs });
      else if (message.type === "update") {
        const now = Date.now();
        for (const trade of message.trades ?? []) delaysMs.set(trade.tradeId, now - trade.timeMs);
      } else if (message.type === "error") reject(new Error(JSON.stringify(message)));
    });
    socket.once("open", () =>
      socket.send(JSON.stringify({ op: "subscribe", channel: "trades", instrument: INSTRUMENT })),
    );
    socket.once("error", reject);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const schema = testSchema("fanout");
const base = mkdtempSync(join(tmpdir(), "sauda-fanout-"));
const keys = await openTwoPartyMarket(schema, join(base, "keys"), SETUP);

const leader = startNodeProcess("leader", schema, base);
const leaderUrl = await leader.url;
const followers = Array.from({ length: FOLLOWERS }, (_, i) => startNodeProcess(`follower${i}`, schema, base));
const followerUrls = await Promise.all(followers.map((node) => node.url));
console.log(`leader ${leaderUrl}, followers ${followerUrls.join(", ")}`);

const orders = new TwoPartyOrders(INSTRUMENT, keys);
async function order(member: "P" | "B"): Promise<void> {
  const response = await orders.place(leaderUrl, member, PRICE);
  if (response.status !== 201) throw new Error(`order refused: ${response.status} ${await response.text()}`);
}

const subscribers: Subscriber[] = [];
try {
  for (const total of STEPS) {
    const connectStarted = performance.now();
    while (subscribers.length < total) {
      const batch: Promise<Subscriber>[] = [];
      for (let i = 0; i < 200 && subscribers.length + batch.length < total; i++) {
        const n = subscribers.length + batch.length;
        const address = `127.0.0.${2 + Math.floor(n / PER_ADDRESS_MAX)}`;
        batch.push(subscribe(followerUrls[n % FOLLOWERS]!, address));
      }
      subscribers.push(...(await Promise.all(batch)));
    }
    const connectMs = performance.now() - connectStarted;
    for (const subscriber of subscribers) subscriber.delaysMs.clear();
    const tradeIds = new Set<string>();
    const tradesStarted = performance.now();
    for (let i = 0; i < TRADES; i++) {
      await order("P");
      await order("B");
    }
    // Wait (at most 30 s) for every subscriber to have every trade.
    const deadline = Date.now() + 30_000;
    for (;;) {
      for (const subscriber of subscribers) for (const id of subscriber.delaysMs.keys()) tradeIds.add(id);
      const complete = subscribers.filter((s) => s.delaysMs.size >= TRADES).length;
      if (complete === subscribers.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const tradesMs = performance.now() - tradesStarted;
    const delays = subscribers.flatMap((s) => [...s.delaysMs.values()]).sort((a, b) => a - b);
    const complete = subscribers.filter((s) => s.delaysMs.size >= TRADES).length;
    const memory = process.memoryUsage().rss;
    console.log(
      `${total} subscribers on ${FOLLOWERS} follower(s) (connected in ${(connectMs / 1000).toFixed(1)} s): ` +
        `${TRADES} trades in ${(tradesMs / 1000).toFixed(1)} s, ${delays.length} deliveries, ` +
        `${complete}/${subscribers.length} subscribers got all ${Math.min(TRADES, tradeIds.size)}; ` +
        `delay from the trade's journal time to arrival: p50 ${percentile(delays, 50)} ms, p99 ${percentile(delays, 99)} ms, ` +
        `max ${delays[delays.length - 1] ?? Number.NaN} ms (bench process ${(memory / 2 ** 20).toFixed(0)} MiB)`,
    );
  }
} finally {
  for (const subscriber of subscribers) subscriber.socket.terminate();
  leader.child.kill("SIGKILL");
  for (const follower of followers) follower.child.kill("SIGKILL");
  await dropSchema(schema).catch(() => undefined);
}
process.exit(0);
