/**
 * The order book of each instrument as the journal's events describe it, rebuilt for an alert's evidence: which orders
 * rest, at what price and open quantity, and the phase. From it, a snapshot at any moment: the best levels of each side
 * (price, open quantity, number of orders, and how much of it belongs to the alert's orders) and, while an auction
 * collects orders, its curve: at each limit price in the book, the quantity that would buy at that price or better
 * (`demandKg`) and that would sell (`supplyKg`), market orders counting at every price. Where the curves cross is where
 * the auction would uncross; a spoofer's or a limit bidder's order shows as a step in one of them.
 *
 * Events used: `order.accepted` (side, whether a market order), `order.rested` (rests at a price with an open
 * quantity), `order.amended` (a kept-priority reduction changes the open quantity; any other amend takes the order out
 * until it rests again), `trade` (each order's open quantity after it; 0 leaves the book), `order.cancelled` (leaves),
 * `phase.changed`. An order whose acceptance lies before the records read (a good-till order carried over from an
 * earlier session) cannot be placed: the first event naming it marks the book incomplete (`complete: false`).
 *
 * Limits: a snapshot gives at most `BOOK_LEVELS_MAX` levels per side and at most `CURVE_POINTS_MAX` curve points
 * (evenly chosen among the book's prices, always keeping the first and last, when there are more).
 *
 * Complexity: O(1) per event; a snapshot O(n log n) in the instrument's resting orders. Memory: one entry per order of
 * the records read that is still live.
 */

import type { EngineEvent } from "../engine/events.ts";
import type { Phase } from "../engine/phases.ts";
import type { Side } from "./records.ts";

export const BOOK_LEVELS_MAX = 10;
export const CURVE_POINTS_MAX = 100;

export interface BookLevel {
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly orders: number;
  /** Open quantity at this level of the orders the alert names. */
  readonly alertKg: number;
}

export interface CurvePoint {
  readonly priceTiynPerTonne: number;
  /** Open buy quantity at this price or higher, market buy orders included. */
  readonly demandKg: number;
  /** Open sell quantity at this price or lower, market sell orders included. */
  readonly supplyKg: number;
}

export interface BookView {
  readonly instrument: string;
  /** The phase as last changed in the records read; null before the first change seen. */
  readonly phase: Phase | null;
  /** Best first: highest bids, lowest asks. Market orders resting in an auction are not levels (see the curve). */
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  /** While orders are collected for an auction; null in other phases. */
  readonly curve: readonly CurvePoint[] | null;
  /** False when an order resting before the records read may be missing. */
  readonly complete: boolean;
}

interface LiveOrder {
  readonly instrument: string;
  readonly side: Side;
  readonly market: boolean;
  /** Null while not resting (accepted and trading, or amended and re-entering). */
  price: number | null;
  open: number;
}

export class BookReplay {
  private readonly orders = new Map<string, LiveOrder>();
  private readonly phases = new Map<string, Phase>();
  private readonly incomplete = new Set<string>();

  /** `alertOrders`: the orders whose open quantity each level reports apart. */
  constructor(private readonly alertOrders: ReadonlySet<string>) {}

