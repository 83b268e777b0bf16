/**
 * The engine's live orders by id, which a restore may leave unbuilt: entering hundreds of thousands of ids into a map
 * cost about 0.4 µs an order at a start, before the server could serve (and making their records 0.8 µs more). A
 * restore hands over the ids of its live orders and a `source` that makes their records, each of which it passes to
 * `note`; `warm` has the source make them a slice at a time (the caller decides when: the engine stays synchronous),
 * and a lookup that could name a pending order completes the index first, so every answer is the one a fully built
 * index gives.
 *
 * A lookup that misses the built part is answered without completing when the id is surely not pending: a Bloom
 * filter over the pending ids (16 bits an id, 4 probes: about one false "maybe" in 400) says so. New order ids, which
 * are checked against the live ones, then cost nothing extra. Only the iteration order of `values()` may differ from
 * a map filled at the restore, and nothing depends on it (the engine only sums and counts over it).
 *
 * Promise: `get`, `set`, `delete` and `values` behave as on a `Map` that held every pending order's record from the
 * restore on. The source makes records only of orders still live (an order leaves only through its record, which is
 * noted as it is made), so no record of a gone order is indexed.
 *
 * The same index keeps the engine's done orders and the clearing's obligations by id after a restore of snapshot
 * version 6 (the type parameter): a caller that removes entries otherwise than through a record the source made (an
 * instrument's close forgets its done orders and finished obligations) completes the index first.
 */

import { invariant } from "../domain/errors.ts";

const FILTER_BITS_PER_ID = 16;

export class OrderIndex<T extends { readonly id: string }> {
  private readonly map = new Map<string, T>();
  /** Makes up to `budget` pending records (each passed to `note`); returns whether none is left. */
  private source: ((budget: number) => boolean) | null = null;
  /** Bloom filter over the pending ids; null once the index is complete. */
  private filter: Uint32Array | null = null;
  private filterMask = 0;

  /**
   * Takes a restore's live orders by their ids, their records to come from `source` (see the file comment). Throws
   * when an id repeats (saying `repeated`). The index must be empty and complete.
   */
  adopt(
    ids: readonly string[],
    source: (budget: number) => boolean,
    repeated = "snapshot order columns name an order more than once",
  ): void {
    invariant(this.map.size === 0 && this.filter === null, "order index adopts orders only when empty");
    const records = ids;
    if (records.length === 0) return;
    let bits = 1024;
    while (bits < records.length * FILTER_BITS_PER_ID) bits *= 2;
    const filter = new Uint32Array(bits >>> 5);
    const mask = bits - 1;
    // An id whose bits are all set already may repeat an earlier one: those few are checked exactly below, so a
    // snapshot that names an order twice is still refused at the restore.
    const hashes = new Uint32Array(records.length);
    const suspects: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const h1 = hashId(records[i]!);
      hashes[i] = h1;
      const h2 = (Math.imul(h1, 0x9e3779b1) >>> 15) | 1;
      let seen = true;
      for (let k = 0, h = h1; k < 4; k++, h = (h + h2) | 0) {
        const bit = h & mask;
        const word = bit >>> 5;
        const flag = 1 << (bit & 31);
        if ((filter[word]! & flag) === 0) {
          seen = false;
          filter[word]! |= flag;
        }
      }
      if (seen) suspects.push(i);
    }
    if (suspects.length > 0) checkDistinct(ids, hashes, suspects, repeated);
    this.source = source;
    this.filter = filter;
    this.filterMask = mask;
  }

  /** Whether every pending record has been indexed. */
  get complete(): boolean {
    return this.filter === null;
  }

  get(id: string): T | undefined {
    const found = this.map.get(id);
    if (found !== undefined || this.filter === null || !this.mayBePending(id)) return found;
    this.completeNow();
    return this.map.get(id);
  }

  /** Indexes a record the source has made (while the index is not complete). */
  note(order: T): void {
    if (this.filter !== null) this.map.set(order.id, order);
  }

  set(id: string, order: T): void {
    this.map.set(id, order);
  }

  delete(id: string): void {
    this.map.delete(id);
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
    if (this.filter === null) return true;
    if (this.source!(Math.max(0, budget))) this.finish();
    return this.filter === null;
  }

  /** Indexes every pending record now. */
  completeNow(): void {
    if (this.filter === null) return;
    this.source!(Number.POSITIVE_INFINITY);
    this.finish();
  }

  private finish(): void {
    this.source = null;
    this.filter = null;
  }

  private mayBePending(id: string): boolean {
    const filter = this.filter!;
    const mask = this.filterMask;
    const h1 = hashId(id);
    const h2 = (Math.imul(h1, 0x9e3779b1) >>> 15) | 1;
    for (let k = 0, h = h1; k < 4; k++, h = (h + h2) | 0) {
      const bit = h & mask;
      if ((filter[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/**
 * Throws when a suspect's id is also the id of an earlier record. Equal ids have equal hashes, so only records whose
 * hash is a suspect's are compared.
 */
function checkDistinct(
  ids: readonly string[],
  hashes: Uint32Array,
  suspects: readonly number[],
  repeated: string,
): void {
  const byHash = new Map<number, number[]>();
  const marked = new Uint8Array(65536);
  for (const j of suspects) {
    const h = hashes[j]!;
    marked[h >>> 16] = 1;
    const list = byHash.get(h);
    if (list === undefined) byHash.set(h, [j]);
    else list.push(j);
  }
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i]!;
    if (marked[h >>> 16] === 0) continue;
    const list = byHash.get(h);
    if (list === undefined) continue;
    for (const j of list) {
      if (i < j && ids[i] === ids[j]) {
        invariant(false, repeated);
      }
    }
  }
}

/** FNV-1a over the UTF-16 code units, with a final mix: a 32-bit hash of an id. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
