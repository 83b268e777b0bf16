/**
 * The journal as evidence, tried as someone who can write to the database (but not read the keys beside it) would:
 * each tampering is refused at start with the bad record, snapshot or checkpoint named, and named by `sauda verify`
 * too. A sound journal starts and verifies (the control). A record before the engine's snapshot is checked while the
 * exchange serves (test/journal-check.test.ts); here the start checks it first (`checkJournalBeforeServing`).
 */

import { spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { Exchange } from "../src/gateway/exchange.ts";
import { chainHash } from "../src/journal/chain.js";
import { dataHash } from "../src/journal/records.ts";
import { JournalCorruptError } from "../src/journal/recovery.ts";
import { openJournalDatabase, snapshotsFile } from "../src/journal/sqlite-store.ts";
import { SETUP, T0 } from "./support/server.ts";

const BIN = resolve(import.meta.dirname, "../bin/sauda.js");

interface Row {
  seq: number;
  time_ms: number;
  meta: string;
  command: string;
  events: string;
  hash: string;
}

/** A journal of the test exchange's set-up plus `extra` deposits, closed cleanly (so it ends in a snapshot). */
async function journal(extra = 20): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), "sauda-tamper-"));
  let now = T0;
  const exchange = await Exchange.open({ data: join(dir, "data"), clock: () => now++ });
  for (const command of SETUP) await exchange.submit(command, { actor: "operator", role: "operator" });
  for (let i = 0; i < extra; i++) {
    await exchange.submit(
      { type: "money.deposit", account: "AKTAU-1", amount: 1000 + i, reference: `T-${i}` },
      { actor: "operator", role: "operator", source: "127.0.0.1" },
    );
  }
  await exchange.close();
  return { dir, file: join(dir, "data", "sauda.sqlite") };
}

function sql(file: string, run: (db: Database.Database) => void): void {
  const db = openJournalDatabase(file);
  try {
    run(db);
  } finally {
    db.close();
  }
}

/**
 * A forgery by someone without the keys: record 3's actor changed and the whole chain after it recomputed, the head
 * given the new last hash (its MAC cannot be). Returns that hash.
 */
function rewriteActorOfRecord3(db: Database.Database): string {
  const rows = db.prepare("SELECT * FROM journal ORDER BY seq").all() as Row[];
  let previous = "0".repeat(64);
  for (const row of rows) {
    const meta = row.seq === 3 ? row.meta.replace('"actor":"operator"', '"actor":"regulator"') : row.meta;
    const hash = chainHash(previous, row.seq, row.time_ms, meta, row.command, row.events);
    db.prepare("UPDATE journal SET meta = ?, hash = ? WHERE seq = ?").run(meta, hash, row.seq);
    previous = hash;
  }
  db.prepare("UPDATE journal_head SET hash = ?").run(previous);
  return previous;
}

