/**
 * The leader's side of the read models' snapshot thread (view-snapshot-worker.ts): the thread keeps its own copy of
 * the read models, fed from the journal's durable records, and takes and saves their snapshots, so that the leader's
 * thread (the sequencer, the API and the streams) never stops to capture them.
 *
 * Why a thread and not a faster capture. At 200,000 records of bench/snapshot.ts the read models serialise to ~118 MB
 * and the capture held the leader's event loop for 6-8 s. Most of it is state the reads need: every live order is
 * kept by five views (sessions, market data, accounts, the audit trail, surveillance: ~95,000 live orders there),
 * and the audit trail keeps its newest 100,000 entries (~36 MB). Trimming views could not bring a graph walk of that
 * size down to tens of milliseconds, and a capture spread over event-loop turns would need every view to copy on
 * write. A second copy of the read models on another thread costs memory (one more copy of the read models) and the
 * CPU of a replay per record (docs/operations.md has the figures), but the leader's longest stall while a snapshot is
 * taken drops from seconds to what posting a message costs.
 *
 * The leader tells the thread each durable head (`advance`); the thread applies the records up to it when it can and
 * snapshots by count by itself; `snapshot` asks for one at a head now (the clean stop's). If the thread cannot start
 * or fails, `usable` turns false and the exchange falls back to capturing on its own thread at a clean stop only.
 * The thread does not keep the process alive while it has nothing asked of it.
 */

import type { MessagePort } from "node:worker_threads";
import { SnapshotThread } from "../journal/snapshot-thread.ts";
import type { FromViewThread, ViewThreadData } from "./view-snapshot-worker.ts";

export class ViewSnapshotThread extends SnapshotThread<FromViewThread> {
  /** `follow`, when given, feeds the thread the journal's appends (`JournalStore.follow`). */
  constructor(data: ViewThreadData, follow?: (port: MessagePort) => boolean) {
    // view-snapshot-worker.ts through the entry that loads TypeScript when this module runs as TypeScript; the compiled
    // view-snapshot-worker.js directly when it runs from the build (scripts/build-server.js).
    const entry = import.meta.url.endsWith(".ts") ? "./view-snapshot-worker-entry.mjs" : "./view-snapshot-worker.js";
    super(new URL(entry, import.meta.url), data, "the read models' snapshot thread", follow);
  }

  protected receive(message: FromViewThread): void {
    switch (message.type) {
      case "ready":
        this.markReady();
        break;
      case "saved":
        this.saved(message.seq);
        break;
      case "answer":
        if (message.warning !== null) process.emitWarning(message.warning);
        this.answer(message.id, message.seq, message.fed);
        break;
      case "failed":
        this.fail(`the read models' snapshot thread stopped: ${message.reason}`);
        break;
    }
  }

  protected failed(reason: string): void {
    process.emitWarning(reason);
  }
}
