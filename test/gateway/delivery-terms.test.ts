/**
 * Delivery terms per instrument over real HTTP (docs/delivery.md §7): the operator lists a rail instrument of one 65 t
 * tank car a lot; the public API shows its delivery terms (EXW the plant, rail, 65 t a unit, one unit a lot, the
 * delivery window and region); a lot that is not whole tank cars is refused with its stable code and lists nothing;
 * a trade's exchange contract carries the transport in its JSON and, in Kazakh, in its PDF text. The shared
 * instrument, listed without transport, shows `transport: null` and a contract without a transport key.
 */

import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTRUMENT, type Session, TERMS, TestServer } from "../support/server.ts";

const RAIL = "PB-KAZGPZ-MNG-RAIL-2026-01";
const PRICE = 13_300_000;

let server: TestServer;
let operator: Session;
let seller: Session;
let aktau: Session;

beforeAll(async () => {
  server = await TestServer.start();
  operator = await server.login("operator");
  seller = await server.login("kazgpz-trader");
  aktau = await server.login("aktau-trader");
});
afterAll(async () => {
  await server.close();
});

function listing(instrument: string, lotSize: number, unitKg: number) {
  return {
    instrument,
    mode: "continuous",
    tickSize: 100,
    lotSize,
    referencePrice: PRICE,
    clearing: TERMS,
    description: {
      product: "propane-butane",
      basis: "KAZGPZ",
      region: "MANGYSTAU",
      deliveryPeriod: "2026-01",
      transport: { mode: "rail", unitKg },
    },
  };
}

async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

describe("delivery terms per instrument", () => {
  it("refuses a lot of 64 t by 65 t tank car, and a 100.001 t unit, listing nothing", async () => {
    const short = await server.call(operator, "POST", "/api/admin/instruments", listing(`${RAIL}-X`, 64_000, 65_000));
    expect([short.status, short.body.error.code]).toEqual([400, "LOT_NOT_TRANSPORT_UNITS"]);
    expect(short.body.error.message).toContain("64000 kg is not a whole number of transport units of 65000 kg");
    const big = await server.call(operator, "POST", "/api/admin/instruments", listing(`${RAIL}-X`, 200_000, 100_001));
    expect([big.status, big.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    expect((await server.call(operator, "GET", `/api/instruments/${RAIL}-X`)).status).toBe(404);
  });

  it("lists a rail instrument of 65 t lots and reads its delivery terms back from the public API", async () => {
    const listed = await server.call(operator, "POST", "/api/admin/instruments", listing(RAIL, 65_000, 65_000));
    expect(listed.status).toBe(201);
    const read = await server.call(null, "GET", `/api/instruments/${RAIL}`);
    expect(read.status).toBe(200);
    expect(read.body.lotSizeKg).toBe(65_000);
    expect(read.body.info.transport).toEqual({ mode: "rail", unitKg: 65_000 });
    expect(read.body.deliveryTerms).toEqual({
      incoterm: "EXW",
      basis: "KAZGPZ",
      region: "MANGYSTAU",
      deliveryPeriod: "2026-01",
      deliveryWindowMs: 432_000_000,
      transport: { mode: "rail", unitKg: 65_000, unitsPerLot: 1 },
    });
    // The shared instrument was listed without transport: the terms say so, as before.
    const old = await server.call(null, "GET", `/api/instruments/${INSTRUMENT}`);
    expect(old.body.deliveryTerms).toMatchObject({ incoterm: "EXW", region: "MANGYSTAU", transport: null });
    expect(old.body.info.transport).toBeUndefined();
  });

  it("a trade of two tank cars: the contract JSON names rail, 65 t and 2 units; the Kazakh PDF says so", async () => {
    const phase = await server.call(operator, "PUT", `/api/admin/instruments/${RAIL}/phase`, { phase: "continuous" });
    expect(phase.status).toBe(200);
    const order = { instrument: RAIL, price: PRICE, quantity: 130_000 };
    const sell = await server.call(seller, "POST", "/api/orders", {
      ...order,
      account: "KAZGPZ-1",
      clientOrderId: "rail-s",
      side: "sell",
    });
    expect(sell.status).toBe(201);
    const buy = await server.call(aktau, "POST", "/api/orders", {
      ...order,
      account: "AKTAU-1",
      clientOrderId: "rail-b",
      side: "buy",
    });
    expect(buy.body.trades).toHaveLength(1);
    const tradeId = buy.body.trades[0].tradeId as string;
    const got = await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${tradeId}`);
    expect(got.status).toBe(200);
    expect(got.body.contract.delivery).toMatchObject({
      terms: "EXW KAZGPZ",
      basis: "KAZGPZ",
      region: "MANGYSTAU",
      period: "2026-01",
      transport: { mode: "rail", unitKg: 65_000, units: 2 },
    });
    const response = await fetch(`${server.url}/api/accounts/AKTAU-1/contracts/${tradeId}/pdf?lang=kk`, {
      headers: { cookie: aktau.cookie },
    });
    expect(response.status).toBe(200);
    const text = (await pdfText(Buffer.from(await response.arrayBuffer()))).replace(/\s+/g, " ");
    expect(text).toContain("Көлік");
    expect(text).toContain("темір жол көлігі, теміржол цистернасы 65,000 т; шарт бойынша цистерналар саны: 2");
    expect(text).not.toContain("rail");
  });

  it("a contract on the instrument listed without transport has no transport key", async () => {
    const order = { instrument: INSTRUMENT, price: PRICE, quantity: 1_000 };
    await server.call(seller, "POST", "/api/orders", {
      ...order,
      account: "KAZGPZ-1",
      clientOrderId: "r-s",
      side: "sell",
    });
    const buy = await server.call(aktau, "POST", "/api/orders", {
      ...order,
      account: "AKTAU-1",
      clientOrderId: "r-b",
      side: "buy",
    });
    const tradeId = buy.body.trades[0].tradeId as string;
    const got = await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${tradeId}`);
    expect(Object.keys(got.body.contract.delivery)).not.toContain("transport");
  });
});
