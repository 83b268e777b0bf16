/**
 * Rule 7, `withholding`: a producer whose offered volume in a month falls short of its declared available volume or
 * its supply obligation by more than 10% while the instrument's session price rose by more than 5% over the month. One
 * alert per (producer, instrument, month).
 *
 * Definitions (docs/surveillance.md): months are calendar months of exchange time (UTC + `utcOffsetMs`), a session
 * belonging to the month it opened in. The producer is a member (all its accounts count). Offered: sell quantity it
 * entered in the month on instruments of the basis (orders as entered, plus what amends added), as the supply
 * obligations view counts it. Declared: gas it declared for sale at the basis during the month, less the gas it took
 * back from the exchange there during the month (`gas.withdraw`: exported, sold elsewhere — openly no longer for sale
 * here, which is not holding it back on the exchange), never below 0. Obligation: its planned volume for the month at
 * the basis (the latest plan): gas withdrawn does not reduce it. Short: offered × 10,000 < reference × (10,000 −
 * `shortfallAboveBps`) for the declared volume or the obligation (a reference of 0 is never short). The session price
 * is a session's volume-weighted average; it rose over the month when the last traded session's average exceeds the
 * first one's by more than `priceRiseAboveBps` (exactly, in integers). Not part of the `sauda surveil` file contract,
 * which has no declared volumes.
 *
 * A month of an instrument completes when the instrument's first session of a later month begins, or at the end of
 * the history. Figures: `offeredKg`, `declaredKg` (as declared), `withdrawnKg`, `obligationKg`, `firstPriceTiynPerTonne`,
 * `lastPriceTiynPerTonne` (session averages, rounded half up), `priceRisePercent`.
 *
 * Complexity: O(1) per record; O(producers at the basis) per completed month. Memory: per month still open, totals
 * per (member, basis) and per instrument.
 */

import { isoDateOfDay } from "../../engine/calendar.ts";
import type { AlertSink } from "../alerts.ts";
import { Evidence, percent } from "../alerts.ts";
import type { WithholdingConfig } from "../config.ts";
import type { Detector, SessionInfo } from "../detector.ts";
import type { Party } from "../parties.ts";
import type {
  AmendRecord,
  DeclaredRecord,
  ObligationRecord,
  OrderRecord,
  TradeRecord,
  WithdrawnRecord,
} from "../records.ts";

const DAY_MS = 86_400_000;

/** A producer's month at a basis. */
export class Supply extends Evidence {
  offeredKg = 0;
  declaredKg = 0;
  withdrawnKg = 0;
  obligationKg = 0;
  constructor(readonly member: string) {
    super();
  }
}

interface SessionPrice {
  readonly session: string;
  readonly openMs: number;
  valueTiynKg: bigint;
  volumeKg: bigint;
  endMs: number;
}

/** An instrument's month: its sessions and the first and last that traded. */
export class InstrumentMonth {
  readonly sessions: SessionPrice[] = [];
  constructor(
    readonly instrument: string,
    readonly basis: string,
    readonly month: string,
  ) {}
}

export class WithholdingDetector implements Detector {
  /** `${month}\n${basis}\n${member}` → the producer's supply that month. */
  private readonly supply = new Map<string, Supply>();
  private readonly months = new Map<string, InstrumentMonth>();
  /** Running sessions' prices. */
  private readonly running = new Map<
    string,
    { price: SessionPrice; month: InstrumentMonth; supplies: Map<string, Supply> }
  >();
  private readonly groupOfMember = new Map<string, string>();

  constructor(
    private readonly config: WithholdingConfig,
    private readonly sink: AlertSink,
  ) {}

  private monthOf(timeMs: number): string {
    return isoDateOfDay(Math.floor((timeMs + this.config.utcOffsetMs) / DAY_MS)).slice(0, 7);
  }

  private supplyOf(month: string, basis: string, party: { member: string; group: string }): Supply {
    const key = `${month}\n${basis}\n${party.member}`;
    let supply = this.supply.get(key);
    if (supply === undefined) {
      supply = new Supply(party.member);
      this.supply.set(key, supply);
    }
    this.groupOfMember.set(party.member, party.group);
    return supply;
  }

  session(session: SessionInfo): void {
    if (!this.config.enabled || session.basis === null) return;
    const month = this.monthOf(session.openMs);
    const previous = this.months.get(session.instrument);
    if (previous !== undefined && previous.month !== month) this.complete(previous);
    let current = this.months.get(session.instrument);
    if (current === undefined) {
      current = new InstrumentMonth(session.instrument, session.basis, month);
      this.months.set(session.instrument, current);
    }
    const price: SessionPrice = {
      session: session.session,
      openMs: session.openMs,
      valueTiynKg: 0n,
      volumeKg: 0n,
      endMs: session.openMs,
    };
    current.sessions.push(price);
    this.running.set(session.session, { price, month: current, supplies: new Map() });
  }

  order(order: OrderRecord, party: Party, session: SessionInfo): void {
    if (order.side === "sell") this.offered(order.order, order.timeMs, order.quantityKg, party, session);
  }

  amend(amend: AmendRecord, party: Party, session: SessionInfo): void {
    if (amend.side === "sell" && amend.addedKg > 0)
      this.offered(amend.order, amend.timeMs, amend.addedKg, party, session);
  }

