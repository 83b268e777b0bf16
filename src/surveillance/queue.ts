/**
 * A first-in first-out queue for sliding time windows: push at the back, drop from the front, read in order.
 * Amortised O(1) per operation; the array is compacted once the dropped front is both long and the larger part, so
 * memory stays proportional to what the window holds.
 */

const COMPACT_AFTER = 64;

export class Queue<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest item, or undefined when empty. */
  first(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** The i-th oldest item (0: the oldest), or undefined outside the queue. */
  at(i: number): T | undefined {
    return i >= 0 && i < this.items.length - this.head ? this.items[this.head + i] : undefined;
  }

  /** Drops the oldest item. */
  shift(): void {
    if (this.head >= this.items.length) return;
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > COMPACT_AFTER && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!;
  }

  /** Calls `visit` with each item, oldest first (no iterator allocated: the hot paths use this). */
  forEach(visit: (item: T) => void): void {
    for (let i = this.head; i < this.items.length; i++) visit(this.items[i]!);
  }
}
