/**
 * The order book of one instrument: the hot path of the exchange.
 *
 * Layout. Orders and price levels live in typed arrays and are named by integer handles that are recycled through
 * free lists, so placing, matching and cancelling an order allocates nothing once the arrays have grown to the working
 * size. Client order ids never reach this file: the layer above maps them to handles.
 * - Each order is one 64-byte slot (a cache line's worth) in one ArrayBuffer, read through two views: a Float64Array
 *   for its price and open quantity (`orderFloat[handle * 8 + k]`) and an Int32Array for its links, level, account,
 *   side, state and flags (`orderInt[handle * 16 + k]`, cells 4 and up). Matching and the auction touch most fields
 *   of each order they fill, so one slot costs one memory miss where an array per field cost one per field.
 * - Each price level is one 32-byte slot the same way. It holds a doubly linked FIFO of its orders (the orders'
 *   `prev`/`next`), its total open quantity and its count.
 * - Each side keeps its levels in a sorted array of keys with the best level LAST, so taking or removing the best
 *   level is a pop. The key is the price for bids and the negated price for asks, so both arrays ascend.
 * - Each account has an array of its orders' handles in the order the book took them, for mass cancel; each order
 *   records the index of its entry. An order that leaves only lowers its account's per-side count and leaves its
 *   entry behind, stale: an entry is live only while its handle is live, in that account, at that index
 *   (`isAccountEntry`). Stale entries are squeezed out when the array fills or when the account's orders are listed.
 *   A linked list per account would cost each order that leaves two writes at unrelated handles, which in a large
 *   auction cost about a sixth of the allocation. The per-side count also lets FOK skip the self-trade walk when
 *   the account has nothing on the other side.
 * - During order collection (auction phases) market orders wait in a FIFO per side, outside the price levels.
 *
 * Ordering invariant. Inside a level, orders are in arrival order (time priority); across levels, by price. Outside
 * order collection the book is never crossed: the best bid is below the best ask. An account's live entries are
 * exactly its live orders, once each, in the order the book took them.
 *
 * Semantics. Trades print at the resting (maker) order's price. A quantity decrease keeps time priority; any other
 * change is cancel + new order, done by the layer above. Self-trade prevention applies whenever the incoming order
 * meets a resting order of its own account. FOK counts only liquidity ahead of the first own resting order.
 *
 * Complexity. Cancel and quantity decrease: O(1), plus O(levels) array shifting when a level empties away from the
 * top. New order: O(log levels) to find its level (O(1) at or near the top), O(1) per fill, amortized O(1) for its
 * account entry. Listing an account's orders (mass cancel): O(its live orders + its orders gone since its array was
 * last squeezed). Auction: O(levels) to build the curve into buffers the book keeps; O(levels) to check and size the
 * allocation, then O(1) per order used and per fill, with the report's arrays sized once up front and the orders
 * used read by walking several level queues at once (see `uncross`).
 *
 * Reporting. An operation writes what happened into `this.report` (fills, cancelled makers, the taker's outcome),
 * which the caller must read before the next operation: the handles of orders that left the book stay readable in
 * the report until then, and are reused afterwards, in an order this file does not promise.
 *
 * Limitations. Quantities and prices are numbers that must be safe integers (checked above this layer); totals stay
 * exact because order size and book size are bounded so every sum is below 2^53. No self-trade prevention inside a
 * call auction: an auction has no incoming order; a trade whose buyer and seller are one account (or one member or
 * group) is reported by surveillance's wash-trade rule (src/surveillance/rules/wash-trade.ts). Memory is
 * kept at its high-water mark: order and level slots, account arrays (at most eight entries per order the account
 * held at its peak), the report's arrays, the auction's scratch lists and the auction curve's buffers grow and never
 * shrink (64 bytes per order slot, 40 bytes per reported fill, 12 bytes per order an auction uses, all bounded
 * through `BOOK_ORDERS_MAX`).
 */

import { InvariantError, invariant } from "../domain/errors.ts";

export const NIL = -1;

export const BUY = 0;
export const SELL = 1;
export type SideCode = 0 | 1;

/** Execution condition, in the low two bits of an order's flags. */
export const EXEC_REST = 0; // GTC, DAY, GTD: the remainder rests
export const EXEC_IOC = 1;
export const EXEC_FOK = 2;
const EXEC_MASK = 3;
export const FLAG_POST_ONLY = 4;
/** Self-trade prevention mode, in bits 3–4 of an order's flags. */
export const STP_SHIFT = 3;
export const STP_CANCEL_TAKER = 0;
export const STP_CANCEL_MAKER = 1;
export const STP_CANCEL_BOTH = 2;
/** Set on market orders so an amend or the report can tell them apart from limits. */
export const FLAG_MARKET = 32;

/** Outcome of an incoming order. */
export const OUTCOME_FILLED = 0;
export const OUTCOME_RESTED = 1;
export const OUTCOME_CANCELLED = 2;

/** Why the book cancelled an order it was given or held; indexes into `CANCEL_REASON_NAMES`. */
export const REASON_IOC = 0;
export const REASON_FOK = 1;
export const REASON_MARKET = 2;
export const REASON_POST_ONLY = 3;
export const REASON_SELF_TRADE = 4;
export const REASON_AUCTION_REMAINDER = 5;
export const CANCEL_REASON_NAMES = [
  "ioc-remainder",
  "fok-unfilled",
  "market-remainder",
  "post-only",
  "self-trade",
  "auction-remainder",
] as const;

const STATE_FREE = 0;
const STATE_RESTING = 1;
const STATE_QUEUED_MARKET = 2;

/** How many orders one book may hold at once; keeps every quantity sum exact (1e9 max order × 4e6 < 2^53). */
export const BOOK_ORDERS_MAX = 4_000_000;

const INITIAL_ORDER_CAPACITY = 64; // grows by doubling; small so that thousands of listed instruments cost little
const INITIAL_LEVEL_CAPACITY = 32;
const INITIAL_ACCOUNT_CAPACITY = 64;
const INITIAL_REPORT_CAPACITY = 64;

/** An account's array of order handles starts with room for this many; see `makeRoomInAccount` for its growth. */
const INITIAL_ACCOUNT_ENTRIES = 8;

/**
 * How many level queues an auction walks side by side. Each walker waits for a different order's slot from memory;
 * more walkers overlap more of those waits, up to what the processor can keep in flight.
 */
const AUCTION_WALKERS = 8;

/**
 * How many orders an auction's walk meets in one round before it goes back over them (see `walkLevels`): few enough
 * that their slots, and the address translations for them, are still cached when it does. 128 to 1,024 measured
 * alike; 4,096 was slower.
 */
const AUCTION_ROUND_ORDERS = 256;

// Order slot: 64 bytes, as 8 Float64 cells or 16 Int32 cells. Int32 cells 0–3 overlay the two Float64 cells.
const ORDER_SLOT_BYTES = 64;
const ORDER_FLOAT_CELLS = 8;
const ORDER_INT_CELLS = 16;
const ORDER_PRICE = 0; // Float64: limit price; +∞ for a queued market buy, −∞ for a queued market sell
const ORDER_OPEN = 1; // Float64: open quantity
const ORDER_PREV = 4; // Int32: previous order in its level or market queue
const ORDER_NEXT = 5; // Int32: next order in its level or market queue; next free slot once freed
const ORDER_LEVEL = 6; // Int32: its level, NIL for a queued market order
const ORDER_ACCOUNT = 7; // Int32: account index
const ORDER_ACCOUNT_ENTRY = 8; // Int32: index of its entry in its account's array
const ORDER_SIDE = 9; // Int32: BUY or SELL
const ORDER_STATE = 10; // Int32: STATE_*
const ORDER_FLAGS = 11; // Int32: flags as given; cells 12–15 are padding, so a slot is a shift of the handle

// Level slot: 32 bytes, as 4 Float64 cells or 8 Int32 cells. Int32 cells 0–3 overlay the two Float64 cells.
const LEVEL_SLOT_BYTES = 32;
const LEVEL_FLOAT_CELLS = 4;
const LEVEL_INT_CELLS = 8;
const LEVEL_PRICE = 0; // Float64
const LEVEL_QUANTITY = 1; // Float64: open quantity of its orders
const LEVEL_COUNT = 4; // Int32: how many orders it holds
const LEVEL_HEAD = 5; // Int32: oldest order; next free level once freed
const LEVEL_TAIL = 6; // Int32: newest order; cell 7 is padding

