/**
 * What a buy order blocks on a cleared instrument: a guarantee deposit (collateral) and the exchange fee, each a rate
 * in basis points of the order's value, rounded up to whole tiyn per tonne, times the tonnes. The one statement of the
 * rule: the engine blocks exactly this, and the web application shows exactly this before an order is sent (the
 * rates are public in each instrument's view, so a client computes the block without asking the server).
 *
 * Promises: integer arithmetic only (inputs are integer tiyn per tonne, whole tonnes and whole basis points; every
 * product stays below 2^53 within the order limits of order.ts); no imports, so any layer and the browser may use it.
 */

export const KG_PER_TONNE = 1000;
export const BPS_PER_UNIT = 10_000;

/** The rates that size a buy order's block, in basis points of value. */
export interface BlockRates {
  /** Guarantee deposit (500 = 5%). */
  readonly collateralBps: number;
  /** Exchange fee per side (5 = 0.05%). */
  readonly feeBps: number;
}

export interface BuyOrderBlock {
  readonly collateralTiyn: number;
  readonly feeTiyn: number;
  readonly totalTiyn: number;
}

/** Whole tiyn per tonne for a rate in basis points of a price, rounded up. */
export function perTonneTiyn(priceTiynPerTonne: number, bps: number): number {
  return Math.ceil((priceTiynPerTonne * bps) / BPS_PER_UNIT);
}

/** Tiyn a buy order blocks per tonne at a price: collateral plus fee, each rounded up. */
export function blockPerTonneTiyn(priceTiynPerTonne: number, rates: BlockRates): number {
  return perTonneTiyn(priceTiynPerTonne, rates.collateralBps) + perTonneTiyn(priceTiynPerTonne, rates.feeBps);
}

/**
 * What a buy order of `quantityKg` (whole tonnes: a cleared instrument's lots are) at a price blocks, in parts. A
 * market buy is sized at the price ceiling, so callers pass the ceiling as its price.
 */
export function buyOrderBlockTiyn(priceTiynPerTonne: number, quantityKg: number, rates: BlockRates): BuyOrderBlock {
  const tonnes = quantityKg / KG_PER_TONNE;
  const collateralTiyn = perTonneTiyn(priceTiynPerTonne, rates.collateralBps) * tonnes;
  const feeTiyn = perTonneTiyn(priceTiynPerTonne, rates.feeBps) * tonnes;
  return { collateralTiyn, feeTiyn, totalTiyn: collateralTiyn + feeTiyn };
}
