/**
 * The regulator's safeguards for one instrument: what they are, how they are checked, and the limits that follow
 * from them. All are off by default (a bare book behaves as before); each is set by a `safeguards.set` command that
 * carries a reason, so every change is in the journal with who made it and why.
 *
 * - Static price band: limit prices must lie within ±`bandBps` of the band reference price, which is the previous
 *   session's volume-weighted average price (or the instrument's reference price before any session traded).
 * - Dynamic circuit breaker: in continuous trading, a trade that would print more than `breakerBps` away from the last
 *   traded price does not happen; continuous trading stops and a volatility auction of `breakerAuctionMs` starts,
 *   with the incoming order's remainder in it.
 * - Hard ceiling and floor: no order may be priced above the ceiling or below the floor. The ceiling path is a list of
 *   future ceilings with the time each takes effect (small steps over months); the one in force is the latest whose
 *   time has come. When a limit tightens, resting orders now outside it are cancelled (reason `price-limit`).
 * - Buyer limits: at most `maxShareBps` of the quantity offered in the session per buyer account (counting what it
 *   bought and what it bids), at most `maxActiveOrders` live orders per account, at most `maxLotsPerOrder` lots per
 *   order; and, when `eligibleCategories` is set, only buyers of those categories may bid.
 *
 * Prices are integers (tiyn per tonne); band limits are rounded inward to the tick, so a price on the band's edge is
 * always allowed and a price outside never is.
 *
 * The band in force is the static band clipped to the ceiling and the floor: each end of the band is clamped into
 * [floor, ceiling] (`clipBand`). The ceiling and the floor win over the band, so a valid price always exists: when
 * the whole band lies above the ceiling, the ceiling alone is a valid price (and the next session's band recentres
 * on what traded there); when the whole band lies below the floor, the floor alone is. Without the clip, a band whose
 * low end is above the ceiling would leave no valid price and the instrument would stop trading until the ceiling
 * rose (docs/market-rules.md, "Price limits").
 */

import { BPS_PER_UNIT } from "../domain/collateral.ts";
import {
  ACTIVE_ORDERS_LIMIT_MAX,
  AUCTION_MS_MAX,
  AUCTION_MS_MIN,
  BAND_BPS_MAX,
  CEILING_PATH_STEPS_MAX,
} from "../domain/limits.ts";
import { ORDER_PRICE_MAX, ORDER_QUANTITY_MAX } from "../domain/order.ts";
import type { BuyerCategory } from "./members.ts";

export interface CeilingStep {
  readonly effectiveFromMs: number;
  readonly ceiling: number;
}

export interface Safeguards {
  readonly bandBps: number | null;
  readonly breakerBps: number | null;
  readonly breakerAuctionMs: number;
  readonly ceiling: number | null;
  readonly floor: number | null;
  /** Ascending by time; steps already in force are folded into `ceiling` as time passes. */
  readonly ceilingPath: readonly CeilingStep[];
  readonly maxShareBps: number | null;
  readonly maxActiveOrders: number | null;
  readonly maxLotsPerOrder: number | null;
  readonly eligibleCategories: readonly BuyerCategory[] | null;
  /** Length of the auction that resumes trading after a halt. */
  readonly resumptionAuctionMs: number;
}

export const NO_SAFEGUARDS: Safeguards = {
  bandBps: null,
  breakerBps: null,
  breakerAuctionMs: 120_000,
  ceiling: null,
  floor: null,
  ceilingPath: [],
  maxShareBps: null,
  maxActiveOrders: null,
  maxLotsPerOrder: null,
  eligibleCategories: null,
  resumptionAuctionMs: 300_000,
};

export interface Band {
  readonly low: number;
  readonly high: number;
}

/** The band around `reference`, rounded inward to the tick; null when there is no band or no reference. */
export function bandAround(reference: number | null, bandBps: number | null, tickSize: number): Band | null {
  if (reference === null || bandBps === null) return null;
  const lowExact = (reference * (BPS_PER_UNIT - bandBps)) / BPS_PER_UNIT;
  const highExact = (reference * (BPS_PER_UNIT + bandBps)) / BPS_PER_UNIT;
  return {
    low: Math.max(tickSize, Math.ceil(lowExact / tickSize) * tickSize),
    high: Math.floor(highExact / tickSize) * tickSize,
  };
}

/**
 * The band in force: `band` with each end clamped into [floor, ceiling] (either may be absent). The ends stay on the
 * tick (ceiling and floor are on it) and low <= high whenever the band's own low <= high (floor <= ceiling always).
 */
export function clipBand(band: Band | null, ceiling: number | null, floor: number | null): Band | null {
  if (band === null) return null;
  return { low: clamp(band.low, ceiling, floor), high: clamp(band.high, ceiling, floor) };
}

/** `price` moved into [floor, ceiling] (either may be absent). */
function clamp(price: number, ceiling: number | null, floor: number | null): number {
  const aboveFloor = floor === null ? price : Math.max(price, floor);
  return ceiling === null ? aboveFloor : Math.min(aboveFloor, ceiling);
}

/**
 * The prices a continuous trade may print at without tripping the breaker: ±`breakerBps` around the last price,
 * inclusive, not rounded to the tick (trades print at resting orders' prices, which are on it).
 */
export function breakerRange(lastPrice: number | null, breakerBps: number | null): Band | null {
  if (lastPrice === null || breakerBps === null) return null;
  return {
    low: (lastPrice * (BPS_PER_UNIT - breakerBps)) / BPS_PER_UNIT,
    high: (lastPrice * (BPS_PER_UNIT + breakerBps)) / BPS_PER_UNIT,
  };
}

