/**
 * The views a member's document of a past exchange day is made from (projections/day-end.ts): the state at the end of
 * that day, rebuilt by replaying the journal from its first record up to the day's last one. A day the journal has
 * not yet passed (no record at or after its end has been applied here) is served from the live views, which are then
 * exactly that day's state so far.
 *
 * Cost and memory: a rebuild reads the journal once from the beginning (pages of `READ_PAGE_RECORDS`) and holds one
 * set of the four document views, bounded like the live ones. The rebuilt sets of the newest `DAY_END_CACHED_MAX`
 * days asked for are kept (a past day's end never changes: the journal only grows, and its time never goes back), so
 * the members asking for the same day's reports share one rebuild; rebuilds run one at a time, so at most
 * `DAY_END_CACHED_MAX + 1` sets exist beside the live views. At most `DAY_END_PENDING_MAX` rebuilds wait or run; a
 * further day is refused with 503 `DOCUMENTS_BUSY` (retry later), so no one can queue unbounded work. docs/documents.md §6 gives the measured figures.
 */

import { READ_PAGE_RECORDS } from "../journal/store.ts";
import { DayEndViews, type DocumentViews, dayEndMs } from "../projections/index.ts";
import { EXCHANGE_UTC_OFFSET_MS } from "../projections/numbers.ts";
import { HttpProblem } from "./errors.ts";
import type { Exchange } from "./exchange.ts";

/** Rebuilt day-end view sets kept (the newest asked for). */
export const DAY_END_CACHED_MAX = 2;
/** Rebuilds waiting or running; one more day asked for is refused with 503 DOCUMENTS_BUSY. */
export const DAY_END_PENDING_MAX = 4;
const RETRY_AFTER_SECONDS = 10;

export class DayEndDocuments {
  /** Rebuilt days, the least recently asked for first. */
  private readonly kept = new Map<string, DayEndViews>();
  /** Days waiting for or in their rebuild. */
  private readonly building = new Map<string, Promise<DayEndViews>>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Rebuilds done since start (for tests and metrics). */
  rebuilds = 0;

  constructor(private readonly exchange: Pick<Exchange, "projections" | "store">) {}

  /** The views holding the state at the end of exchange date `date` (YYYY-MM-DD). */
  async viewsOf(date: string): Promise<DocumentViews> {
    const live = this.exchange.projections;
    if (live.lastTimeMs < dayEndMs(date, EXCHANGE_UTC_OFFSET_MS)) return live;
    const kept = this.kept.get(date);
    if (kept !== undefined) {
      this.kept.delete(date);
      this.kept.set(date, kept);
      return kept;
    }
    const waiting = this.building.get(date);
    if (waiting !== undefined) return waiting;
    if (this.building.size >= DAY_END_PENDING_MAX) {
      throw new HttpProblem(
        "DOCUMENTS_BUSY",
        { pending: this.building.size, max: DAY_END_PENDING_MAX, retryAfterSeconds: RETRY_AFTER_SECONDS },
        { "retry-after": String(RETRY_AFTER_SECONDS) },
      );
    }
    const building = this.queue.then(() => this.rebuild(date));
    this.queue = building.catch(() => undefined);
    this.building.set(date, building);
    const settle = () => this.building.delete(date);
    building.then((views) => {
      settle();
      this.kept.set(date, views);
      while (this.kept.size > DAY_END_CACHED_MAX) this.kept.delete(this.kept.keys().next().value!);
    }, settle);
    return building;
  }

  private async rebuild(date: string): Promise<DayEndViews> {
    this.rebuilds += 1;
    const views = new DayEndViews(date, {
      instruments: this.exchange.projections.instruments.all(),
      utcOffsetMs: EXCHANGE_UTC_OFFSET_MS,
    });
    for (let from = 1; ; ) {
      const page = await this.exchange.store.read(from, READ_PAGE_RECORDS);
      for (const record of page) if (!views.applyRecord(record)) return views;
      if (page.length < READ_PAGE_RECORDS) return views;
      from = page.at(-1)!.seq + 1;
    }
  }
}

const byExchange = new WeakMap<Exchange, DayEndDocuments>();

/** The one `DayEndDocuments` of an exchange, shared by the statement and clearing report routes. */
export function dayEndDocuments(exchange: Exchange): DayEndDocuments {
  let documents = byExchange.get(exchange);
  if (documents === undefined) {
    documents = new DayEndDocuments(exchange);
    byExchange.set(exchange, documents);
  }
  return documents;
}
