/**
 * Snapshots of the read models (gateway/view-snapshots.ts): a start after one loads it and replays only the records
 * after it (counted), and the read models it ends with are exactly those of a full replay from record 1 (every field
 * compared); a changed snapshot is not used (a warning, and a full rebuild); voided trades' marks (tape, revised
 * session results, revised indices) survive a restart from a snapshot taken after some voids and before others.
 */

import { hash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { getPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { afterAll, describe, expect, it } from "vitest";
import type { Command } from "../../src/engine/commands.ts";
import { Exchange } from "../../src/gateway/exchange.ts";
import { buildViews, viewRoots } from "../../src/gateway/read-models.ts";
import {
  ambiguousClassNames,
  captureViews,
  codeVersion,
  restoreViews,
  restoreViewsInSteps,
  ViewSnapshotError,
} from "../../src/gateway/view-snapshots.ts";
import { snapshotThreadNice } from "../../src/journal/snapshot-thread.ts";
import { openJournalDatabase } from "../../src/journal/sqlite-store.ts";
import { Projections } from "../../src/projections/index.ts";
import { BiddingPair } from "../../src/surveillance/rules/coordinated-bidding.ts";
import { WashPair } from "../../src/surveillance/rules/wash-trade.ts";
import { dropSchema, postgresForSuite, TEST_DATABASE_URL, testSchema } from "../support/postgres.ts";
import { INSTRUMENT, SETUP, T0 } from "../support/server.ts";
import { threadsAtNice } from "../support/threads.ts";
import {
  capturedViews,
  copyWithoutViewSnapshots,
  damageNewestViewSnapshot,
  restingAndCrossingOrders,
} from "../support/view-fixtures.ts";

const EVERY = 100;
const RECORDS = 250;
/** How long to wait for the snapshot thread (it starts with the leader, and loads its code first). */
const SNAPSHOT_WAIT = { timeout: 60_000, interval: 50 };

async function openAt(dir: string): Promise<Exchange> {
  return Exchange.open({
    data: dir,
    clock: () => T0,
    snapshotEveryMs: 0,
    snapshotEveryCommands: EVERY,
    viewSnapshotEveryRecords: EVERY,
  });
}

/** A journal of RECORDS records whose newest view snapshot is at 200; the writing exchange is left open (no close). */
async function journal(): Promise<{ dir: string; writer: Exchange }> {
  const dir = mkdtempSync(join(tmpdir(), "sauda-view-snapshots-"));
  const niceBefore = threadsAtNice(snapshotThreadNice(getPriority()));
  const writer = await openAt(dir);
  const trades: number[] = [];
  for (const command of [...SETUP, ...restingAndCrossingOrders(RECORDS - SETUP.length)]) {
    const outcome = await writer.submit(command);
    for (const event of outcome.events) if (event.type === "trade") trades.push(outcome.seq);
  }
  expect(trades.length).toBeGreaterThan(20);
  expect(writer.health().seq).toBe(RECORDS);
  // The snapshot by count is written in the background, by the snapshot thread: wait for the one at 200.
  await expect.poll(async () => (await writer.store.loadViewSnapshot())?.seq, SNAPSHOT_WAIT).toBe(2 * EVERY);
  // That thread runs below the leader's threads (Linux: a nice value per thread), and so do the threads it starts
  // (its store's writer); this thread keeps the process's. No engine snapshot thread runs here.
  const niced = threadsAtNice(snapshotThreadNice(getPriority())).filter((tid) => !niceBefore.includes(tid));
  expect(niced.length).toBeGreaterThanOrEqual(1);
  expect(niced).not.toContain(String(process.pid));
  return { dir, writer };
}

describe("snapshots of the read models", () => {
  it("a start after one replays only the records after it, and ends with the read models of a full replay", async () => {
    const { dir, writer } = await journal();
    // A copy without view snapshots: its start replays every record into the read models.
    const full = copyWithoutViewSnapshots(dir, "sauda-view-snapshots-full-");
    const restarted = await Exchange.open({ data: dir, clock: () => T0, snapshotEveryMs: 0, keys: writer.keys });
    const rebuilt = await Exchange.open({ data: full, clock: () => T0, snapshotEveryMs: 0, keys: writer.keys });
    try {
      expect(restarted.start).toEqual({ snapshotSeq: 200, replayed: 50, viewSnapshotSeq: 200, viewsReplayed: 50 });
      expect(rebuilt.start).toEqual({ snapshotSeq: 200, replayed: 50, viewSnapshotSeq: 0, viewsReplayed: RECORDS });
      expect(restarted.projections.lastSeq).toBe(RECORDS);
      // Every field of every read model (and surveillance), compared structurally.
      expect(capturedViews(restarted)).toStrictEqual(capturedViews(rebuilt));
      // A view that reads back through its own methods says the same.
      expect(restarted.projections.marketData.trades(INSTRUMENT, 10)).toEqual(
        rebuilt.projections.marketData.trades(INSTRUMENT, 10),
      );
      // The audit trail tells an entry from before the snapshot in the reader's language, as after a full replay.
      const early = restarted.projections.audit.get(SETUP.length + 1)!;
      const told = restarted.projections.audit.inLanguage(early, "ru");
      expect(told.summary).not.toBe(early.summary);
      expect(told).toEqual(
        rebuilt.projections.audit.inLanguage(rebuilt.projections.audit.get(SETUP.length + 1)!, "ru"),
      );
    } finally {
      await restarted.close();
      await rebuilt.close();
    }
  });

  it("restored in steps (serving first, the event loop turning between them), the read models are the same", async () => {
    const { writer } = await journal();
    try {
      const roots = [writer.projections, writer.surveillance, { surveillanceFailure: null }];
      const data = captureViews(roots, viewRoots(buildViews(undefined)));
      const whole = buildViews(undefined);
      restoreViews(data, viewRoots(whole));
      const stepped = buildViews(undefined);
      let turns = 0;
      await restoreViewsInSteps(data, viewRoots(stepped), async () => {
        turns++;
      });
      // The views of the projections, each one's fields, and surveillance's: many steps, not one.
      expect(turns).toBeGreaterThan(30);
      const plain = (views: ReturnType<typeof buildViews>) =>
        deserialize(captureViews(viewRoots(views), viewRoots(buildViews(undefined))));
      expect(plain(stepped)).toStrictEqual(plain(whole));
      expect(stepped.projections.lastSeq).toBe(RECORDS);
      expect(stepped.projections.marketData.trades(INSTRUMENT, 10)).toEqual(
        writer.projections.marketData.trades(INSTRUMENT, 10),
      );
    } finally {
      await writer.close();
    }
  });

  it("a changed snapshot is not used: a warning, and the read models are rebuilt from record 1", async () => {
    const { dir, writer } = await journal();
    damageNewestViewSnapshot(dir);
    const restarted = await Exchange.open({ data: dir, clock: () => T0, snapshotEveryMs: 0, keys: writer.keys });
    try {
      expect(restarted.start.viewSnapshotSeq).toBe(0);
      expect(restarted.start.viewsReplayed).toBe(RECORDS);
      expect(restarted.warnings).toContain(
        "the snapshot of the read models at 200 was not used (its data does not match its hash); they were rebuilt from the journal",
      );
      expect(restarted.projections.lastSeq).toBe(RECORDS);
      expect(restarted.projections.marketData.book(INSTRUMENT)).toEqual(writer.projections.marketData.book(INSTRUMENT));
    } finally {
      await restarted.close();
    }
  });

  it("a snapshot in the format before this one (sauda-read-models/3) is refused cleanly: rebuilt from record 1", async () => {
    const { dir, writer } = await journal();
    const saved = (await writer.store.loadViewSnapshot())!;
    const whole = deserialize(saved.data) as unknown[];
    expect(whole[0]).toBe("sauda-read-models/4");
    // As the code before wrote them: its format, its code's version, its roots and its table of strings.
    const old = serialize(["sauda-read-models/3", whole[1], whole[2], whole[3]]);
    await writer.store.saveViewSnapshot({
      seq: saved.seq,
      recordHash: saved.recordHash,
      data: old,
      dataHash: hash("sha256", old, "hex"),
    });
    const restarted = await Exchange.open({ data: dir, clock: () => T0, snapshotEveryMs: 0, keys: writer.keys });
    try {
      expect(restarted.start).toEqual({ snapshotSeq: 200, replayed: 50, viewSnapshotSeq: 0, viewsReplayed: RECORDS });
      expect(restarted.warnings).toContain(
        "the snapshot of the read models at 200 was not used (it is not in the format sauda-read-models/4); they were rebuilt from the journal",
      );
      expect(restarted.projections.lastSeq).toBe(RECORDS);
      expect(capturedViews(restarted)).toStrictEqual(capturedViews(writer));
    } finally {
      await restarted.close();
    }
  });

  it("voided trades' marks survive a restart: the tape, the revised session result and the revised indices", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-view-snapshots-void-"));
    const writer = await openAt(dir);
    const trades: string[] = [];
    const submit = async (command: Command) => {
      const outcome = await writer.submit(command);
      for (const event of outcome.events) if (event.type === "trade") trades.push(event.tradeId);
      return outcome;
    };
    for (const command of [...SETUP, ...restingAndCrossingOrders(190 - SETUP.length)]) await submit(command);
    const voidOf = (trade: string) =>
      ({ type: "trade.void", trade, reason: "entry software", rule: "Rulebook 4.2" }) as Command;
    // Before the snapshot at 200: one void in the session, the close, one void after it (a revision).
    await submit(voidOf(trades[0]!));
    await submit({ type: "phase.set", instrument: INSTRUMENT, phase: "closed" });
    await submit(voidOf(trades[1]!));
    for (const command of restingAndCrossingOrders(7)) {
      await submit({ ...command, orderId: `late-${(command as { orderId: string }).orderId}` } as Command);
    }
    expect(writer.health().seq).toBe(200);
    await expect.poll(async () => (await writer.store.loadViewSnapshot())?.seq, SNAPSHOT_WAIT).toBe(200);
    // After it, in the replayed tail: one more revision.
    await submit(voidOf(trades[2]!));
    const restarted = await Exchange.open({ data: dir, clock: () => T0, snapshotEveryMs: 0, keys: writer.keys });
    try {
      expect(restarted.start).toMatchObject({ viewSnapshotSeq: 200, viewsReplayed: 1 });
      const marked = (exchange: Exchange) =>
        exchange.projections.marketData
          .trades(INSTRUMENT)
          .filter((t) => t.voided !== undefined)
          .map((t) => [t.tradeId, t.voided?.seq]);
      expect(marked(restarted)).toEqual([
        [trades[2], 201],
        [trades[1], 193],
        [trades[0], 191],
      ]);
      const session = restarted.projections.sessions.last(INSTRUMENT);
      expect(session?.voids).toMatchObject({ trades: 3, lastSeq: 201, revisedSeq: 201 });
      expect(session).toEqual(writer.projections.sessions.last(INSTRUMENT));
      const day = restarted.projections.indices.daysKept(1)[0]!;
      expect(restarted.projections.indices.all(day)).toEqual(writer.projections.indices.all(day));
      expect(restarted.projections.indices.all(day)[0]?.revisedMs).toBe(T0);
      expect(restarted.projections.marketData.candles(INSTRUMENT, "1d")).toEqual(
        writer.projections.marketData.candles(INSTRUMENT, "1d"),
      );
      expect(capturedViews(restarted)).toStrictEqual(capturedViews(writer));
    } finally {
      await restarted.close();
      await writer.close();
    }
  });

  it("the snapshot thread starts only from a snapshot that checks out, and its snapshots restore to a full replay", async () => {
    // Two journals of the same length whose read models differ (one order's price): the other's snapshot, put in
    // place of this one's newest with its own data hash, is well formed but not this journal's (its MAC says so).
    const build = async (prefix: string, price: number): Promise<{ dir: string; exchange: Exchange }> => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      const exchange = await openAt(dir);
      for (const command of [...SETUP, ...restingAndCrossingOrders(RECORDS - SETUP.length)]) {
        const orderId = (command as { orderId?: string }).orderId;
        await exchange.submit(orderId === "o0" ? ({ ...command, price } as Command) : command);
      }
      // A clean stop: the thread, which runs (the count passed half of EVERY), snapshots at the head.
      await exchange.close();
      return { dir, exchange };
    };
    const { dir, exchange: first } = await build("sauda-view-snapshots-thread-", 13_300_000);
    const other = await build("sauda-view-snapshots-thread-other-", 13_300_500);
    const rows = (file: string) => {
      const db = openJournalDatabase(join(file, "sauda.sqlite"));
      const found = db.prepare("SELECT seq, data, data_hash FROM view_snapshots ORDER BY seq DESC").all() as {
        seq: number;
        data: Buffer;
        data_hash: string;
      }[];
      db.close();
      return found;
    };
    expect(rows(dir).map((row) => row.seq)).toEqual([RECORDS, 2 * EVERY]);
    const foreign = rows(other.dir)[0]!;
    expect(foreign.seq).toBe(RECORDS);
    expect(foreign.data.equals(rows(dir)[0]!.data)).toBe(false);
    const db = openJournalDatabase(join(dir, "sauda.sqlite"));
    db.prepare("UPDATE view_snapshots SET data = ?, data_hash = ? WHERE seq = ?").run(
      foreign.data,
      foreign.data_hash,
      RECORDS,
    );
    db.close();
    // The leader refuses it and rebuilds; so does its snapshot thread (started at once: 250 records since none).
    const second = await openAt(dir);
    expect(second.start.viewSnapshotSeq).toBe(0);
    for (const command of restingAndCrossingOrders(60)) {
      await second.submit({ ...command, orderId: `more-${(command as { orderId: string }).orderId}` } as Command);
    }
    await expect.poll(async () => (await second.store.loadViewSnapshot())?.seq, SNAPSHOT_WAIT).toBe(3 * EVERY);
    await second.close();
    expect(rows(dir).map((row) => row.seq)).toEqual([RECORDS + 60, 3 * EVERY]);
    // Restored from the thread's snapshot at the head, the read models are those of a full replay.
    const full = copyWithoutViewSnapshots(dir, "sauda-view-snapshots-thread-full-");
    const restarted = await Exchange.open({ data: dir, clock: () => T0, snapshotEveryMs: 0, keys: first.keys });
    const rebuilt = await Exchange.open({ data: full, clock: () => T0, snapshotEveryMs: 0, keys: first.keys });
    try {
      expect(restarted.start.viewSnapshotSeq).toBe(RECORDS + 60);
      expect(restarted.start.viewsReplayed).toBe(0);
      expect(restarted.warnings.filter((warning) => warning.includes("read models"))).toEqual([]);
      expect(rebuilt.start.viewsReplayed).toBe(RECORDS + 60);
      expect(capturedViews(restarted)).toStrictEqual(capturedViews(rebuilt));
    } finally {
      await restarted.close();
      await rebuilt.close();
    }
  });

  it("a clean stop snapshots the read models at the head: the next start replays 0 records into them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-view-snapshots-clean-"));
    // The server's defaults (snapshots by count every 100,000, by time every minute): 2,000 records reach neither.
    const writer = await Exchange.open({ data: dir, clock: () => T0 });
    // Listeners as the server wires them (e-mail notifier, alert streams): wiring, not state; they must not keep the
    // snapshot from being restored (they once did: every start after a clean stop rebuilt the read models from 1).
    const wire = (exchange: Exchange) => {
      exchange.projections.notices.onNotice(() => {});
      exchange.surveillance.onAlerts(() => {});
    };
    wire(writer);
    const commands = [...SETUP, ...restingAndCrossingOrders(2000 - SETUP.length)];
    await Promise.all(commands.map((command) => writer.submit(command)));
    expect(writer.health().seq).toBe(2000);
    await writer.close();
    const restarted = await Exchange.open({ data: dir, clock: () => T0, keys: writer.keys });
    try {
      expect(restarted.start).toEqual({ snapshotSeq: 2000, replayed: 0, viewSnapshotSeq: 2000, viewsReplayed: 0 });
      expect(restarted.warnings.filter((warning) => warning.includes("read models"))).toEqual([]);
      expect(restarted.projections.lastSeq).toBe(2000);
    } finally {
      await restarted.close();
    }
    // Once more, after a start and a clean stop with nothing new: still nothing to replay.
    const again = await Exchange.open({ data: dir, clock: () => T0, keys: writer.keys });
    wire(again);
    await again.close();
    const third = await Exchange.open({ data: dir, clock: () => T0, keys: writer.keys });
    try {
      expect(third.start).toEqual({ snapshotSeq: 2000, replayed: 0, viewSnapshotSeq: 2000, viewsReplayed: 0 });
    } finally {
      await third.close();
    }
  });

  it("a value the capture cannot represent is refused with the path that leads to it", () => {
    class Unexported {
      readonly n = 1;
    }
    const hidden = { book: new Map<string, unknown[]>([["PB-1", [1, new Unexported()]]]) };
    expect(() => captureViews([{}, hidden], [{}, {}])).toThrow(
      /^root1\.book\.get\(PB-1\)\[1\] is an instance of Unexported, which the restore cannot find/,
    );
    const symbols = { seen: new Set<unknown>(["a", Symbol("b")]) };
    expect(() => captureViews([symbols], [{}])).toThrow(/^root0\.seen item is a symbol$/);
    const keyed = new Map<unknown, unknown>([[{ [Symbol("k")]: 1 }, 2]]);
    expect(() => captureViews([{ keyed }], [{}])).toThrow(/^root0\.keyed key has symbol keys$/);
  });
});

