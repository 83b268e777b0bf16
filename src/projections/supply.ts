/**
 * Domestic supply obligations (DESIGN.md, "Regulatory safeguards"): each producer has a planned monthly volume per
 * delivery basis that it must offer on the exchange. This view sets the plan against what the producer actually
 * offered and sold, and lists who is short.
 *
 * Definitions, per month (local calendar month of exchange time, UTC+5 by default), producer and basis:
 * - offered: sell quantity entered on instruments of that basis in the month: accepted sell orders, plus quantity
 *   added by amends. Quantity entered counts even if it is later cancelled (a limitation: it measures what was put on
 *   the market, not for how long or at what price);
 * - sold: sell quantity traded on instruments of that basis in the month;
 * - shortfall: planned − offered when positive, else 0; `status` sorts by it, largest first.
 * A plan row's producer is a member id (all its accounts count) or an account id (that account only). An instrument's
 * basis comes from the instrument registry, else from its clearing terms; an order on an instrument with neither is
 * not counted. The plan can be replaced at any time (`setPlan`, from configuration) and rows set one by one by the
 * regulator's `supply.plan` commands (`supply.planned` events): offered and sold are kept per account and basis, and
 * joined with the plan when read.
 *
 * Complexity. Per event O(1) map work; a `supply.planned` event O(plan rows) (rare: a regulator's decision). Reading a month is O(plan rows × accounts active at each row's basis).
 * Memory: the open quantity of live sell orders, and totals per (month, basis, account) for the last
 * `SUPPLY_MONTHS_KEPT_MAX` months.
 */

import { invariant, SaudaError } from "../domain/errors.ts";
import type { EngineEvent } from "../engine/events.ts";
import { compareText, type InstrumentRegistry } from "./instruments.ts";
import { checkUtcOffset, EXCHANGE_UTC_OFFSET_MS, localMonth, MONTH_PATTERN } from "./numbers.ts";
import type { ProjectionOutcome } from "./outcome.ts";
import { Ring } from "./ring.ts";

export const SUPPLY_MONTHS_KEPT_MAX = 60;
export const SUPPLY_PLAN_ROWS_MAX = 100_000;
const BPS_PER_UNIT = 10_000n;

export interface SupplyPlanRow {
  /** YYYY-MM. */
  readonly month: string;
  /** A member id or an account id. */
  readonly producer: string;
  readonly basis: string;
  readonly plannedKg: number;
}

export interface SupplyStatus {
  readonly month: string;
  readonly producer: string;
  readonly basis: string;
  readonly plannedKg: bigint;
  readonly offeredKg: bigint;
  readonly soldKg: bigint;
  /** planned − offered when positive, else 0. */
  readonly shortfallKg: bigint;
  /** planned − sold when positive, else 0. */
  readonly unsoldKg: bigint;
  /** offered / planned in basis points, rounded down; null when nothing was planned. */
  readonly offeredBps: number | null;
}

export interface SupplyOptions {
  readonly registry: InstrumentRegistry;
  readonly plan?: readonly SupplyPlanRow[];
  readonly utcOffsetMs?: number;
}

interface Totals {
  offeredKg: bigint;
  soldKg: bigint;
}

interface Month {
  readonly month: string;
  /** basis → account → totals. */
  readonly byBasis: Map<string, Map<string, Totals>>;
}

interface LiveSell {
  readonly account: string;
  readonly basis: string | null;
  open: number;
}

const ID_PATTERN = /^[\x21-\x7e]{1,64}$/;

export class SupplyObligations {
  private readonly registry: InstrumentRegistry;
  private readonly utcOffsetMs: number;
  private planRows: SupplyPlanRow[] = [];
  private readonly listedBasis = new Map<string, string>();
  private readonly memberOf = new Map<string, string>();
  private readonly sells = new Map<string, LiveSell>();
  private readonly months = new Ring<Month>(SUPPLY_MONTHS_KEPT_MAX);
  private readonly byMonth = new Map<string, Month>();

  constructor(options: SupplyOptions) {
    this.registry = options.registry;
    this.utcOffsetMs = checkUtcOffset(options.utcOffsetMs ?? EXCHANGE_UTC_OFFSET_MS);
    this.setPlan(options.plan ?? []);
  }

  /** Replaces the plan table; refuses it whole if any row is bad or repeated. */
  setPlan(rows: readonly SupplyPlanRow[]): void {
    if (rows.length > SUPPLY_PLAN_ROWS_MAX) {
      throw new SaudaError("FIELD_INVALID", {
        field: "plan",
        value: `${rows.length} rows`,
        rule: `a supply plan has at most ${SUPPLY_PLAN_ROWS_MAX} rows`,
      });
    }
    const seen = new Set<string>();
    for (const row of rows) {
      const bad = (field: string, value: unknown, rule: string) =>
        new SaudaError("FIELD_INVALID", { field: `plan.${field}`, value: JSON.stringify(value) ?? "(missing)", rule });
      if (typeof row.month !== "string" || !MONTH_PATTERN.test(row.month)) {
        throw bad("month", row.month, "a month is YYYY-MM");
      }
      if (typeof row.producer !== "string" || !ID_PATTERN.test(row.producer)) {
        throw bad("producer", row.producer, "a producer is a member or account id");
      }
      if (typeof row.basis !== "string" || !ID_PATTERN.test(row.basis)) {
        throw bad("basis", row.basis, "a basis id is 1 to 64 printable characters");
      }
      if (!Number.isSafeInteger(row.plannedKg) || row.plannedKg < 0) {
        throw bad("plannedKg", row.plannedKg, "a planned volume is a whole number of kg, 0 or more");
      }
      const key = `${row.month} ${row.producer} ${row.basis}`;
      if (seen.has(key)) throw bad("producer", row.producer, `${row.month} at ${row.basis} is planned twice`);
      seen.add(key);
    }
    this.planRows = rows.map((row) => ({ ...row }));
  }

