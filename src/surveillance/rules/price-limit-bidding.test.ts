/**
 * Rule 5, `price-limit-bidding`: 3 sessions within 10 consecutive ones against a span of 11, 2 sessions against 3,
 * sessions without limits counted, an amend onto the limit not counted, the lower limit for sellers only, a group over
 * its members, every session named (also those outside the qualifying window), the other instrument's sessions not
 * counted, and a history of fewer than 10 sessions.
 */

import { describe, expect, it } from "vitest";
import {
  account,
  alertsOf,
  amend,
  at,
  configWith,
  inTimeOrder,
  type Line,
  member,
  order,
  session,
} from "../test-harness.ts";

const UPPER = 130_000;
const LOWER = 100_000;

function parties(): Line[] {
  return [
    member("M1", "G"),
    member("M2", "G"),
    member("M3"),
    account("A1", "M1"),
    account("A2", "M2"),
    account("A3", "M3"),
  ];
}

/** `count` sessions of I1 (S1, S2, ...), one a day, with limits except those in `noLimits`. */
function sessions(count: number, noLimits: number[] = []): Line[] {
  return Array.from({ length: count }, (_, i) =>
    session(`S${i + 1}`, "I1", i, noLimits.includes(i + 1) ? {} : { upper: UPPER, lower: LOWER }),
  );
}

/** An order of `accountId` in session n at `price`. */
const bid = (n: number, accountId = "A1", price = UPPER, side: "buy" | "sell" = "buy"): Line =>
  order(at("10:00:00", n - 1), `S${n}`, `o${n}-${accountId}-${side}`, accountId, side, price, 10);

const limitBids = (lines: Line[], config?: Parameters<typeof alertsOf>[2]) =>
  alertsOf(inTimeOrder(lines), "price-limit-bidding", config);

describe("price-limit-bidding", () => {
  const table: { name: string; lines: () => Line[]; alert: boolean }[] = [
    {
      name: "sessions 1, 5 and 10 (a span of 10)",
      lines: () => [...sessions(12), bid(1), bid(5), bid(10)],
      alert: true,
    },
    {
      name: "sessions 1, 5 and 11 (a span of 11)",
      lines: () => [...sessions(12), bid(1), bid(5), bid(11)],
      alert: false,
    },
    {
      name: "sessions 2 and 3 only, twice in 3",
      lines: () => [...sessions(12), bid(2), bid(3), order(at("11:00:00", 2), "S3", "again", "A1", "buy", UPPER, 10)],
      alert: false,
    },
    {
      name: "sessions 1, 5, 10 when session 4 had no limits (it still counts)",
      lines: () => [...sessions(12, [4]), bid(1), bid(5), bid(10)],
      alert: true,
    },
    {
      name: "sessions 1, 5, 11 when sessions 2–4 had no limits (they still count)",
      lines: () => [...sessions(12, [2, 3, 4]), bid(1), bid(5), bid(11)],
      alert: false,
    },
    {
      name: "one price tick under the limit",
      lines: () => [...sessions(3), bid(1), bid(2), bid(3, "A1", UPPER - 1)],
      alert: false,
    },
    {
      name: "a bid at the lower limit",
      lines: () => [...sessions(3), bid(1, "A1", LOWER), bid(2, "A1", LOWER), bid(3, "A1", LOWER)],
      alert: false,
    },
    {
      name: "offers at the lower limit",
      lines: () => [
        ...sessions(3),
        bid(1, "A1", LOWER, "sell"),
        bid(2, "A1", LOWER, "sell"),
        bid(3, "A1", LOWER, "sell"),
      ],
      alert: true,
    },
    {
      name: "offers at the upper limit",
      lines: () => [
        ...sessions(3),
        bid(1, "A1", UPPER, "sell"),
        bid(2, "A1", UPPER, "sell"),
        bid(3, "A1", UPPER, "sell"),
      ],
      alert: false,
    },
    {
      name: "three sessions of a three-session history",
      lines: () => [...sessions(3), bid(1), bid(2), bid(3)],
      alert: true,
    },
    {
      name: "two members of one group, three sessions between them",
      lines: () => [...sessions(3), bid(1, "A1"), bid(2, "A2"), bid(3, "A1")],
      alert: true,
    },
    {
      name: "two groups, three sessions between them",
      lines: () => [...sessions(3), bid(1, "A1"), bid(2, "A3"), bid(3, "A1")],
      alert: false,
    },
    {
      name: "an amend onto the limit in the third session",
      lines: () => [
        ...sessions(3),
        bid(1),
        bid(2),
        bid(3, "A1", UPPER - 500),
        amend(at("10:00:01", 2), "o3-A1-buy", { price: UPPER }),
      ],
      alert: false,
    },
  ];
  for (const row of table) {
    it(`${row.name}: ${row.alert ? "an alert" : "no alert"}`, () => {
      expect(limitBids([...parties(), ...row.lines()])).toHaveLength(row.alert ? 1 : 0);
    });
  }

  it("names every session of the group at the limit, also outside the window, and its accounts", () => {
    const lines = [
      ...parties(),
      ...sessions(30),
      session("J1", "I2", 0, { upper: UPPER, lower: LOWER }), // another instrument: not counted with I1
      order(at("11:00:00", 0), "J1", "j1", "A1", "buy", UPPER, 10),
      bid(2, "A2"),
      bid(4, "A1"),
      bid(8, "A1"),
      bid(25, "A2"),
    ];
    expect(limitBids(lines)).toEqual([
      {
        rule: "price-limit-bidding",
        instrument: "I1",
        side: "buy",
        accounts: ["A1", "A2"],
        members: ["M1", "M2"],
        groups: ["G"],
        sessions: ["S2", "S25", "S4", "S8"],
        from: "2026-01-06T10:00:00.000Z",
        to: "2026-01-29T10:00:00.000Z",
        orders: ["o2-A2-buy", "o25-A2-buy", "o4-A1-buy", "o8-A1-buy"],
        figures: { sessionsAtLimit: 4, sessionsInWindowMax: 3, windowSessions: 10 },
      },
    ]);
  });

  it("does not count another instrument's sessions in the window", () => {
    const lines = [
      ...parties(),
      ...sessions(3),
      session("J1", "I2", 0, { upper: UPPER, lower: LOWER }),
      order(at("11:00:00", 0), "J1", "j1", "A1", "buy", UPPER, 10),
      bid(1),
      bid(2),
    ];
    expect(limitBids(lines)).toEqual([]);
  });

  it("takes sessionsMin and windowSessions from the configuration", () => {
    const lines = [...parties(), ...sessions(6), bid(1), bid(6)];
    expect(limitBids(lines)).toEqual([]);
    expect(limitBids(lines, configWith("priceLimitBidding", { sessionsMin: 2, windowSessions: 5 }))).toEqual([]);
    expect(limitBids(lines, configWith("priceLimitBidding", { sessionsMin: 2, windowSessions: 6 }))).toHaveLength(1);
  });
});
