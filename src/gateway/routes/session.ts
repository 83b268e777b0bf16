/**
 * Signing in and out in the browser. A successful sign-in sets the session cookie and returns the CSRF token that
 * unsafe requests must echo. A failed sign-in says only that the name or password is wrong (never which), and costs
 * the same whether the user exists, does not exist or is disabled (sign-in.ts): one scrypt of the given password
 * against the user's hash or the stand-in hash. Failures per user name back off and alert the operator. Signing out
 * is an unsafe request like any other: with a session, it needs the session's CSRF token.
 *
 * A second factor (second-factor.ts): a signed-in user sets one up under /api/session/second-factor (begin: a new
 * secret and its otpauth:// address; confirm with a code from the app: journaled, sealed); from then on the sign-in
 * needs `code` too. Without it the answer is SECOND_FACTOR_REQUIRED (the password was right, nothing is counted); a
 * code that is not six digits is SECOND_FACTOR_CODE_FORMAT (a typing mistake, not counted); a wrong, stale or reused
 * code is SECOND_FACTOR_INVALID and counts as a failed sign-in for the name's backoff. Removing
 * it needs a current code; the operator can remove a user's (a lost phone) under /api/admin/users/:id/second-factor.
 */

import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { LANGUAGES, type Language } from "../../domain/locale.ts";
import { checkCsrf, requireUser, SESSION_COOKIE, SESSION_IDLE_MS } from "../auth.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import { hashUses, PASSWORD_LENGTH_MAX, verifyPassword } from "../passwords.ts";
import { TOTP_DIGITS } from "../second-factor.ts";
import type { User } from "../users.ts";
import { Enum, EPOCH_MS, Nullable, SEQ, Strict } from "../wire/base.ts";
import { PUBLIC_USER, SCOPE } from "../wire/console.ts";
import { metaOf } from "./access.ts";
import { ID } from "./common.ts";

/** A code from an authenticator app as typed: 6 digits (anything else is refused as the wrong code would be). */
/** A language the person saved; null: the request's Accept-Language decides (errors.ts `languageOf`). */
const SAVED_LANGUAGE = Nullable(
  Enum(
    LANGUAGES,
    "en English, ru Russian, kk Kazakh: the language the person saved for pages and the server's sentences",
  ),
);

const CODE = Type.String({ minLength: 1, maxLength: 16, description: "the 6-digit code the authenticator app shows" });

/**
 * A code that is not six digits is refused as such (SECOND_FACTOR_CODE_FORMAT), not as a wrong or stale code: the
 * person mistyped, and no failed sign-in is counted for it.
 */
function checkCodeFormat(code: string): void {
  if (!new RegExp(`^[0-9]{${TOTP_DIGITS}}$`).test(code)) {
    throw new HttpProblem("SECOND_FACTOR_CODE_FORMAT", { digits: TOTP_DIGITS });
  }
}

export function publicUser(user: User) {
  return { id: user.id, name: user.name, role: user.role, member: user.member };
}

