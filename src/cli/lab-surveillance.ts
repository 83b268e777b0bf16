/**
 * Market surveillance over a policy-lab run: the detectors of src/surveillance read the run's sequenced commands and
 * events through the `JournalAdapter` (as `sauda surveil --journal` reads a journal), with the limits in force read
 * from the engine right after each command, and the alerts are judged against the manipulators the scenario switched
 * on (src/simulator/manipulators.ts).
 *
 * Judgement: a manipulator is detected when an alert of its rule names one of its accounts (for the withholding
 * producer, about a month from its `from` on: before that it is an honest producer) (wash-trading pair →
 * `wash-trade`, spoofer → `spoofing`, colluding buyers → `coordinated-bidding`, limit bidders →
 * `price-limit-bidding`, withholding producer → `withholding`). A false alert is an alert that names an honest
 * account (one no manipulator trades on), whatever its rule; they are counted per rule and per 1,000 sessions (a
 * session is one instrument's call auction on one trading day), with and without the concentration rule (a report of
 * dominant positions, which in this market names every plant alone on its instrument, not an accusation).
 *
 * The simulator may not import surveillance (docs/architecture.md), so this lives in the CLI, which may.
 */

import type { Command } from "../engine/commands.ts";
import type { Engine } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { ManipulatorAccounts, ManipulatorActs } from "../simulator/manipulators.ts";
import type { LabAlert, LabSurveillance, SimulationResult } from "../simulator/results.ts";
import { type RunOptions, runScenario } from "../simulator/runner.ts";
import type { Scenario } from "../simulator/scenario.ts";
import { type Alert, AlertBook, engineLimits, JournalAdapter, Surveillance } from "../surveillance/index.ts";

/** Each manipulator kind and the rule that should flag it. */
export const MANIPULATOR_RULES: readonly { readonly manipulator: keyof ManipulatorAccounts; readonly rule: string }[] =
  [
    { manipulator: "washTrading", rule: "wash-trade" },
    { manipulator: "spoofer", rule: "spoofing" },
    { manipulator: "colludingBuyers", rule: "coordinated-bidding" },
    { manipulator: "limitBidders", rule: "price-limit-bidding" },
    { manipulator: "withholding", rule: "withholding" },
  ];

/** Feeds a run's commands and events to surveillance; `finish` gives the alerts. */
export class RunSurveillance {
  private readonly book = new AlertBook();
  private readonly surveillance = new Surveillance(this.book);
  private adapter: JournalAdapter | null = null;

  readonly onApplied = (
    seq: number,
    timeMs: number,
    command: Command,
    events: readonly EngineEvent[],
    engine: Engine,
  ): void => {
    this.adapter ??= new JournalAdapter((record) => this.surveillance.apply(record), engineLimits(engine));
    this.adapter.record(seq, timeMs, command, events);
  };

  finish(): Alert[] {
    this.surveillance.finish(this.adapter?.lastTime ?? 0);
    return this.book.alerts();
  }
}

/** What the alerts say about the run's manipulators and honest agents. */
export function judge(
  alerts: readonly Alert[],
  accounts: ManipulatorAccounts,
  sessions: number,
  withholdingFromMonth: string | null = null,
  acts: Readonly<ManipulatorActs> | null = null,
): LabSurveillance {
  const manipulating = new Set(Object.values(accounts).flat());
  const withholder = new Set(accounts.withholding);
  // The withholding producer is an honest producer before its withholding starts: alerts about earlier months are
  // neither a detection nor its own.
  const beforeWithholding = (a: Alert) =>
    a.rule === "withholding" && withholdingFromMonth !== null && a.month !== null && a.month < withholdingFromMonth;
  const manipulators = MANIPULATOR_RULES.filter((m) => accounts[m.manipulator].length > 0).map((m) => {
    const own = new Set(accounts[m.manipulator]);
    const hits = alerts.filter((a) => a.rule === m.rule && a.accounts.some((x) => own.has(x)) && !beforeWithholding(a));
    return {
      manipulator: m.manipulator,
      rule: m.rule,
      accounts: [...own].sort(),
      flagged: hits.length > 0,
      alerts: hits.length,
      sessionsActed: m.manipulator === "withholding" || acts === null ? null : acts[m.manipulator],
      sessionsNamed: new Set(hits.flatMap((a) => a.sessions)).size,
    };
  });
  const honestFlagged = new Set<string>();
  const falseAlertsByRule: Record<string, number> = {};
  let falseAlerts = 0;
  for (const a of alerts) {
    const honest = a.accounts.filter((x) => !manipulating.has(x) || (withholder.has(x) && beforeWithholding(a)));
    if (honest.length === 0) continue;
    falseAlerts++;
    falseAlertsByRule[a.rule] = (falseAlertsByRule[a.rule] ?? 0) + 1;
    for (const x of honest) honestFlagged.add(x);
  }
  const labAlerts: LabAlert[] = alerts.map((a) => ({
    rule: a.rule,
    key: a.key,
    instrument: a.instrument,
    side: a.side,
    month: a.month,
    accounts: a.accounts,
    groups: a.groups,
    sessions: a.sessions.length,
    figures: a.figures,
  }));
  const per1000 = (n: number) => (sessions > 0 ? Math.round((n * 1000 * 100) / sessions) / 100 : 0);
  const falseManipulationAlerts = falseAlerts - (falseAlertsByRule.concentration ?? 0);
  return {
    sessions,
    alerts: labAlerts,
    manipulators,
    falseAlerts,
    falseAlertsByRule,
    falseAlertsPer1000Sessions: per1000(falseAlerts),
    falseManipulationAlerts,
    falseManipulationAlertsPer1000Sessions: per1000(falseManipulationAlerts),
    honestAccountsFlagged: [...honestFlagged].sort(),
    detectionRate: manipulators.length > 0 ? manipulators.filter((m) => m.flagged).length / manipulators.length : null,
  };
}

/** Runs a scenario with surveillance over it; the result carries the judged alerts. */
export async function runWithSurveillance(
  scenario: Scenario,
  options: Omit<RunOptions, "onApplied"> = {},
): Promise<SimulationResult> {
  const watch = new RunSurveillance();
  const result = await runScenario(scenario, { ...options, onApplied: watch.onApplied });
  const from = scenario.manipulators.withholding?.from.slice(0, 7) ?? null;
  return {
    ...result,
    surveillance: judge(watch.finish(), result.manipulators, result.sessions.length, from, result.manipulatorSessions),
  };
}
