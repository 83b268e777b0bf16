/**
 * The thread that snapshots the engine for the leader (started by engine-snapshot-thread.ts, through
 * engine-snapshot-worker-entry.mjs, which loads TypeScript). It keeps an engine of its own: restored from the newest
 * snapshot that passes the checks a start makes (`loadNewestSnapshot`: MAC, data hash, restore, the record hash at its
 * seq; else from record 1), then fed the journal's durable records up to the durable head: the last record of the
 * appends the journal's writer sent it, several at a time, as they committed (`AppendFeed`; hashed by the writer from
 * the bytes it wrote), else (a store that does not feed) the head the leader last told it; records not fed are read
 * from the store by seq, each checked against the hash chain from the snapshot's record. Every `every` records (at
 * that seq, once it is within `every` records of the head or has the rest in the newest append sent: a thread that fell
 * behind catches up first) and on request it checks the
 * invariants of its engine, serialises it, hashes it and saves it through a store connection of its own, naming the
 * hash of its last record: a record the leader has told it is durable (and, however far behind it is, at least every
 * `keepEvery` records). The leader's thread never serialises.
 *
 * The engine is deterministic and the records are the journal's, applied as a start replays them (the command as
 * parsed from its stored text, its seq and time), so a snapshot from here is the one the leader's engine would give at
 * that seq, byte for byte (the sequencer gives its engine the parse of exactly the stored text).
 *
 * Snapshots kept: one every `keepEvery` records or more (the first saved at least `keepEvery` after the last kept), as
 * the sequencer's by count kept them, plus the newest; each save replaces (deletes in the same transaction) the one
 * saved before it unless that one is kept. So the store holds about as many engine snapshots as before.
 *
 * Messages in: `head` (the durable head moved: apply up to it; not sent to a fed thread), `snapshot` (one at this seq, answered with the seq
 * saved or null), `stop`. Out: `ready`, `saved` (a snapshot by count or on request), `answer`, `broken` (the engine
 * here broke an invariant: nothing is saved from then on and the thread stops; the leader raises its alarm), `failed`
 * (the thread stops: a record missing or off the chain, a store that failed).
 *
 * Complexity: per record a JSON parse of the command and the engine's apply, and for a record not fed a read and a
 * chain hash (a start's replay with the chain checked); per snapshot the invariant check, `snapshot()`, `JSON.stringify` and SHA-256 of the text,
 * all here.
 */

import { hash } from "node:crypto";
import { getHeapStatistics } from "node:v8";
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { Command } from "../engine/commands.ts";
import { Engine } from "../engine/engine.ts";
import { openStore, type StoreLocation } from "./open.ts";
import { chainHash, GENESIS_HASH } from "./records.ts";
import { loadNewestSnapshot } from "./recovery.ts";
import { APPEND_FEED_BYTES_MAX, AppendFeed, LeaderInbox, yieldToTheLeader } from "./snapshot-thread.ts";
import { type JournalStore, READ_PAGE_RECORDS } from "./store.ts";
import { nameThisThread, THREAD_NAMES } from "./thread-name.js";

export interface EngineThreadData {
  readonly location: StoreLocation;
  /** The journal MAC keys: the first signs the snapshots saved here, any of them may have signed the one loaded. */
  readonly macKeys: readonly Uint8Array[];
  /** A snapshot every this many records (0: only on request). */
  readonly every: number;
  /** Keep a snapshot every this many records or more; the others are replaced by the next. */
  readonly keepEvery: number;
  /** The durable head when the thread was started: the loaded snapshot must not lie beyond it. */
  readonly headSeq: number;
  /** The journal's appends as they commit (`JournalStore.follow`; set by `SnapshotThread`), or null: read them all. */
  readonly appends?: MessagePort | null;
}

export type FromEngineThread =
  | { readonly type: "ready"; readonly seq: number; readonly warnings: readonly string[] }
  | { readonly type: "saved"; readonly seq: number }
  | {
      readonly type: "answer";
      readonly id: number;
      readonly seq: number | null;
      /** This thread's V8 heap in use after the answer's snapshot (after a collection when the process exposes `gc`). */
      readonly heapUsedBytes: number;
      /** Records applied as the journal's writer sent them (`AppendFeed`), so far. */
      readonly fed: number;
    }
  | { readonly type: "broken"; readonly seq: number; readonly message: string }
  | { readonly type: "failed"; readonly reason: string };

const port = parentPort!;
const data = workerData as EngineThreadData;
const post = (message: FromEngineThread): void => port.postMessage(message);

/** The engine here, the hash of the last record applied to it, and the snapshots saved. */
interface Copy {
  readonly engine: Engine;
  hash: string;
  /** Seq of the last snapshot saved here or loaded (the count towards the next starts there). */
  snapshotSeq: number;
  /** Seq of the last snapshot that is kept (loaded, or saved `keepEvery` after the one kept before). */
  keptSeq: number;
}

/** The engine broke an invariant: this thread saves nothing more. */
class Broken extends Error {}

async function load(store: JournalStore): Promise<{ copy: Copy; warnings: string[] }> {
  const { loaded, warnings } = await loadNewestSnapshot(store, data.headSeq, data.macKeys);
  if (loaded === null) {
    // From record 1: the snapshots passed over are named (a changed one is evidence the operator must see).
    return { copy: { engine: new Engine(), hash: GENESIS_HASH, snapshotSeq: 0, keptSeq: 0 }, warnings };
  }
  const { engine, seq, recordHash } = loaded;
  return { copy: { engine, hash: recordHash, snapshotSeq: seq, keptSeq: seq }, warnings };
}

