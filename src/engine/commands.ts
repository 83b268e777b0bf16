/**
 * Commands: what the engine is asked to do. A command arrives wrapped in a `SequencedCommand` that carries its
 * sequence number and timestamp (given by the sequencer: the engine reads no clock). Commands are immutable values
 * and are stored in the journal as they are; the engine validates every field itself, so a malformed command from
 * any source is rejected rather than trusted.
 */

import type { InstrumentDescription } from "../domain/instrument.ts";
import type { OrderType, Side, StpMode, TimeInForce } from "../domain/order.ts";

export type { InstrumentDescription };

import type { AccessCommand } from "./access.ts";
import type { AccreditationCommand } from "./accreditation.ts";
import type { TradingCalendar } from "./calendar.ts";
import type { ClearingTerms } from "./clearing.ts";
import type {
  AccountOpenCommand,
  GasCommand,
  MemberAddCommand,
  MemberGroupCommand,
  MoneyCommand,
  ObligationCommand,
  TradeVoidCommand,
} from "./clearinghouse.ts";
import type { ShipmentArriveCommand, ShipmentDispatchCommand, StationRegisterCommand } from "./delivery.ts";
import type { NoticeCommand } from "./notices.ts";
import type { Phase, TradingMode } from "./phases.ts";
import type { RemedyCommand } from "./remedy-events.ts";
import type { Safeguards } from "./safeguards.ts";
import type { SurveillanceCommand } from "./surveillance.ts";
import type { VatSetCommand } from "./vat.ts";

export type {
  AccountOpenCommand,
  AccreditationCommand,
  GasCommand,
  MemberAddCommand,
  MemberGroupCommand,
  MoneyCommand,
  ObligationCommand,
  ShipmentArriveCommand,
  ShipmentDispatchCommand,
  StationRegisterCommand,
  SurveillanceCommand,
  TradeVoidCommand,
  VatSetCommand,
};

export interface ListInstrumentCommand {
  readonly type: "instrument.list";
  readonly instrument: string;
  /** Optional for a bare book (replay, benchmarks); the server always gives it. */
  readonly description?: InstrumentDescription | null;
  readonly mode: TradingMode;
  /** Prices must be multiples of this (tiyn per tonne for gas). */
  readonly tickSize: number;
  /** Quantities must be multiples of this (kg for gas). */
  readonly lotSize: number;
  readonly referencePrice?: number | null;
  /** With clearing terms the instrument is cleared: risk checks, collateral, obligations. Without, a bare book. */
  readonly clearing?: ClearingTerms | null;
}

/** Changes clearing terms of a cleared instrument (new orders only); every change carries a reason. */
export interface UpdateInstrumentCommand {
  readonly type: "instrument.update";
  readonly instrument: string;
  readonly clearing: Partial<Omit<ClearingTerms, "basis">>;
  readonly reason: string;
}

/** Halts an instrument (the phase becomes `halted`) with a reason. */
export interface SuspendInstrumentCommand {
  readonly type: "instrument.suspend";
  readonly instrument: string;
  readonly reason: string;
}

/** The operator's kill switch: cancels all of a member's orders and blocks its order entry, or lifts that. */
export interface MemberStatusCommand {
  readonly type: "member.suspend" | "member.reinstate";
  readonly member: string;
  readonly reason: string;
}

/** The regulator sets an instrument's safeguards (safeguards.ts); only the named fields change. */
export interface SetSafeguardsCommand {
  readonly type: "safeguards.set";
  readonly instrument: string;
  readonly changes: Partial<Safeguards>;
  readonly reason: string;
}

/** Emergency halt, or resumption through an auction, of the whole market, one delivery region or one instrument. */
export interface HaltCommand {
  readonly type: "halt" | "resume";
  readonly scope: "market" | "region" | "instrument";
  readonly region?: string;
  readonly instrument?: string;
  readonly reason: string;
}

/** Domestic supply obligation: a producer's planned volume at a basis for a month. */
export interface SupplyPlanCommand {
  readonly type: "supply.plan";
  readonly month: string;
  readonly producer: string;
  readonly basis: string;
  readonly plannedKg: number;
  readonly reason: string;
}

/**
 * A producer discloses an outage or a change of output at one of its plants (a delivery basis the exchange trades)
 * before it takes effect: planned or unplanned, the period affected and the output lost. The engine names it
 * `OUT-<seq>`; one published at or after its start is marked late.
 */
