/**
 * Charts as SVG strings, drawn by Apache ECharts in its server-side mode (no DOM, no canvas): line charts of price
 * paths and bar or area charts of volumes and shortages, one function per kind. ECharts numbers its element ids and
 * style classes with process-wide counters; `canonicalise` renames them in order of appearance under the chart's own
 * prefix, so the same data always gives the same bytes and several charts can share one HTML page.
 */

import * as echarts from "echarts";

export interface LineSeries {
  readonly name: string;
  readonly data: readonly (number | null)[];
  readonly dashed?: boolean;
  readonly area?: boolean;
  readonly stack?: string;
  readonly bar?: boolean;
}

export interface ChartSpec {
  /** Element-id prefix, unique on the page: letters, digits and dashes. */
  readonly id: string;
  readonly title: string;
  readonly yName: string;
  readonly dates: readonly string[];
  readonly series: readonly LineSeries[];
  readonly width?: number;
  readonly height?: number;
}

const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
  "#393b79",
  "#637939",
  "#8c6d31",
  "#843c39",
  "#7b4173",
  "#3182bd",
  "#e6550d",
  "#31a354",
];

/** Renames ECharts' generated ids and classes (`zr<n>-...`) in order of first appearance. */
export function canonicalise(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  return svg.replace(/zr\d+-[A-Za-z]*-?\d+/g, (token) => {
    let name = names.get(token);
    if (name === undefined) {
      name = `${prefix}-${names.size}`;
      names.set(token, name);
    }
    return name;
  });
}

export function chartSvg(spec: ChartSpec): string {
  const width = spec.width ?? 960;
  const legendRows = Math.ceil(spec.series.length / 6);
  const height = (spec.height ?? 360) + legendRows * 22;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  const colourOf = new Map<string, string>();
  const baseName = (name: string) => name.replace(/^[AB]: /, "");
  for (const s of spec.series) {
    const key = baseName(s.name);
    if (!colourOf.has(key)) colourOf.set(key, PALETTE[colourOf.size % PALETTE.length]!);
  }
  chart.setOption({
    animation: false,
    backgroundColor: "#ffffff",
    title: { text: spec.title, left: 10, top: 6, textStyle: { fontSize: 15, fontFamily: "sans-serif" } },
    grid: { left: 70, right: 24, top: 48, bottom: 40 + legendRows * 22 },
    legend: { type: "plain", bottom: 4, left: 10, right: 10, itemWidth: 18, textStyle: { fontSize: 11 } },
    xAxis: {
      type: "category",
      data: [...spec.dates],
      axisLabel: { fontSize: 10 },
      boundaryGap: spec.series.some((s) => s.bar),
    },
    yAxis: {
      type: "value",
      name: spec.yName,
      scale: true,
      nameTextStyle: { fontSize: 11 },
      axisLabel: { fontSize: 10 },
    },
    series: spec.series.map((s) => ({
      name: s.name,
      type: s.bar ? "bar" : "line",
      data: [...s.data],
      showSymbol: false,
      connectNulls: true,
      ...(s.stack === undefined ? {} : { stack: s.stack }),
      ...(s.area ? { areaStyle: { opacity: 0.35 } } : {}),
      lineStyle: { width: 1.6, type: s.dashed ? "dashed" : "solid" },
      itemStyle: { color: colourOf.get(baseName(s.name)) },
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return canonicalise(svg, spec.id);
}

/** One P10–P90 band with its median, for a fan chart. */
export interface FanBand {
  readonly name: string;
  readonly p10: readonly (number | null)[];
  readonly p50: readonly (number | null)[];
  readonly p90: readonly (number | null)[];
}

/**
 * A fan chart: for each band, the area between P10 and P90 shaded (drawn as P10 plus a stacked P90 − P10 area) and
 * the median as a line; `observed` points, when given, as markers.
 */
export function fanChartSvg(spec: {
  readonly id: string;
  readonly title: string;
  readonly yName: string;
  readonly labels: readonly string[];
  readonly bands: readonly FanBand[];
  readonly observed?: { readonly name: string; readonly data: readonly (number | null)[] };
  readonly width?: number;
  readonly height?: number;
}): string {
  const width = spec.width ?? 480;
  const height = spec.height ?? 260;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  const series: unknown[] = [];
  spec.bands.forEach((b, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    const spread = b.p90.map((hi, j) => {
      const lo = b.p10[j];
      return hi === null || lo === null || lo === undefined ? null : hi - lo;
    });
    series.push(
      {
        name: `${b.name} P10`,
        type: "line",
        data: [...b.p10],
        stack: `band${i}`,
        showSymbol: false,
        lineStyle: { opacity: 0 },
        itemStyle: { color: colour },
        silent: true,
      },
      {
        name: `${b.name} P10–P90`,
        type: "line",
        data: spread,
        stack: `band${i}`,
        showSymbol: false,
        lineStyle: { opacity: 0 },
        areaStyle: { opacity: 0.25, color: colour },
        itemStyle: { color: colour },
      },
      {
        name: `${b.name} P50`,
        type: "line",
        data: [...b.p50],
        showSymbol: false,
        lineStyle: { width: 1.8 },
        itemStyle: { color: colour },
      },
    );
  });
  if (spec.observed) {
    series.push({
      name: spec.observed.name,
      type: "scatter",
      data: [...spec.observed.data],
      symbolSize: 8,
      itemStyle: { color: "#000000" },
    });
  }
  chart.setOption({
    animation: false,
    backgroundColor: "#ffffff",
    title: { text: spec.title, left: 10, top: 2, textStyle: { fontSize: 13, fontFamily: "sans-serif" } },
    grid: { left: 64, right: 16, top: 52, bottom: 52 },
    legend: {
      type: "plain",
      bottom: 4,
      left: 10,
      right: 10,
      itemWidth: 14,
      textStyle: { fontSize: 10 },
      data: series.map((s) => (s as { name: string }).name).filter((name) => !name.endsWith(" P10")),
    },
    xAxis: { type: "category", data: [...spec.labels], axisLabel: { fontSize: 10 }, boundaryGap: false },
    yAxis: {
      type: "value",
      name: spec.yName,
      scale: true,
      nameTextStyle: { fontSize: 10 },
      axisLabel: { fontSize: 10 },
    },
    series,
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return canonicalise(svg, spec.id);
}
