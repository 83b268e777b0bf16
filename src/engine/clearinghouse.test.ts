/**
 * The exchange core worked by hand: money and gas through the double-entry ledger, from deposit and order to
 * settlement or default, with every balance written out. Each expected amount is derived in a comment from the
 * clearing terms (collateral 5%, fee 0.05% per side, rounded up per tonne), never computed by the code under test.
 *
 * Then: regressions for the bugs the property test (test/core-property.test.ts) found, each with its smallest stream;
 * a restored engine carrying on exactly as the original; and one test per rejection code of the core, at its limit
 * where it has one. Every refusal goes through `refuse`, which also checks that the state afterwards is exactly the
 * state a `time.tick` at the same moment would have left (same state hash): a refused command changes nothing.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asVersion5 } from "../../test/support/engine-snapshot-v5.ts";
import { buyOrderBlockTiyn } from "../domain/collateral.ts";
import type { ErrorCode } from "../domain/errors.ts";
import { CLEARING_WINDOW_MS_MAX, MONEY_AMOUNT_MAX } from "../domain/limits.ts";
import { ORDER_QUANTITY_MAX } from "../domain/order.ts";
import type { ClearingTerms } from "./clearing.ts";
import { EVIDENCE_LENGTH_MAX } from "./clearinghouse.ts";
import type { Command } from "./commands.ts";
import { Engine } from "./engine.ts";
import type { EngineEvent, RejectedEvent } from "./events.ts";

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0); // 11:00 in Almaty (UTC+5)
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const I = "PB-KAZGPZ-MNG";
const I2 = "PB-KAZGPZ-APR";

const TERMS: ClearingTerms = {
  basis: "KAZGPZ",
  collateralBps: 500,
  feeBps: 5,
  paymentWindowMs: DAY_MS,
  deliveryWindowMs: 5 * DAY_MS,
  buyerDefaultCollateralTo: "seller",
  sellerPenaltyBps: 1000,
};

/*
 * Prices used throughout (tiyn per tonne) and what they block per tonne at 5% + 0.05%, each part rounded up:
 *   12_345_600: collateral 617_280, fee 6_172.8 → 6_173; 623_453 per tonne.
 *   12_345_700: collateral 617_285, fee 6_172.85 → 6_173; 623_458 per tonne.
 *   12_300_100: collateral 615_005, fee 6_150.05 → 6_151; 621_156 per tonne.
 */
const BID = 12_345_600;
const BID_UP = 12_345_700;
const ASK = 12_300_100;

/** Anything sent to the engine, including deliberately malformed commands. */
type Sent = Command | { readonly type: string; readonly [field: string]: unknown };

const of = <T extends EngineEvent["type"]>(events: readonly EngineEvent[], type: T) =>
  events.filter((e): e is EngineEvent & { type: T } => e.type === type);

class Exchange {
  private seq: number;
  timeMs: number;

  constructor(readonly engine = new Engine()) {
    this.seq = engine.lastSeq;
    this.timeMs = Math.max(T0, engine.nowMs);
  }

  /** A copy restored from this exchange's snapshot after a JSON round trip, at the same time. */
  fork(): Exchange {
    const copy = new Exchange(Engine.restore(JSON.parse(JSON.stringify(this.engine.snapshot()))));
    expect(copy.engine.stateHash()).toBe(this.engine.stateHash());
    return copy;
  }

  /** Applies a command at the current time and checks every engine invariant afterwards. */
  run(command: Sent): EngineEvent[] {
    this.seq++;
    const events = this.engine.apply({ seq: this.seq, timeMs: this.timeMs, command: command as Command });
    this.engine.checkInvariants();
    return events;
  }

  /** Applies a command that must be accepted. */
  ok(command: Sent): EngineEvent[] {
    const events = this.run(command);
    expect(of(events, "rejected")).toEqual([]);
    return events;
  }

  /**
   * Applies a command that must be refused with `code`; checks that it yields exactly one `rejected` event (after
   * whatever the passing of time did) and that the state is the one a `time.tick` at the same moment leaves.
   */
  refuse(command: Sent, code: ErrorCode): RejectedEvent {
    const twin = Engine.restore(JSON.parse(JSON.stringify(this.engine.snapshot())));
    const events = this.run(command);
    const tick = twin.apply({ seq: this.seq, timeMs: this.timeMs, command: { type: "time.tick" } });
    const refusals = of(events, "rejected");
    expect(refusals).toHaveLength(1);
    expect(events.at(-1)).toBe(refusals[0]);
    expect(refusals[0]?.code).toBe(code);
    expect(events.slice(0, -1)).toEqual(tick);
    expect(this.engine.stateHash()).toBe(twin.stateHash());
    return refusals[0]!;
  }

  advance(ms: number): EngineEvent[] {
    this.timeMs += ms;
    return this.ok({ type: "time.tick" });
  }

  /** Every non-zero ledger balance as `"<ledger account> <asset>": amount`. */
  ledger(): Record<string, number> {
    const balances: Record<string, number> = {};
    for (const { account, asset, balance } of this.engine.clearingHouse.ledger.entries()) {
      balances[`${account} ${asset}`] = Number(balance);
    }
    return balances;
  }

  balance(ledgerAccount: string, asset = "KZT"): number {
    return Number(this.engine.clearingHouse.ledger.balance(ledgerAccount, asset));
  }

  obligation(id: string) {
    return this.engine.clearingHouse.clearing.get(id);
  }
}

function order(
  orderId: string,
  side: "buy" | "sell",
  price: number | null,
  quantity: number,
  extra: Record<string, unknown> = {},
): Sent {
  return {
    type: "order.new",
    instrument: I,
    orderId,
    account: side === "buy" ? "AKTAU-1" : "KAZGPZ-1",
    side,
    orderType: price === null ? "market" : "limit",
    ...(price === null ? {} : { price }),
    quantity,
    ...extra,
  };
}

const buy = (id: string, price: number, quantity: number, extra: Record<string, unknown> = {}) =>
  order(id, "buy", price, quantity, extra);
const sell = (id: string, price: number | null, quantity: number, extra: Record<string, unknown> = {}) =>
  order(id, "sell", price, quantity, extra);

const list = (instrument: string, terms: Partial<ClearingTerms> = {}, lotSize = 1000): Sent => ({
  type: "instrument.list",
  instrument,
  mode: "continuous",
  tickSize: 100,
  lotSize,
  clearing: { ...TERMS, ...terms },
});

/**
 * A cleared instrument in continuous trading; producer KAZGPZ (account KAZGPZ-1, 500 t declared), buyer AKTAU
 * (account AKTAU-1, `deposit` tiyn), and broker BRK with client BRK-C1 who may buy and sell (no money or gas yet).
 */
function exchange(options: { terms?: Partial<ClearingTerms>; deposit?: number } = {}): Exchange {
  const x = new Exchange();
  x.ok(list(I, options.terms));
  x.ok({ type: "phase.set", instrument: I, phase: "continuous" });
  x.ok({ type: "member.add", member: "KAZGPZ", name: "Zhanaozen GPP", roles: ["producer"] });
  x.ok({
    type: "member.add",
    member: "AKTAU",
    name: "Aktau stations",
    roles: ["buyer"],
    buyerCategory: "filling-station-network",
  });
  x.ok({ type: "member.add", member: "BRK", name: "Caspian brokers", roles: ["broker"] });
  x.ok({ type: "account.open", account: "KAZGPZ-1", member: "KAZGPZ" });
  x.ok({ type: "account.open", account: "AKTAU-1", member: "AKTAU" });
  x.ok({
    type: "account.open",
    account: "BRK-C1",
    member: "BRK",
    client: "Mangystau trading",
    canBuy: true,
    canSell: true,
    buyerCategory: "wholesaler",
  });
  x.ok({ type: "gas.declare", account: "KAZGPZ-1", basis: "KAZGPZ", quantity: 500_000 });
  const deposit = options.deposit ?? 50_000_000;
  if (deposit > 0) x.ok({ type: "money.deposit", account: "AKTAU-1", amount: deposit, reference: "BANK-1" });
  return x;
}

/** The standard start: 50,000,000 tiyn free for AKTAU-1, 500 t free for KAZGPZ-1. */
const START = {
  "AKTAU-1/free KZT": 50_000_000,
  "external/bank KZT": -50_000_000,
  "KAZGPZ-1/free GAS:KAZGPZ": 500_000,
  "external/production GAS:KAZGPZ": -500_000,
};

/**
 * A trade of 3 t at ASK: KAZGPZ-1 offers 3 t at 12_300_100, AKTAU-1 bids 3 t at 12_345_600 and takes it.
 * Value 3 × 12_300_100 = 36_900_300; collateral 3 × 615_005 = 1_845_015; each fee 3 × 6_151 = 18_453.
 */
/** The session's first trade (src/domain/ids.ts), and the obligation it creates. */
const TRADE_ID = `T-${I}-S1-1`;
const OBLIGATION_ID = `OB-${I}-S1-1`;
const VALUE = 36_900_300;
const COLLATERAL = 1_845_015;
const FEE = 18_453;

function traded(options: { terms?: Partial<ClearingTerms>; deposit?: number } = {}): Exchange {
  const x = exchange(options);
  x.ok(sell("s1", ASK, 3000));
  x.ok(buy("b1", BID, 3000));
  return x;
}

