/**
 * WebSocket streams over real sockets on loopback: public market data after REST orders, private channels only for
 * their owners, order entry with durable acks and coded rejections, CSRF for cookie sockets, cancel-on-disconnect,
 * and the limits at their limit (subscriptions, order rate, frame size, send queue, journal backlog).
 *
 * Absence is shown without waiting on a timer: updates of a batch are written to every socket before the REST
 * response (or WS ack) of any command in it, and a socket delivers in order, so once a `ping` sent afterwards is
 * answered, anything that was going to arrive has arrived.
 */

import { EventEmitter } from "node:events";
import type { FastifyRequest } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Authenticator } from "../../src/gateway/auth.ts";
import type { RouteContext } from "../../src/gateway/context.ts";
import { sign } from "../../src/gateway/signing.ts";
import { StreamConnection } from "../../src/gateway/streams/connection.ts";
import { StreamHub } from "../../src/gateway/streams/hub.ts";
import {
  CLOSE_SLOW_CONSUMER,
  ORDERS_PER_SECOND_MAX,
  SEND_BUFFER_BYTES_MAX,
  SEQUENCER_BACKLOG_PAUSE_COMMANDS,
  SUBSCRIPTIONS_PER_CONNECTION_MAX,
} from "../../src/gateway/streams/protocol.ts";
import type { Scope } from "../../src/gateway/users.ts";
import { INSTRUMENT, type Session, TERMS, TestServer } from "../support/server.ts";

/** How long a test waits for a message before it fails (a guard against hangs, never part of an assertion). */
const WAIT_FAILURE_MS = 10_000;

// biome-ignore lint/suspicious/noExplicitAny: messages are checked field by field with expect
type Message = any;

