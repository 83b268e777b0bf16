/**
 * The server benchmark (`npm run bench:server`): how many orders per second the whole exchange makes durable when
 * members trade over WebSocket and over REST on loopback, and how long each order waits for its acknowledgement.
 *
 * Set-up. Each run starts its own server in a child process (`child_process.fork` of this file with `serve`), so the
 * load generator and the server never share an event loop (on a two-core machine each gets a core) and an overloaded
 * run's backlog cannot spill into the next. The child opens a fresh exchange
 * (SQLite journal in a temporary directory, `synchronous = FULL`, the default group commit), lists one cleared LPG
 * instrument and accredits 128 members, half producers with gas and half buyers with money, each with an account, a
 * trader and an API key — all by submitting commands straight to the exchange before the server starts listening.
 *
 * Load. Open loop at a fixed offered rate: op i is due at start + i / rate whether or not earlier ones were answered,
 * and its latency runs from when it was due (not when it was sent) to its ack, so a stalled server shows as latency
 * instead of hiding behind a slower sender (no coordinated omission). The pacer wakes every millisecond, so latency
 * includes up to about a millisecond of the generator's own scheduling. Ops go round-robin over the members; each
 * member keeps at most `LIVE_ORDERS_PER_MEMBER` orders resting and, once there, cancels its oldest before placing the
 * next, so half the ops are new orders and half cancels. Bids are below and offers above the reference price: the load
 * is order entry and cancellation, not matching (bench:engine measures matching). Every op is an order message
 * answered only after the journal holds it; "durable ops/s" counts acks received in the measurement window, and the
 * journal's own count (seq advanced in the child) is printed beside it. Four public sockets watch the book, trades and
 * quote throughout, so the stream fan-out runs too.
 * - WebSocket: one socket per member, signed with its API key, with cancel-on-disconnect (closing the sockets after a
 *   run cancels what rests); 5,000, 25,000 and 50,000 ops/s offered.
 * - REST: signed API-key requests (POST /api/orders, DELETE …/orders/:id) over 64 keep-alive connections; lower rates,
 *   since each request carries HTTP and signature costs the socket pays once.
 *
 * CPU. Beside the rates, each run prints the server's CPU time per journal record in the window: its main thread's
 * (Linux per-thread counters; the thread that runs HTTP, WebSocket, sequencer, engine and read models, so the one whose
 * time bounds throughput) and the whole process's (with the journal's writer and hashing threads). On a shared machine
 * these are the honest figures; rates and latencies move with the load average, printed with them.
 * Beside those, the CPU per record of each other thread that did work, by the name it gives itself
 * (src/journal/thread-name.js): "node" for V8's helpers, which collect garbage, and libuv's; sauda-journal for the
 * journal's writer; sauda-engine-sn and sauda-views-sn for the engine's and the read models' snapshot threads, each
 * following the journal, with the threads they started (their stores' writers carry their names).
 * The server's exchange is opened as `sauda serve` opens it, its snapshot threads started with it
 * (`snapshotThreadsAtStart`; before 6 December 2026 they started half way into their first interval, the read models'
 * at record 50,000, inside the window at 5,000/s).
 * `BENCH_SERVER_EXCHANGE='{"engineSnapshotEveryRecords":0}'` (JSON) passes options to the server's `Exchange.open`, to
 * see what a thread costs by running without it (`{"snapshotThreadsAtStart":false}`: started as before).
 * `BENCH_SERVER_CPU_PROF=DIR` profiles the server (node --cpu-prof) and writes, beside the profile, when each journal
 * sample was taken; `node --import tsx bench/profile-summary.ts PROFILE --window DIR/samples-PID.jsonl --per-op`
 * then summarises self time by function inside the measurement window.
 *
 * Goals reported against (never enforced: a benchmark prints figures and does not fail on speed): 50,000 orders/s
 * over WebSocket, and p99 under 10 ms at 25,000 orders/s offered, on a two-core machine.
 */

