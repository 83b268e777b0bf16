/**
 * A real exchange server for integration tests: SQLite journal in a temporary directory, a controllable clock, users
 * of every role (light scrypt parameters so sign-in is fast), a cleared LPG instrument with a producer, two buyers and
 * a broker, money and gas in place, listening on a loopback port. Requests go over real HTTP (fetch) and WebSockets.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "../../src/engine/commands.ts";
import { Exchange, type ExchangeOptions } from "../../src/gateway/exchange.ts";
import { LIGHT_SCRYPT } from "../../src/gateway/passwords.ts";
import { SecondFactors } from "../../src/gateway/second-factor.ts";
import { buildServer, type Server, type ServerOptions } from "../../src/gateway/server.ts";
import { sign } from "../../src/gateway/signing.ts";
import { type Role, type Scope, Users } from "../../src/gateway/users.ts";

export const T0 = Date.UTC(2026, 0, 5, 6, 0, 0); // 11:00 Almaty, Monday 5 January 2026
export const INSTRUMENT = "PB-KAZGPZ-MNG-2026-01";
export const PASSWORD = "correct horse battery staple";

export const TERMS = {
  basis: "KAZGPZ",
  collateralBps: 500,
  feeBps: 5,
  paymentWindowMs: 86_400_000,
  deliveryWindowMs: 432_000_000,
  buyerDefaultCollateralTo: "seller" as const,
  sellerPenaltyBps: 1000,
};

/** Members and accounts of the test exchange. */
export const SETUP: Command[] = [
  {
    type: "instrument.list",
    instrument: INSTRUMENT,
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    referencePrice: 13_300_000,
    clearing: TERMS,
    description: { product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
  },
  { type: "phase.set", instrument: INSTRUMENT, phase: "continuous" },
  { type: "member.add", member: "KAZGPZ", name: "Zhanaozen gas processing plant", roles: ["producer"] },
  {
    type: "member.add",
    member: "AKTAU",
    name: "Aktau filling stations",
    roles: ["buyer"],
    buyerCategory: "filling-station-network",
  },
  {
    type: "member.add",
    member: "ATYRAU",
    name: "Atyrau gas distribution",
    roles: ["buyer"],
    buyerCategory: "gas-distribution",
  },
  { type: "member.add", member: "BROKER", name: "Caspian brokerage", roles: ["broker"] },
  { type: "account.open", account: "KAZGPZ-1", member: "KAZGPZ" },
  { type: "account.open", account: "AKTAU-1", member: "AKTAU" },
  { type: "account.open", account: "ATYRAU-1", member: "ATYRAU" },
  {
    type: "account.open",
    account: "BROKER-C1",
    member: "BROKER",
    client: "Mangystau autogas",
    canBuy: true,
    canSell: false,
    buyerCategory: "filling-station-network",
  },
  { type: "gas.declare", account: "KAZGPZ-1", basis: "KAZGPZ", quantity: 5_000_000 },
  { type: "money.deposit", account: "AKTAU-1", amount: 50_000_000_000, reference: "SETUP-AKTAU" },
  { type: "money.deposit", account: "ATYRAU-1", amount: 50_000_000_000, reference: "SETUP-ATYRAU" },
  { type: "money.deposit", account: "BROKER-C1", amount: 50_000_000_000, reference: "SETUP-BROKER" },
];

export interface TestUser {
  readonly id: string;
  readonly role: Role;
  readonly member: string | null;
}

export const USERS: readonly TestUser[] = [
  { id: "operator", role: "operator", member: null },
  { id: "regulator", role: "regulator", member: null },
  { id: "kazgpz-trader", role: "trader", member: "KAZGPZ" },
  { id: "aktau-trader", role: "trader", member: "AKTAU" },
  { id: "aktau-viewer", role: "viewer", member: "AKTAU" },
  { id: "atyrau-trader", role: "trader", member: "ATYRAU" },
  { id: "broker-trader", role: "trader", member: "BROKER" },
];

/**
 * A parsed JSON response body. Tests read fields they know are there and assert on them, so the body is loosely typed
 * on purpose: a wrong guess fails the assertion, not the build.
 */
// biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field with expect().
export type Json = any;

export interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

/** How long `TestServer.close` waits for clients' connections to end before cutting them. */
const CLOSE_GRACE_MS = 10_000;

export class TestServer {
  nowMs = T0;
  readonly dir: string;
  exchange!: Exchange;
  users!: Users;
  secondFactors!: SecondFactors;
  app!: Server;
  url = "";
  private keyCount = 0;
  logStream: NodeJS.WritableStream | undefined;
  /** Options the exchange is (re-)opened with besides the directory and the clock. */
  exchangeOptions: Partial<ExchangeOptions> = {};

  constructor(dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), "sauda-server-"));
  }

  static async start(
    options: {
      setup?: boolean;
      ratePerMinute?: number;
      ratePerMinutePerMember?: number;
      server?: Partial<ServerOptions>;
      /** The server's log lines go here (JSON lines); without it the server does not log. */
      logStream?: NodeJS.WritableStream;
    } = {},
  ): Promise<TestServer> {
    const server = new TestServer();
    server.logStream = options.logStream;
    await server.open(options.ratePerMinute, options.ratePerMinutePerMember, options.server);
    if (options.setup !== false) {
      for (const command of SETUP) await server.exchange.submit(command);
      // Users through the journal, as the operator would create them (the traders' members exist by now).
      for (const user of USERS) await server.addUser(user.id, user.role, user.member);
    }
    return server;
  }

  /** Opens (or re-opens, after `close`) the exchange in this server's directory. */
  async open(
    ratePerMinute?: number,
    ratePerMinutePerMember?: number,
    extra: Partial<ServerOptions> = {},
  ): Promise<void> {
    this.exchange = await Exchange.open({ ...this.exchangeOptions, data: this.dir, clock: () => this.nowMs });
    this.users = new Users(this.exchange, { scrypt: LIGHT_SCRYPT });
    this.secondFactors = new SecondFactors(() => this.nowMs);
    this.app = await buildServer({
      exchange: this.exchange,
      users: this.users,
      secondFactors: this.secondFactors,
      ...(this.logStream === undefined ? { logger: false } : { logStream: this.logStream }),
      validateResponses: true,
      ...(ratePerMinute === undefined ? {} : { ratePerMinute, ratePerMinutePublic: ratePerMinute }),
      ...(ratePerMinutePerMember === undefined ? {} : { ratePerMinutePerMember }),
      ...extra,
    });
    await this.app.listen({ host: "127.0.0.1", port: 0 });
    const address = this.app.server.address();
    const scheme = extra.tls ? "https" : "http";
    this.url = typeof address === "object" && address ? `${scheme}://127.0.0.1:${address.port}` : "";
  }

  async close(): Promise<void> {
    const violations = [...this.app.contractViolations];
    // Connections a client left open (a browser that was killed, a stream nobody closed) do not hold the close up for
    // long: after CLOSE_GRACE_MS every remaining connection is cut.
    const cut = setTimeout(() => this.app.server.closeAllConnections(), CLOSE_GRACE_MS);
    cut.unref();
    await this.app.close().finally(() => clearTimeout(cut));
    await this.exchange.close();
    // A message that broke the published contract fails the suite that made the server send it.
    if (violations.length > 0) throw new Error(`the server broke its API contract:\n${violations.join("\n")}`);
  }

  /** Creates a user through the journal (password `PASSWORD` unless given). */
  async addUser(id: string, role: Role, member: string | null, password = PASSWORD): Promise<void> {
    await this.users.create({ id, name: id, role, member, password, reason: "test user" }, { actor: "test setup" });
  }

  /** Creates an API key with a known secret through the journal. */
  async putApiKey(key: { id: string; user: string; secret: string; scopes: readonly Scope[] }): Promise<void> {
    await this.users.createKey(key.user, key.scopes, { actor: "test setup" }, { id: key.id, secret: key.secret });
  }

  async login(user: string, password = PASSWORD): Promise<Session> {
    const response = await fetch(`${this.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user, password }),
    });
    if (response.status !== 200) throw new Error(`login ${user}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { csrfToken: string };
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0]!;
    return { cookie, csrf: body.csrfToken };
  }

  /** A request as a signed-in browser would send it (cookie and CSRF token). */
  async call(
    session: Session | null,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (session) {
      headers.cookie = session.cookie;
      headers["x-csrf-token"] = session.csrf;
    }
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // CSV, HTML and metrics stay text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** Creates an API key for a user and returns a function that sends signed requests with it. */
  async apiKey(user: string, scopes: readonly Scope[] = ["read", "trade"]) {
    const id = `key-${user}-${scopes.join("-")}-${++this.keyCount}`;
    const secret = `secret-${user}-${this.keyCount}`;
    await this.putApiKey({ id, user, secret, scopes });
    return async (method: string, path: string, body?: unknown, timestampMs = this.nowMs) => {
      const text = body === undefined ? "" : JSON.stringify(body);
      const headers: Record<string, string> = {
        "x-sauda-key": id,
        "x-sauda-timestamp": String(timestampMs),
        "x-sauda-signature": sign(secret, timestampMs, method, path, text),
      };
      if (body !== undefined) headers["content-type"] = "application/json";
      const response = await fetch(`${this.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: text }),
      });
      const raw = await response.text();
      let parsed: unknown = raw;
      try {
        parsed = JSON.parse(raw);
      } catch {
        // text
      }
      return { status: response.status, body: parsed as Json, headers: response.headers };
    };
  }
}
