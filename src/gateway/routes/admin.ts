/**
 * The operator's console API: instruments, members and accounts, deposits and withdrawals, gas declarations, the
 * session calendar, the member kill switch, settlement confirmations, users and API keys. (Being built.)
 */

import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../context.ts";

export function adminRoutes(_api: FastifyInstance, _context: RouteContext): void {}
