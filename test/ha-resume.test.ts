/**
 * WebSocket resumption across nodes, the real thing on loopback: two `sauda serve` nodes on one PostgreSQL journal
 * (support/ha-node.ts). A client follows an instrument's trades on the follower, disconnects, trades happen while it is
 * away, and it subscribes again on the OTHER node (the leader) with `fromSeq` = the last seq it saw: the snapshot
 * holds exactly the trades it missed, the updates go on after them, and everything it received, in order, is every
 * trade of the journal after its first snapshot — no gap, no repeat. A resume on the follower from the same seq gives
 * the same trades. An order sent to the follower is forwarded to the leader and acknowledged (test/forwarding.test.ts
 * checks forwarding in full).
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Command } from "../src/engine/commands.ts";
import type { EngineEvent } from "../src/engine/events.ts";
import { PostgresStore } from "../src/journal/postgres-store.ts";
import { dropSchema, postgresForSuite, TEST_DATABASE_URL, testSchema } from "./support/postgres.ts";
import { openTwoPartyMarket, startNodeProcess, TwoPartyOrders, twoPartyMarket } from "./support/two-party-market.ts";

const INSTRUMENT = "PB-KAZGPZ-RESUME";
const PRICE = 13_300_000;

const SETUP: Command[] = twoPartyMarket(INSTRUMENT);

interface Trade {
  readonly seq: number;
  readonly tradeId: string;
}

/** A stream client that keeps every message it receives. */
class StreamClient {
  readonly messages: Record<string, unknown>[] = [];
  private readonly socket: WebSocket;
  readonly open: Promise<void>;

  constructor(url: string) {
    this.socket = new WebSocket(`${url.replace("http", "ws")}/api/stream`);
    this.socket.on("message", (data) => this.messages.push(JSON.parse(String(data))));
    this.open = new Promise((resolveOpen, reject) => {
      this.socket.once("open", () => resolveOpen());
      this.socket.once("error", reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  async snapshot(): Promise<{ seq: number; trades: Trade[]; fromSeq?: number }> {
    // Generous: the machine is shared, and a resume reads the journal (the default 1 s was missed under load).
    await expect
      .poll(() => this.messages.find((m) => m.type === "snapshot" || m.type === "error"), { timeout: 10_000 })
      .toBeDefined();
    const found = this.messages.find((m) => m.type === "snapshot" || m.type === "error")!;
    if (found.type === "error") throw new Error(`subscribe refused: ${JSON.stringify(found)}`);
    return found as never;
  }

  /** The trades of the updates received so far, in order. */
  updates(): Trade[] {
    return this.messages.filter((m) => m.type === "update").flatMap((m) => m.trades as Trade[]);
  }

  close(): void {
    this.socket.close();
  }
}

const run = await postgresForSuite("WebSocket resumption across nodes");
const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

describe.runIf(run)("WebSocket resumption across nodes", () => {
  it("a client resumes the trades stream on another node from the last seq it saw, with no gap and no repeat", async () => {
    const schema = testSchema("resume");
    schemas.push(schema);
    const base = mkdtempSync(join(tmpdir(), "sauda-resume-"));
    const keys = await openTwoPartyMarket(schema, join(base, "keys"), SETUP);

    const leaderNode = startNodeProcess("a", schema, base);
    const leaderUrl = await leaderNode.url;
    const followerNode = startNodeProcess("b", schema, base);
    const followerUrl = await followerNode.url;
    const nodes = [leaderNode, followerNode];
    try {
      expect(((await (await fetch(`${leaderUrl}/api/health`)).json()) as { role: string }).role).toBe("leader");
      expect(((await (await fetch(`${followerUrl}/api/health`)).json()) as { role: string }).role).toBe("follower");
      const orders = new TwoPartyOrders(INSTRUMENT, keys);
      const post = (url: string, member: "P" | "B", price = PRICE) => orders.place(url, member, price);
      const order = async (member: "P" | "B") => expect((await post(leaderUrl, member)).status).toBe(201);

      // A change sent to the follower is forwarded to the leader (a sell above every buy: it rests, trading nothing).
      const forwarded = await post(followerUrl, "P", PRICE + 100_000);
      expect(forwarded.status).toBe(201);
      /** `count` trades: a resting sell, then a buy that takes it. */
      const trade = async (count: number) => {
        for (let i = 0; i < count; i++) {
          await order("P");
          await order("B");
        }
      };

      // Following the trades on the follower.
      const first = new StreamClient(followerUrl);
      await first.open;
      first.send({ op: "subscribe", id: 1, channel: "trades", instrument: INSTRUMENT });
      const start = await first.snapshot();
      expect(start.trades).toEqual([]);
      await trade(3);
      await expect.poll(() => first.updates().length, { timeout: 10_000 }).toBe(3);
      const seen = first.updates();
      first.close();

      // Trades while the client is away; then it resumes on the leader from the last seq it saw.
      await trade(4);
      const lastSeen = seen[seen.length - 1]!.seq;
      const resumed = new StreamClient(leaderUrl);
      await resumed.open;
      resumed.send({ op: "subscribe", id: 2, channel: "trades", instrument: INSTRUMENT, fromSeq: lastSeen });
      const missed = await resumed.snapshot();
      expect(missed.fromSeq).toBe(lastSeen);
      expect(missed.trades).toHaveLength(4);
      expect(missed.trades.every((t) => t.seq > lastSeen && t.seq <= missed.seq)).toBe(true);
      await trade(2);
      await expect.poll(() => resumed.updates().length, { timeout: 10_000 }).toBe(2);
      expect(resumed.updates().every((t) => t.seq > missed.seq)).toBe(true);

      // The follower answers the same resume with the same trades, once it has applied them: it follows the leader's
      // journal on its own time, and a snapshot holds what the node has applied when it is asked.
      const head = resumed.updates().at(-1)!.seq;
      await expect
        .poll(async () => ((await (await fetch(`${followerUrl}/api/health`)).json()) as { seq: number }).seq, {
          timeout: 10_000,
        })
        .toBeGreaterThanOrEqual(head);
      const again = new StreamClient(followerUrl);
      await again.open;
      again.send({ op: "subscribe", id: 3, channel: "trades", instrument: INSTRUMENT, fromSeq: lastSeen });
      const missedOnFollower = await again.snapshot();
      expect(missedOnFollower.trades.slice(0, 4)).toEqual(missed.trades);

      // Everything received, in order, is every trade of the journal after the first snapshot.
      const received = [...seen, ...missed.trades, ...resumed.updates()];
      const store = await PostgresStore.open(TEST_DATABASE_URL, schema);
      const journal: Trade[] = [];
      try {
        for (const record of await store.read(start.seq + 1, 10_000)) {
          for (const event of JSON.parse(record.events) as EngineEvent[]) {
            if (event.type === "trade") journal.push({ seq: record.seq, tradeId: event.tradeId });
          }
        }
      } finally {
        await store.close();
      }
      expect(journal).toHaveLength(9);
      expect(received.map((t) => [t.seq, t.tradeId])).toEqual(journal.map((t) => [t.seq, t.tradeId]));
      resumed.close();
      again.close();
    } finally {
      for (const node of nodes) node.child.kill("SIGKILL");
    }
  }, 180_000);
});
