/**
 * The market history surveillance reads: a neutral record model that both the `sauda surveil` JSON-lines contract
 * (history.ts) and the exchange's journal (journal.ts) are turned into, so the same detectors run over either.
 *
 * Units are the engine's: prices in tiyn per tonne, quantities in kg, times in ms since the epoch (UTC).
 *
 * Promises the adapters keep (the detectors rely on them and assert the ones that a mistake would hide):
 * - Records come in time order; records with equal times in the order things happened.
 * - A member is declared before its accounts, an account before its orders, a session before anything in it. A member
 *   may be declared again with another group: the new group applies from then on (groups are taken as recorded at the
 *   time of each event, so a live run and an offline run over the same history agree).
 * - Orders, amends, cancels and trades name a session that has been declared and has not ended. A `sessionEnd` is the
 *   last record of its session: the per-session rules complete there.
 * - Records carry what the detectors need about their order (account, side, when and how much it was entered, how much
 *   had filled), so no detector keeps a table of orders: that table belongs to the adapter, which knows when an order
 *   is done.
 * - `message` identifies the member's message an order, amend or cancel came from (a journal seq, a line number): one
 *   mass cancel is one message however many orders it cancels.
 */

import type { Side } from "../domain/order.ts";
import type { SurveillanceConfig } from "../domain/surveillance-config.ts";

export type { Side };

export interface MemberRecord {
  readonly kind: "member";
  readonly member: string;
  /** The member's group of persons; null: the member is a group of its own, named by its member id. */
  readonly group: string | null;
}

export interface AccountRecord {
  readonly kind: "account";
  readonly account: string;
  readonly member: string;
}

/** A trading session of one instrument: one trading day (a continuous session, or one call auction). */
export interface SessionRecord {
  readonly kind: "session";
  readonly session: string;
  readonly instrument: string;
  readonly openMs: number;
  /** Known in advance in a history file; null in a journal, where the session ends when the instrument closes. */
  readonly closeMs: number | null;
  /** The session's price limits (band or ceiling, floor); null when there is none. Orders carry the ones in force. */
  readonly upperLimitTiynPerTonne: number | null;
  readonly lowerLimitTiynPerTonne: number | null;
  /** The instrument's delivery basis, for the supply rule (withholding); null when unknown. */
  readonly basis: string | null;
}

export interface OrderRecord {
  readonly kind: "order";
  readonly timeMs: number;
  readonly message: number;
  readonly session: string;
  readonly order: string;
  readonly account: string;
  readonly side: Side;
  /** As entered; null for a market order. */
  readonly priceTiynPerTonne: number | null;
  /** As entered. */
  readonly quantityKg: number;
  /** The price limits in force when the order was entered (null: none on that side). */
  readonly upperLimitTiynPerTonne: number | null;
  readonly lowerLimitTiynPerTonne: number | null;
}

export interface AmendRecord {
  readonly kind: "amend";
  readonly timeMs: number;
  readonly message: number;
  /** The session the amend counts in: its order's session (a journal's order carried over from an earlier session counts in the current one). */
  readonly session: string;
  readonly order: string;
  readonly account: string;
  readonly side: Side;
  /** The new price, or null when unchanged. */
  readonly priceTiynPerTonne: number | null;
  /** The new open quantity, or null when unchanged. */
  readonly quantityKg: number | null;
  /** How much the amend added to the open quantity (0 for a decrease): quantity newly offered or bid. */
  readonly addedKg: number;
}

/** A member's cancel of one order (the exchange's own cancellations, such as expiry, are not in the history). */
export interface CancelRecord {
  readonly kind: "cancel";
  readonly timeMs: number;
  readonly message: number;
  /** The session the cancel counts in (see `AmendRecord.session`). */
  readonly session: string;
  readonly order: string;
  readonly account: string;
  readonly side: Side;
  /** The session the order was entered in. */
  readonly orderSession: string;
  readonly enteredMs: number;
  readonly quantityEnteredKg: number;
  /** Filled before the cancel: 0 means the order was cancelled entirely unfilled. */
  readonly filledKg: number;
}

export interface TradeRecord {
  readonly kind: "trade";
  readonly timeMs: number;
  readonly session: string;
  readonly trade: string;
  readonly buyOrder: string;
  readonly sellOrder: string;
  readonly buyAccount: string;
  readonly sellAccount: string;
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
}

export interface SessionEndRecord {
  readonly kind: "sessionEnd";
  readonly timeMs: number;
  readonly session: string;
}

/** A seller declared gas available for sale at a basis (the withholding rule's declared volume). */
export interface DeclaredRecord {
  readonly kind: "declared";
  readonly timeMs: number;
  readonly account: string;
  readonly basis: string;
  readonly quantityKg: number;
}

/** A member took gas back from the exchange at a basis (exported, sold elsewhere, or lifted after a purchase). */
export interface WithdrawnRecord {
  readonly kind: "withdrawn";
  readonly timeMs: number;
  readonly account: string;
  readonly basis: string;
  readonly quantityKg: number;
}

/** A producer's domestic supply obligation for a month at a basis; a later one for the same month replaces it. */
export interface ObligationRecord {
  readonly kind: "obligation";
  readonly member: string;
  readonly basis: string;
  /** YYYY-MM. */
  readonly month: string;
  readonly quantityKg: number;
}

/**
 * The regulator changed the surveillance configuration (a journal's `surveillance.configured`): the thresholds apply
 * from this record on, and a rule disabled raises nothing while it stays disabled.
 */
export interface ConfigRecord {
  readonly kind: "config";
  readonly timeMs: number;
  readonly config: SurveillanceConfig;
}

export type MarketRecord =
  | ConfigRecord
  | MemberRecord
  | AccountRecord
  | SessionRecord
  | OrderRecord
  | AmendRecord
  | CancelRecord
  | TradeRecord
  | SessionEndRecord
  | DeclaredRecord
  | WithdrawnRecord
  | ObligationRecord;
