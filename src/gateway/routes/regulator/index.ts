/**
 * The regulator's console API under /api/regulator, one concern per file: the market overview by region, supply
 * obligations and plans, delivery to the regions and diversions, the audit trail, safeguards and their changes, halts
 * and resumptions, the order report, market surveillance (alerts with evidence, session statistics, the rules'
 * configuration, cases).
 *
 * Who may do what. The controls are the regulator's alone: the operator may not change safeguards, halt or resume, or
 * plan supply (it suspends single instruments and members for operational reasons, ../operator/, and every halt ends
 * with the regulator's resume). The regulator reads everything and changes only these controls; the operator may read
 * these views too. A change needs the regulator's session with its CSRF token, or an API key with the `trade` scope.
 *
 * Promises. Every control change carries a reason and is an engine command through the journal, so the audit trail
 * records who made it, when, from where (address and request id) and why; the answer comes once it is durable, and
 * the engine's refusal comes back with its registry code. Views are read models built from durable events only.
 */

import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../../context.ts";
import { regulatorAuditRoutes } from "./audit.ts";
import { regulatorCaseRoutes } from "./cases.ts";
import { regulatorDeliveryRoutes } from "./delivery.ts";
import { regulatorFeedRoutes } from "./feed.ts";
import { regulatorHaltRoutes } from "./halts.ts";
import { regulatorOverviewRoutes } from "./overview.ts";
import { regulatorSafeguardRoutes } from "./safeguards.ts";
import { regulatorSupplyRoutes } from "./supply.ts";
import { regulatorSurveillanceRoutes } from "./surveillance.ts";

export function regulatorRoutes(api: FastifyInstance, context: RouteContext): void {
  regulatorOverviewRoutes(api, context);
  regulatorSupplyRoutes(api, context);
  regulatorDeliveryRoutes(api, context);
  regulatorAuditRoutes(api, context);
  regulatorSafeguardRoutes(api, context);
  regulatorHaltRoutes(api, context);
  regulatorFeedRoutes(api, context);
  regulatorSurveillanceRoutes(api, context);
  regulatorCaseRoutes(api, context);
}
