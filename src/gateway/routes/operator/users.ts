/**
 * Users and API keys under /api/admin/users: list, create (operator or regulator with no member; trader or viewer of
 * a member), disable and enable, and API keys with scopes (created with a secret shown once, revoked but kept on
 * record). Changes need the operator's session with its CSRF token, or an API key with the `trade` scope.
 */

import { randomBytes } from "node:crypto";
import { type Static, Type } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../../context.ts";
import { HttpProblem } from "../../errors.ts";
import { hashPassword, PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN } from "../../passwords.ts";
import { type ApiKey, ROLES, SCOPES, type User } from "../../users.ts";
import { Strict } from "../../wire/base.ts";
import { API_KEY, USER } from "../../wire/console.ts";
import { ID } from "../common.ts";
import { CONSOLE_READ, NEW_ID, OPERATOR_CHANGE, requireConsoleChange, requireConsoleRead } from "../console.ts";
import { publicUser } from "../session.ts";

const strict = { additionalProperties: false } as const;
const tags = ["operator"];

/** Most API keys one user may hold (revoked ones included: they stay on record). */
export const API_KEYS_PER_USER_MAX = 100;
const API_KEY_SECRET_BYTES = 32;
const API_KEY_ID_BYTES = 12;

const USER_PARAMS = Type.Object({ id: ID }, strict);
const NO_BODY = Type.Object({}, { ...strict, examples: [{}] });

const NEW_USER = Type.Object(
  {
    id: NEW_ID,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Enum(ROLES),
    member: Type.Optional(ID),
    password: Type.String({ minLength: PASSWORD_LENGTH_MIN, maxLength: PASSWORD_LENGTH_MAX }),
  },
  {
    ...strict,
    examples: [
      {
        id: "aktau-trader-2",
        name: "Aigerim S.",
        role: "trader",
        member: "AKTAU",
        password: "a long passphrase only I know",
      },
    ],
  },
);

const NEW_KEY = Type.Object(
  { scopes: Type.Array(Type.Enum(SCOPES), { minItems: 1, maxItems: SCOPES.length, uniqueItems: true }) },
  { ...strict, examples: [{ scopes: ["read", "trade"] }, { scopes: ["read"] }] },
);

function keyView(key: ApiKey) {
  return { id: key.id, user: key.user, scopes: key.scopes, revoked: key.revoked };
}

function userView(user: User, keys: readonly ApiKey[]) {
  return { ...publicUser(user), disabled: user.disabled, keys: keys.map(keyView) };
}

