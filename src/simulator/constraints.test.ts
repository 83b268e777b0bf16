/**
 * Which constraint binds (constraints.ts), on one-plant, one-region markets built so that one constraint alone can
 * hold supply back: the report must name that one.
 */

import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { ConstraintRow } from "./constraints.ts";
import { readScenarioJson } from "./load.ts";
import type { SimulationResult } from "./results.ts";
import { runScenario } from "./runner.ts";
import { parseScenario } from "./scenario.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");
const TEMPLATE = readScenarioJson(join(SCENARIOS, "liberalisation-2022.json")) as Record<string, unknown>;

interface Market {
  readonly outputTonnes: number;
  readonly demandTonnes: number;
  /** Export parity is 217,500 tenge/t in the template: netback = 217,500 − this. */
  readonly exportLogistics: number;
  readonly exportCapacityTonnes: number;
  readonly networks: readonly number[];
  readonly exportOpen: boolean;
  readonly obligation: boolean;
  readonly planTonnes: number;
  readonly bandPercent: number | null;
  readonly ceiling: number | null;
  readonly maxSharePercent: number | null;
}

const BASE: Market = {
  outputTonnes: 20_000,
  demandTonnes: 10_000,
  exportLogistics: 60_000,
  exportCapacityTonnes: 10_000,
  networks: [60, 40],
  exportOpen: true,
  obligation: false,
  planTonnes: 0,
  bandPercent: null,
  ceiling: null,
  maxSharePercent: null,
};

/** One plant P0 and one region R0 for 28 days from 1 January 2022 on the national scenario's behaviour. */
function scenarioOf(m: Market) {
  const rules = TEMPLATE.rules as Record<string, unknown>;
  return {
    ...TEMPLATE,
    days: 28,
    focusRegions: ["R0"],
    market: {
      plants: [
        {
          id: "P0",
          name: "plant",
          region: "R0",
          outputTonnesPerMonth: m.outputTonnes,
          costTengePerTonne: 80_000,
          exportLogisticsTengePerTonne: m.exportLogistics,
          exportCapacityTonnesPerMonth: m.exportCapacityTonnes,
        },
      ],
      regions: [
        {
          id: "R0",
          name: "region",
          demandTonnesPerMonth: m.demandTonnes,
          retailTengePerLitre: 60,
          markupPercent: 20,
          networkSharesPercent: m.networks,
        },
      ],
      routes: [{ plant: "P0", region: "R0", distanceKm: 100, planTonnesPerMonth: m.planTonnes }],
    },
    rules: {
      ...rules,
      domesticObligation: m.obligation,
      exchangeSharePercent: 100,
      offExchangePriceTengePerTonne: null,
      exportOpen: m.exportOpen,
      retailCaps: [],
      changes: [],
      safeguards: {
        bandPercent: m.bandPercent,
        ceilingTengePerTonne: m.ceiling,
        ceilingPath: [],
        maxSharePercent: m.maxSharePercent,
      },
    },
  };
}

const run = (m: Partial<Market>) => runScenario(parseScenario(scenarioOf({ ...BASE, ...m })));
const january = (r: SimulationResult): ConstraintRow => r.constraints.find((c) => c.month === "2022-01")!;

describe("which constraint binds", () => {
  it("a ceiling under the netback: the plant keeps its free gas off the exchange, the ceiling binds", async () => {
    // Netback 157,500 > ceiling 80,000: nothing free is offered.
    const r = await run({ ceiling: 80_000 });
    const c = january(r);
    expect(c.binding).toBe("ceiling");
    expect(c.ceilingTonnes).toBeGreaterThan(0);
    expect(c.bandTonnes).toBe(0);
    expect(c.buyerLimitTonnes).toBe(0);
    expect(r.monthly[0]!.shortageTonnes).toBeGreaterThan(0);
  });

  it("a band whose upper end is under the netback binds (no ceiling)", async () => {
    // Reference 67,000 ± 5%: the highest price allowed is 70,350, under the netback of 157,500.
    const c = january(await run({ bandPercent: 5 }));
    expect(c.binding).toBe("band");
    expect(c.bandTonnes).toBeGreaterThan(0);
    expect(c.ceilingTonnes).toBe(0);
  });

  it("of band and ceiling both under the netback, the lower names the constraint", async () => {
    // Band's upper end 70,350, ceiling 69,000: the ceiling is the lower limit.
    const c = january(await run({ bandPercent: 5, ceiling: 69_000 }));
    expect(c.binding).toBe("ceiling");
    expect(c.bandTonnes).toBe(0);
  });

  it("a 30% buyer limit with one network and export closed binds; without the limit nothing is held back by it", async () => {
    const limited = await run({ exportOpen: false, networks: [100], maxSharePercent: 30, outputTonnes: 10_000 });
    const free = await run({ exportOpen: false, networks: [100], maxSharePercent: null, outputTonnes: 10_000 });
    expect(january(limited).binding).toBe("buyerLimit");
    expect(january(limited).buyerLimitTonnes).toBeGreaterThan(0);
    expect(january(free).buyerLimitTonnes).toBe(0);
    expect(limited.monthly[0]!.shortageTonnes).toBeGreaterThan(free.monthly[0]!.shortageTonnes);
  });

  it("planned gas offered cheaply, free gas only at the netback above what networks pay: the netback binds", async () => {
    const c = january(await run({ obligation: true, planTonnes: 5_000 }));
    expect(c.binding).toBe("netback");
    expect(c.netbackTonnes).toBeGreaterThan(0);
    expect(c.ceilingTonnes + c.bandTonnes + c.buyerLimitTonnes).toBe(0);
  });

  it("no export capacity with free gas to spare: export capacity binds", async () => {
    // Netback 17,500 (under any bid): every free tonne would go abroad if it could.
    const c = january(await run({ exportLogistics: 200_000, exportCapacityTonnes: 0, outputTonnes: 30_000 }));
    expect(c.binding).toBe("exportCapacity");
    expect(c.exportCapacityTonnes).toBeGreaterThan(0);
  });
});
