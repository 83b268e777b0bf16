/**
 * `sauda surveil` as a command: over a history file (and standard input), with a configuration, refusing a bad line
 * with its number and printing nothing, exit codes; and over a journal: the same history run through the real engine
 * (sequencer, SQLite, and PostgreSQL when reachable) gives exactly the alerts the file gives, and the engine's trades
 * are the file's trades. A damaged journal is refused as `sauda verify` refuses it.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main.ts";
import { SurveilInputError, type SurveilOptions, surveilCommand } from "../src/cli/surveil.ts";
import type { Command } from "../src/engine/commands.ts";
import { Engine } from "../src/engine/engine.ts";
import type { EngineEvent } from "../src/engine/events.ts";
import { PostgresStore } from "../src/journal/postgres-store.ts";
import { Sequencer } from "../src/journal/sequencer.ts";
import { SqliteStore } from "../src/journal/sqlite-store.ts";
import type { JournalStore } from "../src/journal/store.ts";
import {
  account,
  amend,
  at,
  cancel,
  type Line,
  member,
  order,
  session,
  trade,
} from "../src/surveillance/test-harness.ts";
import { dropSchema, postgresForSuite, TEST_DATABASE_URL, testSchema } from "./support/postgres.ts";

const BIN = resolve(import.meta.dirname, "../bin/sauda.js");
const LIMITS = { upper: 130_000, lower: 100_000 };

/**
 * One instrument, three daily sessions, named as a journal names them (I1:1, I1:2, I1:3). Every trade line is what the
 * engine does with the orders before it (price-time priority, the resting order's price).
 */
const HISTORY: Line[] = [
  member("M1", "G1"),
  member("M2", "G1"),
  member("M3"),
  member("M4"),
  member("M5"),
  account("A1", "M1"),
  account("A2", "M2"),
  account("A3", "M3"),
  account("A4", "M4"),
  account("A5", "M5"),
  session("I1:1", "I1", 0, LIMITS),
  session("I1:2", "I1", 1, LIMITS),
  session("I1:3", "I1", 2, LIMITS),
  // Day 1: a wash trade inside group G1; M3 buys 400 of 420 t from M5; A3 and A4 bid 110,000 half a second apart;
  // A4 bids at the upper limit.
  order(at("10:00:00", 0), "I1:1", "w1", "A1", "sell", 121_000, 20),
  order(at("10:00:01", 0), "I1:1", "w2", "A2", "buy", 121_000, 20),
  trade(at("10:00:01", 0), "I1:1", "w2", "w1", 121_000, 20),
  order(at("10:30:00", 0), "I1:1", "c1", "A5", "sell", 120_000, 400),
  order(at("10:30:01", 0), "I1:1", "c2", "A3", "buy", 120_000, 400),
  trade(at("10:30:01", 0), "I1:1", "c2", "c1", 120_000, 400),
  order(at("11:00:00", 0), "I1:1", "k1", "A3", "buy", 110_000, 10),
  order(at("11:00:00.500", 0), "I1:1", "k2", "A4", "buy", 110_000, 10),
  order(at("16:00:00", 0), "I1:1", "l1", "A4", "buy", 130_000, 10),
  // Day 2: A5 offers 300 t, gets its small bid filled, and cancels the offer 30 s later; the same bids as day 1.
  order(at("10:00:00", 1), "I1:2", "r1", "A5", "buy", 105_000, 10),
  order(at("10:01:00", 1), "I1:2", "sp", "A5", "sell", 129_000, 300),
  order(at("10:01:10", 1), "I1:2", "h1", "A3", "sell", 105_000, 10),
  trade(at("10:01:10", 1), "I1:2", "r1", "h1", 105_000, 10),
  cancel(at("10:01:30", 1), "sp"),
  order(at("11:00:00", 1), "I1:2", "k3", "A4", "buy", 110_000, 10),
  order(at("11:00:00.900", 1), "I1:2", "k4", "A3", "buy", 110_000, 10),
  order(at("16:00:00", 1), "I1:2", "l2", "A4", "buy", 130_000, 10),
  // Day 3: the bids again, and M4's software sends three messages in 800 ms.
  order(at("11:00:00", 2), "I1:3", "k5", "A3", "buy", 110_000, 10),
  order(at("11:00:01", 2), "I1:3", "k6", "A4", "buy", 110_000, 10),
  order(at("12:00:00", 2), "I1:3", "x1", "A4", "buy", 101_000, 5),
  amend(at("12:00:00.400", 2), "x1", { price: 102_000 }),
  cancel(at("12:00:00.800", 2), "x1"),
  order(at("16:00:00", 2), "I1:3", "l3", "A4", "buy", 130_000, 10),
];

