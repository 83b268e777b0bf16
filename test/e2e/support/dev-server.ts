/**
 * A development server for the web application: the integration-test exchange (users of every role, a cleared
 * instrument) with a few trades, listening on a loopback port that it prints. Not a demo market: `sauda serve` is.
 * Run with `node --import tsx test/e2e/support/dev-server.ts [port]`.
 */

import { TestServer } from "../../support/server.ts";

const server = await TestServer.start();
const seller = await server.login("kazgpz-trader");
const buyer = await server.login("aktau-trader");
for (let i = 0; i < 5; i++) {
  server.nowMs += 60_000;
  const price = 13_300_000 + i * 20_000;
  await server.call(seller, "POST", "/api/orders", {
    instrument: "PB-KAZGPZ-MNG-2026-01",
    account: "KAZGPZ-1",
    clientOrderId: `dev-s-${i}`,
    side: "sell",
    price,
    quantity: 20_000,
  });
  await server.call(buyer, "POST", "/api/orders", {
    instrument: "PB-KAZGPZ-MNG-2026-01",
    account: "AKTAU-1",
    clientOrderId: `dev-b-${i}`,
    side: "buy",
    price,
    quantity: 10_000,
  });
}
console.log(server.url);
