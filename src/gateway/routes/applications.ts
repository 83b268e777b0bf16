/**
 * Accreditation applications from the public: a company applies to become a member (producer, buyer or broker), or a
 * broker's client, with its documents by reference number (POST /api/applications), and follows its application by
 * the id the answer gives (GET /api/applications/:id). Submitting needs no account: an applicant is not yet anyone
 * the exchange knows, and a member's users exist only once the member does. The id is random (unguessable), so an
 * application's status is read only by whoever holds its id; the request rate limit applies as on every route.
 * Review, approval, refusal and exclusion are the operator's (operator/applications.ts).
 */

import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import { APPLICATION, applicationWire, NEW_APPLICATION } from "../wire/applications.ts";
import { SEQ, Strict } from "../wire/base.ts";
import { ID } from "./common.ts";
import { submitChecked } from "./console.ts";

const tags = ["membership"];
const PUBLIC = { access: "public" as const };
const APPLICATION_ID_BYTES = 8;

export function applicationRoutes(api: FastifyInstance, context: RouteContext): void {
  const applications = context.exchange.projections.applications;

  api.post<{ Body: Static<typeof NEW_APPLICATION> }>(
    "/applications",
    {
      schema: {
        operationId: "submitApplication",
        tags,
        summary:
          "Apply for accreditation with the documents' reference numbers; keep the id the answer gives to follow the application",
        body: NEW_APPLICATION,
        response: { 201: Strict({ seq: SEQ, application: APPLICATION }) },
      },
      config: {
        ...PUBLIC,
        errors: [
          "APPLICATION_INVALID",
          "APPLICATION_PENDING",
          "APPLICANT_EXCLUDED",
          "MEMBER_EXISTS",
          "MEMBER_SUSPENDED",
        ],
      },
    },
    async (request, reply) => {
      const { company, bin, kind, buyerCategory, broker, documents } = request.body;
      const id = `APP-${randomBytes(APPLICATION_ID_BYTES).toString("hex").toUpperCase()}`;
      const outcome = await submitChecked(context, request, {
        type: "application.submit",
        application: id,
        company,
        bin,
        kind,
        buyerCategory: buyerCategory ?? null,
        broker: broker ?? null,
        documents,
      });
      const view = applications.application(id);
      if (view === null) throw new HttpProblem("APPLICATION_NOT_FOUND", { id });
      reply.code(201);
      return { seq: outcome.seq, application: applicationWire(view) };
    },
  );

  api.get<{ Params: { id: string } }>(
    "/applications/:id",
    {
      schema: {
        operationId: "getApplication",
        tags,
        summary: "An application's status and the decision's reason, by its id",
        params: Type.Object({ id: ID }, { additionalProperties: false }),
        response: { 200: Strict({ application: APPLICATION }) },
      },
      config: { ...PUBLIC, errors: ["APPLICATION_NOT_FOUND"] },
    },
    async (request) => {
      const view = applications.application(request.params.id);
      if (view === null) throw new HttpProblem("APPLICATION_NOT_FOUND", { id: request.params.id });
      return { application: applicationWire(view) };
    },
  );
}
