/**
 * An engine snapshot in version 4's format (live orders by column sorted by id, every entry written out, the markets
 * naming their orders by id; done orders and obligations one object each), as a version before 5 wrote it: for the tests that a version 4 snapshot is still read
 * (src/engine/engine.test.ts, src/journal/journal.test.ts).
 */

import { type Column, ColumnReader } from "../../src/engine/columns.ts";
import type { EngineSnapshot, EngineSnapshotV4, OrderColumns } from "../../src/engine/engine.ts";
import { asVersion5 } from "./engine-snapshot-v5.ts";

const NUMBER_FIELDS = [
  "price",
  "open",
  "filled",
  "expireAtMs",
  "postOnly",
  "entry",
  "quantity",
  "collateralBps",
  "feeBps",
  "blockPerTonne",
] as const;
const TEXT_FIELDS = ["instrument", "account", "side", "orderType", "tif", "stp", "status", "content"] as const;
/** Version 4's columns in its key order; the strings were named in this order for each order. */
const FIELDS = [
  "instrument",
  "account",
  "side",
  "orderType",
  "price",
  "open",
  "filled",
  "tif",
  "expireAtMs",
  "postOnly",
  "stp",
  "status",
  "entry",
  "quantity",
  "content",
  "collateralBps",
  "feeBps",
  "blockPerTonne",
] as const;

export function asVersion4(current: EngineSnapshot): EngineSnapshotV4 {
  const snapshot = asVersion5(current);
  const c = snapshot.orders;
  const n = c.id.length;
  const values = new Map<string, readonly (string | number | null)[]>();
  const all = <T extends number | null>(column: Column<T>, field: string): T[] => {
    const reader = new ColumnReader(column, n, field);
    return Array.from({ length: n }, () => reader.next());
  };
  for (const field of NUMBER_FIELDS) values.set(field, all(c[field], field));
  for (const field of TEXT_FIELDS)
    values.set(
      field,
      all(c[field], field).map((i) => c.strings[i]!),
    );
  const byId = [...c.id.keys()].sort((a, b) => (c.id[a]! < c.id[b]! ? -1 : c.id[a]! > c.id[b]! ? 1 : 0));
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  const columns: Record<string, (string | number | null)[]> = { id: [] };
  for (const field of FIELDS) columns[field] = [];
  for (const i of byId) {
    columns.id!.push(c.id[i]!);
    for (const field of FIELDS) {
      const value = values.get(field)![i]!;
      if ((TEXT_FIELDS as readonly string[]).includes(field)) {
        let index = indexes.get(value as string);
        if (index === undefined) {
          index = strings.length;
          strings.push(value as string);
          indexes.set(value as string, index);
        }
        columns[field]!.push(index);
      } else {
        columns[field]!.push(value);
      }
    }
  }
  const orders = { strings, ...columns } as unknown as OrderColumns;
  let at = 0;
  const markets = snapshot.markets.map(({ bidOrders, askOrders, ...market }) => {
    const bids = c.id.slice(at, at + bidOrders);
    at += bidOrders;
    const asks = c.id.slice(at, at + askOrders);
    at += askOrders;
    return { ...market, bids, asks };
  });
  return { ...snapshot, version: 4, markets, orders };
}
