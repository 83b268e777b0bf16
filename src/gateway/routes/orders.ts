/**
 * Order entry for members' traders: new orders, amends, cancels, mass cancel, and lookups. A member names its orders
 * with its own client order ids (unique per account); a retry with the same id and content returns the original
 * outcome, so a client whose request timed out can simply send it again, or look the order up.
 *
 * Every response comes after the command is durable in the journal.
 */

import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { type Side, STP_MODES, TIMES_IN_FORCE } from "../../domain/order.ts";
import type { Outcome } from "../../journal/sequencer.ts";
import type { AccountOrder } from "../../projections/accounts.ts";
import { EXCHANGE_UTC_OFFSET_MS, localDay } from "../../projections/numbers.ts";
import type { RouteContext } from "../context.ts";
import { ORDER_ENTRY_ERRORS } from "../contract.ts";
import { HttpProblem } from "../errors.ts";
import { amendCommand, cancelCommand, massCancelCommand, type NewOrderBody, newOrderCommand } from "../order-entry.ts";
import { LISTED_ACCOUNT, ORDER } from "../wire/accounts.ts";
import { COUNT, KG, Nullable, PRICE_TIYN_PER_TONNE, SEQ, SIDE, Strict } from "../wire/base.ts";
import { metaOf, readableAccounts, requireReadAccount, requireTradeAccount } from "./access.ts";
import {
  ACCOUNT_ID,
  CLIENT_ORDER_ID,
  engineOrderId,
  ID,
  json,
  PRICE,
  QUANTITY,
  TIME_MS_MAX,
  throwIfRejected,
} from "./common.ts";
import { statementsFromOf } from "./documents.ts";

/** What an order command answers: the order as it stands after the command, and the trades the command made. */
export const ORDER_RESULT = Strict({
  seq: SEQ,
  order: Type.Union([ORDER, Type.Null()], {
    description:
      "The order after the command; null while the exchange's views load after a restart (the command is durable: look the order up once they are ready)",
  }),
  trades: Type.Array(
    Strict({
      tradeId: Type.String(),
      priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
      quantityKg: KG,
      aggressor: Nullable(SIDE),
    }),
  ),
});
const ORDER_PLACED = Strict({ ...ORDER_RESULT.properties, duplicate: Type.Boolean() });
const TRADE = { access: "memberTrade" as const, errors: ORDER_ENTRY_ERRORS };
const READ = { access: "memberRead" as const };
const ORDER_PARAMS = Type.Object({ account: ACCOUNT_ID, clientOrderId: CLIENT_ORDER_ID });

export { type NewOrderBody, newOrderCommand };

/**
 * An order's type. The WebSocket's `order.new` requires it (its published message as it always was); over REST it may
 * be left out and the validator fills in "limit" before the route runs, so the journaled command is the same either way.
 */
export const ORDER_TYPE = Type.Union([Type.Literal("limit"), Type.Literal("market")], { default: "limit" });

export const NEW_ORDER = Type.Object(
  {
    instrument: ID,
    account: ACCOUNT_ID,
    clientOrderId: CLIENT_ORDER_ID,
    side: Type.Union([Type.Literal("buy"), Type.Literal("sell")]),
    type: Type.Optional(ORDER_TYPE),
    price: Type.Optional(PRICE),
    quantity: QUANTITY,
    tif: Type.Optional(Type.Union(TIMES_IN_FORCE.map((t) => Type.Literal(t)))),
    expireAt: Type.Optional(
      Type.Integer({ minimum: 0, maximum: TIME_MS_MAX, description: "GTD only: ms since epoch (UTC)" }),
    ),
    postOnly: Type.Optional(Type.Boolean()),
    stp: Type.Optional(Type.Union(STP_MODES.map((m) => Type.Literal(m)))),
  },
  {
    additionalProperties: false,
    examples: [
      {
        instrument: "PB-KAZGPZ-MANGYSTAU-2026-12",
        account: "AKTAU-STATIONS-1",
        clientOrderId: "bid-0001",
        side: "buy",
        type: "limit",
        price: 12_500_000,
        quantity: 20_000,
        tif: "DAY",
      },
    ],
  },
);

