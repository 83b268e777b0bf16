/**
 * What the Policy lab shows of finished runs: the regions to draw (the scenario's focus regions at first, at most
 * REGIONS_SHOWN_MAX and the nation), four charts on the same axes for one run or two (wholesale and retail price paths
 * per region, volumes, unmet demand; A solid, B dashed), the summary table (rules, national totals, the focus regions;
 * with B − A when comparing) and the monthly figures.
 */

import type { UTCTimestamp } from "lightweight-charts";
import { useMemo, useState } from "react";
import type {
  LabParameterInfo,
  LabParameterName,
  LabResult,
  LabRun,
  Observed,
  ParameterValue,
  Uncertainty,
} from "../api/lab.ts";
import { calendarMonth, decimal, signedDecimal } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { carried } from "../lab-form.ts";
import { scenarioShortName } from "../lab-names.ts";
import { axisDayText, weekMean } from "../lab-series.ts";
import { FanChart } from "./FanChart.tsx";
import { type ChartAxis, type ChartLine, LabChart } from "./LabChart.tsx";

/** Lines per run on a chart stay readable up to about this many regions. */
export const REGIONS_SHOWN_MAX = 8;
const NATIONAL = "national";
const SECONDS_PER_DAY = 86_400;
const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#28323c"];
const VOLUME_COLORS = { exchange: "#1f77b4", offExchange: "#2ca02c", export: "#ff7f0e" } as const;

export interface FinishedRun {
  readonly label: "A" | "B";
  readonly run: LabRun;
  readonly result: LabResult;
}

type Translate = (key: string, params?: Readonly<Record<string, string | number>>) => string;

export function regionLabel(t: Translate, has: (key: string) => boolean, id: string, fallback: string): string {
  return has(`lab.regions.${id}`) ? t(`lab.regions.${id}`) : fallback;
}

export function LabResults({
  runs,
  parameters,
}: {
  runs: readonly FinishedRun[];
  parameters: readonly LabParameterInfo[];
}) {
  const i18n = useI18n();
  const { t, has, language, locale } = i18n;
  const first = runs[0]!;
  const regions = first.result.regions;
  const [chosen, setChosen] = useState<readonly string[]>(() => [...first.result.scenario.focusRegions]);
  const names = useMemo(() => {
    const map = new Map(regions.map((g) => [g.id, regionLabel(t, has, g.id, g.name)]));
    map.set(NATIONAL, t("lab.national"));
    return map;
  }, [regions, t, has]);
  const shown = useMemo(
    () => [
      ...regions.map((g) => g.id).filter((id) => chosen.includes(id)),
      ...(chosen.includes(NATIONAL) ? [NATIONAL] : []),
    ],
    [regions, chosen],
  );
  const axis = useMemo<ChartAxis>(
    () => axisOf(runs, language, locale, (n) => t("lab.day", { n })),
    [runs, language, locale, t],
  );
  const scenarioLabel = (name: string) => scenarioShortName(name, t, has);
  const scenarioNames = runs.map((r) => `${r.label}: ${scenarioLabel(r.result.scenario.name)}`).join(", ");
  const lines = useMemo(() => chartLines(runs, shown, names, t, locale), [runs, shown, names, t, locale]);
  const regionList = shown.map((g) => names.get(g)).join(", ");
  const describe = (what: string) => t("lab.chartDescription", { what, runs: scenarioNames, regions: regionList });

  const toggle = (id: string, on: boolean) =>
    setChosen((previous) => (on ? [...previous, id] : previous.filter((g) => g !== id)));
  const regionCount = chosen.filter((g) => g !== NATIONAL).length;

  return (
    <section className="lab-results" aria-labelledby="lab-results-title" data-testid="lab-results">
      <h2 id="lab-results-title">{t("lab.results")}</h2>
      <p className="muted small">
        {runs.length > 1
          ? t("lab.compareNote", {
              a: scenarioLabel(runs[0]!.result.scenario.name),
              b: scenarioLabel(runs[1]!.result.scenario.name),
            })
          : t("lab.singleNote", { a: scenarioLabel(first.result.scenario.name) })}
      </p>
      <fieldset className="lab-regions">
        <legend>{t("lab.regionsToShow", { max: REGIONS_SHOWN_MAX })}</legend>
        {[...regions.map((g) => g.id), NATIONAL].map((id) => {
          const on = chosen.includes(id);
          return (
            <label key={id} className="inline">
              <input
                type="checkbox"
                name="region"
                value={id}
                checked={on}
                disabled={!on && id !== NATIONAL && regionCount >= REGIONS_SHOWN_MAX}
                onChange={(event) => toggle(id, event.target.checked)}
              />
              {names.get(id)}
            </label>
          );
        })}
      </fieldset>
      <div className="lab-charts">
        <LabChart
          id="wholesale"
          title={t("lab.charts.wholesale")}
          unit={t("lab.units.tengePerTonne")}
          lines={lines.wholesale}
          axis={axis}
          locale={locale}
          fractionDigits={0}
          description={describe(t("lab.charts.wholesale"))}
        />
        <LabChart
          id="retail"
          title={t("lab.charts.retail")}
          unit={t("lab.units.tengePerLitre")}
          lines={lines.retail}
          axis={axis}
          locale={locale}
          fractionDigits={2}
          description={describe(t("lab.charts.retail"))}
        />
        <LabChart
          id="volumes"
          title={t("lab.charts.volumes")}
          unit={t("lab.units.tonnesPerDay")}
          lines={lines.volumes}
          axis={axis}
          locale={locale}
          fractionDigits={0}
          description={describe(t("lab.charts.volumes"))}
        />
        <LabChart
          id="shortages"
          title={t("lab.charts.shortages")}
          unit={t("lab.units.tonnesPerDay")}
          lines={lines.shortages}
          axis={axis}
          locale={locale}
          fractionDigits={0}
          description={describe(t("lab.charts.shortages"))}
        />
      </div>
      <h3>{t("lab.byRegion")}</h3>
      <div className="lab-small-charts" data-testid="lab-small-charts">
        {shown.map((region) => (
          <LabChart
            key={region}
            small
            id={`retail-${region}`}
            title={names.get(region) ?? region}
            unit={t("lab.units.tengePerLitre")}
            lines={regionLines(lines.retail, region, runs, t, scenarioLabel)}
            axis={axis}
            locale={locale}
            fractionDigits={2}
            description={describe(`${t("lab.byRegion")}: ${names.get(region) ?? region}`)}
          />
        ))}
      </div>
      {runs.map((run) =>
        run.result.uncertainty ? (
          <FanCharts
            key={run.label}
            label={run.label}
            uncertainty={run.result.uncertainty}
            regions={shown.filter((g) => g !== NATIONAL)}
            names={names}
          />
        ) : null,
      )}
      <SummaryTable runs={runs} parameters={parameters} names={names} />
      <MonthlyTable runs={runs} names={names} />
    </section>
  );
}

