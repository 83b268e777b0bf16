import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { simulateCommand } from "../cli/simulate.ts";
import { resolveInputs } from "./inputs.ts";
import { ScenarioError } from "./scenario.ts";
import { drawInput, drawnScenario, percentile, spearman, uncertainInputs, uncertaintyReport } from "./uncertainty.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("input objects", () => {
  it("are replaced by their value and listed with their id paths", () => {
    const { json, inputs } = resolveInputs({
      market: { plants: [{ id: "P1", cost: { value: 5, low: 4, high: 6, assumed: "a guess" } }] },
      density: { value: 0.55, source: "GOST 27578-2018" },
      notes: { x: "y" },
    });
    expect(json).toEqual({ market: { plants: [{ id: "P1", cost: 5 }] }, density: 0.55, notes: { x: "y" } });
    expect(inputs.map((i) => [i.path, i.pattern, i.distribution])).toEqual([
      ["plants[P1].cost", "market.plants[].cost", "uniform"],
      ["density", "density", null],
    ]);
  });

  it("refuse a missing source or reason, both, one bound only, and a value outside its range", () => {
    const bad = (x: unknown) => () => resolveInputs({ x });
    expect(bad({ value: 1, low: 0, high: 2 })).toThrow(/exactly one of source/);
    expect(bad({ value: 1, source: "s", assumed: "a" })).toThrow(/exactly one of source/);
    expect(bad({ value: 1, low: 0, assumed: "a" })).toThrow(/both low and high/);
    expect(bad({ value: 3, low: 0, high: 2, assumed: "a" })).toThrow(ScenarioError);
    expect(bad({ value: 1, low: 0, high: 2, distribution: "lognormal", assumed: "a" })).toThrow(
      /uniform or triangular/,
    );
  });
});

describe("drawing and statistics", () => {
  const input = resolveInputs({ x: { value: 100, low: 80, high: 140, distribution: "triangular", assumed: "a" } })
    .inputs[0]!;

  it("draws inside the range, the same for the same seed and run, whole numbers for whole bounds", () => {
    const xs = Array.from({ length: 500 }, (_, k) => drawInput(input, 7, k + 1));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...xs)).toBeLessThanOrEqual(140);
    expect(xs.every(Number.isInteger)).toBe(true);
    expect(drawInput(input, 7, 3)).toBe(xs[2]);
    expect(xs.slice(0, 20)).not.toEqual(Array.from({ length: 20 }, (_, k) => drawInput(input, 8, k + 1)));
    // Triangular with mode 100 on 80..140: the median is 140 − √(0.5·60·40) ≈ 105.4.
    expect(percentile(xs, 0.5)!).toBeGreaterThan(101);
    expect(percentile(xs, 0.5)!).toBeLessThan(110);
  });

  it("percentiles interpolate between order statistics (type 7)", () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.1)).toBe(2);
    expect(percentile([10, 0], 0.5)).toBe(5);
    expect(percentile([3, 1, 2, 4], 0.9)).toBeCloseTo(3.7, 10);
    expect(percentile([], 0.5)).toBeNull();
  });

  it("Spearman is 1 for any increasing response, −1 for a decreasing one, 0 for a constant", () => {
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 1000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2, 3, 4], [5, 5, 5, 5])).toBe(0);
  });

  it("ranks drivers by the share of the focus peak's spread they explain", () => {
    const inputs = resolveInputs({
      a: { value: 1, low: 0, high: 2, assumed: "a" },
      b: { value: 1, low: 0, high: 2, assumed: "b" },
    }).inputs;
    const draws = [
      new Map([
        ["a", 0],
        ["b", 2],
      ]),
      new Map([
        ["a", 1],
        ["b", 0],
      ]),
      new Map([
        ["a", 2],
        ["b", 1],
      ]),
    ];
    const outcome = (peak: number) => ({
      monthly: [{ month: "2022-01", region: "R", retail: peak, wholesale: null, shortagePercent: 0 }],
      peakRetail: { R: peak },
      focusJanuaryPeak: peak,
    });
    const u = uncertaintyReport([outcome(10), outcome(20), outcome(30)], draws, inputs);
    expect(u.drivers).toEqual([
      { path: "a", share: 1 },
      { path: "b", share: 0.25 },
    ]);
    expect(u.monthly[0]!.wholesaleTengePerTonne).toEqual({ p10: null, p50: null, p90: null });
    expect(u.peakRetailTengePerLitre).toEqual([{ region: "R", p10: 12, p50: 20, p90: 28 }]);
  });

  it("the national scenario's uncertain inputs include each plant's export logistics", () => {
    const json = JSON.parse(readFileSync(join(SCENARIOS, "base/kazakhstan-lpg-market.json"), "utf8"));
    const paths = uncertainInputs(json).map((i) => i.path);
    expect(paths).toContain("plants[KAZGPZ].exportLogisticsTengePerTonne");
    const { draws } = drawnScenario(json, 1, 1);
    expect(draws.size).toBe(paths.length);
  });
});

describe("sauda simulate --runs", () => {
  const run = async () => {
    const out = mkdtempSync(join(tmpdir(), "sauda-runs-"));
    dirs.push(out);
    const lines: string[] = [];
    const code = await simulateCommand(
      join(SCENARIOS, "liberalisation-2022.json"),
      { runs: "3", days: "8", out },
      (l) => lines.push(l),
    );
    expect(code).toBe(0);
    return { out, json: readFileSync(join(out, "uncertainty.json"), "utf8"), lines };
  };

  it("writes uncertainty.json in the issue's shape, fan charts and a report; the same seed gives the same file", async () => {
    const a = await run();
    const b = await run();
    expect(b.json).toBe(a.json);
    const u = JSON.parse(a.json);
    expect(Object.keys(u)).toEqual(["runs", "monthly", "peakRetailTengePerLitre", "drivers"]);
    expect(u.runs).toBe(3);
    expect(u.monthly).toHaveLength(17);
    const m = u.monthly[0];
    expect(Object.keys(m)).toEqual([
      "month",
      "region",
      "retailTengePerLitre",
      "wholesaleTengePerTonne",
      "shortagePercent",
    ]);
    expect(m.month).toBe("2022-01");
    expect(m.retailTengePerLitre.p10).toBeLessThanOrEqual(m.retailTengePerLitre.p50);
    expect(m.retailTengePerLitre.p50).toBeLessThanOrEqual(m.retailTengePerLitre.p90);
    expect(u.peakRetailTengePerLitre).toHaveLength(17);
    expect(u.drivers.length).toBeGreaterThan(30);
    expect(u.drivers[0].share).toBeGreaterThanOrEqual(u.drivers.at(-1).share);
    const html = readFileSync(join(a.out, "report.html"), "utf8");
    expect(html).toContain("P10–P90");
    expect(readFileSync(join(a.out, "charts/fan-retail-MANGYSTAU.svg"), "utf8")).toContain("<svg");
  }, 120_000);

  it("refuses a run count below 2 or above the limit, and --runs with --sweep", async () => {
    const file = join(SCENARIOS, "liberalisation-2022.json");
    await expect(simulateCommand(file, { runs: "1" }, () => {})).rejects.toThrow(/from 2 to 10000/);
    await expect(simulateCommand(file, { runs: "10001" }, () => {})).rejects.toThrow(/from 2 to 10000/);
    await expect(simulateCommand(file, { runs: "2", sweep: "band=5" }, () => {})).rejects.toThrow(/cannot be combined/);
  });
});
