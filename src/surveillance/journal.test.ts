/**
 * The journal adapter over the real engine: sessions named by the instrument's phase changes, orders carrying the
 * limits the engine checked them against (band and ceiling, the tighter), only the member's own cancels as cancels
 * (one mass cancel one message; expiry and self-trade prevention not at all), a GTC order carried into the next session,
 * groups, declared gas and obligations; and rule 5 decided on the engine's band.
 */

import { describe, expect, it } from "vitest";
import type { Command } from "../engine/commands.ts";
import { Engine } from "../engine/engine.ts";
import { AlertBook } from "./alerts.ts";
import { engineLimits, JournalAdapter } from "./journal.ts";
import type { MarketRecord } from "./records.ts";
import { Surveillance } from "./surveillance.ts";

const T0 = Date.UTC(2026, 0, 5, 5);

class Journal {
  readonly engine = new Engine();
  readonly records: MarketRecord[] = [];
  readonly adapter = new JournalAdapter((r) => this.records.push(r), engineLimits(this.engine));
  private seq = 0;
  timeMs = T0;

  run(command: Command): void {
    this.seq++;
    const events = this.engine.apply({ seq: this.seq, timeMs: this.timeMs, command });
    expect(events.filter((e) => e.type === "rejected")).toEqual([]);
    this.adapter.record(this.seq, this.timeMs, command, events);
  }

  kinds(kind: MarketRecord["kind"]) {
    return this.records.filter((r) => r.kind === kind);
  }
}

const order = (orderId: string, account: string, side: "buy" | "sell", price: number, extra: object = {}): Command => ({
  type: "order.new",
  instrument: "I",
  orderId,
  account,
  side,
  orderType: "limit",
  price,
  quantity: 10_000,
  ...extra,
});

function market(): Journal {
  const j = new Journal();
  j.run({
    type: "instrument.list",
    instrument: "I",
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    referencePrice: 12_000_000,
    description: { product: "PB", basis: "KAZGPZ", region: "MNG", deliveryPeriod: "2026-02" },
  });
  j.run({ type: "member.add", member: "M1", name: "One", roles: ["producer", "buyer"], buyerCategory: "wholesaler" });
  j.run({ type: "member.group", member: "M1", group: "G", evidence: "register 7", reason: "common owner" });
  j.run({ type: "account.open", account: "A1", member: "M1" });
  j.run({ type: "account.open", account: "A2", member: "M1" });
  return j;
}

describe("journal adapter", () => {
  it("names sessions by the instrument's phase changes and gives each order the limits in force", () => {
    const j = market();
    // A band of ±5% around 120,000.00 (114,000.00–126,000.00) and a ceiling of 125,000.00: the upper limit is 125,000.
    j.run({ type: "safeguards.set", instrument: "I", changes: { bandBps: 500, ceiling: 12_500_000 }, reason: "r" });
    j.run({ type: "phase.set", instrument: "I", phase: "continuous" });
    j.run(order("o1", "A1", "buy", 12_500_000));
    j.timeMs += 1000;
    j.run({ type: "phase.set", instrument: "I", phase: "closed" });
    j.run({ type: "phase.set", instrument: "I", phase: "collection" });
    expect(j.records.slice(0, 3)).toEqual([
      { kind: "member", member: "M1", group: null },
      { kind: "member", member: "M1", group: "G" },
      { kind: "account", account: "A1", member: "M1" },
    ]);
    expect(j.kinds("session").map((r) => (r.kind === "session" ? [r.session, r.openMs, r.basis] : []))).toEqual([
      ["I:1", T0, "KAZGPZ"],
      ["I:2", T0 + 1000, "KAZGPZ"],
    ]);
    expect(j.kinds("order")).toEqual([
      {
        kind: "order",
        timeMs: T0,
        message: 8,
        session: "I:1",
        order: "o1",
        account: "A1",
        side: "buy",
        priceTiynPerTonne: 12_500_000,
        quantityKg: 10_000,
        upperLimitTiynPerTonne: 12_500_000,
        lowerLimitTiynPerTonne: 11_400_000,
      },
    ]);
    expect(j.kinds("sessionEnd")).toEqual([{ kind: "sessionEnd", timeMs: T0 + 1000, session: "I:1" }]);
  });

  it("takes only the member's own cancels, one mass cancel as one message, and carries a GTC order over", () => {
    const j = market();
    j.run({ type: "phase.set", instrument: "I", phase: "continuous" });
    j.run(order("day", "A1", "buy", 11_000_000, { tif: "DAY" }));
    j.run(order("gtc", "A1", "buy", 11_100_000));
    j.run(order("m1", "A2", "sell", 13_000_000));
    j.run(order("m2", "A2", "sell", 13_100_000));
    j.run({ type: "order.massCancel", account: "A2" });
    j.run(order("s1", "A1", "sell", 13_200_000));
    j.run(order("stp", "A1", "buy", 13_200_000)); // meets its own account's offer: self-trade prevention cancels it
    j.run({ type: "phase.set", instrument: "I", phase: "closed" }); // "day" expires; "gtc" and "s1" rest on
    j.run({ type: "phase.set", instrument: "I", phase: "continuous" });
    j.run({ type: "order.amend", orderId: "gtc", quantity: 20_000 });
    j.run({ type: "order.cancel", orderId: "gtc" });
    const cancels = j
      .kinds("cancel")
      .map((r) => (r.kind === "cancel" ? [r.order, r.message, r.session, r.orderSession] : []));
    expect(cancels).toEqual([
      ["m1", 11, "I:1", "I:1"],
      ["m2", 11, "I:1", "I:1"],
      ["gtc", 17, "I:2", "I:1"],
    ]);
    expect(j.kinds("amend")).toEqual([
      {
        kind: "amend",
        timeMs: T0,
        message: 16,
        session: "I:2",
        order: "gtc",
        account: "A1",
        side: "buy",
        priceTiynPerTonne: null,
        quantityKg: 20_000,
        addedKg: 10_000,
      },
    ]);
    // The adapter follows live orders only: s1 rests, everything else is done.
    expect(j.adapter.liveOrders).toBe(1);
  });

  it("turns declared gas and supply plans into the withholding rule's records", () => {
    const j = market();
    // Gas is declared at the basis of a cleared instrument.
    j.run({
      type: "instrument.list",
      instrument: "C",
      mode: "continuous",
      tickSize: 100,
      lotSize: 1000,
      referencePrice: 12_000_000,
      description: { product: "PB", basis: "KAZGPZ", region: "MNG", deliveryPeriod: "2026-02" },
      clearing: {
        basis: "KAZGPZ",
        collateralBps: 500,
        feeBps: 5,
        paymentWindowMs: 86_400_000,
        deliveryWindowMs: 86_400_000,
        buyerDefaultCollateralTo: "seller",
        sellerPenaltyBps: 500,
      },
    });
    j.run({ type: "gas.declare", account: "A1", basis: "KAZGPZ", quantity: 500_000 });
    j.run({
      type: "supply.plan",
      month: "2026-01",
      producer: "M1",
      basis: "KAZGPZ",
      plannedKg: 400_000,
      reason: "plan",
    });
    expect(j.kinds("declared")).toEqual([
      { kind: "declared", timeMs: T0, account: "A1", basis: "KAZGPZ", quantityKg: 500_000 },
    ]);
    expect(j.kinds("obligation")).toEqual([
      { kind: "obligation", member: "M1", basis: "KAZGPZ", month: "2026-01", quantityKg: 400_000 },
    ]);
  });

  it("rule 5 over the engine's band: bids at its upper edge in three sessions", () => {
    const j = market();
    j.run({ type: "safeguards.set", instrument: "I", changes: { bandBps: 500 }, reason: "r" });
    for (let day = 0; day < 3; day++) {
      j.timeMs = T0 + day * 86_400_000;
      j.run({ type: "phase.set", instrument: "I", phase: "continuous" });
      j.run(order(`edge${day}`, day === 1 ? "A2" : "A1", "buy", 12_600_000, { tif: "DAY" }));
      j.run({ type: "phase.set", instrument: "I", phase: "closed" });
    }
    const book = new AlertBook();
    const s = new Surveillance(book);
    for (const r of j.records) s.apply(r);
    s.finish(j.adapter.lastTime);
    expect(book.alerts().map((a) => [a.rule, a.groups, a.accounts, a.sessions])).toEqual([
      ["price-limit-bidding", ["G"], ["A1", "A2"], ["I:1", "I:2", "I:3"]],
    ]);
  });
});

