/**
 * The SQLite journal's thread that reads the newest read models' snapshot (see `SqliteStore.loadViewSnapshot`): a row
 * of hundreds of megabytes at a large journal, which better-sqlite3 reads synchronously, so read on the server's own
 * thread it held every request (the first health check after the node listens among them) for the whole read.
 *
 * Protocol: workerData `{ file }`; the thread answers once with `{ row }` (`row` null when the table is empty, else
 * `{ seq, record_hash, data, data_hash, mac }`, the data's memory moved to the caller, not copied) or `{ error }`,
 * then ends.
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader of the thread that starts it.
 */

import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

if (!parentPort) throw new Error("sqlite-snapshot-reader.js runs only as a worker thread");

try {
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const row = db
    .prepare("SELECT seq, record_hash, data, data_hash, mac FROM view_snapshots ORDER BY seq DESC LIMIT 1")
    .get();
  db.close();
  if (row === undefined) parentPort.postMessage({ row: null });
  else {
    const data = row.data;
    // A buffer that owns its whole memory is moved; a pooled one (small) is copied.
    const owned = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    parentPort.postMessage({ row }, owned ? [data.buffer] : []);
  }
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
