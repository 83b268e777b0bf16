/**
 * Engine-level rules: trading phases, opening and call auctions through the engine, expiry of DAY and GTD orders,
 * amends during order collection, instrument checks (tick and lot), snapshot/restore and the state hash.
 */

import { describe, expect, it } from "vitest";
import { asVersion3 } from "../../test/support/engine-snapshot-v3.ts";
import { asVersion4 } from "../../test/support/engine-snapshot-v4.ts";
import { asVersion5 } from "../../test/support/engine-snapshot-v5.ts";
import type { Command } from "./commands.ts";
import { Engine, type EngineSnapshotV3, INSTRUMENTS_MAX } from "./engine.ts";
import type { EngineEvent } from "./events.ts";

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0); // 11:00 in Almaty (UTC+5)

class Harness {
  readonly engine = new Engine();
  private seq = 0;
  timeMs = T0;

  do(command: Command): EngineEvent[] {
    this.seq++;
    const events = this.engine.apply({ seq: this.seq, timeMs: this.timeMs, command });
    this.engine.checkInvariants();
    return events;
  }

  list(instrument: string, mode: "continuous" | "call", extra: Partial<Command> = {}): void {
    this.do({ type: "instrument.list", instrument, mode, tickSize: 100, lotSize: 1000, ...extra } as Command);
  }

  phase(instrument: string, phase: string): EngineEvent[] {
    return this.do({ type: "phase.set", instrument, phase } as Command);
  }

  order(
    orderId: string,
    side: "buy" | "sell",
    price: number | null,
    quantity: number,
    extra: Record<string, unknown> = {},
  ): EngineEvent[] {
    return this.do({
      type: "order.new",
      instrument: (extra.instrument as string | undefined) ?? "LPG",
      orderId,
      account: (extra.account as string | undefined) ?? (side === "buy" ? "BUYER" : "SELLER"),
      side,
      orderType: price === null ? "market" : "limit",
      ...(price === null ? {} : { price }),
      quantity,
      ...extra,
    } as Command);
  }
}

const of = <T extends EngineEvent["type"]>(events: EngineEvent[], type: T) =>
  events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);

describe("instruments", () => {
  it("checks tick and lot sizes", () => {
    const h = new Harness();
    h.list("LPG", "continuous");
    h.phase("LPG", "continuous");
    expect(of(h.order("a", "buy", 13_312_650, 1000), "rejected")[0]?.code).toBe("ORDER_PRICE_OFF_TICK");
    expect(of(h.order("b", "buy", 13_312_600, 1500), "rejected")[0]?.code).toBe("ORDER_QUANTITY_OFF_LOT");
    expect(of(h.order("c", "buy", 13_312_600, 2000), "rejected")).toEqual([]);
  });

  it("rejects a second listing, an unknown instrument and a bad definition", () => {
    const h = new Harness();
    h.list("LPG", "continuous");
    expect(
      of(h.do({ type: "instrument.list", instrument: "LPG", mode: "call", tickSize: 1, lotSize: 1 }), "rejected")[0]
        ?.code,
    ).toBe("INSTRUMENT_EXISTS");
    expect(of(h.order("x", "buy", 100, 1000, { instrument: "NOPE" }), "rejected")[0]?.code).toBe(
      "INSTRUMENT_NOT_FOUND",
    );
    const bad = h.do({ type: "instrument.list", instrument: "B", mode: "call", tickSize: 0, lotSize: 1 });
    expect(of(bad, "rejected")[0]?.message).toContain("tick size 0");
  });

  it("refuses orders while closed and halted, with the phase in the message", () => {
    const h = new Harness();
    h.list("LPG", "continuous");
    const closed = of(h.order("a", "buy", 100, 1000), "rejected")[0];
    expect(closed?.code).toBe("PHASE_CLOSED");
    expect(closed?.message).toBe("Instrument 'LPG' is closed; orders are not accepted now.");
    h.phase("LPG", "continuous");
    h.phase("LPG", "halted");
    expect(of(h.order("b", "buy", 100, 1000), "rejected")[0]?.code).toBe("PHASE_CLOSED");
  });

  it("refuses a phase change that the trading mode does not allow, naming the allowed ones", () => {
    const h = new Harness();
    h.list("CALL", "call");
    const events = h.phase("CALL", "continuous");
    expect(of(events, "rejected")[0]?.code).toBe("PHASE_TRANSITION_INVALID");
    expect(of(events, "rejected")[0]?.message).toContain("allowed next phases: collection, halted");
  });
});

