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
 * - Losing the connection: when the lock connection fails, or a heartbeat on it does not answer in time, the leader
 *   is told at once (`onSuspended`): it stops starting appends. It then connects again, trying the listed hosts in turn
 *   (pg-target.ts: after a database failover the new primary is one of them) with a bounded backoff, and tries the
 *   lock once: taken, it bumps the epoch and goes on leading in the new epoch (`onRegained`; its appends are fenced by
 *   it, and the first checks that the journal's head is where this node left it); held by another node, or no primary
 *   within the give-up time, the leadership is lost (`onLost`): the node must stop writing (the server exits, and
 *   starts again as a follower). A follower whose connection fails connects again the same way on its next try, and
 *   tries the lock only `LEADERSHIP_FOLLOWER_GRACE_MS` later, so that the leader keeps the lead through a failover.
 */

import { hostname } from "node:os";
import type pg from "pg";
import {
  connectOnce,
  connectRetrying,
  isConnectionLoss,
  type PgTarget,
  parseTarget,
  RECONNECT_GIVE_UP_MS,
} from "./pg-target.ts";

/** The first key of the advisory lock (the second is the schema's hash): "sauda" in ASCII, kept fixed. */
export const LOCK_CLASS = 0x5341_5544;
/** A follower tries to take the lock this often. */
export const LEADERSHIP_TRY_EVERY_MS = 250;
/** The lock connection is asked to answer this often; a failure or no answer in the timeout deposes the leader. */
export const LEADERSHIP_HEARTBEAT_MS = 500;
export const LEADERSHIP_HEARTBEAT_TIMEOUT_MS = 2000;
/**
 * A follower whose connection was lost (the database failed over) waits this long after connecting again before it
 * tries the lock: the leader, which tries at once, keeps the lead, and the nodes need not change roles.
 */
export const LEADERSHIP_FOLLOWER_GRACE_MS = 2000;

/**
 * Resolves when the lock connection answers a `SELECT 1`; rejects when it has not answered in
 * `LEADERSHIP_HEARTBEAT_TIMEOUT_MS`. The timer's end is decided only once the event loop has read what has already
 * arrived: after a pause of this process longer than the timeout (a loaded machine, a long synchronous task) the
 * timer runs before the socket is read, and would depose a leader whose connection had answered in time.
 */
function answers(client: pg.Client): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  let readFirst: NodeJS.Immediate | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // An immediate runs after the event loop's poll for I/O, so an answer already in the socket settles the race.
      readFirst = setImmediate(() =>
        reject(new Error(`the leadership connection did not answer in ${LEADERSHIP_HEARTBEAT_TIMEOUT_MS} ms`)),
      );
    }, LEADERSHIP_HEARTBEAT_TIMEOUT_MS);
  });
  return Promise.race([client.query("SELECT 1"), timeout]).finally(() => {
    clearTimeout(timer);
    if (readFirst !== undefined) clearImmediate(readFirst);
  });
}

/**
 * What a node needs of the leadership of its journal, whichever store holds it: PostgreSQL's advisory lock
 * (`Leadership`, below) or, for nodes on one machine sharing a SQLite journal, a lock on a file beside it
 * (sqlite-leadership.ts).
 */
export interface JournalLeadership {
  /** The epoch this node leads in, or null while it does not lead. */
  readonly epoch: number | null;
  /** The URL clients reach this node at, published while it leads. */
  readonly advertisedUrl: string;
  /** How often a follower tries to take the leadership (default `LEADERSHIP_TRY_EVERY_MS`). */
  readonly tryEveryMs?: number;
  /** Tries once to take the leadership: the new epoch once taken, null while another node holds it. */
  tryLead(): Promise<number | null>;
  /** The leader as published (the last node that took the leadership), or null before any did. */
  leader(): Promise<LeaderInfo | null>;
  /** Called once if the leadership is lost: a leader must stop writing at once. */
  onLost(listener: (error: unknown) => void): void;
  /** Called when a leader must start no append until `onRegained` (or `onLost`). */
  onSuspended(listener: (error: unknown) => void): void;
  /** Called when a suspended leader leads again, in the new epoch given. */
  onRegained(listener: (epoch: number) => void): void;
  /** Resolves with the epoch this node leads in once confirmed; rejects when the leadership is lost. */
  confirm(): Promise<number>;
  /** Gives the leadership up. */
  close(): Promise<void>;
}

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
  /** How long a lost connection is tried again before the leadership is given up (default 60 s). */
  readonly giveUpMs?: number;
}

