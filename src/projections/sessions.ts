/**
 * Session results per instrument: what the exchange publishes after each trading session, and the reference price
 * the next session's static price band is centred on.
 *
 * A session runs from a phase change out of `closed` to the next change into `closed` (so closed → halted → closed
 * is a session too, with no trades). Per session: open, high, low and close prices, the number of trades, volume,
 * value and the volume-weighted average price, the quantity offered (sell quantity entered: accepted sell orders plus
 * quantity added by amends) against the quantity bought (traded), the buy quantity entered, and the number of
 * distinct buying and selling accounts.
 *
 * Weighted average: Σ(price × quantity) / Σ quantity, taken exactly in bigint and rounded to the nearest tiyn per
 * tonne, halves up (numbers.ts). The reference price of an instrument is the most recent of: the reference price it
 * was listed with, one set by the operator (`reference.set`), and the weighted average of a closed session that had
 * trades, or an extra session's base price (`session.extraOpened`, `reoffer.moved`). A session without trades leaves
 * it unchanged. (This is the view's reference for price bands and for the change shown in market data; the engine's
 * own auction reference follows every trade and is another thing.)
 *
 * Voided trades (`obligation.voided` of the operator's `trade.void`). A voided book trade leaves its session's figures
 * (open, high, low, close, trades, volume, value, average, buying and selling accounts are recomputed from the
 * session's trades that stand); the result carries `voids` (how many trades, kg and value were taken out, when). A
 * void after the session closed revises its published result in place, marked with the revision's seq and time
 * (`voids.revisedSeq`, `voids.revisedMs`), and the indices are revised with it (`onRevised`). The band reference is
 * the engine's and does not move: it stays the average of every trade the session made.
 *
 * Complexity. Per event O(1): a trade updates the running totals and two set insertions; an order event one map
 * operation; a session close copies the totals into the history. Memory: the live sell and buy orders' open
 * quantities (to see what an amend adds), the distinct accounts of running sessions, and at most
 * `SESSIONS_KEPT_MAX` closed results per instrument.
 */

import { invariant } from "../domain/errors.ts";
import type { EngineEvent, TradeEvent } from "../engine/events.ts";
import type { Phase } from "../engine/phases.ts";
import { averagePriceTiynPerTonne, tiynOfMilliTiyn, tradeValueMilliTiyn } from "./numbers.ts";
import type { ProjectionOutcome } from "./outcome.ts";
import { Ring } from "./ring.ts";

/** Closed session results kept per instrument (about four years of daily sessions); older ones are in the journal. */
export const SESSIONS_KEPT_MAX = 1000;

export interface SessionResult {
  readonly instrument: string;
  /** 1, 2, 3, ... per instrument. */
  readonly session: number;
  readonly startSeq: number;
  readonly startMs: number;
  /** Null while the session runs. */
  readonly endSeq: number | null;
  readonly endMs: number | null;
  /** The reference price in force when the session began (the centre of its static price band). */
  readonly referencePriceTiynPerTonne: number | null;
  readonly openTiynPerTonne: number | null;
  readonly highTiynPerTonne: number | null;
  readonly lowTiynPerTonne: number | null;
  readonly closeTiynPerTonne: number | null;
  /** Volume-weighted average price, rounded half up; null without trades. */
  readonly vwapTiynPerTonne: number | null;
  readonly trades: number;
  /** Quantity bought, which is the quantity traded. */
  readonly volumeKg: bigint;
  /** Σ price × quantity, exact, in thousandths of a tiyn. */
  readonly valueMilliTiyn: bigint;
  readonly valueTiyn: bigint;
  /** Sell quantity entered during the session (accepted, plus increases by amend). */
  readonly offeredKg: bigint;
  /** Buy quantity entered during the session (accepted, plus increases by amend). */
  readonly bidKg: bigint;
  /** Distinct accounts that bought, and that sold. */
  readonly buyers: number;
  readonly sellers: number;
  /** Present once a trade of the session was voided: the figures above leave those trades out. */
  readonly voids?: SessionVoids;
}

/** What voids took out of a session's results (docs/indices.md, "Voided trades"). */
export interface SessionVoids {
  /** Voided trades, their quantity and their value (thousandths of a tiyn), left out of the figures. */
  readonly trades: number;
  readonly volumeKg: bigint;
  readonly valueMilliTiyn: bigint;
  /** The newest void's seq and time. */
  readonly lastSeq: number;
  readonly lastMs: number;
  /** Set when a void came after the session closed: its published result was revised then (the newest time). */
  readonly revisedSeq: number | null;
  readonly revisedMs: number | null;
}

