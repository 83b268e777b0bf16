/**
 * A fixed-capacity ring buffer: the bounded history behind the trade tape, candles, session results, fills, the audit
 * trail and the queues that decide which finished records a view forgets first. Pushing past the capacity drops the
 * oldest item and returns it, so the owner can forget whatever else it keyed by that item.
 *
 * Complexity: push, newest, oldest and indexed reads are O(1); listing k items is O(k). Memory is O(capacity), taken
 * as items arrive (the backing array grows up to the capacity, never beyond).
 */

import { invariant } from "../domain/errors.ts";

export class Ring<T> {
  private readonly items: T[] = [];
  /** Index of the oldest item once the ring is full; 0 until then. */
  private start = 0;

  constructor(readonly capacity: number) {
    invariant(Number.isSafeInteger(capacity) && capacity >= 1, () => `ring capacity ${capacity} must be at least 1`);
  }

  get length(): number {
    return this.items.length;
  }

  /** Adds the newest item; returns the oldest one when it had to make room, else undefined. */
  push(item: T): T | undefined {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return undefined;
    }
    const evicted = this.items[this.start]!;
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    return evicted;
  }

  /** The i-th newest item (0 = newest). */
  newestAt(i: number): T | undefined {
    const n = this.items.length;
    if (i < 0 || i >= n) return undefined;
    return this.items[(this.start + n - 1 - i) % n];
  }

  /** Replaces the i-th newest item (0 = newest) in place: a revised record keeps its position. */
  replaceNewestAt(i: number, item: T): void {
    const n = this.items.length;
    invariant(i >= 0 && i < n, () => `ring index ${i} is outside 0..${n - 1}`);
    this.items[(this.start + n - 1 - i) % n] = item;
  }

  newest(): T | undefined {
    return this.newestAt(0);
  }

  oldest(): T | undefined {
    return this.newestAt(this.items.length - 1);
  }

  /** Items newest first, at most `limit` of them. */
  newestFirst(limit = Number.POSITIVE_INFINITY): T[] {
    const n = Math.min(this.items.length, limit);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.newestAt(i)!;
    return out;
  }

  /** Visits items newest first until the visitor returns false. */
  scanNewestFirst(visit: (item: T) => boolean): void {
    for (let i = 0; i < this.items.length; i++) if (!visit(this.newestAt(i)!)) return;
  }
}
