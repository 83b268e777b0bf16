/**
 * The leader's side of the engine's snapshot thread (engine-snapshot-worker.ts): the thread keeps an engine of its
 * own, restored from the newest snapshot and fed the journal's durable records, and checks, serialises, hashes and
 * saves its snapshots, so that the leader's thread (the sequencer, the API and the streams) never stops for them.
 *
 * Why. At 1,000,000 commands of bench/restart.ts the sequencer's `checkInvariants` + `snapshot()` + `JSON.stringify`
 * held the leader's thread about 3 s, so snapshots could not be taken more often than every 100,000 commands, and a
 * restart after a SIGKILL replayed up to 100,000 records. Taken here, snapshots cost the leader only a message per
 * durable batch, and can be taken every `ENGINE_SNAPSHOT_THREAD_EVERY_RECORDS` records (docs/operations.md has the
 * figures). The price: a second engine (memory) and a replay of every record (CPU of the other core).
 *
 * The leader tells the thread each durable head (`advance`); the thread applies the records up to it and snapshots by
 * count by itself; `snapshot` asks for one at a head (the leader's snapshots by time). `onSaved` hears each snapshot
 * saved; `onBroken` hears an invariant the thread's engine broke (the leader raises its alarm: writes stop). If the
 * thread cannot start or fails, `usable` turns false and `onFailed` is told once: the leader snapshots on its own
 * thread again, as it did before. The thread does not keep the process alive while it has nothing asked of it.
 */

import type { MessagePort } from "node:worker_threads";
import type { EngineThreadData, FromEngineThread } from "./engine-snapshot-worker.ts";
import { SnapshotThread } from "./snapshot-thread.ts";

/** The thread snapshots the engine every this many records (measured: docs/operations.md, "Restart"). */
export const ENGINE_SNAPSHOT_THREAD_EVERY_RECORDS = 10_000;

export interface EngineThreadListeners {
  /** A snapshot at `seq` was saved. */
  readonly onSaved: (seq: number) => void;
  /** The thread's engine broke an invariant at `seq`, found when a snapshot was due (after its records were durable). */
  readonly onBroken: (seq: number, message: string) => void;
  /** The thread stopped working (once): the leader snapshots by itself again. */
  readonly onFailed: (reason: string) => void;
}

export class EngineSnapshotThread extends SnapshotThread<FromEngineThread> {
  private loaded = false;
  /** The thread's V8 heap in use when it last answered a snapshot asked of it (0: not yet). */
  heapUsedBytes = 0;

  /** `follow`, when given, feeds the thread the journal's appends (`JournalStore.follow`). */
  constructor(
    data: EngineThreadData,
    private readonly listeners: EngineThreadListeners,
    follow?: (port: MessagePort) => boolean,
  ) {
    // engine-snapshot-worker.ts through the entry that loads TypeScript when this module runs as TypeScript; the
    // compiled engine-snapshot-worker.js directly when it runs from the build (scripts/build-server.js).
    const entry = import.meta.url.endsWith(".ts")
      ? "./engine-snapshot-worker-entry.mjs"
      : "./engine-snapshot-worker.js";
    super(new URL(entry, import.meta.url), data, "the engine's snapshot thread", follow);
  }

  /** True once the thread has loaded its engine and follows the journal (until it fails or stops). */
  get following(): boolean {
    return this.loaded && this.usable;
  }

  protected receive(message: FromEngineThread): void {
    switch (message.type) {
      case "ready":
        this.loaded = true;
        for (const warning of message.warnings) process.emitWarning(`engine snapshot thread: ${warning}`);
        this.markReady();
        break;
      case "saved":
        this.saved(message.seq);
        break;
      case "answer":
        if (message.heapUsedBytes > 0) this.heapUsedBytes = message.heapUsedBytes;
        this.answer(message.id, message.seq, message.fed);
        break;
      case "broken":
        // The leader raises its alarm (writes stop): no snapshot is taken anywhere after this, so no fallback.
        this.failure = `the engine's snapshot thread found a broken invariant at seq ${message.seq}`;
        this.listeners.onBroken(message.seq, message.message);
        break;
      case "failed":
        this.fail(`the engine's snapshot thread stopped: ${message.reason}`);
        break;
    }
  }

  protected override saved(seq: number): void {
    super.saved(seq);
    this.listeners.onSaved(seq);
  }

  protected failed(reason: string): void {
    this.listeners.onFailed(reason);
  }
}
