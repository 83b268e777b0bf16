/**
 * An alert's evidence pack, reconstructed from the journal: the orders it names (as entered, each amendment, the
 * cancel, the fills) and the trades it names, plus the price path of its instrument over the same span (every trade's
 * time and price, to draw the orders on). The caller reads the journal records of the alert's span in seq order —
 * from the opening of its first session, or the alert's start if earlier, to the alert's end — and feeds them here;
 * the collector keeps only what concerns the alert. And the book at each moment that concerns the alert: after every
 * record in which one of its orders was entered, amended, filled or cancelled, or one of its trades happened, the
 * book of that instrument (its best levels, and the auction's curves while orders are collected: book-replay.ts).
 *
 * Limits: an alert names at most `ALERT_ORDERS_MAX` orders and trades (alerts.ts); the price path keeps at most
 * `PRICE_PATH_POINTS_MAX` trades (the first ones; `pricePathComplete` says whether it holds them all). An order
 * entered before the span read (a GTC order carried over) is listed with `entered: null`. At most `BOOK_MOMENTS_MAX`
 * books (the first ones; `booksComplete` says whether it holds them all).
 *
 * For a `diversion` alert: the shipments it names, each as dispatched and as arrived (the alert's span runs from the
 * trade to the last diverted arrival, so both records lie in it).
 *
 * Complexity: O(events) per record, O(1) each.
 */

import type { DiversionReason } from "../engine/delivery.ts";
import type { EngineEvent } from "../engine/events.ts";
import { BookReplay, type BookView } from "./book-replay.ts";
import type { Side } from "./records.ts";

export const PRICE_PATH_POINTS_MAX = 5000;
export const BOOK_MOMENTS_MAX = 500;

export interface EvidenceStep {
  readonly seq: number;
  readonly timeMs: number;
}

export interface EvidenceOrder {
  readonly order: string;
  readonly instrument: string | null;
  readonly account: string | null;
  readonly side: Side | null;
  /** As entered; null for a market order, or when the entry lies before the span read. */
  readonly entered: (EvidenceStep & { readonly priceTiynPerTonne: number | null; readonly quantityKg: number }) | null;
  readonly amendments: readonly (EvidenceStep & {
    readonly priceTiynPerTonne: number | null;
    readonly openKg: number;
  })[];
  readonly fills: readonly (EvidenceStep & {
    readonly trade: string;
    readonly priceTiynPerTonne: number;
    readonly quantityKg: number;
  })[];
  readonly cancelled: (EvidenceStep & { readonly reason: string }) | null;
}

export interface EvidenceTrade extends EvidenceStep {
  readonly trade: string;
  readonly instrument: string;
  readonly buyOrder: string;
  readonly sellOrder: string;
  readonly buyAccount: string;
  readonly sellAccount: string;
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
}

export interface PricePoint {
  readonly seq: number;
  readonly timeMs: number;
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
}

/** A shipment a `diversion` alert names, as dispatched or as arrived (the journal's `shipment.*` events). */
export interface EvidenceShipment extends EvidenceStep {
  readonly shipment: string;
  readonly step: "dispatched" | "arrived";
  readonly obligation: string;
  readonly seller: string;
  readonly buyer: string;
  readonly vehicle: string;
  readonly waybill: string;
  readonly quantityKg: number;
  /** The dispatch date the seller gave. */
  readonly date: string;
  /** Where it arrived (arrived only). */
  readonly station: string | null;
  readonly stationRegion: string | null;
  readonly reasons: readonly DiversionReason[];
}

/** The book of an instrument just after a record that concerns the alert. */
export interface BookMoment extends EvidenceStep {
  /** The alert's orders and trades the record concerns, sorted. */
  readonly about: readonly string[];
  readonly book: BookView;
}

export interface EvidencePack {
  /** The journal records read: [fromSeq, toSeq] (0, 0 when none). */
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly orders: readonly EvidenceOrder[];
  readonly trades: readonly EvidenceTrade[];
  /** The instrument whose price path is given; null when the alert has none (rule 6, or several instruments). */
  readonly pricePathInstrument: string | null;
  readonly pricePath: readonly PricePoint[];
  readonly pricePathComplete: boolean;
  readonly books: readonly BookMoment[];
  readonly booksComplete: boolean;
  /** The shipments a `diversion` alert names, each as dispatched and as arrived; empty for the other rules. */
  readonly shipments: readonly EvidenceShipment[];
}

interface MutableOrder {
  order: string;
  instrument: string | null;
  account: string | null;
  side: Side | null;
  entered: EvidenceOrder["entered"];
  amendments: EvidenceOrder["amendments"][number][];
  fills: EvidenceOrder["fills"][number][];
  cancelled: EvidenceOrder["cancelled"];
}

export class EvidenceCollector {
  private readonly orders = new Map<string, MutableOrder>();
  private readonly tradeIds: ReadonlySet<string>;
  private readonly trades: EvidenceTrade[] = [];
  private readonly path: PricePoint[] = [];
  private pathComplete = true;
  private readonly replay: BookReplay;
  private readonly books: BookMoment[] = [];
  private booksComplete = true;
  private fromSeq = 0;
  private toSeq = 0;
  private readonly shipmentIds: ReadonlySet<string>;
  private readonly shipments: EvidenceShipment[] = [];

