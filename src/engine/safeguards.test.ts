/**
 * The regulator's safeguards through the engine: static band (and its reference from the previous session), the
 * circuit breaker and its volatility auction, hard ceiling and floor, the ceiling path, buyer limits (lots, active
 * orders, concentration, eligibility), emergency halts by region with resumption through an auction, supply plans.
 * Each limit is tested at the limit and one step past it.
 */

import { describe, expect, it } from "vitest";
import type { Command } from "./commands.ts";
import { Engine } from "./engine.ts";
import type { EngineEvent } from "./events.ts";
import { clipBand, NO_SAFEGUARDS, priceLimitsAt } from "./safeguards.ts";

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);
const MINUTE = 60_000;
const TERMS = {
  basis: "KAZGPZ",
  collateralBps: 500,
  feeBps: 5,
  paymentWindowMs: 86_400_000,
  deliveryWindowMs: 432_000_000,
  buyerDefaultCollateralTo: "seller" as const,
  sellerPenaltyBps: 1000,
};

class Market {
  readonly engine = new Engine();
  private seq = 0;
  timeMs = T0;

  do(command: Command | Record<string, unknown>): EngineEvent[] {
    const events = this.engine.apply({ seq: ++this.seq, timeMs: this.timeMs, command: command as Command });
    this.engine.checkInvariants();
    return events;
  }

  ok(command: Command | Record<string, unknown>): EngineEvent[] {
    const events = this.do(command);
    expect(events.filter((e) => e.type === "rejected")).toEqual([]);
    return events;
  }

  refuse(command: Command | Record<string, unknown>, code: string): string {
    const events = this.do(command);
    const rejection = events.find((e) => e.type === "rejected");
    expect(rejection?.type === "rejected" ? rejection.code : "accepted").toBe(code);
    return rejection?.type === "rejected" ? rejection.message : "";
  }

  order(orderId: string, side: "buy" | "sell", price: number | null, quantity: number, extra: object = {}): Command {
    return {
      type: "order.new",
      instrument: "LPG",
      orderId,
      account: side === "buy" ? "B1" : "S1",
      side,
      orderType: price === null ? "market" : "limit",
      ...(price === null ? {} : { price }),
      quantity,
      ...extra,
    } as Command;
  }

  get phase(): string {
    return this.engine.market("LPG")!.phase;
  }
}

/** A bare continuous instrument with a reference price of 100,000 and the given safeguards. */
function bare(changes: object, reference = 100_000): Market {
  const m = new Market();
  m.ok({
    type: "instrument.list",
    instrument: "LPG",
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    referencePrice: reference,
  });
  m.ok({ type: "safeguards.set", instrument: "LPG", changes, reason: "test" });
  m.ok({ type: "phase.set", instrument: "LPG", phase: "continuous" });
  return m;
}

