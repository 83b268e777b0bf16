/**
 * Delivery for members (engine/delivery.ts has the rules): the seller's account records a dispatch against an
 * obligation, the buyer's account confirms an arrival at one of its member's stations, and both read the shipments;
 * a member reads its stations (the operator registers them: operator/stations.ts).
 *
 * Who may do what: a dispatch or an arrival is a trader's act on its own member's account (the trade scope, CSRF for a
 * session); the engine then checks that the account is the obligation's seller or buyer. Reads are for the member's
 * users, the operator and the regulator. Every answer comes once the command is durable.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { TRADE_ID_LENGTH_MAX } from "../../domain/ids.ts";
import { ACCOUNT_LIST_LIMIT_MAX } from "../../domain/limits.ts";
import { ORDER_QUANTITY_MAX } from "../../domain/order.ts";
import { VEHICLE_LENGTH_MAX, WAYBILL_LENGTH_MAX } from "../../engine/delivery.ts";
import type { RouteContext } from "../context.ts";
import { OBLIGATION } from "../wire/accounts.ts";
import { COUNT, Nullable, SEQ, Strict } from "../wire/base.ts";
import { DELIVERY_PROGRESS, SHIPMENT, STATION } from "../wire/delivery.ts";
import { metaOf, requireReadAccount, requireTradeAccount } from "./access.ts";
import { ACCOUNT_ID, ID, json, throwIfRejected } from "./common.ts";
import { DATE } from "./console.ts";

const strict = { additionalProperties: false } as const;
const tags = ["delivery"];
const PRINTABLE = "^[\\x21-\\x7e]+$";

/** Most shipments one listing returns: the API's longest account list, which the terminal pages up to. */
export const SHIPMENTS_LIST_MAX = ACCOUNT_LIST_LIMIT_MAX;

export const OBLIGATION_ID = Type.String({ minLength: 1, maxLength: TRADE_ID_LENGTH_MAX, pattern: PRINTABLE });
/** `<obligation>/S<n>`: the obligation's id, `/S` and up to 6 digits. */
export const SHIPMENT_ID = Type.String({ minLength: 1, maxLength: TRADE_ID_LENGTH_MAX + 8, pattern: PRINTABLE });
/** Free text without control characters (plates and waybill numbers may be in Cyrillic and carry spaces). */
const LABEL = (lengthMax: number, description: string) =>
  Type.String({ minLength: 1, maxLength: lengthMax, pattern: "^[^\\x00-\\x1f\\x7f]+$", description });

const ACCOUNT_PARAMS = Type.Object({ account: ACCOUNT_ID }, strict);

const DISPATCH = Type.Object(
  {
    obligation: OBLIGATION_ID,
    vehicle: LABEL(VEHICLE_LENGTH_MAX, "the tank truck's plate or the rail tank wagon's number"),
    waybill: LABEL(WAYBILL_LENGTH_MAX, "the waybill (consignment note) number; once per seller account"),
    quantityKg: Type.Integer({ minimum: 1, maximum: ORDER_QUANTITY_MAX, description: "kg in this shipment" }),
    date: DATE,
  },
  {
    ...strict,
    examples: [
      {
        obligation: "OB-PB-KAZGPZ-MANGYSTAU-2026-12-S1-1",
        vehicle: "123 ABC 12",
        waybill: "TTN-000123",
        quantityKg: 20_000,
        date: "2026-12-08",
      },
    ],
  },
);

const ARRIVAL = Type.Object(
  { shipment: SHIPMENT_ID, station: ID },
  { ...strict, examples: [{ shipment: "OB-PB-KAZGPZ-MANGYSTAU-2026-12-S1-1/S1", station: "AKTAU-ST-01" }] },
);

