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

import { Worker } from "node:worker_threads";
import type { EngineThreadData, FromEngineThread, ToEngineThread } from "./engine-snapshot-worker.ts";

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

export class EngineSnapshotThread {
  /** The seq of the newest snapshot the thread saved (0: none yet). */
  savedSeq = 0;
  /** True once the thread has loaded its engine and follows the journal. */
  following = false;
  private readonly worker: Worker;
  private failure: string | null = null;
  private stopping = false;
  private readonly exited: Promise<void>;
  private nextId = 1;
  private readonly waiting = new Map<number, (seq: number | null) => void>();
  private readonly readyPromise: Promise<void>;

  constructor(data: EngineThreadData, listeners: EngineThreadListeners) {
    // engine-snapshot-worker.ts through the entry that loads TypeScript when this module runs as TypeScript; the
    // compiled engine-snapshot-worker.js directly when it runs from the build (scripts/build-server.js).
    const entry = import.meta.url.endsWith(".ts")
      ? "./engine-snapshot-worker-entry.mjs"
      : "./engine-snapshot-worker.js";
    this.worker = new Worker(new URL(entry, import.meta.url), { workerData: data });
    this.worker.unref();
    let ready: () => void = () => undefined;
    this.readyPromise = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const fail = (reason: string): void => {
      if (this.failure !== null) return;
      this.failure = reason;
      this.following = false;
      for (const resolve of this.waiting.values()) resolve(null);
      this.waiting.clear();
      if (reason !== "stopped") listeners.onFailed(reason);
    };
    this.worker.on("message", (message: FromEngineThread) => {
      switch (message.type) {
        case "ready":
          this.following = this.failure === null;
          for (const warning of message.warnings) process.emitWarning(`engine snapshot thread: ${warning}`);
          ready();
          break;
        case "saved":
          this.savedSeq = Math.max(this.savedSeq, message.seq);
          listeners.onSaved(message.seq);
          break;
        case "answer": {
          if (message.seq !== null) {
            this.savedSeq = Math.max(this.savedSeq, message.seq);
            listeners.onSaved(message.seq);
          }
          const resolve = this.waiting.get(message.id);
          this.waiting.delete(message.id);
          resolve?.(message.seq);
          if (this.waiting.size === 0) this.worker.unref();
          break;
        }
        case "broken":
          // The leader raises its alarm (writes stop): no snapshot is taken anywhere after this, so no fallback.
          this.failure = `the engine's snapshot thread found a broken invariant at seq ${message.seq}`;
          this.following = false;
          listeners.onBroken(message.seq, message.message);
          break;
        case "failed":
          fail(`the engine's snapshot thread stopped: ${message.reason}`);
          break;
      }
    });
    this.worker.on("error", (error) => fail(`the engine's snapshot thread failed: ${error.message}`));
    this.exited = new Promise<void>((resolve) => {
      this.worker.on("exit", (code) => {
        fail(this.stopping && code === 0 ? "stopped" : `the engine's snapshot thread exited with code ${code}`);
        ready();
        resolve();
      });
    });
  }

  /** False once the thread failed or stopped: it takes no more snapshots. */
  get usable(): boolean {
    return this.failure === null;
  }

  /** Resolves once the thread has loaded its engine (or failed). */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  /** The journal's durable head is now `seq`. */
  advance(seq: number): void {
    this.send({ type: "head", seq });
  }

  /**
   * A snapshot at `seq` (a durable head), taken by the thread once it has applied the records up to it; resolves with
   * `seq` once saved (also when one at `seq` was saved already), or null when none was (the thread failed or stopped).
   */
  snapshot(seq: number): Promise<number | null> {
    if (!this.usable) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.ref();
      this.send({ type: "snapshot", id, seq });
    });
  }

  /** Stops the thread after the step it is in (a snapshot being saved is finished). */
  async close(): Promise<void> {
    this.stopping = true;
    this.send({ type: "stop" });
    this.worker.ref();
    await this.exited;
  }

  /** Ends the thread at once, as a crash of it would (tests). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
    await this.exited;
  }

  private send(message: ToEngineThread): void {
    if (this.usable) this.worker.postMessage(message);
  }
}
