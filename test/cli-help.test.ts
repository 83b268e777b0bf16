/**
 * The `sauda` command's help: every subcommand's `--help` prints its usage, description and options and exits 0,
 * whether it is run through bin/sauda.js or by running src/cli/main.ts directly (`npx tsx src/cli/main.ts serve
 * --help`, which printed nothing while main.ts only exported `main`).
 */

import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = resolve(ROOT, "bin/sauda.js");
const MAIN = resolve(ROOT, "src/cli/main.ts");
/** Loading the TypeScript sources takes seconds on a busy machine. */
const SPAWN_MS = 120_000;

function run(args: readonly string[]) {
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: "utf8",
    timeout: SPAWN_MS,
    env: { ...process.env, SAUDA_FROM_SOURCE: "1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Each subcommand with words its help must show (its description and an option of its own). */
const SUBCOMMANDS: readonly [string[], string, string][] = [
  [["serve"], "run the exchange server", "--no-demo"],
  [["verify"], "rebuild the state from the journal", "--checkpoints <file>"],
  [["backup"], "copy a running SQLite journal", "--to <file>"],
  [["restore-point"], "create a named restore point", "--name <name>"],
  [["keys", "rotate-mac"], "replace the journal MAC key", "--keys <dir>"],
  [["checkpoints", "set-aside"], "after restoring an older copy", "--to <file>"],
  [["user", "create"], "create a user", "--role <role>"],
  [["surveil"], "market surveillance", "--config <file>"],
  [["simulate"], "run the policy lab", "--sweep <param=values>"],
  [["demo"], "run one demo trading session", "--seed <number>"],
  [["replay"], "run one instrument's continuous book", "--explain"],
  [["auction"], "compute one uniform-price call auction", "-h, --help"],
];

describe("sauda --help", () => {
  it("running src/cli/main.ts directly behaves like bin/sauda.js", { timeout: 2 * SPAWN_MS }, () => {
    const direct = run(["--import", "tsx", MAIN, "serve", "--help"]);
    const bin = run([BIN, "serve", "--help"]);
    expect(direct.status).toBe(0);
    expect(direct.stdout).toContain("Usage: sauda serve [options]");
    expect(direct.stdout).toContain("--port <port>");
    expect(direct.stdout).toBe(bin.stdout);
    // A wrong command is refused the same way: exit 2 and commander's sentence on standard error.
    const wrong = run(["--import", "tsx", MAIN, "no-such-command"]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("unknown command 'no-such-command'");
  });

  it("every subcommand's --help prints its usage, description and options", { timeout: 12 * SPAWN_MS }, () => {
    for (const [path, description, option] of SUBCOMMANDS) {
      const { status, stdout } = run([BIN, ...path, "--help"]);
      expect(status, path.join(" ")).toBe(0);
      expect(stdout, path.join(" ")).toContain(`Usage: sauda ${path.join(" ")}`);
      expect(stdout, path.join(" ")).toContain(description);
      expect(stdout, path.join(" ")).toContain(option);
    }
    const top = run([BIN, "--help"]);
    expect(top.status).toBe(0);
    for (const [path] of SUBCOMMANDS) expect(top.stdout).toContain(`  ${path[0]} `);
  });
});
