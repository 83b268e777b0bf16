import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "./load.ts";
import {
  buyerSettingsOf,
  demandCurveOf,
  netbackOf,
  producerSettingsOf,
  routeLogisticsOf,
  unitCostAtRetail,
} from "./settings.ts";

const s = loadScenario(join(resolve(import.meta.dirname, "../../scenarios"), "safeguarded-2022.json"));

describe("agent settings from a scenario", () => {
  it("turns the producers' percentages into fractions", () => {
    expect(producerSettingsOf(s)).toEqual({
      markupStep: 0.01,
      markupMin: -0.15,
      markupMax: 0.2,
      askLadder: [-0.01, 0, 0.02],
      floorAskTengePerTonne: 30_000,
      freeVolumeReallocation: 0.2,
      storageDays: 10,
      soldOutShare: 0.98,
      slowSalesShare: 0.6,
      idleSalesShare: 0.05,
      stepDownMaxMultiple: 8,
      freeWeightMin: 0.02,
      freeSalesSmoothing: 0.3,
      exportKeepSessions: 1.5,
      strandedStorageShare: 0.5,
      initialSessionsPerMonth: 21,
      learning: null,
    });
  });

  it("gives a region's networks its markup and retail price, and the shared bidding and demand rules", () => {
    const curve = demandCurveOf(s);
    expect(curve).toEqual({ elasticity: -0.25, petrolParityTengePerLitre: 150, elasticityAboveParity: -2 });
    const settings = buyerSettingsOf(s, { markupPercent: 20, retailTengePerLitre: 55 }, curve);
    expect(settings).toMatchObject({
      markup: 0.2,
      stationCostTengePerLitre: 10,
      minMarkup: 0.05,
      bidGrid: [-0.04, -0.02, 0, 0.02, 0.05, 0.1],
      densityKgPerLitre: 0.543,
      referenceRetailTengePerLitre: 55,
      offerShareMultiple: 1.5,
      switchPremium: 0.02,
      bidJitter: 0.005,
    });
    // (55 − 10) tenge/l at 0.543 kg/l is 82,873 tenge/t with the markup; 69,061 without it.
    expect(Math.round(unitCostAtRetail(55, settings))).toBe(69_061);
  });

  it("prices a route's transport and transit, and a plant's export netback", () => {
    expect(routeLogisticsOf(s, 900)).toEqual({ costTengePerTonne: 10_200, transitDays: 2 });
    expect(routeLogisticsOf(s, 15)).toEqual({ costTengePerTonne: 3_120, transitDays: 1 });
    const kazgpz = s.market.plants.find((p) => p.id === "KAZGPZ")!;
    // $500/t × 435 tenge/$ less 92,500 tenge/t of rail and port.
    expect(netbackOf(s, kazgpz)).toBe(125_000);
  });
});
