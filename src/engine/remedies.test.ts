/**
 * The rulebook's remedies (remedies.ts): a voided trade's volume re-offered in an extra session at the previous
 * session's weighted average, the nationwide fallback of what it leaves unsold, and negotiated deals inside the
 * session's price limits, cleared like book trades. Every refusal is checked to change nothing; the ledger sums to
 * zero and the engine's invariants hold after every command.
 */

import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../domain/errors.ts";
import type { ClearingTerms } from "./clearing.ts";
import type { Command } from "./commands.ts";
import { Engine } from "./engine.ts";
import type { EngineEvent } from "./events.ts";
import { FREE, gasAsset, MONEY, memberAccount, OBLIGATIONS } from "./ledger.ts";
import { NEGOTIATED_PENDING_PER_ACCOUNT_MAX, REOFFERS_PER_INSTRUMENT_MAX } from "./remedies.ts";

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);
const I = "PB-KAZGPZ-MNG-2026-01";
const KZ = "PB-KAZGPZ-KZ-2026-01";
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
const GAS_ASSET = gasAsset("KAZGPZ");

type Loose = Command | Record<string, unknown>;

class Harness {
  engine = new Engine();
  timeMs = T0;
  private n = 0;

  run(command: Loose): EngineEvent[] {
    this.timeMs += 1000;
    const events = this.engine.apply({
      seq: this.engine.lastSeq + 1,
      timeMs: this.timeMs,
      command: command as Command,
    });
    this.engine.checkInvariants();
    this.conserved();
    return events;
  }

  ok(command: Loose): EngineEvent[] {
    const events = this.run(command);
    expect(events.filter((e) => e.type === "rejected")).toEqual([]);
    return events;
  }

  refuse(command: Loose, code: ErrorCode): void {
    const twin = Engine.restore(JSON.parse(JSON.stringify(this.engine.snapshot())));
    const events = this.run(command);
    twin.apply({ seq: this.engine.lastSeq, timeMs: this.timeMs, command: { type: "time.tick" } });
    expect(events.map((e) => (e.type === "rejected" ? e.code : e.type))).toEqual([code]);
    expect(this.engine.stateHash()).toBe(twin.stateHash());
  }

  order(instrument: string, account: string, side: "buy" | "sell", price: number, tonnes: number, tif = "GTC") {
    return {
      type: "order.new",
      instrument,
      orderId: `${account}~${++this.n}`,
      account,
      side,
      orderType: "limit",
      price,
      quantity: tonnes * 1000,
      tif,
    };
  }

  /** A trade of `tonnes` t at `price` between KAZGPZ-1 and `buyer`; returns its id. */
  trade(price: number, tonnes: number, buyer = "AKTAU-1"): string {
    this.ok(this.order(I, "KAZGPZ-1", "sell", price, tonnes));
    const trades = this.ok(this.order(I, buyer, "buy", price, tonnes)).filter((e) => e.type === "trade");
    expect(trades).toHaveLength(1);
    return (trades[0] as { tradeId: string }).tradeId;
  }

  balance(account: string, bucket: string, asset: string): bigint {
    return this.engine.clearingHouse.ledger.balance(memberAccount(account, bucket), asset);
  }

  conserved(): void {
    const sums = new Map<string, bigint>();
    for (const e of this.engine.clearingHouse.ledger.entries())
      sums.set(e.asset, (sums.get(e.asset) ?? 0n) + e.balance);
    for (const [asset, sum] of sums) expect(sum, asset).toBe(0n);
  }

  /** Restores from a snapshot and checks the copy hashes the same (remedies are state). */
  roundTrip(): void {
    const copy = Engine.restore(JSON.parse(JSON.stringify(this.engine.snapshot())));
    expect(copy.stateHash()).toBe(this.engine.stateHash());
    this.engine = copy;
  }
}

const description = (region: string) => ({
  product: "propane-butane",
  basis: "KAZGPZ",
  region,
  deliveryPeriod: "2026-01",
});

