/**
 * The daily bulletin as documents people open: an XLSX workbook (exceljs) and a PDF (pdfkit), in English, Russian or
 * Kazakh. Both hold the same three parts as the JSON: the sessions of the day per instrument, the day's indices, and
 * the regulator's controls with their reasons (in the bulletin's language, as the audit trail tells them).
 *
 * Numbers. The workbook keeps numbers as numbers (tonnes and tenge, with a display format), so a reader can sum them;
 * the PDF writes them in the language's conventions (domain/locale.ts: "133 126 ₸/т", "12,5 т", dd.MM.yyyy HH:mm).
 * The PDF embeds DejaVu Sans (the @fontsource/dejavu-sans package; its file carries the whole font, Kazakh letters
 * ә ғ қ ң ө ұ ү һ і and the tenge sign included), so every reader sees the same letters whatever fonts they have.
 *
 * Determinism: the documents carry the bulletin's day as their creation date, never the clock, so the same bulletin
 * gives the same workbook content and the same PDF text.
 *
 * Complexity: O(sessions + indices + controls) rows; a PDF page holds `PDF_ROWS_PER_PAGE_MAX` table rows at most.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Language } from "../domain/locale.ts";
import { isoUtc } from "../projections/numbers.ts";
import { type Bulletin, type BulletinControl, controlDetails } from "./bulletin.ts";
import {
  formatDate,
  formatInteger,
  formatPriceTiynPerTonne,
  formatQuantityKg,
  formatTimeMs,
  productShortName,
  regionName,
  safeguardChangesText,
} from "./format.ts";

const require = createRequire(import.meta.url);

/**
 * The font as TrueType, unpacked from the package's WOFF once per process: fontkit reads WOFF tables by inflating
 * them again on every access, which made one bulletin take 15 s; from TrueType it takes about half a second. The
 * unpacker (and the inflater it loads, 17 modules) is loaded by the first document that needs the fonts, not by
 * every server start.
 */
let fonts: { readonly regular: Buffer; readonly bold: Buffer } | null = null;
export function embeddedFonts(): { readonly regular: Buffer; readonly bold: Buffer } {
  const { toSfnt } = require("woff2sfnt-sfnt2woff") as { toSfnt(woff: Buffer): Buffer };
  fonts ??= {
    regular: toSfnt(readFileSync(require.resolve("@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff"))),
    bold: toSfnt(readFileSync(require.resolve("@fontsource/dejavu-sans/files/dejavu-sans-latin-700-normal.woff"))),
  };
  return fonts;
}

const KG_PER_TONNE = 1000;
const TIYN_PER_TENGE = 100;

interface Labels {
  readonly title: string;
  readonly day: string;
  readonly sessions: string;
  readonly noSessions: string;
  readonly indices: string;
  readonly noIndices: string;
  readonly controls: string;
  readonly noControls: string;
  readonly controlsIncomplete: string;
  readonly sessionColumns: readonly string[];
  readonly indexColumns: readonly string[];
  readonly controlColumns: readonly string[];
  readonly scopes: Readonly<Record<string, string>>;
  readonly actions: Readonly<Record<string, string>>;
  readonly timeNote: string;
  /** The word before the regulator's reason in a control's row. */
  readonly reason: string;
  /** The note under the session results for a session revised by voided trades after it closed. */
  readonly revised: (note: RevisionNote) => string;
}

/** A session's revision as the bulletin's documents note it (texts already formatted in the document's language). */
export interface RevisionNote {
  readonly instrument: string;
  readonly session: number;
  readonly time: string;
  readonly trades: string;
  readonly quantity: string;
}