import { type ChildProcess, fork } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { Session } from "node:inspector/promises";
import os from "node:os";
import { join } from "node:path";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { Exchange } from "../src/gateway/exchange.ts";
import { LIGHT_SCRYPT } from "../src/gateway/passwords.ts";
import { buildServer } from "../src/gateway/server.ts";
import { sign } from "../src/gateway/signing.ts";
import { Users } from "../src/gateway/users.ts";
import {
  BENCH_INSTRUMENT as INSTRUMENT,
  BENCH_LOT_KG as LOT_KG,
  openBenchMarket,
  BENCH_REFERENCE_PRICE as REFERENCE_PRICE,
  BENCH_TICK as TICK,
} from "./bench-market.ts";

const MEMBERS = 128;
const LIVE_ORDERS_PER_MEMBER = 40;
/**
 * `BENCH_SERVER_WARMUP_MS` (default 2,000): ops sent before the window. The server starts its snapshot threads once
 * half their first interval of records has passed (the engine's at 5,000 records, the read models' at 50,000), and
 * each then loads its code and catches up with the journal for seconds; at 5,000/s a warm-up of 14,000 ms has both
 * running and caught up before the window, so the window measures the steady state instead of those start-ups.
 */
const WARMUP_MS = Number(process.env.BENCH_SERVER_WARMUP_MS ?? 2000);
if (!Number.isSafeInteger(WARMUP_MS) || WARMUP_MS < 0)
  throw new Error("BENCH_SERVER_WARMUP_MS is a whole number of ms");
const MEASURE_MS = 10_000;
/** After the last op is sent, how long to wait for its answer before counting it lost. */
const DRAIN_MS = 15_000;
const REST_CONNECTIONS = 64;
/** Offered rates (ops/s); override with comma lists in BENCH_SERVER_WS_RATES and BENCH_SERVER_REST_RATES. */
const WS_RATES = rates(process.env.BENCH_SERVER_WS_RATES, [5_000, 25_000, 50_000]);
const REST_RATES = rates(process.env.BENCH_SERVER_REST_RATES, [1_000, 2_500, 5_000]);
/**
 * `BENCH_SERVER_WS_WINDOW=N`: a WebSocket member sends nothing more while N of its ops are unanswered (ops due then
 * are skipped and counted), so the server runs at its own pace without a backlog. On a machine too loaded to keep up
 * with the offered rate, the CPU per op is then that of the steady state, not of a server buried in its backlog.
 */
/** `BENCH_SERVER_TIMELINE=1`: also print the p99 and the maximum of each second of the window, to see when it stalls. */
const TIMELINE = process.env.BENCH_SERVER_TIMELINE === "1";
const WS_WINDOW = Number(process.env.BENCH_SERVER_WS_WINDOW ?? "0");
/** A directory for a CPU profile of the server process (node --cpu-prof), to see where its time goes. */
const PROFILE_DIR = process.env.BENCH_SERVER_CPU_PROF;
/**
 * A directory for a sampling heap profile of the server inside the measurement window (V8's HeapProfiler through the
 * inspector, one sample per `HEAP_SAMPLE_INTERVAL_BYTES` allocated on average), to see what allocates per order;
 * `node --import tsx bench/heap-summary.ts PROFILE --per-op N` summarises it.
 */
const HEAP_PROFILE_DIR = process.env.BENCH_SERVER_HEAP_PROF;
const HEAP_SAMPLE_INTERVAL_BYTES = 8192;

function rates(text: string | undefined, fallback: number[]): number[] {
  if (text === undefined) return fallback;
  return text
    .split(",")
    .filter((part) => part.trim() !== "")
    .map(Number)
    .filter((rate) => Number.isSafeInteger(rate) && rate > 0);
}
const WATCHERS = 4;

interface Credentials {
  readonly member: string;
  readonly account: string;
  readonly side: "buy" | "sell";
  readonly keyId: string;
  readonly secret: string;
}

/** The server's journal position and CPU time so far, sampled at the edges of the measurement window. */
interface Sample {
  readonly type: "seq";
  readonly seq: number;
  /**
   * CPU time of the server's main thread alone (the event loop that runs HTTP, WebSocket, sequencer and engine), from
   * Linux's per-thread counters (10 ms ticks); null elsewhere. The journal writer and reader are worker threads.
   */
  readonly mainCpuUs: number | null;
  /** CPU time of the whole server process, every thread (process.cpuUsage). */
  readonly processCpuUs: number;
  /** Garbage collections so far on the main thread (V8's gc performance entries): scavenges and the rest. */
  readonly gc: GcCount;
  /** CPU time (µs) of each of the process's threads but the main one, by Linux task id (empty elsewhere). */
  readonly threadCpuUs: Readonly<Record<string, number>>;
  /** The name of each of those threads (src/journal/thread-name.js; "node" for V8's helpers and libuv's). */
  readonly threadNames: Readonly<Record<string, string>>;
}

