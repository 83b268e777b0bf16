/**
 * Recovery and verification: rebuilding the engine from the journal, trusting nothing that was read.
 *
 * - `recover` checks the journal as evidence before it trusts any of it: the head's MAC (with the journal MAC key,
 *   kept outside the database), the whole hash chain from record 1 (hashing only, no replay, for the records the
 *   snapshot covers), the snapshot it starts from (its MAC and bytes, and that it sits on the chain), and that the
 *   journal still holds the newest published checkpoint. Then it replays every record after the snapshot. Anything
 *   wrong stops recovery with a `JournalCorruptError` naming the first bad record, the snapshot or the checkpoint: a
 *   damaged, forged, truncated or rolled-back journal is reported, never served. A snapshot whose MAC checks out but
 *   that this version cannot restore is skipped with a warning (replaying from further back is always correct).
 *   (The chain already proves the stored events are the ones written; recovery does not re-serialise them.)
 * - With `checkCoveredAfter` (and the MAC keys), `recover` returns before it has checked the records the snapshot
 *   covers, and hands that check back (`RecoveryResult.pendingCheck`) for the caller to run while it serves. The state
 *   does not depend on those records: it is the snapshot's (authentic by its MAC; its record hash is the stored
 *   record's at its seq) plus the records after it, whose chain is checked from the snapshot's record hash to the head
 *   (authentic by its MAC) before `recover` returns. What is left is evidence only: the chain from record 1 must end in
 *   the hash the snapshot names, and the newest published checkpoint, when it lies among those records, must be on it.
 *   A checkpoint after the snapshot is still checked before `recover` returns.
 * - `verify` replays from the very first record, ignoring snapshots for the rebuild, and checks in addition that
 *   replaying each command reproduces exactly the events stored with it (the engine is deterministic), and that
 *   every stored snapshot matches the state the replay reaches at its seq; with the MAC keys, the head's and every
 *   snapshot's MAC; and every checkpoint it is given (signatures checked by the caller) against the chain. A reader may follow the replay record by
 *   record (`VerifyOptions.onRecord`: market surveillance over a journal reads it this way), so what it reads has
 *   passed the same checks.
 */

import type { Command } from "../engine/commands.ts";
import {
  ENGINE_SNAPSHOT_VERSION,
  ENGINE_SNAPSHOT_VERSION_READ_MIN,
  Engine,
  type EngineSnapshot,
  type EngineSnapshotV3,
  type EngineSnapshotV4,
  type EngineSnapshotV5,
} from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { Checkpoint } from "./checkpoints.ts";
import { sha256OffThread } from "./off-thread-hash.ts";
import {
  chainHash,
  dataHash,
  GENESIS_HASH,
  headMac,
  identitySnapshotMac,
  type JournalHead,
  type SnapshotRecord,
  snapshotMac,
  viewSnapshotMac,
} from "./records.ts";
import {
  type CheckedPage,
  type DerivedSnapshotMac,
  type DerivedSnapshotTable,
  type JournalStore,
  READ_PAGE_RECORDS,
} from "./store.ts";

/** Records to replay above which recovery lets the store read and check them beside the replay (`readChecked`). */
export const CHECKED_READ_RECORDS_MIN = READ_PAGE_RECORDS;

export class JournalCorruptError extends Error {
  override name = "JournalCorruptError";
  /** The first bad record's seq (or the snapshot's seq), or null when the problem is not in one record. */
  readonly seq: number | null;
  constructor(seq: number | null, message: string) {
    super(seq === null ? message : `record ${seq}: ${message}`);
    this.seq = seq;
  }
}

/** The head's MAC matches none of the keys given: a rewritten journal, or keys that are not this journal's. */
export class HeadMacMismatchError extends JournalCorruptError {
  override name = "HeadMacMismatchError";
}

