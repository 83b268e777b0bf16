/**
 * The engine's live orders by id, which a restore may leave unbuilt: entering hundreds of thousands of ids into a map
 * cost about 0.4 µs an order at a start, before the server could serve (and making their records 0.8 µs more). A
 * restore hands over the ids of its live orders (its rows), a `source` that makes their records, each of which it
 * passes to `note`, and `recordOfRow`, which makes one row's record; `warm` has the source make them a slice at a time
 * (the caller decides when: the engine stays synchronous).
 *
 * A lookup that misses the built part finds the id's row in a table of the pending ids (open addressing on a 32-bit
 * hash of the id, rows compared by id: exact) and has that one record made, or answers none when the id is no pending
 * order's or its record was made before and has left. So the first cancel of a restored order costs one record, not
 * the whole index (at 1,000,000 commands, a replayed tail's first cancel made 571,952 records: about 1 s). The
 * same table finds an id that repeats at the restore. Only the iteration order of `values()` may differ from a map
 * filled at the restore, and nothing depends on it (the engine only sums and counts over it).
 *
 * Promise: `get`, `set`, `delete` and `values` behave as on a `Map` that held every pending order's record from the
 * restore on. The source makes records only of orders still live (an order leaves only through its record, which is
 * noted as it is made), so no record of a gone order is indexed.
 *
 * The done orders a restore leaves unindexed use it too, with a maker of one row. The clearing's obligations use it
 * without one: a lookup of one of theirs makes all that are pending at once (a new id is still answered from the
 * table alone).
 */

import { invariant } from "../domain/errors.ts";

export class OrderIndex<T extends { readonly id: string }> {
  private readonly map = new Map<string, T>();
  /** Makes up to `budget` pending records (each passed to `note`); returns whether none is left. */
  private source: ((budget: number) => boolean) | null = null;
  /** Makes the record of one row not made yet (passed to `note`), or says none when it was made before. */
  private recordOfRow: ((row: number) => T | undefined) | null = null;
  /** The pending ids by row, and the table of rows by their ids' hashes (see `adopt`); null once complete. */
  private ids: readonly string[] = [];
  private table: Int32Array | null = null;
  private tableMask = 0;
  /** Every record in id order as `byId` last listed them, while none has left or been replaced since; else null. */
  private sorted: T[] | null = null;
  /** The records set since `byId` last listed them (kept only while `sorted` is). */
  private since: T[] = [];

  /**
   * Takes a restore's live orders by their ids, their records to come from `source` or, one at a time, from
   * `recordOfRow` (see the file comment). Throws when an id repeats. The index must be empty and complete.
   */
  adopt(
    ids: readonly string[],
    source: (budget: number) => boolean,
    recordOfRow: ((row: number) => T | undefined) | null,
    repeated = "snapshot order columns name an order more than once",
  ): void {
    invariant(this.map.size === 0 && this.table === null, "order index adopts orders only when empty");
    const n = ids.length;
    if (n === 0) return;
    let size = 1024;
    while (size < n + (n >>> 1)) size *= 2;
    // Slot i holds a row + 1 (0: empty) at 2i and its id's hash at 2i + 1: one memory access per probe.
    const table = new Int32Array(size * 2);
    const mask = size - 1;
    for (let row = 0; row < n; row++) {
      const id = ids[row]!;
      const h = hashId(id);
      let slot = h & mask;
      for (;;) {
        const held = table[slot * 2]!;
        if (held === 0) break;
        if (table[slot * 2 + 1] === h && ids[held - 1] === id) {
          invariant(false, repeated);
        }
        slot = (slot + 1) & mask;
      }
      table[slot * 2] = row + 1;
      table[slot * 2 + 1] = h;
    }
    this.source = source;
    this.recordOfRow = recordOfRow;
    this.ids = ids;
    // The records to come are not in any list `byId` gave.
    this.sorted = null;
    this.since = [];
    this.table = table;
    this.tableMask = mask;
  }

