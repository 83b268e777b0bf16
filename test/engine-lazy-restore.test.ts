/**
 * A restored engine indexes its live orders by id later (`Engine.warm`, or at the first lookup that needs it): it
 * must behave exactly as the engine it was taken from. Each seeded run builds a deep book on a cleared instrument and
 * an uncleared one, restores a copy from the snapshot's bytes, then drives both with the same random commands
 * (cancels and amends by id of deep orders, sweeps through many levels, mass cancels, duplicate and reused ids, GTD
 * expiry, queries by id) and compares the events, the answers and the state hash after every step. Some runs warm
 * the copy in random slices between commands, some never do.
 */

import { describe, expect, it, vi } from "vitest";
import type { Command } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import { Random } from "../src/simulator/random.ts";
import { twoPartyMarket } from "./support/market-commands.ts";

const CLEARED = "PB-KAZGPZ-MNG";
const FREE = "FREE-LPG";
const START_MS = Date.UTC(2026, 0, 5, 6, 0);
const BUILD_ORDERS = 1500;
const STEPS = 200;
/** Steps at the start that name no earlier order by id (see the test). */
const EARLY_STEPS = 40;

interface Run {
  readonly original: Engine;
  readonly restored: Engine;
  seq: number;
  nowMs: number;
}

function setup(): Command[] {
  return [
    ...twoPartyMarket(CLEARED),
    { type: "instrument.list", instrument: FREE, mode: "continuous", tickSize: 100, lotSize: 1000 },
    { type: "phase.set", instrument: FREE, phase: "continuous" },
  ];
}

/** Ids sent so far, in order, so that commands can name deep (old) orders as well as recent ones. */
class Ids {
  readonly sent: string[] = [];
  private next = 0;
  fresh(): string {
    const id = `o${this.next++}`;
    this.sent.push(id);
    return id;
  }
  /** An earlier id: old ones as often as recent ones. */
  earlier(random: Random): string {
    if (this.sent.length === 0) return "never-sent";
    return this.sent[Math.floor(random.next() * this.sent.length)]!;
  }
}

function newOrder(random: Random, ids: Ids, nowMs: number, sweep: boolean, noReuse = false): Command {
  const instrument = random.next() < 0.7 ? CLEARED : FREE;
  const buy = random.next() < 0.5;
  const account = instrument === CLEARED ? (buy ? "B1" : "P1") : `A${Math.floor(random.next() * 4)}`;
  const reuse = random.next() < 0.03;
  const orderId = reuse && !noReuse ? ids.earlier(random) : ids.fresh();
  const offset = Math.floor(random.next() * 30) * 100;
  // A sweep crosses up to 30 levels of the other side; a resting order stays on its own side of 13,300,000.
  const price = sweep ? 13_300_000 + (buy ? 1 : -1) * offset : 13_300_000 + (buy ? -1 : 1) * (offset + 500);
  const r = random.next();
  const tif = sweep ? (r < 0.5 ? "IOC" : "GTC") : r < 0.1 ? "GTD" : r < 0.15 ? "DAY" : "GTC";
  return {
    type: "order.new",
    instrument,
    orderId,
    account,
    side: buy ? "buy" : "sell",
    orderType: sweep && random.next() < 0.2 ? "market" : "limit",
    ...(sweep && random.next() < 0.2 ? {} : { price }),
    quantity: 1000 * (1 + Math.floor(random.next() * (sweep ? 200 : 10))),
    ...(tif === "GTD" ? { tif, expireAtMs: nowMs + 1 + Math.floor(random.next() * 2000) } : { tif }),
  } as Command;
}

function randomCommand(random: Random, ids: Ids, nowMs: number): Command {
  const r = random.next();
  if (r < 0.35) return newOrder(random, ids, nowMs, false);
  if (r < 0.45) return newOrder(random, ids, nowMs, true);
  if (r < 0.7) return { type: "order.cancel", orderId: ids.earlier(random) };
  if (r < 0.92) {
    const q = random.next();
    const price = 13_300_000 + (random.next() < 0.5 ? -1 : 1) * (Math.floor(random.next() * 30) * 100 + 500);
    const quantity = 1000 * (1 + Math.floor(random.next() * 10));
    return {
      type: "order.amend",
      orderId: ids.earlier(random),
      ...(q < 0.4 ? { quantity } : q < 0.7 ? { price } : { price, quantity }),
    } as Command;
  }
  if (r < 0.94) return { type: "order.massCancel", account: `A${Math.floor(random.next() * 4)}` } as Command;
  return { type: "time.tick" } as Command;
}

