/**
 * Market surveillance for the regulator under /api/regulator/surveillance: the alerts standing now (filtered by rule,
 * instrument, group, severity and session), one alert with its evidence pack rebuilt from the journal (also as a file to
 * keep: JSON, or a readable HTML page with the book at each moment), the statistics
 * of ended sessions (top-five shares, HHI, order-to-trade ratios), the groups of persons with their related parties,
 * and the configuration of the rules with its changes.
 *
 * Everything shown comes from the surveillance read model (src/surveillance/live.ts), fed by durable records only. A
 * change of the configuration is the engine command `surveillance.configure` with a reason, so it is in the journal
 * and the audit trail (who, when, from where, why) and replays with everything else; the answer comes once durable.
 *
 * The evidence pack reads the journal records of the alert's span: from the opening of its first session (or the
 * alert's start, if earlier) to its end, found by a binary search on time (journal times never decrease), at most
 * `EVIDENCE_RECORDS_MAX` records.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { LANGUAGES } from "../../../domain/locale.ts";
import type { EngineEvent } from "../../../engine/events.ts";
import { READ_PAGE_RECORDS } from "../../../journal/store.ts";
import { alertEvidenceHtml } from "../../../reports/suspicious-transaction.ts";
import {
  type AlertFilter,
  EvidenceCollector,
  RULES,
  SEVERITIES,
  type SessionStatistics,
  type StoredAlert,
} from "../../../surveillance/index.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem, languageOf } from "../../errors.ts";
import { COUNT, Enum, SEQ, Strict } from "../../wire/base.ts";
import {
  ALERT,
  EVIDENCE,
  PERSONS_GROUP,
  SESSION_STATISTICS,
  SURVEILLANCE_CONFIG,
  SURVEILLANCE_CONFIG_CHANGES,
  SURVEILLANCE_CONFIG_VIEW,
} from "../../wire/surveillance.ts";
import { ID, REASON } from "../common.ts";
import { CONSOLE_READ, REGULATOR_CHANGE, requireConsoleChange, requireConsoleRead, submitChecked } from "../console.ts";

const tags = ["surveillance"];

/** Most journal records one evidence pack reads. */
export const EVIDENCE_RECORDS_MAX = 1_000_000;
export const ALERTS_QUERY_LIMIT_MAX = 1000;

const SESSION_ID = Type.String({ minLength: 1, maxLength: 200, pattern: "^[\\x21-\\x7e]+$" });
export const ALERT_ID = Type.String({ pattern: "^[0-9a-f]{16}$", description: "16 hex digits" });

/** `lang` chooses the HTML page's language, else the reader's (errors.ts `languageOf`); the JSON is the same in all. */
const EVIDENCE_QUERY = Type.Object(
  {
    format: Type.Union([Type.Literal("json"), Type.Literal("html")], { default: "json" }),
    lang: Type.Optional(Type.Union(LANGUAGES.map((l) => Type.Literal(l)))),
  },
  { additionalProperties: false },
);

const ALERTS_QUERY = Type.Object(
  {
    rule: Type.Optional(Enum(RULES)),
    instrument: Type.Optional(ID),
    group: Type.Optional(ID),
    severity: Type.Optional(Enum(SEVERITIES)),
    session: Type.Optional(SESSION_ID),
    limit: Type.Integer({ minimum: 1, maximum: ALERTS_QUERY_LIMIT_MAX, default: 100 }),
  },
  { additionalProperties: false },
);

const STATISTICS_QUERY = Type.Object(
  {
    instrument: Type.Optional(ID),
    session: Type.Optional(SESSION_ID),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  },
  { additionalProperties: false },
);

const ALERT_PARAMS = Type.Object({ id: ALERT_ID }, { additionalProperties: false });

const CONFIG_CHANGE = Type.Object(
  { changes: SURVEILLANCE_CONFIG_CHANGES, reason: REASON },
  {
    additionalProperties: false,
    examples: [
      { changes: { concentration: { shareAboveBps: 3000 } }, reason: "the agency's new 30% criterion" },
      { changes: { automatedEntry: { enabled: false } }, reason: "software limit suspended during the trial" },
    ],
  },
);

