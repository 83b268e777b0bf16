/**
 * Resellers between regions (reseller.ts): on a two-region market whose regions each have one plant of their own, a
 * reseller trades only when the spread between the regions' prices pays the transport onward and its margin.
 */

import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readScenarioJson } from "./load.ts";
import { runScenario } from "./runner.ts";
import { parseScenario, ScenarioError } from "./scenario.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");
const TEMPLATE = readScenarioJson(join(SCENARIOS, "liberalisation-2022.json")) as Record<string, unknown>;
const MARGIN_PERCENT = 2;

/**
 * Plant CHEAP (netback 67,500) serves region LOW only, plant DEAR (netback 157,500) serves HIGH only; both 100 km away.
 * A reseller may buy on LOW's instrument and sell on to HIGH over `distanceKm` (transport 3,000 + 20 × km).
 */
function scenarioOf(resellers: unknown) {
  const plant = (id: string, logistics: number) => ({
    id,
    name: id,
    region: id === "CHEAP" ? "LOW" : "HIGH",
    outputTonnesPerMonth: 20_000,
    costTengePerTonne: 50_000,
    exportLogisticsTengePerTonne: logistics,
    exportCapacityTonnesPerMonth: 20_000,
  });
  const region = (id: string) => ({
    id,
    name: id,
    demandTonnesPerMonth: 8_000,
    retailTengePerLitre: 60,
    markupPercent: 20,
    networkSharesPercent: [60, 40],
  });
  return {
    ...TEMPLATE,
    days: 40,
    focusRegions: ["LOW", "HIGH"],
    transport: { ...(TEMPLATE.transport as object), fixedTengePerTonne: 3000, perKmTengePerTonne: 20 },
    market: {
      plants: [plant("CHEAP", 150_000), plant("DEAR", 60_000)],
      regions: [region("LOW"), region("HIGH")],
      routes: [
        { plant: "CHEAP", region: "LOW", distanceKm: 100, planTonnesPerMonth: 0 },
        { plant: "DEAR", region: "HIGH", distanceKm: 100, planTonnesPerMonth: 0 },
      ],
    },
    resellers,
  };
}

const resellers = (distanceKm: number, enabled = true) => ({
  enabled,
  lotsPerSession: 50,
  marginPercent: MARGIN_PERCENT,
  workingCapitalSessions: 20,
  links: [{ from: "LOW", to: "HIGH", distanceKm }],
});

const run = (x: unknown) => runScenario(parseScenario(scenarioOf(x)));

describe("resellers between regions", () => {
  it("buy where gas is cheap and sell where it is dear when the spread pays the transport, and only then", async () => {
    const r = await run(resellers(500));
    expect(r.resellers).toHaveLength(1);
    expect(r.resellers[0]!.tonnes).toBeGreaterThan(0);
    expect(r.resales.length).toBeGreaterThan(0);
    for (const x of r.resales) {
      // The spread (sell − buy − transport to LOW) pays the onward transport and the margin, every time.
      expect(
        x.sellTengePerTonne / (1 + MARGIN_PERCENT / 100) - x.buyTengePerTonne - x.transportTengePerTonne,
      ).toBeGreaterThanOrEqual(-0.01);
      expect(x.from).toBe("LOW");
      expect(x.to).toBe("HIGH");
    }
    // The gas reaches HIGH: it needs less from its own dear plant than without resellers.
    const none = await run(resellers(500, false));
    expect(none.resellers).toHaveLength(0);
    const dearSold = (x: typeof r) => x.producers.find((p) => p.plant === "DEAR")!.soldOnExchangeTonnes;
    expect(dearSold(r)).toBeLessThan(dearSold(none));
  });

  it("do not trade when the transport onward costs more than the spread", async () => {
    // 6,000 km onward: 123,000 tenge/t, more than the 90,000 between the netbacks (and the prices near them).
    const r = await run(resellers(6_000));
    expect(r.resellers[0]!.sessionsBid).toBe(0);
    expect(r.resellers[0]!.tonnes).toBe(0);
    expect(r.resales).toHaveLength(0);
  });

  it("a link must join two different known regions", () => {
    const bad = { ...resellers(100), links: [{ from: "LOW", to: "LOW", distanceKm: 100 }] };
    expect(() => parseScenario(scenarioOf(bad))).toThrow(ScenarioError);
    const unknown = { ...resellers(100), links: [{ from: "LOW", to: "NOWHERE", distanceKm: 100 }] };
    expect(() => parseScenario(scenarioOf(unknown))).toThrow("resellers: unknown region NOWHERE");
  });
});
