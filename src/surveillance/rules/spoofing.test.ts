/**
 * Rule 4, `spoofing`, at and around each threshold: a life of 60,000 ms against 60,001 ms; a quantity of exactly 5
 * times the median against just under (odd and even counts, a median between two values); opposite fills at the
 * entry and at the cancel, both included, also when the fill's line comes before the order's or after the cancel's at
 * the same time, and 1 ms outside; a partly filled order, a fill on the same side or of another account of the member,
 * an amended order keeping its entered quantity, and one alert per (session, account, side).
 */

import { describe, expect, it } from "vitest";
import {
  account,
  alertsOf,
  amend,
  at,
  cancel,
  inTimeOrder,
  type Line,
  member,
  order,
  session,
  trade,
} from "../test-harness.ts";
import { middleValues } from "./spoofing.ts";

const PARTIES: Line[] = [
  member("MS"),
  account("SP", "MS"),
  account("SP2", "MS"),
  member("MC"),
  account("CP", "MC"),
  session("S1", "I1"),
];

const ENTRY = at("10:00:00");
const plus = (time: string, ms: number) => new Date(Date.parse(time) + ms).toISOString();

/** Background orders of CP with these quantities (tonnes), entered at 09:00–09:01, resting. */
function background(quantities: number[]): Line[] {
  return quantities.map((q, i) =>
    order(at(`09:00:${String(i).padStart(2, "0")}`), "S1", `bg${i}`, "CP", "buy", 110_000, q),
  );
}

interface Case {
  /** Quantities of the other orders of the session. */
  readonly others?: number[];
  readonly spoofTonnes?: number;
  readonly lifeMs?: number;
  /** When SP's buy order gets its fill, relative to the spoof's entry; and whether the fill's lines come first. */
  readonly fillAtMs?: number;
  readonly fillFirst?: boolean;
  readonly fillAccount?: string;
  readonly fillSide?: "buy" | "sell";
  readonly spoofFilledTonnes?: number;
}

/**
 * SP enters a sell order ("spoof", `spoofTonnes`) at 10:00 and cancels it `lifeMs` later; SP's buy order "real"
 * (entered at 09:30) gets a fill from CP at `fillAtMs` after the spoof's entry.
 */
function history(c: Case): Line[] {
  const others = c.others ?? [10, 10, 10, 10];
  const life = c.lifeMs ?? 30_000;
  const fillAt = plus(ENTRY, c.fillAtMs ?? 10_000);
  const fillSide = c.fillSide ?? "buy";
  const fillAccount = c.fillAccount ?? "SP";
  const fill: Line[] =
    fillSide === "buy"
      ? [order(fillAt, "S1", "hit", "CP", "sell", 120_000, 5), trade(fillAt, "S1", "real", "hit", 120_000, 5)]
      : [order(fillAt, "S1", "hit", "CP", "buy", 130_000, 5), trade(fillAt, "S1", "hit", "real", 130_000, 5)];
  const spoof = order(ENTRY, "S1", "spoof", "SP", "sell", 130_000, c.spoofTonnes ?? 50);
  const partial: Line[] =
    c.spoofFilledTonnes === undefined
      ? []
      : [
          order(plus(ENTRY, 1), "S1", "lift", "CP", "buy", 130_000, c.spoofFilledTonnes),
          trade(plus(ENTRY, 1), "S1", "lift", "spoof", 130_000, c.spoofFilledTonnes),
        ];
  const end = cancel(plus(ENTRY, life), "spoof");
  const timed = [
    order(at("09:30:00"), "S1", "real", fillAccount, fillSide, 120_000 + (fillSide === "sell" ? 10_000 : 0), 5),
    ...(c.fillFirst ? [...fill, spoof] : [spoof]),
    ...partial,
    ...(c.fillFirst
      ? [end]
      : [end, ...fill].sort((a, b) =>
          String(a.time) < String(b.time) ? -1 : String(a.time) > String(b.time) ? 1 : 0,
        )),
  ];
  return [...PARTIES, ...background(others), ...timed];
}

const spoofs = (c: Case) => alertsOf(history(c), "spoofing");

