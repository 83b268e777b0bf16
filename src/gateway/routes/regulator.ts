/**
 * The regulator's console API under /api/regulator: what the market is doing (prices and volumes by delivery region,
 * where the price rises fastest), domestic supply obligations per month (who is short), the audit trail with filters
 * (JSON and CSV), each instrument's safeguards with the limits in force; and the regulator's controls: safeguards
 * (static band, circuit breaker, ceiling, floor, ceiling path, buyer limits, eligibility), emergency halts and
 * resumptions (the market, a region or an instrument), and supply plans.
 *
 * Who may do what. The controls are the regulator's alone: the operator may not change safeguards, halt or resume, or
 * plan supply (it suspends single instruments and members for operational reasons, see admin.ts, and every halt ends
 * with the regulator's resume). The regulator reads everything (these views, the operator's views and every member's
 * account views) and changes only these controls. The operator may read these views too. A change needs the
 * regulator's session with its CSRF token, or an API key with the `trade` scope.
 *
 * Promises. Every control change carries a reason and is an engine command through the journal, so the audit trail
 * records who made it, when, from where (address and request id) and why; the answer comes once it is durable, and
 * the engine's refusal comes back with its registry code. Views are read models built from durable events only.
 *
 * Overview definitions, per instrument: last price and its change against the reference price (market data); the
 * session is the running one if a session runs, else the last closed one, with its volume-weighted average price and
 * volume. Per region: the volume and value of those sessions summed, their volume-weighted average, and the
 * instrument whose price rose most (largest change in basis points); regions are listed fastest rising first (regions
 * with no change to show last, then by name).
 */

import { type Static, Type } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { COMMAND_TYPES, type HaltCommand } from "../../engine/commands.ts";
import { BUYER_CATEGORIES } from "../../engine/members.ts";
import {
  ACTIVE_ORDERS_LIMIT_MAX,
  AUCTION_MS_MAX,
  CEILING_PATH_STEPS_MAX,
  type Safeguards,
} from "../../engine/safeguards.ts";
import {
  AUDIT_QUERY_LIMIT_DEFAULT,
  AUDIT_QUERY_LIMIT_MAX,
  type AuditEntry,
  type SessionResult,
  toCsv,
} from "../../projections/index.ts";
import { averagePriceTiynPerTonne, EXCHANGE_UTC_OFFSET_MS, localMonth } from "../../projections/numbers.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import { ACCOUNT_ID, FORMAT, ID, json, PRICE, REASON, sendCsv } from "./common.ts";
import {
  instrumentView,
  MONTH,
  requireConsoleChange,
  requireConsoleRead,
  requireListed,
  submitChecked,
  TIME_MS,
} from "./console.ts";

const strict = { additionalProperties: false } as const;
const ORDER_LOTS_MAX = 1_000_000_000;
/** The engine's bound on a month's planned volume: 10^12 kg. */
const PLANNED_KG_MAX = 1_000_000_000_000;

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const SAFEGUARD_CHANGES = Type.Object(
  {
    bandBps: Type.Optional(
      nullable(Type.Integer({ minimum: 1, maximum: 9999, description: "± around the reference" })),
    ),
    breakerBps: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 9999, description: "± around the last" }))),
    breakerAuctionMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: AUCTION_MS_MAX })),
    ceiling: Type.Optional(nullable(PRICE)),
    floor: Type.Optional(nullable(PRICE)),
    ceilingPath: Type.Optional(
      Type.Array(Type.Object({ effectiveFromMs: TIME_MS, ceiling: PRICE }, strict), {
        maxItems: CEILING_PATH_STEPS_MAX,
      }),
    ),
    maxShareBps: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 10_000 }))),
    maxActiveOrders: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: ACTIVE_ORDERS_LIMIT_MAX }))),
    maxLotsPerOrder: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: ORDER_LOTS_MAX }))),
    eligibleCategories: Type.Optional(
      nullable(
        Type.Array(Type.Enum(BUYER_CATEGORIES), {
          minItems: 1,
          maxItems: BUYER_CATEGORIES.length,
          uniqueItems: true,
        }),
      ),
    ),
    resumptionAuctionMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: AUCTION_MS_MAX })),
    reason: REASON,
  },
  strict,
);

