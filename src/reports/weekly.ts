/**
 * The weekly statutory summary for the regulator and the ministry: for a week (Monday to Sunday, exchange time),
 * volumes and prices per delivery region and plant (basis) from the sessions that closed in it, and the producers'
 * supply-plan fulfilment of the week's month(s) to date; as data, an XLSX workbook and a PDF, in English, Russian or
 * Kazakh.
 *
 * Per region and plant: sessions, trades, volume (kg), value (tiyn), the volume-weighted average price (value ÷ volume,
 * rounded halves up, as everywhere: projections/numbers.ts), the highest and lowest trade price. Off-exchange volumes
 * are not reported to the exchange, so the summary says so rather than inventing a figure (`offExchangeReported:
 * false`).
 *
 * Complexity: O(sessions of the week + plan rows of its months); the week's days are read as the bulletin reads them.
 */

import type { Projections, SupplyStatus } from "../projections/index.ts";
import { divideRoundHalfUp, EXCHANGE_UTC_OFFSET_MS, localDay } from "../projections/numbers.ts";
import { dailyBulletin, dayStartMs } from "./bulletin.ts";
import { embeddedFonts } from "./bulletin-documents.ts";
import {
  formatDate,
  formatInteger,
  formatPercent,
  formatPriceTiynPerTonne,
  formatQuantityKg,
  type Language,
} from "./format.ts";

const DAY_MS = 86_400_000;
const DAYS_PER_WEEK = 7;
const KG_PER_TONNE = 1000n;

export interface WeeklyRow {
  readonly region: string;
  readonly basis: string;
  readonly sessions: number;
  readonly trades: number;
  readonly volumeKg: bigint;
  readonly valueTiyn: bigint;
  readonly vwapTiynPerTonne: number | null;
  readonly highTiynPerTonne: number | null;
  readonly lowTiynPerTonne: number | null;
}

export interface WeeklySummary {
  /** The Monday, YYYY-MM-DD. */
  readonly week: string;
  /** The Sunday. */
  readonly lastDay: string;
  readonly rows: readonly WeeklyRow[];
  readonly total: Omit<WeeklyRow, "region" | "basis">;
  /** The plan against what was offered and sold, per month the week touches, month to date. */
  readonly supply: readonly SupplyStatus[];
  readonly offExchangeReported: false;
}

/** Whether a date is a Monday. */
export function isMonday(day: string): boolean {
  return new Date(`${day}T00:00:00Z`).getUTCDay() === 1;
}

export function weeklySummary(projections: Projections, week: string): WeeklySummary {
  const startMs = dayStartMs(week, EXCHANGE_UTC_OFFSET_MS);
  const days = Array.from({ length: DAYS_PER_WEEK }, (_, i) => localDay(startMs + i * DAY_MS, EXCHANGE_UTC_OFFSET_MS));
  const rows = new Map<string, { -readonly [K in keyof WeeklyRow]: WeeklyRow[K] }>();
  const total = {
    sessions: 0,
    trades: 0,
    volumeKg: 0n,
    valueTiyn: 0n,
    high: null as number | null,
    low: null as number | null,
  };
  for (const day of days) {
    for (const s of dailyBulletin(projections, day).sessions) {
      const key = `${s.region}\u0000${s.basis}`;
      let row = rows.get(key);
      if (row === undefined) {
        row = {
          region: s.region,
          basis: s.basis,
          sessions: 0,
          trades: 0,
          volumeKg: 0n,
          valueTiyn: 0n,
          vwapTiynPerTonne: null,
          highTiynPerTonne: null,
          lowTiynPerTonne: null,
        };
        rows.set(key, row);
      }
      row.sessions++;
      row.trades += s.trades;
      row.volumeKg += s.volumeKg;
      row.valueTiyn += s.valueTiyn;
      if (s.highTiynPerTonne !== null) row.highTiynPerTonne = Math.max(row.highTiynPerTonne ?? 0, s.highTiynPerTonne);
      if (s.lowTiynPerTonne !== null) {
        row.lowTiynPerTonne = Math.min(row.lowTiynPerTonne ?? Number.MAX_SAFE_INTEGER, s.lowTiynPerTonne);
      }
      total.sessions++;
      total.trades += s.trades;
      total.volumeKg += s.volumeKg;
      total.valueTiyn += s.valueTiyn;
      if (s.highTiynPerTonne !== null) total.high = Math.max(total.high ?? 0, s.highTiynPerTonne);
      if (s.lowTiynPerTonne !== null) total.low = Math.min(total.low ?? Number.MAX_SAFE_INTEGER, s.lowTiynPerTonne);
    }
  }
  const vwap = (valueTiyn: bigint, volumeKg: bigint) =>
    volumeKg === 0n ? null : Number(divideRoundHalfUp(valueTiyn * KG_PER_TONNE, volumeKg));
  const list = [...rows.values()]
    .map((row) => ({ ...row, vwapTiynPerTonne: vwap(row.valueTiyn, row.volumeKg) }))
    .sort((a, b) =>
      a.region < b.region ? -1 : a.region > b.region ? 1 : a.basis < b.basis ? -1 : a.basis > b.basis ? 1 : 0,
    );
  const months = [...new Set(days.map((day) => day.slice(0, 7)))];
  return {
    week,
    lastDay: days[DAYS_PER_WEEK - 1]!,
    rows: list,
    total: {
      sessions: total.sessions,
      trades: total.trades,
      volumeKg: total.volumeKg,
      valueTiyn: total.valueTiyn,
      vwapTiynPerTonne: vwap(total.valueTiyn, total.volumeKg),
      highTiynPerTonne: total.high,
      lowTiynPerTonne: total.low,
    },
    supply: months.flatMap((month) => projections.supply.status(month)),
    offExchangeReported: false,
  };
}

