/**
 * Settlement under /api/admin/obligations: open obligations across all accounts, earliest outstanding deadline
 * first, and the back office's confirmations of payment (from the bank statement) and delivery (at the basis); and
 * the rulebook's remedy `trade.void`: the operator voids a trade made in breach of the rules, with a reason and the
 * rule it broke, and its obligation unwinds exactly (engine/clearing.ts `voidObligation`).
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { obligationIdOf, TRADE_ID_LENGTH_MAX } from "../../../domain/ids.ts";
import { RULE_REFERENCE_LENGTH_MAX } from "../../../engine/clearinghouse.ts";
import type { ObligationView } from "../../../projections/index.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem } from "../../errors.ts";
import { OBLIGATION } from "../../wire/accounts.ts";
import { COUNT, EPOCH_MS, Nullable, SEQ, Strict } from "../../wire/base.ts";
import { REOFFER } from "../../wire/remedies.ts";
import { ACCOUNT_ID, ID, json, REASON } from "../common.ts";
import {
  CONSOLE_READ,
  OPERATOR_CHANGE,
  requireConsoleChange,
  requireConsoleRead,
  submitChecked,
  TIME_MS,
} from "../console.ts";

const strict = { additionalProperties: false } as const;
const tags = ["operator"];

/** Most obligations one listing returns. */
export const OBLIGATIONS_LIST_MAX = 1000;

const TRADE_PARAMS = Type.Object(
  { trade: Type.String({ minLength: 1, maxLength: TRADE_ID_LENGTH_MAX, pattern: "^[\\x21-\\x7e]+$" }) },
  strict,
);
const VOID_BODY = Type.Object(
  {
    reason: REASON,
    rule: Type.String({
      minLength: 1,
      maxLength: RULE_REFERENCE_LENGTH_MAX,
      description: "the rulebook's clause the trade broke",
    }),
  },
  {
    ...strict,
    examples: [
      {
        reason: "the buyer's trading software entered orders faster than the entry rules allow",
        rule: "Rulebook §2: orders",
      },
    ],
  },
);

const OBLIGATION_STATUSES = ["open", "settled", "defaulted", "voided", "all"] as const;
const OBLIGATIONS_QUERY = Type.Object(
  {
    status: Type.Optional(Type.Enum(OBLIGATION_STATUSES)),
    account: Type.Optional(ACCOUNT_ID),
    instrument: Type.Optional(ID),
    dueBeforeMs: Type.Optional(TIME_MS),
    limit: Type.Integer({ minimum: 1, maximum: OBLIGATIONS_LIST_MAX, default: 200 }),
  },
  strict,
);
const NO_BODY = Type.Object({}, { ...strict, examples: [{}] });
/** Obligation ids are longer than other ids: `OB-`, the instrument and the trade's place (src/domain/ids.ts). */
const OBLIGATION_PARAMS = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: TRADE_ID_LENGTH_MAX, pattern: "^[\\x21-\\x7e]+$" }) },
  strict,
);

const OBLIGATION_DUE = Strict({
  ...OBLIGATION.properties,
  nextDueMs: Nullable(EPOCH_MS),
  overdue: Type.Boolean(),
});

/** The earliest deadline still to be met: the unconfirmed legs' due times; null once nothing is outstanding. */
function nextDueMs(obligation: ObligationView): number | null {
  if (obligation.status !== "open") return null;
  const due = [
    ...(obligation.paid ? [] : [obligation.paymentDueMs]),
    ...(obligation.delivered ? [] : [obligation.deliveryDueMs]),
  ];
  return due.length === 0 ? null : Math.min(...due);
}

