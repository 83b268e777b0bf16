/**
 * Shared pieces of the REST routes: schema fragments (ids, prices, quantities with their limits), JSON conversion of
 * read models (bigints as decimal strings), CSV responses, and turning a durable outcome's rejection into an error.
 */

import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import { CLIENT_ORDER_ID_LENGTH_MAX, MEMBER_ACCOUNT_ID_LENGTH_MAX } from "../../domain/ids.ts";
import { ID_LENGTH_MAX, ID_PATTERN_SOURCE, REASON_LENGTH_MAX } from "../../domain/limits.ts";
import { ORDER_PRICE_MAX, ORDER_QUANTITY_MAX } from "../../domain/order.ts";
import { CLIENT_ORDER_ID_PATTERN_TEXT, NAME_ID_PATTERN_TEXT } from "../../domain/value-forms.ts";
import type { EngineEvent } from "../../engine/events.ts";
import type { Outcome } from "../../journal/sequencer.ts";
import { toJsonable } from "../../projections/index.ts";
import { HttpProblem } from "../errors.ts";

export const ID = Type.String({ minLength: 1, maxLength: ID_LENGTH_MAX, pattern: ID_PATTERN_SOURCE });
export const ACCOUNT_ID = Type.String({
  minLength: 1,
  maxLength: MEMBER_ACCOUNT_ID_LENGTH_MAX,
  pattern: NAME_ID_PATTERN_TEXT,
});
export const CLIENT_ORDER_ID = Type.String({
  minLength: 1,
  maxLength: CLIENT_ORDER_ID_LENGTH_MAX,
  pattern: CLIENT_ORDER_ID_PATTERN_TEXT,
});
export const PRICE = Type.Integer({ minimum: 1, maximum: ORDER_PRICE_MAX, description: "tiyn per tonne" });
export const QUANTITY = Type.Integer({ minimum: 1, maximum: ORDER_QUANTITY_MAX, description: "kg" });
export const REASON = Type.String({ minLength: 1, maxLength: REASON_LENGTH_MAX });
export const LIMIT = Type.Integer({ minimum: 1, maximum: 1000, default: 100 });
export const FORMAT = Type.Union([Type.Literal("json"), Type.Literal("csv")], { default: "json" });

export const ERROR_RESPONSE = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
  }),
});

/** The engine's order id for a member's client order id, and back (the format is the domain's: src/domain/ids.ts). */
export { orderIdOf as engineOrderId, parseOrderId as clientOrderIdOf } from "../../domain/ids.ts";

/** Read-model values as plain JSON (bigint → decimal string). */
export function json<T>(value: T): unknown {
  return toJsonable(value);
}

export function sendCsv(reply: FastifyReply, name: string, csv: string): FastifyReply {
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${name}.csv"`)
    .send(csv);
}

/** The outcome's rejection, if the engine refused the command. */
export function rejectionOf(outcome: Outcome): Extract<EngineEvent, { type: "rejected" }> | undefined {
  return outcome.events.find((event): event is Extract<EngineEvent, { type: "rejected" }> => event.type === "rejected");
}

/** Throws the engine's rejection as an HTTP error. */
export function throwIfRejected(outcome: Outcome): void {
  const rejection = rejectionOf(outcome);
  if (rejection) throw new HttpProblem(rejection.code, rejection.details);
}

/** Latest time a request may name: 3000-01-01 UTC, in ms since epoch (no exchange event lies beyond it). */
export const TIME_MS_MAX = 32_503_680_000_000;
