/**
 * The running exchange: the journal store, the engine recovered from it, the sequencer that is the engine's only
 * writer, and the read models fed from durable outcomes. Everything the server shows comes from the read models
 * (built only from durable events), so nothing is visible before it is durable (DESIGN.md rule 3).
 *
 * Startup: load the keys (made on a first start), check the journal as evidence and recover the engine (head MAC,
 * snapshot MAC, the newest published checkpoint; then newest snapshot + replay of the records after it, chain checked)
 * and, at the same time, load the read models (and surveillance) from their newest snapshot that checks out; then
 * replay the records after it into them (from record 1 without one), sign a checkpoint of the head, and accept
 * commands. Or, serving first (`deferViews`, `sauda serve`'s default on a SQLite leader): accept commands as soon as
 * the engine is recovered, and load the read models behind, in place (`loadViewsBehind`); what becomes durable
 * meanwhile is kept in order (bounded) and given to them once loaded, and every read of them is refused
 * (`ViewsLoadingError`) until then, but identity (identity.ts: users, API keys, accounts' members), restored first from
 * its own snapshot and caught up beside the engine's recovery, answers authentication and order entry meanwhile; the
 * load lets the event loop turn between its steps (the restore in steps, the tail in pages) so that those requests are
 * answered during it. Their end state is the waiting start's. The chain of the records the engine's snapshot covers (which the state does not depend on) is checked
 * while the exchange already serves (`journalCheck`); a break found there raises the alarm below. A follower, an
 * exchange opened with `checkJournalBeforeServing`, and the start that adopts a journal written before MACs check the
 * whole chain before serving. The leader snapshots the read models every `VIEW_SNAPSHOT_EVERY_RECORDS` records and at
 * a clean stop (view-snapshots.ts), by a thread of their own that keeps a copy of them fed from the durable journal
 * (view-snapshot-thread.ts: the capture of a large state held this thread for seconds); without that thread running, a
 * clean stop captures them here. The engine is snapshotted the same way, every `ENGINE_SNAPSHOT_THREAD_EVERY_RECORDS`
 * records and every `SNAPSHOT_EVERY_MS`, by a thread that keeps an engine of its own fed from the durable journal
 * (journal/engine-snapshot-thread.ts); until it runs, and if it fails, the sequencer snapshots every
 * `SNAPSHOT_EVERY_COMMANDS` here, and the clean stop's snapshot is always taken here. A journal that fails a check
 * before serving stops the start with the first bad record named (`JournalCorruptError`). While running, a checkpoint
 * is signed every `CHECKPOINT_EVERY_RECORDS` records or `CHECKPOINT_EVERY_MS`. Shutdown (`close`): stop intake,
 * finish the batch in flight, write a snapshot, sign a last checkpoint, close the store.
 *
 * Invariants. The engine's own consistency checks (`Engine.checkInvariants`: books, ledger conservation, blocked
 * amounts) run before every snapshot (the sequencer's, and the engine's snapshot thread's on its own engine: found
 * there, the break is found after its records were durable) and whenever `checkInvariants` is called (the server's
 * `InvariantWatch` does so every `INVARIANT_CHECK_INTERVAL_MS`). When one fails, the exchange raises its alarm once:
 * it refuses every change from then on (`WritesStoppedError`; what is durable stays readable), and tells its alarm
 * listeners (the server logs it at error and shows it in /metrics). Stopping beats running wrong; a restart recovers
 * from the journal, which holds nothing the broken state did not already show. The same alarm is raised when the check
 * of the journal's older records finds one that was changed (`where: "journal"`, the record named): the state served
 * does not depend on it, but the journal is no longer the evidence it must be, and the operator must find out why
 * before it takes another change (a restart serves again and raises the alarm again; `sauda verify` names the record).
 */

import { hash } from "node:crypto";
import type { Command } from "../engine/commands.ts";
import type { Engine } from "../engine/engine.ts";
import { type Checkpoint, Checkpointer, checkpointProblem } from "../journal/checkpoints.ts";
import { ENGINE_SNAPSHOT_THREAD_EVERY_RECORDS, EngineSnapshotThread } from "../journal/engine-snapshot-thread.ts";
import { defaultKeysDir, type ExchangeKeys, KeysError, loadKeys, retiredMacKeysNote } from "../journal/keys.ts";
import { type JournalLeadership, LEADERSHIP_TRY_EVERY_MS, type LeaderInfo } from "../journal/leadership.ts";
import { sha256OffThread } from "../journal/off-thread-hash.ts";
import { DEFAULT_DATA_DIR, openStore, type StoreLocation } from "../journal/open.ts";
import { NotLeaderError } from "../journal/postgres-store.ts";
import {
  type CommandMeta,
  chainHash,
  GENESIS_HASH,
  headMac,
  type JournalHead,
  snapshotMac,
} from "../journal/records.ts";
import { HeadMacMismatchError, JournalCorruptError, type PendingCheck, recover } from "../journal/recovery.ts";
import {
  type Outcome,
  type OutcomeReceiver,
  Sequencer,
  SnapshotRefusedError,
  type StoredMeta,
} from "../journal/sequencer.ts";
import { type JournalStore, READ_PAGE_RECORDS } from "../journal/store.ts";
import { outcomeOfRecord, type Projections, type ProjectionsOptions } from "../projections/index.ts";
import type { LiveSurveillance } from "../surveillance/index.ts";
import { Identity } from "./identity.ts";
import {
  buildViews,
  feedViews,
  loadCheckedViews,
  plainProjectionsOptions,
  resetViews,
  type SurveillanceFailure,
  surveil,
  type Views,
  viewRoots,
} from "./read-models.ts";
import { ViewSnapshotThread } from "./view-snapshot-thread.ts";
import { captureViews } from "./view-snapshots.ts";

export type { SurveillanceFailure } from "./read-models.ts";

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
  /**
   * Start as a follower of the journal (no sequencer): PostgreSQL, or a SQLite journal whose leadership another process
   * on this machine holds (a standby); `runForLeader` then takes the leadership when it is free.
   */
  readonly follower?: boolean;
  /** Write a snapshot this often (ms) when commands came since the last; 0: only by count. */
  readonly snapshotEveryMs?: number;
  /** Where the keys and the checkpoint log are: default `<data>-keys` beside the data directory. */
  readonly keysDir?: string;
  /**
   * The leader snapshots the read models every this many records (and at a clean stop); 0: never. Default: `snapshotEveryCommands`, or `VIEW_SNAPSHOT_EVERY_RECORDS`.
   */
  readonly viewSnapshotEveryRecords?: number;
  /**
   * The engine's snapshot thread (journal/engine-snapshot-thread.ts) snapshots the engine every this many records; 0:
   * no thread, the sequencer snapshots every `snapshotEveryCommands` on this thread. Default:
   * `ENGINE_SNAPSHOT_THREAD_EVERY_RECORDS`, or 0 when `snapshotEveryCommands` is given (a caller that chose the
   * sequencer's count; tests).
   */
  readonly engineSnapshotEveryRecords?: number;
  /**
   * Start the snapshot threads at once (the read models' as soon as they are loaded, the engine's at the first durable
   * batch), not once half their first interval of records has passed: for a server that runs a whole session (`sauda serve`). Each thread's start
   * costs about a second of CPU and a catch-up from its newest snapshot; started half way into a busy session that
   * work fell among the orders (at 5,000/s, the read models' thread at record 50,000 caught up for seconds, replaying
   * from record 1 where there was no snapshot yet), started at once it falls at the server's start. Default false: a
   * short-lived exchange (a CLI command, a test) need not pay it.
   */
  readonly snapshotThreadsAtStart?: boolean;
  /**
   * Check the whole hash chain, from record 1, before serving (the behaviour before the check ran beside serving): a
   * changed record anywhere refuses the start. Followers always do.
   */
  readonly checkJournalBeforeServing?: boolean;
  /**
   * Serve as soon as the engine is recovered, while the read models load behind (from their snapshot, then the
   * journal's tail): durable outcomes meanwhile wait, in order, and are fed to them once loaded. Until then every read
   * of the read models is refused (`ViewsLoadingError`). A follower always waits (it serves reads only). Default: wait.
   */
  readonly deferViews?: boolean;
  /**
   * Awaited before the read models' snapshot is read and restored (`deferViews`): the server holds their load (seconds
   * on its main thread) until it listens; tests hold it to look at a node whose read models are loading.
   */
  readonly viewsGate?: () => Promise<void>;
  /** Most durable outcomes kept for the read models while they load (`VIEWS_PENDING_OUTCOMES_MAX`). */
  readonly viewsPendingOutcomesMax?: number;
}

/** The read models' state: loading behind a serving exchange (`deferViews`), ready, or failed to load. */
export type ViewsState = "loading" | "ready" | "failed";

/**
 * Most durable outcomes kept for the read models while they load: beyond it, changes are refused (`ViewsLoadingError`)
 * until the read models have caught up. About 1 KB each: 100 MB at the limit.
 */
