/**
 * What the browser tests set up in the market through the API before a page shows it: a trade between two members,
 * KAZGPZ selling from KAZGPZ-1 and AKTAU buying into AKTAU-1, each through its trader's session.
 */

import { expect } from "vitest";
import { INSTRUMENT, type TestServer } from "../../support/server.ts";

/** The terms both sides order at: tiyn per tonne, kilograms, and a time in force when not the default. */
export interface TradeTerms {
  readonly instrument?: string;
  readonly price: number;
  readonly quantity: number;
  readonly tif?: string;
}

/** Who orders, in order: the seller's offer rests first, the buyer's order then meets it. */
const SIDES = [
  { user: "kazgpz-trader", account: "KAZGPZ-1", side: "sell", suffix: "s" },
  { user: "aktau-trader", account: "AKTAU-1", side: "buy", suffix: "b" },
] as const;

/**
 * KAZGPZ-1 offers `terms` (client order id `${id}-s`) and AKTAU-1 buys it (`${id}-b`): both orders are accepted and
 * the buy trades at once, in one trade. Returns the trade's id.
 */
export async function tradeThroughApi(server: TestServer, terms: TradeTerms, id: string): Promise<string> {
  const order = { ...terms, instrument: terms.instrument ?? INSTRUMENT };
  let trades: { tradeId: string }[] = [];
  for (const { user, account, side, suffix } of SIDES) {
    const session = await server.login(user);
    const placed = await server.call(session, "POST", "/api/orders", {
      ...order,
      account,
      side,
      clientOrderId: `${id}-${suffix}`,
    });
    expect(placed.status).toBe(201);
    trades = placed.body.trades;
  }
  expect(trades).toHaveLength(1);
  return trades[0]?.tradeId ?? "";
}
