/**
 * Value added tax and the taxpayer's number, as the exchange's documents show them. Exchange prices are without VAT;
 * contracts, statements and e-invoices show the value without VAT, the VAT and the value with VAT.
 *
 * Rounding rule (one rule everywhere): VAT on a value V tiyn at a rate of R basis points is V × R / 10,000 rounded
 * half up to a whole tiyn, computed in `bigint` so no product is ever inexact. The value with VAT is V plus that VAT.
 * A document computes VAT once, on the value of its one trade or obligation, never per tonne and never on a sum of
 * rounded amounts, so the same obligation shows the same VAT on the contract, the statement and the e-invoice.
 *
 * The rate in force is set through the journal (engine command `vat.set`, audited) with the date it takes effect
 * from; before any such command it is `DEFAULT_VAT_RATE_BPS` (12%, the Tax Code's rate since 2009).
 */

import { VAT_RATE_BPS_MAX } from "./limits.ts";

/** 12%: the rate before any `vat.set`. */
export const DEFAULT_VAT_RATE_BPS = 1200;
// The highest rate the exchange accepts is in limits.ts, where the operator's form reads it too.
export { VAT_RATE_BPS_MAX };

export const BPS_PER_WHOLE = 10_000n;

/** VAT in tiyn on `valueTiyn` at `rateBps`, rounded half up to a whole tiyn. */
export function vatTiyn(valueTiyn: bigint | number, rateBps: number): bigint {
  const value = BigInt(valueTiyn);
  if (value < 0n) throw new RangeError(`value ${value} tiyn is negative`);
  if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > VAT_RATE_BPS_MAX) {
    throw new RangeError(`VAT rate ${rateBps} bps is outside 0..${VAT_RATE_BPS_MAX}`);
  }
  const product = value * BigInt(rateBps);
  return (product + BPS_PER_WHOLE / 2n) / BPS_PER_WHOLE;
}

/** A Kazakh business identification number (BIN) or individual one (IIN): exactly 12 digits. */
export const BIN_PATTERN = /^\d{12}$/;

export function isBin(value: unknown): value is string {
  return typeof value === "string" && BIN_PATTERN.test(value);
}

/** Tiyn as tenge with two decimals, e.g. 1234567n → "12345.67"; for documents only, never for arithmetic. */
export function tengeText(tiyn: bigint | number): string {
  const value = BigInt(tiyn);
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** Kilograms as tonnes with three decimals, e.g. 5000 → "5.000". */
export function tonnesText(kg: number): string {
  const value = BigInt(kg);
  return `${value / 1000n}.${(value % 1000n).toString().padStart(3, "0")}`;
}