export const VIEWS_PENDING_OUTCOMES_MAX = 100_000;

/**
 * Identity snapshots per snapshot of the read models (every 10,000 records by default): each costs a capture of the
 * users, keys and accounts (milliseconds), and a start replays the journal after the newest before it serves.
 */
export const IDENTITY_SNAPSHOTS_PER_VIEW_SNAPSHOT = 10;

/**
 * Records per page of the journal's tail replayed into read models loading behind a serving exchange (`deferViews`):
 * the event loop turns between pages, so order entry (served meanwhile from identity) waits at most one page (about
 * 0.1 s of CPU at this size) rather than the whole replay.
 */
export const VIEWS_BEHIND_PAGE_RECORDS = 1_000;

/**
 * The read models are still loading (`deferViews`): what they answer is not shown until they hold every durable
 * record. Says how far they are (`seq`) and where the journal's head is (`headSeq`).
 */
export class ViewsLoadingError extends Error {
  override name = "ViewsLoadingError";
  constructor(
    readonly seq: number,
    readonly headSeq: number,
    readonly state: ViewsState,
  ) {
    super(
      state === "failed"
        ? "the exchange's read models could not be loaded"
        : `the exchange's read models are loading (record ${seq} of ${headSeq})`,
    );
  }
}

/**
 * The check of the journal records the engine's snapshot covers: running (the exchange serves meanwhile), passed, or
 * failed (the alarm is raised, naming the first bad record).
 */
export type JournalCheckState = "running" | "passed" | "failed";

/** A follower polls the journal this often, besides the announcements (and refreshes the leader's URL). */
export const FOLLOW_POLL_MS = 1000;
/** The leader writes a snapshot this often when commands came since the last (besides every N commands). */
export const SNAPSHOT_EVERY_MS = 60_000;
/** The engine's snapshots by count (the sequencer's option), unless `snapshotEveryCommands` says otherwise. */
export const SNAPSHOT_EVERY_COMMANDS = 100_000;
/** The read models' snapshots by count, unless the options say otherwise. */
export const VIEW_SNAPSHOT_EVERY_RECORDS = SNAPSHOT_EVERY_COMMANDS;

interface Following {
  stopListening: (() => Promise<void>) | null;
  timer: NodeJS.Timeout | null;
  busy: Promise<void> | null;
  again: boolean;
}

export type OutcomeListener = (outcomes: readonly Outcome[]) => void;

/** The exchange refuses changes: a check of the engine's invariants failed (see `InvariantAlarm`). */
export class WritesStoppedError extends Error {
  override name = "WritesStoppedError";
}

/** Why and when the exchange stopped taking changes. */
export interface InvariantAlarm {
  /** What the check found (the engine's `InvariantError` message, or the journal check's `JournalCorruptError`). */
  readonly message: string;
  /** Where it was found: the periodic check, a snapshot, or the check of the journal's older records. */
  readonly where: "check" | "snapshot" | "journal";
  readonly atMs: number;
  /**
   * The journal record found bad (`where: "journal"`), when the problem is in one record; or the seq at which the
   * engine's snapshot thread found the broken invariant (`where: "snapshot"`, after that record was durable).
   */
  readonly seq?: number;
}

export type InvariantListener = (passed: boolean, alarm: InvariantAlarm | null) => void;

export class Exchange {
  readonly store: JournalStore;
  readonly clock: () => number;
  readonly keys: ExchangeKeys;
  /** Signs and publishes head checkpoints. */
  readonly checkpoints: Checkpointer;
  /** What the start found worth telling the operator (keys made, loose key files, snapshots skipped). */
  readonly warnings: string[];
  /**
   * Where the start began and how much it replayed, into the engine and into the read models (the latter filled in
   * once they are loaded, with `deferViews`).
   */
  start: StartFigures;
  /** How long each step of the start took, in ms (wall clock; figures for the operator, not state). */
  startMs: StartTimings = { engineMs: 0, viewsLoadMs: 0, viewsReplayMs: 0 };
  private readonly engineValue: Engine;
  private readonly options: ExchangeOptions;
  /** The sequencer while this node leads (always, on SQLite); null on a follower. */
  private sequencer: Sequencer | null = null;
  /** The last record applied here (by the sequencer or by following) and the newest seq the journal announced. */
  private readonly tail: { seq: number; hash: string; timeMs: number; knownSeq: number };
  private following: Following | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private leaderUrlValue: string | null = null;
  /** The leader epoch this follower last saw published (null before it looked), and who hears of a new leader. */
  private leaderEpochSeen: number | null = null;
  private readonly leaderListeners: ((leader: LeaderInfo) => void)[] = [];
  private leadership: JournalLeadership | null = null;
  private electionTimer: NodeJS.Timeout | null = null;
  /** A try for the leadership in flight (a follower of a shared journal), which `close` waits for. */
  private electing: Promise<void> | null = null;
  private behindSinceMs: number | null = null;
  private readonly roleListeners: ((role: "leader" | "follower", took: TakeoverTimings) => void)[] = [];
  private readonly listeners: OutcomeListener[] = [];
  /** Hear each batch as soon as it is durable, even while the read models load (`onBatchDurable`). */
  private readonly durableListeners: (() => void)[] = [];
  private readonly invariantListeners: InvariantListener[] = [];
  private alarm: InvariantAlarm | null = null;
  private journalCheckState: JournalCheckState = "passed";
  private journalCheckDone: Promise<JournalCheckState> = Promise.resolve("passed");
  private readonly journalCheckAbort = new AbortController();
  /**
   * The read models. Serving first (`deferViews`), they are loaded into in place behind serving (whatever holds them,
   * the routes, keeps them) and shown only once ready.
   */
  private readonly views: Views;
  private viewsStateValue: ViewsState = "ready";
  /** How far the read models being loaded are (the record they hold); their own seq once ready. */
  private viewsLoadingSeq = 0;
  /** Durable batches that came while the read models loaded, in order, and how many outcomes they hold. */
  private readonly pendingBatches: (readonly Outcome[])[] = [];
  private pendingOutcomes = 0;
  private viewsLoaded: Promise<ViewsState> = Promise.resolve("ready");
  private readonly viewsReadyListeners: (() => void)[] = [];
  /** True during `wireViews`: the read models' objects may be taken (not read) while they load. */
  private wiring = false;
  /** The seq of the newest snapshot of the read models, and the one being written (null when none is). */
  private viewSnapshotSeq: number;
  private viewSnapshotWriting: Promise<void> | null = null;
  /** The thread that keeps its own copy of the read models and snapshots it, while this node leads. */
  private viewThread: ViewSnapshotThread | null = null;
  private viewThreadTried = false;
  /** The thread that keeps its own copy of the engine and snapshots it, while this node leads. */
  private engineThread: EngineSnapshotThread | null = null;
  private engineThreadTried = false;
  /**
   * The identity read model (identity.ts): users, API keys, accounts' members. Serving first, restored from its own
   * snapshot and caught up before serving, so it is there while the read models load; null until the read models are
   * loaded when it could not be (no identity snapshot yet: a data directory from before them).
   */
  private identityValue: Identity | null = null;
  /** The seq of the newest identity snapshot, and the write in flight (null when none is). */
  private identitySnapshotSeq = 0;
  private identitySnapshotWriting: Promise<void> | null = null;
  private closed = false;

  private constructor(
    store: JournalStore,
    engine: Engine,
    head: JournalHead | null,
    views: Views,
    options: ExchangeOptions,
    keys: ExchangeKeys,
    checkpoints: Checkpointer,
    recovered: StartFigures & { readonly warnings: readonly string[]; readonly viewsLoading: boolean },
  ) {
    this.views = views;
    if (recovered.viewsLoading) this.viewsStateValue = "loading";
    this.viewSnapshotSeq = recovered.viewSnapshotSeq;
    this.start = {
      snapshotSeq: recovered.snapshotSeq,
      replayed: recovered.replayed,
      viewSnapshotSeq: recovered.viewSnapshotSeq,
      viewsReplayed: recovered.viewsReplayed,
    };
    this.store = store;
    this.keys = keys;
    this.checkpoints = checkpoints;
    this.warnings = [...recovered.warnings];
    this.engineValue = engine;
    this.clock = options.clock ?? Date.now;
    this.options = options;
    this.tail = { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH, timeMs: 0, knownSeq: head?.seq ?? 0 };
    if (!options.follower) this.startSequencer(head, recovered.replayed);
  }

