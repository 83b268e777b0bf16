/**
 * The sequencer: the only writer of the journal and the only caller of `engine.apply` in a running exchange.
 *
 * Each submitted command gets the next sequence number and a timestamp (from the clock seam, never decreasing), is
 * applied to the engine, and joins the current batch; a batch is appended to the journal in one transaction (group
 * commit) and only then are its outcomes released to their senders. A command is therefore never acknowledged before
 * it is durable, and commands arriving while a batch is being written form the next batch.
 *
 * Pipelining: while one batch is being written, the next one is already applied and its records built, so the engine
 * and the journal's disk work at the same time. At most one append is in flight and at most one more batch is
 * prepared behind it; batches are appended strictly in order, the next append starts only after the previous one has
 * succeeded, and outcomes are released batch by batch in sequence order. So the engine runs at most two batches ahead
 * of the journal, and nothing that is not durable is ever released.
 *
 * The command is stored as JSON and the engine is given a copy equal to the parse of exactly that text (see
 * plain.ts), so replaying the journal gives the engine byte-identical input.
 *
 * The store gives each record its chain hash as it appends it (SQLite does so on its writer thread, off this one), and
 * answers with the last hash; since appends run one at a time, in order, each batch is chained to the hash the one
 * before it was answered with.
 *
 * Snapshots are taken between batches (so a snapshot's state is that of its last record) and saved only once that
 * record is durable, naming that record's hash: a snapshot never refers to a record that is not in the journal.
 * Before a snapshot is taken the engine checks its invariants (`Engine.checkInvariants`): a state that breaks one is
 * never saved. The batch that led to it is refused, and the sequencer stops as after a failure, reporting a
 * `SnapshotRefusedError` (stopping beats running wrong).
 *
 * If an append fails, the engine has run ahead of the journal; the sequencer refuses all further work and reports the
 * failure through `onFatal`. The process must then stop and recover from the journal (stopping beats running wrong).
 */

import type { Command } from "../engine/commands.ts";
import type { Engine } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import { sha256OffThread } from "./off-thread-hash.ts";
import { plainCommand } from "./plain.ts";
import { type CommandMeta, GENESIS_HASH, type JournalHead, type UnchainedRecord } from "./records.ts";
import { APPEND_RECORDS_MAX, type JournalStore } from "./store.ts";

export const QUEUE_COMMANDS_MAX = 100_000;

export interface SequencerOptions {
  /** Wall-clock time in ms since epoch: the one seam through which time enters the exchange. */
  readonly clock: () => number;
  /** Most commands per journal transaction. */
  readonly batchCommandsMax?: number;
  /** Write a snapshot after this many commands; 0 disables snapshots. */
  readonly snapshotEveryCommands?: number;
  /** Called once if the journal cannot be written; the process should stop. */
  readonly onFatal?: (error: unknown) => void;
  /**
   * Records after the newest snapshot that recovery replayed: the count towards the next snapshot starts there, so
   * a server that keeps restarting still writes snapshots (and its restarts stay short).
   */
  readonly sinceSnapshot?: number;
}

export interface Outcome {
  readonly seq: number;
  readonly timeMs: number;
  /** The command as the engine saw it (equal to the parse of the stored text) and who sent it. */
  readonly command: Command;
  readonly meta: CommandMeta;
  readonly events: readonly EngineEvent[];
}

export class SequencerStoppedError extends Error {
  override name = "SequencerStoppedError";
}

export class QueueFullError extends Error {
  override name = "QueueFullError";
}

