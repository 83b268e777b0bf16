/**
 * One instrument's market: its book, trading phase, reference price and the records of its orders, turning book
 * operations into events. The engine (engine.ts) routes commands here after checking their shape; this file checks
 * what depends on the instrument (tick, lot, phase) and then acts.
 *
 * Promise: every method that can refuse returns its `Problem` before changing anything; once it starts changing
 * state it cannot fail except on a broken invariant.
 */

import { invariant, type Problem, problem } from "../domain/errors.ts";
import { tradeIdOf } from "../domain/ids.ts";
import type { InstrumentDescription } from "../domain/instrument.ts";
import type { CancelReason, OrderType, Side, StpMode, TimeInForce } from "../domain/order.ts";
import { type AuctionOutcome, findAuctionPrice } from "./auction.ts";
import {
  BUY,
  CANCEL_REASON_NAMES,
  EXEC_FOK,
  EXEC_IOC,
  EXEC_REST,
  FLAG_MARKET,
  FLAG_POST_ONLY,
  NIL,
  OrderBook,
  OUTCOME_CANCELLED,
  OUTCOME_RESTED,
  SELL,
  type SideCode,
  STP_CANCEL_BOTH,
  STP_CANCEL_MAKER,
  STP_CANCEL_TAKER,
  STP_SHIFT,
} from "./book.ts";
import type { TradingCalendar } from "./calendar.ts";
import type { ClearingTerms } from "./clearing.ts";
import type { EngineEvent } from "./events.ts";
import { heapPop, heapPush } from "./heap.ts";
import { acceptsOrders, allowedNextPhases, canMove, type Phase, type TradingMode } from "./phases.ts";
import type { NegotiatedTradeEvent } from "./remedy-events.ts";
import type { RestoredOrders } from "./restored-orders.ts";
import { bandAround, breakerRange, ceilingAt, clipBand, NO_SAFEGUARDS, type Safeguards } from "./safeguards.ts";

export type OrderStatus = "resting" | "filled" | "cancelled";

/** The engine's record of an order. Mutable engine state: events, not records, leave the engine. */
export interface OrderRecord {
  readonly id: string;
  readonly instrument: string;
  readonly account: string;
  readonly side: Side;
  readonly orderType: OrderType;
  /** Limit price; null for market orders. Changes on amend. */
  price: number | null;
  /** Quantity still open in the book. */
  open: number;
  /** Quantity traded so far. */
  filled: number;
  readonly tif: TimeInForce;
  readonly expireAtMs: number | null;
  readonly postOnly: boolean;
  readonly stp: StpMode;
  status: OrderStatus;
  /** Book handle while the order is live, else NIL. Not part of the state: a restore assigns new handles. */
  handle: number;
  /** Acceptance order within the instrument: breaks ties between equal expiry times (set once, on acceptance). */
  entry: number;
  /** Quantity as first entered. */
  readonly quantity: number;
  /** The entering command's content in canonical form: a retry must repeat it exactly (idempotency). */
  readonly content: string;
  /** Cleared instruments: the rates in force when the order was accepted, and what it blocks per tonne (buys). */
  readonly collateralBps: number;
  readonly feeBps: number;
  blockPerTonne: number;
}

/**
 * What the engine keeps of an order once it is done (filled or cancelled), until its instrument closes: only what the
 * rules still ask of it. Its id refuses a second order with that id (`ORDER_ID_DUPLICATE`, or `ORDER_ID_REUSED` when
 * the content differs); on a cleared instrument a retry with the same content is answered with the order's status,
 * open and filled quantities (`order.duplicate`); an amend or cancel is refused with its status; a re-offer's filled
 * quantity is what it sold. Everything else about the order (account, side, price, rates) lives in the read models.
 */
export interface DoneOrder {
  readonly id: string;
  readonly instrument: string;
  readonly status: "filled" | "cancelled";
  readonly open: number;
  readonly filled: number;
  /** The entering command's content in canonical form ("" on an instrument without clearing). */
  readonly content: string;
}

export interface InstrumentSpec {
  readonly id: string;
  readonly mode: TradingMode;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly description: InstrumentDescription | null;
}

export interface DepthLevel {
  readonly price: number;
  readonly quantity: number;
  readonly orders: number;
}

export interface MarketSnapshot {
  readonly spec: InstrumentSpec;
  readonly clearing: ClearingTerms | null;
  readonly safeguards: Safeguards;
  readonly bandReference: number | null;
  readonly lastTradePrice: number | null;
  readonly auctionEndsAtMs: number | null;
  readonly phaseBeforeHalt: Phase | null;
  readonly session: SessionSnapshot;
  readonly calendar: TradingCalendar | null;
  /** Always empty in a snapshot (the engine takes them after every operation); kept for the format. */
  readonly finished: readonly string[];
  readonly phase: Phase;
  readonly referencePrice: number | null;
  readonly entryCounter: number;
  /**
   * How many live orders each side holds. The orders themselves are in the engine snapshot's order columns, market by
   * market in listing order, each market's bids then asks in priority order (queued market orders first, then best
   * price, then time).
   */
  readonly bidOrders: number;
  readonly askOrders: number;
}

/** A market as snapshot versions 3 and 4 stored it: its live orders named by id, per side in priority order. */
export interface MarketSnapshotV4 extends Omit<MarketSnapshot, "bidOrders" | "askOrders"> {
  readonly bids: readonly string[];
  readonly asks: readonly string[];
}

/**
 * Trading in the current session: its number and trade count (for trade ids), and its totals for the static band's
 * next reference price and the concentration limit.
 */
export interface SessionSnapshot {
  /** The session's number: sessions are counted from 1 as the instrument leaves `closed`; 0 before the first. */
  readonly number: number;
  /** Trades in the session so far. */
  readonly trades: number;
  /** Σ price × kg of the session's trades, as a decimal string (it can pass 2^53). */
  readonly valueTiynKg: string;
  readonly volumeKg: number;
  /** Quantity each buyer account bought this session, sorted by account. */
  readonly bought: readonly (readonly [string, number])[];
}