  /** Starts the sequencer at the durable head `head`: this node now writes the journal. */
  private startSequencer(head: JournalHead | null, sinceSnapshot: number): void {
    const options = this.options;
    const sequencer = new Sequencer(this.engineValue, this.store, head, {
      clock: this.clock,
      ...(options.batchCommandsMax === undefined ? {} : { batchCommandsMax: options.batchCommandsMax }),
      ...(options.snapshotEveryCommands === undefined ? {} : { snapshotEveryCommands: options.snapshotEveryCommands }),
      onFatal: (error) => {
        // A snapshot refused for a broken invariant stops writes but not the process: the read side stays up.
        if (error instanceof SnapshotRefusedError) this.raiseAlarm(error.cause, "snapshot");
        else if (!(error instanceof WritesStoppedError)) options.onFatal?.(error);
      },
      sinceSnapshot,
    });
    this.sequencer = sequencer;
    this.maybeStartViewThread();
    sequencer.onDurable((outcomes) => {
      // Started on a durable batch, not here: at a start it would take CPU from the recovery still going on.
      this.maybeStartEngineThread();
      this.engineThread?.advance(sequencer.durableHead.seq);
      this.publish(outcomes);
      for (const listener of this.durableListeners) listener();
      try {
        this.checkpoints.maybeSign(sequencer.durableHead, this.clock());
      } catch (error) {
        // A checkpoint that could not be written loses nothing: the next batch tries again.
        process.emitWarning(`checkpoint not written: ${(error as Error).message}`);
      }
    });
    const everyMs = options.snapshotEveryMs ?? SNAPSHOT_EVERY_MS;
    if (everyMs > 0 && (options.snapshotEveryCommands ?? 1) > 0) {
      // By time as well as by count: a quiet exchange still gets a snapshot of its last changes.
      this.snapshotTimer = setInterval(() => {
        // The read models are snapshotted by count only: their capture holds this thread for longer than the engine's.
        if (sequencer.commandsSinceSnapshot === 0 || this.closed) return;
        // A quiet exchange never has half the thread's interval between two of these: they start it (this one is
        // still taken here, the thread has not loaded its engine yet).
        this.maybeStartEngineThread(true);
        // By the engine's snapshot thread while it follows the journal: this thread only posts a message.
        const thread = this.engineThread;
        if (thread?.following) {
          void thread.snapshot(sequencer.durableHead.seq);
          return;
        }
        sequencer.snapshot().catch((error: unknown) => {
          if (!(error instanceof SnapshotRefusedError))
            process.emitWarning(`snapshot not written: ${(error as Error).message}`);
        });
      }, everyMs);
      this.snapshotTimer.unref();
    }
  }

  /**
   * Durable outcomes, in order, to the read models, surveillance and the listeners (streams). While the read models
   * load behind (`deferViews`), the batch is kept, in order, and given to them and to the listeners once they are
   * loaded (`finishLoadingViews`): listeners hear every batch after the read models have taken it in, as always.
   */
  private publish(outcomes: readonly Outcome[]): void {
    if (this.viewsStateValue !== "ready") {
      // Identity, when it was loaded first, takes what becomes durable at once: order entry reads it meanwhile.
      const identity = this.identityValue;
      for (const outcome of outcomes) {
        identity?.apply(outcome);
        this.tail.seq = outcome.seq;
        this.tail.timeMs = outcome.timeMs;
      }
      if (this.tail.knownSeq < this.tail.seq) this.tail.knownSeq = this.tail.seq;
      this.pendingBatches.push(outcomes);
      this.pendingOutcomes += outcomes.length;
      return;
    }
    this.feed(outcomes);
  }

  private feed(outcomes: readonly Outcome[]): void {
    const projections = this.views.projections;
    for (const outcome of outcomes) {
      // Surveillance reads the limits in force from the read models, so it takes each outcome after them.
      if (projections.apply(outcome)) {
        const state = this.views.state;
        state.surveillanceFailure = surveil(this.views.surveillance, outcome, state.surveillanceFailure);
      }
      // Already taken while the read models loaded, for the batches kept meanwhile: ignored then.
      this.identityValue?.apply(outcome);
      this.tail.seq = outcome.seq;
      this.tail.timeMs = outcome.timeMs;
    }
    if (this.tail.knownSeq < this.tail.seq) this.tail.knownSeq = this.tail.seq;
    // The snapshot thread applies the same records from the journal, and snapshots its copy every N by itself.
    if (this.sequencer !== null) {
      this.maybeStartViewThread();
      this.viewThread?.advance(projections.lastSeq);
      this.maybeSnapshotIdentity();
    }
    for (const listener of this.listeners) listener(outcomes);
  }

  /**
   * The read models (order status, market data, accounts, users, audit, …), built only from durable events. Refused
   * with `ViewsLoadingError` while they load behind a serving exchange (`deferViews`): they do not yet hold every
   * durable record, and nothing is shown from read models that are behind the journal.
   */
  get projections(): Projections {
    if (this.viewsStateValue !== "ready" && !this.wiring) throw this.viewsRefusal();
    return this.views.projections;
  }

  /**
   * The identity read model (users, API keys, accounts' members): what authentication and order entry read. There
   * while the read models load when it was restored first (`identityReady`); otherwise refused, as `projections` is,
   * until they are loaded.
   */
  get identity(): Identity {
    if (this.identityValue === null) throw this.viewsRefusal();
    return this.identityValue;
  }

  /** Whether `identity` answers: always once the read models are ready, and before when it was restored first. */
  get identityReady(): boolean {
    return this.identityValue !== null;
  }

  /**
   * Snapshots the identity read model at the durable head, now (small: written from this thread's capture). Returns
   * the write, or null when none was started (one in flight, identity not there, or not at the head). A write that
   * fails loses nothing: the next start uses an older identity snapshot, or loads identity with the read models.
   */
  snapshotIdentity(): Promise<void> | null {
    const sequencer = this.sequencer;
    const identity = this.identityValue;
    if (sequencer === null || identity === null || this.identitySnapshotWriting !== null) return null;
    const head = sequencer.durableHead;
    const seq = identity.lastSeq;
    if (seq === 0 || head.seq !== seq) return null;
    const data = identity.capture();
    const writing = this.store
      .saveIdentitySnapshot({ seq, recordHash: head.hash, data, dataHash: hash("sha256", data, "hex") })
      .then(
        () => {
          this.identitySnapshotSeq = Math.max(this.identitySnapshotSeq, seq);
        },
        (error: unknown) => process.emitWarning(`identity snapshot not written: ${(error as Error).message}`),
      )
      .finally(() => {
        this.identitySnapshotWriting = null;
      });
    this.identitySnapshotWriting = writing;
    // Counted from now, so that a failing write is not retried on every batch.
    this.identitySnapshotSeq = seq;
    return writing;
  }

  /**
   * Snapshots identity `IDENTITY_SNAPSHOTS_PER_VIEW_SNAPSHOT` times as often as the read models (never when they are
   * never): it is small, and a start replays the journal after it before serving.
   */
  private maybeSnapshotIdentity(): void {
    const views = this.viewSnapshotEveryRecords;
    const every = views > 0 ? Math.max(1, Math.ceil(views / IDENTITY_SNAPSHOTS_PER_VIEW_SNAPSHOT)) : 0;
    const identity = this.identityValue;
    if (every <= 0 || identity === null || this.closed) return;
    if (identity.lastSeq - this.identitySnapshotSeq >= every) void this.snapshotIdentity();
  }

  /** Surveillance over the durable records: alerts, session statistics, its configuration and cases (as `projections`). */
  get surveillance(): LiveSurveillance {
    if (this.viewsStateValue !== "ready" && !this.wiring) throw this.viewsRefusal();
    return this.views.surveillance;
  }

  /** The read models' state: loading (behind a serving exchange), ready, or failed to load. */
  get viewsState(): ViewsState {
    return this.viewsStateValue;
  }

  /** Settles with the read models' state once they are loaded ("ready") or failed to ("failed"). Never rejects. */
  viewsReady(): Promise<ViewsState> {
    return this.viewsLoaded;
  }

  /**
   * Runs `wire` once the read models are ready: at once when they are, else when they are loaded, before they take
   * the batches that became durable meanwhile (so what it wires hears those, and not the journal replayed into them).
   * For what subscribes to the read models' objects themselves (notices, alerts).
   */
  whenViewsReady(wire: () => void): void {
    if (this.viewsStateValue === "ready") wire();
    else this.viewsReadyListeners.push(wire);
  }

  /**
   * Runs `wire` (synchronous) with the read models' objects at hand even while they load: for the server's route
   * registrars, which keep references to them. The objects stay the same when loaded (they are loaded into in place);
   * what is read from them before they are ready is refused in front of the routes (server.ts), not by them.
   */
  wireViews<T>(wire: () => T): T {
    const before = this.wiring;
    this.wiring = true;
    try {
      return wire();
    } finally {
      this.wiring = before;
    }
  }

  /** The refusal of a read of the read models while they are not ready: how far they are, where the head is. */
  viewsRefusal(): ViewsLoadingError {
    const headSeq = this.sequencer === null ? this.tail.seq : this.sequencer.durableHead.seq;
    return new ViewsLoadingError(this.viewsLoadingSeq, headSeq, this.viewsStateValue);
  }

