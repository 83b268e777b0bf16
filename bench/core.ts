/**
 * `npm run bench:core`: the durable exchange core. Figures, not pass/fail:
 * - durable orders per second through sequencer + engine (cleared instrument: risk, ledger, obligations) on SQLite and
 *   on PostgreSQL (when reachable), at several batch sizes, with p50/p99 time from submit to durable outcome;
 * - beside each SQLite run, the store's raw append rate: the same records appended with no engine or sequencer, the
 *   ceiling of the durable rate (and the writer thread's own CPU per record);
 * - recovery time of a 1,000,000-command SQLite journal, from the journal alone and from a snapshot 1,000 commands
 *   before its end: in a fresh process, as when a server starts (the figure the goal is about), and in the benchmark's
 *   own process after it wrote the journal (a heap already full of the writing's garbage, so slower and noisier).
 * On Linux each throughput run also prints the CPU time its threads used per command (main thread, journal writer
 * thread, V8's helper threads): unlike commands per second, that figure barely moves when other work shares the
 * machine, so it is the one to compare between runs on a busy machine.
 * Environment: BENCH_CORE_ORDERS (default 200,000 per run), BENCH_RECOVERY_COMMANDS (default 1,000,000; 0 skips the
 * recovery part), BENCH_CORE_BATCHES (the batch sizes of the throughput runs, default "100,1000,5000"),
 * BENCH_CORE_THROUGHPUT_ONLY=1 (only the SQLite throughput runs: what to use while working on the write path),
 * BENCH_CORE_IN_FLIGHT (commands submitted and not yet durable, default 50,000: most of them wait in the sequencer's
 * queue, and keeping that many alive costs the main thread about 4 µs a command in garbage collection; 5,000 still
 * keeps the pipeline full),
 * BENCH_CORE_SUBMIT ("many", the default: commands are sent in groups of the batch size with `submitMany`, one promise
 * a group, as a caller with many commands at once sends them; "each": one `submit` and one promise a command, as the
 * gateway sends a request's command),
 * SAUDA_TEST_DATABASE_URL for PostgreSQL.
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { Command } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import { INVARIANT_CHECK_INTERVAL_MS } from "../src/gateway/invariants.ts";
import { PostgresStore } from "../src/journal/postgres-store.ts";
import type { UnchainedRecord } from "../src/journal/records.ts";
import { dataHash, GENESIS_HASH } from "../src/journal/records.ts";
import { checkChain, recover } from "../src/journal/recovery.ts";
import { Sequencer } from "../src/journal/sequencer.ts";
import { SqliteStore } from "../src/journal/sqlite-store.ts";
import { type JournalStore, READ_PAGE_RECORDS } from "../src/journal/store.ts";
import { COMMANDS_PER_DAY, INSTRUMENT, orders, setup } from "./core-workload.ts";

const ORDERS = Number(process.env.BENCH_CORE_ORDERS ?? 200_000);
const RECOVERY_COMMANDS = Number(process.env.BENCH_RECOVERY_COMMANDS ?? 1_000_000);
const BATCHES = (process.env.BENCH_CORE_BATCHES ?? "100,1000,5000").split(",").map(Number);
const THROUGHPUT_ONLY = process.env.BENCH_CORE_THROUGHPUT_ONLY === "1";
const DATABASE_URL = process.env.SAUDA_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const IN_FLIGHT_MAX = Number(process.env.BENCH_CORE_IN_FLIGHT ?? 50_000);
const SUBMIT = process.env.BENCH_CORE_SUBMIT ?? "many";
if (SUBMIT !== "many" && SUBMIT !== "each") throw new Error(`BENCH_CORE_SUBMIT is "many" or "each", not ${SUBMIT}`);

/** CPU time (user + system, ms) of each thread of this process by thread id, from /proc; empty where there is none. */
function threadCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync("/proc/self/task")) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime, in clock ticks of 10 ms.
      out.set(tid, (Number(fields[11]) + Number(fields[12])) * 10);
    }
  } catch {
    // Not Linux: no per-thread figures.
  }
  return out;
}

