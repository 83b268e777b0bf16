/**
 * The keys a start makes (keys.ts `loadKeys` with `create`): written so that processes started together on a fresh
 * keys directory (a leader and its standby) all go on with the same keys, the ones on disk.
 */

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { KEY_FILES, KeysError, loadKeys, publicKeyId, symmetricKeyId } from "./keys.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const NO_ENV = {};

/** The ids of a set of keys: equal ids, equal keys. */
function ids(keys: ReturnType<typeof loadKeys>): string {
  return [
    symmetricKeyId(keys.macKeys[0]!),
    symmetricKeyId(keys.secretsKeys[0]!),
    // loadKeys refuses a signing key whose public key is not this one.
    publicKeyId(keys.verifyingKeys[0]!),
  ].join(" ");
}

describe("the keys a start makes", () => {
  it("on a fresh directory: all four files, the secret ones readable by their owner only, nothing else left", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sauda-keys-")), "keys");
    const keys = loadKeys(dir, { create: true, env: NO_ENV });
    expect(keys.generated).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(Object.values(KEY_FILES).sort());
    for (const file of [KEY_FILES.mac, KEY_FILES.secrets, KEY_FILES.signing]) {
      expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(join(dir, KEY_FILES.verifying)).mode & 0o777).toBe(0o644);
    const again = loadKeys(dir, { create: true, env: NO_ENV });
    expect(again.generated).toBe(false);
    expect(ids(again)).toBe(ids(keys));
  });

  it("a start that finds another process's keys half written waits for the rest and loads them", async () => {
    const made = join(mkdtempSync(join(tmpdir(), "sauda-keys-made-")), "keys");
    const theirs = loadKeys(made, { create: true, env: NO_ENV });
    const dir = join(mkdtempSync(join(tmpdir(), "sauda-keys-half-")), "keys");
    // The other process has written its MAC key's file (the one that decides) and not yet the others.
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, KEY_FILES.mac), readFileSync(join(made, KEY_FILES.mac)), { mode: 0o600 });
    // It writes them 200 ms later, from another thread, while this one is in loadKeys.
    const rest = [KEY_FILES.secrets, KEY_FILES.signing, KEY_FILES.verifying].map((file) => [
      join(dir, file),
      readFileSync(join(made, file), "utf8"),
    ]);
    const writer = new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
       const { writeFileSync } = require("node:fs");
       parentPort.postMessage("started");
       setTimeout(() => { for (const [file, text] of workerData) writeFileSync(file, text, { mode: 0o600 }); }, 200);`,
      { eval: true, workerData: rest },
    );
    await new Promise((started) => writer.once("message", started));
    const keys = loadKeys(dir, { create: true, env: NO_ENV });
    await writer.terminate();
    expect(keys.generated).toBe(false);
    expect(ids(keys)).toBe(ids(theirs));
  });

  it("a command that makes no keys refuses a half-written set at once", () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-keys-partial-"));
    writeFileSync(join(dir, KEY_FILES.mac), "# x\n", { mode: 0o600 });
    const started = Date.now();
    expect(() => loadKeys(dir, { env: NO_ENV })).toThrow(KeysError);
    expect(() => loadKeys(dir, { env: NO_ENV })).toThrow(
      `the keys in ${dir} are incomplete: ${KEY_FILES.secrets}, ${KEY_FILES.signing}, ${KEY_FILES.verifying} missing`,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("four processes started at the same moment on a fresh directory all go on with the same keys, those on disk", async () => {
    // Each process loads TypeScript first (about a second), then waits for the same instant and makes the keys: on the
    // code before this test, 8 rounds in 10 had processes with different keys and 12 of 40 starts failed.
    const child = `
      import { loadKeys, publicKeyId, symmetricKeyId } from ${JSON.stringify(join(ROOT, "src/journal/keys.ts"))};
      const [dir, at] = process.argv.slice(-2);
      while (Date.now() < Number(at)) {}
      const keys = loadKeys(dir, { create: true, env: {} });
      console.log(JSON.stringify({
        ids: [symmetricKeyId(keys.macKeys[0]), symmetricKeyId(keys.secretsKeys[0]), publicKeyId(keys.verifyingKeys[0])]
          .join(" "),
        generated: keys.generated,
      }));`;
    for (let round = 0; round < 3; round++) {
      const dir = join(mkdtempSync(join(tmpdir(), "sauda-keys-race-")), "keys");
      const at = Date.now() + 4_000;
      const results = await Promise.all(
        Array.from(
          { length: 4 },
          () =>
            new Promise<{ ids: string; generated: boolean }>((done, fail) => {
              const process_ = spawn(
                process.execPath,
                ["--import", "tsx", "--input-type=module", "-e", child, dir, String(at)],
                { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
              );
              let out = "";
              let err = "";
              process_.stdout.on("data", (chunk) => {
                out += chunk;
              });
              process_.stderr.on("data", (chunk) => {
                err += chunk;
              });
              process_.on("exit", (code) => (code === 0 ? done(JSON.parse(out)) : fail(new Error(err))));
            }),
        ),
      );
      const onDisk = ids(loadKeys(dir, { env: NO_ENV }));
      expect(results.map((result) => result.ids)).toEqual([onDisk, onDisk, onDisk, onDisk]);
      expect(results.filter((result) => result.generated)).toHaveLength(1);
      expect(readdirSync(dir).sort()).toEqual(Object.values(KEY_FILES).sort());
    }
  }, 60_000);
});
