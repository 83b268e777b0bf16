/**
 * The SQLite journal's writer thread (see sqlite-store.ts): owns the one connection that writes, so that a batch's
 * inserts and its fsync run beside the main thread instead of blocking it, and the sequencer can apply the next batch
 * while this one commits.
 *
 * Protocol: once its connection is open the thread says `{ id: 0 }` (or `{ id: 0, error }` if it cannot open it); then
 * it takes one message at a time and answers in order: `{ id, op: "append", batch }` writes the records (packed as
 * UTF-8 by `packRecords` in sqlite-store.ts) and the new head in one transaction; `{ id, op: "snapshot", snapshot }` saves a snapshot; `{ id, op: "close" }` closes the
 * connection. Each is answered `{ id }` once committed (durable: WAL with synchronous = FULL), or `{ id, error }` after
 * a rollback, in which case nothing of it was written.
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader of the thread that starts it
 * (tsx, vitest), so this file must run in bare Node. It is small and does only SQL.
 */

import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

if (!parentPort) throw new Error("sqlite-writer.js runs only as a worker thread");
const port = parentPort;

let db;
try {
  db = new Database(workerData.file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
} catch (error) {
  port.postMessage({ id: 0, error: { message: error instanceof Error ? error.message : String(error) } });
  throw error;
}

const insertRecord = db.prepare(
  "INSERT INTO journal (seq, time_ms, meta, command, events, hash) VALUES (?, ?, ?, ?, ?, ?)",
);
const writeHead = db.prepare(
  "INSERT INTO journal_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
);
const insertSnapshot = db.prepare(
  "INSERT OR REPLACE INTO snapshots (seq, state_hash, record_hash, data, data_hash) VALUES (?, ?, ?, ?, ?)",
);

const FIELDS_PER_RECORD = 4;

/** Unpacks a batch (see `PackedRecords` in sqlite-store.ts) and writes it with the new head in one transaction. */
const appendBatch = db.transaction((batch) => {
  const { count, ends, numbers } = batch;
  const text = Buffer.from(batch.text.buffer, batch.text.byteOffset, batch.text.byteLength);
  let start = 0;
  const next = (field) => {
    const end = ends[field];
    const value = text.toString("utf8", start, end);
    start = end;
    return value;
  };
  let seq = 0;
  let hash = "";
  for (let i = 0; i < count; i++) {
    const f = i * FIELDS_PER_RECORD;
    seq = numbers[i * 2];
    const meta = next(f);
    const command = next(f + 1);
    const events = next(f + 2);
    hash = next(f + 3);
    insertRecord.run(seq, numbers[i * 2 + 1], meta, command, events, hash);
  }
  writeHead.run(seq, hash);
});

port.postMessage({ id: 0 });

port.on("message", (message) => {
  const { id, op } = message;
  try {
    if (op === "append") {
      if (message.batch.count > 0) appendBatch(message.batch);
    } else if (op === "snapshot") {
      const s = message.snapshot;
      insertSnapshot.run(s.seq, s.stateHash, s.recordHash, s.data, s.dataHash);
    } else if (op === "close") {
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
