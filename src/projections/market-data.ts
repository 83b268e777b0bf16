/**
 * Public market data per instrument, built only from engine events: the aggregated order book (depth by price per
 * side), best bid and ask, the last price and its change against the reference price, the trade tape, OHLC candles,
 * the trading phase, the last auction and the indicative auction price during order collection.
 *
 * How the book is followed. The view keeps every live order it has seen (instrument, side, limit or market, price,
 * open quantity, whether it is in the book) and applies each event's effect:
 * - `order.accepted` registers an order that is not yet in the book;
 * - `order.rested` puts it in the book at its price (a market order waiting in an auction's order collection joins
 *   that side's market queue, which the engine's depth leaves out, and so does this view's);
 * - a `trade` takes its quantity from each side's order that is in the book (the maker in continuous trading, both
 *   in an auction), using the open quantity the event reports; an incoming order is not in the book yet;
 * - `order.amended` changes the quantity in place when priority was kept, else takes the order out; what happens
 *   next (trades, rested, cancelled) follows as events;
 * - `order.cancelled` takes it out of the book if it was there.
 * An order that is filled or cancelled is forgotten. Levels are keyed by price; each side keeps its prices sorted
 * with the best last, as the engine's book does, so the aggregated depth equals `engine.market(id).depth(side)` after
 * every outcome (a property test checks it on random streams).
 *
 * Reference price and change. The change is the last price less the reference price: by default the instrument's
 * listed or operator-set reference; composed in `Projections`, the previous session's weighted average (sessions.ts).
 * The indicative auction price is recomputed on request from this view's book with the engine's own auction rule
 * (a pure function) and the reference the engine would use (the latest of the listed or operator-set reference and
 * the last trade price): durable state only, never the engine's, which may be ahead of the journal.
 *
 * Voided trades. When the operator voids a trade (`obligation.voided`, docs/documents.md §5), the trade stays on the
 * tape marked `voided` (seq, time, reason, rule) and leaves the public figures: each candle keeps the book trades of
 * its bucket and is recomputed from those that stand (open, high, low, close, volume, value, count; a bucket left
 * with none is no longer listed), and the last price falls back to the newest standing book trade on the tape.
 *
 * Complexity. Per event O(1) map work, except a price level appearing or emptying: a binary search plus an array
 * shift over the levels between it and the best (the engine's book pays the same). Per trade also O(intervals) = 5
 * candle updates and one tape push. No work proportional to the book per trade. Reads: depth O(levels asked),
 * indicative O(levels), tape and candles O(items asked).
 *
 * A void costs O(tape + candles kept + trades in its buckets). Memory: each candle holds its trades (one shared
 * record per trade for the five intervals, as long as its daily candle is kept).
 *
 * Limits. Tape `TRADE_TAPE_MAX` trades per instrument, candles `CANDLES_MAX[interval]` per instrument and interval
 * (older ones remain derivable from the journal); candles exist only for buckets with trades (no empty candles).
 */

import { invariant, SaudaError } from "../domain/errors.ts";
import type { Side } from "../domain/order.ts";
import { findAuctionPrice } from "../engine/auction.ts";
import type { AuctionCurve } from "../engine/book.ts";
import type { EngineEvent, TradeEvent } from "../engine/events.ts";
import type { Phase, TradingMode } from "../engine/phases.ts";
import { averagePriceTiynPerTonne, tiynOfMilliTiyn, tradeValueMilliTiyn } from "./numbers.ts";
import type { ProjectionOutcome } from "./outcome.ts";
import { Ring } from "./ring.ts";

/** Trades kept on the tape per instrument. */
export const TRADE_TAPE_MAX = 1000;

export const CANDLE_INTERVALS = ["1m", "5m", "15m", "1h", "1d"] as const;
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];

export const CANDLE_INTERVAL_MS: Readonly<Record<CandleInterval, number>> = {
  "1m": 60_000,
  "5m": 300_000,
  "15m": 900_000,
  "1h": 3_600_000,
  "1d": 86_400_000,
};

/** Candles kept per instrument and interval: one day of 1m, a week of 5m, 30 days of 15m, 90 days of 1h, 5 years of 1d. */
export const CANDLES_MAX: Readonly<Record<CandleInterval, number>> = {
  "1m": 1440,
  "5m": 2016,
  "15m": 2880,
  "1h": 2160,
  "1d": 1830,
};

