/**
 * The wire shape of members' notifications (GET /api/notifications and the `notifications` stream channel) and of
 * their settings: the read model's notification (src/projections/notifications.ts) with its read mark and its
 * sentence in the reader's language (reports/notices.ts), so a client can show it as is or build its own text from
 * the facts.
 */

import { Type } from "typebox";
import { LANGUAGES } from "../../domain/locale.ts";
import { NOTICE_KINDS } from "../../engine/notices.ts";
import { DECIMAL, Enum, EPOCH_MS, KG, Nullable, PRICE_TIYN_PER_TONNE, SIDE, Strict, TEXT, TIYN } from "./base.ts";

export const NOTICE_KIND = Enum(NOTICE_KINDS);

export const NOTICE_FACTS = Type.Union([
  Strict({
    kind: Type.Literal("fill"),
    instrument: TEXT,
    tradeId: TEXT,
    account: TEXT,
    side: SIDE,
    priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
    quantityKg: KG,
  }),
  Strict({
    kind: Type.Literal("cancel"),
    instrument: TEXT,
    orderId: TEXT,
    account: TEXT,
    quantityKg: KG,
    cause: Enum(["price-limit", "member-suspended", "halt"] as const),
  }),
  Strict({
    kind: Type.Literal("shortfall"),
    account: TEXT,
    requiredTiyn: DECIMAL,
    freeTiyn: DECIMAL,
    shortfallTiyn: DECIMAL,
    purpose: TEXT,
  }),
  Strict({
    kind: Type.Literal("deadline"),
    obligation: TEXT,
    tradeId: TEXT,
    instrument: TEXT,
    leg: Enum(["payment", "delivery"] as const),
    stage: Enum(["before", "due"] as const),
    dueMs: EPOCH_MS,
    valueTiyn: TIYN,
    quantityKg: KG,
  }),
  Strict({
    kind: Type.Literal("default"),
    obligation: TEXT,
    tradeId: TEXT,
    instrument: TEXT,
    party: Enum(["buyer", "seller"] as const),
    forfeitedTiyn: TIYN,
    penaltyTiyn: TIYN,
    claimTiyn: TIYN,
  }),
  Strict({
    kind: Type.Literal("deal"),
    deal: TEXT,
    instrument: TEXT,
    account: { ...TEXT, description: "the buyer's account, whose answer the negotiated deal awaits" },
    seller: { ...TEXT, description: "the seller's account" },
    priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
    quantityKg: KG,
  }),
  Strict({
    kind: Type.Literal("void"),
    obligation: TEXT,
    tradeId: TEXT,
    instrument: TEXT,
    buyer: { ...TEXT, description: "the buyer's account" },
    seller: { ...TEXT, description: "the seller's account" },
    priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
    quantityKg: KG,
    rule: { ...TEXT, description: "the rule of the rulebook the trade broke, as the operator wrote it" },
    reason: { ...TEXT, description: "the operator's reason, as written" },
  }),
]);

/** Where the notification's e-mail stands (src/gateway/notifier.ts retries a failed one; docs/notifications.md). */
export const NOTICE_MAIL_STATE = Strict({
  status: Type.Union([Type.Literal("delivered"), Type.Literal("retrying"), Type.Literal("failed")], {
    description: "delivered: the SMTP server took it; retrying: the next attempt is due; failed: given up",
  }),
  attempts: Type.Integer({ minimum: 1, description: "attempts made so far" }),
  lastAttemptMs: EPOCH_MS,
  lastError: { ...Nullable(TEXT), description: "what the SMTP server or the connection said; null when delivered" },
  nextAttemptMs: { ...Nullable(EPOCH_MS), description: "when the next attempt is due; null unless retrying" },
});

export const NOTIFICATION = Strict({
  id: TEXT,
  member: TEXT,
  timeMs: EPOCH_MS,
  kind: NOTICE_KIND,
  read: Type.Boolean(),
  text: Type.String({ description: "the notification as a sentence in the request's language" }),
  facts: NOTICE_FACTS,
  mail: { ...Nullable(NOTICE_MAIL_STATE), description: "its e-mail's attempts; null when none was made" },
});

export const NOTICE_PREFERENCES = Strict({
  web: Type.Array(NOTICE_KIND, { description: "kinds shown in the browser (the list and the live channel)" }),
  mail: Type.Array(NOTICE_KIND, { description: "kinds sent by e-mail" }),
  email: Nullable(TEXT),
  language: Nullable(Enum(LANGUAGES)),
});
