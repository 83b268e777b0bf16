/**
 * The exchange engine: one deterministic, synchronous state machine. `apply(sequencedCommand)` checks the command
 * in full, then changes the state and returns the events that tell what happened, in order. It reads no clock, does
 * no I/O and draws no random numbers: time and ids arrive inside commands, so the same journal always gives the same
 * events and the same state hash.
 *
 * Layout: `apply` runs what time brings, then `dispatch` hands the command to the concern that owns it (orders;
 * instruments and their phases; the regulator's safeguards; members and accounts; money, gas, settlement and delivery
 * (stations, shipments, arrivals: delivery.ts) go to the clearing house; users and keys to access.ts; the surveillance
 * configuration and cases to surveillance.ts; the rulebook's remedies — re-offer in an extra session, the nationwide
 * fallback, negotiated deals — to their section below, with the state in remedies.ts), each in its own section below
 * or its own file.
 *
 * Promises:
 * - A refused command changes nothing and yields exactly one `rejected` event whose code is in the error registry.
 * - Order ids are unique among all orders the engine has seen, live or done (a done order's id is kept until its
 *   instrument closes, with only what the rules still need: `DoneOrder`).
 * - `snapshot()` → `Engine.restore()` gives an engine with the same `stateHash()` that behaves identically.
 */

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { BPS_PER_UNIT, blockPerTonneTiyn, KG_PER_TONNE } from "../domain/collateral.ts";
import {
  type ErrorCode,
  type ErrorDetails,
  InvariantError,
  invariant,
  type Problem,
  problem,
} from "../domain/errors.ts";
import {
  INSTRUMENT_ID_LENGTH_MAX,
  type InstrumentTransport,
  TRANSPORT_MODES,
  TRANSPORT_UNIT_KG_MAX,
  TRANSPORT_UNIT_KG_MIN,
} from "../domain/instrument.ts";
import {
  CLEARING_WINDOW_MS_MAX,
  ID_LENGTH_MAX,
  NAME_LENGTH_MAX,
  PLANNED_KG_MAX,
  REASON_LENGTH_MAX,
} from "../domain/limits.ts";
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
import { Access, type AccessSnapshot } from "./access.ts";
import { Accreditation, type AccreditationSnapshot } from "./accreditations.ts";
import type { AuctionOutcome } from "./auction.ts";
import { NIL } from "./book.ts";
import { checkCalendar } from "./calendar.ts";
import type { ClearingTerms } from "./clearing.ts";
import { ClearingHouse, type ClearingHouseSnapshot, type ClearingHouseSnapshotV5 } from "./clearinghouse.ts";
import {
  type Column,
  ColumnReader,
  columnLength,
  encodeColumn,
  encodeIds,
  type IdColumn,
  IdColumnReader,
  RandomColumn,
  StringTable,
  TextColumnReader,
} from "./columns.ts";
import {
  COMMAND_TYPES,
  type Command,
  type InstrumentDescription,
  type NewOrderCommand,
  type SequencedCommand,
} from "./commands.ts";
import type { EngineEvent } from "./events.ts";
import {
  type DoneOrder,
  type InstrumentSpec,
  Market,
  type MarketSnapshot,
  type MarketSnapshotV4,
  type OrderRecord,
  type OrderStatus,
} from "./market.ts";
import { applyNoticeCommand } from "./notices.ts";
import { OrderIndex } from "./order-index.ts";
import { isPhase, TRADING_MODES, type TradingMode } from "./phases.ts";
import {
  NEGOTIATED_PENDING_PER_ACCOUNT_MAX,
  nationwideFor,
  REOFFERS_PER_INSTRUMENT_MAX,
  Remedies,
  type RemediesSnapshot,
  type RemedyCommand,
  roundToTick,
} from "./remedies.ts";
import { type OrderColumnsIn, RestoredOrders } from "./restored-orders.ts";
import { checkSafeguards, NO_SAFEGUARDS, type Safeguards } from "./safeguards.ts";
import { SurveillanceDesk, type SurveillanceSnapshot } from "./surveillance.ts";
import { setVat } from "./vat.ts";

export const INSTRUMENTS_MAX = 10_000;

/** The serialisable state of an engine: enough to rebuild it exactly. */
export interface EngineSnapshot {
  /**
   * 2: trade ids count trades per session (the session's number and trade count are in each market's state).
   * 3: done orders are kept as `DoneOrder`s (`done`), not as full records among `orders`.
   * 4: live orders by column (`OrderColumns`), their repeated strings named once: a third of the bytes, and parsed and
   *    restored several times faster. A version 3 snapshot is still read (`EngineSnapshotV3`).
   * 5: live orders market by market in book priority order (the markets count them instead of naming their ids), and
   *    a column of repeated entries as runs (`Column`): no second list of ids, no lookup per order at the restore, and
   *    half the bytes. Versions 3 and 4 are still read (`EngineSnapshotV3`, `EngineSnapshotV4`).
   * 6: done orders (`DoneColumns`) and clearing obligations (`ObligationColumns`, clearing.ts) by column too, their
   *    strings named once, counter-made ids as a stem and a number (`IdColumn`), fields that follow from others left
   *    out: at 1,000,000 commands of the bench workload 38.5 MB instead of 200.8 MB. A restore indexes the done orders
   *    and obligations by id later (`warm`, or the first lookup that needs it). Versions 3 to 5 are still read
   *    (`EngineSnapshotV5` and older).
   */
  readonly version: 6;
  readonly lastSeq: number;
  readonly nowMs: number;
  /** In listing order. */
  readonly markets: readonly MarketSnapshot[];
  /** Live (resting) orders: each market's in listing order, its bids then its asks, each side in priority order. */
  readonly orders: OrderColumnsV5;
  /** Orders done in the current session of their instrument, sorted by id, by column. */
  readonly done: DoneColumns;
  readonly house: ClearingHouseSnapshot;
  /** Users and API keys; left out while there are none, so states from before they were journaled hash the same. */
  readonly access?: AccessSnapshot;
  /** Applications and exclusions; left out while there are none, so older states hash the same. */
  readonly accreditation?: AccreditationSnapshot;
  /** The surveillance configuration and open cases; left out while there are none (same reason as `access`). */
  readonly surveillance?: SurveillanceSnapshot;
  /** Re-offers, extra sessions and negotiated deals (remedies.ts); left out while there are none. */
  readonly remedies?: RemediesSnapshot;
}

/** Version 5's format: done orders and obligations one object each. Read, no longer written. */
export interface EngineSnapshotV5 extends Omit<EngineSnapshot, "version" | "done" | "house"> {
  readonly version: 5;
  readonly done: readonly DoneOrder[];
  readonly house: ClearingHouseSnapshotV5;
}

/**
 * Version 6's done orders by column, sorted by id: the i-th entry of every column is the i-th done order. `instrument`,
 * `status` and `content` are indexes into `strings` (each distinct string once, in the order the rows first name
 * them: every id's stem first, then instrument, status and content of the first order, then of the next).
 */
export interface DoneColumns {
  readonly strings: readonly string[];
  readonly id: IdColumn;
  readonly instrument: Column<number>;
  readonly status: Column<number>;
  readonly open: Column<number>;
  readonly filled: Column<number>;
  readonly content: Column<number>;
}

/** Version 4's format: live orders by column, sorted by id, named by id in the markets. Read, no longer written. */
export interface EngineSnapshotV4 extends Omit<EngineSnapshotV5, "version" | "orders" | "markets"> {
  readonly version: 4;
  readonly markets: readonly MarketSnapshotV4[];
  readonly orders: OrderColumns;
}

/** The format before version 4: live orders as one object each. Read by `Engine.restore`, no longer written. */
export interface EngineSnapshotV3 extends Omit<EngineSnapshotV4, "version" | "orders"> {
  readonly version: 3;
  readonly orders: readonly OrderSnapshot[];
}

/** A live order as version 3 stored it. */
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
  readonly quantity: number;
  readonly content: string;
  readonly collateralBps: number;
  readonly feeBps: number;
  readonly blockPerTonne: number;
}

/**
 * Version 5's live orders by column: as `OrderColumns` (the same fields, strings named once in `strings` in the order
 * the columns first use them), but in the order `EngineSnapshot.orders` says and every column but the id as a
 * `Column` (runs where they are shorter).
 */
export type OrderColumnsV5 = OrderColumnsIn;

/**
 * Version 4's live orders by column, sorted by id: the i-th entry of every column is the i-th order. The string fields other than
 * the id (instrument, account, side, type, time in force, self-trade mode, status, content) are indexes into
 * `strings`, which holds each distinct one once, in the order the columns first use them (instrument, account, ...,
 * content of the first order, then of the next): the same state always gives the same columns. `postOnly` is 0 or 1.
 */
export interface OrderColumns {
  readonly strings: readonly string[];
  readonly id: readonly string[];
  readonly instrument: readonly number[];
  readonly account: readonly number[];
  readonly side: readonly number[];
  readonly orderType: readonly number[];
  readonly price: readonly (number | null)[];
  readonly open: readonly number[];
  readonly filled: readonly number[];
  readonly tif: readonly number[];
  readonly expireAtMs: readonly (number | null)[];
  readonly postOnly: readonly number[];
  readonly stp: readonly number[];
  readonly status: readonly number[];
  readonly entry: readonly number[];
  readonly quantity: readonly number[];
  readonly content: readonly number[];
  readonly collateralBps: readonly number[];
  readonly feeBps: readonly number[];
  readonly blockPerTonne: readonly number[];
}

/** The commands of each concern `dispatch` hands a command to. */
type OrderCommand = Extract<Command, { type: "order.new" | "order.amend" | "order.cancel" | "order.massCancel" }>;
type InstrumentCommand = Extract<
  Command,
  {
    type:
      | "instrument.list"
      | "instrument.update"
      | "instrument.suspend"
      | "calendar.set"
      | "phase.set"
      | "reference.set";
  }
>;
type SafeguardCommand = Extract<Command, { type: "safeguards.set" | "halt" | "resume" | "supply.plan" }>;
type MemberCommand = Extract<
  Command,
  { type: "member.add" | "member.suspend" | "member.reinstate" | "member.group" | "account.open" }