export function regulatorSurveillanceRoutes(api: FastifyInstance, context: RouteContext): void {
  const surveillance = context.exchange.surveillance;

  api.get<{ Querystring: Static<typeof ALERTS_QUERY> }>(
    "/regulator/surveillance/alerts",
    {
      schema: {
        operationId: "listSurveillanceAlerts",
        tags,
        summary:
          "The surveillance alerts standing now, by rule then start; filtered by rule, instrument, group, severity",
        querystring: ALERTS_QUERY,
        response: { 200: Strict({ seq: SEQ, total: COUNT, alerts: Type.Array(ALERT) }) },
      },
      config: { ...CONSOLE_READ, errors: ["SURVEILLANCE_UNAVAILABLE"] },
    },
    async (request) => {
      requireConsoleRead(request, "read surveillance alerts");
      requireSurveillance(context);
      const { limit, ...filter } = request.query;
      const alerts = surveillance.alerts(filter as AlertFilter);
      return { seq: context.exchange.projections.lastSeq, total: alerts.length, alerts: alerts.slice(0, limit) };
    },
  );

  api.get<{ Params: Static<typeof ALERT_PARAMS> }>(
    "/regulator/surveillance/alerts/:id",
    {
      schema: {
        operationId: "getSurveillanceAlert",
        tags,
        summary:
          "One alert with its evidence pack: the orders and trades involved and the price path, from the journal",
        params: ALERT_PARAMS,
        response: { 200: Strict({ alert: ALERT, evidence: EVIDENCE }) },
      },
      config: { ...CONSOLE_READ, errors: ["SURVEILLANCE_UNAVAILABLE", "ALERT_NOT_FOUND"] },
    },
    async (request) => {
      requireConsoleRead(request, "read a surveillance alert");
      requireSurveillance(context);
      const alert = surveillance.alertOrCopy(request.params.id);
      if (alert === null) throw new HttpProblem("ALERT_NOT_FOUND", { id: request.params.id });
      return { alert, evidence: await evidencePack(context, alert) };
    },
  );

  api.get<{ Params: Static<typeof ALERT_PARAMS>; Querystring: Static<typeof EVIDENCE_QUERY> }>(
    "/regulator/surveillance/alerts/:id/evidence",
    {
      schema: {
        operationId: "surveillanceAlertEvidence",
        tags,
        summary:
          "One alert's evidence pack to keep: JSON, or a readable page with the price path, the orders, the trades and the book at each moment",
        params: ALERT_PARAMS,
        querystring: EVIDENCE_QUERY,
        response: {
          200: {
            description: "The alert with its evidence pack (JSON), or the same as a readable page (HTML)",
            content: {
              "application/json": { schema: Strict({ alert: ALERT, evidence: EVIDENCE }) },
              "text/html": { schema: Type.String({ description: "the evidence as a self-contained HTML page" }) },
            },
          },
        },
      },
      config: { ...CONSOLE_READ, errors: ["SURVEILLANCE_UNAVAILABLE", "ALERT_NOT_FOUND"] },
    },
    async (request, reply) => {
      requireConsoleRead(request, "read a surveillance alert's evidence");
      requireSurveillance(context);
      const alert = surveillance.alertOrCopy(request.params.id);
      if (alert === null) throw new HttpProblem("ALERT_NOT_FOUND", { id: request.params.id });
      const evidence = await evidencePack(context, alert);
      const name = `evidence-${alert.id}`;
      if (request.query.format === "html") {
        return reply
          .header("content-type", "text/html; charset=utf-8")
          .header("content-disposition", `inline; filename="${name}.html"`)
          .send(
            alertEvidenceHtml(
              alert,
              evidence,
              context.exchange.projections.lastTimeMs,
              request.query.lang ?? languageOf(request),
            ),
          );
      }
      return reply.header("content-disposition", `attachment; filename="${name}.json"`).send({ alert, evidence });
    },
  );

  api.get<{ Querystring: Static<typeof STATISTICS_QUERY> }>(
    "/regulator/surveillance/statistics",
    {
      schema: {
        operationId: "surveillanceStatistics",
        tags,
        summary: "Statistics of ended sessions, newest first: top-five shares, HHI of each side, order-to-trade ratios",
        querystring: STATISTICS_QUERY,
        response: { 200: Strict({ statistics: Type.Array(SESSION_STATISTICS) }) },
      },
      config: { ...CONSOLE_READ, errors: ["SURVEILLANCE_UNAVAILABLE"] },
    },
    async (request) => {
      requireConsoleRead(request, "read surveillance statistics");
      requireSurveillance(context);
      const { limit, ...filter } = request.query;
      return {
        statistics: surveillance
          .statistics(filter)
          .slice(0, limit)
          .map((s) => statisticsView(context, s)),
      };
    },
  );

  api.get(
    "/regulator/surveillance/groups",
    {
      schema: {
        operationId: "listPersonsGroups",
        tags,
        summary: "Groups of persons as recorded: members, their accounts, the evidence, and the alerts naming each",
        response: { 200: Strict({ groups: Type.Array(PERSONS_GROUP) }) },
      },
      config: { ...CONSOLE_READ, errors: ["SURVEILLANCE_UNAVAILABLE"] },
    },
    async (request) => {
      requireConsoleRead(request, "read groups of persons");
      requireSurveillance(context);
      return { groups: surveillance.groups() };
    },
  );

  api.get(
    "/regulator/surveillance/config",
    {
      schema: {
        operationId: "getSurveillanceConfig",
        tags,
        summary: "The configuration of the surveillance rules in force, and its last change",
        response: { 200: SURVEILLANCE_CONFIG_VIEW },
      },
      config: { ...CONSOLE_READ, errors: ["SURVEILLANCE_UNAVAILABLE"] },
    },
    async (request) => {
      requireConsoleRead(request, "read the surveillance configuration");
      requireSurveillance(context);
      return { config: surveillance.configuration, change: surveillance.configurationChange };
    },
  );

  api.patch<{ Body: Static<typeof CONFIG_CHANGE> }>(
    "/regulator/surveillance/config",
    {
      schema: {
        operationId: "changeSurveillanceConfig",
        tags,
        summary: "Change rules' thresholds or turn rules on or off (only the fields given), with a reason; audited",
        body: CONFIG_CHANGE,
        response: { 200: Strict({ seq: SEQ, config: SURVEILLANCE_CONFIG }) },
      },
      config: {
        ...REGULATOR_CHANGE,
        errors: ["SURVEILLANCE_UNAVAILABLE", "SURVEILLANCE_CONFIG_INVALID", "SURVEILLANCE_CONFIG_UNCHANGED"],
      },
    },
    async (request) => {
      requireConsoleChange(request, "regulator", "change the surveillance configuration");
      requireSurveillance(context);
      const { changes, reason } = request.body;
      const outcome = await submitChecked(context, request, { type: "surveillance.configure", changes, reason });
      return { seq: outcome.seq, config: surveillance.configuration };
    },
  );
}

