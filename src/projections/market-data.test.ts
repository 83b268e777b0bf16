import { describe, expect, it } from "vitest";
import { acceptedEvent, EngineRun, outcomeOf, T0, tradeEvent } from "../../test/support/engine-run.ts";
import type { Side } from "../domain/order.ts";
import type { EngineEvent } from "../engine/events.ts";
import {
  CANDLES_MAX,
  type CandleInterval,
  DEPTH_LEVELS_MAX,
  MarketData,
  type PriceLevel,
  TRADE_TAPE_MAX,
} from "./market-data.ts";

const level = (priceTiynPerTonne: number, quantityKg: number, orders: number): PriceLevel => ({
  priceTiynPerTonne,
  quantityKg,
  orders,
});

const rested = (instrument: string, orderId: string, price: number, open: number): EngineEvent => ({
  type: "order.rested",
  instrument,
  orderId,
  price,
  open,
});

/** A resting sell and an incoming buy that takes all of it: four events, one trade. */
function cross(instrument: string, n: number, price: number, quantityKg: number): EngineEvent[] {
  const sell = `s${n}`;
  const buy = `b${n}`;
  return [
    acceptedEvent(instrument, sell, "sell", price, quantityKg),
    rested(instrument, sell, price, quantityKg),
    acceptedEvent(instrument, buy, "buy", price, quantityKg),
    tradeEvent(instrument, n, price, quantityKg, { buy, sell }),
  ];
}

function engineDepth(run: EngineRun, instrument: string, side: Side): PriceLevel[] {
  return run.engine
    .market(instrument)!
    .depth(side)
    .map((l) => level(l.price, l.quantity, l.orders));
}

