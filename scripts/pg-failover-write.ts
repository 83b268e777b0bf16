/**
 * Part of scripts/pg-failover.sh: writes a small sauda journal to the PostgreSQL primary at the URL (a listed
 * instrument, two members, then crossing orders) and prints the last acknowledged seq as `acknowledged up to N`.
 * Usage: node --import tsx scripts/pg-failover-write.ts URL KEYS_DIR ORDERS
 */

import type { Command } from "../src/engine/commands.ts";
import { Exchange } from "../src/gateway/exchange.ts";

const [url, keysDir, ordersText] = process.argv.slice(2) as [string, string, string];
const INSTRUMENT = "PB-KAZGPZ-DRILL";
const SETUP: Command[] = [
  {
    type: "instrument.list",
    instrument: INSTRUMENT,
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
  { type: "phase.set", instrument: INSTRUMENT, phase: "continuous" },
  { type: "member.add", member: "P", name: "Producer", roles: ["producer"] },
  { type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "wholesaler" },
  { type: "account.open", account: "P1", member: "P" },
  { type: "account.open", account: "B1", member: "B" },
  { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: 900_000_000 },
  { type: "money.deposit", account: "B1", amount: 900_000_000_000_000, reference: "SETUP-B1" },
];

const exchange = await Exchange.open({ database: url, keysDir });
let last = 0;
for (const command of SETUP) last = (await exchange.submit(command)).seq;
for (let i = 0; i < Number(ordersText); i++) {
  const buy = i % 2 === 1;
  const outcome = await exchange.submit({
    type: "order.new",
    instrument: INSTRUMENT,
    orderId: `o${i}`,
    account: buy ? "B1" : "P1",
    side: buy ? "buy" : "sell",
    orderType: "limit",
    price: 13_300_000,
    quantity: 1000,
  });
  last = outcome.seq;
}
await exchange.close();
console.log(`acknowledged up to ${last}`);
