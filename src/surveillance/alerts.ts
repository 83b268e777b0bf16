/**
 * Alerts: what a detector reports, how it gathers the evidence, and where alerts go.
 *
 * An alert has a stable `key` (its rule and what the rule counts one alert per). A detector raises an alert as soon as
 * it is complete and raises it again, with the same key, whenever it has more evidence (more trades of a washing pair,
 * another session of a coordinating group): the newer one replaces the older. A coordination group that merges into
 * another is retracted. So a sink that keeps the last alert per key (`AlertBook`) holds, at any moment, exactly the
 * alerts the history so far supports — which is what `sauda surveil` prints at the end and what the server will show
 * live.
 *
 * Lists in an alert (accounts, members, groups, sessions, orders, trades) are distinct and sorted by code unit (the
 * JavaScript default sort). Evidence lists are bounded: an alert names at most `ALERT_ORDERS_MAX` orders and as many
 * trades (the first ones met); its figures always give the full counts.
 *
 * Complexity: gathering evidence O(1) per fact; building an alert O(n log n) in its lists. Memory: `AlertBook` one
 * alert per key.
 */

import type { Side } from "../domain/order.ts";
import type { DiversionReason } from "../engine/delivery.ts";
import type { Party } from "./parties.ts";

export const RULES = [
  "wash-trade",
  "concentration",
  "coordinated-bidding",
  "spoofing",
  "price-limit-bidding",
  "automated-entry",
  "withholding",
  "diversion",
] as const;
export type Rule = (typeof RULES)[number];

// `diversion` is not one of the detectors' rules: the server's read model (live.ts) raises it from the engine's
// `diversion` events, which a market history does not have, so `sauda surveil` never prints it.

/** Why gas arrived where it should not have. */
export type DiversionKind = DiversionReason;

/** One diverted shipment as a `diversion` alert names it. */
export interface DivertedShipment {
  readonly shipment: string;
  readonly station: string;
  readonly stationRegion: string;
  readonly reasons: readonly DiversionKind[];
  readonly quantityKg: number;
  readonly arrivedMs: number;
}

/** What a `diversion` alert is about beyond the common fields. */
export interface DiversionDetail {
  readonly obligation: string;
  /** The seller's account. */
  readonly seller: string;
  /** The instrument's delivery region (null for an instrument listed without one). */
  readonly region: string | null;
  /** The trade's time, which a station's registration is judged against. */
  readonly tradeTimeMs: number;
  /** Distinct and sorted. */
  readonly stations: readonly string[];
  readonly stationRegions: readonly string[];
  readonly reasons: readonly DiversionKind[];
  /** In the order they arrived. */
  readonly shipments: readonly DivertedShipment[];
}

/** Most orders (and most trades) one alert names; its figures count them all. */
export const ALERT_ORDERS_MAX = 1000;

export interface Alert {
  /** The rule and what it counts one alert per, e.g. `wash-trade|S1|A1|A2`. */
  readonly key: string;
  readonly rule: Rule;
  /** The session of a one-session alert; null for alerts that span sessions (rules 3, 5 and 7). */
  readonly session: string | null;
  /** Every session the alert is about (the one session of a one-session alert). */
  readonly sessions: readonly string[];
  /** Null for rule 6 (a member's messages), and for a coordination group that bid on several instruments. */
  readonly instrument: string | null;
  /** Rules 2, 3, 4 and 5; null otherwise. */
  readonly side: Side | null;
  /** Rule 7 only: the calendar month (YYYY-MM). */
  readonly month: string | null;
  readonly accounts: readonly string[];
  readonly members: readonly string[];
  readonly groups: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly orders: readonly string[];
  readonly trades: readonly string[];
  /** The numbers that crossed the thresholds, named with their units (kg, tiyn per tonne, ms, percent). */
  readonly figures: Readonly<Record<string, number>>;
  /** Rule `diversion` only: the obligation, stations and shipments. */
  readonly diversion?: DiversionDetail;
}

