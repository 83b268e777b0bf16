/**
 * Wire schemas of the exchange's documents (src/reports): the exchange contract's JSON form, the check of a copy's
 * hash, the daily statement and the VAT schedule. Money is whole tiyn; sums that may exceed 2^53 are decimal strings.
 */

import { Type } from "typebox";
import { DOCUMENT_LANGUAGES } from "../../reports/labels.ts";
import {
  BPS,
  COUNT,
  DECIMAL,
  Enum,
  EPOCH_MS,
  KG,
  Nullable,
  PRICE_TIYN_PER_TONNE,
  SEQ,
  SIDE,
  Strict,
  TEXT,
  TIYN,
} from "./base.ts";

const SHA256 = Type.String({ pattern: "^[0-9a-f]{64}$", description: "SHA-256, 64 lowercase hex digits" });
const ISO_TIME = Type.String({ description: "UTC time, ISO 8601" });
const ISO_DATE = Type.String({ description: "YYYY-MM-DD, exchange time (UTC+5)" });

const CONTRACT_PARTY = Strict({
  member: TEXT,
  name: TEXT,
  bin: Nullable(Type.String({ pattern: "^\\d{12}$", description: "BIN, 12 digits; null when none is recorded" })),
  account: TEXT,
  client: Nullable(TEXT),
});

export const CONTRACT = Strict({
  document: Type.Literal("sauda.exchange-contract"),
  version: Type.Integer({ minimum: 1 }),
  contract: Type.String({ description: "the contract's number: `EC-` and the trade id without `T-`" }),
  trade: TEXT,
  journalSeq: SEQ,
  tradeTime: ISO_TIME,
  tradeDate: ISO_DATE,
  instrument: Strict({
    id: TEXT,
    product: Nullable(TEXT),
    basis: Nullable(TEXT),
    region: Nullable(TEXT),
    deliveryPeriod: Nullable(TEXT),
    name: Nullable(TEXT),
  }),
  seller: CONTRACT_PARTY,
  buyer: CONTRACT_PARTY,
  priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
  quantityKg: KG,
  valueWithoutVatTiyn: DECIMAL,
  vatRateBps: BPS,
  vatTiyn: DECIMAL,
  valueWithVatTiyn: DECIMAL,
  delivery: Strict({
    terms: TEXT,
    basis: Nullable(TEXT),
    region: Nullable(TEXT),
    period: Nullable(TEXT),
    paymentDue: Nullable(ISO_TIME),
    deliveryDue: Nullable(ISO_TIME),
    transport: Type.Optional(
      Strict({
        mode: Type.Union([Type.Literal("road"), Type.Literal("rail")]),
        unitKg: KG,
        units: COUNT,
      }),
    ),
  }),
  clearing: Nullable(
    Strict({
      obligation: TEXT,
      collateralTiyn: TIYN,
      buyerFeeTiyn: TIYN,
      sellerFeeTiyn: TIYN,
      sellerPenaltyBps: BPS,
      buyerDefaultCollateralTo: Enum(["seller", "exchange"] as const),
    }),
  ),
  rulebook: TEXT,
});

export const CONTRACT_RESULT = Strict({
  contract: CONTRACT,
  sha256: { ...SHA256, description: "SHA-256 of the contract's RFC 8785 canonical JSON" },
});

export const DOCUMENT_LANGUAGE = Enum(DOCUMENT_LANGUAGES, "kk Kazakh, ru Russian, en English (a working copy)");

export const CONTRACT_CHECK = Strict({
  trade: TEXT,
  sha256: SHA256,
  match: Type.Boolean({ description: "the hash is that of this trade's contract in one of its forms" }),
  form: Nullable(Enum(["json", "pdf-kk", "pdf-ru", "pdf-en"] as const)),
  contractSha256: { ...SHA256, description: "the JSON form's SHA-256, for reference" },
});

const STATEMENT_TRADE = Strict({
  tradeId: TEXT,
  contract: TEXT,
  time: ISO_TIME,
  instrument: TEXT,
  side: SIDE,
  priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
  quantityKg: KG,
  valueWithoutVatTiyn: DECIMAL,
  vatRateBps: BPS,
  vatTiyn: DECIMAL,
  valueWithVatTiyn: DECIMAL,
  voided: Type.Boolean(),
});

const STATEMENT_OBLIGATION = Strict({
  obligation: TEXT,
  tradeId: TEXT,
  role: Enum(["buyer", "seller"] as const),
  quantityKg: KG,
  valueWithoutVatTiyn: DECIMAL,
  vatTiyn: DECIMAL,
  valueWithVatTiyn: DECIMAL,
  collateralTiyn: TIYN,
  feeTiyn: TIYN,
  paid: Type.Boolean(),
  delivered: Type.Boolean(),
  status: TEXT,
  paymentDue: ISO_TIME,
  deliveryDue: ISO_TIME,
  createdToday: Type.Boolean(),
  defaultedParty: Nullable(Enum(["buyer", "seller"] as const)),
  forfeitedTiyn: TIYN,
  penaltyTiyn: TIYN,
  claimTiyn: TIYN,
  updated: ISO_TIME,
});

const STATEMENT_DELIVERY = Strict({
  shipment: TEXT,
  obligation: TEXT,
  role: Enum(["buyer", "seller"] as const),
  quantityKg: KG,
  vehicle: TEXT,
  waybill: TEXT,
  dispatched: ISO_TIME,
  station: Nullable(TEXT),
  arrived: Nullable(ISO_TIME),
  diversion: Type.Array(TEXT),
});

const STATEMENT_TOTALS = Strict({
  boughtKg: KG,
  soldKg: KG,
  boughtWithoutVatTiyn: DECIMAL,
  boughtVatTiyn: DECIMAL,
  soldWithoutVatTiyn: DECIMAL,
  soldVatTiyn: DECIMAL,
  feesTiyn: DECIMAL,
  collateralTiyn: DECIMAL,
  dispatchedKg: KG,
  arrivedKg: KG,
});

export const STATEMENT = Strict({
  document: Type.Literal("sauda.daily-statement"),
  date: ISO_DATE,
  member: TEXT,
  memberName: TEXT,
  bin: Nullable(TEXT),
  scope: Enum(["account", "member"] as const),
  accounts: Type.Array(
    Strict({
      account: TEXT,
      client: Nullable(TEXT),
      trades: Type.Array(STATEMENT_TRADE),
      obligations: Type.Array(STATEMENT_OBLIGATION),
      deliveries: Type.Array(STATEMENT_DELIVERY),
      totals: STATEMENT_TOTALS,
    }),
  ),
});

export const VAT_ENTRY = Strict({
  from: ISO_DATE,
  rateBps: BPS,
  seq: SEQ,
  timeMs: EPOCH_MS,
  reason: TEXT,
});

export const VAT_SCHEDULE = Strict({
  defaultRateBps: BPS,
  rateTodayBps: BPS,
  today: ISO_DATE,
  schedule: Type.Array(VAT_ENTRY),
});