/** Column titles and words of the bulletin in each language; units after the name. */
export const BULLETIN_LABELS: Readonly<Record<Language, Labels>> = {
  en: {
    title: "Daily bulletin of the LPG exchange",
    day: "Trading day",
    sessions: "Session results",
    noSessions: "No session closed this day.",
    indices: "Price indices",
    noIndices: "No index was computed this day.",
    controls: "Regulator's controls",
    noControls: "No safeguard change, halt or resumption this day.",
    controlsIncomplete: "The controls of this day are older than the audit trail kept in memory; the journal has them.",
    sessionColumns: [
      "Instrument",
      "Session",
      "Offered, t",
      "Bid, t",
      "Traded, t",
      "Weighted average, ₸/t",
      "High, ₸/t",
      "Low, ₸/t",
      "Trades",
      "Buyers",
      "Sellers",
    ],
    indexColumns: ["Product", "Scope", "Key", "Index, ₸/t", "Volume, t", "Sessions"],
    controlColumns: ["Time", "Action", "Instrument", "What and why"],
    scopes: { basis: "by plant", region: "by region", "basis-region": "plant to region", national: "national" },
    actions: { "safeguards.set": "safeguards changed", halt: "halt", resume: "resumption" },
    timeNote: "Times in Kazakhstan time (UTC+5).",
    reason: "reason",
    revised: (n) =>
      `${n.instrument}, session ${n.session}: revised ${n.time}; voided trades: ${n.trades}, ${n.quantity}, left out of the results and indices.`,
  },
  ru: {
    title: "Ежедневный бюллетень биржи сжиженного газа",
    day: "Торговый день",
    sessions: "Итоги сессий",
    noSessions: "В этот день ни одна сессия не закрылась.",
    indices: "Ценовые индексы",
    noIndices: "В этот день индексы не рассчитывались.",
    controls: "Меры регулятора",
    noControls: "В этот день ограничительные меры не менялись, торги не приостанавливались и не возобновлялись.",
    controlsIncomplete: "Меры этого дня старше журнала аудита в памяти; они есть в журнале биржи.",
    sessionColumns: [
      "Инструмент",
      "Сессия",
      "Предложено, т",
      "Спрос, т",
      "Продано, т",
      "Средневзвешенная, ₸/т",
      "Макс., ₸/т",
      "Мин., ₸/т",
      "Сделок",
      "Покупателей",
      "Продавцов",
    ],
    indexColumns: ["Продукт", "Охват", "Ключ", "Индекс, ₸/т", "Объём, т", "Сессий"],
    controlColumns: ["Время", "Мера", "Инструмент", "Что и почему"],
    scopes: { basis: "по заводу", region: "по региону", "basis-region": "завод — регион", national: "по стране" },
    actions: { "safeguards.set": "изменение ограничений", halt: "приостановка", resume: "возобновление" },
    timeNote: "Время — время Казахстана (UTC+5).",
    reason: "причина",
    revised: (n) =>
      `${n.instrument}, сессия ${n.session}: итоги пересмотрены ${n.time}; аннулировано сделок: ${n.trades}, ${n.quantity}, они исключены из итогов и индексов.`,
  },
  kk: {
    title: "Сұйытылған газ биржасының күнделікті бюллетені",
    day: "Сауда күні",
    sessions: "Сессиялар қорытындысы",
    noSessions: "Бұл күні бірде-бір сессия жабылмады.",
    indices: "Баға индекстері",
    noIndices: "Бұл күні индекстер есептелмеді.",
    controls: "Реттеушінің шаралары",
    noControls: "Бұл күні шектеу шаралары өзгермеді, сауда тоқтатылмады және қайта басталмады.",
    controlsIncomplete: "Бұл күннің шаралары жадтағы аудит журналынан ескі; олар биржа журналында бар.",
    sessionColumns: [
      "Құрал",
      "Сессия",
      "Ұсынылды, т",
      "Сұраныс, т",
      "Сатылды, т",
      "Орташа өлшенген, ₸/т",
      "Ең жоғары, ₸/т",
      "Ең төмен, ₸/т",
      "Мәміле",
      "Сатып алушы",
      "Сатушы",
    ],
    indexColumns: ["Өнім", "Аясы", "Кілт", "Индекс, ₸/т", "Көлем, т", "Сессия"],
    controlColumns: ["Уақыт", "Шара", "Құрал", "Не және неге"],
    scopes: { basis: "зауыт бойынша", region: "өңір бойынша", "basis-region": "зауыт — өңір", national: "ұлттық" },
    actions: { "safeguards.set": "шектеулерді өзгерту", halt: "тоқтата тұру", resume: "қайта бастау" },
    timeNote: "Уақыт — Қазақстан уақыты (UTC+5).",
    reason: "себебі",
    revised: (n) =>
      `${n.instrument}, ${n.session}-сессия: қорытындылар ${n.time} қайта қаралды; күші жойылған мәмілелер: ${n.trades}, ${n.quantity}, олар қорытындылар мен индекстерден шығарылды.`,
  },
};

