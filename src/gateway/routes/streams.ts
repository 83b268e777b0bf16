/**
 * WebSocket streams at /api/stream: public market data (book depth, trades, quote with the indicative auction price,
 * trading phase and halts, safeguards with the price band and ceilings), a member's private data (orders, fills,
 * balances, obligations), and order entry (new, amend, cancel) with the same checks and durable acknowledgements as
 * REST. docs/api.md ("WebSocket") is the client's guide; this comment is the contract.
 *
 * Connecting. `GET /api/stream` with an upgrade. Optional query: `cancelOnDisconnect=true`, `csrf=<token>`.
 * - No credentials: public channels only.
 * - Browser: the session cookie. Order entry needs the session's CSRF token, given as the `csrf` query parameter or
 *   in the first message, `{"op":"session","csrf":"…"}` (preferred: query strings end up in logs). A wrong token in
 *   the query refuses the upgrade with 403 AUTH_CSRF; in the message it closes the socket (1008).
 * - Programs: the API-key headers X-Sauda-Key, X-Sauda-Timestamp, X-Sauda-Signature signing `GET`, the path with the
 *   query exactly as sent (e.g. `/api/stream?cancelOnDisconnect=true`) and the empty body. A bad signature refuses the
 *   upgrade with 401 AUTH_SIGNATURE_INVALID. No CSRF token is needed.
 * While the read models load after a restart (Exchange `deferViews`), the upgrade and order entry are served (the
 * principal from identity; an order's ack has `order` null, as REST's), and what reads the read models is refused with
 * VIEWS_LOADING until they are loaded: each subscribe (an `error` frame; the socket stays open), and cancel-on-disconnect
 * (the upgrade with 503, or the `session` message).
 * The principal is fixed at connect; the server re-checks it every heartbeat (15 s), and at once when a session is
 * signed out, and closes the socket (4401) when the session ended, the key was revoked or the user disabled. Connects count against the REST rate limit.
 *
 * Client → server (JSON text frames; unknown fields are errors; `id` is a string or integer the reply echoes):
 *   {"op":"subscribe","channel":C,"instrument"?:I,"account"?:A,"depth"?:1..50,"id"?}
 *   {"op":"unsubscribe","channel":C,"instrument"?:I,"account"?:A,"id"?}
 *   {"op":"order.new","id", …the body of POST /api/orders: instrument, account, clientOrderId, side, type, price,
 *    quantity, tif, expireAt, postOnly, stp}
 *   {"op":"order.amend","id","account","clientOrderId","price"?,"quantity"?}
 *   {"op":"order.cancel","id","account","clientOrderId"}
 *   {"op":"session","csrf"?,"cancelOnDisconnect"?:boolean,"id"?}
 *   {"op":"ping","id"?}
 * Channels: public `book`, `trades`, `quote` (instrument required), `phase`, `safeguards` (instrument, or none for
 * all instruments); private `orders`, `fills`, `balances`, `obligations` (account required; readable by the member's
 * users with the `read` scope, the operator and the regulator, as REST).
 *
 * Server → client:
 *   {"type":"ack","id","op",…}          subscribe/unsubscribe/session; for orders after the command is durable:
 *                                       {"seq","order","trades"[,"duplicate"]}, as the REST response
 *   {"type":"error","id","op"[,"seq"],"error":{"code","message","details"}}   the registry's codes; an engine
 *                                       rejection is durable and carries its seq
 *   {"type":"snapshot","channel","seq",…} after a subscribe's ack: the state to start from, as of `seq`
 *   {"type":"update","channel","seq",…}   after every durable batch that changed the channel's key
 *   {"type":"pong","id","timeMs"}
 * Channel bodies (all prices tiyn per tonne, quantities kg, money tiyn; bigints as decimal strings):
 *   book        instrument, depth, bids[], asks[] ({priceTiynPerTonne, quantityKg, orders}, best first),
 *               marketBuyQueuedKg, marketSellQueuedKg; snapshot and update alike (an update is the capped depth)
 *   quote       instrument, quote (as GET /api/instruments/:id, with `indicative` price and volume in collection)
 *   trades      instrument, trades[] oldest first ({seq, timeMs, tradeId, priceTiynPerTonne, quantityKg, aggressor})
 *   phase       instrument, mode, phase, change {seq, timeMs, reason[, from, to, auctionEndsAtMs]}: a halt is
 *               phase "halted" with its reason; the all-instruments snapshot is `instruments[]` of these
 *   safeguards  instrument, safeguards (band, breaker, ceiling, floor, ceiling path, buyer limits), change, band
 *               {lowTiynPerTonne, highTiynPerTonne} in force, bandReferenceTiynPerTonne, halted
 *   orders      account, orders[] (snapshot: resting ones; update: those that changed, as GET …/orders)
 *   fills       account, fills[] oldest first
 *   balances    account, balances[] (the whole list, as GET …/balances)
 *   obligations account, obligations[] (snapshot: newest first; update: those that changed)
 * Only durable data is sent, never engine state; updates of one batch come before the acks of its orders.
 *
 * Limits (streams/protocol.ts): 64 subscriptions per connection (SUBSCRIPTIONS_LIMIT), frames up to 64 KiB (1009),
 * 1000 order messages and 200 other messages per second per connection (RATE_LIMITED, details.retryAfterSeconds),
 * 4 MiB waiting to be sent (then closed with 4001: slow consumer), 10,000 connections (1013) and 64 per user,
 * 10,000 orders guarded by cancel-on-disconnect per connection (CANCEL_ON_DISCONNECT_LIMIT). While 5,000 commands wait
 * for the journal, sockets that send orders are not read (backpressure through TCP) until fewer than 1,000 wait.
 *
 * Cancel-on-disconnect: see streams/connection.ts. On close, the resting orders placed through the connection while
 * it was on are cancelled through the journal, one `order.cancel` each, meta actor `cancel-on-disconnect`.
 */

