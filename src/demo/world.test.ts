import { describe, expect, it } from "vitest";
import { closedSession } from "../../test/support/session-result.ts";
import { DEFAULT_NATIONAL_WEIGHTS_TONNES_PER_MONTH, PriceIndices } from "../projections/indices.ts";
import { InstrumentRegistry } from "../projections/instruments.ts";
import { PRODUCERS } from "./world.ts";

/** 14:00 in Almaty on Monday 5 January 2026, when the sessions close. */
const END_MS = Date.UTC(2026, 0, 5, 9, 0);

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
    indices.addSession(closedSession("PB-KAZGPZ-1", 13_000_000, 10, END_MS));
    indices.addSession(closedSession("PB-TCO-1", 13_100_000, 30, END_MS));
    indices.addSession(closedSession("PB-SHYMKENT-REF-1", 14_000_000, 5, END_MS));
    const national = indices.national("2026-01-05", "propane-butane");
    // (14,500 × 13,000,000 + 60,000 × 13,100,000 + 10,000 × 14,000,000) / 84,500 = 13,189,349.11… → 13,189,349.
    expect(national).toMatchObject({ priceTiynPerTonne: 13_189_349, volumeKg: 45_000n, sessions: 3 });
    expect(indices.unweighted("2026-01-05")).toEqual([]);
  });
});