/** A WebSocket client that keeps every message and lets a test wait for the next one that matches. */
class Client {
  readonly messages: Message[] = [];
  private readonly waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  private consumed = new Set<number>();
  private nextId = 1;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data));
      const index = this.messages.push(message) - 1;
      const waiter = this.waiters.findIndex((w) => w.match(message));
      if (waiter >= 0) {
        this.consumed.add(index);
        this.waiters.splice(waiter, 1)[0]!.resolve(message);
      }
    });
    this.closed = new Promise((resolve) =>
      socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<Client> {
    const socket = new WebSocket(url, { headers });
    const client = new Client(socket);
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(client));
      socket.once("unexpected-response", (_request, response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => {
          body += chunk;
        });
        response.on("end", () => reject(new Refused(response.statusCode ?? 0, JSON.parse(body))));
      });
      socket.once("error", reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** The first message not yet taken that matches (already received, or the next to arrive). */
  next(match: (m: Message) => boolean): Promise<Message> {
    const index = this.messages.findIndex((m, i) => !this.consumed.has(i) && match(m));
    if (index >= 0) {
      this.consumed.add(index);
      return Promise.resolve(this.messages[index]);
    }
    // The timer only turns a hang into a readable failure; no outcome depends on it.
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching message; received: ${JSON.stringify(this.messages).slice(-2000)}`)),
        WAIT_FAILURE_MS,
      );
      this.waiters.push({
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }

  /** Sends a request with a fresh id and waits for its ack or error. */
  async request(message: Record<string, unknown>): Promise<Message> {
    const id = this.nextId++;
    this.send({ ...message, id });
    return this.next((m) => (m.type === "ack" || m.type === "error") && m.id === id);
  }

  /** Waits for a subscription's snapshot. */
  async subscribe(message: Record<string, unknown>): Promise<Message> {
    const ack = await this.request({ op: "subscribe", ...message });
    expect(ack.type, JSON.stringify(ack)).toBe("ack");
    return this.next((m) => m.type === "snapshot" && m.channel === message.channel);
  }

  update(channel: string, match: (m: Message) => boolean = () => true): Promise<Message> {
    return this.next((m) => m.type === "update" && m.channel === channel && match(m));
  }

  /** Everything received before the answer to a ping sent now. */
  async settle(): Promise<Message[]> {
    const id = `settle-${this.nextId++}`;
    this.send({ op: "ping", id });
    await this.next((m) => m.type === "pong" && m.id === id);
    return this.messages;
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }
}

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly body: Message,
  ) {
    super(`upgrade refused with ${status}`);
  }
}

let server: TestServer;
let clients: Client[] = [];
let keyCount = 0;
let signatureCount = 0;

beforeEach(async () => {
  server = await TestServer.start();
  clients = [];
});
afterEach(async () => {
  for (const client of clients) client.socket.terminate();
  await server.close();
});

function wsUrl(query = ""): string {
  return `${server.url.replace("http://", "ws://")}/api/stream${query}`;
}

async function connect(query = "", headers: Record<string, string> = {}): Promise<Client> {
  const client = await Client.open(wsUrl(query), headers);
  clients.push(client);
  return client;
}

function connectAs(session: Session, query = ""): Promise<Client> {
  return connect(query, { cookie: session.cookie });
}

/** A key for a user, and a connect signed with it (each connect a fresh timestamp, so no signature repeats). */
async function connectWithKey(user: string, query = "", scopes: readonly Scope[] = ["read", "trade"]) {
  const id = `ws-key-${++keyCount}`;
  const secret = `ws-secret-${keyCount}`;
  await server.putApiKey({ id, user, secret, scopes });
  const timestampMs = server.nowMs - ++signatureCount;
  const path = `/api/stream${query}`;
  return connect(query, {
    "x-sauda-key": id,
    "x-sauda-timestamp": String(timestampMs),
    "x-sauda-signature": sign(secret, timestampMs, "GET", path, ""),
  });
}

const ORDER = { instrument: INSTRUMENT, type: "limit" } as const;

function sell(clientOrderId: string, price: number, quantity: number) {
  return { ...ORDER, account: "KAZGPZ-1", clientOrderId, side: "sell", price, quantity };
}

function buy(account: string, clientOrderId: string, price: number, quantity: number) {
  return { ...ORDER, account, clientOrderId, side: "buy", price, quantity };
}

describe("public channels", () => {
  it("book, trades and quote follow orders placed over REST", async () => {
    const watcher = await connect();
    const book = await watcher.subscribe({ channel: "book", instrument: INSTRUMENT, depth: 5 });
    expect(book).toMatchObject({ instrument: INSTRUMENT, depth: 5, bids: [], asks: [] });
    const tape = await watcher.subscribe({ channel: "trades", instrument: INSTRUMENT });
    expect(tape.trades).toEqual([]);
    const quote = await watcher.subscribe({ channel: "quote", instrument: INSTRUMENT });
    expect(quote.quote).toMatchObject({ phase: "continuous", bestBid: null, bestAsk: null });

    const seller = await server.login("kazgpz-trader");
    const offer = await server.call(seller, "POST", "/api/orders", sell("offer-1", 13_300_000, 20_000));
    expect(offer.status).toBe(201);
    const offered = await watcher.update("book");
    expect(offered).toMatchObject({
      seq: offer.body.seq,
      asks: [{ priceTiynPerTonne: 13_300_000, quantityKg: 20_000, orders: 1 }],
      bids: [],
    });
    expect((await watcher.update("quote")).quote.bestAsk).toEqual({
      priceTiynPerTonne: 13_300_000,
      quantityKg: 20_000,
      orders: 1,
    });

    const buyer = await server.login("aktau-trader");
    const bid = await server.call(buyer, "POST", "/api/orders", buy("AKTAU-1", "bid-1", 13_400_000, 5_000));
    expect(bid.status).toBe(201);
    const traded = await watcher.update("trades");
    expect(traded.trades).toEqual([
      {
        seq: bid.body.seq,
        timeMs: server.nowMs,
        tradeId: `T-${INSTRUMENT}-S1-1`,
        instrument: INSTRUMENT,
        priceTiynPerTonne: 13_300_000,
        quantityKg: 5_000,
        aggressor: "buy",
      },
    ]);
    expect((await watcher.update("book")).asks).toEqual([
      { priceTiynPerTonne: 13_300_000, quantityKg: 15_000, orders: 1 },
    ]);
    expect((await watcher.update("quote")).quote).toMatchObject({
      lastPriceTiynPerTonne: 13_300_000,
      lastQuantityKg: 5_000,
    });

    // A trade that stands sends no void correction (its obligation's creation is not a void).
    expect((await watcher.settle()).filter((m) => m.type === "void")).toEqual([]);

    // A late subscriber starts from a snapshot with the same state.
    const late = await connect();
    expect((await late.subscribe({ channel: "trades", instrument: INSTRUMENT })).trades).toEqual(traded.trades);
    expect((await late.subscribe({ channel: "book", instrument: INSTRUMENT })).asks).toEqual([
      { priceTiynPerTonne: 13_300_000, quantityKg: 15_000, orders: 1 },
    ]);
  });

  it("a voided trade: the trades channel sends a void correction, the quote's last price falls back, late tapes mark it", async () => {
    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("aktau-trader");
    expect((await server.call(seller, "POST", "/api/orders", sell("v-1", 13_300_000, 10_000))).status).toBe(201);
    const first = await server.call(buyer, "POST", "/api/orders", buy("AKTAU-1", "vb-1", 13_300_000, 5_000));
    const second = await server.call(buyer, "POST", "/api/orders", buy("AKTAU-1", "vb-2", 13_300_000, 5_000));
    expect([first.status, second.status]).toEqual([201, 201]);
    const tradeId = second.body.trades[0].tradeId as string;
    const watcher = await connect();
    await watcher.subscribe({ channel: "trades", instrument: INSTRUMENT });
    await watcher.subscribe({ channel: "quote", instrument: INSTRUMENT });
    const operator = await server.login("operator");
    server.nowMs += 60_000;
    const voided = await server.call(operator, "POST", `/api/admin/trades/${tradeId}/void`, {
      reason: "entry software",
      rule: "Rulebook 4.2",
    });
    expect(voided.status).toBe(200);
    const correction = await watcher.next((m) => m.type === "void" && m.channel === "trades");
    expect(correction).toEqual({
      type: "void",
      channel: "trades",
      seq: server.exchange.projections.lastSeq,
      instrument: INSTRUMENT,
      tradeId,
      voided: {
        seq: server.exchange.projections.lastSeq,
        timeMs: server.nowMs,
        reason: "entry software",
        rule: "Rulebook 4.2",
      },
    });
    // The quote still shows 133,000 (the first trade stands), and a late subscriber's tape marks the voided one.
    expect((await watcher.update("quote")).quote).toMatchObject({ lastPriceTiynPerTonne: 13_300_000 });
    const late = await connect();
    const tape = (await late.subscribe({ channel: "trades", instrument: INSTRUMENT })).trades;
    expect(tape.map((t: { tradeId: string; voided?: unknown }) => [t.tradeId, t.voided !== undefined])).toEqual([
      [first.body.trades[0].tradeId, false],
      [tradeId, true],
    ]);
    // A client resuming after both trades (it had them) gets an empty snapshot and then the correction it missed.
    const resumed = await connect();
    const after = await resumed.subscribe({ channel: "trades", instrument: INSTRUMENT, fromSeq: second.body.seq });
    expect([after.fromSeq, after.trades]).toEqual([second.body.seq, []]);
    expect(await resumed.next((m) => m.type === "void")).toMatchObject({
      seq: after.seq,
      tradeId,
      voided: { reason: "entry software", rule: "Rulebook 4.2" },
    });
    // One resuming from before them reads both from the journal, the voided one marked, and needs no correction.
    const earlier = await connect();
    const before = await earlier.subscribe({ channel: "trades", instrument: INSTRUMENT, fromSeq: first.body.seq - 1 });
    expect(
      before.trades.map((t: { tradeId: string; voided?: { rule: string } }) => [t.tradeId, t.voided?.rule]),
    ).toEqual([
      [first.body.trades[0].tradeId, undefined],
      [tradeId, "Rulebook 4.2"],
    ]);
    expect((await earlier.settle()).some((m) => m.type === "void")).toBe(false);
  });

  it("refuses at once a resume from beyond the journal's last record, on the leader", async () => {
    const client = await connect();
    const head = server.exchange.engine.lastSeq;
    const refused = await client.request({
      op: "subscribe",
      channel: "trades",
      instrument: INSTRUMENT,
      fromSeq: head + 1_000,
    });
    expect([refused.type, refused.error.code, refused.error.message]).toEqual([
      "error",
      "REQUEST_INVALID",
      `The request is not valid: fromSeq ${head + 1_000} is beyond the journal's last record (${head}).`,
    ]);
    // Its last record itself is a resume point: nothing after it yet.
    expect((await client.subscribe({ channel: "trades", instrument: INSTRUMENT, fromSeq: head })).trades).toEqual([]);
  });

  it("phase (halts), safeguards with the band in force, and the indicative auction price", async () => {
    const watcher = await connect();
    const phases = await watcher.subscribe({ channel: "phase" });
    expect(phases.instruments).toMatchObject([{ instrument: INSTRUMENT, phase: "continuous", mode: "continuous" }]);
    const guards = await watcher.subscribe({ channel: "safeguards", instrument: INSTRUMENT });
    expect(guards).toMatchObject({ band: null, bandReferenceTiynPerTonne: 13_300_000, halted: false });
    await watcher.subscribe({ channel: "quote", instrument: INSTRUMENT });

    const exchange = server.exchange;
    await exchange.submit({
      type: "safeguards.set",
      instrument: INSTRUMENT,
      changes: { bandBps: 1000, ceiling: 14_000_000 },
      reason: "winter band",
    });
    const banded = await watcher.update("safeguards");
    // ±10% around 13,300,000 on a tick of 100 (11,970,000..14,630,000), clipped to the ceiling; the engine checks
    // orders against the same band.
    expect(banded).toMatchObject({
      band: { lowTiynPerTonne: 11_970_000, highTiynPerTonne: 14_000_000 },
      safeguards: { bandBps: 1000, ceilingTiynPerTonne: 14_000_000 },
      change: { reason: "winter band" },
    });
    const engineBand = exchange.engine.market(INSTRUMENT)!.band()!;
    expect([banded.band.lowTiynPerTonne, banded.band.highTiynPerTonne]).toEqual([engineBand.low, engineBand.high]);

    await exchange.submit({ type: "halt", scope: "instrument", instrument: INSTRUMENT, reason: "pipeline incident" });
    const halted = await watcher.update("phase");
    expect(halted).toMatchObject({
      instrument: INSTRUMENT,
      phase: "halted",
      change: { from: "continuous", to: "halted", reason: "pipeline incident" },
    });
    expect((await watcher.update("safeguards")).halted).toBe(true);

    await exchange.submit({ type: "resume", scope: "instrument", instrument: INSTRUMENT, reason: "repaired" });
    const resumed = await watcher.update("phase", (m) => m.phase === "collection");
    expect(resumed.change).toMatchObject({ from: "halted", to: "collection", reason: "repaired" });

    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("aktau-trader");
    await server.call(seller, "POST", "/api/orders", sell("a-1", 13_200_000, 10_000));
    await server.call(buyer, "POST", "/api/orders", buy("AKTAU-1", "a-2", 13_500_000, 6_000));
    const crossed = await watcher.update("quote", (m) => m.quote.bestBid !== null);
    expect(crossed.quote.phase).toBe("collection");
    expect(crossed.quote.indicative).toMatchObject({ volumeKg: 6_000, surplusKg: 4_000, surplusSide: "sell" });
    expect(crossed.quote.indicative.priceTiynPerTonne).toBe(13_200_000);
  });

  it("refuses unknown instruments, private channels without sign-in, and bad messages with codes", async () => {
    const anonymous = await connect();
    const unknown = await anonymous.request({ op: "subscribe", channel: "book", instrument: "NOPE" });
    expect(unknown.error.code).toBe("INSTRUMENT_NOT_FOUND");
    const secret = await anonymous.request({ op: "subscribe", channel: "fills", account: "AKTAU-1" });
    expect(secret.error.code).toBe("AUTH_REQUIRED");
    const order = await anonymous.request({ op: "order.new", ...buy("AKTAU-1", "x", 13_000_000, 1000) });
    expect(order.error.code).toBe("AUTH_REQUIRED");
    const extra = await anonymous.request({ op: "ping", extra: 1 });
    expect(extra.error).toMatchObject({
      code: "REQUEST_INVALID",
      details: {
        reason: "message must NOT have additional properties ('extra')",
        keyword: "additionalProperties",
        part: "message",
        field: "extra",
      },
    });
    const noChannel = await anonymous.request({ op: "subscribe", channel: "nochan" });
    expect([noChannel.error.code, noChannel.error.message]).toEqual([
      "REQUEST_INVALID",
      'The field "channel" must be one of: "book", "trades", "quote", "phase", "safeguards", "orders", "fills", "balances", "obligations", "surveillance", "notifications" (sent: "nochan").',
    ]);
    const noInstrument = await anonymous.request({ op: "subscribe", channel: "book" });
    expect(noInstrument.error.details.reason).toBe("channel 'book' needs an instrument");
    anonymous.send("{not json");
    expect((await anonymous.next((m) => m.type === "error" && m.id === null)).error.code).toBe("REQUEST_INVALID");
    const op = await anonymous.request({ op: "order.mass" });
    expect(op.error.code).toBe("COMMAND_UNKNOWN");
  });
});

