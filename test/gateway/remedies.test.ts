/**
 * The rulebook's remedies over real HTTP: a negotiated deal registered by the seller's trader inside the band (and
 * refused a tick outside it), accepted by the buyer's trader, cleared like a book trade and marked on the tape; one
 * between two members of one group raises a wash-trade alert; the operator's extra session for a voided trade's
 * volume; the clearing report of a member as JSON, XLSX (read back with exceljs) and PDF (text extracted), with its
 * netted money, collateral held and a margin call when free money does not cover a payment due.
 */

import ExcelJS from "exceljs";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTRUMENT, type Session, TestServer } from "../support/server.ts";

let server: TestServer;
let operator: Session;
let seller: Session;
let aktau: Session;
let atyrau: Session;

beforeAll(async () => {
  server = await TestServer.start();
  // A ±10% band around the listed reference 133,000 ₸/t: 119,700 to 146,300.
  const band = await server.exchange.submit({
    type: "safeguards.set",
    instrument: INSTRUMENT,
    changes: { bandBps: 1000 },
    reason: "remedies test",
  });
  expect(band.events.map((e) => e.type)).toEqual(["safeguards.changed"]);
  operator = await server.login("operator");
  seller = await server.login("kazgpz-trader");
  aktau = await server.login("aktau-trader");
  atyrau = await server.login("atyrau-trader");
});
afterAll(async () => {
  await server.close();
});

async function download(session: Session, path: string): Promise<{ status: number; type: string; bytes: Buffer }> {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: session.cookie } });
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

const deal = (buyer: string, priceTiynPerTonne: number, quantityKg = 10_000) => ({
  instrument: INSTRUMENT,
  buyer,
  priceTiynPerTonne,
  quantityKg,
});

