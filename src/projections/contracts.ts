/**
 * The facts behind each trade's documents (src/reports: the exchange contract, the e-invoice, statements), captured
 * from events as they were at the trade: both parties (member, name, BIN, account, broker's client), the instrument's
 * description, price and quantity, the VAT rate in force on the trade's exchange date, and the obligation's clearing
 * terms and deadlines; later, when its delivery was done. Everything a contract shows is fixed by the journal up to
 * the trade's own record (plus the obligation created in the same record), so the contract built from these facts,
 * and its SHA-256, are the same on every node and at every later time.
 *
 * The VAT schedule: the rate is `DEFAULT_VAT_RATE_BPS` until a `vat.set` names a date of effect; a trade takes the
 * rate of the latest date of effect on or before its exchange date. `vat.set` only accepts dates after the day it is
 * sent, so a trade's rate never changes after the trade.
 *
 * Limits. The newest `CONTRACTS_KEPT_MAX` trades are kept (older ones remain in the journal); members and accounts
 * are all kept (the engine bounds them); the VAT schedule keeps one entry per date of effect.
 *
 * Complexity. Per event O(1) map work, except `vat.set`, O(schedule) to keep it sorted; the rate of a trade is
 * O(schedule). Reads O(1) per trade; `ofMember` O(trades kept).
 */

import type { InstrumentDescription } from "../domain/instrument.ts";
import { DEFAULT_VAT_RATE_BPS } from "../domain/vat.ts";
import type { EngineEvent, TradeEvent } from "../engine/events.ts";
import { checkUtcOffset, EXCHANGE_UTC_OFFSET_MS, localDay } from "./numbers.ts";
import type { ProjectionOutcome } from "./outcome.ts";

export const CONTRACTS_KEPT_MAX = 1_000_000;

export interface ContractParty {
  readonly account: string;
  readonly member: string;
  readonly name: string;
  /** The member's BIN, or null when the operator recorded none. */
  readonly bin: string | null;
  /** A broker's client account: the client's name. */
  readonly client: string | null;
}

export interface ContractClearing {
  readonly obligation: string;
  readonly basis: string;
  readonly collateralTiyn: number;
  readonly buyerFeeTiyn: number;
  readonly sellerFeeTiyn: number;
  readonly paymentDueMs: number;
  readonly deliveryDueMs: number;
  readonly sellerPenaltyBps: number;
  readonly buyerDefaultCollateralTo: "seller" | "exchange";
}

export interface ContractFacts {
  readonly tradeId: string;
  /** The journal record of the trade. */
  readonly seq: number;
  readonly timeMs: number;
  /** The trade's exchange date (UTC+5), YYYY-MM-DD: the date the VAT rate is taken for. */
  readonly date: string;
  readonly instrument: string;
  readonly description: InstrumentDescription | null;
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly seller: ContractParty;
  readonly buyer: ContractParty;
  readonly vatRateBps: number;
  /** Null on an instrument without clearing terms (a bare book). */
  clearing: ContractClearing | null;
  /** When the obligation's delivery was done (arrivals covering it, or the operator's confirmation). */
  deliveredMs: number | null;
  deliveredSeq: number | null;
  /**
   * When and why the operator voided the trade (`trade.void`); absent or null while it stands (absent in view
   * snapshots made before voids were kept here).
   */
  voided?: ContractVoid | null;
  /**
   * The regions of the stations the obligation's shipments arrived at, in the order of their first arrival, when at
   * least one arrival was a diversion outside the instrument's region (`shipment.arrived`); absent or null otherwise
   * (absent in view snapshots made before diversions were kept here). The e-invoice's destination.
   */
  divertedTo?: readonly string[] | null;
  /** The regions of every arrival so far, in the order of their first arrival (kept until a diversion needs them). */
  arrivedRegions?: readonly string[];
}

export interface ContractVoid {
  readonly timeMs: number;
  readonly seq: number;
  readonly reason: string;
  readonly rule: string;
}

export interface VatEntry {
  readonly from: string;
  readonly rateBps: number;
  readonly seq: number;
  readonly timeMs: number;
  readonly reason: string;
}

export class ContractFactsView {
  private readonly members = new Map<string, { name: string; bin: string | null }>();
  private readonly accounts = new Map<string, { member: string; client: string | null }>();
  private readonly descriptions = new Map<string, InstrumentDescription | null>();
  private readonly trades = new Map<string, ContractFacts>();
  private readonly byObligation = new Map<string, string>();
  private schedule: VatEntry[] = [];
  private readonly utcOffsetMs: number;

  constructor(options: { utcOffsetMs?: number } = {}) {
    this.utcOffsetMs = checkUtcOffset(options.utcOffsetMs ?? EXCHANGE_UTC_OFFSET_MS);
  }

  apply(outcome: ProjectionOutcome): void {
    for (const event of outcome.events) this.applyEvent(event, outcome);
  }

