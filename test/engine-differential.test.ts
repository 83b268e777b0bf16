/**
 * Property tests of the continuous order book over random command streams.
 *
 * 1. Differential: every stream runs through `Replay` (the engine behind `sauda replay`) and through the plain
 *    reference model in reference-book.ts; after every command both must report the same trades, cancellations and
 *    rejections in the same order, and the same aggregated book.
 * 2. Invariants: the same streams drive an `Engine` directly; after every command the engine's self-check must hold
 *    (never crossed, level totals, records agree with the book), the order records must be in price, then time
 *    priority and add up to the reported depth (checked here from `order.rested` events, as the engine keeps no
 *    arrival time to check it by), and a snapshot must restore to an engine with the same state hash. At a random
 *    point the engine is restored from its snapshot, and the copy must then produce exactly the events the original
 *    produces on the rest of the stream.
 * 3. Hand-checked streams, one per rule, pin the reference model itself to the rules with worked-out outputs.
 *
 * Streams use 2–6 accounts and prices 95..105 so that orders cross often, every order type, TIF, post-only and
 * self-trade mode, amends and cancels of live, finished and unknown ids, duplicate ids, mass cancels, and now and
 * then an invalid price or quantity. Seeds are fixed; a failure shrinks to a short stream and prints it as replay
 * lines, ready to paste into a file for `sauda replay`.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Replay, type ReplayLine } from "../src/cli/replay.ts";
import type { Command } from "../src/engine/commands.ts";
import { Engine, type EngineSnapshot } from "../src/engine/engine.ts";
import type { EngineEvent } from "../src/engine/events.ts";
import { ReferenceBookModel } from "./reference-book.ts";

const PRICE_MIN = 95;
const PRICE_MAX = 105;
const QUANTITY_MAX = 10;
const ACCOUNTS_MIN = 2;
const ACCOUNTS_MAX = 6;
const COMMANDS_PER_STREAM_MAX = 60;
/** How far back from the newest order id an amend or cancel may reach. */
const TARGET_LOOKBACK_MAX = 7;
const UNKNOWN_ID = "never-sent";
const DIFFERENTIAL_RUNS = 4000;
const INVARIANT_RUNS = 1000;
const INSTRUMENT = "REPLAY";

type Side = "buy" | "sell";
type Tif = "GTC" | "IOC" | "FOK";
type Stp = "cancel-taker" | "cancel-maker" | "cancel-both";

/** One replay input line, as the replay CLI reads it. */
type Line =
  | {
      op: "new";
      id: string;
      account: string;
      side: Side;
      type: "limit" | "market";
      price?: number;
      quantity: number;
      tif?: Tif;
      postOnly?: true;
      stp?: Stp;
    }
  | { op: "amend"; id: string; price?: number; quantity?: number }
  | { op: "cancel"; id: string }
  | { op: "mass-cancel"; account: string };

/**
 * A command before ids are assigned. `target` picks an earlier order id counting back from the newest (or -1 for an
 * id never sent), so a shrunk stream still points amends and cancels at orders it contains.
 */
type Draft =
  | {
      kind: "new";
      account: number;
      side: Side;
      market: boolean;
      price: number;
      quantity: number;
      tif: Tif | undefined;
      postOnly: boolean;
      stp: Stp | undefined;
      /** Reuse an earlier id (a duplicate) instead of a fresh one. */
      reuse: number | null;
    }
  | { kind: "amend"; target: number; price: number | null; quantity: number | null }
  | { kind: "cancel"; target: number }
  | { kind: "mass-cancel"; account: number };

const validPriceArb = fc.integer({ min: PRICE_MIN, max: PRICE_MAX });
const priceArb = fc.oneof(
  { arbitrary: validPriceArb, weight: 30 },
  { arbitrary: fc.constantFrom(0, -1, -100, 100.5), weight: 1 },
);
const quantityArb = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: QUANTITY_MAX }), weight: 30 },
  { arbitrary: fc.constantFrom(0, -2, 1.5), weight: 1 },
);
const sideArb = fc.constantFrom<Side>("buy", "sell");
const tifArb = fc.constantFrom<Tif | undefined>(undefined, "GTC", "GTC", "IOC", "FOK");
const stpArb = fc.constantFrom<Stp | undefined>(undefined, "cancel-taker", "cancel-maker", "cancel-both");
const accountArb = fc.nat({ max: ACCOUNTS_MAX - 1 });
const targetArb = fc.integer({ min: -1, max: TARGET_LOOKBACK_MAX });

