/**
 * The composed read models: a worked session through `Projections` (sessions feeding indices and the reference
 * price, journal records at startup, seq discipline), and a property test that after every command of random streams
 * the event-built views equal the engine's own state: depth per side, phase, the price limits in force, indicative
 * auction price, the ledger, every order's status and quantities, and every obligation.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EngineRun, KAZGPZ_TERMS, outcomeOf, T0 } from "../../test/support/engine-run.ts";
import type { Side } from "../domain/order.ts";
import type { Command } from "../engine/commands.ts";
import { PHASES } from "../engine/phases.ts";
import { type IndicativePrice, ProjectionGapError, type ProjectionRecord, Projections } from "./index.ts";
import type { ProjectionOutcome } from "./outcome.ts";

function recordOf(outcome: ProjectionOutcome): ProjectionRecord {
  return {
    seq: outcome.seq,
    timeMs: outcome.timeMs,
    meta: JSON.stringify(outcome.meta),
    command: JSON.stringify(outcome.command),
    events: JSON.stringify(outcome.events),
  };
}

describe("Projections", () => {
  it("runs a session end to end: results, index, reference price, market data, audit, and the same from records", () => {
    const projections = new Projections({
      instruments: [
        {
          instrument: "PB",
          product: "propane-butane",
          basis: "KAZGPZ",
          region: "MANGYSTAU",
          deliveryPeriod: "2026-01",
        },
      ],
    });
    const run = new EngineRun((outcome) => projections.apply(outcome));
    run.list("PB", "continuous", { referencePrice: 13_312_600 });
    run.phase("PB", "collection");
    run.order("PB", "s1", "KAZGPZ-1", "sell", 13_300_000, 10_000);
    run.order("PB", "s2", "KAZGPZ-2", "sell", 13_360_000, 2000);
    run.order("PB", "b1", "AKTAU-GAS", "buy", 13_400_000, 6000);
    // 6 t executable at every candidate; the least surplus (4 t) is at 13,300,000.
    run.phase("PB", "uncross");
    run.order("PB", "b2", "ZHANAOZEN-AUTO", "buy", 13_400_000, 5000); // 4 t at 13,300,000, 1 t at 13,360,000
    run.timeMs = T0 + 7_200_000;
    run.phase("PB", "closed");

    // 10 t at 13,300,000 and 1 t at 13,360,000: 146,360,000 tiyn over 11 t = 13,305,454.5 tiyn/t.
    expect(projections.sessions.last("PB")).toMatchObject({
      referencePriceTiynPerTonne: 13_312_600,
      openTiynPerTonne: 13_300_000,
      closeTiynPerTonne: 13_360_000,
      trades: 3,
      volumeKg: 11_000n,
      valueTiyn: 146_360_000n,
      vwapTiynPerTonne: 13_305_455,
      offeredKg: 12_000n,
      bidKg: 11_000n,
      buyers: 2,
      sellers: 2,
    });
    expect(projections.sessions.referencePrice("PB")).toBe(13_305_455);
    expect(projections.marketData.quote("PB")).toMatchObject({
      phase: "closed",
      lastPriceTiynPerTonne: 13_360_000,
      referencePriceTiynPerTonne: 13_305_455,
      changeTiynPerTonne: 54_545,
      changeBps: 41,
      bestAsk: { priceTiynPerTonne: 13_360_000, quantityKg: 1000, orders: 1 },
      lastAuction: { priceTiynPerTonne: 13_300_000, volumeKg: 6000, surplusKg: 4000, surplusSide: "sell" },
    });
    expect(projections.indices.basis("2026-01-05", "propane-butane", "KAZGPZ")).toMatchObject({
      priceTiynPerTonne: 13_305_455,
      volumeKg: 11_000n,
      sessions: 1,
    });
    expect(projections.indices.national("2026-01-05", "propane-butane")?.priceTiynPerTonne).toBe(13_305_455);
    expect(projections.audit.query({ commandType: "order.new" }).map((e) => e.account)).toEqual([
      "ZHANAOZEN-AUTO",
      "AKTAU-GAS",
      "KAZGPZ-2",
      "KAZGPZ-1",
    ]);
    expect(projections.lastSeq).toBe(run.outcomes.length);

    const fromRecords = new Projections({ instruments: projections.instruments });
    for (const outcome of run.outcomes) expect(fromRecords.applyRecord(recordOf(outcome))).toBe(true);
    expect(fromRecords.sessions.history("PB")).toEqual(projections.sessions.history("PB"));
    expect(fromRecords.marketData.quote("PB")).toEqual(projections.marketData.quote("PB"));
    expect(fromRecords.audit.query()).toEqual(projections.audit.query());
  });

  it("ignores an outcome applied twice and refuses a gap", () => {
    const projections = new Projections();
    expect(projections.apply(outcomeOf(1, T0, []))).toBe(true);
    expect(projections.apply(outcomeOf(1, T0, []))).toBe(false);
    expect(() => projections.apply(outcomeOf(3, T0, []))).toThrow(ProjectionGapError);
    expect(projections.audit.size).toBe(1);
    expect(() => projections.applyRecord({ seq: 2, timeMs: T0, meta: "{}", command: "{", events: "[]" })).toThrow(
      "journal record 2: command is not JSON",
    );
    expect(() => projections.applyRecord({ seq: 2, timeMs: T0, meta: "{}", command: "{}", events: "[1]" })).toThrow(
      "journal record 2: events are not a list of events",
    );
    expect(projections.lastSeq).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property: the event-built views equal the engine's state after every command of random streams.

const SEED = 20_260_105;
const RUNS = 120;
const COMMANDS_MAX = 150;
const INSTRUMENTS = ["C", "K", "B"] as const; // cleared continuous, bare call, bare continuous with 1 kg lots
const ACCOUNTS = ["P1", "P2", "B1", "B2"] as const;
const TIFS = ["GTC", "GTC", "DAY", "GTD", "IOC", "FOK"] as const;
const STPS = ["cancel-taker", "cancel-maker", "cancel-both"] as const;
const LOOKBACK_MAX = 8;

const opArbitrary = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constant("new" as const),
      instrument: fc.constantFrom(...INSTRUMENTS),
      account: fc.integer({ min: 0, max: 3 }),
      side: fc.constantFrom<Side>("buy", "sell"),
      market: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
      step: fc.integer({ min: -3, max: 3 }),
      lots: fc.integer({ min: 1, max: 5 }),
      tif: fc.constantFrom(...TIFS),
      postOnly: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      stp: fc.constantFrom(...STPS),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("amend" as const),
      back: fc.integer({ min: 0, max: LOOKBACK_MAX }),
      step: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
      lots: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("cancel" as const), back: fc.integer({ min: 0, max: 8 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("massCancel" as const),
      account: fc.integer({ min: 0, max: 3 }),
      instrument: fc.option(fc.constantFrom(...INSTRUMENTS), { nil: null }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("phase" as const),
      instrument: fc.constantFrom(...INSTRUMENTS),
      // Every phase, with the ones that lead to trading more often.
      phase: fc.constantFrom(...PHASES, "collection", "uncross", "uncross", "continuous"),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("tick" as const),
      advanceMs: fc.constantFrom(1000, 60_000, 3_600_000, 86_400_000, 5 * 86_400_000),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("confirm" as const),
      payment: fc.boolean(),
      back: fc.integer({ min: 0, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("reference" as const),
      instrument: fc.constantFrom(...INSTRUMENTS),
      step: fc.integer({ min: -5, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("safeguards" as const),
      instrument: fc.constantFrom(...INSTRUMENTS),
      bandBps: fc.constantFrom(null, 300, 1000),
      ceilingStep: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
      pathStep: fc.option(fc.integer({ min: -2, max: 5 }), { nil: null }),
      pathAfterMs: fc.constantFrom(1000, 3_600_000),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("member" as const),
      member: fc.constantFrom("P", "B"),
      suspend: fc.boolean(),
    }),
  },
);

type Op = typeof opArbitrary extends fc.Arbitrary<infer T> ? T : never;

function priceOf(instrument: string, step: number): number {
  return instrument === "B" ? 100 + step : 13_000_000 + step * 100;
}

function lotOf(instrument: string): number {
  return instrument === "B" ? 1 : 1000;
}

const SETUP: Command[] = [
  {
    type: "instrument.list",
    instrument: "C",
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    clearing: KAZGPZ_TERMS,
  },
  { type: "instrument.list", instrument: "K", mode: "call", tickSize: 100, lotSize: 1000, referencePrice: 13_000_000 },
  { type: "instrument.list", instrument: "B", mode: "continuous", tickSize: 1, lotSize: 1 },
  { type: "member.add", member: "P", name: "Producer", roles: ["producer"] },
  { type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "filling-station-network" },
  { type: "account.open", account: "P1", member: "P" },
  { type: "account.open", account: "P2", member: "P" },
  { type: "account.open", account: "B1", member: "B" },
  { type: "account.open", account: "B2", member: "B" },
  { type: "money.deposit", account: "B1", amount: 10_000_000_000_000, reference: "D1" },
  { type: "money.deposit", account: "B2", amount: 10_000_000_000_000, reference: "D2" },
  { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: 100_000_000 },
  { type: "gas.declare", account: "P2", basis: "KAZGPZ", quantity: 100_000_000 },
  // Streams start with trading open; random phase changes then close, halt, auction and reopen.
  { type: "phase.set", instrument: "C", phase: "continuous" },
  { type: "phase.set", instrument: "K", phase: "collection" },
  { type: "phase.set", instrument: "B", phase: "continuous" },
];

class StreamDriver {
  readonly orderIds: string[] = [];
  /** Ids of the obligations created so far, oldest first. */
  private readonly obligationIds: string[] = [];
  private n = 0;

  constructor(private readonly run: EngineRun) {}

  step(op: Op): void {
    const run = this.run;
    run.timeMs += 1000;
    const recent = (back: number) => this.orderIds[this.orderIds.length - 1 - back] ?? "never-sent";
    let outcome: ProjectionOutcome;
    switch (op.kind) {
      case "new": {
        const id = `o${++this.n}`;
        const account = ACCOUNTS[op.account]!;
        // On the cleared instrument producers sell and buyers buy; on bare books anyone does anything.
        const side: Side = op.instrument === "C" ? (op.account < 2 ? "sell" : "buy") : op.side;
        this.orderIds.push(id);
        outcome = run.order(
          op.instrument,
          id,
          account,
          side,
          op.market ? null : priceOf(op.instrument, op.step),
          op.lots * lotOf(op.instrument),
          {
            tif: op.market && (op.tif === "GTC" || op.tif === "GTD") ? "IOC" : op.tif,
            ...(op.tif === "GTD" && !op.market ? { expireAtMs: run.timeMs + 30_000 } : {}),
            ...(op.postOnly ? { postOnly: true } : {}),
            stp: op.stp,
          },
        );
        break;
      }
      case "amend": {
        const target = recent(op.back);
        const order = run.engine.order(target);
        const instrument = order?.instrument ?? "B";
        outcome = run.do({
          type: "order.amend",
          orderId: target,
          ...(op.step === null ? {} : { price: priceOf(instrument, op.step) }),
          ...(op.lots === null ? {} : { quantity: op.lots * lotOf(instrument) }),
        });
        break;
      }
      case "cancel":
        outcome = run.do({ type: "order.cancel", orderId: recent(op.back) });
        break;
      case "massCancel":
        outcome = run.do({ type: "order.massCancel", account: ACCOUNTS[op.account]!, instrument: op.instrument });
        break;
      case "phase":
        outcome = run.do({ type: "phase.set", instrument: op.instrument, phase: op.phase });
        break;
      case "safeguards":
        // A band, a ceiling and a step of a ceiling path that comes into force later (a tick may bring it in).
        outcome = run.do({
          type: "safeguards.set",
          instrument: op.instrument,
          changes: {
            bandBps: op.bandBps,
            ceiling: op.ceilingStep === null ? null : priceOf(op.instrument, op.ceilingStep),
            ceilingPath:
              op.pathStep === null
                ? []
                : [{ effectiveFromMs: run.timeMs + op.pathAfterMs, ceiling: priceOf(op.instrument, op.pathStep) }],
          },
          reason: "property test",
        });
        break;
      case "tick":
        run.timeMs += op.advanceMs;
        outcome = run.do({ type: "time.tick" });
        break;
      case "confirm":
        outcome = run.do({
          type: op.payment ? "obligation.confirmPayment" : "obligation.confirmDelivery",
          obligation: this.obligationIds[Math.max(0, this.obligationIds.length - 1 - op.back)] ?? "OB-C-S1-1",
        });
        break;
      case "reference":
        outcome = run.do({ type: "reference.set", instrument: op.instrument, price: priceOf(op.instrument, op.step) });
        break;
      case "member":
        outcome = run.do({
          type: op.suspend ? "member.suspend" : "member.reinstate",
          member: op.member,
          reason: "surveillance test",
        });
        break;
    }
    for (const event of outcome.events) {
      if (event.type === "obligation.created") this.obligationIds.push(event.obligation.id);
    }
  }
}

