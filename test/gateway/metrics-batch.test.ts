/**
 * The commands and trades counters of /metrics, counted per durable batch and added once per series: the figures are
 * those of one `inc` per command and per trade (accepted, or the first rejection's code; trades by instrument), across
 * batches and within one.
 */

import { describe, expect, it } from "vitest";
import type { Exchange, OutcomeListener } from "../../src/gateway/exchange.ts";
import { Metrics } from "../../src/gateway/metrics.ts";
import type { Outcome } from "../../src/journal/sequencer.ts";

/** The parts of an exchange Metrics reads, with the outcome listener kept for the test to call. */
function fakeExchange(): { exchange: Exchange; publish: OutcomeListener } {
  let listener: OutcomeListener = () => undefined;
  const exchange = {
    onInvariantCheck: () => undefined,
    onOutcomes: (given: OutcomeListener) => {
      listener = given;
      return () => undefined;
    },
    invariantAlarm: null,
    queued: 0,
    projections: { lastSeq: 0, notices: { mailRetries: () => [] } },
    viewsState: "ready",
    health: () => ({ seq: 0 }),
  };
  return { exchange: exchange as unknown as Exchange, publish: (outcomes) => listener(outcomes) };
}

let seq = 0;
function outcome(type: string, events: readonly { type: string; [field: string]: unknown }[]): Outcome {
  seq++;
  return { seq, timeMs: seq, command: { type } as never, meta: {}, events: events as never };
}

const rejected = (code: string) => ({ type: "rejected", code, message: code, details: {} });
const trade = (instrument: string) => ({ type: "trade", instrument });

describe("metrics of durable batches", () => {
  it("counts each command by type and outcome, and each trade by instrument, within and across batches", async () => {
    const { exchange, publish } = fakeExchange();
    const metrics = new Metrics(exchange);
    publish([
      outcome("order.new", [{ type: "order.accepted" }]),
      outcome("order.new", [{ type: "order.accepted" }, trade("A"), trade("B"), trade("A")]),
      outcome("order.new", [rejected("ORDER_PRICE_OFF_TICK"), rejected("SECOND_CODE")]),
      outcome("order.cancel", [{ type: "order.cancelled" }]),
    ]);
    publish([outcome("order.new", [rejected("ORDER_PRICE_OFF_TICK")]), outcome("order.new", [trade("A")])]);
    publish([]);
    const text = await metrics.render();
    expect(text).toContain('sauda_commands_total{type="order.new",outcome="accepted"} 3');
    expect(text).toContain('sauda_commands_total{type="order.new",outcome="ORDER_PRICE_OFF_TICK"} 2');
    expect(text).toContain('sauda_commands_total{type="order.cancel",outcome="accepted"} 1');
    expect(text).not.toContain("SECOND_CODE");
    expect(text).toContain('sauda_trades_total{instrument="A"} 3');
    expect(text).toContain('sauda_trades_total{instrument="B"} 1');
  });
});
