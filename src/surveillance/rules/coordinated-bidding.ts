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

import type { AlertSink } from "../alerts.ts";
import { Evidence } from "../alerts.ts";
import type { CoordinatedBiddingConfig } from "../config.ts";
import type { Detector, SessionInfo } from "../detector.ts";
import type { Party } from "../parties.ts";
import { Queue } from "../queue.ts";
import type { OrderRecord, Side } from "../records.ts";

/** Most coinciding orders kept per pair of accounts and session (the rest are counted). */
export const PAIR_SESSION_ORDERS_MAX = 20;

interface Entry {
  readonly timeMs: number;
  readonly party: Party;
  readonly order: string;
}

class PairSession {
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

  add(entry: Entry): void {
    if (entry.timeMs < this.fromMs) this.fromMs = entry.timeMs;
    if (entry.timeMs > this.toMs) this.toMs = entry.timeMs;
    if (this.orders.length < PAIR_SESSION_ORDERS_MAX && !this.orders.includes(entry.order)) {
      this.orders.push(entry.order);
    }
    if (!this.parties.includes(entry.party)) this.parties.push(entry.party);
  }
}

class Pair {
  readonly sessions = new Map<string, PairSession>();
  linked = false;
  constructor(
    readonly a: string,
    readonly b: string,
  ) {}
}

/** The links of one side: pairs, their union-find components, and which alert each component carries. */
class SideLinks {
  readonly pairs = new Map<string, Pair>();
  /** Each account's pairs on this side. */
  readonly pairsOf = new Map<string, Pair[]>();
  readonly parent = new Map<string, string>();
  /** A component's accounts, kept at its root. */
  readonly members = new Map<string, string[]>();
  /** The alert key a component's root raised last. */
  readonly raised = new Map<string, string>();
  /** Roots with evidence not yet raised. */
  readonly dirty = new Set<string>();

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

  /** Joins the components of a and b; returns the new root and the keys the two roots had raised. */
  union(a: string, b: string): { root: string; previousKeys: string[] } {
    const ra = this.find(a);
    const rb = this.find(b);
    const previousKeys = [this.raised.get(ra), this.raised.get(rb)].filter((k): k is string => k !== undefined);
    if (ra === rb) return { root: ra, previousKeys };
    const ma = this.members.get(ra) ?? [ra];
    const mb = this.members.get(rb) ?? [rb];
    // The larger component's root stays the root, so each account moves O(log n) times in all.
    const [root, child, big, small] = ma.length >= mb.length ? [ra, rb, ma, mb] : [rb, ra, mb, ma];
    this.parent.set(child, root);
    this.parent.set(root, root);
    for (const account of small) big.push(account);
    this.members.set(root, big);
    this.members.delete(child);
    this.raised.delete(ra);
    this.raised.delete(rb);
    this.dirty.delete(child);
    return { root, previousKeys };
  }
}

export class CoordinatedBiddingDetector implements Detector {
  /** Per running session: orders of the last `withinMs` by side and price. */
  private readonly windows = new Map<string, Map<string, Queue<Entry>>>();
  private readonly sides: Record<Side, SideLinks> = { buy: new SideLinks(), sell: new SideLinks() };

  constructor(
    private readonly config: CoordinatedBiddingConfig,
    private readonly sink: AlertSink,
  ) {}

  order(order: OrderRecord, party: Party, session: SessionInfo): void {
    if (!this.config.enabled || order.priceTiynPerTonne === null) return;
    let windows = this.windows.get(session.session);
    if (windows === undefined) {
      windows = new Map();
      this.windows.set(session.session, windows);
    }
    const key = `${order.side}\n${order.priceTiynPerTonne}`;
    let window = windows.get(key);
    if (window === undefined) {
      window = new Queue();
      windows.set(key, window);
    }
    const earliest = order.timeMs - this.config.withinMs;
    for (let first = window.first(); first !== undefined && first.timeMs < earliest; first = window.first()) {
      window.shift();
    }
    const entry: Entry = { timeMs: order.timeMs, party, order: order.order };
    window.forEach((other) => {
      if (other.party.account !== party.account && other.party.group !== party.group) {
        this.coincide(order.side, other, entry, session);
      }
    });
    window.push(entry);
  }

  private coincide(side: Side, first: Entry, second: Entry, session: SessionInfo): void {
    const links = this.sides[side];
    const [a, b] =
      first.party.account < second.party.account
        ? [first.party.account, second.party.account]
        : [second.party.account, first.party.account];
    const pairKey = `${a}\n${b}`;
    let pair = links.pairs.get(pairKey);
    if (pair === undefined) {
      pair = new Pair(a, b);
      links.pairs.set(pairKey, pair);
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
    part.add(first);
    part.add(second);
    if (newSession && !pair.linked && pair.sessions.size >= this.config.sessionsMin) {
      pair.linked = true;
      const { root, previousKeys } = links.union(a, b);
      const key = this.raise(side, root);
      for (const previous of previousKeys) if (previous !== key) this.sink.retract(previous);
    } else {
      const root = links.find(a);
      if (root === links.find(b) && links.raised.has(root)) links.dirty.add(root);
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
      for (const root of [...links.dirty]) this.raise(side, root);
      links.dirty.clear();
    }
  }

  /** Raises the alert of the component at `root`; returns its key. */
  private raise(side: Side, root: string): string {
    const links = this.sides[side];
    const accounts = links.members.get(root) ?? [root];
    const inComponent = new Set(accounts);
    const evidence = new Evidence();
    const instruments = new Set<string>();
    let linkedPairs = 0;
    let linkedPairSessionsMin = Number.POSITIVE_INFINITY;
    for (const account of accounts) {
      for (const pair of links.pairsOf.get(account) ?? []) {
        // Each pair once (from its first account), and only pairs inside the component.
        if (pair.a !== account || !inComponent.has(pair.b)) continue;
        if (pair.linked) {
          linkedPairs++;
          linkedPairSessionsMin = Math.min(linkedPairSessionsMin, pair.sessions.size);
        }
        for (const part of pair.sessions.values()) {
          evidence.sessions.add(part.session);
          instruments.add(part.instrument);
          for (const party of part.parties) evidence.party(party);
          for (const order of part.orders) evidence.order(order);
          evidence.time(part.fromMs);
          evidence.time(part.toMs);
        }
      }
    }
    const key = `coordinated-bidding|${side}|${[...accounts].sort()[0]!}`;
    this.sink.raise(
      evidence.alert({
        key,
        rule: "coordinated-bidding",
        session: null,
        instrument: instruments.size === 1 ? [...instruments][0]! : null,
        side,
        figures: { linkedPairs, sessions: evidence.sessions.size, linkedPairSessionsMin },
      }),
    );
    links.raised.set(root, key);
    links.dirty.delete(root);
    return key;
  }
}
