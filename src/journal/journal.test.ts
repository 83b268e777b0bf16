/**
 * The journal's promises, run against both back ends (SQLite always; PostgreSQL when reachable, mandatory in CI):
 * durable before visible, byte-exact records, group commit, recovery with and without snapshots, and detection of
 * damaged, truncated and reordered journals.
 */

import { hash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MessageChannel } from "node:worker_threads";
import { afterEach, describe, expect, it, vi } from "vitest";
import { asVersion3 } from "../../test/support/engine-snapshot-v3.ts";
import { asVersion4 } from "../../test/support/engine-snapshot-v4.ts";
import { asVersion5 } from "../../test/support/engine-snapshot-v5.ts";
import { twoPartyMarket } from "../../test/support/market-commands.ts";
import { dropSchema, postgresForSuite, TEST_DATABASE_URL, testSchema } from "../../test/support/postgres.ts";
import type { Command } from "../engine/commands.ts";
import { ENGINE_SNAPSHOT_VERSION, Engine, type EngineSnapshot } from "../engine/engine.ts";
import { PostgresStore } from "./postgres-store.ts";
import { chainHash, dataHash, type JournalRecord, type SnapshotRecord, type UnchainedRecord } from "./records.ts";
import { JournalCorruptError, type RecoverOptions, recover, verify } from "./recovery.ts";
import {
  GroupTooLargeError,
  type Outcome,
  QUEUE_COMMANDS_MAX,
  QueueFullError,
  Sequencer,
  SequencerStoppedError,
  StoredMeta,
} from "./sequencer.ts";
import { AppendFeed, FedRecords } from "./snapshot-thread.ts";
import { SqliteStore } from "./sqlite-store.ts";
import { APPEND_RECORDS_MAX, type AppendedRecords, type JournalStore, READ_PAGE_RECORDS } from "./store.ts";

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);

const sha256 = (data: Uint8Array): string => hash("sha256", data, "hex");

interface Harness {
  readonly store: JournalStore;
  /** How the suite's recoveries are run (SQLite runs them once with its reader thread, once without). */
  readonly recoverOptions?: RecoverOptions;
  /** Runs raw SQL against the store's tables; `{t}` stands for the schema-qualified table prefix. */
  readonly damage: (sql: string) => Promise<void>;
  /** A second connection to the same journal, as a restarted process would open it. */
  readonly reopen: () => Promise<JournalStore>;
}

type HarnessFactory = () => Promise<Harness>;

function fixedClock(start = T0): () => number {
  let now = start;
  return () => now++;
}

function sessionCommands(orders: number): Command[] {
  const commands: Command[] = [
    { type: "instrument.list", instrument: "LPG", mode: "continuous", tickSize: 100, lotSize: 1000 },
    { type: "phase.set", instrument: "LPG", phase: "continuous" },
  ];
  for (let i = 0; i < orders; i++) {
    const side = i % 2 === 0 ? "sell" : "buy";
    commands.push({
      type: "order.new",
      instrument: "LPG",
      orderId: `o${i}`,
      account: `A${i % 5}`,
      side,
      orderType: "limit",
      price: 13_000_000 + ((i * 7) % 11) * 100 * (side === "sell" ? 1 : -1) + (side === "sell" ? 300 : 800),
      quantity: 1000 * (1 + (i % 4)),
    });
    if (i % 7 === 3) commands.push({ type: "order.cancel", orderId: `o${i - 2}` });
  }
  return commands;
}

async function runThrough(store: JournalStore, commands: readonly Command[], snapshotEvery = 0) {
  const engine = new Engine();
  const sequencer = new Sequencer(engine, store, await store.head(), {
    clock: fixedClock(),
    batchCommandsMax: 16,
    snapshotEveryCommands: snapshotEvery,
  });
  const outcomes = await Promise.all(commands.map((command) => sequencer.submit(command)));
  await sequencer.drain();
  return { engine, sequencer, outcomes };
}