export interface RecoveryResult {
  readonly engine: Engine;
  readonly head: JournalHead | null;
  /** Seq of the snapshot recovery started from (0: from the beginning). */
  readonly snapshotSeq: number;
  /** Records replayed after the snapshot (the sequencer counts its next snapshot from these). */
  readonly replayed: number;
  /** The journal record hash the snapshot names (the genesis hash without one). */
  readonly snapshotRecordHash: string;
  /** Snapshots that were skipped, and why. */
  readonly warnings: readonly string[];
  /**
   * The check still to run (`checkCoveredAfter`): the chain of the records the snapshot covers and the newest
   * checkpoint among them. Null when `recover` checked everything before returning.
   */
  readonly pendingCheck: PendingCheck | null;
}

/** The check of records [1, toSeq] that recovery handed back instead of running it before returning. */
export interface PendingCheck {
  /** The last record it checks (the snapshot's seq). */
  readonly toSeq: number;
  /**
   * Runs the check (once; later calls return the same promise). Resolves when the records check out; rejects with a
   * `JournalCorruptError` naming the first bad record (or the checkpoint), or with `signal`'s reason once aborted.
   */
  run(signal?: AbortSignal): Promise<void>;
}

export interface IntegrityOptions {
  /**
   * The journal MAC keys, the one in use first: the head's and the snapshots' MACs must match one of them. Without
   * keys, MACs are not checked (an auditor who holds only the public checkpoint key).
   */
  readonly macKeys?: readonly Uint8Array[];
  /**
   * Accept a head without a MAC: a journal written before MACs existed, adopted on the start that made its first
   * keys (the next write gives the head its MAC). Never otherwise: removing the MAC must not switch the check off.
   */
  readonly adoptHeadWithoutMac?: boolean;
  /** Published checkpoints, signatures already checked: the journal must still hold each one's record and hash. */
  readonly checkpoints?: readonly Checkpoint[];
}

export interface RecoverOptions extends IntegrityOptions {
  /** Replay from `readChecked` when the store has it and more than this many records follow the snapshot. */
  readonly checkedReadRecordsMin?: number;
  /**
   * Return once the snapshot and the records after it are checked, and hand back the check of the records the snapshot
   * covers (`RecoveryResult.pendingCheck`) instead of awaiting it. Only with `macKeys`: without them the snapshot is
   * not authenticated, and only the chain from record 1 says it is the journal's (everything is then checked first).
   */
  readonly checkCoveredAfter?: boolean;
}

