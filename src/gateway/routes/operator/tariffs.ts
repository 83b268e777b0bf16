/**
 * The accreditation tariff under /api/admin (engine/accreditation.ts has the rule): the operator sets a kind's
 * accreditation fee and insurance deposit with the date they take effect from, a date after today, with a reason,
 * through the journal (`tariff.set`, audited); the operator and the regulator read the schedule and what an approval
 * made today books. An approval books the tariff in force on its own date (docs/membership.md §2).
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import {
  ACCREDITATION_TERMS,
  APPLICATION_KINDS,
  type ApplicationKind,
  tariffOn,
} from "../../../engine/accreditation.ts";
import { EXCHANGE_UTC_OFFSET_MS, localDay } from "../../../projections/numbers.ts";
import type { RouteContext } from "../../context.ts";
import { APPLICATION_KIND, TARIFF_SCHEDULE } from "../../wire/applications.ts";
import { SEQ, Strict } from "../../wire/base.ts";
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
/** The body's bound on an amount; the engine's (`TARIFF_AMOUNT_MAX_TIYN`) is checked there with a stable code. */
const AMOUNT = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "tiyn" });

const TARIFF_BODY = Type.Object(
  {
    kind: APPLICATION_KIND,
    feeTiyn: { ...AMOUNT, description: "the accreditation fee, tiyn" },
    depositTiyn: { ...AMOUNT, description: "the insurance deposit, tiyn; 0 for a broker's client" },
    from: { ...DATE, description: "the first exchange day the amounts apply to; after today" },
    reason: REASON,
  },
  {
    additionalProperties: false,
    examples: [
      {
        kind: "buyer",
        feeTiyn: 35_000_000,
        depositTiyn: 150_000_000,
        from: "2026-02-01",
        reason: "Exchange council decision 3/2026: new tariff from 1 February",
      },
    ],
  },
);

export function operatorTariffRoutes(api: FastifyInstance, context: RouteContext): void {
  const applications = context.exchange.projections.applications;

  const schedule = () => {
    const today = localDay(context.exchange.clock(), EXCHANGE_UTC_OFFSET_MS);
    const entries = applications.tariffSchedule();
    return {
      today,
      inForce: APPLICATION_KINDS.map((kind) => ({ kind, ...tariffOn(entries, kind, today) })),
      defaults: APPLICATION_KINDS.map((kind) => ({ kind, ...ACCREDITATION_TERMS[kind] })),
      schedule: entries.map((e) => ({ ...e })),
    };
  };

  api.get(
    "/admin/tariffs",
    {
      schema: {
        operationId: "getAccreditationTariff",
        tags,
        summary:
          "The accreditation fees and insurance deposits in force today and every entry set with its date of effect",
        response: { 200: TARIFF_SCHEDULE },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "read the accreditation tariff");
      return schedule();
    },
  );

  api.post<{ Body: Static<typeof TARIFF_BODY> }>(
    "/admin/tariffs",
    {
      schema: {
        operationId: "setAccreditationTariff",
        tags,
        summary:
          "Sets a kind's accreditation fee and insurance deposit from a date after today, with a reason (audited)",
        body: TARIFF_BODY,
        response: { 200: Strict({ seq: SEQ, tariff: TARIFF_SCHEDULE }) },
      },
      config: { ...OPERATOR_CHANGE, errors: ["TARIFF_INVALID", "APPLICATION_INVALID"] as const },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "set the accreditation tariff");
      const outcome = await submitChecked(context, request, {
        type: "tariff.set",
        ...request.body,
        kind: request.body.kind as ApplicationKind,
      });
      return { seq: outcome.seq, tariff: schedule() };
    },
  );
}