function journalSuite(name: string, open: HarnessFactory): void {
  describe(`journal on ${name}`, () => {
    const opened: JournalStore[] = [];
    const harness = async () => {
      const h = await open();
      opened.push(h.store);
      const options = h.recoverOptions ?? {};
      return {
        ...h,
        recover: (store: JournalStore) => recover(store, options),
        reopen: async () => {
          const store = await h.reopen();
          opened.push(store);
          return store;
        },
      };
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close().catch(() => undefined);
    });
    /**
     * Puts `older` (the newest snapshot as an older format wrote it, with its hashes) in place of the newest snapshot,
     * then checks a recovery starts from it with the engine's state and verify passes over it.
     */
    const expectRestoredFromOlder = async (
      h: Awaited<ReturnType<typeof harness>>,
      olderSnapshot: unknown,
      engine: Engine,
      newest: number,
      snapshotCount: number,
    ) => {
      const older = JSON.stringify(olderSnapshot);
      const olderHash = dataHash(older);
      await h.damage(
        `UPDATE {t}snapshots SET data = '${older}', data_hash = '${olderHash}', state_hash = '${olderHash}' WHERE seq = ${newest}`,
      );
      const recovered = await h.recover(await h.reopen());
      expect(recovered.snapshotSeq).toBe(newest);
      expect(recovered.warnings).toEqual([]);
      expect(recovered.engine.stateHash()).toBe(engine.stateHash());
      const report = await verify(await h.reopen());
      expect(report.records).toBe(engine.lastSeq);
      expect(report.snapshotsChecked).toBe(snapshotCount - 1);
    };

    it("stores records byte for byte and keeps the head", async () => {
      const { store } = await harness();
      expect(await store.head()).toBeNull();
      const records: JournalRecord[] = [
        {
          seq: 1,
          timeMs: T0,
          meta: '{"actor":"op"}',
          command: '{"type":"time.tick","note":"é ü 漢"}',
          events: "[]",
          hash: "a".repeat(64),
        },
        {
          seq: 2,
          timeMs: T0 + 1,
          meta: "{}",
          command: '{"type":"time.tick"}',
          events: '[{"x":1}]',
          hash: "b".repeat(64),
        },
      ];
      await store.append(records);
      expect(await store.read(1, 10)).toEqual(records);
      expect(await store.read(2, 10)).toEqual([records[1]]);
      expect(await store.head()).toEqual({ seq: 2, hash: "b".repeat(64), mac: null });
      expect(await store.maxSeq()).toBe(2);
      if (store.headAndMaxSeq) {
        expect(await store.headAndMaxSeq()).toEqual({ head: { seq: 2, hash: "b".repeat(64), mac: null }, maxSeq: 2 });
      }
    });

    it("saves identity snapshots byte for byte, and a restarted store loads the newest", async () => {
      const { store, reopen } = await harness();
      expect(await store.loadIdentitySnapshot()).toBeNull();
      for (const seq of [10, 20, 30]) {
        const data = Buffer.from(JSON.stringify({ format: 1, seq, text: "Қазақ газ" }), "utf8");
        await store.saveIdentitySnapshot({ seq, recordHash: "a".repeat(64), data, dataHash: sha256(data) });
      }
      const again = await reopen();
      const newest = await again.loadIdentitySnapshot();
      expect(newest?.seq).toBe(30);
      expect(newest?.recordHash).toBe("a".repeat(64));
      expect(JSON.parse(Buffer.from(newest!.data).toString("utf8"))).toEqual({ format: 1, seq: 30, text: "Қазақ газ" });
      expect(newest?.dataHash).toBe(sha256(newest!.data));
      // No MAC key in this harness: none stored (a start then refuses the snapshot, gateway/identity.ts).
      expect(newest?.mac ?? null).toBeNull();
    });

    it("lists the derived snapshots' hashes and MACs, and rewriteMacs replaces the MACs it is given (key rotation)", async () => {
      const { store, reopen } = await harness();
      for (const seq of [10, 20]) {
        const data = Buffer.from(`views ${seq}`, "utf8");
        await store.saveViewSnapshot({ seq, recordHash: "a".repeat(64), data, dataHash: sha256(data) });
      }
      const identity = Buffer.from("identity 20", "utf8");
      await store.saveIdentitySnapshot({
        seq: 20,
        recordHash: "b".repeat(64),
        data: identity,
        dataHash: sha256(identity),
      });
      const views = await store.derivedSnapshotMacs("view_snapshots");
      expect(views.map(({ seq, recordHash, dataHash }) => ({ seq, recordHash, dataHash }))).toEqual([
        { seq: 10, recordHash: "a".repeat(64), dataHash: sha256(Buffer.from("views 10")) },
        { seq: 20, recordHash: "a".repeat(64), dataHash: sha256(Buffer.from("views 20")) },
      ]);
      await store.rewriteMacs(
        null,
        new Map(),
        new Map([
          ["view_snapshots", new Map([[20, "c".repeat(64)]])],
          ["identity_snapshots", new Map([[20, "d".repeat(64)]])],
        ]),
      );
      const again = await reopen();
      expect((await again.derivedSnapshotMacs("view_snapshots")).map((v) => [v.seq, v.mac ?? null])).toEqual([
        [10, null],
        [20, "c".repeat(64)],
      ]);
      expect((await again.derivedSnapshotMacs("identity_snapshots")).map((v) => [v.seq, v.mac])).toEqual([
        [20, "d".repeat(64)],
      ]);
      expect((await again.loadIdentitySnapshot())?.mac).toBe("d".repeat(64));
    });

    it("loads an engine snapshot with the hash of its data as dataHash gives it, non-ASCII text included", async () => {
      const { store } = await harness();
      const data = JSON.stringify({ version: 5, note: "Қазақ газ é 漢 \u{1F525}", n: [1, 2, 3] });
      await store.saveSnapshot({
        seq: 7,
        stateHash: "s".repeat(64),
        recordHash: "r".repeat(64),
        data,
        dataHash: dataHash(data),
      });
      const plain = await store.loadSnapshot(7);
      if (store.loadSnapshotHashed) {
        expect(await store.loadSnapshotHashed(7)).toEqual({ record: plain, hash: dataHash(data) });
        expect(await store.loadSnapshotHashed(8)).toBeNull();
      }
      expect(plain?.data).toBe(data);
    });

    it("saves an engine snapshot replacing another in one transaction: the one replaced is gone, the others stay", async () => {
      const { store } = await harness();
      const save = (seq: number, replacing?: number) => {
        const data = JSON.stringify({ seq });
        return store.saveSnapshot(
          { seq, stateHash: dataHash(data), recordHash: "r".repeat(64), data, dataHash: dataHash(data) },
          replacing,
        );
      };
      await save(100);
      await save(110);
      await save(120, 110);
      // Replacing its own seq (or nothing) deletes nothing.
      await save(130, 130);
      expect((await store.snapshots()).map((s) => s.seq)).toEqual([130, 120, 100]);
      expect(await store.loadSnapshot(110)).toBeNull();
      expect((await store.loadSnapshot(120))?.data).toBe(JSON.stringify({ seq: 120 }));
    });

    it("reads the head and the highest seq at one moment, so a start beside a writing leader sees no records beyond the head", async () => {
      const { store } = await harness();
      if (store.headAndMaxSeq) expect(await store.headAndMaxSeq()).toEqual({ head: null, maxSeq: 0 });
      // A store whose head is read before a batch commits and whose records after: recovery must not take the two
      // apart when the store can read them together.
      await runThrough(store, [{ type: "time.tick" }, { type: "time.tick" }]);
      const racing: JournalStore = Object.create(store, {
        head: { value: async () => ({ ...(await store.head())!, seq: 1 }) },
      });
      if (store.headAndMaxSeq) {
        const recovered = await recover(racing);
        expect(recovered.engine.lastSeq).toBe(2);
      } else {
        await expect(recover(racing)).rejects.toThrow("records exist beyond the journal head 1 (up to 2)");
      }
    });

    it("appendChained gives each record the hash chainHash gives it, continuing the head, and says the last", async () => {
      const { store } = await harness();
      const first: UnchainedRecord = {
        seq: 1,
        timeMs: T0,
        meta: '{"actor":"Әлия"}',
        command: '{"type":"time.tick","note":"é ü 漢 😀"}',
        events: "[]",
      };
      const second: UnchainedRecord = {
        seq: 2,
        timeMs: T0 + 1,
        meta: "{}",
        command: '{"type":"time.tick"}',
        events: '[{"x":1}]',
      };
      const genesis = "0".repeat(64);
      const firstHash = chainHash(genesis, 1, T0, first.meta, first.command, first.events);
      const secondHash = chainHash(firstHash, 2, T0 + 1, second.meta, second.command, second.events);
      expect(await store.appendChained(genesis, [first])).toBe(firstHash);
      expect(await store.appendChained(firstHash, [second])).toBe(secondHash);
      expect(await store.read(1, 10)).toEqual([
        { ...first, hash: firstHash },
        { ...second, hash: secondHash },
      ]);
      expect(await store.head()).toEqual({ seq: 2, hash: secondHash, mac: null });
      expect(await store.appendChained(secondHash, [])).toBe(secondHash);
    });

    it("a failed append writes nothing", async () => {
      const { store } = await harness();
      const good: JournalRecord = { seq: 1, timeMs: T0, meta: "{}", command: "{}", events: "[]", hash: "a".repeat(64) };
      await store.append([good]);
      // seq 1 again violates the primary key: the whole batch, including seq 2, must be refused.
      const batch = [
        { ...good, seq: 2, hash: "c".repeat(64) },
        { ...good, seq: 1, hash: "d".repeat(64) },
      ];
      await expect(store.append(batch)).rejects.toThrow();
      expect(await store.maxSeq()).toBe(1);
      expect(await store.head()).toEqual({ seq: 1, hash: "a".repeat(64), mac: null });
    });

    it("the sequencer numbers commands without gaps and releases outcomes only when durable", async () => {
      const { store, reopen } = await harness();
      const commands = sessionCommands(60);
      const { engine, outcomes } = await runThrough(store, commands);
      expect(outcomes.map((o) => o.seq)).toEqual(commands.map((_, i) => i + 1));
      const other = await reopen();
      const stored = await other.read(1, 10_000);
      expect(stored).toHaveLength(commands.length);
      stored.forEach((record, i) => {
        expect(JSON.parse(record.command)).toEqual(commands[i]);
        expect(record.events).toBe(JSON.stringify(outcomes[i]!.events));
      });
      expect((await other.head())?.seq).toBe(commands.length);
      expect(engine.lastSeq).toBe(commands.length);
    });

    it("stores who sent each command, under the hash chain", async () => {
      const { store, damage, reopen } = await harness();
      const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock() });
      const meta = { actor: "operator-1", role: "operator", source: "10.0.0.7", requestId: "r-42" };
      const outcome = await sequencer.submit({ type: "time.tick" }, meta);
      expect(outcome.meta).toEqual(meta);
      const [record] = await store.read(1, 1);
      expect(JSON.parse(record!.meta)).toEqual(meta);
      await damage(`UPDATE {t}journal SET meta = '{"actor":"someone-else"}' WHERE seq = 1`);
      await expect(verify(await reopen())).rejects.toThrow("record 1: damaged");
    });

    it("recovers the same state from the journal alone", async () => {
      const { store, reopen, recover } = await harness();
      const { engine } = await runThrough(store, sessionCommands(80));
      const recovered = await recover(await reopen());
      expect(recovered.snapshotSeq).toBe(0);
      expect(recovered.engine.stateHash()).toBe(engine.stateHash());
      expect(recovered.replayed).toBe(engine.lastSeq);
    });

    it("recovers from the newest snapshot and replays only what came after", async () => {
      const { store, reopen, recover } = await harness();
      const { engine } = await runThrough(store, sessionCommands(80), 40);
      const snapshots = await store.snapshots();
      expect(snapshots.length).toBeGreaterThanOrEqual(2);
      const recovered = await recover(await reopen());
      expect(recovered.snapshotSeq).toBe(snapshots[0]!.seq);
      expect(recovered.replayed).toBe(engine.lastSeq - snapshots[0]!.seq);
      expect(recovered.engine.stateHash()).toBe(engine.stateHash());
      // Recovery continues: new commands after recovery extend the same chain.
      const sequencer = new Sequencer(recovered.engine, store, recovered.head, { clock: fixedClock(T0 + 10_000) });
      await sequencer.submit({ type: "time.tick" });
      const report = await verify(await reopen());
      expect(report.records).toBe(engine.lastSeq + 1);
      expect(report.snapshotsChecked).toBe(snapshots.length);
    });

    it("passes over a snapshot in an older version's format: recovery starts further back, verify replays", async () => {
      const { store, damage, reopen, recover } = await harness();
      const { engine } = await runThrough(store, sessionCommands(80), 40);
      const snapshots = await store.snapshots();
      const newest = snapshots[0]!.seq;
      const saved = (await store.loadSnapshot(newest))!;
      // The same snapshot as a version before this one's format would have written it (authentic: hashes match).
      const older = saved.data.replace(`"version":${ENGINE_SNAPSHOT_VERSION}`, '"version":2');
      expect(older).not.toBe(saved.data);
      const olderHash = dataHash(older);
      await damage(
        `UPDATE {t}snapshots SET data = '${older}', data_hash = '${olderHash}', state_hash = '${olderHash}' WHERE seq = ${newest}`,
      );
      const recovered = await recover(await reopen());
      expect(recovered.snapshotSeq).toBe(snapshots[1]!.seq);
      expect(recovered.warnings).toContain(
        `snapshot ${newest} is in an older format (version 2; this version writes ${ENGINE_SNAPSHOT_VERSION})`,
      );
      expect(recovered.engine.stateHash()).toBe(engine.stateHash());
      const report = await verify(await reopen());
      expect(report.records).toBe(engine.lastSeq);
      expect(report.snapshotsChecked).toBe(snapshots.length - 1);
    });

    it("restores from a snapshot in version 3's format (one object per live order); verify passes over it", async () => {
      const harnessed = await harness();
      const { engine } = await runThrough(harnessed.store, sessionCommands(80), 40);
      const snapshots = await harnessed.store.snapshots();
      const newest = snapshots[0]!.seq;
      const saved = (await harnessed.store.loadSnapshot(newest))!;
      // The same state as version 3 wrote it (authentic: hashes match), with live orders resting in it.
      const v3 = asVersion3(JSON.parse(saved.data) as EngineSnapshot);
      expect(v3.orders.length).toBeGreaterThan(0);
      await expectRestoredFromOlder(harnessed, v3, engine, newest, snapshots.length);
    });

    it("restores from a snapshot in version 4's format (orders sorted by id, named by id in the markets); verify passes over it", async () => {
      const harnessed = await harness();
      const { engine } = await runThrough(harnessed.store, sessionCommands(80), 40);
      const snapshots = await harnessed.store.snapshots();
      const newest = snapshots[0]!.seq;
      const saved = (await harnessed.store.loadSnapshot(newest))!;
      // The same state as version 4 wrote it (authentic: hashes match), with live orders resting in it.
      const v4 = asVersion4(JSON.parse(saved.data) as EngineSnapshot);
      expect(v4.orders.id.length).toBeGreaterThan(0);
      await expectRestoredFromOlder(harnessed, v4, engine, newest, snapshots.length);
    });

    it("restores from a snapshot in version 5's format (done orders and obligations one object each); verify passes over it", async () => {
      const harnessed = await harness();
      // A cleared market, so that trades open obligations.
      const cleared = [...twoPartyMarket("LPG"), ...sessionCommands(80).slice(2)].map((command) =>
        command.type === "order.new" ? { ...command, account: command.side === "buy" ? "B1" : "P1" } : command,
      );
      const { engine } = await runThrough(harnessed.store, cleared, 40);
      const snapshots = await harnessed.store.snapshots();
      const newest = snapshots[0]!.seq;
      const saved = (await harnessed.store.loadSnapshot(newest))!;
      // The same state as version 5 wrote it (authentic: hashes match), with done orders and obligations in it.
      const v5 = asVersion5(JSON.parse(saved.data) as EngineSnapshot);
      expect(v5.done.length).toBeGreaterThan(0);
      expect(v5.house.clearing.obligations.length).toBeGreaterThan(0);
      await expectRestoredFromOlder(harnessed, v5, engine, newest, snapshots.length);
    });

    it("refuses a changed snapshot and names it", async () => {
      const { store, damage, reopen, recover } = await harness();
      await runThrough(store, sessionCommands(80), 40);
      const newest = (await store.snapshots())[0]!.seq;
      await damage(`UPDATE {t}snapshots SET data = replace(data, '"open":', '"open": ') WHERE seq = ${newest}`);
      const error = await recover(await reopen()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JournalCorruptError);
      expect((error as JournalCorruptError).message).toBe(
        `record ${newest}: snapshot ${newest} was changed or damaged: its data does not match its hash`,
      );
      await expect(verify(await reopen())).rejects.toThrow(`record ${newest}: snapshot ${newest} was changed`);
    });

    it("detects a damaged record before the snapshot, which start-up does not replay, and names it", async () => {
      const { store, damage, reopen, recover } = await harness();
      await runThrough(store, sessionCommands(80), 40);
      const newest = (await store.snapshots())[0]!.seq;
      expect(newest).toBeGreaterThan(20);
      await damage(`UPDATE {t}journal SET meta = '{"actor":"someone else"}' WHERE seq = 12`);
      const error = await recover(await reopen()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JournalCorruptError);
      expect((error as JournalCorruptError).message).toBe(
        "record 12: damaged: its hash does not continue the journal's hash chain",
      );
    });

    it("detects a damaged record and names it", async () => {
      const { store, damage, reopen, recover } = await harness();
      await runThrough(store, sessionCommands(40));
      await damage(
        `UPDATE {t}journal SET command = replace(command, '"quantity":2000', '"quantity":3000') WHERE seq = 9`,
      );
      const error = await recover(await reopen()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JournalCorruptError);
      expect((error as JournalCorruptError).seq).toBe(9);
      await expect(verify(await reopen())).rejects.toThrow("record 9: damaged");
    });

    it("detects events that replay does not reproduce, even with a consistent chain", async () => {
      const { store, reopen } = await harness();
      const engine = new Engine();
      const sequencer = new Sequencer(engine, store, null, { clock: fixedClock() });
      await sequencer.submit({ type: "time.tick" });
      const head = await store.head();
      // A forged record: valid JSON, valid chain hash, but events the engine would never produce.
      const command = JSON.stringify({ type: "time.tick" });
      const events = JSON.stringify([{ type: "trade", price: 1 }]);
      await store.append([
        {
          seq: 2,
          timeMs: T0 + 5,
          meta: "{}",
          command,
          events,
          hash: chainHash(head!.hash, 2, T0 + 5, "{}", command, events),
        },
      ]);
      // The chain is consistent, so recovery (which trusts the chain) replays it; verify replays and compares events.
      await expect(verify(await reopen())).rejects.toThrow("record 2: replaying its command gives different events");
    });

    it("detects a command that is not JSON under a consistent chain, in recovery too", async () => {
      const { store, reopen, recover } = await harness();
      const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock() });
      await sequencer.submit({ type: "time.tick" });
      const head = await store.head();
      const command = "{not json";
      await store.append([
        {
          seq: 2,
          timeMs: T0 + 5,
          meta: "{}",
          command,
          events: "[]",
          hash: chainHash(head!.hash, 2, T0 + 5, "{}", command, "[]"),
        },
      ]);
      const error = await recover(await reopen()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JournalCorruptError);
      expect((error as Error).message).toBe("record 2: damaged: its command is not valid JSON");
    });

    it("recovers a journal of several read pages and names a damaged record deep inside it", async () => {
      const { store, damage, reopen, recover } = await harness();
      const count = READ_PAGE_RECORDS * 2 + 500;
      const engine = new Engine();
      const sequencer = new Sequencer(engine, store, null, { clock: fixedClock(), snapshotEveryCommands: 0 });
      await Promise.all(Array.from({ length: count }, () => sequencer.submit({ type: "time.tick" })));
      const recovered = await recover(await reopen());
      expect(recovered.replayed).toBe(count);
      expect(recovered.engine.stateHash()).toBe(engine.stateHash());
      const bad = READ_PAGE_RECORDS + 17;
      await damage(`UPDATE {t}journal SET time_ms = time_ms + 1 WHERE seq = ${bad}`);
      const error = await recover(await reopen()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JournalCorruptError);
      expect((error as JournalCorruptError).seq).toBe(bad);
      expect((error as Error).message).toContain("damaged: its hash does not continue");
    });

    it("detects a truncated tail", async () => {
      const { store, damage, reopen, recover } = await harness();
      await runThrough(store, sessionCommands(30));
      const head = await store.head();
      await damage(`DELETE FROM {t}journal WHERE seq >= ${head!.seq - 2}`);
      await expect(recover(await reopen())).rejects.toThrow(`record ${head!.seq - 2}: the journal is truncated`);
    });

    it("detects a missing record in the middle", async () => {
      const { store, damage, reopen, recover } = await harness();
      await runThrough(store, sessionCommands(30));
      await damage("DELETE FROM {t}journal WHERE seq = 12");
      await expect(recover(await reopen())).rejects.toThrow("record 12: missing");
    });
  });
}

