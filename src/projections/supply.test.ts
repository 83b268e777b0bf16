import { describe, expect, it } from "vitest";
import { acceptedEvent, EngineRun, KAZGPZ_TERMS, outcomeOf } from "../../test/support/engine-run.ts";
import { InstrumentRegistry } from "./instruments.ts";
import { SUPPLY_MONTHS_KEPT_MAX, SupplyObligations, type SupplyPlanRow } from "./supply.ts";

const REGISTRY = new InstrumentRegistry([
  {
    instrument: "PB-KAZGPZ",
    product: "propane-butane",
    basis: "KAZGPZ",
    region: "MANGYSTAU",
    deliveryPeriod: "2026-01",
  },
  {
    instrument: "PB-ATYRAU",
    product: "propane-butane",
    basis: "ATYRAU-REFINERY",
    region: "MANGYSTAU",
    deliveryPeriod: "2026-01",
  },
]);

const PLAN: SupplyPlanRow[] = [
  { month: "2026-01", producer: "P", basis: "KAZGPZ", plannedKg: 20_000 },
  { month: "2026-01", producer: "A1", basis: "ATYRAU-REFINERY", plannedKg: 5000 },
  { month: "2026-01", producer: "A", basis: "KAZGPZ", plannedKg: 1000 },
  { month: "2026-02", producer: "P", basis: "KAZGPZ", plannedKg: 3000 },
];

describe("domestic supply obligations", () => {
  it("sets offered and sold against the plan per producer and basis, and lists who is short", () => {
    const supply = new SupplyObligations({ registry: REGISTRY, plan: PLAN });
    const run = new EngineRun((outcome) => supply.apply(outcome));
    run.list("PB-KAZGPZ", "continuous");
    run.list("PB-ATYRAU", "continuous");
    // Not in the registry: its basis comes from its clearing terms.
    run.ok({
      type: "instrument.list",
      instrument: "C-UNREG",
      mode: "continuous",
      tickSize: 1,
      lotSize: 1000,
      clearing: KAZGPZ_TERMS,
    });
    for (const id of ["PB-KAZGPZ", "PB-ATYRAU", "C-UNREG"]) run.phase(id, "continuous");
    run.ok(
      { type: "member.add", member: "P", name: "Producer P", roles: ["producer"] },
      { type: "member.add", member: "A", name: "Producer A", roles: ["producer"] },
      { type: "account.open", account: "P1", member: "P" },
      { type: "account.open", account: "P2", member: "P" },
      { type: "account.open", account: "A1", member: "A" },
      { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: 10_000 },
    );

    run.order("PB-KAZGPZ", "p1-a", "P1", "sell", 100_000, 5000);
    run.order("PB-KAZGPZ", "p2-a", "P2", "sell", 101_000, 3000);
    run.ok({ type: "order.amend", orderId: "p2-a", quantity: 4000 }); // +1 t offered
    run.order("C-UNREG", "p1-c", "P1", "sell", 100_000, 2000);
    run.order("PB-KAZGPZ", "b1", "B1", "buy", 101_000, 6000); // buys 5 t from P1 and 1 t from P2
    run.ok({ type: "order.cancel", orderId: "p2-a" }); // what was offered stays offered
    run.order("PB-ATYRAU", "a1-a", "A1", "sell", 90_000, 6000);
    run.timeMs = Date.UTC(2026, 0, 31, 20, 0); // 1 February, 01:00 in Kazakhstan
    run.order("PB-KAZGPZ", "p1-feb", "P1", "sell", 100_000, 1000);

    expect(supply.status("2026-01")).toEqual([
      {
        month: "2026-01",
        producer: "P",
        basis: "KAZGPZ",
        plannedKg: 20_000n,
        offeredKg: 11_000n,
        soldKg: 6000n,
        shortfallKg: 9000n,
        unsoldKg: 14_000n,
        offeredBps: 5500,
      },
      {
        month: "2026-01",
        producer: "A",
        basis: "KAZGPZ",
        plannedKg: 1000n,
        offeredKg: 0n,
        soldKg: 0n,
        shortfallKg: 1000n,
        unsoldKg: 1000n,
        offeredBps: 0,
      },
      {
        month: "2026-01",
        producer: "A1",
        basis: "ATYRAU-REFINERY",
        plannedKg: 5000n,
        offeredKg: 6000n,
        soldKg: 0n,
        shortfallKg: 0n,
        unsoldKg: 5000n,
        offeredBps: 12_000,
      },
    ]);
    expect(supply.shortfalls("2026-01").map((s) => [s.producer, s.shortfallKg])).toEqual([
      ["P", 9000n],
      ["A", 1000n],
    ]);
    expect(supply.actual("2026-01", "P2", "KAZGPZ")).toEqual({ offeredKg: 4000n, soldKg: 1000n });
    expect(supply.shortfalls("2026-02").map((s) => [s.producer, s.offeredKg, s.shortfallKg])).toEqual([
      ["P", 1000n, 2000n],
    ]);
    expect(supply.status("2026-03")).toEqual([]);

    // A new plan applies to what was already seen.
    supply.setPlan([{ month: "2026-01", producer: "P1", basis: "KAZGPZ", plannedKg: 7000 }]);
    expect(supply.status("2026-01").map((s) => [s.offeredKg, s.soldKg, s.shortfallKg])).toEqual([[7000n, 5000n, 0n]]);
  });

  it("refuses a bad or repeated plan row", () => {
    const supply = new SupplyObligations({ registry: REGISTRY });
    expect(() => supply.setPlan([{ month: "2026-13", producer: "P", basis: "KAZGPZ", plannedKg: 1 }])).toThrow(
      /plan.month/,
    );
    expect(() => supply.setPlan([{ month: "2026-01", producer: "P", basis: "KAZGPZ", plannedKg: -1 }])).toThrow(
      /plan.plannedKg/,
    );
    expect(() => supply.setPlan([PLAN[0]!, { ...PLAN[0]!, plannedKg: 1 }])).toThrow(/planned twice/);
    expect(supply.plan()).toEqual([]);
  });

  it("keeps SUPPLY_MONTHS_KEPT_MAX months of offers", () => {
    const supply = new SupplyObligations({ registry: REGISTRY, utcOffsetMs: 0 });
    const n = SUPPLY_MONTHS_KEPT_MAX + 1;
    for (let i = 0; i < n; i++) {
      supply.apply(
        outcomeOf(i + 1, Date.UTC(2026, i, 15), [acceptedEvent("PB-KAZGPZ", `o${i}`, "sell", 100, 1000, "P1")]),
      );
    }
    expect(supply.actual("2026-01", "P1", "KAZGPZ")).toEqual({ offeredKg: 0n, soldKg: 0n });
    expect(supply.actual("2026-02", "P1", "KAZGPZ")).toEqual({ offeredKg: 1000n, soldKg: 0n });
    expect(supply.actual("2031-01", "P1", "KAZGPZ")).toEqual({ offeredKg: 1000n, soldKg: 0n });
  });
});
