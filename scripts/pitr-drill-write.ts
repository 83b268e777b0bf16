/**
 * Part of scripts/pitr-drill.sh: writes a sauda journal to the PostgreSQL server at URL in two batches of ORDERS
 * orders (a listed instrument and two members first), with a named restore point made by sauda between them
 * (`restorePoint`, the code behind `sauda restore-point`), and a second one, `during-batch-2`, made halfway through
 * batch 2 while its orders keep coming (so its head is wherever the appends were). Prints, one per line:
 *   batch 1 acknowledged up to S1
 *   restore point NAME at LSN L, TIME: journal head S
 *   restore point during-batch-2 at LSN L, TIME: journal head S (acknowledged before it was asked for: A)
 *   batch 2 acknowledged up to S2
 * Usage: node --import tsx scripts/pitr-drill-write.ts URL KEYS_DIR ORDERS RESTORE_POINT_NAME
 */

import type { Command } from "../src/engine/commands.ts";
import { Exchange } from "../src/gateway/exchange.ts";
import { restorePoint } from "../src/journal/backup.ts";
import { twoPartyMarket } from "../test/support/market-commands.ts";

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
/** Runs a batch; `halfway` is called once, without waiting for it, when half the batch is acknowledged. */
async function batch(halfway?: () => void): Promise<void> {
  for (let sent = 0; sent < ORDERS; sent += IN_FLIGHT) {
    if (halfway && sent >= ORDERS / 2) {
      halfway();
      halfway = undefined;
    }
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
let during: Promise<string> | undefined;
await batch(() => {
  const before = acked;
  during = restorePoint(url, "sauda", "during-batch-2").then(
    (p) =>
      `restore point ${p.name} at LSN ${p.lsn}, ${p.time}: journal head ${p.seq} (acknowledged before it was asked for: ${before})`,
  );
});
console.log(await during);
console.log(`batch 2 acknowledged up to ${acked}`);
await exchange.close();
