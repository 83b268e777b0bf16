/**
 * The snapshot threads fed by the journal's writer (JournalStore.follow, journal/snapshot-thread.ts AppendFeed): on
 * SQLite both threads take the records of each append as the writer commits it, instead of reading them back, and what
 * they snapshot from them is the leader's state at the same seq — with appends of several records each, whose fields
 * sit one after another in the writer's buffer.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Command } from "../../src/engine/commands.ts";
import { Exchange } from "../../src/gateway/exchange.ts";
import { SETUP, T0 } from "../support/server.ts";
import { capturedViews, restingAndCrossingOrders } from "../support/view-fixtures.ts";

/** Commands submitted together: the sequencer makes appends of several records of them. */
const GROUP = 25;
const WAIT = { timeout: 60_000, interval: 20 };

function open(dir: string, keys?: Exchange["keys"]): Promise<Exchange> {
  return Exchange.open({
    data: dir,
    clock: () => T0,
    snapshotEveryMs: 0,
    snapshotEveryCommands: 100,
    engineSnapshotEveryRecords: 20,
    viewSnapshotEveryRecords: 100,
    ...(keys === undefined ? {} : { keys }),
  });
}

async function inGroups(exchange: Exchange, commands: readonly Command[]): Promise<void> {
  for (let i = 0; i < commands.length; i += GROUP) {
    await Promise.all(commands.slice(i, i + GROUP).map((command) => exchange.submit(command)));
  }
}

describe("the snapshot threads fed by the journal's writer", () => {
  it("take appends of several records as they commit, and snapshot the leader's engine and read models at the same seq", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-append-feed-"));
    const exchange = await open(dir);
    let closed = false;
    try {
      for (const command of SETUP) await exchange.submit(command);
      const orders = restingAndCrossingOrders(400);
      // Past half of each thread's interval: both start, load, and then follow.
      await inGroups(exchange, orders.slice(0, 100));
      await expect.poll(() => exchange.engineSnapshotThread?.following ?? false, WAIT).toBe(true);
      await expect.poll(() => exchange.viewSnapshotThread !== null, WAIT).toBe(true);
      await exchange.viewSnapshotThread!.ready;
      await inGroups(exchange, orders.slice(100));
      const head = exchange.engine.lastSeq;
      expect(head).toBe(SETUP.length + 400);

      const engineThread = exchange.engineSnapshotThread!;
      expect(await engineThread.snapshot(head)).toBe(head);
      expect((await exchange.store.loadSnapshot(head))!.data).toBe(JSON.stringify(exchange.engine.snapshot()));
      // Most of the 300 records after the thread followed came from the writer (a head taken before its append and
      // not followed by it within a turn of the thread's event loop is read back instead).
      expect(engineThread.fedRecords).toBeGreaterThan(150);

      await exchange.snapshotViews();
      const viewThread = exchange.viewSnapshotThread!;
      expect(viewThread.savedSeq).toBe(head);
      expect(viewThread.fedRecords).toBeGreaterThan(150);
      const saved = (await exchange.store.loadViewSnapshot())!;
      expect(saved.seq).toBe(head);
      expect(saved.recordHash).toBe((await exchange.store.head())!.hash);
      const leaderViews = capturedViews(exchange);
      const keys = exchange.keys;
      await exchange.close();
      closed = true;

      // A start from the thread's snapshots replays nothing and holds the leader's read models.
      const restarted = await open(dir, keys);
      try {
        expect(restarted.start.viewsReplayed).toBe(0);
        expect(restarted.start.snapshotSeq).toBe(head);
        expect(capturedViews(restarted)).toStrictEqual(leaderViews);
      } finally {
        await restarted.close();
      }
    } finally {
      if (!closed) await exchange.close();
    }
  });
});