  private get viewSnapshotEveryRecords(): number {
    return this.options.viewSnapshotEveryRecords ?? this.options.snapshotEveryCommands ?? VIEW_SNAPSHOT_EVERY_RECORDS;
  }

  /**
   * Starts the snapshot thread (view-snapshot-thread.ts) once the next snapshot by count is half way (it then has as
   * many records' time to load its copy and catch up), or at once with `snapshotThreadsAtStart`, and tells it the
   * head. Not before: starting it costs about a second of CPU (it loads its own code), which a short-lived exchange (a
   * CLI command, a test) need not pay; a clean stop without it snapshots on this thread. If it cannot start, the read
   * models are snapshotted on this thread at a clean stop only.
   */
  private maybeStartViewThread(): void {
    const every = this.viewSnapshotEveryRecords;
    if (this.viewThreadTried || this.closed || every <= 0 || this.viewsStateValue !== "ready") return;
    const atStart = this.options.snapshotThreadsAtStart === true;
    if (!atStart && this.views.projections.lastSeq - this.viewSnapshotSeq < Math.ceil(every / 2)) return;
    this.viewThreadTried = true;
    try {
      const thread = new ViewSnapshotThread(
        {
          location: { data: this.options.data, database: this.options.database, schema: this.options.schema },
          macKeys: this.keys.macKeys,
          every: this.viewSnapshotEveryRecords,
          projections: plainProjectionsOptions(this.options.projections),
        },
        (port) => this.store.follow?.(port) ?? false,
      );
      thread.advance(this.views.projections.lastSeq);
      this.viewThread = thread;
    } catch (error) {
      process.emitWarning(`the read models' snapshot thread did not start: ${(error as Error).message}`);
    }
  }

  private get engineSnapshotEveryRecords(): number {
    const options = this.options;
    if (options.snapshotEveryCommands === 0) return 0;
    return (
      options.engineSnapshotEveryRecords ??
      (options.snapshotEveryCommands === undefined ? ENGINE_SNAPSHOT_THREAD_EVERY_RECORDS : 0)
    );
  }

  /**
   * Starts the engine's snapshot thread (journal/engine-snapshot-thread.ts) once half its interval has passed since
   * the newest snapshot, or at the first durable batch with `snapshotThreadsAtStart` (as the read models' thread:
   * starting it costs about a second of CPU, which a short-lived exchange need not pay), or `byTime`, when a snapshot
   * by time is due: on a quiet exchange those come before half the interval has passed, and would otherwise all be
   * taken on this thread. Until it has loaded its engine, and
   * again if it cannot start or fails, the sequencer snapshots by count on this thread, as it did before the thread
   * existed.
   */
  private maybeStartEngineThread(byTime = false): void {
    const sequencer = this.sequencer;
    const every = this.engineSnapshotEveryRecords;
    if (sequencer === null || this.engineThreadTried || this.closed || every <= 0) return;
    const atStart = this.options.snapshotThreadsAtStart === true;
    if (!byTime && !atStart && sequencer.commandsSinceSnapshot < Math.ceil(every / 2)) return;
    this.engineThreadTried = true;
    const fallBack = (reason: string): void => {
      process.emitWarning(`${reason}; the engine is snapshotted on the main thread again`);
      sequencer.snapshotsByCount = true;
    };
    try {
      const thread = new EngineSnapshotThread(
        {
          location: { data: this.options.data, database: this.options.database, schema: this.options.schema },
          macKeys: this.keys.macKeys,
          every,
          keepEvery: this.options.snapshotEveryCommands ?? SNAPSHOT_EVERY_COMMANDS,
          headSeq: sequencer.durableHead.seq,
        },
        {
          onSaved: (seq) => sequencer.snapshotSaved(seq),
          // Found after the records that broke it were durable and acknowledged (the sequencer's own check refuses
          // the batch instead): the alarm is the same, writes stop, and `sauda verify` names the record.
          onBroken: (seq, message) => this.raiseAlarm(new Error(message), "snapshot", seq),
          onFailed: fallBack,
        },
        (port) => this.store.follow?.(port) ?? false,
      );
      this.engineThread = thread;
      thread.advance(sequencer.durableHead.seq);
      void thread.ready.then(() => {
        if (thread.following) sequencer.snapshotsByCount = false;
      });
    } catch (error) {
      fallBack(`the engine's snapshot thread did not start: ${(error as Error).message}`);
    }
  }

  /** The read models' snapshot thread, once started (null before, or when it could not start). */
  get viewSnapshotThread(): ViewSnapshotThread | null {
    return this.viewThread;
  }

  /** The engine's snapshot thread, while this node leads and it was started (null otherwise). */
  get engineSnapshotThread(): EngineSnapshotThread | null {
    return this.engineThread;
  }

