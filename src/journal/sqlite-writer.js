/**
 * The SQLite journal's writer thread (see sqlite-store.ts): owns the connections that write the journal and its
 * snapshots file (the snapshot threads write only their snapshots, through their own; see `LOCK_WAIT_MS`), so that a
 * batch's inserts and its fsync run beside the main thread instead of blocking it, and the sequencer can apply the next
 * batch while this one commits.
 *
 * Protocol: once its connection is open the thread says `{ id: 0 }` (or `{ id: 0, error }` if it cannot open it); then
 * it takes one message at a time and answers in order:
 * - `{ id, op: "append", batch, hashes }` or `{ id, op: "append", batch, previousHash }` writes the records (packed as
 *   UTF-8 by `packRecords` in sqlite-store.ts) and the new head in one transaction, with the given hashes or with
 *   chain hashes computed here from `previousHash` on (chain.js `chainHashOfFields`), and the head with its MAC
 *   (chain.js `headMac`, when the store has a MAC key), and is answered `{ id, hash, buffer }` with the last record's
 *   hash and the batch's text buffer, moved back to be used again;
 * - `{ id, op: "snapshot", snapshot, replacing }` saves a snapshot (and deletes the one at seq `replacing`, unless
 *   null); `{ id, op: "viewSnapshot", snapshot, kept }` saves a snapshot of the read models and deletes all but the
 *   newest `kept`; `{ id, op: "identitySnapshot", snapshot, kept }` does the same for a snapshot of the identity read
 *   model; `{ id, op: "fence", epoch }` makes every later append check, in its transaction, that the journal's leader
 *   epoch is still `epoch` (a deposed node writes nothing);
 *   `{ id, op: "follow", port, sending }` adds a follower: the appends committed from then on are sent to the port,
 *   several together (`sending`: store.ts `FollowSending`, for all followers), as one packed batch of their records (`{ count, text, ends,
 *   numbers, hashes }`: packed as an append's batch, its text in shared memory, and each record's chain hash), so that
 *   a thread that follows the journal (a snapshot thread) need not read back and hash again what was just written;
 *   `{ id, op: "close" }` sends what the followers were not sent yet and closes the connections.
 * Each is answered once committed (durable: WAL with synchronous = FULL), or `{ id, error }` after a rollback, in
 * which case nothing of it was written.
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader of the thread that starts it
 * (tsx, vitest), so this file must run in bare Node. It is small: SQL, and calls of chain.js.
 */

import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { chainHashOfFields, GENESIS_HASH, headMac } from "./chain.js";
import { nameThisThread } from "./thread-name.js";

if (!parentPort) throw new Error("sqlite-writer.js runs only as a worker thread");
nameThisThread(workerData.threadName);
const port = parentPort;

/**
 * How long a write waits for its file's write lock. Another connection may write too: the read models' snapshot thread
 * saves its snapshots through a store of its own (gateway/view-snapshot-worker.ts), and a snapshot of tens of megabytes
 * holds the snapshots file's lock for seconds on a busy disk; a snapshot this thread saves waits that long behind it,
 * instead of failing after better-sqlite3's default 5 s. Appends wait only for other appends (a standby's fencing
 * write among them): the snapshots are in a file of their own (`snapshotsFile` in sqlite-store.ts).
 */
const LOCK_WAIT_MS = 120_000;

let db;
/** The snapshots file's connection: a snapshot saved holds that file's lock, never the journal's. */
let snapDb;
try {
  db = new Database(workerData.file, { timeout: LOCK_WAIT_MS });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  snapDb = new Database(workerData.snapshotsFile, { timeout: LOCK_WAIT_MS, fileMustExist: true });
  snapDb.pragma("journal_mode = WAL");
  snapDb.pragma("synchronous = FULL");
} catch (error) {
  port.postMessage({ id: 0, error: { message: error instanceof Error ? error.message : String(error) } });
  throw error;
}