/**
 * The fan charts of a run made with `runs`: per region shown, its monthly retail and exchange prices, P10–P90 of the
 * drawn runs shaded and P50 drawn.
 */
function FanCharts({
  label,
  uncertainty,
  regions,
  names,
}: {
  label: "A" | "B";
  uncertainty: Uncertainty;
  regions: readonly string[];
  names: ReadonlyMap<string, string>;
}) {
  const { t, locale } = useI18n();
  const measures = [
    { measure: "retailTengePerLitre", key: "retail", unit: t("lab.units.tengePerLitre"), digits: 2 },
    { measure: "wholesaleTengePerTonne", key: "wholesale", unit: t("lab.units.tengePerTonne"), digits: 0 },
  ] as const;
  return (
    <section className="lab-fans" aria-labelledby={`lab-fans-${label}-title`} data-testid={`lab-fans-${label}`}>
      <h3 id={`lab-fans-${label}-title`}>{t("lab.fan.title", { label, runs: uncertainty.runs })}</h3>
      <p className="muted small">{t("lab.fan.note")}</p>
      <div className="lab-small-charts">
        {regions.flatMap((region) => {
          const rows = uncertainty.monthly.filter((m) => m.region === region);
          const name = names.get(region) ?? region;
          return measures.map(({ measure, key, unit, digits }) => {
            const what = t(`lab.fan.${key}`, { region: name });
            return (
              <FanChart
                key={`${region}-${key}`}
                id={`${label}-${key}-${region}`}
                title={what}
                unit={unit}
                months={rows.map((m) => m.month)}
                series={{
                  p10: rows.map((m) => m[measure].p10),
                  p50: rows.map((m) => m[measure].p50),
                  p90: rows.map((m) => m[measure].p90),
                }}
                locale={locale}
                fractionDigits={digits}
                bandLabel={t("lab.fan.band", { runs: uncertainty.runs })}
                medianLabel={t("lab.fan.median")}
                description={t("lab.fan.description", { what, runs: uncertainty.runs })}
              />
            );
          });
        })}
      </div>
    </section>
  );
}

