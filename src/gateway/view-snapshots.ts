/**
 * Snapshots of the read models (projections and surveillance), so that a start loads them and replays into them only
 * the journal's tail instead of every record from 1.
 *
 * The read models are plain TypeScript objects: class instances holding Maps, Sets, arrays, plain objects and
 * primitives, some of them shared between views (market data reads the session results), and a few functions wired by
 * their constructors (callbacks between views). `captureViews` walks that graph and writes it with Node's structured
 * serialiser (`v8.serialize`, which keeps shared references and bigints), each object wrapped in a tagged array that
 * names its kind and, for a class instance, its class (by name), after the format and the read models' code version
 * (a hash of their source files: a snapshot of other code is refused whole). `restoreViews` reads it back INTO read
 * models freshly built by
 * their constructors: a class instance at the same place in the fresh graph is reused (so its functions stay wired
 * to the fresh objects), every data field is overwritten from the snapshot, and a function in the snapshot's place
 * must be a function in the fresh graph (kept). Objects the fresh graph does not have are made with their class's
 * prototype, found among the classes the projections and surveillance modules export or that the fresh graph holds.
 *
 * Safety. A snapshot is a cache, never evidence: anything the capture cannot represent faithfully (a class it cannot
 * name for the restore, a symbol key, a built-in such as a timer or a promise) makes the capture fail with a reason
 * instead of writing a wrong snapshot, and anything the restore cannot match (a class this version does not have, a
 * function with nothing to take its place) makes the restore fail; the caller then rebuilds the read models from the
 * journal. What the capture cannot see is state held only in a constructor's closure or in a private (`#`) field;
 * listeners the server registers after the start (wiring, not state) live in such fields, since a function the fresh
 * read models do not have in its place makes the restore fail. The test that restores a busy
 * journal's views and compares them with a full replay (test/gateway/view-snapshots.test.ts) guards that.
 *
 * Size. Each view is bounded by its limits, but the bounds are large and the live orders are not bounded by a count:
 * at 200,000 records of bench/snapshot.ts (126,000 live orders, each kept by sessions, market data, accounts, the
 * audit trail and surveillance; the audit trail's newest 100,000 entries and the commands they were made from) the
 * graph holds millions of small records. So many like records (a Map's, a Set's or an array's of 16 or more) are
 * written as a table, column by column (`Table`, `Column`): strings by codes into a column's own list of them (each
 * string once in the snapshot's table of strings), ids made by a counter as a stem and a number, integers and codes
 * as typed arrays of 1, 2 or 4 bytes a value (`Ints`: runs, or each less a base or less the value before), which the
 * serialiser writes and reads as bytes. That snapshot is 20.7 MB (92.9 MB in format 3, which wrote every string
 * index and integer in 4 bytes, every time in 8 and every id in the table of strings; 139 MB value by value, format
 * 2) and restores in 5–6 s of CPU at load 13–20 (7–8 s for format 3). Its capture still takes seconds, so the
 * leader does not capture: the snapshot thread does, on its own copy (view-snapshot-thread.ts).
 *
 * Complexity: O(objects in the read models) for both, on the calling thread.
 */

import { hash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { deserialize, serialize } from "node:v8";
import { idParts } from "../engine/columns.ts";
import * as accountsModule from "../projections/accounts.ts";
import * as projectionsModule from "../projections/index.ts";
import * as marketDataModule from "../projections/market-data.ts";
import * as ringModule from "../projections/ring.ts";
import * as sessionsModule from "../projections/sessions.ts";
import * as surveillanceModule from "../surveillance/index.ts";
import * as queueModule from "../surveillance/queue.ts";
import * as automatedEntryModule from "../surveillance/rules/automated-entry.ts";
import * as concentrationModule from "../surveillance/rules/concentration.ts";
import * as coordinatedBiddingModule from "../surveillance/rules/coordinated-bidding.ts";
import * as priceLimitBiddingModule from "../surveillance/rules/price-limit-bidding.ts";
import * as spoofingModule from "../surveillance/rules/spoofing.ts";
import * as washTradeModule from "../surveillance/rules/wash-trade.ts";
import * as withholdingModule from "../surveillance/rules/withholding.ts";
import * as statisticsModule from "../surveillance/statistics.ts";

/**
 * The modules whose exported classes may be found in the read models. A class the read models hold must be exported
 * by one of these (or be reachable from freshly built read models), or the capture refuses to snapshot.
 */
const CLASS_MODULES: readonly Record<string, unknown>[] = [
  projectionsModule,
  accountsModule,
  marketDataModule,
  sessionsModule,
  ringModule,
  surveillanceModule,
  statisticsModule,
  queueModule,
  automatedEntryModule,
  concentrationModule,
  coordinatedBiddingModule,
  priceLimitBiddingModule,
  spoofingModule,
  washTradeModule,
  withholdingModule,
];

/** The tag of each wrapped object: class instance, plain object, array, Map, Set, function, value cloned as is. */
type Wrapped =
  | ["C", string, Record<string, unknown>]
  | ["O", Record<string, unknown>]
  | ["A", unknown[]]
  | ["M", [unknown, unknown][]]
  | ["S", unknown[]]
  | ["F"]
  | ["V", unknown]
  | Table
  | ["R", ObjectColumn, number];

/**
 * A Map, Set or array of many like values, as columns (`tableOf`): "TM" a Map (`keys` its keys), "TS" a Set (`keys`
 * its items, no values), "TA" an array (no keys). A record in a table met again elsewhere is written as
 * ["R", its column, its row].
 */
type Table = [tag: "TM" | "TS" | "TA", keys: Column | null, values: Column | null, rows: number];

/**
 * A column of values: "s" strings or null, as codes into the column's own list of strings (`dict`, indexes into the
 * snapshot's one table of strings, -1: null); "id" ids made by a counter (`O-1042`), each as its stem (a code into
 * the column's list of stems, as "s") and the number it ends in (-1: none, the stem is the whole id; `idParts`), so
 * 100,000 order ids cost their numbers, not 100,000 strings in the table; "i" safe integers; "f" other numbers; "n"
 * numbers or null (which rows are null, then the others' numbers as "i" or "f"); "b" booleans (0 or 1); "a" other
 * primitives as they are; "o" plain objects (records), grouped by shape (their field names in order), each group a
 * column per field, `shapes` the group of each row; "r" records of an "o" column written before, by row; "x" records
 * of several: each row's column (`which`, among `sources`) and its row there, the records met for the first time the
 * last source; "w" anything else, wrapped value by value. Integers and codes are `Ints`: bytes the serialiser writes
 * and reads as they are, in runs when values repeat, so the bulk of a snapshot (live orders, audit entries and the
 * commands they were made from) reads back without a value-by-value parse.
 */
type Column =
  | ["s", dict: Int32Array, codes: Ints]
  | ["id", stems: Int32Array, stemCodes: Ints, numbers: Ints]
  | ["i", Ints]
  | ["f", Float64Array]
  | ["n", nulls: Ints, values: Column]
  | ["b", Ints]
  | ["a", unknown[]]
  | ObjectColumn
  | ["r", ObjectColumn, Ints]
  | ["x", sources: ObjectColumn[], which: Ints, rows: Ints]
  | ["w", unknown[]];

type ObjectColumn = ["o", shapes: Ints, groups: [fields: string[], columns: Column[]][]];

/**
 * Safe integers as bytes: "p" each value less `base`, "d" each value less the one before it (the first less 0) less
 * `base` (times and ids that mostly grow), in the narrowest unsigned typed array that holds them (1, 2 or 4 bytes a
 * value); "u" runs of equal values, as their values and their lengths (each "p" or "d"). A column of 100,000 account
 * codes that repeat is a few runs; 100,000 times a millisecond apart one byte each.
 */
type Ints =
  | [kind: "p" | "d", base: number, data: Uint8Array | Uint16Array | Uint32Array]
  | [kind: "u", values: Ints, counts: Ints];

/** `values` (safe integers) less `base`, or each less the one before (`delta`), as bytes; null when too wide. */
function packInts(values: ArrayLike<number>, delta: boolean): Ints | null {
  const n = values.length;
  let min = 0;
  let max = 0;
  let before = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    const step = delta ? value - before : value;
    before = value;
    if (i === 0 || step < min) min = step;
    if (i === 0 || step > max) max = step;
  }
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max - min > 0xffffffff) return null;
  const range = max - min;
  const data = range <= 0xff ? new Uint8Array(n) : range <= 0xffff ? new Uint16Array(n) : new Uint32Array(n);
  before = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    data[i] = (delta ? value - before : value) - min;
    before = value;
  }
  return [delta ? "d" : "p", min, data];
}

