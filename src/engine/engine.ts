/**
 * The exchange engine: one deterministic, synchronous state machine. `apply(sequencedCommand)` checks the command
 * in full, then changes the state and returns the events that tell what happened, in order. It reads no clock, does
 * no I/O and draws no random numbers: time and ids arrive inside commands, so the same journal always gives the same
 * events and the same state hash.
 *
 * Promises:
 * - A refused command changes nothing and yields exactly one `rejected` event whose code is in the error registry.
 * - Order ids are unique among all orders the engine has seen, live or done.
 * - `snapshot()` → `Engine.restore()` gives an engine with the same `stateHash()` that behaves identically.
 */

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import {
  type ErrorCode,
  type ErrorDetails,
  InvariantError,
  invariant,
  type Problem,
  problem,
} from "../domain/errors.ts";
import {
  ACCOUNT_ID_LENGTH_MAX,
  isSafeWholeNumber,
  ORDER_ID_LENGTH_MAX,
  ORDER_PRICE_MAX,
  ORDER_QUANTITY_MAX,
  ORDER_TYPES,
  type OrderType,
  SIDES,
  type Side,
  STP_MODE_DEFAULT,
  STP_MODES,
  type StpMode,
  TIMES_IN_FORCE,
  type TimeInForce,
} from "../domain/order.ts";
import type { AuctionOutcome } from "./auction.ts";
import { NIL } from "./book.ts";
import { COMMAND_TYPES, type Command, type NewOrderCommand, type SequencedCommand } from "./commands.ts";
import type { EngineEvent } from "./events.ts";
import { type InstrumentSpec, Market, type MarketSnapshot, type OrderRecord, type OrderStatus } from "./market.ts";
import { isPhase, TRADING_MODES, type TradingMode } from "./phases.ts";

export const INSTRUMENT_ID_LENGTH_MAX = 64;
export const INSTRUMENTS_MAX = 10_000;

/** The serialisable state of an engine: enough to rebuild it exactly. */
export interface EngineSnapshot {
  readonly version: 1;
  readonly lastSeq: number;
  readonly nowMs: number;
  readonly markets: readonly MarketSnapshot[];
  /** Every order ever seen, sorted by id. Done orders keep only what identifies them. */
  readonly orders: readonly OrderSnapshot[];
}

export interface OrderSnapshot {
  readonly id: string;
  readonly instrument: string;
  readonly account: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly price: number | null;
  readonly open: number;
  readonly filled: number;
  readonly tif: TimeInForce;
  readonly expireAtMs: number | null;
  readonly postOnly: boolean;
  readonly stp: StpMode;
  readonly status: OrderStatus;
  readonly entry: number;
}

export class Engine {
  private readonly markets = new Map<string, Market>();
  private readonly orders = new Map<string, OrderRecord>();
  private lastSeqValue = 0;
  private nowMsValue = 0;

  get lastSeq(): number {
    return this.lastSeqValue;
  }

  get nowMs(): number {
    return this.nowMsValue;
  }

  /** Applies one sequenced command; returns its events. */
  apply(sequenced: SequencedCommand): EngineEvent[] {
    if (!(sequenced.seq > this.lastSeqValue)) {
      throw new InvariantError(`command seq ${sequenced.seq} after ${this.lastSeqValue}: the sequencer is broken`);
    }
    const out: EngineEvent[] = [];
    const command = sequenced.command as Command | null | undefined;
    const kind = typeof command?.type === "string" ? command.type : "unknown";
    if (!isSafeWholeNumber(sequenced.timeMs) || sequenced.timeMs < this.nowMsValue) {
      this.lastSeqValue = sequenced.seq;
      out.push(rejected(kind, null, problem("TIME_NOT_MONOTONIC", { value: sequenced.timeMs, now: this.nowMsValue })));
      return out;
    }
    this.lastSeqValue = sequenced.seq;
    this.nowMsValue = sequenced.timeMs;
    for (const market of this.markets.values()) {
      if (market.hasExpiryDue(this.nowMsValue)) market.expireDue(this.nowMsValue, out);
    }
    if (typeof command !== "object" || command === null || !COMMAND_TYPES.includes(command.type)) {
      out.push(rejected(kind, null, problem("COMMAND_UNKNOWN", { op: kind, allowed: COMMAND_TYPES.join(", ") })));
      return out;
    }
    const refusal = this.dispatch(command, out);
    if (refusal) out.push(rejected(command.type, orderIdOf(command), refusal));
    return out;
  }

