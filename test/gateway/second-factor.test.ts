/**
 * The second factor over the API, as a trader uses it: setting it up in two steps (a wrong code changes nothing), the
 * sign-in then asking for a code (none: SECOND_FACTOR_REQUIRED; not six digits: SECOND_FACTOR_CODE_FORMAT, not
 * counted; wrong, stale or reused: SECOND_FACTOR_INVALID, counted towards the name's backoff), the window of one step either side at its edges, the
 * pending setup's 10 minutes at the limit, the secret never in the journal or the audit trail in clear, removing it
 * with a code, and the operator removing a user's.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETUP_PENDING_MS, TOTP_PERIOD_S, totpCode } from "../../src/gateway/second-factor.ts";
import { SIGN_IN_FAILURES_FREE } from "../../src/gateway/sign-in.ts";
import { type Json, PASSWORD, type Session, TestServer } from "../support/server.ts";

const STEP_MS = TOTP_PERIOD_S * 1000;

let server: TestServer;

beforeAll(async () => {
  // Many sign-ins from one address within a minute: the per-address limit is not what is tested here.
  server = await TestServer.start({ server: { signInPerMinute: 1000 } });
  // The clock at the start of a 30-second step, so "the step before and after" are whole steps.
  server.nowMs = Math.ceil(server.nowMs / STEP_MS) * STEP_MS;
});
afterAll(async () => {
  await server.close();
});

async function signIn(user: string, code?: string, password = PASSWORD) {
  const response = await fetch(`${server.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(code === undefined ? { user, password } : { user, password, code }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

describe("a second factor for signing in", () => {
  let trader: Session;
  let secret = "";

  it("is set up in two steps: a new secret for the app, then a code from it (a wrong one changes nothing)", async () => {
    trader = await server.login("aktau-trader");
    const begun = await server.call(trader, "POST", "/api/session/second-factor");
    expect(begun.status).toBe(200);
    secret = begun.body.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(begun.body.uri).toMatch(/^otpauth:\/\/totp\/sauda:aktau-trader\?issuer=sauda&secret=[A-Z2-7]{32}&/);
    expect(begun.body.uri).toContain("algorithm=SHA1&digits=6&period=30");
    expect(begun.body.expiresMs).toBe(server.nowMs + SETUP_PENDING_MS);

    const seq = server.exchange.projections.lastSeq;
    const wrong = await server.call(trader, "POST", "/api/session/second-factor/confirm", {
      code: totpCode(secret, server.nowMs + 2 * STEP_MS),
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, "SECOND_FACTOR_INVALID"]);
    expect(server.exchange.projections.lastSeq).toBe(seq);
    expect((await server.call(trader, "GET", "/api/session")).body.secondFactor).toBe(false);

    const confirmed = await server.call(trader, "POST", "/api/session/second-factor/confirm", {
      code: totpCode(secret, server.nowMs),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ seq: seq + 1, secondFactor: true });
    expect((await server.call(trader, "GET", "/api/session")).body.secondFactor).toBe(true);
    const again = await server.call(trader, "POST", "/api/session/second-factor");
    expect([again.status, again.body.error.code]).toEqual([409, "SECOND_FACTOR_ALREADY_SET"]);
  });

  it("keeps the secret out of the journal and the audit trail in clear", async () => {
    const records = await server.exchange.store.read(1, server.exchange.projections.lastSeq);
    const text = records.map((r) => `${r.command}\n${r.events}`).join("\n");
    expect(text).toContain("user.secondFactor");
    expect(text).not.toContain(secret);
    const operator = await server.login("operator");
    const audit = await server.call(operator, "GET", "/api/regulator/audit?commandType=user.secondFactor");
    expect(audit.body.entries.map((e: Json) => e.summary)).toEqual([
      "set up a second factor (TOTP) for user aktau-trader; reason: second factor set up by the user",
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(secret);
  });

  it("then asks for a code at sign-in, takes a current one once, and refuses the rest", async () => {
    const missing = await signIn("aktau-trader");
    expect([missing.status, missing.body.error.code]).toEqual([401, "SECOND_FACTOR_REQUIRED"]);
    // The wrong password is still just a wrong password, code or not.
    const badPassword = await signIn("aktau-trader", totpCode(secret, server.nowMs), "not the password at all");
    expect(badPassword.body.error.code).toBe("AUTH_FAILED");

    // Two steps on from the setup's code (which was used: its step can never sign in).
    server.nowMs += 2 * STEP_MS;
    expect((await signIn("aktau-trader", totpCode(secret, server.nowMs - 2 * STEP_MS))).body.error.code).toBe(
      "SECOND_FACTOR_INVALID",
    );
    // The step before now and the step after are accepted; two steps away is not.
    expect((await signIn("aktau-trader", totpCode(secret, server.nowMs + 2 * STEP_MS))).body.error.code).toBe(
      "SECOND_FACTOR_INVALID",
    );
    expect((await signIn("aktau-trader", totpCode(secret, server.nowMs - 3 * STEP_MS))).body.error.code).toBe(
      "SECOND_FACTOR_INVALID",
    );
    const late = await signIn("aktau-trader", totpCode(secret, server.nowMs - STEP_MS));
    expect(late.status).toBe(200);
    const current = await signIn("aktau-trader", totpCode(secret, server.nowMs));
    expect(current.status).toBe(200);
    expect(current.body.user.id).toBe("aktau-trader");
    // Used once: the same code again, or an older one, is refused.
    expect((await signIn("aktau-trader", totpCode(secret, server.nowMs))).body.error.code).toBe(
      "SECOND_FACTOR_INVALID",
    );
    expect((await signIn("aktau-trader", totpCode(secret, server.nowMs - STEP_MS))).body.error.code).toBe(
      "SECOND_FACTOR_INVALID",
    );
    const early = await signIn("aktau-trader", totpCode(secret, server.nowMs + STEP_MS));
    expect(early.status).toBe(200);
    for (const malformed of ["abc", "12345", "1234567", "abcdef", " 123456"]) {
      expect((await signIn("aktau-trader", malformed)).body.error.code, malformed).toBe("SECOND_FACTOR_CODE_FORMAT");
    }
    const format = async (language: string) => {
      const response = await fetch(`${server.url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json", "accept-language": language },
        body: JSON.stringify({ user: "aktau-trader", password: PASSWORD, code: "abc" }),
      });
      const body = (await response.json()) as Json;
      return [response.status, body.error.code, body.error.message];
    };
    expect(await format("en")).toEqual([
      400,
      "SECOND_FACTOR_CODE_FORMAT",
      "A second-factor code is 6 digits, as the authenticator app shows it; this one is not.",
    ]);
    expect(await format("ru")).toEqual([
      400,
      "SECOND_FACTOR_CODE_FORMAT",
      "Код второго фактора — это 6 цифр, как его показывает приложение-аутентификатор; переданный код не такой.",
    ]);
    expect(await format("kk")).toEqual([
      400,
      "SECOND_FACTOR_CODE_FORMAT",
      "Екінші фактор коды — аутентификатор қолданбасы көрсететін 6 цифр; жіберілген код олай емес.",
    ]);
  });

  it("counts wrong codes towards the name's backoff", async () => {
    server.nowMs += 10 * STEP_MS;
    // The malformed codes above were not counted; the wrong codes are, up to the free failures.
    const wrong = totpCode(secret, server.nowMs + 5 * STEP_MS);
    const before = SIGN_IN_FAILURES_FREE;
    for (let i = 0; i < before; i++) {
      expect((await signIn("aktau-trader", wrong)).body.error.code).toBe("SECOND_FACTOR_INVALID");
    }
    const refused = await signIn("aktau-trader", totpCode(secret, server.nowMs));
    expect([refused.status, refused.body.error.code]).toEqual([429, "AUTH_BACKOFF"]);
    server.nowMs += 60 * 60_000;
    expect((await signIn("aktau-trader", totpCode(secret, server.nowMs))).status).toBe(200);
  });

  it("is removed with a current code, and the password alone signs in again", async () => {
    server.nowMs += STEP_MS;
    const response = await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "aktau-trader", password: PASSWORD, code: totpCode(secret, server.nowMs) }),
    });
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0]!;
    const csrf = ((await response.json()) as { csrfToken: string }).csrfToken;
    const wrong = await server.call({ cookie, csrf }, "DELETE", "/api/session/second-factor", { code: "000000" });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, "SECOND_FACTOR_INVALID"]);
    server.nowMs += STEP_MS;
    const removed = await server.call({ cookie, csrf }, "DELETE", "/api/session/second-factor", {
      code: totpCode(secret, server.nowMs),
    });
    expect(removed.status).toBe(200);
    expect(removed.body.secondFactor).toBe(false);
    expect((await signIn("aktau-trader")).status).toBe(200);
    const none = await server.call({ cookie, csrf }, "DELETE", "/api/session/second-factor", { code: "123456" });
    expect([none.status, none.body.error.code]).toEqual([409, "SECOND_FACTOR_NOT_SET"]);
  });

  it("keeps a setup pending for 10 minutes, to the millisecond", async () => {
    const viewer = await server.login("aktau-viewer");
    const begun = await server.call(viewer, "POST", "/api/session/second-factor");
    server.nowMs += SETUP_PENDING_MS - 1;
    const code = totpCode(begun.body.secret, server.nowMs);
    expect(server.secondFactors.isPending("aktau-viewer")).toBe(true);
    server.nowMs += 1;
    const late = await server.call(viewer, "POST", "/api/session/second-factor/confirm", { code });
    expect([late.status, late.body.error.code]).toEqual([409, "SECOND_FACTOR_NOT_PENDING"]);
  });

  it("can be removed by the operator for a user who lost their phone, with a reason", async () => {
    const other = await server.login("atyrau-trader");
    const { secret: theirs } = (await server.call(other, "POST", "/api/session/second-factor")).body;
    await server.call(other, "POST", "/api/session/second-factor/confirm", { code: totpCode(theirs, server.nowMs) });
    expect((await signIn("atyrau-trader")).body.error.code).toBe("SECOND_FACTOR_REQUIRED");
    const operator = await server.login("operator");
    const listed = await server.call(operator, "GET", "/api/admin/users");
    expect(listed.body.users.find((u: Json) => u.id === "atyrau-trader")).toMatchObject({
      secondFactor: true,
      secondFactorSealedWithCurrentKey: true,
    });
    const reset = await server.call(operator, "DELETE", "/api/admin/users/atyrau-trader/second-factor", {
      reason: "phone lost, identity checked in person",
    });
    expect(reset.status).toBe(200);
    expect(reset.body.user).toMatchObject({ secondFactor: false, secondFactorSealedWithCurrentKey: null });
    expect((await signIn("atyrau-trader")).status).toBe(200);
    const twice = await server.call(operator, "DELETE", "/api/admin/users/atyrau-trader/second-factor", {
      reason: "again",
    });
    expect([twice.status, twice.body.error.code]).toEqual([409, "SECOND_FACTOR_NOT_SET"]);
  });
});