  private offered(order: string, timeMs: number, quantityKg: number, party: Party, session: SessionInfo): void {
    const running = this.running.get(session.session);
    if (running === undefined) return;
    let supply = running.supplies.get(party.member);
    if (supply === undefined) {
      supply = this.supplyOf(running.month.month, running.month.basis, party);
      running.supplies.set(party.member, supply);
    }
    supply.offeredKg += quantityKg;
    supply.party(party);
    supply.order(order);
    supply.time(timeMs);
  }

  trade(trade: TradeRecord, _buyer: Party, _seller: Party, session: SessionInfo): void {
    const running = this.running.get(session.session);
    if (running === undefined) return;
    running.price.valueTiynKg += BigInt(trade.priceTiynPerTonne) * BigInt(trade.quantityKg);
    running.price.volumeKg += BigInt(trade.quantityKg);
  }

  sessionEnd(session: SessionInfo, timeMs: number): void {
    const running = this.running.get(session.session);
    if (running === undefined) return;
    running.price.endMs = timeMs;
    this.running.delete(session.session);
  }

  declared(declared: DeclaredRecord, party: Party): void {
    if (!this.config.enabled) return;
    const supply = this.supplyOf(this.monthOf(declared.timeMs), declared.basis, party);
    supply.declaredKg += declared.quantityKg;
    supply.party(party);
  }

  withdrawn(withdrawn: WithdrawnRecord, party: Party): void {
    if (!this.config.enabled) return;
    // Only a member that declared gas or owes a plan at the basis this month: a buyer lifting its purchase keeps no state.
    const supply = this.supply.get(`${this.monthOf(withdrawn.timeMs)}\n${withdrawn.basis}\n${party.member}`);
    if (supply !== undefined) supply.withdrawnKg += withdrawn.quantityKg;
  }

  obligation(obligation: ObligationRecord, group: string): void {
    if (!this.config.enabled) return;
    const supply = this.supplyOf(obligation.month, obligation.basis, { member: obligation.member, group });
    supply.obligationKg = obligation.quantityKg;
    supply.members.add(obligation.member);
    supply.groups.add(group);
  }

  finish(): void {
    for (const month of [...this.months.values()]) this.complete(month);
  }

  private complete(month: InstrumentMonth): void {
    this.months.delete(month.instrument);
    const traded = month.sessions.filter((s) => s.volumeKg > 0n);
    if (traded.length < 2) return;
    const first = traded[0]!;
    const last = traded.at(-1)!;
    // last average > first average × (1 + rise): compare the cross products exactly.
    const rose =
      last.valueTiynKg * first.volumeKg * 10_000n >
      first.valueTiynKg * last.volumeKg * BigInt(10_000 + this.config.priceRiseAboveBps);
    if (!rose) return;
    const keep = BigInt(10_000 - this.config.shortfallAboveBps);
    const short = (offered: number, reference: number) =>
      reference > 0 && BigInt(offered) * 10_000n < BigInt(reference) * keep;
    const prefix = `${month.month}\n${month.basis}\n`;
    for (const [key, supply] of this.supply) {
      if (!key.startsWith(prefix)) continue;
      const availableKg = Math.max(0, supply.declaredKg - supply.withdrawnKg);
      if (!short(supply.offeredKg, availableKg) && !short(supply.offeredKg, supply.obligationKg)) continue;
      const evidence = new Evidence();
      evidence.merge(supply);
      evidence.members.add(supply.member);
      evidence.groups.add(this.groupOfMember.get(supply.member) ?? supply.member);
      for (const s of month.sessions) evidence.sessions.add(s.session);
      evidence.time(month.sessions[0]!.openMs);
      evidence.time(month.sessions.at(-1)!.endMs);
      const firstPrice = average(first);
      const lastPrice = average(last);
      this.sink.raise(
        evidence.alert({
          key: `withholding|${supply.member}|${month.instrument}|${month.month}`,
          rule: "withholding",
          session: null,
          instrument: month.instrument,
          side: null,
          month: month.month,
          figures: {
            offeredKg: supply.offeredKg,
            declaredKg: supply.declaredKg,
            withdrawnKg: supply.withdrawnKg,
            obligationKg: supply.obligationKg,
            firstPriceTiynPerTonne: firstPrice,
            lastPriceTiynPerTonne: lastPrice,
            priceRisePercent: percent(
              last.valueTiynKg * first.volumeKg - first.valueTiynKg * last.volumeKg,
              first.valueTiynKg * last.volumeKg,
            ),
          },
        }),
      );
    }
    this.prune(month.month);
  }

  /** Drops supply totals of months no instrument still has open. */
  private prune(completed: string): void {
    for (const open of this.months.values()) if (open.month <= completed) return;
    for (const key of [...this.supply.keys()]) if (key.slice(0, 7) <= completed) this.supply.delete(key);
  }
}

/** Σ(price × quantity) / Σ quantity, rounded half up to a whole tiyn per tonne. */
function average(price: SessionPrice): number {
  return Number((price.valueTiynKg * 2n + price.volumeKg) / (2n * price.volumeKg));
}
