/**
 * Which constraint binds, per region and month: the tonnes each of five constraints held back (or, for export
 * capacity, kept at home), summed over the month's sessions, and the one that held back most.
 *
 * - `netback`: in a session, bids and offers both left unfilled (the producers asked more than the networks would
 *   pay) while export is open, so free gas is never offered below the export netback: min(unfilled bids, unsold
 *   offers) on each instrument delivering to the region.
 * - `ceiling` and `band`: free gas a plant kept off an instrument delivering to the region because its reservation
 *   price (the netback, or the floor when export is closed) was above the highest price allowed; the lower of the
 *   ceiling and the band's upper end names which.
 * - `buyerLimit`: bid quantity the region's networks gave up to stay within the buyer concentration limit.
 * - `exportCapacity`: free gas a plant wanted to export on a trading day beyond the month's export capacity left
 *   (gas kept at home, which lowers prices), shared over the regions it serves by its routes' plans.
 *
 * Agents and the runner report into one log per run (kilograms); `rows` gives tonnes. Deterministic: plain sums in
 * the order the run makes them.
 */

import { fixed } from "./units.ts";

export const CONSTRAINTS = ["netback", "ceiling", "band", "buyerLimit", "exportCapacity"] as const;
export type Constraint = (typeof CONSTRAINTS)[number];

export interface ConstraintRow {
  readonly month: string;
  readonly region: string;
  readonly netbackTonnes: number;
  readonly ceilingTonnes: number;
  readonly bandTonnes: number;
  readonly buyerLimitTonnes: number;
  readonly exportCapacityTonnes: number;
  /** The constraint with the most tonnes (ties: the first in `CONSTRAINTS`); null when none held anything back. */
  readonly binding: Constraint | null;
}

export class ConstraintLog {
  private month = "";
  private readonly kg = new Map<string, Record<Constraint, number>>();

  /** The month the following reports belong to. */
  setMonth(month: string): void {
    this.month = month;
  }

  add(region: string, constraint: Constraint, kg: number): void {
    if (!(kg > 0)) return;
    const key = `${this.month}|${region}`;
    let entry = this.kg.get(key);
    if (entry === undefined) {
      entry = { netback: 0, ceiling: 0, band: 0, buyerLimit: 0, exportCapacity: 0 };
      this.kg.set(key, entry);
    }
    entry[constraint] += kg;
  }

  /** One row per month and region, in the order given. */
  rows(months: readonly string[], regions: readonly string[]): ConstraintRow[] {
    const out: ConstraintRow[] = [];
    for (const month of months) {
      for (const region of regions) {
        const e = this.kg.get(`${month}|${region}`);
        const t = (c: Constraint) => fixed((e?.[c] ?? 0) / 1000, 0);
        let binding: Constraint | null = null;
        for (const c of CONSTRAINTS) if (t(c) > 0 && (binding === null || t(c) > t(binding))) binding = c;
        out.push({
          month,
          region,
          netbackTonnes: t("netback"),
          ceilingTonnes: t("ceiling"),
          bandTonnes: t("band"),
          buyerLimitTonnes: t("buyerLimit"),
          exportCapacityTonnes: t("exportCapacity"),
          binding,
        });
      }
    }
    return out;
  }
}
