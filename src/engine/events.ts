/**
 * Events: what the engine says happened. Every event is an immutable plain value that serialises to JSON as is;
 * projections, the journal and clients are built only from these. A command yields its events in the order things
 * happened inside it.
 */

import type { ErrorCode, ErrorDetails } from "../domain/errors.ts";
import type { InstrumentDescription } from "../domain/instrument.ts";
import type { CancelReason, OrderType, Side, StpMode, TimeInForce } from "../domain/order.ts";
import type { AccessEvent } from "./access.ts";
import type { AccreditationEvent } from "./accreditation.ts";
import type { SurplusSide } from "./auction.ts";
import type { TradingCalendar } from "./calendar.ts";
import type { ClearingEvent, ClearingTerms } from "./clearing.ts";
import type { DeliveryEvent } from "./delivery.ts";
import type { BuyerCategory, MemberRole } from "./members.ts";
import type { NoticeEvent } from "./notices.ts";
import type { Phase, TradingMode } from "./phases.ts";
import type { NegotiatedDeal, RemedyEvent, ReOffer } from "./remedy-events.ts";
import type { Safeguards } from "./safeguards.ts";
import type { CaseEvent, SurveillanceConfiguredEvent } from "./surveillance.ts";
import type { VatSetEvent } from "./vat.ts";

export type { CaseEvent, NegotiatedDeal, ReOffer, SurveillanceConfiguredEvent };

export interface RejectedEvent {
  readonly type: "rejected";
  /** The command kind that was refused, e.g. `order.new`. */
  readonly command: string;
  readonly orderId: string | null;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: ErrorDetails;
}

export interface InstrumentListedEvent {
  readonly type: "instrument.listed";
  readonly instrument: string;
  readonly mode: TradingMode;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly referencePrice: number | null;
  readonly clearing: ClearingTerms | null;
  readonly description: InstrumentDescription | null;
}

export interface InstrumentUpdatedEvent {
  readonly type: "instrument.updated";
  readonly instrument: string;
  readonly clearing: ClearingTerms | null;
  readonly reason: string;
}

export interface AcceptedEvent {
  readonly type: "order.accepted";
  readonly instrument: string;
  readonly orderId: string;
  readonly account: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly price: number | null;
  readonly quantity: number;
  readonly tif: TimeInForce;
  readonly expireAtMs: number | null;
  readonly postOnly: boolean;
  readonly stp: StpMode;
}

export interface TradeEvent {
  readonly type: "trade";
  readonly instrument: string;
  /** Exchange trade id: the instrument and a counter, a function of the command stream only. */
  readonly tradeId: string;
  readonly price: number;
  readonly quantity: number;
  readonly buyOrderId: string;
  readonly sellOrderId: string;
  readonly buyAccount: string;
  readonly sellAccount: string;
  /** Continuous trading: the resting order and the incoming one. An auction trade has no aggressor: both null. */
  readonly makerOrderId: string | null;
  readonly takerOrderId: string | null;
  readonly aggressor: Side | null;
  /** Open quantity of each order after this trade. */
  readonly buyOpen: number;
  readonly sellOpen: number;
}

export interface CancelledEvent {
  readonly type: "order.cancelled";
  readonly instrument: string;
  readonly orderId: string;
  readonly account: string;
  /** Open quantity that was cancelled. */
  readonly quantity: number;
  readonly reason: CancelReason;
}

export interface RestedEvent {
  readonly type: "order.rested";
  readonly instrument: string;
  readonly orderId: string;
  readonly price: number;
  readonly open: number;
}

export interface AmendedEvent {
  readonly type: "order.amended";
  readonly instrument: string;
  readonly orderId: string;
  readonly price: number;
  readonly open: number;
  /** True when the order kept its place in the queue (same price, lower quantity). */
  readonly priorityKept: boolean;
}

export interface PhaseChangedEvent {
  readonly type: "phase.changed";
  readonly instrument: string;
  readonly from: Phase;
  readonly to: Phase;
  /** Why, when it was not a scheduled change: "volatility", a halt's reason, "auction end", ... */
  readonly reason?: string;
  /** Volatility and resumption auctions: when the auction ends by itself. */
  readonly auctionEndsAtMs?: number;
}

