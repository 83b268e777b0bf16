/**
 * An engine snapshot in version 3's format (live orders one object each), as a version before 4 wrote it: for the
 * tests that a version 3 snapshot is still read (src/engine/engine.test.ts, src/journal/journal.test.ts).
 */

import type { EngineSnapshot, EngineSnapshotV3, OrderSnapshot } from "../../src/engine/engine.ts";
import { asVersion4 } from "./engine-snapshot-v4.ts";

export function asVersion3(snapshot: EngineSnapshot): EngineSnapshotV3 {
  const v4 = asVersion4(snapshot);
  const c = v4.orders;
  const text = <T extends string>(index: number | undefined): T => c.strings[index!] as T;
  const orders = c.id.map(
    (id, i): OrderSnapshot => ({
      id,
      instrument: text(c.instrument[i]),
      account: text(c.account[i]),
      side: text(c.side[i]),
      orderType: text(c.orderType[i]),
      price: c.price[i]!,
      open: c.open[i]!,
      filled: c.filled[i]!,
      tif: text(c.tif[i]),
      expireAtMs: c.expireAtMs[i]!,
      postOnly: c.postOnly[i] === 1,
      stp: text(c.stp[i]),
      status: text(c.status[i]),
      entry: c.entry[i]!,
      quantity: c.quantity[i]!,
      content: text(c.content[i]),
      collateralBps: c.collateralBps[i]!,
      feeBps: c.feeBps[i]!,
      blockPerTonne: c.blockPerTonne[i]!,
    }),
  );
  return { ...v4, version: 3, orders };
}