describe("opening auction of a continuous instrument", () => {
  it("collects without matching, uncrosses at one price, then trades continuously", () => {
    const h = new Harness();
    h.list("LPG", "continuous", { referencePrice: 10_000 } as Partial<Command>);
    h.phase("LPG", "collection");
    h.order("b1", "buy", 10_200, 3000);
    h.order("b2", "buy", 10_000, 2000);
    h.order("s1", "sell", 9_900, 2000);
    const lastSell = h.order("s2", "sell", 10_100, 2000);
    expect(of(lastSell, "trade")).toEqual([]);
    expect(h.engine.indicative("LPG")).toEqual({
      kind: "price",
      price: 10_100,
      volume: 3000,
      surplus: 1000,
      surplusSide: "sell",
    });
    const events = h.phase("LPG", "uncross");
    expect(of(events, "phase.changed").map((e) => e.to)).toEqual(["uncross", "continuous"]);
    expect(of(events, "auction.uncrossed")[0]).toMatchObject({ price: 10_100, volume: 3000 });
    expect(of(events, "trade").map((e) => [e.buyOrderId, e.sellOrderId, e.price, e.quantity, e.aggressor])).toEqual([
      ["b1", "s1", 10_100, 2000, null],
      ["b1", "s2", 10_100, 1000, null],
    ]);
    // Continuous now: a crossing order trades at once.
    const taker = h.order("b3", "buy", 10_100, 1000);
    expect(of(taker, "trade")[0]).toMatchObject({ price: 10_100, makerOrderId: "s2", takerOrderId: "b3" });
  });

  it("market orders take part first and their remainder is cancelled after the auction", () => {
    const h = new Harness();
    h.list("LPG", "continuous", { referencePrice: 10_000 } as Partial<Command>);
    h.phase("LPG", "collection");
    h.order("mb", "buy", null, 5000);
    h.order("s1", "sell", 10_000, 2000);
    const events = h.phase("LPG", "uncross");
    expect(of(events, "trade").map((e) => [e.buyOrderId, e.quantity])).toEqual([["mb", 2000]]);
    expect(of(events, "order.cancelled")).toMatchObject([
      { orderId: "mb", quantity: 3000, reason: "auction-remainder" },
    ]);
  });

  it("refuses IOC limit orders and any FOK during collection", () => {
    const h = new Harness();
    h.list("LPG", "continuous");
    h.phase("LPG", "collection");
    expect(of(h.order("a", "buy", 100, 1000, { tif: "IOC" }), "rejected")[0]?.code).toBe("ORDER_TIF_NOT_ALLOWED");
    expect(of(h.order("b", "buy", null, 1000, { tif: "FOK" }), "rejected")[0]?.code).toBe("ORDER_TIF_NOT_ALLOWED");
    expect(of(h.order("c", "buy", null, 1000), "rejected")).toEqual([]);
  });

  it("an amend in collection: a decrease keeps priority, a price change moves to the back", () => {
    const h = new Harness();
    h.list("LPG", "continuous", { referencePrice: 10_000 } as Partial<Command>);
    h.phase("LPG", "collection");
    h.order("b1", "buy", 10_000, 2000, { account: "X" });
    h.order("b2", "buy", 10_000, 2000, { account: "Y" });
    h.order("b3", "buy", 10_000, 2000, { account: "Z" });
    h.do({ type: "order.amend", orderId: "b1", quantity: 1000 });
    h.do({ type: "order.amend", orderId: "b2", price: 10_100 });
    h.do({ type: "order.amend", orderId: "b2", price: 10_000 });
    expect(
      h.engine
        .market("LPG")!
        .ordersInPriority("buy")
        .map((o) => o.id),
    ).toEqual(["b1", "b3", "b2"]);
    h.order("s1", "sell", 10_000, 2000);
    const events = h.phase("LPG", "uncross");
    expect(of(events, "trade").map((e) => [e.buyOrderId, e.quantity])).toEqual([
      ["b1", 1000],
      ["b3", 1000],
    ]);
  });

  it("an uncross that needs a reference price is refused until one is set", () => {
    const h = new Harness();
    h.list("LPG", "continuous");
    h.phase("LPG", "collection");
    h.order("mb", "buy", null, 1000);
    h.order("ms", "sell", null, 1000);
    const refused = h.phase("LPG", "uncross");
    expect(of(refused, "rejected")[0]?.code).toBe("AUCTION_REFERENCE_PRICE_REQUIRED");
    expect(h.engine.market("LPG")!.phase).toBe("collection");
    h.do({ type: "reference.set", instrument: "LPG", price: 12_300 });
    const events = h.phase("LPG", "uncross");
    expect(of(events, "trade").map((e) => [e.price, e.quantity])).toEqual([[12_300, 1000]]);
  });
});

