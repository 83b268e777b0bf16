import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "./load.ts";
import { comparisonFiles, runFiles } from "./output.ts";
import { runScenario } from "./runner.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");

describe("determinism", () => {
  it("the same scenario and seed give byte-identical files; another seed gives others", async () => {
    const s = { ...loadScenario(join(SCENARIOS, "safeguarded-2022.json")), days: 12 };
    const first = runFiles(await runScenario(s));
    const second = runFiles(await runScenario(s));
    expect([...first.keys()]).toEqual([...second.keys()]);
    for (const [name, content] of first) expect(second.get(name), name).toBe(content);
    const other = runFiles(await runScenario({ ...s, seed: s.seed + 1 }));
    expect(other.get("result.json")).not.toBe(first.get("result.json"));
  });

  it("a comparison writes both runs and four shared charts, each SVG with its own ids", async () => {
    const a = await runScenario({ ...loadScenario(join(SCENARIOS, "liberalisation-2022.json")), days: 5 });
    const b = await runScenario({ ...loadScenario(join(SCENARIOS, "retail-freeze-50.json")), days: 5 });
    const files = comparisonFiles(a, b);
    expect([...files.keys()].filter((k) => k.startsWith("charts/"))).toEqual([
      "charts/compare-wholesale.svg",
      "charts/compare-retail.svg",
      "charts/compare-shortages.svg",
      "charts/compare-volumes.svg",
    ]);
    const html = files.get("report.html")!;
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).not.toMatch(/zr\d+-/);
    expect(files.get("a/regions.csv")!.split("\n")[0]).toBe(
      "date,region,retail_tenge_per_litre,wholesale_tenge_per_tonne,delivered_tenge_per_tonne,exchange_tonnes,off_exchange_tonnes,demand_tonnes,sales_tonnes,shortage_tonnes,stock_tonnes",
    );
  });
});
