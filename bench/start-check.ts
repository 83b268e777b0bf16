/**
 * `node --import tsx bench/start-check.ts <data dir>`: what checking the records a snapshot covers costs a start, on an
 * existing SQLite journal (e.g. the one `npm run bench:restart` leaves, its newest snapshots deleted to stand for a
 * SIGKILL). Runs `recover` alternately as every start did before (the chain from record 1 checked before returning)
 * and as a start now does (`checkCoveredAfter`: returning once the snapshot and the tail are checked), then the check
 * handed back, and prints wall time and process CPU time (all threads, `process.cpuUsage`) of each. Figures, not
 * pass/fail; on a shared machine compare the CPU times and the ratios within one run.
 */

import { defaultKeysDir, loadKeys } from "../src/journal/keys.ts";
import { recover } from "../src/journal/recovery.ts";
import { SqliteStore } from "../src/journal/sqlite-store.ts";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: bench/start-check.ts <data dir>");
const ROUNDS = Number(process.env.BENCH_START_CHECK_ROUNDS ?? 2);
const keys = loadKeys(defaultKeysDir(dir));

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

const figure = (t: { wallMs: number; cpuMs: number }) => `${t.wallMs.toFixed(0)} ms wall, ${t.cpuMs.toFixed(0)} ms CPU`;

for (let round = 1; round <= ROUNDS; round++) {
  const store = new SqliteStore(dir);
  try {
    const before = await timed(() => recover(store, { macKeys: keys.macKeys }));
    console.log(
      `round ${round}, chain from record 1 checked before returning: ${figure(before)} (snapshot ${before.value.snapshotSeq} + ${before.value.replayed} replayed)`,
    );
    const after = await timed(() => recover(store, { macKeys: keys.macKeys, checkCoveredAfter: true }));
    console.log(`round ${round}, records 1 to ${after.value.snapshotSeq} left for later: ${figure(after)}`);
    const check = after.value.pendingCheck;
    if (check !== null) {
      const later = await timed(() => check.run());
      console.log(`round ${round}, the check handed back (records 1 to ${check.toSeq}): ${figure(later)}`);
    }
    console.log(
      `round ${round}: returning early takes ${((after.wallMs / before.wallMs) * 100).toFixed(0)}% of the wall time and ${((after.cpuMs / before.cpuMs) * 100).toFixed(0)}% of the CPU time of checking first`,
    );
  } finally {
    await store.close();
  }
}
