/**
 * The policy lab's scenarios as the server offers them: every scenario file in scenarios/ (not the shared bases under
 * scenarios/base/), read once when the server starts, with the few parameters a caller may change from the browser.
 *
 * The parameters are a short whitelist, not arbitrary field paths: the regulator's own levers (price band, ceiling,
 * buyer concentration limit, share sold on the exchange, export openness, domestic supply obligation) and the one
 * behavioural assumption the results are most sensitive to (drivers' price elasticity). Shares are in basis points
 * and prices in tenge per tonne, as in the exchange's API and the scenario files respectively; each parameter
 * converts to and from the scenario field it sets. A request resolves to a checked `Scenario`; its run id is a hash
 * of that scenario, so two requests that mean the same simulation share one run (the simulation is deterministic).
 *
 * Promise: a scenario file that does not load is left out of the catalog and reported, never fatal to the server.
 */

import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { readScenarioJson } from "../../simulator/load.ts";
import { parseScenario, type Scenario, ScenarioError } from "../../simulator/scenario.ts";
import { uncertainInputs } from "../../simulator/uncertainty.ts";
import { HttpProblem } from "../errors.ts";

export const SCENARIOS_DIR = resolve(import.meta.dirname, "../../../scenarios");
/** Longest run the lab accepts: a year, leap or not (about 2.5 s of one core for the national market). */
export const LAB_DAYS_MAX = 366;
/** Scenario files read from the directory, at most. */
export const LAB_SCENARIOS_MAX = 64;
export const LAB_SEED_MAX = 0xffff_ffff;
/**
 * Most runs of an uncertainty run (`runs`, each drawing the scenario's uncertain inputs as `sauda simulate --runs`
 * does): a server's share, not the CLI's thousands.
 */
export const LAB_RUNS_MAX = 20;
/**
 * Days simulated by the draws of one uncertainty run, at most (runs × days): four years, about 10 s of one core
 * (20 runs of 146 days measured 13.5 s of CPU), so an uncertainty run stays well within the run timeout on a busy
 * machine. With `runs` the longest run is this divided by runs (and at most LAB_DAYS_MAX): a year for up to 4 runs,
 * 73 days for 20; without `days` a run is clipped to it.
 */
export const LAB_RUNS_DAYS_TOTAL_MAX = 4 * LAB_DAYS_MAX;

/** The longest run the lab accepts for `runs` draws (null: one deterministic run). */
export function labDaysMax(runs: number | null): number {
  return runs === null ? LAB_DAYS_MAX : Math.min(LAB_DAYS_MAX, Math.floor(LAB_RUNS_DAYS_TOTAL_MAX / runs));
}
/** Hex digits of a run id (128 bits of SHA-256). */
export const RUN_ID_HEX_DIGITS = 32;

type ParameterValue = number | boolean | null;

export interface LabParameter {
  readonly name: LabParameterName;
  /** The scenario field it sets. */
  readonly path: string;
  readonly kind: "integer" | "number" | "boolean";
  /** Whether null (the control switched off) is allowed. */
  readonly nullable: boolean;
  readonly minimum: number | null;
  readonly maximum: number | null;
  readonly unit: string;
  readonly description: string;
  toScenario(value: ParameterValue): ParameterValue;
  fromScenario(value: ParameterValue): ParameterValue;
}

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
export type LabOverrides = { readonly [name in LabParameterName]?: ParameterValue };

const identity = (value: ParameterValue) => value;
/** Basis points ↔ percent; exact for whole basis points (the percent is rounded back to a whole number of bps). */
const bpsToPercent = (value: ParameterValue) => (value === null ? null : (value as number) / 100);
const percentToBps = (value: ParameterValue) => (value === null ? null : Math.round((value as number) * 100));

