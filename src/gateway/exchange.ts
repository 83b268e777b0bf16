/**
 * The running exchange: the journal store, the engine recovered from it, the sequencer that is the engine's only
 * writer, and the read models fed from durable outcomes. Everything the server shows comes from the read models
 * (built only from durable events), so nothing is visible before it is durable (DESIGN.md rule 3).
 *
 * Startup: load the keys (made on a first start), check the journal as evidence and recover the engine (whole chain,
 * head MAC, snapshot MAC, the newest published checkpoint; then newest snapshot + replay), rebuild the read models
 * from the whole journal, sign a checkpoint of the head, then accept commands. A journal that fails a check stops the
 * start with the first bad record named (`JournalCorruptError`). While running, a checkpoint is signed every
 * `CHECKPOINT_EVERY_RECORDS` records or `CHECKPOINT_EVERY_MS`. Shutdown (`close`): stop intake, finish the batch in
 * flight, write a snapshot, sign a last checkpoint, close the store.
 */

import type { Command } from "../engine/commands.ts";
import type { Engine } from "../engine/engine.ts";
import { type Checkpoint, Checkpointer, checkpointProblem } from "../journal/checkpoints.ts";
import { defaultKeysDir, type ExchangeKeys, loadKeys } from "../journal/keys.ts";
import { DEFAULT_DATA_DIR, openStore, type StoreLocation } from "../journal/open.ts";
import { type CommandMeta, headMac, type JournalHead, snapshotMac } from "../journal/records.ts";
import { JournalCorruptError, recover } from "../journal/recovery.ts";
import { type Outcome, Sequencer } from "../journal/sequencer.ts";
import { type JournalStore, READ_PAGE_RECORDS } from "../journal/store.ts";
import { Projections, type ProjectionsOptions } from "../projections/index.ts";

export interface ExchangeOptions extends StoreLocation {
  /** The wall clock (ms since epoch); tests pass a fixed one. */
  readonly clock?: () => number;
  readonly batchCommandsMax?: number;
  readonly snapshotEveryCommands?: number;
  readonly projections?: ProjectionsOptions;
  /** Called if the journal cannot be written: the process must stop. */
  readonly onFatal?: (error: unknown) => void;
  /** The keys; by default loaded from (or, on a first start, made in) `keysDir`. */
  readonly keys?: ExchangeKeys;
  /** Where the keys and the checkpoint log are: default `<data>-keys` beside the data directory. */
  readonly keysDir?: string;
}

export type OutcomeListener = (outcomes: readonly Outcome[]) => void;

export class Exchange {
  readonly store: JournalStore;
  readonly projections: Projections;
  readonly clock: () => number;
  readonly keys: ExchangeKeys;
  /** Signs and publishes head checkpoints. */
  readonly checkpoints: Checkpointer;
  /** What the start found worth telling the operator (keys made, loose key files, snapshots skipped). */
  readonly warnings: readonly string[];
  private readonly engineValue: Engine;
  private readonly sequencer: Sequencer;
  private readonly listeners: OutcomeListener[] = [];
  private closed = false;

  private constructor(
    store: JournalStore,
    engine: Engine,
    head: JournalHead | null,
    projections: Projections,
    options: ExchangeOptions,
    keys: ExchangeKeys,
    checkpoints: Checkpointer,
    recovered: { readonly replayed: number; readonly warnings: readonly string[] },
  ) {
    this.store = store;
    this.keys = keys;
    this.checkpoints = checkpoints;
    this.warnings = recovered.warnings;
    this.engineValue = engine;
    this.projections = projections;
    this.clock = options.clock ?? Date.now;
    this.sequencer = new Sequencer(engine, store, head, {
      clock: this.clock,
      ...(options.batchCommandsMax === undefined ? {} : { batchCommandsMax: options.batchCommandsMax }),
      ...(options.snapshotEveryCommands === undefined ? {} : { snapshotEveryCommands: options.snapshotEveryCommands }),
      ...(options.onFatal === undefined ? {} : { onFatal: options.onFatal }),
      sinceSnapshot: recovered.replayed,
    });
    this.sequencer.onDurable((outcomes) => {
      for (const outcome of outcomes) this.projections.apply(outcome);
      for (const listener of this.listeners) listener(outcomes);
      try {
        this.checkpoints.maybeSign(this.sequencer.durableHead, this.clock());
      } catch (error) {
        // A checkpoint that could not be written loses nothing: the next batch tries again.
        process.emitWarning(`checkpoint not written: ${(error as Error).message}`);
      }
    });
  }

