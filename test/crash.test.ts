/**
 * Crash test: the core runs in a child process on a real SQLite journal; the driver sends commands and records every
 * acknowledgement; the child is killed with SIGKILL at random moments and restarted. After each restart:
 * - every acknowledged command is in the journal, at the seq it was acknowledged with;
 * - the journal verifies from record 1 (hash chain intact, head and snapshot MACs matching, every record's events
 *   reproduced by replay, every snapshot matching the replayed state), so nothing is half-applied;
 * - the state the restarted process recovered (newest snapshot + replay) equals that fresh full replay.
 *
 * The moments of the kills come from a seeded generator; which commands get acknowledged before a kill depends on
 * timing, but every assertion must hold whichever they are. CRASH_ITERATIONS sets the number of kills
 * (scripts/crash-soak.sh runs many).
 */

import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import type { Command } from "../src/engine/commands.ts";
import { verify } from "../src/journal/recovery.ts";
import { SqliteStore } from "../src/journal/sqlite-store.ts";
import { Random } from "../src/simulator/random.ts";
import { CRASH_MAC_KEY } from "./support/crash-key.ts";
import { twoPartyMarket } from "./support/market-commands.ts";

const ITERATIONS = Number(process.env.CRASH_ITERATIONS ?? 20);
const CHILD = resolve(import.meta.dirname, "support/journal-child.ts");
const INSTRUMENT = "PB-KAZGPZ-MNG";

/** Uniform numbers in [0, 1) from the simulator's seeded generator (src/simulator/random.ts), one stream here. */
function uniform(seed: number): () => number {
  const random = new Random(seed, "crash-test");
  return () => random.next();
}

/** The two-party market with a second buyer's account, B2, funded as B1 is. */
const SETUP: Command[] = [
  ...twoPartyMarket(INSTRUMENT),
  { type: "account.open", account: "B2", member: "B" },
  { type: "money.deposit", account: "B2", amount: 900_000_000_000_000, reference: "SETUP-B2" },
];

class Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly acks = new Map<string, number>();
  readonly ready: Promise<{ seq: number; hash: string }>;

  constructor(dir: string) {
    this.process = spawn(process.execPath, ["--import", "tsx", CHILD, dir], { stdio: "pipe" });
    this.process.stdin.on("error", () => undefined); // writes after the kill are expected to fail
    let stderr = "";
    this.process.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const lines = createInterface({ input: this.process.stdout });
    this.ready = new Promise((resolveReady, reject) => {
      this.process.on("exit", (code, signal) => {
        if (signal !== "SIGKILL") reject(new Error(`child exited with ${code ?? signal}: ${stderr}`));
      });
      lines.on("line", (line) => {
        const [kind, a, b] = line.split(" ");
        if (kind === "ready") resolveReady({ seq: Number(a), hash: b! });
        else if (kind === "ack") this.acks.set(a!, Number(b));
        else if (kind === "fail") reject(new Error(`child failed a command: ${line}`));
      });
    });
  }

  send(tag: string, command: Command): void {
    this.process.stdin.write(`${JSON.stringify({ tag, command })}\n`);
  }

  async kill(): Promise<void> {
    const exited = new Promise((resolveExit) => this.process.once("exit", resolveExit));
    this.process.kill("SIGKILL");
    await exited;
  }
}

function commandsFor(iteration: number, random: () => number): { tag: string; command: Command }[] {
  const out: { tag: string; command: Command }[] = SETUP.map((command, i) => ({
    tag: `setup${iteration}-${i}`,
    command,
  }));
  const n = 150 + Math.floor(random() * 250);
  for (let i = 0; i < n; i++) {
    const id = `i${iteration}-o${i}`;
    const r = random();
    let command: Command;
    if (r < 0.45) {
      command = {
        type: "order.new",
        instrument: INSTRUMENT,
        orderId: id,
        account: "P1",
        side: "sell",
        orderType: "limit",
        price: 13_300_000 + Math.floor(random() * 20) * 100,
        quantity: 1000 * (1 + Math.floor(random() * 20)),
      };
    } else if (r < 0.9) {
      command = {
        type: "order.new",
        instrument: INSTRUMENT,
        orderId: id,
        account: random() < 0.5 ? "B1" : "B2",
        side: "buy",
        orderType: "limit",
        price: 13_290_000 + Math.floor(random() * 20) * 100,
        quantity: 1000 * (1 + Math.floor(random() * 20)),
      };
    } else {
      command = { type: "order.cancel", orderId: `i${iteration}-o${Math.floor(random() * Math.max(1, i))}` };
    }
    out.push({ tag: id, command });
  }
  return out;
}

describe("crash recovery", () => {
  it(`loses no acknowledged command across ${ITERATIONS} SIGKILLs`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-crash-"));
    const random = uniform(20_220_104);
    const acknowledged = new Map<string, { seq: number; command: Command }>();
    let killsWithAcks = 0;
    let killsMidStream = 0;
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const child = new Child(dir);
      const ready = await child.ready;
      await checkJournal(dir, acknowledged, ready);
      const commands = commandsFor(iteration, random);
      const killAfterMs = 5 + Math.floor(random() * 60);
      setTimeout(() => void child.kill(), killAfterMs);
      for (const { tag, command } of commands) child.send(tag, command);
      await new Promise((resolveExit) => child.process.once("exit", resolveExit));
      for (const { tag, command } of commands) {
        const seq = child.acks.get(tag);
        if (seq !== undefined) acknowledged.set(tag, { seq, command });
      }
      if (child.acks.size > 0) killsWithAcks++;
      if (child.acks.size > 0 && child.acks.size < commands.length) killsMidStream++;
    }
    const last = new Child(dir);
    const ready = await last.ready;
    await checkJournal(dir, acknowledged, ready);
    await last.kill();
    // The test must have exercised real crashes with acknowledged work, not just empty restarts.
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(killsWithAcks).toBeGreaterThan(0);
    // And at least one kill must have landed while acknowledged and unacknowledged commands were both in flight.
    expect(killsMidStream).toBeGreaterThan(0);
    if (process.env.CRASH_VERBOSE) {
      process.stderr.write(
        `kills ${ITERATIONS}, with acks ${killsWithAcks}, mid-stream ${killsMidStream}, acked ${acknowledged.size}\n`,
      );
    }
  });
});

async function checkJournal(
  dir: string,
  acknowledged: Map<string, { seq: number; command: Command }>,
  ready: { seq: number; hash: string },
): Promise<void> {
  const store = new SqliteStore(dir);
  try {
    const report = await verify(store, { macKeys: [CRASH_MAC_KEY] });
    expect(report.macChecked).toBe(true);
    expect(report.head?.seq ?? 0).toBe(ready.seq);
    expect(report.stateHash).toBe(ready.hash);
    const records = new Map((await store.read(1, Number.MAX_SAFE_INTEGER)).map((r) => [r.seq, r]));
    for (const [tag, { seq, command }] of acknowledged) {
      const record = records.get(seq);
      expect(record, `acknowledged ${tag} at seq ${seq} is missing`).toBeDefined();
      expect(JSON.parse(record!.command), `record ${seq} holds a different command than ${tag}`).toEqual(command);
    }
  } finally {
    await store.close();
  }
}
