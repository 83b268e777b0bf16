/**
 * Retail margins that widen when supply is scarce (buyer.ts, `scarcityMarkup`): the stated property is that more
 * scarcity never narrows the margin — for the markup function itself, and for a network's retail price after days in
 * which it served less of its demand than an identical network did.
 */

import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Buyer, type BuyerSettings, scarcityMarkup } from "./buyer.ts";
import { readScenarioJson } from "./load.ts";
import type { MarketPort } from "./port.ts";
import { Random } from "./random.ts";
import { parseScenario } from "./scenario.ts";
import { buyerSettingsOf, demandCurveOf } from "./settings.ts";

const SCENARIO = parseScenario(
  readScenarioJson(join(resolve(import.meta.dirname, "../../scenarios"), "liberalisation-2022.json")),
);
const REGION = SCENARIO.market.regions.find((g) => g.id === "MANGYSTAU")!;
const SETTINGS: BuyerSettings = buyerSettingsOf(SCENARIO, REGION, demandCurveOf(SCENARIO));
const OPTIONS = { seed: 20_224, numRuns: 200 } as const;

/** The network never trades here: retail pricing only. */
const NO_PORT = {} as MarketPort;

const scarcitySettings = fc.record({
  extraMax: fc.double({ min: 0, max: 1, noNaN: true }),
  from: fc.double({ min: 0, max: 0.5, noNaN: true }),
  fullAt: fc.double({ min: 0.501, max: 1, noNaN: true }),
  smoothing: fc.double({ min: 0.001, max: 1, noNaN: true }),
});

describe("retail margins widen with scarcity", () => {
  it("the scenario's numbers: from 5% of demand unserved up to 10 more points of markup, in full at 20%", () => {
    expect(SETTINGS.scarcity).toEqual({ extraMax: 0.1, from: 0.05, fullAt: 0.2, smoothing: 0.2 });
    expect(scarcityMarkup(0.2, 0, SETTINGS.scarcity)).toBe(0.2);
    // The limits: nothing at 5% itself, in full at 20%, no further beyond it.
    expect(scarcityMarkup(0.2, 0.05, SETTINGS.scarcity)).toBe(0.2);
    expect(scarcityMarkup(0.2, 0.125, SETTINGS.scarcity)).toBeCloseTo(0.25, 12);
    expect(scarcityMarkup(0.2, 0.2, SETTINGS.scarcity)).toBeCloseTo(0.3, 12);
    expect(scarcityMarkup(0.2, 0.9, SETTINGS.scarcity)).toBeCloseTo(0.3, 12);
  });

  it("more scarcity never narrows the markup, which stays within [base, base + extraMax]", () => {
    fc.assert(
      fc.property(
        scarcitySettings,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (s, markup, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const m1 = scarcityMarkup(markup, low, s);
          const m2 = scarcityMarkup(markup, high, s);
          expect(m2).toBeGreaterThanOrEqual(m1);
          expect(m1).toBeGreaterThanOrEqual(markup);
          expect(m2).toBeLessThanOrEqual(markup + s.extraMax + 1e-12);
        },
      ),
      OPTIONS,
    );
  });

  it("a network that served less of its demand, day by day, never prices below an identical one that served more", () => {
    const day = fc.record({
      demand: fc.integer({ min: 1000, max: 100_000 }),
      servedA: fc.double({ min: 0, max: 1, noNaN: true }),
      less: fc.double({ min: 0, max: 1, noNaN: true }),
      boughtKg: fc.integer({ min: 0, max: 100_000 }),
      cost: fc.integer({ min: 40_000, max: 200_000 }),
    });
    fc.assert(
      fc.property(fc.array(day, { minLength: 1, maxLength: 40 }), (days) => {
        const make = (id: string) =>
          new Buyer(id, REGION.id, 1, 10_000, 40_000, 100_000, SETTINGS, NO_PORT, new Random(1, id));
        const a = make("A");
        const b = make("B");
        days.forEach((d, i) => {
          for (const x of [a, b]) x.receive(d.boughtKg, d.cost, i + 1);
          const salesA = d.demand * d.servedA;
          const salesB = salesA * (1 - d.less);
          // Same demand, B served no more than A; stock does not enter the retail price.
          a.endOfDay(d.demand, salesA, null);
          b.endOfDay(d.demand, salesB, null);
          expect(b.markup).toBeGreaterThanOrEqual(a.markup);
          expect(b.retailTengePerLitre).toBeGreaterThanOrEqual(a.retailTengePerLitre - 1e-9);
        });
      }),
      OPTIONS,
    );
  });
});