  /** Whether every pending record has been indexed. */
  get complete(): boolean {
    return this.table === null;
  }

  get(id: string): T | undefined {
    const found = this.map.get(id);
    if (found !== undefined || this.table === null) return found;
    const row = this.pendingRow(id);
    if (row < 0) return undefined;
    if (this.recordOfRow !== null) return this.recordOfRow(row);
    // No maker of one row (done orders, obligations): the rest are made at once.
    this.completeNow();
    return this.map.get(id);
  }

  /** Indexes a record the source has made (while the index is not complete). */
  note(order: T): void {
    if (this.table !== null) this.map.set(order.id, order);
  }

  set(id: string, order: T): void {
    const size = this.map.size;
    this.map.set(id, order);
    if (this.sorted !== null) this.listed(order, this.map.size > size);
  }

  /**
   * Sets the record of an id that should be new, in one lookup where `get` then `set` take two; returns false when the
   * id had a record (which may then have been replaced: the caller treats that as a broken invariant and stops). While
   * a restore's records are pending it asks `get` first, so a pending id counts as had.
   */
  add(id: string, order: T): boolean {
    if (this.table !== null && this.get(id) !== undefined) return false;
    const size = this.map.size;
    this.map.set(id, order);
    const added = this.map.size > size;
    if (this.sorted !== null) this.listed(order, added);
    return added;
  }

  delete(id: string): void {
    if (this.map.delete(id) && this.sorted !== null) this.listed(null, false);
  }

  /**
   * Every record in id order (completes the index first), for a snapshot. Sorting every record each time was about a
   * third of an engine snapshot's CPU (100,000 done orders and 51,558 obligations, bench/core-workload.ts): while no
   * record has left or been replaced since the last call, the records set since are added to that call's list, and
   * the sort (V8's TimSort) merges the one long run with them. The same list as sorting every record, since ids are
   * unique. The array is the caller's to read, not to change.
   */
  byId(): readonly T[] {
    this.completeNow();
    const sorted = this.sorted === null ? [...this.map.values()] : this.sorted.concat(this.since);
    sorted.sort(byIdOrder);
    this.sorted = sorted;
    this.since = [];
    return sorted;
  }

  /** Keeps `byId`'s list up to date: a record added joins those set since; any other change drops the list. */
  private listed(order: T | null, added: boolean): void {
    if (added && order !== null) {
      this.since.push(order);
    } else {
      this.sorted = null;
      this.since = [];
    }
  }

  /** Every live record (completes the index first). */
  values(): IterableIterator<T> {
    this.completeNow();
    return this.map.values();
  }

  /** How many orders are live (completes the index first). */
  get size(): number {
    this.completeNow();
    return this.map.size;
  }

  /**
   * Indexes up to `budget` more pending records (none for 0); returns whether the index is complete. Pure and synchronous: the
   * server calls it in slices after it starts serving.
   */
  warm(budget: number): boolean {
    if (this.table === null) return true;
    if (this.source!(Math.max(0, budget))) this.finish();
    return this.table === null;
  }

  /** Indexes every pending record now. */
  completeNow(): void {
    if (this.table === null) return;
    this.source!(Number.POSITIVE_INFINITY);
    this.finish();
  }

  private finish(): void {
    this.source = null;
    this.recordOfRow = null;
    this.ids = [];
    this.table = null;
  }

  /** The restore's row of `id`, or -1 when no restored order had it. */
  private pendingRow(id: string): number {
    const table = this.table!;
    const mask = this.tableMask;
    const h = hashId(id);
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const held = table[slot * 2]!;
      if (held === 0) return -1;
      if (table[slot * 2 + 1] === h && this.ids[held - 1] === id) return held - 1;
    }
  }
}

/** Orders records by id (UTF-16 code units, as `<` on strings). */
function byIdOrder(a: { readonly id: string }, b: { readonly id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** FNV-1a over the UTF-16 code units, with a final mix: a 32-bit hash of an id (as a signed integer). */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}
