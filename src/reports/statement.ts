/**
 * Daily statements per account, or per member (all its accounts): what the account traded that exchange day (UTC+5),
 * the obligations created or changed that day with their collateral and fees, and the shipments dispatched or arrived
 * that day; with the value without VAT, the VAT and the value with VAT on every trade and obligation (each side's
 * document shows VAT: src/domain/vat.ts, the rate of the trade's date). As JSON, XLSX (exceljs) and PDF (pdfkit).
 * docs/documents.md §4 is the reference for users.
 *
 * An obligation is listed with its state at the day's end (paid, delivered, status) and the time it last changed by
 * then: for a past day the gateway gives the views rebuilt from the journal up to that day's last record
 * (projections/day-end.ts), for today the live views. Balances are not part of the statement (the balances route
 * gives them now; the clearing report gives them at the day's end). The same journal gives the same JSON.
 *
 * Limits: the read models keep an account's newest `ACCOUNT_FILLS_MAX` fills, `ACCOUNT_QUERY_LIMIT_MAX` obligations
 * and its newest shipments; a statement of a day older than those lists what is kept (the journal holds the rest).
 *
 * Complexity: O(fills + obligations + shipments kept for the account) per account.
 */

import { obligationIdOf } from "../domain/ids.ts";
import { vatTiyn } from "../domain/vat.ts";
import { ACCOUNT_QUERY_LIMIT_MAX, type DocumentViews, SHIPMENTS_KEPT_MAX } from "../projections/index.ts";
import { isoUtc, localDay } from "../projections/numbers.ts";
import { contractNumber, tradeValueTiyn } from "./contract.ts";
import { formatDate, formatIsoTime, formatTengeFixed, formatTonnesFixed } from "./format.ts";
import { type DocumentLanguage, LABELS, type Labels } from "./labels.ts";
import { field, newPdf, PDF_PAGES_MAX, pdfBytes } from "./pdf.ts";

export const STATEMENT_DOCUMENT = "sauda.daily-statement";
/** Most shipments of one account a statement scans (newest first). */
const SHIPMENTS_SCANNED_MAX = Math.min(SHIPMENTS_KEPT_MAX, 100_000);

export interface StatementTrade {
  readonly tradeId: string;
  readonly contract: string;
  readonly time: string;
  readonly instrument: string;
  readonly side: "buy" | "sell";
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly valueWithoutVatTiyn: string;
  readonly vatRateBps: number;
  readonly vatTiyn: string;
  readonly valueWithVatTiyn: string;
  /** The operator voided the trade (by the statement's day): listed, left out of the totals. */
  readonly voided: boolean;
}

export interface StatementObligation {
  readonly obligation: string;
  readonly tradeId: string;
  readonly role: "buyer" | "seller";
  readonly quantityKg: number;
  readonly valueWithoutVatTiyn: string;
  readonly vatTiyn: string;
  readonly valueWithVatTiyn: string;
  /** The buyer's guarantee deposit; 0 for the seller. */
  readonly collateralTiyn: number;
  /** This side's exchange fee. */
  readonly feeTiyn: number;
  readonly paid: boolean;
  readonly delivered: boolean;
  readonly status: string;
  readonly paymentDue: string;
  readonly deliveryDue: string;
  readonly createdToday: boolean;
  readonly updated: string;
  /** Who missed a deadline, when the obligation defaulted (src/engine/clearing.ts), and what the default moved. */
  readonly defaultedParty: "buyer" | "seller" | null;
  /** The buyer's guarantee deposit kept (to the seller or the exchange) on the buyer's default. */
  readonly forfeitedTiyn: number;
  /** The penalty the seller paid the buyer on the seller's default. */
  readonly penaltyTiyn: number;
  /** What the defaulting side still owes the other after the default (unpaid value or penalty). */
  readonly claimTiyn: number;
}

export interface StatementDelivery {
  readonly shipment: string;
  readonly obligation: string;
  readonly role: "buyer" | "seller";
  readonly quantityKg: number;
  readonly vehicle: string;
  readonly waybill: string;
  readonly dispatched: string;
  readonly station: string | null;
  readonly arrived: string | null;
  readonly diversion: readonly string[];
}

