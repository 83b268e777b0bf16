/**
 * `npm run bench:takeover`: how soon a SQLite journal is served again after a SIGKILL of its server when a standby on
 * the same machine follows it (docs/operations.md, "A standby on the same machine"). Figures, not pass/fail.
 *
 * Writes a SQLite journal of BENCH_TAKEOVER_COMMANDS commands (default 1,000,000; bench/restart-journal.ts, as
 * bench:restart does), or takes the one in BENCH_TAKEOVER_DATA (a data directory such a run wrote, its keys beside it).
 * Starts `sauda serve --no-demo` on it (the leader) and a second one (its standby), and waits until the standby has
 * applied the journal's head. Then, BENCH_TAKEOVER_ROUNDS times (default 3): a program places orders one after the
 * other through the leader's API; after 2,000 acknowledged, the leader is killed with SIGKILL, and the program turns to
 * the standby at once. Prints, from the kill: when the killed process had ended (its memory freed; the operating
 * system releases its lock then), when the standby's /api/health first said `leader`, and when its first order was
 * acknowledged by it (serving again), with the standby's own account of its takeover. The killed node is started again as the next standby (its start, which
 * loads the whole state, is printed too).
 */

import { existsSync, mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { placeBenchOrder, writeRestartJournal } from "./restart-journal.ts";
import { processCpuMs, type ServeProcess, startServe } from "./serve-process.ts";

const COMMANDS = Number(process.env.BENCH_TAKEOVER_COMMANDS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_TAKEOVER_ROUNDS ?? 3);
/** Orders acknowledged by the leader in a round before it is killed. */
const ORDERS_BEFORE_KILL = 2000;

interface Health {
  readonly role: string;
  readonly seq: number;
  readonly lagMs: number;
}

async function health(node: ServeProcess): Promise<Health | null> {
  try {
    return (await (await fetch(`${node.url}/api/health`)).json()) as Health;
  } catch {
    return null;
  }
}

let orders = 0;
/** Client order ids new to a journal that an earlier run wrote to. */
const RUN = Date.now().toString(36);

/** Places orders on `url()` one after the other until `stop()`; counts those acknowledged (201). */
async function placeOrders(url: () => string, stop: () => boolean, acknowledged: (url: string) => void) {
  while (!stop()) {
    const target = url();
    const answer = await placeBenchOrder(target, `takeover-${RUN}-${++orders}`).catch(() => null);
    if (answer?.status === 201) acknowledged(target);
    else if (answer !== null && answer.status !== 503) {
      throw new Error(`the order was answered ${answer.status}: ${answer.text}`);
    }
  }
}

async function startStandby(dir: string): Promise<ServeProcess> {
  const started = performance.now();
  const standby = await startServe({ data: dir });
  for (;;) {
    const h = await health(standby);
    if (h?.role === "follower" && h.lagMs === 0) break;
    await new Promise((resolveWait) => setTimeout(resolveWait, 20));
  }
  console.log(
    `standby started and caught up in ${((performance.now() - started) / 1000).toFixed(1)} s (load ${loadavg()[0]!.toFixed(1)})`,
  );
  return standby;
}

const given = process.env.BENCH_TAKEOVER_DATA;
const dir = given ?? join(mkdtempSync(join(tmpdir(), "sauda-bench-takeover-")), "data");
if (given === undefined || !existsSync(join(given, "sauda.sqlite"))) {
  const writing = performance.now();
  await writeRestartJournal(dir, COMMANDS, undefined);
  console.log(`journal of ${COMMANDS} commands written in ${((performance.now() - writing) / 1000).toFixed(0)} s`);
}
console.log(`journal: ${dir}`);
let leader = await startServe({ data: dir });
console.log(`leader serving ${(leader.servingMs / 1000).toFixed(1)} s after its spawn`);
let standby = await startStandby(dir);
console.log(`leader at seq ${(await health(leader))?.seq}`);

const takeovers: number[] = [];
const servedAgain: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let target = leader.url;
  let acknowledgedByLeader = 0;
  let killedAt = 0;
  let firstByStandby = 0;
  let stop = false;
  const load = placeOrders(
    () => target,
    () => stop,
    (url) => {
      if (url === leader.url) acknowledgedByLeader++;
      else if (firstByStandby === 0) firstByStandby = performance.now();
    },
  );
  // What following costs the standby: its CPU time (all threads) per record it applied while the leader took orders.
  while (acknowledgedByLeader < 100) await new Promise((resolveWait) => setTimeout(resolveWait, 5));
  const followFrom = {
    cpuMs: processCpuMs(standby.child.pid),
    leaderCpuMs: processCpuMs(leader.child.pid),
    seq: (await health(standby))?.seq ?? 0,
  };
  while (acknowledgedByLeader < ORDERS_BEFORE_KILL) await new Promise((resolveWait) => setTimeout(resolveWait, 5));
  const followTo = {
    cpuMs: processCpuMs(standby.child.pid),
    leaderCpuMs: processCpuMs(leader.child.pid),
    seq: (await health(standby))?.seq ?? 0,
  };
  const records = Math.max(1, followTo.seq - followFrom.seq);
  const perRecord = (from: number | null, to: number | null) =>
    from === null || to === null ? "unknown (no /proc)" : `${(((to - from) * 1000) / records).toFixed(0)} µs`;
  const followCost = `${perRecord(followFrom.cpuMs, followTo.cpuMs)} of CPU per record (${records} records; the leader ${perRecord(followFrom.leaderCpuMs, followTo.leaderCpuMs)})`;
  killedAt = performance.now();
  let endedAt = 0;
  const killed = leader.stop("SIGKILL").then(() => {
    endedAt = performance.now();
  });
  target = standby.url;
  let ledAt = 0;
  while (ledAt === 0) {
    if ((await health(standby))?.role === "leader") ledAt = performance.now();
  }
  while (firstByStandby === 0) await new Promise((resolveWait) => setTimeout(resolveWait, 1));
  stop = true;
  await load;
  await killed;
  takeovers.push(ledAt - killedAt);
  servedAgain.push(firstByStandby - killedAt);
  const said = standby.lines.findLast((line) => line.startsWith("role: leader")) ?? "(no role line)";
  console.log(
    `round ${round + 1}: the killed process ended ${(endedAt - killedAt).toFixed(0)} ms after the SIGKILL; the standby said leader ${(ledAt - killedAt).toFixed(0)} ms after it and acknowledged its first order ${(firstByStandby - killedAt).toFixed(0)} ms after it; following had cost the standby ${followCost} (load ${loadavg()[0]!.toFixed(1)}, seq ${(await health(standby))?.seq}); it logged: ${said}`,
  );
  leader = standby;
  if (round < ROUNDS - 1) standby = await startStandby(dir);
}
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
console.log(
  `takeover after a SIGKILL, ${ROUNDS} rounds: leader ${sorted(takeovers)
    .map((v) => v.toFixed(0))
    .join(", ")} ms; first order acknowledged ${sorted(servedAgain)
    .map((v) => v.toFixed(0))
    .join(", ")} ms`,
);
await leader.stop("SIGTERM");
if (standby !== leader) await standby.stop("SIGTERM");
