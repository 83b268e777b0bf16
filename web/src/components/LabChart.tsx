/**
 * One Policy lab chart: daily lines drawn by TradingView's lightweight-charts (zoom and pan with the mouse or touch,
 * values under the crosshair), run A solid and run B dashed on the same axes, one colour per region. Days without a
 * value (no trade yet) are gaps. The x axis is the calendar when every run starts on the same day, else the day of
 * the run ("day 1" is each run's first day), passed in by the caller as `times` with its formatter.
 *
 * The legend and the title are HTML beside the canvas, so the chart is described for screen readers too; the figures
 * themselves are in the summary and monthly tables below the charts.
 */

import {
  ColorType,
  createChart,
  type IChartApi,
  type ISeriesApi,
  LineSeries,
  LineStyle,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useRef } from "react";

export interface ChartLine {
  readonly key: string;
  readonly label: string;
  readonly run: "A" | "B";
  readonly color: string;
  readonly values: readonly (number | null)[];
  /** An observed figure (a scenario's `observed`), drawn dotted over its dates, not a run's line. */
  readonly observed?: boolean;
  /**
   * False: left out of the legend (the second bound of an observed range); true: in it even for run B (charts of one
   * region, whose legend names the runs). By default the legend names run A's lines.
   */
  readonly inLegend?: boolean;
}

export interface ChartAxis {
  /** The x position of each day (index), in seconds as lightweight-charts counts time. */
  readonly times: readonly UTCTimestamp[];
  /** Text for a position: a date, or "day N". */
  readonly format: (time: UTCTimestamp) => string;
}

export function LabChart({
  small = false,
  id,
  title,
  unit,
  lines,
  axis,
  locale,
  fractionDigits,
  description,
}: {
  id: string;
  title: string;
  unit: string;
  lines: readonly ChartLine[];
  axis: ChartAxis;
  locale: string;
  fractionDigits: number;
  description: string;
  /** A small chart (one region of several). */
  small?: boolean;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<"Line">[]>([]);

  // The chart is made once per locale and axis (formatters are options), and filled below.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const number = new Intl.NumberFormat(locale, {
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
    const timeText = (time: Time) => axis.format(time as UTCTimestamp);
    const created = createChart(element, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: "#ffffff" },
        textColor: "#28323c",
        fontFamily: "inherit",
      },
      grid: { vertLines: { color: "#eef1f4" }, horzLines: { color: "#eef1f4" } },
      localization: { locale, priceFormatter: (value: number) => number.format(value), timeFormatter: timeText },
      timeScale: { tickMarkFormatter: timeText, borderColor: "#d8dee4" },
      rightPriceScale: { borderColor: "#d8dee4" },
    });
    chart.current = created;
    series.current = [];
    return () => {
      created.remove();
      chart.current = null;
      series.current = [];
    };
  }, [locale, axis, fractionDigits]);

  useEffect(() => {
    const created = chart.current;
    if (!created) return;
    for (const old of series.current) created.removeSeries(old);
    series.current = lines.map((line) => {
      const added = created.addSeries(LineSeries, {
        color: line.color,
        lineWidth: line.observed ? 3 : 2,
        lineStyle: line.observed ? LineStyle.Dotted : line.run === "A" ? LineStyle.Solid : LineStyle.Dashed,
        pointMarkersVisible: line.observed === true,
        priceLineVisible: false,
        lastValueVisible: false,
        title: "",
      });
      added.setData(
        line.values.flatMap((value, index) => {
          const time = axis.times[index];
          if (time === undefined) return [];
          return value === null ? [{ time }] : [{ time, value }];
        }),
      );
      return added;
    });
    created.timeScale().fitContent();
  }, [lines, axis]);

  const runs = new Set(lines.map((line) => line.run));
  const legend = lines.filter(
    (line) => line.inLegend === true || ((line.run === "A" || !runs.has("A")) && line.inLegend !== false),
  );
  return (
    <figure
      className={small ? "lab-chart lab-chart-small panel" : "lab-chart panel"}
      data-testid={`lab-chart-${id}`}
      aria-labelledby={`lab-chart-${id}-title`}
    >
      <figcaption>
        <h3 id={`lab-chart-${id}-title`}>
          {title} <span className="muted small">{unit}</span>
        </h3>
      </figcaption>
      <div className="chart lab-chart-area" ref={container} role="img" aria-label={description} />
      <ul className="legend small">
        {legend.map((line) => (
          <li key={line.key}>
            <span
              className="swatch"
              style={{
                borderColor: line.color,
                borderTopStyle: line.observed ? "dotted" : line.run === "B" ? "dashed" : undefined,
              }}
              aria-hidden="true"
            />
            {line.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
