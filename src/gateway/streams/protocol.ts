/**
 * The WebSocket protocol's vocabulary: the limits (each a named constant with its unit), the close codes, the schema
 * of every client message and the one function that turns a received frame into a checked message or a problem.
 *
 * Client messages are validated as strictly as REST bodies: JSON objects only, no type coercion, unknown fields are
 * errors, strings and numbers within the same limits as the REST schemas (an order message is exactly the body of
 * POST /api/orders plus `op` and `id`). The protocol itself is described in routes/streams.ts and docs/api.md.
 */

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { type Static, Type } from "typebox";
import { HttpProblem, validationDetails } from "../errors.ts";
import { nonFinitePath } from "../input.ts";
import { ACCOUNT_ID, CLIENT_ORDER_ID, ID, PRICE, QUANTITY } from "../routes/common.ts";
import { NEW_ORDER, ORDER_TYPE } from "../routes/orders.ts";

// ---------------------------------------------------------------------------------------------------------------
// Limits.

/** Subscriptions one connection may hold at once. */
export const SUBSCRIPTIONS_PER_CONNECTION_MAX = 64;
/** Open connections in all, and per signed-in user (the public is limited by the connect rate per address). */
export const CONNECTIONS_MAX = 10_000;
export const CONNECTIONS_PER_USER_MAX = 64;
/**
 * Bytes a connection may have waiting to be sent. A client that reads slower than its subscriptions produce is
 * disconnected (`CLOSE_SLOW_CONSUMER`) rather than buffered without bound.
 */
export const SEND_BUFFER_BYTES_MAX = 4 * 1024 * 1024;
/** Order messages (new, amend, cancel) per second per connection, with a burst of the same size. */
export const ORDERS_PER_SECOND_MAX = 1000;
/** Other messages (subscribe, unsubscribe, session, ping, and anything invalid) per second per connection. */
export const MESSAGES_PER_SECOND_MAX = 200;
/**
 * Backpressure: when this many commands wait for the journal, connections that send orders stop being read (TCP then
 * pushes back on the client) until the backlog is down to `SEQUENCER_BACKLOG_RESUME_COMMANDS`. Reading on while the
 * journal cannot keep up would only spend the CPU it needs on refusing messages (receive livelock).
 */
export const SEQUENCER_BACKLOG_PAUSE_COMMANDS = 5_000;
export const SEQUENCER_BACKLOG_RESUME_COMMANDS = 1_000;
/** Live orders one connection may guard with cancel-on-disconnect. */
export const CANCEL_ON_DISCONNECT_ORDERS_MAX = 10_000;
/** Book depth a subscription may ask for (levels per side), and the default. */
export const BOOK_DEPTH_MAX = 50;
export const BOOK_DEPTH_DEFAULT = 10;
/** Items in a snapshot of the event channels. */
export const TRADES_SNAPSHOT_MAX = 50;
export const FILLS_SNAPSHOT_MAX = 50;
export const ORDERS_SNAPSHOT_MAX = 200;
export const OBLIGATIONS_SNAPSHOT_MAX = 100;
/**
 * How far back a `trades` subscription may resume (`fromSeq`): records between it and the node's last applied one. A
 * client further behind subscribes without `fromSeq` (a snapshot) and reads the rest with GET …/trades.
 */
export const RESUME_RECORDS_MAX = 100_000;
/** How long a resume waits for this node to apply the record the client had already seen (a follower behind). */
export const RESUME_WAIT_MS = 5_000;
/** How often the server pings; a connection that has not answered the previous ping is cut. */
export const HEARTBEAT_INTERVAL_MS = 15_000;
/** After a close frame, how long a peer has to finish the closing handshake before its socket is destroyed. */
export const CLOSE_GRACE_MS = 1000;
export const CSRF_TOKEN_LENGTH_MAX = 128;

// ---------------------------------------------------------------------------------------------------------------
// Close codes (1000–1015 are the standard's; 4000–4999 are this application's).

/** The send queue passed `SEND_BUFFER_BYTES_MAX`. */
export const CLOSE_SLOW_CONSUMER = 4001;
/** The session was signed out or expired, or the API key was revoked, while connected. */
export const CLOSE_SIGNED_OUT = 4401;
/** A wrong CSRF token: the connection is not trusted with anything more. */
export const CLOSE_POLICY = 1008;
/** Too many connections; try again later. */
export const CLOSE_TRY_AGAIN_LATER = 1013;

// ---------------------------------------------------------------------------------------------------------------
// Channels.

