/**
 * One policy lab run on a worker thread, off the exchange's event loop: runs the scenario it is given, reports
 * progress (at most every PROGRESS_INTERVAL_MS, and at the end), and posts back the finished result as JSON text, so
 * the main thread never serialises a large value itself. Errors go back as messages. The thread ends when the run
 * does; the parent stops it early (timeout, shutdown) by terminating it.
 */

import { parentPort, workerData } from "node:worker_threads";
import { runScenario } from "../../simulator/runner.ts";
import type { Scenario } from "../../simulator/scenario.ts";
import { labResult } from "./result.ts";

/** Progress messages are at most this frequent: the browser polls about twice a second. */
const PROGRESS_INTERVAL_MS = 100;

export type WorkerMessage =
  | { readonly type: "progress"; readonly doneDays: number; readonly days: number }
  | { readonly type: "done"; readonly json: string }
  | { readonly type: "error"; readonly reason: string };

const port = parentPort;
if (port === null) throw new Error("invariant: the lab worker runs on a worker thread");
const { scenario } = workerData as { scenario: Scenario };
const post = (message: WorkerMessage) => port.postMessage(message);
let lastPostMs = 0;
try {
  const result = await runScenario(scenario, {
    onProgress: (doneDays, days) => {
      const now = performance.now();
      if (doneDays < days && now - lastPostMs < PROGRESS_INTERVAL_MS) return;
      lastPostMs = now;
      post({ type: "progress", doneDays, days });
    },
  });
  post({ type: "done", json: JSON.stringify(labResult(result)) });
} catch (error) {
  post({ type: "error", reason: (error instanceof Error ? error.message : String(error)).slice(0, 500) });
}