export interface SessionsOptions {
  /** Called with each session's result when it closes, in seq order (indices.ts listens here). */
  readonly onClosed?: (result: SessionResult) => void;
  /** Called when a void revises a closed session's result, with the result before and after (indices.ts). */
  readonly onRevised?: (before: SessionResult, after: SessionResult) => void;
}

/** A book trade as its session keeps it, so a void can take it out and the results be recomputed exactly. */
export interface SessionFill {
  readonly tradeId: string;
  readonly price: number;
  readonly quantity: number;
  readonly buyAccount: string;
  readonly sellAccount: string;
  voided: boolean;
}

export class RunningSession {
  open: number | null = null;
  high: number | null = null;
  low: number | null = null;
  close: number | null = null;
  trades = 0;
  volumeKg = 0n;
  valueMilliTiyn = 0n;
  offeredKg = 0n;
  bidKg = 0n;
  readonly buyers = new Set<string>();
  readonly sellers = new Set<string>();
  /** Every book trade, in order, voided ones marked. */
  readonly fills: SessionFill[] = [];
  /** Σ value and Σ volume of every trade made, voided or not: the engine's band reference follows these. */
  madeValueMilliTiyn = 0n;
  madeVolumeKg = 0n;
  voids: SessionVoids | null = null;

  constructor(
    readonly session: number,
    readonly startSeq: number,
    readonly startMs: number,
    readonly referencePrice: number | null,
  ) {}

  trade(event: TradeEvent): void {
    const price = event.price;
    if (this.open === null) this.open = price;
    if (this.high === null || price > this.high) this.high = price;
    if (this.low === null || price < this.low) this.low = price;
    this.close = price;
    this.trades++;
    this.volumeKg += BigInt(event.quantity);
    this.valueMilliTiyn += tradeValueMilliTiyn(price, event.quantity);
    this.buyers.add(event.buyAccount);
    this.sellers.add(event.sellAccount);
    this.madeValueMilliTiyn += tradeValueMilliTiyn(price, event.quantity);
    this.madeVolumeKg += BigInt(event.quantity);
    this.fills.push({
      tradeId: event.tradeId,
      price,
      quantity: event.quantity,
      buyAccount: event.buyAccount,
      sellAccount: event.sellAccount,
      voided: false,
    });
  }

  /** Takes a voided trade out; false if it is not one of this session's. `closed`: its result was published. */
  void(tradeId: string, seq: number, timeMs: number, closed: boolean): boolean {
    const fill = this.fills.find((f) => f.tradeId === tradeId && !f.voided);
    if (fill === undefined) return false;
    fill.voided = true;
    const before = this.voids;
    this.voids = {
      trades: (before?.trades ?? 0) + 1,
      volumeKg: (before?.volumeKg ?? 0n) + BigInt(fill.quantity),
      valueMilliTiyn: (before?.valueMilliTiyn ?? 0n) + tradeValueMilliTiyn(fill.price, fill.quantity),
      lastSeq: seq,
      lastMs: timeMs,
      revisedSeq: closed ? seq : (before?.revisedSeq ?? null),
      revisedMs: closed ? timeMs : (before?.revisedMs ?? null),
    };
    this.open = this.high = this.low = this.close = null;
    this.trades = 0;
    this.volumeKg = 0n;
    this.valueMilliTiyn = 0n;
    this.buyers.clear();
    this.sellers.clear();
    for (const f of this.fills) {
      if (f.voided) continue;
      const price = f.price;
      if (this.open === null) this.open = price;
      if (this.high === null || price > this.high) this.high = price;
      if (this.low === null || price < this.low) this.low = price;
      this.close = price;
      this.trades++;
      this.volumeKg += BigInt(f.quantity);
      this.valueMilliTiyn += tradeValueMilliTiyn(price, f.quantity);
      this.buyers.add(f.buyAccount);
      this.sellers.add(f.sellAccount);
    }
    return true;
  }

