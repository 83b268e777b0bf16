/**
 * The VAT rate under /api/admin (engine/vat.ts has the rule): the operator sets a rate with its date of effect, a
 * date after today, with a reason, through the journal (audited); the operator and the regulator read the schedule.
 * Contracts, statements and e-invoices take the rate of their trade's date (docs/documents.md §2).
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { DEFAULT_VAT_RATE_BPS, VAT_RATE_BPS_MAX } from "../../../domain/vat.ts";
import { EXCHANGE_UTC_OFFSET_MS, localDay } from "../../../projections/numbers.ts";
import type { RouteContext } from "../../context.ts";
import { SEQ, Strict } from "../../wire/base.ts";
import { VAT_SCHEDULE } from "../../wire/documents.ts";
import { REASON } from "../common.ts";
import {
  CONSOLE_READ,
  DATE,
  OPERATOR_CHANGE,
  requireConsoleChange,
  requireConsoleRead,
  submitChecked,
} from "../console.ts";

const tags = ["operator"];

const VAT_BODY = Type.Object(
  {
    rateBps: Type.Integer({ minimum: 0, maximum: VAT_RATE_BPS_MAX, description: "basis points (1200 = 12%)" }),
    from: { ...DATE, description: "the first exchange day the rate applies to; after today" },
    reason: REASON,
  },
  {
    additionalProperties: false,
    examples: [{ rateBps: 1600, from: "2026-02-01", reason: "Tax Code amendment: VAT 16% from 1 February 2026" }],
  },
);

export function operatorVatRoutes(api: FastifyInstance, context: RouteContext): void {
  const projections = context.exchange.projections;

  const schedule = () => {
    const today = localDay(context.exchange.clock(), EXCHANGE_UTC_OFFSET_MS);
    return {
      defaultRateBps: DEFAULT_VAT_RATE_BPS,
      rateTodayBps: projections.contracts.rateOn(today),
      today,
      schedule: projections.contracts.vatSchedule().map((e) => ({ ...e })),
    };
  };

  api.get(
    "/admin/vat",
    {
      schema: {
        operationId: "getVatSchedule",
        tags,
        summary: "The VAT rate in force today and every rate set with its date of effect",
        response: { 200: VAT_SCHEDULE },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "read the VAT schedule");
      return schedule();
    },
  );

  api.post<{ Body: Static<typeof VAT_BODY> }>(
    "/admin/vat",
    {
      schema: {
        operationId: "setVatRate",
        tags,
        summary: "Sets the VAT rate from a date after today, with a reason (audited)",
        body: VAT_BODY,
        response: { 200: Strict({ seq: SEQ, vat: VAT_SCHEDULE }) },
      },
      config: { ...OPERATOR_CHANGE, errors: ["VAT_INVALID", "FIELD_INVALID"] as const },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "set the VAT rate");
      const outcome = await submitChecked(context, request, { type: "vat.set", ...request.body });
      return { seq: outcome.seq, vat: schedule() };
    },
  );
}
