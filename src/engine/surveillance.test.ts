/**
 * The engine's surveillance desk: the configuration changed with a reason and checked against its bounds, and cases
 * moving open → under review → closed, every wrong step refused with its code and changing nothing; the state in the
 * snapshot, and left out of it while empty.
 */

import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../domain/surveillance-config.ts";
import type { Command } from "./commands.ts";
import { Engine } from "./engine.ts";
import type { EngineEvent } from "./events.ts";

function run(engine: Engine, command: Command): EngineEvent[] {
  return engine.apply({ seq: engine.lastSeq + 1, timeMs: 1_000 + engine.lastSeq, command });
}

function code(events: readonly EngineEvent[]): string | null {
  const rejected = events.find((e) => e.type === "rejected");
  return rejected?.type === "rejected" ? rejected.code : null;
}

describe("surveillance configuration", () => {
  it("changes only the fields named and says the whole configuration in force", () => {
    const engine = new Engine();
    const events = run(engine, {
      type: "surveillance.configure",
      changes: { spoofing: { lifeMsMax: 30_000 } },
      reason: "shorter life",
    });
    expect(events).toEqual([
      {
        type: "surveillance.configured",
        config: { ...DEFAULT_CONFIG, spoofing: { ...DEFAULT_CONFIG.spoofing, lifeMsMax: 30_000 } },
        changes: { spoofing: { lifeMsMax: 30_000 } },
        reason: "shorter life",
      },
    ]);
    expect(engine.surveillanceConfig?.spoofing.lifeMsMax).toBe(30_000);
    const next = run(engine, {
      type: "surveillance.configure",
      changes: { washTrade: { enabled: false } },
      reason: "r",
    });
    expect(next[0]).toMatchObject({ config: { spoofing: { lifeMsMax: 30_000 }, washTrade: { enabled: false } } });
  });

  it.each([
    [{ spoofing: { lifeMsMax: -1 } }, "why", "SURVEILLANCE_CONFIG_INVALID"],
    [{ insider: {} }, "why", "SURVEILLANCE_CONFIG_INVALID"],
    [{}, "why", "SURVEILLANCE_CONFIG_INVALID"],
    [[1], "why", "SURVEILLANCE_CONFIG_INVALID"],
    [{ priceLimitBidding: { sessionsMin: 11 } }, "why", "SURVEILLANCE_CONFIG_INVALID"],
    [{ concentration: { shareAboveBps: 3500 } }, "why", "SURVEILLANCE_CONFIG_UNCHANGED"],
    [{ concentration: { shareAboveBps: 3000 } }, " ", "FIELD_INVALID"],
  ])("refuses %j (reason %j) with %s and changes nothing", (changes, reason, expected) => {
    const engine = new Engine();
    expect(code(run(engine, { type: "surveillance.configure", changes, reason }))).toBe(expected);
    expect(engine.surveillanceConfig).toBeNull();
    expect(engine.snapshot().surveillance).toBeUndefined();
  });
});

