/**
 * The operator's instruments under /api/admin/instruments: the list with clearing terms, safeguards, limits in force,
 * calendar and phase; listing a new instrument; changing clearing terms; suspending one instrument; manual phase
 * changes; a first reference price.
 *
 * The operator may not change safeguards, halts or resumptions (the regulator's, regulator/*.ts). Hence a manual
 * phase change cannot move an instrument into or out of `halted` (the operator halts one instrument by suspending
 * it, with a reason; every halt ends through the regulator's `resume`), and the listing takes no safeguards (they
 * start off and the regulator sets them). The reference price centres the static band, so the operator may give one
 * only to an instrument that has none (docs/market-rules.md, section 7); once there is one, only sessions move it.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { CLEARING_WINDOW_MS_MAX, NAME_LENGTH_MAX } from "../../../domain/limits.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem } from "../../errors.ts";
import { SEQ, Strict } from "../../wire/base.ts";
import { CONSOLE_INSTRUMENT } from "../../wire/console.ts";
import { TRANSPORT } from "../../wire/market.ts";
import { ID, PRICE, QUANTITY, REASON } from "../common.ts";
import {
  BPS,
  CONSOLE_READ,
  instrumentView,
  MONTH,
  NEW_ID,
  OPERATOR_CHANGE,
  requireConsoleChange,
  requireConsoleRead,
  requireListed,
  submitChecked,
} from "../console.ts";

const strict = { additionalProperties: false } as const;
const tags = ["operator"];

export const INSTRUMENT_PARAMS = Type.Object({ id: ID }, strict);
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
    name: Type.Optional(Type.String({ minLength: 1, maxLength: NAME_LENGTH_MAX })),
    transport: Type.Optional(TRANSPORT),
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
  {
    ...strict,
    examples: [
      {
        instrument: "PB-KAZGPZ-MANGYSTAU-2027-01",
        mode: "call",
        tickSize: 100,
        lotSize: 1000,
        referencePrice: 12_000_000,
        clearing: {
          basis: "KAZGPZ",
          collateralBps: 500,
          feeBps: 5,
          paymentWindowMs: 86_400_000,
          deliveryWindowMs: 432_000_000,
          buyerDefaultCollateralTo: "seller",
          sellerPenaltyBps: 1000,
        },
        description: { product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2027-01" },
      },
    ],
  },
);

const UPDATE_INSTRUMENT = Type.Object(
  { clearing: CLEARING_CHANGES, reason: REASON },
  { ...strict, examples: [{ clearing: { collateralBps: 700 }, reason: "volatility: collateral raised to 7%" }] },
);

/** `halted` is not here: halts are the regulator's, or the operator's suspension with a reason. */
const MANUAL_PHASES = ["closed", "collection", "uncross", "continuous"] as const;
const SET_PHASE = Type.Object({ phase: Type.Enum(MANUAL_PHASES) }, { ...strict, examples: [{ phase: "collection" }] });
const SET_REFERENCE = Type.Object({ price: PRICE }, { ...strict, examples: [{ price: 12_000_000 }] });
export const REASON_BODY = Type.Object(
  { reason: REASON },
  { ...strict, examples: [{ reason: "the plant reported an outage; trading stops until it is resolved" }] },
);

const CHANGED = Strict({ seq: SEQ, instrument: CONSOLE_INSTRUMENT });

