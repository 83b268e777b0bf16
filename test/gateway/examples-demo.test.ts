/**
 * The examples of /docs against the demo `npm start` builds: "Try it out" on /docs sends an example as it stands, so
 * every member, account, instrument and user an example names must be one the demo has (and a new one an example
 * creates must be one it does not have yet, or the demo refuses it as existing). The demo is built here in-process as
 * `sauda serve` builds it: its users in the user store (src/demo/users.ts) and its set-up requests
 * (src/demo/market.ts) sent through the API with the operator's and the regulator's keys; what it has is read back
 * through the API. The clock is fixed in January 2027, a month after the delivery month the examples' instruments
 * name: the demo lists one delivery month (DEMO_DELIVERY_PERIOD) whatever month it is first started in, and this
 * checks that a demo started after that month still has what /docs names.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupRequests } from "../../src/demo/market.ts";
import { demoUsers } from "../../src/demo/users.ts";
import { TestServer } from "../support/server.ts";

/** 11:00 in Almaty, Friday 15 January 2027: not the examples' delivery month. */
const NOW_MS = Date.UTC(2027, 0, 15, 6, 0, 0);

/** The fields of a request body that name something of the market, and which list holds it. */
const REFERENCES = {
  account: "accounts",
  buyer: "accounts",
  seller: "accounts",
  member: "members",
  instrument: "instruments",
  user: "users",
} as const;
type Kind = (typeof REFERENCES)[keyof typeof REFERENCES];

/** The operations whose example creates the thing a field names: there it must not exist yet. */
const CREATES: Readonly<Record<string, Readonly<Record<string, Kind>>>> = {
  addMember: { member: "members" },
  openAccount: { account: "accounts" },
  approveApplication: { member: "members", account: "accounts" },
  listNewInstrument: { instrument: "instruments" },
  createUser: { id: "users" },
  createMemberUser: { id: "users" },
};

let server: TestServer;
let document: Record<string, unknown>;
const demo: Record<Kind, Set<string>> = {
  accounts: new Set(),
  members: new Set(),
  instruments: new Set(),
  users: new Set(),
};

beforeAll(async () => {
  server = await TestServer.start({ setup: false });
  server.nowMs = NOW_MS;
  // The operator and the regulator first; the members' people once the set-up has accredited their members.
  const people = demoUsers();
  for (const user of people.filter((u) => u.member === null)) await server.addUser(user.id, user.role, user.member);
  const operator = await server.apiKey("operator");
  const regulator = await server.apiKey("regulator");
  for (const request of setupRequests(NOW_MS)) {
    const { status, body } = await (request.by === "operator" ? operator : regulator)(
      request.method,
      request.path,
      request.body,
    );
    expect(status, `${request.method} ${request.path}: ${JSON.stringify(body)}`).toBeLessThan(300);
  }
  for (const user of people.filter((u) => u.member !== null)) await server.addUser(user.id, user.role, user.member);
  const read = async (path: string) => (await operator("GET", path)).body as Record<string, { [k: string]: string }[]>;
  for (const m of (await read("/api/admin/members")).members!) demo.members.add(m.member!);
  for (const a of (await read("/api/admin/accounts")).accounts!) demo.accounts.add(a.account!);
  for (const i of (await read("/api/instruments")).instruments!) demo.instruments.add(i.instrument ?? i.id!);
  for (const u of (await read("/api/admin/users")).users!) demo.users.add(u.id!);
  document = (await server.call(null, "GET", "/docs/json")).body as Record<string, unknown>;
}, 120_000);
afterAll(async () => {
  await server.close();
});

type Body = { example?: unknown; examples?: Record<string, { value?: unknown }> };
type Operation = { operationId?: string; requestBody?: { content?: Record<string, Body> } };

/** Every request-body example of every operation, with the operation's id. */
function examples(): [string, Record<string, unknown>][] {
  const found: [string, Record<string, unknown>][] = [];
  for (const methods of Object.values(document.paths as Record<string, Record<string, Operation>>)) {
    for (const operation of Object.values(methods)) {
      const body = operation.requestBody?.content?.["application/json"];
      const values = [body?.example, ...Object.values(body?.examples ?? {}).map((e) => e.value)];
      for (const value of values) {
        if (value !== null && typeof value === "object") {
          found.push([operation.operationId ?? "?", value as Record<string, unknown>]);
        }
      }
    }
  }
  return found;
}

describe("the /docs examples and the demo market", () => {
  it("built the demo (its buyer's account, its instruments of December 2026 and its trader)", () => {
    expect(demo.accounts).toContain("AKTAU-STATIONS-1");
    expect(demo.instruments).toContain("PB-KAZGPZ-MANGYSTAU-2026-12");
    expect(demo.users).toContain("aktau-stations-trader");
  });

  it("name only members, accounts, instruments and users the demo has, and create only ones it does not", () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const [operationId, example] of examples()) {
      const creates = CREATES[operationId] ?? {};
      for (const [field, kind] of Object.entries(creates)) {
        const value = example[field];
        if (typeof value !== "string") continue;
        checked++;
        if (demo[kind].has(value)) wrong.push(`${operationId}.${field}: ${value} already exists in the demo`);
      }
      for (const [field, kind] of Object.entries(REFERENCES)) {
        const value = example[field];
        if (typeof value !== "string" || field in creates) continue;
        checked++;
        if (!demo[kind].has(value)) wrong.push(`${operationId}.${field}: the demo has no ${kind} ${value}`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
  });
});
