/**
 * Object-level access control for member data: who may read or act on an account. A member's traders may act on
 * its accounts and its viewers may read them; the operator and the regulator may read every account; nobody acts on
 * another member's account. API keys need the `trade` scope to act and `read` to read.
 */

import type { FastifyRequest } from "fastify";
import { checkCsrf, requireScope, requireUser } from "../auth.ts";
import type { RouteContext } from "../context.ts";
import { forbiddenAccount, requireOwnAccount, requireTrader } from "../order-entry.ts";

export function memberOfAccount(context: RouteContext, account: string): string | null {
  return context.exchange.identity.memberOf(account);
}

/** The principal may read this account's orders, fills, balances and obligations. */
export function requireReadAccount(context: RouteContext, request: FastifyRequest, account: string, action: string) {
  const principal = requireUser(request.principal, action);
  requireScope(principal, "read", action);
  const { role, member } = principal.user;
  if (role === "operator" || role === "regulator") return principal;
  const owner = memberOfAccount(context, account);
  if (owner === null || owner !== member) throw forbiddenAccount(context.exchange, member, account);
  return principal;
}

/** The principal may trade on this account: a trader of the owning member (with the trade scope, and CSRF). */
export function requireTradeAccount(context: RouteContext, request: FastifyRequest, account: string, action: string) {
  const principal = requireUser(request.principal, action);
  requireTrader(principal, action);
  checkCsrf(request, principal);
  requireOwnAccount(context.exchange, principal, account);
  return principal;
}

/** Accounts the principal may read: its member's, or all for the operator and the regulator. */
export function readableAccounts(context: RouteContext, request: FastifyRequest): string[] {
  const principal = requireUser(request.principal, "list accounts");
  requireScope(principal, "read", "list accounts");
  const accounts = context.exchange.projections.accounts;
  const all = accounts.accountIds();
  const { role, member } = principal.user;
  if (role === "operator" || role === "regulator") return all;
  return all.filter((id) => accounts.info(id)?.member === member);
}

export function metaOf(request: FastifyRequest) {
  const principal = request.principal;
  return {
    actor:
      principal.kind === "user"
        ? principal.keyId
          ? `${principal.user.id} (key ${principal.keyId})`
          : principal.user.id
        : "public",
    role: principal.kind === "user" ? principal.user.role : "public",
    // A change another node forwarded: the client's address as that node saw it, and the node.
    source: request.forwarded ? `${request.forwarded.client} via ${request.forwarded.node}` : request.ip,
    requestId: String(request.id),
  };
}