describe("negotiated trades", () => {
  it("a negotiated trade between accounts of one group raises wash-trade; between unrelated groups it does not", () => {
    const j = new Journal();
    j.run({
      type: "instrument.list",
      instrument: "I",
      mode: "continuous",
      tickSize: 100,
      lotSize: 1000,
      referencePrice: 12_000_000,
      clearing: {
        basis: "KAZGPZ",
        collateralBps: 500,
        feeBps: 5,
        paymentWindowMs: 86_400_000,
        deliveryWindowMs: 86_400_000,
        buyerDefaultCollateralTo: "seller",
        sellerPenaltyBps: 0,
      },
    });
    j.run({ type: "member.add", member: "P", name: "Plant", roles: ["producer"] });
    j.run({ type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "wholesaler" });
    j.run({ type: "member.add", member: "C", name: "Other", roles: ["buyer"], buyerCategory: "wholesaler" });
    // The plant and the buyer B are one group of persons (a common owner); C is not.
    j.run({ type: "member.group", member: "P", group: "G", evidence: "register 7", reason: "common owner" });
    j.run({ type: "member.group", member: "B", group: "G", evidence: "register 7", reason: "common owner" });
    for (const [account, member] of [
      ["P1", "P"],
      ["B1", "B"],
      ["C1", "C"],
    ] as const) {
      j.run({ type: "account.open", account, member });
    }
    j.run({ type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: 100_000 });
    j.run({ type: "money.deposit", account: "B1", amount: 1_000_000_000, reference: "BANK-1" });
    j.run({ type: "money.deposit", account: "C1", amount: 1_000_000_000, reference: "BANK-2" });
    j.run({ type: "phase.set", instrument: "I", phase: "continuous" });
    const deal = (buyer: string) => {
      const submit: Command = {
        type: "negotiated.submit",
        instrument: "I",
        seller: "P1",
        buyer,
        price: 12_000_000,
        quantity: 5000,
      };
      j.run(submit);
      j.run({ type: "negotiated.accept", deal: `ND-${j.engine.lastSeq}`, account: buyer });
    };
    deal("C1");
    deal("B1");
    j.run({ type: "phase.set", instrument: "I", phase: "closed" });
    const trades = j.kinds("trade");
    expect(trades.map((t) => t.kind === "trade" && [t.buyAccount, t.sellAccount, t.buyOrder, t.quantityKg])).toEqual([
      ["C1", "P1", expect.stringMatching(/^ND-/), 5000],
      ["B1", "P1", expect.stringMatching(/^ND-/), 5000],
    ]);
    const book = new AlertBook();
    const s = new Surveillance(book);
    for (const r of j.records) s.apply(r);
    s.finish(j.adapter.lastTime);
    const wash = book.alerts().filter((a) => a.rule === "wash-trade");
    expect(wash.map((a) => [a.groups, a.accounts, a.sessions])).toEqual([[["G"], ["B1", "P1"], ["I:1"]]]);
  });
});
