/**
 * Exact arithmetic shared by the read models: trade values, volume-weighted averages and local calendar keys.
 *
 * Units. A price is tiyn per tonne and a quantity kilograms, so price × quantity is in tiyn × kg / t, which is a
 * thousandth of a tiyn: the "milli-tiyn". Sums of values are kept in milli-tiyn as bigints, which keeps every average
 * exact even for quantities that are not whole tonnes (bare instruments may have any lot size); the value in tiyn is
 * derived from it. On cleared instruments lots are whole tonnes, so values in tiyn are exact there.
 *
 * Rounding rule (one rule everywhere): a quotient of non-negative integers is rounded to the nearest integer, halves
 * up. A volume-weighted average price is Σ(price × quantity) / Σ quantity, so rounded; so is a value in tiyn.
 *
 * Complexity: every function is O(1) (bigint operations on numbers of a few dozen digits).
 */

import { invariant } from "../domain/errors.ts";

/** Kazakhstan has kept one time zone, UTC+5, since 1 March 2024; sessions are set in it (docs/sources.md: 11:00–13:00). */
export const EXCHANGE_UTC_OFFSET_MS = 5 * 3_600_000;
const UTC_OFFSET_MS_MAX = 14 * 3_600_000;
const MILLI_PER_UNIT = 1000n;

/** numerator / denominator for numerator ≥ 0 and denominator > 0, rounded to the nearest integer, halves up. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  invariant(numerator >= 0n && denominator > 0n, () => `rounding ${numerator} / ${denominator}`);
  return (2n * numerator + denominator) / (2n * denominator);
}

/** The value of one trade in milli-tiyn: exact for any price and quantity within the order limits. */
export function tradeValueMilliTiyn(priceTiynPerTonne: number, quantityKg: number): bigint {
  return BigInt(priceTiynPerTonne) * BigInt(quantityKg);
}

/** A value in milli-tiyn as whole tiyn (rounded, halves up; exact for whole tonnes). */
export function tiynOfMilliTiyn(valueMilliTiyn: bigint): bigint {
  return divideRoundHalfUp(valueMilliTiyn, MILLI_PER_UNIT);
}

/** Volume-weighted average price in tiyn per tonne, rounded (halves up); null when nothing traded. */
export function averagePriceTiynPerTonne(valueMilliTiyn: bigint, volumeKg: bigint): number | null {
  if (volumeKg === 0n) return null;
  return Number(divideRoundHalfUp(valueMilliTiyn, volumeKg));
}

/**
 * An exact integer held as a number while it is a safe integer and as a bigint only beyond (never a bigint within the
 * safe range, so one value has one form). Read models that add many safe integers (ledger postings, trade values)
 * keep running sums this way: the sums are exact however large they grow, yet nearly always stay numbers, which cost
 * no allocation per addition. Readers turn them into bigints at the edge (`BigInt(value)`).
 *
 * Why the number path is exact: for safe integers a and b the double a + b (or a × b) is the true result whenever that
 * result is a safe integer (it is representable, and IEEE rounding returns a representable result unchanged), and is
 * at least 2^53 in magnitude whenever the true result is not (rounding is monotone and 2^53 is representable), so
 * `Number.isSafeInteger` of the double says exactly whether the number path holds.
 */
export type ExactInteger = number | bigint;

const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint in its `ExactInteger` form: a number when safe. */
export function exactOfBigint(value: bigint): ExactInteger {
  return value >= -SAFE_MAX && value <= SAFE_MAX ? Number(value) : value;
}

/** sum + addend, exactly; `addend` is a number as events carry it (a non-integer throws, as `BigInt` does). */
export function addExact(sum: ExactInteger, addend: number): ExactInteger {
  if (typeof sum === "number" && Number.isSafeInteger(addend)) {
    const result = sum + addend;
    if (Number.isSafeInteger(result)) return result;
  }
  return exactOfBigint(BigInt(sum) + BigInt(addend));
}

