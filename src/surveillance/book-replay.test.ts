/**
 * The book an alert's evidence shows, rebuilt from the real engine's events: levels best first with the alert's
 * share, the auction's demand and supply curves while orders are collected, amends, fills and cancels, an order from
 * before the records read marking the book incomplete, and the evidence pack's limit on book moments.
 */

import { describe, expect, it } from "vitest";
import type { Command } from "../engine/commands.ts";
import { Engine } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import { BookReplay } from "./book-replay.ts";
import { BOOK_MOMENTS_MAX, EvidenceCollector } from "./evidence.ts";

const T0 = Date.UTC(2026, 0, 5, 5);

class Market {
  readonly engine = new Engine();
  readonly log: { seq: number; timeMs: number; events: readonly EngineEvent[] }[] = [];
  private seq = 0;

  constructor(mode: "continuous" | "call") {
    this.run({
      type: "instrument.list",
      instrument: "I",
      mode,
      tickSize: 100,
      lotSize: 1000,
      referencePrice: 12_000_000,
      description: { product: "PB", basis: "KAZGPZ", region: "MNG", deliveryPeriod: "2026-02" },
    });
    this.run({
      type: "member.add",
      member: "M1",
      name: "One",
      roles: ["producer", "buyer"],
      buyerCategory: "wholesaler",
    });
    this.run({
      type: "member.add",
      member: "M2",
      name: "Two",
      roles: ["producer", "buyer"],
      buyerCategory: "wholesaler",
    });
    this.run({ type: "account.open", account: "A1", member: "M1" });
    this.run({ type: "account.open", account: "A2", member: "M1" });
    this.run({ type: "account.open", account: "B1", member: "M2" });
  }

  run(command: Command): readonly EngineEvent[] {
    this.seq++;
    const timeMs = T0 + this.seq * 1000;
    const events = this.engine.apply({ seq: this.seq, timeMs, command });
    expect(events.filter((e) => e.type === "rejected")).toEqual([]);
    this.log.push({ seq: this.seq, timeMs, events });
    return events;
  }

  order(orderId: string, account: string, side: "buy" | "sell", price: number | null, tonnes: number): void {
    this.run({
      type: "order.new",
      instrument: "I",
      orderId,
      account,
      side,
      orderType: price === null ? "market" : "limit",
      ...(price === null ? {} : { price }),
      quantity: tonnes * 1000,
    });
  }

  replay(alertOrders: readonly string[], fromSeq = 1): BookReplay {
    const replay = new BookReplay(new Set(alertOrders));
    for (const r of this.log) if (r.seq >= fromSeq) replay.apply(r.events);
    return replay;
  }
}

