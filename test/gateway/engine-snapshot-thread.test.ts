/**
 * The engine's snapshot thread (journal/engine-snapshot-thread.ts): its snapshots are the leader's engine at the same
 * seq, byte for byte (so one state has one snapshot and one state hash); a start after a crash (the writer left open,
 * as after a SIGKILL) recovers from the thread's newest snapshot and replays fewer records than one interval of it;
 * when the thread fails, or cannot start (its worker fails before it is ready, or at the first record it checks), the
 * sequencer snapshots by count again, with the reason logged and nothing acknowledged lost; a snapshot changed under
 * the running exchange is passed over with a warning; and a broken invariant the thread's engine finds raises the
 * leader's alarm (writes stop).
 */

import { mkdtempSync } from "node:fs";
import { getPriority, tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import type { Command } from "../../src/engine/commands.ts";
import { Exchange, WritesStoppedError } from "../../src/gateway/exchange.ts";
import { EngineSnapshotThread } from "../../src/journal/engine-snapshot-thread.ts";
import { dataHash } from "../../src/journal/records.ts";
import { verify } from "../../src/journal/recovery.ts";
import { snapshotThreadNice } from "../../src/journal/snapshot-thread.ts";
import { openJournalDatabase, SQLITE_FILE_NAME } from "../../src/journal/sqlite-store.ts";
import { dropSchema, postgresForSuite, TEST_DATABASE_URL, testSchema } from "../support/postgres.ts";
import { SETUP, T0 } from "../support/server.ts";
import { threadNames, threadsAtNice } from "../support/threads.ts";
import { restingAndCrossingOrders } from "../support/view-fixtures.ts";

/** The thread's interval, and the sequencer's count (also the thread's interval between the snapshots it keeps). */
const EVERY = 20;
const KEEP_EVERY = 100;
/** How long to wait for the thread (it loads its code first). */
const THREAD_WAIT = { timeout: 60_000, interval: 20 };

async function openAt(dir: string, keys?: Exchange["keys"]): Promise<Exchange> {
  return Exchange.open({
    data: dir,
    clock: () => T0,
    snapshotEveryMs: 0,
    snapshotEveryCommands: KEEP_EVERY,
    engineSnapshotEveryRecords: EVERY,
    ...(keys === undefined ? {} : { keys }),
  });
}

/** The thread is started (half an interval after the newest snapshot) and follows the journal. */
async function following(exchange: Exchange): Promise<void> {
  await expect.poll(() => exchange.engineSnapshotThread?.following ?? false, THREAD_WAIT).toBe(true);
}

const snapshotSeqs = async (exchange: Exchange) => (await exchange.store.snapshots()).map((s) => s.seq);

describe("the engine's snapshot thread", () => {
  it("saves snapshots equal to the leader's engine at the same seq; a start after a crash replays a short tail", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-engine-thread-"));
    const writer = await openAt(dir);
    /** The leader's engine serialised after each record (one command at a time: each is the durable head then). */
    const leader = new Map<number, string>();
    const submit = async (command: Command) => {
      const { seq } = await writer.submit(command);
      leader.set(seq, JSON.stringify(writer.engine.snapshot()));
    };
    for (const command of [...SETUP, ...restingAndCrossingOrders(EVERY)]) await submit(command);
    await following(writer);
    // It runs below the leader's threads (Linux: a nice value per thread, 10 in a process at 0): this thread keeps the
    // process's.
    const nice = snapshotThreadNice(getPriority());
    expect(threadsAtNice(nice).length).toBeGreaterThanOrEqual(1);
    expect(threadsAtNice(nice)).not.toContain(String(process.pid));
    const startedAt = writer.engine.lastSeq;
    for (const command of restingAndCrossingOrders(240, "p")) await submit(command);
    const head = writer.engine.lastSeq;
    // The thread catches up and snapshots by count: the newest within one interval of the head.
    await expect.poll(async () => head - (await snapshotSeqs(writer))[0]!, THREAD_WAIT).toBeLessThan(EVERY);
    const seqs = await snapshotSeqs(writer);
    // Only the thread snapshotted after it followed (the sequencer's count of 100 passed meanwhile), and it kept one
    // at least KEEP_EVERY after the one before and its newest: the others were replaced.
    const thread = seqs.filter((seq) => seq > startedAt);
    expect(thread.length).toBeGreaterThanOrEqual(2);
    expect(thread.length).toBeLessThanOrEqual(Math.ceil((head - startedAt) / KEEP_EVERY) + 1);
    for (const seq of seqs) {
      const saved = (await writer.store.loadSnapshot(seq))!;
      expect(saved.data).toBe(leader.get(seq));
      expect(saved.stateHash).toBe(dataHash(leader.get(seq)!));
      expect(saved.recordHash).toBe((await writer.store.read(seq, 1))[0]!.hash);
    }
    // Asked at the head (the snapshots by time): the same bytes and state hash as the leader's engine now.
    expect(writer.engineSnapshotThread!.heapUsedBytes).toBe(0);
    expect(await writer.engineSnapshotThread!.snapshot(head)).toBe(head);
    // Its answer says how much heap the thread uses (bench/snapshot.ts prints it): its code and engine, megabytes.
    expect(writer.engineSnapshotThread!.heapUsedBytes).toBeGreaterThan(1_000_000);
    const atHead = (await writer.store.loadSnapshot(head))!;
    expect(atHead.data).toBe(JSON.stringify(writer.engine.snapshot()));
    expect(atHead.stateHash).toBe(writer.engine.stateHash(dataHash));
    // The replay from record 1 reaches every stored snapshot's state, MACs included.
    const report = await verify(writer.store, { macKeys: writer.keys.macKeys });
    expect(report.snapshotsChecked).toBe((await snapshotSeqs(writer)).length);

    // One more interval and a half, not snapshotted at the head; then a start as after a SIGKILL (no close).
    for (const command of restingAndCrossingOrders(EVERY + EVERY / 2, "q")) await submit(command);
    const last = writer.engine.lastSeq;
    await expect.poll(async () => (await snapshotSeqs(writer))[0], THREAD_WAIT).toBeGreaterThan(head);
    const newest = (await snapshotSeqs(writer))[0]!;
    const restarted = await Exchange.open({ data: dir, clock: () => T0, snapshotEveryMs: 0, keys: writer.keys });
    try {
      expect(restarted.start.snapshotSeq).toBe(newest);
      expect(restarted.start.replayed).toBe(last - newest);
      expect(restarted.start.replayed).toBeLessThan(EVERY);
      expect(restarted.engine.stateHash(dataHash)).toBe(writer.engine.stateHash(dataHash));
    } finally {
      await restarted.close();
    }
  });

  it("a quiet exchange, with fewer than half an interval of records between its snapshots by time, starts the thread too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-engine-thread-quiet-"));
    const exchange = await Exchange.open({
      data: dir,
      clock: () => T0,
      snapshotEveryMs: 100,
      snapshotEveryCommands: KEEP_EVERY,
      engineSnapshotEveryRecords: EVERY,
    });
    try {
      const commands = [...SETUP, ...restingAndCrossingOrders(3 * EVERY)];
      let next = 0;
      // One command, then the snapshot by time at it: never EVERY / 2 records between two snapshots.
      const step = async () => {
        const { seq } = await exchange.submit(commands[next++]!);
        await expect.poll(async () => (await snapshotSeqs(exchange))[0], THREAD_WAIT).toBe(seq);
      };
      while (next < commands.length && !(exchange.engineSnapshotThread?.following ?? false)) await step();
      expect(exchange.engineSnapshotThread?.following).toBe(true);
      // From then on the thread takes them, at the head, as the leader's engine holds it.
      await step();
      const head = exchange.engine.lastSeq;
      // The thread's answer comes after its save reached the store, which the step polled: waited for too.
      await expect.poll(() => exchange.engineSnapshotThread!.savedSeq, THREAD_WAIT).toBe(head);
      expect((await exchange.store.loadSnapshot(head))!.data).toBe(JSON.stringify(exchange.engine.snapshot()));
    } finally {
      await exchange.close();
    }
  });

  it("with snapshotThreadsAtStart (`sauda serve`), both snapshot threads have started by the first durable batch", async () => {
    const open = (prefix: string, atStart: boolean) =>
      Exchange.open({
        data: mkdtempSync(join(tmpdir(), prefix)),
        clock: () => T0,
        snapshotEveryMs: 0,
        snapshotEveryCommands: KEEP_EVERY,
        engineSnapshotEveryRecords: EVERY,
        snapshotThreadsAtStart: atStart,
      });
    const server = await open("sauda-engine-thread-at-start-", true);
    const short = await open("sauda-engine-thread-not-at-start-", false);
    try {
      // The engine's thread waits for a durable batch: at a start it would take CPU from the recovery still going on.
      expect(server.engineSnapshotThread).toBeNull();
      await server.submit(SETUP[0]!);
      await short.submit(SETUP[0]!);
      expect(server.engineSnapshotThread).not.toBeNull();
      expect(server.viewSnapshotThread).not.toBeNull();
      // Without it, one record is less than half of either interval: neither thread has started.
      expect([short.engineSnapshotThread, short.viewSnapshotThread]).toEqual([null, null]);
      // Each names itself for `top -H` and bench:server, as the journal's writer does (thread-name.js).
      await Promise.all([server.engineSnapshotThread!.ready, server.viewSnapshotThread!.ready]);
      expect(threadNames()).toEqual(expect.arrayContaining(["sauda-journal", "sauda-engine-sn", "sauda-views-sn"]));
      // The engine's thread then snapshots by count, as the leader's engine holds it at that seq.
      await following(server);
      for (const command of [...SETUP.slice(1), ...restingAndCrossingOrders(EVERY)]) await server.submit(command);
      await expect.poll(() => server.engineSnapshotThread!.savedSeq >= EVERY, THREAD_WAIT).toBe(true);
      const saved = server.engineSnapshotThread!.savedSeq;
      expect(saved % EVERY).toBe(0);
      expect(await snapshotSeqs(server)).toContain(saved);
    } finally {
      await server.close();
      await short.close();
    }
  });

  it("when the thread fails, the sequencer snapshots by count on the main thread again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-engine-thread-fails-"));
    const exchange = await openAt(dir);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      for (const command of [...SETUP, ...restingAndCrossingOrders(EVERY)]) await exchange.submit(command);
      await following(exchange);
      // The thread's last save has been heard, so the sequencer knows where its count starts: a save still in flight
      // when the thread is terminated would be in the store but never reported, and the count would start earlier.
      // Which saves by count the thread made depends on how far behind it was (it takes the heads as they come), so
      // the last is asked for: one at the head, answered once saved; none by count can follow it (no more records).
      const due = exchange.engine.lastSeq;
      expect(await exchange.engineSnapshotThread!.snapshot(due)).toBe(due);
      expect(exchange.engineSnapshotThread!.savedSeq).toBe(due);
      await exchange.engineSnapshotThread!.terminate();
      expect(exchange.engineSnapshotThread!.usable).toBe(false);
      const before = await snapshotSeqs(exchange);
      const stoppedAt = exchange.engine.lastSeq;
      for (const command of restingAndCrossingOrders(KEEP_EVERY + 10, "f")) await exchange.submit(command);
      // By the sequencer's count (KEEP_EVERY after the last snapshot taken or saved): the thread takes none now.
      await expect.poll(async () => (await snapshotSeqs(exchange)).length, THREAD_WAIT).toBe(before.length + 1);
      const newest = (await snapshotSeqs(exchange))[0]!;
      expect(newest).toBeGreaterThan(stoppedAt);
      expect(before[0]).toBe(due);
      expect(newest).toBe(due + KEEP_EVERY);
      expect(warnings.some((warning) => warning.includes("snapshotted on the main thread again"))).toBe(true);
    } finally {
      process.off("warning", onWarning);
      await exchange.close();
    }
  });

  it("a thread that cannot follow the journal from its start: the sequencer snapshots by count, nothing acknowledged is lost", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-engine-thread-cannot-start-"));
    const writer = await openAt(dir);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    const commands = [...SETUP, ...restingAndCrossingOrders(KEEP_EVERY + 10)];
    const acknowledged: number[] = [];
    const submit = async (command: Command) => acknowledged.push((await writer.submit(command)).seq);
    const db = new Database(join(dir, SQLITE_FILE_NAME));
    try {
      // Fewer records than half the thread's interval: it is not started yet.
      for (const command of commands.slice(0, EVERY / 4)) await submit(command);
      expect(writer.engineSnapshotThread).toBeNull();
      // Record 1's text changed under the running exchange: the thread, which checks the chain from record 1 (there is
      // no snapshot yet), stops there; the leader's engine and the journal's appends do not read it again.
      const { events } = db.prepare("SELECT events FROM journal WHERE seq = 1").get() as { events: string };
      db.prepare("UPDATE journal SET events = ? WHERE seq = 1").run(`${events} `);
      for (const command of commands.slice(EVERY / 4, EVERY)) await submit(command);
      const thread = writer.engineSnapshotThread!;
      expect(thread).not.toBeNull();
      await expect.poll(() => thread.usable, THREAD_WAIT).toBe(false);
      expect(thread.following).toBe(false);
      expect(await thread.snapshot(writer.engine.lastSeq)).toBeNull();
      expect(warnings).toContain(
        "the engine's snapshot thread stopped: record 1 does not continue the journal's hash chain; " +
          "the engine is snapshotted on the main thread again",
      );
      // The change is put back (the next start checks the chain from record 1 too), and the writing goes on.
      db.prepare("UPDATE journal SET events = ? WHERE seq = 1").run(events);
      for (const command of commands.slice(EVERY)) await submit(command);
      // The sequencer's count, on this thread: one snapshot, at exactly KEEP_EVERY records (one command a batch).
      expect(await snapshotSeqs(writer)).toEqual([KEEP_EVERY]);
      expect(thread.savedSeq).toBe(0);
      const last = writer.engine.lastSeq;
      expect(acknowledged).toEqual(Array.from({ length: commands.length }, (_, i) => i + 1));
      expect(await writer.store.maxSeq()).toBe(last);
      // A start as after a SIGKILL (no close): from the sequencer's snapshot, every acknowledged record replayed after it.
      const restarted = await Exchange.open({ data: dir, clock: () => T0, snapshotEveryMs: 0, keys: writer.keys });
      try {
        expect(restarted.start.snapshotSeq).toBe(KEEP_EVERY);
        expect(restarted.start.replayed).toBe(last - KEEP_EVERY);
        expect(restarted.engine.lastSeq).toBe(last);
        expect(restarted.engine.stateHash(dataHash)).toBe(writer.engine.stateHash(dataHash));
      } finally {
        await restarted.close();
      }
    } finally {
      process.off("warning", onWarning);
      db.close();
    }
  });

  it("a snapshot changed under the running exchange: the thread passes it over with a warning and replays from record 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-engine-thread-changed-"));
    // Written without the thread: the sequencer's snapshot at KEEP_EVERY, then a clean stop (nothing after it).
    const first = await Exchange.open({
      data: dir,
      clock: () => T0,
      snapshotEveryMs: 0,
      snapshotEveryCommands: KEEP_EVERY,
    });
    const commands = [...SETUP, ...restingAndCrossingOrders(KEEP_EVERY + EVERY)];
    for (const command of commands.slice(0, KEEP_EVERY)) await first.submit(command);
    await first.close();
    const exchange = await openAt(dir, first.keys);
    expect(exchange.start.snapshotSeq).toBe(KEEP_EVERY);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    const db = openJournalDatabase(join(dir, SQLITE_FILE_NAME));
    try {
      // After the start loaded it, one byte of the snapshot's data changes: it no longer matches its data hash.
      const { data } = db.prepare("SELECT data FROM snapshots WHERE seq = ?").get(KEEP_EVERY) as { data: string };
      db.prepare("UPDATE snapshots SET data = ? WHERE seq = ?").run(`${data} `, KEEP_EVERY);
      for (const command of commands.slice(KEEP_EVERY)) await exchange.submit(command);
      await following(exchange);
      expect(warnings).toContain(
        `engine snapshot thread: record ${KEEP_EVERY}: snapshot ${KEEP_EVERY} was changed or damaged: its data does not match its hash`,
      );
      expect(warnings.some((warning) => warning.includes("snapshotted on the main thread again"))).toBe(false);
      // It started from record 1 and follows: asked at the head, its snapshot is the leader's engine there.
      const head = exchange.engine.lastSeq;
      expect(await exchange.engineSnapshotThread!.snapshot(head)).toBe(head);
      expect((await exchange.store.loadSnapshot(head))!.data).toBe(JSON.stringify(exchange.engine.snapshot()));
      // The changed one stays where it was (the thread replaces only its own): `sauda verify` names it.
      expect(await snapshotSeqs(exchange)).toContain(KEEP_EVERY);
      await expect(verify(exchange.store, { macKeys: exchange.keys.macKeys })).rejects.toThrow(
        `snapshot ${KEEP_EVERY} was changed or damaged`,
      );
    } finally {
      process.off("warning", onWarning);
      db.close();
      await exchange.close();
    }
  });

  it("a thread whose worker fails before it is ready tells its failure once, with the reason, and answers nothing", async () => {
    const failures: string[] = [];
    const saved: number[] = [];
    // A store the worker cannot open: it fails in its start, before it has loaded an engine.
    const thread = new EngineSnapshotThread(
      {
        location: { database: "mysql://nowhere/sauda" },
        macKeys: [new Uint8Array(32)],
        every: EVERY,
        keepEvery: KEEP_EVERY,
        headSeq: 0,
      },
      {
        onSaved: (seq) => saved.push(seq),
        onBroken: () => failures.push("broken"),
        onFailed: (reason) => failures.push(reason),
      },
    );
    thread.advance(5);
    const asked = thread.snapshot(5);
    await thread.ready;
    expect(await asked).toBeNull();
    await expect.poll(() => failures, THREAD_WAIT).toHaveLength(1);
    expect(failures).toEqual([
      "the engine's snapshot thread stopped: database URL must start with postgres:// or postgresql://, got 'mysql://nowhere/sauda'",
    ]);
    expect(thread.usable).toBe(false);
    expect(thread.following).toBe(false);
    expect(await thread.snapshot(5)).toBeNull();
    await thread.close();
    // Its exit (code 1) after the failure is not a second one.
    expect(failures).toHaveLength(1);
    expect(saved).toEqual([]);
    expect(thread.savedSeq).toBe(0);
  });

  it("a broken invariant found by the thread raises the alarm: writes stop, what is durable stays", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-engine-thread-broken-"));
    // Written without the thread, and left open (as after a crash).
    const writer = await Exchange.open({ data: dir, clock: () => T0, snapshotEveryMs: 0, snapshotEveryCommands: 0 });
    for (const command of SETUP) await writer.submit(command);
    const order = {
      type: "order.new",
      instrument: "PB-KAZGPZ-MNG-2026-01",
      account: "AKTAU-1",
      side: "buy",
      orderType: "limit",
      price: 13_000_000,
      quantity: 1000,
      orderId: "AKTAU-1~b1",
    } as const;
    const { seq } = await writer.submit(order);
    // A state that breaks an invariant, saved as an authentic snapshot (the store's MAC key): the next start and its
    // thread start from it, as from a snapshot of a leader whose engine went wrong. 100 tiyn moved from the buyer's
    // free money to its orders' block: the ledger still balances, but the block no longer matches its order's.
    const state = JSON.parse(JSON.stringify(writer.engine.snapshot())) as {
      house: { ledger: { balances: string[][] } };
    };
    const move = (account: string, by: bigint) => {
      const entry = state.house.ledger.balances.find((row) => row[0] === account && row[1] === "KZT")!;
      entry[2] = String(BigInt(entry[2]!) + by);
    };
    move("AKTAU-1/orders", 100n);
    move("AKTAU-1/free", -100n);
    const data = JSON.stringify(state);
    const head = (await writer.store.head())!;
    await writer.store.saveSnapshot({
      seq,
      stateHash: dataHash(data),
      data,
      dataHash: dataHash(data),
      recordHash: head.hash,
    });
    const exchange = await openAt(dir, writer.keys);
    expect(exchange.start.snapshotSeq).toBe(seq);
    for (let i = 0; i < EVERY / 2; i++) await exchange.submit({ type: "time.tick" });
    await following(exchange);
    // The thread finds it once a snapshot is due (EVERY records after the one it loaded), after those were durable:
    // ticks sent after the alarm are refused.
    for (let i = 0; i < EVERY + EVERY / 2; i++) await exchange.submit({ type: "time.tick" }).catch(() => undefined);
    await expect
      .poll(() => exchange.invariantAlarm, THREAD_WAIT)
      .toMatchObject({
        where: "snapshot",
        message: expect.stringContaining("invariant"),
      });
    const durable = exchange.engine.lastSeq;
    expect(exchange.invariantAlarm!.seq).toBeGreaterThanOrEqual(seq + EVERY);
    expect(exchange.invariantAlarm!.seq).toBeLessThanOrEqual(durable);
    await expect(exchange.submit({ type: "time.tick" })).rejects.toThrow(WritesStoppedError);
    expect(await exchange.store.maxSeq()).toBe(durable);
    // Nothing of the broken state was saved beyond the snapshot the test put there.
    expect(await snapshotSeqs(exchange)).toEqual([seq]);
    await exchange.close();
  });
});