export interface StatementTotals {
  readonly boughtKg: number;
  readonly soldKg: number;
  readonly boughtWithoutVatTiyn: string;
  readonly boughtVatTiyn: string;
  readonly soldWithoutVatTiyn: string;
  readonly soldVatTiyn: string;
  readonly feesTiyn: string;
  readonly collateralTiyn: string;
  readonly dispatchedKg: number;
  readonly arrivedKg: number;
}

export interface AccountStatement {
  readonly account: string;
  readonly client: string | null;
  readonly trades: readonly StatementTrade[];
  readonly obligations: readonly StatementObligation[];
  readonly deliveries: readonly StatementDelivery[];
  readonly totals: StatementTotals;
}

export interface StatementJson {
  readonly document: typeof STATEMENT_DOCUMENT;
  readonly date: string;
  readonly member: string;
  readonly memberName: string;
  readonly bin: string | null;
  readonly scope: "account" | "member";
  readonly accounts: readonly AccountStatement[];
}

/** The statement of `accounts` (all of one member) for an exchange date. */
export function buildStatement(
  projections: DocumentViews,
  member: string,
  accounts: readonly string[],
  scope: "account" | "member",
  date: string,
  utcOffsetMs: number,
  /**
   * The member's name and BIN as known now (the live views'), for a day whose views are older than its admission;
   * null: the day's views are the only ones.
   */
  memberNow: { readonly name: string; readonly bin: string | null } | null = null,
): StatementJson {
  const day = (timeMs: number) => localDay(timeMs, utcOffsetMs);
  const contracts = projections.contracts;
  const info = projections.controls.member(member);
  const known = memberNow ?? contracts.member(member);
  const firstParty = contracts.ofMember(member)[0];
  const party =
    firstParty === undefined ? null : firstParty.seller.member === member ? firstParty.seller : firstParty.buyer;
  const out: AccountStatement[] = [];
  for (const account of accounts) {
    const trades: StatementTrade[] = projections.accounts
      .fills(account)
      .filter((fill) => day(fill.timeMs) === date)
      .map((fill) => {
        const value = tradeValueTiyn(fill.priceTiynPerTonne, fill.quantityKg);
        const rate = contracts.facts(fill.tradeId)?.vatRateBps ?? contracts.rateOn(date);
        const vat = vatTiyn(value, rate);
        return {
          tradeId: fill.tradeId,
          contract: contractNumber(fill.tradeId),
          time: isoUtc(fill.timeMs),
          instrument: fill.instrument,
          side: fill.side,
          priceTiynPerTonne: fill.priceTiynPerTonne,
          quantityKg: fill.quantityKg,
          valueWithoutVatTiyn: value.toString(),
          vatRateBps: rate,
          vatTiyn: vat.toString(),
          valueWithVatTiyn: (value + vat).toString(),
          voided: projections.accounts.obligation(obligationIdOf(fill.tradeId))?.status === "voided",
        };
      })
      .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.tradeId < b.tradeId ? -1 : 1));
    const obligations: StatementObligation[] = projections.accounts
      .obligations(account, { limit: ACCOUNT_QUERY_LIMIT_MAX })
      .filter((o) => day(o.tradeTimeMs) === date || day(o.updatedMs) === date)
      .reverse()
      .map((o) => {
        const role = o.buyer === account ? ("buyer" as const) : ("seller" as const);
        const rate = contracts.facts(o.tradeId)?.vatRateBps ?? contracts.rateOn(day(o.tradeTimeMs));
        const vat = vatTiyn(o.valueTiyn, rate);
        return {
          obligation: o.id,
          tradeId: o.tradeId,
          role,
          quantityKg: o.quantityKg,
          valueWithoutVatTiyn: String(o.valueTiyn),
          vatTiyn: vat.toString(),
          valueWithVatTiyn: (BigInt(o.valueTiyn) + vat).toString(),
          collateralTiyn: role === "buyer" ? o.collateralTiyn : 0,
          feeTiyn: role === "buyer" ? o.buyerFeeTiyn : o.sellerFeeTiyn,
          paid: o.paid,
          delivered: o.delivered,
          status: o.status,
          paymentDue: isoUtc(o.paymentDueMs),
          deliveryDue: isoUtc(o.deliveryDueMs),
          createdToday: day(o.tradeTimeMs) === date,
          updated: isoUtc(o.updatedMs),
          defaultedParty: o.defaultedParty,
          forfeitedTiyn: o.forfeitedTiyn,
          penaltyTiyn: o.penaltyTiyn,
          claimTiyn: o.claimTiyn,
        };
      });
    const deliveries: StatementDelivery[] = projections.deliveries
      .shipmentsOfAccount(account, SHIPMENTS_SCANNED_MAX)
      .filter((s) => day(s.dispatchedMs) === date || (s.arrivedMs !== null && day(s.arrivedMs) === date))
      .reverse()
      .map((s) => ({
        shipment: s.shipment,
        obligation: s.obligation,
        role: s.buyer === account ? ("buyer" as const) : ("seller" as const),
        quantityKg: s.quantityKg,
        vehicle: s.vehicle,
        waybill: s.waybill,
        dispatched: isoUtc(s.dispatchedMs),
        station: s.station,
        arrived: s.arrivedMs === null ? null : isoUtc(s.arrivedMs),
        diversion: [...s.diversion],
      }));
    out.push({
      account,
      client: projections.accounts.info(account)?.client ?? null,
      trades,
      obligations,
      deliveries,
      totals: totalsOf(trades, obligations, deliveries, date, day),
    });
  }
  return {
    document: STATEMENT_DOCUMENT,
    date,
    member,
    // The member as known now, even on a day before it was admitted or had a trade (a member reads its own name and
    // BIN on its statement, not its id twice and "no BIN"); a first contract's parties only where nothing else is.
    memberName: known?.name ?? party?.name ?? info?.name ?? member,
    bin: known?.bin ?? party?.bin ?? null,
    scope,
    accounts: out,
  };
}

