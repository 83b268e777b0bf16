/**
 * Columns of an engine snapshot (version 5 for live orders, 6 also for done orders and clearing obligations): a column
 * is either every entry, or its runs of equal entries when that is shorter. Most of a live order's fields repeat from
 * order to order (the instrument, the account, the side, the type, the status, the fees): as runs they cost a few
 * numbers instead of one per order, both in the snapshot's bytes and in the time `JSON.parse` and the restore spend on
 * them. Strings are named once in a table (`StringTable`); ids that end in a number are stored as a stem from that
 * table and the number (`IdColumn`), so `OB-PB-KAZGPZ-MNG-S1-` is written once, not once per obligation.
 *
 * Promise: reading `encodeColumn(values)` with a `ColumnReader` gives back `values`; the encoding is a function of the
 * entries alone (the same column always gives the same bytes, so state hashes stay canonical). Decoding checks that
 * the runs add up to the length the caller expects and throws an `InvariantError` otherwise.
 */

import { invariant } from "../domain/errors.ts";

/**
 * A snapshot column: the entries themselves, or `{ runs: [value, count, value, count, ...] }` (each count at least 1),
 * chosen when the runs take fewer numbers than the entries.
 */
export type Column<T extends number | null> = readonly T[] | { readonly runs: readonly (T | number)[] };

/** The column form of `values`: runs when there are fewer than half as many runs as entries, else the entries. */
export function encodeColumn<T extends number | null>(values: readonly T[]): Column<T> {
  const n = values.length;
  let runCount = 0;
  for (let i = 0; i < n; i++) if (i === 0 || values[i] !== values[i - 1]) runCount++;
  if (runCount * 2 >= n) return values;
  const runs: (T | number)[] = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i === n || values[i] !== values[i - 1]) {
      runs.push(values[start]!, i - start);
      start = i;
    }
  }
  return { runs };
}

/**
 * Reads a column's entries one after another, without making an array of them (writing out all 18 columns as arrays
 * cost 80–100 ms of CPU at 142,924 live orders, a fifth of the restore). The constructor checks that the column holds
 * `length` entries and throws an `InvariantError` otherwise; `next` is then called at most `length` times.
 */
export class ColumnReader<T extends number | null> {
  private readonly entries: readonly (T | number)[];
  private readonly plain: boolean;
  private index = 0;
  private left = 0;
  private value: T | null = null;

  /** `kind` names what the rows are in the error sentences (`order`, `done order`, `obligation`). */
  constructor(column: Column<T>, length: number, name: string, kind = "order") {
    const short = () => `snapshot ${kind} column ${name} does not hold ${length} entries`;
    if (Array.isArray(column)) {
      invariant(column.length === length, short);
      this.entries = column as readonly T[];
      this.plain = true;
      return;
    }
    const runs = (column as { readonly runs: unknown } | null)?.runs;
    invariant(Array.isArray(runs) && runs.length % 2 === 0, () => `snapshot ${kind} column ${name} is not a column`);
    let total = 0;
    for (let r = 1; r < runs.length; r += 2) {
      const count = runs[r] as unknown;
      invariant(typeof count === "number" && Number.isSafeInteger(count) && count >= 1, short);
      total += count;
    }
    invariant(total === length, short);
    this.entries = runs as readonly (T | number)[];
    this.plain = false;
  }

  next(): T {
    if (this.plain) return this.entries[this.index++] as T;
    if (this.left === 0) {
      this.value = this.entries[this.index] as T;
      this.left = this.entries[this.index + 1] as number;
      this.index += 2;
    }
    this.left--;
    return this.value as T;
  }

  /** Every distinct entry, once per run (all of them for a plain column): for checking them before reading. */
  forEachValue(visit: (value: T) => void): void {
    const step = this.plain ? 1 : 2;
    for (let i = 0; i < this.entries.length; i += step) visit(this.entries[i] as T);
  }
}

