/**
 * The regulator's console API: prices and volumes by region, supply obligations, the audit trail, and the controls
 * (bands, breakers, ceilings, ceiling paths, buyer limits, eligibility, halts), each change with a reason. (Being
 * built.)
 */

import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../context.ts";

export function regulatorRoutes(_api: FastifyInstance, _context: RouteContext): void {}
