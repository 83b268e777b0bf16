/**
 * Buyers' filling stations and depots under /api/admin/stations: the operator registers each, for a member that buys,
 * with its region and the reference of the document it checked (a registry extract, a lease, a permit), and lists
 * them. Gas may arrive only at a registered station of the buyer; an arrival at a station outside the instrument's
 * region, or registered after the trade, is a diversion the regulator sees (engine/delivery.ts).
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { NAME_LENGTH_MAX } from "../../../domain/limits.ts";
import { STATION_DOCUMENT_LENGTH_MAX } from "../../../engine/delivery.ts";
import type { RouteContext } from "../../context.ts";
import { COUNT, Nullable, SEQ, Strict } from "../../wire/base.ts";
import { STATION } from "../../wire/delivery.ts";
import { ID, json } from "../common.ts";
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
const NO_CONTROL = "^[^\\x00-\\x1f\\x7f]+$";

const NEW_STATION = Type.Object(
  {
    station: NEW_ID,
    member: ID,
    name: Type.String({ minLength: 1, maxLength: NAME_LENGTH_MAX, pattern: NO_CONTROL }),
    region: ID,
    document: Type.String({
      minLength: 1,
      maxLength: STATION_DOCUMENT_LENGTH_MAX,
      pattern: NO_CONTROL,
      description: "the reference of the document the operator checked",
    }),
  },
  {
    ...strict,
    examples: [
      {
        station: "AKTAU-ST-01",
        member: "AKTAU-STATIONS",
        name: "Aktau, 14th microdistrict, autogas station",
        region: "MANGYSTAU",
        document: "Land registry extract 12-345-678 of 2025-11-03",
      },
    ],
  },
);

const STATIONS_QUERY = Type.Object({ member: Type.Optional(ID), region: Type.Optional(ID) }, strict);

export function operatorStationRoutes(api: FastifyInstance, context: RouteContext): void {
  const projections = context.exchange.projections;

  api.post<{ Body: Static<typeof NEW_STATION> }>(
    "/admin/stations",
    {
      schema: {
        operationId: "registerStation",
        tags,
        summary: "Register a buyer's filling station or depot in a region, naming the document checked",
        body: NEW_STATION,
        response: { 201: Strict({ seq: SEQ, station: Nullable(STATION) }) },
      },
      config: {
        ...OPERATOR_CHANGE,
        errors: ["STATION_INVALID", "STATION_EXISTS", "MEMBER_NOT_FOUND", "STATION_MEMBER_NOT_BUYER", "STATIONS_LIMIT"],
      },
    },
    async (request, reply) => {
      requireConsoleChange(request, "operator", "register stations");
      const { station, member, name, region, document } = request.body;
      const outcome = await submitChecked(context, request, {
        type: "station.register",
        station,
        member,
        name,
        region,
        document,
      });
      reply.code(201);
      return { seq: outcome.seq, station: json(projections.deliveries.station(station) ?? null) };
    },
  );

  api.get<{ Querystring: Static<typeof STATIONS_QUERY> }>(
    "/admin/stations",
    {
      schema: {
        operationId: "adminListStations",
        tags,
        summary: "Registered stations and depots, by member; optionally one member's or one region's",
        querystring: STATIONS_QUERY,
        response: { 200: Strict({ count: COUNT, stations: Type.Array(STATION) }) },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "list stations");
      const { member, region } = request.query;
      const stations = (
        member === undefined ? projections.deliveries.allStations(region) : projections.deliveries.stationsOf(member)
      ).filter((s) => region === undefined || s.region === region);
      return { count: stations.length, stations: json(stations) };
    },
  );
}
