/**
 * Rule 1, `wash-trade`: a trade whose buyer and seller accounts belong to the same member or the same group (a member
 * without a group being a group of its own, the same member always means the same group). One alert per (session,
 * unordered pair of accounts), listing every such trade; an account that met itself (possible in a call auction, where
 * self-trade prevention has no incoming order to act on) is the pair (A, A).
 *
 * The alert is raised at the pair's first such trade and raised again at each further one, with all its trades so far,
 * so the regulator's console shows every wash trade within a second of it (each raise is a new version of one alert).
 * Figures: `trades`, `quantityKg` (their total).
 *
 * Complexity: O(1) per trade. Memory: one entry per washing pair in the running sessions.
 */

import type { AlertSink } from "../alerts.ts";
import { Evidence } from "../alerts.ts";
import type { WashTradeConfig } from "../config.ts";
import type { Detector, SessionInfo } from "../detector.ts";
import type { Party } from "../parties.ts";
import type { TradeRecord } from "../records.ts";

export class WashPair extends Evidence {
  tradeCount = 0;
  quantityKg = 0;
  constructor(
    readonly key: string,
    readonly session: SessionInfo,
  ) {
    super();
    this.sessions.add(session.session);
  }
}

export class WashTradeDetector implements Detector {
  private readonly pairsBySession = new Map<string, Map<string, WashPair>>();

  constructor(
    private readonly config: WashTradeConfig,
    private readonly sink: AlertSink,
  ) {}

  trade(trade: TradeRecord, buyer: Party, seller: Party, session: SessionInfo): void {
    if (!this.config.enabled || buyer.group !== seller.group) return;
    const [a, b] = buyer.account <= seller.account ? [buyer.account, seller.account] : [seller.account, buyer.account];
    let pairs = this.pairsBySession.get(session.session);
    if (pairs === undefined) {
      pairs = new Map();
      this.pairsBySession.set(session.session, pairs);
    }
    const pairKey = `${a}\n${b}`;
    let pair = pairs.get(pairKey);
    if (pair === undefined) {
      pair = new WashPair(`wash-trade|${session.session}|${a}|${b}`, session);
      pairs.set(pairKey, pair);
    }
    pair.party(buyer);
    pair.party(seller);
    pair.order(trade.buyOrder);
    pair.order(trade.sellOrder);
    pair.trade(trade.trade);
    pair.time(trade.timeMs);
    pair.tradeCount++;
    pair.quantityKg += trade.quantityKg;
    this.raise(pair);
  }

  sessionEnd(session: SessionInfo): void {
    // Every pair was raised at its last trade: the session's end only frees its state.
    this.pairsBySession.delete(session.session);
  }

  private raise(pair: WashPair): void {
    this.sink.raise(
      pair.alert({
        key: pair.key,
        rule: "wash-trade",
        session: pair.session.session,
        instrument: pair.session.instrument,
        side: null,
        figures: { trades: pair.tradeCount, quantityKg: pair.quantityKg },
      }),
    );
  }
}