/** The ledger right after `traded()`: the buyer's collateral and fee and the seller's gas are held for the trade. */
const AFTER_TRADE = {
  "AKTAU-1/free KZT": 48_136_532, // 50_000_000 − 1_845_015 − 18_453
  "AKTAU-1/obligations KZT": 1_863_468, // 1_845_015 + 18_453
  "external/bank KZT": -50_000_000,
  "KAZGPZ-1/free GAS:KAZGPZ": 497_000,
  "KAZGPZ-1/obligations GAS:KAZGPZ": 3_000,
  "external/production GAS:KAZGPZ": -500_000,
};

/** The ledger after settlement of the trade. */
const SETTLED = {
  "AKTAU-1/free KZT": 13_081_247, // 50_000_000 − 36_900_300 − 18_453
  "AKTAU-1/free GAS:KAZGPZ": 3_000,
  "KAZGPZ-1/free KZT": 36_881_847, // 36_900_300 − 18_453
  "KAZGPZ-1/free GAS:KAZGPZ": 497_000,
  "exchange/fees KZT": 36_906, // 2 × 18_453
  "external/bank KZT": -50_000_000,
  "external/production GAS:KAZGPZ": -500_000,
};

describe("a trade from deposit to settlement", () => {
  it("blocks a buy order's collateral and fee, each rounded up per tonne", () => {
    const x = exchange();
    expect(x.ledger()).toEqual(START);
    const events = x.ok(buy("b1", BID, 3000));
    // 3 t × 623_453 = 1_870_359.
    expect(of(events, "ledger.posted")).toEqual([
      {
        type: "ledger.posted",
        reason: "order.block",
        ref: "b1",
        transfers: [{ from: "AKTAU-1/free", to: "AKTAU-1/orders", asset: "KZT", amount: 1_870_359 }],
      },
    ]);
    expect(x.ledger()).toEqual({ ...START, "AKTAU-1/free KZT": 48_129_641, "AKTAU-1/orders KZT": 1_870_359 });
  });

  it("blocks a sell order's gas at the basis", () => {
    const x = exchange();
    x.ok(sell("s1", ASK, 5000));
    expect(x.ledger()).toEqual({
      ...START,
      "KAZGPZ-1/free GAS:KAZGPZ": 495_000,
      "KAZGPZ-1/orders GAS:KAZGPZ": 5_000,
    });
  });

  it("on a trade at a better price releases the difference and moves collateral and fee to the obligation", () => {
    const x = exchange();
    x.ok(sell("s1", ASK, 5000));
    const events = x.ok(buy("b1", BID, 3000));
    expect(of(events, "trade")).toMatchObject([{ tradeId: TRADE_ID, price: ASK, quantity: 3000 }]);
    // Blocked 1_870_359 at the bid; needed 3 × 621_156 = 1_863_468 at the trade price; 6_891 goes back.
    expect(of(events, "ledger.posted").find((e) => e.reason === "trade")?.transfers).toEqual([
      { from: "AKTAU-1/orders", to: "AKTAU-1/obligations", asset: "KZT", amount: 1_863_468 },
      { from: "AKTAU-1/orders", to: "AKTAU-1/free", asset: "KZT", amount: 6_891 },
      { from: "KAZGPZ-1/orders", to: "KAZGPZ-1/obligations", asset: "GAS:KAZGPZ", amount: 3_000 },
    ]);
    expect(of(events, "obligation.created")[0]?.obligation).toEqual({
      id: OBLIGATION_ID,
      tradeId: TRADE_ID,
      instrument: I,
      basis: "KAZGPZ",
      buyer: "AKTAU-1",
      seller: "KAZGPZ-1",
      price: ASK,
      quantity: 3000,
      value: VALUE,
      collateral: COLLATERAL,
      buyerFee: FEE,
      sellerFee: FEE,
      tradeTimeMs: T0,
      paymentDueMs: T0 + DAY_MS,
      deliveryDueMs: T0 + 5 * DAY_MS,
      buyerDefaultCollateralTo: "seller",
      sellerPenaltyBps: 1000,
      paid: false,
      delivered: false,
      status: "open",
      defaultedParty: null,
    });
    expect(x.ledger()).toEqual({
      ...AFTER_TRADE,
      "KAZGPZ-1/free GAS:KAZGPZ": 495_000,
      "KAZGPZ-1/orders GAS:KAZGPZ": 2_000,
    });
  });

  it("settles on payment then delivery: the seller gets the value less its fee, the buyer its collateral and gas", () => {
    const x = traded();
    expect(x.ledger()).toEqual(AFTER_TRADE);
    x.timeMs += HOUR_MS;
    const paid = x.ok({ type: "obligation.confirmPayment", obligation: OBLIGATION_ID });
    expect(paid.map((e) => e.type)).toEqual(["ledger.posted", "obligation.paid"]);
    expect(x.ledger()).toEqual({
      ...AFTER_TRADE,
      "AKTAU-1/free KZT": 11_236_232, // 48_136_532 − 36_900_300
      "clearing/settlement KZT": VALUE,
    });
    x.timeMs += DAY_MS;
    const delivered = x.ok({ type: "obligation.confirmDelivery", obligation: OBLIGATION_ID });
    expect(delivered.map((e) => e.type)).toEqual([
      "ledger.posted",
      "obligation.delivered",
      "ledger.posted",
      "obligation.settled",
    ]);
    expect(of(delivered, "ledger.posted")[1]?.transfers).toEqual([
      { from: "clearing/settlement", to: "KAZGPZ-1/free", asset: "KZT", amount: 36_881_847 },
      { from: "clearing/settlement", to: "exchange/fees", asset: "KZT", amount: FEE },
      { from: "AKTAU-1/obligations", to: "AKTAU-1/free", asset: "KZT", amount: COLLATERAL },
      { from: "AKTAU-1/obligations", to: "exchange/fees", asset: "KZT", amount: FEE },
    ]);
    expect(x.ledger()).toEqual(SETTLED);
    expect(x.obligation(OBLIGATION_ID)?.status).toBe("settled");
    // A settled obligation has no deadlines left.
    expect(x.advance(10 * DAY_MS)).toEqual([]);
  });

  it("settles the same way when delivery is confirmed first", () => {
    const x = traded();
    x.ok({ type: "obligation.confirmDelivery", obligation: OBLIGATION_ID });
    const { "KAZGPZ-1/obligations GAS:KAZGPZ": delivered, ...rest } = AFTER_TRADE;
    expect(delivered).toBe(3_000);
    expect(x.ledger()).toEqual({ ...rest, "AKTAU-1/free GAS:KAZGPZ": 3_000 });
    const events = x.ok({ type: "obligation.confirmPayment", obligation: OBLIGATION_ID });
    expect(events.at(-1)?.type).toBe("obligation.settled");
    expect(x.ledger()).toEqual(SETTLED);
  });

  it("takes each partial fill's collateral at its own price and keeps the rest blocked at the limit", () => {
    const x = exchange();
    x.ok(sell("s1", ASK, 1000));
    x.ok(sell("s2", BID, 1000));
    x.ok(buy("b1", BID, 3000));
    // Fill 1 t at ASK (621_156) and 1 t at BID (623_453); 1 t rests blocking 623_453.
    expect(x.obligation(OBLIGATION_ID)).toMatchObject({ price: ASK, collateral: 615_005, buyerFee: 6_151 });
    expect(x.obligation(`OB-${I}-S1-2`)).toMatchObject({ price: BID, collateral: 617_280, buyerFee: 6_173 });
    expect(x.balance("AKTAU-1/obligations")).toBe(1_244_609);
    expect(x.balance("AKTAU-1/orders")).toBe(623_453);
    expect(x.balance("AKTAU-1/free")).toBe(48_131_938); // 50_000_000 − 1_244_609 − 623_453
    x.ok({ type: "order.cancel", orderId: "b1" });
    expect(x.balance("AKTAU-1/orders")).toBe(0);
    expect(x.balance("AKTAU-1/free")).toBe(48_755_391);
  });
});

describe("the block a buy order takes is the shared rule (src/domain/collateral.ts) the web shows", () => {
  it("blocks exactly buyOrderBlockTiyn for any price, size and rates (property, fixed seed)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200_000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 300 }),
        (priceTicks, tonnes, collateralBps, feeBps) => {
          const x = exchange({ terms: { collateralBps, feeBps }, deposit: 1_000_000_000_000 });
          const price = priceTicks * 100;
          x.ok(buy("b", price, tonnes * 1000));
          const shown = buyOrderBlockTiyn(price, tonnes * 1000, { collateralBps, feeBps });
          expect(x.balance("AKTAU-1/orders")).toBe(shown.totalTiyn);
          expect(shown.totalTiyn).toBe(shown.collateralTiyn + shown.feeTiyn);
        },
      ),
      { seed: 10, numRuns: 200 },
    );
  });
});