/** A cleared instrument with members and money, for eligibility and market buys. */
function cleared(changes: object): Market {
  const m = new Market();
  m.ok({
    type: "instrument.list",
    instrument: "LPG",
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    referencePrice: 13_000_000,
    clearing: TERMS,
    description: { product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
  });
  m.ok({ type: "safeguards.set", instrument: "LPG", changes, reason: "test" });
  m.ok({ type: "phase.set", instrument: "LPG", phase: "continuous" });
  m.ok({ type: "member.add", member: "S", name: "Producer", roles: ["producer"] });
  m.ok({
    type: "member.add",
    member: "B",
    name: "Stations",
    roles: ["buyer"],
    buyerCategory: "filling-station-network",
  });
  m.ok({ type: "member.add", member: "I", name: "Plant", roles: ["buyer"], buyerCategory: "industrial" });
  m.ok({ type: "account.open", account: "S1", member: "S" });
  m.ok({ type: "account.open", account: "B1", member: "B" });
  m.ok({ type: "account.open", account: "I1", member: "I" });
  m.ok({ type: "gas.declare", account: "S1", basis: "KAZGPZ", quantity: 1_000_000 });
  m.ok({ type: "money.deposit", account: "B1", amount: 10_000_000_000, reference: "B1" });
  m.ok({ type: "money.deposit", account: "I1", amount: 10_000_000_000, reference: "I1" });
  return m;
}

describe("static price band", () => {
  it("accepts prices on the band's edges and refuses one tick outside, naming the band", () => {
    const m = bare({ bandBps: 1000 }); // ±10% of 100,000: 90,000..110,000
    m.ok(m.order("lo", "buy", 90_000, 1000));
    m.ok(m.order("hi", "sell", 110_000, 1000));
    expect(m.refuse(m.order("x", "buy", 89_900, 1000), "ORDER_PRICE_OUTSIDE_BAND")).toBe(
      "Price 89900 is outside today's price band 90000–110000 (±10% around the reference price 100000).",
    );
    m.refuse(m.order("y", "sell", 110_100, 1000), "ORDER_PRICE_OUTSIDE_BAND");
    m.refuse({ type: "order.amend", orderId: "lo", price: 89_900 }, "ORDER_PRICE_OUTSIDE_BAND");
  });

  it("rounds the band inward to the tick", () => {
    const m = bare({ bandBps: 333 }, 100_100); // exact band 96,766.67..103,433.33 → 96,800..103,400
    m.ok(m.order("a", "buy", 96_800, 1000));
    m.refuse(m.order("b", "buy", 96_700, 1000), "ORDER_PRICE_OUTSIDE_BAND");
    m.ok(m.order("c", "sell", 103_400, 1000));
    m.refuse(m.order("d", "sell", 103_500, 1000), "ORDER_PRICE_OUTSIDE_BAND");
  });

  it("the next session's band is centred on this session's weighted average price", () => {
    const m = bare({ bandBps: 1000 });
    m.ok(m.order("s1", "sell", 100_000, 1000, { account: "S1" }));
    m.ok(m.order("s2", "sell", 104_000, 3000, { account: "S2" }));
    m.ok(m.order("b1", "buy", 104_000, 4000, { account: "B1" }));
    // Trades: 1 t at 100,000 and 3 t at 104,000: weighted average 103,000.
    m.ok({ type: "phase.set", instrument: "LPG", phase: "closed" });
    expect(m.engine.market("LPG")!.bandReference).toBe(103_000);
    m.ok({ type: "phase.set", instrument: "LPG", phase: "continuous" });
    m.ok(m.order("x", "sell", 113_300, 1000));
    m.refuse(m.order("y", "sell", 113_400, 1000), "ORDER_PRICE_OUTSIDE_BAND");
  });
});

describe("circuit breaker", () => {
  it("stops continuous trading before a print beyond the range and collects orders for a volatility auction", () => {
    const m = bare({ breakerBps: 200, breakerAuctionMs: 2 * MINUTE }); // ±2% around the last price
    m.ok(m.order("s0", "sell", 100_000, 1000, { account: "S0" }));
    m.ok(m.order("b0", "buy", 100_000, 1000, { account: "B0" })); // last price 100,000
    m.ok(m.order("s1", "sell", 101_000, 1000, { account: "S1" }));
    m.ok(m.order("s2", "sell", 102_000, 1000, { account: "S2" })); // on the edge: allowed
    m.ok(m.order("s3", "sell", 105_000, 1000, { account: "S3" })); // beyond the edge
    const events = m.ok(m.order("b1", "buy", 106_000, 5000, { account: "B1" }));
    const trades = events
      .filter((e) => e.type === "trade")
      .map((e) => (e.type === "trade" ? [e.price, e.quantity] : []));
    expect(trades).toEqual([
      [101_000, 1000],
      [102_000, 1000],
    ]);
    const phase = events.find((e) => e.type === "phase.changed");
    expect(phase).toMatchObject({
      from: "continuous",
      to: "collection",
      reason: "volatility",
      auctionEndsAtMs: T0 + 2 * MINUTE,
    });
    expect(m.phase).toBe("collection");
    // The buy's remaining 3 t waits in the auction at its own limit, crossed with the 105,000 offer.
    expect(m.engine.indicative("LPG")).toMatchObject({ kind: "price", volume: 1000 });
    // The auction ends by itself when time reaches its end, and trading continues.
    m.timeMs = T0 + 2 * MINUTE - 1;
    expect(m.ok({ type: "time.tick" }).some((e) => e.type === "trade")).toBe(false);
    m.timeMs = T0 + 2 * MINUTE;
    const end = m.ok({ type: "time.tick" });
    expect(end.filter((e) => e.type === "trade").map((e) => (e.type === "trade" ? e.price : 0))).toEqual([106_000]);
    expect(m.phase).toBe("continuous");
  });

  it("an IOC is only cut at the edge, without an auction", () => {
    const m = bare({ breakerBps: 200 });
    m.ok(m.order("s0", "sell", 100_000, 1000, { account: "S0" }));
    m.ok(m.order("b0", "buy", 100_000, 1000, { account: "B0" }));
    m.ok(m.order("s3", "sell", 105_000, 1000, { account: "S3" }));
    const events = m.ok(m.order("b1", "buy", 106_000, 1000, { tif: "IOC" }));
    expect(events.filter((e) => e.type === "order.cancelled")).toMatchObject([
      { orderId: "b1", reason: "ioc-remainder" },
    ]);
    expect(m.phase).toBe("continuous");
  });
});

describe("ceiling, floor and the ceiling path", () => {
  it("refuses prices above the ceiling and below the floor, at the limit and one tick past", () => {
    const m = bare({ ceiling: 120_000, floor: 80_000 });
    m.ok(m.order("a", "sell", 120_000, 1000));
    expect(m.refuse(m.order("b", "sell", 120_100, 1000), "ORDER_PRICE_ABOVE_CEILING")).toBe(
      "Price 120100 is above the price ceiling 120000.",
    );
    m.ok(m.order("c", "buy", 80_000, 1000));
    m.refuse(m.order("d", "buy", 79_900, 1000), "ORDER_PRICE_BELOW_FLOOR");
  });

  it("steps the ceiling along its path at the set times and cancels orders above the new ceiling", () => {
    const m = bare({
      ceiling: 110_000,
      ceilingPath: [
        { effectiveFromMs: T0 + 10 * MINUTE, ceiling: 112_000 },
        { effectiveFromMs: T0 + 20 * MINUTE, ceiling: 105_000 },
      ],
    });
    m.refuse(m.order("a", "sell", 111_000, 1000), "ORDER_PRICE_ABOVE_CEILING");
    m.timeMs = T0 + 10 * MINUTE;
    m.ok(m.order("b", "sell", 111_000, 1000));
    m.ok(m.order("c", "sell", 104_000, 1000));
    m.timeMs = T0 + 20 * MINUTE;
    const events = m.ok({ type: "time.tick" });
    expect(events.filter((e) => e.type === "order.cancelled")).toMatchObject([{ orderId: "b", reason: "price-limit" }]);
    expect(m.engine.market("LPG")!.safeguards).toMatchObject({ ceiling: 105_000, ceilingPath: [] });
  });

  it("a market buy on a cleared instrument is sized at the ceiling", () => {
    const m = cleared({ ceiling: 14_000_000 });
    m.ok(m.order("s", "sell", 13_500_000, 10_000));
    const events = m.ok(m.order("mb", "buy", null, 5000));
    expect(events.filter((e) => e.type === "trade").map((e) => (e.type === "trade" ? e.price : 0))).toEqual([
      13_500_000,
    ]);
    const block = events.find((e) => e.type === "ledger.posted" && e.reason === "order.block");
    // (5% collateral + 0.05% fee of 14,000,000 per tonne) × 5 t
    expect(block?.type === "ledger.posted" ? block.transfers[0]!.amount : 0).toBe((700_000 + 7_000) * 5);
  });
});

describe("the band clipped to the ceiling and the floor (the ceiling wins)", () => {
  it("clamps each end of the band into [floor, ceiling], at the limit and one tick past", () => {
    const band = { low: 90_000, high: 110_000 };
    expect(clipBand(band, null, null)).toEqual(band);
    expect(clipBand(null, 80_000, null)).toBeNull();
    expect(clipBand(band, 110_000, null)).toEqual({ low: 90_000, high: 110_000 }); // high end on the ceiling
    expect(clipBand(band, 109_900, null)).toEqual({ low: 90_000, high: 109_900 });
    expect(clipBand(band, 90_000, null)).toEqual({ low: 90_000, high: 90_000 }); // low end on the ceiling
    expect(clipBand(band, 89_900, null)).toEqual({ low: 89_900, high: 89_900 }); // whole band above it
    expect(clipBand(band, null, 90_000)).toEqual({ low: 90_000, high: 110_000 });
    expect(clipBand(band, null, 110_100)).toEqual({ low: 110_100, high: 110_100 }); // whole band below the floor
    expect(clipBand(band, 100_000, 95_000)).toEqual({ low: 95_000, high: 100_000 });
  });

  it("the limits in force carry the clipped band, with the ceiling of the path in force", () => {
    const safeguards = {
      ...NO_SAFEGUARDS,
      bandBps: 1000,
      ceiling: 120_000,
      ceilingPath: [{ effectiveFromMs: T0 + MINUTE, ceiling: 85_000 }],
    };
    expect(priceLimitsAt(safeguards, 100_000, 100, T0).band).toEqual({ low: 90_000, high: 110_000 });
    expect(priceLimitsAt(safeguards, 100_000, 100, T0 + MINUTE).band).toEqual({ low: 85_000, high: 85_000 });
    expect(priceLimitsAt({ ...safeguards, ceiling: null, ceilingPath: [] }, 100_000, 100, T0).band).toEqual({
      low: 90_000,
      high: 110_000,
    });
  });

  it("a ceiling inside the band cuts its high end; prices above the ceiling are refused for the ceiling", () => {
    const m = bare({ bandBps: 1000, ceiling: 105_000 }); // band 90,000..110,000, in force 90,000..105,000
    expect(m.engine.market("LPG")!.band()).toEqual({ low: 90_000, high: 105_000 });
    m.ok(m.order("a", "sell", 105_000, 1000));
    m.refuse(m.order("b", "sell", 105_100, 1000), "ORDER_PRICE_ABOVE_CEILING");
    m.ok(m.order("c", "buy", 90_000, 1000));
    expect(m.refuse(m.order("d", "buy", 89_900, 1000), "ORDER_PRICE_OUTSIDE_BAND")).toBe(
      "Price 89900 is outside today's price band 90000–105000 (±10% around the reference price 100000).",
    );
  });

  it("when the whole band is above the ceiling, the ceiling is a valid price and trades; the next band recentres", () => {
    const m = bare({ bandBps: 1000, ceiling: 80_000 }); // band 90,000..110,000 lies above the ceiling
    expect(m.engine.market("LPG")!.band()).toEqual({ low: 80_000, high: 80_000 });
    m.refuse(m.order("a", "sell", 80_100, 1000), "ORDER_PRICE_ABOVE_CEILING");
    m.refuse(m.order("b", "buy", 79_900, 1000), "ORDER_PRICE_OUTSIDE_BAND");
    m.ok(m.order("s", "sell", 80_000, 2000, { account: "S1" }));
    const events = m.ok(m.order("x", "buy", 80_000, 2000, { account: "B1" }));
    expect(events.filter((e) => e.type === "trade").map((e) => (e.type === "trade" ? e.price : 0))).toEqual([80_000]);
    m.ok({ type: "phase.set", instrument: "LPG", phase: "closed" });
    m.ok({ type: "phase.set", instrument: "LPG", phase: "continuous" });
    // Recentred on 80,000: 72,000..88,000, clipped to 72,000..80,000.
    expect(m.engine.market("LPG")!.band()).toEqual({ low: 72_000, high: 80_000 });
    m.ok(m.order("c", "buy", 72_000, 1000));
    m.refuse(m.order("d", "buy", 71_900, 1000), "ORDER_PRICE_OUTSIDE_BAND");
  });

  it("a ceiling step below the band cancels resting orders above it and leaves the ceiling tradable", () => {
    const m = bare({
      bandBps: 1000,
      ceiling: 120_000,
      ceilingPath: [{ effectiveFromMs: T0 + MINUTE, ceiling: 85_000 }],
    });
    m.ok(m.order("s", "sell", 95_000, 1000, { account: "S1" }));
    m.timeMs = T0 + MINUTE;
    const stepped = m.ok({ type: "time.tick" });
    expect(stepped.filter((e) => e.type === "order.cancelled")).toMatchObject([
      { orderId: "s", reason: "price-limit" },
    ]);
    m.ok(m.order("s2", "sell", 85_000, 1000, { account: "S1" }));
    const events = m.ok(m.order("b", "buy", 85_000, 1000, { account: "B1" }));
    expect(events.some((e) => e.type === "trade" && e.price === 85_000)).toBe(true);
  });

  it("when the whole band is below the floor, the floor is the valid price", () => {
    const m = bare({ bandBps: 1000, floor: 115_000 });
    expect(m.engine.market("LPG")!.band()).toEqual({ low: 115_000, high: 115_000 });
    m.ok(m.order("a", "sell", 115_000, 1000));
    m.refuse(m.order("b", "sell", 115_100, 1000), "ORDER_PRICE_OUTSIDE_BAND");
    m.refuse(m.order("c", "buy", 114_900, 1000), "ORDER_PRICE_BELOW_FLOOR");
  });
});

describe("buyer limits", () => {
  it("lots per order", () => {
    const m = bare({ maxLotsPerOrder: 3 });
    m.ok(m.order("a", "buy", 99_000, 3000));
    expect(m.refuse(m.order("b", "buy", 99_000, 4000), "ORDER_LOTS_LIMIT")).toBe(
      "The order is 4 lots; at most 3 lots per order are allowed on 'LPG'.",
    );
    m.ok(m.order("c", "sell", 101_000, 4000)); // a seller is not a buyer
  });

  it("active orders per account", () => {
    const m = bare({ maxActiveOrders: 2 });
    m.ok(m.order("a", "buy", 99_000, 1000));
    m.ok(m.order("b", "buy", 98_000, 1000));
    m.refuse(m.order("c", "buy", 97_000, 1000), "ORDER_ACTIVE_LIMIT");
    m.ok({ type: "order.cancel", orderId: "a" });
    m.ok(m.order("d", "buy", 97_000, 1000));
  });

  it("share of the session's offered quantity per buyer", () => {
    const m = bare({ maxShareBps: 2500 });
    m.ok(m.order("s", "sell", 101_000, 8000));
    // 25% of 8 t offered: at most 2 t per buyer, bought and bidding together.
    m.ok(m.order("b1", "buy", 99_000, 1000));
    m.ok(m.order("b2", "buy", 101_000, 1000)); // buys 1 t: bought 1 + bidding 1 = 2 t (offered: 7 open + 1 traded)
    expect(m.refuse(m.order("b3", "buy", 99_000, 1000), "ORDER_CONCENTRATION_LIMIT")).toBe(
      "Account 'B1' would hold 3000 kg (bought 1000, bidding 1000), more than 25% of the 8000 kg offered this session (at most 2000 kg).",
    );
    m.ok(m.order("c1", "buy", 99_000, 2000, { account: "B2" }));
  });

  it("eligibility by buyer category", () => {
    const m = cleared({ eligibleCategories: ["filling-station-network"] });
    m.ok(m.order("s", "sell", 13_000_000, 10_000));
    m.ok(m.order("b", "buy", 12_900_000, 1000));
    expect(m.refuse(m.order("i", "buy", 12_900_000, 1000, { account: "I1" }), "ACCOUNT_NOT_ELIGIBLE")).toBe(
      "Account 'I1' (buyer category industrial) may not buy on 'LPG'; eligible categories: filling-station-network.",
    );
  });

  it("eligibility needs a cleared instrument; bad values are refused with the field named", () => {
    const m = bare({});
    m.refuse(
      { type: "safeguards.set", instrument: "LPG", changes: { eligibleCategories: ["industrial"] }, reason: "x" },
      "INSTRUMENT_NOT_CLEARED",
    );
    expect(
      m.refuse(
        { type: "safeguards.set", instrument: "LPG", changes: { bandBps: 0 }, reason: "x" },
        "SAFEGUARDS_INVALID",
      ),
    ).toContain("bandBps 0 must be a whole number of basis points");
    m.refuse(
      { type: "safeguards.set", instrument: "LPG", changes: { wings: 1 } as object, reason: "x" },
      "SAFEGUARDS_INVALID",
    );
    m.refuse(
      { type: "safeguards.set", instrument: "LPG", changes: { ceiling: 100_050 }, reason: "x" },
      "SAFEGUARDS_INVALID",
    );
    m.refuse(
      { type: "safeguards.set", instrument: "LPG", changes: { floor: 200_000, ceiling: 100_000 }, reason: "x" },
      "SAFEGUARDS_INVALID",
    );
    m.refuse({ type: "safeguards.set", instrument: "LPG", changes: { bandBps: 100 }, reason: "" }, "FIELD_INVALID");
  });
});

describe("emergency halts", () => {
  function twoRegions(): Market {
    const m = new Market();
    for (const [id, region] of [
      ["MNG", "MANGYSTAU"],
      ["ATR", "ATYRAU"],
    ] as const) {
      m.ok({
        type: "instrument.list",
        instrument: id,
        mode: "continuous",
        tickSize: 100,
        lotSize: 1000,
        referencePrice: 100_000,
        description: { product: "propane-butane", basis: "KAZGPZ", region, deliveryPeriod: "2026-01" },
      });
      m.ok({ type: "phase.set", instrument: id, phase: "continuous" });
    }
    return m;
  }

  it("halts one region, keeps the other trading, and resumes through an auction", () => {
    const m = twoRegions();
    m.ok({ type: "halt", scope: "region", region: "MANGYSTAU", reason: "protests in Zhanaozen" });
    expect(m.engine.market("MNG")!.phase).toBe("halted");
    expect(m.engine.market("ATR")!.phase).toBe("continuous");
    m.refuse({ ...(m.order("x", "buy", 100_000, 1000) as object), instrument: "MNG" }, "PHASE_CLOSED");
    const resumed = m.ok({ type: "resume", scope: "region", region: "MANGYSTAU", reason: "calm" });
    expect(resumed.find((e) => e.type === "phase.changed")).toMatchObject({
      instrument: "MNG",
      from: "halted",
      to: "collection",
      reason: "calm",
      auctionEndsAtMs: T0 + 5 * MINUTE,
    });
    m.timeMs = T0 + 5 * MINUTE;
    m.ok({ type: "time.tick" });
    expect(m.engine.market("MNG")!.phase).toBe("continuous");
  });

  it("a market-wide halt stops every instrument; resuming nothing halted is refused", () => {
    const m = twoRegions();
    m.refuse({ type: "resume", scope: "market", reason: "nothing" }, "NOTHING_TO_RESUME");
    m.ok({ type: "halt", scope: "market", reason: "emergency" });
    expect([m.engine.market("MNG")!.phase, m.engine.market("ATR")!.phase]).toEqual(["halted", "halted"]);
    m.refuse({ type: "halt", scope: "region", region: "MARS", reason: "x" }, "HALT_SCOPE_INVALID");
  });
});

describe("supply plans", () => {
  it("records a producer's planned monthly volume with its reason", () => {
    const m = cleared({});
    const events = m.ok({
      type: "supply.plan",
      month: "2026-01",
      producer: "S",
      basis: "KAZGPZ",
      plannedKg: 14_500_000,
      reason: "plan",
    });
    expect(events).toEqual([
      {
        type: "supply.planned",
        month: "2026-01",
        producer: "S",
        basis: "KAZGPZ",
        plannedKg: 14_500_000,
        reason: "plan",
      },
    ]);
    m.refuse(
      { type: "supply.plan", month: "2026-13", producer: "S", basis: "KAZGPZ", plannedKg: 1, reason: "x" },
      "FIELD_INVALID",
    );
    m.refuse(
      { type: "supply.plan", month: "2026-01", producer: "Z", basis: "KAZGPZ", plannedKg: 1, reason: "x" },
      "MEMBER_NOT_FOUND",
    );
  });

  it("snapshot and restore keep safeguards, band reference, session and running auctions", () => {
    const m = bare({ bandBps: 1000, breakerBps: 200, maxShareBps: 10_000 });
    m.ok(m.order("s0", "sell", 100_000, 1000, { account: "S0" }));
    m.ok(m.order("b0", "buy", 100_000, 1000, { account: "B0" }));
    m.ok(m.order("s3", "sell", 105_000, 1000, { account: "S3" }));
    m.ok(m.order("b1", "buy", 106_000, 2000, { account: "B1" }));
    expect(m.phase).toBe("collection");
    const restored = Engine.restore(JSON.parse(JSON.stringify(m.engine.snapshot())));
    expect(restored.stateHash()).toBe(m.engine.stateHash());
    const tick = { seq: 99, timeMs: T0 + 3 * MINUTE, command: { type: "time.tick" } as Command };
    expect(restored.apply(tick)).toEqual(m.engine.apply(tick));
    expect(restored.stateHash()).toBe(m.engine.stateHash());
  });
});