function market(options: { nationwide?: boolean; bandBps?: number | null } = {}): Harness {
  const m = new Harness();
  m.ok({
    type: "instrument.list",
    instrument: I,
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    clearing: TERMS,
    description: description("MANGYSTAU"),
  });
  if (options.nationwide ?? true) {
    m.ok({
      type: "instrument.list",
      instrument: KZ,
      mode: "call",
      tickSize: 100,
      lotSize: 1000,
      clearing: TERMS,
      description: description("KZ"),
    });
  }
  if (options.bandBps !== undefined && options.bandBps !== null) {
    m.ok({ type: "safeguards.set", instrument: I, changes: { bandBps: options.bandBps }, reason: "band" });
  }
  m.ok({ type: "member.add", member: "KAZGPZ", name: "Plant", roles: ["producer"] });
  m.ok({ type: "member.add", member: "AKTAU", name: "Aktau", roles: ["buyer"], buyerCategory: "wholesaler" });
  m.ok({ type: "member.add", member: "ATYRAU", name: "Atyrau", roles: ["buyer"], buyerCategory: "wholesaler" });
  m.ok({ type: "member.add", member: "TCO", name: "Tengiz", roles: ["producer"] });
  m.ok({ type: "account.open", account: "KAZGPZ-1", member: "KAZGPZ" });
  m.ok({ type: "account.open", account: "TCO-1", member: "TCO" });
  m.ok({ type: "account.open", account: "AKTAU-1", member: "AKTAU" });
  m.ok({ type: "account.open", account: "ATYRAU-1", member: "ATYRAU" });
  m.ok({ type: "gas.declare", account: "KAZGPZ-1", basis: "KAZGPZ", quantity: GAS });
  m.ok({ type: "gas.declare", account: "TCO-1", basis: "KAZGPZ", quantity: GAS });
  m.ok({ type: "money.deposit", account: "AKTAU-1", amount: DEPOSIT, reference: "BANK-1" });
  m.ok({ type: "money.deposit", account: "ATYRAU-1", amount: DEPOSIT, reference: "BANK-2" });
  return m;
}

const voidOf = (trade: string) => ({ type: "trade.void", trade, reason: "entry rules broken", rule: "Rulebook 4.2" });
const extra = (instrument: string) => ({ type: "session.extra", instrument, reason: "re-offer of a voided trade" });
const phase = (instrument: string, to: string) => ({ type: "phase.set", instrument, phase: to });
const of = <T extends EngineEvent["type"]>(events: EngineEvent[], type: T) =>
  events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);

/** A session of two 10 t trades at 123,000 and 123,001 ₸/t (average 123,000.50, on the tick 123,001); returns them. */
function tradedSession(m: Harness): [string, string] {
  m.ok(phase(I, "continuous"));
  const a = m.trade(12_300_000, 10);
  const b = m.trade(12_300_100, 10);
  m.ok(phase(I, "closed"));
  expect(m.engine.market(I)!.bandReference).toBe(12_300_050);
  return [a, b];
}