export const LAB_PARAMETERS: readonly LabParameter[] = [
  {
    name: "bandBps",
    path: "rules.safeguards.bandPercent",
    kind: "integer",
    nullable: true,
    minimum: 1,
    maximum: 9999,
    unit: "bps",
    description:
      "Static price band: limit prices within this many basis points of the previous session's weighted average; null: no band.",
    toScenario: bpsToPercent,
    fromScenario: percentToBps,
  },
  {
    name: "ceilingTengePerTonne",
    path: "rules.safeguards.ceilingTengePerTonne",
    kind: "integer",
    nullable: true,
    minimum: 1,
    maximum: 10_000_000,
    unit: "tenge/t",
    description:
      "Hard price ceiling from the first day; a scenario's later ceiling steps still apply. null: no ceiling and no ceiling steps.",
    toScenario: identity,
    fromScenario: identity,
  },
  {
    name: "maxShareBps",
    path: "rules.safeguards.maxSharePercent",
    kind: "integer",
    nullable: true,
    minimum: 1,
    maximum: 10_000,
    unit: "bps",
    description: "Most a buyer may hold (bought plus bidding) of a session's offered quantity; null: no limit.",
    toScenario: bpsToPercent,
    fromScenario: percentToBps,
  },
  {
    name: "exchangeShareBps",
    path: "rules.exchangeSharePercent",
    kind: "integer",
    nullable: false,
    minimum: 0,
    maximum: 10_000,
    unit: "bps",
    description: "Share of the domestic plan sold on the exchange; the rest is sold off-exchange.",
    toScenario: bpsToPercent,
    fromScenario: percentToBps,
  },
  {
    name: "exportOpen",
    path: "rules.exportOpen",
    kind: "boolean",
    nullable: false,
    minimum: null,
    maximum: null,
    unit: "",
    description: "Whether producers may export free volume (their export netback is then their reservation price).",
    toScenario: identity,
    fromScenario: identity,
  },
  {
    name: "domesticObligation",
    path: "rules.domesticObligation",
    kind: "boolean",
    nullable: false,
    minimum: null,
    maximum: null,
    unit: "",
    description: "Whether the ministry's monthly plan binds producers as a domestic supply obligation.",
    toScenario: identity,
    fromScenario: identity,
  },
  {
    name: "elasticity",
    path: "drivers.elasticity",
    kind: "number",
    nullable: false,
    minimum: -5,
    maximum: 0,
    unit: "",
    description: "Drivers' price elasticity of demand below petrol parity (e.g. -0.25: 10% dearer, 2.5% less demand).",
    toScenario: identity,
    fromScenario: identity,
  },
];

export interface LabScenario {
  readonly name: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly seed: number;
  readonly start: string;
  /** The scenario's own length, clipped to LAB_DAYS_MAX: the default of a run. */
  readonly days: number;
  readonly densityKgPerLitre: number;
  readonly focusRegions: readonly string[];
  readonly regions: readonly { readonly id: string; readonly name: string }[];
  /** Each whitelisted parameter's value in the scenario, with the scenario's note on it where it has one. */
  readonly parameters: Readonly<Record<LabParameterName, { value: ParameterValue; note: string | null }>>;
}

interface Entry {
  readonly view: LabScenario;
  /** The merged JSON of the file (before checking), to which a request's settings are applied. */
  readonly json: unknown;
}

export interface RunRequest {
  readonly scenario: string;
  readonly days?: number;
  readonly seed?: number;
  readonly overrides?: LabOverrides;
  /** Uncertainty runs (2..LAB_RUNS_MAX), each drawing the uncertain inputs; absent: one deterministic run. */
  readonly runs?: number;
}

/** What the draws of an uncertainty run need: the scenario JSON with the request's settings, and how many runs. */
export interface UncertaintySpec {
  readonly json: unknown;
  readonly runs: number;
}

export interface ResolvedRun {
  readonly id: string;
  readonly scenario: Scenario;
  /** Every whitelisted parameter's value in force for the run. */
  readonly parameters: Readonly<Record<LabParameterName, ParameterValue>>;
  /** Null for one deterministic run. */
  readonly uncertainty: UncertaintySpec | null;
}

function fieldAt(json: unknown, path: string): ParameterValue {
  let node: unknown = json;
  for (const part of path.split(".")) node = (node as Record<string, unknown> | null)?.[part];
  return node === undefined ? null : (node as ParameterValue);
}

function setField(json: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = json;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts[parts.length - 1]!] = value;
}

export class LabCatalog {
  private readonly entries = new Map<string, Entry>();
  /** Files that did not load, with the reason. */
  readonly problems: string[] = [];

