/**
 * `node --import tsx bench/event-text.ts`: would hand-written serialisers of the order path's events beat
 * `JSON.stringify` on the main thread? The journal stores each command's events as `JSON.stringify(events)` (hashed,
 * MAC'd, and compared with a replay's by `verify`), so a faster writer would have to give exactly those bytes.
 *
 * The writer here does: one per event type (orders, trades, obligations, ledger postings, rejections), made from a
 * shape that lists the event's properties in the order the engine's object literals make them (`satisfies Shape<...>`
 * makes the compiler refuse a shape that misses a property of the type or names one it lacks). It writes plain ASCII
 * straight into one buffer used again and reads it back as one flat Latin-1 string; a string with anything JSON
 * escapes or anything past ASCII, a value not of its kind, or a type without a shape sends the whole list to
 * `JSON.stringify`, so the result is always `JSON.stringify(events)`.
 *
 * It prints, over bench/core.ts's seeded workload (setup and `BENCH_CORE_ORDERS` orders, default 200,000), how many
 * lists differ from `JSON.stringify` (must be 0), and the main thread's CPU per command (least of `BENCH_PARTS_ROUNDS`,
 * default 3) of each serialiser followed by the UTF-8 write into a buffer that the journal's packing does (a string
 * made of many pieces is flattened there, so the write belongs to the comparison).
 *
 * Measured on Node 20.20 (V8 11.3), 6 December 2026: JSON.stringify + write 2.7–3.1 µs a command, this writer 3.4–4.0 µs;
 * a variant concatenating template strings (escape test by regular expression) 2.3–2.5 µs against 2.8–3.3 µs before
 * the write but 3.5–3.8 µs against 3.0–3.2 µs with it (flattening its many pieces). V8's serialiser of plain objects is the faster one
 * here, so the journal keeps `JSON.stringify`; this stays to measure again on a newer Node.
 */

import { readFileSync } from "node:fs";
import type { LedgerPostedEvent, Obligation, ObligationEvent } from "../src/engine/clearing.ts";
import type { Command } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import type {
  AcceptedEvent,
  AmendedEvent,
  CancelledEvent,
  DuplicateEvent,
  EngineEvent,
  RejectedEvent,
  RestedEvent,
  TradeEvent,
} from "../src/engine/events.ts";
import type { Transfer } from "../src/engine/ledger.ts";
import { orders, setup } from "./core-workload.ts";

/**
 * The bytes being written: one buffer for the whole process, used again for every list. Only ASCII is written here,
 * so the text is read back as Latin-1, one byte a character, into a flat string.
 */
let bytes = Buffer.allocUnsafeSlow(1 << 16);
let at = 0;

/** Makes room for `count` more bytes. */
function room(count: number): void {
  if (at + count <= bytes.length) return;
  const bigger = Buffer.allocUnsafeSlow(Math.max(bytes.length * 2, at + count));
  bytes.copy(bigger, 0, 0, at);
  bytes = bigger;
}

/**
 * Writes a value; false when it is not of its kind or needs more than plain ASCII (the list then goes to
 * `JSON.stringify`).
 */
type Writer = (value: unknown) => boolean;

/** Writes a string that JSON writes as it is: printable ASCII without a quote or backslash. */
function writeString(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const length = value.length;
  room(length + 2);
  const b = bytes;
  let p = at;
  b[p++] = QUOTE;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    // Control characters, the quote, the backslash and DEL and above (escaped, or not one byte in UTF-8).
    if (c < 0x20 || c === QUOTE || c === BACKSLASH || c > 0x7e) return false;
    b[p++] = c;
  }
  b[p++] = QUOTE;
  at = p;
  return true;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Writes a finite number as JSON does: `String(n)` (-0 as "0"). */
function writeNumber(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && writeAscii(`${value}`);
}

/** Writes text known to be ASCII (a number's, a constant's). */
function writeAscii(text: string): boolean {
  const length = text.length;
  room(length);
  // A loop, not \`latin1Write\`: a call into C++ costs more than the few characters of a name.
  const b = bytes;
  let p = at;
  for (let i = 0; i < length; i++) b[p++] = text.charCodeAt(i);
  at = p;
  return true;
}

function writeBoolean(value: unknown): boolean {
  return value === true ? writeAscii("true") : value === false ? writeAscii("false") : false;
}

function writeNull(): boolean {
  return writeAscii("null");
}

/** A value of no fixed shape (a rejection's details) through `JSON.stringify`, when that is ASCII. */
function writeJson(value: unknown): boolean {
  if (value === undefined) return false;
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) return false;
  return writeAscii(text);
}