/** A command that names no earlier order by id: a new order, a sweep, a mass cancel or a tick (GTD expiry). */
function earlyCommand(random: Random, ids: Ids, nowMs: number): Command {
  const r = random.next();
  if (r < 0.08) return { type: "order.massCancel", account: `A${Math.floor(random.next() * 4)}` } as Command;
  if (r < 0.15) return { type: "time.tick" } as Command;
  return newOrder(random, ids, nowMs, r < 0.45, true);
}

/** What `Engine.order` answers, without the book handle (not part of the state: a restore assigns new ones). */
function shown(engine: Engine, id: string): string {
  const order = engine.order(id);
  if (order === undefined) return "undefined";
  const { handle: _handle, ...rest } = order as { handle?: number };
  return JSON.stringify(rest);
}

function step(run: Run, command: Command, advanceMs: number, seen?: Map<string, number>): void {
  run.seq++;
  run.nowMs += advanceMs;
  const sequenced = { seq: run.seq, timeMs: run.nowMs, command };
  const expected = run.original.apply(sequenced);
  const actual = run.restored.apply(sequenced);
  expect(actual, `events of command ${run.seq}: ${JSON.stringify(command)}`).toEqual(expected);
  for (const event of expected) seen?.set(event.type, (seen.get(event.type) ?? 0) + 1);
}

function build(seed: number): { run: Run; ids: Ids; random: Random } {
  const original = new Engine();
  const random = new Random(seed, "lazy-restore");
  const ids = new Ids();
  let seq = 0;
  let nowMs = START_MS;
  for (const command of setup()) {
    const events = original.apply({ seq: ++seq, timeMs: ++nowMs, command });
    expect(events.some((e) => e.type === "rejected")).toBe(false);
  }
  for (let i = 0; i < BUILD_ORDERS; i++) {
    const command =
      random.next() < 0.9
        ? newOrder(random, ids, nowMs, false)
        : { type: "order.cancel", orderId: ids.earlier(random) };
    original.apply({ seq: ++seq, timeMs: ++nowMs, command: command as Command });
  }
  const restored = Engine.restore(JSON.parse(JSON.stringify(original.snapshot())));
  return { run: { original, restored, seq, nowMs }, ids, random };
}

