/**
 * The order acknowledgement on a WebSocket: the frame built as text is the JSON of the ack object, field for field and
 * in the same order; and the order in which a socket hears of its orders, which clients and streams.test.ts rely on:
 * acks come in the order the orders were sent, with rising seqs, and the update a batch makes on the socket's own
 * orders channel comes before the ack of any order in that batch (durable, then visible, then acknowledged).
 */

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { sign } from "../../src/gateway/signing.ts";
import { orderAckText } from "../../src/gateway/streams/connection.ts";
import type { AccountOrder } from "../../src/projections/index.ts";
import { INSTRUMENT, TestServer } from "../support/server.ts";

/** How long a test waits for a message before it fails (a guard against hangs, never part of an assertion). */
const WAIT_FAILURE_MS = 20_000;
/** Orders sent in one burst, so that several share a batch. */
const BURST_ORDERS = 40;

const ORDER: AccountOrder = {
  orderId: 'AKTAU-1~ws-"1"',
  instrument: INSTRUMENT,
  account: "AKTAU-1",
  side: "buy",
  orderType: "limit",
  tif: "GTC",
  expireAtMs: null,
  priceTiynPerTonne: 13_000_000,
  quantityKg: 3_000,
  openKg: 2_000,
  filledKg: 1_000,
  averageFillPriceTiynPerTonne: 13_000_000,
  status: "resting",
  cancelReason: null,
  cancelledKg: 0,
  amendments: 0,
  acceptedSeq: 7,
  acceptedMs: 1_700_000_000_000,
  updatedSeq: 9,
  updatedMs: 1_700_000_000_500,
} as unknown as AccountOrder;

describe("orderAckText", () => {
  const trades = [{ tradeId: "T-1", priceTiynPerTonne: 13_000_000, quantityKg: 1_000, aggressor: "buy" as const }];
  const cases = [
    { id: 0, op: "order.new", result: { seq: 1, order: ORDER, trades: [] }, duplicate: false },
    { id: Number.MAX_SAFE_INTEGER, op: "order.new", result: { seq: 12, order: ORDER, trades }, duplicate: true },
    { id: 'q"\\ü\u2028', op: "order.amend", result: { seq: 3, order: ORDER, trades }, duplicate: undefined },
    { id: "c-1", op: "order.cancel", result: { seq: 4, order: null, trades: [] }, duplicate: undefined },
  ] as const;
  it.each(cases)("is the JSON of the ack object (id $id, $op)", ({ id, op, result, duplicate }) => {
    const object =
      duplicate === undefined ? { type: "ack", id, op, ...result } : { type: "ack", id, op, ...result, duplicate };
    const text = orderAckText(id, op, { ...result, trades: [...result.trades] }, duplicate);
    expect(text).toBe(JSON.stringify(object));
    expect(JSON.parse(text)).toEqual(object);
  });
});

describe("the order of what a socket hears of its orders", () => {
  let server: TestServer;
  let sockets: WebSocket[] = [];
  beforeEach(async () => {
    server = await TestServer.start();
    sockets = [];
  });
  afterEach(async () => {
    for (const socket of sockets) socket.terminate();
    await server.close();
  });

  it("acks in the order sent with rising seqs, each after its batch's update of the orders channel", async () => {
    const secret = "ack-order-secret";
    await server.putApiKey({ id: "ack-order-key", user: "aktau-trader", secret, scopes: ["read", "trade"] });
    const timestampMs = server.nowMs - 1;
    const socket = new WebSocket(`${server.url.replace("http://", "ws://")}/api/stream`, {
      headers: {
        "x-sauda-key": "ack-order-key",
        "x-sauda-timestamp": String(timestampMs),
        "x-sauda-signature": sign(secret, timestampMs, "GET", "/api/stream", ""),
      },
    });
    sockets.push(socket);
    // biome-ignore lint/suspicious/noExplicitAny: messages are checked field by field with expect
    const messages: any[] = [];
    let wanted: { count: number; resolve: () => void } | null = null;
    socket.on("message", (data) => {
      const message = JSON.parse(String(data));
      messages.push(message);
      const acks = messages.filter((m) => m.type === "ack" || m.type === "error").length;
      if (wanted !== null && acks >= wanted.count) wanted.resolve();
    });
    const answers = (count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`fewer than ${count} answers: ${messages.length}`)),
          WAIT_FAILURE_MS,
        );
        wanted = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    const subscribed = answers(1);
    socket.send(JSON.stringify({ op: "subscribe", id: "sub", channel: "orders", account: "AKTAU-1" }));
    await subscribed;

    const burst = answers(1 + BURST_ORDERS);
    for (let i = 0; i < BURST_ORDERS; i++) {
      socket.send(
        JSON.stringify({
          op: "order.new",
          id: i,
          instrument: INSTRUMENT,
          account: "AKTAU-1",
          clientOrderId: `burst-${i}`,
          side: "buy",
          price: 13_000_000 - 100 * i,
          quantity: 1_000,
        }),
      );
    }
    await burst;

    const acks = messages.filter((m) => m.type === "ack" && m.op === "order.new");
    expect(acks.map((m) => m.id)).toEqual(Array.from({ length: BURST_ORDERS }, (_, i) => i));
    for (let i = 1; i < acks.length; i++) expect(acks[i].seq).toBeGreaterThan(acks[i - 1].seq);
    for (const ack of acks) {
      expect(ack.order).toMatchObject({ orderId: `AKTAU-1~burst-${ack.id}`, status: "resting" });
      const ackAt = messages.indexOf(ack);
      const updateAt = messages.findIndex(
        (m) =>
          m.type === "update" &&
          m.channel === "orders" &&
          m.orders.some((o: { orderId: string }) => o.orderId === ack.order.orderId),
      );
      // The update naming the order came first, and carried the seq of its batch, at or after the order's own.
      expect(updateAt).toBeGreaterThanOrEqual(0);
      expect(updateAt).toBeLessThan(ackAt);
      expect(messages[updateAt].seq).toBeGreaterThanOrEqual(ack.seq);
    }
  });
});