/** Checks the invariants of the copy, then serialises, hashes and saves it at its seq. */
async function save(store: JournalStore, copy: Copy): Promise<void> {
  const seq = copy.engine.lastSeq;
  try {
    copy.engine.checkInvariants();
  } catch (error) {
    post({ type: "broken", seq, message: (error as Error).message });
    throw new Broken();
  }
  const text = JSON.stringify(copy.engine.snapshot());
  const digest = hash("sha256", text, "hex");
  const previous = copy.snapshotSeq;
  const keep = seq - copy.keptSeq >= data.keepEvery;
  // The snapshot saved here before is replaced, unless it is kept (or is the one loaded, which is kept too).
  const replacing = previous !== copy.keptSeq ? previous : undefined;
  await store.saveSnapshot({ seq, stateHash: digest, data: text, dataHash: digest, recordHash: copy.hash }, replacing);
  copy.snapshotSeq = seq;
  if (keep) copy.keptSeq = seq;
}

/**
 * The V8 heap this thread uses (its engine, the store's objects, its code). Under `--expose-gc` (the benchmarks; V8's
 * flags reach every thread) garbage is collected first, so the figure is what is live; the server never runs with it,
 * and there the figure includes garbage not yet collected (the last snapshot's text, the records' parses).
 */
function heapUsedBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return getHeapStatistics().used_heap_size;
}

async function main(): Promise<void> {
  nameThisThread(THREAD_NAMES.engineSnapshots);
  const priority = yieldToTheLeader();
  const store = await openStore(data.location, { macKey: Buffer.from(data.macKeys[0]!) });
  const loaded = await load(store);
  const { copy } = loaded;
  const warnings = priority === null ? loaded.warnings : [...loaded.warnings, priority];
  const engine = copy.engine;
  const inbox = new LeaderInbox(port, engine.lastSeq);
  const feed = new AppendFeed(data.appends ?? null, APPEND_FEED_BYTES_MAX, (seq) => inbox.advance(seq));
  post({ type: "ready", seq: engine.lastSeq, warnings });
  try {
    while (!inbox.stopping) {
      // Requests for a seq already passed are answered first: a snapshot only at the seq asked.
      while (inbox.requests.length > 0 && inbox.requests[0]!.seq <= engine.lastSeq) {
        const request = inbox.requests.shift()!;
        let answer: number | null = null;
        if (request.seq === engine.lastSeq) {
          if (engine.lastSeq > copy.snapshotSeq) await save(store, copy);
          if (engine.lastSeq > 0) answer = engine.lastSeq;
        }
        post({ type: "answer", id: request.id, seq: answer, heapUsedBytes: heapUsedBytes(), fed: feed.fed });
      }
      if (engine.lastSeq < inbox.target) {
        // Up to the seq where a snapshot by count falls due, if it is ahead: the writer sends appends several at a
        // time, and the snapshot is taken at that seq, not at the end of the append that holds it.
        const dueAt = data.every > 0 ? copy.snapshotSeq + data.every : Number.POSITIVE_INFINITY;
        const upTo = Math.min(
          inbox.target,
          inbox.requests[0]?.seq ?? Number.POSITIVE_INFINITY,
          dueAt > engine.lastSeq ? dueAt : Number.POSITIVE_INFINITY,
        );
        const from = engine.lastSeq + 1;
        const fed = await feed.take(from);
        if (fed !== null) {
          // Fed by the writer, which hashed these very bytes as it committed them: nothing to read or hash again.
          const last = Math.min(upTo, fed.last);
          for (let seq = from; seq <= last; seq++) {
            engine.apply({ seq, timeMs: fed.timeMs(seq), command: JSON.parse(fed.command(seq)) as Command });
          }
          copy.hash = fed.hash(last);
          feed.fed += last - from + 1;
        } else {
          const page = await store.read(
            from,
            Math.min(READ_PAGE_RECORDS, upTo - engine.lastSeq, feed.unheldFrom(from)),
          );
          if (page.length === 0) {
            throw new Error(`the journal has no record ${engine.lastSeq + 1}, below its head ${inbox.target}`);
          }
          for (const record of page) {
            if (record.seq !== engine.lastSeq + 1) throw new Error(`record ${record.seq} follows ${engine.lastSeq}`);
            const next = chainHash(copy.hash, record.seq, record.timeMs, record.meta, record.command, record.events);
            if (next !== record.hash) {
              throw new Error(`record ${record.seq} does not continue the journal's hash chain`);
            }
            engine.apply({ seq: record.seq, timeMs: record.timeMs, command: JSON.parse(record.command) as Command });
            copy.hash = next;
          }
        }
        // By count, once within one interval of the head, or in the newest append the writer sent (it keeps up): behind
        // by more, a snapshot further on is worth more; but never `keepEvery` records (the sequencer's count before
        // this thread) without one, however far behind.
        const since = engine.lastSeq - copy.snapshotSeq;
        const due = data.every > 0 && since >= data.every;
        const near = inbox.target - engine.lastSeq < data.every || feed.keptUp(engine.lastSeq, inbox.target);
        if (due && (near || since >= data.keepEvery)) {
          await save(store, copy);
          post({ type: "saved", seq: engine.lastSeq });
        }
        continue;
      }
      await inbox.next();
    }
  } finally {
    for (const request of inbox.requests) {
      post({ type: "answer", id: request.id, seq: null, heapUsedBytes: 0, fed: feed.fed });
    }
    feed.close();
    await store.close();
  }
  port.close();
}

main().catch((error: unknown) => {
  if (!(error instanceof Broken)) {
    post({ type: "failed", reason: error instanceof Error ? error.message : String(error) });
  }
  process.exit(1);
});
