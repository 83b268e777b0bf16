/**
 * The FIX acceptor's session rules and its mapping onto order entry, driven message by message: logon and its
 * refusals, sequence numbers (too low, gaps held and filled in order, resend with gap fills, persistence across a
 * restart, reset), heartbeats and test requests, session-level rejects, refusals with the registry's code in Text,
 * amend rules, the drop copy, cancel-on-disconnect, the kill switch and the rate limit.
 */

import { afterEach, describe, expect, it } from "vitest";
import type { Field, FixMessage } from "../../src/gateway/fix/codec.ts";
import { INSTRUMENT } from "../support/server.ts";
import { type ClientOptions, FixTestClient, tag } from "./fix-client.ts";
import { FixTestServer } from "./support.ts";

let env: FixTestServer | null = null;
const clients: FixTestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.destroy();
  await env?.close();
  env = null;
});

async function start(options: { messagesPerSecond?: number } = {}): Promise<FixTestServer> {
  env = await FixTestServer.start(options);
  return env;
}

async function logon(options: Omit<ClientOptions, "port">): Promise<{ client: FixTestClient; answer: FixMessage }> {
  const result = await FixTestClient.logon({ port: env!.port, ...options });
  clients.push(result.client);
  return result;
}

async function trader(
  user = "kazgpz-trader",
  member = "KAZGPZ",
  extra: Partial<ClientOptions> = {},
): Promise<FixTestClient> {
  const creds = await env!.key(user, `${user}-${clients.length}`);
  const { client, answer } = await logon({ sender: member, ...creds, ...extra });
  expect(answer.type).toBe("A");
  return client;
}

/** A limit order of KAZGPZ-1 (sell) or AKTAU-1 (buy); TimeInForce GTC unless given. */
function order(clOrdId: string, side: "1" | "2", price: string, qty: string, tif = "1"): Field[] {
  const account = side === "2" ? "KAZGPZ-1" : "AKTAU-1";
  return [
    [11, clOrdId],
    [1, account],
    [55, INSTRUMENT],
    [54, side],
    [40, "2"],
    [44, price],
    [38, qty],
    [59, tif],
  ];
}