export function operatorUserRoutes(api: FastifyInstance, context: RouteContext): void {
  const { users } = context;
  const projections = context.exchange.projections;

  const requireUserRecord = async (id: string): Promise<User> => {
    const user = await users.user(id);
    if (user === null) throw new HttpProblem("USER_NOT_FOUND", { id });
    return user;
  };

  api.get(
    "/admin/users",
    {
      schema: {
        operationId: "listUsers",
        tags,
        summary: "Users with their API keys (never secrets)",
        response: { 200: Strict({ users: Type.Array(USER) }) },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "list users");
      const all = await users.users();
      return { users: await Promise.all(all.map(async (user) => userView(user, await users.apiKeysOf(user.id)))) };
    },
  );

  api.post<{ Body: Static<typeof NEW_USER> }>(
    "/admin/users",
    {
      schema: {
        operationId: "createUser",
        tags,
        summary: `Create a user: operator or regulator (no member), trader or viewer (of a member); password ${PASSWORD_LENGTH_MIN}+ characters`,
        body: NEW_USER,
        response: { 201: Strict({ user: USER }) },
      },
      config: { ...OPERATOR_CHANGE, errors: ["USER_EXISTS", "MEMBER_NOT_FOUND"] },
    },
    async (request, reply) => {
      const principal = requireConsoleChange(request, "operator", "create users");
      const { id, name, role, member, password } = request.body;
      const ofMember = role === "trader" || role === "viewer";
      if (ofMember && member === undefined) {
        throw new HttpProblem("REQUEST_INVALID", { reason: `a ${role} belongs to a member: give 'member'` });
      }
      if (!ofMember && member !== undefined) {
        throw new HttpProblem("REQUEST_INVALID", { reason: `the ${role} belongs to no member: leave 'member' out` });
      }
      if (member !== undefined && projections.controls.member(member) === null) {
        throw new HttpProblem("MEMBER_NOT_FOUND", { id: member });
      }
      // Counted in code points after normalisation, as the hash sees the password.
      const length = [...password.normalize("NFKC")].length;
      if (length < PASSWORD_LENGTH_MIN) {
        throw new HttpProblem("REQUEST_INVALID", {
          reason: `a password needs at least ${PASSWORD_LENGTH_MIN} characters, this one has ${length}`,
        });
      }
      if ((await users.user(id)) !== null) throw new HttpProblem("USER_EXISTS", { id });
      const user: User = {
        id,
        name,
        role,
        member: member ?? null,
        passwordHash: await hashPassword(password),
        disabled: false,
      };
      await users.putUser(user);
      request.log.info({ audit: "user.create", user: id, role, by: principal.user.id }, "user created");
      reply.code(201);
      return { user: userView(user, []) };
    },
  );

  for (const action of ["disable", "enable"] as const) {
    api.post<{ Params: Static<typeof USER_PARAMS>; Body: Static<typeof NO_BODY> }>(
      `/admin/users/:id/${action}`,
      {
        schema: {
          operationId: action === "disable" ? "disableUser" : "enableUser",
          tags,
          summary:
            action === "disable"
              ? "Disable a user: signs them out everywhere, their API keys stop working"
              : "Enable a disabled user",
          params: USER_PARAMS,
          body: NO_BODY,
          response: { 200: Strict({ user: USER }) },
        },
        config: { ...OPERATOR_CHANGE, errors: ["USER_NOT_FOUND"] },
      },
      async (request) => {
        const principal = requireConsoleChange(request, "operator", `${action} users`);
        const user = await requireUserRecord(request.params.id);
        if (action === "disable" && user.id === principal.user.id) {
          throw new HttpProblem("REQUEST_INVALID", { reason: "you cannot disable your own user" });
        }
        const changed: User = { ...user, disabled: action === "disable" };
        await users.putUser(changed);
        if (action === "disable") context.auth.sessions.deleteUser(user.id);
        request.log.info({ audit: `user.${action}`, user: user.id, by: principal.user.id }, `user ${action}d`);
        return { user: userView(changed, await users.apiKeysOf(user.id)) };
      },
    );
  }

  api.get<{ Params: Static<typeof USER_PARAMS> }>(
    "/admin/users/:id/keys",
    {
      schema: {
        operationId: "listApiKeys",
        tags,
        summary: "A user's API keys (never secrets)",
        params: USER_PARAMS,
        response: { 200: Strict({ keys: Type.Array(API_KEY) }) },
      },
      config: { ...CONSOLE_READ, errors: ["USER_NOT_FOUND"] },
    },
    async (request) => {
      requireConsoleRead(request, "list API keys");
      const user = await requireUserRecord(request.params.id);
      return { keys: (await users.apiKeysOf(user.id)).map(keyView) };
    },
  );

  api.post<{ Params: Static<typeof USER_PARAMS>; Body: Static<typeof NEW_KEY> }>(
    "/admin/users/:id/keys",
    {
      schema: {
        operationId: "createApiKey",
        tags,
        summary: "Create an API key with scopes; the secret is in this answer only",
        params: USER_PARAMS,
        body: NEW_KEY,
        response: { 201: Strict({ key: API_KEY, secret: Type.String({ description: "shown once, never again" }) }) },
      },
      config: { ...OPERATOR_CHANGE, errors: ["USER_NOT_FOUND"] },
    },
    async (request, reply) => {
      const principal = requireConsoleChange(request, "operator", "create API keys");
      const user = await requireUserRecord(request.params.id);
      if (user.disabled) throw new HttpProblem("REQUEST_INVALID", { reason: `user '${user.id}' is disabled` });
      const existing = await users.apiKeysOf(user.id);
      if (existing.length >= API_KEYS_PER_USER_MAX) {
        throw new HttpProblem("REQUEST_INVALID", {
          reason: `user '${user.id}' already has ${existing.length} API keys, the most allowed is ${API_KEYS_PER_USER_MAX}`,
        });
      }
      const key: ApiKey = {
        id: `key-${randomBytes(API_KEY_ID_BYTES).toString("base64url")}`,
        user: user.id,
        secret: randomBytes(API_KEY_SECRET_BYTES).toString("base64url"),
        scopes: SCOPES.filter((scope) => request.body.scopes.includes(scope)),
        revoked: false,
      };
      await users.putApiKey(key);
      request.log.info({ audit: "key.create", key: key.id, user: user.id, by: principal.user.id }, "API key created");
      reply.code(201);
      return { key: keyView(key), secret: key.secret };
    },
  );

  api.delete<{ Params: { id: string; keyId: string } }>(
    "/admin/users/:id/keys/:keyId",
    {
      schema: {
        operationId: "revokeApiKey",
        tags,
        summary: "Revoke an API key (it stays on record)",
        params: Type.Object({ id: ID, keyId: ID }, strict),
        response: { 200: Strict({ key: API_KEY }) },
      },
      config: { ...OPERATOR_CHANGE, errors: ["API_KEY_NOT_FOUND"] },
    },
    async (request) => {
      const principal = requireConsoleChange(request, "operator", "revoke API keys");
      const { id, keyId } = request.params;
      const key = await users.apiKey(keyId);
      if (key === null || key.user !== id) throw new HttpProblem("API_KEY_NOT_FOUND", { user: id, id: keyId });
      const revoked: ApiKey = { ...key, revoked: true };
      await users.putApiKey(revoked);
      request.log.info({ audit: "key.revoke", key: keyId, user: id, by: principal.user.id }, "API key revoked");
      return { key: keyView(revoked) };
    },
  );
}
