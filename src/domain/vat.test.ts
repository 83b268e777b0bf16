/**
 * VAT arithmetic and the BIN check (vat.ts), table-driven: the half-up rounding at its edges, the rate limits at
 * their limits, exact results past 2^53, and the display of tiyn and kilograms.
 */

import { describe, expect, it } from "vitest";
import { isBin, tengeText, tonnesText, VAT_RATE_BPS_MAX, vatTiyn } from "./vat.ts";

describe("vatTiyn", () => {
  it.each([
    // value tiyn, rate bps, VAT tiyn
    [66_500_000, 1200, 7_980_000n], // 5 t at 133,000 tenge: 79,800.00 tenge
    [0, 1200, 0n],
    [1, 1200, 0n], // 0.12 tiyn rounds down
    [4, 1250, 1n], // 0.5 tiyn: a half rounds up
    [3, 1250, 0n], // 0.375 rounds down
    [13_300_100, 1250, 1_662_513n], // 1,662,512.5 rounds up
    [100, 0, 0n],
    [100, VAT_RATE_BPS_MAX, 50n],
  ] as const)("VAT on %s tiyn at %s bps is %s tiyn", (value, rate, expected) => {
    expect(vatTiyn(value, rate)).toBe(expected);
  });

  it("is exact past 2^53", () => {
    const value = 2n ** 60n + 1n;
    expect(vatTiyn(value, 1200)).toBe((value * 1200n + 5000n) / 10_000n);
  });

  it("refuses a rate outside 0..VAT_RATE_BPS_MAX and a negative value", () => {
    expect(() => vatTiyn(100, VAT_RATE_BPS_MAX + 1)).toThrow(RangeError);
    expect(() => vatTiyn(100, -1)).toThrow(RangeError);
    expect(() => vatTiyn(100, 12.5)).toThrow(RangeError);
    expect(() => vatTiyn(-1, 1200)).toThrow(RangeError);
  });
});

describe("isBin", () => {
  it.each([
    ["080540012345", true],
    ["000000000000", true],
    ["08054001234", false], // 11 digits
    ["0805400123456", false], // 13 digits
    ["08054001234a", false],
    [" 80540012345", false],
    [80540012345, false],
    [null, false],
  ] as const)("%s → %s", (value, expected) => {
    expect(isBin(value)).toBe(expected);
  });
});

describe("display", () => {
  it("writes tiyn as tenge with two decimals and kg as tonnes with three", () => {
    expect(tengeText(7_980_000n)).toBe("79800.00");
    expect(tengeText(5)).toBe("0.05");
    expect(tengeText(-105)).toBe("-1.05");
    expect(tonnesText(5000)).toBe("5.000");
    expect(tonnesText(1)).toBe("0.001");
  });
});
