/**
 * `npm run bench:surveillance`: market surveillance over a journal of 1,000,000 commands. Figures, not pass/fail:
 * - the engine's own rate over the commands (apply only, in memory), for comparison;
 * - records and events per second through the journal adapter and all seven detectors (the records the engine
 *   produced, in memory), and the ratio to the engine's rate (the aim: at least 1, so surveillance never limits the
 *   exchange);
 * - `sauda surveil --journal` end to end (reading SQLite, checking the hash chain, replaying every command through the
 *   engine and comparing its events, as `sauda verify` does, then surveillance), with the heap after a full garbage
 *   collection and the resident set at a quarter, half, three quarters and all of the journal: it should stay flat,
 *   since per-session state is dropped at each close.
 * The workload (seeded): four instruments trading daily sessions of 10,000 commands each (a close and a reopen
 * between days, a band, a ceiling and a floor), twenty members, eight of them in two groups; orders around the mid,
 * about a third crossing, half the commands cancels of live orders, a few amends, and a few bids at the ceiling.
 * Environment: BENCH_SURVEILLANCE_COMMANDS (default 1,000,000).
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { surveilJournal } from "../src/cli/surveil.ts";
import type { Command } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import type { EngineEvent } from "../src/engine/events.ts";
import { verify } from "../src/journal/recovery.ts";
import { Sequencer } from "../src/journal/sequencer.ts";
import { SqliteStore } from "../src/journal/sqlite-store.ts";
import {
  type Alert,
  type AlertSink,
  DEFAULT_CONFIG,
  engineLimits,
  JournalAdapter,
  type PriceLimits,
  Surveillance,
} from "../src/surveillance/index.ts";
import { WorkloadRandom as Random } from "./workload.ts";

const COMMANDS = Number(process.env.BENCH_SURVEILLANCE_COMMANDS ?? 1_000_000);
const INSTRUMENTS = ["PB-KAZGPZ-MNG", "PB-KAZGPZ-ATR", "PB-TNGZ-AKT", "PB-ATY-ALM"];
const BASES = ["KAZGPZ", "KAZGPZ", "TNGZ", "ATY"];
const MEMBERS = 20;
const COMMANDS_PER_DAY = 10_000;
const STEP_MS = 40;
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 4); // 09:00 in Almaty
const MID = 12_000_000;
const TICK = 100;

interface Timed {
  readonly timeMs: number;
  readonly command: Command;
}

/** The seeded workload: setup, then days of trading on every instrument. Exactly `count` commands. */
function workload(count: number, seed: number): Timed[] {
  const random = new Random(seed);
  const out: Timed[] = [];
  let time = T0;
  const push = (command: Command) => {
    if (out.length < count) out.push({ timeMs: time, command });
  };
  for (const [i, instrument] of INSTRUMENTS.entries()) {
    push({
      type: "instrument.list",
      instrument,
      mode: "continuous",
      tickSize: TICK,
      lotSize: 1000,
      referencePrice: MID,
      description: { product: "PB", basis: BASES[i]!, region: "R", deliveryPeriod: "2026-02" },
    });
    push({
      type: "safeguards.set",
      instrument,
      changes: { bandBps: 2000, ceiling: 13_000_000, floor: 11_000_000 },
      reason: "bench",
    });
  }
  for (let m = 0; m < MEMBERS; m++) {
    push({
      type: "member.add",
      member: `M${m}`,
      name: `Member ${m}`,
      roles: ["producer", "buyer"],
      buyerCategory: "wholesaler",
    });
    if (m < 8)
      push({ type: "member.group", member: `M${m}`, group: `G${m % 2}`, evidence: "bench register", reason: "bench" });
    push({ type: "account.open", account: `A${m}`, member: `M${m}` });
    if (m % 3 === 0) push({ type: "account.open", account: `A${m}b`, member: `M${m}` });
  }
  const accounts = Array.from({ length: MEMBERS }, (_, m) =>
    m % 3 === 0 && random.nextUnit() < 0.5 ? `A${m}b` : `A${m}`,
  );
  let day = 0;
  let next = 0;
  while (out.length < count) {
    time = T0 + day * DAY_MS;
    for (const instrument of INSTRUMENTS) push({ type: "phase.set", instrument, phase: "continuous" });
    if (day % 20 === 0) {
      for (let m = 0; m < 4; m++)
        push({ type: "gas.declare", account: `A${m}`, basis: BASES[m]!, quantity: 1_000_000 });
    }
    const live: string[][] = INSTRUMENTS.map(() => []);
    for (let k = 0; k < COMMANDS_PER_DAY && out.length < count; k++) {
      time += STEP_MS;
      const which = random.nextInt(0, INSTRUMENTS.length - 1);
      const instrument = INSTRUMENTS[which]!;
      const orders = live[which]!;
      const roll = random.nextUnit();
      if (orders.length > 200 && roll < 0.45) {
        const index = random.nextInt(0, orders.length - 1);
        const orderId = orders[index]!;
        orders[index] = orders[orders.length - 1]!;
        orders.pop();
        push({ type: "order.cancel", orderId });
        continue;
      }
      if (orders.length > 0 && roll < 0.5) {
        push({
          type: "order.amend",
          orderId: orders[random.nextInt(0, orders.length - 1)]!,
          quantity: 1000 * random.nextInt(1, 50),
        });
        continue;
      }
      const buy = random.nextUnit() < 0.5;
      const account = accounts[random.nextInt(0, MEMBERS - 1)]!;
      const atCeiling = buy && account === "A5" && random.nextUnit() < 0.05;
      const offset = random.nextInt(0, 39) - (buy ? 27 : 13);
      const orderId = `o${++next}`;
      orders.push(orderId);
      push({
        type: "order.new",
        instrument,
        orderId,
        account,
        side: buy ? "buy" : "sell",
        orderType: "limit",
        price: atCeiling ? 13_000_000 : MID + offset * TICK,
        quantity: 1000 * random.nextInt(1, 100),
        tif: "DAY",
      });
    }
    time += STEP_MS;
    for (const instrument of INSTRUMENTS) push({ type: "phase.set", instrument, phase: "closed" });
    day++;
  }
  return out;
}

