/**
 * Users and API keys under /api/admin/users: list, create (operator or regulator with no member; trader or viewer of
 * a member), disable and enable, and API keys with scopes (created with a secret shown once and stored only sealed,
 * revoked but kept on record); and the security alerts of repeated failed sign-ins. Changes need the operator's
 * session with its CSRF token, or an API key with the `trade` scope. Users and keys are journaled like the exchange's
 * other state (engine/access.ts): every change is a command with who, when and why.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { NAME_LENGTH_MAX } from "../../../domain/limits.ts";
import { roleOfMember } from "../../../engine/access.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem } from "../../errors.ts";
import { PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN } from "../../passwords.ts";
import { type ApiKey, ROLES, SCOPES, type Scope, type User, type Users } from "../../users.ts";
import { EPOCH_MS, SEQ, Strict } from "../../wire/base.ts";
import { API_KEY, USER } from "../../wire/console.ts";
import { metaOf } from "../access.ts";
import { ID, REASON } from "../common.ts";
import { CONSOLE_READ, NEW_ID, OPERATOR_CHANGE, requireConsoleChange, requireConsoleRead } from "../console.ts";
import { publicUser } from "../session.ts";

const strict = { additionalProperties: false } as const;
const tags = ["operator"];

const USER_PARAMS = Type.Object({ id: ID }, strict);
export const REASON_BODY = Type.Object(
  { reason: REASON },
  { ...strict, examples: [{ reason: "left the company on 1 December" }] },
);
/** A user enabled again: the same body, an example that says why. */
export const ENABLE_BODY = Type.Object(
  { reason: REASON },
  { ...strict, examples: [{ reason: "back from leave on 8 December" }] },
);
/** A second factor removed by the operator: the example is the lost phone the summary names. */
export const SECOND_FACTOR_RESET_BODY = Type.Object(
  { reason: REASON },
  {
    ...strict,
    examples: [{ reason: "phone with the authenticator app lost; identity confirmed by the member's administrator" }],
  },
);
/** A key revoked: the example says why that key, not its user, must stop working. */
export const REVOKE_KEY_BODY = Type.Object(
  { reason: REASON },
  { ...strict, examples: [{ reason: "the secret was pasted into a support ticket; a new key replaces it" }] },
);

const NEW_USER = Type.Object(
  {
    id: NEW_ID,
    name: Type.String({ minLength: 1, maxLength: NAME_LENGTH_MAX }),
    role: Type.Enum(ROLES),
    member: Type.Optional(ID),
    password: Type.String({ minLength: PASSWORD_LENGTH_MIN, maxLength: PASSWORD_LENGTH_MAX }),
    reason: Type.Optional(REASON),
  },
  {
    ...strict,
    examples: [
      {
        id: "aktau-stations-trader-2",
        name: "Aigerim S.",
        role: "trader",
        member: "AKTAU-STATIONS",
        password: "a long passphrase only I know",
      },
    ],
  },
);

const SECURITY_ALERT = Strict({
  id: Type.Integer(),
  timeMs: EPOCH_MS,
  kind: Type.Enum(["sign-in-failures"] as const),
  user: Type.String({ description: "the user name that was tried (it may not exist)" }),
  failures: Type.Integer(),
  source: Type.String({ description: "the address of the last failed attempt" }),
  message: Type.String(),
});

export const NEW_KEY = Type.Object(
  { scopes: Type.Array(Type.Enum(SCOPES), { minItems: 1, maxItems: SCOPES.length, uniqueItems: true }) },
  { ...strict, examples: [{ scopes: ["read", "trade"] }, { scopes: ["read"] }] },
);

/** Which secrets key sealed a secret: the API keys still sealed with an older one are to be reissued. */
type SealChecker = Pick<Users, "sealedWithCurrentKey">;

export function keyView(key: ApiKey) {
  const { id, user, scopes, revoked, sealedWithCurrentKey } = key;
  return { id, user, scopes, revoked, sealedWithCurrentKey };
}