async function startError(dir: string, checkJournalBeforeServing = false): Promise<JournalCorruptError> {
  const error = await Exchange.open({ data: join(dir, "data"), checkJournalBeforeServing }).then(
    async (exchange) => {
      await exchange.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JournalCorruptError);
  return error as JournalCorruptError;
}

function verifyCli(dir: string, ...args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [BIN, "verify", "--data", join(dir, "data"), ...args], {
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout + result.stderr };
}

describe("a tampered journal is refused at start and named by verify", () => {
  it("a sound journal starts and verifies with its MAC and checkpoints (the control)", async () => {
    const { dir } = await journal();
    const exchange = await Exchange.open({ data: join(dir, "data") });
    expect(exchange.projections.lastSeq).toBe(SETUP.length + 20);
    await exchange.close();
    const result = verifyCli(dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /OK — 34 records, 1 snapshots checked, head 34 \(MAC checked\), [1-9]\d* checkpoints/,
    );
    expect(result.stdout).toContain("; snapshots derived from it checked: 1 of the read models, 1 of identity");
  });

  // One byte of each field of a record before the snapshot: a start that checks the whole chain first refuses it.
  for (const [field, change] of [
    ["meta", `replace(meta, '"actor":"operator"', '"actor":"operatoR"')`],
    ["events", `replace(events, '"amount":1003', '"amount":9003')`],
    ["time_ms", "time_ms + 1"],
    ["hash", `'0' || substr(hash, 2)`],
  ] as const) {
    it(`one changed byte of a record's ${field} before the snapshot: start refused, record named`, async () => {
      const { dir, file } = await journal();
      const seq = SETUP.length + 4;
      sql(file, (db) => db.exec(`UPDATE journal SET ${field} = ${change} WHERE seq = ${seq}`));
      const error = await startError(dir, true);
      expect(error.seq).toBe(seq);
      expect(error.message).toContain(`record ${seq}: damaged`);
      const result = verifyCli(dir);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(`BAD — record ${seq}: damaged`);
    });
  }

  it("a record rewritten with its whole chain recomputed: the head MAC names the forgery", async () => {
    const { dir, file } = await journal();
    sql(file, (db) => {
      const head = rewriteActorOfRecord3(db);
      db.prepare("UPDATE snapshots SET record_hash = ?").run(head);
    });
    const error = await startError(dir);
    expect(error.message).toContain("the journal head's MAC does not match");
    const result = verifyCli(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("BAD — record 34: the journal head's MAC does not match");
  });

  it("the last records deleted and the head rewritten to match: refused by the head MAC", async () => {
    const { dir, file } = await journal();
    sql(file, (db) => {
      db.exec("DELETE FROM journal WHERE seq > 25; DELETE FROM snapshots");
      const last = db.prepare("SELECT seq, hash FROM journal WHERE seq = 25").get() as { seq: number; hash: string };
      db.prepare("UPDATE journal_head SET seq = ?, hash = ?").run(last.seq, last.hash);
    });
    const error = await startError(dir);
    // The message says where the keys came from: the default directory beside the data directory, here.
    expect(error.message).toBe(
      `record 25: the journal head's MAC does not match the journal MAC key: the journal was rewritten or cut short by someone without the key (or the key is not this journal's); the MAC keys were read from ${join(dir, "data-keys")}, the default keys directory: if this journal's keys are elsewhere, give --keys`,
    );
    const verified = verifyCli(dir).stdout;
    expect(verified).toContain("BAD — record 25: the journal head's MAC does not match");
    expect(verified.trimEnd()).toMatch(new RegExp(`; the MAC keys were read from ${join(dir, "data-keys")}$`));
  });

  it("another exchange's keys: the refusal names the keys directory they were read from", async () => {
    const { dir } = await journal(0);
    const other = await journal(0);
    const error = await Exchange.open({ data: join(dir, "data"), keysDir: join(other.dir, "data-keys") }).then(
      async (exchange) => {
        await exchange.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JournalCorruptError);
    expect((error as Error).message).toMatch(
      new RegExp(`MAC does not match .*; the MAC keys were read from ${join(other.dir, "data-keys")}$`),
    );
  });

  it("the head's MAC removed: refused (removing it does not switch the check off)", async () => {
    const { dir, file } = await journal();
    sql(file, (db) => db.exec("UPDATE journal_head SET mac = NULL"));
    expect((await startError(dir)).message).toContain("the journal head has no MAC");
  });

  it("the whole database rolled back to an older copy (MACs and all): the published checkpoint names it", async () => {
    const { dir, file } = await journal();
    copyFileSync(file, join(dir, "old.sqlite"));
    rmSync(`${file}-wal`, { force: true });
    let now = T0 + 86_400_000;
    const exchange = await Exchange.open({ data: join(dir, "data"), clock: () => now++ });
    for (let i = 0; i < 5; i++) {
      await exchange.submit({ type: "money.deposit", account: "AKTAU-1", amount: 1, reference: `LATER-${i}` });
    }
    await exchange.close(); // signs a checkpoint of record 39
    copyFileSync(join(dir, "old.sqlite"), file);
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    const error = await startError(dir);
    expect(error.seq).toBe(39);
    expect(error.message).toMatch(
      /^record 39: rolled back: the checkpoint signed at .* \(seq 39, hash [0-9a-f]{16}…\) was published, but the journal ends at record 34$/,
    );
    const result = verifyCli(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("rolled back: the checkpoint signed at");
  });

  it("a snapshot edited with its data, state and data hashes recomputed: refused by its MAC", async () => {
    const { dir, file } = await journal();
    sql(file, (db) => {
      const row = db.prepare("SELECT seq, data FROM snapshots").get() as { seq: number; data: string };
      // Trailing white space: the same state to JSON, other bytes (a real forgery would change a balance).
      const data = `${row.data} `;
      const hash = dataHash(data);
      db.prepare("UPDATE snapshots SET data = ?, data_hash = ?, state_hash = ? WHERE seq = ?").run(
        data,
        hash,
        hash,
        row.seq,
      );
    });
    const error = await startError(dir);
    expect(error.message).toBe("record 34: snapshot 34 was changed: its MAC does not match the journal MAC key");
    expect(verifyCli(dir).stdout).toContain("BAD — record 34: snapshot 34 was changed");
  });

  // The snapshots derived from the journal: a start passes a bad one over and rebuilds from the journal (nothing is
  // lost), but a changed data directory is evidence, so verify names it as it names a changed engine snapshot.
  it("a read models' snapshot with a changed byte: the start rebuilds them from the journal; verify names it", async () => {
    const { dir, file } = await journal();
    sql(file, (db) => {
      const data = db.prepare("SELECT data FROM view_snapshots WHERE seq = 34").pluck().get() as Buffer;
      data[Math.floor(data.length / 2)]! ^= 1;
      db.prepare("UPDATE view_snapshots SET data = ? WHERE seq = 34").run(data);
    });
    const result = verifyCli(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      "BAD — record 34: the read models' snapshot at 34 was changed or damaged: its data does not match its hash",
    );
    const exchange = await Exchange.open({ data: join(dir, "data") });
    try {
      await exchange.viewsReady();
      expect(exchange.start.viewsReplayed).toBe(34);
      expect(exchange.projections.lastSeq).toBe(34);
    } finally {
      await exchange.close();
    }
  });

  it("an identity snapshot whose MAC was removed: verify names it", async () => {
    const { dir, file } = await journal();
    sql(file, (db) => db.exec("UPDATE identity_snapshots SET mac = NULL"));
    const result = verifyCli(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("BAD — record 34: the identity snapshot at 34 was changed: its MAC is missing");
  });

  it("without the keys, a derived snapshot that names another record hash is still named", async () => {
    const { dir, file } = await journal();
    sql(file, (db) => db.exec("UPDATE identity_snapshots SET record_hash = '0' || substr(record_hash, 2)"));
    const noKeys = mkdtempSync(join(tmpdir(), "sauda-no-keys-"));
    const result = verifyCli(dir, "--keys", noKeys);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("BAD — record 34: the identity snapshot names a different journal record hash");
    // With the keys the MAC, which covers the record hash, names it first.
    expect(verifyCli(dir).stdout).toContain(
      "BAD — record 34: the identity snapshot at 34 was changed: its MAC does not match",
    );
  });

  it("a checkpoint in the exchange's own log forged: refused, the checkpoint named", async () => {
    const { dir } = await journal();
    const log = join(dir, "data-keys", "checkpoints.jsonl");
    const { appendFileSync } = await import("node:fs");
    appendFileSync(
      log,
      `${JSON.stringify({ seq: 99, hash: "a".repeat(64), signedAtMs: T0, keyId: "0".repeat(16), signature: "AA==" })}\n`,
    );
    const error = await startError(dir);
    expect(error.message).toContain("record 99: a checkpoint in");
    expect(verifyCli(dir).stdout).toContain("checkpoint of record 99");
  });

  it("`sauda serve` refuses to start with exit code 3 and names the record", async () => {
    const { dir, file } = await journal(5);
    sql(file, (db) => db.exec(`UPDATE journal SET meta = replace(meta, 'operator', 'operatoR') WHERE seq = 2`));
    const result = spawnSync(
      process.execPath,
      [BIN, "serve", "--port", "0", "--no-demo", "--check-journal-before-serving", "--data", join(dir, "data")],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(result.status).toBe(3);
    expect(result.stderr).toContain("refusing to start: record 2: damaged");
  });
});

describe("snapshots across crashes", () => {
  it("counts towards the next snapshot from the records replayed at start, so a crashing server still snapshots", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-restarts-"));
    let now = T0;
    const every = 10;
    // Three crashes (no clean stop, so no snapshot at the stop), each after 4 commands.
    for (let run = 0; run < 3; run++) {
      const exchange = await Exchange.open({ data: dir, clock: () => now++, snapshotEveryCommands: every });
      for (let i = 0; i < 4; i++) {
        await exchange.submit({ type: "money.deposit", account: "X", amount: 1, reference: `R-${run}-${i}` });
      }
      // Wait for what is in flight, then walk away without closing, as a killed process would.
      await exchange.submit({ type: "time.tick" });
      // The snapshot at 10 is hashed on another thread after its batch is released: let it land before this "crash"
      // (a crash before it would only lose that snapshot, and the next start would replay from further back).
      if (run === 1) await expect.poll(async () => (await exchange.store.snapshots()).map((s) => s.seq)).toEqual([10]);
      if (run === 2) {
        const seqs = (await exchange.store.snapshots()).map((s) => s.seq);
        // 15 records; the 10th came in the second run, counting the 5 replayed at its start (without that count, none).
        expect(seqs).toEqual([10]);
      }
    }
  });
});

describe("key rotation and the first operator, on the command line", () => {
  it("`sauda keys rotate-mac` re-MACs head and snapshots under a new key; the journal still starts and verifies", async () => {
    const { dir } = await journal(5);
    const file = join(dir, "data-keys", "journal-mac.key");
    const before = readFileSync(file, "utf8");
    // A copy taken before the rotation, as a backup made then (the server is stopped: the files are consistent).
    const backup = join(dir, "backup");
    cpSync(join(dir, "data"), join(backup, "data"), { recursive: true });
    const rotated = spawnSync(process.execPath, [BIN, "keys", "rotate-mac", "--data", join(dir, "data")], {
      encoding: "utf8",
    });
    expect(rotated.stdout).toContain(
      "journal MAC key rotated: the head, 1 engine snapshots, 1 read-model snapshots and 1 identity snapshots re-MAC'd;",
    );
    const after = readFileSync(file, "utf8");
    const keyLines = (text: string) => text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(keyLines(after)).toHaveLength(1);
    expect(keyLines(before)).not.toContain(keyLines(after)[0]);
    expect(verifyCli(dir).status).toBe(0);
    // The old key is kept: the backup made before refuses under the new key alone, and verifies with the retired key
    // below it (docs/security.md, "Rotation").
    const retired = readdirSync(join(dir, "data-keys")).filter((name) => /^journal-mac\.retired-.+\.key$/.test(name));
    expect(retired).toHaveLength(1);
    expect(rotated.stdout).toContain(`the old keys are in ${join(dir, "data-keys", retired[0]!)}`);
    expect(keyLines(readFileSync(join(dir, "data-keys", retired[0]!), "utf8"))).toEqual(keyLines(before));
    expect(statSync(join(dir, "data-keys", retired[0]!)).mode & 0o777).toBe(0o600);
    const backupKeys = join(dir, "backup-keys");
    cpSync(join(dir, "data-keys"), backupKeys, { recursive: true });
    const olderBackup = (keys: string) =>
      spawnSync(process.execPath, [BIN, "verify", "--data", join(backup, "data"), "--keys", keys], {
        encoding: "utf8",
      });
    const refused = olderBackup(backupKeys);
    expect(refused.status).toBe(1);
    expect(refused.stdout + refused.stderr).toContain("the journal head's MAC does not match");
    // ...and the refusal points at the retired keys beside the key in use.
    expect(refused.stdout).toContain(
      `; ${backupKeys} also holds MAC keys retired by a rotation (${retired[0]}): a copy made before the rotation checks out with them on a line below the key in use in journal-mac.key (docs/security.md)`,
    );
    writeFileSync(join(backupKeys, "journal-mac.key"), `${after.trimEnd()}\n${keyLines(before).join("\n")}\n`);
    expect(olderBackup(backupKeys).status).toBe(0);
    // The next start uses every snapshot the clean stop saved: none is passed over for its MAC.
    const exchange = await Exchange.open({ data: join(dir, "data") });
    try {
      await exchange.viewsReady();
      expect(exchange.warnings).toEqual([]);
      expect(exchange.start.viewSnapshotSeq).toBe(exchange.engine.lastSeq);
      expect(exchange.start.viewsReplayed).toBe(0);
    } finally {
      await exchange.close();
    }
  });

  it("`sauda keys rotate-mac` leaves a snapshot whose MAC does not check out as it was, and says so", async () => {
    const { dir, file } = await journal(5);
    const forged = "f".repeat(64);
    sql(file, (db) => db.prepare("UPDATE identity_snapshots SET mac = ?").run(forged));
    const rotated = spawnSync(process.execPath, [BIN, "keys", "rotate-mac", "--data", join(dir, "data")], {
      encoding: "utf8",
    });
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toContain(
      "the head, 1 engine snapshots, 1 read-model snapshots and 0 identity snapshots re-MAC'd (1 whose MAC did not check out left as they were: a start will not use them);",
    );
    sql(file, (db) => expect(db.prepare("SELECT mac FROM identity_snapshots").pluck().all()).toEqual([forged]));
  });

  it("all three refuse while a server runs on the data directory, change nothing, and run once it has ended", async () => {
    const { dir } = await journal(5);
    const data = join(dir, "data");
    const keyFile = join(dir, "data-keys", "journal-mac.key");
    const keyBefore = readFileSync(keyFile, "utf8");
    const server = spawn(process.execPath, [BIN, "serve", "--no-demo", "--port", "0", "--data", data], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    await new Promise<void>((ready, failed) => {
      createInterface({ input: server.stdout }).on("line", (line) => {
        output.push(line);
        if (line.includes("sauda exchange on http://")) ready();
      });
      server.on("exit", (code) => failed(new Error(`serve exited with ${code}: ${output.join("\n")}`)));
    });
    const refusal = `a sauda server (leader or standby) is running on ${join(data, "sauda.sqlite")}: stop every server on this data directory before`;
    const rotate = () => spawnSync(process.execPath, [BIN, "keys", "rotate-mac", "--data", data], { encoding: "utf8" });
    const create = () =>
      spawnSync(
        process.execPath,
        [BIN, "user", "create", "--data", data, "--id", "chief", "--name", "Chief", "--role", "operator"],
        { encoding: "utf8" },
      );
    const refusedRotation = rotate();
    expect([refusedRotation.status, refusedRotation.stdout]).toEqual([1, ""]);
    expect(refusedRotation.stderr).toBe(`sauda keys: ${refusal} sauda keys rotate-mac\n`);
    const refusedUser = create();
    expect(refusedUser.status).toBe(1);
    expect(refusedUser.stderr).toBe(`sauda user: ${refusal} sauda user create\n`);
    const logFile = join(dir, "data-keys", "checkpoints.jsonl");
    const logBefore = readFileSync(logFile, "utf8");
    const setAside = spawnSync(process.execPath, [BIN, "checkpoints", "set-aside", "--data", data], {
      encoding: "utf8",
    });
    expect([setAside.status, setAside.stdout]).toEqual([1, ""]);
    expect(setAside.stderr).toBe(`sauda checkpoints: ${refusal} sauda checkpoints set-aside\n`);
    expect(readFileSync(keyFile, "utf8")).toBe(keyBefore);
    // The running server signed a checkpoint at its start, after the refusal's read: the log only grew.
    expect(readFileSync(logFile, "utf8").startsWith(logBefore)).toBe(true);
    // However the server ends (here SIGKILL), its lock goes with it.
    server.kill("SIGKILL");
    await new Promise((ended) => server.once("exit", ended));
    expect(create().status).toBe(0);
    const rotated = rotate();
    expect([rotated.status, rotated.stderr]).toEqual([0, ""]);
    expect(readFileSync(keyFile, "utf8")).not.toBe(keyBefore);
    expect(verifyCli(dir).status).toBe(0);
  });

  it("`sauda user create` takes the ids the API takes, and refuses any other before writing anything", () => {
    const data = join(mkdtempSync(join(tmpdir(), "sauda-user-id-")), "data");
    const create = (id: string) =>
      spawnSync(
        process.execPath,
        [BIN, "user", "create", "--data", data, "--id", id, "--name", "N", "--role", "operator"],
        {
          encoding: "utf8",
        },
      );
    const refused = create("weird/id@x");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      "sauda user: --id 'weird/id@x' is not a user id: letters A-Z and a-z, digits, '_', '.' and '-' only\n",
    );
    // At the limit of 64 characters it is taken; one more is refused in the command's words.
    const long = create("x".repeat(65));
    expect([long.status, long.stderr]).toEqual([
      1,
      "sauda user: --id is 65 characters long: a user id has at most 64\n",
    ]);
    const role = (extra: string[]) =>
      spawnSync(process.execPath, [BIN, "user", "create", "--data", data, "--id", "u1", "--name", "N", ...extra], {
        encoding: "utf8",
      });
    expect(role(["--role", "trader"]).stderr).toBe(
      "sauda user: --member is required for a trader: the member whose user it is\n",
    );
    expect(role(["--role", "operator", "--member", "AKTAU"]).stderr).toBe(
      "sauda user: --member is not for an operator, who belongs to no member\n",
    );
    expect(existsSync(data)).toBe(false);
    const made = create("ops_2.b-c");
    expect(made.stdout).toContain("created operator 'ops_2.b-c' (journal record 1)");
    expect(create("y".repeat(64)).stdout).toContain(`created operator '${"y".repeat(64)}' (journal record 2)`);
  });

  it("`sauda user create` makes the first operator of a --no-demo exchange, journaled, who can then sign in", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-first-operator-"));
    const data = join(dir, "data");
    const created = spawnSync(
      process.execPath,
      [BIN, "user", "create", "--data", data, "--id", "chief", "--name", "Chief Operator", "--role", "operator"],
      { encoding: "utf8" },
    );
    expect(created.status).toBe(0);
    expect(created.stdout).toContain("created operator 'chief' (journal record 1)");
    const password = /password \(shown this once\): (\S+)/.exec(created.stdout)![1]!;
    const weak = spawnSync(
      process.execPath,
      [
        BIN,
        "user",
        "create",
        "--data",
        data,
        "--id",
        "second",
        "--name",
        "Second",
        "--role",
        "regulator",
        "--password-stdin",
      ],
      { encoding: "utf8", input: "password123\n" },
    );
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain("this password is on the list of common passwords");
    const exchange = await Exchange.open({ data });
    const { Users } = await import("../src/gateway/users.ts");
    const { verifyPassword } = await import("../src/gateway/passwords.ts");
    const users = new Users(exchange);
    const chief = users.user("chief")!;
    expect([chief.role, chief.disabled]).toEqual(["operator", false]);
    expect(await verifyPassword(password, chief.passwordHash)).toBe(true);
    const audit = exchange.projections.audit.query({ commandType: "user.create" });
    expect(audit[0]).toMatchObject({ outcome: "accepted", role: "operator", source: "command line" });
    expect(audit[0]!.summary).toBe(
      "create user chief (Chief Operator) as operator; reason: first operator, created on the command line",
    );
    await exchange.close();
  });
});

describe("restoring an older copy: `sauda checkpoints set-aside`", () => {
  /**
   * A copy taken with `sauda backup` at record 34, then a start, 5 more records and a clean stop (checkpoints of
   * records 35 and 39 signed): the copy is what a restore after the disk's loss has, and the log holds a checkpoint it does not reach.
   */
  async function restoreScenario(): Promise<{ dir: string; copy: string; keys: string; log: string }> {
    const { dir } = await journal();
    const data = join(dir, "data");
    const copy = join(dir, "copy.sqlite");
    const backedUp = spawnSync(process.execPath, [BIN, "backup", "--data", data, "--to", copy], { encoding: "utf8" });
    expect(backedUp.status, backedUp.stdout + backedUp.stderr).toBe(0);
    let now = T0 + 86_400_000;
    const exchange = await Exchange.open({ data, clock: () => now++ });
    for (let i = 0; i < 5; i++) {
      await exchange.submit({ type: "money.deposit", account: "AKTAU-1", amount: 1, reference: `LATER-${i}` });
    }
    await exchange.close();
    const keys = join(dir, "data-keys");
    return { dir, copy, keys, log: join(keys, "checkpoints.jsonl") };
  }

  const setAside = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, "checkpoints", "set-aside", ...args], { encoding: "utf8" });

  it("moves the checkpoints beyond the copy's head into a file of their own, byte for byte; the copy then verifies", async () => {
    const { dir, copy, keys, log } = await restoreScenario();
    const before = readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line !== "");
    const beyond = before.filter((line) => (JSON.parse(line) as { seq: number }).seq > 34);
    // Signed at the later start (its first record) and at its clean stop.
    expect(beyond.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([35, 39]);
    // Before: the copy is refused as rolled back.
    const refused = spawnSync(process.execPath, [BIN, "verify", "--data", copy, "--keys", keys], { encoding: "utf8" });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("rolled back");
    const to = join(dir, "lost.jsonl");
    const moved = setAside("--data", copy, "--keys", keys, "--to", to);
    expect([moved.status, moved.stderr]).toEqual([0, ""]);
    expect(moved.stdout).toMatch(
      new RegExp(
        `^set aside 2 checkpoints beyond the journal's head 34 \\(records 35–39, signed \\S+ – \\S+\\) into ${to}; ${log} keeps ${before.length - 2}\\. Keep that file`,
      ),
    );
    expect(readFileSync(to, "utf8")).toBe(`${beyond.join("\n")}\n`);
    expect(readFileSync(log, "utf8")).toBe(`${before.filter((line) => !beyond.includes(line)).join("\n")}\n`);
    // The documented restore then goes through: the copy made a data directory, verified with the keys.
    const restored = spawnSync(
      process.execPath,
      [BIN, "backup", "--data", copy, "--to", join(dir, "restored"), "--keys", keys],
      { encoding: "utf8" },
    );
    expect(restored.status, restored.stdout + restored.stderr).toBe(0);
    // A second run finds nothing beyond, and a file named again is never written over.
    const again = setAside("--data", copy, "--keys", keys, "--to", to);
    expect([again.status, again.stdout]).toEqual([
      0,
      `nothing to set aside: every checkpoint in ${log} is at or before the journal's head 34\n`,
    ]);
  });

  it("refuses a journal that was rewritten, not only cut short, and moves nothing", async () => {
    const { dir, copy, keys, log } = await restoreScenario();
    const before = readFileSync(log, "utf8");
    sql(copy, (db) => rewriteActorOfRecord3(db));
    const to = join(dir, "lost.jsonl");
    const refused = setAside("--data", copy, "--keys", keys, "--to", to);
    expect([refused.status, refused.stdout]).toEqual([1, ""]);
    expect(refused.stderr).toContain(
      "sauda checkpoints: the journal does not check out against the checkpoints up to its head 34, so it was not only cut short; nothing set aside: record",
    );
    expect(readFileSync(log, "utf8")).toBe(before);
    expect(existsSync(to)).toBe(false);
  });
});

describe("the regulator's copy of the checkpoints", () => {
  it("shows a rollback by someone who also held the keys and wiped the exchange's own log", async () => {
    const { TestServer } = await import("./support/server.ts");
    const server = await TestServer.start();
    const file = join(server.dir, "sauda.sqlite");
    // The older files: the journal and its snapshots (a snapshot beyond the journal's head would give it away).
    for (const [from, to] of [
      [file, "old.sqlite"],
      [snapshotsFile(file), "old-snapshots.sqlite"],
    ] as const) {
      const old = new Database(from);
      await old.backup(join(server.dir, to));
      old.close();
    }
    server.nowMs += 61_000; // a minute on: the next batch is checkpointed
    await server.exchange.submit({ type: "money.deposit", account: "AKTAU-1", amount: 5, reference: "LATE-1" });
    const published = await fetch(`${server.url}/api/journal/checkpoints`);
    const body = (await published.json()) as {
      publicKeys: { keyId: string; pem: string }[];
      checkpoints: { seq: number }[];
    };
    const head = server.exchange.projections.lastSeq;
    expect(body.checkpoints[0]!.seq).toBe(head);
    const regulator = join(server.dir, "regulator-checkpoints.json");
    const publicKey = join(server.dir, "exchange-public-key.pem");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(regulator, JSON.stringify(body));
    writeFileSync(publicKey, body.publicKeys.map((k) => k.pem).join(""));
    await server.close();
    // Someone with the disk: the older database back, the exchange's own checkpoint log gone.
    copyFileSync(join(server.dir, "old.sqlite"), file);
    copyFileSync(join(server.dir, "old-snapshots.sqlite"), snapshotsFile(file));
    for (const written of [file, snapshotsFile(file)]) {
      for (const leftover of [`${written}-wal`, `${written}-shm`]) rmSync(leftover, { force: true });
    }
    rmSync(join(`${server.dir}-keys`, "checkpoints.jsonl"), { force: true });
    const restarted = await Exchange.open({ data: server.dir });
    expect(restarted.projections.lastSeq).toBeLessThan(head); // the exchange alone cannot tell any more
    await restarted.close();
    const result = spawnSync(
      process.execPath,
      [BIN, "verify", "--data", server.dir, "--checkpoints", regulator, "--public-key", publicKey],
      { encoding: "utf8" },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`BAD — record ${head}: rolled back: the checkpoint signed at`));
  });
});
