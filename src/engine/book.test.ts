import { describe, expect, it } from "vitest";
import {
  BUY,
  EXEC_FOK,
  EXEC_IOC,
  EXEC_REST,
  FLAG_MARKET,
  FLAG_POST_ONLY,
  OrderBook,
  OUTCOME_CANCELLED,
  OUTCOME_FILLED,
  OUTCOME_RESTED,
  REASON_FOK,
  REASON_POST_ONLY,
  SELL,
  STP_CANCEL_MAKER,
  STP_SHIFT,
} from "./book.ts";

describe("OrderBook", () => {
  it("rests a limit order and reports the level", () => {
    const book = new OrderBook();
    book.submit(BUY, 100, 5, 0, EXEC_REST);
    expect(book.report.outcome).toBe(OUTCOME_RESTED);
    expect(book.levelAt(BUY, 0)).toEqual({ price: 100, quantity: 5, orders: 1 });
    book.checkInvariants();
  });

  it("fills at the maker's price in time priority", () => {
    const book = new OrderBook();
    book.submit(SELL, 101, 3, 0, EXEC_REST);
    const first = book.report.takerHandle;
    book.submit(SELL, 101, 4, 1, EXEC_REST);
    book.submit(BUY, 105, 5, 2, EXEC_REST);
    const r = book.report;
    expect(r.outcome).toBe(OUTCOME_FILLED);
    expect(r.fillCount).toBe(2);
    expect([r.fillMaker[0], r.fillPrice[0], r.fillQuantity[0], r.fillMakerOpen[0]]).toEqual([first, 101, 3, 0]);
    expect([r.fillPrice[1], r.fillQuantity[1], r.fillMakerOpen[1]]).toEqual([101, 2, 2]);
    expect(book.levelAt(SELL, 0)).toEqual({ price: 101, quantity: 2, orders: 1 });
    book.checkInvariants();
  });

  it("cancels a post-only order that would cross", () => {
    const book = new OrderBook();
    book.submit(SELL, 101, 3, 0, EXEC_REST);
    book.submit(BUY, 101, 1, 1, EXEC_REST | FLAG_POST_ONLY);
    expect(book.report.outcome).toBe(OUTCOME_CANCELLED);
    expect(book.report.takerReason).toBe(REASON_POST_ONLY);
    expect(book.report.fillCount).toBe(0);
  });

  it("FOK counts only liquidity ahead of the first own order", () => {
    const book = new OrderBook();
    book.submit(SELL, 100, 2, 1, EXEC_REST);
    book.submit(SELL, 100, 5, 7, EXEC_REST); // own order of account 7
    book.submit(SELL, 101, 9, 2, EXEC_REST);
    book.submit(BUY, 101, 3, 7, EXEC_FOK | (STP_CANCEL_MAKER << STP_SHIFT));
    expect(book.report.outcome).toBe(OUTCOME_CANCELLED);
    expect(book.report.takerReason).toBe(REASON_FOK);
    expect(book.orderCount).toBe(3);
    book.submit(BUY, 101, 2, 7, EXEC_FOK);
    expect(book.report.outcome).toBe(OUTCOME_FILLED);
    book.checkInvariants();
  });

  it("market orders walk the book and IOC remainders are cancelled", () => {
    const book = new OrderBook();
    book.submit(SELL, 100, 2, 1, EXEC_REST);
    book.submit(SELL, 102, 2, 1, EXEC_REST);
    book.submit(BUY, 0, 10, 2, FLAG_MARKET | EXEC_IOC);
    expect(book.report.fillCount).toBe(2);
    expect(book.report.outcome).toBe(OUTCOME_CANCELLED);
    expect(book.report.takerOpen).toBe(6);
    expect(book.levelCount(SELL)).toBe(0);
    book.checkInvariants();
  });
});
