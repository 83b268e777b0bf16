/**
 * What the terminal derives from the member's own orders, without the browser (so it is tested in Node): which ones
 * the exchange cancelled since the last look.
 */

/** Cancel reasons that come from the exchange, not from the member's own request. */
export const EXCHANGE_CANCEL_REASONS = new Set([
  "price-limit",
  "member-suspended",
  "expired",
  "auction-remainder",
  "self-trade",
  "post-only",
]);

interface OrderState {
  readonly orderId: string;
  readonly status: string;
  readonly cancelReason: string | null;
}

/**
 * The orders the exchange cancelled since the last look: resting in `before`, cancelled now for a reason the member
 * did not ask for (the regulator's narrower band or ceiling, a suspension, expiry, an auction's remainder). Orders not
 * seen before raise nothing: what was cancelled before the page opened is in the orders table already.
 */
export function cancelledByExchange<T extends OrderState>(before: ReadonlyMap<string, string>, now: readonly T[]): T[] {
  return now.filter(
    (order) =>
      before.get(order.orderId) === "resting" &&
      order.status === "cancelled" &&
      order.cancelReason !== null &&
      EXCHANGE_CANCEL_REASONS.has(order.cancelReason),
  );
}
