/**
 * FIX and REST on the same book give the same events. A seeded fast-check stream of requests from a seller and a
 * buyer (limit orders of every time in force, some off tick or off lot, cancels, amends of price and quantity, some
 * of unknown or finished orders, mass cancels) is sent once through REST and once through FIX to two fresh exchanges
 * with the same fixed clock; the journals must hold the same commands with the same events, seq by seq.
 *
 * The FIX side states amends as FIX does (OrderQty = the new total, CumQty + the new open quantity REST asks for, the
 * CumQty read from the session's own ExecutionReports) and prices in tenge per tonne, quantities in tonnes.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Field, FixMessage } from "../../src/gateway/fix/codec.ts";
import { tengeText, tonnesText } from "../../src/gateway/fix/units.ts";
import { INSTRUMENT, TestServer } from "../support/server.ts";
import { FixTestClient, tag } from "./fix-client.ts";
import { FixTestServer } from "./support.ts";

type Who = "seller" | "buyer";
type Op =
  | { kind: "new"; who: Who; id: number; priceTiyn: number; quantityKg: number; tif: "GTC" | "IOC" | "FOK" | "DAY" }
  | { kind: "cancel"; who: Who; target: number }
  | { kind: "amend"; who: Who; target: number; priceTiyn?: number; openKg: number }
  | { kind: "mass"; who: Who; instrument: boolean };

const ACCOUNT: Record<Who, string> = { seller: "KAZGPZ-1", buyer: "AKTAU-1" };
const FIX_TIF: Record<string, string> = { DAY: "0", GTC: "1", IOC: "3", FOK: "4" };

// Prices around 133,000 tenge/t, mostly on the 1-tenge tick, sometimes half a tenge off it; quantities mostly whole
// tonnes (the lot), sometimes half a tonne off it.
const price = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 132_995, max: 133_005 }).map((tenge) => tenge * 100) },
  { weight: 1, arbitrary: fc.integer({ min: 132_995, max: 133_005 }).map((tenge) => tenge * 100 + 50) },
);
const quantity = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 1, max: 5 }).map((t) => t * 1000) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((t) => t * 1000 + 500) },
);
const who = fc.constantFrom<Who>("seller", "buyer");
const op: fc.Arbitrary<Omit<Op, "id">> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("new" as const),
      who,
      priceTiyn: price,
      quantityKg: quantity,
      tif: fc.constantFrom("GTC" as const, "GTC" as const, "IOC" as const, "FOK" as const, "DAY" as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), who, target: fc.nat(40) }) },
  {
    weight: 2,
    arbitrary: fc.record(
      { kind: fc.constant("amend" as const), who, target: fc.nat(40), priceTiyn: price, openKg: quantity },
      { requiredKeys: ["kind", "who", "target", "openKg"] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("mass" as const), who, instrument: fc.boolean() }) },
);

function numbered(ops: Omit<Op, "id">[]): Op[] {
  let next = 0;
  return ops.map((o) => (o.kind === "new" ? ({ ...o, id: next++ } as Op) : (o as Op)));
}

/** The journal after the set-up as comparable text: each record's command and events. */
async function journal(server: TestServer, from: number): Promise<string[]> {
  const records = await server.exchange.store.read(from, 10_000);
  return records.map((record) => `${record.seq} ${record.command} => ${record.events}`);
}

async function throughRest(ops: Op[]): Promise<string[]> {
  const server = await TestServer.start();
  try {
    const keys = { seller: await server.apiKey("kazgpz-trader"), buyer: await server.apiKey("aktau-trader") };
    // After the keys: creating a key is itself a journaled command, not part of the compared streams.
    const from = server.exchange.projections.lastSeq + 1;
    let stamp = 0;
    // Each signed request needs its own signature: the timestamp moves by a millisecond within the allowed window.
    const call = (w: Who, method: string, path: string, body?: unknown) =>
      keys[w](method, path, body, server.nowMs + (stamp++ % 20_000));
    for (const o of ops) {
      const account = ACCOUNT[o.who];
      if (o.kind === "new") {
        await call(o.who, "POST", "/api/orders", {
          instrument: INSTRUMENT,
          account,
          clientOrderId: `o${o.id}`,
          side: o.who === "seller" ? "sell" : "buy",
          type: "limit",
          price: o.priceTiyn,
          quantity: o.quantityKg,
          tif: o.tif,
        });
      } else if (o.kind === "cancel") {
        await call(o.who, "DELETE", `/api/accounts/${account}/orders/o${o.target}`);
      } else if (o.kind === "amend") {
        await call(o.who, "PATCH", `/api/accounts/${account}/orders/o${o.target}`, {
          ...(o.priceTiyn === undefined ? {} : { price: o.priceTiyn }),
          quantity: o.openKg,
        });
      } else {
        await call(
          o.who,
          "POST",
          `/api/accounts/${account}/mass-cancel`,
          o.instrument ? { instrument: INSTRUMENT } : {},
        );
      }
    }
    return await journal(server, from);
  } finally {
    await server.close();
  }
}

