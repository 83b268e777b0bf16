/**
 * Rule 3, `coordinated-bidding`: two accounts of different groups that, in at least 3 distinct sessions, each entered
 * an order on the same side at the same price (as entered) in the same session, no more than 1,000 ms apart, are
 * linked. Accounts linked on one side form groups of coordination (the connected components of the links, per side);
 * one alert per component, listing its accounts and every session in which two of its accounts did so.
 *
 * Reading of the rule (docs/surveillance.md): "two of its linked accounts" is any two accounts of the component — a
 * coincidence between two of its accounts that are not themselves linked (yet) is listed too, as evidence about the
 * same group. The groups compared are the ones recorded when each order was entered. Market orders have no price and
 * take no part. Sessions of different instruments count alike; the alert names the instrument when all its sessions
 * are of one, and none otherwise.
 *
 * Raised when a link completes a component (the order that gives a pair its third session), again at each session's
 * end while new evidence came in, and retracted when its component merges into another (which then carries the alert:
 * its key is the side and the component's smallest account id). Figures: `linkedPairs`, `sessions`,
 * `linkedPairSessionsMin` (the fewest sessions of any linked pair: at least `sessionsMin`).
 *
 * Complexity: per order O(orders at its side and price in the last `withinMs`) for the window, plus O(1) per
 * coincidence; raising a component's alert O(its pairs × their sessions). Memory: the running sessions' windows;
 * per pair of accounts that ever coincided, one entry per session in which they did, with at most
 * `PAIR_SESSION_ORDERS_MAX` orders each.
 */

import type { AlertSink } from "../../src/surveillance/alerts.ts";
import { Evidence } from "../../src/surveillance/alerts.ts";
import type { CoordinatedBiddingConfig } from "../../src/surveillance/config.ts";
import type { Detector, SessionInfo } from "../../src/surveillance/detector.ts";
import type { Party } from "../../src/surveillance/parties.ts";
import { Queue } from "../../src/surveillance/queue.ts";
import type { OrderRecord, Side } from "../../src/surveillance/records.ts";

/** Most coinciding orders kept per pair of accounts and session (the rest are counted). */
export const PAIR_SESSION_ORDERS_MAX = 20;

/** No orders added (shared: `Component.add` only reads it). */
const NONE_ADDED: readonly string[] = [];

interface Entry {
  readonly timeMs: number;
  readonly party: Party;
  readonly order: string;
}

export class PairSession {
  readonly orders: string[] = [];
  readonly parties: Party[] = [];
  fromMs: number;
  toMs: number;
  constructor(
    readonly session: string,
    readonly instrument: string,
    timeMs: number,
  ) {
    this.fromMs = timeMs;
    this.toMs = timeMs;
  }

  /** Adds an order that coincided; returns whether it is new here (and kept). */
  add(entry: Entry): boolean {
    if (entry.timeMs < this.fromMs) this.fromMs = entry.timeMs;
    if (entry.timeMs > this.toMs) this.toMs = entry.timeMs;
    if (!this.parties.includes(entry.party)) this.parties.push(entry.party);
    if (this.orders.length >= PAIR_SESSION_ORDERS_MAX || this.orders.includes(entry.order)) return false;
    this.orders.push(entry.order);
    return true;
  }
}

export class BiddingPair {
  readonly sessions = new Map<string, PairSession>();
  linked = false;
  constructor(
    readonly a: string,
    readonly b: string,
  ) {}

  other(account: string): string {
    return account === this.a ? this.b : this.a;
  }
}

/** A group of coordination: its accounts, its links, and the evidence of every coincidence between its accounts. */
export class Component {
  readonly accounts = new Set<string>();
  readonly linked: BiddingPair[] = [];
  readonly evidence = new Evidence();
  readonly instruments = new Set<string>();
  smallest: string;
  /** The key of the alert it raised last, if any. */
  key: string | null = null;

  constructor(account: string) {
    this.accounts.add(account);
    this.smallest = account;
  }

