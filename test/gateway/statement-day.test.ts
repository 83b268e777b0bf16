/**
 * A daily statement is for today or a day before it on the exchange's clock (UTC+5): a day after today is refused
 * with STATEMENT_DAY_FUTURE in the reader's language, not answered with an empty statement.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Session, TestServer } from "../support/server.ts";

let server: TestServer;
let aktau: Session;

beforeAll(async () => {
  server = await TestServer.start();
  server.nowMs = Date.UTC(2026, 0, 5, 18, 59, 59, 999); // 23:59:59.999 on 5 January, UTC+5
  aktau = await server.login("aktau-trader");
});
afterAll(() => server.close());

async function statement(date: string, language = "en") {
  const response = await fetch(`${server.url}/api/accounts/AKTAU-1/statements/${date}`, {
    headers: { cookie: aktau.cookie, "accept-language": language },
  });
  const body = (await response.json()) as { date?: string; error?: { code: string; message: string } };
  return { status: response.status, date: body.date, code: body.error?.code, message: body.error?.message };
}

describe("a statement's day", () => {
  it("is today at the latest: the last millisecond of the 5th in exchange time refuses the 6th, midnight allows it", async () => {
    expect(await statement("2026-01-05")).toMatchObject({ status: 200, date: "2026-01-05" });
    expect(await statement("2026-01-06")).toEqual({
      status: 409,
      date: undefined,
      code: "STATEMENT_DAY_FUTURE",
      message: "There is no statement for 2026-01-06 yet: that day is after today, 2026-01-05, in Kazakhstan time.",
    });
    expect((await statement("2026-01-06", "ru")).message).toBe(
      "Выписки за 06.01.2026 ещё нет: этот день позже сегодняшнего, 05.01.2026, по времени Казахстана.",
    );
    expect((await statement("2026-01-06", "kk")).message).toBe(
      "06.01.2026 күнгі үзінді көшірме әлі жоқ: бұл күн Қазақстан уақыты бойынша бүгінгі күннен, 05.01.2026, кейін.",
    );
    server.nowMs = Date.UTC(2026, 0, 5, 19, 0, 0); // 00:00 on the 6th
    expect(await statement("2026-01-06")).toMatchObject({ status: 200, date: "2026-01-06" });
    expect((await statement("2027-01-01")).code).toBe("STATEMENT_DAY_FUTURE");
  });
});
