/**
 * Rule 6, `automated-entry`: three messages 999 ms apart against 1,000 ms, two against three, new, amend and cancel
 * alike, a member's accounts together and members apart, a cancel counted in its order's session (two sessions at
 * once do not add up), the peak count, and the accounts named being those that sent messages in a burst.
 */

import { describe, expect, it } from "vitest";
import { ALERT_ORDERS_MAX } from "../alerts.ts";
import {
  account,
  alertsOf,
  amend,
  at,
  cancel,
  configWith,
  inTimeOrder,
  type Line,
  member,
  order,
  session,
} from "../test-harness.ts";

const PARTIES: Line[] = [
  member("M1", "G"),
  account("A1", "M1"),
  account("A1b", "M1"),
  member("M2"),
  account("A2", "M2"),
  session("S1", "I1"),
  session("T1", "I2"),
];

const T0 = at("10:00:00");
const plus = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
let n = 0;
const entry = (ms: number, accountId = "A1", sessionId = "S1", id = `o${++n}`) =>
  order(plus(ms), sessionId, id, accountId, "buy", 120_000, 10);

const bursts = (lines: Line[], config?: Parameters<typeof alertsOf>[2]) =>
  alertsOf(inTimeOrder([...PARTIES, ...lines]), "automated-entry", config);

describe("automated-entry", () => {
  const table: { name: string; lines: () => Line[]; alert: boolean }[] = [
    { name: "3 orders, first and last 999 ms apart", lines: () => [entry(0), entry(500), entry(999)], alert: true },
    { name: "3 orders, first and last 1,000 ms apart", lines: () => [entry(0), entry(500), entry(1000)], alert: false },
    { name: "2 orders at the same millisecond", lines: () => [entry(0), entry(0)], alert: false },
    { name: "3 orders at the same millisecond", lines: () => [entry(0), entry(0), entry(0)], alert: true },
    {
      name: "an order, an amend and a cancel",
      lines: () => [entry(0, "A1", "S1", "x"), amend(plus(400), "x", { price: 121_000 }), cancel(plus(998), "x")],
      alert: true,
    },
    {
      name: "two accounts of the member",
      lines: () => [entry(0, "A1"), entry(100, "A1b"), entry(200, "A1")],
      alert: true,
    },
    { name: "two members", lines: () => [entry(0, "A1"), entry(100, "A2"), entry(200, "A1")], alert: false },
    {
      name: "two sessions at once (a cancel counts in its order's session)",
      lines: () => [entry(0, "A1", "S1", "x"), entry(100, "A1", "T1"), cancel(plus(200), "x")],
      alert: false,
    },
    {
      name: "a cancel joining its order's session",
      lines: () => [entry(0, "A1", "S1", "x"), entry(100, "A1", "T1"), entry(150, "A1", "S1"), cancel(plus(200), "x")],
      alert: true,
    },
  ];
  for (const row of table) {
    it(`${row.name}: ${row.alert ? "an alert" : "no alert"}`, () => {
      expect(bursts(row.lines())).toHaveLength(row.alert ? 1 : 0);
    });
  }

  it("prints the member's peak, its accounts in bursts and their orders; no instrument, no side", () => {
    n = 0;
    const lines = [
      entry(-5000, "A1b"), // alone: not in a burst
      entry(0, "A1"),
      entry(300, "A1"),
      entry(600, "A1"),
      entry(900, "A1"),
      entry(1200, "A1"), // 600, 900, 1200 lie within 1,000 ms too
      entry(10_000, "A1b"),
    ];
    expect(bursts(lines)).toEqual([
      {
        rule: "automated-entry",
        session: "S1",
        accounts: ["A1"],
        members: ["M1"],
        groups: ["G"],
        sessions: ["S1"],
        from: "2026-01-05T10:00:00.000Z",
        to: "2026-01-05T10:00:01.200Z",
        orders: ["o2", "o3", "o4", "o5", "o6"],
        figures: { peakMessages: 4, windowMs: 1000, messagesInBursts: 5 },
      },
    ]);
  });

  it("one alert per member and session", () => {
    const lines = [
      entry(0, "A1"),
      entry(1, "A1"),
      entry(2, "A1"),
      entry(0, "A2", "T1"),
      entry(1, "A2", "T1"),
      entry(2, "A2", "T1"),
    ];
    expect(bursts(lines).map((a) => [a.members, a.session])).toEqual([
      [["M1"], "S1"],
      [["M2"], "T1"],
    ]);
  });

  it("takes messagesMin and windowMs from the configuration", () => {
    const lines = [entry(0), entry(1500)];
    expect(bursts(lines)).toEqual([]);
    expect(bursts(lines, configWith("automatedEntry", { messagesMin: 2, windowMs: 1500 }))).toEqual([]);
    expect(bursts(lines, configWith("automatedEntry", { messagesMin: 2, windowMs: 1501 }))).toHaveLength(1);
  });

  it(`names at most ALERT_ORDERS_MAX (${ALERT_ORDERS_MAX}) orders, and counts them all`, () => {
    for (const count of [ALERT_ORDERS_MAX, ALERT_ORDERS_MAX + 1]) {
      const lines = Array.from({ length: count }, (_, i) => entry(0, "A1", "S1", `m${String(i).padStart(4, "0")}`));
      const [alert] = bursts(lines);
      expect((alert!.orders as string[]).length).toBe(ALERT_ORDERS_MAX);
      expect(alert!.figures).toEqual({ peakMessages: count, windowMs: 1000, messagesInBursts: count });
    }
  });
});
