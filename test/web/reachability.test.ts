/** Whether the pages say the exchange answers, when requests overlap (web/src/api/reachability.ts). */

import { describe, expect, it } from "vitest";
import { Reachability } from "../../web/src/api/reachability.ts";

describe("the exchange's reachability", () => {
  it("stays unreachable when a request sent before the outage is answered after a newer one failed", () => {
    const reachability = new Reachability();
    const before = reachability.send();
    const during = reachability.send();
    expect(reachability.settle(during, false)).toBe(true);
    expect(reachability.settle(before, true)).toBe(false);
    expect(reachability.reachable).toBe(false);
  });

  it("stays reachable when a request sent before the exchange came back fails after a newer one was answered", () => {
    const reachability = new Reachability();
    const old = reachability.send();
    const fresh = reachability.send();
    expect(reachability.settle(fresh, true)).toBe(false);
    expect(reachability.settle(old, false)).toBe(false);
    expect(reachability.reachable).toBe(true);
  });

  it("follows requests that settle in the order they were sent", () => {
    const reachability = new Reachability();
    expect(reachability.settle(reachability.send(), false)).toBe(true);
    expect(reachability.reachable).toBe(false);
    expect(reachability.settle(reachability.send(), false)).toBe(false);
    expect(reachability.settle(reachability.send(), true)).toBe(true);
    expect(reachability.reachable).toBe(true);
  });
});
