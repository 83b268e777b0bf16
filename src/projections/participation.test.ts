import { describe, expect, it } from "vitest";
import { outcomeOf, T0 } from "../../test/support/engine-run.ts";
import type { EngineEvent } from "../engine/events.ts";
import { concentration, PARTICIPATION_MONTHS_KEPT_MAX, Participation } from "./participation.ts";

const opened = (id: string, member: string): EngineEvent => ({
  type: "account.opened",
  id,
  member,
  client: null,
  canBuy: true,
  canSell: true,
  buyerCategory: null,
});

function trade(instrument: string, buyAccount: string, sellAccount: string, quantity: number): EngineEvent {
  return {
    type: "trade",
    instrument,
    tradeId: `T-${instrument}`,
    price: 13_000_000,
    quantity,
    buyOrderId: "b",
    sellOrderId: "s",
    buyAccount,
    sellAccount,
    makerOrderId: null,
    takerOrderId: null,
    aggressor: null,
    buyOpen: 0,
    sellOpen: 0,
  };
}

const volumes = (...kg: number[]) => new Map(kg.map((v, i) => [`M${i}`, BigInt(v)]));

describe("concentration of one side", () => {
  it("sums the five largest and the squares of the shares", () => {
    // 50, 30, 10, 5, 3, 2 of 100: the top five hold 98%; HHI 2500 + 900 + 100 + 25 + 9 + 4.
    expect(concentration(volumes(3, 50, 2, 30, 10, 5))).toEqual({ participants: 6, top5ShareBps: 9800, hhi: 3538 });
  });

  it("rounds to the nearest integer, an exact half up", () => {
    // Six equal: 5/6 = 8333.33 bp; HHI 10,000 / 6 = 1666.67.
    expect(concentration(volumes(1, 1, 1, 1, 1, 1))).toEqual({ participants: 6, top5ShareBps: 8333, hhi: 1667 });
    // 1 and 2 of 3: HHI (1 + 4) × 10,000 / 9 = 5555.56.
    expect(concentration(volumes(1000, 2000))).toEqual({ participants: 2, top5ShareBps: 10_000, hhi: 5556 });
    // 1 of 8 and 7 of 8: HHI (1 + 49) × 10,000 / 64 = 7812.5, up.
    expect(concentration(volumes(1000, 7000)).hhi).toBe(7813);
    // One participant holds all: the top share and HHI at their maximum.
    expect(concentration(volumes(5000))).toEqual({ participants: 1, top5ShareBps: 10_000, hhi: 10_000 });
    expect(concentration(new Map())).toEqual({ participants: 0, top5ShareBps: 0, hhi: 0 });
  });
});

describe("participation per instrument and month", () => {
  it("counts members, not accounts, and splits months at local midnight", () => {
    const p = new Participation();
    p.apply(outcomeOf(1, T0, [opened("A-1", "A"), opened("A-2", "A"), opened("B-1", "B"), opened("S-1", "S")]));
    // 31 January 23:30 Almaty is 18:30 UTC; 1 February 00:30 Almaty is 19:30 UTC on 31 January.
    p.apply(outcomeOf(2, Date.UTC(2026, 0, 31, 18, 30), [trade("I", "A-1", "S-1", 10_000)]));
    p.apply(outcomeOf(3, Date.UTC(2026, 0, 31, 18, 31), [trade("I", "A-2", "S-1", 30_000)]));
    p.apply(outcomeOf(4, Date.UTC(2026, 0, 31, 19, 30), [trade("I", "B-1", "S-1", 20_000)]));
    expect(p.month("2026-01")).toEqual([
      {
        instrument: "I",
        month: "2026-01",
        trades: 2,
        volumeKg: 40_000n,
        buyers: { participants: 1, top5ShareBps: 10_000, hhi: 10_000 },
        sellers: { participants: 1, top5ShareBps: 10_000, hhi: 10_000 },
      },
    ]);
    expect(p.month("2026-02")[0]).toMatchObject({ trades: 1, volumeKg: 20_000n, buyers: { participants: 1 } });
    expect(p.monthsKept()).toEqual(["2026-02", "2026-01"]);
    expect(p.history("I").map((m) => m.month)).toEqual(["2026-02", "2026-01"]);
  });

  it(`keeps the newest ${PARTICIPATION_MONTHS_KEPT_MAX} months of an instrument`, () => {
    const p = new Participation();
    for (let i = 0; i <= PARTICIPATION_MONTHS_KEPT_MAX; i++) {
      const timeMs = Date.UTC(2020, i, 15);
      p.apply(outcomeOf(i + 1, timeMs, [trade("I", "X", "Y", 1000)]));
      if (i === PARTICIPATION_MONTHS_KEPT_MAX - 1) {
        expect(p.history("I")).toHaveLength(PARTICIPATION_MONTHS_KEPT_MAX);
        expect(p.month("2020-01")).toHaveLength(1);
      }
    }
    expect(p.history("I")).toHaveLength(PARTICIPATION_MONTHS_KEPT_MAX);
    expect(p.month("2020-01")).toEqual([]);
    expect(p.month("2020-02")).toHaveLength(1);
    expect(p.history("I")[0]?.month).toBe("2025-01");
  });
});