describe("call instruments and halts", () => {
  it("a call instrument clears once at the end of collection and closes", () => {
    const h = new Harness();
    h.list("CALL", "call");
    h.phase("CALL", "collection");
    h.order("b1", "buy", 13_000_000, 5000, { instrument: "CALL", tif: "DAY" });
    h.order("s1", "sell", 12_000_000, 3000, { instrument: "CALL", tif: "DAY" });
    const events = h.phase("CALL", "uncross");
    expect(of(events, "phase.changed").map((e) => e.to)).toEqual(["uncross", "closed"]);
    expect(of(events, "trade").map((e) => [e.price, e.quantity])).toEqual([[13_000_000, 3000]]);
    // The buyer's DAY remainder expires at the close.
    expect(of(events, "order.cancelled")).toMatchObject([{ orderId: "b1", quantity: 2000, reason: "expired" }]);
    // Finished orders are forgotten at the close: the id may be used again in a later session.
    expect(h.engine.order("b1")).toBeUndefined();
    h.phase("CALL", "collection");
    expect(of(h.order("b1", "buy", 13_000_000, 1000, { instrument: "CALL" }), "order.accepted")).toHaveLength(1);
  });

  it("a halt stops entry, keeps the book, and trading resumes through an auction", () => {
    const h = new Harness();
    // Two candidate prices (10,100 and 10,200) tie on volume and surplus: the reference price decides.
    h.list("LPG", "continuous", { referencePrice: 10_000 } as Partial<Command>);
    h.phase("LPG", "continuous");
    h.order("s1", "sell", 10_100, 1000);
    h.phase("LPG", "halted");
    expect(h.engine.market("LPG")!.depth("sell")).toEqual([{ price: 10_100, quantity: 1000, orders: 1 }]);
    expect(of(h.phase("LPG", "continuous"), "rejected")[0]?.code).toBe("PHASE_TRANSITION_INVALID");
    h.phase("LPG", "collection");
    h.order("b1", "buy", 10_200, 1000);
    const events = h.phase("LPG", "uncross");
    expect(of(events, "trade").map((e) => [e.price, e.quantity])).toEqual([[10_100, 1000]]);
    expect(h.engine.market("LPG")!.phase).toBe("continuous");
  });

  it("cancels are allowed while halted and closed", () => {
    const h = new Harness();
    h.list("LPG", "continuous");
    h.phase("LPG", "continuous");
    h.order("s1", "sell", 10_100, 1000);
    h.order("s2", "sell", 10_200, 1000);
    h.phase("LPG", "halted");
    expect(of(h.do({ type: "order.cancel", orderId: "s1" }), "order.cancelled")).toHaveLength(1);
    h.phase("LPG", "closed");
    expect(of(h.do({ type: "order.cancel", orderId: "s2" }), "order.cancelled")).toHaveLength(1);
  });
});