/**
 * A control's "what and why" in the document's language: a safeguard change written out in words ("баға дәлізі
 * ±10,00 %; …; себебі: …"); halts and resumptions as the audit trail tells them (already readable in each language).
 */
function controlText(bulletin: Bulletin, c: BulletinControl, language: Language): string {
  const detail = controlDetails(bulletin).get(c.seq);
  if (c.action !== "safeguards.set" || detail === undefined || detail.changes === null) return c.summary;
  const reason = detail.reason === null ? "" : `; ${BULLETIN_LABELS[language].reason}: ${detail.reason}`;
  return `${safeguardChangesText(detail.changes, language)}${reason}`;
}

/** An index's place as the board writes it: a region (or the nation) by name, a basis and region as "TCO / …". */
function indexKey(scope: string, key: string, language: Language): string {
  if (scope === "region" || scope === "national") return regionName(key, language);
  const slash = key.indexOf("/");
  if (scope === "basis-region" && slash > 0)
    return `${key.slice(0, slash)} / ${regionName(key.slice(slash + 1), language)}`;
  return key;
}

/** The notes on the day's sessions revised by voided trades after they closed, in the document's language. */
export function revisionNotes(bulletin: Bulletin, language: Language): string[] {
  const labels = BULLETIN_LABELS[language];
  const notes: string[] = [];
  for (const s of bulletin.sessions) {
    const voids = s.voids;
    if (voids?.revisedMs == null) continue;
    notes.push(
      labels.revised({
        instrument: s.instrument,
        session: s.session,
        time: formatTimeMs(voids.revisedMs, language),
        trades: formatInteger(voids.trades, language),
        quantity: formatQuantityKg(voids.volumeKg, language),
      }),
    );
  }
  return notes;
}

function tonnesOf(kg: bigint | number): number {
  return Number(kg) / KG_PER_TONNE;
}

function tengeOf(tiyn: number | null): number | null {
  return tiyn === null ? null : tiyn / TIYN_PER_TENGE;
}