  apply(events: readonly EngineEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case "order.accepted":
          this.orders.set(event.orderId, {
            instrument: event.instrument,
            side: event.side,
            market: event.orderType === "market",
            price: null,
            open: event.quantity,
          });
          break;
        case "order.rested": {
          const order = this.known(event.instrument, event.orderId);
          if (order === undefined) break;
          order.price = event.price;
          order.open = event.open;
          break;
        }
        case "order.amended": {
          const order = this.known(event.instrument, event.orderId);
          if (order === undefined) break;
          order.open = event.open;
          if (!event.priorityKept) order.price = null;
          break;
        }
        case "trade":
          this.filled(event.instrument, event.buyOrderId, event.buyOpen);
          this.filled(event.instrument, event.sellOrderId, event.sellOpen);
          break;
        case "order.cancelled":
          if (this.known(event.instrument, event.orderId) !== undefined) this.orders.delete(event.orderId);
          break;
        case "phase.changed":
          this.phases.set(event.instrument, event.to);
          break;
        default:
          break;
      }
    }
  }

  /** The instrument's book as it stands. */
  view(instrument: string): BookView {
    const bids = new Map<number, { quantityKg: number; orders: number; alertKg: number }>();
    const asks = new Map<number, { quantityKg: number; orders: number; alertKg: number }>();
    let marketBuyKg = 0;
    let marketSellKg = 0;
    for (const [id, order] of this.orders) {
      if (order.instrument !== instrument || order.price === null || order.open <= 0) continue;
      if (order.market) {
        if (order.side === "buy") marketBuyKg += order.open;
        else marketSellKg += order.open;
        continue;
      }
      const levels = order.side === "buy" ? bids : asks;
      let level = levels.get(order.price);
      if (level === undefined) {
        level = { quantityKg: 0, orders: 0, alertKg: 0 };
        levels.set(order.price, level);
      }
      level.quantityKg += order.open;
      level.orders += 1;
      if (this.alertOrders.has(id)) level.alertKg += order.open;
    }
    const bidPrices = [...bids.keys()].sort((a, b) => b - a);
    const askPrices = [...asks.keys()].sort((a, b) => a - b);
    const levelsOf = (prices: readonly number[], levels: typeof bids): BookLevel[] =>
      prices.slice(0, BOOK_LEVELS_MAX).map((price) => ({ priceTiynPerTonne: price, ...levels.get(price)! }));
    const phase = this.phases.get(instrument) ?? null;
    return {
      instrument,
      phase,
      bids: levelsOf(bidPrices, bids),
      asks: levelsOf(askPrices, asks),
      curve: phase === "collection" ? curveOf(bids, asks, marketBuyKg, marketSellKg) : null,
      complete: !this.incomplete.has(instrument),
    };
  }

  /** The order if its acceptance was read; otherwise the instrument's book is marked incomplete. */
  private known(instrument: string, orderId: string): LiveOrder | undefined {
    const order = this.orders.get(orderId);
    if (order === undefined) this.incomplete.add(instrument);
    return order;
  }

  private filled(instrument: string, orderId: string, open: number): void {
    const order = this.known(instrument, orderId);
    if (order === undefined) return;
    if (open === 0) this.orders.delete(orderId);
    else order.open = open;
  }
}

/** The auction's curves at each limit price in the book (see the header). */
function curveOf(
  bids: ReadonlyMap<number, { quantityKg: number }>,
  asks: ReadonlyMap<number, { quantityKg: number }>,
  marketBuyKg: number,
  marketSellKg: number,
): CurvePoint[] {
  const prices = [...new Set([...bids.keys(), ...asks.keys()])].sort((a, b) => a - b);
  // Demand at p: buys at p or higher, summed from the top; supply at p: sells at p or lower, summed from the bottom.
  const demand = new Array<number>(prices.length);
  let sum = marketBuyKg;
  for (let i = prices.length - 1; i >= 0; i--) {
    sum += bids.get(prices[i]!)?.quantityKg ?? 0;
    demand[i] = sum;
  }
  const points: CurvePoint[] = [];
  sum = marketSellKg;
  for (let i = 0; i < prices.length; i++) {
    sum += asks.get(prices[i]!)?.quantityKg ?? 0;
    points.push({ priceTiynPerTonne: prices[i]!, demandKg: demand[i]!, supplyKg: sum });
  }
  if (points.length <= CURVE_POINTS_MAX) return points;
  const kept: CurvePoint[] = [];
  for (let k = 0; k < CURVE_POINTS_MAX; k++) {
    kept.push(points[Math.round((k * (points.length - 1)) / (CURVE_POINTS_MAX - 1))]!);
  }
  return kept;
}
