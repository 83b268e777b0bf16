/**
 * What the tests of the read models' snapshots share (test/gateway/view-snapshots.test.ts, deferred-views.test.ts):
 * a deterministic stream of orders that rest and cross, the read models as their snapshot captures them, a journal
 * whose newest snapshot of them is damaged, and a copy of a journal without them; and a gate that holds their load (`viewsGate`), so what happens
 * "while they load" is decided by the test, not by timing (deferred-views, identity, stream-views-loading tests).
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize } from "node:v8";
import type { Command } from "../../src/engine/commands.ts";
import type { Exchange } from "../../src/gateway/exchange.ts";
import { captureViews } from "../../src/gateway/view-snapshots.ts";
import { openJournalDatabase, SQLITE_FILE_NAME, snapshotsFile } from "../../src/journal/sqlite-store.ts";
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
  const db = openJournalDatabase(join(dir, SQLITE_FILE_NAME));
  const row = db.prepare("SELECT seq, data FROM view_snapshots ORDER BY seq DESC LIMIT 1").get() as {
    seq: number;
    data: Buffer;
  };
  const changed = Buffer.from(row.data);
  changed[changed.length - 2] = changed[changed.length - 2]! ^ 1;
  db.prepare("UPDATE view_snapshots SET data = ? WHERE seq = ?").run(changed, row.seq);
  db.close();
}

/**
 * A copy (in a new directory named from `prefix`) of the SQLite journal under `dir` and its snapshots but those of
 * the read models: a start on it replays every record into them.
 */
export function copyWithoutViewSnapshots(dir: string, prefix: string): string {
  const copy = mkdtempSync(join(tmpdir(), prefix));
  const to = join(copy, SQLITE_FILE_NAME);
  const source = openJournalDatabase(join(dir, SQLITE_FILE_NAME));
  source.prepare("VACUUM main INTO ?").run(to);
  source.prepare("VACUUM snap INTO ?").run(snapshotsFile(to));
  source.close();
  const db = openJournalDatabase(to);
  db.exec("DELETE FROM view_snapshots");
  db.close();
  return copy;
}
