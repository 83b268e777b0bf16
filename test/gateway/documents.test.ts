/**
 * A trade's whole life through its documents, over real HTTP: the operator sets a VAT rate for a later date, a trade,
 * its exchange contract as JSON (its SHA-256 recomputed here from the canonical form) and as PDF in Kazakh (its text
 * extracted with pdf-parse: the Kazakh letters and the figures are there), a copy checked by its hash, the seller's
 * dispatch, the buyer's arrival, the e-invoice XML valid against docs/einvoice.xsd (xmllint-wasm, libxml2's
 * validator), and the daily statement as JSON, XLSX (read back with exceljs) and PDF; a trade after the VAT date
 * shows the new rate. Who may read what: a member that is not a party gets nothing. The ledger still balances.
 */

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import canonicalize from "canonicalize";
import ExcelJS from "exceljs";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import type { Command } from "../../src/engine/commands.ts";
import { INSTRUMENT, SETUP, type Session, TestServer, USERS } from "../support/server.ts";

const SELLER_BIN = "951240000017";
const BUYER_BIN = "080540012345";
const SELLER_NAME = "«ҚазГӨЗ» Жаңаөзен газ өңдеу зауыты";
const BUYER_NAME = "«Ақтау гауһар» ЖШС";

let server: TestServer;
let operator: Session;
let regulator: Session;
let seller: Session;
let aktau: Session;
let atyrau: Session;

beforeAll(async () => {
  server = await TestServer.start({ setup: false });
  // The shared set-up, with BINs and Kazakh names for the plant and the Aktau buyer.
  const setup = SETUP.map((command): Command => {
    if (command.type !== "member.add") return command;
    if (command.member === "KAZGPZ") return { ...command, name: SELLER_NAME, bin: SELLER_BIN };
    if (command.member === "AKTAU") return { ...command, name: BUYER_NAME, bin: BUYER_BIN };
    return command;
  });
  for (const command of setup) await server.exchange.submit(command);
  for (const user of USERS) await server.addUser(user.id, user.role, user.member);
  operator = await server.login("operator");
  regulator = await server.login("regulator");
  seller = await server.login("kazgpz-trader");
  aktau = await server.login("aktau-trader");
  atyrau = await server.login("atyrau-trader");
});
afterAll(async () => {
  await server.close();
});

/** The raw bytes of a GET (PDF, XLSX, XML). */
async function download(session: Session, path: string): Promise<{ status: number; type: string; bytes: Buffer }> {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: session.cookie } });
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    // No-break spaces (ru and kk group thousands with them) read as spaces.
    return (await parser.getText()).text.replaceAll("\u00a0", " ");
  } finally {
    await parser.destroy();
  }
}

async function trade(id: string, kg: number, price: number): Promise<string> {
  const offer = { instrument: INSTRUMENT, account: "KAZGPZ-1", clientOrderId: `${id}-s`, side: "sell", price };
  expect((await server.call(seller, "POST", "/api/orders", { ...offer, quantity: kg })).status).toBe(201);
  const bid = await server.call(aktau, "POST", "/api/orders", {
    instrument: INSTRUMENT,
    account: "AKTAU-1",
    clientOrderId: `${id}-b`,
    side: "buy",
    price,
    quantity: kg,
  });
  expect(bid.body.trades).toHaveLength(1);
  return bid.body.trades[0].tradeId as string;
}

/** The exchange date (UTC+5) of a time. */
function exchangeDay(ms: number): string {
  return new Date(ms + 5 * 3_600_000).toISOString().slice(0, 10);
}

function ledgerBalances(): void {
  expect(server.exchange.checkInvariants()).toBe(true);
  const sums = new Map<string, bigint>();
  for (const entry of server.exchange.projections.accounts.ledgerEntries()) {
    sums.set(entry.asset, (sums.get(entry.asset) ?? 0n) + entry.balance);
  }
  for (const [asset, sum] of sums) expect(sum, asset).toBe(0n);
}