export interface OutagePublishCommand {
  readonly type: "outage.publish";
  readonly producer: string;
  readonly basis: string;
  readonly kind: "planned" | "unplanned";
  readonly fromMs: number;
  readonly toMs: number;
  readonly volumeKg: number;
  readonly reason: string;
}

/** The operator sets an instrument's trading calendar (calendar.ts), with a reason. */
export interface SetCalendarCommand {
  readonly type: "calendar.set";
  readonly instrument: string;
  readonly calendar: TradingCalendar;
  readonly reason: string;
}

export interface NewOrderCommand {
  readonly type: "order.new";
  readonly instrument: string;
  /** Unique among all orders the engine has seen. */
  readonly orderId: string;
  readonly account: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly price?: number | null;
  readonly quantity: number;
  /** Default GTC for limit orders, IOC for market orders. */
  readonly tif?: TimeInForce;
  /** GTD only: the order expires when engine time reaches this (ms since epoch, UTC). */
  readonly expireAtMs?: number | null;
  readonly postOnly?: boolean;
  readonly stp?: StpMode;
}

export interface AmendOrderCommand {
  readonly type: "order.amend";
  readonly orderId: string;
  readonly price?: number | null;
  /** The new open quantity. */
  readonly quantity?: number | null;
}

export interface CancelOrderCommand {
  readonly type: "order.cancel";
  readonly orderId: string;
}

export interface MassCancelCommand {
  readonly type: "order.massCancel";
  readonly account: string;
  /** Only this instrument's orders; all instruments when absent. */
  readonly instrument?: string | null;
}

export interface SetPhaseCommand {
  readonly type: "phase.set";
  readonly instrument: string;
  readonly phase: Phase;
}

export interface SetReferencePriceCommand {
  readonly type: "reference.set";
  readonly instrument: string;
  readonly price: number | null;
}

/** Moves engine time forward without doing anything else: GTD orders whose time has come expire. */
export interface TickCommand {
  readonly type: "time.tick";
}

export type Command =
  | ListInstrumentCommand
  | UpdateInstrumentCommand
  | SuspendInstrumentCommand
  | MemberAddCommand
  | MemberStatusCommand
  | MemberGroupCommand
  | AccountOpenCommand
  | MoneyCommand
  | GasCommand
  | ObligationCommand
  | TradeVoidCommand
  | StationRegisterCommand
  | ShipmentDispatchCommand
  | ShipmentArriveCommand
  | SetSafeguardsCommand
  | HaltCommand
  | SupplyPlanCommand
  | OutagePublishCommand
  | SetCalendarCommand
  | NewOrderCommand
  | AmendOrderCommand
  | CancelOrderCommand
  | MassCancelCommand
  | SetPhaseCommand
  | SetReferencePriceCommand
  | AccessCommand
  | AccreditationCommand
  | SurveillanceCommand
  | VatSetCommand
  | NoticeCommand
  | RemedyCommand
  | TickCommand;

export type CommandType = Command["type"];

export const COMMAND_TYPES: readonly CommandType[] = [
  "instrument.list",
  "instrument.update",
  "instrument.suspend",
  "member.add",
  "member.suspend",
  "member.reinstate",
  "member.group",
  "account.open",
  "money.deposit",
  "money.withdraw",
  "gas.declare",
  "gas.withdraw",
  "obligation.confirmPayment",
  "obligation.confirmDelivery",
  "trade.void",
  "station.register",
  "shipment.dispatch",
  "shipment.arrive",
  "safeguards.set",
  "halt",
  "resume",
  "supply.plan",
  "outage.publish",
  "calendar.set",
  "order.new",
  "order.amend",
  "order.cancel",
  "order.massCancel",
  "phase.set",
  "reference.set",
  "user.create",
  "user.disable",
  "user.enable",
  "user.password",
  "user.secondFactor",
  "user.language",
  "apiKey.create",
  "apiKey.revoke",
  "tariff.set",
  "application.submit",
  "application.approve",
  "application.refuse",
  "member.exclude",
  "surveillance.configure",
  "case.open",
  "case.join",
  "case.review",
  "case.close",
  "case.note",
  "vat.set",
  "notices.prefer",
  "notices.read",
  "notices.mail",
  "session.extra",
  "negotiated.submit",
  "negotiated.accept",
  "negotiated.reject",
  "time.tick",
];

export interface SequencedCommand {
  /** Position in the journal: 1, 2, 3, ... without gaps. */
  readonly seq: number;
  /** When the sequencer took the command (ms since epoch, UTC); never decreases. */
  readonly timeMs: number;
  readonly command: Command;
}