/** Reads a column of indexes into `strings` as the strings; the constructor checks every index names one. */
export class TextColumnReader {
  private readonly indexes: ColumnReader<number>;
  private readonly strings: readonly string[];

  constructor(column: Column<number>, length: number, strings: readonly string[], name: string, kind = "order") {
    this.indexes = new ColumnReader(column, length, name, kind);
    this.strings = strings;
    this.indexes.forEachValue((index) => {
      if (typeof index !== "number" || strings[index] === undefined) {
        invariant(false, `snapshot ${kind} column names string ${index}, which does not exist`);
      }
    });
  }

  next(): string {
    return this.strings[this.indexes.next()]!;
  }
}

/**
 * A column's entries by index, without making an array of them: a plain column is read as it is, a column of runs
 * through the start of each run (found by the run read last, the one after it, or a binary search). Reading the
 * entries in order costs O(1) each; any other order O(log runs). The constructor checks the length as `ColumnReader`.
 */
export class RandomColumn<T extends number | null> {
  private readonly plain: readonly T[] | null;
  private readonly values: T[] = [];
  private readonly starts: Int32Array;
  private run = 0;

  constructor(column: Column<T>, length: number, name: string) {
    const reader = new ColumnReader(column, length, name);
    if (Array.isArray(column)) {
      this.plain = column as readonly T[];
      this.starts = new Int32Array(0);
      return;
    }
    this.plain = null;
    reader.forEachValue((value) => this.values.push(value));
    const runs = (column as { readonly runs: readonly number[] }).runs;
    this.starts = new Int32Array(this.values.length + 1);
    let start = 0;
    for (let r = 0; r < this.values.length; r++) {
      this.starts[r] = start;
      start += runs[2 * r + 1]!;
    }
    this.starts[this.values.length] = start;
  }

  at(i: number): T {
    const plain = this.plain;
    if (plain !== null) return plain[i]!;
    const starts = this.starts;
    let run = this.run;
    if (i < starts[run]! || i >= starts[run + 1]!) {
      if (i >= starts[run + 1]! && i < starts[run + 2]!) {
        run++;
      } else {
        let lo = 0;
        let hi = this.values.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (starts[mid]! <= i) lo = mid;
          else hi = mid - 1;
        }
        run = lo;
      }
      this.run = run;
    }
    return this.values[run]!;
  }

  /** Every distinct entry, once per run (all of them for a plain column). */
  forEachValue(visit: (value: T) => void): void {
    if (this.plain !== null) for (const value of this.plain) visit(value);
    else for (const value of this.values) visit(value);
  }
}

/**
 * How many entries a column holds (the sum of its runs' counts); -1 when it is not a column. For the column that
 * gives the rows' count; the readers then check every column against it.
 */
export function columnLength(column: unknown): number {
  if (Array.isArray(column)) return column.length;
  const runs = (column as { readonly runs?: unknown } | null)?.runs;
  if (!Array.isArray(runs)) return -1;
  let total = 0;
  for (let r = 1; r < runs.length; r += 2) total += typeof runs[r] === "number" ? (runs[r] as number) : 0;
  return total;
}

/**
 * Strings named once: `index(text)` gives a string's place in `strings`, adding it at the end the first time. Written
 * in the order the caller first names them, so the same rows named in the same order always give the same table.
 */
export class StringTable {
  readonly strings: string[] = [];
  private readonly indexes = new Map<string, number>();

  index(text: string): number {
    let index = this.indexes.get(text);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(text);
      this.indexes.set(text, index);
    }
    return index;
  }

  /**
   * Names one field's strings, row after row: a string that is the field's one before (runs are common: a column's
   * instrument, status, member) takes its place without a lookup. The table is the one `index` would make.
   */
  field(): (text: string) => number {
    let last: string | undefined;
    let lastIndex = -1;
    return (text) => {
      if (text !== last) {
        last = text;
        lastIndex = this.index(text);
      }
      return lastIndex;
    };
  }

  /** The places of `texts`, named in their order (as one `field`). */
  indexAll(texts: readonly string[]): number[] {
    const name = this.field();
    const indexes: number[] = [];
    for (let i = 0; i < texts.length; i++) indexes.push(name(texts[i]!));
    return indexes;
  }
}

