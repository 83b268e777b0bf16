import { describe, expect, it } from "vitest";
import { DEFAULT_NATIONAL_WEIGHTS_TONNES_PER_MONTH, PriceIndices } from "../projections/indices.ts";
import { InstrumentRegistry } from "../projections/instruments.ts";
import type { SessionResult } from "../projections/sessions.ts";
import { PRODUCERS } from "./world.ts";

const END_MS = Date.UTC(2026, 0, 5, 9, 0);

function session(instrument: string, priceTiynPerTonne: number, tonnes: number): SessionResult {
  const volumeKg = BigInt(tonnes * 1000);
  const valueMilliTiyn = BigInt(priceTiynPerTonne) * volumeKg;
  return {
    instrument,
    session: 1,
    startSeq: 1,
    startMs: END_MS - 3_600_000,
    endSeq: 2,
    endMs: END_MS,
    referencePriceTiynPerTonne: null,
    openTiynPerTonne: priceTiynPerTonne,
    highTiynPerTonne: priceTiynPerTonne,
    lowTiynPerTonne: priceTiynPerTonne,
    closeTiynPerTonne: priceTiynPerTonne,
    vwapTiynPerTonne: priceTiynPerTonne,
    trades: 1,
    volumeKg,
    valueMilliTiyn,
    valueTiyn: valueMilliTiyn / 1000n,
    offeredKg: volumeKg,
    bidKg: volumeKg,
    buyers: 1,
    sellers: 1,
  };
}

describe("the demo market's plants and the national index weights", () => {
  it("weights every plant the demo lists instruments for, under the basis id the instruments carry", () => {
    const bases = [...new Set(PRODUCERS.map((p) => p.basis))].sort();
    expect(bases.filter((basis) => (DEFAULT_NATIONAL_WEIGHTS_TONNES_PER_MONTH[basis] ?? 0) <= 0)).toEqual([]);
  });

  it("publishes a national index over several plants' trades with their default weights", () => {
    const registry = new InstrumentRegistry(
      PRODUCERS.map((p) => ({
        instrument: `PB-${p.account}`,
        product: "propane-butane",
        basis: p.basis,
        region: p.routes[0]?.region ?? "KZ",
        deliveryPeriod: "2026-01",
      })),
    );
    const indices = new PriceIndices({ registry });
    indices.addSession(session("PB-KAZGPZ-1", 13_000_000, 10));
    indices.addSession(session("PB-TCO-1", 13_100_000, 30));
    indices.addSession(session("PB-SHYMKENT-REF-1", 14_000_000, 5));
    const national = indices.national("2026-01-05", "propane-butane");
    // (14,500 × 13,000,000 + 60,000 × 13,100,000 + 10,000 × 14,000,000) / 84,500 = 13,189,349.11… → 13,189,349.
    expect(national).toMatchObject({ priceTiynPerTonne: 13_189_349, volumeKg: 45_000n, sessions: 3 });
    expect(indices.unweighted("2026-01-05")).toEqual([]);
  });
});
