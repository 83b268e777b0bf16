/**
 * Order entry shared by every channel that takes orders from members (REST, WebSocket, FIX): who may trade an
 * account, and the engine command each request becomes. A channel adds only what is its own (CSRF for browser
 * sessions, its wire format, its way of answering), so the same request is refused with the same registry code, or
 * becomes the same command, whichever channel it came through.
 */

import type { STP_MODES, TIMES_IN_FORCE } from "../domain/order.ts";
import type { Command } from "../engine/commands.ts";
import type { Principal } from "./auth.ts";
import { requireScope } from "./auth.ts";
import { HttpProblem } from "./errors.ts";
import type { Exchange } from "./exchange.ts";

export type UserPrincipal = Extract<Principal, { kind: "user" }>;

/** A new order as members state it (the body of POST /api/orders). */
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

/** The engine's order id for a member's client order id (one format, the domain's: src/domain/ids.ts). */
export { orderIdOf as engineOrderId } from "../domain/ids.ts";

import { orderIdOf as engineOrderId } from "../domain/ids.ts";

/** The principal is a trader whose key (if any) has the trade scope. */
export function requireTrader(principal: UserPrincipal, action: string): void {
  if (principal.user.role !== "trader") throw new HttpProblem("FORBIDDEN", { role: principal.user.role, action });
  requireScope(principal, "trade", action);
}

/** The account belongs to the principal's member (read from identity: answers while the other read models load). */
export function requireOwnAccount(exchange: Exchange, principal: UserPrincipal, account: string): void {
  const owner = exchange.identity.memberOf(account);
  if (owner === null || owner !== principal.user.member)
    throw forbiddenAccount(exchange, principal.user.member, account);
}

/** The refusal of an account not the member's; an own account typed in the wrong letter case is named with it. */
export function forbiddenAccount(exchange: Exchange, member: string | null, account: string): HttpProblem {
  const ownAccount = exchange.identity.ownAccountInOtherCase(account, member);
  return new HttpProblem("FORBIDDEN_ACCOUNT", ownAccount === null ? { account } : { account, ownAccount });
}

/** A trader of the account's member, with the trade scope: everything but a channel's own checks (CSRF). */
export function requireTradePrincipal(
  exchange: Exchange,
  principal: UserPrincipal,
  account: string,
  action: string,
): void {
  requireTrader(principal, action);
  requireOwnAccount(exchange, principal, account);
}

/**
 * The engine's command for a new order. Its fields are set one after another, in this order, with no object spread
 * per optional field (this runs once per order on the sequencer's thread): the journal stores the command's JSON, whose
 * field order is this insertion order, so it must not change. `orderId` is `engineOrderId(account, clientOrderId)`,
 * given by a caller that made it already.
 */
export function newOrderCommand(
  body: NewOrderBody,
  orderId: string = engineOrderId(body.account, body.clientOrderId),
): Command {
  const command: Record<string, unknown> = {
    type: "order.new",
    instrument: body.instrument,
    orderId,
    account: body.account,
    side: body.side,
    orderType: body.type,
  };
  if (body.price !== undefined) command.price = body.price;
  command.quantity = body.quantity;
  if (body.tif !== undefined) command.tif = body.tif;
  if (body.expireAt !== undefined) command.expireAtMs = body.expireAt;
  if (body.postOnly !== undefined) command.postOnly = body.postOnly;
  if (body.stp !== undefined) command.stp = body.stp;
  return command as unknown as Command;
}

/** An amend: a new price and/or a new open quantity (sauda's amend rules are the engine's, book.ts). */
export function amendCommand(orderId: string, price?: number, quantity?: number): Command {
  return {
    type: "order.amend",
    orderId,
    ...(price === undefined ? {} : { price }),
    ...(quantity === undefined ? {} : { quantity }),
  };
}

export function cancelCommand(orderId: string): Command {
  return { type: "order.cancel", orderId };
}

export function massCancelCommand(account: string, instrument?: string): Command {
  return { type: "order.massCancel", account, ...(instrument ? { instrument } : {}) };
}
