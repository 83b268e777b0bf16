/**
 * Test support for the read models (used by src/projections/*.test.ts): runs commands through a real
 * engine and records each outcome as the sequencer would release it, and builds outcomes from hand-written events.
 */

import type { Command } from "../../src/engine/commands.ts";
import { Engine } from "../../src/engine/engine.ts";
import type { AcceptedEvent, EngineEvent } from "../../src/engine/events.ts";
import type { OutcomeMeta, ProjectionOutcome } from "../../src/projections/outcome.ts";

/** 11:00 in Almaty (UTC+5) on a Monday. */
export const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);

export const KAZGPZ_TERMS = {
  basis: "KAZGPZ",
  collateralBps: 500,
  feeBps: 5,
  paymentWindowMs: 86_400_000,
  deliveryWindowMs: 5 * 86_400_000,
  buyerDefaultCollateralTo: "seller",
  sellerPenaltyBps: 1000,
} as const;

export class EngineRun {
  readonly engine = new Engine();
  readonly outcomes: ProjectionOutcome[] = [];
  private seq = 0;
  timeMs = T0;

  constructor(private readonly sink?: (outcome: ProjectionOutcome) => void) {}

  do(command: Command, meta: OutcomeMeta = {}): ProjectionOutcome {
    this.seq++;
    const events = this.engine.apply({ seq: this.seq, timeMs: this.timeMs, command });
    const outcome: ProjectionOutcome = { seq: this.seq, timeMs: this.timeMs, command, meta, events };
    this.outcomes.push(outcome);
    this.sink?.(outcome);
    return outcome;
  }

  /** Runs commands in order; throws if one is rejected (a setup step that must succeed). */
  ok(...commands: Command[]): void {
    for (const command of commands) {
      const outcome = this.do(command);
      const rejected = outcome.events.find((e) => e.type === "rejected");
      if (rejected) throw new Error(`${command.type} rejected: ${rejected.message}`);
    }
  }

  list(instrument: string, mode: "continuous" | "call", extra: Partial<Command> = {}): void {
    this.ok({ type: "instrument.list", instrument, mode, tickSize: 1, lotSize: 1000, ...extra } as Command);
  }

  phase(instrument: string, phase: string): void {
    this.ok({ type: "phase.set", instrument, phase } as Command);
  }

  order(
    instrument: string,
    orderId: string,
    account: string,
    side: "buy" | "sell",
    price: number | null,
    quantityKg: number,
    extra: Record<string, unknown> = {},
  ): ProjectionOutcome {
    return this.do({
      type: "order.new",
      instrument,
      orderId,
      account,
      side,
      orderType: price === null ? "market" : "limit",
      ...(price === null ? {} : { price }),
      quantity: quantityKg,
      ...extra,
    } as Command);
  }
}

/** An outcome of hand-written events, as if a command had produced them. */
export function outcomeOf(
  seq: number,
  timeMs: number,
  events: readonly EngineEvent[],
  command: Command = { type: "time.tick" },
  meta: OutcomeMeta = {},
): ProjectionOutcome {
  return { seq, timeMs, command, meta, events };
}

/** A trade event with the fields tests rarely vary filled in. */
export function tradeEvent(
  instrument: string,
  n: number,
  priceTiynPerTonne: number,
  quantityKg: number,
  orders: { buy: string; sell: string; buyOpen?: number; sellOpen?: number; aggressor?: "buy" | "sell" | null },
): EngineEvent {
  const aggressor = orders.aggressor === undefined ? "buy" : orders.aggressor;
  return {
    type: "trade",
    instrument,
    tradeId: `${instrument}-${n}`,
    price: priceTiynPerTonne,
    quantity: quantityKg,
    buyOrderId: orders.buy,
    sellOrderId: orders.sell,
    buyAccount: `acct-${orders.buy}`,
    sellAccount: `acct-${orders.sell}`,
    makerOrderId: aggressor === null ? null : aggressor === "buy" ? orders.sell : orders.buy,
    takerOrderId: aggressor === null ? null : aggressor === "buy" ? orders.buy : orders.sell,
    aggressor,
    buyOpen: orders.buyOpen ?? 0,
    sellOpen: orders.sellOpen ?? 0,
  };
}

/** An accepted limit order event (GTC, no extras). */
export function acceptedEvent(
  instrument: string,
  orderId: string,
  side: "buy" | "sell",
  priceTiynPerTonne: number | null,
  quantityKg: number,
  account = `acct-${orderId}`,
): AcceptedEvent {
  return {
    type: "order.accepted",
    instrument,
    orderId,
    account,
    side,
    orderType: priceTiynPerTonne === null ? "market" : "limit",
    price: priceTiynPerTonne,
    quantity: quantityKg,
    tif: "GTC",
    expireAtMs: null,
    postOnly: false,
    stp: "cancel-taker",
  };
}
