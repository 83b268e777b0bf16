import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readScenarioJson } from "./load.ts";
import type { VariantSummary } from "./summary.ts";
import { parseSweep, runInWorkers, sweepVariants } from "./sweep.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");

describe("parameter sweeps on worker threads", () => {
  it("runs each variant on a worker and returns results in the order of the values", async () => {
    const json = readScenarioJson(join(SCENARIOS, "safeguarded-2022.json")) as Record<string, unknown>;
    const variants = sweepVariants({ ...json, days: 6 }, parseSweep("band=5,20"));
    const results = await runInWorkers<VariantSummary>(variants, { outDir: null }, { workersMax: 2 });
    expect(results.map((r) => r.scenario)).toEqual(["safeguarded-2022-band-5", "safeguarded-2022-band-20"]);
    expect(results[0]!.stateHash).toMatch(/^[0-9a-f]{64}$/);
    expect(results[0]!.stateHash).not.toBe(results[1]!.stateHash);
  });
});
