/** The demo's gradual ceiling path (src/demo/market.ts): steps at midnight, exchange time, as the regulator sets them. */

import { describe, expect, it } from "vitest";
import { setupRequests } from "../../src/demo/market.ts";

const HOUR_MS = 3_600_000;

describe("the demo's ceiling path", () => {
  it("puts each step at 00:00 exchange time (UTC+5), about 30, 60 and 90 days after a start at 14:47", () => {
    const startMs = Date.UTC(2027, 0, 5, 9, 47); // 14:47 on 5 January 2027 in Kazakhstan
    const paths = setupRequests(startMs)
      .filter((r) => r.path.endsWith("/safeguards"))
      .map((r) => r.body.ceilingPath as { effectiveFromMs: number }[]);
    expect(paths.length).toBeGreaterThan(0);
    const steps = new Set(paths.flatMap((path) => path.map((step) => new Date(step.effectiveFromMs).toISOString())));
    // 4 February, 6 March and 5 April 2027 at 00:00 in Kazakhstan are 19:00 UTC the day before.
    expect([...steps]).toEqual(["2027-02-03T19:00:00.000Z", "2027-03-05T19:00:00.000Z", "2027-04-04T19:00:00.000Z"]);
    expect(Math.min(...paths.flat().map((s) => s.effectiveFromMs))).toBeGreaterThan(startMs + 29 * 24 * HOUR_MS);
  });
});
