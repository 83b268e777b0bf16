/**
 * WebSocket streams at /api/stream: public channels (book depth, trades, phase, indicative auction price, safeguards,
 * halts) and private ones (own orders, fills, balances, obligations), and order entry over the socket. (Being built.)
 */

import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../context.ts";

export function streamRoutes(_api: FastifyInstance, _context: RouteContext): void {}
