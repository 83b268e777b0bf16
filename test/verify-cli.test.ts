/**
 * `sauda verify`: exit 0 with a summary for a sound journal; exit 1 naming the first bad record for a damaged one.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Command } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import { Sequencer } from "../src/journal/sequencer.ts";
import { SqliteStore } from "../src/journal/sqlite-store.ts";

const BIN = resolve(import.meta.dirname, "../bin/sauda.js");

async function journal(dir: string): Promise<void> {
  const store = new SqliteStore(dir);
  let now = Date.UTC(2026, 0, 5, 6);
  const sequencer = new Sequencer(new Engine(), store, null, { clock: () => now++, snapshotEveryCommands: 5 });
  const commands: Command[] = [
    { type: "instrument.list", instrument: "X", mode: "continuous", tickSize: 1, lotSize: 1 },
    { type: "phase.set", instrument: "X", phase: "continuous" },
  ];
  for (let i = 0; i < 10; i++) {
    commands.push({
      type: "order.new",
      instrument: "X",
      orderId: `o${i}`,
      account: `A${i % 3}`,
      side: i % 2 ? "buy" : "sell",
      orderType: "limit",
      price: 100 + (i % 3),
      quantity: 5,
    });
  }
  for (const command of commands) await sequencer.submit(command);
  await sequencer.stop();
  await store.close();
}

describe("sauda verify", () => {
  it("accepts a sound journal with its snapshots", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-verify-"));
    await journal(dir);
    const output = execFileSync(process.execPath, [BIN, "verify", "--data", dir], { encoding: "utf8" });
    expect(output).toMatch(
      /: OK — 12 records, 3 snapshots checked, head 12, 0 checkpoints checked, state hash [0-9a-f]{64}/,
    );
  });

  it("refuses a data directory without a journal instead of making an empty one and calling it sound", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sauda-verify-")), "mistyped");
    const result = spawnSync(process.execPath, [BIN, "verify", "--data", dir], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe(
      `there is no journal at ${join(dir, "sauda.sqlite")}: nothing to verify (give the exchange's data directory with --data, or --database)\n`,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it("refuses a --keys directory that does not exist (a typo) instead of calling the journal sound unchecked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-verify-"));
    await journal(dir);
    const missing = join(dir, "no-such-keys");
    const result = spawnSync(process.execPath, [BIN, "verify", "--data", dir, "--keys", missing], { encoding: "utf8" });
    // A usage error (exit 2, on standard error), not a finding about the journal.
    expect([result.status, result.stdout, result.stderr]).toEqual([
      2,
      "",
      `sauda: the keys directory ${missing} given with --keys does not exist\n`,
    ]);
  });

  it("names the first bad record and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-verify-"));
    await journal(dir);
    const store = new SqliteStore(dir);
    store.unsafeExec(`UPDATE journal SET command = replace(command, '"price":101', '"price":102') WHERE seq = 7`);
    await store.close();
    const result = spawnSync(process.execPath, [BIN, "verify", "--data", dir], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("BAD — record 7: damaged: its hash does not continue the journal's hash chain");
  });
});
