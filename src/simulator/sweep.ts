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
import type { SweepReply, SweepTask } from "./sweep-worker.ts";

export const SWEEP_VALUES_MAX = 64;

export interface SweepSpec {
  readonly name: string;
  readonly path: string;
  readonly values: readonly (number | boolean | null)[];
}

/**
 * Parses `name=v1,v2,...`; the name is an alias (SWEEP_ALIASES) or a dotted field path, items of a list named by id
 * (`plants[KAZGPZ].exportLogisticsTengePerTonne`).
 */
export function parseSweep(text: string): SweepSpec {
  const match = /^([A-Za-z][A-Za-z0-9_.[\]>-]*)=(.+)$/.exec(text);
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
 * Runs each scenario on a pool of worker threads (sweep-worker.ts) and returns what each returned, in input order.
 * The pool starts one thread per lane and keeps it for the whole sweep: a thread's start (loading the TypeScript
 * loader and the simulator) costs about as much as a 90-day variant, so a thread per variant would eat the gain from
 * running them side by side. `onDone` is called as each finishes.
 */
export async function runInWorkers<T>(
  scenarios: readonly Scenario[],
  extra: SweepTask["extra"],
  options: { workersMax?: number; onDone?: (done: number, total: number) => void } = {},
): Promise<T[]> {
  const poolSize = Math.max(1, Math.min(scenarios.length, options.workersMax ?? availableParallelism()));
  const results: T[] = new Array(scenarios.length);
  let next = 0;
  let done = 0;
  // The compiled build (scripts/build-server.js) starts the compiled worker; TypeScript needs the entry that loads tsx.
  const workerUrl = new URL(
    import.meta.url.endsWith(".ts") ? "./sweep-worker-entry.mjs" : "./sweep-worker.js",
    import.meta.url,
  );
  const lane = async () => {
    const worker = new Worker(workerUrl);
    try {
      while (next < scenarios.length) {
        const index = next++;
        results[index] = await runOn<T>(worker, {
          index,
          scenario: scenarios[index]!,
          extra: extra ?? { outDir: null },
        });
        options.onDone?.(++done, scenarios.length);
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: poolSize }, lane));
  return results;
}

/** Sends one task to a worker and waits for its answer (or for the worker to fail). */
function runOn<T>(worker: Worker, task: SweepTask): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (reply: SweepReply) => {
      if (reply.index !== task.index) return;
      settle();
      if (reply.ok) resolve(reply.value as T);
      else reject(new Error(reply.error));
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    const onExit = (code: number) => {
      settle();
      reject(new Error(`sweep worker exited with code ${code}`));
    };
    const settle = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage(task);
  });
}
