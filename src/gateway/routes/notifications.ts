/**
 * A member's notifications (src/projections/notifications.ts makes them, notifier.ts delivers them): the list with
 * its unread count, marking read, and the member's choice of which kinds go to the browser and which by e-mail.
 *
 * Who: the signed-in user's own member, never another's (there is no member in the path). Its users and their
 * read-scoped API keys read the list and mark it read (`memberOwn`); its traders and its administrators change the
 * settings (`memberOwnChange`, the `trade` scope, CSRF for a session): where a member's notices go (the desk's
 * address, which kinds are e-mailed) is the member's own set-up, which its administrator looks after as it does the
 * member's users and keys, as much as the desk that trades. A viewer, the operator and the regulator get 403
 * FORBIDDEN, a read-scoped key 403 FORBIDDEN_SCOPE. Marks and settings are journal commands (`notices.read`,
 * `notices.prefer`), so they survive restarts and are audited with who made them (actor and role).
 */

import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Static, Type } from "typebox";
import { LANGUAGES, type Language } from "../../domain/locale.ts";
import {
  NOTICE_EMAIL_LENGTH_MAX,
  NOTICE_ID_LENGTH_MAX,
  NOTICE_KINDS,
  NOTICE_READ_IDS_MAX,
} from "../../engine/notices.ts";
import { NOTICES_PER_MEMBER_MAX, type NoticeView } from "../../projections/notifications.ts";
import { noticeSentence } from "../../reports/notices.ts";
import { checkCsrf, requireRole, requireScope, requireUser } from "../auth.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem, languageOf } from "../errors.ts";
import { COUNT, SEQ, Strict, TEXT } from "../wire/base.ts";
import { NOTICE_PREFERENCES, NOTIFICATION } from "../wire/notifications.ts";
import { metaOf } from "./access.ts";
import { throwIfRejected } from "./common.ts";

const strict = { additionalProperties: false } as const;
const tags = ["notifications"];
/** Who of a member changes its notification settings: its traders and its administrators (not its viewers). */
const SETTINGS_ROLES = ["trader", "administrator"] as const;

const LIST_QUERY = Type.Object(
  {
    unread: Type.Boolean({ default: false, description: "only the unread ones" }),
    limit: Type.Integer({ minimum: 1, maximum: NOTICES_PER_MEMBER_MAX, default: 50 }),
    lang: Type.Optional(
      Type.Union(
        LANGUAGES.map((language) => Type.Literal(language)),
        { description: "the sentences' language (default: Accept-Language)" },
      ),
    ),
  },
  strict,
);

const READ_BODY = Type.Object(
  {
    ids: Type.Array(Type.String({ minLength: 1, maxLength: NOTICE_ID_LENGTH_MAX }), {
      minItems: 1,
      maxItems: NOTICE_READ_IDS_MAX,
      uniqueItems: true,
    }),
  },
  { ...strict, examples: [{ ids: ["N-42-1"] }] },
);

const KIND_LIST = Type.Array(Type.Union(NOTICE_KINDS.map((kind) => Type.Literal(kind))), {
  maxItems: NOTICE_KINDS.length,
  uniqueItems: true,
});
const PREFERENCES_BODY = Type.Object(
  {
    web: KIND_LIST,
    mail: KIND_LIST,
    email: Type.Union([Type.String({ minLength: 3, maxLength: NOTICE_EMAIL_LENGTH_MAX }), Type.Null()]),
    language: Type.Union([...LANGUAGES.map((language) => Type.Literal(language)), Type.Null()]),
  },
  {
    ...strict,
    examples: [
      {
        web: ["fill", "cancel", "shortfall", "deadline", "default", "deal", "void"],
        mail: ["deadline", "default"],
        email: "desk@example.kz",
        language: "kk",
      },
    ],
  },
);

/** A notification as the API and the stream send it, with its sentence in `language`. */
export function notificationWire(notice: NoticeView, language: Language) {
  return {
    id: notice.id,
    member: notice.member,
    timeMs: notice.timeMs,
    kind: notice.facts.kind,
    read: notice.read,
    text: noticeSentence(notice.facts, language),
    facts: notice.facts,
    mail: notice.mail,
  };
}

