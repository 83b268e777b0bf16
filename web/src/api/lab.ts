/**
 * The policy lab's API as the browser reads it (GET /api/lab/scenarios, POST /api/lab/runs, GET /api/lab/runs/:id;
 * see /docs on a running server), and a hook that follows a run until it is done. Unlike market data, simulation
 * results are in tenge (per tonne, per litre) and tonnes, as the simulator reports them; shares are in basis points.
 *
 * A run's id names the simulation itself (scenario, days, seed and parameters), so asking again for the same one
 * returns the run already made. A finished run never changes: the hook stops polling and keeps its result.
 */

import { useEffect, useState } from "react";
import { ApiError, get, post } from "./client.ts";

export const LAB_API = {
  scenarios: "/api/lab/scenarios",
  runs: "/api/lab/runs",
  run: (id: string) => `/api/lab/runs/${encodeURIComponent(id)}`,
} as const;

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

export interface LabParameterInfo {
  readonly name: LabParameterName;
  readonly path: string;
  readonly kind: "integer" | "number" | "boolean";
  readonly nullable: boolean;
  readonly minimum: number | null;
  readonly maximum: number | null;
  readonly unit: string;
  readonly description: string;
}

export interface LabScenarioInfo {
  readonly name: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly seed: number;
  readonly start: string;
  readonly days: number;
  readonly densityKgPerLitre: number;
  readonly focusRegions: readonly string[];
  readonly regions: readonly { readonly id: string; readonly name: string }[];
  readonly parameters: Readonly<Record<LabParameterName, { value: ParameterValue; note: string | null }>>;
}

export interface LabLimits {
  readonly daysMax: number;
  readonly runsAtOnce: number;
  readonly queueMax: number;
  readonly runsPerCallerMax: number;
  readonly runTimeoutMs: number;
  readonly resultsKeptMax: number;
  readonly resultsBytesMax: number;
}

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
}

export type RunStatus = "queued" | "running" | "done" | "failed";

export interface LabRun {
  readonly id: string;
  readonly status: RunStatus;
  readonly scenario: string;
  readonly start: string;
  readonly days: number;
  readonly seed: number;
  readonly parameters: LabParameters;
  readonly progress: { readonly doneDays: number; readonly days: number };
  readonly queuePosition: number | null;
  readonly error: { readonly code: string; readonly message: string; readonly details: Record<string, unknown> } | null;
  readonly result?: LabResult | null;
}

export interface RunRequest {
  readonly scenario: string;
  readonly days?: number;
  readonly seed?: number;
  readonly overrides?: Partial<LabParameters>;
}

export function startRun(request: RunRequest): Promise<LabRun> {
  return post<LabRun>(LAB_API.runs, request);
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
        const run = await get<LabRun>(LAB_API.run(id));
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
