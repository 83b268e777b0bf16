/**
 * Signing in and out in the browser. A successful sign-in sets the session cookie and returns the CSRF token that
 * unsafe requests must echo. A failed sign-in says only that the name or password is wrong (never which).
 */

import { Type } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { SESSION_COOKIE, SESSION_IDLE_MS } from "../auth.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import { PASSWORD_LENGTH_MAX, verifyPassword } from "../passwords.ts";
import type { User } from "../users.ts";
import { Nullable, Strict } from "../wire/base.ts";
import { PUBLIC_USER, SCOPE } from "../wire/console.ts";
import { ID } from "./common.ts";

export function publicUser(user: User) {
  return { id: user.id, name: user.name, role: user.role, member: user.member };
}

export function sessionRoutes(api: FastifyInstance, { auth, users, secureCookies }: RouteContext): void {
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
      config: { rateLimit: { max: 20, timeWindow: 60_000 }, access: "public", errors: ["AUTH_FAILED"] },
    },
    async (request, reply) => {
      const user = await users.user(request.body.user);
      // Hash even for an unknown user, so timing does not tell which names exist.
      const ok = user !== null && !user.disabled && (await verifyPassword(request.body.password, user.passwordHash));
      if (!user || !ok) {
        if (!user) await verifyPassword(request.body.password, "scrypt$12$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA");
        throw new HttpProblem("AUTH_FAILED");
      }
      const { token, csrf } = auth.sessions.create(user.id);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "strict",
        secure: secureCookies,
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
        summary: "Sign out",
        response: { 200: Strict({ user: Type.Null() }) },
      },
      config: { access: "public" },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) auth.sessions.delete(token);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { user: null };
    },
  );
}
