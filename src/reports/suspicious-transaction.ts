/**
 * The suspicious-transaction report (STR) of a surveillance case: the regulator's record of the case in the form of
 * REMIT's STR — who (accounts, members, groups of persons), what (each alert: rule, instrument, sessions, side, the
 * orders and trades), when (the span of the evidence), why it is suspicious (each rule's criterion with the figures that
 * crossed it), the evidence (the orders as entered, amended, filled and cancelled, the trades, the price path), and the
 * case's handling (every step with who, when and why).
 *
 * Two forms of the same content: a JSON object (`suspiciousTransactionReport`) and a readable HTML page (`strHtml`),
 * self-contained (inline style, an inline SVG of each alert's price path with its orders marked), every text escaped.
 * Both are pure: the caller gives the case, its alerts and their evidence (read from the journal) and the report's
 * time (the journal's, so the same journal gives the same report).
 *
 * Units: prices in tiyn per tonne and quantities in kg in the JSON, as everywhere in the API; the HTML shows tenge per
 * tonne and tonnes.
 */

import { evidenceChartSpan } from "../domain/chart-span.ts";
import { formatNumber, formatTengeFixed, formatTimeMs, type Language } from "../domain/locale.ts";
import { EXCHANGE_UTC_OFFSET_MS } from "../projections/numbers.ts";
import type { BookLevel, BookView, CaseView, EvidencePack, Rule, StoredAlert } from "../surveillance/index.ts";
import { STR_WORDS, type StrWords } from "./str-words.ts";

/** Why each rule's alerts are suspicious: its criterion, in a sentence (docs/surveillance.md); the JSON's English. */
export const RULE_CRITERIA: Readonly<Record<Rule, string>> = STR_WORDS.en.criteria;

export interface AlertEvidence extends EvidencePack {
  readonly complete: boolean;
}

export interface SuspiciousTransactionReport {
  readonly report: "suspicious-transaction";
  readonly reference: string;
  readonly generatedMs: number;
  readonly case: { readonly status: string; readonly outcome: string | null; readonly openedMs: number };
  readonly who: { readonly accounts: string[]; readonly members: string[]; readonly groups: string[] };
  readonly when: { readonly fromMs: number | null; readonly toMs: number | null };
  readonly what: readonly {
    readonly alert: StoredAlert;
    readonly whySuspicious: string;
    readonly evidence: AlertEvidence | null;
  }[];
  readonly handling: CaseView["steps"];
}

export function suspiciousTransactionReport(
  caseView: CaseView,
  alerts: readonly StoredAlert[],
  evidence: ReadonlyMap<string, AlertEvidence>,
  generatedMs: number,
): SuspiciousTransactionReport {
  const union = (pick: (a: StoredAlert) => readonly string[]) => [...new Set(alerts.flatMap(pick))].sort();
  const from = alerts.length === 0 ? null : Math.min(...alerts.map((a) => a.fromMs));
  const to = alerts.length === 0 ? null : Math.max(...alerts.map((a) => a.toMs));
  return {
    report: "suspicious-transaction",
    reference: caseView.id,
    generatedMs,
    case: { status: caseView.status, outcome: caseView.outcome, openedMs: caseView.openedMs },
    who: { accounts: union((a) => a.accounts), members: union((a) => a.members), groups: union((a) => a.groups) },
    when: { fromMs: from, toMs: to },
    what: alerts.map((alert) => ({
      alert,
      whySuspicious: `${RULE_CRITERIA[alert.rule]}: ${figuresText(alert.figures)}`,
      evidence: evidence.get(alert.id) ?? null,
    })),
    handling: caseView.steps,
  };
}

function figuresText(figures: Readonly<Record<string, number>>): string {
  return Object.entries(figures)
    .map(([name, value]) => `${name} ${value.toLocaleString("en-US")}`)
    .join(", ");
}

/** Figure units the rules name by suffix: kg as tonnes, tiyn per tonne as tenge, ms as seconds, a percentage. */
const FIGURE_SUFFIXES = ["TiynPerTonne", "Kg", "Ms", "Percent"] as const;

/**
 * An alert's figures in Russian or Kazakh, as the surveillance console writes them: "доля: 42%, объём: 120 т". English
 * keeps the rule's own names and plain numbers (the JSON's `whySuspicious`).
 */
