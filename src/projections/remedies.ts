/**
 * The remedies as members and the operator see them (engine/remedies.ts has the rules): the negotiated deals waiting
 * for the buyer's answer, and the re-offers of voided volume waiting for an extra session, each as the engine last
 * reported it. Built from events only: `negotiated.submitted` adds a deal, its acceptance, rejection or expiry removes
 * it; `reoffer.created` and `reoffer.moved` add a re-offer, `reoffer.offered` marks it, and its lapse or the close of
 * its extra session removes it.
 *
 * Bounded by the engine: at most `NEGOTIATED_PENDING_PER_ACCOUNT_MAX` deals per seller account and
 * `REOFFERS_PER_INSTRUMENT_MAX` re-offers per instrument are ever pending. Complexity: O(1) per event; a query
 * O(pending).
 */

import type { EngineEvent, NegotiatedDeal, ReOffer } from "../engine/events.ts";
import type { ProjectionOutcome } from "./outcome.ts";

export class RemedyViews {
  private readonly deals = new Map<string, NegotiatedDeal>();
  private readonly reoffers = new Map<string, ReOffer>();
  /** The offered re-offers of each instrument in an extra session, removed at its close. */
  private readonly offered = new Map<string, Set<string>>();

  apply(outcome: ProjectionOutcome): void {
    for (const event of outcome.events as readonly EngineEvent[]) {
      switch (event.type) {
        case "negotiated.submitted":
          this.deals.set(event.deal.id, event.deal);
          break;
        case "negotiated.accepted":
        case "negotiated.rejected":
        case "negotiated.expired":
          this.deals.delete(event.deal.id);
          break;
        case "reoffer.created":
        case "reoffer.moved":
          this.reoffers.set(event.reoffer.id, event.reoffer);
          break;
        case "reoffer.offered": {
          this.reoffers.set(event.reoffer.id, event.reoffer);
          const set = this.offered.get(event.reoffer.instrument) ?? new Set<string>();
          set.add(event.reoffer.id);
          this.offered.set(event.reoffer.instrument, set);
          break;
        }
        case "reoffer.lapsed":
          this.reoffers.delete(event.reoffer.id);
          break;
        case "session.extraClosed":
          for (const id of this.offered.get(event.instrument) ?? []) this.reoffers.delete(id);
          this.offered.delete(event.instrument);
          break;
        default:
          break;
      }
    }
  }

  /** Pending deals the account sells or buys in, oldest first. */
  dealsOf(account: string): NegotiatedDeal[] {
    return [...this.deals.values()].filter((d) => d.seller === account || d.buyer === account);
  }

  deal(id: string): NegotiatedDeal | null {
    return this.deals.get(id) ?? null;
  }

  /** Re-offers waiting for or running in an extra session, oldest first. */
  pendingReoffers(): ReOffer[] {
    return [...this.reoffers.values()];
  }
}