/**
 * How a property is written: a JSON scalar of the named kind; `json` by `JSON.stringify` (a value of no fixed shape,
 * e.g. a rejection's details); `absent` for an optional property that must be undefined (it is then left out, as JSON
 * leaves it out); or a writer of a nested shape.
 */
type Kind = "string" | "number" | "boolean" | "string|null" | "number|null" | "json" | "absent" | Writer;

/** Every property of `T`, each with a kind: a shape that misses one, or names one `T` lacks, does not compile. */
type Shape<T> = { readonly [K in keyof T]-?: Kind };

/**
 * A writer of one shape. Its code is made once, from the shape: one statement per property, writing the property's
 * name (a constant) and then its value, with no loop over properties at run time.
 */
function compile(shape: Readonly<Record<string, Kind>>): Writer {
  const helpers: Writer[] = [];
  const lines: string[] = ["if (v === null || typeof v !== 'object') return false;"];
  let first = true;
  for (const [key, kind] of Object.entries(shape)) {
    const read = `v[${JSON.stringify(key)}]`;
    if (kind === "absent") {
      lines.push(`if (${read} !== undefined) return false;`);
      continue;
    }
    const name = JSON.stringify(`${first ? "{" : ","}${JSON.stringify(key)}:`);
    first = false;
    lines.push(`h.ascii(${name});`);
    switch (kind) {
      case "string":
        lines.push(`if (!h.string(${read})) return false;`);
        break;
      case "number":
        lines.push(`if (!h.number(${read})) return false;`);
        break;
      case "boolean":
        lines.push(`if (!h.boolean(${read})) return false;`);
        break;
      case "json":
        lines.push(`if (!h.json(${read})) return false;`);
        break;
      case "string|null":
        lines.push(`if (${read} === null ? !h.null() : !h.string(${read})) return false;`);
        break;
      case "number|null":
        lines.push(`if (${read} === null ? !h.null() : !h.number(${read})) return false;`);
        break;
      default:
        helpers.push(kind);
        lines.push(`if (!h.nested[${helpers.length - 1}](${read})) return false;`);
    }
  }
  lines.push(first ? "return h.ascii('{}');" : "return h.ascii('}');");
  const make = new Function("h", `return function write(v) {\n${lines.join("\n")}\n};`) as (h: object) => Writer;
  return make({
    ascii: writeAscii,
    string: writeString,
    number: writeNumber,
    boolean: writeBoolean,
    json: writeJson,
    null: writeNull,
    nested: helpers,
  });
}

/** A writer of an array whose items are all written by `item`. */
function arrayOf(item: Writer): Writer {
  return (value) => {
    if (!Array.isArray(value)) return false;
    writeAscii("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) writeAscii(",");
      if (!item(value[i])) return false;
    }
    return writeAscii("]");
  };
}

// Shapes, properties in the order the engine's literals make them (market.ts, engine.ts, clearing.ts, ledger.ts,
// clearinghouse.ts).

const ACCEPTED = {
  type: "string",
  instrument: "string",
  orderId: "string",
  account: "string",
  side: "string",
  orderType: "string",
  price: "number|null",
  quantity: "number",
  tif: "string",
  expireAtMs: "number|null",
  postOnly: "boolean",
  stp: "string",
} as const satisfies Shape<AcceptedEvent>;

const RESTED = {
  type: "string",
  instrument: "string",
  orderId: "string",
  price: "number",
  open: "number",
} as const satisfies Shape<RestedEvent>;

const TRADE = {
  type: "string",
  instrument: "string",
  tradeId: "string",
  price: "number",
  quantity: "number",
  buyOrderId: "string",
  sellOrderId: "string",
  buyAccount: "string",
  sellAccount: "string",
  makerOrderId: "string|null",
  takerOrderId: "string|null",
  aggressor: "string|null",
  buyOpen: "number",
  sellOpen: "number",
} as const satisfies Shape<TradeEvent>;

const CANCELLED = {
  type: "string",
  instrument: "string",
  orderId: "string",
  account: "string",
  quantity: "number",
  reason: "string",
} as const satisfies Shape<CancelledEvent>;

const AMENDED = {
  type: "string",
  instrument: "string",
  orderId: "string",
  price: "number",
  open: "number",
  priorityKept: "boolean",
} as const satisfies Shape<AmendedEvent>;

const DUPLICATE = {
  type: "string",
  instrument: "string",
  orderId: "string",
  status: "string",
  open: "number",
  filled: "number",
} as const satisfies Shape<DuplicateEvent>;

