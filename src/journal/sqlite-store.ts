/**
 * The embedded journal store: one SQLite file (better-sqlite3) in WAL mode with `synchronous = FULL`, so a
 * committed transaction survives a crash of the process or the machine. better-sqlite3 is synchronous; its calls
 * are wrapped in promises to fit the common interface, and they block the event loop only for the write itself.
 */

import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import type { JournalHead, JournalRecord, SnapshotRecord } from "./records.ts";
import type { JournalStore, SnapshotInfo } from "./store.ts";

export const SQLITE_FILE_NAME = "sauda.sqlite";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS journal (
  seq INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  meta TEXT NOT NULL,
  command TEXT NOT NULL,
  events TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS journal_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
  seq INTEGER PRIMARY KEY,
  state_hash TEXT NOT NULL,
  record_hash TEXT NOT NULL,
  data TEXT NOT NULL,
  data_hash TEXT NOT NULL
);
`;

interface RecordRow {
  seq: number;
  time_ms: number;
  meta: string;
  command: string;
  events: string;
  hash: string;
}

interface SnapshotRow {
  seq: number;
  state_hash: string;
  record_hash: string;
  data: string;
  data_hash: string;
}

export class SqliteStore implements JournalStore {
  readonly kind = "sqlite";
  readonly location: string;
  private readonly db: Database.Database;
  private readonly insertRecord: Database.Statement<[number, number, string, string, string, string]>;
  private readonly writeHead: Database.Statement<[number, string]>;
  private readonly appendBatch: (records: readonly JournalRecord[]) => void;

  /** Opens (creating if needed) the journal in `dataDir`/sauda.sqlite, or at `file` when it ends in .sqlite. */
  constructor(dataDirOrFile: string) {
    const file = dataDirOrFile.endsWith(".sqlite") ? dataDirOrFile : join(dataDirOrFile, SQLITE_FILE_NAME);
    mkdirSync(dirname(file), { recursive: true });
    this.location = file;
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(SCHEMA);
    this.insertRecord = this.db.prepare(
      "INSERT INTO journal (seq, time_ms, meta, command, events, hash) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.writeHead = this.db.prepare(
      "INSERT INTO journal_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    );
    this.appendBatch = this.db.transaction((records: readonly JournalRecord[]) => {
      for (const r of records) this.insertRecord.run(r.seq, r.timeMs, r.meta, r.command, r.events, r.hash);
      const last = records[records.length - 1]!;
      this.writeHead.run(last.seq, last.hash);
    });
  }

  async head(): Promise<JournalHead | null> {
    const row = this.db.prepare("SELECT seq, hash FROM journal_head WHERE id = 1").get() as JournalHead | undefined;
    return row ?? null;
  }

  async append(records: readonly JournalRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.appendBatch(records);
  }

  async read(fromSeq: number, limit: number): Promise<JournalRecord[]> {
    const rows = this.db
      .prepare("SELECT seq, time_ms, meta, command, events, hash FROM journal WHERE seq >= ? ORDER BY seq LIMIT ?")
      .all(fromSeq, limit) as RecordRow[];
    return rows.map((row) => ({
      seq: row.seq,
      timeMs: row.time_ms,
      meta: row.meta,
      command: row.command,
      events: row.events,
      hash: row.hash,
    }));
  }

  async maxSeq(): Promise<number> {
    const row = this.db.prepare("SELECT MAX(seq) AS seq FROM journal").get() as { seq: number | null };
    return row.seq ?? 0;
  }

  async saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    this.db
      .prepare(
        "INSERT OR REPLACE INTO snapshots (seq, state_hash, record_hash, data, data_hash) VALUES (?, ?, ?, ?, ?)",
      )
      .run(snapshot.seq, snapshot.stateHash, snapshot.recordHash, snapshot.data, snapshot.dataHash);
  }

  async snapshots(): Promise<SnapshotInfo[]> {
    const rows = this.db.prepare("SELECT seq, state_hash FROM snapshots ORDER BY seq DESC").all() as SnapshotRow[];
    return rows.map((row) => ({ seq: row.seq, stateHash: row.state_hash }));
  }

  async loadSnapshot(seq: number): Promise<SnapshotRecord | null> {
    const row = this.db.prepare("SELECT * FROM snapshots WHERE seq = ?").get(seq) as SnapshotRow | undefined;
    if (!row) return null;
    return {
      seq: row.seq,
      stateHash: row.state_hash,
      recordHash: row.record_hash,
      data: row.data,
      dataHash: row.data_hash,
    };
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** For tests that damage the journal on purpose: run raw SQL. */
  unsafeExec(sql: string): void {
    this.db.exec(sql);
  }
}