  /**
   * Snapshots the read models at the durable head, now: by the snapshot thread, once it has applied the records up to
   * the head (this thread only posts a message), or, when that thread is not running, serialised here at once (one
   * consistent state; it holds this thread for as long as the capture takes, seconds for a large state), then hashed
   * on another thread and written in the background. Returns the write, or null when none was started (one in
   * flight, or the head is not the views' last record). A write that fails loses nothing: the next start replays from
   * an older snapshot, or from the journal's beginning.
   */
  snapshotViews(): Promise<void> | null {
    const sequencer = this.sequencer;
    if (sequencer === null || this.viewSnapshotWriting !== null || this.viewsStateValue !== "ready") return null;
    const head = sequencer.durableHead;
    const seq = this.views.projections.lastSeq;
    if (seq === 0 || head.seq !== seq) return null;
    // Surveillance that stopped on a fault is behind the journal: a snapshot would carry it stale into the next start,
    // which must rebuild it instead (from the last snapshot taken before the fault, or from the journal).
    if (this.views.state.surveillanceFailure !== null) return null;
    const thread = this.viewThread;
    if (thread?.usable) {
      const asked = thread
        .snapshot(seq)
        .then((saved) => {
          if (saved !== null) this.viewSnapshotSeq = Math.max(this.viewSnapshotSeq, saved);
        })
        .finally(() => {
          this.viewSnapshotWriting = null;
        });
      this.viewSnapshotWriting = asked;
      return asked;
    }
    let data: Buffer;
    try {
      data = captureViews(viewRoots(this.views), viewRoots(buildViews(this.options.projections)));
    } catch (error) {
      if (this.viewSnapshotEveryRecords > 0) {
        process.emitWarning(`the read models cannot be snapshotted: ${(error as Error).message}`);
      }
      this.viewSnapshotSeq = seq;
      return null;
    }
    const recordHash = head.hash;
    // Hashed on a thread of its own: a snapshot of the read models is tens of megabytes, and this thread leads.
    const writing = sha256OffThread(data)
      .then((hashed) => this.store.saveViewSnapshot({ seq, recordHash, data: hashed.data, dataHash: hashed.hash }))
      .then(
        () => {
          this.viewSnapshotSeq = Math.max(this.viewSnapshotSeq, seq);
        },
        (error: unknown) => process.emitWarning(`snapshot of the read models not written: ${(error as Error).message}`),
      )
      .finally(() => {
        this.viewSnapshotWriting = null;
      });
    this.viewSnapshotWriting = writing;
    // Counted from now, so that a failing write is not retried on every batch.
    this.viewSnapshotSeq = seq;
    return writing;
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
      // Keys just made for a journal that already has MAC'd records cannot be its keys (a wrong --keys, or a standby
      // given other keys than its leader's): said as such, not as a journal rewritten by someone without the key. Keys
      // given by the caller were made by an earlier open (their `generated` tells of that one), not by this one.
      if (options.keys === undefined && keys.generated && head0 !== null && (head0.mac ?? null) !== null) {
        throw new KeysError(
          `there were no keys in ${keys.dir}, so new ones were made there, but the journal ${store.location} already holds ${head0.seq} records written with other keys: start with the keys it was written with (--keys, or the environment; a standby uses its leader's), and remove ${keys.dir} if it was made by mistake`,
        );
      }
      const adopt = keys.generated && head0 !== null && (head0.mac ?? null) === null;
      // The records the engine's snapshot covers are checked while serving, unless the operator asked otherwise. A
      // follower checks everything first: it answers for the journal it follows. The start that adopts a journal
      // without MACs checks everything first: its snapshots are not authenticated until it gives them their MACs.
      const checkAfter = !options.follower && !options.checkJournalBeforeServing && !adopt;
      // A follower serves reads only: it has nothing to serve before its read models are loaded.
      const deferViews = options.deferViews === true && !options.follower;
      const startedMs = performance.now();
      // The read models' snapshot is read and restored beside the engine's recovery: they are independent, and both
      // are long. Its record hash is compared with the journal's here and trusted once recovery has checked it (or,
      // before the engine's snapshot, once the replay below has checked the chain from it).
      let viewsLoadedMs = startedMs;
      // Serving first (`deferViews`): the snapshot is read and hashed beside recovery, but restored (seconds on this
      // thread) only once the engine is recovered.
      let engineRecovered = (): void => undefined;
      const hold = deferViews
        ? new Promise<void>((resolveHold) => {
            engineRecovered = resolveHold;
          })
        : null;
      // Serving first, the read models are made now and loaded into in place: the routes hold them from the start.
      const placeholder = deferViews ? buildViews(options.projections) : null;
      const loading = loadViews(store, head0, options, keys.macKeys, hold, placeholder).then((loaded) => {
        viewsLoadedMs = performance.now();
        return loaded;
      });
      loading.catch(() => undefined); // awaited below, after recovery (whose error comes first)
      // Serving first, identity (what authentication and order entry read) is restored from its own snapshot and
      // caught up with the journal beside the engine's recovery, so that members trade while the read models load.
      const identityLoading = deferViews ? Identity.load(store, head0, keys.macKeys) : null;
      identityLoading?.catch(() => undefined);
      const recovered = await recover(store, {
        ...(adopt ? {} : { macKeys: keys.macKeys }),
        checkpoints: checkpoints.published,
        checkCoveredAfter: checkAfter,
      }).catch((error: unknown) => {
        throw withKeysSource(error, keys, options);
      });
      const recoveredMs = performance.now();
      engineRecovered();
      const { engine, head } = recovered;
      if (adopt && head !== null) {
        await adoptWithoutMac(store, keys.macKeys[0]!, head);
        warnings.push(`the journal had no MACs (written before they existed); its head and snapshots now have them`);
      }
      const headSeq = head?.seq ?? 0;
      const engineSnapshot = { seq: recovered.snapshotSeq, recordHash: recovered.snapshotRecordHash };
      const engineFigures = {
        snapshotSeq: recovered.snapshotSeq,
        replayed: recovered.replayed,
        warnings: [...warnings, ...recovered.warnings],
      };
      let exchange: Exchange;
      if (deferViews) {
        // Serves now: the read models load behind, and take what becomes durable meanwhile once they are loaded.
        exchange = new Exchange(store, engine, head, placeholder!, options, keys, checkpoints, {
          ...engineFigures,
          viewSnapshotSeq: 0,
          viewsReplayed: 0,
          viewsLoading: true,
        });
        exchange.startMs = { engineMs: Math.round(recoveredMs - startedMs), viewsLoadMs: 0, viewsReplayMs: 0 };
        const identity = await identityLoading!;
        if (identity.warning !== null) exchange.warnings.push(identity.warning);
        if (identity.identity !== null) {
          if (identity.identity.lastSeq !== headSeq) {
            throw new Error(
              `invariant: identity loaded to record ${identity.identity.lastSeq}, the head is ${headSeq}`,
            );
          }
          exchange.identityValue = identity.identity;
          exchange.identitySnapshotSeq = (await store.loadIdentitySnapshot())?.seq ?? 0;
        }
        exchange.loadViewsBehind(loading, headSeq, engineSnapshot, startedMs, () => viewsLoadedMs);
      } else {
        const loaded = await loading;
        const replayFromMs = Math.max(recoveredMs, viewsLoadedMs);
        if (loaded.warning !== null) engineFigures.warnings.push(loaded.warning);
        await replayIntoViews(store, loaded, headSeq, engineSnapshot, () => true);
        exchange = new Exchange(store, engine, head, loaded.views, options, keys, checkpoints, {
          ...engineFigures,
          viewSnapshotSeq: loaded.seq,
          viewsReplayed: headSeq - loaded.seq,
          viewsLoading: false,
        });
        exchange.startMs = {
          engineMs: Math.round(recoveredMs - startedMs),
          viewsLoadMs: Math.round(viewsLoadedMs - startedMs),
          viewsReplayMs: Math.round(performance.now() - replayFromMs),
        };
        exchange.identityValue = Identity.fromViews(loaded.views.projections);
        exchange.identitySnapshotSeq = (await store.loadIdentitySnapshot())?.seq ?? 0;
      }
      // The head just checked is anchored at once: a rollback to before this start is detectable from here on. A
      // follower signs nothing (the leader does).
      if (options.follower) await exchange.startFollowing();
      else if (head !== null) checkpoints.sign(head, exchange.clock());
      if (recovered.pendingCheck !== null) exchange.checkJournalWhileServing(recovered.pendingCheck);
      warmBehind(engine, options.viewsGate);
      return exchange;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /**
   * The engine, for what only it can answer: the scheduler's "is a phase change or a timer due" and the invariant
   * checks. Its state may be ahead of what is durable by the batch being written, so nothing shown to anyone is read
   * from it: the read models answer every read (the indicative auction price included).
   */
  get engine(): Engine {
    return this.engineValue;
  }

  /**
   * Sends a command; resolves with its outcome once durable. Refused with `WritesStoppedError` after an alarm, and
   * with `NotLeaderError` (naming the leader's URL when known) on a follower.
   */
  submit(command: Command, meta: CommandMeta | StoredMeta = {}): Promise<Outcome> {
    const refused = this.submitRefusal();
    if (refused !== null) return Promise.reject(refused);
    return this.sequencer!.submit(command, meta);
  }

  /**
   * `submit` without a promise (the WebSocket order path, once per order): the outcome goes to `receiver.durable`
   * once durable and the read models have taken it, a later refusal to `receiver.refused`. Returns why the command
   * was refused at once (the errors `submit` rejects with), or null when it was queued.
   */
  submitTo(command: Command, meta: CommandMeta | StoredMeta, receiver: OutcomeReceiver): unknown {
    return this.submitRefusal() ?? this.sequencer!.submitTo(command, meta, receiver);
  }

  /** Why no command can be submitted now, or null when one can (and the sequencer is there to take it). */
  private submitRefusal(): unknown {
    if (this.alarm !== null) return this.writesStopped();
    if (this.sequencer === null) {
      return new NotLeaderError(
        `this node follows the journal and takes no changes; send them to the leader${this.leaderUrlValue ? ` at ${this.leaderUrlValue}` : ""}`,
        this.leaderUrlValue,
      );
    }
    // While the read models load, what becomes durable waits for them in memory: bounded, so a long load refuses
    // changes for a while rather than growing without limit.
    if (this.viewsStateValue !== "ready" && this.pendingOutcomes + this.sequencer.queued >= this.pendingOutcomesMax) {
      return this.viewsRefusal();
    }
    return null;
  }

  private get pendingOutcomesMax(): number {
    return this.options.viewsPendingOutcomesMax ?? VIEWS_PENDING_OUTCOMES_MAX;
  }

  /**
   * Loads the read models behind a serving exchange (`deferViews`): waits for their snapshot (restored once the engine
   * was recovered), replays the journal from it to the head this start recovered (checking the chain of the records
   * before the engine's snapshot, as a waiting start does), then, in one synchronous step, feeds them the batches that
   * became durable meanwhile, in order, tells the listeners those batches, and shows them. A journal found broken
   * raises the alarm (writes stop), naming the record; any other failure is fatal (`onFatal`): the read models never
   * come, and a restart loads them again. Closing the exchange stops the loading at its next page.
   */
  private loadViewsBehind(
    loading: Promise<LoadedViews>,
    headSeq: number,
    engineSnapshot: { readonly seq: number; readonly recordHash: string },
    startedMs: number,
    loadedAtMs: () => number,
  ): void {
    const load = async (): Promise<ViewsState> => {
      const loaded = await loading;
      const replayFromMs = performance.now();
      if (loaded.warning !== null) this.warnings.push(loaded.warning);
      this.viewsLoadingSeq = loaded.views.projections.lastSeq;
      // In short pages, each followed by a turn of the event loop (the store reads synchronously): requests that
      // need only identity and the engine (order entry) are answered between pages, not after the whole replay.
      const finished = await replayIntoViews(
        this.store,
        loaded,
        headSeq,
        engineSnapshot,
        async (seq) => {
          this.viewsLoadingSeq = seq;
          await new Promise<void>((resolveTurn) => setImmediate(resolveTurn));
          return !this.closed;
        },
        VIEWS_BEHIND_PAGE_RECORDS,
      );
      if (!finished) return this.viewsStateValue;
      // One synchronous step from here: no request and no durable batch comes between the swap and the catch-up.
      const views = loaded.views;
      if (views !== this.views) throw new Error("invariant: the read models were not loaded in place");
      this.viewsStateValue = "ready";
      this.viewsLoadingSeq = views.projections.lastSeq;
      // What the server wires to the read models (notices to deliver, alerts to stream) is wired now: it hears the
      // batches that came meanwhile, as it would have heard them live, and not the journal's tail replayed above.
      for (const wire of this.viewsReadyListeners.splice(0)) wire();
      const batches = this.pendingBatches.splice(0);
      this.pendingOutcomes = 0;
      for (const batch of batches) this.feed(batch);
      if (views.projections.lastSeq !== this.tail.seq) {
        throw new Error(
          `invariant: the read models loaded to record ${views.projections.lastSeq}, the exchange is at ${this.tail.seq}`,
        );
      }
      // Identity not restored first comes from the read models now, in this same synchronous step.
      if (this.identityValue === null) this.identityValue = Identity.fromViews(views.projections);
      if (this.identityValue.lastSeq !== this.tail.seq) {
        throw new Error(
          `invariant: identity is at record ${this.identityValue.lastSeq}, the exchange at ${this.tail.seq}`,
        );
      }
      this.viewsLoadingSeq = views.projections.lastSeq;
      this.start = { ...this.start, viewSnapshotSeq: loaded.seq, viewsReplayed: headSeq - loaded.seq };
      this.startMs = {
        ...this.startMs,
        viewsLoadMs: Math.round(loadedAtMs() - startedMs),
        viewsReplayMs: Math.round(performance.now() - replayFromMs),
      };
      return this.viewsStateValue;
    };
    this.viewsLoaded = load().catch((error: unknown) => {
      this.viewsStateValue = "failed";
      if (error instanceof JournalCorruptError) this.raiseAlarm(error, "journal", error.seq);
      else if (!this.closed) this.options.onFatal?.(error);
      return this.viewsStateValue;
    });
  }

  /** Whether this node writes the journal (the leader) or follows it (a standby on SQLite). */
  get role(): "leader" | "follower" {
    return this.sequencer === null ? "follower" : "leader";
  }

  /** The leader's advertised URL as the journal publishes it (followers), or null when not known. */
  get leaderUrl(): string | null {
    return this.leaderUrlValue;
  }

  /** This node's advertised URL on a shared journal (it names the node in forwarded changes), or null (none). */
  get nodeUrl(): string | null {
    return this.leadership?.advertisedUrl ?? null;
  }

  /**
   * For load balancers: the role, the last record applied here, and how long this node has been behind the newest
   * record the journal announced (0 when it is not behind; always 0 on the leader); the read models' state and the
   * record they hold (behind `seq` while they load: reads wait for "ready", changes do not).
   */
  health(): {
    role: "leader" | "follower";
    seq: number;
    lagMs: number;
    journalCheck: JournalCheckState;
    views: ViewsState;
    viewsSeq: number;
  } {
    const seq = this.sequencer === null ? this.tail.seq : this.sequencer.durableHead.seq;
    const behind = this.sequencer === null && this.tail.knownSeq > this.tail.seq && this.behindSinceMs !== null;
    return {
      role: this.role,
      seq,
      lagMs: behind ? Math.max(0, this.clock() - this.behindSinceMs!) : 0,
      journalCheck: this.journalCheckState,
      views: this.viewsStateValue,
      viewsSeq: this.viewsStateValue === "ready" ? this.views.projections.lastSeq : this.viewsLoadingSeq,
    };
  }

  /** The check of the journal records the engine's snapshot covers: running, passed or failed (see `journalChecked`). */
  get journalCheck(): JournalCheckState {
    return this.journalCheckState;
  }

  /**
   * Settles when the check of the journal's older records ends (at once when it ran before serving): "passed", or
   * "failed" once the alarm has been raised; "running" when the exchange closed before it ended. Never rejects.
   */
  journalChecked(): Promise<JournalCheckState> {
    return this.journalCheckDone;
  }

  /**
   * Runs the check recovery handed back, beside serving. A break raises the alarm (writes stop, reads go on); a check
   * that could not finish (the database failed) says so in a warning and leaves the state "running": nothing was
   * found, and nothing was shown to be sound.
   */
  private checkJournalWhileServing(check: PendingCheck): void {
    this.journalCheckState = "running";
    const signal = this.journalCheckAbort.signal;
    this.journalCheckDone = check.run(signal).then(
      () => {
        this.journalCheckState = "passed";
        return this.journalCheckState;
      },
      (error: unknown) => {
        if (signal.aborted) return this.journalCheckState;
        if (!(error instanceof JournalCorruptError)) {
          process.emitWarning(
            `the check of journal records 1 to ${check.toSeq} could not finish: ${(error as Error).message}`,
          );
          return this.journalCheckState;
        }
        this.journalCheckState = "failed";
        this.raiseAlarm(error, "journal", error.seq);
        return this.journalCheckState;
      },
    );
  }

  /**
   * Follows the journal (a follower): applies every record appended by the leader, as it is announced (PostgreSQL's
   * LISTEN/NOTIFY, SQLite's poll of its file) and at least every `FOLLOW_POLL_MS` (catch-up by seq), to the engine, the read models and the
   * listeners, checking the hash chain and that the engine reproduces each record's events. A failure to follow is
   * fatal (`onFatal`): a follower must not serve a state that is not the journal's.
   */
  private async startFollowing(): Promise<void> {
    const store = this.store;
    if (store.listen === undefined) throw new Error(`a ${store.kind} journal cannot be followed`);
    const following: Following = { stopListening: null, timer: null, busy: null, again: false };
    this.following = following;
    const fail = (error: unknown): void => {
      if (this.following !== following) return;
      this.options.onFatal?.(error);
    };
    following.stopListening = await store.listen(
      (seq) => {
        this.announced(seq);
        this.kick(fail);
      },
      (error) => fail(error),
    );
    following.timer = setInterval(() => {
      this.kick(fail);
      if (this.leadership) {
        this.leadership
          .leader()
          .then((leader) => {
            this.followLeader(leader);
          })
          .catch(() => undefined);
      }
    }, FOLLOW_POLL_MS);
    following.timer.unref();
    // The first catch-up takes its turn like the announced ones: an announcement during it asks for one more round
    // instead of starting a second catch-up that reads from the same seq and then finds its page already applied.
    await this.catchUpInTurn(following);
  }

  private announced(seq: number): void {
    if (seq > this.tail.knownSeq) {
      if (this.tail.knownSeq <= this.tail.seq) this.behindSinceMs = this.clock();
      this.tail.knownSeq = seq;
    }
  }

  /** Runs a catch-up now, or once more after the one running; a failure is fatal (`fail`). */
  private kick(fail: (error: unknown) => void): void {
    const following = this.following;
    if (following === null) return;
    if (following.busy !== null) {
      following.again = true;
      return;
    }
    this.catchUpInTurn(following).catch(fail);
  }

  /**
   * Catches up now, or once more after the catch-up running; resolves when caught up. One catch-up at a time: each
   * reads from the seq after the last one applied, so two at once would read the same records and the later one would
   * find them applied under it (and stop the node: "record N: missing").
   */
  private catchUpInTurn(following: Following): Promise<void> {
    if (following.busy !== null) {
      following.again = true;
      return following.busy;
    }
    const busy = (async () => {
      do {
        following.again = false;
        await this.catchUp();
      } while (following.again && this.following === following);
    })().finally(() => {
      if (following.busy === busy) following.busy = null;
    });
    following.busy = busy;
    return busy;
  }

  /** Applies every record after the last one applied, page by page, until the journal's end. */
  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.store.read(this.tail.seq + 1, READ_PAGE_RECORDS);
      if (page.length === 0) break;
      const outcomes: Outcome[] = [];
      let hash = this.tail.hash;
      let expected = this.tail.seq + 1;
      for (const record of page) {
        if (record.seq !== expected)
          throw new JournalCorruptError(expected, `missing: the next record is ${record.seq}`);
        hash = chainHash(hash, record.seq, record.timeMs, record.meta, record.command, record.events);
        if (hash !== record.hash) {
          throw new JournalCorruptError(record.seq, "damaged: its hash does not continue the journal's hash chain");
        }
        const command = JSON.parse(record.command) as Command;
        const events = this.engineValue.apply({ seq: record.seq, timeMs: record.timeMs, command });
        if (JSON.stringify(events) !== record.events) {
          throw new JournalCorruptError(record.seq, "replaying its command gives different events than were recorded");
        }
        outcomes.push({ seq: record.seq, timeMs: record.timeMs, command, meta: JSON.parse(record.meta), events });
        expected++;
      }
      this.tail.hash = hash;
      this.publish(outcomes);
    }
    if (this.tail.knownSeq <= this.tail.seq) this.behindSinceMs = null;
  }

  private async stopFollowing(): Promise<void> {
    const following = this.following;
    if (following === null) return;
    this.following = null;
    if (following.timer) clearInterval(following.timer);
    await following.stopListening?.();
    // A catch-up that failed has been reported already (fatal, or thrown to the start that ran it).
    await following.busy?.catch(() => undefined);
  }

  /**
   * Runs for leader of a shared PostgreSQL journal: tries to take the leadership now and then every
   * `LEADERSHIP_TRY_EVERY_MS` while following; once taken, catches up with the journal's head and starts the
   * sequencer there. Resolves after the first try (the node then leads, or follows). Losing the leadership is fatal
   * (`onFatal`): the node stops writing at once.
   */
  async runForLeader(leadership: JournalLeadership): Promise<void> {
    this.leadership = leadership;
    leadership.onLost((error) => {
      if (this.closed) return;
      this.options.onFatal?.(
        new NotLeaderError(`the leadership was lost: ${(error as Error).message ?? String(error)}`),
      );
    });
    // The lock connection failed (the database failed over): no append starts until the lock is taken again, in a new
    // epoch that fences the appends from then on (the first checks that the journal's head is where this node left it).
    const store = this.store;
    leadership.onSuspended(() => store.suspend?.());
    leadership.onRegained((epoch) => store.fence?.(epoch));
    // The journal's own connection failed while leading: appends wait until the lock connection confirms the lead.
    store.onConnectionLost?.(() => {
      leadership.confirm().then(
        (epoch) => store.fence?.(epoch),
        () => undefined, // the leadership is lost: `onLost` stops the node
      );
    });
    const known = await leadership.leader();
    this.leaderUrlValue = known?.url ?? null;
    this.leaderEpochSeen = known?.epoch ?? null;
    const attempt = async (): Promise<void> => {
      if (this.closed) return;
      const trying = performance.now();
      const epoch = await leadership.tryLead();
      if (epoch !== null) {
        const taken = performance.now();
        await this.lead(epoch, { lockMs: taken - trying, taken });
        return;
      }
      if (this.closed) return;
      this.electionTimer = setTimeout(() => {
        // A try in flight when the node is told to stop is finished before the journal closes (`close` waits for
        // it): taking the lead meanwhile then ends in a clean stop, not in a failure to write a closed journal.
        const electing = attempt()
          .catch((error: unknown) => {
            if (!this.closed) this.options.onFatal?.(error);
          })
          .finally(() => {
            if (this.electing === electing) this.electing = null;
          });
        this.electing = electing;
      }, leadership.tryEveryMs ?? LEADERSHIP_TRY_EVERY_MS);
    };
    await attempt();
  }

  /**
   * Becomes the leader in `epoch`: stops following, applies the rest of the journal, starts the sequencer. `timing`:
   * how long taking the leadership took, and when it was taken (performance.now()), for the role's listeners.
   */
  private async lead(epoch: number, timing: { readonly lockMs: number; readonly taken: number }): Promise<void> {
    const store = this.store;
    await this.stopFollowing();
    const followedSeq = this.tail.seq;
    // The epoch is bumped: no append of an older leader can commit from here on, so the head read now is final.
    store.fence?.(epoch);
    await this.catchUp();
    const head = await store.head();
    if ((head?.seq ?? 0) !== this.tail.seq || (head !== null && head.hash !== this.tail.hash)) {
      throw new JournalCorruptError(
        head?.seq ?? 0,
        `the journal head is not the last record followed (${this.tail.seq})`,
      );
    }
    const newestSnapshot = (await store.snapshots())[0]?.seq ?? 0;
    // The read models' next snapshot is counted from the takeover: the snapshot thread starts half way to it, not in
    // the new leader's first writes.
    this.viewSnapshotSeq = Math.max(this.viewSnapshotSeq, this.tail.seq);
    this.startSequencer(head, this.tail.seq - newestSnapshot);
    this.leaderUrlValue = this.leadership?.advertisedUrl ?? null;
    if (head !== null) this.checkpoints.sign(head, this.clock());
    const took = {
      lockMs: Math.round(timing.lockMs),
      leadMs: Math.round(performance.now() - timing.taken),
      applied: this.tail.seq - followedSeq,
    };
    for (const listener of this.roleListeners) listener("leader", took);
  }

  /**
   * A follower's look at the leader the journal publishes: a new one (another node took over) is told to the
   * `onLeaderChange` listeners once.
   */
  private followLeader(leader: LeaderInfo | null): void {
    const url = leader?.url ?? null;
    if (url === this.leaderUrlValue || this.sequencer !== null) return;
    this.leaderUrlValue = url;
    if (leader !== null && this.leaderEpochSeen !== null && leader.epoch !== this.leaderEpochSeen) {
      for (const listener of this.leaderListeners) listener(leader);
    }
    if (leader !== null) this.leaderEpochSeen = leader.epoch;
  }

  /** Listeners hear, on a follower, when another node has become the leader it forwards changes to. */
  onLeaderChange(listener: (leader: LeaderInfo) => void): void {
    this.leaderListeners.push(listener);
  }

  /**
   * A node that led from its start (it took the leadership of a SQLite journal before opening it) holds it in `epoch`:
   * its appends are fenced by it, and the leadership is given up when the exchange closes.
   */
  holdLeadership(leadership: JournalLeadership, epoch: number): void {
    if (this.sequencer === null) throw new Error("invariant: only a node that writes the journal holds its leadership");
    this.leadership = leadership;
    this.store.fence?.(epoch);
    this.leaderUrlValue = leadership.advertisedUrl;
  }

  /**
   * Listeners hear when this node becomes the leader, with how long it took: the try that took the leadership
   * (`lockMs`: the bump of the epoch, on PostgreSQL the lock too), then from there to leading (`leadMs`: the records
   * not yet followed applied, `applied` of them, the sequencer started, a checkpoint signed).
   */
  onRole(listener: (role: "leader" | "follower", took: TakeoverTimings) => void): void {
    this.roleListeners.push(listener);
  }

  /**
   * Checks the engine's invariants now; on a failure raises the alarm (writes stop). Returns whether they hold.
   * Synchronous: the engine is never between commands' halves when this runs (the sequencer applies a batch in one
   * synchronous step).
   */
  checkInvariants(): boolean {
    if (this.alarm !== null) return false;
    try {
      this.engineValue.checkInvariants();
    } catch (error) {
      this.raiseAlarm(error, "check");
      return false;
    }
    for (const listener of this.invariantListeners) listener(true, null);
    return true;
  }

  /** Why surveillance stopped taking records, or null while it runs. */
  get surveillanceFailure(): SurveillanceFailure | null {
    return this.views.state.surveillanceFailure;
  }

  /** The alarm raised by a failed invariant check, or null while all is well. */
  get invariantAlarm(): InvariantAlarm | null {
    return this.alarm;
  }

  /**
   * Listeners hear every invariant check's result: passed, or failed with the alarm (raised once). An alarm raised
   * before the listener came (the journal check beside serving may end before the server is built) is told at once.
   */
  onInvariantCheck(listener: InvariantListener): void {
    this.invariantListeners.push(listener);
    if (this.alarm !== null) listener(false, this.alarm);
  }

  private raiseAlarm(error: unknown, where: InvariantAlarm["where"], seq: number | null = null): void {
    if (this.alarm !== null) return;
    this.alarm = {
      message: error instanceof Error ? error.message : String(error),
      where,
      atMs: this.clock(),
      ...(seq === null ? {} : { seq }),
    };
    this.sequencer?.halt(this.writesStopped());
    for (const listener of this.invariantListeners) listener(false, this.alarm);
  }

  private writesStopped(): WritesStoppedError {
    const alarm = this.alarm!;
    const what =
      alarm.where === "journal" ? "the check of the journal found a changed record" : "an invariant check failed";
    return new WritesStoppedError(
      `the exchange refuses changes: ${what} at ${new Date(alarm.atMs).toISOString()} (${alarm.message})`,
    );
  }

  /** Listeners hear every durable batch after the read models have taken it in (streams use this). */
  onOutcomes(listener: OutcomeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /**
   * Hears that a batch became durable, at once, even while the read models load and batches are kept for them (the
   * streams' backpressure: a socket not read while the journal's backlog is long is read again as it shortens).
   */
  onBatchDurable(listener: () => void): () => void {
    this.durableListeners.push(listener);
    return () => {
      const index = this.durableListeners.indexOf(listener);
      if (index >= 0) this.durableListeners.splice(index, 1);
    };
  }

  get queued(): number {
    return this.sequencer?.queued ?? 0;
  }

  /** Checkpoints published so far, oldest first. */
  get publishedCheckpoints(): readonly Checkpoint[] {
    return this.checkpoints.published;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let engineThreadClosed: Promise<void> | undefined;
    try {
      // The check of the older records stops at its next page: the store closes below.
      this.journalCheckAbort.abort(new Error("the exchange closed"));
      await this.journalCheckDone;
      // The read models loading behind stop at their next page too.
      await this.viewsLoaded;
      if (this.snapshotTimer) clearInterval(this.snapshotTimer);
      // The engine's snapshot thread stops after its current step; the clean stop snapshots here (nothing else runs).
      engineThreadClosed = this.engineThread?.close();
      if (this.electionTimer) clearTimeout(this.electionTimer);
      await this.electing;
      await this.stopFollowing();
      if (this.sequencer !== null) {
        await this.sequencer.stop();
        this.checkpoints.sign(this.sequencer.durableHead, this.clock());
        await this.viewSnapshotWriting;
        const saved = Math.max(this.viewSnapshotSeq, this.viewThread?.savedSeq ?? 0);
        const ready = (await this.viewsLoaded) === "ready";
        if (ready && this.viewSnapshotEveryRecords > 0 && this.views.projections.lastSeq > saved) {
          await this.snapshotViews();
        }
        await this.identitySnapshotWriting;
        const identitySeq = this.identityValue?.lastSeq ?? 0;
        if (this.viewSnapshotEveryRecords > 0 && identitySeq > this.identitySnapshotSeq) await this.snapshotIdentity();
      }
    } finally {
      await this.viewThread?.close();
      await (engineThreadClosed ?? this.engineThread?.close());
      await this.leadership?.close();
      await this.store.close();
    }
  }
}

