/**
 * A deliberately simple oracle for the uniform-price call auction, for property tests of `findAuctionPrice` and
 * `runAuction`. It works straight from the order list: for every candidate price it sums the orders that could
 * execute there and applies the rule's steps literally, one filter after another. It is slow (orders × prices) and
 * shares no code with the engine, so agreement between the two means something.
 *
 * The rule it states (docs/market-rules.md, src/engine/auction.ts): candidates are the distinct limit prices; keep
 * those with the highest executable volume, then those with the lowest surplus; a buy surplus at every one picks the
 * highest, a sell surplus at every one the lowest; one left is the price; otherwise the reference price if it lies
 * between the lowest and highest (inclusive), else the nearer of the two. Market orders count at every price and fill
 * first. No limit prices but market orders on both sides: the reference price. Nothing executable: no price.
 */

export interface OracleOrder {
  readonly id: string;
  readonly side: "buy" | "sell";
  /** null: a market order. */
  readonly price: number | null;
  readonly quantity: number;
}

export interface OraclePrice {
  readonly kind: "price";
  readonly price: number | null;
  readonly volume: number;
  readonly surplus: number;
  readonly surplusSide: "buy" | "sell" | null;
  /** Filled quantity per order, in input order (0 for orders that do not execute). */
  readonly filled: readonly number[];
}

export interface OracleNeedsReference {
  readonly kind: "needs-reference";
  /** The highest executable volume, which is known even though the price is not. */
  readonly volume: number;
}

export type OracleOutcome = OraclePrice | OracleNeedsReference;

interface AtPrice {
  readonly price: number;
  readonly demand: number;
  readonly supply: number;
  readonly volume: number;
  readonly surplus: number;
}

function buysAt(order: OracleOrder, price: number): boolean {
  return order.side === "buy" && (order.price === null || order.price >= price);
}

function sellsAt(order: OracleOrder, price: number): boolean {
  return order.side === "sell" && (order.price === null || order.price <= price);
}

function evaluate(orders: readonly OracleOrder[], price: number): AtPrice {
  let demand = 0;
  let supply = 0;
  for (const order of orders) {
    if (buysAt(order, price)) demand += order.quantity;
    if (sellsAt(order, price)) supply += order.quantity;
  }
  return { price, demand, supply, volume: Math.min(demand, supply), surplus: Math.abs(demand - supply) };
}

/** Fills at `price`: on each side, market orders first, then better limits, then earlier orders, up to `volume`. */
function allocate(orders: readonly OracleOrder[], price: number, volume: number): number[] {
  const filled = orders.map(() => 0);
  for (const side of ["buy", "sell"] as const) {
    const executable = orders
      .map((order, index) => ({ order, index }))
      .filter(({ order }) => (side === "buy" ? buysAt(order, price) : sellsAt(order, price)));
    // Sort keys: market orders before limits; among limits the better price first; ties keep input (time) order.
    const rank = (order: OracleOrder): number => {
      if (order.price === null) return Number.NEGATIVE_INFINITY;
      return side === "buy" ? -order.price : order.price;
    };
    executable.sort((a, b) => rank(a.order) - rank(b.order) || a.index - b.index);
    let left = volume;
    for (const { order, index } of executable) {
      const fill = Math.min(left, order.quantity);
      filled[index] = fill;
      left -= fill;
    }
  }
  return filled;
}

function priced(orders: readonly OracleOrder[], at: AtPrice): OraclePrice {
  const surplusSide = at.demand > at.supply ? "buy" : at.supply > at.demand ? "sell" : null;
  return {
    kind: "price",
    price: at.price,
    volume: at.volume,
    surplus: at.surplus,
    surplusSide,
    filled: allocate(orders, at.price, at.volume),
  };
}

export function oracleAuction(orders: readonly OracleOrder[], referencePrice: number | null): OracleOutcome {
  const nothing: OraclePrice = {
    kind: "price",
    price: null,
    volume: 0,
    surplus: 0,
    surplusSide: null,
    filled: orders.map(() => 0),
  };
  const limits = [...new Set(orders.flatMap((order) => (order.price === null ? [] : [order.price])))].sort(
    (a, b) => a - b,
  );

  if (limits.length === 0) {
    const marketBuy = orders.filter((o) => o.side === "buy").reduce((sum, o) => sum + o.quantity, 0);
    const marketSell = orders.filter((o) => o.side === "sell").reduce((sum, o) => sum + o.quantity, 0);
    const volume = Math.min(marketBuy, marketSell);
    if (volume === 0) return nothing;
    if (referencePrice === null) return { kind: "needs-reference", volume };
    return priced(orders, evaluate(orders, referencePrice));
  }

  const all = limits.map((price) => evaluate(orders, price));
  const volumeMax = Math.max(...all.map((at) => at.volume));
  if (volumeMax === 0) return nothing;
  const mostVolume = all.filter((at) => at.volume === volumeMax);
  const surplusMin = Math.min(...mostVolume.map((at) => at.surplus));
  const left = mostVolume.filter((at) => at.surplus === surplusMin);
  const lowest = left[0]!;
  const highest = left[left.length - 1]!;

  if (left.every((at) => at.demand > at.supply)) return priced(orders, highest);
  if (left.every((at) => at.supply > at.demand)) return priced(orders, lowest);
  if (left.length === 1) return priced(orders, lowest);
  if (referencePrice === null) return { kind: "needs-reference", volume: volumeMax };
  if (referencePrice <= lowest.price) return priced(orders, lowest);
  if (referencePrice >= highest.price) return priced(orders, highest);
  return priced(orders, evaluate(orders, referencePrice));
}
