/**
 * PostgreSQL failover, the real thing on loopback (issue 16): a primary started from `initdb` in a temporary directory
 * and a streaming standby made by `pg_basebackup -R`, synchronous (`synchronous_standby_names = '*'`, so a commit is
 * acknowledged only once it is on both). Two `sauda serve` nodes are given both hosts
 * (`postgres://…@127.0.0.1:P1,127.0.0.1:P2/sauda?target_session_attrs=read-write`); two programs place orders through
 * the leader's API. The primary's postmaster is killed with SIGKILL and the test, playing the failover tool, promotes
 * the standby (`pg_ctl promote`). No node is restarted: the leader must find the new primary among the listed hosts,
 * take its leadership again in a new epoch and go on accepting orders; the follower must go on following (and leave
 * the lead to it). At the end every acknowledged order is in the journal, the follower is at the leader's head, and
 * `sauda verify` is clean. The time from the kill to the first order acknowledged that was sent after the kill is
 * printed (docs/operations.md).
 *
 * Needs the PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin, or SAUDA_PG_BIN); skipped with a message
 * without them unless SAUDA_REQUIRE_POSTGRES=1. Run as root, the servers run as the `postgres` user (runuser), as
 * scripts/pg-failover.sh does. fsync is off in these throw-away clusters: a process is killed, not the machine.
 */

import { execFile } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { orderIdOf } from "../src/domain/ids.ts";
import type { Command } from "../src/engine/commands.ts";
import { PostgresStore } from "../src/journal/postgres-store.ts";
import { journalTwoPartyMarket, NodeProcess, SignedPoster, twoPartyMarket } from "./support/two-party-market.ts";

const PG_BIN = process.env.SAUDA_PG_BIN ?? "/usr/lib/postgresql/15/bin";
const REQUIRED = process.env.SAUDA_REQUIRE_POSTGRES === "1";
const BIN = resolve(import.meta.dirname, "../bin/sauda.js");
const INSTRUMENT = "PB-KAZGPZ-FO";
const SCHEMA = "sauda";
const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

function available(): boolean {
  const have = ["initdb", "pg_ctl", "pg_basebackup"].every((name) => existsSync(join(PG_BIN, name)));
  const runuser = !asRoot || existsSync("/usr/sbin/runuser") || existsSync("/sbin/runuser");
  if (have && runuser) return true;
  if (REQUIRED) throw new Error(`PostgreSQL failover: the server binaries are not in ${PG_BIN} (SAUDA_PG_BIN)`);
  process.stderr.write(
    `\nSKIPPED PostgreSQL failover: no PostgreSQL server binaries in ${PG_BIN} (set SAUDA_PG_BIN)\n`,
  );
  return false;
}

