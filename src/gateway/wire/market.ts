/**
 * Response schemas of public market data: quotes, instruments as the public sees them, book depth, trades, candles,
 * session results and price indices, and the limits in force that every caller may read. Prices are tiyn per tonne,
 * quantities kg, money tiyn; sums that may exceed 2^53 are decimal strings.
 */

import { Type } from "typebox";
import { TRANSPORT_UNIT_KG_MAX, TRANSPORT_UNIT_KG_MIN } from "../../domain/instrument.ts";
import { CANDLE_INTERVALS } from "../../projections/index.ts";
import {
  BPS,
  CHANGE,
  COUNT,
  DECIMAL,
  Enum,
  EPOCH_MS,
  KG,
  Nullable,
  PHASE,
  PRICE_TIYN_PER_TONNE,
  SEQ,
  SIDE,
  Strict,
  TEXT,
  TRADING_MODE,
} from "./base.ts";

export const PRICE_LEVEL = Strict({ priceTiynPerTonne: PRICE_TIYN_PER_TONNE, quantityKg: KG, orders: COUNT });

export const INDICATIVE = Strict(
  {
    priceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
    volumeKg: KG,
    surplusKg: KG,
    surplusSide: Nullable(SIDE),
    needsReference: Nullable(TEXT),
  },
  { description: "the price the running call auction would clear at now" },
);

export const AUCTION_RESULT = Strict({
  seq: SEQ,
  timeMs: EPOCH_MS,
  priceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  volumeKg: KG,
  surplusKg: KG,
  surplusSide: Nullable(SIDE),
});

const QUOTE_FIELDS = {
  instrument: TEXT,
  mode: Nullable(TRADING_MODE),
  phase: PHASE,
  lastPriceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  lastQuantityKg: Nullable(KG),
  lastTradeTimeMs: Nullable(EPOCH_MS),
  referencePriceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  changeTiynPerTonne: Nullable(Type.Integer()),
  changeBps: Nullable(Type.Integer()),
  bestBid: Nullable(PRICE_LEVEL),
  bestAsk: Nullable(PRICE_LEVEL),
  spreadTiynPerTonne: Nullable(Type.Integer()),
  marketBuyQueuedKg: KG,
  marketSellQueuedKg: KG,
  indicative: Nullable(INDICATIVE),
  lastAuction: Nullable(AUCTION_RESULT),
};

export const QUOTE = Strict(QUOTE_FIELDS);

/** How gas leaves the plant: road tank trucks or rail tank cars, and the unit a lot is a whole number of. */
export const TRANSPORT = Strict({
  mode: Type.Union([Type.Literal("road"), Type.Literal("rail")]),
  unitKg: Type.Integer({ minimum: TRANSPORT_UNIT_KG_MIN, maximum: TRANSPORT_UNIT_KG_MAX, description: "kg" }),
});

export const INSTRUMENT_INFO = Strict({
  instrument: TEXT,
  product: TEXT,
  basis: TEXT,
  region: TEXT,
  deliveryPeriod: Type.String({ description: "YYYY-MM" }),
  name: Type.Optional(TEXT),
  transport: Type.Optional(TRANSPORT),
});

/**
 * An instrument's delivery terms (docs/delivery.md §7): EXW the producing plant, to the destination region in the
 * delivery month, within the delivery window after a trade; transport as the instrument says (null: not stated).
 */
export const DELIVERY_TERMS = Strict({
  incoterm: Enum(["EXW"] as const),
  basis: TEXT,
  region: TEXT,
  deliveryPeriod: Type.String({ description: "YYYY-MM" }),
  deliveryWindowMs: Nullable(Type.Integer({ description: "ms; null on an instrument without clearing terms" })),
  transport: Nullable(
    Strict({
      mode: Type.Union([Type.Literal("road"), Type.Literal("rail")]),
      unitKg: KG,
      unitsPerLot: Nullable(COUNT),
    }),
  ),
});

export const CEILING_STEP = Strict({ effectiveFromMs: EPOCH_MS, ceilingTiynPerTonne: PRICE_TIYN_PER_TONNE });

/** The limits an order meets now (one read-side owner computes them; see docs/market-rules.md). */
export const LIMITS_IN_FORCE = Strict({
  bandReferenceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  band: Nullable(Strict({ lowTiynPerTonne: PRICE_TIYN_PER_TONNE, highTiynPerTonne: PRICE_TIYN_PER_TONNE })),
  staticBand: Type.Union(
    [Strict({ lowTiynPerTonne: PRICE_TIYN_PER_TONNE, highTiynPerTonne: PRICE_TIYN_PER_TONNE }), Type.Null()],
    {
      description:
        "the day's static band (±bandBps around the band reference) before the ceiling and the floor clamp it into " +
        "`band`; a ceiling at or below its low leaves one price that can trade (docs/market-rules.md)",
    },
  ),
  ceilingTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  floorTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  ceilingStepsToCome: Type.Array(CEILING_STEP),
  maxShareBps: Nullable(BPS),
  maxLotsPerOrder: Nullable(
    Type.Integer({ minimum: 1, description: "the regulator's most lots in one order; null: no limit" }),
  ),
});

