/**
 * The operator's console API under /api/admin: instruments (list with clearing terms, safeguards, calendar and phase;
 * create, change clearing terms, suspend; manual phase changes; a first reference price), the session calendar per
 * instrument, members (add, suspend = the kill switch, reinstate), accounts (including broker client accounts),
 * deposits and withdrawals from bank statements, gas declarations and withdrawals, settlement (open obligations across
 * all accounts; confirming payment and delivery), users and API keys.
 *
 * Who may do what. Every change is the operator's alone: a session needs its CSRF token, an API key the `trade` scope.
 * The regulator may read everything here (the regulator reads everything) and change nothing. The operator may not
 * change safeguards (bands, breakers, ceilings, floors, ceiling paths, buyer limits, eligibility), halts and
 * resumptions, or supply plans: those are the regulator's controls (regulator.ts). Hence: a manual phase
 * change cannot move an instrument into or out of `halted` (the operator halts one instrument by suspending it, with
 * a reason; every halt ends through the regulator's `resume`, an orderly resumption auction), and the listing takes
 * no safeguards (they start off and the regulator sets them). The reference price centres the static band, so the
 * operator may give one only to an instrument that has none (docs/market-rules.md, section 7: an auction that needs a
 * reference price waits for the operator to set one); once there is one, only sessions move it.
 *
 * Promises. Every change to the exchange is an engine command sent through the journal with who, from where and the
 * request id, and is answered only once durable; the engine's refusal comes back with its registry code. Changes the
 * regulator's rules require a reason for (clearing terms, suspensions of instruments and members, reinstatements,
 * calendars) carry it into the command, so the audit trail shows why. Users and API keys are journaled the same way
 * (engine/access.ts): creating, disabling and enabling users and creating and revoking keys are commands with who,
 * when and why. An API key's secret is returned once, when it is created, and stored only sealed.
 */

import { type Static, Type } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { CALENDAR_DATES_MAX, CALENDAR_SESSIONS_MAX } from "../../engine/calendar.ts";
import { MONEY_AMOUNT_MAX, REFERENCE_LENGTH_MAX } from "../../engine/clearinghouse.ts";
import { CLEARING_WINDOW_MS_MAX } from "../../engine/engine.ts";
import { BUYER_CATEGORIES, MEMBER_ROLES } from "../../engine/members.ts";
import type { AccountInfo, ObligationView } from "../../projections/index.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import { PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN } from "../passwords.ts";
import { type ApiKey, ROLES, SCOPES, type User } from "../users.ts";
import { metaOf } from "./access.ts";
import { ACCOUNT_ID, ID, json, PRICE, QUANTITY, REASON } from "./common.ts";
import {
  BPS,
  DATE,
  instrumentView,
  MONTH,
  NEW_ID,
  requireConsoleChange,
  requireConsoleRead,
  requireListed,
  submitChecked,
  TIME_MS,
} from "./console.ts";
import { publicUser } from "./session.ts";

/** Most obligations one listing returns. */
export const OBLIGATIONS_LIST_MAX = 1000;

// ---------------------------------------------------------------------------------------------------------------
// Schemas.

const strict = { additionalProperties: false } as const;

const REASON_BODY = Type.Object({ reason: REASON }, strict);
const NO_BODY = Type.Object({}, strict);
const INSTRUMENT_PARAMS = Type.Object({ id: ID }, strict);
const MEMBER_PARAMS = Type.Object({ id: ID }, strict);
const ACCOUNT_PARAMS = Type.Object({ account: ACCOUNT_ID }, strict);
const USER_PARAMS = Type.Object({ id: ID }, strict);

const WINDOW_MS = Type.Integer({ minimum: 1, maximum: CLEARING_WINDOW_MS_MAX, description: "ms" });
const COLLATERAL_TO = Type.Enum(["seller", "exchange"] as const);

