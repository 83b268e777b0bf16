/**
 * Members and accounts under /api/admin: accrediting members, the kill switch (suspend: cancel all of a member's
 * orders and block its order entry, with a reason) and reinstatement, recording a member's group of persons (a
 * beneficial owner or affiliated group, with the evidence document's reference: surveillance aggregates by it),
 * opening accounts (a member's own, or a broker's client account), and listing both.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { NAME_LENGTH_MAX } from "../../../domain/limits.ts";
import { EVIDENCE_LENGTH_MAX } from "../../../engine/clearinghouse.ts";
import { BUYER_CATEGORIES, MEMBER_ROLES } from "../../../engine/members.ts";
import type { AccountInfo } from "../../../projections/index.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem } from "../../errors.ts";
import { ACCOUNT_INFO } from "../../wire/accounts.ts";
import { COUNT, Nullable, SEQ, Strict, TEXT } from "../../wire/base.ts";
import { MEMBER } from "../../wire/console.ts";
import { ACCOUNT_ID, ID, json, REASON } from "../common.ts";
import {
  CONSOLE_READ,
  NEW_ID,
  OPERATOR_CHANGE,
  requireConsoleChange,
  requireConsoleRead,
  submitChecked,
} from "../console.ts";

const strict = { additionalProperties: false } as const;
const tags = ["operator"];

const MEMBER_PARAMS = Type.Object({ id: ID }, strict);
const BUYER_CATEGORY = Type.Enum(BUYER_CATEGORIES);

const NEW_MEMBER = Type.Object(
  {
    member: NEW_ID,
    name: Type.String({ minLength: 1, maxLength: NAME_LENGTH_MAX }),
    roles: Type.Array(Type.Enum(MEMBER_ROLES), { minItems: 1, maxItems: MEMBER_ROLES.length, uniqueItems: true }),
    buyerCategory: Type.Optional(BUYER_CATEGORY),
    bin: Type.Optional(
      Type.String({ pattern: "^\\d{12}$", description: "business identification number (BIN), 12 digits" }),
    ),
  },
  {
    ...strict,
    examples: [
      {
        member: "AKTAU-GAS",
        name: "Aktau filling stations LLP",
        roles: ["buyer"],
        buyerCategory: "filling-station-network",
        bin: "080540012345",
      },
    ],
  },
);

const NEW_ACCOUNT = Type.Object(
  {
    account: ACCOUNT_ID,
    member: ID,
    client: Type.Optional(
      Type.String({ minLength: 1, maxLength: NAME_LENGTH_MAX, description: "broker client accounts only" }),
    ),
    canBuy: Type.Optional(Type.Boolean()),
    canSell: Type.Optional(Type.Boolean()),
    buyerCategory: Type.Optional(BUYER_CATEGORY),
  },
  { ...strict, examples: [{ account: "AKTAU-STATIONS-2", member: "AKTAU-STATIONS" }] },
);

const ACCOUNTS_QUERY = Type.Object({ member: Type.Optional(ID) }, strict);

const MEMBER_GROUP = Type.Object(
  {
    group: Type.Union([ID, Type.Null()], { description: "the group of persons; null: the member is its own group" }),
    evidence: Type.String({ minLength: 1, maxLength: EVIDENCE_LENGTH_MAX, description: "the document's reference" }),
    reason: REASON,
  },
  {
    ...strict,
    examples: [
      { group: "CASPIAN-HOLDING", evidence: "register extract 2026-114", reason: "common beneficial owner" },
      { group: null, evidence: "court ruling 2026-55", reason: "the link was found not to exist" },
    ],
  },
);

/** A member's suspension and its lifting: a reason each, with examples that fit (the instruments' one is a plant's). */
const MEMBER_SUSPEND_BODY = Type.Object(
  { reason: REASON },
  { ...strict, examples: [{ reason: "collateral call not met by the deadline; order entry blocked" }] },
);
const MEMBER_REINSTATE_BODY = Type.Object(
  { reason: REASON },
  { ...strict, examples: [{ reason: "collateral call met on 5 December; order entry restored" }] },
);

