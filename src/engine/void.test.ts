/**
 * `trade.void` (clearinghouse.ts, clearing.ts `voidObligation`): a voided trade's obligation unwinds exactly — the
 * buyer's free money and the seller's free gas are what they were before the two orders, paid or not — and the
 * refusals (unknown trade, not open, delivered, no rule, a rule past its limit) change nothing. A property test runs
 * random trades, payments, deliveries and voids and checks after every command that each asset sums to zero over
 * all ledger accounts and that the engine's own invariants hold.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../domain/errors.ts";
import type { ClearingTerms } from "./clearing.ts";
import { RULE_REFERENCE_LENGTH_MAX } from "./clearinghouse.ts";
import type { Command } from "./commands.ts";
import { Engine } from "./engine.ts";
import type { EngineEvent } from "./events.ts";
import { FREE, MONEY, memberAccount, OBLIGATIONS } from "./ledger.ts";

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);
const I = "PB-KAZGPZ-MNG-2026-01";
const PRICE = 12_300_000;
const DEPOSIT = 10_000_000_000;
const GAS = 500_000;
const TERMS: ClearingTerms = {
  basis: "KAZGPZ",
  collateralBps: 500,
  feeBps: 5,
  paymentWindowMs: 86_400_000,
  deliveryWindowMs: 5 * 86_400_000,
  buyerDefaultCollateralTo: "seller",
  sellerPenaltyBps: 1000,
};

class Market {
  readonly engine = new Engine();
  timeMs = T0;
  private orders = 0;

  run(command: Command | Record<string, unknown>): EngineEvent[] {
    const events = this.engine.apply({
      seq: this.engine.lastSeq + 1,
      timeMs: this.timeMs,
      command: command as Command,
    });
    this.engine.checkInvariants();
    return events;
  }

  ok(command: Command | Record<string, unknown>): EngineEvent[] {
    const events = this.run(command);
    expect(events.filter((e) => e.type === "rejected")).toEqual([]);
    return events;
  }

  refuse(command: Record<string, unknown>, code: ErrorCode): void {
    const twin = Engine.restore(JSON.parse(JSON.stringify(this.engine.snapshot())));
    const events = this.run(command);
    twin.apply({ seq: this.engine.lastSeq, timeMs: this.timeMs, command: { type: "time.tick" } });
    expect(events.map((e) => (e.type === "rejected" ? e.code : e.type))).toEqual([code]);
    expect(this.engine.stateHash()).toBe(twin.stateHash());
  }

  /** A trade of `tonnes` t, KAZGPZ-1 selling to AKTAU-1; returns its trade id. */
  trade(tonnes: number): string {
    const n = ++this.orders;
    const order = (side: "buy" | "sell", account: string) => ({
      type: "order.new",
      instrument: I,
      orderId: `${account}~${n}`,
      account,
      side,
      orderType: "limit",
      price: PRICE,
      quantity: tonnes * 1000,
    });
    this.ok(order("sell", "KAZGPZ-1"));
    const trades = this.ok(order("buy", "AKTAU-1")).filter((e) => e.type === "trade");
    expect(trades).toHaveLength(1);
    return (trades[0] as { tradeId: string }).tradeId;
  }

  balance(account: string, bucket: string, asset: string): bigint {
    return this.engine.clearingHouse.ledger.balance(memberAccount(account, bucket), asset);
  }

  /** Every asset sums to zero over all ledger accounts. */
  conserved(): void {
    const sums = new Map<string, bigint>();
    for (const e of this.engine.clearingHouse.ledger.entries())
      sums.set(e.asset, (sums.get(e.asset) ?? 0n) + e.balance);
    for (const [asset, sum] of sums) expect(sum, asset).toBe(0n);
  }
}

function market(): Market {
  const m = new Market();
  m.ok({ type: "instrument.list", instrument: I, mode: "continuous", tickSize: 100, lotSize: 1000, clearing: TERMS });
  m.ok({ type: "phase.set", instrument: I, phase: "continuous" });
  m.ok({ type: "member.add", member: "KAZGPZ", name: "Plant", roles: ["producer"] });
  m.ok({ type: "member.add", member: "AKTAU", name: "Aktau", roles: ["buyer"], buyerCategory: "wholesaler" });
  m.ok({ type: "account.open", account: "KAZGPZ-1", member: "KAZGPZ" });
  m.ok({ type: "account.open", account: "AKTAU-1", member: "AKTAU" });
  m.ok({ type: "gas.declare", account: "KAZGPZ-1", basis: "KAZGPZ", quantity: GAS });
  m.ok({ type: "money.deposit", account: "AKTAU-1", amount: DEPOSIT, reference: "BANK-1" });
  return m;
}

