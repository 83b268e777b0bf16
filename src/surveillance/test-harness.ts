/**
 * For tests: history lines built by name, and a run of surveillance over them that returns the alerts exactly as
 * `sauda surveil` prints them (parsed back from JSON), so tests read like the contract they check.
 */

import { AlertBook } from "./alerts.ts";
import { DEFAULT_CONFIG, type SurveillanceConfig } from "./config.ts";
import { alertLine, HistoryReader, isoUtc } from "./history.ts";
import type { SessionStatistics } from "./statistics.ts";
import { Surveillance } from "./surveillance.ts";

export type Line = Record<string, unknown>;

/** 2026-01-05T00:00:00.000Z. */
const MONDAY_MS = 1_767_571_200_000;

/** 2026-01-05 (a Monday) at `hms` (HH:MM:SS or HH:MM:SS.sss), UTC; `day` moves to a later date. */
export function at(hms: string, day = 0): string {
  const [h, m, s] = hms.split(":") as [string, string, string];
  const [whole, fraction = "000"] = s.split(".") as [string, string?];
  const ms = ((Number(h) * 60 + Number(m)) * 60 + Number(whole)) * 1000 + Number(fraction.padEnd(3, "0"));
  return isoUtc(MONDAY_MS + day * 86_400_000 + ms);
}

export const member = (id: string, group?: string): Line =>
  group === undefined ? { type: "member", member: id } : { type: "member", member: id, group };

export const account = (id: string, memberId: string): Line => ({ type: "account", account: id, member: memberId });

/** A session of `instrument` on day `day` (09:00–17:00 UTC), with optional limits (tenge per tonne). */
export const session = (
  id: string,
  instrument: string,
  day = 0,
  limits: { upper?: number; lower?: number } = {},
): Line => ({
  type: "session",
  session: id,
  instrument,
  open: at("09:00:00", day),
  close: at("17:00:00", day),
  ...(limits.upper === undefined ? {} : { upperLimit: limits.upper }),
  ...(limits.lower === undefined ? {} : { lowerLimit: limits.lower }),
});

export const order = (
  time: string,
  sessionId: string,
  id: string,
  accountId: string,
  side: "buy" | "sell",
  price: number,
  quantity: number,
): Line => ({ type: "order", time, session: sessionId, order: id, account: accountId, side, price, quantity });

export const cancel = (time: string, id: string): Line => ({ type: "cancel", time, order: id });

export const amend = (time: string, id: string, fields: { price?: number; quantity?: number }): Line => ({
  type: "amend",
  time,
  order: id,
  ...fields,
});

export const trade = (
  time: string,
  sessionId: string,
  buyOrder: string,
  sellOrder: string,
  price: number,
  quantity: number,
): Line => ({ type: "trade", time, session: sessionId, buyOrder, sellOrder, price, quantity });

/** Declarations (lines without a time) first as given, then the timed lines by time, equal times as given. */
export function inTimeOrder(lines: readonly Line[]): Line[] {
  const declarations = lines.filter((line) => typeof line.time !== "string");
  const timed = lines.filter((line) => typeof line.time === "string");
  return [
    ...declarations,
    ...timed.sort((a, b) => (String(a.time) < String(b.time) ? -1 : String(a.time) > String(b.time) ? 1 : 0)),
  ];
}

export interface Run {
  /** Every alert as printed (JSON parsed back), in print order. */
  readonly alerts: Record<string, unknown>[];
  readonly statistics: SessionStatistics[];
}

/** Runs surveillance over the lines (objects or raw text) as `sauda surveil` does. */
export function run(lines: readonly (Line | string)[], config: SurveillanceConfig = DEFAULT_CONFIG): Run {
  const book = new AlertBook();
  const statistics: SessionStatistics[] = [];
  const surveillance = new Surveillance(book, { config, onStatistics: (s) => statistics.push(s) });
  const reader = new HistoryReader((record) => surveillance.apply(record));
  for (const line of lines) reader.line(typeof line === "string" ? line : JSON.stringify(line));
  surveillance.finish(reader.end());
  return { alerts: book.alerts().map((alert) => JSON.parse(JSON.stringify(alertLine(alert)))), statistics };
}

/** The printed alerts of one rule. */
export function alertsOf(lines: readonly (Line | string)[], rule: string, config?: SurveillanceConfig) {
  return run(lines, config).alerts.filter((alert) => alert.rule === rule);
}

/** The configuration with one section's fields changed. */
export function configWith<S extends keyof SurveillanceConfig>(
  section: S,
  fields: Partial<SurveillanceConfig[S]>,
): SurveillanceConfig {
  return { ...DEFAULT_CONFIG, [section]: { ...DEFAULT_CONFIG[section], ...fields } };
}