function figuresTextIn(figures: Readonly<Record<string, number>>, language: Language): string {
  if (language === "en") return figuresText(figures);
  const w = STR_WORDS[language];
  return Object.entries(figures)
    .map(([name, value]) => {
      const suffix = FIGURE_SUFFIXES.find((s) => name.endsWith(s) && name.length > s.length) ?? "";
      const base = name.slice(0, name.length - suffix.length);
      const label = w.figureNames[base] ?? name;
      const shown =
        suffix === "Kg"
          ? `${formatNumber(value / 1000, language)} ${w.tonne}`
          : suffix === "TiynPerTonne"
            ? `${formatNumber(value / 100, language)} ${w.perTonne}`
            : suffix === "Ms"
              ? `${formatNumber(value / 1000, language)} с`
              : suffix === "Percent"
                ? `${formatNumber(value, language)}\u00a0%`
                : formatNumber(value, language);
      return `${label}: ${shown}`;
    })
    .join(", ");
}

/** Why an alert is suspicious, in the language: its rule's criterion and the figures that crossed it. */
function whySuspiciousIn(alert: StoredAlert, language: Language): string {
  return `${STR_WORDS[language].criteria[alert.rule]}: ${figuresTextIn(alert.figures, language)}`;
}

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => escapes[c]!);
}

/**
 * How the page writes values in a language: English keeps ISO UTC times and en-US numbers (the page as first filed);
 * Russian and Kazakh write Kazakhstan time (dd.MM.yyyy HH:mm, UTC+5) and numbers with grouped thousands and a decimal
 * comma, money with both tiyn digits ("133 000,50"), as the other documents do (src/domain/locale.ts).
 */
interface Writer {
  readonly w: StrWords;
  readonly time: (ms: number | null) => string;
  readonly tenge: (tiynPerTonne: number | null) => string;
  readonly tonnes: (kg: number) => string;
  /** A code (side, severity, state, cancel reason, step) as a word. */
  readonly word: (code: string | null | undefined) => string;
}

function writerOf(language: Language): Writer {
  const w = STR_WORDS[language];
  if (language === "en") {
    return {
      w,
      time: (ms) => (ms === null ? "—" : new Date(ms).toISOString()),
      tenge: (tiynPerTonne) =>
        tiynPerTonne === null ? w.market : (tiynPerTonne / 100).toLocaleString("en-US", { maximumFractionDigits: 2 }),
      tonnes: (kg) => (kg / 1000).toLocaleString("en-US", { maximumFractionDigits: 3 }),
      word: (code) => code ?? "—",
    };
  }
  return {
    w,
    time: (ms) => (ms === null ? "—" : formatTimeMs(ms, language)),
    tenge: (tiynPerTonne) => (tiynPerTonne === null ? w.market : formatTengeFixed(tiynPerTonne, language)),
    tonnes: (kg) => formatNumber(kg / 1000, language),
    word: (code) => (code === null || code === undefined ? "—" : (w.words[code] ?? code)),
  };
}