const HALT = Type.Object(
  {
    scope: Type.Enum(["market", "region", "instrument"] as const),
    region: Type.Optional(ID),
    instrument: Type.Optional(ID),
    reason: REASON,
  },
  strict,
);

const AUDIT_QUERY = Type.Object(
  {
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    instrument: Type.Optional(ID),
    account: Type.Optional(ACCOUNT_ID),
    commandType: Type.Optional(Type.Enum([...COMMAND_TYPES, "unknown"])),
    outcome: Type.Optional(Type.Enum(["accepted", "rejected"] as const)),
    fromMs: Type.Optional(TIME_MS),
    toMs: Type.Optional(TIME_MS),
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    limit: Type.Integer({ minimum: 1, maximum: AUDIT_QUERY_LIMIT_MAX, default: AUDIT_QUERY_LIMIT_DEFAULT }),
    format: FORMAT,
  },
  strict,
);

const SUPPLY_QUERY = Type.Object({ month: Type.Optional(MONTH) }, strict);
const PLAN_PARAMS = Type.Object({ month: MONTH, producer: ID, basis: ID }, strict);
const PLAN = Type.Object(
  { plannedKg: Type.Integer({ minimum: 0, maximum: PLANNED_KG_MAX, description: "kg for the month" }), reason: REASON },
  strict,
);
const INSTRUMENT_PARAMS = Type.Object({ id: ID }, strict);

const AUDIT_CSV_HEADER = [
  "seq",
  "time",
  "actor",
  "role",
  "source",
  "request_id",
  "command_type",
  "instrument",
  "account",
  "outcome",
  "code",
  "summary",
  "message",
];

function auditCsv(entries: readonly AuditEntry[]): string {
  return toCsv(
    AUDIT_CSV_HEADER,
    entries.map((e) => [
      e.seq,
      e.time,
      e.actor,
      e.role,
      e.source,
      e.requestId,
      e.commandType,
      e.instrument,
      e.account,
      e.outcome,
      e.code,
      e.summary,
      e.message,
    ]),
  );
}