describe("amends re-block exactly", () => {
  it("moves only the difference when a buy's price or quantity goes up or down", () => {
    const x = exchange();
    x.ok(buy("b1", BID, 3000)); // 1_870_359
    const steps: [Record<string, number>, number, number][] = [
      // [amend, transfer free → orders (negative: back to free), orders balance after]
      [{ price: BID_UP }, 15, 1_870_374], // 3 × 623_458
      [{ quantity: 5000 }, 1_246_916, 3_117_290], // 5 × 623_458
      [{ quantity: 2000 }, -1_870_374, 1_246_916], // 2 × 623_458
      [{ price: 12_000_000, quantity: 4000 }, 1_177_084, 2_424_000], // 4 × (600_000 + 6_000)
    ];
    for (const [change, moved, blocked] of steps) {
      const events = x.ok({ type: "order.amend", orderId: "b1", ...change });
      const transfer =
        moved > 0
          ? { from: "AKTAU-1/free", to: "AKTAU-1/orders", asset: "KZT", amount: moved }
          : { from: "AKTAU-1/orders", to: "AKTAU-1/free", asset: "KZT", amount: -moved };
      expect(of(events, "ledger.posted")).toEqual([
        { type: "ledger.posted", reason: "order.amend", ref: "b1", transfers: [transfer] },
      ]);
      expect(x.balance("AKTAU-1/orders")).toBe(blocked);
      expect(x.balance("AKTAU-1/free")).toBe(50_000_000 - blocked);
    }
  });

  it("blocks more gas when a sell grows and releases it when it shrinks", () => {
    const x = exchange();
    x.ok(sell("s1", ASK, 5000));
    x.ok({ type: "order.amend", orderId: "s1", quantity: 7000 });
    expect(x.balance("KAZGPZ-1/orders", "GAS:KAZGPZ")).toBe(7_000);
    x.ok({ type: "order.amend", orderId: "s1", quantity: 4000, price: BID });
    expect(x.balance("KAZGPZ-1/orders", "GAS:KAZGPZ")).toBe(4_000);
    expect(x.balance("KAZGPZ-1/free", "GAS:KAZGPZ")).toBe(496_000);
  });

  it("lets an amended buy trade at once, at the new block", () => {
    const x = exchange();
    x.ok(sell("s1", BID_UP, 2000));
    x.ok(buy("b1", BID, 2000));
    const events = x.ok({ type: "order.amend", orderId: "b1", price: BID_UP });
    expect(of(events, "trade")).toMatchObject([{ price: BID_UP, quantity: 2000 }]);
    // 2 × 623_458 now held for the obligation, nothing left blocked for the order.
    expect(x.balance("AKTAU-1/obligations")).toBe(1_246_916);
    expect(x.balance("AKTAU-1/orders")).toBe(0);
    expect(x.balance("AKTAU-1/free")).toBe(48_753_084);
  });
});

describe("orders that leave the book release exactly what they blocked", () => {
  it("cancel", () => {
    const x = exchange();
    x.ok(buy("b1", BID, 3000));
    const events = x.ok({ type: "order.cancel", orderId: "b1" });
    expect(of(events, "ledger.posted")).toEqual([
      {
        type: "ledger.posted",
        reason: "order.release",
        ref: "b1",
        transfers: [{ from: "AKTAU-1/orders", to: "AKTAU-1/free", asset: "KZT", amount: 1_870_359 }],
      },
    ]);
    expect(x.ledger()).toEqual(START);
  });

  it("IOC remainder", () => {
    const x = exchange();
    x.ok(sell("s1", ASK, 1000));
    const events = x.ok(buy("b1", BID, 3000, { tif: "IOC" }));
    expect(of(events, "order.cancelled")).toMatchObject([{ quantity: 2000, reason: "ioc-remainder" }]);
    expect(x.balance("AKTAU-1/obligations")).toBe(621_156);
    expect(x.balance("AKTAU-1/orders")).toBe(0);
    expect(x.balance("AKTAU-1/free")).toBe(49_378_844);
  });

  it("FOK that cannot fill", () => {
    const x = exchange();
    x.ok(sell("s1", ASK, 1000));
    const events = x.ok(buy("b1", BID, 3000, { tif: "FOK" }));
    expect(of(events, "order.cancelled")).toMatchObject([{ quantity: 3000, reason: "fok-unfilled" }]);
    expect(of(events, "ledger.posted").map((e) => [e.reason, e.transfers[0]?.amount])).toEqual([
      ["order.block", 1_870_359],
      ["order.release", 1_870_359],
    ]);
    expect(x.ledger()).toEqual({ ...START, "KAZGPZ-1/free GAS:KAZGPZ": 499_000, "KAZGPZ-1/orders GAS:KAZGPZ": 1_000 });
  });

  it("post-only that would trade", () => {
    const x = exchange();
    x.ok(sell("s1", ASK, 1000));
    const events = x.ok(buy("b1", BID, 3000, { postOnly: true }));
    expect(of(events, "order.cancelled")).toMatchObject([{ reason: "post-only" }]);
    expect(x.balance("AKTAU-1/free")).toBe(50_000_000);
    expect(x.balance("AKTAU-1/orders")).toBe(0);
  });

  it("self-trade prevention, in each mode", () => {
    const modes = [
      ["cancel-taker", ["b1"], { orders: 1_000, money: 0 }],
      ["cancel-maker", ["s1"], { orders: 0, money: 1_246_906 }], // the buy rests: 2 × 623_453
      ["cancel-both", ["s1", "b1"], { orders: 0, money: 0 }],
    ] as const;
    for (const [stp, cancelled, blocked] of modes) {
      const x = exchange();
      x.ok({ type: "gas.declare", account: "BRK-C1", basis: "KAZGPZ", quantity: 1000 });
      x.ok({ type: "money.deposit", account: "BRK-C1", amount: 2_000_000, reference: "BANK-C1" });
      x.ok(sell("s1", ASK, 1000, { account: "BRK-C1" }));
      const events = x.ok(buy("b1", BID, 2000, { account: "BRK-C1", stp }));
      expect(of(events, "trade")).toEqual([]);
      expect(of(events, "order.cancelled").map((e) => [e.orderId, e.reason])).toEqual(
        cancelled.map((id) => [id, "self-trade"]),
      );
      expect(x.balance("BRK-C1/orders", "GAS:KAZGPZ")).toBe(blocked.orders);
      expect(x.balance("BRK-C1/free", "GAS:KAZGPZ")).toBe(1_000 - blocked.orders);
      expect(x.balance("BRK-C1/orders")).toBe(blocked.money);
      expect(x.balance("BRK-C1/free")).toBe(2_000_000 - blocked.money);
    }
  });

  it("market sell remainder", () => {
    const x = exchange();
    x.ok(buy("b1", BID, 1000));
    const events = x.ok(sell("s1", null, 3000));
    expect(of(events, "order.cancelled")).toMatchObject([{ quantity: 2000, reason: "market-remainder" }]);
    expect(x.balance("KAZGPZ-1/orders", "GAS:KAZGPZ")).toBe(0);
    expect(x.balance("KAZGPZ-1/obligations", "GAS:KAZGPZ")).toBe(1_000);
    expect(x.balance("KAZGPZ-1/free", "GAS:KAZGPZ")).toBe(499_000);
  });

  it("mass cancel across instruments, GTD expiry and DAY orders at the close", () => {
    const x = exchange();
    x.ok(list(I2));
    x.ok({ type: "phase.set", instrument: I2, phase: "continuous" });
    x.ok(buy("b1", BID, 1000));
    x.ok(buy("b2", BID, 2000, { instrument: I2 }));
    const mass = x.ok({ type: "order.massCancel", account: "AKTAU-1" });
    expect(of(mass, "order.cancelled").map((e) => e.orderId)).toEqual(["b1", "b2"]);
    expect(x.ledger()).toEqual(START);

    x.ok(buy("g1", BID, 1000, { tif: "GTD", expireAtMs: T0 + HOUR_MS }));
    x.ok(buy("d1", BID, 2000, { tif: "DAY" }));
    expect(x.balance("AKTAU-1/orders")).toBe(1_870_359);
    const expiry = x.advance(HOUR_MS);
    expect(of(expiry, "order.cancelled")).toMatchObject([{ orderId: "g1", reason: "expired" }]);
    expect(x.balance("AKTAU-1/orders")).toBe(1_246_906);
    const close = x.ok({ type: "phase.set", instrument: I, phase: "closed" });
    expect(of(close, "order.cancelled")).toMatchObject([{ orderId: "d1", reason: "expired" }]);
    expect(x.ledger()).toEqual(START);
  });
});

describe("buyer default", () => {
  it("gives the collateral to the seller, the fee to the exchange and the gas back to the seller", () => {
    const x = traded();
    x.timeMs = T0 + DAY_MS - 1;
    expect(x.run({ type: "time.tick" })).toEqual([]);
    const events = x.advance(1);
    expect(of(events, "obligation.defaulted")).toMatchObject([
      {
        obligation: { id: OBLIGATION_ID, defaultedParty: "buyer" },
        forfeitedTiyn: COLLATERAL,
        penaltyTiyn: 0,
        claimTiyn: 0,
      },
    ]);
    expect(x.ledger()).toEqual({
      "AKTAU-1/free KZT": 48_136_532,
      "KAZGPZ-1/free KZT": COLLATERAL,
      "exchange/fees KZT": FEE,
      "external/bank KZT": -50_000_000,
      "KAZGPZ-1/free GAS:KAZGPZ": 500_000,
      "external/production GAS:KAZGPZ": -500_000,
    });
  });

  it("gives the collateral to the exchange when the rule says so", () => {
    const x = traded({ terms: { buyerDefaultCollateralTo: "exchange" } });
    x.advance(DAY_MS);
    expect(x.ledger()).toEqual({
      "AKTAU-1/free KZT": 48_136_532,
      "exchange/defaults KZT": COLLATERAL,
      "exchange/fees KZT": FEE,
      "external/bank KZT": -50_000_000,
      "KAZGPZ-1/free GAS:KAZGPZ": 500_000,
      "external/production GAS:KAZGPZ": -500_000,
    });
  });

  it("records the seller's claim when the gas was delivered but not paid for", () => {
    const cases = [
      ["seller", VALUE - COLLATERAL, "KAZGPZ-1/free KZT"], // 35_055_285
      ["exchange", VALUE, "exchange/defaults KZT"],
    ] as const;
    for (const [to, claim, forfeitedTo] of cases) {
      const x = traded({ terms: { buyerDefaultCollateralTo: to } });
      x.ok({ type: "obligation.confirmDelivery", obligation: OBLIGATION_ID });
      const events = x.advance(DAY_MS);
      expect(of(events, "obligation.defaulted")).toMatchObject([
        { forfeitedTiyn: COLLATERAL, penaltyTiyn: 0, claimTiyn: claim },
      ]);
      expect(x.ledger()).toEqual({
        "AKTAU-1/free KZT": 48_136_532,
        "AKTAU-1/free GAS:KAZGPZ": 3_000,
        [forfeitedTo]: COLLATERAL,
        "exchange/fees KZT": FEE,
        "external/bank KZT": -50_000_000,
        "KAZGPZ-1/free GAS:KAZGPZ": 497_000,
        "external/production GAS:KAZGPZ": -500_000,
      });
    }
  });

  it("accepts payment one millisecond before the deadline and refuses it at the deadline", () => {
    const early = traded();
    early.timeMs = T0 + DAY_MS - 1;
    early.ok({ type: "obligation.confirmPayment", obligation: OBLIGATION_ID });
    expect(early.obligation(OBLIGATION_ID)?.paid).toBe(true);

    const late = traded();
    late.timeMs = T0 + DAY_MS;
    const refusal = late.refuse(
      { type: "obligation.confirmPayment", obligation: OBLIGATION_ID },
      "OBLIGATION_NOT_OPEN",
    );
    expect(refusal.message).toBe(`Obligation '${OBLIGATION_ID}' is defaulted; only open obligations can be confirmed.`);
  });
});