const runPostgres = await postgresForSuite("the engine's snapshot thread");

describe.runIf(runPostgres)("the engine's snapshot thread (PostgreSQL)", () => {
  const schema = testSchema("engine_thread");
  afterAll(() => dropSchema(schema));

  it("snapshots the shared journal's engine as the leader holds it, and a follower starts from its snapshot", async () => {
    const keysDir = mkdtempSync(join(tmpdir(), "sauda-engine-thread-pg-keys-"));
    const location = { database: TEST_DATABASE_URL, schema, keysDir, clock: () => T0, snapshotEveryMs: 0 };
    const leader = await Exchange.open({
      ...location,
      snapshotEveryCommands: KEEP_EVERY,
      engineSnapshotEveryRecords: EVERY,
    });
    try {
      for (const command of [...SETUP, ...restingAndCrossingOrders(EVERY)]) await leader.submit(command);
      await following(leader);
      for (const command of restingAndCrossingOrders(3 * EVERY + 5, "p")) await leader.submit(command);
      const head = leader.engine.lastSeq;
      await expect.poll(async () => head - (await snapshotSeqs(leader))[0]!, THREAD_WAIT).toBeLessThan(EVERY);
      const newest = (await snapshotSeqs(leader))[0]!;
      expect(newest).toBeGreaterThan(head - EVERY);
      const follower = await Exchange.open({ ...location, follower: true });
      try {
        expect(follower.start.snapshotSeq).toBe(newest);
        expect(follower.start.replayed).toBe(head - newest);
        expect(follower.engine.stateHash(dataHash)).toBe(leader.engine.stateHash(dataHash));
      } finally {
        await follower.close();
      }
      expect(await leader.engineSnapshotThread!.snapshot(head)).toBe(head);
      const atHead = (await leader.store.loadSnapshot(head))!;
      expect(atHead.data).toBe(JSON.stringify(leader.engine.snapshot()));
    } finally {
      await leader.close();
    }
  });
});
