/**
 * The read models a member's documents of a day are made from (the daily statement, the clearing report), rebuilt as
 * they stood at the end of a past exchange day: the gateway replays the journal into a fresh `DayEndViews` up to the
 * last record of that day (records with `timeMs` before the next day's 00:00 in exchange time), and the report builds
 * from it exactly as it builds from the live views. A payment, a delivery or a void recorded on a later day is not in
 * it, so the report of day D shows D's state however often it is asked for later.
 *
 * Only the views the documents read are kept (accounts and their ledger balances, members, contract facts,
 * shipments), each with the same bounds as the live ones, so one rebuilt set costs at most what the live views do and
 * none of the market data, audit trail or indices.
 *
 * Complexity: `apply` is the sum of the four views' O(1)-per-event costs; a rebuild is O(records up to the day's end).
 */

import { Accounts } from "./accounts.ts";
import { ContractFactsView } from "./contracts.ts";
import { Controls } from "./controls.ts";
import { DeliveryViews } from "./deliveries.ts";
import { type InstrumentInfo, InstrumentRegistry } from "./instruments.ts";
import { checkUtcOffset, EXCHANGE_UTC_OFFSET_MS } from "./numbers.ts";
import { outcomeOfRecord, type ProjectionOutcome, type ProjectionRecord } from "./outcome.ts";

const DAY_MS = 86_400_000;

/** What a statement or clearing report reads: the live `Projections` and a `DayEndViews` both have it. */
export interface DocumentViews {
  readonly accounts: Accounts;
  readonly controls: Controls;
  readonly contracts: ContractFactsView;
  readonly deliveries: DeliveryViews;
  /** Time of the last journal record applied (ms, UTC); 0 before the first. */
  readonly lastTimeMs: number;
  readonly lastSeq: number;
}

/** The first instant (UTC ms) after exchange date `date` (YYYY-MM-DD): the next day's 00:00 in exchange time. */
export function dayEndMs(date: string, utcOffsetMs: number = EXCHANGE_UTC_OFFSET_MS): number {
  return Date.parse(`${date}T00:00:00Z`) - checkUtcOffset(utcOffsetMs) + DAY_MS;
}

export class DayEndViews implements DocumentViews {
  readonly accounts = new Accounts();
  readonly controls = new Controls();
  readonly contracts: ContractFactsView;
  readonly deliveries: DeliveryViews;
  private readonly instruments: InstrumentRegistry;
  private lastSeqValue = 0;
  private lastTimeMsValue = 0;

  /** Views that will hold the state at the end of `date` once fed the journal's records up to then. */
  constructor(
    readonly date: string,
    options: { instruments?: Iterable<InstrumentInfo>; utcOffsetMs?: number } = {},
  ) {
    const timing = options.utcOffsetMs === undefined ? {} : { utcOffsetMs: options.utcOffsetMs };
    this.instruments = new InstrumentRegistry(options.instruments ?? []);
    this.contracts = new ContractFactsView(timing);
    this.deliveries = new DeliveryViews({ registry: this.instruments, ...timing });
    this.endMs = dayEndMs(date, options.utcOffsetMs);
  }

  /** Records at or after this instant belong to a later day and are not applied. */
  readonly endMs: number;

  get lastSeq(): number {
    return this.lastSeqValue;
  }

  get lastTimeMs(): number {
    return this.lastTimeMsValue;
  }

  /**
   * Applies the next record if it belongs to the day or before; returns false (and applies nothing) once a record of
   * a later day comes, which ends the rebuild.
   */
  applyRecord(record: ProjectionRecord): boolean {
    if (record.timeMs >= this.endMs) return false;
    this.apply(outcomeOfRecord(record));
    return true;
  }

  apply(outcome: ProjectionOutcome): void {
    if (outcome.seq !== this.lastSeqValue + 1) {
      throw new Error(`record ${outcome.seq} follows ${this.lastSeqValue}: the rebuild must read every record`);
    }
    for (const event of outcome.events) {
      if (event.type === "instrument.listed" && event.description) {
        this.instruments.set({ instrument: event.instrument, ...event.description });
      }
    }
    this.accounts.apply(outcome);
    this.controls.apply(outcome);
    this.deliveries.apply(outcome);
    this.contracts.apply(outcome);
    this.lastSeqValue = outcome.seq;
    this.lastTimeMsValue = outcome.timeMs;
  }
}