/** The narrower of `values` as "p" and as "d" ("p" when as narrow); null when neither fits 4 bytes a value. */
function packNarrowest(values: ArrayLike<number>): Ints | null {
  const plain = packInts(values, false);
  if (plain !== null && (plain[2] as Uint8Array).BYTES_PER_ELEMENT === 1) return plain;
  const delta = packInts(values, true);
  if (plain === null || delta === null) return plain ?? delta;
  return (delta[2] as Uint8Array).BYTES_PER_ELEMENT < (plain[2] as Uint8Array).BYTES_PER_ELEMENT ? delta : plain;
}

/** `values` (safe integers, not -0) as `Ints`: runs when there are fewer than half as many runs as values. */
function encodeInts(values: ArrayLike<number>): Ints | null {
  const n = values.length;
  let runs = 0;
  for (let i = 0; i < n; i++) if (i === 0 || values[i] !== values[i - 1]) runs++;
  if (runs * 2 < n) {
    const runValues: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i === 0 || values[i] !== values[i - 1]) {
        runValues.push(values[i]!);
        counts.push(1);
      } else counts[counts.length - 1]!++;
    }
    const packedValues = packNarrowest(runValues);
    const packedCounts = packNarrowest(counts);
    if (packedValues !== null && packedCounts !== null) return ["u", packedValues, packedCounts];
  }
  return packNarrowest(values);
}

/**
 * The integers of `ints`, `rows` of them (any number when null); throws `ViewSnapshotError` naming `path` when it is
 * not an `Ints` of that length.
 */
function intsOf(ints: unknown, rows: number | null, path: string): Int32Array | Float64Array {
  return narrowed(wideIntsOf(ints, rows, path));
}

/**
 * `values` as 32-bit integers when they all are: read from an Int32Array, a record's field holds a small integer as
 * the live code does (from a Float64Array, a heap number in each record, which also changes its fields' kind).
 */
function narrowed(values: Int32Array | Float64Array): Int32Array | Float64Array {
  if (values instanceof Int32Array) return values;
  for (let i = 0; i < values.length; i++) if ((values[i]! | 0) !== values[i]) return values;
  return new Int32Array(values);
}

/** The integers of `ints` (see `intsOf`): in an Int32Array when its kind and width say they all fit one. */
function wideIntsOf(ints: unknown, rows: number | null, path: string): Int32Array | Float64Array {
  const wrong = () =>
    new ViewSnapshotError(`${path}: integers that are not ${rows ?? "a column"}${rows === null ? "" : " long"}`);
  if (!Array.isArray(ints)) throw wrong();
  const [kind, base, data] = ints as Ints;
  if (kind === "u") {
    const values = wideIntsOf(base, null, path);
    const counts = wideIntsOf(data, values.length, path);
    let total = 0;
    for (const count of counts) {
      if (count < 1) throw wrong();
      total += count;
    }
    if (rows !== null && total !== rows) throw wrong();
    const out = values instanceof Int32Array ? new Int32Array(total) : new Float64Array(total);
    let at = 0;
    for (let r = 0; r < values.length; r++) {
      out.fill(values[r]!, at, at + counts[r]!);
      at += counts[r]!;
    }
    return out;
  }
  if (
    (kind !== "p" && kind !== "d") ||
    !Number.isSafeInteger(base) ||
    !(data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Uint32Array) ||
    (rows !== null && data.length !== rows)
  )
    throw wrong();
  if (kind === "p") {
    // Values that are all 32-bit integers are read straight into an Int32Array (`narrowed` keeps it as it is).
    const top = data instanceof Uint8Array ? 0xff : data instanceof Uint16Array ? 0xffff : 0xffffffff;
    if (base >= -0x80000000 && base + top <= 0x7fffffff) {
      const ints = new Int32Array(data.length);
      for (let i = 0; i < data.length; i++) ints[i] = base + data[i]!;
      return ints;
    }
  }
  const out = new Float64Array(data.length);
  if (kind === "p") for (let i = 0; i < data.length; i++) out[i] = base + data[i]!;
  else {
    let value = 0;
    for (let i = 0; i < data.length; i++) {
      value += base + data[i]!;
      out[i] = value;
    }
  }
  return out;
}

/** Whether `value` is an integer `Ints` holds exactly (a safe integer, not -0). */
function isInt(value: unknown): value is number {
  return Number.isSafeInteger(value) && !Object.is(value, -0);
}

/** The columns of primitives (see `Column`): their values never lead back to a record. */
const PRIMITIVE_KINDS = new Set(["s", "id", "i", "f", "n", "b", "a"]);

function isPrimitiveColumn(column: unknown): boolean {
  return Array.isArray(column) && PRIMITIVE_KINDS.has(column[0] as string);
}

/** A field's values before they are known (read as undefined at every row). */
const NO_VALUES: ArrayLike<unknown> = [];

