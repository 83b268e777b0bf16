/**
 * The sequencer: the only writer of the journal and the only caller of `engine.apply` in a running exchange.
 *
 * Each submitted command gets the next sequence number and a timestamp (from the clock seam, never decreasing), is
 * applied to the engine, and joins the current batch; a batch is appended to the journal in one transaction (group
 * commit) and only then are its outcomes released to their senders. A command is therefore never acknowledged before
 * it is durable, and commands arriving while a batch is being written form the next batch.
 *
 * The command is stored as JSON and the engine is given the parsed copy of exactly that text, so replaying the journal
 * gives the engine byte-identical input.
 *
 * If an append fails, the engine has run ahead of the journal; the sequencer refuses all further work and reports the
 * failure through `onFatal`. The process must then stop and recover from the journal (stopping beats running wrong).
 */

import type { Command } from "../engine/commands.ts";
import type { Engine } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import {
  type CommandMeta,
  dataHash,
  GENESIS_HASH,
  type JournalHead,
  type JournalRecord,
  makeRecord,
} from "./records.ts";
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
}

export interface Outcome {
  readonly seq: number;
  readonly timeMs: number;
  /** The command as the engine saw it (parsed from the stored text) and who sent it. */
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

interface Pending {
  readonly command: Command;
  readonly meta: CommandMeta;
  readonly resolve: (outcome: Outcome) => void;
  readonly reject: (error: unknown) => void;
}

export class Sequencer {
  private readonly engine: Engine;
  private readonly store: JournalStore;
  private readonly options: Required<Omit<SequencerOptions, "onFatal">>;
  private readonly onFatal: ((error: unknown) => void) | undefined;
  private queue: Pending[] = [];
  private lastHash: string;
  private writing = false;
  private scheduled = false;
  private stopped = false;
  private failure: unknown = null;
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
    if (this.queue.length >= QUEUE_COMMANDS_MAX) {
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

  get queued(): number {
    return this.queue.length;
  }

  /** Resolves when every command submitted so far is durable (or has failed). */
  async drain(): Promise<void> {
    if (!this.writing && !this.scheduled && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops intake, finishes what was submitted, and writes a final snapshot when snapshots are on. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.drain();
    if (this.failure === null && this.options.snapshotEveryCommands > 0 && this.sinceSnapshot > 0) {
      await this.snapshot();
    }
  }

  /** Writes a snapshot of the engine as it is now (everything applied is durable when this runs). */
  async snapshot(): Promise<void> {
    const snapshot = this.engine.snapshot();
    const data = JSON.stringify(snapshot);
    const hash = dataHash(data);
    await this.store.saveSnapshot({
      seq: snapshot.lastSeq,
      stateHash: hash,
      recordHash: this.lastHash,
      data,
      dataHash: hash,
    });
    this.sinceSnapshot = 0;
  }

  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.writing) return;
    if (this.queue.length === 0) {
      this.notifyIdle();
      return;
    }
    this.writing = true;
    const batch =
      this.queue.length <= this.options.batchCommandsMax
        ? this.queue
        : this.queue.slice(0, this.options.batchCommandsMax);
    this.queue = batch === this.queue ? [] : this.queue.slice(batch.length);
    const records: JournalRecord[] = new Array(batch.length);
    const outcomes: Outcome[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const seq = this.engine.lastSeq + 1;
      const timeMs = Math.max(this.options.clock(), this.engine.nowMs);
      const pending = batch[i]!;
      const commandText = JSON.stringify(pending.command);
      const command = JSON.parse(commandText) as Command;
      const metaText = JSON.stringify(pending.meta);
      const events = this.engine.apply({ seq, timeMs, command });
      const record = makeRecord(this.lastHash, { seq, timeMs, command }, commandText, metaText, events);
      this.lastHash = record.hash;
      records[i] = record;
      outcomes[i] = { seq, timeMs, command, meta: JSON.parse(metaText) as CommandMeta, events };
    }
    try {
      await this.store.append(records);
    } catch (error) {
      this.fail(error, batch);
      return;
    }
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(outcomes[i]!);
    for (const listener of this.listeners) listener(outcomes);
    this.sinceSnapshot += batch.length;
    if (this.options.snapshotEveryCommands > 0 && this.sinceSnapshot >= this.options.snapshotEveryCommands) {
      try {
        await this.snapshot();
      } catch (error) {
        // A failed snapshot loses nothing (the journal is complete); the next one will try again.
        this.sinceSnapshot = this.options.snapshotEveryCommands;
        process.emitWarning(`snapshot failed: ${(error as Error).message}`);
      }
    }
    this.writing = false;
    if (this.queue.length > 0) this.schedule();
    else this.notifyIdle();
  }

  private fail(error: unknown, batch: readonly Pending[]): void {
    this.failure = error;
    this.writing = false;
    for (const pending of batch) pending.reject(error);
    for (const pending of this.queue) pending.reject(error);
    this.queue = [];
    this.notifyIdle();
    this.onFatal?.(error);
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
