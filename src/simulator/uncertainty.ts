/**
 * Uncertainty runs (`sauda simulate SCENARIO --runs N`): N runs of one scenario, each drawing every uncertain input
 * (an input object with `low` and `high`, inputs.ts) from its range, and the spread of their results.
 *
 * Drawing: run k (1..N) draws input p from its own stream `Random(seed, "runs/k/p")`, uniform or triangular (mode at
 * the input's value) between low and high; a draw is rounded to a whole number when value, low and high all are. The
 * agents' own randomness (demand noise, bid jitter) keeps the scenario's seed in every run, so the spread comes from
 * the inputs alone and a run's result depends only on the seed, N's index k and the scenario.
 *
 * Percentiles: P10, P50 and P90 of the runs' values by linear interpolation between order statistics: with the n
 * values sorted x[0] ≤ … ≤ x[n−1], the p-quantile is x[h'] + (h − h')(x[h'+1] − x[h']) at h = (n − 1)p, h' = ⌊h⌋
 * (Hyndman and Fan's type 7, the default of R and NumPy). Monthly wholesale prices that are missing (no trade in that
 * month) are left out; when every run lacks one, its percentiles are null.
 *
 * Drivers: for each uncertain input, the squared Spearman rank correlation between its draws and the focus region's
 * January retail peak over the runs: the share of that output's (rank) variance a monotone response to the input
 * alone explains. With inputs drawn independently the shares add up to about the share explained by the inputs'
 * separate effects (at most 1); interactions and noise make up the rest. Ranked by share, largest first.
 *
 * Promise: pure functions; the same runs in the same order give byte-identical JSON.
 */

import { resolveInputs, type ScenarioInput } from "./inputs.ts";
import { Random } from "./random.ts";
import type { SimulationResult } from "./results.ts";
import { parseScenario, type Scenario } from "./scenario.ts";

export const RUNS_MAX = 10_000;

/** The values of the uncertain inputs in one run, by path. */
export type Draws = ReadonlyMap<string, number>;

/** The uncertain inputs of a scenario JSON (those with a range), in document order. */
export function uncertainInputs(json: unknown): ScenarioInput[] {
  return resolveInputs(json).inputs.filter((i) => i.low !== null && i.high !== null);
}

/** One draw of an input for run `k` under `seed`. */
export function drawInput(input: ScenarioInput, seed: number, k: number): number {
  const low = input.low ?? input.value;
  const high = input.high ?? input.value;
  const u = new Random(seed, `runs/${k}/${input.path}`).next();
  let x: number;
  if (input.distribution === "triangular" && high > low) {
    const c = (input.value - low) / (high - low);
    x =
      u < c
        ? low + Math.sqrt(u * (high - low) * (input.value - low))
        : high - Math.sqrt((1 - u) * (high - low) * (high - input.value));
  } else {
    x = low + u * (high - low);
  }
  const whole = Number.isInteger(input.value) && Number.isInteger(low) && Number.isInteger(high);
  return whole ? Math.round(x) : Math.round(x * 1e6) / 1e6;
}

/** The scenario JSON of run k: every uncertain input drawn, the others at their values; and the draws. */
export function drawnScenario(json: unknown, seed: number, k: number): { json: unknown; draws: Draws } {
  const draws = new Map<string, number>();
  const resolved = resolveInputs(json, (input) => {
    if (input.low === null) return input.value;
    const x = drawInput(input, seed, k);
    draws.set(input.path, x);
    return x;
  });
  const out = resolved.json as Record<string, unknown>;
  out.name = `${String(out.name)}-run-${k}`;
  return { json: out, draws };
}

/** The N runs of an uncertainty run (`--runs N`, the lab's `runs`): each run's checked scenario and its draws. */
export interface DrawnRuns {
  readonly inputs: ScenarioInput[];
  readonly scenarios: Scenario[];
  readonly draws: Draws[];
}

/** Runs 1..runs of the scenario JSON under `seed`, every uncertain input drawn (throws ScenarioError as parsing does). */
export function drawnRuns(json: unknown, seed: number, runs: number): DrawnRuns {
  const drawn = Array.from({ length: runs }, (_, i) => drawnScenario(json, seed, i + 1));
  return {
    inputs: uncertainInputs(json),
    scenarios: drawn.map((d) => parseScenario(d.json)),
    draws: drawn.map((d) => d.draws),
  };
}

