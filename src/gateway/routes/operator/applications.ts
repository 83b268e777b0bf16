/**
 * Accreditation under /api/admin: the operator lists applications (pending first to review) and exclusions, approves
 * an application naming the new member's id, its trading account and the bank statement lines of the accreditation fee
 * and the insurance deposit (the engine books both and creates the member), refuses one with the reason, and excludes
 * a member for a breach (suspended, and its BIN barred from readmission for two years). Every decision is a journaled
 * command with who, when and why (engine/accreditation.ts).
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import type { RouteContext } from "../../context.ts";
import { HttpProblem } from "../../errors.ts";
import { APPLICATION, APPLICATION_STATUS, applicationWire, EXCLUSION, exclusionWire } from "../../wire/applications.ts";
import { Nullable, SEQ, Strict } from "../../wire/base.ts";
import { ID, REASON } from "../common.ts";
import {
  CONSOLE_READ,
  NEW_ID,
  OPERATOR_CHANGE,
  requireConsoleChange,
  requireConsoleRead,
  submitChecked,
} from "../console.ts";

const strict = { additionalProperties: false } as const;
const tags = ["operator"];
const PARAMS = Type.Object({ id: ID }, strict);
const BANK_REFERENCE = Type.String({ minLength: 1, maxLength: 64, pattern: "^[\\x21-\\x7e]+$" });

const APPROVAL = Type.Object(
  {
    member: NEW_ID,
    account: Nullable(NEW_ID),
    feeReference: BANK_REFERENCE,
    depositReference: Nullable(BANK_REFERENCE),
    reason: REASON,
  },
  {
    ...strict,
    examples: [
      {
        member: "AKTAU-GAS",
        account: "AKTAU-GAS-1",
        feeReference: "KZ-2026-0101",
        depositReference: "KZ-2026-0102",
        reason: "documents checked against the state registry",
      },
    ],
  },
);
const REASON_BODY = Type.Object({ reason: REASON }, { ...strict, examples: [{ reason: "VAT certificate expired" }] });
/** An exclusion is for a breach of the rules: its example says which breach, not an application's refusal reason. */
const EXCLUDE_BODY = Type.Object(
  { reason: REASON },
  {
    ...strict,
    examples: [{ reason: "third payment default in 2026; exchange council decision 12/2026 under Rulebook 4.2" }],
  },
);

export function operatorApplicationRoutes(api: FastifyInstance, context: RouteContext): void {
  const applications = context.exchange.projections.applications;
  const view = (id: string) => {
    const found = applications.application(id);
    if (found === null) throw new HttpProblem("APPLICATION_NOT_FOUND", { id });
    return applicationWire(found);
  };

  api.get<{ Querystring: { status?: "pending" | "approved" | "refused" } }>(
    "/admin/applications",
    {
      schema: {
        operationId: "listApplications",
        tags,
        summary: "Accreditation applications, newest first, and the members excluded with the end of their bar",
        querystring: Type.Object({ status: Type.Optional(APPLICATION_STATUS) }, strict),
        response: { 200: Strict({ applications: Type.Array(APPLICATION), exclusions: Type.Array(EXCLUSION) }) },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "list applications");
      return {
        applications: applications.list(request.query.status).map(applicationWire),
        exclusions: applications.excluded().map(exclusionWire),
      };
    },
  );

  api.post<{ Params: Static<typeof PARAMS>; Body: Static<typeof APPROVAL> }>(
    "/admin/applications/:id/approve",
    {
      schema: {
        operationId: "approveApplication",
        tags,
        summary:
          "Approve an application: books the accreditation fee and the insurance deposit received, creates the member (or the broker's client account) and its trading account",
        params: PARAMS,
        body: APPROVAL,
        response: { 200: Strict({ seq: SEQ, application: APPLICATION }) },
      },
      config: {
        ...OPERATOR_CHANGE,
        errors: [
          "APPLICATION_NOT_FOUND",
          "APPLICATION_DECIDED",
          "APPLICATION_INVALID",
          "MEMBER_EXISTS",
          "ACCOUNT_EXISTS",
          "REFERENCE_INVALID",
          "REFERENCE_DUPLICATE",
        ],
      },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "approve applications");
      const { member, account, feeReference, depositReference, reason } = request.body;
      const outcome = await submitChecked(context, request, {
        type: "application.approve",
        application: request.params.id,
        member,
        account,
        feeReference,
        depositReference,
        reason,
      });
      return { seq: outcome.seq, application: view(request.params.id) };
    },
  );

  api.post<{ Params: Static<typeof PARAMS>; Body: Static<typeof REASON_BODY> }>(
    "/admin/applications/:id/refuse",
    {
      schema: {
        operationId: "refuseApplication",
        tags,
        summary: "Refuse an application with the reason",
        params: PARAMS,
        body: REASON_BODY,
        response: { 200: Strict({ seq: SEQ, application: APPLICATION }) },
      },
      config: { ...OPERATOR_CHANGE, errors: ["APPLICATION_NOT_FOUND", "APPLICATION_DECIDED", "APPLICATION_INVALID"] },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "refuse applications");
      const outcome = await submitChecked(context, request, {
        type: "application.refuse",
        application: request.params.id,
        reason: request.body.reason,
      });
      return { seq: outcome.seq, application: view(request.params.id) };
    },
  );

  api.post<{ Params: Static<typeof PARAMS>; Body: Static<typeof EXCLUDE_BODY> }>(
    "/admin/members/:id/exclude",
    {
      schema: {
        operationId: "excludeMember",
        tags,
        summary:
          "Exclude a member for a breach, with the reason: its orders are cancelled, it stays suspended, and its BIN may apply again only after two years",
        params: PARAMS,
        body: EXCLUDE_BODY,
        response: { 200: Strict({ seq: SEQ, exclusion: EXCLUSION }) },
      },
      config: { ...OPERATOR_CHANGE, errors: ["MEMBER_NOT_FOUND", "MEMBER_EXCLUDED", "APPLICATION_INVALID"] },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "exclude members");
      const outcome = await submitChecked(context, request, {
        type: "member.exclude",
        member: request.params.id,
        reason: request.body.reason,
      });
      const exclusion = applications.excluded().find((e) => e.member === request.params.id && e.seq === outcome.seq);
      if (exclusion === undefined) throw new HttpProblem("MEMBER_NOT_FOUND", { id: request.params.id });
      return { seq: outcome.seq, exclusion: exclusionWire(exclusion) };
    },
  );
}