/** How many of `shapes` are `shape`. */
function countOf(shapes: ArrayLike<number>, shape: number): number {
  let count = 0;
  for (let i = 0; i < shapes.length; i++) if (shapes[i] === shape) count++;
  return count;
}

/** Makes a record of one shape from its fields' values (a column each) at a row. */
type RecordMaker = (values: readonly ArrayLike<unknown>[], row: number) => Record<string, unknown>;

/** Makers by shape (field names joined by NUL), so that each shape's records come from one place. */
const recordMakers = new Map<string, RecordMaker>();
/** More shapes than this (a snapshot of many unlike records) are not kept. */
const RECORD_MAKERS_MAX = 10_000;

/**
 * The maker of records with `fields`, in order: a function made from its text, `(v, r) => ({"a": v[0][r], …})`, the
 * names written as JSON string literals (never code). One object literal makes each record with its fields in place
 * at once (a copy of a template filled field by field cost twice as much), and V8 sees that the records it makes
 * live long and makes them where long-lived objects are kept (in old space, not copied there by the scavenger: most
 * of the restore's garbage collection before).
 */
function recordMaker(fields: readonly string[]): RecordMaker {
  const key = fields.join("\0");
  let make = recordMakers.get(key);
  if (make === undefined) {
    const literal = fields.map((field, f) => `${JSON.stringify(field)}: v[${f}][r]`).join(", ");
    make = new Function("v", "r", `"use strict"; return { ${literal} };`) as RecordMaker;
    if (recordMakers.size < RECORD_MAKERS_MAX) recordMakers.set(key, make);
  }
  return make;
}

/** Fewer records than this are not worth a table (a Map, Set or array of them is written value by value). */
const TABLE_ROWS_MIN = 16;

export class ViewSnapshotError extends Error {
  override name = "ViewSnapshotError";
}

/**
 * A class's name for the snapshot: its name. Two classes of one name are told apart by the registry (neither can be
 * named, `AMBIGUOUS`); a snapshot of read models whose code has changed since is refused as a whole (`codeVersion`).
 * Not the class's source text: the thread that captures and the one that restores may load TypeScript through
 * different transforms (the tests run the exchange through Vitest's and the snapshot thread through tsx's).
 */
function classKey(prototype: object): string {
  const made = (prototype as { constructor?: { name?: string } }).constructor;
  if (typeof made !== "function") return "";
  return made.name;
}

/** What a snapshot starts with: its format, then `codeVersion()` of the code that wrote it. */
const FORMAT = "sauda-read-models/4";

/**
 * Where the read models' TypeScript sources are: beside this module when it runs as TypeScript; from the build
 * (dist/gateway/view-snapshots.js), in src/ beside dist/ — bin/sauda.js runs the build only while it matches src/, so
 * both read the same sources and a snapshot written by either is restored by the other. A build without its sources
 * beside it hashes its own JavaScript instead (its snapshots are then its own).
 */
const RUNS_TYPESCRIPT = import.meta.url.endsWith(".ts");
const SOURCES_OF_BUILD = new URL("../../src/gateway/", import.meta.url);
const HERE =
  RUNS_TYPESCRIPT || !existsSync(new URL("view-snapshots.ts", SOURCES_OF_BUILD))
    ? new URL("./", import.meta.url)
    : SOURCES_OF_BUILD;
const CODE_EXTENSION = HERE === SOURCES_OF_BUILD || RUNS_TYPESCRIPT ? ".ts" : ".js";
/** Source files whose code decides what the read models hold: the projections, surveillance, and these modules. */
const CODE = [new URL("../projections/", HERE), new URL("../surveillance/", HERE)];
const CODE_FILES = [new URL(`view-snapshots${CODE_EXTENSION}`, HERE), new URL(`read-models${CODE_EXTENSION}`, HERE)];

let codeVersionValue: string | null = null;

/**
 * SHA-256 of the read models' source files (names and contents, tests left out), read once: a snapshot written by
 * other code of the read models is not restored, however small the change (the start then replays the journal).
 * The sources are read whether the code runs through tsx or from the build (see `HERE`).
 */
export function codeVersion(): string {
  if (codeVersionValue !== null) return codeVersionValue;
  const files: [string, URL][] = CODE_FILES.map((url) => [url.pathname.split("/").slice(-2).join("/"), url]);
  for (const dir of CODE) {
    for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
      if (name.endsWith(CODE_EXTENSION) && !name.endsWith(`.test${CODE_EXTENSION}`)) {
        files.push([`${dir.pathname.split("/").slice(-2).join("/")}${name}`, new URL(name, dir)]);
      }
    }
  }
  files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = files.map(([name, url]) => `${name}\0${readFileSync(url, "utf8")}\0`).join("");
  codeVersionValue = hash("sha256", text, "hex");
  return codeVersionValue;
}

const classKeys = new WeakMap<object, string>();
function cachedClassKey(prototype: object): string {
  let key = classKeys.get(prototype);
  if (key === undefined) {
    key = classKey(prototype);
    classKeys.set(prototype, key);
  }
  return key;
}

/** Classes by key (`classKey`): the exported ones of `CLASS_MODULES`, and any found in `roots` (fresh read models). */
function classRegistry(roots: readonly unknown[]): Map<string, object> {
  const registry = new Map<string, object>();
  const add = (name: string, prototype: object): void => {
    const known = registry.get(name);
    if (known !== undefined && known !== prototype) registry.set(name, AMBIGUOUS);
    else registry.set(name, prototype);
  };
  for (const module of CLASS_MODULES) {
    for (const value of Object.values(module)) {
      if (typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value))) {
        const prototype = (value as { prototype: object }).prototype;
        add(cachedClassKey(prototype), prototype);
      }
    }
  }
  const seen = new Set<object>();
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    const prototype = Object.getPrototypeOf(value) as object | null;
    if (isClassPrototype(prototype)) add(cachedClassKey(prototype), prototype);
    if (value instanceof Map) {
      for (const [k, v] of value) {
        walk(k);
        walk(v);
      }
    } else if (value instanceof Set) for (const v of value) walk(v);
    else for (const v of Object.values(value)) walk(v);
  };
  for (const root of roots) walk(root);
  return registry;
}

/**
 * The names two or more different classes of `CLASS_MODULES` share: an instance of such a class cannot be restored
 * by its name, so the read models that hold one cannot be snapshotted (a test keeps this empty).
 */
export function ambiguousClassNames(): string[] {
  return [...classRegistry([])].filter(([, prototype]) => prototype === AMBIGUOUS).map(([name]) => name);
}

/** Two different classes with one key: neither can be restored by it. */
const AMBIGUOUS = Object.freeze({});

