/**
 * The history file's format: every refusal names its line and what is wrong; lines that do not break the format are
 * taken; limits (line length, id length, price, quantity) at the limit and one past it; times parsed exactly and
 * printed back the same (checked against Date over four centuries).
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HISTORY_ID_LENGTH_MAX,
  HISTORY_LINE_LENGTH_MAX,
  HISTORY_PRICE_MAX_TENGE,
  HISTORY_QUANTITY_MAX_TONNES,
  HistoryFormatError,
  HistoryReader,
  isoUtc,
  parseIsoUtc,
} from "./history.ts";
import type { MarketRecord } from "./records.ts";
import { account, amend, at, cancel, type Line, member, order, session, trade } from "./test-harness.ts";

const BASE: Line[] = [
  member("M1", "G"),
  member("M2"),
  account("A1", "M1"),
  account("A2", "M2"),
  session("S1", "I1", 0, { upper: 130_000, lower: 100_000 }),
  order(at("10:00:00"), "S1", "b1", "A1", "buy", 120_000, 10),
  order(at("10:00:01"), "S1", "s1", "A2", "sell", 120_000, 10),
];

/** Reads the lines; returns the records, or the refusal as "line N: reason". */
function read(lines: readonly (Line | string)[]): MarketRecord[] | string {
  const records: MarketRecord[] = [];
  const reader = new HistoryReader((r) => records.push(r));
  try {
    for (const line of lines) reader.line(typeof line === "string" ? line : JSON.stringify(line));
    reader.end();
    return records;
  } catch (error) {
    if (error instanceof HistoryFormatError) return error.message;
    throw error;
  }
}

const refusal = (extra: (Line | string)[]) => read([...BASE, ...extra]);

describe("history file: refused lines", () => {
  const n = BASE.length + 1;
  const table: { name: string; line: Line | string; message: string }[] = [
    { name: "not JSON", line: "{type: member}", message: `line ${n}: not valid JSON` },
    { name: "an array", line: "[1,2]", message: `line ${n}: not a JSON object` },
    { name: "a number", line: "42", message: `line ${n}: not a JSON object` },
    { name: "no type", line: { member: "M9" }, message: `line ${n}: type (missing) is not one of member, account` },
    { name: "an unknown type", line: { type: "quote" }, message: `line ${n}: type 'quote' is not one of` },
    {
      name: "a missing field",
      line: { type: "account", account: "A9" },
      message: `line ${n}: a account line needs the field 'member'`,
    },
    {
      name: "an unknown field",
      line: { ...cancel(at("10:00:02"), "b1"), reason: "x" },
      message: `line ${n}: a cancel line has no field 'reason'; its fields are time, order`,
    },
    { name: "an empty id", line: member(""), message: `line ${n}: member '' is not an id` },
    { name: "a numeric id", line: { type: "member", member: 7 }, message: `line ${n}: member 7 is not an id` },
    {
      name: "a time without milliseconds",
      line: cancel("2026-01-05T10:00:02Z", "b1"),
      message: `line ${n}: time '2026-01-05T10:00:02Z' is not an ISO-8601 UTC time`,
    },
    {
      name: "a time with an offset",
      line: cancel("2026-01-05T10:00:02.000+00:00", "b1"),
      message: "is not an ISO-8601 UTC time",
    },
    { name: "30 February", line: cancel("2026-02-30T10:00:02.000Z", "b1"), message: "is not an ISO-8601 UTC time" },
    { name: "hour 24", line: cancel("2026-01-05T24:00:00.000Z", "b1"), message: "is not an ISO-8601 UTC time" },
    {
      name: "a time going back",
      line: cancel(at("09:59:59.999"), "b1"),
      message: `line ${n}: time 2026-01-05T09:59:59.999Z is before the previous line's time 2026-01-05T10:00:01.000Z`,
    },
    {
      name: "a fractional price",
      line: order(at("10:00:02"), "S1", "x", "A1", "buy", 120_000.5, 1),
      message: "price 120000.5 is not a whole number of tenge",
    },
    {
      name: "a price in a string",
      line: order(at("10:00:02"), "S1", "x", "A1", "buy", "120000" as unknown as number, 1),
      message: "price '120000' is not a whole number",
    },
    {
      name: "a zero quantity",
      line: order(at("10:00:02"), "S1", "x", "A1", "buy", 120_000, 0),
      message: "quantity 0 is not a whole number of tonnes",
    },
    {
      name: "a negative quantity",
      line: order(at("10:00:02"), "S1", "x", "A1", "buy", 120_000, -5),
      message: "quantity -5 is not",
    },
    {
      name: "a side 'bid'",
      line: order(at("10:00:02"), "S1", "x", "A1", "bid" as "buy", 120_000, 1),
      message: "side 'bid' is not 'buy' or 'sell'",
    },
    {
      name: "an unknown session",
      line: order(at("10:00:02"), "S9", "x", "A1", "buy", 120_000, 1),
      message: "session 'S9' is not declared on an earlier line",
    },
    {
      name: "an order id in use",
      line: order(at("10:00:02"), "S1", "b1", "A1", "buy", 120_000, 1),
      message: "order 'b1' is already in use",
    },
    {
      name: "a cancel of an unknown order",
      line: cancel(at("10:00:02"), "zz"),
      message: "order 'zz' is not an order of a running session",
    },
    {
      name: "an amend with nothing to change",
      line: amend(at("10:00:02"), "b1", {}),
      message: "an amend needs a price, a quantity or both",
    },
    {
      name: "a trade with a sell order as buyOrder",
      line: trade(at("10:00:02"), "S1", "s1", "b1", 120_000, 5),
      message: "buyOrder 's1' is a sell order",
    },
    {
      name: "a session closing before it opens",
      line: { ...session("S2", "I1", 1), close: at("08:00:00", 1) },
      message: "session 'S2' closes at 2026-01-06T08:00:00.000Z, before it opens",
    },
    {
      name: "limits upside down",
      line: session("S2", "I1", 1, { upper: 100, lower: 200 }),
      message: "upperLimit 100 is below lowerLimit 200",
    },
    {
      name: "a session declared twice",
      line: session("S1", "I9", 3),
      message: "session 'S1' is declared twice (first on line 5)",
    },
    {
      name: "an instrument's sessions out of order",
      line: session("S0", "I1", -1),
      message: "session 'S0' opens at 2026-01-04T09:00:00.000Z, before the previous session of 'I1'",
    },
    {
      name: "an account of two members",
      line: account("A1", "M2"),
      message: "account 'A1' was declared for member 'M1'",
    },
    {
      name: "a line after its session's close",
      line: order(at("17:00:00.001"), "S1", "x", "A1", "buy", 120_000, 1),
      message: "session 'S1' closed at 2026-01-05T17:00:00.000Z, before this line's time 2026-01-05T17:00:00.001Z",
    },
    {
      name: "a cancel after its session's close",
      line: cancel(at("10:00:00", 1), "b1"),
      message: "order 'b1' is not an order of a running session",
    },
  ];
  for (const row of table) {
    it(`${row.name}`, () => {
      const result = refusal([row.line]);
      expect(typeof result).toBe("string");
      expect(result).toContain(row.message);
    });
  }

  it("an order after its cancel, and a trade of a cancelled order", () => {
    expect(refusal([cancel(at("10:00:02"), "b1"), amend(at("10:00:03"), "b1", { price: 1 })])).toBe(
      `line ${n + 1}: order 'b1' was cancelled on line ${n}`,
    );
    expect(refusal([cancel(at("10:00:02"), "b1"), trade(at("10:00:03"), "S1", "b1", "s1", 1, 1)])).toContain(
      "order 'b1' was cancelled",
    );
  });

  it("a trade between orders of two instruments", () => {
    const lines = [session("J1", "I2"), order(at("10:00:02"), "J1", "j1", "A2", "sell", 120_000, 5)];
    expect(refusal([...lines, trade(at("10:00:03"), "S1", "b1", "j1", 120_000, 5)])).toContain(
      "order 'j1' is on instrument 'I2', the trade's session 'S1' on 'I1'",
    );
  });
});