journalSuite("SQLite, writer and reader threads", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sauda-journal-"));
  const store = new SqliteStore(dir);
  // Every write of the suite goes through the writer thread, and every recovery reads through the reader thread.
  expect(await store.writerReady()).toBe(true);
  return {
    store,
    recoverOptions: { checkedReadRecordsMin: 0 },
    damage: async (sql) => store.unsafeExec(sql.replaceAll("{t}", "")),
    reopen: async () => new SqliteStore(dir),
  };
});

journalSuite("SQLite, first writes before the writer thread is up", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sauda-journal-"));
  const store = new SqliteStore(dir);
  return {
    store,
    recoverOptions: { checkedReadRecordsMin: Number.POSITIVE_INFINITY },
    damage: async (sql) => store.unsafeExec(sql.replaceAll("{t}", "")),
    reopen: async () => new SqliteStore(dir),
  };
});

if (await postgresForSuite("journal tests")) {
  const schemas: string[] = [];
  journalSuite("PostgreSQL", async () => {
    const schema = testSchema("journal");
    schemas.push(schema);
    const store = await PostgresStore.open(TEST_DATABASE_URL, schema);
    return {
      store,
      damage: (sql) => store.unsafeExec(sql.replaceAll("{t}", `"${schema}".`)),
      reopen: () => PostgresStore.open(TEST_DATABASE_URL, schema),
    };
  });
  describe("PostgreSQL cleanup", () => {
    it("drops the test schemas", async () => {
      for (const schema of schemas) await dropSchema(schema);
      expect(schemas.length).toBeGreaterThan(0);
    });
  });
}

