/**
 * The clearing report: what the clearing centre sends each member for an exchange day (UTC+5), in the shape members
 * know from the clearing centres of the commodity exchanges — per member, per day:
 *
 * 1. obligations: every obligation of the member's accounts traded that day or still open at the report, with what
 *    the member must do (pay so much by, deliver so many tonnes by) or is owed (to receive);
 * 2. netted money: what the member is to pay (unpaid value as buyer) and to receive (value less its fee as seller,
 *    on open obligations), and the net of the two — positive: the clearing centre pays the member;
 * 3. collateral held: the guarantee deposits and fees blocked for open obligations, and what live orders block,
 *    from the ledger (per account, money);
 * 4. margin calls: per account, the payments falling due by the end of the next exchange day that its free money does
 *    not cover — the amount the member must bring in, and by when.
 *
 * As JSON, XLSX (exceljs) and PDF (pdfkit with DejaVu fonts: pdf.ts) in Kazakh, Russian or English. Built from the
 * views it is given: for a past day the gateway gives the views rebuilt from the journal up to that day's last record
 * (projections/day-end.ts, gateway/day-end.ts), so obligations and balances are as they stood at the day's end; for
 * today, the live views. The same journal gives the same JSON. docs/documents.md §6 is the reference for users.
 *
 * Complexity: O(obligations kept for the member's accounts).
 */

import { ACCOUNT_QUERY_LIMIT_MAX, type DocumentViews } from "../projections/index.ts";
import { isoUtc, localDay } from "../projections/numbers.ts";
import { formatDate, formatIsoTime, formatTengeFixed, formatTonnesFixed } from "./format.ts";
import { type DocumentLanguage, LABELS } from "./labels.ts";
import { field, newPdf, PDF_PAGES_MAX, pdfBytes } from "./pdf.ts";

export const CLEARING_REPORT_DOCUMENT = "sauda.clearing-report";
const DAY_MS = 86_400_000;

export interface ClearingReportObligation {
  readonly account: string;
  readonly obligation: string;
  readonly tradeId: string;
  readonly instrument: string;
  readonly role: "buyer" | "seller";
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly valueTiyn: number;
  readonly status: string;
  readonly paid: boolean;
  readonly delivered: boolean;
  /** The buyer's unpaid value; 0 otherwise. */
  readonly toPayTiyn: number;
  readonly paymentDue: string;
  /** The seller's undelivered quantity; 0 otherwise. */
  readonly toDeliverKg: number;
  readonly deliveryDue: string;
  /** The seller's value less its fee, while open; 0 otherwise. */
  readonly toReceiveTiyn: number;
}

export interface ClearingReportAccount {
  readonly account: string;
  readonly freeTiyn: string;
  /** Blocked for open obligations (collateral and fees). */
  readonly collateralHeldTiyn: string;
  /** Blocked for live orders. */
  readonly ordersBlockedTiyn: string;
  /** Unpaid value due by the end of the next exchange day. */
  readonly dueNextDayTiyn: string;
  /** What of that the free money does not cover: the margin call; 0 when covered. */
  readonly marginCallTiyn: string;
}

export interface ClearingReportJson {
  readonly document: typeof CLEARING_REPORT_DOCUMENT;
  readonly date: string;
  readonly member: string;
  readonly memberName: string;
  readonly bin: string | null;
  /** The time of the last journal record the report covers (for a past day, that day's last record). */
  readonly asOf: string;
  readonly obligations: readonly ClearingReportObligation[];
  readonly netting: {
    readonly toPayTiyn: string;
    readonly toReceiveTiyn: string;
    /** Receive less pay: positive, the clearing centre pays the member; negative, the member pays. */
    readonly netTiyn: string;
    readonly toDeliverKg: number;
  };
  readonly accounts: readonly ClearingReportAccount[];
  readonly marginCalls: readonly { readonly account: string; readonly amountTiyn: string; readonly due: string }[];
}

