/**
 * A past day's documents show the state at the end of that day (gateway/day-end.ts), over real HTTP: two trades on
 * 5 January 2026 (the first dispatched that day), then on the 6th the first is paid and arrives, the second is voided;
 * on the 7th a deposit. The clearing report and the statement of the 5th still show both obligations open and unpaid,
 * the collateral held for both and the shipment not arrived; those of the 6th show the payment, the arrival and the
 * void. The 5th's report as XLSX and PDF carries the 5th's figures. Asked again, the 5th's come from the kept rebuild
 * (no second rebuild).
 */

import ExcelJS from "exceljs";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayEndDocuments } from "../../src/gateway/day-end.ts";
import { INSTRUMENT, type Session, TestServer } from "../support/server.ts";

let server: TestServer;
let operator: Session;
let seller: Session;
let aktau: Session;

const D_NOON = Date.UTC(2026, 0, 5, 6, 0, 0); // 11:00 on the 5th, exchange time
const D1 = Date.UTC(2026, 0, 5, 19, 0, 0); // 00:00 on the 6th
const D2 = Date.UTC(2026, 0, 6, 19, 0, 0); // 00:00 on the 7th

beforeAll(async () => {
  server = await TestServer.start();
  await login();
});
afterAll(async () => {
  await server.close();
});

async function login(): Promise<void> {
  operator = await server.login("operator");
  seller = await server.login("kazgpz-trader");
  aktau = await server.login("aktau-trader");
}

async function trade(id: string, kg: number): Promise<string> {
  const offer = { instrument: INSTRUMENT, account: "KAZGPZ-1", clientOrderId: `${id}-s`, side: "sell" };
  expect((await server.call(seller, "POST", "/api/orders", { ...offer, price: 13_300_000, quantity: kg })).status).toBe(
    201,
  );
  const bid = await server.call(aktau, "POST", "/api/orders", {
    instrument: INSTRUMENT,
    account: "AKTAU-1",
    clientOrderId: `${id}-b`,
    side: "buy",
    price: 13_300_000,
    quantity: kg,
  });
  expect(bid.body.trades).toHaveLength(1);
  return bid.body.trades[0].tradeId as string;
}

