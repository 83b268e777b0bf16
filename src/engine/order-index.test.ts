// OrderIndex.add: one lookup that both checks an id is new and indexes it, also while a restore's ids are pending.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OrderIndex } from "./order-index.ts";

interface Row {
  readonly id: string;
  readonly n: number;
}

/** Hands `restored` to `index` as a restore does: their ids now, their records made when the index needs them. */
function adoptRestored(index: OrderIndex<Row>, restored: readonly Row[]): void {
  let made = 0;
  index.adopt(
    restored.map((row) => row.id),
    (budget) => {
      for (; made < restored.length && budget > 0; made++, budget--) index.note(restored[made]!);
      return made === restored.length;
    },
    null,
  );
}

describe("OrderIndex.add", () => {
  it("indexes a new id and answers false for an id it has", () => {
    const index = new OrderIndex<Row>();
    expect(index.add("a", { id: "a", n: 1 })).toBe(true);
    expect(index.add("b", { id: "b", n: 2 })).toBe(true);
    expect(index.add("a", { id: "a", n: 3 })).toBe(false);
    expect(index.get("b")).toEqual({ id: "b", n: 2 });
    expect(index.size).toBe(2);
  });

  it("counts an id a restore left pending as had, and indexes a new one beside them", () => {
    const index = new OrderIndex<Row>();
    adoptRestored(index, [
      { id: "r1", n: 1 },
      { id: "r2", n: 2 },
    ]);
    expect(index.add("r2", { id: "r2", n: 9 })).toBe(false);
    expect(index.add("new", { id: "new", n: 3 })).toBe(true);
    expect(index.get("new")).toEqual({ id: "new", n: 3 });
    expect([...index.values()].map((row) => row.id).sort()).toEqual(["new", "r1", "r2"]);
  });
});

describe("OrderIndex.byId", () => {
  it("lists every record in id order after any adds, sets, replacements and deletes (property)", () => {
    // Each step: add, set (new or replacing), delete (held or not), or list; the list is checked against a Map's.
    const step = fc.oneof(
      fc.record({ op: fc.constant("add" as const), id: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ op: fc.constant("set" as const), id: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ op: fc.constant("delete" as const), id: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ op: fc.constant("list" as const), id: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const index = new OrderIndex<Row>();
        const model = new Map<string, Row>();
        let n = 0;
        for (const { op, id } of steps) {
          const key = `o${id}`;
          const row = { id: key, n: n++ };
          if (op === "add") {
            expect(index.add(key, row)).toBe(!model.has(key));
            model.set(key, row);
          } else if (op === "set") {
            index.set(key, row);
            model.set(key, row);
          } else if (op === "delete") {
            index.delete(key);
            model.delete(key);
          } else {
            const expected = [...model.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
            expect(index.byId()).toEqual(expected);
          }
        }
        expect(index.byId()).toEqual([...model.values()].sort((a, b) => (a.id < b.id ? -1 : 1)));
      }),
      { seed: 12, numRuns: 400 },
    );
  });

  it("adds the records set since the last list to it, and lists again from the index after a delete or a replacement", () => {
    const index = new OrderIndex<Row>();
    for (const id of ["o3", "o1", "o2"]) index.set(id, { id, n: 0 });
    const first = index.byId();
    expect(first.map((row) => row.id)).toEqual(["o1", "o2", "o3"]);
    index.set("o10", { id: "o10", n: 1 });
    expect(index.byId().map((row) => row.id)).toEqual(["o1", "o10", "o2", "o3"]);
    expect(first.map((row) => row.id)).toEqual(["o1", "o2", "o3"]); // a list given out is not changed after
    index.set("o2", { id: "o2", n: 2 }); // replaced
    expect(index.byId().find((row) => row.id === "o2")?.n).toBe(2);
    index.delete("o1");
    index.set("o0", { id: "o0", n: 3 });
    expect(index.byId().map((row) => row.id)).toEqual(["o0", "o10", "o2", "o3"]);
  });

  it("lists a restore's pending records with the rest, also after a list of the empty index", () => {
    const index = new OrderIndex<Row>();
    expect(index.byId()).toEqual([]);
    adoptRestored(index, [
      { id: "r2", n: 1 },
      { id: "r1", n: 2 },
    ]);
    index.set("a", { id: "a", n: 3 });
    expect(index.byId().map((row) => row.id)).toEqual(["a", "r1", "r2"]);
  });
});