describe("seller default", () => {
  const deliveryDue = 5 * DAY_MS;

  it("refunds a payment, releases the buyer's collateral and fee, returns the gas and pays the penalty", () => {
    const x = traded();
    x.ok({ type: "money.deposit", account: "KAZGPZ-1", amount: 10_000_000, reference: "BANK-2" });
    x.ok({ type: "obligation.confirmPayment", obligation: OBLIGATION_ID });
    const events = x.advance(deliveryDue);
    // Penalty 10% of 36_900_300 = 3_690_030, all paid from the seller's free money.
    expect(of(events, "obligation.defaulted")).toMatchObject([
      { obligation: { defaultedParty: "seller" }, forfeitedTiyn: 0, penaltyTiyn: 3_690_030, claimTiyn: 0 },
    ]);
    expect(x.ledger()).toEqual({
      "AKTAU-1/free KZT": 53_690_030,
      "KAZGPZ-1/free KZT": 6_309_970,
      "external/bank KZT": -60_000_000,
      "KAZGPZ-1/free GAS:KAZGPZ": 500_000,
      "external/production GAS:KAZGPZ": -500_000,
    });
  });

  it("caps the penalty at the seller's free money and records the rest as the buyer's claim", () => {
    const cases = [
      [1_000_000, 1_000_000, 2_690_030],
      [0, 0, 3_690_030],
    ] as const;
    for (const [deposit, paid, claim] of cases) {
      const x = traded();
      if (deposit > 0) x.ok({ type: "money.deposit", account: "KAZGPZ-1", amount: deposit, reference: "BANK-2" });
      x.ok({ type: "obligation.confirmPayment", obligation: OBLIGATION_ID });
      const events = x.advance(deliveryDue);
      expect(of(events, "obligation.defaulted")).toMatchObject([{ penaltyTiyn: paid, claimTiyn: claim }]);
      expect(x.balance("KAZGPZ-1/free")).toBe(0);
      expect(x.balance("AKTAU-1/free")).toBe(50_000_000 + paid);
      expect(x.balance("clearing/settlement")).toBe(0);
    }
  });

  it("applies when delivery falls due before payment, with nothing to refund", () => {
    const x = traded({ terms: { deliveryWindowMs: HOUR_MS } });
    const events = x.advance(HOUR_MS);
    expect(of(events, "obligation.defaulted")).toMatchObject([
      { obligation: { defaultedParty: "seller", paid: false }, penaltyTiyn: 0, claimTiyn: 3_690_030 },
    ]);
    expect(x.ledger()).toEqual(START);
  });

  it("gives way to the buyer's default when both deadlines fall at the same moment", () => {
    const x = traded({ terms: { deliveryWindowMs: DAY_MS } });
    const events = x.advance(DAY_MS);
    expect(of(events, "obligation.defaulted")).toMatchObject([{ obligation: { defaultedParty: "buyer" } }]);
  });

  it("judges obligations in deadline order even after a leg of a later one was confirmed", () => {
    // PB-1: paid at once, delivery due at T0 + 5 days. PB-2: traded an hour later, unpaid, due at T0 + 1 day + 1 h.
    // Judged together at T0 + 6 days, PB-2 (the buyer's default, giving its collateral to the seller) comes first,
    // so the seller can pay PB-1's penalty from that collateral. Before the fix PB-1 was judged first.
    const x = traded();
    x.ok({ type: "obligation.confirmPayment", obligation: OBLIGATION_ID });
    x.timeMs += HOUR_MS;
    x.ok(sell("s2", ASK, 3000));
    x.ok(buy("b2", BID, 3000));
    const events = x.advance(6 * DAY_MS - HOUR_MS);
    expect(of(events, "obligation.defaulted")).toMatchObject([
      { obligation: { id: `OB-${I}-S1-2`, defaultedParty: "buyer" }, forfeitedTiyn: COLLATERAL },
      { obligation: { id: OBLIGATION_ID, defaultedParty: "seller" }, penaltyTiyn: COLLATERAL, claimTiyn: 1_845_015 },
    ]);
  });

  it("computes the penalty exactly on a trade whose value times the rate passes 2^53", () => {
    // 975_168 t at 988_820_736 tiyn/t: V = 964_266_339_483_648, penalty 7_681 bps = 740_652_975_357_390.5856
    // → 740_652_975_357_391 (in floating point V × 7_681 rounds down and the penalty came out one tiyn short).
    const quantity = 975_168_000;
    const price = 988_820_736;
    const x = new Exchange();
    x.ok({
      type: "instrument.list",
      instrument: "BIG",
      mode: "continuous",
      tickSize: 1,
      lotSize: 1000,
      // Delivery falls due first, so the unpaid trade ends in the seller's default.
      clearing: {
        ...TERMS,
        collateralBps: 0,
        feeBps: 0,
        sellerPenaltyBps: 7_681,
        paymentWindowMs: 5 * DAY_MS,
        deliveryWindowMs: DAY_MS,
      },
    });
    x.ok({ type: "phase.set", instrument: "BIG", phase: "continuous" });
    x.ok({ type: "member.add", member: "P", name: "Producer", roles: ["producer"] });
    x.ok({ type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "wholesaler" });
    x.ok({ type: "account.open", account: "P-1", member: "P" });
    x.ok({ type: "account.open", account: "B-1", member: "B" });
    x.ok({ type: "gas.declare", account: "P-1", basis: "KAZGPZ", quantity });
    x.ok({ type: "money.deposit", account: "P-1", amount: MONEY_AMOUNT_MAX, reference: "P" });
    const common = { type: "order.new", instrument: "BIG", orderType: "limit", price, quantity };
    x.ok({ ...common, orderId: "s", account: "P-1", side: "sell" });
    x.ok({ ...common, orderId: "b", account: "B-1", side: "buy" });
    const events = x.advance(DAY_MS);
    expect(of(events, "obligation.defaulted")).toMatchObject([
      { obligation: { value: 964_266_339_483_648 }, penaltyTiyn: 740_652_975_357_391, claimTiyn: 0 },
    ]);
  });
});

describe("an account that crossed itself in an auction", () => {
  it("owes itself no penalty and has no claim on itself", () => {
    // Auctions have no self-trade prevention, so BRK-C1's bid and offer trade with each other at the uncross. Before
    // the fix the seller's default tried to pay the penalty from BRK-C1/free to BRK-C1/free and broke an invariant.
    for (const [deliveryWindowMs, party] of [
      [HOUR_MS, "seller"],
      [5 * DAY_MS, "buyer"],
    ] as const) {
      const x = exchange({ terms: { deliveryWindowMs } });
      x.ok({ type: "gas.declare", account: "BRK-C1", basis: "KAZGPZ", quantity: 1000 });
      x.ok({ type: "money.deposit", account: "BRK-C1", amount: 50_000_000, reference: "BANK-C1" });
      x.ok({ type: "phase.set", instrument: I, phase: "collection" });
      x.ok(sell("s1", BID, 1000, { account: "BRK-C1" }));
      x.ok(buy("b1", BID, 1000, { account: "BRK-C1" }));
      const auction = x.ok({ type: "phase.set", instrument: I, phase: "uncross" });
      expect(of(auction, "trade")).toMatchObject([{ buyAccount: "BRK-C1", sellAccount: "BRK-C1" }]);
      if (party === "buyer") x.ok({ type: "obligation.confirmDelivery", obligation: OBLIGATION_ID });
      const events = x.advance(DAY_MS);
      expect(of(events, "obligation.defaulted")).toMatchObject([
        { obligation: { defaultedParty: party }, penaltyTiyn: 0, claimTiyn: 0 },
      ]);
      // A buyer default still forfeits its collateral (to the seller: itself) and its fee: 617_280 + 6_173.
      const fees = party === "buyer" ? 6_173 : 0;
      expect(x.balance("BRK-C1/free")).toBe(50_000_000 - fees);
      expect(x.balance("BRK-C1/free", "GAS:KAZGPZ")).toBe(1_000);
    }
  });
});