export async function recover(store: JournalStore, options: RecoverOptions = {}): Promise<RecoveryResult> {
  const head = await checkHead(store);
  checkHeadMac(head, options);
  const newestCheckpoint = newest(options.checkpoints ?? []);
  if (newestCheckpoint !== null) checkNotRolledBack(head, newestCheckpoint);
  const warnings: string[] = [];
  let engine = new Engine();
  let previousHash = GENESIS_HASH;
  let snapshotSeq = 0;
  if (head) {
    for (const info of await store.snapshots()) {
      if (info.seq > head.seq) throw new JournalCorruptError(info.seq, "a snapshot exists beyond the journal head");
      const checked = await loadCheckedSnapshot(store, info.seq, options.macKeys, false);
      if ("problem" in checked) {
        warnings.push(checked.problem);
        continue;
      }
      engine = checked.engine;
      previousHash = checked.record.recordHash;
      snapshotSeq = info.seq;
      break;
    }
  }
  const toSeq = head?.seq ?? 0;
  const snapshotRecordHash = previousHash;
  const checkpointCovered = newestCheckpoint !== null && newestCheckpoint.seq <= snapshotSeq;
  const deferred = options.checkCoveredAfter === true && options.macKeys !== undefined && snapshotSeq > 0;
  if (deferred) {
    // The snapshot's MAC says it was written by this exchange at a record whose hash it names; the stored record there
    // must carry that hash, so that the records after it continue the chain the snapshot ends.
    const [record] = await store.read(snapshotSeq, 1);
    if (record === undefined || record.seq !== snapshotSeq || record.hash !== snapshotRecordHash) {
      throw new JournalCorruptError(snapshotSeq, "the snapshot names a record hash that is not the journal's");
    }
  }
  // The records the snapshot covers are not replayed, but they are evidence too: their chain is checked (hashing
  // only, beside the replay) and must end in the hash the snapshot names.
  const covered =
    snapshotSeq > 0 && !deferred
      ? checkCovered(store, snapshotSeq, snapshotRecordHash, checkpointCovered ? newestCheckpoint : null, options)
      : null;
  // Awaited below; a break found while the replay still runs must not count as a rejection no one handles.
  covered?.catch(() => undefined);
  // Reading beside the replay pays only when there is much to read (a thread takes tens of milliseconds to start).
  let replayed: { count: number; lastHash: string };
  try {
    replayed =
      store.readChecked && toSeq - snapshotSeq > (options.checkedReadRecordsMin ?? CHECKED_READ_RECORDS_MIN)
        ? await replayChecked(store.readChecked(snapshotSeq + 1, toSeq, previousHash), engine, snapshotSeq + 1, toSeq)
        : await replayRange(store, engine, snapshotSeq + 1, toSeq, previousHash, false);
  } catch (error) {
    // A break before the snapshot is the first bad record; report it rather than a later one.
    if (covered) await covered;
    throw error;
  }
  if (covered) await covered;
  checkEndsAtHead(head, replayed.lastHash);
  if (newestCheckpoint !== null && !checkpointCovered) await checkCheckpointHash(store, newestCheckpoint);
  let running: Promise<void> | null = null;
  const pendingCheck: PendingCheck | null = deferred
    ? {
        toSeq: snapshotSeq,
        run: (signal) => {
          running ??= checkCovered(
            store,
            snapshotSeq,
            snapshotRecordHash,
            checkpointCovered ? newestCheckpoint : null,
            options,
            signal,
          );
          return running;
        },
      }
    : null;
  return { engine, head, snapshotSeq, snapshotRecordHash, replayed: replayed.count, warnings, pendingCheck };
}

/**
 * The check of the records a snapshot covers: the chain from record 1 to `snapshotSeq` ends in the hash the snapshot
 * names, and `checkpoint` (the newest published one, when it lies among them) is on it.
 */
async function checkCovered(
  store: JournalStore,
  snapshotSeq: number,
  snapshotRecordHash: string,
  checkpoint: Checkpoint | null,
  options: RecoverOptions,
  signal?: AbortSignal,
): Promise<void> {
  const lastHash = await checkChain(store, 1, snapshotSeq, GENESIS_HASH, options.checkedReadRecordsMin, signal);
  if (lastHash !== snapshotRecordHash) {
    throw new JournalCorruptError(snapshotSeq, "the snapshot names a record hash that is not the journal's");
  }
  if (checkpoint !== null) await checkCheckpointHash(store, checkpoint);
}

/**
 * Checks the chain of records [fromSeq, toSeq] from `previousHash` without replaying them; returns the last hash or
 * throws naming the first bad record.
 */
export async function checkChain(
  store: JournalStore,
  fromSeq: number,
  toSeq: number,
  previousHash: string,
  checkedReadRecordsMin = CHECKED_READ_RECORDS_MIN,
  signal?: AbortSignal,
): Promise<string> {
  let expected = fromSeq;
  let lastHash = previousHash;
  if (store.readChecked && toSeq - fromSeq + 1 > checkedReadRecordsMin) {
    for await (const page of store.readChecked(fromSeq, toSeq, previousHash, { hashOnly: true })) {
      // Leaving the loop ends the store's reader (its thread is stopped).
      signal?.throwIfAborted();
      expected += page.count;
      lastHash = page.lastHash;
      if (page.problem) throw new JournalCorruptError(page.problem.seq, page.problem.message);
    }
  } else {
    while (expected <= toSeq) {
      signal?.throwIfAborted();
      const page = await store.read(expected, Math.min(READ_PAGE_RECORDS, toSeq - expected + 1));
      if (page.length === 0) break;
      for (const record of page) {
        if (record.seq !== expected)
          throw new JournalCorruptError(expected, `missing: the next record is ${record.seq}`);
        lastHash = chainHash(lastHash, record.seq, record.timeMs, record.meta, record.command, record.events);
        if (lastHash !== record.hash) {
          throw new JournalCorruptError(record.seq, "damaged: its hash does not continue the journal's hash chain");
        }
        expected++;
      }
    }
  }
  if (expected <= toSeq) throw new JournalCorruptError(expected, "missing: the journal ends early");
  return lastHash;
}