describe("a restored engine that indexes its orders later", () => {
  // A state hash serialises every order, which makes every record: runs that hash after every step test a restored
  // engine whose records are all made; the others hash every `hashEvery` steps after the early ones, so that their
  // commands meet orders whose records are not made yet.
  for (const [seed, warming, hashEvery] of [
    [1, false, 25],
    [2, true, 25],
    [3, false, 1],
    [4, true, 1],
    [5, false, 50],
  ] as const) {
    const hashing = hashEvery === 1 ? "hashed after every step" : `hashed every ${hashEvery} steps`;
    const warmed = warming ? "warmed in slices" : "never warmed";
    it(`behaves as the engine it was taken from (seed ${seed}, ${warmed}, ${hashing})`, () => {
      const { run, ids, random } = build(seed);
      expect(run.original.snapshot().orders.id.length).toBeGreaterThan(500);
      if (hashEvery === 1) expect(run.restored.stateHash()).toBe(run.original.stateHash());
      const seen = new Map<string, number>();
      for (let i = 0; i < STEPS; i++) {
        if (warming && random.next() < 0.3) run.restored.warm(1 + Math.floor(random.next() * 300));
        // The first steps name no earlier order by id, so that they run while the index is not built: new orders
        // and sweeps trade against restored makers (the clearing house follows their trades by id).
        const early = i < EARLY_STEPS;
        const command = early ? earlyCommand(random, ids, run.nowMs) : randomCommand(random, ids, run.nowMs);
        if (early && !warming && hashEvery > 1)
          expect(run.restored.warm(0), `index built before step ${i}`).toBe(false);
        step(run, command, random.next() < 0.1 ? 500 : 1, seen);
        if (!early && random.next() < 0.2) {
          const id = ids.earlier(random);
          expect(shown(run.restored, id), `order ${id}`).toBe(shown(run.original, id));
        }
        for (const instrument of [CLEARED, FREE]) {
          const [mine, theirs] = [run.restored.market(instrument)!, run.original.market(instrument)!];
          for (const side of ["buy", "sell"] as const) expect(mine.depth(side, 5)).toEqual(theirs.depth(side, 5));
          if (random.next() < 0.02) {
            const listed = (market: typeof mine) =>
              market.ordersInPriority("sell").map(({ handle: _handle, ...rest }) => rest);
            expect(listed(mine)).toEqual(listed(theirs));
          }
        }
        if (hashEvery === 1 || (!early && i % hashEvery === 0)) {
          expect(run.restored.stateHash(), `state after command ${run.seq}`).toBe(run.original.stateHash());
        }
      }
      // The stream did what it is for: trades, cancellations (by id, by sweep, by expiry) and amends.
      for (const type of ["trade", "order.cancelled", "order.amended"]) expect(seen.get(type) ?? 0).toBeGreaterThan(5);
      run.restored.checkInvariants();
      expect(run.restored.warm(Number.POSITIVE_INFINITY)).toBe(true);
      expect(run.restored.stateHash()).toBe(run.original.stateHash());
    });
  }

  it("keeps done orders and obligations (snapshot version 6) unindexed until needed: a close, a payment, reused ids", () => {
    const { run: built, ids } = build(8);
    const original = built.original;
    let seq = built.seq;
    let nowMs = built.nowMs;
    const apply = (command: Command) => original.apply({ seq: ++seq, timeMs: ++nowMs, command });
    // Two sweeps through the cleared book: trades (obligations) and filled makers (done orders).
    for (const [orderId, side, price] of [
      ["sweep-b", "buy", 13_303_000],
      ["sweep-s", "sell", 13_297_000],
    ] as const) {
      const account = side === "buy" ? "B1" : "P1";
      const command = { type: "order.new", instrument: CLEARED, orderId, account, side, orderType: "limit" };
      apply({ ...command, price, quantity: 50_000 } as Command);
    }
    const obligations = original.clearingHouse.clearing.all().map((o) => o.id);
    expect(obligations.length).toBeGreaterThan(3);
    // One settled obligation (the close forgets it), one paid.
    apply({ type: "obligation.confirmPayment", obligation: obligations[0]! });
    apply({ type: "obligation.confirmDelivery", obligation: obligations[0]! });
    apply({ type: "obligation.confirmPayment", obligation: obligations[1]! });
    const done = ids.sent.filter((id) => original.order(id)?.status === "filled");
    expect(done.length).toBeGreaterThan(10);
    const fresh = (): Run => ({
      original,
      restored: Engine.restore(JSON.parse(JSON.stringify(original.snapshot()))),
      seq: original.lastSeq,
      nowMs: original.nowMs,
    });
    // A late cancel of a done order and a confirmation of an obligation, each the first lookup after the restore.
    // Each copy's live orders are indexed first (a lookup by id), its done orders and obligations not: what this test is
    // about.
    const live = original.snapshot().orders.id[0]!;
    const unindexed = (copy: Run) => {
      expect(shown(copy.restored, live)).toBe(shown(original, live));
      expect(copy.restored.warm(0)).toBe(false);
    };
    const looked = fresh();
    unindexed(looked);
    step(looked, { type: "order.cancel", orderId: done[0]! }, 1);
    step(looked, { type: "obligation.confirmDelivery", obligation: obligations[2]! }, 1);
    step(looked, { type: "obligation.confirmPayment", obligation: obligations[0]! }, 1);
    expect(looked.restored.stateHash()).toBe(looked.original.stateHash());
    // A close before anything is indexed: it forgets the session's done orders and the settled obligation, so their
    // ids are free again; a trade after it opens a new obligation.
    const run = fresh();
    unindexed(run);
    step(run, { type: "phase.set", instrument: CLEARED, phase: "closed" }, 1);
    expect(run.restored.stateHash()).toBe(run.original.stateHash());
    expect(run.restored.clearingHouse.clearing.get(obligations[0]!)).toBeUndefined();
    step(run, { type: "phase.set", instrument: CLEARED, phase: "continuous" }, 1);
    for (const [orderId, side, price] of [
      [done[1]!, "sell", 13_000_000],
      ["after-close", "buy", 13_600_000],
    ] as const) {
      step(
        run,
        {
          type: "order.new",
          instrument: CLEARED,
          orderId,
          account: side === "buy" ? "B1" : "P1",
          side,
          orderType: "limit",
          price,
          quantity: 1000,
        } as Command,
        1,
      );
    }
    expect(run.restored.order(done[1]!)).toMatchObject({ status: "filled" });
    expect(run.restored.warm(Number.POSITIVE_INFINITY)).toBe(true);
    expect(run.restored.stateHash()).toBe(run.original.stateHash());
    run.restored.checkInvariants();
  });

  it("a cancel of one restored order by id, a lookup and a reused id make only those orders' records", () => {
    const { run } = build(8);
    const live = run.original.snapshot().orders.id;
    const [deep, other, reused] = [live[Math.floor(live.length / 2)]!, live[live.length - 3]!, live[5]!];
    step(run, { type: "order.cancel", orderId: deep }, 1);
    expect(shown(run.restored, deep)).toBe(shown(run.original, deep));
    expect(shown(run.restored, other)).toBe(shown(run.original, other));
    expect(shown(run.restored, "never-sent")).toBe("undefined");
    step(
      run,
      {
        type: "order.new",
        instrument: FREE,
        orderId: reused,
        account: "A1",
        side: "buy",
        orderType: "limit",
        price: 13_000_000,
        quantity: 1000,
      } as Command,
      1,
    );
    // The index is still not built: none of these needed the other restored orders' records.
    expect(run.restored.warm(0), "the index was built by a lookup of one order").toBe(false);
    expect(run.restored.stateHash()).toBe(run.original.stateHash());
  });

  it("a late cancel of a done order makes only that done order's record, and a lookup of another only its own", () => {
    const { run: built, ids } = build(8);
    const done = ids.sent.filter((id) => built.original.order(id)?.status === "cancelled");
    expect(done.length).toBeGreaterThan(20);
    const made = vi.spyOn(Engine.prototype, "restoreDone");
    try {
      const run: Run = { ...built, restored: Engine.restore(JSON.parse(JSON.stringify(built.original.snapshot()))) };
      expect(made).toHaveBeenCalledTimes(0);
      // As the tail a start replays may hold: a cancel that lost the race with the order's end (ORDER_NOT_RESTING).
      step(run, { type: "order.cancel", orderId: done[7]! }, 1);
      expect(made).toHaveBeenCalledTimes(1);
      expect(made.mock.calls[0]![0].id).toBe(done[7]);
      expect(shown(run.restored, done[3]!)).toBe(shown(run.original, done[3]!));
      expect(shown(run.restored, done[7]!)).toBe(shown(run.original, done[7]!));
      expect(made).toHaveBeenCalledTimes(2);
      // The rest come with the warm, each once, and the state is the original's.
      expect(run.restored.warm(Number.POSITIVE_INFINITY)).toBe(true);
      const allDone = new Set(
        ids.sent.filter((id) => ["filled", "cancelled"].includes(built.original.order(id)?.status ?? "")),
      );
      expect(made).toHaveBeenCalledTimes(allDone.size);
      expect(new Set(made.mock.calls.map(([order]) => order.id)).size).toBe(made.mock.calls.length);
      expect(run.restored.stateHash()).toBe(run.original.stateHash());
      run.restored.checkInvariants();
    } finally {
      made.mockRestore();
    }
  });

  it("answers before the index is built: a new id, a live deep order by id, and a duplicate id", () => {
    const { run, ids } = build(7);
    const live = run.original.snapshot().orders.id;
    const deep = live[Math.floor(live.length / 2)]!;
    // A new id is answered without building the index; its order trades against restored makers.
    step(
      run,
      {
        type: "order.new",
        instrument: CLEARED,
        orderId: "fresh-1",
        account: "B1",
        side: "buy",
        orderType: "limit",
        price: 13_303_000,
        quantity: 50_000,
      } as Command,
      1,
    );
    expect(shown(run.restored, deep)).toBe(shown(run.original, deep));
    step(run, { type: "order.cancel", orderId: deep }, 1);
    step(
      run,
      {
        type: "order.new",
        instrument: CLEARED,
        orderId: live[0]!,
        account: "P1",
        side: "sell",
        orderType: "limit",
        price: 13_400_000,
        quantity: 1000,
      } as Command,
      1,
    );
    expect(run.restored.stateHash()).toBe(run.original.stateHash());
    expect(ids.sent.length).toBeGreaterThan(0);
  });
});