export const NEXT_PHASE = Strict({
  phase: Enum(["collection", "continuous", "closed"] as const),
  atMs: EPOCH_MS,
  auction: Type.Boolean(),
});

/** An instrument as the public sees it: quote, listing, trading rules, limits in force, phase and session figures. */
export const PUBLIC_INSTRUMENT = Strict({
  ...QUOTE_FIELDS,
  info: Nullable(INSTRUMENT_INFO),
  deliveryTerms: Nullable(DELIVERY_TERMS),
  tickSizeTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  lotSizeKg: Nullable(KG),
  clearing: Nullable(Strict({ basis: TEXT, collateralBps: BPS, feeBps: BPS })),
  limits: Nullable(LIMITS_IN_FORCE),
  phaseChanged: Nullable(CHANGE),
  nextPhase: Nullable(NEXT_PHASE),
  session: Nullable(
    Strict({
      weightedAveragePriceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
      volumeKg: DECIMAL,
      trades: COUNT,
    }),
  ),
});

export const BOOK = Strict({
  instrument: TEXT,
  bids: Type.Array(PRICE_LEVEL),
  asks: Type.Array(PRICE_LEVEL),
  marketBuyQueuedKg: KG,
  marketSellQueuedKg: KG,
});

export const TRADE_VOID_MARK = Strict(
  {
    seq: SEQ,
    timeMs: EPOCH_MS,
    reason: Type.String({ description: "why the operator voided it, as written" }),
    rule: Type.String({ description: "the rule of the rulebook the trade broke" }),
  },
  { description: "when and why the operator voided the trade (`trade.void`)" },
);

export const TAPE_TRADE = Strict({
  seq: SEQ,
  timeMs: EPOCH_MS,
  tradeId: TEXT,
  instrument: TEXT,
  priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
  quantityKg: KG,
  aggressor: Nullable(SIDE),
  /** A negotiated (addressed) trade, registered through the exchange off the book; absent for book trades. */
  negotiated: Type.Optional(Type.Literal(true)),
  /** Present once the operator voided the trade: it stays on the tape, left out of every published figure. */
  voided: Type.Optional(TRADE_VOID_MARK),
});

export const CANDLE_INTERVAL = Enum(CANDLE_INTERVALS);

export const CANDLE = Strict({
  instrument: TEXT,
  interval: CANDLE_INTERVAL,
  startMs: EPOCH_MS,
  endMs: EPOCH_MS,
  openTiynPerTonne: PRICE_TIYN_PER_TONNE,
  highTiynPerTonne: PRICE_TIYN_PER_TONNE,
  lowTiynPerTonne: PRICE_TIYN_PER_TONNE,
  closeTiynPerTonne: PRICE_TIYN_PER_TONNE,
  volumeKg: DECIMAL,
  valueMilliTiyn: DECIMAL,
  valueTiyn: DECIMAL,
  vwapTiynPerTonne: PRICE_TIYN_PER_TONNE,
  trades: COUNT,
});

export const SESSION_RESULT = Strict({
  instrument: TEXT,
  session: COUNT,
  startSeq: SEQ,
  startMs: EPOCH_MS,
  endSeq: Nullable(SEQ),
  endMs: Nullable(EPOCH_MS),
  referencePriceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  openTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  highTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  lowTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  closeTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  vwapTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  trades: COUNT,
  volumeKg: DECIMAL,
  valueMilliTiyn: DECIMAL,
  valueTiyn: DECIMAL,
  offeredKg: DECIMAL,
  bidKg: DECIMAL,
  buyers: COUNT,
  sellers: COUNT,
  /** Present once a trade of the session was voided; the figures above leave voided trades out. */
  voids: Type.Optional(
    Strict(
      {
        trades: COUNT,
        volumeKg: DECIMAL,
        valueMilliTiyn: DECIMAL,
        lastSeq: SEQ,
        lastMs: EPOCH_MS,
        revisedSeq: Nullable(SEQ),
        revisedMs: Nullable(EPOCH_MS),
      },
      {
        description:
          "what voided trades took out of the results, and when; `revisedMs` is set when a void came after the " +
          "close, so the published result was revised then",
      },
    ),
  ),
});

export const INDEX_ROW = Strict({
  day: Type.String({ description: "YYYY-MM-DD, exchange local time" }),
  product: TEXT,
  scope: Enum(["basis", "region", "basis-region", "national"] as const),
  key: TEXT,
  priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
  volumeKg: DECIMAL,
  valueTiyn: DECIMAL,
  sessions: COUNT,
  /** Present when a void revised one of the day's sessions after it was published: the newest revision's time. */
  revisedMs: Type.Optional(EPOCH_MS),
});