describe("negotiated deals over HTTP", () => {
  it("registers at the band's edge, refuses a tick beyond, trades on the buyer's accept and marks the tape", async () => {
    const beyond = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/negotiated", deal("AKTAU-1", 14_630_100));
    expect([beyond.status, beyond.body.error.code]).toEqual([422, "ORDER_PRICE_OUTSIDE_BAND"]);
    const below = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/negotiated", deal("AKTAU-1", 11_969_900));
    expect([below.status, below.body.error.code]).toEqual([422, "ORDER_PRICE_OUTSIDE_BAND"]);
    // A deal sent with the order's short names is told the name it used is not known, not that no price was given.
    const { priceTiynPerTonne: _, ...noPrice } = deal("AKTAU-1", 14_000_000);
    const shortNames = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/negotiated", {
      ...noPrice,
      price: 14_000_000,
    });
    expect([shortNames.status, shortNames.body.error.details.keyword, shortNames.body.error.details.field]).toEqual([
      400,
      "additionalProperties",
      "price",
    ]);
    // A required field missing alone is still said as missing.
    const missing = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/negotiated", noPrice);
    expect([missing.body.error.details.keyword, missing.body.error.details.field]).toEqual([
      "required",
      "priceTiynPerTonne",
    ]);
    const submitted = await server.call(
      seller,
      "POST",
      "/api/accounts/KAZGPZ-1/negotiated",
      deal("AKTAU-1", 14_630_000),
    );
    expect(submitted.status).toBe(201);
    const id = submitted.body.deal.id as string;
    expect(submitted.body.deal).toMatchObject({ seller: "KAZGPZ-1", buyer: "AKTAU-1", priceTiynPerTonne: 14_630_000 });

    const listed = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/negotiated");
    expect(listed.body.deals.map((d: { id: string }) => d.id)).toEqual([id]);
    // Another member cannot answer on AKTAU's account, nor on its own (it is not the buyer).
    const foreign = await server.call(atyrau, "POST", `/api/accounts/AKTAU-1/negotiated/${id}/accept`, {});
    expect([foreign.status, foreign.body.error.code]).toEqual([403, "FORBIDDEN_ACCOUNT"]);
    const notParty = await server.call(atyrau, "POST", `/api/accounts/ATYRAU-1/negotiated/${id}/accept`, {});
    expect([notParty.status, notParty.body.error.code]).toEqual([403, "NEGOTIATED_NOT_PARTY"]);

    const accepted = await server.call(aktau, "POST", `/api/accounts/AKTAU-1/negotiated/${id}/accept`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.body.tradeId).toMatch(/^T-PB-KAZGPZ-MNG-2026-01-S1-\d+$/);
    // 10 t × 146,300 ₸: value 1,463,000 ₸; 5% collateral and 0.05% fee.
    expect(accepted.body.obligation).toMatchObject({
      buyer: "AKTAU-1",
      seller: "KAZGPZ-1",
      valueTiyn: 146_300_000,
      collateralTiyn: 7_315_000,
      buyerFeeTiyn: 73_150,
      status: "open",
    });
    const tape = await server.call(null, "GET", `/api/instruments/${INSTRUMENT}/trades`);
    const printed = tape.body.trades.find((t: { tradeId: string }) => t.tradeId === accepted.body.tradeId);
    expect(printed).toMatchObject({ priceTiynPerTonne: 14_630_000, quantityKg: 10_000, negotiated: true });
    expect((await server.call(aktau, "GET", "/api/accounts/AKTAU-1/negotiated")).body.count).toBe(0);
  });

  it("a negotiated trade between two members of one group raises a wash-trade alert", async () => {
    for (const member of ["KAZGPZ", "ATYRAU"]) {
      const grouped = await server.exchange.submit({
        type: "member.group",
        member,
        group: "G-REMEDIES",
        evidence: "registry extract 14",
        reason: "common owner",
      });
      expect(grouped.events.map((e) => e.type)).toEqual(["member.grouped"]);
    }
    const before = server.exchange.surveillance.alerts({ rule: "wash-trade" }).length;
    const submitted = await server.call(
      seller,
      "POST",
      "/api/accounts/KAZGPZ-1/negotiated",
      deal("ATYRAU-1", 13_300_000),
    );
    const id = submitted.body.deal.id as string;
    const accepted = await server.call(atyrau, "POST", `/api/accounts/ATYRAU-1/negotiated/${id}/accept`, {});
    expect(accepted.status).toBe(200);
    const alerts = server.exchange.surveillance.alerts({ rule: "wash-trade" });
    expect(alerts.length).toBe(before + 1);
    expect(alerts.at(-1)).toMatchObject({ accounts: ["ATYRAU-1", "KAZGPZ-1"], groups: ["G-REMEDIES"] });
  });

  it("a rejected deal is gone; the seller may withdraw one", async () => {
    const a = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/negotiated", deal("AKTAU-1", 13_300_000));
    const b = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/negotiated", deal("AKTAU-1", 13_300_000));
    expect(
      (await server.call(aktau, "POST", `/api/accounts/AKTAU-1/negotiated/${a.body.deal.id}/reject`, {})).status,
    ).toBe(200);
    expect(
      (await server.call(seller, "POST", `/api/accounts/KAZGPZ-1/negotiated/${b.body.deal.id}/reject`, {})).status,
    ).toBe(200);
    const again = await server.call(aktau, "POST", `/api/accounts/AKTAU-1/negotiated/${a.body.deal.id}/accept`, {});
    expect([again.status, again.body.error.code]).toEqual([404, "NEGOTIATED_NOT_FOUND"]);
  });
});

