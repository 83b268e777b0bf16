/**
 * The messages of the rulebook's remedies (remedies.ts has the rules): the commands, the events, and the re-offer and
 * negotiated deal they carry. Plain values only, so events.ts and commands.ts can name them without the rules.
 */

import type { ErrorCode } from "../domain/errors.ts";

export interface SessionExtraCommand {
  readonly type: "session.extra";
  readonly instrument: string;
  readonly reason: string;
}

export interface NegotiatedSubmitCommand {
  readonly type: "negotiated.submit";
  readonly instrument: string;
  /** The seller's account (the member submitting). */
  readonly seller: string;
  /** The counterparty's account. */
  readonly buyer: string;
  readonly price: number;
  readonly quantity: number;
}

export interface NegotiatedAnswerCommand {
  readonly type: "negotiated.accept" | "negotiated.reject";
  readonly deal: string;
  /** The account answering: the buyer accepts or rejects; the seller may withdraw (reject). */
  readonly account: string;
}

export type RemedyCommand = SessionExtraCommand | NegotiatedSubmitCommand | NegotiatedAnswerCommand;

export interface ReOffer {
  /** `RO-<seq>-<n>`: the n-th re-offer made by command `seq`; also the id of its sell order. */
  readonly id: string;
  readonly instrument: string;
  /** The original seller's account. */
  readonly seller: string;
  readonly quantityKg: number;
  /** The voided trade, or the re-offer whose unsold rest this is. */
  readonly source: string;
  /** `extra`: on the voided trade's instrument; `nationwide`: the fallback. */
  readonly stage: "extra" | "nationwide";
  /** True once its order is in an extra session. */
  offered: boolean;
}

export interface NegotiatedDeal {
  /** `ND-<seq>`. */
  readonly id: string;
  readonly instrument: string;
  readonly seller: string;
  readonly buyer: string;
  readonly price: number;
  readonly quantity: number;
  readonly submittedMs: number;
}

/** A negotiated trade: like a book trade, but of a deal, not of two orders. */
export interface NegotiatedTradeEvent {
  readonly type: "trade.negotiated";
  readonly instrument: string;
  /** The session's next trade id, as a book trade's (`T-<instrument>-S<session>-<n>`). */
  readonly tradeId: string;
  readonly deal: string;
  readonly price: number;
  readonly quantity: number;
  readonly buyAccount: string;
  readonly sellAccount: string;
}

export type RemedyEvent =
  | NegotiatedTradeEvent
  | { readonly type: "reoffer.created"; readonly reoffer: ReOffer }
  | { readonly type: "reoffer.offered"; readonly reoffer: ReOffer; readonly basePrice: number }
  | {
      readonly type: "reoffer.moved";
      readonly reoffer: ReOffer;
      readonly from: string;
      readonly unsoldKg: number;
      readonly basePrice: number | null;
    }
  | {
      readonly type: "reoffer.lapsed";
      readonly reoffer: ReOffer;
      readonly unsoldKg: number;
      readonly reason: string;
      readonly code: ErrorCode | null;
    }
  | {
      readonly type: "session.extraOpened";
      readonly instrument: string;
      readonly basePrice: number;
      readonly reoffers: readonly string[];
      readonly reason: string;
    }
  | {
      readonly type: "session.extraClosed";
      readonly instrument: string;
      readonly soldKg: number;
      readonly unsoldKg: number;
    }
  | { readonly type: "negotiated.submitted"; readonly deal: NegotiatedDeal }
  | { readonly type: "negotiated.accepted"; readonly deal: NegotiatedDeal; readonly tradeId: string }
  | { readonly type: "negotiated.rejected"; readonly deal: NegotiatedDeal; readonly by: string }
  | { readonly type: "negotiated.expired"; readonly deal: NegotiatedDeal };
