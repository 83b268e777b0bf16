/**
 * What a finished policy lab run returns: the simulator's own result structures (daily series per region and for the
 * nation, the monthly table, producers, engine figures), its comparison summary (`variantSummary`, as the CLI's
 * sweeps report it) and the run's totals as numbers, so the browser can label them in its own language. Left out: the
 * per-session rows (one per instrument and trading day, the bulk of a year's result, not needed for the charts) and
 * the list of assumptions (the scenario listing carries the notes that matter to the page).
 *
 * Pure: the same simulation result gives the same value. Built on the worker thread, so the main thread only passes
 * the finished JSON text along.
 */

import type { SimulationResult } from "../../simulator/results.ts";
import { type VariantSummary, variantSummary } from "../../simulator/summary.ts";
import type { UncertaintyReport } from "../../simulator/uncertainty.ts";

export interface LabTotals {
  readonly days: number;
  readonly tradingDays: number;
  readonly exchangeTonnes: number;
  readonly averageWholesaleTengePerTonne: number | null;
  readonly exportTonnes: number;
  readonly curtailedTonnes: number;
  readonly demandTonnes: number;
  readonly shortageTonnes: number;
  readonly shortagePercent: number;
  readonly averageRetailTengePerLitre: number;
}

export interface LabResult {
  readonly summary: VariantSummary;
  readonly totals: LabTotals;
  readonly scenario: SimulationResult["scenario"];
  readonly regions: SimulationResult["regions"];
  readonly dates: SimulationResult["dates"];
  readonly tradingDays: SimulationResult["tradingDays"];
  readonly regionSeries: SimulationResult["regionSeries"];
  readonly national: SimulationResult["national"];
  readonly monthly: SimulationResult["monthly"];
  readonly producers: SimulationResult["producers"];
  readonly engine: SimulationResult["engine"];
  /** The scenario's observations beside the model's figures (empty when it lists none). */
  readonly validation: SimulationResult["validation"];
  /** Which constraint binds, per month and region. */
  readonly constraints: SimulationResult["constraints"];
  /**
   * With `runs`: the spread over the drawn runs, shaped as the CLI's uncertainty.json (simulator/uncertainty.ts);
   * absent for one deterministic run.
   */
  readonly uncertainty?: UncertaintyReport;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** Sums of fixed-decimal series carry floating-point dust; totals are shown to the kilogram. */
const tonnes = (x: number) => Math.round(x * 1000) / 1000;

export function labTotals(r: SimulationResult): LabTotals {
  const n = r.national;
  const demand = sum(n.demandTonnes);
  const shortage = sum(n.shortageTonnes);
  return {
    days: r.dates.length,
    tradingDays: r.tradingDays.filter(Boolean).length,
    exchangeTonnes: tonnes(sum(n.exchangeTonnes)),
    averageWholesaleTengePerTonne: variantSummary(r).averageWholesaleTengePerTonne,
    exportTonnes: tonnes(sum(n.exportTonnes)),
    curtailedTonnes: tonnes(sum(n.curtailedTonnes)),
    demandTonnes: tonnes(demand),
    shortageTonnes: tonnes(shortage),
    shortagePercent: demand > 0 ? Math.round((10_000 * shortage) / demand) / 100 : 0,
    averageRetailTengePerLitre: Math.round((100 * sum(n.retailTengePerLitre)) / r.dates.length) / 100,
  };
}

export function labResult(r: SimulationResult, uncertainty: UncertaintyReport | null = null): LabResult {
  return {
    summary: variantSummary(r),
    totals: labTotals(r),
    scenario: r.scenario,
    regions: r.regions,
    dates: r.dates,
    tradingDays: r.tradingDays,
    regionSeries: r.regionSeries,
    national: r.national,
    monthly: r.monthly,
    producers: r.producers,
    engine: r.engine,
    validation: r.validation,
    constraints: r.constraints,
    ...(uncertainty === null ? {} : { uncertainty }),
  };
}
