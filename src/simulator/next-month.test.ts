/**
 * Trading next month's delivery in this month's sessions (`rules.nextMonthFromDay`): from that day of a month the
 * sessions trade the next month's instruments, listed that day; the current month's stop trading.
 */

import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readScenarioJson } from "./load.ts";
import { runScenario } from "./runner.ts";
import { parseScenario, ScenarioError } from "./scenario.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");
const TEMPLATE = readScenarioJson(join(SCENARIOS, "liberalisation-2022.json")) as Record<string, unknown>;

/** One plant, one region, 1 January to 21 March 2022. */
function scenarioOf(nextMonthFromDay: unknown) {
  return {
    ...TEMPLATE,
    days: 80,
    focusRegions: ["R0"],
    market: {
      plants: [
        {
          id: "P0",
          name: "plant",
          region: "R0",
          outputTonnesPerMonth: 20_000,
          costTengePerTonne: 50_000,
          exportLogisticsTengePerTonne: 100_000,
          exportCapacityTonnesPerMonth: 10_000,
        },
      ],
      regions: [
        {
          id: "R0",
          name: "region",
          demandTonnesPerMonth: 10_000,
          retailTengePerLitre: 60,
          markupPercent: 20,
          networkSharesPercent: [60, 40],
        },
      ],
      routes: [{ plant: "P0", region: "R0", distanceKm: 100, planTonnesPerMonth: 0 }],
    },
    rules: { ...(TEMPLATE.rules as object), retailCaps: [], changes: [], nextMonthFromDay },
  };
}

describe("next month's delivery in this month's sessions", () => {
  it("from the day set, the sessions trade the next month's instruments, and trade in them", async () => {
    const r = await runScenario(parseScenario(scenarioOf(20)));
    const deliveryOf = (date: string) => {
      const rows = r.sessions.filter((x) => x.date === date);
      expect(rows).toHaveLength(1);
      return rows[0]!.instrument.slice(-7);
    };
    for (const x of r.sessions) {
      const day = Number(x.date.slice(8));
      const month = x.date.slice(0, 7);
      const expected =
        day >= 20 ? (month === "2022-01" ? "2022-02" : month === "2022-02" ? "2022-03" : "2022-04") : month;
      expect(x.instrument.slice(-7), x.date).toBe(expected);
    }
    // The limit: the 19th still trades its own month, the 20th the next.
    expect(deliveryOf("2022-01-19")).toBe("2022-01");
    expect(deliveryOf("2022-01-20")).toBe("2022-02");
    // February's delivery trades from 20 January on, before its month starts, and through to 18 February.
    const february = r.sessions.filter((x) => x.instrument.endsWith("2022-02"));
    expect(february[0]!.date).toBe("2022-01-20");
    expect(february.filter((x) => x.date < "2022-02-01").reduce((sum, x) => sum + x.volumeTonnes, 0)).toBeGreaterThan(
      0,
    );
    expect(february.at(-1)!.date).toBe("2022-02-18");
    expect(r.engine.instrumentsListed).toBe(4);
  });

  it("null (the default): each month's sessions trade that month's delivery", async () => {
    const r = await runScenario(parseScenario(scenarioOf(null)));
    for (const x of r.sessions) expect(x.instrument.endsWith(x.date.slice(0, 7)), x.date).toBe(true);
    expect(r.engine.instrumentsListed).toBe(3);
  });

  it("the day must be a whole number from 2 to 28", () => {
    expect(() => parseScenario(scenarioOf(29))).toThrow(ScenarioError);
    expect(() => parseScenario(scenarioOf(1))).toThrow(ScenarioError);
    expect(() => parseScenario(scenarioOf(2.5))).toThrow(ScenarioError);
    expect(parseScenario(scenarioOf(28)).rules.nextMonthFromDay).toBe(28);
  });
});
