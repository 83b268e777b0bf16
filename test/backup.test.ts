/**
 * `sauda backup` (SQLite, online) and `sauda restore-point` (PostgreSQL), docs/operations.md "Backups and
 * point-in-time recovery". The backup runs as its own process while this one keeps writing to the journal through an
 * Exchange (the server's core: sequencer on the writer thread, snapshots, checkpoints); the copy must be a whole
 * prefix of the journal (every record up to its head, byte for byte, nothing after it), verify with the MACs and
 * the checkpoints published before it began, and have been made while acknowledgements kept coming.
 * The point-in-time recovery itself is test/pitr.test.ts.
 */

import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Exchange } from "../src/gateway/exchange.ts";
import { BackupError, restorePoint } from "../src/journal/backup.ts";
import { PostgresStore } from "../src/journal/postgres-store.ts";
import { SqliteStore } from "../src/journal/sqlite-store.ts";
import type { JournalStore } from "../src/journal/store.ts";
import { dropSchema, postgresForSuite, TEST_DATABASE_URL, testSchema } from "./support/postgres.ts";
import { twoPartyMarket } from "./support/two-party-market.ts";

const BIN = resolve(import.meta.dirname, "../bin/sauda.js");
const INSTRUMENT = "PB-KAZGPZ-BACKUP";

/** sha256 over records [1, upTo] as stored, and how many there were. */
async function digest(store: JournalStore, upTo: number): Promise<{ count: number; sha: string }> {
  const sha = createHash("sha256");
  let count = 0;
  for (let from = 1; from <= upTo; ) {
    const page = await store.read(from, Math.min(5000, upTo - from + 1));
    if (page.length === 0) break;
    for (const r of page) sha.update(`${r.seq}\n${r.timeMs}\n${r.meta}\n${r.command}\n${r.events}\n${r.hash}\n`);
    count += page.length;
    from = page[page.length - 1]!.seq + 1;
  }
  return { count, sha: sha.digest("hex") };
}

function order(i: number) {
  const buy = i % 2 === 1;
  return {
    type: "order.new" as const,
    instrument: INSTRUMENT,
    orderId: `o${i}`,
    account: buy ? "B1" : "P1",
    side: buy ? ("buy" as const) : ("sell" as const),
    orderType: "limit" as const,
    price: 13_300_000 + (i % 7) * 100,
    quantity: 1000,
  };
}