interface GcCount {
  /** Young-generation collections (scavenges): the cost of short-lived garbage made per order. */
  readonly minor: number;
  /** Old-generation collections (mark-sweep-compact, incremental marking steps, weak callbacks). */
  readonly major: number;
  /** Time the main thread spent in scavenges (wall time: on a loaded machine it includes time waiting for a core). */
  readonly minorUs: number;
  /** Time spent in the other collections, by their entries' durations (wall time). */
  readonly majorUs: number;
}

/** The server's own tally of its collections; `gcNow` reads it at each sample. */
const gcTally = { minor: 0, major: 0, minorUs: 0, majorUs: 0 };

function countCollections(): void {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gcTally.minor++;
        gcTally.minorUs += entry.duration * 1000;
      } else {
        gcTally.major++;
        gcTally.majorUs += entry.duration * 1000;
      }
    }
  }).observe({ entryTypes: ["gc"] });
}

/** Clock ticks per second of /proc's CPU counters (USER_HZ, 100 on every Linux this runs on). */
const PROC_TICKS_PER_SECOND = 100;

function cpuNow(): Omit<Sample, "type" | "seq"> {
  const usage = process.cpuUsage();
  let mainCpuUs: number | null = null;
  try {
    // The main thread's task id is the process id; fields 14 and 15 are utime and stime (after the ")" of comm).
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    mainCpuUs = ((Number(fields[11]) + Number(fields[12])) * 1e6) / PROC_TICKS_PER_SECOND;
  } catch {
    mainCpuUs = null;
  }
  const threadCpuUs: Record<string, number> = {};
  const threadNames: Record<string, string> = {};
  try {
    for (const tid of readdirSync("/proc/self/task")) {
      if (tid === String(process.pid)) continue;
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      threadCpuUs[tid] = ((Number(fields[11]) + Number(fields[12])) * 1e6) / PROC_TICKS_PER_SECOND;
      // The name between the parentheses of stat (as /proc's comm holds it).
      threadNames[tid] = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    }
  } catch {
    // Not Linux, or a thread that ended between the listing and the read: no per-thread figures this time.
  }
  return { mainCpuUs, processCpuUs: usage.user + usage.system, gc: { ...gcTally }, threadCpuUs, threadNames };
}

interface Ready {
  readonly type: "ready";
  readonly port: number;
  readonly members: Credentials[];
}

// ---------------------------------------------------------------------------------------------------------------
// The server (child process).

