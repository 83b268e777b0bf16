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

import type { BookLevel, BookView, CaseView, EvidencePack, Rule, StoredAlert } from "../surveillance/index.ts";

/** Why each rule's alerts are suspicious: its criterion, in a sentence (docs/surveillance.md). */
export const RULE_CRITERIA: Readonly<Record<Rule, string>> = {
  "wash-trade": "trades whose buyer and seller accounts belong to the same member or the same group of persons",
  concentration:
    "one group of persons bought or sold more than the set share of a session's traded volume and more than the set quantity",
  "coordinated-bidding":
    "accounts of different groups entered orders on the same side at the same price within a second of each other in several sessions",
  spoofing:
    "a large order cancelled unfilled soon after entry while an order of the same account on the other side was filled",
  "price-limit-bidding":
    "a group entered orders exactly at the session's price limit in several of a run of consecutive sessions",
  "automated-entry": "a member sent order-entry messages faster than the rulebook allows members' software to",
  withholding:
    "a producer offered less than its declared volume or supply obligation while the session price rose over the month",
  diversion:
    "gas bought for a region arrived at a station outside that region, or at a station registered after the trade",
};

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

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => escapes[c]!);
}

const iso = (ms: number | null) => (ms === null ? "—" : new Date(ms).toISOString());
const tenge = (tiynPerTonne: number | null) =>
  tiynPerTonne === null ? "market" : (tiynPerTonne / 100).toLocaleString("en-US", { maximumFractionDigits: 2 });
const tonnes = (kg: number) => (kg / 1000).toLocaleString("en-US", { maximumFractionDigits: 3 });

/** One alert with its evidence: the criteria crossed, the parties, the price path, the orders, the trades, the book. */
function alertSection(alert: StoredAlert, whySuspicious: string, evidence: AlertEvidence | null): string {
  const e = escapeHtml;
  const list = (values: readonly string[]) => (values.length === 0 ? "—" : values.map(e).join(", "));
  const orders = (evidence?.orders ?? [])
    .map(
      (o) =>
        `<tr><td>${e(o.order)}</td><td>${e(o.account ?? "—")}</td><td>${e(o.side ?? "—")}</td>` +
        `<td>${o.entered ? e(iso(o.entered.timeMs)) : "before the span read"}</td>` +
        `<td class="n">${o.entered ? e(tenge(o.entered.priceTiynPerTonne)) : "—"}</td>` +
        `<td class="n">${o.entered ? e(tonnes(o.entered.quantityKg)) : "—"}</td>` +
        `<td class="n">${e(tonnes(o.fills.reduce((sum, f) => sum + f.quantityKg, 0)))}</td>` +
        `<td>${o.cancelled ? `${e(iso(o.cancelled.timeMs))} (${e(o.cancelled.reason)})` : "—"}</td></tr>`,
    )
    .join("");
  const trades = (evidence?.trades ?? [])
    .map(
      (t) =>
        `<tr><td>${e(t.trade)}</td><td>${e(iso(t.timeMs))}</td><td>${e(t.buyAccount)}</td><td>${e(t.sellAccount)}</td>` +
        `<td class="n">${e(tenge(t.priceTiynPerTonne))}</td><td class="n">${e(tonnes(t.quantityKg))}</td></tr>`,
    )
    .join("");
  return `<section class="alert" data-alert="${e(alert.id)}">
<h2>${e(alert.rule)} <small>(${e(alert.severity)}, alert ${e(alert.id)})</small></h2>
<p><b>Why suspicious:</b> ${e(whySuspicious)}.</p>
<dl><dt>Instrument</dt><dd>${e(alert.instrument ?? "—")}</dd><dt>Sessions</dt><dd>${list(alert.sessions)}</dd>
<dt>Side</dt><dd>${e(alert.side ?? "—")}</dd><dt>From</dt><dd>${e(iso(alert.fromMs))}</dd><dt>To</dt><dd>${e(iso(alert.toMs))}</dd>
<dt>Accounts</dt><dd>${list(alert.accounts)}</dd><dt>Members</dt><dd>${list(alert.members)}</dd><dt>Groups</dt><dd>${list(alert.groups)}</dd></dl>
${evidence === null ? "<p>No evidence was read.</p>" : pricePathSvg(evidence)}
<h3>Orders</h3>
<table><thead><tr><th>Order</th><th>Account</th><th>Side</th><th>Entered</th><th>Price, ₸/t</th><th>Quantity, t</th><th>Filled, t</th><th>Cancelled</th></tr></thead><tbody>${orders}</tbody></table>
<h3>Trades</h3>
<table><thead><tr><th>Trade</th><th>Time</th><th>Buyer</th><th>Seller</th><th>Price, ₸/t</th><th>Quantity, t</th></tr></thead><tbody>${trades}</tbody></table>
${alert.diversion === undefined ? "" : diversionHtml(alert.diversion, evidence)}
${evidence === null ? "" : bookMomentsHtml(evidence)}
</section>`;
}

