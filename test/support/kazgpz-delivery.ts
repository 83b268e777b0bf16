/**
 * The first steps of a delivery on the test exchange (test/support/server.ts), as the delivery tests take them over
 * HTTP: a trade between the plant's account KAZGPZ-1 and a buyer's account, and the plant's dispatches against the
 * obligation it makes.
 */

import { expect } from "vitest";
import { INSTRUMENT, type Session, type TestServer } from "./server.ts";

/** The price of these trades: 133,000 tenge/t. */
export const DELIVERY_PRICE_TIYN_PER_TONNE = 13_300_000;

/**
 * A trade of `kg` between KAZGPZ-1 (its trader `seller`) and the buyer's `account`: the plant's offer, then the
 * buyer's bid that takes it (client order ids `${id}-s` and `${id}-b`); returns the obligation's id.
 */
export async function tradeWithKazgpz(
  server: TestServer,
  seller: Session,
  buyer: Session,
  account: string,
  id: string,
  kg: number,
): Promise<string> {
  const price = DELIVERY_PRICE_TIYN_PER_TONNE;
  const offer = { instrument: INSTRUMENT, account: "KAZGPZ-1", clientOrderId: `${id}-s`, side: "sell", price };
  expect((await server.call(seller, "POST", "/api/orders", { ...offer, quantity: kg })).status).toBe(201);
  const bid = await server.call(buyer, "POST", "/api/orders", {
    instrument: INSTRUMENT,
    account,
    clientOrderId: `${id}-b`,
    side: "buy",
    price,
    quantity: kg,
  });
  expect(bid.body.trades).toHaveLength(1);
  return `OB-${(bid.body.trades[0].tradeId as string).slice(2)}`;
}

/** KAZGPZ-1's dispatch of `quantityKg` against `obligation` in truck 123 ABC 12 on 5 January 2026; the reply. */
export function dispatchFromKazgpz(
  server: TestServer,
  seller: Session,
  obligation: string,
  waybill: string,
  quantityKg: number,
) {
  return server.call(seller, "POST", "/api/accounts/KAZGPZ-1/shipments", {
    obligation,
    vehicle: "123 ABC 12",
    waybill,
    quantityKg,
    date: "2026-01-05",
  });
}
