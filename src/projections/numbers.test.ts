import { describe, expect, it } from "vitest";
import {
  averagePriceTiynPerTonne,
  checkUtcOffset,
  divideRoundHalfUp,
  isoUtc,
  localDay,
  localMonth,
  tiynOfMilliTiyn,
  tradeValueMilliTiyn,
} from "./numbers.ts";

describe("exact numbers", () => {
  it("rounds quotients to the nearest integer, halves up", () => {
    expect([7n, 5n, 3n, 2n].map((n) => divideRoundHalfUp(n, 2n))).toEqual([4n, 3n, 2n, 1n]);
    expect(divideRoundHalfUp(10n, 3n)).toBe(3n);
    expect(divideRoundHalfUp(11n, 3n)).toBe(4n);
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(/rounding/);
  });

  it("values trades beyond 2^53 exactly and averages them", () => {
    // 1,000,000,000 tiyn/t × 1,000,000,000 kg: a product a JavaScript number cannot hold exactly.
    expect(tradeValueMilliTiyn(1_000_000_000, 999_999_999)).toBe(999_999_999_000_000_000n);
    expect(tiynOfMilliTiyn(500n)).toBe(1n); // half a tiyn rounds up
    expect(tiynOfMilliTiyn(499n)).toBe(0n);
    expect(averagePriceTiynPerTonne(200_001_000n, 2000n)).toBe(100_001); // 100,000.5
    expect(averagePriceTiynPerTonne(0n, 0n)).toBeNull();
  });

  it("reads local days and months at the exchange's offset, and UTC text", () => {
    const evening = Date.UTC(2026, 0, 31, 19, 0); // midnight in Kazakhstan (UTC+5)
    expect(localDay(evening - 1, 5 * 3_600_000)).toBe("2026-01-31");
    expect(localDay(evening, 5 * 3_600_000)).toBe("2026-02-01");
    expect(localMonth(evening, 5 * 3_600_000)).toBe("2026-02");
    expect(localMonth(evening, 0)).toBe("2026-01");
    expect(isoUtc(evening)).toBe("2026-01-31T19:00:00.000Z");
    expect(checkUtcOffset(-3_600_000)).toBe(-3_600_000);
    expect(() => checkUtcOffset(15 * 3_600_000)).toThrow(/within ±14 h/);
  });
});
