/**
 * Delivery terms per instrument: the optional `transport` in an instrument's description (docs/delivery.md §7). A lot
 * is a whole number of transport units; the unit is from TRANSPORT_UNIT_KG_MIN to TRANSPORT_UNIT_KG_MAX kg; a refused
 * listing changes nothing; absent transport keeps the snapshot exactly as before; transport survives a snapshot.
 */

import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../domain/errors.ts";
import { TRANSPORT_UNIT_KG_MAX, TRANSPORT_UNIT_KG_MIN } from "../domain/instrument.ts";
import type { ClearingTerms } from "./clearing.ts";
import type { Command } from "./commands.ts";
import { Engine } from "./engine.ts";
import type { EngineEvent } from "./events.ts";

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);
const DAY_MS = 86_400_000;
const TERMS: ClearingTerms = {
  basis: "KAZGPZ",
  collateralBps: 500,
  feeBps: 5,
  paymentWindowMs: DAY_MS,
  deliveryWindowMs: 5 * DAY_MS,
  buyerDefaultCollateralTo: "seller",
  sellerPenaltyBps: 1000,
};
const DESCRIPTION = { product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" };

function listing(lotSize: number, transport?: unknown, instrument = "PB-RAIL"): Command {
  return {
    type: "instrument.list",
    instrument,
    mode: "call",
    tickSize: 100,
    lotSize,
    clearing: TERMS,
    description: { ...DESCRIPTION, ...(transport === undefined ? {} : { transport }) },
  } as Command;
}

function apply(engine: Engine, command: Command): EngineEvent[] {
  const events = engine.apply({ seq: engine.lastSeq + 1, timeMs: T0, command });
  engine.checkInvariants();
  return events;
}

function refused(command: Command, code: ErrorCode) {
  const engine = new Engine();
  const before = engine.stateHash();
  const events = apply(engine, command);
  const rejected = events.filter((e) => e.type === "rejected");
  expect(rejected.map((e) => (e as { code: string }).code)).toEqual([code]);
  expect(events.some((e) => e.type === "instrument.listed")).toBe(false);
  expect(engine.snapshot().markets).toEqual([]);
  // Only the sequence number moves: the same as an engine that saw nothing but this refused command's seq.
  expect(engine.stateHash()).not.toBe(before);
  const twin = new Engine();
  twin.apply({ seq: 1, timeMs: T0, command: { type: "time.tick" } });
  expect(engine.stateHash()).toBe(twin.stateHash());
  return rejected[0] as EngineEvent & { details: Record<string, unknown> };
}

function listed(command: Command) {
  const engine = new Engine();
  const events = apply(engine, command);
  expect(events.filter((e) => e.type === "rejected")).toEqual([]);
  const event = events.find((e) => e.type === "instrument.listed");
  if (event?.type !== "instrument.listed") throw new Error("not listed");
  return { engine, event };
}

describe("transport in an instrument's description", () => {
  it("lists a rail instrument of one 65 t tank car a lot, and the unit survives a snapshot", () => {
    const { engine, event } = listed(listing(65_000, { unitKg: 65_000, mode: "rail" }));
    // Fields in a fixed order whatever order they were sent in.
    expect(JSON.stringify(event.description?.transport)).toBe('{"mode":"rail","unitKg":65000}');
    const copy = Engine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
    expect(copy.stateHash()).toBe(engine.stateHash());
    expect(copy.snapshot().markets[0]?.spec.description?.transport).toEqual({ mode: "rail", unitKg: 65_000 });
  });

  it("lists a road instrument of 1 t lots at the smallest unit, and two tank cars a lot by rail", () => {
    expect(
      listed(listing(1_000, { mode: "road", unitKg: TRANSPORT_UNIT_KG_MIN })).event.description?.transport,
    ).toEqual({ mode: "road", unitKg: 1_000 });
    expect(listed(listing(130_000, { mode: "rail", unitKg: 65_000 })).event.description?.transport?.unitKg).toBe(
      65_000,
    );
  });

  it("takes a unit at the largest, 100 t, and refuses one kg more or one kg under the smallest", () => {
    expect(listed(listing(100_000, { mode: "rail", unitKg: TRANSPORT_UNIT_KG_MAX })).event.lotSize).toBe(100_000);
    const over = refused(
      listing(200_000, { mode: "rail", unitKg: TRANSPORT_UNIT_KG_MAX + 1 }),
      "TRANSPORT_UNIT_INVALID",
    );
    expect(over.details).toEqual({ value: "100001", min: 1_000, max: 100_000 });
    refused(listing(999_000, { mode: "road", unitKg: TRANSPORT_UNIT_KG_MIN - 1 }), "TRANSPORT_UNIT_INVALID");
    refused(listing(65_000, { mode: "rail", unitKg: 65_000.5 }), "TRANSPORT_UNIT_INVALID");
    refused(listing(65_000, { mode: "rail", unitKg: "65000" }), "TRANSPORT_UNIT_INVALID");
  });

  it("refuses a lot that is not a whole number of units: 64 t or 66 t by 65 t tank car", () => {
    const short = refused(listing(64_000, { mode: "rail", unitKg: 65_000 }), "LOT_NOT_TRANSPORT_UNITS");
    expect(short.details).toEqual({ lotSize: 64_000, unitKg: 65_000, mode: "rail" });
    refused(listing(66_000, { mode: "rail", unitKg: 65_000 }), "LOT_NOT_TRANSPORT_UNITS");
    refused(listing(1_000, { mode: "road", unitKg: 2_000 }), "LOT_NOT_TRANSPORT_UNITS");
  });

  it("refuses an unknown mode, an unknown field and a transport that is not an object", () => {
    refused(listing(1_000, { mode: "ship", unitKg: 1_000 }), "INSTRUMENT_INVALID");
    refused(listing(1_000, { mode: "road", unitKg: 1_000, wagons: 3 }), "INSTRUMENT_INVALID");
    refused(listing(1_000, "road"), "INSTRUMENT_INVALID");
    refused(listing(1_000, null), "INSTRUMENT_INVALID");
  });

  it("leaves an instrument without transport exactly as before: no transport key in the event or the snapshot", () => {
    const { engine, event } = listed(listing(1_000));
    expect(Object.keys(event.description ?? {})).toEqual(["product", "basis", "region", "deliveryPeriod"]);
    expect(JSON.stringify(engine.snapshot())).not.toContain("transport");
  });
});