describe("classes the read models hold", () => {
  it("each has a name of its own: two surveillance rules' pair classes are told apart, and a view holding both is restored", () => {
    // Both rules once exported a class named Pair: every snapshot of read models that held one of each was refused
    // ("cannot find"), and each start rebuilt them from record 1.
    expect(ambiguousClassNames()).toEqual([]);
    const session = { session: "S-1", instrument: INSTRUMENT, index: 1, openMs: T0, closeMs: null, basis: null };
    const bidding = new BiddingPair("ACC-A", "ACC-B");
    bidding.linked = true;
    const wash = new WashPair("wash-trade|S-1|ACC-A|ACC-B", session);
    wash.tradeCount = 3;
    const fresh = { held: {} as Record<string, unknown> };
    restoreViews(captureViews([{ held: { bidding, wash } }], [{ held: {} }]), [fresh]);
    const back = fresh.held as { bidding: BiddingPair; wash: WashPair };
    expect(back.bidding).toBeInstanceOf(BiddingPair);
    expect(back.bidding.other("ACC-A")).toBe("ACC-B");
    expect(back.bidding.linked).toBe(true);
    expect(back.wash).toBeInstanceOf(WashPair);
    expect(back.wash.tradeCount).toBe(3);
    expect(back.wash.key).toBe("wash-trade|S-1|ACC-A|ACC-B");
  });
});

