/**
 * The smallest market the multi-node tests and benchmarks trade on: one continuous instrument at KAZGPZ, a producer
 * `P` (account `P1`, gas declared) and a wholesaler `B` (account `B1`, money deposited), journaled before the nodes
 * start (its commands: `twoPartyMarket`, from test/support/market-commands.ts), with its traders' keys
 * (`openTwoPartyMarket`), and its nodes as child processes (`NodeProcess`, `startNodeProcess`). Used by
 * test/ha.test.ts, test/ha-resume.test.ts, test/pg-failover.test.ts (the node process only), bench/fanout.ts and
 * bench/forward.ts.
 */

import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "../../src/engine/commands.ts";
import { Exchange } from "../../src/gateway/exchange.ts";
import { LIGHT_SCRYPT } from "../../src/gateway/passwords.ts";
import { sign } from "../../src/gateway/signing.ts";
import { Users } from "../../src/gateway/users.ts";
import { TEST_DATABASE_URL } from "./postgres.ts";

/** The market's commands, here too for the modules that journal them through this one. */
export { twoPartyMarket } from "./market-commands.ts";

/** An API key of a trader of the two-party market. */
export interface TraderKey {
  readonly id: string;
  readonly secret: string;
}

/**
 * Journals the two-party market into a fresh PostgreSQL schema (or, with `data`, a fresh SQLite journal in that
 * directory) with a trader for each member and API keys for each trader, before any node starts; returns the keys by
 * member. With `keysPerMember` the keys are `k-P-0`, `k-P-1`, ...
 * (secrets `secret-P-0`, ...), without it one key `k-P` (`secret-P`). Throws when the exchange rejects a command.
 */
export async function journalTwoPartyMarket(options: {
  readonly schema?: string;
  /** A SQLite journal's data directory instead of PostgreSQL. */
  readonly data?: string;
  readonly keysDir: string;
  readonly commands: readonly Command[];
  /** The journal's connection URL; the test database by default. */
  readonly database?: string;
  readonly keysPerMember?: number;
}): Promise<Map<string, TraderKey[]>> {
  const setup = await Exchange.open({
    ...(options.data === undefined
      ? { database: options.database ?? TEST_DATABASE_URL, schema: options.schema ?? "sauda" }
      : { data: options.data }),
    keysDir: options.keysDir,
  });
  for (const command of options.commands) {
    const outcome = await setup.submit(command);
    const rejected = outcome.events.filter((event) => event.type === "rejected");
    if (rejected.length > 0) throw new Error(`set-up ${command.type} rejected: ${JSON.stringify(rejected)}`);
  }
  const users = new Users(setup, { scrypt: LIGHT_SCRYPT });
  const keys = new Map<string, TraderKey[]>();
  for (const member of ["P", "B"]) {
    const user = `trader-${member.toLowerCase()}`;
    await users.create(
      { id: user, name: user, role: "trader", member, password: "correct horse battery staple", reason: "setup" },
      { actor: "test setup" },
    );
    const named =
      options.keysPerMember === undefined
        ? [{ id: `k-${member}`, secret: `secret-${member}` }]
        : Array.from({ length: options.keysPerMember }, (_, i) => ({
            id: `k-${member}-${i}`,
            secret: `secret-${member}-${i}`,
          }));
    for (const key of named) await users.createKey(user, ["read", "trade"], { actor: "test setup" }, key);
    keys.set(member, named);
  }
  await setup.close();
  return keys;
}

/** `journalTwoPartyMarket` on the test database with one key per member (`k-P`, `k-B`). */
export async function openTwoPartyMarket(
  schema: string,
  keysDir: string,
  commands: readonly Command[],
): Promise<Map<string, TraderKey>> {
  const keys = await journalTwoPartyMarket({ schema, keysDir, commands });
  return new Map([...keys].map(([member, [key]]) => [member, key!]));
}

/**
 * POSTs signed with a trader's API key, as a program trading through the API does: each request's timestamp is later
 * than the one before (the server refuses a replayed one), the reply is read as JSON, and a request the node did not
 * answer (it died under it, refused the connection, or took longer than `timeoutMs`) gives null.
 */
export class SignedPoster {
  private lastTimestampMs = 0;

  constructor(
    private readonly key: TraderKey,
    private readonly timeoutMs: number,
  ) {}

  // biome-ignore lint/suspicious/noExplicitAny: the reply is read field by field and checked by the caller.
  async post(url: string, path: string, body: unknown): Promise<{ status: number; body: any } | null> {
    const text = JSON.stringify(body);
    const timestampMs = Math.max(Date.now(), this.lastTimestampMs + 1);
    this.lastTimestampMs = timestampMs;
    try {
      const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-sauda-key": this.key.id,
          "x-sauda-timestamp": String(timestampMs),
          "x-sauda-signature": sign(this.key.secret, timestampMs, "POST", path, text),
        },
        body: text,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { status: response.status, body: await response.json() };
    } catch {
      return null;
    }
  }
}

/**
 * One-lot limit orders of the two-party market as its traders send them: a sell from P's account P1 or a buy from B's
 * account B1, POSTed to /api/orders signed with the member's key, client order ids c0, c1, ... in the order placed,
 * and each request's timestamp later than the one before (the server refuses a replayed one). `place` answers the
 * reply as it came, for the caller to read.
 */