/** The engine broke an invariant when a snapshot was due: nothing was saved, and the sequencer has stopped. */
export class SnapshotRefusedError extends Error {
  override name = "SnapshotRefusedError";
  constructor(
    readonly seq: number,
    override readonly cause: unknown,
  ) {
    super(`no snapshot at seq ${seq}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

interface Pending {
  readonly command: Command;
  readonly meta: CommandMeta;
  readonly resolve: (outcome: Outcome) => void;
  readonly reject: (error: unknown) => void;
}

/** A batch applied to the engine, with its records, waiting to be appended. */
interface Prepared {
  readonly batch: readonly Pending[];
  readonly records: readonly UnchainedRecord[];
  /** Outcomes in batch order; null where a command was refused before it got a seq (it could not be stored). */
  readonly outcomes: readonly (Outcome | null)[];
  /** The engine's snapshot right after this batch, to be saved once the batch is durable (and its hash known). */
  readonly snapshot: TakenSnapshot | null;
}

/** A snapshot whose last record's hash is not known yet. */
/** The engine's state serialised at a record, before it is hashed (off this thread) and chained. */
interface TakenSnapshot {
  readonly seq: number;
  readonly data: string;
}

export class Sequencer {
  private readonly engine: Engine;
  private readonly store: JournalStore;
  private readonly options: Required<Omit<SequencerOptions, "onFatal" | "sinceSnapshot">>;
  private readonly onFatal: ((error: unknown) => void) | undefined;
  /**
   * Commands waiting for a batch are `queue[queueHead..]`. A batch is taken by moving the head instead of copying
   * the rest of the queue (which, with many commands waiting, copied tens of thousands of entries per batch); the
   * taken entries are dropped once they are the larger part of the array.
   */
  private queue: Pending[] = [];
  private queueHead = 0;
  /**
   * Hash of the last durable record. Records applied after it are not hashed yet: the store hashes them as it
   * appends them.
   */
  private lastHash: string;
  /** Seq of the last durable record (with `lastHash`, the durable head). */
  private lastDurableSeq: number;
  /** The pipeline is working: a batch is being prepared, written or released. */
  private running = false;
  private scheduled = false;
  private stopped = false;
  private failure: unknown = null;
  /** Commands applied since the last snapshot was taken. */
  private sinceSnapshot = 0;
  private idleWaiters: (() => void)[] = [];
  /** Listeners told of every durable batch's outcomes, in order (projections, streams). */
  private readonly listeners: ((outcomes: readonly Outcome[]) => void)[] = [];

  constructor(engine: Engine, store: JournalStore, head: JournalHead | null, options: SequencerOptions) {
    if ((head?.seq ?? 0) !== engine.lastSeq) {
      throw new Error(`engine is at seq ${engine.lastSeq} but the journal head is at ${head?.seq ?? 0}`);
    }
    this.engine = engine;
    this.store = store;
    this.lastHash = head?.hash ?? GENESIS_HASH;
    this.lastDurableSeq = head?.seq ?? 0;
    this.sinceSnapshot = options.sinceSnapshot ?? 0;
    this.options = {
      clock: options.clock,
      batchCommandsMax: Math.min(options.batchCommandsMax ?? 1000, APPEND_RECORDS_MAX),
      snapshotEveryCommands: options.snapshotEveryCommands ?? 100_000,
    };
    this.onFatal = options.onFatal;
  }

  /** Resolves with the command's outcome once it is durable. */
  submit(command: Command, meta: CommandMeta = {}): Promise<Outcome> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.stopped) return Promise.reject(new SequencerStoppedError("the exchange is stopping; no new commands"));
    if (this.queued >= QUEUE_COMMANDS_MAX) {
      return Promise.reject(new QueueFullError(`${QUEUE_COMMANDS_MAX} commands are waiting; try again shortly`));
    }
    return new Promise<Outcome>((resolve, reject) => {
      this.queue.push({ command, meta, resolve, reject });
      this.schedule();
    });
  }

  /** Registers a listener for durable outcomes, called after each batch commits. */
  onDurable(listener: (outcomes: readonly Outcome[]) => void): void {
    this.listeners.push(listener);
  }

  /** The last durable record's seq and hash (what the journal head holds). */
  get durableHead(): JournalHead {
    return { seq: this.lastDurableSeq, hash: this.lastHash };
  }

  /** Commands applied since the last snapshot was taken (what a restart from the newest snapshot would replay). */
  get commandsSinceSnapshot(): number {
    return this.sinceSnapshot;
  }

  get queued(): number {
    return this.queue.length - this.queueHead;
  }

  /** Resolves when every command submitted so far is durable (or has failed). */
  async drain(): Promise<void> {
    if (!this.running && !this.scheduled && this.queued === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops intake, finishes what was submitted, and writes a final snapshot when snapshots are on (unless the engine's
   * invariants refuse it, which is reported through `onFatal`; the journal is complete without it).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.drain();
    if (this.failure === null && this.options.snapshotEveryCommands > 0 && this.sinceSnapshot > 0) {
      try {
        await this.snapshot();
      } catch (error) {
        if (!(error instanceof SnapshotRefusedError)) throw error;
      }
    }
  }

  /**
   * Stops taking commands for good, as after a failure: commands waiting are refused with `error`, and so is every
   * later one; a batch already being written completes (it was applied before). Reported through `onFatal`.
   */
  halt(error: unknown): void {
    this.fail(error, []);
  }

  /**
   * Writes a snapshot of the engine once everything submitted so far is durable, so that the snapshot's state is that
   * of a durable record.
   */
  async snapshot(): Promise<void> {
    await this.drain();
    if (this.failure !== null) throw this.failure;
    // `drain` resolved with the pipeline idle and nothing has run since: everything applied is durable, and
    // `lastHash` is the hash of the last record applied.
    let snapshot: TakenSnapshot;
    try {
      snapshot = this.takeSnapshot();
    } catch (error) {
      this.fail(error, []);
      throw error;
    }
    await this.save(snapshot, this.lastHash);
  }

  /**
   * The engine's state now, once its invariants hold (else `SnapshotRefusedError`); it is chained to the last applied
   * record once that record's hash is known.
   */
  private takeSnapshot(): TakenSnapshot {
    try {
      this.engine.checkInvariants();
    } catch (error) {
      throw new SnapshotRefusedError(this.engine.lastSeq, error);
    }
    const data = JSON.stringify(this.engine.snapshot());
    this.sinceSnapshot = 0;
    return { seq: this.engine.lastSeq, data };
  }

  /**
   * Hashes a snapshot taken at the record whose hash is `recordHash` and saves it. The hash (tens of megabytes of
   * JSON) is computed on another thread, so this thread goes on serving meanwhile; it is the same `dataHash`.
   */
  private async save(snapshot: TakenSnapshot, recordHash: string): Promise<void> {
    const { hash } = await sha256OffThread(snapshot.data);
    await this.store.saveSnapshot({
      seq: snapshot.seq,
      stateHash: hash,
      data: snapshot.data,
      dataHash: hash,
      recordHash,
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  /**
   * The pipeline: prepare a batch (apply it, build its records), wait until the batch before it is durable and
   * released, start appending it, and go on to prepare the next while that append runs.
   */
  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    /** The batch being written; resolves true once durable and released, false if the journal failed. */
    let inFlight: Promise<boolean> | null = null;
    while (this.failure === null) {
      if (this.queued === 0) {
        if (inFlight === null) break;
        // Nothing to prepare: wait for the batch being written; commands arriving meanwhile form the next one.
        await inFlight;
        inFlight = null;
        continue;
      }
      let prepared: Prepared;
      try {
        prepared = this.prepare();
      } catch (error) {
        // The engine broke an invariant (or the clock failed): the state can no longer be trusted.
        if (inFlight !== null) await inFlight;
        this.fail(error, []);
        break;
      }
      if (inFlight !== null && !(await inFlight)) {
        this.rejectBatch(prepared.batch, this.failure);
        break;
      }
      inFlight = this.commit(prepared);
    }
    if (inFlight !== null) await inFlight;
    this.running = false;
    if (this.queued > 0 && this.failure === null) this.schedule();
    else this.notifyIdle();
  }

  /** Takes the next batch from the queue, applies it and builds its records. Synchronous. */
  private prepare(): Prepared {
    const head = this.queueHead;
    const end = Math.min(this.queue.length, head + this.options.batchCommandsMax);
    const batch = head === 0 && end === this.queue.length ? this.queue : this.queue.slice(head, end);
    if (end === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (end > this.queue.length - end) {
      this.queue = this.queue.slice(end);
      this.queueHead = 0;
    } else {
      this.queueHead = end;
    }
    const records: UnchainedRecord[] = [];
    const outcomes: (Outcome | null)[] = new Array(batch.length);
    try {
      for (let i = 0; i < batch.length; i++) {
        const pending = batch[i]!;
        outcomes[i] = null;
        let commandText: string;
        let command: Command;
        let metaText: string;
        let meta: CommandMeta;
        try {
          ({ text: commandText, value: command } = storedForm(pending.command, "command") as Stored<Command>);
          ({ text: metaText, value: meta } = storedForm(pending.meta, "meta") as Stored<CommandMeta>);
        } catch (error) {
          // Not storable as JSON (a cycle, a bigint): refused before it gets a seq, so nothing else changes.
          pending.reject(error);
          continue;
        }
        const seq = this.engine.lastSeq + 1;
        const timeMs = Math.max(this.options.clock(), this.engine.nowMs);
        const events = this.engine.apply({ seq, timeMs, command });
        records.push({ seq, timeMs, meta: metaText, command: commandText, events: JSON.stringify(events) });
        outcomes[i] = { seq, timeMs, command, meta, events };
      }
      this.sinceSnapshot += records.length;
      const every = this.options.snapshotEveryCommands;
      // A snapshot refused for a broken invariant refuses the batch with it: nothing of it becomes durable.
      const snapshot = every > 0 && this.sinceSnapshot >= every ? this.takeSnapshot() : null;
      return { batch, records, outcomes, snapshot };
    } catch (error) {
      this.rejectBatch(batch, error);
      throw error;
    }
  }

  /** Appends a prepared batch; once durable, releases its outcomes and saves its snapshot. */
  private async commit(prepared: Prepared): Promise<boolean> {
    const { batch, records, outcomes } = prepared;
    if (records.length > 0) {
      try {
        // Appends run one at a time (the next starts only once this one resolved), so `lastHash` is the head's hash.
        this.lastHash = await this.store.appendChained(this.lastHash, records);
        this.lastDurableSeq = records[records.length - 1]!.seq;
      } catch (error) {
        this.fail(error, batch);
        return false;
      }
    }
    const released: Outcome[] = [];
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i];
      if (outcome === null || outcome === undefined) continue;
      batch[i]!.resolve(outcome);
      released.push(outcome);
    }
    try {
      for (const listener of this.listeners) listener(released);
    } catch (error) {
      // A read model that failed to take a durable batch is wrong from here on; stop, and rebuild it on restart.
      this.fail(error, []);
      return false;
    }
    if (prepared.snapshot !== null) {
      try {
        await this.save(prepared.snapshot, this.lastHash);
      } catch (error) {
        // A failed snapshot loses nothing (the journal is complete); the next batch takes another.
        this.sinceSnapshot = Math.max(this.sinceSnapshot, this.options.snapshotEveryCommands);
        process.emitWarning(`snapshot failed: ${(error as Error).message}`);
      }
    }
    return true;
  }

  private rejectBatch(batch: readonly Pending[], error: unknown): void {
    // Promises already settled ignore this.
    for (const pending of batch) pending.reject(error);
  }

  private fail(error: unknown, batch: readonly Pending[]): void {
    if (this.failure !== null) return;
    this.failure = error;
    this.rejectBatch(batch, error);
    this.rejectBatch(this.queue.slice(this.queueHead), error);
    this.queue = [];
    this.queueHead = 0;
    this.onFatal?.(error);
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

interface Stored<T> {
  readonly text: string;
  readonly value: T;
}

/**
 * The text to store for a value and the value the engine gets: a plain copy when the value is plain data (no round
 * trip), otherwise the parse of its JSON. Either way `value` deep-equals `JSON.parse(text)`.
 */
function storedForm(value: unknown, what: string): Stored<unknown> {
  const copy = plainCommand(value);
  if (copy !== undefined) return { text: JSON.stringify(copy), value: copy };
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) throw new TypeError(`the ${what} is not JSON data`);
  return { text, value: JSON.parse(text) };
}
