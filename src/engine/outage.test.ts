/**
 * A producer's outage disclosure (`outage.publish`): checked in full, named by its seq, marked late when published at
 * or after the start of the period it affects; every refusal changes nothing (the state hash stays).
 */

import { describe, expect, it } from "vitest";
import { PLANNED_KG_MAX, REASON_LENGTH_MAX } from "../domain/limits.ts";
import type { Command, OutagePublishCommand } from "./commands.ts";
import { Engine } from "./engine.ts";
import type { EngineEvent } from "./events.ts";

const T0 = Date.UTC(2026, 0, 5, 6);
const DAY = 86_400_000;

function market() {
  const engine = new Engine();
  let seq = 0;
  const run = (command: Command, timeMs = T0): EngineEvent[] => engine.apply({ seq: ++seq, timeMs, command });
  const ok = (command: Command, timeMs = T0) => {
    const events = run(command, timeMs);
    expect(events.filter((e) => e.type === "rejected")).toEqual([]);
    return events;
  };
  ok({
    type: "instrument.list",
    instrument: "PB-KAZGPZ-MNG",
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    referencePrice: 13_300_000,
    clearing: {
      basis: "KAZGPZ",
      collateralBps: 500,
      feeBps: 5,
      paymentWindowMs: DAY,
      deliveryWindowMs: DAY,
      buyerDefaultCollateralTo: "seller",
      sellerPenaltyBps: 1000,
    },
    description: { product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
  });
  ok({ type: "member.add", member: "KAZGPZ", name: "Zhanaozen plant", roles: ["producer"] });
  ok({ type: "member.add", member: "AKTAU", name: "Aktau stations", roles: ["buyer"], buyerCategory: "wholesaler" });
  /** Refused with `code`, leaving the state a `time.tick` at the same moment leaves. */
  const refuse = (fields: Record<string, unknown>, code: string) => {
    const twin = Engine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
    const events = run({ ...outage(), ...fields } as Command);
    twin.apply({ seq, timeMs: T0, command: { type: "time.tick" } });
    expect(events).toMatchObject([{ type: "rejected", code }]);
    expect(engine.stateHash()).toBe(twin.stateHash());
    return events[0] as Extract<EngineEvent, { type: "rejected" }>;
  };
  return { engine, ok, refuse, seq: () => seq };
}

const outage = (): OutagePublishCommand => ({
  type: "outage.publish",
  producer: "KAZGPZ",
  basis: "KAZGPZ",
  kind: "planned",
  fromMs: T0 + 7 * DAY,
  toMs: T0 + 21 * DAY,
  volumeKg: 3_600_000,
  reason: "repair of the fractionation unit",
});

describe("outage.publish", () => {
  it("publishes an outage named by its seq; one published at its start or later is late", () => {
    const x = market();
    expect(x.ok(outage())).toEqual([
      {
        type: "outage.published",
        outage: `OUT-${x.seq()}`,
        producer: "KAZGPZ",
        basis: "KAZGPZ",
        kind: "planned",
        fromMs: T0 + 7 * DAY,
        toMs: T0 + 21 * DAY,
        volumeKg: 3_600_000,
        reason: "repair of the fractionation unit",
        publishedMs: T0,
        late: false,
      },
    ]);
    // One millisecond before the start is timely; at the start it is late.
    const early = x.ok({ ...outage(), kind: "unplanned", fromMs: T0 + 1 }, T0);
    expect(early[0]).toMatchObject({ late: false });
    const atStart = x.ok({ ...outage(), kind: "unplanned", fromMs: T0 + 10 }, T0 + 10);
    expect(atStart[0]).toMatchObject({ late: true, publishedMs: T0 + 10 });
  });

  it("refuses what is not a producer's outage at a traded plant, with codes, and changes nothing", () => {
    const x = market();
    x.refuse({ producer: "NOBODY" }, "MEMBER_NOT_FOUND");
    x.refuse({ producer: 7 }, "MEMBER_NOT_FOUND");
    expect(x.refuse({ producer: "AKTAU" }, "MEMBER_NOT_PRODUCER").message).toBe(
      "Member 'AKTAU' is not a producer; only producers publish outages of their plants.",
    );
    x.refuse({ basis: "has space" }, "BASIS_INVALID");
    x.refuse({ basis: "NOWHERE" }, "BASIS_UNKNOWN");
    x.refuse({ kind: "maybe" }, "FIELD_INVALID");
    x.refuse({ fromMs: -1 }, "FIELD_INVALID");
    x.refuse({ fromMs: 1.5 }, "FIELD_INVALID");
    // Starting more than a year (366 days) after now: a notice for 2999 was published as given.
    const ahead = x.refuse({ fromMs: T0 + 366 * DAY + 1, toMs: T0 + 367 * DAY }, "FIELD_INVALID");
    expect(ahead.details).toMatchObject({ field: "fromMs", rule: "at most a year after the current time" });
    x.refuse({ toMs: T0 + 7 * DAY }, "FIELD_INVALID"); // ends when it starts
    x.refuse({ toMs: T0 + 7 * DAY + 366 * DAY + 1 }, "FIELD_INVALID"); // longer than a year
    x.refuse({ volumeKg: 0 }, "FIELD_INVALID");
    x.refuse({ volumeKg: PLANNED_KG_MAX + 1 }, "FIELD_INVALID");
    x.refuse({ reason: " " }, "FIELD_INVALID");
    x.refuse({ reason: "r".repeat(REASON_LENGTH_MAX + 1) }, "FIELD_INVALID");
    // At the limits it is accepted.
    x.ok({
      ...outage(),
      toMs: T0 + 7 * DAY + 366 * DAY,
      volumeKg: PLANNED_KG_MAX,
      reason: "r".repeat(REASON_LENGTH_MAX),
    });
    x.ok({ ...outage(), fromMs: T0 + 366 * DAY, toMs: T0 + 367 * DAY });
  });
});
