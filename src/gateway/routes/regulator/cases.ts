/**
 * The regulator's surveillance cases under /api/regulator/surveillance/cases: an alert opens a case or joins one; a case
 * moves open → under review → closed (no action, warning, referred to the competition agency); notes may be added
 * until it is closed; and the case's suspicious-transaction report can be downloaded as JSON or as a readable HTML
 * page (src/reports/suspicious-transaction.ts).
 *
 * Every step is an engine command (`case.open`, `case.join`, `case.review`, `case.close`, `case.note`) with its why, so
 * it is journaled with who, when and from where, in the audit trail (kind `surveillance`), and the engine refuses a
 * wrong step with its registry code (`CASE_TRANSITION_INVALID`, `CASE_ALERT_TAKEN`, `CASE_NOT_FOUND`, ...). The engine
 * does not see alerts, so the route checks that the alert named stands (`ALERT_NOT_FOUND`) before it sends the command.
 * Reads come from the surveillance read model; the report's evidence is read again from the journal.
 */

import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Static, Type } from "typebox";
import { LANGUAGES } from "../../../domain/locale.ts";
import type { Command } from "../../../engine/commands.ts";
import type { CaseOutcome } from "../../../engine/surveillance.ts";
import { type AlertEvidence, strHtml, suspiciousTransactionReport } from "../../../reports/suspicious-transaction.ts";
import type { CaseStatusView } from "../../../surveillance/index.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem, languageOf } from "../../errors.ts";
import { SEQ, Strict } from "../../wire/base.ts";
import { CASE, CASE_NOTE, CASE_OUTCOME, CASE_STATUS, CASE_VIEW, STR } from "../../wire/surveillance.ts";
import { REASON } from "../common.ts";
import { CONSOLE_READ, REGULATOR_CHANGE, requireConsoleChange, requireConsoleRead, submitChecked } from "../console.ts";
import { ALERT_ID, evidencePack, requireSurveillance } from "./surveillance.ts";

const tags = ["surveillance"];
const CASE_ID = Type.String({ pattern: "^CASE-[1-9][0-9]{0,15}$", description: "CASE-1, CASE-2, ..." });
const CASE_PARAMS = Type.Object({ id: CASE_ID }, { additionalProperties: false });
/** Alerts whose evidence a report reads (the rest are listed without it). */
export const REPORT_EVIDENCE_ALERTS_MAX = 50;

const OPEN_CASE = Type.Object(
  { alert: ALERT_ID, reason: REASON },
  { additionalProperties: false, examples: [{ alert: "3f6a0c1d2e4b5a69", reason: "the same owner on both sides" }] },
);
const JOIN_CASE = Type.Object(
  { alert: ALERT_ID, reason: REASON },
  { additionalProperties: false, examples: [{ alert: "3f6a0c1d2e4b5a69", reason: "the same pair the next day" }] },
);
const REVIEW_CASE = Type.Object(
  { reason: REASON },
  { additionalProperties: false, examples: [{ reason: "evidence gathered; the members were asked to explain" }] },
);
const CLOSE_CASE = Type.Object(
  { outcome: CASE_OUTCOME, reason: REASON },
  {
    additionalProperties: false,
    examples: [
      { outcome: "referred", reason: "coordinated bids: referred to the competition agency" },
      { outcome: "no-action", reason: "the accounts belong to a hedging programme the agency approved" },
    ],
  },
);
const NOTE_CASE = Type.Object(
  { note: CASE_NOTE },
  { additionalProperties: false, examples: [{ note: "The member's compliance officer called; letter to follow." }] },
);
const CASES_QUERY = Type.Object({ status: Type.Optional(CASE_STATUS) }, { additionalProperties: false });
/** `lang` chooses the HTML page's language, else the reader's (errors.ts `languageOf`); the JSON is the same in all. */
const REPORT_QUERY = Type.Object(
  {
    format: Type.Union([Type.Literal("json"), Type.Literal("html")], { default: "json" }),
    lang: Type.Optional(Type.Union(LANGUAGES.map((l) => Type.Literal(l)))),
  },
  { additionalProperties: false },
);
const CHANGED = Strict({ seq: SEQ, ...CASE_VIEW.properties });