  result(instrument: string, endSeq: number | null, endMs: number | null): SessionResult {
    return {
      instrument,
      session: this.session,
      startSeq: this.startSeq,
      startMs: this.startMs,
      endSeq,
      endMs,
      referencePriceTiynPerTonne: this.referencePrice,
      openTiynPerTonne: this.open,
      highTiynPerTonne: this.high,
      lowTiynPerTonne: this.low,
      closeTiynPerTonne: this.close,
      vwapTiynPerTonne: averagePriceTiynPerTonne(this.valueMilliTiyn, this.volumeKg),
      trades: this.trades,
      volumeKg: this.volumeKg,
      valueMilliTiyn: this.valueMilliTiyn,
      valueTiyn: tiynOfMilliTiyn(this.valueMilliTiyn),
      offeredKg: this.offeredKg,
      bidKg: this.bidKg,
      buyers: this.buyers.size,
      sellers: this.sellers.size,
      ...(this.voids === null ? {} : { voids: this.voids }),
    };
  }
}

export class InstrumentSessions {
  phase: Phase = "closed";
  reference: number | null = null;
  count = 0;
  running: RunningSession | null = null;
  readonly history = new Ring<SessionResult>(SESSIONS_KEPT_MAX);
  /** The closed sessions' running totals and trades, by session number, as long as their results are kept. */
  readonly closedTotals = new Map<number, RunningSession>();
  /** Trade id → session number, for every book trade of the running and kept sessions. */
  readonly tradeSessions = new Map<string, number>();
}

interface LiveOrder {
  readonly instrument: string;
  readonly sell: boolean;
  open: number;
}

export class SessionResults {
  private readonly instrumentsById = new Map<string, InstrumentSessions>();
  private readonly orders = new Map<string, LiveOrder>();
  private readonly onClosed: ((result: SessionResult) => void) | undefined;
  private readonly onRevised: ((before: SessionResult, after: SessionResult) => void) | undefined;

  constructor(options: SessionsOptions = {}) {
    this.onClosed = options.onClosed;
    this.onRevised = options.onRevised;
  }

  /** Applies one outcome; returns the results of sessions it closed. */
  apply(outcome: ProjectionOutcome): SessionResult[] {
    const closed: SessionResult[] = [];
    for (const event of outcome.events) this.applyEvent(event, outcome, closed);
    return closed;
  }

  private applyEvent(event: EngineEvent, outcome: ProjectionOutcome, closed: SessionResult[]): void {
    switch (event.type) {
      case "instrument.listed":
        this.of(event.instrument).reference = event.referencePrice;
        return;
      case "reference.set":
        this.of(event.instrument).reference = event.price;
        return;
      // An extra session's base price (the previous session's average on the tick) centres its band, and a
      // nationwide re-offer's base price that of the closed instrument it moved to (docs/market-rules.md §10).
      case "session.extraOpened":
        this.of(event.instrument).reference = event.basePrice;
        return;
      case "reoffer.moved":
        if (event.basePrice !== null) this.of(event.reoffer.instrument).reference = event.basePrice;
        return;
      case "phase.changed": {
        const state = this.of(event.instrument);
        state.phase = event.to;
        if (event.to === "closed") {
          const running = state.running;
          if (running === null) return;
          const result = running.result(event.instrument, outcome.seq, outcome.timeMs);
          state.running = null;
          const evicted = state.history.push(result);
          if (evicted !== undefined) this.forget(state, evicted.session);
          state.closedTotals.set(running.session, running);
          // The band reference is the engine's: the average of every trade the session made, a voided one too.
          const reference = averagePriceTiynPerTonne(running.madeValueMilliTiyn, running.madeVolumeKg);
          if (reference !== null) state.reference = reference;
          closed.push(result);
          this.onClosed?.(result);
        } else if (state.running === null) {
          state.count++;
          state.running = new RunningSession(state.count, outcome.seq, outcome.timeMs, state.reference);
        }
        return;
      }
      case "order.accepted": {
        const sell = event.side === "sell";
        this.orders.set(event.orderId, { instrument: event.instrument, sell, open: event.quantity });
        this.entered(event.instrument, sell, event.quantity, outcome);
        return;
      }
      case "order.amended": {
        const order = this.orders.get(event.orderId);
        invariant(order !== undefined, () => `amended order ${event.orderId} is not live`);
        if (event.open > order.open) this.entered(order.instrument, order.sell, event.open - order.open, outcome);
        order.open = event.open;
        return;
      }
      case "order.cancelled":
        this.orders.delete(event.orderId);
        return;
      case "trade": {
        this.filled(event.buyOrderId, event.buyOpen);
        this.filled(event.sellOrderId, event.sellOpen);
        const running = this.runningFor(event.instrument, outcome);
        running.trade(event);
        this.of(event.instrument).tradeSessions.set(event.tradeId, running.session);
        return;
      }
      case "obligation.voided":
        this.voided(event.obligation.instrument, event.obligation.tradeId, outcome);
        return;
      default:
        return;
    }
  }

