/**
 * Response schemas of the operator's and the regulator's consoles: instruments with their clearing terms, safeguards,
 * limits in force and calendar; members; users and API keys; the audit trail; supply obligations; the market
 * overview by region. Safeguards travel with units in their names (`ceilingTiynPerTonne`), mapped here from the
 * engine's settings, which the regulator's request bodies set under their short names (docs/api.md, "Conventions").
 */

import { Type } from "typebox";
import type { Safeguards } from "../../engine/safeguards.ts";
import { AUDIT_KINDS } from "../../projections/index.ts";
import {
  BPS,
  BUYER_CATEGORY,
  CHANGE,
  COUNT,
  DECIMAL,
  Enum,
  EPOCH_MS,
  KG,
  MEMBER_ROLE,
  Nullable,
  PHASE,
  PRICE_TIYN_PER_TONNE,
  SEQ,
  Strict,
  TEXT,
  TRADING_MODE,
} from "./base.ts";
import { CEILING_STEP, LIMITS_IN_FORCE, TRANSPORT } from "./market.ts";

export const CLEARING_TERMS = Strict({
  basis: TEXT,
  collateralBps: BPS,
  feeBps: BPS,
  paymentWindowMs: Type.Integer({ description: "ms" }),
  deliveryWindowMs: Type.Integer({ description: "ms" }),
  buyerDefaultCollateralTo: Enum(["seller", "exchange"] as const),
  sellerPenaltyBps: BPS,
});

export const DESCRIPTION = Strict({
  product: TEXT,
  basis: TEXT,
  region: TEXT,
  deliveryPeriod: TEXT,
  name: Type.Optional(TEXT),
  transport: Type.Optional(TRANSPORT),
});

export const SAFEGUARDS = Strict({
  bandBps: Nullable(BPS),
  breakerBps: Nullable(BPS),
  breakerAuctionMs: Type.Integer({ description: "ms" }),
  ceilingTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  floorTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  ceilingPath: Type.Array(CEILING_STEP),
  maxShareBps: Nullable(BPS),
  maxActiveOrders: Nullable(COUNT),
  maxLotsPerOrder: Nullable(COUNT),
  eligibleCategories: Nullable(Type.Array(BUYER_CATEGORY)),
  resumptionAuctionMs: Type.Integer({ description: "ms" }),
});

export function safeguardsWire(safeguards: Safeguards) {
  return {
    bandBps: safeguards.bandBps,
    breakerBps: safeguards.breakerBps,
    breakerAuctionMs: safeguards.breakerAuctionMs,
    ceilingTiynPerTonne: safeguards.ceiling,
    floorTiynPerTonne: safeguards.floor,
    ceilingPath: safeguards.ceilingPath.map((step) => ({
      effectiveFromMs: step.effectiveFromMs,
      ceilingTiynPerTonne: step.ceiling,
    })),
    maxShareBps: safeguards.maxShareBps,
    maxActiveOrders: safeguards.maxActiveOrders,
    maxLotsPerOrder: safeguards.maxLotsPerOrder,
    eligibleCategories: safeguards.eligibleCategories,
    resumptionAuctionMs: safeguards.resumptionAuctionMs,
  };
}

const TIME_OF_DAY = Type.String({ description: "HH:MM, exchange local time (UTC+5)" });
export const CALENDAR = Strict({
  sessions: Type.Array(Strict({ open: TIME_OF_DAY, close: TIME_OF_DAY })),
  preOpenMinutes: COUNT,
  weekends: Type.Boolean(),
  holidays: Type.Array(Type.String({ description: "YYYY-MM-DD" })),
  extraSessions: Type.Array(
    Strict({ date: Type.String({ description: "YYYY-MM-DD" }), open: TIME_OF_DAY, close: TIME_OF_DAY }),
  ),
});

export const CONSOLE_INSTRUMENT = Strict({
  instrument: TEXT,
  description: Nullable(DESCRIPTION),
  mode: TRADING_MODE,
  tickSizeTiynPerTonne: PRICE_TIYN_PER_TONNE,
  lotSizeKg: KG,
  listed: CHANGE,
  clearing: Nullable(CLEARING_TERMS),
  clearingChanged: Nullable(CHANGE),
  phase: PHASE,
  phaseChanged: Nullable(CHANGE),
  safeguards: SAFEGUARDS,
  safeguardsChanged: Nullable(CHANGE),
  limits: LIMITS_IN_FORCE,
  calendar: Nullable(CALENDAR),
  calendarChanged: Nullable(CHANGE),
});

