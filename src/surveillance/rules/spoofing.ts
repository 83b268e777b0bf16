/**
 * Rule 4, `spoofing`: an order cancelled entirely unfilled no more than 60,000 ms after entry, whose quantity as
 * entered is at least 5 times the median quantity of all orders entered in that session (the spoof order included;
 * for an even count the mean of the two middle values), while an order of the same account on the opposite side
 * received a fill at a time within the spoof order's life (entry to cancel, both included). One alert per (session,
 * account, side of the spoof order), raised when the session ends: only then is its median known.
 *
 * Reading of the rule (docs/surveillance.md): "that session" is the session the spoof order was entered in; the fill
 * may be on any of the account's orders on the opposite side, of any session or instrument, as long as its time lies
 * within the life; "cancelled" is the member's own cancel (an expiry or the exchange's cancellation is not one); an
 * amend does not change "as entered", and an order amended but never filled is still unfilled.
 *
 * The comparison is exact: with the median's two middle values m1 ≤ m2 (equal for an odd count),
 * 2 × quantity × 100 ≥ multiple × 100 × (m1 + m2). The alert names the spoof orders and the opposite orders that
 * filled within their lives (with the trades), from the first spoof order's entry to the last one's cancel. Figures:
 * `spoofOrders`, `quantityMaxKg`, `sessionMedianKg`, `lifeMaxMs`, `oppositeFills`, `oppositeFilledKg`.
 *
 * Complexity: O(1) per order and trade, O(the account's fills in the last `lifeMsMax`) per cancel; O(distinct
 * quantities × log) per session end for the median. Memory: per running session a count per distinct order
 * quantity and its cancelled candidates; per account its fills of the last `lifeMsMax`.
 */

import { InvariantError } from "../../domain/errors.ts";
import type { AlertSink } from "../alerts.ts";
import { Evidence } from "../alerts.ts";
import type { SpoofingConfig } from "../config.ts";
import type { Detector, SessionInfo } from "../detector.ts";
import type { Party } from "../parties.ts";
import { Queue } from "../queue.ts";
import type { CancelRecord, OrderRecord, Side, TradeRecord } from "../records.ts";

interface Fill {
  readonly timeMs: number;
  readonly order: string;
  readonly trade: string;
  readonly quantityKg: number;
}

interface Candidate {
  readonly cancel: CancelRecord;
  readonly party: Party;
  readonly fills: Fill[];
}

export class SessionOrders {
  /** Orders entered, by quantity as entered: the median's input. */
  readonly countByQuantityKg = new Map<number, number>();
  count = 0;
  readonly candidates: Candidate[] = [];
}

