/**
 * The start-up chain check on a journal of BENCH_CHAIN_RECORDS records (default 1,000,000): every record read and
 * hashed (chain.js), no replay — what each server start now does for the records its snapshot covers, and what lets it
 * refuse a forged past. Records are order commands of the usual size with their events and meta, chained and written
 * through the SQLite store. The check runs in a fresh process, as at a start; wall time and CPU time (all threads)
 * are printed, because on a shared machine the wall time mostly measures the neighbours.
 *
 * Run: `node --import tsx bench/chain-check.ts`.
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GENESIS_HASH, type UnchainedRecord } from "../src/journal/records.ts";
import { checkChain } from "../src/journal/recovery.ts";
import { SqliteStore } from "../src/journal/sqlite-store.ts";

const RECORDS = Number(process.env.BENCH_CHAIN_RECORDS ?? 1_000_000);
const BATCH = 10_000;

function record(seq: number): UnchainedRecord {
  const side = seq % 2 === 0 ? "buy" : "sell";
  const orderId = `AKTAU-1~order-${seq}`;
  return {
    seq,
    timeMs: Date.UTC(2026, 0, 5, 6) + seq,
    meta: JSON.stringify({
      actor: "aktau-trader (key demo-aktau)",
      role: "trader",
      source: "127.0.0.1",
      requestId: `9f1c2a4e-${seq}`,
    }),
    command: JSON.stringify({
      type: "order.new",
      instrument: "PB-KAZGPZ-MNG-2026-01",
      orderId,
      account: "AKTAU-1",
      side,
      orderType: "limit",
      price: 13_000_000 + (seq % 50) * 100,
      quantity: 1000 * (1 + (seq % 5)),
      timeInForce: "GTC",
    }),
    events: JSON.stringify([
      {
        type: "order.accepted",
        orderId,
        instrument: "PB-KAZGPZ-MNG-2026-01",
        account: "AKTAU-1",
        side,
        price: 13_000_000,
        quantity: 1000,
      },
      { type: "order.rested", orderId, instrument: "PB-KAZGPZ-MNG-2026-01", side, price: 13_000_000, open: 1000 },
    ]),
  };
}

async function build(dir: string): Promise<void> {
  const store = new SqliteStore(dir);
  await store.writerReady();
  let hash = GENESIS_HASH;
  for (let from = 1; from <= RECORDS; from += BATCH) {
    const batch: UnchainedRecord[] = [];
    for (let seq = from; seq < Math.min(RECORDS + 1, from + BATCH); seq++) batch.push(record(seq));
    hash = await store.appendChained(hash, batch);
  }
  await store.close();
}

async function checkHere(dir: string): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const store = new SqliteStore(dir);
  const head = await store.head();
  await checkChain(store, 1, head?.seq ?? 0, GENESIS_HASH);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await store.close();
  console.log(JSON.stringify({ records: head?.seq ?? 0, wallMs, cpuMs: (used.user + used.system) / 1000 }));
}

if (process.argv[2] === "check") {
  await checkHere(process.argv[3]!);
} else {
  const dir = mkdtempSync(join(tmpdir(), "sauda-bench-chain-"));
  const built = performance.now();
  await build(dir);
  console.log(
    `${RECORDS.toLocaleString("en-US")} records written in ${((performance.now() - built) / 1000).toFixed(1)} s`,
  );
  for (let run = 1; run <= 3; run++) {
    const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "check", dir], {
      encoding: "utf8",
    });
    const result = JSON.parse(output.trim().split("\n").at(-1)!) as { records: number; wallMs: number; cpuMs: number };
    console.log(
      `run ${run}: chain check of ${result.records.toLocaleString("en-US")} records in a fresh process: ${(result.wallMs / 1000).toFixed(2)} s wall, ${(result.cpuMs / 1000).toFixed(2)} s CPU (all threads)`,
    );
  }
  rmSync(dir, { recursive: true });
}