export function operatorMemberRoutes(api: FastifyInstance, context: RouteContext): void {
  const projections = context.exchange.projections;

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

  api.get(
    "/admin/members",
    {
      schema: {
        operationId: "listMembers",
        tags,
        summary: "Members, their status and accounts",
        response: { 200: Strict({ members: Type.Array(MEMBER) }) },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "list members");
      return { members: projections.controls.members().map((m) => memberView(m.member)) };
    },
  );

  api.post<{ Body: Static<typeof NEW_MEMBER> }>(
    "/admin/members",
    {
      schema: {
        operationId: "addMember",
        tags,
        summary: "Accredit a member",
        body: NEW_MEMBER,
        response: { 201: Strict({ seq: SEQ, member: MEMBER }) },
      },
      config: { ...OPERATOR_CHANGE, errors: ["MEMBER_EXISTS", "MEMBER_INVALID"] },
    },
    async (request, reply) => {
      requireConsoleChange(request, "operator", "add members");
      const body = request.body;
      const outcome = await submitChecked(context, request, {
        type: "member.add",
        member: body.member,
        name: body.name,
        roles: body.roles,
        buyerCategory: body.buyerCategory ?? null,
        ...(body.bin === undefined ? {} : { bin: body.bin }),
      });
      reply.code(201);
      return { seq: outcome.seq, member: memberView(body.member) };
    },
  );

  api.put<{ Params: Static<typeof MEMBER_PARAMS>; Body: Static<typeof MEMBER_GROUP> }>(
    "/admin/members/:id/group",
    {
      schema: {
        operationId: "setMemberGroup",
        tags,
        summary: "Record a member's group of persons (or none), with the evidence document's reference and a reason",
        params: MEMBER_PARAMS,
        body: MEMBER_GROUP,
        response: { 200: Strict({ seq: SEQ, member: TEXT, group: Nullable(TEXT), evidence: TEXT }) },
      },
      config: {
        ...OPERATOR_CHANGE,
        errors: ["MEMBER_NOT_FOUND", "GROUP_INVALID", "GROUP_EVIDENCE_INVALID", "GROUP_UNCHANGED"],
      },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "record groups of persons");
      const { group, evidence, reason } = request.body;
      const outcome = await submitChecked(context, request, {
        type: "member.group",
        member: request.params.id,
        group,
        evidence,
        reason,
      });
      return { seq: outcome.seq, member: request.params.id, group, evidence };
    },
  );

  for (const action of ["suspend", "reinstate"] as const) {
    api.post<{ Params: Static<typeof MEMBER_PARAMS>; Body: Static<typeof MEMBER_SUSPEND_BODY> }>(
      `/admin/members/:id/${action}`,
      {
        schema: {
          operationId: action === "suspend" ? "suspendMember" : "reinstateMember",
          tags,
          summary:
            action === "suspend"
              ? "The kill switch: cancel all of a member's orders and block its order entry, with a reason"
              : "Lift a member's suspension, with a reason",
          params: MEMBER_PARAMS,
          body: action === "suspend" ? MEMBER_SUSPEND_BODY : MEMBER_REINSTATE_BODY,
          response: { 200: Strict({ seq: SEQ, member: MEMBER, cancelledOrders: COUNT }) },
        },
        config: {
          ...OPERATOR_CHANGE,
          errors: [
            "MEMBER_NOT_FOUND",
            ...(action === "suspend"
              ? (["MEMBER_ALREADY_SUSPENDED"] as const)
              : (["MEMBER_NOT_SUSPENDED", "MEMBER_EXCLUDED"] as const)),
          ],
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
    {
      schema: {
        operationId: "adminListAccounts",
        tags,
        summary: "All accounts (optionally one member's)",
        querystring: ACCOUNTS_QUERY,
        response: { 200: Strict({ accounts: Type.Array(ACCOUNT_INFO) }) },
      },
      config: CONSOLE_READ,
    },
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
        operationId: "openAccount",
        tags,
        summary: "Open an account: a member's own, or a broker's client account (client, canBuy/canSell, category)",
        body: NEW_ACCOUNT,
        response: { 201: Strict({ seq: SEQ, account: ACCOUNT_INFO }) },
      },
      config: {
        ...OPERATOR_CHANGE,
        errors: ["ACCOUNT_EXISTS", "ACCOUNT_INVALID", "MEMBER_INVALID", "MEMBER_NOT_FOUND"],
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
}
