/**
 * What a FIX session keeps across restarts of either side: the next sequence number expected from the peer, every
 * message sent (so a ResendRequest can be answered after a restart), and how far into the journal the session's
 * messages have been made (so executions made while the gateway was down are still reported).
 *
 * One SQLite file beside the journal (`fix.sqlite` in the data directory), also when the journal is in PostgreSQL:
 * FIX sessions belong to the node that accepts them. WAL with `synchronous = NORMAL`: a committed write survives the
 * process being killed (the case sequence numbers must survive); an operating-system crash may lose the last
 * milliseconds, after which the peers resynchronise with ResendRequest and gap fills, as after any FIX outage.
 *
 * Bounds: a session keeps its newest `STORED_MESSAGES_MAX` messages; a resend asking for older ones gets a gap fill.
 */

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export const FIX_STORE_FILE_NAME = "fix.sqlite";
/** Messages a session keeps for resending. */
export const STORED_MESSAGES_MAX = 200_000;
/** How often (in messages sent by a session) the oldest stored ones beyond the bound are deleted. */
const TRIM_EVERY_MESSAGES = 10_000;

export interface SessionRow {
  readonly nextIn: number;
  /** One past the last sequence number sent. */
  readonly nextOut: number;
  /** The last journal seq whose executions were turned into this session's messages. */
  readonly journalSeq: number;
}

export interface StoredMessage {
  readonly seq: number;
  readonly type: string;
  /** The body after the standard header (`tag=value␁…`), as sent. */
  readonly body: string;
  readonly sentMs: number;
}

export class FixStore {
  private readonly db: Database.Database;
  private readonly statements;
  private sinceTrim = 0;
  private readonly pendingNextIn = new Map<string, number>();

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS fix_sessions (
        id TEXT PRIMARY KEY, next_in INTEGER NOT NULL, journal_seq INTEGER NOT NULL, created_ms INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS fix_messages (
        session TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL, sent_ms INTEGER NOT NULL,
        PRIMARY KEY (session, seq)
      ) WITHOUT ROWID;
    `);
    this.statements = {
      session: this.db.prepare("SELECT next_in, journal_seq FROM fix_sessions WHERE id = ?"),
      lastOut: this.db.prepare("SELECT MAX(seq) AS seq FROM fix_messages WHERE session = ?"),
      create: this.db.prepare(
        "INSERT INTO fix_sessions (id, next_in, journal_seq, created_ms) VALUES (?, 1, ?, ?) ON CONFLICT (id) DO NOTHING",
      ),
      setNextIn: this.db.prepare("UPDATE fix_sessions SET next_in = ? WHERE id = ?"),
      setJournalSeq: this.db.prepare("UPDATE fix_sessions SET journal_seq = ? WHERE id = ?"),
      append: this.db.prepare("INSERT INTO fix_messages (session, seq, type, body, sent_ms) VALUES (?, ?, ?, ?, ?)"),
      range: this.db.prepare(
        "SELECT seq, type, body, sent_ms FROM fix_messages WHERE session = ? AND seq BETWEEN ? AND ? ORDER BY seq",
      ),
      clear: this.db.prepare("DELETE FROM fix_messages WHERE session = ?"),
      trim: this.db.prepare("DELETE FROM fix_messages WHERE session = ? AND seq < ?"),
      sessions: this.db.prepare("SELECT id, journal_seq FROM fix_sessions ORDER BY id"),
    };
  }

  load(id: string): SessionRow | null {
    this.flushNextIn();
    const row = this.statements.session.get(id) as { next_in: number; journal_seq: number } | undefined;
    if (row === undefined) return null;
    const last = (this.statements.lastOut.get(id) as { seq: number | null }).seq ?? 0;
    return { nextIn: row.next_in, nextOut: last + 1, journalSeq: row.journal_seq };
  }

  /** Creates the session if it is new, starting at the given journal seq (nothing before it is reported). */
  create(id: string, journalSeq: number, nowMs: number): SessionRow {
    this.statements.create.run(id, journalSeq, nowMs);
    return this.load(id)!;
  }

  /** Every session with its journal position. */
  sessions(): { id: string; journalSeq: number }[] {
    return (this.statements.sessions.all() as { id: string; journal_seq: number }[]).map((row) => ({
      id: row.id,
      journalSeq: row.journal_seq,
    }));
  }

  /**
   * Records the next inbound sequence number. Written with the other sessions' in one transaction at the end of the
   * event loop's turn (a commit per message would cost more than the message): a crash may lose the last turn's
   * numbers, and the peer's next messages then look like a gap that a resend fills (the gateway's commands are
   * idempotent by ClOrdID, so a message processed twice changes nothing twice).
   */
  setNextIn(id: string, nextIn: number): void {
    this.pendingNextIn.set(id, nextIn);
    if (this.pendingNextIn.size === 1) setImmediate(() => this.flushNextIn());
  }

  private flushNextIn(): void {
    if (this.pendingNextIn.size === 0 || !this.db.open) return;
    this.transaction(() => {
      for (const [id, nextIn] of this.pendingNextIn) this.statements.setNextIn.run(nextIn, id);
    });
    this.pendingNextIn.clear();
  }

  setJournalSeq(id: string, seq: number): void {
    this.statements.setJournalSeq.run(seq, id);
  }

  append(id: string, message: StoredMessage): void {
    this.statements.append.run(id, message.seq, message.type, message.body, message.sentMs);
    if (++this.sinceTrim >= TRIM_EVERY_MESSAGES) {
      this.sinceTrim = 0;
      this.statements.trim.run(id, message.seq - STORED_MESSAGES_MAX);
    }
  }

  range(id: string, from: number, to: number): StoredMessage[] {
    return (
      this.statements.range.all(id, from, to) as { seq: number; type: string; body: string; sent_ms: number }[]
    ).map((row) => ({ seq: row.seq, type: row.type, body: row.body, sentMs: row.sent_ms }));
  }

  /** ResetSeqNumFlag: both directions start again at 1 and the stored messages are dropped. */
  reset(id: string): void {
    this.pendingNextIn.delete(id);
    this.transaction(() => {
      this.statements.clear.run(id);
      this.statements.setNextIn.run(1, id);
    });
  }

  transaction<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    return this.db.transaction(work)();
  }

  close(): void {
    this.flushNextIn();
    this.db.close();
  }
}