/** What one run contributes to the spread: monthly figures per region and each region's peak retail price. */
export interface RunOutcome {
  readonly monthly: readonly {
    readonly month: string;
    readonly region: string;
    readonly retail: number;
    readonly wholesale: number | null;
    readonly shortagePercent: number;
  }[];
  readonly peakRetail: Readonly<Record<string, number>>;
  /** The focus region's highest daily retail price in the run's first January (the whole run if it has none). */
  readonly focusJanuaryPeak: number;
}

export function runOutcome(r: SimulationResult): RunOutcome {
  const focus = r.scenario.focusRegions[0] ?? r.regions[0]!.id;
  const peakRetail: Record<string, number> = {};
  for (const g of r.regions) peakRetail[g.id] = Math.max(...r.regionSeries[g.id]!.retailTengePerLitre);
  const firstJanuary = r.dates.find((d) => d.slice(5, 7) === "01")?.slice(0, 7);
  const focusSeries = r.regionSeries[focus]!.retailTengePerLitre;
  const january = r.dates.flatMap((d, i) => (d.slice(0, 7) === firstJanuary ? [focusSeries[i]!] : []));
  return {
    monthly: r.monthly.map((m) => ({
      month: m.month,
      region: m.region,
      retail: m.retailTengePerLitre,
      wholesale: m.wholesaleTengePerTonne,
      shortagePercent: m.shortagePercent,
    })),
    peakRetail,
    focusJanuaryPeak: Math.max(...(january.length > 0 ? january : focusSeries)),
  };
}

/** The p-quantile (0 ≤ p ≤ 1) of the values, type 7 (see the module comment); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const xs = [...values].sort((a, b) => a - b);
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, xs.length - 1);
  return xs[lo]! + (h - lo) * (xs[hi]! - xs[lo]!);
}

export interface Band {
  readonly p10: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
}

function band(values: readonly number[], digits: number): Band {
  const round = (x: number | null) => (x === null ? null : Number(x.toFixed(digits)));
  return {
    p10: round(percentile(values, 0.1)),
    p50: round(percentile(values, 0.5)),
    p90: round(percentile(values, 0.9)),
  };
}

/** Ranks with ties given their average rank (1-based). */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let m = i; m <= j; m++) out[order[m]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's rank correlation; 0 when either side does not vary. */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  const rx = ranks(xs);
  const ry = ranks(ys);
  const n = xs.length;
  const mx = rx.reduce((a, b) => a + b, 0) / n;
  const my = ry.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

/** `uncertainty.json`, shaped as issue 12 states. */
export interface UncertaintyReport {
  readonly runs: number;
  readonly monthly: readonly {
    readonly month: string;
    readonly region: string;
    readonly retailTengePerLitre: Band;
    readonly wholesaleTengePerTonne: Band;
    readonly shortagePercent: Band;
  }[];
  readonly peakRetailTengePerLitre: readonly ({ readonly region: string } & Band)[];
  readonly drivers: readonly { readonly path: string; readonly share: number }[];
}

/** The spread over the runs; `inputs` are the uncertain inputs, `draws[k]` run k+1's values. */
export function uncertaintyReport(
  outcomes: readonly RunOutcome[],
  draws: readonly Draws[],
  inputs: readonly ScenarioInput[],
): UncertaintyReport {
  const first = outcomes[0];
  if (first === undefined) throw new Error("uncertaintyReport: no runs");
  const monthly = first.monthly.map((m, i) => {
    const rows = outcomes.map((o) => o.monthly[i]!);
    return {
      month: m.month,
      region: m.region,
      retailTengePerLitre: band(
        rows.map((x) => x.retail),
        2,
      ),
      wholesaleTengePerTonne: band(
        rows.flatMap((x) => (x.wholesale === null ? [] : [x.wholesale])),
        0,
      ),
      shortagePercent: band(
        rows.map((x) => x.shortagePercent),
        2,
      ),
    };
  });
  const peakRetailTengePerLitre = Object.keys(first.peakRetail).map((region) => ({
    region,
    ...band(
      outcomes.map((o) => o.peakRetail[region]!),
      2,
    ),
  }));
  const peaks = outcomes.map((o) => o.focusJanuaryPeak);
  const drivers = inputs
    .map((input) => {
      const r = spearman(
        draws.map((d) => d.get(input.path) ?? input.value),
        peaks,
      );
      return { path: input.path, share: Number((r * r).toFixed(3)) };
    })
    .sort((a, b) => b.share - a.share || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { runs: outcomes.length, monthly, peakRetailTengePerLitre, drivers };
}
