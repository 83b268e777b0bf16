/**
 * A voided trade in the public market data (docs/indices.md "Voided trades", docs/documents.md §5): the operator's
 * `trade.void` after the session closed leaves the trade on the tape, marked, and takes it out of the candles, the
 * last price, the session's results (revised, marked), the day's indices and the month's participation figures, with
 * exact figures before and after;
 * the band reference stays the engine's.
 */

import { describe, expect, it } from "vitest";
import { EngineRun, KAZGPZ_TERMS, T0 } from "../../test/support/engine-run.ts";
import type { Command } from "../engine/commands.ts";
import { Projections } from "./index.ts";

const I = "PB";
const HOUR = 3_600_000;

function market(close = true): { run: EngineRun; projections: Projections; trades: string[] } {
  const projections = new Projections({
    instruments: [
      { instrument: I, product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
    ],
  });
  const run = new EngineRun((outcome) => projections.apply(outcome));
  const setup: Command[] = [
    {
      type: "instrument.list",
      instrument: I,
      mode: "continuous",
      tickSize: 1,
      lotSize: 1000,
      referencePrice: 13_000_000,
      clearing: KAZGPZ_TERMS,
    } as Command,
    { type: "member.add", member: "P", name: "Producer", roles: ["producer"] } as Command,
    {
      type: "member.add",
      member: "B",
      name: "Buyer",
      roles: ["buyer"],
      buyerCategory: "filling-station-network",
    } as Command,
    { type: "account.open", account: "P1", member: "P" } as Command,
    { type: "account.open", account: "B1", member: "B" } as Command,
    { type: "account.open", account: "B2", member: "B" } as Command,
    { type: "money.deposit", account: "B1", amount: 10_000_000_000_000, reference: "D1" } as Command,
    { type: "money.deposit", account: "B2", amount: 10_000_000_000_000, reference: "D2" } as Command,
    { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: 100_000_000 } as Command,
  ];
  run.ok(...setup);
  run.phase(I, "continuous");
  const trades: string[] = [];
  const trade = (n: number, buyer: string, price: number, quantityKg: number) => {
    run.timeMs = T0 + n * 10_000;
    run.order(I, `s${n}`, "P1", "sell", price, quantityKg);
    const outcome = run.order(I, `b${n}`, buyer, "buy", price, quantityKg);
    const event = outcome.events.find((e) => e.type === "trade");
    if (event?.type !== "trade") throw new Error("no trade");
    trades.push(event.tradeId);
  };
  // One minute: 10 t at 130,000, 5 t at 136,000, 20 t at 132,000 tenge/t.
  trade(0, "B1", 13_000_000, 10_000);
  trade(1, "B2", 13_600_000, 5000);
  trade(2, "B1", 13_200_000, 20_000);
  run.timeMs = T0 + 2 * HOUR;
  if (close) run.phase(I, "closed");
  return { run, projections, trades };
}

describe("a voided trade in the public market data", () => {
  it("after the close: tape marked, candle, last price, session result and index recomputed exactly", () => {
    const { run, projections, trades } = market();
    const [t1, t2, t3] = trades as [string, string, string];
    const day = "2026-01-05";
    // Before: 35 t, 130,000,000 + 68,000,000 + 264,000,000 = 462,000,000 tiyn, 13,200,000 tiyn/t on average.
    expect(projections.sessions.last(I)).toMatchObject({
      openTiynPerTonne: 13_000_000,
      highTiynPerTonne: 13_600_000,
      lowTiynPerTonne: 13_000_000,
      closeTiynPerTonne: 13_200_000,
      trades: 3,
      volumeKg: 35_000n,
      valueTiyn: 462_000_000n,
      vwapTiynPerTonne: 13_200_000,
      buyers: 2,
      sellers: 1,
    });
    expect(projections.sessions.last(I)?.voids).toBeUndefined();
    expect(projections.marketData.candles(I, "1m")).toMatchObject([
      {
        openTiynPerTonne: 13_000_000,
        highTiynPerTonne: 13_600_000,
        lowTiynPerTonne: 13_000_000,
        closeTiynPerTonne: 13_200_000,
        volumeKg: 35_000n,
        vwapTiynPerTonne: 13_200_000,
        trades: 3,
      },
    ]);
    expect(projections.indices.basis(day, "propane-butane", "KAZGPZ")).toEqual({
      day,
      product: "propane-butane",
      scope: "basis",
      key: "KAZGPZ",
      priceTiynPerTonne: 13_200_000,
      volumeKg: 35_000n,
      valueTiyn: 462_000_000n,
      sessions: 1,
    });
    expect(projections.participation.month("2026-01")).toMatchObject([
      { trades: 3, volumeKg: 35_000n, buyers: { participants: 1 }, sellers: { participants: 1 } },
    ]);
    const referenceBefore = projections.sessions.referencePrice(I);
    expect(referenceBefore).toBe(13_200_000);

    // The operator voids the 5 t at 136,000 (the session's high) an hour after the close.
    run.timeMs = T0 + 3 * HOUR;
    run.ok({
      type: "trade.void",
      trade: t2,
      reason: "software broke the entry rules",
      rule: "Rulebook 4.2",
    } as Command);
    const voidSeq = run.outcomes.at(-1)!.seq;

    const tape = projections.marketData.trades(I);
    expect(tape.map((t) => [t.tradeId, t.voided ?? null])).toEqual([
      [t3, null],
      [t2, { seq: voidSeq, timeMs: T0 + 3 * HOUR, reason: "software broke the entry rules", rule: "Rulebook 4.2" }],
      [t1, null],
    ]);
    // 30 t, 394,000,000 tiyn: 13,133,333.33… → 13,133,333 tiyn/t.
    expect(projections.sessions.last(I)).toMatchObject({
      openTiynPerTonne: 13_000_000,
      highTiynPerTonne: 13_200_000,
      lowTiynPerTonne: 13_000_000,
      closeTiynPerTonne: 13_200_000,
      trades: 2,
      volumeKg: 30_000n,
      valueTiyn: 394_000_000n,
      vwapTiynPerTonne: 13_133_333,
      buyers: 1,
      sellers: 1,
      voids: {
        trades: 1,
        volumeKg: 5000n,
        valueMilliTiyn: 68_000_000_000n,
        lastSeq: voidSeq,
        lastMs: T0 + 3 * HOUR,
        revisedSeq: voidSeq,
        revisedMs: T0 + 3 * HOUR,
      },
    });
    expect(projections.sessions.history(I)).toHaveLength(1);
    expect(projections.marketData.candles(I, "1m")).toMatchObject([
      {
        openTiynPerTonne: 13_000_000,
        highTiynPerTonne: 13_200_000,
        lowTiynPerTonne: 13_000_000,
        closeTiynPerTonne: 13_200_000,
        volumeKg: 30_000n,
        valueTiyn: 394_000_000n,
        vwapTiynPerTonne: 13_133_333,
        trades: 2,
      },
    ]);
    expect(projections.marketData.candles(I, "1d")[0]).toMatchObject({ volumeKg: 30_000n, trades: 2 });
    expect(projections.marketData.quote(I)?.lastPriceTiynPerTonne).toBe(13_200_000);
    expect(projections.indices.basis(day, "propane-butane", "KAZGPZ")).toEqual({
      day,
      product: "propane-butane",
      scope: "basis",
      key: "KAZGPZ",
      priceTiynPerTonne: 13_133_333,
      volumeKg: 30_000n,
      valueTiyn: 394_000_000n,
      sessions: 1,
      revisedMs: T0 + 3 * HOUR,
    });
    expect(projections.indices.national(day, "propane-butane")).toMatchObject({
      priceTiynPerTonne: 13_133_333,
      revisedMs: T0 + 3 * HOUR,
    });
    expect(projections.participation.month("2026-01")).toMatchObject([
      { trades: 2, volumeKg: 30_000n, buyers: { participants: 1, hhi: 10_000 } },
    ]);
    // The engine's band reference is not moved by a void, and neither is the view's.
    expect(projections.sessions.referencePrice(I)).toBe(referenceBefore);
    expect(run.engine.market(I)?.bandReference).toBe(referenceBefore);

    // Voiding the last trade too: the last price falls back to the 10 t at 130,000.
    run.timeMs = T0 + 4 * HOUR;
    run.ok({ type: "trade.void", trade: t3, reason: "same software", rule: "Rulebook 4.2" } as Command);
    expect(projections.marketData.quote(I)?.lastPriceTiynPerTonne).toBe(13_000_000);
    expect(projections.marketData.candles(I, "5m")).toMatchObject([
      {
        openTiynPerTonne: 13_000_000,
        highTiynPerTonne: 13_000_000,
        lowTiynPerTonne: 13_000_000,
        closeTiynPerTonne: 13_000_000,
        volumeKg: 10_000n,
        trades: 1,
      },
    ]);
    expect(projections.sessions.last(I)).toMatchObject({
      trades: 1,
      volumeKg: 10_000n,
      vwapTiynPerTonne: 13_000_000,
      voids: { trades: 2, volumeKg: 25_000n, revisedMs: T0 + 4 * HOUR },
    });
    expect(projections.indices.basis(day, "propane-butane", "KAZGPZ")).toMatchObject({
      priceTiynPerTonne: 13_000_000,
      volumeKg: 10_000n,
      revisedMs: T0 + 4 * HOUR,
    });

    // And the first: nothing of the session stands; no candle, no last price, no index that day.
    run.ok({ type: "trade.void", trade: t1, reason: "same software", rule: "Rulebook 4.2" } as Command);
    expect(projections.marketData.candles(I, "1m")).toEqual([]);
    expect(projections.marketData.quote(I)?.lastPriceTiynPerTonne).toBeNull();
    expect(projections.sessions.last(I)).toMatchObject({ trades: 0, volumeKg: 0n, vwapTiynPerTonne: null });
    expect(projections.indices.all(day)).toEqual([]);
    expect(projections.marketData.trades(I).every((t) => t.voided !== undefined)).toBe(true);
    expect(projections.participation.month("2026-01")).toMatchObject([
      { trades: 0, volumeKg: 0n, buyers: { participants: 0 }, sellers: { participants: 0 } },
    ]);
  });

  it("during the session: the running figures leave it out, and the closed result is not marked revised", () => {
    const { run, projections, trades } = market(false);
    run.ok({ type: "trade.void", trade: trades[0]!, reason: "entry rules", rule: "Rulebook 4.2" } as Command);
    // 5 t at 136,000 and 20 t at 132,000: 332,000,000 tiyn over 25 t = 13,280,000 tiyn/t.
    expect(projections.sessions.current(I)).toMatchObject({
      openTiynPerTonne: 13_600_000,
      lowTiynPerTonne: 13_200_000,
      trades: 2,
      volumeKg: 25_000n,
      vwapTiynPerTonne: 13_280_000,
      voids: { trades: 1, volumeKg: 10_000n, revisedSeq: null, revisedMs: null },
    });
    run.timeMs = T0 + 3 * HOUR;
    run.phase(I, "closed");
    expect(projections.sessions.last(I)).toMatchObject({ volumeKg: 25_000n, voids: { revisedMs: null } });
    expect(projections.indices.basis("2026-01-05", "propane-butane", "KAZGPZ")).toEqual({
      day: "2026-01-05",
      product: "propane-butane",
      scope: "basis",
      key: "KAZGPZ",
      priceTiynPerTonne: 13_280_000,
      volumeKg: 25_000n,
      valueTiyn: 332_000_000n,
      sessions: 1,
    });
    // The band reference is the engine's average of every trade made: 462,000,000 / 35 t.
    expect(projections.sessions.referencePrice(I)).toBe(13_200_000);
    expect(run.engine.market(I)?.bandReference).toBe(13_200_000);
  });
});