/** What the last operation did. Reused across operations; read it before calling the book again. */
export class BookReport {
  /** Fills of the incoming order (continuous) or, in an auction, one entry per matched pair. */
  fillCount = 0;
  fillMaker = new Int32Array(INITIAL_REPORT_CAPACITY);
  fillPrice = new Float64Array(INITIAL_REPORT_CAPACITY);
  fillQuantity = new Float64Array(INITIAL_REPORT_CAPACITY);
  /** Open quantity of the maker after the fill: 0 means it left the book. */
  fillMakerOpen = new Float64Array(INITIAL_REPORT_CAPACITY);
  /** Auction only: the buy side of each matched pair (the sell side is in `fillMaker`). */
  fillBuyer = new Int32Array(INITIAL_REPORT_CAPACITY);
  fillBuyerOpen = new Float64Array(INITIAL_REPORT_CAPACITY);

  /** Resting orders the book cancelled: self-trade prevention, or market orders left after an auction. */
  cancelCount = 0;
  cancelHandle = new Int32Array(INITIAL_REPORT_CAPACITY);
  cancelQuantity = new Float64Array(INITIAL_REPORT_CAPACITY);
  cancelReason = new Uint8Array(INITIAL_REPORT_CAPACITY);
  /** How many fills came before each cancel, so the caller can tell the story in order. */
  cancelAtFill = new Int32Array(INITIAL_REPORT_CAPACITY);

  /** The incoming order: its outcome, its handle when it rests, its open quantity, and why it was cancelled. */
  outcome = OUTCOME_FILLED;
  takerHandle = NIL;
  takerOpen = 0;
  takerReason = 0;

  reset(): void {
    this.fillCount = 0;
    this.cancelCount = 0;
    this.outcome = OUTCOME_FILLED;
    this.takerHandle = NIL;
    this.takerOpen = 0;
    this.takerReason = 0;
  }

  pushFill(maker: number, price: number, quantity: number, makerOpen: number): void {
    const i = this.fillCount;
    if (i === this.fillMaker.length) this.resizeFills(i * 2);
    this.fillMaker[i] = maker;
    this.fillPrice[i] = price;
    this.fillQuantity[i] = quantity;
    this.fillMakerOpen[i] = makerOpen;
    this.fillCount = i + 1;
  }

  pushCancel(handle: number, quantity: number, reason: number): void {
    const i = this.cancelCount;
    if (i === this.cancelHandle.length) this.resizeCancels(i * 2);
    this.cancelHandle[i] = handle;
    this.cancelQuantity[i] = quantity;
    this.cancelReason[i] = reason;
    this.cancelAtFill[i] = this.fillCount;
    this.cancelCount = i + 1;
  }

  /**
   * Makes room for `fills` fills and `cancels` cancels in all, so a large operation (an auction) sizes the arrays
   * once instead of doubling and copying them as it goes. The capacity is kept for later operations.
   */
  reserve(fills: number, cancels: number): void {
    if (fills > this.fillMaker.length) this.resizeFills(fills);
    if (cancels > this.cancelHandle.length) this.resizeCancels(cancels);
  }

  /** Moves the fill arrays to `capacity` entries, keeping the fills written so far. */
  private resizeFills(capacity: number): void {
    const kept = this.fillCount;
    this.fillMaker = resizeInt32(this.fillMaker, capacity, kept);
    this.fillPrice = resizeFloat64(this.fillPrice, capacity, kept);
    this.fillQuantity = resizeFloat64(this.fillQuantity, capacity, kept);
    this.fillMakerOpen = resizeFloat64(this.fillMakerOpen, capacity, kept);
    this.fillBuyer = resizeInt32(this.fillBuyer, capacity, kept);
    this.fillBuyerOpen = resizeFloat64(this.fillBuyerOpen, capacity, kept);
  }

  private resizeCancels(capacity: number): void {
    const kept = this.cancelCount;
    this.cancelHandle = resizeInt32(this.cancelHandle, capacity, kept);
    this.cancelQuantity = resizeFloat64(this.cancelQuantity, capacity, kept);
    this.cancelAtFill = resizeInt32(this.cancelAtFill, capacity, kept);
    const reasons = new Uint8Array(capacity);
    reasons.set(this.cancelReason.subarray(0, kept));
    this.cancelReason = reasons;
  }
}

/**
 * Aggregated supply and demand of a book in order collection, ascending by price: the auction's input. The arrays are
 * views on buffers the book reuses: they hold this curve only until the book's next `auctionCurve()` call.
 */
export interface AuctionCurve {
  /** Distinct limit prices of both sides, ascending. */
  readonly prices: Float64Array;
  /** Buy quantity with a limit exactly at `prices[i]`. */
  readonly buyAt: Float64Array;
  /** Sell quantity with a limit exactly at `prices[i]`. */
  readonly sellAt: Float64Array;
  /** Entries in each array (each view is exactly this long). */
  readonly length: number;
  readonly marketBuy: number;
  readonly marketSell: number;
}

export class OrderBook {
  readonly report = new BookReport();

  // Orders: one 64-byte slot per handle, read through two views of the same buffer (see the file comment).
  private orderCapacity = 0;
  private orderHighWater = 0;
  private orderFree = NIL;
  private orderLive = 0;
  private orderFloat = new Float64Array(0);
  private orderInt = new Int32Array(0);

  // Price levels: one 32-byte slot per handle, two views the same way.
  private levelCapacity = 0;
  private levelHighWater = 0;
  private levelFree = NIL;
  private levelFloat = new Float64Array(0);
  private levelInt = new Int32Array(0);

