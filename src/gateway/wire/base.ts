/**
 * Building blocks of the response schemas (the wire format of the API): strict objects, nullable values, decimal
 * strings for totals that may exceed 2^53, and the enumerations the engine and domain define, taken from their
 * constants so that a new value there is a new value here.
 *
 * Response objects are strict (`additionalProperties: false`): a field the server sends but does not declare fails
 * the response check in the tests (contract.ts), so the published document never lags the code.
 */

import { type TSchema, Type } from "typebox";
import { CANCEL_REASONS, ORDER_TYPES, SIDES, STP_MODES, TIMES_IN_FORCE } from "../../domain/order.ts";
import { BUYER_CATEGORIES, MEMBER_ROLES } from "../../engine/members.ts";
import { PHASES, TRADING_MODES } from "../../engine/phases.ts";

// biome-ignore lint/suspicious/noExplicitAny: TypeBox's property map type.
export function Strict<T extends Record<string, TSchema>>(properties: T, options: Record<string, any> = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

export function Enum<const T extends readonly string[]>(values: T, description?: string) {
  return Type.Enum(values, description === undefined ? {} : { description });
}

/** An integer sent as a decimal string: totals (kg, tiyn) that may exceed 2^53. */
export const DECIMAL = Type.String({ pattern: "^-?\\d+$", description: "an integer as a decimal string" });
export const INTEGER = Type.Integer();
export const COUNT = Type.Integer({ minimum: 0 });
export const SEQ = Type.Integer({ minimum: 0, description: "journal sequence number" });

/** GET /api/health: a node of the exchange as a load balancer sees it. */
export const HEALTH = Strict({
  role: Type.Union([Type.Literal("leader"), Type.Literal("follower")], {
    description: "leader: writes the journal and takes changes; follower: serves reads, forwards changes to the leader",
  }),
  seq: { ...SEQ, description: "the last journal record this node has applied" },
  lagMs: Type.Integer({
    minimum: 0,
    description: "how long this node has been behind the newest record the journal announced; 0 when caught up",
  }),
  journalCheck: Type.Union([Type.Literal("running"), Type.Literal("passed"), Type.Literal("failed")], {
    description:
      "the check of the journal records before the engine's snapshot, which runs while the node already serves: running; passed; failed (the node refuses changes, and its log names the changed record)",
  }),
  views: Type.Union([Type.Literal("loading"), Type.Literal("ready"), Type.Literal("failed")], {
    description:
      "the read models (accounts, market data, audit, surveillance): loading after a start that serves first (every read of them answers 503 VIEWS_LOADING, changes are taken and kept for them); ready; failed (they could not be loaded: the node stops)",
  }),
  viewsSeq: { ...SEQ, description: "the last journal record the read models hold (behind seq while they load)" },
});
export const EPOCH_MS = Type.Integer({ description: "ms since epoch (UTC)" });
export const PRICE_TIYN_PER_TONNE = Type.Integer({ description: "tiyn per tonne (1 tenge = 100 tiyn)" });
export const KG = Type.Integer({ description: "kg" });
export const TIYN = Type.Integer({ description: "tiyn" });
export const BPS = Type.Integer({ description: "basis points (100 = 1%)" });
export const TEXT = Type.String();

export const SIDE = Enum(SIDES);
export const ORDER_TYPE = Enum(ORDER_TYPES);
export const TIF = Enum(TIMES_IN_FORCE);
export const STP_MODE = Enum(STP_MODES);
export const CANCEL_REASON = Enum(CANCEL_REASONS);
export const PHASE = Enum(PHASES);
export const TRADING_MODE = Enum(TRADING_MODES);
export const MEMBER_ROLE = Enum(MEMBER_ROLES);
export const BUYER_CATEGORY = Enum(BUYER_CATEGORIES);

/** When and why a setting last changed (the command's journal sequence number and time). */
export const CHANGE = Strict({ seq: SEQ, timeMs: EPOCH_MS, reason: Nullable(TEXT) });

/** The acknowledgement of a change: the journal sequence number it became durable at. */
export const ACCEPTED_SEQ = SEQ;