/** One alert with its evidence: the criteria crossed, the parties, the price path, the orders, the trades, the book. */
function alertSection(
  alert: StoredAlert,
  whySuspicious: string,
  evidence: AlertEvidence | null,
  language: Language,
): string {
  const e = escapeHtml;
  const { w, time, tenge, tonnes, word } = writerOf(language);
  const list = (values: readonly string[]) => (values.length === 0 ? "—" : values.map(e).join(", "));
  const orders = (evidence?.orders ?? [])
    .map(
      (o) =>
        `<tr><td>${e(o.order)}</td><td>${e(o.account ?? "—")}</td><td>${e(word(o.side))}</td>` +
        `<td>${o.entered ? e(time(o.entered.timeMs)) : e(w.beforeSpan)}</td>` +
        `<td class="n">${o.entered ? e(tenge(o.entered.priceTiynPerTonne)) : "—"}</td>` +
        `<td class="n">${o.entered ? e(tonnes(o.entered.quantityKg)) : "—"}</td>` +
        `<td class="n">${e(tonnes(o.fills.reduce((sum, f) => sum + f.quantityKg, 0)))}</td>` +
        `<td>${o.cancelled ? `${e(time(o.cancelled.timeMs))} (${e(word(o.cancelled.reason))})` : "—"}</td></tr>`,
    )
    .join("");
  const trades = (evidence?.trades ?? [])
    .map(
      (t) =>
        `<tr><td>${e(t.trade)}</td><td>${e(time(t.timeMs))}</td><td>${e(t.buyAccount)}</td><td>${e(t.sellAccount)}</td>` +
        `<td class="n">${e(tenge(t.priceTiynPerTonne))}</td><td class="n">${e(tonnes(t.quantityKg))}</td></tr>`,
    )
    .join("");
  return `<section class="alert" data-alert="${e(alert.id)}">
<h2>${e(w.rules[alert.rule] ?? alert.rule)} <small>(${e(word(alert.severity))}, ${e(w.alert)} ${e(alert.id)})</small></h2>
<p><b>${e(w.whySuspicious)}</b> ${e(whySuspicious)}.</p>
<dl><dt>${e(w.instrument)}</dt><dd>${e(alert.instrument ?? "—")}</dd><dt>${e(w.sessions)}</dt><dd>${list(alert.sessions)}</dd>
<dt>${e(w.side)}</dt><dd>${e(word(alert.side))}</dd><dt>${e(w.from)}</dt><dd>${e(time(alert.fromMs))}</dd><dt>${e(w.to)}</dt><dd>${e(time(alert.toMs))}</dd>
<dt>${e(w.accounts)}</dt><dd>${list(alert.accounts)}</dd><dt>${e(w.members)}</dt><dd>${list(alert.members)}</dd><dt>${e(w.groups)}</dt><dd>${list(alert.groups)}</dd></dl>
${evidence === null ? `<p>${e(w.noEvidence)}</p>` : pricePathSvg(evidence, language)}
<h3>${e(w.orders)}</h3>
<table><thead><tr><th>${e(w.order)}</th><th>${e(w.account)}</th><th>${e(w.side)}</th><th>${e(w.entered)}</th><th>${e(w.price)}</th><th>${e(w.quantity)}</th><th>${e(w.filled)}</th><th>${e(w.cancelled)}</th></tr></thead><tbody>${orders}</tbody></table>
<h3>${e(w.trades)}</h3>
<table><thead><tr><th>${e(w.trade)}</th><th>${e(w.time)}</th><th>${e(w.buyer)}</th><th>${e(w.seller)}</th><th>${e(w.price)}</th><th>${e(w.quantity)}</th></tr></thead><tbody>${trades}</tbody></table>
${alert.diversion === undefined ? "" : diversionHtml(alert.diversion, evidence, language)}
${evidence === null ? "" : bookMomentsHtml(evidence, language)}
</section>`;
}

