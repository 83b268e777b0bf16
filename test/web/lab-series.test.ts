import { describe, expect, it } from "vitest";
import { weekMean } from "../../web/src/lab-series.ts";

describe("the Policy lab's volumes: the mean of the 7 days ending on each day", () => {
  it("turns a weekday sawtooth into its weekly level, with fewer days at the run's start", () => {
    // Five working days of 70 t and a weekend with no sessions, twice.
    const daily = [70, 70, 70, 70, 70, 0, 0, 70, 70, 70, 70, 70, 0, 0];
    expect(weekMean(daily)).toEqual([70, 70, 70, 70, 70, 350 / 6, 50, 50, 50, 50, 50, 50, 50, 50]);
  });

  it("is the day itself on the first day, and an empty run stays empty", () => {
    expect(weekMean([12.5])).toEqual([12.5]);
    expect(weekMean([])).toEqual([]);
  });
});