async function serve(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), "sauda-bench-server-"));
  // As `sauda serve` opens it (snapshot threads at its start); BENCH_SERVER_EXCHANGE may say otherwise.
  const exchange = await Exchange.open({
    data: dir,
    snapshotThreadsAtStart: true,
    ...JSON.parse(process.env.BENCH_SERVER_EXCHANGE ?? "{}"),
  });
  const users = new Users(exchange, { scrypt: LIGHT_SCRYPT });
  const members: Credentials[] = (await openBenchMarket(exchange, users, MEMBERS)).map((m) => ({
    member: m.member,
    account: m.account,
    side: m.producer ? "sell" : "buy",
    keyId: m.keyId,
    secret: m.secret,
  }));

  const app = await buildServer({
    exchange,
    users,
    logger: false,
    ratePerMinute: 1_000_000_000,
    ratePerMinutePublic: 1_000_000_000,
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  countCollections();
  const heap = HEAP_PROFILE_DIR === undefined ? null : new Session();
  heap?.connect();
  // The generator samples the journal before the run, at the window's start and at its end (then while draining).
  let samples = 0;
  let windowStartSeq = 0;
  process.on("message", (message: { type: string }) => {
    if (message.type === "seq") {
      samples++;
      process.send?.({ type: "seq", seq: exchange.projections.lastSeq, ...cpuNow() } satisfies Sample);
      if (heap !== null && samples === 2) {
        windowStartSeq = exchange.projections.lastSeq;
        void heap.post("HeapProfiler.startSampling", {
          samplingInterval: HEAP_SAMPLE_INTERVAL_BYTES,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      }
      if (heap !== null && samples === 3) {
        const records = exchange.projections.lastSeq - windowStartSeq;
        void heap.post("HeapProfiler.stopSampling").then(({ profile }) => {
          const file = join(HEAP_PROFILE_DIR!, `heap-${process.pid}-${records}records.heapprofile`);
          writeFileSync(file, JSON.stringify(profile));
        });
      }
      // Beside a CPU profile, when each sample was taken (µs on the profile's monotonic clock): the measurement window
      // is between the last two, so a summary of the profile can leave out the set-up, the drain and the shutdown.
      if (PROFILE_DIR) {
        const line = `${JSON.stringify({ seq: exchange.projections.lastSeq, timeUs: Number(process.hrtime.bigint() / 1000n) })}\n`;
        appendFileSync(join(PROFILE_DIR, `samples-${process.pid}.jsonl`), line);
      }
    }
    if (message.type === "stop") {
      void (async () => {
        await app.close();
        await exchange.close();
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      })();
    }
  });
  process.send?.({ type: "ready", port, members } satisfies Ready);
}

// ---------------------------------------------------------------------------------------------------------------
// The load generator (parent process).

class Server {
  private readonly waiting: ((message: Sample) => void)[] = [];
  private constructor(
    readonly child: ChildProcess,
    readonly ready: Ready,
  ) {
    child.on("message", (message: Sample) => {
      if (message.type === "seq") this.waiting.shift()?.(message);
    });
  }

  static start(): Promise<Server> {
    const execArgv = [...process.execArgv, ...(PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [])];
    const child = fork(fileURLToPath(import.meta.url), ["serve"], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      execArgv,
    });
    return new Promise((resolve, reject) => {
      child.once("message", (message: Ready) => resolve(new Server(child, message)));
      child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    });
  }

  sample(): Promise<Sample> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send({ type: "seq" });
    });
  }

  async seq(): Promise<number> {
    return (await this.sample()).seq;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.send({ type: "stop" });
    });
  }
}

/** Latencies and outcomes of one run. */
class Recorder {
  readonly latenciesMs: number[] = [];
  /** The measured latencies by the second of the window their op was due in (for `BENCH_SERVER_TIMELINE=1`). */
  readonly bySecond: number[][] = [];
  acked = 0;
  ackedInWindow = 0;
  readonly errors = new Map<string, number>();
  windowStartNs = 0n;
  windowEndNs = 0n;

  /** `dueNs` is when the op was due; only ops due inside the window are measured. */
  answered(dueNs: bigint, code: string | null): void {
    const now = process.hrtime.bigint();
    const measured = dueNs >= this.windowStartNs && dueNs < this.windowEndNs;
    if (now >= this.windowStartNs && now < this.windowEndNs) this.ackedInWindow++;
    if (code !== null) {
      this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
      return;
    }
    this.acked++;
    if (!measured) return;
    const ms = Number(now - dueNs) / 1e6;
    this.latenciesMs.push(ms);
    const second = Number((dueNs - this.windowStartNs) / 1_000_000_000n);
    const inSecond = this.bySecond[second] ?? [];
    inSecond.push(ms);
    this.bySecond[second] = inSecond;
  }
}

interface Member extends Credentials {
  /** Client order ids are `<run>-<n>`: unique across runs, so no order is taken for a retry of an earlier one. */
  readonly run: string;
  next: number;
  readonly live: string[];
}

/** What to send next for a member: a new order, or a cancel of its oldest once it has enough resting. */
function nextOp(member: Member): { kind: "new" | "cancel"; clientOrderId: string; price: number } {
  if (member.live.length >= LIVE_ORDERS_PER_MEMBER) {
    return { kind: "cancel", clientOrderId: member.live.shift()!, price: 0 };
  }
  const n = member.next++;
  const clientOrderId = `${member.run}-${n}`;
  member.live.push(clientOrderId);
  // Spread over 100 ticks away from the reference, never crossing: bids below, offers above.
  const away = (1 + ((n * 37) % 100)) * TICK * 10;
  const price = member.side === "buy" ? REFERENCE_PRICE - away : REFERENCE_PRICE + away;
  return { kind: "new", clientOrderId, price };
}