describe("a crossed book left by an order collection closed without its auction", () => {
  it("cannot reopen straight into continuous trading, only through an auction", () => {
    const x = exchange();
    x.ok({ type: "phase.set", instrument: I, phase: "collection" });
    x.ok(sell("s1", ASK, 1000));
    x.ok(buy("b1", BID, 2000)); // more bought than sold: the auction price is the highest candidate, BID
    x.ok({ type: "phase.set", instrument: I, phase: "closed" });
    // Before the fix this was accepted and left bid 12_345_600 above ask 12_300_100 in continuous trading.
    const refusal = x.refuse({ type: "phase.set", instrument: I, phase: "continuous" }, "PHASE_TRANSITION_INVALID");
    expect(refusal.message).toBe(
      `Instrument '${I}' cannot go from closed to continuous; allowed next phases: collection, halted (the book is crossed: trading reopens through an auction).`,
    );
    x.ok({ type: "phase.set", instrument: I, phase: "collection" });
    const auction = x.ok({ type: "phase.set", instrument: I, phase: "uncross" });
    expect(of(auction, "trade")).toMatchObject([{ price: BID, quantity: 1000 }]);
    expect(x.engine.market(I)?.phase).toBe("continuous");
  });
});

describe("member suspension", () => {
  it("cancels the member's orders everywhere, blocks entry, and lifts the block on reinstatement", () => {
    const x = exchange();
    x.ok(list(I2));
    x.ok({ type: "phase.set", instrument: I2, phase: "continuous" });
    x.ok(buy("b1", BID, 1000));
    x.ok(buy("b2", BID, 2000, { instrument: I2 }));
    x.ok(buy("b3", ASK, 1000));
    x.ok(sell("s1", 13_000_000, 1000));
    const events = x.ok({ type: "member.suspend", member: "AKTAU", reason: "margin call unanswered" });
    expect(events[0]).toEqual({ type: "member.suspended", member: "AKTAU", reason: "margin call unanswered" });
    expect(of(events, "order.cancelled").map((e) => [e.orderId, e.reason])).toEqual([
      ["b1", "member-suspended"],
      ["b3", "member-suspended"],
      ["b2", "member-suspended"],
    ]);
    expect(x.ledger()).toEqual({
      ...START,
      "KAZGPZ-1/free GAS:KAZGPZ": 499_000,
      "KAZGPZ-1/orders GAS:KAZGPZ": 1_000,
    });
    const refusal = x.refuse(buy("b4", BID, 1000), "MEMBER_SUSPENDED");
    expect(refusal.message).toBe(
      "Member 'AKTAU' is suspended; it cannot enter or change orders until the operator reinstates it.",
    );
    // Money still moves: a suspended member can still meet its obligations.
    x.ok({ type: "money.deposit", account: "AKTAU-1", amount: 1, reference: "BANK-2" });
    x.ok({ type: "member.reinstate", member: "AKTAU", reason: "margin paid" });
    x.ok(buy("b4", BID, 1000));
    expect(x.engine.order("b4")?.status).toBe("resting");
  });

  it("leaves open obligations to run: a suspended member's trade still settles", () => {
    const x = traded();
    x.ok({ type: "member.suspend", member: "AKTAU", reason: "review" });
    x.ok({ type: "obligation.confirmPayment", obligation: OBLIGATION_ID });
    x.ok({ type: "obligation.confirmDelivery", obligation: OBLIGATION_ID });
    expect(x.ledger()).toEqual(SETTLED);
  });

  it("cancels the orders of every client of a suspended broker, account by account", () => {
    const x = exchange();
    x.ok({ type: "account.open", account: "BRK-C0", member: "BRK", client: "Second client", canSell: true });
    for (const account of ["BRK-C1", "BRK-C0"]) {
      x.ok({ type: "gas.declare", account, basis: "KAZGPZ", quantity: 1000 });
    }
    x.ok(sell("c1", 13_000_000, 1000, { account: "BRK-C1" }));
    x.ok(sell("c0", 13_000_000, 1000, { account: "BRK-C0" }));
    const events = x.ok({ type: "member.suspend", member: "BRK", reason: "licence lapsed" });
    expect(of(events, "order.cancelled").map((e) => e.orderId)).toEqual(["c0", "c1"]);
    expect(x.balance("BRK-C0/free", "GAS:KAZGPZ")).toBe(1_000);
    expect(x.balance("BRK-C1/free", "GAS:KAZGPZ")).toBe(1_000);
  });
});

describe("idempotent order ids", () => {
  it("answers a faithful retry with the original order's state and changes nothing", () => {
    const x = exchange();
    x.ok(buy("b1", BID, 3000));
    x.ok(sell("s1", BID, 1000));
    const before = x.ledger();
    // Defaults spelled out are the same order.
    const retry = buy("b1", BID, 3000, { tif: "GTC", postOnly: false, stp: "cancel-taker", expireAtMs: null });
    const twin = Engine.restore(JSON.parse(JSON.stringify(x.engine.snapshot())));
    const events = x.ok(retry);
    twin.apply({ seq: x.engine.lastSeq, timeMs: x.timeMs, command: { type: "time.tick" } });
    expect(events).toEqual([
      { type: "order.duplicate", instrument: I, orderId: "b1", status: "resting", open: 2000, filled: 1000 },
    ]);
    expect(x.ledger()).toEqual(before);
    expect(x.engine.stateHash()).toBe(twin.stateHash());
  });

  it("reports a finished order as finished and does not enter it again", () => {
    const x = exchange();
    x.ok(buy("b1", BID, 1000));
    x.ok({ type: "order.cancel", orderId: "b1" });
    expect(x.ok(buy("b1", BID, 1000))).toEqual([
      { type: "order.duplicate", instrument: I, orderId: "b1", status: "cancelled", open: 0, filled: 0 },
    ]);
    expect(x.ledger()).toEqual(START);
  });

  it("refuses the same id with different content", () => {
    const x = exchange();
    x.ok(buy("b1", BID, 3000));
    const refusal = x.refuse(buy("b1", BID_UP, 3000), "ORDER_ID_REUSED");
    expect(refusal).toMatchObject({ command: "order.new", orderId: "b1" });
    expect(refusal.message).toBe(
      "Order id 'b1' was already used for a different order; a retry must repeat the original exactly.",
    );
    x.refuse(buy("b1", BID, 3000, { tif: "DAY" }), "ORDER_ID_REUSED");
  });

  it("does not reserve the id of a refused order", () => {
    const x = exchange({ deposit: 1_870_358 });
    x.refuse(buy("b1", BID, 3000), "RISK_INSUFFICIENT_FUNDS");
    x.ok({ type: "money.deposit", account: "AKTAU-1", amount: 1, reference: "BANK-2" });
    expect(of(x.ok(buy("b1", BID, 3000)), "order.accepted")).toHaveLength(1);
    expect(x.balance("AKTAU-1/free")).toBe(0);
  });
});

describe("a change of clearing terms", () => {
  it("applies a new collateral rate to new orders only", () => {
    const x = exchange();
    x.ok(buy("b1", BID, 3000)); // 3 × 623_453 = 1_870_359 at 5%
    const update = x.ok({
      type: "instrument.update",
      instrument: I,
      clearing: { collateralBps: 1000 },
      reason: "volatility",
    });
    expect(update).toEqual([
      { type: "instrument.updated", instrument: I, clearing: { ...TERMS, collateralBps: 1000 }, reason: "volatility" },
    ]);
    expect(x.balance("AKTAU-1/orders")).toBe(1_870_359);
    x.ok(buy("b2", BID, 1000)); // 1_234_560 + 6_173 = 1_240_733 at 10%
    expect(x.balance("AKTAU-1/orders")).toBe(3_111_092);
    x.ok({ type: "order.amend", orderId: "b1", price: BID_UP }); // still 5%: 3 × 623_458 = 1_870_374
    expect(x.balance("AKTAU-1/orders")).toBe(3_111_107);
    x.ok(sell("s1", ASK, 4000));
    // b1 (now the better bid) fills first at 5%: 3 × 617_285; then b2 at 10%: 1_234_560.
    expect(x.obligation(OBLIGATION_ID)).toMatchObject({ quantity: 3000, price: BID_UP, collateral: 1_851_855 });
    expect(x.obligation(`OB-${I}-S1-2`)).toMatchObject({ quantity: 1000, price: BID, collateral: 1_234_560 });
    expect(x.balance("AKTAU-1/orders")).toBe(0);
  });
});

