/**
 * Seeded workloads for the engine benchmark: a continuous-trading order stream with scheduled cancels, a deep
 * single-level queue, and a call auction's order book. Everything is generated once, up front, into typed arrays,
 * so the timed loops only read memory; the same seed gives the same workload on every machine and every run.
 *
 * The generator knows nothing about any order book. Whether an order crosses on arrival, and whether its cancel
 * still finds it resting, is decided by the book under test; the benchmark checks that all books agree.
 */

import { Random } from "../src/simulator/random.ts";

/**
 * The distributions a workload draws from, on top of the simulator's seeded generator (src/simulator/random.ts, the
 * project's one generator); one named stream per workload.
 */
export class WorkloadRandom {
  private readonly random: Random;

  constructor(seed: number, stream = "bench-workload") {
    this.random = new Random(seed, stream);
  }

  /** Uniform in (0, 1]: never 0, so `Math.log` of it is finite. */
  nextUnit(): number {
    return 1 - this.random.next();
  }

  /** Uniform integer in [low, high]. */
  nextInt(low: number, high: number): number {
    return low + Math.floor(this.random.next() * (high - low + 1));
  }

  /** Exponentially distributed with the given mean: -mean·ln(u). */
  nextExponential(mean: number): number {
    return -mean * Math.log(this.nextUnit());
  }

  /** Standard normal. */
  nextNormal(): number {
    return this.random.normal();
  }
}

export const BUY_CODE = 0;
export const SELL_CODE = 1;

/** Accounts per side. Buyers use even account numbers and sellers odd ones, so no order ever meets its own account. */
export const ACCOUNTS_PER_SIDE = 16;

export interface ContinuousParameters {
  readonly seed: number;
  readonly orderCount: number;
  /** Mean resting lifetime, counted in orders that arrive after it. */
  readonly lifetimeMeanOrders: number;
  readonly midPriceTicks: number;
  readonly quantityMax: number;
  /** Share of orders priced through the far side of the spread. Tuned so that about 30% actually trade on arrival. */
  readonly aggressiveShare: number;
  /** Mean distance of a passive order from its side of the spread. */
  readonly passiveDepthMeanTicks: number;
  /** Chance per order that the mid price moves one tick, up or down with equal odds. */
  readonly midStepChance: number;
}

export interface ContinuousWorkload {
  readonly parameters: ContinuousParameters;
  readonly orderCount: number;
  /** BUY_CODE or SELL_CODE. */
  readonly side: Uint8Array;
  readonly priceTicks: Int32Array;
  readonly quantity: Int32Array;
  readonly account: Int32Array;
  /**
   * Cancels due right after order `i` is entered are `cancelOrder[cancelStart[i]] .. cancelOrder[cancelStart[i + 1] - 1]`,
   * in ascending order index. A cancel is sent only if the order is still resting then; cancels that would fall due
   * after the last order are never sent.
   */
  readonly cancelStart: Int32Array;
  readonly cancelOrder: Int32Array;
  readonly lowestPriceTicks: number;
  readonly highestPriceTicks: number;
}