export const MEMBER = Strict({
  member: TEXT,
  name: TEXT,
  roles: Type.Array(MEMBER_ROLE),
  buyerCategory: Nullable(BUYER_CATEGORY),
  suspended: Type.Boolean(),
  added: CHANGE,
  statusChanged: Nullable(CHANGE),
  accounts: Type.Array(TEXT),
});

export const ROLE = Enum(["operator", "regulator", "trader", "viewer", "administrator"] as const);
export const SCOPE = Enum(["read", "trade"] as const);

export const PUBLIC_USER = Strict({ id: TEXT, name: TEXT, role: ROLE, member: Nullable(TEXT) });
export const API_KEY = Strict({
  id: TEXT,
  user: TEXT,
  scopes: Type.Array(SCOPE),
  revoked: Type.Boolean(),
  sealedWithCurrentKey: Type.Boolean({
    description:
      "its secret is sealed with the exchange's secrets key in use; false: sealed with an older one, so reissue the key (create a new one, revoke this) before the older secrets key is retired",
  }),
});
export const USER = Strict({
  id: TEXT,
  name: TEXT,
  role: ROLE,
  member: Nullable(TEXT),
  disabled: Type.Boolean(),
  secondFactor: Type.Boolean({ description: "signs in with a second factor (TOTP) as well as the password" }),
  secondFactorSealedWithCurrentKey: Nullable(
    Type.Boolean({
      description:
        "null without a second factor; false: its secret is sealed with an older secrets key, so the user sets it up again before that key is retired",
    }),
  ),
  keys: Type.Array(API_KEY),
});

export const AUDIT_ENTRY = Strict({
  seq: SEQ,
  timeMs: EPOCH_MS,
  time: Type.String({ description: "UTC, ISO 8601" }),
  actor: Nullable(TEXT),
  role: Nullable(TEXT),
  source: Nullable(TEXT),
  requestId: Nullable(TEXT),
  commandType: TEXT,
  kind: Enum(AUDIT_KINDS),
  instrument: Nullable(TEXT),
  account: Nullable(TEXT),
  summary: TEXT,
  outcome: Enum(["accepted", "rejected"] as const),
  code: Nullable(TEXT),
  message: Nullable(TEXT),
  events: COUNT,
});

export const SUPPLY_STATUS = Strict({
  month: TEXT,
  producer: TEXT,
  basis: TEXT,
  plannedKg: DECIMAL,
  offeredKg: DECIMAL,
  soldKg: DECIMAL,
  shortfallKg: DECIMAL,
  unsoldKg: DECIMAL,
  offeredBps: Nullable(BPS),
});

const OVERVIEW_SESSION = Strict({
  session: COUNT,
  running: Type.Boolean(),
  startMs: EPOCH_MS,
  endMs: Nullable(EPOCH_MS),
  vwapTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  volumeKg: DECIMAL,
  valueTiyn: DECIMAL,
  valueMilliTiyn: DECIMAL,
  trades: COUNT,
});

export const OVERVIEW_INSTRUMENT = Strict({
  instrument: TEXT,
  region: TEXT,
  product: Nullable(TEXT),
  basis: Nullable(TEXT),
  phase: PHASE,
  lastPriceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  referencePriceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  changeTiynPerTonne: Nullable(Type.Integer()),
  changeBps: Nullable(Type.Integer()),
  session: Nullable(OVERVIEW_SESSION),
});

const RISER = Strict({
  instrument: TEXT,
  changeBps: Nullable(Type.Integer()),
  changeTiynPerTonne: Nullable(Type.Integer()),
});

export const OVERVIEW = Strict({
  asOfSeq: SEQ,
  risingFastest: Nullable(RISER),
  regions: Type.Array(
    Strict({
      region: TEXT,
      volumeKg: DECIMAL,
      valueTiyn: DECIMAL,
      vwapTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
      risingFastest: Nullable(RISER),
      instruments: Type.Array(OVERVIEW_INSTRUMENT),
    }),
  ),
});

const WEEKLY_FIGURES = {
  sessions: COUNT,
  trades: COUNT,
  volumeKg: DECIMAL,
  valueTiyn: DECIMAL,
  vwapTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  highTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  lowTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
};

/** The weekly statutory summary (reports/weekly.ts). */
export const WEEKLY_SUMMARY = Strict({
  week: Type.String({ description: "the Monday, YYYY-MM-DD, exchange local time" }),
  lastDay: Type.String({ description: "the Sunday" }),
  rows: Type.Array(Strict({ region: TEXT, basis: TEXT, ...WEEKLY_FIGURES })),
  total: Strict(WEEKLY_FIGURES),
  supply: Type.Array(SUPPLY_STATUS),
  offExchangeReported: Type.Boolean({ description: "false: off-exchange volumes are not reported to the exchange" }),
});
