/**
 * The price limits in force per instrument, as the read side's one answer to "what limits does an order meet now":
 * the static band around the band reference (the previous session's weighted average, or the listed or set reference
 * before any session traded) clipped to the ceiling and the floor (the ceiling wins: docs/market-rules.md, "Price
 * limits"), the ceiling in force, the floor, the ceiling steps still to come, the buyer
 * concentration limit a buyer's program needs to size its bids, and the most lots one order may hold (an order ticket
 * checks it before sending). The consoles, the public instrument view and the
 * streams all read it here.
 *
 * Time. The limits are those in force at the journal's time: the time of the last durable command. That is the time
 * the engine last judged an order at, so the read side never shows limits the engine does not apply yet (a ceiling
 * step whose time has come on the wall clock is shown once a command has brought it in; the server's scheduler sends
 * one when only time has work to do). No wall clock is read here.
 *
 * The rule is the engine's (`priceLimitsAt` in src/engine/safeguards.ts); the inputs are the controls view's
 * safeguards and tick and the sessions view's band reference, both built only from durable events.
 *
 * Complexity: O(ceiling-path steps) per read; nothing is kept.
 */

import type { CeilingStep } from "../engine/safeguards.ts";
import { priceLimitsAt } from "../engine/safeguards.ts";
import type { Controls } from "./controls.ts";
import type { SessionResults } from "./sessions.ts";

export interface LimitsView {
  readonly bandReferenceTiynPerTonne: number | null;
  readonly band: { readonly lowTiynPerTonne: number; readonly highTiynPerTonne: number } | null;
  /** The static band before the ceiling and the floor clamp it (the engine's `staticBand`); null without a band. */
  readonly staticBand: { readonly lowTiynPerTonne: number; readonly highTiynPerTonne: number } | null;
  readonly ceilingTiynPerTonne: number | null;
  readonly floorTiynPerTonne: number | null;
  readonly ceilingStepsToCome: readonly CeilingStep[];
  /** Basis points of a session's offered quantity; null when there is no limit. */
  readonly maxShareBps: number | null;
  /** The regulator's most lots in one order (safeguards' `maxLotsPerOrder`); null when there is no limit. */
  readonly maxLotsPerOrder: number | null;
}

export interface LimitsOptions {
  readonly controls: Controls;
  readonly sessions: SessionResults;
  /** The time of the last durable command (ms since epoch); 0 before the first. */
  readonly journalTimeMs: () => number;
}

export class LimitsInForce {
  constructor(private readonly options: LimitsOptions) {}

  /** The limits in force for an instrument at the journal's time; null for an instrument never listed. */
  of(instrument: string): LimitsView | null {
    const controls = this.options.controls.instrument(instrument);
    if (controls === null) return null;
    const limits = priceLimitsAt(
      controls.safeguards,
      this.options.sessions.referencePrice(instrument),
      controls.tickSize,
      this.options.journalTimeMs(),
    );
    return {
      bandReferenceTiynPerTonne: limits.bandReference,
      band: limits.band === null ? null : { lowTiynPerTonne: limits.band.low, highTiynPerTonne: limits.band.high },
      staticBand:
        limits.staticBand === null
          ? null
          : { lowTiynPerTonne: limits.staticBand.low, highTiynPerTonne: limits.staticBand.high },
      ceilingTiynPerTonne: limits.ceiling,
      floorTiynPerTonne: limits.floor,
      ceilingStepsToCome: limits.ceilingStepsToCome,
      maxShareBps: limits.maxShareBps,
      maxLotsPerOrder: controls.safeguards.maxLotsPerOrder,
    };
  }
}
