/**
 * The regulator's order and trade report (GET /api/regulator/reports/orders?day=): every line valid under
 * docs/feed.schema.json; the order books at the day's end rebuilt from that day's report alone (its `open` records
 * and the day's lifecycle) equal the engine's; a day that is not over is refused; CSV has the same records.
 *
 * The market: on 5 January orders rest (GTC), trade, are amended and cancelled; on 6 January the books carried over
 * trade, are amended (keeping and losing priority), cancelled, and new orders rest; an order is refused.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBucketUrl } from "../../src/cli/serve.ts";
import { CANCEL_REASONS } from "../../src/domain/order.ts";
import type { Command } from "../../src/engine/commands.ts";
import { bucketSink, OrderReportPusher } from "../../src/gateway/order-report.ts";
import { type FeedRecord, ReportBooks } from "../../src/reports/feed.ts";
import { INSTRUMENT, type Session, T0, TestServer } from "../support/server.ts";

const HOUR = 3_600_000;
/** 00:00 Almaty on 6 January 2026. */
const DAY2 = Date.UTC(2026, 0, 5, 19);

let server: TestServer;
let regulator: Session;
let voidedTrade = "";

async function order(id: string, account: string, side: "buy" | "sell", price: number, tonnes: number) {
  return server.exchange.submit({
    type: "order.new",
    instrument: INSTRUMENT,
    orderId: `${account}~${id}`,
    account,
    side,
    orderType: "limit",
    price,
    quantity: tonnes * 1000,
  });
}

async function submit(command: Command) {
  return server.exchange.submit(command);
}

beforeAll(async () => {
  server = await TestServer.start();
  // 5 January.
  server.nowMs = T0 + HOUR;
  await order("s1", "KAZGPZ-1", "sell", 13_400_000, 10);
  await order("s2", "KAZGPZ-1", "sell", 13_500_000, 10);
  await order("b1", "AKTAU-1", "buy", 13_100_000, 5);
  const b2 = await order("b2", "ATYRAU-1", "buy", 13_400_000, 4); // trades 4 t with s1
  const trade = b2.events.find((e) => e.type === "trade");
  if (trade?.type !== "trade") throw new Error("b2 trades");
  voidedTrade = trade.tradeId;
  await submit({
    type: "order.amend",
    orderId: "KAZGPZ-1~s2",
    quantity: 8000,
  });
  await order("b3", "ATYRAU-1", "buy", 13_000_000, 2);
  await submit({ type: "order.cancel", orderId: "ATYRAU-1~b3" });
  // 6 January.
  server.nowMs = DAY2 + 9 * HOUR;
  await order("b4", "AKTAU-1", "buy", 13_100_000, 3); // behind b1 at 13,100,000
  await submit({
    type: "order.amend",
    orderId: "AKTAU-1~b1",
    quantity: 4000,
  }); // keeps priority
  await order("b5", "BROKER-C1", "buy", 13_500_000, 7); // takes the rest of s1 (6 t) and 1 t of s2
  await submit({
    type: "order.amend",
    orderId: "KAZGPZ-1~s2",
    price: 13_600_000,
  }); // loses priority
  await order("s3", "KAZGPZ-1", "sell", 13_600_000, 5); // behind s2 at 13,600,000
  await order("s4", "KAZGPZ-1", "sell", 13_650_000, 5);
  await submit({ type: "order.cancel", orderId: "KAZGPZ-1~s4" });
  await order("b6", "AKTAU-1", "buy", 13_000_001, 1); // off the tick: refused
  // The operator voids the 5th's 4 t: reported on the 6th, the day of the void.
  await submit({ type: "trade.void", trade: voidedTrade, reason: "entry software", rule: "Rulebook 4.2" });
  // 7 January: the 6th is over.
  server.nowMs = DAY2 + 24 * HOUR + HOUR;
  regulator = await server.login("regulator");
});

afterAll(async () => {
  await server?.close();
});