export function userView(user: User, keys: readonly ApiKey[], seals: SealChecker) {
  return {
    ...publicUser(user),
    disabled: user.disabled,
    secondFactor: user.secondFactorSealed !== null,
    secondFactorSealedWithCurrentKey:
      user.secondFactorSealed === null ? null : seals.sealedWithCurrentKey(user.secondFactorSealed),
    keys: keys.map(keyView),
  };
}

export function operatorUserRoutes(api: FastifyInstance, context: RouteContext): void {
  const { users } = context;
  const projections = context.exchange.projections;

  const requireUserRecord = (id: string): User => {
    const user = users.user(id);
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
      return { users: users.users().map((user) => userView(user, users.apiKeysOf(user.id), users)) };
    },
  );

  api.post<{ Body: Static<typeof NEW_USER> }>(
    "/admin/users",
    {
      schema: {
        operationId: "createUser",
        tags,
        summary: `Create a user: operator or regulator (no member), trader, viewer or administrator (of a member); password ${PASSWORD_LENGTH_MIN}+ characters, not a common one`,
        body: NEW_USER,
        response: { 201: Strict({ seq: SEQ, user: USER }) },
      },
      config: { ...OPERATOR_CHANGE, errors: ["USER_EXISTS", "MEMBER_NOT_FOUND", "PASSWORD_WEAK"] },
    },
    async (request, reply) => {
      requireConsoleChange(request, "operator", "create users");
      const { id, name, role, member, password, reason } = request.body;
      const ofMember = roleOfMember(role);
      if (ofMember && member === undefined) {
        throw new HttpProblem("REQUEST_INVALID", { reason: `a ${role} belongs to a member: give 'member'` });
      }
      if (!ofMember && member !== undefined) {
        throw new HttpProblem("REQUEST_INVALID", { reason: `the ${role} belongs to no member: leave 'member' out` });
      }
      if (member !== undefined && projections.controls.member(member) === null) {
        throw new HttpProblem("MEMBER_NOT_FOUND", { id: member });
      }
      if (users.user(id) !== null) throw new HttpProblem("USER_EXISTS", { id });
      const outcome = await users.create(
        { id, name, role, member: member ?? null, password, reason: reason ?? "new user" },
        metaOf(request),
      );
      reply.code(201);
      return { seq: outcome.seq, user: userView(requireUserRecord(id), [], users) };
    },
  );

  for (const action of ["disable", "enable"] as const) {
    api.post<{ Params: Static<typeof USER_PARAMS>; Body: Static<typeof REASON_BODY> }>(
      `/admin/users/:id/${action}`,
      {
        schema: {
          operationId: action === "disable" ? "disableUser" : "enableUser",
          tags,
          summary:
            action === "disable"
              ? "Disable a user, with a reason: signs them out everywhere, their API keys stop working"
              : "Enable a disabled user, with a reason",
          params: USER_PARAMS,
          body: action === "disable" ? REASON_BODY : ENABLE_BODY,
          response: { 200: Strict({ seq: SEQ, user: USER }) },
        },
        config: { ...OPERATOR_CHANGE, errors: ["USER_NOT_FOUND", "USER_DISABLED"] },
      },
      async (request) => {
        const principal = requireConsoleChange(request, "operator", `${action} users`);
        const user = requireUserRecord(request.params.id);
        if (action === "disable" && user.id === principal.user.id) {
          throw new HttpProblem("REQUEST_INVALID", { reason: "you cannot disable your own user" });
        }
        const outcome = await users.setDisabled(user.id, action === "disable", request.body.reason, metaOf(request));
        if (action === "disable") context.auth.sessions.deleteUser(user.id);
        return { seq: outcome.seq, user: userView(requireUserRecord(user.id), users.apiKeysOf(user.id), users) };
      },
    );
  }

  api.delete<{ Params: Static<typeof USER_PARAMS>; Body: Static<typeof SECOND_FACTOR_RESET_BODY> }>(
    "/admin/users/:id/second-factor",
    {
      schema: {
        operationId: "resetSecondFactor",
        tags,
        summary:
          "Remove a user's second factor, with a reason (a lost phone): they sign in with the password alone and may set up a new one",
        params: USER_PARAMS,
        body: SECOND_FACTOR_RESET_BODY,
        response: { 200: Strict({ seq: SEQ, user: USER }) },
      },
      config: { ...OPERATOR_CHANGE, errors: ["USER_NOT_FOUND", "SECOND_FACTOR_NOT_SET"] },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "remove a user's second factor");
      const user = requireUserRecord(request.params.id);
      if (user.secondFactorSealed === null) throw new HttpProblem("SECOND_FACTOR_NOT_SET", { id: user.id });
      const outcome = await users.setSecondFactor(user.id, null, request.body.reason, metaOf(request));
      return { seq: outcome.seq, user: userView(requireUserRecord(user.id), users.apiKeysOf(user.id), users) };
    },
  );

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
      const user = requireUserRecord(request.params.id);
      return { keys: users.apiKeysOf(user.id).map(keyView) };
    },
  );

  api.post<{ Params: Static<typeof USER_PARAMS>; Body: Static<typeof NEW_KEY> }>(
    "/admin/users/:id/keys",
    {
      schema: {
        operationId: "createApiKey",
        tags,
        summary: "Create an API key with scopes; the secret is in this answer only (stored sealed)",
        params: USER_PARAMS,
        body: NEW_KEY,
        response: {
          201: Strict({ seq: SEQ, key: API_KEY, secret: Type.String({ description: "shown once, never again" }) }),
        },
      },
      config: {
        ...OPERATOR_CHANGE,
        errors: [
          "USER_NOT_FOUND",
          "USER_DISABLED",
          "API_KEY_EXISTS",
          "API_KEYS_LIMIT",
          "API_KEY_SCOPE_NOT_FOR_ROLE",
          "FIELD_INVALID",
        ],
      },
    },
    async (request, reply) => {
      requireConsoleChange(request, "operator", "create API keys");
      const user = requireUserRecord(request.params.id);
      const scopes = SCOPES.filter((scope) => request.body.scopes.includes(scope));
      refuseViewerTradeScope(user, scopes);
      const { key, secret, outcome } = await users.createKey(user.id, scopes, metaOf(request));
      reply.code(201);
      return { seq: outcome.seq, key: keyView(key), secret };
    },
  );

  api.delete<{ Params: { id: string; keyId: string }; Body: Static<typeof REVOKE_KEY_BODY> }>(
    "/admin/users/:id/keys/:keyId",
    {
      schema: {
        operationId: "revokeApiKey",
        tags,
        summary: "Revoke an API key, with a reason (it stays on record)",
        params: Type.Object({ id: ID, keyId: ID }, strict),
        body: REVOKE_KEY_BODY,
        response: { 200: Strict({ seq: SEQ, key: API_KEY }) },
      },
      config: { ...OPERATOR_CHANGE, errors: ["API_KEY_NOT_FOUND", "API_KEY_ALREADY_REVOKED"] },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "revoke API keys");
      const { id, keyId } = request.params;
      const key = users.apiKey(keyId);
      if (key === null || key.user !== id) throw new HttpProblem("API_KEY_NOT_FOUND", { user: id, id: keyId });
      // A second revocation is refused there (Users.revokeKey), also while the first is being journaled.
      const outcome = await users.revokeKey(keyId, request.body.reason, metaOf(request));
      return { seq: outcome.seq, key: keyView(users.apiKey(keyId)!) };
    },
  );

  api.get(
    "/admin/alerts",
    {
      schema: {
        operationId: "securityAlerts",
        tags,
        summary: "Security alerts: repeated failed sign-ins per user name, newest first",
        response: { 200: Strict({ alerts: Type.Array(SECURITY_ALERT) }) },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "read security alerts");
      return { alerts: context.signIn.alerts() };
    },
  );
}

/**
 * Refuses a key beyond `read` for a viewer: a viewer may only look, so a `trade` scope would give its program nothing
 * but refusals (FORBIDDEN for its role) later, and a key of `trade` alone not even a read.
 */
export function refuseViewerTradeScope(user: Pick<User, "id" | "role">, scopes: readonly Scope[]): void {
  const beyondRead = scopes.find((scope) => scope !== "read");
  if (user.role === "viewer" && beyondRead !== undefined) {
    throw new HttpProblem("API_KEY_SCOPE_NOT_FOR_ROLE", { user: user.id, scope: beyondRead, allowed: "read" });
  }
}
