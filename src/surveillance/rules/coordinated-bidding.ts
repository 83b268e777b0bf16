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
 * Complexity: per order O(accounts with an order at its side and price in the last `withinMs`): an account whose
 * pair session with the order's account is full is met once, in O(1), whatever its number of orders there (what a
 * coincidence with each of them would do is done once, in the same order: `order`); the other accounts' orders
 * O(1) each (a pair session is full once `PAIR_SESSION_ORDERS_MAX` of its two accounts' orders have met). A
 * walk that may link a pair meets every order of the window (at most once per pair: a linked pair stays linked).
 * Raising a component's alert O(its pairs × their sessions). Memory: the running sessions' windows (their orders, and
 * per price every account that bid or offered there in the session), and per running session and side the pair
 * sessions by account number; per pair of accounts that ever coincided, one entry per session in which they did,
 * with at most `PAIR_SESSION_ORDERS_MAX` orders each.
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

/** No orders added (shared: `Component.add` only reads it). */
const NONE_ADDED: readonly string[] = [];

interface Entry {
  readonly timeMs: number;
  readonly party: Party;
  readonly order: string;
  /** The detector's count of orders met when this one came. */
  readonly seq: number;
  /** Its account's number. */
  readonly number: number;
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

/** Entries dropped from the front of an account's window before its array is compacted (when also half of it). */
const COMPACT_AFTER = 64;

/** An account's orders in one window (one session, side and price), oldest first. Kept while empty (no churn). */
export class AccountWindow {
  /** Its orders are `entries[head]` to `entries[tail - 1]`; the slots outside are empty, and kept (no allocation
   * when the window next fills). */
  readonly entries: (Entry | undefined)[] = [];
  head = 0;
  tail = 0;
  /** Its place in its window's `live` list; -1 while it holds no order. */
  live = -1;
  /** The party of its newest order. */
  party: Party;
  /** The `seq` of its newest order entered as another party than the one before (0: none); all its orders are of
   * one party when its oldest is at least this. */
  changedSeq = 0;
  constructor(
    party: Party,
    readonly number: number,
  ) {
    this.party = party;
  }

  get length(): number {
    return this.tail - this.head;
  }

  push(entry: Entry): void {
    if (this.tail < this.entries.length) this.entries[this.tail] = entry;
    else this.entries.push(entry);
    this.tail++;
  }

  /** Drops its oldest order; returns whether it still holds one. */
  shift(): boolean {
    this.entries[this.head++] = undefined;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
      return false;
    }
    if (this.head > COMPACT_AFTER && this.head * 2 > this.tail) {
      this.entries.copyWithin(0, this.head, this.tail);
      this.tail -= this.head;
      this.entries.fill(undefined, this.tail);
      this.entries.length = this.tail;
      this.head = 0;
    }
    return true;
  }
}

/**
 * Orders of the last `withinMs` at one side and price of one session: all of them in the order they came, and by
 * account (`live`: the accounts that hold one, in no particular order).
 */
export class PriceWindow {
  readonly entries = new Queue<Entry>();
  readonly accounts = new Map<string, AccountWindow>();
  readonly live: AccountWindow[] = [];

  push(entry: Entry): void {
    this.entries.push(entry);
    const account = entry.party.account;
    let mine = this.accounts.get(account);
    if (mine === undefined) {
      mine = new AccountWindow(entry.party, entry.number);
      this.accounts.set(account, mine);
    } else if (mine.party !== entry.party) {
      if (mine.length > 0) mine.changedSeq = entry.seq;
      mine.party = entry.party;
    }
    if (mine.live < 0) {
      mine.live = this.live.length;
      this.live.push(mine);
    }
    mine.push(entry);
  }

  /** Drops the orders before `earliest`. */
  expire(earliest: number): void {
    for (let first = this.entries.first(); first !== undefined && first.timeMs < earliest; ) {
      this.entries.shift();
      const mine = this.accounts.get(first.party.account)!;
      if (!mine.shift()) {
        const last = this.live.pop()!;
        if (last !== mine) {
          this.live[mine.live] = last;
          last.live = mine.live;
        }
        mine.live = -1;
      }
      first = this.entries.first();
    }
  }
}

/** One side of a running session: its windows by price, and the pairs' evidence in it by account, both ways round. */
export class SessionSide {
  readonly prices = new Map<number, PriceWindow>();
  /** By the two accounts' numbers (`CoordinatedBiddingDetector.number`), each way round; sparse rows. */
  readonly parts: (PairSession | undefined)[][] = [];
}

/** Whether coinciding once more with orders of `other` only widens the pair session's span (its orders are full). */
function full(part: PairSession, party: Party, other: Party): boolean {
  if (part.orders.length < PAIR_SESSION_ORDERS_MAX) return false;
  const parties = part.parties;
  if (
    parties.length === 2 &&
    (parties[0] === party ? parties[1] === other : parties[0] === other && parties[1] === party)
  ) {
    return true;
  }
  return parties.includes(party) && parties.includes(other);
}

function bySeq(x: Entry, y: Entry): number {
  return x.seq - y.seq;
}

/**
 * Scratch lists of one order's walk, shared by every detector of the thread (a walk runs to its end before another
 * starts, and they are no detector's state: a read-model snapshot does not carry them). A walk uses a prefix of each
 * (its own count of items) and leaves what it wrote to be overwritten by the next: emptying one (`length = 0`) drops
 * its storage in V8, and the next walk grew it again, allocating as it pushed, for every order placed.
 */
const walked: Entry[] = [];
const widened: AccountWindow[] = [];
const widenedParts: PairSession[] = [];

export class CoordinatedBiddingDetector implements Detector {
  /** Per running session, per side: orders of the last `withinMs` by price and account, and the pairs' sessions. */
  private readonly windows = new Map<string, Record<Side, SessionSide>>();
  private readonly sides: Record<Side, SideLinks> = { buy: new SideLinks(), sell: new SideLinks() };
  /** Orders met so far (an entry's `seq`: the order in which the original walk met the window). */
  private seq = 0;
  /** Accounts by number, in the order they first entered an order with a price. */
  private readonly numbers = new Map<string, number>();
  // Scratch lists of one order's walk (empty between orders).
  private readonly dirtyAt: number[] = [];
  private readonly dirtyOf: Component[] = [];

  constructor(
    private readonly config: CoordinatedBiddingConfig,
    private readonly sink: AlertSink,
  ) {}

  /**
   * Coincides the order with each order of another account and group at its side and price in the last `withinMs`,
   * oldest first. An account whose pair session with this one is full (its orders kept, both parties known) and has
   * no other party in the window is met once, not once per order: meeting it again would only widen the pair
   * session's span to the same bounds and add the same evidence to a component that already holds it. Whatever does
   * change is done in the order the walk of every order would do it: the other accounts' orders are met one by one,
   * in the order they came, and a component is marked for raising where the first order of a full pair was. A walk
   * that may link a pair (a pair's first coincidence in the session that would give it `sessionsMin` sessions) meets
   * every order one by one, as that raises and merges components.
   */
  order(order: OrderRecord, party: Party, session: SessionInfo): void {
    const price = order.priceTiynPerTonne;
    if (!this.config.enabled || price === null) return;
    let sides = this.windows.get(session.session);
    if (sides === undefined) {
      sides = { buy: new SessionSide(), sell: new SessionSide() };
      this.windows.set(session.session, sides);
    }
    const side = sides[order.side];
    let window = side.prices.get(price);
    if (window === undefined) {
      window = new PriceWindow();
      side.prices.set(price, window);
    }
    window.expire(order.timeMs - this.config.withinMs);
    let number = this.numbers.get(party.account);
    if (number === undefined) {
      number = this.numbers.size;
      this.numbers.set(party.account, number);
    }
    const entry: Entry = { timeMs: order.timeMs, party, order: order.order, seq: ++this.seq, number };
    if (window.live.length > 0) this.walk(order.side, side, window, entry, session);
    window.push(entry);
  }

  private walk(sideName: Side, side: SessionSide, window: PriceWindow, entry: Entry, session: SessionInfo): void {
    const party = entry.party;
    const parts = side.parts[entry.number];
    let oneByOne = false;
    let pending = 0;
    let walkedCount = 0;
    let widenedCount = 0;
    const live = window.live;
    for (let k = 0; k < live.length; k++) {
      const other = live[k]!;
      if (other.number === entry.number) continue;
      const first = other.entries[other.head]!;
      const uniform = first.seq >= other.changedSeq;
      if (uniform && first.party.group === party.group) continue;
      const part = parts === undefined ? undefined : parts[other.number];
      if (uniform && part !== undefined && full(part, party, first.party)) {
        widened[widenedCount] = other;
        widenedParts[widenedCount] = part;
        widenedCount++;
        continue;
      }
      if (part === undefined && this.mayLink(sideName, party.account, other.party.account)) {
        oneByOne = true;
        break;
      }
      pending++;
      for (let i = other.head; i < other.tail; i++) walked[walkedCount++] = other.entries[i]!;
    }
    if (oneByOne) {
      for (let i = 0; i < window.entries.length; i++) {
        const other = window.entries.at(i)!;
        if (other.party.account !== party.account && other.party.group !== party.group) {
          this.coincide(sideName, side, other, entry, session);
        }
      }
      return;
    }
    // The full pairs: their span, and the component the two accounts are in marked where the first order was met.
    const links = this.sides[sideName];
    const { dirtyAt, dirtyOf } = this;
    for (let i = 0; i < widenedCount; i++) {
      const part = widenedParts[i]!;
      const mine = widened[i]!;
      const first = mine.entries[mine.head]!;
      // What `add` would do for each of its orders and this one (the parties are there, the orders full): widen.
      if (first.timeMs < part.fromMs) part.fromMs = first.timeMs;
      if (entry.timeMs > part.toMs) part.toMs = entry.timeMs;
      if (links.components.size === 0) continue;
      const other = first.party.account;
      const root = links.find(party.account);
      const component = links.components.get(root);
      if (component !== undefined && root === links.find(other)) {
        component.add(part, NONE_ADDED);
        dirtyAt.push(first.seq);
        dirtyOf.push(component);
      }
    }
    if (dirtyAt.length > 1) this.sortDirty();
    // The other pairs, order by order in the order they came.
    // One account's orders are in order already; several accounts' are put back in the order they came.
    if (pending > 1) {
      // Sorting sorts the whole list: cut it to this walk's items first (never to none, which would drop its storage).
      walked.length = walkedCount;
      walked.sort(bySeq);
    }
    let d = 0;
    for (let i = 0; i < walkedCount; i++) {
      const other = walked[i]!;
      for (; d < dirtyAt.length && dirtyAt[d]! < other.seq; d++) links.dirty.add(dirtyOf[d]!);
      if (other.party.group !== party.group) this.coincide(sideName, side, other, entry, session);
    }
    for (; d < dirtyAt.length; d++) links.dirty.add(dirtyOf[d]!);
    dirtyAt.length = 0;
    dirtyOf.length = 0;
  }

  /** Whether a first coincidence of the two accounts in a session would link them. */
  private mayLink(side: Side, x: string, y: string): boolean {
    const pair = x < y ? this.sides[side].pairs.get(x)?.get(y) : this.sides[side].pairs.get(y)?.get(x);
    if (pair === undefined) return this.config.sessionsMin <= 1;
    return !pair.linked && pair.sessions.size + 1 >= this.config.sessionsMin;
  }

  /** Sorts the marks of components by where they were met (few: one per full pair within a component). */
  private sortDirty(): void {
    const { dirtyAt, dirtyOf } = this;
    for (let i = 1; i < dirtyAt.length; i++) {
      const at = dirtyAt[i]!;
      const of = dirtyOf[i]!;
      let j = i - 1;
      for (; j >= 0 && dirtyAt[j]! > at; j--) {
        dirtyAt[j + 1] = dirtyAt[j]!;
        dirtyOf[j + 1] = dirtyOf[j]!;
      }
      dirtyAt[j + 1] = at;
      dirtyOf[j + 1] = of;
    }
  }

  private coincide(side: Side, sessionSide: SessionSide, first: Entry, second: Entry, session: SessionInfo): void {
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
      const rows = sessionSide.parts;
      const ofFirst = rows[first.number] ?? [];
      const ofSecond = rows[second.number] ?? [];
      rows[first.number] = ofFirst;
      rows[second.number] = ofSecond;
      ofFirst[second.number] = part;
      ofSecond[first.number] = part;
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
