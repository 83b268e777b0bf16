import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, readScenarioJson } from "./load.ts";
import { mergeScenario, overrideField, parseScenario, ScenarioError, undocumentedNumbers } from "./scenario.ts";
import { parseSweep, sweepVariants } from "./sweep.ts";

/** The parts of a scenario file the test changes. */
type ScenarioJson = {
  days?: number;
  manipulators: Record<
    "washTrading" | "spoofer" | "colludingBuyers" | "limitBidders" | "withholding",
    Record<string, unknown>
  >;
};

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");
const files = readdirSync(SCENARIOS).filter((f) => f.endsWith(".json"));

describe("scenario files", () => {
  it("has the four scenarios of the issue, the manipulation scenario and January 2022 as it happened", () => {
    expect(files.sort()).toEqual([
      "baseline-2021.json",
      "january-2022-actual.json",
      "liberalisation-2022.json",
      "manipulation-2021.json",
      "retail-freeze-50.json",
      "safeguarded-2022.json",
    ]);
  });

  it("cite their figures from docs/sources.md, each quoted section or phrase found there, and nothing outside the repository", () => {
    const sources = readFileSync(resolve(import.meta.dirname, "../../docs/sources.md"), "utf8");
    const texts = [...files.map((f) => join(SCENARIOS, f)), join(SCENARIOS, "base/kazakhstan-lpg-market.json")].map(
      (path) => readFileSync(path, "utf8"),
    );
    const quoted = texts.flatMap((text) => [...text.matchAll(/docs\/sources\.md,? \('?([^')]+)'?\)?/g)]);
    const cited = quoted.map((match) => match[1]!).filter((q) => !q.startsWith(":"));
    expect(new Set(cited)).toEqual(new Set(["Retail prices by region", "What happened", "about $500/t", "about 435"]));
    for (const phrase of cited) expect(sources, phrase).toContain(phrase);
    for (const text of texts) expect(text).not.toMatch(/DOMAIN\.md|\.\.\/shared/);
  });

  for (const file of files) {
    it(`${file} parses and documents every number it assumes`, () => {
      const json = readScenarioJson(join(SCENARIOS, file));
      expect(undocumentedNumbers(json)).toEqual([]);
      const scenario = parseScenario(json);
      expect(scenario.name).toBe(file.replace(/\.json$/, ""));
    });
  }

  it("the base market is consistent: plans per region near demand, export room for every plant", () => {
    const s = loadScenario(join(SCENARIOS, "baseline-2021.json"));
    const planTotal = s.market.routes.reduce((sum, r) => sum + r.planTonnesPerMonth, 0);
    const demandTotal = s.market.regions.reduce((sum, g) => sum + g.demandTonnesPerMonth, 0);
    expect(planTotal).toBeGreaterThanOrEqual(120_000); // docs/sources.md: plan 120-140 kt/month
    expect(planTotal).toBeLessThanOrEqual(140_000);
    expect(Math.abs(planTotal - demandTotal) / demandTotal).toBeLessThan(0.02);
    for (const p of s.market.plants) {
      const plan = s.market.routes.filter((r) => r.plant === p.id).reduce((sum, r) => sum + r.planTonnesPerMonth, 0);
      expect(p.outputTonnesPerMonth - plan, p.id).toBeLessThanOrEqual(p.exportCapacityTonnesPerMonth);
    }
  });
});

describe("scenario checking", () => {
  const base = readScenarioJson(join(SCENARIOS, "liberalisation-2022.json"));

  it("names the bad field and the rule", () => {
    expect(() => parseScenario(overrideField(base, "densityKgPerLitre", 2))).toThrow(
      /densityKgPerLitre: expected a number from 0.3 to 1/,
    );
    expect(() => parseScenario(overrideField(base, "start", "2022-02-30"))).toThrow(/start: expected a date/);
    expect(() => overrideField(base, "rules.nothing", 1)).toThrow(ScenarioError);
    const plant = parseScenario(overrideField(base, "plants[KAZGPZ].exportLogisticsTengePerTonne", 80000));
    expect(plant.market.plants.find((p) => p.id === "KAZGPZ")!.exportLogisticsTengePerTonne).toBe(80000);
    const route = parseScenario(overrideField(base, "market.routes[KAZGPZ>MANGYSTAU].distanceKm", 200));
    expect(route.market.routes.find((r) => r.plant === "KAZGPZ" && r.region === "MANGYSTAU")!.distanceKm).toBe(200);
    expect(() => overrideField(base, "plants[NOWHERE].costTengePerTonne", 1)).toThrow(ScenarioError);
  });

  it("merges objects field by field and replaces arrays", () => {
    expect(mergeScenario({ a: { b: 1, c: [1, 2] }, d: 1 }, { extends: "x", a: { c: [3] } })).toEqual({
      a: { b: 1, c: [3] },
      d: 1,
    });
  });

  it("finds undocumented numbers by path pattern", () => {
    expect(undocumentedNumbers({ notes: { "x[].y": "doc" }, x: [{ y: 1, z: 2 }], w: 3 })).toEqual(["w", "x[].z"]);
  });

  it("parses sweeps with aliases and makes one named variant per value", () => {
    const spec = parseSweep("band=5,10,20");
    expect(spec).toEqual({ name: "band", path: "rules.safeguards.bandPercent", values: [5, 10, 20] });
    const variants = sweepVariants(base, spec);
    expect(variants.map((v) => [v.name, v.rules.safeguards.bandPercent])).toEqual([
      ["liberalisation-2022-band-5", 5],
      ["liberalisation-2022-band-10", 10],
      ["liberalisation-2022-band-20", 20],
    ]);
    expect(parseSweep("exportOpen=true,false").values).toEqual([true, false]);
    expect(() => parseSweep("band")).toThrow(/expected name=value/);
    expect(() => parseSweep("band=5,x")).toThrow(/'x' is not a number/);
  });

  it("--sweep ceiling=null means no ceiling at all, its path included; a number keeps the path", () => {
    const safeguarded = readScenarioJson(join(SCENARIOS, "safeguarded-2022.json"));
    const [none, some] = sweepVariants(safeguarded, parseSweep("ceiling=null,90000"));
    expect(none!.rules.safeguards.ceilingTengePerTonne).toBeNull();
    expect(none!.rules.safeguards.ceilingPath).toEqual([]);
    expect(some!.rules.safeguards.ceilingTengePerTonne).toBe(90_000);
    expect(some!.rules.safeguards.ceilingPath.length).toBeGreaterThan(0);
  });

  it("reads the manipulators: each switched on by enabled, checked, and none when the section is absent", () => {
    const json = readScenarioJson(join(SCENARIOS, "manipulation-2021.json")) as ScenarioJson;
    const on = parseScenario(json).manipulators;
    expect(on.washTrading).toEqual({ plant: "KAZGPZ", region: "MANGYSTAU", lots: 20, everySessions: 5 });
    expect(on.withholding).toEqual({ plant: "CNPC-AMG", offerPercent: 50, from: "2021-03-01" });
    json.manipulators.spoofer.enabled = false;
    expect(parseScenario(json).manipulators.spoofer).toBeNull();
    json.manipulators.colludingBuyers.members = 1;
    expect(() => parseScenario(json)).toThrow(/manipulators.colludingBuyers.*members/);
    json.manipulators.colludingBuyers.members = 2;
    json.manipulators.limitBidders.plant = "NOWHERE";
    expect(() => parseScenario(json)).toThrow(/unknown plant NOWHERE/);
    expect(parseScenario(readScenarioJson(join(SCENARIOS, "baseline-2021.json"))).manipulators).toEqual({
      washTrading: null,
      spoofer: null,
      colludingBuyers: null,
      limitBidders: null,
      withholding: null,
    });
  });
});
