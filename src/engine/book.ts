/**
 * The order book of one instrument: the hot path of the exchange.
 *
 * Layout. Orders and price levels live in struct-of-arrays typed arrays and are named by integer handles that are
 * recycled through free lists, so placing, matching and cancelling an order allocates nothing once the arrays have
 * grown to the working size. Client order ids never reach this file: the layer above maps them to handles.
 * - Each price level holds a doubly linked FIFO of its orders (`prev`/`next`), its total open quantity and its count.
 * - Each side keeps its levels in a sorted array of keys with the best level LAST, so taking or removing the best
 *   level is a pop. The key is the price for bids and the negated price for asks, so both arrays ascend.
 * - Each account has a doubly linked list of its resting orders (`accountPrev`/`accountNext`) for mass cancel, and a
 *   per-side count that lets FOK skip the self-trade walk when the account has nothing on the other side.
 * - During order collection (auction phases) market orders wait in a FIFO per side, outside the price levels.
 *
 * Ordering invariant. Inside a level, orders are in arrival order (time priority); across levels, by price. Outside
 * order collection the book is never crossed: the best bid is below the best ask.
 *
 * Semantics. Trades print at the resting (maker) order's price. A quantity decrease keeps time priority; any other
 * change is cancel + new order, done by the layer above. Self-trade prevention applies whenever the incoming order
 * meets a resting order of its own account. FOK counts only liquidity ahead of the first own resting order.
 *
 * Complexity. Cancel and quantity decrease: O(1), plus O(levels) array shifting when a level empties away from the
 * top. New order: O(log levels) to find its level (O(1) at or near the top), O(1) per fill. Auction: O(levels) to find
 * the price, O(1) per fill to allocate.
 *
 * Reporting. An operation writes what happened into `this.report` (fills, cancelled makers, the taker's outcome),
 * which the caller must read before the next operation: the handles of orders that left the book stay readable in
 * the report until then, and are reused afterwards.
 *
 * Limitations. Quantities and prices are numbers that must be safe integers (checked above this layer); totals stay
 * exact because order size and book size are bounded so every sum is below 2^53. No self-trade prevention inside a
 * call auction: an auction has no incoming order, and surveillance reports an account that crossed itself.
 */

import { invariant } from "../domain/errors.ts";

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

const INITIAL_ORDER_CAPACITY = 1024;
const INITIAL_LEVEL_CAPACITY = 256;
const INITIAL_ACCOUNT_CAPACITY = 64;
const INITIAL_REPORT_CAPACITY = 64;

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
    if (i === this.fillMaker.length) this.growFills();
    this.fillMaker[i] = maker;
    this.fillPrice[i] = price;
    this.fillQuantity[i] = quantity;
    this.fillMakerOpen[i] = makerOpen;
    this.fillCount = i + 1;
  }

  pushCancel(handle: number, quantity: number, reason: number): void {
    const i = this.cancelCount;
    if (i === this.cancelHandle.length) this.growCancels();
    this.cancelHandle[i] = handle;
    this.cancelQuantity[i] = quantity;
    this.cancelReason[i] = reason;
    this.cancelAtFill[i] = this.fillCount;
    this.cancelCount = i + 1;
  }

  private growFills(): void {
    const n = this.fillMaker.length * 2;
    this.fillMaker = growInt32(this.fillMaker, n);
    this.fillPrice = growFloat64(this.fillPrice, n);
    this.fillQuantity = growFloat64(this.fillQuantity, n);
    this.fillMakerOpen = growFloat64(this.fillMakerOpen, n);
    this.fillBuyer = growInt32(this.fillBuyer, n);
    this.fillBuyerOpen = growFloat64(this.fillBuyerOpen, n);
  }

  private growCancels(): void {
    const n = this.cancelHandle.length * 2;
    this.cancelHandle = growInt32(this.cancelHandle, n);
    this.cancelQuantity = growFloat64(this.cancelQuantity, n);
    this.cancelAtFill = growInt32(this.cancelAtFill, n);
    const reasons = new Uint8Array(n);
    reasons.set(this.cancelReason);
    this.cancelReason = reasons;
  }
}

