/**
 * The published price indices follow the published method (docs/indices.md): recomputed from the public session
 * results and instrument descriptions alone, with the method as written there, every index of every day matches what
 * `GET /api/indices` publishes, and the document's worked example is what the exchange publishes.
 *
 * The market: KazGPZ sells into Mangystau (two sessions on 5 January) and Atyrau, Tengizchevroil into Mangystau, and a
 * small plant without a national weight into Atyrau; a session that closes after local midnight counts for the next
 * day; one index lands on an exact half tiyn; a trade voided after its session closed revises that day's indices.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Command } from "../../src/engine/commands.ts";
import { dailyBulletin } from "../../src/reports/bulletin.ts";
import { revisionNotes } from "../../src/reports/bulletin-documents.ts";
import { INSTRUMENT, TERMS, TestServer } from "../support/server.ts";

const HOUR = 3_600_000;
/** 00:00 Almaty (UTC+5) on 5 January 2026. */
const DAY1 = Date.UTC(2026, 0, 4, 19);
const TENGIZ = "PB-TENGIZ-MNG-2026-01";
const KAZGPZ_ATYRAU = "PB-KAZGPZ-ATR-2026-01";
const SMALL = "PB-SMALL-ATR-2026-01";

function listing(instrument: string, basis: string, region: string): Command {
  return {
    type: "instrument.list",
    instrument,
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    referencePrice: 13_300_000,
    clearing: { ...TERMS, basis },
    description: { product: "propane-butane", basis, region, deliveryPeriod: "2026-01" },
  };
}

let server: TestServer;
let orderCount = 0;

async function submit(command: Command) {
  const outcome = await server.exchange.submit(command);
  const refused = outcome.events.find((e) => e.type === "rejected");
  if (refused) throw new Error(`${command.type} refused: ${JSON.stringify(refused)}`);
  return outcome;
}

/** One trade: the seller's offer, then the buyer's bid at the same price. Returns the trade's id. */
async function trade(instrument: string, seller: string, buyer: string, price: number, tonnes: number) {
  const order = { type: "order.new", instrument, orderType: "limit", price, quantity: tonnes * 1000 } as const;
  orderCount++;
  await submit({ ...order, orderId: `${seller}~s${orderCount}`, account: seller, side: "sell" });
  const bought = await submit({ ...order, orderId: `${buyer}~b${orderCount}`, account: buyer, side: "buy" });
  const made = bought.events.find((e) => e.type === "trade");
  return made?.type === "trade" ? made.tradeId : "";
}

let voidedTrade = "";
/** When the voided trade's session result was revised (7 January, 01:00 Almaty). */
let revisedMs = 0;

async function session(instrument: string, openMs: number, closeMs: number, trades: () => Promise<unknown>) {
  server.nowMs = openMs;
  await submit({ type: "phase.set", instrument, phase: "continuous" });
  await trades();
  server.nowMs = closeMs;
  await submit({ type: "phase.set", instrument, phase: "closed" });
}