/** The bulletin as an XLSX workbook: one sheet per part, numbers kept as numbers. */
export async function bulletinXlsx(bulletin: Bulletin, language: Language): Promise<Buffer> {
  const { default: Excel } = await import("exceljs");
  const labels = BULLETIN_LABELS[language];
  const workbook = new Excel.Workbook();
  workbook.creator = "sauda";
  const created = new Date(`${bulletin.day}T00:00:00Z`);
  workbook.created = created;
  workbook.modified = created;

  const sessions = workbook.addWorksheet(labels.sessions.slice(0, 31));
  sessions.addRow([`${labels.title} — ${labels.day} ${formatDate(bulletin.day, language)}`]).font = { bold: true };
  sessions.addRow(labels.sessionColumns).font = { bold: true };
  for (const s of bulletin.sessions) {
    sessions.addRow([
      s.instrument,
      s.session,
      tonnesOf(s.offeredKg),
      tonnesOf(s.bidKg),
      tonnesOf(s.volumeKg),
      tengeOf(s.vwapTiynPerTonne),
      tengeOf(s.highTiynPerTonne),
      tengeOf(s.lowTiynPerTonne),
      s.trades,
      s.buyers,
      s.sellers,
    ]);
  }
  if (bulletin.sessions.length === 0) sessions.addRow([labels.noSessions]);
  for (const note of revisionNotes(bulletin, language)) sessions.addRow([note]);
  sessions.columns.forEach((column, index) => {
    column.width = index === 0 ? 28 : 16;
    if (index >= 2 && index <= 4) column.numFmt = "#,##0.###";
    if (index >= 5 && index <= 7) column.numFmt = "#,##0.00";
  });

  const indices = workbook.addWorksheet(labels.indices.slice(0, 31));
  indices.addRow(labels.indexColumns).font = { bold: true };
  for (const i of bulletin.indices) {
    indices.addRow([
      productShortName(i.product, language),
      labels.scopes[i.scope] ?? i.scope,
      indexKey(i.scope, i.key, language),
      tengeOf(i.priceTiynPerTonne),
      tonnesOf(i.volumeKg),
      i.sessions,
    ]);
  }
  if (bulletin.indices.length === 0) indices.addRow([labels.noIndices]);
  indices.columns.forEach((column, index) => {
    column.width = index === 2 ? 24 : 16;
    if (index === 3) column.numFmt = "#,##0.00";
    if (index === 4) column.numFmt = "#,##0.###";
  });

  const controls = workbook.addWorksheet(labels.controls.slice(0, 31));
  // The time as a person reads it (Astana, "05.12.2026 09:47"), and at the end the same instant as ISO 8601 UTC text
  // for programs, as the statement's workbook does.
  controls.addRow([...labels.controlColumns, `${labels.controlColumns[0]}: UTC, ISO 8601`]).font = { bold: true };
  for (const c of bulletin.controls) {
    controls.addRow([
      formatTimeMs(c.timeMs, language),
      labels.actions[c.action] ?? c.action,
      c.instrument ?? "",
      controlText(bulletin, c, language),
      isoUtc(c.timeMs),
    ]);
  }
  if (bulletin.controls.length === 0) controls.addRow([labels.noControls]);
  if (!bulletin.controlsComplete) controls.addRow([labels.controlsIncomplete]);
  controls.addRow([labels.timeNote]);
  controls.columns.forEach((column, index) => {
    column.width = index === 3 ? 80 : 20;
  });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A PDF table cell's padding, left and right together. */
const CELL_PADDING_PT = 4;

/**
 * Column widths that add up to `total`: each at least its `minimum`, the rest shared in proportion to `weights`
 * (columns that the share would make narrower than their minimum are held at it and the others share what is left).
 * When the minimums alone exceed `total`, they are scaled down together (a word may then be cut: no page is wider).
 */
export function fitColumns(weights: readonly number[], minimums: readonly number[], total: number): number[] {
  const needed = minimums.reduce((a, b) => a + b, 0);
  if (needed >= total) return minimums.map((minimum) => (minimum * total) / needed);
  const held = new Set<number>();
  for (;;) {
    const free = total - [...held].reduce((sum, index) => sum + minimums[index]!, 0);
    const weight = weights.reduce((sum, w, index) => (held.has(index) ? sum : sum + w), 0);
    const widths = weights.map((w, index) => (held.has(index) ? minimums[index]! : (w * free) / weight));
    const under = widths.findIndex((w, index) => !held.has(index) && w < minimums[index]!);
    if (under === -1) return widths;
    held.add(under);
  }
}

/** Longest table on one PDF page before a new page starts. */
export const PDF_ROWS_PER_PAGE_MAX = 28;
const PAGE_MARGIN_PT = 36;
const ROW_HEIGHT_PT = 16;

/** The bulletin as a PDF (A4 landscape) with the font embedded. */
export async function bulletinPdf(bulletin: Bulletin, language: Language): Promise<Buffer> {
  const { default: PDFDocument } = await import("pdfkit");
  const labels = BULLETIN_LABELS[language];
  const created = new Date(`${bulletin.day}T00:00:00Z`);
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: PAGE_MARGIN_PT,
    info: {
      Title: `${labels.title} ${formatDate(bulletin.day, language)}`,
      Author: "sauda",
      CreationDate: created,
      ModDate: created,
    },
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

  const width = doc.page.width - 2 * PAGE_MARGIN_PT;
  doc.font("bold").fontSize(14).text(labels.title);
  doc
    .font("regular")
    .fontSize(10)
    .text(`${labels.day}: ${formatDate(bulletin.day, language)}. ${labels.timeNote}`);
  doc.moveDown();

  // A cell's text wraps between words only: a word (a header's "Средневзвешенная", a figure) is never cut, so each
  // column is at least as wide as its widest word, the rest of the page shared by the columns' weights.
  // A figure and its unit ("1 мин") stay on one line, and so do a heading's last word and the unit after its comma
  // ("Предложено, т", "Ең жоғары, ₸/т": the unit was left alone on the next line, or cut after its slash).
  const unbreakable = (text: string) =>
    text.replace(/(\d) (?=\p{L})/gu, "$1\u00a0").replace(/, (\S{1,4})$/u, ",\u00a0$1");
  // The cell's lines broken here, between words only, in the font and size set: pdfkit's own wrapping also breaks
  // after a slash, which put a heading's "₸/" and "т" on two lines.
  const wrapped = (text: string, lineWidth: number) => {
    const lines: string[] = [];
    let current = "";
    for (const word of text.split(/ +/u)) {
      const longer = current === "" ? word : `${current} ${word}`;
      if (current === "" || doc.widthOfString(longer) <= lineWidth) current = longer;
      else {
        lines.push(current);
        current = word;
      }
    }
    lines.push(current);
    return lines.join("\n");
  };
  const widestWord = (texts: readonly string[], font: "regular" | "bold") => {
    doc.font(font).fontSize(8);
    let widest = 0;
    for (const text of texts) {
      for (const word of unbreakable(text).split(/ +/u)) widest = Math.max(widest, doc.widthOfString(word));
    }
    return widest + CELL_PADDING_PT + 1;
  };
  const table = (title: string, columns: readonly string[], weights: readonly number[], rows: string[][]) => {
    doc.font("bold").fontSize(12).text(title, PAGE_MARGIN_PT);
    doc.moveDown(0.3);
    const widths = fitColumns(
      weights,
      columns.map((column, index) =>
        Math.max(
          widestWord([column], "bold"),
          widestWord(
            rows.map((row) => row[index] ?? ""),
            "regular",
          ),
        ),
      ),
      width,
    );
    const line = (cells: readonly string[], font: "regular" | "bold") => {
      if (doc.y + ROW_HEIGHT_PT * 2 > doc.page.height - PAGE_MARGIN_PT) doc.addPage();
      const y = doc.y;
      let x = PAGE_MARGIN_PT;
      let bottom = y;
      doc.font(font).fontSize(8);
      cells.forEach((cell, index) => {
        const cellWidth = widths[index]!;
        doc.text(wrapped(unbreakable(cell), cellWidth - CELL_PADDING_PT), x + CELL_PADDING_PT / 2, y, {
          width: cellWidth - CELL_PADDING_PT,
        });
        bottom = Math.max(bottom, doc.y);
        x += cellWidth;
      });
      doc.x = PAGE_MARGIN_PT;
      doc.y = Math.max(bottom, y + ROW_HEIGHT_PT - 4);
    };
    line(columns, "bold");
    rows.forEach((row, index) => {
      if (index > 0 && index % PDF_ROWS_PER_PAGE_MAX === 0) doc.addPage();
      line(row, "regular");
    });
    doc.moveDown();
  };

  const price = (tiyn: number | null) => (tiyn === null ? "—" : formatPriceTiynPerTonne(tiyn, language));
  const plain = (text: string) => text.replace(/ ₸\/т$| ₸\/t$| т$| t$/, "");
  table(
    labels.sessions,
    labels.sessionColumns,
    [4, 1.2, 2, 2, 2, 2.4, 2, 2, 1.2, 1.4, 1.4],
    bulletin.sessions.map((s) => [
      s.instrument,
      String(s.session),
      plain(formatQuantityKg(s.offeredKg, language)),
      plain(formatQuantityKg(s.bidKg, language)),
      plain(formatQuantityKg(s.volumeKg, language)),
      plain(price(s.vwapTiynPerTonne)),
      plain(price(s.highTiynPerTonne)),
      plain(price(s.lowTiynPerTonne)),
      formatInteger(s.trades, language),
      formatInteger(s.buyers, language),
      formatInteger(s.sellers, language),
    ]),
  );
  if (bulletin.sessions.length === 0) doc.font("regular").fontSize(9).text(labels.noSessions).moveDown();
  const notes = revisionNotes(bulletin, language);
  for (const note of notes) doc.font("regular").fontSize(9).text(note);
  if (notes.length > 0) doc.moveDown();
  table(
    labels.indices,
    labels.indexColumns,
    [2, 2, 3, 2, 2, 1],
    bulletin.indices.map((i) => [
      productShortName(i.product, language),
      labels.scopes[i.scope] ?? i.scope,
      indexKey(i.scope, i.key, language),
      plain(price(i.priceTiynPerTonne)),
      plain(formatQuantityKg(i.volumeKg, language)),
      formatInteger(i.sessions, language),
    ]),
  );
  if (bulletin.indices.length === 0) doc.font("regular").fontSize(9).text(labels.noIndices).moveDown();
  table(
    labels.controls,
    labels.controlColumns,
    [2, 2, 3, 9],
    bulletin.controls.map((c) => [
      formatTimeMs(c.timeMs, language),
      labels.actions[c.action] ?? c.action,
      c.instrument ?? "",
      controlText(bulletin, c, language),
    ]),
  );
  if (bulletin.controls.length === 0) doc.font("regular").fontSize(9).text(labels.noControls);
  if (!bulletin.controlsComplete) doc.font("regular").fontSize(9).text(labels.controlsIncomplete);
  doc.end();
  return done;
}