export class SpoofingDetector implements Detector {
  private readonly sessions = new Map<string, SessionOrders>();
  /** Per side and account, its fills of the last `lifeMsMax`. */
  private readonly fills: Record<Side, Map<string, Queue<Fill>>> = { buy: new Map(), sell: new Map() };
  /** Candidates cancelled at the latest time seen: a trade at that same time, given after the cancel, still counts. */
  private recent: Candidate[] = [];
  private recentMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly config: SpoofingConfig,
    private readonly sink: AlertSink,
  ) {}

  session(session: SessionInfo): void {
    if (this.config.enabled) this.sessions.set(session.session, new SessionOrders());
  }

  order(order: OrderRecord, _party: Party, session: SessionInfo): void {
    const state = this.sessions.get(session.session);
    if (state === undefined) return;
    state.count++;
    state.countByQuantityKg.set(order.quantityKg, (state.countByQuantityKg.get(order.quantityKg) ?? 0) + 1);
  }

  trade(trade: TradeRecord): void {
    if (!this.config.enabled) return;
    this.fill(trade.buyAccount, "buy", {
      timeMs: trade.timeMs,
      order: trade.buyOrder,
      trade: trade.trade,
      quantityKg: trade.quantityKg,
    });
    this.fill(trade.sellAccount, "sell", {
      timeMs: trade.timeMs,
      order: trade.sellOrder,
      trade: trade.trade,
      quantityKg: trade.quantityKg,
    });
  }

  private fill(account: string, side: Side, fill: Fill): void {
    let queue = this.fills[side].get(account);
    if (queue === undefined) {
      queue = new Queue();
      this.fills[side].set(account, queue);
    }
    const earliest = fill.timeMs - this.config.lifeMsMax;
    for (let first = queue.first(); first !== undefined && first.timeMs < earliest; first = queue.first())
      queue.shift();
    queue.push(fill);
    if (fill.timeMs === this.recentMs) {
      for (const candidate of this.recent) {
        if (candidate.cancel.account === account && candidate.cancel.side !== side) candidate.fills.push(fill);
      }
    }
  }

  cancel(cancel: CancelRecord, party: Party): void {
    if (!this.config.enabled || cancel.filledKg > 0) return;
    if (cancel.timeMs - cancel.enteredMs > this.config.lifeMsMax) return;
    const state = this.sessions.get(cancel.orderSession);
    // An order carried over from a session that has ended (a journal's GTC order) has no median any more.
    if (state === undefined) return;
    const candidate: Candidate = { cancel, party, fills: [] };
    const opposite = this.fills[cancel.side === "buy" ? "sell" : "buy"].get(cancel.account);
    opposite?.forEach((fill) => {
      if (fill.timeMs >= cancel.enteredMs && fill.timeMs <= cancel.timeMs) candidate.fills.push(fill);
    });
    state.candidates.push(candidate);
    if (cancel.timeMs !== this.recentMs) {
      this.recent = [];
      this.recentMs = cancel.timeMs;
    }
    this.recent.push(candidate);
  }

  sessionEnd(session: SessionInfo): void {
    const state = this.sessions.get(session.session);
    if (state === undefined) return;
    this.sessions.delete(session.session);
    if (state.candidates.length === 0) return;
    const [m1, m2] = middleValues(state.countByQuantityKg, state.count);
    const byAccountSide = new Map<string, Candidate[]>();
    for (const candidate of state.candidates) {
      if (candidate.fills.length === 0) continue;
      if (2 * candidate.cancel.quantityEnteredKg * 100 < Math.round(this.config.medianMultipleMin * 100) * (m1 + m2))
        continue;
      const key = `${candidate.cancel.account}\n${candidate.cancel.side}`;
      const list = byAccountSide.get(key);
      if (list === undefined) byAccountSide.set(key, [candidate]);
      else list.push(candidate);
    }
    for (const spoofs of byAccountSide.values()) {
      const { account, side } = spoofs[0]!.cancel;
      const evidence = new Evidence();
      evidence.sessions.add(session.session);
      const fills = new Map<string, Fill>();
      let quantityMaxKg = 0;
      let lifeMaxMs = 0;
      for (const { cancel, party, fills: own } of spoofs) {
        evidence.party(party);
        evidence.order(cancel.order);
        evidence.time(cancel.enteredMs);
        evidence.time(cancel.timeMs);
        quantityMaxKg = Math.max(quantityMaxKg, cancel.quantityEnteredKg);
        lifeMaxMs = Math.max(lifeMaxMs, cancel.timeMs - cancel.enteredMs);
        for (const fill of own) fills.set(fill.trade, fill);
      }
      let oppositeFilledKg = 0;
      for (const fill of fills.values()) {
        evidence.order(fill.order);
        evidence.trade(fill.trade);
        oppositeFilledKg += fill.quantityKg;
      }
      this.sink.raise(
        evidence.alert({
          key: `spoofing|${session.session}|${account}|${side}`,
          rule: "spoofing",
          session: session.session,
          instrument: session.instrument,
          side,
          figures: {
            spoofOrders: spoofs.length,
            quantityMaxKg,
            sessionMedianKg: (m1 + m2) / 2,
            lifeMaxMs,
            oppositeFills: fills.size,
            oppositeFilledKg,
          },
        }),
      );
    }
  }
}

/** The two middle values of `count` values given as counts per value (equal when the count is odd). */
export function middleValues(countByValue: ReadonlyMap<number, number>, count: number): [number, number] {
  const values = [...countByValue.keys()].sort((a, b) => a - b);
  // 0-based ranks of the middle values: (count - 1) / 2 rounded down and up.
  const low = Math.floor((count - 1) / 2);
  const high = Math.ceil((count - 1) / 2);
  let seen = 0;
  let m1 = 0;
  for (const value of values) {
    const next = seen + countByValue.get(value)!;
    if (low >= seen && low < next) m1 = value;
    if (high >= seen && high < next) return [m1, value];
    seen = next;
  }
  throw new InvariantError(`no median among ${count} values`);
}
