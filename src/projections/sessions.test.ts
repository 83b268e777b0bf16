import { describe, expect, it } from "vitest";
import { EngineRun, outcomeOf, T0 } from "../../test/support/engine-run.ts";
import type { EngineEvent } from "../engine/events.ts";
import { SESSIONS_KEPT_MAX, type SessionResult, SessionResults } from "./sessions.ts";

function setup() {
  const closed: SessionResult[] = [];
  const sessions = new SessionResults({ onClosed: (result) => closed.push(result) });
  const run = new EngineRun((outcome) => sessions.apply(outcome));
  return { sessions, run, closed };
}

describe("session results", () => {
  it("sums a call auction session and makes its average the next reference price", () => {
    const { sessions, run, closed } = setup();
    run.list("K", "call", { referencePrice: 13_000_000 });
    expect(sessions.referencePrice("K")).toBe(13_000_000);
    run.timeMs = T0 + 1000;
    run.phase("K", "collection");
    const startSeq = run.outcomes.length;
    run.order("K", "s1", "S1", "sell", 13_000_000, 10_000);
    run.order("K", "s2", "S2", "sell", 13_100_000, 5000);
    run.order("K", "b1", "B1", "buy", 13_200_000, 8000);
    run.order("K", "b2", "B2", "buy", 13_050_000, 6000);
    expect(sessions.current("K")).toMatchObject({ session: 1, trades: 0, offeredKg: 15_000n, bidKg: 14_000n });
    run.timeMs = T0 + 7_200_000;
    run.phase("K", "uncross"); // a call instrument closes right after its auction
    // Demand 14/14/8/8 t and supply 10/10/15/15 t at 13.00/13.05/13.10/13.20 million: 10 t at 13.00 or 13.05 with a
    // buy surplus at both, so market pressure picks the higher price.
    const result: SessionResult = {
      instrument: "K",
      session: 1,
      startSeq,
      startMs: T0 + 1000,
      endSeq: run.outcomes.length,
      endMs: T0 + 7_200_000,
      referencePriceTiynPerTonne: 13_000_000,
      openTiynPerTonne: 13_050_000,
      highTiynPerTonne: 13_050_000,
      lowTiynPerTonne: 13_050_000,
      closeTiynPerTonne: 13_050_000,
      vwapTiynPerTonne: 13_050_000,
      trades: 2,
      volumeKg: 10_000n,
      valueMilliTiyn: 130_500_000_000n,
      valueTiyn: 130_500_000n,
      offeredKg: 15_000n,
      bidKg: 14_000n,
      buyers: 2,
      sellers: 1,
    };
    expect(closed).toEqual([result]);
    expect(sessions.last("K")).toEqual(result);
    expect(sessions.current("K")).toBeNull();
    expect(sessions.referencePrice("K")).toBe(13_050_000);
    expect(run.outcomes.at(-1)!.events.filter((e) => e.type === "trade")).toHaveLength(2);
  });

  it("rounds the weighted average half up, keeps the reference through a session without trades, and counts amends", () => {
    const { sessions, run, closed } = setup();
    run.list("C", "continuous", { referencePrice: 100_000 });
    run.phase("C", "continuous");
    run.order("C", "s1", "S1", "sell", 100_001, 1000);
    run.order("C", "b1", "B1", "buy", 100_001, 1000);
    run.order("C", "s2", "S2", "sell", 100_000, 1000);
    run.order("C", "b2", "B1", "buy", 100_000, 1000);
    run.order("C", "s3", "S2", "sell", 100_500, 2000);
    run.phase("C", "closed");
    expect(closed[0]).toMatchObject({
      session: 1,
      openTiynPerTonne: 100_001,
      highTiynPerTonne: 100_001,
      lowTiynPerTonne: 100_000,
      closeTiynPerTonne: 100_000,
      trades: 2,
      volumeKg: 2000n,
      valueMilliTiyn: 200_001_000n,
      valueTiyn: 200_001n,
      vwapTiynPerTonne: 100_001, // 100,000.5 rounds up
      offeredKg: 4000n,
      bidKg: 2000n,
      buyers: 1,
      sellers: 2,
    });
    expect(sessions.referencePrice("C")).toBe(100_001);

    run.phase("C", "continuous");
    run.phase("C", "closed");
    expect(closed[1]).toMatchObject({
      session: 2,
      referencePriceTiynPerTonne: 100_001,
      trades: 0,
      volumeKg: 0n,
      vwapTiynPerTonne: null,
      openTiynPerTonne: null,
      offeredKg: 0n,
    });
    expect(sessions.referencePrice("C")).toBe(100_001);

    run.ok({ type: "reference.set", instrument: "C", price: 99_000 });
    expect(sessions.referencePrice("C")).toBe(99_000);
    run.phase("C", "continuous");
    run.ok({ type: "order.amend", orderId: "s3", quantity: 5000 }); // +3 t offered
    run.ok({ type: "order.amend", orderId: "s3", quantity: 4000 }); // a decrease adds nothing
    run.order("C", "s4", "S1", "sell", 100_600, 1000);
    run.ok({ type: "order.cancel", orderId: "s4" }); // entered quantity stays offered
    run.order("C", "b3", "B2", "buy", 100_500, 1000);
    expect(sessions.current("C")).toMatchObject({
      session: 3,
      endSeq: null,
      referencePriceTiynPerTonne: 99_000,
      trades: 1,
      offeredKg: 4000n,
      bidKg: 1000n,
      vwapTiynPerTonne: 100_500,
    });
    run.phase("C", "closed");
    expect(sessions.referencePrice("C")).toBe(100_500);

    // Halted straight from closed and back: a session with nothing in it.
    run.phase("C", "halted");
    const halted = sessions.apply(
      outcomeOf(run.outcomes.length + 1, run.timeMs, [
        { type: "phase.changed", instrument: "C", from: "halted", to: "closed" },
      ]),
    );
    expect(halted.map((r) => [r.session, r.trades])).toEqual([[4, 0]]);
    expect(sessions.history("C").map((r) => r.session)).toEqual([4, 3, 2, 1]);
    expect(sessions.history("C", 2).map((r) => r.session)).toEqual([4, 3]);
    expect(sessions.session("C", 2)?.referencePriceTiynPerTonne).toBe(100_001);
    expect(sessions.session("C", 9)).toBeNull();
  });

  it("keeps at most SESSIONS_KEPT_MAX closed sessions per instrument", () => {
    const sessions = new SessionResults();
    const n = SESSIONS_KEPT_MAX + 1;
    let seq = 0;
    const phase = (from: string, to: string): EngineEvent =>
      ({ type: "phase.changed", instrument: "X", from, to }) as EngineEvent;
    for (let i = 0; i < n; i++) {
      sessions.apply(outcomeOf(++seq, T0 + seq, [phase("closed", "continuous")]));
      sessions.apply(outcomeOf(++seq, T0 + seq, [phase("continuous", "closed")]));
    }
    const history = sessions.history("X");
    expect(history).toHaveLength(SESSIONS_KEPT_MAX);
    expect(history[0]!.session).toBe(n);
    expect(history.at(-1)!.session).toBe(2);
    expect(sessions.session("X", 1)).toBeNull();
  });

  it("trade ids carry the engine's session number, the same one the session results count", () => {
    const sessions = new SessionResults();
    const run = new EngineRun((outcome) => sessions.apply(outcome));
    run.list("X", "continuous");
    const tradeIds: string[] = [];
    for (let session = 1; session <= 3; session++) {
      run.phase("X", "continuous");
      for (let i = 0; i < 2; i++) {
        run.order("X", `s${session}-${i}`, "P", "sell", 100, 1000);
        const outcome = run.order("X", `b${session}-${i}`, "B", "buy", 100, 1000);
        for (const event of outcome.events) if (event.type === "trade") tradeIds.push(event.tradeId);
      }
      expect(sessions.current("X")?.session).toBe(session);
      run.phase("X", "closed");
    }
    expect(tradeIds).toEqual(["T-X-S1-1", "T-X-S1-2", "T-X-S2-1", "T-X-S2-2", "T-X-S3-1", "T-X-S3-2"]);
  });
});
