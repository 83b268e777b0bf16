/**
 * Surveillance over a policy-lab run with manipulators beside the honest agents (scenarios/manipulation-2021.json,
 * shortened): each manipulator is flagged by its own rule, and the rules that accuse a member of a trading
 * manipulation name no honest agent. The withholding rule does name an honest producer that left declared gas
 * unoffered while the price rose (docs/surveillance.md, "In the policy lab"): the test pins which.
 */

import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readScenarioJson } from "../simulator/load.ts";
import { parseScenario } from "../simulator/scenario.ts";
import { judge, runWithSurveillance } from "./lab-surveillance.ts";

/** The parts of a scenario file the test changes. */
type ScenarioJson = {
  days?: number;
  manipulators: Record<
    "washTrading" | "spoofer" | "colludingBuyers" | "limitBidders" | "withholding",
    Record<string, unknown>
  >;
};

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");

describe("surveillance over a lab run with manipulators", () => {
  it("flags each manipulator by its rule and names no honest agent in a trading-manipulation alert", async () => {
    const json = readScenarioJson(join(SCENARIOS, "manipulation-2021.json")) as ScenarioJson;
    // Two months, with the producer withholding from the start so that a month of it completes.
    json.days = 59;
    json.manipulators.withholding.from = "2021-01-01";
    const result = await runWithSurveillance(parseScenario(json));
    const w = result.surveillance!;
    expect(w.manipulators.map((m) => [m.manipulator, m.rule, m.flagged])).toEqual([
      ["washTrading", "wash-trade", true],
      ["spoofer", "spoofing", true],
      ["colludingBuyers", "coordinated-bidding", true],
      ["limitBidders", "price-limit-bidding", true],
      ["withholding", "withholding", true],
    ]);
    expect(w.detectionRate).toBe(1);
    // Every session the wash pair washed in is named; the cartel's and the limit bidders' alerts name all theirs.
    for (const m of w.manipulators.filter((x) => x.manipulator !== "spoofer" && x.manipulator !== "withholding")) {
      expect(m.sessionsNamed, m.manipulator).toBe(m.sessionsActed);
    }
    const manipulating = new Set(Object.values(result.manipulators).flat());
    const honestIn = (rule: string) =>
      w.alerts.filter((a) => a.rule === rule).flatMap((a) => a.accounts.filter((x) => !manipulating.has(x)));
    for (const rule of ["wash-trade", "spoofing", "coordinated-bidding", "price-limit-bidding", "automated-entry"]) {
      expect(honestIn(rule), rule).toEqual([]);
    }
    // Known false alerts: an honest producer whose declared gas, less what it took back to export, went more than 10%
    // unoffered in a month whose price rose more than 5% (here KGM and KPO).
    // Before withdrawals counted against the declared volume, KAZGPZ and TCO were named too.
    expect([...new Set(honestIn("withholding"))].sort()).toEqual(["KGM", "KPO"]);
    expect(w.falseManipulationAlerts).toBe(w.falseAlertsByRule.withholding ?? 0);
  });

  it("counts false alerts per rule and per 1,000 sessions, concentration apart", () => {
    const alert = (rule: string, accounts: string[]) =>
      ({ rule, key: `${rule}|${accounts.join("|")}`, accounts, groups: accounts, sessions: ["s"] }) as never;
    const w = judge(
      [
        alert("wash-trade", ["W1", "W2"]),
        alert("concentration", ["P1"]),
        alert("withholding", ["P2"]),
        alert("spoofing", ["S"]),
      ],
      { washTrading: ["W1", "W2"], spoofer: [], colludingBuyers: [], limitBidders: ["L1"], withholding: ["P3"] },
      500,
    );
    expect(w.manipulators.map((m) => [m.manipulator, m.flagged, m.alerts])).toEqual([
      ["washTrading", true, 1],
      ["limitBidders", false, 0],
      ["withholding", false, 0],
    ]);
    expect(w.detectionRate).toBeCloseTo(1 / 3);
    expect([w.falseAlerts, w.falseAlertsPer1000Sessions, w.falseManipulationAlerts]).toEqual([3, 6, 2]);
    expect(w.falseManipulationAlertsPer1000Sessions).toBe(4);
    expect(w.falseAlertsByRule).toEqual({ concentration: 1, withholding: 1, spoofing: 1 });
    expect(w.honestAccountsFlagged).toEqual(["P1", "P2", "S"]);
  });
});