  /** Runs a command; returns the problem if it is refused (and then has changed nothing). */
  private dispatch(command: Command, out: EngineEvent[]): Problem | null {
    switch (command.type) {
      case "instrument.list":
        return this.listInstrument(command, out);
      case "order.new":
        return this.newOrder(command, out);
      case "order.amend": {
        const order = this.orders.get(command.orderId);
        const found = this.requireLive(command.orderId, order);
        if (found) return found;
        const price = command.price ?? null;
        const quantity = command.quantity ?? null;
        if (price === null && quantity === null) return problem("ORDER_AMEND_EMPTY", { id: command.orderId });
        if (price !== null && !validPrice(price)) {
          return problem("ORDER_PRICE_INVALID", { value: show(price), max: ORDER_PRICE_MAX });
        }
        if (quantity !== null && !validQuantity(quantity)) {
          return problem("ORDER_QUANTITY_INVALID", { value: show(quantity), max: ORDER_QUANTITY_MAX });
        }
        const market = this.markets.get(order!.instrument)!;
        const refusal = market.checkAmend(order!, price, quantity);
        if (refusal) return refusal;
        market.amend(order!, price, quantity, out);
        return null;
      }
      case "order.cancel": {
        const order = this.orders.get(command.orderId);
        const found = this.requireLive(command.orderId, order);
        if (found) return found;
        this.markets.get(order!.instrument)!.cancel(order!, "requested", out);
        return null;
      }
      case "order.massCancel": {
        if (!validId(command.account, ACCOUNT_ID_LENGTH_MAX)) {
          return problem("ACCOUNT_INVALID", { value: show(command.account), rule: idRule(ACCOUNT_ID_LENGTH_MAX) });
        }
        const only = command.instrument ?? null;
        if (only !== null && !this.markets.has(only)) return problem("INSTRUMENT_NOT_FOUND", { id: show(only) });
        for (const market of this.markets.values()) {
          if (only === null || market.id === only) market.massCancel(command.account, out);
        }
        return null;
      }
      case "phase.set": {
        const market = this.markets.get(command.instrument);
        if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(command.instrument) });
        if (!isPhase(command.phase)) {
          return problem("FIELD_INVALID", { field: "phase", value: show(command.phase), rule: "not a phase" });
        }
        const refusal = market.checkPhase(command.phase);
        if (refusal) return refusal;
        market.setPhase(command.phase, out);
        return null;
      }
      case "reference.set": {
        const market = this.markets.get(command.instrument);
        if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(command.instrument) });
        if (command.price !== null && !validPrice(command.price)) {
          return problem("ORDER_PRICE_INVALID", { value: show(command.price), max: ORDER_PRICE_MAX });
        }
        market.referencePrice = command.price;
        out.push({ type: "reference.set", instrument: market.id, price: command.price });
        return null;
      }
      case "time.tick":
        return null;
    }
  }

  private listInstrument(command: Command & { type: "instrument.list" }, out: EngineEvent[]): Problem | null {
    const { instrument, mode, tickSize, lotSize } = command;
    const referencePrice = command.referencePrice ?? null;
    if (!validId(instrument, INSTRUMENT_ID_LENGTH_MAX)) {
      return problem("INSTRUMENT_INVALID", { reason: `id ${show(instrument)}: ${idRule(INSTRUMENT_ID_LENGTH_MAX)}` });
    }
    if (this.markets.has(instrument)) return problem("INSTRUMENT_EXISTS", { id: instrument });
    if (this.markets.size >= INSTRUMENTS_MAX) {
      return problem("INSTRUMENT_INVALID", { reason: `at most ${INSTRUMENTS_MAX} instruments may be listed` });
    }
    if (!(TRADING_MODES as readonly string[]).includes(mode)) {
      return problem("INSTRUMENT_INVALID", { reason: `mode ${show(mode)} is not one of ${TRADING_MODES.join(", ")}` });
    }
    if (!validPrice(tickSize)) {
      return problem("INSTRUMENT_INVALID", {
        reason: `tick size ${show(tickSize)} must be from 1 to ${ORDER_PRICE_MAX}`,
      });
    }
    if (!validQuantity(lotSize)) {
      return problem("INSTRUMENT_INVALID", {
        reason: `lot size ${show(lotSize)} must be from 1 to ${ORDER_QUANTITY_MAX}`,
      });
    }
    if (referencePrice !== null && (!validPrice(referencePrice) || referencePrice % tickSize !== 0)) {
      return problem("INSTRUMENT_INVALID", {
        reason: `reference price ${show(referencePrice)} must be a multiple of the tick ${tickSize}`,
      });
    }
    const spec: InstrumentSpec = { id: instrument, mode: mode as TradingMode, tickSize, lotSize };
    this.markets.set(instrument, new Market(spec, referencePrice));
    out.push({ type: "instrument.listed", instrument, mode, tickSize, lotSize, referencePrice });
    return null;
  }

  private newOrder(command: NewOrderCommand, out: EngineEvent[]): Problem | null {
    const refusal = this.checkNewOrder(command);
    if (refusal) return refusal;
    const market = this.markets.get(command.instrument)!;
    const orderType = command.orderType;
    const order: OrderRecord = {
      id: command.orderId,
      instrument: command.instrument,
      account: command.account,
      side: command.side,
      orderType,
      price: orderType === "limit" ? command.price! : null,
      open: command.quantity,
      filled: 0,
      tif: command.tif ?? (orderType === "limit" ? "GTC" : "IOC"),
      expireAtMs: command.expireAtMs ?? null,
      postOnly: command.postOnly ?? false,
      stp: command.stp ?? STP_MODE_DEFAULT,
      status: "resting",
      handle: NIL,
      entry: market.nextEntry(),
    };
    this.orders.set(order.id, order);
    market.enter(order, out);
    return null;
  }

  /** Every check on a new order, in a fixed order so the first problem found is always the same. */
  private checkNewOrder(command: NewOrderCommand): Problem | null {
    const { orderId, account, side, orderType, quantity } = command;
    if (!validId(orderId, ORDER_ID_LENGTH_MAX)) {
      return problem("ORDER_ID_INVALID", { value: show(orderId), rule: idRule(ORDER_ID_LENGTH_MAX) });
    }
    if (this.orders.has(orderId)) return problem("ORDER_ID_DUPLICATE", { id: orderId });
    const market = this.markets.get(command.instrument);
    if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(command.instrument) });
    if (!validId(account, ACCOUNT_ID_LENGTH_MAX)) {
      return problem("ACCOUNT_INVALID", { value: show(account), rule: idRule(ACCOUNT_ID_LENGTH_MAX) });
    }
    if (!(SIDES as readonly unknown[]).includes(side)) return problem("ORDER_SIDE_INVALID", { value: show(side) });
    if (!(ORDER_TYPES as readonly unknown[]).includes(orderType)) {
      return problem("ORDER_TYPE_INVALID", { value: show(orderType) });
    }
    const price = command.price ?? null;
    if (orderType === "limit") {
      if (price === null) return problem("ORDER_PRICE_REQUIRED");
      if (!validPrice(price)) return problem("ORDER_PRICE_INVALID", { value: show(price), max: ORDER_PRICE_MAX });
      const offTick = market.checkPrice(price);
      if (offTick) return offTick;
    } else if (price !== null) {
      return problem("ORDER_PRICE_NOT_ALLOWED", { value: show(price) });
    }
    if (!validQuantity(quantity)) {
      return problem("ORDER_QUANTITY_INVALID", { value: show(quantity), max: ORDER_QUANTITY_MAX });
    }
    const offLot = market.checkQuantity(quantity);
    if (offLot) return offLot;
    const tif = command.tif ?? (orderType === "limit" ? "GTC" : "IOC");
    if (!(TIMES_IN_FORCE as readonly unknown[]).includes(tif)) {
      return problem("ORDER_TIF_INVALID", { value: show(tif), allowed: TIMES_IN_FORCE.join(", ") });
    }
    const expireAtMs = command.expireAtMs ?? null;
    if (tif === "GTD") {
      if (!isSafeWholeNumber(expireAtMs) || expireAtMs <= this.nowMsValue) {
        return problem("ORDER_EXPIRY_INVALID", { value: show(expireAtMs), now: this.nowMsValue });
      }
    } else if (expireAtMs !== null) {
      return problem("FIELD_INVALID", { field: "expireAtMs", value: show(expireAtMs), rule: "only GTD orders expire" });
    }
    const postOnly = command.postOnly ?? false;
    if (typeof postOnly !== "boolean") {
      return problem("FIELD_INVALID", { field: "postOnly", value: show(postOnly), rule: "expected true or false" });
    }
    if (postOnly && (orderType !== "limit" || tif === "IOC" || tif === "FOK")) {
      return problem("ORDER_POST_ONLY_INVALID", {
        context: orderType === "limit" ? `time in force ${tif}` : "a market order",
      });
    }
    const stp = command.stp ?? STP_MODE_DEFAULT;
    if (!(STP_MODES as readonly unknown[]).includes(stp)) {
      return problem("ORDER_STP_INVALID", { value: show(stp), allowed: STP_MODES.join(", ") });
    }
    return market.checkEntry(orderType, tif);
  }

  private requireLive(orderId: unknown, order: OrderRecord | undefined): Problem | null {
    if (!validId(orderId, ORDER_ID_LENGTH_MAX)) {
      return problem("ORDER_ID_INVALID", { value: show(orderId), rule: idRule(ORDER_ID_LENGTH_MAX) });
    }
    if (!order) return problem("ORDER_NOT_FOUND", { id: orderId });
    if (order.status !== "resting") return problem("ORDER_NOT_RESTING", { id: orderId, status: order.status });
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  market(instrument: string): Market | undefined {
    return this.markets.get(instrument);
  }

  instruments(): string[] {
    return [...this.markets.keys()];
  }

  order(orderId: string): Readonly<OrderRecord> | undefined {
    return this.orders.get(orderId);
  }

  indicative(instrument: string): AuctionOutcome | undefined {
    return this.markets.get(instrument)?.indicative();
  }

  /** Checks every market's structural invariants; throws `InvariantError` on the first broken one. */
  checkInvariants(): void {
    let live = 0;
    for (const market of this.markets.values()) {
      market.checkInvariants();
      live += market.liveOrderCount;
    }
    let resting = 0;
    for (const order of this.orders.values()) if (order.status === "resting") resting++;
    invariant(live === resting, () => `books hold ${live} orders, records say ${resting} are resting`);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Snapshot, restore and the state hash.

  snapshot(): EngineSnapshot {
    const orders = [...this.orders.values()]
      .map(
        (order): OrderSnapshot => ({
          id: order.id,
          instrument: order.instrument,
          account: order.account,
          side: order.side,
          orderType: order.orderType,
          price: order.price,
          open: order.open,
          filled: order.filled,
          tif: order.tif,
          expireAtMs: order.expireAtMs,
          postOnly: order.postOnly,
          stp: order.stp,
          status: order.status,
          entry: order.entry,
        }),
      )
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const markets = [...this.markets.values()]
      .map((market) => market.snapshot())
      .sort((a, b) => (a.spec.id < b.spec.id ? -1 : 1));
    return { version: 1, lastSeq: this.lastSeqValue, nowMs: this.nowMsValue, markets, orders };
  }

  static restore(snapshot: EngineSnapshot): Engine {
    invariant(snapshot.version === 1, () => `snapshot version ${snapshot.version} is not supported`);
    const engine = new Engine();
    engine.lastSeqValue = snapshot.lastSeq;
    engine.nowMsValue = snapshot.nowMs;
    for (const saved of snapshot.orders) engine.orders.set(saved.id, { ...saved, handle: NIL });
    for (const saved of snapshot.markets) engine.markets.set(saved.spec.id, Market.restore(saved, engine.orders));
    return engine;
  }

  /** SHA-256 (hex) of the canonical snapshot: equal states give equal hashes, on any machine. */
  stateHash(): string {
    return hashSnapshot(this.snapshot());
  }
}

export function hashSnapshot(snapshot: EngineSnapshot): string {
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify(snapshot))));
}

function rejected(command: string, orderId: string | null, refusal: Problem): EngineEvent {
  return {
    type: "rejected",
    command,
    orderId,
    code: refusal.code as ErrorCode,
    message: refusal.message,
    details: refusal.details as ErrorDetails,
  };
}

function orderIdOf(command: Command): string | null {
  return "orderId" in command && typeof command.orderId === "string" ? command.orderId : null;
}

function validId(value: unknown, lengthMax: number): value is string {
  // Printable ASCII without spaces keeps ids safe in logs, URLs and CSV.
  return typeof value === "string" && value.length > 0 && value.length <= lengthMax && /^[\x21-\x7e]+$/.test(value);
}

function idRule(lengthMax: number): string {
  return `an id is 1 to ${lengthMax} printable ASCII characters without spaces`;
}

function validPrice(value: unknown): value is number {
  return isSafeWholeNumber(value) && value >= 1 && value <= ORDER_PRICE_MAX;
}

function validQuantity(value: unknown): value is number {
  return isSafeWholeNumber(value) && value >= 1 && value <= ORDER_QUANTITY_MAX;
}

/** A value as it should appear in an error sentence. */
function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = typeof value === "string" ? `'${value}'` : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