function checkHeadMac(head: JournalHead | null, options: IntegrityOptions): void {
  const keys = options.macKeys;
  if (!keys || head === null) return;
  if (head.mac === null || head.mac === undefined) {
    if (options.adoptHeadWithoutMac) return;
    throw new JournalCorruptError(
      head.seq,
      "the journal head has no MAC: it was written without the journal MAC key, or its MAC was removed",
    );
  }
  if (!keys.some((key) => headMac(key, head.seq, head.hash) === head.mac)) {
    throw new HeadMacMismatchError(
      head.seq,
      "the journal head's MAC does not match the journal MAC key: the journal was rewritten or cut short by someone without the key (or the key is not this journal's)",
    );
  }
}

function newest(checkpoints: readonly Checkpoint[]): Checkpoint | null {
  let best: Checkpoint | null = null;
  for (const checkpoint of checkpoints) if (best === null || checkpoint.seq > best.seq) best = checkpoint;
  return best;
}

function describeCheckpoint(checkpoint: Checkpoint): string {
  return `the checkpoint signed at ${new Date(checkpoint.signedAtMs).toISOString()} (seq ${checkpoint.seq}, hash ${checkpoint.hash.slice(0, 16)}…)`;
}

function checkNotRolledBack(head: JournalHead | null, checkpoint: Checkpoint): void {
  const headSeq = head?.seq ?? 0;
  if (checkpoint.seq > headSeq) {
    throw new JournalCorruptError(
      checkpoint.seq,
      `rolled back: ${describeCheckpoint(checkpoint)} was published, but the journal ends at record ${headSeq}`,
    );
  }
}

/** After the chain up to it has been checked, a stored hash is the computed one: one read per checkpoint. */
async function checkCheckpointHash(store: JournalStore, checkpoint: Checkpoint): Promise<void> {
  const [record] = await store.read(checkpoint.seq, 1);
  if (record === undefined || record.seq !== checkpoint.seq || record.hash !== checkpoint.hash) {
    throw new JournalCorruptError(
      checkpoint.seq,
      `rewritten: ${describeCheckpoint(checkpoint)} was published, but the journal's record ${checkpoint.seq} has another hash`,
    );
  }
}

export interface VerifyReport {
  readonly records: number;
  readonly snapshotsChecked: number;
  /** Snapshots of the read models and of identity checked (MAC with the keys, record hash, the newest's data hash). */
  readonly derivedSnapshotsChecked: { readonly views: number; readonly identity: number };
  readonly stateHash: string;
  readonly head: JournalHead | null;
  /** The head's and snapshots' MACs were checked (MAC keys were given). */
  readonly macChecked: boolean;
  readonly checkpointsChecked: number;
}

/** One record as `verify` replays it: after its chain hash and its events have been checked. */
export interface VerifiedRecord {
  readonly seq: number;
  readonly timeMs: number;
  /** Who sent it, as stored (JSON text). */
  readonly meta: string;
  readonly command: Command;
  readonly events: readonly EngineEvent[];
  /** The replaying engine, in the state right after this record (read it, never apply to it). */
  readonly engine: Engine;
}

export interface VerifyOptions {
  /** Called with every record in seq order, once it has checked out. */
  readonly onRecord?: (record: VerifiedRecord) => void;
}