const CLIENT_OPTIONS = {
  keepAlive: true,
  keepAliveInitialDelayMillis: 1000,
  application_name: "sauda-leadership",
} as const;

export class Leadership implements JournalLeadership {
  /** The lock connection, null while it is being made again. */
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly target: PgTarget;
  private readonly options: LeadershipOptions;
  private readonly node: string;
  private epochValue: number | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private lostListeners: ((error: unknown) => void)[] = [];
  private suspendedListeners: ((error: unknown) => void)[] = [];
  private regainedListeners: ((epoch: number) => void)[] = [];
  /** Set while a leader whose connection failed connects again and tries the lock again. */
  private regaining = false;
  /** A follower that connected again after a lost connection does not try the lock before this time. */
  private holdOffUntil = 0;
  private lost = false;
  private closed = false;

  private constructor(client: pg.Client, target: PgTarget, options: LeadershipOptions) {
    this.target = target;
    this.options = options;
    this.node = options.node ?? `${hostname()}:${process.pid}`;
    this.attach(client);
  }

  static async connect(options: LeadershipOptions): Promise<Leadership> {
    const target = parseTarget(options.url);
    const client = await connectRetrying(target, CLIENT_OPTIONS, options.giveUpMs ?? RECONNECT_GIVE_UP_MS);
    return new Leadership(client, target, options);
  }

  private attach(client: pg.Client): void {
    client.on("error", (error) => this.failed(client, error));
    client.on("end", () => this.failed(client, new Error("the leadership connection ended")));
    this.client = client;
  }

