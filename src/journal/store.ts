/**
 * The storage interface behind the journal. Two back ends implement it and pass the same test suite: SQLite (the
 * embedded default) and PostgreSQL (production).
 *
 * Promises every implementation keeps:
 * - `append` writes a batch of records and the new head in ONE transaction and resolves only when it is durable
 *   (fsync'd); a failed append writes nothing. `appendChained` does the same for records it hashes itself.
 * - Records are read back byte for byte as written.
 * - Snapshots are written after the records they cover; a snapshot never refers to a record that is not durable.
 */

import type { MessagePort } from "node:worker_threads";
import type {
  IdentitySnapshotRecord,
  JournalHead,
  JournalRecord,
  SnapshotRecord,
  UnchainedRecord,
  ViewSnapshotRecord,
} from "./records.ts";

/** Most records one append may carry; the sequencer's batch size is bounded by it. */
export const APPEND_RECORDS_MAX = 10_000;
/** View snapshots a store keeps (the newest); older ones are deleted when a new one is saved. */
export const VIEW_SNAPSHOTS_KEPT = 2;
/** Identity snapshots a store keeps (the newest); older ones are deleted when a new one is saved. */
export const IDENTITY_SNAPSHOTS_KEPT = 2;
/**
 * Records an append committed, as a store that `follow`s sends them: `count` records packed as the SQLite writer
 * packs them (`packRecords`: `meta\ncommand\nevents` of each in `text`, UTF-8, shared memory; where each field ends in
 * `ends`, 3 per record; seq and timeMs in `numbers`, 2 per record) and each record's chain hash.
 */
export interface AppendedRecords {
  readonly count: number;
  readonly text: Uint8Array;
  readonly ends: Uint32Array;
  readonly numbers: Float64Array;
  readonly hashes: readonly string[];
}

/**
 * When a store that `follow`s sends the committed appends: together, once `records` of them wait or `ms` after the
 * first of them committed (and at the store's close), so that a follower wakes a few dozen times a second whatever the
 * rate. The defaults (`FOLLOW_SENDING`) are what a server uses; tests set others.
 */
export interface FollowSending {
  readonly records: number;
  readonly ms: number;
}

/**
 * Measured with bench:server at 5,000 orders/s (docs/operations.md, "The journal's appends sent to the snapshot
 * threads together"): one message per append woke each snapshot thread hundreds of times a second.
 */
export const FOLLOW_SENDING: FollowSending = { records: 4096, ms: 50 };

/** Records returned by one `read` call. */
export const READ_PAGE_RECORDS = 5_000;

/**
 * Records of a journal that a store has already checked the way recovery checks them (each record is present, has the
 * next seq and continues the hash chain), reduced to what replay needs: seq, timeMs and command text, in order.
 */
export interface CheckedPage {
  /** Records in the page. */
  readonly count: number;
  readonly seqs: ArrayLike<number>;
  readonly timesMs: ArrayLike<number>;
  /** The records' command texts; empty when read with `hashOnly`. */
  readonly commands: readonly string[];
  /** Hash of the last record in the page (the previous hash when the page is empty). */
  readonly lastHash: string;
  /** The first record that failed a check, after the good records before it; no page follows. */
  readonly problem: { readonly seq: number; readonly message: string } | null;
}

export interface ReadCheckedOptions {
  /** Check the chain only: the pages carry no command text (records that are not replayed). */
  readonly hashOnly?: boolean;
}

/** Keys a store writes with (keys.ts); without a MAC key, heads and snapshots are written without MACs. */
export interface StoreKeys {
  readonly macKey?: Buffer;
}

export interface SnapshotInfo {
  readonly seq: number;
  readonly stateHash: string;
}

/** The tables of the snapshots derived from the journal: the read models' and the identity read model's. */
export type DerivedSnapshotTable = "view_snapshots" | "identity_snapshots";

/** What a derived snapshot's MAC covers, and the MAC. */
export interface DerivedSnapshotMac {
  readonly seq: number;
  readonly recordHash: string;
  readonly dataHash: string;
  readonly mac: string | null;
}