describe("re-offer of a voided trade in an extra session", () => {
  it("offers the voided volume at the previous session's average on the tick; only it sells; the rest moves to the nationwide instrument", () => {
    const m = market();
    const [voided] = tradedSession(m);
    const created = of(m.ok(voidOf(voided)), "reoffer.created");
    expect(created).toHaveLength(1);
    const reoffer = created[0]!.reoffer;
    expect(reoffer).toMatchObject({
      instrument: I,
      seller: "KAZGPZ-1",
      quantityKg: 10_000,
      source: voided,
      stage: "extra",
    });
    m.roundTrip();

    // A resting sell order of another seller keeps the extra session from opening; withdrawn, it opens.
    m.ok(phase(I, "continuous"));
    const resting = m.order(I, "TCO-1", "sell", 12_400_000, 5);
    m.ok(resting);
    m.ok(phase(I, "closed"));
    m.refuse(extra(I), "EXTRA_SESSION_SELLERS_RESTING");
    m.ok({ type: "order.cancel", orderId: resting.orderId });

    const opened = m.ok(extra(I));
    expect(of(opened, "session.extraOpened")[0]).toMatchObject({ instrument: I, basePrice: 12_300_100 });
    expect(of(opened, "reoffer.offered")[0]).toMatchObject({ basePrice: 12_300_100 });
    expect(of(opened, "order.accepted")[0]).toMatchObject({
      orderId: reoffer.id,
      account: "KAZGPZ-1",
      side: "sell",
      price: 12_300_100,
      quantity: 10_000,
      tif: "DAY",
    });
    expect(m.engine.market(I)!.phase).toBe("collection");
    m.roundTrip();

    // Only the re-offered volume sells; its order is the exchange's, not the member's, to change.
    m.refuse(m.order(I, "TCO-1", "sell", 12_300_100, 1), "EXTRA_SESSION_SELL_FORBIDDEN");
    m.refuse(m.order(I, "KAZGPZ-1", "sell", 12_300_100, 1), "EXTRA_SESSION_SELL_FORBIDDEN");
    m.refuse({ type: "order.cancel", orderId: reoffer.id }, "REOFFER_ORDER_LOCKED");
    m.refuse({ type: "order.amend", orderId: reoffer.id, price: 12_300_200 }, "REOFFER_ORDER_LOCKED");
    m.refuse(extra(I), "PHASE_TRANSITION_INVALID");

    m.ok(m.order(I, "ATYRAU-1", "buy", 12_300_100, 4, "DAY"));
    const uncrossed = m.ok(phase(I, "uncross"));
    expect(of(uncrossed, "trade").map((t) => [t.price, t.quantity, t.sellAccount])).toEqual([
      [12_300_100, 4000, "KAZGPZ-1"],
    ]);
    const closed = m.ok(phase(I, "closed"));
    expect(of(closed, "session.extraClosed")[0]).toMatchObject({ instrument: I, soldKg: 4000, unsoldKg: 6000 });
    const moved = of(closed, "reoffer.moved")[0]!;
    expect(moved).toMatchObject({ from: I, unsoldKg: 6000, basePrice: 12_300_100 });
    expect(moved.reoffer).toMatchObject({ instrument: KZ, seller: "KAZGPZ-1", quantityKg: 6000, stage: "nationwide" });
    // The extra session's average (its only trade) is the nationwide instrument's base price.
    expect(m.engine.market(KZ)!.bandReference).toBe(12_300_100);
    // The unsold 6 t is the seller's free gas until the nationwide session offers it.
    expect(m.balance("KAZGPZ-1", FREE, GAS_ASSET)).toBe(BigInt(GAS - 10_000 - 4000));
    m.roundTrip();

    // The nationwide extra session (a call instrument): nothing bought, so the re-offer lapses and nothing moves on.
    const nationwide = m.ok(extra(KZ));
    expect(of(nationwide, "order.accepted")[0]).toMatchObject({ orderId: moved.reoffer.id, quantity: 6000 });
    const ended = m.ok(phase(KZ, "uncross"));
    expect(m.engine.market(KZ)!.phase).toBe("closed");
    expect(of(ended, "reoffer.lapsed")[0]).toMatchObject({ unsoldKg: 6000, code: null });
    expect(of(ended, "reoffer.moved")).toEqual([]);
    expect(m.balance("KAZGPZ-1", FREE, GAS_ASSET)).toBe(BigInt(GAS - 10_000 - 4000));
    m.refuse(extra(KZ), "REOFFER_NONE");
    expect(m.engine.snapshot().remedies).toBeUndefined();
  });

  it("gives the nationwide instrument the extra session's base price when nothing traded in it", () => {
    const m = market();
    const [voided] = tradedSession(m);
    m.ok(voidOf(voided));
    m.ok(extra(I));
    m.ok(phase(I, "uncross"));
    const closed = m.ok(phase(I, "closed"));
    expect(of(closed, "reoffer.moved")[0]).toMatchObject({ unsoldKg: 10_000, basePrice: 12_300_100 });
    expect(m.engine.market(I)!.bandReference).toBe(12_300_100);
    expect(m.engine.market(KZ)!.bandReference).toBe(12_300_100);
  });

  it("lapses when no nationwide instrument is listed, and when the seller can no longer cover the re-offer", () => {
    const m = market({ nationwide: false });
    const [a, b] = tradedSession(m);
    m.ok(voidOf(a));
    m.ok(extra(I));
    m.ok(phase(I, "uncross"));
    const closed = m.ok(phase(I, "closed"));
    expect(of(closed, "reoffer.lapsed")[0]).toMatchObject({ unsoldKg: 10_000 });
    expect(of(closed, "reoffer.lapsed")[0]!.reason).toContain("no nationwide instrument");

    m.ok(voidOf(b));
    const free = Number(m.balance("KAZGPZ-1", FREE, GAS_ASSET));
    m.ok({ type: "gas.withdraw", account: "KAZGPZ-1", basis: "KAZGPZ", quantity: free });
    const opened = m.ok(extra(I));
    expect(of(opened, "reoffer.lapsed")[0]).toMatchObject({ code: "RISK_INSUFFICIENT_VOLUME", unsoldKg: 10_000 });
    expect(of(opened, "order.accepted")).toEqual([]);
  });

  it("keeps at most REOFFERS_PER_INSTRUMENT_MAX re-offers waiting on an instrument; a void beyond lapses", () => {
    const m = market();
    m.ok(phase(I, "continuous"));
    const trades = Array.from({ length: REOFFERS_PER_INSTRUMENT_MAX + 1 }, () => m.trade(12_300_000, 1));
    for (const trade of trades.slice(0, REOFFERS_PER_INSTRUMENT_MAX)) {
      expect(of(m.ok(voidOf(trade)), "reoffer.created")).toHaveLength(1);
    }
    const beyond = m.ok(voidOf(trades.at(-1)!));
    expect(of(beyond, "reoffer.created")).toEqual([]);
    expect(of(beyond, "reoffer.lapsed")[0]).toMatchObject({ unsoldKg: 1000, code: null });
    // The void itself stands: the gas is the seller's again.
    expect(of(beyond, "obligation.voided")).toHaveLength(1);
  });

  it("refuses an extra session without re-offers, on an open instrument, and without a reason", () => {
    const m = market();
    const [voided] = tradedSession(m);
    m.refuse(extra(I), "REOFFER_NONE");
    m.ok(voidOf(voided));
    m.refuse({ ...extra(I), reason: "" }, "FIELD_INVALID");
    m.refuse(extra("NO-SUCH"), "INSTRUMENT_NOT_FOUND");
    m.ok(phase(I, "continuous"));
    m.refuse(extra(I), "PHASE_TRANSITION_INVALID");
  });
});

