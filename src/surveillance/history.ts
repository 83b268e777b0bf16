/**
 * The `sauda surveil FILE.jsonl` contract (issue 11; docs/surveillance.md): reading a market history, one JSON object
 * per line, into surveillance records, and writing an alert as one output line.
 *
 * Input lines (prices whole tenge per tonne, quantities whole tonnes, `time` ISO-8601 UTC with milliseconds,
 * `YYYY-MM-DDTHH:MM:SS.sssZ`): `member` {member, group?}, `account` {account, member}, `session` {session,
 * instrument, open, close, upperLimit?, lowerLimit?}, `order` {time, session, order, account, side, price, quantity},
 * `cancel` {time, order}, `amend` {time, order, price?, quantity?} (at least one; `quantity` is the new open
 * quantity), `trade` {time, session, buyOrder, sellOrder, price, quantity}.
 *
 * Promises: a line that breaks the format is refused with a `HistoryFormatError` naming its line number and what is
 * wrong, before anything of it reaches the detectors; every accepted line is turned into records that keep the
 * promises of records.ts. What "breaks the format" means beyond the fields' shapes (each rule here is written down in
 * docs/surveillance.md): an unknown field; a time before the previous line's time; a reference to a session or an
 * order not declared on an earlier line; a second declaration that contradicts the first (an account of
 * another member, a session declared twice); a session of an instrument beginning before the instrument's previous
 * session; a buy order given as a trade's `sellOrder` or the other way round; a trade between orders of different
 * instruments; a line about an order after its cancel; and a line about a session after its close — an order lives
 * within its session, each session being one trading day, so when a line's time passes a session's close, the session
 * ends (its per-session rules complete) and lines about it or its orders are refused from then on.
 * Not refused: an account whose member has no member line (the member is then a group of its own, until a member line
 * says otherwise), an order of an account with no account line (the account is then a member and a group of its own,
 * named by the account id), a trade larger than what its orders had open. Blank lines are skipped (a file may end
 * with a newline); a byte order mark before the first line is ignored.
 *
 * Complexity: O(1) per line, O(log sessions) to schedule a session's end. Memory: accounts, the sessions not
 * yet ended and their orders.
 */

import { ORDER_PRICE_MAX, ORDER_QUANTITY_MAX, SIDES, type Side } from "../domain/order.ts";
import { isoDateOfDay } from "../engine/calendar.ts";
import type { Alert } from "./alerts.ts";
import type { MarketRecord } from "./records.ts";

/** Longest line read, in characters: a history line is a few hundred at most. */
export const HISTORY_LINE_LENGTH_MAX = 65_536;
/** Longest id (member, group, account, session, instrument, order). */
export const HISTORY_ID_LENGTH_MAX = 256;
/** Highest price, tenge per tonne: the engine's highest price. */
export const HISTORY_PRICE_MAX_TENGE = ORDER_PRICE_MAX / 100;
/** Highest quantity, tonnes: the engine's largest order. */
export const HISTORY_QUANTITY_MAX_TONNES = ORDER_QUANTITY_MAX / 1000;

const TIYN_PER_TENGE = 100;
const KG_PER_TONNE = 1000;
const DAY_MS = 86_400_000;