/** Rebuilds the whole state from record 1 and checks every record and every snapshot. */
export async function verify(
  store: JournalStore,
  options: IntegrityOptions & VerifyOptions = {},
): Promise<VerifyReport> {
  const head = await checkHead(store);
  checkHeadMac(head, options);
  const checkpoints = options.checkpoints ?? [];
  for (const checkpoint of checkpoints) checkNotRolledBack(head, checkpoint);
  const wanted = new Map<number, Checkpoint[]>();
  for (const checkpoint of checkpoints) wanted.set(checkpoint.seq, [...(wanted.get(checkpoint.seq) ?? []), checkpoint]);
  const snapshots = new Map((await store.snapshots()).map((info) => [info.seq, info]));
  for (const seq of snapshots.keys()) {
    if (seq > (head?.seq ?? 0)) throw new JournalCorruptError(seq, "a snapshot exists beyond the journal head");
  }
  const derived = await derivedSnapshots(store, head, options.macKeys);
  const engine = new Engine();
  let snapshotsChecked = 0;
  const result = await replayRange(
    store,
    engine,
    1,
    head?.seq ?? 0,
    GENESIS_HASH,
    true,
    async (seq, recordHash) => {
      for (const checkpoint of wanted.get(seq) ?? []) {
        if (checkpoint.hash !== recordHash) {
          throw new JournalCorruptError(
            seq,
            `rewritten: ${describeCheckpoint(checkpoint)} was published, but the journal's record ${seq} has another hash`,
          );
        }
      }
      for (const snapshot of derived.get(seq) ?? []) {
        if (snapshot.recordHash !== recordHash) {
          throw new JournalCorruptError(seq, `${DERIVED_NAMES[snapshot.table]} names a different journal record hash`);
        }
      }
      if (!snapshots.has(seq)) return;
      const checked = await loadCheckedSnapshot(store, seq, options.macKeys, true);
      // A snapshot in an older version's format is authentic (its MAC and hash checked) but says nothing about this
      // version's state: the replay is the check, and the snapshot is passed over.
      if ("problem" in checked) {
        if (checked.older) return;
        throw new JournalCorruptError(seq, checked.problem);
      }
      if (checked.record.recordHash !== recordHash) {
        throw new JournalCorruptError(seq, "the snapshot names a different journal record hash");
      }
      const replayedHash = engine.stateHash(dataHash);
      if (replayedHash !== checked.record.stateHash) {
        throw new JournalCorruptError(
          seq,
          `the snapshot's state hash ${checked.record.stateHash} differs from the replayed state ${replayedHash}`,
        );
      }
      snapshotsChecked++;
    },
    options.onRecord,
  );
  checkEndsAtHead(head, result.lastHash);
  const counted = [...derived.values()].flat();
  return {
    records: result.count,
    snapshotsChecked,
    derivedSnapshotsChecked: {
      views: counted.filter((snapshot) => snapshot.table === "view_snapshots").length,
      identity: counted.filter((snapshot) => snapshot.table === "identity_snapshots").length,
    },
    stateHash: engine.stateHash(dataHash),
    head,
    macChecked: options.macKeys !== undefined,
    checkpointsChecked: checkpoints.length,
  };
}

/** How verify names a derived snapshot in its refusals ("the read models' snapshot at 200 was changed: …"). */
const DERIVED_NAMES: Record<DerivedSnapshotTable, string> = {
  view_snapshots: "the read models' snapshot",
  identity_snapshots: "the identity snapshot",
};

const DERIVED_MACS = { view_snapshots: viewSnapshotMac, identity_snapshots: identitySnapshotMac } as const;

/**
 * The stored snapshots of the read models and of identity by seq, each checked as far as it can be before the replay:
 * not beyond the head, its MAC one of `macKeys`' (when given), and the newest one's data matching its hash (it is the
 * one a start would load; the older are kept only as its fallback, and reading their tens of megabytes would double
 * verify's reads). Their record hashes are checked against the chain during the replay. A start passes a snapshot
 * that fails these over and rebuilds from the journal; verify names it, as it names a changed engine snapshot: someone
 * or something changed the data directory.
 */