  // Per side: sorted level keys (ascending, best last) and the matching level handles.
  private readonly sideKeys: [Float64Array, Float64Array] = [new Float64Array(64), new Float64Array(64)];
  private readonly sideLevels: [Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64)];
  private readonly sideLength = [0, 0];

  // Market orders waiting for an auction, FIFO per side.
  private readonly marketHead = [NIL, NIL];
  private readonly marketTail = [NIL, NIL];
  private readonly marketQuantity = [0, 0];
  private readonly marketCount = [0, 0];

  // Accounts: each account's array of order handles and how much of it is in use (see `isAccountEntry`), and the
  // live-order count per account and side (index account * 2 + side).
  private accountCapacity = 0;
  private readonly accountEntries: Int32Array[] = [];
  private accountUsed = new Int32Array(0);
  private accountSideCount = new Int32Array(0);

  // The auction curve's buffers, one entry per level slot, kept so that finding a price allocates nothing the size of
  // the book.
  private curvePrices = new Float64Array(0);
  private curveBuyAt = new Float64Array(0);
  private curveSellAt = new Float64Array(0);

  // Auction scratch, per side: the orders an uncross takes, in priority order, and their open quantities before it;
  // and the state of the queue walkers (see `walkLevels`).
  private readonly auctionHandles: [Int32Array, Int32Array] = [new Int32Array(0), new Int32Array(0)];
  private readonly auctionOpens: [Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0)];
  private readonly walkerOrder = new Int32Array(AUCTION_WALKERS);
  private readonly walkerPosition = new Int32Array(AUCTION_WALKERS);
  private readonly walkerEnd = new Int32Array(AUCTION_WALKERS);
  private readonly walkerMet = new Int32Array(AUCTION_ROUND_ORDERS);

  constructor(orderCapacityHint = INITIAL_ORDER_CAPACITY) {
    this.growOrders(Math.min(Math.max(16, orderCapacityHint), BOOK_ORDERS_MAX));
    this.growLevels(INITIAL_LEVEL_CAPACITY);
    this.growAccounts(INITIAL_ACCOUNT_CAPACITY);
  }

  /**
   * Grows the order slots at once to the capacity that inserting `orders` more orders would grow them to by doubling:
   * a restore knows how many orders it will insert, and so copies the slots once instead of once per doubling. The
   * capacity reached is the same, so what the book costs afterwards does not change.
   */
  reserveOrders(orders: number): void {
    const needed = this.orderLive + orders;
    let capacity = this.orderCapacity;
    while (capacity < needed && capacity < BOOK_ORDERS_MAX) capacity = Math.min(capacity * 2, BOOK_ORDERS_MAX);
    if (capacity > this.orderCapacity) this.growOrders(capacity);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  /** Orders resting or queued in the book. */
  get orderCount(): number {
    return this.orderLive;
  }

  levelCount(side: SideCode): number {
    return this.sideLength[side]!;
  }

  /** Best price on a side, or NaN when the side is empty. */
  bestPrice(side: SideCode): number {
    const n = this.sideLength[side]!;
    return n === 0 ? Number.NaN : this.levelFloat[this.sideLevels[side][n - 1]! * LEVEL_FLOAT_CELLS + LEVEL_PRICE]!;
  }

  /** The i-th level from the best (0 = best): price, open quantity and order count. */
  levelAt(side: SideCode, depth: number): { price: number; quantity: number; orders: number } | undefined {
    const n = this.sideLength[side]!;
    if (depth < 0 || depth >= n) return undefined;
    const level = this.sideLevels[side][n - 1 - depth]!;
    return {
      price: this.levelFloat[level * LEVEL_FLOAT_CELLS + LEVEL_PRICE]!,
      quantity: this.levelFloat[level * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY]!,
      orders: this.levelInt[level * LEVEL_INT_CELLS + LEVEL_COUNT]!,
    };
  }

  isLive(handle: number): boolean {
    return (
      handle >= 0 &&
      handle < this.orderHighWater &&
      this.orderInt[handle * ORDER_INT_CELLS + ORDER_STATE] !== STATE_FREE
    );
  }

  isResting(handle: number): boolean {
    return (
      handle >= 0 &&
      handle < this.orderHighWater &&
      this.orderInt[handle * ORDER_INT_CELLS + ORDER_STATE] === STATE_RESTING
    );
  }

  priceOf(handle: number): number {
    return this.orderFloat[handle * ORDER_FLOAT_CELLS + ORDER_PRICE]!;
  }

  openOf(handle: number): number {
    return this.orderFloat[handle * ORDER_FLOAT_CELLS + ORDER_OPEN]!;
  }

  sideOf(handle: number): SideCode {
    return this.orderInt[handle * ORDER_INT_CELLS + ORDER_SIDE] as SideCode;
  }

  accountOf(handle: number): number {
    return this.orderInt[handle * ORDER_INT_CELLS + ORDER_ACCOUNT]!;
  }

  flagsOf(handle: number): number {
    return this.orderInt[handle * ORDER_INT_CELLS + ORDER_FLAGS]!;
  }

  isMarketQueued(handle: number): boolean {
    return this.orderInt[handle * ORDER_INT_CELLS + ORDER_STATE] === STATE_QUEUED_MARKET;
  }

  marketQueueQuantity(side: SideCode): number {
    return this.marketQuantity[side]!;
  }

  /**
   * Visits every live order of a side in priority order: queued market orders first (auction phases), then levels
   * from the best, each level in time order. The visitor must not change the book.
   */
  forEachOrder(side: SideCode, visit: (handle: number) => void): void {
    const orderInt = this.orderInt;
    for (let o = this.marketHead[side]!; o !== NIL; o = orderInt[o * ORDER_INT_CELLS + ORDER_NEXT]!) visit(o);
    const levels = this.sideLevels[side];
    for (let i = this.sideLength[side]! - 1; i >= 0; i--) {
      const head = this.levelInt[levels[i]! * LEVEL_INT_CELLS + LEVEL_HEAD]!;
      for (let o = head; o !== NIL; o = orderInt[o * ORDER_INT_CELLS + ORDER_NEXT]!) visit(o);
    }
  }

  /**
   * Handles of an account's live orders, oldest first (in the order the book took them). Squeezes the account's
   * array on the way, which changes nothing else: O(its live orders + its orders gone since the last squeeze).
   */
  ordersOfAccount(account: number): number[] {
    const handles: number[] = [];
    if (account < 0 || account >= this.accountCapacity) return handles;
    this.squeezeAccount(account);
    const entries = this.accountEntries[account]!;
    const used = this.accountUsed[account]!;
    for (let i = 0; i < used; i++) handles.push(entries[i]!);
    return handles;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Continuous trading.

  /**
   * An incoming order in continuous trading. `price` is ignored for market orders (`FLAG_MARKET`). The outcome,
   * fills and any cancelled makers are in `this.report`. The caller has validated the order.
   */
  submit(side: SideCode, price: number, quantity: number, account: number, flags: number): void {
    const report = this.report;
    report.reset();
    const opposite = (side ^ 1) as SideCode;
    const isMarket = (flags & FLAG_MARKET) !== 0;
    // An opposite level crosses the incoming order when its key is at least this threshold (see the file comment).
    const threshold = isMarket ? Number.NEGATIVE_INFINITY : opposite === SELL ? -price : price;
    const exec = flags & EXEC_MASK;
    const keys = this.sideKeys[opposite];
    if (account >= this.accountCapacity) this.growAccounts(account + 1);

    if ((flags & FLAG_POST_ONLY) !== 0) {
      const n = this.sideLength[opposite]!;
      if (n > 0 && keys[n - 1]! >= threshold) {
        this.finishTaker(OUTCOME_CANCELLED, quantity, REASON_POST_ONLY);
        return;
      }
    } else if (exec === EXEC_FOK && this.fillableQuantity(opposite, threshold, account, quantity) < quantity) {
      this.finishTaker(OUTCOME_CANCELLED, quantity, REASON_FOK);
      return;
    }

    let remaining = quantity;
    let selfTradeStop = false;
    const stp = (flags >> STP_SHIFT) & 3;
    const levels = this.sideLevels[opposite];
    // Matching frees slots but never allocates one, so the views stay valid until the remainder rests below.
    const orderFloat = this.orderFloat;
    const orderInt = this.orderInt;
    const levelFloat = this.levelFloat;
    while (remaining > 0) {
      const n = this.sideLength[opposite]!;
      if (n === 0 || keys[n - 1]! < threshold) break;
      const level = levels[n - 1]!;
      const levelQuantityCell = level * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY;
      const tradePrice = levelFloat[level * LEVEL_FLOAT_CELLS + LEVEL_PRICE]!;
      let o = this.levelInt[level * LEVEL_INT_CELLS + LEVEL_HEAD]!;
      while (o !== NIL && remaining > 0) {
        const following = orderInt[o * ORDER_INT_CELLS + ORDER_NEXT]!;
        const openCell = o * ORDER_FLOAT_CELLS + ORDER_OPEN;
        if (orderInt[o * ORDER_INT_CELLS + ORDER_ACCOUNT] === account) {
          if (stp === STP_CANCEL_MAKER || stp === STP_CANCEL_BOTH) {
            report.pushCancel(o, orderFloat[openCell]!, REASON_SELF_TRADE);
            this.unlinkResting(o);
          }
          if (stp !== STP_CANCEL_MAKER) {
            selfTradeStop = true;
            break;
          }
        } else {
          const makerOpen = orderFloat[openCell]!;
          const fill = Math.min(makerOpen, remaining);
          remaining -= fill;
          levelFloat[levelQuantityCell] = levelFloat[levelQuantityCell]! - fill;
          if (fill === makerOpen) {
            report.pushFill(o, tradePrice, fill, 0);
            orderFloat[openCell] = 0;
            this.unlinkResting(o);
          } else {
            orderFloat[openCell] = makerOpen - fill;
            report.pushFill(o, tradePrice, fill, makerOpen - fill);
          }
        }
        o = following;
      }
      if (selfTradeStop) break;
    }

    if (remaining === 0) {
      this.finishTaker(OUTCOME_FILLED, 0, 0);
    } else if (selfTradeStop) {
      this.finishTaker(OUTCOME_CANCELLED, remaining, REASON_SELF_TRADE);
    } else if (isMarket) {
      this.finishTaker(OUTCOME_CANCELLED, remaining, REASON_MARKET);
    } else if (exec === EXEC_IOC) {
      this.finishTaker(OUTCOME_CANCELLED, remaining, REASON_IOC);
    } else if (exec === EXEC_FOK) {
      // Only a post-only FOK that does not cross gets here (it skipped the fill check): it cannot fill, so it goes.
      invariant((flags & FLAG_POST_ONLY) !== 0, () => `FOK order left ${remaining} unfilled after its fill check`);
      this.finishTaker(OUTCOME_CANCELLED, remaining, REASON_FOK);
    } else {
      report.takerHandle = this.rest(side, price, remaining, account, flags);
      this.finishTaker(OUTCOME_RESTED, remaining, 0);
    }
  }

  /**
   * How much an incoming order on the other side of `side` could fill at once, counting only liquidity ahead of
   * the account's first own order, and stopping once `needed` is reached.
   */
  private fillableQuantity(side: SideCode, threshold: number, account: number, needed: number): number {
    const keys = this.sideKeys[side];
    const levels = this.sideLevels[side];
    const walkOrders = this.accountSideCount[account * 2 + side]! > 0;
    const orderFloat = this.orderFloat;
    const orderInt = this.orderInt;
    let total = 0;
    for (let i = this.sideLength[side]! - 1; i >= 0 && keys[i]! >= threshold; i--) {
      const level = levels[i]!;
      if (!walkOrders) {
        total += this.levelFloat[level * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY]!;
      } else {
        const head = this.levelInt[level * LEVEL_INT_CELLS + LEVEL_HEAD]!;
        for (let o = head; o !== NIL; o = orderInt[o * ORDER_INT_CELLS + ORDER_NEXT]!) {
          if (orderInt[o * ORDER_INT_CELLS + ORDER_ACCOUNT] === account) return total;
          total += orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN]!;
          if (total >= needed) return total;
        }
      }
      if (total >= needed) return total;
    }
    return total;
  }

  private finishTaker(outcome: number, open: number, reason: number): void {
    const report = this.report;
    report.outcome = outcome;
    report.takerOpen = open;
    report.takerReason = reason;
  }

  /** Cancels a resting or queued order; returns its open quantity. The caller checks `isLive` first. */
  cancel(handle: number): number {
    invariant(this.isLive(handle), () => `cancel of handle ${handle}, which is not live`);
    const open = this.orderFloat[handle * ORDER_FLOAT_CELLS + ORDER_OPEN]!;
    if (this.orderInt[handle * ORDER_INT_CELLS + ORDER_STATE] === STATE_QUEUED_MARKET) this.unlinkMarket(handle);
    else this.unlinkResting(handle);
    return open;
  }

  /** Lowers a resting order's open quantity, keeping its time priority. */
  reduce(handle: number, newOpen: number): void {
    invariant(this.isLive(handle), () => `reduce of handle ${handle}, which is not live`);
    const openCell = handle * ORDER_FLOAT_CELLS + ORDER_OPEN;
    const open = this.orderFloat[openCell]!;
    invariant(newOpen > 0 && newOpen < open, () => `reduce of handle ${handle} from ${open} to ${newOpen}`);
    this.orderFloat[openCell] = newOpen;
    const base = handle * ORDER_INT_CELLS;
    if (this.orderInt[base + ORDER_STATE] === STATE_QUEUED_MARKET) {
      const side = this.orderInt[base + ORDER_SIDE]!;
      this.marketQuantity[side] = this.marketQuantity[side]! - (open - newOpen);
    } else {
      const quantityCell = this.orderInt[base + ORDER_LEVEL]! * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY;
      this.levelFloat[quantityCell] = this.levelFloat[quantityCell]! - (open - newOpen);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Order collection and call auctions.

  /** Adds an order without matching (order collection): limits join their level, market orders the queue. */
  insert(side: SideCode, price: number, quantity: number, account: number, flags: number): number {
    if (account >= this.accountCapacity) this.growAccounts(account + 1);
    if ((flags & FLAG_MARKET) === 0) return this.rest(side, price, quantity, account, flags);
    const o = this.allocateOrder();
    const tail = this.marketTail[side]!;
    this.writeOrder(o, side === BUY ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY, quantity, side, flags);
    const orderInt = this.orderInt;
    const base = o * ORDER_INT_CELLS;
    orderInt[base + ORDER_LEVEL] = NIL;
    orderInt[base + ORDER_STATE] = STATE_QUEUED_MARKET;
    orderInt[base + ORDER_PREV] = tail;
    orderInt[base + ORDER_NEXT] = NIL;
    if (tail === NIL) this.marketHead[side] = o;
    else orderInt[tail * ORDER_INT_CELLS + ORDER_NEXT] = o;
    this.marketTail[side] = o;
    this.marketQuantity[side] = this.marketQuantity[side]! + quantity;
    this.marketCount[side] = this.marketCount[side]! + 1;
    this.linkAccount(o, account, side);
    return o;
  }

  /**
   * Supply and demand by price, for finding the auction price. The arrays are views on buffers the book keeps, so
   * this allocates only the three views and the result: nothing the size of the book that could bring on a
   * collection in the price step.
   */
  auctionCurve(): AuctionCurve {
    const bidKeys = this.sideKeys[BUY];
    const bidLevels = this.sideLevels[BUY];
    const askKeys = this.sideKeys[SELL];
    const askLevels = this.sideLevels[SELL];
    const bidCount = this.sideLength[BUY]!;
    const askCount = this.sideLength[SELL]!;
    // The buffers grow with the level slots (`growLevels`), so they always hold one entry per level in use.
    invariant(bidCount + askCount <= this.curvePrices.length, "auction curve buffers smaller than the book's levels");
    const prices = this.curvePrices;
    const buyAt = this.curveBuyAt;
    const sellAt = this.curveSellAt;
    const levelFloat = this.levelFloat;
    // Bids ascend from index 0; asks ascend in price from the last index down (their keys are negated prices).
    let b = 0;
    let a = askCount - 1;
    let n = 0;
    while (b < bidCount || a >= 0) {
      const bidPrice = b < bidCount ? bidKeys[b]! : Number.POSITIVE_INFINITY;
      const askPrice = a >= 0 ? -askKeys[a]! : Number.POSITIVE_INFINITY;
      // Every cell up to `n` is written on each call: the buffers carry nothing over from the last curve.
      if (bidPrice <= askPrice) {
        prices[n] = bidPrice;
        buyAt[n] = levelFloat[bidLevels[b]! * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY]!;
        b++;
        if (bidPrice === askPrice) {
          sellAt[n] = levelFloat[askLevels[a]! * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY]!;
          a--;
        } else {
          sellAt[n] = 0;
        }
      } else {
        prices[n] = askPrice;
        buyAt[n] = 0;
        sellAt[n] = levelFloat[askLevels[a]! * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY]!;
        a--;
      }
      n++;
    }
    return {
      prices: prices.subarray(0, n),
      buyAt: buyAt.subarray(0, n),
      sellAt: sellAt.subarray(0, n),
      length: n,
      marketBuy: this.marketQuantity[BUY]!,
      marketSell: this.marketQuantity[SELL]!,
    };
  }

  /**
   * Executes `volume` at one uniform `price`: buyers and sellers in priority order (queued market orders, then by
   * price, then by time) are paired until the volume is done; market orders left over are cancelled. Each pair is a
   * fill in the report with the seller in `fillMaker` and the buyer in `fillBuyer`. The caller found `price` and
   * `volume` from `auctionCurve()`; this checks that the book can deliver them before it changes anything.
   *
   * Each side gives up exactly `volume` from the front of its priority order, so which orders leave the book, and
   * what is left of the one order cut through, follow from the quantities alone. So the work comes in two steps:
   * take each side's used orders out of the book into a list (`takeAuctionSide`), then pair the two lists into fills,
   * which are those of pairing the orders one by one as they come. Only the first step touches order slots, and it
   * walks several levels' queues at once, so the processor can wait for several slots from memory at a time instead
   * of one after the other.
   */
  uncross(price: number, volume: number): void {
    const report = this.report;
    report.reset();
    invariant(volume >= 0, () => `auction volume ${volume} < 0`);
    const buyersMax = this.auctionOrdersMax(BUY, price, volume);
    const sellersMax = this.auctionOrdersMax(SELL, price, volume);
    const buyers = this.takeAuctionSide(BUY, volume, buyersMax);
    const sellers = this.takeAuctionSide(SELL, volume, sellersMax);
    // Every fill but the last uses up a buyer or a seller, so there are fewer fills than orders used; the queued
    // market orders bound the cancels. Sizing the report once keeps copying out of the pairing loop.
    report.reserve(buyers + sellers, this.marketCount[BUY]! + this.marketCount[SELL]!);

    report.fillCount = this.pairAuctionLists(price, volume, buyers, sellers);

    for (const side of [BUY, SELL] as const) {
      for (let o = this.marketHead[side]!; o !== NIL; o = this.marketHead[side]!) {
        report.pushCancel(o, this.orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN]!, REASON_AUCTION_REMAINDER);
        this.unlinkMarket(o);
      }
    }
  }

  /**
   * Pairs the buyers and sellers `takeAuctionSide` listed into the report's fills, in priority order on both sides;
   * returns the number of fills. A method of its own, all of whose code every auction runs: inside `uncross`, V8
   * threw the compiled loop away again and again over a run of auctions (`--trace-deopt`: insufficient type feedback
   * in the code around it), and each time the next auction paired in the interpreter until the loop was compiled
   * again. Measured on the 1M-order benchmark, the split saves a few milliseconds in the median.
   */
  private pairAuctionLists(price: number, volume: number, buyers: number, sellers: number): number {
    const report = this.report;
    const buyHandles = this.auctionHandles[BUY];
    const buyOpens = this.auctionOpens[BUY];
    const sellHandles = this.auctionHandles[SELL];
    const sellOpens = this.auctionOpens[SELL];
    const fillMaker = report.fillMaker;
    const fillPrice = report.fillPrice;
    const fillQuantity = report.fillQuantity;
    const fillMakerOpen = report.fillMakerOpen;
    const fillBuyer = report.fillBuyer;
    const fillBuyerOpen = report.fillBuyerOpen;
    let left = volume;
    let b = 0;
    let s = 0;
    let buyOpen = volume > 0 ? buyOpens[0]! : 0;
    let sellOpen = volume > 0 ? sellOpens[0]! : 0;
    let f = 0;
    while (left > 0) {
      const fill = Math.min(buyOpen, sellOpen, left);
      left -= fill;
      buyOpen -= fill;
      sellOpen -= fill;
      fillMaker[f] = sellHandles[s]!;
      fillPrice[f] = price;
      fillQuantity[f] = fill;
      fillMakerOpen[f] = sellOpen;
      fillBuyer[f] = buyHandles[b]!;
      fillBuyerOpen[f] = buyOpen;
      f++;
      if (left === 0) break;
      // The lists hold `volume` on each side, so neither runs out before `left` does; and each advance here uses up
      // an order, so the fills stay within the `buyers + sellers` reserved.
      if (buyOpen === 0) {
        b++;
        invariant(b < buyers, "auction ran past the buyers it took");
        buyOpen = buyOpens[b]!;
      }
      if (sellOpen === 0) {
        s++;
        invariant(s < sellers, "auction ran past the sellers it took");
        sellOpen = sellOpens[s]!;
      }
    }
    return f;
  }

  /**
   * Checks that a side can deliver `volume` at `price` from orders that accept that price, and returns a bound on how
   * many orders that takes (whole levels, and the whole market queue). Changes nothing. O(levels reached).
   */
  private auctionOrdersMax(side: SideCode, price: number, volume: number): number {
    let orders = 0;
    let quantity = 0;
    if (volume > 0) {
      orders = this.marketCount[side]!;
      quantity = this.marketQuantity[side]!;
    }
    const levels = this.sideLevels[side];
    for (let i = this.sideLength[side]! - 1; i >= 0 && quantity < volume; i--) {
      const level = levels[i]!;
      const levelPrice = this.levelFloat[level * LEVEL_FLOAT_CELLS + LEVEL_PRICE]!;
      if (side === BUY ? levelPrice < price : levelPrice > price) break;
      orders += this.levelInt[level * LEVEL_INT_CELLS + LEVEL_COUNT]!;
      quantity += this.levelFloat[level * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY]!;
    }
    invariant(
      quantity >= volume,
      () => `auction at ${price} ran out of orders: side ${side} has ${quantity} of ${volume} executable`,
    );
    return orders;
  }

  /**
   * Takes the front `volume` of a side's priority order out of the book, for an auction: each order used up is
   * listed (handle and open quantity before the auction) and freed; the order the volume ends inside, if any, is
   * listed with its old open quantity and keeps the rest. Levels used up are dropped. Returns how many orders were
   * listed. `ordersMax` is `auctionOrdersMax`'s bound, which has checked that the volume is there.
   */
  private takeAuctionSide(side: SideCode, volume: number, ordersMax: number): number {
    if (this.auctionHandles[side].length < ordersMax) {
      const size = Math.max(ordersMax, this.auctionHandles[side].length * 2);
      this.auctionHandles[side] = new Int32Array(size);
      this.auctionOpens[side] = new Float64Array(size);
    }
    if (volume === 0) return 0;
    const handles = this.auctionHandles[side];
    const opens = this.auctionOpens[side];
    const orderFloat = this.orderFloat;
    const orderInt = this.orderInt;

    // Queued market orders come first, one by one.
    let taken = 0;
    let used = 0;
    let o = this.marketHead[side]!;
    let marketTaken = 0;
    while (o !== NIL && used < volume) {
      const open = orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN]!;
      handles[taken++] = o;
      opens[taken - 1] = open;
      if (used + open > volume) {
        orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN] = open - (volume - used);
        this.marketQuantity[side] = this.marketQuantity[side]! - (volume - used);
        used = volume;
        break;
      }
      used += open;
      this.marketQuantity[side] = this.marketQuantity[side]! - open;
      const next = orderInt[o * ORDER_INT_CELLS + ORDER_NEXT]!;
      this.releaseTaken(o);
      marketTaken++;
      o = next;
    }
    if (marketTaken > 0) {
      this.marketHead[side] = o;
      if (o === NIL) this.marketTail[side] = NIL;
      else orderInt[o * ORDER_INT_CELLS + ORDER_PREV] = NIL;
      this.marketCount[side] = this.marketCount[side]! - marketTaken;
    }
    if (used === volume) return taken;

    // Levels used up, from the best: their queues are walked side by side (see `walkLevels`), then dropped.
    const levels = this.sideLevels[side];
    const n = this.sideLength[side]!;
    let whole = 0;
    while (whole < n && used < volume) {
      const quantity = this.levelFloat[levels[n - 1 - whole]! * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY]!;
      if (used + quantity > volume) break;
      used += quantity;
      whole++;
    }
    taken = this.walkLevels(side, whole, taken);
    for (let i = n - 1; i >= n - whole; i--) {
      const level = levels[i]!;
      this.levelInt[level * LEVEL_INT_CELLS + LEVEL_HEAD] = this.levelFree;
      this.levelFree = level;
    }
    this.sideLength[side] = n - whole;
    if (used === volume) return taken;

    // The level the volume ends inside: its front orders are used up, one may be cut through, the rest stay.
    const level = levels[n - 1 - whole]!;
    const levelBase = level * LEVEL_INT_CELLS;
    const quantityCell = level * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY;
    const usedBefore = used;
    let gone = 0;
    o = this.levelInt[levelBase + LEVEL_HEAD]!;
    while (used < volume) {
      invariant(o !== NIL, "level quantity exceeds its orders' open quantity");
      const open = orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN]!;
      handles[taken++] = o;
      opens[taken - 1] = open;
      if (used + open > volume) {
        orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN] = open - (volume - used);
        used = volume;
        break;
      }
      used += open;
      const next = orderInt[o * ORDER_INT_CELLS + ORDER_NEXT]!;
      this.releaseTaken(o);
      gone++;
      o = next;
    }
    // The level held more than the volume still needed, so an order of it stays: `o`, now at the front.
    invariant(o !== NIL, "level quantity exceeds its orders' open quantity");
    this.levelFloat[quantityCell] = this.levelFloat[quantityCell]! - (used - usedBefore);
    this.levelInt[levelBase + LEVEL_COUNT] = this.levelInt[levelBase + LEVEL_COUNT]! - gone;
    this.levelInt[levelBase + LEVEL_HEAD] = o;
    orderInt[o * ORDER_INT_CELLS + ORDER_PREV] = NIL;
    return taken;
  }

  /**
   * Lists and frees every order of the `count` best levels of a side, in priority order, into the auction list from
   * index `taken`; returns the new end of the list. The queues are linked lists whose next link is only known once
   * an order's slot has arrived from memory, so one queue at a time waits for one slot at a time. Walking
   * `AUCTION_WALKERS` queues in turn, each into its own stretch of the list, lets those waits overlap.
   */
  private walkLevels(side: SideCode, count: number, taken: number): number {
    const levels = this.sideLevels[side];
    const top = this.sideLength[side]! - 1;
    const handles = this.auctionHandles[side];
    const opens = this.auctionOpens[side];
    const orderFloat = this.orderFloat;
    const orderInt = this.orderInt;
    const cursor = this.walkerOrder;
    const position = this.walkerPosition;
    const stretchEnd = this.walkerEnd;
    let end = taken;
    let started = 0;
    let walking = 0;
    for (let k = 0; k < AUCTION_WALKERS; k++) {
      if (started < count) {
        const levelBase = levels[top - started]! * LEVEL_INT_CELLS;
        cursor[k] = this.levelInt[levelBase + LEVEL_HEAD]!;
        position[k] = end;
        end += this.levelInt[levelBase + LEVEL_COUNT]!;
        stretchEnd[k] = end;
        started++;
        walking++;
      } else {
        cursor[k] = NIL;
      }
    }
    // The walk runs in rounds of two passes. The first only chases the links: walker k notes the order it meets in
    // a sweep at `met[sweep * AUCTION_WALKERS + k]` (NIL once it has no queue left) and moves on. The processor holds
    // only so many instructions in flight, so the fewer stand between one walker's slot load and the next walker's,
    // the more slots are on their way from memory at once. The second pass goes back over the round's orders, whose
    // slots are still in cache, in the order they were met: it puts each one in its walker's stretch of the list with
    // its open quantity, takes it off its account's count and frees it, so the list and the free list come out as
    // if one pass had done it all. Doing all of that in the chase made the walk take half as long again (1M-order
    // benchmark). An order's entry in its account's array is left to go stale (see `isAccountEntry`).
    //
    // Both passes start a walker on the next level when its queue ends, in the same order, so each keeps its own
    // count of levels started: `chased` for the first, `started` (with `end`) for the second.
    const met = this.walkerMet;
    const sideCount = this.accountSideCount;
    let chased = started;
    let free = this.orderFree;
    while (walking > 0) {
      let metEnd = 0;
      while (walking > 0 && metEnd <= AUCTION_ROUND_ORDERS - AUCTION_WALKERS) {
        for (let k = 0; k < AUCTION_WALKERS; k++) {
          const o = cursor[k]!;
          met[metEnd + k] = o;
          if (o === NIL) continue;
          let next = orderInt[o * ORDER_INT_CELLS + ORDER_NEXT]!;
          if (next === NIL) {
            if (chased < count) {
              next = this.levelInt[levels[top - chased]! * LEVEL_INT_CELLS + LEVEL_HEAD]!;
              chased++;
            } else {
              walking--;
            }
          }
          cursor[k] = next;
        }
        metEnd += AUCTION_WALKERS;
      }
      for (let i = 0; i < metEnd; i++) {
        const o = met[i]!;
        if (o === NIL) continue;
        const k = i % AUCTION_WALKERS;
        const p = position[k]!;
        const floatBase = o * ORDER_FLOAT_CELLS;
        const intBase = o * ORDER_INT_CELLS;
        handles[p] = o;
        opens[p] = orderFloat[floatBase + ORDER_OPEN]!;
        position[k] = p + 1;
        const countIndex = orderInt[intBase + ORDER_ACCOUNT]! * 2 + side;
        sideCount[countIndex] = sideCount[countIndex]! - 1;
        if (orderInt[intBase + ORDER_NEXT] === NIL) {
          invariant(p + 1 === stretchEnd[k], "a level's queue length differs from its count");
          if (started < count) {
            const levelBase = levels[top - started]! * LEVEL_INT_CELLS;
            position[k] = end;
            end += this.levelInt[levelBase + LEVEL_COUNT]!;
            stretchEnd[k] = end;
            started++;
          }
        }
        // Freed as `freeOrder` does, with the free list's head kept in a local.
        orderFloat[floatBase + ORDER_OPEN] = 0;
        orderInt[intBase + ORDER_STATE] = STATE_FREE;
        orderInt[intBase + ORDER_NEXT] = free;
        free = o;
      }
    }
    invariant(chased === count && started === count, "auction walk passes started different levels");
    this.orderFree = free;
    this.orderLive -= end - taken;
    return end;
  }

  /** Frees an order an auction used up: open 0, off its account (`unlinkAccount`), slot on the free list. */
  private releaseTaken(o: number): void {
    this.orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN] = 0;
    this.unlinkAccount(o);
    this.freeOrder(o);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Structure.

  /** Writes the fields every new order has; links are set by the caller. */
  private writeOrder(o: number, price: number, quantity: number, side: SideCode, flags: number): void {
    this.orderFloat[o * ORDER_FLOAT_CELLS + ORDER_PRICE] = price;
    this.orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN] = quantity;
    const base = o * ORDER_INT_CELLS;
    this.orderInt[base + ORDER_SIDE] = side;
    this.orderInt[base + ORDER_FLAGS] = flags;
  }

  private rest(side: SideCode, price: number, quantity: number, account: number, flags: number): number {
    const o = this.allocateOrder();
    const level = this.levelFor(side, price);
    this.writeOrder(o, price, quantity, side, flags);
    const orderInt = this.orderInt;
    const levelInt = this.levelInt;
    const base = o * ORDER_INT_CELLS;
    const levelBase = level * LEVEL_INT_CELLS;
    const tail = levelInt[levelBase + LEVEL_TAIL]!;
    orderInt[base + ORDER_LEVEL] = level;
    orderInt[base + ORDER_STATE] = STATE_RESTING;
    orderInt[base + ORDER_PREV] = tail;
    orderInt[base + ORDER_NEXT] = NIL;
    if (tail === NIL) levelInt[levelBase + LEVEL_HEAD] = o;
    else orderInt[tail * ORDER_INT_CELLS + ORDER_NEXT] = o;
    levelInt[levelBase + LEVEL_TAIL] = o;
    levelInt[levelBase + LEVEL_COUNT] = levelInt[levelBase + LEVEL_COUNT]! + 1;
    const quantityCell = level * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY;
    this.levelFloat[quantityCell] = this.levelFloat[quantityCell]! + quantity;
    this.linkAccount(o, account, side);
    return o;
  }

  /** Removes a resting order from its level (dropping the level when it empties) and frees it. */
  private unlinkResting(o: number): void {
    const orderInt = this.orderInt;
    const levelInt = this.levelInt;
    const base = o * ORDER_INT_CELLS;
    const level = orderInt[base + ORDER_LEVEL]!;
    const levelBase = level * LEVEL_INT_CELLS;
    const prev = orderInt[base + ORDER_PREV]!;
    const next = orderInt[base + ORDER_NEXT]!;
    if (prev === NIL) levelInt[levelBase + LEVEL_HEAD] = next;
    else orderInt[prev * ORDER_INT_CELLS + ORDER_NEXT] = next;
    if (next === NIL) levelInt[levelBase + LEVEL_TAIL] = prev;
    else orderInt[next * ORDER_INT_CELLS + ORDER_PREV] = prev;
    const quantityCell = level * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY;
    this.levelFloat[quantityCell] =
      this.levelFloat[quantityCell]! - this.orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN]!;
    const count = levelInt[levelBase + LEVEL_COUNT]! - 1;
    levelInt[levelBase + LEVEL_COUNT] = count;
    if (count === 0) this.removeLevel(orderInt[base + ORDER_SIDE] as SideCode, level);
    this.unlinkAccount(o);
    this.freeOrder(o);
  }

  private unlinkMarket(o: number): void {
    const orderInt = this.orderInt;
    const base = o * ORDER_INT_CELLS;
    const side = orderInt[base + ORDER_SIDE]!;
    const prev = orderInt[base + ORDER_PREV]!;
    const next = orderInt[base + ORDER_NEXT]!;
    if (prev === NIL) this.marketHead[side] = next;
    else orderInt[prev * ORDER_INT_CELLS + ORDER_NEXT] = next;
    if (next === NIL) this.marketTail[side] = prev;
    else orderInt[next * ORDER_INT_CELLS + ORDER_PREV] = prev;
    this.marketQuantity[side] = this.marketQuantity[side]! - this.orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN]!;
    this.marketCount[side] = this.marketCount[side]! - 1;
    this.unlinkAccount(o);
    this.freeOrder(o);
  }

  /** Appends an order to its account's array, making room first if the array is full. */
  private linkAccount(o: number, account: number, side: SideCode): void {
    const base = o * ORDER_INT_CELLS;
    this.orderInt[base + ORDER_ACCOUNT] = account;
    let entries = this.accountEntries[account]!;
    let used = this.accountUsed[account]!;
    if (used === entries.length) {
      // The slot may still record an entry from an earlier life in this account, which the squeeze must not take
      // for a live one.
      this.orderInt[base + ORDER_ACCOUNT_ENTRY] = NIL;
      entries = this.makeRoomInAccount(account);
      used = this.accountUsed[account]!;
    }
    entries[used] = o;
    this.accountUsed[account] = used + 1;
    this.orderInt[base + ORDER_ACCOUNT_ENTRY] = used;
    const countIndex = account * 2 + side;
    this.accountSideCount[countIndex] = this.accountSideCount[countIndex]! + 1;
  }

  /** Takes an order off its account: the side count drops, and its entry goes stale where it is (`isAccountEntry`). */
  private unlinkAccount(o: number): void {
    const base = o * ORDER_INT_CELLS;
    const account = this.orderInt[base + ORDER_ACCOUNT]!;
    const countIndex = account * 2 + this.orderInt[base + ORDER_SIDE]!;
    this.accountSideCount[countIndex] = this.accountSideCount[countIndex]! - 1;
  }

  /**
   * Whether entry `index` of an account's array stands for a live order: the handle there is live, belongs to the
   * account and records this index. A stale entry (its order left) fails one of the three even after its handle is
   * reused, because a reused handle is appended past every entry in use.
   */
  private isAccountEntry(account: number, index: number, handle: number): boolean {
    const base = handle * ORDER_INT_CELLS;
    return (
      this.orderInt[base + ORDER_STATE] !== STATE_FREE &&
      this.orderInt[base + ORDER_ACCOUNT] === account &&
      this.orderInt[base + ORDER_ACCOUNT_ENTRY] === index
    );
  }

  /**
   * Makes room in a full account array and returns it: squeezes out the stale entries if at most a quarter are live,
   * else moves to an array twice the size. A squeeze of n entries leaves at least 3n/4 free and a move of n leaves n,
   * so each is paid for by the appends that fill the room it made: appending is O(1) amortized. Squeezing reads the
   * slot of every entry, so it waits for a quarter full rather than half: fewer squeezes, for at most twice the room.
   */
  private makeRoomInAccount(account: number): Int32Array {
    const entries = this.accountEntries[account]!;
    const live = this.accountSideCount[account * 2]! + this.accountSideCount[account * 2 + 1]!;
    if (entries.length > 0 && live * 4 <= entries.length) {
      this.squeezeAccount(account);
      return entries;
    }
    const grown = new Int32Array(Math.max(INITIAL_ACCOUNT_ENTRIES, entries.length * 2));
    grown.set(entries);
    this.accountEntries[account] = grown;
    return grown;
  }

  /** Moves an account's live entries to the front of its array, in order, and updates the indexes they record. */
  private squeezeAccount(account: number): void {
    const entries = this.accountEntries[account]!;
    const used = this.accountUsed[account]!;
    let kept = 0;
    for (let i = 0; i < used; i++) {
      const o = entries[i]!;
      if (!this.isAccountEntry(account, i, o)) continue;
      if (kept !== i) {
        entries[kept] = o;
        this.orderInt[o * ORDER_INT_CELLS + ORDER_ACCOUNT_ENTRY] = kept;
      }
      kept++;
    }
    const live = this.accountSideCount[account * 2]! + this.accountSideCount[account * 2 + 1]!;
    invariant(kept === live, () => `account ${account} array holds ${kept} of its ${live} live orders`);
    this.accountUsed[account] = kept;
  }

  /** Finds the level for a price on a side, creating it in sorted position if needed. */
  private levelFor(side: SideCode, price: number): number {
    const key = side === BUY ? price : -price;
    let keys = this.sideKeys[side];
    let levels = this.sideLevels[side];
    const n = this.sideLength[side]!;
    // Most new orders land at or near the top of the book: check the best level first.
    let position: number;
    if (n === 0 || keys[n - 1]! < key) {
      position = n;
    } else if (keys[n - 1] === key) {
      return levels[n - 1]!;
    } else {
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (keys[mid]! < key) lo = mid + 1;
        else hi = mid;
      }
      if (keys[lo] === key) return levels[lo]!;
      position = lo;
    }
    if (n === keys.length) {
      keys = resizeFloat64(keys, n * 2, n);
      levels = resizeInt32(levels, n * 2, n);
      this.sideKeys[side] = keys;
      this.sideLevels[side] = levels;
    }
    if (position < n) {
      keys.copyWithin(position + 1, position, n);
      levels.copyWithin(position + 1, position, n);
    }
    const level = this.allocateLevel();
    this.levelFloat[level * LEVEL_FLOAT_CELLS + LEVEL_PRICE] = price;
    this.levelFloat[level * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY] = 0;
    const levelBase = level * LEVEL_INT_CELLS;
    this.levelInt[levelBase + LEVEL_COUNT] = 0;
    this.levelInt[levelBase + LEVEL_HEAD] = NIL;
    this.levelInt[levelBase + LEVEL_TAIL] = NIL;
    keys[position] = key;
    levels[position] = level;
    this.sideLength[side] = n + 1;
    return level;
  }

  private removeLevel(side: SideCode, level: number): void {
    const keys = this.sideKeys[side];
    const levels = this.sideLevels[side];
    const n = this.sideLength[side]!;
    let position = n - 1;
    if (levels[position] !== level) {
      const price = this.levelFloat[level * LEVEL_FLOAT_CELLS + LEVEL_PRICE]!;
      const key = side === BUY ? price : -price;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (keys[mid]! < key) lo = mid + 1;
        else hi = mid;
      }
      invariant(levels[lo] === level, () => `level at price ${price} missing from its side`);
      position = lo;
      keys.copyWithin(position, position + 1, n);
      levels.copyWithin(position, position + 1, n);
    }
    this.sideLength[side] = n - 1;
    this.levelInt[level * LEVEL_INT_CELLS + LEVEL_HEAD] = this.levelFree;
    this.levelFree = level;
  }

  private allocateOrder(): number {
    let o = this.orderFree;
    if (o !== NIL) {
      this.orderFree = this.orderInt[o * ORDER_INT_CELLS + ORDER_NEXT]!;
    } else {
      if (this.orderHighWater === this.orderCapacity) {
        invariant(this.orderHighWater < BOOK_ORDERS_MAX, `book is full at ${BOOK_ORDERS_MAX} orders`);
        this.growOrders(Math.min(this.orderCapacity * 2, BOOK_ORDERS_MAX));
      }
      o = this.orderHighWater++;
    }
    this.orderLive++;
    return o;
  }

  /** Frees a slot. Its price, open quantity, side, account and flags stay readable until the slot is reused. */
  private freeOrder(o: number): void {
    const base = o * ORDER_INT_CELLS;
    this.orderInt[base + ORDER_STATE] = STATE_FREE;
    this.orderInt[base + ORDER_NEXT] = this.orderFree;
    this.orderFree = o;
    this.orderLive--;
  }

  private allocateLevel(): number {
    const level = this.levelFree;
    if (level !== NIL) {
      this.levelFree = this.levelInt[level * LEVEL_INT_CELLS + LEVEL_HEAD]!;
      return level;
    }
    if (this.levelHighWater === this.levelCapacity) this.growLevels(this.levelCapacity * 2);
    return this.levelHighWater++;
  }

  private growOrders(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * ORDER_SLOT_BYTES);
    new Uint8Array(buffer).set(new Uint8Array(this.orderInt.buffer, 0, this.orderHighWater * ORDER_SLOT_BYTES));
    this.orderFloat = new Float64Array(buffer);
    this.orderInt = new Int32Array(buffer);
    this.orderCapacity = capacity;
  }

  private growLevels(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * LEVEL_SLOT_BYTES);
    new Uint8Array(buffer).set(new Uint8Array(this.levelInt.buffer, 0, this.levelHighWater * LEVEL_SLOT_BYTES));
    this.levelFloat = new Float64Array(buffer);
    this.levelInt = new Int32Array(buffer);
    this.levelCapacity = capacity;
    // A curve has at most one entry per level in use; its contents are rewritten on each call, so nothing is copied.
    this.curvePrices = new Float64Array(capacity);
    this.curveBuyAt = new Float64Array(capacity);
    this.curveSellAt = new Float64Array(capacity);
  }

  private growAccounts(minimum: number): void {
    let capacity = Math.max(this.accountCapacity, INITIAL_ACCOUNT_CAPACITY);
    while (capacity < minimum) capacity *= 2;
    this.accountSideCount = resizeInt32(this.accountSideCount, capacity * 2, this.accountCapacity * 2);
    this.accountUsed = resizeInt32(this.accountUsed, capacity, this.accountCapacity);
    while (this.accountEntries.length < capacity) this.accountEntries.push(NO_ENTRIES);
    this.accountCapacity = capacity;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Self-check, for tests and audits: O(orders + slots + account arrays).

  /** Checks every structural invariant; throws `InvariantError` naming the first that fails. */
  checkInvariants(allowCrossed = false): void {
    const orderFloat = this.orderFloat;
    const orderInt = this.orderInt;
    const levelFloat = this.levelFloat;
    const levelInt = this.levelInt;
    const accountCounts = new Int32Array(this.accountCapacity * 2);
    let live = 0;
    for (const side of [BUY, SELL] as const) {
      const keys = this.sideKeys[side];
      const levels = this.sideLevels[side];
      const n = this.sideLength[side]!;
      for (let i = 0; i < n; i++) {
        if (i > 0 && !(keys[i - 1]! < keys[i]!)) fail(`side ${side} keys not ascending at ${i}`);
        const level = levels[i]!;
        if (level < 0 || level >= this.levelHighWater) fail(`side ${side} lists level handle ${level}`);
        const price = levelFloat[level * LEVEL_FLOAT_CELLS + LEVEL_PRICE]!;
        const quantity = levelFloat[level * LEVEL_FLOAT_CELLS + LEVEL_QUANTITY]!;
        const levelBase = level * LEVEL_INT_CELLS;
        if (keys[i] !== (side === BUY ? price : -price)) fail(`level key ${keys[i]} for price ${price}`);
        let sum = 0;
        let count = 0;
        let prev = NIL;
        for (let o = levelInt[levelBase + LEVEL_HEAD]!; o !== NIL; o = orderInt[o * ORDER_INT_CELLS + ORDER_NEXT]!) {
          if (o < 0 || o >= this.orderHighWater) fail(`level ${price} links to handle ${o}`);
          if (count >= this.orderLive) fail(`level ${price} holds more orders than the book`);
          const base = o * ORDER_INT_CELLS;
          const open = orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN]!;
          const account = orderInt[base + ORDER_ACCOUNT]!;
          if (orderInt[base + ORDER_STATE] !== STATE_RESTING) fail(`order ${o} in level ${price} is not resting`);
          if (orderInt[base + ORDER_LEVEL] !== level || orderFloat[o * ORDER_FLOAT_CELLS + ORDER_PRICE] !== price) {
            fail(`order ${o} in wrong level`);
          }
          if (orderInt[base + ORDER_SIDE] !== side) fail(`order ${o} on wrong side`);
          if (orderInt[base + ORDER_PREV] !== prev) fail(`order ${o} has a broken back link`);
          if (!(open > 0)) fail(`order ${o} rests with open quantity ${open}`);
          if (account < 0 || account >= this.accountCapacity) fail(`order ${o} has account ${account}`);
          accountCounts[account * 2 + side]!++;
          sum += open;
          count++;
          prev = o;
        }
        if (levelInt[levelBase + LEVEL_TAIL] !== prev) fail(`level ${price} tail is wrong`);
        if (count === 0) fail(`level ${price} is empty but listed`);
        if (sum !== quantity) fail(`level ${price} quantity ${quantity} != ${sum}`);
        const listed = levelInt[levelBase + LEVEL_COUNT];
        if (count !== listed) fail(`level ${price} count ${listed} != ${count}`);
        live += count;
      }
      let queued = 0;
      let queuedCount = 0;
      let prev = NIL;
      for (let o = this.marketHead[side]!; o !== NIL; o = orderInt[o * ORDER_INT_CELLS + ORDER_NEXT]!) {
        if (o < 0 || o >= this.orderHighWater) fail(`market queue ${side} links to handle ${o}`);
        if (queuedCount >= this.orderLive) fail(`market queue ${side} holds more orders than the book`);
        const base = o * ORDER_INT_CELLS;
        const account = orderInt[base + ORDER_ACCOUNT]!;
        if (orderInt[base + ORDER_STATE] !== STATE_QUEUED_MARKET) fail(`order ${o} in market queue is not queued`);
        if (orderInt[base + ORDER_SIDE] !== side || orderInt[base + ORDER_LEVEL] !== NIL) {
          fail(`queued order ${o} is misfiled`);
        }
        if (orderInt[base + ORDER_PREV] !== prev) fail(`queued order ${o} has a broken back link`);
        if (account < 0 || account >= this.accountCapacity) fail(`order ${o} has account ${account}`);
        accountCounts[account * 2 + side]!++;
        queued += orderFloat[o * ORDER_FLOAT_CELLS + ORDER_OPEN]!;
        queuedCount++;
        prev = o;
      }
      if (this.marketTail[side] !== prev) fail(`market queue ${side} tail is wrong`);
      if (queued !== this.marketQuantity[side]) fail(`market queue ${side} quantity is wrong`);
      if (queuedCount !== this.marketCount[side]) fail(`market queue ${side} count is wrong`);
      live += queuedCount;
    }
    if (live !== this.orderLive) fail(`live orders ${this.orderLive} != ${live} found in the book`);
    if (!allowCrossed && this.sideLength[BUY]! > 0 && this.sideLength[SELL]! > 0) {
      if (!(this.bestPrice(BUY) < this.bestPrice(SELL))) {
        fail(`book crossed: bid ${this.bestPrice(BUY)} >= ask ${this.bestPrice(SELL)}`);
      }
    }

    // Free slots: the free list holds exactly the slots below the high-water mark that are not live.
    let free = 0;
    for (let o = this.orderFree; o !== NIL; o = orderInt[o * ORDER_INT_CELLS + ORDER_NEXT]!) {
      if (o < 0 || o >= this.orderHighWater) fail(`order free list links to handle ${o}`);
      if (free >= this.orderHighWater) fail("order free list has a cycle");
      if (orderInt[o * ORDER_INT_CELLS + ORDER_STATE] !== STATE_FREE) {
        fail(`order ${o} is on the free list but not free`);
      }
      free++;
    }
    if (free + live !== this.orderHighWater) fail(`${free} free + ${live} live != ${this.orderHighWater} slots`);

    // Accounts: the side counts are those of the orders found above, and each account's array holds a live entry
    // (see `isAccountEntry`) for each of them. Live entries are distinct (each is at the one index its order
    // records), so counting them per account and side is enough.
    for (let a = 0; a < this.accountCapacity * 2; a++) {
      if (accountCounts[a] !== this.accountSideCount[a]) fail(`account ${a >> 1} side ${a & 1} count is wrong`);
    }
    for (let a = 0; a < this.accountCapacity; a++) {
      const entries = this.accountEntries[a]!;
      const used = this.accountUsed[a]!;
      if (used < 0 || used > entries.length) fail(`account ${a} uses ${used} of ${entries.length} entries`);
      let buys = 0;
      let sells = 0;
      for (let i = 0; i < used; i++) {
        const o = entries[i]!;
        if (o < 0 || o >= this.orderHighWater) fail(`account ${a} lists handle ${o}`);
        if (!this.isAccountEntry(a, i, o)) continue;
        if (orderInt[o * ORDER_INT_CELLS + ORDER_SIDE] === BUY) buys++;
        else sells++;
      }
      if (buys !== accountCounts[a * 2] || sells !== accountCounts[a * 2 + 1]) {
        fail(`account ${a} array holds ${buys} buys and ${sells} sells`);
      }
    }
  }
}

/**
 * Reports a broken invariant found by `checkInvariants`. The check is written as a test before the call, so the
 * message is built only on failure and checking a million orders allocates nothing while all is well (a message
 * function per check can cost an allocation per order).
 */
/** The array of every account that has not had an order yet; it has no room, so it is never written. */
const NO_ENTRIES = new Int32Array(0);

function fail(message: string): never {
  throw new InvariantError(message);
}

function resizeFloat64(array: Float64Array, capacity: number, kept: number): Float64Array<ArrayBuffer> {
  const resized = new Float64Array(capacity);
  resized.set(array.subarray(0, kept));
  return resized;
}

function resizeInt32(array: Int32Array, capacity: number, kept: number): Int32Array<ArrayBuffer> {
  const resized = new Int32Array(capacity);
  resized.set(array.subarray(0, kept));
  return resized;
}
