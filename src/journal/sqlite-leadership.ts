/**
 * Leadership of a SQLite journal shared by several `sauda serve` processes on one machine (docs/operations.md, "A
 * standby on the same machine"): one leads and writes; the others follow the journal as it grows, serve reads, forward
 * changes to the leader, and one of them takes over when the leader's process dies.
 *
 * - The lock: an exclusive transaction (`BEGIN EXCLUSIVE`) held open on a small SQLite file beside the journal
 *   (`sauda.sqlite-leader`). SQLite takes it as a POSIX lock on that file, and the operating system releases such a
 *   lock when the process that holds it ends, however it ends (SIGKILL included); the next try of another process then
 *   takes it. Nothing expires on a timer, so a leader that only stalls (a long pause, a loaded machine) stays the
 *   leader, and no second node can lead beside it. The lock is local: the nodes must share one file system that
 *   honours POSIX locks (a local disk, not a network share).
 * - The epoch: on taking the lock the new leader bumps `leader.epoch` in the journal and publishes its advertised URL
 *   there; the journal store then checks, in each append's transaction, that the epoch is still its own
 *   (`SqliteStore.fence`). The lock makes a second leader impossible; the epoch is the second line of defence, and
 *   the hash chain the last.
 *
 * The leadership is never lost while the process lives (a local file lock has no connection to lose), so `onLost`,
 * `onSuspended` and `onRegained` are never called.
 */

import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { JournalLeadership, LeaderInfo } from "./leadership.ts";
import { DATA_DIRECTORY_MODE } from "./sqlite-store.ts";

/** The lock file beside a journal file `x.sqlite`: `x.sqlite-leader` (as SQLite's own `-wal` and `-shm`). */
export const LOCK_FILE_SUFFIX = "-leader";

const LEADER_TABLE = `CREATE TABLE IF NOT EXISTS leader (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  epoch INTEGER NOT NULL,
  node TEXT NOT NULL,
  url TEXT NOT NULL,
  since_ms INTEGER NOT NULL
)`;

/**
 * A standby tries the lock this often: a try is one refused lock on a local file (microseconds), so it can be tried
 * far more often than PostgreSQL's, and the takeover waits at most this long after the leader's process ends.
 */
export const SQLITE_LEADERSHIP_TRY_EVERY_MS = 10;

/** How long the bump of the epoch waits for the journal's write lock (another connection's transaction). */
const JOURNAL_LOCK_WAIT_MS = 30_000;

export interface SqliteLeadershipOptions {
  /** The journal's SQLite file (sqlite-store.ts `sqliteFile`). */
  readonly file: string;
  /** This node's name, for messages (default host:pid). */
  readonly node?: string;
  readonly clock?: () => number;
}

export class SqliteLeadership implements JournalLeadership {
  private readonly lock: Database.Database;
  private readonly journal: Database.Database;
  private readonly node: string;
  private readonly clock: () => number;
  private locked = false;
  private epochValue: number | null = null;
  private url = "";
  private closed = false;
  readonly tryEveryMs = SQLITE_LEADERSHIP_TRY_EVERY_MS;

  constructor(options: SqliteLeadershipOptions) {
    this.node = options.node ?? `${hostname()}:${process.pid}`;
    this.clock = options.clock ?? Date.now;
    mkdirSync(dirname(options.file), { recursive: true, mode: DATA_DIRECTORY_MODE });
    // No wait for the lock: a try that finds it held answers at once (SQLITE_BUSY).
    this.lock = new Database(`${options.file}${LOCK_FILE_SUFFIX}`, { timeout: 0 });
    this.journal = new Database(options.file, { timeout: JOURNAL_LOCK_WAIT_MS });
    this.journal.pragma("journal_mode = WAL");
    this.journal.pragma("synchronous = FULL");
    this.journal.exec(LEADER_TABLE);
  }

  /** The epoch this node leads in, or null while it does not lead. */
  get epoch(): number | null {
    return this.epochValue;
  }

  get advertisedUrl(): string {
    return this.url;
  }

  get nodeName(): string {
    return this.node;
  }

  /** Whether this process holds the lock. */
  get holdsLock(): boolean {
    return this.locked;
  }

  /** The URL clients reach this node at, published when it takes the lead (known once the node listens). */
  advertise(url: string): void {
    this.url = url;
  }

  /** Tries once to take the lock; true when this process holds it (now or already). */
  tryLock(): boolean {
    if (this.locked) return true;
    if (this.closed) return false;
    try {
      this.lock.exec("BEGIN EXCLUSIVE");
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_BUSY") return false;
      throw error;
    }
    this.locked = true;
    return true;
  }

  /**
   * Tries once to take the lock; when taken (or already held), bumps the journal's epoch, publishes this node's URL
   * and resolves with the new epoch. Null while another process holds the lock.
   */
  async tryLead(): Promise<number | null> {
    if (this.epochValue !== null) return this.epochValue;
    if (!this.tryLock()) return null;
    const bump = this.journal.prepare<[string, string, number], number>(
      `INSERT INTO leader (id, epoch, node, url, since_ms) VALUES (1, 1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET epoch = leader.epoch + 1, node = excluded.node, url = excluded.url,
         since_ms = excluded.since_ms
       RETURNING epoch`,
    );
    const epoch = bump.pluck().get(this.node, this.url, this.clock())!;
    this.epochValue = epoch;
    return epoch;
  }

  async leader(): Promise<LeaderInfo | null> {
    const row = this.journal.prepare("SELECT epoch, node, url, since_ms FROM leader WHERE id = 1").get() as
      | { epoch: number; node: string; url: string; since_ms: number }
      | undefined;
    return row ? { epoch: row.epoch, node: row.node, url: row.url, sinceMs: row.since_ms } : null;
  }

  // A lock on a local file is held until the process ends or gives it up: there is no connection to lose.
  onLost(_listener: (error: unknown) => void): void {}
  onSuspended(_listener: (error: unknown) => void): void {}
  onRegained(_listener: (epoch: number) => void): void {}

  async confirm(): Promise<number> {
    if (this.epochValue === null) throw new Error("this node does not lead the journal");
    return this.epochValue;
  }

  /** Gives the lock up (the next standby's try takes it). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.epochValue = null;
    this.locked = false;
    this.journal.close();
    // Closing the connection ends its transaction and releases the file's lock.
    this.lock.close();
  }
}
