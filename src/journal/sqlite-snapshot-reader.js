/**
 * The SQLite journal's thread that reads one large snapshot row, so that the server's own thread is not held while
 * better-sqlite3 reads it synchronously (hundreds of megabytes at a large journal):
 *
 * - `{ file, table: "view_snapshots" }` (`SqliteStore.loadViewSnapshot`): the newest read models' snapshot; read on
 *   the server's thread it held every request (the first health check after the node listens among them).
 * - `{ file, table: "snapshots", seq }` (`SqliteStore.loadSnapshotHashed`): the engine's snapshot at `seq`, its data
 *   as the stored UTF-8 bytes, with their SHA-256 (hex) computed here: a start's recovery then only decodes and parses
 *   them.
 *
 * The thread answers once with `{ row, hash }` (`row` null when there is none, else the row's columns, `data` a
 * Uint8Array whose memory is moved to the caller, not copied; `hash` only for "snapshots") or `{ error }`, then ends.
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader of the thread that starts it.
 */

import { createHash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { nameThisThread } from "./thread-name.js";

nameThisThread(workerData.threadName);

if (!parentPort) throw new Error("sqlite-snapshot-reader.js runs only as a worker thread");

const QUERIES = {
  view_snapshots: "SELECT seq, record_hash, data, data_hash, mac FROM view_snapshots ORDER BY seq DESC LIMIT 1",
  // The engine's snapshot is TEXT: read as a BLOB it comes as its stored bytes, with no decoding here.
  snapshots:
    "SELECT seq, state_hash, record_hash, CAST(data AS BLOB) AS data, data_hash, mac FROM snapshots WHERE seq = ?",
};

try {
  const { file, table, seq } = workerData;
  const query = QUERIES[table];
  if (query === undefined) throw new Error(`no snapshot table ${table}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const statement = db.prepare(query);
  const row = table === "snapshots" ? statement.get(seq) : statement.get();
  db.close();
  if (row === undefined) parentPort.postMessage({ row: null });
  else {
    const data = row.data;
    const hash = table === "snapshots" ? createHash("sha256").update(data).digest("hex") : undefined;
    // A buffer that owns its whole memory is moved; a pooled one (small) is copied.
    const owned = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    parentPort.postMessage({ row, hash }, owned ? [data.buffer] : []);
  }
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