/**
 * One region's chart: its lines of each run (the legend names the runs) and what was observed there, from the
 * retail chart's lines.
 */
function regionLines(
  retail: readonly ChartLine[],
  region: string,
  runs: readonly FinishedRun[],
  t: Translate,
  scenarioLabel: (name: string) => string,
): ChartLine[] {
  return retail.flatMap((line) => {
    if (line.observed) return line.key.startsWith(`observed-retailPeak-${region}-`) ? [line] : [];
    if (line.key !== `${line.run}-${region}`) return [];
    const run = runs.find((r) => r.label === line.run)!;
    return [
      {
        ...line,
        label: t("lab.runLine", { label: line.run, scenario: scenarioLabel(run.result.scenario.name) }),
        inLegend: true,
      },
    ];
  });
}

/** The lines of the four charts: a line per region shown and run, and the national volumes per run. */
function chartLines(
  runs: readonly FinishedRun[],
  shown: readonly string[],
  names: ReadonlyMap<string, string>,
  t: Translate,
  locale: string,
): Record<"wholesale" | "retail" | "volumes" | "shortages", ChartLine[]> {
  const perRegion = (pick: (result: LabResult, region: string) => readonly (number | null)[]): ChartLine[] =>
    runs.flatMap(({ label, result }) =>
      shown.map((region, index) => ({
        key: `${label}-${region}`,
        label: names.get(region) ?? region,
        run: label,
        color: region === NATIONAL ? PALETTE[PALETTE.length - 1]! : PALETTE[index % (PALETTE.length - 1)]!,
        values: pick(result, region),
      })),
    );
  const offExchange = (result: LabResult) =>
    result.dates.map((_, i) =>
      result.regions.reduce((sum, g) => sum + result.regionSeries[g.id]!.offExchangeTonnes[i]!, 0),
    );
  // What the scenarios list as observed (validation), for the regions shown: dotted over its dates at the range's
  // bounds, in the region's colour; each once, on the dates of the first run that lists it.
  const observed = (measure: Observed["measure"]): ChartLine[] => {
    const seen = new Set<string>();
    const out: ChartLine[] = [];
    for (const { result } of runs) {
      for (const o of result.validation) {
        const index = shown.indexOf(o.region);
        const key = `observed-${o.measure}-${o.region}-${o.from}-${o.until}-${o.low}-${o.high}`;
        if (o.measure !== measure || index < 0 || seen.has(key)) continue;
        seen.add(key);
        const digits = Number.isInteger(o.low) && Number.isInteger(o.high) ? 0 : 2;
        const range =
          o.low === o.high
            ? decimal(o.low, locale, digits)
            : `${decimal(o.low, locale, digits)}–${decimal(o.high, locale, digits)}`;
        const label = t("lab.observed", { region: names.get(o.region) ?? o.region, range });
        const bounds = o.low === o.high ? [o.low] : [o.low, o.high];
        bounds.forEach((value, k) => {
          out.push({
            key: `${key}-${k}`,
            label,
            run: "A",
            color: PALETTE[index % (PALETTE.length - 1)]!,
            observed: true,
            inLegend: k === 0,
            values: result.dates.map((d) => (d >= o.from && d <= o.until ? value : null)),
          });
        });
      }
    }
    return out;
  };
  return {
    wholesale: [
      ...perRegion((r, g) =>
        carried(g === NATIONAL ? r.national.wholesaleTengePerTonne : r.regionSeries[g]!.wholesaleTengePerTonne),
      ),
      ...observed("wholesale"),
    ],
    retail: [
      ...perRegion((r, g) =>
        g === NATIONAL ? r.national.retailTengePerLitre : r.regionSeries[g]!.retailTengePerLitre,
      ),
      ...observed("retailPeak"),
    ],
    shortages: perRegion((r, g) => (g === NATIONAL ? r.national.shortageTonnes : r.regionSeries[g]!.shortageTonnes)),
    volumes: runs.flatMap(({ label, result }) => [
      {
        key: `${label}-exchange`,
        label: t("lab.volumes.exchange"),
        run: label,
        color: VOLUME_COLORS.exchange,
        values: weekMean(result.national.exchangeTonnes),
      },
      {
        key: `${label}-off`,
        label: t("lab.volumes.offExchange"),
        run: label,
        color: VOLUME_COLORS.offExchange,
        values: weekMean(offExchange(result)),
      },
      {
        key: `${label}-export`,
        label: t("lab.volumes.export"),
        run: label,
        color: VOLUME_COLORS.export,
        values: weekMean(result.national.exportTonnes),
      },
    ]),
  };
}

