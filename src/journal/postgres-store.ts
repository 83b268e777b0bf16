/**
 * The production journal store: PostgreSQL, chosen by a connection URL. Each append is one transaction carrying the
 * whole batch and the new head; PostgreSQL's default `synchronous_commit = on` makes the commit durable before it
 * returns. Rows go in as multi-row INSERTs of `INSERT_CHUNK_ROWS` rows, each value a separate bind parameter, through a
 * statement prepared once per connection. (Passing the batch as arrays to `unnest` was a third as fast: the client
 * must quote and escape every JSON text into an array literal, and the server parse it back.)
 *
 * Tables live in one schema (default `sauda`), so several journals can share a database (tests use one each).
 *
 * The URL may list several hosts (pg-target.ts): the store connects to the writable primary among them, and when its
 * connection is lost (the primary died and a standby was promoted) it connects again, trying the hosts in turn, and
 * does the work again: a read as it was; an append only once the leadership is its own again (see `suspend`), and
 * only after reading the head in the same transaction, so that a batch whose commit was cut off is not written twice
 * (the head already has it: it was committed) nor skipped (the head is just before it: it is written now).
 */

import type pg from "pg";
import {
  connectRetrying,
  isConnectionLoss,
  type PgTarget,
  parseTarget,
  RECONNECT_GIVE_UP_MS,
  redactUrl,
} from "./pg-target.ts";
import {
  chainHash,
  GENESIS_HASH,
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
  type DerivedSnapshotMac,
  type DerivedSnapshotTable,
  IDENTITY_SNAPSHOTS_KEPT,
  type JournalStore,
  type SnapshotInfo,
  type StoreKeys,
  VIEW_SNAPSHOTS_KEPT,
} from "./store.ts";

const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Rows per INSERT statement: 6 parameters each, far below PostgreSQL's 65,535 parameters per statement. */
export const INSERT_CHUNK_ROWS = 500;
const JOURNAL_COLUMNS = 6;
const JOURNAL_CLIENT = { keepAlive: true, application_name: "sauda-journal" } as const;

export class PostgresStore implements JournalStore {
  readonly kind = "postgres";
  readonly location: string;
  private client: pg.Client | null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly target: PgTarget;
  private readonly giveUpMs: number;
  private readonly schema: string;
  private readonly macKey: Buffer | null;
  private closed = false;
  /** Set while the leadership is being taken again after its connection was lost: appends wait (see `suspend`). */
  private suspended: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | null = null;
  /**
   * Set when a connection was lost or the epoch changed: the next append first reads the head in its transaction and
   * checks that it is just before its records (or already ends with them: the cut-off commit had been made).
   */
  private verifyHead = false;
  private readonly lostListeners: (() => void)[] = [];
  /**
   * The leader epoch this store writes under (leadership.ts), or null for a store that is not fenced (a single node, a
   * tool). When set, every append first takes a share lock on the leader row and checks that its epoch is still this
   * one: a node that has been deposed (a new leader bumped the epoch) can no longer write, and a new leader's bump
   * waits for an append in flight to finish before it reads the head.
   */
  private fenceEpoch: number | null = null;
  /**
   * The end of the work queued on the connection (`exclusive`). An append's transaction is several statements, each
   * awaited; a snapshot saved meanwhile on the same connection (the leader saves identity's as batches become durable)
   * had its BEGIN, INSERT and COMMIT sent between them: it committed half of the append, or its failure rolled the
   * append's records back while the append went on to write the head. Each piece of work now has the connection to
   * itself.
   */
  private queued: Promise<unknown> = Promise.resolve();

  private constructor(client: pg.Client, target: PgTarget, schema: string, keys: StoreKeys, giveUpMs: number) {
    this.client = null;
    this.target = target;
    this.giveUpMs = giveUpMs;
    this.location = target.redacted;
    this.schema = schema;
    this.macKey = keys.macKey ?? null;
    this.attach(client);
  }