export function continuousWorkload(parameters: ContinuousParameters): ContinuousWorkload {
  const { orderCount, midPriceTicks, quantityMax, lifetimeMeanOrders } = parameters;
  const random = new WorkloadRandom(parameters.seed);
  const side = new Uint8Array(orderCount);
  const priceTicks = new Int32Array(orderCount);
  const quantity = new Int32Array(orderCount);
  const account = new Int32Array(orderCount);
  const dueAfter = new Int32Array(orderCount);
  let mid = midPriceTicks;
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < orderCount; i++) {
    if (random.nextUnit() < parameters.midStepChance) mid += random.nextUnit() < 0.5 ? -1 : 1;
    const s = random.nextUnit() < 0.5 ? BUY_CODE : SELL_CODE;
    const direction = s === BUY_CODE ? 1 : -1;
    let price: number;
    if (random.nextUnit() < parameters.aggressiveShare) {
      // Through the spread: a buy priced one to three ticks above the mid reaches the asks near the top.
      price = mid + direction * random.nextInt(1, 3);
    } else {
      price = mid - direction * (1 + Math.floor(random.nextExponential(parameters.passiveDepthMeanTicks)));
    }
    if (price < 1) throw new Error(`workload price ${price} fell below one tick; raise midPriceTicks`);
    side[i] = s;
    priceTicks[i] = price;
    quantity[i] = random.nextInt(1, quantityMax);
    account[i] = random.nextInt(0, ACCOUNTS_PER_SIDE - 1) * 2 + s;
    const lifetime = Math.floor(random.nextExponential(lifetimeMeanOrders));
    dueAfter[i] = lifetime < orderCount - i ? i + lifetime : -1;
    if (price < lowest) lowest = price;
    if (price > highest) highest = price;
  }

  // Counting sort of the cancels by the order after which they fall due; ties keep ascending order index.
  const cancelStart = new Int32Array(orderCount + 1);
  for (let i = 0; i < orderCount; i++) {
    const due = dueAfter[i]!;
    if (due >= 0) cancelStart[due + 1]!++;
  }
  for (let i = 0; i < orderCount; i++) cancelStart[i + 1]! += cancelStart[i]!;
  const cancelOrder = new Int32Array(cancelStart[orderCount]!);
  const fill = cancelStart.slice(0, orderCount);
  for (let i = 0; i < orderCount; i++) {
    const due = dueAfter[i]!;
    if (due >= 0) cancelOrder[fill[due]!++] = i;
  }
  return {
    parameters,
    orderCount,
    side,
    priceTicks,
    quantity,
    account,
    cancelStart,
    cancelOrder,
    lowestPriceTicks: lowest,
    highestPriceTicks: highest,
  };
}

/** A random permutation of 0 .. count - 1 (Fisher–Yates). */
export function shuffledIndices(count: number, random: WorkloadRandom): Int32Array {
  const indices = new Int32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = random.nextInt(0, i);
    const swap = indices[i]!;
    indices[i] = indices[j]!;
    indices[j] = swap;
  }
  return indices;
}

export interface AuctionWorkload {
  readonly orderCount: number;
  readonly side: Uint8Array;
  readonly priceTicks: Int32Array;
  readonly quantity: Int32Array;
  readonly account: Int32Array;
  readonly referencePriceTicks: number;
}

export interface AuctionParameters {
  readonly seed: number;
  readonly orderCount: number;
  readonly midPriceTicks: number;
  /** Standard deviation of the limit prices on each side. */
  readonly spreadTicks: number;
  /** Buy limits centre this far below the mid, sell limits this far above it: the larger, the less executes. */
  readonly centreOffsetTicks: number;
  readonly quantityMax: number;
}

/**
 * Limit orders for a call auction: buy and sell limits spread normally around centres on either side of the mid, so
 * both sides have hundreds of price levels and the overlap of the two centres sets how much of the book executes.
 */
export function auctionWorkload(parameters: AuctionParameters): AuctionWorkload {
  const { seed, orderCount, midPriceTicks, spreadTicks, centreOffsetTicks, quantityMax } = parameters;
  const random = new WorkloadRandom(seed);
  const side = new Uint8Array(orderCount);
  const priceTicks = new Int32Array(orderCount);
  const quantity = new Int32Array(orderCount);
  const account = new Int32Array(orderCount);
  for (let i = 0; i < orderCount; i++) {
    const s = random.nextUnit() < 0.5 ? BUY_CODE : SELL_CODE;
    const centre = s === BUY_CODE ? midPriceTicks - centreOffsetTicks : midPriceTicks + centreOffsetTicks;
    const price = Math.round(centre + spreadTicks * random.nextNormal());
    if (price < 1) throw new Error(`auction price ${price} fell below one tick; raise midPriceTicks`);
    side[i] = s;
    priceTicks[i] = price;
    quantity[i] = random.nextInt(1, quantityMax);
    account[i] = random.nextInt(0, ACCOUNTS_PER_SIDE - 1) * 2 + s;
  }
  return { orderCount, side, priceTicks, quantity, account, referencePriceTicks: midPriceTicks };
}
