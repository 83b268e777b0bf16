// OrderIndex.add: one lookup that both checks an id is new and indexes it, also while a restore's ids are pending.

import { describe, expect, it } from "vitest";
import { OrderIndex } from "./order-index.ts";

interface Row {
  readonly id: string;
  readonly n: number;
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
    const restored: Row[] = [
      { id: "r1", n: 1 },
      { id: "r2", n: 2 },
    ];
    let made = 0;
    index.adopt(
      restored.map((row) => row.id),
      (budget) => {
        for (; made < restored.length && budget > 0; made++, budget--) index.note(restored[made]!);
        return made === restored.length;
      },
      null,
    );
    expect(index.add("r2", { id: "r2", n: 9 })).toBe(false);
    expect(index.add("new", { id: "new", n: 3 })).toBe(true);
    expect(index.get("new")).toEqual({ id: "new", n: 3 });
    expect([...index.values()].map((row) => row.id).sort()).toEqual(["new", "r1", "r2"]);
  });
});
