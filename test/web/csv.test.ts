/** The CSV the terminal writes of a member's own records (web/src/csv.ts). */

import { describe, expect, it } from "vitest";
import { csvOf, isoOf } from "../../web/src/csv.ts";

describe("CSV of own records", () => {
  it("writes a header and rows, quoting what needs it", () => {
    expect(
      csvOf(
        ["id", "note", "priceTiynPerTonne", "paid"],
        [
          ["A~1", 'said "no", then yes', 13_300_000, false],
          ["A~2", null, 13_300_050, true],
        ],
      ),
    ).toBe('id,note,priceTiynPerTonne,paid\r\nA~1,"said ""no"", then yes",13300000,false\r\nA~2,,13300050,true\r\n');
  });

  it("writes times as UTC ISO 8601", () => {
    expect(isoOf(Date.UTC(2026, 0, 5, 6, 0, 0))).toBe("2026-01-05T06:00:00.000Z");
    expect(isoOf(null)).toBe("");
  });
});