describe("market data from hand-built events", () => {
  it("keeps aggregated depth through rests, fills, amends and cancels", () => {
    const md = new MarketData();
    let seq = 0;
    const at = (events: EngineEvent[], timeMs = T0) => md.apply(outcomeOf(++seq, timeMs, events));
    at([
      {
        type: "instrument.listed",
        instrument: "X",
        mode: "continuous",
        tickSize: 1,
        lotSize: 1,
        referencePrice: 100_000,
        clearing: null,
        description: null,
      },
      { type: "phase.changed", instrument: "X", from: "closed", to: "continuous" },
    ]);
    for (const [id, side, price, quantity] of [
      ["b1", "buy", 100_000, 5000],
      ["b2", "buy", 100_000, 3000],
      ["b3", "buy", 99_000, 2000],
      ["s1", "sell", 101_000, 4000],
      ["s2", "sell", 102_000, 1000],
    ] as const) {
      at([acceptedEvent("X", id, side, price, quantity), rested("X", id, price, quantity)]);
    }
    expect(md.depth("X", "buy")).toEqual([level(100_000, 8000, 2), level(99_000, 2000, 1)]);
    expect(md.depth("X", "sell")).toEqual([level(101_000, 4000, 1), level(102_000, 1000, 1)]);

    // An incoming sell of 6 t at 100,000 takes b1 in full and 1 t of b2.
    at(
      [
        acceptedEvent("X", "s3", "sell", 100_000, 6000),
        tradeEvent("X", 1, 100_000, 5000, { buy: "b1", sell: "s3", buyOpen: 0, sellOpen: 1000, aggressor: "sell" }),
        tradeEvent("X", 2, 100_000, 1000, { buy: "b2", sell: "s3", buyOpen: 2000, sellOpen: 0, aggressor: "sell" }),
      ],
      T0 + 30_000,
    );
    expect(md.depth("X", "buy")).toEqual([level(100_000, 2000, 1), level(99_000, 2000, 1)]);

    // b3 reduced in place; s2 repriced to 101,000 (out of the book and back in).
    at([{ type: "order.amended", instrument: "X", orderId: "b3", price: 99_000, open: 1000, priorityKept: true }]);
    at([
      { type: "order.amended", instrument: "X", orderId: "s2", price: 101_000, open: 1000, priorityKept: false },
      rested("X", "s2", 101_000, 1000),
    ]);
    expect(md.depth("X", "buy")).toEqual([level(100_000, 2000, 1), level(99_000, 1000, 1)]);
    expect(md.depth("X", "sell")).toEqual([level(101_000, 5000, 2)]);

    at([
      { type: "order.cancelled", instrument: "X", orderId: "s1", account: "a", quantity: 4000, reason: "requested" },
    ]);
    expect(md.depth("X", "sell")).toEqual([level(101_000, 1000, 1)]);
    expect(md.levelCount("X", "buy")).toBe(2);
    expect(md.depth("X", "buy", 1)).toEqual([level(100_000, 2000, 1)]);

    const quote = md.quote("X")!;
    expect(quote).toMatchObject({
      phase: "continuous",
      mode: "continuous",
      lastPriceTiynPerTonne: 100_000,
      lastQuantityKg: 1000,
      lastTradeTimeMs: T0 + 30_000,
      referencePriceTiynPerTonne: 100_000,
      changeTiynPerTonne: 0,
      changeBps: 0,
      bestBid: level(100_000, 2000, 1),
      bestAsk: level(101_000, 1000, 1),
      spreadTiynPerTonne: 1000,
      indicative: null,
    });
    expect(md.trades("X").map((t) => [t.tradeId, t.quantityKg, t.aggressor])).toEqual([
      ["X-2", 1000, "sell"],
      ["X-1", 5000, "sell"],
    ]);
  });

  it("builds UTC-aligned OHLC candles with volume and exact value", () => {
    const md = new MarketData();
    const trades: [number, number, number][] = [
      [T0, 100, 1000], // 06:00:00
      [T0 + 59_999, 105, 2000], // 06:00:59.999
      [T0 + 60_000, 95, 1000], // 06:01
      [T0 + 299_999, 110, 1000], // 06:04:59.999, still in the first 5m bucket
      [T0 + 3_600_000, 90, 500], // 07:00
    ];
    trades.forEach(([timeMs, price, quantity], i) => {
      md.apply(outcomeOf(i + 1, timeMs, cross("X", i + 1, price, quantity)));
    });
    const ohlc = (c: { openTiynPerTonne: number; highTiynPerTonne: number; lowTiynPerTonne: number }) => c;
    const oneMinute = md.candles("X", "1m");
    expect(oneMinute.map((c) => [c.startMs - T0, c.volumeKg, c.valueTiyn, c.vwapTiynPerTonne, c.trades])).toEqual([
      [3_600_000, 500n, 45n, 90, 1],
      [240_000, 1000n, 110n, 110, 1],
      [60_000, 1000n, 95n, 95, 1],
      [0, 3000n, 310n, 103, 2],
    ]);
    expect(oneMinute[3]).toMatchObject({
      interval: "1m",
      endMs: T0 + 60_000,
      openTiynPerTonne: 100,
      highTiynPerTonne: 105,
      lowTiynPerTonne: 100,
      closeTiynPerTonne: 105,
      valueMilliTiyn: 310_000n,
    });
    const fiveMinutes = md.candles("X", "5m");
    expect(fiveMinutes).toHaveLength(2);
    expect(ohlc(fiveMinutes[1]!)).toMatchObject({
      startMs: T0,
      openTiynPerTonne: 100,
      highTiynPerTonne: 110,
      lowTiynPerTonne: 95,
      closeTiynPerTonne: 110,
      volumeKg: 5000n,
      valueTiyn: 515n,
      vwapTiynPerTonne: 103,
      trades: 4,
    });
    expect(md.candles("X", "15m").map((c) => c.startMs - T0)).toEqual([3_600_000, 0]);
    expect(md.candles("X", "1h").map((c) => [c.startMs - T0, c.volumeKg])).toEqual([
      [3_600_000, 500n],
      [0, 5000n],
    ]);
    expect(md.candles("X", "1d")).toEqual([
      {
        instrument: "X",
        interval: "1d",
        startMs: Date.UTC(2026, 0, 5),
        endMs: Date.UTC(2026, 0, 6),
        openTiynPerTonne: 100,
        highTiynPerTonne: 110,
        lowTiynPerTonne: 90,
        closeTiynPerTonne: 90,
        volumeKg: 5500n,
        valueMilliTiyn: 560_000n,
        valueTiyn: 560n,
        vwapTiynPerTonne: 102, // 560,000 / 5,500 = 101.8
        trades: 5,
      },
    ]);
    expect(md.candles("X", "1m", 2).map((c) => c.startMs - T0)).toEqual([3_600_000, 240_000]);
    expect(md.candles("X", "1m", 10, T0 + 60_000).map((c) => c.startMs - T0)).toEqual([3_600_000, 240_000, 60_000]);
  });

  it("keeps at most TRADE_TAPE_MAX trades on the tape, newest first", () => {
    const md = new MarketData();
    const n = TRADE_TAPE_MAX + 5;
    for (let i = 1; i <= n; i++) md.apply(outcomeOf(i, T0 + i, cross("X", i, 100, 1000)));
    const tape = md.trades("X");
    expect(tape).toHaveLength(TRADE_TAPE_MAX);
    expect(tape[0]!.tradeId).toBe(`X-${n}`);
    expect(tape[TRADE_TAPE_MAX - 1]!.tradeId).toBe("X-6");
    expect(md.trades("X", 3).map((t) => t.tradeId)).toEqual([`X-${n}`, `X-${n - 1}`, `X-${n - 2}`]);
  });

  it("keeps at most CANDLES_MAX candles per interval", () => {
    const md = new MarketData();
    const n = CANDLES_MAX["1m"] + 1;
    for (let i = 0; i < n; i++) md.apply(outcomeOf(i + 1, T0 + i * 60_000, cross("X", i + 1, 100, 1000)));
    const candles = md.candles("X", "1m");
    expect(candles).toHaveLength(CANDLES_MAX["1m"]);
    expect(candles[0]!.startMs).toBe(T0 + (n - 1) * 60_000);
    expect(candles[candles.length - 1]!.startMs).toBe(T0 + 60_000);
    // 1,441 minutes from 06:00 UTC: 1,080 before midnight UTC, 361 after.
    expect(md.candles("X", "1d").map((c) => c.trades)).toEqual([361, 1080]);
  });

  it("returns at most DEPTH_LEVELS_MAX levels per read and refuses an unknown candle interval", () => {
    const md = new MarketData();
    const events: EngineEvent[] = [];
    for (let i = 0; i <= DEPTH_LEVELS_MAX; i++) {
      events.push(acceptedEvent("X", `b${i}`, "buy", 1000 + i, 1), rested("X", `b${i}`, 1000 + i, 1));
    }
    md.apply(outcomeOf(1, T0, events));
    expect(md.levelCount("X", "buy")).toBe(DEPTH_LEVELS_MAX + 1);
    const depth = md.depth("X", "buy", DEPTH_LEVELS_MAX + 50);
    expect(depth).toHaveLength(DEPTH_LEVELS_MAX);
    expect(depth[0]).toEqual(level(1000 + DEPTH_LEVELS_MAX, 1, 1));
    expect(depth.at(-1)).toEqual(level(1001, 1, 1));
    expect(md.book("X", 2).bids).toEqual([level(1000 + DEPTH_LEVELS_MAX, 1, 1), level(999 + DEPTH_LEVELS_MAX, 1, 1)]);
    expect(() => md.candles("X", "2m" as CandleInterval)).toThrow(
      `Field 'interval' has value "2m"; expected one of 1m, 5m, 15m, 1h, 1d.`,
    );
  });
});