  constructor(dir: string = SCENARIOS_DIR) {
    let files: string[] = [];
    try {
      files = readdirSync(dir)
        .filter((file) => file.endsWith(".json"))
        .sort()
        .slice(0, LAB_SCENARIOS_MAX);
    } catch (error) {
      this.problems.push(`${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const file of files) {
      try {
        const json = readScenarioJson(join(dir, file));
        const scenario = parseScenario(json);
        if (this.entries.has(scenario.name)) throw new ScenarioError(`a second scenario named '${scenario.name}'`);
        this.entries.set(scenario.name, { view: describe(scenario, file), json });
      } catch (error) {
        this.problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  scenarios(): LabScenario[] {
    return [...this.entries.values()].map((entry) => entry.view);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The checked scenario a request asks for, its run id and the parameters in force; HttpProblem if it cannot. */
  resolve(request: RunRequest): ResolvedRun {
    const entry = this.entries.get(request.scenario);
    if (entry === undefined) {
      throw new HttpProblem("LAB_SCENARIO_NOT_FOUND", { name: request.scenario, known: this.names().join(", ") });
    }
    const runs = request.runs ?? null;
    const daysMax = labDaysMax(runs);
    if (request.days !== undefined && request.days > daysMax) {
      throw new HttpProblem("LAB_RUNS_DAYS_LIMIT", {
        days: request.days,
        runs: runs ?? 1,
        daysMax,
        totalMax: LAB_RUNS_DAYS_TOTAL_MAX,
      });
    }
    const json = structuredClone(entry.json) as Record<string, unknown>;
    json.days = request.days ?? Math.min(entry.view.days, daysMax);
    if (request.seed !== undefined) json.seed = request.seed;
    for (const parameter of LAB_PARAMETERS) {
      const value = request.overrides?.[parameter.name];
      if (value === undefined) continue;
      setField(json, parameter.path, parameter.toScenario(value));
      // No ceiling means none later either: the scenario's ceiling steps go too.
      if (parameter.name === "ceilingTengePerTonne" && value === null)
        setField(json, "rules.safeguards.ceilingPath", []);
    }
    let scenario: Scenario;
    try {
      scenario = parseScenario(json);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      throw new HttpProblem("LAB_SCENARIO_INVALID", { name: request.scenario, reason: error.message });
    }
    if (scenario.days > daysMax) throw new Error(`invariant: lab run of ${scenario.days} days`);
    if (runs !== null && uncertainInputs(json).length === 0) {
      throw new HttpProblem("LAB_SCENARIO_INVALID", {
        name: request.scenario,
        reason: "it has no uncertain inputs (no number with low and high) to draw",
      });
    }
    return {
      id: runIdOf(scenario, runs),
      scenario,
      parameters: parametersOf(scenario),
      uncertainty: runs === null ? null : { json, runs },
    };
  }
}

/**
 * A run's id: the first 128 bits of SHA-256 over the checked scenario (and the number of uncertainty runs, if any),
 * so the same simulation has the same id. The checked scenario holds its inputs' ranges, so the draws are covered.
 */
export function runIdOf(scenario: Scenario, runs: number | null = null): string {
  const text = runs === null ? JSON.stringify(scenario) : JSON.stringify({ scenario, runs });
  return createHash("sha256").update(text).digest("hex").slice(0, RUN_ID_HEX_DIGITS);
}

function parametersOf(scenario: Scenario): Record<LabParameterName, ParameterValue> {
  return Object.fromEntries(LAB_PARAMETERS.map((p) => [p.name, p.fromScenario(fieldAt(scenario, p.path))])) as Record<
    LabParameterName,
    ParameterValue
  >;
}

function describe(scenario: Scenario, file: string): LabScenario {
  const values = parametersOf(scenario);
  return {
    name: scenario.name,
    file,
    title: scenario.title,
    description: scenario.description,
    seed: scenario.seed,
    start: scenario.start,
    days: Math.min(scenario.days, LAB_DAYS_MAX),
    densityKgPerLitre: scenario.densityKgPerLitre,
    focusRegions: scenario.focusRegions,
    regions: scenario.market.regions.map((g) => ({ id: g.id, name: g.name })),
    parameters: Object.fromEntries(
      LAB_PARAMETERS.map((p) => [
        p.name,
        { value: values[p.name], note: scenario.notes[p.path] ?? inputNote(scenario, p.path) },
      ]),
    ) as LabScenario["parameters"],
  };
}

/** The source or reason of a number written as an input object (simulator/inputs.ts); null when there is none. */
function inputNote(scenario: Scenario, path: string): string | null {
  const input = scenario.inputs.find((i) => i.path === path);
  if (input === undefined) return null;
  return input.source ?? input.assumed;
}