export function sessionRoutes(api: FastifyInstance, context: RouteContext): void {
  const { auth, users, signIn, standInHash, secureCookies } = context;
  api.post<{ Body: { user: string; password: string; code?: string } }>(
    "/session",
    {
      schema: {
        operationId: "signIn",
        tags: ["session"],
        summary: "Sign in",
        body: Type.Object(
          {
            user: ID,
            password: Type.String({ minLength: 1, maxLength: PASSWORD_LENGTH_MAX }),
            code: Type.Optional(CODE),
          },
          {
            additionalProperties: false,
            examples: [
              { user: "aktau-stations-trader", password: "correct horse battery staple" },
              { user: "aktau-stations-trader", password: "correct horse battery staple", code: "492039" },
            ],
          },
        ),
        response: { 200: Strict({ user: PUBLIC_USER, csrfToken: Type.String(), language: SAVED_LANGUAGE }) },
      },
      config: {
        rateLimit: { max: context.signInPerMinute, timeWindow: 60_000 },
        access: "public",
        errors: [
          "AUTH_FAILED",
          "AUTH_BACKOFF",
          "SECOND_FACTOR_REQUIRED",
          "SECOND_FACTOR_CODE_FORMAT",
          "SECOND_FACTOR_INVALID",
        ],
      },
    },
    async (request, reply) => {
      const name = request.body.user;
      const waitMs = signIn.waitMs(name);
      if (waitMs > 0) {
        const retryAfterSeconds = Math.ceil(waitMs / 1000);
        throw new HttpProblem("AUTH_BACKOFF", { retryAfterSeconds }, { "retry-after": String(retryAfterSeconds) });
      }
      const user = users.user(name);
      // Always exactly one hash, whoever asks: the stand-in for an unknown user, the stored one otherwise (also for
      // a disabled user, who is refused only after it).
      const matches = await verifyPassword(request.body.password, user?.passwordHash ?? (await standInHash()));
      if (user === null || user.disabled || !matches) {
        signIn.failed(name, request.ip);
        throw new HttpProblem("AUTH_FAILED");
      }
      const secondFactor = users.secondFactorSecret(user.id);
      if (user.secondFactorSealed !== null) {
        // The password was right: the code is asked for, and only a wrong one counts as a failure.
        if (request.body.code === undefined) throw new HttpProblem("SECOND_FACTOR_REQUIRED");
        checkCodeFormat(request.body.code);
        if (secondFactor === null || !context.secondFactors.check(user.id, secondFactor, request.body.code)) {
          signIn.failed(name, request.ip);
          throw new HttpProblem("SECOND_FACTOR_INVALID");
        }
      }
      signIn.succeeded(name);
      if (!hashUses(user.passwordHash, users.scrypt)) {
        // Made with other parameters (an older server, or the demo's): re-made with this server's, so that every
        // user's sign-in costs the same. Not awaited: the sign-in does not depend on it.
        void users
          .setPassword(
            user.id,
            request.body.password,
            "password hash re-made with the server's parameters",
            {
              ...metaOf(request),
              actor: user.id,
            },
            false,
          )
          .catch((error: unknown) => request.log.warn({ err: error }, "password re-hash failed"));
      }
      const { token, csrf } = auth.sessions.create(user.id);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "strict",
        secure: secureCookies || request.protocol === "https",
        path: "/",
        maxAge: SESSION_IDLE_MS / 1000,
      });
      return { user: publicUser(user), csrfToken: csrf, language: user.language };
    },
  );

  api.get(
    "/session",
    {
      schema: {
        operationId: "getSession",
        tags: ["session"],
        summary: "Who am I: the signed-in user and the CSRF token, or nulls",
        response: {
          200: Strict({
            user: Nullable(PUBLIC_USER),
            csrfToken: Nullable(Type.String()),
            via: Type.Optional(Type.Enum(["session", "key"] as const)),
            secondFactor: Type.Optional(
              Type.Boolean({ description: "whether the user signs in with a second factor (TOTP) as well" }),
            ),
            scopes: Type.Optional(Type.Array(SCOPE)),
            language: Type.Optional(SAVED_LANGUAGE),
          }),
        },
      },
      config: { access: "public" },
    },
    async (request) => {
      const principal = request.principal;
      if (principal.kind !== "user") return { user: null, csrfToken: null };
      return {
        user: publicUser(principal.user),
        csrfToken: principal.csrf,
        via: principal.via,
        scopes: principal.scopes,
        secondFactor: principal.user.secondFactorSealed !== null,
        language: principal.user.language,
      };
    },
  );

  api.delete(
    "/session",
    {
      schema: {
        operationId: "signOut",
        tags: ["session"],
        summary: "Sign out (with the session's CSRF token)",
        response: { 200: Strict({ user: Type.Null() }) },
      },
      config: { access: "public", errors: ["AUTH_CSRF"] },
    },
    async (request, reply) => {
      // A cross-site request must not sign anyone out: a live session needs its CSRF token.
      checkCsrf(request, request.principal);
      const token = request.cookies[SESSION_COOKIE];
      if (token) auth.sessions.delete(token);
      reply.clearCookie(SESSION_COOKIE, { path: "/", secure: secureCookies || request.protocol === "https" });
      return { user: null };
    },
  );

  /** The signed-in person (a browser session: an API key cannot set up a second factor). */
  const person = (request: FastifyRequest, action: string) => {
    const principal = requireUser(request.principal, action);
    if (principal.via !== "session") {
      throw new HttpProblem("FORBIDDEN", {
        role: principal.user.role,
        action: `${action} through an API key (sign in with a password)`,
      });
    }
    checkCsrf(request, principal);
    return principal.user;
  };

  api.post(
    "/session/second-factor",
    {
      schema: {
        operationId: "beginSecondFactor",
        tags: ["session"],
        summary:
          "Begin setting up a second factor: a new TOTP secret and its otpauth:// address for the authenticator app, pending until confirmed",
        response: {
          200: Strict({
            secret: Type.String({ description: "base32, as authenticator apps take it typed" }),
            uri: Type.String({ description: "otpauth://totp/... — what a QR code for the app holds" }),
            expiresMs: EPOCH_MS,
          }),
        },
      },
      config: { access: "person", errors: ["SECOND_FACTOR_ALREADY_SET"] },
    },
    async (request) => {
      const user = person(request, "set up a second factor");
      if (user.secondFactorSealed !== null) throw new HttpProblem("SECOND_FACTOR_ALREADY_SET");
      return context.secondFactors.begin(user.id);
    },
  );

  api.post<{ Body: { code: string } }>(
    "/session/second-factor/confirm",
    {
      schema: {
        operationId: "confirmSecondFactor",
        tags: ["session"],
        summary: "Confirm the pending second factor with a code from the app: from then on signing in needs a code",
        body: Type.Object({ code: CODE }, { additionalProperties: false, examples: [{ code: "492039" }] }),
        response: { 200: Strict({ seq: SEQ, secondFactor: Type.Boolean() }) },
      },
      config: {
        access: "person",
        errors: ["SECOND_FACTOR_NOT_PENDING", "SECOND_FACTOR_CODE_FORMAT", "SECOND_FACTOR_INVALID"],
      },
    },
    async (request) => {
      const user = person(request, "confirm a second factor");
      if (!context.secondFactors.isPending(user.id)) throw new HttpProblem("SECOND_FACTOR_NOT_PENDING");
      checkCodeFormat(request.body.code);
      const secret = context.secondFactors.confirm(user.id, request.body.code);
      if (secret === null) throw new HttpProblem("SECOND_FACTOR_INVALID");
      const outcome = await users.setSecondFactor(user.id, secret, "second factor set up by the user", {
        ...metaOf(request),
        actor: user.id,
      });
      return { seq: outcome.seq, secondFactor: true };
    },
  );

  api.delete<{ Body: { code: string } }>(
    "/session/second-factor",
    {
      schema: {
        operationId: "removeSecondFactor",
        tags: ["session"],
        summary: "Remove your second factor, with a current code from the app",
        body: Type.Object({ code: CODE }, { additionalProperties: false, examples: [{ code: "492039" }] }),
        response: { 200: Strict({ seq: SEQ, secondFactor: Type.Boolean() }) },
      },
      config: {
        access: "person",
        errors: ["SECOND_FACTOR_NOT_SET", "SECOND_FACTOR_CODE_FORMAT", "SECOND_FACTOR_INVALID"],
      },
    },
    async (request) => {
      const user = person(request, "remove a second factor");
      const secret = users.secondFactorSecret(user.id);
      if (user.secondFactorSealed === null) throw new HttpProblem("SECOND_FACTOR_NOT_SET", { id: user.id });
      checkCodeFormat(request.body.code);
      if (secret === null || !context.secondFactors.check(user.id, secret, request.body.code)) {
        throw new HttpProblem("SECOND_FACTOR_INVALID");
      }
      const outcome = await users.setSecondFactor(user.id, null, "second factor removed by the user", {
        ...metaOf(request),
        actor: user.id,
      });
      return { seq: outcome.seq, secondFactor: false };
    },
  );

  api.put<{ Body: { language: Language | null } }>(
    "/session/language",
    {
      schema: {
        operationId: "setSessionLanguage",
        tags: ["session"],
        summary:
          "Save the language of your pages and of the server's sentences to you (null: follow the request's Accept-Language)",
        description:
          "Journaled (user.language). Saved, it is the language of every answer to your browser session, and of your " +
          "API keys' requests that send no Accept-Language; a route's own `lang` parameter still wins.",
        body: Type.Object(
          { language: SAVED_LANGUAGE },
          { additionalProperties: false, examples: [{ language: "kk" }, { language: null }] },
        ),
        response: { 200: Strict({ seq: SEQ, language: SAVED_LANGUAGE }) },
      },
      config: { access: "person" },
    },
    async (request, reply) => {
      const user = person(request, "save a language");
      const outcome = await users.setLanguage(user.id, request.body.language, {
        ...metaOf(request),
        actor: user.id,
      });
      // This answer already speaks the saved language.
      const language = users.user(user.id)?.language ?? null;
      if (language !== null) reply.header("content-language", language);
      return { seq: outcome.seq, language };
    },
  );
}
