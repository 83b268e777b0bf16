/**
 * The set-up commands of the small markets the tests, benchmarks and drills trade on, as plain data (no I/O, nothing
 * but the command types imported, so the engine's benchmarks and the crash test load nothing else with them): a
 * continuous instrument cleared at KAZGPZ (`listContinuous`), and the two-party market on it (`twoPartyMarket`).
 */

import type { ClearingTerms } from "../../src/engine/clearing.ts";
import type { Command } from "../../src/engine/commands.ts";

/** The KAZGPZ clearing terms of these markets: 5% collateral, 0.05% fee, a day to pay, five days to deliver. */
export const KAZGPZ_CLEARING: ClearingTerms = {
  basis: "KAZGPZ",
  collateralBps: 500,
  feeBps: 5,
  paymentWindowMs: 86_400_000,
  deliveryWindowMs: 432_000_000,
  buyerDefaultCollateralTo: "seller",
  sellerPenaltyBps: 1000,
};

/**
 * Lists `instrument` for continuous trading (tick 100 tiyn/t, lot 1,000 kg, the KAZGPZ terms with `clearing`'s
 * changes) and opens its continuous phase.
 */
export function listContinuous(instrument: string, clearing: Partial<ClearingTerms> = {}): Command[] {
  return [
    {
      type: "instrument.list",
      instrument,
      mode: "continuous",
      tickSize: 100,
      lotSize: 1000,
      clearing: { ...KAZGPZ_CLEARING, ...clearing },
    },
    { type: "phase.set", instrument, phase: "continuous" },
  ];
}

/**
 * The two-party market on `instrument` (listed by `listContinuous`): a producer `P` with account `P1` and `gasKg`
 * of gas declared, and a wholesaler `B` with account `B1` and 9e14 tiyn deposited.
 */
export function twoPartyMarket(instrument: string, gasKg = 900_000_000): Command[] {
  return [
    ...listContinuous(instrument),
    { type: "member.add", member: "P", name: "Producer", roles: ["producer"] },
    { type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "wholesaler" },
    { type: "account.open", account: "P1", member: "P" },
    { type: "account.open", account: "B1", member: "B" },
    { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: gasKg },
    { type: "money.deposit", account: "B1", amount: 900_000_000_000_000, reference: "SETUP-B1" },
  ];
}
