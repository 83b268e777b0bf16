/**
 * `sauda auction FILE.json`: computes one uniform-price call auction with the engine's own book and price rule.
 *
 * Input: `{"referencePrice":200,"orders":[{"id":"b1","side":"buy","price":200,"quantity":300}, ...]}`, orders in
 * time order, no `price` meaning a market order. Output: one line,
 * `{"price":P|null,"volume":V,"surplus":S,"surplusSide":"buy"|"sell"|null,"fills":[{"id","quantity"}]}` with the
 * fills of the orders that executed, in input order. When nothing can execute the price is null and the volume 0.
 * Bad input, or a price that needs a reference price when none is given, is an `AuctionInputError`.
 */

import { isSafeWholeNumber, ORDER_PRICE_MAX, ORDER_QUANTITY_MAX } from "../domain/order.ts";
import { findAuctionPrice } from "../engine/auction.ts";
import { BUY, EXEC_REST, FLAG_MARKET, OrderBook, SELL } from "../engine/book.ts";

export const AUCTION_ORDERS_MAX = 4_000_000;

export class AuctionInputError extends Error {
  override name = "AuctionInputError";
}

export interface AuctionResultLine {
  readonly price: number | null;
  readonly volume: number;
  readonly surplus: number;
  readonly surplusSide: "buy" | "sell" | null;
  readonly fills: { id: string; quantity: number }[];
}

interface AuctionOrderInput {
  readonly id: string;
  readonly side: "buy" | "sell";
  readonly price: number | null;
  readonly quantity: number;
}

export function parseAuctionInput(input: unknown): { referencePrice: number | null; orders: AuctionOrderInput[] } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new AuctionInputError("the input must be a JSON object with an 'orders' array");
  }
  const { referencePrice = null, orders } = input as { referencePrice?: unknown; orders?: unknown };
  if (
    referencePrice !== null &&
    !(isSafeWholeNumber(referencePrice) && referencePrice >= 1 && referencePrice <= ORDER_PRICE_MAX)
  ) {
    throw new AuctionInputError(
      `referencePrice ${JSON.stringify(referencePrice)} must be a whole number from 1 to ${ORDER_PRICE_MAX}`,
    );
  }
  if (!Array.isArray(orders)) throw new AuctionInputError("'orders' must be an array");
  if (orders.length > AUCTION_ORDERS_MAX) {
    throw new AuctionInputError(`${orders.length} orders given; at most ${AUCTION_ORDERS_MAX} are allowed`);
  }
  const seen = new Set<string>();
  const parsed = orders.map((order: unknown, index): AuctionOrderInput => {
    const where = `order ${index + 1}`;
    if (typeof order !== "object" || order === null) throw new AuctionInputError(`${where} is not an object`);
    const { id, side, price = null, quantity } = order as Record<string, unknown>;
    if (typeof id !== "string" || id === "") throw new AuctionInputError(`${where}: id must be a non-empty string`);
    if (seen.has(id)) throw new AuctionInputError(`${where}: id '${id}' is used twice`);
    seen.add(id);
    if (side !== "buy" && side !== "sell") {
      throw new AuctionInputError(`order '${id}': side ${JSON.stringify(side)} must be 'buy' or 'sell'`);
    }
    if (price !== null && !(isSafeWholeNumber(price) && price >= 1 && price <= ORDER_PRICE_MAX)) {
      throw new AuctionInputError(
        `order '${id}': price ${JSON.stringify(price)} must be a whole number from 1 to ${ORDER_PRICE_MAX}`,
      );
    }
    if (!(isSafeWholeNumber(quantity) && quantity >= 1 && quantity <= ORDER_QUANTITY_MAX)) {
      throw new AuctionInputError(
        `order '${id}': quantity ${JSON.stringify(quantity)} must be a whole number from 1 to ${ORDER_QUANTITY_MAX}`,
      );
    }
    return { id, side, price: price as number | null, quantity };
  });
  return { referencePrice: referencePrice as number | null, orders: parsed };
}

export function runAuction(input: unknown): AuctionResultLine {
  const { referencePrice, orders } = parseAuctionInput(input);
  const book = new OrderBook(orders.length);
  // Handle → input index. Handles are not reused before the auction ends, so this stays valid throughout.
  const indexOfHandle = new Map<number, number>();
  orders.forEach((order, index) => {
    const flags = EXEC_REST | (order.price === null ? FLAG_MARKET : 0);
    // Each order gets its own account: an auction has no self-trade prevention.
    const handle = book.insert(order.side === "buy" ? BUY : SELL, order.price ?? 0, order.quantity, index, flags);
    indexOfHandle.set(handle, index);
  });
  const outcome = findAuctionPrice(book.auctionCurve(), referencePrice);
  if (outcome.kind === "needs-reference") {
    throw new AuctionInputError(
      `the auction price needs a reference price (${outcome.reason}); give "referencePrice" in the input`,
    );
  }
  if (outcome.price === null) return { price: null, volume: 0, surplus: 0, surplusSide: null, fills: [] };
  book.uncross(outcome.price, outcome.volume);
  const report = book.report;
  const filled = new Array<number>(orders.length).fill(0);
  const add = (handle: number, quantity: number) => {
    const index = indexOfHandle.get(handle)!;
    filled[index] = filled[index]! + quantity;
  };
  for (let i = 0; i < report.fillCount; i++) {
    add(report.fillMaker[i]!, report.fillQuantity[i]!);
    add(report.fillBuyer[i]!, report.fillQuantity[i]!);
  }
  const fills: { id: string; quantity: number }[] = [];
  orders.forEach((order, index) => {
    if (filled[index]! > 0) fills.push({ id: order.id, quantity: filled[index]! });
  });
  return {
    price: outcome.price,
    volume: outcome.volume,
    surplus: outcome.surplus,
    surplusSide: outcome.surplusSide,
    fills,
  };
}
