/**
 * `npm run bench:sim`: the policy lab's speed. Figures, not pass/fail:
 * - one year of the national market (every plant and region, a session every trading day) for liberalisation-2022
 *   and baseline-2021, with engine commands and events per second; the goal is under 10 s each;
 * - a parameter sweep of four variants (band=5,10,15,20 on safeguarded-2022, a full year each) on one worker thread and
 *   on all cores, and the speed-up.
 */

import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { loadScenario, readScenarioJson } from "../src/simulator/load.ts";
import { runScenario } from "../src/simulator/runner.ts";
import type { Resellers, Scenario } from "../src/simulator/scenario.ts";
import { parseSweep, runInWorkers, sweepVariants } from "../src/simulator/sweep.ts";

const SCENARIOS = resolve(import.meta.dirname, "../scenarios");
const GOAL_SECONDS = 10;

// The last with the base scenario's nine reseller links switched on (the newest agents; retail margins that widen
// with scarcity are on in every scenario).
for (const [name, resellers] of [
  ["liberalisation-2022", false],
  ["baseline-2021", false],
  ["liberalisation-2022", true],
] as const) {
  const loaded = loadScenario(join(SCENARIOS, `${name}.json`));
  const scenario = resellers ? withResellers(loaded) : { ...loaded, days: 365 };
  const started = performance.now();
  const result = await runScenario(scenario);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${name}${resellers ? " with resellers" : ""}: 365 days, ${scenario.market.plants.length} plants, ${scenario.market.regions.length} regions, ` +
      `${scenario.market.routes.length} instruments a month, ${result.sessions.length} call auctions: ${seconds.toFixed(2)} s ` +
      `(goal < ${GOAL_SECONDS} s); ${result.engine.commands.toLocaleString("en-US")} commands, ` +
      `${result.engine.events.toLocaleString("en-US")} events, ${Math.round(result.engine.commands / seconds).toLocaleString("en-US")} commands/s`,
  );
}

/** The scenario with the base scenario's reseller links switched on, over a year. */
function withResellers(scenario: Scenario): Scenario {
  const json = readScenarioJson(join(SCENARIOS, "base/kazakhstan-lpg-market.json")) as { resellers: Resellers };
  const { enabled: _, ...resellers } = json.resellers as Resellers & { enabled: boolean };
  return { ...scenario, days: 365, resellers };
}

const json = readScenarioJson(join(SCENARIOS, "safeguarded-2022.json")) as Record<string, unknown>;
const variants = sweepVariants(json, parseSweep("band=5,10,15,20"));
const cores = availableParallelism();
const timed = async (workers: number) => {
  const started = performance.now();
  await runInWorkers(variants, { outDir: null }, { workersMax: workers });
  return (performance.now() - started) / 1000;
};
const one = await timed(1);
const all = await timed(cores);
console.log(
  `sweep band=5,10,15,20 (4 variants x ${variants[0]!.days} days): 1 worker ${one.toFixed(2)} s, ${cores} workers ${all.toFixed(2)} s, ` +
    `speed-up ${(one / all).toFixed(2)}x on ${cores} cores`,
);