describe("private channels", () => {
  it("fills, orders and balances reach the owner only; another member sees nothing and may not subscribe", async () => {
    const aktau = await connectAs(await server.login("aktau-trader"));
    const atyrau = await connectAs(await server.login("atyrau-trader"));
    expect((await aktau.subscribe({ channel: "fills", account: "AKTAU-1" })).fills).toEqual([]);
    await aktau.subscribe({ channel: "orders", account: "AKTAU-1" });
    const balances = await aktau.subscribe({ channel: "balances", account: "AKTAU-1" });
    expect(balances.balances).toEqual([
      {
        asset: "KZT",
        unit: "tiyn",
        free: "50000000000",
        blockedForOrders: "0",
        blockedForObligations: "0",
        total: "50000000000",
      },
    ]);
    await atyrau.subscribe({ channel: "fills", account: "ATYRAU-1" });
    await atyrau.subscribe({ channel: "orders", account: "ATYRAU-1" });
    await atyrau.subscribe({ channel: "balances", account: "ATYRAU-1" });
    const refused = await atyrau.request({ op: "subscribe", channel: "fills", account: "AKTAU-1" });
    expect(refused.error).toMatchObject({ code: "FORBIDDEN_ACCOUNT", details: { account: "AKTAU-1" } });

    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("aktau-trader");
    await server.call(seller, "POST", "/api/orders", sell("s-1", 13_300_000, 10_000));
    const bid = await server.call(buyer, "POST", "/api/orders", buy("AKTAU-1", "b-1", 13_300_000, 4_000));
    expect(bid.status).toBe(201);

    const fills = await aktau.update("fills");
    expect(fills).toMatchObject({ account: "AKTAU-1", seq: bid.body.seq });
    expect(fills.fills).toEqual([
      {
        seq: bid.body.seq,
        timeMs: server.nowMs,
        tradeId: `T-${INSTRUMENT}-S1-1`,
        orderId: "AKTAU-1~b-1",
        instrument: INSTRUMENT,
        account: "AKTAU-1",
        side: "buy",
        priceTiynPerTonne: 13_300_000,
        quantityKg: 4_000,
        liquidity: "taker",
      },
    ]);
    const orders = await aktau.update("orders");
    expect(orders.orders).toMatchObject([{ orderId: "AKTAU-1~b-1", status: "filled", filledKg: 4_000, openKg: 0 }]);
    // 4 t at 13,300,000 = 53,200,000 tiyn; collateral 5% (2,660,000) and fee 0.05% (26,600) stay blocked.
    const moved = await aktau.update("balances");
    expect(moved.balances).toEqual([
      {
        asset: "KZT",
        unit: "tiyn",
        free: String(50_000_000_000 - 2_660_000 - 26_600),
        blockedForOrders: "0",
        blockedForObligations: "2686600",
        total: "50000000000",
      },
    ]);

    const seen = await atyrau.settle();
    expect(seen.filter((m) => m.type === "update")).toEqual([]);
  });

  it("obligations follow the trade and its payment for both sides, and the operator may read any account", async () => {
    const operator = await connectAs(await server.login("operator"));
    expect((await operator.subscribe({ channel: "obligations", account: "AKTAU-1" })).obligations).toEqual([]);
    const missing = await operator.request({ op: "subscribe", channel: "fills", account: "NOBODY-1" });
    expect(missing.error.code).toBe("ACCOUNT_NOT_FOUND");
    const viewer = await connectAs(await server.login("aktau-viewer"));
    await viewer.subscribe({ channel: "obligations", account: "AKTAU-1" });

    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("aktau-trader");
    await server.call(seller, "POST", "/api/orders", sell("s-1", 13_300_000, 2_000));
    await server.call(buyer, "POST", "/api/orders", buy("AKTAU-1", "b-1", 13_300_000, 2_000));
    const created = await operator.update("obligations");
    expect(created.obligations).toMatchObject([
      { buyer: "AKTAU-1", seller: "KAZGPZ-1", valueTiyn: 26_600_000, status: "open", paid: false },
    ]);
    const id = created.obligations[0].id;
    expect((await viewer.update("obligations")).obligations).toEqual(created.obligations);

    await server.exchange.submit({ type: "obligation.confirmPayment", obligation: id });
    expect((await operator.update("obligations")).obligations).toMatchObject([{ id, paid: true, status: "open" }]);
  });
});

