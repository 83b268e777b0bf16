/**
 * The demo's calendar: when each agent acts, and which simulated day each desk is on.
 *
 * - Continuous desk: a round of `roundMs` is one simulated day. Every agent of the desk gets one slot per round, the
 *   order drawn afresh each round and the slots spread evenly over it (in the demo's first round its producers act at
 *   the start, so the board shows offers at once). Slots keep to the nominal round, so a late
 *   round catches up; after a stall of a whole round the next starts afresh.
 * - Auction desk: one order collection is one simulated day. Its producers act when the collection opens; its buyers
 *   at moments spread over `AUCTION_BID_SHARE` of the time to the close, in an order drawn afresh.
 * - Each desk counts its days and dates from the day before the demo started (day -1), a day per round or
 *   collection.
 *
 * Pure: it reads no clock (times are passed in), calls nothing, and draws its orders from a seeded generator, so the
 * same times give the same slots.
 */

import type { Random } from "../simulator/random.ts";
import type { Desk } from "./world.ts";

/** The auction desk's buyers bid within this share of the collection that is left; the rest is a margin. */
export const AUCTION_BID_SHARE = 0.8;
const MS_PER_DAY = 86_400_000;

/** Anything that takes slots: ordered by its index where two slots fall on the same millisecond. */
export interface Scheduled {
  readonly index: number;
}

interface Slot<A extends Scheduled> {
  readonly atMs: number;
  readonly agent: A;
}

/** A desk's simulated calendar. */
export interface DeskDay {
  /** The simulated day: -1 before the first, then 0, 1, 2, ... */
  readonly day: number;
  /** Midnight UTC of the simulated day, ms since epoch. */
  readonly dateMs: number;
}

export class RoundClock<A extends Scheduled> {
  private queue: Slot<A>[] = [];
  private nextRoundMs: number;
  private readonly days: Record<Desk, { day: number; dateMs: number }>;
  private readonly lastCollection = new Map<string, number>();

  constructor(
    private readonly roundMs: number,
    startMs: number,
    /** Draws the order of each round's and each collection's slots. */
    private readonly random: Random,
  ) {
    this.nextRoundMs = startMs;
    const yesterday = Math.floor(startMs / MS_PER_DAY) * MS_PER_DAY - MS_PER_DAY;
    this.days = { continuous: { day: -1, dateMs: yesterday }, auction: { day: -1, dateMs: yesterday } };
  }

  /** The agent whose slot is due by `nowMs` (the earliest), taken off the queue; null when none is. */
  takeDue(nowMs: number): A | null {
    const slot = this.queue[0];
    if (slot === undefined || slot.atMs > nowMs) return null;
    this.queue.shift();
    return slot.agent;
  }

  roundDue(nowMs: number): boolean {
    return nowMs >= this.nextRoundMs;
  }

  /** Starts the round that is due; returns when it starts (its slots are counted from there). */
  beginRound(nowMs: number): number {
    const startMs = nowMs - this.nextRoundMs >= this.roundMs ? nowMs : this.nextRoundMs;
    this.nextRoundMs = startMs + this.roundMs;
    return startMs;
  }

  /**
   * Gives each agent one slot in the round from `startMs`, in an order drawn afresh: those `atStart` picks at the
   * round's start (by index), the others spread evenly over the round. The order is drawn over all of them, so the
   * rounds after take the same draws whoever `atStart` picks.
   */
  scheduleRound(startMs: number, agents: readonly A[], atStart: (agent: A) => boolean = () => false): void {
    const order = this.shuffled(agents);
    const spread = order.filter((agent) => !atStart(agent));
    const spacingMs = this.roundMs / Math.max(1, spread.length);
    this.schedule([
      ...order.filter(atStart).map((agent) => ({ atMs: startMs, agent })),
      ...spread.map((agent, i) => ({ atMs: startMs + Math.floor((i + 0.5) * spacingMs), agent })),
    ]);
  }

  /** Whether the collection `session` of an auction instrument is new (not yet given its slots). */
  isNewCollection(instrument: string, session: number): boolean {
    return this.lastCollection.get(instrument) !== session;
  }

  /**
   * Gives an auction's collection its slots: the producers now, the buyers in an order drawn afresh at moments spread
   * over `AUCTION_BID_SHARE` of the time to `closeMs`.
   */
  scheduleCollection(
    instrument: string,
    session: number,
    nowMs: number,
    closeMs: number,
    producers: readonly A[],
    buyers: readonly A[],
  ): void {
    this.lastCollection.set(instrument, session);
    const windowMs = Math.max(0, closeMs - nowMs) * AUCTION_BID_SHARE;
    const order = this.shuffled(buyers);
    this.schedule([
      ...producers.map((agent) => ({ atMs: nowMs, agent })),
      ...order.map((agent, i) => ({ atMs: nowMs + Math.floor((windowMs * (i + 1)) / (order.length + 1)), agent })),
    ]);
  }

  day(desk: Desk): DeskDay {
    return this.days[desk];
  }

  /** The desk's next simulated day begins. */
  advanceDay(desk: Desk): void {
    this.days[desk].day++;
    this.days[desk].dateMs += MS_PER_DAY;
  }

  private shuffled(agents: readonly A[]): A[] {
    return agents
      .map((agent) => ({ agent, key: this.random.next() }))
      .sort((a, b) => a.key - b.key)
      .map(({ agent }) => agent);
  }

  private schedule(slots: readonly Slot<A>[]): void {
    this.queue.push(...slots);
    this.queue.sort((a, b) => a.atMs - b.atMs || a.agent.index - b.agent.index);
  }
}
