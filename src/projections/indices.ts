/**
 * Official price indices, published from closed sessions' results (sessions.ts): per product and delivery basis,
 * per product and delivery region, per product and (basis, region) pair, and a national index per product weighted
 * by each plant's domestic share (the SPIMEX practice, docs/sources.md).
 *
 * Definitions. A session counts toward the index period of the local calendar day on which it closed (exchange
 * time, UTC+5 by default). For a key (say product `propane-butane`, basis `KAZGPZ`) and a day, the index is the
 * volume-weighted average price of all trades of that day's sessions on instruments with that key:
 * Σ session value / Σ session volume, exact, rounded to the nearest tiyn per tonne, halves up. The national index of
 * a product is Σ weight(basis) × basis index / Σ weight(basis), over the bases with trades that day and a positive
 * weight, rounded the same way; a basis without a weight is left out of it (and listed by `unweighted`). Instruments
 * the registry does not describe, and sessions without trades, do not count.
 *
 * Revisions. A void after a session closed revises its result (sessions.ts); `reviseSession` takes the published
 * figures out of that day's totals and puts the revised ones in, so every index of the day is as if the voided trade
 * had not been made, and marks the keys it touched `revisedMs` (the national index: the newest of its bases').
 *
 * Complexity. Adding a session result is O(1) (three map updates). Reading one index is O(1); the national index is
 * O(bases traded that day). Memory: at most `INDEX_DAYS_KEPT_MAX` days, each with the keys traded that day.
 */

import { invariant, SaudaError } from "../domain/errors.ts";
import { compareText, type InstrumentRegistry } from "./instruments.ts";
import { checkUtcOffset, divideRoundHalfUp, EXCHANGE_UTC_OFFSET_MS, localDay, tiynOfMilliTiyn } from "./numbers.ts";
import { Ring } from "./ring.ts";
import type { SessionResult } from "./sessions.ts";

/** Days of index history kept (about five years). */
export const INDEX_DAYS_KEPT_MAX = 1830;

/**
 * Default national weights: each plant's domestic LPG supply in tonnes per month. Only the first two are from
 * docs/sources.md ("Mangystau supply ≈ 18 kt/month: 14.5 kt Zhanaozen plant + 3.5 kt Atyrau refinery"); they are what those
 * plants send to Mangystau, taken here as their domestic total. The rest are ASSUMED, chosen so the total is about
 * 130 kt/month, the middle of the national monthly supply plan of 120–140 kt (docs/sources.md), with Tengizchevroil as the
 * largest producer. The server should replace them with the ministry's plan figures (`weights` option). The keys are
 * the plants' basis ids as instruments are listed with them (the demo market's, src/demo/world.ts): a weight under
 * any other name would never meet a trade and silently drop its plant from the national index.
 */
export const DEFAULT_NATIONAL_WEIGHTS_TONNES_PER_MONTH: Readonly<Record<string, number>> = {
  KAZGPZ: 14_500, // Zhanaozen gas processing plant: docs/sources.md
  "ATYRAU-REF": 3_500, // Atyrau refinery: docs/sources.md
  TCO: 60_000, // Tengizchevroil: assumed
  "CNPC-AMG": 15_000, // CNPC-Aktobemunaigas (Zhanazhol): assumed
  "PAVLODAR-REF": 12_000, // Pavlodar refinery: assumed
  "SHYMKENT-REF": 10_000, // Shymkent refinery (PKOP): assumed
  KARACHAGANAK: 10_000, // assumed
  KAZGERMUNAI: 5_000, // assumed
};

export type IndexScope = "basis" | "region" | "basis-region" | "national";

export interface PriceIndex {
  /** Local calendar day, YYYY-MM-DD. */
  readonly day: string;
  readonly product: string;
  readonly scope: IndexScope;
  /** The basis, the region, `basis/region`, or `KZ` for the national index. */
  readonly key: string;
  readonly priceTiynPerTonne: number;
  readonly volumeKg: bigint;
  readonly valueTiyn: bigint;
  /** Sessions that went into it. */
  readonly sessions: number;
  /** Set when a voided trade revised a session of that day after it was published: the newest revision's time. */
  readonly revisedMs?: number;
}

export interface IndicesOptions {
  readonly registry: InstrumentRegistry;
  /** Basis → weight (any unit, e.g. tonnes per month); whole non-negative numbers. */
  readonly weights?: Readonly<Record<string, number>>;
  /** Offset of exchange time from UTC, for index days. */
  readonly utcOffsetMs?: number;
}

export const NATIONAL_KEY = "KZ";
const WEIGHT_MAX = 1e12;

interface Accumulator {
  volumeKg: bigint;
  valueMilliTiyn: bigint;
  sessions: number;
  /** The newest revision's time (a void after the close); null if never revised. */
  revisedMs: number | null;
}