async function derivedSnapshots(
  store: JournalStore,
  head: JournalHead | null,
  macKeys: readonly Uint8Array[] | undefined,
): Promise<Map<number, (DerivedSnapshotMac & { readonly table: DerivedSnapshotTable })[]>> {
  const bySeq = new Map<number, (DerivedSnapshotMac & { readonly table: DerivedSnapshotTable })[]>();
  for (const table of ["view_snapshots", "identity_snapshots"] as const) {
    const stored = await store.derivedSnapshotMacs(table);
    for (const snapshot of stored) {
      const at = `${DERIVED_NAMES[table]} at ${snapshot.seq}`;
      if (snapshot.seq > (head?.seq ?? 0))
        throw new JournalCorruptError(snapshot.seq, `${at} is beyond the journal head`);
      if (macKeys) {
        const mac = snapshot.mac;
        const macOf = DERIVED_MACS[table];
        if (
          mac === null ||
          !macKeys.some((key) => macOf(key, snapshot.seq, snapshot.recordHash, snapshot.dataHash) === mac)
        ) {
          throw new JournalCorruptError(
            snapshot.seq,
            `${at} was changed: its MAC ${mac === null ? "is missing" : "does not match the journal MAC key"}`,
          );
        }
      }
      bySeq.set(snapshot.seq, [...(bySeq.get(snapshot.seq) ?? []), { ...snapshot, table }]);
    }
    const newest = table === "view_snapshots" ? await store.loadViewSnapshot() : await store.loadIdentitySnapshot();
    if (newest !== null && (await sha256OffThread(newest.data)).hash !== newest.dataHash) {
      throw new JournalCorruptError(
        newest.seq,
        `${DERIVED_NAMES[table]} at ${newest.seq} was changed or damaged: its data does not match its hash`,
      );
    }
  }
  return bySeq;
}

function checkEndsAtHead(head: JournalHead | null, lastHash: string): void {
  if (head && head.hash !== lastHash) {
    throw new JournalCorruptError(head.seq, "the journal head's hash differs from the last record's hash");
  }
}

async function checkHead(store: JournalStore): Promise<JournalHead | null> {
  const { head, maxSeq } = store.headAndMaxSeq
    ? await store.headAndMaxSeq()
    : { head: await store.head(), maxSeq: await store.maxSeq() };
  if (!head) {
    if (maxSeq > 0) throw new JournalCorruptError(null, `the journal has records up to ${maxSeq} but no head`);
    return null;
  }
  if (maxSeq < head.seq) {
    throw new JournalCorruptError(
      maxSeq + 1,
      `the journal is truncated: the head is at ${head.seq}, the last record is ${maxSeq}`,
    );
  }
  if (maxSeq > head.seq) {
    throw new JournalCorruptError(head.seq + 1, `records exist beyond the journal head ${head.seq} (up to ${maxSeq})`);
  }
  return head;
}

/**
 * The newest snapshot at or below `headSeq` that passes the checks a start makes (its MAC with one of `macKeys`, its
 * data hash, the restore, and that the journal's record at its seq carries the hash it names), restored; `loaded`
 * null when there is none (start from record 1). A snapshot that fails a check is passed over and named in
 * `warnings` (also when none passed), as a start's recovery passes over one it cannot use; unlike recovery, a changed
 * snapshot does not stop the caller (the engine's snapshot thread: the start that served already made the checks that
 * stop a start).
 */
