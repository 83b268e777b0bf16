/**
 * A deliberately simple reference model of one instrument's continuous order book, for differential tests against
 * the engine. It reads the same JSON lines as `sauda replay` (src/cli/replay.ts) and produces the same kinds of
 * output: trades `{event:"trade",price,quantity,maker,taker}`, cancellations `{event:"cancelled",id,quantity,reason}`,
 * rejections `{event:"rejected",id,code}`, and the aggregated book `{event:"book",bids,asks}` best price first.
 *
 * Promise: the rules are implemented literally and plainly, so that a reader can check this file against them
 * line by line. Resting orders are one array of plain objects; every step is a linear scan or a sort by price, then
 * by arrival. Nothing is indexed, cached or recycled, and nothing here is shared with the engine.
 *
 * Choices where the rules are silent (the engine's conventions, stated here so a difference is a real one):
 * - Rejections are checked in this order: duplicate id, price, quantity, post-only combination (post-only is only
 *   valid on a limit order that may rest, so post-only with IOC, FOK or a market order is ORDER_POST_ONLY_INVALID).
 *   An amend checks: the id is known, the order rests, something is amended, price, quantity.
 * - A limit order without `tif` is GTC; a market order without `tif` is IOC. A market order never rests, whatever
 *   its TIF: its remainder is cancelled as `market-remainder` (FOK and self-trade still take precedence).
 * - An amend that changes neither price nor quantity keeps priority and does nothing else.
 * - Mass cancel cancels the account's resting orders oldest first, by the time each order was accepted (an amend
 *   does not make an order younger).
 * - Only accepted orders own their id: a rejected new order leaves its id unknown, and free for later use.
 */

export type ReferenceOutput =
  | { event: "trade"; price: number; quantity: number; maker: string; taker: string }
  | { event: "cancelled"; id: string; quantity: number; reason: string }
  | { event: "rejected"; id: string | null; code: string };

/** Levels as `[price, quantity, orders]`, best price first. */
export interface ReferenceBook {
  event: "book";
  bids: number[][];
  asks: number[][];
}

interface Order {
  id: string;
  account: string;
  side: "buy" | "sell";
  type: "limit" | "market";
  /** Null for market orders. */
  price: number | null;
  open: number;
  tif: string;
  postOnly: boolean;
  stp: string;
  status: "resting" | "filled" | "cancelled";
  /** When the order was accepted; never changes. */
  acceptedAt: number;
  /** Its place in time priority; renewed when an amend loses priority. */
  arrivedAt: number;
}

export class ReferenceBookModel {
  /** Every order ever accepted, by id. */
  private readonly known = new Map<string, Order>();
  /** Resting orders, both sides, in no particular order. */
  private resting: Order[] = [];
  private clock = 0;

  /** Processes one replay line; returns the trades, cancellations and rejections it caused, in order. */
  line(text: string): ReferenceOutput[] {
    const fields = JSON.parse(text) as Record<string, unknown>;
    const out: ReferenceOutput[] = [];
    const op = fields.op;
    if (op === "new") this.newOrder(fields, out);
    else if (op === "amend") this.amend(fields, out);
    else if (op === "cancel") this.cancel(fields, out);
    else if (op === "mass-cancel") this.massCancel(fields, out);
    else throw new Error(`reference model: unsupported op ${JSON.stringify(op)}`);
    return out;
  }

  book(): ReferenceBook {
    return { event: "book", bids: this.levels("buy"), asks: this.levels("sell") };
  }

  private levels(side: "buy" | "sell"): number[][] {
    const levels: number[][] = [];
    for (const order of this.inPriority(side)) {
      const last = levels[levels.length - 1];
      if (last && last[0] === order.price) {
        last[1] = last[1]! + order.open;
        last[2] = last[2]! + 1;
      } else {
        levels.push([order.price!, order.open, 1]);
      }
    }
    return levels;
  }

  /** Resting orders of a side, best price first, then earliest arrival. */
  private inPriority(side: "buy" | "sell"): Order[] {
    const orders = this.resting.filter((order) => order.side === side);
    orders.sort((a, b) => {
      if (a.price !== b.price) return side === "buy" ? b.price! - a.price! : a.price! - b.price!;
      return a.arrivedAt - b.arrivedAt;
    });
    return orders;
  }

  private newOrder(fields: Record<string, unknown>, out: ReferenceOutput[]): void {
    const id = fields.id as string;
    const type = (fields.type ?? "limit") as "limit" | "market";
    const tif = (fields.tif ?? (type === "limit" ? "GTC" : "IOC")) as string;
    const postOnly = fields.postOnly === true;
    let refusal: string | null = null;
    if (this.known.has(id)) refusal = "ORDER_ID_DUPLICATE";
    else if (type === "limit" && !isPositiveInteger(fields.price)) refusal = "ORDER_PRICE_INVALID";
    else if (!isPositiveInteger(fields.quantity)) refusal = "ORDER_QUANTITY_INVALID";
    else if (postOnly && (type === "market" || tif === "IOC" || tif === "FOK")) refusal = "ORDER_POST_ONLY_INVALID";
    if (refusal !== null) {
      out.push({ event: "rejected", id, code: refusal });
      return;
    }
    const order: Order = {
      id,
      account: fields.account as string,
      side: fields.side as "buy" | "sell",
      type,
      price: type === "limit" ? (fields.price as number) : null,
      open: fields.quantity as number,
      tif,
      postOnly,
      stp: (fields.stp ?? "cancel-taker") as string,
      status: "resting",
      acceptedAt: this.tick(),
      arrivedAt: 0,
    };
    this.known.set(id, order);
    this.arrive(order, out);
  }