export interface JournalStore {
  /** `sqlite` or `postgres`, for messages. */
  readonly kind: string;
  /** Where the journal lives, for messages (a path or a URL without password). */
  readonly location: string;
  /** The head: the last durable record, or null for an empty journal. */
  head(): Promise<JournalHead | null>;
  append(records: readonly JournalRecord[]): Promise<void>;
  /**
   * Gives each record its chain hash (`chainHash`, the first chained to `previousHash`, which must be the head's
   * hash) and appends them as `append` does; resolves with the last record's hash once durable (`previousHash` for
   * an empty batch). The sequencer writes through this, so a store may hash on another thread.
   */
  appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string>;
  /** Records with seq >= fromSeq in order, at most `limit`. */
  read(fromSeq: number, limit: number): Promise<JournalRecord[]>;
  /** Highest seq stored (may differ from the head when the journal is damaged), or 0. */
  maxSeq(): Promise<number>;
  /**
   * Optional: the head and the highest seq read at one moment. A store other processes append to (PostgreSQL, with
   * a leader writing while a node starts) needs it: read apart, a batch committed between the two reads would look
   * like records beyond the head.
   */
  headAndMaxSeq?(): Promise<{ head: JournalHead | null; maxSeq: number }>;
  /**
   * Optional, for recovery: the records [fromSeq, toSeq], checked against the chain starting at `previousHash`, read
   * and checked beside the caller (SQLite does it in a thread). Recovery uses the plain `read` when it is absent.
   */
  readChecked?(
    fromSeq: number,
    toSeq: number,
    previousHash: string,
    options?: ReadCheckedOptions,
  ): AsyncIterable<CheckedPage>;
  /**
   * Saves a snapshot, with its MAC when the store has a MAC key (the `mac` given is ignored). With `replacing`, the
   * snapshot at that seq is deleted in the same transaction (the engine's snapshot thread keeps only its newest one
   * between the snapshots it keeps; a `replacing` equal to the snapshot's seq deletes nothing).
   */
  saveSnapshot(snapshot: SnapshotRecord, replacing?: number): Promise<void>;
  /** Snapshots, newest first. */
  snapshots(): Promise<SnapshotInfo[]>;
  loadSnapshot(seq: number): Promise<SnapshotRecord | null>;
  /**
   * Optional: `loadSnapshot` with the SHA-256 (hex) of the data as `dataHash` computes it, which the store may compute
   * off the caller's thread (recovery uses it when present).
   */
  loadSnapshotHashed?(seq: number): Promise<{ record: SnapshotRecord; hash: string } | null>;
  /**
   * Saves a snapshot of the read models, with its MAC when the store has a MAC key, and deletes all but the newest
   * `VIEW_SNAPSHOTS_KEPT`. The store may take `data`'s memory (the SQLite store moves it to its writer thread): the
   * caller must not read it afterwards.
   */
  saveViewSnapshot(snapshot: ViewSnapshotRecord): Promise<void>;
  /** The newest snapshot of the read models, or null. */
  loadViewSnapshot(): Promise<ViewSnapshotRecord | null>;
  /**
   * Saves a snapshot of the identity read model, with its MAC when the store has a MAC key, and deletes all but the
   * newest `IDENTITY_SNAPSHOTS_KEPT`.
   */
  saveIdentitySnapshot(snapshot: IdentitySnapshotRecord): Promise<void>;
  /** The newest snapshot of the identity read model, or null (none yet, or a journal from before they existed). */
  loadIdentitySnapshot(): Promise<IdentitySnapshotRecord | null>;
  /**
   * Optional, for a store several nodes share (followers, leadership.ts): calls `onAppend` with the last seq of
   * appends committed from now on by any node (`onLost` when it can no longer tell); resolves with a function that
   * stops listening.
   */
  listen?(onAppend: (seq: number) => void, onLost: (error: unknown) => void): Promise<() => Promise<void>>;
  /**
   * Optional, for a store several nodes share: every later append first checks, in its transaction, that the
   * journal's leader epoch is still `epoch`, so that a node that has been deposed can never write.
   */
  fence?(epoch: number): void;
  /**
   * Optional: from now on, the appends this store commits are sent to `port` as `AppendedRecords`, so that a thread
   * that follows the journal gets the records without reading them back (snapshot-thread.ts `AppendFeed`). Returns
   * false when the store cannot (then nothing is sent: the follower reads the store). Appends are sent in order,
   * several committed ones as one message (`FollowSending`); a follower that is slow to take them may find gaps (it
   * reads those from the store).
   */
  follow?(port: MessagePort, sending?: FollowSending): boolean;
  /** Optional: no append starts until `fence` is called again (the leadership's connection was lost). */
  suspend?(): void;
  /** Optional: called when the journal's own connection of a fenced store fails (the leadership is then confirmed). */
  onConnectionLost?(listener: () => void): void;
  /** The identifying hashes and MAC of every saved snapshot of the read models or of identity (key rotation). */
  derivedSnapshotMacs(table: DerivedSnapshotTable): Promise<DerivedSnapshotMac[]>;
  /**
   * Replaces the head's and the given snapshots' MACs in one transaction (key rotation, server stopped): the engine's
   * snapshots by seq, and those of the read models and of identity by table and seq.
   */
  rewriteMacs(
    head: string | null,
    snapshots: ReadonlyMap<number, string>,
    derived?: ReadonlyMap<DerivedSnapshotTable, ReadonlyMap<number, string>>,
  ): Promise<void>;
  close(): Promise<void>;
}
