/**
 * The continuous-trading workload run through each book under test: sauda's `OrderBook`, sauda's full `Engine`, and
 * the npm packages `nodejs-order-book` and `limit-order-book`. Each runner enters the first `orderCount` orders of the
 * workload, after each order sends the cancels that fall due if the order is still resting (each book answers that
 * from its own state), and times the loop. Every `CHECKPOINT_EVERY_ORDERS` orders, and at the end, the clock is
 * paused and the book is read as aggregated levels, so books can be compared along the way and not only at the end
 * (a difference early in the run can wash out by the end, once every order it touched has been cancelled).
 *
 * Semantics held equal across the four: GTC limit orders only, price-time priority, partial fills, trades at the
 * resting order's price, no self-trade prevention in play (sauda always applies it, so the workload gives buyers and
 * sellers disjoint accounts; the peers are given no account at all). Prices are integer ticks and sizes integers,
 * which every book represents exactly (`limit-order-book` as decimal strings, the others as numbers).
 */

import { LimitOrder, LimitOrderBook } from "limit-order-book";
import { OrderBook as NodeOrderBook, Side as NodeSide } from "nodejs-order-book";
import { BUY, EXEC_REST, NIL, OrderBook, OUTCOME_RESTED, SELL, type SideCode } from "../src/engine/book.ts";
import type { SequencedCommand } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import { BUY_CODE, type ContinuousWorkload } from "./workload.ts";

/** One side of a book as aggregated levels, best first: price, then total open quantity, repeated. */
export type AggregatedSide = readonly number[];

export interface AggregatedBook {
  readonly bids: AggregatedSide;
  readonly asks: AggregatedSide;
}

/** Books are read after every this many orders, with the clock paused. */
export const CHECKPOINT_EVERY_ORDERS = 100_000;

export interface RunResult {
  readonly orders: number;
  /** Cancels that found their order still resting and removed it. */
  readonly cancels: number;
  /** Orders that traded at least once on arrival (only the sauda runners count them). */
  readonly crossed: number;
  /** Time in the order loop only: checkpoint reads are not counted. */
  readonly elapsedNs: bigint;
  /** The book after orders CHECKPOINT_EVERY_ORDERS, 2 × CHECKPOINT_EVERY_ORDERS, ..., and after the last order. */
  readonly checkpoints: readonly AggregatedBook[];
  /** The final book: the last checkpoint. */
  readonly book: AggregatedBook;
}

/** The end of the segment that starts at `from`: the next checkpoint or the end of the run. */
function segmentEnd(from: number, orderCount: number): number {
  return Math.min(from + CHECKPOINT_EVERY_ORDERS, orderCount);
}

/** String forms of the workload, made once before any timing, for the books whose API takes strings. */
export interface WorkloadStrings {
  readonly orderId: readonly string[];
  readonly priceText: readonly string[];
  readonly quantityText: readonly string[];
  readonly accountId: readonly string[];
}

export function workloadStrings(workload: ContinuousWorkload): WorkloadStrings {
  const orderId: string[] = [];
  const priceText: string[] = [];
  const quantityText: string[] = [];
  for (let i = 0; i < workload.orderCount; i++) {
    orderId.push(`o${i}`);
    priceText.push(String(workload.priceTicks[i]));
    quantityText.push(String(workload.quantity[i]));
  }
  const accountId: string[] = [];
  let accountMax = 0;
  for (let i = 0; i < workload.orderCount; i++) accountMax = Math.max(accountMax, workload.account[i]!);
  for (let a = 0; a <= accountMax; a++) accountId.push(`acct${a}`);
  return { orderId, priceText, quantityText, accountId };
}

/** sauda's `OrderBook` driven directly: the hot path, with client order indices mapped to book handles at the edge. */
export function runSaudaBook(workload: ContinuousWorkload, orderCount: number): RunResult {
  const { side, priceTicks, quantity, account, cancelStart, cancelOrder } = workload;
  const book = new OrderBook();
  // Edge maps, both sized before the clock starts: workload order index → book handle (NIL once the order has left
  // the book), and book handle → workload order index. A book never holds more orders than were entered, so no
  // handle reaches `orderCount`.
  const handleOfOrder = new Int32Array(orderCount).fill(NIL);
  const orderOfHandle = new Int32Array(orderCount).fill(NIL);
  const report = book.report;
  let cancels = 0;
  let crossed = 0;
  let elapsedNs = 0n;
  const checkpoints: AggregatedBook[] = [];
  for (let from = 0; from < orderCount; ) {
    const to = segmentEnd(from, orderCount);
    const started = process.hrtime.bigint();
    for (let i = from; i < to; i++) {
      book.submit(side[i] as SideCode, priceTicks[i]!, quantity[i]!, account[i]!, EXEC_REST);
      const fills = report.fillCount;
      if (fills > 0) {
        crossed++;
        // Makers filled to zero have left the book and their handles may be reused by this very order, so they are
        // forgotten before the taker's handle is recorded.
        for (let f = 0; f < fills; f++) {
          if (report.fillMakerOpen[f] === 0) handleOfOrder[orderOfHandle[report.fillMaker[f]!]!] = NIL;
        }
      }
      if (report.outcome === OUTCOME_RESTED) {
        const handle = report.takerHandle;
        handleOfOrder[i] = handle;
        orderOfHandle[handle] = i;
      }
      const cancelEnd = cancelStart[i + 1]!;
      for (let c = cancelStart[i]!; c < cancelEnd; c++) {
        const target = cancelOrder[c]!;
        const handle = handleOfOrder[target]!;
        if (handle !== NIL) {
          book.cancel(handle);
          handleOfOrder[target] = NIL;
          cancels++;
        }
      }
    }
    elapsedNs += process.hrtime.bigint() - started;
    checkpoints.push(saudaLevels(book));
    from = to;
  }
  book.checkInvariants();
  return { orders: orderCount, cancels, crossed, elapsedNs, checkpoints, book: checkpoints.at(-1)! };
}

