/**
 * Trading phases of an instrument and the transitions between them.
 *
 * - closed: no order entry; resting GTC/GTD orders stay, cancels are allowed.
 * - collection: orders are collected without matching (pre-open, the call of a call auction, a volatility or
 *   resumption auction); the indicative price is public.
 * - uncross: the auction itself. It is instantaneous: moving to `uncross` runs the auction and moves on at once, to
 *   `continuous` for a continuous instrument and to `closed` for a call instrument.
 * - continuous: incoming orders match against the book at once.
 * - halted: an emergency stop; no order entry, cancels are allowed; trading resumes through collection and an
 *   auction.
 *
 * A `continuous` instrument runs closed → collection → uncross → continuous → closed; a `call` instrument runs
 * closed → collection → uncross → closed. Going from closed straight to continuous is refused while the book is
 * crossed (an order collection that was closed without its auction): the crossed orders must meet in an auction.
 */

export const PHASES = ["closed", "collection", "uncross", "continuous", "halted"] as const;
export type Phase = (typeof PHASES)[number];

export const TRADING_MODES = ["continuous", "call"] as const;
export type TradingMode = (typeof TRADING_MODES)[number];

const NEXT: Readonly<Record<TradingMode, Readonly<Record<Phase, readonly Phase[]>>>> = {
  continuous: {
    closed: ["collection", "continuous", "halted"],
    collection: ["uncross", "closed", "halted"],
    uncross: ["continuous"],
    // Continuous → collection is a volatility interruption: a short auction, then back to continuous.
    continuous: ["collection", "closed", "halted"],
    halted: ["collection", "closed"],
  },
  call: {
    closed: ["collection", "halted"],
    collection: ["uncross", "closed", "halted"],
    uncross: ["closed"],
    continuous: ["closed"],
    halted: ["collection", "closed"],
  },
};

export function allowedNextPhases(mode: TradingMode, from: Phase): readonly Phase[] {
  return NEXT[mode][from];
}

export function canMove(mode: TradingMode, from: Phase, to: Phase): boolean {
  return NEXT[mode][from].includes(to);
}

/** Whether new orders and amends are accepted in a phase. */
export function acceptsOrders(phase: Phase): boolean {
  return phase === "collection" || phase === "continuous";
}

export function isPhase(value: unknown): value is Phase {
  return typeof value === "string" && (PHASES as readonly string[]).includes(value);
}