  static async open(options: ExchangeOptions): Promise<Exchange> {
    const keys =
      options.keys ?? loadKeys(options.keysDir ?? defaultKeysDir(options.data ?? DEFAULT_DATA_DIR), { create: true });
    const checkpoints = new Checkpointer(keys);
    for (const checkpoint of checkpoints.published) {
      const problem = checkpointProblem(checkpoint, keys.verifyingKeys);
      if (problem !== null) {
        throw new JournalCorruptError(
          checkpoint.seq,
          `a checkpoint in ${keys.dir}/checkpoints.jsonl is bad: ${problem}`,
        );
      }
    }
    const store = await openStore(options, { macKey: keys.macKeys[0]! });
    try {
      const warnings = [...keys.warnings];
      if (keys.generated)
        warnings.push(`new keys were made in ${keys.dir}: keep them, and keep them apart from the database`);
      // A journal from before MACs, on the start that made its first keys: adopted once, and MAC'd at once, so the
      // next start checks it. Otherwise a head without a MAC is refused.
      const head0 = await store.head();
      const adopt = keys.generated && head0 !== null && (head0.mac ?? null) === null;
      const recovered = await recover(store, {
        ...(adopt ? {} : { macKeys: keys.macKeys }),
        checkpoints: checkpoints.published,
      });
      const { engine, head } = recovered;
      if (adopt && head !== null) {
        await adoptWithoutMac(store, keys.macKeys[0]!, head);
        warnings.push(`the journal had no MACs (written before they existed); its head and snapshots now have them`);
      }
      const projections = new Projections({
        ...options.projections,
        indicative: (instrument) => engine.indicative(instrument),
      });
      for (let from = 1; from <= (head?.seq ?? 0); ) {
        const page = await store.read(from, READ_PAGE_RECORDS);
        for (const record of page) projections.applyRecord(record);
        from += page.length;
        if (page.length === 0) break;
      }
      const exchange = new Exchange(store, engine, head, projections, options, keys, checkpoints, {
        replayed: recovered.replayed,
        warnings: [...warnings, ...recovered.warnings],
      });
      // The head just checked is anchored at once: a rollback to before this start is detectable from here on.
      if (head !== null) checkpoints.sign(head, exchange.clock());
      return exchange;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /**
   * The engine, for the few reads the read models cannot answer (the indicative auction price). Its state may be
   * ahead of what is durable by the batch being written; never show order or balance data from it.
   */
  get engine(): Engine {
    return this.engineValue;
  }

  /** Sends a command; resolves with its outcome once durable. */
  submit(command: Command, meta: CommandMeta = {}): Promise<Outcome> {
    return this.sequencer.submit(command, meta);
  }

  /** Listeners hear every durable batch after the read models have taken it in (streams use this). */
  onOutcomes(listener: OutcomeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  get queued(): number {
    return this.sequencer.queued;
  }

  /** Checkpoints published so far, oldest first. */
  get publishedCheckpoints(): readonly Checkpoint[] {
    return this.checkpoints.published;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.sequencer.stop();
      this.checkpoints.sign(this.sequencer.durableHead, this.clock());
    } finally {
      await this.store.close();
    }
  }
}

/** Gives a journal written before MACs existed its head MAC and snapshot MACs (after `recover` checked its chain). */
async function adoptWithoutMac(store: JournalStore, macKey: Buffer, head: JournalHead): Promise<void> {
  const snapshots = new Map<number, string>();
  for (const info of await store.snapshots()) {
    const record = await store.loadSnapshot(info.seq);
    if (record)
      snapshots.set(info.seq, snapshotMac(macKey, record.seq, record.stateHash, record.recordHash, record.dataHash));
  }
  await store.rewriteMacs(headMac(macKey, head.seq, head.hash), snapshots);
}