  /** An incoming order (new, or amended with loss of priority) meets the book. */
  private arrive(taker: Order, out: ReferenceOutput[]): void {
    const opposite = this.inPriority(taker.side === "buy" ? "sell" : "buy");
    const crossing = opposite.filter((maker) => crosses(taker, maker));

    if (taker.postOnly && crossing.length > 0) {
      this.finish(taker, "post-only", out);
      return;
    }

    if (taker.tif === "FOK") {
      // Only liquidity ahead of the first own resting order counts.
      let available = 0;
      for (const maker of crossing) {
        if (maker.account === taker.account) break;
        available += maker.open;
      }
      if (available < taker.open) {
        this.finish(taker, "fok-unfilled", out);
        return;
      }
    }

    let selfTradeStop = false;
    for (const maker of crossing) {
      if (taker.open === 0) break;
      if (maker.account === taker.account) {
        if (taker.stp === "cancel-maker" || taker.stp === "cancel-both") this.finish(maker, "self-trade", out);
        if (taker.stp === "cancel-taker" || taker.stp === "cancel-both") {
          selfTradeStop = true;
          break;
        }
        continue;
      }
      const quantity = Math.min(taker.open, maker.open);
      out.push({ event: "trade", price: maker.price!, quantity, maker: maker.id, taker: taker.id });
      taker.open -= quantity;
      maker.open -= quantity;
      if (maker.open === 0) this.leaveBook(maker, "filled");
    }

    if (taker.open === 0) taker.status = "filled";
    else if (selfTradeStop) this.finish(taker, "self-trade", out);
    else if (taker.type === "market") this.finish(taker, "market-remainder", out);
    else if (taker.tif === "IOC") this.finish(taker, "ioc-remainder", out);
    else if (taker.tif === "FOK") throw new Error(`reference model: FOK ${taker.id} passed its check but did not fill`);
    else {
      taker.status = "resting";
      taker.arrivedAt = this.tick();
      this.resting.push(taker);
    }
  }

  private amend(fields: Record<string, unknown>, out: ReferenceOutput[]): void {
    const id = fields.id as string;
    let refusal = this.notResting(id);
    if (refusal === null) {
      if (fields.price === undefined && fields.quantity === undefined) refusal = "ORDER_AMEND_EMPTY";
      else if (fields.price !== undefined && !isPositiveInteger(fields.price)) refusal = "ORDER_PRICE_INVALID";
      else if (fields.quantity !== undefined && !isPositiveInteger(fields.quantity)) refusal = "ORDER_QUANTITY_INVALID";
    }
    if (refusal !== null) {
      out.push({ event: "rejected", id, code: refusal });
      return;
    }
    const order = this.known.get(id)!;
    const price = (fields.price ?? order.price) as number;
    const quantity = (fields.quantity ?? order.open) as number;
    if (price === order.price && quantity <= order.open) {
      // Same price, same or lower quantity: the order keeps its place.
      order.open = quantity;
      return;
    }
    // A price change or a quantity increase: the order leaves the book and arrives again.
    this.leaveBook(order, "resting");
    order.price = price;
    order.open = quantity;
    this.arrive(order, out);
  }

  private cancel(fields: Record<string, unknown>, out: ReferenceOutput[]): void {
    const id = fields.id as string;
    const refusal = this.notResting(id);
    if (refusal !== null) out.push({ event: "rejected", id, code: refusal });
    else this.finish(this.known.get(id)!, "requested", out);
  }

  /** Why an amend or cancel of `id` must be refused because the order is not resting, or null if it rests. */
  private notResting(id: string): string | null {
    const order = this.known.get(id);
    if (!order) return "ORDER_NOT_FOUND";
    if (order.status !== "resting") return "ORDER_NOT_RESTING";
    return null;
  }

  private massCancel(fields: Record<string, unknown>, out: ReferenceOutput[]): void {
    const mine = this.resting.filter((order) => order.account === fields.account);
    mine.sort((a, b) => a.acceptedAt - b.acceptedAt);
    for (const order of mine) this.finish(order, "mass-cancel", out);
  }

  /** Cancels an order's open quantity (resting or incoming) and reports it. */
  private finish(order: Order, reason: string, out: ReferenceOutput[]): void {
    out.push({ event: "cancelled", id: order.id, quantity: order.open, reason });
    order.open = 0;
    this.leaveBook(order, "cancelled");
  }

  private leaveBook(order: Order, status: Order["status"]): void {
    this.resting = this.resting.filter((other) => other !== order);
    order.status = status;
  }

  private tick(): number {
    this.clock += 1;
    return this.clock;
  }
}

function crosses(taker: Order, maker: Order): boolean {
  if (taker.type === "market") return true;
  return taker.side === "buy" ? maker.price! <= taker.price! : maker.price! >= taker.price!;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}
