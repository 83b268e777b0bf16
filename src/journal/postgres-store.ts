/**
 * The production journal store: PostgreSQL, chosen by a connection URL. Each append is one transaction carrying the
 * whole batch and the new head; PostgreSQL's default `synchronous_commit = on` makes the commit durable before it
 * returns. Rows go in as multi-row INSERTs of `INSERT_CHUNK_ROWS` rows, each value a separate bind parameter, through a
 * statement prepared once per connection. (Passing the batch as arrays to `unnest` was a third as fast: the client
 * must quote and escape every JSON text into an array literal, and the server parse it back.)
 *
 * Tables live in one schema (default `sauda`), so several journals can share a database (tests use one each).
 */

import pg from "pg";
import {
  chainHash,
  headMac,
  type JournalHead,
  type JournalRecord,
  type SnapshotRecord,
  snapshotMac,
  type UnchainedRecord,
  type ViewSnapshotRecord,
  viewSnapshotMac,
} from "./records.ts";
import { type JournalStore, type SnapshotInfo, type StoreKeys, VIEW_SNAPSHOTS_KEPT } from "./store.ts";

const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Rows per INSERT statement: 6 parameters each, far below PostgreSQL's 65,535 parameters per statement. */
export const INSERT_CHUNK_ROWS = 500;
const JOURNAL_COLUMNS = 6;

export class PostgresStore implements JournalStore {
  readonly kind = "postgres";
  readonly location: string;
  private readonly client: pg.Client;
  private readonly schema: string;
  private readonly macKey: Buffer | null;
  private readonly url: string;
  /**
   * The leader epoch this store writes under (leadership.ts), or null for a store that is not fenced (a single node, a
   * tool). When set, every append first takes a share lock on the leader row and checks that its epoch is still this
   * one: a node that has been deposed (a new leader bumped the epoch) can no longer write, and a new leader's bump
   * waits for an append in flight to finish before it reads the head.
   */
  private fenceEpoch: number | null = null;

  private constructor(client: pg.Client, url: string, schema: string, keys: StoreKeys) {
    this.client = client;
    this.url = url;
    this.location = redact(url);
    this.schema = schema;
    this.macKey = keys.macKey ?? null;
  }

  /** Opens the journal in `schema`; with a MAC key, every head and snapshot written gets its MAC (chain.js). */
  static async open(url: string, schema = "sauda", keys: StoreKeys = {}): Promise<PostgresStore> {
    if (!SCHEMA_NAME_PATTERN.test(schema)) throw new Error(`schema name '${schema}' is not a plain lower-case name`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const store = new PostgresStore(client, url, schema, keys);
    await store.createTables();
    return store;
  }

  /** The schema's tables, quoted, for the leadership that shares this journal. */
  get schemaName(): string {
    return this.schema;
  }

  /** The channel on which every append announces its last seq (LISTEN/NOTIFY, see `listen`). */
  get channel(): string {
    return `sauda_journal_${this.schema}`;
  }

  /** Fences every later append by the leader epoch `epoch` (see `fenceEpoch`). */
  fence(epoch: number): void {
    this.fenceEpoch = epoch;
  }

  /**
   * Calls `onAppend` with the last seq of every append committed from now on (by any node), over a connection of its
   * own; `onLost` when that connection fails. Resolves with a function that stops listening.
   */
  async listen(onAppend: (seq: number) => void, onLost: (error: unknown) => void): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on("error", onLost);
    client.on("notification", (message) => {
      if (message.channel === this.channel) onAppend(Number(message.payload));
    });
    await client.connect();
    await client.query(`LISTEN "${this.channel}"`);
    return async () => {
      client.removeAllListeners("error");
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
    };
  }

  private table(name: string): string {
    return `"${this.schema}"."${name}"`;
  }

  private fullChunkText: string | null = null;

  /** `INSERT INTO journal ... VALUES ($1, ..., $6), ...` for `rows` rows. */
  private insertText(rows: number): string {
    if (rows === INSERT_CHUNK_ROWS && this.fullChunkText !== null) return this.fullChunkText;
    const tuples: string[] = new Array(rows);
    for (let i = 0; i < rows; i++) {
      const p = i * JOURNAL_COLUMNS;
      tuples[i] = `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`;
    }
    const text = `INSERT INTO ${this.table("journal")} (seq, time_ms, meta, command, events, hash) VALUES ${tuples.join(", ")}`;
    if (rows === INSERT_CHUNK_ROWS) this.fullChunkText = text;
    return text;
  }