const newOrderArb = (market: boolean): fc.Arbitrary<Draft> =>
  fc.record({
    kind: fc.constant("new" as const),
    account: accountArb,
    side: sideArb,
    market: fc.constant(market),
    price: priceArb,
    quantity: quantityArb,
    tif: tifArb,
    postOnly: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }),
    stp: stpArb,
    reuse: fc.oneof(
      { arbitrary: fc.constant(null), weight: 30 },
      { arbitrary: fc.nat({ max: TARGET_LOOKBACK_MAX }), weight: 1 },
    ),
  });

const draftArb: fc.Arbitrary<Draft> = fc.oneof(
  { arbitrary: newOrderArb(false), weight: 12 },
  { arbitrary: newOrderArb(true), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant("amend" as const),
      target: targetArb,
      price: fc.option(priceArb, { freq: 3 }),
      quantity: fc.option(quantityArb, { freq: 3 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant("cancel" as const), target: targetArb }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("mass-cancel" as const), account: accountArb }), weight: 1 },
);

/** Assigns ids and account names: order ids are `o1`, `o2`, ... in the order the stream first sends them. */
function materialise(accountCount: number, drafts: readonly Draft[]): Line[] {
  const ids: string[] = [];
  const pick = (target: number): string =>
    target < 0 || ids.length === 0 ? UNKNOWN_ID : ids[ids.length - 1 - (target % ids.length)]!;
  const accountName = (account: number): string => `acct${account % accountCount}`;
  return drafts.map((draft): Line => {
    switch (draft.kind) {
      case "new": {
        let id: string;
        if (draft.reuse !== null && ids.length > 0) {
          id = pick(draft.reuse);
        } else {
          id = `o${ids.length + 1}`;
          ids.push(id);
        }
        const line: Line = {
          op: "new",
          id,
          account: accountName(draft.account),
          side: draft.side,
          type: draft.market ? "market" : "limit",
          quantity: draft.quantity,
        };
        if (!draft.market) line.price = draft.price;
        if (draft.tif !== undefined) line.tif = draft.tif;
        if (draft.postOnly) line.postOnly = true;
        if (draft.stp !== undefined) line.stp = draft.stp;
        return line;
      }
      case "amend": {
        const line: Line = { op: "amend", id: pick(draft.target) };
        if (draft.price !== null) line.price = draft.price;
        if (draft.quantity !== null) line.quantity = draft.quantity;
        return line;
      }
      case "cancel":
        return { op: "cancel", id: pick(draft.target) };
      case "mass-cancel":
        return { op: "mass-cancel", account: accountName(draft.account) };
      default:
        throw new Error(`unknown draft ${JSON.stringify(draft satisfies never)}`);
    }
  });
}

const streamArb: fc.Arbitrary<Line[]> = fc
  .tuple(
    fc.integer({ min: ACCOUNTS_MIN, max: ACCOUNTS_MAX }),
    fc.array(draftArb, { minLength: 1, maxLength: COMMANDS_PER_STREAM_MAX, size: "max" }),
  )
  .map(([accountCount, drafts]) => materialise(accountCount, drafts));

/** Where a check first failed: the command's index in the stream and what went wrong. */
interface Failure {
  readonly index: number;
  readonly message: string;
}

/** A failure with the stream up to the failing command, as replay lines: the minimal stream after shrinking. */
function describeFailure(title: string, lines: readonly Line[], failure: Failure): string {
  const stream = lines.slice(0, failure.index + 1).map((line) => JSON.stringify(line));
  return `${title} at command ${failure.index + 1}: ${failure.message}\nstream:\n${stream.join("\n")}`;
}

/** The outputs the reference model also produces: trades, cancellations and rejections, in order. */
function comparable(outputs: readonly ReplayLine[]): ReplayLine[] {
  return outputs.filter((o) => o.event === "trade" || o.event === "cancelled" || o.event === "rejected");
}

/**
 * Runs a stream through the engine's replay and a reference model (a fresh one unless given); returns the first
 * command after which their outputs or books differ, or null.
 */
