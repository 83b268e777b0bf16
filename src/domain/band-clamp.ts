/**
 * Whether a refusal of a price outside the band (ORDER_PRICE_OUTSIDE_BAND's details: the band in force `low`–`high`,
 * the `reference` and `bandPercent` of the day's band) met a band that a price ceiling or floor clamped, and how:
 * the engine's sentence (journaled) names the band in force as if it were ±bandPercent around the reference, which a
 * clamped band is not (market-rules.md §2: "trades only at 100,000: the ceiling caps today's band"). Shared by the
 * server's sentences (messages.ts) and the page's (web/src/errors.ts).
 *
 * The day's band is ±bandPercent around the reference rounded inward to the tick, so an end more than a hundredth of
 * the half-width inside it was clamped. `ceilingOnly`/`floorOnly`: the band is one price (orders trade only there);
 * `ceiling`/`floor`: one end moved. Null when neither or both ends moved, or the details are not a band's.
 */

export type BandClamp = "ceilingOnly" | "floorOnly" | "ceiling" | "floor";

export function bandClampOf(details: Readonly<Record<string, unknown>>): BandClamp | null {
  const { low, high, reference, bandPercent } = details;
  if (typeof low !== "number" || typeof high !== "number" || typeof reference !== "number") return null;
  if (typeof bandPercent !== "number" || !(bandPercent > 0)) return null;
  const half = (reference * bandPercent) / 100;
  const slack = half / 100;
  const capped = high < reference + half - slack;
  const lifted = low > reference - half + slack;
  if (capped === lifted) return null;
  if (capped) return low === high ? "ceilingOnly" : "ceiling";
  return low === high ? "floorOnly" : "floor";
}
