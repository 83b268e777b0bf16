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
import { setImmediate as turn } from "node:timers/promises";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { AppendedRecords } from "./store.ts";

/** What the leader tells a snapshot thread. */
export type ToSnapshotThread =
  | { readonly type: "head"; readonly seq: number }
  | { readonly type: "snapshot"; readonly id: number; readonly seq: number }
  | { readonly type: "stop" };

export abstract class SnapshotThread<From> {
  /** The seq of the newest snapshot the thread saved (0: none yet). */
  savedSeq = 0;
  /**
   * Records the thread had applied as the journal's writer sent them (`AppendFeed`), not read back from the store,
   * when it last answered a snapshot asked of it.
   */
  fedRecords = 0;
  protected failure: string | null = null;
  private readonly worker: Worker;
  /**
   * Whether the journal's writer sends the thread the appends as they commit: the thread then takes the durable head
   * from them, and `advance` tells it nothing.
   */
  private readonly fed: boolean;
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
  constructor(entry: URL, data: object, name: string, follow?: (port: MessagePort) => boolean) {
    // The journal's appends, sent by the store's writer as they commit (`JournalStore.follow`), when it can: the
    // thread then reads from the store only what it missed (`AppendFeed`).
    const channel = follow === undefined ? null : new MessageChannel();
    const appends = channel !== null && follow!(channel.port1) ? channel.port2 : null;
    if (appends === null) channel?.port2.close();
    this.fed = appends !== null;
    this.worker = new Worker(entry, {
      workerData: { ...data, appends },
      transferList: appends === null ? [] : [appends],
    });
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

  /**
   * The journal's durable head is now `seq`. Told to a thread the writer does not feed (one message per append); one
   * it feeds takes the head from the appends it is sent (`AppendFeed`), so the leader's thread posts nothing here.
   */
  advance(seq: number): void {
    if (!this.fed) this.send({ type: "head", seq });
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

  /** The answer to the snapshot asked as `id`: the seq saved, or null; `fed`: the thread's `fedRecords`. */
  protected answer(id: number, seq: number | null, fed: number): void {
    this.fedRecords = Math.max(this.fedRecords, fed);
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

  /** The durable head is at least `seq` (an append the journal's writer sent: `AppendFeed`). */
  advance(seq: number): void {
    if (seq <= this.target) return;
    this.target = seq;
    this.wake?.();
  }

  /** Resolves when the leader next says something. */
  async next(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    this.wake = null;
  }
}

/** Most bytes of fed records a thread keeps not yet applied; appends beyond it are dropped and read from the store. */
export const APPEND_FEED_BYTES_MAX = 64 << 20;

/** One append fed to a thread: its records by seq, decoded as asked. */
export class FedRecords {
  /** Seq of the first and the last record. */
  readonly first: number;
  readonly last: number;
  private readonly text: Buffer;

  constructor(private readonly records: AppendedRecords) {
    this.first = records.numbers[0]!;
    this.last = records.numbers[(records.count - 1) * 2]!;
    this.text = Buffer.from(records.text.buffer, records.text.byteOffset, records.text.byteLength);
  }

  get bytes(): number {
    return this.text.byteLength;
  }

  timeMs(seq: number): number {
    return this.records.numbers[(seq - this.first) * 2 + 1]!;
  }

  meta(seq: number): string {
    return this.field(seq, 0);
  }

  command(seq: number): string {
    return this.field(seq, 1);
  }

  events(seq: number): string {
    return this.field(seq, 2);
  }

  hash(seq: number): string {
    return this.records.hashes[seq - this.first]!;
  }

  /**
   * Field `k` (meta, command, events) of record `seq`: a record's meta starts where the record before it ends, its
   * command and events after the newline that ends the field before them.
   */
  private field(seq: number, k: number): string {
    const f = (seq - this.first) * 3 + k;
    const start = f === 0 ? 0 : this.records.ends[f - 1]! + (k === 0 ? 0 : 1);
    return this.text.toString("utf8", start, this.records.ends[f]!);
  }
}

/**
 * The thread's side of `JournalStore.follow`: the appends the journal's writer sent as they committed, kept in order
 * until the thread has applied them, so that it reads from the store only what it was not fed (its start, a gap after
 * appends it dropped, a store that does not feed). Holds at most `APPEND_FEED_BYTES_MAX` bytes: a thread that has
 * fallen behind by more drops the newest appends and reads them later. Each append, held or dropped, is durable up to
 * its last record: `onDurable` is told that seq (the thread's durable head, which the leader does not send a fed
 * thread).
 */
export class AppendFeed {
  private readonly held: FedRecords[] = [];
  private bytes = 0;
  /** Records the thread applied from the feed (counted by the thread: `applied`). */
  fed = 0;

  /** `bytesMax`: the most bytes of records held (tests set it lower). */
  constructor(
    private readonly port: MessagePort | null,
    bytesMax = APPEND_FEED_BYTES_MAX,
    onDurable: (seq: number) => void = () => undefined,
  ) {
    port?.on("message", (records: AppendedRecords) => {
      const fed = new FedRecords(records);
      const newest = this.held[this.held.length - 1];
      if (this.bytes + fed.bytes <= bytesMax && (newest === undefined || fed.first > newest.last)) {
        this.held.push(fed);
        this.bytes += fed.bytes;
      }
      onDurable(fed.last);
    });
  }

  /** The append that holds record `seq`, or null; the appends before it are let go (`seq` only grows). */
  at(seq: number): FedRecords | null {
    while (this.held.length > 0 && this.held[0]!.last < seq) this.bytes -= this.held.shift()!.bytes;
    const first = this.held[0];
    return first !== undefined && first.first <= seq ? first : null;
  }

  /**
   * The append that holds record `seq` (as `at`), waiting one turn of the event loop for it first when nothing is held
   * and the writer feeds this thread: the leader's head and the writer's append come by different ports, so a head
   * may be taken before the append it follows. Null: read the record from the store.
   */
  async take(seq: number): Promise<FedRecords | null> {
    if (this.port !== null && this.at(seq) === null && this.held.length === 0) await turn();
    return this.at(seq);
  }

  /**
   * Whether the thread, having applied up to `seq`, holds the records up to `head` in the newest append it was sent
   * (the one being applied, or the next): it has kept up with the writer, however many records that append carries.
   */
  keptUp(seq: number, head: number): boolean {
    const newest = this.held[this.held.length - 1];
    return newest !== undefined && newest.first <= seq + 1 && newest.last >= head;
  }

  /** How many records from `seq` on must be read from the store before the first one held (Infinity: none held). */
  unheldFrom(seq: number): number {
    const first = this.held[0];
    return first === undefined ? Number.POSITIVE_INFINITY : first.first - seq;
  }

  close(): void {
    this.port?.close();
  }
}
