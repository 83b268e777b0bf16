/**
 * Money and gas under /api/admin/accounts/:account: deposits and withdrawals booked from bank statement lines (each
 * reference once), and gas declared available at a basis or withdrawn from it (whole tonnes).
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { MONEY_AMOUNT_MAX, REFERENCE_LENGTH_MAX } from "../../../domain/limits.ts";
import type { RouteContext } from "../../context.ts";
import { BALANCE, balanceWire } from "../../wire/accounts.ts";
import { SEQ, Strict } from "../../wire/base.ts";
import { ACCOUNT_ID, ID, QUANTITY } from "../common.ts";
import { OPERATOR_CHANGE, requireConsoleChange, submitChecked } from "../console.ts";

const strict = { additionalProperties: false } as const;
const tags = ["operator"];

const ACCOUNT_PARAMS = Type.Object({ account: ACCOUNT_ID }, strict);

const MONEY = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: MONEY_AMOUNT_MAX, description: "tiyn" }),
    reference: Type.String({
      minLength: 1,
      maxLength: REFERENCE_LENGTH_MAX,
      pattern: "^[\\x21-\\x7e]+$",
      description: "the bank statement line; each is booked once",
    }),
  },
  { ...strict, examples: [{ amount: 100_000_000_050, reference: "KZ-STMT-2026-12-04-0017" }] },
);

const GAS = Type.Object(
  { basis: ID, quantity: QUANTITY },
  { ...strict, examples: [{ basis: "KAZGPZ", quantity: 500_000 }] },
);

const BALANCES = Strict({ seq: SEQ, account: Type.String(), balances: Type.Array(BALANCE) });

export function operatorFundsRoutes(api: FastifyInstance, context: RouteContext): void {
  const projections = context.exchange.projections;

  const moneyRoutes = [
    ["deposits", "money.deposit", "bookDeposit", "Book a deposit from a bank statement line (each reference once)"],
    ["withdrawals", "money.withdraw", "bookWithdrawal", "Pay out free money, with the bank reference"],
  ] as const;
  for (const [path, type, operationId, summary] of moneyRoutes) {
    api.post<{ Params: Static<typeof ACCOUNT_PARAMS>; Body: Static<typeof MONEY> }>(
      `/admin/accounts/:account/${path}`,
      {
        schema: { operationId, tags, summary, params: ACCOUNT_PARAMS, body: MONEY, response: { 200: BALANCES } },
        config: {
          ...OPERATOR_CHANGE,
          errors: [
            "ACCOUNT_NOT_FOUND",
            "AMOUNT_INVALID",
            "REFERENCE_INVALID",
            "REFERENCE_DUPLICATE",
            "RISK_INSUFFICIENT_FUNDS",
          ],
        },
      },
      async (request) => {
        requireConsoleChange(request, "operator", `book ${path}`);
        const { account } = request.params;
        const outcome = await submitChecked(context, request, {
          type,
          account,
          amount: request.body.amount,
          reference: request.body.reference,
        });
        return { seq: outcome.seq, account, balances: projections.accounts.balances(account).map(balanceWire) };
      },
    );
  }

  const gasRoutes = [
    ["declarations", "gas.declare", "declareGas", "Declare gas available at a basis (whole tonnes)"],
    ["withdrawals", "gas.withdraw", "withdrawGas", "Withdraw free gas at a basis (whole tonnes)"],
  ] as const;
  for (const [path, type, operationId, summary] of gasRoutes) {
    api.post<{ Params: Static<typeof ACCOUNT_PARAMS>; Body: Static<typeof GAS> }>(
      `/admin/accounts/:account/gas/${path}`,
      {
        schema: { operationId, tags, summary, params: ACCOUNT_PARAMS, body: GAS, response: { 200: BALANCES } },
        config: {
          ...OPERATOR_CHANGE,
          errors: [
            "ACCOUNT_NOT_FOUND",
            "ACCOUNT_ROLE_FORBIDDEN",
            "GAS_QUANTITY_INVALID",
            "BASIS_INVALID",
            "BASIS_UNKNOWN",
            "RISK_INSUFFICIENT_VOLUME",
          ],
        },
      },
      async (request) => {
        requireConsoleChange(request, "operator", `book gas ${path}`);
        const { account } = request.params;
        const outcome = await submitChecked(context, request, {
          type,
          account,
          basis: request.body.basis,
          quantity: request.body.quantity,
        });
        return { seq: outcome.seq, account, balances: projections.accounts.balances(account).map(balanceWire) };
      },
    );
  }
}
