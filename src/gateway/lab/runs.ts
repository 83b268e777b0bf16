/**
 * Policy lab runs: a bounded queue in front of a few worker threads, and the finished results kept in memory.
 *
 * Bounds (each a named constant below): how many simulations run at once (at most LAB_RUNS_AT_ONCE_MAX, and never
 * all the machine's cores, so the exchange's own thread keeps one), how many wait (LAB_QUEUE_MAX; beyond it a new
 * run is refused with 503 LAB_BUSY), how many one caller may have waiting or running (LAB_RUNS_PER_CALLER_MAX; 429),
 * how long a run may take (LAB_RUN_TIMEOUT_MS; then its thread is stopped and the run fails with LAB_RUN_TIMEOUT), a
 * worker's heap (LAB_WORKER_HEAP_MB), and the finished runs kept (LAB_RESULTS_KEPT_MAX runs and LAB_RESULTS_BYTES_MAX
 * bytes of result JSON, least recently read dropped first). Waiting and running runs are never dropped.
 *
 * A run is keyed by its id, a hash of the simulation it stands for (catalog.ts): asking again for a run that is
 * waiting, running or done returns that run, at no cost; asking again for one that failed starts it afresh. Runs
 * start in the order they were asked for.
 *
 * How a run executes is a parameter (`Execute`), so the queue and its limits can be tested without threads; the
 * default is a worker thread per run (worker.ts): a fresh thread for each run keeps runs isolated and returns their
 * memory when they end.
 */

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Scenario } from "../../simulator/scenario.ts";
import { type AnyErrorCode, type ErrorBody, errorBody, HttpProblem } from "../errors.ts";
import type { LabParameterName, UncertaintySpec } from "./catalog.ts";
import type { WorkerMessage } from "./worker.ts";

/** Simulations running at once, at most; fewer on a machine with few cores (see `runsAtOnceDefault`). */
export const LAB_RUNS_AT_ONCE_MAX = 2;
/** Runs waiting for a worker, at most. */
export const LAB_QUEUE_MAX = 8;
/** Runs one caller may have waiting or running: two, so that two scenarios can be compared. */
export const LAB_RUNS_PER_CALLER_MAX = 2;
/** A run taking longer is stopped; a year of the national market takes about 2.5 s on one core. */
export const LAB_RUN_TIMEOUT_MS = 60_000;
/** Old-generation heap of one worker thread; a year's run peaks at about 70 MB. */
export const LAB_WORKER_HEAP_MB = 512;
/** Finished runs kept in memory, at most. */
export const LAB_RESULTS_KEPT_MAX = 32;
/** Result JSON kept in memory, at most (a year's run is about 1.5 MB). */
export const LAB_RESULTS_BYTES_MAX = 64 * 1024 * 1024;
/** What a refused caller is told to wait, in seconds. */
export const LAB_RETRY_AFTER_SECONDS = 5;

/** Keep one core for the exchange's own thread. */
export function runsAtOnceDefault(): number {
  return Math.max(1, Math.min(LAB_RUNS_AT_ONCE_MAX, availableParallelism() - 1));
}

export type RunStatus = "queued" | "running" | "done" | "failed";

export interface RunSpec {
  readonly id: string;
  readonly scenario: Scenario;
  readonly parameters: Readonly<Record<LabParameterName, number | boolean | null>>;
  /** Uncertainty runs to make besides the scenario's own run; absent or null: none. */
  readonly uncertainty?: UncertaintySpec | null;
}

/** Days a run simulates in all: its own run and, with uncertainty, each drawn run. */
export function daysOf(spec: RunSpec): number {
  return spec.scenario.days * (1 + (spec.uncertainty?.runs ?? 0));
}

/** A run in progress: its result (JSON text) or an error, and a way to stop it. */
export interface Execution {
  readonly result: Promise<string>;
  stop(): void;
}

export type Execute = (
  scenario: Scenario,
  onProgress: (doneDays: number, days: number) => void,
  uncertainty?: UncertaintySpec | null,
) => Execution;

/** Raised by an execution that did not produce a result: the registry code and its details. */
export class RunFailure extends Error {
  constructor(
    readonly code: AnyErrorCode,
    readonly details: Readonly<Record<string, string | number>>,
  ) {
    super(code);
  }
}

