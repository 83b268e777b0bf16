/**
 * The stream hub: who is subscribed to what, the snapshot a new subscription starts from, and the fan-out of every
 * durable batch to the subscriptions it concerns.
 *
 * Only durable data is ever sent: updates are computed in the exchange's `onOutcomes` listener, which runs after a
 * batch is in the journal and the read models have applied it, and everything sent is either an event of that batch
 * or a read model's state after it. (During that listener the engine holds exactly the durable state, which matters
 * for the quote's indicative auction price, the one read the read models take from the engine.)
 *
 * Per batch the hub walks the events once and notes, only for channels and keys that have subscribers, what changed:
 * - state channels (book, quote, balances, safeguards) send the state after the batch once per key, however many
 *   events touched it (a capped book snapshot, never a diff: simple, self-correcting, and as small as the depth asked);
 * - event channels (trades, fills, phase, obligations, orders) send what happened, in seq order, one message per key
 *   per batch; orders and obligations as their state after the batch.
 * - the console's surveillance channel sends the alert changes (raised, updated, retracted) the batch's records made,
 *   as surveillance (src/surveillance/live.ts) took them in; its snapshot is the newest alerts standing.
 * A message is serialised once per key (per depth for the book) and the same text goes to every subscriber.
 * Snapshots carry `seq`, the last durable seq they include; every update is newer than the snapshot it follows.
 *
 * Cancel-on-disconnect bookkeeping lives here too: connections register the live orders they guard, and the hub
 * forgets an order as soon as an event says it is filled or cancelled, so the set stays the size of the live orders.
 *
 * Complexity: per batch O(events) map look-ups (nothing at all when nobody subscribes or guards orders), plus per
 * touched key one read of the read model and one serialisation. Subscribing is O(1) plus the snapshot's size.
 */

import { LANGUAGE_DEFAULT, type Language } from "../../domain/locale.ts";
import type { ObligationEvent } from "../../engine/clearing.ts";
import type { EngineEvent, PhaseChangedEvent, TradeEvent } from "../../engine/events.ts";
import type { Outcome } from "../../journal/sequencer.ts";
import type { Fill, Liquidity, Notice, TapeTrade, TradeVoidMark } from "../../projections/index.ts";
import type { AlertChange } from "../../surveillance/index.ts";
import type { RouteContext } from "../context.ts";
import { json } from "../routes/common.ts";
import { notificationWire } from "../routes/notifications.ts";
import { balanceWire } from "../wire/accounts.ts";
import { safeguardsWire } from "../wire/console.ts";
import {
  ALERTS_SNAPSHOT_MAX,
  ALL_INSTRUMENTS,
  ALL_INSTRUMENTS_CHANNELS,
  type Channel,
  CONSOLE_KEY,
  FILLS_SNAPSHOT_MAX,
  NOTIFICATIONS_SNAPSHOT_MAX,
  OBLIGATIONS_SNAPSHOT_MAX,
  ORDERS_SNAPSHOT_MAX,
  SEQUENCER_BACKLOG_PAUSE_COMMANDS,
  SEQUENCER_BACKLOG_RESUME_COMMANDS,
  TRADES_SNAPSHOT_MAX,
} from "./protocol.ts";

/** A connection as the hub sees it. */
export interface Subscriber {
  /** The language the connection's upgrade request asked for (notification sentences are written in it). */
  readonly language: Language;
  /** Sends a text frame (the connection applies its own send-queue limit). */
  deliver(text: string): void;
  /** The hub saw this guarded order finish (filled or cancelled). */
  orderFinished(orderId: string): void;
  /** Backpressure: stop or start reading the client's messages. */
  pause(): void;
  resume(): void;
}

interface Subscription {
  /** Book levels per side (book channel only). */
  readonly depth: number;
}

/** One phase change as the phase channel reports it. */
interface PhaseUpdate {
  readonly seq: number;
  readonly timeMs: number;
  readonly from: string;
  readonly to: string;
  readonly reason: string | null;
  readonly auctionEndsAtMs: number | null;
}

/** What one batch changed, for keys that have subscribers only. */
class BatchChanges {
  readonly book = new Set<string>();
  readonly quote = new Set<string>();
  readonly safeguards = new Set<string>();
  readonly trades = new Map<string, TapeTrade[]>();
  /** Trade voids per instrument, in order: the trades channel's corrections. */
  readonly voids = new Map<string, TradeVoid[]>();
  readonly phase = new Map<string, PhaseUpdate[]>();
  readonly fills = new Map<string, Fill[]>();
  readonly balances = new Set<string>();
  /** Account → order ids whose state changed; amended orders' accounts are found after the batch. */
  readonly orders = new Map<string, Set<string>>();
  readonly amended = new Set<string>();
  readonly obligations = new Map<string, Set<string>>();
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([value]));
  else set.add(value);
}