function isClassPrototype(prototype: object | null): prototype is object {
  return (
    prototype !== null &&
    prototype !== Object.prototype &&
    prototype !== Array.prototype &&
    prototype !== Map.prototype &&
    prototype !== Set.prototype
  );
}

/**
 * Values the structured serialiser clones faithfully as they are, without a wrapper of their own: dates, binary data,
 * and plain objects and arrays that hold only primitives (most records in the views: entries, orders, trades), which
 * keeps the capture close to the serialiser's own speed. Their identity is kept (one wrapper per object, `memo`).
 */
function isClonedAsIs(value: object): boolean {
  if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return true;
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Array.prototype) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) if (!isPrimitive(array[i])) return false;
    // A sparse array or one with extra keys is wrapped field by field.
    return Object.keys(array).length === array.length;
  }
  if (prototype !== Object.prototype) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !isPrimitive((value as Record<string, unknown>)[key])) return false;
  }
  return Object.getOwnPropertySymbols(value).length === 0;
}

/** Whether every index below the array's length holds a value (a hole would come back as undefined). */
function isDense(array: readonly unknown[]): boolean {
  for (let i = 0; i < array.length; i++) if (!(i in array)) return false;
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol");
}

/**
 * A value's place in the graph, as its parent's place and the step from there (a root's is its name): the text is
 * made only for an error message.
 */
type Path = string | readonly [parent: Path, step: NonNullable<Step>, at: unknown];
/** A step from a parent: a Map's key or value, a Set's item, an array's index, an object's field; null for a root. */
type Step = " key" | ".get(" | " item" | "[" | "." | null;

/** The path of a value found by `step` from `parent`: made once per object walked, none per primitive. */
function placeOf(parent: Path, step: Step, at: unknown): Path {
  return step === null ? parent : [parent, step, at];
}

function pathText(path: Path): string {
  const steps: string[] = [];
  let at: Path = path;
  while (typeof at !== "string") {
    const [parent, step, key] = at;
    if (step === ".get(") steps.push(`.get(${String(key)})`);
    else if (step === "[") steps.push(`[${String(key)}]`);
    else if (step === ".") steps.push(`.${String(key)}`);
    else steps.push(step);
    at = parent;
  }
  return at + steps.reverse().join("");
}

/** The snapshot's table of strings, as the capture builds it: each string once, by the index it was first met at. */
class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  of(text: string): number {
    let at = this.index.get(text);
    if (at === undefined) {
      at = this.list.length;
      this.list.push(text);
      this.index.set(text, at);
    }
    return at;
  }
}

/** What encoding a column needs: the table of strings, the capture's memo, and its wrapper for any other value. */
interface ColumnContext {
  readonly strings: Strings;
  readonly memo: Map<object, Wrapped>;
  readonly wrap: (value: unknown) => unknown;
}

/** Codes, counts and rows (integers from 0 below 2^32) as `Ints`, which always holds them. */
function codes(values: ArrayLike<number>): Ints {
  return encodeInts(values)!;
}

/** Strings with many values seen this often or more are written as "id" (stem and number), not one string each. */
const ID_DISTINCT_SHARE = 4;
/** Fewer distinct strings than this are always a list of their own ("s"). */
const ID_DISTINCT_MIN = 16;

/**
 * `values` as the narrowest column that holds them exactly (see `Column`): primitives by kind; records of "o" columns
 * written before as "r" (one column) or "x"; plain objects none met before nor twice as "o" (each registered in the
 * memo as its row, so that a record held in two places is one after the restore), or with such records as "x"; else
 * "w".
 */
function encodeColumn(values: readonly unknown[], context: ColumnContext): Column {
  const n = values.length;
  let primitives = true;
  let stringsOrNull = true;
  let ints = true;
  let numbersOrNull = true;
  let nulls = 0;
  let booleans = true;
  for (let i = 0; i < n; i++) {
    const value = values[i];
    const type = typeof value;
    if (!isPrimitive(value)) primitives = false;
    if (value === null) nulls++;
    else {
      if (type !== "string") stringsOrNull = false;
      if (type !== "number") numbersOrNull = false;
    }
    if (ints && !isInt(value)) ints = false;
    if (type !== "boolean") booleans = false;
  }
  if (stringsOrNull && nulls < n) return stringColumn(values as readonly (string | null)[], context.strings);
  if (ints) {
    const packed = encodeInts(values as number[]);
    if (packed !== null) return ["i", packed];
  }
  if (numbersOrNull && nulls === 0) return ["f", Float64Array.from(values as number[])];
  if (numbersOrNull && nulls < n) {
    const present = (values as (number | null)[]).filter((value) => value !== null);
    return [
      "n",
      codes(values.map((value) => (value === null ? 1 : 0))),
      encodeColumn(present, context) as ["i", Ints] | ["f", Float64Array],
    ];
  }
  if (booleans) return ["b", codes((values as boolean[]).map((value) => (value ? 1 : 0)))];
  if (primitives) return ["a", values.slice()];
  return rowsColumn(values, context) ?? objectColumn(values, context) ?? ["w", values.map(context.wrap)];
}

/** Strings (or null) as "s", or as "id" when most are distinct (ids made by a counter). */
function stringColumn(values: readonly (string | null)[], strings: Strings): Column {
  const n = values.length;
  const local = new Map<string | null, number>();
  const at = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    let code = local.get(value);
    if (code === undefined) {
      code = local.size;
      local.set(value, code);
    }
    at[i] = code;
  }
  const dictOf = (texts: Iterable<string | null>): Int32Array =>
    Int32Array.from(texts, (text) => (text === null ? -1 : strings.of(text)));
  if (local.size < ID_DISTINCT_MIN || local.size * ID_DISTINCT_SHARE < n) return ["s", dictOf(local.keys()), codes(at)];
  const stems = new Map<string | null, number>();
  const stemAt = new Uint32Array(n);
  const numbers = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    const [stem, number] = value === null ? [null, null] : idParts(value);
    let code = stems.get(stem);
    if (code === undefined) {
      code = stems.size;
      stems.set(stem, code);
    }
    stemAt[i] = code;
    numbers[i] = number ?? -1;
  }
  const packed = encodeInts(numbers);
  if (packed === null) return ["s", dictOf(local.keys()), codes(at)];
  return ["id", dictOf(stems.keys()), codes(stemAt), packed];
}

/** `values` as rows of one "o" column written before, or null when they are not all such rows. */
function rowsColumn(values: readonly unknown[], context: ColumnContext): Column | null {
  const rows = new Uint32Array(values.length);
  let column: ObjectColumn | null = null;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const wrapped = typeof value === "object" && value !== null ? context.memo.get(value) : undefined;
    if (wrapped === undefined || wrapped[0] !== "R" || (column !== null && wrapped[1] !== column)) return null;
    column = wrapped[1];
    rows[i] = wrapped[2];
  }
  return column === null ? null : ["r", column, codes(rows)];
}