  /** Adds one pair's evidence in one session. */
  add(part: PairSession, orders: readonly string[] = part.orders): void {
    this.evidence.sessions.add(part.session);
    this.instruments.add(part.instrument);
    for (const party of part.parties) this.evidence.party(party);
    for (const order of orders) this.evidence.order(order);
    this.evidence.time(part.fromMs);
    this.evidence.time(part.toMs);
  }
}

/** The links of one side: pairs, their union-find components, and the components' evidence. */
export class SideLinks {
  /** Pairs by their lower account, then their higher one (no key string made per coincidence). */
  readonly pairs = new Map<string, Map<string, BiddingPair>>();
  /** Each account's pairs on this side. */
  readonly pairsOf = new Map<string, BiddingPair[]>();
  readonly parent = new Map<string, string>();
  /** Components (of two accounts or more) by their root. */
  readonly components = new Map<string, Component>();
  /** Components with evidence not yet raised. */
  readonly dirty = new Set<Component>();

  find(account: string): string {
    let root = account;
    for (let up = this.parent.get(root); up !== undefined && up !== root; up = this.parent.get(root)) root = up;
    // Path compression: point every account on the way straight at the root.
    for (let at = account; at !== root; ) {
      const up = this.parent.get(at)!;
      this.parent.set(at, root);
      at = up;
    }
    return root;
  }

  /**
   * Joins the components of a and b (a new link between them); returns the joined component and the keys the two
   * had raised. The smaller joins the larger, so each account moves O(log n) times in all; the evidence between the
   * two (pairs with one account on each side, linked or not) is added once, at the join.
   */
  union(a: string, b: string): { component: Component; previousKeys: string[] } {
    const ra = this.find(a);
    const rb = this.find(b);
    const ca = this.components.get(ra) ?? new Component(ra);
    const cb = this.components.get(rb) ?? new Component(rb);
    if (ra === rb) return { component: ca, previousKeys: ca.key === null ? [] : [ca.key] };
    const previousKeys = [ca.key, cb.key].filter((k): k is string => k !== null);
    const [big, small, bigRoot, smallRoot] = ca.accounts.size >= cb.accounts.size ? [ca, cb, ra, rb] : [cb, ca, rb, ra];
    for (const account of small.accounts) {
      for (const pair of this.pairsOf.get(account) ?? []) {
        if (!big.accounts.has(pair.other(account))) continue;
        for (const part of pair.sessions.values()) big.add(part);
      }
    }
    big.evidence.merge(small.evidence);
    for (const instrument of small.instruments) big.instruments.add(instrument);
    for (const pair of small.linked) big.linked.push(pair);
    for (const account of small.accounts) big.accounts.add(account);
    if (small.smallest < big.smallest) big.smallest = small.smallest;
    big.key = null;
    this.parent.set(smallRoot, bigRoot);
    this.parent.set(bigRoot, bigRoot);
    this.components.delete(smallRoot);
    this.components.set(bigRoot, big);
    this.dirty.delete(small);
    return { component: big, previousKeys };
  }
}

export class CoordinatedBiddingDetector implements Detector {
  /** Per running session, per side: orders of the last `withinMs` by price. */
  private readonly windows = new Map<string, Record<Side, Map<number, Queue<Entry>>>>();
  private readonly sides: Record<Side, SideLinks> = { buy: new SideLinks(), sell: new SideLinks() };

  constructor(
    private readonly config: CoordinatedBiddingConfig,
    private readonly sink: AlertSink,
  ) {}

  order(order: OrderRecord, party: Party, session: SessionInfo): void {
    const price = order.priceTiynPerTonne;
    if (!this.config.enabled || price === null) return;
    let windows = this.windows.get(session.session);
    if (windows === undefined) {
      windows = { buy: new Map(), sell: new Map() };
      this.windows.set(session.session, windows);
    }
    let window = windows[order.side].get(price);
    if (window === undefined) {
      window = new Queue();
      windows[order.side].set(price, window);
    }
    const earliest = order.timeMs - this.config.withinMs;
    for (let first = window.first(); first !== undefined && first.timeMs < earliest; first = window.first()) {
      window.shift();
    }
    const entry: Entry = { timeMs: order.timeMs, party, order: order.order };
    for (let i = 0; i < window.length; i++) {
      const other = window.at(i)!;
      // The same party object (an account's, shared) never coincides with itself: skip the string comparisons.
      if (other.party !== party && other.party.account !== party.account && other.party.group !== party.group) {
        this.coincide(order.side, other, entry, session);
      }
    }
    window.push(entry);
  }