function firstDifference(lines: readonly Line[], model = new ReferenceBookModel()): Failure | null {
  const replay = new Replay();
  for (let index = 0; index < lines.length; index++) {
    const text = JSON.stringify(lines[index]);
    const engineOut = JSON.stringify(comparable(replay.line(text)));
    const modelOut = JSON.stringify(model.line(text));
    if (engineOut !== modelOut)
      return { index, message: `outputs differ\n  engine: ${engineOut}\n  model:  ${modelOut}` };
    const engineBook = JSON.stringify(replay.book());
    const modelBook = JSON.stringify(model.book());
    if (engineBook !== modelBook) {
      return { index, message: `books differ\n  engine: ${engineBook}\n  model:  ${modelBook}` };
    }
  }
  return null;
}

/** The engine command that `Replay` builds from a line, for driving an `Engine` directly. */
function toCommand(line: Line): Command {
  switch (line.op) {
    case "new":
      return {
        type: "order.new",
        instrument: INSTRUMENT,
        orderId: line.id,
        account: line.account,
        side: line.side,
        orderType: line.type,
        ...(line.price === undefined ? {} : { price: line.price }),
        quantity: line.quantity,
        ...(line.tif === undefined ? {} : { tif: line.tif }),
        ...(line.postOnly === undefined ? {} : { postOnly: line.postOnly }),
        ...(line.stp === undefined ? {} : { stp: line.stp }),
      };
    case "amend":
      return {
        type: "order.amend",
        orderId: line.id,
        ...(line.price === undefined ? {} : { price: line.price }),
        ...(line.quantity === undefined ? {} : { quantity: line.quantity }),
      };
    case "cancel":
      return { type: "order.cancel", orderId: line.id };
    case "mass-cancel":
      return { type: "order.massCancel", account: line.account };
  }
}

/** Sequence numbers 1 and 2 set the instrument up; stream command i has sequence number i + 3. */
const FIRST_STREAM_SEQ = 3;

/** An engine with one continuous instrument, tick 1 and lot 1, open for trading: what `Replay` sets up. */
function openEngine(): Engine {
  const engine = new Engine();
  engine.apply({
    seq: 1,
    timeMs: 0,
    command: { type: "instrument.list", instrument: INSTRUMENT, mode: "continuous", tickSize: 1, lotSize: 1 },
  });
  engine.apply({ seq: 2, timeMs: 0, command: { type: "phase.set", instrument: INSTRUMENT, phase: "continuous" } });
  return engine;
}

/** A snapshot as it would come back from storage: through JSON, so nothing is shared with the live engine. */
function restored(engine: Engine): Engine {
  return Engine.restore(JSON.parse(JSON.stringify(engine.snapshot())) as EngineSnapshot);
}

/**
 * Checks from outside what the engine's self-check cannot see: the order records in priority order must be sorted
 * by price and, inside a price, by the time each order last rested (`restedAt`, taken from `order.rested` events),
 * and must add up to the depth the book reports, level by level. Returns what is wrong, or null.
 */
function priorityProblem(engine: Engine, restedAt: ReadonlyMap<string, number>): string | null {
  const market = engine.market(INSTRUMENT)!;
  for (const side of ["buy", "sell"] as const) {
    const levels: { price: number; quantity: number; orders: number }[] = [];
    let previous: { id: string; price: number; restedAt: number } | null = null;
    for (const order of market.ordersInPriority(side)) {
      const price = order.price!;
      const at = restedAt.get(order.id);
      if (at === undefined) return `${side} order ${order.id} is in the book but never rested`;
      if (previous !== null) {
        const worse = side === "buy" ? price > previous.price : price < previous.price;
        if (worse) return `${side} order ${order.id} at ${price} is queued behind ${previous.id} at ${previous.price}`;
        if (price === previous.price && at < previous.restedAt) {
          return `${side} order ${order.id} is queued behind ${previous.id}, which rested later`;
        }
      }
      previous = { id: order.id, price, restedAt: at };
      const last = levels[levels.length - 1];
      if (last?.price === price) {
        last.quantity += order.open;
        last.orders += 1;
      } else {
        levels.push({ price, quantity: order.open, orders: 1 });
      }
    }
    const depth = JSON.stringify(market.depth(side));
    if (JSON.stringify(levels) !== depth) return `${side} records add up to ${JSON.stringify(levels)}, depth ${depth}`;
  }
  return null;
}

function selfCheckProblem(engine: Engine, restedAt: ReadonlyMap<string, number>): string | null {
  try {
    engine.checkInvariants();
  } catch (error) {
    return (error as Error).message;
  }
  return priorityProblem(engine, restedAt);
}

