/**
 * The session calendar per instrument under /api/admin/instruments/:id/calendar: read it, and change it with a
 * reason. A change is a patch: it names what changes (the daily sessions, the pre-open, weekends, holidays to add or
 * remove, extra sessions to add or remove) and keeps the rest, so a form that shows only part of the calendar can never
 * wipe what it did not show. `PUT` replaces the whole calendar for programs that keep their own copy.
 *
 * Notice: the calendar is published `CALENDAR_NOTICE_WORKING_DAYS` working days ahead; a change that alters a day
 * inside that window is accepted with its reason and answered (and published at GET /api/instruments/:id/calendar)
 * with the days it altered, as a short-notice change.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { CALENDAR_DATES_MAX, CALENDAR_SESSIONS_MAX, PRE_OPEN_MINUTES_MAX } from "../../../domain/limits.ts";
import { CALENDAR_NOTICE_WORKING_DAYS, type TradingCalendar } from "../../../engine/calendar.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem } from "../../errors.ts";
import { CHANGE, Nullable, SEQ, Strict } from "../../wire/base.ts";
import { CALENDAR } from "../../wire/console.ts";
import { REASON } from "../common.ts";
import {
  CONSOLE_READ,
  DATE,
  OPERATOR_CHANGE,
  requireConsoleChange,
  requireConsoleRead,
  requireListed,
  submitChecked,
} from "../console.ts";
import { INSTRUMENT_PARAMS } from "./instruments.ts";

const strict = { additionalProperties: false } as const;
const tags = ["operator"];

const TIME_OF_DAY = Type.String({ pattern: "^([01]\\d|2[0-3]):[0-5]\\d$", description: "HH:MM, exchange local time" });
const SESSIONS = Type.Array(Type.Object({ open: TIME_OF_DAY, close: TIME_OF_DAY }, strict), {
  maxItems: CALENDAR_SESSIONS_MAX,
});
const PRE_OPEN_MINUTES = Type.Integer({ minimum: 0, maximum: PRE_OPEN_MINUTES_MAX });
const EXTRA_SESSION = Type.Object({ date: DATE, open: TIME_OF_DAY, close: TIME_OF_DAY }, strict);
const DATES = Type.Array(DATE, { maxItems: CALENDAR_DATES_MAX });
const EXTRA_SESSIONS = Type.Array(EXTRA_SESSION, { maxItems: CALENDAR_DATES_MAX });

const FULL_CALENDAR = Type.Object(
  {
    sessions: SESSIONS,
    preOpenMinutes: PRE_OPEN_MINUTES,
    weekends: Type.Boolean(),
    holidays: DATES,
    extraSessions: EXTRA_SESSIONS,
  },
  strict,
);

const SET_CALENDAR = Type.Object(
  { calendar: FULL_CALENDAR, reason: REASON },
  {
    ...strict,
    examples: [
      {
        calendar: {
          sessions: [{ open: "11:00", close: "13:00" }],
          preOpenMinutes: 15,
          weekends: false,
          holidays: ["2027-01-01"],
          extraSessions: [],
        },
        reason: "the 2027 calendar as published",
      },
    ],
  },
);

const CHANGE_CALENDAR = Type.Object(
  {
    sessions: Type.Optional(SESSIONS),
    preOpenMinutes: Type.Optional(PRE_OPEN_MINUTES),
    weekends: Type.Optional(Type.Boolean()),
    addHolidays: Type.Optional(DATES),
    removeHolidays: Type.Optional(DATES),
    addExtraSessions: Type.Optional(EXTRA_SESSIONS),
    removeExtraSessions: Type.Optional(DATES),
    reason: REASON,
  },
  {
    ...strict,
    examples: [
      { addHolidays: ["2027-03-22"], reason: "Nauryz" },
      {
        addExtraSessions: [{ date: "2027-01-09", open: "14:00", close: "16:00" }],
        reason: "extra session asked by KAZGPZ",
      },
    ],
  },
);

type CalendarChanges = Static<typeof CHANGE_CALENDAR>;

/** The calendar after a patch; what the patch does not name stays as it is. */
export function patchCalendar(current: TradingCalendar | null, changes: CalendarChanges): TradingCalendar {
  const base: TradingCalendar = current ?? {
    sessions: [],
    preOpenMinutes: 0,
    weekends: false,
    holidays: [],
    extraSessions: [],
  };
  const removeHolidays = new Set(changes.removeHolidays ?? []);
  const removeExtra = new Set(changes.removeExtraSessions ?? []);
  const holidays = [
    ...new Set([...base.holidays.filter((day) => !removeHolidays.has(day)), ...(changes.addHolidays ?? [])]),
  ];
  const extra = [
    ...base.extraSessions.filter((session) => !removeExtra.has(session.date)),
    ...(changes.addExtraSessions ?? []),
  ];
  return {
    sessions: changes.sessions ?? base.sessions,
    preOpenMinutes: changes.preOpenMinutes ?? base.preOpenMinutes,
    weekends: changes.weekends ?? base.weekends,
    holidays: holidays.sort(),
    extraSessions: extra.sort((a, b) =>
      a.date === b.date ? a.open.localeCompare(b.open) : a.date.localeCompare(b.date),
    ),
  };
}

