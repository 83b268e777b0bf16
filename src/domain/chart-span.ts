/**
 * The time axis of a surveillance alert's evidence charts, the same in the regulator's console (web) and in the filed
 * report (reports/suspicious-transaction.ts).
 */

/** The least time an evidence chart spans (`evidenceChartSpan`). */
export const EVIDENCE_CHART_SPAN_MIN_MS = 60_000;

/**
 * The time a chart spans: the evidence's, widened to at least `EVIDENCE_CHART_SPAN_MIN_MS` about its middle, so that
 * orders entered within a second of each other (coordinated bidding's window) stand together instead of a second
 * being stretched across the chart, and none sits on its edge.
 */
export function evidenceChartSpan(fromMs: number, toMs: number): { fromMs: number; toMs: number } {
  const missing = EVIDENCE_CHART_SPAN_MIN_MS - (toMs - fromMs);
  if (missing <= 0) return { fromMs, toMs };
  return { fromMs: fromMs - Math.floor(missing / 2), toMs: toMs + Math.ceil(missing / 2) };
}