describe("cases", () => {
  it("go open → under review → closed, with alerts joining while not closed", () => {
    const engine = new Engine();
    expect(run(engine, { type: "case.open", alert: "a1", reason: "wash trades" })).toEqual([
      { type: "case.opened", caseId: "CASE-1", alert: "a1", reason: "wash trades" },
    ]);
    expect(run(engine, { type: "case.join", caseId: "CASE-1", alert: "a2", reason: "same pair" })[0]).toMatchObject({
      type: "case.joined",
      caseId: "CASE-1",
      alert: "a2",
    });
    expect(run(engine, { type: "case.note", caseId: "CASE-1", note: "called the member" })[0]).toMatchObject({
      type: "case.noted",
    });
    expect(run(engine, { type: "case.review", caseId: "CASE-1", reason: "evidence complete" })[0]).toMatchObject({
      type: "case.reviewing",
    });
    expect(run(engine, { type: "case.close", caseId: "CASE-1", outcome: "referred", reason: "to the agency" })).toEqual(
      [
        {
          type: "case.closed",
          caseId: "CASE-1",
          outcome: "referred",
          alerts: ["a1", "a2"],
          reason: "to the agency",
        },
      ],
    );
    // The alert is free again: a new case may take the matter up.
    expect(run(engine, { type: "case.open", alert: "a1", reason: "again" })[0]).toMatchObject({ caseId: "CASE-2" });
  });

  it("refuses wrong steps with stable codes, changing nothing", () => {
    const engine = new Engine();
    run(engine, { type: "case.open", alert: "a1", reason: "r" });
    run(engine, { type: "case.open", alert: "b1", reason: "r" });
    run(engine, { type: "case.review", caseId: "CASE-2", reason: "r" });
    run(engine, { type: "case.close", caseId: "CASE-2", outcome: "warning", reason: "r" });
    const hash = engine.stateHash();
    const refusals: [Command, string][] = [
      [{ type: "case.close", caseId: "CASE-1", outcome: "warning", reason: "r" }, "CASE_TRANSITION_INVALID"],
      [{ type: "case.review", caseId: "CASE-2", reason: "r" }, "CASE_TRANSITION_INVALID"],
      [{ type: "case.close", caseId: "CASE-2", outcome: "warning", reason: "r" }, "CASE_TRANSITION_INVALID"],
      [{ type: "case.note", caseId: "CASE-2", note: "late" }, "CASE_TRANSITION_INVALID"],
      [{ type: "case.join", caseId: "CASE-2", alert: "c1", reason: "r" }, "CASE_TRANSITION_INVALID"],
      [{ type: "case.review", caseId: "CASE-9", reason: "r" }, "CASE_NOT_FOUND"],
      [{ type: "case.open", alert: "a1", reason: "r" }, "CASE_ALERT_TAKEN"],
      [{ type: "case.join", caseId: "CASE-1", alert: "a1", reason: "r" }, "CASE_ALERT_TAKEN"],
      [{ type: "case.open", alert: "has space", reason: "r" }, "ALERT_INVALID"],
      [{ type: "case.open", alert: "a9", reason: "" }, "FIELD_INVALID"],
      [{ type: "case.note", caseId: "CASE-1", note: "" }, "CASE_NOTE_INVALID"],
      [{ type: "case.close", caseId: "CASE-1", outcome: "fine" as "warning", reason: "r" }, "CASE_OUTCOME_INVALID"],
    ];
    for (const [command, expected] of refusals) {
      expect(code(run(engine, command)), JSON.stringify(command)).toBe(expected);
    }
    // Only time moved: the same state as an engine that saw only the accepted commands and then the same times.
    const other = new Engine();
    run(other, { type: "case.open", alert: "a1", reason: "r" });
    run(other, { type: "case.open", alert: "b1", reason: "r" });
    run(other, { type: "case.review", caseId: "CASE-2", reason: "r" });
    run(other, { type: "case.close", caseId: "CASE-2", outcome: "warning", reason: "r" });
    expect(other.stateHash()).toBe(hash);
  });

  it("are in the snapshot, and the snapshot leaves the desk out while it is empty", () => {
    const engine = new Engine();
    expect(engine.snapshot().surveillance).toBeUndefined();
    run(engine, { type: "case.open", alert: "a1", reason: "r" });
    run(engine, { type: "surveillance.configure", changes: { washTrade: { enabled: false } }, reason: "r" });
    const restored = Engine.restore(engine.snapshot());
    expect(restored.stateHash()).toBe(engine.stateHash());
    expect(code(run(restored, { type: "case.open", alert: "a1", reason: "r" }))).toBe("CASE_ALERT_TAKEN");
    expect(run(restored, { type: "case.open", alert: "a2", reason: "r" })[0]).toMatchObject({ caseId: "CASE-2" });
    expect(restored.surveillanceConfig?.washTrade.enabled).toBe(false);
  });
});