async function throughFix(ops: Op[]): Promise<string[]> {
  const env = await FixTestServer.start({ messagesPerSecond: 100_000 });
  const clients: FixTestClient[] = [];
  try {
    const exchange = env.server.exchange;
    const session = async (user: string, member: string) => {
      const { client } = await FixTestClient.logon({ port: env.port, sender: member, ...(await env.key(user, user)) });
      clients.push(client);
      return client;
    };
    const fix: Record<Who, FixTestClient> = {
      seller: await session("kazgpz-trader", "KAZGPZ"),
      buyer: await session("aktau-trader", "AKTAU"),
    };
    // After the logons: their keys are journaled commands, not part of the compared streams.
    const from = exchange.projections.lastSeq + 1;
    let clOrdIds = 0;
    for (const o of ops) {
      const client = fix[o.who];
      const account = ACCOUNT[o.who];
      const side = o.who === "seller" ? "2" : "1";
      const before = exchange.projections.lastSeq;
      let body: Field[];
      let type: string;
      if (o.kind === "new") {
        type = "D";
        body = [
          [11, `o${o.id}`],
          [1, account],
          [55, INSTRUMENT],
          [54, side],
          [40, "2"],
          [44, tengeText(o.priceTiyn)],
          [38, tonnesText(o.quantityKg)],
          [59, FIX_TIF[o.tif]!],
        ];
      } else if (o.kind === "cancel") {
        type = "F";
        body = [
          [11, `c${clOrdIds++}`],
          [41, `o${o.target}`],
          [1, account],
          [55, INSTRUMENT],
          [54, side],
        ];
      } else if (o.kind === "amend") {
        type = "G";
        // CumQty of the order from this session's last ExecutionReport about it (0 if it has none).
        const reports = client.received.filter((m) => m.type === "8" && tag(m, 37) === `${account}~o${o.target}`);
        const cumKg = reports.length === 0 ? 0 : Math.round(Number(tag(reports.at(-1)!, 14)) * 1000);
        body = [
          [11, `c${clOrdIds++}`],
          [41, `o${o.target}`],
          [1, account],
          [55, INSTRUMENT],
          [54, side],
          [40, "2"],
          ...(o.priceTiyn === undefined ? [] : ([[44, tengeText(o.priceTiyn)]] as Field[])),
          [38, tonnesText(cumKg + o.openKg)],
        ];
      } else {
        type = "q";
        body = [
          [11, `c${clOrdIds++}`],
          [530, o.instrument ? "1" : "7"],
          [1, account],
          ...(o.instrument ? ([[55, INSTRUMENT]] as Field[]) : []),
        ];
      }
      const seen = client.received.length;
      client.send(type, body);
      // Each request is one command: wait for it to be durable and for the session's answer to it.
      const clOrdId = body[0]![1];
      const answered = (m: FixMessage) =>
        (m.type === "8" || m.type === "9" || m.type === "r") && tag(m, 11) === clOrdId;
      const answer = await client.next(answered, seen);
      expect(exchange.projections.lastSeq, `${type} ${JSON.stringify(body)} answered ${tag(answer, 58)}`).toBe(
        before + 1,
      );
    }
    return await journal(env.server, from);
  } finally {
    for (const client of clients) client.socket.destroy();
    await env.close();
  }
}

describe("FIX and REST differential", () => {
  it("the same request streams through FIX and through REST give the same commands and events", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 40 }), async (raw) => {
        const ops = numbered(raw);
        const rest = await throughRest(ops);
        const fix = await throughFix(ops);
        expect(fix.length).toBe(ops.length);
        expect(fix).toEqual(rest);
      }),
      { seed: 20_260_105, numRuns: 6, endOnFailure: true },
    );
  }, 240_000);
});