interface Day {
  readonly day: string;
  /** `scope product key` → totals (ids hold no spaces, so a space separates them). */
  readonly totals: Map<string, Accumulator>;
}

export class PriceIndices {
  private readonly registry: InstrumentRegistry;
  private readonly weights: ReadonlyMap<string, bigint>;
  private readonly utcOffsetMs: number;
  private readonly days = new Ring<Day>(INDEX_DAYS_KEPT_MAX);
  private readonly byDay = new Map<string, Day>();
  private skipped = 0;

  constructor(options: IndicesOptions) {
    this.registry = options.registry;
    this.utcOffsetMs = checkUtcOffset(options.utcOffsetMs ?? EXCHANGE_UTC_OFFSET_MS);
    const weights = new Map<string, bigint>();
    for (const [basis, weight] of Object.entries(options.weights ?? DEFAULT_NATIONAL_WEIGHTS_TONNES_PER_MONTH)) {
      if (!Number.isSafeInteger(weight) || weight < 0 || weight > WEIGHT_MAX) {
        throw new SaudaError("FIELD_INVALID", {
          field: `weights.${basis}`,
          value: JSON.stringify(weight) ?? "(missing)",
          rule: `an index weight is a whole number from 0 to ${WEIGHT_MAX}`,
        });
      }
      weights.set(basis, BigInt(weight));
    }
    this.weights = weights;
  }

  /** Adds a closed session's result to its day's indices. */
  addSession(result: SessionResult): void {
    invariant(result.endMs !== null, () => `session ${result.instrument}#${result.session} has not closed`);
    if (result.volumeKg === 0n) return;
    const info = this.registry.get(result.instrument);
    if (info === undefined) {
      this.skipped++;
      return;
    }
    this.change(this.dayOf(localDay(result.endMs, this.utcOffsetMs)), info, result, 1, null);
  }

  /**
   * A closed session's result revised by a void (sessions.ts): its day's indices are recomputed with the revised
   * figures in place of the published ones, and marked revised at `revisedMs`. A key left with no volume is no longer
   * published that day. A day no longer kept, or an instrument the registry does not describe, changes nothing.
   */
  reviseSession(before: SessionResult, after: SessionResult, revisedMs: number): void {
    invariant(before.endMs !== null && before.endMs === after.endMs, () => `session ${before.session} revised wrongly`);
    const info = this.registry.get(before.instrument);
    const day = this.byDay.get(localDay(before.endMs, this.utcOffsetMs));
    if (info === undefined || day === undefined || before.volumeKg === 0n) return;
    this.change(day, info, before, -1, revisedMs);
    if (after.volumeKg > 0n) this.change(day, info, after, 1, revisedMs);
  }

  private change(
    day: Day,
    info: { readonly product: string; readonly basis: string; readonly region: string },
    result: SessionResult,
    sign: 1 | -1,
    revisedMs: number | null,
  ): void {
    const add = (scope: IndexScope, key: string) => {
      const id = `${scope} ${info.product} ${key}`;
      let totals = day.totals.get(id);
      if (totals === undefined) {
        invariant(sign === 1, () => `revised session ${result.session} is not in index ${id}`);
        totals = { volumeKg: 0n, valueMilliTiyn: 0n, sessions: 0, revisedMs: null };
        day.totals.set(id, totals);
      }
      totals.volumeKg += BigInt(sign) * result.volumeKg;
      totals.valueMilliTiyn += BigInt(sign) * result.valueMilliTiyn;
      totals.sessions += sign;
      if (revisedMs !== null) totals.revisedMs = revisedMs;
      invariant(totals.volumeKg >= 0n && totals.sessions >= 0, () => `index ${id} went below zero`);
      if (totals.sessions === 0) day.totals.delete(id);
    };
    add("basis", info.basis);
    add("region", info.region);
    add("basis-region", `${info.basis}/${info.region}`);
  }