  private applyEvent(event: EngineEvent, outcome: ProjectionOutcome): void {
    switch (event.type) {
      case "member.added":
        this.members.set(event.member, { name: event.name, bin: event.bin ?? null });
        return;
      case "account.opened":
        this.accounts.set(event.id, { member: event.member, client: event.client });
        return;
      case "instrument.listed":
        this.descriptions.set(event.instrument, event.description);
        return;
      case "vat.set": {
        const entry = { from: event.from, rateBps: event.rateBps, seq: outcome.seq, timeMs: outcome.timeMs };
        this.schedule = [...this.schedule.filter((e) => e.from !== event.from), { ...entry, reason: event.reason }];
        this.schedule.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
        return;
      }
      case "trade":
      case "trade.negotiated":
        this.trade(event, outcome);
        return;
      case "obligation.created": {
        const o = event.obligation;
        const facts = this.trades.get(o.tradeId);
        if (facts === undefined) return;
        facts.clearing = {
          obligation: o.id,
          basis: o.basis,
          collateralTiyn: o.collateral,
          buyerFeeTiyn: o.buyerFee,
          sellerFeeTiyn: o.sellerFee,
          paymentDueMs: o.paymentDueMs,
          deliveryDueMs: o.deliveryDueMs,
          sellerPenaltyBps: o.sellerPenaltyBps,
          buyerDefaultCollateralTo: o.buyerDefaultCollateralTo,
        };
        this.byObligation.set(o.id, o.tradeId);
        return;
      }
      case "obligation.delivered": {
        const facts = this.trades.get(event.obligation.tradeId);
        if (facts === undefined || facts.deliveredMs !== null) return;
        facts.deliveredMs = outcome.timeMs;
        facts.deliveredSeq = outcome.seq;
        return;
      }
      case "shipment.arrived": {
        const arrival = event.shipment.arrival;
        const tradeId = this.byObligation.get(event.shipment.obligation);
        const facts = tradeId === undefined ? undefined : this.trades.get(tradeId);
        if (facts === undefined || arrival === null) return;
        const regions = facts.arrivedRegions ?? [];
        const arrived = regions.includes(arrival.stationRegion) ? regions : [...regions, arrival.stationRegion];
        facts.arrivedRegions = arrived;
        if (arrival.diversion.includes("outside-region") || (facts.divertedTo ?? null) !== null) {
          facts.divertedTo = arrived;
        }
        return;
      }
      case "obligation.voided": {
        const facts = this.trades.get(event.obligation.tradeId);
        if (facts === undefined) return;
        facts.voided = {
          timeMs: outcome.timeMs,
          seq: outcome.seq,
          reason: event.reason ?? "",
          rule: event.rule ?? "",
        };
        return;
      }
      default:
        return;
    }
  }

  /** A member's name and BIN as known now (from its admission), or null for a member never admitted. */
  member(member: string): { readonly name: string; readonly bin: string | null } | null {
    return this.members.get(member) ?? null;
  }

  private party(account: string): ContractParty {
    const owner = this.accounts.get(account);
    const member = owner?.member ?? account;
    const info = this.members.get(member);
    return { account, member, name: info?.name ?? member, bin: info?.bin ?? null, client: owner?.client ?? null };
  }

  private trade(
    event: Pick<TradeEvent, "tradeId" | "instrument" | "price" | "quantity" | "sellAccount" | "buyAccount">,
    outcome: ProjectionOutcome,
  ): void {
    const date = localDay(outcome.timeMs, this.utcOffsetMs);
    this.trades.set(event.tradeId, {
      tradeId: event.tradeId,
      seq: outcome.seq,
      timeMs: outcome.timeMs,
      date,
      instrument: event.instrument,
      description: this.descriptions.get(event.instrument) ?? null,
      priceTiynPerTonne: event.price,
      quantityKg: event.quantity,
      seller: this.party(event.sellAccount),
      buyer: this.party(event.buyAccount),
      vatRateBps: this.rateOn(date),
      clearing: null,
      deliveredMs: null,
      deliveredSeq: null,
      voided: null,
      divertedTo: null,
    });
    if (this.trades.size > CONTRACTS_KEPT_MAX) {
      const oldest = this.trades.keys().next().value as string;
      const clearing = this.trades.get(oldest)?.clearing;
      if (clearing) this.byObligation.delete(clearing.obligation);
      this.trades.delete(oldest);
    }
  }

  /** The VAT rate in force on an exchange date (YYYY-MM-DD). */
  rateOn(date: string): number {
    let rate = DEFAULT_VAT_RATE_BPS;
    for (const entry of this.schedule) {
      if (entry.from > date) break;
      rate = entry.rateBps;
    }
    return rate;
  }

  /** The schedule of `vat.set` entries, by date of effect. */
  vatSchedule(): readonly VatEntry[] {
    return this.schedule;
  }

  facts(tradeId: string): ContractFacts | null {
    return this.trades.get(tradeId) ?? null;
  }

  factsOfObligation(obligation: string): ContractFacts | null {
    const tradeId = this.byObligation.get(obligation);
    return tradeId === undefined ? null : this.facts(tradeId);
  }

  /** Trades kept where one of the member's accounts is a party, oldest first. */
  ofMember(member: string): ContractFacts[] {
    const found: ContractFacts[] = [];
    for (const facts of this.trades.values()) {
      if (facts.seller.member === member || facts.buyer.member === member) found.push(facts);
    }
    return found;
  }
}
