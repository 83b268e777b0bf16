/**
 * Writes test/data/ledger-limits.json, the fixture of src/engine/ledger-limits.test.ts:
 *
 *   node --import tsx test/support/make-ledger-limits.ts
 *
 * A market where sums pass 2^53 - 1: a buyer's free money at exactly 2^53 - 1 tiyn, the bank's account past it, a trade
 * whose price × kg (the session's value) is near 1e18 and not a double; the engine's snapshot and state hash there, then more commands
 * (a member's balance to exactly 2^53 and back, a session closed on that value) with the events the engine wrote. The
 * committed file was written by the engine that kept every balance as a bigint (commit 26d9ead), so the test checks
 * that an engine of today restores that engine's snapshot and writes what it wrote. Run again only to extend it, with
 * that engine.
 */

import { writeFileSync } from "node:fs";
import type { Command } from "../../src/engine/commands.ts";
import { Engine } from "../../src/engine/engine.ts";
import { MONEY, memberAccount } from "../../src/engine/ledger.ts";
import { listContinuous } from "./market-commands.ts";

const INSTRUMENT = "PB-LIMIT";
const SAFE = Number.MAX_SAFE_INTEGER; // 9,007,199,254,740,991
const DEPOSIT_MAX = 1_000_000_000_000_000;

const first: Command[] = [
  ...listContinuous(INSTRUMENT),
  { type: "member.add", member: "P", name: "Producer", roles: ["producer"] },
  { type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "wholesaler" },
  { type: "member.add", member: "C", name: "Other buyer", roles: ["buyer"], buyerCategory: "wholesaler" },
  { type: "account.open", account: "P1", member: "P" },
  { type: "account.open", account: "B1", member: "B" },
  { type: "account.open", account: "C1", member: "C" },
  { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: 1_000_000_000 },
  { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: 1_000_000_000 },
];
// B1's free money to exactly 2^53 - 1: nine deposits of the most one may be, and the rest.
for (let i = 1; i <= 9; i++)
  first.push({ type: "money.deposit", account: "B1", amount: DEPOSIT_MAX, reference: `B${i}` });
first.push({ type: "money.deposit", account: "B1", amount: SAFE - 9 * DEPOSIT_MAX, reference: "B10" });
// One tiyn more in the exchange: the bank's account at -2^53.
first.push({ type: "money.deposit", account: "C1", amount: 1, reference: "C1" });
// A trade of 999,999 t at 9,999,999 tenge/t: price × kg is 999,998,900,000,100,000 (above 2^59, and not a double).
first.push(
  {
    type: "order.new",
    instrument: INSTRUMENT,
    orderId: "S1",
    account: "P1",
    side: "sell",
    orderType: "limit",
    price: 999_999_900,
    quantity: 999_999_000,
  },
  {
    type: "order.new",
    instrument: INSTRUMENT,
    orderId: "B1",
    account: "B1",
    side: "buy",
    orderType: "limit",
    price: 999_999_900,
    quantity: 999_999_000,
  },
);

const START_MS = Date.UTC(2026, 0, 5, 6);
const engine = new Engine();
let seq = 0;
for (const command of first) engine.apply({ seq: ++seq, timeMs: START_MS + seq, command });
const snapshot = engine.snapshot();
const stateHash = engine.stateHash();

const free = engine.clearingHouse.ledger.balance(memberAccount("B1", "free"), MONEY);
const then: Command[] = [
  // B1's free money to exactly 2^53, then back to 2^53 - 1.
  { type: "money.deposit", account: "B1", amount: Number(2n ** 53n - free), reference: "B11" },
  { type: "money.withdraw", account: "B1", amount: 1, reference: "W1" },
  // Refused: C1 holds 1 tiyn.
  { type: "money.withdraw", account: "C1", amount: 2, reference: "W2" },
  // Another trade, then the session closes on a value past 2^53 (the next band reference is its average price).
  {
    type: "order.new",
    instrument: INSTRUMENT,
    orderId: "S2",
    account: "P1",
    side: "sell",
    orderType: "limit",
    price: 999_999_800,
    quantity: 999_999_000,
  },
  {
    type: "order.new",
    instrument: INSTRUMENT,
    orderId: "B2",
    account: "B1",
    side: "buy",
    orderType: "limit",
    price: 999_999_800,
    quantity: 999_999_000,
  },
  { type: "phase.set", instrument: INSTRUMENT, phase: "closed" },
  { type: "phase.set", instrument: INSTRUMENT, phase: "continuous" },
];
const events = then.map((command) => engine.apply({ seq: ++seq, timeMs: START_MS + seq, command }));

writeFileSync(
  new URL("../data/ledger-limits.json", import.meta.url),
  `${JSON.stringify({ startMs: START_MS, first, snapshot, stateHash, then, events, finalStateHash: engine.stateHash(), finalSnapshot: engine.snapshot() }, null, 1)}\n`,
);