export interface SafeguardsChangedEvent {
  readonly type: "safeguards.changed";
  readonly instrument: string;
  readonly safeguards: Safeguards;
  readonly reason: string;
}

export interface CalendarSetEvent {
  readonly type: "calendar.set";
  readonly instrument: string;
  readonly calendar: TradingCalendar;
  readonly reason: string;
}

/** A producer's outage disclosure, as published (commands.ts `OutagePublishCommand`). */
export interface OutagePublishedEvent {
  readonly type: "outage.published";
  /** `OUT-<seq>`. */
  readonly outage: string;
  readonly producer: string;
  readonly basis: string;
  readonly kind: "planned" | "unplanned";
  readonly fromMs: number;
  readonly toMs: number;
  readonly volumeKg: number;
  readonly reason: string;
  readonly publishedMs: number;
  /** Published at or after the start of the period it affects. */
  readonly late: boolean;
}

export interface SupplyPlannedEvent {
  readonly type: "supply.planned";
  readonly month: string;
  readonly producer: string;
  readonly basis: string;
  readonly plannedKg: number;
  readonly reason: string;
}

export interface AuctionEvent {
  readonly type: "auction.uncrossed";
  readonly instrument: string;
  readonly price: number | null;
  readonly volume: number;
  readonly surplus: number;
  readonly surplusSide: SurplusSide;
}

export interface ReferencePriceEvent {
  readonly type: "reference.set";
  readonly instrument: string;
  readonly price: number | null;
}

/** A retry of an order already accepted (same id, same content): the original is unchanged and reported as it is. */
export interface DuplicateEvent {
  readonly type: "order.duplicate";
  readonly instrument: string;
  readonly orderId: string;
  readonly status: "resting" | "filled" | "cancelled";
  readonly open: number;
  readonly filled: number;
}

export interface MemberAddedEvent {
  readonly type: "member.added";
  readonly member: string;
  readonly name: string;
  readonly roles: readonly MemberRole[];
  readonly buyerCategory: BuyerCategory | null;
  /** The member's BIN (12 digits), present only when the operator recorded one. */
  readonly bin?: string;
}

export interface MemberStatusEvent {
  readonly type: "member.suspended" | "member.reinstated";
  readonly member: string;
  readonly reason: string;
}

/** The operator recorded a member's group of persons (null: the member is a group of its own again). */
export interface MemberGroupedEvent {
  readonly type: "member.grouped";
  readonly member: string;
  readonly group: string | null;
  readonly evidence: string;
  readonly reason: string;
}

export interface AccountOpenedEvent {
  readonly type: "account.opened";
  readonly id: string;
  readonly member: string;
  readonly client: string | null;
  readonly canBuy: boolean;
  readonly canSell: boolean;
  readonly buyerCategory: BuyerCategory | null;
}

export interface MoneyEvent {
  readonly type: "money.deposited" | "money.withdrawn";
  readonly account: string;
  readonly amount: number;
  readonly reference: string;
}

export interface GasEvent {
  readonly type: "gas.declared" | "gas.withdrawn";
  readonly account: string;
  readonly basis: string;
  readonly quantity: number;
}

export type EngineEvent =
  | RejectedEvent
  | SafeguardsChangedEvent
  | SupplyPlannedEvent
  | OutagePublishedEvent
  | CalendarSetEvent
  | InstrumentUpdatedEvent
  | DuplicateEvent
  | MemberAddedEvent
  | MemberStatusEvent
  | MemberGroupedEvent
  | AccountOpenedEvent
  | MoneyEvent
  | GasEvent
  | ClearingEvent
  | DeliveryEvent
  | InstrumentListedEvent
  | AcceptedEvent
  | TradeEvent
  | CancelledEvent
  | RestedEvent
  | AmendedEvent
  | PhaseChangedEvent
  | AuctionEvent
  | ReferencePriceEvent
  | AccessEvent
  | AccreditationEvent
  | SurveillanceConfiguredEvent
  | VatSetEvent
  | NoticeEvent
  | CaseEvent
  | RemedyEvent;