const STP_CODES: Readonly<Record<StpMode, number>> = {
  "cancel-taker": STP_CANCEL_TAKER,
  "cancel-maker": STP_CANCEL_MAKER,
  "cancel-both": STP_CANCEL_BOTH,
};

function flagsFor(order: OrderRecord): number {
  return flagsOf(order.tif, order.orderType, order.postOnly, order.stp);
}

function flagsOf(tif: string, orderType: string, postOnly: boolean, stp: string): number {
  let flags = tif === "IOC" ? EXEC_IOC : tif === "FOK" ? EXEC_FOK : EXEC_REST;
  if (orderType === "market") flags |= FLAG_MARKET;
  if (postOnly) flags |= FLAG_POST_ONLY;
  return flags | (STP_CODES[stp as StpMode] << STP_SHIFT);
}

const NO_PENDING = new Uint8Array(0);
/** What `takeFinished` answers after an operation that finished no order. */
const NO_ORDERS: readonly OrderRecord[] = Object.freeze([]);

function sideCode(side: Side): SideCode {
  return side === "buy" ? BUY : SELL;
}

export class Market {
  readonly spec: InstrumentSpec;
  /** Clearing terms: with them, orders need accounts, collateral and gas, and trades create obligations. */
  clearing: ClearingTerms | null;
  phase: Phase = "closed";
  /** Price used by auctions when their rule needs one; follows the last trade, can be set by the operator. */
  referencePrice: number | null;
  /** The regulator's controls (safeguards.ts); none by default. */
  safeguards: Safeguards = NO_SAFEGUARDS;
  /** Centre of the static price band: the previous session's weighted average price. */
  bandReference: number | null;
  lastTradePrice: number | null = null;
  /** When a volatility or resumption auction ends by itself; null when none is running. */
  auctionEndsAtMs: number | null = null;
  /** The phase an emergency halt interrupted, to return to on resumption. */
  phaseBeforeHalt: Phase | null = null;
  /** Engine time of the command being applied; set by the engine before every command. */
  nowMs = 0;
  /** When sessions run (recorded for the server's scheduler; the engine does not act on it). */
  calendar: TradingCalendar | null = null;
  private sessionNumber = 0;
  private sessionTrades = 0;
  /**
   * Σ price × kg of the session's trades (it passes 2^53 in a busy session: 13,300,000 tiyn/t × 50,000 kg is 6.65e11
   * a trade), exactly and without a bigint per trade: `sessionValue` sums in numbers while the sum is a safe integer,
   * and when the next trade would pass 2^53 - 1 the sum so far and that trade move into `sessionValueOver`. The value is
   * their sum (`sessionValueTotal`); only it is state, not how it is split.
   */
  private sessionValue = 0;
  private sessionValueOver = 0n;
  private sessionVolume = 0;
  private sessionBought = new Map<string, number>();
  private readonly liveByAccount = new Map<string, number>();
  /** Orders that finished during the operation running now, in the order they finished (`takeFinished`). */
  private finished: string[] = [];
  /** The records of `finished`, in the same order. */
  private finishedOrders: OrderRecord[] = [];
  /**
   * Orders a restore placed in the book without making their records (`RestoredOrders`): handle h holds the order in
   * row `restoredBase + h` until its record is made (`recordAt`), which `restoredPending[h]` marks with 1.
   */
  private restored: RestoredOrders | null = null;
  private restoredBase = 0;
  private restoredPending: Uint8Array = NO_PENDING;
  private restoredLeft = 0;
  private restoredCursor = 0;
  /** Called with each record made from a restore's columns (the engine indexes it by id: `OrderIndex.note`). */
  private onRecord: ((order: OrderRecord) => void) | null = null;
  private readonly book = new OrderBook();
  private readonly byHandle: (OrderRecord | undefined)[] = [];
  private readonly accountIndex = new Map<string, number>();
  private entryCounter = 0;
  /** GTD orders by expiry (min-heap on expireAtMs, then entry); entries of orders already gone are skipped. */
  private readonly gtdHeap: OrderRecord[] = [];

  constructor(spec: InstrumentSpec, referencePrice: number | null, clearing: ClearingTerms | null) {
    this.spec = spec;
    this.referencePrice = referencePrice;
    this.bandReference = referencePrice;
    this.clearing = clearing;
  }

  get id(): string {
    return this.spec.id;
  }

