/**
 * The read models an exchange keeps (projections and surveillance), as one unit for building, feeding, snapshotting
 * and restoring them: shared by the exchange (exchange.ts), which serves them, and the thread that snapshots its own
 * copy of them (view-snapshot-thread.ts), which must build and feed them exactly alike so that its snapshots restore
 * into the exchange's read models.
 *
 * Also the checks a snapshot of them passes before anyone loads it (`viewSnapshotProblem`): a snapshot is a cache,
 * never evidence, so its MAC (journal MAC key), its data's hash and the hash of the journal record at its seq are
 * checked every time one is read.
 *
 * Complexity: `feedView` is the read models' cost per outcome; `viewSnapshotProblem` O(snapshot bytes) (one hash).
 */

import { hash } from "node:crypto";
import { type ViewSnapshotRecord, viewSnapshotMac } from "../journal/records.ts";
import type { JournalStore } from "../journal/store.ts";
import { InstrumentRegistry, Projections, type ProjectionsOptions } from "../projections/index.ts";
import { LiveSurveillance, type PriceLimits } from "../surveillance/index.ts";
import { restoreViews, restoreViewsInSteps } from "./view-snapshots.ts";

/** The read models an exchange keeps, as one unit for building, snapshotting and restoring them. */
export interface Views {
  readonly projections: Projections;
  readonly surveillance: LiveSurveillance;
  /** Why surveillance stopped taking records (kept in the snapshot with the views it concerns). */
  readonly state: { surveillanceFailure: SurveillanceFailure | null };
}

/** Why surveillance stopped taking records (a detector's broken invariant): trading goes on without it. */
export interface SurveillanceFailure {
  readonly seq: number;
  readonly reason: string;
}

export function buildViews(options: ProjectionsOptions | undefined): Views {
  const projections = new Projections(options);
  return { projections, surveillance: surveilProjections(projections), state: { surveillanceFailure: null } };
}

/** The roots a snapshot of `views` is taken from and restored into, in order. */
export function viewRoots(views: Views): object[] {
  return [views.projections, views.surveillance, views.state];
}

/**
 * The read models' options as plain data, for another thread (a structured clone keeps no class): an instrument
 * registry given becomes the list of its instruments as they are when this is called.
 */
export function plainProjectionsOptions(options: ProjectionsOptions | undefined): ProjectionsOptions | undefined {
  if (options === undefined || !(options.instruments instanceof InstrumentRegistry)) return options;
  return { ...options, instruments: options.instruments.all() };
}

/**
 * Feeds one durable outcome to the read models, then to surveillance (which reads the limits in force from them).
 * Returns false when the read models had it already.
 */
export function feedViews(views: Views, outcome: Parameters<Projections["apply"]>[0]): boolean {
  if (!views.projections.apply(outcome)) return false;
  const state = views.state;
  state.surveillanceFailure = surveil(views.surveillance, outcome, state.surveillanceFailure);
  return true;
}

/**
 * Feeds one outcome to surveillance unless it has failed; a failure is kept, not thrown, so that a fault in a detector
 * never stops the exchange (the sequencer stops on a listener's exception) nor its start. Returns the failure, if any.
 */
export function surveil(
  surveillance: LiveSurveillance,
  outcome: Parameters<LiveSurveillance["apply"]>[0],
  failure: SurveillanceFailure | null,
): SurveillanceFailure | null {
  if (failure !== null) return failure;
  try {
    surveillance.apply(outcome);
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(`surveillance stopped at journal record ${outcome.seq}: ${reason}`);
    return { seq: outcome.seq, reason };
  }
}

/**
 * Surveillance fed from the read models' limits in force (at the journal's time, right after each outcome: the limits
 * the engine judged that command's orders by, as `engineLimits` gives them offline).
 */
