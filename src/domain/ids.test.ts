/** The id formats: order ids fit the engine's limit; trade and obligation ids never end like a date and fit their limit. */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CLIENT_ORDER_ID_LENGTH_MAX,
  MEMBER_ACCOUNT_ID_LENGTH_MAX,
  obligationIdOf,
  orderIdOf,
  parseOrderId,
  TRADE_ID_LENGTH_MAX,
  tradeIdOf,
} from "./ids.ts";
import { INSTRUMENT_ID_LENGTH_MAX } from "./instrument.ts";
import { ORDER_ID_LENGTH_MAX } from "./order.ts";

const DATE_AT_END = /\d{4}-\d{2}-\d{2}$/;

describe("order ids", () => {
  it("put the account before the client order id, and the longest of each still fits the engine's order id", () => {
    expect(orderIdOf("AKTAU-1", "bid-7")).toBe("AKTAU-1~bid-7");
    expect(parseOrderId("AKTAU-1~bid-7")).toEqual({ account: "AKTAU-1", clientOrderId: "bid-7" });
    expect(parseOrderId("no-account")).toEqual({ account: "", clientOrderId: "no-account" });
    const longest = orderIdOf("A".repeat(MEMBER_ACCOUNT_ID_LENGTH_MAX), "c".repeat(CLIENT_ORDER_ID_LENGTH_MAX));
    expect(longest.length).toBeLessThanOrEqual(ORDER_ID_LENGTH_MAX);
    expect(parseOrderId(longest).clientOrderId).toBe("c".repeat(CLIENT_ORDER_ID_LENGTH_MAX));
  });
});

describe("trade and obligation ids", () => {
  it("name the instrument, the session and the trade's place in it, and never end like a date", () => {
    expect(tradeIdOf("PB-KAZGPZ-MANGYSTAU-2026-12", 3, 25)).toBe("T-PB-KAZGPZ-MANGYSTAU-2026-12-S3-25");
    expect(obligationIdOf("T-PB-KAZGPZ-MANGYSTAU-2026-12-S3-25")).toBe("OB-PB-KAZGPZ-MANGYSTAU-2026-12-S3-25");
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (year, month, session, n) => {
          const instrument = `PB-KAZGPZ-MANGYSTAU-${year}-${String(month).padStart(2, "0")}`;
          const trade = tradeIdOf(instrument, session, n);
          expect(trade).not.toMatch(DATE_AT_END);
          expect(obligationIdOf(trade)).not.toMatch(DATE_AT_END);
        },
      ),
    );
  });

  it("fit TRADE_ID_LENGTH_MAX at the longest instrument id and the largest counts", () => {
    const instrument = "I".repeat(INSTRUMENT_ID_LENGTH_MAX);
    const longest = obligationIdOf(tradeIdOf(instrument, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    expect(longest.length).toBe(TRADE_ID_LENGTH_MAX);
  });
});