/** The clearing report of a member (its `accounts`) for an exchange date, as of `asOfMs`. */
export function buildClearingReport(
  projections: DocumentViews,
  member: string,
  accounts: readonly string[],
  date: string,
  asOfMs: number,
  utcOffsetMs: number,
): ClearingReportJson {
  const day = (timeMs: number) => localDay(timeMs, utcOffsetMs);
  // The end of the next exchange day (UTC ms): payments due by then are called today.
  const dayStartMs = Date.parse(`${date}T00:00:00Z`) - utcOffsetMs;
  const callHorizonMs = dayStartMs + 2 * DAY_MS;
  const obligations: ClearingReportObligation[] = [];
  const rows: ClearingReportAccount[] = [];
  const calls: { account: string; amountTiyn: string; due: string }[] = [];
  let toPay = 0n;
  let toReceive = 0n;
  let toDeliverKg = 0;
  for (const account of accounts) {
    let dueNextDay = 0n;
    let earliestDueMs = Number.POSITIVE_INFINITY;
    const listed = projections.accounts
      .obligations(account, { limit: ACCOUNT_QUERY_LIMIT_MAX })
      .filter((o) => day(o.tradeTimeMs) <= date && (o.status === "open" || day(o.updatedMs) === date))
      .reverse();
    for (const o of listed) {
      const role = o.buyer === account ? ("buyer" as const) : ("seller" as const);
      const open = o.status === "open";
      const pay = open && role === "buyer" && !o.paid ? o.valueTiyn : 0;
      const deliver = open && role === "seller" && !o.delivered ? o.quantityKg : 0;
      const receive = open && role === "seller" ? o.valueTiyn - o.sellerFeeTiyn : 0;
      toPay += BigInt(pay);
      toReceive += BigInt(receive);
      toDeliverKg += deliver;
      if (pay > 0 && o.paymentDueMs <= callHorizonMs) {
        dueNextDay += BigInt(pay);
        earliestDueMs = Math.min(earliestDueMs, o.paymentDueMs);
      }
      obligations.push({
        account,
        obligation: o.id,
        tradeId: o.tradeId,
        instrument: o.instrument,
        role,
        priceTiynPerTonne: o.priceTiynPerTonne,
        quantityKg: o.quantityKg,
        valueTiyn: o.valueTiyn,
        status: o.status,
        paid: o.paid,
        delivered: o.delivered,
        toPayTiyn: pay,
        paymentDue: isoUtc(o.paymentDueMs),
        toDeliverKg: deliver,
        deliveryDue: isoUtc(o.deliveryDueMs),
        toReceiveTiyn: receive,
      });
    }
    const money = projections.accounts.balances(account).find((b) => b.asset === "KZT");
    const free = money?.free ?? 0n;
    const call = dueNextDay > free ? dueNextDay - free : 0n;
    rows.push({
      account,
      freeTiyn: free.toString(),
      collateralHeldTiyn: (money?.obligations ?? 0n).toString(),
      ordersBlockedTiyn: (money?.orders ?? 0n).toString(),
      dueNextDayTiyn: dueNextDay.toString(),
      marginCallTiyn: call.toString(),
    });
    if (call > 0n) calls.push({ account, amountTiyn: call.toString(), due: isoUtc(earliestDueMs) });
  }
  const info = projections.controls.member(member);
  const party = projections.contracts.ofMember(member)[0];
  const named = party === undefined ? null : party.seller.member === member ? party.seller : party.buyer;
  return {
    document: CLEARING_REPORT_DOCUMENT,
    date,
    member,
    memberName: named?.name ?? info?.name ?? member,
    bin: named?.bin ?? null,
    asOf: isoUtc(asOfMs),
    obligations,
    netting: {
      toPayTiyn: toPay.toString(),
      toReceiveTiyn: toReceive.toString(),
      netTiyn: (toReceive - toPay).toString(),
      toDeliverKg,
    },
    accounts: rows,
    marginCalls: calls,
  };
}

const tenge = (tiyn: string | number) => Number(BigInt(tiyn)) / 100;