export const BULLETIN_SESSION = Strict({
  ...SESSION_RESULT.properties,
  product: TEXT,
  basis: TEXT,
  region: TEXT,
});

export const BULLETIN_CONTROL = Strict({
  seq: SEQ,
  timeMs: EPOCH_MS,
  action: Enum(["safeguards.set", "halt", "resume"] as const),
  instrument: Nullable(TEXT),
  summary: Type.String({ description: "what was done and why, as the audit trail says it" }),
});

const SIDE_CONCENTRATION = Strict({
  participants: Type.Integer({ minimum: 0, description: "members that traded on this side" }),
  top5ShareBps: Type.Integer({ minimum: 0, maximum: 10_000, description: "share of the five largest, basis points" }),
  hhi: Type.Integer({ minimum: 0, maximum: 10_000, description: "Herfindahl–Hirschman index, 0 to 10,000" }),
});

export const PARTICIPATION_ROW = Strict({
  instrument: TEXT,
  month: Type.String({ description: "YYYY-MM, exchange local time" }),
  trades: COUNT,
  volumeKg: DECIMAL,
  buyers: SIDE_CONCENTRATION,
  sellers: SIDE_CONCENTRATION,
});

export const INDEX_WEIGHT = Strict({
  basis: TEXT,
  weight: Type.Integer({ minimum: 0, description: "the basis's weight in the national index (tonnes per month)" }),
});

/** The limits in force on the wire: ceiling steps with their unit named. */
export function limitsWire(limits: {
  readonly bandReferenceTiynPerTonne: number | null;
  readonly band: { readonly lowTiynPerTonne: number; readonly highTiynPerTonne: number } | null;
  readonly staticBand: { readonly lowTiynPerTonne: number; readonly highTiynPerTonne: number } | null;
  readonly ceilingTiynPerTonne: number | null;
  readonly floorTiynPerTonne: number | null;
  readonly ceilingStepsToCome: readonly { readonly effectiveFromMs: number; readonly ceiling: number }[];
  readonly maxShareBps: number | null;
  readonly maxLotsPerOrder: number | null;
}) {
  return {
    bandReferenceTiynPerTonne: limits.bandReferenceTiynPerTonne,
    band: limits.band,
    staticBand: limits.staticBand,
    ceilingTiynPerTonne: limits.ceilingTiynPerTonne,
    floorTiynPerTonne: limits.floorTiynPerTonne,
    ceilingStepsToCome: limits.ceilingStepsToCome.map((step) => ({
      effectiveFromMs: step.effectiveFromMs,
      ceilingTiynPerTonne: step.ceiling,
    })),
    maxShareBps: limits.maxShareBps,
    maxLotsPerOrder: limits.maxLotsPerOrder,
  };
}

/** A response that is JSON by default and CSV with `format=csv`. */
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A 200 response as JSON, CSV, an XLSX workbook or a PDF document. */
export function withDocuments(schema: object, description: string) {
  const json = jsonOrCsv(schema, description);
  return {
    ...json,
    content: {
      ...json.content,
      [XLSX_TYPE]: { schema: Type.String({ format: "binary", description: "an Excel workbook" }) },
      "application/pdf": { schema: Type.String({ format: "binary", description: "a PDF document, fonts embedded" }) },
    },
  };
}

export function jsonOrCsv(schema: object, description: string) {
  return {
    description,
    content: {
      "application/json": { schema },
      "text/csv": { schema: Type.String({ description: "the same rows as CSV, with a header line" }) },
    },
  };
}

const DATE_TEXT = Type.String({ description: "YYYY-MM-DD, exchange local time" });
const HH_MM = Type.String({ description: "HH:MM, exchange local time (UTC+5)" });

/** One day of the published schedule. */
export const SCHEDULE_DAY = Strict({
  date: DATE_TEXT,
  sessions: Type.Array(Strict({ open: HH_MM, close: HH_MM })),
  inNoticeWindow: Type.Boolean({
    description: "inside the notice window: a change to this day's sessions is published as short-notice",
  }),
});

/** A calendar change as the public sees it. */
export const CALENDAR_CHANGE = Strict({
  seq: SEQ,
  timeMs: EPOCH_MS,
  reason: Nullable(TEXT),
  shortNotice: Type.Boolean({ description: "the change altered days inside the notice window" }),
  shortNoticeDates: Type.Array(DATE_TEXT, { description: "the days inside the notice window it altered" }),
});

export const PUBLIC_CALENDAR = Strict({
  instrument: TEXT,
  noticeWorkingDays: COUNT,
  noticeWindowEnd: Nullable(DATE_TEXT),
  days: Type.Array(SCHEDULE_DAY),
  changes: Type.Array(CALENDAR_CHANGE),
});
