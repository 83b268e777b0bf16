/**
 * Rule 3, `coordinated-bidding`: 3 sessions against 2, 1,000 ms apart against 1,001 ms, the same group never linked,
 * price as entered (an amend onto the price does not count), sides apart, components joined through shared accounts
 * (one alert, the smaller ones retracted), sessions where two of a component's accounts coincided without being
 * linked, and the instrument left out when a component bid on several.
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
import { PAIR_SESSION_ORDERS_MAX } from "./coordinated-bidding.ts";

/** Accounts A..E of members MA..ME, each its own group, and A2 a second account of MA; ten sessions S1..S10 of I1. */
const PARTIES: Line[] = [
  ...["A", "B", "C", "D", "E"].flatMap((x) => [member(`M${x}`), account(x, `M${x}`)]),
  account("A2", "MA"),
  ...Array.from({ length: 10 }, (_, i) => session(`S${i + 1}`, "I1", i)),
];

let id = 0;
/** Two orders in session `n` (day n − 1): `first` at 10:00:00.000, `second` `gapMs` later, same side and price. */
function pairIn(
  n: number,
  first: string,
  second: string,
  gapMs = 500,
  side: "buy" | "sell" = "buy",
  time = "10:00:00",
): Line[] {
  const t0 = at(time, n - 1);
  const t1 = new Date(Date.parse(t0) + gapMs).toISOString();
  return [
    order(t0, `S${n}`, `o${++id}`, first, side, 120_000, 10),
    order(t1, `S${n}`, `o${++id}`, second, side, 120_000, 10),
  ];
}

const coordination = (lines: Line[], config?: Parameters<typeof alertsOf>[2]) =>
  alertsOf(inTimeOrder([...PARTIES, ...lines]), "coordinated-bidding", config);