/** Per-command CPU of the main thread and of the other threads that did real work, between two `threadCpuMs`. */
function cpuPerCommand(before: Map<string, number>, after: Map<string, number>, count: number): string {
  if (after.size === 0) return "";
  const main = String(process.pid);
  const microseconds = (tid: string) => (((after.get(tid) ?? 0) - (before.get(tid) ?? 0)) * 1000) / count;
  const others = [...after.keys()]
    .filter((tid) => tid !== main)
    .map(microseconds)
    .filter((us) => us >= 0.5)
    .sort((a, b) => b - a);
  return `; CPU per command: main thread ${microseconds(main).toFixed(1)} µs, other threads ${others.map((us) => us.toFixed(1)).join(" + ") || "0"} µs`;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function throughput(store: JournalStore, batch: number, count: number): Promise<string> {
  const engine = new Engine();
  let now = Date.UTC(2026, 0, 5, 6);
  const sequencer = new Sequencer(engine, store, null, {
    clock: () => now++,
    batchCommandsMax: batch,
    snapshotEveryCommands: 0,
  });
  await Promise.all(setup().map((c) => sequencer.submit(c)));
  const latencies = new Float64Array(count);
  let inFlight = 0;
  let done = 0;
  let wake: (() => void) | null = null;
  const settled = (from: number, size: number, submitted: number) => {
    const latency = performance.now() - submitted;
    for (let k = from; k < from + size; k++) latencies[k] = latency;
    inFlight -= size;
    done += size;
    if (wake && inFlight < IN_FLIGHT_MAX / 2) {
      const w = wake;
      wake = null;
      w();
    }
  };
  const cpuBefore = threadCpuMs();
  const started = performance.now();
  let i = 0;
  // Groups of the batch size: each is one batch, one transaction and one promise. A group's latency runs from when
  // it is sent, which is when its last command was made.
  let group: Command[] = [];
  for (const command of orders(count, 7)) {
    while (inFlight >= IN_FLIGHT_MAX) await new Promise<void>((resolve) => (wake = resolve));
    const index = i++;
    if (SUBMIT === "each") {
      const submitted = performance.now();
      inFlight++;
      void sequencer.submit(command).then(() => settled(index, 1, submitted));
      continue;
    }
    group.push(command);
    if (group.length < batch && i < count) continue;
    const from = i - group.length;
    const size = group.length;
    const submitted = performance.now();
    inFlight += size;
    void sequencer.submitMany(group).then(() => settled(from, size, submitted));
    group = [];
  }
  await sequencer.drain();
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuPerCommand(cpuBefore, threadCpuMs(), count);
  if (done !== count) throw new Error(`only ${done} of ${count} commands completed`);
  latencies.sort();
  return `${store.kind.padEnd(8)} batch ${String(batch).padStart(5)}: ${Math.round(count / seconds)
    .toLocaleString("en-US")
    .padStart(9)} durable commands/s, submit→durable p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(
    latencies,
    0.99,
  ).toFixed(
    1,
  )} ms (${count.toLocaleString("en-US")} commands, up to ${IN_FLIGHT_MAX.toLocaleString("en-US")} in flight, ${SUBMIT === "each" ? "submit each" : `submitMany in groups of ${batch}`})${cpu}`;
}

/** The records the throughput run writes (setup and orders, their texts made as the sequencer makes them). */
function workloadRecords(count: number): UnchainedRecord[] {
  const engine = new Engine();
  let timeMs = Date.UTC(2026, 0, 5, 6);
  const records: UnchainedRecord[] = [];
  for (const command of [...setup(), ...orders(count, 7)]) {
    const text = JSON.stringify(command);
    const seq = engine.lastSeq + 1;
    const events = engine.apply({ seq, timeMs, command: JSON.parse(text) as Command });
    records.push({ seq, timeMs: timeMs++, meta: "{}", command: text, events: JSON.stringify(events) });
  }
  return records;
}

/**
 * The store alone: the same records appended batch by batch, one append at a time as the sequencer does, with no
 * engine and no sequencer. Its rate is the ceiling of the durable rate on this store.
 */
async function rawInsert(store: JournalStore, batch: number, records: readonly UnchainedRecord[]): Promise<string> {
  const cpuBefore = threadCpuMs();
  const started = performance.now();
  let hash = GENESIS_HASH;
  for (let from = 0; from < records.length; from += batch) {
    hash = await store.appendChained(hash, records.slice(from, from + batch));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuPerCommand(cpuBefore, threadCpuMs(), records.length);
  return `${store.kind.padEnd(8)} batch ${String(batch).padStart(5)}: ${Math.round(records.length / seconds)
    .toLocaleString("en-US")
    .padStart(9)} records/s appended raw (the same records, no engine or sequencer)${cpu.replace("command", "record")}`;
}

/**
 * Latency at a fixed offered rate (open loop): commands are sent on a schedule whatever the answers, so queueing from a
 * slow answer shows up in the figures instead of slowing the sender.
 */
async function latencyAtRate(store: JournalStore, perSecond: number, seconds: number): Promise<string> {
  const engine = new Engine();
  let now = Date.UTC(2026, 0, 5, 6);
  const sequencer = new Sequencer(engine, store, null, {
    clock: () => now++,
    batchCommandsMax: 1000,
    snapshotEveryCommands: 0,
  });
  await Promise.all(setup().map((c) => sequencer.submit(c)));
  const count = perSecond * seconds;
  const latencies = new Float64Array(count);
  const source = orders(count, 13);
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; ) {
    const due = Math.floor(((performance.now() - started) / 1000) * perSecond);
    for (; i < Math.min(due, count); i++) {
      const index = i;
      const submitted = performance.now();
      pending.push(
        sequencer.submit(source.next().value as Command).then(() => {
          latencies[index] = performance.now() - submitted;
        }),
      );
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(pending);
  latencies.sort();
  return `${store.kind.padEnd(8)} at ${perSecond.toLocaleString("en-US").padStart(6)}/s offered: submit→durable p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms, p99.9 ${percentile(latencies, 0.999).toFixed(2)} ms`;
}

/**
 * Waits until the store's writes go to its writer thread, so that a run measures the steady state. Until then writes
 * run on the main thread, and a run that keeps the sequencer busy from its first command never lets the event loop
 * take the thread's "ready" message: the whole run would then write on the main thread.
 */
async function writerStarted(store: SqliteStore): Promise<void> {
  if (!(await store.writerReady()))
    console.log("  (the SQLite writer thread did not start; writes stay on the main thread)");
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  console.log(
    `sauda core benchmark — node ${process.version}, ${ORDERS.toLocaleString("en-US")} order commands per run`,
  );
  console.log("goal: 250,000 durable orders/s on SQLite; recovery of 1,000,000 commands under 5 s\n");
  if (process.env.BENCH_CORE_RECOVERY_ONLY === "1") {
    await recoveryBench();
    return;
  }
  const records = workloadRecords(ORDERS);
  for (const batch of BATCHES) {
    for (const run of [
      (store: JournalStore) => throughput(store, batch, ORDERS),
      (store: JournalStore) => rawInsert(store, batch, records),
    ]) {
      const dir = mkdtempSync(join(tmpdir(), "sauda-bench-"));
      const store = new SqliteStore(dir);
      await writerStarted(store);
      console.log(await run(store));
      await store.close();
      rmSync(dir, { recursive: true });
    }
  }
  if (THROUGHPUT_ONLY) return;
  for (const rate of [5_000, 20_000]) {
    const dir = mkdtempSync(join(tmpdir(), "sauda-bench-"));
    const store = new SqliteStore(dir);
    await writerStarted(store);
    console.log(await latencyAtRate(store, rate, 5));
    await store.close();
    rmSync(dir, { recursive: true });
  }
  if (await postgresReachable()) {
    for (const rate of [5_000]) {
      const schema = `bench_core_${process.pid}_rate`;
      const store = await PostgresStore.open(DATABASE_URL, schema);
      console.log(await latencyAtRate(store, rate, 5));
      await store.unsafeExec("DROP SCHEMA {schema} CASCADE");
      await store.close();
    }
    for (const batch of BATCHES) {
      const schema = `bench_core_${process.pid}_${batch}`;
      const store = await PostgresStore.open(DATABASE_URL, schema);
      console.log(await throughput(store, batch, ORDERS));
      await store.unsafeExec("DROP SCHEMA {schema} CASCADE");
      await store.close();
    }
  } else {
    console.log(`postgres: skipped, no server at ${DATABASE_URL}`);
  }

  await recoveryBench();
}

async function recoveryBench(): Promise<void> {
  if (RECOVERY_COMMANDS === 0) return;
  console.log(`\nrecovery of a ${RECOVERY_COMMANDS.toLocaleString("en-US")}-command SQLite journal`);
  const dir = mkdtempSync(join(tmpdir(), "sauda-bench-recovery-"));
  let store: JournalStore = new SqliteStore(dir);
  const engine = new Engine();
  let now = Date.UTC(2026, 0, 5, 6);
  const sequencer = new Sequencer(engine, store, null, {
    clock: () => now++,
    batchCommandsMax: 5000,
    snapshotEveryCommands: 0,
  });
  const built = performance.now();
  // Exactly RECOVERY_COMMANDS commands: the setup, then orders and cancels, with the back office's confirmations.
  let submitted = 0;
  let pending: Promise<unknown>[] = [];
  const submit = (command: Command): void => {
    if (submitted >= RECOVERY_COMMANDS) return;
    submitted++;
    pending.push(sequencer.submit(command));
  };
  for (const c of setup()) submit(c);
  for (const command of orders(RECOVERY_COMMANDS, 11, true)) {
    if (submitted >= RECOVERY_COMMANDS) break;
    if (command.type === "phase.set" && command.phase === "closed") {
      // The back office books the day's payments and deliveries before the close, so obligations settle.
      await Promise.all(pending);
      pending = [];
      for (const o of engine.clearingHouse.clearing.all()) {
        if (o.status !== "open") continue;
        submit({ type: "obligation.confirmPayment", obligation: o.id });
        submit({ type: "obligation.confirmDelivery", obligation: o.id });
      }
    }
    submit(command);
    if (pending.length >= IN_FLIGHT_MAX) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  console.log(
    `  ${engine.lastSeq.toLocaleString("en-US")} commands (orders, cancels, a close and reopen every ${COMMANDS_PER_DAY.toLocaleString("en-US")}, the back office's confirmations) written in ${((performance.now() - built) / 1000).toFixed(1)} s; live orders at the end: ${engine.market(INSTRUMENT)!.liveOrderCount}`,
  );
  const checkStarted = performance.now();
  engine.checkInvariants();
  console.log(
    `  the server's invariant check (every ${INVARIANT_CHECK_INTERVAL_MS / 1000} s and before each snapshot) on this state: ${(performance.now() - checkStarted).toFixed(1)} ms`,
  );
  await store.close();
  store = new SqliteStore(dir);
  let started = performance.now();
  let result = await recover(store);
  const inProcess = (performance.now() - started) / 1000;
  if (result.engine.stateHash() !== engine.stateHash()) throw new Error("recovered state differs");
  await store.close();
  const fresh = recoverInChild(dir, engine.stateHash());
  console.log(
    `  from the journal alone: ${fresh.seconds.toFixed(2)} s in a fresh process, as at a server's start (${fresh.replayed.toLocaleString("en-US")} records replayed and checked); ${inProcess.toFixed(2)} s in this process after writing the journal`,
  );
  store = new SqliteStore(dir);
  // A snapshot 1,000 commands before the end, as the sequencer would have written on its schedule.
  const snapshotSeq = engine.lastSeq - 1000;
  const snapshotEngine = new Engine();
  let recordHash = "";
  for (let from = 1; from <= snapshotSeq; ) {
    const page = await store.read(from, Math.min(READ_PAGE_RECORDS, snapshotSeq - from + 1));
    for (const r of page) {
      snapshotEngine.apply({ seq: r.seq, timeMs: r.timeMs, command: JSON.parse(r.command) as Command });
      recordHash = r.hash;
    }
    from += page.length;
  }
  const data = JSON.stringify(snapshotEngine.snapshot());
  await store.saveSnapshot({
    seq: snapshotEngine.lastSeq,
    stateHash: dataHash(data),
    recordHash,
    data,
    dataHash: dataHash(data),
  });
  await store.close();
  store = new SqliteStore(dir);
  started = performance.now();
  result = await recover(store);
  const snapshotInProcess = (performance.now() - started) / 1000;
  if (result.engine.stateHash() !== engine.stateHash()) throw new Error("recovered state differs");
  await store.close();
  const fromSnapshot = recoverInChild(dir, engine.stateHash());
  console.log(
    `  from a snapshot at ${fromSnapshot.snapshotSeq.toLocaleString("en-US")}: ${fromSnapshot.seconds.toFixed(2)} s in a fresh process (${fromSnapshot.replayed} records replayed, the ${fromSnapshot.snapshotSeq.toLocaleString("en-US")} before the snapshot hash-checked beside them); ${snapshotInProcess.toFixed(2)} s in this process`,
  );
  const chain = JSON.parse(
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "check", dir], {
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .at(-1)!,
  ) as { seconds: number; records: number };
  console.log(
    `  the start-up chain check alone (every record hashed, no replay): ${chain.seconds.toFixed(2)} s in a fresh process for ${chain.records.toLocaleString("en-US")} records`,
  );
  rmSync(dir, { recursive: true });
}

interface ChildRecovery {
  readonly seconds: number;
  readonly replayed: number;
  readonly snapshotSeq: number;
  readonly stateHash: string;
}

/**
 * Recovers the journal in `dir` in a new process (this file with `recover`), as a restarted server does: a fresh heap,
 * nothing cached. The time runs from opening the store to the recovered engine.
 */
function recoverInChild(dir: string, expectedHash: string): ChildRecovery {
  const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "recover", dir], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(output.trim().split("\n").at(-1)!) as ChildRecovery;
  if (result.stateHash !== expectedHash) throw new Error("the state recovered in the child process differs");
  return result;
}

async function recoverHere(dir: string): Promise<void> {
  const started = performance.now();
  const store = new SqliteStore(dir);
  const result = await recover(store);
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  const report: ChildRecovery = {
    seconds,
    replayed: result.replayed,
    snapshotSeq: result.snapshotSeq,
    stateHash: result.engine.stateHash(),
  };
  console.log(JSON.stringify(report));
}

/** Times `checkChain` over the whole journal in `dir`, as a start does for the records a snapshot covers. */
async function checkHere(dir: string): Promise<void> {
  const started = performance.now();
  const store = new SqliteStore(dir);
  const head = await store.head();
  await checkChain(store, 1, head?.seq ?? 0, GENESIS_HASH);
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  console.log(JSON.stringify({ seconds, records: head?.seq ?? 0 }));
}

if (process.argv[2] === "recover") await recoverHere(process.argv[3]!);
else if (process.argv[2] === "check") await checkHere(process.argv[3]!);
else await main();