interface Run {
  readonly spec: RunSpec;
  readonly caller: string;
  status: RunStatus;
  doneDays: number;
  resultJson: string | null;
  error: ErrorBody["error"] | null;
  execution: Execution | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export interface RunView {
  readonly id: string;
  readonly status: RunStatus;
  readonly scenario: string;
  readonly start: string;
  readonly days: number;
  readonly seed: number;
  readonly parameters: RunSpec["parameters"];
  /** Uncertainty runs (each drawing the uncertain inputs), or null for one deterministic run. */
  readonly runs: number | null;
  /** Days simulated in all (with `runs`, the scenario's own run and each drawn one). */
  readonly progress: { readonly doneDays: number; readonly days: number };
  /** Runs ahead of this one in the queue (0: next to start); null once it has started. */
  readonly queuePosition: number | null;
  readonly error: ErrorBody["error"] | null;
}

export interface LabRunsOptions {
  readonly runsAtOnce?: number;
  readonly queueMax?: number;
  readonly perCallerMax?: number;
  readonly timeoutMs?: number;
  readonly keptMax?: number;
  readonly bytesMax?: number;
  readonly execute?: Execute;
}

export class LabRuns {
  readonly runsAtOnce: number;
  readonly queueMax: number;
  readonly perCallerMax: number;
  readonly timeoutMs: number;
  readonly keptMax: number;
  readonly bytesMax: number;
  private readonly execute: Execute;
  private readonly runs = new Map<string, Run>();
  private readonly queue: Run[] = [];
  private running = 0;
  /** Finished runs, least recently read first (a Map keeps insertion order). */
  private readonly finished = new Map<string, Run>();
  private finishedBytes = 0;
  private closed = false;

  constructor(options: LabRunsOptions = {}) {
    this.runsAtOnce = options.runsAtOnce ?? runsAtOnceDefault();
    this.queueMax = options.queueMax ?? LAB_QUEUE_MAX;
    this.perCallerMax = options.perCallerMax ?? LAB_RUNS_PER_CALLER_MAX;
    this.timeoutMs = options.timeoutMs ?? LAB_RUN_TIMEOUT_MS;
    this.keptMax = options.keptMax ?? LAB_RESULTS_KEPT_MAX;
    this.bytesMax = options.bytesMax ?? LAB_RESULTS_BYTES_MAX;
    this.execute = options.execute ?? executeOnWorker;
    if (this.runsAtOnce < 1 || this.keptMax < 1) throw new Error("invariant: a lab needs a worker and a result slot");
  }

  /**
   * Starts the run, or finds it if it is already waiting, running or done. `created` says which. Throws LAB_BUSY or
   * LAB_RUNS_PER_CALLER_LIMIT, and changes nothing then.
   */
  submit(spec: RunSpec, caller: string): { view: RunView; created: boolean } {
    if (this.closed) throw new HttpProblem("LAB_STOPPED");
    const existing = this.runs.get(spec.id);
    if (existing !== undefined && existing.status !== "failed") {
      this.touch(existing);
      return { view: this.viewOf(existing), created: false };
    }
    const active = this.activeOf(caller);
    if (active >= this.perCallerMax) {
      throw new HttpProblem("LAB_RUNS_PER_CALLER_LIMIT", { active, max: this.perCallerMax });
    }
    if (this.queue.length >= this.queueMax) {
      throw new HttpProblem(
        "LAB_BUSY",
        { queued: this.queue.length, max: this.queueMax, retryAfterSeconds: LAB_RETRY_AFTER_SECONDS },
        { "retry-after": String(LAB_RETRY_AFTER_SECONDS) },
      );
    }
    if (existing !== undefined) this.forget(existing);
    const run: Run = {
      spec,
      caller,
      status: "queued",
      doneDays: 0,
      resultJson: null,
      error: null,
      execution: null,
      timer: null,
    };
    this.runs.set(spec.id, run);
    this.queue.push(run);
    this.pump();
    return { view: this.viewOf(run), created: true };
  }

  /** The run's state, or undefined if there is no such run (any more). Reading a finished run keeps it longer. */
  view(id: string): RunView | undefined {
    const run = this.runs.get(id);
    if (run === undefined) return undefined;
    this.touch(run);
    return this.viewOf(run);
  }

  /** The result JSON of a finished run, or null. */
  resultJson(id: string): string | null {
    return this.runs.get(id)?.resultJson ?? null;
  }

  /** Figures for tests and metrics. */
  stats(): { queued: number; running: number; finished: number; finishedBytes: number } {
    return {
      queued: this.queue.length,
      running: this.running,
      finished: this.finished.size,
      finishedBytes: this.finishedBytes,
    };
  }

  /** Stops every run (server shutdown): waiting ones are dropped, running ones fail with LAB_STOPPED. */
  close(): void {
    this.closed = true;
    for (const run of this.queue.splice(0)) this.fail(run, "LAB_STOPPED", {});
    for (const run of this.runs.values()) {
      if (run.status === "running") {
        run.execution?.stop();
        this.fail(run, "LAB_STOPPED", {});
      }
    }
  }