describe("expiry", () => {
  it("DAY orders expire at the close, GTC orders stay", () => {
    const h = new Harness();
    h.list("LPG", "continuous");
    h.phase("LPG", "continuous");
    h.order("day", "buy", 10_000, 1000, { tif: "DAY" });
    h.order("gtc", "buy", 9_900, 1000);
    const events = h.phase("LPG", "closed");
    expect(of(events, "order.cancelled")).toMatchObject([{ orderId: "day", reason: "expired" }]);
    expect(h.engine.market("LPG")!.depth("buy")).toEqual([{ price: 9_900, quantity: 1000, orders: 1 }]);
  });

  it("GTD orders expire when engine time reaches their expiry, earliest first", () => {
    const h = new Harness();
    h.list("LPG", "continuous");
    h.phase("LPG", "continuous");
    h.order("late", "buy", 10_000, 1000, { tif: "GTD", expireAtMs: T0 + 2000 });
    h.order("early", "buy", 9_900, 1000, { tif: "GTD", expireAtMs: T0 + 1000 });
    h.timeMs = T0 + 999;
    expect(of(h.do({ type: "time.tick" }), "order.cancelled")).toEqual([]);
    h.timeMs = T0 + 5000;
    const events = h.do({ type: "time.tick" });
    expect(of(events, "order.cancelled").map((e) => [e.orderId, e.reason])).toEqual([
      ["early", "expired"],
      ["late", "expired"],
    ]);
  });

  it("orders of several instruments expiring at once expire instrument by instrument in listing order, also after a restore", () => {
    const h = new Harness();
    for (const id of ["A", "B", "C"]) {
      h.list(id, "continuous");
      h.phase(id, "continuous");
    }
    // C gets its timer before A does, so the order in which timers were set differs from the listing order.
    h.order("c1", "buy", 10_000, 1000, { instrument: "C", tif: "GTD", expireAtMs: T0 + 1000 });
    h.order("a1", "buy", 10_000, 1000, { instrument: "A", tif: "GTD", expireAtMs: T0 + 2000 });
    h.order("b1", "buy", 10_000, 1000, { instrument: "B", tif: "DAY" });
    const restored = Engine.restore(h.engine.snapshot());
    h.timeMs = T0 + 5000;
    const expired = (events: EngineEvent[]) => of(events, "order.cancelled").map((e) => e.orderId);
    expect(expired(h.do({ type: "time.tick" }))).toEqual(["a1", "c1"]);
    const again = restored.apply({ seq: h.engine.lastSeq, timeMs: h.timeMs, command: { type: "time.tick" } });
    expect(expired(again)).toEqual(["a1", "c1"]);
    expect(restored.stateHash()).toBe(h.engine.stateHash());
  });

  it("a GTD order needs an expiry in the future; other orders take none", () => {
    const h = new Harness();
    h.list("LPG", "continuous");
    h.phase("LPG", "continuous");
    expect(of(h.order("a", "buy", 100, 1000, { tif: "GTD", expireAtMs: T0 }), "rejected")[0]?.code).toBe(
      "ORDER_EXPIRY_INVALID",
    );
    expect(of(h.order("b", "buy", 100, 1000, { tif: "GTD" }), "rejected")[0]?.code).toBe("ORDER_EXPIRY_INVALID");
    expect(of(h.order("c", "buy", 100, 1000, { expireAtMs: T0 + 1 }), "rejected")[0]?.code).toBe("FIELD_INVALID");
    expect(of(h.order("d", "buy", 100, 1000, { tif: "GTD", expireAtMs: T0 + 1 }), "rejected")).toEqual([]);
  });

  it("time never moves backwards: an earlier timestamp is rejected and changes nothing", () => {
    const h = new Harness();
    h.list("LPG", "continuous");
    h.timeMs = T0 - 1;
    const events = h.do({ type: "time.tick" });
    expect(of(events, "rejected")[0]?.code).toBe("TIME_NOT_MONOTONIC");
    expect(h.engine.nowMs).toBe(T0);
  });
});

