/**
 * Delivery to the regions under /api/regulator: per region and month what buyers bought on the exchange, what sellers
 * dispatched, what arrived in the region and what was diverted (kg); and the diversions one by one, newest first
 * (projections/deliveries.ts defines each figure).
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import type { RouteContext } from "../../context.ts";
import { COUNT, Strict } from "../../wire/base.ts";
import { DIVERSION, REGION_MONTH } from "../../wire/delivery.ts";
import { ID, json } from "../common.ts";
import { CONSOLE_READ, MONTH, requireConsoleRead } from "../console.ts";

const strict = { additionalProperties: false } as const;
const tags = ["regulator"];

/** Most diversions one listing returns. */
export const DIVERSIONS_LIST_MAX = 1000;

const DELIVERIES_QUERY = Type.Object({ month: Type.Optional(MONTH), region: Type.Optional(ID) }, strict);
const DIVERSIONS_QUERY = Type.Object(
  {
    month: Type.Optional(MONTH),
    region: Type.Optional(ID),
    limit: Type.Integer({ minimum: 1, maximum: DIVERSIONS_LIST_MAX, default: 200 }),
  },
  strict,
);

export function regulatorDeliveryRoutes(api: FastifyInstance, context: RouteContext): void {
  const deliveries = context.exchange.projections.deliveries;

  api.get<{ Querystring: Static<typeof DELIVERIES_QUERY> }>(
    "/regulator/deliveries",
    {
      schema: {
        operationId: "regionDeliveries",
        tags,
        summary:
          "Per region and delivery month: bought on the exchange, dispatched, arrived in the region, diverted (kg)",
        querystring: DELIVERIES_QUERY,
        response: { 200: Strict({ regions: Type.Array(REGION_MONTH) }) },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "read deliveries by region");
      const { month, region } = request.query;
      return json({
        regions: deliveries.regions({ ...(month ? { month } : {}), ...(region ? { region } : {}) }),
      });
    },
  );

  api.get<{ Querystring: Static<typeof DIVERSIONS_QUERY> }>(
    "/regulator/diversions",
    {
      schema: {
        operationId: "listDiversions",
        tags,
        summary:
          "Diversions, newest first: gas that arrived outside its instrument's region or at a station registered after the trade",
        querystring: DIVERSIONS_QUERY,
        response: { 200: Strict({ count: COUNT, diversions: Type.Array(DIVERSION) }) },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "read diversions");
      const { month, region, limit } = request.query;
      const rows = deliveries.diversions({ limit, ...(month ? { month } : {}), ...(region ? { region } : {}) });
      return { count: rows.length, diversions: json(rows) };
    },
  );
}