beforeAll(async () => {
  server = await TestServer.start();
  server.nowMs = DAY1 + 11.5 * HOUR; // after the test exchange's set-up at 11:00
  await submit({ type: "phase.set", instrument: INSTRUMENT, phase: "closed" });
  for (const command of [
    listing(TENGIZ, "TCO", "MANGYSTAU"),
    listing(KAZGPZ_ATYRAU, "KAZGPZ", "ATYRAU"),
    listing(SMALL, "SMALL-PLANT", "ATYRAU"),
    { type: "member.add", member: "TCO", name: "Tengizchevroil", roles: ["producer"] },
    { type: "member.add", member: "SMALL", name: "A small plant", roles: ["producer"] },
    { type: "account.open", account: "TCO-1", member: "TCO" },
    { type: "account.open", account: "SMALL-1", member: "SMALL" },
    { type: "gas.declare", account: "TCO-1", basis: "TCO", quantity: 1_000_000 },
    { type: "gas.declare", account: "SMALL-1", basis: "SMALL-PLANT", quantity: 1_000_000 },
  ] satisfies Command[]) {
    await submit(command);
  }

  // 5 January: the document's worked example.
  await session(INSTRUMENT, DAY1 + 12 * HOUR, DAY1 + 13 * HOUR, async () => {
    await trade(INSTRUMENT, "KAZGPZ-1", "AKTAU-1", 13_300_000, 10);
    await trade(INSTRUMENT, "KAZGPZ-1", "AKTAU-1", 13_350_000, 20);
  });
  await session(INSTRUMENT, DAY1 + 13.5 * HOUR, DAY1 + 14 * HOUR, () =>
    trade(INSTRUMENT, "KAZGPZ-1", "AKTAU-1", 13_400_000, 5),
  );
  await session(TENGIZ, DAY1 + 14 * HOUR, DAY1 + 15 * HOUR, () => trade(TENGIZ, "TCO-1", "AKTAU-1", 13_100_000, 30));
  // A session without trades counts for nothing.
  await session(KAZGPZ_ATYRAU, DAY1 + 15 * HOUR, DAY1 + 16 * HOUR, () => Promise.resolve());

  // 6 January: Atyrau, from a weighted and an unweighted plant; 1 t and 7 t make an exact half tiyn.
  const day2 = DAY1 + 24 * HOUR;
  await session(KAZGPZ_ATYRAU, day2 + 6 * HOUR, day2 + 8 * HOUR, async () => {
    await trade(KAZGPZ_ATYRAU, "KAZGPZ-1", "ATYRAU-1", 13_300_100, 1);
    await trade(KAZGPZ_ATYRAU, "KAZGPZ-1", "ATYRAU-1", 13_300_000, 7);
  });
  await session(SMALL, day2 + 6 * HOUR, day2 + 9 * HOUR, () => trade(SMALL, "SMALL-1", "ATYRAU-1", 12_000_000, 12));
  // Opens on 6 January at 23:30, closes on 7 January at 00:30: it counts for the 7th.
  await session(TENGIZ, day2 + 23.5 * HOUR, day2 + 24.5 * HOUR, async () => {
    await trade(TENGIZ, "TCO-1", "AKTAU-1", 13_200_000, 3);
    voidedTrade = await trade(TENGIZ, "TCO-1", "AKTAU-1", 13_600_000, 2);
  });
  // Half an hour after that session closed, the operator voids its second trade: the 7th's indices are revised.
  revisedMs = day2 + 25 * HOUR;
  server.nowMs = revisedMs;
  await submit({ type: "trade.void", trade: voidedTrade, reason: "entry rules broken", rule: "Rulebook 4.2" });
});

afterAll(async () => {
  await server?.close();
});

interface Row {
  day: string;
  product: string;
  scope: string;
  key: string;
  priceTiynPerTonne: number;
  volumeKg: string;
  valueTiyn: string;
  sessions: number;
  revisedMs?: number;
}

/** n / d rounded to the nearest integer, an exact half up (n, d ≥ 0). */
const roundHalfUp = (n: bigint, d: bigint) => (2n * n + d) / (2n * d);