/** How long a follower's takeover took, once its try found the leadership free (`Exchange.onRole`). */
export interface TakeoverTimings {
  readonly lockMs: number;
  readonly leadMs: number;
  readonly applied: number;
}

/**
 * How long a start took: checking the journal and recovering the engine (its snapshot loaded, the tail's chain checked
 * and replayed; the records before the snapshot too unless they are checked while serving), loading the read models'
 * snapshot (beside the engine's recovery, timed from the same start, so the two overlap), and replaying the tail into
 * them (from when both were done).
 */
export interface StartTimings {
  readonly engineMs: number;
  readonly viewsLoadMs: number;
  readonly viewsReplayMs: number;
}

/** Where a start began and how much it replayed. */
export interface StartFigures {
  /** The engine snapshot recovery started from (0: none). */
  readonly snapshotSeq: number;
  /** Records replayed into the engine after it. */
  readonly replayed: number;
  /** The snapshot of the read models the start loaded (0: none, they were rebuilt from record 1). */
  readonly viewSnapshotSeq: number;
  /** Records replayed into the read models after it. */
  readonly viewsReplayed: number;
}

/**
 * The read models to start from: the newest snapshot of them, if it checks out (its MAC, its data's hash, the hash of
 * the journal's record at its seq) and restores, or new ones (seq 0) with a warning saying why the snapshot was not
 * used. Runs beside `recover`: the record hash read here is trusted only once recovery (or the replay into the read
 * models, for a record before the engine's snapshot) has checked the chain through it. `recordHash` is the hash the
 * snapshot names (authentic by its MAC), the genesis hash for new read models.
 */