describe("tables: many like records written column by column", () => {
  /** Restores `captureViews([root])` into a fresh object of root's class (or a plain one) and returns it. */
  function roundTrip<T extends object>(root: T, fresh: T): T {
    restoreViews(captureViews([root], [fresh]), [fresh]);
    return fresh;
  }

  it("records of one shape, strings, nulls, -0, NaN, bigints, booleans and undefined come back exactly", () => {
    const orders = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < 40; i++) {
      orders.set(`o${i}`, {
        id: `o${i}`,
        instrument: i % 2 === 0 ? "PB-1" : "PB-2",
        reason: i % 3 === 0 ? null : "expired",
        mixed: i % 4 === 0 ? null : i % 4 === 1 ? "text" : i % 4 === 2 ? 7 : true,
        price: i === 0 ? -0 : i === 1 ? Number.NaN : i === 2 ? 2 ** 40 : i === 3 ? 0.5 : 13_300_000 + i,
        open: i,
        value: BigInt(i) * 10n ** 20n,
        sell: i % 2 === 0,
        gone: undefined,
      });
    }
    const root = {
      orders,
      ids: new Set(Array.from({ length: 20 }, (_, i) => `o${i}`)),
      counts: new Map(Array.from({ length: 20 }, (_, i) => [i, i * 1.5])),
      entries: Array.from({ length: 30 }, (_, i) => ({ seq: i + 1, kind: "order", actor: i % 5 === 0 ? null : "u1" })),
    };
    const data = captureViews([root], [{}]);
    // Tables, not a wrapper per record: "PB-1" is written once however many records hold it.
    const [, , [wrapped], strings] = deserialize(data) as [
      string,
      string,
      [["O", Record<string, unknown[]>]],
      string[],
    ];
    expect(wrapped[1].orders![0]).toBe("TM");
    expect(wrapped[1].ids![0]).toBe("TS");
    expect(wrapped[1].counts![0]).toBe("TM");
    expect(wrapped[1].entries![0]).toBe("TA");
    expect(strings.filter((text) => text === "PB-1")).toHaveLength(1);
    const restored = roundTrip(root, {} as typeof root);
    expect(restored).toStrictEqual(root);
    expect(Object.is(restored.orders.get("o0")!.price, -0)).toBe(true);
    expect(restored.orders.get("o1")!.price).toBeNaN();
    expect(Object.keys(restored.orders.get("o5")!)).toEqual(Object.keys(orders.get("o5")!));
    expect("gone" in restored.orders.get("o5")!).toBe(true);
  });

  it("a record held in two places is one record after the restore, as before it", () => {
    const orders = Array.from({ length: 20 }, (_, i) => ({ id: `o${i}`, open: i }));
    const byId = new Map(orders.map((order) => [order.id, order]));
    const byAccount = new Map(orders.map((order) => [`a${order.open}`, order]));
    const newest = orders[19]!;
    const root = { byId, byAccount, newest, few: [orders[3]!] };
    const restored = roundTrip(root, {} as typeof root);
    expect(restored).toStrictEqual(root);
    for (const order of restored.byId.values()) expect(restored.byAccount.get(`a${order.open}`)).toBe(order);
    expect(restored.newest).toBe(restored.byId.get("o19"));
    expect(restored.few[0]).toBe(restored.byId.get("o3"));
    restored.byId.get("o7")!.open = 99;
    expect(restored.byAccount.get("a7")!.open).toBe(99);
  });

  it("records not alike are written one by one, and still come back exactly", () => {
    const shapes = new Map<string, unknown>(
      Array.from({ length: 20 }, (_, i) => [`k${i}`, i === 7 ? { other: 1 } : { id: i, nested: i === 9 ? [1] : 2 }]),
    );
    const reordered = Array.from({ length: 20 }, (_, i) => (i === 3 ? { b: 1, a: 2 } : { a: 2, b: 1 }));
    const proto = Array.from({ length: 20 }, () => JSON.parse('{"__proto__": 1}') as object);
    const root = { shapes, reordered, proto };
    const restored = roundTrip(root, {} as typeof root);
    expect(restored).toStrictEqual(root);
    expect(Object.keys(restored.reordered[3]!)).toEqual(["b", "a"]);
    expect(Object.hasOwn(restored.proto[0]!, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(restored.proto[0])).toBe(Object.prototype);
  });

  it("records that hold records (an audit entry's command) are tables too; shared and cyclic ones stay one", () => {
    const shared = { code: "X" };
    const sources = new Map<number, Record<string, unknown>>(
      Array.from({ length: 30 }, (_, i) => [
        i,
        {
          fields: i % 3 === 0 ? { type: "order.cancel", orderId: `o${i}` } : { type: "order.new", price: i, tags: [i] },
          details: i === 5 ? shared : {},
        },
      ]),
    );
    const loop: Record<string, unknown> = { name: "a" };
    loop.self = loop;
    const loops = Array.from({ length: 20 }, (_, i) => (i === 0 ? loop : { name: `n${i}`, self: null }));
    const root = { sources, alsoShared: shared, loops };
    const [, , [wrapped]] = deserialize(captureViews([root], [{}])) as [
      string,
      string,
      [["O", Record<string, unknown[]>]],
    ];
    expect(wrapped[1].sources![0]).toBe("TM");
    expect((wrapped[1].sources![2] as unknown[])[0]).toBe("o");
    const restored = roundTrip(root, {} as typeof root);
    expect(restored).toStrictEqual(root);
    expect(restored.alsoShared).toBe(restored.sources.get(5)!.details);
    expect(restored.loops[0]!.self).toBe(restored.loops[0]);
  });

  it("records made whole from their columns: cycles, number-like names, wide and negative integers, shared ids", () => {
    // Each record is made by one literal of its shape, its primitives first, its records after every row is made.
    const rows = Array.from({ length: 40 }, (_, i) => {
      const row: Record<string, unknown> = {
        id: `o${i === 39 ? 5_000_000_000 : i * 3}`,
        "2": i,
        small: -70_000 + i,
        wide: i % 2 === 0 ? 2 ** 40 + i : -(2 ** 33) - i,
        ms: 1_767_600_000_000 + i * 1000,
        half: i + 0.5,
        flag: i % 3 === 0,
        maybe: i % 4 === 0 ? null : i,
        next: null,
        owner: { member: i % 2 === 0 ? "M1" : "M2", at: i },
      };
      return row;
    });
    for (let i = 0; i < rows.length; i++) rows[i]!.next = i % 5 === 0 ? rows[i]! : rows[(i + 1) % rows.length]!;
    const root = { rows, byId: new Map(rows.map((row) => [row.id as string, row])) };
    const restored = roundTrip(root, {} as typeof root);
    expect(restored).toStrictEqual(root);
    for (let i = 0; i < rows.length; i++) {
      const row = restored.rows[i]!;
      expect(Object.keys(row)).toEqual(Object.keys(rows[i]!));
      expect(row.next).toBe(i % 5 === 0 ? row : restored.rows[(i + 1) % rows.length]);
      expect(restored.byId.get(row.id as string)).toBe(row);
    }
    expect(restored.rows[39]!.id).toBe("o5000000000");
    expect(restored.rows[1]!.wide).toBe(-(2 ** 33) - 1);
  });

  it("a table that does not fit its rows is refused, not half read", () => {
    const root = { ids: new Set(Array.from({ length: 20 }, (_, i) => `o${i}`)) };
    const [format, version, [wrapped], strings] = deserialize(captureViews([root], [{}])) as [
      string,
      string,
      [["O", { ids: [string, [string, Int32Array, unknown, [string, number, Uint8Array]]] }]],
      string[],
    ];
    // The Set's items: 20 ids of one stem ("o"), each its number (one byte).
    expect(wrapped[1].ids[1][0]).toBe("id");
    expect(wrapped[1].ids[1][3][2]).toBeInstanceOf(Uint8Array);
    wrapped[1].ids[1][3][2] = wrapped[1].ids[1][3][2].subarray(0, 19);
    expect(() => restoreViews(serialize([format, version, [wrapped], strings]), [{}])).toThrow(
      new ViewSnapshotError("root0.ids item: integers that are not 20 long"),
    );
  });
});

