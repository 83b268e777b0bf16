/**
 * Calibration and the model's stated properties (docs/policy-lab.md). Observed figures are from docs/sources.md; each test
 * names the property it checks. Tests that restated the code's own floors and caps (prices under the ceiling and in
 * the band, pumps under their cap, the price at or above the netback floor) gave way to the monotone properties over
 * random markets in properties.test.ts; the engine's own tests hold the ceiling and the band. Runs are shortened to the months the property concerns: the model is causal, so the
 * first N days of a run do not depend on its length.
 */

import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadScenario } from "./load.ts";
import type { SimulationResult } from "./results.ts";
import { runScenario } from "./runner.ts";
import type { Scenario } from "./scenario.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");
const scenario = (name: string, days: number): Scenario => ({ ...loadScenario(join(SCENARIOS, `${name}.json`)), days });
const month = (r: SimulationResult, m: string, region: string) =>
  r.monthly.find((row) => row.month === m && row.region === region)!;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const at = (r: SimulationResult, date: string) => r.dates.indexOf(date);

const OBSERVED_MANGYSTAU_JANUARY_2022_TENGE_PER_TONNE = 133_126;

let liberalisation: SimulationResult;
let safeguarded: SimulationResult;
let freeze: SimulationResult;
let baseline: SimulationResult;
let actual: SimulationResult;

beforeAll(async () => {
  liberalisation = await runScenario(scenario("liberalisation-2022", 59));
  safeguarded = await runScenario(scenario("safeguarded-2022", 59));
  freeze = await runScenario(scenario("retail-freeze-50", 59));
  baseline = await runScenario(scenario("baseline-2021", 365));
  actual = await runScenario(scenario("january-2022-actual", 40));
});

describe("liberalisation-2022 reproduces January 2022", () => {
  // Density is the product standard's (0.543 kg/l, GOST 27578-2018 grade PBA), no longer the 0.586 implied by the
  // January figures: the model's January retail is now about 5% below the observed 100-120 (docs/policy-lab.md).
  it("Mangystau retail starts at 50-60 tenge/l and rises by at least 60% within the first week, peaking at 90-125", () => {
    const retail = liberalisation.regionSeries.MANGYSTAU!.retailTengePerLitre;
    const first = retail[at(liberalisation, "2022-01-01")]!;
    expect(first).toBeGreaterThanOrEqual(50);
    expect(first).toBeLessThanOrEqual(60);
    const seventh = retail[at(liberalisation, "2022-01-07")]!;
    expect(seventh / first).toBeGreaterThanOrEqual(1.6);
    expect(seventh).toBeLessThanOrEqual(125);
    const januaryPeak = Math.max(...retail.slice(0, 31));
    expect(januaryPeak).toBeGreaterThanOrEqual(90);
    expect(januaryPeak).toBeLessThanOrEqual(125);
  });

  it("the January wholesale average for Mangystau lands within 10% of 133,126 tenge/t", () => {
    const average = month(liberalisation, "2022-01", "MANGYSTAU").wholesaleTengePerTonne!;
    expect(
      Math.abs(average - OBSERVED_MANGYSTAU_JANUARY_2022_TENGE_PER_TONNE) /
        OBSERVED_MANGYSTAU_JANUARY_2022_TENGE_PER_TONNE,
    ).toBeLessThan(0.1);
  });
});

describe("baseline-2021 stays near the 2021 retail prices", () => {
  it("Mangystau retail stays within 45-65 tenge/l every month (observed 50-60)", () => {
    for (const row of baseline.monthly.filter((m) => m.region === "MANGYSTAU")) {
      expect(row.retailTengePerLitre, row.month).toBeGreaterThanOrEqual(45);
      expect(row.retailTengePerLitre, row.month).toBeLessThanOrEqual(65);
    }
  });

  it("the capital and West Kazakhstan stay within 55-90 tenge/l (observed 70-78 and 82)", () => {
    for (const region of ["ASTANA", "WKO"]) {
      for (const row of baseline.monthly.filter((m) => m.region === region)) {
        expect(row.retailTengePerLitre, `${region} ${row.month}`).toBeGreaterThanOrEqual(55);
        expect(row.retailTengePerLitre, `${region} ${row.month}`).toBeLessThanOrEqual(90);
      }
    }
  });

  it("the year's exchange price averages 60,000-130,000 tenge/t (observed: 67,000 rising to over 100,000)", () => {
    let tonnes = 0;
    let value = 0;
    for (const s of baseline.sessions) {
      if (s.priceTengePerTonne === null) continue;
      expect(s.priceTengePerTonne).toBeGreaterThanOrEqual(30_000);
      tonnes += s.volumeTonnes;
      value += s.volumeTonnes * s.priceTengePerTonne;
    }
    expect(value / tonnes).toBeGreaterThan(60_000);
    expect(value / tonnes).toBeLessThan(130_000);
    expect(sum(baseline.national.shortageTonnes) / sum(baseline.national.demandTonnes)).toBeLessThan(0.02);
  });
});