const SHIPMENTS_QUERY = Type.Object(
  {
    obligation: Type.Optional(OBLIGATION_ID),
    awaitingArrival: Type.Optional(
      Type.Boolean({
        description:
          "true: only the shipments the account receives that have not arrived yet (what its buyer may confirm), " +
          "newest first, however old",
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: SHIPMENTS_LIST_MAX, default: 200 }),
  },
  strict,
);

const SHIPMENT_RESULT = Strict({
  seq: SEQ,
  shipment: SHIPMENT,
  progress: DELIVERY_PROGRESS,
  obligation: Nullable(OBLIGATION),
});

export const DISPATCH_ERRORS = [
  "OBLIGATION_NOT_FOUND",
  "OBLIGATION_NOT_OPEN",
  "OBLIGATION_ALREADY_CONFIRMED",
  "SHIPMENT_NOT_PARTY",
  "SHIPMENT_INVALID",
  "SHIPMENT_WAYBILL_DUPLICATE",
  "SHIPMENTS_LIMIT",
  "SHIPMENT_OVER_OBLIGATION",
] as const;
export const ARRIVAL_ERRORS = [
  "SHIPMENT_NOT_FOUND",
  "SHIPMENT_NOT_PARTY",
  "SHIPMENT_ALREADY_ARRIVED",
  "STATION_NOT_FOUND",
  "STATION_NOT_OWN",
] as const;

export function deliveryRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;
  const projections = exchange.projections;

  /** An obligation's progress, from the read models: its shipments kept and the obligation's own state. */
  const progressOf = (obligation: string, quantityKg: number) => {
    let dispatchedKg = 0;
    let arrivedKg = 0;
    for (const s of projections.deliveries.shipmentsOf(obligation)) {
      dispatchedKg += s.quantityKg;
      if (s.arrivedMs !== null) arrivedKg += s.quantityKg;
    }
    const delivered = projections.accounts.obligation(obligation)?.delivered ?? false;
    return { obligation, quantityKg, dispatchedKg, arrivedKg, delivered };
  };

  const shipmentResult = (seq: number, events: readonly { type: string }[]) => {
    const event = events.find((e) => e.type === "shipment.dispatched" || e.type === "shipment.arrived") as
      | { shipment: { id: string; obligation: string; obligationKg: number } }
      | undefined;
    const shipment = projections.deliveries.shipment(event!.shipment.id)!;
    return {
      seq,
      shipment: json(shipment),
      progress: progressOf(shipment.obligation, event!.shipment.obligationKg),
      obligation: json(projections.accounts.obligation(shipment.obligation)),
    };
  };

  api.post<{ Params: Static<typeof ACCOUNT_PARAMS>; Body: Static<typeof DISPATCH> }>(
    "/accounts/:account/shipments",
    {
      schema: {
        operationId: "dispatchShipment",
        tags,
        summary: "The seller records a dispatch against an obligation (vehicle or wagon, waybill, kg, date)",
        params: ACCOUNT_PARAMS,
        body: DISPATCH,
        response: { 201: { ...SHIPMENT_RESULT, description: "Recorded (durable), with the obligation's progress" } },
      },
      config: { access: "memberTrade", errors: DISPATCH_ERRORS },
    },
    async (request, reply) => {
      const { account } = request.params;
      requireTradeAccount(context, request, account, "record shipments");
      const body = request.body;
      const outcome = await exchange.submit(
        {
          type: "shipment.dispatch",
          account,
          obligation: body.obligation,
          vehicle: body.vehicle,
          waybill: body.waybill,
          quantity: body.quantityKg,
          date: body.date,
        },
        metaOf(request),
      );
      throwIfRejected(outcome);
      reply.code(201);
      return shipmentResult(outcome.seq, outcome.events);
    },
  );

  api.post<{ Params: Static<typeof ACCOUNT_PARAMS>; Body: Static<typeof ARRIVAL> }>(
    "/accounts/:account/arrivals",
    {
      schema: {
        operationId: "confirmArrival",
        tags,
        summary:
          "The buyer confirms a shipment's arrival at one of its stations; arrivals that cover the obligation deliver it",
        params: ACCOUNT_PARAMS,
        body: ARRIVAL,
        response: { 200: SHIPMENT_RESULT },
      },
      config: { access: "memberTrade", errors: ARRIVAL_ERRORS },
    },
    async (request) => {
      const { account } = request.params;
      requireTradeAccount(context, request, account, "confirm arrivals");
      const outcome = await exchange.submit(
        { type: "shipment.arrive", account, shipment: request.body.shipment, station: request.body.station },
        metaOf(request),
      );
      throwIfRejected(outcome);
      return shipmentResult(outcome.seq, outcome.events);
    },
  );

  api.get<{ Params: Static<typeof ACCOUNT_PARAMS>; Querystring: Static<typeof SHIPMENTS_QUERY> }>(
    "/accounts/:account/shipments",
    {
      schema: {
        operationId: "listShipments",
        tags,
        summary:
          "Shipments the account sent or receives, newest first (limit: the newest so many); or one obligation's, in " +
          "dispatch order; awaitingArrival=true keeps those it receives that have not arrived",
        params: ACCOUNT_PARAMS,
        querystring: SHIPMENTS_QUERY,
        response: { 200: Strict({ count: COUNT, shipments: Type.Array(SHIPMENT) }) },
      },
      config: { access: "memberRead" },
    },
    async (request) => {
      const { account } = request.params;
      requireReadAccount(context, request, account, "read shipments");
      const { obligation, awaitingArrival, limit } = request.query;
      const awaiting = (s: { buyer: string; arrivedMs: number | null }) =>
        awaitingArrival !== true || (s.buyer === account && s.arrivedMs === null);
      const shipments =
        obligation === undefined
          ? projections.deliveries.shipmentsOfAccount(account, limit, { awaitingArrival: awaitingArrival === true })
          : projections.deliveries
              .shipmentsOf(obligation)
              .filter((s) => (s.seller === account || s.buyer === account) && awaiting(s))
              .slice(0, limit);
      return { count: shipments.length, shipments: json(shipments) };
    },
  );

  api.get<{ Params: Static<typeof ACCOUNT_PARAMS> }>(
    "/accounts/:account/stations",
    {
      schema: {
        operationId: "listStations",
        tags,
        summary: "The stations and depots registered for the account's member, where its gas may arrive",
        params: ACCOUNT_PARAMS,
        response: { 200: Strict({ member: Nullable(ID), stations: Type.Array(STATION) }) },
      },
      config: { access: "memberRead" },
    },
    async (request) => {
      const { account } = request.params;
      requireReadAccount(context, request, account, "read stations");
      const member = projections.accounts.info(account)?.member ?? null;
      return { member, stations: json(member === null ? [] : projections.deliveries.stationsOf(member)) };
    },
  );
}
