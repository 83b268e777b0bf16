/**
 * What voided trades cost the read models (docs/indices.md "Voided trades"): a history of BENCH_VOID_SESSIONS daily
 * sessions (default 1,000, the sessions kept per instrument) of BENCH_VOID_TRADES book trades each (default 50) is fed
 * through `Projections` as journal outcomes; then BENCH_VOID_COUNT voids (default 100) of trades spread over that
 * history, each revising its session's published result, its day's indices and its candles. Printed: the time to feed
 * the history, the heap the read models hold per trade (after a forced collection), and the time per void (median and
 * worst) through the views it changes (market data, session results and through them the indices, participation),
 * on the calling thread. Figures only: nothing here fails on speed.
 *
 * Run: `node --expose-gc --import tsx bench/void.ts`.
 */

import type { EngineEvent } from "../src/engine/events.ts";
import { Projections } from "../src/projections/index.ts";
import type { ProjectionOutcome } from "../src/projections/outcome.ts";
import { acceptedEvent, T0, tradeEvent } from "../test/support/engine-run.ts";

const SESSIONS = Number(process.env.BENCH_VOID_SESSIONS ?? 1000);
const TRADES = Number(process.env.BENCH_VOID_TRADES ?? 50);
const VOIDS = Number(process.env.BENCH_VOID_COUNT ?? 100);
const I = "PB";
const DAY_MS = 86_400_000;

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};

const projections = new Projections({
  instruments: [
    { instrument: I, product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
  ],
});
let seq = 0;
const apply = (timeMs: number, events: EngineEvent[]) => {
  seq++;
  const outcome: ProjectionOutcome = { seq, timeMs, command: { type: "time.tick" }, meta: {}, events };
  projections.apply(outcome);
};

const baseline = heapMb();
const tradeTimes = new Map<string, { timeMs: number; price: number }>();
const started = performance.now();
apply(T0, [
  {
    type: "instrument.listed",
    instrument: I,
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    referencePrice: 13_300_000,
    clearing: null,
    description: null,
  },
]);
let n = 0;
for (let s = 0; s < SESSIONS; s++) {
  const dayMs = T0 + s * DAY_MS;
  apply(dayMs, [{ type: "phase.changed", instrument: I, from: "closed", to: "continuous" }]);
  for (let t = 0; t < TRADES; t++) {
    n++;
    const timeMs = dayMs + t * 30_000;
    const price = 13_300_000 + ((n * 37) % 200) * 100;
    const buy = `b${n}`;
    const sell = `s${n}`;
    const trade = tradeEvent(I, n, price, 1000 * (1 + (n % 5)), { buy, sell });
    apply(timeMs, [
      acceptedEvent(I, sell, "sell", price, 1000 * (1 + (n % 5))),
      acceptedEvent(I, buy, "buy", price, 1000 * (1 + (n % 5))),
      trade,
    ]);
    tradeTimes.set(`${I}-${n}`, { timeMs, price });
  }
  apply(dayMs + 2 * 3_600_000, [{ type: "phase.changed", instrument: I, from: "continuous", to: "closed" }]);
}
const fedMs = performance.now() - started;
const held = heapMb() - baseline;

// Voids spread evenly over the history, newest last (each after every session closed: a revision).
const durations: number[] = [];
const endMs = T0 + SESSIONS * DAY_MS;
for (let v = 0; v < VOIDS; v++) {
  const k = 1 + Math.floor((v * n) / VOIDS);
  const tradeId = `${I}-${k}`;
  const facts = tradeTimes.get(tradeId)!;
  const obligation = {
    id: `OB-${tradeId}`,
    tradeId,
    instrument: I,
    basis: "KAZGPZ",
    buyer: `acct-b${k}`,
    seller: `acct-s${k}`,
    price: facts.price,
    quantity: 1000 * (1 + (k % 5)),
    tradeTimeMs: facts.timeMs,
  };
  seq++;
  const outcome: ProjectionOutcome = {
    seq,
    timeMs: endMs + v * 1000,
    command: { type: "time.tick" },
    meta: {},
    events: [
      { type: "obligation.voided", obligation, reason: "bench", rule: "Rulebook 4.2" } as unknown as EngineEvent,
    ],
  };
  // The views a void changes in the public figures (the accounts' view would want the obligation's own events).
  const before = performance.now();
  projections.sessions.apply(outcome);
  projections.marketData.apply(outcome);
  projections.participation.apply(outcome);
  durations.push(performance.now() - before);
}
durations.sort((a, b) => a - b);
const revised = projections.sessions.history(I).filter((r) => r.voids?.revisedMs != null).length;

console.log(`history: ${SESSIONS} sessions × ${TRADES} trades = ${n} trades fed in ${fedMs.toFixed(0)} ms`);
console.log(
  `read models hold ${held.toFixed(1)} MB (${((held * 1e6) / n).toFixed(0)} bytes per trade${gc ? "" : ", no --expose-gc: rough"})`,
);
console.log(
  `${VOIDS} voids: median ${durations[Math.floor(VOIDS / 2)]!.toFixed(2)} ms, worst ${durations.at(-1)!.toFixed(2)} ms; ` +
    `${revised} session results revised`,
);