/** A diversion's obligation, regions and shipments (as dispatched and as arrived). */
function diversionHtml(diversion: NonNullable<StoredAlert["diversion"]>, evidence: EvidencePack | null): string {
  const e = escapeHtml;
  const rows = (evidence?.shipments ?? [])
    .map(
      (s) =>
        `<tr><td>${e(s.shipment)}</td><td>${e(s.step)}</td><td>${e(iso(s.timeMs))}</td><td>${e(s.vehicle)}</td><td>${e(s.waybill)}</td>` +
        `<td class="n">${e(tonnes(s.quantityKg))}</td><td>${e(s.station ?? "—")}</td><td>${e(s.stationRegion ?? "—")}</td><td>${e(s.reasons.join(", ") || "—")}</td></tr>`,
    )
    .join("");
  return `<h3>Delivery</h3>
<dl><dt>Obligation</dt><dd>${e(diversion.obligation)}</dd><dt>Seller</dt><dd>${e(diversion.seller)}</dd>
<dt>Instrument's region</dt><dd>${e(diversion.region ?? "—")}</dd><dt>Stations</dt><dd>${e(diversion.stations.join(", "))} (${e(diversion.stationRegions.join(", "))})</dd>
<dt>Diversion</dt><dd>${e(diversion.reasons.join(", "))}</dd><dt>Trade</dt><dd>${e(iso(diversion.tradeTimeMs))}</dd></dl>
<h3>Shipments</h3>
<table><thead><tr><th>Shipment</th><th>Step</th><th>Time</th><th>Vehicle</th><th>Waybill</th><th>Quantity, t</th><th>Station</th><th>Station's region</th><th>Diversion</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Most book moments an HTML page draws per alert (the JSON has them all, up to the evidence's own limit). */
export const BOOK_MOMENTS_HTML_MAX = 20;

/** The book at the alert's moments: the best levels side by side (the alert's quantity apart), an auction's curves. */
export function bookMomentsHtml(evidence: EvidencePack): string {
  const e = escapeHtml;
  if (evidence.books.length === 0)
    return "<h3>Order book</h3><p>No record of the span concerns the alert's orders.</p>";
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
    return `<div class="book" data-seq="${m.seq}"><h4>${e(iso(m.timeMs))} — ${e(m.about.join(", "))} <small>(${e(book.instrument)}, ${e(book.phase ?? "phase not read")}${book.complete ? "" : "; orders resting before the records read may be missing"})</small></h4>
<table><thead><tr><th colspan="3">Bids</th><th colspan="3">Offers</th></tr><tr><th>Price, ₸/t</th><th>Quantity, t</th><th>Of the alert, t</th><th>Price, ₸/t</th><th>Quantity, t</th><th>Of the alert, t</th></tr></thead><tbody>${rows.join("") || '<tr><td colspan="6">The book was empty.</td></tr>'}</tbody></table>
${book.curve === null ? "" : auctionCurveSvg(book.curve)}</div>`;
  });
  const more = evidence.books.length - BOOK_MOMENTS_HTML_MAX;
  return `<h3>Order book at each moment of the alert</h3>
${moments.join("\n")}
${more > 0 ? `<p>${more} more moments are in the JSON form.</p>` : ""}${evidence.booksComplete ? "" : "<p>The evidence holds only the first moments of a longer span.</p>"}`;
}

/** An auction's demand (green) and supply (red) at each price, as step lines: quantity across, price up. */
export function auctionCurveSvg(curve: BookView["curve"] & object): string {
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
  return `<svg class="auction-curve" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="the auction's demand and supply at each price">
<text x="${pad}" y="14" font-size="11">${escapeHtml(tenge(pMax))} ₸/t</text><text x="${pad}" y="${height - 8}" font-size="11">${escapeHtml(tenge(pMin))} ₸/t</text><text x="${width - pad}" y="${height - 8}" font-size="11" text-anchor="end">${escapeHtml(tonnes(qMax))} t</text>
<path class="demand" d="${line((c) => c.demandKg)}" fill="none" stroke="#27ae60" stroke-width="1.5"/><path class="supply" d="${line((c) => c.supplyKg)}" fill="none" stroke="#c0392b" stroke-width="1.5"/></svg>`;
}

const PAGE_STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #bbb;padding:2px 6px;text-align:left}td.n{text-align:right}dl{display:grid;grid-template-columns:max-content 1fr;gap:0 1em}
dt{font-weight:bold}section.alert{border-top:2px solid #333;margin-top:1.5em}svg{background:#fafafa;border:1px solid #ddd}`;

/** One alert's evidence as a self-contained HTML page (the alert's part of an STR, without a case). */
export function alertEvidenceHtml(alert: StoredAlert, evidence: AlertEvidence, generatedMs: number): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence of alert ${escapeHtml(alert.id)}</title>
<style>${PAGE_STYLE}</style></head>
<body>
<h1>Evidence of alert ${escapeHtml(alert.id)}</h1>
<p>Rebuilt from the journal records ${evidence.fromSeq}–${evidence.toSeq}${evidence.complete ? "" : " (the span was longer than one pack may read)"}; as of ${escapeHtml(iso(generatedMs))}.</p>
${alertSection(alert, `${RULE_CRITERIA[alert.rule]}: ${figuresText(alert.figures)}`, evidence)}
</body></html>
`;
}

/** The report as a self-contained HTML page. */
export function strHtml(report: SuspiciousTransactionReport): string {
  const e = escapeHtml;
  const list = (values: readonly string[]) => (values.length === 0 ? "—" : values.map(e).join(", "));
  const sections = report.what.map(({ alert, whySuspicious, evidence }) =>
    alertSection(alert, whySuspicious, evidence),
  );
  const steps = report.handling
    .map(
      (s) =>
        `<tr><td>${e(iso(s.timeMs))}</td><td>${e(s.actor ?? "—")}</td><td>${e(s.action)}${s.outcome ? ` (${e(s.outcome)})` : ""}${s.alert ? ` alert ${e(s.alert)}` : ""}</td><td>${e(s.text)}</td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Suspicious-transaction report ${e(report.reference)}</title>
<style>${PAGE_STYLE}</style></head>
<body>
<h1>Suspicious-transaction report ${e(report.reference)}</h1>
<p>Case ${e(report.reference)}: ${e(report.case.status)}${report.case.outcome ? `, outcome ${e(report.case.outcome)}` : ""}; opened ${e(iso(report.case.openedMs))}; report as of ${e(iso(report.generatedMs))}.</p>
<h2>Who</h2>
<dl><dt>Accounts</dt><dd>${list(report.who.accounts)}</dd><dt>Members</dt><dd>${list(report.who.members)}</dd><dt>Groups of persons</dt><dd>${list(report.who.groups)}</dd></dl>
<h2>When</h2><p>${e(iso(report.when.fromMs))} to ${e(iso(report.when.toMs))}</p>
<h2>What and why</h2>
${sections.join("\n")}
<h2>Handling of the case</h2>
<table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Why</th></tr></thead><tbody>${steps}</tbody></table>
</body></html>
`;
}

/** The price path of an alert's instrument with its orders' entries marked (buy ▲ green, sell ▼ red), as SVG. */
export function pricePathSvg(evidence: EvidencePack): string {
  const width = 640;
  const height = 200;
  const pad = 30;
  const points = evidence.pricePath.map((p) => ({ t: p.timeMs, price: p.priceTiynPerTonne }));
  const marks = evidence.orders.flatMap((o) =>
    o.entered && o.entered.priceTiynPerTonne !== null
      ? [{ t: o.entered.timeMs, price: o.entered.priceTiynPerTonne, side: o.side, order: o.order }]
      : [],
  );
  const all = [...points, ...marks];
  if (all.length === 0) return "<p>No trades or priced orders in the span to draw.</p>";
  const tMin = Math.min(...all.map((p) => p.t));
  const tMax = Math.max(...all.map((p) => p.t));
  const pMin = Math.min(...all.map((p) => p.price));
  const pMax = Math.max(...all.map((p) => p.price));
  const x = (t: number) => pad + ((t - tMin) / Math.max(1, tMax - tMin)) * (width - 2 * pad);
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
      return `<polygon class="order-mark" data-order="${escapeHtml(m.order)}" points="${shape}" fill="${m.side === "sell" ? "#c0392b" : "#27ae60"}"><title>${escapeHtml(m.order)} ${escapeHtml(m.side ?? "")} at ${escapeHtml(tenge(m.price))} ₸/t</title></polygon>`;
    })
    .join("");
  return `<svg class="price-path" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="price path with the orders marked">
<text x="${pad}" y="14" font-size="11">${escapeHtml(tenge(pMax))} ₸/t</text><text x="${pad}" y="${height - 8}" font-size="11">${escapeHtml(tenge(pMin))} ₸/t</text>
<path d="${path}" fill="none" stroke="#2c3e50" stroke-width="1.5"/>${markers}</svg>`;
}
