/**
 * A member's own users and API keys under /api/member/users, managed by the member's administrator (role
 * `administrator`) without the operator: list them with their keys (never secrets), create a trader, viewer or another
 * administrator of the same member, disable and enable one, create an API key with scopes (its secret in that answer
 * only) and revoke one. The operator creates a member's first administrator (/api/admin/users).
 *
 * Guards, in a fixed order: signed in (401), the administrator's role (403 FORBIDDEN), the scope — `read` to list,
 * `trade` to change (403 FORBIDDEN_SCOPE) — and a session's CSRF token for a change (403 AUTH_CSRF). A user of another
 * member is answered as not found (404 USER_NOT_FOUND), so an administrator cannot learn another member's user names.
 * Every change is the same journaled access command the operator's console sends (engine/access.ts), so the audit
 * trail shows which administrator did it and why.
 */

import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Static, Type } from "typebox";
import { NAME_LENGTH_MAX } from "../../domain/limits.ts";
import { checkCsrf, requireRole, requireScope } from "../auth.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import { PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN } from "../passwords.ts";
import { SCOPES, type User } from "../users.ts";
import { SEQ, Strict } from "../wire/base.ts";
import { API_KEY, USER } from "../wire/console.ts";
import { metaOf } from "./access.ts";
import { ID, REASON } from "./common.ts";
import { NEW_ID } from "./console.ts";
import {
  ENABLE_BODY,
  keyView,
  NEW_KEY,
  REASON_BODY,
  REVOKE_KEY_BODY,
  refuseViewerTradeScope,
  userView,
} from "./operator/users.ts";

const strict = { additionalProperties: false } as const;
const tags = ["member"];
const MEMBER_ADMIN = { access: "memberAdmin" as const };

/** The roles an administrator may give: the member's own people, never the operator's or the regulator's. */
export const MEMBER_USER_ROLES = ["trader", "viewer", "administrator"] as const;

const USER_PARAMS = Type.Object({ id: ID }, strict);
const NEW_MEMBER_USER = Type.Object(
  {
    id: NEW_ID,
    name: Type.String({ minLength: 1, maxLength: NAME_LENGTH_MAX }),
    role: Type.Enum(MEMBER_USER_ROLES),
    password: Type.String({ minLength: PASSWORD_LENGTH_MIN, maxLength: PASSWORD_LENGTH_MAX }),
    reason: Type.Optional(REASON),
  },
  {
    ...strict,
    examples: [
      { id: "aktau-stations-trader-3", name: "Dana K.", role: "trader", password: "a long passphrase only I know" },
    ],
  },
);

type Administrator = ReturnType<typeof requireRole> & { readonly user: User & { readonly member: string } };

function requireAdministrator(request: FastifyRequest, change: boolean, action: string): Administrator {
  const principal = requireRole(request.principal, ["administrator"], action);
  requireScope(principal, change ? "trade" : "read", action);
  if (change) checkCsrf(request, principal);
  if (principal.user.member === null) throw new HttpProblem("FORBIDDEN", { role: principal.user.role, action });
  return principal as Administrator;
}

