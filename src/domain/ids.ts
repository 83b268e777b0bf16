/**
 * The formats of the ids sauda makes up itself, in one place: each id is a function of its inputs only (no counter
 * outside the state it names, no clock, no randomness), so the same journal always gives the same ids.
 *
 * - Trade: `T-<instrument>-S<session>-<n>`, the n-th trade (from 1) of the instrument's session number `session`
 *   (sessions are numbered from 1 in the order they open). The `S` and the prefix keep the id from reading as a date
 *   even though instrument ids end in a delivery month (`T-PB-KAZGPZ-MANGYSTAU-2026-12-S3-25`, not
 *   `PB-KAZGPZ-MANGYSTAU-2026-12-25`).
 * - Obligation: one per trade, `OB-` and the trade id's rest (`OB-PB-KAZGPZ-MANGYSTAU-2026-12-S3-25`).
 * - Order: a member's client order id under its account, `<account>~<client order id>` (the engine's ids are unique
 *   across accounts; the member's only within its account).
 */

import { INSTRUMENT_ID_LENGTH_MAX } from "./instrument.ts";

/** A client order id: the member's own name for an order, unique in its account within a session. */
export const CLIENT_ORDER_ID_LENGTH_MAX = 36;
/**
 * Accounts members trade in: short enough that `<account>~<client order id>` always fits the engine's order id
 * (24 + 1 + 36 ≤ 64).
 */
export const MEMBER_ACCOUNT_ID_LENGTH_MAX = 24;
const ORDER_ID_SEPARATOR = "~";

/** The engine's order id of a member's client order id: unique across accounts, `<account>~<client order id>`. */
export function orderIdOf(account: string, clientOrderId: string): string {
  return `${account}${ORDER_ID_SEPARATOR}${clientOrderId}`;
}

/** The account and client order id an order id was made of (an id made otherwise has no account: ""). */
export function parseOrderId(orderId: string): { account: string; clientOrderId: string } {
  const cut = orderId.indexOf(ORDER_ID_SEPARATOR);
  return cut < 0
    ? { account: "", clientOrderId: orderId }
    : { account: orderId.slice(0, cut), clientOrderId: orderId.slice(cut + 1) };
}

/** Sessions and trades per session are counted in safe integers; their digits are bounded by that. */
const COUNTER_DIGITS_MAX = 16;
/** The longest trade or obligation id: `OB-` + instrument + `-S` + session + `-` + n. */
export const TRADE_ID_LENGTH_MAX = 3 + INSTRUMENT_ID_LENGTH_MAX + 2 + COUNTER_DIGITS_MAX + 1 + COUNTER_DIGITS_MAX;

const TRADE_PREFIX = "T-";
const OBLIGATION_PREFIX = "OB-";

/** The id of the `n`-th trade (from 1) of an instrument's session number `session` (from 1). */
export function tradeIdOf(instrument: string, session: number, n: number): string {
  return `${TRADE_PREFIX}${instrument}-S${session}-${n}`;
}

/** The id of the obligation a trade creates. */
export function obligationIdOf(tradeId: string): string {
  return tradeId.startsWith(TRADE_PREFIX)
    ? `${OBLIGATION_PREFIX}${tradeId.slice(TRADE_PREFIX.length)}`
    : `${OBLIGATION_PREFIX}${tradeId}`;
}