  private coincide(side: Side, first: Entry, second: Entry, session: SessionInfo): void {
    const links = this.sides[side];
    const firstLower = first.party.account < second.party.account;
    const a = firstLower ? first.party.account : second.party.account;
    const b = firstLower ? second.party.account : first.party.account;
    let pairsOfA = links.pairs.get(a);
    if (pairsOfA === undefined) {
      pairsOfA = new Map();
      links.pairs.set(a, pairsOfA);
    }
    let pair = pairsOfA.get(b);
    if (pair === undefined) {
      pair = new BiddingPair(a, b);
      pairsOfA.set(b, pair);
      for (const account of [a, b]) {
        const list = links.pairsOf.get(account);
        if (list === undefined) links.pairsOf.set(account, [pair]);
        else list.push(pair);
      }
    }
    let part = pair.sessions.get(session.session);
    const newSession = part === undefined;
    if (part === undefined) {
      part = new PairSession(session.session, session.instrument, first.timeMs);
      pair.sessions.set(session.session, part);
    }
    // The orders new in this pair's session (most coincidences, once a pair's session is full, add none).
    const addedFirst = part.add(first);
    const addedSecond = part.add(second);
    const added =
      addedFirst && addedSecond
        ? [first.order, second.order]
        : addedFirst
          ? [first.order]
          : addedSecond
            ? [second.order]
            : NONE_ADDED;
    if (newSession && !pair.linked && pair.sessions.size >= this.config.sessionsMin) {
      pair.linked = true;
      const rootA = links.find(a);
      // Already in one component through other links: this coincidence is new evidence of it. (Joining two
      // components adds every pair between them, this one included, in `union`.)
      const together = rootA === links.find(b) && links.components.has(rootA);
      const { component, previousKeys } = links.union(a, b);
      if (together) component.add(part, added);
      component.linked.push(pair);
      const key = this.raise(side, component);
      for (const previous of previousKeys) if (previous !== key) this.sink.retract(previous);
      return;
    }
    // No component on this side yet (no pair linked): nothing to add evidence to, and `find` would change nothing.
    if (links.components.size === 0) return;
    const root = links.find(a);
    const component = links.components.get(root);
    if (component !== undefined && root === links.find(b)) {
      component.add(part, added);
      links.dirty.add(component);
    }
  }

  sessionEnd(session: SessionInfo): void {
    this.windows.delete(session.session);
    this.raiseDirty();
  }

  finish(): void {
    this.raiseDirty();
  }

  private raiseDirty(): void {
    for (const side of ["buy", "sell"] as const) {
      const links = this.sides[side];
      for (const component of links.dirty) this.raise(side, component);
      links.dirty.clear();
    }
  }

  /** Raises the component's alert; returns its key. */
  private raise(side: Side, component: Component): string {
    let linkedPairSessionsMin = Number.POSITIVE_INFINITY;
    for (const pair of component.linked) linkedPairSessionsMin = Math.min(linkedPairSessionsMin, pair.sessions.size);
    const key = `coordinated-bidding|${side}|${component.smallest}`;
    this.sink.raise(
      component.evidence.alert({
        key,
        rule: "coordinated-bidding",
        session: null,
        instrument: component.instruments.size === 1 ? [...component.instruments][0]! : null,
        side,
        figures: {
          linkedPairs: component.linked.length,
          sessions: component.evidence.sessions.size,
          linkedPairSessionsMin,
        },
      }),
    );
    component.key = key;
    this.sides[side].dirty.delete(component);
    return key;
  }
}
