/**
 * An instrument's trading calendar: when its sessions run, in exchange local time (Kazakhstan, UTC+5). The engine
 * only records it (so changes are journaled and audited, and replay knows them); the server's scheduler reads it and
 * sends the phase changes through the journal at the set times.
 *
 * - `sessions`: daily sessions `{open: "11:00", close: "13:00"}` on trading days (Monday to Friday unless
 *   `weekends` is true); a continuous instrument collects orders for `preOpenMinutes` before `open`, then opens with
 *   an auction; a call instrument collects from `open` and clears at `close`.
 * - `holidays`: dates (YYYY-MM-DD) with no regular sessions.
 * - `extraSessions`: one-off sessions on a date, e.g. at a seller's request.
 */

import { CALENDAR_DATES_MAX, CALENDAR_SESSIONS_MAX, PRE_OPEN_MINUTES_MAX } from "../domain/limits.ts";

export interface SessionTimes {
  readonly open: string;
  readonly close: string;
}

export interface ExtraSession extends SessionTimes {
  readonly date: string;
}

export interface TradingCalendar {
  readonly sessions: readonly SessionTimes[];
  readonly preOpenMinutes: number;
  readonly weekends: boolean;
  readonly holidays: readonly string[];
  readonly extraSessions: readonly ExtraSession[];
}

export const EXCHANGE_UTC_OFFSET_MS = 5 * 3600_000;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE_SHAPE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** Years a calendar date may name (the range the day arithmetic here was checked over). */
export const CALENDAR_YEAR_MIN = 1900;
export const CALENDAR_YEAR_MAX = 2199;

/** A date (YYYY-MM-DD) that exists: no 31 February, 29 February only in a leap year, years 1900–2199. */
export function isCalendarDate(text: string): boolean {
  const match = DATE_SHAPE.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < CALENDAR_YEAR_MIN || year > CALENDAR_YEAR_MAX) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

const DATE = { test: (text: string): boolean => isCalendarDate(text) };

function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Checks a calendar; returns what is wrong as a phrase, or null. */
export function checkCalendar(calendar: TradingCalendar): string | null {
  const c = calendar as unknown as Record<string, unknown>;
  if (typeof c !== "object" || c === null) return "a calendar is an object";
  const known = ["sessions", "preOpenMinutes", "weekends", "holidays", "extraSessions"];
  const unknown = Object.keys(c).filter((k) => !known.includes(k));
  if (unknown.length > 0) return `unknown calendar field '${unknown[0]}'`;
  if (!Array.isArray(c.sessions) || c.sessions.length > CALENDAR_SESSIONS_MAX) {
    return `sessions must be a list of at most ${CALENDAR_SESSIONS_MAX}`;
  }
  if (
    !Number.isSafeInteger(c.preOpenMinutes) ||
    (c.preOpenMinutes as number) < 0 ||
    (c.preOpenMinutes as number) > PRE_OPEN_MINUTES_MAX
  ) {
    return `preOpenMinutes must be a whole number from 0 to ${PRE_OPEN_MINUTES_MAX}`;
  }
  if (typeof c.weekends !== "boolean") return "weekends must be true or false";
  if (
    !Array.isArray(c.holidays) ||
    c.holidays.length > CALENDAR_DATES_MAX ||
    !c.holidays.every((d) => typeof d === "string" && DATE.test(d))
  ) {
    return `holidays must be at most ${CALENDAR_DATES_MAX} real dates, YYYY-MM-DD, years ${CALENDAR_YEAR_MIN}–${CALENDAR_YEAR_MAX}`;
  }
  if (!Array.isArray(c.extraSessions) || c.extraSessions.length > CALENDAR_DATES_MAX) {
    return `extraSessions must be a list of at most ${CALENDAR_DATES_MAX}`;
  }
  const all = [...(c.sessions as SessionTimes[]), ...(c.extraSessions as ExtraSession[])];
  for (const session of all) {
    if (
      typeof session !== "object" ||
      session === null ||
      !TIME.test(String(session.open)) ||
      !TIME.test(String(session.close))
    ) {
      return "each session needs open and close times, HH:MM";
    }
    if (minutes(session.close) <= minutes(session.open))
      return `session ${session.open}–${session.close} closes before it opens`;
    if ("date" in session && !DATE.test(String((session as ExtraSession).date)))
      return `each extra session needs a real date, YYYY-MM-DD, years ${CALENDAR_YEAR_MIN}–${CALENDAR_YEAR_MAX}`;
  }
  const sorted = [...(c.sessions as SessionTimes[])].sort((a, b) => minutes(a.open) - minutes(b.open));
  for (let i = 1; i < sorted.length; i++) {
    const gap = minutes(sorted[i]!.open) - minutes(sorted[i - 1]!.close);
    if (gap < (c.preOpenMinutes as number)) {
      return `sessions ${sorted[i - 1]!.open}–${sorted[i - 1]!.close} and ${sorted[i]!.open}–${sorted[i]!.close} overlap (with the pre-open)`;
    }
  }
  return null;
}

export interface SessionWindow {
  /** Orders start being collected (continuous: pre-open; call: the session's open). */
  readonly collectFromMs: number;
  /** Continuous trading opens (continuous instruments), after the opening auction. */
  readonly openMs: number;
  readonly closeMs: number;
}

