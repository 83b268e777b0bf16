/**
 * Drivers of one region: how much LPG they want at the retail prices of the region's filling-station networks, and
 * where they buy it.
 *
 * Demand responds to the average retail price R through a constant elasticity ε below the petrol-parity price P (the
 * price at which running on LPG stops paying; drivers switch to petrol, a much higher elasticity above it):
 *   g(R) = (R / P)^ε for R ≤ P,  (R / P)^ε_above for R > P;  demand(R) = base × g(R) / g(R₀),
 * with R₀ the region's reference retail price. Daily demand carries a seeded multiplicative noise.
 *
 * Between networks, drivers favour the cheaper: network i's share is proportional to its base share × (Rᵢ / R̄)^−σ.
 * A network that runs dry sends its drivers to the others while they have gas; demand that finds no gas anywhere in
 * the region is the shortage.
 */

import type { Random } from "./random.ts";

export interface DemandCurve {
  readonly elasticity: number;
  readonly petrolParityTengePerLitre: number;
  readonly elasticityAboveParity: number;
}

function g(retail: number, curve: DemandCurve): number {
  const ratio = retail / curve.petrolParityTengePerLitre;
  return ratio <= 1 ? ratio ** curve.elasticity : ratio ** curve.elasticityAboveParity;
}

/** Demand at `retail` relative to demand at `reference` (1 at the reference). */
export function demandFactor(retail: number, reference: number, curve: DemandCurve): number {
  return g(Math.max(retail, 0.01), curve) / g(reference, curve);
}

/** What a network offers the region's drivers today. */
export interface Station {
  readonly baseShare: number;
  readonly retailTengePerLitre: number;
  readonly stockKg: number;
}

export interface Served {
  readonly demandKg: number;
  readonly salesKg: number;
  readonly shortageKg: number;
  /** Per network: the drivers who came to it (before any went elsewhere) and what it sold. */
  readonly perStation: readonly { readonly demandKg: number; readonly salesKg: number }[];
  /** Base-share-weighted average retail price. */
  readonly averageRetailTengePerLitre: number;
}

export class Drivers {
  constructor(
    readonly region: string,
    /** Demand per day at the reference retail price (kg). */
    private readonly baseDailyKg: number,
    private readonly referenceRetailTengePerLitre: number,
    private readonly curve: DemandCurve,
    private readonly noise: number,
    private readonly choiceSensitivity: number,
    private readonly random: Random,
  ) {}

  get baseKgPerDay(): number {
    return this.baseDailyKg;
  }

  serve(stations: readonly Station[]): Served {
    let shareSum = 0;
    let weighted = 0;
    for (const s of stations) {
      shareSum += s.baseShare;
      weighted += s.baseShare * s.retailTengePerLitre;
    }
    const average = weighted / shareSum;
    const demandKg =
      this.baseDailyKg *
      this.random.lognormalFactor(this.noise) *
      demandFactor(average, this.referenceRetailTengePerLitre, this.curve);
    const pull = stations.map((s) => s.baseShare * (s.retailTengePerLitre / average) ** -this.choiceSensitivity);
    const pullSum = pull.reduce((a, b) => a + b, 0);
    const wanted = pull.map((p) => (demandKg * p) / pullSum);
    const sales = stations.map((s, i) => Math.min(wanted[i]!, s.stockKg));
    let unmet = 0;
    let leftoverSum = 0;
    for (let i = 0; i < stations.length; i++) {
      unmet += wanted[i]! - sales[i]!;
      leftoverSum += stations[i]!.stockKg - sales[i]!;
    }
    if (unmet > 0 && leftoverSum > 0) {
      const moved = Math.min(unmet, leftoverSum);
      for (let i = 0; i < stations.length; i++) {
        sales[i]! += (moved * (stations[i]!.stockKg - sales[i]!)) / leftoverSum;
      }
      unmet -= moved;
    }
    const salesKg = sales.reduce((a, b) => a + b, 0);
    return {
      demandKg,
      salesKg,
      shortageKg: Math.max(0, unmet),
      perStation: stations.map((_, i) => ({ demandKg: wanted[i]!, salesKg: sales[i]! })),
      averageRetailTengePerLitre: average,
    };
  }
}