describe("SQLite writer thread", () => {
  it("refuses a chained batch that does not continue the stored head, and writes nothing of it", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-chain-")));
    expect(await store.writerReady()).toBe(true);
    const record: UnchainedRecord = { seq: 1, timeMs: T0, meta: "{}", command: '{"type":"time.tick"}', events: "[]" };
    const first = await store.appendChained("0".repeat(64), [record]);
    await expect(store.appendChained("e".repeat(64), [{ ...record, seq: 2 }])).rejects.toThrow(
      "does not continue the journal head's hash chain",
    );
    expect(await store.head()).toEqual({ seq: 1, hash: first, mac: null });
    expect(await store.maxSeq()).toBe(1);
    await store.close();
  });

  it("stores every batch byte for byte when its text buffer is one handed back by an earlier, larger or smaller batch", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-spare-")));
    expect(await store.writerReady()).toBe(true);
    // A large batch (more than the least buffer of 1 MiB), then small ones written over its buffer, then a larger one
    // that needs a new buffer, then non-ASCII text (the per-field byte ends) in a reused one.
    const sizes: [count: number, eventChars: number, name: string][] = [
      [300, 4000, "a"],
      [3, 10, "b"],
      [2, 5, "Қазақ газ"],
      [600, 8000, "c"],
      [5, 20, "ТОО «Газ» 🔥"],
    ];
    const written: UnchainedRecord[] = [];
    let hash = "0".repeat(64);
    for (const [count, eventChars, name] of sizes) {
      const batch: UnchainedRecord[] = [];
      for (let i = 0; i < count; i++) {
        const seq = written.length + batch.length + 1;
        batch.push({
          seq,
          timeMs: T0 + seq,
          meta: JSON.stringify({ user: name }),
          command: JSON.stringify({ type: "member.add", member: `M${seq}`, name }),
          events: JSON.stringify([{ type: "note", text: name.repeat(Math.ceil(eventChars / name.length)) }]),
        });
      }
      hash = await store.appendChained(hash, batch);
      written.push(...batch);
    }
    const stored = await store.read(1, written.length);
    expect(stored.map(({ hash: _, ...r }) => r)).toEqual(written);
    expect(stored.at(-1)!.hash).toBe(hash);
    let chained = "0".repeat(64);
    for (const r of stored) chained = chainHash(chained, r.seq, r.timeMs, r.meta, r.command, r.events);
    expect(chained).toBe(hash);
    await store.close();
  });
});