/**
 * Drives an engine over a stream with the checks described in the file comment, and restores a copy after
 * `split` commands (0 = before the first). Returns the first failed check, or null.
 */
function firstBrokenInvariant(lines: readonly Line[], split: number): Failure | null {
  const engine = openEngine();
  const restedAt = new Map<string, number>();
  let copy: Engine | null = split === 0 ? restored(engine) : null;
  for (let index = 0; index < lines.length; index++) {
    const sequenced = { seq: index + FIRST_STREAM_SEQ, timeMs: 0, command: toCommand(lines[index]!) };
    const events: EngineEvent[] = engine.apply(sequenced);
    for (const event of events) if (event.type === "order.rested") restedAt.set(event.orderId, index);
    const broken = selfCheckProblem(engine, restedAt);
    if (broken !== null) return { index, message: broken };
    const hash = engine.stateHash();
    if (restored(engine).stateHash() !== hash) return { index, message: "restoring the snapshot changes the hash" };
    if (copy !== null) {
      const copyEvents: EngineEvent[] = copy.apply(sequenced);
      if (JSON.stringify(copyEvents) !== JSON.stringify(events)) {
        return {
          index,
          message:
            `the engine restored after command ${split} behaves differently\n` +
            `  original: ${JSON.stringify(events)}\n  restored: ${JSON.stringify(copyEvents)}`,
        };
      }
      if (copy.stateHash() !== hash) return { index, message: `the engine restored after ${split} has another hash` };
      const copyBroken = selfCheckProblem(copy, restedAt);
      if (copyBroken !== null) return { index, message: `the engine restored after ${split}: ${copyBroken}` };
    }
    if (index + 1 === split) copy = restored(engine);
  }
  return null;
}

