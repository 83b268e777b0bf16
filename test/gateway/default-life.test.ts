/**
 * A defaulted trade's life over real HTTP (issue 14, "Tests and figures": one defaulted): a trade, the buyer pays
 * nothing by the payment deadline, the next command after it defaults the buyer: its collateral goes to the seller,
 * the buyer's fee to the exchange, the seller's gas is freed. Both members see it in their balances, their
 * obligations and their statements of the day, and the seller's statement says what it received.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTRUMENT, type Session, TestServer } from "../support/server.ts";

let server: TestServer;
let seller: Session;
let buyer: Session;

beforeAll(async () => {
  server = await TestServer.start();
  seller = await server.login("kazgpz-trader");
  buyer = await server.login("aktau-trader");
});
afterAll(async () => {
  await server.close();
});

const PRICE = 13_300_000; // tiyn per tonne: 133,000 ₸/t
const KG = 10_000;
const VALUE = 133_000_000; // 10 t at 133,000 ₸/t, in tiyn
const COLLATERAL = 6_650_000; // 5% of the value
const FEE = 66_500; // 5 bp of the value, each side

function balance(body: { balances: { asset: string; free: string; blockedForObligations: string }[] }, asset: string) {
  const row = body.balances.find((b) => b.asset === asset)!;
  return { free: BigInt(row.free), obligations: BigInt(row.blockedForObligations) };
}

describe("a trade whose buyer does not pay", () => {
  let obligationId = "";
  let buyerFreeBefore = 0n;

  it("trades, blocking the buyer's collateral and fee and the seller's gas", async () => {
    const offer = { instrument: INSTRUMENT, account: "KAZGPZ-1", clientOrderId: "d-s", side: "sell", price: PRICE };
    expect((await server.call(seller, "POST", "/api/orders", { ...offer, quantity: KG })).status).toBe(201);
    const bid = await server.call(buyer, "POST", "/api/orders", {
      ...offer,
      account: "AKTAU-1",
      clientOrderId: "d-b",
      side: "buy",
      quantity: KG,
    });
    expect(bid.body.trades).toHaveLength(1);
    obligationId = `OB-${(bid.body.trades[0].tradeId as string).slice(2)}`;
    const buyerBalances = (await server.call(buyer, "GET", "/api/accounts/AKTAU-1/balances")).body;
    expect(balance(buyerBalances, "KZT").obligations).toBe(BigInt(COLLATERAL + FEE));
    buyerFreeBefore = balance(buyerBalances, "KZT").free;
    const sellerBalances = (await server.call(seller, "GET", "/api/accounts/KAZGPZ-1/balances")).body;
    expect(balance(sellerBalances, "GAS:KAZGPZ").obligations).toBe(BigInt(KG));
  });

  it("a millisecond before the deadline nothing happens; at the deadline the buyer is in default", async () => {
    const open = (await server.call(buyer, "GET", "/api/accounts/AKTAU-1/obligations")).body.obligations[0];
    expect([open.id, open.status, open.valueTiyn, open.collateralTiyn]).toEqual([
      obligationId,
      "open",
      VALUE,
      COLLATERAL,
    ]);

    server.nowMs = open.paymentDueMs - 1;
    await server.exchange.submit({ type: "time.tick" });
    buyer = await server.login("aktau-trader");
    seller = await server.login("kazgpz-trader");
    const still = (await server.call(buyer, "GET", "/api/accounts/AKTAU-1/obligations")).body.obligations[0];
    expect(still.status).toBe("open");

    // The deadline is the first instant of default (src/engine/clearing.ts: paid by, that is before, the deadline).
    server.nowMs = open.paymentDueMs;
    await server.exchange.submit({ type: "time.tick" });
    const defaulted = await server.call(buyer, "GET", "/api/accounts/AKTAU-1/obligations?status=defaulted");
    expect(defaulted.body.obligations).toHaveLength(1);
    expect(defaulted.body.obligations[0]).toMatchObject({
      id: obligationId,
      status: "defaulted",
      defaultedParty: "buyer",
      forfeitedTiyn: COLLATERAL,
      penaltyTiyn: 0,
      claimTiyn: 0,
      paid: false,
      delivered: false,
    });
    expect((await server.call(buyer, "GET", "/api/accounts/AKTAU-1/obligations?status=open")).body.obligations).toEqual(
      [],
    );
  });

  it("moves the collateral to the seller, the fee to the exchange and frees the seller's gas, exactly", async () => {
    const buyerKzt = balance((await server.call(buyer, "GET", "/api/accounts/AKTAU-1/balances")).body, "KZT");
    expect(buyerKzt).toEqual({ free: buyerFreeBefore, obligations: 0n });
    const sellerBalances = (await server.call(seller, "GET", "/api/accounts/KAZGPZ-1/balances")).body;
    expect(balance(sellerBalances, "KZT")).toEqual({ free: BigInt(COLLATERAL), obligations: 0n });
    expect(balance(sellerBalances, "GAS:KAZGPZ")).toEqual({ free: 5_000_000n, obligations: 0n });
  });

  it("both statements of the deadline's day list the obligation as defaulted", async () => {
    const day = "2026-01-06";
    const buyerStatement = (await server.call(buyer, "GET", `/api/accounts/AKTAU-1/statements/${day}`)).body;
    expect(buyerStatement.accounts[0].obligations).toEqual([
      expect.objectContaining({ obligation: obligationId, role: "buyer", status: "defaulted", paid: false }),
    ]);
    const sellerStatement = (await server.call(seller, "GET", `/api/accounts/KAZGPZ-1/statements/${day}`)).body;
    expect(sellerStatement.accounts[0].obligations).toEqual([
      expect.objectContaining({ obligation: obligationId, role: "seller", status: "defaulted", delivered: false }),
    ]);
  });
});
