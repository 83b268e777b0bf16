/**
 * The thread that snapshots the read models for the leader (started by view-snapshot-thread.ts, through
 * view-snapshot-worker-entry.mjs, which loads TypeScript). It keeps its own copy of the read models, built as the
 * exchange builds its own (read-models.ts): it starts from the newest snapshot of them that passes the checks a start
 * makes (`loadCheckedViews`: MAC, data hash, the record hash at its seq, the restore; else from record 1), then applies the
 * journal's durable records up to the durable head (the last record of the appends the journal's writer sent it,
 * several at a time, as they committed, `AppendFeed`; else, a store that does not feed, the head the leader last told
 * it; records not fed are read from the store by seq), and every
 * `every` records (exactly: at the last snapshot's seq + `every`) and on request it captures its copy, hashes it and
 * saves it through a store connection of its own. The leader's thread never captures.
 *
 * The records it applies are the journal's, as a start replays them (`outcomeOfRecord`), so a snapshot from here is
 * what a start that replayed the journal to that seq would hold; surveillance that stopped on a fault is not
 * snapshotted (the next start must rebuild it), as on the leader.
 *
 * Messages in: `head` (the durable head moved: apply up to it; not sent to a fed thread), `snapshot` (one at this seq now, answered with the
 * seq saved or null), `stop`. Out: `ready`, `saved` (a snapshot by count or on request), `answer`, `failed` (the
 * thread stops: a record it could not apply, a store that failed).
 *
 * Complexity: per record what a start's replay costs (read, JSON parse, the read models' apply); per snapshot
 * O(objects in the read models), here.
 */

import { hash } from "node:crypto";
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { openStore, type StoreLocation } from "../journal/open.ts";
import { APPEND_FEED_BYTES_MAX, AppendFeed, LeaderInbox, yieldToTheLeader } from "../journal/snapshot-thread.ts";
import { type JournalStore, READ_PAGE_RECORDS } from "../journal/store.ts";
import { nameThisThread, THREAD_NAMES } from "../journal/thread-name.js";
import { outcomeOfRecord, type ProjectionsOptions } from "../projections/index.ts";
import { buildViews, feedViews, loadCheckedViews, type Views, viewRoots } from "./read-models.ts";
import { captureViews } from "./view-snapshots.ts";

export interface ViewThreadData {
  readonly location: StoreLocation;
  /** The journal MAC keys: the first signs the snapshots saved here, any of them may have signed the one loaded. */
  readonly macKeys: readonly Uint8Array[];
  /** A snapshot every this many records (0: only on request). */
  readonly every: number;
  readonly projections: ProjectionsOptions | undefined;
  /** The journal's appends as they commit (`JournalStore.follow`; set by `SnapshotThread`), or null: read them all. */
  readonly appends?: MessagePort | null;
}

export type FromViewThread =
  | { readonly type: "ready"; readonly seq: number; readonly warning: string | null }
  | { readonly type: "saved"; readonly seq: number }
  | {
      readonly type: "answer";
      readonly id: number;
      readonly seq: number | null;
      readonly warning: string | null;
      /** Records applied as the journal's writer sent them (`AppendFeed`), so far. */
      readonly fed: number;
    }
  | { readonly type: "failed"; readonly reason: string };

const port = parentPort!;
const data = workerData as ViewThreadData;
const post = (message: FromViewThread): void => port.postMessage(message);

/** The read models here, the last record applied to them (seq and hash) and the seq of the last snapshot. */
interface Copy {
  readonly views: Views;
  seq: number;
  hash: string;
  snapshotSeq: number;
}

async function load(store: JournalStore): Promise<{ copy: Copy; warning: string | null }> {
  const fresh = (warning: string | null) => ({
    copy: { views: buildViews(data.projections), seq: 0, hash: "", snapshotSeq: 0 },
    warning,
  });
  const head = await store.head();
  const snapshot = await store.loadViewSnapshot();
  if (snapshot === null || head === null) return fresh(null);
  const refused = (why: string) =>
    fresh(`the snapshot of the read models at ${snapshot.seq} was not used by the snapshot thread (${why})`);
  const loaded = await loadCheckedViews(store, snapshot, head.seq, data.macKeys, data.projections);
  if (loaded.problem !== null) return refused(loaded.problem);
  const views = loaded.views;
  return { copy: { views, seq: snapshot.seq, hash: snapshot.recordHash, snapshotSeq: snapshot.seq }, warning: null };
}