describe("the book rebuilt from the journal's events", () => {
  it("shows an auction's collected orders as levels and as demand and supply curves", () => {
    const m = new Market("call");
    m.run({ type: "phase.set", instrument: "I", phase: "collection" });
    m.order("b1", "A1", "buy", 12_000_000, 10);
    m.order("b2", "B1", "buy", 12_100_000, 5);
    m.order("b3", "A2", "buy", 12_000_000, 3);
    m.order("s1", "B1", "sell", 11_900_000, 8);
    m.order("b4", "B1", "buy", null, 2);
    const view = m.replay(["b1"]).view("I");
    expect(view.phase).toBe("collection");
    expect(view.complete).toBe(true);
    expect(view.bids).toEqual([
      { priceTiynPerTonne: 12_100_000, quantityKg: 5000, orders: 1, alertKg: 0 },
      { priceTiynPerTonne: 12_000_000, quantityKg: 13_000, orders: 2, alertKg: 10_000 },
    ]);
    expect(view.asks).toEqual([{ priceTiynPerTonne: 11_900_000, quantityKg: 8000, orders: 1, alertKg: 0 }]);
    // Demand at a price: buys at it or higher plus the market buy (2 t); supply: sells at it or lower.
    expect(view.curve).toEqual([
      { priceTiynPerTonne: 11_900_000, demandKg: 20_000, supplyKg: 8000 },
      { priceTiynPerTonne: 12_000_000, demandKg: 20_000, supplyKg: 8000 },
      { priceTiynPerTonne: 12_100_000, demandKg: 7000, supplyKg: 8000 },
    ]);
  });

  it("follows fills, a kept-priority reduction, a price amend and a cancel in continuous trading", () => {
    const m = new Market("continuous");
    m.run({ type: "phase.set", instrument: "I", phase: "continuous" });
    m.order("s1", "A1", "sell", 12_100_000, 10);
    m.order("s2", "A2", "sell", 12_200_000, 6);
    m.order("b1", "B1", "buy", 12_000_000, 4);
    expect(m.replay(["s1"]).view("I")).toMatchObject({
      phase: "continuous",
      curve: null,
      bids: [{ priceTiynPerTonne: 12_000_000, quantityKg: 4000, orders: 1, alertKg: 0 }],
      asks: [
        { priceTiynPerTonne: 12_100_000, quantityKg: 10_000, orders: 1, alertKg: 10_000 },
        { priceTiynPerTonne: 12_200_000, quantityKg: 6000, orders: 1, alertKg: 0 },
      ],
    });
    m.order("b2", "B1", "buy", 12_100_000, 3); // takes 3 t of s1
    m.run({ type: "order.amend", orderId: "s2", quantity: 5000 }); // same price, less: keeps its place
    m.run({ type: "order.amend", orderId: "b1", price: 11_900_000 }); // a new price: out and in again
    let view = m.replay(["s1"]).view("I");
    expect(view.bids).toEqual([{ priceTiynPerTonne: 11_900_000, quantityKg: 4000, orders: 1, alertKg: 0 }]);
    expect(view.asks).toEqual([
      { priceTiynPerTonne: 12_100_000, quantityKg: 7000, orders: 1, alertKg: 7000 },
      { priceTiynPerTonne: 12_200_000, quantityKg: 5000, orders: 1, alertKg: 0 },
    ]);
    m.run({ type: "order.cancel", orderId: "s1" });
    m.order("b3", "B1", "buy", 12_200_000, 5); // fills s2 entirely
    view = m.replay(["s1"]).view("I");
    expect(view.asks).toEqual([]);
    expect(view.bids).toEqual([{ priceTiynPerTonne: 11_900_000, quantityKg: 4000, orders: 1, alertKg: 0 }]);
    expect(view.complete).toBe(true);
  });

  it("marks the book incomplete when an order entered before the records read shows up", () => {
    const m = new Market("continuous");
    m.run({ type: "phase.set", instrument: "I", phase: "continuous" });
    m.order("s1", "A1", "sell", 12_100_000, 10);
    const from = m.log.length + 1;
    m.order("b1", "B1", "buy", 12_100_000, 2); // trades with s1, whose entry is not read
    const view = m.replay([], from).view("I");
    expect(view.complete).toBe(false);
    expect(view.phase).toBeNull();
    expect(view.asks).toEqual([]);
  });
});

describe("the evidence pack's books", () => {
  function amendedTimes(amends: number) {
    const m = new Market("continuous");
    m.run({ type: "phase.set", instrument: "I", phase: "continuous" });
    m.order("x", "A1", "buy", 11_000_000, 10);
    m.order("other", "B1", "buy", 10_000_000, 1); // not the alert's: no book moment
    for (let i = 0; i < amends; i++) {
      m.run({ type: "order.amend", orderId: "x", price: i % 2 === 0 ? 11_100_000 : 11_000_000 });
    }
    const collector = new EvidenceCollector({ orders: ["x"], trades: [] }, "I");
    for (const r of m.log) collector.record(r.seq, r.timeMs, r.events);
    return collector.pack();
  }

  it("gives the book after each record about the alert's orders, up to the limit", () => {
    const pack = amendedTimes(BOOK_MOMENTS_MAX - 1);
    expect(pack.books).toHaveLength(BOOK_MOMENTS_MAX);
    expect(pack.booksComplete).toBe(true);
    expect(pack.books[0]!.about).toEqual(["x"]);
    expect(pack.books[0]!.book.bids).toEqual([
      { priceTiynPerTonne: 11_000_000, quantityKg: 10_000, orders: 1, alertKg: 10_000 },
    ]);
    expect(pack.books[1]!.book.bids[0]).toEqual({
      priceTiynPerTonne: 11_100_000,
      quantityKg: 10_000,
      orders: 1,
      alertKg: 10_000,
    });
    expect(pack.books[1]!.book.bids[1]).toEqual({
      priceTiynPerTonne: 10_000_000,
      quantityKg: 1000,
      orders: 1,
      alertKg: 0,
    });
  });

  it("stops at the limit and says so", () => {
    const pack = amendedTimes(BOOK_MOMENTS_MAX);
    expect(pack.books).toHaveLength(BOOK_MOMENTS_MAX);
    expect(pack.booksComplete).toBe(false);
  });
});
