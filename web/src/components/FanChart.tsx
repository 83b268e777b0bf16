/**
 * A fan chart of an uncertainty run (`runs`): per month, the band from P10 to P90 of the drawn runs' monthly averages
 * shaded and their median (P50) drawn as a line, as the CLI's report draws them (src/simulator/charts.ts). Monthly
 * points are few, so it is plain SVG; a run of one month is drawn across the whole width. Months without a figure
 * (no trade in any run) are left out of the band and the line.
 *
 * The legend and the title are HTML beside the drawing, the figures themselves are in the drawing's `title` (read
 * under the pointer) and on the band as data attributes, for tests.
 */

import { calendarMonth, decimal } from "../format.ts";

export interface FanSeries {
  readonly p10: readonly (number | null)[];
  readonly p50: readonly (number | null)[];
  readonly p90: readonly (number | null)[];
}

const WIDTH = 320;
const HEIGHT = 150;
const PAD = { left: 58, right: 8, top: 8, bottom: 22 } as const;
const COLOR = "#1f77b4";

export function FanChart({
  id,
  title,
  unit,
  months,
  series,
  locale,
  fractionDigits,
  bandLabel,
  medianLabel,
  description,
}: {
  id: string;
  title: string;
  unit: string;
  /** YYYY-MM of each point. */
  months: readonly string[];
  series: FanSeries;
  locale: string;
  fractionDigits: number;
  bandLabel: string;
  medianLabel: string;
  description: string;
}) {
  const points = months.flatMap((month, i) => {
    const p10 = series.p10[i] ?? null;
    const p50 = series.p50[i] ?? null;
    const p90 = series.p90[i] ?? null;
    return p10 === null || p50 === null || p90 === null ? [] : [{ month, p10, p50, p90 }];
  });
  const low = Math.min(...points.map((p) => p.p10));
  const high = Math.max(...points.map((p) => p.p90));
  const span = high > low ? high - low : Math.max(1, Math.abs(high) * 0.05);
  const yMin = high > low ? low - span * 0.05 : low - span;
  const yMax = high > low ? high + span * 0.05 : high + span;
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const y = (value: number) => PAD.top + ((yMax - value) / (yMax - yMin)) * plotHeight;
  // One point is drawn at both edges, so a month's band is a rectangle and its median a level line.
  const drawn = points.length === 1 ? [points[0]!, points[0]!] : points;
  const x = (i: number) => PAD.left + (drawn.length <= 1 ? 0 : (i / (drawn.length - 1)) * plotWidth);
  const xy = (i: number, value: number) => `${x(i).toFixed(1)},${y(value).toFixed(1)}`;
  const band = [...drawn.map((p, i) => xy(i, p.p90)), ...drawn.map((p, i) => xy(i, p.p10)).reverse()].join(" ");
  const median = drawn.map((p, i) => xy(i, p.p50)).join(" ");
  const text = (value: number) => decimal(value, locale, fractionDigits);
  const figures = points
    .map((p) => `${calendarMonth(p.month, locale)}: ${text(p.p10)} · ${text(p.p50)} · ${text(p.p90)}`)
    .join("; ");
  const ticks =
    points.length === 0 ? [] : [yMax - (yMax - yMin) * 0.05, (yMin + yMax) / 2, yMin + (yMax - yMin) * 0.05];
  const labelled =
    points.length <= 1
      ? []
      : [0, Math.floor((points.length - 1) / 2), points.length - 1].filter((v, i, a) => a.indexOf(v) === i);

  return (
    <figure
      className="lab-chart lab-chart-small lab-fan panel"
      data-testid={`lab-fan-${id}`}
      aria-labelledby={`lab-fan-${id}-title`}
    >
      <figcaption>
        <h3 id={`lab-fan-${id}-title`}>
          {title} <span className="muted small">{unit}</span>
        </h3>
      </figcaption>
      <svg className="lab-fan-area" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={description}>
        <title>{figures}</title>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#eef1f4" />
            <text x={PAD.left - 4} y={y(tick) + 4} textAnchor="end" fontSize="10" fill="#28323c">
              {text(tick)}
            </text>
          </g>
        ))}
        {points.length > 0 ? (
          <>
            <polygon
              className="fan-band"
              points={band}
              fill={COLOR}
              fillOpacity={0.22}
              stroke="none"
              data-months={points.map((p) => p.month).join(",")}
              data-p10={points.map((p) => p.p10).join(",")}
              data-p50={points.map((p) => p.p50).join(",")}
              data-p90={points.map((p) => p.p90).join(",")}
            />
            <polyline className="fan-median" points={median} fill="none" stroke={COLOR} strokeWidth={2} />
          </>
        ) : null}
        {(points.length === 1 ? [0] : labelled).map((i) => (
          <text
            key={i}
            x={points.length === 1 ? PAD.left + plotWidth / 2 : x(i)}
            y={HEIGHT - 6}
            textAnchor="middle"
            fontSize="10"
            fill="#28323c"
          >
            {calendarMonth(points[i]!.month, locale)}
          </text>
        ))}
      </svg>
      <ul className="legend small">
        <li>
          <span className="swatch fan-swatch-band" style={{ borderColor: COLOR }} aria-hidden="true" />
          {bandLabel}
        </li>
        <li>
          <span className="swatch" style={{ borderColor: COLOR }} aria-hidden="true" />
          {medianLabel}
        </li>
      </ul>
    </figure>
  );
}
