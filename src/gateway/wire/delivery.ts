/**
 * Wire schemas of delivery (projections/deliveries.ts): a buyer's station, a shipment with its arrival, a diversion,
 * and the regulator's totals per region and month (kg totals as decimal strings: they may exceed 2^53).
 */

import { Type } from "typebox";
import { COUNT, DECIMAL, Enum, EPOCH_MS, KG, Nullable, SEQ, Strict, TEXT } from "./base.ts";

export const DIVERSION_REASONS = ["outside-region", "registered-after-trade"] as const;
export const DIVERSION_REASON = Enum(DIVERSION_REASONS);

export const STATION = Strict({
  station: TEXT,
  member: TEXT,
  name: TEXT,
  region: TEXT,
  document: Type.String({ description: "the reference of the document the operator checked" }),
  registeredMs: EPOCH_MS,
  registeredSeq: SEQ,
});

export const SHIPMENT = Strict({
  shipment: Type.String({ description: "`<obligation>/S<n>`, the obligation's n-th shipment" }),
  obligation: TEXT,
  instrument: TEXT,
  region: Nullable(Type.String({ description: "the instrument's delivery region" })),
  seller: TEXT,
  buyer: TEXT,
  vehicle: TEXT,
  waybill: TEXT,
  quantityKg: KG,
  date: Type.String({ description: "dispatch date, YYYY-MM-DD" }),
  dispatchedMs: EPOCH_MS,
  dispatchedSeq: SEQ,
  station: Nullable(TEXT),
  stationRegion: Nullable(TEXT),
  arrivedMs: Nullable(EPOCH_MS),
  diversion: Type.Array(DIVERSION_REASON, { description: "why the arrival is a diversion; empty when it is not" }),
});

/** An obligation's delivery progress. */
export const DELIVERY_PROGRESS = Strict({
  obligation: TEXT,
  quantityKg: KG,
  dispatchedKg: KG,
  arrivedKg: KG,
  delivered: Type.Boolean(),
});

export const DIVERSION = Strict({
  seq: SEQ,
  timeMs: EPOCH_MS,
  shipment: TEXT,
  obligation: TEXT,
  instrument: TEXT,
  buyer: TEXT,
  buyerMember: TEXT,
  seller: TEXT,
  station: TEXT,
  stationRegion: TEXT,
  region: Type.String({ description: "the instrument's delivery region (`unknown` without a description)" }),
  month: Type.String({ description: "the instrument's delivery month, YYYY-MM" }),
  quantityKg: KG,
  reasons: Type.Array(DIVERSION_REASON),
});

export const REGION_MONTH = Strict({
  region: TEXT,
  month: TEXT,
  boughtKg: DECIMAL,
  dispatchedKg: DECIMAL,
  arrivedInRegionKg: DECIMAL,
  divertedKg: DECIMAL,
  obligations: COUNT,
  shipments: COUNT,
  diversions: COUNT,
});
