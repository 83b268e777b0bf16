/** The demo's round clock: one slot per agent per round, catching up after a late round, auction collections, desk days. */

import { describe, expect, it } from "vitest";
import { Random } from "../simulator/random.ts";
import { AUCTION_BID_SHARE, RoundClock } from "./round-clock.ts";

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);
const ROUND_MS = 60_000;
const agents = [0, 1, 2, 3].map((index) => ({ index }));

function drain(clock: RoundClock<{ index: number }>, untilMs: number): { atMs: number; index: number }[] {
  const taken: { atMs: number; index: number }[] = [];
  for (let now = T0; now <= untilMs; now += 1000) {
    for (let agent = clock.takeDue(now); agent !== null; agent = clock.takeDue(now))
      taken.push({ atMs: now, ...agent });
  }
  return taken;
}

describe("the demo's round clock", () => {
  it("gives every agent one slot per round, spread evenly, in an order drawn afresh each round", () => {
    const clock = new RoundClock(ROUND_MS, T0, new Random(7, "test"));
    expect(clock.roundDue(T0)).toBe(true);
    const start = clock.beginRound(T0);
    expect([start, clock.roundDue(T0 + ROUND_MS - 1), clock.roundDue(T0 + ROUND_MS)]).toEqual([T0, false, true]);
    clock.scheduleRound(start, agents);
    const first = drain(clock, T0 + ROUND_MS - 1);
    // Slots at 7.5, 22.5, 37.5 and 52.5 s, taken at the first whole second after each.
    expect(first.map((s) => s.atMs - T0)).toEqual([8000, 23_000, 38_000, 53_000]);
    expect(first.map((s) => s.index).sort()).toEqual([0, 1, 2, 3]);
    clock.scheduleRound(clock.beginRound(T0 + ROUND_MS), agents);
    const second = drain(clock, T0 + 2 * ROUND_MS).map((s) => s.index);
    expect(second.sort()).toEqual([0, 1, 2, 3]);
  });

  it("gives the agents atStart picks their slot at the round's start and spreads the others; later rounds draw the same", () => {
    const picked = new RoundClock(ROUND_MS, T0, new Random(7, "test"));
    picked.scheduleRound(picked.beginRound(T0), agents, (agent) => agent.index === 2);
    const first = drain(picked, T0 + ROUND_MS - 1);
    // Agent 2 at once; the other three at 10, 30 and 50 s, taken at the first whole second after each.
    expect(first[0]).toEqual({ atMs: T0, index: 2 });
    expect(first.slice(1).map((s) => s.atMs - T0)).toEqual([10_000, 30_000, 50_000]);
    expect(first.map((s) => s.index).sort()).toEqual([0, 1, 2, 3]);
    // The next round's order is the one a clock that picked none draws.
    const plain = new RoundClock(ROUND_MS, T0, new Random(7, "test"));
    plain.scheduleRound(plain.beginRound(T0), agents);
    const plainFirst = drain(plain, T0 + ROUND_MS - 1);
    expect(plainFirst.map((s) => s.index).filter((i) => i !== 2)).toEqual(first.slice(1).map((s) => s.index));
    picked.scheduleRound(picked.beginRound(T0 + ROUND_MS), agents);
    plain.scheduleRound(plain.beginRound(T0 + ROUND_MS), agents);
    const next = (clock: RoundClock<{ index: number }>) =>
      drain(clock, T0 + 2 * ROUND_MS).filter((s) => s.atMs >= T0 + ROUND_MS);
    expect(next(picked)).toEqual(next(plain));
  });

  it("keeps late rounds to the nominal schedule, and starts afresh after a stall of a whole round", () => {
    const clock = new RoundClock(ROUND_MS, T0, new Random(7, "test"));
    expect(clock.beginRound(T0 + 5000)).toBe(T0); // five seconds late: the round still starts at T0
    expect(clock.beginRound(T0 + ROUND_MS + 10_000)).toBe(T0 + ROUND_MS);
    expect(clock.beginRound(T0 + 5 * ROUND_MS)).toBe(T0 + 5 * ROUND_MS); // stalled: afresh from now
    expect(clock.roundDue(T0 + 6 * ROUND_MS - 1)).toBe(false);
  });

  it("gives an auction's producers their slot at once and spreads its buyers before the close, once a collection", () => {
    const clock = new RoundClock(ROUND_MS, T0, new Random(7, "test"));
    const closeMs = T0 + 45 * 60_000;
    expect(clock.isNewCollection("KZ", 3)).toBe(true);
    clock.scheduleCollection("KZ", 3, T0, closeMs, [agents[0]!], [agents[1]!, agents[2]!, agents[3]!]);
    expect(clock.isNewCollection("KZ", 3)).toBe(false);
    expect(clock.isNewCollection("KZ", 4)).toBe(true);
    expect(clock.takeDue(T0)).toEqual(agents[0]);
    const windowMs = (closeMs - T0) * AUCTION_BID_SHARE;
    const buyers = drain(clock, closeMs);
    expect(buyers.map((s) => s.atMs - T0)).toEqual([1, 2, 3].map((i) => Math.ceil((windowMs * i) / 4 / 1000) * 1000));
  });

  it("counts each desk's days from the day before the start", () => {
    const clock = new RoundClock(ROUND_MS, T0, new Random(7, "test"));
    const yesterday = Date.UTC(2026, 0, 4);
    expect(clock.day("continuous")).toEqual({ day: -1, dateMs: yesterday });
    clock.advanceDay("continuous");
    clock.advanceDay("continuous");
    expect(clock.day("continuous")).toEqual({ day: 1, dateMs: Date.UTC(2026, 0, 6) });
    expect(clock.day("auction")).toEqual({ day: -1, dateMs: yesterday });
  });
});