/**
 * What a member sees after an order command: the order's state and the trades the command made; the order is null
 * when the read models are still loading after a restart (order entry is served before them). The order is the
 * read model's fresh copy as it is: its fields are strings, numbers and nulls only (`AccountOrder`), so it is already
 * plain JSON (no `json` deep copy, which cost every acknowledgement a second copy of the order).
 */
export function orderResult(
  context: RouteContext,
  outcome: Outcome,
  orderId: string,
): { seq: number; order: AccountOrder | null; trades: OrderTrade[] } {
  const trades: OrderTrade[] = [];
  for (const event of outcome.events) {
    if (event.type !== "trade") continue;
    trades.push({
      tradeId: event.tradeId,
      priceTiynPerTonne: event.price,
      quantityKg: event.quantity,
      aggressor: event.aggressor,
    });
  }
  // While the read models load (order entry is served before them, server.ts), the order's state is not known here:
  // the command is durable, and the order is looked up once they are ready.
  const exchange = context.exchange;
  const order = exchange.viewsState === "ready" ? exchange.projections.accounts.order(orderId) : null;
  return { seq: outcome.seq, order, trades };
}

/** A trade an order command made, as its acknowledgement lists it. */
interface OrderTrade {
  tradeId: string;
  priceTiynPerTonne: number;
  quantityKg: number;
  aggressor: Side | null;
}

