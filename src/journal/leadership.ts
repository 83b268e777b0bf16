/**
 * Leadership of a PostgreSQL journal shared by several nodes (docs/operations.md, "High availability"). Exactly one
 * node, the leader, runs the sequencer and writes; the others follow the journal and serve reads.
 *
 * - The lock: a session-level advisory lock (`pg_try_advisory_lock`) keyed by the journal's schema, taken on a
 *   connection kept for nothing else. PostgreSQL releases it when that session ends (the process died, its socket
 *   closed, or the server dropped it), and then another node's next try takes it.
 * - The epoch: on taking the lock the new leader bumps `leader.epoch` and publishes its advertised URL there. Every
 *   append checks, under a share lock on that row, that the epoch is still its own (`PostgresStore.fence`), so a
 *   deposed leader can never write; the bump waits for an append in flight to commit, and the new leader reads the
 *   journal's head only after it. The unique seq and the hash chain are the last line of defence, not the first.
 * - Losing the lock: when the lock connection fails, or a heartbeat on it does not answer in time, the leader is told
 *   at once (`onLost`); it must stop writing (the server exits, and starts again as a follower).
 */

import { hostname } from "node:os";
import pg from "pg";

/** The first key of the advisory lock (the second is the schema's hash): "sauda" in ASCII, kept fixed. */
export const LOCK_CLASS = 0x5341_5544;
/** A follower tries to take the lock this often. */
export const LEADERSHIP_TRY_EVERY_MS = 250;
/** The lock connection is asked to answer this often; a failure or no answer in the timeout deposes the leader. */
export const LEADERSHIP_HEARTBEAT_MS = 500;
export const LEADERSHIP_HEARTBEAT_TIMEOUT_MS = 2000;

export interface LeaderInfo {
  readonly epoch: number;
  readonly node: string;
  readonly url: string;
  readonly sinceMs: number;
}

export interface LeadershipOptions {
  readonly url: string;
  readonly schema: string;
  /** The URL clients reach this node at, published while it leads. */
  readonly advertisedUrl: string;
  /** This node's name, for messages (default host:pid). */
  readonly node?: string;
  readonly clock?: () => number;
}

export class Leadership {
  private readonly client: pg.Client;
  private readonly options: LeadershipOptions;
  private readonly node: string;
  private epochValue: number | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private lostListeners: ((error: unknown) => void)[] = [];
  private lost = false;
  private closed = false;

  private constructor(client: pg.Client, options: LeadershipOptions) {
    this.client = client;
    this.options = options;
    this.node = options.node ?? `${hostname()}:${process.pid}`;
    client.on("error", (error) => this.lose(error));
    client.on("end", () => this.lose(new Error("the leadership connection ended")));
  }

  static async connect(options: LeadershipOptions): Promise<Leadership> {
    const client = new pg.Client({
      connectionString: options.url,
      keepAlive: true,
      keepAliveInitialDelayMillis: 1000,
      application_name: "sauda-leadership",
    });
    await client.connect();
    return new Leadership(client, options);
  }

  private table(name: string): string {
    return `"${this.options.schema}"."${name}"`;
  }

  /** The epoch this node leads in, or null while it does not lead. */
  get epoch(): number | null {
    return this.epochValue;
  }

  get advertisedUrl(): string {
    return this.options.advertisedUrl;
  }

  get nodeName(): string {
    return this.node;
  }

  /** Called once if the lock connection fails: a leader has lost the leadership, a follower cannot take it. */
  onLost(listener: (error: unknown) => void): void {
    this.lostListeners.push(listener);
  }

  /**
   * Tries once to take the lock; when taken, bumps the epoch, publishes this node's URL and resolves with the new
   * epoch (after any append under the old epoch has committed). Null when another node holds it.
   */
  async tryLead(): Promise<number | null> {
    if (this.epochValue !== null) return this.epochValue;
    if (this.lost || this.closed) return null;
    const taken = await this.client.query("SELECT pg_try_advisory_lock($1, hashtext($2)) AS taken", [
      LOCK_CLASS,
      this.options.schema,
    ]);
    if (!(taken.rows[0] as { taken: boolean }).taken) return null;
    const now = (this.options.clock ?? Date.now)();
    const bumped = await this.client.query(
      `INSERT INTO ${this.table("leader")} (id, epoch, node, url, since_ms) VALUES (1, 1, $1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET epoch = ${this.table("leader")}.epoch + 1, node = EXCLUDED.node,
         url = EXCLUDED.url, since_ms = EXCLUDED.since_ms
       RETURNING epoch`,
      [this.node, this.options.advertisedUrl, now],
    );
    this.epochValue = Number((bumped.rows[0] as { epoch: string }).epoch);
    this.startHeartbeat();
    return this.epochValue;
  }

  /** The leader as published (the last node that took the lock), or null before any did. */
  async leader(): Promise<LeaderInfo | null> {
    const result = await this.client.query(
      `SELECT epoch, node, url, since_ms FROM ${this.table("leader")} WHERE id = 1`,
    );
    const row = result.rows[0] as { epoch: string; node: string; url: string; since_ms: string } | undefined;
    return row ? { epoch: Number(row.epoch), node: row.node, url: row.url, sinceMs: Number(row.since_ms) } : null;
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(() => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the leadership connection did not answer in ${LEADERSHIP_HEARTBEAT_TIMEOUT_MS} ms`)),
          LEADERSHIP_HEARTBEAT_TIMEOUT_MS,
        );
      });
      Promise.race([this.client.query("SELECT 1"), timeout])
        .catch((error: unknown) => this.lose(error))
        .finally(() => clearTimeout(timer));
    }, LEADERSHIP_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private lose(error: unknown): void {
    if (this.lost || this.closed) return;
    this.lost = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.epochValue = null;
    // A leader must stop writing; a follower can no longer take over. Both are told.
    for (const listener of this.lostListeners) listener(error);
  }

  /** Gives up the lock (by ending its session). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.client.removeAllListeners("error");
    this.client.on("error", () => undefined);
    await this.client.end().catch(() => undefined);
  }
}