/** The signed-in user's member; 403 for users without one (the operator, the regulator). */
export function ownMember(request: FastifyRequest, action: string): string {
  const principal = requireUser(request.principal, action);
  const member = principal.user.member;
  if (member === null) throw new HttpProblem("FORBIDDEN", { role: principal.user.role, action });
  return member;
}

export function notificationRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;
  const notices = exchange.projections.notices;

  const readMember = (request: FastifyRequest, action: string) => {
    const principal = requireUser(request.principal, action);
    requireScope(principal, "read", action);
    return ownMember(request, action);
  };

  api.get<{ Querystring: Static<typeof LIST_QUERY> }>(
    "/notifications",
    {
      schema: {
        operationId: "listNotifications",
        tags,
        summary: "The signed-in member's notifications of the kinds it sees in the browser, newest first",
        querystring: LIST_QUERY,
        response: { 200: Strict({ member: TEXT, unread: COUNT, notifications: Type.Array(NOTIFICATION) }) },
      },
      config: { access: "memberOwn" },
    },
    async (request) => {
      const member = readMember(request, "read notifications");
      const language = request.query.lang ?? languageOf(request);
      const list = notices.list(member, { unreadOnly: request.query.unread, limit: request.query.limit });
      return {
        member,
        unread: notices.unreadCount(member),
        notifications: list.map((notice) => notificationWire(notice, language)),
      };
    },
  );

  api.post<{ Body: Static<typeof READ_BODY> }>(
    "/notifications/read",
    {
      schema: {
        operationId: "markNotificationsRead",
        tags,
        summary: "Marks the member's notifications read (ids it does not have are refused)",
        body: READ_BODY,
        response: { 200: Strict({ seq: SEQ, unread: COUNT }) },
      },
      config: { access: "memberOwn", errors: ["NOTIFICATION_NOT_FOUND"] },
    },
    async (request) => {
      const member = readMember(request, "mark notifications read");
      checkCsrf(request, request.principal);
      const unknown = request.body.ids.find((id) => !notices.has(member, id));
      if (unknown !== undefined) {
        throw new HttpProblem("NOTIFICATION_NOT_FOUND", { member, id: unknown.slice(0, 200) });
      }
      const outcome = await exchange.submit({ type: "notices.read", member, ids: request.body.ids }, metaOf(request));
      throwIfRejected(outcome);
      return { seq: outcome.seq, unread: notices.unreadCount(member) };
    },
  );

  api.get(
    "/notifications/preferences",
    {
      schema: {
        operationId: "notificationPreferences",
        tags,
        summary:
          "Which kinds of notification the member sees in the browser and gets by e-mail, the address and language",
        response: { 200: NOTICE_PREFERENCES },
      },
      config: { access: "memberOwn" },
    },
    async (request) => notices.preferencesOf(readMember(request, "read notification settings")),
  );

  api.put<{ Body: Static<typeof PREFERENCES_BODY> }>(
    "/notifications/preferences",
    {
      schema: {
        operationId: "setNotificationPreferences",
        tags,
        summary: "Sets which kinds go to the browser and which by e-mail (to `email`, in `language`; null: Russian)",
        body: PREFERENCES_BODY,
        response: { 200: Strict({ seq: SEQ, preferences: NOTICE_PREFERENCES }) },
      },
      config: { access: "memberOwnChange", errors: ["FIELD_INVALID", "NOTICE_EMAIL_REQUIRED"] },
    },
    async (request) => {
      const action = "change notification settings";
      const principal = requireRole(request.principal, SETTINGS_ROLES, action);
      requireScope(principal, "trade", action);
      checkCsrf(request, principal);
      const member = ownMember(request, action);
      const { web, mail, email, language } = request.body;
      // Kinds to be e-mailed with no address would never be mailed: refused as the settings form refuses them.
      if (mail.length > 0 && email === null) throw new HttpProblem("NOTICE_EMAIL_REQUIRED", { kinds: mail.join(", ") });
      const outcome = await exchange.submit(
        { type: "notices.prefer", member, web, mail, email, language },
        metaOf(request),
      );
      throwIfRejected(outcome);
      return { seq: outcome.seq, preferences: notices.preferencesOf(member) };
    },
  );
}
