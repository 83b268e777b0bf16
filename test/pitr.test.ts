/**
 * The point-in-time recovery drill of docs/operations.md, run for real: scripts/pitr-drill.sh starts a throwaway
 * PostgreSQL cluster with WAL archiving, takes a base backup, lets sauda write a journal in two batches with a restore
 * point made by sauda between them (and another halfway through batch 2, while its appends go on), drops the journal
 * table, and recovers three times from the base backup and the archive: to each restore point, and to the moment
 * before the drop. This test reads what the drill measured and checks it.
 *
 * Needs PostgreSQL's binaries (PG_BIN, default /usr/lib/postgresql/15/bin) and, as root, a postgres user; otherwise
 * it is skipped with a message, unless SAUDA_REQUIRE_POSTGRES=1.
 */

import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { POSTGRES_REQUIRED } from "./support/postgres.ts";

const SCRIPT = resolve(import.meta.dirname, "../scripts/pitr-drill.sh");
const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
/** Orders in each of the drill's two batches. */
const ORDERS = 300;

function missing(): string | null {
  for (const tool of ["initdb", "pg_ctl", "pg_basebackup", "psql"]) {
    if (!existsSync(join(PG_BIN, tool))) return `${join(PG_BIN, tool)} is not there`;
  }
  if (process.getuid?.() === 0 && spawnSync("id", ["postgres"]).status !== 0) {
    return "running as root, but there is no postgres user to run PostgreSQL as";
  }
  return null;
}

const why = missing();
if (why !== null) {
  if (POSTGRES_REQUIRED) throw new Error(`point-in-time recovery drill: PostgreSQL is required but ${why}`);
  process.stderr.write(`\nSKIPPED the point-in-time recovery drill: ${why} (set PG_BIN)\n`);
}

function run(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn("bash", [SCRIPT], {
      env: { ...process.env, PG_BIN, PITR_ORDERS: String(ORDERS) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("exit", (code) => resolveRun({ code, output }));
  });
}

describe.runIf(why === null)("point-in-time recovery of the PostgreSQL journal (scripts/pitr-drill.sh)", () => {
  it("recovers to sauda's restore points and to the moment before a dropped journal, exactly", async () => {
    const { code, output } = await run();
    expect(code, output).toBe(0);
    const results = new Map<string, number>();
    for (const [, key, value] of output.matchAll(/^RESULT (\w+)=(\d+)$/gm)) results.set(key!, Number(value));
    const get = (key: string): number => {
      const value = results.get(key);
      if (value === undefined) throw new Error(`the drill did not report ${key}:\n${output}`);
      return value;
    };

    // The journal: 8 set-up records and ORDERS orders in batch 1, ORDERS more in batch 2, one record each.
    const batch1 = 8 + ORDERS;
    const batch2 = batch1 + ORDERS;
    expect(get("batch1_acked")).toBe(batch1);
    expect(get("restore_point_seq")).toBe(batch1);
    expect(get("batch2_acked")).toBe(batch2);

    // The dropped journal is refused.
    expect(get("verify_damaged_exit")).toBe(1);
    expect(output).toContain(
      `BAD — record 1: the journal is truncated: the head is at ${batch2}, the last record is 0`,
    );

    // Recovered to the restore point: ends exactly at batch 1's last acknowledged record, nothing of batch 2.
    expect(get("to_point_head")).toBe(batch1);
    expect(get("to_point_max_seq")).toBe(batch1);
    expect(get("to_point_records")).toBe(batch1);
    // ...refused as rolled back while the log holds the checkpoint signed after it; clean once that is moved out.
    expect(get("verify_to_point_all_checkpoints_exit")).toBe(1);
    expect(output).toMatch(new RegExp(`BAD — record ${batch2}: rolled back: .* the journal ends at record ${batch1}`));
    // Moved out with `sauda checkpoints set-aside` on the PostgreSQL journal, as docs/operations.md says.
    expect(output).toMatch(
      new RegExp(`set aside [1-9]\\d* checkpoints beyond the journal's head ${batch1} \\(records`),
    );
    expect(get("verify_to_point_exit")).toBe(0);
    expect(output).toMatch(
      new RegExp(`: OK — ${batch1} records, \\d+ snapshots checked, head ${batch1} \\(MAC checked\\)`),
    );

    // Recovered to the moment before the drop: every acknowledged record, and the chain verifies.
    expect(get("before_drop_head")).toBe(batch2);
    expect(get("before_drop_max_seq")).toBe(batch2);
    expect(get("before_drop_records")).toBe(batch2);
    expect(get("verify_before_drop_exit")).toBe(0);
    expect(output).toMatch(
      new RegExp(`: OK — ${batch2} records, \\d+ snapshots checked, head ${batch2} \\(MAC checked\\)`),
    );

    // Recovered to the restore point made halfway through batch 2 while its appends went on: the journal ends exactly
    // at the head that point reported, which holds everything acknowledged before it was asked for.
    const during = get("during_point_seq");
    expect(during).toBeGreaterThanOrEqual(get("during_point_acked_before"));
    expect(get("during_point_acked_before")).toBeGreaterThanOrEqual(batch1 + ORDERS / 2);
    expect(during).toBeLessThanOrEqual(batch2);
    expect(get("during_head")).toBe(during);
    expect(get("during_max_seq")).toBe(during);
    expect(get("during_records")).toBe(during);

    // The figures docs/operations.md cites.
    process.stdout.write(
      `pitr drill: base backup ${get("base_backup_ms")} ms; to the restore point: copy ${get("to_point_copy_ms")} ms, ` +
        `recovery ${get("to_point_recovery_ms")} ms, verify ${get("verify_to_point_ms")} ms; to before the drop: copy ` +
        `${get("before_drop_copy_ms")} ms, recovery ${get("before_drop_recovery_ms")} ms, verify ${get("verify_before_drop_ms")} ms\n`,
    );
  }, 300_000);
});
