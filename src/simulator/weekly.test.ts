import { describe, expect, it } from "vitest";
import { weekly } from "./output.ts";

describe("weekly volumes for the report's charts", () => {
  it("sums Monday to Sunday, labels each week by its Monday, and sums a cut week's own days", () => {
    // 2021-12-30 is a Thursday: Thu–Sun fall in the week of Monday 27 December, Mon–Tue in the week of 3 January.
    const dates = ["2021-12-30", "2021-12-31", "2022-01-01", "2022-01-02", "2022-01-03", "2022-01-04"];
    const { dates: weeks, sums } = weekly(dates, [
      [1, 2, 3, 4, 5, 6],
      [0.25, 0.25, 0, 0, 1.04, 0],
    ]);
    expect(weeks).toEqual(["2021-12-27", "2022-01-03"]);
    expect(sums).toEqual([
      [10, 11],
      [0.5, 1],
    ]);
  });

  it("counts a series shorter than the dates (the shorter run of a comparison) as nothing on the missing days", () => {
    const { sums } = weekly(["2022-01-03", "2022-01-04", "2022-01-10"], [[7, 8, 9], [7]]);
    expect(sums).toEqual([
      [15, 9],
      [7, 0],
    ]);
  });
});