describe("safeguarded-2022: the controls hold, and their price", () => {
  it("prices rise less than under the bare reform, and more demand goes unmet", () => {
    expect(month(safeguarded, "2022-01", "MANGYSTAU").wholesaleTengePerTonne!).toBeLessThan(
      month(liberalisation, "2022-01", "MANGYSTAU").wholesaleTengePerTonne!,
    );
    const peak = (r: SimulationResult) => Math.max(...r.national.retailTengePerLitre);
    expect(peak(safeguarded)).toBeLessThan(peak(liberalisation));
    expect(sum(safeguarded.national.shortageTonnes)).toBeGreaterThan(sum(liberalisation.national.shortageTonnes));
  });

  it("producers meet their supply obligations on the exchange, and buyers stay inside the concentration limit", () => {
    for (const p of safeguarded.producers) expect(p.offeredObligatedTonnes, p.plant).toBeGreaterThan(0);
    expect(safeguarded.engine.ordersRefusedByCode.ORDER_CONCENTRATION_LIMIT ?? 0).toBe(0);
  });
});

describe("retail-freeze-50: a retail cap below cost empties the pumps", () => {
  it("Mangystau gets less gas and far more of its demand goes unmet than under the bare reform", () => {
    const unmet = (r: SimulationResult) =>
      sum(r.regionSeries.MANGYSTAU!.shortageTonnes) / sum(r.regionSeries.MANGYSTAU!.demandTonnes);
    expect(unmet(freeze)).toBeGreaterThan(0.2);
    expect(unmet(freeze)).toBeGreaterThan(unmet(liberalisation) + 0.15);
    expect(sum(freeze.regionSeries.MANGYSTAU!.salesTonnes)).toBeLessThan(
      sum(liberalisation.regionSeries.MANGYSTAU!.salesTonnes),
    );
  });

  it("the gas Mangystau does not buy leaves as export, and regions without the cap see nearly the same prices", () => {
    expect(sum(freeze.national.exportTonnes)).toBeGreaterThan(sum(liberalisation.national.exportTonnes));
    const almaty = (r: SimulationResult) => month(r, "2022-01", "ALMATY_CITY").wholesaleTengePerTonne!;
    expect(Math.abs(almaty(freeze) - almaty(liberalisation)) / almaty(liberalisation)).toBeLessThan(0.05);
  });
});

describe("january-2022-actual, held out: January sold in December, the jump of the first days, then the caps", () => {
  it("January's delivery trades from 20 December well above 120,000; the pumps jump from 2 January until the caps", () => {
    const first = actual.sessions.find((x) => x.region === "ATYRAU" && x.priceTengePerTonne !== null)!;
    // 20 December 2021 is the first day; its session traded nothing to Atyrau (no bids met the asks).
    expect(first.date).toBe("2021-12-21");
    expect(first.delivery).toBe("2022-01");
    expect(first.priceTengePerTonne!).toBeGreaterThan(120_000);
    const retail = (g: string, date: string) => actual.regionSeries[g]!.retailTengePerLitre[at(actual, date)]!;
    expect(retail("ATYRAU", "2022-01-05") / retail("ATYRAU", "2022-01-01")).toBeGreaterThan(1.3);
    expect(retail("WKO", "2022-01-05")).toBeGreaterThan(retail("WKO", "2022-01-01"));
    expect(retail("ATYRAU", "2022-01-06")).toBe(50);
  });

  it("after the caps the exchange price falls and demand goes unmet in the capped regions", () => {
    const mangystau = actual.regionSeries.MANGYSTAU!;
    const from = at(actual, "2022-01-06");
    expect(sum(mangystau.shortageTonnes.slice(0, from))).toBe(0);
    expect(sum(mangystau.shortageTonnes.slice(from)) / sum(mangystau.demandTonnes.slice(from))).toBeGreaterThan(0.1);
    const after = actual.sessions.filter((x) => x.date >= "2022-01-10" && x.priceTengePerTonne !== null);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.max(...after.map((x) => x.priceTengePerTonne!))).toBeLessThan(120_000);
  });

  it("reports its error against the observed January deliveries: 5.7% below (by delivery month, Dec and Jan)", () => {
    const row = actual.validation.find((v) => v.measure === "wholesale" && v.region === "MANGYSTAU")!;
    expect(row.low).toBe(OBSERVED_MANGYSTAU_JANUARY_2022_TENGE_PER_TONNE);
    expect(row.errorPercent).toBe(-5.7);
    const capped = actual.validation.find((v) => v.measure === "retailPeak" && v.from === "2022-01-06")!;
    expect(capped.errorPercent).toBe(0);
  });
});
