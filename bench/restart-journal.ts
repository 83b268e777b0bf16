/**
 * The journal the restart and takeover benchmarks start servers on (bench/restart.ts, bench/takeover.ts): the bench
 * workload (journal-workload.ts) written through the exchange, a trader of member B (account B1) with an API key, and
 * the signed order that trader sends to a started server.
 */

import Database from "better-sqlite3";
import { Exchange, VIEW_SNAPSHOT_EVERY_RECORDS } from "../src/gateway/exchange.ts";
import { sign } from "../src/gateway/signing.ts";
import { Users } from "../src/gateway/users.ts";
import { ENGINE_SNAPSHOT_THREAD_EVERY_RECORDS } from "../src/journal/engine-snapshot-thread.ts";
import { snapshotsFile } from "../src/journal/sqlite-store.ts";
import { BENCH_JOURNAL_INSTRUMENT, writeBenchJournal } from "./journal-workload.ts";

/** The trader (of member B, account B1) whose API key sends the order after each start. */
export const TRADER = { user: "bench-trader", key: "bench-restart-key", secret: "bench-restart-secret-0123456789" };

/**
 * Writes a SQLite journal of `commands` commands in `dir` through the exchange as the server does (sequencer, periodic
 * snapshots by count, every `snapshotEvery` records when given, else the server's), with the trader and its API key,
 * then waits for the snapshot threads and returns without closing: the last snapshots are the ones the count made, as
 * after a SIGKILL.
 */
export async function writeRestartJournal(
  dir: string,
  commands: number,
  snapshotEvery: number | undefined,
): Promise<void> {
  const exchange = await Exchange.open({
    data: dir,
    snapshotEveryMs: 0,
    ...(snapshotEvery === undefined ? {} : { snapshotEveryCommands: snapshotEvery }),
  });
  await writeBenchJournal(exchange, { commands, stream: "bench-restart" });
  const users = new Users(exchange);
  await users.create(
    {
      id: TRADER.user,
      name: "Bench Trader",
      role: "trader",
      member: "B",
      password: "bench restart trader password 2026",
      reason: "bench",
    },
    { actor: "bench" },
  );
  await users.createKey(TRADER.user, ["read", "trade"], { actor: "bench" }, { id: TRADER.key, secret: TRADER.secret });
  // The read models are snapshotted by count by the snapshot thread, which may be behind the head: wait for the last
  // one the count makes, so that the starts below find the same snapshots whatever the thread's pace.
  const every = snapshotEvery ?? VIEW_SNAPSHOT_EVERY_RECORDS;
  const last = every > 0 ? Math.floor(commands / every) * every : 0;
  const waitStarted = performance.now();
  // Only the newest seq is read, from a connection of its own: loading the snapshot itself (tens of megabytes at 1M)
  // ten times a second kept this thread and V8's collector busy and starved the snapshot thread it waits for.
  const snapshots = new Database(snapshotsFile(exchange.store.location), { readonly: true });
  const newestViewSeq = snapshots.prepare("SELECT coalesce(max(seq), 0) FROM view_snapshots").pluck();
  while (last > 0 && (newestViewSeq.get() as number) < last) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  snapshots.close();
  console.log(
    `the snapshot thread saved the read models at ${last} ${((performance.now() - waitStarted) / 1000).toFixed(1)} s after the last write`,
  );
  // The engine's snapshot thread, when it runs, catches up and snapshots within one interval of the head: wait for
  // it, so that the starts below find the tail it leaves (not one that depends on its pace).
  const engineThread = exchange.engineSnapshotThread;
  const headSeq = exchange.engine.lastSeq;
  const engineWait = performance.now();
  const newestSeq = async () => (await exchange.store.snapshots())[0]?.seq ?? 0;
  while (engineThread?.usable && headSeq - (await newestSeq()) >= ENGINE_SNAPSHOT_THREAD_EVERY_RECORDS) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  console.log(
    `engine snapshots: ${engineThread === null ? "by the sequencer on the main thread" : `by the snapshot thread (${engineThread.usable ? "running" : "failed"})`}; newest at ${await newestSeq()} of ${headSeq} (${((performance.now() - engineWait) / 1000).toFixed(1)} s after the last write)`,
  );
  // No close: the last snapshot is the one the count made, as after a SIGKILL.
}

/** POSTs one signed buy order of `TRADER` at a price that rests; resolves with the status and the body's text. */
export async function placeBenchOrder(url: string, clientOrderId: string): Promise<{ status: number; text: string }> {
  const body = JSON.stringify({
    instrument: BENCH_JOURNAL_INSTRUMENT,
    account: "B1",
    clientOrderId,
    side: "buy",
    type: "limit",
    price: 10_000_000,
    quantity: 1000,
  });
  const timestampMs = Date.now();
  const answer = await fetch(`${url}/api/orders`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-sauda-key": TRADER.key,
      "x-sauda-timestamp": String(timestampMs),
      "x-sauda-signature": sign(TRADER.secret, timestampMs, "POST", "/api/orders", body),
    },
    body,
  });
  return { status: answer.status, text: await answer.text() };
}