export function regulatorRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;
  const projections = exchange.projections;
  const tags = ["regulator"];

  const regionOf = (instrument: string): string =>
    projections.controls.instrument(instrument)?.description?.region ??
    projections.instruments.get(instrument)?.region ??
    "unknown";

  const safeguardsView = (instrument: string) => {
    const view = instrumentView(context, instrument);
    return {
      instrument,
      region: regionOf(instrument),
      phase: view.phase,
      phaseChanged: view.phaseChanged,
      safeguards: view.safeguards,
      changed: view.safeguardsChanged,
      limits: view.limits,
    };
  };

  // -------------------------------------------------------------------------------------------------------------
  // Views.

  api.get(
    "/regulator/overview",
    {
      schema: {
        tags,
        summary: "Prices and volumes by region: last price, change, session average and volume; fastest rising first",
      },
    },
    async (request) => {
      requireConsoleRead(request, "read the market overview");
      const byRegion = new Map<string, InstrumentRow[]>();
      for (const controls of projections.controls.instruments()) {
        const row = instrumentRow(controls.instrument);
        const rows = byRegion.get(row.region) ?? [];
        rows.push(row);
        byRegion.set(row.region, rows);
      }
      const regions = [...byRegion].map(([region, rows]) => regionRow(region, rows));
      regions.sort(
        (a, b) =>
          (b.risingFastest?.changeBps ?? Number.NEGATIVE_INFINITY) -
            (a.risingFastest?.changeBps ?? Number.NEGATIVE_INFINITY) || (a.region < b.region ? -1 : 1),
      );
      return json({
        asOfSeq: projections.lastSeq,
        risingFastest: regions.find((r) => r.risingFastest !== null)?.risingFastest ?? null,
        regions,
      });
    },
  );

  function instrumentRow(instrument: string) {
    const quote = projections.marketData.quote(instrument);
    const session: SessionResult | null =
      projections.sessions.current(instrument) ?? projections.sessions.last(instrument);
    const controls = requireListed(context, instrument);
    return {
      instrument,
      region: regionOf(instrument),
      product: controls.description?.product ?? null,
      basis: controls.description?.basis ?? controls.clearing?.basis ?? null,
      phase: controls.phase,
      lastPriceTiynPerTonne: quote?.lastPriceTiynPerTonne ?? null,
      referencePriceTiynPerTonne: quote?.referencePriceTiynPerTonne ?? null,
      changeTiynPerTonne: quote?.changeTiynPerTonne ?? null,
      changeBps: quote?.changeBps ?? null,
      session:
        session === null
          ? null
          : {
              session: session.session,
              running: session.endSeq === null,
              startMs: session.startMs,
              endMs: session.endMs,
              vwapTiynPerTonne: session.vwapTiynPerTonne,
              volumeKg: session.volumeKg,
              valueTiyn: session.valueTiyn,
              valueMilliTiyn: session.valueMilliTiyn,
              trades: session.trades,
            },
    };
  }
  type InstrumentRow = ReturnType<typeof instrumentRow>;

  /** A region's sums over its instruments' sessions (exact: value in milli-tiyn) and its fastest riser. */
  function regionRow(region: string, rows: readonly InstrumentRow[]) {
    let volumeKg = 0n;
    let valueMilliTiyn = 0n;
    let valueTiyn = 0n;
    let fastest: InstrumentRow | null = null;
    for (const row of rows) {
      if (row.session !== null) {
        volumeKg += row.session.volumeKg;
        valueMilliTiyn += row.session.valueMilliTiyn;
        valueTiyn += row.session.valueTiyn;
      }
      if (row.changeBps !== null && (fastest === null || row.changeBps > (fastest.changeBps ?? 0))) fastest = row;
    }
    return {
      region,
      volumeKg,
      valueTiyn,
      vwapTiynPerTonne: averagePriceTiynPerTonne(valueMilliTiyn, volumeKg),
      risingFastest:
        fastest === null
          ? null
          : {
              instrument: fastest.instrument,
              changeBps: fastest.changeBps,
              changeTiynPerTonne: fastest.changeTiynPerTonne,
            },
      instruments: rows,
    };
  }

  api.get<{ Querystring: Static<typeof SUPPLY_QUERY> }>(
    "/regulator/supply",
    {
      schema: {
        tags,
        summary: "Supply obligations of a month (default: this month): planned, offered, sold; who is short",
        querystring: SUPPLY_QUERY,
      },
    },
    async (request) => {
      requireConsoleRead(request, "read supply obligations");
      const month = request.query.month ?? localMonth(exchange.clock(), EXCHANGE_UTC_OFFSET_MS);
      const status = projections.supply.status(month);
      return json({ month, plans: status, short: status.filter((row) => row.shortfallKg > 0n) });
    },
  );

  api.get<{ Querystring: Static<typeof AUDIT_QUERY> }>(
    "/regulator/audit",
    {
      schema: {
        tags,
        summary: "The audit trail, newest first: who, when, from where, what, outcome; JSON or CSV",
        querystring: AUDIT_QUERY,
      },
    },
    async (request, reply) => {
      requireConsoleRead(request, "read the audit trail");
      const { format, ...query } = request.query;
      if (query.fromMs !== undefined && query.toMs !== undefined && query.toMs <= query.fromMs) {
        throw new HttpProblem("REQUEST_INVALID", {
          reason: `toMs ${query.toMs} must be after fromMs ${query.fromMs}`,
        });
      }
      const entries = projections.audit.query(query);
      if (format === "csv") return sendCsv(reply, "audit", auditCsv(entries));
      const oldest = entries.at(-1);
      return {
        entries,
        nextBeforeSeq: entries.length === query.limit && oldest !== undefined ? oldest.seq : null,
      };
    },
  );

  api.get(
    "/regulator/safeguards",
    { schema: { tags, summary: "Every instrument's safeguards, the limits in force and its phase" } },
    async (request) => {
      requireConsoleRead(request, "read safeguards");
      return { instruments: projections.controls.instruments().map((i) => safeguardsView(i.instrument)) };
    },
  );

  api.get<{ Params: Static<typeof INSTRUMENT_PARAMS> }>(
    "/regulator/instruments/:id/safeguards",
    { schema: { tags, summary: "One instrument's safeguards and limits in force", params: INSTRUMENT_PARAMS } },
    async (request) => {
      requireConsoleRead(request, "read safeguards");
      return safeguardsView(request.params.id);
    },
  );

  // -------------------------------------------------------------------------------------------------------------
  // Controls.

  api.patch<{ Params: Static<typeof INSTRUMENT_PARAMS>; Body: Static<typeof SAFEGUARD_CHANGES> }>(
    "/regulator/instruments/:id/safeguards",
    {
      schema: {
        tags,
        summary:
          "Change safeguards (only the fields given; null turns one off), with a reason; resting orders the new limits exclude are cancelled",
        params: INSTRUMENT_PARAMS,
        body: SAFEGUARD_CHANGES,
      },
    },
    async (request) => {
      requireConsoleChange(request, "regulator", "set safeguards");
      const { id } = request.params;
      const { reason, ...changes } = request.body;
      if (Object.keys(changes).length === 0) {
        throw new HttpProblem("REQUEST_INVALID", { reason: "name at least one safeguard to change" });
      }
      const outcome = await submitChecked(context, request, {
        type: "safeguards.set",
        instrument: id,
        changes: changes as Partial<Safeguards>,
        reason,
      });
      // Orders the new limits exclude; what time brought before the command (GTD expiry) is not counted.
      const cancelledOrders = outcome.events.filter(
        (event) => event.type === "order.cancelled" && event.reason === "price-limit",
      ).length;
      return { seq: outcome.seq, cancelledOrders, ...safeguardsView(id) };
    },
  );

  for (const type of ["halt", "resume"] as const) {
    api.post<{ Body: Static<typeof HALT> }>(
      `/regulator/${type}`,
      {
        schema: {
          tags,
          summary:
            type === "halt"
              ? "Emergency halt of the market, a delivery region or an instrument, with a reason"
              : "Resume halted trading through a resumption auction: the market, a region or an instrument, with a reason",
          body: HALT,
        },
      },
      async (request) => {
        requireConsoleChange(request, "regulator", type === "halt" ? "halt trading" : "resume trading");
        const { scope, region, instrument, reason } = request.body;
        if ((scope === "region") !== (region !== undefined)) {
          throw new HttpProblem("HALT_SCOPE_INVALID", { reason: "a region's halt names the region, and only it" });
        }
        if ((scope === "instrument") !== (instrument !== undefined)) {
          throw new HttpProblem("HALT_SCOPE_INVALID", {
            reason: "an instrument's halt names the instrument, and only it",
          });
        }
        const command: HaltCommand = {
          type,
          scope,
          ...(region === undefined ? {} : { region }),
          ...(instrument === undefined ? {} : { instrument }),
          reason,
        };
        const outcome = await submitChecked(context, request, command);
        // The phase changes this command made (they carry its reason), not those time brought before it.
        const changed = outcome.events.flatMap((event) =>
          event.type === "phase.changed" && event.reason === reason
            ? [{ instrument: event.instrument, from: event.from, to: event.to }]
            : [],
        );
        return { seq: outcome.seq, scope, changed };
      },
    );
  }

  api.put<{ Params: Static<typeof PLAN_PARAMS>; Body: Static<typeof PLAN> }>(
    "/regulator/supply/plans/:month/:producer/:basis",
    {
      schema: {
        tags,
        summary: "Set a producer's planned monthly volume at a basis (the domestic supply obligation), with a reason",
        params: PLAN_PARAMS,
        body: PLAN,
      },
    },
    async (request) => {
      requireConsoleChange(request, "regulator", "plan supply");
      const { month, producer, basis } = request.params;
      const outcome = await submitChecked(context, request, {
        type: "supply.plan",
        month,
        producer,
        basis,
        plannedKg: request.body.plannedKg,
        reason: request.body.reason,
      });
      const row = projections.supply.status(month).find((r) => r.producer === producer && r.basis === basis) ?? null;
      return json({ seq: outcome.seq, plan: row });
    },
  );
}
