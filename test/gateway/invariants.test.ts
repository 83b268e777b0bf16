/**
 * The engine's invariants checked in a running exchange: every `INVARIANT_CHECK_INTERVAL_MS` by the server's watch and
 * before every snapshot by the sequencer. A failure raises the alarm once: an error line in the log, `/metrics` shows
 * `sauda_writes_stopped 1` and the failed check, every change is refused with 503 UNAVAILABLE, and reads go on.
 *
 * The broken state is made for real: an order's record is marked filled while the book still holds it, which the
 * engine's check finds (records and books disagree).
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import type { OrderRecord } from "../../src/engine/market.ts";
import { Exchange, WritesStoppedError } from "../../src/gateway/exchange.ts";
import { INVARIANT_CHECK_INTERVAL_MS, InvariantWatch } from "../../src/gateway/invariants.ts";
import { Metrics } from "../../src/gateway/metrics.ts";
import { INSTRUMENT, SETUP, T0, TestServer } from "../support/server.ts";

/** Marks a resting order's record filled behind the engine's back: its book and its records now disagree. */
function breakEngine(engine: Engine, orderId: string): void {
  const record = engine.order(orderId) as OrderRecord | undefined;
  if (record?.status !== "resting") throw new Error(`order ${orderId} is not resting`);
  record.status = "filled";
}

describe("the server's periodic check", () => {
  let server: TestServer;
  const logLines: string[] = [];

  beforeAll(async () => {
    const logStream = new PassThrough();
    logStream.on("data", (chunk: Buffer) => logLines.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
    server = await TestServer.start({ logStream });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs every INVARIANT_CHECK_INTERVAL_MS, passes on a sound engine, and on a broken one stops all changes", async () => {
    const buyer = await server.login("aktau-trader");
    const bid = { instrument: INSTRUMENT, account: "AKTAU-1", side: "buy", price: 13_000_000, quantity: 1000 };
    expect((await server.call(buyer, "POST", "/api/orders", { ...bid, clientOrderId: "b1" })).status).toBe(201);

    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const watch = new InvariantWatch(server.exchange);
    watch.start();
    vi.advanceTimersByTime(INVARIANT_CHECK_INTERVAL_MS - 1);
    expect(await metric("sauda_invariant_checks_total")).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(await metric("sauda_invariant_checks_total")).toEqual(['{result="passed"} 1']);

    breakEngine(server.exchange.engine, "AKTAU-1~b1");
    vi.advanceTimersByTime(INVARIANT_CHECK_INTERVAL_MS);
    watch.stop();
    expect(await metric("sauda_invariant_checks_total")).toEqual(['{result="passed"} 1', '{result="failed"} 1']);
    expect(await metric("sauda_writes_stopped")).toEqual([" 1"]);
    expect(server.exchange.invariantAlarm).toMatchObject({ where: "check", atMs: T0 });

    const errors = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 50);
    expect(errors).toMatchObject([
      { alarm: "invariant", where: "check", problem: "invariant: order AKTAU-1~b1 in book has status filled" },
    ]);

    const refused = await server.call(buyer, "POST", "/api/orders", { ...bid, clientOrderId: "b2" });
    expect([refused.status, refused.body.error.code]).toEqual([503, "UNAVAILABLE"]);
    expect(refused.body.error.message).toContain("refusing changes after a failed consistency check");
    // What is durable stays readable.
    const read = await server.call(buyer, "GET", "/api/accounts/AKTAU-1/orders/b1");
    expect([read.status, read.body.order.status]).toEqual([200, "resting"]);
    expect((await server.call(null, "GET", `/api/instruments/${INSTRUMENT}`)).status).toBe(200);
  });

  async function metric(name: string): Promise<string[]> {
    // /metrics is the operator's.
    const operator = await server.login("operator");
    const response = await server.call(operator, "GET", "/metrics");
    expect(response.status).toBe(200);
    const text = String(response.body);
    return text
      .split("\n")
      .filter((line) => line.startsWith(name))
      .map((line) => line.slice(name.length));
  }
});

describe("the check before every snapshot", () => {
  it("refuses to snapshot a broken state: the batch is refused, nothing of it is durable, changes stop", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-invariants-"));
    let nowMs = T0;
    const fatal: unknown[] = [];
    const exchange = await Exchange.open({
      data: dir,
      clock: () => nowMs++,
      snapshotEveryCommands: SETUP.length + 1,
      onFatal: (error) => fatal.push(error),
    });
    const metrics = new Metrics(exchange);
    for (const command of SETUP) await exchange.submit(command);
    const order = {
      type: "order.new",
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      side: "buy",
      orderType: "limit",
      price: 13_000_000,
      quantity: 1000,
    } as const;
    await exchange.submit({ ...order, orderId: "AKTAU-1~b1" }); // the first snapshot, of a sound state
    // Hashed on another thread after the batch is released, then saved.
    await expect.poll(async () => (await exchange.store.snapshots()).map((s) => s.seq)).toEqual([SETUP.length + 1]);

    breakEngine(exchange.engine, "AKTAU-1~b1");
    const batch = Array.from({ length: SETUP.length + 1 }, () => exchange.submit({ type: "time.tick" }));
    for (const result of await Promise.allSettled(batch)) expect(result.status).toBe("rejected");
    expect(exchange.invariantAlarm).toMatchObject({
      where: "snapshot",
      message: "invariant: order AKTAU-1~b1 in book has status filled",
    });
    expect((await exchange.store.snapshots()).map((s) => s.seq)).toEqual([SETUP.length + 1]);
    expect(await exchange.store.maxSeq()).toBe(SETUP.length + 1);
    await expect(exchange.submit({ type: "time.tick" })).rejects.toThrow(WritesStoppedError);
    // Not the journal's failure: the process is not told to stop, the read side stays up.
    expect(fatal).toEqual([]);
    expect(exchange.projections.accounts.order("AKTAU-1~b1")?.status).toBe("resting");
    expect(await metrics.render()).toContain("sauda_writes_stopped 1");
    await exchange.close();
  });
});