export function regulatorCaseRoutes(api: FastifyInstance, context: RouteContext): void {
  const surveillance = context.exchange.surveillance;

  const view = (id: string) => {
    const found = surveillance.caseOf(id);
    if (found === null) throw new HttpProblem("CASE_NOT_FOUND", { id, where: "on record" });
    return { case: found, alerts: surveillance.caseAlerts(id) };
  };
  const requireAlert = (id: string) => {
    if (surveillance.alert(id) === null) throw new HttpProblem("ALERT_NOT_FOUND", { id });
  };
  const change = (request: FastifyRequest, command: Command) => submitChecked(context, request, command);

  api.get<{ Querystring: Static<typeof CASES_QUERY> }>(
    "/regulator/surveillance/cases",
    {
      schema: {
        operationId: "listSurveillanceCases",
        tags,
        summary: "Surveillance cases, newest first, optionally of one status",
        querystring: CASES_QUERY,
        response: { 200: Strict({ cases: Type.Array(CASE) }) },
      },
      config: { ...CONSOLE_READ, errors: ["SURVEILLANCE_UNAVAILABLE"] },
    },
    async (request) => {
      requireConsoleRead(request, "read surveillance cases");
      requireSurveillance(context);
      return { cases: surveillance.caseList(request.query.status as CaseStatusView | undefined) };
    },
  );

  api.post<{ Body: Static<typeof OPEN_CASE> }>(
    "/regulator/surveillance/cases",
    {
      schema: {
        operationId: "openSurveillanceCase",
        tags,
        summary: "Open a case on an alert, with a reason",
        body: OPEN_CASE,
        response: { 201: CHANGED },
      },
      config: {
        ...REGULATOR_CHANGE,
        errors: ["SURVEILLANCE_UNAVAILABLE", "ALERT_NOT_FOUND", "CASE_ALERT_TAKEN", "CASES_LIMIT", "ALERT_INVALID"],
      },
    },
    async (request, reply) => {
      requireConsoleChange(request, "regulator", "open a surveillance case");
      requireSurveillance(context);
      requireAlert(request.body.alert);
      const outcome = await change(request, { type: "case.open", ...request.body });
      const opened = outcome.events.find((e) => e.type === "case.opened");
      if (opened?.type !== "case.opened") throw new Error("a case was opened without its event");
      return reply.code(201).send({ seq: outcome.seq, ...view(opened.caseId) });
    },
  );

  api.get<{ Params: Static<typeof CASE_PARAMS> }>(
    "/regulator/surveillance/cases/:id",
    {
      schema: {
        operationId: "getSurveillanceCase",
        tags,
        summary: "A case: its status, every step with who, when and why, and its alerts",
        params: CASE_PARAMS,
        response: { 200: CASE_VIEW },
      },
      config: { ...CONSOLE_READ, errors: ["SURVEILLANCE_UNAVAILABLE", "CASE_NOT_FOUND"] },
    },
    async (request) => {
      requireConsoleRead(request, "read a surveillance case");
      requireSurveillance(context);
      return view(request.params.id);
    },
  );

  const step = <B extends object>(
    path: string,
    operationId: string,
    summary: string,
    body: import("typebox").TSchema,
    errors: readonly import("../../../domain/errors.ts").ErrorCode[],
    command: (id: string, body: B) => Command,
    check?: (body: B) => void,
  ) => {
    api.post<{ Params: Static<typeof CASE_PARAMS>; Body: B }>(
      `/regulator/surveillance/cases/:id/${path}`,
      {
        schema: { operationId, tags, summary, params: CASE_PARAMS, body, response: { 200: CHANGED } },
        config: {
          ...REGULATOR_CHANGE,
          errors: ["SURVEILLANCE_UNAVAILABLE", "CASE_NOT_FOUND", "CASE_TRANSITION_INVALID", ...errors],
        },
      },
      async (request) => {
        requireConsoleChange(request, "regulator", summary.toLowerCase());
        requireSurveillance(context);
        const given = request.body as B;
        check?.(given);
        const outcome = await change(request, command(request.params.id, given));
        return { seq: outcome.seq, ...view(request.params.id) };
      },
    );
  };

  step<Static<typeof JOIN_CASE>>(
    "alerts",
    "addAlertToCase",
    "Add an alert to a case that is not closed, with a reason",
    JOIN_CASE,
    ["ALERT_NOT_FOUND", "CASE_ALERT_TAKEN", "CASE_ALERTS_LIMIT", "ALERT_INVALID"],
    (caseId, body) => ({ type: "case.join", caseId, ...body }),
    (body) => requireAlert(body.alert),
  );
  step<Static<typeof REVIEW_CASE>>(
    "review",
    "reviewSurveillanceCase",
    "Take an open case under review, with a reason",
    REVIEW_CASE,
    [],
    (caseId, body) => ({ type: "case.review", caseId, ...body }),
  );
  step<Static<typeof CLOSE_CASE>>(
    "close",
    "closeSurveillanceCase",
    "Close a case under review with its outcome (no action, warning, referred) and a reason",
    CLOSE_CASE,
    ["CASE_OUTCOME_INVALID"],
    (caseId, body) => ({ type: "case.close", caseId, outcome: body.outcome as CaseOutcome, reason: body.reason }),
  );
  step<Static<typeof NOTE_CASE>>(
    "notes",
    "noteSurveillanceCase",
    "Add a note to a case that is not closed",
    NOTE_CASE,
    ["CASE_NOTE_INVALID"],
    (caseId, body) => ({ type: "case.note", caseId, ...body }),
  );

  api.get<{ Params: Static<typeof CASE_PARAMS>; Querystring: Static<typeof REPORT_QUERY> }>(
    "/regulator/surveillance/cases/:id/report",
    {
      schema: {
        operationId: "surveillanceCaseReport",
        tags,
        summary: "The case's suspicious-transaction report: who, what, when, why suspicious, evidence; JSON or HTML",
        params: CASE_PARAMS,
        querystring: REPORT_QUERY,
        response: {
          200: {
            description: "The report (JSON), or the same as a readable page (HTML)",
            content: {
              "application/json": { schema: STR },
              "text/html": { schema: Type.String({ description: "the report as a self-contained HTML page" }) },
            },
          },
        },
      },
      config: { ...CONSOLE_READ, errors: ["SURVEILLANCE_UNAVAILABLE", "CASE_NOT_FOUND"] },
    },
    async (request, reply) => {
      requireConsoleRead(request, "read a suspicious-transaction report");
      requireSurveillance(context);
      const { case: found, alerts } = view(request.params.id);
      const evidence = new Map<string, AlertEvidence>();
      for (const alert of alerts.slice(0, REPORT_EVIDENCE_ALERTS_MAX)) {
        evidence.set(alert.id, await evidencePack(context, alert));
      }
      const report = suspiciousTransactionReport(found, alerts, evidence, context.exchange.projections.lastTimeMs);
      const name = `str-${found.id}`;
      if (request.query.format === "html") {
        return reply
          .header("content-type", "text/html; charset=utf-8")
          .header("content-disposition", `inline; filename="${name}.html"`)
          .send(strHtml(report, request.query.lang ?? languageOf(request)));
      }
      return reply.header("content-disposition", `attachment; filename="${name}.json"`).send(report);
    },
  );
}