interface WeeklyLabels {
  readonly title: string;
  readonly week: string;
  readonly markets: string;
  readonly marketColumns: readonly string[];
  readonly total: string;
  readonly supply: string;
  readonly supplyColumns: readonly string[];
  readonly noSupply: string;
  readonly offExchange: string;
  /** Sheet names: Excel allows at most 31 characters. */
  readonly sheets: readonly [string, string];
}

export const WEEKLY_LABELS: Readonly<Record<Language, WeeklyLabels>> = {
  en: {
    title: "Weekly summary of LPG exchange trading",
    week: "Week",
    markets: "Volumes and prices by region and plant",
    marketColumns: [
      "Region",
      "Plant",
      "Sessions",
      "Trades",
      "Volume, t",
      "Weighted average, ₸/t",
      "High, ₸/t",
      "Low, ₸/t",
    ],
    total: "All",
    supply: "Supply-plan fulfilment, month to date",
    supplyColumns: ["Month", "Producer", "Plant", "Planned, t", "Offered, t", "Sold, t", "Short, t", "Offered of plan"],
    noSupply: "No supply plan is set for these months.",
    offExchange: "Off-exchange volumes are not reported to the exchange and are not in this summary.",
    sheets: ["By region and plant", "Supply plan"],
  },
  ru: {
    title: "Еженедельная сводка биржевых торгов сжиженным газом",
    week: "Неделя",
    markets: "Объёмы и цены по регионам и заводам",
    marketColumns: [
      "Регион",
      "Завод",
      "Сессий",
      "Сделок",
      "Объём, т",
      "Средневзвешенная, ₸/т",
      "Макс., ₸/т",
      "Мин., ₸/т",
    ],
    total: "Всего",
    supply: "Выполнение плана поставок с начала месяца",
    supplyColumns: [
      "Месяц",
      "Производитель",
      "Завод",
      "План, т",
      "Предложено, т",
      "Продано, т",
      "Недопоставка, т",
      "Предложено от плана",
    ],
    noSupply: "План поставок на эти месяцы не задан.",
    offExchange: "Внебиржевые объёмы бирже не сообщаются и в сводку не входят.",
    sheets: ["По регионам и заводам", "План поставок"],
  },
  kk: {
    title: "Сұйытылған газбен биржалық сауданың апталық жиынтығы",
    week: "Апта",
    markets: "Өңірлер мен зауыттар бойынша көлемдер мен бағалар",
    marketColumns: [
      "Өңір",
      "Зауыт",
      "Сессия",
      "Мәміле",
      "Көлем, т",
      "Орташа өлшенген, ₸/т",
      "Ең жоғары, ₸/т",
      "Ең төмен, ₸/т",
    ],
    total: "Барлығы",
    supply: "Жеткізу жоспарының ай басынан орындалуы",
    supplyColumns: [
      "Ай",
      "Өндіруші",
      "Зауыт",
      "Жоспар, т",
      "Ұсынылды, т",
      "Сатылды, т",
      "Жетпеді, т",
      "Жоспардан ұсынылғаны",
    ],
    noSupply: "Бұл айларға жеткізу жоспары белгіленбеген.",
    offExchange: "Биржадан тыс көлемдер биржаға хабарланбайды және жиынтыққа кірмейді.",
    sheets: ["Өңірлер мен зауыттар", "Жеткізу жоспары"],
  },
};

const bare = (text: string) => text.replace(/ (₸\/т|₸\/t|т|t)$/, "");

function marketCells(row: Omit<WeeklyRow, "region" | "basis">, language: Language): string[] {
  const price = (value: number | null) => (value === null ? "—" : bare(formatPriceTiynPerTonne(value, language)));
  return [
    formatInteger(row.sessions, language),
    formatInteger(row.trades, language),
    bare(formatQuantityKg(row.volumeKg, language)),
    price(row.vwapTiynPerTonne),
    price(row.highTiynPerTonne),
    price(row.lowTiynPerTonne),
  ];
}

