/**
 * One WebSocket connection: its principal (fixed at connect), its subscriptions, order entry with the same checks as
 * REST, its limits, and cancel-on-disconnect.
 *
 * Promises:
 * - Access: private channels need `requireReadAccount`, console channels (surveillance) `requireConsoleRead`, order
 *   entry `requireTradeAccount` (routes/access.ts and console.ts): the same roles, key scopes and object-level checks as REST, against the request that opened the socket. A cookie-signed-in
 *   socket must also have shown its session's CSRF token (query `csrf` or a first `session` message) before any
 *   order entry, and its session must still exist (signing out ends its order entry at once and the socket at the next
 *   heartbeat).
 * - Durability: an order's `ack` (or its `error` with the engine's code) is sent only once the command is durable.
 * - While the read models load (Exchange `deferViews`), order entry works (access from identity; an ack's `order` is
 *   null, as REST's), and what reads them is refused with VIEWS_LOADING: subscribing, and turning cancel-on-disconnect
 *   on (it finds the connection's resting orders in them and hears of their end through batches they have applied).
 * - On a follower of a shared journal, order entry answers `NOT_LEADER` naming the leader (not forwarded, unlike
 *   REST: cancel-on-disconnect and the order rate belong to the node holding the socket); subscriptions work there.
 * - Bounds: subscriptions (`SUBSCRIPTIONS_PER_CONNECTION_MAX`), order messages and other messages per second (token
 *   buckets; a refusal says `RATE_LIMITED` with `retryAfterSeconds`), bytes waiting to be sent
 *   (`SEND_BUFFER_BYTES_MAX`: a slow reader is closed with `CLOSE_SLOW_CONSUMER`, never buffered without bound),
 *   orders guarded by cancel-on-disconnect (`CANCEL_ON_DISCONNECT_ORDERS_MAX`). Frame size is limited by the server
 *   (`maxPayload`; a larger frame closes the socket with 1009).
 * - Cancel-on-disconnect (chosen per connection): when the socket closes for any reason, every order placed through
 *   this connection while it was on and still resting is cancelled with one `order.cancel` command each, through the
 *   journal, with meta actor `cancel-on-disconnect`. Orders of the same accounts placed elsewhere are left alone
 *   (a mass cancel of the accounts would also hit another connection's or a person's orders). Orders still in flight
 *   when the socket closes are waited for first, so none escapes. A server shutdown closes the journal too; what it
 *   cannot cancel then stays in the book, as after a crash.
 */

import { timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";
import type { FastifyRequest } from "fastify";
import type { RawData, WebSocket } from "ws";
import type { Language } from "../../domain/locale.ts";
import { NotLeaderError } from "../../journal/postgres-store.ts";
import {
  type Outcome,
  type OutcomeReceiver,
  QueueFullError,
  SequencerStoppedError,
  StoredMeta,
} from "../../journal/sequencer.ts";
import { READ_PAGE_RECORDS } from "../../journal/store.ts";
import type { TapeTrade } from "../../projections/index.ts";
import { type Principal, requireScope, requireUser, SESSION_COOKIE } from "../auth.ts";
import type { RouteContext } from "../context.ts";
import { errorBody, HttpProblem, languageOf } from "../errors.ts";
import { ViewsLoadingError } from "../exchange.ts";
import { metaOf, requireReadAccount, requireTradeAccount } from "../routes/access.ts";
import { engineOrderId, rejectionOf } from "../routes/common.ts";
import { requireConsoleRead } from "../routes/console.ts";
import { ownMember } from "../routes/notifications.ts";
import { type NewOrderBody, newOrderCommand, orderResult } from "../routes/orders.ts";
import { TokenBucket } from "./bucket.ts";
import { streamMessageProblem } from "./checked.ts";
import { type StreamHub, type Subscriber, type TradeVoid, tradesOfRecord } from "./hub.ts";
import {
  ALL_INSTRUMENTS,
  ALL_INSTRUMENTS_CHANNELS,
  BOOK_DEPTH_DEFAULT,
  CANCEL_ON_DISCONNECT_ORDERS_MAX,
  type Channel,
  CLOSE_GRACE_MS,
  CLOSE_POLICY,
  CLOSE_SIGNED_OUT,
  CLOSE_SLOW_CONSUMER,
  CONSOLE_KEY,
  isConsoleChannel,
  isMemberChannel,
  isOrderOp,
  isPublicChannel,
  MESSAGES_PER_SECOND_MAX,
  ORDERS_PER_SECOND_MAX,
  type OrderAmendMessage,
  type OrderCancelMessage,
  type OrderNewMessage,
  parseClientMessage,
  RESUME_RECORDS_MAX,
  RESUME_WAIT_MS,
  type RequestId,
  SEND_BUFFER_BYTES_MAX,
  type SessionMessage,
  SUBSCRIPTIONS_PER_CONNECTION_MAX,
  type SubscribeMessage,
  type UnsubscribeMessage,
} from "./protocol.ts";

const OPEN = 1; // WebSocket.OPEN

export interface ConnectionOptions {
  readonly cancelOnDisconnect: boolean;
  /** The `csrf` query parameter matched the session's token. */
  readonly csrfVerified: boolean;
  /** Called once when the socket has closed and the connection has let go of everything. */
  readonly onClosed: (connection: StreamConnection) => void;
}

type OrderMessage = OrderNewMessage | OrderAmendMessage | OrderCancelMessage;

/**
 * The stored JSON of `meta` with its request id replaced, up to that id's value (the text before `"…"}`), when the
 * request id is its last field and every field is a string (as `metaOf` makes it): an order's meta text is then this,
 * the order's request id in JSON and `}`, the same bytes `JSON.stringify` gives for the whole. Null otherwise.
 */
export function storedMetaPrefix(meta: Readonly<Record<string, unknown>>): string | null {
  const keys = Object.keys(meta);
  if (keys[keys.length - 1] !== "requestId") return null;
  for (const key of keys) if (typeof meta[key] !== "string") return null;
  const text = JSON.stringify({ ...meta, requestId: "" });
  return text.endsWith('""}') ? text.slice(0, -3) : null;
}

export class StreamConnection implements Subscriber {
  readonly principal: Principal;
  private readonly subscriptions = new Map<string, { readonly channel: Channel; readonly key: string }>();
  private readonly orderBucket: TokenBucket;
  private readonly messageBucket: TokenBucket;
  private readonly meta: ReturnType<typeof metaOf>;
  /** `storedMetaPrefix(this.meta)`: each order's meta text is made from it, not by the sequencer's copy and JSON. */
  private readonly metaPrefix: string | null;
  private cancelOnDisconnect: boolean;
  private csrfVerified: boolean;
  private messagesSeen = 0;
  /** Order messages submitted and not yet answered, and who waits for there to be none. */
  private ordersInFlight = 0;
  private ordersIdle: (() => void)[] = [];
  /** Trades subscriptions still reading the journal to resume (`fromSeq`). */
  private readonly inflight = new Set<Promise<void>>();
  /** Cancel-on-disconnect: live orders placed through this connection, and new orders still in flight. */
  private readonly guarded = new Set<string>();
  private newOrdersInFlight = 0;
  private closing = false;
  private closed = false;
  /** Writes are being gathered until the next tick. */
  private corked = false;
  /** A close decided while answering a message: done right after the answer is sent. */
  private closeAfterReply: [code: number, reason: string] | null = null;
  /** Heartbeat: whether the peer answered the last ping. */
  private alive = true;
  /** The language the upgrade request asked for (Accept-Language): every error on this socket speaks it. */
  readonly language: Language;

  constructor(
    private readonly context: RouteContext,
    private readonly hub: StreamHub,
    private readonly socket: WebSocket,
    private readonly request: FastifyRequest,
    private readonly options: ConnectionOptions,
  ) {
    this.principal = request.principal;
    this.cancelOnDisconnect = options.cancelOnDisconnect;
    this.csrfVerified = options.csrfVerified;
    const now = context.exchange.clock();
    this.orderBucket = new TokenBucket(ORDERS_PER_SECOND_MAX, now);
    this.messageBucket = new TokenBucket(MESSAGES_PER_SECOND_MAX, now);
    this.meta = metaOf(request);
    this.metaPrefix = storedMetaPrefix(this.meta);
    this.language = languageOf(request);
    socket.on("message", (data, isBinary) => this.onMessage(data, isBinary));
    socket.on("pong", () => {
      this.alive = true;
    });
    socket.on("close", () => this.onClose());
    socket.on("error", (error) => request.log.warn({ err: error }, "websocket error"));
  }

  get userId(): string | null {
    return this.principal.kind === "user" ? this.principal.user.id : null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sending.

  deliver(text: string): void {
    if (this.closing || this.socket.readyState !== OPEN) return;
    if (this.context.validateResponses) {
      const problem = streamMessageProblem(text);
      if (problem !== null) {
        this.context.contractViolations.push(problem);
        this.request.log.error({ problem }, "stream message breaks the API contract");
      }
    }
    // `bufferedAmount` counts bytes ws holds and the kernel has not taken; text length is within a few per cent of the
    // bytes for this ASCII protocol.
    if (this.socket.bufferedAmount + text.length > SEND_BUFFER_BYTES_MAX) {
      this.close(CLOSE_SLOW_CONSUMER, `send queue over ${SEND_BUFFER_BYTES_MAX} bytes: the client reads too slowly`);
      return;
    }
    this.corkUntilNextTick();
    this.socket.send(text);
  }

  /**
   * Gathers everything sent in this turn of the event loop (a batch's updates and the acks that follow them) into one
   * write: ws writes each message at once, a system call apiece. The TCP socket's cork is counted, so ws's own
   * cork/uncork around each frame nests inside this one.
   */
  private corkUntilNextTick(): void {
    if (this.corked) return;
    const raw = (this.socket as unknown as { _socket?: Socket })._socket;
    if (raw === undefined) return;
    this.corked = true;
    raw.cork();
    process.nextTick(() => {
      this.corked = false;
      raw.uncork();
    });
  }

  private reply(message: Record<string, unknown>): void {
    this.deliver(JSON.stringify(message));
  }

  private replyError(id: RequestId | null, op: string | null, error: unknown, seq?: number): void {
    const problem = this.asProblem(error);
    this.reply({
      type: "error",
      id,
      op,
      ...(seq === undefined ? {} : { seq }),
      ...errorBody(problem.code, problem.details, this.language),
    });
    if (this.closeAfterReply !== null) this.close(...this.closeAfterReply);
  }

  private asProblem(error: unknown): HttpProblem {
    if (error instanceof HttpProblem) return error;
    if (error instanceof ViewsLoadingError) {
      return new HttpProblem("VIEWS_LOADING", { seq: error.seq, head: error.headSeq });
    }
    if (error instanceof QueueFullError) return new HttpProblem("UNAVAILABLE", { state: "busy" });
    if (error instanceof SequencerStoppedError) return new HttpProblem("UNAVAILABLE", { state: "stopping" });
    // Order entry on a follower is refused, naming the leader: the socket's acks, cancel-on-disconnect and rate
    // limits belong to the node that holds it, so orders are not forwarded (open order entry on the leader).
    if (error instanceof NotLeaderError) {
      return new HttpProblem("NOT_LEADER", { leader: error.leader ?? "(not known yet)" });
    }
    const reference = `${this.request.id}`;
    this.request.log.error({ err: error, reference }, "internal error on a websocket");
    return new HttpProblem("INTERNAL", { reference });
  }

  /** Closes with a code and a reason the client can read; destroys the socket if the peer does not finish closing. */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Receiving.

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    this.messagesSeen++;
    const first = this.messagesSeen === 1;
    const now = this.context.exchange.clock();
    if (isBinary) {
      if (this.limited(this.messageBucket, MESSAGES_PER_SECOND_MAX, null, null, now)) return;
      this.replyError(null, null, new HttpProblem("REQUEST_INVALID", { reason: "messages are JSON text frames" }));
      return;
    }
    const parsed = parseClientMessage(textOf(data));
    if (!parsed.ok) {
      if (this.limited(this.messageBucket, MESSAGES_PER_SECOND_MAX, parsed.id, parsed.op, now)) return;
      this.replyError(parsed.id, parsed.op, parsed.problem);
      return;
    }
    const message = parsed.message;
    if (isOrderOp(message.op)) {
      if (this.limited(this.orderBucket, ORDERS_PER_SECOND_MAX, message.id ?? null, message.op, now)) return;
      this.order(message as OrderMessage);
      this.hub.throttle(this);
      return;
    }
    if (this.limited(this.messageBucket, MESSAGES_PER_SECOND_MAX, message.id ?? null, message.op, now)) return;
    try {
      switch (message.op) {
        case "subscribe":
          this.subscribe(message);
          return;
        case "unsubscribe":
          this.unsubscribe(message);
          return;
        case "session":
          this.session(message, first);
          return;
        case "ping":
          this.reply({ type: "pong", id: message.id ?? null, timeMs: this.context.exchange.clock() });
          return;
        default:
          return;
      }
    } catch (error) {
      this.replyError(message.id ?? null, message.op, error);
    }
  }

  /** Takes a token, or answers RATE_LIMITED and returns true. */
  private limited(bucket: TokenBucket, max: number, id: RequestId | null, op: string | null, now: number): boolean {
    if (bucket.take(now)) return false;
    const retryAfterSeconds = bucket.retryAfterSeconds(now);
    this.replyError(id, op, new HttpProblem("RATE_LIMITED", { max, window: "second", retryAfterSeconds }));
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Subscriptions.

  private keyOf(message: SubscribeMessage | UnsubscribeMessage): string {
    const channel = message.channel;
    if (isMemberChannel(channel)) {
      if (message.account !== undefined || message.instrument !== undefined) {
        throw new HttpProblem("REQUEST_INVALID", {
          reason: `channel '${channel}' takes neither an instrument nor an account (it is the signed-in member's)`,
        });
      }
      return ownMember(this.request, `read ${channel}`);
    }
    if (isConsoleChannel(channel)) {
      if (message.account !== undefined || message.instrument !== undefined) {
        throw new HttpProblem("REQUEST_INVALID", {
          reason: `channel '${channel}' takes neither an instrument nor an account`,
        });
      }
      return CONSOLE_KEY;
    }
    if (isPublicChannel(channel)) {
      if (message.account !== undefined) {
        throw new HttpProblem("REQUEST_INVALID", {
          reason: `channel '${channel}' takes an instrument, not an account`,
        });
      }
      if (message.instrument !== undefined) return message.instrument;
      if (ALL_INSTRUMENTS_CHANNELS.includes(channel)) return ALL_INSTRUMENTS;
      throw new HttpProblem("REQUEST_INVALID", { reason: `channel '${channel}' needs an instrument` });
    }
    if (message.instrument !== undefined) {
      throw new HttpProblem("REQUEST_INVALID", { reason: `channel '${channel}' takes an account, not an instrument` });
    }
    if (message.account === undefined) {
      throw new HttpProblem("REQUEST_INVALID", { reason: `channel '${channel}' needs an account` });
    }
    return message.account;
  }

  private subscribe(message: SubscribeMessage): void {
    this.requireViews();
    const { channel } = message;
    const key = this.keyOf(message);
    if (message.depth !== undefined && channel !== "book") {
      throw new HttpProblem("REQUEST_INVALID", { reason: "only the book channel takes a depth" });
    }
    const projections = this.context.exchange.projections;
    if (isMemberChannel(channel)) {
      const principal = requireUser(this.request.principal, `read ${channel}`);
      requireScope(principal, "read", `read ${channel}`);
      this.requireSignedIn();
    } else if (isConsoleChannel(channel)) {
      requireConsoleRead(this.request, `read ${channel}`);
      this.requireSignedIn();
    } else if (isPublicChannel(channel)) {
      if (key !== ALL_INSTRUMENTS && !projections.marketData.has(key)) {
        throw new HttpProblem("INSTRUMENT_NOT_FOUND", { id: key });
      }
    } else {
      requireReadAccount(this.context, this.request, key, `read ${channel}`);
      this.requireSignedIn();
      // Members were refused above for an account that is not theirs; the operator and the regulator learn it is unknown.
      if (projections.accounts.info(key) === null) throw new HttpProblem("ACCOUNT_NOT_FOUND", { id: key });
    }
    const name = `${channel}\n${key}`;
    if (!this.subscriptions.has(name) && this.subscriptions.size >= SUBSCRIPTIONS_PER_CONNECTION_MAX) {
      throw new HttpProblem("SUBSCRIPTIONS_LIMIT", {
        count: this.subscriptions.size,
        max: SUBSCRIPTIONS_PER_CONNECTION_MAX,
      });
    }
    if (message.fromSeq !== undefined) {
      if (channel !== "trades") {
        throw new HttpProblem("REQUEST_INVALID", {
          reason: `only the trades channel resumes from a seq (fromSeq); the snapshot of '${channel}' is complete as it is`,
        });
      }
      const task = this.resumeTrades(message, key, message.fromSeq).catch((error: unknown) =>
        this.replyError(message.id ?? null, "subscribe", error),
      );
      this.inflight.add(task);
      void task.finally(() => this.inflight.delete(task));
      return;
    }
    const depth = message.depth ?? BOOK_DEPTH_DEFAULT;
    this.subscriptions.set(name, { channel, key });
    this.hub.subscribe(this, channel, key, depth);
    this.reply({ type: "ack", id: message.id ?? null, op: "subscribe", ...this.describe(channel, key) });
    this.reply(this.hub.snapshot(channel, key, depth, this.language));
  }

  /**
   * Subscribes to an instrument's trades after the record `fromSeq` (the last one the client saw, on this node or
   * another): waits up to `RESUME_WAIT_MS` for this node to have applied it, reads the trades after it from the journal
   * up to the last record applied here, and subscribes in the same turn as it finds nothing more to read, so the
   * snapshot (`fromSeq` and every trade after it, up to its `seq`) and the updates after it leave no gap and repeat
   * nothing.
   */
  private async resumeTrades(message: SubscribeMessage, instrument: string, fromSeq: number): Promise<void> {
    const exchange = this.context.exchange;
    const projections = exchange.projections;
    // The leader has sequenced every record there is: a record beyond its last is none a client saw (on a follower,
    // one the leader made and this node has not applied yet, so it waits for it).
    if (exchange.role === "leader" && fromSeq > exchange.engine.lastSeq) {
      throw new HttpProblem("REQUEST_INVALID", {
        reason: `fromSeq ${fromSeq} is beyond the journal's last record (${exchange.engine.lastSeq})`,
      });
    }
    if (projections.lastSeq < fromSeq) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          stop();
          reject(new HttpProblem("UNAVAILABLE", { state: `behind record ${fromSeq} (at ${projections.lastSeq})` }));
        }, RESUME_WAIT_MS);
        const stop = exchange.onOutcomes(() => {
          if (projections.lastSeq < fromSeq) return;
          clearTimeout(timer);
          stop();
          resolve();
        });
      });
    }
    const trades: TapeTrade[] = [];
    const voids: TradeVoid[] = [];
    let next = fromSeq + 1;
    let upTo = projections.lastSeq;
    for (;;) {
      if (upTo - fromSeq > RESUME_RECORDS_MAX) {
        throw new HttpProblem("REQUEST_INVALID", {
          reason: `fromSeq ${fromSeq} is more than ${RESUME_RECORDS_MAX} records behind (${upTo}): subscribe without it for a snapshot`,
        });
      }
      while (next <= upTo) {
        const page = await exchange.store.read(next, Math.min(READ_PAGE_RECORDS, upTo - next + 1));
        if (page.length === 0) throw new Error(`the journal ends before record ${next}`);
        for (const record of page) tradesOfRecord(record, instrument, trades, voids);
        next += page.length;
      }
      // Nothing was applied while reading: subscribing now misses nothing (updates come from the next batch on).
      if (projections.lastSeq === upTo) break;
      upTo = projections.lastSeq;
    }
    if (this.closing) return;
    const name = `trades\n${instrument}`;
    if (!this.subscriptions.has(name) && this.subscriptions.size >= SUBSCRIPTIONS_PER_CONNECTION_MAX) {
      throw new HttpProblem("SUBSCRIPTIONS_LIMIT", {
        count: this.subscriptions.size,
        max: SUBSCRIPTIONS_PER_CONNECTION_MAX,
      });
    }
    this.subscriptions.set(name, { channel: "trades", key: instrument });
    this.hub.subscribe(this, "trades", instrument, BOOK_DEPTH_DEFAULT);
    this.reply({ type: "ack", id: message.id ?? null, op: "subscribe", ...this.describe("trades", instrument) });
    this.reply({ type: "snapshot", channel: "trades", seq: upTo, instrument, trades, fromSeq });
    // Voids in the resumed range of trades the client had before it: their corrections, in order, after the snapshot.
    for (const { tradeId, voided } of voids) {
      this.reply({ type: "void", channel: "trades", seq: upTo, instrument, tradeId, voided });
    }
  }

  private unsubscribe(message: UnsubscribeMessage): void {
    const { channel } = message;
    const key = this.keyOf(message);
    const name = `${channel}\n${key}`;
    const was = this.subscriptions.delete(name);
    if (was) this.hub.unsubscribe(this, channel, key);
    this.reply({
      type: "ack",
      id: message.id ?? null,
      op: "unsubscribe",
      ...this.describe(channel, key),
      wasSubscribed: was,
    });
  }

  private describe(channel: Channel, key: string) {
    if (isConsoleChannel(channel) || isMemberChannel(channel)) return { channel };
    if (!isPublicChannel(channel)) return { channel, account: key };
    return { channel, instrument: key === ALL_INSTRUMENTS ? null : key };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Session: CSRF and cancel-on-disconnect.

  private session(message: SessionMessage, first: boolean): void {
    if (message.csrf !== undefined) {
      if (!first) {
        throw new HttpProblem("REQUEST_INVALID", { reason: "the CSRF token is accepted in the first message only" });
      }
      const principal = this.principal;
      if (principal.kind === "user" && principal.via === "session") {
        if (!sameToken(message.csrf, principal.csrf)) {
          this.replyError(message.id ?? null, "session", new HttpProblem("AUTH_CSRF", { via: "stream" }));
          this.close(CLOSE_POLICY, "wrong CSRF token");
          return;
        }
        this.csrfVerified = true;
      }
    }
    if (message.cancelOnDisconnect !== undefined) {
      if (message.cancelOnDisconnect) {
        requireUser(this.principal, "use cancel-on-disconnect");
        this.requireViews();
      }
      this.setCancelOnDisconnect(message.cancelOnDisconnect);
    }
    this.reply({
      type: "ack",
      id: message.id ?? null,
      op: "session",
      cancelOnDisconnect: this.cancelOnDisconnect,
      csrf: this.csrfState(),
    });
  }

  private setCancelOnDisconnect(on: boolean): void {
    if (!on) {
      for (const orderId of this.guarded) this.hub.unguard(orderId);
      this.guarded.clear();
    }
    this.cancelOnDisconnect = on;
  }

  private csrfState(): "not-needed" | "verified" | "missing" {
    const principal = this.principal;
    if (principal.kind !== "user" || principal.via !== "session") return "not-needed";
    return this.csrfVerified ? "verified" : "missing";
  }

  /** Refuses with VIEWS_LOADING what reads the read models while they load behind a serving exchange. */
  private requireViews(): void {
    const exchange = this.context.exchange;
    if (exchange.viewsState !== "ready") throw exchange.viewsRefusal();
  }

  /** A cookie-signed-in socket whose session was signed out or expired acts no more. */
  private requireSignedIn(): void {
    const principal = this.principal;
    if (principal.kind !== "user" || principal.via !== "session") return;
    if (!this.sessionAlive()) {
      // Closed once the error has been sent, so the client learns why.
      this.closeAfterReply = [CLOSE_SIGNED_OUT, "the session was signed out or expired"];
      throw new HttpProblem("AUTH_REQUIRED", { action: "use this connection (the session ended)" });
    }
  }

  private sessionAlive(): boolean {
    const principal = this.principal;
    if (principal.kind !== "user" || principal.via !== "session") return true;
    const token = this.request.cookies[SESSION_COOKIE];
    const session = token === undefined ? undefined : this.context.auth.sessions.get(token);
    return session !== undefined && session.csrf === principal.csrf;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Order entry.

  /**
   * Checks an order message and submits its command; the answer (`ack` or `error`) is sent once the command is
   * durable. Submitted with a receiver (`OrderInFlight`) rather than a promise and its two callbacks, and answered
   * with a frame built as text (`orderAckText`): this runs once per order on the thread that runs the sequencer.
   */
  private order(message: OrderMessage): void {
    const { id, op, account, clientOrderId } = message;
    const orderId = engineOrderId(account, clientOrderId);
    let countedNew = false;
    let refused: unknown;
    try {
      requireTradeAccount(this.context, this.request, account, ORDER_ACTIONS[op]);
      if (this.csrfState() === "missing") throw new HttpProblem("AUTH_CSRF", { via: "stream" });
      this.requireSignedIn();
      if (op === "order.new" && this.cancelOnDisconnect) {
        const live = this.guarded.size + this.newOrdersInFlight;
        if (live >= CANCEL_ON_DISCONNECT_ORDERS_MAX) {
          throw new HttpProblem("CANCEL_ON_DISCONNECT_LIMIT", { live, max: CANCEL_ON_DISCONNECT_ORDERS_MAX });
        }
        this.newOrdersInFlight++;
        countedNew = true;
      }
      const requestId = `${this.request.id}/${String(id)}`;
      const value = { ...this.meta, requestId };
      // The text the sequencer would store (`JSON.stringify(value)`), made from the connection's prefix.
      const meta =
        this.metaPrefix === null ? value : new StoredMeta(value, `${this.metaPrefix}${JSON.stringify(requestId)}}`);
      const flight = new OrderInFlight(this, message, orderId, countedNew);
      refused = this.context.exchange.submitTo(this.command(message, orderId), meta, flight);
    } catch (error) {
      refused = error;
    }
    if (refused !== null) {
      if (countedNew) this.newOrdersInFlight--;
      this.replyError(id, op, refused);
      return;
    }
    this.ordersInFlight++;
  }

  /** The durable outcome of an order message (`OrderInFlight.durable`). */
  orderDurable(flight: OrderInFlight, outcome: Outcome): void {
    try {
      this.answer(flight.message, flight.orderId, outcome);
    } catch (error) {
      this.replyError(flight.message.id, flight.message.op, error);
    }
    this.orderAnswered(flight.countedNew);
  }

  /** An order message's command refused after it was queued (`OrderInFlight.refused`). */
  orderRefused(flight: OrderInFlight, error: unknown): void {
    this.replyError(flight.message.id, flight.message.op, error);
    this.orderAnswered(flight.countedNew);
  }

  /** Answers a durable order command: its engine rejection as an `error`, else its `ack`. */
  private answer(message: OrderMessage, orderId: string, outcome: Outcome): void {
    const { id, op } = message;
    const rejection = rejectionOf(outcome);
    if (rejection) {
      this.replyError(id, op, new HttpProblem(rejection.code, rejection.details), outcome.seq);
      return;
    }
    const result = orderResult(this.context, outcome, orderId);
    if (op !== "order.new") {
      this.deliver(orderAckText(id, op, result, undefined));
      return;
    }
    let duplicate = false;
    for (const event of outcome.events) {
      if (event.type === "order.duplicate") {
        duplicate = true;
        break;
      }
    }
    if (this.cancelOnDisconnect && result.order?.status === "resting") {
      this.guarded.add(orderId);
      this.hub.guard(orderId, this);
    }
    this.deliver(orderAckText(id, op, result, duplicate));
  }

  private orderAnswered(countedNew: boolean): void {
    if (countedNew) this.newOrdersInFlight--;
    this.ordersInFlight--;
    if (this.ordersInFlight > 0 || this.ordersIdle.length === 0) return;
    const waiting = this.ordersIdle;
    this.ordersIdle = [];
    for (const resolve of waiting) resolve();
  }

  /** Resolves once every order message submitted so far has been answered. */
  private ordersAnsweredAll(): Promise<void> {
    if (this.ordersInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.ordersIdle.push(resolve));
  }

  private command(message: OrderMessage, orderId: string) {
    switch (message.op) {
      case "order.new":
        // The command takes the order's fields by name, so the message's `op` and `id` need not be copied away; its
        // order id is the one this message's answer names (made once).
        return newOrderCommand(message as unknown as NewOrderBody, orderId);
      case "order.amend":
        return {
          type: "order.amend" as const,
          orderId,
          ...(message.price === undefined ? {} : { price: message.price }),
          ...(message.quantity === undefined ? {} : { quantity: message.quantity }),
        };
      case "order.cancel":
        return { type: "order.cancel" as const, orderId };
    }
  }

  orderFinished(orderId: string): void {
    this.guarded.delete(orderId);
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Heartbeat and closing.

  /** Called every `HEARTBEAT_INTERVAL_MS`: cuts a peer that did not answer the last ping, re-checks the principal. */
  heartbeat(): void {
    if (this.closed) return;
    // A socket paused for backpressure cannot read the pong; it is not the peer's fault.
    if (this.socket.isPaused) {
      this.alive = true;
      return;
    }
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
    void this.recheckPrincipal();
  }

  /** Re-checks the principal now (a session was just ended somewhere): closes the socket if it is no longer valid. */
  recheck(): void {
    if (!this.closed) void this.recheckPrincipal();
  }

  private async recheckPrincipal(): Promise<void> {
    const principal = this.principal;
    if (principal.kind !== "user") return;
    let valid: boolean;
    if (principal.via === "session") {
      valid = this.sessionAlive();
    } else {
      const key = principal.keyId === null ? null : await this.context.users.apiKey(principal.keyId);
      const user = await this.context.users.user(principal.user.id);
      valid = key !== null && !key.revoked && user !== null && !user.disabled;
    }
    if (!valid) {
      const reason =
        principal.via === "session" ? "the session was signed out or expired" : "key revoked or user disabled";
      this.close(CLOSE_SIGNED_OUT, reason);
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    for (const { channel, key } of this.subscriptions.values()) this.hub.unsubscribe(this, channel, key);
    this.subscriptions.clear();
    this.hub.forget(this);
    this.options.onClosed(this);
    if (this.cancelOnDisconnect) void this.cancelGuardedOrders();
  }

  /** Waits for orders in flight, then cancels what this connection placed and is still resting. */
  private async cancelGuardedOrders(): Promise<void> {
    await Promise.allSettled([...this.inflight, this.ordersAnsweredAll()]);
    const accounts = this.context.exchange.projections.accounts;
    const live: string[] = [];
    for (const orderId of this.guarded) {
      this.hub.unguard(orderId);
      if (accounts.order(orderId)?.status === "resting") live.push(orderId);
    }
    this.guarded.clear();
    if (live.length === 0) return;
    const meta = {
      actor: "cancel-on-disconnect",
      role: this.meta.role,
      source: this.meta.source,
      requestId: `${this.request.id}/cancel-on-disconnect`,
    };
    const results = await Promise.allSettled(
      live.map((orderId) => this.context.exchange.submit({ type: "order.cancel", orderId }, meta)),
    );
    const failed = results.filter((result) => result.status === "rejected");
    if (failed.length > 0) {
      this.request.log.warn(
        { failed: failed.length, of: live.length, reason: String((failed[0] as PromiseRejectedResult).reason) },
        "cancel-on-disconnect could not cancel every order",
      );
    }
  }
}

/** An order message whose command is queued: told its outcome by the sequencer, it answers on its connection. */
class OrderInFlight implements OutcomeReceiver {
  constructor(
    private readonly connection: StreamConnection,
    readonly message: OrderMessage,
    readonly orderId: string,
    /** Counted in the connection's new orders in flight (cancel-on-disconnect's limit). */
    readonly countedNew: boolean,
  ) {}

  durable(outcome: Outcome): void {
    this.connection.orderDurable(this, outcome);
  }

  refused(error: unknown): void {
    this.connection.orderRefused(this, error);
  }
}

/** What each order message does, as an access refusal names it. */
const ORDER_ACTIONS: Readonly<Record<OrderMessage["op"], string>> = {
  "order.new": "place orders",
  "order.amend": "amend orders",
  "order.cancel": "cancel orders",
};

/**
 * An order message's `ack` frame, built as text: the same JSON, field for field and in the same order, as
 * `JSON.stringify({ type: "ack", id, op, ...result, duplicate })` (`duplicate` only for `order.new`), without the
 * object in between. `id` is a request id (a string or a safe integer), `op` one of the three order ops.
 */
export function orderAckText(
  id: RequestId,
  op: OrderMessage["op"],
  result: ReturnType<typeof orderResult>,
  duplicate: boolean | undefined,
): string {
  const trades = result.trades.length === 0 ? "[]" : JSON.stringify(result.trades);
  const head = `{"type":"ack","id":${typeof id === "number" ? id : JSON.stringify(id)},"op":"${op}","seq":${result.seq}`;
  const body = `${head},"order":${JSON.stringify(result.order)},"trades":${trades}`;
  return duplicate === undefined ? `${body}}` : `${body},"duplicate":${duplicate}}`;
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data).toString("utf8");
}

function sameToken(given: string, expected: string | null): boolean {
  if (expected === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
