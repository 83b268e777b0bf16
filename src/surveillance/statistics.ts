/**
 * Per-session statistics the regulator watches beside the alerts: the top five buyers' and sellers' shares of the
 * session's traded volume, the Herfindahl–Hirschman index of each side, and each member's order-to-trade ratio.
 *
 * Definitions (docs/surveillance.md): buyers and sellers are groups of persons, as in the concentration rule (a
 * member without a group is its own group); a share is the group's bought (or sold) quantity over the session's traded
 * volume; the HHI is Σ share² with shares in percent, from 0 to 10,000, computed exactly and rounded to two decimals.
 * A member's order-to-trade ratio is its order-entry messages in the session (new, amend, cancel; a mass cancel is one
 * message) over the trades in the session its accounts were a party to (a trade between two of its accounts counts
 * once); null when it had no trade.
 *
 * Complexity: O(1) per record; O(groups log groups + members) at the session's end. Memory: per running session one
 * entry per active group and member.
 */

import { percent } from "./alerts.ts";
import type { Detector, SessionInfo } from "./detector.ts";
import type { Party } from "./parties.ts";
import type { TradeRecord } from "./records.ts";

/** How many of the largest buyers and sellers the statistics name. */
export const TOP_PARTICIPANTS = 5;

export interface Share {
  readonly group: string;
  readonly quantityKg: number;
  readonly sharePercent: number;
}

export interface OrderToTrade {
  readonly member: string;
  readonly messages: number;
  readonly trades: number;
  /** messages / trades, rounded to two decimals; null without trades. */
  readonly ratio: number | null;
}

export interface SessionStatistics {
  readonly session: string;
  readonly instrument: string;
  readonly trades: number;
  readonly volumeKg: number;
  /** The largest buyers and sellers, largest first (ties by group id). */
  readonly topBuyers: readonly Share[];
  readonly topSellers: readonly Share[];
  /** Shares of the top five together, in percent. */
  readonly topBuyersSharePercent: number;
  readonly topSellersSharePercent: number;
  readonly buyersHhi: number;
  readonly sellersHhi: number;
  /** Every member that sent a message or traded, by member id. */
  readonly orderToTrade: readonly OrderToTrade[];
}

export class Running {
  trades = 0;
  volumeKg = 0;
  readonly bought = new Map<string, number>();
  readonly sold = new Map<string, number>();
  readonly members = new Map<string, { messages: number; lastMessage: number; trades: number }>();

  member(member: string) {
    let state = this.members.get(member);
    if (state === undefined) {
      state = { messages: 0, lastMessage: Number.NaN, trades: 0 };
      this.members.set(member, state);
    }
    return state;
  }
}

export class StatisticsCollector implements Detector {
  private readonly running = new Map<string, Running>();

  constructor(private readonly onStatistics: (statistics: SessionStatistics) => void) {}

  session(session: SessionInfo): void {
    this.running.set(session.session, new Running());
  }

  order(record: { message: number }, party: Party, session: SessionInfo): void {
    this.message(record.message, party, session);
  }

  amend(record: { message: number }, party: Party, session: SessionInfo): void {
    this.message(record.message, party, session);
  }

  cancel(record: { message: number }, party: Party, session: SessionInfo): void {
    this.message(record.message, party, session);
  }

  private message(message: number, party: Party, session: SessionInfo): void {
    const running = this.running.get(session.session);
    if (running === undefined) return;
    const member = running.member(party.member);
    if (member.lastMessage === message) return;
    member.lastMessage = message;
    member.messages++;
  }

  trade(trade: TradeRecord, buyer: Party, seller: Party, session: SessionInfo): void {
    const running = this.running.get(session.session);
    if (running === undefined) return;
    running.trades++;
    running.volumeKg += trade.quantityKg;
    running.bought.set(buyer.group, (running.bought.get(buyer.group) ?? 0) + trade.quantityKg);
    running.sold.set(seller.group, (running.sold.get(seller.group) ?? 0) + trade.quantityKg);
    running.member(buyer.member).trades++;
    if (seller.member !== buyer.member) running.member(seller.member).trades++;
  }

  sessionEnd(session: SessionInfo): void {
    const running = this.running.get(session.session);
    if (running === undefined) return;
    this.running.delete(session.session);
    const buyers = shares(running.bought, running.volumeKg);
    const sellers = shares(running.sold, running.volumeKg);
    const top = (list: Share[]) => list.slice(0, TOP_PARTICIPANTS);
    const topShare = (list: Share[]) =>
      running.volumeKg === 0
        ? 0
        : percent(
            top(list).reduce((sum, s) => sum + s.quantityKg, 0),
            running.volumeKg,
          );
    this.onStatistics({
      session: session.session,
      instrument: session.instrument,
      trades: running.trades,
      volumeKg: running.volumeKg,
      topBuyers: top(buyers),
      topSellers: top(sellers),
      topBuyersSharePercent: topShare(buyers),
      topSellersSharePercent: topShare(sellers),
      buyersHhi: hhi(running.bought, running.volumeKg),
      sellersHhi: hhi(running.sold, running.volumeKg),
      orderToTrade: [...running.members]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([member, { messages, trades }]) => ({
          member,
          messages,
          trades,
          ratio: trades === 0 ? null : Math.round((messages * 100) / trades) / 100,
        })),
    });
  }
}

function shares(byGroup: ReadonlyMap<string, number>, volumeKg: number): Share[] {
  return [...byGroup]
    .map(([group, quantityKg]) => ({ group, quantityKg, sharePercent: percent(quantityKg, volumeKg) }))
    .sort((a, b) => b.quantityKg - a.quantityKg || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

/** Σ (share in percent)², exact in bigint, rounded half up to two decimals; 0 for a session without trades. */
export function hhi(byGroup: ReadonlyMap<string, number>, volumeKg: number): number {
  if (volumeKg === 0) return 0;
  let squares = 0n;
  for (const quantityKg of byGroup.values()) squares += BigInt(quantityKg) * BigInt(quantityKg);
  const volume = BigInt(volumeKg);
  // Σ (q / V × 100)² × 100 = Σ q² × 1,000,000 / V², rounded half up.
  const hundredths = (squares * 2_000_000n + volume * volume) / (2n * volume * volume);
  return Number(hundredths) / 100;
}