describe("a trade's documents", () => {
  let tradeId = "";

  it("the operator sets VAT from a later date; a date not after today is refused", async () => {
    // 2026-01-05 11:00 exchange time: the 5th is today, so the earliest date of effect is the 6th.
    const today = await server.call(operator, "POST", "/api/admin/vat", {
      rateBps: 1600,
      from: "2026-01-05",
      reason: "too early",
    });
    expect([today.status, today.body.error.code]).toEqual([400, "VAT_INVALID"]);
    const byMember = await server.call(aktau, "POST", "/api/admin/vat", {
      rateBps: 0,
      from: "2026-01-06",
      reason: "x",
    });
    expect(byMember.status).toBe(403);
    const set = await server.call(operator, "POST", "/api/admin/vat", {
      rateBps: 1600,
      from: "2026-01-06",
      reason: "Tax Code amendment",
    });
    expect(set.status).toBe(200);
    expect(set.body.vat).toMatchObject({
      defaultRateBps: 1200,
      rateTodayBps: 1200,
      today: "2026-01-05",
      schedule: [{ from: "2026-01-06", rateBps: 1600, reason: "Tax Code amendment" }],
    });
    const audit = await server.call(regulator, "GET", "/api/regulator/audit?commandType=vat.set");
    // Newest first: the change, with who made it, and the refused attempt with its code.
    expect(
      audit.body.entries.map((e: { summary: string; actor: string; code: string | null }) => [
        e.summary,
        e.actor,
        e.code,
      ]),
    ).toEqual([
      ["set VAT to 1600 bps from 2026-01-06; reason: Tax Code amendment", "operator", null],
      ["set VAT to 1600 bps from 2026-01-05; reason: too early", "operator", "VAT_INVALID"],
    ]);
  });

  it("trade → contract JSON with VAT and both BINs, its hash recomputed from the canonical form", async () => {
    const registered = await server.call(operator, "POST", "/api/admin/stations", {
      station: "AKTAU-ST-01",
      member: "AKTAU",
      name: "Aktau, 14th microdistrict",
      region: "MANGYSTAU",
      document: "Land registry extract 12-345",
    });
    expect(registered.status).toBe(201);
    server.nowMs += 60_000;
    tradeId = await trade("c1", 5000, 13_300_000);

    const got = await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${tradeId}`);
    expect(got.status).toBe(200);
    const contract = got.body.contract;
    expect(contract).toMatchObject({
      document: "sauda.exchange-contract",
      contract: `EC-${tradeId.slice(2)}`,
      trade: tradeId,
      tradeDate: "2026-01-05",
      seller: { member: "KAZGPZ", name: SELLER_NAME, bin: SELLER_BIN, account: "KAZGPZ-1" },
      buyer: { member: "AKTAU", name: BUYER_NAME, bin: BUYER_BIN, account: "AKTAU-1" },
      instrument: { id: INSTRUMENT, product: "propane-butane", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
      priceTiynPerTonne: 13_300_000,
      quantityKg: 5000,
      // 5 t × 133,000.00 tenge = 665,000.00 tenge; 12% = 79,800.00; with VAT 744,800.00.
      valueWithoutVatTiyn: "66500000",
      vatRateBps: 1200,
      vatTiyn: "7980000",
      valueWithVatTiyn: "74480000",
      delivery: { terms: "EXW KAZGPZ", basis: "KAZGPZ", region: "MANGYSTAU", period: "2026-01" },
      clearing: { obligation: `OB-${tradeId.slice(2)}`, collateralTiyn: 3_325_000, buyerFeeTiyn: 33_250 },
    });
    expect(contract.rulebook).toContain("docs/documents.md");
    const expected = createHash("sha256").update(canonicalize(contract)!).digest("hex");
    expect(got.body.sha256).toBe(expected);
    // The same contract for the seller, the operator and the regulator.
    const bySeller = await server.call(seller, "GET", `/api/accounts/KAZGPZ-1/contracts/${tradeId}`);
    expect(bySeller.body.sha256).toBe(expected);
    const byRegulator = await server.call(regulator, "GET", `/api/accounts/KAZGPZ-1/contracts/${tradeId}`);
    expect(byRegulator.body.sha256).toBe(expected);
  });

  it("refuses the contract to a member that is not a party, and on an account that is not a party", async () => {
    const other = await server.call(atyrau, "GET", `/api/accounts/AKTAU-1/contracts/${tradeId}`);
    expect([other.status, other.body.error.code]).toEqual([403, "FORBIDDEN_ACCOUNT"]);
    const notParty = await server.call(atyrau, "GET", `/api/accounts/ATYRAU-1/contracts/${tradeId}`);
    expect([notParty.status, notParty.body.error.code]).toEqual([404, "CONTRACT_NOT_FOUND"]);
    const pdf = await download(atyrau, `/api/accounts/ATYRAU-1/contracts/${tradeId}/pdf?lang=kk`);
    expect(pdf.status).toBe(404);
  });

  it("the contract PDF in Kazakh carries the Kazakh letters and the figures; a copy is checked by its hash", async () => {
    const pdf = await download(aktau, `/api/accounts/AKTAU-1/contracts/${tradeId}/pdf?lang=kk`);
    expect([pdf.status, pdf.type]).toEqual([200, "application/pdf"]);
    expect(pdf.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = await pdfText(pdf.bytes);
    for (const letter of ["ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і"]) expect(text, letter).toContain(letter);
    expect(text).toContain("Биржалық шарт");
    expect(text).toContain(SELLER_BIN);
    expect(text).toContain(BUYER_BIN);
    expect(text).toContain("ҚҚС-сыз құны: 665 000,00 теңге");
    expect(text).toContain("ҚҚС сомасы: 79 800,00 теңге");
    expect(text).toContain("ҚҚС-мен құны: 744 800,00 теңге");
    expect(text).toContain("ҚҚС мөлшерлемесі: 12,00 %");
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);

    const ru = await pdfText((await download(aktau, `/api/accounts/AKTAU-1/contracts/${tradeId}/pdf?lang=ru`)).bytes);
    expect(ru).toContain("Биржевой договор");
    expect(ru).toContain("Стоимость с НДС: 744 800,00 тенге");
    const en = await pdfText((await download(aktau, `/api/accounts/AKTAU-1/contracts/${tradeId}/pdf?lang=en`)).bytes);
    expect(en).toContain("Working copy in English");

    // The same PDF twice, byte for byte; its hash checks as the Kazakh PDF, a changed byte does not.
    const again = await download(regulator, `/api/accounts/AKTAU-1/contracts/${tradeId}/pdf?lang=kk`);
    expect(again.bytes.equals(pdf.bytes)).toBe(true);
    const sha = createHash("sha256").update(pdf.bytes).digest("hex");
    const check = await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${tradeId}/verify?sha256=${sha}`);
    expect(check.body).toMatchObject({ trade: tradeId, match: true, form: "pdf-kk" });
    const tampered = Buffer.from(pdf.bytes);
    const at = tampered.length - 10;
    tampered.writeUInt8(tampered.readUInt8(at) ^ 1, at);
    const bad = createHash("sha256").update(tampered).digest("hex");
    const refused = await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${tradeId}/verify?sha256=${bad}`);
    expect(refused.body).toMatchObject({ match: false, form: null });
    const json = await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${tradeId}`);
    const byJson = await server.call(
      aktau,
      "GET",
      `/api/accounts/AKTAU-1/contracts/${tradeId}/verify?sha256=${json.body.sha256}`,
    );
    expect(byJson.body).toMatchObject({ match: true, form: "json", contractSha256: json.body.sha256 });
  });

  it("dispatch → arrival → the e-invoice XML is valid against the schema", async () => {
    const obligation = `OB-${tradeId.slice(2)}`;
    const before = await download(aktau, "/api/accounts/AKTAU-1/einvoices");
    expect(before.bytes.toString("utf8")).toContain('count="0"');

    server.nowMs += 60_000;
    const dispatched = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/shipments", {
      obligation,
      vehicle: "123 ABC 12",
      waybill: "TTN-1",
      quantityKg: 5000,
      date: "2026-01-05",
    });
    expect(dispatched.status).toBe(201);
    server.nowMs += 3_600_000;
    const arrived = await server.call(aktau, "POST", "/api/accounts/AKTAU-1/arrivals", {
      shipment: `${obligation}/S1`,
      station: "AKTAU-ST-01",
    });
    expect(arrived.body.progress.delivered).toBe(true);

    const exported = await download(aktau, "/api/accounts/AKTAU-1/einvoices?from=2026-01-05&to=2026-01-05");
    expect([exported.status, exported.type]).toEqual([200, "application/xml; charset=utf-8"]);
    const xml = exported.bytes.toString("utf8");
    const schema = readFileSync(new URL("../../docs/einvoice.xsd", import.meta.url), "utf8");
    const validation = await validateXML({
      xml: [{ fileName: "esf.xml", contents: xml }],
      schema: [{ fileName: "einvoice.xsd", contents: schema }],
    });
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(xml).toContain('count="1"');
    expect(xml).toContain(`<num>ESF-${obligation.slice(3)}</num>`);
    expect(xml).toContain(`<tin>${SELLER_BIN}</tin>`);
    expect(xml).toContain(`<tin>${BUYER_BIN}</tin>`);
    expect(xml).toContain("<tnvedCode>2711 19</tnvedCode>");
    expect(xml).toContain("<quantity>5.000</quantity>");
    expect(xml).toContain("<unitPrice>133000.00</unitPrice>");
    expect(xml).toContain("<priceWithoutTax>665000.00</priceWithoutTax>");
    expect(xml).toContain("<ndsRate>12.00</ndsRate>");
    expect(xml).toContain("<ndsAmount>79800.00</ndsAmount>");
    expect(xml).toContain("<totalPriceWithTax>744800.00</totalPriceWithTax>");
    // The seller exports the same invoice; a day without deliveries exports none.
    const bySeller = await download(seller, "/api/accounts/KAZGPZ-1/einvoices");
    expect(bySeller.bytes.toString("utf8")).toContain(`<num>ESF-${obligation.slice(3)}</num>`);
    const otherDay = await download(aktau, "/api/accounts/AKTAU-1/einvoices?from=2026-01-06");
    expect(otherDay.bytes.toString("utf8")).toContain('count="0"');
    // A period that ends before it starts is refused, naming both days, rather than answered with an empty export;
    // a period of one day (from = to) is the smallest there is and was exported above.
    const reversed = await fetch(`${server.url}/api/accounts/AKTAU-1/einvoices?from=2026-01-06&to=2026-01-05`, {
      headers: { cookie: aktau.cookie, "accept-language": "ru" },
    });
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { error: unknown }).error).toEqual({
      code: "EINVOICE_PERIOD_REVERSED",
      message:
        "Период электронных счетов-фактур начинается 06.01.2026, позже своего конца 05.01.2026: начало периода должно быть не позже его конца.",
      details: { from: "2026-01-06", to: "2026-01-05" },
    });

    // An XML that breaks the schema is refused by the same validator: a BIN of 11 digits.
    const broken = await validateXML({
      xml: [{ fileName: "esf.xml", contents: xml.replace(`<tin>${BUYER_BIN}</tin>`, "<tin>08054001234</tin>") }],
      schema: [{ fileName: "einvoice.xsd", contents: schema }],
    });
    expect(broken.valid).toBe(false);
    ledgerBalances();
  });

  it("the daily statement as JSON, XLSX and PDF", async () => {
    const statement = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/statements/2026-01-05");
    expect(statement.status).toBe(200);
    expect(statement.body).toMatchObject({
      document: "sauda.daily-statement",
      date: "2026-01-05",
      member: "AKTAU",
      memberName: BUYER_NAME,
      bin: BUYER_BIN,
      scope: "account",
    });
    const account = statement.body.accounts[0];
    expect(account.trades).toEqual([
      expect.objectContaining({
        tradeId,
        side: "buy",
        quantityKg: 5000,
        vatTiyn: "7980000",
        valueWithVatTiyn: "74480000",
      }),
    ]);
    expect(account.obligations).toEqual([
      expect.objectContaining({ role: "buyer", collateralTiyn: 3_325_000, feeTiyn: 33_250, delivered: true }),
    ]);
    expect(account.deliveries).toEqual([
      expect.objectContaining({ shipment: `OB-${tradeId.slice(2)}/S1`, role: "buyer", station: "AKTAU-ST-01" }),
    ]);
    expect(account.totals).toEqual({
      boughtKg: 5000,
      soldKg: 0,
      boughtWithoutVatTiyn: "66500000",
      boughtVatTiyn: "7980000",
      soldWithoutVatTiyn: "0",
      soldVatTiyn: "0",
      feesTiyn: "33250",
      collateralTiyn: "3325000",
      // Shipments on the account's obligations, either side: the plant dispatched 5 t to AKTAU that day.
      dispatchedKg: 5000,
      arrivedKg: 5000,
    });
    const sellerSide = await server.call(seller, "GET", "/api/accounts/KAZGPZ-1/statements/2026-01-05?scope=member");
    expect(sellerSide.body.accounts[0].totals).toMatchObject({
      soldKg: 5000,
      soldVatTiyn: "7980000",
      dispatchedKg: 5000,
    });

    const xlsx = await download(aktau, "/api/accounts/AKTAU-1/statements/2026-01-05/xlsx");
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const trades = workbook.getWorksheet("Trades")!;
    expect(trades.rowCount).toBe(2);
    expect(trades.getRow(2).getCell(2).value).toBe(tradeId);
    expect(trades.getRow(2).getCell(11).value).toBe(79_800);
    // In the reader's language (here Accept-Language; `lang` comes first), times in Astana time, ISO UTC kept last.
    const ruResponse = await fetch(`${server.url}/api/accounts/AKTAU-1/statements/2026-01-05/xlsx`, {
      headers: { cookie: aktau.cookie, "accept-language": "ru-KZ,ru;q=0.9" },
    });
    expect(ruResponse.headers.get("content-language")).toBe("ru");
    const ru = new ExcelJS.Workbook();
    await ru.xlsx.load((await ruResponse.arrayBuffer()) as ArrayBuffer);
    const ruTrade = ru.getWorksheet("Сделки")!.getRow(2);
    const tradeIso = String(ruTrade.getCell(14).value);
    expect(tradeIso).toMatch(/^2026-01-05T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const local = new Date(Date.parse(tradeIso) + 5 * 3_600_000).toISOString();
    expect(ruTrade.getCell(4).value).toBe(`05.01.2026 ${local.slice(11, 16)}`);
    expect(ruTrade.getCell(6).value).toBe("покупка");
    const kkResponse = await fetch(`${server.url}/api/accounts/AKTAU-1/statements/2026-01-05/xlsx?lang=kk`, {
      headers: { cookie: aktau.cookie, "accept-language": "ru" },
    });
    const kk = new ExcelJS.Workbook();
    await kk.xlsx.load((await kkResponse.arrayBuffer()) as ArrayBuffer);
    expect(kk.getWorksheet("Мәмілелер")!.getRow(2).getCell(4).value).toBe(ruTrade.getCell(4).value);

    const pdf = await download(aktau, "/api/accounts/AKTAU-1/statements/2026-01-05/pdf?lang=kk");
    const text = await pdfText(pdf.bytes);
    expect(text).toContain("Күнделікті үзінді-көшірме");
    expect(text).toContain(tradeId);
    expect(text).toContain("744 800,00");
    // Without `lang`, the PDF is in the reader's language as the workbook is (it was Kazakh whatever was asked).
    const ruPdf = await fetch(`${server.url}/api/accounts/AKTAU-1/statements/2026-01-05/pdf`, {
      headers: { cookie: aktau.cookie, "accept-language": "ru" },
    });
    expect(ruPdf.headers.get("content-language")).toBe("ru");
    const ruText = await pdfText(Buffer.from(await ruPdf.arrayBuffer()));
    expect(ruText).toContain("Ежедневная выписка");
    expect(ruText).not.toContain("Күнделікті үзінді-көшірме");
  });

  it("a trade on the VAT date of effect shows the new rate", async () => {
    server.nowMs = Date.UTC(2026, 0, 5, 19, 0, 0); // 00:00 on the 6th in exchange time
    seller = await server.login("kazgpz-trader");
    aktau = await server.login("aktau-trader");
    const next = await trade("c2", 1000, 13_300_000);
    const got = await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${next}`);
    expect(got.body.contract).toMatchObject({
      tradeDate: "2026-01-06",
      vatRateBps: 1600,
      valueWithoutVatTiyn: "13300000",
      vatTiyn: "2128000",
      valueWithVatTiyn: "15428000",
    });
    // The first trade's contract keeps its rate and its hash.
    const first = await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${tradeId}`);
    expect(first.body.contract.vatRateBps).toBe(1200);
    ledgerBalances();
  });
});

