/**
 * Write forwarding between nodes, the real thing on loopback: two `sauda serve` nodes on one PostgreSQL journal
 * (support/ha-node.ts), a leader and a follower. Checked:
 * - an order posted to the follower (API key, and a browser session signed in on the follower) is acknowledged, is
 *   in the leader's views, and the journal's audit source names the client's address and the follower;
 * - a refused order (bad shape, off the tick, no CSRF token) gets the same status and body through the follower as
 *   from the leader, in the language asked for;
 * - a forwarding mark a client made up is refused (403 FORWARDING_INVALID) on both nodes and changes nothing; a real
 *   mark is accepted once (a replay is refused); a forwarded change that reaches a follower is refused with
 *   NOT_LEADER, not forwarded again;
 * - WebSocket order entry on the follower answers NOT_LEADER naming the leader (not forwarded);
 * - the leader killed: while no node leads (the test holds the leadership lock in the leader's place), the follower
 *   refuses changes with LEADER_UNAVAILABLE; once it leads it takes them itself.
 * No sleep decides an outcome: the nodes' roles are read from /api/health, the lock's holder from PostgreSQL.
 */

import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { orderIdOf } from "../src/domain/ids.ts";
import type { Command } from "../src/engine/commands.ts";
import { Exchange } from "../src/gateway/exchange.ts";
import { FORWARDED_HEADER, ForwardingSeal } from "../src/gateway/forwarding.ts";
import { LIGHT_SCRYPT } from "../src/gateway/passwords.ts";
import { sign } from "../src/gateway/signing.ts";
import { Users } from "../src/gateway/users.ts";
import { loadKeys } from "../src/journal/keys.ts";
import { LOCK_CLASS } from "../src/journal/leadership.ts";
import { PostgresStore } from "../src/journal/postgres-store.ts";
import { dropSchema, postgresForSuite, TEST_DATABASE_URL, testSchema } from "./support/postgres.ts";
import { twoPartyMarket } from "./support/two-party-market.ts";

const NODE = resolve(import.meta.dirname, "support/ha-node.ts");
const INSTRUMENT = "PB-KAZGPZ-FWD";
const PRICE = 13_300_000;
const PASSWORD = "correct horse battery staple";

interface NodeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly ready: Promise<string>;
  readonly exited: Promise<number | null>;
}

