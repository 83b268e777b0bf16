/**
 * The exchange's standing set-up as the events left it: per instrument its listing (mode, tick, lot, description),
 * clearing terms, the regulator's safeguards, the trading calendar and the trading phase, each with the seq, time and
 * reason of its last change; per member its name, roles, buyer category and whether it is suspended (the operator's
 * kill switch). The operator's and the regulator's consoles and the streams read it; like every view it is built only
 * from durable events, so it never shows a change before the journal holds it.
 *
 * Safeguards are kept as the engine reports them in `safeguards.changed`: the whole value after each change (a
 * ceiling-path step coming into force is such a change too), so the view never merges fields itself.
 *
 * Complexity. Per event O(1) map work; reading one instrument or member O(1), listing O(n log n) for the sort.
 * Memory: one record per listed instrument (the engine allows `INSTRUMENTS_MAX`) and per member.
 */

import type { InstrumentDescription } from "../domain/instrument.ts";
import { shortNoticeDates, type TradingCalendar } from "../engine/calendar.ts";
import type { ClearingTerms } from "../engine/clearing.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { BuyerCategory, MemberRole } from "../engine/members.ts";
import type { Phase, TradingMode } from "../engine/phases.ts";
import { NO_SAFEGUARDS, type Safeguards } from "../engine/safeguards.ts";
import { compareText } from "./instruments.ts";
import type { ProjectionOutcome } from "./outcome.ts";

/** When and why a setting changed. */
export interface Change {
  readonly seq: number;
  readonly timeMs: number;
  readonly reason: string | null;
}

export interface InstrumentControls {
  readonly instrument: string;
  readonly mode: TradingMode;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly description: InstrumentDescription | null;
  readonly listed: Change;
  readonly clearing: ClearingTerms | null;
  /** The last change of clearing terms after the listing; null before the first. */
  readonly clearingChanged: Change | null;
  readonly phase: Phase;
  readonly phaseChanged: Change | null;
  /**
   * When the auction the phase change began ends by itself (a resumption after a halt, a volatility auction), as its
   * event said; null in any other phase.
   */
  readonly auctionEndsAtMs: number | null;
  readonly safeguards: Safeguards;
  readonly safeguardsChanged: Change | null;
  readonly calendar: TradingCalendar | null;
  readonly calendarChanged: Change | null;
  /** The calendar's changes, newest first, at most `CALENDAR_CHANGES_KEPT`. */
  readonly calendarChanges: readonly CalendarChange[];
}

/** How many of an instrument's calendar changes are kept for the public (older ones are in the journal). */
export const CALENDAR_CHANGES_KEPT = 50;

/** A calendar change as published: when, why, and which days inside the notice window it altered. */
export interface CalendarChange extends Change {
  /** Days (YYYY-MM-DD) inside the notice window whose sessions changed; empty for a change with full notice. */
  readonly shortNoticeDates: readonly string[];
}

export interface MemberControls {
  readonly member: string;
  readonly name: string;
  readonly roles: readonly MemberRole[];
  readonly buyerCategory: BuyerCategory | null;
  readonly suspended: boolean;
  readonly added: Change;
  /** The last suspension or reinstatement; null before the first. */
  readonly statusChanged: Change | null;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class Controls {
  private readonly instrumentsById = new Map<string, Mutable<InstrumentControls>>();
  private readonly membersById = new Map<string, Mutable<MemberControls>>();

  apply(outcome: ProjectionOutcome): void {
    for (const event of outcome.events) this.applyEvent(event, outcome);
  }

  private applyEvent(event: EngineEvent, outcome: ProjectionOutcome): void {
    switch (event.type) {
      case "instrument.listed":
        this.instrumentsById.set(event.instrument, {
          instrument: event.instrument,
          mode: event.mode,
          tickSize: event.tickSize,
          lotSize: event.lotSize,
          description: event.description,
          listed: changeAt(outcome, null),
          clearing: event.clearing,
          clearingChanged: null,
          phase: "closed",
          phaseChanged: null,
          auctionEndsAtMs: null,
          safeguards: NO_SAFEGUARDS,
          safeguardsChanged: null,
          calendar: null,
          calendarChanged: null,
          calendarChanges: [],
        });
        return;
      case "instrument.updated": {
        const instrument = this.instrumentsById.get(event.instrument);
        if (instrument === undefined) return;
        instrument.clearing = event.clearing;
        instrument.clearingChanged = changeAt(outcome, event.reason);
        return;
      }
      case "phase.changed": {
        const instrument = this.instrumentsById.get(event.instrument);
        if (instrument === undefined) return;
        instrument.phase = event.to;
        instrument.phaseChanged = changeAt(outcome, event.reason ?? null);
        instrument.auctionEndsAtMs = event.to === "collection" ? (event.auctionEndsAtMs ?? null) : null;
        return;
      }
      case "safeguards.changed": {
        const instrument = this.instrumentsById.get(event.instrument);
        if (instrument === undefined) return;
        instrument.safeguards = event.safeguards;
        instrument.safeguardsChanged = changeAt(outcome, event.reason);
        return;
      }
      case "calendar.set": {
        const instrument = this.instrumentsById.get(event.instrument);
        if (instrument === undefined) return;
        const shortNotice = shortNoticeDates(instrument.calendar, event.calendar, outcome.timeMs);
        instrument.calendar = event.calendar;
        instrument.calendarChanged = changeAt(outcome, event.reason);
        instrument.calendarChanges = [
          { ...changeAt(outcome, event.reason), shortNoticeDates: shortNotice },
          ...instrument.calendarChanges,
        ].slice(0, CALENDAR_CHANGES_KEPT);
        return;
      }
      case "member.added":
        this.membersById.set(event.member, {
          member: event.member,
          name: event.name,
          roles: event.roles,
          buyerCategory: event.buyerCategory,
          suspended: false,
          added: changeAt(outcome, null),
          statusChanged: null,
        });
        return;
      case "member.suspended":
      case "member.reinstated": {
        const member = this.membersById.get(event.member);
        if (member === undefined) return;
        member.suspended = event.type === "member.suspended";
        member.statusChanged = changeAt(outcome, event.reason);
        return;
      }
      default:
        return;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  instrument(id: string): InstrumentControls | null {
    return this.instrumentsById.get(id) ?? null;
  }

  /** All instruments, sorted by id. */
  instruments(): InstrumentControls[] {
    return [...this.instrumentsById.values()].sort((a, b) => compareText(a.instrument, b.instrument));
  }

  member(id: string): MemberControls | null {
    return this.membersById.get(id) ?? null;
  }

  /** All members, sorted by id. */
  members(): MemberControls[] {
    return [...this.membersById.values()].sort((a, b) => compareText(a.member, b.member));
  }
}

/**
 * A change made by `outcome`. A function of the module, not a closure made in `applyEvent`: that runs for every event
 * of every durable record, most of them changing no control.
 */
function changeAt(outcome: ProjectionOutcome, reason: string | null): Change {
  return { seq: outcome.seq, timeMs: outcome.timeMs, reason };
}
