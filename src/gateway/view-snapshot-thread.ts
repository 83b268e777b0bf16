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

import { Worker } from "node:worker_threads";
import type { FromViewThread, ToViewThread, ViewThreadData } from "./view-snapshot-worker.ts";

export class ViewSnapshotThread {
  /** The seq of the newest snapshot the thread saved (0: none yet). */
  savedSeq = 0;
  private readonly worker: Worker;
  private failure: string | null = null;
  private stopping = false;
  private exited: Promise<void>;
  private nextId = 1;
  private readonly waiting = new Map<number, (seq: number | null) => void>();
  private readonly readyPromise: Promise<void>;

  constructor(data: ViewThreadData) {
    // view-snapshot-worker.ts through the entry that loads TypeScript when this module runs as TypeScript; the compiled
    // view-snapshot-worker.js directly when it runs from the build (scripts/build-server.js).
    const entry = import.meta.url.endsWith(".ts") ? "./view-snapshot-worker-entry.mjs" : "./view-snapshot-worker.js";
    this.worker = new Worker(new URL(entry, import.meta.url), { workerData: data });
    this.worker.unref();
    let ready: () => void = () => undefined;
    this.readyPromise = new Promise<void>((resolve) => {
      ready = resolve;
    });
    this.worker.on("message", (message: FromViewThread) => {
      switch (message.type) {
        case "ready":
          ready();
          break;
        case "saved":
          this.savedSeq = Math.max(this.savedSeq, message.seq);
          break;
        case "answer": {
          if (message.seq !== null) this.savedSeq = Math.max(this.savedSeq, message.seq);
          if (message.warning !== null) process.emitWarning(message.warning);
          const resolve = this.waiting.get(message.id);
          this.waiting.delete(message.id);
          resolve?.(message.seq);
          if (this.waiting.size === 0) this.worker.unref();
          break;
        }
        case "failed":
          this.fail(`the read models' snapshot thread stopped: ${message.reason}`);
          break;
      }
    });
    this.worker.on("error", (error) => this.fail(`the read models' snapshot thread failed: ${error.message}`));
    this.exited = new Promise<void>((resolve) => {
      this.worker.on("exit", (code) => {
        if (this.stopping && code === 0) this.failure ??= "stopped";
        else this.fail(`the read models' snapshot thread exited with code ${code}`);
        ready();
        resolve();
      });
    });
  }

  /** False once the thread failed or stopped: it takes no more snapshots. */
  get usable(): boolean {
    return this.failure === null;
  }

  /** Resolves once the thread has loaded its copy of the read models (or failed). */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  /** The journal's durable head is now `seq`. */
  advance(seq: number): void {
    this.send({ type: "head", seq });
  }

  /**
   * A snapshot of the read models at `seq` (a durable head), taken by the thread once it has applied the records up to
   * it; resolves with `seq` once saved (also when one at `seq` was saved already), or null when none was (the thread
   * failed, surveillance stopped on a fault, the capture was refused).
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

  /** Stops the thread once it has done what was asked of it. */
  async close(): Promise<void> {
    this.send({ type: "stop" });
    this.stopping = true;
    this.worker.ref();
    await this.exited;
  }

  private send(message: ToViewThread): void {
    if (this.usable) this.worker.postMessage(message);
  }

  private fail(reason: string): void {
    if (this.failure !== null) return;
    this.failure = reason;
    process.emitWarning(reason);
    for (const resolve of this.waiting.values()) resolve(null);
    this.waiting.clear();
  }
}