describe("a voided trade", () => {
  it("the operator voids a trade with a reason and a rule: collateral and fee come back, the gas too, audited", async () => {
    operator = await server.login("operator");
    regulator = await server.login("regulator");
    const freeBefore = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/balances");
    const money = (body: { balances: { asset: string; free: string }[] }) =>
      body.balances.find((b) => b.asset === "KZT")!.free;
    const gas = async () =>
      (await server.call(seller, "GET", "/api/accounts/KAZGPZ-1/balances")).body.balances.find(
        (b: { asset: string }) => b.asset === "GAS:KAZGPZ",
      ).free;
    const gasBefore = await gas();
    const voided = await trade("v1", 2000, 13_300_000);
    const { sha256 } = (await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${voided}`)).body;
    const body = { reason: "the buyer's software broke the entry rules", rule: "Rulebook §2: orders" };

    const byRegulator = await server.call(regulator, "POST", `/api/admin/trades/${voided}/void`, body);
    expect(byRegulator.status).toBe(403);
    const done = await server.call(operator, "POST", `/api/admin/trades/${voided}/void`, body);
    expect(done.status).toBe(200);
    expect(done.body.obligation).toMatchObject({ tradeId: voided, status: "voided", paid: false, delivered: false });
    const again = await server.call(operator, "POST", `/api/admin/trades/${voided}/void`, body);
    expect([again.status, again.body.error.code]).toEqual([409, "TRADE_NOT_VOIDABLE"]);
    expect(again.body.error.details).toEqual({ trade: voided, status: "voided" });

    expect(money((await server.call(aktau, "GET", "/api/accounts/AKTAU-1/balances")).body)).toBe(
      money(freeBefore.body),
    );
    expect(await gas()).toBe(gasBefore);
    const audit = await server.call(regulator, "GET", "/api/regulator/audit?commandType=trade.void");
    expect(audit.body.entries.map((e: { summary: string; code: string | null }) => [e.summary, e.code])).toEqual([
      [`void trade ${voided} under Rulebook §2: orders; reason: ${body.reason}`, "OBLIGATION_NOT_OPEN"],
      [`void trade ${voided} under Rulebook §2: orders; reason: ${body.reason}`, null],
    ]);
    // The contract stays as it was made; the statement shows the obligation voided; no e-invoice is issued for it.
    expect((await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${voided}`)).body.sha256).toBe(sha256);
    const statement = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/statements/2026-01-06");
    expect(statement.body.accounts[0].obligations.find((o: { tradeId: string }) => o.tradeId === voided)).toMatchObject(
      { status: "voided", paid: false, delivered: false },
    );
    // The voided trade is listed, marked, and left out of the day's totals (bought kg, value, VAT, fee, collateral).
    const day = statement.body.accounts[0];
    expect(day.trades.filter((t: { voided: boolean }) => t.voided).map((t: { tradeId: string }) => t.tradeId)).toEqual([
      voided,
    ]);
    const counted = day.trades.filter((t: { voided: boolean }) => !t.voided);
    expect(day.totals.boughtKg).toBe(counted.reduce((sum: number, t: { quantityKg: number }) => sum + t.quantityKg, 0));
    expect(BigInt(day.totals.boughtVatTiyn)).toBe(
      counted.reduce((sum: bigint, t: { vatTiyn: string }) => sum + BigInt(t.vatTiyn), 0n),
    );
    expect(BigInt(day.totals.collateralTiyn)).toBe(
      day.obligations
        .filter((o: { createdToday: boolean; status: string }) => o.createdToday && o.status !== "voided")
        .reduce((sum: bigint, o: { collateralTiyn: number }) => sum + BigInt(o.collateralTiyn), 0n),
    );
    // The regulator's view per region and month counts the two trades not voided: 5 t and 1 t.
    const region = await server.call(regulator, "GET", "/api/regulator/deliveries?month=2026-01&region=MANGYSTAU");
    expect(region.body.regions[0]).toMatchObject({ boughtKg: "6000", obligations: 2 });
    const invoices = await download(aktau, "/api/accounts/AKTAU-1/einvoices");
    expect(invoices.bytes.toString("utf8")).not.toContain(`ESF-${voided.slice(2)}`);
    ledgerBalances();
  });
});

