import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvariantError } from "../domain/errors.ts";
import type { Command } from "./commands.ts";
import { Engine, type EngineSnapshot } from "./engine.ts";
import type { EngineEvent } from "./events.ts";
import { EXTERNAL_BANK, Ledger, MONEY } from "./ledger.ts";

const SAFE = Number.MAX_SAFE_INTEGER; // 2^53 - 1

describe("Ledger balances at 2^53", () => {
  it("keeps a balance a number up to exactly 2^53 - 1 and a bigint one past it, exactly, and a number again below", () => {
    const ledger = new Ledger();
    ledger.transfer(EXTERNAL_BANK, "A/free", MONEY, SAFE);
    expect(ledger.held("A/free", MONEY)).toBe(SAFE);
    expect(ledger.held(EXTERNAL_BANK, MONEY)).toBe(-SAFE);

    ledger.transfer(EXTERNAL_BANK, "A/free", MONEY, 1);
    expect(ledger.held("A/free", MONEY)).toBe(2n ** 53n);
    expect(ledger.held(EXTERNAL_BANK, MONEY)).toBe(-(2n ** 53n));
    ledger.transfer(EXTERNAL_BANK, "A/free", MONEY, 2);
    expect(ledger.held("A/free", MONEY)).toBe(2n ** 53n + 2n); // not a double: 2^53 + 2 is, 2^53 + 1 is not
    ledger.transfer("A/free", "B/free", MONEY, 1);
    expect(ledger.held("A/free", MONEY)).toBe(2n ** 53n + 1n);
    expect(ledger.balance("A/free", MONEY)).toBe(9_007_199_254_740_993n);
    expect(ledger.snapshot().balances).toEqual([
      ["A/free", MONEY, "9007199254740993"],
      ["B/free", MONEY, "1"],
      ["external/bank", MONEY, "-9007199254740994"],
    ]);
    ledger.checkInvariants();

    ledger.transfer("A/free", "B/free", MONEY, 2);
    expect(ledger.held("A/free", MONEY)).toBe(SAFE);
    ledger.transfer("A/free", EXTERNAL_BANK, MONEY, SAFE);
    expect(ledger.held("A/free", MONEY)).toBe(0);
    expect(ledger.held(EXTERNAL_BANK, MONEY)).toBe(-3);
    expect(ledger.snapshot().balances).toEqual([
      ["B/free", MONEY, "3"],
      ["external/bank", MONEY, "-3"],
    ]);
  });

  it("refuses a member account's transfer of more than it holds, past 2^53 too, and changes nothing", () => {
    const ledger = new Ledger();
    ledger.transfer(EXTERNAL_BANK, "A/free", MONEY, SAFE);
    ledger.transfer(EXTERNAL_BANK, "A/free", MONEY, SAFE);
    ledger.transfer("A/free", "B/free", MONEY, SAFE);
    const before = ledger.snapshot();
    expect(() => ledger.transfer("A/free", "B/free", MONEY, SAFE)).not.toThrow();
    expect(() => ledger.transfer("A/free", "B/free", MONEY, 1)).toThrow(InvariantError);
    expect(() => ledger.transfer("A/free", "B/free", MONEY, 1)).toThrow(/A\/free would hold -1 KZT/);
    expect(ledger.held("B/free", MONEY)).toBe(2n * BigInt(SAFE));
    expect(ledger.snapshot()).toEqual({
      balances: [
        ["B/free", MONEY, "18014398509481982"],
        ["external/bank", MONEY, "-18014398509481982"],
      ],
    });
    expect(before.balances[0]).toEqual(["A/free", MONEY, "9007199254740991"]);
  });

  it("restores a snapshot's balances exactly, a number where it is a safe integer and a bigint past it", () => {
    const ledger = Ledger.restore({
      balances: [
        ["A/free", MONEY, "9007199254740991"],
        ["B/free", MONEY, "9007199254740993"],
        ["external/bank", MONEY, "-18014398509481984"],
      ],
    });
    expect(ledger.held("A/free", MONEY)).toBe(SAFE);
    expect(ledger.held("B/free", MONEY)).toBe(9_007_199_254_740_993n);
    ledger.transfer("B/free", "A/free", MONEY, 2);
    expect(ledger.held("B/free", MONEY)).toBe(SAFE);
    expect(ledger.held("A/free", MONEY)).toBe(2n ** 53n + 1n);
    ledger.checkInvariants();
    expect(Ledger.restore(ledger.snapshot()).snapshot()).toEqual(ledger.snapshot());
  });
});

/** test/data/ledger-limits.json: written by the engine that kept every balance as a bigint (test/support/make-ledger-limits.ts). */
interface LimitsFixture {
  readonly startMs: number;
  readonly first: Command[];
  readonly snapshot: EngineSnapshot;
  readonly stateHash: string;
  readonly then: Command[];
  readonly events: EngineEvent[][];
  readonly finalStateHash: string;
  readonly finalSnapshot: EngineSnapshot;
}

describe("an engine with sums past 2^53, against what the bigint-only engine wrote", () => {
  const fixture = JSON.parse(
    readFileSync(new URL("../../test/data/ledger-limits.json", import.meta.url), "utf8"),
  ) as LimitsFixture;
  const run = (engine: Engine, commands: Command[], seq: number) =>
    commands.map((command, i) => engine.apply({ seq: seq + i + 1, timeMs: fixture.startMs + seq + i + 1, command }));

  it("restores that engine's snapshot (the bank's balance at -2^53, a session's value not a double) and goes on as it did", () => {
    const engine = Engine.restore(structuredClone(fixture.snapshot));
    expect(engine.stateHash()).toBe(fixture.stateHash);
    expect(JSON.stringify(engine.snapshot())).toBe(JSON.stringify(fixture.snapshot));
    const ledger = engine.clearingHouse.ledger;
    expect(ledger.held(EXTERNAL_BANK, MONEY)).toBe(-(2n ** 53n));
    expect(ledger.held("B1/free", MONEY)).toBe(8_956_699_310_240_986);
    expect(fixture.snapshot.markets[0]!.session.valueTiynKg).toBe("999998900000100000");

    // Then writes what it wrote: B1's free money to exactly 2^53 and back, a refusal, a trade, a session closed on a
    // value past 2^53 (band reference 999,999,850).
    const events = run(engine, fixture.then.slice(0, 1), fixture.first.length);
    expect(ledger.held("B1/free", MONEY)).toBe(2n ** 53n);
    events.push(...run(engine, fixture.then.slice(1), fixture.first.length + 1));
    expect(ledger.held("B1/free", MONEY)).toBe(8_956_699_315_240_981);
    expect(JSON.stringify(events)).toBe(JSON.stringify(fixture.events));
    expect(engine.stateHash()).toBe(fixture.finalStateHash);
    expect(JSON.stringify(engine.snapshot())).toBe(JSON.stringify(fixture.finalSnapshot));
  });

  it("writes the same snapshot and events from the commands alone", () => {
    const engine = new Engine();
    run(engine, fixture.first, 0);
    expect(JSON.stringify(engine.snapshot())).toBe(JSON.stringify(fixture.snapshot));
    const events = run(engine, fixture.then, fixture.first.length);
    expect(JSON.stringify(events)).toBe(JSON.stringify(fixture.events));
    expect(engine.stateHash()).toBe(fixture.finalStateHash);
  });
});
