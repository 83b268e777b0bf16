/**
 * An exchange that serves before its read models are loaded (`deferViews`): it takes and acknowledges commands
 * durably as soon as the engine is recovered, refuses every read of the read models with VIEWS_LOADING (503,
 * Retry-After) while their snapshot's restore is held (a gate), keeps the batches made durable meanwhile in order and
 * gives them to the read models and to the listeners once loaded; the read models it ends with are exactly those of a
 * start that waited (every field compared). A snapshot that does not check out is rebuilt from record 1 behind serving,
 * losing nothing; the commands kept for the read models are bounded (refused at the limit, accepted below it).
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Exchange, type ExchangeOptions, ViewsLoadingError } from "../../src/gateway/exchange.ts";
import { viewsLoadingProblem } from "../../src/gateway/server.ts";
import { openJournalDatabase } from "../../src/journal/sqlite-store.ts";
import { INSTRUMENT, SETUP, T0, TestServer } from "../support/server.ts";
import {
  capturedViews,
  copyWithoutViewSnapshots,
  damageNewestViewSnapshot,
  gate,
  restingAndCrossingOrders,
} from "../support/view-fixtures.ts";

const RECORDS = 250;
const VIEW_SNAPSHOT_AT = 200;

/** A journal of RECORDS records with a snapshot of the read models at 200 (engine snapshots every 100); left open. */
async function journal(): Promise<{ dir: string; writer: Exchange }> {
  const dir = mkdtempSync(join(tmpdir(), "sauda-deferred-views-"));
  // No snapshot thread (0): the snapshot of the read models is taken here, at 200, deterministically.
  const writer = await Exchange.open({
    data: dir,
    clock: () => T0,
    snapshotEveryMs: 0,
    snapshotEveryCommands: 100,
    viewSnapshotEveryRecords: 0,
  });
  const commands = [...SETUP, ...restingAndCrossingOrders(RECORDS - SETUP.length)];
  for (const command of commands.slice(0, VIEW_SNAPSHOT_AT)) await writer.submit(command);
  await writer.snapshotViews();
  expect((await writer.store.loadViewSnapshot())?.seq).toBe(VIEW_SNAPSHOT_AT);
  for (const command of commands.slice(VIEW_SNAPSHOT_AT)) await writer.submit(command);
  expect(writer.health().seq).toBe(RECORDS);
  return { dir, writer };
}

/** A start on a copy of the journal without snapshots of the read models: it waits for them, replaying every record. */
function waitingStart(dir: string, keys: Exchange["keys"]): Promise<Exchange> {
  return Exchange.open({
    data: copyWithoutViewSnapshots(dir, "sauda-deferred-views-copy-"),
    clock: () => T0,
    keys,
    snapshotEveryMs: 0,
    viewSnapshotEveryRecords: 0,
  });
}

/**
 * Expects `exchange`'s read models to equal those of a start on a copy of its journal that waited for them (replaying
 * every record); returns how many records that start replayed into them.
 */
async function sameViewsAsWaitingStart(exchange: Exchange, dir: string, keys: Exchange["keys"]): Promise<number> {
  const waited = await waitingStart(dir, keys);
  try {
    expect(waited.viewsState).toBe("ready");
    expect(capturedViews(exchange)).toStrictEqual(capturedViews(waited));
    return waited.start.viewsReplayed;
  } finally {
    await waited.close();
  }
}

function deferred(dir: string, keys: Exchange["keys"], extra: Partial<ExchangeOptions> = {}): Promise<Exchange> {
  return Exchange.open({
    data: dir,
    clock: () => T0,
    keys,
    snapshotEveryMs: 0,
    viewSnapshotEveryRecords: 0,
    deferViews: true,
    ...extra,
  });
}

