/**
 * Keys given through the environment (docs/security.md, "Keys"), with no keys directory on disk: the exchange keeps
 * its checkpoint log in the keys directory all the same, making it; and a `sauda serve` whose start fails ends with
 * its exit code, whatever it had started before (a PostgreSQL node used to print the error and linger, deaf to
 * SIGTERM).
 */

import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dropSchema, postgresForSuite, TEST_DATABASE_URL, testSchema } from "./support/postgres.ts";

const BIN = resolve(import.meta.dirname, "../bin/sauda.js");

/** The three keys as the environment gives them (a fresh set per test file). */
const KEYS_ENV = {
  SAUDA_JOURNAL_MAC_KEY: randomBytes(32).toString("base64"),
  SAUDA_SECRETS_KEY: randomBytes(32).toString("base64"),
  SAUDA_CHECKPOINT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({
    type: "pkcs8",
    format: "pem",
  }) as string,
} as const;
const env = { ...process.env, ...KEYS_ENV };

function createOperator(where: string[], keys?: string) {
  return spawnSync(
    process.execPath,
    [
      BIN,
      "user",
      "create",
      ...where,
      ...(keys === undefined ? [] : ["--keys", keys]),
      "--id",
      "ops",
      "--name",
      "Ops",
      "--role",
      "operator",
      "--password-stdin",
    ],
    { encoding: "utf8", env, input: "Operator-Pass-1x\n" },
  );
}

describe("keys from the environment, with no keys directory", () => {
  it("sauda user create journals the operator, keeps its checkpoint in a keys directory it makes, and exits 0", () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-env-keys-"));
    const data = join(dir, "data");
    const created = createOperator(["--data", data]);
    expect([created.status, created.stderr]).toEqual([0, ""]);
    expect(created.stdout).toContain("created operator 'ops' (journal record 1)");
    const keysDir = join(dir, "data-keys");
    expect(statSync(keysDir).mode & 0o777).toBe(0o700);
    // The data directory it made is the service account's alone too: it holds the password hashes.
    expect(statSync(data).mode & 0o777).toBe(0o700);
    const log = readFileSync(join(keysDir, "checkpoints.jsonl"), "utf8").trim().split("\n");
    expect(log.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([1]);
    // No key was written to disk: they are the environment's.
    expect(existsSync(join(keysDir, "journal-mac.key"))).toBe(false);
    const verified = spawnSync(process.execPath, [BIN, "verify", "--data", data], { encoding: "utf8", env });
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain(
      ": OK — 1 records, 1 snapshots checked, head 1 (MAC checked), 1 checkpoints checked",
    );
  });
});

const run = await postgresForSuite("keys from the environment");
const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

describe.runIf(run)("a PostgreSQL node whose start fails", () => {
  it("ends with exit code 2 and the reason, instead of lingering half-started", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-env-keys-pg-"));
    const schema = testSchema("envkeys");
    schemas.push(schema);
    const database = ["--database", TEST_DATABASE_URL, "--schema", schema];
    expect(createOperator(database, join(dir, "keys")).status).toBe(0);
    // Its checkpoint log cannot be made: the keys directory would be inside a file. The start fails at its first
    // checkpoint, once the node has connected, recovered and started following.
    writeFileSync(join(dir, "a-file"), "");
    const node = spawn(
      process.execPath,
      [BIN, "serve", "--no-demo", "--port", "0", ...database, "--keys", join(dir, "a-file", "keys")],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    node.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const code = await new Promise<number | null>((ended) => node.once("exit", ended));
    expect(code).toBe(2);
    expect(stderr).toContain(`sauda: ENOTDIR: not a directory, mkdir '${join(dir, "a-file", "keys")}'`);
  }, 60_000);
});