/**
 * A column of ids, each split into a stem (an index into the rows' string table) and a number: an id that ends in a
 * decimal number without leading zeros, at most 15 digits (`OB-PB-KAZGPZ-MNG-S1-25`, `o123`), is the text before it
 * and that number; any other id is all stem, and its number is null. Ids made by a counter thus cost their number.
 */
export interface IdColumn {
  readonly stem: Column<number>;
  readonly number: Column<number | null>;
}

/** Longest number an id's end is read as: 15 digits are always below 2^53, so `String(number)` gives them back. */
const ID_NUMBER_DIGITS_MAX = 15;

/**
 * An id's stem and number: an id that ends in a decimal number without leading zeros, at most 15 digits, is the text
 * before it and that number; any other id is all stem, and its number is null. `${stem}${number}` gives the id back.
 */
export function idParts(id: string): [stem: string, number: number | null] {
  let cut = id.length;
  while (cut > 0 && id.length - cut < ID_NUMBER_DIGITS_MAX) {
    const code = id.charCodeAt(cut - 1);
    if (code < 48 || code > 57) break;
    cut--;
  }
  // No digits, or a leading zero (`007`, which no number gives back): the whole id is the stem.
  if (cut === id.length || (id.charCodeAt(cut) === 48 && cut < id.length - 1)) return [id, null];
  return [id.slice(0, cut), Number(id.slice(cut))];
}

/**
 * The id column of `ids`, their stems named in `table` one id after another. The same parts as `idParts`, without
 * making a string per id: an id that starts with the stem before it and ends in a number of its form takes that stem's
 * place (ids made by one counter follow one another), and the number is read from its digits.
 */
export function encodeIds(ids: readonly string[], table: StringTable): IdColumn {
  const n = ids.length;
  const stems: number[] = [];
  const numbers: (number | null)[] = [];
  let lastStem = "";
  let lastStemIndex = -1;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    let cut = id.length;
    while (cut > 0 && id.length - cut < ID_NUMBER_DIGITS_MAX) {
      const code = id.charCodeAt(cut - 1);
      if (code < 48 || code > 57) break;
      cut--;
    }
    if (cut === id.length || (id.charCodeAt(cut) === 48 && cut < id.length - 1)) {
      stems.push(table.index(id));
      numbers.push(null);
      continue;
    }
    if (lastStemIndex < 0 || cut !== lastStem.length || !id.startsWith(lastStem)) {
      lastStem = id.slice(0, cut);
      lastStemIndex = table.index(lastStem);
    }
    let number = 0;
    for (let k = cut; k < id.length; k++) number = number * 10 + (id.charCodeAt(k) - 48);
    stems.push(lastStemIndex);
    numbers.push(number);
  }
  return { stem: encodeColumn(stems), number: encodeColumn(numbers) };
}

/** Reads an id column's ids one after another; the constructor checks both columns as `TextColumnReader` does. */
export class IdColumnReader {
  private readonly stems: TextColumnReader;
  private readonly numbers: ColumnReader<number | null>;

  constructor(column: IdColumn, length: number, strings: readonly string[], name: string, kind: string) {
    invariant(
      typeof column === "object" && column !== null,
      () => `snapshot ${kind} column ${name} is not an id column`,
    );
    this.stems = new TextColumnReader(column.stem, length, strings, `${name}.stem`, kind);
    this.numbers = new ColumnReader(column.number, length, `${name}.number`, kind);
    this.numbers.forEachValue((value) => {
      if (value !== null && !(Number.isSafeInteger(value) && value >= 0)) {
        invariant(false, `snapshot ${kind} column ${name} holds ${String(value)}, which is not an id's number`);
      }
    });
  }

  next(): string {
    const stem = this.stems.next();
    const number = this.numbers.next();
    return number === null ? stem : `${stem}${number}`;
  }
}