// The text fields are bound as their UTF-8 bytes and stored as TEXT: the same bytes a string would be stored as, without
// decoding them into a JavaScript string here only for better-sqlite3 to encode it back to UTF-8.
const insertRecord = db.prepare(
  "INSERT INTO journal (seq, time_ms, meta, command, events, hash) VALUES (?, ?, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), ?)",
);
const writeHead = db.prepare(
  "INSERT INTO journal_head (id, seq, hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
);
const readHeadHash = db.prepare("SELECT hash FROM journal_head WHERE id = 1").pluck();
const readEpoch = db.prepare("SELECT epoch FROM leader WHERE id = 1").pluck();
/** The leader epoch every append checks (`{ op: "fence" }`, sqlite-leadership.ts), or null: not fenced. */
let fenceEpoch = null;
const insertSnapshot = snapDb.prepare(
  "INSERT OR REPLACE INTO snapshots (seq, state_hash, record_hash, data, data_hash, mac) VALUES (?, ?, ?, ?, ?, ?)",
);
const deleteSnapshot = snapDb.prepare("DELETE FROM snapshots WHERE seq = ?");
/** Saves an engine snapshot and deletes the one at `replacing` (null: none), in one transaction. */
const saveSnapshot = snapDb.transaction((s, replacing) => {
  insertSnapshot.run(s.seq, s.stateHash, s.recordHash, s.data, s.dataHash, s.mac ?? null);
  if (replacing !== null) deleteSnapshot.run(replacing);
});
/**
 * Saves a snapshot derived from the journal (the read models' or identity's, named by its table) and deletes all but
 * the newest `kept` of that table, in one transaction.
 */
function derivedSnapshotSaver(table) {
  const insert = snapDb.prepare(
    `INSERT OR REPLACE INTO ${table} (seq, record_hash, data, data_hash, mac) VALUES (?, ?, ?, ?, ?)`,
  );
  const prune = snapDb.prepare(
    `DELETE FROM ${table} WHERE seq NOT IN (SELECT seq FROM ${table} ORDER BY seq DESC LIMIT ?)`,
  );
  return snapDb.transaction((s, kept) => {
    insert.run(
      s.seq,
      s.recordHash,
      Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength),
      s.dataHash,
      s.mac ?? null,
    );
    prune.run(kept);
  });
}
const saveViewSnapshot = derivedSnapshotSaver("view_snapshots");
const saveIdentitySnapshot = derivedSnapshotSaver("identity_snapshots");
/** The journal MAC key in use, or null for a store opened without one. */
const macKey = workerData.macKey ?? null;
/** Ports that are sent the committed appends' records (`{ op: "follow" }`). */
const followers = [];
/** The chain hash of each record of the batch being written (for the followers). */
let batchHashes = [];
/**
 * The followers are sent the committed appends together once `sending.records` records wait, or `sending.ms` after
 * the first of them committed, not one message per append: a follower (a snapshot thread) then wakes a few dozen
 * times a second whatever the rate, instead of once per append (hundreds of times a second at a few thousand orders a
 * second, each wake and each message costing this thread, the follower and the scheduler more than the records it
 * carries). A follower lags the journal by at most that; what it needs sooner (a snapshot asked at a seq) it reads
 * from the store. Set by the follow request (store.ts `FollowSending`).
 */
let sending = { records: 1, ms: 0 };
/** Committed appends not yet sent to the followers: `{ count, text, ends, numbers, hashes }` each, text copied. */
let unsent = [];
let unsentRecords = 0;
let unsentTimer = null;

const FIELDS_PER_RECORD = 3;
const HASH_HEX_LENGTH = 64;

/**
 * Unpacks a batch (see `PackedRecords` in sqlite-store.ts) and writes it with the new head in one transaction;
 * returns the last record's hash. Each record is `meta\ncommand\nevents` in the buffer, which is the tail of its
 * chain hash's input, so it is hashed in place after the `previous\nseq\ntimeMs\n` head.
 */
const appendBatch = db.transaction((batch, hashes, previousHash) => {
  const { count, ends, numbers } = batch;
  const text = Buffer.from(batch.text.buffer, batch.text.byteOffset, batch.text.byteLength);
  let start = 0;
  let seq = 0;
  let hash = previousHash;
  // A node another has taken the leadership from writes nothing (checked under the write lock, in the transaction).
  if (fenceEpoch !== null) {
    const current = readEpoch.get();
    if (current !== fenceEpoch) {
      throw Object.assign(
        new Error(
          `this node's leader epoch ${fenceEpoch} is no longer the journal's (${current ?? "none"}): another node leads it`,
        ),
        { code: "SAUDA_NOT_LEADER" },
      );
    }
  }
  // The chain must continue the stored head: checked inside the transaction, so no other write can come between.
  if (!hashes && (readHeadHash.get() ?? GENESIS_HASH) !== previousHash) {
    throw new Error("invariant: the batch does not continue the journal head's hash chain");
  }
  for (let i = 0; i < count; i++) {
    const f = i * FIELDS_PER_RECORD;
    seq = numbers[i * 2];
    const timeMs = numbers[i * 2 + 1];
    const metaEnd = ends[f];
    const commandEnd = ends[f + 1];
    const eventsEnd = ends[f + 2];
    if (hashes) {
      hash = hashes[i];
    } else {
      hash = chainHashOfFields(hash, seq, timeMs, text.subarray(start, eventsEnd));
    }
    const meta = text.subarray(start, metaEnd);
    const command = text.subarray(metaEnd + 1, commandEnd);
    const events = text.subarray(commandEnd + 1, eventsEnd);
    insertRecord.run(seq, timeMs, meta, command, events, hash);
    if (followers.length > 0) batchHashes.push(hash);
    start = eventsEnd;
  }
  writeHead.run(seq, hash, macKey === null ? null : headMac(macKey, seq, hash));
  return hash;
});

