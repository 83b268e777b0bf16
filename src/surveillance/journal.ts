/**
 * From the exchange's journal to surveillance records: each journal record (a sequenced command and the events the
 * engine produced for it) becomes the records of records.ts, so the detectors that read a history file read a journal
 * the same way (`sauda surveil --journal`, and the server as records become durable).
 *
 * What comes from where:
 * - members, their groups (`member.grouped`, the operator's record of a group of persons) and accounts from their
 *   events; an instrument's delivery basis from its listing (clearing terms, else description);
 * - a session runs from a phase change out of `closed` to the next change into `closed` (as in the session results
 *   view), named `<instrument>:<n>` with n = 1, 2, 3, ... per instrument from the start of the journal;
 * - an order from `order.accepted` (a refused order was never entered), with the price limits in force from the
 *   `LimitsSource` the caller gives (read right after the command was applied: the engine's band, ceiling and floor);
 * - an amend from `order.amended`; a cancel from `order.cancelled` with reason `requested` or `mass-cancel` (the
 *   member's own; expiry, self-trade prevention, price-limit and kill-switch cancellations are the exchange's and are
 *   not messages of the member); a trade from `trade` and `trade.negotiated` (the deal's id as both orders); declared gas from `gas.declared` and withdrawn gas from `gas.withdrawn`; obligations from
 *   `supply.planned`; the regulator's configuration changes from `surveillance.configured`.
 * - the message of an order, amend or cancel is the command's seq (one mass cancel is one message).
 * An amend or cancel counts in the instrument's running session: its order's own session, unless the order (a GTC or
 * GTD order) was carried over from an earlier session, which has ended. A cancel while the instrument is closed counts
 * in no session.
 *
 * Promises: records come out in journal order and keep the promises of records.ts. The adapter keeps a table of the
 * live orders (what the records need to say about an order when it is amended, cancelled or filled); an order leaves
 * it when it is filled or cancelled, so the table is as large as the engine's books.
 *
 * Complexity: O(events) per journal record.
 */

import type { Command } from "../engine/commands.ts";
import type { Engine } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { MarketRecord, Side } from "./records.ts";

export interface PriceLimits {
  readonly upperTiynPerTonne: number | null;
  readonly lowerTiynPerTonne: number | null;
}

/** The price limits in force on an instrument now. */
export type LimitsSource = (instrument: string) => PriceLimits;

/** The limits an engine checks new orders against: the band's edges, the ceiling and the floor, the tighter of each. */
export function engineLimits(engine: Engine): LimitsSource {
  return (instrument) => {
    const market = engine.market(instrument);
    if (market === undefined) return { upperTiynPerTonne: null, lowerTiynPerTonne: null };
    const band = market.band();
    const { ceiling, floor } = market.safeguards;
    const upper = band === null ? ceiling : ceiling === null ? band.high : Math.min(band.high, ceiling);
    const lower = band === null ? floor : floor === null ? band.low : Math.max(band.low, floor);
    return { upperTiynPerTonne: upper, lowerTiynPerTonne: lower };
  };
}

interface InstrumentState {
  readonly basis: string | null;
  sessions: number;
  /** The running session's id; null while closed. */
  running: string | null;
}

interface LiveOrder {
  readonly instrument: string;
  readonly session: string;
  readonly account: string;
  readonly side: Side;
  readonly enteredMs: number;
  readonly quantityKg: number;
  openKg: number;
  filledKg: number;
}