/** The session windows of the local day containing `nowMs` (and its neighbours), in time order. */
export function sessionWindows(calendar: TradingCalendar, nowMs: number): SessionWindow[] {
  const windows: SessionWindow[] = [];
  const localDayStart = Math.floor((nowMs + EXCHANGE_UTC_OFFSET_MS) / 86_400_000) * 86_400_000 - EXCHANGE_UTC_OFFSET_MS;
  for (const dayOffset of [-1, 0, 1]) {
    const dayStart = localDayStart + dayOffset * 86_400_000;
    const day = (dayStart + EXCHANGE_UTC_OFFSET_MS) / 86_400_000;
    for (const session of sessionsOnDay(calendar, day)) {
      const openMs = dayStart + minutes(session.open) * 60_000;
      windows.push({
        collectFromMs: openMs - calendar.preOpenMinutes * 60_000,
        openMs,
        closeMs: dayStart + minutes(session.close) * 60_000,
      });
    }
  }
  return windows.sort((a, b) => a.collectFromMs - b.collectFromMs);
}

/**
 * The calendar date (YYYY-MM-DD, proleptic Gregorian) of a day counted from 1970-01-01, by integer arithmetic alone
 * (the engine uses no Date): days are shifted to an era starting 0000-03-01, so leap days fall at a year's end.
 */
export function isoDateOfDay(day: number): string {
  const z = day + 719_468; // days from 0000-03-01 to 1970-01-01
  const era = Math.floor(z / 146_097); // 400-year eras
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(dayOfMonth).padStart(2, "0")}`;
}

/** The weekday (0 Sunday … 6 Saturday) of a day counted from 1970-01-01, which was a Thursday. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * The rulebook's notice: the calendar is published at least this many working days ahead (Monday to Friday, not a
 * holiday). A change that alters the sessions of a day inside that window is a short-notice change: it is allowed,
 * with the reason every calendar change carries, and is shown to everyone as short-notice with the days it alters.
 */
export const CALENDAR_NOTICE_WORKING_DAYS = 7;
const DAY_MS = 86_400_000;

/** The local day number (days since 1970-01-01 in exchange time) of an instant. */
export function localDayNumber(timeMs: number): number {
  return Math.floor((timeMs + EXCHANGE_UTC_OFFSET_MS) / DAY_MS);
}

/** The sessions a calendar runs on a day (regular ones on a trading day, then that day's extra sessions). */
export function sessionsOnDay(calendar: TradingCalendar, day: number): SessionTimes[] {
  const date = isoDateOfDay(day);
  const weekday = weekdayOfDay(day);
  const tradingDay = (calendar.weekends || (weekday !== 0 && weekday !== 6)) && !calendar.holidays.includes(date);
  return [
    ...(tradingDay ? calendar.sessions : []),
    ...calendar.extraSessions.filter((session) => session.date === date),
  ].map((s) => ({ open: s.open, close: s.close }));
}

/**
 * The days of the notice window at `timeMs`: today and every day up to and including the `CALENDAR_NOTICE_WORKING_DAYS`th
 * working day after today (working days are Monday to Friday that the calendar does not name as holidays).
 * Complexity: O(window days × holidays), the window being at most about two weeks.
 */
export function noticeWindowDays(calendar: TradingCalendar | null, timeMs: number): number[] {
  const today = localDayNumber(timeMs);
  const days = [today];
  for (let day = today + 1, working = 0; working < CALENDAR_NOTICE_WORKING_DAYS; day++) {
    days.push(day);
    const weekday = weekdayOfDay(day);
    if (weekday !== 0 && weekday !== 6 && !(calendar?.holidays ?? []).includes(isoDateOfDay(day))) working++;
  }
  return days;
}

function sameSessions(a: readonly SessionTimes[], b: readonly SessionTimes[]): boolean {
  const key = (list: readonly SessionTimes[]) =>
    list
      .map((s) => `${s.open}-${s.close}`)
      .sort()
      .join(",");
  return key(a) === key(b);
}

/**
 * The dates (YYYY-MM-DD) inside the notice window whose sessions a change from `before` to `after` alters; empty for
 * the first calendar of an instrument (nothing was published to change) and for changes beyond the window.
 */
export function shortNoticeDates(before: TradingCalendar | null, after: TradingCalendar, timeMs: number): string[] {
  if (before === null) return [];
  return noticeWindowDays(before, timeMs)
    .filter((day) => !sameSessions(sessionsOnDay(before, day), sessionsOnDay(after, day)))
    .map(isoDateOfDay);
}

/**
 * Whether `nowMs` lies in one of the calendar's extra sessions (from its collection to its close, on its date): the
 * scheduler opens such a session as the re-offer's extra session when voided volume waits (remedies.ts).
 */
export function inExtraSession(calendar: TradingCalendar, nowMs: number): boolean {
  const day = localDayNumber(nowMs);
  const date = isoDateOfDay(day);
  const dayStart = day * DAY_MS - EXCHANGE_UTC_OFFSET_MS;
  return calendar.extraSessions.some(
    (s) =>
      s.date === date &&
      nowMs >= dayStart + (minutes(s.open) - calendar.preOpenMinutes) * 60_000 &&
      nowMs < dayStart + minutes(s.close) * 60_000,
  );
}
