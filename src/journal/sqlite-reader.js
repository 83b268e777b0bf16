/**
 * The SQLite journal's recovery reader thread (see `SqliteStore.readChecked`): reads records [fromSeq, toSeq] in
 * order and checks each one the way recovery would, so that the main thread only parses and applies commands. Reading
 * a page and hashing its records cost about as much as replaying them; here they run beside the replay.
 *
 * Checks, in record order, stopping at the first that fails: the record is there, it has the next seq, and its hash is
 * chain.js `chainHash` of the previous record's hash and its own fields. A failed check is sent as
 * `{ problem: { seq, message } }` after the records before it.
 *
 * Protocol: workerData `{ file, fromSeq, toSeq, previousHash, pageRecords, hashOnly }`. Each `"next"` message is answered with
 * one page `{ count, text, ends, numbers, lastHash, problem, done }`: the commands of `count` records as UTF-8 in
 * `text`, where each ends in `ends`, and their seq and timeMs in `numbers`; `done` once toSeq is reached or a problem
 * was found. The main thread asks for a few pages ahead, which bounds the memory in flight. With `hashOnly` (the
 * start-up check of the records before the snapshot, which are not replayed) pages carry no command text.
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader of the thread that starts it.
 */

import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { chainHash } from "./chain.js";
import { nameThisThread } from "./thread-name.js";

nameThisThread(workerData.threadName);

if (!parentPort) throw new Error("sqlite-reader.js runs only as a worker thread");
const port = parentPort;
const { file, fromSeq, toSeq, previousHash, pageRecords, hashOnly } = workerData;

const db = new Database(file, { readonly: true, fileMustExist: true });
const readPage = db
  .prepare("SELECT seq, time_ms, meta, command, events, hash FROM journal WHERE seq >= ? ORDER BY seq LIMIT ?")
  .raw();

let expected = fromSeq;
let lastHash = previousHash;
let finished = false;

/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const UTF8_BYTES_PER_UNIT_MAX = 3;

function nextPage() {
  if (finished || expected > toSeq) {
    finished = true;
    return {
      count: 0,
      text: new Uint8Array(0),
      ends: new Uint32Array(0),
      numbers: new Float64Array(0),
      lastHash,
      problem: null,
      done: true,
    };
  }
  const rows = readPage.all(expected, Math.min(pageRecords, toSeq - expected + 1));
  let units = 0;
  if (!hashOnly) for (const row of rows) units += row[3].length;
  const text = Buffer.allocUnsafeSlow(Math.max(1, units * UTF8_BYTES_PER_UNIT_MAX));
  const ends = new Uint32Array(rows.length);
  const numbers = new Float64Array(rows.length * 2);
  let count = 0;
  let at = 0;
  let problem = null;
  if (rows.length === 0) problem = { seq: expected, message: "missing: the journal ends early" };
  for (const row of rows) {
    const seq = row[0];
    const timeMs = row[1];
    if (seq > toSeq) break;
    if (seq !== expected) {
      problem = { seq: expected, message: `missing: the next record is ${seq}` };
      break;
    }
    const stored = row[5];
    const computed = chainHash(lastHash, seq, timeMs, row[2], row[3], row[4]);
    if (computed !== stored) {
      problem = { seq, message: "damaged: its hash does not continue the journal's hash chain" };
      break;
    }
    if (!hashOnly) at += text.write(row[3], at, "utf8");
    ends[count] = at;
    numbers[count * 2] = seq;
    numbers[count * 2 + 1] = timeMs;
    count++;
    lastHash = computed;
    expected++;
  }
  finished = problem !== null || expected > toSeq;
  return {
    count,
    text: new Uint8Array(text.buffer, text.byteOffset, at),
    ends,
    numbers,
    lastHash,
    problem,
    done: finished,
  };
}

port.on("message", () => {
  let page;
  try {
    page = nextPage();
  } catch (error) {
    finished = true;
    port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.postMessage(page, [page.text.buffer, page.ends.buffer, page.numbers.buffer]);
  if (page.done) db.close();
});
