/**
 * Parameter sweeps: one scenario run with one field set to each of several values (`band=5,10,20`), the variants in
 * parallel on worker threads, as many as there are cores (or `workersMax`). Each variant is an ordinary run with its
 * own seed stream (the scenario's seed), so a variant's output does not depend on which worker ran it or when.
 *
 * Promise: results come back in the order of the values, whatever order the workers finish in.
 */

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { overrideField, parseScenario, type Scenario, ScenarioError, SWEEP_ALIASES } from "./scenario.ts";

export const SWEEP_VALUES_MAX = 64;

export interface SweepSpec {
  readonly name: string;
  readonly path: string;
  readonly values: readonly (number | boolean | null)[];
}

/** Parses `name=v1,v2,...`; the name is an alias (SWEEP_ALIASES) or a dotted field path. */
export function parseSweep(text: string): SweepSpec {
  const match = /^([A-Za-z][A-Za-z0-9_.]*)=(.+)$/.exec(text);
  if (!match) throw new ScenarioError(`sweep '${text}': expected name=value,value,...`);
  const name = match[1]!;
  const values = match[2]!.split(",").map((raw) => {
    const v = raw.trim();
    if (v === "true" || v === "false") return v === "true";
    if (v === "null" || v === "none") return null;
    const n = Number(v);
    if (v === "" || !Number.isFinite(n)) throw new ScenarioError(`sweep '${text}': '${v}' is not a number`);
    return n;
  });
  if (values.length > SWEEP_VALUES_MAX) throw new ScenarioError(`sweep: at most ${SWEEP_VALUES_MAX} values`);
  return { name, path: SWEEP_ALIASES[name] ?? name, values };
}

/** The checked scenario of each variant, named after its value. */
export function sweepVariants(scenarioJson: unknown, spec: SweepSpec): Scenario[] {
  return spec.values.map((value) => {
    const variant = overrideField(scenarioJson, spec.path, value) as Record<string, unknown>;
    variant.name = `${String(variant.name)}-${spec.name}-${String(value)}`;
    return parseScenario(variant);
  });
}

export interface VariantOutcome<T> {
  readonly scenario: Scenario;
  readonly value: T;
}

/**
 * Runs `task` (a module exporting `runTask(scenario, extra)`) for each scenario on a pool of worker threads and
 * returns what each returned, in input order. `onDone` is called as each finishes.
 */
export async function runInWorkers<T>(
  scenarios: readonly Scenario[],
  extra: unknown,
  options: { workersMax?: number; onDone?: (done: number, total: number) => void } = {},
): Promise<T[]> {
  const poolSize = Math.max(1, Math.min(scenarios.length, options.workersMax ?? availableParallelism()));
  const results: T[] = new Array(scenarios.length);
  let next = 0;
  let done = 0;
  const workerUrl = new URL("./sweep-worker-entry.mjs", import.meta.url);
  const lane = async () => {
    while (next < scenarios.length) {
      const index = next++;
      results[index] = await new Promise<T>((resolveTask, reject) => {
        const worker = new Worker(workerUrl, {
          workerData: { scenario: scenarios[index], extra: extra ?? { outDir: null } },
        });
        worker.once("message", (message: { ok: boolean; value?: T; error?: string }) => {
          if (message.ok) resolveTask(message.value as T);
          else reject(new Error(message.error));
        });
        worker.once("error", reject);
        worker.once("exit", (code) => {
          if (code !== 0) reject(new Error(`sweep worker exited with code ${code}`));
        });
      });
      options.onDone?.(++done, scenarios.length);
    }
  };
  await Promise.all(Array.from({ length: poolSize }, lane));
  return results;
}
