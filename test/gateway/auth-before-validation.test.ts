/**
 * Authentication before validation: on every route that is not public, a caller who is not signed in (or whose API
 * key signature is bad) is refused as such whatever the body holds (an unknown field, no JSON at all), and learns
 * nothing of the route's schema. A signed-in caller with a bad body still hears REQUEST_INVALID. The routes are read
 * from the built server (its declared access per route), so a new protected route is covered the day it is added.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign } from "../../src/gateway/signing.ts";
import { INSTRUMENT, TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(async () => {
  await server.close();
});

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Every protected write route, with its path parameters filled in. */
function protectedWrites(): { method: string; path: string }[] {
  return [...server.app.routeAccess]
    .filter(([, access]) => access !== "public")
    .map(([key]) => {
      const [method, url] = key.split(" ") as [string, string];
      return { method, path: url.replace(/:[A-Za-z]+/g, "X1") };
    })
    .filter((route) => UNSAFE.has(route.method) && route.path.startsWith("/api"));
}

async function send(method: string, path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
}

describe("authentication comes before validation", () => {
  it("there are protected write routes to check (POST /api/orders among them)", () => {
    const routes = protectedWrites().map((route) => `${route.method} ${route.path}`);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes).toContain("POST /api/orders");
  });

  it("anonymous with an invalid body: 401 AUTH_REQUIRED on every protected write route", async () => {
    const answers: string[] = [];
    for (const { method, path } of protectedWrites()) {
      for (const body of ["{}", '{"notAField":1}', "{not json"]) {
        const reply = await send(method, path, body);
        answers.push(`${method} ${path} ${body} → ${reply.status} ${reply.body.error.code}`);
      }
    }
    expect(answers.filter((answer) => !answer.endsWith("→ 401 AUTH_REQUIRED"))).toEqual([]);
  });

  it("a badly signed request with an invalid body: 401 AUTH_SIGNATURE_INVALID on every protected write route", async () => {
    await server.putApiKey({ id: "abv-key", user: "aktau-trader", secret: "abv-secret", scopes: ["read", "trade"] });
    const answers: string[] = [];
    for (const { method, path } of protectedWrites()) {
      const body = '{"notAField":1}';
      const headers = {
        "x-sauda-key": "abv-key",
        "x-sauda-timestamp": String(server.nowMs),
        "x-sauda-signature": sign("wrong-secret", server.nowMs, method, path, body),
      };
      const reply = await send(method, path, body, headers);
      answers.push(`${method} ${path} → ${reply.status} ${reply.body.error.code}`);
    }
    expect(answers.filter((answer) => !answer.endsWith("→ 401 AUTH_SIGNATURE_INVALID"))).toEqual([]);
  });

  it("the anonymous refusal names no field of the schema, in en, ru and kk", async () => {
    const reply = await send("POST", "/api/orders", "{}");
    expect(reply).toEqual({
      status: 401,
      body: {
        error: {
          code: "AUTH_REQUIRED",
          message: "Sign in or sign the request with an API key to make this request.",
          details: { action: "make this request" },
        },
      },
    });
    const ru = await send("POST", "/api/orders", "{}", { "accept-language": "ru" });
    expect(ru.body.error.message).toBe("Войдите или подпишите запрос API-ключом, чтобы выполнить этот запрос.");
    const kk = await send("POST", "/api/orders", "{}", { "accept-language": "kk" });
    expect(kk.body.error.message).toBe(
      "Мынаны істеу үшін кіріңіз немесе сұрауға API кілтімен қол қойыңыз: бұл сұрауды орындау.",
    );
  });

  it("a signed-in trader (session or API key) with an invalid body still gets 400 REQUEST_INVALID", async () => {
    const trader = await server.login("aktau-trader");
    const bySession = await server.call(trader, "POST", "/api/orders", {});
    expect([bySession.status, bySession.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    const notJson = await server.call(trader, "POST", "/api/orders", "{not json");
    expect([notJson.status, notJson.body.error.message]).toEqual([
      400,
      "The request is not valid: the body is not valid JSON.",
    ]);
    const key = await server.apiKey("aktau-trader");
    const byKey = await key("POST", "/api/orders", { notAField: 1 });
    expect([byKey.status, byKey.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
  });
  it("a well-signed body sent as text/plain or with no Content-Type: 415 REQUEST_MEDIA_TYPE, not a bad signature", async () => {
    await server.putApiKey({
      id: "abv-media",
      user: "aktau-trader",
      secret: "abv-media-secret",
      scopes: ["read", "trade"],
    });
    const path = "/api/orders";
    const before = server.exchange.projections.lastSeq;
    const answers: string[] = [];
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", null]) {
      const body = JSON.stringify({
        instrument: INSTRUMENT,
        account: "AKTAU-1",
        clientOrderId: "media-type",
        side: "buy",
        price: 13_300_000,
        quantity: 1000,
      });
      const response = await fetch(`${server.url}${path}`, {
        method: "POST",
        // A Blob with no type sends no Content-Type at all.
        body: contentType === null ? new Blob([body]) : body,
        headers: {
          ...(contentType === null ? {} : { "content-type": contentType }),
          "accept-language": "ru",
          "x-sauda-key": "abv-media",
          "x-sauda-timestamp": String(server.nowMs),
          "x-sauda-signature": sign("abv-media-secret", server.nowMs, "POST", path, body),
        },
      });
      const reply = (await response.json()) as { error: { code: string; message: string } };
      answers.push(`${contentType} → ${response.status} ${reply.error.code} ${reply.error.message}`);
    }
    const said =
      "415 REQUEST_MEDIA_TYPE Тело запроса должно быть в формате JSON и отправляться с заголовком Content-Type: application/json.";
    expect(answers).toEqual([`text/plain → ${said}`, `application/x-www-form-urlencoded → ${said}`, `null → ${said}`]);
    // Nothing reached the journal.
    expect(server.exchange.projections.lastSeq).toBe(before);
  });

  it("a role the route never admits, with an invalid body: 403 FORBIDDEN, not the schema", async () => {
    const viewer = await server.login("aktau-viewer");
    const operator = await server.login("operator");
    const trader = await server.login("aktau-trader");
    const cases = [
      [viewer, "POST", "/api/orders", {}],
      [operator, "PATCH", "/api/regulator/instruments/X1/safeguards", { notAField: 1 }],
      [trader, "POST", "/api/admin/members", {}],
    ] as const;
    for (const [session, method, path, body] of cases) {
      const reply = await server.call(session, method, path, body);
      expect([reply.status, reply.body.error.code, reply.body.error.details.action]).toEqual([
        403,
        "FORBIDDEN",
        "make this request",
      ]);
    }
    // A body that is not JSON at all cannot be read, so it is refused as such before the role is looked at.
    const notJson = await server.call(viewer, "POST", "/api/orders", "{bad");
    expect([notJson.status, notJson.body.error.message]).toEqual([
      400,
      "The request is not valid: the body is not valid JSON.",
    ]);
    const regulator = await server.login("regulator");
    const admitted = await server.call(regulator, "PATCH", "/api/regulator/instruments/X1/safeguards", {
      notAField: 1,
    });
    expect([admitted.status, admitted.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
  });
});
