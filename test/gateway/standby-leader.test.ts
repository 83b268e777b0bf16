/**
 * Standbys of one SQLite journal in this process (each exchange with its own leadership, as `sauda serve` makes them):
 * when the leader stops and one standby takes over, the other hears of its new leader once (`onLeaderChange`, which
 * `sauda serve` logs) and forwards changes to it. The third node's leadership never takes the lock, so which standby
 * takes over is decided by the test, not by timing.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Exchange } from "../../src/gateway/exchange.ts";
import type { JournalLeadership, LeaderInfo } from "../../src/journal/leadership.ts";
import { SqliteLeadership } from "../../src/journal/sqlite-leadership.ts";
import { sqliteFile } from "../../src/journal/sqlite-store.ts";

const T0 = Date.UTC(2026, 11, 7, 4, 0, 0);
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const closable of opened.splice(0).reverse()) await closable.close();
});

/** A leadership that reads the journal's leader but never takes the lock: its node stays a follower. */
function neverLeads(file: string, url: string): JournalLeadership {
  const reader = new SqliteLeadership({ file, node: "never" });
  return {
    epoch: null,
    advertisedUrl: url,
    tryEveryMs: 10,
    tryLead: async () => null,
    leader: () => reader.leader(),
    onLost: () => undefined,
    onSuspended: () => undefined,
    onRegained: () => undefined,
    confirm: async () => {
      throw new Error("never leads");
    },
    close: () => reader.close(),
  };
}

describe("standbys of a SQLite journal", () => {
  it("a standby that did not take over hears of the new leader once, and names it as the leader to forward to", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-standby-leader-"));
    const file = sqliteFile(dir);
    const leadA = new SqliteLeadership({ file, node: "a" });
    leadA.advertise("http://a.test");
    expect(leadA.tryLock()).toBe(true);
    const a = await Exchange.open({ data: dir, clock: () => T0, snapshotEveryMs: 0 });
    a.holdLeadership(leadA, (await leadA.tryLead())!);
    opened.push(a);

    const b = await Exchange.open({ data: dir, follower: true, keys: a.keys, clock: () => T0, snapshotEveryMs: 0 });
    opened.push(b);
    const leadB = new SqliteLeadership({ file, node: "b" });
    leadB.advertise("http://b.test");
    await b.runForLeader(leadB);
    expect(b.role).toBe("follower");

    const c = await Exchange.open({ data: dir, follower: true, keys: a.keys, clock: () => T0, snapshotEveryMs: 0 });
    opened.push(c);
    const heard: LeaderInfo[] = [];
    c.onLeaderChange((leader) => heard.push(leader));
    await c.runForLeader(neverLeads(file, "http://c.test"));
    expect(c.leaderUrl).toBe("http://a.test");

    await a.close(); // gives the lock up
    await expect.poll(() => b.role, { timeout: 10_000, interval: 10 }).toBe("leader");
    await expect.poll(() => heard.length, { timeout: 10_000, interval: 20 }).toBe(1);
    expect(heard[0]).toMatchObject({ epoch: 2, node: "b", url: "http://b.test" });
    expect(c.leaderUrl).toBe("http://b.test");
    expect(c.role).toBe("follower");
  });
});
