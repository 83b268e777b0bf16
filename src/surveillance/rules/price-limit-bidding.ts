/**
 * Rule 5, `price-limit-bidding` (the FAS flag for bids that push the price to the limit): orders entered exactly at the
 * session's upper price limit (band or ceiling in force) on the buy side, or at the lower one on the sell side, by the
 * same group in at least 3 of any 10 consecutive sessions of the same instrument — counting every session of the
 * instrument, with or without limits; an amend onto the limit does not count. One alert per (group, instrument, side),
 * naming every session in which that group entered such an order.
 *
 * Reading of the rule (docs/surveillance.md): "3 of any 10 consecutive sessions" holds when three such sessions lie
 * within a span of 10 consecutive sessions of the instrument (the third no more than 9 sessions after the first), also
 * when the history has fewer than 10 sessions in all. The limit is the one in force when the order was entered (a
 * history file gives one per session). Market orders have no price and take no part.
 *
 * Raised as soon as a group's order makes a qualifying session, again at each session's end while the group added
 * orders at the limit, and at the end of the history. Figures: `sessionsAtLimit` (all named sessions),
 * `sessionsInWindowMax` (the most of them within any `windowSessions` consecutive sessions), `windowSessions`.
 *
 * Complexity: O(1) per order (O(its group's sessions at the limit) when it opens a new one). Memory: per (group,
 * instrument, side) one entry per session with an order at the limit.
 */

import type { AlertSink } from "../alerts.ts";
import { Evidence } from "../alerts.ts";
import type { PriceLimitBiddingConfig } from "../config.ts";
import type { Detector, SessionInfo } from "../detector.ts";
import type { Party } from "../parties.ts";
import type { OrderRecord, Side } from "../records.ts";

export class Track extends Evidence {
  /** Session indices (per instrument) with an order at the limit, in the order met. */
  readonly indices: number[] = [];
  raised = false;
  constructor(
    readonly key: string,
    readonly group: string,
    readonly instrument: string,
    readonly side: Side,
  ) {
    super();
  }
}

export class PriceLimitBiddingDetector implements Detector {
  private readonly tracks = new Map<string, Track>();
  private readonly dirty = new Set<Track>();

  constructor(
    private readonly config: PriceLimitBiddingConfig,
    private readonly sink: AlertSink,
  ) {}

  order(order: OrderRecord, party: Party, session: SessionInfo): void {
    if (!this.config.enabled || order.priceTiynPerTonne === null) return;
    const limit = order.side === "buy" ? order.upperLimitTiynPerTonne : order.lowerLimitTiynPerTonne;
    if (limit === null || order.priceTiynPerTonne !== limit) return;
    const key = `price-limit-bidding|${party.group}|${session.instrument}|${order.side}`;
    let track = this.tracks.get(key);
    if (track === undefined) {
      track = new Track(key, party.group, session.instrument, order.side);
      this.tracks.set(key, track);
    }
    track.party(party);
    track.order(order.order);
    track.time(order.timeMs);
    if (track.sessions.has(session.session)) {
      if (track.raised) this.dirty.add(track);
      return;
    }
    track.sessions.add(session.session);
    track.indices.push(session.index);
    if (this.inWindowMax(track) >= this.config.sessionsMin) this.raise(track);
  }

  sessionEnd(): void {
    for (const track of this.dirty) this.raise(track);
    this.dirty.clear();
  }

  /** The most sessions at the limit within any `windowSessions` consecutive sessions. */
  private inWindowMax(track: Track): number {
    const indices = [...track.indices].sort((a, b) => a - b);
    let best = 0;
    let start = 0;
    for (let end = 0; end < indices.length; end++) {
      while (indices[end]! - indices[start]! >= this.config.windowSessions) start++;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }

  private raise(track: Track): void {
    track.raised = true;
    this.dirty.delete(track);
    this.sink.raise(
      track.alert({
        key: track.key,
        rule: "price-limit-bidding",
        session: null,
        instrument: track.instrument,
        side: track.side,
        figures: {
          sessionsAtLimit: track.sessions.size,
          sessionsInWindowMax: this.inWindowMax(track),
          windowSessions: this.config.windowSessions,
        },
      }),
    );
  }
}
