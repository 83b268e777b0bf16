/** Trading calendars: validation, session windows in local time (UTC+5), holidays, weekends and extra sessions. */

import { describe, expect, it } from "vitest";
import {
  CALENDAR_NOTICE_WORKING_DAYS,
  checkCalendar,
  isoDateOfDay,
  noticeWindowDays,
  sessionWindows,
  shortNoticeDates,
  type TradingCalendar,
  weekdayOfDay,
} from "./calendar.ts";
import { Engine } from "./engine.ts";

const CALENDAR: TradingCalendar = {
  sessions: [{ open: "11:00", close: "13:00" }],
  preOpenMinutes: 10,
  weekends: false,
  holidays: ["2026-03-23"],
  extraSessions: [{ date: "2026-03-28", open: "14:00", close: "16:00" }],
};

describe("trading calendar", () => {
  it("places a session at 11:00–13:00 Almaty time (06:00–08:00 UTC) with a 10-minute pre-open", () => {
    const monday = Date.UTC(2026, 2, 16, 3, 0); // 08:00 local
    const today = sessionWindows(CALENDAR, monday).filter(
      (w) => w.openMs > monday - 3600_000 && w.openMs < monday + 12 * 3600_000,
    );
    expect(today).toEqual([
      {
        collectFromMs: Date.UTC(2026, 2, 16, 5, 50),
        openMs: Date.UTC(2026, 2, 16, 6, 0),
        closeMs: Date.UTC(2026, 2, 16, 8, 0),
      },
    ]);
  });

  it("skips weekends and holidays, and adds extra sessions", () => {
    const dayOf = (ms: number) => new Date(ms + 5 * 3600_000).toISOString().slice(0, 10);
    const sunday = Date.UTC(2026, 2, 22, 7, 0);
    expect(sessionWindows(CALENDAR, sunday).map((w) => dayOf(w.openMs))).toEqual([]);
    const holiday = Date.UTC(2026, 2, 23, 7, 0);
    expect(sessionWindows(CALENDAR, holiday).map((w) => dayOf(w.openMs))).toEqual(["2026-03-24"]);
    const saturday = Date.UTC(2026, 2, 28, 7, 0);
    expect(sessionWindows(CALENDAR, saturday).map((w) => [dayOf(w.openMs), new Date(w.openMs).getUTCHours()])).toEqual([
      ["2026-03-27", 6],
      ["2026-03-28", 9],
    ]);
  });

  it("refuses bad calendars with a sentence naming the problem", () => {
    expect(checkCalendar({ ...CALENDAR, sessions: [{ open: "13:00", close: "11:00" }] })).toBe(
      "session 13:00–11:00 closes before it opens",
    );
    expect(
      checkCalendar({
        ...CALENDAR,
        sessions: [
          { open: "11:00", close: "13:00" },
          { open: "13:05", close: "14:00" },
        ],
      }),
    ).toBe("sessions 11:00–13:00 and 13:05–14:00 overlap (with the pre-open)");
    expect(checkCalendar({ ...CALENDAR, holidays: ["23.03.2026"] })).toBe(
      "holidays must be at most 400 real dates, YYYY-MM-DD, years 1900–2199",
    );
    // Dates that do not exist, and years outside the calendar's range.
    for (const date of ["2026-02-31", "2026-02-29", "2026-13-45", "0000-01-01", "2026-04-31"]) {
      expect(checkCalendar({ ...CALENDAR, holidays: [date] }), date).toBe(
        "holidays must be at most 400 real dates, YYYY-MM-DD, years 1900–2199",
      );
      expect(checkCalendar({ ...CALENDAR, extraSessions: [{ date, open: "11:00", close: "12:00" }] }), date).toBe(
        "each extra session needs a real date, YYYY-MM-DD, years 1900–2199",
      );
    }
    expect(checkCalendar({ ...CALENDAR, holidays: ["2028-02-29", "2000-02-29", "2199-12-31"] })).toBeNull();
    expect(checkCalendar({ ...CALENDAR, holidays: ["1900-02-29"] })).not.toBeNull();
    expect(checkCalendar({ ...CALENDAR, preOpenMinutes: 241 })).toBe(
      "preOpenMinutes must be a whole number from 0 to 240",
    );
    expect(checkCalendar(CALENDAR)).toBeNull();
  });

  it("is recorded by the engine with its reason, and kept by snapshots", () => {
    const engine = new Engine();
    engine.apply({
      seq: 1,
      timeMs: 0,
      command: { type: "instrument.list", instrument: "X", mode: "call", tickSize: 1, lotSize: 1 },
    });
    const events = engine.apply({
      seq: 2,
      timeMs: 0,
      command: { type: "calendar.set", instrument: "X", calendar: CALENDAR, reason: "2026 calendar" },
    });
    expect(events).toEqual([{ type: "calendar.set", instrument: "X", calendar: CALENDAR, reason: "2026 calendar" }]);
    const refused = engine.apply({
      seq: 3,
      timeMs: 0,
      command: {
        type: "calendar.set",
        instrument: "X",
        calendar: { ...CALENDAR, weekends: "yes" } as unknown as TradingCalendar,
        reason: "x",
      },
    });
    expect(refused[0]).toMatchObject({
      type: "rejected",
      code: "CALENDAR_INVALID",
      message: "Trading calendar is not valid: weekends must be true or false.",
    });
    expect(Engine.restore(JSON.parse(JSON.stringify(engine.snapshot()))).market("X")!.calendar).toEqual(CALENDAR);
  });
});

