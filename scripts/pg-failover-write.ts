/**
 * Part of scripts/pg-failover.sh: writes a small sauda journal through the URL (a listed instrument, two members, then
 * crossing orders), leading it as `sauda serve` does (the leadership lock, fenced appends), and prints the last
 * acknowledged seq as `acknowledged up to N`.
 *
 * With KILLED_FILE it goes on writing after the first ORDERS (printing `wrote ORDERS`) until that file appears (the
 * drill writes the time of the primary's kill into it, in ms), and then until AFTER more orders sent after the kill
 * are acknowledged: the URL lists both servers, so it follows the promoted standby without a restart. It prints
 * `wrote again N ms after the kill` (the first order sent after the kill, acknowledged).
 * Usage: node --import tsx scripts/pg-failover-write.ts URL KEYS_DIR ORDERS [KILLED_FILE [AFTER]]
 */

import { existsSync, readFileSync } from "node:fs";
import type { Command } from "../src/engine/commands.ts";
import { Exchange } from "../src/gateway/exchange.ts";
import { Leadership } from "../src/journal/leadership.ts";
import { twoPartyMarket } from "../test/support/market-commands.ts";

const [url, keysDir, ordersText] = process.argv.slice(2) as [string, string, string];
const INSTRUMENT = "PB-KAZGPZ-DRILL";
const SETUP: Command[] = twoPartyMarket(INSTRUMENT);

const [killedFile, afterText] = process.argv.slice(5) as [string | undefined, string | undefined];
const exchange = await Exchange.open({
  database: url,
  keysDir,
  follower: true,
  onFatal: (error) => {
    console.log(`FATAL: ${(error as Error).message}`);
    process.exit(70);
  },
});
const leadership = await Leadership.connect({ url, schema: "sauda", advertisedUrl: "http://drill.invalid" });
leadership.onSuspended((error) => console.log(`the leadership connection failed (${(error as Error).message})`));
leadership.onRegained((epoch) => console.log(`leading again in epoch ${epoch}`));
await exchange.runForLeader(leadership);
if (exchange.role !== "leader") throw new Error("another node leads this journal");
let last = 0;
for (const command of SETUP) last = (await exchange.submit(command)).seq;
let killedAt: number | null = null;
let firstAfterMs: number | null = null;
let after = 0;
for (let i = 0; ; i++) {
  if (i === Number(ordersText)) {
    if (killedFile === undefined) break;
    console.log(`wrote ${i}`);
  }
  if (killedFile !== undefined && killedAt === null && existsSync(killedFile)) {
    const text = readFileSync(killedFile, "utf8").trim();
    if (text !== "") killedAt = Number(text);
  }
  if (killedAt !== null && after >= Number(afterText ?? 200)) break;
  const sentAt = Date.now();
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
  if (killedAt !== null && sentAt > killedAt) {
    firstAfterMs ??= Date.now() - killedAt;
    after++;
  }
}
await exchange.close();
if (firstAfterMs !== null) console.log(`wrote again ${firstAfterMs} ms after the kill`);
console.log(`acknowledged up to ${last}`);