describe("SQLite writer thread's followers", () => {
  /** Record `seq` as a follower was sent it, in the shape `read` gives it. */
  const asFed = (fed: FedRecords, seq: number): JournalRecord => ({
    seq,
    timeMs: fed.timeMs(seq),
    meta: fed.meta(seq),
    command: fed.command(seq),
    events: fed.events(seq),
    hash: fed.hash(seq),
  });

  it("sends each append it commits, as stored, with its chain hashes; a refused one is not sent", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-follow-")));
    const channel = new MessageChannel();
    // Asked before the thread is ready: it takes the port once it is. Each append sent as it commits.
    expect(store.follow(channel.port1, { records: 1, ms: 0 })).toBe(true);
    const feed = new AppendFeed(channel.port2);
    let sent = 0;
    channel.port2.on("message", () => sent++);
    expect(await store.writerReady()).toBe(true);
    const written: UnchainedRecord[] = [];
    let hash = "0".repeat(64);
    for (const [count, name] of [
      [1, "a"],
      [4, "Қазақ газ"],
      [3, "ТОО «Газ» 🔥"],
    ] as const) {
      const batch = Array.from({ length: count }, (_, i): UnchainedRecord => {
        const seq = written.length + i + 1;
        return {
          seq,
          timeMs: T0 + seq,
          meta: JSON.stringify({ user: name }),
          command: JSON.stringify({ type: "member.add", member: `M${seq}`, name }),
          events: JSON.stringify([{ type: "note", text: name }]),
        };
      });
      hash = await store.appendChained(hash, batch);
      written.push(...batch);
      if (count === 4) {
        await expect(store.appendChained("e".repeat(64), [{ ...batch[0]!, seq: written.length + 1 }])).rejects.toThrow(
          "does not continue",
        );
      }
    }
    // Three appends committed (the refused one between them is not sent); the feed takes each in order.
    await expect.poll(() => sent).toBe(3);
    for (const stored of await store.read(1, written.length))
      expect(asFed(feed.at(stored.seq)!, stored.seq)).toEqual(stored);
    expect(sent).toBe(3);
    feed.close();
    await store.close();
  });

  /** Appends of `counts` records each from seq `from` on, chained from `hash`; returns the last hash. */
  async function appendMany(store: SqliteStore, hash: string, from: number, counts: readonly number[]) {
    let seq = from;
    for (const count of counts) {
      const batch = Array.from({ length: count }, (): UnchainedRecord => {
        const record = { seq, timeMs: T0 + seq, meta: "{}", command: `{"n":${seq}}`, events: "[]" };
        seq++;
        return record;
      });
      hash = await store.appendChained(hash, batch);
    }
    return hash;
  }

  it("sends the appends together once `sending.records` wait, and what still waits when it closes", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-follow-together-")));
    const channel = new MessageChannel();
    const messages: AppendedRecords[] = [];
    channel.port2.on("message", (records: AppendedRecords) => messages.push(records));
    // A minute: no message is sent by time in this test.
    expect(store.follow(channel.port1, { records: 10, ms: 60_000 })).toBe(true);
    expect(await store.writerReady()).toBe(true);
    // 4 + 4 wait; the third append makes 13: all sent as one message, in order.
    const hash = await appendMany(store, "0".repeat(64), 1, [4, 4, 5]);
    await expect.poll(() => messages.length).toBe(1);
    const fed = new FedRecords(messages[0]!);
    expect([messages[0]!.count, fed.first, fed.last]).toEqual([13, 1, 13]);
    const stored = await store.read(1, 13);
    for (const record of stored) expect(asFed(fed, record.seq)).toEqual(record);
    // Two more wait, below the count, and are sent when the store closes.
    const last = await appendMany(store, hash, 14, [2]);
    await store.close();
    await expect.poll(() => messages.length).toBe(2);
    const rest = new FedRecords(messages[1]!);
    expect([rest.first, rest.last, rest.command(15), rest.hash(15)]).toEqual([14, 15, '{"n":15}', last]);
    channel.port2.close();
  });

  it("a follower asked for before the writer thread is ready is sent what is written meanwhile, then the thread's", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-follow-early-")));
    const channel = new MessageChannel();
    const messages: AppendedRecords[] = [];
    channel.port2.on("message", (records: AppendedRecords) => messages.push(records));
    expect(store.follow(channel.port1, { records: 1, ms: 0 })).toBe(true);
    // In the same turn as the store's start: its writer thread cannot be ready, so these are written here.
    const early = appendMany(store, "0".repeat(64), 1, [2, 3]);
    const hash = await early;
    expect(await store.writerReady()).toBe(true);
    await appendMany(store, hash, 6, [4]);
    await expect.poll(() => messages.reduce((sum, message) => sum + message.count, 0)).toBe(9);
    // Every append once, in order: two from here, one from the thread; each field as stored.
    expect(messages.map((message) => message.count)).toEqual([2, 3, 4]);
    const stored = await store.read(1, 9);
    for (const record of stored) {
      const message = messages.find((m) => new FedRecords(m).last >= record.seq)!;
      expect(asFed(new FedRecords(message), record.seq)).toEqual(record);
    }
    await store.close();
    channel.port2.close();
  });

  it("sends what waits `sending.ms` after the first of it committed, with no append after it", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-follow-timer-")));
    const channel = new MessageChannel();
    const messages: AppendedRecords[] = [];
    channel.port2.on("message", (records: AppendedRecords) => messages.push(records));
    expect(store.follow(channel.port1, { records: 1_000, ms: 20 })).toBe(true);
    expect(await store.writerReady()).toBe(true);
    await appendMany(store, "0".repeat(64), 1, [3]);
    // Far below the count, the store open: sent by the timer.
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]!.count).toBe(3);
    await store.close();
    channel.port2.close();
  });
});