const GAS_ASSET = "GAS:KAZGPZ";
const voidOf = (trade: string, extra: Record<string, unknown> = {}) => ({
  type: "trade.void",
  trade,
  reason: "the buyer's software broke the entry rules",
  rule: "Rulebook §2: orders",
  ...extra,
});

describe("trade.void", () => {
  it.each([false, true])("unwinds a trade exactly (paid first: %s)", (paid) => {
    const m = market();
    const trade = m.trade(3);
    const obligation = `OB-${trade.slice(2)}`;
    if (paid) m.ok({ type: "obligation.confirmPayment", obligation });
    expect(m.balance("AKTAU-1", FREE, MONEY)).toBeLessThan(BigInt(DEPOSIT));
    const events = m.ok(voidOf(trade));
    // The voided volume waits for an extra session (remedies.ts).
    expect(events.map((e) => e.type)).toEqual(["ledger.posted", "obligation.voided", "reoffer.created"]);
    const voided = events[1] as Extract<EngineEvent, { type: "obligation.voided" }>;
    expect(voided).toMatchObject({
      obligation: { id: obligation, status: "voided", paid, delivered: false, defaultedParty: null },
      reason: "the buyer's software broke the entry rules",
      rule: "Rulebook §2: orders",
    });
    expect(m.balance("AKTAU-1", FREE, MONEY)).toBe(BigInt(DEPOSIT));
    expect(m.balance("AKTAU-1", OBLIGATIONS, MONEY)).toBe(0n);
    expect(m.balance("KAZGPZ-1", FREE, GAS_ASSET)).toBe(BigInt(GAS));
    expect(m.balance("KAZGPZ-1", OBLIGATIONS, GAS_ASSET)).toBe(0n);
    expect(m.engine.clearingHouse.ledger.balance("clearing/settlement", MONEY)).toBe(0n);
    expect(m.engine.clearingHouse.ledger.balance("exchange/fees", MONEY)).toBe(0n);
    m.conserved();
    // The deadlines of a voided obligation bring no default.
    m.timeMs += 10 * 86_400_000;
    expect(m.ok({ type: "time.tick" })).toEqual([]);
  });

  it("takes a rule reference at its limit and refuses one past it, an empty one, and no reason", () => {
    const m = market();
    const trade = m.trade(1);
    m.refuse(voidOf(trade, { rule: "x".repeat(RULE_REFERENCE_LENGTH_MAX + 1) }), "FIELD_INVALID");
    m.refuse(voidOf(trade, { rule: " " }), "FIELD_INVALID");
    m.refuse(voidOf(trade, { reason: "" }), "FIELD_INVALID");
    m.ok(voidOf(trade, { rule: "x".repeat(RULE_REFERENCE_LENGTH_MAX) }));
  });

  it("refuses an unknown trade, a trade already voided and a delivered one", () => {
    const m = market();
    m.refuse(voidOf("T-NO-SUCH-S1-1"), "OBLIGATION_NOT_FOUND");
    const voided = m.trade(1);
    m.ok(voidOf(voided));
    m.refuse(voidOf(voided), "OBLIGATION_NOT_OPEN");
    const delivered = m.trade(1);
    m.ok({ type: "obligation.confirmDelivery", obligation: `OB-${delivered.slice(2)}` });
    m.refuse(voidOf(delivered), "OBLIGATION_ALREADY_CONFIRMED");
  });

  it("keeps every asset summing to zero through random trades, payments, deliveries and voids (property)", () => {
    type Step = { kind: "trade"; tonnes: number } | { kind: "pay" | "deliver" | "void"; pick: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant("trade" as const), tonnes: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constantFrom("pay" as const, "deliver" as const, "void" as const), pick: fc.nat(50) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        const m = market();
        const trades: string[] = [];
        for (const s of steps) {
          if (s.kind === "trade") trades.push(m.trade(s.tonnes));
          else if (trades.length > 0) {
            const trade = trades[s.pick % trades.length]!;
            const obligation = `OB-${trade.slice(2)}`;
            if (s.kind === "void") m.run(voidOf(trade));
            else if (s.kind === "pay") m.run({ type: "obligation.confirmPayment", obligation });
            else m.run({ type: "obligation.confirmDelivery", obligation });
          }
          m.conserved();
        }
        // Voided trades gave back everything: the buyer's money and the seller's gas are whole again once every
        // open obligation is voided.
        for (const trade of trades) m.run(voidOf(trade));
        const open = m.engine.clearingHouse.clearing.all().filter((o) => o.status === "open");
        expect(open).toEqual(open.filter((o) => o.delivered));
        m.conserved();
      }),
      { seed: 14, numRuns: 60 },
    );
  });
});