describe("history file: limits", () => {
  it("a line of HISTORY_LINE_LENGTH_MAX characters is read, one more is refused", () => {
    const padded = (length: number) => {
      const text = JSON.stringify(member("M9"));
      return `${text}${" ".repeat(length - text.length)}`;
    };
    expect(typeof read([padded(HISTORY_LINE_LENGTH_MAX)])).not.toBe("string");
    expect(read([padded(HISTORY_LINE_LENGTH_MAX + 1)])).toContain("at most 65536 are allowed");
  });

  it("ids up to HISTORY_ID_LENGTH_MAX characters", () => {
    expect(typeof read([member("M".repeat(HISTORY_ID_LENGTH_MAX))])).not.toBe("string");
    expect(read([member("M".repeat(HISTORY_ID_LENGTH_MAX + 1))])).toContain("is not an id");
  });

  it("prices up to HISTORY_PRICE_MAX_TENGE and quantities up to HISTORY_QUANTITY_MAX_TONNES", () => {
    const line = (price: number, quantity: number) => order(at("10:00:02"), "S1", "x", "A1", "buy", price, quantity);
    const ok = refusal([line(HISTORY_PRICE_MAX_TENGE, HISTORY_QUANTITY_MAX_TONNES)]);
    expect(typeof ok).not.toBe("string");
    expect((ok as MarketRecord[]).at(-2)).toMatchObject({
      priceTiynPerTonne: 1_000_000_000,
      quantityKg: 1_000_000_000,
    });
    expect(refusal([line(HISTORY_PRICE_MAX_TENGE + 1, 1)])).toContain("from 1 to 10000000");
    expect(refusal([line(1, HISTORY_QUANTITY_MAX_TONNES + 1)])).toContain("from 1 to 1000000");
  });
});