describe("continuous book, random command streams", () => {
  it("engine and reference model give the same trades, cancellations, rejections and book", () => {
    fc.assert(
      fc.property(streamArb, (lines) => {
        const failure = firstDifference(lines);
        if (failure !== null) throw new Error(describeFailure("engine and reference model differ", lines, failure));
      }),
      { seed: 20_240_611, numRuns: DIFFERENTIAL_RUNS },
    );
  });

  it("engine keeps its invariants, and a restored snapshot has the same hash and behaves the same", () => {
    fc.assert(
      fc.property(streamArb, fc.nat(), (lines, splitDraw) => {
        const failure = firstBrokenInvariant(lines, splitDraw % (lines.length + 1));
        if (failure !== null) throw new Error(describeFailure("engine check failed", lines, failure));
      }),
      { seed: 20_240_612, numRuns: INVARIANT_RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Hand-checked streams: the model's outputs are worked out from the rules by hand, so the model is pinned to the
// rules and not only to the engine; the engine must agree with it on each.

const sell = (id: string, account: string, price: number, quantity: number, extra: Partial<Line> = {}): Line =>
  ({ op: "new", id, account, side: "sell", type: "limit", price, quantity, ...extra }) as Line;
const buy = (id: string, account: string, price: number, quantity: number, extra: Partial<Line> = {}): Line =>
  ({ op: "new", id, account, side: "buy", type: "limit", price, quantity, ...extra }) as Line;
const trade = (price: number, quantity: number, maker: string, taker: string) =>
  ({ event: "trade", price, quantity, maker, taker }) as const;
const cancelled = (id: string, quantity: number, reason: string) =>
  ({ event: "cancelled", id, quantity, reason }) as const;
const rejected = (id: string | null, code: string) => ({ event: "rejected", id, code }) as const;

interface HandCase {
  readonly name: string;
  readonly lines: readonly Line[];
  readonly outputs: readonly unknown[];
  readonly bids: readonly number[][];
  readonly asks: readonly number[][];
}

const HAND_CASES: readonly HandCase[] = [
  {
    name: "price, then time priority; trades at the maker's price",
    lines: [sell("s1", "A", 101, 2), sell("s2", "B", 100, 2), sell("s3", "C", 100, 2), buy("b1", "D", 101, 5)],
    outputs: [trade(100, 2, "s2", "b1"), trade(100, 2, "s3", "b1"), trade(101, 1, "s1", "b1")],
    bids: [],
    asks: [[101, 1, 1]],
  },
  {
    name: "post-only that would cross is cancelled without trading; one that does not cross rests",
    lines: [
      sell("s1", "A", 100, 3),
      buy("b1", "B", 100, 2, { postOnly: true }),
      buy("b2", "B", 99, 2, { postOnly: true }),
    ],
    outputs: [cancelled("b1", 2, "post-only")],
    bids: [[99, 2, 1]],
    asks: [[100, 3, 1]],
  },
  {
    name: "FOK counts only liquidity ahead of the first own order",
    lines: [
      sell("s1", "B", 100, 2),
      sell("s2", "A", 100, 5),
      sell("s3", "C", 101, 9),
      buy("b1", "A", 101, 3, { tif: "FOK", stp: "cancel-maker" }),
      buy("b2", "A", 101, 2, { tif: "FOK" }),
    ],
    outputs: [cancelled("b1", 3, "fok-unfilled"), trade(100, 2, "s1", "b2")],
    bids: [],
    asks: [
      [100, 5, 1],
      [101, 9, 1],
    ],
  },
  {
    name: "self-trade cancel-taker (the default): earlier fills stand, the remainder is cancelled",
    lines: [sell("s1", "B", 100, 2), sell("s2", "A", 100, 2), sell("s3", "C", 100, 2), buy("b1", "A", 100, 5)],
    outputs: [trade(100, 2, "s1", "b1"), cancelled("b1", 3, "self-trade")],
    bids: [],
    asks: [[100, 4, 2]],
  },
  {
    name: "self-trade cancel-maker: the own resting order is cancelled and matching goes on",
    lines: [
      sell("s1", "B", 100, 2),
      sell("s2", "A", 100, 2),
      sell("s3", "C", 100, 2),
      buy("b1", "A", 100, 5, { stp: "cancel-maker" }),
    ],
    outputs: [trade(100, 2, "s1", "b1"), cancelled("s2", 2, "self-trade"), trade(100, 2, "s3", "b1")],
    bids: [[100, 1, 1]],
    asks: [],
  },
  {
    name: "self-trade cancel-both: the own resting order and the incoming remainder are cancelled",
    lines: [
      sell("s1", "B", 100, 2),
      sell("s2", "A", 100, 2),
      sell("s3", "C", 100, 2),
      buy("b1", "A", 100, 5, { stp: "cancel-both" }),
    ],
    outputs: [trade(100, 2, "s1", "b1"), cancelled("s2", 2, "self-trade"), cancelled("b1", 3, "self-trade")],
    bids: [],
    asks: [[100, 2, 1]],
  },
  {
    name: "amend: a quantity decrease keeps priority, an increase loses it",
    lines: [
      buy("b1", "A", 99, 5),
      buy("b2", "B", 99, 5),
      buy("b3", "C", 99, 5),
      { op: "amend", id: "b1", quantity: 3 },
      { op: "amend", id: "b2", quantity: 6 },
      sell("s1", "D", 99, 5),
    ],
    outputs: [trade(99, 3, "b1", "s1"), trade(99, 2, "b3", "s1")],
    bids: [[99, 9, 2]],
    asks: [],
  },
  {
    name: "amend: a new price that crosses trades at once as the incoming order",
    lines: [sell("s1", "A", 101, 2), buy("b1", "B", 99, 3), { op: "amend", id: "b1", price: 101 }],
    outputs: [trade(101, 2, "s1", "b1")],
    bids: [[101, 1, 1]],
    asks: [],
  },
  {
    name: "market orders walk the book and the rest is cancelled",
    lines: [
      sell("s1", "A", 100, 2),
      sell("s2", "A", 102, 2),
      { op: "new", id: "m1", account: "B", side: "buy", type: "market", quantity: 10 },
    ],
    outputs: [trade(100, 2, "s1", "m1"), trade(102, 2, "s2", "m1"), cancelled("m1", 6, "market-remainder")],
    bids: [],
    asks: [],
  },
  {
    name: "rejections change nothing",
    lines: [
      buy("b1", "A", 99, 2),
      buy("b1", "B", 98, 2),
      buy("b2", "A", 100.5, 2),
      buy("b3", "A", 99, 0),
      buy("b4", "A", -1, 2),
      { op: "amend", id: "b1", quantity: 1.5 },
      { op: "cancel", id: "nobody" },
      sell("s1", "C", 99, 2, { tif: "IOC" }),
      { op: "cancel", id: "b1" },
      { op: "amend", id: "s1", price: 100 },
    ],
    outputs: [
      rejected("b1", "ORDER_ID_DUPLICATE"),
      rejected("b2", "ORDER_PRICE_INVALID"),
      rejected("b3", "ORDER_QUANTITY_INVALID"),
      rejected("b4", "ORDER_PRICE_INVALID"),
      rejected("b1", "ORDER_QUANTITY_INVALID"),
      rejected("nobody", "ORDER_NOT_FOUND"),
      trade(99, 2, "b1", "s1"),
      rejected("b1", "ORDER_NOT_RESTING"),
      rejected("s1", "ORDER_NOT_RESTING"),
    ],
    bids: [],
    asks: [],
  },
  {
    // Found by the differential test: the engine cancelled in the book's account-list order, which an amend and
    // a restore both change.
    name: "mass cancel goes oldest first by acceptance, also after an amend that lost priority",
    lines: [
      buy("b1", "A", 95, 1),
      buy("b2", "A", 95, 1),
      sell("s1", "B", 96, 1),
      { op: "amend", id: "b1", quantity: 2 },
      { op: "mass-cancel", account: "A" },
    ],
    outputs: [cancelled("b1", 2, "mass-cancel"), cancelled("b2", 1, "mass-cancel")],
    bids: [],
    asks: [[96, 1, 1]],
  },
];

describe("continuous book, hand-checked streams", () => {
  for (const handCase of HAND_CASES) {
    it(handCase.name, () => {
      const model = new ReferenceBookModel();
      const outputs = handCase.lines.flatMap((line) => model.line(JSON.stringify(line)));
      expect(outputs).toEqual(handCase.outputs);
      expect(model.book()).toEqual({ event: "book", bids: handCase.bids, asks: handCase.asks });
      expect(firstDifference(handCase.lines)).toBeNull();
      for (let split = 0; split <= handCase.lines.length; split++) {
        expect(firstBrokenInvariant(handCase.lines, split)).toBeNull();
      }
    });
  }

  it("a restored engine cancels an account's orders in the same order as the original", () => {
    // Restore links orders bids first, each side in priority order, so its account list no longer runs oldest first.
    const lines: Line[] = [sell("s1", "A", 101, 1), buy("b1", "A", 95, 1), buy("b2", "A", 96, 1)];
    const engine = openEngine();
    for (const [i, line] of lines.entries()) {
      engine.apply({ seq: i + FIRST_STREAM_SEQ, timeMs: 0, command: toCommand(line) });
    }
    const copy = restored(engine);
    const massCancel = { seq: 10, timeMs: 0, command: toCommand({ op: "mass-cancel", account: "A" }) };
    const ids = (events: EngineEvent[]) =>
      events.map((event) => (event.type === "order.cancelled" ? event.orderId : ""));
    expect(ids(copy.apply(massCancel))).toEqual(["s1", "b1", "b2"]);
    expect(ids(engine.apply(massCancel))).toEqual(["s1", "b1", "b2"]);
  });
});

describe("the checks can fail", () => {
  it("firstDifference reports a model that saw a different stream, with the command and both books", () => {
    const model = new ReferenceBookModel();
    model.line(JSON.stringify(sell("s0", "A", 100, 1)));
    const lines = [buy("b1", "B", 99, 1)];
    const failure = firstDifference(lines, model);
    expect(failure?.index).toBe(0);
    expect(failure?.message).toContain('"asks":[[100,1,1]]');
    expect(describeFailure("differ", lines, failure!)).toContain('{"op":"new","id":"b1"');
  });

  it("the priority check notices an order queued ahead of one that rested earlier", () => {
    const engine = openEngine();
    engine.apply({ seq: 3, timeMs: 0, command: toCommand(buy("b1", "A", 99, 1)) });
    engine.apply({ seq: 4, timeMs: 0, command: toCommand(buy("b2", "B", 99, 1)) });
    expect(
      priorityProblem(
        engine,
        new Map([
          ["b1", 0],
          ["b2", 1],
        ]),
      ),
    ).toBeNull();
    expect(
      priorityProblem(
        engine,
        new Map([
          ["b1", 1],
          ["b2", 0],
        ]),
      ),
    ).toBe("buy order b2 is queued behind b1, which rested later");
    expect(priorityProblem(engine, new Map([["b1", 0]]))).toBe("buy order b2 is in the book but never rested");
  });
});
