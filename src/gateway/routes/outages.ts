/**
 * Supply-side disclosure under /api/outages: a producer's trader publishes an outage or output change of one of its
 * plants before it takes effect; everyone reads the feed without sign-in, newest first, filtered by plant, producer,
 * lateness or what is still to come. One published at or after its start is marked late (the regulator lists those
 * with `late=true`). Publishing goes through the journal (`outage.publish`), so it is audited and replayed.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { PLANNED_KG_MAX } from "../../domain/limits.ts";
import { OUTAGES_QUERY_LIMIT_MAX, type Projections } from "../../projections/index.ts";
import { checkCsrf, requireUser } from "../auth.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import { requireTrader } from "../order-entry.ts";
import { Enum, EPOCH_MS, SEQ, Strict } from "../wire/base.ts";
import { ID, json, REASON, TIME_MS_MAX } from "./common.ts";
import { submitChecked } from "./console.ts";

const strict = { additionalProperties: false } as const;
const tags = ["disclosure"];
const KIND = Enum(["planned", "unplanned"] as const);

export const OUTAGE = Strict({
  outage: Type.String({ description: "OUT-<seq>, named by the exchange" }),
  seq: SEQ,
  producer: Type.String(),
  basis: Type.String({ description: "the plant: a delivery basis the exchange trades" }),
  kind: KIND,
  fromMs: EPOCH_MS,
  toMs: EPOCH_MS,
  volumeKg: Type.Integer({ minimum: 1, description: "output affected over the period, kg" }),
  reason: Type.String(),
  publishedMs: EPOCH_MS,
  late: Type.Boolean({ description: "published at or after the start of the period it affects" }),
});

const PUBLISH = Type.Object(
  {
    basis: ID,
    kind: KIND,
    fromMs: Type.Integer({ minimum: 0, maximum: TIME_MS_MAX }),
    toMs: Type.Integer({ minimum: 0, maximum: TIME_MS_MAX }),
    volumeKg: Type.Integer({ minimum: 1, maximum: PLANNED_KG_MAX }),
    reason: REASON,
  },
  {
    ...strict,
    examples: [
      {
        basis: "KAZGPZ",
        kind: "planned",
        fromMs: 1_760_000_000_000,
        toMs: 1_761_000_000_000,
        volumeKg: 3_600_000,
        reason: "Scheduled repair of the fractionation unit",
      },
    ],
  },
);

const LIST_QUERY = Type.Object(
  {
    basis: Type.Optional(ID),
    producer: Type.Optional(ID),
    late: Type.Optional(Type.Boolean()),
    upcoming: Type.Optional(Type.Boolean({ description: "only those whose period has not ended" })),
    limit: Type.Integer({ minimum: 1, maximum: OUTAGES_QUERY_LIMIT_MAX, default: 100 }),
  },
  strict,
);

export function outageRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;

  api.get<{ Querystring: Static<typeof LIST_QUERY> }>(
    "/outages",
    {
      schema: {
        operationId: "listOutages",
        tags,
        summary: "Producers' published outages and output changes, newest first; late ones marked",
        querystring: LIST_QUERY,
        response: { 200: Strict({ outages: Type.Array(OUTAGE) }) },
      },
      config: { access: "public" as const },
    },
    async (request) => {
      const { basis, producer, late, upcoming, limit } = request.query;
      const outages = exchange.projections.outages.query({
        limit,
        ...(basis === undefined ? {} : { basis }),
        ...(producer === undefined ? {} : { producer }),
        ...(late === undefined ? {} : { late }),
        ...(upcoming ? { activeAtMs: exchange.projections.lastTimeMs } : {}),
      });
      return { outages: json(outages) };
    },
  );

  api.post<{ Body: Static<typeof PUBLISH> }>(
    "/outages",
    {
      schema: {
        operationId: "publishOutage",
        tags,
        summary: "Publish an outage or output change of one of your member's plants (producers' traders)",
        body: PUBLISH,
        response: { 201: Strict({ seq: SEQ, outage: OUTAGE }) },
      },
      config: {
        access: "memberTrade" as const,
        errors: [
          "MEMBER_NOT_PRODUCER",
          "OUTAGE_BASIS_NOT_OWN",
          "BASIS_INVALID",
          "BASIS_UNKNOWN",
          "FIELD_INVALID",
        ] as const,
      },
    },
    async (request, reply) => {
      const action = "publish an outage";
      const principal = requireUser(request.principal, action);
      requireTrader(principal, action);
      checkCsrf(request, principal);
      const producer = principal.user.member;
      if (producer === null) throw new HttpProblem("FORBIDDEN", { role: principal.user.role, action });
      // Refused here, before the journal, as every access refusal is (the engine checks it again).
      if (!exchange.projections.controls.member(producer)?.roles.includes("producer")) {
        throw new HttpProblem("MEMBER_NOT_PRODUCER", { member: producer });
      }
      // A notice moves the market: a producer speaks for its own plants only, never for a competitor's.
      if (!producesAt(exchange.projections, producer, request.body.basis)) {
        throw new HttpProblem("OUTAGE_BASIS_NOT_OWN", { member: producer, basis: request.body.basis });
      }
      const kind = request.body.kind as "planned" | "unplanned";
      const command = { type: "outage.publish" as const, producer, ...request.body, kind };
      const outcome = await submitChecked(context, request, command);
      const published = outcome.events.find((e) => e.type === "outage.published");
      if (published?.type !== "outage.published") throw new Error("outage.publish accepted without its event");
      const { type: _type, ...outage } = published;
      return reply.code(201).send({ seq: outcome.seq, outage: { seq: outcome.seq, ...outage } });
    },
  );
}

/**
 * Whether `basis` is one of `producer`'s plants: the regulator's supply plan names the member (or one of its accounts)
 * at that basis in some month, or one of the member's selling accounts holds gas there. An unknown basis is left to
 * the engine's BASIS_UNKNOWN, so it is said as such.
 */
function producesAt(projections: Projections, producer: string, basis: string): boolean {
  if (!projections.instruments.all().some((i) => i.basis === basis)) return true;
  const ownAccounts = projections.accounts.accountIds().filter((id) => {
    const info = projections.accounts.info(id);
    return info !== null && info.member === producer && info.canSell;
  });
  const names = new Set([producer, ...ownAccounts]);
  if (projections.supply.plan().some((row) => row.basis === basis && names.has(row.producer))) return true;
  const gas = `GAS:${basis}`;
  return ownAccounts.some((id) => projections.accounts.balances(id).some((b) => b.asset === gas));
}
