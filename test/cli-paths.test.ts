/**
 * A mistyped path on the command line of the commands that work on an exchange's files (`sauda verify`, `keys
 * rotate-mac`, `checkpoints set-aside`, `user create`): each is refused in one sentence on standard error with exit
 * code 2, and nothing is made where the operator did not mean it (no directory, no keys, no empty journal). `user create`
 * still makes a new exchange where there is no journal yet (its first operator, before the first start), and says so.
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../bin/sauda.js");
const PASSWORD = "a long password for the first operator";

function sauda(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", input: `${PASSWORD}\n` });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("a mistyped path is refused and nothing is made in its place", () => {
  let dir: string;
  const listing = () => readdirSync(dir).sort();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sauda-cli-paths-"));
    const first = sauda(
      dir,
      "user",
      "create",
      "--data",
      "ex",
      "--id",
      "ops",
      "--name",
      "Ops",
      "--role",
      "operator",
      "--password-stdin",
    );
    expect(first.status, first.stderr).toBe(0);
    // A new exchange is made, and said to be: its journal and its keys.
    expect(first.stdout).toBe(
      [
        "there was no journal at ex/sauda.sqlite: a new exchange's journal was made there",
        `warning: new keys were made in ${join(dir, "ex-keys")}: keep them, and keep them apart from the database`,
        "created operator 'ops' (journal record 1)",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "bad.jsonl"), "{bad\n");
  }, 60_000);

  const cases: [string, string[], string][] = [
    [
      "user create with a --data that has no journal, beside keys that signed another's checkpoints",
      [
        "user",
        "create",
        "--data",
        "typo",
        "--keys",
        "ex-keys",
        "--id",
        "ops2",
        "--name",
        "O",
        "--role",
        "operator",
        "--password-stdin",
      ],
      "sauda: there is no journal at typo/sauda.sqlite, but the keys in ex-keys have signed checkpoints of a journal up to its record 1: give that journal's data directory with --data (a new exchange's keys are made with it)\n",
    ],
    [
      "user create with a --keys that does not exist, for an existing journal",
      [
        "user",
        "create",
        "--data",
        "ex",
        "--keys",
        "nokeys",
        "--id",
        "ops3",
        "--name",
        "O",
        "--role",
        "operator",
        "--password-stdin",
      ],
      "sauda: the keys directory nokeys given with --keys does not exist\n",
    ],
    [
      "keys rotate-mac with a --data that has no journal",
      ["keys", "rotate-mac", "--data", "none"],
      "sauda: there is no journal at none/sauda.sqlite (give the exchange's data directory with --data, or --database)\n",
    ],
    [
      "keys rotate-mac with a --keys that does not exist",
      ["keys", "rotate-mac", "--data", "ex", "--keys", "nokeys"],
      "sauda: the keys directory nokeys given with --keys does not exist\n",
    ],
    [
      "checkpoints set-aside with a --data that has no journal",
      ["checkpoints", "set-aside", "--data", "none"],
      "sauda: there is no journal at none/sauda.sqlite (give the exchange's data directory with --data, or --database)\n",
    ],
    [
      "verify with a --checkpoints file that is not checkpoints",
      ["verify", "--data", "ex", "--checkpoints", "bad.jsonl"],
      "sauda: the checkpoints file given with --checkpoints: bad.jsonl line 1 is not JSON\n",
    ],
    [
      "verify with a --checkpoints file that does not exist",
      ["verify", "--data", "ex", "--checkpoints", "nofile.jsonl"],
      "sauda: the checkpoints file nofile.jsonl given with --checkpoints does not exist\n",
    ],
    [
      "verify with a --public-key file that does not exist",
      ["verify", "--data", "ex", "--checkpoints", "ex-keys/checkpoints.jsonl", "--public-key", "nope.pem"],
      "sauda: the public key file nope.pem given with --public-key does not exist\n",
    ],
  ];
  for (const [what, args, refusal] of cases) {
    it(what, () => {
      const before = listing();
      const result = sauda(dir, ...args);
      expect([result.status, result.stdout, result.stderr]).toEqual([2, "", refusal]);
      expect(listing()).toEqual(before);
    });
  }

  it("the exchange made first still verifies: nothing above touched it", () => {
    const result = sauda(dir, "verify", "--data", "ex");
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toContain(": OK — 1 records");
    expect(existsSync(join(dir, "typo"))).toBe(false);
  });
});
