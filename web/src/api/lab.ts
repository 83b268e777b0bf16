/**
 * The policy lab's API as the browser reads it (GET /api/lab/scenarios, POST /api/lab/runs, GET /api/lab/runs/:id;
 * see /docs on a running server), and a hook that follows a run until it is done. Unlike market data, simulation
 * results are in tenge (per tonne, per litre) and tonnes, as the simulator reports them; shares are in basis points.
 *
 * A run's id names the simulation itself (scenario, days, seed and parameters), so asking again for the same one
 * returns the run already made. A finished run never changes: the hook stops polling and keeps its result.
 */

import { useEffect, useState } from "react";
import { ApiError } from "./client.ts";
import { type BodyOf, call, fetchOnce, type Schemas } from "./typed.ts";

/** How often a waiting or running run is asked for its progress. */
export const LAB_POLL_MS = 500;

export const LAB_PARAMETER_NAMES = [
  "bandBps",
  "ceilingTengePerTonne",
  "maxShareBps",
  "exchangeShareBps",
  "exportOpen",
  "domesticObligation",
  "elasticity",
] as const;
export type LabParameterName = (typeof LAB_PARAMETER_NAMES)[number];
export type ParameterValue = number | boolean | null;
export type LabParameters = Readonly<Record<LabParameterName, ParameterValue>>;

type Catalog = Schemas["LabScenarios"];
export type LabLimits = Catalog["limits"];
/** A parameter as the catalogue describes it; its name is one of LAB_PARAMETER_NAMES. */
export type LabParameterInfo = Omit<Catalog["parameters"][number], "name"> & { readonly name: LabParameterName };
export type LabScenarioInfo = Omit<Catalog["scenarios"][number], "parameters"> & {
  readonly parameters: Readonly<Record<LabParameterName, { value: ParameterValue; note: string | null }>>;
};
export interface LabCatalog {
  readonly limits: LabLimits;
  readonly parameters: readonly LabParameterInfo[];
  readonly scenarios: readonly LabScenarioInfo[];
}

export interface RegionSeries {
  readonly retailTengePerLitre: readonly number[];
  readonly wholesaleTengePerTonne: readonly (number | null)[];
  readonly deliveredTengePerTonne: readonly (number | null)[];
  readonly exchangeTonnes: readonly number[];
  readonly offExchangeTonnes: readonly number[];
  readonly demandTonnes: readonly number[];
  readonly salesTonnes: readonly number[];
  readonly shortageTonnes: readonly number[];
  readonly stockTonnes: readonly number[];
}

export interface NationalSeries {
  readonly exchangeTonnes: readonly number[];
  readonly wholesaleTengePerTonne: readonly (number | null)[];
  readonly exportTonnes: readonly number[];
  readonly curtailedTonnes: readonly number[];
  readonly demandTonnes: readonly number[];
  readonly salesTonnes: readonly number[];
  readonly shortageTonnes: readonly number[];
  readonly retailTengePerLitre: readonly number[];
}

export interface RegionSummary {
  readonly region: string;
  readonly firstMonthWholesaleTengePerTonne: number | null;
  readonly firstMonthRetailTengePerLitre: number;
  readonly peakRetailTengePerLitre: number;
  readonly shortagePercent: number;
}

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

export interface MonthRow {
  readonly month: string;
  readonly region: string;
  readonly wholesaleTengePerTonne: number | null;
  readonly deliveredTengePerTonne: number | null;
  readonly retailTengePerLitre: number;
  readonly demandTonnes: number;
  readonly salesTonnes: number;
  readonly shortageTonnes: number;
  readonly shortagePercent: number;
  readonly exchangeTonnes: number;
  readonly offExchangeTonnes: number;
}

export interface LabResult {
  readonly summary: {
    readonly scenario: string;
    readonly stateHash: string;
    readonly averageWholesaleTengePerTonne: number | null;
    readonly exportTonnes: number;
    readonly shortagePercent: number;
    readonly regions: readonly RegionSummary[];
  };
  readonly totals: LabTotals;
  readonly scenario: {
    readonly name: string;
    readonly title: string;
    readonly seed: number;
    readonly start: string;
    readonly days: number;
    readonly densityKgPerLitre: number;
    readonly focusRegions: readonly string[];
  };
  readonly regions: readonly { readonly id: string; readonly name: string }[];
  readonly dates: readonly string[];
  readonly tradingDays: readonly boolean[];
  readonly regionSeries: Readonly<Record<string, RegionSeries>>;
  readonly national: NationalSeries;
  readonly monthly: readonly MonthRow[];
  /** What was observed, with the model's figure beside it (src/simulator/validation.ts). */
  readonly validation: readonly Observed[];
  /** Which constraint binds, per month and region (src/simulator/constraints.ts). */
  readonly constraints: readonly {
    readonly month: string;
    readonly region: string;
    readonly binding: "netback" | "ceiling" | "band" | "buyerLimit" | "exportCapacity" | null;
  }[] /** With `runs`: the spread over the drawn runs. */;
  readonly uncertainty?: Uncertainty;
}

/** P10, P50 and P90 over the drawn runs (null: no run had a figure). */
export interface Band {
  readonly p10: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
}

/** The spread over an uncertainty run's draws, shaped as `sauda simulate --runs` writes uncertainty.json. */
export interface Uncertainty {
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

export interface Observed {
  readonly measure: "wholesale" | "retailPeak";
  readonly region: string;
  readonly from: string;
  readonly until: string;
  readonly low: number;
  readonly high: number;
  readonly source: string;
  readonly model: number | null;
  readonly errorPercent: number | null;
}

export type RunStatus = Schemas["LabRun"]["status"];

/**
 * A run as GET /api/lab/runs/:id answers it. The document describes the result's parts only by name (the simulator's
 * report is large and versioned with it), so their contents are LabResult above.
 */
export type LabRun = Omit<Schemas["LabRun"], "parameters" | "result"> & {
  readonly parameters: LabParameters;
  readonly result?: LabResult | null;
};

export type RunRequest = BodyOf<"/api/lab/runs", "post">;

export async function startRun(request: RunRequest): Promise<LabRun> {
  return (await call("post", "/api/lab/runs", {}, request)) as LabRun;
}

/** The catalogue of scenarios and parameters (GET /api/lab/scenarios). */
export async function labCatalog(): Promise<LabCatalog> {
  // The document keys a scenario's parameters by any name; the catalogue's names are LAB_PARAMETER_NAMES.
  return (await fetchOnce("/api/lab/scenarios")) as Catalog as unknown as LabCatalog;
}

export interface FollowedRun {
  readonly run: LabRun | null;
  readonly error: ApiError | null;
}

/** Follows a run by id until it is done or failed (or the id changes); null: no run. */
export function useLabRun(id: string | null, first: LabRun | null): FollowedRun {
  const [state, setState] = useState<FollowedRun>({ run: first, error: null });
  useEffect(() => {
    setState({ run: first !== null && first.id === id ? first : null, error: null });
    if (id === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const run = (await fetchOnce("/api/lab/runs/{id}", { path: { id } })) as LabRun;
        if (stopped) return;
        setState({ run, error: null });
        if (run.status === "done" || run.status === "failed") return;
      } catch (error) {
        if (stopped) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, "NETWORK", String(error), {});
        setState((previous) => ({ run: previous.run, error: apiError }));
        // A run that is gone will not come back; anything else may be passing.
        if (apiError.status === 404) return;
      }
      timer = setTimeout(poll, LAB_POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [id, first]);
  return state;
}
