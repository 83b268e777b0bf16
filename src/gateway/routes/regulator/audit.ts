/**
 * The audit trail under /api/regulator/audit, newest first: who, when, from where, what, of which kind, and the
 * outcome; filtered by actor, instrument, account, command type, kinds, outcome and time; paged backwards by seq;
 * JSON or CSV. Summaries and rejection sentences come in the language the request asks for (Accept-Language).
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { ID_LENGTH_MAX, ID_PATTERN_SOURCE, NAME_LENGTH_MAX } from "../../../domain/limits.ts";
import { COMMAND_TYPES } from "../../../engine/commands.ts";
import {
  AUDIT_KINDS,
  AUDIT_QUERY_LIMIT_DEFAULT,
  AUDIT_QUERY_LIMIT_MAX,
  type AuditEntry,
  type AuditKind,
  toCsv,
} from "../../../projections/index.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem, languageOf } from "../../errors.ts";
import { Enum, Nullable, SEQ, Strict } from "../../wire/base.ts";
import { AUDIT_ENTRY } from "../../wire/console.ts";
import { jsonOrCsv } from "../../wire/market.ts";
import { ACCOUNT_ID, FORMAT, sendCsv } from "../common.ts";
import { CONSOLE_READ, requireConsoleRead, TIME_MS } from "../console.ts";

const tags = ["regulator"];

const KINDS_PATTERN = `^(${AUDIT_KINDS.join("|")})(,(${AUDIT_KINDS.join("|")}))*$`;

const AUDIT_QUERY = Type.Object(
  {
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: NAME_LENGTH_MAX })),
    instrument: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: ID_LENGTH_MAX,
        pattern: ID_PATTERN_SOURCE,
        description:
          "an instrument id, or its leading part up to a hyphen, whatever its case (pb-tco finds PB-TCO-ATYRAU-2026-12 and PB-TCO-KZ-2026-12, not PB-TCOX-…); no entries (an empty list) when none matches",
      }),
    ),
    account: Type.Optional(ACCOUNT_ID),
    commandType: Type.Optional(Type.Enum([...COMMAND_TYPES, "unknown"])),
    kinds: Type.Optional(
      Type.String({
        pattern: KINDS_PATTERN,
        maxLength: 200,
        description: `comma-separated kinds to keep, of ${AUDIT_KINDS.join(", ")}`,
      }),
    ),
    outcome: Type.Optional(Type.Enum(["accepted", "rejected"] as const)),
    fromMs: Type.Optional(TIME_MS),
    toMs: Type.Optional(TIME_MS),
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    limit: Type.Integer({ minimum: 1, maximum: AUDIT_QUERY_LIMIT_MAX, default: AUDIT_QUERY_LIMIT_DEFAULT }),
    format: FORMAT,
  },
  { additionalProperties: false },
);

const AUDIT_CSV_HEADER = [
  "seq",
  "time",
  "actor",
  "role",
  "source",
  "request_id",
  "command_type",
  "kind",
  "instrument",
  "account",
  "outcome",
  "code",
  "summary",
  "message",
];

function auditCsv(entries: readonly AuditEntry[]): string {
  return toCsv(
    AUDIT_CSV_HEADER,
    entries.map((e) => [
      e.seq,
      e.time,
      e.actor,
      e.role,
      e.source,
      e.requestId,
      e.commandType,
      e.kind,
      e.instrument,
      e.account,
      e.outcome,
      e.code,
      e.summary,
      e.message,
    ]),
  );
}

export function regulatorAuditRoutes(api: FastifyInstance, context: RouteContext): void {
  const projections = context.exchange.projections;

  api.get<{ Querystring: Static<typeof AUDIT_QUERY> }>(
    "/regulator/audit",
    {
      schema: {
        operationId: "auditTrail",
        tags,
        summary: "The audit trail, newest first: who, when, from where, what, outcome; JSON or CSV",
        querystring: AUDIT_QUERY,
        response: {
          200: jsonOrCsv(
            Strict({
              entries: Type.Array(AUDIT_ENTRY),
              nextBeforeSeq: Nullable(SEQ),
              kinds: Type.Array(Enum(AUDIT_KINDS)),
            }),
            "Entries newest first; nextBeforeSeq pages further back (null at the end)",
          ),
        },
      },
      config: CONSOLE_READ,
    },
    async (request, reply) => {
      requireConsoleRead(request, "read the audit trail");
      const { format, kinds, ...query } = request.query;
      if (query.fromMs !== undefined && query.toMs !== undefined && query.toMs <= query.fromMs) {
        throw new HttpProblem("REQUEST_INVALID", {
          reason: `toMs ${query.toMs} must be after fromMs ${query.fromMs}`,
        });
      }
      const kindList = kinds === undefined ? undefined : ([...new Set(kinds.split(","))] as AuditKind[]);
      const language = languageOf(request);
      const entries = projections.audit
        .query({ ...query, ...(kindList ? { kinds: kindList } : {}) })
        .map((entry) => projections.audit.inLanguage(entry, language));
      if (format === "csv") return sendCsv(reply, "audit", auditCsv(entries));
      const oldest = entries.at(-1);
      return {
        entries,
        nextBeforeSeq: entries.length === query.limit && oldest !== undefined ? oldest.seq : null,
        kinds: AUDIT_KINDS,
      };
    },
  );
}
