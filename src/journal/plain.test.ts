/**
 * `plainCommand`: whenever it returns a copy, the copy is exactly what a JSON round trip of it gives (so the engine sees
 * what replay will see); whenever JSON would change a value, it declines.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PLAIN_DEPTH_MAX, plainCommand } from "./plain.ts";

function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe("plainCommand", () => {
  it("copies plain data deeply, keeping key order, equal to its JSON round trip", () => {
    const command = {
      type: "calendar.set",
      instrument: "PB",
      calendar: { sessions: [{ open: "10:00", close: "16:00" }], weekends: true, holidays: [] },
      b: null,
      a: -1.5e-7,
      "1": "one",
      text: 'quote " backslash \\ é 漢 \ud800',
    };
    const copy = plainCommand(command) as typeof command;
    expect(copy).not.toBe(command);
    expect(copy.calendar).not.toBe(command.calendar);
    expect(copy.calendar.sessions[0]).not.toBe(command.calendar.sessions[0]);
    expect(copy).toStrictEqual(roundTrip(command));
    expect(Object.keys(copy)).toEqual(Object.keys(roundTrip(command) as object));
    expect(JSON.stringify(copy)).toBe(JSON.stringify(command));
  });

  it("leaves out properties whose value is undefined, as JSON does", () => {
    const copy = plainCommand({ type: "x", gone: undefined, kept: 1 });
    expect(copy).toStrictEqual({ type: "x", kept: 1 });
    expect(Object.keys(copy as object)).toEqual(["type", "kept"]);
  });

  it.each([
    ["-0", { n: -0 }],
    ["NaN", { n: Number.NaN }],
    ["Infinity", { n: Number.POSITIVE_INFINITY }],
    ["a bigint", { n: 1n }],
    ["a function", { f: () => 1 }],
    ["a symbol", { s: Symbol("s") }],
    ["a Date", { d: new Date(0) }],
    ["a class instance", { m: new Map() }],
    ["a null-prototype object", { o: Object.create(null) }],
    ["an undefined array item", { a: [1, undefined] }],
    ["an array hole", { a: new Array(2) }],
    ["a __proto__ key", JSON.parse('{"__proto__": {"x": 1}}')],
    ["an object with toJSON", { o: { toJSON: () => "x" } }],
    ["an inherited property", Object.assign(Object.create({ inherited: 1 }), { own: 1 })],
  ])("declines %s", (_, value) => {
    expect(plainCommand(value)).toBeUndefined();
  });

  it("declines nesting deeper than its limit", () => {
    let deep: unknown = 1;
    for (let i = 0; i <= PLAIN_DEPTH_MAX; i++) deep = { d: deep };
    expect(plainCommand(deep)).toBeUndefined();
    expect(plainCommand((deep as { d: unknown }).d)).toStrictEqual((deep as { d: unknown }).d);
  });

  it("calls a getter once and copies its value as data", () => {
    let calls = 0;
    const value = {
      get price() {
        calls++;
        return calls;
      },
    };
    const copy = plainCommand(value);
    expect(copy).toStrictEqual({ price: 1 });
    expect(Object.getOwnPropertyDescriptor(copy, "price")?.value).toBe(1);
  });

  it("on arbitrary JSON-like values, returns either nothing or exactly the round trip of its copy", () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true, withDate: true }),
        (value) => {
          const copy = plainCommand(value);
          if (copy === undefined) return;
          expect(copy).toStrictEqual(roundTrip(copy));
          expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