  /**
   * Sets one row of the plan, as the regulator's `supply.plan` command does (the engine has checked it): replaces the
   * row of the same month, producer and basis, else adds it; at `SUPPLY_PLAN_ROWS_MAX` rows the oldest row goes.
   */
  private planRow(row: SupplyPlanRow): void {
    const index = this.planRows.findIndex(
      (r) => r.month === row.month && r.producer === row.producer && r.basis === row.basis,
    );
    if (index >= 0) {
      this.planRows[index] = { ...row };
      return;
    }
    if (this.planRows.length >= SUPPLY_PLAN_ROWS_MAX) this.planRows.shift();
    this.planRows.push({ ...row });
  }

  apply(outcome: ProjectionOutcome): void {
    for (const event of outcome.events) this.applyEvent(event, outcome);
  }

  private applyEvent(event: EngineEvent, outcome: ProjectionOutcome): void {
    switch (event.type) {
      case "instrument.listed":
        if (event.clearing !== null) this.listedBasis.set(event.instrument, event.clearing.basis);
        return;
      case "account.opened":
        this.memberOf.set(event.id, event.member);
        return;
      case "supply.planned":
        this.planRow({ month: event.month, producer: event.producer, basis: event.basis, plannedKg: event.plannedKg });
        return;
      case "order.accepted": {
        if (event.side !== "sell") return;
        const basis = this.registry.get(event.instrument)?.basis ?? this.listedBasis.get(event.instrument) ?? null;
        this.sells.set(event.orderId, { account: event.account, basis, open: event.quantity });
        if (basis !== null) this.totals(outcome, basis, event.account).offeredKg += BigInt(event.quantity);
        return;
      }
      case "order.amended": {
        const sell = this.sells.get(event.orderId);
        if (sell === undefined) return;
        if (event.open > sell.open && sell.basis !== null) {
          this.totals(outcome, sell.basis, sell.account).offeredKg += BigInt(event.open - sell.open);
        }
        sell.open = event.open;
        return;
      }
      case "order.cancelled":
        this.sells.delete(event.orderId);
        return;
      case "trade": {
        const sell = this.sells.get(event.sellOrderId);
        invariant(sell !== undefined, () => `traded sell order ${event.sellOrderId} is not live`);
        if (sell.basis !== null) this.totals(outcome, sell.basis, sell.account).soldKg += BigInt(event.quantity);
        if (event.sellOpen === 0) this.sells.delete(event.sellOrderId);
        else sell.open = event.sellOpen;
        return;
      }
      default:
        return;
    }
  }

  private totals(outcome: ProjectionOutcome, basis: string, account: string): Totals {
    const key = localMonth(outcome.timeMs, this.utcOffsetMs);
    let month = this.byMonth.get(key);
    if (month === undefined) {
      const newest = this.months.newest();
      invariant(newest === undefined || newest.month < key, () => `supply month ${key} after ${newest?.month}`);
      month = { month: key, byBasis: new Map() };
      const evicted = this.months.push(month);
      if (evicted !== undefined) this.byMonth.delete(evicted.month);
      this.byMonth.set(key, month);
    }
    let accounts = month.byBasis.get(basis);
    if (accounts === undefined) {
      accounts = new Map();
      month.byBasis.set(basis, accounts);
    }
    let totals = accounts.get(account);
    if (totals === undefined) {
      totals = { offeredKg: 0n, soldKg: 0n };
      accounts.set(account, totals);
    }
    return totals;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  plan(month?: string): SupplyPlanRow[] {
    return this.planRows.filter((row) => month === undefined || row.month === month);
  }

  /** Offered and sold by a producer (member or account id) at a basis in a month. */
  actual(month: string, producer: string, basis: string): { offeredKg: bigint; soldKg: bigint } {
    let offeredKg = 0n;
    let soldKg = 0n;
    const accounts = this.byMonth.get(month)?.byBasis.get(basis);
    if (accounts !== undefined) {
      for (const [account, totals] of accounts) {
        if (account !== producer && this.memberOf.get(account) !== producer) continue;
        offeredKg += totals.offeredKg;
        soldKg += totals.soldKg;
      }
    }
    return { offeredKg, soldKg };
  }

  /** Every plan row of a month with what was offered and sold, largest shortfall first (then producer, basis). */
  status(month: string): SupplyStatus[] {
    const out: SupplyStatus[] = [];
    for (const row of this.planRows) {
      if (row.month !== month) continue;
      const { offeredKg, soldKg } = this.actual(month, row.producer, row.basis);
      const plannedKg = BigInt(row.plannedKg);
      out.push({
        month,
        producer: row.producer,
        basis: row.basis,
        plannedKg,
        offeredKg,
        soldKg,
        shortfallKg: plannedKg > offeredKg ? plannedKg - offeredKg : 0n,
        unsoldKg: plannedKg > soldKg ? plannedKg - soldKg : 0n,
        offeredBps: plannedKg === 0n ? null : Number((offeredKg * BPS_PER_UNIT) / plannedKg),
      });
    }
    return out.sort(
      (a, b) =>
        (a.shortfallKg > b.shortfallKg ? -1 : a.shortfallKg < b.shortfallKg ? 1 : 0) ||
        compareText(a.producer, b.producer) ||
        compareText(a.basis, b.basis),
    );
  }

  /** The producers short of their plan in a month (shortfall > 0), largest shortfall first. */
  shortfalls(month: string): SupplyStatus[] {
    return this.status(month).filter((s) => s.shortfallKg > 0n);
  }
}
