/**
 * The shape every rule's detector has: it is told about each record of the history, already resolved to parties and
 * sessions by the `Surveillance` that drives it (surveillance.ts), and raises alerts into a sink. A detector is pure
 * (no clock, no I/O, no randomness: its time is the records' time) and keeps bounded state: what it needs about the
 * sessions still running, and a small summary of the ones before where its rule spans sessions.
 */

import type { Party } from "./parties.ts";
import type {
  AmendRecord,
  CancelRecord,
  DeclaredRecord,
  ObligationRecord,
  OrderRecord,
  TradeRecord,
  WithdrawnRecord,
} from "./records.ts";

export interface SessionInfo {
  readonly session: string;
  readonly instrument: string;
  /** 1, 2, 3, ... in the order the instrument's sessions began: rule 5 counts consecutive sessions by it. */
  readonly index: number;
  readonly openMs: number;
  readonly closeMs: number | null;
  readonly basis: string | null;
}

export interface Detector {
  session?(session: SessionInfo): void;
  order?(order: OrderRecord, party: Party, session: SessionInfo): void;
  amend?(amend: AmendRecord, party: Party, session: SessionInfo): void;
  /** `session` is the session the cancel counts in; the order's own session is `cancel.orderSession`. */
  cancel?(cancel: CancelRecord, party: Party, session: SessionInfo): void;
  trade?(trade: TradeRecord, buyer: Party, seller: Party, session: SessionInfo): void;
  /** The session's last record: per-session rules complete here. */
  sessionEnd?(session: SessionInfo, timeMs: number): void;
  declared?(declared: DeclaredRecord, party: Party): void;
  withdrawn?(withdrawn: WithdrawnRecord, party: Party): void;
  obligation?(obligation: ObligationRecord, group: string): void;
  /** The end of the history (every session has ended before this is called). */
  finish?(): void;
}
