/**
 * Input that once got through, fuzzed (fast-check, fixed seed): numbers JSON cannot hold (1e999 parses as Infinity),
 * bytes that are not UTF-8, dates that do not exist, months and times out of range, references to things that do not
 * exist. Each generated request must be refused with its code and must change nothing (the engine's state hash; for
 * refusals before the engine, the journal too).
 */

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { INSTRUMENT, type Session, TestServer } from "../support/server.ts";

const SEED = 20_260_213;
const RUNS = 25;

let server: TestServer;
let operator: Session;
let regulator: Session;
let trader: Session;

beforeAll(async () => {
  server = await TestServer.start({ ratePerMinute: 10_000_000 });
  operator = await server.login("operator");
  regulator = await server.login("regulator");
  trader = await server.login("aktau-trader");
});
afterAll(async () => {
  await server.close();
});

interface Snapshot {
  readonly seq: number;
  readonly hash: string;
}
const state = (): Snapshot => ({
  seq: server.exchange.projections.lastSeq,
  hash: server.exchange.engine.stateHash(),
});

async function raw(session: Session, method: string, path: string, body: string | Uint8Array) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { "content-type": "application/json", cookie: session.cookie, "x-csrf-token": session.csrf },
    body,
  });
  return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
}

/** Days in a month of the proleptic Gregorian calendar. */
function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** A YYYY-MM-DD text that is not a date in 1900–2199: a month 00 or 13–99, a day past the month's end, or a year out. */
const impossibleDate = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 1900, max: 2199 }),
      fc.constantFrom(0, 13, 14, 20, 45, 99),
      fc.integer({ min: 1, max: 28 }),
    )
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
  fc
    .tuple(fc.integer({ min: 1900, max: 2199 }), fc.integer({ min: 1, max: 12 }))
    .chain(([y, m]) =>
      fc.integer({ min: daysIn(y, m) + 1, max: 99 }).map((d) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
    ),
  fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 1899 }), fc.integer({ min: 2200, max: 9999 })),
      fc.integer({ min: 1, max: 12 }),
    )
    .map(([y, m]) => `${pad(y, 4)}-${pad(m, 2)}-01`),
);

