/**
 * The regulator's safeguards under /api/regulator: every instrument's safeguards with the limits in force and its
 * phase, one instrument's, and changes to them (only the fields given; null turns one off), each with a reason.
 * Resting orders the new limits exclude are cancelled by the engine, and the answer counts them.
 *
 * Request fields keep the engine's short names (`ceiling`, `floor`, a path of `{effectiveFromMs, ceiling}`), with
 * their unit in the schema; the answer names units in its fields (`ceilingTiynPerTonne`): docs/api.md, "Conventions".
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { BPS_PER_UNIT } from "../../../domain/collateral.ts";
import {
  ACTIVE_ORDERS_LIMIT_MAX,
  AUCTION_MS_MAX,
  AUCTION_MS_MIN,
  BAND_BPS_MAX,
  CEILING_PATH_STEPS_MAX,
  ORDER_LOTS_MAX,
} from "../../../domain/limits.ts";
import { BUYER_CATEGORIES } from "../../../engine/members.ts";
import type { Safeguards } from "../../../engine/safeguards.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem } from "../../errors.ts";
import { COUNT, SEQ, Strict } from "../../wire/base.ts";
import { ID, PRICE, REASON } from "../common.ts";
import {
  CONSOLE_READ,
  REGULATOR_CHANGE,
  requireConsoleChange,
  requireConsoleRead,
  requireListed,
  submitChecked,
  TIME_MS,
} from "../console.ts";
import { SAFEGUARDS_VIEW, safeguardsView } from "./views.ts";

const strict = { additionalProperties: false } as const;
const tags = ["regulator"];

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const SAFEGUARD_CHANGES = Type.Object(
  {
    bandBps: Type.Optional(
      nullable(Type.Integer({ minimum: 1, maximum: BAND_BPS_MAX, description: "± around the reference" })),
    ),
    breakerBps: Type.Optional(
      nullable(Type.Integer({ minimum: 1, maximum: BAND_BPS_MAX, description: "± around the last" })),
    ),
    breakerAuctionMs: Type.Optional(Type.Integer({ minimum: AUCTION_MS_MIN, maximum: AUCTION_MS_MAX })),
    ceiling: Type.Optional(nullable(PRICE)),
    floor: Type.Optional(nullable(PRICE)),
    ceilingPath: Type.Optional(
      Type.Array(Type.Object({ effectiveFromMs: TIME_MS, ceiling: PRICE }, strict), {
        maxItems: CEILING_PATH_STEPS_MAX,
      }),
    ),
    maxShareBps: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: BPS_PER_UNIT }))),
    maxActiveOrders: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: ACTIVE_ORDERS_LIMIT_MAX }))),
    maxLotsPerOrder: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: ORDER_LOTS_MAX }))),
    eligibleCategories: Type.Optional(
      nullable(
        Type.Array(Type.Enum(BUYER_CATEGORIES), {
          minItems: 1,
          maxItems: BUYER_CATEGORIES.length,
          uniqueItems: true,
        }),
      ),
    ),
    resumptionAuctionMs: Type.Optional(Type.Integer({ minimum: AUCTION_MS_MIN, maximum: AUCTION_MS_MAX })),
    reason: REASON,
  },
  {
    ...strict,
    examples: [
      { ceiling: 12_000_000, reason: "ceiling of 120,000 tenge/t by the Ministry's order" },
      { bandBps: 500, breakerBps: 300, reason: "±5% band, ±3% circuit breaker" },
      { floor: null, reason: "floor lifted" },
    ],
  },
);

const INSTRUMENT_PARAMS = Type.Object({ id: ID }, strict);

export function regulatorSafeguardRoutes(api: FastifyInstance, context: RouteContext): void {
  const projections = context.exchange.projections;

  api.get(
    "/regulator/safeguards",
    {
      schema: {
        operationId: "listSafeguards",
        tags,
        summary: "Every instrument's safeguards, the limits in force and its phase",
        response: { 200: Strict({ instruments: Type.Array(SAFEGUARDS_VIEW) }) },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "read safeguards");
      return { instruments: projections.controls.instruments().map((i) => safeguardsView(context, i.instrument)) };
    },
  );

  api.get<{ Params: Static<typeof INSTRUMENT_PARAMS> }>(
    "/regulator/instruments/:id/safeguards",
    {
      schema: {
        operationId: "getSafeguards",
        tags,
        summary: "One instrument's safeguards and limits in force",
        params: INSTRUMENT_PARAMS,
        response: { 200: SAFEGUARDS_VIEW },
      },
      config: { ...CONSOLE_READ, errors: ["INSTRUMENT_NOT_FOUND"] },
    },
    async (request) => {
      requireConsoleRead(request, "read safeguards");
      requireListed(context, request.params.id);
      return safeguardsView(context, request.params.id);
    },
  );

  api.patch<{ Params: Static<typeof INSTRUMENT_PARAMS>; Body: Static<typeof SAFEGUARD_CHANGES> }>(
    "/regulator/instruments/:id/safeguards",
    {
      schema: {
        operationId: "changeSafeguards",
        tags,
        summary:
          "Change safeguards (only the fields given; null turns one off), with a reason; resting orders the new limits exclude are cancelled",
        params: INSTRUMENT_PARAMS,
        body: SAFEGUARD_CHANGES,
        response: { 200: Strict({ seq: SEQ, cancelledOrders: COUNT, ...SAFEGUARDS_VIEW.properties }) },
      },
      config: { ...REGULATOR_CHANGE, errors: ["INSTRUMENT_NOT_FOUND", "SAFEGUARDS_INVALID"] },
    },
    async (request) => {
      requireConsoleChange(request, "regulator", "set safeguards");
      const { id } = request.params;
      const { reason, ...changes } = request.body;
      if (Object.keys(changes).length === 0) {
        throw new HttpProblem("REQUEST_INVALID", { reason: "name at least one safeguard to change" });
      }
      const outcome = await submitChecked(context, request, {
        type: "safeguards.set",
        instrument: id,
        changes: changes as Partial<Safeguards>,
        reason,
      });
      // Orders the new limits exclude; what time brought before the command (GTD expiry) is not counted.
      const cancelledOrders = outcome.events.filter(
        (event) => event.type === "order.cancelled" && event.reason === "price-limit",
      ).length;
      return { seq: outcome.seq, cancelledOrders, ...safeguardsView(context, id) };
    },
  );
}
