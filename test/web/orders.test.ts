/** Which of the member's orders the terminal reports as cancelled by the exchange (web/src/orders.ts). */

import { describe, expect, it } from "vitest";
import { cancelledByExchange } from "../../web/src/orders.ts";

const order = (orderId: string, status: string, cancelReason: string | null = null) => ({
  orderId,
  status,
  cancelReason,
});

describe("orders cancelled by the exchange", () => {
  it("reports a resting order cancelled for a reason the member did not ask for", () => {
    const before = new Map([
      ["A~1", "resting"],
      ["A~2", "resting"],
      ["A~3", "resting"],
    ]);
    const now = [
      order("A~1", "cancelled", "price-limit"),
      order("A~2", "cancelled", "requested"),
      order("A~3", "cancelled", "member-suspended"),
    ];
    expect(cancelledByExchange(before, now).map((o) => o.orderId)).toEqual(["A~1", "A~3"]);
  });

  it("says nothing of orders not seen resting before, or already cancelled", () => {
    const before = new Map([["A~2", "cancelled"]]);
    const now = [order("A~1", "cancelled", "price-limit"), order("A~2", "cancelled", "price-limit")];
    expect(cancelledByExchange(before, now)).toEqual([]);
  });
});
