/** The engine's binary heap against a sorted list: the same items come out in the same order (property). */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { heapPop, heapPush } from "./heap.ts";

interface Item {
  readonly key: number;
  readonly id: number;
}

const comesFirst = (a: Item, b: Item) => a.key < b.key || (a.key === b.key && a.id < b.id);

describe("binary heap", () => {
  it("gives items back in order, whatever the order of pushes and pops (property, fixed seed)", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }), { maxLength: 300 }), (ops) => {
        const heap: Item[] = [];
        const model: Item[] = [];
        ops.forEach((op, id) => {
          if (op === null) {
            if (heap.length === 0) return;
            model.sort((a, b) => (comesFirst(a, b) ? -1 : 1));
            expect(heapPop(heap, comesFirst)).toEqual(model.shift());
          } else {
            heapPush(heap, { key: op, id }, comesFirst);
            model.push({ key: op, id });
          }
        });
        model.sort((a, b) => (comesFirst(a, b) ? -1 : 1));
        const rest: Item[] = [];
        while (heap.length > 0) rest.push(heapPop(heap, comesFirst));
        expect(rest).toEqual(model);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