function totalsOf(
  trades: readonly StatementTrade[],
  obligations: readonly StatementObligation[],
  deliveries: readonly StatementDelivery[],
  date: string,
  day: (timeMs: number) => string,
): StatementTotals {
  let boughtKg = 0;
  let soldKg = 0;
  let bought = 0n;
  let boughtVat = 0n;
  let sold = 0n;
  let soldVat = 0n;
  for (const t of trades) {
    if (t.voided) continue;
    if (t.side === "buy") {
      boughtKg += t.quantityKg;
      bought += BigInt(t.valueWithoutVatTiyn);
      boughtVat += BigInt(t.vatTiyn);
    } else {
      soldKg += t.quantityKg;
      sold += BigInt(t.valueWithoutVatTiyn);
      soldVat += BigInt(t.vatTiyn);
    }
  }
  let fees = 0n;
  let collateral = 0n;
  for (const o of obligations) {
    // A voided obligation gave its collateral and fees back: they are not the day's.
    if (!o.createdToday || o.status === "voided") continue;
    fees += BigInt(o.feeTiyn);
    collateral += BigInt(o.collateralTiyn);
  }
  let dispatchedKg = 0;
  let arrivedKg = 0;
  for (const d of deliveries) {
    if (d.dispatched.length > 0 && day(Date.parse(d.dispatched)) === date) dispatchedKg += d.quantityKg;
    if (d.arrived !== null && day(Date.parse(d.arrived)) === date) arrivedKg += d.quantityKg;
  }
  return {
    boughtKg,
    soldKg,
    boughtWithoutVatTiyn: bought.toString(),
    boughtVatTiyn: boughtVat.toString(),
    soldWithoutVatTiyn: sold.toString(),
    soldVatTiyn: soldVat.toString(),
    feesTiyn: fees.toString(),
    collateralTiyn: collateral.toString(),
    dispatchedKg,
    arrivedKg,
  };
}

const tenge = (tiyn: string | number) => Number(BigInt(tiyn)) / 100;

/** The workbook's own words: sheet names and column headings (the rest comes from `LABELS`). */
interface XlsxWords {
  readonly sheets: {
    readonly summary: string;
    readonly trades: string;
    readonly obligations: string;
    readonly deliveries: string;
  };
  readonly summary: readonly string[];
  readonly trades: readonly string[];
  readonly obligations: readonly string[];
  readonly deliveries: readonly string[];
  /** The machine-readable time columns' heading: the same instant as ISO 8601 in UTC. */
  readonly iso: (column: string) => string;
  readonly member: string;
  readonly yes: string;
  readonly no: string;
}

