/**
 * What the journal stores and how its integrity is checked.
 *
 * A journal record is one sequenced command with the events it produced, as JSON text exactly as written. Records
 * form a hash chain: each record's hash covers the previous record's hash and its own fields, so any change, removal
 * or reordering of a stored record breaks the chain at that record. The journal head (the last record's seq and hash,
 * written in the same transaction as the records) lets a reader tell a truncated tail from a complete one, and its MAC
 * (keyed, the key outside the database) lets it tell a journal written by this exchange from one rewritten by someone
 * who could only write to the database. The formulas live in chain.js, the one owner of them.
 */

import { hash } from "node:crypto";
import { chainHash } from "./chain.js";

export { chainHash, GENESIS_HASH, headMac, identitySnapshotMac, snapshotMac, viewSnapshotMac } from "./chain.js";

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
  /** The head MAC (chain.js `headMac`), written with the head; null in a journal written without a MAC key. */
  readonly mac?: string | null;
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
  /** The snapshot MAC (chain.js `snapshotMac`), added by the store that saves it; null without a MAC key. */
  readonly mac?: string | null;
}

/**
 * A snapshot of the read models (projections and surveillance) at `seq`, so that a start replays into them only the
 * records after it. Not evidence: whatever it holds can be rebuilt from the journal, and a start that cannot use it
 * rebuilds them so.
 */
export interface ViewSnapshotRecord {
  readonly seq: number;
  /** Hash of the journal record at `seq`: the snapshot belongs to this journal. */
  readonly recordHash: string;
  /** The read models, serialised (gateway/view-snapshots.ts). */
  readonly data: Uint8Array;
  /** sha256 of `data` (hex). */
  readonly dataHash: string;
  /** The view snapshot MAC (chain.js `viewSnapshotMac`), added by the store; null without a MAC key. */
  readonly mac?: string | null;
}

/**
 * A snapshot of the identity read model (gateway/identity.ts: users, API keys, the member of each account) at `seq`:
 * what a start restores first, so that members sign in and trade while the other read models still load. Not
 * evidence, like a snapshot of the read models: a start that cannot use it loads identity with the read models.
 * `data` is UTF-8 JSON that names its own format version.
 */
export interface IdentitySnapshotRecord {
  readonly seq: number;
  /** Hash of the journal record at `seq`: the snapshot belongs to this journal. */
  readonly recordHash: string;
  readonly data: Uint8Array;
  /** sha256 of `data` (hex). */
  readonly dataHash: string;
  /** The identity snapshot MAC (chain.js `identitySnapshotMac`), added by the store; null without a MAC key. */
  readonly mac?: string | null;
}

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