describe("numbers JSON cannot hold", () => {
  it("an exponent past 1e308 anywhere in a body is refused, never stored as null", async () => {
    const before = state();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("expireAt", "price", "quantity"),
        fc.integer({ min: 309, max: 100_000 }),
        fc.boolean(),
        async (field, exponent, negative) => {
          const order: Record<string, unknown> = {
            instrument: INSTRUMENT,
            account: "AKTAU-1",
            clientOrderId: `inf-${exponent}`,
            side: "buy",
            price: 13_000_000,
            quantity: 1000,
            timeInForce: "GTD",
            expireAt: server.nowMs + 3_600_000,
          };
          const text = JSON.stringify({ ...order, [field]: 0 }).replace(
            `"${field}":0`,
            `"${field}":${negative ? "-" : ""}1e${exponent}`,
          );
          const reply = await raw(trader, "POST", "/api/orders", text);
          expect([reply.status, reply.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
          expect(reply.body.error.message).toBe(
            `The request is not valid: body.${field} is a number too large to hold (not finite).`,
          );
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(state()).toEqual(before);
  });

  it("the same over the WebSocket: an order message with expireAt 1e999 is refused", async () => {
    const before = state();
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/api/stream`, {
      headers: { cookie: trader.cookie },
    });
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    const reply = new Promise<{ type: string; error?: { code: string; message: string } }>((resolve) =>
      socket.once("message", (data) => resolve(JSON.parse(String(data)))),
    );
    socket.send(
      `{"op":"order.new","id":1,"instrument":"${INSTRUMENT}","account":"AKTAU-1","clientOrderId":"ws-inf","side":"buy","price":13000000,"quantity":1000,"timeInForce":"GTD","expireAt":1e999}`,
    );
    const message = await reply;
    socket.close();
    expect(message.error?.code).toBe("REQUEST_INVALID");
    expect(message.error?.message).toContain("message.expireAt is a number too large to hold (not finite)");
    expect(state()).toEqual(before);
  });

  it("a time far beyond any exchange event is refused in a query (candles?from=1e20)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 14, max: 400 }), async (exponent) => {
        const response = await fetch(`${server.url}/api/instruments/${INSTRUMENT}/candles?from=1e${exponent}`);
        expect(response.status).toBe(400);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe("bytes that are not UTF-8", () => {
  it("a member name with an invalid byte sequence is refused, not stored with replacement characters", async () => {
    const before = state();
    const invalid = fc.oneof(
      fc.constantFrom(
        [0xff],
        [0xfe],
        [0xc0, 0xaf],
        [0xe0, 0x80, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xf8, 0x88, 0x80, 0x80, 0x80],
      ),
      fc.integer({ min: 0x80, max: 0xbf }).map((b) => [b]),
      fc.integer({ min: 0xc2, max: 0xf4 }).map((b) => [b]), // a lead byte with nothing after it
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 20 }), invalid, async (prefix, bad) => {
        const head = Buffer.from(`{"member":"UTF-BAD","name":"${JSON.stringify(prefix).slice(1, -1)}`, "utf8");
        const tail = Buffer.from('","roles":["buyer"]}', "utf8");
        const reply = await raw(operator, "POST", "/api/admin/members", Buffer.concat([head, Buffer.from(bad), tail]));
        expect([reply.status, reply.body.error.message]).toEqual([
          400,
          "The request is not valid: the body is not valid UTF-8.",
        ]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(state()).toEqual(before);
    expect(server.exchange.projections.controls.member("UTF-BAD")).toBeNull();
  });

  it("a URL with a percent-encoded byte that is not UTF-8 is refused", async () => {
    for (const bad of ["%FF", "%C0%AF", "%E0%80", "%80"]) {
      const response = await fetch(`${server.url}/api/regulator/audit?actor=a${bad}`, {
        headers: { cookie: regulator.cookie },
      });
      expect(response.status, bad).toBe(400);
    }
  });
});

describe("dates and months that do not exist", () => {
  it("a holiday or extra session on an impossible date is refused; the calendar stays as it was", async () => {
    const before = state();
    await fc.assert(
      fc.asyncProperty(impossibleDate, fc.boolean(), async (date, extra) => {
        const calendar = {
          sessions: [{ open: "11:00", close: "13:00" }],
          preOpenMinutes: 10,
          weekends: false,
          holidays: extra ? [] : [date],
          extraSessions: extra ? [{ date, open: "11:00", close: "12:00" }] : [],
        };
        const reply = await raw(
          operator,
          "PUT",
          `/api/admin/instruments/${INSTRUMENT}/calendar`,
          JSON.stringify({ calendar, reason: "fuzz" }),
        );
        expect([reply.status, reply.body.error.code], date).toEqual([400, "REQUEST_INVALID"]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(state()).toEqual(before);
  });

  it("a price index day that does not exist is refused (indices?day=2026-13-45)", async () => {
    await fc.assert(
      fc.asyncProperty(impossibleDate, async (day) => {
        const response = await fetch(`${server.url}/api/indices?day=${day}`);
        expect(response.status, day).toBe(400);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect((await fetch(`${server.url}/api/indices?day=2025-02-28`)).status).toBe(200);
  });

  it("a supply plan for a month outside 1900–2199 or month 00/13+ is refused (0000-01)", async () => {
    const before = state();
    const month = fc.oneof(
      fc.integer({ min: 0, max: 1899 }).map((y) => `${pad(y, 4)}-01`),
      fc.integer({ min: 2200, max: 9999 }).map((y) => `${pad(y, 4)}-06`),
      fc.constantFrom(0, 13, 45, 99).map((m) => `2026-${pad(m, 2)}`),
    );
    await fc.assert(
      fc.asyncProperty(month, async (m) => {
        const reply = await raw(
          regulator,
          "PUT",
          `/api/regulator/supply/plans/${m}/KAZGPZ/KAZGPZ`,
          JSON.stringify({ plannedKg: 1_000_000, reason: "fuzz" }),
        );
        expect([reply.status, reply.body.error.code], m).toEqual([400, "REQUEST_INVALID"]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(state()).toEqual(before);
  });
});

describe("references that do not exist", () => {
  it("gas declared at a basis no instrument delivers at is refused by the engine (BASIS_UNKNOWN); nothing changes", async () => {
    // The refusal is journaled (seq and time move on); the balances do not.
    const balances = JSON.stringify(server.exchange.projections.accounts.balances("KAZGPZ-1"), (_k, v) =>
      typeof v === "bigint" ? String(v) : v,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Z][A-Z0-9-]{0,20}$/).filter((basis) => basis !== "KAZGPZ"),
        async (basis) => {
          const reply = await raw(
            operator,
            "POST",
            "/api/admin/accounts/KAZGPZ-1/gas/declarations",
            JSON.stringify({ basis, quantity: 1000 }),
          );
          expect([reply.status, reply.body.error.code], basis).toEqual([404, "BASIS_UNKNOWN"]);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(
      JSON.stringify(server.exchange.projections.accounts.balances("KAZGPZ-1"), (_k, v) =>
        typeof v === "bigint" ? String(v) : v,
      ),
    ).toBe(balances);
    const known = await raw(
      operator,
      "POST",
      "/api/admin/accounts/KAZGPZ-1/gas/declarations",
      JSON.stringify({ basis: "KAZGPZ", quantity: 1000 }),
    );
    expect(known.status).toBe(200);
  });

  it("a user of a member that does not exist, a key of a user that does not exist: refused", async () => {
    const hash = server.exchange.engine.stateHash();
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Z][A-Z0-9-]{2,20}$/), async (member) => {
        fc.pre(server.exchange.projections.controls.member(member) === null);
        const user = await raw(
          operator,
          "POST",
          "/api/admin/users",
          JSON.stringify({
            id: `u-${member}`.toLowerCase(),
            name: "Nobody",
            role: "trader",
            member,
            password: "a long enough password",
          }),
        );
        expect([user.status, user.body.error.code]).toEqual([404, "MEMBER_NOT_FOUND"]);
        const key = await raw(
          operator,
          "POST",
          `/api/admin/users/u-${member}/keys`,
          JSON.stringify({ scopes: ["read"] }),
        );
        expect([key.status, key.body.error.code]).toEqual([404, "USER_NOT_FOUND"]);
      }),
      { seed: SEED, numRuns: 10 },
    );
    expect(server.exchange.engine.stateHash()).toBe(hash);
  });
});