/** Captures, hashes and saves the copy at its seq; returns a warning when it could not be captured. */
async function save(store: JournalStore, copy: Copy): Promise<string | null> {
  const seq = copy.seq;
  // Counted from here even when it fails, so that a capture that cannot succeed is not retried on every record.
  copy.snapshotSeq = seq;
  let bytes: Buffer;
  try {
    bytes = captureViews(viewRoots(copy.views), viewRoots(buildViews(data.projections)));
  } catch (error) {
    return `the read models cannot be snapshotted: ${(error as Error).message}`;
  }
  await store.saveViewSnapshot({ seq, recordHash: copy.hash, data: bytes, dataHash: hash("sha256", bytes, "hex") });
  return null;
}

async function main(): Promise<void> {
  nameThisThread(THREAD_NAMES.viewSnapshots);
  const priority = yieldToTheLeader();
  const store = await openStore(data.location, { macKey: Buffer.from(data.macKeys[0]!) });
  const loaded = await load(store);
  const { copy } = loaded;
  const warning = [loaded.warning, priority].filter((text) => text !== null).join("; ") || null;
  const inbox = new LeaderInbox(port, copy.seq);
  const feed = new AppendFeed(data.appends ?? null, APPEND_FEED_BYTES_MAX, (seq) => inbox.advance(seq));
  post({ type: "ready", seq: copy.seq, warning });
  for (;;) {
    // Requests for a seq already passed (or the copy's own) are answered first: a snapshot only at the seq asked.
    while (inbox.requests.length > 0 && inbox.requests[0]!.seq <= copy.seq) {
      const request = inbox.requests.shift()!;
      let answer: number | null = null;
      let problem: string | null = null;
      if (request.seq === copy.seq && copy.seq > copy.snapshotSeq && copy.views.state.surveillanceFailure === null) {
        problem = await save(store, copy);
        if (problem === null) answer = copy.seq;
      } else if (request.seq === copy.seq && copy.seq === copy.snapshotSeq && copy.seq > 0) answer = copy.seq;
      post({ type: "answer", id: request.id, seq: answer, warning: problem, fed: feed.fed });
    }
    if (copy.seq < inbox.target) {
      const due = data.every > 0 ? copy.snapshotSeq + data.every : Number.POSITIVE_INFINITY;
      const upTo = Math.min(inbox.target, due, inbox.requests[0]?.seq ?? Number.POSITIVE_INFINITY);
      const from = copy.seq + 1;
      const fed = await feed.take(from);
      if (fed !== null) {
        const last = Math.min(upTo, fed.last);
        for (let seq = from; seq <= last; seq++) {
          const record = {
            seq,
            timeMs: fed.timeMs(seq),
            meta: fed.meta(seq),
            command: fed.command(seq),
            events: fed.events(seq),
          };
          feedViews(copy.views, outcomeOfRecord(record));
          copy.seq = seq;
        }
        copy.hash = fed.hash(last);
        feed.fed += last - from + 1;
      } else {
        const page = await store.read(from, Math.min(READ_PAGE_RECORDS, upTo - copy.seq, feed.unheldFrom(from)));
        if (page.length === 0)
          throw new Error(`the journal has no record ${copy.seq + 1}, below its head ${inbox.target}`);
        for (const record of page) {
          if (record.seq !== copy.seq + 1) throw new Error(`record ${record.seq} follows ${copy.seq}`);
          feedViews(copy.views, outcomeOfRecord(record));
          copy.seq = record.seq;
          copy.hash = record.hash;
        }
      }
      if (copy.seq === due && copy.views.state.surveillanceFailure === null) {
        const problem = await save(store, copy);
        if (problem === null) post({ type: "saved", seq: copy.seq });
        else process.emitWarning(problem);
      } else if (copy.seq === due) copy.snapshotSeq = copy.seq;
      continue;
    }
    if (inbox.stopping) break;
    await inbox.next();
  }
  feed.close();
  await store.close();
  port.close();
}

main().catch((error: unknown) => {
  post({ type: "failed", reason: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