describe("a restored engine carries on exactly as the original", () => {
  /** Runs the same commands on the exchange and on a restored copy of it; they must say and hold the same. */
  function both(x: Exchange, commands: readonly Sent[], advanceMs = 0): EngineEvent[] {
    const copy = x.fork();
    let events: EngineEvent[] = [];
    for (const target of [x, copy]) {
      target.timeMs += advanceMs;
      const said = commands.flatMap((command) => target.ok(command));
      if (target === x) events = said;
      else expect(said).toEqual(events);
    }
    expect(copy.engine.stateHash()).toBe(x.engine.stateHash());
    return events;
  }

  it("expires GTD orders market by market in listing order (the snapshot once sorted markets by id)", () => {
    const x = exchange();
    x.ok(list(I2)); // listed after I although its id sorts before it
    x.ok({ type: "phase.set", instrument: I2, phase: "continuous" });
    x.ok(buy("b1", BID, 1000, { tif: "GTD", expireAtMs: T0 + HOUR_MS }));
    x.ok(buy("b2", BID, 1000, { tif: "GTD", expireAtMs: T0 + HOUR_MS, instrument: I2 }));
    const events = both(x, [{ type: "time.tick" }], HOUR_MS);
    expect(of(events, "order.cancelled").map((e) => e.orderId)).toEqual(["b1", "b2"]);
  });

  it("cancels a suspended broker's orders in the same order (accounts once followed opening order)", () => {
    const x = exchange();
    x.ok({ type: "account.open", account: "BRK-C0", member: "BRK", client: "Second client", canSell: true });
    for (const account of ["BRK-C1", "BRK-C0"]) {
      x.ok({ type: "gas.declare", account, basis: "KAZGPZ", quantity: 1000 });
      x.ok(sell(`${account}-s`, 13_000_000, 1000, { account }));
    }
    both(x, [{ type: "member.suspend", member: "BRK", reason: "licence lapsed" }]);
  });

  it("stores obligations by column (snapshot version 6) and reads version 5's objects: same state, same future", () => {
    const x = traded({ deposit: 200_000_000 }); // S1-1
    const obligation = (n: number) => `OB-${I}-S1-${n}`;
    for (const quantity of [1000, 2000, 1000]) {
      x.ok(sell(`s-${quantity}-${x.timeMs}`, ASK, quantity));
      x.ok(buy(`b-${quantity}-${x.timeMs}`, BID, quantity));
      x.timeMs += 1000;
    }
    x.ok({ type: "obligation.confirmPayment", obligation: obligation(1) });
    x.ok({ type: "obligation.confirmDelivery", obligation: obligation(1) }); // settled
    x.ok({ type: "obligation.confirmPayment", obligation: obligation(2) }); // paid, open
    x.ok({ type: "trade.void", trade: `T-${I}-S1-3`, reason: "entry rules broken", rule: "Rulebook 4.2" });
    x.advance(DAY_MS); // S1-4 unpaid: the buyer defaults
    x.ok(sell("s5", ASK, 1000));
    x.ok(buy("b5", BID, 1000)); // S1-5, open
    const snapshot = x.engine.snapshot();
    expect(snapshot.version).toBe(6);
    const columns = snapshot.house.clearing.obligations;
    expect(columns.strings).toEqual([
      `OB-${I}-S1-`,
      I,
      "KAZGPZ",
      "AKTAU-1",
      "KAZGPZ-1",
      "seller",
      "settled",
      "open",
      "voided",
      "defaulted",
      "buyer",
    ]);
    expect(columns.id).toEqual({ stem: { runs: [0, 5] }, number: [1, 2, 3, 4, 5] });
    // Trade ids and values that follow from the id and the price and quantity, and deadlines as the windows.
    expect(columns.tradeId).toEqual({ runs: [null, 5] });
    expect(columns.value).toEqual({ runs: [null, 5] });
    expect(columns.paymentDueMs).toEqual({ runs: [DAY_MS, 5] });
    expect(columns.deliveryDueMs).toEqual({ runs: [5 * DAY_MS, 5] });
    expect(columns.status).toEqual([6, 7, 8, 9, 7]);
    expect(columns.defaultedParty).toEqual([null, null, null, 10, null]);
    const v5 = asVersion5(snapshot);
    expect(v5.house.clearing.obligations.map((o) => [o.id, o.status])).toEqual([
      [obligation(1), "settled"],
      [obligation(2), "open"],
      [obligation(3), "voided"],
      [obligation(4), "defaulted"],
      [obligation(5), "open"],
    ]);
    expect(v5.house.clearing.obligations[3]).toEqual(x.obligation(obligation(4)));
    const copies = [v5, snapshot].map((saved) => {
      const copy = new Exchange(Engine.restore(JSON.parse(JSON.stringify(saved))));
      expect(copy.engine.stateHash()).toBe(x.engine.stateHash());
      for (let n = 1; n <= 5; n++) expect(copy.obligation(obligation(n))).toEqual(x.obligation(obligation(n)));
      return copy;
    });
    // The same future: a refusal on a settled obligation; five days on, the paid S1-2's seller defaults and S1-5's buyer
    // (its payment was due first), so a late payment is refused.
    const commands: Sent[] = [
      { type: "obligation.confirmDelivery", obligation: obligation(1) },
      { type: "obligation.confirmPayment", obligation: obligation(5) },
      { type: "time.tick" },
    ];
    for (const target of [x, ...copies]) target.timeMs += 5 * DAY_MS;
    for (const command of commands) {
      const events = x.run(command);
      for (const copy of copies) expect(copy.run(command)).toEqual(events);
    }
    expect(x.obligation(obligation(2))).toMatchObject({ status: "defaulted", defaultedParty: "seller" });
    expect(x.obligation(obligation(5))).toMatchObject({ status: "defaulted", defaultedParty: "buyer" });
    for (const copy of copies) expect(copy.engine.stateHash()).toBe(x.engine.stateHash());
    // What the restore checks: a column one entry short, a string that does not exist, a flag that is not 0 or 1.
    const house = snapshot.house;
    const broken = (change: Record<string, unknown>) => ({
      ...snapshot,
      house: { ...house, clearing: { obligations: { ...columns, ...change } } },
    });
    expect(columns.quantity).toEqual([3000, 1000, 2000, 1000, 1000]);
    expect(() => Engine.restore(broken({ quantity: [3000, 1000, 2000, 1000] }))).toThrow(
      "snapshot obligation column quantity does not hold 5 entries",
    );
    expect(() => Engine.restore(broken({ buyer: { runs: [11, 5] } }))).toThrow(
      "snapshot obligation column names string 11, which does not exist",
    );
    expect(() => Engine.restore(broken({ paid: [1, 1, 0, 0, 2] }))).toThrow(
      "snapshot obligation column paid holds 2, not 0 or 1",
    );
  });

  it("judges due obligations in the same order (a stale deadline key once came first)", () => {
    const x = traded();
    x.ok({ type: "obligation.confirmPayment", obligation: OBLIGATION_ID });
    x.timeMs += HOUR_MS;
    x.ok(sell("s2", ASK, 3000));
    x.ok(buy("b2", BID, 3000));
    both(x, [{ type: "time.tick" }], 6 * DAY_MS);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Rejections: one test per code of the core, at its limit where it has one.

describe("refusals change nothing", () => {
  it("RISK_INSUFFICIENT_FUNDS for a buy: exactly the free money is enough, one tiyn less is not", () => {
    const exact = exchange({ deposit: 1_870_359 });
    exact.ok(buy("b1", BID, 3000));
    expect(exact.balance("AKTAU-1/free")).toBe(0);

    const short = exchange({ deposit: 1_870_358 });
    const refusal = short.refuse(buy("b1", BID, 3000), "RISK_INSUFFICIENT_FUNDS");
    expect(refusal.message).toBe(
      "Account 'AKTAU-1' has 1870358 tiyn free but the order's guarantee deposit and fee needs 1870359 tiyn (short by 1 tiyn).",
    );
    expect(refusal.details).toMatchObject({ free: "1870358", required: 1_870_359, shortfall: "1" });
  });

  it("RISK_INSUFFICIENT_FUNDS for an amend that needs more than the free money", () => {
    // After b1 blocks 1_870_359, 15 tiyn are free: exactly the extra that BID_UP needs.
    const x = exchange({ deposit: 1_870_374 });
    x.ok(buy("b1", BID, 3000));
    x.ok({ type: "order.amend", orderId: "b1", price: BID_UP });
    expect(x.balance("AKTAU-1/free")).toBe(0);
    const y = exchange({ deposit: 1_870_373 });
    y.ok(buy("b1", BID, 3000));
    const refusal = y.refuse({ type: "order.amend", orderId: "b1", price: BID_UP }, "RISK_INSUFFICIENT_FUNDS");
    expect(refusal.message).toBe(
      "Account 'AKTAU-1' has 14 tiyn free but the amended order's extra deposit needs 15 tiyn (short by 1 tiyn).",
    );
  });

  it("RISK_INSUFFICIENT_VOLUME for a sell: exactly the free gas is enough, one lot more is not", () => {
    const x = exchange();
    x.ok({ type: "gas.declare", account: "BRK-C1", basis: "KAZGPZ", quantity: 3000 });
    x.ok(sell("s1", ASK, 3000, { account: "BRK-C1" }));
    x.ok({ type: "order.cancel", orderId: "s1" });
    const refusal = x.refuse(sell("s2", ASK, 4000, { account: "BRK-C1" }), "RISK_INSUFFICIENT_VOLUME");
    expect(refusal.message).toBe(
      "Account 'BRK-C1' has 3000 kg free at basis KAZGPZ but the order needs 4000 kg (short by 1000 kg).",
    );
    x.ok(sell("s3", ASK, 2000, { account: "BRK-C1" }));
    x.refuse({ type: "order.amend", orderId: "s3", quantity: 4000 }, "RISK_INSUFFICIENT_VOLUME");
    x.ok({ type: "order.amend", orderId: "s3", quantity: 3000 });
  });

  it("RISK_INSUFFICIENT_FUNDS and _VOLUME for withdrawals beyond what is free", () => {
    const x = exchange();
    x.ok(buy("b1", BID, 3000)); // 48_129_641 left free
    const refusal = x.refuse(
      { type: "money.withdraw", account: "AKTAU-1", amount: 48_129_642, reference: "OUT-1" },
      "RISK_INSUFFICIENT_FUNDS",
    );
    expect(refusal.message).toBe(
      "Account 'AKTAU-1' has 48129641 tiyn free but the withdrawal needs 48129642 tiyn (short by 1 tiyn).",
    );
    // The refused withdrawal did not use up its reference.
    x.ok({ type: "money.withdraw", account: "AKTAU-1", amount: 48_129_641, reference: "OUT-1" });
    expect(x.balance("AKTAU-1/free")).toBe(0);

    x.ok(sell("s1", 13_000_000, 100_000)); // 400 t left free
    const gas = x.refuse(
      { type: "gas.withdraw", account: "KAZGPZ-1", basis: "KAZGPZ", quantity: 401_000 },
      "RISK_INSUFFICIENT_VOLUME",
    );
    expect(gas.details).toMatchObject({ free: "400000", required: 401_000, shortfall: "1000" });
    x.ok({ type: "gas.withdraw", account: "KAZGPZ-1", basis: "KAZGPZ", quantity: 400_000 });
    expect(x.balance("KAZGPZ-1/free", "GAS:KAZGPZ")).toBe(0);
  });

  it("RISK_INSUFFICIENT_FUNDS for a payment the buyer's free money does not cover", () => {
    // After the trade 48_136_532 is free; the payment needs 36_900_300.
    const x = traded({ deposit: 50_000_000 - 11_236_233 });
    const refusal = x.refuse(
      { type: "obligation.confirmPayment", obligation: OBLIGATION_ID },
      "RISK_INSUFFICIENT_FUNDS",
    );
    expect(refusal.message).toBe(
      `Account 'AKTAU-1' has 36900299 tiyn free but paying obligation '${OBLIGATION_ID}' needs 36900300 tiyn (short by 1 tiyn).`,
    );
    x.ok({ type: "money.deposit", account: "AKTAU-1", amount: 1, reference: "BANK-2" });
    x.ok({ type: "obligation.confirmPayment", obligation: OBLIGATION_ID });
    expect(x.balance("AKTAU-1/free")).toBe(0);
  });

  it("AMOUNT_INVALID for money outside 1..MONEY_AMOUNT_MAX; GAS_QUANTITY_INVALID for gas not in whole tonnes", () => {
    const x = exchange({ deposit: 0 });
    x.ok({ type: "money.deposit", account: "AKTAU-1", amount: MONEY_AMOUNT_MAX, reference: "MAX" });
    const over = x.refuse(
      { type: "money.deposit", account: "AKTAU-1", amount: MONEY_AMOUNT_MAX + 1, reference: "MAX+1" },
      "AMOUNT_INVALID",
    );
    expect(over.message).toBe(
      "Amount 1000000000000001 is not valid; an amount is a whole number from 1 to 1000000000000000.",
    );
    for (const amount of [0, -5, 1.5, "100", null]) {
      x.refuse({ type: "money.deposit", account: "AKTAU-1", amount, reference: "BAD" }, "AMOUNT_INVALID");
      x.refuse({ type: "money.withdraw", account: "AKTAU-1", amount, reference: "BAD" }, "AMOUNT_INVALID");
    }
    x.ok({ type: "gas.declare", account: "KAZGPZ-1", basis: "KAZGPZ", quantity: ORDER_QUANTITY_MAX });
    for (const quantity of [0, 999, 1500, ORDER_QUANTITY_MAX + 1000, -1000]) {
      x.refuse({ type: "gas.declare", account: "KAZGPZ-1", basis: "KAZGPZ", quantity }, "GAS_QUANTITY_INVALID");
    }
    const offTonne = x.refuse(
      { type: "gas.declare", account: "KAZGPZ-1", basis: "KAZGPZ", quantity: 1500 },
      "GAS_QUANTITY_INVALID",
    );
    expect(offTonne.message).toBe(
      "Gas quantity 1500 kg is not valid; it must be whole tonnes (a multiple of 1000 kg) from 1000 to 1000000000 kg.",
    );
  });

  it("a buyer may lift gas delivered to it, but may not declare gas for sale", () => {
    const x = exchange();
    x.refuse({ type: "gas.withdraw", account: "AKTAU-1", basis: "KAZGPZ", quantity: 1000 }, "RISK_INSUFFICIENT_VOLUME");
    x.refuse({ type: "gas.declare", account: "AKTAU-1", basis: "KAZGPZ", quantity: 1000 }, "ACCOUNT_ROLE_FORBIDDEN");
  });

  it("REFERENCE_DUPLICATE for a bank reference booked before, by a deposit or a withdrawal", () => {
    const x = exchange();
    const refusal = x.refuse(
      { type: "money.deposit", account: "AKTAU-1", amount: 5, reference: "BANK-1" },
      "REFERENCE_DUPLICATE",
    );
    expect(refusal.message).toBe("Bank reference 'BANK-1' was already booked; each statement line is booked once.");
    x.refuse({ type: "money.withdraw", account: "AKTAU-1", amount: 5, reference: "BANK-1" }, "REFERENCE_DUPLICATE");
    x.ok({ type: "money.withdraw", account: "AKTAU-1", amount: 5, reference: "OUT-1" });
    x.refuse({ type: "money.deposit", account: "AKTAU-1", amount: 5, reference: "OUT-1" }, "REFERENCE_DUPLICATE");
    x.refuse({ type: "money.deposit", account: "AKTAU-1", amount: 5, reference: "" }, "REFERENCE_INVALID");
    x.refuse({ type: "money.deposit", account: "AKTAU-1", amount: 5, reference: "A B" }, "REFERENCE_INVALID");
  });

  it("ACCOUNT_ROLE_FORBIDDEN for a side or holding the account's roles do not allow", () => {
    const x = exchange();
    x.ok({ type: "account.open", account: "BRK-S", member: "BRK", client: "Seller client", canSell: true });
    x.ok({ type: "money.deposit", account: "BRK-S", amount: 10_000_000, reference: "BANK-S" });
    x.ok({ type: "money.deposit", account: "KAZGPZ-1", amount: 10_000_000, reference: "BANK-K" });
    const producerBuys = x.refuse(buy("x1", BID, 1000, { account: "KAZGPZ-1" }), "ACCOUNT_ROLE_FORBIDDEN");
    expect(producerBuys.message).toBe("Account 'KAZGPZ-1' may not buy: it is not a buyer's account.");
    x.refuse(buy("x2", BID, 1000, { account: "BRK-S" }), "ACCOUNT_ROLE_FORBIDDEN");
    const buyerSells = x.refuse(sell("x3", BID, 1000, { account: "AKTAU-1" }), "ACCOUNT_ROLE_FORBIDDEN");
    expect(buyerSells.message).toBe("Account 'AKTAU-1' may not sell: it is not a seller's account.");
    const declare = x.refuse(
      { type: "gas.declare", account: "AKTAU-1", basis: "KAZGPZ", quantity: 1000 },
      "ACCOUNT_ROLE_FORBIDDEN",
    );
    expect(declare.message).toBe("Account 'AKTAU-1' may not hold gas for sale: it is not a seller's account.");
  });

  it("ACCOUNT_NOT_FOUND for orders, money and gas of an account never opened", () => {
    const x = exchange();
    x.refuse(buy("x1", BID, 1000, { account: "NOBODY" }), "ACCOUNT_NOT_FOUND");
    x.refuse({ type: "money.deposit", account: "NOBODY", amount: 5, reference: "R" }, "ACCOUNT_NOT_FOUND");
    x.refuse({ type: "gas.declare", account: "NOBODY", basis: "KAZGPZ", quantity: 1000 }, "ACCOUNT_NOT_FOUND");
  });

  it("MEMBER_SUSPENDED for new orders, MEMBER_ALREADY_SUSPENDED for a second suspension, MEMBER_NOT_SUSPENDED for a needless reinstatement", () => {
    const x = exchange();
    x.refuse({ type: "member.reinstate", member: "AKTAU", reason: "no reason" }, "MEMBER_NOT_SUSPENDED");
    x.ok({ type: "member.suspend", member: "AKTAU", reason: "review" });
    x.refuse({ type: "member.suspend", member: "AKTAU", reason: "again" }, "MEMBER_ALREADY_SUSPENDED");
    x.refuse(buy("b1", BID, 1000), "MEMBER_SUSPENDED");
    x.refuse({ type: "member.suspend", member: "NOBODY", reason: "r" }, "MEMBER_NOT_FOUND");
    x.refuse({ type: "member.suspend", member: "KAZGPZ", reason: " " }, "FIELD_INVALID");
  });

  it("ORDER_MARKET_BUY_NOT_COVERED for a market buy on a cleared instrument", () => {
    const x = exchange();
    const refusal = x.refuse(
      {
        type: "order.new",
        instrument: I,
        orderId: "m1",
        account: "AKTAU-1",
        side: "buy",
        orderType: "market",
        quantity: 1000,
      },
      "ORDER_MARKET_BUY_NOT_COVERED",
    );
    expect(refusal.message).toContain(`market buy order on '${I}' cannot be covered`);
  });

  it("OBLIGATION_NOT_FOUND, _NOT_OPEN and _ALREADY_CONFIRMED", () => {
    const x = traded();
    x.refuse({ type: "obligation.confirmPayment", obligation: `OB-${I}-S1-2` }, "OBLIGATION_NOT_FOUND");
    x.refuse({ type: "obligation.confirmDelivery", obligation: 7 }, "OBLIGATION_NOT_FOUND");
    x.ok({ type: "obligation.confirmPayment", obligation: OBLIGATION_ID });
    const twice = x.refuse(
      { type: "obligation.confirmPayment", obligation: OBLIGATION_ID },
      "OBLIGATION_ALREADY_CONFIRMED",
    );
    expect(twice.message).toBe(`The payment of obligation '${OBLIGATION_ID}' is already confirmed.`);
    x.ok({ type: "obligation.confirmDelivery", obligation: OBLIGATION_ID });
    const settled = x.refuse({ type: "obligation.confirmDelivery", obligation: OBLIGATION_ID }, "OBLIGATION_NOT_OPEN");
    expect(settled.message).toBe(`Obligation '${OBLIGATION_ID}' is settled; only open obligations can be confirmed.`);

    const y = traded();
    y.ok({ type: "obligation.confirmDelivery", obligation: OBLIGATION_ID });
    const delivered = y.refuse(
      { type: "obligation.confirmDelivery", obligation: OBLIGATION_ID },
      "OBLIGATION_ALREADY_CONFIRMED",
    );
    expect(delivered.message).toBe(`The delivery of obligation '${OBLIGATION_ID}' is already confirmed.`);
  });

  it("INSTRUMENT_INVALID for clearing terms out of range, at each limit", () => {
    const x = exchange();
    let n = 0;
    const accepted = (terms: Record<string, unknown>, lotSize = 1000) => x.ok(list(`OK-${++n}`, terms, lotSize));
    const refused = (terms: Record<string, unknown>, reason: string, lotSize = 1000) => {
      const refusal = x.refuse(list(`BAD-${++n}`, terms, lotSize), "INSTRUMENT_INVALID");
      expect(refusal.message).toBe(`Instrument definition is not valid: ${reason}.`);
    };
    accepted({}, 2000);
    refused({}, "a cleared instrument's lot size must be whole tonnes, not 1500 kg", 1500);
    refused({}, "a cleared instrument's lot size must be whole tonnes, not 999 kg", 999);
    accepted({ collateralBps: 10_000, feeBps: 0, sellerPenaltyBps: 10_000 });
    refused({ collateralBps: 10_001 }, "collateralBps 10001 must be a whole number of basis points from 0 to 10000");
    refused({ feeBps: -1 }, "feeBps -1 must be a whole number of basis points from 0 to 10000");
    refused({ sellerPenaltyBps: 2.5 }, "sellerPenaltyBps 2.5 must be a whole number of basis points from 0 to 10000");
    accepted({ paymentWindowMs: 1, deliveryWindowMs: CLEARING_WINDOW_MS_MAX });
    refused({ paymentWindowMs: 0 }, "paymentWindowMs 0 must be from 1 ms to one year");
    refused(
      { deliveryWindowMs: CLEARING_WINDOW_MS_MAX + 1 },
      `deliveryWindowMs ${CLEARING_WINDOW_MS_MAX + 1} must be from 1 ms to one year`,
    );
    refused({ buyerDefaultCollateralTo: "broker" }, "buyerDefaultCollateralTo 'broker' must be 'seller' or 'exchange'");
    refused({ basis: "" }, "basis '': an id is 1 to 64 printable ASCII characters without spaces");
    refused({ marginBps: 5 }, "unknown clearing field 'marginBps'");

    const update = (clearing: unknown) => ({ type: "instrument.update", instrument: I, clearing, reason: "review" });
    x.refuse(update({ basis: "OTHER" }), "INSTRUMENT_INVALID");
    x.refuse(update({ feeBps: 10_001 }), "INSTRUMENT_INVALID");
    x.refuse(update(null), "INSTRUMENT_INVALID");
    x.refuse({ ...update({ feeBps: 7 }), reason: "" }, "FIELD_INVALID");
    x.ok(update({ feeBps: 10_000 }));
  });

  it("INSTRUMENT_NOT_CLEARED for a change of clearing terms on a bare instrument", () => {
    const x = exchange();
    x.ok({ type: "instrument.list", instrument: "BARE", mode: "call", tickSize: 1, lotSize: 1 });
    const refusal = x.refuse(
      { type: "instrument.update", instrument: "BARE", clearing: { feeBps: 1 }, reason: "r" },
      "INSTRUMENT_NOT_CLEARED",
    );
    expect(refusal.message).toBe(
      "Instrument 'BARE' has no clearing terms; changing clearing terms applies only to cleared instruments.",
    );
    x.refuse({ type: "instrument.update", instrument: "NONE", clearing: {}, reason: "r" }, "INSTRUMENT_NOT_FOUND");
  });

  it("MEMBER_INVALID, MEMBER_EXISTS, MEMBER_NOT_FOUND, ACCOUNT_EXISTS, ACCOUNT_INVALID and BASIS_INVALID", () => {
    const x = exchange();
    const member = (fields: Record<string, unknown>) => ({ type: "member.add", member: "NEW", name: "New", ...fields });
    x.refuse(member({ roles: ["buyer"] }), "MEMBER_INVALID"); // a buyer needs a category
    x.refuse(member({ roles: ["producer"], buyerCategory: "wholesaler" }), "MEMBER_INVALID");
    x.refuse(member({ roles: ["trader"] }), "MEMBER_INVALID");
    x.refuse(member({ roles: ["producer", "producer"] }), "MEMBER_INVALID");
    x.refuse(member({ roles: [] }), "MEMBER_INVALID");
    x.refuse(member({ roles: ["producer"], name: "" }), "MEMBER_INVALID");
    x.refuse(member({ roles: ["producer"], member: "has space" }), "MEMBER_INVALID");
    x.refuse(member({ roles: ["buyer"], buyerCategory: "pirate" }), "MEMBER_INVALID");
    x.refuse(member({ member: "AKTAU", roles: ["producer"] }), "MEMBER_EXISTS");

    const open = (fields: Record<string, unknown>) => ({ type: "account.open", account: "NEW-1", ...fields });
    x.refuse(open({ member: "NOBODY" }), "MEMBER_NOT_FOUND");
    x.refuse(open({ account: "AKTAU-1", member: "AKTAU" }), "ACCOUNT_EXISTS");
    x.refuse(open({ account: "", member: "AKTAU" }), "ACCOUNT_INVALID");
    x.refuse(open({ member: "AKTAU", client: "Someone" }), "MEMBER_INVALID"); // not a broker
    x.refuse(open({ member: "BRK" }), "MEMBER_INVALID"); // a broker trades through client accounts only
    x.refuse(open({ member: "BRK", client: "C", canBuy: false, canSell: false }), "MEMBER_INVALID");
    x.refuse(open({ member: "BRK", client: "C", canBuy: true }), "MEMBER_INVALID"); // a buying client needs a category
    x.refuse(open({ member: "BRK", client: "C", canSell: true, buyerCategory: "wholesaler" }), "MEMBER_INVALID");

    x.refuse({ type: "gas.declare", account: "KAZGPZ-1", basis: "", quantity: 1000 }, "BASIS_INVALID");
    x.refuse({ type: "gas.declare", account: "KAZGPZ-1", basis: "KAZ GPZ", quantity: 1000 }, "BASIS_INVALID");
    // A well-formed basis no listed instrument delivers at: a reference that does not exist.
    x.refuse({ type: "gas.declare", account: "KAZGPZ-1", basis: "NOWHERE", quantity: 1000 }, "BASIS_UNKNOWN");
  });

  it("GROUP_INVALID, GROUP_EVIDENCE_INVALID and GROUP_UNCHANGED; a group is recorded, survives a restore and is lifted", () => {
    const x = exchange();
    const group = (fields: Record<string, unknown>) => ({
      type: "member.group",
      member: "AKTAU",
      group: "KMG",
      evidence: "FAS decision 2022/17",
      reason: "affiliated through a common owner",
      ...fields,
    });
    x.refuse(group({ member: "NOBODY" }), "MEMBER_NOT_FOUND");
    x.refuse(group({ group: "has space" }), "GROUP_INVALID");
    x.refuse(group({ group: "" }), "GROUP_INVALID");
    x.refuse(group({ group: "G".repeat(65) }), "GROUP_INVALID");
    x.refuse(group({ group: 7 }), "GROUP_INVALID");
    x.refuse(group({ evidence: " " }), "GROUP_EVIDENCE_INVALID");
    x.refuse(group({ evidence: "E".repeat(EVIDENCE_LENGTH_MAX + 1) }), "GROUP_EVIDENCE_INVALID");
    x.refuse(group({ evidence: "line\nbreak" }), "GROUP_EVIDENCE_INVALID");
    x.refuse(group({ reason: "" }), "FIELD_INVALID");
    x.refuse(group({ group: null }), "GROUP_UNCHANGED"); // nothing recorded yet
    expect(x.engine.clearingHouse.members.groupOf("AKTAU")).toBeUndefined();

    const events = x.ok(group({ group: "G".repeat(64), evidence: "E".repeat(EVIDENCE_LENGTH_MAX) }));
    expect(events).toEqual([
      {
        type: "member.grouped",
        member: "AKTAU",
        group: "G".repeat(64),
        evidence: "E".repeat(EVIDENCE_LENGTH_MAX),
        reason: "affiliated through a common owner",
      },
    ]);
    x.ok(group({}));
    const refusal = x.refuse(group({}), "GROUP_UNCHANGED");
    expect(refusal.message).toBe(
      "Member 'AKTAU' is already recorded in group 'KMG' on this evidence; recording that changes nothing.",
    );
    x.ok(group({ evidence: "FAS decision 2022/18" })); // the same group on newer evidence is a change
    const copy = x.fork();
    expect(copy.engine.clearingHouse.members.groupOf("AKTAU")).toEqual({
      member: "AKTAU",
      group: "KMG",
      evidence: "FAS decision 2022/18",
    });
    expect(copy.engine.snapshot().house.members.groups).toEqual([
      { member: "AKTAU", group: "KMG", evidence: "FAS decision 2022/18" },
    ]);
    x.ok(group({ group: null, evidence: "court ruling 5-12" }));
    expect(x.engine.clearingHouse.members.groupOf("AKTAU")).toBeUndefined();
    // With no group recorded the snapshot has no groups field: older snapshots keep their state hashes.
    expect("groups" in x.engine.snapshot().house.members).toBe(false);
  });
});
