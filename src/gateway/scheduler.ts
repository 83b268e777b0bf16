/**
 * The session scheduler: reads each instrument's trading calendar and sends the phase changes it calls for through
 * the journal (so a replay reproduces them), and sends `time.tick` when time alone has something to do (GTD expiry,
 * the end of a volatility or resumption auction, a ceiling-path step, a clearing deadline).
 *
 * Continuous instrument: collection from the pre-open, opening auction at the open, continuous until the close.
 * Call instrument: collection from the open, the auction at the close. A halted instrument is left alone (the
 * regulator resumes it); a running volatility auction ends by itself. A change the engine refuses (e.g. an uncross
 * that needs a reference price) is retried after `RETRY_AFTER_MS`, not every tick.
 *
 * An extra session of the calendar (`extraSessions`) on an instrument with voided volume waiting for re-offer is opened
 * as the re-offer's extra session (`session.extra`: only the re-offered volume sells, at the previous session's
 * weighted average; docs/market-rules.md §10); without re-offers waiting it is an ordinary session.
 *
 * The wall clock enters here, through the exchange's clock; the scheduler only ever sends commands.
 */

import { inExtraSession, sessionWindows, type TradingCalendar } from "../engine/calendar.ts";
import type { Command } from "../engine/commands.ts";
import type { Market } from "../engine/market.ts";
import type { Phase, TradingMode } from "../engine/phases.ts";
import type { Exchange } from "./exchange.ts";

export const SCHEDULER_TICK_MS = 1000;
export const RETRY_AFTER_MS = 60_000;
const META = { actor: "scheduler", role: "system", source: "calendar" };

/** The phase an instrument's calendar calls for at `nowMs`, or null when it has no calendar. */
export function plannedPhase(market: Market, nowMs: number): "closed" | "collection" | "continuous" | null {
  const calendar = market.calendar;
  if (!calendar) return null;
  const window = sessionWindows(calendar, nowMs).find((w) => w.collectFromMs <= nowMs && nowMs < w.closeMs);
  if (!window) return "closed";
  if (market.spec.mode === "call") return nowMs >= window.openMs ? "collection" : "closed";
  return nowMs < window.openMs ? "collection" : "continuous";
}

/**
 * When the instrument's phase next changes by itself, and to what: for the public countdown. The calendar's next
 * change, or the end of an auction that ends by itself (a resumption after a halt, a volatility auction: it uncrosses
 * into continuous trading) when that comes first. Null while halted (only the regulator's resumption ends a halt: the
 * scheduler leaves a halted instrument as it is, even past the session's close), without a calendar and no such
 * auction, or without a session in the next day or so.
 */
export function nextScheduledChange(
  calendar: TradingCalendar | null,
  mode: TradingMode,
  nowMs: number,
  now: { readonly phase: Phase; readonly auctionEndsAtMs: number | null } = { phase: "closed", auctionEndsAtMs: null },
): { phase: "collection" | "continuous" | "closed"; atMs: number; auction: boolean } | null {
  if (now.phase === "halted") return null;
  const changes: { phase: "collection" | "continuous" | "closed"; atMs: number; auction: boolean }[] = [];
  if (now.phase === "collection" && now.auctionEndsAtMs !== null) {
    changes.push({ phase: "continuous", atMs: now.auctionEndsAtMs, auction: true });
  }
  for (const w of calendar ? sessionWindows(calendar, nowMs) : []) {
    if (mode === "continuous") {
      changes.push({ phase: "collection", atMs: w.collectFromMs, auction: false });
      changes.push({ phase: "continuous", atMs: w.openMs, auction: true });
      changes.push({ phase: "closed", atMs: w.closeMs, auction: false });
    } else {
      changes.push({ phase: "collection", atMs: w.openMs, auction: false });
      changes.push({ phase: "closed", atMs: w.closeMs, auction: true });
    }
  }
  return changes.filter((c) => c.atMs > nowMs).sort((a, b) => a.atMs - b.atMs)[0] ?? null;
}

/** The next command that moves the market toward its planned phase, or null when nothing is to be done. */
export function nextPhaseCommand(market: Market, nowMs: number, reoffersWaiting = 0): Command | null {
  const planned = plannedPhase(market, nowMs);
  const current: Phase = market.phase;
  if (planned === null || current === "halted" || current === planned) return null;
  const set = (phase: Phase): Command => ({ type: "phase.set", instrument: market.id, phase });
  if (current === "closed" && planned !== "closed" && reoffersWaiting > 0 && inExtraSession(market.calendar!, nowMs)) {
    return {
      type: "session.extra",
      instrument: market.id,
      reason: "the calendar's extra session for re-offered volume",
    };
  }
  if (planned === "closed") {
    if (current === "collection" && market.spec.mode === "call") return set("uncross");
    if (current === "collection" && market.auctionEndsAtMs !== null) return set("uncross");
    return set("closed");
  }
  if (planned === "collection") return current === "closed" ? set("collection") : null;
  // planned continuous
  if (current === "closed") return set("collection");
  if (current === "collection") return market.auctionEndsAtMs !== null ? null : set("uncross");
  return null;
}

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly backoffUntil = new Map<string, number>();

  constructor(private readonly exchange: Exchange) {}

  start(tickMs = SCHEDULER_TICK_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.step(), tickMs);
    void this.step();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass: phase changes due now, then a time tick if time has work to do. Never overlaps itself. */
  async step(): Promise<void> {
    // Only the leader sends commands; a follower's scheduler waits until its node takes over.
    if (this.running || this.exchange.role !== "leader") return;
    this.running = true;
    try {
      const now = this.exchange.clock();
      const engine = this.exchange.engine;
      for (const id of engine.instruments()) {
        const market = engine.market(id)!;
        if ((this.backoffUntil.get(id) ?? 0) > now) continue;
        const command = nextPhaseCommand(market, now, engine.reoffersWaiting(id));
        if (!command) continue;
        const outcome = await this.exchange.submit(command, META);
        if (outcome.events.some((event) => event.type === "rejected")) this.backoffUntil.set(id, now + RETRY_AFTER_MS);
      }
      if (engine.hasTimeDue(this.exchange.clock())) await this.exchange.submit({ type: "time.tick" }, META);
    } catch {
      // The exchange is stopping or its journal failed; the fatal handler deals with that.
    } finally {
      this.running = false;
    }
  }
}
