/**
 * The regulator's order and trade report of one trading day, the way REMIT's transaction reporting works: every
 * order's lifecycle and every trade with both parties, one record per line, in journal order. Its schema is
 * docs/feed.schema.json (checked by a test); docs/feed.md explains it.
 *
 * Records (all with `seq`, `time` (UTC ISO 8601), `instrument`):
 * - `new`: an order the exchange accepted — account, member, side, order type, price (tiyn per tonne, null for a
 *   market order), quantity (kg), time in force, expiry, post-only, self-trade prevention;
 * - `rejected`: an order the exchange refused, with the registry code;
 * - `rested`: the order rests in the book at a price with an open quantity (after what it traded on entry);
 * - `amended`: new price and open quantity, and whether it kept its time priority;
 * - `cancelled`: the open quantity cancelled and why (`requested`, `expired`, `halt`, `price-limit`, ...);
 * - `trade`: trade id, price, quantity, both orders, accounts and members, which side was the aggressor, and what
 *   each order has open after it;
 * - `void`: the operator voided a trade (on the day of the void): trade id, price, quantity, both accounts and
 *   members, the reason and the rule it broke.
 * With these alone the day's order books can be rebuilt (a test does), given the books at the day's start — the
 * `open` records that start the report: every order resting when the day began, in time priority.
 *
 * Pure: fed the day's journal outcomes and the resting orders at its start by the caller.
 */

import type { EngineEvent } from "../engine/events.ts";
import { toCsv } from "../projections/index.ts";
import { isoUtc } from "../projections/numbers.ts";
import type { ProjectionOutcome } from "../projections/outcome.ts";

export type FeedRecord = Readonly<Record<string, string | number | boolean | null>> & {
  readonly seq: number;
  readonly time: string;
  readonly record: string;
  readonly instrument: string;
};

/** An order resting when the day began (from the books the caller rebuilt or kept). */
export interface OpenOrder {
  readonly instrument: string;
  readonly orderId: string;
  readonly account: string;
  readonly side: "buy" | "sell";
  readonly price: number;
  readonly open: number;
}

export type MemberOf = (account: string) => string | null;

/** The report's records of one day: the books at its start, then each outcome's events in journal order. */
export function feedRecords(
  startSeq: number,
  startMs: number,
  open: readonly OpenOrder[],
  outcomes: Iterable<ProjectionOutcome>,
  memberOf: MemberOf,
): FeedRecord[] {
  const out: FeedRecord[] = [];
  for (const o of open) {
    out.push({
      seq: startSeq,
      time: isoUtc(startMs),
      record: "open",
      instrument: o.instrument,
      orderId: o.orderId,
      account: o.account,
      member: memberOf(o.account),
      side: o.side,
      price: o.price,
      open: o.open,
    });
  }
  for (const outcome of outcomes) {
    const time = isoUtc(outcome.timeMs);
    const seq = outcome.seq;
    const command = outcome.command as { type?: unknown; instrument?: unknown; account?: unknown; orderId?: unknown };
    for (const event of outcome.events as readonly EngineEvent[]) {
      switch (event.type) {
        case "order.accepted":
          out.push({
            seq,
            time,
            record: "new",
            instrument: event.instrument,
            orderId: event.orderId,
            account: event.account,
            member: memberOf(event.account),
            side: event.side,
            orderType: event.orderType,
            price: event.price,
            quantity: event.quantity,
            tif: event.tif,
            expireAt: event.expireAtMs === null ? null : isoUtc(event.expireAtMs),
            postOnly: event.postOnly,
            stp: event.stp,
          });
          break;
        case "rejected":
          if (event.command === "order.new" && typeof command.instrument === "string") {
            const account = typeof command.account === "string" ? command.account : null;
            out.push({
              seq,
              time,
              record: "rejected",
              instrument: command.instrument,
              orderId: event.orderId,
              account,
              member: account === null ? null : memberOf(account),
              code: event.code,
            });
          }
          break;
        case "order.rested":
          out.push({
            seq,
            time,
            record: "rested",
            instrument: event.instrument,
            orderId: event.orderId,
            price: event.price,
            open: event.open,
          });
          break;
        case "order.amended":
          out.push({
            seq,
            time,
            record: "amended",
            instrument: event.instrument,
            orderId: event.orderId,
            price: event.price,
            open: event.open,
            priorityKept: event.priorityKept,
          });
          break;
        case "order.cancelled":
          out.push({
            seq,
            time,
            record: "cancelled",
            instrument: event.instrument,
            orderId: event.orderId,
            account: event.account,
            quantity: event.quantity,
            reason: event.reason,
          });
          break;
        case "trade":
          out.push({
            seq,
            time,
            record: "trade",
            instrument: event.instrument,
            tradeId: event.tradeId,
            price: event.price,
            quantity: event.quantity,
            buyOrderId: event.buyOrderId,
            sellOrderId: event.sellOrderId,
            buyAccount: event.buyAccount,
            sellAccount: event.sellAccount,
            buyMember: memberOf(event.buyAccount),
            sellMember: memberOf(event.sellAccount),
            aggressor: event.aggressor,
            buyOpen: event.buyOpen,
            sellOpen: event.sellOpen,
          });
          break;
        case "trade.negotiated":
          // A negotiated deal registered through the exchange: both order ids are the deal's (`ND-<seq>`), no
          // aggressor, nothing left open (docs/feed.md).
          out.push({
            seq,
            time,
            record: "trade",
            instrument: event.instrument,
            tradeId: event.tradeId,
            price: event.price,
            quantity: event.quantity,
            buyOrderId: event.deal,
            sellOrderId: event.deal,
            buyAccount: event.buyAccount,
            sellAccount: event.sellAccount,
            buyMember: memberOf(event.buyAccount),
            sellMember: memberOf(event.sellAccount),
            aggressor: null,
            buyOpen: 0,
            sellOpen: 0,
          });
          break;
        case "obligation.voided": {
          // The operator voided a trade (`trade.void`): a correction on the day of the void, naming the trade, its
          // parties, and the reason and rule; the trade's own record stays in the report of its day.
          const o = event.obligation;
          out.push({
            seq,
            time,
            record: "void",
            instrument: o.instrument,
            tradeId: o.tradeId,
            price: o.price,
            quantity: o.quantity,
            buyAccount: o.buyer,
            sellAccount: o.seller,
            buyMember: memberOf(o.buyer),
            sellMember: memberOf(o.seller),
            reason: event.reason ?? "",
            rule: event.rule ?? "",
          });
          break;
        }
        default:
          break;
      }
    }
  }
  return out;
}

