/** The limits in force as the read side shows them: at the journal's time, never ahead of the engine. */

import { describe, expect, it } from "vitest";
import { EngineRun, T0 } from "../../test/support/engine-run.ts";
import { Projections } from "./index.ts";

const HOUR_MS = 3_600_000;

describe("limits in force at the journal's time", () => {
  it("show a ceiling step once a command has brought it in, never by the wall clock alone", () => {
    const projections = new Projections();
    const run = new EngineRun((outcome) => projections.apply(outcome));
    run.list("PB", "continuous", { tickSize: 100, referencePrice: 13_000_000 });
    run.ok({
      type: "safeguards.set",
      instrument: "PB",
      changes: {
        bandBps: 1000,
        ceiling: 14_000_000,
        floor: 10_000_000,
        maxShareBps: 6000,
        maxLotsPerOrder: 40,
        ceilingPath: [{ effectiveFromMs: T0 + HOUR_MS, ceiling: 13_500_000 }],
      },
      reason: "test",
    });
    const before = {
      bandReferenceTiynPerTonne: 13_000_000,
      // ±10% of 13,000,000 is 11,700,000..14,300,000; clipped to the ceiling (docs/market-rules.md, "Price limits").
      band: { lowTiynPerTonne: 11_700_000, highTiynPerTonne: 14_000_000 },
      staticBand: { lowTiynPerTonne: 11_700_000, highTiynPerTonne: 14_300_000 },
      ceilingTiynPerTonne: 14_000_000,
      floorTiynPerTonne: 10_000_000,
      ceilingStepsToCome: [{ effectiveFromMs: T0 + HOUR_MS, ceiling: 13_500_000 }],
      maxShareBps: 6000,
      maxLotsPerOrder: 40,
    };
    expect(projections.limits.of("PB")).toEqual(before);
    // An hour passes with no command: the journal's time is still T0, and so are the limits.
    expect(projections.lastTimeMs).toBe(T0);
    expect(projections.limits.of("PB")).toEqual(before);
    run.timeMs = T0 + HOUR_MS;
    run.ok({ type: "time.tick" });
    expect(projections.limits.of("PB")).toEqual({
      ...before,
      band: { lowTiynPerTonne: 11_700_000, highTiynPerTonne: 13_500_000 },
      ceilingTiynPerTonne: 13_500_000,
      ceilingStepsToCome: [],
    });
    expect(run.engine.market("PB")!.band()).toEqual({ low: 11_700_000, high: 13_500_000 });
    expect(run.engine.market("PB")!.safeguards.ceiling).toBe(13_500_000);
    expect(projections.limits.of("NOPE")).toBeNull();
  });

  it("keep the static band beside a ceiling below it, which leaves the ceiling the one price that can trade", () => {
    const projections = new Projections();
    const run = new EngineRun((outcome) => projections.apply(outcome));
    run.list("PB", "continuous", { tickSize: 100, referencePrice: 13_000_000 });
    run.ok({
      type: "safeguards.set",
      instrument: "PB",
      changes: { bandBps: 1000, ceiling: 10_000_000 },
      reason: "test",
    });
    expect(projections.limits.of("PB")).toMatchObject({
      band: { lowTiynPerTonne: 10_000_000, highTiynPerTonne: 10_000_000 },
      staticBand: { lowTiynPerTonne: 11_700_000, highTiynPerTonne: 14_300_000 },
      ceilingTiynPerTonne: 10_000_000,
    });
    expect(run.engine.market("PB")!.band()).toEqual({ low: 10_000_000, high: 10_000_000 });
    run.ok({ type: "safeguards.set", instrument: "PB", changes: { bandBps: null }, reason: "test" });
    expect(projections.limits.of("PB")).toMatchObject({ band: null, staticBand: null });
  });
});