const dir = mkdtempSync(join(tmpdir(), "sauda-surveil-"));
const historyFile = join(dir, "history.jsonl");
writeFileSync(historyFile, `${HISTORY.map((l) => JSON.stringify(l)).join("\n")}\n`);

/**
 * A process start costs seconds, and a minute or more on a loaded machine: only two tests start one (the command as
 * installed, and standard input), with room for that; the rest run `main` in this process.
 */
const PROCESS_TEST_TIMEOUT_MS = 300_000;

/** Runs `sauda` in a child process. */
function sauda(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `sauda` through `main` in this process: its exit code and what it wrote. */
async function saudaHere(args: string[]) {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** Runs the command in this process: its exit code, output and error lines. */
async function surveil(file: string | undefined, options: SurveilOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  try {
    const status = await surveilCommand(
      file,
      options,
      (l) => out.push(l),
      (l) => err.push(l),
    );
    return { status, stdout: out.map((l) => `${l}\n`).join(""), stderr: err.join("\n") };
  } catch (error) {
    if (error instanceof SurveilInputError) return { status: 2, stdout: out.join(""), stderr: error.message };
    throw error;
  }
}

const printed = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** The history as engine commands at their times: listing, members, groups, accounts, limits, phases, orders. */
function commandsOf(lines: readonly Line[]): { timeMs: number; command: Command }[] {
  const timeline: { timeMs: number; rank: number; index: number; command: Command }[] = [];
  const instruments = new Set<string>();
  let index = 0;
  const push = (timeMs: number, rank: number, command: Command) =>
    timeline.push({ timeMs, rank, index: index++, command });
  for (const line of lines) {
    switch (line.type) {
      case "member":
        push(0, 0, {
          type: "member.add",
          member: String(line.member),
          name: String(line.member),
          roles: ["producer", "buyer"],
          buyerCategory: "wholesaler",
        });
        if (typeof line.group === "string") {
          push(0, 0, {
            type: "member.group",
            member: String(line.member),
            group: line.group,
            evidence: "register extract 1",
            reason: "one owner",
          });
        }
        break;
      case "account":
        push(0, 0, { type: "account.open", account: String(line.account), member: String(line.member) });
        break;
      case "session": {
        const instrument = String(line.instrument);
        if (!instruments.has(instrument)) {
          instruments.add(instrument);
          push(0, 0, { type: "instrument.list", instrument, mode: "continuous", tickSize: 100, lotSize: 1000 });
        }
        const openMs = Date.parse(String(line.open));
        const limit = (value: unknown) => (typeof value === "number" ? value * 100 : null);
        push(openMs, 0, {
          type: "safeguards.set",
          instrument,
          changes: { ceiling: limit(line.upperLimit), floor: limit(line.lowerLimit) },
          reason: "the session's limits",
        });
        push(openMs, 0, { type: "phase.set", instrument, phase: "continuous" });
        push(Date.parse(String(line.close)), 2, { type: "phase.set", instrument, phase: "closed" });
        break;
      }
      case "order":
        push(Date.parse(String(line.time)), 1, {
          type: "order.new",
          instrument: String(line.session).split(":")[0]!,
          orderId: String(line.order),
          account: String(line.account),
          side: line.side as "buy" | "sell",
          orderType: "limit",
          price: Number(line.price) * 100,
          quantity: Number(line.quantity) * 1000,
          tif: "DAY",
        });
        break;
      case "amend":
        push(Date.parse(String(line.time)), 1, {
          type: "order.amend",
          orderId: String(line.order),
          ...(line.price === undefined ? {} : { price: Number(line.price) * 100 }),
          ...(line.quantity === undefined ? {} : { quantity: Number(line.quantity) * 1000 }),
        });
        break;
      case "cancel":
        push(Date.parse(String(line.time)), 1, { type: "order.cancel", orderId: String(line.order) });
        break;
      default: // trades are the engine's to make
    }
  }
  timeline.sort((a, b) => a.timeMs - b.timeMs || a.rank - b.rank || a.index - b.index);
  return timeline.map(({ timeMs, command }) => ({ timeMs, command }));
}

/** Runs the history's commands through a sequencer into `store`; returns the engine's trades as history lines. */
async function journal(store: JournalStore): Promise<Line[]> {
  let now = 0;
  const sequencer = new Sequencer(new Engine(), store, null, { clock: () => now, snapshotEveryCommands: 10 });
  const trades: Line[] = [];
  for (const { timeMs, command } of commandsOf(HISTORY)) {
    now = timeMs;
    const outcome = await sequencer.submit(command);
    const refused = outcome.events.filter((e: EngineEvent) => e.type === "rejected");
    expect(refused, JSON.stringify(command)).toEqual([]);
    for (const e of outcome.events) {
      if (e.type !== "trade") continue;
      const sessionOf = (id: string) => String(HISTORY.find((l) => l.type === "order" && l.order === id)!.session);
      trades.push(
        trade(
          new Date(outcome.timeMs).toISOString(),
          sessionOf(e.buyOrderId),
          e.buyOrderId,
          e.sellOrderId,
          e.price / 100,
          e.quantity / 1000,
        ),
      );
    }
  }
  await sequencer.stop();
  await store.close();
  return trades;
}

describe("sauda surveil FILE.jsonl", () => {
  it("prints one alert per line and exits 0", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
    const { status, stdout, stderr } = sauda(["surveil", historyFile]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const alerts = printed(stdout);
    expect(alerts.map((a) => [a.rule, a.session ?? a.sessions, a.side ?? null, a.accounts])).toEqual([
      ["wash-trade", "I1:1", null, ["A1", "A2"]],
      ["concentration", "I1:1", "buy", ["A3"]],
      ["concentration", "I1:1", "sell", ["A5"]],
      ["coordinated-bidding", ["I1:1", "I1:2", "I1:3"], "buy", ["A3", "A4"]],
      ["spoofing", "I1:2", "sell", ["A5"]],
      ["price-limit-bidding", ["I1:1", "I1:2", "I1:3"], "buy", ["A4"]],
      ["automated-entry", "I1:3", null, ["A4"]],
    ]);
    expect(alerts[4]).toEqual({
      rule: "spoofing",
      session: "I1:2",
      instrument: "I1",
      side: "sell",
      accounts: ["A5"],
      members: ["M5"],
      groups: ["M5"],
      sessions: ["I1:2"],
      from: "2026-01-06T10:01:00.000Z",
      to: "2026-01-06T10:01:30.000Z",
      orders: ["r1", "sp"],
      figures: {
        spoofOrders: 1,
        quantityMaxTonnes: 300,
        sessionMedianTonnes: 10,
        lifeMaxMs: 30_000,
        oppositeFills: 1,
        oppositeFilledTonnes: 10,
      },
    });
  });

  it("reads standard input for -", { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const { status, stdout } = sauda(["surveil", "-"], HISTORY.map((l) => JSON.stringify(l)).join("\n"));
    expect(status).toBe(0);
    expect(stdout).toBe((await surveil(historyFile)).stdout);
  });

  it("exits 0 and prints nothing when nothing is found", async () => {
    const file = join(dir, "quiet.jsonl");
    writeFileSync(file, `${JSON.stringify(member("M1"))}\n`);
    expect(await surveil(file)).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("refuses a line that breaks the format with its number, prints nothing and exits 2", async () => {
    const lines = HISTORY.map((l) => JSON.stringify(l));
    lines.splice(20, 0, '{"type":"cancel","time":"2026-01-05T12:00:00.000Z"}');
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, lines.join("\n"));
    const { status, stdout, stderr } = await saudaHere(["surveil", file]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`sauda surveil: ${file} line 21: a cancel line needs the field 'order'\n`);
  });

  it("takes thresholds from --config, and refuses a bad configuration with exit 2", async () => {
    const config = join(dir, "config.json");
    writeFileSync(
      config,
      JSON.stringify({ concentration: { quantityAboveKg: 400_000 }, washTrade: { enabled: false } }),
    );
    const alerts = printed((await surveil(historyFile, { config })).stdout);
    expect(alerts.map((a) => a.rule)).toEqual([
      "coordinated-bidding",
      "spoofing",
      "price-limit-bidding",
      "automated-entry",
    ]);
    writeFileSync(config, JSON.stringify({ spoofing: { lifeMsMax: -1 } }));
    const bad = await surveil(historyFile, { config });
    expect([bad.status, bad.stdout]).toEqual([2, ""]);
    expect(bad.stderr).toContain("spoofing.lifeMsMax is -1; it must be a whole number from 0 to 86400000");
  });

  it("exits 2 without a history, with two histories, or with a file that is not there", async () => {
    expect((await saudaHere(["surveil"])).status).toBe(2);
    expect((await saudaHere(["surveil", historyFile, "--journal", dir])).status).toBe(2);
    const missing = await saudaHere(["surveil", join(dir, "none.jsonl")]);
    expect([missing.status, missing.stdout]).toEqual([2, ""]);
    expect(missing.stderr).toContain("no such file");
    const noJournal = await saudaHere(["surveil", "--journal", join(dir, "nothing-here")]);
    expect([noJournal.status, noJournal.stderr]).toEqual([
      2,
      `sauda surveil: no journal at ${join(dir, "nothing-here", "sauda.sqlite")}\n`,
    ]);
  });
});

describe("sauda surveil --journal / --database", () => {
  const fileOutput = async () => (await surveil(historyFile)).stdout;

  it("the history run through the engine into a SQLite journal gives the file's trades and the file's alerts", async () => {
    const data = join(dir, "journal");
    const trades = await journal(new SqliteStore(data));
    expect(trades).toEqual(HISTORY.filter((l) => l.type === "trade"));
    const { status, stdout, stderr } = await surveil(undefined, { journal: data });
    expect([status, stderr]).toEqual([0, ""]);
    expect(stdout).toBe(await fileOutput());
    expect(printed(stdout)).toHaveLength(7);
  });

  it("refuses a damaged journal as sauda verify does, printing no alert", async () => {
    const data = join(dir, "damaged");
    await journal(new SqliteStore(data));
    const store = new SqliteStore(data);
    store.unsafeExec(
      `UPDATE journal SET command = replace(command, '"price":13000000', '"price":12900000') WHERE command LIKE '%"l2"%'`,
    );
    await store.close();
    const { status, stdout, stderr } = await surveil(undefined, { journal: data });
    expect([status, stdout]).toEqual([1, ""]);
    expect(stderr).toMatch(/^journal sqlite .*: BAD — record \d+: damaged: its hash does not continue/);
  });

  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });

  it("the same over a PostgreSQL journal", async (context) => {
    if (!(await postgresForSuite("sauda surveil --database"))) {
      context.skip();
      return;
    }
    const schema = testSchema("surveil");
    schemas.push(schema);
    await journal(await PostgresStore.open(TEST_DATABASE_URL, schema));
    const { status, stdout, stderr } = await surveil(undefined, { database: TEST_DATABASE_URL, schema });
    expect([status, stderr]).toEqual([0, ""]);
    expect(stdout).toBe(await fileOutput());
  });
});