async function report(day: string): Promise<FeedRecord[]> {
  const response = await server.call(regulator, "GET", `/api/regulator/reports/orders?day=${day}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/x-ndjson");
  return String(response.body)
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as FeedRecord);
}

describe("the regulator's order and trade report", () => {
  it("writes every record as docs/feed.schema.json says, its reasons the engine's", async () => {
    const schema = JSON.parse(readFileSync(new URL("../../docs/feed.schema.json", import.meta.url), "utf8"));
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const records = [...(await report("2026-01-05")), ...(await report("2026-01-06"))];
    for (const record of records) expect(validate(record) ? null : { record, errors: validate.errors }).toBeNull();
    const kinds = new Set(records.map((r) => r.record));
    expect([...kinds].sort()).toEqual(["amended", "cancelled", "new", "open", "rejected", "rested", "trade", "void"]);
    expect(records.filter((r) => r.record === "void")).toEqual([
      {
        seq: expect.any(Number),
        time: expect.stringMatching(/^2026-01-06T/),
        record: "void",
        instrument: INSTRUMENT,
        tradeId: voidedTrade,
        price: 13_400_000,
        quantity: 4000,
        buyAccount: "ATYRAU-1",
        sellAccount: "KAZGPZ-1",
        buyMember: "ATYRAU",
        sellMember: "KAZGPZ",
        reason: "entry software",
        rule: "Rulebook 4.2",
      },
    ]);
    const cancelled = schema.oneOf.find((s: { title: string }) => s.title === "cancelled");
    expect(cancelled.properties.reason.enum).toEqual([...CANCEL_REASONS]);
  });

  it("rebuilds the day's closing books from that day's report alone", async () => {
    const records = await report("2026-01-06");
    // The day starts with what 5 January left: s1 (6 t), s2 (8 t) and b1 (5 t), in time priority.
    expect(records.filter((r) => r.record === "open").map((r) => [r.orderId, r.open])).toEqual([
      ["KAZGPZ-1~s1", 6000],
      ["KAZGPZ-1~s2", 8000],
      ["AKTAU-1~b1", 5000],
    ]);
    const books = new ReportBooks();
    for (const record of records) books.apply(record);
    const rebuilt = books.levels(INSTRUMENT);
    expect(rebuilt).toEqual({
      bids: [{ price: 13_100_000, quantity: 7000, orders: ["AKTAU-1~b1", "AKTAU-1~b4"] }],
      asks: [{ price: 13_600_000, quantity: 12_000, orders: ["KAZGPZ-1~s2", "KAZGPZ-1~s3"] }],
    });
    // The engine's book, as the public sees it, and each order as the engine holds it.
    const book = (await server.call(null, "GET", `/api/instruments/${INSTRUMENT}/book`)).body;
    const levels = (side: { price: number; quantity: number; orders: string[] }[]) =>
      side.map((l) => ({ priceTiynPerTonne: l.price, quantityKg: l.quantity, orders: l.orders.length }));
    expect({ bids: book.bids, asks: book.asks }).toEqual({ bids: levels(rebuilt.bids), asks: levels(rebuilt.asks) });
    for (const o of books.openOrders()) {
      expect(server.exchange.engine.order(o.orderId)).toMatchObject({ status: "resting", price: o.price });
    }
    // The refused order is reported with its code.
    expect(records.find((r) => r.record === "rejected")).toMatchObject({
      orderId: "AKTAU-1~b6",
      member: "AKTAU",
      code: "ORDER_PRICE_OFF_TICK",
    });
    // Trades name both parties and members.
    expect(
      records.filter((r) => r.record === "trade").map((r) => [r.sellOrderId, r.quantity, r.buyMember, r.sellMember]),
    ).toEqual([
      ["KAZGPZ-1~s1", 6000, "BROKER", "KAZGPZ"],
      ["KAZGPZ-1~s2", 1000, "BROKER", "KAZGPZ"],
    ]);
  });

  it("refuses a day that is not over, gives CSV, and is the console's only", async () => {
    const today = await server.call(regulator, "GET", "/api/regulator/reports/orders?day=2026-01-07");
    expect([today.status, today.body.error.code]).toEqual([409, "REPORT_DAY_NOT_OVER"]);
    const csv = await server.call(regulator, "GET", "/api/regulator/reports/orders?day=2026-01-06&format=csv");
    const lines = String(csv.body).trim().split("\n");
    expect(lines[0]).toMatch(/^seq,time,record,instrument,orderId,account,member,side/);
    expect(lines).toHaveLength((await report("2026-01-06")).length + 1);
    const trader = await server.login("aktau-trader");
    expect((await server.call(trader, "GET", "/api/regulator/reports/orders?day=2026-01-06")).status).toBe(403);
  });

  it("is pushed to a directory once each day is over: the same bytes the regulator downloads, each day once", async () => {
    const directory = mkdtempSync(join(tmpdir(), "sauda-feed-"));
    try {
      const pusher = new OrderReportPusher(server.exchange, join(directory, "orders"));
      // The journal starts on the 5th; on the 7th the 5th and 6th are over, the 7th is not.
      expect(await pusher.catchUp()).toEqual(["2026-01-05", "2026-01-06"]);
      expect(readdirSync(join(directory, "orders")).sort()).toEqual([
        "orders-2026-01-05.csv",
        "orders-2026-01-05.jsonl",
        "orders-2026-01-06.csv",
        "orders-2026-01-06.jsonl",
      ]);
      const downloaded = await server.call(regulator, "GET", "/api/regulator/reports/orders?day=2026-01-06");
      expect(readFileSync(join(directory, "orders", "orders-2026-01-06.jsonl"), "utf8")).toBe(String(downloaded.body));
      const csv = await server.call(regulator, "GET", "/api/regulator/reports/orders?day=2026-01-06&format=csv");
      expect(readFileSync(join(directory, "orders", "orders-2026-01-06.csv"), "utf8")).toBe(String(csv.body));
      // A second round writes nothing: the files are there.
      const written = statSync(join(directory, "orders", "orders-2026-01-06.jsonl")).mtimeMs;
      expect(await pusher.catchUp()).toEqual([]);
      expect(statSync(join(directory, "orders", "orders-2026-01-06.jsonl")).mtimeMs).toBe(written);
      await expect(pusher.pushDay("2026-01-07")).rejects.toThrow("the day 2026-01-07 is not over yet");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("is pushed to an S3-compatible bucket (a bucket server on loopback): the same bytes, each day once", async () => {
    const directory = mkdtempSync(join(tmpdir(), "sauda-s3-"));
    const bucketServer = new S3rver({
      port: 0,
      address: "127.0.0.1",
      silent: true,
      directory,
      configureBuckets: [{ name: "regulator-feed", configs: [] }],
    });
    const { port } = await bucketServer.run();
    try {
      const endpoint = `http://127.0.0.1:${port}`;
      const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
      expect(parseBucketUrl("s3://regulator-feed/sauda/orders/")).toEqual({
        bucket: "regulator-feed",
        prefix: "sauda/orders/",
      });
      expect(() => parseBucketUrl("https://regulator-feed")).toThrow("is not s3://bucket/prefix");
      const sink = await bucketSink({ ...parseBucketUrl("s3://regulator-feed/sauda/orders"), endpoint, credentials });
      const pusher = new OrderReportPusher(server.exchange, sink);
      expect(await pusher.catchUp()).toEqual(["2026-01-05", "2026-01-06"]);
      expect(await pusher.catchUp()).toEqual([]);
      const client = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials });
      const listed = await client.send(new ListObjectsV2Command({ Bucket: "regulator-feed" }));
      expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual([
        "sauda/orders/orders-2026-01-05.csv",
        "sauda/orders/orders-2026-01-05.jsonl",
        "sauda/orders/orders-2026-01-06.csv",
        "sauda/orders/orders-2026-01-06.jsonl",
      ]);
      const object = await client.send(
        new GetObjectCommand({ Bucket: "regulator-feed", Key: "sauda/orders/orders-2026-01-06.jsonl" }),
      );
      const downloaded = await server.call(regulator, "GET", "/api/regulator/reports/orders?day=2026-01-06");
      expect(await object.Body?.transformToString()).toBe(String(downloaded.body));
      client.destroy();
    } finally {
      await bucketServer.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
