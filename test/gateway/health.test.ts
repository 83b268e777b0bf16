/**
 * GET /api/health on a single node (SQLite: always the leader, never behind), and snapshots by time: a leader that
 * took commands since its last snapshot writes one every `SNAPSHOT_EVERY_MS`, and one that took none writes none.
 * (Followers and takeover on PostgreSQL: test/ha.test.ts.)
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Exchange, SNAPSHOT_EVERY_MS } from "../../src/gateway/exchange.ts";
import type { SqliteStore } from "../../src/journal/sqlite-store.ts";
import { SETUP, T0, TestServer } from "../support/server.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("GET /api/health", () => {
  it("answers the leader role, the last durable record and no lag on a single node", async () => {
    const server = await TestServer.start();
    try {
      const seq = server.exchange.health().seq;
      expect(seq).toBeGreaterThan(SETUP.length);
      const reply = await server.call(null, "GET", "/api/health");
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        role: "leader",
        seq,
        lagMs: 0,
        journalCheck: "passed",
        views: "ready",
        viewsSeq: seq,
      });
      expect(reply.headers.get("cache-control")).toBe("no-store");
    } finally {
      await server.close();
    }
  });
});

describe("snapshots by time", () => {
  it("writes a snapshot of the head every SNAPSHOT_EVERY_MS when commands came, and none when none came", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const dir = mkdtempSync(join(tmpdir(), "sauda-snapshot-time-"));
    // Without the engine's snapshot thread (the first snapshot by time would start it, and it would take the later
    // ones through a store connection of its own): these are the leader's (engine-snapshot-thread.test.ts has the
    // thread's).
    const exchange = await Exchange.open({ data: dir, clock: () => T0, engineSnapshotEveryRecords: 0 });
    const store = exchange.store as SqliteStore;
    const saves = vi.spyOn(store, "saveSnapshot");
    try {
      for (const command of SETUP.slice(0, 3)) await exchange.submit(command);
      expect(await store.snapshots()).toEqual([]);
      vi.advanceTimersByTime(SNAPSHOT_EVERY_MS - 1);
      expect(await store.snapshots()).toEqual([]);
      vi.advanceTimersByTime(1);
      await vi.waitFor(async () => expect((await store.snapshots()).map((s) => s.seq)).toEqual([3]));
      expect(saves).toHaveBeenCalledTimes(1);
      // Nothing came since: the next period writes nothing.
      vi.advanceTimersByTime(SNAPSHOT_EVERY_MS);
      await exchange.submit(SETUP[3]!);
      expect(saves).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(SNAPSHOT_EVERY_MS);
      await vi.waitFor(async () => expect((await store.snapshots()).map((s) => s.seq)).toEqual([4, 3]));
      expect(saves).toHaveBeenCalledTimes(2);
    } finally {
      await exchange.close();
    }
  });
});