async function loadViews(
  store: JournalStore,
  head: JournalHead | null,
  options: ExchangeOptions,
  macKeys: readonly Uint8Array[],
  /** Settles when the snapshot may be restored (after the engine's recovery, when serving first); null: at once. */
  hold: Promise<void> | null,
  /**
   * The read models to load into (new, never fed), when something already holds them (serving first: the routes do);
   * by default new ones.
   */
  into: Views | null,
): Promise<LoadedViews> {
  // `into` made new again after a restore into it failed half way, from a capture of new read models. The capture is
  // made only then: at a start without a snapshot of the read models nothing was restored into `into`, and capturing
  // (hashing the read models' sources, serialising two sets of them) held up every such start.
  const fresh = (warning: string | null) => {
    if (into !== null) {
      resetViews(
        into,
        captureViews(viewRoots(buildViews(options.projections)), viewRoots(buildViews(options.projections))),
      );
    }
    return { views: into ?? buildViews(options.projections), seq: 0, recordHash: GENESIS_HASH, warning };
  };
  await options.viewsGate?.();
  const snapshot = await store.loadViewSnapshot();
  // Nothing was restored into `into` (new, never fed): it is new as it is.
  if (snapshot === null || head === null) {
    return { views: into ?? buildViews(options.projections), seq: 0, recordHash: GENESIS_HASH, warning: null };
  }
  const refused = (why: string) =>
    fresh(
      `the snapshot of the read models at ${snapshot.seq} was not used (${why}); they were rebuilt from the journal`,
    );
  // Hashed on another thread: tens of megabytes, while this thread recovers the engine.
  const hashThenHold = async (data: Uint8Array) => {
    const hashed = await sha256OffThread(data);
    await hold;
    return hashed;
  };
  // Into read models that something holds (serving first), restored in steps: the event loop turns between them, so
  // order entry (served from identity meanwhile) is answered during the restore, not after it.
  const loaded = await loadCheckedViews(
    store,
    snapshot,
    head.seq,
    macKeys,
    options.projections,
    hashThenHold,
    into ?? undefined,
    into === null ? undefined : () => new Promise<void>((resolveTurn) => setImmediate(resolveTurn)),
  );
  if (loaded.problem !== null) return refused(loaded.problem);
  const views = loaded.views;
  return { views, seq: snapshot.seq, recordHash: snapshot.recordHash, warning: null };
}