/** Refuses while surveillance has stopped (a detector's fault): what it shows would be stale. */
export function requireSurveillance(context: RouteContext): void {
  const failure = context.exchange.surveillanceFailure;
  if (failure !== null) throw new HttpProblem("SURVEILLANCE_UNAVAILABLE", { seq: failure.seq, reason: failure.reason });
}

/** A session's statistics with its opening and close, as the API shows them. */
function statisticsView(context: RouteContext, statistics: SessionStatistics) {
  const times = context.exchange.surveillance.sessionTimes(statistics.session);
  return { ...statistics, openMs: times?.openMs ?? null, closeMs: times?.closeMs ?? null };
}

/** The evidence pack of an alert, read from the journal (see the header). */
export async function evidencePack(context: RouteContext, alert: StoredAlert) {
  const { store, surveillance } = context.exchange;
  const lastSeq = context.exchange.projections.lastSeq;
  let fromMs = alert.fromMs;
  for (const session of alert.sessions) {
    const times = surveillance.sessionTimes(session);
    if (times !== null && times.openMs < fromMs) fromMs = times.openMs;
  }
  // The first record at or after fromMs: journal times never decrease.
  let low = 1;
  let high = lastSeq + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const [record] = await store.read(middle, 1);
    if (record !== undefined && record.timeMs < fromMs) low = middle + 1;
    else high = middle;
  }
  const collector = new EvidenceCollector(alert, alert.instrument);
  let complete = true;
  let read = 0;
  scan: for (let seq = low; seq <= lastSeq; ) {
    const page = await store.read(seq, Math.min(READ_PAGE_RECORDS, lastSeq - seq + 1));
    if (page.length === 0) break;
    for (const record of page) {
      if (record.timeMs > alert.toMs) break scan;
      if (read >= EVIDENCE_RECORDS_MAX) {
        complete = false;
        break scan;
      }
      collector.record(record.seq, record.timeMs, JSON.parse(record.events) as EngineEvent[]);
      read++;
    }
    seq += page.length;
  }
  return { ...collector.pack(), complete };
}