export async function loadNewestSnapshot(
  store: JournalStore,
  headSeq: number,
  macKeys: readonly Uint8Array[],
): Promise<{ loaded: { engine: Engine; seq: number; recordHash: string } | null; warnings: string[] }> {
  const warnings: string[] = [];
  for (const info of await store.snapshots()) {
    if (info.seq > headSeq) continue;
    let checked: Awaited<ReturnType<typeof loadCheckedSnapshot>>;
    try {
      checked = await loadCheckedSnapshot(store, info.seq, macKeys, false);
    } catch (error) {
      warnings.push((error as Error).message);
      continue;
    }
    if ("problem" in checked) {
      warnings.push(checked.problem);
      continue;
    }
    const [record] = await store.read(info.seq, 1);
    if (record === undefined || record.seq !== info.seq || record.hash !== checked.record.recordHash) {
      warnings.push(`snapshot ${info.seq} names a record hash that is not the journal's`);
      continue;
    }
    return { loaded: { engine: checked.engine, seq: info.seq, recordHash: checked.record.recordHash }, warnings };
  }
  return { loaded: null, warnings };
}

/**
 * Loads a snapshot and checks it. A snapshot that was changed (its MAC or its data hash does not match) throws: the
 * database has been tampered with or damaged, and the operator must know. One that is authentic but that this
 * version cannot use returns a sentence instead (a warning; recovery starts further back), saying whether it is in an
 * older version's format.
 *
 * `roundTrip` (verify) also serialises the restored engine again and requires the snapshot's state hash: a restore
 * that lost or changed anything shows there. A start leaves it out (it re-serialises the whole state: as long again
 * as the restore itself); the bytes it restores from are the ones the MAC and the data hash vouch for, and verify and
 * the tests check that a restore gives back exactly the state that was saved. A snapshot in version 3's, 4's or 5's
 * format is restored at a start (it is the same state, stored otherwise); verify passes over it as older, since its
 * state hash is of that format.
 */
async function loadCheckedSnapshot(
  store: JournalStore,
  seq: number,
  macKeys: readonly Uint8Array[] | undefined,
  roundTrip: boolean,
): Promise<{ engine: Engine; record: SnapshotRecord } | { problem: string; older: boolean }> {
  const unusable = (problem: string, older = false) => ({ problem, older });
  // A store that can read and hash the snapshot off this thread does (SQLite: tens of megabytes at a large journal).
  const loaded = store.loadSnapshotHashed ? await store.loadSnapshotHashed(seq) : null;
  const record = loaded === null ? await store.loadSnapshot(seq) : loaded.record;
  if (!record) return unusable(`snapshot ${seq} disappeared while reading`);
  if (macKeys) {
    const mac = record.mac ?? null;
    const macs = macKeys.map((key) => snapshotMac(key, seq, record.stateHash, record.recordHash, record.dataHash));
    if (mac === null || !macs.includes(mac)) {
      throw new JournalCorruptError(
        seq,
        `snapshot ${seq} was changed: its MAC ${mac === null ? "is missing" : "does not match the journal MAC key"}`,
      );
    }
  }
  // The bytes are hashed on another thread (by the store as it read them, or here) while this one parses them (tens
  // of megabytes: each took about half a second at 1,000,000 commands). Nothing parsed is used, and no parse error
  // reported, before the hash checks out.
  const hashing = loaded === null ? sha256OffThread(record.data) : Promise.resolve({ hash: loaded.hash });
  let parsed: { saved: EngineSnapshot | EngineSnapshotV5 | EngineSnapshotV4 | EngineSnapshotV3 } | { error: unknown };
  try {
    parsed = {
      saved: JSON.parse(record.data) as EngineSnapshot | EngineSnapshotV5 | EngineSnapshotV4 | EngineSnapshotV3,
    };
  } catch (error) {
    parsed = { error };
  }
  if ((await hashing).hash !== record.dataHash) {
    throw new JournalCorruptError(seq, `snapshot ${seq} was changed or damaged: its data does not match its hash`);
  }
  let engine: Engine;
  try {
    if ("error" in parsed) throw parsed.error;
    const saved = parsed.saved;
    const version: unknown = saved.version;
    const readable = roundTrip ? ENGINE_SNAPSHOT_VERSION : ENGINE_SNAPSHOT_VERSION_READ_MIN;
    if (typeof version === "number" && version < readable) {
      return unusable(
        `snapshot ${seq} is in an older format (version ${version}; this version writes ${ENGINE_SNAPSHOT_VERSION})`,
        true,
      );
    }
    engine = Engine.restore(saved);
  } catch (error) {
    return unusable(`snapshot ${seq} cannot be restored: ${(error as Error).message}`);
  }
  if (engine.lastSeq !== seq) return unusable(`snapshot ${seq} holds the state of seq ${engine.lastSeq}`);
  if (roundTrip && engine.stateHash(dataHash) !== record.stateHash)
    return unusable(`snapshot ${seq} restores to a different state hash`);
  return { engine, record };
}

