/**
 * `vat.set` (vat.ts) and the BIN on `member.add` (clearinghouse.ts) in the engine: accepted at their limits, refused
 * just past them with their codes and no change of state (the state hash is that of a mere tick).
 */

import { describe, expect, it } from "vitest";
import { VAT_RATE_BPS_MAX } from "../domain/vat.ts";
import type { Command } from "./commands.ts";
import { Engine } from "./engine.ts";
import type { EngineEvent } from "./events.ts";

// 2026-01-05 23:30 in exchange time (UTC+5): still the 5th.
const T0 = Date.UTC(2026, 0, 5, 18, 30, 0);

function run(engine: Engine, command: Command | Record<string, unknown>, timeMs = T0): EngineEvent[] {
  return engine.apply({ seq: engine.lastSeq + 1, timeMs, command: command as Command });
}

/** Runs a command that must be refused; the state afterwards is that of a `time.tick` at the same moment. */
function refused(engine: Engine, command: Record<string, unknown>): string {
  const twin = Engine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
  const events = run(engine, command);
  run(twin, { type: "time.tick" });
  expect(engine.stateHash()).toBe(twin.stateHash());
  expect(events).toHaveLength(1);
  const event = events[0]!;
  return event.type === "rejected" ? event.code : `accepted: ${event.type}`;
}

describe("vat.set", () => {
  it("takes a rate at the limits from the next exchange day, and records it as an event", () => {
    const engine = new Engine();
    expect(run(engine, { type: "vat.set", rateBps: VAT_RATE_BPS_MAX, from: "2026-01-06", reason: "r" })).toEqual([
      { type: "vat.set", rateBps: VAT_RATE_BPS_MAX, from: "2026-01-06", reason: "r" },
    ]);
    expect(run(engine, { type: "vat.set", rateBps: 0, from: "2199-12-31", reason: "r" })).toEqual([
      { type: "vat.set", rateBps: 0, from: "2199-12-31", reason: "r" },
    ]);
  });

  it("refuses a rate past the limit, a date not after today, a date that does not exist, and no reason", () => {
    const engine = new Engine();
    const base = { type: "vat.set", rateBps: 1200, from: "2026-01-06", reason: "r" };
    expect(refused(engine, { ...base, rateBps: VAT_RATE_BPS_MAX + 1 })).toBe("VAT_INVALID");
    expect(refused(engine, { ...base, rateBps: -1 })).toBe("VAT_INVALID");
    expect(refused(engine, { ...base, rateBps: 1200.5 })).toBe("VAT_INVALID");
    expect(refused(engine, { ...base, from: "2026-01-05" })).toBe("VAT_INVALID"); // today, exchange time
    expect(refused(engine, { ...base, from: "2026-02-30" })).toBe("VAT_INVALID");
    expect(refused(engine, { ...base, from: "2200-01-01" })).toBe("VAT_INVALID");
    expect(refused(engine, { ...base, reason: " " })).toBe("FIELD_INVALID");
    expect(refused(engine, { ...base, reason: "x".repeat(501) })).toBe("FIELD_INVALID");
  });
});

describe("member.add with a BIN", () => {
  it("keeps a 12-digit BIN in the event and the snapshot; a member without one snapshots as before", () => {
    const engine = new Engine();
    const events = run(engine, {
      type: "member.add",
      member: "AKTAU",
      name: "Aktau",
      roles: ["buyer"],
      buyerCategory: "wholesaler",
      bin: "080540012345",
    });
    expect(events).toEqual([
      {
        type: "member.added",
        member: "AKTAU",
        name: "Aktau",
        roles: ["buyer"],
        buyerCategory: "wholesaler",
        bin: "080540012345",
      },
    ]);
    run(engine, { type: "member.add", member: "KAZGPZ", name: "Plant", roles: ["producer"] });
    const members = engine.snapshot().house.members.members;
    expect(members.find((m) => m.id === "AKTAU")?.bin).toBe("080540012345");
    expect(Object.hasOwn(members.find((m) => m.id === "KAZGPZ")!, "bin")).toBe(false);
    const restored = Engine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
    expect(restored.stateHash()).toBe(engine.stateHash());
  });

  it("refuses a BIN of 11 or 13 digits or with a letter", () => {
    const engine = new Engine();
    for (const bin of ["08054001234", "0805400123456", "08054001234a"]) {
      expect(refused(engine, { type: "member.add", member: "X", name: "X", roles: ["producer"], bin })).toBe(
        "MEMBER_INVALID",
      );
    }
  });
});
