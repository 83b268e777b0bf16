/**
 * Order entry for members' traders: new orders, amends, cancels, mass cancel, and lookups. A member names its orders
 * with its own client order ids (unique per account); a retry with the same id and content returns the original
 * outcome, so a client whose request timed out can simply send it again, or look the order up.
 *
 * Every response comes after the command is durable in the journal.
 */

import { Type } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { STP_MODES, TIMES_IN_FORCE } from "../../domain/order.ts";
import type { Command } from "../../engine/commands.ts";
import type { Outcome } from "../../journal/sequencer.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
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

export const NEW_ORDER = Type.Object(
  {
    instrument: ID,
    account: ACCOUNT_ID,
    clientOrderId: CLIENT_ORDER_ID,
    side: Type.Union([Type.Literal("buy"), Type.Literal("sell")]),
    type: Type.Union([Type.Literal("limit"), Type.Literal("market")], { default: "limit" }),
    price: Type.Optional(PRICE),
    quantity: QUANTITY,
    tif: Type.Optional(Type.Union(TIMES_IN_FORCE.map((t) => Type.Literal(t)))),
    expireAt: Type.Optional(
      Type.Integer({ minimum: 0, maximum: TIME_MS_MAX, description: "GTD only: ms since epoch (UTC)" }),
    ),
    postOnly: Type.Optional(Type.Boolean()),
    stp: Type.Optional(Type.Union(STP_MODES.map((m) => Type.Literal(m)))),
  },
  { additionalProperties: false },
);

export type NewOrderBody = {
  instrument: string;
  account: string;
  clientOrderId: string;
  side: "buy" | "sell";
  type: "limit" | "market";
  price?: number;
  quantity: number;
  tif?: (typeof TIMES_IN_FORCE)[number];
  expireAt?: number;
  postOnly?: boolean;
  stp?: (typeof STP_MODES)[number];
};

export function newOrderCommand(body: NewOrderBody): Command {
  return {
    type: "order.new",
    instrument: body.instrument,
    orderId: engineOrderId(body.account, body.clientOrderId),
    account: body.account,
    side: body.side,
    orderType: body.type,
    ...(body.price === undefined ? {} : { price: body.price }),
    quantity: body.quantity,
    ...(body.tif === undefined ? {} : { tif: body.tif }),
    ...(body.expireAt === undefined ? {} : { expireAtMs: body.expireAt }),
    ...(body.postOnly === undefined ? {} : { postOnly: body.postOnly }),
    ...(body.stp === undefined ? {} : { stp: body.stp }),
  };
}

/** What a member sees after an order command: the order's state and the trades the command made. */
export function orderResult(context: RouteContext, outcome: Outcome, orderId: string) {
  const trades = outcome.events
    .filter((event) => event.type === "trade")
    .map((event) =>
      event.type === "trade"
        ? { tradeId: event.tradeId, price: event.price, quantity: event.quantity, aggressor: event.aggressor }
        : null,
    );
  const order = context.exchange.projections.accounts.order(orderId);
  return { seq: outcome.seq, order: json(order), trades };
}

export function orderRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;

  api.post<{ Body: NewOrderBody }>(
    "/orders",
    { schema: { tags: ["orders"], summary: "Place an order", body: NEW_ORDER } },
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
        tags: ["orders"],
        summary: "Look an order up by its client order id (resolves a request whose outcome is unknown)",
        params: Type.Object({ account: ACCOUNT_ID, clientOrderId: CLIENT_ORDER_ID }),
      },
    },
    async (request) => {
      const { account, clientOrderId } = request.params;
      requireReadAccount(context, request, account, "read orders");
      const order = exchange.projections.accounts.order(engineOrderId(account, clientOrderId));
      if (!order) throw new HttpProblem("ORDER_NOT_FOUND", { id: clientOrderId });
      return { order: json(order) };
    },
  );

  api.patch<{ Params: { account: string; clientOrderId: string }; Body: { price?: number; quantity?: number } }>(
    "/accounts/:account/orders/:clientOrderId",
    {
      schema: {
        tags: ["orders"],
        summary: "Amend: new price and/or new open quantity",
        params: Type.Object({ account: ACCOUNT_ID, clientOrderId: CLIENT_ORDER_ID }),
        body: Type.Object(
          { price: Type.Optional(PRICE), quantity: Type.Optional(QUANTITY) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { account, clientOrderId } = request.params;
      requireTradeAccount(context, request, account, "amend orders");
      const orderId = engineOrderId(account, clientOrderId);
      const outcome = await exchange.submit(
        {
          type: "order.amend",
          orderId,
          ...(request.body.price === undefined ? {} : { price: request.body.price }),
          ...(request.body.quantity === undefined ? {} : { quantity: request.body.quantity }),
        },
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
        tags: ["orders"],
        summary: "Cancel an order",
        params: Type.Object({ account: ACCOUNT_ID, clientOrderId: CLIENT_ORDER_ID }),
      },
    },
    async (request) => {
      const { account, clientOrderId } = request.params;
      requireTradeAccount(context, request, account, "cancel orders");
      const orderId = engineOrderId(account, clientOrderId);
      const outcome = await exchange.submit({ type: "order.cancel", orderId }, metaOf(request));
      throwIfRejected(outcome);
      return orderResult(context, outcome, orderId);
    },
  );

  api.post<{ Params: { account: string }; Body: { instrument?: string } }>(
    "/accounts/:account/mass-cancel",
    {
      schema: {
        tags: ["orders"],
        summary: "Cancel all of an account's orders (optionally in one instrument)",
        params: Type.Object({ account: ACCOUNT_ID }),
        body: Type.Optional(Type.Object({ instrument: Type.Optional(ID) }, { additionalProperties: false })),
      },
    },
    async (request) => {
      const { account } = request.params;
      requireTradeAccount(context, request, account, "cancel orders");
      const outcome = await exchange.submit(
        {
          type: "order.massCancel",
          account,
          ...(request.body?.instrument ? { instrument: request.body.instrument } : {}),
        },
        metaOf(request),
      );
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
      },
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

  api.get("/accounts", { schema: { tags: ["accounts"], summary: "Accounts you may see" } }, async (request) => ({
    accounts: readableAccounts(context, request).map((id) => json(exchange.projections.accounts.info(id))),
  }));
}