/**
 * Replays records [fromSeq, toSeq] that the store has read and checked (sequence and chain) beside this thread; the
 * first record that failed a check is reported after every record before it has been applied, as `replayRange` does.
 */
async function replayChecked(
  pages: AsyncIterable<CheckedPage>,
  engine: Engine,
  fromSeq: number,
  toSeq: number,
): Promise<{ count: number; lastHash: string }> {
  let expected = fromSeq;
  let lastHash: string | null = null;
  // Pages come in order; each has been checked by the store, and its problem (if any) ends the replay.
  for await (const page of pages) {
    const { seqs, timesMs, commands } = page;
    for (let i = 0; i < commands.length; i++) {
      const seq = seqs[i]!;
      // The store checked the order; checking it again here costs nothing and keeps replay honest.
      if (seq !== expected) throw new JournalCorruptError(expected, `missing: the next record is ${seq}`);
      let command: Command;
      try {
        command = JSON.parse(commands[i]!) as Command;
      } catch {
        throw new JournalCorruptError(seq, "damaged: its command is not valid JSON");
      }
      engine.apply({ seq, timeMs: timesMs[i]!, command });
      expected++;
    }
    lastHash = page.lastHash;
    if (page.problem) throw new JournalCorruptError(page.problem.seq, page.problem.message);
  }
  if (expected <= toSeq || lastHash === null) {
    throw new JournalCorruptError(expected, "missing: the journal ends early");
  }
  return { count: expected - fromSeq, lastHash };
}

/**
 * Replays records [fromSeq, toSeq] into `engine`, checking sequence, chain and (with `checkEvents`) events;
 * `afterRecord` is called after each record with its seq and hash, and `onRecord` is given each record once checked.
 */
async function replayRange(
  store: JournalStore,
  engine: Engine,
  fromSeq: number,
  toSeq: number,
  previousHash: string,
  checkEvents: boolean,
  afterRecord?: (seq: number, hash: string) => Promise<void>,
  onRecord?: (record: VerifiedRecord) => void,
): Promise<{ count: number; lastHash: string }> {
  let expected = fromSeq;
  let lastHash = previousHash;
  while (expected <= toSeq) {
    const page = await store.read(expected, READ_PAGE_RECORDS);
    if (page.length === 0) throw new JournalCorruptError(expected, "missing: the journal ends early");
    for (const record of page) {
      if (record.seq > toSeq) break;
      if (record.seq !== expected) throw new JournalCorruptError(expected, `missing: the next record is ${record.seq}`);
      const hash = chainHash(lastHash, record.seq, record.timeMs, record.meta, record.command, record.events);
      if (hash !== record.hash) {
        throw new JournalCorruptError(record.seq, "damaged: its hash does not continue the journal's hash chain");
      }
      let command: Command;
      try {
        command = JSON.parse(record.command) as Command;
      } catch {
        throw new JournalCorruptError(record.seq, "damaged: its command is not valid JSON");
      }
      const events = engine.apply({ seq: record.seq, timeMs: record.timeMs, command });
      if (checkEvents && JSON.stringify(events) !== record.events) {
        throw new JournalCorruptError(record.seq, "replaying its command gives different events than were recorded");
      }
      lastHash = hash;
      onRecord?.({ seq: record.seq, timeMs: record.timeMs, meta: record.meta, command, events, engine });
      if (afterRecord) await afterRecord(record.seq, hash);
      expected++;
    }
  }
  return { count: expected - fromSeq, lastHash };
}
