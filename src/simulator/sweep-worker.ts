/**
 * One sweep variant on a worker thread: runs the scenario it is given, writes its files when asked, and posts back
 * its headline figures. Errors go back as messages, so the pool can report them.
 */

import { parentPort, workerData } from "node:worker_threads";
import { writeFiles } from "./load.ts";
import { headline, runFiles } from "./output.ts";
import { runScenario } from "./runner.ts";
import type { Scenario } from "./scenario.ts";
import { variantSummary } from "./summary.ts";

const { scenario, extra } = workerData as { scenario: Scenario; extra: { outDir: string | null } };
try {
  const result = await runScenario(scenario);
  if (extra.outDir !== null) writeFiles(extra.outDir, runFiles(result));
  parentPort!.postMessage({ ok: true, value: { ...variantSummary(result), headline: headline(result) } });
} catch (error) {
  parentPort!.postMessage({
    ok: false,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
}