  private async createTables(): Promise<void> {
    await this.client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
    await this.client.query(`
      CREATE TABLE IF NOT EXISTS ${this.table("journal")} (
        seq BIGINT PRIMARY KEY,
        time_ms BIGINT NOT NULL,
        meta TEXT NOT NULL,
        command TEXT NOT NULL,
        events TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${this.table("journal_head")} (
        id INT PRIMARY KEY CHECK (id = 1),
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${this.table("snapshots")} (
        seq BIGINT PRIMARY KEY,
        state_hash TEXT NOT NULL,
        record_hash TEXT NOT NULL,
        data TEXT NOT NULL,
        data_hash TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${this.table("leader")} (
        id INT PRIMARY KEY CHECK (id = 1),
        epoch BIGINT NOT NULL,
        node TEXT NOT NULL,
        url TEXT NOT NULL,
        since_ms BIGINT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${this.table("view_snapshots")} (
        seq BIGINT PRIMARY KEY,
        record_hash TEXT NOT NULL,
        data BYTEA NOT NULL,
        data_hash TEXT NOT NULL,
        mac TEXT
      );
      ALTER TABLE ${this.table("journal_head")} ADD COLUMN IF NOT EXISTS mac TEXT;
      ALTER TABLE ${this.table("snapshots")} ADD COLUMN IF NOT EXISTS mac TEXT;
    `);
  }

  async head(): Promise<JournalHead | null> {
    const result = await this.client.query(`SELECT seq, hash, mac FROM ${this.table("journal_head")} WHERE id = 1`);
    const row = result.rows[0] as { seq: string; hash: string; mac: string | null } | undefined;
    return row ? { seq: Number(row.seq), hash: row.hash, mac: row.mac } : null;
  }

  async append(records: readonly JournalRecord[]): Promise<void> {
    await this.write(
      records,
      records.map((r) => r.hash),
    );
  }