function supplyCells(s: SupplyStatus, language: Language): string[] {
  return [
    s.month,
    s.producer,
    s.basis,
    bare(formatQuantityKg(s.plannedKg, language)),
    bare(formatQuantityKg(s.offeredKg, language)),
    bare(formatQuantityKg(s.soldKg, language)),
    bare(formatQuantityKg(s.shortfallKg, language)),
    s.offeredBps === null ? "—" : formatPercent(s.offeredBps / 100, language),
  ];
}

/** The summary as an XLSX workbook: numbers as numbers (tonnes, tenge). */
export async function weeklyXlsx(summary: WeeklySummary, language: Language): Promise<Buffer> {
  const { default: Excel } = await import("exceljs");
  const labels = WEEKLY_LABELS[language];
  const workbook = new Excel.Workbook();
  workbook.creator = "sauda";
  workbook.created = new Date(`${summary.week}T00:00:00Z`);
  workbook.modified = workbook.created;
  const tonnes = (kg: bigint) => Number(kg) / 1000;
  const tenge = (tiyn: number | null) => (tiyn === null ? null : tiyn / 100);
  const markets = workbook.addWorksheet(labels.sheets[0]);
  markets.addRow([
    `${labels.title} — ${labels.week} ${formatDate(summary.week, language)}–${formatDate(summary.lastDay, language)}`,
  ]).font = { bold: true };
  markets.addRow(labels.marketColumns).font = { bold: true };
  for (const r of [...summary.rows, { ...summary.total, region: labels.total, basis: "" }]) {
    markets.addRow([
      r.region,
      r.basis,
      r.sessions,
      r.trades,
      tonnes(r.volumeKg),
      tenge(r.vwapTiynPerTonne),
      tenge(r.highTiynPerTonne),
      tenge(r.lowTiynPerTonne),
    ]);
  }
  markets.addRow([labels.offExchange]);
  markets.columns.forEach((column, index) => {
    column.width = 18;
    if (index === 4) column.numFmt = "#,##0.###";
    if (index >= 5) column.numFmt = "#,##0.00";
  });
  const supply = workbook.addWorksheet(labels.sheets[1]);
  supply.addRow(labels.supplyColumns).font = { bold: true };
  for (const s of summary.supply) {
    supply.addRow([
      s.month,
      s.producer,
      s.basis,
      tonnes(s.plannedKg),
      tonnes(s.offeredKg),
      tonnes(s.soldKg),
      tonnes(s.shortfallKg),
      s.offeredBps === null ? null : s.offeredBps / 10_000,
    ]);
  }
  if (summary.supply.length === 0) supply.addRow([labels.noSupply]);
  supply.columns.forEach((column, index) => {
    column.width = 18;
    if (index >= 3 && index <= 6) column.numFmt = "#,##0.###";
    if (index === 7) column.numFmt = "0.00%";
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const MARGIN_PT = 36;

/** The summary as an A4 landscape PDF with the font embedded. */
export async function weeklyPdf(summary: WeeklySummary, language: Language): Promise<Buffer> {
  const { default: PDFDocument } = await import("pdfkit");
  const labels = WEEKLY_LABELS[language];
  const created = new Date(`${summary.week}T00:00:00Z`);
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: MARGIN_PT,
    info: { Title: labels.title, Author: "sauda", CreationDate: created, ModDate: created },
    lang: language,
  });
  doc.registerFont("regular", embeddedFonts().regular);
  doc.registerFont("bold", embeddedFonts().bold);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const width = doc.page.width - 2 * MARGIN_PT;
  const table = (columns: readonly string[], rows: readonly string[][]) => {
    const cell = width / columns.length;
    for (const [index, cells] of [columns, ...rows].entries()) {
      if (doc.y + 32 > doc.page.height - MARGIN_PT) doc.addPage();
      const y = doc.y;
      let bottom = y;
      doc.font(index === 0 ? "bold" : "regular").fontSize(8);
      cells.forEach((text, i) => {
        doc.text(text, MARGIN_PT + i * cell + 2, y, { width: cell - 4 });
        bottom = Math.max(bottom, doc.y);
      });
      doc.x = MARGIN_PT;
      doc.y = Math.max(bottom, y + 12);
    }
    doc.moveDown();
  };
  doc.font("bold").fontSize(14).text(labels.title);
  doc
    .font("regular")
    .fontSize(10)
    .text(`${labels.week}: ${formatDate(summary.week, language)}–${formatDate(summary.lastDay, language)}`);
  doc.moveDown();
  doc.font("bold").fontSize(12).text(labels.markets, MARGIN_PT);
  table(labels.marketColumns, [
    ...summary.rows.map((r) => [r.region, r.basis, ...marketCells(r, language)]),
    [labels.total, "", ...marketCells(summary.total, language)],
  ]);
  doc.font("regular").fontSize(9).text(labels.offExchange, MARGIN_PT).moveDown();
  doc.font("bold").fontSize(12).text(labels.supply, MARGIN_PT);
  if (summary.supply.length === 0) doc.font("regular").fontSize(9).text(labels.noSupply);
  else
    table(
      labels.supplyColumns,
      summary.supply.map((s) => supplyCells(s, language)),
    );
  doc.end();
  return done;
}