function startNode(name: string, schema: string, base: string): NodeProcess {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ["--import", "tsx", NODE, TEST_DATABASE_URL, schema, join(base, name), join(base, "keys")],
    { stdio: "pipe" },
  );
  const lines: string[] = [];
  child.stderr.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  const ready = new Promise<string>((resolveReady, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      const match = /sauda exchange on (http:\/\/\S+)/.exec(line);
      if (match) resolveReady(match[1]!);
    });
    void exited.then((code) => reject(new Error(`${name} exited with ${code}: ${lines.join("\n")}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited };
}

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: read field by field by the assertions.
  readonly body: any;
}

async function replyOf(response: Response): Promise<Reply> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? null : JSON.parse(text) };
}

let lastTimestampMs = 0;
const OPERATOR_KEY = { id: "k-O", secret: "secret-O" };
function signedHeaders(key: { id: string; secret: string }, method: string, path: string, text = "") {
  const timestampMs = Math.max(Date.now(), lastTimestampMs + 1);
  lastTimestampMs = timestampMs;
  return {
    "x-sauda-key": key.id,
    "x-sauda-timestamp": String(timestampMs),
    "x-sauda-signature": sign(key.secret, timestampMs, method, path, text),
  };
}
/** A request signed with an API key (as programs send them). */
async function signed(
  url: string,
  key: { id: string; secret: string },
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const text = body === undefined ? "" : JSON.stringify(body);
  const timestampMs = Math.max(Date.now(), lastTimestampMs + 1);
  lastTimestampMs = timestampMs;
  return replyOf(
    await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        "x-sauda-key": key.id,
        "x-sauda-timestamp": String(timestampMs),
        "x-sauda-signature": sign(key.secret, timestampMs, method, path, text),
        ...headers,
      },
      ...(body === undefined ? {} : { body: text }),
    }),
  );
}

async function health(url: string): Promise<{ role: string; seq: number }> {
  return (await (await fetch(`${url}/api/health`)).json()) as { role: string; seq: number };
}

function order(clientOrderId: string, member: "P" | "B", price = PRICE, quantity = 1000) {
  return {
    instrument: INSTRUMENT,
    account: `${member}1`,
    clientOrderId,
    side: member === "P" ? "sell" : "buy",
    type: "limit",
    price,
    quantity,
  };
}

const run = await postgresForSuite("write forwarding between nodes");
const schema = testSchema("forward");
const base = mkdtempSync(join(tmpdir(), "sauda-forward-"));
const keys = new Map<"P" | "B", { id: string; secret: string }>();
let leader: NodeProcess;
let follower: NodeProcess;
let leaderUrl = "";
let followerUrl = "";

/** The journal records' meta (who, from where) by seq. */
async function metaAt(seq: number): Promise<{ actor?: string; source?: string }> {
  const store = await PostgresStore.open(TEST_DATABASE_URL, schema);
  try {
    const [record] = await store.read(seq, 1);
    expect(record?.seq).toBe(seq);
    return JSON.parse(record!.meta) as { actor?: string; source?: string };
  } finally {
    await store.close();
  }
}

describe.runIf(run)("write forwarding between nodes", () => {
  beforeAll(async () => {
    const setup = await Exchange.open({ database: TEST_DATABASE_URL, schema, keysDir: join(base, "keys") });
    const market: Command[] = twoPartyMarket(INSTRUMENT);
    for (const command of market) await setup.submit(command);
    const users = new Users(setup, { scrypt: LIGHT_SCRYPT });
    for (const member of ["P", "B"] as const) {
      const user = `trader-${member.toLowerCase()}`;
      await users.create(
        { id: user, name: user, role: "trader", member, password: PASSWORD, reason: "test" },
        { actor: "test setup" },
      );
      const key = { id: `k-${member}`, secret: `secret-${member}` };
      await users.createKey(user, ["read", "trade"], { actor: "test setup" }, key);
      keys.set(member, key);
    }
    await users.create(
      { id: "ops", name: "ops", role: "operator", member: null, password: PASSWORD, reason: "test" },
      { actor: "test setup" },
    );
    await users.createKey("ops", ["read"], { actor: "test setup" }, OPERATOR_KEY);
    await setup.close();
    leader = startNode("a", schema, base);
    leaderUrl = await leader.ready;
    follower = startNode("b", schema, base);
    followerUrl = await follower.ready;
    expect((await health(leaderUrl)).role).toBe("leader");
    expect((await health(followerUrl)).role).toBe("follower");
  }, 120_000);

  afterAll(async () => {
    if (run) {
      for (const node of [leader, follower]) node?.child.kill("SIGKILL");
      await Promise.all([leader?.exited, follower?.exited]);
      await dropSchema(schema);
    }
  });

  it("an order posted to the follower is acknowledged by the leader, is in its views, and is audited as forwarded", async () => {
    const placed = await signed(followerUrl, keys.get("P")!, "POST", "/api/orders", order("fwd-1", "P", PRICE + 500));
    expect(placed.status).toBe(201);
    expect(placed.body.order.orderId).toBe(orderIdOf("P1", "fwd-1"));
    expect(placed.body.order.status).toBe("resting");
    const onLeader = await signed(leaderUrl, keys.get("P")!, "GET", "/api/accounts/P1/orders/fwd-1");
    expect(onLeader.status).toBe(200);
    expect(onLeader.body.order).toMatchObject({ status: "resting", openKg: 1000, priceTiynPerTonne: PRICE + 500 });
    expect(await metaAt(placed.body.seq)).toMatchObject({
      actor: "trader-p (key k-P)",
      source: `127.0.0.1 via ${followerUrl}`,
    });
    // The same order sent again through the follower is the leader's idempotent retry.
    const again = await signed(followerUrl, keys.get("P")!, "POST", "/api/orders", order("fwd-1", "P", PRICE + 500));
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    // An amendment and a cancel (no body) go the same way.
    const amended = await signed(followerUrl, keys.get("P")!, "PATCH", "/api/accounts/P1/orders/fwd-1", {
      quantity: 2000,
    });
    expect(amended.status, JSON.stringify(amended.body)).toBe(200);
    expect(amended.body.order.openKg).toBe(2000);
    const cancelled = await signed(followerUrl, keys.get("P")!, "DELETE", "/api/accounts/P1/orders/fwd-1");
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.order.status).toBe("cancelled");
    const after = await signed(leaderUrl, keys.get("P")!, "GET", "/api/accounts/P1/orders/fwd-1");
    expect(after.body.order.status).toBe("cancelled");
  }, 60_000);

  it("a person signed in on the follower trades through it (the follower vouches for the session)", async () => {
    const signIn = await fetch(`${followerUrl}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "trader-b", password: PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const post = async (url: string, body: unknown, csrf?: string) =>
      replyOf(
        await fetch(`${url}/api/orders`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            cookie,
            "accept-language": "kk",
            ...(csrf === undefined ? {} : { "x-csrf-token": csrf }),
          },
          body: JSON.stringify(body),
        }),
      );
    const placed = await post(followerUrl, order("fwd-s1", "B", PRICE - 500), csrfToken);
    expect(placed.status).toBe(201);
    expect(await metaAt(placed.body.seq)).toMatchObject({ actor: "trader-b", source: `127.0.0.1 via ${followerUrl}` });
    // Without the CSRF token the leader refuses, as it would refuse it on its own sessions.
    const noCsrf = await post(followerUrl, order("fwd-s2", "B", PRICE - 500));
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe("AUTH_CSRF");
    expect(noCsrf.headers.get("content-language")).toBe("kk");
    // The session is the follower's: the leader does not know the cookie.
    const onLeader = await post(leaderUrl, order("fwd-s3", "B", PRICE - 500), csrfToken);
    expect(onLeader.status).toBe(401);
    expect(onLeader.body.error.code).toBe("AUTH_REQUIRED");
  }, 60_000);

  it("a refused order gets the same status and body through the follower as from the leader", async () => {
    const cases: [string, unknown][] = [
      ["bad shape", { ...order("fwd-bad", "P"), quantity: 0 }],
      ["unknown field", { ...order("fwd-bad", "P"), colour: "red" }],
      ["off the tick", order("fwd-tick", "P", PRICE + 1)],
      ["not its account", { ...order("fwd-acct", "P"), account: "B1" }],
    ];
    for (const [what, body] of cases) {
      for (const language of ["ru", "en"]) {
        const headers = { "accept-language": language };
        const fromLeader = await signed(leaderUrl, keys.get("P")!, "POST", "/api/orders", body, headers);
        const viaFollower = await signed(followerUrl, keys.get("P")!, "POST", "/api/orders", body, headers);
        expect(fromLeader.status, what).toBeGreaterThanOrEqual(400);
        expect(viaFollower.status, what).toBe(fromLeader.status);
        const { seq: _a, ...leaderBody } = fromLeader.body;
        const { seq: _b, ...followerBody } = viaFollower.body;
        expect(followerBody, what).toEqual(leaderBody);
        expect(viaFollower.headers.get("content-language"), what).toBe(language);
      }
    }
    // A signature that does not match is the leader's refusal too (the follower checks nothing itself).
    const text = JSON.stringify(order("fwd-sig", "P"));
    const forged = await replyOf(
      await fetch(`${followerUrl}/api/orders`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-sauda-key": "k-P",
          "x-sauda-timestamp": String(Date.now()),
          "x-sauda-signature": "0".repeat(64),
        },
        body: text,
      }),
    );
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatchObject({
      code: "AUTH_SIGNATURE_INVALID",
      details: { reason: "the signature does not match the request" },
    });
  }, 60_000);

  it("a forwarding mark a client makes up is refused and changes nothing; a real one works once, never twice, and never at a follower", async () => {
    const body = order("fwd-spoof", "P", PRICE + 700);
    const text = JSON.stringify(body);
    const post = (url: string, mark: string) =>
      fetch(`${url}/api/orders`, {
        method: "POST",
        headers: { "content-type": "application/json", [FORWARDED_HEADER]: mark },
        body: text,
      }).then(replyOf);
    const claim = { node: followerUrl, client: "10.9.9.9", session: { user: "trader-p", csrf: "x" } };
    const madeUp = new ForwardingSeal([randomBytes(32)], Date.now).mark(
      claim,
      "POST",
      "/api/orders",
      Buffer.from(text),
    );
    const headBefore = (await health(leaderUrl)).seq;
    for (const url of [leaderUrl, followerUrl]) {
      for (const mark of [madeUp, "x", `${madeUp.split(".")[0]}.${"0".repeat(64)}`]) {
        const refused = await post(url, mark);
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe("FORWARDING_INVALID");
        expect(refused.body.error.details.reason).toBe("it is not a mark this exchange's nodes make");
      }
    }
    expect((await health(leaderUrl)).seq).toBe(headBefore);
    const lookup = await signed(leaderUrl, keys.get("P")!, "GET", "/api/accounts/P1/orders/fwd-spoof");
    expect(lookup.body.error.code).toBe("ORDER_NOT_FOUND");

    // A mark made with the exchange's key (as a node makes it) acts for the person it names, once.
    const seal = new ForwardingSeal(loadKeys(join(base, "keys")).macKeys, Date.now);
    const real = seal.mark(
      { ...claim, session: { user: "trader-p", csrf: "c" } },
      "POST",
      "/api/orders",
      Buffer.from(text),
    );
    const withCsrf = (url: string, mark: string) =>
      fetch(`${url}/api/orders`, {
        method: "POST",
        headers: { "content-type": "application/json", [FORWARDED_HEADER]: mark, "x-csrf-token": "c" },
        body: text,
      }).then(replyOf);
    // At a follower it is refused, not forwarded again (the follower's check takes it as received).
    const atFollower = await withCsrf(followerUrl, real);
    expect(atFollower.status).toBe(503);
    expect(atFollower.body.error.code).toBe("NOT_LEADER");
    expect(atFollower.headers.get("x-sauda-leader")).toBe(leaderUrl);
    const accepted = await withCsrf(leaderUrl, real);
    expect(accepted.status).toBe(201);
    expect(await metaAt(accepted.body.seq)).toMatchObject({ actor: "trader-p", source: `10.9.9.9 via ${followerUrl}` });
    const replayed = await withCsrf(leaderUrl, real);
    expect(replayed.status).toBe(403);
    expect(replayed.body.error.details.reason).toBe("it was already received");
  }, 60_000);

  it("WebSocket order entry on the follower answers NOT_LEADER naming the leader", async () => {
    const socket = new WebSocket(`${followerUrl.replace("http", "ws")}/api/stream`, {
      headers: (() => {
        const timestampMs = Math.max(Date.now(), lastTimestampMs + 1);
        lastTimestampMs = timestampMs;
        return {
          "x-sauda-key": "k-P",
          "x-sauda-timestamp": String(timestampMs),
          "x-sauda-signature": sign("secret-P", timestampMs, "GET", "/api/stream", ""),
        };
      })(),
    });
    const messages: Record<string, unknown>[] = [];
    socket.on("message", (data) => messages.push(JSON.parse(String(data))));
    await new Promise<void>((resolveOpen, reject) => {
      socket.once("open", () => resolveOpen());
      socket.once("error", reject);
    });
    socket.send(JSON.stringify({ op: "order.new", id: 1, ...order("fwd-ws", "P") }));
    await expect.poll(() => messages.find((m) => m.id === 1), { timeout: 10_000 }).toBeDefined();
    expect(messages.find((m) => m.id === 1)).toMatchObject({
      type: "error",
      op: "order.new",
      error: { code: "NOT_LEADER", details: { leader: leaderUrl } },
    });
    socket.close();
  }, 60_000);

  it("with the leader killed the follower refuses changes with LEADER_UNAVAILABLE until it leads, then takes them", async () => {
    // The test waits for the leadership lock in the killed leader's place: PostgreSQL hands it to the waiter when
    // the leader's session ends, so no node leads until the test lets go.
    const holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await holder.connect();
    try {
      const pid = ((await holder.query("SELECT pg_backend_pid() AS pid")).rows[0] as { pid: number }).pid;
      const taken = holder.query("SELECT pg_advisory_lock($1, hashtext($2))", [LOCK_CLASS, schema]);
      const watcher = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await watcher.connect();
      const waiting = async () =>
        (await watcher.query("SELECT count(*)::int AS n FROM pg_locks WHERE pid = $1 AND NOT granted", [pid])).rows[0]
          .n as number;
      await expect.poll(waiting, { timeout: 10_000 }).toBe(1);
      await watcher.end();
      leader.child.kill("SIGKILL");
      await leader.exited;
      await taken;

      const refused = await signed(followerUrl, keys.get("P")!, "POST", "/api/orders", order("fwd-down", "P"), {
        "accept-language": "ru",
      });
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe("LEADER_UNAVAILABLE");
      expect(refused.body.error.details.leader).toBe(leaderUrl);
      expect([
        "the leader could not be reached, nothing was changed",
        "the leader's answer was lost, the change may have been made",
      ]).toContain(refused.body.error.details.reason);
      expect(refused.body.error.message).toMatch(/ведущему узлу/);
      expect(refused.headers.get("retry-after")).toBe("1");
      expect((await health(followerUrl)).role).toBe("follower");
      // The operator sees the forwarding in the follower's metrics.
      const metrics = await fetch(`${followerUrl}/metrics`, {
        headers: signedHeaders(OPERATOR_KEY, "GET", "/metrics"),
      });
      const text = await metrics.text();
      expect(text).toMatch(/sauda_forwarded_changes_total\{outcome="LEADER_UNAVAILABLE"\} 1\n/);
      expect(Number(/sauda_forwarded_changes_total\{outcome="answered"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(10);

      await holder.query("SELECT pg_advisory_unlock($1, hashtext($2))", [LOCK_CLASS, schema]);
      await expect.poll(async () => (await health(followerUrl)).role, { timeout: 10_000, interval: 50 }).toBe("leader");
      const accepted = await signed(followerUrl, keys.get("P")!, "POST", "/api/orders", order("fwd-down", "P"));
      expect(accepted.status).toBe(201);
      expect(await metaAt(accepted.body.seq)).toMatchObject({ actor: "trader-p (key k-P)", source: "127.0.0.1" });
    } finally {
      await holder.end();
    }
  }, 120_000);
});
