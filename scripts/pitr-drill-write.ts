/**
 * Part of scripts/pitr-drill.sh: writes a sauda journal to the PostgreSQL server at URL in two batches of ORDERS
 * orders (a listed instrument and two members first), with a named restore point made by sauda between them
 * (`restorePoint`, the code behind `sauda restore-point`). Prints, one per line:
 *   batch 1 acknowledged up to S1
 *   restore point NAME at LSN L, TIME: journal head S
 *   batch 2 acknowledged up to S2
 * Usage: node --import tsx scripts/pitr-drill-write.ts URL KEYS_DIR ORDERS RESTORE_POINT_NAME
 */

import type { Command } from "../src/engine/commands.ts";
import { Exchange } from "../src/gateway/exchange.ts";
import { restorePoint } from "../src/journal/backup.ts";
import { twoPartyMarket } from "../test/support/two-party-market.ts";

const [url, keysDir, ordersText, pointName] = process.argv.slice(2) as [string, string, string, string];
const INSTRUMENT = "PB-KAZGPZ-PITR";
const ORDERS = Number(ordersText);
/** Orders in flight at once: the sequencer commits them in groups, as it would for many clients. */
const IN_FLIGHT = 50;

function order(i: number): Command {
  const buy = i % 2 === 1;
  return {
    type: "order.new",
    instrument: INSTRUMENT,
    orderId: `o${i}`,
    account: buy ? "B1" : "P1",
    side: buy ? "buy" : "sell",
    orderType: "limit",
    price: 13_300_000 + (i % 5) * 100,
    quantity: 1000,
  };
}

const exchange = await Exchange.open({ database: url, keysDir });
let acked = 0;
let next = 0;
async function batch(): Promise<void> {
  for (let sent = 0; sent < ORDERS; sent += IN_FLIGHT) {
    const count = Math.min(IN_FLIGHT, ORDERS - sent);
    const outcomes = await Promise.all(Array.from({ length: count }, () => exchange.submit(order(next++))));
    for (const outcome of outcomes) acked = Math.max(acked, outcome.seq);
  }
}
for (const command of twoPartyMarket(INSTRUMENT)) acked = (await exchange.submit(command)).seq;
await batch();
console.log(`batch 1 acknowledged up to ${acked}`);
const point = await restorePoint(url, "sauda", pointName);
console.log(`restore point ${point.name} at LSN ${point.lsn}, ${point.time}: journal head ${point.seq}`);
await batch();
console.log(`batch 2 acknowledged up to ${acked}`);
await exchange.close();