describe("documents of a past day", () => {
  it("show the state at the end of that day, not the state when asked", async () => {
    server.nowMs = D_NOON;
    const station = await server.call(operator, "POST", "/api/admin/stations", {
      station: "AKTAU-ST-09",
      member: "AKTAU",
      name: "Aktau, 9th",
      region: "MANGYSTAU",
      document: "Land registry extract 9",
    });
    expect(station.status).toBe(201);
    const balancesBefore = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/balances");
    const freeBefore = BigInt(balancesBefore.body.balances.find((b: { asset: string }) => b.asset === "KZT").free);
    server.nowMs += 60_000;
    const a = await trade("a", 10_000); // 1,330,000.00 ₸: deposit 66,500.00, fee 665.00
    server.nowMs += 60_000;
    const b = await trade("b", 4000); // 532,000.00 ₸: deposit 26,600.00, fee 266.00
    const obA = `OB-${a.slice(2)}`;
    const obB = `OB-${b.slice(2)}`;
    server.nowMs += 60_000;
    const dispatched = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/shipments", {
      obligation: obA,
      vehicle: "777 AAA 12",
      waybill: "TTN-9",
      quantityKg: 10_000,
      date: "2026-01-05",
    });
    expect(dispatched.status).toBe(201);

    // The 6th: A paid and arrived, B voided.
    server.nowMs = D1 + 3_600_000;
    await login();
    const paid = await server.call(operator, "POST", `/api/admin/obligations/${obA}/confirm-payment`, {});
    expect(paid.status).toBe(200);
    const arrived = await server.call(aktau, "POST", "/api/accounts/AKTAU-1/arrivals", {
      shipment: `${obA}/S1`,
      station: "AKTAU-ST-09",
    });
    expect(arrived.body.progress.delivered).toBe(true);
    const voided = await server.call(operator, "POST", `/api/admin/trades/${b}/void`, {
      reason: "entry rules broken",
      rule: "Rulebook §2",
    });
    expect(voided.status).toBe(200);
    // The 7th: a deposit, so the journal has passed the 6th too.
    server.nowMs = D2 + 3_600_000;
    await login();
    const deposit = await server.exchange.submit({
      type: "money.deposit",
      account: "AKTAU-1",
      amount: 100,
      reference: "DAY-END-7",
    });
    expect(deposit.events.find((e) => e.type === "rejected")).toBeUndefined();

    const documents = dayEndDocuments(server.exchange);
    const rebuildsBefore = documents.rebuilds;
    const held5 = 6_650_000n + 66_500n + 2_660_000n + 26_600n;
    const day5 = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/clearing-reports/2026-01-05");
    expect(day5.status).toBe(200);
    expect(day5.body).toMatchObject({
      date: "2026-01-05",
      member: "AKTAU",
      netting: { toPayTiyn: "186200000", toReceiveTiyn: "0", netTiyn: "-186200000", toDeliverKg: 0 },
      accounts: [
        {
          account: "AKTAU-1",
          freeTiyn: String(freeBefore - held5),
          collateralHeldTiyn: String(held5),
          ordersBlockedTiyn: "0",
        },
      ],
    });
    expect(Date.parse(day5.body.asOf)).toBeLessThan(D1);
    expect(
      day5.body.obligations.map((o: { obligation: string; status: string; paid: boolean; delivered: boolean }) => [
        o.obligation,
        o.status,
        o.paid,
        o.delivered,
      ]),
    ).toEqual([
      [obA, "open", false, false],
      [obB, "open", false, false],
    ]);
    // The workbook and the PDF of the 5th carry the same figures.
    const download = async (path: string) =>
      Buffer.from(await (await fetch(`${server.url}${path}`, { headers: { cookie: aktau.cookie } })).arrayBuffer());
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      (await download("/api/accounts/AKTAU-1/clearing-reports/2026-01-05/xlsx")) as unknown as ArrayBuffer,
    );
    expect(workbook.getWorksheet("Summary")!.getRow(6).values).toEqual([undefined, "To pay, KZT", 1_862_000]);
    const parser = new PDFParse({
      data: new Uint8Array(await download("/api/accounts/AKTAU-1/clearing-reports/2026-01-05/pdf?lang=ru")),
    });
    const text = (await parser.getText()).text.replaceAll("\u00a0", " ");
    await parser.destroy();
    expect(text).toContain("1 862 000,00");
    expect(text).toContain("94 031,00");
    const plant5 = await server.call(operator, "GET", "/api/accounts/KAZGPZ-1/clearing-reports/2026-01-05");
    expect(plant5.body.netting).toMatchObject({ toDeliverKg: 14_000, toPayTiyn: "0" });

    const statement5 = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/statements/2026-01-05");
    expect(statement5.status).toBe(200);
    const acct5 = statement5.body.accounts[0];
    expect(acct5.trades.map((t: { tradeId: string }) => t.tradeId)).toEqual([a, b]);
    expect(
      acct5.obligations.map((o: { id?: string; obligation?: string; status: string; paid: boolean }) => [
        o.status,
        o.paid,
      ]),
    ).toEqual([
      ["open", false],
      ["open", false],
    ]);
    expect(acct5.deliveries).toMatchObject([{ shipment: `${obA}/S1`, quantityKg: 10_000, arrived: null }]);

    // The 6th: A paid and delivered (nothing left to pay or deliver), B voided (nothing held for it).
    const day6 = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/clearing-reports/2026-01-06");
    expect(day6.body.netting).toMatchObject({ toPayTiyn: "0", toReceiveTiyn: "0", netTiyn: "0", toDeliverKg: 0 });
    expect(
      day6.body.obligations.map((o: { obligation: string; status: string; paid: boolean; delivered: boolean }) => [
        o.obligation,
        o.status,
        o.paid,
        o.delivered,
      ]),
    ).toEqual([
      [obA, "settled", true, true],
      [obB, "voided", false, false],
    ]);
    expect(Date.parse(day6.body.asOf)).toBeGreaterThanOrEqual(D1);
    expect(Date.parse(day6.body.asOf)).toBeLessThan(D2);
    const now = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/balances");
    const freeNow = BigInt(now.body.balances.find((x: { asset: string }) => x.asset === "KZT").free);
    // The 7th's deposit of 100 tiyn is not in the 6th's free money.
    expect(day6.body.accounts[0]).toMatchObject({ freeTiyn: String(freeNow - 100n) });
    const statement6 = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/statements/2026-01-06");
    const acct6 = statement6.body.accounts[0];
    expect(acct6.trades).toEqual([]);
    expect(acct6.obligations.map((o: { status: string; paid: boolean }) => [o.status, o.paid])).toEqual([
      ["settled", true],
      ["voided", false],
    ]);
    expect(acct6.deliveries).toMatchObject([
      { shipment: `${obA}/S1`, arrived: expect.stringMatching(/^2026-01-05T20:/) },
    ]);
    expect(documents.rebuilds - rebuildsBefore).toBe(2);

    // Asked again: the same figures from the kept rebuild.
    const again = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/clearing-reports/2026-01-05");
    expect(again.body).toEqual(day5.body);
    expect(documents.rebuilds - rebuildsBefore).toBe(2);
    // Today's report is made from the live views.
    const today = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/clearing-reports/2026-01-07");
    expect(today.body.accounts[0].freeTiyn).toBe(String(freeNow));
    expect(documents.rebuilds - rebuildsBefore).toBe(2);
  });
});