export class StreamHub {
  private readonly index = new Map<Channel, Map<string, Map<Subscriber, Subscription>>>();
  private subscriptionCount = 0;
  /** Cancel-on-disconnect: live order id → the connection that guards it. */
  private readonly guarded = new Map<string, Subscriber>();
  /** Connections not being read because the journal's backlog is long. */
  private readonly paused = new Set<Subscriber>();
  private readonly stopListening: () => void;
  private readonly stopDurable: () => void;
  private stopAlerts: () => void = () => undefined;
  private readonly stopNotices: () => void;
  /** Alert changes of the batch being made durable, gathered while someone subscribes to the surveillance channel. */
  private alertChanges: AlertChange[] = [];

  constructor(private readonly context: RouteContext) {
    // Surveillance takes each outcome of a batch before `onOutcomes` hears the batch, so its changes are gathered
    // here and sent with the batch's other updates.
    // Wired once the read models are ready, when they load behind a serving exchange (no one subscribes before).
    context.exchange.whenViewsReady(() => {
      this.stopAlerts = context.exchange.surveillance.onAlerts((changes) => {
        if (this.anyone("surveillance")) this.alertChanges.push(...changes);
      });
    });
    this.stopListening = context.exchange.onOutcomes((outcomes) => this.publish(outcomes));
    // Every durable batch, heard at once even while the read models load (order entry is served meanwhile).
    this.stopDurable = context.exchange.onBatchDurable(() => this.release());
    // A notification goes out as it is made (deadline ones come from the clock, not from a batch).
    this.stopNotices = context.notifier.onWeb((member, notice) => this.noticeMade(member, notice));
  }

