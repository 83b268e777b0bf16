/**
 * The production journal store: PostgreSQL, chosen by a connection URL. Each append is one transaction carrying the
 * whole batch (rows passed as arrays and expanded with `unnest`, so a batch is one round trip) and the new head;
 * PostgreSQL's default `synchronous_commit = on` makes the commit durable before it returns.
 *
 * Tables live in one schema (default `sauda`), so several journals can share a database (tests use one each).
 */

import pg from "pg";
import type { JournalHead, JournalRecord, SnapshotRecord } from "./records.ts";
import type { JournalStore, SnapshotInfo } from "./store.ts";

const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export class PostgresStore implements JournalStore {
  readonly kind = "postgres";
  readonly location: string;
  private readonly client: pg.Client;
  private readonly schema: string;

  private constructor(client: pg.Client, location: string, schema: string) {
    this.client = client;
    this.location = location;
    this.schema = schema;
  }

  static async open(url: string, schema = "sauda"): Promise<PostgresStore> {
    if (!SCHEMA_NAME_PATTERN.test(schema)) throw new Error(`schema name '${schema}' is not a plain lower-case name`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const store = new PostgresStore(client, redact(url), schema);
    await store.createTables();
    return store;
  }

  private table(name: string): string {
    return `"${this.schema}"."${name}"`;
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
    `);
  }

  async head(): Promise<JournalHead | null> {
    const result = await this.client.query(`SELECT seq, hash FROM ${this.table("journal_head")} WHERE id = 1`);
    const row = result.rows[0] as { seq: string; hash: string } | undefined;
    return row ? { seq: Number(row.seq), hash: row.hash } : null;
  }

  async append(records: readonly JournalRecord[]): Promise<void> {
    if (records.length === 0) return;
    const last = records[records.length - 1]!;
    await this.client.query("BEGIN");
    try {
      await this.client.query(
        `INSERT INTO ${this.table("journal")} (seq, time_ms, meta, command, events, hash)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])`,
        [
          records.map((r) => r.seq),
          records.map((r) => r.timeMs),
          records.map((r) => r.meta),
          records.map((r) => r.command),
          records.map((r) => r.events),
          records.map((r) => r.hash),
        ],
      );
      await this.client.query(
        `INSERT INTO ${this.table("journal_head")} (id, seq, hash) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash`,
        [last.seq, last.hash],
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
    await this.client.query(
      `INSERT INTO ${this.table("snapshots")} (seq, state_hash, record_hash, data, data_hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (seq) DO UPDATE SET state_hash = EXCLUDED.state_hash, record_hash = EXCLUDED.record_hash,
         data = EXCLUDED.data, data_hash = EXCLUDED.data_hash`,
      [snapshot.seq, snapshot.stateHash, snapshot.recordHash, snapshot.data, snapshot.dataHash],
    );
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
      | { seq: string; state_hash: string; record_hash: string; data: string; data_hash: string }
      | undefined;
    if (!row) return null;
    return {
      seq: Number(row.seq),
      stateHash: row.state_hash,
      recordHash: row.record_hash,
      data: row.data,
      dataHash: row.data_hash,
    };
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  /** For tests that damage the journal on purpose, and to drop a test schema. */
  async unsafeExec(sql: string): Promise<void> {
    await this.client.query(sql.replaceAll("{schema}", `"${this.schema}"`));
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