/** The read models a start begins from: restored from the snapshot at `seq`, or new (seq 0). */
interface LoadedViews {
  readonly views: Views;
  readonly seq: number;
  /** The hash of the record at `seq` the snapshot names (authentic by its MAC); the genesis hash at 0. */
  readonly recordHash: string;
  /** Why the snapshot was not used, when it was not. */
  readonly warning: string | null;
}

/**
 * Replays the journal's records after `loaded.seq` up to `headSeq` into the read models loaded. The records up to the
 * engine's snapshot were not checked by recovery (their check may run beside serving): those the read models take are
 * checked here, from the hash their snapshot names (authentic by its MAC) to the one the engine's snapshot names.
 * `onPage` hears the seq reached after each page; returning false stops the replay (returns false).
 */
async function replayIntoViews(
  store: JournalStore,
  loaded: LoadedViews,
  headSeq: number,
  engineSnapshot: { readonly seq: number; readonly recordHash: string },
  onPage: (seq: number) => boolean | Promise<boolean>,
  pageRecords = READ_PAGE_RECORDS,
): Promise<boolean> {
  const views = loaded.views;
  let chain = loaded.recordHash;
  for (let from = loaded.seq + 1; from <= headSeq; ) {
    const page = await store.read(from, Math.min(pageRecords, headSeq - from + 1));
    for (const record of page) {
      if (record.seq <= engineSnapshot.seq) {
        if (record.seq !== from) throw new JournalCorruptError(from, `missing: the next record is ${record.seq}`);
        chain = chainHash(chain, record.seq, record.timeMs, record.meta, record.command, record.events);
        if (chain !== record.hash) {
          throw new JournalCorruptError(record.seq, "damaged: its hash does not continue the journal's hash chain");
        }
        if (record.seq === engineSnapshot.seq && chain !== engineSnapshot.recordHash) {
          throw new JournalCorruptError(record.seq, "the snapshot names a record hash that is not the journal's");
        }
      }
      feedViews(views, outcomeOfRecord(record));
      from++;
    }
    if (page.length === 0) break;
    if (!(await onPage(views.projections.lastSeq))) return false;
  }
  if (views.projections.lastSeq !== headSeq) {
    throw new JournalCorruptError(views.projections.lastSeq + 1, "missing: the journal ends early");
  }
  return true;
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

/** Orders whose records and index entries the engine makes in one slice of `warmBehind`: about 10 ms of CPU. */
const WARM_SLICE_ORDERS = 5_000;

/**
 * Does what the engine's restore left for later (making its live orders' records and indexing them by id, then its
 * done orders and obligations: `Engine.warm`) in slices between the server's other work, so a start serves first and a mass cancel or a listing finds the index
 * built. Never needed for correctness (a lookup makes what it needs); the timers keep no process alive. With `after`
 * (the server's `viewsGate`: it listens), the slices start once that resolves: before, they ran between the steps of
 * building the server and delayed its listening (about 0.8 s of CPU for 572,000 restored orders).
 */
function warmBehind(engine: Engine, after?: () => Promise<void>): void {
  const slice = () => {
    if (!engine.warm(WARM_SLICE_ORDERS)) setImmediate(slice).unref();
  };
  if (after === undefined) setImmediate(slice).unref();
  else
    after().then(
      () => setImmediate(slice).unref(),
      () => undefined,
    );
}

/**
 * A head MAC that matches none of the keys says where the keys came from: keys from the default directory beside the
 * data directory (with `--database` and no `--keys`, `./data-keys` of the working directory) are a common slip, and the
 * journal is then not forged but checked with another exchange's keys.
 */
function withKeysSource(error: unknown, keys: ExchangeKeys, options: ExchangeOptions): unknown {
  if (!(error instanceof HeadMacMismatchError)) return error;
  const where =
    keys.source === "environment"
      ? "the environment"
      : options.keys === undefined && options.keysDir === undefined
        ? `${keys.dir}, the default keys directory: if this journal's keys are elsewhere, give --keys`
        : keys.dir;
  const retired = keys.source === "environment" ? "" : retiredMacKeysNote(keys.dir);
  error.message = `${error.message}; the MAC keys were read from ${where}${retired}`;
  return error;
}