function members(ready: Ready, run: string): Member[] {
  return ready.members.map((m) => ({ ...m, run, next: 0, live: [] }));
}

/** Runs an open-loop schedule: `send(i, dueNs)` for op i at `rate` per second for warm-up plus the window. */
async function pace(rate: number, recorder: Recorder, send: (i: number, dueNs: bigint) => void): Promise<number> {
  const startNs = process.hrtime.bigint();
  const totalMs = WARMUP_MS + MEASURE_MS;
  recorder.windowStartNs = startNs + BigInt(WARMUP_MS) * 1_000_000n;
  recorder.windowEndNs = startNs + BigInt(totalMs) * 1_000_000n;
  const total = Math.floor((rate * totalMs) / 1000);
  const nsPerOp = 1e9 / rate;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsedNs = Number(process.hrtime.bigint() - startNs);
      const due = Math.min(total, Math.floor(elapsedNs / nsPerOp) + 1);
      for (; sent < due; sent++) send(sent, startNs + BigInt(Math.round(sent * nsPerOp)));
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  return sent;
}

/** Waits until the journal stops moving (the cancels of the sockets just closed are in). */
async function quiet(server: Server): Promise<void> {
  let last = -1;
  for (let i = 0; i < 240; i++) {
    const seq = await server.seq();
    if (seq === last) return;
    last = seq;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A member's socket, signed with its key; cancel-on-disconnect clears its resting orders when the run ends. */
function connectSigned(port: number, member: Credentials): Promise<WebSocket> {
  const path = "/api/stream?cancelOnDisconnect=true";
  const timestampMs = Date.now();
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, {
    headers: {
      "x-sauda-key": member.keyId,
      "x-sauda-timestamp": String(timestampMs),
      "x-sauda-signature": sign(member.secret, timestampMs, "GET", path, ""),
    },
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Public sockets watching book, trades and quote for the whole run; returns a counter and a closer. */
async function watch(port: number): Promise<{ updates: () => number; close: () => void }> {
  let updates = 0;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < WATCHERS; i++) {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/stream`, { perMessageDeflate: false });
    await new Promise((resolve) => socket.once("open", resolve));
    socket.on("message", (data) => {
      if (String(data).startsWith('{"type":"update"')) updates++;
    });
    for (const channel of ["book", "trades", "quote"]) {
      socket.send(JSON.stringify({ op: "subscribe", channel, instrument: INSTRUMENT }));
    }
    sockets.push(socket);
  }
  return {
    updates: () => updates,
    close: () => {
      for (const socket of sockets) socket.close();
    },
  };
}

interface RunResult {
  readonly name: string;
  readonly offered: number;
  readonly sent: number;
  readonly recorder: Recorder;
  readonly journalOpsPerSecond: number;
  readonly watcherUpdates: number;
  readonly lost: number;
  /** Ops not sent because their member's window was full (`BENCH_SERVER_WS_WINDOW`). */
  readonly skipped: number;
  /** Server CPU per journal record (per order op) in the window. */
  readonly cpu: {
    readonly mainUsPerOp: number | null;
    readonly processUsPerOp: number;
    /** Scavenges and other collections per 1,000 records, and the time spent in each kind per record. */
    readonly scavengesPerThousandOps: number;
    readonly majorPerThousandOps: number;
    readonly scavengeUsPerOp: number;
    readonly majorUsPerOp: number;
    /**
     * Each thread other than the main one that used 0.5 µs or more per record, in the order the threads were made,
     * with its name.
     */
    readonly otherThreadsUsPerOp: readonly { readonly name: string; readonly us: number }[];
  } | null;
  /** The machine's 1-minute load average when the run ended. */
  readonly loadAverage: number;
}

/** Server CPU time per record the journal took in the window, from the samples at its edges. */
function cpuPerOp(samples: readonly Sample[]): RunResult["cpu"] {
  const [from, to] = samples;
  if (from === undefined || to === undefined || to.seq === from.seq) return null;
  const ops = to.seq - from.seq;
  return {
    mainUsPerOp: from.mainCpuUs === null || to.mainCpuUs === null ? null : (to.mainCpuUs - from.mainCpuUs) / ops,
    processUsPerOp: (to.processCpuUs - from.processCpuUs) / ops,
    scavengesPerThousandOps: ((to.gc.minor - from.gc.minor) * 1000) / ops,
    majorPerThousandOps: ((to.gc.major - from.gc.major) * 1000) / ops,
    scavengeUsPerOp: (to.gc.minorUs - from.gc.minorUs) / ops,
    majorUsPerOp: (to.gc.majorUs - from.gc.majorUs) / ops,
    otherThreadsUsPerOp: Object.keys(to.threadCpuUs)
      .sort((a, b) => Number(a) - Number(b))
      .map((tid) => ({
        name: to.threadNames[tid] ?? "?",
        us: ((to.threadCpuUs[tid] ?? 0) - (from.threadCpuUs[tid] ?? 0)) / ops,
      }))
      .filter(({ us }) => us >= 0.5),
  };
}

async function runWebSocket(server: Server, rate: number): Promise<RunResult> {
  const port = server.ready.port;
  const recorder = new Recorder();
  const all = members(server.ready, `ws${rate}`);
  const sockets = await Promise.all(all.map((member) => connectSigned(port, member)));
  const due = new Map<number, bigint>();
  const unanswered = new Array<number>(all.length).fill(0);
  let skipped = 0;
  for (const socket of sockets) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { type: string; id?: number; error?: { code: string } };
      if ((message.type !== "ack" && message.type !== "error") || typeof message.id !== "number") return;
      const dueNs = due.get(message.id);
      if (dueNs === undefined) return;
      due.delete(message.id);
      unanswered[message.id % all.length]!--;
      recorder.answered(dueNs, message.type === "error" ? (message.error?.code ?? "?") : null);
    });
  }
  const watchers = await watch(port);
  const seqBefore = await server.seq();
  const seqAt: Sample[] = [];
  setTimeout(() => void server.sample().then((sample) => seqAt.push(sample)), WARMUP_MS);
  setTimeout(() => void server.sample().then((sample) => seqAt.push(sample)), WARMUP_MS + MEASURE_MS);
  const sent = await pace(rate, recorder, (i, dueNs) => {
    const index = i % all.length;
    if (WS_WINDOW > 0 && unanswered[index]! >= WS_WINDOW) {
      skipped++;
      return;
    }
    unanswered[index]!++;
    const member = all[index]!;
    const op = nextOp(member);
    due.set(i, dueNs);
    const message =
      op.kind === "new"
        ? {
            op: "order.new",
            id: i,
            instrument: INSTRUMENT,
            account: member.account,
            clientOrderId: op.clientOrderId,
            side: member.side,
            price: op.price,
            quantity: LOT_KG,
          }
        : { op: "order.cancel", id: i, account: member.account, clientOrderId: op.clientOrderId };
    sockets[index]!.send(JSON.stringify(message));
  });
  await until(() => due.size === 0, DRAIN_MS);
  await until(() => seqAt.length === 2, 5000);
  const journalOpsPerSecond = ((seqAt[1]?.seq ?? seqBefore) - (seqAt[0]?.seq ?? seqBefore)) / (MEASURE_MS / 1000);
  const lost = due.size;
  // Cut the sockets (dropping whatever an overloaded run still has queued on this side); cancel-on-disconnect then
  // clears every member's resting orders. The next run starts when the journal is quiet again.
  for (const socket of sockets) socket.terminate();
  watchers.close();
  await quiet(server);
  return {
    name: "WebSocket",
    offered: rate,
    sent,
    recorder,
    journalOpsPerSecond,
    watcherUpdates: watchers.updates(),
    lost,
    skipped,
    cpu: cpuPerOp(seqAt),
    loadAverage: os.loadavg()[0] ?? 0,
  };
}

async function runRest(server: Server, rate: number): Promise<RunResult> {
  const port = server.ready.port;
  const recorder = new Recorder();
  const all = members(server.ready, `rest${rate}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: REST_CONNECTIONS });
  let pending = 0;
  /** Set when the run is over: connections cut then are not the server's errors. */
  let over = false;
  const watchers = await watch(port);
  const seqBefore = await server.seq();
  const seqAt: Sample[] = [];
  setTimeout(() => void server.sample().then((sample) => seqAt.push(sample)), WARMUP_MS);
  setTimeout(() => void server.sample().then((sample) => seqAt.push(sample)), WARMUP_MS + MEASURE_MS);
  const sent = await pace(rate, recorder, (i, dueNs) => {
    const member = all[i % all.length]!;
    const op = nextOp(member);
    const method = op.kind === "new" ? "POST" : "DELETE";
    const path =
      op.kind === "new"
        ? "/api/orders"
        : `/api/accounts/${member.account}/orders/${encodeURIComponent(op.clientOrderId)}`;
    const body =
      op.kind === "new"
        ? JSON.stringify({
            instrument: INSTRUMENT,
            account: member.account,
            clientOrderId: op.clientOrderId,
            side: member.side,
            price: op.price,
            quantity: LOT_KG,
          })
        : "";
    // Every request differs in path or body, so its signature is unique even when timestamps repeat.
    const timestampMs = Date.now();
    const headers: Record<string, string> = {
      "x-sauda-key": member.keyId,
      "x-sauda-timestamp": String(timestampMs),
      "x-sauda-signature": sign(member.secret, timestampMs, method, path, body),
    };
    if (body !== "") headers["content-type"] = "application/json";
    pending++;
    const request = http.request({ host: "127.0.0.1", port, method, path, headers, agent }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => {
        text += chunk;
      });
      response.on("end", () => {
        if (over) return;
        pending--;
        const ok = response.statusCode === 200 || response.statusCode === 201;
        recorder.answered(dueNs, ok ? null : ((JSON.parse(text) as { error?: { code?: string } }).error?.code ?? "?"));
      });
    });
    request.on("error", (error) => {
      if (over) return;
      pending--;
      recorder.answered(dueNs, `socket: ${error.message}`);
    });
    request.end(body);
  });
  await until(() => pending === 0, DRAIN_MS);
  await until(() => seqAt.length === 2, 5000);
  const lost = pending;
  over = true;
  agent.destroy();
  watchers.close();
  await quiet(server);
  const journalOpsPerSecond = ((seqAt[1]?.seq ?? seqBefore) - (seqAt[0]?.seq ?? seqBefore)) / (MEASURE_MS / 1000);
  return {
    name: "REST",
    offered: rate,
    sent,
    recorder,
    journalOpsPerSecond,
    watcherUpdates: watchers.updates(),
    lost,
    skipped: 0,
    cpu: cpuPerOp(seqAt),
    loadAverage: os.loadavg()[0] ?? 0,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function report(result: RunResult): void {
  const { recorder } = result;
  const sorted = [...recorder.latenciesMs].sort((a, b) => a - b);
  const f = (ms: number) => `${ms.toFixed(2)} ms`;
  const durablePerSecond = recorder.ackedInWindow / (MEASURE_MS / 1000);
  const errors = [...recorder.errors].map(([code, n]) => `${code}×${n}`).join(", ") || "none";
  console.log(`\n${result.name}, ${result.offered.toLocaleString("en-US")} ops/s offered (open loop):`);
  console.log(
    `  sent ${(result.sent - result.skipped).toLocaleString("en-US")} ops (${WARMUP_MS / 1000} s warm-up + ${MEASURE_MS / 1000} s measured)${result.skipped > 0 ? `; ${result.skipped.toLocaleString("en-US")} skipped, their member's window of ${WS_WINDOW} unanswered being full` : ""}`,
  );
  console.log(
    `  durable ops/s (answers in the window) ${Math.round(durablePerSecond).toLocaleString("en-US")}; journal seq advanced ${Math.round(result.journalOpsPerSecond).toLocaleString("en-US")}/s`,
  );
  console.log(
    `  latency from due time to ack: p50 ${f(percentile(sorted, 50))}  p99 ${f(percentile(sorted, 99))}  p99.9 ${f(percentile(sorted, 99.9))}  max ${f(sorted.at(-1) ?? Number.NaN)}  (${sorted.length.toLocaleString("en-US")} measured)`,
  );
  if (TIMELINE) {
    const seconds = recorder.bySecond.map((list, second) => {
      const inSecond = [...list].sort((a, b) => a - b);
      return `${second}: ${percentile(inSecond, 99).toFixed(1)}/${(inSecond.at(-1) ?? Number.NaN).toFixed(1)}`;
    });
    console.log(`  p99/max ms of the ops due in each second of the window: ${seconds.join("  ")}`);
  }
  console.log(
    `  errors: ${errors}; unanswered after ${DRAIN_MS / 1000} s: ${result.lost}; watcher updates ${result.watcherUpdates}`,
  );
  const cpu = result.cpu;
  const main = cpu?.mainUsPerOp == null ? "not measured" : `${cpu.mainUsPerOp.toFixed(1)} µs`;
  console.log(
    `  server CPU per op in the window: main thread ${main}, whole process ${cpu === null ? "not measured" : `${cpu.processUsPerOp.toFixed(1)} µs`}; load average ${result.loadAverage.toFixed(2)}`,
  );
  if (cpu !== null && cpu.otherThreadsUsPerOp.length > 0) {
    // By name, in the order the first of each name was made: "node" is V8's helpers (they collect garbage for every
    // thread's heap) and libuv's; a snapshot thread's own store threads carry its name (thread-name.js).
    const byName = new Map<string, number[]>();
    for (const { name, us } of cpu.otherThreadsUsPerOp) byName.set(name, [...(byName.get(name) ?? []), us]);
    const parts = [...byName].map(([name, list]) => `${name} ${list.map((us) => us.toFixed(1)).join(" + ")}`);
    console.log(`  the other threads, by name, µs per record: ${parts.join("; ")}`);
  }
  if (cpu !== null) {
    const share = (us: number) =>
      cpu.mainUsPerOp == null ? "" : ` (${((100 * us) / cpu.mainUsPerOp).toFixed(0)}% of the main thread's CPU)`;
    console.log(
      `  garbage collection in the window: ${cpu.scavengesPerThousandOps.toFixed(2)} scavenges per 1,000 records, ${cpu.scavengeUsPerOp.toFixed(1)} µs per record${share(cpu.scavengeUsPerOp)}; other collections ${cpu.majorPerThousandOps.toFixed(3)} per 1,000 records, ${cpu.majorUsPerOp.toFixed(1)} µs per record (wall time)`,
    );
  }
}

async function main(): Promise<void> {
  console.log("sauda server benchmark (bench/server.ts)");
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}; server in a child process (fork), generator in this one`,
  );
  console.log(
    `load: ${MEMBERS} members, place/cancel (≤ ${LIVE_ORDERS_PER_MEMBER} resting per member, non-crossing), ${WATCHERS} public watchers on book/trades/quote`,
  );
  // Each run gets a fresh server process: an overloaded run leaves a backlog (and a grown heap) that would otherwise
  // spill into the next run's figures.
  const runs: (() => Promise<RunResult>)[] = [
    ...WS_RATES.map((rate) => (server: Server) => runWebSocket(server, rate)),
    ...REST_RATES.map((rate) => (server: Server) => runRest(server, rate)),
  ].map((run) => async () => {
    const server = await Server.start();
    try {
      return await run(server);
    } finally {
      await server.stop();
    }
  });
  const results: RunResult[] = [];
  for (const run of runs) {
    const result = await run();
    report(result);
    results.push(result);
  }
  const at25 = results.find((r) => r.name === "WebSocket" && r.offered === 25_000);
  const at50 = results.find((r) => r.name === "WebSocket" && r.offered === 50_000);
  const p99 = at25
    ? percentile(
        [...at25.recorder.latenciesMs].sort((a, b) => a - b),
        99,
      )
    : Number.NaN;
  const durable50 = at50 ? at50.recorder.ackedInWindow / (MEASURE_MS / 1000) : 0;
  console.log("\nGoals (reported, not enforced):");
  console.log(
    `  50,000 orders/s over WebSocket: ${Math.round(durable50).toLocaleString("en-US")}/s durable at 50,000 offered — ${durable50 >= 49_500 ? "met" : "not met"}`,
  );
  console.log(`  p99 < 10 ms at 25,000 orders/s offered: p99 ${p99.toFixed(2)} ms — ${p99 < 10 ? "met" : "not met"}`);
}

if (process.argv[2] === "serve") {
  await serve();
} else {
  await main();
}