/** Most price levels per side one depth read returns. */
export const DEPTH_LEVELS_MAX = 1000;

export interface PriceLevel {
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly orders: number;
}

export interface TapeTrade {
  readonly seq: number;
  readonly timeMs: number;
  readonly tradeId: string;
  readonly instrument: string;
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  /** The side of the incoming order; null for an auction trade and a negotiated one. */
  readonly aggressor: Side | null;
  /** A negotiated (addressed) trade registered through the exchange: on the tape, not in the last price or candles. */
  readonly negotiated?: true;
  /**
   * Set when the operator voided the trade (`trade.void`): it stays on the tape, marked, and leaves the last price,
   * the candles, the session results and the indices. The one field of a tape entry that changes after it is made.
   */
  voided?: TradeVoidMark;
}

/** When and why a trade was voided (the `obligation.voided` event of the operator's `trade.void`). */
export interface TradeVoidMark {
  /** The void's seq and time (the journal's). */
  readonly seq: number;
  readonly timeMs: number;
  readonly reason: string;
  /** The rule of the rulebook the trade broke. */
  readonly rule: string;
}

/** A book trade as a candle keeps it, so a void can take it out and the candle be recomputed exactly. */
export interface CandleFill {
  readonly tradeId: string;
  readonly price: number;
  readonly quantity: number;
  voided: boolean;
}

export interface Candle {
  readonly instrument: string;
  readonly interval: CandleInterval;
  /** Bucket start, UTC-aligned: a multiple of the interval since the epoch. */
  readonly startMs: number;
  /** Bucket end (exclusive). */
  readonly endMs: number;
  readonly openTiynPerTonne: number;
  readonly highTiynPerTonne: number;
  readonly lowTiynPerTonne: number;
  readonly closeTiynPerTonne: number;
  readonly volumeKg: bigint;
  /** Σ price × quantity: exact value in thousandths of a tiyn. */
  readonly valueMilliTiyn: bigint;
  /** Value in tiyn, rounded half up (exact for whole tonnes). */
  readonly valueTiyn: bigint;
  readonly vwapTiynPerTonne: number;
  readonly trades: number;
}

export interface IndicativePrice {
  /** The price if the auction ran now; null when nothing would execute or a reference price is needed. */
  readonly priceTiynPerTonne: number | null;
  readonly volumeKg: number;
  readonly surplusKg: number;
  readonly surplusSide: Side | null;
  /** Why no price can be given without a reference price, or null. */
  readonly needsReference: string | null;
}

export interface AuctionResult {
  readonly seq: number;
  readonly timeMs: number;
  readonly priceTiynPerTonne: number | null;
  readonly volumeKg: number;
  readonly surplusKg: number;
  readonly surplusSide: Side | null;
}

export interface Quote {
  readonly instrument: string;
  readonly mode: TradingMode | null;
  readonly phase: Phase;
  readonly lastPriceTiynPerTonne: number | null;
  readonly lastQuantityKg: number | null;
  readonly lastTradeTimeMs: number | null;
  readonly referencePriceTiynPerTonne: number | null;
  /** Last price less the reference price; null without both. */
  readonly changeTiynPerTonne: number | null;
  /** The change in basis points of the reference price, rounded to the nearest, halves away from zero. */
  readonly changeBps: number | null;
  readonly bestBid: PriceLevel | null;
  readonly bestAsk: PriceLevel | null;
  /** Best ask less best bid; null unless both exist. Negative only while orders are collected for an auction. */
  readonly spreadTiynPerTonne: number | null;
  /** Market orders waiting in order collection (not part of the depth). */
  readonly marketBuyQueuedKg: number;
  readonly marketSellQueuedKg: number;
  /** During order collection only; null otherwise. */
  readonly indicative: IndicativePrice | null;
  readonly lastAuction: AuctionResult | null;
}

export interface Book {
  readonly instrument: string;
  readonly bids: PriceLevel[];
  readonly asks: PriceLevel[];
  readonly marketBuyQueuedKg: number;
  readonly marketSellQueuedKg: number;
}

/** Where the reference price for the change comes from (sessions.ts provides the previous session's average). */
export interface ReferenceSource {
  referencePrice(instrument: string): number | null;
}

