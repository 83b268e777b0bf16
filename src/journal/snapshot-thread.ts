/**
 * The leader's side of a snapshot thread: a worker that keeps its own copy of some state (the engine's,
 * engine-snapshot-thread.ts; the read models', gateway/view-snapshot-thread.ts), fed from the journal's durable
 * records, and takes and saves its snapshots, so that the leader's thread never stops for them. This class holds what
 * both have alike: the worker's start and end, the durable heads told to it (`advance`), snapshots asked of it and
 * their answers (`snapshot`), and its failure (`usable` turns false once; what was asked is answered null). Each kind
 * reads its own messages (`receive`) and says what a failure means to it (`failed`).
 */

import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { type MessagePort, Worker } from "node:worker_threads";

/** What the leader tells a snapshot thread. */
export type ToSnapshotThread =
  | { readonly type: "head"; readonly seq: number }
  | { readonly type: "snapshot"; readonly id: number; readonly seq: number }
  | { readonly type: "stop" };

export abstract class SnapshotThread<From> {
  /** The seq of the newest snapshot the thread saved (0: none yet). */
  savedSeq = 0;
  protected failure: string | null = null;
  private readonly worker: Worker;
  private stopping = false;
  private readonly exited: Promise<void>;
  private nextId = 1;
  private readonly waiting = new Map<number, (seq: number | null) => void>();
  private readonly readyPromise: Promise<void>;
  /** Resolves `ready`: the thread has loaded its copy (or failed). */
  protected readonly markReady: () => void;

  /**
   * Starts the worker `entry` with `data`; `name` names the thread in the reasons of its failure ("the read models'
   * snapshot thread"). The thread does not keep the process alive while nothing is asked of it.
   */
  constructor(entry: URL, data: unknown, name: string) {
    this.worker = new Worker(entry, { workerData: data });
    this.worker.unref();
    let ready: () => void = () => undefined;
    this.readyPromise = new Promise<void>((resolve) => {
      ready = resolve;
    });
    this.markReady = ready;
    this.worker.on("message", (message: From) => this.receive(message));
    this.worker.on("error", (error) => this.fail(`${name} failed: ${error.message}`));
    this.exited = new Promise<void>((resolve) => {
      this.worker.on("exit", (code) => {
        if (this.stopping && code === 0) this.failure ??= "stopped";
        else this.fail(`${name} exited with code ${code}`);
        ready();
        resolve();
      });
    });
  }

  /** False once the thread failed or stopped: it takes no more snapshots. */
  get usable(): boolean {
    return this.failure === null;
  }

  /** Resolves once the thread has loaded its copy (or failed). */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  /** The journal's durable head is now `seq`. */
  advance(seq: number): void {
    this.send({ type: "head", seq });
  }

  /**
   * A snapshot at `seq` (a durable head), taken by the thread once it has applied the records up to it; resolves with
   * `seq` once saved (also when one at `seq` was saved already), or null when none was (the thread failed or stopped,
   * or refused the snapshot).
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

  /** Stops the thread once it has done what was asked of it (a snapshot being saved is finished). */
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

  /** Reads a message of the thread. */
  protected abstract receive(message: From): void;

  /** What the thread's failure means to its kind (told once, after what was asked of it was answered null). */
  protected abstract failed(reason: string): void;

  /** A snapshot at `seq` was saved. */
  protected saved(seq: number): void {
    this.savedSeq = Math.max(this.savedSeq, seq);
  }

  /** The answer to the snapshot asked as `id`: the seq saved, or null. */
  protected answer(id: number, seq: number | null): void {
    if (seq !== null) this.saved(seq);
    const resolve = this.waiting.get(id);
    this.waiting.delete(id);
    resolve?.(seq);
    if (this.waiting.size === 0) this.worker.unref();
  }

  /** The thread no longer works: nothing more is asked of it, and what was is answered null. */
  protected fail(reason: string): void {
    if (this.failure !== null) return;
    this.failure = reason;
    for (const resolve of this.waiting.values()) resolve(null);
    this.waiting.clear();
    this.failed(reason);
  }

  private send(message: ToSnapshotThread): void {
    if (this.usable) this.worker.postMessage(message);
  }
}

/**
 * How much lower than the process's a snapshot thread's priority is: its nice value is the process's + this, at most
 * 19, the lowest (Linux: a nice value belongs to a thread).
 * A snapshot thread applies every record the leader applies and, every so often, captures and hashes a whole state
 * for seconds; on a machine with two cores it then takes a core from the leader's thread, the journal's writer or the
 * clients, and acknowledgements wait. At 10 the scheduler gives it about a tenth of a core's share against a thread at
 * 0 when they compete, and all that is free otherwise; it falls behind under a burst and catches up after (measured:
 * docs/operations.md, "The snapshot threads yield to the leader").
 */
export const SNAPSHOT_THREAD_NICE = 10;

/** A snapshot thread's nice value in a process whose threads run at `processNice` (an operator may nice the server). */
export function snapshotThreadNice(processNice: number): number {
  return Math.min(19, processNice + SNAPSHOT_THREAD_NICE);
}

/**
 * Called by a snapshot thread when it starts: lowers its own priority by `SNAPSHOT_THREAD_NICE`, so that the leader's
 * threads run first. Returns null when done, or why it could not be (a platform without per-thread priorities: the
 * thread then runs at the process's).
 */
export function yieldToTheLeader(): string | null {
  try {
    // The thread's Linux task id: setpriority on it changes this thread alone.
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    setPriority(tid, snapshotThreadNice(getPriority(tid)));
    return null;
  } catch (error) {
    return `the thread's priority was not lowered (${(error as Error).message}): it competes with the leader's threads`;
  }
}

/**
 * The thread's side: what the leader asked, as it arrives. `target` is the newest durable head told (never lower than
 * `from`), `requests` the snapshots asked in order, `stopping` whether the leader said stop; `next` resolves at the
 * next message.
 */
export class LeaderInbox {
  target: number;
  readonly requests: { readonly id: number; readonly seq: number }[] = [];
  stopping = false;
  private wake: (() => void) | null = null;

  constructor(port: MessagePort, from: number) {
    this.target = from;
    port.on("message", (message: ToSnapshotThread) => {
      if (message.type === "head") this.target = Math.max(this.target, message.seq);
      else if (message.type === "snapshot") {
        this.target = Math.max(this.target, message.seq);
        this.requests.push({ id: message.id, seq: message.seq });
      } else this.stopping = true;
      this.wake?.();
    });
  }

  /** Resolves when the leader next says something. */
  async next(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    this.wake = null;
  }
}