export class HistoryFormatError extends Error {
  override name = "HistoryFormatError";
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const FIELDS = {
  member: { required: ["member"], optional: ["group"] },
  account: { required: ["account", "member"], optional: [] },
  session: { required: ["session", "instrument", "open", "close"], optional: ["upperLimit", "lowerLimit"] },
  order: { required: ["time", "session", "order", "account", "side", "price", "quantity"], optional: [] },
  cancel: { required: ["time", "order"], optional: [] },
  amend: { required: ["time", "order"], optional: ["price", "quantity"] },
  trade: { required: ["time", "session", "buyOrder", "sellOrder", "price", "quantity"], optional: [] },
} as const;
type LineType = keyof typeof FIELDS;
const LINE_TYPES = Object.keys(FIELDS) as LineType[];

interface SessionState {
  readonly id: string;
  readonly instrument: string;
  readonly openMs: number;
  readonly closeMs: number;
  readonly upper: number | null;
  readonly lower: number | null;
  readonly line: number;
  ended: boolean;
  readonly orders: string[];
}

interface OrderState {
  readonly id: string;
  readonly session: SessionState;
  readonly account: string;
  readonly side: Side;
  readonly enteredMs: number;
  readonly quantityKg: number;
  openKg: number;
  filledKg: number;
  /** The line of its cancel, once cancelled. */
  cancelledAt: number | null;
}

/** Reads history lines into records; refuses a bad line with `HistoryFormatError`. */
export class HistoryReader {
  private lineNumber = 0;
  private lastTimeMs = Number.NEGATIVE_INFINITY;
  private readonly accounts = new Map<string, string>();
  private readonly sessions = new Map<string, SessionState>();
  /** The open time of each instrument's latest session. */
  private readonly latestOpenMs = new Map<string, number>();
  /** Sessions not yet ended, by close time (then by declaration). */
  private readonly closing: SessionState[] = [];
  private readonly orders = new Map<string, OrderState>();

  constructor(private readonly emit: (record: MarketRecord) => void) {}

  /** Reads the next line (without its line break). */
  line(text: string): void {
    this.lineNumber++;
    if (text.length > HISTORY_LINE_LENGTH_MAX) {
      this.fail(`the line is ${text.length} characters long; at most ${HISTORY_LINE_LENGTH_MAX} are allowed`);
    }
    const body = this.lineNumber === 1 && text.startsWith("\uFEFF") ? text.slice(1) : text;
    if (body.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      this.fail(`not valid JSON (${(error as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail("not a JSON object");
    const fields = value as Record<string, unknown>;
    const type = fields.type;
    if (typeof type !== "string" || !(LINE_TYPES as string[]).includes(type)) {
      this.fail(`type ${show(type)} is not one of ${LINE_TYPES.join(", ")}`);
    }
    this.checkFields(type as LineType, fields);
    switch (type as LineType) {
      case "member":
        this.member(fields);
        return;
      case "account":
        this.account(fields);
        return;
      case "session":
        this.session(fields);
        return;
      case "order":
        this.order(fields);
        return;
      case "cancel":
        this.cancel(fields);
        return;
      case "amend":
        this.amend(fields);
        return;
      case "trade":
        this.trade(fields);
        return;
    }
  }

  /** The end of the input: ends the sessions still running; returns the last time seen. */
  end(): number {
    for (const session of [...this.closing]) this.endSession(session);
    this.closing.length = 0;
    return this.lastTimeMs;
  }

  private member(fields: Record<string, unknown>): void {
    const member = this.id(fields, "member");
    const group = fields.group === undefined || fields.group === null ? null : this.id(fields, "group");
    this.emit({ kind: "member", member, group });
  }

  private account(fields: Record<string, unknown>): void {
    const account = this.id(fields, "account");
    const member = this.id(fields, "member");
    const known = this.accounts.get(account);
    if (known !== undefined && known !== member) {
      this.fail(`account ${show(account)} was declared for member ${show(known)}; an account has one member`);
    }
    this.accounts.set(account, member);
    this.emit({ kind: "account", account, member });
  }

  private session(fields: Record<string, unknown>): void {
    const id = this.id(fields, "session");
    const instrument = this.id(fields, "instrument");
    const openMs = this.time(fields, "open");
    const closeMs = this.time(fields, "close");
    if (this.sessions.has(id))
      this.fail(`session ${show(id)} is declared twice (first on line ${this.sessions.get(id)!.line})`);
    if (closeMs < openMs) this.fail(`session ${show(id)} closes at ${isoUtc(closeMs)}, before it opens`);
    const upper = this.optionalPrice(fields, "upperLimit");
    const lower = this.optionalPrice(fields, "lowerLimit");
    if (upper !== null && lower !== null && upper < lower) {
      this.fail(`upperLimit ${fields.upperLimit} is below lowerLimit ${fields.lowerLimit}`);
    }
    const latest = this.latestOpenMs.get(instrument);
    if (latest !== undefined && openMs < latest) {
      this.fail(
        `session ${show(id)} opens at ${isoUtc(openMs)}, before the previous session of ${show(instrument)} (${isoUtc(latest)}); an instrument's sessions are given in time order`,
      );
    }
    this.latestOpenMs.set(instrument, openMs);
    const state: SessionState = {
      id,
      instrument,
      openMs,
      closeMs,
      upper,
      lower,
      line: this.lineNumber,
      ended: false,
      orders: [],
    };
    this.sessions.set(id, state);
    this.emit({
      kind: "session",
      session: id,
      instrument,
      openMs,
      closeMs,
      upperLimitTiynPerTonne: upper,
      lowerLimitTiynPerTonne: lower,
      basis: null,
    });
    if (closeMs < this.lastTimeMs) {
      // Declared after its close has passed: it counts among the instrument's sessions, and nothing can happen in it.
      this.endSession(state);
      return;
    }
    let at = this.closing.length;
    while (at > 0 && this.closing[at - 1]!.closeMs > closeMs) at--;
    this.closing.splice(at, 0, state);
  }

