import { describe, expect, it } from "vitest";
import { InstrumentRegistry } from "./instruments.ts";

const INFO = {
  instrument: "PB-KAZGPZ-MANGYSTAU-2026-01",
  product: "propane-butane",
  basis: "KAZGPZ",
  region: "MANGYSTAU",
  deliveryPeriod: "2026-01",
};

describe("instrument registry", () => {
  it("holds instrument descriptions, replacing by id", () => {
    const registry = new InstrumentRegistry([INFO]);
    registry.set({ ...INFO, instrument: "A", region: "KZ" });
    registry.set({ ...INFO, region: "ATYRAU" });
    expect(registry.get(INFO.instrument)?.region).toBe("ATYRAU");
    expect(registry.all().map((i) => i.instrument)).toEqual(["A", INFO.instrument]);
    expect(registry.get("missing")).toBeUndefined();
  });

  it("refuses an entry with a bad field, naming it", () => {
    const registry = new InstrumentRegistry();
    expect(() => registry.set({ ...INFO, basis: "has space" })).toThrow(
      `Field 'basis' has value "has space"; an instrument's basis is 1 to 64 printable characters without spaces.`,
    );
    expect(() => registry.set({ ...INFO, deliveryPeriod: "2026-1" })).toThrow(/deliveryPeriod.*YYYY-MM/);
    expect(registry.all()).toEqual([]);
  });
});
