/**
 * The read models, composed: feed every durable outcome once, in seq order (`apply` live from the sequencer's
 * `onDurable`, `applyRecord` for journal records at startup), and read the views. Only events are used; the
 * `rejected` event of a refused command has no effect on any view except the audit trail, while events that time
 * brought before it (GTD expiry, obligation defaults) do.
 *
 * Order within one outcome: sessions first (a session closing sets the reference price and feeds the indices), then
 * market data (which reads that reference), accounts, supply, the audit trail, the controls (listing, clearing
 * terms, safeguards, calendar and phase per instrument; members and their suspension) and deliveries (stations,
 * shipments, diversions, the regulator's view per region and month). All views are synchronous and
 * share no state, except that market data asks sessions for the reference price and indices receive sessions' closed
 * results.
 *
 * Seq discipline. An outcome with a seq at or below the last applied one is ignored (a live outcome may overlap the
 * journal replay at startup); a gap throws `ProjectionGapError`, because a view that missed an outcome is wrong and
 * must be rebuilt from the journal.
 *
 * A view that throws (a broken invariant: an event that contradicts what it has seen) leaves the views mid-outcome;
 * the server must then stop serving them and rebuild from the journal, as it would after a gap.
 *
 * Complexity: the sum of the views' per-event costs (each O(1) per event, see their headers); no work proportional to
 * the book, the accounts or the history per outcome.
 */

import { Accounts } from "./accounts.ts";
import { Applications } from "./applications.ts";
import { AuditTrail } from "./audit.ts";
import { ContractFactsView } from "./contracts.ts";
import { Controls } from "./controls.ts";
import { DeliveryViews } from "./deliveries.ts";
import { PriceIndices } from "./indices.ts";
import { type InstrumentInfo, InstrumentRegistry } from "./instruments.ts";
import { LimitsInForce } from "./limits.ts";
import { MarketData } from "./market-data.ts";
import { NotificationViews } from "./notifications.ts";
import { Outages } from "./outages.ts";
import { outcomeOfRecord, type ProjectionOutcome, type ProjectionRecord } from "./outcome.ts";
import { Participation } from "./participation.ts";
import { RemedyViews } from "./remedies.ts";
import { SessionResults } from "./sessions.ts";
import { SupplyObligations, type SupplyPlanRow } from "./supply.ts";
import { UserDirectory } from "./users.ts";

export * from "./accounts.ts";
export * from "./applications.ts";
export * from "./audit.ts";
export * from "./contracts.ts";
export * from "./controls.ts";
export * from "./day-end.ts";
export * from "./deliveries.ts";
export * from "./export.ts";
export * from "./indices.ts";
export * from "./instruments.ts";
export * from "./limits.ts";
export * from "./market-data.ts";
export * from "./notifications.ts";
export * from "./outages.ts";
export * from "./outcome.ts";
export * from "./participation.ts";
export * from "./sessions.ts";
export * from "./supply.ts";
export * from "./users.ts";

export interface ProjectionsOptions {
  /** Instrument metadata (product, basis, region, delivery period), from the server's configuration. */
  readonly instruments?: InstrumentRegistry | readonly InstrumentInfo[];
  /** National index weights, basis → weight; defaults to `DEFAULT_NATIONAL_WEIGHTS_TONNES_PER_MONTH`. */
  readonly indexWeights?: Readonly<Record<string, number>>;
  readonly supplyPlan?: readonly SupplyPlanRow[];
  /** Offset of exchange time from UTC for index days and supply months; default UTC+5. */
  readonly utcOffsetMs?: number;
}

export class ProjectionGapError extends Error {
  override name = "ProjectionGapError";
}