/**
 * Keeps a committed batch for the followers (its text copied: the buffer goes back to the main thread), and sends
 * what is kept once it holds `sending.records` records, else `sending.ms` after the first kept.
 */
function tellFollowers(batch) {
  const { count } = batch;
  unsent.push({
    count,
    text: Buffer.from(batch.text),
    ends: batch.ends.subarray(0, count * FIELDS_PER_RECORD),
    numbers: batch.numbers.subarray(0, count * 2),
    hashes: batchHashes,
  });
  unsentRecords += count;
  if (unsentRecords >= sending.records) sendToFollowers();
  else unsentTimer ??= setTimeout(sendToFollowers, sending.ms);
}

/**
 * Sends the kept batches to the followers as one: the texts one after the other in shared memory that every follower
 * reads (a typed array posted as it is would copy the whole spare buffer behind it to each), the ends moved by where
 * each text starts, the seqs, times and chain hashes in order.
 */
function sendToFollowers() {
  if (unsentTimer !== null) clearTimeout(unsentTimer);
  unsentTimer = null;
  if (unsentRecords === 0) return;
  let bytes = 0;
  for (const part of unsent) bytes += part.text.byteLength;
  const text = new Uint8Array(new SharedArrayBuffer(bytes));
  const ends = new Uint32Array(unsentRecords * FIELDS_PER_RECORD);
  const numbers = new Float64Array(unsentRecords * 2);
  const hashes = [];
  let offset = 0;
  let record = 0;
  for (const part of unsent) {
    text.set(part.text, offset);
    const at = record * FIELDS_PER_RECORD;
    for (let i = 0; i < part.ends.length; i++) ends[at + i] = part.ends[i] + offset;
    numbers.set(part.numbers, record * 2);
    for (const hash of part.hashes) hashes.push(hash);
    offset += part.text.byteLength;
    record += part.count;
  }
  const records = { count: unsentRecords, text, ends, numbers, hashes };
  unsent = [];
  unsentRecords = 0;
  for (const follower of followers) follower.postMessage(records);
}

port.postMessage({ id: 0 });

port.on("message", (message) => {
  const { id, op } = message;
  try {
    if (op === "append") {
      const { batch, hashes, previousHash } = message;
      if (
        hashes
          ? hashes.length !== batch.count
          : typeof previousHash !== "string" || previousHash.length !== HASH_HEX_LENGTH
      ) {
        throw new Error("invariant: an append carries either a hash per record or the previous record's hash");
      }
      // IMMEDIATE: the write lock is taken (waiting for it) before the head is read, so that no other connection's
      // commit falls between the read and the writes (a deferred transaction would fail at once with SQLITE_BUSY).
      batchHashes = [];
      const hash = batch.count > 0 ? appendBatch.immediate(batch, hashes, previousHash) : previousHash;
      if (followers.length > 0 && batch.count > 0) tellFollowers(batch);
      // The text buffer goes back to the main thread, which packs a later batch into it (committed: nothing here
      // refers to it any more).
      const buffer = batch.text.buffer;
      port.postMessage({ id, hash, buffer }, [buffer]);
      return;
    }
    if (op === "snapshot") {
      saveSnapshot.immediate(message.snapshot, message.replacing ?? null);
    } else if (op === "viewSnapshot") {
      saveViewSnapshot.immediate(message.snapshot, message.kept);
    } else if (op === "identitySnapshot") {
      saveIdentitySnapshot.immediate(message.snapshot, message.kept);
    } else if (op === "follow") {
      followers.push(message.port);
      sending = message.sending;
    } else if (op === "fence") {
      fenceEpoch = message.epoch;
    } else if (op === "close") {
      sendToFollowers();
      snapDb.close();
      db.close();
    } else {
      throw new Error(`unknown operation ${JSON.stringify(op)}`);
    }
    port.postMessage({ id });
  } catch (error) {
    port.postMessage({
      id,
      error: { message: error instanceof Error ? error.message : String(error), code: error?.code },
    });
  }
});
