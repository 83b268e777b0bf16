import { describe, expect, it } from "vitest";
import { T0 } from "../../test/support/engine-run.ts";
import { closedSession as session } from "../../test/support/session-result.ts";
import { DEFAULT_NATIONAL_WEIGHTS_TONNES_PER_MONTH, INDEX_DAYS_KEPT_MAX, PriceIndices } from "./indices.ts";
import { type InstrumentInfo, InstrumentRegistry } from "./instruments.ts";

const DAY_MS = 86_400_000;

const info = (instrument: string, basis: string, region: string, product = "propane-butane"): InstrumentInfo => ({
  instrument,
  product,
  basis,
  region,
  deliveryPeriod: "2026-01",
});

const REGISTRY = new InstrumentRegistry([
  info("PB-KAZGPZ-MANG", "KAZGPZ", "MANGYSTAU"),
  info("PB-ATYRAU-MANG", "ATYRAU-REF", "MANGYSTAU"),
  info("PB-KAZGPZ-ATYR", "KAZGPZ", "ATYRAU"),
  info("PB-NEW-MANG", "NEW-PLANT", "MANGYSTAU"),
  info("P-KAZGPZ-MANG", "KAZGPZ", "MANGYSTAU", "propane"),
]);

describe("price indices", () => {
  it("publishes basis, region and national indices of a day's sessions", () => {
    const indices = new PriceIndices({ registry: REGISTRY });
    indices.addSession(session("PB-KAZGPZ-MANG", 13_000_000, 10));
    indices.addSession(session("PB-ATYRAU-MANG", 14_000_000, 5));
    indices.addSession(session("PB-KAZGPZ-ATYR", 12_500_000, 20));
    indices.addSession(session("P-KAZGPZ-MANG", 15_000_000, 1));
    const day = "2026-01-05";
    // KAZGPZ: (130 + 250) million tenge-equivalent over 30 t = 12,666,666.67 tiyn/t.
    expect(indices.basis(day, "propane-butane", "KAZGPZ")).toEqual({
      day,
      product: "propane-butane",
      scope: "basis",
      key: "KAZGPZ",
      priceTiynPerTonne: 12_666_667,
      volumeKg: 30_000n,
      valueTiyn: 380_000_000n,
      sessions: 2,
    });
    expect(indices.basis(day, "propane-butane", "ATYRAU-REF")?.priceTiynPerTonne).toBe(14_000_000);
    expect(indices.region(day, "propane-butane", "MANGYSTAU")?.priceTiynPerTonne).toBe(13_333_333);
    expect(indices.region(day, "propane-butane", "ATYRAU")?.priceTiynPerTonne).toBe(12_500_000);
    expect(indices.index(day, "propane-butane", "basis-region", "KAZGPZ/MANGYSTAU")?.priceTiynPerTonne).toBe(
      13_000_000,
    );
    // (14,500 × 12,666,667 + 3,500 × 14,000,000) / 18,000 = 12,925,925.6
    expect(indices.national(day, "propane-butane")).toEqual({
      day,
      product: "propane-butane",
      scope: "national",
      key: "KZ",
      priceTiynPerTonne: 12_925_926,
      volumeKg: 35_000n,
      valueTiyn: 450_000_000n,
      sessions: 3,
    });
    // Products are indexed apart.
    expect(indices.national(day, "propane")?.priceTiynPerTonne).toBe(15_000_000);
    expect(indices.all(day).map((i) => `${i.product} ${i.scope} ${i.key} ${i.priceTiynPerTonne}`)).toEqual([
      "propane basis KAZGPZ 15000000",
      "propane basis-region KAZGPZ/MANGYSTAU 15000000",
      "propane national KZ 15000000",
      "propane region MANGYSTAU 15000000",
      "propane-butane basis ATYRAU-REF 14000000",
      "propane-butane basis KAZGPZ 12666667",
      "propane-butane basis-region ATYRAU-REF/MANGYSTAU 14000000",
      "propane-butane basis-region KAZGPZ/ATYRAU 12500000",
      "propane-butane basis-region KAZGPZ/MANGYSTAU 13000000",
      "propane-butane national KZ 12925926",
      "propane-butane region ATYRAU 12500000",
      "propane-butane region MANGYSTAU 13333333",
    ]);
  });

  it("takes configured weights, leaves out unweighted plants, skips undescribed instruments and empty sessions", () => {
    const indices = new PriceIndices({ registry: REGISTRY, weights: { KAZGPZ: 3, "ATYRAU-REF": 1 } });
    indices.addSession(session("PB-KAZGPZ-MANG", 13_000_000, 10));
    indices.addSession(session("PB-KAZGPZ-ATYR", 12_500_000, 20));
    indices.addSession(session("PB-ATYRAU-MANG", 14_000_000, 5));
    indices.addSession(session("PB-NEW-MANG", 20_000_000, 5));
    indices.addSession(session("UNLISTED", 99_000_000, 5));
    indices.addSession(session("PB-ATYRAU-MANG", 1, 0));
    const day = "2026-01-05";
    // (3 × 12,666,667 + 1 × 14,000,000) / 4 = 13,000,000.25
    expect(indices.national(day, "propane-butane")?.priceTiynPerTonne).toBe(13_000_000);
    expect(indices.basis(day, "propane-butane", "NEW-PLANT")?.priceTiynPerTonne).toBe(20_000_000);
    // (130 + 70 + 100) million over 20 t.
    expect(indices.region(day, "propane-butane", "MANGYSTAU")?.priceTiynPerTonne).toBe(15_000_000);
    expect(indices.unweighted(day)).toEqual(["NEW-PLANT"]);
    expect(indices.skippedSessions).toBe(1);
    expect(indices.basis(day, "propane-butane", "ATYRAU-REF")?.sessions).toBe(1);
    expect(() => new PriceIndices({ registry: REGISTRY, weights: { KAZGPZ: -1 } })).toThrow(/weights.KAZGPZ/);
    expect(() => new PriceIndices({ registry: REGISTRY, weights: { KAZGPZ: 0.5 } })).toThrow(/whole number/);
  });

  it("files a session under the local day it closed on, and finds the latest index", () => {
    const indices = new PriceIndices({ registry: REGISTRY });
    indices.addSession(session("PB-KAZGPZ-MANG", 13_000_000, 1, Date.UTC(2026, 0, 5, 18, 59)));
    indices.addSession(session("PB-KAZGPZ-MANG", 14_000_000, 1, Date.UTC(2026, 0, 5, 19, 0))); // 00:00 local
    expect(indices.basis("2026-01-05", "propane-butane", "KAZGPZ")?.priceTiynPerTonne).toBe(13_000_000);
    expect(indices.basis("2026-01-06", "propane-butane", "KAZGPZ")?.priceTiynPerTonne).toBe(14_000_000);
    indices.addSession(session("PB-ATYRAU-MANG", 12_000_000, 1, Date.UTC(2026, 0, 7, 6)));
    expect(indices.daysKept()).toEqual(["2026-01-07", "2026-01-06", "2026-01-05"]);
    expect(indices.latest("propane-butane", "basis", "KAZGPZ")?.day).toBe("2026-01-06");
    expect(indices.latest("propane-butane", "national", "KZ")?.priceTiynPerTonne).toBe(12_000_000);
    expect(indices.latest("propane", "basis", "KAZGPZ")).toBeNull();
    const utc = new PriceIndices({ registry: REGISTRY, utcOffsetMs: 0 });
    utc.addSession(session("PB-KAZGPZ-MANG", 14_000_000, 1, Date.UTC(2026, 0, 5, 19, 0)));
    expect(utc.daysKept()).toEqual(["2026-01-05"]);
  });

  it("keeps INDEX_DAYS_KEPT_MAX days", () => {
    const indices = new PriceIndices({ registry: REGISTRY });
    for (let i = 0; i <= INDEX_DAYS_KEPT_MAX; i++) {
      indices.addSession(session("PB-KAZGPZ-MANG", 13_000_000 + i, 1, T0 + i * DAY_MS));
    }
    const days = indices.daysKept();
    expect(days).toHaveLength(INDEX_DAYS_KEPT_MAX);
    expect(days.at(-1)).toBe("2026-01-06");
    expect(indices.basis("2026-01-05", "propane-butane", "KAZGPZ")).toBeNull();
    expect(indices.basis("2026-01-06", "propane-butane", "KAZGPZ")?.priceTiynPerTonne).toBe(13_000_001);
  });

  it("documents default weights that total about 130 kt a month, with Mangystau's two plants from docs/sources.md", () => {
    expect(DEFAULT_NATIONAL_WEIGHTS_TONNES_PER_MONTH.KAZGPZ).toBe(14_500);
    expect(DEFAULT_NATIONAL_WEIGHTS_TONNES_PER_MONTH["ATYRAU-REF"]).toBe(3_500);
    expect(DEFAULT_NATIONAL_WEIGHTS_TONNES_PER_MONTH.TCO).toBe(60_000);
    const total = Object.values(DEFAULT_NATIONAL_WEIGHTS_TONNES_PER_MONTH).reduce((a, b) => a + b, 0);
    expect(total).toBe(130_000);
  });
});
