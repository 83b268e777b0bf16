/**
 * A defaulted trade's life over real HTTP (issue 14, "Tests and figures": one defaulted): a trade, the buyer pays
 * nothing by the payment deadline, the next command after it defaults the buyer: its collateral goes to the seller,
 * the buyer's fee to the exchange, the seller's gas is freed. Both members see it in their balances, their
 * obligations and their statements of the day, and the seller's statement says what it received.
 */

import { PDFParse } from "pdf-parse";
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

async function pdfText(session: Session, path: string): Promise<string> {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: session.cookie } });
  expect(response.status).toBe(200);
  const parser = new PDFParse({ data: new Uint8Array(await response.arrayBuffer()) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, " ");
  } finally {
    await parser.destroy();
  }
}

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
    // The deposit its open purchases hold, summed by the exchange: the buyer's collateral; the seller holds none.
    expect([buyerBalances.openPurchases, buyerBalances.collateralTiyn]).toEqual([1, String(COLLATERAL)]);
    expect([sellerBalances.openPurchases, sellerBalances.collateralTiyn]).toEqual([0, "0"]);
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
    const buyerBalances = (await server.call(buyer, "GET", "/api/accounts/AKTAU-1/balances")).body;
    expect(balance(buyerBalances, "KZT")).toEqual({ free: buyerFreeBefore, obligations: 0n });
    // Forfeited, the deposit is no longer held for an open purchase.
    expect([buyerBalances.openPurchases, buyerBalances.collateralTiyn]).toEqual([0, "0"]);
    const sellerBalances = (await server.call(seller, "GET", "/api/accounts/KAZGPZ-1/balances")).body;
    expect(balance(sellerBalances, "KZT")).toEqual({ free: BigInt(COLLATERAL), obligations: 0n });
    expect(balance(sellerBalances, "GAS:KAZGPZ")).toEqual({ free: 5_000_000n, obligations: 0n });
  });

  it("both statements of the deadline's day say who defaulted and what it moved, in JSON and in a Kazakh PDF", async () => {
    const day = "2026-01-06";
    const moved = { defaultedParty: "buyer", forfeitedTiyn: COLLATERAL, penaltyTiyn: 0, claimTiyn: 0 };
    const buyerStatement = (await server.call(buyer, "GET", `/api/accounts/AKTAU-1/statements/${day}`)).body;
    expect(buyerStatement.accounts[0].obligations).toEqual([
      expect.objectContaining({ obligation: obligationId, role: "buyer", status: "defaulted", paid: false, ...moved }),
    ]);
    const sellerStatement = (await server.call(seller, "GET", `/api/accounts/KAZGPZ-1/statements/${day}`)).body;
    expect(sellerStatement.accounts[0].obligations).toEqual([
      expect.objectContaining({
        obligation: obligationId,
        role: "seller",
        status: "defaulted",
        delivered: false,
        ...moved,
      }),
    ]);
    // The day before, the obligation was open and nothing had moved yet.
    const before = (await server.call(seller, "GET", "/api/accounts/KAZGPZ-1/statements/2026-01-05")).body;
    expect(before.accounts[0].obligations).toEqual([
      expect.objectContaining({ obligation: obligationId, status: "open", defaultedParty: null, forfeitedTiyn: 0 }),
    ]);

    const kk = await pdfText(seller, `/api/accounts/KAZGPZ-1/statements/${day}/pdf?lang=kk`);
    expect(kk).toContain("(Сатушы)");
    expect(kk).toContain(
      "орындалмады; сатып алушы орындамады: ұсталған кепілдік жарна 66 500,00, айыппұл 0,00, талап 0,00 теңге",
    );
    expect(kk).not.toMatch(/\b(defaulted|seller|buyer)\b/);
    const ru = await pdfText(buyer, `/api/accounts/AKTAU-1/statements/${day}/pdf?lang=ru`);
    expect(ru).toContain("не исполнено покупателем: удержан гарантийный взнос 66 500,00");
  });
});
