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
 * Commands come one at a time (`submit`, a promise each: the gateway's requests; or `submitTo`, which tells a
 * receiver object instead, for the WebSocket order path) or as a group (`submitMany`, one promise for the group:
 * whoever has many commands at once). A group is never split: all of it goes into one batch, so
 * one transaction, and it resolves once, with every outcome, when that batch is durable; if the batch fails, the whole
 * group is refused and none of it is acknowledged. So a group holds at most `batchCommandsMax` commands. A promise and
 * its closures per command cost the main thread more than the journal write of that command (and, with tens of
 * thousands waiting, most of its garbage collection); a group costs them once.
 *
 * The command is stored as JSON and the engine is given a copy equal to the parse of exactly that text (see
 * plain.ts), so replaying the journal gives the engine byte-identical input. The copy is made when the command's
 * batch is prepared, not when it is submitted, so a long queue holds only what the callers sent. The events are
 * serialised once, for the record; the outcome carries the event objects the engine made.
 *
 * The store gives each record its chain hash as it appends it (SQLite does so on its writer thread, off this one), and
 * answers with the last hash; since appends run one at a time, in order, each batch is chained to the hash the one
 * before it was answered with.
 *
 * Snapshots are taken between batches (so a snapshot's state is that of its last record) and saved only once that
 * record is durable, naming that record's hash: a snapshot never refers to a record that is not in the journal. While
 * another thread keeps a copy of the engine and snapshots it (`snapshotsByCount` false: the exchange's engine
 * snapshot thread), this one takes none by count; the clean stop's and those asked for (`snapshot`) are still taken
 * here.
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

/** A group larger than one batch: it could not be written in one transaction, so nothing of it was taken. */
export class GroupTooLargeError extends RangeError {
  override name = "GroupTooLargeError";
}

/**
 * Who sent a command when the caller says nothing: no actor, as the system itself. One shared object (frozen: every
 * outcome without a sender holds it), so a command without meta costs no copy and no JSON.
 */
const NO_META: CommandMeta = Object.freeze({});
const NO_META_TEXT = "{}";

/**
 * A command's meta already in its stored form: `value` and `text`, which must be exactly `JSON.stringify(value)` of a
 * `value` made only of strings. For a caller that sends many commands from one sender (a WebSocket connection: the
 * same actor, role and source, a new request id each) and builds the text from a prefix it made once. The sequencer
 * stores `text` and gives `value` to the outcome as they are, without its own copy and JSON, so the caller must make
 * a new one per command and never change it.
 */
export class StoredMeta {
  constructor(
    readonly value: CommandMeta,
    readonly text: string,
  ) {}
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

/** Settles a waiting promise with one outcome (`submit`) or a group's outcomes (`submitMany`). */
type Settle = (result: Outcome | readonly Outcome[]) => void;

/**
 * Who is told a command's fate when it was sent with `submitTo` instead of `submit`: no promise, no closures. Called
 * from the sequencer after the command's batch is durable and every listener (the read models, the streams) has taken
 * it, so what `durable` reads of the read models includes the command, as a promise's continuation would; `refused`
 * once if the command is refused or its batch cannot be written. Either is called at most once, never both. An
 * exception thrown by either is the receiver's own failure: it is reported as an uncaught exception, outside the
 * pipeline.
 */
export interface OutcomeReceiver {
  durable(outcome: Outcome): void;
  refused(error: unknown): void;
}

/** What waits in the queue: one command sent with `submit` or `submitTo`, or a group sent with `submitMany`. */
class Pending {
  /** Set when the batch is prepared: the outcome, or the group's outcomes; null before, or if it was refused. */
  result: Outcome | Outcome[] | null = null;
  /** Told already (a receiver is told once, as a promise settles once). */
  settled = false;

  constructor(
    /** The command sent alone; null for a group. */
    readonly command: Command | null,
    /** The group's commands (a copy of the caller's array, so its length cannot change); null for one command. */
    readonly commands: readonly Command[] | null,
    /** Commands it holds: 1, or the group's length. */
    readonly size: number,
    readonly meta: CommandMeta | StoredMeta,
    /** A promise's resolve; null when a receiver is told instead. */
    private readonly resolve: Settle | null,
    /** A promise's reject, or the receiver. */
    private readonly rejectOrReceiver: ((error: unknown) => void) | OutcomeReceiver,
  ) {}

  /** A receiver is told after the batch's listeners; a promise is resolved before them (its continuation runs after). */
  get byReceiver(): boolean {
    return this.resolve === null;
  }

  succeed(result: Outcome | Outcome[]): void {
    if (this.settled) return;
    this.settled = true;
    if (this.resolve !== null) this.resolve(result);
    else (this.rejectOrReceiver as OutcomeReceiver).durable(result as Outcome);
  }

  reject(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (this.resolve !== null) (this.rejectOrReceiver as (error: unknown) => void)(error);
    else deferRefusal(this.rejectOrReceiver as OutcomeReceiver, error);
  }
}

/**
 * Tells a receiver of a refusal on a later turn, as a rejected promise would: the sequencer refuses inside its own
 * loop (a failed append, a broken invariant), and a receiver's code must not run in the middle of it.
 */
function deferRefusal(receiver: OutcomeReceiver, error: unknown): void {
  queueMicrotask(() => receiver.refused(error));
}

/** A batch applied to the engine, with its records, waiting to be appended. */
interface Prepared {
  readonly batch: readonly Pending[];
  /** Dropped (null) once handed to the store: the texts are then in its buffer, and need not outlive the write. */
  records: readonly UnchainedRecord[] | null;
  /** Seq of the batch's last record; 0 when it has none (every command in it was refused before it got a seq). */
  readonly lastSeq: number;
  /** Outcomes in seq order, for the listeners. */
  readonly outcomes: readonly Outcome[];
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
  /** Commands in `queue[queueHead..]` (a group counts each of its commands). */
  private queuedCommands = 0;
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
  /** Commands applied since the last snapshot was taken (here or, told by `snapshotSaved`, elsewhere). */
  private sinceSnapshot = 0;
  /**
   * Whether this thread takes the snapshots by count. False while another thread takes them (the engine's snapshot
   * thread: journal/engine-snapshot-thread.ts); set true again if it fails.
   */
  snapshotsByCount = true;
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
  submit(command: Command, meta: CommandMeta | StoredMeta = NO_META): Promise<Outcome> {
    const refused = this.refusal(1);
    if (refused !== null) return Promise.reject(refused);
    return new Promise<Outcome>((resolve, reject) => {
      this.enqueue(new Pending(command, null, 1, meta, resolve as Settle, reject));
    });
  }

  /**
   * `submit` without a promise, for a sender of many commands one at a time (the WebSocket order path): the command's
   * outcome goes to `receiver.durable` once durable (after the listeners have taken its batch), a later refusal to
   * `receiver.refused`. Returns why the command was not taken, at once, or null when it was queued (and the receiver
   * will be told).
   */
  submitTo(command: Command, meta: CommandMeta | StoredMeta, receiver: OutcomeReceiver): unknown {
    const refused = this.refusal(1);
    if (refused !== null) return refused;
    this.enqueue(new Pending(command, null, 1, meta, null, receiver));
    return null;
  }

  /**
   * Sends `commands` as one group, all with the same `meta`: they get consecutive seqs in this order, go into one
   * batch (one transaction), and the promise resolves once that batch is durable, with their outcomes in order. If
   * the batch cannot be written, the promise is refused and none of the group is acknowledged. A command of the group
   * that cannot be stored as JSON refuses the whole group before any of it is applied. Refused at once, taking
   * nothing, when the group holds more than `batchCommandsMax` commands (`GroupTooLargeError`) or does not fit in the
   * queue (`QueueFullError`). An empty group resolves with no outcomes. The group's outcomes share one copy of
   * `meta`.
   */
  submitMany(commands: readonly Command[], meta: CommandMeta | StoredMeta = NO_META): Promise<Outcome[]> {
    const size = commands.length;
    if (size > this.options.batchCommandsMax) {
      return Promise.reject(
        new GroupTooLargeError(
          `a group of ${size} commands is more than one batch holds; send from 1 to ${this.options.batchCommandsMax} commands at once`,
        ),
      );
    }
    const refused = this.refusal(size);
    if (refused !== null) return Promise.reject(refused);
    if (size === 0) return Promise.resolve([]);
    return new Promise<Outcome[]>((resolve, reject) => {
      this.enqueue(new Pending(null, commands.slice(), size, meta, resolve as Settle, reject));
    });
  }

  /** Why `size` more commands cannot be taken now, or null when they can. */
  private refusal(size: number): unknown {
    if (this.failure !== null) return this.failure;
    if (this.stopped) return new SequencerStoppedError("the exchange is stopping; no new commands");
    if (this.queuedCommands + size > QUEUE_COMMANDS_MAX) {
      return new QueueFullError(`${QUEUE_COMMANDS_MAX} commands are waiting; try again shortly`);
    }
    return null;
  }

  private enqueue(pending: Pending): void {
    this.queue.push(pending);
    this.queuedCommands += pending.size;
    this.schedule();
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

  /**
   * A snapshot of the engine's state at `seq` (a durable record) was saved by someone else (the engine's snapshot
   * thread): the count towards the next snapshot starts there, if that is later than the last one taken here.
   */
  snapshotSaved(seq: number): void {
    this.sinceSnapshot = Math.min(this.sinceSnapshot, Math.max(0, this.engine.lastSeq - seq));
  }

  /** Commands waiting for a batch (each command of a group counts). */
  get queued(): number {
    return this.queuedCommands;
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

  /**
   * Takes the next batch from the queue (whole entries, at most `batchCommandsMax` commands, at least one entry),
   * applies it and builds its records. Synchronous.
   */
  private prepare(): Prepared {
    const queue = this.queue;
    const head = this.queueHead;
    const max = this.options.batchCommandsMax;
    let end = head;
    let taken = 0;
    while (end < queue.length) {
      const size = queue[end]!.size;
      // A group is never split: one that does not fit waits for the next batch (it alone fits in one).
      if (taken > 0 && taken + size > max) break;
      taken += size;
      end++;
    }
    const batch = head === 0 && end === queue.length ? queue : queue.slice(head, end);
    if (end === queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (end > queue.length - end) {
      this.queue = queue.slice(end);
      this.queueHead = 0;
    } else {
      this.queueHead = end;
    }
    this.queuedCommands -= taken;
    const records: UnchainedRecord[] = [];
    const outcomes: Outcome[] = [];
    try {
      for (let i = 0; i < batch.length; i++) {
        const pending = batch[i]!;
        if (pending.command !== null) {
          let command: Stored<Command>;
          let meta: Stored<CommandMeta>;
          try {
            command = storedForm(pending.command, "command") as Stored<Command>;
            meta = storedMeta(pending.meta);
          } catch (error) {
            // Not storable as JSON (a cycle, a bigint): refused before it gets a seq, so nothing else changes.
            pending.reject(error);
            continue;
          }
          const outcome = this.applyOne(command, meta, records);
          pending.result = outcome;
          outcomes.push(outcome);
          continue;
        }
        const group = pending.commands!;
        const stored: Stored<Command>[] = new Array(group.length);
        let meta: Stored<CommandMeta>;
        try {
          meta = storedMeta(pending.meta);
          for (let j = 0; j < group.length; j++) stored[j] = storedForm(group[j], "command") as Stored<Command>;
        } catch (error) {
          // One command of the group cannot be stored: none of it is applied.
          pending.reject(error);
          continue;
        }
        const results: Outcome[] = new Array(group.length);
        for (let j = 0; j < group.length; j++) {
          const outcome = this.applyOne(stored[j]!, meta, records);
          results[j] = outcome;
          outcomes.push(outcome);
        }
        pending.result = results;
      }
      this.sinceSnapshot += records.length;
      const every = this.options.snapshotEveryCommands;
      // A snapshot refused for a broken invariant refuses the batch with it: nothing of it becomes durable.
      const snapshot = every > 0 && this.snapshotsByCount && this.sinceSnapshot >= every ? this.takeSnapshot() : null;
      const lastSeq = records.length > 0 ? records[records.length - 1]!.seq : 0;
      return { batch, records, lastSeq, outcomes, snapshot };
    } catch (error) {
      this.rejectBatch(batch, error);
      throw error;
    }
  }

  /** Gives a command the next seq and a time, applies it, and adds its record to `records`. */
  private applyOne(command: Stored<Command>, meta: Stored<CommandMeta>, records: UnchainedRecord[]): Outcome {
    const seq = this.engine.lastSeq + 1;
    const timeMs = Math.max(this.options.clock(), this.engine.nowMs);
    const events = this.engine.apply({ seq, timeMs, command: command.value });
    records.push({ seq, timeMs, meta: meta.text, command: command.text, events: JSON.stringify(events) });
    return { seq, timeMs, command: command.value, meta: meta.value, events };
  }

  /** Appends a prepared batch; once durable, releases its outcomes and saves its snapshot. */
  private async commit(prepared: Prepared): Promise<boolean> {
    const { batch, outcomes } = prepared;
    const records = prepared.records!;
    if (records.length > 0) {
      try {
        // Appends run one at a time (the next starts only once this one resolved), so `lastHash` is the head's hash.
        const appended = this.store.appendChained(this.lastHash, records);
        prepared.records = null;
        this.lastHash = await appended;
        this.lastDurableSeq = prepared.lastSeq;
      } catch (error) {
        this.fail(error, batch);
        return false;
      }
    }
    // In batch order, so in seq order: acknowledgements are released in the order the commands were sequenced. A
    // promise's continuation runs after this turn, so after the listeners below; a receiver is told after them too.
    let receivers = false;
    for (let i = 0; i < batch.length; i++) {
      const pending = batch[i]!;
      if (pending.result === null) continue;
      if (pending.byReceiver) receivers = true;
      else pending.succeed(pending.result);
    }
    let listened = true;
    try {
      for (const listener of this.listeners) listener(outcomes);
    } catch (error) {
      // A read model that failed to take a durable batch is wrong from here on; stop, and rebuild it on restart.
      this.fail(error, []);
      listened = false;
    }
    // The batch is durable whether or not a listener failed: its senders are answered either way.
    if (receivers) this.tellReceivers(batch);
    if (!listened) return false;
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

  /**
   * Tells a durable batch's receivers their outcomes, in batch order. A receiver that throws is reported as an
   * uncaught exception on a later turn (as a throwing promise continuation would be an unhandled rejection), and the
   * others are still told: their commands are durable.
   */
  private tellReceivers(batch: readonly Pending[]): void {
    for (let i = 0; i < batch.length; i++) {
      const pending = batch[i]!;
      if (pending.result === null || !pending.byReceiver) continue;
      try {
        pending.succeed(pending.result);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private rejectBatch(batch: readonly Pending[], error: unknown): void {
    // Entries already settled ignore this.
    for (const pending of batch) pending.reject(error);
  }

  private fail(error: unknown, batch: readonly Pending[]): void {
    if (this.failure !== null) return;
    this.failure = error;
    this.rejectBatch(batch, error);
    this.rejectBatch(this.queue.slice(this.queueHead), error);
    this.queue = [];
    this.queueHead = 0;
    this.queuedCommands = 0;
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

const NO_META_STORED: Stored<CommandMeta> = { text: NO_META_TEXT, value: NO_META };

/** `storedForm` of a command's meta; the shared `NO_META` (no sender given) and a `StoredMeta` cost nothing. */
function storedMeta(meta: CommandMeta | StoredMeta): Stored<CommandMeta> {
  if (meta instanceof StoredMeta) return meta;
  return meta === NO_META ? NO_META_STORED : (storedForm(meta, "meta") as Stored<CommandMeta>);
}
