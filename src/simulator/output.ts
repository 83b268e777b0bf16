/**
 * Turns simulation results into files' contents: JSON, CSV tables, SVG charts and one self-contained HTML report
 * (charts inline, no scripts, no links out), for one run or two runs compared on the same charts. Pure: returns
 * name → content; the CLI writes them. Same results in, same bytes out.
 */

import { chartSvg, type LineSeries } from "./charts.ts";
import { CONSTRAINTS, type Constraint } from "./constraints.ts";
import { addDays, formatDate, parseDate } from "./dates.ts";
import type { SimulationResult } from "./results.ts";

export type Files = Map<string, string>;

function csv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null) => {
    if (v === null) return "";
    const text = String(v);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${[header, ...rows].map((row) => row.map(cell).join(",")).join("\n")}\n`;
}

export function tables(r: SimulationResult): Files {
  const files: Files = new Map();
  const regionRows: (string | number | null)[][] = [];
  r.dates.forEach((date, i) => {
    for (const g of r.regions) {
      const x = r.regionSeries[g.id]!;
      regionRows.push([
        date,
        g.id,
        x.retailTengePerLitre[i]!,
        x.wholesaleTengePerTonne[i]!,
        x.deliveredTengePerTonne[i]!,
        x.exchangeTonnes[i]!,
        x.offExchangeTonnes[i]!,
        x.demandTonnes[i]!,
        x.salesTonnes[i]!,
        x.shortageTonnes[i]!,
        x.stockTonnes[i]!,
      ]);
    }
  });
  files.set(
    "regions.csv",
    csv(
      [
        "date",
        "region",
        "retail_tenge_per_litre",
        "wholesale_tenge_per_tonne",
        "delivered_tenge_per_tonne",
        "exchange_tonnes",
        "off_exchange_tonnes",
        "demand_tonnes",
        "sales_tonnes",
        "shortage_tonnes",
        "stock_tonnes",
      ],
      regionRows,
    ),
  );
  const n = r.national;
  files.set(
    "national.csv",
    csv(
      [
        "date",
        "trading_day",
        "exchange_tonnes",
        "wholesale_tenge_per_tonne",
        "export_tonnes",
        "curtailed_tonnes",
        "demand_tonnes",
        "sales_tonnes",
        "shortage_tonnes",
        "retail_tenge_per_litre",
      ],
      r.dates.map((date, i) => [
        date,
        r.tradingDays[i] ? 1 : 0,
        n.exchangeTonnes[i]!,
        n.wholesaleTengePerTonne[i]!,
        n.exportTonnes[i]!,
        n.curtailedTonnes[i]!,
        n.demandTonnes[i]!,
        n.salesTonnes[i]!,
        n.shortageTonnes[i]!,
        n.retailTengePerLitre[i]!,
      ]),
    ),
  );
  files.set(
    "sessions.csv",
    csv(
      [
        "date",
        "instrument",
        "plant",
        "region",
        "price_tenge_per_tonne",
        "volume_tonnes",
        "offered_tonnes",
        "bid_tonnes",
      ],
      r.sessions.map((s) => [
        s.date,
        s.instrument,
        s.plant,
        s.region,
        s.priceTengePerTonne,
        s.volumeTonnes,
        s.offeredTonnes,
        s.bidTonnes,
      ]),
    ),
  );
  files.set(
    "monthly.csv",
    csv(
      [
        "month",
        "region",
        "wholesale_tenge_per_tonne",
        "delivered_tenge_per_tonne",
        "retail_tenge_per_litre",
        "demand_tonnes",
        "sales_tonnes",
        "shortage_tonnes",
        "shortage_percent",
        "exchange_tonnes",
        "off_exchange_tonnes",
      ],
      r.monthly.map((m) => [
        m.month,
        m.region,
        m.wholesaleTengePerTonne,
        m.deliveredTengePerTonne,
        m.retailTengePerLitre,
        m.demandTonnes,
        m.salesTonnes,
        m.shortageTonnes,
        m.shortagePercent,
        m.exchangeTonnes,
        m.offExchangeTonnes,
      ]),
    ),
  );
  files.set(
    "constraints.csv",
    csv(
      [
        "month",
        "region",
        "netback_tonnes",
        "ceiling_tonnes",
        "band_tonnes",
        "buyer_limit_tonnes",
        "export_capacity_tonnes",
        "binding",
      ],
      r.constraints.map((x) => [
        x.month,
        x.region,
        x.netbackTonnes,
        x.ceilingTonnes,
        x.bandTonnes,
        x.buyerLimitTonnes,
        x.exportCapacityTonnes,
        x.binding,
      ]),
    ),
  );
  files.set(
    "producers.csv",
    csv(
      [
        "plant",
        "netback_tenge_per_tonne",
        "produced_tonnes",
        "off_exchange_tonnes",
        "offered_obligated_tonnes",
        "offered_free_tonnes",
        "sold_on_exchange_tonnes",
        "exchange_average_tenge_per_tonne",
        "exported_tonnes",
        "curtailed_tonnes",
        "obligated_unsold_tonnes",
      ],
      r.producers.map((p) => [
        p.plant,
        p.netbackTengePerTonne,
        p.producedTonnes,
        p.offExchangeTonnes,
        p.offeredObligatedTonnes,
        p.offeredFreeTonnes,
        p.soldOnExchangeTonnes,
        p.exchangeAverageTengePerTonne,
        p.exportedTonnes,
        p.curtailedTonnes,
        p.obligatedUnsoldTonnes,
      ]),
    ),
  );
  return files;
}

/** Daily series with days without a session carried forward, so price lines do not break at weekends. */
function carried(values: readonly (number | null)[]): (number | null)[] {
  let last: number | null = null;
  return values.map((v) => {
    if (v !== null) last = v;
    return last;
  });
}

/**
 * Daily figures summed per week (Monday to Sunday), labelled by the week's Monday: sessions run on working days, so
 * daily volumes draw a weekday sawtooth that hides the trend. A week cut by the run's start or end sums its own days.
 */
export function weekly(
  dates: readonly string[],
  series: readonly (readonly number[])[],
): { dates: string[]; sums: number[][] } {
  const weeks: string[] = [];
  const sums: number[][] = series.map(() => []);
  dates.forEach((date, day) => {
    const ms = parseDate(date);
    const monday = formatDate(addDays(ms, -((new Date(ms).getUTCDay() + 6) % 7)));
    if (weeks.at(-1) !== monday) {
      weeks.push(monday);
      for (const sum of sums) sum.push(0);
    }
    series.forEach((values, i) => {
      sums[i]![sums[i]!.length - 1]! += values[day] ?? 0;
    });
  });
  return { dates: weeks, sums: sums.map((sum) => sum.map((v) => Math.round(v * 10) / 10)) };
}

function sumByRegion(r: SimulationResult, pick: (g: string) => readonly number[]): number[] {
  return r.dates.map((_, i) => r.regions.reduce((sum, g) => sum + pick(g.id)[i]!, 0));
}

export function charts(r: SimulationResult): Files {
  const files: Files = new Map();
  const perRegion = (id: string, title: string, yName: string, pick: (g: string) => readonly (number | null)[]) =>
    chartSvg({
      id,
      title,
      yName,
      dates: r.dates,
      height: 440,
      series: r.regions.map((g) => ({ name: g.id, data: pick(g.id) })),
    });
  files.set(
    "wholesale.svg",
    perRegion(
      "wholesale",
      `Wholesale price by delivery region (tenge/t at the plant) — ${r.scenario.name}`,
      "tenge/t",
      (g) => carried(r.regionSeries[g]!.wholesaleTengePerTonne),
    ),
  );
  files.set(
    "retail.svg",
    perRegion(
      "retail",
      `Retail price by region (tenge/l) — ${r.scenario.name}`,
      "tenge/l",
      (g) => r.regionSeries[g]!.retailTengePerLitre,
    ),
  );
  const volumes = weekly(r.dates, [
    r.national.exchangeTonnes,
    sumByRegion(r, (g) => r.regionSeries[g]!.offExchangeTonnes),
    r.national.exportTonnes,
    r.national.demandTonnes,
  ]);
  files.set(
    "volumes.svg",
    chartSvg({
      id: "volumes",
      title: `Volumes per week (t) — ${r.scenario.name}`,
      yName: "t/week",
      dates: volumes.dates,
      series: [
        { name: "bought on the exchange", data: volumes.sums[0]!, bar: true, stack: "home" },
        { name: "off-exchange", data: volumes.sums[1]!, bar: true, stack: "home" },
        { name: "exported", data: volumes.sums[2]! },
        { name: "drivers' demand", data: volumes.sums[3]! },
      ],
    }),
  );
  files.set(
    "shortages.svg",
    chartSvg({
      id: "shortages",
      title: `Unmet demand by region (t/day) — ${r.scenario.name}`,
      yName: "t/day",
      dates: r.dates,
      height: 440,
      series: r.regions.map((g) => ({
        name: g.id,
        data: r.regionSeries[g.id]!.shortageTonnes,
        area: true,
        stack: "all",
      })),
    }),
  );
  return files;
}

/** Two runs on the same charts: focus regions and the nation, A solid and B dashed. */
export function comparisonCharts(a: SimulationResult, b: SimulationResult): Files {
  const files: Files = new Map();
  const dates = a.dates.length >= b.dates.length ? a.dates : b.dates;
  const focus = a.scenario.focusRegions.filter((g) => g in b.regionSeries);
  const pair = (pick: (r: SimulationResult, g: string | null) => readonly (number | null)[]): LineSeries[] => {
    const out: LineSeries[] = [];
    for (const g of [...focus, null]) {
      out.push({ name: `A: ${g ?? "national"}`, data: pick(a, g) });
      out.push({ name: `B: ${g ?? "national"}`, data: pick(b, g), dashed: true });
    }
    return out;
  };
  const title = (what: string) => `${what} — A: ${a.scenario.name} (solid), B: ${b.scenario.name} (dashed)`;
  files.set(
    "compare-wholesale.svg",
    chartSvg({
      id: "cmp-wholesale",
      title: title("Wholesale price, tenge/t"),
      yName: "tenge/t",
      dates,
      series: pair((r, g) =>
        carried(g === null ? r.national.wholesaleTengePerTonne : r.regionSeries[g]!.wholesaleTengePerTonne),
      ),
    }),
  );
  files.set(
    "compare-retail.svg",
    chartSvg({
      id: "cmp-retail",
      title: title("Retail price, tenge/l"),
      yName: "tenge/l",
      dates,
      series: pair((r, g) => (g === null ? r.national.retailTengePerLitre : r.regionSeries[g]!.retailTengePerLitre)),
    }),
  );
  files.set(
    "compare-shortages.svg",
    chartSvg({
      id: "cmp-shortages",
      title: title("Unmet demand, t/day"),
      yName: "t/day",
      dates,
      series: pair((r, g) => (g === null ? r.national.shortageTonnes : r.regionSeries[g]!.shortageTonnes)),
    }),
  );
  const compared = weekly(dates, [
    a.national.exchangeTonnes,
    b.national.exchangeTonnes,
    a.national.exportTonnes,
    b.national.exportTonnes,
  ]);
  files.set(
    "compare-volumes.svg",
    chartSvg({
      id: "cmp-volumes",
      title: title("Bought on the exchange and exported, t/week"),
      yName: "t/week",
      dates: compared.dates,
      series: [
        { name: "A: exchange", data: compared.sums[0]! },
        { name: "B: exchange", data: compared.sums[1]!, dashed: true },
        { name: "A: export", data: compared.sums[2]! },
        { name: "B: export", data: compared.sums[3]!, dashed: true },
      ],
    }),
  );
  return files;
}

export const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

export const fmt = (v: number | null, digits = 0) =>
  v === null ? "—" : v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#222;line-height:1.45}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 6px;text-align:right}
th{background:#f4f4f4}td.l,th.l{text-align:left}figure{margin:1em 0}svg{max-width:100%;height:auto}
.note{color:#555;font-size:.9em}`;

/** Headline figures of a run: what the calibration and the comparisons look at. */
export function headline(r: SimulationResult): { label: string; value: string }[] {
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const demand = sum(r.national.demandTonnes);
  const shortage = sum(r.national.shortageTonnes);
  let kg = 0;
  let value = 0;
  r.dates.forEach((_, i) => {
    const t = r.national.exchangeTonnes[i]!;
    if (t > 0) {
      kg += t;
      value += t * r.national.wholesaleTengePerTonne[i]!;
    }
  });
  return [
    { label: "days simulated", value: String(r.dates.length) },
    { label: "average exchange price, tenge/t", value: fmt(kg > 0 ? value / kg : null) },
    { label: "bought on the exchange, t", value: fmt(kg) },
    { label: "exported, t", value: fmt(sum(r.national.exportTonnes)) },
    { label: "curtailed output, t", value: fmt(sum(r.national.curtailedTonnes)) },
    { label: "unmet demand, t (share of demand)", value: `${fmt(shortage)} (${fmt((100 * shortage) / demand, 2)}%)` },
    { label: "average retail price, tenge/l", value: fmt(sum(r.national.retailTengePerLitre) / r.dates.length, 2) },
  ];
}

function monthlyTable(r: SimulationResult): string {
  const rows = r.monthly
    .filter((m) => r.scenario.focusRegions.includes(m.region))
    .map(
      (m) =>
        `<tr><td class="l">${m.month}</td><td class="l">${m.region}</td><td>${fmt(m.wholesaleTengePerTonne)}</td>` +
        `<td>${fmt(m.deliveredTengePerTonne)}</td><td>${fmt(m.retailTengePerLitre, 2)}</td><td>${fmt(m.demandTonnes)}</td>` +
        `<td>${fmt(m.shortageTonnes)}</td><td>${fmt(m.shortagePercent, 2)}</td></tr>`,
    );
  return `<table><tr><th class="l">month</th><th class="l">region</th><th>wholesale, tenge/t</th><th>delivered, tenge/t</th>
<th>retail, tenge/l</th><th>demand, t</th><th>unmet, t</th><th>unmet, %</th></tr>${rows.join("")}</table>`;
}

const CONSTRAINT_LABELS: Readonly<Record<Constraint, string>> = {
  netback: "netback",
  ceiling: "ceiling",
  band: "band",
  buyerLimit: "buyer limit",
  exportCapacity: "export capacity",
};

/**
 * Which constraint binds, per region and month (constraints.ts): a summary over the run, then every region-month in
 * which one held something back or demand went unmet.
 */
export function constraintSection(r: SimulationResult): string {
  const unmet = new Map(r.monthly.map((m) => [`${m.month}|${m.region}`, m]));
  const totals = CONSTRAINTS.map((c) => {
    const field = `${c}Tonnes` as const;
    return {
      c,
      tonnes: r.constraints.reduce((sum, x) => sum + x[field], 0),
      binds: r.constraints.filter((x) => x.binding === c).length,
      unmet: r.constraints
        .filter((x) => x.binding === c)
        .reduce((sum, x) => sum + (unmet.get(`${x.month}|${x.region}`)?.shortageTonnes ?? 0), 0),
    };
  });
  const summary = totals
    .map(
      (t) =>
        `<tr><td class="l">${CONSTRAINT_LABELS[t.c]}</td><td>${fmt(t.tonnes)}</td><td>${t.binds}</td><td>${fmt(t.unmet)}</td></tr>`,
    )
    .join("");
  const rows = r.constraints
    .filter((x) => x.binding !== null || (unmet.get(`${x.month}|${x.region}`)?.shortageTonnes ?? 0) > 0)
    .map((x) => {
      const m = unmet.get(`${x.month}|${x.region}`);
      return (
        `<tr><td class="l">${x.month}</td><td class="l">${x.region}</td><td>${fmt(m?.shortageTonnes ?? 0)}</td>` +
        `<td>${fmt(x.netbackTonnes)}</td><td>${fmt(x.ceilingTonnes)}</td><td>${fmt(x.bandTonnes)}</td>` +
        `<td>${fmt(x.buyerLimitTonnes)}</td><td>${fmt(x.exportCapacityTonnes)}</td>` +
        `<td class="l">${x.binding === null ? "—" : `<b>${CONSTRAINT_LABELS[x.binding]}</b>`}</td></tr>`
      );
    })
    .join("");
  return `<h2>Which constraint binds</h2>
<p class="note">Tonnes each constraint held back, summed over the month's sessions: <i>netback</i>, bids and offers both
left unfilled while export is open (free gas is never offered below the export netback); <i>ceiling</i> and <i>band</i>,
free gas kept off an instrument because the plant's reservation price was above the highest price allowed (the lower
of the two names it); <i>buyer limit</i>, bids the networks gave up to stay within the concentration limit;
<i>export capacity</i>, free gas a plant could not export for want of capacity (kept at home, it lowers prices). The
constraint holding back most binds.</p>
<table><tr><th class="l">constraint</th><th>tonnes held back</th><th>region-months it binds</th><th>unmet demand there, t</th></tr>${summary}</table>
${rows.length > 0 ? `<table><tr><th class="l">month</th><th class="l">region</th><th>unmet, t</th><th>netback, t</th><th>ceiling, t</th><th>band, t</th><th>buyer limit, t</th><th>export capacity, t</th><th class="l">binds</th></tr>${rows}</table>` : "<p>No constraint held anything back.</p>"}`;
}

function producerTable(r: SimulationResult): string {
  const rows = r.producers.map(
    (p) =>
      `<tr><td class="l">${escapeHtml(p.name)}</td><td>${fmt(p.netbackTengePerTonne)}</td><td>${fmt(p.producedTonnes)}</td>` +
      `<td>${fmt(p.offExchangeTonnes)}</td><td>${fmt(p.soldOnExchangeTonnes)}</td><td>${fmt(p.exchangeAverageTengePerTonne)}</td>` +
      `<td>${fmt(p.exportedTonnes)}</td><td>${fmt(p.curtailedTonnes)}</td><td>${fmt(p.obligatedUnsoldTonnes)}</td></tr>`,
  );
  return `<table><tr><th class="l">plant</th><th>export netback</th><th>produced, t</th><th>off-exchange, t</th>
<th>sold on exchange, t</th><th>average price</th><th>exported, t</th><th>curtailed, t</th><th>planned, unsold, t</th></tr>${rows.join("")}</table>`;
}

function assumptionsTable(r: SimulationResult): string {
  const rows = r.assumptions.map(
    (a) =>
      `<tr><td class="l">${escapeHtml(a.path)}</td><td>${escapeHtml(a.value)}</td><td class="l">${escapeHtml(a.note)}</td></tr>`,
  );
  return `<table><tr><th class="l">parameter</th><th>value</th><th class="l">source or reason</th></tr>${rows.join("")}</table>`;
}

/** Market surveillance over the run (when it ran): the manipulators and whether their rules flagged them, every alert. */
function surveillanceSection(r: SimulationResult): string {
  const w = r.surveillance;
  if (w === undefined) return "";
  const manipulators = w.manipulators.map(
    (m) =>
      `<tr><td class="l">${escapeHtml(m.manipulator)}</td><td class="l">${escapeHtml(m.accounts.join(", "))}</td>` +
      `<td class="l">${escapeHtml(m.rule)}</td><td class="l">${m.flagged ? "flagged" : "<b>not flagged</b>"}</td><td>${m.alerts}</td>` +
      `<td>${m.sessionsNamed}</td><td>${m.sessionsActed ?? "every session"}</td></tr>`,
  );
  const byRule = Object.entries(w.falseAlertsByRule)
    .map(([rule, n]) => `${escapeHtml(rule)} ${n}`)
    .join(", ");
  const alerts = w.alerts.map(
    (a) =>
      `<tr><td class="l">${escapeHtml(a.rule)}</td><td class="l">${escapeHtml(a.groups.join(", "))}</td>` +
      `<td class="l">${escapeHtml(a.accounts.join(", "))}</td><td class="l">${escapeHtml(a.instrument ?? "")}</td>` +
      `<td class="l">${escapeHtml(a.side ?? a.month ?? "")}</td><td>${a.sessions}</td></tr>`,
  );
  return `<h2>Market surveillance</h2>
<p>${w.alerts.length} alerts over ${fmt(w.sessions)} sessions. Detection rate ${w.detectionRate === null ? "— (no manipulators)" : `${fmt(100 * w.detectionRate)}%`};
alerts naming honest agents: ${w.falseAlerts} (${fmt(w.falseAlertsPer1000Sessions, 2)} per 1,000 sessions)${byRule ? `, by rule: ${byRule}` : ""};
without the concentration rule (dominant positions, not manipulation): ${w.falseManipulationAlerts} (${fmt(w.falseManipulationAlertsPer1000Sessions, 2)} per 1,000 sessions)${
    w.honestAccountsFlagged.length > 0
      ? `; honest accounts named: ${escapeHtml(w.honestAccountsFlagged.join(", "))}`
      : ""
  }.</p>
${manipulators.length > 0 ? `<table><tr><th class="l">manipulator</th><th class="l">accounts</th><th class="l">its rule</th><th class="l">outcome</th><th>alerts</th><th>sessions named</th><th>sessions acted in</th></tr>${manipulators.join("")}</table>` : ""}
${alerts.length > 0 ? `<table><tr><th class="l">rule</th><th class="l">groups</th><th class="l">accounts</th><th class="l">instrument</th><th class="l">side or month</th><th>sessions</th></tr>${alerts.join("")}</table>` : ""}`;
}

export /** The scenario's observations beside the model's figures (validation.ts); empty when it lists none. */
function validationSection(r: SimulationResult): string {
  if (r.validation.length === 0) return "";
  const what = (m: string) =>
    m === "wholesale"
      ? "exchange price of the months' deliveries (wherever sold), tenge/t"
      : "highest retail price, tenge/l";
  const rows = r.validation
    .map(
      (v) =>
        `<tr><td class="l">${escapeHtml(v.region)}</td><td class="l">${what(v.measure)}</td><td class="l">${v.from} to ${v.until}</td><td>${v.low === v.high ? fmt(v.low) : `${fmt(v.low)}–${fmt(v.high)}`}</td><td>${fmt(v.model, v.measure === "wholesale" ? 0 : 1)}</td><td>${v.errorPercent === null ? "—" : `${v.errorPercent > 0 ? "+" : ""}${v.errorPercent}%`}</td><td class="l">${escapeHtml(v.source)}</td></tr>`,
    )
    .join("");
  return `<h2>Against what was observed</h2>
<p class="note">An exchange price is the volume-weighted average of the sessions that traded delivery to the region in the months the dates cover, including those held the month before (next month's delivery). Error: the model's distance from the observed range, as a percentage of its nearest bound (0 inside the range; negative below).</p>
<table><tr><th class="l">region</th><th class="l">measure</th><th class="l">dates</th><th>observed</th><th>model</th><th>error</th><th class="l">source</th></tr>${rows}</table>`;
}

export function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`;
}

function engineLine(r: SimulationResult): string {
  const refused = Object.entries(r.engine.ordersRefusedByCode)
    .map(([code, n]) => `${code} ${n}`)
    .join(", ");
  return `<p class="note">Run on the sauda engine: ${fmt(r.engine.commands)} commands, ${fmt(r.engine.events)} events,
${r.engine.instrumentsListed} instruments listed; orders refused: ${refused || "none"}; final state hash
<code>${r.engine.stateHash}</code>; seed ${r.scenario.seed}.</p>`;
}

export function report(r: SimulationResult, chartFiles: Files): string {
  const head = headline(r)
    .map((h) => `<tr><td class="l">${h.label}</td><td>${h.value}</td></tr>`)
    .join("");
  const body = `<h1>${escapeHtml(r.scenario.title)}</h1>
<p>${escapeHtml(r.scenario.description)}</p>
<p class="note">Scenario <code>${escapeHtml(r.scenario.name)}</code>, from ${r.scenario.start}, ${r.scenario.days} days; retail prices at
${r.scenario.densityKgPerLitre} kg/l. Wholesale prices are at the producing plant (the exchange basis); "delivered" adds transport to the region.</p>
<h2>Headline</h2><table>${head}</table>
${validationSection(r)}
<h2>Prices</h2><figure>${chartFiles.get("wholesale.svg")}</figure><figure>${chartFiles.get("retail.svg")}</figure>
<h2>Volumes and shortages</h2><figure>${chartFiles.get("volumes.svg")}</figure><figure>${chartFiles.get("shortages.svg")}</figure>
<h2>By month, focus regions</h2>${monthlyTable(r)}
${constraintSection(r)}
<h2>Producers</h2>${producerTable(r)}
${surveillanceSection(r)}
<h2>Assumptions</h2>${assumptionsTable(r)}
${engineLine(r)}`;
  return page(r.scenario.title, body);
}

export function comparisonReport(a: SimulationResult, b: SimulationResult, chartFiles: Files): string {
  const ha = headline(a);
  const hb = headline(b);
  const rows = ha
    .map((h, i) => `<tr><td class="l">${h.label}</td><td>${h.value}</td><td>${hb[i]!.value}</td></tr>`)
    .join("");
  const body = `<h1>Comparison: ${escapeHtml(a.scenario.name)} vs ${escapeHtml(b.scenario.name)}</h1>
<p><b>A</b>: ${escapeHtml(a.scenario.title)}. ${escapeHtml(a.scenario.description)}</p>
<p><b>B</b>: ${escapeHtml(b.scenario.title)}. ${escapeHtml(b.scenario.description)}</p>
<h2>Headline</h2><table><tr><th class="l"></th><th>A</th><th>B</th></tr>${rows}</table>
<h2>Charts</h2>${[...chartFiles.values()].map((svg) => `<figure>${svg}</figure>`).join("\n")}
<h2>A by month</h2>${monthlyTable(a)}<h2>B by month</h2>${monthlyTable(b)}
${engineLine(a)}${engineLine(b)}`;
  return page(`${a.scenario.name} vs ${b.scenario.name}`, body);
}

/** Every file of one run. */
export function runFiles(r: SimulationResult): Files {
  const files: Files = new Map();
  files.set("result.json", `${JSON.stringify(r, null, 1)}\n`);
  for (const [name, content] of tables(r)) files.set(name, content);
  const chartFiles = charts(r);
  for (const [name, content] of chartFiles) files.set(`charts/${name}`, content);
  files.set("report.html", report(r, chartFiles));
  return files;
}

/** Every file of a comparison: both runs under a/ and b/, and the shared charts and report. */
export function comparisonFiles(a: SimulationResult, b: SimulationResult): Files {
  const files: Files = new Map();
  for (const [name, content] of runFiles(a)) files.set(`a/${name}`, content);
  for (const [name, content] of runFiles(b)) files.set(`b/${name}`, content);
  const chartFiles = comparisonCharts(a, b);
  for (const [name, content] of chartFiles) files.set(`charts/${name}`, content);
  files.set("report.html", comparisonReport(a, b, chartFiles));
  return files;
}
