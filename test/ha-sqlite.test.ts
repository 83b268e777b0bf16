/**
 * High availability on SQLite (test/support/ha-rounds.ts): `sauda serve` processes on one machine share one SQLite
 * journal; the first leads, the others start as its standbys (the lock beside the journal file,
 * journal/sqlite-leadership.ts). The leader is killed with SIGKILL under load HA_SQLITE_ROUNDS times (default 10)
 * among HA_NODES nodes (default 3): a standby takes over within 5 s each time (the lock is released by the operating
 * system with the process), and no acknowledged order is lost.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { haRounds } from "./support/ha-rounds.ts";

const ROUNDS = Number(process.env.HA_SQLITE_ROUNDS ?? 10);
const NODES = Math.max(2, Number(process.env.HA_NODES ?? 3));

describe("high availability on SQLite: standbys on one machine", () => {
  it(`a standby takes over within 5 s of each of ${ROUNDS} SIGKILLs of the leader, losing no acknowledged order`, async () => {
    const data = join(mkdtempSync(join(tmpdir(), "sauda-ha-sqlite-")), "journal");
    await haRounds({ kind: "sqlite", data }, ROUNDS, NODES);
  }, 900_000);
});