  private order(fields: Record<string, unknown>): void {
    const timeMs = this.advance(fields);
    const session = this.runningSession(fields, "session");
    const id = this.id(fields, "order");
    const account = this.id(fields, "account");
    const side = fields.side;
    if (!(SIDES as readonly unknown[]).includes(side)) this.fail(`side ${show(side)} is not 'buy' or 'sell'`);
    const price = this.price(fields, "price");
    const quantityKg = this.quantity(fields, "quantity");
    if (this.orders.has(id))
      this.fail(`order ${show(id)} is already in use in session ${show(this.orders.get(id)!.session.id)}`);
    this.orders.set(id, {
      id,
      session,
      account,
      side: side as Side,
      enteredMs: timeMs,
      quantityKg,
      openKg: quantityKg,
      filledKg: 0,
      cancelledAt: null,
    });
    session.orders.push(id);
    this.emit({
      kind: "order",
      timeMs,
      message: this.lineNumber,
      session: session.id,
      order: id,
      account,
      side: side as Side,
      priceTiynPerTonne: price,
      quantityKg,
      upperLimitTiynPerTonne: session.upper,
      lowerLimitTiynPerTonne: session.lower,
    });
  }

  private cancel(fields: Record<string, unknown>): void {
    const timeMs = this.advance(fields);
    const order = this.liveOrder(fields, "order");
    order.cancelledAt = this.lineNumber;
    this.emit({
      kind: "cancel",
      timeMs,
      message: this.lineNumber,
      session: order.session.id,
      order: order.id,
      account: order.account,
      side: order.side,
      orderSession: order.session.id,
      enteredMs: order.enteredMs,
      quantityEnteredKg: order.quantityKg,
      filledKg: order.filledKg,
    });
  }

  private amend(fields: Record<string, unknown>): void {
    const timeMs = this.advance(fields);
    const order = this.liveOrder(fields, "order");
    if (fields.price === undefined && fields.quantity === undefined)
      this.fail("an amend needs a price, a quantity or both");
    const price = fields.price === undefined ? null : this.price(fields, "price");
    const quantityKg = fields.quantity === undefined ? null : this.quantity(fields, "quantity");
    const addedKg = quantityKg === null ? 0 : Math.max(0, quantityKg - order.openKg);
    if (quantityKg !== null) order.openKg = quantityKg;
    this.emit({
      kind: "amend",
      timeMs,
      message: this.lineNumber,
      session: order.session.id,
      order: order.id,
      account: order.account,
      side: order.side,
      priceTiynPerTonne: price,
      quantityKg,
      addedKg,
    });
  }