describe("sequencer failure", () => {
  class FailingStore extends SqliteStore {
    failNext = false;
    override async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
      if (this.failNext) throw new Error("disk full");
      return super.appendChained(previousHash, records);
    }
    override async saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
      return super.saveSnapshot(snapshot);
    }
  }

  it("stops everything when the journal cannot be written, and acknowledges nothing it did not write", async () => {
    const store = new FailingStore(mkdtempSync(join(tmpdir(), "sauda-fail-")));
    const engine = new Engine();
    const fatal: unknown[] = [];
    const sequencer = new Sequencer(engine, store, null, { clock: fixedClock(), onFatal: (e) => fatal.push(e) });
    await sequencer.submit({ type: "time.tick" });
    store.failNext = true;
    const lost = sequencer.submit({ type: "time.tick" });
    await expect(lost).rejects.toThrow("disk full");
    expect(fatal).toHaveLength(1);
    await expect(sequencer.submit({ type: "time.tick" })).rejects.toThrow("disk full");
    expect(await store.maxSeq()).toBe(1);
    await store.close();
  });

  it("the queue holds QUEUE_COMMANDS_MAX commands; one more is refused at once and changes nothing", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    class GatedStore extends SqliteStore {
      override async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
        await gate;
        return super.appendChained(previousHash, records);
      }
    }
    const store = new GatedStore(mkdtempSync(join(tmpdir(), "sauda-queue-")));
    const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock(), batchCommandsMax: 10_000 });
    const first = sequencer.submit({ type: "time.tick" });
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is now being written
    const queued = Array.from({ length: QUEUE_COMMANDS_MAX }, () => sequencer.submit({ type: "time.tick" }));
    expect(sequencer.queued).toBe(QUEUE_COMMANDS_MAX);
    await expect(sequencer.submit({ type: "time.tick" })).rejects.toBeInstanceOf(QueueFullError);
    release();
    await first;
    await Promise.all(queued.slice(0, 3));
    await sequencer.stop();
    expect(await store.maxSeq()).toBe(QUEUE_COMMANDS_MAX + 1);
    await store.close();
  });

  it("takes batches off a long queue in submission order, each at most batchCommandsMax", async () => {
    const appended: number[][] = [];
    class RecordingStore extends SqliteStore {
      override async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
        appended.push(records.map((r) => r.seq));
        return super.appendChained(previousHash, records);
      }
    }
    const store = new RecordingStore(mkdtempSync(join(tmpdir(), "sauda-batches-")));
    const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock(), batchCommandsMax: 3 });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sequencer.submit({ type: "time.tick" }, { requestId: `r${i}` })),
    );
    expect(outcomes.map((o) => o.meta.requestId)).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`));
    expect(outcomes.map((o) => o.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(appended).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
      [10, 11, 12],
      [13, 14, 15],
      [16, 17, 18],
      [19, 20],
    ]);
    expect(sequencer.queued).toBe(0);
    await store.close();
  });

  it("refuses a command that cannot be stored as JSON, without giving it a seq or stopping", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-json-")));
    const engine = new Engine();
    const sequencer = new Sequencer(engine, store, null, { clock: fixedClock() });
    const unstorable = { type: "time.tick", note: 1n } as unknown as Command;
    const [first, refused, after] = await Promise.allSettled([
      sequencer.submit({ type: "time.tick" }),
      sequencer.submit(unstorable),
      sequencer.submit({ type: "time.tick" }),
    ]);
    expect(first.status === "fulfilled" && first.value.seq).toBe(1);
    expect(refused.status).toBe("rejected");
    expect(after.status === "fulfilled" && after.value.seq).toBe(2);
    expect(engine.lastSeq).toBe(2);
    expect((await verify(store)).records).toBe(2);
    await store.close();
  });

  it("gives the engine a plain copy of the command, equal to the parse of the stored text", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-copy-")));
    const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock() });
    const command = { type: "time.tick", skipped: undefined } as unknown as Command;
    const outcome = await sequencer.submit(command, { actor: "a" });
    expect(outcome.command).not.toBe(command);
    const [record] = await store.read(1, 1);
    expect(record!.command).toBe('{"type":"time.tick"}');
    expect(outcome.command).toStrictEqual(JSON.parse(record!.command));
    expect(outcome.meta).toStrictEqual({ actor: "a" });
    // A value JSON would change takes the round trip: the engine sees null, as replay will.
    const odd = await sequencer.submit({ type: "time.tick", note: Number.NaN } as unknown as Command);
    expect(odd.command).toStrictEqual({ type: "time.tick", note: null });
    await store.close();
  });

  it("stores a StoredMeta's text as it is and gives its value to the outcome, alone and for a group", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-stored-meta-")));
    const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock() });
    const value = { actor: "u-1 (key k-1)", role: "trader", source: "127.0.0.1", requestId: 'r-1/"7"' };
    const text = JSON.stringify(value);
    const one = await sequencer.submit({ type: "time.tick" }, new StoredMeta(value, text));
    expect(one.meta).toBe(value);
    const group = await sequencer.submitMany(
      [{ type: "time.tick" }, { type: "time.tick" }],
      new StoredMeta(value, text),
    );
    expect(group.map((o) => o.meta)).toEqual([value, value]);
    const records = await store.read(1, 3);
    expect(records.map((r) => r.meta)).toEqual([text, text, text]);
    expect((await verify(store)).records).toBe(3);
    await store.close();
  });

  it("applies the next batch while one is written, and releases each only once it is durable, in order", async () => {
    const gates: (() => void)[] = [];
    const appended: number[][] = [];
    class GatedStore extends SqliteStore {
      override async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
        await new Promise<void>((resolve) => gates.push(resolve));
        const lastHash = await super.appendChained(previousHash, records);
        appended.push(records.map((r) => r.seq));
        return lastHash;
      }
    }
    const store = new GatedStore(mkdtempSync(join(tmpdir(), "sauda-pipe-")));
    const engine = new Engine();
    const sequencer = new Sequencer(engine, store, null, { clock: fixedClock(), batchCommandsMax: 2 });
    const released: number[] = [];
    const all = Array.from({ length: 6 }, () =>
      sequencer.submit({ type: "time.tick" }).then((o) => {
        released.push(o.seq);
      }),
    );
    // Each step waits for the state it checks: the writer thread writes and syncs a released batch in its own time,
    // which a loaded machine can stretch past any fixed pause. Nothing waited for can change once reached, since the
    // next batch stays at its gate until the test opens it.
    const WAIT = { timeout: 10_000, interval: 5 };
    // Batch [1, 2] is being written; batch [3, 4] is already applied, waiting behind it; nothing is released.
    await vi.waitFor(() => {
      expect(gates).toHaveLength(1);
      expect(engine.lastSeq).toBe(4);
    }, WAIT);
    expect(released).toEqual([]);
    gates.shift()!();
    await vi.waitFor(() => {
      expect(released).toEqual([1, 2]);
      expect(gates).toHaveLength(1);
      expect(engine.lastSeq).toBe(6);
    }, WAIT);
    gates.shift()!();
    await vi.waitFor(() => expect(gates).toHaveLength(1), WAIT);
    gates.shift()!();
    await Promise.all(all);
    expect(released).toEqual([1, 2, 3, 4, 5, 6]);
    expect(appended).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    await store.close();
  });

  it("when a write fails, the batch prepared behind it is neither written nor released", async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    class FailingSecond extends SqliteStore {
      override async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
        calls++;
        if (calls === 2) {
          await gate;
          throw new Error("disk full");
        }
        return super.appendChained(previousHash, records);
      }
    }
    const store = new FailingSecond(mkdtempSync(join(tmpdir(), "sauda-pipe-fail-")));
    const fatal: unknown[] = [];
    const sequencer = new Sequencer(new Engine(), store, null, {
      clock: fixedClock(),
      batchCommandsMax: 2,
      onFatal: (e) => fatal.push(e),
    });
    const results = Array.from({ length: 6 }, () => sequencer.submit({ type: "time.tick" }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const settled = await Promise.allSettled(results);
    expect(settled.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "rejected",
      "rejected",
      "rejected",
    ]);
    expect(calls).toBe(2);
    expect(fatal).toHaveLength(1);
    expect(await store.maxSeq()).toBe(2);
    await store.close();
  });

  it("saves a snapshot only after the records it covers are durable", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    class GatedStore extends SqliteStore {
      override async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
        await gate;
        return super.appendChained(previousHash, records);
      }
    }
    const store = new GatedStore(mkdtempSync(join(tmpdir(), "sauda-snap-")));
    const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock(), snapshotEveryCommands: 3 });
    const results = Array.from({ length: 4 }, () => sequencer.submit({ type: "time.tick" }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.snapshots()).toEqual([]);
    release();
    await Promise.all(results);
    await sequencer.drain();
    const [snapshot] = await store.snapshots();
    expect(snapshot!.seq).toBe(4);
    expect((await verify(store)).snapshotsChecked).toBe(1);
    await store.close();
  });

  it("an outcome is not released before its batch is durable", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    class GatedStore extends SqliteStore {
      override async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
        await gate;
        return super.appendChained(previousHash, records);
      }
    }
    const store = new GatedStore(mkdtempSync(join(tmpdir(), "sauda-gate-")));
    const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock() });
    let acknowledged = false;
    const outcome = sequencer.submit({ type: "time.tick" }).then((o) => {
      acknowledged = true;
      return o;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(acknowledged).toBe(false);
    expect(await store.maxSeq()).toBe(0);
    release();
    expect((await outcome).seq).toBe(1);
    expect(await store.maxSeq()).toBe(1);
    await store.close();
  });
});

describe("sequencer receivers (submitTo)", () => {
  const tick: Command = { type: "time.tick" };

  /** A receiver that notes what it is told, and how many batches the listener had taken when it was told. */
  function receiver(name: string, told: string[], listened: () => number) {
    const outcomes: Outcome[] = [];
    return {
      outcomes,
      durable(outcome: Outcome) {
        outcomes.push(outcome);
        told.push(`${name}:${outcome.seq}@${listened()}`);
      },
      refused(error: unknown) {
        told.push(`${name}:refused ${(error as Error).message}`);
      },
    };
  }

  it("tells each receiver its outcome in seq order, after the listeners took the batch, beside promises", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-receivers-")));
    const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock() });
    let batches = 0;
    sequencer.onDurable(() => {
      batches++;
    });
    const told: string[] = [];
    const a = receiver("a", told, () => batches);
    const b = receiver("b", told, () => batches);
    expect(sequencer.submitTo(tick, { requestId: "a" }, a)).toBeNull();
    const promised = sequencer.submit(tick).then((outcome) => told.push(`p:${outcome.seq}@${batches}`));
    expect(sequencer.submitTo(tick, { requestId: "b" }, b)).toBeNull();
    expect(told).toEqual([]);
    await promised;
    await sequencer.drain();
    // One batch: the receivers are told after its listener ran, the promise's continuation after that turn.
    expect(told).toEqual(["a:1@1", "b:3@1", "p:2@1"]);
    const records = await store.read(1, 3);
    expect(records.map((r) => r.meta)).toEqual(['{"requestId":"a"}', "{}", '{"requestId":"b"}']);
    expect(a.outcomes[0]!.command).toStrictEqual(JSON.parse(records[0]!.command));
    expect(JSON.stringify(b.outcomes[0]!.events)).toBe(records[2]!.events);
    await store.close();
  });

  it("returns a refusal at once when stopped, and tells a queued receiver when its batch cannot be written", async () => {
    class FailingStore extends SqliteStore {
      failNext = false;
      override async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
        if (this.failNext) throw new Error("disk full");
        return super.appendChained(previousHash, records);
      }
    }
    const store = new FailingStore(mkdtempSync(join(tmpdir(), "sauda-receivers-fail-")));
    const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock(), onFatal: () => {} });
    const told: string[] = [];
    store.failNext = true;
    expect(
      sequencer.submitTo(
        tick,
        {},
        receiver("lost", told, () => 0),
      ),
    ).toBeNull();
    await sequencer.drain();
    await new Promise((resolve) => setImmediate(resolve));
    expect(told).toEqual(["lost:refused disk full"]);
    expect(
      (
        sequencer.submitTo(
          tick,
          {},
          receiver("late", told, () => 0),
        ) as Error
      ).message,
    ).toBe("disk full");
    expect(told).toHaveLength(1);
    await store.close();

    const stopping = new Sequencer(new Engine(), new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-rcv-"))), null, {
      clock: fixedClock(),
      snapshotEveryCommands: 0,
    });
    await stopping.stop();
    expect(
      stopping.submitTo(
        tick,
        {},
        receiver("x", told, () => 0),
      ),
    ).toBeInstanceOf(SequencerStoppedError);
  });
});

describe("sequencer groups (submitMany)", () => {
  const tick: Command = { type: "time.tick" };
  const ticks = (count: number): Command[] => Array.from({ length: count }, () => tick);

  /** A SQLite store that records the seqs of every append. */
  function recordingStore(prefix: string) {
    const appended: number[][] = [];
    class RecordingStore extends SqliteStore {
      override async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
        appended.push(records.map((r) => r.seq));
        return super.appendChained(previousHash, records);
      }
    }
    return { store: new RecordingStore(mkdtempSync(join(tmpdir(), prefix))), appended };
  }

  it("acknowledges single commands and groups in seq order, and never splits a group across batches", async () => {
    const { store, appended } = recordingStore("sauda-groups-");
    const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock(), batchCommandsMax: 3 });
    const acknowledged: string[] = [];
    const note = (name: string) => (result: { seq: number } | { seq: number }[]) => {
      acknowledged.push(`${name}:${(Array.isArray(result) ? result : [result]).map((o) => o.seq).join(",")}`);
    };
    const all = [
      sequencer.submit(tick, { requestId: "a" }).then(note("a")),
      sequencer.submitMany(ticks(3), { requestId: "g1" }).then(note("g1")),
      sequencer.submit(tick).then(note("b")),
      sequencer.submitMany(ticks(2), { actor: "u" }).then(note("g2")),
    ];
    expect(sequencer.queued).toBe(7);
    await Promise.all(all);
    expect(acknowledged).toEqual(["a:1", "g1:2,3,4", "b:5", "g2:6,7"]);
    // The group of 3 does not fit behind the single command in a batch of 3: it waits for the next batch, whole.
    expect(appended).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
    const records = await store.read(1, 10);
    expect(records.map((r) => r.meta)).toEqual([
      '{"requestId":"a"}',
      '{"requestId":"g1"}',
      '{"requestId":"g1"}',
      '{"requestId":"g1"}',
      "{}",
      '{"actor":"u"}',
      '{"actor":"u"}',
    ]);
    expect((await verify(store)).records).toBe(7);
    await store.close();
  });

  it("resolves a group with its outcomes in order, each the parse of its stored record", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-group-outcomes-")));
    const sequencer = new Sequencer(new Engine(), store, null, { clock: fixedClock() });
    const commands = sessionCommands(3);
    const outcomes = await sequencer.submitMany(commands, { actor: "ops" });
    expect(outcomes.map((o) => o.seq)).toEqual(commands.map((_, i) => i + 1));
    const records = await store.read(1, commands.length);
    for (let i = 0; i < commands.length; i++) {
      expect(outcomes[i]!.command).not.toBe(commands[i]);
      expect(outcomes[i]!.command).toStrictEqual(JSON.parse(records[i]!.command));
      expect(JSON.stringify(outcomes[i]!.events)).toBe(records[i]!.events);
      expect(outcomes[i]!.meta).toStrictEqual({ actor: "ops" });
    }
    await store.close();
  });

  it("takes a group of exactly batchCommandsMax in one append and refuses one more at once, taking nothing", async () => {
    const { store, appended } = recordingStore("sauda-group-limit-");
    const engine = new Engine();
    const sequencer = new Sequencer(engine, store, null, { clock: fixedClock(), batchCommandsMax: 5 });
    await expect(sequencer.submitMany(ticks(6))).rejects.toBeInstanceOf(GroupTooLargeError);
    await expect(sequencer.submitMany(ticks(6))).rejects.toThrow(
      "a group of 6 commands is more than one batch holds; send from 1 to 5 commands at once",
    );
    expect(sequencer.queued).toBe(0);
    expect(await sequencer.submitMany([])).toEqual([]);
    expect(engine.lastSeq).toBe(0);
    const outcomes = await sequencer.submitMany(ticks(5));
    expect(outcomes.map((o) => o.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(appended).toEqual([[1, 2, 3, 4, 5]]);
    await store.close();
  });

  it("bounds a group by APPEND_RECORDS_MAX when batchCommandsMax asks for more", async () => {
    const sequencer = new Sequencer(new Engine(), gatedStore().store, null, {
      clock: fixedClock(),
      batchCommandsMax: APPEND_RECORDS_MAX + 1,
    });
    await expect(sequencer.submitMany(ticks(APPEND_RECORDS_MAX + 1))).rejects.toThrow(
      `send from 1 to ${APPEND_RECORDS_MAX} commands at once`,
    );
    expect(sequencer.queued).toBe(0);
  });

  it("when its batch cannot be written, refuses the whole group and acknowledges none of it", async () => {
    class FailingStore extends SqliteStore {
      failNext = false;
      override async appendChained(previousHash: string, records: readonly UnchainedRecord[]): Promise<string> {
        if (this.failNext) throw new Error("disk full");
        return super.appendChained(previousHash, records);
      }
    }
    const store = new FailingStore(mkdtempSync(join(tmpdir(), "sauda-group-fail-")));
    const fatal: unknown[] = [];
    const sequencer = new Sequencer(new Engine(), store, null, {
      clock: fixedClock(),
      onFatal: (e) => fatal.push(e),
    });
    await sequencer.submitMany(ticks(2));
    store.failNext = true;
    let acknowledged = 0;
    const lost = sequencer.submitMany(ticks(3)).then((outcomes) => {
      acknowledged += outcomes.length;
    });
    const alone = sequencer.submit(tick).then(() => {
      acknowledged++;
    });
    await expect(lost).rejects.toThrow("disk full");
    await expect(alone).rejects.toThrow("disk full");
    expect(acknowledged).toBe(0);
    expect(fatal).toHaveLength(1);
    expect(await store.maxSeq()).toBe(2);
    expect(await store.head()).toMatchObject({ seq: 2 });
    await expect(sequencer.submitMany(ticks(1))).rejects.toThrow("disk full");
    await store.close();
  });

  it("refuses a group with a command that cannot be stored as JSON whole, before any of it gets a seq", async () => {
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), "sauda-group-json-")));
    const engine = new Engine();
    const sequencer = new Sequencer(engine, store, null, { clock: fixedClock() });
    const unstorable = { type: "time.tick", note: 1n } as unknown as Command;
    const [before, refused, after] = await Promise.allSettled([
      sequencer.submit(tick),
      sequencer.submitMany([tick, unstorable, tick]),
      sequencer.submitMany([tick, tick]),
    ]);
    expect(before.status === "fulfilled" && before.value.seq).toBe(1);
    expect(refused.status).toBe("rejected");
    expect(after.status === "fulfilled" && after.value.map((o) => o.seq)).toEqual([2, 3]);
    expect(engine.lastSeq).toBe(3);
    expect((await verify(store)).records).toBe(3);
    await store.close();
  });

  it("counts a group's commands against QUEUE_COMMANDS_MAX: a group that would pass it is refused whole", async () => {
    const { store, release } = gatedStore();
    const sequencer = new Sequencer(new Engine(), store, null, {
      clock: fixedClock(),
      batchCommandsMax: APPEND_RECORDS_MAX,
    });
    const first = sequencer.submit(tick);
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is now being written
    const groups: Promise<unknown>[] = [];
    for (let left = QUEUE_COMMANDS_MAX - 2; left > 0; left -= APPEND_RECORDS_MAX) {
      groups.push(sequencer.submitMany(ticks(Math.min(left, APPEND_RECORDS_MAX))));
    }
    expect(sequencer.queued).toBe(QUEUE_COMMANDS_MAX - 2);
    await expect(sequencer.submitMany(ticks(3))).rejects.toBeInstanceOf(QueueFullError);
    expect(sequencer.queued).toBe(QUEUE_COMMANDS_MAX - 2);
    groups.push(sequencer.submitMany(ticks(2)));
    expect(sequencer.queued).toBe(QUEUE_COMMANDS_MAX);
    await expect(sequencer.submit(tick)).rejects.toBeInstanceOf(QueueFullError);
    release();
    expect((await first).seq).toBe(1);
    await Promise.all(groups);
    expect(sequencer.durableHead.seq).toBe(QUEUE_COMMANDS_MAX + 1);
  });

  /** A store that writes nothing and holds every append until `release` is called. */
  function gatedStore() {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const store: Partial<JournalStore> = {
      kind: "gated",
      location: "nowhere",
      appendChained: async (previousHash: string) => {
        await gate;
        return previousHash;
      },
    };
    return { store: store as JournalStore, release };
  }
});