describe("history file: taken as given", () => {
  it("turns lines into records in the engine's units, ending sessions as time passes their close", () => {
    const records = read([
      ...BASE,
      amend(at("10:00:02"), "b1", { quantity: 15 }),
      trade(at("10:00:03"), "S1", "b1", "s1", 120_000, 10),
      cancel(at("10:00:04"), "b1"),
      session("S2", "I1", 1),
      order(at("10:00:00", 1), "S2", "b1", "A1", "buy", 121_000, 1), // S1 has closed: the id is free again
    ]);
    expect(records).toEqual([
      { kind: "member", member: "M1", group: "G" },
      { kind: "member", member: "M2", group: null },
      { kind: "account", account: "A1", member: "M1" },
      { kind: "account", account: "A2", member: "M2" },
      {
        kind: "session",
        session: "S1",
        instrument: "I1",
        openMs: Date.parse(at("09:00:00")),
        closeMs: Date.parse(at("17:00:00")),
        upperLimitTiynPerTonne: 13_000_000,
        lowerLimitTiynPerTonne: 10_000_000,
        basis: null,
      },
      expect.objectContaining({
        kind: "order",
        order: "b1",
        message: 6,
        priceTiynPerTonne: 12_000_000,
        quantityKg: 10_000,
        upperLimitTiynPerTonne: 13_000_000,
      }),
      expect.objectContaining({ kind: "order", order: "s1", side: "sell" }),
      expect.objectContaining({
        kind: "amend",
        order: "b1",
        quantityKg: 15_000,
        priceTiynPerTonne: null,
        addedKg: 5_000,
        side: "buy",
      }),
      expect.objectContaining({
        kind: "trade",
        trade: "line-9",
        buyAccount: "A1",
        sellAccount: "A2",
        quantityKg: 10_000,
      }),
      expect.objectContaining({
        kind: "cancel",
        order: "b1",
        filledKg: 10_000,
        quantityEnteredKg: 10_000,
        orderSession: "S1",
      }),
      expect.objectContaining({ kind: "session", session: "S2" }),
      { kind: "sessionEnd", session: "S1", timeMs: Date.parse(at("17:00:00")) },
      expect.objectContaining({ kind: "order", order: "b1", session: "S2" }),
      { kind: "sessionEnd", session: "S2", timeMs: Date.parse(at("17:00:00", 1)) },
    ]);
  });

  it("skips blank lines and a byte order mark; takes null for an absent group or limit", () => {
    const records = read([
      `\uFEFF${JSON.stringify(member("M1"))}`,
      "",
      "   ",
      { type: "member", member: "M2", group: null },
      {
        type: "session",
        session: "S1",
        instrument: "I1",
        open: at("09:00:00"),
        close: at("17:00:00"),
        upperLimit: null,
      },
    ]);
    expect(records).toEqual([
      { kind: "member", member: "M1", group: null },
      { kind: "member", member: "M2", group: null },
      expect.objectContaining({ kind: "session", upperLimitTiynPerTonne: null, lowerLimitTiynPerTonne: null }),
      expect.objectContaining({ kind: "sessionEnd", session: "S1" }),
    ]);
  });

  it("takes an account before its member's line and an order of an undeclared account", () => {
    const records = read([
      account("A1", "M1"),
      member("M1", "G"),
      session("S1", "I1"),
      order(at("10:00:00"), "S1", "o1", "NEW", "buy", 1, 1),
    ]);
    expect(typeof records).not.toBe("string");
  });

  it("a session declared after its close has passed counts, and ends at once", () => {
    const lines = [...BASE, order(at("10:00:00", 2), "S1x", "late", "A1", "buy", 1, 1)];
    const declared = [
      ...BASE.slice(0, 5),
      session("S1x", "I2", 2),
      order(at("10:00:00", 2), "S1x", "o", "A1", "buy", 1, 1),
    ];
    expect(read(lines)).toContain("session 'S1x' is not declared");
    const records = read([...declared, session("S0", "I3", 0)]) as MarketRecord[];
    // S0 closed on day 0, before the last line (day 2): it begins and ends at once.
    const at0 = records.findIndex((r) => r.kind === "session" && r.session === "S0");
    expect(records.slice(at0, at0 + 2)).toEqual([
      expect.objectContaining({ kind: "session", session: "S0" }),
      { kind: "sessionEnd", session: "S0", timeMs: Date.parse(at("17:00:00", 0)) },
    ]);
    expect(
      read([...declared, session("S0", "I3", 0), order(at("10:00:00", 3), "S0", "p", "A1", "buy", 1, 1)]),
    ).toContain("session 'S0' closed at 2026-01-05T17:00:00.000Z");
  });
});

describe("history file: times", () => {
  it("parses and prints YYYY-MM-DDTHH:MM:SS.sssZ exactly as Date does, 1800 to 2200", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1800, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(isoUtc(ms)).toBe(text);
        expect(parseIsoUtc(text)).toBe(ms);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  it("knows leap days", () => {
    expect(parseIsoUtc("2024-02-29T00:00:00.000Z")).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoUtc("2000-02-29T00:00:00.000Z")).toBe(Date.UTC(2000, 1, 29));
    expect(parseIsoUtc("2100-02-29T00:00:00.000Z")).toBeNull();
    expect(parseIsoUtc("2026-02-29T00:00:00.000Z")).toBeNull();
  });
});