/** Aggregated supply and demand of a book in order collection, ascending by price: the auction's input. */
export interface AuctionCurve {
  /** Distinct limit prices of both sides, ascending. */
  readonly prices: Float64Array;
  /** Buy quantity with a limit exactly at `prices[i]`. */
  readonly buyAt: Float64Array;
  /** Sell quantity with a limit exactly at `prices[i]`. */
  readonly sellAt: Float64Array;
  readonly length: number;
  readonly marketBuy: number;
  readonly marketSell: number;
}

export class OrderBook {
  readonly report = new BookReport();

  // Orders (struct of arrays, indexed by handle).
  private orderCapacity = 0;
  private orderHighWater = 0;
  private orderFree = NIL;
  private orderLive = 0;
  private oPrice = new Float64Array(0);
  private oOpen = new Float64Array(0);
  private oSide = new Uint8Array(0);
  private oState = new Uint8Array(0);
  private oFlags = new Uint8Array(0);
  private oAccount = new Int32Array(0);
  private oLevel = new Int32Array(0);
  private oPrev = new Int32Array(0);
  private oNext = new Int32Array(0);
  private oAccountPrev = new Int32Array(0);
  private oAccountNext = new Int32Array(0);

  // Price levels.
  private levelCapacity = 0;
  private levelHighWater = 0;
  private levelFree = NIL;
  private lPrice = new Float64Array(0);
  private lQuantity = new Float64Array(0);
  private lCount = new Int32Array(0);
  private lHead = new Int32Array(0);
  private lTail = new Int32Array(0);