/** A diversion's obligation, regions and shipments (as dispatched and as arrived). */
function diversionHtml(
  diversion: NonNullable<StoredAlert["diversion"]>,
  evidence: EvidencePack | null,
  language: Language,
): string {
  const e = escapeHtml;
  const { w, time, tonnes, word } = writerOf(language);
  const words = (codes: readonly string[]) => codes.map((c) => word(c)).join(", ");
  const rows = (evidence?.shipments ?? [])
    .map(
      (s) =>
        `<tr><td>${e(s.shipment)}</td><td>${e(word(s.step))}</td><td>${e(time(s.timeMs))}</td><td>${e(s.vehicle)}</td><td>${e(s.waybill)}</td>` +
        `<td class="n">${e(tonnes(s.quantityKg))}</td><td>${e(s.station ?? "—")}</td><td>${e(s.stationRegion ?? "—")}</td><td>${e(words(s.reasons) || "—")}</td></tr>`,
    )
    .join("");
  return `<h3>${e(w.delivery)}</h3>
<dl><dt>${e(w.obligation)}</dt><dd>${e(diversion.obligation)}</dd><dt>${e(w.seller)}</dt><dd>${e(diversion.seller)}</dd>
<dt>${e(w.instrumentRegion)}</dt><dd>${e(diversion.region ?? "—")}</dd><dt>${e(w.stations)}</dt><dd>${e(diversion.stations.join(", "))} (${e(diversion.stationRegions.join(", "))})</dd>
<dt>${e(w.diversion)}</dt><dd>${e(words(diversion.reasons))}</dd><dt>${e(w.trade)}</dt><dd>${e(time(diversion.tradeTimeMs))}</dd></dl>
<h3>${e(w.shipments)}</h3>
<table><thead><tr><th>${e(w.shipment)}</th><th>${e(w.step)}</th><th>${e(w.time)}</th><th>${e(w.vehicle)}</th><th>${e(w.waybill)}</th><th>${e(w.quantity)}</th><th>${e(w.station)}</th><th>${e(w.stationRegion)}</th><th>${e(w.diversion)}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Most book moments an HTML page draws per alert (the JSON has them all, up to the evidence's own limit). */
export const BOOK_MOMENTS_HTML_MAX = 20;

/** The book at the alert's moments: the best levels side by side (the alert's quantity apart), an auction's curves. */
export function bookMomentsHtml(evidence: EvidencePack, language: Language = "en"): string {
  const e = escapeHtml;
  const { w, time, tenge, tonnes, word } = writerOf(language);
  if (evidence.books.length === 0) return `<h3>${e(w.bookTitle)}</h3><p>${e(w.bookNone)}</p>`;
  const level = (l: BookLevel | undefined) =>
    l === undefined
      ? "<td></td><td></td><td></td>"
      : `<td class="n">${e(tenge(l.priceTiynPerTonne))}</td><td class="n">${e(tonnes(l.quantityKg))}</td><td class="n">${l.alertKg > 0 ? e(tonnes(l.alertKg)) : ""}</td>`;
  const moments = evidence.books.slice(0, BOOK_MOMENTS_HTML_MAX).map((m) => {
    const { book } = m;
    const rows: string[] = [];
    for (let i = 0; i < Math.max(book.bids.length, book.asks.length); i++) {
      rows.push(`<tr>${level(book.bids[i])}${level(book.asks[i])}</tr>`);
    }
    return `<div class="book" data-seq="${m.seq}"><h4>${e(time(m.timeMs))} — ${e(m.about.join(", "))} <small>(${e(book.instrument)}, ${e(book.phase === null ? w.phaseNotRead : word(book.phase))}${book.complete ? "" : `; ${e(w.bookIncomplete)}`})</small></h4>
<table><thead><tr><th colspan="3">${e(w.bids)}</th><th colspan="3">${e(w.offers)}</th></tr><tr><th>${e(w.price)}</th><th>${e(w.quantity)}</th><th>${e(w.ofAlert)}</th><th>${e(w.price)}</th><th>${e(w.quantity)}</th><th>${e(w.ofAlert)}</th></tr></thead><tbody>${rows.join("") || `<tr><td colspan="6">${e(w.bookEmpty)}</td></tr>`}</tbody></table>
${book.curve === null ? "" : auctionCurveSvg(book.curve, language)}</div>`;
  });
  const more = evidence.books.length - BOOK_MOMENTS_HTML_MAX;
  return `<h3>${e(w.bookTitle)}</h3>
${moments.join("\n")}
${more > 0 ? `<p>${e(w.moreMoments(more))}</p>` : ""}${evidence.booksComplete ? "" : `<p>${e(w.booksCut)}</p>`}`;
}

/** An auction's demand (green) and supply (red) at each price, as step lines: quantity across, price up. */
export function auctionCurveSvg(curve: BookView["curve"] & object, language: Language = "en"): string {
  const { w, tenge, tonnes } = writerOf(language);
  const width = 480;
  const height = 200;
  const pad = 30;
  if (curve.length === 0) return "";
  const qMax = Math.max(1, ...curve.map((c) => Math.max(c.demandKg, c.supplyKg)));
  const pMin = curve[0]!.priceTiynPerTonne;
  const pMax = curve[curve.length - 1]!.priceTiynPerTonne;
  const x = (kg: number) => pad + (kg / qMax) * (width - 2 * pad);
  const y = (p: number) => height - pad - ((p - pMin) / Math.max(1, pMax - pMin)) * (height - 2 * pad);
  const line = (pick: (c: (typeof curve)[number]) => number) =>
    curve
      .map((c, i) => `${i === 0 ? "M" : "L"}${x(pick(c)).toFixed(1)},${y(c.priceTiynPerTonne).toFixed(1)}`)
      .join(" ");
  return `<svg class="auction-curve" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(w.curveLabel)}">
<text x="${pad}" y="14" font-size="11">${escapeHtml(tenge(pMax))} ${w.perTonne}</text><text x="${pad}" y="${height - 8}" font-size="11">${escapeHtml(tenge(pMin))} ${w.perTonne}</text><text x="${width - pad}" y="${height - 8}" font-size="11" text-anchor="end">${escapeHtml(tonnes(qMax))} ${w.tonne}</text>
<path class="demand" d="${line((c) => c.demandKg)}" fill="none" stroke="#27ae60" stroke-width="1.5"/><path class="supply" d="${line((c) => c.supplyKg)}" fill="none" stroke="#c0392b" stroke-width="1.5"/></svg>`;
}

const PAGE_STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #bbb;padding:2px 6px;text-align:left}td.n{text-align:right}dl{display:grid;grid-template-columns:max-content 1fr;gap:0 1em}
dt{font-weight:bold}section.alert{border-top:2px solid #333;margin-top:1.5em}svg{background:#fafafa;border:1px solid #ddd}`;

