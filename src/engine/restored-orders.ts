/**
 * The live orders of a version 5 snapshot, read in place from its columns: a restore places each order in its book
 * from here without making its record, and a market makes an order's record (`record`) only when something first
 * needs it (a trade, a cancel or amend, a listing, an expiry) or when the engine warms its index (`Engine.warm`).
 *
 * Promise: `record(row)` gives the record the eager restore made for that row (same fields, same values); each row's
 * record is made at most once (the market keeps it). The constructor checks what the eager restore checked of the
 * columns: each holds every order, every string index names a string.
 */

import { invariant } from "../domain/errors.ts";
import type { OrderType, Side, StpMode, TimeInForce } from "../domain/order.ts";
import { NIL } from "./book.ts";
import { type Column, RandomColumn } from "./columns.ts";

/** Version 5's order columns (`OrderColumnsV5` in engine.ts, which names this type). */
export interface OrderColumnsIn {
  readonly id: readonly string[];
  readonly strings: readonly string[];
  readonly instrument: Column<number>;
  readonly account: Column<number>;
  readonly side: Column<number>;
  readonly orderType: Column<number>;
  readonly price: Column<number | null>;
  readonly open: Column<number>;
  readonly filled: Column<number>;
  readonly tif: Column<number>;
  readonly expireAtMs: Column<number | null>;
  readonly postOnly: Column<number>;
  readonly stp: Column<number>;
  readonly status: Column<number>;
  readonly entry: Column<number>;
  readonly quantity: Column<number>;
  readonly content: Column<number>;
  readonly collateralBps: Column<number>;
  readonly feeBps: Column<number>;
  readonly blockPerTonne: Column<number>;
}

export class RestoredOrders {
  readonly length: number;
  readonly ids: readonly string[];
  private readonly strings: readonly string[];
  readonly instrument: RandomColumn<number>;
  readonly account: RandomColumn<number>;
  readonly side: RandomColumn<number>;
  readonly orderType: RandomColumn<number>;
  readonly price: RandomColumn<number | null>;
  readonly open: RandomColumn<number>;
  readonly filled: RandomColumn<number>;
  readonly tif: RandomColumn<number>;
  readonly expireAtMs: RandomColumn<number | null>;
  readonly postOnly: RandomColumn<number>;
  readonly stp: RandomColumn<number>;
  readonly status: RandomColumn<number>;
  readonly entry: RandomColumn<number>;
  readonly quantity: RandomColumn<number>;
  readonly content: RandomColumn<number>;
  readonly collateralBps: RandomColumn<number>;
  readonly feeBps: RandomColumn<number>;
  readonly blockPerTonne: RandomColumn<number>;

  constructor(c: OrderColumnsIn) {
    invariant(Array.isArray(c.id) && Array.isArray(c.strings), "snapshot order columns hold no ids or strings");
    const n = c.id.length;
    this.length = n;
    this.ids = c.id;
    this.strings = c.strings;
    const strings = c.strings;
    const text = (name: keyof OrderColumnsIn): RandomColumn<number> => {
      const column = new RandomColumn(c[name] as Column<number>, n, name);
      column.forEachValue((index) => {
        if (strings[index] === undefined) {
          invariant(false, `snapshot order column names string ${index}, which does not exist`);
        }
      });
      return column;
    };
    this.instrument = text("instrument");
    this.account = text("account");
    this.side = text("side");
    this.orderType = text("orderType");
    this.tif = text("tif");
    this.stp = text("stp");
    this.status = text("status");
    this.content = text("content");
    this.price = new RandomColumn(c.price, n, "price");
    this.open = new RandomColumn(c.open, n, "open");
    this.filled = new RandomColumn(c.filled, n, "filled");
    this.expireAtMs = new RandomColumn(c.expireAtMs, n, "expireAtMs");
    this.postOnly = new RandomColumn(c.postOnly, n, "postOnly");
    this.entry = new RandomColumn(c.entry, n, "entry");
    this.quantity = new RandomColumn(c.quantity, n, "quantity");
    this.collateralBps = new RandomColumn(c.collateralBps, n, "collateralBps");
    this.feeBps = new RandomColumn(c.feeBps, n, "feeBps");
    this.blockPerTonne = new RandomColumn(c.blockPerTonne, n, "blockPerTonne");
  }

  /** The string a text column's entry names. */
  text(column: RandomColumn<number>, row: number): string {
    return this.strings[column.at(row)]!;
  }

  /**
   * The record of the order in `row`, with no book handle yet: an `OrderRecord` (market.ts, which reads this file, so
   * the type is not named here).
   */
  record(row: number) {
    return {
      id: this.ids[row]!,
      instrument: this.text(this.instrument, row),
      account: this.text(this.account, row),
      side: this.text(this.side, row) as Side,
      orderType: this.text(this.orderType, row) as OrderType,
      price: this.price.at(row),
      open: this.open.at(row),
      filled: this.filled.at(row),
      tif: this.text(this.tif, row) as TimeInForce,
      expireAtMs: this.expireAtMs.at(row),
      postOnly: this.postOnly.at(row) === 1,
      stp: this.text(this.stp, row) as StpMode,
      status: this.text(this.status, row) as "resting" | "filled" | "cancelled",
      handle: NIL,
      entry: this.entry.at(row),
      quantity: this.quantity.at(row),
      content: this.text(this.content, row),
      collateralBps: this.collateralBps.at(row),
      feeBps: this.feeBps.at(row),
      blockPerTonne: this.blockPerTonne.at(row),
    };
  }
}