  stop(): void {
    this.stopListening();
    this.stopDurable();
    this.stopAlerts();
    this.stopNotices();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Backpressure.

  /** After a connection sent an order: stops reading it while the journal's backlog is long. */
  throttle(subscriber: Subscriber): void {
    if (this.context.exchange.queued < SEQUENCER_BACKLOG_PAUSE_COMMANDS || this.paused.has(subscriber)) return;
    this.paused.add(subscriber);
    subscriber.pause();
  }

  /** A closed connection is no longer waiting to be read. */
  forget(subscriber: Subscriber): void {
    this.paused.delete(subscriber);
  }

  /** After each durable batch (`onBatchDurable`): reads paused connections again once the backlog is short. */
  private release(): void {
    if (this.paused.size === 0 || this.context.exchange.queued > SEQUENCER_BACKLOG_RESUME_COMMANDS) return;
    for (const subscriber of this.paused) subscriber.resume();
    this.paused.clear();
  }

  get subscriptions(): number {
    return this.subscriptionCount;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Subscriptions.

  /** Adds (or replaces) a subscription; returns true if it is new. */
  subscribe(subscriber: Subscriber, channel: Channel, key: string, depth: number): boolean {
    let byKey = this.index.get(channel);
    if (byKey === undefined) {
      byKey = new Map();
      this.index.set(channel, byKey);
    }
    let subscribers = byKey.get(key);
    if (subscribers === undefined) {
      subscribers = new Map();
      byKey.set(key, subscribers);
    }
    const fresh = !subscribers.has(subscriber);
    subscribers.set(subscriber, { depth });
    if (fresh) this.subscriptionCount++;
    return fresh;
  }

  /** Removes a subscription; returns true if there was one. */
  unsubscribe(subscriber: Subscriber, channel: Channel, key: string): boolean {
    const byKey = this.index.get(channel);
    const subscribers = byKey?.get(key);
    if (byKey === undefined || subscribers === undefined || !subscribers.delete(subscriber)) return false;
    this.subscriptionCount--;
    if (subscribers.size === 0) byKey.delete(key);
    return true;
  }

  /** The snapshot a new subscription starts from, as a message object (`type: "snapshot"`). */
  snapshot(
    channel: Channel,
    key: string,
    depth: number,
    language: Language = LANGUAGE_DEFAULT,
  ): Record<string, unknown> {
    const projections = this.context.exchange.projections;
    const seq = projections.lastSeq;
    const head = { type: "snapshot", channel, seq };
    switch (channel) {
      case "book":
        return { ...head, ...this.bookBody(key, depth) };
      case "quote":
        return { ...head, instrument: key, quote: json(projections.marketData.quote(key)) };
      case "trades":
        // The tape is newest first; streams send oldest first, so updates simply append.
        return { ...head, instrument: key, trades: projections.marketData.trades(key, TRADES_SNAPSHOT_MAX).reverse() };
      case "phase":
        if (key === ALL_INSTRUMENTS) {
          return { ...head, instrument: null, instruments: this.instrumentIds().map((id) => this.phaseBody(id)) };
        }
        return { ...head, ...this.phaseBody(key) };
      case "safeguards":
        if (key === ALL_INSTRUMENTS) {
          return { ...head, instrument: null, instruments: this.instrumentIds().map((id) => this.safeguardsBody(id)) };
        }
        return { ...head, ...this.safeguardsBody(key) };
      case "orders":
        return {
          ...head,
          account: key,
          orders: json(projections.accounts.orders(key, { status: "resting", limit: ORDERS_SNAPSHOT_MAX })),
        };
      case "fills":
        return { ...head, account: key, fills: json(projections.accounts.fills(key, FILLS_SNAPSHOT_MAX).reverse()) };
      case "balances":
        return { ...head, account: key, balances: projections.accounts.balances(key).map(balanceWire) };
      case "obligations":
        return {
          ...head,
          account: key,
          obligations: json(projections.accounts.obligations(key, { limit: OBLIGATIONS_SNAPSHOT_MAX })),
        };
      case "notifications": {
        const notices = projections.notices;
        const list = notices.list(key, { limit: NOTIFICATIONS_SNAPSHOT_MAX }).reverse();
        return {
          ...head,
          member: key,
          unread: notices.unreadCount(key),
          notifications: list.map((notice) => notificationWire(notice, language)),
        };
      }
      case "surveillance": {
        const alerts = this.context.exchange.surveillance.alerts();
        const newest = [...alerts].sort((a, b) => b.updatedSeq - a.updatedSeq).slice(0, ALERTS_SNAPSHOT_MAX);
        return { ...head, total: alerts.length, alerts: newest };
      }
    }
  }

  private instrumentIds(): string[] {
    return this.context.exchange.projections.marketData.instruments();
  }

  private bookBody(instrument: string, depth: number) {
    return { depth, ...this.context.exchange.projections.marketData.book(instrument, depth) };
  }

  private phaseBody(instrument: string) {
    const projections = this.context.exchange.projections;
    const controls = projections.controls.instrument(instrument);
    return {
      instrument,
      mode: controls?.mode ?? null,
      phase: projections.marketData.quote(instrument)?.phase ?? "closed",
      /** The last change: when and why (a halt's reason); null before the first. */
      change: controls?.phaseChanged ?? null,
    };
  }

  private safeguardsBody(instrument: string) {
    const projections = this.context.exchange.projections;
    const controls = projections.controls.instrument(instrument);
    if (controls === null) return { instrument, safeguards: null, change: null, band: null, halted: false };
    // The limits view's band: the one the engine checks orders with, at the journal's time.
    const limits = projections.limits.of(instrument)!;
    return {
      instrument,
      safeguards: safeguardsWire(controls.safeguards),
      change: controls.safeguardsChanged,
      band: limits.band,
      bandReferenceTiynPerTonne: limits.bandReferenceTiynPerTonne,
      halted: controls.phase === "halted",
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Cancel-on-disconnect bookkeeping.

  guard(orderId: string, owner: Subscriber): void {
    this.guarded.set(orderId, owner);
  }

  unguard(orderId: string): void {
    this.guarded.delete(orderId);
  }

  private finished(orderId: string): void {
    const owner = this.guarded.get(orderId);
    if (owner === undefined) return;
    this.guarded.delete(orderId);
    owner.orderFinished(orderId);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fan-out.

  private wants(channel: Channel, key: string): boolean {
    const byKey = this.index.get(channel);
    if (byKey === undefined || byKey.size === 0) return false;
    return byKey.has(key) || (ALL_INSTRUMENTS_CHANNELS.includes(channel) && byKey.has(ALL_INSTRUMENTS));
  }

  private anyone(channel: Channel): boolean {
    return (this.index.get(channel)?.size ?? 0) > 0;
  }

  /** Called with every durable batch, after the read models applied it. */
  publish(outcomes: readonly Outcome[]): void {
    if (this.alertChanges.length > 0) {
      const changes = this.alertChanges;
      this.alertChanges = [];
      const seq = this.context.exchange.projections.lastSeq;
      this.send("surveillance", CONSOLE_KEY, () => ({ type: "update", channel: "surveillance", seq, changes }));
    }
    if (this.subscriptionCount === 0 && this.guarded.size === 0) return;
    const batch = new BatchChanges();
    for (const outcome of outcomes) {
      for (const event of outcome.events) this.collect(event, outcome, batch);
    }
    if (this.subscriptionCount > 0) this.flush(batch);
  }

  private collect(event: EngineEvent, outcome: Outcome, batch: BatchChanges): void {
    switch (event.type) {
      case "notices.read":
      case "notices.preferred":
      case "notices.mailed":
        // Another tab (or a program) marked read or changed the kinds shown, or an e-mail was attempted: the member's
        // unread count or list changed.
        if (this.wants("notifications", event.member)) this.noticesChanged(event.member);
        return;
      case "trade":
        this.marketChanged(event.instrument, batch);
        if (this.wants("trades", event.instrument)) push(batch.trades, event.instrument, tapeTrade(event, outcome));
        this.tradeSide(event, "buy", outcome, batch);
        this.tradeSide(event, "sell", outcome, batch);
        return;
      case "trade.negotiated":
        if (this.wants("trades", event.instrument)) {
          push(batch.trades, event.instrument, {
            seq: outcome.seq,
            timeMs: outcome.timeMs,
            tradeId: event.tradeId,
            instrument: event.instrument,
            priceTiynPerTonne: event.price,
            quantityKg: event.quantity,
            aggressor: null,
            negotiated: true,
          });
        }
        return;
      case "order.accepted":
        if (this.wants("orders", event.account)) add(batch.orders, event.account, event.orderId);
        return;
      case "order.rested":
        this.marketChanged(event.instrument, batch);
        return;
      case "order.amended":
        this.marketChanged(event.instrument, batch);
        if (this.anyone("orders")) batch.amended.add(event.orderId);
        return;
      case "order.cancelled":
        this.marketChanged(event.instrument, batch);
        if (this.wants("orders", event.account)) add(batch.orders, event.account, event.orderId);
        this.finished(event.orderId);
        return;
      case "phase.changed":
        this.phaseChanged(event, outcome, batch);
        return;
      case "auction.uncrossed":
        if (this.wants("quote", event.instrument)) batch.quote.add(event.instrument);
        return;
      case "reference.set":
        if (this.wants("quote", event.instrument)) batch.quote.add(event.instrument);
        if (this.wants("safeguards", event.instrument)) batch.safeguards.add(event.instrument);
        return;
      case "safeguards.changed":
        if (this.wants("safeguards", event.instrument)) batch.safeguards.add(event.instrument);
        return;
      case "ledger.posted":
        if (!this.anyone("balances")) return;
        for (const transfer of event.transfers) {
          const from = ownerOf(transfer.from);
          const to = ownerOf(transfer.to);
          if (this.wants("balances", from)) batch.balances.add(from);
          if (this.wants("balances", to)) batch.balances.add(to);
        }
        return;
      case "obligation.created":
      case "obligation.paid":
      case "obligation.delivered":
      case "obligation.settled":
      case "obligation.defaulted":
      case "obligation.voided": {
        this.obligationChanged(event, batch);
        if (event.type !== "obligation.voided") return;
        // A voided trade leaves the public figures: the quote's last price may change, and live tapes hear of it.
        // Only a void: the obligation's other steps (created with the trade, paid, delivered, settled, defaulted)
        // change no public figure.
        const instrument = event.obligation.instrument;
        if (this.wants("quote", instrument)) batch.quote.add(instrument);
        if (this.wants("trades", instrument)) {
          push(batch.voids, instrument, {
            tradeId: event.obligation.tradeId,
            voided: { seq: outcome.seq, timeMs: outcome.timeMs, reason: event.reason ?? "", rule: event.rule ?? "" },
          });
        }
        return;
      }
      default:
        return;
    }
  }

  private marketChanged(instrument: string, batch: BatchChanges): void {
    if (this.wants("book", instrument)) batch.book.add(instrument);
    if (this.wants("quote", instrument)) batch.quote.add(instrument);
  }

  private tradeSide(event: TradeEvent, side: "buy" | "sell", outcome: Outcome, batch: BatchChanges): void {
    const buy = side === "buy";
    const account = buy ? event.buyAccount : event.sellAccount;
    const orderId = buy ? event.buyOrderId : event.sellOrderId;
    if (this.wants("fills", account)) {
      const liquidity: Liquidity =
        event.aggressor === null ? "auction" : event.makerOrderId === orderId ? "maker" : "taker";
      push(batch.fills, account, {
        seq: outcome.seq,
        timeMs: outcome.timeMs,
        tradeId: event.tradeId,
        orderId,
        instrument: event.instrument,
        account,
        side,
        priceTiynPerTonne: event.price,
        quantityKg: event.quantity,
        liquidity,
      });
    }
    if (this.wants("orders", account)) add(batch.orders, account, orderId);
    if ((buy ? event.buyOpen : event.sellOpen) === 0) this.finished(orderId);
  }

  private phaseChanged(event: PhaseChangedEvent, outcome: Outcome, batch: BatchChanges): void {
    const instrument = event.instrument;
    if (this.wants("phase", instrument)) {
      push(batch.phase, instrument, {
        seq: outcome.seq,
        timeMs: outcome.timeMs,
        from: event.from,
        to: event.to,
        reason: event.reason ?? null,
        auctionEndsAtMs: event.auctionEndsAtMs ?? null,
      });
    }
    if (this.wants("quote", instrument)) batch.quote.add(instrument);
    // A session's close may move the band reference; a halt or resumption changes `halted`.
    if (this.wants("safeguards", instrument)) batch.safeguards.add(instrument);
  }

  private obligationChanged(event: ObligationEvent, batch: BatchChanges): void {
    const { id, buyer, seller } = event.obligation;
    if (this.wants("obligations", buyer)) add(batch.obligations, buyer, id);
    if (seller !== buyer && this.wants("obligations", seller)) add(batch.obligations, seller, id);
  }

  private flush(batch: BatchChanges): void {
    const projections = this.context.exchange.projections;
    const seq = projections.lastSeq;
    const accounts = projections.accounts;
    const market = projections.marketData;

    for (const instrument of batch.book) {
      // One serialisation per depth asked for.
      const texts = new Map<number, string>();
      for (const [subscriber, { depth }] of this.subscribers("book", instrument)) {
        let text = texts.get(depth);
        if (text === undefined) {
          text = JSON.stringify({ type: "update", channel: "book", seq, ...this.bookBody(instrument, depth) });
          texts.set(depth, text);
        }
        subscriber.deliver(text);
      }
    }
    for (const instrument of batch.quote) {
      const quote = json(market.quote(instrument));
      this.send("quote", instrument, () => ({ type: "update", channel: "quote", seq, instrument, quote }));
    }
    for (const [instrument, trades] of batch.trades) {
      this.send("trades", instrument, () => ({ type: "update", channel: "trades", seq, instrument, trades }));
    }
    for (const [instrument, voids] of batch.voids) {
      for (const { tradeId, voided } of voids) {
        this.send("trades", instrument, () => ({ type: "void", channel: "trades", seq, instrument, tradeId, voided }));
      }
    }
    for (const [instrument, changes] of batch.phase) {
      const mode = projections.controls.instrument(instrument)?.mode ?? null;
      for (const change of changes) {
        const message = () => ({
          type: "update",
          channel: "phase",
          seq: change.seq,
          instrument,
          mode,
          phase: change.to,
          change,
        });
        this.send("phase", instrument, message);
        this.send("phase", ALL_INSTRUMENTS, message);
      }
    }
    for (const instrument of batch.safeguards) {
      const body = this.safeguardsBody(instrument);
      const message = () => ({ type: "update", channel: "safeguards", seq, ...body });
      this.send("safeguards", instrument, message);
      this.send("safeguards", ALL_INSTRUMENTS, message);
    }
    for (const orderId of batch.amended) {
      const account = accounts.order(orderId)?.account;
      if (account !== undefined && this.wants("orders", account)) add(batch.orders, account, orderId);
    }
    for (const [account, ids] of batch.orders) {
      const orders: unknown[] = [];
      for (const id of ids) {
        const order = accounts.order(id);
        if (order !== null) orders.push(json(order));
      }
      if (orders.length > 0)
        this.send("orders", account, () => ({ type: "update", channel: "orders", seq, account, orders }));
    }
    for (const [account, fills] of batch.fills) {
      this.send("fills", account, () => ({ type: "update", channel: "fills", seq, account, fills }));
    }
    for (const account of batch.balances) {
      const balances = accounts.balances(account).map(balanceWire);
      this.send("balances", account, () => ({ type: "update", channel: "balances", seq, account, balances }));
    }
    for (const [account, ids] of batch.obligations) {
      const obligations: unknown[] = [];
      for (const id of ids) {
        const obligation = accounts.obligation(id);
        if (obligation !== null) obligations.push(json(obligation));
      }
      if (obligations.length > 0) {
        this.send("obligations", account, () => ({
          type: "update",
          channel: "obligations",
          seq,
          account,
          obligations,
        }));
      }
    }
  }

  /** Tells the member's subscribers its unread count after a change that made no notification. */
  private noticesChanged(member: string): void {
    const notices = this.context.exchange.projections.notices;
    const seq = this.context.exchange.projections.lastSeq;
    const unread = notices.unreadCount(member);
    this.send("notifications", member, () => ({
      type: "update",
      channel: "notifications",
      seq,
      member,
      unread,
      notifications: [],
    }));
  }

  /** Sends a new notification to the member's subscribers, its sentence in each one's language. */
  private noticeMade(member: string, notice: Notice): void {
    const subscribers = this.index.get("notifications")?.get(member);
    if (subscribers === undefined || subscribers.size === 0) return;
    const notices = this.context.exchange.projections.notices;
    const view = { ...notice, read: notices.isRead(member, notice.id), mail: notices.mailState(notice.id) };
    const head = { type: "update", channel: "notifications", seq: this.context.exchange.projections.lastSeq, member };
    const unread = notices.unreadCount(member);
    const texts = new Map<Language, string>();
    for (const subscriber of subscribers.keys()) {
      let text = texts.get(subscriber.language);
      if (text === undefined) {
        text = JSON.stringify({ ...head, unread, notifications: [notificationWire(view, subscriber.language)] });
        texts.set(subscriber.language, text);
      }
      subscriber.deliver(text);
    }
  }

  private subscribers(channel: Channel, key: string): Iterable<[Subscriber, Subscription]> {
    return this.index.get(channel)?.get(key) ?? [];
  }

  /** Serialises the message once (only if someone listens on this key) and delivers it to every subscriber. */
  private send(channel: Channel, key: string, message: () => unknown): void {
    const subscribers = this.index.get(channel)?.get(key);
    if (subscribers === undefined || subscribers.size === 0) return;
    const text = JSON.stringify(message());
    for (const subscriber of subscribers.keys()) subscriber.deliver(text);
  }
}

function tapeTrade(event: TradeEvent, outcome: { readonly seq: number; readonly timeMs: number }): TapeTrade {
  return {
    seq: outcome.seq,
    timeMs: outcome.timeMs,
    tradeId: event.tradeId,
    instrument: event.instrument,
    priceTiynPerTonne: event.price,
    quantityKg: event.quantity,
    aggressor: event.aggressor,
  };
}

/**
 * Appends the trades of `instrument` that a journal record made (as the trades channel reports them) to `into`; the
 * events are parsed only when the record has a trade at all.
 */
export function tradesOfRecord(
  record: { readonly seq: number; readonly timeMs: number; readonly events: string },
  instrument: string,
  into: TapeTrade[],
  voids?: TradeVoid[],
): void {
  const voided = voids !== undefined && record.events.includes('"type":"obligation.voided"');
  if (!record.events.includes('"type":"trade"') && !voided) return;
  for (const event of JSON.parse(record.events) as EngineEvent[]) {
    if (event.type === "trade" && event.instrument === instrument) into.push(tapeTrade(event, record));
    if (event.type === "obligation.voided" && event.obligation.instrument === instrument && voids !== undefined) {
      // A trade read in the same resume is marked; one older than it is sent as a correction after the snapshot.
      const mark = { seq: record.seq, timeMs: record.timeMs, reason: event.reason ?? "", rule: event.rule ?? "" };
      const trade = into.find((t) => t.tradeId === event.obligation.tradeId);
      if (trade !== undefined) trade.voided = mark;
      else voids.push({ tradeId: event.obligation.tradeId, voided: mark });
    }
  }
}

/** A void correction of the trades channel: the trade and when and why it was voided. */
export interface TradeVoid {
  readonly tradeId: string;
  readonly voided: TradeVoidMark;
}

/** The owner of a ledger account `<owner>/<bucket>`. */
function ownerOf(ledgerAccount: string): string {
  const slash = ledgerAccount.lastIndexOf("/");
  return slash < 0 ? ledgerAccount : ledgerAccount.slice(0, slash);
}
