/**
 * Units at the simulation's edges. The engine speaks integers only: prices in tiyn per tonne (1 tenge = 100 tiyn),
 * quantities in kilograms, money in tiyn. People and scenarios speak tenge per tonne and tenge per litre. Every
 * conversion between the two lives here, so the density (kg per litre, from the scenario) is applied in one place.
 *
 * Promise: `toTiynPerTonne` and `toLotKg` return whole numbers on the engine's grid (tick, lot), rounding in the
 * direction the caller names, so an agent never sends a price or quantity the engine would refuse as off-grid.
 */

export const TIYN_PER_TENGE = 100;
export const KG_PER_TONNE = 1000;
export const MS_PER_DAY = 86_400_000;

/** tenge/t → tiyn/t on the tick grid. */
export function toTiynPerTonne(tengePerTonne: number, tickTiyn: number, round: "down" | "up" | "nearest"): number {
  const exact = (tengePerTonne * TIYN_PER_TENGE) / tickTiyn;
  const ticks = round === "down" ? Math.floor(exact) : round === "up" ? Math.ceil(exact) : Math.round(exact);
  return Math.max(1, ticks) * tickTiyn;
}

export function tengePerTonne(tiynPerTonne: number): number {
  return tiynPerTonne / TIYN_PER_TENGE;
}

/** tenge per tonne → tenge per litre at a density in kg per litre. */
export function tengePerLitre(tengePerTonneValue: number, densityKgPerLitre: number): number {
  return (tengePerTonneValue / KG_PER_TONNE) * densityKgPerLitre;
}

/** tenge per litre → tenge per tonne at a density in kg per litre. */
export function tengePerTonneFromLitre(tengePerLitreValue: number, densityKgPerLitre: number): number {
  return (tengePerLitreValue / densityKgPerLitre) * KG_PER_TONNE;
}

/** A quantity in kg rounded down to whole lots (never negative). */
export function toLotKg(kg: number, lotKg: number): number {
  return kg <= 0 ? 0 : Math.floor(kg / lotKg) * lotKg;
}

/** Rounds for output: a fixed number of decimals, so the same run prints the same bytes. */
export function fixed(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  return Object.is(rounded, -0) ? 0 : rounded;
}
