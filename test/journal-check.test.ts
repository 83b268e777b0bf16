/**
 * The check of the journal's older records beside serving (issue 16): the engine's state comes from its snapshot
 * (authentic by its MAC) and the records after it (chain checked before serving), so a start serves before it has
 * checked the records the snapshot covers, and checks them while serving. A record among them changed in the database
 * raises the alarm once the check reaches it (the record named in the log, writes refused with 503 UNAVAILABLE, reads
 * go on, GET /api/health says "failed"), and `sauda verify` names it. A record changed after the snapshot, or one the
 * read models replay (their snapshot being older), still refuses the start; a sound journal raises nothing;
 * `checkJournalBeforeServing` refuses the start on the older record too. A published checkpoint among the older records
 * is checked when their check ends.
 *
 * No sleep decides an outcome: reads of record 1 (where the check starts) wait on a gate the test opens.
 */

import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Exchange, WritesStoppedError } from "../src/gateway/exchange.ts";
import type { Checkpoint } from "../src/journal/checkpoints.ts";
import { defaultKeysDir, loadKeys } from "../src/journal/keys.ts";
import { JournalCorruptError, recover } from "../src/journal/recovery.ts";
import { openJournalDatabase, SqliteStore } from "../src/journal/sqlite-store.ts";
import { INSTRUMENT, TestServer } from "./support/server.ts";

const BIN = resolve(import.meta.dirname, "../bin/sauda.js");
/** The record changed in these tests: one of the set-up's, well before the snapshot a clean stop writes at the head. */
const CHANGED_SEQ = 5;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A test server's journal after a clean stop (snapshots of the engine and the read models at the head). */
async function stoppedServer(): Promise<{ dir: string; head: number }> {
  const server = await TestServer.start();
  const head = server.exchange.health().seq;
  await server.close();
  return { dir: server.dir, head };
}

function changeRecord(dir: string, seq: number): void {
  const db = new Database(join(dir, "sauda.sqlite"));
  try {
    db.prepare("UPDATE journal SET time_ms = time_ms + 1 WHERE seq = ?").run(seq);
  } finally {
    db.close();
  }
}

/** Holds every read that starts at record 1 (the check's first) until `open` is called. */
function gateReadsOfRecordOne(): { open: () => void; held: () => number } {
  let open!: () => void;
  const gate = new Promise<void>((resolveGate) => {
    open = resolveGate;
  });
  let held = 0;
  const read = SqliteStore.prototype.read;
  vi.spyOn(SqliteStore.prototype, "read").mockImplementation(async function (
    this: SqliteStore,
    fromSeq: number,
    count: number,
  ) {
    if (fromSeq === 1) {
      held++;
      await gate;
    }
    return read.call(this, fromSeq, count);
  });
  return { open, held: () => held };
}

/** What opening an exchange with `options` throws, or null when it opens (it is then closed). */
function openingError(options: Parameters<typeof Exchange.open>[0]): Promise<unknown> {
  return Exchange.open(options).then(
    async (opened) => {
      await opened.close();
      return null;
    },
    (e: unknown) => e,
  );
}