  // Per side: sorted level keys (ascending, best last) and the matching level handles.
  private readonly sideKeys: [Float64Array, Float64Array] = [new Float64Array(64), new Float64Array(64)];
  private readonly sideLevels: [Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64)];
  private readonly sideLength = [0, 0];

  // Market orders waiting for an auction, FIFO per side.
  private readonly marketHead = [NIL, NIL];
  private readonly marketTail = [NIL, NIL];
  private readonly marketQuantity = [0, 0];
  private readonly marketCount = [0, 0];

  // Accounts: head of each account's order list, and resting-order count per account and side.
  private accountCapacity = 0;
  private accountHead = new Int32Array(0);
  private accountSideCount = new Int32Array(0);

  constructor(orderCapacityHint = INITIAL_ORDER_CAPACITY) {
    this.growOrders(Math.max(16, orderCapacityHint));
    this.growLevels(INITIAL_LEVEL_CAPACITY);
    this.growAccounts(INITIAL_ACCOUNT_CAPACITY);
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
    return n === 0 ? Number.NaN : this.lPrice[this.sideLevels[side][n - 1]!]!;
  }

  /** The i-th level from the best (0 = best): price, open quantity and order count. */
  levelAt(side: SideCode, depth: number): { price: number; quantity: number; orders: number } | undefined {
    const n = this.sideLength[side]!;
    if (depth < 0 || depth >= n) return undefined;
    const level = this.sideLevels[side][n - 1 - depth]!;
    return { price: this.lPrice[level]!, quantity: this.lQuantity[level]!, orders: this.lCount[level]! };
  }

  isLive(handle: number): boolean {
    return handle >= 0 && handle < this.orderHighWater && this.oState[handle] !== STATE_FREE;
  }

  isResting(handle: number): boolean {
    return handle >= 0 && handle < this.orderHighWater && this.oState[handle] === STATE_RESTING;
  }

  priceOf(handle: number): number {
    return this.oPrice[handle]!;
  }

  openOf(handle: number): number {
    return this.oOpen[handle]!;
  }

  sideOf(handle: number): SideCode {
    return this.oSide[handle] as SideCode;
  }

  accountOf(handle: number): number {
    return this.oAccount[handle]!;
  }

  flagsOf(handle: number): number {
    return this.oFlags[handle]!;
  }

  isMarketQueued(handle: number): boolean {
    return this.oState[handle] === STATE_QUEUED_MARKET;
  }

  marketQueueQuantity(side: SideCode): number {
    return this.marketQuantity[side]!;
  }

  /**
   * Visits every live order of a side in priority order: queued market orders first (auction phases), then levels
   * from the best, each level in time order. The visitor must not change the book.
   */
  forEachOrder(side: SideCode, visit: (handle: number) => void): void {
    for (let o = this.marketHead[side]!; o !== NIL; o = this.oNext[o]!) visit(o);
    const levels = this.sideLevels[side];
    for (let i = this.sideLength[side]! - 1; i >= 0; i--) {
      for (let o = this.lHead[levels[i]!]!; o !== NIL; o = this.oNext[o]!) visit(o);
    }
  }

  /** Handles of an account's live orders, oldest first. */
  ordersOfAccount(account: number): number[] {
    const handles: number[] = [];
    if (account >= this.accountCapacity) return handles;
    for (let o = this.accountHead[account]!; o !== NIL; o = this.oAccountNext[o]!) handles.push(o);
    return handles.reverse();
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
    while (remaining > 0) {
      const n = this.sideLength[opposite]!;
      if (n === 0 || keys[n - 1]! < threshold) break;
      const level = levels[n - 1]!;
      const tradePrice = this.lPrice[level]!;
      let o = this.lHead[level]!;
      while (o !== NIL && remaining > 0) {
        const following = this.oNext[o]!;
        if (this.oAccount[o] === account) {
          if (stp === STP_CANCEL_MAKER || stp === STP_CANCEL_BOTH) {
            report.pushCancel(o, this.oOpen[o]!, REASON_SELF_TRADE);
            this.unlinkResting(o);
          }
          if (stp !== STP_CANCEL_MAKER) {
            selfTradeStop = true;
            break;
          }
        } else {
          const makerOpen = this.oOpen[o]!;
          const fill = Math.min(makerOpen, remaining);
          remaining -= fill;
          this.lQuantity[level] = this.lQuantity[level]! - fill;
          if (fill === makerOpen) {
            report.pushFill(o, tradePrice, fill, 0);
            this.oOpen[o] = 0;
            this.unlinkResting(o);
          } else {
            this.oOpen[o] = makerOpen - fill;
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
    let total = 0;
    for (let i = this.sideLength[side]! - 1; i >= 0 && keys[i]! >= threshold; i--) {
      const level = levels[i]!;
      if (!walkOrders) {
        total += this.lQuantity[level]!;
      } else {
        for (let o = this.lHead[level]!; o !== NIL; o = this.oNext[o]!) {
          if (this.oAccount[o] === account) return total;
          total += this.oOpen[o]!;
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
    const open = this.oOpen[handle]!;
    if (this.oState[handle] === STATE_QUEUED_MARKET) this.unlinkMarket(handle);
    else this.unlinkResting(handle);
    return open;
  }

  /** Lowers a resting order's open quantity, keeping its time priority. */
  reduce(handle: number, newOpen: number): void {
    invariant(this.isLive(handle), () => `reduce of handle ${handle}, which is not live`);
    const open = this.oOpen[handle]!;
    invariant(newOpen > 0 && newOpen < open, () => `reduce of handle ${handle} from ${open} to ${newOpen}`);
    this.oOpen[handle] = newOpen;
    if (this.oState[handle] === STATE_QUEUED_MARKET) {
      const side = this.oSide[handle]!;
      this.marketQuantity[side] = this.marketQuantity[side]! - (open - newOpen);
    } else {
      const level = this.oLevel[handle]!;
      this.lQuantity[level] = this.lQuantity[level]! - (open - newOpen);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Order collection and call auctions.

  /** Adds an order without matching (order collection): limits join their level, market orders the queue. */
  insert(side: SideCode, price: number, quantity: number, account: number, flags: number): number {
    if (account >= this.accountCapacity) this.growAccounts(account + 1);
    if ((flags & FLAG_MARKET) === 0) return this.rest(side, price, quantity, account, flags);
    const o = this.allocateOrder();
    this.oPrice[o] = side === BUY ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.oOpen[o] = quantity;
    this.oSide[o] = side;
    this.oFlags[o] = flags;
    this.oAccount[o] = account;
    this.oLevel[o] = NIL;
    this.oState[o] = STATE_QUEUED_MARKET;
    const tail = this.marketTail[side]!;
    this.oPrev[o] = tail;
    this.oNext[o] = NIL;
    if (tail === NIL) this.marketHead[side] = o;
    else this.oNext[tail] = o;
    this.marketTail[side] = o;
    this.marketQuantity[side] = this.marketQuantity[side]! + quantity;
    this.marketCount[side] = this.marketCount[side]! + 1;
    this.linkAccount(o, account, side);
    return o;
  }

  /** Supply and demand by price, for finding the auction price. Allocates arrays the size of the book. */
  auctionCurve(): AuctionCurve {
    const bidKeys = this.sideKeys[BUY];
    const bidLevels = this.sideLevels[BUY];
    const askKeys = this.sideKeys[SELL];
    const askLevels = this.sideLevels[SELL];
    const bidCount = this.sideLength[BUY]!;
    const askCount = this.sideLength[SELL]!;
    const capacity = bidCount + askCount;
    const prices = new Float64Array(capacity);
    const buyAt = new Float64Array(capacity);
    const sellAt = new Float64Array(capacity);
    // Bids ascend from index 0; asks ascend in price from the last index down (their keys are negated prices).
    let b = 0;
    let a = askCount - 1;
    let n = 0;
    while (b < bidCount || a >= 0) {
      const bidPrice = b < bidCount ? bidKeys[b]! : Number.POSITIVE_INFINITY;
      const askPrice = a >= 0 ? -askKeys[a]! : Number.POSITIVE_INFINITY;
      if (bidPrice <= askPrice) {
        prices[n] = bidPrice;
        buyAt[n] = this.lQuantity[bidLevels[b]!]!;
        b++;
        if (bidPrice === askPrice) {
          sellAt[n] = this.lQuantity[askLevels[a]!]!;
          a--;
        }
      } else {
        prices[n] = askPrice;
        sellAt[n] = this.lQuantity[askLevels[a]!]!;
        a--;
      }
      n++;
    }
    return {
      prices,
      buyAt,
      sellAt,
      length: n,
      marketBuy: this.marketQuantity[BUY]!,
      marketSell: this.marketQuantity[SELL]!,
    };
  }

  /**
   * Executes `volume` at one uniform `price`: buyers and sellers in priority order (queued market orders, then by
   * price, then by time) are paired until the volume is done; market orders left over are cancelled. Each pair is a
   * fill in the report with the seller in `fillMaker` and the buyer in `fillBuyer`. The caller found `price` and
   * `volume` from `auctionCurve()`; this checks that the book can deliver them.
   */
  uncross(price: number, volume: number): void {
    const report = this.report;
    report.reset();
    let left = volume;
    let buyer = this.nextAuctionOrder(BUY, price);
    let seller = this.nextAuctionOrder(SELL, price);
    while (left > 0) {
      invariant(buyer !== NIL && seller !== NIL, () => `auction at ${price} ran out of orders with ${left} to go`);
      const buyOpen = this.oOpen[buyer]!;
      const sellOpen = this.oOpen[seller]!;
      let fill = Math.min(buyOpen, sellOpen);
      if (left < fill) fill = left;
      left -= fill;
      const i = report.fillCount;
      report.pushFill(seller, price, fill, sellOpen - fill);
      report.fillBuyer[i] = buyer;
      report.fillBuyerOpen[i] = buyOpen - fill;
      this.takeFromOrder(seller, fill);
      this.takeFromOrder(buyer, fill);
      if (buyOpen === fill) buyer = this.nextAuctionOrder(BUY, price);
      if (sellOpen === fill) seller = this.nextAuctionOrder(SELL, price);
    }
    for (const side of [BUY, SELL] as const) {
      for (let o = this.marketHead[side]!; o !== NIL; o = this.marketHead[side]!) {
        report.pushCancel(o, this.oOpen[o]!, REASON_AUCTION_REMAINDER);
        this.unlinkMarket(o);
      }
    }
  }

  /** The highest-priority order on a side that can execute at `price`, or NIL. */
  private nextAuctionOrder(side: SideCode, price: number): number {
    const queued = this.marketHead[side]!;
    if (queued !== NIL) return queued;
    const n = this.sideLength[side]!;
    if (n === 0) return NIL;
    const level = this.sideLevels[side][n - 1]!;
    const levelPrice = this.lPrice[level]!;
    const executable = side === BUY ? levelPrice >= price : levelPrice <= price;
    return executable ? this.lHead[level]! : NIL;
  }

  private takeFromOrder(o: number, fill: number): void {
    const open = this.oOpen[o]! - fill;
    if (this.oState[o] === STATE_QUEUED_MARKET) {
      const side = this.oSide[o]!;
      this.marketQuantity[side] = this.marketQuantity[side]! - fill;
      this.oOpen[o] = open;
      if (open === 0) this.unlinkMarket(o);
    } else {
      const level = this.oLevel[o]!;
      this.lQuantity[level] = this.lQuantity[level]! - fill;
      this.oOpen[o] = open;
      if (open === 0) this.unlinkResting(o);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Structure.

  private rest(side: SideCode, price: number, quantity: number, account: number, flags: number): number {
    const o = this.allocateOrder();
    const level = this.levelFor(side, price);
    this.oPrice[o] = price;
    this.oOpen[o] = quantity;
    this.oSide[o] = side;
    this.oFlags[o] = flags;
    this.oAccount[o] = account;
    this.oLevel[o] = level;
    this.oState[o] = STATE_RESTING;
    const tail = this.lTail[level]!;
    this.oPrev[o] = tail;
    this.oNext[o] = NIL;
    if (tail === NIL) this.lHead[level] = o;
    else this.oNext[tail] = o;
    this.lTail[level] = o;
    this.lQuantity[level] = this.lQuantity[level]! + quantity;
    this.lCount[level] = this.lCount[level]! + 1;
    this.linkAccount(o, account, side);
    return o;
  }

  /** Removes a resting order from its level (dropping the level when it empties) and frees it. */
  private unlinkResting(o: number): void {
    const level = this.oLevel[o]!;
    const prev = this.oPrev[o]!;
    const next = this.oNext[o]!;
    if (prev === NIL) this.lHead[level] = next;
    else this.oNext[prev] = next;
    if (next === NIL) this.lTail[level] = prev;
    else this.oPrev[next] = prev;
    this.lQuantity[level] = this.lQuantity[level]! - this.oOpen[o]!;
    const count = this.lCount[level]! - 1;
    this.lCount[level] = count;
    if (count === 0) this.removeLevel(this.oSide[o] as SideCode, level);
    this.unlinkAccount(o);
    this.freeOrder(o);
  }

  private unlinkMarket(o: number): void {
    const side = this.oSide[o]!;
    const prev = this.oPrev[o]!;
    const next = this.oNext[o]!;
    if (prev === NIL) this.marketHead[side] = next;
    else this.oNext[prev] = next;
    if (next === NIL) this.marketTail[side] = prev;
    else this.oPrev[next] = prev;
    this.marketQuantity[side] = this.marketQuantity[side]! - this.oOpen[o]!;
    this.marketCount[side] = this.marketCount[side]! - 1;
    this.unlinkAccount(o);
    this.freeOrder(o);
  }

  private linkAccount(o: number, account: number, side: SideCode): void {
    const head = this.accountHead[account]!;
    this.oAccountPrev[o] = NIL;
    this.oAccountNext[o] = head;
    if (head !== NIL) this.oAccountPrev[head] = o;
    this.accountHead[account] = o;
    const countIndex = account * 2 + side;
    this.accountSideCount[countIndex] = this.accountSideCount[countIndex]! + 1;
  }

  private unlinkAccount(o: number): void {
    const account = this.oAccount[o]!;
    const prev = this.oAccountPrev[o]!;
    const next = this.oAccountNext[o]!;
    if (prev === NIL) this.accountHead[account] = next;
    else this.oAccountNext[prev] = next;
    if (next !== NIL) this.oAccountPrev[next] = prev;
    const countIndex = account * 2 + this.oSide[o]!;
    this.accountSideCount[countIndex] = this.accountSideCount[countIndex]! - 1;
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
      keys = growFloat64(keys, n * 2);
      levels = growInt32(levels, n * 2);
      this.sideKeys[side] = keys;
      this.sideLevels[side] = levels;
    }
    if (position < n) {
      keys.copyWithin(position + 1, position, n);
      levels.copyWithin(position + 1, position, n);
    }
    const level = this.allocateLevel();
    this.lPrice[level] = price;
    this.lQuantity[level] = 0;
    this.lCount[level] = 0;
    this.lHead[level] = NIL;
    this.lTail[level] = NIL;
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
      const key = side === BUY ? this.lPrice[level]! : -this.lPrice[level]!;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (keys[mid]! < key) lo = mid + 1;
        else hi = mid;
      }
      invariant(levels[lo] === level, () => `level at price ${this.lPrice[level]} missing from its side`);
      position = lo;
      keys.copyWithin(position, position + 1, n);
      levels.copyWithin(position, position + 1, n);
    }
    this.sideLength[side] = n - 1;
    this.lHead[level] = this.levelFree;
    this.levelFree = level;
  }

  private allocateOrder(): number {
    let o = this.orderFree;
    if (o !== NIL) {
      this.orderFree = this.oNext[o]!;
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

  private freeOrder(o: number): void {
    this.oState[o] = STATE_FREE;
    this.oNext[o] = this.orderFree;
    this.orderFree = o;
    this.orderLive--;
  }

  private allocateLevel(): number {
    const level = this.levelFree;
    if (level !== NIL) {
      this.levelFree = this.lHead[level]!;
      return level;
    }
    if (this.levelHighWater === this.levelCapacity) this.growLevels(this.levelCapacity * 2);
    return this.levelHighWater++;
  }

  private growOrders(capacity: number): void {
    this.oPrice = growFloat64(this.oPrice, capacity);
    this.oOpen = growFloat64(this.oOpen, capacity);
    this.oSide = growUint8(this.oSide, capacity);
    this.oState = growUint8(this.oState, capacity);
    this.oFlags = growUint8(this.oFlags, capacity);
    this.oAccount = growInt32(this.oAccount, capacity);
    this.oLevel = growInt32(this.oLevel, capacity);
    this.oPrev = growInt32(this.oPrev, capacity);
    this.oNext = growInt32(this.oNext, capacity);
    this.oAccountPrev = growInt32(this.oAccountPrev, capacity);
    this.oAccountNext = growInt32(this.oAccountNext, capacity);
    this.orderCapacity = capacity;
  }

  private growLevels(capacity: number): void {
    this.lPrice = growFloat64(this.lPrice, capacity);
    this.lQuantity = growFloat64(this.lQuantity, capacity);
    this.lCount = growInt32(this.lCount, capacity);
    this.lHead = growInt32(this.lHead, capacity);
    this.lTail = growInt32(this.lTail, capacity);
    this.levelCapacity = capacity;
  }

  private growAccounts(minimum: number): void {
    let capacity = Math.max(this.accountCapacity, INITIAL_ACCOUNT_CAPACITY);
    while (capacity < minimum) capacity *= 2;
    const head = new Int32Array(capacity).fill(NIL);
    head.set(this.accountHead);
    this.accountHead = head;
    this.accountSideCount = growInt32(this.accountSideCount, capacity * 2);
    this.accountCapacity = capacity;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Self-check, for tests and audits: O(orders).

  /** Checks every structural invariant; throws `InvariantError` naming the first that fails. */
  checkInvariants(allowCrossed = false): void {
    let live = 0;
    for (const side of [BUY, SELL] as const) {
      const keys = this.sideKeys[side];
      const levels = this.sideLevels[side];
      const n = this.sideLength[side]!;
      for (let i = 0; i < n; i++) {
        if (i > 0) invariant(keys[i - 1]! < keys[i]!, () => `side ${side} keys not ascending at ${i}`);
        const level = levels[i]!;
        const price = this.lPrice[level]!;
        invariant(keys[i] === (side === BUY ? price : -price), () => `level key ${keys[i]} for price ${price}`);
        let sum = 0;
        let count = 0;
        let prev = NIL;
        for (let o = this.lHead[level]!; o !== NIL; o = this.oNext[o]!) {
          invariant(this.oState[o] === STATE_RESTING, () => `order ${o} in level ${price} is not resting`);
          invariant(this.oLevel[o] === level && this.oPrice[o] === price, () => `order ${o} in wrong level`);
          invariant(this.oSide[o] === side, () => `order ${o} on wrong side`);
          invariant(this.oPrev[o] === prev, () => `order ${o} has a broken back link`);
          invariant(this.oOpen[o]! > 0, () => `order ${o} rests with open quantity ${this.oOpen[o]}`);
          sum += this.oOpen[o]!;
          count++;
          prev = o;
        }
        invariant(this.lTail[level] === prev, () => `level ${price} tail is wrong`);
        invariant(count > 0, () => `level ${price} is empty but listed`);
        invariant(sum === this.lQuantity[level], () => `level ${price} quantity ${this.lQuantity[level]} != ${sum}`);
        invariant(count === this.lCount[level], () => `level ${price} count ${this.lCount[level]} != ${count}`);
        live += count;
      }
      let queued = 0;
      let queuedCount = 0;
      for (let o = this.marketHead[side]!; o !== NIL; o = this.oNext[o]!) {
        invariant(this.oState[o] === STATE_QUEUED_MARKET, () => `order ${o} in market queue is not queued`);
        queued += this.oOpen[o]!;
        queuedCount++;
      }
      invariant(queued === this.marketQuantity[side], () => `market queue ${side} quantity is wrong`);
      invariant(queuedCount === this.marketCount[side], () => `market queue ${side} count is wrong`);
      live += queuedCount;
    }
    invariant(live === this.orderLive, () => `live orders ${this.orderLive} != ${live} found in the book`);
    if (!allowCrossed && this.sideLength[BUY]! > 0 && this.sideLength[SELL]! > 0) {
      invariant(
        this.bestPrice(BUY) < this.bestPrice(SELL),
        () => `book crossed: bid ${this.bestPrice(BUY)} >= ask ${this.bestPrice(SELL)}`,
      );
    }
    let accountOrders = 0;
    for (let a = 0; a < this.accountCapacity; a++) {
      const counts = [0, 0];
      for (let o = this.accountHead[a]!; o !== NIL; o = this.oAccountNext[o]!) {
        invariant(this.oAccount[o] === a && this.oState[o] !== STATE_FREE, () => `account list ${a} holds ${o}`);
        counts[this.oSide[o]!]!++;
        accountOrders++;
      }
      invariant(
        counts[0] === this.accountSideCount[a * 2] && counts[1] === this.accountSideCount[a * 2 + 1],
        () => `account ${a} side counts are wrong`,
      );
    }
    invariant(accountOrders === this.orderLive, () => `account lists hold ${accountOrders} of ${this.orderLive}`);
  }
}

function growFloat64(array: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(capacity);
  grown.set(array.subarray(0, Math.min(array.length, capacity)));
  return grown;
}

function growInt32(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(array.subarray(0, Math.min(array.length, capacity)));
  return grown;
}

function growUint8(array: Uint8Array, capacity: number): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(capacity);
  grown.set(array.subarray(0, Math.min(array.length, capacity)));
  return grown;
}