describe("calendar dates by integer arithmetic", () => {
  it("agree with the JavaScript Date for every day from 1900 to 2200, leap days included", () => {
    const first = Date.UTC(1900, 0, 1) / 86_400_000;
    const last = Date.UTC(2200, 11, 31) / 86_400_000;
    for (let day = first; day <= last; day++) {
      const date = new Date(day * 86_400_000);
      expect(isoDateOfDay(day)).toBe(date.toISOString().slice(0, 10));
      expect(weekdayOfDay(day)).toBe(date.getUTCDay());
    }
    expect(isoDateOfDay(Date.UTC(2024, 1, 29) / 86_400_000)).toBe("2024-02-29");
    expect(isoDateOfDay(0)).toBe("1970-01-01");
    expect(weekdayOfDay(0)).toBe(4);
  });
});

describe("the calendar's notice window", () => {
  const base: TradingCalendar = {
    sessions: [{ open: "11:00", close: "13:00" }],
    preOpenMinutes: 10,
    weekends: false,
    holidays: ["2026-01-07"],
    extraSessions: [],
  };
  // Monday 5 January 2026, 23:30 in Almaty (18:30 UTC): still the 5th in exchange time.
  const now = Date.UTC(2026, 0, 5, 18, 30);

  it("runs from today through the 7th working day after it, skipping weekends and holidays", () => {
    expect(CALENDAR_NOTICE_WORKING_DAYS).toBe(7);
    const days = noticeWindowDays(base, now).map(isoDateOfDay);
    // Working days after Monday the 5th: 6, 8, 9, 12, 13, 14, 15 (the 7th is a holiday, 10–11 a weekend).
    expect(days[0]).toBe("2026-01-05");
    expect(days.at(-1)).toBe("2026-01-15");
    expect(days).toHaveLength(11);
  });

  it("names the days inside the window a change alters, and only those, up to the window's last day", () => {
    const change = (patch: Partial<TradingCalendar>) => shortNoticeDates(base, { ...base, ...patch }, now);
    // The last day of the window is short notice; the first day after it is not.
    expect(change({ holidays: [...base.holidays, "2026-01-15"] })).toEqual(["2026-01-15"]);
    expect(change({ holidays: [...base.holidays, "2026-01-16"] })).toEqual([]);
    // An extra session today, a changed daily session (every trading day of the window), a removed holiday.
    expect(change({ extraSessions: [{ date: "2026-01-05", open: "15:00", close: "16:00" }] })).toEqual(["2026-01-05"]);
    expect(change({ sessions: [{ open: "11:00", close: "14:00" }] })).toEqual([
      "2026-01-05",
      "2026-01-06",
      "2026-01-08",
      "2026-01-09",
      "2026-01-12",
      "2026-01-13",
      "2026-01-14",
      "2026-01-15",
    ]);
    expect(change({ holidays: [] })).toEqual(["2026-01-07"]);
    // Reordering what is the same sessions changes nothing; the first calendar of an instrument is no change.
    expect(change({ holidays: ["2026-01-07"], preOpenMinutes: 15 })).toEqual([]);
    expect(shortNoticeDates(null, base, now)).toEqual([]);
  });
});
