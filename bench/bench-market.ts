/**
 * The market the order-entry benchmarks (bench:server, bench:fix) trade on: one cleared LPG instrument in continuous
 * trading and `members` members, the even ones producers with gas and the odd ones buyers with money, each with an
 * account, a trader and an API key, all submitted straight to the exchange (and its user store) before any port
 * opens. Throws when the exchange refuses any of it.
 */

import type { Command } from "../src/engine/commands.ts";
import type { Exchange } from "../src/gateway/exchange.ts";
import type { Users } from "../src/gateway/users.ts";

export const BENCH_INSTRUMENT = "PB-BENCH-2026-01";
export const BENCH_REFERENCE_PRICE = 13_300_000;
export const BENCH_TICK = 100;
export const BENCH_LOT_KG = 1000;

/** One benchmark member: who it is, which side it trades, and its API key. */
export interface BenchMember {
  readonly member: string;
  readonly account: string;
  readonly producer: boolean;
  readonly keyId: string;
  readonly secret: string;
}

export async function openBenchMarket(exchange: Exchange, users: Users, members: number): Promise<BenchMember[]> {
  const setup: Command[] = [
    {
      type: "instrument.list",
      instrument: BENCH_INSTRUMENT,
      mode: "continuous",
      tickSize: BENCH_TICK,
      lotSize: BENCH_LOT_KG,
      referencePrice: BENCH_REFERENCE_PRICE,
      clearing: {
        basis: "KAZGPZ",
        collateralBps: 500,
        feeBps: 5,
        paymentWindowMs: 86_400_000,
        deliveryWindowMs: 432_000_000,
        buyerDefaultCollateralTo: "seller",
        sellerPenaltyBps: 1000,
      },
      description: { product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
    },
    { type: "phase.set", instrument: BENCH_INSTRUMENT, phase: "continuous" },
  ];
  const result: BenchMember[] = [];
  for (let i = 0; i < members; i++) {
    const producer = i % 2 === 0;
    const member = `M${String(i).padStart(3, "0")}`;
    const account = `${member}-1`;
    setup.push(
      producer
        ? { type: "member.add", member, name: `Producer ${i}`, roles: ["producer"] }
        : { type: "member.add", member, name: `Buyer ${i}`, roles: ["buyer"], buyerCategory: "gas-distribution" },
      { type: "account.open", account, member },
      producer
        ? { type: "gas.declare", account, basis: "KAZGPZ", quantity: 1_000_000_000 }
        : { type: "money.deposit", account, amount: 1_000_000_000_000, reference: `BENCH-${member}` },
    );
    result.push({ member, account, producer, keyId: `key-${member}`, secret: `secret-${member}-${i * 7919}` });
  }
  const outcomes = await Promise.all(setup.map((command) => exchange.submit(command)));
  const refused = outcomes.flatMap((o) => o.events.filter((e) => e.type === "rejected"));
  if (refused.length > 0) throw new Error(`set-up refused: ${JSON.stringify(refused[0])}`);
  // Users and keys through the journal, once their members exist.
  for (const m of result) {
    const user = `trader-${m.member}`;
    await users.create(
      { id: user, name: user, role: "trader", member: m.member, password: "bench password 1234", reason: "bench" },
      {},
    );
    await users.createKey(user, ["read", "trade"], {}, { id: m.keyId, secret: m.secret });
  }
  return result;
}