  /**
   * Opens the journal in `schema`; with a MAC key, every head and snapshot written gets its MAC (chain.js). The URL
   * may list several hosts; `giveUpMs` bounds how long a lost connection is tried again (and the first connection).
   */
  static async open(
    url: string,
    schema = "sauda",
    keys: StoreKeys = {},
    giveUpMs = RECONNECT_GIVE_UP_MS,
  ): Promise<PostgresStore> {
    if (!SCHEMA_NAME_PATTERN.test(schema)) throw new Error(`schema name '${schema}' is not a plain lower-case name`);
    const target = parseTarget(url);
    const client = await connectRetrying(target, JOURNAL_CLIENT, giveUpMs);
    const store = new PostgresStore(client, target, schema, keys, giveUpMs);
    await store.createTables();
    return store;
  }

  private attach(client: pg.Client): void {
    client.on("error", () => this.broken(client));
    client.on("end", () => this.broken(client));
    this.client = client;
  }

  /** `client` failed: it is dropped, the next work connects again, and the next append checks the head first. */
  private broken(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.verifyHead = true;
    client.end().catch(() => undefined);
    if (this.fenceEpoch !== null && !this.closed) {
      // A fenced store writes again only once its leadership is confirmed (or taken again): see `onConnectionLost`.
      this.suspend();
      for (const listener of this.lostListeners) listener();
    }
  }

  /**
   * Called when the connection of a fenced store (a leader's) fails: appends wait until `fence` is called again,
   * with the epoch the leadership confirms on its own connection, or the new one it takes.
   */
  onConnectionLost(listener: () => void): void {
    this.lostListeners.push(listener);
  }