import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import { StreamConnection } from "../streams/connection.ts";
import { StreamHub } from "../streams/hub.ts";
import {
  CLOSE_TRY_AGAIN_LATER,
  CONNECTIONS_MAX,
  CONNECTIONS_PER_USER_MAX,
  CSRF_TOKEN_LENGTH_MAX,
  HEARTBEAT_INTERVAL_MS,
} from "../streams/protocol.ts";

interface StreamQuery {
  cancelOnDisconnect?: boolean;
  csrf?: string;
}

export function streamRoutes(api: FastifyInstance, context: RouteContext): void {
  const hub = new StreamHub(context);
  const connections = new Set<StreamConnection>();
  const perUser = new Map<string, number>();
  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();
  // A sign-out closes that session's sockets at once, not at the next heartbeat.
  context.auth.sessions.onEnded(() => {
    for (const connection of connections) connection.recheck();
  });
  api.addHook("onClose", async () => {
    clearInterval(heartbeat);
    hub.stop();
  });

  api.get<{ Querystring: StreamQuery }>(
    "/stream",
    {
      websocket: true,
      schema: {
        operationId: "openStream",
        tags: ["streams"],
        summary: "WebSocket: market data, your orders, fills, balances and obligations, and order entry",
        description:
          "Upgrade to a WebSocket. The messages are described in the AsyncAPI document at /api/asyncapi.json " +
          "(docs/asyncapi.json) and in docs/api.md, section WebSocket. Without credentials only public channels.",
        querystring: Type.Object(
          {
            cancelOnDisconnect: Type.Optional(Type.Boolean()),
            csrf: Type.Optional(Type.String({ minLength: 1, maxLength: CSRF_TOKEN_LENGTH_MAX })),
          },
          { additionalProperties: false },
        ),
        response: { 101: { description: "Switching protocols: the WebSocket is open", type: "null" } },
      },
      config: { access: "public", errors: ["AUTH_CSRF", "AUTH_REQUIRED"] },
      preHandler: async (request) => {
        const principal = request.principal;
        const csrf = request.query.csrf;
        if (csrf !== undefined && principal.kind === "user" && principal.via === "session") {
          if (!sameToken(csrf, principal.csrf)) throw new HttpProblem("AUTH_CSRF", { via: "stream" });
        }
        if (request.query.cancelOnDisconnect === true && principal.kind !== "user") {
          throw new HttpProblem("AUTH_REQUIRED", { action: "use cancel-on-disconnect" });
        }
        // Cancel-on-disconnect finds the connection's resting orders in the read models: not while they load.
        if (request.query.cancelOnDisconnect === true && context.exchange.viewsState !== "ready") {
          throw context.exchange.viewsRefusal();
        }
      },
    },
    (socket, request) => {
      const principal = request.principal;
      const user = principal.kind === "user" ? principal.user.id : null;
      if (connections.size >= CONNECTIONS_MAX) {
        socket.close(CLOSE_TRY_AGAIN_LATER, `the server holds ${CONNECTIONS_MAX} connections; try again later`);
        return;
      }
      if (user !== null && (perUser.get(user) ?? 0) >= CONNECTIONS_PER_USER_MAX) {
        socket.close(CLOSE_TRY_AGAIN_LATER, `at most ${CONNECTIONS_PER_USER_MAX} connections per user`);
        return;
      }
      const query = request.query as StreamQuery;
      const connection = new StreamConnection(context, hub, socket, request, {
        cancelOnDisconnect: query.cancelOnDisconnect === true,
        csrfVerified:
          query.csrf !== undefined && principal.kind === "user" && principal.via === "session"
            ? sameToken(query.csrf, principal.csrf)
            : false,
        onClosed: (closed) => {
          connections.delete(closed);
          if (closed.userId !== null) {
            const count = (perUser.get(closed.userId) ?? 1) - 1;
            if (count <= 0) perUser.delete(closed.userId);
            else perUser.set(closed.userId, count);
          }
        },
      });
      connections.add(connection);
      if (user !== null) perUser.set(user, (perUser.get(user) ?? 0) + 1);
    },
  );
}

function sameToken(given: string, expected: string | null): boolean {
  if (expected === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