  constructor(
    alert: {
      readonly orders: readonly string[];
      readonly trades: readonly string[];
      readonly diversion?: { readonly shipments: readonly { readonly shipment: string }[] };
    },
    private readonly instrument: string | null,
  ) {
    for (const order of alert.orders) {
      this.orders.set(order, {
        order,
        instrument: null,
        account: null,
        side: null,
        entered: null,
        amendments: [],
        fills: [],
        cancelled: null,
      });
    }
    this.tradeIds = new Set(alert.trades);
    this.shipmentIds = new Set((alert.diversion?.shipments ?? []).map((s) => s.shipment));
    this.replay = new BookReplay(new Set(alert.orders));
  }

  record(seq: number, timeMs: number, events: readonly EngineEvent[]): void {
    if (this.fromSeq === 0) this.fromSeq = seq;
    this.toSeq = seq;
    this.replay.apply(events);
    const about = new Map<string, Set<string>>();
    const concerns = (instrument: string, id: string): void => {
      let ids = about.get(instrument);
      if (ids === undefined) {
        ids = new Set();
        about.set(instrument, ids);
      }
      ids.add(id);
    };
    for (const event of events) {
      if (event.type === "trade") {
        if (this.tradeIds.has(event.tradeId)) concerns(event.instrument, event.tradeId);
        for (const id of [event.buyOrderId, event.sellOrderId]) {
          if (this.orders.has(id)) concerns(event.instrument, id);
        }
      } else if (
        (event.type === "order.accepted" || event.type === "order.amended" || event.type === "order.cancelled") &&
        this.orders.has(event.orderId)
      ) {
        concerns(event.instrument, event.orderId);
      }
      switch (event.type) {
        case "order.accepted": {
          const order = this.orders.get(event.orderId);
          if (order === undefined) break;
          order.instrument = event.instrument;
          order.account = event.account;
          order.side = event.side;
          order.entered = { seq, timeMs, priceTiynPerTonne: event.price, quantityKg: event.quantity };
          break;
        }
        case "order.amended": {
          const order = this.orders.get(event.orderId);
          if (order === undefined) break;
          order.instrument ??= event.instrument;
          order.amendments.push({ seq, timeMs, priceTiynPerTonne: event.price ?? null, openKg: event.open });
          break;
        }
        case "order.cancelled": {
          const order = this.orders.get(event.orderId);
          if (order === undefined) break;
          order.instrument ??= event.instrument;
          order.account ??= event.account;
          order.cancelled = { seq, timeMs, reason: event.reason };
          break;
        }
        case "trade": {
          for (const [id, account, side] of [
            [event.buyOrderId, event.buyAccount, "buy"],
            [event.sellOrderId, event.sellAccount, "sell"],
          ] as const) {
            const order = this.orders.get(id);
            if (order === undefined) continue;
            order.instrument ??= event.instrument;
            order.account ??= account;
            order.side ??= side;
            order.fills.push({
              seq,
              timeMs,
              trade: event.tradeId,
              priceTiynPerTonne: event.price,
              quantityKg: event.quantity,
            });
          }
          if (this.tradeIds.has(event.tradeId)) {
            this.trades.push({
              seq,
              timeMs,
              trade: event.tradeId,
              instrument: event.instrument,
              buyOrder: event.buyOrderId,
              sellOrder: event.sellOrderId,
              buyAccount: event.buyAccount,
              sellAccount: event.sellAccount,
              priceTiynPerTonne: event.price,
              quantityKg: event.quantity,
            });
          }
          if (event.instrument === this.instrument) {
            if (this.path.length < PRICE_PATH_POINTS_MAX) {
              this.path.push({ seq, timeMs, priceTiynPerTonne: event.price, quantityKg: event.quantity });
            } else {
              this.pathComplete = false;
            }
          }
          break;
        }
        case "shipment.dispatched":
        case "shipment.arrived": {
          const s = event.shipment;
          if (!this.shipmentIds.has(s.id)) break;
          const arrived = event.type === "shipment.arrived" ? s.arrival : null;
          this.shipments.push({
            seq,
            timeMs,
            shipment: s.id,
            step: arrived === null ? "dispatched" : "arrived",
            obligation: s.obligation,
            seller: s.seller,
            buyer: s.buyer,
            vehicle: s.vehicle,
            waybill: s.waybill,
            quantityKg: s.quantity,
            date: s.date,
            station: arrived?.station ?? null,
            stationRegion: arrived?.stationRegion ?? null,
            reasons: arrived === null ? [] : [...arrived.diversion],
          });
          break;
        }
        default:
          break;
      }
    }
    for (const [instrument, ids] of about) {
      if (this.books.length >= BOOK_MOMENTS_MAX) {
        this.booksComplete = false;
        break;
      }
      this.books.push({ seq, timeMs, about: [...ids].sort(), book: this.replay.view(instrument) });
    }
  }

  pack(): EvidencePack {
    return {
      fromSeq: this.fromSeq,
      toSeq: this.toSeq,
      orders: [...this.orders.values()].map((o) => ({ ...o })),
      trades: this.trades,
      pricePathInstrument: this.instrument,
      pricePath: this.path,
      pricePathComplete: this.pathComplete,
      books: this.books,
      booksComplete: this.booksComplete,
      shipments: this.shipments,
    };
  }
}