/** Whether `value` can be a row of a new "o" column: a plain object without symbols or a "__proto__" field. */
function isNewRecord(value: unknown, context: ColumnContext): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  // Written back by assignment, which "__proto__" would not survive.
  return (
    !context.memo.has(value) && Object.getOwnPropertySymbols(value).length === 0 && !Object.hasOwn(value, "__proto__")
  );
}

/**
 * `values` as an "o" column when each is a record met for the first time here (and once); as "x" when some are rows
 * of "o" columns written before and the others such records (they make a new "o" column, the last source; one met
 * twice is one row); null when one is neither.
 */
function objectColumn(values: readonly unknown[], context: ColumnContext): Column | null {
  const n = values.length;
  const fresh: Record<string, unknown>[] = [];
  const freshRow = new Map<object, number>();
  const sources = new Map<ObjectColumn, number>();
  const which = new Uint32Array(n);
  const rows = new Uint32Array(n);
  let old = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i];
    const wrapped = typeof value === "object" && value !== null ? context.memo.get(value) : undefined;
    if (wrapped !== undefined) {
      if (wrapped[0] !== "R") return null;
      let source = sources.get(wrapped[1]);
      if (source === undefined) {
        source = sources.size;
        sources.set(wrapped[1], source);
      }
      which[i] = source;
      rows[i] = wrapped[2];
      old++;
      continue;
    }
    if (!isNewRecord(value, context)) return null;
    let row = freshRow.get(value);
    if (row === undefined) {
      row = fresh.length;
      fresh.push(value);
      freshRow.set(value, row);
    }
    which[i] = -1;
    rows[i] = row;
  }
  if (old === 0 && fresh.length === n) return recordsColumn(fresh, context);
  const known = [...sources.keys()];
  if (fresh.length > 0) {
    for (let i = 0; i < n; i++) if (which[i] === 0xffffffff) which[i] = known.length;
    known.push(recordsColumn(fresh, context));
  }
  return ["x", known, codes(which), codes(rows)];
}

/** `records` (each met for the first time, once) as an "o" column, each registered in the memo as its row. */
function recordsColumn(records: readonly Record<string, unknown>[], context: ColumnContext): ObjectColumn {
  const shapeKeys = new Map<string, number>();
  const groups: { fields: string[]; rows: Record<string, unknown>[] }[] = [];
  const shapes = new Uint32Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const fields = Object.keys(records[i]!);
    const key = fields.join("\0");
    let group = shapeKeys.get(key);
    if (group === undefined) {
      group = groups.length;
      shapeKeys.set(key, group);
      groups.push({ fields, rows: [] });
    }
    shapes[i] = group;
    groups[group]!.rows.push(records[i]!);
  }
  const written: ObjectColumn[2] = [];
  const column: ObjectColumn = ["o", codes(shapes), written];
  // Registered before their fields are written: a field that leads back to one of them is a reference to its row.
  for (let i = 0; i < records.length; i++) context.memo.set(records[i]!, ["R", column, i]);
  for (const { fields, rows } of groups) {
    written.push([
      fields,
      fields.map((field) =>
        encodeColumn(
          rows.map((row) => row[field]),
          context,
        ),
      ),
    ]);
  }
  return column;
}

/**
 * Serialises the read models reachable from `roots`. `fresh` are read models built by the same constructors with the
 * same options (the restore's starting point): they tell which classes can be named. Throws `ViewSnapshotError` with
 * the reason when something cannot be captured faithfully.
 */
export function captureViews(roots: readonly unknown[], fresh: readonly unknown[]): Buffer {
  const registry = classRegistry(fresh);
  const memo = new Map<object, Wrapped>();
  const strings = new Strings();
  /**
   * `values` as a table (memoised as `value`), or null when they are too few or too unlike (a value written by "w")
   * and are written value by value, whose errors name their place.
   */
  const table = (
    value: object,
    tag: Table[0],
    keys: readonly unknown[] | null,
    values: readonly unknown[] | null,
    here: Path,
  ): Table | null => {
    const rows = (keys ?? values)!.length;
    if (rows < TABLE_ROWS_MIN) return null;
    if (keys !== null) for (const key of keys) if (!isPrimitive(key)) return null;
    if (values !== null && !isPrimitive(values[0]) && !isPlainObject(values[0])) {
      const first = memo.get(values[0] as object);
      if (first === undefined || first[0] !== "R") return null;
    }
    const context: ColumnContext = { strings, memo, wrap: (item) => wrap(item, here, " item", null) };
    const wrapped: Table = [tag, keys === null ? null : encodeColumn(keys, context), null, rows];
    memo.set(value, wrapped);
    if (values !== null) {
      const column = encodeColumn(values, context);
      if (column[0] === "w") {
        memo.delete(value);
        return null;
      }
      wrapped[2] = column;
    }
    return wrapped;
  };
  const wrap = (value: unknown, parent: Path, step: Step, at: unknown): unknown => {
    if (typeof value === "function") return ["F"] satisfies Wrapped;
    if (value === null || typeof value !== "object") {
      if (typeof value === "symbol") throw new ViewSnapshotError(`${pathText(placeOf(parent, step, at))} is a symbol`);
      return value;
    }
    const known = memo.get(value);
    if (known !== undefined) return known;
    if (isClonedAsIs(value)) {
      const wrapped: Wrapped = ["V", value];
      memo.set(value, wrapped);
      return wrapped;
    }
    if (Object.getOwnPropertySymbols(value).length > 0)
      throw new ViewSnapshotError(`${pathText(placeOf(parent, step, at))} has symbol keys`);
    if (value instanceof Map) {
      if (Object.getPrototypeOf(value) !== Map.prototype)
        throw new ViewSnapshotError(`${pathText(placeOf(parent, step, at))} is a subclass of Map`);
      const here = placeOf(parent, step, at);
      if (value.size >= TABLE_ROWS_MIN) {
        const tabled = table(value, "TM", [...value.keys()], [...value.values()], here);
        if (tabled !== null) return tabled;
      }
      const entries: [unknown, unknown][] = [];
      const wrapped: Wrapped = ["M", entries];
      memo.set(value, wrapped);
      for (const [k, v] of value) entries.push([wrap(k, here, " key", null), wrap(v, here, ".get(", k)]);
      return wrapped;
    }
    if (value instanceof Set) {
      if (Object.getPrototypeOf(value) !== Set.prototype)
        throw new ViewSnapshotError(`${pathText(placeOf(parent, step, at))} is a subclass of Set`);
      const here = placeOf(parent, step, at);
      if (value.size >= TABLE_ROWS_MIN) {
        const tabled = table(value, "TS", [...value], null, here);
        if (tabled !== null) return tabled;
      }
      const items: unknown[] = [];
      const wrapped: Wrapped = ["S", items];
      memo.set(value, wrapped);
      for (const v of value) items.push(wrap(v, here, " item", null));
      return wrapped;
    }
    if (Array.isArray(value)) {
      if (Object.getPrototypeOf(value) !== Array.prototype)
        throw new ViewSnapshotError(`${pathText(placeOf(parent, step, at))} is a subclass of Array`);
      const here = placeOf(parent, step, at);
      if (value.length >= TABLE_ROWS_MIN && isDense(value)) {
        const tabled = table(value, "TA", null, value, here);
        if (tabled !== null) return tabled;
      }
      const items: unknown[] = new Array(value.length);
      const wrapped: Wrapped = ["A", items];
      memo.set(value, wrapped);
      for (let i = 0; i < value.length; i++) items[i] = wrap(value[i], here, "[", i);
      return wrapped;
    }
    const prototype = Object.getPrototypeOf(value) as object | null;
    const fields: Record<string, unknown> = {};
    let wrapped: Wrapped;
    if (prototype === Object.prototype || prototype === null) {
      if (prototype === null)
        throw new ViewSnapshotError(`${pathText(placeOf(parent, step, at))} is an object without a prototype`);
      wrapped = ["O", fields];
    } else {
      const key = cachedClassKey(prototype);
      if (registry.get(key) !== prototype) {
        throw new ViewSnapshotError(
          `${pathText(placeOf(parent, step, at))} is an instance of ${key || "an anonymous class"}, which the restore cannot find (export it from a module of CLASS_MODULES)`,
        );
      }
      wrapped = ["C", key, fields];
    }
    memo.set(value, wrapped);
    const here = placeOf(parent, step, at);
    for (const key of Object.keys(value)) fields[key] = wrap((value as Record<string, unknown>)[key], here, ".", key);
    return wrapped;
  };
  const wrappedRoots = roots.map((root, i) => wrap(root, `root${i}`, null, null));
  return serialize([FORMAT, codeVersion(), wrappedRoots, strings.list]);
}