  private dayOf(day: string): Day {
    let found = this.byDay.get(day);
    if (found === undefined) {
      const newest = this.days.newest();
      // Sessions close in seq order and time never goes back, so days arrive in order.
      invariant(newest === undefined || newest.day < day, () => `index day ${day} after ${newest?.day}`);
      found = { day, totals: new Map() };
      const evicted = this.days.push(found);
      if (evicted !== undefined) this.byDay.delete(evicted.day);
      this.byDay.set(day, found);
    }
    return found;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  /** Days with indices, newest first. */
  daysKept(limit = INDEX_DAYS_KEPT_MAX): string[] {
    return this.days.newestFirst(limit).map((d) => d.day);
  }

  /** Sessions with trades left out because the registry does not describe their instrument. */
  get skippedSessions(): number {
    return this.skipped;
  }

  index(day: string, product: string, scope: Exclude<IndexScope, "national">, key: string): PriceIndex | null {
    const totals = this.byDay.get(day)?.totals.get(`${scope} ${product} ${key}`);
    return totals === undefined ? null : indexOf(day, product, scope, key, totals);
  }

  basis(day: string, product: string, basis: string): PriceIndex | null {
    return this.index(day, product, "basis", basis);
  }

  region(day: string, product: string, region: string): PriceIndex | null {
    return this.index(day, product, "region", region);
  }

  national(day: string, product: string): PriceIndex | null {
    const found = this.byDay.get(day);
    if (found === undefined) return null;
    const prefix = `basis ${product} `;
    let weighted = 0n;
    let weightSum = 0n;
    let volumeKg = 0n;
    let valueMilliTiyn = 0n;
    let sessions = 0;
    let revisedMs: number | null = null;
    for (const [id, totals] of found.totals) {
      if (!id.startsWith(prefix)) continue;
      const weight = this.weights.get(id.slice(prefix.length)) ?? 0n;
      if (weight === 0n) continue;
      if (totals.revisedMs !== null && (revisedMs === null || totals.revisedMs > revisedMs)) {
        revisedMs = totals.revisedMs;
      }
      // The basis index itself is rounded first, as published; the national index is its weighted mean.
      weighted += weight * divideRoundHalfUp(totals.valueMilliTiyn, totals.volumeKg);
      weightSum += weight;
      volumeKg += totals.volumeKg;
      valueMilliTiyn += totals.valueMilliTiyn;
      sessions += totals.sessions;
    }
    if (weightSum === 0n) return null;
    return {
      day,
      product,
      scope: "national",
      key: NATIONAL_KEY,
      priceTiynPerTonne: Number(divideRoundHalfUp(weighted, weightSum)),
      volumeKg,
      valueTiyn: tiynOfMilliTiyn(valueMilliTiyn),
      sessions,
      ...(revisedMs === null ? {} : { revisedMs }),
    };
  }

  /** Every index of a day, national ones included, sorted by product, scope and key. */
  all(day: string): PriceIndex[] {
    const found = this.byDay.get(day);
    if (found === undefined) return [];
    const out: PriceIndex[] = [];
    const products = new Set<string>();
    for (const [id, totals] of found.totals) {
      const [scope, product, key] = splitId(id);
      products.add(product);
      out.push(indexOf(day, product, scope, key, totals));
    }
    for (const product of products) {
      const national = this.national(day, product);
      if (national !== null) out.push(national);
    }
    return out.sort(
      (a, b) => compareText(a.product, b.product) || compareText(a.scope, b.scope) || compareText(a.key, b.key),
    );
  }

  /** The most recent published index for a key, searching back through kept days. O(days kept). */
  latest(product: string, scope: IndexScope, key: string): PriceIndex | null {
    let found: PriceIndex | null = null;
    this.days.scanNewestFirst((day) => {
      found = scope === "national" ? this.national(day.day, product) : this.index(day.day, product, scope, key);
      return found === null;
    });
    return found;
  }

  /** The national index's weights, by basis (published beside the indices so anyone can recompute them). */
  nationalWeights(): { basis: string; weight: number }[] {
    return [...this.weights]
      .map(([basis, weight]) => ({ basis, weight: Number(weight) }))
      .sort((a, b) => compareText(a.basis, b.basis));
  }

  /** Bases traded on a day that carry no national weight. */
  unweighted(day: string): string[] {
    const found = this.byDay.get(day);
    if (found === undefined) return [];
    const bases = new Set<string>();
    for (const id of found.totals.keys()) {
      const [scope, , key] = splitId(id);
      if (scope === "basis" && (this.weights.get(key) ?? 0n) === 0n) bases.add(key);
    }
    return [...bases].sort(compareText);
  }
}

function indexOf(day: string, product: string, scope: IndexScope, key: string, totals: Accumulator): PriceIndex {
  return {
    day,
    product,
    scope,
    key,
    priceTiynPerTonne: Number(divideRoundHalfUp(totals.valueMilliTiyn, totals.volumeKg)),
    volumeKg: totals.volumeKg,
    valueTiyn: tiynOfMilliTiyn(totals.valueMilliTiyn),
    sessions: totals.sessions,
    ...(totals.revisedMs === null ? {} : { revisedMs: totals.revisedMs }),
  };
}

function splitId(id: string): [Exclude<IndexScope, "national">, string, string] {
  const first = id.indexOf(" ");
  const second = id.indexOf(" ", first + 1);
  return [id.slice(0, first) as Exclude<IndexScope, "national">, id.slice(first + 1, second), id.slice(second + 1)];
}
