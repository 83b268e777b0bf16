import { describe, expect, it } from "vitest";
import { utcDate } from "./clearinghouse.ts";

/**
 * The engine's own date arithmetic (no Date inside the engine) agrees with the platform's calendar over the calendar's
 * years, and clamps every other time to 1900-01-01 or 2199-12-31.
 */
describe("utcDate", () => {
  const FIRST = Date.UTC(1900, 0, 1);
  const LAST = Date.UTC(2199, 11, 31);
  const reference = (ms: number) => new Date(Math.max(FIRST, Math.min(LAST, ms))).toISOString().slice(0, 10);

  it("gives the same date as Date at the edges of days, months, leap years and the range", () => {
    const cases = [
      0,
      -1,
      86_399_999,
      86_400_000,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2000, 2, 1),
      Date.UTC(1900, 1, 28, 12),
      Date.UTC(1900, 2, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1),
      Date.UTC(1900, 0, 1) - 1,
      Date.UTC(2199, 11, 31, 23, 59, 59, 999),
      Date.UTC(2200, 0, 1),
      8.64e15,
      -8.64e15,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
    ];
    for (const ms of cases) expect([ms, utcDate(ms)]).toEqual([ms, reference(ms)]);
  });

  it("agrees with Date on 20,000 seeded times, inside the calendar's years and far outside them", () => {
    let state = 0x2545f491;
    const next = () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state / 2 ** 32;
    };
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.round((next() * 2 - 1) * (i % 2 === 0 ? Number.MAX_SAFE_INTEGER : 7.3e12));
      expect([ms, utcDate(ms)]).toEqual([ms, reference(ms)]);
    }
  });
});
