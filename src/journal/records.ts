/**
 * What the journal stores and how its integrity is checked.
 *
 * A journal record is one sequenced command with the events it produced, as JSON text exactly as written. Records
 * form a hash chain: each record's hash covers the previous record's hash and its own fields, so any change, removal
 * or reordering of a stored record breaks the chain at that record. The journal head (the last record's seq and hash,
 * written in the same transaction as the records) lets a reader tell a truncated tail from a complete one.
 */

import { hash } from "node:crypto";

export interface JournalRecord {
  readonly seq: number;
  readonly timeMs: number;
  /** Who sent the command and from where, as JSON text (see `CommandMeta`); `{}` for the system itself. */
  readonly meta: string;
  /** The command as JSON text. */
  readonly command: string;
  /** The events the engine produced for it, as a JSON array. */
  readonly events: string;
  /** Chain hash: sha256 over the previous record's hash and this record's fields (hex). */
  readonly hash: string;
}

/**
 * A record before its chain hash is known. The sequencer builds these; the store chains them (see
 * `JournalStore.appendChained`), so the hashing can run where the writing does, off the sequencer's thread.
 */
export type UnchainedRecord = Omit<JournalRecord, "hash">;

export interface JournalHead {
  readonly seq: number;
  readonly hash: string;
}

export interface SnapshotRecord {
  readonly seq: number;
  /** The engine's state hash at `seq`. */
  readonly stateHash: string;
  /** Hash of the journal record at `seq`, so replay after the snapshot can continue the chain. */
  readonly recordHash: string;
  /** The engine snapshot as JSON text. */
  readonly data: string;
  /** sha256 of `data` (hex): detects a damaged snapshot before it is restored. */
  readonly dataHash: string;
}

/** The hash that comes before the first record. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * Who asked for a command, for the audit trail: the user or API key, the role they acted in, and where the request
 * came from. Stored beside the command, covered by the hash chain, never seen by the engine.
 */
export interface CommandMeta {
  readonly actor?: string;
  readonly role?: string;
  readonly source?: string;
  readonly requestId?: string;
}

/**
 * sha256 (hex) over the previous record's hash and this record's fields, each followed by a newline but the last.
 * One call over one string: Node's one-shot `crypto.hash` costs about a quarter less than a `Hash` object per record.
 * The SQLite writer and reader threads (sqlite-writer.js, sqlite-reader.js) compute the same formula in plain
 * JavaScript; keep the three the same.
 */
export function chainHash(
  previousHash: string,
  seq: number,
  timeMs: number,
  meta: string,
  command: string,
  events: string,
): string {
  return hash("sha256", `${previousHash}\n${seq}\n${timeMs}\n${meta}\n${command}\n${events}`, "hex");
}

export function dataHash(data: string): string {
  return hash("sha256", data, "hex");
}

/** `records` with their chain hashes, the first chained to `previousHash`. */
export function chainRecords(previousHash: string, records: readonly UnchainedRecord[]): JournalRecord[] {
  const chained: JournalRecord[] = new Array(records.length);
  let hash = previousHash;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    hash = chainHash(hash, r.seq, r.timeMs, r.meta, r.command, r.events);
    chained[i] = { seq: r.seq, timeMs: r.timeMs, meta: r.meta, command: r.command, events: r.events, hash };
  }
  return chained;
}