/** a × b exactly, for numbers as events carry them (a non-integer throws, as `BigInt` does). */
export function multiplyExact(a: number, b: number): ExactInteger {
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const result = a * b;
    if (Number.isSafeInteger(result)) return result;
  }
  return exactOfBigint(BigInt(a) * BigInt(b));
}

/**
 * `averagePriceTiynPerTonne` of an exact value and a volume in kg: the same answer (and the same refusals), computed
 * with numbers when 2 × value + volume is a safe integer. Then the floating quotient's floor is corrected to the exact
 * integer quotient q and remainder r of value / volume (each product and difference is a safe integer), and
 * round(value / volume, halves up) = q + (2r ≥ volume ? 1 : 0), which is divideRoundHalfUp's (2·value + volume) /
 * (2·volume) floored.
 */
export function averagePriceOfExact(valueMilliTiyn: ExactInteger, volumeKg: number): number | null {
  if (
    typeof valueMilliTiyn === "number" &&
    valueMilliTiyn >= 0 &&
    volumeKg > 0 &&
    Number.isSafeInteger(volumeKg) &&
    Number.isSafeInteger(2 * valueMilliTiyn + volumeKg)
  ) {
    let quotient = Math.floor(valueMilliTiyn / volumeKg);
    let remainder = valueMilliTiyn - quotient * volumeKg;
    if (remainder < 0) {
      quotient--;
      remainder += volumeKg;
    } else if (remainder >= volumeKg) {
      quotient++;
      remainder -= volumeKg;
    }
    return 2 * remainder >= volumeKg ? quotient + 1 : quotient;
  }
  return averagePriceTiynPerTonne(BigInt(valueMilliTiyn), BigInt(volumeKg));
}

export function checkUtcOffset(utcOffsetMs: number): number {
  invariant(
    Number.isSafeInteger(utcOffsetMs) && Math.abs(utcOffsetMs) <= UTC_OFFSET_MS_MAX,
    () => `UTC offset ${utcOffsetMs} ms must be a whole number of ms within ±14 h`,
  );
  return utcOffsetMs;
}

const DAY_MS = 86_400_000;
/** The latest time a Date holds (its earliest is the negative): the cache never answers past it. */
const DATE_MS_MAX = 8.64e15;

/**
 * The UTC day last formatted (its first ms and its YYYY-MM-DD text): the read models ask for the day or month of
 * every record, and records come in time order, so nearly every call falls in the day of the one before and needs no
 * Date. Only whole ms are looked up here (a Date truncates a fraction toward zero, which crosses a day boundary
 * below zero); anything else, or another day, is formatted by Date as before (so it throws as before, too).
 */
let cachedDayStartMs = Number.NaN;
let cachedDayText = "";

function utcDayText(ms: number): string {
  if (Number.isInteger(ms) && ms >= cachedDayStartMs && ms < cachedDayStartMs + DAY_MS && ms <= DATE_MS_MAX) {
    return cachedDayText;
  }
  const text = new Date(ms).toISOString().slice(0, 10);
  if (Number.isInteger(ms)) {
    cachedDayStartMs = Math.floor(ms / DAY_MS) * DAY_MS;
    cachedDayText = text;
  }
  return text;
}

/** The local calendar day of an instant, as YYYY-MM-DD. */
export function localDay(timeMs: number, utcOffsetMs: number): string {
  return utcDayText(timeMs + utcOffsetMs);
}

/** The local calendar month of an instant, as YYYY-MM. */
export function localMonth(timeMs: number, utcOffsetMs: number): string {
  return utcDayText(timeMs + utcOffsetMs).slice(0, 7);
}

/** An instant as UTC ISO 8601 text; a value outside the Date range reads as its number (never throws). */
export function isoUtc(timeMs: number): string {
  const date = new Date(timeMs);
  return Number.isNaN(date.getTime()) ? String(timeMs) : date.toISOString();
}

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
