/**
 * Domestic supply obligations under /api/regulator/supply: a month's plans (default: this month) with what each
 * producer offered and sold and who is short; and the regulator's planned monthly volume per producer and basis.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { PLANNED_KG_MAX } from "../../../domain/limits.ts";
import { EXCHANGE_UTC_OFFSET_MS, localMonth } from "../../../projections/numbers.ts";
import type { RouteContext } from "../../context.ts";
import { Nullable, SEQ, Strict } from "../../wire/base.ts";
import { SUPPLY_STATUS } from "../../wire/console.ts";
import { ID, json, REASON } from "../common.ts";
import {
  CONSOLE_READ,
  MONTH,
  REGULATOR_CHANGE,
  requireConsoleChange,
  requireConsoleRead,
  submitChecked,
} from "../console.ts";

const strict = { additionalProperties: false } as const;
const tags = ["regulator"];

const SUPPLY_QUERY = Type.Object({ month: Type.Optional(MONTH) }, strict);
const PLAN_PARAMS = Type.Object({ month: MONTH, producer: ID, basis: ID }, strict);
const PLAN = Type.Object(
  { plannedKg: Type.Integer({ minimum: 0, maximum: PLANNED_KG_MAX, description: "kg for the month" }), reason: REASON },
  { ...strict, examples: [{ plannedKg: 14_500_000, reason: "Ministry of Energy supply plan for January" }] },
);

export function regulatorSupplyRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;
  const projections = exchange.projections;

  api.get<{ Querystring: Static<typeof SUPPLY_QUERY> }>(
    "/regulator/supply",
    {
      schema: {
        operationId: "supplyStatus",
        tags,
        summary: "Supply obligations of a month (default: this month): planned, offered, sold; who is short",
        querystring: SUPPLY_QUERY,
        response: {
          200: Strict({ month: Type.String(), plans: Type.Array(SUPPLY_STATUS), short: Type.Array(SUPPLY_STATUS) }),
        },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "read supply obligations");
      const month = request.query.month ?? localMonth(exchange.clock(), EXCHANGE_UTC_OFFSET_MS);
      const status = projections.supply.status(month);
      return json({ month, plans: status, short: status.filter((row) => row.shortfallKg > 0n) });
    },
  );

  api.put<{ Params: Static<typeof PLAN_PARAMS>; Body: Static<typeof PLAN> }>(
    "/regulator/supply/plans/:month/:producer/:basis",
    {
      schema: {
        operationId: "planSupply",
        tags,
        summary: "Set a producer's planned monthly volume at a basis (the domestic supply obligation), with a reason",
        params: PLAN_PARAMS,
        body: PLAN,
        response: { 200: Strict({ seq: SEQ, plan: Nullable(SUPPLY_STATUS) }) },
      },
      config: {
        ...REGULATOR_CHANGE,
        errors: ["MEMBER_NOT_FOUND", "MEMBER_NOT_PRODUCER", "BASIS_INVALID", "BASIS_UNKNOWN", "FIELD_INVALID"],
      },
    },
    async (request) => {
      requireConsoleChange(request, "regulator", "plan supply");
      const { month, producer, basis } = request.params;
      const outcome = await submitChecked(context, request, {
        type: "supply.plan",
        month,
        producer,
        basis,
        plannedKg: request.body.plannedKg,
        reason: request.body.reason,
      });
      const row = projections.supply.status(month).find((r) => r.producer === producer && r.basis === basis) ?? null;
      return json({ seq: outcome.seq, plan: row });
    },
  );
}
