/**
 * The leadership of a SQLite journal (sqlite-leadership.ts): one holder of the lock at a time, the epoch bumped by
 * each new leader with its URL published, appends fenced by the epoch, and a follower told of appends made by another
 * connection. Several connections in this one process stand for the processes of a machine: SQLite keeps their locks
 * apart as it does between processes. test/ha-sqlite.test.ts kills real processes.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chainRecords, type JournalRecord } from "./records.ts";
import { SqliteLeadership } from "./sqlite-leadership.ts";
import { SqliteStore, sqliteFile } from "./sqlite-store.ts";

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const closable of opened.splice(0).reverse()) await closable.close();
});

function journalFile(): string {
  return sqliteFile(mkdtempSync(join(tmpdir(), "sauda-sqlite-lead-")));
}

function leadership(file: string, node: string, url: string): SqliteLeadership {
  const lead = new SqliteLeadership({ file, node, clock: () => 1_767_600_000_000 });
  lead.advertise(url);
  opened.push(lead);
  return lead;
}

function store(file: string): SqliteStore {
  const opening = new SqliteStore(file);
  opened.push(opening);
  return opening;
}

/** `count` records after `from` (the journal's head) that continue its chain. */
function records(from: { seq: number; hash: string }, count: number): JournalRecord[] {
  return chainRecords(
    from.hash,
    Array.from({ length: count }, (_, i) => ({
      seq: from.seq + 1 + i,
      timeMs: 1_767_600_000_000 + i,
      meta: "{}",
      command: JSON.stringify({ type: "test", n: from.seq + 1 + i }),
      events: "[]",
    })),
  );
}

const GENESIS = { seq: 0, hash: "0".repeat(64) };

describe("leadership of a SQLite journal", () => {
  it("lets one process hold the lock; the next takes it once given up, in the next epoch, with its URL", async () => {
    const file = journalFile();
    const a = leadership(file, "a", "http://127.0.0.1:7001");
    const b = leadership(file, "b", "http://127.0.0.1:7002");
    expect(await b.leader()).toBe(null);
    expect(await a.tryLead()).toBe(1);
    expect(await b.tryLead()).toBe(null);
    expect(b.holdsLock).toBe(false);
    expect(await b.leader()).toEqual({ epoch: 1, node: "a", url: "http://127.0.0.1:7001", sinceMs: 1_767_600_000_000 });
    // Asked again, the leader keeps its epoch; the standby is still refused.
    expect(await a.tryLead()).toBe(1);
    expect(await b.tryLead()).toBe(null);
    await a.close();
    expect(await b.tryLead()).toBe(2);
    expect(await b.leader()).toMatchObject({ epoch: 2, node: "b", url: "http://127.0.0.1:7002" });
    // A third process finds it held again.
    const c = leadership(file, "c", "http://127.0.0.1:7003");
    expect(c.tryLock()).toBe(false);
  });

  it("refuses an append of a leader whose epoch another has taken, and writes nothing of it", async () => {
    const file = journalFile();
    const a = leadership(file, "a", "http://127.0.0.1:7001");
    const journal = store(file);
    expect(await journal.writerReady()).toBe(true);
    const epoch = (await a.tryLead())!;
    journal.fence(epoch);
    const first = records(GENESIS, 3);
    await journal.append(first);
    expect((await journal.head())?.seq).toBe(3);
    // Another node takes the leadership (here: the lock given up without the process ending, the epoch bumped).
    await a.close();
    const b = leadership(file, "b", "http://127.0.0.1:7002");
    expect(await b.tryLead()).toBe(epoch + 1);
    const head = { seq: 3, hash: first[2]!.hash };
    await expect(journal.append(records(head, 2))).rejects.toMatchObject({
      code: "SAUDA_NOT_LEADER",
      message: `this node's leader epoch ${epoch} is no longer the journal's (${epoch + 1}): another node leads it`,
    });
    await expect(journal.appendChained(head.hash, records(head, 2))).rejects.toMatchObject({
      code: "SAUDA_NOT_LEADER",
    });
    expect(await journal.head()).toMatchObject(head);
    expect(await journal.maxSeq()).toBe(3);
    // The new leader, fenced by its own epoch, goes on from the head.
    const successor = store(file);
    expect(await successor.writerReady()).toBe(true);
    successor.fence(epoch + 1);
    await successor.append(records(head, 2));
    expect((await successor.head())?.seq).toBe(5);
  });

  it("fences appends written on the caller's thread too, before the writer thread is ready", async () => {
    const file = journalFile();
    const a = leadership(file, "a", "http://127.0.0.1:7001");
    expect(await a.tryLead()).toBe(1);
    await a.close();
    const b = leadership(file, "b", "http://127.0.0.1:7002");
    expect(await b.tryLead()).toBe(2);
    // Asked at once after opening, the store writes here: its writer thread has not said it is ready yet.
    const journal = store(file);
    journal.fence(1);
    const appending = journal.append(records(GENESIS, 2));
    await expect(appending).rejects.toMatchObject({ code: "SAUDA_NOT_LEADER" });
    expect(await journal.writerReady()).toBe(true);
    expect(await journal.maxSeq()).toBe(0);
    journal.fence(2);
    await journal.append(records(GENESIS, 2));
    expect(await journal.maxSeq()).toBe(2);
  });

  it("tells a follower of each append another connection commits, and reads head and last seq at one moment", async () => {
    const file = journalFile();
    const leader = store(file);
    const follower = store(file);
    const heard: number[] = [];
    let wake: (() => void) | null = null;
    const stop = await follower.listen(
      (seq) => {
        heard.push(seq);
        wake?.();
      },
      (error) => {
        throw error;
      },
    );
    const until = async (seq: number) => {
      while (heard.at(-1) !== seq) await new Promise<void>((resolve) => (wake = resolve));
    };
    const first = records(GENESIS, 2);
    await leader.append(first);
    await until(2);
    await leader.append(records({ seq: 2, hash: first[1]!.hash }, 3));
    await until(5);
    await stop();
    expect(heard.filter((seq) => seq > 0)).toEqual([2, 5]);
    expect(await follower.headAndMaxSeq()).toMatchObject({ head: { seq: 5 }, maxSeq: 5 });
  });
});
