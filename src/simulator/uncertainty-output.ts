/**
 * The files of an uncertainty run (`--runs N`): `uncertainty.json` (uncertainty.ts's report, as issue 12 shapes it),
 * fan charts of the focus regions' monthly retail and wholesale prices and unmet demand (P10–P90 shaded, P50 drawn),
 * and `report.html` with the charts, each region's peak retail price and the inputs ranked by what they explain.
 */

import { type FanBand, fanChartSvg } from "./charts.ts";
import type { ScenarioInput } from "./inputs.ts";
import { escapeHtml, type Files, fmt, page } from "./output.ts";
import type { Scenario } from "./scenario.ts";
import type { UncertaintyReport } from "./uncertainty.ts";

type Measure = "retailTengePerLitre" | "wholesaleTengePerTonne" | "shortagePercent";

function fanOf(u: UncertaintyReport, region: string, measure: Measure): { labels: string[]; band: FanBand } {
  const rows = u.monthly.filter((m) => m.region === region);
  return {
    labels: rows.map((m) => m.month),
    band: {
      name: region,
      p10: rows.map((m) => m[measure].p10),
      p50: rows.map((m) => m[measure].p50),
      p90: rows.map((m) => m[measure].p90),
    },
  };
}

const MEASURES: readonly { measure: Measure; file: string; title: string; unit: string }[] = [
  { measure: "retailTengePerLitre", file: "retail", title: "retail price", unit: "tenge/l" },
  { measure: "wholesaleTengePerTonne", file: "wholesale", title: "exchange price", unit: "tenge/t" },
  { measure: "shortagePercent", file: "shortage", title: "unmet demand", unit: "% of demand" },
];

export function uncertaintyFiles(
  scenario: Scenario,
  u: UncertaintyReport,
  inputs: readonly ScenarioInput[],
  seconds: number | null,
): Files {
  const files: Files = new Map();
  files.set("uncertainty.json", `${JSON.stringify(u, null, 1)}\n`);
  const figures: string[] = [];
  for (const region of scenario.focusRegions) {
    const row: string[] = [];
    for (const m of MEASURES) {
      const { labels, band } = fanOf(u, region, m.measure);
      const name = `fan-${m.file}-${region}`;
      const svg = fanChartSvg({
        id: name.toLowerCase().replaceAll("_", "-"),
        title: `${region}: ${m.title}, P10–P90 of ${u.runs} runs`,
        yName: m.unit,
        labels,
        bands: [band],
      });
      files.set(`charts/${name}.svg`, svg);
      row.push(svg);
    }
    figures.push(
      `<h3>${escapeHtml(region)}</h3><div class="fans">${row.map((s) => `<figure>${s}</figure>`).join("")}</div>`,
    );
  }
  const peaks = u.peakRetailTengePerLitre
    .map(
      (p) =>
        `<tr><td class="l">${escapeHtml(p.region)}</td><td>${fmt(p.p10, 2)}</td><td>${fmt(p.p50, 2)}</td><td>${fmt(p.p90, 2)}</td></tr>`,
    )
    .join("");
  const byPath = new Map(inputs.map((i) => [i.path, i]));
  const drivers = u.drivers
    .map((d) => {
      const i = byPath.get(d.path);
      const range = i ? `${i.low}–${i.high} (${i.distribution}, value ${i.value})` : "";
      const why = i ? (i.source !== null ? `Source: ${i.source}` : `Assumed: ${i.assumed}`) : "";
      return `<tr><td class="l"><code>${escapeHtml(d.path)}</code></td><td>${d.share.toFixed(3)}</td><td class="l">${escapeHtml(range)}</td><td class="l">${escapeHtml(why)}</td></tr>`;
    })
    .join("");
  const focus = scenario.focusRegions[0] ?? "";
  const body = `<h1>${escapeHtml(scenario.title)}: ${u.runs} runs over its uncertain inputs</h1>
<p>${escapeHtml(scenario.description)}</p>
<p class="note">Each run draws every input that has a range (${inputs.length} inputs) from it; the agents' own randomness keeps seed
${scenario.seed}. Bands are the 10th to 90th percentiles of the runs' monthly averages, the line their median (percentiles by linear
interpolation between order statistics). ${seconds === null ? "" : `Ran in ${seconds.toFixed(1)} s.`}</p>
<h2>Fan charts, focus regions</h2>${figures.join("\n")}
<h2>Peak retail price by region, tenge/l</h2><table><tr><th class="l">region</th><th>P10</th><th>P50</th><th>P90</th></tr>${peaks}</table>
<h2>What drives the spread of ${escapeHtml(focus)}'s January retail peak</h2>
<p class="note">Share: squared Spearman rank correlation between the input's draws and the peak over the runs (the share of the peak's
rank variance a monotone response to that input alone explains). With ${u.runs} runs an input without effect scores about ${(1 / (u.runs - 1)).toFixed(3)} on average and, among a few dozen inputs, up to about ${(9 / (u.runs - 1)).toFixed(3)} (three standard errors) by chance.</p>
<table><tr><th class="l">input</th><th>share</th><th class="l">range</th><th class="l">source or reason</th></tr>${drivers}</table>`;
  files.set(
    "report.html",
    page(`${scenario.name}: ${u.runs} runs`, body).replace(
      "</style>",
      ".fans{display:flex;flex-wrap:wrap;gap:8px}.fans figure{margin:0}</style>",
    ),
  );
  return files;
}
