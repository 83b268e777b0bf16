/**
 * A binary min-heap kept in a plain array, for the engine's timers (GTD expiries per market, obligation deadlines in
 * the clearing house). The caller owns the array (it is part of the caller's state) and says which of two items
 * comes first; `before` must be a strict order that never ties for two different items, so the order items come out
 * in is a function of the items alone, whatever order they went in.
 *
 * Complexity: push and pop O(log n), peek at `heap[0]` O(1). No allocation beyond the array's own growth.
 */

/** Adds an item. */
export function heapPush<T>(heap: T[], item: T, before: (a: T, b: T) => boolean): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

/** Removes and returns the first item; the heap must not be empty. */
export function heapPop<T>(heap: T[], before: (a: T, b: T) => boolean): T {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let first = i;
      if (left < heap.length && before(heap[left]!, heap[first]!)) first = left;
      if (right < heap.length && before(heap[right]!, heap[first]!)) first = right;
      if (first === i) break;
      [heap[i], heap[first]] = [heap[first]!, heap[i]!];
      i = first;
    }
  }
  return top;
}