export function orderRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;

  api.post<{ Body: NewOrderBody }>(
    "/orders",
    {
      schema: {
        operationId: "placeOrder",
        tags: ["orders"],
        summary: "Place an order",
        body: NEW_ORDER,
        response: {
          201: { ...ORDER_PLACED, description: "Accepted (durable), with the trades it made at once" },
          200: { ...ORDER_PLACED, description: "A retry of an order already accepted: its original outcome" },
        },
      },
      config: TRADE,
    },
    async (request, reply) => {
      const body = request.body;
      requireTradeAccount(context, request, body.account, "place orders");
      const outcome = await exchange.submit(newOrderCommand(body), metaOf(request));
      throwIfRejected(outcome);
      const duplicate = outcome.events.some((event) => event.type === "order.duplicate");
      reply.code(duplicate ? 200 : 201);
      return { ...orderResult(context, outcome, engineOrderId(body.account, body.clientOrderId)), duplicate };
    },
  );

  api.get<{ Params: { account: string; clientOrderId: string } }>(
    "/accounts/:account/orders/:clientOrderId",
    {
      schema: {
        operationId: "getOrder",
        tags: ["orders"],
        summary: "Look an order up by its client order id (resolves a request whose outcome is unknown)",
        params: ORDER_PARAMS,
        response: { 200: Strict({ order: ORDER }) },
      },
      config: { ...READ, errors: ["ORDER_NOT_FOUND"] },
    },
    async (request) => {
      const { account, clientOrderId } = request.params;
      requireReadAccount(context, request, account, "read orders");
      const order = exchange.projections.accounts.order(engineOrderId(account, clientOrderId));
      // Named as the engine names it in a refused amend or cancel (`account~clientOrderId`), so one route answers like another.
      if (!order) throw new HttpProblem("ORDER_NOT_FOUND", { id: engineOrderId(account, clientOrderId) });
      return { order: json(order) };
    },
  );

  api.patch<{ Params: { account: string; clientOrderId: string }; Body: { price?: number; quantity?: number } }>(
    "/accounts/:account/orders/:clientOrderId",
    {
      schema: {
        operationId: "amendOrder",
        tags: ["orders"],
        summary: "Amend: new price and/or new open quantity",
        params: ORDER_PARAMS,
        body: Type.Object(
          { price: Type.Optional(PRICE), quantity: Type.Optional(QUANTITY) },
          { additionalProperties: false, examples: [{ price: 12_600_000 }, { quantity: 10_000 }] },
        ),
        response: { 200: ORDER_RESULT },
      },
      config: TRADE,
    },
    async (request) => {
      const { account, clientOrderId } = request.params;
      requireTradeAccount(context, request, account, "amend orders");
      const orderId = engineOrderId(account, clientOrderId);
      const outcome = await exchange.submit(
        amendCommand(orderId, request.body.price, request.body.quantity),
        metaOf(request),
      );
      throwIfRejected(outcome);
      return orderResult(context, outcome, orderId);
    },
  );

  api.delete<{ Params: { account: string; clientOrderId: string } }>(
    "/accounts/:account/orders/:clientOrderId",
    {
      schema: {
        operationId: "cancelOrder",
        tags: ["orders"],
        summary: "Cancel an order",
        params: ORDER_PARAMS,
        response: { 200: ORDER_RESULT },
      },
      config: TRADE,
    },
    async (request) => {
      const { account, clientOrderId } = request.params;
      requireTradeAccount(context, request, account, "cancel orders");
      const orderId = engineOrderId(account, clientOrderId);
      const outcome = await exchange.submit(cancelCommand(orderId), metaOf(request));
      throwIfRejected(outcome);
      return orderResult(context, outcome, orderId);
    },
  );

  api.post<{ Params: { account: string }; Body: { instrument?: string } }>(
    "/accounts/:account/mass-cancel",
    {
      schema: {
        operationId: "massCancel",
        tags: ["orders"],
        summary: "Cancel all of an account's orders (optionally in one instrument)",
        params: Type.Object({ account: ACCOUNT_ID }),
        body: Type.Optional(
          Type.Object(
            { instrument: Type.Optional(ID) },
            { additionalProperties: false, examples: [{}, { instrument: "PB-KAZGPZ-MANGYSTAU-2026-12" }] },
          ),
        ),
        response: { 200: Strict({ seq: SEQ, cancelled: COUNT }) },
      },
      config: TRADE,
    },
    async (request) => {
      const { account } = request.params;
      requireTradeAccount(context, request, account, "cancel orders");
      const outcome = await exchange.submit(massCancelCommand(account, request.body?.instrument), metaOf(request));
      throwIfRejected(outcome);
      const cancelled = outcome.events.filter((event) => event.type === "order.cancelled").length;
      return { seq: outcome.seq, cancelled };
    },
  );

  api.get<{
    Params: { account: string };
    Querystring: { status?: "resting" | "filled" | "cancelled"; instrument?: string; limit: number };
  }>(
    "/accounts/:account/orders",
    {
      schema: {
        operationId: "listOrders",
        tags: ["orders"],
        summary: "An account's orders, newest first",
        params: Type.Object({ account: ACCOUNT_ID }),
        querystring: Type.Object(
          {
            status: Type.Optional(
              Type.Union([Type.Literal("resting"), Type.Literal("filled"), Type.Literal("cancelled")]),
            ),
            instrument: Type.Optional(ID),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Strict({ orders: Type.Array(ORDER) }) },
      },
      config: READ,
    },
    async (request) => {
      const { account } = request.params;
      requireReadAccount(context, request, account, "read orders");
      const { status, instrument, limit } = request.query;
      return {
        orders: json(
          exchange.projections.accounts.orders(account, {
            limit,
            ...(status ? { status } : {}),
            ...(instrument ? { instrument } : {}),
          }),
        ),
      };
    },
  );

  api.get(
    "/accounts",
    {
      schema: {
        operationId: "listAccounts",
        tags: ["accounts"],
        summary: "Accounts you may see",
        response: { 200: Strict({ accounts: Type.Array(LISTED_ACCOUNT) }) },
      },
      config: { access: "signedIn" },
    },
    async (request) => ({
      accounts: readableAccounts(context, request).flatMap((id) => {
        const info = exchange.projections.accounts.info(id);
        if (info === null) return [];
        // Every account's member was admitted before it opened; today stands in should one not be known.
        const from = statementsFromOf(context, info.member) ?? localDay(exchange.clock(), EXCHANGE_UTC_OFFSET_MS);
        return [{ ...(json(info) as object), statementsFrom: from }];
      }),
    }),
  );
}
