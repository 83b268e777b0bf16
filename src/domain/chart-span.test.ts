import { describe, expect, it } from "vitest";
import { EVIDENCE_CHART_SPAN_MIN_MS as CHART_SPAN_MIN_MS, evidenceChartSpan as chartSpan } from "./chart-span.ts";

describe("the evidence chart's time span", () => {
  it("widens a second (the ring's bids) to a minute about its middle, so the bids stand together", () => {
    const from = Date.UTC(2026, 11, 7, 11, 36, 30);
    expect(chartSpan(from, from + 1000)).toEqual({ fromMs: from - 29_500, toMs: from + 30_500 });
    // A single moment: the minute centred on it.
    expect(chartSpan(from, from)).toEqual({ fromMs: from - 30_000, toMs: from + 30_000 });
  });

  it("keeps a span of a minute or more as it is (at the limit and above)", () => {
    expect(chartSpan(0, CHART_SPAN_MIN_MS)).toEqual({ fromMs: 0, toMs: CHART_SPAN_MIN_MS });
    expect(chartSpan(5, 3_600_005)).toEqual({ fromMs: 5, toMs: 3_600_005 });
    // One ms under the limit: widened by that ms, on the right (the odd one).
    expect(chartSpan(0, CHART_SPAN_MIN_MS - 1)).toEqual({ fromMs: 0, toMs: CHART_SPAN_MIN_MS });
  });
});