describe("the snapshot's format", () => {
  it("a snapshot written by other code of the read models is refused whole, before anything is restored", () => {
    const data = captureViews([new Projections()], [new Projections()]);
    const [format, version, roots] = deserialize(data) as [string, string, unknown];
    expect(format).toBe("sauda-read-models/4");
    expect(version).toBe(codeVersion());
    expect(version).toMatch(/^[0-9a-f]{64}$/);
    // The same data restores; with another code version (or format) it does not.
    expect(() => restoreViews(data, [new Projections()])).not.toThrow();
    expect(() => restoreViews(serialize([format, "0".repeat(64), roots]), [new Projections()])).toThrow(
      new ViewSnapshotError("it was written by other code of the read models"),
    );
    expect(() => restoreViews(serialize(["sauda-read-models/1", version, roots]), [new Projections()])).toThrow(
      new ViewSnapshotError("it is not in the format sauda-read-models/4"),
    );
  });
});

const runPostgres = await postgresForSuite("snapshots of the read models");

describe.runIf(runPostgres)("snapshots of the read models (PostgreSQL)", () => {
  const schema = testSchema("view_snapshots");
  afterAll(() => dropSchema(schema));

  it("the leader's snapshot thread writes them to the shared journal, and a follower starts from them", async () => {
    const keysDir = mkdtempSync(join(tmpdir(), "sauda-view-snapshots-pg-keys-"));
    const leader = await Exchange.open({
      database: TEST_DATABASE_URL,
      schema,
      keysDir,
      clock: () => T0,
      snapshotEveryMs: 0,
      snapshotEveryCommands: EVERY,
      viewSnapshotEveryRecords: EVERY,
    });
    try {
      for (const command of [...SETUP, ...restingAndCrossingOrders(RECORDS - SETUP.length)])
        await leader.submit(command);
      await expect.poll(async () => (await leader.store.loadViewSnapshot())?.seq, SNAPSHOT_WAIT).toBe(2 * EVERY);
      const follower = await Exchange.open({
        database: TEST_DATABASE_URL,
        schema,
        keysDir,
        clock: () => T0,
        follower: true,
      });
      try {
        expect(follower.start).toEqual({ snapshotSeq: 200, replayed: 50, viewSnapshotSeq: 200, viewsReplayed: 50 });
        expect(follower.warnings.filter((warning) => warning.includes("read models"))).toEqual([]);
        expect(capturedViews(follower)).toStrictEqual(capturedViews(leader));
      } finally {
        await follower.close();
      }
    } finally {
      await leader.close();
    }
  });
});
