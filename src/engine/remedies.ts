/**
 * The rulebook's remedies after a trade (docs/market-rules.md §10):
 *
 * - Re-offer. A voided trade's volume is offered again in an extra session of its instrument (`session.extra`, the
 *   operator's command, at a time the operator chooses). The base price is the instrument's band reference when the
 *   extra session opens — the previous session's weighted average — rounded to the nearest tick (half up). Only the
 *   re-offered volume sells in an extra session: the engine enters it as a DAY limit sell of the original seller's
 *   account at the base price; members' own sell orders (and negotiated deals) are refused while it runs, and an extra
 *   session opens only on a book without sell orders. The re-offer order cannot be amended or cancelled by members.
 * - Nationwide fallback. When an extra session closes, what its re-offers did not sell moves automatically to the
 *   nationwide instrument (region `KZ`, same basis, product and delivery month), whose band reference becomes the
 *   extra session's weighted average (its base price when nothing traded) if it is closed at that moment. It is sold
 *   there in an extra session like any re-offer; what that leaves unsold lapses (the gas is the seller's, free).
 * - Negotiated (addressed) deals. A seller registers a deal agreed off the book with a buyer account; the buyer accepts
 *   or rejects it, either party may withdraw it (`negotiated.reject`), and it expires when the instrument closes. It
 *   trades only inside the session's price limits, covered like an order, and clears like a book trade. The trade is
 *   marked `negotiated`: it does not move the reference price, the band reference or the session's totals.
 *
 * Pure state: ids are functions of the command's sequence number; the engine (engine.ts) drives it.
 * Complexity: O(re-offers of one instrument) per extra session and close; O(1) per deal command.
 */

import { NATIONWIDE_REGION } from "../domain/instrument.ts";
import type { Market } from "./market.ts";
import type { NegotiatedDeal, ReOffer } from "./remedy-events.ts";

export type {
  NegotiatedAnswerCommand,
  NegotiatedDeal,
  NegotiatedSubmitCommand,
  NegotiatedTradeEvent,
  RemedyCommand,
  RemedyEvent,
  ReOffer,
  SessionExtraCommand,
} from "./remedy-events.ts";

/** Pending negotiated deals one seller account may have at a time. */
export const NEGOTIATED_PENDING_PER_ACCOUNT_MAX = 20;
/** Re-offers waiting for an extra session on one instrument. */
export const REOFFERS_PER_INSTRUMENT_MAX = 100;

export interface RemediesSnapshot {
  readonly reoffers: readonly ReOffer[];
  /** Instruments running an extra session, with its base price. */
  readonly extraSessions: readonly { readonly instrument: string; readonly basePrice: number }[];
  readonly deals: readonly NegotiatedDeal[];
}

export class Remedies {
  readonly reoffers = new Map<string, ReOffer>();
  readonly extraSessions = new Map<string, number>();
  readonly deals = new Map<string, NegotiatedDeal>();

  static restore(snapshot: RemediesSnapshot | undefined): Remedies {
    const r = new Remedies();
    for (const o of snapshot?.reoffers ?? []) r.reoffers.set(o.id, { ...o });
    for (const s of snapshot?.extraSessions ?? []) r.extraSessions.set(s.instrument, s.basePrice);
    for (const d of snapshot?.deals ?? []) r.deals.set(d.id, { ...d });
    return r;
  }

  get empty(): boolean {
    return this.reoffers.size === 0 && this.extraSessions.size === 0 && this.deals.size === 0;
  }

  snapshot(): RemediesSnapshot {
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return {
      reoffers: [...this.reoffers.values()].map((o) => ({ ...o })).sort(byId),
      extraSessions: [...this.extraSessions]
        .map(([instrument, basePrice]) => ({ instrument, basePrice }))
        .sort((a, b) => (a.instrument < b.instrument ? -1 : 1)),
      deals: [...this.deals.values()].map((d) => ({ ...d })).sort(byId),
    };
  }

  reoffersOn(instrument: string): ReOffer[] {
    return [...this.reoffers.values()]
      .filter((o) => o.instrument === instrument)
      .sort((a, b) => compareIds(a.id, b.id));
  }

  /** Whether an order id is a re-offer's order (members may not amend or cancel it). */
  isReofferOrder(orderId: string): boolean {
    const o = this.reoffers.get(orderId);
    return o?.offered === true;
  }

  pendingDealsOf(seller: string): number {
    let n = 0;
    for (const d of this.deals.values()) if (d.seller === seller) n++;
    return n;
  }

  dealsOn(instrument: string): NegotiatedDeal[] {
    return [...this.deals.values()].filter((d) => d.instrument === instrument).sort((a, b) => compareIds(a.id, b.id));
  }
}

/** Ids with numbers compare by their numbers (`RO-9-1` before `RO-10-1`), so order follows the journal. */
function compareIds(a: string, b: string): number {
  const na = a.split("-").slice(1).map(Number);
  const nb = b.split("-").slice(1).map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? 0) - (nb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The price nearest to `price` on the tick (half up), at least one tick. */
export function roundToTick(price: number, tickSize: number): number {
  return Math.max(tickSize, Math.floor((price + tickSize / 2) / tickSize) * tickSize);
}

/**
 * The nationwide instrument a re-offer on `from` falls back to: a cleared instrument delivering to `KZ` at the same
 * basis, of the same product and delivery month (the first listed), or undefined.
 */
export function nationwideFor(from: Market, markets: Iterable<Market>): Market | undefined {
  const d = from.spec.description;
  if (d === null || d.region === NATIONWIDE_REGION || from.clearing === null) return undefined;
  for (const m of markets) {
    const md = m.spec.description;
    if (
      m !== from &&
      md !== null &&
      m.clearing !== null &&
      md.region === NATIONWIDE_REGION &&
      m.clearing.basis === from.clearing.basis &&
      md.product === d.product &&
      md.deliveryPeriod === d.deliveryPeriod
    ) {
      return m;
    }
  }
  return undefined;
}
