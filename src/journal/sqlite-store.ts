/**
 * The embedded journal store: one SQLite file (better-sqlite3) in WAL mode with `synchronous = FULL`, so a
 * committed transaction survives a crash of the process or the machine.
 *
 * Writes (`append`, `saveSnapshot`) go to a writer thread (sqlite-writer.js) with its own connection, one at a time in
 * the order they were asked for; each resolves once its transaction has committed. better-sqlite3 is synchronous, so
 * doing them here would block the event loop for the inserts and the fsync; in the writer thread they overlap with the
 * sequencer applying the next batch. Reads run on this thread's own connection and see every committed write (WAL
 * lets one writer and many readers work at once).
 *
 * The writer thread is started with the store and takes some tens of milliseconds to open its connection; until it
 * has (or if it cannot start at all), writes run synchronously here, as they always did. The switch is one way and
 * happens between writes: a synchronous write has finished before the first write is handed to the thread, so writes
 * never overlap and stay in order.
 */

import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { type MessagePort, Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import {
  chainRecords,
  dataHash,
  headMac,
  type IdentitySnapshotRecord,
  identitySnapshotMac,
  type JournalHead,
  type JournalRecord,
  type SnapshotRecord,
  snapshotMac,
  type UnchainedRecord,
  type ViewSnapshotRecord,
  viewSnapshotMac,
} from "./records.ts";
import {
  type AppendedRecords,
  type CheckedPage,
  type DerivedSnapshotMac,
  type DerivedSnapshotTable,
  FOLLOW_SENDING,
  type FollowSending,
  IDENTITY_SNAPSHOTS_KEPT,
  type JournalStore,
  READ_PAGE_RECORDS,
  type ReadCheckedOptions,
  type SnapshotInfo,
  type StoreKeys,
  VIEW_SNAPSHOTS_KEPT,
} from "./store.ts";
import { nameForAThreadStartedHere, THREAD_NAMES } from "./thread-name.js";

export const SQLITE_FILE_NAME = "sauda.sqlite";
/** A follower of a SQLite journal (a standby on the same machine) looks for new records this often. */
export const SQLITE_FOLLOW_POLL_MS = 5;

/**
 * A data directory the exchange makes is its service account's alone (0700): the journal holds every order, the users'
 * password hashes and the sealed API-key secrets. A directory that exists already keeps its mode.
 */
export const DATA_DIRECTORY_MODE = 0o700;

/** The SQLite file of a data directory, or the file itself when given one ending in .sqlite. */
export function sqliteFile(dataDirOrFile: string): string {
  return dataDirOrFile.endsWith(".sqlite") ? dataDirOrFile : join(dataDirOrFile, SQLITE_FILE_NAME);
}

/** Refuses an append of a node whose leader epoch is no longer the journal's (same words as the writer thread's). */
function checkEpoch(fenced: number, current: number | undefined): void {
  if (current !== fenced) {
    throw Object.assign(
      new Error(
        `this node's leader epoch ${fenced} is no longer the journal's (${current ?? "none"}): another node leads it`,
      ),
      { code: "SAUDA_NOT_LEADER" },
    );
  }
}

const JOURNAL_SCHEMA = `
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
  hash TEXT NOT NULL,
  mac TEXT
);
CREATE TABLE IF NOT EXISTS leader (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  epoch INTEGER NOT NULL,
  node TEXT NOT NULL,
  url TEXT NOT NULL,
  since_ms INTEGER NOT NULL
);
`;

/** The snapshot tables, in the snapshots file (attached as `snap`). */
const SNAPSHOT_SCHEMA = `
CREATE TABLE IF NOT EXISTS snap.snapshots (
  seq INTEGER PRIMARY KEY,
  state_hash TEXT NOT NULL,
  record_hash TEXT NOT NULL,
  data TEXT NOT NULL,
  data_hash TEXT NOT NULL,
  mac TEXT
);
CREATE TABLE IF NOT EXISTS snap.view_snapshots (
  seq INTEGER PRIMARY KEY,
  record_hash TEXT NOT NULL,
  data BLOB NOT NULL,
  data_hash TEXT NOT NULL,
  mac TEXT
);
CREATE TABLE IF NOT EXISTS snap.identity_snapshots (
  seq INTEGER PRIMARY KEY,
  record_hash TEXT NOT NULL,
  data BLOB NOT NULL,
  data_hash TEXT NOT NULL,
  mac TEXT
);
`;

/** The snapshot tables, which files before the snapshots file had in the journal's file (moved on open). */
const SNAPSHOT_TABLES = ["snapshots", "view_snapshots", "identity_snapshots"] as const;

/**
 * The snapshots file beside a journal's SQLite file: `sauda.sqlite` → `sauda-snapshots.sqlite`.
 *
 * The snapshots are a file of their own because SQLite lets one connection at a time write a file: a snapshot of the
 * read models (10 MB at 100,000 records) held the journal's write lock for 74–110 ms as it was saved, and an engine
 * snapshot (1–2.6 MB) for 4–32 ms, and every append, and so every acknowledgement, waited behind it (measured:
 * docs/operations.md, "Snapshots in a file of their own"). In their own file, a save and an append never wait for each
 * other; they only share the disk.
 */
export function snapshotsFile(journalFile: string): string {
  return `${journalFile.replace(/\.sqlite$/, "")}-snapshots.sqlite`;
}

/**
 * Opens a journal's SQLite file (creating it and its tables if needed) with its snapshots file attached as `snap`
 * (created too), in WAL mode with full syncs, both: a table's name needs no schema, the snapshot tables being only in
 * `snap`. A file from before the snapshots file has its snapshot tables moved there, once. Used by the store, and by
 * tools and tests that read or change the files directly.
 */
export function openJournalDatabase(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.exec(JOURNAL_SCHEMA);
    const columns = db.prepare("PRAGMA main.table_info(journal_head)").all() as { name: string }[];
    if (!columns.some((c) => c.name === "mac")) db.exec("ALTER TABLE main.journal_head ADD COLUMN mac TEXT");
    db.prepare("ATTACH DATABASE ? AS snap").run(snapshotsFile(file));
    db.pragma("snap.journal_mode = WAL");
    db.pragma("snap.synchronous = FULL");
    db.exec(SNAPSHOT_SCHEMA);
    moveLegacySnapshots(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Opens a journal's SQLite file and its snapshots file read-only, changing nothing of either (no journal mode set, no
 * table made or moved): what `sauda verify` reads a backup or a data directory with, so that checking a copy leaves
 * its bytes as they were. Null when the files are not of the current layout (no snapshots file beside the journal, or
 * a head without its MAC column): those are opened by `openJournalDatabase`, which brings them up to date.
 */
function openJournalDatabaseReadOnly(file: string): Database.Database | null {
  if (!existsSync(file) || !existsSync(snapshotsFile(file))) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const columns = db.prepare("PRAGMA main.table_info(journal_head)").all() as { name: string }[];
    if (!columns.some((c) => c.name === "mac")) {
      db.close();
      return null;
    }
    // An attached file is opened read-only too, as the connection it is attached to.
    db.prepare("ATTACH DATABASE ? AS snap").run(snapshotsFile(file));
    const inSnap = db.prepare("SELECT 1 FROM snap.sqlite_master WHERE type = 'table' AND name = ?").pluck();
    if (SNAPSHOT_TABLES.some((table) => inSnap.get(table) === undefined)) {
      db.close();
      return null;
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Moves the snapshot tables a journal file from before the snapshots file holds into it (`openJournalDatabase`). */
function moveLegacySnapshots(db: Database.Database): void {
  const inMain = db.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?").pluck();
  const legacy = SNAPSHOT_TABLES.filter((table) => inMain.get(table) !== undefined);
  if (legacy.length === 0) return;
  db.transaction(() => {
    for (const table of legacy) {
      // The oldest files' engine snapshots have no mac column: the moved rows get null, as they had.
      const columns = (db.prepare(`PRAGMA main.table_info(${table})`).all() as { name: string }[])
        .map((c) => c.name)
        .join(", ");
      db.exec(`INSERT OR IGNORE INTO snap.${table} (${columns}) SELECT ${columns} FROM main.${table}`);
      db.exec(`DROP TABLE main.${table}`);
    }
  })();
}

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
  mac: string | null;
}

export class SqliteStore implements JournalStore {
  readonly kind = "sqlite";
  readonly location: string;
  private readonly db: Database.Database;
  private readonly readPage: Database.Statement<[number, number], RecordRow>;
  private readonly insertRecord: Database.Statement<[number, number, string, string, string, string]>;
  private readonly writeHead: Database.Statement<[number, string, string | null]>;
  private readonly macKey: Buffer | null;
  private readonly appendHere: (records: readonly JournalRecord[]) => void;
  private writer: Writer | null;
  /**
   * The thread that saves this store's snapshots (sqlite-writer.js as well), started at the first save: not the
   * journal's writer, whose appends would otherwise queue behind a save that waits for the snapshots file's lock while
   * another store (a snapshot thread's) saves tens of megabytes into it.
   */
  private snapshotWriter: Writer | null = null;
  /** The leader epoch every append checks (`fence`), or null: not fenced (a single node, a tool). */
  private fenceEpoch: number | null = null;

  /**
   * Opens (creating if needed) the journal in `dataDir`/sauda.sqlite, or at `file` when it ends in .sqlite, with its
   * snapshots in the file beside it (`snapshotsFile`). With a MAC key, every head and snapshot written gets its MAC
   * (chain.js).
   */
  constructor(
    dataDirOrFile: string,
    keys: StoreKeys = {},
    /**
     * Read only: the files are opened as `openJournalDatabaseReadOnly` opens them (when they are of the current
     * layout) and no writer thread is started; an append or a save then fails. For `sauda verify`.
     */
    options: { readonly readOnly?: boolean } = {},
  ) {
    const file = sqliteFile(dataDirOrFile);
    this.location = file;
    const readOnly = options.readOnly === true ? openJournalDatabaseReadOnly(file) : null;
    if (readOnly === null) mkdirSync(dirname(file), { recursive: true, mode: DATA_DIRECTORY_MODE });
    this.db = readOnly ?? openJournalDatabase(file);
    this.macKey = keys.macKey ?? null;
    this.readPage = this.db.prepare<[number, number], RecordRow>(
      "SELECT seq, time_ms, meta, command, events, hash FROM journal WHERE seq >= ? ORDER BY seq LIMIT ?",
    );
    this.insertRecord = this.db.prepare(
      "INSERT INTO journal (seq, time_ms, meta, command, events, hash) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.writeHead = this.db.prepare(
      "INSERT INTO journal_head (id, seq, hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
    );
    const readEpoch = this.db.prepare<[], number>("SELECT epoch FROM leader WHERE id = 1").pluck();
    this.appendHere = this.db.transaction((records: readonly JournalRecord[]) => {
      if (this.fenceEpoch !== null) checkEpoch(this.fenceEpoch, readEpoch.get());
      for (const r of records) this.insertRecord.run(r.seq, r.timeMs, r.meta, r.command, r.events, r.hash);
      const last = records[records.length - 1]!;
      this.writeHead.run(last.seq, last.hash, this.macKey === null ? null : headMac(this.macKey, last.seq, last.hash));
    });
    this.writer = readOnly === null ? new Writer(file, this.macKey) : null;
  }

  /** Resolves true once writes go to the writer thread, false if it could not start (writes then stay here). */
  writerReady(): Promise<boolean> {
    return this.writer?.started ?? Promise.resolve(false);
  }

  async head(): Promise<JournalHead | null> {
    const row = this.db.prepare("SELECT seq, hash, mac FROM journal_head WHERE id = 1").get() as
      | JournalHead
      | undefined;
    return row ?? null;
  }

  async append(records: readonly JournalRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (this.writer?.usable) {
      await this.writer.request({ op: "append", batch: packRecords(records), hashes: records.map((r) => r.hash) });
    } else {
      this.appendHere(records);
      this.writer?.tellWaitingFollowers(records);
    }
  }

  /**
   * The writer thread computes the chain hashes as it writes (it writes batches one at a time, in order, so it can
   * chain them), which takes the hashing off this thread; until the thread is ready they are computed here.
   */
  async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
    if (records.length === 0) return previousHash;
    if (this.writer?.usable) {
      const batch = packRecords(records, (bytes) => this.writer!.buffer(bytes));
      const lastHash = await this.writer.request({ op: "append", batch, previousHash });
      if (typeof lastHash !== "string") throw new Error("invariant: the SQLite writer thread sent no chain hash");
      return lastHash;
    }
    const chained = chainRecords(previousHash, records);
    this.appendHere(chained);
    this.writer?.tellWaitingFollowers(chained);
    return chained[chained.length - 1]!.hash;
  }

  /**
   * Fences every later append by the leader epoch `epoch` (sqlite-leadership.ts): each checks in its transaction that
   * the journal's `leader` row still holds it, so a node whose leadership another has taken can never write.
   */
  fence(epoch: number): void {
    this.fenceEpoch = epoch;
    // The writer thread takes its messages in order: every append sent after this one is checked.
    this.writer?.request({ op: "fence", epoch }).catch(() => undefined);
  }

  /**
   * Sends the appends the writer thread commits from now on to `port` (`JournalStore.follow`), several together as
   * `sending` says (one setting for all the followers: the last given). Until the thread is ready the port stays
   * here, and the appends written here meanwhile are sent to it from here, each as it commits (`Writer.follow`): a
   * follower is sent every append, so the last seq it was sent is the durable head.
   */
  follow(port: MessagePort, sending: FollowSending = FOLLOW_SENDING): boolean {
    if (this.writer === null) return false;
    this.writer.follow(port, sending);
    return true;
  }

  /**
   * Calls `onAppend` with the head's seq whenever another connection (the leader's process) has committed, polled
   * every `SQLITE_FOLLOW_POLL_MS` on this thread's connection (`PRAGMA data_version` changes only when another
   * connection commits, so an idle journal costs one pragma per poll); `onLost` if the file cannot be read.
   */
  async listen(onAppend: (seq: number) => void, onLost: (error: unknown) => void): Promise<() => Promise<void>> {
    const version = this.db.prepare<[], number>("PRAGMA data_version").pluck();
    const headSeq = this.db.prepare<[], number>("SELECT seq FROM journal_head WHERE id = 1").pluck();
    let seen = -1;
    const timer = setInterval(() => {
      try {
        const now = version.get()!;
        if (now === seen) return;
        seen = now;
        onAppend(headSeq.get() ?? 0);
      } catch (error) {
        clearInterval(timer);
        onLost(error);
      }
    }, SQLITE_FOLLOW_POLL_MS);
    timer.unref();
    return async () => clearInterval(timer);
  }

  /** The head and the highest seq in one read transaction: the leader's process may append between two reads. */
  async headAndMaxSeq(): Promise<{ head: JournalHead | null; maxSeq: number }> {
    const read = this.db.transaction(() => {
      const head = this.db.prepare("SELECT seq, hash, mac FROM journal_head WHERE id = 1").get() as
        | JournalHead
        | undefined;
      const max = this.db.prepare("SELECT MAX(seq) AS seq FROM journal").get() as { seq: number | null };
      return { head: head ?? null, maxSeq: max.seq ?? 0 };
    });
    return read.deferred();
  }

  async read(fromSeq: number, limit: number): Promise<JournalRecord[]> {
    const rows = this.readPage.all(fromSeq, limit);
    return rows.map((row) => ({
      seq: row.seq,
      timeMs: row.time_ms,
      meta: row.meta,
      command: row.command,
      events: row.events,
      hash: row.hash,
    }));
  }

  /**
   * Records [fromSeq, toSeq] read and checked in a reader thread (sqlite-reader.js), a few pages ahead of the caller:
   * recovery then only parses and applies commands here while the thread reads and hashes the next pages.
   */
  async *readChecked(
    fromSeq: number,
    toSeq: number,
    previousHash: string,
    options: ReadCheckedOptions = {},
  ): AsyncGenerator<CheckedPage> {
    const hashOnly = options.hashOnly ?? false;
    const worker = new Worker(new URL("./sqlite-reader.js", import.meta.url), {
      workerData: {
        file: this.location,
        fromSeq,
        toSeq,
        previousHash,
        pageRecords: READ_PAGE_RECORDS,
        hashOnly,
        threadName: nameForAThreadStartedHere(THREAD_NAMES.journalReader),
      },
      execArgv: [],
    });
    const pages: PageMessage[] = [];
    let wake: (() => void) | null = null;
    let failure: Error | null = null;
    worker.on("message", (page: PageMessage) => {
      pages.push(page);
      wake?.();
    });
    worker.on("error", (error) => {
      failure ??= error;
      wake?.();
    });
    worker.on("exit", (code) => {
      failure ??= new Error(`the SQLite reader thread exited with code ${code}`);
      wake?.();
    });
    try {
      for (let i = 0; i < READ_AHEAD_PAGES; i++) worker.postMessage("next");
      for (;;) {
        while (pages.length === 0) {
          if (failure) throw failure;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
        const page = pages.shift()!;
        if (page.error !== undefined) throw new Error(`reading the journal: ${page.error}`);
        if (!page.done) worker.postMessage("next");
        const text = Buffer.from(page.text.buffer, page.text.byteOffset, page.text.byteLength);
        const commands: string[] = new Array(hashOnly ? 0 : page.count);
        const seqs: number[] = new Array(page.count);
        const timesMs: number[] = new Array(page.count);
        let start = 0;
        for (let i = 0; i < page.count; i++) {
          const end = page.ends[i]!;
          if (!hashOnly) commands[i] = text.toString("utf8", start, end);
          start = end;
          seqs[i] = page.numbers[i * 2]!;
          timesMs[i] = page.numbers[i * 2 + 1]!;
        }
        yield { count: page.count, seqs, timesMs, commands, lastHash: page.lastHash, problem: page.problem };
        if (page.done || page.problem) return;
      }
    } finally {
      await worker.terminate();
    }
  }

  async maxSeq(): Promise<number> {
    const row = this.db.prepare("SELECT MAX(seq) AS seq FROM journal").get() as { seq: number | null };
    return row.seq ?? 0;
  }

  async saveSnapshot(given: SnapshotRecord, replacing?: number): Promise<void> {
    const mac =
      this.macKey === null
        ? null
        : snapshotMac(this.macKey, given.seq, given.stateHash, given.recordHash, given.dataHash);
    const snapshot = { ...given, mac };
    const deleted = replacing === undefined || replacing === given.seq ? null : replacing;
    const writer = await this.snapshotWriterReady();
    if (writer !== null) {
      await writer.request({ op: "snapshot", snapshot, replacing: deleted });
      return;
    }
    this.db.transaction(() => {
      this.db
        .prepare(
          "INSERT OR REPLACE INTO snapshots (seq, state_hash, record_hash, data, data_hash, mac) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .run(snapshot.seq, snapshot.stateHash, snapshot.recordHash, snapshot.data, snapshot.dataHash, mac);
      if (deleted !== null) this.db.prepare("DELETE FROM snapshots WHERE seq = ?").run(deleted);
    })();
  }

  async saveViewSnapshot(given: ViewSnapshotRecord): Promise<void> {
    const mac = this.macKey === null ? null : viewSnapshotMac(this.macKey, given.seq, given.recordHash, given.dataHash);
    await this.saveDerivedSnapshot("viewSnapshot", "view_snapshots", { ...given, mac }, VIEW_SNAPSHOTS_KEPT);
  }

  /**
   * Read on a thread of its own (sqlite-snapshot-reader.js): the row is hundreds of megabytes at a large journal, and
   * read here it held this thread, and every request, for the whole read. If that thread cannot start or fails, it is
   * read here: slower, never different.
   */
  async loadViewSnapshot(): Promise<ViewSnapshotRecord | null> {
    const read = await readSnapshotOffThread(snapshotsFile(this.location), "view_snapshots").catch(() => undefined);
    if (read === undefined) return this.loadDerivedSnapshot("view_snapshots");
    const row = read.row as DerivedSnapshotRow | null;
    if (row === null) return null;
    const data = Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength);
    return { seq: row.seq, recordHash: row.record_hash, data, dataHash: row.data_hash, mac: row.mac };
  }

  /**
   * The engine's snapshot at `seq` with the SHA-256 (hex) of its data's stored bytes (the hash `dataHash` gives of the
   * data), both made on a thread of its own (sqlite-snapshot-reader.js): this thread only decodes the bytes. Tens of
   * megabytes at a large journal, whose read and hash held a start's main thread about 0.8 s at 1,000,000 commands. If
   * that thread cannot start or fails, read and hashed here: slower, never different.
   */
  async loadSnapshotHashed(seq: number): Promise<{ record: SnapshotRecord; hash: string } | null> {
    const read = await readSnapshotOffThread(snapshotsFile(this.location), "snapshots", seq).catch(() => undefined);
    if (read === undefined || read.hash === undefined) {
      const record = await this.loadSnapshot(seq);
      return record === null ? null : { record, hash: dataHash(record.data) };
    }
    const row = read.row as EngineSnapshotRow | null;
    if (row === null) return null;
    const data = Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength).toString("utf8");
    return {
      record: {
        seq: row.seq,
        stateHash: row.state_hash,
        recordHash: row.record_hash,
        data,
        dataHash: row.data_hash,
        mac: row.mac,
      },
      hash: read.hash,
    };
  }

  async saveIdentitySnapshot(given: IdentitySnapshotRecord): Promise<void> {
    const mac =
      this.macKey === null ? null : identitySnapshotMac(this.macKey, given.seq, given.recordHash, given.dataHash);
    await this.saveDerivedSnapshot(
      "identitySnapshot",
      "identity_snapshots",
      { ...given, mac },
      IDENTITY_SNAPSHOTS_KEPT,
    );
  }

  async loadIdentitySnapshot(): Promise<IdentitySnapshotRecord | null> {
    return this.loadDerivedSnapshot("identity_snapshots");
  }

  /**
   * Saves a snapshot derived from the journal (the read models' or identity's) through the writer when it runs, and
   * keeps the newest `kept` of its table.
   */
  private async saveDerivedSnapshot(
    op: "viewSnapshot" | "identitySnapshot",
    table: "view_snapshots" | "identity_snapshots",
    snapshot: ViewSnapshotRecord,
    kept: number,
  ): Promise<void> {
    const writer = await this.snapshotWriterReady();
    if (writer !== null) {
      await writer.request({ op, snapshot, kept });
      return;
    }
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT OR REPLACE INTO ${table} (seq, record_hash, data, data_hash, mac) VALUES (?, ?, ?, ?, ?)`)
        .run(snapshot.seq, snapshot.recordHash, snapshot.data, snapshot.dataHash, snapshot.mac ?? null);
      this.db
        .prepare(`DELETE FROM ${table} WHERE seq NOT IN (SELECT seq FROM ${table} ORDER BY seq DESC LIMIT ?)`)
        .run(kept);
    })();
  }

  /**
   * The snapshots' writer thread, started at the first call, once it is ready; null while the journal's writer is not
   * usable (a store that writes on this thread writes its snapshots here too) or when the snapshots' thread could not
   * start (they are then written here: slower, never different).
   */
  private async snapshotWriterReady(): Promise<Writer | null> {
    if (!this.writer?.usable) return null;
    this.snapshotWriter ??= new Writer(
      this.location,
      this.macKey,
      nameForAThreadStartedHere(THREAD_NAMES.snapshotWriter),
    );
    const writer = this.snapshotWriter;
    return (await writer.started) && writer.usable ? writer : null;
  }

  private loadDerivedSnapshot(table: "view_snapshots" | "identity_snapshots"): ViewSnapshotRecord | null {
    const row = this.db.prepare(`SELECT * FROM ${table} ORDER BY seq DESC LIMIT 1`).get() as
      | { seq: number; record_hash: string; data: Buffer; data_hash: string; mac: string | null }
      | undefined;
    if (!row) return null;
    return { seq: row.seq, recordHash: row.record_hash, data: row.data, dataHash: row.data_hash, mac: row.mac };
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
      mac: row.mac,
    };
  }

  /**
   * Replaces the head's and every snapshot's MAC in one transaction (key rotation: the caller has checked them under
   * the old key). Only while no server is writing.
   */
  async rewriteMacs(
    head: string | null,
    snapshots: ReadonlyMap<number, string>,
    derived: ReadonlyMap<DerivedSnapshotTable, ReadonlyMap<number, string>> = new Map(),
  ): Promise<void> {
    this.db.transaction(() => {
      if (head !== null) this.db.prepare("UPDATE journal_head SET mac = ? WHERE id = 1").run(head);
      const update = this.db.prepare("UPDATE snapshots SET mac = ? WHERE seq = ?");
      for (const [seq, mac] of snapshots) update.run(mac, seq);
      for (const [table, macs] of derived) {
        const updateDerived = this.db.prepare(`UPDATE ${table} SET mac = ? WHERE seq = ?`);
        for (const [seq, mac] of macs) updateDerived.run(mac, seq);
      }
    })();
  }

  async derivedSnapshotMacs(table: DerivedSnapshotTable): Promise<DerivedSnapshotMac[]> {
    const rows = this.db.prepare(`SELECT seq, record_hash, data_hash, mac FROM ${table} ORDER BY seq`).all() as {
      seq: number;
      record_hash: string;
      data_hash: string;
      mac: string | null;
    }[];
    return rows.map((row) => ({ seq: row.seq, recordHash: row.record_hash, dataHash: row.data_hash, mac: row.mac }));
  }

  /** Waits for the writes asked for so far, then closes the connections and ends the writer threads. */
  async close(): Promise<void> {
    const writers = [this.writer, this.snapshotWriter];
    this.writer = null;
    this.snapshotWriter = null;
    try {
      await Promise.all(writers.map((writer) => writer?.close()));
    } finally {
      this.db.close();
    }
  }

  /** For tests that damage the journal on purpose: run raw SQL. */
  unsafeExec(sql: string): void {
    this.db.exec(sql);
  }
}

/**
 * A batch of records packed for the writer thread: every text field as UTF-8 in one buffer, and the numbers in
 * another. Copying a batch to a thread as objects (structured clone) costs about 2 µs per record on the main thread;
 * packed, it costs a fraction of that, and the buffers are moved to the thread, not copied.
 *
 * Each record's meta, command and events are written with a newline between them, exactly as they follow each other
 * in the chain hash's input (see `chainHash`), so the writer thread hashes the bytes in place.
 */
export interface PackedRecords {
  readonly count: number;
  /** `meta\ncommand\nevents` of each record in turn, as UTF-8. */
  readonly text: Uint8Array<ArrayBuffer>;
  /** Where meta, command and events of each record end in `text` (3 per record). */
  readonly ends: Uint32Array<ArrayBuffer>;
  /** seq and timeMs of each record (2 per record). */
  readonly numbers: Float64Array<ArrayBuffer>;
}

const FIELDS_PER_RECORD = 3;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const UTF8_BYTES_PER_UNIT_MAX = 3;
const NEWLINE = 0x0a;

/**
 * Packs `records` into a buffer of at least the bytes asked for from `buffer` (by default a new one). The buffer must be
 * its own memory (never a slice of Node's shared pool), because it is moved to the writer thread.
 */
export function packRecords(
  records: readonly UnchainedRecord[],
  buffer: (bytes: number) => Buffer = (bytes) => Buffer.allocUnsafeSlow(bytes),
): PackedRecords {
  let units = 0;
  for (const r of records) units += r.meta.length + r.command.length + r.events.length + 2;
  // Room for the worst case, so no write is ever cut short; the pages it does not use are never touched.
  const text = buffer(units * UTF8_BYTES_PER_UNIT_MAX);
  const ends = new Uint32Array(records.length * FIELDS_PER_RECORD);
  const numbers = new Float64Array(records.length * 2);
  let at = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const f = i * FIELDS_PER_RECORD;
    numbers[i * 2] = r.seq;
    numbers[i * 2 + 1] = r.timeMs;
    at += text.write(r.meta, at, "utf8");
    ends[f] = at;
    text[at++] = NEWLINE;
    at += text.write(r.command, at, "utf8");
    ends[f + 1] = at;
    text[at++] = NEWLINE;
    at += text.write(r.events, at, "utf8");
    ends[f + 2] = at;
  }
  return {
    count: records.length,
    text: new Uint8Array(text.buffer as ArrayBuffer, text.byteOffset, at),
    ends,
    numbers,
  };
}

/** Pages the recovery reader thread may read ahead of the caller. */
const READ_AHEAD_PAGES = 3;

/** A page from sqlite-reader.js. */
interface PageMessage {
  readonly count: number;
  readonly text: Uint8Array;
  readonly ends: Uint32Array;
  readonly numbers: Float64Array;
  readonly lastHash: string;
  readonly problem: { readonly seq: number; readonly message: string } | null;
  readonly done: boolean;
  readonly error?: string;
}

/**
 * An append carries either the records' own hashes (`append`) or the hash before the first record, from which the
 * thread chains them (`appendChained`).
 */
/** A buffer over the whole of its own ArrayBuffer (not a slice of a pool): it can be moved to a thread whole. */
function ownsItsMemory(data: Uint8Array): boolean {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
}

type WriteRequest =
  | { readonly op: "append"; readonly batch: PackedRecords; readonly hashes: readonly string[] }
  | { readonly op: "append"; readonly batch: PackedRecords; readonly previousHash: string }
  | { readonly op: "snapshot"; readonly snapshot: SnapshotRecord; readonly replacing: number | null }
  | { readonly op: "viewSnapshot"; readonly snapshot: ViewSnapshotRecord; readonly kept: number }
  | { readonly op: "identitySnapshot"; readonly snapshot: IdentitySnapshotRecord; readonly kept: number }
  | { readonly op: "fence"; readonly epoch: number }
  | { readonly op: "follow"; readonly port: MessagePort; readonly sending: FollowSending }
  | { readonly op: "close" };

interface WriteReply {
  /** 0 for the thread's "ready" message, sent once its connection is open. */
  readonly id: number;
  /** For an append: the hash of its last record. */
  readonly hash?: string;
  /** For an append: its text buffer, handed back to be used again (see `Writer.buffer`). */
  readonly buffer?: ArrayBuffer;
  readonly error?: { readonly message: string; readonly code?: string };
}

/** Most writes that may wait for the writer thread at once; the sequencer keeps one in flight. */
const WRITES_PENDING_MAX = 1000;
/** Text buffers the writer thread handed back that are kept for later batches (one in flight, one being packed). */
const SPARE_BUFFERS_MAX = 2;
/** Least size of a new text buffer; sizes are rounded up to a power of two so that a spare fits most later batches. */
const BUFFER_BYTES_MIN = 1 << 20;

/**
 * The main thread's end of the writer thread. Requests are answered in the order they were sent. The thread keeps
 * the process alive only while a write is pending, so a store left open does not stop a process from exiting, and a
 * pending write is never abandoned by an exiting process.
 */
class Writer {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (hash: string | undefined) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  /** The thread has opened its connection. */
  private ready = false;
  /** Resolves true when the thread is ready, false when it failed before that. */
  readonly started: Promise<boolean>;
  private settleStarted!: (ready: boolean) => void;
  /** Set when the thread died or was closed; every later request fails with it. */
  private broken: Error | null = null;
  /**
   * Text buffers of committed appends, handed back by the thread. A new buffer for every batch cost the main thread
   * about 1 µs per record (fresh pages are mapped and zeroed as they are first written); a spare one is written
   * over at no such cost.
   */
  private readonly spare: ArrayBuffer[] = [];
  /** Followers asked for before the thread was ready (`follow`): handed to it once it is. */
  private waitingFollowers: { readonly port: MessagePort; readonly sending: FollowSending }[] = [];

  /** `threadName`: the thread's name for the operating system (thread-name.js; null: its starter's). */
  constructor(file: string, macKey: Buffer | null, threadName = nameForAThreadStartedHere(THREAD_NAMES.journalWriter)) {
    this.started = new Promise((resolve) => {
      this.settleStarted = resolve;
    });
    // The writer is plain JavaScript: no loader flags (tsx) are passed on, which would only slow its start.
    this.worker = new Worker(new URL("./sqlite-writer.js", import.meta.url), {
      workerData: { file, snapshotsFile: snapshotsFile(file), macKey, threadName },
      execArgv: [],
    });
    this.worker.unref();
    this.worker.on("message", (reply: WriteReply) => this.settle(reply));
    this.worker.on("error", (error) => this.breakDown(error));
    this.worker.on("exit", (code) => this.breakDown(new Error(`the SQLite writer thread exited with code ${code}`)));
  }

  /**
   * Whether writes go to the thread: once it is ready, always (a thread that died after that fails every later
   * write, and the sequencer stops); before that, or if it never started, the caller writes itself.
   */
  get usable(): boolean {
    return this.ready;
  }

  /** A buffer of at least `bytes` for packing an append: a spare one that is big enough, or a new one. */
  buffer(bytes: number): Buffer {
    const spare = this.spare.pop();
    if (spare !== undefined && spare.byteLength >= bytes) return Buffer.from(spare);
    let size = BUFFER_BYTES_MIN;
    while (size < bytes) size *= 2;
    return Buffer.allocUnsafeSlow(size);
  }

  /** Resolves once the write has committed, with the last record's hash for an append. */
  request(request: WriteRequest): Promise<string | undefined> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.pending.size >= WRITES_PENDING_MAX) {
      return Promise.reject(new Error(`${WRITES_PENDING_MAX} journal writes are already waiting`));
    }
    const id = this.nextId++;
    return new Promise<string | undefined>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      if (request.op === "append") {
        const { text, ends, numbers } = request.batch;
        this.worker.postMessage({ id, ...request }, [text.buffer, ends.buffer, numbers.buffer]);
      } else if (request.op === "follow") {
        this.worker.postMessage({ id, ...request }, [request.port]);
      } else if (request.op === "viewSnapshot" && ownsItsMemory(request.snapshot.data)) {
        // Moved, not copied: a snapshot of the read models is tens of megabytes, and copying it held the leader's
        // thread for about as long as serialising it. The caller gives the buffer away (saveViewSnapshot's promise).
        this.worker.postMessage({ id, ...request }, [request.snapshot.data.buffer as ArrayBuffer]);
      } else {
        this.worker.postMessage({ id, ...request });
      }
    });
  }

  /** Waits for the writes sent so far (they are answered in order), then ends the thread. */
  async close(): Promise<void> {
    try {
      if (this.ready && !this.broken) await this.request({ op: "close" });
    } finally {
      this.broken ??= new Error("the journal store is closed");
      await this.worker.terminate();
    }
  }

  /**
   * Sends the appends the thread commits to `port` (sqlite-writer.js `follow`). Before the thread is ready the port
   * waits here, sent what is written here (`tellWaitingFollowers`); it is handed to the thread as the thread becomes
   * ready, before any append goes to the thread, so that it misses none.
   */
  follow(port: MessagePort, sending: FollowSending): void {
    if (this.ready) this.request({ op: "follow", port, sending }).catch(() => undefined);
    else this.waitingFollowers.push({ port, sending });
  }

  /** Sends records written on the caller's thread (the writer thread not ready) to the followers still waiting here. */
  tellWaitingFollowers(records: readonly JournalRecord[]): void {
    if (this.waitingFollowers.length === 0) return;
    const packed = packRecords(records);
    // An exact copy: a view posted as it is would copy the whole (larger) buffer behind it.
    const appended: AppendedRecords = {
      count: packed.count,
      text: packed.text.slice(),
      ends: packed.ends,
      numbers: packed.numbers,
      hashes: records.map((record) => record.hash),
    };
    for (const { port } of this.waitingFollowers) port.postMessage(appended);
  }

  private settle(reply: WriteReply): void {
    if (reply.id === 0) {
      if (reply.error) this.breakDown(new Error(`the SQLite writer thread could not start: ${reply.error.message}`));
      else this.ready = this.broken === null;
      // Handed over now, in this turn: every append after this one goes to the thread, behind the follow requests.
      const waiting = this.ready ? this.waitingFollowers : [];
      if (this.ready) this.waitingFollowers = [];
      for (const { port, sending } of waiting) this.request({ op: "follow", port, sending }).catch(() => undefined);
      this.settleStarted(this.ready);
      return;
    }
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.error) {
      const error = new Error(reply.error.message) as Error & { code?: string };
      if (reply.error.code !== undefined) error.code = reply.error.code;
      waiter.reject(error);
    } else {
      if (reply.buffer !== undefined && this.spare.length < SPARE_BUFFERS_MAX) this.spare.push(reply.buffer);
      waiter.resolve(reply.hash);
    }
  }

  private breakDown(error: Error): void {
    if (!this.ready && this.broken === null) {
      // Writes simply stay on the main thread; say why once, since they will be slower.
      process.emitWarning(`SQLite journal writes stay on the main thread: ${error.message}`);
    }
    this.broken ??= error;
    this.settleStarted(this.ready);
    for (const waiter of this.pending.values()) waiter.reject(this.broken);
    this.pending.clear();
  }
}

interface DerivedSnapshotRow {
  readonly seq: number;
  readonly record_hash: string;
  readonly data: Uint8Array;
  readonly data_hash: string;
  readonly mac: string | null;
}

interface EngineSnapshotRow extends DerivedSnapshotRow {
  readonly state_hash: string;
}

/**
 * A snapshot row read by sqlite-snapshot-reader.js (null: none) and, for the engine's, the hash of its data; rejects
 * if the thread failed.
 */
function readSnapshotOffThread(
  file: string,
  table: "view_snapshots" | "snapshots",
  seq?: number,
): Promise<{ row: DerivedSnapshotRow | EngineSnapshotRow | null; hash?: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./sqlite-snapshot-reader.js", import.meta.url), {
      workerData: { file, table, seq, threadName: nameForAThreadStartedHere(THREAD_NAMES.snapshotReader) },
      execArgv: [],
    });
    worker.once(
      "message",
      (answer: { row?: DerivedSnapshotRow | EngineSnapshotRow | null; hash?: string; error?: string }) => {
        if (answer.error !== undefined) reject(new Error(answer.error));
        else resolve({ row: answer.row ?? null, ...(answer.hash === undefined ? {} : { hash: answer.hash }) });
      },
    );
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the snapshot reader thread exited with code ${code}`)));
  });
}