  async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
    const hashes: string[] = new Array(records.length);
    let hash = previousHash;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      hash = chainHash(hash, r.seq, r.timeMs, r.meta, r.command, r.events);
      hashes[i] = hash;
    }
    await this.write(records, hashes);
    return hash;
  }

  /** Writes `records` with their chain hashes `hashes` and the new head in one transaction. */
  private async write(records: readonly UnchainedRecord[], hashes: readonly string[]): Promise<void> {
    if (records.length === 0) return;
    const last = records[records.length - 1]!;
    const lastHash = hashes[hashes.length - 1]!;
    await this.client.query("BEGIN");
    try {
      if (this.fenceEpoch !== null) {
        // The fence (held until COMMIT) and the announcement to followers (sent at COMMIT, dropped on ROLLBACK).
        const fenced = await this.client.query({
          name: "sauda_journal_fence",
          text: `SELECT epoch, pg_notify($1, $2) FROM ${this.table("leader")} WHERE id = 1 FOR SHARE`,
          values: [this.channel, String(last.seq)],
        });
        const epoch = (fenced.rows[0] as { epoch: string } | undefined)?.epoch;
        if (epoch === undefined || Number(epoch) !== this.fenceEpoch) {
          throw new NotLeaderError(
            `this node led the journal in epoch ${this.fenceEpoch}, but the journal is now in epoch ${epoch ?? "none"}: another node leads`,
          );
        }
      }
      for (let from = 0; from < records.length; from += INSERT_CHUNK_ROWS) {
        const to = Math.min(records.length, from + INSERT_CHUNK_ROWS);
        const values: (number | string)[] = new Array((to - from) * JOURNAL_COLUMNS);
        let v = 0;
        for (let i = from; i < to; i++) {
          const r = records[i]!;
          values[v++] = r.seq;
          values[v++] = r.timeMs;
          values[v++] = r.meta;
          values[v++] = r.command;
          values[v++] = r.events;
          values[v++] = hashes[i]!;
        }
        const rows = to - from;
        const text = this.insertText(rows);
        // A full chunk uses the statement prepared on this connection; the last, shorter one is parsed each time.
        await this.client.query(
          rows === INSERT_CHUNK_ROWS ? { name: "sauda_journal_insert", text, values } : { text, values },
        );
      }
      await this.client.query(
        `INSERT INTO ${this.table("journal_head")} (id, seq, hash, mac) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, mac = EXCLUDED.mac`,
        [last.seq, lastHash, this.macKey === null ? null : headMac(this.macKey, last.seq, lastHash)],
      );
      await this.client.query("COMMIT");
    } catch (error) {
      await this.client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  async read(fromSeq: number, limit: number): Promise<JournalRecord[]> {
    const result = await this.client.query(
      `SELECT seq, time_ms, meta, command, events, hash FROM ${this.table("journal")} WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [fromSeq, limit],
    );
    return result.rows.map(
      (row: { seq: string; time_ms: string; meta: string; command: string; events: string; hash: string }) => ({
        seq: Number(row.seq),
        timeMs: Number(row.time_ms),
        meta: row.meta,
        command: row.command,
        events: row.events,
        hash: row.hash,
      }),
    );
  }

  async maxSeq(): Promise<number> {
    const result = await this.client.query(`SELECT MAX(seq) AS seq FROM ${this.table("journal")}`);
    return Number((result.rows[0] as { seq: string | null }).seq ?? 0);
  }

  async saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    const mac =
      this.macKey === null
        ? null
        : snapshotMac(this.macKey, snapshot.seq, snapshot.stateHash, snapshot.recordHash, snapshot.dataHash);
    await this.client.query(
      `INSERT INTO ${this.table("snapshots")} (seq, state_hash, record_hash, data, data_hash, mac) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (seq) DO UPDATE SET state_hash = EXCLUDED.state_hash, record_hash = EXCLUDED.record_hash,
         data = EXCLUDED.data, data_hash = EXCLUDED.data_hash, mac = EXCLUDED.mac`,
      [snapshot.seq, snapshot.stateHash, snapshot.recordHash, snapshot.data, snapshot.dataHash, mac],
    );
  }

  async saveViewSnapshot(snapshot: ViewSnapshotRecord): Promise<void> {
    const mac =
      this.macKey === null ? null : viewSnapshotMac(this.macKey, snapshot.seq, snapshot.recordHash, snapshot.dataHash);
    const table = this.table("view_snapshots");
    await this.client.query("BEGIN");
    try {
      await this.client.query(
        `INSERT INTO ${table} (seq, record_hash, data, data_hash, mac) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (seq) DO UPDATE SET record_hash = EXCLUDED.record_hash, data = EXCLUDED.data,
           data_hash = EXCLUDED.data_hash, mac = EXCLUDED.mac`,
        [snapshot.seq, snapshot.recordHash, Buffer.from(snapshot.data), snapshot.dataHash, mac],
      );
      await this.client.query(
        `DELETE FROM ${table} WHERE seq NOT IN (SELECT seq FROM ${table} ORDER BY seq DESC LIMIT $1)`,
        [VIEW_SNAPSHOTS_KEPT],
      );
      await this.client.query("COMMIT");
    } catch (error) {
      await this.client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  async loadViewSnapshot(): Promise<ViewSnapshotRecord | null> {
    const result = await this.client.query(
      `SELECT seq, record_hash, data, data_hash, mac FROM ${this.table("view_snapshots")} ORDER BY seq DESC LIMIT 1`,
    );
    const row = result.rows[0] as
      | { seq: string; record_hash: string; data: Buffer; data_hash: string; mac: string | null }
      | undefined;
    if (!row) return null;
    return { seq: Number(row.seq), recordHash: row.record_hash, data: row.data, dataHash: row.data_hash, mac: row.mac };
  }

  async snapshots(): Promise<SnapshotInfo[]> {
    const result = await this.client.query(`SELECT seq, state_hash FROM ${this.table("snapshots")} ORDER BY seq DESC`);
    return result.rows.map((row: { seq: string; state_hash: string }) => ({
      seq: Number(row.seq),
      stateHash: row.state_hash,
    }));
  }

  async loadSnapshot(seq: number): Promise<SnapshotRecord | null> {
    const result = await this.client.query(`SELECT * FROM ${this.table("snapshots")} WHERE seq = $1`, [seq]);
    const row = result.rows[0] as
      | { seq: string; state_hash: string; record_hash: string; data: string; data_hash: string; mac: string | null }
      | undefined;
    if (!row) return null;
    return {
      seq: Number(row.seq),
      stateHash: row.state_hash,
      recordHash: row.record_hash,
      data: row.data,
      dataHash: row.data_hash,
      mac: row.mac,
    };
  }

  async rewriteMacs(head: string | null, snapshots: ReadonlyMap<number, string>): Promise<void> {
    await this.client.query("BEGIN");
    try {
      if (head !== null)
        await this.client.query(`UPDATE ${this.table("journal_head")} SET mac = $1 WHERE id = 1`, [head]);
      for (const [seq, mac] of snapshots) {
        await this.client.query(`UPDATE ${this.table("snapshots")} SET mac = $1 WHERE seq = $2`, [mac, seq]);
      }
      await this.client.query("COMMIT");
    } catch (error) {
      await this.client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  /** For tests that damage the journal on purpose, and to drop a test schema. */
  async unsafeExec(sql: string): Promise<void> {
    await this.client.query(sql.replaceAll("{schema}", `"${this.schema}"`));
  }
}

/** The journal refused an append: this node is not (or no longer) its leader. */
export class NotLeaderError extends Error {
  override name = "NotLeaderError";
  constructor(
    message: string,
    /** The leader's advertised URL when known. */
    readonly leader: string | null = null,
  ) {
    super(message);
  }
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable database URL)";
  }
}
