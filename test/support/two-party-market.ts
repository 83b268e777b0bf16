/**
 * The smallest market the multi-node tests and benchmarks trade on: one continuous instrument at KAZGPZ, a producer
 * `P` (account `P1`, gas declared) and a wholesaler `B` (account `B1`, money deposited), journaled before the nodes
 * start. Used by test/ha.test.ts, test/ha-resume.test.ts, bench/restart.ts and bench/fanout.ts.
 */

import type { Command } from "../../src/engine/commands.ts";

export function twoPartyMarket(instrument: string, gasKg = 900_000_000): Command[] {
  return [
    {
      type: "instrument.list",
      instrument,
      mode: "continuous",
      tickSize: 100,
      lotSize: 1000,
      clearing: {
        basis: "KAZGPZ",
        collateralBps: 500,
        feeBps: 5,
        paymentWindowMs: 86_400_000,
        deliveryWindowMs: 432_000_000,
        buyerDefaultCollateralTo: "seller",
        sellerPenaltyBps: 1000,
      },
    },
    { type: "phase.set", instrument, phase: "continuous" },
    { type: "member.add", member: "P", name: "Producer", roles: ["producer"] },
    { type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "wholesaler" },
    { type: "account.open", account: "P1", member: "P" },
    { type: "account.open", account: "B1", member: "B" },
    { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: gasKg },
    { type: "money.deposit", account: "B1", amount: 900_000_000_000_000, reference: "SETUP-B1" },
  ];
}