function saudaLevels(book: OrderBook): AggregatedBook {
  const read = (code: SideCode): number[] => {
    const flat: number[] = [];
    for (let depth = 0; depth < book.levelCount(code); depth++) {
      const level = book.levelAt(code, depth)!;
      flat.push(level.price, level.quantity);
    }
    return flat;
  };
  return { bids: read(BUY), asks: read(SELL) };
}

export const ENGINE_INSTRUMENT = "GAS-BENCH";

/**
 * sauda's full `Engine`: every order and cancel is a sequenced command built in the loop (as the gateway would hand
 * it over), checked in full, turned into events and order records. Whether an order is still resting is asked of the
 * engine itself (`engine.order(id)`), as a gateway would before sending a cancel. The instrument is listed without
 * clearing terms, so there are no members, collateral or pre-trade risk checks in this path: it measures order
 * handling and matching, not clearing.
 */
export function runSaudaEngine(workload: ContinuousWorkload, strings: WorkloadStrings, orderCount: number): RunResult {
  const { side, priceTicks, quantity, account, cancelStart, cancelOrder } = workload;
  const engine = new Engine();
  let seq = 0;
  const timeMs = 1_700_000_000_000;
  const setup: SequencedCommand[] = [
    {
      seq: ++seq,
      timeMs,
      command: { type: "instrument.list", instrument: ENGINE_INSTRUMENT, mode: "continuous", tickSize: 1, lotSize: 1 },
    },
    { seq: ++seq, timeMs, command: { type: "phase.set", instrument: ENGINE_INSTRUMENT, phase: "continuous" } },
  ];
  for (const command of setup) {
    const events = engine.apply(command);
    if (events.some((event) => event.type === "rejected")) throw new Error(`engine setup refused: ${events[0]?.type}`);
  }
  const market = engine.market(ENGINE_INSTRUMENT)!;
  const flatten = (levels: readonly { price: number; quantity: number }[]): number[] =>
    levels.flatMap((level) => [level.price, level.quantity]);
  let cancels = 0;
  let crossed = 0;
  let refused = 0;
  let elapsedNs = 0n;
  const checkpoints: AggregatedBook[] = [];
  for (let from = 0; from < orderCount; ) {
    const to = segmentEnd(from, orderCount);
    const started = process.hrtime.bigint();
    for (let i = from; i < to; i++) {
      const events = engine.apply({
        seq: ++seq,
        timeMs,
        command: {
          type: "order.new",
          instrument: ENGINE_INSTRUMENT,
          orderId: strings.orderId[i]!,
          account: strings.accountId[account[i]!]!,
          side: side[i] === BUY_CODE ? "buy" : "sell",
          orderType: "limit",
          price: priceTicks[i]!,
          quantity: quantity[i]!,
        },
      });
      // Events: accepted, then trades (if any), then rested or nothing; a refusal is a single event.
      const second = events[1];
      if (second === undefined) refused++;
      else if (second.type === "trade") crossed++;
      const cancelEnd = cancelStart[i + 1]!;
      for (let c = cancelStart[i]!; c < cancelEnd; c++) {
        const orderId = strings.orderId[cancelOrder[c]!]!;
        if (engine.order(orderId)?.status !== "resting") continue;
        const answer = engine.apply({ seq: ++seq, timeMs, command: { type: "order.cancel", orderId } });
        if (answer[0]?.type === "rejected") refused++;
        cancels++;
      }
    }
    elapsedNs += process.hrtime.bigint() - started;
    checkpoints.push({ bids: flatten(market.depth("buy")), asks: flatten(market.depth("sell")) });
    from = to;
  }
  if (refused > 0) throw new Error(`engine refused ${refused} commands of a valid workload`);
  engine.checkInvariants();
  return { orders: orderCount, cancels, crossed, elapsedNs, checkpoints, book: checkpoints.at(-1)! };
}

/**
 * `nodejs-order-book` (v10): a red-black tree of price levels, each a deque plus an id → position map. Its `limit()`
 * takes an options object per order, which is built in the loop because that is its API. `cancel()` answers
 * `undefined` for an order that is no longer in the book, which is how it decides "still resting".
 */
