/**
 * Types for the part of the `limit-order-book` package (plain CommonJS, no types of its own) that the engine
 * benchmark uses. Written from the package's source, lib/book.js, lib/queue.js, lib/level.js and lib/orders.js;
 * prices and sizes are decimal strings throughout.
 */

declare module "limit-order-book" {
  export type LobSide = "bid" | "ask";

  export class LimitOrder {
    constructor(orderId: string, side: LobSide, price: string, size: string);
    readonly orderId: string;
    readonly side: LobSide;
    readonly price: string;
    readonly sizeRemaining: string;
  }

  export interface LobLevel {
    readonly price: string;
    /** Open quantity of the level, as a decimal string. */
    readonly volume: string;
    readonly queue: readonly LimitOrder[];
  }

  export interface LobLevelQueue {
    /** Levels best first. */
    readonly queue: readonly LobLevel[];
  }

  export interface LobResult {
    readonly taker: { readonly sizeRemaining: string };
    readonly makers: readonly { readonly orderId: string; readonly sizeRemaining: string }[];
  }

  export class LimitOrderBook {
    constructor(options?: { symbol?: string; priceStep?: string; sizeStep?: string });
    readonly bidLevels: LobLevelQueue;
    readonly askLevels: LobLevelQueue;
    add(order: LimitOrder): LobResult;
    /** Removes a resting order; null when it is not in the book. */
    remove(orderId: string): LimitOrder | null;
  }
}
