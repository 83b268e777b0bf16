/**
 * The smallest market the multi-node tests and benchmarks trade on: one continuous instrument at KAZGPZ, a producer
 * `P` (account `P1`, gas declared) and a wholesaler `B` (account `B1`, money deposited), journaled before the nodes
 * start, with its traders' keys (`openTwoPartyMarket`), and its nodes as child processes (`startNodeProcess`). Used by
 * test/ha.test.ts, test/ha-resume.test.ts, bench/restart.ts, bench/fanout.ts and bench/forward.ts.
 */

import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "../../src/engine/commands.ts";
import { Exchange } from "../../src/gateway/exchange.ts";
import { LIGHT_SCRYPT } from "../../src/gateway/passwords.ts";
import { Users } from "../../src/gateway/users.ts";
import { TEST_DATABASE_URL } from "./postgres.ts";

export function twoPartyMarket(instrument: string, gasKg = 900_000_000): Command[] {
  return [
    {
      type: "instrument.list",
      instrument,
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
    { type: "phase.set", instrument, phase: "continuous" },
    { type: "member.add", member: "P", name: "Producer", roles: ["producer"] },
    { type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "wholesaler" },
    { type: "account.open", account: "P1", member: "P" },
    { type: "account.open", account: "B1", member: "B" },
    { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: gasKg },
    { type: "money.deposit", account: "B1", amount: 900_000_000_000_000, reference: "SETUP-B1" },
  ];
}

/** An API key of a trader of the two-party market. */
export interface TraderKey {
  readonly id: string;
  readonly secret: string;
}

/**
 * Journals the two-party market into a fresh PostgreSQL schema with a trader and an API key for each member
 * (`k-P`, `k-B`), before any node starts; returns the keys by member.
 */
export async function openTwoPartyMarket(
  schema: string,
  keysDir: string,
  commands: readonly Command[],
): Promise<Map<string, TraderKey>> {
  const setup = await Exchange.open({ database: TEST_DATABASE_URL, schema, keysDir });
  for (const command of commands) await setup.submit(command);
  const users = new Users(setup, { scrypt: LIGHT_SCRYPT });
  const keys = new Map<string, TraderKey>();
  for (const member of ["P", "B"]) {
    const user = `trader-${member.toLowerCase()}`;
    await users.create(
      { id: user, name: user, role: "trader", member, password: "correct horse battery staple", reason: "setup" },
      { actor: "test setup" },
    );
    const key = { id: `k-${member}`, secret: `secret-${member}` };
    await users.createKey(user, ["read", "trade"], { actor: "test setup" }, key);
    keys.set(member, key);
  }
  await setup.close();
  return keys;
}

const NODE = resolve(import.meta.dirname, "ha-node.ts");

/**
 * A `sauda serve` node on the schema in a child process (test/support/ha-node.ts), its data under `base/name` and the
 * shared keys under `base/keys`; `url` resolves with its address once it listens, and rejects if it exits first.
 */
export function startNodeProcess(
  name: string,
  schema: string,
  base: string,
): { child: ChildProcessWithoutNullStreams; url: Promise<string> } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", NODE, TEST_DATABASE_URL, schema, join(base, name), join(base, "keys")],
    { stdio: "pipe" },
  );
  const lines: string[] = [];
  child.stderr.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
  const url = new Promise<string>((resolveUrl, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      const match = /sauda exchange on (http:\/\/\S+)/.exec(line);
      if (match) resolveUrl(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}: ${lines.join("\n")}`)));
  });
  return { child, url };
}