export const PUBLIC_CHANNELS = ["book", "trades", "quote", "phase", "safeguards"] as const;
export const PRIVATE_CHANNELS = ["orders", "fills", "balances", "obligations"] as const;
/** The consoles' channels: no instrument or account; the operator and the regulator may subscribe. */
export const CONSOLE_CHANNELS = ["surveillance"] as const;
/** The signed-in user's own member's channels: no instrument or account (the member is the user's). */
export const MEMBER_CHANNELS = ["notifications"] as const;
export const CHANNELS = [...PUBLIC_CHANNELS, ...PRIVATE_CHANNELS, ...CONSOLE_CHANNELS, ...MEMBER_CHANNELS] as const;
export type PublicChannel = (typeof PUBLIC_CHANNELS)[number];
export type PrivateChannel = (typeof PRIVATE_CHANNELS)[number];
export type ConsoleChannel = (typeof CONSOLE_CHANNELS)[number];
export type MemberChannel = (typeof MEMBER_CHANNELS)[number];
export type Channel = (typeof CHANNELS)[number];
/** Channels that may be subscribed for all instruments at once (no `instrument`). */
export const ALL_INSTRUMENTS_CHANNELS: readonly Channel[] = ["phase", "safeguards"];
/** The key of an all-instruments subscription. */
export const ALL_INSTRUMENTS = "*";

export function isPublicChannel(channel: Channel): channel is PublicChannel {
  return (PUBLIC_CHANNELS as readonly string[]).includes(channel);
}

export function isConsoleChannel(channel: Channel): channel is ConsoleChannel {
  return (CONSOLE_CHANNELS as readonly string[]).includes(channel);
}

export function isMemberChannel(channel: Channel): channel is MemberChannel {
  return (MEMBER_CHANNELS as readonly string[]).includes(channel);
}

/** Notifications in the notifications channel's snapshot (the newest). */
export const NOTIFICATIONS_SNAPSHOT_MAX = 50;

/** The key of a console channel's one subscription. */
export const CONSOLE_KEY = "*";
/** Alerts in the surveillance channel's snapshot (the newest raised or updated). */
export const ALERTS_SNAPSHOT_MAX = 200;

// ---------------------------------------------------------------------------------------------------------------
// Client messages.

const REQUEST_ID = Type.Union([
  Type.String({ minLength: 1, maxLength: 64 }),
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
]);
const CHANNEL = Type.Enum(CHANNELS);