export function runNodeOrderBook(
  workload: ContinuousWorkload,
  strings: WorkloadStrings,
  orderCount: number,
): RunResult {
  const { side, priceTicks, quantity, cancelStart, cancelOrder } = workload;
  const book = new NodeOrderBook();
  let cancels = 0;
  let elapsedNs = 0n;
  const checkpoints: AggregatedBook[] = [];
  for (let from = 0; from < orderCount; ) {
    const to = segmentEnd(from, orderCount);
    const started = process.hrtime.bigint();
    for (let i = from; i < to; i++) {
      const answer = book.limit({
        id: strings.orderId[i]!,
        side: side[i] === BUY_CODE ? NodeSide.BUY : NodeSide.SELL,
        size: quantity[i]!,
        price: priceTicks[i]!,
      });
      if (answer.err !== null) throw new Error(`nodejs-order-book refused order ${i}: ${answer.err.message}`);
      const cancelEnd = cancelStart[i + 1]!;
      for (let c = cancelStart[i]!; c < cancelEnd; c++) {
        if (book.cancel(strings.orderId[cancelOrder[c]!]!) !== undefined) cancels++;
      }
    }
    elapsedNs += process.hrtime.bigint() - started;
    // depth() gives [asks, bids], each as [price, volume] pairs best first (asks ascending, bids descending).
    const [asks, bids] = book.depth();
    checkpoints.push({ bids: bids.flat(), asks: asks.flat() });
    from = to;
  }
  return { orders: orderCount, cancels, crossed: 0, elapsedNs, checkpoints, book: checkpoints.at(-1)! };
}

/**
 * `limit-order-book` (v1): decimal.js strings for every price and size, a sorted array of levels re-sorted when a
 * level is added, an array queue per level. Prices and sizes are handed over as strings made before timing, which
 * is the kindest reading of its API. `remove()` answers null for an order no longer in the book.
 */
export function runLimitOrderBook(
  workload: ContinuousWorkload,
  strings: WorkloadStrings,
  orderCount: number,
): RunResult {
  const { side, cancelStart, cancelOrder } = workload;
  const book = new LimitOrderBook({ symbol: "GAS", priceStep: "1", sizeStep: "1" });
  const read = (levels: readonly { price: string; volume: string }[]): number[] =>
    levels.flatMap((level) => [Number(level.price), Number(level.volume)]);
  let cancels = 0;
  let elapsedNs = 0n;
  const checkpoints: AggregatedBook[] = [];
  for (let from = 0; from < orderCount; ) {
    const to = segmentEnd(from, orderCount);
    const started = process.hrtime.bigint();
    for (let i = from; i < to; i++) {
      const lobSide = side[i] === BUY_CODE ? "bid" : "ask";
      book.add(new LimitOrder(strings.orderId[i]!, lobSide, strings.priceText[i]!, strings.quantityText[i]!));
      const cancelEnd = cancelStart[i + 1]!;
      for (let c = cancelStart[i]!; c < cancelEnd; c++) {
        if (book.remove(strings.orderId[cancelOrder[c]!]!) !== null) cancels++;
      }
    }
    elapsedNs += process.hrtime.bigint() - started;
    checkpoints.push({ bids: read(book.bidLevels.queue), asks: read(book.askLevels.queue) });
    from = to;
  }
  return { orders: orderCount, cancels, crossed: 0, elapsedNs, checkpoints, book: checkpoints.at(-1)! };
}

/**
 * The first difference between two runs of the same orders, checkpoint by checkpoint, or null when every checkpoint
 * and the number of cancels that found their order resting agree.
 */
export function runDifference(expected: RunResult, actual: RunResult): string | null {
  if (expected.orders !== actual.orders) return `runs of ${expected.orders} and ${actual.orders} orders`;
  for (let k = 0; k < expected.checkpoints.length; k++) {
    const difference = bookDifference(expected.checkpoints[k]!, actual.checkpoints[k]!);
    const after = Math.min((k + 1) * CHECKPOINT_EVERY_ORDERS, expected.orders);
    if (difference !== null) return `after order ${after}: ${difference}`;
  }
  if (expected.cancels !== actual.cancels) {
    return `cancels that found their order resting: ${expected.cancels} vs ${actual.cancels}`;
  }
  return null;
}

/** The first difference between two aggregated books, or null when they are the same. */
export function bookDifference(expected: AggregatedBook, actual: AggregatedBook): string | null {
  for (const sideName of ["bids", "asks"] as const) {
    const a = expected[sideName];
    const b = actual[sideName];
    const levels = Math.max(a.length, b.length) / 2;
    for (let level = 0; level < levels; level++) {
      const i = level * 2;
      if (a[i] !== b[i] || a[i + 1] !== b[i + 1]) {
        return `${sideName} level ${level}: expected ${show(a, i)}, found ${show(b, i)} (${a.length / 2} vs ${b.length / 2} levels)`;
      }
    }
  }
  return null;
}

function show(flat: AggregatedSide, i: number): string {
  return i < flat.length ? `${flat[i + 1]} @ ${flat[i]}` : "no level";
}
