/**
 * FIX numbers and sauda's integers. On the FIX wire prices are tenge per tonne and quantities tonnes (what LPG desks
 * quote in); inside sauda prices are integer tiyn per tonne (1 tenge = 100 tiyn) and quantities integer kilograms.
 *
 * Promises:
 * - Exact both ways. A price converts only if it is a whole number of tiyn (at most 2 decimals that are not zero), a
 *   quantity only if it is a whole number of kilograms (at most 3 such decimals); anything else is refused, never
 *   rounded. Trailing zeros are fine ("130000.500" is 13,000,050 tiyn).
 * - A FIX float is digits with an optional decimal point (FIX 4.4 "float": no sign for these fields, no exponent, no
 *   spaces); anything else is refused.
 * - Outbound values are the shortest exact decimal ("130000", "130000.5", "2.25").
 */

/** Digits one side of the decimal point may have; more is refused before any arithmetic. */
export const DECIMAL_DIGITS_MAX = 15;
export const TIYN_PER_TENGE = 100;
export const KG_PER_TONNE = 1000;

const DECIMAL = /^(\d{1,15})(?:\.(\d{1,15}))?$/;

/** A non-negative decimal scaled by 10^places as an exact integer, or null if it is not one (or not safe). */
function scaled(text: string, places: number): number | null {
  const match = DECIMAL.exec(text);
  if (match === null) return null;
  const whole = match[1]!;
  const fraction = match[2] ?? "";
  if (fraction.length > places && !/^0*$/.test(fraction.slice(places))) return null;
  const digits = `${whole}${fraction.slice(0, places).padEnd(places, "0")}`;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}

/** Tenge per tonne → tiyn per tonne, or null if the text is not a whole number of tiyn. */
export function tiynPerTonneOf(text: string): number | null {
  return scaled(text, 2);
}

/** Tonnes → kilograms, or null if the text is not a whole number of kilograms. */
export function kgOf(text: string): number | null {
  return scaled(text, 3);
}

function decimal(value: number, places: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative safe integer: ${value}`);
  const unit = 10 ** places;
  const whole = Math.floor(value / unit);
  const fraction = String(value % unit)
    .padStart(places, "0")
    .replace(/0+$/, "");
  return fraction === "" ? String(whole) : `${whole}.${fraction}`;
}

/** Tiyn per tonne → tenge per tonne as FIX text. */
export function tengeText(tiynPerTonne: number): string {
  return decimal(tiynPerTonne, 2);
}

/** Kilograms → tonnes as FIX text. */
export function tonnesText(kg: number): string {
  return decimal(kg, 3);
}