  /**
   * A voided book trade leaves its session's results. If the session has closed, its kept result is replaced by the
   * revised one (marked with the revision's seq and time) and `onRevised` tells the indices. A negotiated trade, or
   * one whose session is no longer kept, changes nothing here.
   */
  private voided(instrument: string, tradeId: string, outcome: ProjectionOutcome): void {
    const state = this.instrumentsById.get(instrument);
    const session = state?.tradeSessions.get(tradeId);
    if (state === undefined || session === undefined) return;
    if (state.running !== null && state.running.session === session) {
      state.running.void(tradeId, outcome.seq, outcome.timeMs, false);
      return;
    }
    const totals = state.closedTotals.get(session);
    if (totals === undefined) return;
    let at = -1;
    for (let i = 0; i < state.history.length; i++) {
      if (state.history.newestAt(i)!.session === session) {
        at = i;
        break;
      }
    }
    if (at < 0) return;
    const before = state.history.newestAt(at)!;
    if (!totals.void(tradeId, outcome.seq, outcome.timeMs, true)) return;
    const after = totals.result(instrument, before.endSeq, before.endMs);
    state.history.replaceNewestAt(at, after);
    this.onRevised?.(before, after);
  }

  private forget(state: InstrumentSessions, session: number): void {
    const totals = state.closedTotals.get(session);
    if (totals === undefined) return;
    state.closedTotals.delete(session);
    for (const fill of totals.fills) state.tradeSessions.delete(fill.tradeId);
  }

  private entered(instrument: string, sell: boolean, quantityKg: number, outcome: ProjectionOutcome): void {
    const running = this.runningFor(instrument, outcome);
    if (sell) running.offeredKg += BigInt(quantityKg);
    else running.bidKg += BigInt(quantityKg);
  }

  private filled(orderId: string, openAfter: number): void {
    const order = this.orders.get(orderId);
    invariant(order !== undefined, () => `traded order ${orderId} is not live`);
    if (openAfter === 0) this.orders.delete(orderId);
    else order.open = openAfter;
  }

  /** The running session; the engine takes orders and trades only outside `closed`, so there always is one. */
  private runningFor(instrument: string, outcome: ProjectionOutcome): RunningSession {
    const state = this.of(instrument);
    if (state.running === null) {
      // Only reachable if the stream began mid-session; start one here rather than lose the activity.
      state.count++;
      state.running = new RunningSession(state.count, outcome.seq, outcome.timeMs, state.reference);
    }
    return state.running;
  }

  private of(instrument: string): InstrumentSessions {
    let state = this.instrumentsById.get(instrument);
    if (state === undefined) {
      state = new InstrumentSessions();
      this.instrumentsById.set(instrument, state);
    }
    return state;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  instruments(): string[] {
    return [...this.instrumentsById.keys()];
  }

  /** The reference price for the next session's static price band (see the file comment). */
  referencePrice(instrument: string): number | null {
    return this.instrumentsById.get(instrument)?.reference ?? null;
  }

  /** The running session's figures so far (end null), or null when the instrument is closed. */
  current(instrument: string): SessionResult | null {
    const state = this.instrumentsById.get(instrument);
    return state?.running?.result(instrument, null, null) ?? null;
  }

  /** The most recent closed session. */
  last(instrument: string): SessionResult | null {
    return this.instrumentsById.get(instrument)?.history.newest() ?? null;
  }

  /** Closed sessions, newest first. */
  history(instrument: string, limit = SESSIONS_KEPT_MAX): SessionResult[] {
    return this.instrumentsById.get(instrument)?.history.newestFirst(limit) ?? [];
  }

  /** A closed session by number, if still kept. O(kept sessions). */
  session(instrument: string, session: number): SessionResult | null {
    let found: SessionResult | null = null;
    this.instrumentsById.get(instrument)?.history.scanNewestFirst((result) => {
      if (result.session === session) found = result;
      return result.session > session;
    });
    return found;
  }
}