export interface MarketDataOptions {
  readonly reference?: ReferenceSource;
}

interface LiveOrder {
  readonly instrument: string;
  readonly side: Side;
  readonly market: boolean;
  price: number;
  open: number;
  inBook: boolean;
}

interface Level {
  quantityKg: number;
  orders: number;
}

/**
 * One side of the aggregated book. Prices are kept as keys that ascend with quality (the price for bids, the negated
 * price for asks), so the best level is last and taking it away is a pop.
 */
export class BookSide {
  private readonly levels = new Map<number, Level>();
  private readonly keys: number[] = [];

  constructor(private readonly buy: boolean) {}

  get levelCount(): number {
    return this.keys.length;
  }

  add(price: number, quantityKg: number): void {
    let level = this.levels.get(price);
    if (level === undefined) {
      level = { quantityKg: 0, orders: 0 };
      this.levels.set(price, level);
      const key = this.buy ? price : -price;
      this.keys.splice(this.position(key), 0, key);
    }
    level.quantityKg += quantityKg;
    level.orders++;
  }

  /** Takes `quantityKg` from the level at `price`; `leaves` when an order leaves the level with it. */
  take(price: number, quantityKg: number, leaves: boolean): void {
    const level = this.levels.get(price);
    invariant(level !== undefined, () => `no ${this.buy ? "bid" : "ask"} level at ${price}`);
    level.quantityKg -= quantityKg;
    if (leaves) level.orders--;
    invariant(level.quantityKg >= 0 && level.orders >= 0, () => `level ${price} went to ${level.quantityKg} kg`);
    if (level.orders === 0) {
      invariant(level.quantityKg === 0, () => `level ${price} has no orders but ${level.quantityKg} kg`);
      this.levels.delete(price);
      const key = this.buy ? price : -price;
      const at = this.position(key);
      invariant(this.keys[at] === key, () => `level ${price} is missing from the sorted prices`);
      if (at === this.keys.length - 1) this.keys.pop();
      else this.keys.splice(at, 1);
    }
  }

  /** The i-th level from the best. */
  levelAt(i: number): PriceLevel | undefined {
    const n = this.keys.length;
    if (i < 0 || i >= n) return undefined;
    const key = this.keys[n - 1 - i]!;
    const price = this.buy ? key : -key;
    const level = this.levels.get(price)!;
    return { priceTiynPerTonne: price, quantityKg: level.quantityKg, orders: level.orders };
  }