const SUBSCRIBE = Type.Object(
  {
    op: Type.Literal("subscribe"),
    id: Type.Optional(REQUEST_ID),
    channel: CHANNEL,
    instrument: Type.Optional(ID),
    account: Type.Optional(ACCOUNT_ID),
    depth: Type.Optional(Type.Integer({ minimum: 1, maximum: BOOK_DEPTH_MAX })),
    /**
     * Trades channel: resume after the record with this seq (the last one the client saw, on any node): the
     * snapshot then holds every trade after it, so that nothing is missed across a reconnection.
     */
    fromSeq: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { additionalProperties: false },
);

const UNSUBSCRIBE = Type.Object(
  {
    op: Type.Literal("unsubscribe"),
    id: Type.Optional(REQUEST_ID),
    channel: CHANNEL,
    instrument: Type.Optional(ID),
    account: Type.Optional(ACCOUNT_ID),
  },
  { additionalProperties: false },
);

const ORDER_NEW = Type.Object(
  { ...NEW_ORDER.properties, type: ORDER_TYPE, op: Type.Literal("order.new"), id: REQUEST_ID },
  { additionalProperties: false },
);

const ORDER_AMEND = Type.Object(
  {
    op: Type.Literal("order.amend"),
    id: REQUEST_ID,
    account: ACCOUNT_ID,
    clientOrderId: CLIENT_ORDER_ID,
    price: Type.Optional(PRICE),
    quantity: Type.Optional(QUANTITY),
  },
  { additionalProperties: false },
);

const ORDER_CANCEL = Type.Object(
  { op: Type.Literal("order.cancel"), id: REQUEST_ID, account: ACCOUNT_ID, clientOrderId: CLIENT_ORDER_ID },
  { additionalProperties: false },
);

const SESSION = Type.Object(
  {
    op: Type.Literal("session"),
    id: Type.Optional(REQUEST_ID),
    csrf: Type.Optional(Type.String({ minLength: 1, maxLength: CSRF_TOKEN_LENGTH_MAX })),
    cancelOnDisconnect: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const PING = Type.Object({ op: Type.Literal("ping"), id: Type.Optional(REQUEST_ID) }, { additionalProperties: false });

/** Every message a client may send, by name (published in the OpenAPI components and the AsyncAPI document). */
export const CLIENT_MESSAGES = {
  StreamSubscribe: SUBSCRIBE,
  StreamUnsubscribe: UNSUBSCRIBE,
  StreamOrderNew: ORDER_NEW,
  StreamOrderAmend: ORDER_AMEND,
  StreamOrderCancel: ORDER_CANCEL,
  StreamSession: SESSION,
  StreamPing: PING,
} as const;

export type RequestId = Static<typeof REQUEST_ID>;
export type SubscribeMessage = Static<typeof SUBSCRIBE>;
export type UnsubscribeMessage = Static<typeof UNSUBSCRIBE>;
export type OrderNewMessage = Static<typeof ORDER_NEW>;
export type OrderAmendMessage = Static<typeof ORDER_AMEND>;
export type OrderCancelMessage = Static<typeof ORDER_CANCEL>;
export type SessionMessage = Static<typeof SESSION>;
export type PingMessage = Static<typeof PING>;
export type ClientMessage =
  | SubscribeMessage
  | UnsubscribeMessage
  | OrderNewMessage
  | OrderAmendMessage
  | OrderCancelMessage
  | SessionMessage
  | PingMessage;
export type Op = ClientMessage["op"];
export type OrderOp = "order.new" | "order.amend" | "order.cancel";

export function isOrderOp(op: Op): op is OrderOp {
  return op === "order.new" || op === "order.amend" || op === "order.cancel";
}

// Same settings as the server's body validator: no coercion, defaults applied (an order's `type` is `limit`).
const ajv = new Ajv({
  allErrors: false,
  verbose: true,
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: true,
  strict: false,
});
const SCHEMAS: Readonly<Record<Op, object>> = {
  subscribe: SUBSCRIBE,
  unsubscribe: UNSUBSCRIBE,
  "order.new": ORDER_NEW,
  "order.amend": ORDER_AMEND,
  "order.cancel": ORDER_CANCEL,
  session: SESSION,
  ping: PING,
};
const OPS = Object.keys(SCHEMAS) as Op[];
/** Each message's validator, compiled on the first message of its kind rather than when the server starts. */
const validators = new Map<Op, ValidateFunction>();

function validatorOf(op: Op): ValidateFunction {
  let validate = validators.get(op);
  if (validate === undefined) {
    validate = ajv.compile(SCHEMAS[op]);
    validators.set(op, validate);
  }
  return validate;
}

export type Parsed =
  | { readonly ok: true; readonly message: ClientMessage }
  | { readonly ok: false; readonly id: RequestId | null; readonly op: string | null; readonly problem: HttpProblem };

/** A received text frame as a checked client message, or the problem with it (and the request id, if it had one). */
export function parseClientMessage(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse(null, null, new HttpProblem("REQUEST_INVALID", { reason: "the message is not valid JSON" }));
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return refuse(null, null, new HttpProblem("REQUEST_INVALID", { reason: "a message is a JSON object" }));
  }
  const nonFinite = nonFinitePath(value, "message");
  if (nonFinite !== null) {
    return refuse(
      null,
      null,
      new HttpProblem("REQUEST_INVALID", { reason: `${nonFinite} is a number too large to hold (not finite)` }),
    );
  }
  const fields = value as Record<string, unknown>;
  const rawId = fields.id;
  const id =
    (typeof rawId === "string" && rawId.length >= 1 && rawId.length <= 64) ||
    (typeof rawId === "number" && Number.isSafeInteger(rawId) && rawId >= 0)
      ? rawId
      : null;
  const op = fields.op;
  if (typeof op !== "string" || !(OPS as string[]).includes(op)) {
    const shown = typeof op === "string" ? op.slice(0, 64) : String(JSON.stringify(op) ?? "(missing)").slice(0, 64);
    return refuse(id, null, new HttpProblem("COMMAND_UNKNOWN", { op: shown, allowed: OPS.join(", ") }));
  }
  const validate = validatorOf(op as Op);
  if (!validate(value)) {
    return refuse(
      id,
      op,
      new HttpProblem("REQUEST_INVALID", {
        reason: describeError(validate.errors?.[0]),
        ...validationDetails("message", validate.errors?.[0], value),
      }),
    );
  }
  return { ok: true, message: value as ClientMessage };
}

function refuse(id: RequestId | null, op: string | null, problem: HttpProblem): Parsed {
  return { ok: false, id, op, problem };
}

function describeError(error: ErrorObject | undefined): string {
  if (error === undefined) return "message is not valid";
  const extra = error.params.additionalProperty ? ` ('${String(error.params.additionalProperty)}')` : "";
  const allowed = error.params.allowedValue === undefined ? "" : ` (${JSON.stringify(error.params.allowedValue)})`;
  return `message${error.instancePath} ${error.message ?? "is not valid"}${extra}${allowed}`;
}