  /** The connection to the primary, connecting again (hosts in turn, bounded) when the last one was lost. */
  private connection(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error("the journal store is closed"));
    if (this.client !== null) return Promise.resolve(this.client);
    this.connecting ??= connectRetrying(this.target, JOURNAL_CLIENT, this.giveUpMs, () => this.closed)
      .then((client) => {
        if (this.closed) {
          client.end().catch(() => undefined);
          throw new Error("the journal store is closed");
        }
        this.attach(client);
        return client;
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  /**
   * Runs `work` (which may be done again: a read, or a write that is the same however often it is done) on the
   * connection, and again on a new one when the connection was lost, for at most `giveUpMs`.
   */
  private async run<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const started = Date.now();
    for (;;) {
      const client = await this.connection();
      try {
        return await this.exclusive(() => work(client));
      } catch (error) {
        if (this.closed || !isConnectionLoss(error) || Date.now() - started > this.giveUpMs) throw error;
        this.broken(client);
      }
    }
  }

  /** Runs `work` once the work queued before it on the connection has ended (see `queued`). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queued.then(work);
    this.queued = result.catch(() => undefined);
    return result;
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
    if (this.fenceEpoch !== null && this.fenceEpoch !== epoch) this.verifyHead = true;
    this.fenceEpoch = epoch;
    const suspended = this.suspended;
    this.suspended = null;
    suspended?.resolve();
  }

  /**
   * The leadership's connection was lost: no append starts until it is taken again (`fence` with the new epoch). An
   * append already past its fence check commits or fails as it would have; the epoch still protects it.
   */
  suspend(): void {
    if (this.suspended !== null) return;
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    promise.catch(() => undefined);
    this.suspended = { promise, resolve, reject };
  }

  /**
   * Calls `onAppend` with the last seq of every append committed from now on (by any node), over a connection of its
   * own, made again (hosts in turn) when it fails; `onLost` when it cannot be made again within `giveUpMs`. Resolves
   * with a function that stops listening.
   */
  async listen(onAppend: (seq: number) => void, onLost: (error: unknown) => void): Promise<() => Promise<void>> {
    // When the connection is lost it is made again (hosts in turn); announcements missed meanwhile are caught up by the
    // follower's poll. `onLost` only when no host answers within `giveUpMs`.
    let current: pg.Client | null = null;
    let stopped = false;
    const open = async (): Promise<void> => {
      const client = await connectRetrying(
        this.target,
        { keepAlive: true, application_name: "sauda-announcements" },
        this.giveUpMs,
        () => stopped,
      );
      const lost = (): void => {
        if (current !== client || stopped) return;
        current = null;
        client.end().catch(() => undefined);
        open().catch((error: unknown) => {
          if (!stopped) onLost(error);
        });
      };
      client.on("error", lost);
      client.on("end", lost);
      client.on("notification", (message) => {
        if (message.channel === this.channel) onAppend(Number(message.payload));
      });
      current = client;
      try {
        await client.query(`LISTEN "${this.channel}"`);
      } catch (error) {
        if (!isConnectionLoss(error)) throw error;
        lost();
      }
      if (stopped) await client.end().catch(() => undefined);
    };
    await open();
    return async () => {
      stopped = true;
      const client = current;
      current = null;
      await client?.end().catch(() => undefined);
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
    await this.run((client) => this.createTablesOn(client));
  }

  private async createTablesOn(client: pg.Client): Promise<void> {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
    await client.query(`
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
      CREATE TABLE IF NOT EXISTS ${this.table("identity_snapshots")} (
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
    const result = await this.run((client) =>
      client.query(`SELECT seq, hash, mac FROM ${this.table("journal_head")} WHERE id = 1`),
    );
    const row = result.rows[0] as { seq: string; hash: string; mac: string | null } | undefined;
    return row ? { seq: Number(row.seq), hash: row.hash, mac: row.mac } : null;
  }

  async append(records: readonly JournalRecord[]): Promise<void> {
    await this.write(
      records,
      records.map((r) => r.hash),
      null,
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
    await this.write(records, hashes, previousHash);
    return hash;
  }

  /**
   * Writes `records` with their chain hashes `hashes` and the new head in one transaction; when the connection is lost
   * on the way, again on a new one (after the leadership is taken again, when it was lost too), for at most
   * `giveUpMs`. `previousHash` is the head's hash before them, when known.
   */
  private async write(
    records: readonly UnchainedRecord[],
    hashes: readonly string[],
    previousHash: string | null,
  ): Promise<void> {
    if (records.length === 0) return;
    const started = Date.now();
    for (;;) {
      if (this.suspended !== null) await this.suspended.promise;
      const client = await this.connection();
      try {
        await this.exclusive(() => this.writeOn(client, records, hashes, previousHash));
        return;
      } catch (error) {
        if (
          error instanceof NotLeaderError ||
          error instanceof JournalMovedError ||
          this.closed ||
          !isConnectionLoss(error) ||
          Date.now() - started > this.giveUpMs
        ) {
          throw error;
        }
        this.broken(client);
      }
    }
  }

  private async writeOn(
    client: pg.Client,
    records: readonly UnchainedRecord[],
    hashes: readonly string[],
    previousHash: string | null,
  ): Promise<void> {
    const first = records[0]!;
    const last = records[records.length - 1]!;
    const lastHash = hashes[hashes.length - 1]!;
    const verifying = this.verifyHead;
    await client.query("BEGIN");
    try {
      if (this.fenceEpoch !== null) {
        // The fence (held until COMMIT) and the announcement to followers (sent at COMMIT, dropped on ROLLBACK).
        const fenced = await client.query({
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
      if (verifying) {
        // After a lost connection: was the batch committed before the cut (then it is not written again), or not at
        // all (then it is written now)? Anything else means the journal moved on without this node.
        const result = await client.query(`SELECT seq, hash FROM ${this.table("journal_head")} WHERE id = 1`);
        const row = result.rows[0] as { seq: string; hash: string } | undefined;
        const headSeq = row === undefined ? 0 : Number(row.seq);
        const headHash = row?.hash ?? GENESIS_HASH;
        if (headSeq === last.seq && headHash === lastHash) {
          await client.query("ROLLBACK");
          this.verifyHead = false;
          return;
        }
        if (headSeq !== first.seq - 1 || (previousHash !== null && headHash !== previousHash)) {
          throw new JournalMovedError(
            `the journal's head is record ${headSeq}, but this node was writing records ${first.seq}-${last.seq} after the connection was lost`,
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
        await client.query(
          rows === INSERT_CHUNK_ROWS ? { name: "sauda_journal_insert", text, values } : { text, values },
        );
      }
      await client.query(
        `INSERT INTO ${this.table("journal_head")} (id, seq, hash, mac) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, mac = EXCLUDED.mac`,
        [last.seq, lastHash, this.macKey === null ? null : headMac(this.macKey, last.seq, lastHash)],
      );
      await client.query("COMMIT");
      if (verifying) this.verifyHead = false;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  async read(fromSeq: number, limit: number): Promise<JournalRecord[]> {
    const result = await this.run((client) =>
      client.query(
        `SELECT seq, time_ms, meta, command, events, hash FROM ${this.table("journal")} WHERE seq >= $1 ORDER BY seq LIMIT $2`,
        [fromSeq, limit],
      ),
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

  async headAndMaxSeq(): Promise<{ head: JournalHead | null; maxSeq: number }> {
    // One statement, one snapshot: an append commits the records and the head together, so both are seen or neither.
    const result = await this.run((client) =>
      client.query(
        `SELECT h.seq, h.hash, h.mac, (SELECT MAX(seq) FROM ${this.table("journal")}) AS max_seq
           FROM (SELECT 1) AS one LEFT JOIN ${this.table("journal_head")} AS h ON h.id = 1`,
      ),
    );
    const row = result.rows[0] as {
      seq: string | null;
      hash: string | null;
      mac: string | null;
      max_seq: string | null;
    };
    return {
      head: row.seq === null ? null : { seq: Number(row.seq), hash: row.hash!, mac: row.mac },
      maxSeq: Number(row.max_seq ?? 0),
    };
  }

  async maxSeq(): Promise<number> {
    const result = await this.run((client) => client.query(`SELECT MAX(seq) AS seq FROM ${this.table("journal")}`));
    return Number((result.rows[0] as { seq: string | null }).seq ?? 0);
  }

  async saveSnapshot(snapshot: SnapshotRecord, replacing?: number): Promise<void> {
    const mac =
      this.macKey === null
        ? null
        : snapshotMac(this.macKey, snapshot.seq, snapshot.stateHash, snapshot.recordHash, snapshot.dataHash);
    const table = this.table("snapshots");
    await this.run((client) =>
      transaction(client, async () => {
        await client.query(
          `INSERT INTO ${table} (seq, state_hash, record_hash, data, data_hash, mac) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (seq) DO UPDATE SET state_hash = EXCLUDED.state_hash, record_hash = EXCLUDED.record_hash,
             data = EXCLUDED.data, data_hash = EXCLUDED.data_hash, mac = EXCLUDED.mac`,
          [snapshot.seq, snapshot.stateHash, snapshot.recordHash, snapshot.data, snapshot.dataHash, mac],
        );
        if (replacing !== undefined && replacing !== snapshot.seq) {
          await client.query(`DELETE FROM ${table} WHERE seq = $1`, [replacing]);
        }
      }),
    );
  }

  async saveViewSnapshot(snapshot: ViewSnapshotRecord): Promise<void> {
    const mac =
      this.macKey === null ? null : viewSnapshotMac(this.macKey, snapshot.seq, snapshot.recordHash, snapshot.dataHash);
    await this.saveDerivedSnapshot("view_snapshots", snapshot, mac, VIEW_SNAPSHOTS_KEPT);
  }

  async loadViewSnapshot(): Promise<ViewSnapshotRecord | null> {
    return this.loadDerivedSnapshot("view_snapshots");
  }

  async saveIdentitySnapshot(snapshot: IdentitySnapshotRecord): Promise<void> {
    const mac =
      this.macKey === null
        ? null
        : identitySnapshotMac(this.macKey, snapshot.seq, snapshot.recordHash, snapshot.dataHash);
    await this.saveDerivedSnapshot("identity_snapshots", snapshot, mac, IDENTITY_SNAPSHOTS_KEPT);
  }

  async loadIdentitySnapshot(): Promise<IdentitySnapshotRecord | null> {
    return this.loadDerivedSnapshot("identity_snapshots");
  }

  /** Saves a snapshot derived from the journal (the read models' or identity's) and keeps the newest `kept`. */
  private async saveDerivedSnapshot(
    name: "view_snapshots" | "identity_snapshots",
    snapshot: ViewSnapshotRecord,
    mac: string | null,
    kept: number,
  ): Promise<void> {
    const table = this.table(name);
    await this.run((client) =>
      transaction(client, async () => {
        await client.query(
          `INSERT INTO ${table} (seq, record_hash, data, data_hash, mac) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (seq) DO UPDATE SET record_hash = EXCLUDED.record_hash, data = EXCLUDED.data,
             data_hash = EXCLUDED.data_hash, mac = EXCLUDED.mac`,
          [snapshot.seq, snapshot.recordHash, Buffer.from(snapshot.data), snapshot.dataHash, mac],
        );
        await client.query(
          `DELETE FROM ${table} WHERE seq NOT IN (SELECT seq FROM ${table} ORDER BY seq DESC LIMIT $1)`,
          [kept],
        );
      }),
    );
  }

  private async loadDerivedSnapshot(name: "view_snapshots" | "identity_snapshots"): Promise<ViewSnapshotRecord | null> {
    const result = await this.run((client) =>
      client.query(`SELECT seq, record_hash, data, data_hash, mac FROM ${this.table(name)} ORDER BY seq DESC LIMIT 1`),
    );
    const row = result.rows[0] as
      | { seq: string; record_hash: string; data: Buffer; data_hash: string; mac: string | null }
      | undefined;
    if (!row) return null;
    return { seq: Number(row.seq), recordHash: row.record_hash, data: row.data, dataHash: row.data_hash, mac: row.mac };
  }

  async snapshots(): Promise<SnapshotInfo[]> {
    const result = await this.run((client) =>
      client.query(`SELECT seq, state_hash FROM ${this.table("snapshots")} ORDER BY seq DESC`),
    );
    return result.rows.map((row: { seq: string; state_hash: string }) => ({
      seq: Number(row.seq),
      stateHash: row.state_hash,
    }));
  }

  async loadSnapshot(seq: number): Promise<SnapshotRecord | null> {
    const result = await this.run((client) =>
      client.query(`SELECT * FROM ${this.table("snapshots")} WHERE seq = $1`, [seq]),
    );
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

  async rewriteMacs(
    head: string | null,
    snapshots: ReadonlyMap<number, string>,
    derived: ReadonlyMap<DerivedSnapshotTable, ReadonlyMap<number, string>> = new Map(),
  ): Promise<void> {
    await this.run((client) =>
      transaction(client, async () => {
        if (head !== null) await client.query(`UPDATE ${this.table("journal_head")} SET mac = $1 WHERE id = 1`, [head]);
        for (const [seq, mac] of snapshots) {
          await client.query(`UPDATE ${this.table("snapshots")} SET mac = $1 WHERE seq = $2`, [mac, seq]);
        }
        for (const [table, macs] of derived) {
          for (const [seq, mac] of macs) {
            await client.query(`UPDATE ${this.table(table)} SET mac = $1 WHERE seq = $2`, [mac, seq]);
          }
        }
      }),
    );
  }

  async derivedSnapshotMacs(table: DerivedSnapshotTable): Promise<DerivedSnapshotMac[]> {
    const result = await this.run((client) =>
      client.query(`SELECT seq, record_hash, data_hash, mac FROM ${this.table(table)} ORDER BY seq`),
    );
    return result.rows.map((row: { seq: string; record_hash: string; data_hash: string; mac: string | null }) => ({
      seq: Number(row.seq),
      recordHash: row.record_hash,
      dataHash: row.data_hash,
      mac: row.mac,
    }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.suspended?.reject(new Error("the journal store is closed"));
    this.suspended = null;
    const client = this.client;
    this.client = null;
    await client?.end();
  }

  /** For tests that damage the journal on purpose, and to drop a test schema. */
  async unsafeExec(sql: string): Promise<void> {
    await (await this.connection()).query(sql.replaceAll("{schema}", `"${this.schema}"`));
  }
}

/** Runs `work` in a transaction on `client`. */
async function transaction(client: pg.Client, work: () => Promise<void>): Promise<void> {
  await client.query("BEGIN");
  try {
    await work();
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/**
 * After a lost connection the journal's head was neither just before the batch being written nor its end: another
 * node wrote meanwhile. This node's state is not the journal's; it must stop.
 */
export class JournalMovedError extends Error {
  override name = "JournalMovedError";
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

/** The URL without its password, for messages and logs (one host or several). */
export function redact(url: string): string {
  return redactUrl(url);
}
