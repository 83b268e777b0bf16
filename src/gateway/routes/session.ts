/**
 * Signing in and out in the browser. A successful sign-in sets the session cookie and returns the CSRF token that
 * unsafe requests must echo. A failed sign-in says only that the name or password is wrong (never which), and costs
 * the same whether the user exists, does not exist or is disabled (sign-in.ts): one scrypt of the given password
 * against the user's hash or the stand-in hash. Failures per user name back off and alert the operator. Signing out
 * is an unsafe request like any other: with a session, it needs the session's CSRF token.
 */

import { Type } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { checkCsrf, SESSION_COOKIE, SESSION_IDLE_MS } from "../auth.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import { hashUses, PASSWORD_LENGTH_MAX, verifyPassword } from "../passwords.ts";
import type { User } from "../users.ts";
import { Nullable, Strict } from "../wire/base.ts";
import { PUBLIC_USER, SCOPE } from "../wire/console.ts";
import { metaOf } from "./access.ts";
import { ID } from "./common.ts";

export function publicUser(user: User) {
  return { id: user.id, name: user.name, role: user.role, member: user.member };
}

export function sessionRoutes(api: FastifyInstance, context: RouteContext): void {
  const { auth, users, signIn, standInHash, secureCookies } = context;
  api.post<{ Body: { user: string; password: string } }>(
    "/session",
    {
      schema: {
        operationId: "signIn",
        tags: ["session"],
        summary: "Sign in",
        body: Type.Object(
          { user: ID, password: Type.String({ minLength: 1, maxLength: PASSWORD_LENGTH_MAX }) },
          {
            additionalProperties: false,
            examples: [{ user: "aktau-trader", password: "correct horse battery staple" }],
          },
        ),
        response: { 200: Strict({ user: PUBLIC_USER, csrfToken: Type.String() }) },
      },
      config: {
        rateLimit: { max: context.signInPerMinute, timeWindow: 60_000 },
        access: "public",
        errors: ["AUTH_FAILED", "AUTH_BACKOFF"],
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
      const matches = await verifyPassword(request.body.password, user?.passwordHash ?? standInHash);
      if (user === null || user.disabled || !matches) {
        signIn.failed(name, request.ip);
        throw new HttpProblem("AUTH_FAILED");
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
      return { user: publicUser(user), csrfToken: csrf };
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
            scopes: Type.Optional(Type.Array(SCOPE)),
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
}
