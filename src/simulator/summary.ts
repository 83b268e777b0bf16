/**
 * Figures that summarise a run for comparisons and sweeps: the national totals and, for each focus region, the
 * first month's average wholesale and retail price and the run's unmet demand.
 */

import type { SimulationResult } from "./results.ts";

export interface VariantSummary {
  readonly scenario: string;
  readonly stateHash: string;
  readonly averageWholesaleTengePerTonne: number | null;
  readonly exportTonnes: number;
  readonly shortagePercent: number;
  readonly regions: readonly {
    readonly region: string;
    readonly firstMonthWholesaleTengePerTonne: number | null;
    readonly firstMonthRetailTengePerLitre: number;
    readonly peakRetailTengePerLitre: number;
    readonly shortagePercent: number;
  }[];
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function variantSummary(r: SimulationResult): VariantSummary {
  let kg = 0;
  let value = 0;
  r.dates.forEach((_, i) => {
    const t = r.national.exchangeTonnes[i]!;
    if (t > 0) {
      kg += t;
      value += t * r.national.wholesaleTengePerTonne[i]!;
    }
  });
  const firstMonth = r.dates[0]!.slice(0, 7);
  return {
    scenario: r.scenario.name,
    stateHash: r.engine.stateHash,
    averageWholesaleTengePerTonne: kg > 0 ? Math.round(value / kg) : null,
    exportTonnes: sum(r.national.exportTonnes),
    shortagePercent: Math.round((10_000 * sum(r.national.shortageTonnes)) / sum(r.national.demandTonnes)) / 100,
    regions: r.scenario.focusRegions.map((g) => {
      const month = r.monthly.find((m) => m.month === firstMonth && m.region === g)!;
      const x = r.regionSeries[g]!;
      return {
        region: g,
        firstMonthWholesaleTengePerTonne: month.wholesaleTengePerTonne,
        firstMonthRetailTengePerLitre: month.retailTengePerLitre,
        peakRetailTengePerLitre: Math.max(...x.retailTengePerLitre),
        shortagePercent: Math.round((10_000 * sum(x.shortageTonnes)) / sum(x.demandTonnes)) / 100,
      };
    }),
  };
}
