/**
 * Participation and concentration per instrument and month, published without naming anyone: how many members bought
 * and how many sold, the share of the five largest on each side, and the Herfindahl–Hirschman index of each side
 * (the competition agency's measure: Σ (share in %)², from near 0 for many small participants to 10,000 for one).
 *
 * Participants are members (a member trading through several accounts counts once); a broker's client accounts count
 * as the broker's member. The month is the calendar month in exchange time of the trade.
 *
 * Exactness: shares are taken in integers, top-5 share in basis points = Σ five largest × 10,000 / total and
 * HHI = Σ volume² × 10,000 / total², each rounded to the nearest integer, an exact half up.
 *
 * A trade the operator voids (`obligation.voided`) leaves its month's figures: its quantity comes off the trades, the
 * volume and both members' sides (a member left with nothing no longer counts). Negotiated trades never counted, so
 * their voids change nothing (each month remembers its negotiated trades' ids to tell them apart).
 *
 * Limits. `PARTICIPATION_MONTHS_KEPT_MAX` months per instrument are kept (the newest); an older month is dropped when
 * a newer one begins. Complexity: O(1) per trade; a month's figures cost O(members log members).
 */

import type { EngineEvent } from "../engine/events.ts";
import { compareText } from "./instruments.ts";
import { checkUtcOffset, divideRoundHalfUp, EXCHANGE_UTC_OFFSET_MS, localMonth } from "./numbers.ts";
import type { ProjectionOutcome } from "./outcome.ts";

/** Months of figures kept per instrument (five years). */
export const PARTICIPATION_MONTHS_KEPT_MAX = 60;
/** How many of the largest participants the top share sums. */
export const TOP_PARTICIPANTS = 5;

export interface SideConcentration {
  /** Members that traded on this side. */
  readonly participants: number;
  /** Share of the side's volume held by the largest five, in basis points. */
  readonly top5ShareBps: number;
  /** Herfindahl–Hirschman index, 0 to 10,000. */
  readonly hhi: number;
}

export interface MonthParticipation {
  readonly instrument: string;
  /** YYYY-MM, exchange time. */
  readonly month: string;
  readonly trades: number;
  readonly volumeKg: bigint;
  readonly buyers: SideConcentration;
  readonly sellers: SideConcentration;
}

interface Month {
  readonly month: string;
  trades: number;
  volumeKg: bigint;
  readonly buyers: Map<string, bigint>;
  readonly sellers: Map<string, bigint>;
}

export class Participation {
  private readonly utcOffsetMs: number;
  private readonly memberOf = new Map<string, string>();
  /** Instrument → its months, oldest first. */
  private readonly months = new Map<string, Month[]>();
  /** Instrument → month → its negotiated trades (never counted): a void of one of them changes nothing. */
  private readonly negotiated = new Map<string, Map<string, Set<string>>>();

  constructor(options: { utcOffsetMs?: number } = {}) {
    this.utcOffsetMs = checkUtcOffset(options.utcOffsetMs ?? EXCHANGE_UTC_OFFSET_MS);
  }

  apply(outcome: ProjectionOutcome): void {
    for (const event of outcome.events as readonly EngineEvent[]) {
      if (event.type === "account.opened") this.memberOf.set(event.id, event.member);
      else if (event.type === "trade") this.trade(event.instrument, outcome.timeMs, event);
      else if (event.type === "trade.negotiated") this.negotiatedTrade(event.instrument, event.tradeId, outcome.timeMs);
      else if (event.type === "obligation.voided") this.voided(event.obligation);
    }
  }

  private trade(
    instrument: string,
    timeMs: number,
    trade: { readonly quantity: number; readonly buyAccount: string; readonly sellAccount: string },
  ): void {
    const month = this.monthOf(instrument, localMonth(timeMs, this.utcOffsetMs));
    const quantity = BigInt(trade.quantity);
    month.trades++;
    month.volumeKg += quantity;
    const add = (side: Map<string, bigint>, account: string) => {
      const member = this.memberOf.get(account) ?? account;
      side.set(member, (side.get(member) ?? 0n) + quantity);
    };
    add(month.buyers, trade.buyAccount);
    add(month.sellers, trade.sellAccount);
  }

