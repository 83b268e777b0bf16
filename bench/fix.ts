/**
 * The FIX benchmark (`npm run bench:fix`): how many orders per second the exchange makes durable when members enter
 * them over FIX, and how long each waits for its ExecutionReport, over one FIX session and over 64.
 *
 * Set-up. Each run starts its own exchange with the FIX acceptor in a child process (`fork` of this file with
 * `serve`), so the load generator and the server never share an event loop: a fresh SQLite journal
 * (`synchronous = FULL`, the default group commit), one cleared LPG instrument, 64 members (half producers with gas,
 * half buyers with money), each with an account, a trader and an API key. The acceptor's per-session rate limit is
 * raised out of the way (its default, 1,000 messages per second per session, would otherwise be what is measured).
 *
 * Load. Open loop at a fixed offered rate: op i is due at start + i / rate whether or not earlier ones were answered,
 * and its latency runs from when it was due to its ExecutionReport (no coordinated omission); the pacer wakes every
 * millisecond. Ops go round-robin over the sessions; each member keeps at most `LIVE_ORDERS_PER_MEMBER` orders resting
 * and then cancels its oldest before placing the next, so half the ops are NewOrderSingle (answered by ExecType 0) and
 * half OrderCancelRequest (ExecType 4). Bids below and offers above the reference: order entry, not matching. "Durable
 * ops/s" counts reports received in the measurement window; the journal's own count is printed beside it; latency
 * percentiles are over the ops due in the window, "lost" those of them never answered within `DRAIN_MS`.
 *
 * `BENCH_FIX_RATES=2000,5000` chooses the offered rates, `BENCH_FIX_SESSIONS=1,64` the session counts; `BENCH_FIX_CPU_PROF=DIR` writes a CPU profile of the server.
 * A benchmark prints figures and never fails on speed.
 */

import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Exchange } from "../src/gateway/exchange.ts";
import { encode, type Field, Framer, fieldsText } from "../src/gateway/fix/codec.ts";
import { FixGateway } from "../src/gateway/fix/gateway.ts";
import { utcTimestamp } from "../src/gateway/fix/session.ts";
import { FIX_STORE_FILE_NAME } from "../src/gateway/fix/store.ts";
import { tengeText } from "../src/gateway/fix/units.ts";
import { LIGHT_SCRYPT } from "../src/gateway/passwords.ts";
import { Users } from "../src/gateway/users.ts";
import {
  BENCH_INSTRUMENT as INSTRUMENT,
  openBenchMarket,
  BENCH_REFERENCE_PRICE as REFERENCE_PRICE,
  BENCH_TICK as TICK,
} from "./bench-market.ts";

const MEMBERS = 64;
const LIVE_ORDERS_PER_MEMBER = 40;
const WARMUP_MS = 2000;
const MEASURE_MS = 10_000;
const DRAIN_MS = 15_000;
const SESSION_COUNTS = (process.env.BENCH_FIX_SESSIONS ?? "1,64").split(",").map(Number);
const RATES = (process.env.BENCH_FIX_RATES ?? "1000,2000,5000")
  .split(",")
  .map(Number)
  .filter((rate) => rate > 0);

interface Credentials {
  readonly member: string;
  readonly account: string;
  readonly side: "1" | "2";
  readonly keyId: string;
  readonly secret: string;
}

interface Ready {
  readonly type: "ready";
  readonly port: number;
  readonly members: Credentials[];
}

// ---------------------------------------------------------------------------------------------------------------
// The server (child process).

async function serve(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), "sauda-bench-fix-"));
  const exchange = await Exchange.open({ data: dir });
  const users = new Users(exchange, { scrypt: LIGHT_SCRYPT });
  const members: Credentials[] = (await openBenchMarket(exchange, users, MEMBERS)).map((m) => ({
    member: m.member,
    account: m.account,
    side: m.producer ? "2" : "1",
    keyId: m.keyId,
    secret: m.secret,
  }));
  const fix = await FixGateway.start({
    exchange,
    users,
    storeFile: join(dir, FIX_STORE_FILE_NAME),
    port: 0,
    host: "127.0.0.1",
    messagesPerSecond: 1_000_000,
  });
  process.on("message", (message: { type: string }) => {
    if (message.type === "seq") process.send?.({ type: "seq", seq: exchange.projections.lastSeq });
    if (message.type === "stop") {
      void (async () => {
        await fix.close();
        await exchange.close();
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      })();
    }
  });
  process.send?.({ type: "ready", port: fix.port, members } satisfies Ready);
}

// ---------------------------------------------------------------------------------------------------------------
// The load generator (parent process).

class Server {
  private readonly waiting: ((seq: number) => void)[] = [];
  private constructor(
    readonly child: ChildProcess,
    readonly ready: Ready,
  ) {
    child.on("message", (message: { type: string; seq?: number }) => {
      if (message.type === "seq") this.waiting.shift()?.(message.seq ?? 0);
    });
  }

  static start(): Promise<Server> {
    const profile = process.env.BENCH_FIX_CPU_PROF;
    const execArgv = [...process.execArgv, ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [])];
    const child = fork(fileURLToPath(import.meta.url), ["serve"], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      execArgv,
    });
    return new Promise((resolve, reject) => {
      child.once("message", (message: Ready) => resolve(new Server(child, message)));
      child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    });
  }

  seq(): Promise<number> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send({ type: "seq" });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.send({ type: "stop" });
    });
  }
}

/** One member's FIX session: sends orders and cancels, and calls back with each report's ClOrdID. */
class Session {
  private nextOut = 1;
  private readonly framer = new Framer();
  private loggedOn!: () => void;
  readonly live: string[] = [];
  private counter = 0;

