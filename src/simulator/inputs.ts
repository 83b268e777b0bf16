/**
 * Sourced and uncertain inputs. Any number of a scenario file may be written as an input object instead of a bare
 * number:
 *
 *   { "value": 92500, "low": 80000, "high": 105000, "distribution": "uniform", "assumed": "why this range" }
 *   { "value": 0.55, "source": "GOST 20448-2018, table 1: ..." }
 *
 * `value` is what a single run uses; `source` (publication and date) or `assumed` (the reason) says where it comes
 * from, exactly one of them; `low` and `high` (both or neither, low ≤ value ≤ high) make it uncertain, and
 * `distribution` (`uniform`, the default, or `triangular` with its mode at `value`) says how `--runs` draws it.
 *
 * `resolveInputs` replaces every input object by a number (its value, or what the caller chooses) and lists the
 * inputs with their paths; the rest of the simulator only ever sees numbers. Paths name array items by their id
 * (`plants[KAZGPZ].exportLogisticsTengePerTonne`, `routes[KAZGPZ>MANGYSTAU].distanceKm`), without the `market.`
 * prefix, so that they read the same as in the issue and in `uncertainty.json`.
 *
 * Promise: pure; the same JSON gives the same inputs in the same order (document order).
 */

import { ScenarioError } from "./scenario-error.ts";

export type Distribution = "uniform" | "triangular";

export interface ScenarioInput {
  /** Path with ids, e.g. `plants[KAZGPZ].exportLogisticsTengePerTonne`. */
  readonly path: string;
  /** Path with `[]` for array items, as `notes` keys are written. */
  readonly pattern: string;
  readonly value: number;
  readonly low: number | null;
  readonly high: number | null;
  readonly distribution: Distribution | null;
  readonly source: string | null;
  readonly assumed: string | null;
}

const INPUT_KEYS = new Set(["value", "low", "high", "distribution", "source", "assumed"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when the value is written as an input object (has a numeric `value` and only input keys). */
export function isInputObject(value: unknown): value is Record<string, unknown> {
  return (
    isPlainObject(value) &&
    typeof value.value === "number" &&
    Object.keys(value).every((k) => INPUT_KEYS.has(k)) &&
    ("source" in value || "assumed" in value || "low" in value)
  );
}

function readInput(raw: Record<string, unknown>, path: string, pattern: string): ScenarioInput {
  const fail = (rule: string): never => {
    throw new ScenarioError(`scenario input ${path}: ${rule}`);
  };
  const value = raw.value as number;
  if (!Number.isFinite(value)) fail("value must be a finite number");
  const text = (key: string) => {
    const v = raw[key];
    if (v === undefined) return null;
    if (typeof v !== "string" || v.trim() === "" || v.length > 2000) fail(`${key} must be a sentence`);
    return v as string;
  };
  const source = text("source");
  const assumed = text("assumed");
  if ((source === null) === (assumed === null)) fail("give exactly one of source (publication and date) or assumed");
  const bound = (key: string) => {
    const v = raw[key];
    if (v === undefined) return null;
    if (typeof v !== "number" || !Number.isFinite(v)) fail(`${key} must be a number`);
    return v as number;
  };
  const low = bound("low");
  const high = bound("high");
  if ((low === null) !== (high === null)) fail("give both low and high, or neither");
  if (low !== null && high !== null && !(low <= value && value <= high)) fail("expected low ≤ value ≤ high");
  let distribution: Distribution | null = null;
  if (raw.distribution !== undefined) {
    if (low === null) fail("a distribution needs low and high");
    if (raw.distribution !== "uniform" && raw.distribution !== "triangular")
      fail("distribution must be uniform or triangular");
    distribution = raw.distribution as Distribution;
  } else if (low !== null) {
    distribution = "uniform";
  }
  return { path, pattern, value, low, high, distribution, source, assumed };
}

/** The label of an array item in a path: its id, `plant>region` for a route, else its index. */
function itemLabel(item: unknown, index: number): string {
  if (isPlainObject(item)) {
    if (typeof item.id === "string") return item.id;
    if (typeof item.plant === "string" && typeof item.region === "string") return `${item.plant}>${item.region}`;
  }
  return String(index);
}

/**
 * A copy of the scenario JSON with every input object replaced by `choose(input)` (default: its value), and the
 * inputs found, in document order. `notes` is left alone.
 */
export function resolveInputs(
  json: unknown,
  choose: (input: ScenarioInput) => number = (input) => input.value,
): { readonly json: unknown; readonly inputs: readonly ScenarioInput[] } {
  const inputs: ScenarioInput[] = [];
  const visit = (value: unknown, path: string, pattern: string): unknown => {
    if (isInputObject(value)) {
      const input = readInput(value, path, pattern);
      inputs.push(input);
      return choose(input);
    }
    if (Array.isArray(value)) {
      return value.map((item, i) => visit(item, `${path}[${itemLabel(item, i)}]`, `${pattern}[]`));
    }
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (path === "" && key === "notes") {
          out[key] = item;
          continue;
        }
        const shownPath = path === "" ? key : path === "market" ? key : `${path}.${key}`;
        out[key] = visit(item, shownPath, pattern === "" ? key : `${pattern}.${key}`);
      }
      return out;
    }
    return value;
  };
  return { json: visit(json, "", ""), inputs };
}