  private negotiatedTrade(instrument: string, tradeId: string, timeMs: number): void {
    let byMonth = this.negotiated.get(instrument);
    if (byMonth === undefined) {
      byMonth = new Map();
      this.negotiated.set(instrument, byMonth);
    }
    const name = localMonth(timeMs, this.utcOffsetMs);
    let ids = byMonth.get(name);
    if (ids === undefined) {
      ids = new Set();
      byMonth.set(name, ids);
      // Months arrive in order; keep as many as the figures.
      if (byMonth.size > PARTICIPATION_MONTHS_KEPT_MAX) byMonth.delete(byMonth.keys().next().value!);
    }
    ids.add(tradeId);
  }

  private voided(o: {
    readonly tradeId: string;
    readonly instrument: string;
    readonly tradeTimeMs: number;
    readonly quantity: number;
    readonly buyer: string;
    readonly seller: string;
  }): void {
    const name = localMonth(o.tradeTimeMs, this.utcOffsetMs);
    if (this.negotiated.get(o.instrument)?.get(name)?.delete(o.tradeId)) return;
    const month = this.months.get(o.instrument)?.find((m) => m.month === name);
    if (month === undefined) return;
    const quantity = BigInt(o.quantity);
    month.trades--;
    month.volumeKg -= quantity;
    const take = (side: Map<string, bigint>, account: string) => {
      const member = this.memberOf.get(account) ?? account;
      const left = (side.get(member) ?? 0n) - quantity;
      if (left > 0n) side.set(member, left);
      else side.delete(member);
    };
    take(month.buyers, o.buyer);
    take(month.sellers, o.seller);
  }

  private monthOf(instrument: string, name: string): Month {
    let list = this.months.get(instrument);
    if (list === undefined) {
      list = [];
      this.months.set(instrument, list);
    }
    // Time never goes back, so a trade is nearly always in the newest month.
    const newest = list[list.length - 1];
    if (newest?.month === name) return newest;
    const found = list.find((m) => m.month === name);
    if (found !== undefined) return found;
    const month: Month = {
      month: name,
      trades: 0,
      volumeKg: 0n,
      buyers: new Map(),
      sellers: new Map(),
    };
    list.push(month);
    list.sort((a, b) => compareText(a.month, b.month));
    if (list.length > PARTICIPATION_MONTHS_KEPT_MAX) list.shift();
    return month;
  }

  /** The months of an instrument, newest first. */
  history(instrument: string): MonthParticipation[] {
    return [...(this.months.get(instrument) ?? [])].reverse().map((m) => figures(instrument, m));
  }

  /** Every instrument's figures for one month, by instrument. */
  month(month: string): MonthParticipation[] {
    const out: MonthParticipation[] = [];
    for (const [instrument, list] of this.months) {
      const found = list.find((m) => m.month === month);
      if (found !== undefined) out.push(figures(instrument, found));
    }
    return out.sort((a, b) => compareText(a.instrument, b.instrument));
  }

  /** Months with any figures, newest first. */
  monthsKept(): string[] {
    const names = new Set<string>();
    for (const list of this.months.values()) for (const m of list) names.add(m.month);
    return [...names].sort(compareText).reverse();
  }
}

function figures(instrument: string, month: Month): MonthParticipation {
  return {
    instrument,
    month: month.month,
    trades: month.trades,
    volumeKg: month.volumeKg,
    buyers: concentration(month.buyers),
    sellers: concentration(month.sellers),
  };
}

/** Top-5 share and HHI of one side's volumes by member. */
export function concentration(volumes: ReadonlyMap<string, bigint>): SideConcentration {
  const sorted = [...volumes.values()].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const total = sorted.reduce((sum, v) => sum + v, 0n);
  if (total === 0n) return { participants: 0, top5ShareBps: 0, hhi: 0 };
  const top = sorted.slice(0, TOP_PARTICIPANTS).reduce((sum, v) => sum + v, 0n);
  const squares = sorted.reduce((sum, v) => sum + v * v, 0n);
  return {
    participants: sorted.length,
    top5ShareBps: Number(divideRoundHalfUp(top * 10_000n, total)),
    hhi: Number(divideRoundHalfUp(squares * 10_000n, total * total)),
  };
}