/** One alert's evidence as a self-contained HTML page (the alert's part of an STR, without a case). */
export function alertEvidenceHtml(
  alert: StoredAlert,
  evidence: AlertEvidence,
  generatedMs: number,
  language: Language = "en",
): string {
  const e = escapeHtml;
  const { w, time } = writerOf(language);
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>${e(w.evidenceTitle)} ${e(alert.id)}</title>
<style>${PAGE_STYLE}</style></head>
<body>
<h1>${e(w.evidenceTitle)} ${e(alert.id)}</h1>
<p>${e(w.rebuilt(evidence.fromSeq, evidence.toSeq, evidence.complete, time(generatedMs)))}${w.timeNote === "" ? "" : ` ${e(w.timeNote)}`}</p>
${alertSection(alert, whySuspiciousIn(alert, language), evidence, language)}
</body></html>
`;
}

/**
 * The report as a self-contained HTML page in a language. English is the page as first filed (ISO UTC times, the
 * JSON's `whySuspicious`); Russian and Kazakh write every heading, rule, state and criterion in words, Kazakhstan times
 * and grouped numbers with a decimal comma. Ids, accounts, members and notes are shown as entered.
 */
export function strHtml(report: SuspiciousTransactionReport, language: Language = "en"): string {
  const e = escapeHtml;
  const { w, time, word } = writerOf(language);
  const list = (values: readonly string[]) => (values.length === 0 ? "—" : values.map(e).join(", "));
  const sections = report.what.map(({ alert, whySuspicious, evidence }) =>
    alertSection(alert, language === "en" ? whySuspicious : whySuspiciousIn(alert, language), evidence, language),
  );
  const steps = report.handling
    .map(
      (s) =>
        `<tr><td>${e(time(s.timeMs))}</td><td>${e(s.actor ?? "—")}</td><td>${e(w.actions[s.action] ?? s.action)}${s.outcome ? ` (${e(word(s.outcome))})` : ""}${s.alert ? ` ${e(w.alert)} ${e(s.alert)}` : ""}</td><td>${e(s.text)}</td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>${e(w.title)} ${e(report.reference)}</title>
<style>${PAGE_STYLE}</style></head>
<body>
<h1>${e(w.title)} ${e(report.reference)}</h1>
<p>${e(w.caseLine)} ${e(report.reference)}: ${e(word(report.case.status))}${report.case.outcome ? `, ${e(w.outcome)} ${e(word(report.case.outcome))}` : ""}; ${e(w.opened)} ${e(time(report.case.openedMs))}; ${e(w.asOf)} ${e(time(report.generatedMs))}.${w.timeNote === "" ? "" : ` ${e(w.timeNote)}`}</p>
<h2>${e(w.who)}</h2>
<dl><dt>${e(w.accounts)}</dt><dd>${list(report.who.accounts)}</dd><dt>${e(w.members)}</dt><dd>${list(report.who.members)}</dd><dt>${e(w.groupsOfPersons)}</dt><dd>${list(report.who.groups)}</dd></dl>
<h2>${e(w.when)}</h2><p>${e(w.whenRange(time(report.when.fromMs), time(report.when.toMs)))}</p>
<h2>${e(w.whatAndWhy)}</h2>
${sections.join("\n")}
<h2>${e(w.handling)}</h2>
<table><thead><tr><th>${e(w.whenCol)}</th><th>${e(w.whoCol)}</th><th>${e(w.whatCol)}</th><th>${e(w.whyCol)}</th></tr></thead><tbody>${steps}</tbody></table>
</body></html>
`;
}

/**
 * The alert's orders' entries marked (buy ▲ green, sell ▼ red) on the price path of its instrument, as SVG. An alert
 * whose orders are on several instruments (coordinated bidding) gets a drawing per instrument, each with its own price
 * scale (prices differ by region) and all on one time scale (`evidenceChartSpan`), the trades' line on the one whose
 * trades the evidence holds; each drawing says the time it spans.
 */
export function pricePathSvg(evidence: EvidencePack, language: Language = "en"): string {
  const { w } = writerOf(language);
  const points = evidence.pricePath.map((p) => ({ t: p.timeMs, price: p.priceTiynPerTonne }));
  const byInstrument = new Map<string | null, DrawnOrder[]>();
  if (points.length > 0) byInstrument.set(evidence.pricePathInstrument, []);
  for (const o of evidence.orders) {
    if (!o.entered || o.entered.priceTiynPerTonne === null) continue;
    const marks = byInstrument.get(o.instrument) ?? [];
    marks.push({ t: o.entered.timeMs, price: o.entered.priceTiynPerTonne, side: o.side, order: o.order });
    byInstrument.set(o.instrument, marks);
  }
  const times = [...points, ...[...byInstrument.values()].flat()].map((p) => p.t);
  if (times.length === 0) return `<p>${escapeHtml(w.nothingToDraw)}</p>`;
  const span = evidenceChartSpan(Math.min(...times), Math.max(...times));
  const charts = [...byInstrument].map(([instrument, marks]) => ({
    instrument,
    marks,
    points: instrument === evidence.pricePathInstrument ? points : [],
  }));
  if (charts.length === 1) return instrumentSvg(charts[0]!, span, language);
  return `<p>${escapeHtml(w.chartsByInstrument)}</p>
${charts
  .map(
    (chart) =>
      `<figure data-instrument="${escapeHtml(chart.instrument ?? "")}"><figcaption>${escapeHtml(chart.instrument ?? "—")}</figcaption>
${instrumentSvg(chart, span, language)}</figure>`,
  )
  .join("\n")}`;
}

interface DrawnOrder {
  readonly t: number;
  readonly price: number;
  readonly side: string | null;
  readonly order: string;
}

/** One drawing of `pricePathSvg`: an instrument's trades' line (when given) and its orders, over `span`. */
function instrumentSvg(
  chart: {
    readonly instrument: string | null;
    readonly points: readonly { readonly t: number; readonly price: number }[];
    readonly marks: readonly DrawnOrder[];
  },
  span: { readonly fromMs: number; readonly toMs: number },
  language: Language,
): string {
  const { w, tenge, word } = writerOf(language);
  const width = 640;
  const height = 200;
  const pad = 30;
  const { points, marks } = chart;
  const prices = [...points, ...marks].map((p) => p.price);
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  // One price alone (a ring's bids at one price): a scale 1% either side of it, so the marks stand mid-height.
  const pMin = low === high ? Math.floor(low * 0.99) : low;
  const pMax = low === high ? Math.ceil(high * 1.01) : high;
  const x = (t: number) => pad + ((t - span.fromMs) / Math.max(1, span.toMs - span.fromMs)) * (width - 2 * pad);
  const y = (p: number) => height - pad - ((p - pMin) / Math.max(1, pMax - pMin)) * (height - 2 * pad);
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.t).toFixed(1)},${y(p.price).toFixed(1)}`).join(" ");
  const markers = marks
    .map((m) => {
      const cx = x(m.t);
      const cy = y(m.price);
      const shape =
        m.side === "sell"
          ? `${cx - 5},${cy - 4} ${cx + 5},${cy - 4} ${cx},${cy + 5}`
          : `${cx - 5},${cy + 4} ${cx + 5},${cy + 4} ${cx},${cy - 5}`;
      return `<polygon class="order-mark" data-order="${escapeHtml(m.order)}" points="${shape}" fill="${m.side === "sell" ? "#c0392b" : "#27ae60"}"><title>${escapeHtml(m.order)} ${escapeHtml(language === "en" ? (m.side ?? "") : word(m.side))}${language === "en" ? " at" : ","} ${escapeHtml(tenge(m.price))} ${w.perTonne}</title></polygon>`;
    })
    .join("");
  const label = points.length > 0 ? w.pathLabel : w.ordersLabel;
  const name = chart.instrument === null ? label : `${label}: ${chart.instrument}`;
  const spanText = `${clockTime(span.fromMs, language)} – ${clockTime(span.toMs, language)}${language === "en" ? " UTC" : ""}`;
  return `<svg class="price-path" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(name)}">
<text x="${pad}" y="14" font-size="11">${escapeHtml(tenge(pMax))} ${w.perTonne}</text><text x="${pad}" y="${height - 8}" font-size="11">${escapeHtml(tenge(pMin))} ${w.perTonne}</text>
<text class="span" x="${width - pad}" y="${height - 8}" font-size="11" text-anchor="end">${escapeHtml(spanText)}</text>
<path d="${path}" fill="none" stroke="#2c3e50" stroke-width="1.5"/>${markers}</svg>`;
}

/** A moment's time of day for a drawing's span: UTC (ISO's hh:mm:ss) in English, Kazakhstan's time in ru and kk. */
function clockTime(ms: number, language: Language): string {
  return new Date(language === "en" ? ms : ms + EXCHANGE_UTC_OFFSET_MS).toISOString().slice(11, 19);
}