export function operatorInstrumentRoutes(api: FastifyInstance, context: RouteContext): void {
  const { projections } = context.exchange;

  api.get(
    "/admin/instruments",
    {
      schema: {
        operationId: "adminListInstruments",
        tags,
        summary: "All instruments: listing, clearing terms, safeguards and limits, calendar, phase",
        response: { 200: Strict({ instruments: Type.Array(CONSOLE_INSTRUMENT) }) },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "list instruments");
      return { instruments: projections.controls.instruments().map((i) => instrumentView(context, i.instrument)) };
    },
  );

  api.get<{ Params: Static<typeof INSTRUMENT_PARAMS> }>(
    "/admin/instruments/:id",
    {
      schema: {
        operationId: "adminGetInstrument",
        tags,
        summary: "One instrument",
        params: INSTRUMENT_PARAMS,
        response: { 200: CONSOLE_INSTRUMENT },
      },
      config: { ...CONSOLE_READ, errors: ["INSTRUMENT_NOT_FOUND"] },
    },
    async (request) => {
      requireConsoleRead(request, "read instruments");
      return instrumentView(context, request.params.id);
    },
  );

  api.post<{ Body: Static<typeof NEW_INSTRUMENT> }>(
    "/admin/instruments",
    {
      schema: {
        operationId: "listNewInstrument",
        tags,
        summary: "List a new instrument (cleared; safeguards start off)",
        body: NEW_INSTRUMENT,
        response: { 201: CHANGED },
      },
      config: {
        ...OPERATOR_CHANGE,
        errors: ["INSTRUMENT_EXISTS", "INSTRUMENT_INVALID", "TRANSPORT_UNIT_INVALID", "LOT_NOT_TRANSPORT_UNITS"],
      },
    },
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
        operationId: "changeClearingTerms",
        tags,
        summary: "Change clearing terms (new orders only), with a reason",
        params: INSTRUMENT_PARAMS,
        body: UPDATE_INSTRUMENT,
        response: { 200: CHANGED },
      },
      config: { ...OPERATOR_CHANGE, errors: ["INSTRUMENT_NOT_FOUND", "INSTRUMENT_INVALID", "INSTRUMENT_NOT_CLEARED"] },
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
        operationId: "suspendInstrument",
        tags,
        summary: "Suspend (halt) one instrument, with a reason; the regulator's resume ends it",
        params: INSTRUMENT_PARAMS,
        body: REASON_BODY,
        response: { 200: CHANGED },
      },
      config: { ...OPERATOR_CHANGE, errors: ["INSTRUMENT_NOT_FOUND", "PHASE_TRANSITION_INVALID"] },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "suspend instruments");
      const { id } = request.params;
      // Already halted: the engine would list its own ways out (collection, closed), which the operator cannot take.
      refuseIfHalted(context, id, "halted");
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
        operationId: "setPhase",
        tags,
        summary: "Change the trading phase by hand (not into or out of a halt)",
        params: INSTRUMENT_PARAMS,
        body: SET_PHASE,
        response: { 200: CHANGED },
      },
      config: {
        ...OPERATOR_CHANGE,
        errors: ["INSTRUMENT_NOT_FOUND", "PHASE_TRANSITION_INVALID", "AUCTION_REFERENCE_PRICE_REQUIRED"],
      },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "change trading phases");
      const { id } = request.params;
      const { phase } = request.body;
      refuseIfHalted(context, id, phase);
      const outcome = await submitChecked(context, request, { type: "phase.set", instrument: id, phase });
      return { seq: outcome.seq, instrument: instrumentView(context, id) };
    },
  );

  api.put<{ Params: Static<typeof INSTRUMENT_PARAMS>; Body: Static<typeof SET_REFERENCE> }>(
    "/admin/instruments/:id/reference-price",
    {
      schema: {
        operationId: "setReferencePrice",
        tags,
        summary: "Give an instrument without one a reference price (its auctions may need it)",
        params: INSTRUMENT_PARAMS,
        body: SET_REFERENCE,
        response: { 200: CHANGED },
      },
      config: { ...OPERATOR_CHANGE, errors: ["INSTRUMENT_NOT_FOUND", "ORDER_PRICE_OFF_TICK"] },
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
}

/**
 * Refuses an operator's change of a halted instrument's phase: a halt (the operator's suspension or the regulator's
 * halt) ends only with the regulator's resume, so no phase is allowed by hand.
 */
function refuseIfHalted(context: RouteContext, instrument: string, to: string): void {
  if (requireListed(context, instrument).phase !== "halted") return;
  throw new HttpProblem("PHASE_TRANSITION_INVALID", {
    instrument,
    from: "halted",
    to,
    allowed: "none by hand: a halt ends with the regulator's resume",
  });
}