const REJECTED = {
  type: "string",
  command: "string",
  orderId: "string|null",
  code: "string",
  message: "string",
  details: "json",
} as const satisfies Shape<RejectedEvent>;

const TRANSFER = {
  from: "string",
  to: "string",
  asset: "string",
  amount: "number",
} as const satisfies Shape<Transfer>;

const LEDGER_POSTED = {
  type: "string",
  reason: "string",
  ref: "string",
  transfers: arrayOf(compile(TRANSFER)),
} as const satisfies Shape<LedgerPostedEvent>;

const OBLIGATION = {
  id: "string",
  tradeId: "string",
  instrument: "string",
  basis: "string",
  buyer: "string",
  seller: "string",
  price: "number",
  quantity: "number",
  value: "number",
  collateral: "number",
  buyerFee: "number",
  sellerFee: "number",
  tradeTimeMs: "number",
  paymentDueMs: "number",
  deliveryDueMs: "number",
  buyerDefaultCollateralTo: "string",
  sellerPenaltyBps: "number",
  paid: "boolean",
  delivered: "boolean",
  status: "string",
  defaultedParty: "string|null",
} as const satisfies Shape<Obligation>;

/** `obligation.created` (clearing.ts `open`): the obligation only; the other events' optional fields are absent. */
const OBLIGATION_CREATED = {
  type: "string",
  obligation: compile(OBLIGATION),
  reason: "absent",
  rule: "absent",
  forfeitedTiyn: "absent",
  penaltyTiyn: "absent",
  claimTiyn: "absent",
} as const satisfies Shape<ObligationEvent>;

/** The event types written by hand, each by its shape's writer. */
const EVENT_TYPES_WRITTEN: ReadonlyMap<string, Writer> = new Map<EngineEvent["type"], Writer>([
  ["order.accepted", compile(ACCEPTED)],
  ["order.rested", compile(RESTED)],
  ["trade", compile(TRADE)],
  ["order.cancelled", compile(CANCELLED)],
  ["order.amended", compile(AMENDED)],
  ["order.duplicate", compile(DUPLICATE)],
  ["rejected", compile(REJECTED)],
  ["ledger.posted", compile(LEDGER_POSTED)],
  ["obligation.created", compile(OBLIGATION_CREATED)],
]);

/** `JSON.stringify(events)`, byte for byte: the event types in `EVENT_TYPES_WRITTEN` by their shapes. */
function eventsText(events: readonly EngineEvent[]): string {
  at = 0;
  writeAscii("[");
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (i > 0) writeAscii(",");
    const write = EVENT_TYPES_WRITTEN.get(event.type);
    // A type without a shape, a value not of its kind, a string that is not plain ASCII: the generic serialiser.
    if (write === undefined || !write(event)) return JSON.stringify(events);
  }
  writeAscii("]");
  return bytes.toString("latin1", 0, at);
}

const ORDERS = Number(process.env.BENCH_CORE_ORDERS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_PARTS_ROUNDS ?? 3);

/** CPU time of this process's main thread in nanoseconds (Linux), or NaN. */
function mainThreadCpuNs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]);
  } catch {
    return Number.NaN;
  }
}

function main(): void {
  const engine = new Engine();
  let timeMs = Date.UTC(2026, 0, 5, 6);
  let seq = 0;
  const lists = [...setup(), ...orders(ORDERS, 7)].map((command) =>
    engine.apply({ seq: ++seq, timeMs: timeMs++, command: JSON.parse(JSON.stringify(command)) as Command }),
  );
  let differing = 0;
  for (const events of lists) if (eventsText(events) !== JSON.stringify(events)) differing++;
  console.log(
    `${lists.length.toLocaleString("en-US")} commands; lists whose text differs from JSON.stringify's: ${differing}`,
  );
  const out = Buffer.allocUnsafeSlow(1 << 20);
  const serialisers: [string, (events: readonly EngineEvent[]) => string][] = [
    ["JSON.stringify + write", (events) => JSON.stringify(events)],
    ["hand-written + write", eventsText],
  ];
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, serialise] of serialisers) {
      const before = mainThreadCpuNs();
      for (const events of lists) out.write(serialise(events), 0, "utf8");
      const perCommandNs = (mainThreadCpuNs() - before) / lists.length;
      best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, perCommandNs));
    }
  }
  for (const [name, ns] of best) console.log(`  ${name.padEnd(24)} ${(ns / 1000).toFixed(2)} µs a command`);
}

main();
