/**
 * The WebSocket while the read models load (Exchange `deferViews`): the upgrade is admitted (identity, restored first,
 * authenticates it), orders, amends and cancels sent on the socket are acknowledged once durable with `order` null (as
 * REST's acknowledgement meanwhile), and what reads the read models is refused with VIEWS_LOADING on the open socket:
 * subscriptions, and cancel-on-disconnect (in the `session` message, and in the upgrade's query with 503). A bad
 * signature is refused as always. Once the read models are loaded the orders show through the API and the same socket
 * subscribes. The load is held by a gate (`viewsGate`), so "while loading" is decided by the test, not by timing.
 */

import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { sign } from "../../src/gateway/signing.ts";
import { INSTRUMENT, type Json, TestServer } from "../support/server.ts";
import { gate } from "../support/view-fixtures.ts";

/** How long a test waits for a message before it fails (a guard against hangs, never part of an assertion). */
const WAIT_FAILURE_MS = 20_000;

/** A socket's messages, and the answer to a request by its id. */
class Client {
  private readonly messages: Json[] = [];
  private readonly waiters: { match: (message: Json) => boolean; resolve: (message: Json) => void }[] = [];
  private nextId = 1;

  constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as Json;
      const waiter = this.waiters.findIndex((w) => w.match(message));
      if (waiter >= 0) this.waiters.splice(waiter, 1)[0]!.resolve(message);
      else this.messages.push(message);
    });
  }

  next(match: (message: Json) => boolean): Promise<Json> {
    const index = this.messages.findIndex(match);
    if (index >= 0) return Promise.resolve(this.messages.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no matching message")), WAIT_FAILURE_MS);
      this.waiters.push({
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }

  request(message: Record<string, unknown>): Promise<Json> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ ...message, id }));
    return this.next((m) => (m.type === "ack" || m.type === "error") && m.id === id);
  }
}

/** Opens a socket signed with the key, or answers the upgrade's refusal (status and body). */
function connect(
  server: TestServer,
  key: { id: string; secret: string },
  timestampMs: number,
  query = "",
): Promise<Client | { status: number; body: Json }> {
  const path = `/api/stream${query}`;
  const socket = new WebSocket(`${server.url.replace("http://", "ws://")}${path}`, {
    headers: {
      "x-sauda-key": key.id,
      "x-sauda-timestamp": String(timestampMs),
      "x-sauda-signature": sign(key.secret, timestampMs, "GET", path, ""),
    },
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(new Client(socket)));
    socket.once("unexpected-response", (_request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(body) as Json }));
    });
    socket.once("error", reject);
  });
}

function order(clientOrderId: string, price: number) {
  return {
    op: "order.new",
    instrument: INSTRUMENT,
    account: "AKTAU-1",
    clientOrderId,
    side: "buy",
    type: "limit",
    price,
    quantity: 1000,
  };
}

let open: TestServer | null = null;
let held = gate();
let sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets) socket.terminate();
  sockets = [];
  held.release();
  await open?.close();
  open = null;
  held = gate();
});