describe("snapshot, restore and the state hash", () => {
  function build(): Harness {
    const h = new Harness();
    h.list("LPG", "continuous", { referencePrice: 10_000 } as Partial<Command>);
    h.list("CALL", "call");
    h.phase("LPG", "continuous");
    h.phase("CALL", "collection");
    h.order("s1", "sell", 10_100, 3000, { account: "P1" });
    h.order("s2", "sell", 10_100, 1000, { account: "P2" });
    h.order("s3", "sell", 10_300, 1000, { account: "P1", tif: "GTD", expireAtMs: T0 + 60_000 });
    h.order("b1", "buy", 10_100, 2000, { account: "B1" });
    h.order("c1", "buy", null, 1000, { instrument: "CALL", account: "B2" });
    h.order("c2", "sell", 12_000, 4000, { instrument: "CALL", account: "P3", tif: "DAY" });
    return h;
  }

  it("restore gives the same hash and the same future", () => {
    const h = build();
    const restored = Engine.restore(structuredClone(h.engine.snapshot()));
    expect(restored.stateHash()).toBe(h.engine.stateHash());
    restored.checkInvariants();
    const next: Command[] = [
      {
        type: "order.new",
        instrument: "LPG",
        orderId: "b2",
        account: "B9",
        side: "buy",
        orderType: "limit",
        price: 10_300,
        quantity: 4000,
      },
      { type: "phase.set", instrument: "CALL", phase: "uncross" },
    ];
    for (const [i, command] of next.entries()) {
      const seq = h.engine.lastSeq + 1 + i;
      const timeMs = T0 + 120_000;
      expect(restored.apply({ seq, timeMs, command })).toEqual(h.engine.apply({ seq, timeMs, command }));
    }
    expect(restored.stateHash()).toBe(h.engine.stateHash());
  });

  it("stores live orders by column, market by market in priority order, repeated entries as runs, and restores them exactly", () => {
    const h = build();
    const snapshot = h.engine.snapshot();
    expect(snapshot.version).toBe(6);
    const columns = snapshot.orders;
    expect(new Set(columns.strings).size).toBe(columns.strings.length);
    // LPG (listed first) holds no bids and asks s1 (1,000 kg left after b1), s2 at 10,100 then s3 at 10,300; CALL
    // bids c1 (a market order) and asks c2. The markets count their orders instead of naming them.
    expect(columns.id).toEqual(["s1", "s2", "s3", "c1", "c2"]);
    expect(snapshot.markets.map((m) => [m.spec.id, m.bidOrders, m.askOrders])).toEqual([
      ["LPG", 0, 3],
      ["CALL", 1, 1],
    ]);
    // The strings are named in the order the columns first use them, for the first order, then the next.
    expect(columns.strings.slice(0, 7)).toEqual(["LPG", "P1", "sell", "limit", "GTC", "cancel-taker", "resting"]);
    // Every order rests: one run. The prices of LPG's asks and CALL's orders: as many runs as entries, so entries.
    expect(columns.status).toEqual({ runs: [6, 5] });
    expect(columns.price).toEqual([10_100, 10_100, 10_300, null, 12_000]);
    const prices = columns.price;
    if (!Array.isArray(prices)) throw new Error("the prices are entries");
    expect(columns.open).toEqual({ runs: [1000, 4, 4000, 1] });
    expect(columns.filled).toEqual({ runs: [2000, 1, 0, 4] });
    const restored = Engine.restore(JSON.parse(JSON.stringify(snapshot)));
    expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(snapshot));
    restored.checkInvariants();
    // A column one entry short (as entries or as runs), an index naming no string, or markets that count other
    // orders than the columns hold, are refused rather than restored wrong.
    expect(() => Engine.restore({ ...snapshot, orders: { ...columns, price: prices.slice(1) } })).toThrow(
      "snapshot order column price does not hold 5 entries",
    );
    expect(() => Engine.restore({ ...snapshot, orders: { ...columns, status: { runs: [6, 4] } } })).toThrow(
      "snapshot order column status does not hold 5 entries",
    );
    expect(() => Engine.restore({ ...snapshot, orders: { ...columns, status: { runs: [6, 0, 6, 5] } } })).toThrow(
      "snapshot order column status does not hold 5 entries",
    );
    expect(() =>
      Engine.restore({ ...snapshot, orders: { ...columns, side: { runs: [columns.strings.length, 5] } } }),
    ).toThrow(`snapshot order column names string ${columns.strings.length}, which does not exist`);
    const recounted = snapshot.markets.map((m, i) => (i === 0 ? { ...m, askOrders: 2 } : m));
    expect(() => Engine.restore({ ...snapshot, markets: recounted })).toThrow(
      "snapshot markets count 4 live orders, its columns hold 5",
    );
    // An order on the book of another side, or named twice, is refused too.
    const swapped = snapshot.markets.map((m, i) => (i === 1 ? { ...m, bidOrders: 0, askOrders: 2 } : m));
    expect(() => Engine.restore({ ...snapshot, markets: swapped })).toThrow("snapshot puts order c1 on the wrong book");
    const twice = { ...columns, id: ["s1", "s2", "s3", "c1", "s1"] };
    expect(() => Engine.restore({ ...snapshot, orders: twice })).toThrow(
      "snapshot order columns name an order more than once",
    );
  });

  it("stores done orders by column (version 6): id stems and numbers, strings once, runs; reads version 5's objects", () => {
    const h = build();
    h.do({ type: "order.cancel", orderId: "s2" });
    h.order("x-007", "buy", 9_000, 1000, { account: "B3" });
    h.do({ type: "order.cancel", orderId: "x-007" });
    const snapshot = h.engine.snapshot();
    expect(snapshot.version).toBe(6);
    // Every id's stem first ("x-007" keeps its digits: a leading zero no number gives back), then each row's strings.
    expect(snapshot.done).toEqual({
      strings: ["b", "s", "x-007", "LPG", "filled", "", "cancelled"],
      id: { stem: [0, 1, 2], number: [1, 2, null] },
      instrument: { runs: [3, 3] },
      status: [4, 6, 6],
      open: { runs: [0, 3] },
      filled: [2000, 0, 0],
      content: { runs: [5, 3] },
    });
    const v5 = asVersion5(snapshot);
    expect(v5.done.map((order) => order.id)).toEqual(["b1", "s2", "x-007"]);
    const fromV5 = Engine.restore(JSON.parse(JSON.stringify(v5)));
    const fromV6 = Engine.restore(JSON.parse(JSON.stringify(snapshot)));
    for (const restored of [fromV5, fromV6]) {
      expect(restored.stateHash()).toBe(h.engine.stateHash());
      restored.checkInvariants();
      expect(restored.order("x-007")).toEqual(h.engine.order("x-007"));
    }
    const again = (id: string): Command => ({
      type: "order.new",
      instrument: "LPG",
      orderId: id,
      account: "B1",
      side: "buy",
      orderType: "limit",
      price: 10_100,
      quantity: 1000,
    });
    const next: Command[] = [
      again("b1"),
      again("x-007"),
      again("b2"),
      { type: "phase.set", instrument: "CALL", phase: "uncross" },
    ];
    for (const [i, command] of next.entries()) {
      const seq = h.engine.lastSeq + 1;
      const timeMs = T0 + 120_000 + i;
      const events = h.engine.apply({ seq, timeMs, command });
      if (i < 2) expect(events.at(-1)).toMatchObject({ type: "rejected", code: "ORDER_ID_DUPLICATE" });
      for (const restored of [fromV5, fromV6]) expect(restored.apply({ seq, timeMs, command })).toEqual(events);
    }
    expect(fromV5.stateHash()).toBe(h.engine.stateHash());
    expect(fromV6.stateHash()).toBe(h.engine.stateHash());
    // What the restore checks: a column one entry short, a string that does not exist, a status no done order has.
    const done = snapshot.done;
    expect(() => Engine.restore({ ...snapshot, done: { ...done, filled: [2000, 0] } })).toThrow(
      "snapshot done order column filled does not hold 3 entries",
    );
    expect(() => Engine.restore({ ...snapshot, done: { ...done, content: { runs: [7, 3] } } })).toThrow(
      "snapshot done order column names string 7, which does not exist",
    );
    expect(() => Engine.restore({ ...snapshot, done: { ...done, status: [4, 6, 3] } })).toThrow(
      "snapshot done order column status holds LPG, which is no done order's status",
    );
  });

  it("reads a version 4 snapshot (orders sorted by id, named by id in the markets): the same state and future", () => {
    const h = build();
    const v4 = asVersion4(h.engine.snapshot());
    expect(v4.orders.id).toEqual(["c1", "c2", "s1", "s2", "s3"]);
    expect(v4.markets.map((m) => [m.bids, m.asks])).toEqual([
      [[], ["s1", "s2", "s3"]],
      [["c1"], ["c2"]],
    ]);
    const restored = Engine.restore(JSON.parse(JSON.stringify(v4)));
    expect(restored.stateHash()).toBe(h.engine.stateHash());
    restored.checkInvariants();
    const command: Command = { type: "phase.set", instrument: "CALL", phase: "uncross" };
    const seq = h.engine.lastSeq + 1;
    const timeMs = T0 + 120_000;
    expect(restored.apply({ seq, timeMs, command })).toEqual(h.engine.apply({ seq, timeMs, command }));
    expect(restored.stateHash()).toBe(h.engine.stateHash());
    // Its checks still hold: a column one entry short, an id the orders do not hold.
    const c = v4.orders;
    expect(() => Engine.restore({ ...v4, orders: { ...c, open: c.open.slice(1) } })).toThrow(
      "snapshot order column open does not hold 5 entries",
    );
    const unknown = v4.markets.map((m, i) => (i === 1 ? { ...m, bids: ["zz"] } : m));
    expect(() => Engine.restore({ ...v4, markets: unknown })).toThrow("snapshot names unknown order zz");
  });

  it("reads a version 3 snapshot (one object per live order): the same state and the same future", () => {
    const h = build();
    const v3 = asVersion3(h.engine.snapshot());
    expect(v3.orders.map((order) => order.id)).toEqual(["c1", "c2", "s1", "s2", "s3"]);
    const restored = Engine.restore(JSON.parse(JSON.stringify(v3)));
    expect(restored.stateHash()).toBe(h.engine.stateHash());
    restored.checkInvariants();
    const command: Command = { type: "phase.set", instrument: "CALL", phase: "uncross" };
    const seq = h.engine.lastSeq + 1;
    const timeMs = T0 + 120_000;
    expect(restored.apply({ seq, timeMs, command })).toEqual(h.engine.apply({ seq, timeMs, command }));
    expect(restored.stateHash()).toBe(h.engine.stateHash());
    expect(() => Engine.restore({ ...v3, version: 2 } as unknown as EngineSnapshotV3)).toThrow(
      "snapshot version 2 is not supported",
    );
  });

  it("keeps only the id, status and quantities of a done order, and still refuses its id, before and after a restore", () => {
    const h = build();
    // b1 (2,000 kg) filled against s1; s2 is cancelled by its owner.
    h.do({ type: "order.cancel", orderId: "s2" });
    const snapshot = h.engine.snapshot();
    // Live orders keep their full records; done ones only what the rules need.
    expect(snapshot.orders.id).toEqual(["s1", "s3", "c1", "c2"]);
    const done = asVersion5(snapshot).done;
    expect(done).toEqual([
      { id: "b1", instrument: "LPG", status: "filled", open: 0, filled: 2000, content: "" },
      { id: "s2", instrument: "LPG", status: "cancelled", open: 0, filled: 0, content: "" },
    ]);
    expect(h.engine.order("b1")).toEqual(done[0]);
    const restored = Engine.restore(structuredClone(snapshot));
    for (const engine of [h.engine, restored]) {
      const again = engine.apply({
        seq: engine.lastSeq + 1,
        timeMs: T0 + 1000,
        command: {
          type: "order.new",
          instrument: "LPG",
          orderId: "b1",
          account: "B1",
          side: "buy",
          orderType: "limit",
          price: 10_100,
          quantity: 2000,
        },
      });
      expect(again).toMatchObject([{ type: "rejected", code: "ORDER_ID_DUPLICATE" }]);
      const cancel = engine.apply({
        seq: engine.lastSeq + 1,
        timeMs: T0 + 1000,
        command: { type: "order.cancel", orderId: "s2" },
      });
      expect(cancel).toMatchObject([{ type: "rejected", code: "ORDER_NOT_RESTING" }]);
    }
    expect(restored.stateHash()).toBe(h.engine.stateHash());
  });

  it("different states give different hashes", () => {
    const a = build();
    const b = build();
    expect(a.engine.stateHash()).toBe(b.engine.stateHash());
    b.do({ type: "order.amend", orderId: "s2", quantity: 1000 }); // no change in content: same state except seq
    const c = build();
    c.do({ type: "order.amend", orderId: "s1", quantity: 2000 });
    expect(c.engine.stateHash()).not.toBe(b.engine.stateHash());
  });
});

describe("engine limits", () => {
  it("lists up to INSTRUMENTS_MAX instruments and refuses one more", () => {
    const engine = new Engine();
    let seq = 0;
    const list = (i: number) =>
      engine.apply({
        seq: ++seq,
        timeMs: T0,
        command: { type: "instrument.list", instrument: `I${i}`, mode: "continuous", tickSize: 1, lotSize: 1 },
      });
    for (let i = 0; i < INSTRUMENTS_MAX; i++) list(i);
    expect(engine.instruments()).toHaveLength(INSTRUMENTS_MAX);
    const refused = list(INSTRUMENTS_MAX);
    expect(refused[0]).toMatchObject({ type: "rejected", code: "INSTRUMENT_INVALID" });
    expect(engine.instruments()).toHaveLength(INSTRUMENTS_MAX);
  });
});