/**
 * Restores serialised read models into `fresh` (read models just built by their constructors with the options of the
 * capture, one per root, in the same order), which it changes in place. Throws `ViewSnapshotError` when the data
 * does not fit (then `fresh` is half-restored: build new ones and replay the journal).
 */
export function restoreViews(data: Uint8Array, fresh: readonly object[]): void {
  const restorer = viewsRestorer(data, fresh);
  for (let i = 0; i < fresh.length; i++) restorer.root(i, restorer.unwrap(restorer.roots[i], fresh[i], `root${i}`));
}

/** How many levels of fields below each root `restoreViewsInSteps` restores one by one (root, view, its fields). */
const RESTORE_STEP_LEVELS = 3;

/**
 * `restoreViews` in steps, with `turn` awaited after each: the fields of each root, and of the class instances they
 * hold, down to `RESTORE_STEP_LEVELS`, are restored one at a time (each one's whole graph at once). For read models
 * loaded behind a serving exchange: the restore of a large snapshot is about a second of CPU, and the event loop (order
 * entry, served meanwhile) turns between the steps. Nothing may read `fresh` before it resolves (the exchange refuses
 * every read of loading read models); the result is the same as `restoreViews`'.
 */
export async function restoreViewsInSteps(
  data: Uint8Array,
  fresh: readonly object[],
  turn: () => Promise<void>,
): Promise<void> {
  const restorer = viewsRestorer(data, fresh);
  for (let i = 0; i < fresh.length; i++) {
    restorer.root(i, await restorer.unwrapInSteps(restorer.roots[i], fresh[i], `root${i}`, RESTORE_STEP_LEVELS, turn));
  }
}