describe("the WebSocket while the read models load", () => {
  it("orders are acknowledged durably; subscriptions are refused with VIEWS_LOADING, then work", async () => {
    const server = await TestServer.start();
    open = server;
    const key = { id: "ws-loading-key", secret: "ws-loading-secret" };
    await server.putApiKey({ ...key, user: "aktau-trader", scopes: ["read", "trade"] });
    const http = await server.apiKey("aktau-trader");
    const head = server.exchange.health().seq;
    await server.close();

    server.exchangeOptions = { deferViews: true, viewsGate: held.hold };
    await server.open();
    expect(server.exchange.viewsState).toBe("loading");
    expect(server.exchange.identityReady).toBe(true);

    const client = await connect(server, key, server.nowMs - 1);
    if (!(client instanceof Client)) throw new Error(`upgrade refused: ${JSON.stringify(client)}`);

    // What reads the read models is refused on the open socket.
    const book = await client.request({ op: "subscribe", channel: "book", instrument: INSTRUMENT });
    expect(book).toMatchObject({ type: "error", op: "subscribe", error: { code: "VIEWS_LOADING" } });
    const orders = await client.request({ op: "subscribe", channel: "orders", account: "AKTAU-1" });
    expect(orders).toMatchObject({ type: "error", op: "subscribe", error: { code: "VIEWS_LOADING" } });
    const guard = await client.request({ op: "session", cancelOnDisconnect: true });
    expect(guard).toMatchObject({ type: "error", op: "session", error: { code: "VIEWS_LOADING" } });

    // Order entry is acknowledged once durable, without the read model's copy of the order. Each batch is heard at
    // once, though the read models keep it for later (the streams' backpressure reads paused sockets again on it).
    let batchesHeard = 0;
    server.exchange.onBatchDurable(() => {
      batchesHeard += 1;
    });
    const placed = await client.request(order("ws-1", 13_000_000));
    expect(placed).toEqual({
      type: "ack",
      id: placed.id,
      op: "order.new",
      seq: head + 1,
      order: null,
      trades: [],
      duplicate: false,
    });
    const second = await client.request(order("ws-2", 12_900_000));
    expect(second).toMatchObject({ type: "ack", seq: head + 2, order: null });
    const amended = await client.request({
      op: "order.amend",
      account: "AKTAU-1",
      clientOrderId: "ws-2",
      price: 12_800_000,
    });
    expect(amended, JSON.stringify(amended)).toMatchObject({
      type: "ack",
      op: "order.amend",
      seq: head + 3,
      order: null,
    });
    const cancelled = await client.request({ op: "order.cancel", account: "AKTAU-1", clientOrderId: "ws-2" });
    expect(cancelled).toMatchObject({ type: "ack", op: "order.cancel", seq: head + 4, order: null });
    const foreign = await client.request({ ...order("ws-3", 13_000_000), account: "KAZGPZ-1" });
    expect(foreign).toMatchObject({ type: "error", error: { code: "FORBIDDEN_ACCOUNT" } });

    // Refused at the upgrade as always: a bad signature; and cancel-on-disconnect asked for in the query.
    const forged = await connect(server, { id: key.id, secret: "not-the-secret" }, server.nowMs - 2);
    expect(forged).toMatchObject({ status: 401, body: { error: { code: "AUTH_SIGNATURE_INVALID" } } });
    const guarded = await connect(server, key, server.nowMs - 3, "?cancelOnDisconnect=true");
    expect(guarded).toMatchObject({ status: 503, body: { error: { code: "VIEWS_LOADING" } } });

    // Durable: in the journal while the read models are still held.
    const written = await server.exchange.store.read(head + 1, 10);
    expect(written.map((record) => JSON.parse(record.command).type)).toEqual([
      "order.new",
      "order.new",
      "order.amend",
      "order.cancel",
    ]);
    expect(server.exchange.viewsState).toBe("loading");
    expect(batchesHeard).toBe(4);

    held.release();
    expect(await server.exchange.viewsReady()).toBe("ready");
    const shown = await http("GET", "/api/accounts/AKTAU-1/orders/ws-1");
    expect(shown.body.order).toMatchObject({ status: "resting", acceptedSeq: head + 1, openKg: 1000 });
    const gone = await http("GET", "/api/accounts/AKTAU-1/orders/ws-2", undefined, server.nowMs - 4);
    expect(gone.body.order).toMatchObject({ status: "cancelled", openKg: 0 });

    // The same socket subscribes now, and its orders are there.
    const ready = await client.request({ op: "subscribe", channel: "book", instrument: INSTRUMENT });
    expect(ready).toMatchObject({ type: "ack", op: "subscribe", channel: "book" });
    const snapshot = await client.next((m) => m.type === "snapshot" && m.channel === "book");
    expect(snapshot.bids).toEqual([{ priceTiynPerTonne: 13_000_000, quantityKg: 1000, orders: 1 }]);
    const after = await client.request(order("ws-4", 12_800_000));
    expect(after).toMatchObject({ type: "ack", seq: head + 5, order: { status: "resting", acceptedSeq: head + 5 } });
  });
});
