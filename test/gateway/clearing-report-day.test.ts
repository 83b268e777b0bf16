/**
 * A clearing report is for a day from the member's admission to today on the exchange's clock (UTC+5), as a
 * statement is: a day after today is refused with CLEARING_REPORT_DAY_FUTURE (it was answered with today's obligations
 * under the later day's date) and a day before the admission with CLEARING_REPORT_DAY_BEFORE_MEMBER (it was answered
 * empty), in the reader's language, as JSON, XLSX and PDF alike.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Session, TestServer } from "../support/server.ts";

let server: TestServer;
let aktau: Session;

beforeAll(async () => {
  server = await TestServer.start(); // the members are admitted on 5 January 2026, 11:00 in exchange time
  aktau = await server.login("aktau-trader");
});
afterAll(() => server.close());

async function report(path: string, language = "en") {
  const response = await fetch(`${server.url}/api/accounts/AKTAU-1/clearing-reports/${path}`, {
    headers: { cookie: aktau.cookie, "accept-language": language },
  });
  const type = response.headers.get("content-type") ?? "";
  const body = type.includes("json") ? ((await response.json()) as { error?: { code: string; message: string } }) : {};
  return { status: response.status, code: body.error?.code, message: body.error?.message };
}

describe("a clearing report's day", () => {
  it("is today at the latest", async () => {
    expect((await report("2026-01-05")).status).toBe(200);
    expect(await report("2026-01-06")).toEqual({
      status: 409,
      code: "CLEARING_REPORT_DAY_FUTURE",
      message:
        "There is no clearing report for 2026-01-06 yet: that day is after today, 2026-01-05, in Kazakhstan time.",
    });
    expect((await report("2026-01-06", "ru")).message).toBe(
      "Клирингового отчёта за 06.01.2026 ещё нет: этот день позже сегодняшнего, 05.01.2026, по времени Казахстана.",
    );
    for (const form of ["2026-01-06/xlsx", "2026-01-06/pdf?lang=kk"]) {
      expect([form, (await report(form)).code]).toEqual([form, "CLEARING_REPORT_DAY_FUTURE"]);
    }
  });

  it("is the member's admission day at the earliest", async () => {
    expect(await report("2026-01-04")).toEqual({
      status: 409,
      code: "CLEARING_REPORT_DAY_BEFORE_MEMBER",
      message:
        "There is no clearing report for 2026-01-04: member 'AKTAU' was admitted to the exchange on 2026-01-05, in Kazakhstan time; its first clearing report is for that day.",
    });
    expect((await report("2026-01-04", "kk")).message).toBe(
      "04.01.2026 күнгі клирингтік есеп жоқ: 'AKTAU' қатысушысы биржаға Қазақстан уақыты бойынша 05.01.2026 қабылданды; оның алғашқы клирингтік есебі сол күнге.",
    );
    for (const form of ["2025-12-31/xlsx?lang=ru", "2025-12-31/pdf"]) {
      expect([form, (await report(form)).code]).toEqual([form, "CLEARING_REPORT_DAY_BEFORE_MEMBER"]);
    }
  });
});
