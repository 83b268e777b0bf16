/**
 * What the tests of the read models' snapshots share (test/gateway/view-snapshots.test.ts, deferred-views.test.ts):
 * a deterministic stream of orders that rest and cross, the read models as their snapshot captures them, and a
 * journal whose newest snapshot of them is damaged; and a gate that holds their load (`viewsGate`), so what happens
 * "while they load" is decided by the test, not by timing (deferred-views, identity, stream-views-loading tests).
 */

import { join } from "node:path";
import { deserialize } from "node:v8";
import Database from "better-sqlite3";
import type { Command } from "../../src/engine/commands.ts";
import type { Exchange } from "../../src/gateway/exchange.ts";
import { captureViews } from "../../src/gateway/view-snapshots.ts";
import { Projections } from "../../src/projections/index.ts";
import { INSTRUMENT } from "./server.ts";

/** A gate for `viewsGate`: the read models' load waits on `hold()` until `release()`. */
export function gate(): { hold: () => Promise<void>; release: () => void } {
  let release = (): void => undefined;
  const held = new Promise<void>((resolveGate) => {
    release = resolveGate;
  });
  return { hold: () => held, release };
}

/** Orders that rest and cross (trades, obligations, candles), deterministic; ids `${prefix}${i}`. */
export function restingAndCrossingOrders(count: number, prefix = "o"): Command[] {
  const commands: Command[] = [];
  for (let i = 0; i < count; i++) {
    const buy = i % 2 === 1;
    commands.push({
      type: "order.new",
      instrument: INSTRUMENT,
      orderId: `${prefix}${i}`,
      account: buy ? "AKTAU-1" : "KAZGPZ-1",
      side: buy ? "buy" : "sell",
      orderType: "limit",
      price: 13_300_000 + ((i * 7) % 5) * 100,
      quantity: 1000 * (1 + (i % 3)),
    });
  }
  return commands;
}

/** The read models as the snapshot captures them (classes named, functions marked), read back as plain data. */
export function capturedViews(exchange: Exchange): unknown {
  return deserialize(captureViews([exchange.projections, exchange.surveillance], [new Projections()]));
}

/** Flips one bit near the end of the newest snapshot of the read models in the SQLite journal under `dir`. */
export function damageNewestViewSnapshot(dir: string): void {
  const db = new Database(join(dir, "sauda.sqlite"));
  const row = db.prepare("SELECT seq, data FROM view_snapshots ORDER BY seq DESC LIMIT 1").get() as {
    seq: number;
    data: Buffer;
  };
  const changed = Buffer.from(row.data);
  changed[changed.length - 2] = changed[changed.length - 2]! ^ 1;
  db.prepare("UPDATE view_snapshots SET data = ? WHERE seq = ?").run(changed, row.seq);
  db.close();
}
