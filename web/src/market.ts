/**
 * What the pages derive from an instrument's listing: its limits (band, ceiling, floor) wherever the server puts them,
 * whether it is halted, its tick and lot, and the density used for prices per litre (a reader's setting, kept in
 * localStorage, 0.55 kg/l unless changed).
 */

import { useSyncExternalStore } from "react";
import type { InstrumentQuote, LimitsInForce } from "./api/types.ts";
import { DENSITY_KG_PER_LITRE_DEFAULT } from "./format.ts";
import type { ResolvedLimits, ShownLimits } from "./order-checks.ts";

export { pinnedBy } from "./order-checks.ts";
export type { ResolvedLimits, ShownLimits };

/**
 * The band, ceiling, floor and most lots per order an order meets now: the listing's `limits` (or `inForce`, e.g. from
 * /api/regulator/safeguards), as the exchange computes them at the journal's time.
 */
export function limitsOf(quote: InstrumentQuote, inForce?: LimitsInForce | null): ShownLimits {
  const limits = inForce ?? quote.limits ?? null;
  return {
    band: limits?.band ? { low: limits.band.lowTiynPerTonne, high: limits.band.highTiynPerTonne } : null,
    staticBand: limits?.staticBand
      ? { low: limits.staticBand.lowTiynPerTonne, high: limits.staticBand.highTiynPerTonne }
      : null,
    ceiling: limits?.ceilingTiynPerTonne ?? null,
    floor: limits?.floorTiynPerTonne ?? null,
    maxLotsPerOrder: limits?.maxLotsPerOrder ?? null,
  };
}

export function isHalted(quote: InstrumentQuote): boolean {
  return quote.phase === "halted";
}

/** Why the instrument is halted, as the regulator said it (null when not halted or no reason was given). */
export function haltReason(quote: InstrumentQuote): string | null {
  return isHalted(quote) ? (quote.phaseChanged?.reason ?? null) : null;
}

/** Whether the listing carries this instrument's limits (so "none" can be told from "unknown"). */
export function limitsPublished(quote: InstrumentQuote): boolean {
  return quote.limits !== null;
}

/** Regions and plants in a stable order, instruments grouped by region then by plant (basis). */
export function byRegion(quotes: readonly InstrumentQuote[]): [string, InstrumentQuote[]][] {
  const groups = new Map<string, InstrumentQuote[]>();
  for (const quote of quotes) {
    const region = quote.info?.region ?? "—";
    const list = groups.get(region) ?? [];
    list.push(quote);
    groups.set(region, list);
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [, list] of sorted) {
    list.sort(
      (a, b) =>
        (a.info?.basis ?? "").localeCompare(b.info?.basis ?? "") ||
        (a.info?.deliveryPeriod ?? "").localeCompare(b.info?.deliveryPeriod ?? "") ||
        a.instrument.localeCompare(b.instrument),
    );
  }
  return sorted;
}

const DENSITY_KEY = "sauda.densityKgPerLitre";
const DENSITY_MIN = 0.4;
const DENSITY_MAX = 0.7;
const densityListeners = new Set<() => void>();

function readDensity(): number {
  const stored = Number(localStorage.getItem(DENSITY_KEY));
  return Number.isFinite(stored) && stored >= DENSITY_MIN && stored <= DENSITY_MAX
    ? stored
    : DENSITY_KG_PER_LITRE_DEFAULT;
}

export function setDensity(value: number): void {
  if (!Number.isFinite(value) || value < DENSITY_MIN || value > DENSITY_MAX) return;
  localStorage.setItem(DENSITY_KEY, String(value));
  for (const listener of densityListeners) listener();
}

export function useDensity(): number {
  return useSyncExternalStore((listener) => {
    densityListeners.add(listener);
    return () => densityListeners.delete(listener);
  }, readDensity);
}

export const DENSITY_RANGE = { min: DENSITY_MIN, max: DENSITY_MAX } as const;
