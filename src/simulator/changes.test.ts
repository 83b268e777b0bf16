/**
 * Dated rule changes in a scenario (`rules.changes`): each applies at 00:00 local time of its date through the
 * regulator's engine commands (safeguards on every listed instrument, halts and resumptions) or, for retail caps, in
 * the stations from that day.
 */

import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Command } from "../engine/commands.ts";
import { readScenarioJson } from "./load.ts";
import { runScenario } from "./runner.ts";
import { parseScenario, ScenarioError } from "./scenario.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");
/** 00:00 in Kazakhstan (UTC+5) on a date: 19:00 UTC the day before. */
const localMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`) - 5 * 3_600_000;

const CHANGES = [
  {
    date: "2021-01-06",
    reason: "band and ceiling",
    change: { safeguards: { bandPercent: 5, ceilingTengePerTonne: 60000 } },
  },
  { date: "2021-01-07", reason: "pump cap", change: { retailCap: { region: "MANGYSTAU", tengePerLitre: 40 } } },
  { date: "2021-01-08", reason: "halt for a day", change: { halt: { scope: "market" } } },
  { date: "2021-01-11", reason: "trading again", change: { resume: { scope: "market" } } },
];

describe("dated rule changes", () => {
  it("apply at 00:00 local time through the regulator's commands and bind from that day", async () => {
    const json = readScenarioJson(join(SCENARIOS, "baseline-2021.json")) as Record<string, unknown>;
    const scenario = parseScenario({ ...json, days: 12, rules: { ...(json.rules as object), changes: CHANGES } });
    const regulator: { timeMs: number; command: Command }[] = [];
    const result = await runScenario(scenario, {
      onApplied: (_seq, timeMs, command) => {
        if (["safeguards.set", "halt", "resume"].includes(command.type) && "reason" in command) {
          if (command.reason.includes("2021-01-")) regulator.push({ timeMs, command });
        }
      },
    });
    const set = regulator.filter((r) => r.command.type === "safeguards.set");
    expect(set.length).toBe(result.engine.instrumentsListed); // every instrument listed for January
    for (const r of set) {
      expect(r.timeMs).toBe(localMidnight("2021-01-06"));
      expect(r.command).toMatchObject({ changes: { bandBps: 500, ceiling: 6_000_000, ceilingPath: [] } });
    }
    expect(regulator.filter((r) => r.command.type !== "safeguards.set").map((r) => [r.command.type, r.timeMs])).toEqual(
      [
        ["halt", localMidnight("2021-01-08")],
        ["resume", localMidnight("2021-01-11")],
      ],
    );
    const priced = (from: string, to: string) =>
      result.sessions.filter((x) => x.date >= from && x.date < to && x.priceTengePerTonne !== null);
    // Before the change some sessions cleared above 60,000; from it none does, and trading goes on at the ceiling.
    expect(priced("2021-01-01", "2021-01-06").some((x) => x.priceTengePerTonne! > 60_000)).toBe(true);
    const after = priced("2021-01-06", "2021-01-13");
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((x) => x.priceTengePerTonne! <= 60_000)).toBe(true);
    // The halt day has no session; the market trades again on the day of the resumption.
    expect(result.sessions.filter((x) => x.date === "2021-01-08")).toEqual([]);
    expect(result.sessions.filter((x) => x.date === "2021-01-11").length).toBeGreaterThan(0);
    // The retail cap binds in Mangystau from its date, not before.
    const retail = result.regionSeries.MANGYSTAU!.retailTengePerLitre;
    const day = (date: string) => result.dates.indexOf(date);
    expect(retail[day("2021-01-06")]!).toBeGreaterThan(40);
    expect(retail.slice(day("2021-01-07")).every((r) => r <= 40)).toBe(true);
  });

  it("are checked: one kind per change, known regions, dates in order", () => {
    const json = readScenarioJson(join(SCENARIOS, "baseline-2021.json")) as Record<string, unknown>;
    const withChanges = (changes: unknown[]) =>
      parseScenario({ ...json, rules: { ...(json.rules as object), changes } });
    expect(parseScenario(json).rules.changes).toEqual([]);
    expect(withChanges(CHANGES).rules.changes[0]).toEqual({
      date: "2021-01-06",
      reason: "band and ceiling",
      change: { kind: "safeguards", bandPercent: 5, ceilingTengePerTonne: 60000 },
    });
    expect(() =>
      withChanges([{ date: "2021-01-06", reason: "x", change: { halt: { scope: "market" }, resume: {} } }]),
    ).toThrow(/exactly one/);
    expect(() =>
      withChanges([{ date: "2021-01-06", reason: "x", change: { retailCap: { region: "MARS", tengePerLitre: 1 } } }]),
    ).toThrow(/unknown region MARS/);
    expect(() => withChanges([CHANGES[1], CHANGES[0]])).toThrow(ScenarioError);
  });

  it("a market change switches the supply obligation on mid-month: the plan is registered that day and offered", async () => {
    const json = readScenarioJson(join(SCENARIOS, "liberalisation-2022.json")) as Record<string, unknown>;
    const change = {
      date: "2022-01-06",
      reason: "regulated supply",
      change: { market: { domesticObligation: true, exchangeSharePercent: 60, offExchangePriceTengePerTonne: 38700 } },
    };
    const scenario = parseScenario({ ...json, days: 10, rules: { ...(json.rules as object), changes: [change] } });
    expect(scenario.rules.changes[0]!.change).toEqual({
      kind: "market",
      domesticObligation: true,
      exchangeSharePercent: 60,
      offExchangePriceTengePerTonne: 38700,
    });
    const plans: { timeMs: number; plant: string }[] = [];
    const result = await runScenario(scenario, {
      onApplied: (_seq, timeMs, command) => {
        if (command.type === "supply.plan") plans.push({ timeMs, plant: (command as { producer: string }).producer });
      },
    });
    expect(plans.length).toBe(scenario.market.plants.length);
    for (const p of plans) expect(p.timeMs).toBe(localMidnight("2022-01-06"));
    // Off-exchange deliveries at the regulated price start from the change, none before it.
    const off = result.regionSeries.MANGYSTAU!.offExchangeTonnes;
    const day = (date: string) => result.dates.indexOf(date);
    expect(off.slice(0, day("2022-01-06")).every((t) => t === 0)).toBe(true);
    expect(off.slice(day("2022-01-06")).some((t) => t > 0)).toBe(true);
    expect(() =>
      parseScenario({
        ...json,
        rules: { ...(json.rules as object), changes: [{ ...change, change: { market: { exportOpen: "no" } } }] },
      }),
    ).toThrow(/exportOpen/);
  });
});
