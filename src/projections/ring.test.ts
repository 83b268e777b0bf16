import { describe, expect, it } from "vitest";
import { Ring } from "./ring.ts";

describe("Ring", () => {
  it("keeps the newest items up to its capacity and hands back what it drops", () => {
    const ring = new Ring<number>(3);
    expect(ring.newest()).toBeUndefined();
    expect([1, 2, 3].map((n) => ring.push(n))).toEqual([undefined, undefined, undefined]);
    expect(ring.push(4)).toBe(1);
    expect(ring.push(5)).toBe(2);
    expect(ring.length).toBe(3);
    expect(ring.newestFirst()).toEqual([5, 4, 3]);
    expect(ring.newestFirst(2)).toEqual([5, 4]);
    expect([ring.newest(), ring.oldest(), ring.newestAt(1), ring.newestAt(3)]).toEqual([5, 3, 4, undefined]);
    const seen: number[] = [];
    ring.scanNewestFirst((n) => {
      seen.push(n);
      return n > 4;
    });
    expect(seen).toEqual([5, 4]);
  });

  it("refuses a capacity below one", () => {
    expect(() => new Ring(0)).toThrow("ring capacity 0 must be at least 1");
  });
});