  nextEntry(): number {
    return this.entryCounter++;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Checks that depend on the instrument. Each returns the first problem, or null.

  checkPrice(price: number): Problem | null {
    if (price % this.spec.tickSize !== 0) {
      return problem("ORDER_PRICE_OFF_TICK", { value: price, tick: this.spec.tickSize });
    }
    return null;
  }

  checkQuantity(quantity: number): Problem | null {
    if (quantity % this.spec.lotSize !== 0) {
      return problem("ORDER_QUANTITY_OFF_LOT", { value: quantity, lot: this.spec.lotSize });
    }
    return null;
  }

  /** The static band in force now, clipped to the ceiling and the floor (`clipBand`), or null. */
  band(): { low: number; high: number } | null {
    const { ceiling, floor } = this.safeguards;
    return clipBand(bandAround(this.bandReference, this.safeguards.bandBps, this.spec.tickSize), ceiling, floor);
  }

  /**
   * A limit price against the ceiling, the floor and the band in force (clipped to them). The ceiling and floor are
   * checked first, so a price above the ceiling is refused for the ceiling whatever the band says.
   */
  checkPriceLimits(price: number): Problem | null {
    const { ceiling, floor } = this.safeguards;
    if (ceiling !== null && price > ceiling) return problem("ORDER_PRICE_ABOVE_CEILING", { value: price, ceiling });
    if (floor !== null && price < floor) return problem("ORDER_PRICE_BELOW_FLOOR", { value: price, floor });
    const band = this.band();
    if (band && (price < band.low || price > band.high)) {
      return problem("ORDER_PRICE_OUTSIDE_BAND", {
        value: price,
        low: band.low,
        high: band.high,
        reference: this.bandReference,
        bandPercent: this.safeguards.bandBps! / 100,
      });
    }
    return null;
  }

  /**
   * The buyer limits for a buy of `quantity` more (a new order, or the increase of an amend): lots per order, active
   * orders, and the share of the session's offered quantity.
   */
  checkBuyerLimits(account: string, orderQuantity: number, addedQuantity: number, isNew: boolean): Problem | null {
    const { maxLotsPerOrder, maxActiveOrders, maxShareBps } = this.safeguards;
    const lots = orderQuantity / this.spec.lotSize;
    if (maxLotsPerOrder !== null && lots > maxLotsPerOrder) {
      return problem("ORDER_LOTS_LIMIT", { lots, max: maxLotsPerOrder, instrument: this.id });
    }
    const active = this.liveByAccount.get(account) ?? 0;
    if (isNew && maxActiveOrders !== null && active >= maxActiveOrders) {
      return problem("ORDER_ACTIVE_LIMIT", { account, active, max: maxActiveOrders, instrument: this.id });
    }
    if (maxShareBps !== null && addedQuantity > 0) {
      const offered = this.openQuantity(SELL) + this.sessionVolume;
      const bought = this.sessionBought.get(account) ?? 0;
      const bidding = this.accountOpen(account, BUY);
      const wouldHold = bought + bidding + addedQuantity;
      const allowed = Math.floor((offered * maxShareBps) / 10_000);
      if (wouldHold > allowed) {
        return problem("ORDER_CONCENTRATION_LIMIT", {
          account,
          wouldHold,
          bought,
          bidding,
          offered,
          percent: maxShareBps / 100,
          allowed,
        });
      }
    }
    return null;
  }

  /** Whether any sell order rests or waits in the book (an extra session opens only without them). */
  hasSellOrders(): boolean {
    return this.openQuantity(SELL) > 0;
  }

  /**
   * A negotiated trade registered in this session (remedies.ts): it takes the session's next trade id and is its own
   * event type (`trade.negotiated`, no orders behind it); it moves neither the reference price, the last price nor the session's totals (the band reference).
   */
  negotiatedTrade(
    dealId: string,
    seller: string,
    buyer: string,
    price: number,
    quantity: number,
  ): NegotiatedTradeEvent {
    this.sessionTrades++;
    return {
      type: "trade.negotiated",
      instrument: this.id,
      tradeId: tradeIdOf(this.id, this.sessionNumber, this.sessionTrades),
      deal: dealId,
      price,
      quantity,
      buyAccount: buyer,
      sellAccount: seller,
    };
  }

  private openQuantity(side: SideCode): number {
    let total = this.book.marketQueueQuantity(side);
    for (let i = 0; i < this.book.levelCount(side); i++) total += this.book.levelAt(side, i)!.quantity;
    return total;
  }

  private accountOpen(account: string, side: SideCode): number {
    const index = this.accountIndex.get(account);
    if (index === undefined) return 0;
    let total = 0;
    for (const handle of this.book.ordersOfAccount(index))
      if (this.book.sideOf(handle) === side) total += this.book.openOf(handle);
    return total;
  }

  checkEntry(orderType: OrderType, tif: TimeInForce): Problem | null {
    if (!acceptsOrders(this.phase)) return problem("PHASE_CLOSED", { instrument: this.id, phase: this.phase });
    if (this.phase === "collection") {
      if (tif === "FOK") return problem("ORDER_TIF_NOT_ALLOWED", { tif, context: "an auction's order collection" });
      if (tif === "IOC" && orderType === "limit") {
        return problem("ORDER_TIF_NOT_ALLOWED", { tif, context: "limit orders in an auction's order collection" });
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Orders.

  /** Enters a checked order: matches it in continuous trading, queues it in collection. */
  enter(order: OrderRecord, out: EngineEvent[]): void {
    out.push({
      type: "order.accepted",
      instrument: this.id,
      orderId: order.id,
      account: order.account,
      side: order.side,
      orderType: order.orderType,
      price: order.price,
      quantity: order.open,
      tif: order.tif,
      expireAtMs: order.expireAtMs,
      postOnly: order.postOnly,
      stp: order.stp,
    });
    this.place(order, out);
    if (order.status === "resting" && order.tif === "GTD") this.pushGtd(order);
  }

  /** Puts a live order (new, or re-entering after an amend) into the book according to the phase. */
  private place(order: OrderRecord, out: EngineEvent[]): void {
    const side = sideCode(order.side);
    const account = this.accountFor(order.account);
    const price = order.price ?? 0;
    if (this.phase === "collection") {
      const handle = this.book.insert(side, price, order.open, account, flagsFor(order));
      this.attach(order, handle);
      out.push({ type: "order.rested", instrument: this.id, orderId: order.id, price, open: order.open });
      return;
    }
    invariant(this.phase === "continuous", () => `order placed in phase ${this.phase}`);
    const range = order.postOnly ? null : breakerRange(this.lastTradePrice, this.safeguards.breakerBps);
    if (range !== null) {
      const tick = this.spec.tickSize;
      const edge = order.side === "buy" ? Math.floor(range.high / tick) * tick : Math.ceil(range.low / tick) * tick;
      const reachesBeyond = order.orderType === "market" || (order.side === "buy" ? price > edge : price < edge);
      if (reachesBeyond && edge >= tick) {
        this.placeGuarded(order, edge, out);
        return;
      }
    }
    this.book.submit(side, price, order.open, account, flagsFor(order));
    this.reportFills(order, out);
    this.finishTaker(order, out);
  }

  /**
   * Continuous trading with the circuit breaker armed: the order trades only up to the edge of the breaker's range.
   * If what is left could trade beyond it, continuous trading stops and a volatility auction starts with the rest
   * of the order in it (an IOC's rest is cancelled instead, and a FOK that cannot fill inside the range goes).
   */
  private placeGuarded(order: OrderRecord, edge: number, out: EngineEvent[]): void {
    const side = sideCode(order.side);
    const account = this.accountFor(order.account);
    const exec = order.tif === "FOK" ? EXEC_FOK : EXEC_IOC;
    const flags = (flagsFor(order) & ~(3 | FLAG_MARKET)) | exec;
    this.book.submit(side, edge, order.open, account, flags);
    this.reportFills(order, out);
    const report = this.book.report;
    const stopped = report.outcome === OUTCOME_CANCELLED && CANCEL_REASON_NAMES[report.takerReason] === "ioc-remainder";
    if (!stopped || order.tif === "IOC") {
      this.finishTaker(order, out);
      return;
    }
    const opposite = (side ^ 1) as SideCode;
    const best = this.book.bestPrice(opposite);
    const limit = order.price ?? (order.side === "buy" ? Number.POSITIVE_INFINITY : 0);
    const reachable = !Number.isNaN(best) && (order.side === "buy" ? best <= limit : best >= limit);
    if (reachable) {
      this.startAuction("volatility", this.nowMs + this.safeguards.breakerAuctionMs, out);
      this.place(order, out);
    } else if (order.orderType === "market") {
      const open = order.open;
      order.handle = NIL;
      order.open = 0;
      this.finish(order, "cancelled");
      out.push(this.cancelled(order, open, "market-remainder"));
    } else {
      const handle = this.book.insert(side, limit, order.open, account, flagsFor(order));
      this.attach(order, handle);
      out.push({ type: "order.rested", instrument: this.id, orderId: order.id, price: limit, open: order.open });
    }
  }

  /** Continuous trading stops and orders are collected for an auction that ends by itself at `endsAtMs`. */
  private startAuction(reason: string, endsAtMs: number, out: EngineEvent[]): void {
    const from = this.phase;
    this.phase = "collection";
    this.auctionEndsAtMs = endsAtMs;
    out.push({ type: "phase.changed", instrument: this.id, from, to: "collection", reason, auctionEndsAtMs: endsAtMs });
  }

  private attach(order: OrderRecord, handle: number): void {
    order.handle = handle;
    order.status = "resting";
    this.byHandle[handle] = order;
    this.liveByAccount.set(order.account, (this.liveByAccount.get(order.account) ?? 0) + 1);
  }

  /** Tells the fills and self-trade cancellations of the last `submit`, in the order they happened. */
  private reportFills(taker: OrderRecord, out: EngineEvent[]): void {
    const report = this.book.report;
    let c = 0;
    for (let i = 0; i < report.fillCount; i++) {
      for (; c < report.cancelCount && report.cancelAtFill[c]! <= i; c++) this.reportBookCancel(c, out);
      const maker = this.recordAt(report.fillMaker[i]!);
      const quantity = report.fillQuantity[i]!;
      const makerOpen = report.fillMakerOpen[i]!;
      taker.open -= quantity;
      taker.filled += quantity;
      maker.open = makerOpen;
      maker.filled += quantity;
      if (makerOpen === 0) this.detach(maker, "filled");
      const takerBuys = taker.side === "buy";
      const buy = takerBuys ? taker : maker;
      const sell = takerBuys ? maker : taker;
      out.push(this.trade(report.fillPrice[i]!, quantity, buy, sell, maker.id, taker.id, taker.side));
    }
    for (; c < report.cancelCount; c++) this.reportBookCancel(c, out);
    invariant(taker.open === report.takerOpen, () => `taker ${taker.id} open ${taker.open} != ${report.takerOpen}`);
  }

  /** Settles the incoming order after the last `submit`: rested, cancelled (and why) or filled. */
  private finishTaker(taker: OrderRecord, out: EngineEvent[]): void {
    const report = this.book.report;
    if (report.outcome === OUTCOME_RESTED) {
      this.attach(taker, report.takerHandle);
      out.push({
        type: "order.rested",
        instrument: this.id,
        orderId: taker.id,
        price: taker.price ?? 0,
        open: taker.open,
      });
    } else if (report.outcome === OUTCOME_CANCELLED) {
      this.finish(taker, "cancelled");
      taker.handle = NIL;
      taker.open = 0;
      out.push(this.cancelled(taker, report.takerOpen, CANCEL_REASON_NAMES[report.takerReason]!));
    } else {
      this.finish(taker, "filled");
      taker.handle = NIL;
    }
  }

  /** A resting order the book cancelled itself (self-trade prevention, auction remainders). */
  private reportBookCancel(c: number, out: EngineEvent[]): void {
    const report = this.book.report;
    const order = this.recordAt(report.cancelHandle[c]!);
    const quantity = report.cancelQuantity[c]!;
    order.open = 0;
    this.detach(order, "cancelled");
    out.push(this.cancelled(order, quantity, CANCEL_REASON_NAMES[report.cancelReason[c]!]!));
  }

  /**
   * Marks an order done; the engine takes the ids after each operation (`takeFinished`), keeps only a `DoneOrder` of
   * each, and forgets those when the instrument closes.
   */
  private finish(order: OrderRecord, status: "filled" | "cancelled"): void {
    order.status = status;
    this.finished.push(order.id);
    this.finishedOrders.push(order);
  }

  /** Orders finished since the last call (the engine calls it after every operation: empty between commands). */
  takeFinished(): readonly OrderRecord[] {
    const orders = this.finishedOrders;
    invariant(orders.length === this.finished.length, "finished orders and their ids disagree");
    // Most operations finish no order: those keep their (empty) arrays rather than make two new ones.
    if (orders.length === 0) return NO_ORDERS;
    this.finished = [];
    this.finishedOrders = [];
    return orders;
  }

  private detach(order: OrderRecord, status: OrderStatus): void {
    this.byHandle[order.handle] = undefined;
    order.handle = NIL;
    if (status === "resting") order.status = status;
    else this.finish(order, status);
    const live = (this.liveByAccount.get(order.account) ?? 0) - 1;
    if (live > 0) this.liveByAccount.set(order.account, live);
    else this.liveByAccount.delete(order.account);
  }

  private trade(
    price: number,
    quantity: number,
    buy: OrderRecord,
    sell: OrderRecord,
    makerOrderId: string | null,
    takerOrderId: string | null,
    aggressor: Side | null,
  ): EngineEvent {
    this.sessionTrades++;
    this.referencePrice = price;
    this.lastTradePrice = price;
    // Safe integers ≥ 0: the sum is a safe integer exactly when the exact sum is one (else it is 2^53 or more).
    const sessionValue = this.sessionValue + price * quantity;
    if (Number.isSafeInteger(sessionValue)) this.sessionValue = sessionValue;
    else {
      this.sessionValueOver += BigInt(this.sessionValue) + BigInt(price) * BigInt(quantity);
      this.sessionValue = 0;
    }
    this.sessionVolume += quantity;
    this.sessionBought.set(buy.account, (this.sessionBought.get(buy.account) ?? 0) + quantity);
    return {
      type: "trade",
      instrument: this.id,
      tradeId: tradeIdOf(this.id, this.sessionNumber, this.sessionTrades),
      price,
      quantity,
      buyOrderId: buy.id,
      sellOrderId: sell.id,
      buyAccount: buy.account,
      sellAccount: sell.account,
      makerOrderId,
      takerOrderId,
      aggressor,
      buyOpen: buy.open,
      sellOpen: sell.open,
    };
  }

  private cancelled(order: OrderRecord, quantity: number, reason: CancelReason): EngineEvent {
    return {
      type: "order.cancelled",
      instrument: this.id,
      orderId: order.id,
      account: order.account,
      quantity,
      reason,
    };
  }

  /** Checks an amend of a resting order. `price` and `quantity` are the new values (already shape-checked). */
  checkAmend(order: OrderRecord, price: number | null, quantity: number | null): Problem | null {
    if (!acceptsOrders(this.phase)) return problem("PHASE_CLOSED", { instrument: this.id, phase: this.phase });
    if (price !== null) {
      if (order.orderType === "market") return problem("ORDER_PRICE_NOT_ALLOWED", { value: price });
      const priceProblem = this.checkPrice(price) ?? this.checkPriceLimits(price);
      if (priceProblem) return priceProblem;
    }
    if (quantity !== null) {
      const lotProblem = this.checkQuantity(quantity);
      if (lotProblem) return lotProblem;
    }
    if (order.side === "buy") {
      const newQuantity = quantity ?? order.open;
      return this.checkBuyerLimits(order.account, newQuantity, Math.max(0, newQuantity - order.open), false);
    }
    return null;
  }

  /**
   * Amends a resting order. The same price with a lower quantity keeps time priority; any other change takes the
   * order out and enters it again as an incoming order, which in continuous trading may trade at once.
   */
  amend(order: OrderRecord, newPrice: number | null, newQuantity: number | null, out: EngineEvent[]): void {
    const price = newPrice ?? order.price;
    const quantity = newQuantity ?? order.open;
    if (price === order.price && quantity <= order.open) {
      if (quantity < order.open) this.book.reduce(order.handle, quantity);
      order.open = quantity;
      out.push({
        type: "order.amended",
        instrument: this.id,
        orderId: order.id,
        price: price ?? 0,
        open: quantity,
        priorityKept: true,
      });
      return;
    }
    this.book.cancel(order.handle);
    this.detach(order, "resting");
    order.price = price;
    order.open = quantity;
    out.push({
      type: "order.amended",
      instrument: this.id,
      orderId: order.id,
      price: price ?? 0,
      open: quantity,
      priorityKept: false,
    });
    this.place(order, out);
  }

  /** Cancels a live order of this market. */
  cancel(order: OrderRecord, reason: CancelReason, out: EngineEvent[]): void {
    const quantity = this.book.cancel(order.handle);
    order.open = 0;
    this.detach(order, "cancelled");
    out.push(this.cancelled(order, quantity, reason));
  }

  /**
   * Cancels every live order of an account here, oldest first: in the order they were accepted. The book's account
   * list is not used for the order, because an amend re-links an order there and a restore links orders in priority
   * order, so its order is not part of the state.
   */
  massCancel(account: string, out: EngineEvent[], reason: CancelReason = "mass-cancel"): void {
    const index = this.accountIndex.get(account);
    if (index === undefined) return;
    const orders = this.book.ordersOfAccount(index).map((handle) => this.recordAt(handle));
    orders.sort((a, b) => a.entry - b.entry);
    for (const order of orders) this.cancel(order, reason, out);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Phases and auctions.

  checkPhase(to: Phase): Problem | null {
    if (!canMove(this.spec.mode, this.phase, to)) {
      return problem("PHASE_TRANSITION_INVALID", {
        instrument: this.id,
        from: this.phase,
        to,
        allowed: allowedNextPhases(this.spec.mode, this.phase).join(", ") || "none",
      });
    }
    if (to === "continuous" && this.crossed()) {
      // Only possible from `closed` after an order collection closed without its auction. Matching assumes a book
      // that is not crossed, so the crossed orders must meet in an auction first.
      return problem("PHASE_TRANSITION_INVALID", {
        instrument: this.id,
        from: this.phase,
        to,
        allowed: `${allowedNextPhases(this.spec.mode, this.phase)
          .filter((phase) => phase !== "continuous")
          .join(", ")} (the book is crossed: trading reopens through an auction)`,
      });
    }
    if (to === "uncross") {
      const outcome = this.indicative();
      if (outcome.kind === "needs-reference") {
        return problem("AUCTION_REFERENCE_PRICE_REQUIRED", { reason: outcome.reason });
      }
    }
    return null;
  }

  /** Whether the best bid is at or above the best ask: possible only outside continuous trading. */
  private crossed(): boolean {
    const bid = this.book.levelAt(BUY, 0);
    const ask = this.book.levelAt(SELL, 0);
    return bid !== undefined && ask !== undefined && bid.price >= ask.price;
  }

  /** Moves to a checked phase, running the auction for `uncross` and expiring DAY orders on close. */
  setPhase(to: Phase, out: EngineEvent[], reason?: string): void {
    const from = this.phase;
    this.phase = to;
    if (from === "closed" && to !== "closed") {
      // A session begins when the instrument leaves `closed` (as the session results count them).
      this.sessionNumber++;
      this.sessionTrades = 0;
    }
    if (to !== "collection") this.auctionEndsAtMs = null;
    out.push({ type: "phase.changed", instrument: this.id, from, to, ...(reason === undefined ? {} : { reason }) });
    if (to === "uncross") {
      this.uncross(out);
      this.setPhase(this.spec.mode === "continuous" ? "continuous" : "closed", out);
    } else if (to === "closed") {
      this.expireAtClose(out);
      this.closeSession(out);
    }
  }

  /**
   * The session's end: its weighted average price becomes the next band reference (rounded half up to a whole tiyn),
   * and resting orders outside the new band are cancelled.
   */
  private sessionValueTotal(): bigint {
    return this.sessionValueOver + BigInt(this.sessionValue);
  }

  private closeSession(out: EngineEvent[]): void {
    if (this.sessionVolume > 0) {
      const volume = BigInt(this.sessionVolume);
      this.bandReference = Number((this.sessionValueTotal() * 2n + volume) / (2n * volume));
    }
    this.sessionValue = 0;
    this.sessionValueOver = 0n;
    this.sessionVolume = 0;
    this.sessionBought = new Map();
    this.cancelOutsideLimits(out);
  }

  /** Cancels resting limit orders whose price the band, ceiling or floor no longer allows (reason `price-limit`). */
  cancelOutsideLimits(out: EngineEvent[]): void {
    const outside: OrderRecord[] = [];
    for (const side of [BUY, SELL] as const) {
      this.book.forEachOrder(side, (handle) => {
        const order = this.recordAt(handle);
        if (order.price !== null && this.checkPriceLimits(order.price) !== null) outside.push(order);
      });
    }
    outside.sort((a, b) => a.entry - b.entry);
    for (const order of outside) this.cancel(order, "price-limit", out);
  }

  /**
   * What time brings, before each command: ceiling-path steps that come into force (orders above the new ceiling
   * are cancelled) and auctions that end by themselves (volatility and resumption auctions).
   */
  advanceTime(nowMs: number, out: EngineEvent[]): void {
    this.nowMs = nowMs;
    const path = this.safeguards.ceilingPath;
    if (path.length > 0 && path[0]!.effectiveFromMs <= nowMs) {
      const { ceiling, path: rest } = ceilingAt(this.safeguards, nowMs);
      this.safeguards = { ...this.safeguards, ceiling, ceilingPath: rest };
      out.push({
        type: "safeguards.changed",
        instrument: this.id,
        safeguards: this.safeguards,
        reason: "ceiling path step",
      });
      this.cancelOutsideLimits(out);
    }
    if (this.auctionEndsAtMs !== null && this.auctionEndsAtMs <= nowMs && this.phase === "collection") {
      if (this.checkPhase("uncross") === null) this.setPhase("uncross", out, "auction end");
      else {
        this.auctionEndsAtMs = null;
        out.push({
          type: "phase.changed",
          instrument: this.id,
          from: "collection",
          to: "collection",
          reason: "auction cannot uncross without a reference price; the operator must set one",
        });
      }
    }
  }

  hasTimeDue(nowMs: number): boolean {
    const path = this.safeguards.ceilingPath;
    return (
      (path.length > 0 && path[0]!.effectiveFromMs <= nowMs) ||
      (this.auctionEndsAtMs !== null && this.auctionEndsAtMs <= nowMs)
    );
  }

  /** An emergency halt: trading stops where it is; the book stays. */
  halt(reason: string, out: EngineEvent[]): void {
    this.phaseBeforeHalt = this.phase;
    this.setPhase("halted", out, reason);
  }

  /** Resumes after a halt: through a resumption auction, or back to closed if the halt came while closed. */
  resume(reason: string, out: EngineEvent[]): void {
    const before = this.phaseBeforeHalt;
    this.phaseBeforeHalt = null;
    if (before === "closed") {
      this.setPhase("closed", out, reason);
    } else if (this.spec.mode === "continuous") {
      this.startAuction(reason, this.nowMs + this.safeguards.resumptionAuctionMs, out);
    } else {
      this.setPhase("collection", out, reason);
    }
  }

  /** Sets the safeguards (already checked), then cancels resting orders the new limits no longer allow. */
  setSafeguards(safeguards: Safeguards, reason: string, out: EngineEvent[]): void {
    const { ceiling, path } = ceilingAt(safeguards, this.nowMs);
    this.safeguards = { ...safeguards, ceiling, ceilingPath: path };
    out.push({ type: "safeguards.changed", instrument: this.id, safeguards: this.safeguards, reason });
    this.cancelOutsideLimits(out);
  }

  /** The auction price and volume if the auction ran now (uses the current reference price). */
  indicative(): AuctionOutcome {
    return findAuctionPrice(this.book.auctionCurve(), this.referencePrice);
  }

  private uncross(out: EngineEvent[]): void {
    const outcome = this.indicative();
    invariant(outcome.kind === "price", "uncross without a determinable price");
    out.push({
      type: "auction.uncrossed",
      instrument: this.id,
      price: outcome.price,
      volume: outcome.volume,
      surplus: outcome.surplus,
      surplusSide: outcome.surplusSide,
    });
    this.book.uncross(outcome.price ?? 0, outcome.volume);
    const report = this.book.report;
    for (let i = 0; i < report.fillCount; i++) {
      const seller = this.recordAt(report.fillMaker[i]!);
      const buyer = this.recordAt(report.fillBuyer[i]!);
      const quantity = report.fillQuantity[i]!;
      seller.open = report.fillMakerOpen[i]!;
      seller.filled += quantity;
      buyer.open = report.fillBuyerOpen[i]!;
      buyer.filled += quantity;
      out.push(this.trade(report.fillPrice[i]!, quantity, buyer, seller, null, null, null));
    }
    // Detach after all trades are told: a handle freed by one fill is not reused until the next book operation. Every
    // record here was made above, so the handles are read directly (a detached one reads undefined).
    for (let i = 0; i < report.fillCount; i++) {
      const seller = this.byHandle[report.fillMaker[i]!];
      if (seller && seller.open === 0) this.detach(seller, "filled");
      const buyer = this.byHandle[report.fillBuyer[i]!];
      if (buyer && buyer.open === 0) this.detach(buyer, "filled");
    }
    for (let c = 0; c < report.cancelCount; c++) this.reportBookCancel(c, out);
  }

  private expireAtClose(out: EngineEvent[]): void {
    const expiring: OrderRecord[] = [];
    for (const side of [BUY, SELL] as const) {
      this.book.forEachOrder(side, (handle) => {
        const order = this.recordAt(handle);
        if (order.tif === "DAY" || order.orderType === "market") expiring.push(order);
      });
    }
    expiring.sort((a, b) => a.entry - b.entry);
    for (const order of expiring) this.cancel(order, "expired", out);
  }

  /** Expires GTD orders whose time has come, earliest first. */
  expireDue(nowMs: number, out: EngineEvent[]): void {
    const heap = this.gtdHeap;
    while (heap.length > 0 && heap[0]!.expireAtMs! <= nowMs) {
      const order = heapPop(heap, earlier);
      if (order.status === "resting") this.cancel(order, "expired", out);
    }
  }

  /** The earliest time at which time alone changes this market (GTD expiry, an auction's end, a ceiling step). */
  nextDueMs(): number {
    let due = Number.POSITIVE_INFINITY;
    if (this.gtdHeap.length > 0) due = this.gtdHeap[0]!.expireAtMs!;
    if (this.auctionEndsAtMs !== null && this.auctionEndsAtMs < due) due = this.auctionEndsAtMs;
    const step = this.safeguards.ceilingPath[0];
    if (step && step.effectiveFromMs < due) due = step.effectiveFromMs;
    return due;
  }

  hasExpiryDue(nowMs: number): boolean {
    return this.gtdHeap.length > 0 && this.gtdHeap[0]!.expireAtMs! <= nowMs;
  }

  private pushGtd(order: OrderRecord): void {
    heapPush(this.gtdHeap, order, earlier);
  }

  /** The record of a live order's handle, made from the restore's columns the first time it is needed. */
  private recordAt(handle: number): OrderRecord {
    return this.byHandle[handle] ?? this.makeRecord(handle);
  }

  private makeRecord(handle: number): OrderRecord {
    if (this.restoredPending[handle] !== 1) invariant(false, `book handle ${handle} has no record`);
    const order: OrderRecord = this.restored!.record(this.restoredBase + handle);
    order.handle = handle;
    this.byHandle[handle] = order;
    this.restoredPending[handle] = 0;
    if (--this.restoredLeft === 0) {
      this.restored = null;
      this.restoredPending = NO_PENDING;
    }
    this.onRecord?.(order);
    return order;
  }

  /**
   * Makes the records of restored orders not made yet, going through up to `budget` of them in book handle order;
   * returns how many it went through (0 when none is left).
   */
  makeRestoredRecords(budget: number): number {
    let seen = 0;
    while (this.restoredLeft > 0 && seen < budget) {
      const handle = this.restoredCursor++;
      seen++;
      if (this.restoredPending[handle] === 1) this.makeRecord(handle);
    }
    return seen;
  }

  /**
   * The record of the restored order at book handle `handle`, made now; undefined when it was made before (the order
   * is then in the engine's index, or has left).
   */
  restoredRecord(handle: number): OrderRecord | undefined {
    return this.restoredPending[handle] === 1 ? this.makeRecord(handle) : undefined;
  }

  /** Whether every restored order has its record. */
  get recordsMade(): boolean {
    return this.restoredLeft === 0;
  }

  private accountFor(account: string): number {
    let index = this.accountIndex.get(account);
    if (index === undefined) {
      index = this.accountIndex.size;
      this.accountIndex.set(account, index);
    }
    return index;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  depth(side: Side, levelsMax = Number.POSITIVE_INFINITY): DepthLevel[] {
    const code = sideCode(side);
    const levels: DepthLevel[] = [];
    const n = Math.min(this.book.levelCount(code), levelsMax);
    for (let i = 0; i < n; i++) levels.push(this.book.levelAt(code, i)!);
    return levels;
  }

  /** Live orders of a side in priority order. */
  ordersInPriority(side: Side): OrderRecord[] {
    const orders: OrderRecord[] = [];
    this.book.forEachOrder(sideCode(side), (handle) => orders.push(this.recordAt(handle)));
    return orders;
  }

  get liveOrderCount(): number {
    return this.book.orderCount;
  }

  /** Structural self-check of the book and of the records that point into it. */
  checkInvariants(): void {
    this.book.checkInvariants(this.phase === "collection" || this.phase === "halted" || this.phase === "closed");
    for (const side of ["buy", "sell"] as const) {
      for (const order of this.ordersInPriority(side)) {
        invariant(order.status === "resting", () => `order ${order.id} in book has status ${order.status}`);
        invariant(this.book.openOf(order.handle) === order.open, () => `order ${order.id} open differs from book`);
      }
    }
  }

  /** The market's state; `bids` and `asks` are its live orders in priority order (`ordersInPriority`). */
  snapshot(bids: readonly OrderRecord[], asks: readonly OrderRecord[]): MarketSnapshot {
    return {
      spec: this.spec,
      clearing: this.clearing,
      safeguards: this.safeguards,
      calendar: this.calendar,
      finished: [...this.finished],
      bandReference: this.bandReference,
      lastTradePrice: this.lastTradePrice,
      auctionEndsAtMs: this.auctionEndsAtMs,
      phaseBeforeHalt: this.phaseBeforeHalt,
      session: {
        number: this.sessionNumber,
        trades: this.sessionTrades,
        valueTiynKg: this.sessionValueTotal().toString(),
        volumeKg: this.sessionVolume,
        bought: [...this.sessionBought].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      },
      phase: this.phase,
      referencePrice: this.referencePrice,
      entryCounter: this.entryCounter,
      bidOrders: bids.length,
      askOrders: asks.length,
    };
  }

  /**
   * Rebuilds a market from its snapshot and its live orders per side in priority order (the records are attached to
   * the new book: their handles are set here).
   */
  /** A market with a snapshot's state and an empty book. */
  private static fromSnapshot(snapshot: Omit<MarketSnapshot, "bidOrders" | "askOrders">): Market {
    const market = new Market(snapshot.spec, snapshot.referencePrice, snapshot.clearing);
    market.safeguards = snapshot.safeguards;
    market.calendar = snapshot.calendar;
    // The engine takes finished orders after every operation, so a snapshot never holds any.
    invariant(snapshot.finished.length === 0, () => `snapshot market ${snapshot.spec.id} holds finished orders`);
    market.bandReference = snapshot.bandReference;
    market.lastTradePrice = snapshot.lastTradePrice;
    market.auctionEndsAtMs = snapshot.auctionEndsAtMs;
    market.phaseBeforeHalt = snapshot.phaseBeforeHalt;
    market.sessionNumber = snapshot.session.number;
    market.sessionTrades = snapshot.session.trades;
    const sessionValue = BigInt(snapshot.session.valueTiynKg);
    if (sessionValue <= BigInt(Number.MAX_SAFE_INTEGER)) market.sessionValue = Number(sessionValue);
    else market.sessionValueOver = sessionValue;
    market.sessionVolume = snapshot.session.volumeKg;
    market.sessionBought = new Map(snapshot.session.bought);
    market.phase = snapshot.phase;
    market.entryCounter = snapshot.entryCounter;
    return market;
  }

  /**
   * Rebuilds a market from its snapshot with its live orders in rows `base` to `base + bids + asks - 1` of a restore's
   * columns (bids then asks, each in priority order). Each order is placed in the book without its record, which is
   * made when first needed (`recordAt`) or by `makeRestoredRecords`, and then passed to `onRecord`; a GTD order's is
   * made now (its expiry is kept by record).
   */
  static restoreFromColumns(
    snapshot: Omit<MarketSnapshot, "bidOrders" | "askOrders">,
    columns: RestoredOrders,
    base: number,
    bids: number,
    asks: number,
    onRecord: (order: OrderRecord) => void,
  ): Market {
    const market = Market.fromSnapshot(snapshot);
    const count = bids + asks;
    market.book.reserveOrders(count);
    for (let k = 0; k < count; k++) market.byHandle.push(undefined);
    market.restored = columns;
    market.restoredBase = base;
    market.restoredPending = new Uint8Array(count).fill(1);
    market.restoredLeft = count;
    market.onRecord = onRecord;
    let runAccount = "";
    let runOrders = 0;
    const countRun = () => {
      if (runOrders > 0) market.liveByAccount.set(runAccount, (market.liveByAccount.get(runAccount) ?? 0) + runOrders);
    };
    let accountIndex = -1;
    const gtd: number[] = [];
    for (let k = 0; k < count; k++) {
      const row = base + k;
      const side = k < bids ? "buy" : "sell";
      // Once per live order (hundreds of thousands at a start): no closure for the message unless it fails.
      if (
        columns.text(columns.status, row) !== "resting" ||
        columns.text(columns.side, row) !== side ||
        columns.text(columns.instrument, row) !== market.id
      ) {
        invariant(false, `snapshot puts order ${columns.ids[row]} on the wrong book`);
      }
      const account = columns.text(columns.account, row);
      if (account !== runAccount || accountIndex < 0) {
        countRun();
        runAccount = account;
        runOrders = 0;
        accountIndex = market.accountFor(account);
      }
      runOrders++;
      const tif = columns.text(columns.tif, row);
      const handle = market.book.insert(
        side === "buy" ? BUY : SELL,
        columns.price.at(row) ?? 0,
        columns.open.at(row),
        accountIndex,
        flagsOf(
          tif,
          columns.text(columns.orderType, row),
          columns.postOnly.at(row) === 1,
          columns.text(columns.stp, row),
        ),
      );
      if (handle !== k) invariant(false, `restored order ${columns.ids[row]} took book handle ${handle}`);
      if (tif === "GTD") gtd.push(handle);
    }
    countRun();
    for (const handle of gtd) market.pushGtd(market.recordAt(handle));
    return market;
  }

  static restore(
    snapshot: Omit<MarketSnapshot, "bidOrders" | "askOrders">,
    bids: readonly OrderRecord[],
    asks: readonly OrderRecord[],
  ): Market {
    const market = Market.fromSnapshot(snapshot);
    market.book.reserveOrders(bids.length + asks.length);
    // An account's live orders are counted per run of its orders, not one map update per order (`attach` does that).
    let runAccount = "";
    let runOrders = 0;
    const countRun = () => {
      if (runOrders > 0) market.liveByAccount.set(runAccount, (market.liveByAccount.get(runAccount) ?? 0) + runOrders);
    };
    for (const [side, orders] of [
      ["buy", bids],
      ["sell", asks],
    ] as const) {
      for (const order of orders) {
        // Once per live order (hundreds of thousands at a start): no closure for the message unless it fails.
        if (order.status !== "resting" || order.side !== side || order.instrument !== market.id) {
          invariant(false, `snapshot puts order ${order.id} on the wrong book`);
        }
        const handle = market.book.insert(
          sideCode(order.side),
          order.price ?? 0,
          order.open,
          market.accountFor(order.account),
          flagsFor(order),
        );
        order.handle = handle;
        market.byHandle[handle] = order;
        if (order.account !== runAccount) {
          countRun();
          runAccount = order.account;
          runOrders = 0;
        }
        runOrders++;
        if (order.tif === "GTD") market.pushGtd(order);
      }
    }
    countRun();
    return market;
  }
}

function earlier(a: OrderRecord, b: OrderRecord): boolean {
  return a.expireAtMs! < b.expireAtMs! || (a.expireAtMs === b.expireAtMs && a.entry < b.entry);
}
