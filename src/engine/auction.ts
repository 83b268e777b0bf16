/**
 * Uniform-price call auction: the price rule, as a pure function of aggregated supply and demand.
 *
 * The rule (the Xetra market model's, and sauda's market rules, docs/market-rules.md):
 * 1. The auction price is the price at which the executable volume is highest. Candidates are the limit prices in
 *    the book; market orders count at every price and execute first.
 * 2. If several candidates give that volume, keep those with the lowest surplus (unmatched volume at the price).
 * 3. If the surplus is on the buy side at every remaining candidate, the highest of them is the price; if it is on the
 *    sell side at every one, the lowest (market pressure).
 * 4. Otherwise (surpluses on both sides, or none): the reference price if it lies between the lowest and highest
 *    remaining candidate (inclusive), else the remaining candidate nearest to it. If only one candidate remains, it
 *    is the price and no reference price is needed.
 * 5. With no limit prices at all but market orders on both sides, the reference price is the price.
 * Nothing executable: no price, volume 0.
 *
 * When step 4 or 5 needs a reference price and none is given, the result says so and names why; the caller decides
 * what to do (the CLI exits, the engine rejects the uncross command).
 *
 * Complexity: O(distinct prices), two passes. All sums are exact: the book bounds every total below 2^53.
 */

import type { AuctionCurve } from "./book.ts";

export type SurplusSide = "buy" | "sell" | null;

export interface AuctionPrice {
  readonly kind: "price";
  /** The uniform price, or null when nothing can execute. */
  readonly price: number | null;
  readonly volume: number;
  /** Unmatched volume at the price: |demand - supply|. */
  readonly surplus: number;
  readonly surplusSide: SurplusSide;
}

export interface AuctionNeedsReference {
  readonly kind: "needs-reference";
  readonly reason: string;
  readonly volume: number;
}

export type AuctionOutcome = AuctionPrice | AuctionNeedsReference;

const NO_AUCTION: AuctionPrice = { kind: "price", price: null, volume: 0, surplus: 0, surplusSide: null };

export function findAuctionPrice(curve: AuctionCurve, referencePrice: number | null): AuctionOutcome {
  const n = curve.length;
  const { prices, buyAt, sellAt, marketBuy, marketSell } = curve;

  if (n === 0) {
    const volume = Math.min(marketBuy, marketSell);
    if (volume === 0) return NO_AUCTION;
    if (referencePrice === null) {
      return { kind: "needs-reference", reason: "only market orders are executable", volume };
    }
    return result(referencePrice, volume, marketBuy, marketSell);
  }

  // demand[i]: buy volume executable at prices[i] (market buys + buy limits at or above it).
  // supply[i]: sell volume executable at prices[i] (market sells + sell limits at or below it).
  const demand = new Float64Array(n);
  const supply = new Float64Array(n);
  let running = marketBuy;
  for (let i = n - 1; i >= 0; i--) {
    running += buyAt[i]!;
    demand[i] = running;
  }
  running = marketSell;
  for (let i = 0; i < n; i++) {
    running += sellAt[i]!;
    supply[i] = running;
  }

  // Steps 1 and 2 in one pass: highest volume, then lowest surplus. The remaining candidates are collected as the
  // index range [first, last] plus flags for the surplus sides seen (the remaining set need not be contiguous, but
  // only its extremes and its surplus sides matter).
  let bestVolume = 0;
  let bestSurplus = Number.POSITIVE_INFINITY;
  let first = -1;
  let last = -1;
  let anyBuySurplus = false;
  let anySellSurplus = false;
  let anyBalanced = false;
  for (let i = 0; i < n; i++) {
    const d = demand[i]!;
    const s = supply[i]!;
    const volume = Math.min(d, s);
    if (volume === 0 || volume < bestVolume) continue;
    const surplus = d > s ? d - s : s - d;
    if (volume > bestVolume || surplus < bestSurplus) {
      bestVolume = volume;
      bestSurplus = surplus;
      first = i;
      anyBuySurplus = false;
      anySellSurplus = false;
      anyBalanced = false;
    } else if (surplus > bestSurplus) {
      continue;
    }
    last = i;
    if (d > s) anyBuySurplus = true;
    else if (s > d) anySellSurplus = true;
    else anyBalanced = true;
  }
  if (bestVolume === 0) return NO_AUCTION;

  // Step 3: market pressure.
  if (anyBuySurplus && !anySellSurplus && !anyBalanced) return atIndex(last);
  if (anySellSurplus && !anyBuySurplus && !anyBalanced) return atIndex(first);
  // Step 4: one candidate left decides by itself.
  if (first === last) return atIndex(first);
  if (referencePrice === null) {
    return {
      kind: "needs-reference",
      reason: `${countLabel(anyBuySurplus, anySellSurplus)} between ${prices[first]} and ${prices[last]}`,
      volume: bestVolume,
    };
  }
  if (referencePrice <= prices[first]!) return atIndex(first);
  if (referencePrice >= prices[last]!) return atIndex(last);
  // The reference price lies strictly inside: demand there is that of the next candidate at or above it, supply
  // that of the last candidate at or below it.
  let above = first;
  while (prices[above]! < referencePrice) above++;
  const below = prices[above] === referencePrice ? above : above - 1;
  return result(referencePrice, bestVolume, demand[above]!, supply[below]!);

  function atIndex(i: number): AuctionPrice {
    return result(prices[i]!, bestVolume, demand[i]!, supply[i]!);
  }
}

function result(price: number, volume: number, demand: number, supply: number): AuctionPrice {
  const volumeAtPrice = Math.min(volume, demand, supply);
  if (demand > supply)
    return { kind: "price", price, volume: volumeAtPrice, surplus: demand - supply, surplusSide: "buy" };
  if (supply > demand)
    return { kind: "price", price, volume: volumeAtPrice, surplus: supply - demand, surplusSide: "sell" };
  return { kind: "price", price, volume: volumeAtPrice, surplus: 0, surplusSide: null };
}

function countLabel(buy: boolean, sell: boolean): string {
  if (buy && sell) return "candidate prices with surpluses on both sides";
  return "candidate prices with equal volume and surplus";
}