/** The checks of a snapshot's data, and the walk that puts it back, shared by the restore and its stepped form. */
function viewsRestorer(data: Uint8Array, fresh: readonly object[]) {
  const registry = classRegistry(fresh);
  let whole: unknown;
  try {
    whole = deserialize(data);
  } catch (error) {
    throw new ViewSnapshotError(`the data cannot be read: ${(error as Error).message}`);
  }
  if (!Array.isArray(whole) || whole[0] !== FORMAT) throw new ViewSnapshotError(`it is not in the format ${FORMAT}`);
  if (whole[1] !== codeVersion()) throw new ViewSnapshotError("it was written by other code of the read models");
  const wrappedRoots: unknown = whole[2];
  if (!Array.isArray(wrappedRoots) || wrappedRoots.length !== fresh.length) {
    throw new ViewSnapshotError(`the snapshot holds ${String((wrappedRoots as unknown[])?.length)} roots`);
  }
  const strings: unknown = whole[3];
  if (!Array.isArray(strings) || !strings.every((text) => typeof text === "string")) {
    throw new ViewSnapshotError("the snapshot's table of strings is not a list of strings");
  }
  const memo = new Map<unknown[], unknown>();
  const string = (at: number, path: string): string => {
    const text = (strings as string[])[at];
    if (text === undefined) throw new ViewSnapshotError(`${path}: string ${at} is not in the snapshot's table`);
    return text;
  };
  /** Each "o" column's records by the column, made once (a record met again, "R", "r", "x", is one of them). */
  const records = new Map<unknown[], Record<string, unknown>[]>();
  const recordsOf = (column: unknown, path: string): Record<string, unknown>[] => {
    if (!Array.isArray(column) || column[0] !== "o") throw new ViewSnapshotError(`${path}: a row of no records`);
    const known = records.get(column);
    if (known !== undefined) return known;
    const [, shapesInts, groups] = column as ObjectColumn;
    if (!Array.isArray(groups)) throw new ViewSnapshotError(`${path}: records without their shapes`);
    const shapes = intsOf(shapesInts, null, `${path} shapes`);
    const rows = shapes.length;
    const shapeFields = groups.map((entry) => {
      const [fields, columns] = Array.isArray(entry) ? entry : [];
      if (!Array.isArray(fields) || !Array.isArray(columns) || columns.length !== fields.length)
        throw new ViewSnapshotError(`${path}: records whose columns are not their fields`);
      if (fields.some((field) => typeof field !== "string" || field === "__proto__"))
        throw new ViewSnapshotError(`${path}: records with a field that cannot be written back`);
      return fields as string[];
    });
    // Each row is made by its shape's maker (`recordMaker`): one object literal with every field at once, the
    // primitives' values read from their columns, decoded first (they cannot lead back to a record); fields that
    // hold objects are filled once every row is made and kept, so that one leading back to a row (a cycle) finds it.
    const values: ArrayLike<unknown>[][] = groups.map((entry, g) => {
      const columns = (entry as ObjectColumn[2][number])[1];
      const count = countOf(shapes, g);
      return shapeFields[g]!.map((field, f) =>
        isPrimitiveColumn(columns[f]) ? decodeLike(columns[f], count, `${path}.${String(field)}`) : NO_VALUES,
      );
    });
    const makers = shapeFields.map(recordMaker);
    const made: Record<string, unknown>[] = new Array(rows);
    const byGroup: Record<string, unknown>[][] = groups.map(() => []);
    const next = new Uint32Array(groups.length);
    for (let r = 0; r < rows; r++) {
      const g = shapes[r]!;
      const make = makers[g];
      if (make === undefined) throw new ViewSnapshotError(`${path}: row ${r} has shape ${g}, not one of its`);
      const record = make(values[g]!, next[g]!++);
      made[r] = record;
      byGroup[g]!.push(record);
    }
    records.set(column, made);
    groups.forEach((entry, g) => {
      const fields = shapeFields[g]!;
      const columns = (entry as ObjectColumn[2][number])[1];
      const group = byGroup[g]!;
      fields.forEach((field, f) => {
        if (isPrimitiveColumn(columns[f])) return;
        const values = decode(columns[f], group.length, `${path}.${String(field)}`);
        for (let r = 0; r < group.length; r++) group[r]![field] = values[r];
      });
    });
    return made;
  };
  /**
   * The ids made so far of each stem, by number: an id kept by five views is made once (one string in memory, as
   * before the snapshot), not once per column.
   */
  const idsByStem = new Map<string, (string | undefined)[]>();
  const idsOfStem = (stem: string): (string | undefined)[] => {
    let ids = idsByStem.get(stem);
    if (ids === undefined) {
      // By number in an array: the numbers of a counter's ids are mostly dense, and an array finds them faster than
      // a Map (a number beyond an array's indexes is still found, as a named field).
      ids = [];
      idsByStem.set(stem, ids);
    }
    return ids;
  };
  /** The list of strings of an "s" or "id" column (-1: null), each checked to name one of the snapshot's. */
  const dictOf = (dict: unknown, path: string): (string | null)[] => {
    if (!(dict instanceof Int32Array)) throw new ViewSnapshotError(`${path}: a column without its strings`);
    return Array.from(dict, (at) => (at === -1 ? null : string(at, path)));
  };
  /** Looks each code up in `list`, checking it names one. */
  const lookUp = <T>(list: readonly T[], at: ArrayLike<number>, path: string): T[] => {
    const values: T[] = new Array(at.length);
    for (let i = 0; i < at.length; i++) {
      const code = at[i]!;
      if (code >= list.length) throw new ViewSnapshotError(`${path}: code ${code} is not in its list`);
      values[i] = list[code]!;
    }
    return values;
  };
  /** `decode`, but integers and other numbers as the typed arrays they are read into (no array made of them). */
  const decodeLike = (column: unknown, rows: number, path: string): ArrayLike<unknown> => {
    if (Array.isArray(column) && column[0] === "i") return intsOf(column[1], rows, path);
    if (Array.isArray(column) && column[0] === "f" && column[1] instanceof Float64Array && column[1].length === rows)
      return column[1];
    return decode(column, rows, path);
  };
  const decode = (column: unknown, rows: number, path: string): unknown[] => {
    if (!Array.isArray(column)) throw new ViewSnapshotError(`${path}: not a column`);
    const [kind, data] = column as Column;
    const notLong = () => new ViewSnapshotError(`${path}: a column of ${kind} that is not ${rows} long`);
    switch (kind) {
      case "s":
        return lookUp(dictOf(data, path), intsOf(column[2], rows, path), path);
      case "id": {
        const stemList = dictOf(data, path);
        const made = stemList.map((stem) => (stem === null ? null : idsOfStem(stem)));
        const stems = intsOf(column[2], rows, path);
        const numbers = intsOf(column[3], rows, path);
        const values: (string | null)[] = new Array(rows);
        for (let i = 0; i < rows; i++) {
          const code = stems[i]!;
          if (code >= stemList.length) throw new ViewSnapshotError(`${path}: code ${code} is not in its list`);
          const stem = stemList[code]!;
          const number = numbers[i]!;
          if (stem === null || number === -1) values[i] = stem;
          else {
            const ids = made[code]!;
            let id = ids[number];
            if (id === undefined) {
              id = `${stem}${number}`;
              ids[number] = id;
            }
            values[i] = id;
          }
        }
        return values;
      }
      case "i": {
        const ints = intsOf(data, rows, path);
        const values: number[] = new Array(ints.length);
        for (let i = 0; i < ints.length; i++) values[i] = ints[i]!;
        return values;
      }
      case "f":
        if (!(data instanceof Float64Array) || data.length !== rows) throw notLong();
        return Array.from(data);
      case "n": {
        const isNull = intsOf(data, rows, path);
        let present = 0;
        for (let i = 0; i < rows; i++) if (isNull[i] === 0) present++;
        const numbers = decode(column[2], present, path);
        if (numbers.some((value) => typeof value !== "number"))
          throw new ViewSnapshotError(`${path}: numbers or null that are not numbers`);
        const values: unknown[] = new Array(rows);
        let next = 0;
        for (let i = 0; i < rows; i++) values[i] = isNull[i] === 0 ? numbers[next++] : null;
        return values;
      }
      case "b": {
        const bits = intsOf(data, rows, path);
        const values: boolean[] = new Array(bits.length);
        for (let i = 0; i < bits.length; i++) values[i] = bits[i] !== 0;
        return values;
      }
      case "a":
        if (!Array.isArray(data) || data.length !== rows) throw notLong();
        return (data as unknown[]).slice();
      case "o": {
        const made = recordsOf(column, path);
        if (made.length !== rows) throw notLong();
        return made;
      }
      case "r":
        return lookUp(recordsOf(data, path), intsOf(column[2], rows, path), path);
      case "x": {
        if (!Array.isArray(data)) throw new ViewSnapshotError(`${path}: records of no columns`);
        const sources = data.map((source) => recordsOf(source, path));
        const which = intsOf(column[2], rows, path);
        const at = intsOf(column[3], rows, path);
        const values: unknown[] = new Array(rows);
        for (let i = 0; i < rows; i++) {
          const row = sources[which[i]!]?.[at[i]!];
          if (row === undefined) throw new ViewSnapshotError(`${path}: row ${at[i]} is not in its records`);
          values[i] = row;
        }
        return values;
      }
      case "w":
        if (!Array.isArray(data) || data.length !== rows) throw notLong();
        return (data as unknown[]).map((item, i) => unwrap(item, undefined, [path, "[", i]));
      default:
        throw new ViewSnapshotError(`${path}: unknown column kind ${String(kind)}`);
    }
  };
  const unwrap = (wrapped: unknown, current: unknown, at: Path): unknown => {
    if (wrapped === null || typeof wrapped !== "object") return wrapped;
    if (!Array.isArray(wrapped)) throw new ViewSnapshotError(`${pathText(at)}: not a wrapped value`);
    if (memo.has(wrapped)) return memo.get(wrapped);
    const tag = wrapped[0] as Wrapped[0];
    switch (tag) {
      case "F": {
        if (typeof current !== "function")
          throw new ViewSnapshotError(`${pathText(at)}: a function with nothing to take its place`);
        memo.set(wrapped, current);
        return current;
      }
      case "V": {
        const value = wrapped[1];
        if (isPlainObject(value) && isPlainObject(current)) {
          // Kept in place (a root, or an object a constructor shares): its fields replaced by the snapshot's.
          for (const key of Object.keys(current)) if (!(key in value)) delete current[key];
          Object.assign(current, value);
          memo.set(wrapped, current);
          return current;
        }
        memo.set(wrapped, value);
        return value;
      }
      case "A": {
        const items = wrapped[1] as unknown[];
        const target: unknown[] = new Array(items.length);
        memo.set(wrapped, target);
        const currentItems = Array.isArray(current) ? current : [];
        for (let i = 0; i < items.length; i++) target[i] = unwrap(items[i], currentItems[i], [at, "[", i]);
        return target;
      }
      case "M": {
        const target = new Map<unknown, unknown>();
        memo.set(wrapped, target);
        const currentMap = current instanceof Map ? current : null;
        for (const [k, v] of wrapped[1] as [unknown, unknown][]) {
          const key = unwrap(k, undefined, [at, " key", null]);
          target.set(key, unwrap(v, currentMap?.get(key), [at, ".get(", key]));
        }
        return target;
      }
      case "S": {
        const target = new Set<unknown>();
        memo.set(wrapped, target);
        for (const v of wrapped[1] as unknown[]) target.add(unwrap(v, undefined, [at, " item", null]));
        return target;
      }
      case "O":
      case "C": {
        const prototype = tag === "O" ? Object.prototype : registry.get(wrapped[1] as string);
        if (prototype === undefined || prototype === AMBIGUOUS) {
          throw new ViewSnapshotError(`${pathText(at)}: class ${String(wrapped[1])} is not known to this version`);
        }
        const fields = (tag === "O" ? wrapped[1] : wrapped[2]) as Record<string, unknown>;
        const reuse =
          current !== null && typeof current === "object" && Object.getPrototypeOf(current) === prototype
            ? (current as Record<string, unknown>)
            : null;
        const target = reuse ?? (Object.create(prototype) as Record<string, unknown>);
        memo.set(wrapped, target);
        if (reuse !== null) {
          for (const key of Object.keys(reuse)) if (!(key in fields)) delete reuse[key];
        }
        for (const key of Object.keys(fields)) {
          target[key] = unwrap(fields[key], reuse?.[key], [at, ".", key]);
        }
        return target;
      }
      case "TM":
      case "TS":
      case "TA": {
        const [, keysColumn, valuesColumn, rows] = wrapped as Table;
        if (!Number.isSafeInteger(rows) || rows < 0)
          throw new ViewSnapshotError(`${pathText(at)}: a table without its rows`);
        let target: unknown;
        if (tag === "TS") target = new Set(decode(keysColumn, rows, pathText([at, " item", null])));
        else {
          const values = decode(valuesColumn, rows, pathText(at));
          if (tag === "TA") target = values;
          else {
            const keys = decode(keysColumn, rows, pathText([at, " key", null]));
            const map = new Map<unknown, unknown>();
            const currentMap = current instanceof Map ? current : null;
            // Nothing to keep in place in an empty Map (the fresh read models' are): only the entries to set.
            const made =
              valuesColumn?.[0] === "o" && currentMap !== null && currentMap.size > 0
                ? records.get(valuesColumn)!
                : null;
            if (made === null) for (let r = 0; r < rows; r++) map.set(keys[r], values[r]);
            else
              for (let r = 0; r < rows; r++) {
                const kept = currentMap!.get(keys[r]);
                if (isPlainObject(kept) && kept !== values[r]) {
                  // Kept in place, as a record cloned as is ("V"): its fields replaced by the snapshot's.
                  const row = values[r] as Record<string, unknown>;
                  for (const key of Object.keys(kept)) if (!(key in row)) delete kept[key];
                  Object.assign(kept, row);
                  values[r] = kept;
                  made[r] = kept;
                }
                map.set(keys[r], values[r]);
              }
            target = map;
          }
        }
        memo.set(wrapped, target);
        return target;
      }
      case "R": {
        const row = recordsOf(wrapped[1], pathText(at))[wrapped[2] as number];
        if (row === undefined)
          throw new ViewSnapshotError(`${pathText(at)}: row ${String(wrapped[2])} is not in its records`);
        memo.set(wrapped, row);
        return row;
      }
      default:
        throw new ViewSnapshotError(`${pathText(at)}: unknown tag ${String(tag)}`);
    }
  };
  /**
   * `unwrap`, but a class instance kept in place ("C" over an object of its class) has its fields restored one at a
   * time, `turn` awaited after each, and `levels - 1` levels below it the same way; anything else whole, by `unwrap`.
   * The same checks and the same result as `unwrap` (its "C" case, step by step).
   */
  const unwrapInSteps = async (
    wrapped: unknown,
    current: unknown,
    path: string,
    levels: number,
    turn: () => Promise<void>,
  ): Promise<unknown> => {
    if (levels <= 0 || !Array.isArray(wrapped) || wrapped[0] !== "C" || memo.has(wrapped)) {
      return unwrap(wrapped, current, path);
    }
    const prototype = registry.get(wrapped[1] as string);
    if (prototype === undefined || prototype === AMBIGUOUS) {
      throw new ViewSnapshotError(`${path}: class ${String(wrapped[1])} is not known to this version`);
    }
    if (current === null || typeof current !== "object" || Object.getPrototypeOf(current) !== prototype) {
      return unwrap(wrapped, current, path);
    }
    const fields = wrapped[2] as Record<string, unknown>;
    const target = current as Record<string, unknown>;
    memo.set(wrapped, target);
    for (const key of Object.keys(target)) if (!(key in fields)) delete target[key];
    for (const key of Object.keys(fields)) {
      target[key] = await unwrapInSteps(fields[key], target[key], `${path}.${key}`, levels - 1, turn);
      await turn();
    }
    return target;
  };
  const roots = wrappedRoots as unknown[];
  const root = (i: number, restored: unknown): void => {
    if (restored !== fresh[i]) throw new ViewSnapshotError(`root${i} is not the kind of read model given`);
  };
  return { roots, unwrap, unwrapInSteps, root };
}
