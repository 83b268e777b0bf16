/**
 * What the operator's console (admin.ts) and the regulator's console (regulator.ts) share: the guards, sending a
 * command and turning its rejection into the error, schema fragments for the set-up's ids, and the instrument view both
 * consoles show (listing, clearing terms, safeguards with the limits in force now, calendar, phase).
 *
 * Guards. Both consoles read with the `read` scope, as the operator or the regulator (the regulator reads everything).
 * A change needs the one role that owns it, the `trade` scope for an API key (keys act, sessions always may), and the
 * session's CSRF token. The order of checks is fixed, so the answer to a request does not depend on luck: signed in
 * (401), role (403 FORBIDDEN), scope (403 FORBIDDEN_SCOPE), CSRF (403 AUTH_CSRF).
 */

import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { BPS_PER_UNIT } from "../../domain/collateral.ts";
import { ID_LENGTH_MAX } from "../../domain/limits.ts";
import { DATE_PATTERN_TEXT, MONTH_PATTERN_TEXT, NAME_ID_PATTERN_TEXT } from "../../domain/value-forms.ts";
import type { Command } from "../../engine/commands.ts";
import type { Outcome } from "../../journal/sequencer.ts";
import type { LimitsView } from "../../projections/index.ts";
import { checkCsrf, requireRole, requireScope } from "../auth.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import type { Role } from "../users.ts";
import { safeguardsWire } from "../wire/console.ts";
import { limitsWire } from "../wire/market.ts";
import { metaOf } from "./access.ts";
import { TIME_MS_MAX, throwIfRejected } from "./common.ts";

/**
 * Ids the consoles create (instruments, members, users) appear in URLs, so they are kept to letters, digits and
 * `_ . -` (the engine itself allows any printable ASCII, which a path cannot always carry).
 */
export const NEW_ID = Type.String({ minLength: 1, maxLength: ID_LENGTH_MAX, pattern: NAME_ID_PATTERN_TEXT });
/** A month, 1900–2199; its pattern is named in words in refusals (domain/value-forms.ts). */
export const MONTH = Type.String({ pattern: MONTH_PATTERN_TEXT, description: "YYYY-MM, 1900–2199" });
/** A real calendar date: `format: date` refuses 31 February and 2026-13-45. */
export const DATE = Type.String({
  format: "date",
  pattern: DATE_PATTERN_TEXT,
  description: "YYYY-MM-DD, a real date, 1900–2199",
});
/** ms since epoch (UTC), up to the year 2999. */
export const TIME_MS = Type.Integer({ minimum: 0, maximum: TIME_MS_MAX, description: "ms since epoch (UTC)" });
export const BPS = Type.Integer({ minimum: 0, maximum: BPS_PER_UNIT, description: "basis points (100 = 1%)" });

/** Route access declarations (contract.ts) of the consoles' reads and changes. */
export const CONSOLE_READ = { access: "consoleRead" as const };
export const OPERATOR_CHANGE = { access: "operatorChange" as const };
export const REGULATOR_CHANGE = { access: "regulatorChange" as const };

/** Reads for the consoles: the operator and the regulator, with the read scope. */
export function requireConsoleRead(request: FastifyRequest, action: string) {
  const principal = requireRole(request.principal, ["operator", "regulator"], action);
  requireScope(principal, "read", action);
  return principal;
}

/** A change only `role` may make: the role, the trade scope for a key, the CSRF token for a session. */
export function requireConsoleChange(request: FastifyRequest, role: Role, action: string) {
  const principal = requireRole(request.principal, [role], action);
  requireScope(principal, "trade", action);
  checkCsrf(request, principal);
  return principal;
}

/** Sends a command with the request's audit meta (who, from where, request id) and waits until it is durable. */
export async function submitChecked(
  context: RouteContext,
  request: FastifyRequest,
  command: Command,
): Promise<Outcome> {
  const outcome = await context.exchange.submit(command, metaOf(request));
  throwIfRejected(outcome);
  return outcome;
}

export function requireListed(context: RouteContext, instrument: string) {
  const controls = context.exchange.projections.controls.instrument(instrument);
  if (controls === null) throw new HttpProblem("INSTRUMENT_NOT_FOUND", { id: instrument });
  return controls;
}

/** The limits an order meets now, as the read side has them at the journal's time (src/projections/limits.ts). */
export function limitsInForce(context: RouteContext, instrument: string): LimitsView {
  const limits = context.exchange.projections.limits.of(instrument);
  if (limits === null) throw new HttpProblem("INSTRUMENT_NOT_FOUND", { id: instrument });
  return limits;
}

/** An instrument as the consoles show it. */
export function instrumentView(context: RouteContext, instrument: string) {
  const controls = requireListed(context, instrument);
  return {
    instrument,
    description: controls.description,
    mode: controls.mode,
    tickSizeTiynPerTonne: controls.tickSize,
    lotSizeKg: controls.lotSize,
    listed: controls.listed,
    clearing: controls.clearing,
    clearingChanged: controls.clearingChanged,
    phase: controls.phase,
    phaseChanged: controls.phaseChanged,
    safeguards: safeguardsWire(controls.safeguards),
    safeguardsChanged: controls.safeguardsChanged,
    limits: limitsWire(limitsInForce(context, instrument)),
    calendar: controls.calendar,
    calendarChanged: controls.calendarChanged,
  };
}
