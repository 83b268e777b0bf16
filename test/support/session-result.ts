/**
 * Closed session results (src/projections/sessions.ts) made by hand, for the tests of what is computed from them (the
 * price indices, the demo market's national index): one trade at one price, one buyer and one seller.
 */

import type { SessionResult } from "../../src/projections/sessions.ts";
import { T0 } from "./engine-run.ts";

/** A two-hour session of `tonnes` traded at one price, closed at `endMs`. */
export function closedSession(
  instrument: string,
  priceTiynPerTonne: number,
  tonnes: number,
  endMs = T0,
): SessionResult {
  const volumeKg = BigInt(tonnes * 1000);
  const valueMilliTiyn = BigInt(priceTiynPerTonne) * volumeKg;
  return {
    instrument,
    session: 1,
    startSeq: 1,
    startMs: endMs - 7_200_000,
    endSeq: 2,
    endMs,
    referencePriceTiynPerTonne: null,
    openTiynPerTonne: priceTiynPerTonne,
    highTiynPerTonne: priceTiynPerTonne,
    lowTiynPerTonne: priceTiynPerTonne,
    closeTiynPerTonne: priceTiynPerTonne,
    vwapTiynPerTonne: priceTiynPerTonne,
    trades: 1,
    volumeKg,
    valueMilliTiyn,
    valueTiyn: valueMilliTiyn / 1000n,
    offeredKg: volumeKg,
    bidKg: volumeKg,
    buyers: 1,
    sellers: 1,
  };
}