>;

/** The format `snapshot()` writes and `restore()` reads (`EngineSnapshot.version`). */
export const ENGINE_SNAPSHOT_VERSION = 6;
/** The oldest format `restore()` reads. */
export const ENGINE_SNAPSHOT_VERSION_READ_MIN = 3;

export class Engine {
  private readonly markets = new Map<string, Market>();
  /** Live orders (resting, or being entered by the command running now). */
  private readonly orders = new OrderIndex<OrderRecord>();
  /** Orders done in the current session of their instrument, by id; and their ids by instrument (for the close). */
  private readonly done = new OrderIndex<DoneOrder>();
  private readonly doneOf = new Map<string, string[]>();
  private house = new ClearingHouse();
  private access = new Access();
  private accreditation = new Accreditation();
  private desk = new SurveillanceDesk();
  private remedies = new Remedies();
  /** True while the engine itself enters a re-offer's sell order into an extra session. */
  private enteringReoffer = false;
  /** Markets whose state has a timer (GTD orders, a running auction, a ceiling path); see `trackTimer`. */
  private readonly timedMarkets = new Set<Market>();
  /** Each market's place in the listing order (the order of `markets`). */
  private readonly listingIndex = new Map<Market, number>();
  private lastSeqValue = 0;
  private nowMsValue = 0;
  /** A live order's record by id, for the clearing house to follow market events (made once, not per operation). */
  private readonly liveOrder = (id: string): OrderRecord => this.orders.get(id)!;

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
    // Only markets with a timer can have work due, so only those are looked at: a command's cost does not grow with
    // the instruments listed over the months. The due ones are visited in listing order, so the events come out in
    // the same order always (also after a restore, which rebuilds the set in another order). A market's timers
    // depend on its own state only, so which markets are due does not change while others are being served.
    if (this.timedMarkets.size > 0) {
      const due: Market[] = [];
      for (const market of this.timedMarkets) {
        if (market.hasExpiryDue(this.nowMsValue) || market.hasTimeDue(this.nowMsValue)) due.push(market);
      }
      if (due.length > 1) due.sort((a, b) => this.listingIndex.get(a)! - this.listingIndex.get(b)!);
      for (const market of due) {
        if (market.hasExpiryDue(this.nowMsValue)) {
          this.inMarket(market, out, (local) => market.expireDue(this.nowMsValue, local));
        }
        if (market.hasTimeDue(this.nowMsValue)) {
          this.inMarket(market, out, (local) => market.advanceTime(this.nowMsValue, local));
        }
      }
    }
    if (this.house.hasDue(this.nowMsValue)) this.house.processDue(this.nowMsValue, out);
    if (typeof command !== "object" || command === null || !COMMAND_TYPES.includes(command.type)) {
      out.push(rejected(kind, null, problem("COMMAND_UNKNOWN", { op: kind, allowed: COMMAND_TYPES.join(", ") })));
      return out;
    }
    const refusal = this.dispatch(command, out);
    if (refusal) out.push(rejected(command.type, orderIdOf(command), refusal));
    return out;
  }

  /**
   * Runs a command; returns the problem if it is refused (and then has changed nothing). Each command goes to the
   * concern that owns it; the concern checks it in full before it changes anything.
   */
  private dispatch(command: Command, out: EngineEvent[]): Problem | null {
    switch (command.type) {
      case "order.new":
      case "order.amend":
      case "order.cancel":
      case "order.massCancel":
        return this.orderCommand(command, out);
      case "instrument.list":
      case "instrument.update":
      case "instrument.suspend":
      case "calendar.set":
      case "phase.set":
      case "reference.set":
        return this.instrumentCommand(command, out);
      case "safeguards.set":
      case "halt":
      case "resume":
      case "supply.plan":
        return this.safeguardCommand(command, out);
      case "outage.publish":
        return this.publishOutage(command, out);
      case "member.add":
      case "member.suspend":
      case "member.reinstate":
      case "member.group":
      case "account.open":
        return this.memberCommand(command, out);
      case "money.deposit":
      case "money.withdraw":
        return this.house.moveMoney(command, out);
      case "gas.declare":
      case "gas.withdraw": {
        // Gas is declared at a delivery basis the exchange trades: one of a cleared instrument's.
        if (command.type === "gas.declare" && validId(command.basis, 64) && !this.tradesAtBasis(command.basis)) {
          return problem("BASIS_UNKNOWN", { basis: show(command.basis) });
        }
        return this.house.moveGas(command, out);
      }
      case "obligation.confirmPayment":
      case "obligation.confirmDelivery":
        return this.house.confirm(command, out);
      case "trade.void":
        return checkReason(command.reason) ?? this.voidAndReoffer(command, out);
      case "session.extra":
      case "negotiated.submit":
      case "negotiated.accept":
      case "negotiated.reject":
        return this.remedyCommand(command, out);
      case "station.register":
        return this.house.registerStation(command, this.nowMsValue, out);
      case "shipment.dispatch":
        return this.house.dispatchShipment(
          command,
          (instrument) => this.markets.get(instrument)?.spec.description?.region ?? null,
          this.nowMsValue,
          out,
        );
      case "shipment.arrive":
        return this.house.arriveShipment(command, this.nowMsValue, out);
      case "user.create":
      case "user.disable":
      case "user.enable":
      case "user.password":
      case "user.secondFactor":
      case "user.language":
      case "apiKey.create":
      case "apiKey.revoke":
        return this.access.apply(command, (member) => this.house.members.hasMember(member), out);
      case "tariff.set":
      case "application.submit":
      case "application.approve":
      case "application.refuse":
        return this.accreditation.apply(command, this.house, this.nowMsValue, out);
      case "member.exclude": {
        // Exclusion: the kill switch (unless the member is suspended already), then the bar on readmission.
        const refusal = this.accreditation.checkExclude(command, this.house);
        if (refusal) return refusal;
        if (!this.house.members.member(command.member)!.suspended) {
          this.suspendOrReinstate({ type: "member.suspend", member: command.member, reason: command.reason }, out);
        }
        this.accreditation.exclude(command, this.house, this.nowMsValue, out);
        return null;
      }
      case "surveillance.configure":
      case "case.open":
      case "case.join":
      case "case.review":
      case "case.close":
      case "case.note":
        return this.desk.apply(command, out);
      case "vat.set":
        return setVat(command, this.nowMsValue, out);
      case "notices.prefer":
      case "notices.read":
      case "notices.mail":
        return applyNoticeCommand(command, (member) => this.house.members.hasMember(member), out);
      case "time.tick":
        // What time brings (expiries, auctions that end, ceiling steps, deadlines) ran in `apply`, before any command.
        return null;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Orders: entry, amendment, cancellation.

  private orderCommand(command: OrderCommand, out: EngineEvent[]): Problem | null {
    switch (command.type) {
      case "order.new":
        return this.newOrder(command, out);
      case "order.amend":
        return this.amendOrder(command, out);
      case "order.cancel":
        return this.cancelOrder(command, out);
      case "order.massCancel":
        return this.massCancel(command, out);
    }
  }

  private newOrder(command: NewOrderCommand, out: EngineEvent[]): Problem | null {
    const existing =
      typeof command.orderId === "string"
        ? (this.orders.get(command.orderId) ?? this.done.get(command.orderId))
        : undefined;
    if (existing) return this.repeatedOrder(existing, command, out);
    const refusal = this.checkNewOrder(command);
    if (refusal) return refusal;
    const market = this.markets.get(command.instrument)!;
    if (command.side === "sell" && !this.enteringReoffer && this.remedies.extraSessions.has(market.id)) {
      return problem("EXTRA_SESSION_SELL_FORBIDDEN", { instrument: market.id });
    }
    const terms = market.clearing;
    const orderType = command.orderType;
    const price = orderType === "limit" ? command.price! : null;
    const collateralBps = terms?.collateralBps ?? 0;
    const feeBps = terms?.feeBps ?? 0;
    const order: OrderRecord = {
      id: command.orderId,
      instrument: command.instrument,
      account: command.account,
      side: command.side,
      orderType,
      price,
      open: command.quantity,
      filled: 0,
      tif: command.tif ?? (orderType === "limit" ? "GTC" : "IOC"),
      expireAtMs: command.expireAtMs ?? null,
      postOnly: command.postOnly ?? false,
      stp: command.stp ?? STP_MODE_DEFAULT,
      status: "resting",
      handle: NIL,
      entry: 0,
      quantity: command.quantity,
      // Only cleared instruments answer retries with the original outcome, so only they need the content.
      content: terms === null ? "" : orderContent(command),
      collateralBps,
      feeBps,
      blockPerTonne: 0,
    };
    if (terms !== null && command.side === "buy") {
      // A market buy is sized at the price ceiling: it can never trade above it.
      const sizing = price ?? market.safeguards.ceiling;
      if (sizing === null) return problem("ORDER_MARKET_BUY_NOT_COVERED", { instrument: market.id });
      order.blockPerTonne = blockPerTonneTiyn(sizing, { collateralBps, feeBps });
    }
    if (terms !== null) {
      const uncovered = this.house.checkOrder(order, terms, market.id, market.safeguards.eligibleCategories);
      if (uncovered) return uncovered;
    }
    order.entry = market.nextEntry();
    this.orders.set(order.id, order);
    this.inMarket(market, out, (local) => {
      if (terms !== null) this.house.block(order, terms, local);
      market.enter(order, local);
    });
    return null;
  }

  /**
   * An order id seen before. On a cleared instrument a retry with the same content is answered with the original
   * order's state (idempotency); anything else is refused.
   */
  private repeatedOrder(
    existing: Readonly<OrderRecord> | DoneOrder,
    command: NewOrderCommand,
    out: EngineEvent[],
  ): Problem | null {
    const market = this.markets.get(existing.instrument)!;
    if (market.clearing === null) return problem("ORDER_ID_DUPLICATE", { id: existing.id });
    if (orderContent(command) !== existing.content) return problem("ORDER_ID_REUSED", { id: existing.id });
    out.push({
      type: "order.duplicate",
      instrument: existing.instrument,
      orderId: existing.id,
      status: existing.status,
      open: existing.open,
      filled: existing.filled,
    });
    return null;
  }

  /** Every check on a new order, in a fixed order so the first problem found is always the same. */
  private checkNewOrder(command: NewOrderCommand): Problem | null {
    const { orderId, account, side, orderType, quantity } = command;
    if (!validId(orderId, ORDER_ID_LENGTH_MAX)) {
      return problem("ORDER_ID_INVALID", { value: show(orderId), rule: idRule(ORDER_ID_LENGTH_MAX) });
    }
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
    if (orderType === "limit") {
      const outside = market.checkPriceLimits(price!);
      if (outside) return outside;
    }
    if (side === "buy") {
      const limited = market.checkBuyerLimits(account, quantity, quantity, true);
      if (limited) return limited;
    }
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

  private amendOrder(command: Command & { type: "order.amend" }, out: EngineEvent[]): Problem | null {
    const order = this.orders.get(command.orderId);
    const found =
      this.requireLive(command.orderId, order ?? this.done.get(command.orderId)) ?? this.reofferLocked(command.orderId);
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
    const live = order!;
    const market = this.markets.get(live.instrument)!;
    const refusal = market.checkAmend(live, price, quantity);
    if (refusal) return refusal;
    const terms = market.clearing;
    if (terms !== null) {
      const newQuantity = quantity ?? live.open;
      const newBlock =
        live.side === "buy" && live.orderType === "limit"
          ? blockPerTonneTiyn(price ?? live.price!, live)
          : live.blockPerTonne;
      const uncovered = this.house.checkAmend(live, newBlock, newQuantity, terms.basis);
      if (uncovered) return uncovered;
      this.house.reprice(live, newBlock, newQuantity, terms.basis, out);
      live.blockPerTonne = newBlock;
    }
    this.inMarket(market, out, (local) => market.amend(live, price, quantity, local));
    return null;
  }

  private cancelOrder(command: Command & { type: "order.cancel" }, out: EngineEvent[]): Problem | null {
    const order = this.orders.get(command.orderId);
    const found =
      this.requireLive(command.orderId, order ?? this.done.get(command.orderId)) ?? this.reofferLocked(command.orderId);
    if (found) return found;
    const market = this.markets.get(order!.instrument)!;
    this.inMarket(market, out, (local) => market.cancel(order!, "requested", local));
    return null;
  }

  /** Cancels an account's orders in every market (listing order), or in one. */
  private massCancel(command: Command & { type: "order.massCancel" }, out: EngineEvent[]): Problem | null {
    if (!validId(command.account, ACCOUNT_ID_LENGTH_MAX)) {
      return problem("ACCOUNT_INVALID", { value: show(command.account), rule: idRule(ACCOUNT_ID_LENGTH_MAX) });
    }
    const only = command.instrument ?? null;
    if (only !== null && !this.markets.has(only)) return problem("INSTRUMENT_NOT_FOUND", { id: show(only) });
    for (const market of this.markets.values()) {
      if (only === null || market.id === only) {
        this.inMarket(market, out, (local) => market.massCancel(command.account, local));
      }
    }
    return null;
  }

  private requireLive(orderId: unknown, order: { readonly status: OrderStatus } | undefined): Problem | null {
    if (!validId(orderId, ORDER_ID_LENGTH_MAX)) {
      return problem("ORDER_ID_INVALID", { value: show(orderId), rule: idRule(ORDER_ID_LENGTH_MAX) });
    }
    if (!order) return problem("ORDER_NOT_FOUND", { id: orderId });
    if (order.status !== "resting") return problem("ORDER_NOT_RESTING", { id: orderId, status: order.status });
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Instruments and their phases: listing, clearing terms, suspension, calendar, phase changes, reference price.

  private instrumentCommand(command: InstrumentCommand, out: EngineEvent[]): Problem | null {
    switch (command.type) {
      case "instrument.list":
        return this.listInstrument(command, out);
      case "instrument.update":
        return this.updateInstrument(command, out);
      case "instrument.suspend":
        return this.suspendInstrument(command, out);
      case "calendar.set":
        return this.setCalendar(command, out);
      case "phase.set":
        return this.setPhase(command, out);
      case "reference.set":
        return this.setReference(command, out);
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
    const clearing = command.clearing ?? null;
    if (clearing !== null) {
      const bad = checkClearingTerms(clearing, true);
      if (bad) return problem("INSTRUMENT_INVALID", { reason: bad });
      if (lotSize % KG_PER_TONNE !== 0) {
        return problem("INSTRUMENT_INVALID", {
          reason: `a cleared instrument's lot size must be whole tonnes, not ${lotSize} kg`,
        });
      }
    }
    const description = command.description ?? null;
    if (description !== null) {
      const bad = checkDescription(description, clearing?.basis ?? null);
      if (bad) return problem("INSTRUMENT_INVALID", { reason: bad });
      if (description.transport !== undefined) {
        const refused = checkTransport(description.transport, lotSize);
        if (refused) return refused;
      }
    }
    const spec: InstrumentSpec = {
      id: instrument,
      mode: mode as TradingMode,
      tickSize,
      lotSize,
      description: description === null ? null : normaliseDescription(description),
    };
    const terms = clearing === null ? null : normaliseTerms(clearing);
    this.addMarket(new Market(spec, referencePrice, terms));
    out.push({
      type: "instrument.listed",
      instrument,
      mode,
      tickSize,
      lotSize,
      referencePrice,
      clearing: terms,
      description: spec.description,
    });
    return null;
  }

  private updateInstrument(command: Command & { type: "instrument.update" }, out: EngineEvent[]): Problem | null {
    const market = this.markets.get(command.instrument);
    if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(command.instrument) });
    if (market.clearing === null) {
      return problem("INSTRUMENT_NOT_CLEARED", { id: market.id, what: "changing clearing terms" });
    }
    const reason = checkReason(command.reason);
    if (reason) return reason;
    if (typeof command.clearing !== "object" || command.clearing === null || "basis" in command.clearing) {
      return problem("INSTRUMENT_INVALID", {
        reason: "clearing changes must be an object and cannot change the basis",
      });
    }
    const merged = { ...market.clearing, ...command.clearing };
    const bad = checkClearingTerms(merged, false);
    if (bad) return problem("INSTRUMENT_INVALID", { reason: bad });
    market.clearing = normaliseTerms(merged);
    out.push({ type: "instrument.updated", instrument: market.id, clearing: market.clearing, reason: command.reason });
    return null;
  }

  private suspendInstrument(command: Command & { type: "instrument.suspend" }, out: EngineEvent[]): Problem | null {
    const market = this.markets.get(command.instrument);
    if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(command.instrument) });
    const reason = checkReason(command.reason);
    if (reason) return reason;
    const refusal = market.checkPhase("halted");
    if (refusal) return refusal;
    this.inMarket(market, out, (local) => market.halt(command.reason, local));
    return null;
  }

  private setCalendar(command: Command & { type: "calendar.set" }, out: EngineEvent[]): Problem | null {
    const market = this.markets.get(command.instrument);
    if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(command.instrument) });
    const reason = checkReason(command.reason);
    if (reason) return reason;
    const bad = checkCalendar(command.calendar);
    if (bad) return problem("CALENDAR_INVALID", { reason: bad });
    const c = command.calendar;
    market.calendar = {
      sessions: c.sessions.map((s) => ({ open: s.open, close: s.close })),
      preOpenMinutes: c.preOpenMinutes,
      weekends: c.weekends,
      holidays: [...c.holidays],
      extraSessions: c.extraSessions.map((s) => ({ date: s.date, open: s.open, close: s.close })),
    };
    out.push({ type: "calendar.set", instrument: market.id, calendar: market.calendar, reason: command.reason });
    return null;
  }

  private setPhase(command: Command & { type: "phase.set" }, out: EngineEvent[]): Problem | null {
    const market = this.markets.get(command.instrument);
    if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(command.instrument) });
    if (!isPhase(command.phase)) {
      return problem("FIELD_INVALID", { field: "phase", value: show(command.phase), rule: "not a phase" });
    }
    const refusal = market.checkPhase(command.phase);
    if (refusal) return refusal;
    this.inMarket(market, out, (local) => market.setPhase(command.phase, local));
    return null;
  }

  private setReference(command: Command & { type: "reference.set" }, out: EngineEvent[]): Problem | null {
    const market = this.markets.get(command.instrument);
    if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(command.instrument) });
    if (command.price !== null && !validPrice(command.price)) {
      return problem("ORDER_PRICE_INVALID", { value: show(command.price), max: ORDER_PRICE_MAX });
    }
    market.referencePrice = command.price;
    market.bandReference = command.price;
    out.push({ type: "reference.set", instrument: market.id, price: command.price });
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The regulator's safeguards: limits, halts and resumptions, supply plans.

  private safeguardCommand(command: SafeguardCommand, out: EngineEvent[]): Problem | null {
    switch (command.type) {
      case "safeguards.set":
        return this.setSafeguards(command, out);
      case "halt":
      case "resume":
        return this.haltOrResume(command, out);
      case "supply.plan":
        return this.planSupply(command, out);
    }
  }

  private setSafeguards(command: Command & { type: "safeguards.set" }, out: EngineEvent[]): Problem | null {
    const market = this.markets.get(command.instrument);
    if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(command.instrument) });
    const reason = checkReason(command.reason);
    if (reason) return reason;
    const changes = command.changes as Record<string, unknown> | null;
    if (typeof changes !== "object" || changes === null || Array.isArray(changes)) {
      return problem("SAFEGUARDS_INVALID", { reason: "changes must be an object of safeguard fields" });
    }
    const unknown = Object.keys(changes).filter((name) => !(name in NO_SAFEGUARDS));
    if (unknown.length > 0) {
      return problem("SAFEGUARDS_INVALID", {
        reason: `unknown field ${show(unknown[0])}; known: ${Object.keys(NO_SAFEGUARDS).join(", ")}`,
      });
    }
    const merged = { ...market.safeguards, ...changes } as Safeguards;
    const bad = checkSafeguards(merged, market.spec.tickSize, market.spec.lotSize);
    if (bad) return problem("SAFEGUARDS_INVALID", { reason: bad });
    if (merged.eligibleCategories !== null && market.clearing === null) {
      return problem("INSTRUMENT_NOT_CLEARED", { id: market.id, what: "buyer eligibility" });
    }
    this.inMarket(market, out, (local) => market.setSafeguards(merged, command.reason, local));
    return null;
  }

  /** Emergency halt or resumption: the whole market, one delivery region, or one instrument. */
  private haltOrResume(command: Command & { type: "halt" | "resume" }, out: EngineEvent[]): Problem | null {
    const reason = checkReason(command.reason);
    if (reason) return reason;
    const { scope } = command;
    let targets: Market[];
    if (scope === "market") {
      targets = [...this.markets.values()];
    } else if (scope === "region") {
      if (typeof command.region !== "string")
        return problem("HALT_SCOPE_INVALID", { reason: "a region halt names the region" });
      targets = [...this.markets.values()].filter((m) => m.spec.description?.region === command.region);
      if (targets.length === 0)
        return problem("HALT_SCOPE_INVALID", { reason: `no instrument delivers to region '${command.region}'` });
    } else if (scope === "instrument") {
      const market = typeof command.instrument === "string" ? this.markets.get(command.instrument) : undefined;
      if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(command.instrument) });
      targets = [market];
    } else {
      return problem("HALT_SCOPE_INVALID", { reason: `scope ${show(scope)} is not one of market, region, instrument` });
    }
    const label =
      scope === "market"
        ? "the market"
        : scope === "region"
          ? `region ${command.region}`
          : `instrument ${command.instrument}`;
    if (command.type === "halt") {
      // Instruments already halted stay as they are; the rest stop where they are.
      for (const market of targets) {
        if (market.phase !== "halted" && market.checkPhase("halted") === null) {
          this.inMarket(market, out, (local) => market.halt(command.reason, local));
        }
      }
      return null;
    }
    const halted = targets.filter((market) => market.phase === "halted");
    if (halted.length === 0) return problem("NOTHING_TO_RESUME", { scope: label });
    for (const market of halted) this.inMarket(market, out, (local) => market.resume(command.reason, local));
    return null;
  }

  private planSupply(command: Command & { type: "supply.plan" }, out: EngineEvent[]): Problem | null {
    const reason = checkReason(command.reason);
    if (reason) return reason;
    const { month, producer, basis, plannedKg } = command;
    if (typeof month !== "string" || !DELIVERY_PERIOD_PATTERN.test(month)) {
      return problem("FIELD_INVALID", { field: "month", value: show(month), rule: "a month is YYYY-MM" });
    }
    if (!validId(producer, ID_LENGTH_MAX) || !this.house.members.hasMember(producer)) {
      return problem("MEMBER_NOT_FOUND", { id: typeof producer === "string" ? producer : show(producer) });
    }
    // A plan is a producer's obligation at a basis the exchange trades, as an outage notice is (a plan at a basis
    // nobody trades, or of a buyer, was published as a shortfall nobody could meet).
    if (!this.house.members.member(producer)!.roles.includes("producer")) {
      return problem("MEMBER_NOT_PRODUCER", { member: producer });
    }
    if (!validId(basis, ID_LENGTH_MAX))
      return problem("BASIS_INVALID", { value: show(basis), rule: idRule(ID_LENGTH_MAX) });
    if (!this.tradesAtBasis(basis)) return problem("BASIS_UNKNOWN", { basis: show(basis) });
    if (!isSafeWholeNumber(plannedKg) || plannedKg < 0 || plannedKg > PLANNED_KG_MAX) {
      return problem("FIELD_INVALID", {
        field: "plannedKg",
        value: show(plannedKg),
        rule: "a whole number of kg, 0 or more",
      });
    }
    out.push({ type: "supply.planned", month, producer, basis, plannedKg, reason: command.reason });
    return null;
  }

  /** A producer's outage disclosure: checked in full, named by its seq, marked late if its period has begun. */
  private publishOutage(command: Command & { type: "outage.publish" }, out: EngineEvent[]): Problem | null {
    const reason = checkReason(command.reason);
    if (reason) return reason;
    const { producer, basis, kind, fromMs, toMs, volumeKg } = command;
    if (!validId(producer, ID_LENGTH_MAX)) {
      return problem("MEMBER_NOT_FOUND", { id: typeof producer === "string" ? producer : show(producer) });
    }
    const member = this.house.members.member(producer);
    if (member === undefined) return problem("MEMBER_NOT_FOUND", { id: producer });
    if (!member.roles.includes("producer")) return problem("MEMBER_NOT_PRODUCER", { member: producer });
    if (!validId(basis, ID_LENGTH_MAX))
      return problem("BASIS_INVALID", { value: show(basis), rule: idRule(ID_LENGTH_MAX) });
    if (!this.tradesAtBasis(basis)) return problem("BASIS_UNKNOWN", { basis: show(basis) });
    if (kind !== "planned" && kind !== "unplanned") {
      return problem("FIELD_INVALID", { field: "kind", value: show(kind), rule: "expected 'planned' or 'unplanned'" });
    }
    if (!isSafeWholeNumber(fromMs) || fromMs > OUTAGE_TIME_MS_MAX) {
      return problem("FIELD_INVALID", { field: "fromMs", value: show(fromMs), rule: "a time in ms since 1970 (UTC)" });
    }
    // A notice is of output the plant plans or has lost, not of a year far off: one for 2999 was published as given.
    if (fromMs > this.nowMsValue + OUTAGE_AHEAD_MS_MAX) {
      return problem("FIELD_INVALID", {
        field: "fromMs",
        value: show(fromMs),
        rule: "at most a year after the current time",
      });
    }
    if (!isSafeWholeNumber(toMs) || toMs <= fromMs || toMs - fromMs > OUTAGE_LENGTH_MS_MAX) {
      return problem("FIELD_INVALID", {
        field: "toMs",
        value: show(toMs),
        rule: "after fromMs, and at most a year after it",
      });
    }
    if (!isSafeWholeNumber(volumeKg) || volumeKg < 1 || volumeKg > PLANNED_KG_MAX) {
      return problem("FIELD_INVALID", {
        field: "volumeKg",
        value: show(volumeKg),
        rule: `the output affected, a whole number of kg from 1 to ${PLANNED_KG_MAX}`,
      });
    }
    const publishedMs = this.nowMsValue;
    out.push({
      type: "outage.published",
      outage: `OUT-${this.lastSeqValue}`,
      producer,
      basis,
      kind,
      fromMs,
      toMs,
      volumeKg,
      reason: command.reason,
      publishedMs,
      late: publishedMs >= fromMs,
    });
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Members and accounts (the clearing house keeps them; a suspension also reaches every market).

  private memberCommand(command: MemberCommand, out: EngineEvent[]): Problem | null {
    switch (command.type) {
      case "member.add":
        return this.house.addMember(command, out);
      case "member.suspend":
      case "member.reinstate":
        return this.suspendOrReinstate(command, out);
      case "account.open":
        return this.house.openAccount(command, out);
      case "member.group": {
        const refusal = this.house.checkGroup(command) ?? checkReason(command.reason);
        if (refusal) return refusal;
        this.house.setGroup(command, out);
        return null;
      }
    }
  }

  /** The kill switch and its lifting: a suspension cancels all of the member's orders in every market. */
  private suspendOrReinstate(
    command: Command & { type: "member.suspend" | "member.reinstate" },
    out: EngineEvent[],
  ): Problem | null {
    const suspend = command.type === "member.suspend";
    // An excluded member stays out: readmission is a new application after the bar.
    if (!suspend && this.accreditation.isExcluded(command.member)) {
      return problem("MEMBER_EXCLUDED", { member: command.member });
    }
    const refusal = this.house.checkSuspension(command.member, suspend) ?? checkReason(command.reason);
    if (refusal) return refusal;
    this.house.setSuspended(command.member, suspend, command.reason, out);
    if (suspend) {
      for (const account of this.house.members.accountsOf(command.member)) {
        for (const market of this.markets.values()) {
          this.inMarket(market, out, (local) => market.massCancel(account.id, local, "member-suspended"));
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Markets: running an operation with the clearing house following, listing order, timers.

  /**
   * Runs a market operation, its events going to `out`, and lets the clearing house follow each of them when the
   * instrument is cleared (a trade opens an obligation, a cancellation releases collateral): what the house makes of an
   * event comes right after it.
   */
  private inMarket(market: Market, out: EngineEvent[], operation: (local: EngineEvent[]) => void): void {
    market.nowMs = this.nowMsValue;
    const wasClosed = market.phase === "closed";
    const terms = market.clearing;
    const start = out.length;
    operation(out);
    if (terms !== null && this.house.followsAny(out, start)) {
      // The operation's events are taken off and put back one by one, each followed by the house's. Only operations
      // with an event to follow pay for this: most orders rest without trading.
      for (const event of out.splice(start)) {
        out.push(event);
        this.house.afterMarketEvent(event, this.liveOrder, terms, this.nowMsValue, out);
      }
    }
    // Orders done in this operation are kept only as what the rules still need of them (`DoneOrder`), so that a long
    // session's state and snapshots hold its live orders and the done ones' ids, not every record.
    for (const order of market.takeFinished()) this.retire(order);
    // When the instrument closes, the engine forgets the session's finished orders (their ids may be used again in a
    // later session) and the instrument's settled or defaulted obligations, so the state and every snapshot stay the
    // size of what is live. The read models keep the history. Only the close itself does this, so the state never
    // depends on which other operations happened to run while closed.
    if (!wasClosed && market.phase === "closed") {
      this.afterClose(market, out);
      // The done orders a restore left unmade are not in `doneOf` yet: make them first.
      this.done.completeNow();
      for (const id of this.doneOf.get(market.id) ?? []) this.done.delete(id);
      this.doneOf.delete(market.id);
      this.house.pruneFinished(market.id);
    }
    this.trackTimer(market);
  }

  /** Moves a done order from the live records to the done ones. */
  private retire(order: OrderRecord): void {
    const id = order.id;
    invariant(
      order.status === "filled" || order.status === "cancelled",
      () => `order ${id} finished with status ${order.status}`,
    );
    this.orders.delete(id);
    this.keepDone({
      id,
      instrument: order.instrument,
      status: order.status,
      open: order.open,
      filled: order.filled,
      content: order.content,
    });
  }

  private keepDone(done: DoneOrder): void {
    this.done.set(done.id, done);
    const ids = this.doneOf.get(done.instrument);
    if (ids === undefined) this.doneOf.set(done.instrument, [done.id]);
    else ids.push(done.id);
  }

  private addMarket(market: Market): void {
    this.listingIndex.set(market, this.markets.size);
    this.markets.set(market.id, market);
  }

  private trackTimer(market: Market): void {
    if (market.nextDueMs() === Number.POSITIVE_INFINITY) this.timedMarkets.delete(market);
    else this.timedMarkets.add(market);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The rulebook's remedies (remedies.ts): re-offer of a voided trade's volume in an extra session, the nationwide
  // fallback of what it leaves unsold, negotiated deals.

  private remedyCommand(command: RemedyCommand, out: EngineEvent[]): Problem | null {
    switch (command.type) {
      case "session.extra":
        return this.openExtraSession(command, out);
      case "negotiated.submit":
        return this.submitNegotiated(command, out);
      case "negotiated.accept":
      case "negotiated.reject":
        return this.answerNegotiated(command, out);
    }
  }

  /** Voids the trade; its volume waits for an extra session of its instrument as a re-offer `RO-<seq>-1`. */
  private voidAndReoffer(command: Command & { type: "trade.void" }, out: EngineEvent[]): Problem | null {
    const refusal = this.house.voidTrade(command, out);
    if (refusal) return refusal;
    const voided = out.at(-1);
    invariant(voided?.type === "obligation.voided", () => "a void ends with its obligation.voided event");
    const o = voided.obligation;
    const reoffer = {
      id: `RO-${this.lastSeqValue}-1`,
      instrument: o.instrument,
      seller: o.seller,
      quantityKg: o.quantity,
      source: o.tradeId,
      stage: "extra" as const,
      offered: false,
    };
    if (this.remedies.reoffersOn(o.instrument).length >= REOFFERS_PER_INSTRUMENT_MAX) {
      out.push({
        type: "reoffer.lapsed",
        reoffer,
        unsoldKg: o.quantity,
        reason: `${REOFFERS_PER_INSTRUMENT_MAX} re-offers already wait on the instrument`,
        code: null,
      });
      return null;
    }
    this.remedies.reoffers.set(reoffer.id, reoffer);
    out.push({ type: "reoffer.created", reoffer: { ...reoffer } });
    return null;
  }

  private reofferLocked(orderId: unknown): Problem | null {
    return typeof orderId === "string" && this.remedies.isReofferOrder(orderId)
      ? problem("REOFFER_ORDER_LOCKED", { id: orderId })
      : null;
  }

  /**
   * Opens an extra session on a closed instrument with re-offers waiting: the base price is its band reference (the
   * previous session's weighted average) on the tick; orders are collected, and each re-offer enters as a DAY sell at
   * the base price. A re-offer whose seller can no longer cover it (gas withdrawn, member suspended) lapses.
   */
  private openExtraSession(command: Command & { type: "session.extra" }, out: EngineEvent[]): Problem | null {
    const market = this.markets.get(command.instrument);
    if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(command.instrument) });
    const reason = checkReason(command.reason);
    if (reason) return reason;
    if (market.clearing === null) return problem("INSTRUMENT_NOT_CLEARED", { id: market.id, what: "an extra session" });
    const refusal = market.checkPhase("collection");
    if (refusal) return refusal;
    if (market.phase !== "closed") {
      return problem("PHASE_TRANSITION_INVALID", {
        instrument: market.id,
        from: market.phase,
        to: "collection",
        allowed: "an extra session opens from closed",
      });
    }
    const waiting = this.remedies.reoffersOn(market.id);
    if (waiting.length === 0) return problem("REOFFER_NONE", { instrument: market.id });
    if (market.hasSellOrders()) {
      let quantity = 0;
      for (const order of this.orders.values()) {
        if (order.instrument === market.id && order.side === "sell" && order.status === "resting")
          quantity += order.open;
      }
      return problem("EXTRA_SESSION_SELLERS_RESTING", { instrument: market.id, quantity });
    }
    if (market.bandReference === null) {
      return problem("AUCTION_REFERENCE_PRICE_REQUIRED", {
        reason: "an extra session's base price is the previous session's weighted average, and there is none",
      });
    }
    const basePrice = roundToTick(market.bandReference, market.spec.tickSize);
    market.bandReference = basePrice;
    market.referencePrice = basePrice;
    this.remedies.extraSessions.set(market.id, basePrice);
    out.push({
      type: "session.extraOpened",
      instrument: market.id,
      basePrice,
      reoffers: waiting.map((o) => o.id),
      reason: command.reason,
    });
    this.inMarket(market, out, (local) => {
      market.setPhase("collection", local, "extra session");
      market.cancelOutsideLimits(local);
    });
    for (const reoffer of waiting) {
      const local: EngineEvent[] = [];
      this.enteringReoffer = true;
      const refused = this.newOrder(
        {
          type: "order.new",
          instrument: market.id,
          orderId: reoffer.id,
          account: reoffer.seller,
          side: "sell",
          orderType: "limit",
          price: basePrice,
          quantity: reoffer.quantityKg,
          tif: "DAY",
        },
        local,
      );
      this.enteringReoffer = false;
      if (refused) {
        this.remedies.reoffers.delete(reoffer.id);
        out.push({
          type: "reoffer.lapsed",
          reoffer: { ...reoffer },
          unsoldKg: reoffer.quantityKg,
          reason: refused.message,
          code: refused.code as ErrorCode,
        });
        continue;
      }
      reoffer.offered = true;
      out.push({ type: "reoffer.offered", reoffer: { ...reoffer }, basePrice }, ...local);
    }
    return null;
  }

  /**
   * At an instrument's close: its pending negotiated deals expire; if an extra session ran, what each re-offer did
   * not sell moves to the nationwide instrument (from the instrument's own extra session) or lapses (from the
   * nationwide one, or when there is none).
   */
  private afterClose(market: Market, out: EngineEvent[]): void {
    for (const deal of this.remedies.dealsOn(market.id)) {
      this.remedies.deals.delete(deal.id);
      out.push({ type: "negotiated.expired", deal });
    }
    if (!this.remedies.extraSessions.has(market.id)) return;
    const basePrice = this.remedies.extraSessions.get(market.id)!;
    this.remedies.extraSessions.delete(market.id);
    let soldKg = 0;
    let unsoldKg = 0;
    let n = 0;
    const fallback = nationwideFor(market, this.markets.values());
    for (const reoffer of this.remedies.reoffersOn(market.id)) {
      if (!reoffer.offered) continue;
      this.remedies.reoffers.delete(reoffer.id);
      const order = this.orders.get(reoffer.id) ?? this.done.get(reoffer.id);
      const unsold = reoffer.quantityKg - (order?.filled ?? 0);
      soldKg += reoffer.quantityKg - unsold;
      unsoldKg += unsold;
      if (unsold === 0) continue;
      const lapse = (why: string) =>
        out.push({ type: "reoffer.lapsed", reoffer: { ...reoffer }, unsoldKg: unsold, reason: why, code: null });
      if (reoffer.stage === "nationwide") {
        lapse("unsold in the nationwide instrument's extra session; the gas stays with the seller");
        continue;
      }
      if (fallback === undefined) {
        lapse("no nationwide instrument (region KZ) of the same basis, product and month is listed");
        continue;
      }
      const quantityKg = Math.floor(unsold / fallback.spec.lotSize) * fallback.spec.lotSize;
      if (quantityKg === 0 || this.remedies.reoffersOn(fallback.id).length >= REOFFERS_PER_INSTRUMENT_MAX) {
        lapse(`the nationwide instrument cannot take it (lot ${fallback.spec.lotSize} kg, or its re-offers are full)`);
        continue;
      }
      // The fallback's base price: this extra session's weighted average (the band reference its close just set),
      // which is the base price itself when nothing traded.
      const fallbackBase = market.bandReference ?? basePrice;
      const moved = {
        id: `RO-${this.lastSeqValue}-${++n}`,
        instrument: fallback.id,
        seller: reoffer.seller,
        quantityKg,
        source: reoffer.id,
        stage: "nationwide" as const,
        offered: false,
      };
      this.remedies.reoffers.set(moved.id, moved);
      // An instrument in session keeps its band; its extra session then takes the reference that session leaves.
      const setBase = fallback.phase === "closed";
      if (setBase) {
        fallback.bandReference = fallbackBase;
        fallback.referencePrice = fallbackBase;
      }
      out.push({
        type: "reoffer.moved",
        reoffer: { ...moved },
        from: market.id,
        unsoldKg: unsold,
        basePrice: setBase ? fallbackBase : null,
      });
    }
    out.push({ type: "session.extraClosed", instrument: market.id, soldKg, unsoldKg });
  }

  /** A seller registers a deal agreed off the book: checked like a sell order now, and again when accepted. */
  private submitNegotiated(command: Command & { type: "negotiated.submit" }, out: EngineEvent[]): Problem | null {
    const checked = this.checkDeal(
      command.instrument,
      command.seller,
      command.buyer,
      command.price,
      command.quantity,
      false,
    );
    if (checked) return checked;
    const count = this.remedies.pendingDealsOf(command.seller);
    if (count >= NEGOTIATED_PENDING_PER_ACCOUNT_MAX) {
      return problem("NEGOTIATED_PENDING_LIMIT", {
        account: command.seller,
        count,
        max: NEGOTIATED_PENDING_PER_ACCOUNT_MAX,
      });
    }
    const deal = {
      id: `ND-${this.lastSeqValue}`,
      instrument: command.instrument,
      seller: command.seller,
      buyer: command.buyer,
      price: command.price,
      quantity: command.quantity,
      submittedMs: this.nowMsValue,
    };
    this.remedies.deals.set(deal.id, deal);
    out.push({ type: "negotiated.submitted", deal });
    return null;
  }

  /** The buyer accepts (the trade is made and cleared) or rejects; the seller may withdraw (reject). */
  private answerNegotiated(
    command: Command & { type: "negotiated.accept" | "negotiated.reject" },
    out: EngineEvent[],
  ): Problem | null {
    const deal = typeof command.deal === "string" ? this.remedies.deals.get(command.deal) : undefined;
    if (!deal) return problem("NEGOTIATED_NOT_FOUND", { id: String(command.deal) });
    const accept = command.type === "negotiated.accept";
    if (command.account !== deal.buyer && (accept || command.account !== deal.seller)) {
      return problem("NEGOTIATED_NOT_PARTY", {
        account: String(command.account),
        party: accept ? "buyer" : "buyer or seller",
        id: deal.id,
      });
    }
    if (!accept) {
      this.remedies.deals.delete(deal.id);
      out.push({ type: "negotiated.rejected", deal, by: command.account });
      return null;
    }
    const checked = this.checkDeal(deal.instrument, deal.seller, deal.buyer, deal.price, deal.quantity, true);
    if (checked) return checked;
    const market = this.markets.get(deal.instrument)!;
    this.remedies.deals.delete(deal.id);
    market.nowMs = this.nowMsValue;
    const trade = market.negotiatedTrade(deal.id, deal.seller, deal.buyer, deal.price, deal.quantity);
    out.push(trade);
    this.house.clearNegotiated(trade, market.clearing!, this.nowMsValue, out);
    out.push({ type: "negotiated.accepted", deal, tradeId: trade.tradeId });
    return null;
  }

  /** Every check of a deal, in a fixed order: instrument, session, price and its limits, quantity, parties, cover. */
  private checkDeal(
    instrument: unknown,
    seller: unknown,
    buyer: unknown,
    price: unknown,
    quantity: unknown,
    accepting: boolean,
  ): Problem | null {
    const market = typeof instrument === "string" ? this.markets.get(instrument) : undefined;
    if (!market) return problem("INSTRUMENT_NOT_FOUND", { id: show(instrument) });
    if (market.clearing === null) {
      return problem("INSTRUMENT_NOT_CLEARED", { id: market.id, what: "a negotiated deal" });
    }
    const phase = market.checkEntry("limit", "DAY");
    if (phase) return phase;
    if (this.remedies.extraSessions.has(market.id)) {
      return problem("EXTRA_SESSION_SELL_FORBIDDEN", { instrument: market.id });
    }
    if (!validPrice(price)) return problem("ORDER_PRICE_INVALID", { value: show(price), max: ORDER_PRICE_MAX });
    const limits = market.checkPrice(price) ?? market.checkPriceLimits(price);
    if (limits) return limits;
    if (!validQuantity(quantity)) {
      return problem("ORDER_QUANTITY_INVALID", { value: show(quantity), max: ORDER_QUANTITY_MAX });
    }
    const lot = market.checkQuantity(quantity);
    if (lot) return lot;
    if (!validId(seller, ACCOUNT_ID_LENGTH_MAX)) return problem("ACCOUNT_NOT_FOUND", { id: String(seller) });
    if (!validId(buyer, ACCOUNT_ID_LENGTH_MAX)) return problem("ACCOUNT_NOT_FOUND", { id: String(buyer) });
    return this.house.checkNegotiated(
      seller,
      buyer,
      price,
      quantity,
      market.clearing,
      market.id,
      market.safeguards.eligibleCategories,
      accepting,
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  market(instrument: string): Market | undefined {
    return this.markets.get(instrument);
  }

  instruments(): string[] {
    return [...this.markets.keys()];
  }

  /** A live order's record, or what is kept of a done one until its instrument closes; undefined after that. */
  order(orderId: string): Readonly<OrderRecord> | DoneOrder | undefined {
    return this.orders.get(orderId) ?? this.done.get(orderId);
  }

  /** How many re-offers of voided volume wait for an extra session of the instrument (remedies.ts). */
  reoffersWaiting(instrument: string): number {
    return this.remedies.reoffersOn(instrument).filter((o) => !o.offered).length;
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
    // The clearing house sums what the resting orders of cleared instruments must hold blocked.
    this.house.checkInvariants(
      this.orders.values(),
      (order) => this.markets.get(order.instrument)!.clearing?.basis ?? null,
    );
  }

  /**
   * Whether time alone would change something at `nowMs` (a GTD expiry, an auction's end, a ceiling-path step, an
   * obligation's deadline): the server's scheduler then sends a `time.tick` so it happens even without other traffic.
   */
  hasTimeDue(nowMs: number): boolean {
    if (this.house.hasDue(nowMs)) return true;
    for (const market of this.timedMarkets) {
      if (market.hasExpiryDue(nowMs) || market.hasTimeDue(nowMs)) return true;
    }
    return false;
  }

  /** Whether a listed, cleared instrument delivers at `basis`. O(instruments). */
  private tradesAtBasis(basis: string): boolean {
    for (const market of this.markets.values()) if (market.clearing?.basis === basis) return true;
    return false;
  }

  /** The surveillance configuration in force; null while the defaults are. */
  get surveillanceConfig() {
    return this.desk.configuration;
  }

  /** The clearing house: members, accounts, the ledger and obligations (read-only use). */
  get clearingHouse(): ClearingHouse {
    return this.house;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Snapshot, restore and the state hash.

  snapshot(): EngineSnapshot {
    // Listing order, not id order: markets are visited in it (GTD expiry, mass cancel, suspension), so it is state.
    // Each market's live orders follow the market before in the order columns, in the order its book holds them.
    const live: OrderRecord[] = [];
    const markets = [...this.markets.values()].map((market) => {
      const bids = market.ordersInPriority("buy");
      const asks = market.ordersInPriority("sell");
      for (const order of bids) live.push(order);
      for (const order of asks) live.push(order);
      return market.snapshot(bids, asks);
    });
    // Counting the index would complete it; a restore checks what it hands over (`restoreMarketsWithOrders`).
    if (this.orders.complete) {
      invariant(
        live.length === this.orders.size,
        () => `invariant: ${this.orders.size} live orders, but the books hold ${live.length}`,
      );
    }
    const orders = orderColumns(live);
    const done = doneColumns(this.done.byId());
    return {
      version: 6,
      lastSeq: this.lastSeqValue,
      nowMs: this.nowMsValue,
      markets,
      orders,
      done,
      house: this.house.snapshot(),
      ...(this.access.empty ? {} : { access: this.access.snapshot() }),
      ...(this.accreditation.empty ? {} : { accreditation: this.accreditation.snapshot() }),
      ...(this.desk.empty ? {} : { surveillance: this.desk.snapshot() }),
      ...(this.remedies.empty ? {} : { remedies: this.remedies.snapshot() }),
    };
  }

  /** Rebuilds an engine from a snapshot of this version's format or of versions 3 to 5's. */
  static restore(snapshot: EngineSnapshot | EngineSnapshotV5 | EngineSnapshotV4 | EngineSnapshotV3): Engine {
    invariant(
      snapshot.version === ENGINE_SNAPSHOT_VERSION ||
        snapshot.version === 5 ||
        snapshot.version === 4 ||
        snapshot.version === 3,
      () => `snapshot version ${(snapshot as { version: unknown }).version} is not supported`,
    );
    const engine = new Engine();
    engine.lastSeqValue = snapshot.lastSeq;
    engine.nowMsValue = snapshot.nowMs;
    if (snapshot.version === 6 || snapshot.version === 5) {
      restoreMarketsFromColumns(snapshot, engine);
    } else {
      if (snapshot.version === 3) {
        for (const saved of snapshot.orders) engine.orders.set(saved.id, orderRecord(saved));
      } else {
        restoreOrderColumns(snapshot.orders, engine.orders);
      }
      for (const saved of snapshot.markets) {
        const bids = recordsNamed(saved.bids, engine.orders);
        const asks = recordsNamed(saved.asks, engine.orders);
        engine.addMarket(Market.restore(saved, bids, asks));
      }
    }
    if (snapshot.version === 6) restoreDoneColumns(snapshot.done, engine);
    else for (const saved of snapshot.done) engine.keepDone({ ...saved });
    engine.house = new ClearingHouse(snapshot.house);
    engine.access = Access.restore(snapshot.access);
    engine.accreditation = Accreditation.restore(snapshot.accreditation);
    engine.desk = new SurveillanceDesk(snapshot.surveillance);
    engine.remedies = Remedies.restore(snapshot.remedies);
    for (const market of engine.markets.values()) engine.trackTimer(market);
    return engine;
  }

  /**
   * Only for `Engine.restore` (`restoreDoneColumns`): takes the done orders `ids` names, to be made by `source` (up to
   * `budget` at a time, each passed to `restoreDone`) when warmed or when all are needed (an instrument's close, a
   * snapshot), or one by `recordOfRow` when a lookup names it.
   */
  adoptDone(
    ids: readonly string[],
    source: (budget: number) => boolean,
    recordOfRow: (row: number) => DoneOrder | undefined,
  ): void {
    this.done.adopt(ids, source, recordOfRow, "snapshot done order columns name an order more than once");
  }

  /** Only for `Engine.restore` (`restoreDoneColumns`): keeps a done order made from the columns. */
  restoreDone(done: DoneOrder): void {
    this.keepDone(done);
  }

  /** Only for `Engine.restore` (`restoreMarketsFromColumns`): takes the markets and their orders, records to come. */
  adoptRestored(columns: RestoredOrders, markets: EngineSnapshot["markets"]): void {
    const restored: Market[] = [];
    /** The markets that hold restored orders, and the first row of each. */
    const owners: Market[] = [];
    const bases: number[] = [];
    this.orders.adopt(
      columns.ids,
      (budget) => {
        let left = budget;
        for (const market of restored) {
          if (left <= 0) break;
          left -= market.makeRestoredRecords(left);
        }
        return restored.every((market) => market.recordsMade);
      },
      (row) => {
        let k = owners.length - 1;
        while (bases[k]! > row) k--;
        return owners[k]!.restoredRecord(row - bases[k]!);
      },
    );
    const note = (order: OrderRecord) => this.orders.note(order);
    let at = 0;
    for (const saved of markets) {
      const market = Market.restoreFromColumns(saved, columns, at, saved.bidOrders, saved.askOrders, note);
      if (saved.bidOrders + saved.askOrders > 0) {
        owners.push(market);
        bases.push(at);
      }
      at += saved.bidOrders + saved.askOrders;
      restored.push(market);
      this.addMarket(market);
    }
  }

  /**
   * Does up to `budget` orders' worth of the work a restore left for later (making the live orders' records and
   * indexing them by id, then the done orders' and the obligations'); returns whether none is left. Pure and synchronous, and never needed for correctness: a
   * lookup that needs the index builds it first. The server calls it in slices once it serves, so the first command
   * that names a restored order by id finds the index built.
   */
  warm(budget: number): boolean {
    return this.orders.warm(budget) && this.done.warm(budget) && this.house.warm(budget);
  }

  /**
   * SHA-256 (hex) of the canonical snapshot: equal states give equal hashes, on any machine. `sha256Hex` may supply a
   * faster implementation of the same function (the journal passes Node's native one); the result is identical.
   */
  stateHash(sha256Hex: (text: string) => string = sha256HexPure): string {
    return sha256Hex(JSON.stringify(this.snapshot()));
  }
}

/** SHA-256 of UTF-8 text, hex: the pure implementation, so the engine depends on no platform. */
export function sha256HexPure(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

export function hashSnapshot(snapshot: EngineSnapshot): string {
  return sha256HexPure(JSON.stringify(snapshot));
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

/** The fields that define an order, in a fixed order with defaults filled in: equal for a faithful retry. */
/** The live orders by column, in the order given; see `OrderColumnsV5`. */
function orderColumns(orders: readonly OrderRecord[]): OrderColumnsV5 {
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  const named = (text: string): number => {
    let index = indexes.get(text);
    if (index === undefined) {
      index = strings.length;
      strings.push(text);
      indexes.set(text, index);
    }
    return index;
  };
  const n = orders.length;
  const columns = {
    strings,
    id: new Array<string>(n),
    instrument: new Array<number>(n),
    account: new Array<number>(n),
    side: new Array<number>(n),
    orderType: new Array<number>(n),
    price: new Array<number | null>(n),
    open: new Array<number>(n),
    filled: new Array<number>(n),
    tif: new Array<number>(n),
    expireAtMs: new Array<number | null>(n),
    postOnly: new Array<number>(n),
    stp: new Array<number>(n),
    status: new Array<number>(n),
    entry: new Array<number>(n),
    quantity: new Array<number>(n),
    content: new Array<number>(n),
    collateralBps: new Array<number>(n),
    feeBps: new Array<number>(n),
    blockPerTonne: new Array<number>(n),
  };
  for (let i = 0; i < n; i++) {
    const order = orders[i]!;
    columns.id[i] = order.id;
    columns.instrument[i] = named(order.instrument);
    columns.account[i] = named(order.account);
    columns.side[i] = named(order.side);
    columns.orderType[i] = named(order.orderType);
    columns.price[i] = order.price;
    columns.open[i] = order.open;
    columns.filled[i] = order.filled;
    columns.tif[i] = named(order.tif);
    columns.expireAtMs[i] = order.expireAtMs;
    columns.postOnly[i] = order.postOnly ? 1 : 0;
    columns.stp[i] = named(order.stp);
    columns.status[i] = named(order.status);
    columns.entry[i] = order.entry;
    columns.quantity[i] = order.quantity;
    columns.content[i] = named(order.content);
    columns.collateralBps[i] = order.collateralBps;
    columns.feeBps[i] = order.feeBps;
    columns.blockPerTonne[i] = order.blockPerTonne;
  }
  return {
    strings,
    id: columns.id,
    instrument: encodeColumn(columns.instrument),
    account: encodeColumn(columns.account),
    side: encodeColumn(columns.side),
    orderType: encodeColumn(columns.orderType),
    price: encodeColumn(columns.price),
    open: encodeColumn(columns.open),
    filled: encodeColumn(columns.filled),
    tif: encodeColumn(columns.tif),
    expireAtMs: encodeColumn(columns.expireAtMs),
    postOnly: encodeColumn(columns.postOnly),
    stp: encodeColumn(columns.stp),
    status: encodeColumn(columns.status),
    entry: encodeColumn(columns.entry),
    quantity: encodeColumn(columns.quantity),
    content: encodeColumn(columns.content),
    collateralBps: encodeColumn(columns.collateralBps),
    feeBps: encodeColumn(columns.feeBps),
    blockPerTonne: encodeColumn(columns.blockPerTonne),
  };
}

/** Done orders sorted by id as `DoneColumns`. */
function doneColumns(orders: readonly DoneOrder[]): DoneColumns {
  const table = new StringTable();
  const n = orders.length;
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = orders[i]!.id;
  // The id stems are named first, then each row's other strings: a fixed order, so the same state gives one table.
  const id = encodeIds(ids, table);
  const instrument = new Array<number>(n);
  const status = new Array<number>(n);
  const open = new Array<number>(n);
  const filled = new Array<number>(n);
  const content = new Array<number>(n);
  const instrumentOf = table.field();
  const statusOf = table.field();
  const contentOf = table.field();
  for (let i = 0; i < n; i++) {
    const order = orders[i]!;
    instrument[i] = instrumentOf(order.instrument);
    status[i] = statusOf(order.status);
    open[i] = order.open;
    filled[i] = order.filled;
    content[i] = contentOf(order.content);
  }
  return {
    strings: table.strings,
    id,
    instrument: encodeColumn(instrument),
    status: encodeColumn(status),
    open: encodeColumn(open),
    filled: encodeColumn(filled),
    content: encodeColumn(content),
  };
}

/**
 * Takes version 6's done orders: checks the columns (each holds every order, every string index names a string, every
 * status is a done one, no id twice) and reads the ids; the orders themselves are made from the columns: one when a
 * lookup names it, all that are left when all are needed (an instrument's close, a snapshot) or as the engine warms.
 */
function restoreDoneColumns(columns: DoneColumns, engine: Engine): void {
  const kind = "done order";
  invariant(
    typeof columns === "object" && columns !== null && Array.isArray(columns.strings),
    "snapshot done order columns are not columns",
  );
  const strings = columns.strings;
  const n = Math.max(0, columnLength(columns.id?.stem));
  const idReader = new IdColumnReader(columns.id, n, strings, "id", kind);
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = idReader.next();
  // The checks (the readers' constructors): every column holds n entries, every string index names a string.
  for (const name of ["instrument", "status", "content"] as const) {
    new TextColumnReader(columns[name], n, strings, name, kind);
  }
  new ColumnReader(columns.status, n, "status", kind).forEachValue((index) => {
    const text = strings[index];
    if (text !== "filled" && text !== "cancelled") {
      invariant(false, `snapshot done order column status holds ${text}, which is no done order's status`);
    }
  });
  new ColumnReader(columns.open, n, "open", kind);
  new ColumnReader(columns.filled, n, "filled", kind);
  // Read by row, so that a lookup of one done order makes only its record: the tail a start replays may cancel an order
  // that had filled (ORDER_NOT_RESTING), and making all 283,268 done orders for that took about 1.2 s at 1,000,000
  // commands.
  const instrumentAt = new RandomColumn(columns.instrument, n, "instrument");
  const statusAt = new RandomColumn(columns.status, n, "status");
  const openAt = new RandomColumn(columns.open, n, "open");
  const filledAt = new RandomColumn(columns.filled, n, "filled");
  const contentAt = new RandomColumn(columns.content, n, "content");
  /** 1 for a row whose record is not made yet. */
  const pending = new Uint8Array(n).fill(1);
  const make = (row: number): DoneOrder => {
    pending[row] = 0;
    const done: DoneOrder = {
      id: ids[row]!,
      instrument: strings[instrumentAt.at(row)]!,
      status: strings[statusAt.at(row)] as DoneOrder["status"],
      open: openAt.at(row),
      filled: filledAt.at(row),
      content: strings[contentAt.at(row)]!,
    };
    engine.restoreDone(done);
    return done;
  };
  let cursor = 0;
  engine.adoptDone(
    ids,
    (budget) => {
      for (let seen = 0; cursor < n && seen < budget; seen++, cursor++) if (pending[cursor] === 1) make(cursor);
      return cursor === n;
    },
    (row) => (pending[row] === 1 ? make(row) : undefined),
  );
}

/**
 * Restores version 5's markets and live orders: each market's orders are the next `bidOrders + askOrders` rows of the
 * columns, placed in its book straight from them. No record is made and no id indexed here: a market makes an order's
 * record when something first needs it, and the engine's index (`OrderIndex`) takes each record as it is made; the
 * rest are made by `Engine.warm` or at the first lookup that needs them. Throws when the columns and the markets'
 * counts disagree, a column is short or names no string, an order is on the wrong book, or an id repeats.
 */
function restoreMarketsFromColumns(snapshot: EngineSnapshot | EngineSnapshotV5, engine: Engine): void {
  const columns = new RestoredOrders(snapshot.orders);
  const n = columns.length;
  let counted = 0;
  for (const saved of snapshot.markets) {
    invariant(
      Number.isSafeInteger(saved.bidOrders) && saved.bidOrders >= 0,
      () => `snapshot market ${saved.spec.id} counts ${saved.bidOrders} bids`,
    );
    invariant(
      Number.isSafeInteger(saved.askOrders) && saved.askOrders >= 0,
      () => `snapshot market ${saved.spec.id} counts ${saved.askOrders} asks`,
    );
    counted += saved.bidOrders + saved.askOrders;
  }
  invariant(counted === n, () => `snapshot markets count ${counted} live orders, its columns hold ${n}`);
  engine.adoptRestored(columns, snapshot.markets);
}

/** The live orders `ids` names (a version 3 or 4 market's side), in that order; throws on an id that is not live. */
function recordsNamed(ids: readonly string[], orders: OrderIndex<OrderRecord>): OrderRecord[] {
  return ids.map((id) => {
    const order = orders.get(id);
    invariant(order !== undefined, () => `snapshot names unknown order ${id}`);
    return order;
  });
}

/** Adds the orders of `columns` to `orders` by id; throws when a column is short or names no string. */
function restoreOrderColumns(columns: OrderColumns, orders: OrderIndex<OrderRecord>): void {
  const n = columns.id.length;
  const names = [
    "instrument",
    "account",
    "side",
    "orderType",
    "price",
    "open",
    "filled",
    "tif",
    "expireAtMs",
    "postOnly",
    "stp",
    "status",
    "entry",
    "quantity",
    "content",
    "collateralBps",
    "feeBps",
    "blockPerTonne",
  ] as const;
  for (const name of names) {
    invariant(
      Array.isArray(columns[name]) && columns[name].length === n,
      () => `snapshot order column ${name} does not hold ${n} entries`,
    );
  }
  const strings = columns.strings;
  // Called seven times per order (hundreds of thousands at a start): no closure for the message unless it fails.
  const text = (index: number | undefined): string => {
    const found = strings[index!];
    if (found === undefined) invariant(false, `snapshot order column names string ${index}, which does not exist`);
    return found;
  };
  for (let i = 0; i < n; i++) {
    const order: OrderRecord = {
      id: columns.id[i]!,
      instrument: text(columns.instrument[i]),
      account: text(columns.account[i]),
      side: text(columns.side[i]) as Side,
      orderType: text(columns.orderType[i]) as OrderType,
      price: columns.price[i]!,
      open: columns.open[i]!,
      filled: columns.filled[i]!,
      tif: text(columns.tif[i]) as TimeInForce,
      expireAtMs: columns.expireAtMs[i]!,
      postOnly: columns.postOnly[i] === 1,
      stp: text(columns.stp[i]) as StpMode,
      status: text(columns.status[i]) as OrderStatus,
      handle: NIL,
      entry: columns.entry[i]!,
      quantity: columns.quantity[i]!,
      content: text(columns.content[i]),
      collateralBps: columns.collateralBps[i]!,
      feeBps: columns.feeBps[i]!,
      blockPerTonne: columns.blockPerTonne[i]!,
    };
    orders.set(order.id, order);
  }
}

/** A live order's record from version 3's form (its fields in the order `newOrder` creates them). */
function orderRecord(saved: OrderSnapshot): OrderRecord {
  return {
    id: saved.id,
    instrument: saved.instrument,
    account: saved.account,
    side: saved.side,
    orderType: saved.orderType,
    price: saved.price,
    open: saved.open,
    filled: saved.filled,
    tif: saved.tif,
    expireAtMs: saved.expireAtMs,
    postOnly: saved.postOnly,
    stp: saved.stp,
    status: saved.status,
    handle: NIL,
    entry: saved.entry,
    quantity: saved.quantity,
    content: saved.content,
    collateralBps: saved.collateralBps,
    feeBps: saved.feeBps,
    blockPerTonne: saved.blockPerTonne,
  };
}

function orderContent(command: NewOrderCommand): string {
  const orderType = command.orderType;
  return JSON.stringify([
    command.instrument,
    command.account,
    command.side,
    orderType,
    command.price ?? null,
    command.quantity,
    command.tif ?? (orderType === "limit" ? "GTC" : "IOC"),
    command.expireAtMs ?? null,
    command.postOnly ?? false,
    command.stp ?? STP_MODE_DEFAULT,
  ]);
}

/** Checks clearing terms; returns what is wrong as a phrase, or null. */
function checkClearingTerms(terms: Partial<ClearingTerms>, complete: boolean): string | null {
  const t = terms as Record<string, unknown>;
  if (complete && !validId(t.basis, ID_LENGTH_MAX)) return `basis ${show(t.basis)}: ${idRule(ID_LENGTH_MAX)}`;
  for (const name of ["collateralBps", "feeBps", "sellerPenaltyBps"] as const) {
    const value = t[name];
    if (!(isSafeWholeNumber(value) && value >= 0 && value <= BPS_PER_UNIT)) {
      return `${name} ${show(value)} must be a whole number of basis points from 0 to ${BPS_PER_UNIT}`;
    }
  }
  for (const name of ["paymentWindowMs", "deliveryWindowMs"] as const) {
    const value = t[name];
    if (!(isSafeWholeNumber(value) && value >= 1 && value <= CLEARING_WINDOW_MS_MAX)) {
      return `${name} ${show(value)} must be from 1 ms to one year`;
    }
  }
  if (t.buyerDefaultCollateralTo !== "seller" && t.buyerDefaultCollateralTo !== "exchange") {
    return `buyerDefaultCollateralTo ${show(t.buyerDefaultCollateralTo)} must be 'seller' or 'exchange'`;
  }
  const known = new Set([
    "basis",
    "collateralBps",
    "feeBps",
    "paymentWindowMs",
    "deliveryWindowMs",
    "buyerDefaultCollateralTo",
    "sellerPenaltyBps",
  ]);
  const unknown = Object.keys(t).filter((name) => !known.has(name));
  if (unknown.length > 0) return `unknown clearing field ${show(unknown[0])}`;
  return null;
}

/** Clearing terms with their fields in a fixed order, so snapshots and hashes do not depend on how they were sent. */
function normaliseTerms(terms: ClearingTerms): ClearingTerms {
  return {
    basis: terms.basis,
    collateralBps: terms.collateralBps,
    feeBps: terms.feeBps,
    paymentWindowMs: terms.paymentWindowMs,
    deliveryWindowMs: terms.deliveryWindowMs,
    buyerDefaultCollateralTo: terms.buyerDefaultCollateralTo,
    sellerPenaltyBps: terms.sellerPenaltyBps,
  };
}

function checkReason(reason: unknown): Problem | null {
  if (typeof reason !== "string" || reason.trim() === "" || reason.length > REASON_LENGTH_MAX) {
    return problem("FIELD_INVALID", {
      field: "reason",
      value: show(reason),
      rule: `every such change needs a reason of 1 to ${REASON_LENGTH_MAX} characters`,
    });
  }
  return null;
}

/** An outage period starts before the year 10000 and lasts at most a year. */
const OUTAGE_TIME_MS_MAX = 253_402_300_799_999;
const OUTAGE_LENGTH_MS_MAX = 366 * 86_400_000;
/** How far ahead an outage may start: a year (366 days) after the current time. */
const OUTAGE_AHEAD_MS_MAX = 366 * 86_400_000;

/** A month, YYYY-MM, in the calendar's years (1900–2199). */
const DELIVERY_PERIOD_PATTERN = /^(19\d\d|2[01]\d\d)-(0[1-9]|1[0-2])$/;

function checkDescription(description: InstrumentDescription, clearingBasis: string | null): string | null {
  const d = description as unknown as Record<string, unknown>;
  if (typeof d !== "object" || d === null) return "description must be an object";
  for (const field of ["product", "basis", "region"] as const) {
    if (!validId(d[field], ID_LENGTH_MAX)) return `description.${field} ${show(d[field])}: ${idRule(ID_LENGTH_MAX)}`;
  }
  if (typeof d.deliveryPeriod !== "string" || !DELIVERY_PERIOD_PATTERN.test(d.deliveryPeriod)) {
    return `description.deliveryPeriod ${show(d.deliveryPeriod)} must be a month, YYYY-MM`;
  }
  if (d.name !== undefined && (typeof d.name !== "string" || d.name.length === 0 || d.name.length > NAME_LENGTH_MAX)) {
    return `description.name must be 1 to ${NAME_LENGTH_MAX} characters`;
  }
  if (clearingBasis !== null && d.basis !== clearingBasis) {
    return `description.basis '${String(d.basis)}' differs from the clearing basis '${clearingBasis}'`;
  }
  const known = ["product", "basis", "region", "deliveryPeriod", "name", "transport"];
  const unknown = Object.keys(d).filter((k) => !known.includes(k));
  if (unknown.length > 0) return `unknown description field ${show(unknown[0])}`;
  return null;
}

/**
 * An instrument's transport: a mode (road, rail) and a unit of TRANSPORT_UNIT_KG_MIN to TRANSPORT_UNIT_KG_MAX kg that
 * the lot is a whole number of (a lot of 65 t by rail is one tank car; 1 t by road one tonne of a tank truck).
 */
function checkTransport(transport: InstrumentTransport, lotSize: number): Problem | null {
  const t = transport as unknown as Record<string, unknown>;
  if (typeof t !== "object" || t === null || Array.isArray(t)) {
    return problem("INSTRUMENT_INVALID", { reason: "description.transport must be an object with mode and unitKg" });
  }
  if (!(TRANSPORT_MODES as readonly unknown[]).includes(t.mode)) {
    return problem("INSTRUMENT_INVALID", {
      reason: `description.transport.mode ${show(t.mode)} is not one of ${TRANSPORT_MODES.join(", ")}`,
    });
  }
  const unknown = Object.keys(t).filter((k) => k !== "mode" && k !== "unitKg");
  if (unknown.length > 0) {
    return problem("INSTRUMENT_INVALID", { reason: `unknown description.transport field ${show(unknown[0])}` });
  }
  const unitKg = t.unitKg;
  if (!(isSafeWholeNumber(unitKg) && unitKg >= TRANSPORT_UNIT_KG_MIN && unitKg <= TRANSPORT_UNIT_KG_MAX)) {
    return problem("TRANSPORT_UNIT_INVALID", {
      value: show(unitKg),
      min: TRANSPORT_UNIT_KG_MIN,
      max: TRANSPORT_UNIT_KG_MAX,
    });
  }
  if (lotSize % unitKg !== 0) {
    return problem("LOT_NOT_TRANSPORT_UNITS", { lotSize, unitKg, mode: t.mode as string });
  }
  return null;
}

function normaliseDescription(d: InstrumentDescription): InstrumentDescription {
  return {
    product: d.product,
    basis: d.basis,
    region: d.region,
    deliveryPeriod: d.deliveryPeriod,
    ...(d.name === undefined ? {} : { name: d.name }),
    // Absent on instruments listed without it, so their snapshots and hashes stay as they were.
    ...(d.transport === undefined ? {} : { transport: { mode: d.transport.mode, unitKg: d.transport.unitKg } }),
  };
}
