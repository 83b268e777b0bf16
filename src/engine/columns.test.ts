/** Snapshot columns (columns.ts): runs where they are shorter, read back exactly, and refused when they do not fit. */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Column,
  ColumnReader,
  columnLength,
  encodeColumn,
  encodeIds,
  IdColumnReader,
  idParts,
  RandomColumn,
  StringTable,
  TextColumnReader,
} from "./columns.ts";

const readAll = <T extends number | null>(column: Column<T>, length: number): T[] => {
  const reader = new ColumnReader(column, length, "x");
  return Array.from({ length }, () => reader.next());
};

describe("snapshot columns", () => {
  it("writes runs only when there are fewer than half as many runs as entries", () => {
    expect(encodeColumn([])).toEqual([]);
    expect(encodeColumn([7])).toEqual([7]);
    expect(encodeColumn([7, 7])).toEqual([7, 7]);
    expect(encodeColumn([7, 7, 7])).toEqual({ runs: [7, 3] });
    expect(encodeColumn([null, null, null, 5, 5])).toEqual({ runs: [null, 3, 5, 2] });
    expect(encodeColumn([1, 1, 2, 2])).toEqual([1, 1, 2, 2]);
    expect(encodeColumn([1, 1, 1, 2, 2])).toEqual({ runs: [1, 3, 2, 2] });
  });

  it("reads back every column exactly (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(0, 1, 500, null), fc.integer()), { maxLength: 60 }), (values) => {
        const column = encodeColumn(values);
        expect(readAll(JSON.parse(JSON.stringify(column)) as Column<number | null>, values.length)).toEqual(values);
      }),
      { seed: 16, numRuns: 300 },
    );
  });

  it("stores ids as a stem and the number they end in, and reads every id back exactly (property)", () => {
    const table = new StringTable();
    const ids = ["OB-PB-S1-1", "OB-PB-S1-25", "o0", "o007", "abc", "x1234567890123456", "x1012345678901234"];
    const column = encodeIds(ids, table);
    // "o007" and "x1012345678901234" (its last 15 digits start with 0) keep their digits: no number gives them back.
    expect(table.strings).toEqual(["OB-PB-S1-", "o", "o007", "abc", "x1", "x1012345678901234"]);
    expect(column).toEqual({ stem: [0, 0, 1, 2, 3, 4, 5], number: [1, 25, 0, null, null, 234567890123456, null] });
    expect(columnLength(column.stem)).toBe(ids.length);
    const id = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.tuple(fc.constantFrom("OB-I-S1-", "o", "B1~", "7"), fc.nat()).map(([stem, n]) => `${stem}${n}`),
      fc.stringMatching(/^[a-z]{0,3}[0-9]{1,20}$/),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 40 }), (values) => {
        const strings = new StringTable();
        const stored = JSON.parse(JSON.stringify(encodeIds(values, strings)));
        const reader = new IdColumnReader(stored, values.length, strings.strings, "id", "done order");
        expect(Array.from({ length: values.length }, () => reader.next())).toEqual(values);
      }),
      { seed: 6, numRuns: 300 },
    );
  });

  it("names ids as `idParts` and `StringTable.index`, one id after another, would (property)", () => {
    // encodeIds reads the digits itself and takes the stem before again without a lookup; this is the plain way.
    const reference = (ids: readonly string[]) => {
      const table = new StringTable();
      const parts = ids.map(idParts);
      const stem = encodeColumn(parts.map(([s]) => table.index(s)));
      return { strings: table.strings, column: { stem, number: encodeColumn(parts.map(([, n]) => n)) } };
    };
    const id = fc.oneof(
      fc
        .tuple(fc.constantFrom("OB-I-S1-", "OB-I-S1-1", "o", "o0", "", "x9"), fc.nat())
        .map(([stem, n]) => `${stem}${n}`),
      fc.stringMatching(/^[ab]{0,2}0?[0-9]{0,17}$/),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 40 }), (ids) => {
        const table = new StringTable();
        const column = encodeIds(ids, table);
        expect({ strings: table.strings, column }).toEqual(reference(ids));
      }),
      { seed: 21, numRuns: 500 },
    );
    // "o12" is the stem "o" again (not "o1" and 2); "o1x03" keeps its digits (a leading zero); "7" has the empty stem.
    const table = new StringTable();
    expect(encodeIds(["o5", "o12", "o1x3", "o1x03", "7", "8", "0", "00"], table)).toEqual({
      stem: [0, 0, 1, 2, 3, 3, 3, 4],
      number: [5, 12, 3, null, 7, 8, 0, null],
    });
    expect(table.strings).toEqual(["o", "o1x", "o1x03", "", "00"]);
  });

  it("names a field's strings as `index` one by one would, the same string again without a lookup", () => {
    const table = new StringTable();
    table.index("first");
    const instrument = table.field();
    const status = table.field();
    const rows: [string, string][] = [
      ["I1", "open"],
      ["I1", "open"],
      ["I2", "first"],
      ["I1", "done"],
      ["I2", "done"],
    ];
    const named = rows.map(([i, s]) => [instrument(i), status(s)]);
    expect(named).toEqual([
      [1, 2],
      [1, 2],
      [3, 0],
      [1, 4],
      [3, 4],
    ]);
    expect(table.strings).toEqual(["first", "I1", "open", "I2", "done"]);
    expect(table.indexAll(["done", "I9", "I9", "first"])).toEqual([4, 5, 5, 0]);
    expect(table.strings).toEqual(["first", "I1", "open", "I2", "done", "I9"]);
  });

  it("refuses a column that holds another number of entries, a run of no entries, or an index naming no string", () => {
    expect(() => new ColumnReader([1, 2], 3, "open")).toThrow("snapshot order column open does not hold 3 entries");
    expect(() => new ColumnReader({ runs: [1, 2] }, 3, "open")).toThrow(
      "snapshot order column open does not hold 3 entries",
    );
    expect(() => new ColumnReader({ runs: [1, 4] }, 3, "open")).toThrow(
      "snapshot order column open does not hold 3 entries",
    );
    expect(() => new ColumnReader({ runs: [1, 0, 1, 3] }, 3, "open")).toThrow(
      "snapshot order column open does not hold 3 entries",
    );
    expect(() => new ColumnReader({ runs: [1, 1.5, 1, 1.5] }, 3, "open")).toThrow(
      "snapshot order column open does not hold 3 entries",
    );
    expect(() => new ColumnReader({ runs: [1, 3, 2] }, 3, "open")).toThrow(
      "snapshot order column open is not a column",
    );
    expect(() => new TextColumnReader({ runs: [2, 3] }, 3, ["a", "b"], "side")).toThrow(
      "snapshot order column names string 2, which does not exist",
    );
    expect(() => new TextColumnReader([0, 1, -1], 3, ["a", "b"], "side")).toThrow(
      "snapshot order column names string -1, which does not exist",
    );
    const text = new TextColumnReader({ runs: [1, 2, 0, 1] }, 3, ["a", "b"], "side");
    expect([text.next(), text.next(), text.next()]).toEqual(["b", "b", "a"]);
  });

  it("reads a column's entries by index in any order (RandomColumn), as runs or as entries", () => {
    const values = [7, 7, 7, null, null, 3, 9, 9, 9, 9, 1, 7, 7];
    for (const column of [encodeColumn(values), values] as Column<number | null>[]) {
      const random = new RandomColumn(column, values.length, "x");
      const order = [...values.keys(), ...[...values.keys()].reverse(), 5, 0, 12, 3, 11, 1, 10];
      for (const i of order) expect(random.at(i)).toBe(values[i]);
    }
    expect(() => new RandomColumn({ runs: [7, 3, 1, 1] }, 5, "open")).toThrow(
      "snapshot order column open does not hold 5 entries",
    );
  });
});