const XLSX_WORDS: Readonly<Record<DocumentLanguage, XlsxWords>> = {
  kk: {
    sheets: { summary: "Жиыны", trades: "Мәмілелер", obligations: "Міндеттемелер", deliveries: "Жеткізулер" },
    summary: [
      "Шот",
      "Сатып алынды, т",
      "Сатып алынды, ҚҚС-сыз, теңге",
      "Сатып алу бойынша ҚҚС, теңге",
      "Сатылды, т",
      "Сатылды, ҚҚС-сыз, теңге",
      "Сату бойынша ҚҚС, теңге",
      "Алымдар, теңге",
      "Кепілдік жарна, теңге",
      "Жөнелтілді, т",
      "Келді, т",
    ],
    trades: [
      "Шот",
      "Мәміле",
      "Шарт",
      "Уақыты (Қазақстан уақыты, UTC+5)",
      "Құрал",
      "Бағыты",
      "Бағасы, ҚҚС-сыз, теңге/т",
      "Саны, т",
      "ҚҚС-сыз құны, теңге",
      "ҚҚС мөлшерлемесі, %",
      "ҚҚС сомасы, теңге",
      "ҚҚС-мен құны, теңге",
      "Күші жойылды",
    ],
    obligations: [
      "Шот",
      "Міндеттеме",
      "Рөлі",
      "Саны, т",
      "ҚҚС-сыз құны, теңге",
      "ҚҚС сомасы, теңге",
      "ҚҚС-мен құны, теңге",
      "Кепілдік жарна, теңге",
      "Алым, теңге",
      "Төленді",
      "Жеткізілді",
      "Күйі",
      "Төлем мерзімі (Қазақстан уақыты, UTC+5)",
      "Жеткізу мерзімі (Қазақстан уақыты, UTC+5)",
      "Орындамаған тарап",
      "Ұсталған кепілдік жарна, теңге",
      "Айыппұл, теңге",
      "Талап, теңге",
    ],
    deliveries: [
      "Шот",
      "Жөнелту",
      "Рөлі",
      "Саны, т",
      "Көлік",
      "Жүкқұжат",
      "Жөнелтілді (Қазақстан уақыты, UTC+5)",
      "Станция",
      "Келді (Қазақстан уақыты, UTC+5)",
      "Бағытын өзгерту",
    ],
    iso: (column) => `${column}: UTC, ISO 8601`,
    member: "Қатысушы",
    yes: "иә",
    no: "жоқ",
  },
  ru: {
    sheets: { summary: "Итого", trades: "Сделки", obligations: "Обязательства", deliveries: "Поставки" },
    summary: [
      "Счёт",
      "Куплено, т",
      "Куплено без НДС, тенге",
      "НДС по покупкам, тенге",
      "Продано, т",
      "Продано без НДС, тенге",
      "НДС по продажам, тенге",
      "Сборы, тенге",
      "Гарантийный взнос, тенге",
      "Отгружено, т",
      "Прибыло, т",
    ],
    trades: [
      "Счёт",
      "Сделка",
      "Договор",
      "Время (время Казахстана, UTC+5)",
      "Инструмент",
      "Направление",
      "Цена без НДС, тенге/т",
      "Количество, т",
      "Стоимость без НДС, тенге",
      "Ставка НДС, %",
      "Сумма НДС, тенге",
      "Стоимость с НДС, тенге",
      "Аннулирована",
    ],
    obligations: [
      "Счёт",
      "Обязательство",
      "Роль",
      "Количество, т",
      "Стоимость без НДС, тенге",
      "Сумма НДС, тенге",
      "Стоимость с НДС, тенге",
      "Гарантийный взнос, тенге",
      "Сбор, тенге",
      "Оплачено",
      "Поставлено",
      "Состояние",
      "Срок оплаты (время Казахстана, UTC+5)",
      "Срок поставки (время Казахстана, UTC+5)",
      "Не исполнила сторона",
      "Удержанный гарантийный взнос, тенге",
      "Неустойка, тенге",
      "Требование, тенге",
    ],
    deliveries: [
      "Счёт",
      "Отгрузка",
      "Роль",
      "Количество, т",
      "Транспорт",
      "Накладная",
      "Отгружено (время Казахстана, UTC+5)",
      "Станция",
      "Прибыло (время Казахстана, UTC+5)",
      "Перенаправление",
    ],
    iso: (column) => `${column}: UTC, ISO 8601`,
    member: "Участник",
    yes: "да",
    no: "нет",
  },
  en: {
    sheets: { summary: "Summary", trades: "Trades", obligations: "Obligations", deliveries: "Deliveries" },
    summary: [
      "Account",
      "Bought, t",
      "Bought w/o VAT, KZT",
      "VAT on purchases, KZT",
      "Sold, t",
      "Sold w/o VAT, KZT",
      "VAT on sales, KZT",
      "Fees, KZT",
      "Collateral, KZT",
      "Dispatched, t",
      "Arrived, t",
    ],
    trades: [
      "Account",
      "Trade",
      "Contract",
      "Time (Kazakhstan time, UTC+5)",
      "Instrument",
      "Side",
      "Price w/o VAT, KZT/t",
      "Quantity, t",
      "Value w/o VAT, KZT",
      "VAT rate, %",
      "VAT, KZT",
      "Value with VAT, KZT",
      "Voided",
    ],
    obligations: [
      "Account",
      "Obligation",
      "Role",
      "Quantity, t",
      "Value w/o VAT, KZT",
      "VAT, KZT",
      "Value with VAT, KZT",
      "Collateral, KZT",
      "Fee, KZT",
      "Paid",
      "Delivered",
      "Status",
      "Payment due (Kazakhstan time, UTC+5)",
      "Delivery due (Kazakhstan time, UTC+5)",
      "Defaulted by",
      "Forfeited deposit, KZT",
      "Penalty, KZT",
      "Claim, KZT",
    ],
    deliveries: [
      "Account",
      "Shipment",
      "Role",
      "Quantity, t",
      "Vehicle",
      "Waybill",
      "Dispatched (Kazakhstan time, UTC+5)",
      "Station",
      "Arrived (Kazakhstan time, UTC+5)",
      "Diversion",
    ],
    iso: (column) => `${column}: UTC, ISO 8601`,
    member: "Member",
    yes: "yes",
    no: "no",
  },
};

