/**
 * One policy lab run on a worker thread, off the exchange's event loop: runs the scenario it is given, reports
 * progress (at most every PROGRESS_INTERVAL_MS, and at the end), and posts back the finished result as JSON text, so
 * the main thread never serialises a large value itself. Errors go back as messages. The thread ends when the run
 * does; the parent stops it early (timeout, shutdown) by terminating it.
 */

import { parentPort, workerData } from "node:worker_threads";
import { runScenario } from "../../simulator/runner.ts";
import type { Scenario } from "../../simulator/scenario.ts";
import {
  drawnRuns,
  type RunOutcome,
  runOutcome,
  type UncertaintyReport,
  uncertaintyReport,
} from "../../simulator/uncertainty.ts";
import type { UncertaintySpec } from "./catalog.ts";
import { labResult } from "./result.ts";

/** Progress messages are at most this frequent: the browser polls about twice a second. */
const PROGRESS_INTERVAL_MS = 100;

export type WorkerMessage =
  | { readonly type: "progress"; readonly doneDays: number; readonly days: number }
  | { readonly type: "done"; readonly json: string }
  | { readonly type: "error"; readonly reason: string };

const port = parentPort;
if (port === null) throw new Error("invariant: the lab worker runs on a worker thread");
const { scenario, uncertainty } = workerData as { scenario: Scenario; uncertainty: UncertaintySpec | null };
const post = (message: WorkerMessage) => port.postMessage(message);
let lastPostMs = 0;
try {
  // With uncertainty: the scenario's own run, then the drawn runs one after another, as the CLI draws them.
  const drawn = uncertainty === null ? null : drawnRuns(uncertainty.json, scenario.seed, uncertainty.runs);
  const total = scenario.days * (1 + (drawn?.scenarios.length ?? 0));
  let before = 0;
  const onProgress = (doneDays: number) => {
    const now = performance.now();
    if (before + doneDays < total && now - lastPostMs < PROGRESS_INTERVAL_MS) return;
    lastPostMs = now;
    post({ type: "progress", doneDays: before + doneDays, days: total });
  };
  const result = await runScenario(scenario, { onProgress });
  let report: UncertaintyReport | null = null;
  if (drawn !== null) {
    const outcomes: RunOutcome[] = [];
    for (const s of drawn.scenarios) {
      before += scenario.days;
      outcomes.push(runOutcome(await runScenario(s, { onProgress })));
    }
    report = uncertaintyReport(outcomes, drawn.draws, drawn.inputs);
  }
  post({ type: "done", json: JSON.stringify(labResult(result, report)) });
} catch (error) {
  post({ type: "error", reason: (error instanceof Error ? error.message : String(error)).slice(0, 500) });
}