  private constructor(
    private readonly socket: Socket,
    readonly credentials: Credentials,
    private readonly onReport: (clOrdId: string) => void,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      for (const message of this.framer.push(chunk).messages) {
        if (message.type === "A") this.loggedOn();
        else if (message.type === "1") this.send("0", [[112, message.fields.get(112) ?? ""]]);
        else if (message.type === "8") this.onReport(message.fields.get(11) ?? "");
      }
    });
  }

  static async open(port: number, credentials: Credentials, onReport: (clOrdId: string) => void): Promise<Session> {
    const socket = connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const session = new Session(socket, credentials, onReport);
    const ready = new Promise<void>((resolve) => {
      session.loggedOn = resolve;
    });
    session.send("A", [
      [98, "0"],
      [108, "30"],
      [141, "Y"],
      [553, credentials.keyId],
      [554, credentials.secret],
      [9001, "Y"],
    ]);
    await ready;
    return session;
  }

  private send(type: string, body: readonly Field[]): void {
    const header: Field[] = [
      [35, type],
      [49, this.credentials.member],
      [56, "SAUDA"],
      [34, String(this.nextOut++)],
      [52, utcTimestamp(Date.now())],
    ];
    this.socket.write(encode(header, fieldsText(body)), "latin1");
  }

  /** Places a resting order, or cancels the oldest when the member has enough resting; returns the ClOrdID. */
  op(): string {
    const { account, side } = this.credentials;
    const clOrdId = `${this.credentials.member}-${this.counter++}`;
    if (this.live.length >= LIVE_ORDERS_PER_MEMBER) {
      const oldest = this.live.shift()!;
      this.send("F", [
        [11, clOrdId],
        [41, oldest],
        [1, account],
        [55, INSTRUMENT],
        [54, side],
      ]);
      return clOrdId;
    }
    const offset = (1 + (this.counter % 20)) * TICK;
    const price = side === "1" ? REFERENCE_PRICE - offset : REFERENCE_PRICE + offset;
    this.send("D", [
      [11, clOrdId],
      [1, account],
      [55, INSTRUMENT],
      [54, side],
      [40, "2"],
      [44, tengeText(price)],
      [38, "1"],
      [59, "1"],
    ]);
    this.live.push(clOrdId);
    return clOrdId;
  }

  close(): void {
    this.socket.destroy();
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(sessionCount: number, rate: number): Promise<string> {
  const server = await Server.start();
  const due = new Map<string, number>();
  const latencies: number[] = [];
  let measureFrom = 0;
  let measureTo = Number.POSITIVE_INFINITY;
  let acked = 0;
  let lost = 0;
  const onReport = (clOrdId: string) => {
    const dueAt = due.get(clOrdId);
    if (dueAt === undefined) return;
    due.delete(clOrdId);
    const now = performance.now();
    if (now >= measureFrom && now < measureTo) acked++;
    if (dueAt >= measureFrom && dueAt < measureTo) latencies.push(now - dueAt);
  };
  const members = server.ready.members.slice(0, sessionCount);
  const sessions = await Promise.all(members.map((m) => Session.open(server.ready.port, m, onReport)));
  const start = performance.now();
  measureFrom = start + WARMUP_MS;
  measureTo = measureFrom + MEASURE_MS;
  const seqBefore = { value: 0 };
  let seqTaken = false;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (!seqTaken && now >= measureFrom) {
        seqTaken = true;
        void server.seq().then((seq) => {
          seqBefore.value = seq;
        });
      }
      if (now >= measureTo) {
        clearInterval(timer);
        resolve();
        return;
      }
      const target = Math.floor(((now - start) * rate) / 1000);
      for (; sent < target; sent++) {
        const dueAt = start + (sent * 1000) / rate;
        const session = sessions[sent % sessions.length]!;
        due.set(session.op(), dueAt);
      }
    }, 1);
  });
  const seqAfter = await server.seq();
  const drainUntil = performance.now() + DRAIN_MS;
  while (due.size > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
  for (const dueAt of due.values()) if (dueAt >= measureFrom && dueAt < measureTo) lost++;
  for (const session of sessions) session.close();
  await server.stop();
  const sorted = Float64Array.from(latencies).sort();
  const perSecond = Math.round(acked / (MEASURE_MS / 1000));
  const journal = Math.round((seqAfter - seqBefore.value) / (MEASURE_MS / 1000));
  const ms = (value: number) => value.toFixed(1).padStart(7);
  return `${String(sessionCount).padStart(8)} ${String(rate).padStart(8)} ${String(perSecond).padStart(10)} ${String(journal).padStart(9)} ${ms(percentile(sorted, 50))} ${ms(percentile(sorted, 90))} ${ms(percentile(sorted, 99))} ${ms(sorted.at(-1) ?? Number.NaN)} ${String(lost).padStart(6)}`;
}

async function main(): Promise<void> {
  console.log(
    `FIX order entry: NewOrderSingle and OrderCancelRequest answered by durable ExecutionReports (${os.cpus().length} cores)`,
  );
  console.log(`warm-up ${WARMUP_MS} ms, measured ${MEASURE_MS} ms per run; latency from the op's due time, in ms`);
  console.log("sessions  offered  durable/s journal/s     p50     p90     p99     max   lost");
  for (const sessions of SESSION_COUNTS) {
    for (const rate of RATES) console.log(await run(sessions, rate));
  }
}

if (process.argv[2] === "serve") {
  void serve();
} else {
  void main();
}
