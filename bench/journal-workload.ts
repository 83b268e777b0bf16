/**
 * The journal the storage benchmarks write through the exchange as the server does (sequencer, group commit, the
 * exchange's own snapshots as the caller opened it): the two-party market (test/support/two-party-market.ts) on one
 * cleared instrument, then seeded limit orders around 133,000 ₸/t on both sides — some crossing, most resting — and,
 * with `cancels`, one command in twenty a cancel of an earlier order (which may have filled or been cancelled
 * already: the exchange then rejects it, as it would a late cancel). Used by bench/backup.ts, bench/snapshot.ts,
 * bench/restart.ts (`writeBenchJournal`), bench/day-end.ts (`writeBenchOrders`, without cancels) and
 * bench/engine-restore.ts (`benchOrders`, straight to an engine).
 *
 * Limits: at most `IN_FLIGHT_MAX` commands wait for their outcome at once (the rest wait their turn), so memory stays
 * bounded however long the journal. The same seed stream gives the same commands on every run.
 */

import { ORDER_QUANTITY_MAX } from "../src/domain/order.ts";
import type { Command } from "../src/engine/commands.ts";
import type { Exchange } from "../src/gateway/exchange.ts";
import { Random } from "../src/simulator/random.ts";
import { twoPartyMarket } from "../test/support/market-commands.ts";

export const BENCH_JOURNAL_INSTRUMENT = "PB-KAZGPZ-MNG";
/**
 * Gas the producer declares: enough for every sell order of a run of 4,000,000 commands (an order is at most 10 t).
 * One declaration may not exceed `ORDER_QUANTITY_MAX` (1,000,000 t), so the set-up declares it in that many parts; a
 * single declaration of all of it is refused, and the producer then sells nothing (every sell order is rejected).
 */
const GAS_KG = 40_000_000_000;
const IN_FLIGHT_MAX = 20_000;
/** Below this draw a command is an order, above it a cancel (with `cancels`). */
const ORDER_SHARE = 0.95;

/** The market's set-up commands: listed instrument, members, accounts, gas and money. */
export function benchJournalSetup(): Command[] {
  const setup = twoPartyMarket(BENCH_JOURNAL_INSTRUMENT, ORDER_QUANTITY_MAX);
  for (let declared = ORDER_QUANTITY_MAX; declared < GAS_KG; declared += ORDER_QUANTITY_MAX) {
    setup.push({ type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: ORDER_QUANTITY_MAX });
  }
  return setup;
}

/**
 * `count` seeded commands (random stream `stream`), in order. Each draw decides the side (below 0.5: a buy); with
 * `cancels`, a draw at or above 0.95 makes the command a cancel of an earlier order instead.
 */
export function* benchOrders(count: number, stream: string, cancels: boolean): Generator<Command> {
  const random = new Random(2026, stream);
  for (let i = 0; i < count; i++) {
    const r = random.next();
    const buy = r < 0.5;
    yield !cancels || r < ORDER_SHARE
      ? {
          type: "order.new",
          instrument: BENCH_JOURNAL_INSTRUMENT,
          orderId: `o${i}`,
          account: buy ? "B1" : "P1",
          side: buy ? "buy" : "sell",
          orderType: "limit",
          price: 13_300_000 + (buy ? -1 : 1) * Math.floor(random.next() * 30) * 100 + (buy ? 500 : -500),
          quantity: 1000 * (1 + Math.floor(random.next() * 10)),
        }
      : { type: "order.cancel", orderId: `o${Math.floor(random.next() * i)}` };
  }
}

/** Submits `benchOrders(count, stream, cancels)` and waits for every outcome. */
export async function writeBenchOrders(
  exchange: Exchange,
  options: {
    readonly count: number;
    readonly stream: string;
    readonly cancels: boolean;
    /** Called before command `i` for every i > 0 that is a multiple of `every`, once every earlier outcome is in. */
    readonly progress?: { readonly every: number; readonly run: (i: number) => void };
  },
): Promise<void> {
  const inFlight = new Set<Promise<unknown>>();
  const progress = options.progress;
  let i = 0;
  for (const command of benchOrders(options.count, options.stream, options.cancels)) {
    if (progress !== undefined && i > 0 && i % progress.every === 0) {
      await Promise.all(inFlight);
      progress.run(i);
    }
    i++;
    const done = exchange.submit(command);
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
    if (inFlight.size >= IN_FLIGHT_MAX) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

/** A journal of `commands` commands in all: the set-up, then orders and cancels (random stream `stream`). */
export async function writeBenchJournal(
  exchange: Exchange,
  options: {
    readonly commands: number;
    readonly stream: string;
    readonly progress?: { readonly every: number; readonly run: (i: number) => void };
  },
): Promise<void> {
  const setup = benchJournalSetup();
  for (const command of setup) await exchange.submit(command);
  await writeBenchOrders(exchange, {
    count: options.commands - setup.length,
    stream: options.stream,
    cancels: true,
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  });
}