  /** The connection, made again (hosts in turn) when it was lost. */
  private connection(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error("the leadership is closed"));
    if (this.client !== null) return Promise.resolve(this.client);
    this.connecting ??= connectRetrying(
      this.target,
      CLIENT_OPTIONS,
      this.options.giveUpMs ?? RECONNECT_GIVE_UP_MS,
      () => this.closed,
    )
      .then((client) => {
        if (this.closed) {
          client.end().catch(() => undefined);
          throw new Error("the leadership is closed");
        }
        this.attach(client);
        if (this.epochValue === null && !this.regaining) {
          this.holdOffUntil = (this.options.clock ?? Date.now)() + LEADERSHIP_FOLLOWER_GRACE_MS;
        }
        return client;
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
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

  /** Called when a leader's lock connection fails: it must start no append until `onRegained` (or `onLost`). */
  onSuspended(listener: (error: unknown) => void): void {
    this.suspendedListeners.push(listener);
  }

  /** Called when a leader whose connection failed has the lock again, in the new epoch given. */
  onRegained(listener: (epoch: number) => void): void {
    this.regainedListeners.push(listener);
  }

  /**
   * Tries once to take the lock; when taken, bumps the epoch, publishes this node's URL and resolves with the new
   * epoch (after any append under the old epoch has committed). Null when another node holds it.
   */
  async tryLead(): Promise<number | null> {
    if (this.epochValue !== null) return this.epochValue;
    if (this.lost || this.closed || this.regaining) return null;
    let client: pg.Client;
    try {
      client = await this.connection();
    } catch {
      return null; // no primary answers yet: the next try connects again
    }
    if ((this.options.clock ?? Date.now)() < this.holdOffUntil) return null;
    try {
      const epoch = await this.take(client);
      if (epoch !== null) {
        this.epochValue = epoch;
        this.startHeartbeat();
      }
      return epoch;
    } catch (error) {
      if (!isConnectionLoss(error) || this.closed) throw error;
      // The connection failed before this node led: nothing to give up; the next try connects again.
      this.dropClient(client);
      return null;
    }
  }

  /** Tries the lock on `client`; when taken, bumps the epoch and returns it. */
  private async take(client: pg.Client): Promise<number | null> {
    const taken = await client.query("SELECT pg_try_advisory_lock($1, hashtext($2)) AS taken", [
      LOCK_CLASS,
      this.options.schema,
    ]);
    if (!(taken.rows[0] as { taken: boolean }).taken) return null;
    const now = (this.options.clock ?? Date.now)();
    const bumped = await client.query(
      `INSERT INTO ${this.table("leader")} (id, epoch, node, url, since_ms) VALUES (1, 1, $1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET epoch = ${this.table("leader")}.epoch + 1, node = EXCLUDED.node,
         url = EXCLUDED.url, since_ms = EXCLUDED.since_ms
       RETURNING epoch`,
      [this.node, this.options.advertisedUrl, now],
    );
    return Number((bumped.rows[0] as { epoch: string }).epoch);
  }

  /** The leader as published (the last node that took the lock), or null before any did. */
  async leader(): Promise<LeaderInfo | null> {
    const client = await this.connection();
    const result = await client.query(`SELECT epoch, node, url, since_ms FROM ${this.table("leader")} WHERE id = 1`);
    const row = result.rows[0] as { epoch: string; node: string; url: string; since_ms: string } | undefined;
    return row ? { epoch: Number(row.epoch), node: row.node, url: row.url, sinceMs: Number(row.since_ms) } : null;
  }

  private startHeartbeat(): void {
    const client = this.client;
    if (client === null) return;
    this.heartbeat = setInterval(() => {
      answers(client).catch((error: unknown) => this.failed(client, error));
    }, LEADERSHIP_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private dropClient(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners("error");
    client.on("error", () => undefined);
    client.end().catch(() => undefined);
  }

  /** The connection `client` failed (or its heartbeat did not answer). */
  private failed(client: pg.Client, error: unknown): void {
    if (this.client !== client || this.lost || this.closed) return;
    this.dropClient(client);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (this.epochValue === null) return; // a follower connects again on its next try
    // A leader stops starting appends at once, then tries to take the lock again on a new connection.
    this.epochValue = null;
    this.regaining = true;
    for (const listener of this.suspendedListeners) listener(error);
    this.regain(error).catch((failure: unknown) => this.lose(failure));
  }

  private async regain(cause: unknown): Promise<void> {
    const client = await this.connection();
    const epoch = await this.take(client);
    if (this.closed) return;
    if (epoch === null) {
      throw new Error(
        `the leadership connection failed (${(cause as Error).message ?? String(cause)}) and another node took the lock meanwhile`,
      );
    }
    this.regaining = false;
    this.epochValue = epoch;
    this.startHeartbeat();
    for (const listener of this.regainedListeners) listener(epoch);
  }

  private lose(error: unknown): void {
    if (this.lost || this.closed) return;
    this.lost = true;
    this.regaining = false;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.epochValue = null;
    const client = this.client;
    if (client !== null) this.dropClient(client);
    // A leader must stop writing. It is told.
    for (const listener of this.lostListeners) listener(error);
  }

  /**
   * Asks the lock connection to answer now (the journal's own connection failed): resolves with the epoch this node
   * still leads in, or — when that connection failed too — with the new epoch once the lock is taken again; rejects
   * when the leadership is lost.
   */
  async confirm(): Promise<number> {
    const client = this.client;
    const epoch = this.epochValue;
    if (client !== null && epoch !== null && !this.regaining) {
      try {
        await answers(client);
        if (this.epochValue === epoch) return epoch;
      } catch (error) {
        this.failed(client, error);
      }
    }
    if (this.lost || this.closed) throw new Error("the leadership was lost");
    if (this.epochValue !== null && !this.regaining) return this.epochValue;
    return new Promise<number>((resolve, reject) => {
      this.regainedListeners.push(resolve);
      this.lostListeners.push(reject);
    });
  }

  /** Gives up the lock (by ending its session). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    const client = this.client;
    this.client = null;
    if (client === null) return;
    client.removeAllListeners("error");
    client.on("error", () => undefined);
    await client.end().catch(() => undefined);
  }
}

/**
 * For a command that needs the server stopped (`sauda keys rotate-mac`, `sauda user create`) on a PostgreSQL journal:
 * takes the leaders' advisory lock of `schema` and holds it until `release`, so that no node leads meanwhile; throws
 * (`code` `SAUDA_SERVER_RUNNING`) at once when a node leads the journal now. A follower that does not lead is not seen:
 * stop every node first (docs/security.md).
 */
export async function holdLeadershipForCommand(
  database: string,
  schema: string,
  command: string,
): Promise<{ release(): Promise<void> }> {
  const client = await connectOnce(parseTarget(database), { application_name: "sauda-command" });
  try {
    const taken = await client.query("SELECT pg_try_advisory_lock($1, hashtext($2)) AS taken", [LOCK_CLASS, schema]);
    if (!(taken.rows[0] as { taken: boolean }).taken) {
      throw Object.assign(
        new Error(
          `a sauda server leads the journal in schema ${schema}: stop every node of this exchange before ${command}`,
        ),
        { code: "SAUDA_SERVER_RUNNING" },
      );
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return { release: () => client.end().catch(() => undefined) };
}
