/** The learning producer (producer.ts, LearningSettings): an ε-greedy bandit over markups, switched on per scenario. */

import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readScenarioJson } from "./load.ts";
import type { SimulationResult } from "./results.ts";
import { runScenario } from "./runner.ts";
import { mergeScenario, parseScenario } from "./scenario.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");
const base = readScenarioJson(join(SCENARIOS, "liberalisation-2022.json"));
const scenario = (learning: boolean, epsilon = 0.1) =>
  parseScenario(
    mergeScenario(base, {
      days: 40,
      producers: { learning: { enabled: learning, epsilon: { value: epsilon, assumed: "test" } } },
    }),
  );
const january = (r: SimulationResult) => r.monthly.find((m) => m.month === "2022-01" && m.region === "MANGYSTAU")!;

describe("the learning producer", () => {
  it("is read from the scenario: off by default, its arms as fractions when enabled", () => {
    expect(parseScenario(base).producers.learning).toBeNull();
    expect(scenario(true).producers.learning).toEqual({
      markupsPercent: [0, 2, 4, 6, 8, 10, 15],
      epsilon: 0.1,
      recencyWeight: 0.2,
    });
    expect(() => scenario(true, 1.5)).toThrow(/epsilon/);
  });

  it("runs reproducibly, differs from the rule of thumb, and prices Mangystau's January within 15% of it", async () => {
    const a = await runScenario(scenario(true));
    const b = await runScenario(scenario(true));
    const rule = await runScenario(scenario(false));
    expect(b.engine.stateHash).toBe(a.engine.stateHash);
    expect(a.engine.stateHash).not.toBe(rule.engine.stateHash);
    const learnt = january(a).wholesaleTengePerTonne!;
    const thumb = january(rule).wholesaleTengePerTonne!;
    expect(learnt).not.toBe(thumb);
    expect(Math.abs(learnt - thumb) / thumb).toBeLessThan(0.15);
  }, 120_000);
});