  private activeOf(caller: string): number {
    let active = 0;
    for (const run of this.runs.values()) {
      if (run.caller === caller && (run.status === "queued" || run.status === "running")) active += 1;
    }
    return active;
  }

  private pump(): void {
    while (!this.closed && this.running < this.runsAtOnce && this.queue.length > 0) {
      const run = this.queue.shift()!;
      this.start(run);
    }
  }

  private start(run: Run): void {
    run.status = "running";
    this.running += 1;
    const execution = this.execute(
      run.spec.scenario,
      (doneDays) => {
        if (run.status === "running") run.doneDays = doneDays;
      },
      run.spec.uncertainty ?? null,
    );
    run.execution = execution;
    run.timer = setTimeout(() => {
      if (run.status !== "running") return;
      execution.stop();
      this.fail(run, "LAB_RUN_TIMEOUT", {
        timeoutMs: this.timeoutMs,
        doneDays: run.doneDays,
        days: daysOf(run.spec),
      });
    }, this.timeoutMs);
    execution.result.then(
      (json) => {
        if (run.status !== "running") return;
        run.doneDays = daysOf(run.spec);
        run.resultJson = json;
        this.finish(run, "done");
      },
      (error: unknown) => {
        if (run.status !== "running") return;
        if (error instanceof RunFailure) this.fail(run, error.code, error.details);
        else this.fail(run, "LAB_RUN_FAILED", { reason: error instanceof Error ? error.message : String(error) });
      },
    );
  }

  private fail(run: Run, code: AnyErrorCode, details: Readonly<Record<string, string | number>>): void {
    run.error = errorBody(code, details).error;
    this.finish(run, "failed");
  }

  private finish(run: Run, status: "done" | "failed"): void {
    if (run.status === "running") this.running -= 1;
    if (run.timer !== null) clearTimeout(run.timer);
    run.timer = null;
    run.execution = null;
    run.status = status;
    this.finished.set(run.spec.id, run);
    this.finishedBytes += run.resultJson?.length ?? 0;
    this.evict();
    this.pump();
  }

  /** Drops the least recently read finished runs while over either bound (the newest always stays). */
  private evict(): void {
    for (const run of this.finished.values()) {
      if (this.finished.size <= 1) break;
      if (this.finished.size <= this.keptMax && this.finishedBytes <= this.bytesMax) break;
      this.forget(run);
    }
  }

  private forget(run: Run): void {
    if (this.finished.delete(run.spec.id)) this.finishedBytes -= run.resultJson?.length ?? 0;
    this.runs.delete(run.spec.id);
  }

  private touch(run: Run): void {
    if (!this.finished.has(run.spec.id)) return;
    this.finished.delete(run.spec.id);
    this.finished.set(run.spec.id, run);
  }

  private viewOf(run: Run): RunView {
    const { spec } = run;
    const position = run.status === "queued" ? this.queue.indexOf(run) : -1;
    return {
      id: spec.id,
      status: run.status,
      scenario: spec.scenario.name,
      start: spec.scenario.start,
      days: spec.scenario.days,
      seed: spec.scenario.seed,
      parameters: spec.parameters,
      runs: spec.uncertainty?.runs ?? null,
      progress: { doneDays: run.doneDays, days: daysOf(spec) },
      queuePosition: position < 0 ? null : position,
      error: run.error,
    };
  }
}

/**
 * A run on its own worker thread: worker.ts through worker-entry.mjs, which loads TypeScript, when this module runs
 * as TypeScript; the compiled worker.js directly when it runs from the build (scripts/build-server.js).
 */
export function executeOnWorker(
  scenario: Scenario,
  onProgress: (doneDays: number, days: number) => void,
  uncertainty: UncertaintySpec | null = null,
): Execution {
  const worker = new Worker(
    new URL(import.meta.url.endsWith(".ts") ? "./worker-entry.mjs" : "./worker.js", import.meta.url),
    {
      workerData: { scenario, uncertainty },
      resourceLimits: { maxOldGenerationSizeMb: LAB_WORKER_HEAP_MB },
    },
  );
  let stopped = false;
  const result = new Promise<string>((resolve, reject) => {
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "progress") onProgress(message.doneDays, message.days);
      else if (message.type === "done") resolve(message.json);
      else reject(new RunFailure("LAB_RUN_FAILED", { reason: message.reason }));
    });
    worker.once("error", (error) => reject(new RunFailure("LAB_RUN_FAILED", { reason: error.message })));
    worker.once("exit", (code) => {
      // After a result this settles nothing; a thread that ends without one failed (or was stopped).
      reject(new RunFailure("LAB_RUN_FAILED", { reason: stopped ? "stopped" : `the worker exited with code ${code}` }));
    });
  });
  return {
    result,
    stop: () => {
      stopped = true;
      void worker.terminate();
    },
  };
}
