/**
 * The core benchmark's seeded workload (bench/core.ts, bench/core-parts.ts): a cleared instrument with eight producers
 * and eight buyers, then limit orders around 133,000 tenge/t, about a third crossing, each cancelled after a while.
 */

import type { Command } from "../src/engine/commands.ts";
import { Random } from "../src/simulator/random.ts";
import { listContinuous } from "../test/support/market-commands.ts";

export const INSTRUMENT = "PB-KAZGPZ-MNG";

/** Uniform numbers in [0, 1) from the simulator's seeded generator (src/simulator/random.ts), one stream here. */
function uniform(seed: number): () => number {
  const random = new Random(seed, "bench-core");
  return () => random.next();
}

export function setup(): Command[] {
  // Windows of a year: the benchmark's obligations never fall due while it runs.
  const commands = listContinuous(INSTRUMENT, {
    paymentWindowMs: 365 * 86_400_000,
    deliveryWindowMs: 365 * 86_400_000,
  });
  for (let m = 0; m < 8; m++) {
    commands.push({ type: "member.add", member: `P${m}`, name: `Producer ${m}`, roles: ["producer"] });
    commands.push({ type: "account.open", account: `P${m}`, member: `P${m}` });
    commands.push({ type: "gas.declare", account: `P${m}`, basis: "KAZGPZ", quantity: 1_000_000_000 });
    commands.push({
      type: "member.add",
      member: `B${m}`,
      name: `Buyer ${m}`,
      roles: ["buyer"],
      buyerCategory: "wholesaler",
    });
    commands.push({ type: "account.open", account: `B${m}`, member: `B${m}` });
    commands.push({ type: "money.deposit", account: `B${m}`, amount: 900_000_000_000_000, reference: `D${m}` });
  }
  return commands;
}

/** Commands per trading day in the recovery journal: the instrument closes and reopens between days. */
export const COMMANDS_PER_DAY = 100_000;

/** Orders around 133,000 tenge/t, about a third crossing, each cancelled after a while (seeded). */
export function* orders(count: number, seed: number, withDays = false): Generator<Command> {
  const random = uniform(seed);
  const live: string[] = [];
  for (let i = 0; i < count; i++) {
    if (withDays && i > 0 && i % COMMANDS_PER_DAY === 0) {
      yield { type: "phase.set", instrument: INSTRUMENT, phase: "closed" };
      yield { type: "phase.set", instrument: INSTRUMENT, phase: "continuous" };
      i += 2;
    }
    if (live.length > 2000 && random() < 0.5) {
      const index = Math.floor(random() * live.length);
      const orderId = live[index]!;
      live[index] = live[live.length - 1]!;
      live.pop();
      yield { type: "order.cancel", orderId };
      continue;
    }
    const buy = random() < 0.5;
    const member = Math.floor(random() * 8);
    const offset = Math.floor(random() * 40) - (buy ? 27 : 13);
    const orderId = `o${seed}-${i}`;
    live.push(orderId);
    yield {
      type: "order.new",
      instrument: INSTRUMENT,
      orderId,
      account: buy ? `B${member}` : `P${member}`,
      side: buy ? "buy" : "sell",
      orderType: "limit",
      price: 13_300_000 + offset * 100,
      quantity: 1000 * (1 + Math.floor(random() * 100)),
    };
  }
}
