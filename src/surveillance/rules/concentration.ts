/**
 * Rule 2, `concentration` (the SPIMEX/FAS criterion): in one session, a group bought — or sold — more than 35% of the
 * session's traded volume and more than 300 t. One alert per (session, group, side), when the session ends (only then
 * is the session's volume known).
 *
 * The session's traded volume is the sum of its trades' quantities, each trade counted once; a group's bought volume
 * is the sum over trades whose buyer account is in the group (so a trade between two accounts of one group counts to
 * both its sides). Both comparisons are strict and exact (integers): share × 10,000 > `shareAboveBps` × volume, and
 * quantity > `quantityAboveKg`. The alert names the group's accounts that traded on that side, their orders and
 * trades, from the first such trade to the last. Figures: `quantityKg`, `sessionVolumeKg`, `sharePercent` (rounded
 * to four decimals; the comparison used the exact quantities).
 *
 * Complexity: O(1) per trade; O(groups active in the session) at its end. Memory: one entry per (group, side) per
 * running session.
 */

import type { AlertSink } from "../alerts.ts";
import { Evidence, percent } from "../alerts.ts";
import type { ConcentrationConfig } from "../config.ts";
import type { Detector, SessionInfo } from "../detector.ts";
import type { Party } from "../parties.ts";
import type { Side, TradeRecord } from "../records.ts";

export class Holding extends Evidence {
  quantityKg = 0;
  constructor(
    readonly group: string,
    readonly side: Side,
  ) {
    super();
  }
}

export class SessionVolume {
  volumeKg = 0;
  /** By side, then by group. */
  readonly holdings: Record<Side, Map<string, Holding>> = { buy: new Map(), sell: new Map() };
}

export class ConcentrationDetector implements Detector {
  private readonly sessions = new Map<string, SessionVolume>();

  constructor(
    private readonly config: ConcentrationConfig,
    private readonly sink: AlertSink,
  ) {}

  trade(trade: TradeRecord, buyer: Party, seller: Party, session: SessionInfo): void {
    if (!this.config.enabled) return;
    let state = this.sessions.get(session.session);
    if (state === undefined) {
      state = new SessionVolume();
      this.sessions.set(session.session, state);
    }
    state.volumeKg += trade.quantityKg;
    this.add(state, "buy", buyer, trade.buyOrder, trade);
    this.add(state, "sell", seller, trade.sellOrder, trade);
  }

  private add(state: SessionVolume, side: Side, party: Party, order: string, trade: TradeRecord): void {
    const holdings = state.holdings[side];
    let holding = holdings.get(party.group);
    if (holding === undefined) {
      holding = new Holding(party.group, side);
      holdings.set(party.group, holding);
    }
    holding.quantityKg += trade.quantityKg;
    holding.party(party);
    holding.order(order);
    holding.trade(trade.trade);
    holding.time(trade.timeMs);
  }

  sessionEnd(session: SessionInfo): void {
    const state = this.sessions.get(session.session);
    if (state === undefined) return;
    this.sessions.delete(session.session);
    const volume = BigInt(state.volumeKg);
    for (const holding of [...state.holdings.buy.values(), ...state.holdings.sell.values()]) {
      const quantity = BigInt(holding.quantityKg);
      if (quantity * 10_000n <= BigInt(this.config.shareAboveBps) * volume) continue;
      if (holding.quantityKg <= this.config.quantityAboveKg) continue;
      holding.sessions.add(session.session);
      this.sink.raise(
        holding.alert({
          key: `concentration|${session.session}|${holding.group}|${holding.side}`,
          rule: "concentration",
          session: session.session,
          instrument: session.instrument,
          side: holding.side,
          figures: {
            quantityKg: holding.quantityKg,
            sessionVolumeKg: state.volumeKg,
            sharePercent: percent(holding.quantityKg, state.volumeKg),
          },
        }),
      );
    }
  }
}
