/**
 * Rule 2, `concentration`, at and around both thresholds: a share of exactly 35% against 35.01%, exactly 300 t against
 * 301 t (and, in the engine's kilograms, 300,000 kg against 300,001 kg), groups summed over their members, both sides,
 * and a trade inside a group counted on both of its sides.
 */

import { describe, expect, it } from "vitest";
import { AlertBook } from "../alerts.ts";
import { Surveillance } from "../surveillance.ts";
import { account, alertsOf, at, configWith, type Line, member, order, session, trade } from "../test-harness.ts";

/** Filler buyers and sellers F1..F40, each a member of its own, each trading 300 t at most: never concentrated. */
const FILLERS = 60;
const PARTIES: Line[] = [
  member("M1", "G"),
  member("M2", "G"),
  member("M3"),
  member("Y"),
  account("A1", "M1"),
  account("A2", "M2"),
  account("A3", "M3"),
  account("AY", "Y"),
  ...Array.from({ length: FILLERS }, (_, i) => [member(`F${i + 1}`), account(`AF${i + 1}`, `F${i + 1}`)]).flat(),
];

/** `buyer` buys `tonnes` from `seller` (orders b<id>, s<id>). */
function deal(id: string, buyer: string, seller: string, tonnes: number, time = at("10:00:00")): Line[] {
  return [
    order(time, "S1", `s${id}`, seller, "sell", 120_000, tonnes),
    order(time, "S1", `b${id}`, buyer, "buy", 120_000, tonnes),
    trade(time, "S1", `b${id}`, `s${id}`, 120_000, tonnes),
  ];
}

/** `tonnes` traded among the fillers, 300 t per pair at most (F1 buys from F2, F3 from F4, ...). */
function filler(tonnes: number, time = at("12:00:00")): Line[] {
  const lines: Line[] = [];
  for (let i = 1, left = tonnes; left > 0; i += 2, left -= 300) {
    if (i + 1 > FILLERS) throw new Error("not enough fillers");
    lines.push(...deal(`f${i}`, `AF${i}`, `AF${i + 1}`, Math.min(300, left), time));
  }
  return lines;
}

const history = (...deals: Line[][]): Line[] => [...PARTIES, session("S1", "I1"), ...deals.flat()];

describe("concentration", () => {
  const table: { name: string; bought: number; volume: number; alert: boolean }[] = [
    { name: "35% of the volume", bought: 3500, volume: 10_000, alert: false },
    { name: "35.01% of the volume", bought: 3501, volume: 10_000, alert: true },
    { name: "50% but exactly 300 t", bought: 300, volume: 600, alert: false },
    { name: "50% and 301 t", bought: 301, volume: 602, alert: true },
    { name: "100% and 300 t", bought: 300, volume: 300, alert: false },
    { name: "34.99% and 3,499 t", bought: 3499, volume: 10_000, alert: false },
  ];
  for (const row of table) {
    it(`M3 buys ${row.bought} t of ${row.volume} t (${row.name}): ${row.alert ? "an alert" : "no alert"}`, () => {
      const alerts = alertsOf(
        history(deal("1", "A3", "AY", row.bought), filler(row.volume - row.bought)),
        "concentration",
      );
      expect(alerts.filter((a) => a.side === "buy")).toEqual(
        row.alert ? [expect.objectContaining({ groups: ["M3"], accounts: ["A3"], members: ["M3"] })] : [],
      );
    });
  }

  it("sums a group over its members and prints the group's accounts that bought", () => {
    const alerts = alertsOf(
      history(
        deal("1", "A1", "AY", 200, at("10:00:00")),
        filler(600, at("10:30:00")),
        deal("2", "A2", "AY", 200, at("11:15:00.5")),
      ),
      "concentration",
    );
    expect(alerts).toEqual([
      {
        rule: "concentration",
        session: "S1",
        instrument: "I1",
        side: "buy",
        accounts: ["A1", "A2"],
        members: ["M1", "M2"],
        groups: ["G"],
        sessions: ["S1"],
        from: "2026-01-05T10:00:00.000Z",
        to: "2026-01-05T11:15:00.500Z",
        orders: ["b1", "b2"],
        figures: { quantityTonnes: 400, sessionVolumeTonnes: 1000, sharePercent: 40 },
      },
      expect.objectContaining({ side: "sell", groups: ["Y"], figures: expect.objectContaining({ sharePercent: 40 }) }),
    ]);
  });

  it("counts a trade inside a group on both of its sides", () => {
    const alerts = alertsOf(history(deal("1", "A1", "A2", 400), filler(600)), "concentration");
    expect(alerts.map((a) => [a.side, a.groups, a.accounts, a.figures])).toEqual([
      ["buy", ["G"], ["A1"], { quantityTonnes: 400, sessionVolumeTonnes: 1000, sharePercent: 40 }],
      ["sell", ["G"], ["A2"], { quantityTonnes: 400, sessionVolumeTonnes: 1000, sharePercent: 40 }],
    ]);
  });

  it("is exact in kilograms: 300,000 kg is not more than 300 t, 300,001 kg is", () => {
    for (const [quantityKg, expected] of [
      [300_000, 0],
      [300_001, 1],
    ] as const) {
      const book = new AlertBook();
      const s = new Surveillance(book, { config: configWith("concentration", {}) });
      s.apply({ kind: "account", account: "A", member: "M" });
      s.apply({
        kind: "session",
        session: "S",
        instrument: "I",
        openMs: 0,
        closeMs: 1000,
        upperLimitTiynPerTonne: null,
        lowerLimitTiynPerTonne: null,
        basis: null,
      });
      s.apply({
        kind: "trade",
        timeMs: 10,
        session: "S",
        trade: "t1",
        buyOrder: "b",
        sellOrder: "s",
        buyAccount: "A",
        sellAccount: "B",
        priceTiynPerTonne: 12_000_000,
        quantityKg,
      });
      s.finish(1000);
      expect(book.alerts().filter((a) => a.side === "buy")).toHaveLength(expected);
    }
  });

  it("takes its thresholds from the configuration", () => {
    const alerts = alertsOf(
      history(deal("1", "A3", "AY", 100), filler(300)),
      "concentration",
      configWith("concentration", { shareAboveBps: 2000, quantityAboveKg: 99_000 }),
    );
    // M3 bought 25% (more than 20%) and 100 t (more than 99 t); F1 bought 300 t, 75%.
    expect(alerts.filter((a) => a.side === "buy").map((a) => a.groups)).toEqual([["M3"], ["F1"]]);
  });
});
