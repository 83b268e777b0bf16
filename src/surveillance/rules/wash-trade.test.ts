/**
 * Rule 1, `wash-trade`, table-driven: same member, same group, different groups, an account meeting itself, the pair
 * unordered, one alert per session, groups taken as recorded at the trade, and a member's own group named by its id.
 */

import { describe, expect, it } from "vitest";
import { account, alertsOf, at, type Line, member, order, session, trade } from "../test-harness.ts";

/** A1 (member M1), A2 (M2), A3 (M3): `groups` gives each member's group (absent: its own). */
function parties(groups: { M1?: string; M2?: string; M3?: string } = {}): Line[] {
  return [
    member("M1", groups.M1),
    member("M2", groups.M2),
    member("M3", groups.M3),
    account("A1", "M1"),
    account("A2", "M2"),
    account("A3", "M3"),
    account("A1b", "M1"),
  ];
}

/** `buyer` buys 20 t from `seller` at `time` (orders b<n>, s<n>). */
function crossing(n: number, time: string, buyer: string, seller: string, sessionId = "S1"): Line[] {
  return [
    order(time, sessionId, `s${n}`, seller, "sell", 121_000, 20),
    order(time, sessionId, `b${n}`, buyer, "buy", 121_000, 20),
    trade(time, sessionId, `b${n}`, `s${n}`, 121_000, 20),
  ];
}

describe("wash-trade", () => {
  const table: {
    name: string;
    groups: Parameters<typeof parties>[0];
    buyer: string;
    seller: string;
    alert: boolean;
  }[] = [
    { name: "two accounts of one member", groups: {}, buyer: "A1", seller: "A1b", alert: true },
    { name: "members of one group", groups: { M1: "G", M2: "G" }, buyer: "A1", seller: "A2", alert: true },
    { name: "members of different groups", groups: { M1: "G", M2: "H" }, buyer: "A1", seller: "A2", alert: false },
    { name: "a grouped and an ungrouped member", groups: { M1: "G" }, buyer: "A1", seller: "A2", alert: false },
    { name: "two members without groups", groups: {}, buyer: "A1", seller: "A2", alert: false },
    { name: "an account meeting itself", groups: {}, buyer: "A1", seller: "A1", alert: true },
    // A member without a group is the group named by its id: a group named M1 is that group.
    { name: "a group named like a member", groups: { M2: "M1" }, buyer: "A1", seller: "A2", alert: true },
  ];
  for (const row of table) {
    it(`${row.name}: ${row.alert ? "an alert" : "no alert"}`, () => {
      const alerts = alertsOf(
        [...parties(row.groups), session("S1", "I1"), ...crossing(1, at("10:00:00"), row.buyer, row.seller)],
        "wash-trade",
      );
      expect(alerts).toHaveLength(row.alert ? 1 : 0);
    });
  }

  it("prints the pair, its members and group, the orders and the figures", () => {
    const alerts = alertsOf(
      [
        ...parties({ M1: "G", M2: "G" }),
        session("S1", "I1"),
        ...crossing(1, at("10:00:00"), "A2", "A1"),
        ...crossing(2, at("11:30:00.250"), "A1", "A2"), // the other way round: the same unordered pair
        ...crossing(3, at("12:00:00"), "A1", "A3"), // not washing: M3 is its own group
      ],
      "wash-trade",
    );
    expect(alerts).toEqual([
      {
        rule: "wash-trade",
        session: "S1",
        instrument: "I1",
        accounts: ["A1", "A2"],
        members: ["M1", "M2"],
        groups: ["G"],
        sessions: ["S1"],
        from: "2026-01-05T10:00:00.000Z",
        to: "2026-01-05T11:30:00.250Z",
        orders: ["b1", "b2", "s1", "s2"],
        figures: { trades: 2, quantityTonnes: 40 },
      },
    ]);
  });

  it("one alert per session and pair; an account meeting itself is the pair of one account", () => {
    const alerts = alertsOf(
      [
        ...parties(),
        session("S1", "I1", 0),
        session("S2", "I1", 1),
        ...crossing(1, at("10:00:00", 0), "A1", "A1b", "S1"),
        ...crossing(2, at("10:00:00", 1), "A1b", "A1", "S2"),
        ...crossing(3, at("10:00:01", 1), "A1", "A1", "S2"),
      ],
      "wash-trade",
    );
    expect(alerts.map((a) => [a.session, a.accounts, a.orders])).toEqual([
      ["S1", ["A1", "A1b"], ["b1", "s1"]],
      ["S2", ["A1", "A1b"], ["b2", "s2"]],
      ["S2", ["A1"], ["b3", "s3"]],
    ]);
  });

  it("takes the groups recorded when the trade happened", () => {
    const alerts = alertsOf(
      [
        ...parties(),
        session("S1", "I1"),
        ...crossing(1, at("10:00:00"), "A1", "A2"), // M1 and M2 are not related yet
        member("M1", "G"),
        member("M2", "G"),
        ...crossing(2, at("11:00:00"), "A1", "A2"),
      ],
      "wash-trade",
    );
    expect(alerts.map((a) => [a.orders, a.figures])).toEqual([[["b2", "s2"], { trades: 1, quantityTonnes: 20 }]]);
  });
});
