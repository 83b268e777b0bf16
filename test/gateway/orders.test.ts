/**
 * Order entry over real HTTP: members trade through REST, every answer comes after the command is durable, bad input
 * gets a code, and an unknown outcome can be resolved by looking the client order id up.
 */

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { localize } from "../../src/domain/messages.ts";
import { INSTRUMENT, TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(async () => {
  await server.close();
});

describe("orders over REST", () => {
  it("a producer offers, a buyer bids, both see the trade and the obligation", async () => {
    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("aktau-trader");
    const offer = await server.call(seller, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "offer-1",
      side: "sell",
      price: 13_300_000,
      quantity: 20_000,
    });
    expect(offer.status).toBe(201);
    expect(offer.body.order).toMatchObject({ status: "resting", openKg: 20_000 });
    const bid = await server.call(buyer, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "bid-1",
      side: "buy",
      price: 13_400_000,
      quantity: 5_000,
    });
    expect(bid.status).toBe(201);
    expect(bid.body.trades).toEqual([
      { tradeId: `T-${INSTRUMENT}-S1-1`, priceTiynPerTonne: 13_300_000, quantityKg: 5_000, aggressor: "buy" },
    ]);
    const fills = await server.call(seller, "GET", "/api/accounts/KAZGPZ-1/fills");
    expect(fills.body.fills).toMatchObject([{ priceTiynPerTonne: 13_300_000, quantityKg: 5_000, liquidity: "maker" }]);
    const obligations = await server.call(buyer, "GET", "/api/accounts/AKTAU-1/obligations");
    expect(obligations.body.obligations).toMatchObject([{ valueTiyn: 13_300_000 * 5, paid: false, delivered: false }]);
    const tape = await server.call(null, "GET", `/api/instruments/${INSTRUMENT}/trades`);
    expect(tape.body.trades[0]).toMatchObject({ priceTiynPerTonne: 13_300_000, quantityKg: 5_000 });
  });

  it("an order without a type is a limit order: the docs say so, and its journaled command is the one 'limit' makes", async () => {
    const document = (await server.call(null, "GET", "/docs/json")).body;
    const schema = document.paths["/api/orders"].post.requestBody.content["application/json"].schema;
    expect(schema.required).not.toContain("type");
    expect(schema.properties.type.default).toBe("limit");
    // The WebSocket's order.new is published as it was: there the type is required.
    expect(document.components.schemas.StreamOrderNew.required).toContain("type");
    const buyer = await server.login("aktau-trader");
    const submitted: unknown[] = [];
    const original = server.exchange.submit.bind(server.exchange);
    const submit = vi.spyOn(server.exchange, "submit").mockImplementation((command, meta) => {
      submitted.push(structuredClone(command));
      return original(command, meta);
    });
    try {
      const order = { instrument: INSTRUMENT, account: "AKTAU-1", side: "buy", price: 12_000_000, quantity: 1000 };
      const untyped = await server.call(buyer, "POST", "/api/orders", { ...order, clientOrderId: "untyped" });
      const typed = await server.call(buyer, "POST", "/api/orders", {
        ...order,
        clientOrderId: "typed",
        type: "limit",
      });
      expect([untyped.status, typed.status]).toEqual([201, 201]);
    } finally {
      submit.mockRestore();
    }
    const [untyped, typed] = submitted.map((command) => JSON.stringify(command));
    expect(untyped).toContain('"orderType":"limit"');
    expect(untyped).toBe(typed!.replace("typed", "untyped"));
  });

  it("a retry with the same client order id returns the original outcome; a lookup resolves an unknown one", async () => {
    const buyer = await server.login("aktau-trader");
    const order = {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "retry-1",
      side: "buy",
      price: 13_000_000,
      quantity: 1000,
    };
    const first = await server.call(buyer, "POST", "/api/orders", order);
    const again = await server.call(buyer, "POST", "/api/orders", order);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.duplicate).toBe(true);
    expect(again.body.order.orderId).toBe(first.body.order.orderId);
    const changed = await server.call(buyer, "POST", "/api/orders", { ...order, quantity: 2000 });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe("ORDER_ID_REUSED");
    const lookup = await server.call(buyer, "GET", "/api/accounts/AKTAU-1/orders/retry-1");
    expect(lookup.body.order).toMatchObject({ status: "resting", openKg: 1000 });
    // An order no one sent: the lookup, the amend and the cancel name it alike (the engine's order id).
    const unknown = "/api/accounts/AKTAU-1/orders/never-sent";
    const answers = [
      await server.call(buyer, "GET", unknown),
      await server.call(buyer, "PATCH", unknown, { quantity: 2000 }),
      await server.call(buyer, "DELETE", unknown),
    ].map((reply) => [reply.status, reply.body.error.code, reply.body.error.details, reply.body.error.message]);
    const said = [
      404,
      "ORDER_NOT_FOUND",
      { id: "AKTAU-1~never-sent" },
      "No order with id 'AKTAU-1~never-sent' is known.",
    ];
    expect(answers).toEqual([said, said, said]);
  });

  it("an order amended from 5 t to 6 t and cancelled reads 6 t ordered and 6 t cancelled", async () => {
    const buyer = await server.login("aktau-trader");
    const placed = await server.call(buyer, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "amend-up",
      side: "buy",
      price: 12_900_000,
      quantity: 5000,
    });
    expect(placed.status).toBe(201);
    const path = "/api/accounts/AKTAU-1/orders/amend-up";
    expect((await server.call(buyer, "PATCH", path, { quantity: 6000 })).status).toBe(200);
    expect((await server.call(buyer, "DELETE", path)).status).toBe(200);
    const read = await server.call(buyer, "GET", path);
    expect(read.body.order).toMatchObject({ status: "cancelled", quantityKg: 6000, cancelledKg: 6000, openKg: 0 });
  });

  it("rejections carry the registry code, the HTTP status and a sentence with the numbers", async () => {
    const buyer = await server.login("atyrau-trader");
    const tooBig = await server.call(buyer, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "ATYRAU-1",
      clientOrderId: "big",
      side: "buy",
      price: 13_300_000,
      quantity: 1_000_000_000,
    });
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.error.code).toBe("RISK_INSUFFICIENT_FUNDS");
    expect(tooBig.body.error.message).toMatch(/has 50000000000 tiyn free but .* needs \d+ tiyn \(short by \d+ tiyn\)/);
    const offTick = await server.call(buyer, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "ATYRAU-1",
      clientOrderId: "tick",
      side: "buy",
      price: 13_300_050,
      quantity: 1000,
    });
    expect([offTick.status, offTick.body.error.code]).toEqual([400, "ORDER_PRICE_OFF_TICK"]);
  });

  it("a member cannot touch another member's account", async () => {
    const other = await server.login("atyrau-trader");
    const response = await server.call(other, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "steal",
      side: "buy",
      price: 13_000_000,
      quantity: 1000,
    });
    expect([response.status, response.body.error.code]).toEqual([403, "FORBIDDEN_ACCOUNT"]);
    const read = await server.call(other, "GET", "/api/accounts/AKTAU-1/balances");
    expect(read.status).toBe(403);
    // Another member's account is named as such, without a hint of the owner's ids.
    expect(response.body.error.message).toBe("Account 'AKTAU-1' does not belong to your member.");
  });

  it("an own account typed in the wrong letter case is refused, and its right id named", async () => {
    const buyer = await server.login("aktau-trader");
    const before = server.exchange.projections.lastSeq;
    const order = await server.call(buyer, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "aktau-1",
      clientOrderId: "case",
      side: "buy",
      price: 13_000_000,
      quantity: 1000,
    });
    const said =
      "Account 'aktau-1' does not belong to your member; account ids are case-sensitive: did you mean 'AKTAU-1'?";
    expect([order.status, order.body.error.code, order.body.error.message]).toEqual([403, "FORBIDDEN_ACCOUNT", said]);
    expect(order.body.error.details).toEqual({ account: "aktau-1", ownAccount: "AKTAU-1" });
    const read = await server.call(buyer, "GET", "/api/accounts/Aktau-1/balances");
    expect([read.status, read.body.error.details.ownAccount]).toEqual([403, "AKTAU-1"]);
    // Another member's account in another case is not named.
    const other = await server.call(buyer, "GET", "/api/accounts/atyrau-1/balances");
    expect(other.body.error.details).toEqual({ account: "atyrau-1" });
    expect(localize("FORBIDDEN_ACCOUNT", { account: "aktau-1", ownAccount: "AKTAU-1" }, "kk")).toBe(
      "'aktau-1' шоты сіздің қатысушыңызға тиесілі емес; шот идентификаторларында әріптің бас не кіші болуы маңызды: 'AKTAU-1' шоты айтылған болар?",
    );
    expect(server.exchange.projections.lastSeq).toBe(before);
  });

  it("signed API-key requests work, a replay is refused, a read-only key cannot trade", async () => {
    const trader = await server.apiKey("aktau-trader");
    const body = {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "key-1",
      side: "buy",
      price: 12_900_000,
      quantity: 1000,
    };
    const placed = await trader("POST", "/api/orders", body);
    expect(placed.status).toBe(201);
    const reader = await server.apiKey("aktau-trader", ["read"]);
    const refused = await reader("POST", "/api/orders", { ...body, clientOrderId: "key-2" });
    expect([refused.status, refused.body.error.code]).toEqual([403, "FORBIDDEN_SCOPE"]);
    const stale = await trader("POST", "/api/orders", { ...body, clientOrderId: "key-3" }, server.nowMs - 31_000);
    expect([stale.status, stale.body.error.code]).toEqual([401, "AUTH_SIGNATURE_INVALID"]);
    // The same signed request twice (same timestamp, path and body): the second is a replay.
    const once = await trader("GET", "/api/accounts/AKTAU-1/balances", undefined, server.nowMs - 5);
    const twice = await trader("GET", "/api/accounts/AKTAU-1/balances", undefined, server.nowMs - 5);
    expect(once.status).toBe(200);
    expect([twice.status, twice.body.error.message]).toEqual([
      401,
      "The request signature is not valid: this exact request was already received.",
    ]);
  });
});