export class TwoPartyOrders {
  /** How many orders have been placed (the next client order id's number). */
  placed = 0;
  private lastTimestampMs = 0;

  constructor(
    private readonly instrument: string,
    private readonly keys: ReadonlyMap<string, TraderKey>,
  ) {}

  place(url: string, member: "P" | "B", priceTiynPerTonne: number): Promise<Response> {
    const key = this.keys.get(member);
    if (key === undefined) throw new Error(`no key for member ${member}`);
    const path = "/api/orders";
    const text = JSON.stringify({
      instrument: this.instrument,
      account: `${member}1`,
      clientOrderId: `c${this.placed++}`,
      side: member === "P" ? "sell" : "buy",
      type: "limit",
      price: priceTiynPerTonne,
      quantity: 1000,
    });
    const timestampMs = Math.max(Date.now(), this.lastTimestampMs + 1);
    this.lastTimestampMs = timestampMs;
    return fetch(`${url}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-sauda-key": key.id,
        "x-sauda-timestamp": String(timestampMs),
        "x-sauda-signature": sign(key.secret, timestampMs, "POST", path, text),
      },
      body: text,
    });
  }
}

const NODE = resolve(import.meta.dirname, "ha-node.ts");

/**
 * Where a node process runs: its journal (a PostgreSQL URL and schema, or a SQLite journal's data directory that the
 * nodes share), its data directory and the shared keys.
 */
export interface NodeProcessOptions {
  readonly schema?: string;
  /** A SQLite journal in this data directory, shared by the nodes (a standby on one machine), instead of PostgreSQL. */
  readonly sqliteData?: string;
  /** The node's data goes under `base/<name>` (on PostgreSQL). */
  readonly base: string;
  /** The journal's connection URL; the test database by default. */
  readonly database?: string;
  /** The journal MAC and signing keys, shared by the nodes; `base/keys` by default. */
  readonly keysDir?: string;
  /** Told when the process exits, with what it wrote (stdout lines and stderr chunks). */
  readonly onExit?: (code: number | null, signal: NodeJS.Signals | null, lines: readonly string[]) => void;
}

/**
 * A `sauda serve` node in a child process (test/support/ha-node.ts). `ready` resolves with its address once it
 * listens and rejects if it exits first (the rejection is handled here, so a node that is never awaited does not
 * fail the run); `exited` resolves with its exit code; `lines` keeps what it wrote, for a failing assertion to show.
 */
export class NodeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  readonly ready: Promise<string>;
  readonly exited: Promise<number | null>;
  url = "";
  /** False once the process has exited. */
  alive = true;
  /** The exit code once exited (null when a signal ended it); undefined while it runs. */
  exitCode: number | null | undefined;

  constructor(
    readonly name: string,
    options: NodeProcessOptions,
  ) {
    const keysDir = options.keysDir ?? join(options.base, "keys");
    const journal =
      options.sqliteData === undefined
        ? [options.database ?? TEST_DATABASE_URL, options.schema ?? "sauda", join(options.base, name)]
        : ["sqlite", "-", options.sqliteData];
    this.child = spawn(process.execPath, ["--import", "tsx", NODE, ...journal, keysDir], { stdio: "pipe" });
    this.child.stderr.on("data", (chunk: Buffer) => this.lines.push(chunk.toString()));
    this.exited = new Promise((resolveExit) =>
      this.child.once("exit", (code, signal) => {
        this.alive = false;
        this.exitCode = code;
        options.onExit?.(code, signal, this.lines);
        resolveExit(code);
      }),
    );
    this.ready = new Promise((resolveReady, reject) => {
      createInterface({ input: this.child.stdout }).on("line", (line) => {
        this.lines.push(line);
        const match = /sauda exchange on (http:\/\/\S+)/.exec(line);
        if (match) {
          this.url = match[1]!;
          resolveReady(this.url);
        }
      });
      void this.exited.then((code) => reject(new Error(`${name} exited with ${code}: ${this.lines.join("\n")}`)));
    });
    this.ready.catch(() => undefined);
  }

  /** The node's /api/health, or null when it is not running or does not answer within `timeoutMs`. */
  async health(timeoutMs = 2000): Promise<{ role: string; seq: number; lagMs: number } | null> {
    if (!this.alive || this.url === "") return null;
    try {
      const response = await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
      return (await response.json()) as { role: string; seq: number; lagMs: number };
    } catch {
      return null;
    }
  }

  async kill(): Promise<void> {
    this.child.kill("SIGKILL");
    await this.exited;
  }

  async stop(): Promise<number | null> {
    this.child.kill("SIGTERM");
    return this.exited;
  }
}

/**
 * A `sauda serve` node on the schema in a child process (`NodeProcess`), its data under `base/name` and the shared
 * keys under `base/keys`; `url` resolves with its address once it listens, and rejects if it exits first.
 */
export function startNodeProcess(
  name: string,
  schema: string,
  base: string,
): { child: ChildProcessWithoutNullStreams; url: Promise<string> } {
  const node = new NodeProcess(name, { schema, base });
  return { child: node.child, url: node.ready };
}
