/**
 * A sweep worker thread: it runs the variants the pool sends it, one at a time, writes each one's files when asked,
 * and posts back each one's headline figures. A thread lives for the whole sweep, because starting one (a fresh
 * isolate loading the TypeScript loader and the simulator) costs more than a short variant. Errors go back as
 * messages, so the pool can report them.
 */

import { parentPort } from "node:worker_threads";
import { writeFiles } from "./load.ts";
import { headline, runFiles } from "./output.ts";
import { runScenario } from "./runner.ts";
import type { Scenario } from "./scenario.ts";
import { variantSummary } from "./summary.ts";
import { runOutcome } from "./uncertainty.ts";

/** One variant to run, as the pool posts it. */
export interface SweepTask {
  readonly index: number;
  readonly scenario: Scenario;
  /** `outcome: "uncertainty"` answers with the run's RunOutcome (uncertainty.ts) instead of its summary. */
  readonly extra: { readonly outDir: string | null; readonly outcome?: "summary" | "uncertainty" };
}

/** The answer to a task. */
export type SweepReply =
  | { readonly index: number; readonly ok: true; readonly value: unknown }
  | { readonly index: number; readonly ok: false; readonly error: string };

const port = parentPort!;
port.on("message", async ({ index, scenario, extra }: SweepTask) => {
  let reply: SweepReply;
  try {
    const result = await runScenario(scenario);
    if (extra.outDir !== null) writeFiles(extra.outDir, runFiles(result));
    reply =
      extra.outcome === "uncertainty"
        ? { index, ok: true, value: runOutcome(result) }
        : { index, ok: true, value: { ...variantSummary(result), headline: headline(result) } };
  } catch (error) {
    reply = { index, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
});