const CLEARING = Type.Object(
  {
    basis: NEW_ID,
    collateralBps: BPS,
    feeBps: BPS,
    paymentWindowMs: WINDOW_MS,
    deliveryWindowMs: WINDOW_MS,
    buyerDefaultCollateralTo: COLLATERAL_TO,
    sellerPenaltyBps: BPS,
  },
  strict,
);

const CLEARING_CHANGES = Type.Object(
  {
    collateralBps: Type.Optional(BPS),
    feeBps: Type.Optional(BPS),
    paymentWindowMs: Type.Optional(WINDOW_MS),
    deliveryWindowMs: Type.Optional(WINDOW_MS),
    buyerDefaultCollateralTo: Type.Optional(COLLATERAL_TO),
    sellerPenaltyBps: Type.Optional(BPS),
  },
  { ...strict, minProperties: 1 },
);

const DESCRIPTION = Type.Object(
  {
    product: NEW_ID,
    basis: NEW_ID,
    region: NEW_ID,
    deliveryPeriod: MONTH,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  strict,
);

const NEW_INSTRUMENT = Type.Object(
  {
    instrument: NEW_ID,
    mode: Type.Enum(["continuous", "call"] as const),
    tickSize: PRICE,
    lotSize: QUANTITY,
    referencePrice: Type.Optional(PRICE),
    clearing: CLEARING,
    description: DESCRIPTION,
  },
  strict,
);

const UPDATE_INSTRUMENT = Type.Object({ clearing: CLEARING_CHANGES, reason: REASON }, strict);

/** `halted` is not here: halts are the regulator's, or the operator's suspension with a reason. */
const MANUAL_PHASES = ["closed", "collection", "uncross", "continuous"] as const;
const SET_PHASE = Type.Object({ phase: Type.Enum(MANUAL_PHASES) }, strict);

const SET_REFERENCE = Type.Object({ price: PRICE }, strict);

const TIME_OF_DAY = Type.String({ pattern: "^([01]\\d|2[0-3]):[0-5]\\d$", description: "HH:MM, exchange local time" });
const CALENDAR = Type.Object(
  {
    sessions: Type.Array(Type.Object({ open: TIME_OF_DAY, close: TIME_OF_DAY }, strict), {
      maxItems: CALENDAR_SESSIONS_MAX,
    }),
    preOpenMinutes: Type.Integer({ minimum: 0, maximum: 240 }),
    weekends: Type.Boolean(),
    holidays: Type.Array(DATE, { maxItems: CALENDAR_DATES_MAX }),
    extraSessions: Type.Array(Type.Object({ date: DATE, open: TIME_OF_DAY, close: TIME_OF_DAY }, strict), {
      maxItems: CALENDAR_DATES_MAX,
    }),
  },
  strict,
);
const SET_CALENDAR = Type.Object({ calendar: CALENDAR, reason: REASON }, strict);

const BUYER_CATEGORY = Type.Enum(BUYER_CATEGORIES);
const NEW_MEMBER = Type.Object(
  {
    member: NEW_ID,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    roles: Type.Array(Type.Enum(MEMBER_ROLES), { minItems: 1, maxItems: MEMBER_ROLES.length, uniqueItems: true }),
    buyerCategory: Type.Optional(BUYER_CATEGORY),
  },
  strict,
);

const NEW_ACCOUNT = Type.Object(
  {
    account: ACCOUNT_ID,
    member: ID,
    client: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "broker client accounts only" })),
    canBuy: Type.Optional(Type.Boolean()),
    canSell: Type.Optional(Type.Boolean()),
    buyerCategory: Type.Optional(BUYER_CATEGORY),
  },
  strict,
);

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
  strict,
);

const GAS = Type.Object({ basis: ID, quantity: QUANTITY }, strict);

const OBLIGATION_STATUSES = ["open", "settled", "defaulted", "all"] as const;
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

const ACCOUNTS_QUERY = Type.Object({ member: Type.Optional(ID) }, strict);

