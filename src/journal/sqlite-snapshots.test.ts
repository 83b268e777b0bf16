/**
 * The SQLite journal's snapshots file (sqlite-store.ts `snapshotsFile`): a snapshot being saved never holds an append
 * up, and a journal file from before it has its snapshots moved into it on open.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { UnchainedRecord } from "./records.ts";
import { SQLITE_FILE_NAME, SqliteStore, snapshotsFile } from "./sqlite-store.ts";

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);
const GENESIS = "0".repeat(64);

function tick(seq: number): UnchainedRecord {
  return { seq, timeMs: T0 + seq, meta: "{}", command: '{"type":"time.tick"}', events: "[]" };
}

describe("the SQLite journal's snapshots file", () => {
  it("appends commit while another connection holds the snapshots file's write lock; a save waits for it alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-snapshots-file-"));
    const store = new SqliteStore(dir);
    expect(await store.writerReady()).toBe(true);
    // Another store saving a large snapshot, as a snapshot thread's does: it holds the snapshots file's write lock.
    const holder = new Database(snapshotsFile(join(dir, SQLITE_FILE_NAME)));
    holder.exec("BEGIN IMMEDIATE");
    let saved = false;
    const saving = store
      .saveViewSnapshot({ seq: 1, recordHash: "a".repeat(64), data: Buffer.from("views"), dataHash: "b".repeat(64) })
      .then(() => {
        saved = true;
      });
    // Three appends, one after another, each durable while the lock is held and the save waits.
    let hash = GENESIS;
    for (const seq of [1, 2, 3]) hash = await store.appendChained(hash, [tick(seq)]);
    expect(await store.head()).toEqual({ seq: 3, hash, mac: null });
    expect(saved).toBe(false);
    holder.exec("COMMIT");
    await saving;
    expect((await store.loadViewSnapshot())?.seq).toBe(1);
    holder.close();
    await store.close();
  });

  it("a journal file from before it has its snapshots moved into it on open, once, with their MACs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-snapshots-legacy-"));
    const file = join(dir, SQLITE_FILE_NAME);
    // The tables as the oldest files had them: no MAC columns on the head and the engine's snapshots.
    const old = new Database(file);
    old.exec(`
      CREATE TABLE journal (seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, meta TEXT NOT NULL,
        command TEXT NOT NULL, events TEXT NOT NULL, hash TEXT NOT NULL);
      CREATE TABLE journal_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
      CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, state_hash TEXT NOT NULL, record_hash TEXT NOT NULL,
        data TEXT NOT NULL, data_hash TEXT NOT NULL);
      CREATE TABLE view_snapshots (seq INTEGER PRIMARY KEY, record_hash TEXT NOT NULL, data BLOB NOT NULL,
        data_hash TEXT NOT NULL, mac TEXT);
      CREATE TABLE identity_snapshots (seq INTEGER PRIMARY KEY, record_hash TEXT NOT NULL, data BLOB NOT NULL,
        data_hash TEXT NOT NULL, mac TEXT);
    `);
    old.prepare("INSERT INTO snapshots VALUES (?, ?, ?, ?, ?)").run(7, "s".repeat(64), "r".repeat(64), "{}", "d");
    old.prepare("INSERT INTO snapshots VALUES (?, ?, ?, ?, ?)").run(9, "t".repeat(64), "r".repeat(64), "{}", "d");
    old.prepare("INSERT INTO view_snapshots VALUES (?, ?, ?, ?, ?)").run(9, "r", Buffer.from([1, 2]), "h", "mac-v");
    old.prepare("INSERT INTO identity_snapshots VALUES (?, ?, ?, ?, ?)").run(8, "r", Buffer.from([3]), "i", "mac-i");
    old.close();
    for (const _ of [1, 2]) {
      const store = new SqliteStore(dir);
      expect(await store.snapshots()).toEqual([
        { seq: 9, stateHash: "t".repeat(64) },
        { seq: 7, stateHash: "s".repeat(64) },
      ]);
      expect(await store.loadSnapshot(7)).toMatchObject({ data: "{}", dataHash: "d", mac: null });
      expect(await store.loadViewSnapshot()).toMatchObject({ seq: 9, dataHash: "h", mac: "mac-v" });
      expect([...((await store.loadViewSnapshot())?.data ?? [])]).toEqual([1, 2]);
      expect(await store.loadIdentitySnapshot()).toMatchObject({ seq: 8, dataHash: "i", mac: "mac-i" });
      await store.close();
    }
    // The journal's file holds no snapshot table any more: they are in the snapshots file only.
    const journalFile = new Database(file, { readonly: true });
    const tables = journalFile.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck();
    expect(tables.all()).toEqual(["journal", "journal_head", "leader"]);
    journalFile.close();
    const snapshots = new Database(snapshotsFile(file), { readonly: true });
    expect(snapshots.prepare("SELECT count(*) FROM snapshots").pluck().get()).toBe(2);
    snapshots.close();
  });
});