describe("clearing report", () => {
  it("nets the member's money, shows collateral held and calls margin when free money does not cover a payment due", async () => {
    // ATYRAU owes 1,330,000 ₸ for the wash-trade deal above, due in a day; it withdraws all but 100 ₸ of free money.
    const free = server.exchange.projections.accounts.balances("ATYRAU-1").find((b) => b.asset === "KZT")!.free;
    const withdrawn = await server.exchange.submit({
      type: "money.withdraw",
      account: "ATYRAU-1",
      amount: Number(free) - 10_000,
      reference: "REMEDIES-W1",
    });
    expect(withdrawn.events.find((e) => e.type === "rejected")).toBeUndefined();
    const report = await server.call(atyrau, "GET", "/api/accounts/ATYRAU-1/clearing-reports/2026-01-05");
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      document: "sauda.clearing-report",
      date: "2026-01-05",
      member: "ATYRAU",
      netting: { toPayTiyn: "133000000", toReceiveTiyn: "0", netTiyn: "-133000000", toDeliverKg: 0 },
      accounts: [
        {
          account: "ATYRAU-1",
          freeTiyn: "10000",
          collateralHeldTiyn: String(6_650_000 + 66_500),
          dueNextDayTiyn: "133000000",
          marginCallTiyn: String(133_000_000 - 10_000),
        },
      ],
      marginCalls: [{ account: "ATYRAU-1", amountTiyn: String(133_000_000 - 10_000) }],
    });
    expect(report.body.obligations).toHaveLength(1);
    expect(report.body.obligations[0]).toMatchObject({ role: "buyer", toPayTiyn: 133_000_000, toDeliverKg: 0 });

    // The seller's side: to deliver both deals' 20 t, to receive their value less its fee.
    const plant = await server.call(operator, "GET", "/api/accounts/KAZGPZ-1/clearing-reports/2026-01-05");
    expect(plant.body.netting).toMatchObject({
      toPayTiyn: "0",
      toReceiveTiyn: String(146_300_000 - 73_150 + 133_000_000 - 66_500),
      toDeliverKg: 20_000,
    });
    expect(plant.body.marginCalls).toEqual([]);
    const other = await server.call(aktau, "GET", "/api/accounts/ATYRAU-1/clearing-reports/2026-01-05");
    expect([other.status, other.body.error.code]).toEqual([403, "FORBIDDEN_ACCOUNT"]);

    const xlsx = await download(atyrau, "/api/accounts/ATYRAU-1/clearing-reports/2026-01-05/xlsx");
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Summary", "Obligations", "Collateral", "Margin calls"]);
    const summary = workbook.getWorksheet("Summary")!;
    expect(summary.getRow(6).values).toEqual([undefined, "To pay, KZT", 1_330_000]);
    expect(summary.getRow(8).values).toEqual([undefined, "Net (receive − pay), KZT", -1_330_000]);
    const obligations = workbook.getWorksheet("Obligations")!;
    expect(obligations.getRow(2).getCell(4).value).toBe("Buyer");
    expect(obligations.getRow(2).getCell(9).value).toBe(1_330_000);
    const calls = workbook.getWorksheet("Margin calls")!;
    expect(calls.getRow(2).values).toEqual([
      undefined,
      "ATYRAU-1",
      1_329_900,
      expect.stringMatching(/^2026-01-06 \d\d:\d\d$/),
      expect.stringMatching(/^2026-01-06T/),
    ]);
    // In Kazakh and Russian: headings, roles and statuses in the language, Kazakhstan time as "06.01.2026 09:47" where a
    // person reads it, and the same instants as ISO 8601 UTC text in the last columns.
    for (const [lang, sheetNames, role, status, dueHeading] of [
      [
        "kk",
        ["Жиынтық", "Міндеттемелер", "Кепілдік", "Маржалық талаптар"],
        "Сатып алушы",
        "ашық",
        "Мерзімі (Қазақстан уақыты, UTC+5)",
      ],
      [
        "ru",
        ["Сводка", "Обязательства", "Обеспечение", "Маржин. требования"],
        "Покупатель",
        "открыто",
        "Срок (время Казахстана, UTC+5)",
      ],
    ] as const) {
      const localized = await download(atyrau, `/api/accounts/ATYRAU-1/clearing-reports/2026-01-05/xlsx?lang=${lang}`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(localized.bytes as unknown as ArrayBuffer);
      expect(book.worksheets.map((w) => w.name)).toEqual(sheetNames);
      const [summarySheet, obligationSheet, , callSheet] = book.worksheets;
      expect(summarySheet!.getRow(4).getCell(2).value).toMatch(/^0[56]\.01\.2026 \d\d:\d\d$/);
      expect(summarySheet!.getRow(4).getCell(4).value).toMatch(/^2026-01-0[56]T.*Z$/);
      expect([obligationSheet!.getRow(2).getCell(4).value, obligationSheet!.getRow(2).getCell(8).value]).toEqual([
        role,
        status,
      ]);
      expect(obligationSheet!.getRow(2).getCell(10).value).toMatch(/^\d\d\.01\.2026 \d\d:\d\d$/);
      expect(obligationSheet!.getRow(2).getCell(14).value).toMatch(/^2026-01-\d\dT.*Z$/);
      expect(callSheet!.getRow(1).values).toEqual([
        undefined,
        expect.any(String),
        expect.any(String),
        dueHeading,
        `${dueHeading.replace(/ \(.*\)$/, "")}: UTC, ISO 8601`,
      ]);
      expect(callSheet!.getRow(2).values).toEqual([
        undefined,
        "ATYRAU-1",
        1_329_900,
        expect.stringMatching(/^06\.01\.2026 \d\d:\d\d$/),
        expect.stringMatching(/^2026-01-06T/),
      ]);
    }

    const pdf = await download(atyrau, "/api/accounts/ATYRAU-1/clearing-reports/2026-01-05/pdf?lang=kk");
    expect([pdf.status, pdf.type]).toEqual([200, "application/pdf"]);
    const parser = new PDFParse({ data: new Uint8Array(pdf.bytes) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain("Клирингтік есеп");
    expect(text).toContain("Маржалық талаптар");
    expect(text).toContain("1 329 900");
  });
});

describe("extra session for a voided trade's volume", () => {
  it("the operator voids a trade, the instrument closes, and the extra session offers its volume at the session's average", async () => {
    const order = (session: Session, account: string, side: "buy" | "sell", id: string) =>
      server.call(session, "POST", "/api/orders", {
        instrument: INSTRUMENT,
        account,
        clientOrderId: id,
        side,
        price: 13_300_000,
        quantity: 4000,
        tif: "DAY",
      });
    expect((await order(seller, "KAZGPZ-1", "sell", "ro-s")).status).toBe(201);
    const bought = await order(aktau, "AKTAU-1", "buy", "ro-b");
    const tradeId = bought.body.trades[0].tradeId as string;
    expect(tradeId).toMatch(/^T-/);
    const voided = await server.call(operator, "POST", `/api/admin/trades/${tradeId}/void`, {
      reason: "entry rules broken",
      rule: "Rulebook 4.2",
    });
    expect(voided.status).toBe(200);
    const waiting = await server.call(operator, "GET", "/api/admin/reoffers");
    expect(waiting.body.reoffers.at(-1)).toMatchObject({ seller: "KAZGPZ-1", quantityKg: 4000, offered: false });
    // Still in session: the extra session waits for the close, and the operator is told so in plain words.
    const early = async (language: string) => {
      const response = await fetch(`${server.url}/api/admin/instruments/${INSTRUMENT}/extra-session`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          cookie: operator.cookie,
          "x-csrf-token": operator.csrf,
          "accept-language": language,
        },
        body: JSON.stringify({ reason: "re-offer" }),
      });
      const body = (await response.json()) as { error: { code: string; message: string } };
      return [response.status, body.error.code, body.error.message];
    };
    expect(await early("en")).toEqual([
      409,
      "EXTRA_SESSION_NOT_CLOSED",
      `An extra session of '${INSTRUMENT}' can be opened only after its session has closed; it is now in phase continuous.`,
    ]);
    expect(await early("ru")).toEqual([
      409,
      "EXTRA_SESSION_NOT_CLOSED",
      `Дополнительную сессию по инструменту '${INSTRUMENT}' можно открыть только после закрытия его сессии; сейчас фаза: непрерывные торги.`,
    ]);
    expect(await early("kk")).toEqual([
      409,
      "EXTRA_SESSION_NOT_CLOSED",
      `'${INSTRUMENT}' құралы бойынша қосымша сессияны оның сессиясы жабылғаннан кейін ғана ашуға болады; қазіргі кезең: үздіксіз сауда.`,
    ]);
    const closed = await server.exchange.submit({ type: "phase.set", instrument: INSTRUMENT, phase: "closed" });
    expect(closed.events.find((e) => e.type === "rejected")).toBeUndefined();
    // The session traded 10 t at 146,300, 10 t at 133,000 (negotiated, not counted) and 4 t at 133,000 (voided, but
    // it was made): its average of book trades is 133,000.
    const reference = server.exchange.engine.market(INSTRUMENT)!.bandReference!;
    const opened = await server.call(operator, "POST", `/api/admin/instruments/${INSTRUMENT}/extra-session`, {
      reason: "re-offer",
    });
    expect(opened.status).toBe(200);
    expect(opened.body.basePriceTiynPerTonne).toBe(Math.floor((reference + 50) / 100) * 100);
    // The public reference price (the band's centre) is the base price on the tick, not the unrounded average.
    const read = await server.call(seller, "GET", `/api/instruments/${INSTRUMENT}`);
    expect(read.body.referencePriceTiynPerTonne).toBe(opened.body.basePriceTiynPerTonne);
    expect(
      opened.body.reoffers.map((r: { seller: string; quantityKg: number }) => [r.seller, r.quantityKg]),
    ).toContainEqual(["KAZGPZ-1", 4000]);
    const spoof = await server.call(seller, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "ro-x",
      side: "sell",
      price: 13_300_000,
      quantity: 1000,
    });
    expect([spoof.status, spoof.body.error.code]).toEqual([409, "EXTRA_SESSION_SELL_FORBIDDEN"]);
  });
});