/** Runs a PostgreSQL program, as the `postgres` user when the test runs as root (postgres refuses root). */
async function pgRun(program: string, args: string[]): Promise<string> {
  const [file, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", join(PG_BIN, program), ...args]]
    : [join(PG_BIN, program), args];
  const { stdout } = await run(file, argv, { timeout: 60_000 });
  return stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function sql(port: number, text: string, database = "postgres"): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/${database}` });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

interface Ack {
  readonly orderId: string;
  readonly seq: number;
  readonly sentAt: number;
  readonly ackedAt: number;
}

/** A program placing orders with its own API key; a request that fails is sent again with the same clientOrderId. */
class Trader {
  private next = 0;
  readonly acks: Ack[] = [];
  failures = 0;

  private readonly poster: SignedPoster;

  constructor(
    private readonly keyId: string,
    secret: string,
    private readonly account: string,
    private readonly side: "buy" | "sell",
  ) {
    // A request the node does not answer within this is given up and sent again.
    this.poster = new SignedPoster({ id: keyId, secret }, 60_000);
  }

  async run(url: string, stop: () => boolean): Promise<void> {
    while (!stop()) {
      const clientOrderId = `${this.keyId}-${this.next++}`;
      const body = {
        instrument: INSTRUMENT,
        account: this.account,
        clientOrderId,
        side: this.side,
        type: "limit",
        price: 13_300_000 + (this.side === "buy" ? -100 : 100) * (this.next % 5),
        quantity: 1000 * (1 + (this.next % 3)),
      };
      for (;;) {
        const sentAt = Date.now();
        const reply = await this.poster.post(url, "/api/orders", body);
        if (reply !== null && (reply.status === 201 || reply.status === 200)) {
          this.acks.push({
            orderId: orderIdOf(this.account, clientOrderId),
            seq: reply.body.seq,
            sentAt,
            ackedAt: Date.now(),
          });
          break;
        }
        if (reply !== null && reply.status < 500) {
          throw new Error(`order ${clientOrderId} refused: ${reply.status} ${JSON.stringify(reply.body)}`);
        }
        this.failures++;
        if (stop()) return;
        await new Promise((resolveWait) => setTimeout(resolveWait, 50));
      }
    }
  }
}

const enabled = available();
const base = enabled ? mkdtempSync(join(tmpdir(), "sauda-pgfo-")) : "";
const clusters: string[] = [];
const running: NodeProcess[] = [];

/** A `sauda serve` node on the journal (test/support/ha-node.ts), given both hosts and the shared keys. */
function startNode(name: string, database: string, keysDir: string): NodeProcess {
  return new NodeProcess(name, { schema: SCHEMA, base, database, keysDir });
}

afterAll(async () => {
  for (const n of running) if (n.exitCode === undefined) n.child.kill("SIGKILL");
  for (const dir of clusters) {
    await pgRun("pg_ctl", ["stop", "-D", dir, "-m", "immediate"]).catch(() => undefined);
  }
  if (base !== "") rmSync(base, { recursive: true, force: true });
});

describe.runIf(enabled)("PostgreSQL failover under a running sauda node", () => {
  it("follows the promoted standby without a restart, losing no acknowledged order", async () => {
    const started = Date.now();
    const [port1, port2] = [await freePort(), await freePort()];
    const primary = join(base, "primary");
    const standby = join(base, "standby");
    chmodSync(base, 0o755);
    if (asRoot) {
      const { stdout } = await run("id", ["-u", "postgres"]);
      const { stdout: gid } = await run("id", ["-g", "postgres"]);
      chownSync(base, Number(stdout.trim()), Number(gid.trim()));
    }
    const options = (port: number) => `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off`;

    // The primary, then a standby streaming from it; then replication is made synchronous.
    await pgRun("initdb", ["-D", primary, "-U", "postgres", "--auth=trust", "--no-sync"]);
    clusters.push(primary);
    await pgRun("pg_ctl", ["start", "-D", primary, "-w", "-l", join(base, "primary.log"), "-o", options(port1)]);
    await sql(port1, "CREATE DATABASE sauda");
    await pgRun("pg_basebackup", [
      "-h",
      "127.0.0.1",
      "-p",
      String(port1),
      "-U",
      "postgres",
      "-D",
      standby,
      "-R",
      "-c",
      "fast",
    ]);
    clusters.push(standby);
    await pgRun("pg_ctl", ["start", "-D", standby, "-w", "-l", join(base, "standby.log"), "-o", options(port2)]);
    await sql(port1, "ALTER SYSTEM SET synchronous_standby_names = '*'");
    await sql(port1, "SELECT pg_reload_conf()");
    for (;;) {
      const states = await sql(port1, "SELECT sync_state FROM pg_stat_replication");
      if (states.rows.some((row: { sync_state: string }) => row.sync_state === "sync")) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    const url = `postgres://postgres@127.0.0.1:${port1},127.0.0.1:${port2}/sauda?target_session_attrs=read-write`;
    const keys = join(base, "keys");

    // The market and two traders' keys, journaled through the multi-host URL before the node starts.
    const traderKeys = await journalTwoPartyMarket({
      schema: SCHEMA,
      keysDir: keys,
      commands: twoPartyMarket(INSTRUMENT),
      database: url,
    });
    const traders: Trader[] = [];
    for (const [member, account, side] of [
      ["P", "P1", "sell"],
      ["B", "B1", "buy"],
    ] as const) {
      const [key] = traderKeys.get(member) ?? [];
      traders.push(new Trader(key!.id, key!.secret, account, side));
    }

    // Two nodes, both given both hosts, started together: one leads, the other follows.
    const nodes = [startNode("node-a", url, keys), startNode("node-b", url, keys)];
    running.push(...nodes);
    await Promise.all(nodes.map((n) => n.ready));
    let leader: NodeProcess | undefined;
    while (leader === undefined) {
      const roles = await Promise.all(nodes.map((n) => n.health(5000)));
      leader = nodes.find((_, i) => roles[i]?.role === "leader");
      if (leader === undefined) await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    const follower = nodes.find((n) => n !== leader)!;
    const nodeUrl = leader.url;
    const exited = () => nodes.some((n) => n.exitCode !== undefined);
    const lines = leader.lines;

    let stopping = false;
    const load = traders.map((trader) => trader.run(nodeUrl, () => stopping));
    const acked = () => traders.reduce((sum, trader) => sum + trader.acks.length, 0);
    const waitForAcks = async (count: number, what: string) => {
      const deadline = Date.now() + 30_000;
      while (acked() < count) {
        if (Date.now() > deadline || exited()) {
          throw new Error(`${what}: ${acked()} of ${count} acknowledged; node: ${lines.slice(-10).join("\n")}`);
        }
        await new Promise((resolveWait) => setTimeout(resolveWait, 20));
      }
    };
    await waitForAcks(40, "before the kill");

    // The primary dies (its postmaster, SIGKILL); the failover tool (this test) promotes the standby.
    const postmaster = Number(readFileSync(join(primary, "postmaster.pid"), "utf8").split("\n")[0]);
    const killedAt = Date.now();
    const ackedAtKill = acked();
    process.kill(postmaster, "SIGKILL");
    await pgRun("pg_ctl", ["promote", "-D", standby, "-w"]);
    const promotedAt = Date.now();
    await waitForAcks(ackedAtKill + 40, "after the promotion");
    stopping = true;
    await Promise.all(load);

    const acks = traders.flatMap((trader) => trader.acks);
    const firstAfter = Math.min(...acks.filter((ack) => ack.sentAt > killedAt).map((ack) => ack.ackedAt));
    // Neither node stopped: the leader took the leadership again on the new primary, in a new epoch; the follower
    // follows the journal there, to its head.
    expect(nodes.map((n) => n.exitCode)).toEqual([undefined, undefined]);
    expect((await leader.health(5000))?.role).toBe("leader");
    expect(lines.join("\n")).toMatch(/leader again \(epoch 2\)/);
    const head = (await leader.health(5000))!.seq;
    for (const deadline = Date.now() + 30_000; ; ) {
      const seen = await follower.health(5000);
      expect(seen?.role).toBe("follower");
      if (seen?.seq === head) break;
      expect(Date.now(), `the follower did not reach ${head}: ${follower.lines.slice(-5).join("\n")}`).toBeLessThan(
        deadline,
      );
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    if (process.env.PG_FAILOVER_VERBOSE === "1") {
      for (const n of nodes) {
        process.stderr.write(`${n.lines.filter((line) => /warning|role|FATAL/.test(line)).join("\n")}\n`);
      }
    }
    for (const n of nodes) expect(await n.stop()).toBe(0);

    // `sauda verify` on the new primary (through the same multi-host URL), and every acknowledged order is there.
    const verify = await run(process.execPath, [BIN, "verify", "--database", url, "--schema", SCHEMA, "--keys", keys], {
      timeout: 120_000,
    }).catch((error: { stdout?: string; stderr?: string; code?: number }) => error);
    expect((verify as { code?: number }).code ?? 0, `${verify.stdout}${verify.stderr}`).toBe(0);
    const store = await PostgresStore.open(url, SCHEMA);
    const placed = new Set<string>();
    for (let from = 1; ; ) {
      const page = await store.read(from, 5000);
      if (page.length === 0) break;
      for (const record of page) {
        const command = JSON.parse(record.command) as Command;
        if (command.type === "order.new") placed.add(command.orderId);
      }
      from = page[page.length - 1]!.seq + 1;
    }
    await store.close();
    for (const ack of acks) expect(placed.has(ack.orderId), `acknowledged order ${ack.orderId} is missing`).toBe(true);
    process.stderr.write(
      `pg-failover: ${acks.length} orders acknowledged (${ackedAtKill} before the kill); standby promoted ${promotedAt - killedAt} ms after the kill; ` +
        `first order sent after the kill acknowledged ${firstAfter - killedAt} ms after it; ${traders.reduce((n, t) => n + t.failures, 0)} requests failed and were sent again; total ${Date.now() - started} ms\n`,
    );
  }, 180_000);
});
