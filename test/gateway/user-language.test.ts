/**
 * A person's saved language (PUT /api/session/language, journaled as user.language): saved, it is the language of
 * every answer to their browser session whatever Accept-Language says, and of their API keys' requests whose
 * Accept-Language names none of ours (fetch sends `*`); cleared (null), Accept-Language decides again. A language the exchange does not speak is refused
 * with REQUEST_INVALID and changes nothing; an API key cannot save one (a person's choice, in the browser). The audit
 * trail says who saved which language, in each language.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localize } from "../../src/domain/messages.ts";
import { type Json, type Session, TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(async () => {
  await server.close();
});

/** A request of the browser session with a chosen Accept-Language (none: the header is not sent). */
async function ask(session: Session, method: string, path: string, language?: string, body?: unknown) {
  const headers: Record<string, string> = { cookie: session.cookie, "x-csrf-token": session.csrf };
  if (language !== undefined) headers["accept-language"] = language;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

const NOT_PENDING = "/api/session/second-factor/confirm";

describe("a person's saved language", () => {
  let trader: Session;

  it("starts unset: Accept-Language decides", async () => {
    trader = await server.login("aktau-trader");
    expect((await ask(trader, "GET", "/api/session")).body.language).toBeNull();
    const ru = await ask(trader, "POST", NOT_PENDING, "ru", { code: "123456" });
    expect(ru.body.error).toMatchObject({
      code: "SECOND_FACTOR_NOT_PENDING",
      message: localize("SECOND_FACTOR_NOT_PENDING", {}, "ru"),
    });
    expect(ru.headers.get("content-language")).toBe("ru");
  });

  it("saved as Kazakh, answers the browser session in Kazakh whatever Accept-Language asks", async () => {
    const seq = server.exchange.projections.lastSeq;
    const saved = await ask(trader, "PUT", "/api/session/language", "en", { language: "kk" });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ seq: seq + 1, language: "kk" });
    expect(saved.headers.get("content-language")).toBe("kk");
    expect(server.users.user("aktau-trader")?.language).toBe("kk");
    expect((await ask(trader, "GET", "/api/session")).body.language).toBe("kk");

    for (const header of ["en", "ru-KZ,ru;q=0.9", undefined]) {
      const refused = await ask(trader, "POST", NOT_PENDING, header, { code: "123456" });
      expect(refused.body.error.message).toBe(localize("SECOND_FACTOR_NOT_PENDING", {}, "kk"));
      expect(refused.headers.get("content-language")).toBe("kk");
    }
    // Signing in again says so, for the browser to show its pages in it.
    const again = await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "aktau-trader", password: "correct horse battery staple" }),
    });
    expect(((await again.json()) as { language: string }).language).toBe("kk");
  });

  it("answers the person's API keys in it when their Accept-Language names none of ours", async () => {
    const key = await server.apiKey("aktau-trader", ["read"]);
    const plain = await key("GET", "/api/accounts/NOPE-1/orders");
    expect(plain.status).toBe(403);
    expect(plain.body.error.message).toBe(localize(plain.body.error.code, plain.body.error.details, "kk"));
    expect(plain.body.error.message).not.toBe(localize(plain.body.error.code, plain.body.error.details, "en"));
    // A key cannot save a language: that is the person's, in the browser.
    const refused = await key("PUT", "/api/session/language", { language: "ru" });
    expect([refused.status, refused.body.error.code]).toEqual([403, "FORBIDDEN"]);
    expect(server.users.user("aktau-trader")?.language).toBe("kk");
  });

  it("refuses a language the exchange does not speak, changing nothing", async () => {
    const seq = server.exchange.projections.lastSeq;
    for (const body of [{ language: "de" }, { language: "KK" }, { language: "" }, { language: 1 }, {}]) {
      const refused = await ask(trader, "PUT", "/api/session/language", "en", body);
      expect([refused.status, refused.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    }
    expect(server.exchange.projections.lastSeq).toBe(seq);
    expect(server.users.user("aktau-trader")?.language).toBe("kk");
  });

  it("cleared, lets Accept-Language decide again; the audit trail says so in each language", async () => {
    const cleared = await ask(trader, "PUT", "/api/session/language", "ru", { language: null });
    expect(cleared.body.language).toBeNull();
    const en = await ask(trader, "POST", NOT_PENDING, "en", { code: "123456" });
    expect(en.body.error.message).toBe(localize("SECOND_FACTOR_NOT_PENDING", {}, "en"));

    const regulator = await server.login("regulator");
    const summaries = async (language: string) => {
      const trail = await ask(regulator, "GET", "/api/regulator/audit?limit=500", language);
      // Newest first.
      return (trail.body.entries as { commandType: string; summary: string }[])
        .filter((entry) => entry.commandType === "user.language")
        .map((entry) => entry.summary)
        .reverse();
    };
    expect(await summaries("en")).toEqual([
      "save language kk for user aktau-trader",
      "let the request's Accept-Language choose the language of user aktau-trader",
    ]);
    expect(await summaries("ru")).toEqual([
      "сохранить язык пользователя aktau-trader: казахский",
      "язык пользователя aktau-trader снова по Accept-Language",
    ]);
    expect(await summaries("kk")).toEqual([
      "aktau-trader пайдаланушысының тілін сақтау: қазақ тілі",
      "aktau-trader пайдаланушысының тілі қайтадан Accept-Language бойынша",
    ]);
  });
});
