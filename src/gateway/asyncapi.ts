/**
 * The AsyncAPI 3 document of the WebSocket protocol (GET /api/stream), built from the same schemas the server checks
 * its messages against (streams/protocol.ts for what clients send, wire/stream.ts for what the server sends), and
 * served at /api/asyncapi.json. docs/asyncapi.json is this document, refreshed by `npm run api:contract`.
 */

import { CLIENT_MESSAGES } from "./streams/protocol.ts";
import { STREAM_MESSAGES } from "./wire/stream.ts";

const SUMMARIES: Readonly<Record<string, string>> = {
  StreamSubscribe:
    "Subscribe to a channel: public book, trades, quote, phase, safeguards; private orders, fills, balances, obligations; the consoles' surveillance; the signed-in member's notifications",
  StreamUnsubscribe: "Drop a subscription",
  StreamOrderNew: "Place an order: the body of POST /api/orders with op and id; acknowledged once durable",
  StreamOrderAmend: "Amend an order: new price and/or new open quantity",
  StreamOrderCancel: "Cancel an order",
  StreamSession: "The session's CSRF token (browsers, first message only) and cancel-on-disconnect",
  StreamPing: "Ask for a pong with the server's time",
  StreamBook: "Book depth: the snapshot after a subscribe, then the capped depth after every batch that changed it",
  StreamQuote: "The quote with the indicative auction price",
  StreamTrades: "Trades, oldest first (a voided one carries `voided`)",
  StreamTradeVoid:
    "A correction on the trades channel: the operator voided a trade (`trade.voided`); it stays on the tape, marked, and leaves the last price, candles, session results and indices",
  StreamPhase: "Trading phase and its last change (a halt with its reason)",
  StreamSafeguards: "Safeguards with the band in force",
  StreamOrders: "An account's orders (snapshot: resting ones; update: those that changed)",
  StreamFills: "An account's fills, oldest first",
  StreamBalances: "An account's balances (the whole list)",
  StreamObligations: "An account's clearing obligations",
  StreamSurveillance:
    "Surveillance alerts for the operator and the regulator (snapshot: the newest standing; update: raised, updated, retracted)",
  StreamNotifications:
    "The signed-in member's notifications (snapshot: the newest, oldest first, and the unread count; update: each new one)",
  StreamAck:
    "The acknowledgement of a client message; for orders after the command is durable (`order` is null while the read models load after a restart)",
  StreamError: "A refused message, with the error registry's code and sentence",
  StreamPong: "The answer to a ping",
};

function messages(source: Readonly<Record<string, object>>) {
  return Object.fromEntries(
    Object.entries(source).map(([name, payload]) => [
      name,
      { name, summary: SUMMARIES[name] ?? name, contentType: "application/json", payload: plain(payload) },
    ]),
  );
}

/** A schema as plain JSON (TypeBox values may carry symbols). */
function plain(schema: object): unknown {
  return JSON.parse(JSON.stringify(schema));
}

const refs = (names: readonly string[]) => names.map((name) => ({ $ref: `#/channels/stream/messages/${name}` }));

export function asyncApiDocument() {
  const client = Object.keys(CLIENT_MESSAGES);
  const server = Object.keys(STREAM_MESSAGES);
  return {
    asyncapi: "3.0.0",
    info: {
      title: "sauda exchange streams",
      version: "1",
      description:
        "WebSocket at /api/stream: public market data, a member's orders, fills, balances and obligations, and order entry. " +
        "Prices are integer tiyn per tonne, quantities integer kg, money integer tiyn; totals that may exceed 2^53 are decimal strings. " +
        "Authentication: none (public channels), the session cookie (order entry needs the CSRF token), or an API key's signed upgrade request. " +
        "While the read models load after a restart, order entry is served and `subscribe` and cancel-on-disconnect answer VIEWS_LOADING. " +
        "Limits and close codes: docs/api.md, section WebSocket.",
    },
    servers: {
      exchange: { host: "localhost:8080", protocol: "ws", pathname: "/api/stream", description: "a local exchange" },
    },
    channels: {
      stream: {
        address: "/api/stream",
        messages: Object.fromEntries(
          [...client, ...server].map((name) => [name, { $ref: `#/components/messages/${name}` }]),
        ),
      },
    },
    operations: {
      receiveClientMessages: {
        action: "receive",
        channel: { $ref: "#/channels/stream" },
        summary: "What a client sends",
        messages: refs(client),
      },
      sendServerMessages: {
        action: "send",
        channel: { $ref: "#/channels/stream" },
        summary: "What the exchange sends",
        messages: refs(server),
      },
    },
    components: { messages: { ...messages(CLIENT_MESSAGES), ...messages(STREAM_MESSAGES) } },
  };
}
