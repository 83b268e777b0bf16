/**
 * The running exchange: the journal store, the engine recovered from it, the sequencer that is the engine's only
 * writer, and the read models fed from durable outcomes. Everything the server shows comes from the read models
 * (built only from durable events), so nothing is visible before it is durable (DESIGN.md rule 3).
 *
 * Startup: recover the engine (newest snapshot + replay), rebuild the read models from the whole journal, then accept
 * commands. Shutdown (`close`): stop intake, finish the batch in flight, write a snapshot, close the store.
 */

import type { Command } from "../engine/commands.ts";
import type { Engine } from "../engine/engine.ts";
import { openStore, type StoreLocation } from "../journal/open.ts";
import type { CommandMeta, JournalHead } from "../journal/records.ts";
import { recover } from "../journal/recovery.ts";
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
}

export type OutcomeListener = (outcomes: readonly Outcome[]) => void;

export class Exchange {
  readonly store: JournalStore;
  readonly projections: Projections;
  readonly clock: () => number;
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
  ) {
    this.store = store;
    this.engineValue = engine;
    this.projections = projections;
    this.clock = options.clock ?? Date.now;
    this.sequencer = new Sequencer(engine, store, head, {
      clock: this.clock,
      ...(options.batchCommandsMax === undefined ? {} : { batchCommandsMax: options.batchCommandsMax }),
      ...(options.snapshotEveryCommands === undefined ? {} : { snapshotEveryCommands: options.snapshotEveryCommands }),
      ...(options.onFatal === undefined ? {} : { onFatal: options.onFatal }),
    });
    this.sequencer.onDurable((outcomes) => {
      for (const outcome of outcomes) this.projections.apply(outcome);
      for (const listener of this.listeners) listener(outcomes);
    });
  }

  static async open(options: ExchangeOptions): Promise<Exchange> {
    const store = await openStore(options);
    try {
      const { engine, head } = await recover(store);
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
      return new Exchange(store, engine, head, projections, options);
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sequencer.stop();
    await this.store.close();
  }
}