describe("negotiated deals", () => {
  const submit = (price: number, tonnes: number, extra: Record<string, unknown> = {}) => ({
    type: "negotiated.submit",
    instrument: I,
    seller: "KAZGPZ-1",
    buyer: "AKTAU-1",
    price,
    quantity: tonnes * 1000,
    ...extra,
  });
  const dealOf = (events: EngineEvent[]) => of(events, "negotiated.submitted")[0]!.deal.id;

  /** An instrument in continuous trading with a ±10% band around 123,000 ₸/t (110,700 to 135,300). */
  function banded(): Harness {
    const m = market({ bandBps: 1000 });
    m.ok({ type: "reference.set", instrument: I, price: 12_300_000 });
    m.ok(phase(I, "continuous"));
    return m;
  }

  it("trades at the band's edges, refuses a tick beyond them and above the ceiling, and clears like a book trade", () => {
    const m = banded();
    m.refuse(submit(11_060_000, 1), "ORDER_PRICE_OUTSIDE_BAND");
    m.refuse(submit(13_540_000, 1), "ORDER_PRICE_OUTSIDE_BAND");
    m.refuse(submit(12_300_050, 1), "ORDER_PRICE_OFF_TICK");
    m.refuse(submit(12_300_000, 1.5), "ORDER_QUANTITY_OFF_LOT");
    const low = dealOf(m.ok(submit(11_070_000, 2)));
    const high = dealOf(m.ok(submit(13_530_000, 3)));
    m.ok({ type: "safeguards.set", instrument: I, changes: { ceiling: 13_000_000 }, reason: "ceiling" });
    m.refuse(submit(13_000_100, 1), "ORDER_PRICE_ABOVE_CEILING");
    // The ceiling now below the deal's price: the accept is checked against the limits in force.
    m.refuse({ type: "negotiated.accept", deal: high, account: "AKTAU-1" }, "ORDER_PRICE_ABOVE_CEILING");
    m.ok(submit(13_000_000, 1));

    const freeBefore = m.balance("AKTAU-1", FREE, MONEY);
    const events = m.ok({ type: "negotiated.accept", deal: low, account: "AKTAU-1" });
    expect(events.map((e) => e.type)).toEqual([
      "trade.negotiated",
      "ledger.posted",
      "obligation.created",
      "negotiated.accepted",
    ]);
    const trade = of(events, "trade.negotiated")[0]!;
    expect(trade).toMatchObject({
      instrument: I,
      deal: low,
      price: 11_070_000,
      quantity: 2000,
      buyAccount: "AKTAU-1",
      sellAccount: "KAZGPZ-1",
    });
    expect(trade.tradeId).toMatch(new RegExp(`^T-${I}-S1-\\d+$`));
    const created = events.find((e) => e.type === "obligation.created");
    if (created?.type !== "obligation.created") throw new Error("no obligation");
    const o = created.obligation;
    // 5% collateral and 0.05% fee of 2 t × 110,700 ₸/t, per tonne rounded up: 1,107,000 and 11,070 tiyn.
    expect(o).toMatchObject({ tradeId: trade.tradeId, value: 22_140_000, collateral: 1_107_000, buyerFee: 11_070 });
    expect(freeBefore - m.balance("AKTAU-1", FREE, MONEY)).toBe(1_107_000n + 11_070n);
    expect(m.balance("KAZGPZ-1", OBLIGATIONS, GAS_ASSET)).toBe(2000n);
    // Paid and delivered, it settles like any trade.
    m.ok({ type: "obligation.confirmPayment", obligation: o.id });
    const settled = m.ok({ type: "obligation.confirmDelivery", obligation: o.id });
    expect(of(settled, "obligation.settled")).toHaveLength(1);
    expect(m.balance("AKTAU-1", FREE, GAS_ASSET)).toBe(2000n);
    // It does not move the reference price or the session's average.
    expect(m.engine.market(I)!.referencePrice).toBe(12_300_000);
    m.trade(12_300_000, 1);
    m.ok(phase(I, "closed"));
    expect(m.engine.market(I)!.bandReference).toBe(12_300_000);
  });

  it("may be rejected by the buyer or withdrawn by the seller, not answered by others, and expires at the close", () => {
    const m = banded();
    const a = dealOf(m.ok(submit(12_300_000, 1)));
    const b = dealOf(m.ok(submit(12_300_000, 1)));
    const c = dealOf(m.ok(submit(12_300_000, 1)));
    m.refuse({ type: "negotiated.accept", deal: a, account: "KAZGPZ-1" }, "NEGOTIATED_NOT_PARTY");
    const refusal = m.run({ type: "negotiated.accept", deal: a, account: "KAZGPZ-1" })[0]!;
    expect(refusal.type === "rejected" && refusal.message).toBe(
      `Account 'KAZGPZ-1' is not the buyer of negotiated deal '${a}'; only the buyer may do that.`,
    );
    m.refuse({ type: "negotiated.reject", deal: a, account: "ATYRAU-1" }, "NEGOTIATED_NOT_PARTY");
    expect(
      of(m.ok({ type: "negotiated.reject", deal: a, account: "AKTAU-1" }), "negotiated.rejected")[0],
    ).toMatchObject({
      by: "AKTAU-1",
    });
    m.ok({ type: "negotiated.reject", deal: b, account: "KAZGPZ-1" });
    m.refuse({ type: "negotiated.accept", deal: a, account: "AKTAU-1" }, "NEGOTIATED_NOT_FOUND");
    m.roundTrip();
    const closed = m.ok(phase(I, "closed"));
    expect(of(closed, "negotiated.expired").map((e) => e.deal.id)).toEqual([c]);
    m.refuse({ type: "negotiated.accept", deal: c, account: "AKTAU-1" }, "NEGOTIATED_NOT_FOUND");
    m.refuse(submit(12_300_000, 1), "PHASE_CLOSED");
  });

  it("checks the parties and cover: same account, roles, gas, the buyer's deposit, the pending limit", () => {
    const m = banded();
    m.refuse(submit(12_300_000, 1, { buyer: "KAZGPZ-1" }), "ACCOUNT_ROLE_FORBIDDEN");
    m.refuse(submit(12_300_000, 1, { seller: "AKTAU-1", buyer: "ATYRAU-1" }), "ACCOUNT_ROLE_FORBIDDEN");
    m.refuse(submit(12_300_000, 1, { buyer: "NOBODY" }), "ACCOUNT_NOT_FOUND");
    m.refuse(submit(12_300_000, GAS / 1000 + 1), "RISK_INSUFFICIENT_VOLUME");
    // The buyer's deposit and fee are checked when it accepts: a buyer without money is refused then.
    m.ok({ type: "account.open", account: "AKTAU-2", member: "AKTAU" });
    const poor = dealOf(m.ok(submit(12_300_000, 1, { buyer: "AKTAU-2" })));
    m.refuse({ type: "negotiated.accept", deal: poor, account: "AKTAU-2" }, "RISK_INSUFFICIENT_FUNDS");
    for (let i = 1; i < NEGOTIATED_PENDING_PER_ACCOUNT_MAX; i++) m.ok(submit(12_300_000, 1));
    m.refuse(submit(12_300_000, 1), "NEGOTIATED_PENDING_LIMIT");
  });

  it("is refused while an extra session runs", () => {
    const m = market();
    const [voided] = tradedSession(m);
    m.ok(voidOf(voided));
    m.ok(extra(I));
    m.refuse(submit(12_300_100, 1), "EXTRA_SESSION_SELL_FORBIDDEN");
  });
});