/** The method of docs/indices.md, applied to what the public API publishes. */
async function recompute(): Promise<Row[]> {
  const instruments = (await server.call(null, "GET", "/api/instruments")).body.instruments as { instrument: string }[];
  type Totals = {
    day: string;
    product: string;
    scope: string;
    key: string;
    volume: bigint;
    value: bigint;
    sessions: number;
    revisedMs?: number;
  };
  const totals = new Map<string, Totals>();
  for (const { instrument } of instruments) {
    const info = (await server.call(null, "GET", `/api/instruments/${instrument}`)).body.info;
    if (info === null) continue;
    const sessions = (await server.call(null, "GET", `/api/instruments/${instrument}/sessions?limit=1000`)).body
      .history;
    for (const s of sessions) {
      if (s.endMs === null || BigInt(s.volumeKg) === 0n) continue;
      const day = new Date(s.endMs + 5 * HOUR).toISOString().slice(0, 10);
      for (const [scope, key] of [
        ["basis", info.basis],
        ["region", info.region],
        ["basis-region", `${info.basis}/${info.region}`],
      ]) {
        const id = `${day} ${info.product} ${scope} ${key}`;
        const t: Totals = totals.get(id) ?? {
          day,
          product: info.product,
          scope,
          key,
          volume: 0n,
          value: 0n,
          sessions: 0,
        };
        t.volume += BigInt(s.volumeKg);
        t.value += BigInt(s.valueMilliTiyn);
        t.sessions++;
        // A session revised after its close (a voided trade) marks the index revised, at the newest revision.
        const revised = s.voids?.revisedMs ?? null;
        if (revised !== null && (t.revisedMs === undefined || revised > t.revisedMs)) t.revisedMs = revised;
        totals.set(id, t);
      }
    }
  }
  const rows: Row[] = [...totals.values()].map((t) => ({
    day: t.day,
    product: t.product,
    scope: t.scope,
    key: t.key,
    priceTiynPerTonne: Number(roundHalfUp(t.value, t.volume)),
    volumeKg: t.volume.toString(),
    valueTiyn: roundHalfUp(t.value, 1000n).toString(),
    sessions: t.sessions,
    ...(t.revisedMs === undefined ? {} : { revisedMs: t.revisedMs }),
  }));
  // National: the published weights over the day's rounded basis indices.
  const weights = new Map<string, bigint>(
    ((await server.call(null, "GET", "/api/indices")).body.weights as { basis: string; weight: number }[]).map((w) => [
      w.basis,
      BigInt(w.weight),
    ]),
  );
  const national = new Map<
    string,
    { weighted: bigint; weights: bigint; volume: bigint; value: bigint; sessions: number; revisedMs?: number }
  >();
  for (const t of totals.values()) {
    const weight = weights.get(t.key) ?? 0n;
    if (t.scope !== "basis" || weight === 0n) continue;
    const id = `${t.day} ${t.product}`;
    const n = national.get(id) ?? { weighted: 0n, weights: 0n, volume: 0n, value: 0n, sessions: 0 };
    n.weighted += weight * roundHalfUp(t.value, t.volume);
    n.weights += weight;
    n.volume += t.volume;
    n.value += t.value;
    n.sessions += t.sessions;
    if (t.revisedMs !== undefined && (n.revisedMs === undefined || t.revisedMs > n.revisedMs)) {
      n.revisedMs = t.revisedMs;
    }
    national.set(id, n);
  }
  for (const [id, n] of national) {
    const [day, product] = id.split(" ") as [string, string];
    rows.push({
      day,
      product,
      scope: "national",
      key: "KZ",
      priceTiynPerTonne: Number(roundHalfUp(n.weighted, n.weights)),
      volumeKg: n.volume.toString(),
      valueTiyn: roundHalfUp(n.value, 1000n).toString(),
      sessions: n.sessions,
      ...(n.revisedMs === undefined ? {} : { revisedMs: n.revisedMs }),
    });
  }
  const order = (r: Row) => `${r.day} ${r.product} ${r.scope} ${r.key}`;
  return rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

async function published(): Promise<Row[]> {
  const days = ((await server.call(null, "GET", "/api/indices")).body.days as string[]).slice().sort();
  const rows: Row[] = [];
  for (const day of days) rows.push(...(await server.call(null, "GET", `/api/indices?day=${day}`)).body.indices);
  const order = (r: Row) => `${r.day} ${r.product} ${r.scope} ${r.key}`;
  return rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

describe("price indices by the published method", () => {
  it("recomputes every published index from the public session results", async () => {
    const mine = await recompute();
    expect(mine.map((r) => r.day)).toContain("2026-01-07");
    expect(await published()).toEqual(mine);
  });

  it("publishes the worked example of docs/indices.md for 5 January", async () => {
    const day = (await server.call(null, "GET", "/api/indices?day=2026-01-05")).body.indices as Row[];
    const price = (scope: string, key: string) =>
      day.find((r) => r.scope === scope && r.key === key)?.priceTiynPerTonne;
    expect(price("basis", "KAZGPZ")).toBe(13_342_857);
    expect(day.find((r) => r.scope === "basis" && r.key === "KAZGPZ")).toMatchObject({
      volumeKg: "35000",
      sessions: 2,
    });
    expect(price("basis", "TCO")).toBe(13_100_000);
    expect(price("region", "MANGYSTAU")).toBe(13_230_769);
    expect(price("national", "KZ")).toBe(13_147_267);
    // The session without trades on KazGPZ → Atyrau published nothing.
    expect(day.filter((r) => r.key.includes("ATYRAU"))).toEqual([]);
  });

  it("rounds an exact half tiyn up, and leaves a plant without a weight out of the national index only", async () => {
    const day = (await server.call(null, "GET", "/api/indices?day=2026-01-06")).body.indices as Row[];
    const row = (scope: string, key: string) => day.find((r) => r.scope === scope && r.key === key);
    // (13,300,100 × 1 + 13,300,000 × 7) / 8 = 13,300,012.5
    expect(row("basis-region", "KAZGPZ/ATYRAU")?.priceTiynPerTonne).toBe(13_300_013);
    expect(row("basis", "SMALL-PLANT")?.priceTiynPerTonne).toBe(12_000_000);
    // Atyrau's region index weighs both plants by volume: (106,400,100,000 + 144,000,000,000) / 20,000 kg.
    expect(row("region", "ATYRAU")?.priceTiynPerTonne).toBe(12_520_005);
    // The national index is KazGPZ's alone: the small plant has no weight.
    expect(row("national", "KZ")).toMatchObject({ priceTiynPerTonne: 13_300_013, volumeKg: "8000", sessions: 1 });
    // The session that closed after midnight belongs to the 7th.
    expect(day.some((r) => r.key === "TCO")).toBe(false);
  });

  it("leaves a voided trade out and marks the day's indices revised when the void came after the close", async () => {
    const day = (await server.call(null, "GET", "/api/indices?day=2026-01-07")).body.indices as Row[];
    // Only the 3 t at 132,000 stand; the 2 t at 136,000 were voided after the session closed.
    expect(day.find((r) => r.scope === "basis" && r.key === "TCO")).toEqual({
      day: "2026-01-07",
      product: "propane-butane",
      scope: "basis",
      key: "TCO",
      priceTiynPerTonne: 13_200_000,
      volumeKg: "3000",
      valueTiyn: "39600000",
      sessions: 1,
      revisedMs,
    });
    const sessions = (await server.call(null, "GET", `/api/instruments/${TENGIZ}/sessions`)).body.history;
    expect(sessions[0]).toMatchObject({
      trades: 1,
      volumeKg: "3000",
      vwapTiynPerTonne: 13_200_000,
      highTiynPerTonne: 13_200_000,
      voids: { trades: 1, volumeKg: "2000", valueMilliTiyn: "27200000000", revisedMs },
    });
    const tape = (await server.call(null, "GET", `/api/instruments/${TENGIZ}/trades`)).body.trades;
    expect(tape[0]).toMatchObject({
      tradeId: voidedTrade,
      voided: { timeMs: revisedMs, reason: "entry rules broken", rule: "Rulebook 4.2" },
    });
    // The bulletin of the 7th shows the revised session and index.
    const bulletin = (await server.call(null, "GET", "/api/bulletin?day=2026-01-07")).body;
    expect(bulletin.sessions.find((s: { instrument: string }) => s.instrument === TENGIZ)).toMatchObject({
      volumeKg: "3000",
      voids: { revisedMs },
    });
    expect(bulletin.indices.find((r: Row) => r.scope === "national")).toMatchObject({
      priceTiynPerTonne: 13_200_000,
      revisedMs,
    });
    const csv = String((await server.call(null, "GET", "/api/bulletin?day=2026-01-07&format=csv")).body).split("\r\n");
    expect(csv[0]).toMatch(/,voided_trades,voided_kg,revised_at$/);
    expect(csv.find((line) => line.includes(TENGIZ))).toMatch(/,1,2000,2026-01-06T20:00:00\.000Z$/);
    // The bulletin's PDF and workbook note the revision under the session results, in each language.
    const model = dailyBulletin(server.exchange.projections, "2026-01-07");
    expect(revisionNotes(model, "ru")).toEqual([
      `${TENGIZ}, сессия 2: итоги пересмотрены 07.01.2026 01:00; аннулировано сделок: 1, 2 т, они исключены из итогов и индексов.`,
    ]);
    expect(revisionNotes(model, "kk")[0]).toContain("күші жойылған мәмілелер: 1, 2 т");
    expect(revisionNotes(model, "en")[0]).toContain("revised 2026-01-07 01:00; voided trades: 1, 2 t");
  });
});