describe("spoofing", () => {
  // Quantities of the session: the background, "real" (5 t), "hit" (5 t) and the spoof; medians worked out by hand.
  const table: { name: string; c: Case; alert: boolean }[] = [
    { name: "a life of 60,000 ms", c: { lifeMs: 60_000, fillAtMs: 5_000 }, alert: true },
    { name: "a life of 60,001 ms", c: { lifeMs: 60_001, fillAtMs: 5_000 }, alert: false },
    // others 10,10,10,10 + real 5 + hit 5 + spoof: 7 values, median 10; 5 × 10 = 50.
    { name: "exactly 5 times the median (odd count)", c: { spoofTonnes: 50 }, alert: true },
    { name: "just under 5 times the median (odd count)", c: { spoofTonnes: 49 }, alert: false },
    // others 2,4,6,8,10 + 5 + 5 + spoof: 8 values 2,4,5,5,6,8,10,spoof; middle 5 and 6, median 5.5; 27.5.
    {
      name: "28 t against a median of 5.5 t (even count)",
      c: { others: [2, 4, 6, 8, 10], spoofTonnes: 28 },
      alert: true,
    },
    {
      name: "27 t against a median of 5.5 t (even count)",
      c: { others: [2, 4, 6, 8, 10], spoofTonnes: 27 },
      alert: false,
    },
    // others 6,8 + 5 + 5 + spoof: 5,5,6,8,spoof: median 6; 30.
    { name: "exactly 30 t against a median of 6 t", c: { others: [6, 8], spoofTonnes: 30 }, alert: true },
    // others 2,8,8 + 5 + 5 + spoof: 2,5,5,8,8,spoof: middle 5 and 8, median 6.5; 32.5.
    { name: "33 t against a median of 6.5 t", c: { others: [2, 8, 8], spoofTonnes: 33 }, alert: true },
    { name: "32 t against a median of 6.5 t", c: { others: [2, 8, 8], spoofTonnes: 32 }, alert: false },
    { name: "a fill at the entry, its lines first", c: { fillAtMs: 0, fillFirst: true }, alert: true },
    { name: "a fill at the entry, its lines after", c: { fillAtMs: 0 }, alert: true },
    { name: "a fill 1 ms before the entry", c: { fillAtMs: -1, fillFirst: true }, alert: false },
    { name: "a fill at the cancel, its lines after the cancel", c: { fillAtMs: 30_000, lifeMs: 30_000 }, alert: true },
    { name: "a fill 1 ms after the cancel", c: { fillAtMs: 30_001, lifeMs: 30_000 }, alert: false },
    { name: "a fill on the same side", c: { fillSide: "sell" }, alert: false },
    { name: "a fill of another account of the member", c: { fillAccount: "SP2" }, alert: false },
    { name: "the spoof partly filled", c: { spoofFilledTonnes: 1 }, alert: false },
  ];
  for (const row of table) {
    it(`${row.name}: ${row.alert ? "an alert" : "no alert"}`, () => {
      expect(spoofs(row.c)).toHaveLength(row.alert ? 1 : 0);
    });
  }

  it("prints the spoof and the filled order, from the entry to the cancel", () => {
    expect(spoofs({ lifeMs: 45_000, fillAtMs: 44_000 })).toEqual([
      {
        rule: "spoofing",
        session: "S1",
        instrument: "I1",
        side: "sell",
        accounts: ["SP"],
        members: ["MS"],
        groups: ["MS"],
        sessions: ["S1"],
        from: "2026-01-05T10:00:00.000Z",
        to: "2026-01-05T10:00:45.000Z",
        orders: ["real", "spoof"],
        figures: {
          spoofOrders: 1,
          quantityMaxTonnes: 50,
          sessionMedianTonnes: 10,
          lifeMaxMs: 45_000,
          oppositeFills: 1,
          oppositeFilledTonnes: 5,
        },
      },
    ]);
  });

  it("keeps the quantity as entered when the order was amended before its cancel", () => {
    const lines = history({});
    const at1 = plus(ENTRY, 2);
    const amended = inTimeOrder([...lines, amend(at1, "spoof", { quantity: 1, price: 131_000 })]);
    expect(alertsOf(amended, "spoofing")).toHaveLength(1);
  });

  it("one alert per session, account and side, with every spoof order", () => {
    const lines = inTimeOrder([
      ...history({}),
      order(at("11:00:00"), "S1", "spoof2", "SP", "sell", 130_000, 60),
      order(at("11:00:01"), "S1", "hit2", "CP", "sell", 120_000, 5),
      trade(at("11:00:01"), "S1", "real", "hit2", 120_000, 5),
      cancel(at("11:00:02"), "spoof2"),
    ]);
    const alerts = alertsOf(lines, "spoofing");
    expect(alerts.map((a) => [a.orders, a.figures])).toEqual([
      [
        ["real", "spoof", "spoof2"],
        {
          spoofOrders: 2,
          quantityMaxTonnes: 60,
          sessionMedianTonnes: 10,
          lifeMaxMs: 30_000,
          oppositeFills: 2,
          oppositeFilledTonnes: 10,
        },
      ],
    ]);
  });

  it("middleValues: the two middle values of counted values", () => {
    expect(middleValues(new Map([[7, 1]]), 1)).toEqual([7, 7]);
    expect(
      middleValues(
        new Map([
          [1, 1],
          [9, 1],
        ]),
        2,
      ),
    ).toEqual([1, 9]);
    expect(
      middleValues(
        new Map([
          [1, 2],
          [4, 1],
          [9, 3],
        ]),
        6,
      ),
    ).toEqual([4, 9]);
    expect(middleValues(new Map([[3, 5]]), 5)).toEqual([3, 3]);
  });
});
