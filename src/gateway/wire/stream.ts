/**
 * The WebSocket protocol's server messages (GET /api/stream), as schemas: acknowledgements, errors, snapshots and
 * updates of each channel, and pongs. They are published twice from this one source: as components of the OpenAPI
 * document (so the web application's types are generated from them) and as the messages of the AsyncAPI document
 * (docs/asyncapi.json). In tests every message a connection sends is checked against `SERVER_MESSAGE`.
 *
 * Channel bodies reuse the REST shapes: a book is GET …/book's, a quote GET /api/instruments/:id's quote fields,
 * orders, fills, balances and obligations the account views'. Snapshots carry the whole state of the key as of `seq`;
 * updates carry what changed in one durable batch.
 */

import { Type } from "typebox";
import { CHANNELS } from "../streams/protocol.ts";
import { BALANCE, FILL, OBLIGATION, ORDER } from "./accounts.ts";
import {
  CHANGE,
  COUNT,
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
import { SAFEGUARDS } from "./console.ts";
import { PRICE_LEVEL, QUOTE, TAPE_TRADE, TRADE_VOID_MARK } from "./market.ts";
import { NOTIFICATION } from "./notifications.ts";
import { ALERT } from "./surveillance.ts";

const REQUEST_ID = Nullable(Type.Union([Type.String(), Type.Integer()]));
const KIND = Enum(["snapshot", "update"] as const);

function channelMessage<const C extends string, P extends Record<string, import("typebox").TSchema>>(
  channel: C,
  properties: P,
) {
  return Strict({ type: KIND, channel: Type.Literal(channel), seq: SEQ, ...properties });
}

const PHASE_CHANGE = Strict({
  ...CHANGE.properties,
  from: Type.Optional(PHASE),
  to: Type.Optional(PHASE),
  auctionEndsAtMs: Type.Optional(Nullable(EPOCH_MS)),
});
const PHASE_BODY = { instrument: TEXT, mode: Nullable(TRADING_MODE), phase: PHASE, change: Nullable(PHASE_CHANGE) };
const SAFEGUARDS_BODY = {
  instrument: TEXT,
  safeguards: Nullable(SAFEGUARDS),
  change: Nullable(CHANGE),
  band: Nullable(Strict({ lowTiynPerTonne: PRICE_TIYN_PER_TONNE, highTiynPerTonne: PRICE_TIYN_PER_TONNE })),
  bandReferenceTiynPerTonne: Type.Optional(Nullable(PRICE_TIYN_PER_TONNE)),
  halted: Type.Boolean(),
};

export const STREAM_BOOK = channelMessage("book", {
  instrument: TEXT,
  depth: COUNT,
  bids: Type.Array(PRICE_LEVEL),
  asks: Type.Array(PRICE_LEVEL),
  marketBuyQueuedKg: KG,
  marketSellQueuedKg: KG,
});
export const STREAM_QUOTE = channelMessage("quote", { instrument: TEXT, quote: Nullable(QUOTE) });
export const STREAM_TRADES = channelMessage("trades", {
  instrument: TEXT,
  trades: Type.Array(TAPE_TRADE),
  /** A resumed subscription's snapshot: `trades` are every trade after this seq (the subscribe's `fromSeq`). */
  fromSeq: Type.Optional(SEQ),
});
/**
 * The public trades channel's correction: the operator voided a trade the channel already sent (or that is on the
 * tape); it stays on the tape, marked, and leaves the last price, candles, session results and indices.
 */
export const STREAM_TRADE_VOID = Strict({
  type: Type.Literal("void"),
  channel: Type.Literal("trades"),
  seq: SEQ,
  instrument: TEXT,
  tradeId: TEXT,
  voided: TRADE_VOID_MARK,
});
export const STREAM_PHASE = Type.Union([
  channelMessage("phase", PHASE_BODY),
  channelMessage("phase", { instrument: Type.Null(), instruments: Type.Array(Strict(PHASE_BODY)) }),
]);
export const STREAM_SAFEGUARDS = Type.Union([
  channelMessage("safeguards", SAFEGUARDS_BODY),
  channelMessage("safeguards", { instrument: Type.Null(), instruments: Type.Array(Strict(SAFEGUARDS_BODY)) }),
]);
export const STREAM_ORDERS = channelMessage("orders", { account: TEXT, orders: Type.Array(ORDER) });
export const STREAM_FILLS = channelMessage("fills", { account: TEXT, fills: Type.Array(FILL) });
export const STREAM_BALANCES = channelMessage("balances", { account: TEXT, balances: Type.Array(BALANCE) });
export const STREAM_OBLIGATIONS = channelMessage("obligations", { account: TEXT, obligations: Type.Array(OBLIGATION) });
/** The console's surveillance channel: the newest alerts standing, then each batch's alert changes. */
export const STREAM_SURVEILLANCE = Type.Union([
  channelMessage("surveillance", { total: COUNT, alerts: Type.Array(ALERT) }),
  channelMessage("surveillance", {
    changes: Type.Array(
      Type.Union([
        Strict({ change: Enum(["raised", "updated"] as const), alert: ALERT }),
        Strict({ change: Type.Literal("retracted"), id: TEXT, seq: SEQ }),
        // A case opened, joined, noted, reviewed or closed: the case is read again (GET /api/regulator/surveillance/cases/{id}).
        Strict({
          change: Type.Literal("case"),
          caseId: TEXT,
          status: Enum(["open", "under-review", "closed"] as const),
          seq: SEQ,
        }),
      ]),
    ),
  }),
]);

/** The signed-in member's notifications: the newest (oldest first) with the unread count, then each new one. */
export const STREAM_NOTIFICATIONS = channelMessage("notifications", {
  member: TEXT,
  unread: COUNT,
  notifications: Type.Array(NOTIFICATION),
});

const CHANNEL = Enum(CHANNELS);
const ORDER_TRADE = Strict({
  tradeId: TEXT,
  priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
  quantityKg: KG,
  aggressor: Nullable(SIDE),
});

export const STREAM_ACK = Type.Union([
  Strict({
    type: Type.Literal("ack"),
    id: REQUEST_ID,
    op: Enum(["subscribe", "unsubscribe"] as const),
    channel: CHANNEL,
    instrument: Type.Optional(Nullable(TEXT)),
    account: Type.Optional(TEXT),
    wasSubscribed: Type.Optional(Type.Boolean()),
  }),
  Strict({
    type: Type.Literal("ack"),
    id: REQUEST_ID,
    op: Type.Literal("session"),
    cancelOnDisconnect: Type.Boolean(),
    csrf: Enum(["not-needed", "verified", "missing"] as const),
  }),
  Strict({
    type: Type.Literal("ack"),
    id: REQUEST_ID,
    op: Enum(["order.new", "order.amend", "order.cancel"] as const),
    seq: SEQ,
    order: Nullable(ORDER),
    trades: Type.Array(ORDER_TRADE),
    duplicate: Type.Optional(Type.Boolean()),
  }),
]);

export const STREAM_ERROR = Strict({
  type: Type.Literal("error"),
  id: REQUEST_ID,
  op: Nullable(TEXT),
  seq: Type.Optional(SEQ),
  error: Strict({ code: TEXT, message: TEXT, details: Type.Record(Type.String(), Type.Unknown()) }),
});

export const STREAM_PONG = Strict({ type: Type.Literal("pong"), id: REQUEST_ID, timeMs: EPOCH_MS });

/** Every message the server sends on a stream, by name (the names of the OpenAPI components and AsyncAPI messages). */
export const STREAM_MESSAGES = {
  StreamBook: STREAM_BOOK,
  StreamQuote: STREAM_QUOTE,
  StreamTrades: STREAM_TRADES,
  StreamTradeVoid: STREAM_TRADE_VOID,
  StreamPhase: STREAM_PHASE,
  StreamSafeguards: STREAM_SAFEGUARDS,
  StreamOrders: STREAM_ORDERS,
  StreamFills: STREAM_FILLS,
  StreamBalances: STREAM_BALANCES,
  StreamObligations: STREAM_OBLIGATIONS,
  StreamSurveillance: STREAM_SURVEILLANCE,
  StreamNotifications: STREAM_NOTIFICATIONS,
  StreamAck: STREAM_ACK,
  StreamError: STREAM_ERROR,
  StreamPong: STREAM_PONG,
} as const;

export const SERVER_MESSAGE = Type.Union(Object.values(STREAM_MESSAGES));