export function operatorSettlementRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;
  const projections = exchange.projections;

  api.get<{ Querystring: Static<typeof OBLIGATIONS_QUERY> }>(
    "/admin/obligations",
    {
      schema: {
        operationId: "adminListObligations",
        tags,
        summary: "Obligations of all accounts (open by default), earliest outstanding deadline first",
        querystring: OBLIGATIONS_QUERY,
        response: { 200: Strict({ count: COUNT, obligations: Type.Array(OBLIGATION_DUE) }) },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "list obligations");
      const { status = "open", account, instrument, dueBeforeMs, limit } = request.query;
      const nowMs = exchange.clock();
      const seen = new Set<string>();
      const rows: (ObligationView & { nextDueMs: number | null; overdue: boolean })[] = [];
      const accounts = account === undefined ? projections.accounts.accountIds() : [account];
      for (const id of accounts) {
        const query = status === "all" ? {} : { status };
        for (const obligation of projections.accounts.obligations(id, query)) {
          if (seen.has(obligation.id)) continue;
          seen.add(obligation.id);
          if (instrument !== undefined && obligation.instrument !== instrument) continue;
          const due = nextDueMs(obligation);
          if (dueBeforeMs !== undefined && (due === null || due >= dueBeforeMs)) continue;
          rows.push({ ...obligation, nextDueMs: due, overdue: due !== null && due <= nowMs });
        }
      }
      rows.sort(
        (a, b) =>
          (a.nextDueMs ?? Number.MAX_SAFE_INTEGER) - (b.nextDueMs ?? Number.MAX_SAFE_INTEGER) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
      return { count: rows.length, obligations: json(rows.slice(0, limit)) };
    },
  );

  const confirmRoutes = [
    [
      "confirm-payment",
      "obligation.confirmPayment",
      "confirmPayment",
      "Confirm the buyer's payment (from the bank statement)",
    ],
    ["confirm-delivery", "obligation.confirmDelivery", "confirmDelivery", "Confirm delivery of the gas at the basis"],
  ] as const;
  api.post<{ Params: Static<typeof TRADE_PARAMS>; Body: Static<typeof VOID_BODY> }>(
    "/admin/trades/:trade/void",
    {
      schema: {
        operationId: "voidTrade",
        tags,
        summary:
          "Voids a trade made in breach of the rules, with a reason and the rule: its obligation unwinds exactly",
        params: TRADE_PARAMS,
        body: VOID_BODY,
        response: {
          200: Strict({
            seq: SEQ,
            obligation: Nullable(OBLIGATION),
            /** The re-offer its volume waits as; null when it lapsed at once (the instrument's re-offers full). */
            reoffer: Nullable(REOFFER),
          }),
        },
      },
      config: {
        ...OPERATOR_CHANGE,
        errors: ["TRADE_NOT_FOUND", "TRADE_NOT_VOIDABLE", "FIELD_INVALID"],
      },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "void trades");
      const { trade } = request.params;
      // The engine refuses in its obligation's terms; the operator asked about a trade, so the answer names it.
      const outcome = await submitChecked(context, request, { type: "trade.void", trade, ...request.body }).catch(
        (error: unknown) => {
          if (!(error instanceof HttpProblem)) throw error;
          if (error.code === "OBLIGATION_NOT_FOUND") throw new HttpProblem("TRADE_NOT_FOUND", { trade });
          if (error.code === "OBLIGATION_NOT_OPEN") {
            throw new HttpProblem("TRADE_NOT_VOIDABLE", { trade, status: error.details.status ?? null });
          }
          if (error.code === "OBLIGATION_ALREADY_CONFIRMED") {
            throw new HttpProblem("TRADE_NOT_VOIDABLE", { trade, status: "delivered" });
          }
          throw error;
        },
      );
      const reoffer = outcome.events.find((e) => e.type === "reoffer.created");
      return {
        seq: outcome.seq,
        obligation: json(projections.accounts.obligation(obligationIdOf(trade))),
        reoffer: reoffer?.type === "reoffer.created" ? reoffer.reoffer : null,
      };
    },
  );

  for (const [path, type, operationId, summary] of confirmRoutes) {
    api.post<{ Params: { id: string }; Body: Static<typeof NO_BODY> }>(
      `/admin/obligations/:id/${path}`,
      {
        schema: {
          operationId,
          tags,
          summary,
          params: OBLIGATION_PARAMS,
          body: NO_BODY,
          response: { 200: Strict({ seq: SEQ, obligation: Nullable(OBLIGATION) }) },
        },
        config: {
          ...OPERATOR_CHANGE,
          errors: ["OBLIGATION_NOT_FOUND", "OBLIGATION_NOT_OPEN", "OBLIGATION_ALREADY_CONFIRMED"],
        },
      },
      async (request) => {
        requireConsoleChange(request, "operator", "confirm settlement");
        const { id } = request.params;
        const outcome = await submitChecked(context, request, { type, obligation: id });
        return { seq: outcome.seq, obligation: json(projections.accounts.obligation(id)) };
      },
    );
  }
}