describe("market data from a real engine run", () => {
  it("follows an opening auction with market orders, the indicative price, and continuous trading", () => {
    const md = new MarketData();
    const run = new EngineRun((outcome) => md.apply(outcome));
    run.list("PB", "continuous", { referencePrice: 100_000 });
    run.phase("PB", "collection");
    run.order("PB", "b1", "B1", "buy", 101_000, 5000);
    run.order("PB", "b2", "B2", "buy", 100_000, 3000);
    run.order("PB", "bm", "B3", "buy", null, 2000, { tif: "DAY" });
    run.order("PB", "s1", "S1", "sell", 99_000, 4000);
    run.order("PB", "s2", "S2", "sell", 100_000, 4000);
    run.order("PB", "sm", "S3", "sell", null, 1000, { tif: "DAY" });

    expect(md.depth("PB", "buy")).toEqual([level(101_000, 5000, 1), level(100_000, 3000, 1)]);
    expect(md.depth("PB", "sell")).toEqual([level(99_000, 4000, 1), level(100_000, 4000, 1)]);
    for (const side of ["buy", "sell"] as const) expect(md.depth("PB", side)).toEqual(engineDepth(run, "PB", side));
    const quote = md.quote("PB")!;
    expect(quote.marketBuyQueuedKg).toBe(2000);
    expect(quote.marketSellQueuedKg).toBe(1000);
    // Demand at 99k/100k/101k: 10/10/7 t; supply 5/9/9 t: most volume (9 t) at 100,000 with 1 t more bid.
    expect(quote.indicative).toEqual({
      priceTiynPerTonne: 100_000,
      volumeKg: 9000,
      surplusKg: 1000,
      surplusSide: "buy",
      needsReference: null,
    });
    const engineIndicative = run.engine.indicative("PB")!;
    expect(engineIndicative).toMatchObject({ kind: "price", price: 100_000, volume: 9000, surplus: 1000 });

    run.phase("PB", "uncross");
    expect(md.quote("PB")).toMatchObject({
      phase: "continuous",
      lastPriceTiynPerTonne: 100_000,
      changeTiynPerTonne: 0,
      marketBuyQueuedKg: 0,
      marketSellQueuedKg: 0,
      indicative: null,
      lastAuction: { priceTiynPerTonne: 100_000, volumeKg: 9000, surplusKg: 1000, surplusSide: "buy" },
      bestBid: level(100_000, 1000, 1),
      bestAsk: null,
    });
    expect(md.trades("PB").map((t) => [t.quantityKg, t.aggressor])).toEqual([
      [2000, null],
      [2000, null],
      [3000, null],
      [1000, null],
      [1000, null],
    ]);

    run.order("PB", "s3", "S1", "sell", 99_500, 2000); // takes b2's last tonne at 100,000, rests 1 t
    run.order("PB", "b4", "B1", "buy", 102_000, 1000); // takes s3 at 99,500
    expect(md.quote("PB")).toMatchObject({
      lastPriceTiynPerTonne: 99_500,
      referencePriceTiynPerTonne: 100_000,
      changeTiynPerTonne: -500,
      changeBps: -50,
      bestBid: null,
      bestAsk: null,
      spreadTiynPerTonne: null,
    });
    for (const side of ["buy", "sell"] as const) expect(md.depth("PB", side)).toEqual(engineDepth(run, "PB", side));
    expect(md.trades("PB", 2).map((t) => [t.priceTiynPerTonne, t.aggressor])).toEqual([
      [99_500, "buy"],
      [100_000, "sell"],
    ]);
  });

  it("reports when the indicative price needs a reference price, as the engine does", () => {
    const md = new MarketData();
    const run = new EngineRun((outcome) => md.apply(outcome));
    run.list("C", "call");
    run.phase("C", "collection");
    run.order("C", "b", "B", "buy", null, 1000);
    run.order("C", "s", "S", "sell", null, 1000);
    expect(md.indicative("C")).toEqual({
      priceTiynPerTonne: null,
      volumeKg: 1000,
      surplusKg: 0,
      surplusSide: null,
      needsReference: "only market orders are executable",
    });
    expect(run.engine.indicative("C")).toEqual({
      kind: "needs-reference",
      reason: "only market orders are executable",
      volume: 1000,
    });
    expect(md.quote("C")!.indicative).toEqual(md.indicative("C"));
  });
});