const NEW_USER = Type.Object(
  {
    id: NEW_ID,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Enum(ROLES),
    member: Type.Optional(ID),
    password: Type.String({ minLength: PASSWORD_LENGTH_MIN, maxLength: PASSWORD_LENGTH_MAX }),
    reason: Type.Optional(REASON),
  },
  strict,
);

const NEW_KEY = Type.Object(
  { scopes: Type.Array(Type.Enum(SCOPES), { minItems: 1, maxItems: SCOPES.length, uniqueItems: true }) },
  strict,
);

// ---------------------------------------------------------------------------------------------------------------
// Views.

function keyView(key: ApiKey) {
  return { id: key.id, user: key.user, scopes: key.scopes, revoked: key.revoked };
}

function userView(user: User, keys: readonly ApiKey[]) {
  return { ...publicUser(user), disabled: user.disabled, keys: keys.map(keyView) };
}

/** The earliest deadline still to be met: the unconfirmed legs' due times; null once nothing is outstanding. */
function nextDueMs(obligation: ObligationView): number | null {
  if (obligation.status !== "open") return null;
  const due = [
    ...(obligation.paid ? [] : [obligation.paymentDueMs]),
    ...(obligation.delivered ? [] : [obligation.deliveryDueMs]),
  ];
  return due.length === 0 ? null : Math.min(...due);
}