export function memberUserRoutes(api: FastifyInstance, context: RouteContext): void {
  const { users } = context;

  /** A user of the administrator's member, or 404 (another member's user is not found either). */
  const requireOwnUser = (admin: Administrator, id: string): User => {
    const user = users.user(id);
    if (user === null || user.member !== admin.user.member) throw new HttpProblem("USER_NOT_FOUND", { id });
    return user;
  };
  const view = (id: string) => {
    const user = users.user(id);
    if (user === null) throw new HttpProblem("USER_NOT_FOUND", { id });
    return userView(user, users.apiKeysOf(id), users);
  };

  api.get(
    "/member/users",
    {
      schema: {
        operationId: "listMemberUsers",
        tags,
        summary: "The administrator's member's users with their API keys (never secrets)",
        response: { 200: Strict({ member: Type.String(), users: Type.Array(USER) }) },
      },
      config: MEMBER_ADMIN,
    },
    async (request) => {
      const admin = requireAdministrator(request, false, "list the member's users");
      const member = admin.user.member;
      const own = users.users().filter((user) => user.member === member);
      return { member, users: own.map((user) => userView(user, users.apiKeysOf(user.id), users)) };
    },
  );

  api.post<{ Body: Static<typeof NEW_MEMBER_USER> }>(
    "/member/users",
    {
      schema: {
        operationId: "createMemberUser",
        tags,
        summary: `Create a trader, viewer or administrator of the administrator's member; password ${PASSWORD_LENGTH_MIN}+ characters, not a common one`,
        body: NEW_MEMBER_USER,
        response: { 201: Strict({ seq: SEQ, user: USER }) },
      },
      config: { ...MEMBER_ADMIN, errors: ["USER_EXISTS", "PASSWORD_WEAK"] },
    },
    async (request, reply) => {
      const admin = requireAdministrator(request, true, "create the member's users");
      const { id, name, role, password, reason } = request.body;
      if (users.user(id) !== null) throw new HttpProblem("USER_EXISTS", { id });
      const outcome = await users.create(
        { id, name, role, member: admin.user.member, password, reason: reason ?? "new user of the member" },
        metaOf(request),
      );
      reply.code(201);
      return { seq: outcome.seq, user: view(id) };
    },
  );

  for (const action of ["disable", "enable"] as const) {
    api.post<{ Params: Static<typeof USER_PARAMS>; Body: Static<typeof REASON_BODY> }>(
      `/member/users/:id/${action}`,
      {
        schema: {
          operationId: action === "disable" ? "disableMemberUser" : "enableMemberUser",
          tags,
          summary:
            action === "disable"
              ? "Disable a user of the member, with a reason: signs them out everywhere, their API keys stop working"
              : "Enable a disabled user of the member, with a reason",
          params: USER_PARAMS,
          body: action === "disable" ? REASON_BODY : ENABLE_BODY,
          response: { 200: Strict({ seq: SEQ, user: USER }) },
        },
        config: { ...MEMBER_ADMIN, errors: ["USER_NOT_FOUND"] },
      },
      async (request) => {
        const admin = requireAdministrator(request, true, `${action} the member's users`);
        const user = requireOwnUser(admin, request.params.id);
        if (action === "disable" && user.id === admin.user.id) {
          throw new HttpProblem("REQUEST_INVALID", { reason: "you cannot disable your own user" });
        }
        const outcome = await users.setDisabled(user.id, action === "disable", request.body.reason, metaOf(request));
        if (action === "disable") context.auth.sessions.deleteUser(user.id);
        return { seq: outcome.seq, user: view(user.id) };
      },
    );
  }

  api.post<{ Params: Static<typeof USER_PARAMS>; Body: Static<typeof NEW_KEY> }>(
    "/member/users/:id/keys",
    {
      schema: {
        operationId: "createMemberApiKey",
        tags,
        summary: "Create an API key for a user of the member, with scopes; the secret is in this answer only",
        params: USER_PARAMS,
        body: NEW_KEY,
        response: {
          201: Strict({ seq: SEQ, key: API_KEY, secret: Type.String({ description: "shown once, never again" }) }),
        },
      },
      config: {
        ...MEMBER_ADMIN,
        errors: ["USER_NOT_FOUND", "USER_DISABLED", "API_KEYS_LIMIT", "API_KEY_SCOPE_NOT_FOR_ROLE", "FIELD_INVALID"],
      },
    },
    async (request, reply) => {
      const admin = requireAdministrator(request, true, "create API keys of the member's users");
      const user = requireOwnUser(admin, request.params.id);
      const scopes = SCOPES.filter((scope) => request.body.scopes.includes(scope));
      refuseViewerTradeScope(user, scopes);
      const { key, secret, outcome } = await users.createKey(user.id, scopes, metaOf(request));
      reply.code(201);
      return { seq: outcome.seq, key: keyView(key), secret };
    },
  );

  api.delete<{ Params: { id: string; keyId: string }; Body: Static<typeof REVOKE_KEY_BODY> }>(
    "/member/users/:id/keys/:keyId",
    {
      schema: {
        operationId: "revokeMemberApiKey",
        tags,
        summary: "Revoke an API key of a user of the member, with a reason (it stays on record)",
        params: Type.Object({ id: ID, keyId: ID }, strict),
        body: REVOKE_KEY_BODY,
        response: { 200: Strict({ seq: SEQ, key: API_KEY }) },
      },
      config: { ...MEMBER_ADMIN, errors: ["USER_NOT_FOUND", "API_KEY_NOT_FOUND", "API_KEY_ALREADY_REVOKED"] },
    },
    async (request) => {
      const admin = requireAdministrator(request, true, "revoke API keys of the member's users");
      const user = requireOwnUser(admin, request.params.id);
      const key = users.apiKey(request.params.keyId);
      if (key === null || key.user !== user.id) {
        throw new HttpProblem("API_KEY_NOT_FOUND", { user: user.id, id: request.params.keyId });
      }
      // A second revocation is refused there (Users.revokeKey), also while the first is being journaled.
      const outcome = await users.revokeKey(key.id, request.body.reason, metaOf(request));
      return { seq: outcome.seq, key: keyView(users.apiKey(key.id)!) };
    },
  );
}