function engineIndicative(run: EngineRun, instrument: string): IndicativePrice | null {
  const outcome = run.engine.indicative(instrument);
  if (outcome === undefined) return null;
  if (outcome.kind === "needs-reference") {
    return {
      priceTiynPerTonne: null,
      volumeKg: outcome.volume,
      surplusKg: 0,
      surplusSide: null,
      needsReference: outcome.reason,
    };
  }
  return {
    priceTiynPerTonne: outcome.price,
    volumeKg: outcome.volume,
    surplusKg: outcome.surplus,
    surplusSide: outcome.surplusSide,
    needsReference: null,
  };
}

function expectViewsEqualEngine(projections: Projections, run: EngineRun, orderIds: readonly string[]): void {
  const { engine } = run;
  for (const instrument of INSTRUMENTS) {
    const market = engine.market(instrument)!;
    for (const side of ["buy", "sell"] as const) {
      const expected = market
        .depth(side)
        .map((l) => ({ priceTiynPerTonne: l.price, quantityKg: l.quantity, orders: l.orders }));
      expect(projections.marketData.depth(instrument, side), `${instrument} ${side} depth`).toEqual(expected);
    }
    expect(projections.marketData.quote(instrument)?.phase).toBe(market.phase);
    // The limits the read side shows at the journal's time are the ones the engine checks orders with.
    const band = market.band();
    expect(projections.limits.of(instrument), `${instrument} limits`).toMatchObject({
      bandReferenceTiynPerTonne: market.bandReference,
      band: band === null ? null : { lowTiynPerTonne: band.low, highTiynPerTonne: band.high },
      ceilingTiynPerTonne: market.safeguards.ceiling,
      floorTiynPerTonne: market.safeguards.floor,
      ceilingStepsToCome: market.safeguards.ceilingPath,
    });
    if (market.phase === "collection") {
      expect(projections.marketData.indicative(instrument), `${instrument} indicative`).toEqual(
        engineIndicative(run, instrument),
      );
    }
  }
  const ledger = engine.clearingHouse.ledger
    .entries()
    .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : a.asset < b.asset ? -1 : 1));
  expect(projections.accounts.ledgerEntries()).toEqual(ledger);
  for (const id of orderIds) {
    const order = engine.order(id);
    const view = projections.accounts.order(id);
    if (order === undefined) {
      // The engine forgets finished orders when their instrument closes; the views keep them (as done).
      if (view !== null) expect(view.status, `order ${id}`).not.toBe("resting");
      continue;
    }
    expect(view, `order ${id}`).toMatchObject({
      status: order.status,
      openKg: order.open,
      filledKg: order.filled,
      // The engine keeps no price of a done order (`DoneOrder`); the view keeps it.
      ...("price" in order ? { priceTiynPerTonne: order.price } : {}),
    });
  }
  for (const o of engine.clearingHouse.clearing.all()) {
    expect(projections.accounts.obligation(o.id), `obligation ${o.id}`).toMatchObject({
      status: o.status,
      paid: o.paid,
      delivered: o.delivered,
      defaultedParty: o.defaultedParty,
      valueTiyn: o.value,
    });
  }
}