describe("serving while the read models load", () => {
  it("acknowledges commands durably, refuses reads, then ends with the read models of a start that waited", async () => {
    const { dir, writer } = await journal();
    const held = gate();
    const exchange = await deferred(dir, writer.keys, { viewsGate: held.hold });
    const heard: number[][] = [];
    exchange.onOutcomes((batch) => heard.push(batch.map((outcome) => outcome.seq)));
    try {
      expect(exchange.health()).toEqual({
        role: "leader",
        seq: RECORDS,
        lagMs: 0,
        journalCheck: exchange.journalCheck,
        views: "loading",
        viewsSeq: 0,
      });
      expect(() => exchange.projections).toThrow(ViewsLoadingError);
      expect(() => exchange.surveillance).toThrow("the exchange's read models are loading (record 0 of 250)");
      // A resting sell, then a buy that crosses it: both durable and acknowledged while the read models are held.
      const [sell, buy] = restingAndCrossingOrders(2, "late-");
      const first = await exchange.submit(sell!);
      const second = await exchange.submit(buy!);
      expect([first.seq, second.seq]).toEqual([RECORDS + 1, RECORDS + 2]);
      expect(first.events.map((event) => event.type)).toContain("order.accepted");
      expect(second.events.map((event) => event.type)).toContain("order.accepted");
      // The refusal an HTTP client gets: 503, how far the read models are, Retry-After.
      let refusal: unknown = null;
      try {
        void exchange.projections.accounts;
      } catch (error) {
        refusal = error;
      }
      const problem = viewsLoadingProblem(refusal as ViewsLoadingError);
      expect(problem.code).toBe("VIEWS_LOADING");
      expect(problem.details).toEqual({ seq: 0, head: RECORDS + 2 });
      expect(problem.headers).toEqual({ "retry-after": "1" });
      expect(heard).toEqual([]);
      expect(exchange.health()).toMatchObject({ seq: RECORDS + 2, views: "loading" });

      held.release();
      expect(await exchange.viewsReady()).toBe("ready");
      expect(exchange.health()).toMatchObject({ seq: RECORDS + 2, views: "ready", viewsSeq: RECORDS + 2 });
      // The listeners heard the batches made durable meanwhile, in order, once the read models had taken them.
      expect(heard).toEqual([[RECORDS + 1], [RECORDS + 2]]);
      expect(exchange.start).toEqual({
        snapshotSeq: 200,
        replayed: 50,
        viewSnapshotSeq: VIEW_SNAPSHOT_AT,
        viewsReplayed: RECORDS - VIEW_SNAPSHOT_AT,
      });
      expect(exchange.projections.accounts.order("late-1")).toMatchObject({ acceptedSeq: RECORDS + 2 });

      expect(await sameViewsAsWaitingStart(exchange, dir, writer.keys)).toBe(RECORDS + 2);
    } finally {
      held.release();
      await exchange.close();
      await writer.close();
    }
  });

  it("a snapshot that does not check out: rebuilt from record 1 behind serving, nothing lost", async () => {
    const { dir, writer } = await journal();
    damageNewestViewSnapshot(dir);
    const held = gate();
    const exchange = await deferred(dir, writer.keys, { viewsGate: held.hold });
    try {
      const [sell] = restingAndCrossingOrders(1, "late-");
      expect((await exchange.submit(sell!)).seq).toBe(RECORDS + 1);
      held.release();
      expect(await exchange.viewsReady()).toBe("ready");
      expect(exchange.start.viewSnapshotSeq).toBe(0);
      expect(exchange.start.viewsReplayed).toBe(RECORDS);
      expect(exchange.warnings).toContain(
        "the snapshot of the read models at 200 was not used (its data does not match its hash); they were rebuilt from the journal",
      );
      expect(exchange.projections.lastSeq).toBe(RECORDS + 1);
      expect(await sameViewsAsWaitingStart(exchange, dir, writer.keys)).toBe(RECORDS + 1);
    } finally {
      held.release();
      await exchange.close();
      await writer.close();
    }
  });

  it("keeps at most viewsPendingOutcomesMax outcomes for the loading read models: the next change is refused", async () => {
    const { dir, writer } = await journal();
    const held = gate();
    const exchange = await deferred(dir, writer.keys, { viewsGate: held.hold, viewsPendingOutcomesMax: 2 });
    try {
      const [a, b, c] = restingAndCrossingOrders(3, "late-");
      await exchange.submit(a!);
      await exchange.submit(b!);
      await expect(exchange.submit(c!)).rejects.toThrow(ViewsLoadingError);
      // Refused before the sequencer: nothing was written.
      expect(exchange.health().seq).toBe(RECORDS + 2);
      held.release();
      expect(await exchange.viewsReady()).toBe("ready");
      expect((await exchange.submit(c!)).seq).toBe(RECORDS + 3);
      expect(exchange.projections.lastSeq).toBe(RECORDS + 3);
    } finally {
      held.release();
      await exchange.close();
      await writer.close();
    }
  });

  it("over HTTP: health says loading then ready; reads answer 503 VIEWS_LOADING with Retry-After until ready", async () => {
    const server = await TestServer.start();
    const held = gate();
    try {
      for (const command of restingAndCrossingOrders(6)) await server.exchange.submit(command);
      const trader = await server.apiKey("aktau-trader");
      const head = server.exchange.health().seq;
      await server.close(); // a clean stop: the read models are snapshotted at the head
      openJournalDatabase(join(server.dir, "sauda.sqlite")).exec("DELETE FROM identity_snapshots").close();
      server.exchangeOptions = { deferViews: true, viewsGate: held.hold };
      await server.open();
      expect((await server.call(null, "GET", "/api/health")).body).toMatchObject({ seq: head, views: "loading" });
      const refused = await server.call(null, "GET", "/api/instruments");
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(refused.body.error).toMatchObject({ code: "VIEWS_LOADING", details: { seq: 0, head } });
      expect(refused.body.error.message).toBe(
        `The exchange's views (accounts, users, market data, audit) are loading after a restart: record 0 of ${head}; what needs them is refused until they are ready, try again shortly.`,
      );
      // An order too, here: this data directory has no identity snapshot (no snapshot by count, `identity.test.ts`
      // covers one), so its sender cannot be authenticated before the read models are loaded.
      expect(server.exchange.identityReady).toBe(false);
      const order = {
        instrument: INSTRUMENT,
        account: "AKTAU-1",
        clientOrderId: "while-loading",
        side: "buy",
        type: "limit",
        price: 13_300_000,
        quantity: 1000,
      };
      const orderRefused = await trader("POST", "/api/orders", order);
      expect(orderRefused.status).toBe(503);
      expect(orderRefused.body.error.code).toBe("VIEWS_LOADING");
      expect(server.exchange.health().seq).toBe(head);
      held.release();
      expect(await server.exchange.viewsReady()).toBe("ready");
      expect((await server.call(null, "GET", "/api/health")).body).toMatchObject({
        seq: head,
        views: "ready",
        viewsSeq: head,
      });
      const served = await server.call(null, "GET", "/api/instruments");
      expect(served.status).toBe(200);
      const placed = await trader("POST", "/api/orders", order);
      expect(placed.status).toBe(201);
      expect(placed.body.seq).toBe(head + 1);
    } finally {
      held.release();
      await server.close();
    }
  });
});