class CountingSink implements AlertSink {
  raised = 0;
  readonly keys = new Map<string, Alert["rule"]>();
  raise(alert: Alert): void {
    this.raised++;
    this.keys.set(alert.key, alert.rule);
  }
  retract(key: string): void {
    this.keys.delete(key);
  }
  byRule(): string {
    const counts = new Map<string, number>();
    for (const rule of this.keys.values()) counts.set(rule, (counts.get(rule) ?? 0) + 1);
    return [...counts].map(([rule, n]) => `${rule} ${n.toLocaleString("en-US")}`).join(", ");
  }
}

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
const rate = (n: number, seconds: number) => Math.round(n / seconds).toLocaleString("en-US");

function memory(): string {
  gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return `heap ${mb(heapUsed)}${gc ? " (after a full GC)" : ""}, resident ${mb(rss)}`;
}

async function main(): Promise<void> {
  console.log(`sauda surveillance benchmark — node ${process.version}, ${COMMANDS.toLocaleString("en-US")} commands`);
  console.log("aim: records through all detectors at least as fast as the engine applies commands; memory flat\n");
  if (!gc) console.log("(run with --expose-gc for heap figures after a full collection)\n");

  let started = performance.now();
  const commands = workload(COMMANDS, 2026);
  console.log(`workload generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const dir = mkdtempSync(join(tmpdir(), "sauda-bench-surveillance-"));
  const store = new SqliteStore(dir);
  await store.writerReady();
  let next = 0;
  const sequencer = new Sequencer(new Engine(), store, null, {
    clock: () => commands[next++]!.timeMs,
    batchCommandsMax: 5000,
    snapshotEveryCommands: 0,
  });
  started = performance.now();
  let pending: Promise<unknown>[] = [];
  for (const { command } of commands) {
    pending.push(sequencer.submit(command));
    if (pending.length >= 50_000) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  await sequencer.stop();
  await store.close();
  console.log(
    `journal of ${commands.length.toLocaleString("en-US")} commands written (SQLite) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );

  // The engine alone, in memory: its own rate over these commands (the better of two runs: the machine may be busy).
  let engineSeconds = Number.POSITIVE_INFINITY;
  let engine = new Engine();
  for (let run = 0; run < 2; run++) {
    engine = new Engine();
    started = performance.now();
    for (let i = 0; i < commands.length; i++) {
      engine.apply({ seq: i + 1, timeMs: commands[i]!.timeMs, command: commands[i]!.command });
    }
    engineSeconds = Math.min(engineSeconds, (performance.now() - started) / 1000);
  }
  console.log(`engine: ${rate(commands.length, engineSeconds)} commands/s (${engineSeconds.toFixed(2)} s, apply only)`);

  // The records the engine produced, with the limits in force right after each (what the adapter reads from it).
  engine = new Engine();
  const limitsOf = engineLimits(engine);
  const produced: { events: EngineEvent[]; limits: Map<string, PriceLimits> | null }[] = new Array(commands.length);
  let eventCount = 0;
  for (let i = 0; i < commands.length; i++) {
    const events = engine.apply({ seq: i + 1, timeMs: commands[i]!.timeMs, command: commands[i]!.command });
    eventCount += events.length;
    let limits: Map<string, PriceLimits> | null = null;
    for (const e of events) {
      if (e.type === "order.accepted" || e.type === "phase.changed") {
        limits ??= new Map();
        limits.set(e.instrument, limitsOf(e.instrument));
      }
    }
    produced[i] = { events, limits };
  }

  // All detectors over those records (the better of two runs, each from a fresh start).
  let sink = new CountingSink();
  let surveillanceSeconds = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 2; run++) {
    sink = new CountingSink();
    const surveillance = new Surveillance(sink, { config: DEFAULT_CONFIG });
    let current: Map<string, PriceLimits> | null = null;
    const adapter = new JournalAdapter(
      (record) => surveillance.apply(record),
      (instrument) => current!.get(instrument)!,
    );
    started = performance.now();
    for (let i = 0; i < commands.length; i++) {
      const { events, limits } = produced[i]!;
      current = limits;
      adapter.record(i + 1, commands[i]!.timeMs, commands[i]!.command, events);
    }
    surveillance.finish(adapter.lastTime);
    surveillanceSeconds = Math.min(surveillanceSeconds, (performance.now() - started) / 1000);
  }
  console.log(
    `surveillance: ${rate(commands.length, surveillanceSeconds)} records/s, ${rate(eventCount, surveillanceSeconds)} events/s through the adapter and all detectors (${surveillanceSeconds.toFixed(2)} s; ${eventCount.toLocaleString("en-US")} events)`,
  );
  console.log(`  ${(engineSeconds / surveillanceSeconds).toFixed(2)}× the engine's rate`);
  console.log(
    `  alerts: ${sink.keys.size.toLocaleString("en-US")} (${sink.byRule()}); ${sink.raised.toLocaleString("en-US")} raises in all`,
  );
  produced.length = 0;
  const commandCount = commands.length;
  // The commands are not needed any more: drop them, so the heap figures below are the journal run's own.
  commands.length = 0;

  // End to end over the journal, as `sauda surveil --journal` runs, with memory along the way.
  console.log("\nsauda surveil --journal, end to end (read, check, replay, compare events, surveil):");
  console.log(`  at the start: ${memory()}`);
  const marks = new Set([0.25, 0.5, 0.75].map((f) => Math.floor(commandCount * f)));
  const journalSink = new CountingSink();
  const journalSurveillance = new Surveillance(journalSink);
  let journalAdapter: JournalAdapter | null = null;
  const reader = new SqliteStore(dir);
  started = performance.now();
  await verify(reader, {
    onRecord: (record) => {
      journalAdapter ??= new JournalAdapter((r) => journalSurveillance.apply(r), engineLimits(record.engine));
      journalAdapter.record(record.seq, record.timeMs, record.command, record.events);
      if (marks.has(record.seq)) {
        console.log(
          `  after ${record.seq.toLocaleString("en-US").padStart(9)} records: ${memory()}, live orders ${journalAdapter.liveOrders}`,
        );
      }
    },
  });
  journalSurveillance.finish((journalAdapter as JournalAdapter | null)?.lastTime ?? 0);
  const journalSeconds = (performance.now() - started) / 1000;
  await reader.close();
  console.log(`  after ${commandCount.toLocaleString("en-US").padStart(9)} records: ${memory()}`);
  console.log(
    `  ${rate(commandCount, journalSeconds)} records/s end to end (${journalSeconds.toFixed(1)} s, memory sampling included)`,
  );

  // The command itself, for the record (its own timing, without the sampling).
  started = performance.now();
  const alerts = await surveilJournal({ journal: dir }, DEFAULT_CONFIG);
  console.log(
    `  surveilJournal: ${((performance.now() - started) / 1000).toFixed(1)} s, ${Array.isArray(alerts) ? alerts.length.toLocaleString("en-US") : alerts} alerts`,
  );
  rmSync(dir, { recursive: true });
}

await main();
