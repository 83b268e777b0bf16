/**
 * Which limit leaves one price that can trade (web/src/order-checks.ts `pinnedBy`), on the rows of docs/market-rules.md's
 * table: the page says "trades only at …" for these, not a band of one price.
 */

import { describe, expect, it } from "vitest";
import { pinnedBy, type ShownLimits } from "../../web/src/order-checks.ts";

const STATIC = { low: 12_000_000, high: 14_000_000 };
const limits = (
  band: { low: number; high: number } | null,
  ceiling: number | null,
  floor: number | null,
): ShownLimits => ({
  band,
  staticBand: band === null ? null : STATIC,
  ceiling,
  floor,
  maxLotsPerOrder: null,
});

describe("a limit that leaves one price", () => {
  it("is the ceiling at or below the band's low, the floor at or above its high, and nothing else", () => {
    expect(pinnedBy(limits(STATIC, null, null))).toBeNull();
    expect(pinnedBy(limits({ low: 12_000_000, high: 13_000_000 }, 13_000_000, null))).toBeNull();
    expect(pinnedBy(limits({ low: 11_000_000, high: 11_000_000 }, 11_000_000, null))).toBe("ceiling");
    expect(pinnedBy(limits({ low: 12_000_000, high: 12_000_000 }, 12_000_000, null))).toBe("ceiling");
    expect(pinnedBy(limits({ low: 15_000_000, high: 15_000_000 }, null, 15_000_000))).toBe("floor");
    expect(pinnedBy(limits({ low: 14_000_000, high: 14_000_000 }, null, 14_000_000))).toBe("floor");
    expect(pinnedBy(limits(null, 11_000_000, null))).toBeNull();
  });
});
