/**
 * The operator's console API under /api/admin, one concern per file: instruments, their calendars, members and
 * accounts, money and gas, settlement, buyers' stations and depots, users and API keys, the VAT rate, the accreditation tariff.
 *
 * Who may do what. Every change is the operator's alone: a session needs its CSRF token, an API key the `trade` scope.
 * The regulator may read everything here and change nothing; the operator may not change the regulator's controls
 * (safeguards, halts and resumptions, supply plans: ../regulator/). Every change to the exchange is an engine command
 * through the journal with who, from where and the request id, answered once durable; the engine's refusal comes back
 * with its registry code. Changes the rules require a reason for carry it into the command, so the audit trail shows
 * why.
 */

import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../../context.ts";
import { operatorApplicationRoutes } from "./applications.ts";
import { operatorCalendarRoutes } from "./calendar.ts";
import { operatorFundsRoutes } from "./funds.ts";
import { operatorInstrumentRoutes } from "./instruments.ts";
import { operatorMemberRoutes } from "./members.ts";
import { operatorSettlementRoutes } from "./settlement.ts";
import { operatorStationRoutes } from "./stations.ts";
import { operatorTariffRoutes } from "./tariffs.ts";
import { operatorUserRoutes } from "./users.ts";
import { operatorVatRoutes } from "./vat.ts";

export function operatorRoutes(api: FastifyInstance, context: RouteContext): void {
  operatorInstrumentRoutes(api, context);
  operatorCalendarRoutes(api, context);
  operatorMemberRoutes(api, context);
  operatorApplicationRoutes(api, context);
  operatorFundsRoutes(api, context);
  operatorSettlementRoutes(api, context);
  operatorStationRoutes(api, context);
  operatorUserRoutes(api, context);
  operatorVatRoutes(api, context);
  operatorTariffRoutes(api, context);
}
