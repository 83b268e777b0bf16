/**
 * A member's account views: balances (free, blocked for orders, blocked for obligations, with the deposit its open
 * purchases hold, summed over all of them rather than a listing's first page), fills and clearing obligations. Readable by the member's own users, the operator and the regulator.
 */

import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { ACCOUNT_LIST_LIMIT_MAX } from "../../domain/limits.ts";
import { EXCHANGE_UTC_OFFSET_MS, localMonth } from "../../projections/numbers.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import { BALANCE, balanceWire, FILL, OBLIGATION } from "../wire/accounts.ts";
import { Strict } from "../wire/base.ts";
import { SUPPLY_STATUS } from "../wire/console.ts";
import { memberOfAccount, requireReadAccount } from "./access.ts";
import { ACCOUNT_ID, json } from "./common.ts";
import { MONTH } from "./console.ts";

const MEMBER_READ = { access: "memberRead" as const };

export function accountRoutes(api: FastifyInstance, context: RouteContext): void {
  const accounts = context.exchange.projections.accounts;
  const params = Type.Object({ account: ACCOUNT_ID });

  api.get<{ Params: { account: string }; Querystring: { month?: string } }>(
    "/accounts/:account/supply",
    {
      schema: {
        operationId: "getMemberSupply",
        tags: ["accounts"],
        summary:
          "The domestic supply obligations of the account's member in a month (default: this month): what the " +
          "regulator planned at each basis, what the member offered and sold, and any shortfall",
        description:
          "A producer's own view of what GET /api/regulator/supply shows the regulator for every producer; a member " +
          "without plans reads an empty list.",
        params,
        querystring: Type.Object({ month: Type.Optional(MONTH) }, { additionalProperties: false }),
        response: {
          200: Strict({ month: Type.String(), member: Type.String(), plans: Type.Array(SUPPLY_STATUS) }),
        },
      },
      config: { ...MEMBER_READ, errors: ["ACCOUNT_NOT_FOUND"] },
    },
    async (request) => {
      const { account } = request.params;
      requireReadAccount(context, request, account, "read supply obligations");
      const member = memberOfAccount(context, account);
      if (member === null) throw new HttpProblem("ACCOUNT_NOT_FOUND", { id: account });
      const month = request.query.month ?? localMonth(context.exchange.clock(), EXCHANGE_UTC_OFFSET_MS);
      const plans = context.exchange.projections.supply.status(month).filter((row) => row.producer === member);
      return json({ month, member, plans });
    },
  );

  api.get<{ Params: { account: string } }>(
    "/accounts/:account/balances",
    {
      schema: {
        operationId: "getBalances",
        tags: ["accounts"],
        summary:
          "Money (tiyn) and gas (kg per basis): free, blocked for orders, blocked for obligations, total; and the " +
          "guarantee deposit held for the account's open purchases",
        params,
        response: {
          200: Strict({
            account: Type.String(),
            balances: Type.Array(BALANCE),
            openPurchases: Type.Integer({
              minimum: 0,
              description: "open clearing obligations the account buys in, all of them (no list limit applies)",
            }),
            collateralTiyn: Type.String({
              pattern: "^\\d+$",
              description:
                "the guarantee deposit (collateral) those open purchases hold, summed exactly from the read model; " +
                "part of the money blocked for obligations, returned when each trade settles",
            }),
          }),
        },
      },
      config: MEMBER_READ,
    },
    async (request) => {
      const { account } = request.params;
      requireReadAccount(context, request, account, "read balances");
      const { openPurchases, collateralTiyn } = accounts.openCollateral(account);
      return {
        account,
        balances: accounts.balances(account).map(balanceWire),
        openPurchases,
        collateralTiyn: collateralTiyn.toString(),
      };
    },
  );

  api.get<{ Params: { account: string }; Querystring: { limit: number } }>(
    "/accounts/:account/fills",
    {
      schema: {
        operationId: "listFills",
        tags: ["accounts"],
        summary: "Fills, newest first",
        params,
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: ACCOUNT_LIST_LIMIT_MAX, default: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Strict({ fills: Type.Array(FILL) }) },
      },
      config: MEMBER_READ,
    },
    async (request) => {
      requireReadAccount(context, request, request.params.account, "read fills");
      return { fills: json(accounts.fills(request.params.account, request.query.limit)) };
    },
  );

  api.get<{
    Params: { account: string };
    Querystring: { status?: "open" | "settled" | "defaulted" | "voided"; limit: number };
  }>(
    "/accounts/:account/obligations",
    {
      schema: {
        operationId: "listObligations",
        tags: ["accounts"],
        summary: "Clearing obligations: payments and deliveries with their deadlines",
        params,
        querystring: Type.Object(
          {
            status: Type.Optional(
              Type.Union([
                Type.Literal("open"),
                Type.Literal("settled"),
                Type.Literal("defaulted"),
                Type.Literal("voided"),
              ]),
            ),
            limit: Type.Integer({ minimum: 1, maximum: ACCOUNT_LIST_LIMIT_MAX, default: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Strict({ obligations: Type.Array(OBLIGATION) }) },
      },
      config: MEMBER_READ,
    },
    async (request) => {
      requireReadAccount(context, request, request.params.account, "read obligations");
      const { status, limit } = request.query;
      return {
        obligations: json(accounts.obligations(request.params.account, { limit, ...(status ? { status } : {}) })),
      };
    },
  );
}
