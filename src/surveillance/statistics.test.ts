/**
 * Per-session statistics worked by hand: top buyers' and sellers' shares by group, the HHI of each side, and the
 * order-to-trade ratio per member (a mass cancel being one message; a trade between a member's own accounts once).
 */

import { describe, expect, it } from "vitest";
import { hhi } from "./statistics.ts";
import { account, at, cancel, inTimeOrder, type Line, member, order, run, session, trade } from "./test-harness.ts";

describe("session statistics", () => {
  it("shares, HHI and order-to-trade ratios of one session", () => {
    // Buyers: group G (M1 and M2) buys 60 t, M3 30 t, M4 10 t. Seller: M5 sells all 100 t.
    const parties: Line[] = [
      member("M1", "G"),
      member("M2", "G"),
      member("M3"),
      member("M4"),
      member("M5"),
      ...["1", "2", "3", "4", "5"].map((x) => account(`A${x}`, `M${x}`)),
      session("S1", "I1"),
    ];
    const deal = (id: string, buyer: string, tonnes: number, time: string): Line[] => [
      order(time, "S1", `s${id}`, "A5", "sell", 120_000, tonnes),
      order(time, "S1", `b${id}`, buyer, "buy", 120_000, tonnes),
      trade(time, "S1", `b${id}`, `s${id}`, 120_000, tonnes),
    ];
    const { statistics } = run(
      inTimeOrder([
        ...parties,
        ...deal("1", "A1", 40, at("10:00:00")),
        ...deal("2", "A2", 20, at("10:01:00")),
        ...deal("3", "A3", 30, at("10:02:00")),
        ...deal("4", "A4", 10, at("10:03:00")),
        order(at("10:04:00"), "S1", "x1", "A3", "buy", 110_000, 5),
        cancel(at("10:04:01"), "x1"),
      ]),
    );
    expect(statistics).toEqual([
      {
        session: "S1",
        instrument: "I1",
        trades: 4,
        volumeKg: 100_000,
        topBuyers: [
          { group: "G", quantityKg: 60_000, sharePercent: 60 },
          { group: "M3", quantityKg: 30_000, sharePercent: 30 },
          { group: "M4", quantityKg: 10_000, sharePercent: 10 },
        ],
        topSellers: [{ group: "M5", quantityKg: 100_000, sharePercent: 100 }],
        topBuyersSharePercent: 100,
        topSellersSharePercent: 100,
        buyersHhi: 60 * 60 + 30 * 30 + 10 * 10, // 4,600
        sellersHhi: 10_000,
        orderToTrade: [
          { member: "M1", messages: 1, trades: 1, ratio: 1 },
          { member: "M2", messages: 1, trades: 1, ratio: 1 },
          { member: "M3", messages: 3, trades: 1, ratio: 3 },
          { member: "M4", messages: 1, trades: 1, ratio: 1 },
          { member: "M5", messages: 4, trades: 4, ratio: 1 },
        ],
      },
    ]);
  });

  it("names five buyers at most and keeps the rest in the HHI", () => {
    const parties: Line[] = [member("S"), account("AS", "S"), session("S1", "I1")];
    const lines: Line[] = [];
    for (let i = 1; i <= 7; i++) {
      parties.push(member(`B${i}`), account(`AB${i}`, `B${i}`));
      const time = at(`10:0${i}:00`);
      lines.push(
        order(time, "S1", `s${i}`, "AS", "sell", 120_000, i),
        order(time, "S1", `b${i}`, `AB${i}`, "buy", 120_000, i),
        trade(time, "S1", `b${i}`, `s${i}`, 120_000, i),
      );
    }
    const [stats] = run([...parties, ...lines]).statistics;
    expect(stats!.topBuyers.map((s) => s.group)).toEqual(["B7", "B6", "B5", "B4", "B3"]);
    expect(stats!.topBuyersSharePercent).toBe(89.2857); // 25 of 28 t
    // Σ i² for i = 1..7 is 140; 140 / 28² × 10,000 = 1,785.714...
    expect(stats!.buyersHhi).toBe(1785.71);
    expect(stats!.orderToTrade.find((o) => o.member === "S")).toEqual({
      member: "S",
      messages: 7,
      trades: 7,
      ratio: 1,
    });
  });

  it("hhi is exact for volumes whose squares pass 2^53", () => {
    const big = 4_000_000_000; // kg; its square is 1.6e19
    expect(
      hhi(
        new Map([
          ["A", big],
          ["B", big],
        ]),
        2 * big,
      ),
    ).toBe(5000);
    expect(hhi(new Map(), 0)).toBe(0);
  });
});