const CALENDAR_VIEW = Strict({ instrument: Type.String(), calendar: Nullable(CALENDAR), changed: Nullable(CHANGE) });
const CALENDAR_CHANGED = Strict({
  seq: SEQ,
  ...CALENDAR_VIEW.properties,
  shortNoticeDates: Type.Array(DATE, {
    description: `days inside the notice window (${CALENDAR_NOTICE_WORKING_DAYS} working days) this change altered; it is published as short-notice when there are any`,
  }),
});

export function operatorCalendarRoutes(api: FastifyInstance, context: RouteContext): void {
  api.get<{ Params: Static<typeof INSTRUMENT_PARAMS> }>(
    "/admin/instruments/:id/calendar",
    {
      schema: {
        operationId: "getCalendar",
        tags,
        summary: "The instrument's session calendar",
        params: INSTRUMENT_PARAMS,
        response: { 200: CALENDAR_VIEW },
      },
      config: { ...CONSOLE_READ, errors: ["INSTRUMENT_NOT_FOUND"] },
    },
    async (request) => {
      requireConsoleRead(request, "read calendars");
      const controls = requireListed(context, request.params.id);
      return { instrument: controls.instrument, calendar: controls.calendar, changed: controls.calendarChanged };
    },
  );

  const submit = async (
    request: Parameters<typeof requireConsoleRead>[0],
    id: string,
    calendar: TradingCalendar,
    reason: string,
  ) => {
    const outcome = await submitChecked(context, request, { type: "calendar.set", instrument: id, calendar, reason });
    const controls = requireListed(context, id);
    const latest = controls.calendarChanges[0];
    return {
      seq: outcome.seq,
      instrument: id,
      calendar: controls.calendar,
      changed: controls.calendarChanged,
      shortNoticeDates: latest !== undefined && latest.seq === outcome.seq ? latest.shortNoticeDates : [],
    };
  };

  api.put<{ Params: Static<typeof INSTRUMENT_PARAMS>; Body: Static<typeof SET_CALENDAR> }>(
    "/admin/instruments/:id/calendar",
    {
      schema: {
        operationId: "replaceCalendar",
        tags,
        summary: "Replace the whole session calendar (exchange local time, UTC+5), with a reason",
        params: INSTRUMENT_PARAMS,
        body: SET_CALENDAR,
        response: { 200: CALENDAR_CHANGED },
      },
      config: { ...OPERATOR_CHANGE, errors: ["INSTRUMENT_NOT_FOUND", "CALENDAR_INVALID"] },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "set calendars");
      return submit(request, request.params.id, request.body.calendar, request.body.reason);
    },
  );

  api.patch<{ Params: Static<typeof INSTRUMENT_PARAMS>; Body: CalendarChanges }>(
    "/admin/instruments/:id/calendar",
    {
      schema: {
        operationId: "changeCalendar",
        tags,
        summary:
          "Change part of the session calendar (sessions, pre-open, weekends, holidays and extra sessions to add or remove), with a reason; the rest stays",
        params: INSTRUMENT_PARAMS,
        body: CHANGE_CALENDAR,
        response: { 200: CALENDAR_CHANGED },
      },
      config: { ...OPERATOR_CHANGE, errors: ["INSTRUMENT_NOT_FOUND", "CALENDAR_INVALID"] },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "set calendars");
      const { reason, ...changes } = request.body;
      if (Object.keys(changes).length === 0) {
        throw new HttpProblem("REQUEST_INVALID", { reason: "name at least one part of the calendar to change" });
      }
      const controls = requireListed(context, request.params.id);
      return submit(request, request.params.id, patchCalendar(controls.calendar, request.body), reason);
    },
  );
}