/** Every field a record may have, in the CSV's column order. */
export const FEED_COLUMNS = [
  "seq",
  "time",
  "record",
  "instrument",
  "orderId",
  "account",
  "member",
  "side",
  "orderType",
  "price",
  "quantity",
  "open",
  "tif",
  "expireAt",
  "postOnly",
  "stp",
  "priorityKept",
  "reason",
  "code",
  "tradeId",
  "buyOrderId",
  "sellOrderId",
  "buyAccount",
  "sellAccount",
  "buyMember",
  "sellMember",
  "aggressor",
  "buyOpen",
  "sellOpen",
  "rule",
] as const;

export function feedJsonLines(records: readonly FeedRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join("");
}

export function feedCsv(records: readonly FeedRecord[]): string {
  return toCsv(
    FEED_COLUMNS,
    records.map((r) => FEED_COLUMNS.map((c) => r[c] ?? null)),
  );
}

type Resting = { -readonly [K in keyof OpenOrder]: OpenOrder[K] } & { priority: number };

/**
 * Order books rebuilt from report records alone: what rests, at what price and open quantity, in time priority.
 * `open` and `rested` records put an order in the book, `amended` moves it (to the back of its queue unless it kept
 * its priority), `trade` leaves each order what the trade says it has open, `cancelled` takes it out.
 */
export class ReportBooks {
  private readonly resting = new Map<string, Resting>();
  private readonly entered = new Map<string, { account: string; side: "buy" | "sell" }>();
  private counter = 0;

  apply(record: FeedRecord): void {
    const id = String(record.orderId);
    switch (record.record) {
      case "open":
        this.resting.set(id, {
          instrument: record.instrument,
          orderId: id,
          account: String(record.account),
          side: record.side as "buy" | "sell",
          price: Number(record.price),
          open: Number(record.open),
          priority: ++this.counter,
        });
        break;
      case "new":
        this.entered.set(id, { account: String(record.account), side: record.side as "buy" | "sell" });
        break;
      case "rested": {
        const entered = this.entered.get(id);
        if (entered === undefined) break;
        this.entered.delete(id);
        this.resting.set(id, {
          instrument: record.instrument,
          orderId: id,
          ...entered,
          price: Number(record.price),
          open: Number(record.open),
          priority: ++this.counter,
        });
        break;
      }
      case "amended": {
        const order = this.resting.get(id);
        if (order === undefined) break;
        order.price = Number(record.price);
        order.open = Number(record.open);
        if (record.priorityKept !== true) order.priority = ++this.counter;
        break;
      }
      case "trade":
        for (const [orderId, open] of [
          [String(record.buyOrderId), Number(record.buyOpen)],
          [String(record.sellOrderId), Number(record.sellOpen)],
        ] as const) {
          const order = this.resting.get(orderId);
          if (order === undefined) continue;
          if (open === 0) this.resting.delete(orderId);
          else order.open = open;
        }
        break;
      case "cancelled":
        this.resting.delete(id);
        this.entered.delete(id);
        break;
      default:
        break;
    }
  }

  /** Resting orders by instrument and time priority. */
  openOrders(): OpenOrder[] {
    return [...this.resting.values()]
      .sort((a, b) => (a.instrument < b.instrument ? -1 : a.instrument > b.instrument ? 1 : a.priority - b.priority))
      .map(({ priority: _priority, ...order }) => order);
  }

  /** One instrument's book by price level: best first, each level's orders in time priority. */
  levels(instrument: string): { bids: Level[]; asks: Level[] } {
    const side = (s: "buy" | "sell") => {
      const levels = new Map<number, Level>();
      for (const o of this.openOrders()) {
        if (o.instrument !== instrument || o.side !== s) continue;
        const level = levels.get(o.price) ?? { price: o.price, quantity: 0, orders: [] };
        level.quantity += o.open;
        level.orders.push(o.orderId);
        levels.set(o.price, level);
      }
      return [...levels.values()].sort((a, b) => (s === "buy" ? b.price - a.price : a.price - b.price));
    };
    return { bids: side("buy"), asks: side("sell") };
  }
}

export interface Level {
  readonly price: number;
  quantity: number;
  readonly orders: string[];
}