  private trade(fields: Record<string, unknown>): void {
    const timeMs = this.advance(fields);
    const session = this.runningSession(fields, "session");
    const buy = this.liveOrder(fields, "buyOrder");
    const sell = this.liveOrder(fields, "sellOrder");
    if (buy.side !== "buy") this.fail(`buyOrder ${show(buy.id)} is a sell order`);
    if (sell.side !== "sell") this.fail(`sellOrder ${show(sell.id)} is a buy order`);
    for (const order of [buy, sell]) {
      if (order.session.instrument !== session.instrument) {
        this.fail(
          `order ${show(order.id)} is on instrument ${show(order.session.instrument)}, the trade's session ${show(session.id)} on ${show(session.instrument)}`,
        );
      }
    }
    const price = this.price(fields, "price");
    const quantityKg = this.quantity(fields, "quantity");
    for (const order of [buy, sell]) {
      order.filledKg += quantityKg;
      order.openKg = Math.max(0, order.openKg - quantityKg);
    }
    this.emit({
      kind: "trade",
      timeMs,
      session: session.id,
      trade: `line-${this.lineNumber}`,
      buyOrder: buy.id,
      sellOrder: sell.id,
      buyAccount: buy.account,
      sellAccount: sell.account,
      priceTiynPerTonne: price,
      quantityKg,
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Checks. Each refuses the line or returns the value in the engine's units.

  private fail(reason: string): never {
    throw new HistoryFormatError(this.lineNumber, reason);
  }

  private checkFields(type: LineType, fields: Record<string, unknown>): void {
    const { required, optional } = FIELDS[type];
    for (const name of required) {
      if (fields[name] === undefined) this.fail(`a ${type} line needs the field '${name}'`);
    }
    for (const name of Object.keys(fields)) {
      if (
        name !== "type" &&
        !(required as readonly string[]).includes(name) &&
        !(optional as readonly string[]).includes(name)
      ) {
        this.fail(`a ${type} line has no field '${name}'; its fields are ${[...required, ...optional].join(", ")}`);
      }
    }
  }

  private id(fields: Record<string, unknown>, name: string): string {
    const value = fields[name];
    if (typeof value !== "string" || value.length === 0 || value.length > HISTORY_ID_LENGTH_MAX) {
      this.fail(`${name} ${show(value)} is not an id: a string of 1 to ${HISTORY_ID_LENGTH_MAX} characters`);
    }
    return value;
  }

  private time(fields: Record<string, unknown>, name: string): number {
    const value = fields[name];
    const ms = typeof value === "string" ? parseIsoUtc(value) : null;
    if (ms === null)
      this.fail(`${name} ${show(value)} is not an ISO-8601 UTC time with milliseconds (YYYY-MM-DDTHH:MM:SS.sssZ)`);
    return ms;
  }

  /** Reads a timed line's time: never before the previous line's; ends the sessions whose close it passes. */
  private advance(fields: Record<string, unknown>): number {
    const timeMs = this.time(fields, "time");
    if (timeMs < this.lastTimeMs) {
      this.fail(
        `time ${isoUtc(timeMs)} is before the previous line's time ${isoUtc(this.lastTimeMs)}; the history must be in time order`,
      );
    }
    this.lastTimeMs = timeMs;
    let ended = 0;
    while (ended < this.closing.length && this.closing[ended]!.closeMs < timeMs)
      this.endSession(this.closing[ended++]!);
    if (ended > 0) this.closing.splice(0, ended);
    return timeMs;
  }

  private endSession(session: SessionState): void {
    session.ended = true;
    for (const id of session.orders) {
      if (this.orders.get(id)?.session === session) this.orders.delete(id);
    }
    session.orders.length = 0;
    this.emit({ kind: "sessionEnd", timeMs: session.closeMs, session: session.id });
  }

  private runningSession(fields: Record<string, unknown>, name: string): SessionState {
    const id = this.id(fields, name);
    const session = this.sessions.get(id);
    if (session === undefined) this.fail(`session ${show(id)} is not declared on an earlier line`);
    if (session.ended) {
      this.fail(
        `session ${show(id)} closed at ${isoUtc(session.closeMs)}, before this line's time ${isoUtc(this.lastTimeMs)}`,
      );
    }
    return session;
  }

  /** An order that may still be amended, cancelled or traded. */
  private liveOrder(fields: Record<string, unknown>, name: string): OrderState {
    const id = this.id(fields, name);
    const order = this.orders.get(id);
    if (order === undefined) {
      this.fail(
        `${name} ${show(id)} is not an order of a running session (orders are declared by order lines, and end with their session)`,
      );
    }
    if (order.cancelledAt !== null) this.fail(`order ${show(id)} was cancelled on line ${order.cancelledAt}`);
    return order;
  }

  private price(fields: Record<string, unknown>, name: string): number {
    const value = fields[name];
    if (!wholeIn(value, 1, HISTORY_PRICE_MAX_TENGE)) {
      this.fail(`${name} ${show(value)} is not a whole number of tenge per tonne from 1 to ${HISTORY_PRICE_MAX_TENGE}`);
    }
    return value * TIYN_PER_TENGE;
  }

  private optionalPrice(fields: Record<string, unknown>, name: string): number | null {
    return fields[name] === undefined || fields[name] === null ? null : this.price(fields, name);
  }

  private quantity(fields: Record<string, unknown>, name: string): number {
    const value = fields[name];
    if (!wholeIn(value, 1, HISTORY_QUANTITY_MAX_TONNES)) {
      this.fail(`${name} ${show(value)} is not a whole number of tonnes from 1 to ${HISTORY_QUANTITY_MAX_TONNES}`);
    }
    return value * KG_PER_TONNE;
  }
}

function wholeIn(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = typeof value === "string" ? `'${value}'` : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// -----------------------------------------------------------------------------------------------------------------
// Times: exact integer arithmetic, no Date (as in the engine's calendar).

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;

/** Milliseconds since the epoch of `YYYY-MM-DDTHH:MM:SS.sssZ`, or null when it is not such a time. */
export function parseIsoUtc(text: string): number | null {
  const match = ISO_UTC.exec(text);
  if (match === null) return null;
  const [year, month, day, hour, minute, second, milli] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + milli;
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ` of milliseconds since the epoch. */
export function isoUtc(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  const inDay = ms - day * DAY_MS;
  const two = (n: number) => String(n).padStart(2, "0");
  const hours = Math.floor(inDay / 3_600_000);
  const minutes = Math.floor(inDay / 60_000) % 60;
  const seconds = Math.floor(inDay / 1000) % 60;
  return `${isoDateOfDay(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${String(inDay % 1000).padStart(3, "0")}Z`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (the inverse of the engine's `isoDateOfDay`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

// -----------------------------------------------------------------------------------------------------------------
// Output.

/**
 * An alert as one output line of the contract: `rule`; `session` (absent for alerts that span sessions); `instrument`
 * (absent for rule 6); `side` (rules 2–5); `month` (rule 7); `accounts`, `members`, `groups`, `sessions`, sorted and
 * distinct; `from` and `to`; `orders`; `figures` in the contract's units (names ending in `Kg` end in `Tonnes`, values
 * in tonnes; `TiynPerTonne` becomes `TengePerTonne`).
 */
export function alertLine(alert: Alert): Record<string, unknown> {
  return {
    rule: alert.rule,
    ...(alert.session === null ? {} : { session: alert.session }),
    ...(alert.instrument === null ? {} : { instrument: alert.instrument }),
    ...(alert.side === null ? {} : { side: alert.side }),
    ...(alert.month === null ? {} : { month: alert.month }),
    accounts: alert.accounts,
    members: alert.members,
    groups: alert.groups,
    sessions: alert.sessions,
    from: isoUtc(alert.fromMs),
    to: isoUtc(alert.toMs),
    orders: alert.orders,
    figures: contractFigures(alert.figures),
  };
}

/** Figures renamed and scaled to tonnes and tenge per tonne. */
export function contractFigures(figures: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(figures)) {
    if (name.endsWith("TiynPerTonne"))
      out[`${name.slice(0, -"TiynPerTonne".length)}TengePerTonne`] = value / TIYN_PER_TENGE;
    else if (name.endsWith("Kg")) out[`${name.slice(0, -2)}Tonnes`] = value / KG_PER_TONNE;
    else out[name] = value;
  }
  return out;
}
