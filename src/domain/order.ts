/**
 * Order vocabulary shared by every layer: sides, order types, time in force, self-trade prevention modes, and the
 * numeric limits every order must respect. Values here are plain strings so that they read the same in commands,
 * events, the journal and the API.
 */

export const SIDES = ["buy", "sell"] as const;
export type Side = (typeof SIDES)[number];

export const ORDER_TYPES = ["limit", "market"] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/**
 * GTC: good till cancelled. DAY: expires when the session closes. GTD: expires at a given time (ms since epoch, UTC).
 * IOC: immediate or cancel. FOK: fill in full immediately or not at all.
 */
export const TIMES_IN_FORCE = ["GTC", "DAY", "GTD", "IOC", "FOK"] as const;
export type TimeInForce = (typeof TIMES_IN_FORCE)[number];

/** Self-trade prevention: which side of a would-be trade between two orders of one account is cancelled. */
export const STP_MODES = ["cancel-taker", "cancel-maker", "cancel-both"] as const;
export type StpMode = (typeof STP_MODES)[number];
export const STP_MODE_DEFAULT: StpMode = "cancel-taker";

/**
 * Limits on a single order. Prices and quantities are integers of the instrument's units (tiyn per tonne and
 * kilograms for gas); the bounds keep every product `price * quantity` below 2^53 so money never loses precision.
 */
export const ORDER_PRICE_MAX = 1_000_000_000; // 10,000,000 tenge per tonne, ~100 times any price ever seen.
export const ORDER_QUANTITY_MAX = 1_000_000_000; // 1,000,000 tonnes in kg, more than a month's national output.
export const ORDER_ID_LENGTH_MAX = 64;
export const ACCOUNT_ID_LENGTH_MAX = 64;

/** Why an order left the book (or never entered it) without being filled in full. */
export const CANCEL_REASONS = [
  "requested", // the owner cancelled it
  "mass-cancel", // the owner (or the operator) cancelled all of an account's orders
  "ioc-remainder", // IOC: what did not fill at once
  "fok-unfilled", // FOK: could not fill in full at once
  "market-remainder", // market order: the opposite side ran out
  "post-only", // post-only: it would have traded on arrival
  "self-trade", // self-trade prevention
  "auction-remainder", // market order left over after an auction
  "expired", // DAY at session end, GTD at its time
  "member-suspended", // the operator suspended the member (kill switch)
  "price-limit", // a band, ceiling or floor change left it outside the allowed prices
] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export function isSafeWholeNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}