/** The ceiling in force at `nowMs` and the path steps still to come. */
export function ceilingAt(safeguards: Safeguards, nowMs: number): { ceiling: number | null; path: CeilingStep[] } {
  let ceiling = safeguards.ceiling;
  const path: CeilingStep[] = [];
  for (const step of safeguards.ceilingPath) {
    if (step.effectiveFromMs <= nowMs) ceiling = step.ceiling;
    else path.push(step);
  }
  return { ceiling, path };
}

/** The price limits an order meets, and what is still to come. */
export interface PriceLimits {
  /** Centre of the static band: the previous session's weighted average, or the listed or set reference. */
  readonly bandReference: number | null;
  /** The band in force: the static band clipped to the ceiling and the floor in force (`clipBand`). */
  readonly band: Band | null;
  /**
   * The static band (±bandBps around the band reference, rounded inward to the tick) before the ceiling and the floor
   * clamp it: what the ceiling or floor is compared with when a reader is told it caps or lifts the day's band.
   */
  readonly staticBand: Band | null;
  readonly ceiling: number | null;
  readonly floor: number | null;
  /** Ceiling-path steps whose time has not come. */
  readonly ceilingStepsToCome: readonly CeilingStep[];
  /** Most of a session's offered quantity one buyer account may hold (bought plus bidding); null: no limit. */
  readonly maxShareBps: number | null;
}

/**
 * The limits in force at `nowMs` from an instrument's safeguards, band reference and tick: the one composition of
 * the rules above that every reader uses (the read side at the journal's time, the policy lab on its engine's
 * time). The engine's own checks use the same rules on its state, in which ceiling steps are folded in as their time
 * comes, so at the time of the last command both give the same limits.
 */
export function priceLimitsAt(
  safeguards: Safeguards,
  bandReference: number | null,
  tickSize: number,
  nowMs: number,
): PriceLimits {
  const { ceiling, path } = ceilingAt(safeguards, nowMs);
  const staticBand = bandAround(bandReference, safeguards.bandBps, tickSize);
  return {
    bandReference,
    band: clipBand(staticBand, ceiling, safeguards.floor),
    staticBand,
    ceiling,
    floor: safeguards.floor,
    ceilingStepsToCome: path,
    maxShareBps: safeguards.maxShareBps,
  };
}

/** Checks a whole safeguards value; returns what is wrong as a phrase, or null. */
export function checkSafeguards(s: Safeguards, tickSize: number, lotSize: number): string | null {
  const bps = (name: string, value: number | null, max = BAND_BPS_MAX) =>
    value === null || (Number.isSafeInteger(value) && value >= 1 && value <= max)
      ? null
      : `${name} ${JSON.stringify(value)} must be a whole number of basis points from 1 to ${max}`;
  const price = (name: string, value: number | null) =>
    value === null ||
    (Number.isSafeInteger(value) && value >= tickSize && value <= ORDER_PRICE_MAX && value % tickSize === 0)
      ? null
      : `${name} ${JSON.stringify(value)} must be a price on the tick ${tickSize}`;
  const duration = (name: string, value: number) =>
    Number.isSafeInteger(value) && value >= AUCTION_MS_MIN && value <= AUCTION_MS_MAX
      ? null
      : `${name} ${JSON.stringify(value)} must be from ${AUCTION_MS_MIN.toLocaleString("en-US")} ms to ${AUCTION_MS_MAX.toLocaleString("en-US")} ms`;
  const count = (name: string, value: number | null, max: number) =>
    value === null || (Number.isSafeInteger(value) && value >= 1 && value <= max)
      ? null
      : `${name} ${JSON.stringify(value)} must be a whole number from 1 to ${max}`;
  const problem =
    bps("bandBps", s.bandBps) ??
    bps("breakerBps", s.breakerBps) ??
    duration("breakerAuctionMs", s.breakerAuctionMs) ??
    duration("resumptionAuctionMs", s.resumptionAuctionMs) ??
    price("ceiling", s.ceiling) ??
    price("floor", s.floor) ??
    bps("maxShareBps", s.maxShareBps, BPS_PER_UNIT) ??
    count("maxActiveOrders", s.maxActiveOrders, ACTIVE_ORDERS_LIMIT_MAX) ??
    count("maxLotsPerOrder", s.maxLotsPerOrder, Math.floor(ORDER_QUANTITY_MAX / lotSize));
  if (problem) return problem;
  if (s.ceiling !== null && s.floor !== null && s.floor > s.ceiling) {
    return `floor ${s.floor} is above the ceiling ${s.ceiling}`;
  }
  if (!Array.isArray(s.ceilingPath) || s.ceilingPath.length > CEILING_PATH_STEPS_MAX) {
    return `ceilingPath must be a list of at most ${CEILING_PATH_STEPS_MAX} steps`;
  }
  let previous = Number.NEGATIVE_INFINITY;
  for (const step of s.ceilingPath) {
    if (typeof step !== "object" || step === null || !Number.isSafeInteger(step.effectiveFromMs)) {
      return "each ceiling path step needs effectiveFromMs (ms since epoch) and a ceiling";
    }
    if (step.effectiveFromMs <= previous) return "ceiling path steps must be in strictly increasing time order";
    previous = step.effectiveFromMs;
    const bad = price("ceiling path step", step.ceiling);
    if (bad) return bad;
    if (s.floor !== null && step.ceiling < s.floor)
      return `ceiling path step ${step.ceiling} is below the floor ${s.floor}`;
  }
  if (s.eligibleCategories !== null && (!Array.isArray(s.eligibleCategories) || s.eligibleCategories.length === 0)) {
    return "eligibleCategories must be null (everyone) or a non-empty list of buyer categories";
  }
  return null;
}
