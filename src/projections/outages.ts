/**
 * Supply-side disclosure: the outages and output changes producers publish for their plants (engine command
 * `outage.publish`), as the public sees them on the board and as a feed, newest first. One published at or after the
 * start of the period it affects is marked `late`; the regulator lists those.
 *
 * Limits. The newest `OUTAGES_KEPT_MAX` disclosures are kept (the journal has all); a query returns at most
 * `OUTAGES_QUERY_LIMIT_MAX`. Complexity: O(1) per disclosure; a query scans kept ones newest first, O(kept).
 */

import type { EngineEvent, OutagePublishedEvent } from "../engine/events.ts";
import type { ProjectionOutcome } from "./outcome.ts";
import { Ring } from "./ring.ts";

export const OUTAGES_KEPT_MAX = 10_000;
export const OUTAGES_QUERY_LIMIT_MAX = 1000;

export type Outage = Omit<OutagePublishedEvent, "type"> & { readonly seq: number };

export interface OutageFilter {
  readonly basis?: string;
  readonly producer?: string;
  /** Only late ones (true) or only timely ones (false). */
  readonly late?: boolean;
  /** Only those whose period has not ended by then. */
  readonly activeAtMs?: number;
  readonly limit?: number;
}

export class Outages {
  private readonly kept = new Ring<Outage>(OUTAGES_KEPT_MAX);

  apply(outcome: ProjectionOutcome): void {
    for (const event of outcome.events as readonly EngineEvent[]) {
      if (event.type !== "outage.published") continue;
      const { type: _type, ...outage } = event;
      this.kept.push({ seq: outcome.seq, ...outage });
    }
  }

  /** Matching disclosures, newest first. */
  query(filter: OutageFilter = {}): Outage[] {
    const limit = Math.max(0, Math.min(Math.floor(filter.limit ?? 100), OUTAGES_QUERY_LIMIT_MAX));
    const out: Outage[] = [];
    if (limit === 0) return out;
    this.kept.scanNewestFirst((o) => {
      if (
        (filter.basis === undefined || o.basis === filter.basis) &&
        (filter.producer === undefined || o.producer === filter.producer) &&
        (filter.late === undefined || o.late === filter.late) &&
        (filter.activeAtMs === undefined || o.toMs > filter.activeAtMs)
      ) {
        out.push(o);
      }
      return out.length < limit;
    });
    return out;
  }

  get size(): number {
    return this.kept.length;
  }
}