export interface AlertSink {
  /** A new alert, or a newer version of one raised before (same key). */
  raise(alert: Alert): void;
  /** An alert raised before no longer stands on its own (a coordination group merged into another). */
  retract(key: string): void;
}

/** Keeps the latest alert per key. */
export class AlertBook implements AlertSink {
  private readonly byKey = new Map<string, Alert>();

  raise(alert: Alert): void {
    this.byKey.set(alert.key, alert);
  }

  retract(key: string): void {
    this.byKey.delete(key);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** All alerts, in rule order, then by start time, then by key. */
  alerts(): Alert[] {
    return [...this.byKey.values()].sort(compareAlerts);
  }
}

export function compareAlerts(a: Alert, b: Alert): number {
  return (
    RULES.indexOf(a.rule) - RULES.indexOf(b.rule) || a.fromMs - b.fromMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/** The parties, sessions, orders, trades and time span an alert is about, gathered as a detector meets them. */
export class Evidence {
  readonly accounts = new Set<string>();
  readonly members = new Set<string>();
  readonly groups = new Set<string>();
  readonly sessions = new Set<string>();
  readonly orders = new Set<string>();
  readonly trades = new Set<string>();
  fromMs = Number.POSITIVE_INFINITY;
  toMs = Number.NEGATIVE_INFINITY;
  private lastParty: Party | null = null;

  party(party: Party): void {
    // Parties are immutable and shared: the same one again (the common case) adds nothing.
    if (party === this.lastParty) return;
    this.lastParty = party;
    this.accounts.add(party.account);
    this.members.add(party.member);
    this.groups.add(party.group);
  }

  order(order: string): void {
    if (this.orders.size < ALERT_ORDERS_MAX) this.orders.add(order);
  }

  trade(trade: string): void {
    if (this.trades.size < ALERT_ORDERS_MAX) this.trades.add(trade);
  }

  time(ms: number): void {
    if (ms < this.fromMs) this.fromMs = ms;
    if (ms > this.toMs) this.toMs = ms;
  }

  /** Adds everything `other` holds. */
  merge(other: Evidence): void {
    for (const x of other.accounts) this.accounts.add(x);
    for (const x of other.members) this.members.add(x);
    for (const x of other.groups) this.groups.add(x);
    for (const x of other.sessions) this.sessions.add(x);
    for (const x of other.orders) this.order(x);
    for (const x of other.trades) this.trade(x);
    if (other.fromMs <= other.toMs) {
      this.time(other.fromMs);
      this.time(other.toMs);
    }
  }

  /** The alert these facts support. */
  alert(fields: {
    readonly key: string;
    readonly rule: Rule;
    readonly session: string | null;
    readonly instrument: string | null;
    readonly side: Side | null;
    readonly month?: string;
    readonly figures: Readonly<Record<string, number>>;
  }): Alert {
    return {
      key: fields.key,
      rule: fields.rule,
      session: fields.session,
      sessions: sorted(this.sessions),
      instrument: fields.instrument,
      side: fields.side,
      month: fields.month ?? null,
      accounts: sorted(this.accounts),
      members: sorted(this.members),
      groups: sorted(this.groups),
      fromMs: this.fromMs,
      toMs: this.toMs,
      orders: sorted(this.orders),
      trades: sorted(this.trades),
      figures: fields.figures,
    };
  }
}

/** Distinct and sorted by code unit. */
export function sorted(values: ReadonlySet<string> | readonly string[]): string[] {
  return (values instanceof Set ? [...values] : [...new Set(values)]).sort();
}

/** `part / whole` as a percentage rounded to four decimals (whole > 0). Figures only: rules compare exactly. */
export function percent(part: number | bigint, whole: number | bigint): number {
  const scaled = (BigInt(part) * 2_000_000n + BigInt(whole)) / (2n * BigInt(whole));
  return Number(scaled) / 10_000;
}
