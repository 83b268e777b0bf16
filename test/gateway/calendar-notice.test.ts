/**
 * The trading calendar published ahead (GET /api/instruments/:id/calendar, public): sessions day by day, the notice
 * window of seven working days, and every change with its reason, a change that alters a day inside the window marked
 * short-notice with the days it altered — in the operator's answer too.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTRUMENT, type Session, TestServer } from "../support/server.ts";

let server: TestServer;
let operator: Session;

beforeAll(async () => {
  server = await TestServer.start(); // the clock stands at 11:00 on Monday 5 January 2026, exchange time
  operator = await server.login("operator");
});
afterAll(async () => {
  await server.close();
});

describe("the published trading calendar", () => {
  it("shows the days ahead and marks a change inside the notice window as short-notice, with its reason", async () => {
    const first = await server.call(operator, "PUT", `/api/admin/instruments/${INSTRUMENT}/calendar`, {
      calendar: {
        sessions: [{ open: "11:00", close: "13:00" }],
        preOpenMinutes: 10,
        weekends: false,
        holidays: [],
        extraSessions: [],
      },
      reason: "the 2026 calendar as published",
    });
    expect(first.status).toBe(200);
    expect(first.body.shortNoticeDates).toEqual([]);
    // Friday the 9th is inside the window (Tuesday 6th … Wednesday 14th are the seven working days).
    const urgent = await server.call(operator, "PATCH", `/api/admin/instruments/${INSTRUMENT}/calendar`, {
      addHolidays: ["2026-01-09"],
      reason: "pipeline repair at the plant",
    });
    expect(urgent.status).toBe(200);
    expect(urgent.body.shortNoticeDates).toEqual(["2026-01-09"]);
    const planned = await server.call(operator, "PATCH", `/api/admin/instruments/${INSTRUMENT}/calendar`, {
      addHolidays: ["2026-03-23"],
      reason: "Nauryz",
    });
    expect(planned.body.shortNoticeDates).toEqual([]);

    const published = await server.call(null, "GET", `/api/instruments/${INSTRUMENT}/calendar?days=12`);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ instrument: INSTRUMENT, noticeWorkingDays: 7 });
    // With the 9th a holiday the window now reaches Thursday the 15th.
    expect(published.body.noticeWindowEnd).toBe("2026-01-15");
    const days = published.body.days as { date: string; sessions: unknown[]; inNoticeWindow: boolean }[];
    expect(days.map((d) => [d.date, d.sessions.length, d.inNoticeWindow])).toEqual([
      ["2026-01-05", 1, true],
      ["2026-01-06", 1, true],
      ["2026-01-07", 1, true],
      ["2026-01-08", 1, true],
      ["2026-01-09", 0, true],
      ["2026-01-10", 0, true],
      ["2026-01-11", 0, true],
      ["2026-01-12", 1, true],
      ["2026-01-13", 1, true],
      ["2026-01-14", 1, true],
      ["2026-01-15", 1, true],
      ["2026-01-16", 1, false],
    ]);
    expect(days[0]!.sessions).toEqual([{ open: "11:00", close: "13:00" }]);
    const changes = published.body.changes as { reason: string; shortNotice: boolean; shortNoticeDates: string[] }[];
    expect(changes.map((c) => [c.reason, c.shortNotice, c.shortNoticeDates])).toEqual([
      ["Nauryz", false, []],
      ["pipeline repair at the plant", true, ["2026-01-09"]],
      ["the 2026 calendar as published", false, []],
    ]);
  });

  it("refuses an unknown instrument and a schedule longer than allowed", async () => {
    const unknown = await server.call(null, "GET", "/api/instruments/NOPE/calendar");
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "INSTRUMENT_NOT_FOUND"]);
    const atLimit = await server.call(null, "GET", `/api/instruments/${INSTRUMENT}/calendar?days=62`);
    expect(atLimit.body.days).toHaveLength(62);
    const over = await server.call(null, "GET", `/api/instruments/${INSTRUMENT}/calendar?days=63`);
    expect([over.status, over.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
  });
});
