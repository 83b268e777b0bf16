/** The checks the order ticket and the amend row share (web/src/order-checks.ts), at their limits, in English. */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { interpolate, lookup } from "../../web/src/i18n/lookup.ts";
import { amendUnchanged, checkExpiry, checkPrice, checkQuantity, type OrderGrid } from "../../web/src/order-checks.ts";

const en: unknown = JSON.parse(readFileSync(new URL("../../web/src/i18n/en.json", import.meta.url), "utf8"));
const words = {
  locale: "en",
  t: (key: string, params?: Readonly<Record<string, string | number>>) => interpolate(lookup(en, key) ?? key, params),
};
// Tick 1 ₸/t, lot 1 t, band 126,000–140,000 ₸/t, ceiling 139,000 ₸/t, at most 3 lots per order.
const grid: OrderGrid = {
  tickTiynPerTonne: 100,
  lotKg: 1_000,
  limits: { band: { low: 12_600_000, high: 14_000_000 }, ceiling: 13_900_000, floor: null, maxLotsPerOrder: 3 },
};

describe("the order form's shared checks", () => {
  it("takes a price at the band's edge and warns of one tick beyond, without refusing it", () => {
    expect(checkPrice(words, "126000", grid)).toEqual({ price: 12_600_000, refusals: [], warnings: [] });
    expect(checkPrice(words, "125999", grid)).toEqual({
      price: 12_599_900,
      refusals: [],
      warnings: ["Outside today's price band 126,000–140,000 ₸/t: the exchange will refuse it."],
    });
    expect(checkPrice(words, "139000", grid).warnings).toEqual([]);
    expect(checkPrice(words, "139001", grid).warnings).toEqual([
      "Above the price ceiling 139,000 ₸/t: the exchange will refuse it.",
    ]);
  });

  it("refuses a price off the tick, and names the band with the range for a negative one", () => {
    expect(checkPrice(words, "130000.5", grid).refusals).toEqual([
      "Price 130,000.50 ₸/t is off the tick: prices go in steps of 1 ₸/t, quantities in lots of 1 t.",
    ]);
    expect(checkPrice(words, "-3", grid).refusals).toEqual([
      "The price must be from 1 to 10,000,000 ₸/t; today's price band is 126,000–140,000 ₸/t.",
    ]);
    expect(checkPrice(words, "", grid)).toEqual({ price: null, refusals: [], warnings: [] });
  });

  it("says a price past the tiyn or a quantity past the kilogram is too precise, not out of range", () => {
    expect(checkPrice(words, "130000.123", grid)).toEqual({
      price: null,
      refusals: ["“130000.123” has more than two decimals: a price in tenge per tonne goes down to the tiyn at most."],
      warnings: [],
    });
    expect(checkQuantity(words, "1.2345", "sell", grid)).toEqual({
      quantity: null,
      refusals: ["“1.2345” has more than three decimals: a quantity is counted to the kilogram at most."],
    });
    // In Kazakh (decimal comma) "130000.123" could be 130,000,123 or 130,000.123: said so, with the comma to use.
    const kk: unknown = JSON.parse(readFileSync(new URL("../../web/src/i18n/kk.json", import.meta.url), "utf8"));
    const kazakh = {
      locale: "kk",
      t: (key: string, params?: Readonly<Record<string, string | number>>) =>
        interpolate(lookup(kk, key) ?? key, params),
    };
    expect(checkPrice(kazakh, "130000.123", grid).refusals).toEqual([
      "«130000.123» екі түрлі оқылуы мүмкін; бөлшек бөлігін «,» белгісінен кейін, разряд бөлгішсіз жазыңыз немесе бүтін сан жазыңыз.",
    ]);
  });

  it("says the most an order may hold for a quantity too large to read exactly, as for one just over it", () => {
    const over = checkQuantity(words, "1000001", "sell", grid);
    expect(over.refusals).toEqual(["At most 1,000,000 t in one order."]);
    expect(checkQuantity(words, "9999999999999999", "sell", grid)).toEqual({ quantity: null, refusals: over.refusals });
  });

  it("takes a buy of the regulator's most lots and refuses one lot more; a sell is not bound by it", () => {
    expect(checkQuantity(words, "3", "buy", grid)).toEqual({ quantity: 3_000, refusals: [] });
    expect(checkQuantity(words, "4", "buy", grid).refusals).toEqual([
      "The order is 4 t (4 lots); the regulator allows at most 3 lots (3 t) in one order on this instrument.",
    ]);
    expect(checkQuantity(words, "4", "sell", grid)).toEqual({ quantity: 4_000, refusals: [] });
    expect(checkQuantity(words, "0", "sell", grid).refusals).toEqual(["The quantity must be more than zero tonnes."]);
    expect(checkQuantity(words, "1.5", "sell", grid).refusals).toEqual([
      "Quantity 1.5 t is not a whole number of lots: quantities go in lots of 1 t, prices in steps of 1 ₸/t.",
    ]);
  });

  it("refuses a good-till-date expiry at or before now, read in exchange time (UTC+5), and an empty one", () => {
    const nowMs = Date.parse("2026-01-05T11:00:00+05:00");
    expect(checkExpiry(words, "", nowMs)).toEqual({
      expireAtMs: null,
      refusals: ["Good till date needs the date and time it expires."],
    });
    expect(checkExpiry(words, "2026-01-05T11:00", nowMs)).toEqual({
      expireAtMs: nowMs,
      refusals: ["The expiry 2026-01-05 11:00 (Kazakhstan time) has already passed: choose a later date and time."],
    });
    expect(checkExpiry(words, "2026-01-05T11:01", nowMs)).toEqual({ expireAtMs: nowMs + 60_000, refusals: [] });
    expect(checkExpiry(words, "2026-01-05T11:00:30", nowMs).refusals).toEqual([]);
  });

  it("says an amend whose price and quantity are the order's own changes nothing; one that differs is not said", () => {
    const order = { priceTiynPerTonne: 13_000_000, openKg: 10_000 };
    expect(amendUnchanged(words, order, 13_000_000, 10_000)).toBe(
      "The price and the quantity are the order's own: change one of them to amend it.",
    );
    expect(amendUnchanged(words, order, 13_000_100, 10_000)).toBeNull();
    expect(amendUnchanged(words, order, 13_000_000, 9_000)).toBeNull();
    expect(amendUnchanged(words, order, null, 10_000)).toBeNull();
  });
});