/** The workbook's sheet names and headings in one language. */
interface XlsxWords {
  readonly sheets: {
    readonly summary: string;
    readonly obligations: string;
    readonly collateral: string;
    readonly marginCalls: string;
  };
  readonly summary: {
    readonly member: string;
    readonly asOf: string;
    readonly toPay: string;
    readonly toReceive: string;
    readonly net: string;
    readonly toDeliver: string;
  };
  readonly obligations: readonly string[];
  readonly collateral: readonly string[];
  readonly marginCalls: readonly string[];
  /** The machine-readable time columns' heading: the same instant as ISO 8601 in UTC. */
  readonly iso: (column: string) => string;
}

const XLSX_WORDS: Readonly<Record<DocumentLanguage, XlsxWords>> = {
  kk: {
    sheets: {
      summary: "Жиынтық",
      obligations: "Міндеттемелер",
      collateral: "Кепілдік",
      marginCalls: "Маржалық талаптар",
    },
    summary: {
      member: "Қатысушы",
      asOf: "Жағдай бойынша (Қазақстан уақыты, UTC+5)",
      toPay: "Төлеуге, теңге",
      toReceive: "Алуға, теңге",
      net: "Сальдо (алу − төлеу), теңге",
      toDeliver: "Жеткізуге, т",
    },
    obligations: [
      "Шот",
      "Міндеттеме",
      "Құрал",
      "Рөлі",
      "Бағасы, теңге/т",
      "Саны, т",
      "Құны, теңге",
      "Мәртебесі",
      "Төлеуге, теңге",
      "Төлем мерзімі (Қазақстан уақыты, UTC+5)",
      "Жеткізуге, т",
      "Жеткізу мерзімі (Қазақстан уақыты, UTC+5)",
      "Алуға, теңге",
    ],
    collateral: [
      "Шот",
      "Бос, теңге",
      "Міндеттемелерге бұғатталған, теңге",
      "Өтінімдерге бұғатталған, теңге",
      "Келесі күнге дейін төленетін, теңге",
      "Маржалық талап, теңге",
    ],
    marginCalls: ["Шот", "Сомасы, теңге", "Мерзімі (Қазақстан уақыты, UTC+5)"],
    iso: (column) => `${column}: UTC, ISO 8601`,
  },
  ru: {
    sheets: {
      summary: "Сводка",
      obligations: "Обязательства",
      collateral: "Обеспечение",
      marginCalls: "Маржин. требования",
    },
    summary: {
      member: "Участник",
      asOf: "По состоянию на (время Казахстана, UTC+5)",
      toPay: "К оплате, тенге",
      toReceive: "К получению, тенге",
      net: "Сальдо (получить − оплатить), тенге",
      toDeliver: "К поставке, т",
    },
    obligations: [
      "Счёт",
      "Обязательство",
      "Инструмент",
      "Роль",
      "Цена, тенге/т",
      "Количество, т",
      "Стоимость, тенге",
      "Статус",
      "К оплате, тенге",
      "Срок оплаты (время Казахстана, UTC+5)",
      "К поставке, т",
      "Срок поставки (время Казахстана, UTC+5)",
      "К получению, тенге",
    ],
    collateral: [
      "Счёт",
      "Свободно, тенге",
      "Заблокировано под обязательства, тенге",
      "Заблокировано под заявки, тенге",
      "К оплате до следующего дня, тенге",
      "Маржинальное требование, тенге",
    ],
    marginCalls: ["Счёт", "Сумма, тенге", "Срок (время Казахстана, UTC+5)"],
    iso: (column) => `${column}: UTC, ISO 8601`,
  },
  en: {
    sheets: { summary: "Summary", obligations: "Obligations", collateral: "Collateral", marginCalls: "Margin calls" },
    summary: {
      member: "Member",
      asOf: "As of (Kazakhstan time, UTC+5)",
      toPay: "To pay, KZT",
      toReceive: "To receive, KZT",
      net: "Net (receive − pay), KZT",
      toDeliver: "To deliver, t",
    },
    obligations: [
      "Account",
      "Obligation",
      "Instrument",
      "Role",
      "Price, KZT/t",
      "Quantity, t",
      "Value, KZT",
      "Status",
      "To pay, KZT",
      "Payment due (Kazakhstan time, UTC+5)",
      "To deliver, t",
      "Delivery due (Kazakhstan time, UTC+5)",
      "To receive, KZT",
    ],
    collateral: [
      "Account",
      "Free, KZT",
      "Collateral held, KZT",
      "Blocked for orders, KZT",
      "Due by next day, KZT",
      "Margin call, KZT",
    ],
    marginCalls: ["Account", "Amount, KZT", "Due (Kazakhstan time, UTC+5)"],
    iso: (column) => `${column}: UTC, ISO 8601`,
  },
};

