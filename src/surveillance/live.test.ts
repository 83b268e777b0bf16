/**
 * Surveillance as a read model over the real engine's records: alerts get stable ids and versions as evidence grows;
 * a configuration change in the journal applies from its record on (a rule disabled raises nothing, enabled again it
 * finds its state whole); session statistics and times; cases built from the engine's events with who and why, keeping
 * their alerts' copies.
 */

import { describe, expect, it } from "vitest";
import type { Command } from "../engine/commands.ts";
import { Engine } from "../engine/engine.ts";
import { engineLimits } from "./journal.ts";
import { type AlertChange, alertId, LiveSurveillance } from "./live.ts";

const T0 = Date.UTC(2026, 0, 5, 5);

class Market {
  readonly engine = new Engine();
  readonly live = new LiveSurveillance(engineLimits(this.engine));
  readonly changes: AlertChange[] = [];
  private seq = 0;
  timeMs = T0;

  constructor() {
    this.live.onAlerts((changes) => this.changes.push(...changes));
    this.run({
      type: "instrument.list",
      instrument: "I",
      mode: "continuous",
      tickSize: 100,
      lotSize: 1000,
      referencePrice: 12_000_000,
    });
    this.run({
      type: "member.add",
      member: "M1",
      name: "One",
      roles: ["producer", "buyer"],
      buyerCategory: "wholesaler",
    });
    this.run({ type: "account.open", account: "A1", member: "M1" });
    this.run({ type: "account.open", account: "A2", member: "M1" });
    this.run({ type: "phase.set", instrument: "I", phase: "continuous" });
  }

  run(command: Command, actor = "regulator", stepMs = 1000): void {
    this.seq++;
    this.timeMs += stepMs;
    const events = this.engine.apply({ seq: this.seq, timeMs: this.timeMs, command });
    expect(events.filter((e) => e.type === "rejected")).toEqual([]);
    this.live.apply({ seq: this.seq, timeMs: this.timeMs, command, meta: { actor, role: "regulator" }, events });
  }

  /** A trade between A2 (sell) and A1 (buy): a wash trade, both accounts being M1's. */
  wash(id: string): void {
    const order = (side: "buy" | "sell"): Command => ({
      type: "order.new",
      instrument: "I",
      orderId: `${id}-${side}`,
      account: side === "buy" ? "A1" : "A2",
      side,
      orderType: "limit",
      price: 12_000_000,
      quantity: 10_000,
    });
    this.run(order("sell"));
    this.run(order("buy"));
  }
}

describe("live surveillance", () => {
  it("finds an alert that names no instrument (automated entry) by the instrument of its session", () => {
    const market = new Market();
    for (let i = 0; i < 3; i++) {
      market.run(
        {
          type: "order.new",
          instrument: "I",
          orderId: `fast-${i}`,
          account: "A1",
          side: "buy",
          orderType: "limit",
          price: 11_000_000 + i * 100,
          quantity: 1000,
        },
        "trader",
        100,
      );
    }
    const [alert] = market.live.alerts({ rule: "automated-entry" });
    expect(alert).toMatchObject({ rule: "automated-entry", instrument: null, members: ["M1"] });
    expect(market.live.alerts({ rule: "automated-entry", instrument: "I" }).map((a) => a.id)).toEqual([alert!.id]);
    expect(market.live.alerts({ rule: "automated-entry", instrument: "J" })).toEqual([]);
  });

  it("raises an alert with a stable id and a new version as its evidence grows", () => {
    const m = new Market();
    m.wash("w1");
    const [first] = m.live.alerts();
    expect(first).toMatchObject({ rule: "wash-trade", severity: "high", version: 1, caseId: null });
    expect(first!.id).toBe(alertId(first!.key));
    m.wash("w2");
    // The rule raises a pair at its first trade and again, with all its trades so far, at each further one: the
    // second trade shows at once, not when the session ends.
    expect(m.live.alerts()).toHaveLength(1);
    expect(m.live.alert(first!.id)).toMatchObject({
      version: 2,
      raisedSeq: first!.raisedSeq,
      figures: { trades: 2, quantityKg: 20_000 },
    });
    expect(m.changes.map((c) => c.change)).toEqual(["raised", "updated"]);
    // The session's end adds nothing the alert did not already say.
    m.run({ type: "phase.set", instrument: "I", phase: "closed" });
    expect(m.live.alert(first!.id)!.version).toBe(2);
    expect(m.changes).toHaveLength(2);
  });

  it("applies a configuration change from its record on, and a re-enabled rule finds its state whole", () => {
    const m = new Market();
    m.run({ type: "surveillance.configure", changes: { washTrade: { enabled: false } }, reason: "trial" });
    expect(m.live.configurationChange).toMatchObject({ reason: "trial", actor: "regulator" });
    m.wash("w1");
    expect(m.live.alerts()).toEqual([]);
    m.run({ type: "surveillance.configure", changes: { washTrade: { enabled: true } }, reason: "trial over" });
    m.wash("w2");
    m.run({ type: "phase.set", instrument: "I", phase: "closed" });
    // The pair's first trade (made while the rule was off) is counted in the alert raised once it is on again.
    expect(m.live.alerts()[0]).toMatchObject({ rule: "wash-trade", figures: { trades: 2 } });
    expect(m.live.configuration.washTrade.enabled).toBe(true);
  });

  it("keeps each ended session's statistics and times", () => {
    const m = new Market();
    m.wash("w1");
    expect(m.live.statistics()).toEqual([]);
    m.run({ type: "phase.set", instrument: "I", phase: "closed" });
    const [statistics] = m.live.statistics();
    expect(statistics).toMatchObject({ session: "I:1", trades: 1, volumeKg: 10_000, buyersHhi: 10_000 });
    expect(m.live.sessionTimes("I:1")).toEqual({
      session: "I:1",
      instrument: "I",
      openMs: T0 + 5000,
      closeMs: m.timeMs,
    });
  });

  it("builds cases from the engine's events, with who and why, and marks their alerts", () => {
    const m = new Market();
    m.wash("w1");
    const id = m.live.alerts()[0]!.id;
    m.run({ type: "case.open", alert: id, reason: "one member on both sides" }, "inspector");
    m.run({ type: "case.note", caseId: "CASE-1", note: "asked the member" }, "inspector");
    expect(m.live.alert(id)!.caseId).toBe("CASE-1");
    m.run({ type: "case.review", caseId: "CASE-1", reason: "complete" }, "chief");
    m.run({ type: "case.close", caseId: "CASE-1", outcome: "warning", reason: "first time" }, "chief");
    const view = m.live.caseOf("CASE-1")!;
    expect(view).toMatchObject({ status: "closed", outcome: "warning", alerts: [id] });
    expect(view.steps.map((s) => [s.action, s.actor, s.text])).toEqual([
      ["opened", "inspector", "one member on both sides"],
      ["noted", "inspector", "asked the member"],
      ["reviewing", "chief", "complete"],
      ["closed", "chief", "first time"],
    ]);
    expect(m.live.alert(id)!.caseId).toBeNull();
    expect(m.live.caseAlerts("CASE-1").map((a) => a.id)).toEqual([id]);
    expect(m.live.caseList("closed").map((c) => c.id)).toEqual(["CASE-1"]);
    expect(m.live.caseList("open")).toEqual([]);
  });
});