export function adminRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange, users } = context;
  const projections = exchange.projections;
  const tags = ["operator"];

  const memberView = (id: string) => {
    const member = projections.controls.member(id);
    if (member === null) throw new HttpProblem("MEMBER_NOT_FOUND", { id });
    const accounts = projections.accounts
      .accountIds()
      .filter((account) => projections.accounts.info(account)?.member === id);
    return { ...member, accounts };
  };

  const accountInfo = (account: string): AccountInfo => {
    const info = projections.accounts.info(account);
    if (info === null) throw new HttpProblem("ACCOUNT_NOT_FOUND", { id: account });
    return info;
  };

  const requireUserRecord = (id: string): User => {
    const user = users.user(id);
    if (user === null) throw new HttpProblem("USER_NOT_FOUND", { id });
    return user;
  };

  // -------------------------------------------------------------------------------------------------------------
  // Instruments.

  api.get(
    "/admin/instruments",
    { schema: { tags, summary: "All instruments: listing, clearing terms, safeguards and limits, calendar, phase" } },
    async (request) => {
      requireConsoleRead(request, "list instruments");
      return { instruments: projections.controls.instruments().map((i) => instrumentView(context, i.instrument)) };
    },
  );

  api.get<{ Params: Static<typeof INSTRUMENT_PARAMS> }>(
    "/admin/instruments/:id",
    { schema: { tags, summary: "One instrument", params: INSTRUMENT_PARAMS } },
    async (request) => {
      requireConsoleRead(request, "read instruments");
      return instrumentView(context, request.params.id);
    },
  );

  api.post<{ Body: Static<typeof NEW_INSTRUMENT> }>(
    "/admin/instruments",
    { schema: { tags, summary: "List a new instrument (cleared; safeguards start off)", body: NEW_INSTRUMENT } },
    async (request, reply) => {
      requireConsoleChange(request, "operator", "list instruments");
      const body = request.body;
      const outcome = await submitChecked(context, request, {
        type: "instrument.list",
        instrument: body.instrument,
        mode: body.mode,
        tickSize: body.tickSize,
        lotSize: body.lotSize,
        referencePrice: body.referencePrice ?? null,
        clearing: body.clearing,
        description: body.description,
      });
      reply.code(201);
      return { seq: outcome.seq, instrument: instrumentView(context, body.instrument) };
    },
  );

  api.patch<{ Params: Static<typeof INSTRUMENT_PARAMS>; Body: Static<typeof UPDATE_INSTRUMENT> }>(
    "/admin/instruments/:id",
    {
      schema: {
        tags,
        summary: "Change clearing terms (new orders only), with a reason",
        params: INSTRUMENT_PARAMS,
        body: UPDATE_INSTRUMENT,
      },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "change clearing terms");
      const { id } = request.params;
      const outcome = await submitChecked(context, request, {
        type: "instrument.update",
        instrument: id,
        clearing: request.body.clearing,
        reason: request.body.reason,
      });
      return { seq: outcome.seq, instrument: instrumentView(context, id) };
    },
  );

  api.post<{ Params: Static<typeof INSTRUMENT_PARAMS>; Body: Static<typeof REASON_BODY> }>(
    "/admin/instruments/:id/suspend",
    {
      schema: {
        tags,
        summary: "Suspend (halt) one instrument, with a reason; the regulator's resume ends it",
        params: INSTRUMENT_PARAMS,
        body: REASON_BODY,
      },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "suspend instruments");
      const { id } = request.params;
      const outcome = await submitChecked(context, request, {
        type: "instrument.suspend",
        instrument: id,
        reason: request.body.reason,
      });
      return { seq: outcome.seq, instrument: instrumentView(context, id) };
    },
  );

  api.put<{ Params: Static<typeof INSTRUMENT_PARAMS>; Body: Static<typeof SET_PHASE> }>(
    "/admin/instruments/:id/phase",
    {
      schema: {
        tags,
        summary: "Change the trading phase by hand (not into or out of a halt)",
        params: INSTRUMENT_PARAMS,
        body: SET_PHASE,
      },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "change trading phases");
      const { id } = request.params;
      const { phase } = request.body;
      const controls = requireListed(context, id);
      if (controls.phase === "halted") {
        throw new HttpProblem("PHASE_TRANSITION_INVALID", {
          instrument: id,
          from: "halted",
          to: phase,
          allowed: "none by hand: a halt ends with the regulator's resume",
        });
      }
      const outcome = await submitChecked(context, request, { type: "phase.set", instrument: id, phase });
      return { seq: outcome.seq, instrument: instrumentView(context, id) };
    },
  );

  api.put<{ Params: Static<typeof INSTRUMENT_PARAMS>; Body: Static<typeof SET_REFERENCE> }>(
    "/admin/instruments/:id/reference-price",
    {
      schema: {
        tags,
        summary: "Give an instrument without one a reference price (its auctions may need it)",
        params: INSTRUMENT_PARAMS,
        body: SET_REFERENCE,
      },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "set reference prices");
      const { id } = request.params;
      requireListed(context, id);
      const reference = projections.sessions.referencePrice(id);
      if (reference !== null) {
        throw new HttpProblem("FORBIDDEN", {
          role: "operator",
          action: `change the reference price ${reference} of '${id}' (it centres the regulator's price band)`,
        });
      }
      const outcome = await submitChecked(context, request, {
        type: "reference.set",
        instrument: id,
        price: request.body.price,
      });
      return { seq: outcome.seq, instrument: instrumentView(context, id) };
    },
  );

  api.get<{ Params: Static<typeof INSTRUMENT_PARAMS> }>(
    "/admin/instruments/:id/calendar",
    { schema: { tags, summary: "The instrument's session calendar", params: INSTRUMENT_PARAMS } },
    async (request) => {
      requireConsoleRead(request, "read calendars");
      const controls = requireListed(context, request.params.id);
      return { instrument: controls.instrument, calendar: controls.calendar, changed: controls.calendarChanged };
    },
  );

  api.put<{ Params: Static<typeof INSTRUMENT_PARAMS>; Body: Static<typeof SET_CALENDAR> }>(
    "/admin/instruments/:id/calendar",
    {
      schema: {
        tags,
        summary: "Set the session calendar (exchange local time, UTC+5), with a reason",
        params: INSTRUMENT_PARAMS,
        body: SET_CALENDAR,
      },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "set calendars");
      const { id } = request.params;
      const outcome = await submitChecked(context, request, {
        type: "calendar.set",
        instrument: id,
        calendar: request.body.calendar,
        reason: request.body.reason,
      });
      const controls = requireListed(context, id);
      return { seq: outcome.seq, instrument: id, calendar: controls.calendar, changed: controls.calendarChanged };
    },
  );

  // -------------------------------------------------------------------------------------------------------------
  // Members and accounts.

  api.get("/admin/members", { schema: { tags, summary: "Members, their status and accounts" } }, async (request) => {
    requireConsoleRead(request, "list members");
    return { members: projections.controls.members().map((m) => memberView(m.member)) };
  });

  api.post<{ Body: Static<typeof NEW_MEMBER> }>(
    "/admin/members",
    { schema: { tags, summary: "Accredit a member", body: NEW_MEMBER } },
    async (request, reply) => {
      requireConsoleChange(request, "operator", "add members");
      const body = request.body;
      const outcome = await submitChecked(context, request, {
        type: "member.add",
        member: body.member,
        name: body.name,
        roles: body.roles,
        buyerCategory: body.buyerCategory ?? null,
      });
      reply.code(201);
      return { seq: outcome.seq, member: memberView(body.member) };
    },
  );

  for (const action of ["suspend", "reinstate"] as const) {
    api.post<{ Params: Static<typeof MEMBER_PARAMS>; Body: Static<typeof REASON_BODY> }>(
      `/admin/members/:id/${action}`,
      {
        schema: {
          tags,
          summary:
            action === "suspend"
              ? "The kill switch: cancel all of a member's orders and block its order entry, with a reason"
              : "Lift a member's suspension, with a reason",
          params: MEMBER_PARAMS,
          body: REASON_BODY,
        },
      },
      async (request) => {
        requireConsoleChange(request, "operator", `${action} members`);
        const { id } = request.params;
        const outcome = await submitChecked(context, request, {
          type: action === "suspend" ? "member.suspend" : "member.reinstate",
          member: id,
          reason: request.body.reason,
        });
        const cancelledOrders = outcome.events.filter(
          (event) => event.type === "order.cancelled" && event.reason === "member-suspended",
        ).length;
        return { seq: outcome.seq, member: memberView(id), cancelledOrders };
      },
    );
  }

  api.get<{ Querystring: Static<typeof ACCOUNTS_QUERY> }>(
    "/admin/accounts",
    { schema: { tags, summary: "All accounts (optionally one member's)", querystring: ACCOUNTS_QUERY } },
    async (request) => {
      requireConsoleRead(request, "list accounts");
      const { member } = request.query;
      const infos = projections.accounts
        .accountIds()
        .map((id) => accountInfo(id))
        .filter((info) => member === undefined || info.member === member);
      return { accounts: json(infos) };
    },
  );

  api.post<{ Body: Static<typeof NEW_ACCOUNT> }>(
    "/admin/accounts",
    {
      schema: {
        tags,
        summary: "Open an account: a member's own, or a broker's client account (client, canBuy/canSell, category)",
        body: NEW_ACCOUNT,
      },
    },
    async (request, reply) => {
      requireConsoleChange(request, "operator", "open accounts");
      const body = request.body;
      const outcome = await submitChecked(context, request, {
        type: "account.open",
        account: body.account,
        member: body.member,
        client: body.client ?? null,
        ...(body.canBuy === undefined ? {} : { canBuy: body.canBuy }),
        ...(body.canSell === undefined ? {} : { canSell: body.canSell }),
        buyerCategory: body.buyerCategory ?? null,
      });
      reply.code(201);
      return { seq: outcome.seq, account: json(accountInfo(body.account)) };
    },
  );

  const moneyRoutes = [
    ["deposits", "money.deposit", "Book a deposit from a bank statement line (each reference once)"],
    ["withdrawals", "money.withdraw", "Pay out free money, with the bank reference"],
  ] as const;
  for (const [path, type, summary] of moneyRoutes) {
    api.post<{ Params: Static<typeof ACCOUNT_PARAMS>; Body: Static<typeof MONEY> }>(
      `/admin/accounts/:account/${path}`,
      { schema: { tags, summary, params: ACCOUNT_PARAMS, body: MONEY } },
      async (request) => {
        requireConsoleChange(request, "operator", `book ${path}`);
        const { account } = request.params;
        const outcome = await submitChecked(context, request, {
          type,
          account,
          amount: request.body.amount,
          reference: request.body.reference,
        });
        return { seq: outcome.seq, account, balances: json(projections.accounts.balances(account)) };
      },
    );
  }

  const gasRoutes = [
    ["declarations", "gas.declare", "Declare gas available at a basis (whole tonnes)"],
    ["withdrawals", "gas.withdraw", "Withdraw free gas at a basis (whole tonnes)"],
  ] as const;
  for (const [path, type, summary] of gasRoutes) {
    api.post<{ Params: Static<typeof ACCOUNT_PARAMS>; Body: Static<typeof GAS> }>(
      `/admin/accounts/:account/gas/${path}`,
      { schema: { tags, summary, params: ACCOUNT_PARAMS, body: GAS } },
      async (request) => {
        requireConsoleChange(request, "operator", `book gas ${path}`);
        const { account } = request.params;
        const outcome = await submitChecked(context, request, {
          type,
          account,
          basis: request.body.basis,
          quantity: request.body.quantity,
        });
        return { seq: outcome.seq, account, balances: json(projections.accounts.balances(account)) };
      },
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // Settlement.

  api.get<{ Querystring: Static<typeof OBLIGATIONS_QUERY> }>(
    "/admin/obligations",
    {
      schema: {
        tags,
        summary: "Obligations of all accounts (open by default), earliest outstanding deadline first",
        querystring: OBLIGATIONS_QUERY,
      },
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
    ["confirm-payment", "obligation.confirmPayment", "Confirm the buyer's payment (from the bank statement)"],
    ["confirm-delivery", "obligation.confirmDelivery", "Confirm delivery of the gas at the basis"],
  ] as const;
  for (const [path, type, summary] of confirmRoutes) {
    api.post<{ Params: { id: string }; Body: Static<typeof NO_BODY> }>(
      `/admin/obligations/:id/${path}`,
      { schema: { tags, summary, params: Type.Object({ id: ID }, strict), body: NO_BODY } },
      async (request) => {
        requireConsoleChange(request, "operator", "confirm settlement");
        const { id } = request.params;
        const outcome = await submitChecked(context, request, { type, obligation: id });
        return { seq: outcome.seq, obligation: json(projections.accounts.obligation(id)) };
      },
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // Users and API keys: journaled (engine/access.ts) with who, when and why.

  api.get(
    "/admin/users",
    { schema: { tags, summary: "Users with their API keys (never secrets)" } },
    async (request) => {
      requireConsoleRead(request, "list users");
      return { users: users.users().map((user) => userView(user, users.apiKeysOf(user.id))) };
    },
  );

  api.post<{ Body: Static<typeof NEW_USER> }>(
    "/admin/users",
    {
      schema: {
        tags,
        summary: `Create a user: operator or regulator (no member), trader or viewer (of a member); password ${PASSWORD_LENGTH_MIN}+ characters, not a common one`,
        body: NEW_USER,
      },
    },
    async (request, reply) => {
      requireConsoleChange(request, "operator", "create users");
      const { id, name, role, member, password, reason } = request.body;
      const ofMember = role === "trader" || role === "viewer";
      if (ofMember && member === undefined) {
        throw new HttpProblem("REQUEST_INVALID", { reason: `a ${role} belongs to a member: give 'member'` });
      }
      if (!ofMember && member !== undefined) {
        throw new HttpProblem("REQUEST_INVALID", { reason: `the ${role} belongs to no member: leave 'member' out` });
      }
      if (member !== undefined && projections.controls.member(member) === null) {
        throw new HttpProblem("MEMBER_NOT_FOUND", { id: member });
      }
      if (users.user(id) !== null) throw new HttpProblem("USER_EXISTS", { id });
      const outcome = await users.create(
        { id, name, role, member: member ?? null, password, reason: reason ?? "new user" },
        metaOf(request),
      );
      reply.code(201);
      return { seq: outcome.seq, user: userView(requireUserRecord(id), []) };
    },
  );

  for (const action of ["disable", "enable"] as const) {
    api.post<{ Params: Static<typeof USER_PARAMS>; Body: Static<typeof REASON_BODY> }>(
      `/admin/users/:id/${action}`,
      {
        schema: {
          tags,
          summary:
            action === "disable"
              ? "Disable a user, with a reason: signs them out everywhere, their API keys stop working"
              : "Enable a disabled user, with a reason",
          params: USER_PARAMS,
          body: REASON_BODY,
        },
      },
      async (request) => {
        const principal = requireConsoleChange(request, "operator", `${action} users`);
        const user = requireUserRecord(request.params.id);
        if (action === "disable" && user.id === principal.user.id) {
          throw new HttpProblem("REQUEST_INVALID", { reason: "you cannot disable your own user" });
        }
        const outcome = await users.setDisabled(user.id, action === "disable", request.body.reason, metaOf(request));
        if (action === "disable") context.auth.sessions.deleteUser(user.id);
        return { seq: outcome.seq, user: userView(requireUserRecord(user.id), users.apiKeysOf(user.id)) };
      },
    );
  }

  api.get<{ Params: Static<typeof USER_PARAMS> }>(
    "/admin/users/:id/keys",
    { schema: { tags, summary: "A user's API keys (never secrets)", params: USER_PARAMS } },
    async (request) => {
      requireConsoleRead(request, "list API keys");
      const user = requireUserRecord(request.params.id);
      return { keys: users.apiKeysOf(user.id).map(keyView) };
    },
  );

  api.post<{ Params: Static<typeof USER_PARAMS>; Body: Static<typeof NEW_KEY> }>(
    "/admin/users/:id/keys",
    {
      schema: {
        tags,
        summary: "Create an API key with scopes; the secret is in this answer only (stored sealed)",
        params: USER_PARAMS,
        body: NEW_KEY,
      },
    },
    async (request, reply) => {
      requireConsoleChange(request, "operator", "create API keys");
      const user = requireUserRecord(request.params.id);
      const scopes = SCOPES.filter((scope) => request.body.scopes.includes(scope));
      const { key, secret, outcome } = await users.createKey(user.id, scopes, metaOf(request));
      reply.code(201);
      return { seq: outcome.seq, key: keyView(key), secret };
    },
  );

  api.delete<{ Params: { id: string; keyId: string }; Body: Static<typeof REASON_BODY> }>(
    "/admin/users/:id/keys/:keyId",
    {
      schema: {
        tags,
        summary: "Revoke an API key, with a reason (it stays on record)",
        params: Type.Object({ id: ID, keyId: ID }, strict),
        body: REASON_BODY,
      },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "revoke API keys");
      const { id, keyId } = request.params;
      const key = users.apiKey(keyId);
      if (key === null || key.user !== id) throw new HttpProblem("API_KEY_NOT_FOUND", { user: id, id: keyId });
      const outcome = await users.revokeKey(keyId, request.body.reason, metaOf(request));
      return { seq: outcome.seq, key: keyView(users.apiKey(keyId)!) };
    },
  );

  api.get(
    "/admin/alerts",
    { schema: { tags, summary: "Security alerts: repeated failed sign-ins per user name, newest first" } },
    async (request) => {
      requireConsoleRead(request, "read security alerts");
      return { alerts: context.signIn.alerts() };
    },
  );
}
