/**
 * Validation against what was observed: a scenario may list observations (`observed`), each a figure in a region over
 * dates with its source, and a run reports the model's figure beside each and the error. Measures:
 *
 * - `wholesale`: the volume-weighted exchange price of the sessions that traded delivery to the region in the months
 *   the dates cover, wherever those sessions were held (with `rules.nextMonthFromDay`, January's delivery trades from
 *   December on: "January wholesale" is what January's deliveries cost, as the observed figure is);
 * - `retailPeak`: the highest daily retail price in the region over the dates.
 *
 * An observation is a range `low`..`high` (a point when equal). The error is the model's distance from the range as a
 * percentage of the nearest bound (0 inside it), signed: negative when the model is below.
 *
 * Promise: pure; rows in the order of the observations.
 */

import type { SimulationResult, ValidationRow } from "./results.ts";
import type { Observation } from "./scenario.ts";

export function validationRows(
  observed: readonly Observation[],
  r: Omit<SimulationResult, "validation" | "assumptions">,
): ValidationRow[] {
  return observed.map((o) => {
    let model: number | null = null;
    if (o.measure === "wholesale") {
      const first = o.from.slice(0, 7);
      const last = o.until.slice(0, 7);
      let tonnes = 0;
      let value = 0;
      for (const x of r.sessions) {
        if (x.region !== o.region || x.delivery < first || x.delivery > last) continue;
        if (x.priceTengePerTonne === null || x.volumeTonnes <= 0) continue;
        tonnes += x.volumeTonnes;
        value += x.volumeTonnes * x.priceTengePerTonne;
      }
      model = tonnes > 0 ? Math.round(value / tonnes) : null;
    } else {
      const series = r.regionSeries[o.region]!;
      const days = r.dates.flatMap((d, i) => (d >= o.from && d <= o.until ? [i] : []));
      if (days.length > 0) model = Math.round(100 * Math.max(...days.map((i) => series.retailTengePerLitre[i]!))) / 100;
    }
    let errorPercent: number | null = null;
    if (model !== null) {
      const off = model < o.low ? (model - o.low) / o.low : model > o.high ? (model - o.high) / o.high : 0;
      errorPercent = Math.round(1000 * off) / 10;
    }
    return { ...o, model, errorPercent };
  });
}