describe("order entry over WebSocket", () => {
  it("acks a new order after it is durable, with the same body as REST; rejections carry the engine's code", async () => {
    const trader = await connectWithKey("aktau-trader");
    await trader.subscribe({ channel: "orders", account: "AKTAU-1" });
    const ack = await trader.request({ op: "order.new", ...buy("AKTAU-1", "ws-1", 13_000_000, 3_000) });
    expect(ack).toMatchObject({
      type: "ack",
      op: "order.new",
      duplicate: false,
      trades: [],
      order: { orderId: "AKTAU-1~ws-1", status: "resting", openKg: 3_000, priceTiynPerTonne: 13_000_000 },
    });
    // Durable: the journal holds the command at the acknowledged seq.
    const [record] = await server.exchange.store.read(ack.seq, 1);
    expect(JSON.parse(record!.command)).toMatchObject({ type: "order.new", orderId: "AKTAU-1~ws-1" });
    expect(JSON.parse(record!.meta)).toMatchObject({ actor: expect.stringMatching(/^aktau-trader \(key ws-key-/) });
    expect((await trader.update("orders")).orders).toMatchObject([{ orderId: "AKTAU-1~ws-1", status: "resting" }]);

    const again = await trader.request({ op: "order.new", ...buy("AKTAU-1", "ws-1", 13_000_000, 3_000) });
    expect([again.type, again.duplicate, again.order.orderId]).toEqual(["ack", true, "AKTAU-1~ws-1"]);

    const amended = await trader.request({
      op: "order.amend",
      account: "AKTAU-1",
      clientOrderId: "ws-1",
      quantity: 2_000,
    });
    expect(amended.order).toMatchObject({ openKg: 2_000, amendments: 1 });
    const cancelled = await trader.request({ op: "order.cancel", account: "AKTAU-1", clientOrderId: "ws-1" });
    expect(cancelled.order).toMatchObject({ status: "cancelled", cancelReason: "requested", cancelledKg: 2_000 });

    const offTick = await trader.request({ op: "order.new", ...buy("AKTAU-1", "ws-2", 13_000_050, 1_000) });
    expect(offTick).toMatchObject({
      type: "error",
      op: "order.new",
      error: {
        code: "ORDER_PRICE_OFF_TICK",
        message: "Price 13000050 is not a multiple of the tick size 100.",
        details: { value: 13_000_050, tick: 100 },
      },
    });
    expect(offTick.seq).toBeGreaterThan(cancelled.seq);
    const gone = await trader.request({ op: "order.cancel", account: "AKTAU-1", clientOrderId: "ws-1" });
    expect(gone.error.code).toBe("ORDER_NOT_RESTING");
    const poor = await trader.request({ op: "order.new", ...buy("AKTAU-1", "ws-3", 13_000_000, 1_000_000_000) });
    expect(poor.error.code).toBe("RISK_INSUFFICIENT_FUNDS");
  });

  it("refuses other members' accounts, viewers, read-only keys and bad signatures", async () => {
    const atyrau = await connectWithKey("atyrau-trader");
    const steal = await atyrau.request({ op: "order.new", ...buy("AKTAU-1", "steal", 13_000_000, 1_000) });
    expect(steal.error).toMatchObject({ code: "FORBIDDEN_ACCOUNT", details: { account: "AKTAU-1" } });
    const cancel = await atyrau.request({ op: "order.cancel", account: "AKTAU-1", clientOrderId: "any" });
    expect(cancel.error.code).toBe("FORBIDDEN_ACCOUNT");
    const read = await atyrau.request({ op: "subscribe", channel: "balances", account: "AKTAU-1" });
    expect(read.error.code).toBe("FORBIDDEN_ACCOUNT");

    const viewer = await connectAs(await server.login("aktau-viewer"));
    const watch = await viewer.request({ op: "order.new", ...buy("AKTAU-1", "v-1", 13_000_000, 1_000) });
    expect(watch.error).toMatchObject({ code: "FORBIDDEN", details: { role: "viewer" } });

    const reader = await connectWithKey("aktau-trader", "", ["read"]);
    const scoped = await reader.request({ op: "order.new", ...buy("AKTAU-1", "r-1", 13_000_000, 1_000) });
    expect(scoped.error).toMatchObject({ code: "FORBIDDEN_SCOPE", details: { scope: "trade" } });

    const refusal = await Client.open(wsUrl(), {
      "x-sauda-key": "no-such-key",
      "x-sauda-timestamp": String(server.nowMs),
      "x-sauda-signature": "0".repeat(64),
    }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(Refused);
    expect([(refusal as Refused).status, (refusal as Refused).body.error.code]).toEqual([
      401,
      "AUTH_SIGNATURE_INVALID",
    ]);
    // Signed for another path than the one connected to.
    await server.putApiKey({ id: "k-path", user: "aktau-trader", secret: "s", scopes: ["read"] });
    const wrongPath = await Client.open(wsUrl("?cancelOnDisconnect=true"), {
      "x-sauda-key": "k-path",
      "x-sauda-timestamp": String(server.nowMs),
      "x-sauda-signature": sign("s", server.nowMs, "GET", "/api/stream", ""),
    }).catch((error: unknown) => error);
    expect((wrongPath as Refused).body.error.details.reason).toBe("the signature does not match the request");
    await Promise.all(clients.map((client) => client.settle()));
    expect(server.exchange.projections.accounts.orders("AKTAU-1")).toEqual([]);
  });

  it("a cookie socket needs the session's CSRF token before order entry", async () => {
    const session = await server.login("aktau-trader");
    const order = (id: string) => ({ op: "order.new", ...buy("AKTAU-1", id, 13_000_000, 1_000) });

    const bare = await connectAs(session);
    const noToken = await bare.request(order("c-1"));
    expect(noToken.error.code).toBe("AUTH_CSRF");
    // Told where a socket gives the token, not a header it cannot send once open.
    expect(noToken.error.message).toBe(
      'The CSRF token is missing or wrong: give the csrfToken from GET /api/session in the first message ({"op":"session","csrf":…}) or in the stream\'s address (?csrf=).',
    );
    const late = await bare.request({ op: "session", csrf: session.csrf });
    expect(late.error.details.reason).toBe("the CSRF token is accepted in the first message only");
    // Reads need no token.
    await bare.subscribe({ channel: "fills", account: "AKTAU-1" });

    const first = await connectAs(session);
    const hello = await first.request({ op: "session", csrf: session.csrf });
    expect(hello).toMatchObject({ type: "ack", csrf: "verified", cancelOnDisconnect: false });
    expect((await first.request(order("c-2"))).order.status).toBe("resting");

    const query = await connectAs(session, `?csrf=${encodeURIComponent(session.csrf)}`);
    expect((await query.request(order("c-3"))).order.status).toBe("resting");

    const wrongQuery = await Client.open(wsUrl("?csrf=wrong"), { cookie: session.cookie }).catch((e: unknown) => e);
    expect([(wrongQuery as Refused).status, (wrongQuery as Refused).body.error.code]).toEqual([403, "AUTH_CSRF"]);
    expect((wrongQuery as Refused).body.error.message).toContain("in the stream's address (?csrf=)");

    const wrongFirst = await connectAs(session);
    const refused = await wrongFirst.request({ op: "session", csrf: "wrong" });
    expect(refused.error.code).toBe("AUTH_CSRF");
    expect(await wrongFirst.closed).toEqual({ code: 1008, reason: "wrong CSRF token" });

    // Signing out closes the session's sockets at once, before the next heartbeat: no order can follow.
    await server.call(session, "DELETE", "/api/session");
    expect(await first.closed).toEqual({ code: 4401, reason: "the session was signed out or expired" });
    expect(await query.closed).toEqual({ code: 4401, reason: "the session was signed out or expired" });
    expect(server.exchange.projections.accounts.orders("AKTAU-1").map((o) => o.orderId)).toEqual([
      "AKTAU-1~c-3",
      "AKTAU-1~c-2",
    ]);
  });
});

describe("cancel-on-disconnect", () => {
  it("cancels the resting orders placed through the socket, through the journal, and leaves other orders", async () => {
    const observer = await connectWithKey("aktau-trader");
    await observer.subscribe({ channel: "orders", account: "AKTAU-1" });
    const guarded = await connectWithKey("aktau-trader", "?cancelOnDisconnect=true");
    const plain = await connectWithKey("aktau-trader");
    const seller = await server.login("kazgpz-trader");
    await server.call(seller, "POST", "/api/orders", sell("s-1", 13_300_000, 1_000));

    expect((await guarded.request({ op: "order.new", ...buy("AKTAU-1", "g-1", 13_000_000, 2_000) })).type).toBe("ack");
    expect((await guarded.request({ op: "order.new", ...buy("AKTAU-1", "g-2", 12_900_000, 1_000) })).type).toBe("ack");
    // Filled at once: nothing to cancel later.
    const filled = await guarded.request({ op: "order.new", ...buy("AKTAU-1", "g-3", 13_300_000, 1_000) });
    expect(filled.order.status).toBe("filled");
    expect((await plain.request({ op: "order.new", ...buy("AKTAU-1", "p-1", 12_800_000, 1_000) })).type).toBe("ack");
    const rest = await server.call(
      await server.login("aktau-trader"),
      "POST",
      "/api/orders",
      buy("AKTAU-1", "r-1", 12_700_000, 1_000),
    );
    expect(rest.status).toBe(201);
    await observer.settle();

    await guarded.close();
    // The cancels may share a batch (one update) or not (two).
    const cancelled: Message[] = [];
    while (cancelled.length < 2) {
      const update = await observer.update("orders", (m) => m.orders.some((o: Message) => o.status === "cancelled"));
      cancelled.push(...update.orders);
    }
    expect(cancelled.map((o: Message) => [o.orderId, o.status, o.cancelReason]).sort()).toEqual([
      ["AKTAU-1~g-1", "cancelled", "requested"],
      ["AKTAU-1~g-2", "cancelled", "requested"],
    ]);
    const audit = server.exchange.projections.audit.query({ actor: "cancel-on-disconnect" });
    expect(audit.map((entry) => [entry.commandType, entry.outcome]).sort()).toEqual([
      ["order.cancel", "accepted"],
      ["order.cancel", "accepted"],
    ]);

    // A socket without it leaves its orders when it goes.
    await plain.close();
    await observer.settle();
    const resting = server.exchange.projections.accounts.orders("AKTAU-1", { status: "resting" });
    expect(resting.map((o) => o.orderId).sort()).toEqual(["AKTAU-1~p-1", "AKTAU-1~r-1"]);
  });

  it("can be turned on with a session message; orders in flight at close are cancelled too", async () => {
    const observer = await connectWithKey("atyrau-trader");
    await observer.subscribe({ channel: "orders", account: "ATYRAU-1" });
    const trader = await connectWithKey("atyrau-trader");
    const on = await trader.request({ op: "session", cancelOnDisconnect: true });
    expect(on).toMatchObject({ type: "ack", cancelOnDisconnect: true, csrf: "not-needed" });
    // Sent and closed at once: the order is in flight when the socket closes.
    trader.send({ op: "order.new", id: "last", ...buy("ATYRAU-1", "f-1", 13_000_000, 1_000) });
    trader.socket.close();
    const placed = await observer.update("orders", (m) => m.orders[0].status === "resting");
    expect(placed.orders[0].orderId).toBe("ATYRAU-1~f-1");
    const cancelled = await observer.update("orders", (m) => m.orders[0].status === "cancelled");
    expect(cancelled.orders[0]).toMatchObject({ orderId: "ATYRAU-1~f-1", cancelReason: "requested" });
    const [entry] = server.exchange.projections.audit.query({ actor: "cancel-on-disconnect" });
    expect(entry).toMatchObject({ commandType: "order.cancel", role: "trader", outcome: "accepted" });
  });

  it("is refused for the public", async () => {
    const refused = await Client.open(wsUrl("?cancelOnDisconnect=true")).catch((e: unknown) => e);
    expect([(refused as Refused).status, (refused as Refused).body.error.code]).toEqual([401, "AUTH_REQUIRED"]);
  });
});

describe("limits", () => {
  it("subscriptions: at most the maximum per connection; the next is refused until one is dropped", async () => {
    // 13 instruments × 5 public channels = 65 distinct subscriptions.
    for (let i = 1; i <= 12; i++) {
      await server.exchange.submit({
        type: "instrument.list",
        instrument: `PB-EXTRA-${i}`,
        mode: "continuous",
        tickSize: 100,
        lotSize: 1000,
        referencePrice: 13_300_000,
        clearing: TERMS,
      });
    }
    const instruments = [INSTRUMENT, ...Array.from({ length: 12 }, (_, i) => `PB-EXTRA-${i + 1}`)];
    const client = await connect();
    const channels = ["book", "trades", "quote", "phase", "safeguards"];
    const all = instruments.flatMap((instrument) => channels.map((channel) => ({ channel, instrument })));
    const answers = await Promise.all(
      all.slice(0, SUBSCRIPTIONS_PER_CONNECTION_MAX).map((s) => client.request({ op: "subscribe", ...s })),
    );
    expect(answers.every((a) => a.type === "ack")).toBe(true);
    const over = await client.request({ op: "subscribe", ...all[SUBSCRIPTIONS_PER_CONNECTION_MAX]! });
    expect(over.error).toMatchObject({ code: "SUBSCRIPTIONS_LIMIT", details: { count: 64, max: 64 } });
    // Subscribing again to one held is no new subscription.
    expect((await client.request({ op: "subscribe", ...all[0]! })).type).toBe("ack");
    const dropped = await client.request({ op: "unsubscribe", ...all[0]! });
    expect(dropped).toMatchObject({ type: "ack", wasSubscribed: true });
    expect((await client.request({ op: "subscribe", ...all[SUBSCRIPTIONS_PER_CONNECTION_MAX]! })).type).toBe("ack");
  });

  it("order rate: the maximum per second passes, the next is RATE_LIMITED with retryAfterSeconds, time refills", async () => {
    const trader = await connectWithKey("broker-trader");
    const cancel = (i: number) => ({ op: "order.cancel", account: "BROKER-C1", clientOrderId: `none-${i}` });
    const answers = await Promise.all(
      Array.from({ length: ORDERS_PER_SECOND_MAX }, (_, i) => trader.request(cancel(i))),
    );
    // Each went to the engine (and was refused there: no such order), none was rate limited.
    expect(new Set(answers.map((a) => a.error.code))).toEqual(new Set(["ORDER_NOT_FOUND"]));
    const limited = await trader.request(cancel(-1));
    expect(limited.error).toEqual({
      code: "RATE_LIMITED",
      message: `Too many requests: at most ${ORDERS_PER_SECOND_MAX} per second; retry after 1 s.`,
      details: { max: ORDERS_PER_SECOND_MAX, window: "second", retryAfterSeconds: 1 },
    });
    // Other messages have their own allowance.
    expect((await trader.settle()).at(-1).type).toBe("pong");
    server.nowMs += 1000;
    expect((await trader.request(cancel(-2))).error.code).toBe("ORDER_NOT_FOUND");
  });

  it("frames larger than the maximum close the socket with 1009", async () => {
    const client = await connect();
    client.send({ op: "ping", id: "x".repeat(64 * 1024) });
    expect((await client.closed).code).toBe(1009);
  });

  it("a slow reader is closed with 4001 instead of buffered without bound", async () => {
    const { hub, socket } = fakeConnection();
    socket.emit("message", Buffer.from(JSON.stringify({ op: "subscribe", channel: "book", instrument: INSTRUMENT })));
    expect(socket.sent.map((text) => JSON.parse(text).type)).toEqual(["ack", "snapshot"]);
    // The peer stopped reading: the queue is within one message of the limit.
    socket.bufferedAmount = SEND_BUFFER_BYTES_MAX - 10;
    await server.exchange.submit({
      type: "order.new",
      instrument: INSTRUMENT,
      orderId: "KAZGPZ-1~slow",
      account: "KAZGPZ-1",
      side: "sell",
      orderType: "limit",
      price: 13_300_000,
      quantity: 1_000,
    });
    expect(socket.sent.length).toBe(2);
    expect(socket.closedWith).toEqual([
      CLOSE_SLOW_CONSUMER,
      `send queue over ${SEND_BUFFER_BYTES_MAX} bytes: the client reads too slowly`,
    ]);
    socket.emit("close");
    expect(hub.subscriptions).toBe(0);
    hub.stop();
  });

  it("backpressure: with the journal's backlog at its limit, a socket sending orders is not read until it drains", async () => {
    const { hub, socket } = fakeConnection();
    const cancel = JSON.stringify({ op: "order.cancel", id: 1, account: "KAZGPZ-1", clientOrderId: "x" });
    // One command short of the limit: still read.
    const backlog = Array.from({ length: SEQUENCER_BACKLOG_PAUSE_COMMANDS - 1 }, () =>
      server.exchange.submit({ type: "time.tick" }),
    );
    socket.emit("message", Buffer.from(cancel));
    expect(socket.flow).toEqual([]);
    backlog.push(server.exchange.submit({ type: "time.tick" }));
    expect(server.exchange.queued).toBe(SEQUENCER_BACKLOG_PAUSE_COMMANDS);
    socket.emit("message", Buffer.from(cancel));
    expect(socket.flow).toEqual(["pause"]);
    await Promise.all(backlog);
    expect(socket.flow).toEqual(["pause", "resume"]);
    hub.stop();
  });
});

/** Just enough of a ws socket for one connection: records what is sent, how it is closed and paused. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  isPaused = false;
  readonly sent: string[] = [];
  readonly flow: string[] = [];
  closedWith: [number, string] | null = null;
  send(text: string): void {
    this.sent.push(text);
  }
  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
  }
  terminate(): void {}
  ping(): void {}
  pause(): void {
    this.isPaused = true;
    this.flow.push("pause");
  }
  resume(): void {
    this.isPaused = false;
    this.flow.push("resume");
  }
}

/** A hub and one connection on a fake socket, for the limits a real socket cannot reach deterministically. */
function fakeConnection(): { hub: StreamHub; socket: FakeSocket } {
  const context = {
    exchange: server.exchange,
    users: server.users,
    auth: new Authenticator(server.users, () => server.nowMs),
    notifier: server.app.notifier,
  } as unknown as RouteContext;
  const hub = new StreamHub(context);
  const socket = new FakeSocket();
  const request = {
    principal: { kind: "public" },
    id: "fake-1",
    ip: "127.0.0.1",
    headers: {},
    cookies: {},
    log: { warn() {}, error() {} },
  } as unknown as FastifyRequest;
  new StreamConnection(context, hub, socket as never, request, {
    cancelOnDisconnect: false,
    csrfVerified: false,
    onClosed: () => {},
  });
  return { hub, socket };
}