describe("after a restart", () => {
  it("rebuilds every contract from the journal with the same SHA-256, and the VAT schedule with it", async () => {
    const trades = server.exchange.projections.contracts.ofMember("AKTAU").map((f) => f.tradeId);
    expect(trades).toHaveLength(3);
    const before = new Map<string, string>();
    for (const id of trades) {
      before.set(id, (await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${id}`)).body.sha256);
    }
    const kk = (await download(aktau, `/api/accounts/AKTAU-1/contracts/${trades[0]}/pdf?lang=kk`)).bytes;
    await server.close();
    await server.open();
    aktau = await server.login("aktau-trader");
    operator = await server.login("operator");
    for (const id of trades) {
      expect((await server.call(aktau, "GET", `/api/accounts/AKTAU-1/contracts/${id}`)).body.sha256, id).toBe(
        before.get(id),
      );
    }
    const again = (await download(aktau, `/api/accounts/AKTAU-1/contracts/${trades[0]}/pdf?lang=kk`)).bytes;
    expect(again.equals(kk)).toBe(true);
    const vat = await server.call(operator, "GET", "/api/admin/vat");
    expect(vat.body.schedule).toMatchObject([{ from: "2026-01-06", rateBps: 1600 }]);
  });
});

describe("gas diverted to another region", () => {
  it("the e-invoice's destination is the region the gas arrived in, also after a restart", async () => {
    operator = await server.login("operator");
    seller = await server.login("kazgpz-trader");
    aktau = await server.login("aktau-trader");
    const registered = await server.call(operator, "POST", "/api/admin/stations", {
      station: "AKTAU-ST-ATR",
      member: "AKTAU",
      name: "Atyrau depot",
      region: "ATYRAU",
      document: "Land registry extract 77-001",
    });
    expect(registered.status).toBe(201);
    server.nowMs += 60_000;
    const diverted = await trade("c3", 1000, 13_300_000);
    const obligation = `OB-${diverted.slice(2)}`;
    const dispatched = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/shipments", {
      obligation,
      vehicle: "321 CBA 12",
      waybill: "TTN-3",
      quantityKg: 1000,
      date: exchangeDay(server.nowMs),
    });
    expect(dispatched.status).toBe(201);
    server.nowMs += 3_600_000;
    const arrived = await server.call(aktau, "POST", "/api/accounts/AKTAU-1/arrivals", {
      shipment: `${obligation}/S1`,
      station: "AKTAU-ST-ATR",
    });
    expect(arrived.body.progress.delivered).toBe(true);
    const day = exchangeDay(server.nowMs);
    const exported = await download(aktau, `/api/accounts/AKTAU-1/einvoices?from=${day}&to=${day}`);
    const xml = exported.bytes.toString("utf8");
    const invoice = xml.slice(xml.indexOf(`<num>ESF-${obligation.slice(3)}</num>`));
    expect(invoice.match(/<destination>([^<]*)<\/destination>/)?.[1]).toBe("ATYRAU");
    const schema = readFileSync(new URL("../../docs/einvoice.xsd", import.meta.url), "utf8");
    const validation = await validateXML({
      xml: [{ fileName: "esf.xml", contents: xml }],
      schema: [{ fileName: "einvoice.xsd", contents: schema }],
    });
    expect(validation.errors).toEqual([]);
    ledgerBalances();
    await server.close();
    await server.open();
    aktau = await server.login("aktau-trader");
    const rebuilt = await download(aktau, `/api/accounts/AKTAU-1/einvoices?from=${day}&to=${day}`);
    expect(rebuilt.bytes.equals(exported.bytes)).toBe(true);
  });
});