describe("sauda backup (SQLite, while the server writes)", () => {
  it("copies a consistent prefix of the live journal that verifies, while acknowledgements go on", async () => {
    const root = mkdtempSync(join(tmpdir(), "sauda-backup-"));
    const data = join(root, "data");
    const keysDir = join(root, "data-keys");
    // Snapshots every 300 commands, so the copy also catches snapshots written while it runs.
    const exchange = await Exchange.open({ data, keysDir, snapshotEveryCommands: 300 });
    for (const command of twoPartyMarket(INSTRUMENT)) await exchange.submit(command);
    let acked = 0;
    let next = 0;
    const submitBatch = async () => {
      const outcomes = await Promise.all(Array.from({ length: 50 }, () => exchange.submit(order(next++))));
      for (const outcome of outcomes) acked = Math.max(acked, outcome.seq);
    };
    for (let i = 0; i < 40; i++) await submitBatch(); // about 2,000 records before the copy
    const ackedBeforeStart = acked;

    const to = join(root, "copy.sqlite");
    const child = spawn(process.execPath, [BIN, "backup", "--data", data, "--to", to], { stdio: "pipe" });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    let exited = false;
    const exit = new Promise<number | null>((resolveExit) =>
      child.on("exit", (code) => {
        exited = true;
        resolveExit(code);
      }),
    );
    let batchesDuring = 0;
    while (!exited) {
      await submitBatch();
      batchesDuring++;
    }
    const code = await exit;
    const ackedAfterExit = acked;
    await exchange.close();

    expect(stdout).toMatch(/backup .*copy\.sqlite: journal head \d+, \d+ pages, copied in/);
    expect(code, stdout).toBe(0);
    const head = Number(/journal head (\d+)/.exec(stdout)![1]);
    // The copy holds everything acknowledged before it began, and nothing that was not yet written when it ended.
    expect(head).toBeGreaterThanOrEqual(ackedBeforeStart);
    expect(head).toBeLessThanOrEqual(ackedAfterExit);
    expect(batchesDuring).toBeGreaterThan(0);
    // verify over the copy: with the MACs, and the checkpoints published before the copy.
    expect(stdout).toMatch(
      new RegExp(
        `: OK — ${head} records, \\d+ snapshots checked, head ${head} \\(MAC checked\\), [1-9]\\d* checkpoints checked`,
      ),
    );

    // One self-contained file: nothing left in a -wal beside it that copying the file alone would lose.
    expect(existsSync(`${to}-wal`)).toBe(false);
    expect(existsSync(`${to}-shm`)).toBe(false);
    expect(existsSync(`${to}.partial`)).toBe(false);

    // Byte for byte the journal's first `head` records, and nothing after them.
    const source = new SqliteStore(data);
    const copy = new SqliteStore(to);
    try {
      expect(await copy.maxSeq()).toBe(head);
      expect((await copy.head())?.seq).toBe(head);
      expect(await digest(copy, head)).toEqual(await digest(source, head));
      expect((await copy.snapshots()).length).toBeGreaterThan(0);
    } finally {
      await copy.close();
      await source.close();
    }
  }, 120_000);

  it("refuses to overwrite a file (exit 2, the file unchanged) and sends PostgreSQL to its own tools", async () => {
    const root = mkdtempSync(join(tmpdir(), "sauda-backup-"));
    const target = join(root, "old.sqlite");
    writeFileSync(target, "an older backup");
    const refused = spawnSync(process.execPath, [BIN, "backup", "--data", join(root, "data"), "--to", target], {
      encoding: "utf8",
    });
    // No journal there: refused before anything is written.
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("there is no journal at");
    const store = new SqliteStore(join(root, "data"));
    await store.close();
    const again = spawnSync(process.execPath, [BIN, "backup", "--data", join(root, "data"), "--to", target], {
      encoding: "utf8",
    });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("exists already; a backup never overwrites a file");
    expect(readFileSync(target, "utf8")).toBe("an older backup");
    expect(existsSync(`${target}.partial`)).toBe(false);
    // A file in a directory that is not there: said in a sentence (exit 2), not a stack trace.
    const nowhere = join(root, "nope", "x.sqlite");
    const lost = spawnSync(process.execPath, [BIN, "backup", "--data", join(root, "data"), "--to", nowhere], {
      encoding: "utf8",
    });
    expect([lost.status, lost.stderr]).toEqual([
      2,
      `sauda: the directory ${join(root, "nope")} does not exist: make it first, or give --to a directory\n`,
    ]);

    const pg = spawnSync(process.execPath, [BIN, "backup", "--database", "postgres://x@127.0.0.1/x", "--to", target], {
      encoding: "utf8",
    });
    expect(pg.status).toBe(2);
    expect(pg.stderr).toContain("pg_basebackup and archived WAL");
  }, 60_000);

  it("leaves a backup's bytes as they were when it is verified and restored from (nothing written beside it)", async () => {
    const root = mkdtempSync(join(tmpdir(), "sauda-backup-"));
    const data = join(root, "data");
    const exchange = await Exchange.open({ data, keysDir: join(root, "data-keys") });
    for (const command of twoPartyMarket(INSTRUMENT)) await exchange.submit(command);
    await exchange.close();
    const copy = join(root, "copy.sqlite");
    const made = spawnSync(process.execPath, [BIN, "backup", "--data", data, "--to", copy], { encoding: "utf8" });
    expect(made.status, made.stdout + made.stderr).toBe(0);
    const files = [copy, join(root, "copy-snapshots.sqlite")];
    const sha = () => files.map((file) => createHash("sha256").update(readFileSync(file)).digest("hex"));
    const before = sha();
    const beside = () => readdirSync(root).sort();
    const namesBefore = beside();
    const keys = join(root, "data-keys");
    const verified = spawnSync(process.execPath, [BIN, "verify", "--data", copy, "--keys", keys], { encoding: "utf8" });
    expect(verified.stdout).toContain(": OK — 8 records");
    expect(verified.status).toBe(0);
    const restored = spawnSync(
      process.execPath,
      [BIN, "backup", "--data", copy, "--to", join(root, "restored"), "--keys", keys],
      { encoding: "utf8" },
    );
    expect(restored.status, restored.stdout + restored.stderr).toBe(0);
    expect(sha()).toEqual(before);
    expect(beside()).toEqual([...namesBefore, "restored"].sort());
  }, 60_000);

  it("backs up into a directory that then serves as a data directory", async () => {
    const root = mkdtempSync(join(tmpdir(), "sauda-backup-"));
    const data = join(root, "data");
    const exchange = await Exchange.open({ data, keysDir: join(root, "data-keys") });
    for (const command of twoPartyMarket(INSTRUMENT)) await exchange.submit(command);
    await exchange.close();
    const result = spawnSync(
      process.execPath,
      [BIN, "backup", "--data", data, "--to", join(root, "restored"), "--no-verify"],
      { encoding: "utf8" },
    );
    expect(result.stdout).toMatch(/backup .*restored\/sauda\.sqlite: journal head 8, \d+ pages/);
    expect(result.status).toBe(0);
    // The restored directory opens as the server would, with the same keys.
    const reopened = await Exchange.open({ data: join(root, "restored"), keysDir: join(root, "data-keys") });
    expect(reopened.store.kind).toBe("sqlite");
    expect((await reopened.store.head())?.seq).toBe(8);
    await reopened.close();
  }, 60_000);
});

