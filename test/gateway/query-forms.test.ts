/**
 * A query value that breaks the pattern of a month or a day is refused with the form in words, in the reader's
 * language ("a month as YYYY-MM"), not with the regular expression behind it; a pattern that names no form is still
 * shown as written.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(() => server.close());

async function refused(path: string, language: string) {
  const response = await fetch(`${server.url}${path}`, { headers: { "accept-language": language } });
  const body = (await response.json()) as { error: { code: string; message: string; details: { format?: string } } };
  return {
    status: response.status,
    code: body.error.code,
    message: body.error.message,
    form: body.error.details.format,
  };
}

describe("a month or a day in the query, refused in words", () => {
  it.each([
    ["en", 'The month must be a month as YYYY-MM (sent: "2026-13").'],
    ["ru", "Месяц: ожидается месяц в виде ГГГГ-ММ (передано: «2026-13»)."],
    ["kk", "Ай: ЖЖЖЖ-АА түріндегі ай күтіледі (жіберілгені: «2026-13»)."],
  ])("%s: the participation report's month", async (language, message) => {
    expect(await refused("/api/participation?month=2026-13", language)).toEqual({
      status: 400,
      code: "REQUEST_INVALID",
      message,
      form: "month",
    });
  });

  it.each([
    ["en", 'The day must be a day as YYYY-MM-DD (sent: "5.1.2026").'],
    ["ru", "День: ожидается день в виде ГГГГ-ММ-ДД (передано: «5.1.2026»)."],
    ["kk", "Күн: ЖЖЖЖ-АА-КК түріндегі күн күтіледі (жіберілгені: «5.1.2026»)."],
  ])("%s: the indices' day", async (language, message) => {
    const answer = await refused("/api/indices?day=5.1.2026", language);
    expect(answer).toMatchObject({ status: 400, code: "REQUEST_INVALID", message });
    expect(answer.message).not.toContain("\\d");
  });
});