describe("coordinated-bidding", () => {
  const table: { name: string; lines: () => Line[]; alert: boolean }[] = [
    { name: "3 sessions, 500 ms apart", lines: () => [1, 2, 3].flatMap((n) => pairIn(n, "A", "B")), alert: true },
    { name: "2 sessions", lines: () => [1, 2].flatMap((n) => pairIn(n, "A", "B")), alert: false },
    {
      name: "3 times in 2 sessions",
      lines: () => [...pairIn(1, "A", "B"), ...pairIn(2, "A", "B"), ...pairIn(2, "A", "B", 500, "buy", "11:00:00")],
      alert: false,
    },
    { name: "exactly 1,000 ms apart", lines: () => [1, 2, 3].flatMap((n) => pairIn(n, "A", "B", 1000)), alert: true },
    {
      name: "1,001 ms apart once",
      lines: () => [...pairIn(1, "A", "B", 1001), ...[2, 3].flatMap((n) => pairIn(n, "A", "B"))],
      alert: false,
    },
    { name: "at the same millisecond", lines: () => [1, 2, 3].flatMap((n) => pairIn(n, "A", "B", 0)), alert: true },
    { name: "two accounts of one member", lines: () => [1, 2, 3].flatMap((n) => pairIn(n, "A", "A2")), alert: false },
    {
      name: "one side each",
      lines: () => [1, 2, 3].flatMap((n) => [...pairIn(n, "A", "A", 0, "buy"), ...pairIn(n, "B", "B", 0, "sell")]),
      alert: false,
    },
  ];
  for (const row of table) {
    it(`${row.name}: ${row.alert ? "an alert" : "no alert"}`, () => {
      expect(coordination(row.lines())).toHaveLength(row.alert ? 1 : 0);
    });
  }

  it("prints the component, its sessions and orders; the session is absent and the side present", () => {
    id = 0;
    const alerts = coordination([1, 4, 7].flatMap((n) => pairIn(n, "B", "A", 250)));
    expect(alerts).toEqual([
      {
        rule: "coordinated-bidding",
        instrument: "I1",
        side: "buy",
        accounts: ["A", "B"],
        members: ["MA", "MB"],
        groups: ["MA", "MB"],
        sessions: ["S1", "S4", "S7"],
        from: "2026-01-05T10:00:00.000Z",
        to: "2026-01-11T10:00:00.250Z",
        orders: ["o1", "o2", "o3", "o4", "o5", "o6"],
        figures: { linkedPairs: 1, sessions: 3, linkedPairSessionsMin: 3 },
      },
    ]);
  });

  it("price as entered: an order amended onto the other's price does not coincide", () => {
    const lines = [1, 2, 3].flatMap((n) => pairIn(n, "A", "B"));
    // In S3, B's order was entered at 119,000 and amended to 120,000 at once.
    const s3 = lines.slice(4);
    s3[1] = { ...s3[1]!, price: 119_000 };
    s3.push(amend(String(s3[1]!.time), String(s3[1]!.order), { price: 120_000 }));
    expect(coordination([...lines.slice(0, 4), ...s3])).toEqual([]);
  });

  it("joins linked pairs into one group of coordination and lists every session two of its accounts coincided in", () => {
    const lines = [
      ...[1, 2, 3].flatMap((n) => pairIn(n, "A", "B")), // A–B linked
      ...[4, 5, 6].flatMap((n) => pairIn(n, "C", "D")), // C–D linked: a second component
      ...pairIn(7, "A", "C"), // once only: A and C are not linked, but coincided
      ...[8, 9, 10].flatMap((n) => pairIn(n, "B", "C")), // B–C linked: the two components join
      ...pairIn(10, "E", "D", 0, "sell", "11:00:00"), // another side: nothing
    ];
    const alerts = coordination(lines);
    expect(alerts.map((a) => [a.accounts, a.sessions, a.figures])).toEqual([
      [
        ["A", "B", "C", "D"],
        ["S1", "S10", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"],
        { linkedPairs: 3, sessions: 10, linkedPairSessionsMin: 3 },
      ],
    ]);
  });

  it("keeps the sides apart", () => {
    const lines = [1, 2, 3].flatMap((n) => [
      ...pairIn(n, "A", "B", 100, "buy"),
      ...pairIn(n, "C", "D", 100, "sell", "11:00:00"),
    ]);
    expect(coordination(lines).map((a) => [a.side, a.accounts])).toEqual([
      ["buy", ["A", "B"]],
      ["sell", ["C", "D"]],
    ]);
  });

  it("names no instrument when the component bid on several", () => {
    const lines = [
      session("J1", "I2", 0),
      ...pairIn(1, "A", "B"),
      ...pairIn(2, "A", "B"),
      order(at("11:00:00", 0), "J1", "j1", "A", "buy", 120_000, 5),
      order(at("11:00:00.900", 0), "J1", "j2", "B", "buy", 120_000, 5),
    ];
    const alerts = coordination(lines);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).not.toHaveProperty("instrument");
    expect(alerts[0]!.sessions).toEqual(["J1", "S1", "S2"]);
  });

  it("takes sessionsMin and withinMs from the configuration", () => {
    const lines = [1, 2].flatMap((n) => pairIn(n, "A", "B", 1500));
    expect(coordination(lines)).toEqual([]);
    expect(coordination(lines, configWith("coordinatedBidding", { sessionsMin: 2, withinMs: 1500 }))).toHaveLength(1);
  });

  it(`keeps at most PAIR_SESSION_ORDERS_MAX (${PAIR_SESSION_ORDERS_MAX}) orders per pair and session`, () => {
    for (const [a, b, listed] of [
      [10, 10, 20],
      [10, 11, 20],
    ] as const) {
      const lines = [1, 2, 3].flatMap((n) => [
        ...Array.from({ length: a }, (_, i) =>
          order(at("10:00:00", n - 1), `S${n}`, `a${n}-${i}`, "A", "buy", 120_000, 1),
        ),
        ...Array.from({ length: b }, (_, i) =>
          order(at("10:00:00", n - 1), `S${n}`, `b${n}-${i}`, "B", "buy", 120_000, 1),
        ),
      ]);
      const [alert] = coordination(lines);
      expect((alert!.orders as string[]).length).toBe(3 * listed);
      expect(PAIR_SESSION_ORDERS_MAX).toBe(listed);
    }
  });

  it("a link between two accounts already in one component adds its session's orders", () => {
    id = 0;
    const lines = [
      ...[1, 2, 3].flatMap((n) => pairIn(n, "A", "B")), // o1–o6
      ...[4, 5, 6].flatMap((n) => pairIn(n, "B", "C")), // o7–o12: {A, B, C}
      ...[7, 8].flatMap((n) => pairIn(n, "A", "C")), // o13–o16: evidence, not yet a link
      ...pairIn(9, "C", "A"), // o17, o18: A–C linked inside the component
    ];
    const [alert] = coordination(lines);
    expect(alert!.orders).toEqual(Array.from({ length: 18 }, (_, i) => `o${i + 1}`).sort());
    expect(alert!.figures).toEqual({ linkedPairs: 3, sessions: 9, linkedPairSessionsMin: 3 });
  });
});