/** Waits (bounded) for a condition that an event will make true. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

const isReport = (clOrdId: string, execType: string) => (m: FixMessage) =>
  m.type === "8" && tag(m, 11) === clOrdId && tag(m, 150) === execType;

describe("FIX logon", () => {
  it("refuses a wrong secret, a wrong SenderCompID, a viewer for order entry and a second session of one key", async () => {
    await start();
    const creds = await env!.key("kazgpz-trader", "k-login");
    const wrong = await logon({ sender: "KAZGPZ", username: creds.username, password: "nope" });
    expect(wrong.answer.type).toBe("5");
    expect(tag(wrong.answer, 58)).toBe("Username(553) and Password(554) are not the id and secret of a valid API key");
    await wrong.client.whenClosed();

    const sender = await logon({ sender: "AKTAU", ...creds });
    expect(tag(sender.answer, 58)).toBe("SenderCompID(49) must be your member id, KAZGPZ");

    const viewer = await env!.key("aktau-viewer", "k-viewer", ["read"]);
    const refused = await logon({ sender: "AKTAU", ...viewer });
    expect(tag(refused.answer, 58)).toBe("FORBIDDEN: Your role (viewer) may not enter orders over FIX.");

    const first = await logon({ sender: "KAZGPZ", ...creds });
    expect(first.answer.type).toBe("A");
    const second = await logon({ sender: "KAZGPZ", ...creds });
    expect(tag(second.answer, 58)).toBe("API key k-login already has a logged-on session; one at a time");
    await second.client.whenClosed();
    expect(first.client.closed).toBe(false);
  });

  it("keeps sequence numbers across a restart of the exchange, and starts again at 1 on ResetSeqNumFlag", async () => {
    await start();
    const creds = await env!.key("kazgpz-trader", "k-seq");
    const { client, answer } = await logon({ sender: "KAZGPZ", ...creds });
    expect(tag(answer, 34)).toBe("1");
    client.send("D", order("p1", "2", "133000", "1"));
    await client.next(isReport("p1", "0"));
    await client.logout();
    const sentByUs = client.nextOut; // Logon, D, Logout → 4
    await env!.restart();
    const again = await logon({ sender: "KAZGPZ", ...creds, nextOut: sentByUs });
    expect(again.answer.type).toBe("A");
    // sauda sent Logon(1), ExecutionReport(2), Logout(3) before the restart.
    expect(tag(again.answer, 34)).toBe("4");
    await again.client.logout();
    const reset = await logon({ sender: "KAZGPZ", ...creds, reset: true });
    expect(tag(reset.answer, 34)).toBe("1");
    expect(tag(reset.answer, 141)).toBe("Y");
  });

  it("logs out a peer whose MsgSeqNum is too low", async () => {
    await start();
    const client = await trader();
    client.send("0", [], { seq: 1 });
    const logout = await client.next((m) => m.type === "5");
    expect(tag(logout, 58)).toBe("MsgSeqNum too low, expecting 2 but received 1");
    await client.whenClosed();
  });

  it("reads nothing more from a peer whose logon was refused as too low, until the connection closes", async () => {
    await start();
    const creds = await env!.key("kazgpz-trader", "k-low");
    const first = await logon({ sender: "KAZGPZ", ...creds });
    expect(first.answer.type).toBe("A");
    await first.client.logout(); // Logon(1), Logout(2): the exchange expects 3 next
    const { client, answer } = await logon({ sender: "KAZGPZ", ...creds });
    expect(tag(answer, 58)).toBe("MsgSeqNum too low, expecting 3 but received 1");
    // Sent after the refusal, before the close: neither is read (they once reached a session that was not there).
    client.send("0", []);
    client.send("D", order("low-1", "2", "133000", "1"));
    await client.whenClosed();
    expect(client.received.filter((m) => m.type === "8")).toEqual([]);
    const reader = await env!.server.apiKey("kazgpz-trader", ["read"]);
    const orders = (await reader("GET", "/api/accounts/KAZGPZ-1/orders")).body.orders as { clientOrderId: string }[];
    expect(orders.map((o) => o.clientOrderId)).not.toContain("low-1");
  });
});

describe("FIX sequence gaps and resends", () => {
  it("holds messages past a gap, asks for a resend, and processes them in sequence once it is filled", async () => {
    await start();
    const client = await trader();
    // Logon was 1; 2 is skipped.
    client.send("D", order("g3", "2", "133000", "1"), { seq: 3 });
    const resend = await client.next((m) => m.type === "2");
    expect([tag(resend, 7), tag(resend, 16)]).toEqual(["2", "0"]);
    client.send("D", order("g2", "2", "133100", "1"), {
      seq: 2,
      header: [
        [43, "Y"],
        [122, "20260105-06:00:00"],
      ],
    });
    const first = await client.next((m) => m.type === "8");
    expect(tag(first, 11)).toBe("g2");
    const second = await client.next((m) => m.type === "8" && tag(m, 11) !== "g2");
    expect(tag(second, 11)).toBe("g3");
    // A gap fill covers what the client will not resend.
    client.nextOut = 4;
    client.send("D", order("g6", "2", "133000", "1"), { seq: 6 });
    await client.next((m) => m.type === "2" && tag(m, 7) === "4");
    client.send(
      "4",
      [
        [123, "Y"],
        [36, "6"],
      ],
      {
        seq: 4,
        header: [
          [43, "Y"],
          [122, "20260105-06:00:00"],
        ],
      },
    );
    await client.next(isReport("g6", "0"));
  });

  it("answers a ResendRequest with the stored reports (PossDupFlag, OrigSendingTime) and gap fills for admin messages", async () => {
    await start();
    const client = await trader();
    client.send("D", order("r1", "2", "133000", "1"));
    const original = await client.next(isReport("r1", "0"));
    const from = client.received.length;
    client.send("2", [
      [7, "1"],
      [16, "0"],
    ]);
    const gapFill = await client.next((m) => m.type === "4", from);
    expect([tag(gapFill, 34), tag(gapFill, 123), tag(gapFill, 36), tag(gapFill, 43)]).toEqual(["1", "Y", "2", "Y"]);
    const resent = await client.next((m) => m.type === "8", from);
    expect(tag(resent, 34)).toBe(tag(original, 34));
    expect(tag(resent, 43)).toBe("Y");
    expect(tag(resent, 122)).toBe(tag(original, 52));
    expect(tag(resent, 17)).toBe(tag(original, 17));
  });

  it("answers a ResendRequest that comes past a gap at once, and only once when the gap is filled", async () => {
    await start();
    const client = await trader();
    client.send("D", order("q1", "2", "133000", "1"));
    await client.next(isReport("q1", "0"));
    const from = client.received.length;
    // 3 is skipped: the ResendRequest at 4 is answered before sauda's own ResendRequest for 3 is filled.
    client.send(
      "2",
      [
        [7, "2"],
        [16, "0"],
      ],
      { seq: 4 },
    );
    await client.next((m) => m.type === "8" && tag(m, 43) === "Y", from);
    await client.next((m) => m.type === "2" && tag(m, 7) === "3", from);
    client.send(
      "4",
      [
        [123, "Y"],
        [36, "5"],
      ],
      {
        seq: 3,
        header: [
          [43, "Y"],
          [122, "20260105-06:00:00"],
        ],
      },
    );
    client.nextOut = 5;
    client.send("1", [[112, "after-gap"]]);
    await client.next((m) => m.type === "0" && tag(m, 112) === "after-gap", from);
    const resent = client.received.slice(from).filter((m) => m.type === "8" && tag(m, 43) === "Y");
    expect(resent.map((m) => tag(m, 11))).toEqual(["q1"]);
  });

  it("answers a TestRequest, rejects a repeated tag, and logs out a peer that stops answering", async () => {
    await start();
    const client = await trader("kazgpz-trader", "KAZGPZ", { heartBtInt: 1, answerTestRequests: false });
    client.send("1", [[112, "ping-1"]]);
    const heartbeat = await client.next((m) => m.type === "0" && tag(m, 112) === "ping-1");
    expect(heartbeat.type).toBe("0");
    client.send("D", [...order("t1", "2", "133000", "1"), [11, "t2"]]);
    const reject = await client.next((m) => m.type === "3");
    expect([tag(reject, 373), tag(reject, 371), tag(reject, 58)]).toEqual([
      "13",
      "11",
      "Tag 11 appears more than once",
    ]);
    // HeartBtInt 1 s: a TestRequest after 1.2 s of silence, a Logout after another second without an answer.
    await client.next((m) => m.type === "1");
    const logout = await client.next((m) => m.type === "5");
    expect(tag(logout, 58)).toBe("no answer to a TestRequest: the peer is not responding");
  });
});

describe("FIX order entry", () => {
  it("refuses what does not convert or breaks the rules with the registry's code and sentence in Text", async () => {
    await start();
    const client = await trader();
    client.send("D", order("u1", "2", "133000.001", "1"));
    const price = await client.next(isReport("u1", "8"));
    expect(tag(price, 58)).toBe(
      "FIELD_INVALID: Field 'Price(44)' has value 133000.001; a price is tenge per tonne with at most 2 decimals (whole tiyn).",
    );
    expect(tag(price, 103)).toBe("99");
    client.send("D", order("u2", "2", "133000.5", "1"));
    const tick = await client.next(isReport("u2", "8"));
    expect(tag(tick, 58)).toBe("ORDER_PRICE_OFF_TICK: Price 13300050 is not a multiple of the tick size 100.");
    client.send("D", order("u3", "1", "133000", "1"));
    const account = await client.next(isReport("u3", "8"));
    expect(tag(account, 58)).toBe("FORBIDDEN_ACCOUNT: Account 'AKTAU-1' does not belong to your member.");
    expect(tag(account, 103)).toBe("15");
    client.send("D", order("u4", "2", "133000", "2.5"));
    const lot = await client.next(isReport("u4", "8"));
    expect([tag(lot, 103), tag(lot, 58)]).toEqual([
      "13",
      "ORDER_QUANTITY_OFF_LOT: Quantity 2500 is not a multiple of the lot size 1000.",
    ]);
    // A refused request's report echoes its Side and OrdType as sent, and names no account it did not send.
    client.send(
      "D",
      order("u5", "2", "133000", "1").map(([t, v]) => [t, t === 54 ? "3" : v] as Field),
    );
    const side = await client.next(isReport("u5", "8"));
    expect([tag(side, 54), tag(side, 40), tag(side, 1), tag(side, 58)]).toEqual([
      "3",
      "2",
      "KAZGPZ-1",
      "ORDER_SIDE_INVALID: Side '3' is not valid; expected 'buy' or 'sell'.",
    ]);
    client.send(
      "D",
      order("u6", "2", "133000", "1").map(([t, v]) => [t, t === 40 ? "P" : v] as Field),
    );
    const type = await client.next(isReport("u6", "8"));
    expect([tag(type, 54), tag(type, 40)]).toEqual(["2", "P"]);
    client.send(
      "D",
      order("u7", "2", "133000", "1").filter(([t]) => t !== 1),
    );
    const noAccount = await client.next(isReport("u7", "8"));
    expect([tag(noAccount, 37), tag(noAccount, 1), tag(noAccount, 58)?.split(":")[0]]).toEqual([
      "NONE",
      undefined,
      "FIELD_INVALID",
    ]);
    // An expiry in the past is written in exchange time, as the REST API writes it, not as milliseconds.
    client.send("D", [...order("u8", "2", "133000", "1", "6"), [126, "20201207-10:00:00"]]);
    const expired = await client.next(isReport("u8", "8"));
    expect(tag(expired, 58)).toBe(
      "ORDER_EXPIRY_INVALID: Expiry 2020-12-07 15:00 (Kazakhstan time) is not valid; a GTD order needs an expiry after the current time 2026-01-05 11:00 (Kazakhstan time).",
    );
    client.send("Z", [[11, "z"]]);
    const unsupported = await client.next((m) => m.type === "j");
    expect([tag(unsupported, 380), tag(unsupported, 372)]).toEqual(["3", "Z"]);
  });

  it("quotes an unknown instrument once in Text, on a new order and on a mass cancel", async () => {
    await start();
    const client = await trader();
    // The engine journals the id quoted ("'NOPE'") into a template that quotes; Text is the REST API's sentence.
    client.send(
      "D",
      order("n1", "2", "133000", "1").map(([t, v]) => [t, t === 55 ? "NOPE" : v] as Field),
    );
    const unknown = await client.next(isReport("n1", "8"));
    expect([tag(unknown, 39), tag(unknown, 58)]).toEqual([
      "8",
      "INSTRUMENT_NOT_FOUND: No instrument 'NOPE' is listed.",
    ]);
    client.send("q", [
      [11, "m1"],
      [530, "1"],
      [1, "KAZGPZ-1"],
      [55, "NOPE"],
    ]);
    const mass = await client.next((m) => m.type === "r" && tag(m, 11) === "m1");
    expect([tag(mass, 531), tag(mass, 532), tag(mass, 58)]).toEqual([
      "0",
      "1",
      "INSTRUMENT_NOT_FOUND: No instrument 'NOPE' is listed.",
    ]);
  });

  it("amends by OrderQty as the new total: keeps what filled, refuses a total not above it or a change of side", async () => {
    await start();
    const seller = await trader();
    seller.send("D", order("a1", "2", "133000", "5"));
    await seller.next(isReport("a1", "0"));
    const buyer = await trader("aktau-trader", "AKTAU");
    buyer.send("D", order("b1", "1", "133000", "2", "3"));
    await buyer.next(isReport("b1", "F"));
    await seller.next(isReport("a1", "F"));
    const amend = (clOrdId: string, qty: string, side = "2") =>
      seller.send("G", [
        [11, clOrdId],
        [41, "a1"],
        [1, "KAZGPZ-1"],
        [55, INSTRUMENT],
        [54, side],
        [40, "2"],
        [44, "133000"],
        [38, qty],
      ]);
    amend("a1-b", "2");
    const tooSmall = await seller.next((m) => m.type === "9" && tag(m, 11) === "a1-b");
    expect(tag(tooSmall, 58)).toBe(
      "FIELD_INVALID: Field 'OrderQty(38)' has value 2; the new OrderQty must be more than the 2 t already filled (to stop the order, cancel it).",
    );
    expect(tag(tooSmall, 434)).toBe("2");
    amend("a1-c", "4", "1");
    const side = await seller.next((m) => m.type === "9" && tag(m, 11) === "a1-c");
    expect(tag(side, 58)?.startsWith("FIELD_INVALID: Field 'Side(54)' has value 1;")).toBe(true);
    amend("a1-d", "4");
    const replaced = await seller.next(isReport("a1-d", "5"));
    expect([tag(replaced, 38), tag(replaced, 14), tag(replaced, 151), tag(replaced, 41)]).toEqual([
      "4",
      "2",
      "2",
      "a1",
    ]);
    // An amend's ClOrdID is new: the order's current one and its original one are refused.
    for (const sent of ["a1-d", "a1"]) {
      seller.send("G", [
        [11, sent],
        [41, "a1-d"],
        [1, "KAZGPZ-1"],
        [55, INSTRUMENT],
        [54, "2"],
        [40, "2"],
        [44, "133000"],
        [38, "5"],
      ]);
      const reused = await seller.next((m) => m.type === "9" && tag(m, 11) === sent);
      expect([tag(reused, 434), tag(reused, 58)]).toEqual([
        "2",
        `ORDER_ID_DUPLICATE: Order id '${sent}' is already in use; every order needs a new id.`,
      ]);
    }
    const rest = await env!.server.apiKey("kazgpz-trader", ["read"]);
    const view = (await rest("GET", "/api/accounts/KAZGPZ-1/orders/a1")).body.order;
    expect([view.openKg, view.filledKg]).toEqual([2000, 2000]);
    // OrderStatusRequest by the latest ClOrdID, and for an order sauda does not know.
    seller.send("H", [
      [11, "a1-d"],
      [1, "KAZGPZ-1"],
    ]);
    const status = await seller.next(isReport("a1-d", "I"));
    expect([tag(status, 39), tag(status, 38), tag(status, 14), tag(status, 151), tag(status, 6)]).toEqual([
      "1",
      "4",
      "2",
      "2",
      "133000",
    ]);
    seller.send("H", [
      [11, "nobody"],
      [1, "KAZGPZ-1"],
    ]);
    const unknown = await seller.next(isReport("nobody", "I"));
    expect([tag(unknown, 39), tag(unknown, 58)]).toEqual(["8", "ORDER_NOT_FOUND: No order with id 'nobody' is known."]);
  });

  it("refuses past the rate limit with RATE_LIMITED", async () => {
    await start({ messagesPerSecond: 2 });
    const client = await trader();
    for (const id of ["l1", "l2", "l3"]) client.send("D", order(id, "2", "133000", "1"));
    const refused = await client.next(isReport("l3", "8"));
    expect(tag(refused, 58)).toBe("RATE_LIMITED: Too many requests: at most 2 per second; retry after 1 s.");
    await client.next(isReport("l2", "0"));
  });
});

describe("FIX drop copy, cancel-on-disconnect and the kill switch", () => {
  it("copies every execution of the member's accounts, from any channel, and refuses orders on the drop copy", async () => {
    await start();
    const creds = await env!.key("kazgpz-trader", "k-dc", ["read"]);
    const { client: copy, answer } = await logon({ sender: "KAZGPZ", target: "SAUDA-DC", ...creds });
    expect(answer.type).toBe("A");
    const producer = await env!.server.apiKey("kazgpz-trader");
    const placed = await producer("POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "rest-s",
      side: "sell",
      price: 13_300_000,
      quantity: 3000,
    });
    expect(placed.status).toBe(201);
    const buyer = await trader("aktau-trader", "AKTAU");
    buyer.send("D", order("fix-b", "1", "133000", "2", "3"));
    const newReport = await copy.next(isReport("rest-s", "0"));
    expect(tag(newReport, 38)).toBe("3");
    const fill = await copy.next(isReport("rest-s", "F"));
    expect([tag(fill, 32), tag(fill, 31), tag(fill, 14), tag(fill, 151)]).toEqual(["2", "133000", "2", "1"]);
    const buyerFill = await buyer.next(isReport("fix-b", "F"));
    expect(tag(buyerFill, 1003)).toBe(tag(fill, 1003));
    // AKTAU's fill is not KAZGPZ's business.
    expect(copy.received.some((m) => tag(m, 11) === "fix-b")).toBe(false);
    copy.send("D", order("nope", "2", "133000", "1"));
    const reject = await copy.next((m) => m.type === "j");
    expect([tag(reject, 380), tag(reject, 58)]).toEqual(["6", "a drop copy session is read-only"]);
  });

  it("makes the reports of executions the FIX gateway missed from the journal when it starts again", async () => {
    await start();
    const creds = await env!.key("kazgpz-trader", "k-dc-2", ["read"]);
    const first = await logon({ sender: "KAZGPZ", target: "SAUDA-DC", ...creds });
    expect(first.answer.type).toBe("A");
    await first.client.logout();
    const sent = first.client.nextOut;
    // The FIX gateway is down (as after a crash between the journal and the FIX store) while a trade happens.
    const port = env!.port;
    await env!.fix.close();
    const producer = await env!.server.apiKey("kazgpz-trader");
    await producer("POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "while-down",
      side: "sell",
      price: 13_300_000,
      quantity: 1000,
    });
    await env!.openFix(port);
    const again = await logon({ sender: "KAZGPZ", target: "SAUDA-DC", ...creds, nextOut: sent });
    expect(again.answer.type).toBe("A");
    // sauda sent Logon(1) and Logout(2) before; the New report made at start-up is 3, its Logon answer 4.
    expect(tag(again.answer, 34)).toBe("4");
    again.client.send("2", [
      [7, "3"],
      [16, "0"],
    ]);
    const report = await again.client.next(isReport("while-down", "0"));
    expect([tag(report, 34), tag(report, 43), tag(report, 38)]).toEqual(["3", "Y", "1"]);
  });

  it("cancels the session's resting orders when a session that asked for it drops, and only those", async () => {
    await start();
    const rest = await env!.server.apiKey("kazgpz-trader");
    await rest("POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "rest-keep",
      side: "sell",
      price: 13_400_000,
      quantity: 1000,
    });
    const guarded = await trader("kazgpz-trader", "KAZGPZ", { extraLogon: [[9001, "Y"]] });
    guarded.send("D", order("cod-1", "2", "133500", "1"));
    await guarded.next(isReport("cod-1", "0"));
    await guarded.drop();
    const accounts = env!.server.exchange.projections.accounts;
    await until(() => accounts.order("KAZGPZ-1~cod-1")?.status === "cancelled");
    expect(accounts.order("KAZGPZ-1~cod-1")?.status).toBe("cancelled");
    expect(accounts.order("KAZGPZ-1~cod-1")?.cancelReason).toBe("requested");
    expect(accounts.order("KAZGPZ-1~rest-keep")?.status).toBe("resting");
  });

  it("the kill switch cancels the member's orders, reports them, logs its sessions out and keeps them out", async () => {
    await start();
    const client = await trader();
    client.send("D", order("k1", "2", "133000", "1"));
    await client.next(isReport("k1", "0"));
    const operator = await env!.server.login("operator");
    const suspended = await env!.server.call(operator, "POST", "/api/admin/members/KAZGPZ/suspend", {
      reason: "test of the kill switch",
    });
    expect(suspended.status).toBe(200);
    const cancelled = await client.next(isReport("k1", "4"));
    expect(tag(cancelled, 58)).toBe("cancelled: member-suspended");
    const logout = await client.next((m) => m.type === "5");
    expect(tag(logout, 58)).toBe(
      "MEMBER_SUSPENDED: Member 'KAZGPZ' is suspended; it cannot enter or change orders until the operator reinstates it. Reason: test of the kill switch",
    );
    await client.whenClosed();
    const creds = await env!.key("kazgpz-trader", "k-after");
    const again = await logon({ sender: "KAZGPZ", ...creds });
    expect(tag(again.answer, 58)?.startsWith("MEMBER_SUSPENDED:")).toBe(true);
  });
});
