/**
 * The daily bulletin: what the exchange publishes about a trading day, for everyone and without sign-in — every
 * session that closed that day with its results per instrument (offered, bid, bought and sold, weighted average, high,
 * low, open, close, number of trades and of buying and selling accounts), the day's price indices (docs/indices.md),
 * and the regulator's controls of the day (safeguard changes, halts and resumptions) with their reasons.
 *
 * The day is a calendar day in exchange time (UTC+5 by default); a session belongs to the day on which it closed, as
 * for the indices. Controls come from the audit trail, which keeps its newest `AUDIT_ENTRIES_MAX` entries: a bulletin
 * of a day older than those lists the sessions and indices (kept for years) and says that its controls are no longer
 * kept (`controlsComplete: false`); the journal holds them.
 *
 * Complexity: O(instruments × sessions of the day) plus the audit entries of the day scanned newest first.
 */

import { LANGUAGE_DEFAULT, type Language } from "../domain/locale.ts";
import {
  AUDIT_QUERY_LIMIT_MAX,
  type AuditEntry,
  compareText,
  type PriceIndex,
  type Projections,
  type SessionResult,
  toCsv,
} from "../projections/index.ts";
import { EXCHANGE_UTC_OFFSET_MS, isoUtc } from "../projections/numbers.ts";

/** The regulator's commands a bulletin reports. */
export const BULLETIN_CONTROL_COMMANDS: readonly string[] = ["safeguards.set", "halt", "resume"];

const DAY_MS = 86_400_000;

export interface BulletinSession extends SessionResult {
  readonly product: string;
  readonly basis: string;
  readonly region: string;
}

export interface BulletinControl {
  readonly seq: number;
  readonly timeMs: number;
  /** The command: `safeguards.set`, `halt` or `resume`. */
  readonly action: string;
  readonly instrument: string | null;
  /** What was done and why, as the audit trail says it. */
  readonly summary: string;
}

export interface Bulletin {
  /** YYYY-MM-DD, exchange time. */
  readonly day: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly sessions: readonly BulletinSession[];
  readonly indices: readonly PriceIndex[];
  readonly controls: readonly BulletinControl[];
  /** False when the audit trail no longer keeps the whole day (its controls are in the journal). */
  readonly controlsComplete: boolean;
}

/**
 * What a control changed and why, for the documents to write out in words (the JSON keeps the trail's summary, as the
 * API has always given it). Kept beside a bulletin object, not in it, so the JSON is unchanged: `controlDetails`.
 */
export interface BulletinControlDetail {
  /** `safeguards.set`'s `changes` (a partial set of safeguards); null for other controls. */
  readonly changes: unknown;
  /** The regulator's reason as given (free text). */
  readonly reason: string | null;
}
const CONTROL_DETAILS = new WeakMap<Bulletin, ReadonlyMap<number, BulletinControlDetail>>();

/** The details of a bulletin's controls by journal seq; empty for a bulletin not made by `dailyBulletin`. */
export function controlDetails(bulletin: Bulletin): ReadonlyMap<number, BulletinControlDetail> {
  return CONTROL_DETAILS.get(bulletin) ?? new Map();
}

/** The start of a local day in UTC milliseconds. */
export function dayStartMs(day: string, utcOffsetMs = EXCHANGE_UTC_OFFSET_MS): number {
  return Date.parse(`${day}T00:00:00Z`) - utcOffsetMs;
}

/** A day's bulletin; the controls' summaries in `language` (the audit trail tells them in each). */
export function dailyBulletin(
  projections: Projections,
  day: string,
  utcOffsetMs = EXCHANGE_UTC_OFFSET_MS,
  language: Language = LANGUAGE_DEFAULT,
): Bulletin {
  const fromMs = dayStartMs(day, utcOffsetMs);
  const toMs = fromMs + DAY_MS;
  const sessions: BulletinSession[] = [];
  for (const info of projections.instruments.all()) {
    for (const result of projections.sessions.history(info.instrument)) {
      // History is newest first: stop at the first session that closed before the day.
      if (result.endMs === null || result.endMs < fromMs) break;
      if (result.endMs >= toMs) continue;
      sessions.push({ ...result, product: info.product, basis: info.basis, region: info.region });
    }
  }
  sessions.sort((a, b) => compareText(a.instrument, b.instrument) || a.session - b.session);

  // The trail answers a page at a time, newest first.
  const entries: AuditEntry[] = [];
  for (let beforeSeq: number | undefined; ; ) {
    const page = projections.audit.query({
      kinds: ["controls"],
      outcome: "accepted",
      fromMs,
      toMs,
      limit: AUDIT_QUERY_LIMIT_MAX,
      ...(beforeSeq === undefined ? {} : { beforeSeq }),
    });
    entries.push(...page);
    if (page.length < AUDIT_QUERY_LIMIT_MAX) break;
    beforeSeq = page[page.length - 1]!.seq;
  }
  const controls = entries
    .filter((e) => BULLETIN_CONTROL_COMMANDS.includes(e.commandType))
    .map((e) => ({
      seq: e.seq,
      timeMs: e.timeMs,
      action: e.commandType,
      instrument: e.instrument,
      summary: projections.audit.wholeSummaryIn(e, language),
    }))
    .sort((a, b) => a.seq - b.seq);
  const details = new Map<number, BulletinControlDetail>();
  for (const e of entries) {
    const fields = projections.audit.fieldsOf(e);
    if (fields === null) continue;
    details.set(e.seq, {
      changes: e.commandType === "safeguards.set" ? (fields.changes ?? null) : null,
      reason: typeof fields.reason === "string" ? fields.reason : null,
    });
  }
  const wholeSince = projections.audit.wholeSinceMs();
  const bulletin: Bulletin = {
    day,
    fromMs,
    toMs,
    sessions,
    indices: projections.indices.all(day),
    controls,
    controlsComplete: wholeSince === null || wholeSince <= fromMs,
  };
  CONTROL_DETAILS.set(bulletin, details);
  return bulletin;
}

/** The bulletin's sessions as CSV, one line per session (the indices have their own CSV at /api/indices). */
export function bulletinCsv(bulletin: Bulletin): string {
  return toCsv(
    [
      "day",
      "instrument",
      "product",
      "basis",
      "region",
      "session",
      "start",
      "end",
      "offered_kg",
      "bid_kg",
      "volume_kg",
      "value_tiyn",
      "vwap_tiyn_per_tonne",
      "high_tiyn_per_tonne",
      "low_tiyn_per_tonne",
      "open_tiyn_per_tonne",
      "close_tiyn_per_tonne",
      "trades",
      "buyers",
      "sellers",
      "voided_trades",
      "voided_kg",
      "revised_at",
    ],
    bulletin.sessions.map((s) => [
      bulletin.day,
      s.instrument,
      s.product,
      s.basis,
      s.region,
      s.session,
      isoUtc(s.startMs),
      s.endMs === null ? null : isoUtc(s.endMs),
      s.offeredKg,
      s.bidKg,
      s.volumeKg,
      s.valueTiyn,
      s.vwapTiynPerTonne,
      s.highTiynPerTonne,
      s.lowTiynPerTonne,
      s.openTiynPerTonne,
      s.closeTiynPerTonne,
      s.trades,
      s.buyers,
      s.sellers,
      s.voids?.trades ?? 0,
      s.voids?.volumeKg ?? 0n,
      s.voids?.revisedMs == null ? null : isoUtc(s.voids.revisedMs),
    ]),
  );
}