  depth(levelsMax: number): PriceLevel[] {
    const n = Math.min(this.keys.length, levelsMax);
    const out: PriceLevel[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.levelAt(i)!;
    return out;
  }

  /** Prices ascending with their quantities, for the auction curve. */
  ascending(visit: (price: number, quantityKg: number) => void): void {
    if (this.buy) {
      for (const key of this.keys) visit(key, this.levels.get(key)!.quantityKg);
    } else {
      for (let i = this.keys.length - 1; i >= 0; i--) {
        const price = -this.keys[i]!;
        visit(price, this.levels.get(price)!.quantityKg);
      }
    }
  }

  /** First index whose key is ≥ `key` (binary search, checking the best end first: most changes happen there). */
  private position(key: number): number {
    const keys = this.keys;
    const n = keys.length;
    if (n === 0 || keys[n - 1]! < key) return n;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

interface CandleState {
  readonly startMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volumeKg: bigint;
  valueMilliTiyn: bigint;
  /** Trades counted (voided ones not); a candle whose every trade was voided stays in its ring with 0, unlisted. */
  trades: number;
  /** Its book trades in time order, voided ones marked (shared by the five intervals' candles). */
  readonly fills: CandleFill[];
}

export class InstrumentMarket {
  mode: TradingMode | null = null;
  phase: Phase = "closed";
  /** Listed or operator-set reference: the change is measured against it when no other source is given. */
  ownReference: number | null = null;
  /** What the engine's auctions use: the listed or set reference, moved by every trade. */
  auctionReference: number | null = null;
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);
  marketBuyQueuedKg = 0;
  marketSellQueuedKg = 0;
  last: TapeTrade | null = null;
  lastAuction: AuctionResult | null = null;
  readonly tape = new Ring<TapeTrade>(TRADE_TAPE_MAX);
  readonly candles = CANDLE_INTERVALS.map((interval) => new Ring<CandleState>(CANDLES_MAX[interval]));

  constructor(readonly instrument: string) {}

  side(side: Side): BookSide {
    return side === "buy" ? this.bids : this.asks;
  }
}

export class MarketData {
  private readonly markets = new Map<string, InstrumentMarket>();
  private readonly orders = new Map<string, LiveOrder>();
  private readonly reference: ReferenceSource | undefined;

  constructor(options: MarketDataOptions = {}) {
    this.reference = options.reference;
  }

  apply(outcome: ProjectionOutcome): void {
    for (const event of outcome.events) this.applyEvent(event, outcome);
  }

  private applyEvent(event: EngineEvent, outcome: ProjectionOutcome): void {
    switch (event.type) {
      case "instrument.listed": {
        const market = this.market(event.instrument);
        market.mode = event.mode;
        market.ownReference = event.referencePrice;
        market.auctionReference = event.referencePrice;
        return;
      }
      case "reference.set": {
        const market = this.market(event.instrument);
        market.ownReference = event.price;
        market.auctionReference = event.price;
        return;
      }
      case "phase.changed":
        this.market(event.instrument).phase = event.to;
        return;
      case "order.accepted":
        invariant(!this.orders.has(event.orderId), () => `order ${event.orderId} accepted twice`);
        this.orders.set(event.orderId, {
          instrument: event.instrument,
          side: event.side,
          market: event.orderType === "market",
          price: event.price ?? 0,
          open: event.quantity,
          inBook: false,
        });
        return;
      case "order.rested": {
        const order = this.order(event.orderId);
        invariant(!order.inBook, () => `order ${event.orderId} rested twice`);
        order.price = event.price;
        order.open = event.open;
        this.enterBook(order);
        return;
      }
      case "order.amended": {
        const order = this.order(event.orderId);
        invariant(order.inBook, () => `amended order ${event.orderId} is not in the book`);
        if (event.priorityKept) {
          const reduction = order.open - event.open;
          if (reduction > 0) this.takeFromBook(order, reduction, false);
          order.open = event.open;
        } else {
          this.takeFromBook(order, order.open, true);
          order.inBook = false;
          order.price = event.price;
          order.open = event.open;
        }
        return;
      }
      case "order.cancelled": {
        const order = this.order(event.orderId);
        if (order.inBook) {
          invariant(event.quantity === order.open, () => `cancel of ${event.orderId}: ${event.quantity} != open`);
          this.takeFromBook(order, order.open, true);
        }
        this.orders.delete(event.orderId);
        return;
      }
      case "trade":
        this.trade(event, outcome);
        return;
      case "trade.negotiated":
        // Marked and shown, but it formed no price on the book: the last price and the candles stay the book's.
        this.market(event.instrument).tape.push({
          seq: outcome.seq,
          timeMs: outcome.timeMs,
          tradeId: event.tradeId,
          instrument: event.instrument,
          priceTiynPerTonne: event.price,
          quantityKg: event.quantity,
          aggressor: null,
          negotiated: true,
        });
        return;
      case "obligation.voided":
        this.voided(event.obligation.instrument, event.obligation.tradeId, event.obligation.tradeTimeMs, {
          seq: outcome.seq,
          timeMs: outcome.timeMs,
          reason: event.reason ?? "",
          rule: event.rule ?? "",
        });
        return;
      case "auction.uncrossed":
        this.market(event.instrument).lastAuction = {
          seq: outcome.seq,
          timeMs: outcome.timeMs,
          priceTiynPerTonne: event.price,
          volumeKg: event.volume,
          surplusKg: event.surplus,
          surplusSide: event.surplusSide,
        };
        return;
      default:
        return;
    }
  }

  private trade(event: TradeEvent, outcome: ProjectionOutcome): void {
    const market = this.market(event.instrument);
    this.fill(event.buyOrderId, event.quantity, event.buyOpen);
    this.fill(event.sellOrderId, event.quantity, event.sellOpen);
    market.auctionReference = event.price;
    const tape: TapeTrade = {
      seq: outcome.seq,
      timeMs: outcome.timeMs,
      tradeId: event.tradeId,
      instrument: event.instrument,
      priceTiynPerTonne: event.price,
      quantityKg: event.quantity,
      aggressor: event.aggressor,
    };
    market.last = tape;
    market.tape.push(tape);
    const value = tradeValueMilliTiyn(event.price, event.quantity);
    const quantity = BigInt(event.quantity);
    const fill: CandleFill = { tradeId: event.tradeId, price: event.price, quantity: event.quantity, voided: false };
    for (let i = 0; i < CANDLE_INTERVALS.length; i++) {
      const intervalMs = CANDLE_INTERVAL_MS[CANDLE_INTERVALS[i]!];
      const startMs = Math.floor(outcome.timeMs / intervalMs) * intervalMs;
      const ring = market.candles[i]!;
      const current = ring.newest();
      if (current !== undefined && current.startMs === startMs) {
        current.fills.push(fill);
        if (current.trades === 0) {
          // Every earlier trade of this bucket was voided: the candle starts again from this one.
          recomputeCandle(current);
          continue;
        }
        if (event.price > current.high) current.high = event.price;
        if (event.price < current.low) current.low = event.price;
        current.close = event.price;
        current.volumeKg += quantity;
        current.valueMilliTiyn += value;
        current.trades++;
      } else {
        // The sequencer's time never decreases, so a trade never belongs to a bucket before the newest.
        invariant(current === undefined || current.startMs < startMs, () => `trade ${event.tradeId} out of time order`);
        ring.push({
          startMs,
          open: event.price,
          high: event.price,
          low: event.price,
          close: event.price,
          volumeKg: quantity,
          valueMilliTiyn: value,
          trades: 1,
          fills: [fill],
        });
      }
    }
  }

  /**
   * A voided trade: marked on the tape; if it was a book trade, taken out of its candles (each recomputed from the
   * trades left in its bucket) and, if it was the last price, the last price falls back to the newest trade on the
   * tape neither voided nor negotiated. The auction reference (the engine's) does not move: the engine's does not.
   * O(tape + candles kept + trades in the buckets); voids are rare.
   */
  private voided(instrument: string, tradeId: string, tradeTimeMs: number, mark: TradeVoidMark): void {
    const market = this.market(instrument);
    market.tape.scanNewestFirst((trade) => {
      if (trade.tradeId !== tradeId) return true;
      trade.voided = mark;
      return false;
    });
    for (let i = 0; i < CANDLE_INTERVALS.length; i++) {
      // The trade's bucket follows from its time (the obligation's trade time is the trade's journal time).
      const intervalMs = CANDLE_INTERVAL_MS[CANDLE_INTERVALS[i]!];
      const startMs = Math.floor(tradeTimeMs / intervalMs) * intervalMs;
      market.candles[i]!.scanNewestFirst((candle) => {
        if (candle.startMs > startMs) return true;
        const fill = candle.startMs === startMs ? candle.fills.find((f) => f.tradeId === tradeId) : undefined;
        if (fill !== undefined) {
          fill.voided = true;
          recomputeCandle(candle);
        }
        return false;
      });
    }
    if (market.last?.tradeId === tradeId) {
      let last: TapeTrade | null = null;
      market.tape.scanNewestFirst((trade) => {
        if (trade.voided !== undefined || trade.negotiated) return true;
        last = trade;
        return false;
      });
      market.last = last;
    }
  }

  private fill(orderId: string, quantityKg: number, openAfter: number): void {
    const order = this.order(orderId);
    invariant(
      order.open - quantityKg === openAfter,
      () => `order ${orderId}: fill leaves ${openAfter}, not open less fill`,
    );
    if (order.inBook) this.takeFromBook(order, quantityKg, openAfter === 0);
    order.open = openAfter;
    if (openAfter === 0) this.orders.delete(orderId);
  }

  private enterBook(order: LiveOrder): void {
    const market = this.market(order.instrument);
    order.inBook = true;
    if (order.market) {
      if (order.side === "buy") market.marketBuyQueuedKg += order.open;
      else market.marketSellQueuedKg += order.open;
    } else {
      market.side(order.side).add(order.price, order.open);
    }
  }

  private takeFromBook(order: LiveOrder, quantityKg: number, leaves: boolean): void {
    const market = this.market(order.instrument);
    if (leaves) order.inBook = false;
    if (order.market) {
      if (order.side === "buy") market.marketBuyQueuedKg -= quantityKg;
      else market.marketSellQueuedKg -= quantityKg;
      invariant(market.marketBuyQueuedKg >= 0 && market.marketSellQueuedKg >= 0, "market queue below zero");
    } else {
      market.side(order.side).take(order.price, quantityKg, leaves);
    }
  }

  private order(orderId: string): LiveOrder {
    const order = this.orders.get(orderId);
    invariant(order !== undefined, () => `event names order ${orderId}, which is not live`);
    return order;
  }

  private market(instrument: string): InstrumentMarket {
    let market = this.markets.get(instrument);
    if (market === undefined) {
      market = new InstrumentMarket(instrument);
      this.markets.set(instrument, market);
    }
    return market;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  instruments(): string[] {
    return [...this.markets.keys()];
  }

  has(instrument: string): boolean {
    return this.markets.has(instrument);
  }

  /** Price levels of one side, best first. */
  depth(instrument: string, side: Side, levelsMax = DEPTH_LEVELS_MAX): PriceLevel[] {
    const market = this.markets.get(instrument);
    if (market === undefined) return [];
    return market.side(side).depth(clampLevels(levelsMax));
  }

  book(instrument: string, levelsMax = DEPTH_LEVELS_MAX): Book {
    const market = this.markets.get(instrument);
    const levels = clampLevels(levelsMax);
    return {
      instrument,
      bids: market?.bids.depth(levels) ?? [],
      asks: market?.asks.depth(levels) ?? [],
      marketBuyQueuedKg: market?.marketBuyQueuedKg ?? 0,
      marketSellQueuedKg: market?.marketSellQueuedKg ?? 0,
    };
  }

  /** Number of price levels on a side (for paging a deep book). */
  levelCount(instrument: string, side: Side): number {
    return this.markets.get(instrument)?.side(side).levelCount ?? 0;
  }

  quote(instrument: string): Quote | undefined {
    const market = this.markets.get(instrument);
    if (market === undefined) return undefined;
    const last = market.last;
    const reference = this.reference ? this.reference.referencePrice(instrument) : market.ownReference;
    const bestBid = market.bids.levelAt(0) ?? null;
    const bestAsk = market.asks.levelAt(0) ?? null;
    let change: number | null = null;
    let changeBps: number | null = null;
    if (last !== null && reference !== null) {
      change = last.priceTiynPerTonne - reference;
      const bps = Math.round((Math.abs(change) * 10_000) / reference);
      changeBps = change < 0 ? -bps : bps;
    }
    return {
      instrument,
      mode: market.mode,
      phase: market.phase,
      lastPriceTiynPerTonne: last?.priceTiynPerTonne ?? null,
      lastQuantityKg: last?.quantityKg ?? null,
      lastTradeTimeMs: last?.timeMs ?? null,
      referencePriceTiynPerTonne: reference,
      changeTiynPerTonne: change,
      changeBps,
      bestBid,
      bestAsk,
      spreadTiynPerTonne:
        bestBid !== null && bestAsk !== null ? bestAsk.priceTiynPerTonne - bestBid.priceTiynPerTonne : null,
      marketBuyQueuedKg: market.marketBuyQueuedKg,
      marketSellQueuedKg: market.marketSellQueuedKg,
      indicative: market.phase === "collection" ? this.indicative(instrument) : null,
      lastAuction: market.lastAuction,
    };
  }

  /**
   * The auction outcome if the auction ran now, computed from this view's book with the engine's auction rule.
   * Meaningful during order collection; O(levels).
   */
  indicative(instrument: string): IndicativePrice | null {
    const market = this.markets.get(instrument);
    if (market === undefined) return null;
    const outcome = findAuctionPrice(auctionCurve(market), market.auctionReference);
    if (outcome.kind === "needs-reference") {
      return {
        priceTiynPerTonne: null,
        volumeKg: outcome.volume,
        surplusKg: 0,
        surplusSide: null,
        needsReference: outcome.reason,
      };
    }
    return {
      priceTiynPerTonne: outcome.price,
      volumeKg: outcome.volume,
      surplusKg: outcome.surplus,
      surplusSide: outcome.surplusSide,
      needsReference: null,
    };
  }

  /** The newest trades, newest first. */
  trades(instrument: string, limit = TRADE_TAPE_MAX): TapeTrade[] {
    return this.markets.get(instrument)?.tape.newestFirst(limit) ?? [];
  }

  /** Candles of an interval, newest first, optionally only those starting at or after `fromMs`. */
  candles(instrument: string, interval: CandleInterval, limit?: number, fromMs?: number): Candle[] {
    const index = CANDLE_INTERVALS.indexOf(interval);
    if (index < 0) {
      throw new SaudaError("FIELD_INVALID", {
        field: "interval",
        value: JSON.stringify(interval) ?? "(missing)",
        rule: `expected one of ${CANDLE_INTERVALS.join(", ")}`,
      });
    }
    const market = this.markets.get(instrument);
    if (market === undefined) return [];
    const count = limit ?? CANDLES_MAX[interval];
    const out: Candle[] = [];
    market.candles[index]!.scanNewestFirst((state) => {
      if (out.length >= count || (fromMs !== undefined && state.startMs < fromMs)) return false;
      if (state.trades > 0) out.push(candleOf(instrument, interval, state));
      return true;
    });
    return out;
  }
}

function clampLevels(levelsMax: number): number {
  return Math.max(0, Math.min(Math.floor(levelsMax), DEPTH_LEVELS_MAX));
}

/** A candle's figures again from its trades that stand (after a void), in time order. */
function recomputeCandle(candle: CandleState): void {
  let trades = 0;
  let volumeKg = 0n;
  let valueMilliTiyn = 0n;
  for (const fill of candle.fills) {
    if (fill.voided) continue;
    if (trades === 0) {
      candle.open = fill.price;
      candle.high = fill.price;
      candle.low = fill.price;
    }
    if (fill.price > candle.high) candle.high = fill.price;
    if (fill.price < candle.low) candle.low = fill.price;
    candle.close = fill.price;
    trades++;
    volumeKg += BigInt(fill.quantity);
    valueMilliTiyn += tradeValueMilliTiyn(fill.price, fill.quantity);
  }
  candle.trades = trades;
  candle.volumeKg = volumeKg;
  candle.valueMilliTiyn = valueMilliTiyn;
}

function candleOf(instrument: string, interval: CandleInterval, state: CandleState): Candle {
  return {
    instrument,
    interval,
    startMs: state.startMs,
    endMs: state.startMs + CANDLE_INTERVAL_MS[interval],
    openTiynPerTonne: state.open,
    highTiynPerTonne: state.high,
    lowTiynPerTonne: state.low,
    closeTiynPerTonne: state.close,
    volumeKg: state.volumeKg,
    valueMilliTiyn: state.valueMilliTiyn,
    valueTiyn: tiynOfMilliTiyn(state.valueMilliTiyn),
    vwapTiynPerTonne: averagePriceTiynPerTonne(state.valueMilliTiyn, state.volumeKg)!,
    trades: state.trades,
  };
}

/** Both sides merged by ascending price: the input of the engine's auction rule. */
function auctionCurve(market: InstrumentMarket): AuctionCurve {
  const bids: [number, number][] = [];
  const asks: [number, number][] = [];
  market.bids.ascending((price, quantity) => bids.push([price, quantity]));
  market.asks.ascending((price, quantity) => asks.push([price, quantity]));
  const capacity = bids.length + asks.length;
  const prices = new Float64Array(capacity);
  const buyAt = new Float64Array(capacity);
  const sellAt = new Float64Array(capacity);
  let b = 0;
  let a = 0;
  let n = 0;
  while (b < bids.length || a < asks.length) {
    const bidPrice = b < bids.length ? bids[b]![0] : Number.POSITIVE_INFINITY;
    const askPrice = a < asks.length ? asks[a]![0] : Number.POSITIVE_INFINITY;
    if (bidPrice <= askPrice) {
      prices[n] = bidPrice;
      buyAt[n] = bids[b]![1];
      b++;
      if (bidPrice === askPrice) {
        sellAt[n] = asks[a]![1];
        a++;
      }
    } else {
      prices[n] = askPrice;
      sellAt[n] = asks[a]![1];
      a++;
    }
    n++;
  }
  return {
    prices,
    buyAt,
    sellAt,
    length: n,
    marketBuy: market.marketBuyQueuedKg,
    marketSell: market.marketSellQueuedKg,
  };
}