/** A time column's heading without its "(Kazakhstan time, UTC+5)" note, for the machine-readable column beside it. */
function bareHeading(heading: string): string {
  return heading.replace(/ \(.*\)$/, "");
}

/**
 * The statement as an XLSX workbook in one language: a summary sheet and one sheet each of trades, obligations and
 * deliveries. Headings, sides, roles, statuses and yes/no are in the language; times are Kazakhstan time (UTC+5) as the PDF writes
 * them ("05.12.2026 09:47"; English keeps the ISO order, "2026-12-05 09:47"). Each sheet with times ends with the same
 * instants as ISO 8601 UTC text, for programs that read the workbook (sorting, matching the JSON form). Money and
 * tonnes are numbers with a number format, so a spreadsheet sums them; it shows them with the reader's own separators.
 */
export async function statementXlsx(statement: StatementJson, language: DocumentLanguage): Promise<Buffer> {
  const { default: Excel } = await import("exceljs");
  const l = LABELS[language];
  const w = XLSX_WORDS[language];
  const time = (iso: string | null) => (iso === null ? "" : formatIsoTime(iso, language));
  const role = (r: "buyer" | "seller") => (r === "buyer" ? l.buyer : l.seller);
  const workbook = new Excel.Workbook();
  workbook.creator = "sauda";
  workbook.created = new Date(`${statement.date}T00:00:00Z`);
  const money = "#,##0.00";
  const summary = workbook.addWorksheet(w.sheets.summary);
  summary.addRow([l.statementTitle, formatDate(statement.date, language)]);
  summary.addRow([w.member, `${statement.memberName} (${statement.member})`]);
  summary.addRow([l.bin, statement.bin ?? l.binMissing]);
  summary.addRow([l.timeNote]);
  summary.addRow(w.summary).font = { bold: true };
  for (const a of statement.accounts) {
    const t = a.totals;
    summary.addRow([
      a.account,
      t.boughtKg / 1000,
      tenge(t.boughtWithoutVatTiyn),
      tenge(t.boughtVatTiyn),
      t.soldKg / 1000,
      tenge(t.soldWithoutVatTiyn),
      tenge(t.soldVatTiyn),
      tenge(t.feesTiyn),
      tenge(t.collateralTiyn),
      t.dispatchedKg / 1000,
      t.arrivedKg / 1000,
    ]);
  }
  for (const column of [3, 4, 6, 7, 8, 9]) summary.getColumn(column).numFmt = money;

  const trades = workbook.addWorksheet(w.sheets.trades);
  trades.addRow([...w.trades, w.iso(bareHeading(w.trades[3]!))]).font = { bold: true };
  for (const a of statement.accounts) {
    for (const t of a.trades) {
      trades.addRow([
        a.account,
        t.tradeId,
        t.contract,
        time(t.time),
        t.instrument,
        l.sides[t.side],
        tenge(t.priceTiynPerTonne),
        t.quantityKg / 1000,
        tenge(t.valueWithoutVatTiyn),
        t.vatRateBps / 100,
        tenge(t.vatTiyn),
        tenge(t.valueWithVatTiyn),
        t.voided ? w.yes : "",
        t.time,
      ]);
    }
  }
  for (const column of [7, 9, 11, 12]) trades.getColumn(column).numFmt = money;

  const obligations = workbook.addWorksheet(w.sheets.obligations);
  obligations.addRow([
    ...w.obligations,
    w.iso(bareHeading(w.obligations[12]!)),
    w.iso(bareHeading(w.obligations[13]!)),
  ]).font = { bold: true };
  for (const a of statement.accounts) {
    for (const o of a.obligations) {
      obligations.addRow([
        a.account,
        o.obligation,
        role(o.role),
        o.quantityKg / 1000,
        tenge(o.valueWithoutVatTiyn),
        tenge(o.vatTiyn),
        tenge(o.valueWithVatTiyn),
        tenge(o.collateralTiyn),
        tenge(o.feeTiyn),
        o.paid ? w.yes : w.no,
        o.delivered ? w.yes : w.no,
        l.statuses[o.status] ?? o.status,
        time(o.paymentDue),
        time(o.deliveryDue),
        o.defaultedParty === null ? "" : role(o.defaultedParty),
        tenge(o.forfeitedTiyn),
        tenge(o.penaltyTiyn),
        tenge(o.claimTiyn),
        o.paymentDue,
        o.deliveryDue,
      ]);
    }
  }
  for (const column of [5, 6, 7, 8, 9, 16, 17, 18]) obligations.getColumn(column).numFmt = money;

  const deliveries = workbook.addWorksheet(w.sheets.deliveries);
  deliveries.addRow([
    ...w.deliveries,
    w.iso(bareHeading(w.deliveries[6]!)),
    w.iso(bareHeading(w.deliveries[8]!)),
  ]).font = { bold: true };
  for (const a of statement.accounts) {
    for (const d of a.deliveries) {
      deliveries.addRow([
        a.account,
        d.shipment,
        role(d.role),
        d.quantityKg / 1000,
        d.vehicle,
        d.waybill,
        time(d.dispatched),
        d.station ?? "",
        time(d.arrived),
        diversionText(d.diversion, l),
        d.dispatched,
        d.arrived ?? "",
      ]);
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A delivery's diversion reasons in the document's language; a reason no table knows is shown as given. */
function diversionText(reasons: readonly string[], l: Labels): string {
  return reasons.map((reason) => (l.diversions as Readonly<Record<string, string>>)[reason] ?? reason).join(", ");
}

/** The statement as a PDF in one language; at most `PDF_PAGES_MAX` pages, then a note that the rest is cut. */
export async function statementPdf(statement: StatementJson, language: DocumentLanguage): Promise<Buffer> {
  const l = LABELS[language];
  const tengeDisplay = (tiyn: bigint | number | string) => formatTengeFixed(tiyn, language);
  const tonnesDisplay = (kg: number | string) => formatTonnesFixed(kg, language);
  const time = (iso: string) => formatIsoTime(iso, language);
  const doc = await newPdf(
    `${l.statementTitle} ${statement.member} ${statement.date}`,
    Date.parse(statement.date),
    language,
  );
  let pages = 1;
  doc.on("pageAdded", () => {
    pages += 1;
  });
  doc.font("bold").fontSize(16).text(`${l.statementTitle}: ${statement.memberName} (${statement.member})`);
  if (l.workingCopy !== "") doc.font("regular").fontSize(9).text(l.workingCopy);
  field(doc, l.date, `${formatDate(statement.date, language)}; ${l.timeNote}`);
  field(doc, l.bin, statement.bin ?? l.binMissing);
  // The lines first, then as many as fit in the page limit: a statement of thousands of trades stays bounded.
  const lines: { bold: boolean; size: number; text: string; gap?: boolean }[] = [];
  const heading = (text: string, size = 10, gap = false) => lines.push({ bold: true, size, text, gap });
  const line = (text: string) => lines.push({ bold: false, size: 9, text });
  for (const a of statement.accounts) {
    heading(`${l.account} ${a.account}${a.client === null ? "" : ` (${a.client})`}`, 12, true);
    heading(l.trades);
    if (a.trades.length === 0) line(l.none);
    for (const t of a.trades) {
      line(
        `${time(t.time)} ${t.tradeId} ${l.sides[t.side]} ${tonnesDisplay(t.quantityKg)} ${l.tonnes} × ${tengeDisplay(t.priceTiynPerTonne)} ${l.perTonne}; ` +
          `${l.valueWithoutVat} ${tengeDisplay(t.valueWithoutVatTiyn)}; ${l.vat} ${tengeDisplay(t.vatTiyn)}; ` +
          `${l.valueWithVat} ${tengeDisplay(t.valueWithVatTiyn)} ${l.tenge}${t.voided ? `; ${l.statuses.voided}` : ""}`,
      );
    }
    heading(l.obligations);
    if (a.obligations.length === 0) line(l.none);
    for (const o of a.obligations) {
      line(
        `${o.obligation} (${o.role === "buyer" ? l.buyer : l.seller}) ${tonnesDisplay(o.quantityKg)} ${l.tonnes}; ${l.valueWithVat} ${tengeDisplay(o.valueWithVatTiyn)}; ` +
          `${l.collateral} ${tengeDisplay(o.collateralTiyn)}; ${l.fee} ${tengeDisplay(o.feeTiyn)} ${l.tenge}; ${l.statuses[o.status] ?? o.status}` +
          (o.defaultedParty === null
            ? ""
            : `; ${l.defaultedBy[o.defaultedParty]}: ${l.forfeited} ${tengeDisplay(o.forfeitedTiyn)}, ` +
              `${l.penaltyPaid} ${tengeDisplay(o.penaltyTiyn)}, ${l.claim} ${tengeDisplay(o.claimTiyn)} ${l.tenge}`),
      );
    }
    heading(l.deliveries);
    if (a.deliveries.length === 0) line(l.none);
    for (const d of a.deliveries) {
      line(
        `${d.shipment} ${tonnesDisplay(d.quantityKg)} ${l.tonnes}, ${d.vehicle}, ${d.waybill}; ${time(d.dispatched)}` +
          `${d.arrived === null ? "" : ` → ${d.station} ${time(d.arrived)}`}${d.diversion.length > 0 ? ` [${diversionText(d.diversion, l)}]` : ""}`,
      );
    }
    const t = a.totals;
    heading(l.totals);
    // Each figure named as the workbook's summary names its column ("Bought w/o VAT, KZT: 6,926,148.00"): bought,
    // sold, fees and collateral, gas dispatched and arrived, a line each.
    const [, ...named] = XLSX_WORDS[language].summary;
    const figures = [
      tonnesDisplay(t.boughtKg),
      tengeDisplay(t.boughtWithoutVatTiyn),
      tengeDisplay(t.boughtVatTiyn),
      tonnesDisplay(t.soldKg),
      tengeDisplay(t.soldWithoutVatTiyn),
      tengeDisplay(t.soldVatTiyn),
      tengeDisplay(t.feesTiyn),
      tengeDisplay(t.collateralTiyn),
      tonnesDisplay(t.dispatchedKg),
      tonnesDisplay(t.arrivedKg),
    ];
    const said = named.map((name, i) => `${name}: ${figures[i]}`);
    for (const [from, to] of [
      [0, 3],
      [3, 6],
      [6, 8],
      [8, 10],
    ] as const) {
      line(said.slice(from, to).join("; "));
    }
  }
  for (const entry of lines) {
    if (pages >= PDF_PAGES_MAX && doc.y > doc.page.maxY() - 60) {
      doc.font("bold").fontSize(9).text(l.truncated(PDF_PAGES_MAX));
      break;
    }
    if (entry.gap) doc.moveDown();
    doc
      .font(entry.bold ? "bold" : "regular")
      .fontSize(entry.size)
      .text(entry.text);
  }
  return pdfBytes(doc);
}