/** Dates when every run starts on the same day; otherwise the day of the run, so both begin at the left edge. */
function axisOf(
  runs: readonly FinishedRun[],
  language: string,
  locale: string,
  dayText: (n: number) => string,
): ChartAxis {
  const longest = runs.reduce((a, b) => (b.result.dates.length > a.result.dates.length ? b : a));
  const sameStart = runs.every((r) => r.result.dates[0] === longest.result.dates[0]);
  if (sameStart) {
    return {
      times: longest.result.dates.map((date) => (Date.parse(`${date}T00:00:00Z`) / 1000) as UTCTimestamp),
      format: (time) => axisDayText(new Date(time * 1000).toISOString().slice(0, 10), language, locale),
    };
  }
  return {
    times: longest.result.dates.map((_, index) => ((index + 1) * SECONDS_PER_DAY) as UTCTimestamp),
    format: (time) => dayText(Math.round(time / SECONDS_PER_DAY)),
  };
}

interface Row {
  readonly key: string;
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly digits: number;
  /** Shown as text instead of a number (rules). */
  readonly texts?: readonly string[];
  readonly group?: string;
}

function SummaryTable({
  runs,
  parameters,
  names,
}: {
  runs: readonly FinishedRun[];
  parameters: readonly LabParameterInfo[];
  names: ReadonlyMap<string, string>;
}) {
  const { t, has, locale } = useI18n();
  const compare = runs.length > 1;
  const ruleText = (name: LabParameterName, value: ParameterValue): string => {
    if (typeof value === "boolean") return t(value ? "lab.yes" : "lab.no");
    if (value === null) return t("lab.off");
    const info = parameters.find((p) => p.name === name);
    if (info?.unit === "bps") return `${decimal(value / 100, locale, value % 100 === 0 ? 0 : 2)}%`;
    return decimal(value, locale, info?.kind === "number" ? 2 : 0);
  };
  const rows: Row[] = [
    ...parameters.map((p, index) => ({
      key: `rule-${p.name}`,
      label: t(`lab.parameters.${p.name}.label`),
      values: [],
      digits: 0,
      texts: runs.map((r) => ruleText(p.name, r.run.parameters[p.name])),
      ...(index === 0 ? { group: t("lab.summary.rules") } : {}),
    })),
    {
      key: "days",
      label: t("lab.summary.days"),
      values: runs.map((r) => r.result.totals.days),
      digits: 0,
      group: t("lab.summary.national"),
    },
    {
      key: "tradingDays",
      label: t("lab.summary.tradingDays"),
      values: runs.map((r) => r.result.totals.tradingDays),
      digits: 0,
    },
    {
      key: "averageWholesale",
      label: t("lab.summary.averageWholesale"),
      values: runs.map((r) => r.result.totals.averageWholesaleTengePerTonne),
      digits: 0,
    },
    {
      key: "averageRetail",
      label: t("lab.summary.averageRetail"),
      values: runs.map((r) => r.result.totals.averageRetailTengePerLitre),
      digits: 2,
    },
    {
      key: "exchange",
      label: t("lab.summary.exchange"),
      values: runs.map((r) => r.result.totals.exchangeTonnes),
      digits: 0,
    },
    { key: "export", label: t("lab.summary.export"), values: runs.map((r) => r.result.totals.exportTonnes), digits: 0 },
    {
      key: "curtailed",
      label: t("lab.summary.curtailed"),
      values: runs.map((r) => r.result.totals.curtailedTonnes),
      digits: 0,
    },
    {
      key: "shortage",
      label: t("lab.summary.shortage"),
      values: runs.map((r) => r.result.totals.shortageTonnes),
      digits: 0,
    },
    {
      key: "shortagePercent",
      label: t("lab.summary.shortagePercent"),
      values: runs.map((r) => r.result.totals.shortagePercent),
      digits: 2,
    },
  ];
  for (const summary of runs[0]!.result.summary.regions) {
    const region = summary.region;
    const of = (r: FinishedRun) => r.result.summary.regions.find((g) => g.region === region) ?? null;
    const group = names.get(region) ?? region;
    rows.push(
      {
        key: `${region}-wholesale`,
        label: t("lab.summary.firstMonthWholesale"),
        values: runs.map((r) => of(r)?.firstMonthWholesaleTengePerTonne ?? null),
        digits: 0,
        group,
      },
      {
        key: `${region}-retail`,
        label: t("lab.summary.firstMonthRetail"),
        values: runs.map((r) => of(r)?.firstMonthRetailTengePerLitre ?? null),
        digits: 2,
      },
      {
        key: `${region}-peak`,
        label: t("lab.summary.peakRetail"),
        values: runs.map((r) => of(r)?.peakRetailTengePerLitre ?? null),
        digits: 2,
      },
      {
        key: `${region}-shortage`,
        label: t("lab.summary.regionShortagePercent"),
        values: runs.map((r) => of(r)?.shortagePercent ?? null),
        digits: 2,
      },
    );
  }
  const columns = compare ? 4 : 2;
  return (
    <section className="panel" aria-labelledby="lab-summary-title">
      <h3 id="lab-summary-title">{t("lab.summary.title")}</h3>
      <div className="table-scroll">
        <table data-testid="lab-summary">
          <thead>
            <tr>
              <th scope="col">{t("lab.summary.measure")}</th>
              {runs.map((r) => (
                <th key={r.label} scope="col" className="num">
                  {r.label}: {scenarioShortName(r.result.scenario.name, t, has)}
                </th>
              ))}
              {compare ? (
                <th scope="col" className="num">
                  {t("lab.summary.difference")}
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.flatMap((row) => {
              const cells = [
                row.group ? (
                  <tr key={`${row.key}-group`} className="group">
                    <th scope="rowgroup" colSpan={columns}>
                      {row.group}
                    </th>
                  </tr>
                ) : null,
                <tr key={row.key} data-row={row.key}>
                  <th scope="row">{row.label}</th>
                  {runs.map((r, i) => (
                    <td key={r.label} className="num">
                      {row.texts ? row.texts[i] : decimal(row.values[i], locale, row.digits)}
                    </td>
                  ))}
                  {compare ? (
                    <td className="num">
                      {row.texts
                        ? row.texts[0] === row.texts[1]
                          ? ""
                          : t("lab.summary.changed")
                        : row.values[0] === null ||
                            row.values[1] === null ||
                            row.values[0] === undefined ||
                            row.values[1] === undefined
                          ? "—"
                          : signedDecimal(row.values[1] - row.values[0], locale, row.digits)}
                    </td>
                  ) : null}
                </tr>,
              ];
              return cells.filter((cell) => cell !== null);
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function MonthlyTable({ runs, names }: { runs: readonly FinishedRun[]; names: ReadonlyMap<string, string> }) {
  const { t, locale } = useI18n();
  const focus = runs[0]!.result.scenario.focusRegions;
  return (
    <details className="panel">
      <summary>{t("lab.monthly.title")}</summary>
      <div className="table-scroll">
        <table data-testid="lab-monthly">
          <thead>
            <tr>
              <th scope="col">{t("lab.monthly.run")}</th>
              <th scope="col">{t("lab.monthly.month")}</th>
              <th scope="col">{t("lab.monthly.region")}</th>
              <th scope="col" className="num">
                {t("lab.monthly.wholesale")}
              </th>
              <th scope="col" className="num">
                {t("lab.monthly.delivered")}
              </th>
              <th scope="col" className="num">
                {t("lab.monthly.retail")}
              </th>
              <th scope="col" className="num">
                {t("lab.monthly.demand")}
              </th>
              <th scope="col" className="num">
                {t("lab.monthly.shortagePercent")}
              </th>
              <th scope="col" title={t("lab.monthly.bindsNote")}>
                {t("lab.monthly.binds")}
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.flatMap(({ label, result }) =>
              result.monthly
                .filter((m) => focus.includes(m.region))
                .map((m) => (
                  <tr key={`${label}-${m.month}-${m.region}`}>
                    <td>{label}</td>
                    <td>{calendarMonth(m.month, locale)}</td>
                    <td>{names.get(m.region) ?? m.region}</td>
                    <td className="num">{decimal(m.wholesaleTengePerTonne, locale)}</td>
                    <td className="num">{decimal(m.deliveredTengePerTonne, locale)}</td>
                    <td className="num">{decimal(m.retailTengePerLitre, locale, 2)}</td>
                    <td className="num">{decimal(m.demandTonnes, locale)}</td>
                    <td className="num">{decimal(m.shortagePercent, locale, 2)}</td>
                    <td>
                      {t(
                        `lab.monthly.constraints.${
                          result.constraints.find((c) => c.month === m.month && c.region === m.region)?.binding ??
                          "none"
                        }`,
                      )}
                    </td>
                  </tr>
                )),
            )}
          </tbody>
        </table>
      </div>
    </details>
  );
}
