/**
 * From a scenario to the agents' settings: the producers' offer strategy, the filling-station networks' bidding and
 * retail pricing in a region, the drivers' demand curve, and the logistics of a route. The policy lab's runner and the
 * demo market (src/demo) build their agents through these functions, so both drive the same model of market
 * behaviour with the same numbers.
 *
 * Promise: pure functions of their arguments (percentages become fractions here and nowhere else), evaluated in a
 * fixed order of operations, so the lab's results stay byte-identical whoever builds its agents.
 */

import type { BuyerSettings } from "./buyer.ts";
import type { DemandCurve } from "./drivers.ts";
import type { ProducerSettings } from "./producer.ts";
import type { Plant, Scenario } from "./scenario.ts";

export function producerSettingsOf(s: Scenario): ProducerSettings {
  return {
    markupStep: s.producers.markupStepPercent / 100,
    markupMin: s.producers.markupMinPercent / 100,
    markupMax: s.producers.markupMaxPercent / 100,
    askLadder: s.producers.askLadderPercent.map((x) => x / 100),
    floorAskTengePerTonne: s.producers.floorAskTengePerTonne,
    freeVolumeReallocation: s.producers.freeVolumeReallocation,
    storageDays: s.producers.storageDays,
    soldOutShare: s.producers.soldOutPercent / 100,
    slowSalesShare: s.producers.slowSalesPercent / 100,
    idleSalesShare: s.producers.idleSalesPercent / 100,
    stepDownMaxMultiple: s.producers.stepDownMaxMultiple,
    freeWeightMin: s.producers.freeWeightMinPercent / 100,
    freeSalesSmoothing: s.producers.freeSalesSmoothing,
    exportKeepSessions: s.producers.exportKeepSessions,
    strandedStorageShare: s.producers.strandedStoragePercent / 100,
    initialSessionsPerMonth: s.producers.initialSessionsPerMonth,
    learning:
      s.producers.learning === null
        ? null
        : {
            markups: s.producers.learning.markupsPercent.map((x) => x / 100),
            epsilon: s.producers.learning.epsilon,
            recencyWeight: s.producers.learning.recencyWeight,
            seed: s.seed,
          },
  };
}

export function demandCurveOf(s: Scenario): DemandCurve {
  return {
    elasticity: s.drivers.elasticity,
    petrolParityTengePerLitre: s.drivers.petrolParityTengePerLitre,
    elasticityAboveParity: s.drivers.elasticityAboveParity,
  };
}

/** What sets one region's networks apart: their markup and the retail price their drivers are used to. */
export interface RegionRetail {
  readonly markupPercent: number;
  readonly retailTengePerLitre: number;
}

export function buyerSettingsOf(s: Scenario, region: RegionRetail, curve: DemandCurve): BuyerSettings {
  return {
    markup: region.markupPercent / 100,
    stationCostTengePerLitre: s.buyers.stationCostTengePerLitre,
    minMarkup: s.buyers.minMarkupPercent / 100,
    passThroughUp: s.buyers.passThroughUpPerDay,
    passThroughDown: s.buyers.passThroughDownPerDay,
    costWindowSessions: s.buyers.costWindowSessions,
    safetyStockDays: s.buyers.safetyStockDays,
    bidGrid: s.buyers.bidGridPercent.map((x) => x / 100),
    demandSmoothing: s.buyers.demandSmoothing,
    densityKgPerLitre: s.densityKgPerLitre,
    curve,
    referenceRetailTengePerLitre: region.retailTengePerLitre,
    offerShareMultiple: s.buyers.offerShareMultiple,
    switchPremium: s.buyers.switchPremiumPercent / 100,
    bidJitter: s.buyers.bidJitterPercent / 100,
    scarcity: {
      extraMax: s.buyers.scarcityMarkup.extraMaxPercent / 100,
      from: s.buyers.scarcityMarkup.fromUnmetPercent / 100,
      fullAt: s.buyers.scarcityMarkup.fullAtUnmetPercent / 100,
      smoothing: s.buyers.scarcityMarkup.smoothing,
    },
  };
}

/** The delivered unit cost (tenge per tonne) at which a network's retail price is `retailTengePerLitre`. */
export function unitCostAtRetail(retailTengePerLitre: number, settings: BuyerSettings): number {
  return (
    (((retailTengePerLitre - settings.stationCostTengePerLitre) / settings.densityKgPerLitre) * 1000) /
    (1 + settings.markup)
  );
}

/** Transport cost and transit time from a plant to a region `distanceKm` away. */
export function routeLogisticsOf(
  s: Scenario,
  distanceKm: number,
): { readonly costTengePerTonne: number; readonly transitDays: number } {
  return {
    costTengePerTonne: s.transport.fixedTengePerTonne + s.transport.perKmTengePerTonne * distanceKm,
    transitDays: Math.max(1, Math.ceil(distanceKm / s.transport.kmPerDay)),
  };
}

/** Export parity less the plant's rail and port costs: what a tonne exported earns the plant. */
export function netbackOf(s: Scenario, plant: Plant): number {
  const exportParity = s.exportParityUsdPerTonne * s.tengePerUsd;
  return exportParity - plant.exportLogisticsTengePerTonne;
}
