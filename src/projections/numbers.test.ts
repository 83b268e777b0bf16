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

  it("reads days and months from its cache exactly as Date does, in any order, across boundaries and signs", () => {
    const day = 86_400_000;
    const byDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const times: number[] = [];
    for (const base of [Date.UTC(2026, 0, 31), Date.UTC(2024, 1, 29), 0, -day, Date.UTC(1969, 11, 31), 8.64e15 - day]) {
      for (const delta of [-day - 1, -day, -1, -0.5, 0, 0.5, 1, 3_600_000, day - 1, day, day + 0.25]) {
        if (Math.abs(base + delta) <= 8.64e15) times.push(base + delta);
      }
    }
    // Forward (as records come), backward, and repeated: the cache answers only for the day it holds.
    for (const ms of [...times, ...[...times].reverse(), ...times.flatMap((t) => [t, t])]) {
      for (const offset of [0, 5 * 3_600_000, -3_600_000]) {
        if (Math.abs(ms + offset) > 8.64e15) continue;
        expect(localDay(ms, offset)).toBe(byDate(ms + offset));
        expect(localMonth(ms, offset)).toBe(byDate(ms + offset).slice(0, 7));
      }
    }
    // Outside the Date range it throws as Date does, with or without a day in the cache.
    localDay(0, 0);
    expect(() => localDay(8.64e15 + 1, 0)).toThrow(RangeError);
    expect(localDay(8.64e15, 0)).toBe(new Date(8.64e15).toISOString().slice(0, 10));
    expect(() => localDay(8.64e15 + 1, 0)).toThrow(RangeError);
    expect(() => localMonth(Number.NaN, 0)).toThrow(RangeError);
  });
});
