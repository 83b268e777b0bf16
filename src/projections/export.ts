/**
 * Export helpers: CSV (RFC 4180) for the trade tape, candles and session results, and JSON-friendly copies of any
 * view value (bigints as decimal strings, since JSON has no bigint and a JavaScript number would lose digits).
 *
 * CSV rules (RFC 4180): records end with CRLF, the first record is the header; a field containing a comma, a double
 * quote, CR or LF is enclosed in double quotes with inner quotes doubled. In addition, text that a spreadsheet would
 * run as a formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe, because ids and reasons come from
 * participants (OWASP's CSV injection advice). Numbers are written in full (bigints as digits), times as UTC ISO.
 *
 * Complexity: O(rows × columns).
 */

import type { Candle, TapeTrade } from "./market-data.ts";
import { isoUtc } from "./numbers.ts";
import type { SessionResult } from "./sessions.ts";

export type CsvValue = string | number | bigint | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(csvField).join(",")];
  for (const row of rows) lines.push(row.map(csvField).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function tradesCsv(trades: readonly TapeTrade[]): string {
  return toCsv(
    [
      "seq",
      "time",
      "trade_id",
      "instrument",
      "price_tiyn_per_tonne",
      "quantity_kg",
      "aggressor",
      "voided_at",
      "void_rule",
      "void_reason",
    ],
    trades.map((t) => [
      t.seq,
      isoUtc(t.timeMs),
      t.tradeId,
      t.instrument,
      t.priceTiynPerTonne,
      t.quantityKg,
      t.aggressor ?? "auction",
      t.voided === undefined ? null : isoUtc(t.voided.timeMs),
      t.voided?.rule ?? null,
      t.voided?.reason ?? null,
    ]),
  );
}

export function candlesCsv(candles: readonly Candle[]): string {
  return toCsv(
    [
      "instrument",
      "interval",
      "start",
      "end",
      "open_tiyn_per_tonne",
      "high_tiyn_per_tonne",
      "low_tiyn_per_tonne",
      "close_tiyn_per_tonne",
      "vwap_tiyn_per_tonne",
      "volume_kg",
      "value_tiyn",
      "trades",
    ],
    candles.map((c) => [
      c.instrument,
      c.interval,
      isoUtc(c.startMs),
      isoUtc(c.endMs),
      c.openTiynPerTonne,
      c.highTiynPerTonne,
      c.lowTiynPerTonne,
      c.closeTiynPerTonne,
      c.vwapTiynPerTonne,
      c.volumeKg,
      c.valueTiyn,
      c.trades,
    ]),
  );
}

export function sessionsCsv(results: readonly SessionResult[]): string {
  return toCsv(
    [
      "instrument",
      "session",
      "start",
      "end",
      "reference_tiyn_per_tonne",
      "open_tiyn_per_tonne",
      "high_tiyn_per_tonne",
      "low_tiyn_per_tonne",
      "close_tiyn_per_tonne",
      "vwap_tiyn_per_tonne",
      "trades",
      "volume_kg",
      "value_tiyn",
      "offered_kg",
      "bid_kg",
      "buyers",
      "sellers",
      "voided_trades",
      "voided_kg",
      "revised_at",
    ],
    results.map((r) => [
      r.instrument,
      r.session,
      isoUtc(r.startMs),
      r.endMs === null ? null : isoUtc(r.endMs),
      r.referencePriceTiynPerTonne,
      r.openTiynPerTonne,
      r.highTiynPerTonne,
      r.lowTiynPerTonne,
      r.closeTiynPerTonne,
      r.vwapTiynPerTonne,
      r.trades,
      r.volumeKg,
      r.valueTiyn,
      r.offeredKg,
      r.bidKg,
      r.buyers,
      r.sellers,
      r.voids?.trades ?? 0,
      r.voids?.volumeKg ?? 0n,
      r.voids?.revisedMs == null ? null : isoUtc(r.voids.revisedMs),
    ]),
  );
}

/** The JSON form of a view type: every bigint becomes its decimal string. */
export type Jsonable<T> = T extends bigint
  ? string
  : T extends readonly (infer U)[]
    ? Jsonable<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: Jsonable<T[K]> }
      : T;

/** A deep copy of a view value with bigints as decimal strings; safe for `JSON.stringify`. */
export function toJsonable<T>(value: T): Jsonable<T> {
  return convert(value) as Jsonable<T>;
}

function convert(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(convert);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[key] = convert(field);
    return out;
  }
  return value;
}