export class Projections {
  readonly instruments: InstrumentRegistry;
  readonly sessions: SessionResults;
  readonly indices: PriceIndices;
  readonly marketData: MarketData;
  readonly accounts: Accounts;
  readonly supply: SupplyObligations;
  readonly audit: AuditTrail;
  /** Participation and concentration per instrument and month, published without names. */
  readonly participation: Participation;
  /** Producers' outage disclosures. */
  readonly outages: Outages;
  readonly controls: Controls;
  /** Stations, shipments, diversions and the regulator's delivery view per region and month. */
  readonly deliveries: DeliveryViews;
  readonly users: UserDirectory;
  /** Accreditation applications and exclusions. */
  readonly applications: Applications;
  /** What each trade's documents show, as it was at the trade: parties, BINs, VAT rate, clearing terms. */
  readonly contracts: ContractFactsView;
  /** The price limits in force, at the journal's time (limits.ts). */
  readonly limits: LimitsInForce;
  /** Members' notifications, their settings and read marks (notifications.ts). */
  readonly notices = new NotificationViews();
  /** Negotiated deals awaiting an answer, re-offers awaiting an extra session (remedies.ts). */
  readonly remedies = new RemedyViews();
  private lastSeqValue = 0;
  private lastTimeMsValue = 0;

  constructor(options: ProjectionsOptions = {}) {
    const given = options.instruments;
    this.instruments = given instanceof InstrumentRegistry ? given : new InstrumentRegistry(given ?? []);
    const timing = options.utcOffsetMs === undefined ? {} : { utcOffsetMs: options.utcOffsetMs };
    this.indices = new PriceIndices({
      registry: this.instruments,
      ...(options.indexWeights === undefined ? {} : { weights: options.indexWeights }),
      ...timing,
    });
    this.sessions = new SessionResults({
      onClosed: (result) => this.indices.addSession(result),
      onRevised: (before, after) => this.indices.reviseSession(before, after, after.voids?.revisedMs ?? 0),
    });
    this.marketData = new MarketData({ reference: this.sessions });
    this.accounts = new Accounts();
    this.supply = new SupplyObligations({ registry: this.instruments, plan: options.supplyPlan ?? [], ...timing });
    this.audit = new AuditTrail();
    this.participation = new Participation(timing);
    this.outages = new Outages();
    this.controls = new Controls();
    this.deliveries = new DeliveryViews({ registry: this.instruments, ...timing });
    this.users = new UserDirectory();
    this.applications = new Applications();
    this.contracts = new ContractFactsView(timing);
    this.limits = new LimitsInForce({
      controls: this.controls,
      sessions: this.sessions,
      journalTimeMs: () => this.lastTimeMsValue,
    });
  }

  /** The seq of the last outcome applied; 0 before the first. */
  get lastSeq(): number {
    return this.lastSeqValue;
  }

  /** The time of the last outcome applied (the journal's time); 0 before the first. */
  get lastTimeMs(): number {
    return this.lastTimeMsValue;
  }

  /** Applies one durable outcome; returns false if it was already applied. */
  apply(outcome: ProjectionOutcome): boolean {
    if (outcome.seq <= this.lastSeqValue) return false;
    if (outcome.seq !== this.lastSeqValue + 1) {
      throw new ProjectionGapError(
        `outcome ${outcome.seq} follows ${this.lastSeqValue}: outcomes were missed; rebuild the views from the journal`,
      );
    }
    for (const event of outcome.events) {
      if (event.type === "instrument.listed" && event.description) {
        this.instruments.set({ instrument: event.instrument, ...event.description });
      }
    }
    this.sessions.apply(outcome);
    this.marketData.apply(outcome);
    this.accounts.apply(outcome);
    this.supply.apply(outcome);
    this.audit.record(outcome);
    this.participation.apply(outcome);
    this.outages.apply(outcome);
    this.controls.apply(outcome);
    this.deliveries.apply(outcome);
    this.users.apply(outcome);
    this.applications.apply(outcome);
    this.contracts.apply(outcome);
    this.notices.apply(outcome);
    this.remedies.apply(outcome);
    this.lastSeqValue = outcome.seq;
    this.lastTimeMsValue = outcome.timeMs;
    return true;
  }

  /** Applies a batch as the sequencer's `onDurable` delivers it. */
  applyAll(outcomes: Iterable<ProjectionOutcome>): void {
    for (const outcome of outcomes) this.apply(outcome);
  }

  /** Applies a journal record (JSON text fields), at startup. */
  applyRecord(record: ProjectionRecord): boolean {
    return this.apply(outcomeOfRecord(record));
  }
}