/** A time column's heading without its "(Kazakhstan time, UTC+5)" note, for the machine-readable column beside it. */
function bareHeading(heading: string | undefined): string {
  return (heading ?? "").replace(/ \(.*\)$/, "");
}

/**
 * The report as an XLSX workbook in one language: sheets summary, obligations, collateral and margin calls. Headings,
 * roles and statuses are in the language; times are Kazakhstan time (UTC+5) as the PDF writes them ("05.12.2026 09:47"; English
 * keeps the ISO order), and each sheet with times ends with the same instants as ISO 8601 UTC text for programs (the
 * statement's workbook does the same). Money and tonnes are numbers with a number format.
 */
export async function clearingReportXlsx(report: ClearingReportJson, language: DocumentLanguage): Promise<Buffer> {
  const { default: Excel } = await import("exceljs");
  const l = REPORT_LABELS[language];
  const words = LABELS[language];
  const w = XLSX_WORDS[language];
  const time = (iso: string) => formatIsoTime(iso, language);
  const workbook = new Excel.Workbook();
  workbook.creator = "sauda clearing";
  workbook.created = new Date(`${report.date}T00:00:00Z`);
  const money = "#,##0.00";
  const summary = workbook.addWorksheet(w.sheets.summary);
  summary.addRow([l.title, formatDate(report.date, language)]);
  summary.addRow([w.summary.member, `${report.memberName} (${report.member})`]);
  summary.addRow([l.bin, report.bin ?? l.binMissing]);
  summary.addRow([w.summary.asOf, time(report.asOf), w.iso(bareHeading(w.summary.asOf)), report.asOf]);
  summary.addRow([]);
  summary.addRow([w.summary.toPay, tenge(report.netting.toPayTiyn)]);
  summary.addRow([w.summary.toReceive, tenge(report.netting.toReceiveTiyn)]);
  summary.addRow([w.summary.net, tenge(report.netting.netTiyn)]);
  summary.addRow([w.summary.toDeliver, report.netting.toDeliverKg / 1000]);
  summary.getColumn(2).numFmt = money;

  const obligations = workbook.addWorksheet(w.sheets.obligations);
  obligations.addRow([
    ...w.obligations,
    w.iso(bareHeading(w.obligations[9])),
    w.iso(bareHeading(w.obligations[11])),
  ]).font = { bold: true };
  for (const o of report.obligations) {
    obligations.addRow([
      o.account,
      o.obligation,
      o.instrument,
      o.role === "buyer" ? words.buyer : words.seller,
      tenge(o.priceTiynPerTonne),
      o.quantityKg / 1000,
      tenge(o.valueTiyn),
      words.statuses[o.status] ?? o.status,
      tenge(o.toPayTiyn),
      time(o.paymentDue),
      o.toDeliverKg / 1000,
      time(o.deliveryDue),
      tenge(o.toReceiveTiyn),
      o.paymentDue,
      o.deliveryDue,
    ]);
  }
  for (const column of [5, 7, 9, 13]) obligations.getColumn(column).numFmt = money;

  const collateral = workbook.addWorksheet(w.sheets.collateral);
  collateral.addRow([...w.collateral]).font = { bold: true };
  for (const a of report.accounts) {
    collateral.addRow([
      a.account,
      tenge(a.freeTiyn),
      tenge(a.collateralHeldTiyn),
      tenge(a.ordersBlockedTiyn),
      tenge(a.dueNextDayTiyn),
      tenge(a.marginCallTiyn),
    ]);
  }
  for (const column of [2, 3, 4, 5, 6]) collateral.getColumn(column).numFmt = money;

  const calls = workbook.addWorksheet(w.sheets.marginCalls);
  calls.addRow([...w.marginCalls, w.iso(bareHeading(w.marginCalls[2]))]).font = { bold: true };
  for (const c of report.marginCalls) calls.addRow([c.account, tenge(c.amountTiyn), time(c.due), c.due]);
  calls.getColumn(2).numFmt = money;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

interface ReportLabels {
  readonly title: string;
  readonly workingCopy: string;
  readonly date: string;
  readonly bin: string;
  readonly binMissing: string;
  readonly asOf: string;
  readonly obligations: string;
  readonly netting: string;
  readonly toPay: string;
  readonly toReceive: string;
  readonly net: string;
  readonly toDeliver: string;
  readonly collateral: string;
  readonly free: string;
  readonly held: string;
  readonly orders: string;
  readonly marginCalls: string;
  readonly due: string;
  readonly none: string;
  readonly tenge: string;
  /** A price's unit: the money's, per tonne. */
  readonly perTonne: string;
  readonly tonnes: string;
  readonly truncated: string;
}

const REPORT_LABELS: Readonly<Record<DocumentLanguage, ReportLabels>> = {
  kk: {
    title: "Клирингтік есеп",
    workingCopy: "",
    date: "Күні",
    bin: "БСН",
    binMissing: "тіркелмеген",
    asOf: "Жағдай бойынша (Қазақстан уақыты, UTC+5)",
    obligations: "Міндеттемелер",
    netting: "Ақша бойынша неттинг",
    toPay: "Төлеуге",
    toReceive: "Алуға",
    net: "Сальдо (алу − төлеу)",
    toDeliver: "Жеткізуге",
    collateral: "Ұсталған кепілдік",
    free: "бос",
    held: "міндеттемелерге бұғатталған",
    orders: "өтінімдерге бұғатталған",
    marginCalls: "Маржалық талаптар",
    due: "мерзімі",
    none: "жоқ",
    tenge: "теңге",
    perTonne: "теңге/т",
    tonnes: "т",
    truncated: `Есеп ${PDF_PAGES_MAX} бетпен шектелді; толық нұсқасы JSON мен XLSX-те.`,
  },
  ru: {
    title: "Клиринговый отчёт",
    workingCopy: "",
    date: "Дата",
    bin: "БИН",
    binMissing: "не записан",
    asOf: "По состоянию на (время Казахстана, UTC+5)",
    obligations: "Обязательства",
    netting: "Неттинг денежных средств",
    toPay: "К оплате",
    toReceive: "К получению",
    net: "Сальдо (получить − оплатить)",
    toDeliver: "К поставке",
    collateral: "Удерживаемое обеспечение",
    free: "свободно",
    held: "заблокировано под обязательства",
    orders: "заблокировано под заявки",
    marginCalls: "Маржинальные требования",
    due: "срок",
    none: "нет",
    tenge: "тенге",
    perTonne: "тенге/т",
    tonnes: "т",
    truncated: `Отчёт ограничен ${PDF_PAGES_MAX} страницами; полностью — в JSON и XLSX.`,
  },
  en: {
    title: "Clearing report",
    workingCopy: "Working copy in English; the Kazakh and Russian reports are the official ones.",
    date: "Date",
    bin: "BIN",
    binMissing: "not recorded",
    asOf: "As of (Kazakhstan time, UTC+5)",
    obligations: "Obligations",
    netting: "Money netting",
    toPay: "To pay",
    toReceive: "To receive",
    net: "Net (receive − pay)",
    toDeliver: "To deliver",
    collateral: "Collateral held",
    free: "free",
    held: "blocked for obligations",
    orders: "blocked for orders",
    marginCalls: "Margin calls",
    due: "due",
    none: "none",
    tenge: "tenge",
    perTonne: "tenge/t",
    tonnes: "t",
    truncated: `The report is cut at ${PDF_PAGES_MAX} pages; the JSON and XLSX forms are whole.`,
  },
};

/** The report as a PDF in one language; at most `PDF_PAGES_MAX` pages, then a note that the rest is cut. */
export async function clearingReportPdf(report: ClearingReportJson, language: DocumentLanguage): Promise<Buffer> {
  const l = REPORT_LABELS[language];
  const words = LABELS[language];
  const tonnesDisplay = (kg: number | string) => formatTonnesFixed(kg, language);
  const time = (iso: string) => formatIsoTime(iso, language);
  const doc = await newPdf(`${l.title} ${report.member} ${report.date}`, Date.parse(report.date), language);
  let pages = 1;
  doc.on("pageAdded", () => {
    pages += 1;
  });
  doc.font("bold").fontSize(16).text(`${l.title}: ${report.memberName} (${report.member})`);
  if (l.workingCopy !== "") doc.font("regular").fontSize(9).text(l.workingCopy);
  field(doc, l.date, formatDate(report.date, language));
  field(doc, l.bin, report.bin ?? l.binMissing);
  field(doc, l.asOf, time(report.asOf));
  const t = (tiyn: string | number) => `${formatTengeFixed(tiyn, language)} ${l.tenge}`;
  const lines: { bold: boolean; text: string }[] = [];
  const heading = (text: string) => lines.push({ bold: true, text });
  const line = (text: string) => lines.push({ bold: false, text });
  heading(l.netting);
  line(`${l.toPay}: ${t(report.netting.toPayTiyn)}; ${l.toReceive}: ${t(report.netting.toReceiveTiyn)}`);
  line(
    `${l.net}: ${t(report.netting.netTiyn)}; ${l.toDeliver}: ${tonnesDisplay(report.netting.toDeliverKg)} ${l.tonnes}`,
  );
  heading(l.marginCalls);
  if (report.marginCalls.length === 0) line(l.none);
  for (const c of report.marginCalls) line(`${c.account}: ${t(c.amountTiyn)}, ${l.due} ${time(c.due)}`);
  heading(l.collateral);
  for (const a of report.accounts) {
    line(
      `${a.account}: ${l.held} ${t(a.collateralHeldTiyn)}; ${l.orders} ${t(a.ordersBlockedTiyn)}; ${l.free} ${t(a.freeTiyn)}`,
    );
  }
  heading(l.obligations);
  if (report.obligations.length === 0) line(l.none);
  for (const o of report.obligations) {
    const todo = [
      o.toPayTiyn > 0 ? `${l.toPay} ${t(o.toPayTiyn)} (${l.due} ${time(o.paymentDue)})` : null,
      o.toDeliverKg > 0
        ? `${l.toDeliver} ${tonnesDisplay(o.toDeliverKg)} ${l.tonnes} (${l.due} ${time(o.deliveryDue)})`
        : null,
      o.toReceiveTiyn > 0 ? `${l.toReceive} ${t(o.toReceiveTiyn)}` : null,
    ].filter((x) => x !== null);
    line(
      `${o.account} ${o.obligation} (${o.role === "buyer" ? words.buyer : words.seller}) ${tonnesDisplay(o.quantityKg)} ${l.tonnes} × ${formatTengeFixed(o.priceTiynPerTonne, language)} ${l.perTonne}; ${words.statuses[o.status] ?? o.status}${todo.length > 0 ? `; ${todo.join("; ")}` : ""}`,
    );
  }
  for (const entry of lines) {
    if (pages >= PDF_PAGES_MAX && doc.y > doc.page.maxY() - 60) {
      doc.font("bold").fontSize(9).text(l.truncated);
      break;
    }
    if (entry.bold) doc.moveDown(0.5);
    doc
      .font(entry.bold ? "bold" : "regular")
      .fontSize(entry.bold ? 11 : 9)
      .text(entry.text);
  }
  return pdfBytes(doc);
}