describe("views equal the engine after random streams (property, fixed seed)", () => {
  it("depth, phase, limits, indicative price, ledger, orders and obligations match after every command", () => {
    let commands = 0;
    const eventCounts = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: COMMANDS_MAX, size: "max" }), (ops) => {
        const projections = new Projections();
        const run = new EngineRun((outcome) => projections.apply(outcome));
        run.ok(...SETUP);
        const driver = new StreamDriver(run);
        for (const op of ops) {
          driver.step(op);
          expectViewsEqualEngine(projections, run, driver.orderIds);
        }
        commands += ops.length;
        for (const outcome of run.outcomes) {
          for (const event of outcome.events) eventCounts.set(event.type, (eventCounts.get(event.type) ?? 0) + 1);
        }

        // The same stream from journal records builds the same views.
        const replayed = new Projections();
        for (const outcome of run.outcomes) replayed.applyRecord(recordOf(outcome));
        expect(replayed.accounts.ledgerEntries()).toEqual(projections.accounts.ledgerEntries());
        for (const instrument of INSTRUMENTS) {
          expect(replayed.marketData.book(instrument)).toEqual(projections.marketData.book(instrument));
          expect(replayed.marketData.candles(instrument, "1m")).toEqual(
            projections.marketData.candles(instrument, "1m"),
          );
          expect(replayed.sessions.history(instrument)).toEqual(projections.sessions.history(instrument));
        }
        expect(replayed.audit.query({ limit: 1000 })).toEqual(projections.audit.query({ limit: 1000 }));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The streams are not vacuous: thousands of commands that trade, auction, amend, settle and default.
    expect(commands).toBeGreaterThan(RUNS * 20);
    expect(eventCounts.get("trade")).toBeGreaterThan(RUNS * 2);
    const seen = [
      "auction.uncrossed",
      "order.amended",
      "obligation.settled",
      "obligation.defaulted",
      "safeguards.changed",
    ];
    for (const type of seen) expect(eventCounts.get(type), type).toBeGreaterThan(5);
  });
});