function surveilProjections(projections: Projections): LiveSurveillance {
  return new LiveSurveillance((instrument): PriceLimits => {
    const limits = projections.limits.of(instrument);
    if (limits === null) return { upperTiynPerTonne: null, lowerTiynPerTonne: null };
    const { band, ceilingTiynPerTonne: ceiling, floorTiynPerTonne: floor } = limits;
    return {
      upperTiynPerTonne:
        band === null ? ceiling : ceiling === null ? band.highTiynPerTonne : Math.min(band.highTiynPerTonne, ceiling),
      lowerTiynPerTonne:
        band === null ? floor : floor === null ? band.lowTiynPerTonne : Math.max(band.lowTiynPerTonne, floor),
    };
  });
}

/**
 * Makes read models new again in place (same objects: whatever holds them keeps them), from `pristine`, a capture of
 * new ones (`captureViews`): after a restore into them failed half way.
 */
export function resetViews(views: Views, pristine: Uint8Array): void {
  restoreViews(pristine, viewRoots(views));
  if (views.projections.lastSeq !== 0) throw new Error("invariant: read models reset are not new");
}

/**
 * Why a snapshot of the read models must not be used, or null when it checks out: it is not beyond the journal's head
 * (`headSeq`), its MAC is one of `macKeys`', its data matches its hash, and the journal's record at its seq has the
 * hash it names (read from `store`).
 */
export async function viewSnapshotProblem(
  store: JournalStore,
  snapshot: ViewSnapshotRecord,
  headSeq: number,
  macKeys: readonly Uint8Array[],
  /** Hashes the data (the start does it on another thread, which moves the bytes away and back as `data`). */
  hashData: (data: Uint8Array) => Promise<{ hash: string; data: Uint8Array }> = async (data) => ({
    hash: hash("sha256", data, "hex"),
    data,
  }),
): Promise<{ problem: string } | { problem: null; data: Uint8Array }> {
  if (snapshot.seq > headSeq) return { problem: "it is beyond the journal's head" };
  const mac = snapshot.mac ?? null;
  if (
    mac === null ||
    !macKeys.some((key) => viewSnapshotMac(key, snapshot.seq, snapshot.recordHash, snapshot.dataHash) === mac)
  ) {
    return { problem: mac === null ? "it has no MAC" : "its MAC does not match the journal MAC key" };
  }
  const hashed = await hashData(snapshot.data);
  if (hashed.hash !== snapshot.dataHash) return { problem: "its data does not match its hash" };
  const [record] = await store.read(snapshot.seq, 1);
  if (record?.seq !== snapshot.seq || record.hash !== snapshot.recordHash) {
    return { problem: "it names a record hash that is not the journal's" };
  }
  return { problem: null, data: hashed.data };
}

/**
 * The read models restored from `snapshot`, or why they are not: the checks of `viewSnapshotProblem`, then the restore
 * into new read models (built with `options`), then that they hold the records up to the snapshot's seq. Shared by
 * the start (exchange.ts, which hashes on another thread) and the snapshot thread (view-snapshot-worker.ts).
 */
export async function loadCheckedViews(
  store: JournalStore,
  snapshot: ViewSnapshotRecord,
  headSeq: number,
  macKeys: readonly Uint8Array[],
  options: ProjectionsOptions | undefined,
  hashData?: (data: Uint8Array) => Promise<{ hash: string; data: Uint8Array }>,
  /**
   * Restore into these read models (just built, never fed) instead of new ones; on a problem they may be half-restored
   * (`resetViews` makes them new again).
   */
  into?: Views,
  /**
   * When given, the restore is made in steps with this awaited between them (`restoreViewsInSteps`): read models
   * loaded behind a serving exchange, whose event loop turns meanwhile.
   */
  turn?: () => Promise<void>,
): Promise<{ problem: string } | { problem: null; views: Views }> {
  const checked = await viewSnapshotProblem(store, snapshot, headSeq, macKeys, hashData);
  if (checked.problem !== null) return checked;
  const views = into ?? buildViews(options);
  try {
    if (turn === undefined) restoreViews(checked.data, viewRoots(views));
    else await restoreViewsInSteps(checked.data, viewRoots(views), turn);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  if (views.projections.lastSeq !== snapshot.seq) {
    return { problem: `it holds the read models at ${views.projections.lastSeq}` };
  }
  return { problem: null, views };
}