function verifyCli(dir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [BIN, "verify", "--data", dir], { encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe("the journal's older records, checked while serving", () => {
  it("a changed record before the snapshot: the exchange serves, then the alarm names it; writes refused, reads go on; verify names it", async () => {
    const { dir, head } = await stoppedServer();
    changeRecord(dir, CHANGED_SEQ);
    const gate = gateReadsOfRecordOne();
    const logLines: string[] = [];
    const server = new TestServer(dir);
    server.logStream = new PassThrough().on("data", (chunk: Buffer) =>
      logLines.push(...chunk.toString("utf8").split("\n").filter(Boolean)),
    );
    await server.open();
    try {
      // Serving, with the check held at record 1: the state is the snapshot's, and changes are taken.
      expect(gate.held()).toBe(1);
      expect(server.exchange.start).toMatchObject({ snapshotSeq: head, replayed: 0 });
      const health = await server.call(null, "GET", "/api/health");
      expect(health.body).toEqual({
        role: "leader",
        seq: head,
        lagMs: 0,
        journalCheck: "running",
        views: "ready",
        viewsSeq: head,
      });
      const buyer = await server.login("aktau-trader");
      const bid = { instrument: INSTRUMENT, account: "AKTAU-1", side: "buy", price: 13_000_000, quantity: 1000 };
      expect((await server.call(buyer, "POST", "/api/orders", { ...bid, clientOrderId: "b1" })).status).toBe(201);
      expect(server.exchange.invariantAlarm).toBeNull();

      gate.open();
      expect(await server.exchange.journalChecked()).toBe("failed");
      expect(server.exchange.invariantAlarm).toMatchObject({
        where: "journal",
        seq: CHANGED_SEQ,
        message: `record ${CHANGED_SEQ}: damaged: its hash does not continue the journal's hash chain`,
      });
      const errors = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 50);
      expect(errors).toMatchObject([{ alarm: "journal", seq: CHANGED_SEQ }]);
      expect(errors[0].msg).toContain(`journal record ${CHANGED_SEQ} was changed after it was written`);

      const refused = await server.call(buyer, "POST", "/api/orders", { ...bid, clientOrderId: "b2" });
      expect([refused.status, refused.body.error.code]).toEqual([503, "UNAVAILABLE"]);
      await expect(server.exchange.submit({ type: "time.tick" })).rejects.toThrow(WritesStoppedError);
      await expect(server.exchange.submit({ type: "time.tick" })).rejects.toThrow(
        "the check of the journal found a changed record",
      );
      const read = await server.call(buyer, "GET", "/api/accounts/AKTAU-1/orders/b1");
      expect([read.status, read.body.order.status]).toEqual([200, "resting"]);
      expect((await server.call(null, "GET", "/api/health")).body.journalCheck).toBe("failed");
      const operator = await server.login("operator");
      const metrics = String((await server.call(operator, "GET", "/metrics")).body);
      expect(metrics).toContain("\nsauda_writes_stopped 1\n");
      expect(metrics).not.toContain('sauda_invariant_checks_total{result="failed"}');
    } finally {
      gate.open();
      await server.close();
    }
    const verified = verifyCli(dir);
    expect(verified.status).toBe(1);
    expect(verified.output).toContain(`BAD — record ${CHANGED_SEQ}: damaged`);
  });

  it("a sound journal: the check passes, no alarm, changes go on", async () => {
    const { dir, head } = await stoppedServer();
    const exchange = await Exchange.open({ data: dir });
    try {
      expect(exchange.start.snapshotSeq).toBe(head);
      expect(await exchange.journalChecked()).toBe("passed");
      expect(exchange.health().journalCheck).toBe("passed");
      expect(exchange.invariantAlarm).toBeNull();
      expect((await exchange.submit({ type: "time.tick" })).seq).toBe(head + 1);
    } finally {
      await exchange.close();
    }
  });

  for (const { title, removedSnapshots } of [
    {
      title: "a changed record after the snapshot: the start is refused, the record named",
      // Both snapshots at the head removed, as after a kill: records head + 1 to head + 4 are replayed by both.
      removedSnapshots: ["snapshots", "view_snapshots"],
    },
    {
      title: "a changed record the read models replay (their snapshot older than the engine's): the start is refused",
      // The engine starts from its snapshot at head + 4, the read models from theirs at head: records head + 1 to
      // head + 4 are the engine's past but the read models' tail.
      removedSnapshots: ["view_snapshots"],
    },
  ]) {
    it(title, async () => {
      const { dir, head } = await stoppedServer();
      // Records after the snapshot: a start, a few changes, and a clean stop, whose snapshots the case then removes.
      const exchange = await Exchange.open({ data: dir });
      for (let i = 0; i < 4; i++) await exchange.submit({ type: "time.tick" });
      await exchange.close();
      const db = openJournalDatabase(join(dir, "sauda.sqlite"));
      try {
        for (const table of removedSnapshots) db.prepare(`DELETE FROM ${table} WHERE seq > ?`).run(head);
        db.prepare("UPDATE journal SET time_ms = time_ms + 1 WHERE seq = ?").run(head + 2);
      } finally {
        db.close();
      }
      const error = await openingError({ data: dir });
      expect(error).toBeInstanceOf(JournalCorruptError);
      expect((error as JournalCorruptError).message).toBe(
        `record ${head + 2}: damaged: its hash does not continue the journal's hash chain`,
      );
    });
  }

  it("recover: a published checkpoint among the records the snapshot covers is checked when the check handed back ends", async () => {
    const { dir, head } = await stoppedServer();
    const macKeys = loadKeys(defaultKeysDir(dir)).macKeys;
    // Recovery takes checkpoints whose signatures were checked by its caller: one naming another hash for record 3.
    const checkpoint: Checkpoint = {
      seq: 3,
      hash: "a".repeat(64),
      signedAtMs: 0,
      keyId: "0".repeat(16),
      signature: "",
    };
    const rewritten = `record 3: rewritten: the checkpoint signed at 1970-01-01T00:00:00.000Z (seq 3, hash ${"a".repeat(16)}…) was published, but the journal's record 3 has another hash`;
    const store = new SqliteStore(dir);
    try {
      const recovered = await recover(store, { macKeys, checkpoints: [checkpoint], checkCoveredAfter: true });
      expect(recovered.snapshotSeq).toBe(head);
      expect(recovered.pendingCheck?.toSeq).toBe(head);
      await expect(recovered.pendingCheck!.run()).rejects.toThrow(rewritten);
      await expect(recover(store, { macKeys, checkpoints: [checkpoint] })).rejects.toThrow(rewritten);
    } finally {
      await store.close();
    }
  });

  it("checkJournalBeforeServing: a changed record before the snapshot refuses the start, as every start did before", async () => {
    const { dir } = await stoppedServer();
    changeRecord(dir, CHANGED_SEQ);
    const error = await openingError({ data: dir, checkJournalBeforeServing: true });
    expect(error).toBeInstanceOf(JournalCorruptError);
    expect((error as JournalCorruptError).seq).toBe(CHANGED_SEQ);
    expect((error as Error).message).toBe(
      `record ${CHANGED_SEQ}: damaged: its hash does not continue the journal's hash chain`,
    );
  });
});