export class JournalAdapter {
  private readonly instruments = new Map<string, InstrumentState>();
  private readonly orders = new Map<string, LiveOrder>();
  private lastTimeMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly emit: (record: MarketRecord) => void,
    private readonly limits: LimitsSource,
  ) {}

  /** The orders the adapter is following (the engine's live orders). */
  get liveOrders(): number {
    return this.orders.size;
  }

  /** The last journal time seen, for `Surveillance.finish`. */
  get lastTime(): number {
    return this.lastTimeMs;
  }

  /** Turns one journal record into surveillance records. */
  record(seq: number, timeMs: number, command: Command, events: readonly EngineEvent[]): void {
    this.lastTimeMs = timeMs;
    for (const event of events) this.event(seq, timeMs, command, event);
  }

  private event(seq: number, timeMs: number, command: Command, event: EngineEvent): void {
    switch (event.type) {
      case "member.added":
        this.emit({ kind: "member", member: event.member, group: null });
        return;
      case "member.grouped":
        this.emit({ kind: "member", member: event.member, group: event.group });
        return;
      case "account.opened":
        this.emit({ kind: "account", account: event.id, member: event.member });
        return;
      case "instrument.listed":
        this.instruments.set(event.instrument, {
          basis: event.clearing?.basis ?? event.description?.basis ?? null,
          sessions: 0,
          running: null,
        });
        return;
      case "phase.changed": {
        const instrument = this.instruments.get(event.instrument);
        if (instrument === undefined) return;
        if (event.to === "closed" && instrument.running !== null) {
          this.emit({ kind: "sessionEnd", timeMs, session: instrument.running });
          instrument.running = null;
        } else if (event.to !== "closed" && instrument.running === null) {
          instrument.sessions++;
          instrument.running = `${event.instrument}:${instrument.sessions}`;
          const limits = this.limits(event.instrument);
          this.emit({
            kind: "session",
            session: instrument.running,
            instrument: event.instrument,
            openMs: timeMs,
            closeMs: null,
            upperLimitTiynPerTonne: limits.upperTiynPerTonne,
            lowerLimitTiynPerTonne: limits.lowerTiynPerTonne,
            basis: instrument.basis,
          });
        }
        return;
      }
      case "order.accepted": {
        const session = this.runningSession(event.instrument);
        if (session === null) return;
        const limits = this.limits(event.instrument);
        this.orders.set(event.orderId, {
          instrument: event.instrument,
          session,
          account: event.account,
          side: event.side,
          enteredMs: timeMs,
          quantityKg: event.quantity,
          openKg: event.quantity,
          filledKg: 0,
        });
        this.emit({
          kind: "order",
          timeMs,
          message: seq,
          session,
          order: event.orderId,
          account: event.account,
          side: event.side,
          priceTiynPerTonne: event.price,
          quantityKg: event.quantity,
          upperLimitTiynPerTonne: limits.upperTiynPerTonne,
          lowerLimitTiynPerTonne: limits.lowerTiynPerTonne,
        });
        return;
      }
      case "order.amended": {
        const order = this.orders.get(event.orderId);
        const session = this.runningSession(event.instrument);
        if (order === undefined) return;
        const addedKg = Math.max(0, event.open - order.openKg);
        order.openKg = event.open;
        if (session === null || command.type !== "order.amend") return;
        this.emit({
          kind: "amend",
          timeMs,
          message: seq,
          session,
          order: event.orderId,
          account: order.account,
          side: order.side,
          priceTiynPerTonne: command.price ?? null,
          quantityKg: command.quantity ?? null,
          addedKg,
        });
        return;
      }
      case "order.cancelled": {
        const order = this.orders.get(event.orderId);
        if (order === undefined) return;
        this.orders.delete(event.orderId);
        if (event.reason !== "requested" && event.reason !== "mass-cancel") return;
        const session = this.runningSession(event.instrument);
        if (session === null) return;
        this.emit({
          kind: "cancel",
          timeMs,
          message: seq,
          session,
          order: event.orderId,
          account: order.account,
          side: order.side,
          orderSession: order.session,
          enteredMs: order.enteredMs,
          quantityEnteredKg: order.quantityKg,
          filledKg: order.filledKg,
        });
        return;
      }
      case "trade.negotiated": {
        // A negotiated deal has no orders behind it: the deal's id stands for both, so every trade rule (wash
        // trades between accounts of one group first) sees it like a book trade.
        const session = this.runningSession(event.instrument);
        if (session === null) return;
        this.emit({
          kind: "trade",
          timeMs,
          session,
          trade: event.tradeId,
          buyOrder: event.deal,
          sellOrder: event.deal,
          buyAccount: event.buyAccount,
          sellAccount: event.sellAccount,
          priceTiynPerTonne: event.price,
          quantityKg: event.quantity,
        });
        return;
      }
      case "trade": {
        this.filled(event.buyOrderId, event.quantity, event.buyOpen);
        this.filled(event.sellOrderId, event.quantity, event.sellOpen);
        const session = this.runningSession(event.instrument);
        if (session === null) return;
        this.emit({
          kind: "trade",
          timeMs,
          session,
          trade: event.tradeId,
          buyOrder: event.buyOrderId,
          sellOrder: event.sellOrderId,
          buyAccount: event.buyAccount,
          sellAccount: event.sellAccount,
          priceTiynPerTonne: event.price,
          quantityKg: event.quantity,
        });
        return;
      }
      case "surveillance.configured":
        this.emit({ kind: "config", timeMs, config: event.config });
        return;
      case "gas.declared":
        this.emit({ kind: "declared", timeMs, account: event.account, basis: event.basis, quantityKg: event.quantity });
        return;
      case "gas.withdrawn":
        this.emit({
          kind: "withdrawn",
          timeMs,
          account: event.account,
          basis: event.basis,
          quantityKg: event.quantity,
        });
        return;
      case "supply.planned":
        this.emit({
          kind: "obligation",
          member: event.producer,
          basis: event.basis,
          month: event.month,
          quantityKg: event.plannedKg,
        });
        return;
      default:
        return;
    }
  }

  private filled(orderId: string, quantityKg: number, openKg: number): void {
    const order = this.orders.get(orderId);
    if (order === undefined) return;
    order.filledKg += quantityKg;
    order.openKg = openKg;
    if (openKg === 0) this.orders.delete(orderId);
  }

  private runningSession(instrument: string): string | null {
    return this.instruments.get(instrument)?.running ?? null;
  }
}