const runPostgres = await postgresForSuite("sauda restore-point");

describe.runIf(runPostgres)("sauda restore-point (PostgreSQL)", () => {
  const schema = testSchema("restore_point");
  afterAll(() => dropSchema(schema));

  it("names the journal head the restore point falls at", async () => {
    const store = await PostgresStore.open(TEST_DATABASE_URL, schema);
    await store.close();
    const empty = await restorePoint(TEST_DATABASE_URL, schema, "sauda-test-empty");
    expect(empty.seq).toBe(0);
    expect(empty.hash).toBeNull();
    expect(empty.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

    const exchange = await Exchange.open({
      database: TEST_DATABASE_URL,
      schema,
      keysDir: mkdtempSync(join(tmpdir(), "sauda-rp-keys-")),
    });
    for (const command of twoPartyMarket(INSTRUMENT)) await exchange.submit(command);
    const head = await exchange.store.head();
    const point = await restorePoint(TEST_DATABASE_URL, schema, "sauda-test-8");
    await exchange.close();
    expect(point.seq).toBe(8);
    expect(point.hash).toBe(head?.hash);
    expect(point.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it("prints the restore point from the command line, and asks for --database", () => {
    const made = spawnSync(
      process.execPath,
      [BIN, "restore-point", "--database", TEST_DATABASE_URL, "--schema", schema, "--name", "sauda-test-cli"],
      { encoding: "utf8" },
    );
    expect(made.stderr).toBe("");
    expect(made.stdout).toMatch(
      /^restore point sauda-test-cli at LSN [0-9A-F]+\/[0-9A-F]+, \d{4}-\d\d-\d\dT[\d:.]+Z: journal head 8 \(hash [0-9a-f]{64}\)\n$/,
    );
    expect(made.status).toBe(0);
    const missing = spawnSync(process.execPath, [BIN, "restore-point", "--name", "x"], { encoding: "utf8" });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("restore points are PostgreSQL's (--database URL)");
  }, 60_000);

  it("refuses a bad name or a schema without a journal, before touching the database", async () => {
    await expect(restorePoint(TEST_DATABASE_URL, schema, "bad name")).rejects.toThrow(BackupError);
    await expect(restorePoint(TEST_DATABASE_URL, schema, "x".repeat(64))).rejects.toThrow("1 to 63");
    await expect(restorePoint(TEST_DATABASE_URL, schema, "x".repeat(63))).resolves.toMatchObject({ seq: 8 });
    await expect(restorePoint(TEST_DATABASE_URL, "no_such_schema_here", "n")).rejects.toThrow(
      "there is no sauda journal in schema no_such_schema_here",
    );
  });
});
