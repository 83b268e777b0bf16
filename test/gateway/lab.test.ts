/**
 * The policy lab over real HTTP and its run queue: the scenarios with their documented parameters; a short run on a
 * worker thread gives exactly what the simulator gives in-process for the same scenario, days and seed (and the same
 * with a parameter changed); asking again for the same simulation returns the same run; requests out of bounds are
 * refused with their codes. The queue's limits (runs at once, waiting runs, runs per caller, time, finished results
 * kept) are tested on `LabRuns` with executions the test controls, and the timeout once on a real worker thread.
 */

import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  LAB_DAYS_MAX,
  LAB_RUNS_DAYS_TOTAL_MAX,
  LAB_RUNS_MAX,
  LabCatalog,
  labDaysMax,
  runIdOf,
  SCENARIOS_DIR,
} from "../../src/gateway/lab/catalog.ts";
import { labResult } from "../../src/gateway/lab/result.ts";
import {
  type Execute,
  type Execution,
  executeOnWorker,
  LAB_QUEUE_MAX,
  LAB_RESULTS_KEPT_MAX,
  LAB_RUN_TIMEOUT_MS,
  LAB_RUNS_PER_CALLER_MAX,
  LabRuns,
  type RunSpec,
} from "../../src/gateway/lab/runs.ts";
import { readScenarioJson } from "../../src/simulator/load.ts";
import { runScenario } from "../../src/simulator/runner.ts";
import { parseScenario } from "../../src/simulator/scenario.ts";
import { variantSummary } from "../../src/simulator/summary.ts";
import { drawnRuns, runOutcome, uncertaintyReport } from "../../src/simulator/uncertainty.ts";
import { type Json, type Session, TestServer } from "../support/server.ts";

const POLL_MS = 50;
const RUN_WAIT_MS = 30_000;

/** The simulator in this process, as `sauda simulate` runs it, with fields of the scenario file changed. */
async function inProcess(file: string, changes: Record<string, unknown>, safeguards: Record<string, unknown> = {}) {
  const json = readScenarioJson(join(SCENARIOS_DIR, file)) as Record<string, Json>;
  const rules = json.rules as Record<string, Json>;
  const changed = { ...json, ...changes, rules: { ...rules, safeguards: { ...rules.safeguards, ...safeguards } } };
  return runScenario(parseScenario(changed));
}

describe("policy lab over HTTP", () => {
  let server: TestServer;
  let regulator: Session;
  let trader: Session;

  beforeAll(async () => {
    server = await TestServer.start();
    regulator = await server.login("regulator");
    trader = await server.login("aktau-trader");
  });
  afterAll(async () => {
    await server.close();
  });

  async function waitForRun(session: Session, id: string): Promise<Json> {
    const deadline = Date.now() + RUN_WAIT_MS;
    for (;;) {
      const reply = await server.call(session, "GET", `/api/lab/runs/${id}`);
      expect(reply.status).toBe(200);
      if (reply.body.status === "done" || reply.body.status === "failed") return reply.body;
      if (Date.now() > deadline) throw new Error(`run ${id} still ${reply.body.status}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  it("lists the scenarios with their documented parameters and the limits, to anyone", async () => {
    const { status, body } = await server.call(null, "GET", "/api/lab/scenarios");
    expect(status).toBe(200);
    expect(body.scenarios.map((s: Json) => s.name)).toEqual([
      "baseline-2021",
      "january-2022-actual",
      "liberalisation-2022",
      "manipulation-2021",
      "retail-freeze-50",
      "safeguarded-2022",
    ]);
    const safeguarded = body.scenarios.find((s: Json) => s.name === "safeguarded-2022");
    expect(safeguarded).toMatchObject({
      file: "safeguarded-2022.json",
      start: "2022-01-01",
      days: 365,
      seed: 2022,
      densityKgPerLitre: 0.543,
      focusRegions: ["MANGYSTAU", "WKO", "ALMATY_CITY", "ASTANA"],
    });
    expect(safeguarded.regions).toHaveLength(17);
    expect(safeguarded.regions[0]).toEqual({ id: "MANGYSTAU", name: "Mangystau (Aktau, Zhanaozen)" });
    expect(safeguarded.parameters.bandBps.value).toBe(1000);
    expect(safeguarded.parameters.bandBps.note).toContain("Assumed 10%");
    expect(safeguarded.parameters.ceilingTengePerTonne.value).toBe(100_000);
    expect(safeguarded.parameters.maxShareBps.value).toBe(3000);
    expect(safeguarded.parameters.exchangeShareBps.value).toBe(10_000);
    expect(safeguarded.parameters.domesticObligation).toEqual({ value: true, note: null });
    expect(safeguarded.parameters.elasticity.value).toBe(-0.25);
    const baseline = body.scenarios.find((s: Json) => s.name === "baseline-2021");
    expect(baseline.parameters.bandBps).toEqual({ value: null, note: null });
    expect(baseline.parameters.exchangeShareBps.value).toBe(6000);
    expect(body.parameters.map((p: Json) => p.name)).toEqual([
      "bandBps",
      "ceilingTengePerTonne",
      "maxShareBps",
      "exchangeShareBps",
      "exportOpen",
      "domesticObligation",
      "elasticity",
    ]);
    expect(body.parameters[0]).toMatchObject({
      kind: "integer",
      nullable: true,
      minimum: 1,
      maximum: 9999,
      unit: "bps",
    });
    expect(body.limits).toMatchObject({
      daysMax: LAB_DAYS_MAX,
      queueMax: LAB_QUEUE_MAX,
      runsPerCallerMax: LAB_RUNS_PER_CALLER_MAX,
      runTimeoutMs: LAB_RUN_TIMEOUT_MS,
      resultsKeptMax: LAB_RESULTS_KEPT_MAX,
    });
    expect([1, 2]).toContain(body.limits.runsAtOnce);
  });

  it("runs a short simulation on a worker and returns what the simulator gives in-process", async () => {
    const started = await server.call(regulator, "POST", "/api/lab/runs", {
      scenario: "liberalisation-2022",
      days: 12,
      seed: 7,
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      scenario: "liberalisation-2022",
      start: "2022-01-01",
      days: 12,
      seed: 7,
      parameters: { bandBps: null, exportOpen: true, exchangeShareBps: 10_000 },
      progress: { days: 12 },
      error: null,
    });
    expect(started.body.id).toMatch(/^[0-9a-f]{32}$/);
    const run = await waitForRun(regulator, started.body.id);
    expect(run.status).toBe("done");
    expect(run.progress).toEqual({ doneDays: 12, days: 12 });

    const expected = await inProcess("liberalisation-2022.json", { days: 12, seed: 7 });
    expect(run.result.summary).toEqual(variantSummary(expected));
    expect(run.result).toEqual(JSON.parse(JSON.stringify(labResult(expected))));
    // Specific figures of this run: 12 days from 1 January 2022, of which 7 trading days (3-6 and 10-12 January: the
    // 1st, 2nd and 7th are holidays, the 8th-9th a weekend); the engine's state hash is the in-process one.
    expect(run.result.dates).toHaveLength(12);
    expect(run.result.dates[0]).toBe("2022-01-01");
    expect(run.result.totals.tradingDays).toBe(7);
    expect(run.result.totals.days).toBe(12);
    expect(run.result.summary.stateHash).toBe(expected.engine.stateHash);
    expect(run.result.regionSeries.MANGYSTAU.retailTengePerLitre).toEqual(
      expected.regionSeries.MANGYSTAU!.retailTengePerLitre,
    );
    expect(run.result.summary.regions.map((g: Json) => g.region)).toEqual([
      "MANGYSTAU",
      "WKO",
      "ALMATY_CITY",
      "ASTANA",
    ]);
    expect(run.result.sessions).toBeUndefined();

    // The same simulation asked for again, by another user and with its defaults spelled out: the same run, no new one.
    const again = await server.call(trader, "POST", "/api/lab/runs", {
      scenario: "liberalisation-2022",
      days: 12,
      seed: 7,
      overrides: { bandBps: null, exportOpen: true },
    });
    expect([again.status, again.body.id, again.body.status]).toEqual([200, started.body.id, "done"]);
  });

  it("changes a whitelisted parameter exactly as the scenario field it stands for", async () => {
    const started = await server.call(trader, "POST", "/api/lab/runs", {
      scenario: "safeguarded-2022",
      days: 8,
      overrides: { bandBps: 500, maxShareBps: 5000 },
    });
    expect(started.status).toBe(202);
    expect(started.body.parameters).toMatchObject({ bandBps: 500, maxShareBps: 5000, ceilingTengePerTonne: 100_000 });
    expect(started.body.seed).toBe(2022);
    const run = await waitForRun(trader, started.body.id);
    expect(run.status).toBe("done");
    const expected = await inProcess("safeguarded-2022.json", { days: 8 }, { bandPercent: 5, maxSharePercent: 50 });
    expect(run.result.summary).toEqual(variantSummary(expected));
    const unchanged = await inProcess("safeguarded-2022.json", { days: 8 });
    expect(run.result.summary.stateHash).not.toBe(unchanged.engine.stateHash);
  });

  it("refuses requests out of bounds with their codes, before any run starts", async () => {
    const refusals: [Session | null, unknown, number, string][] = [
      [regulator, { scenario: "liberalisation-2022", days: LAB_DAYS_MAX + 1 }, 400, "REQUEST_INVALID"],
      [regulator, { scenario: "liberalisation-2022", days: 0 }, 400, "REQUEST_INVALID"],
      [regulator, { scenario: "liberalisation-2022", overrides: { bandBps: 10_000 } }, 400, "REQUEST_INVALID"],
      [regulator, { scenario: "liberalisation-2022", overrides: { retailCap: 50 } }, 400, "REQUEST_INVALID"],
      [regulator, { scenario: "liberalisation-2022", overrides: { exportOpen: null } }, 400, "REQUEST_INVALID"],
      [regulator, { scenario: "liberalisation-2022", extra: 1 }, 400, "REQUEST_INVALID"],
      [regulator, { scenario: "../base/kazakhstan-lpg-market" }, 400, "REQUEST_INVALID"],
      [regulator, { scenario: "no-such-scenario" }, 404, "LAB_SCENARIO_NOT_FOUND"],
      [null, { scenario: "liberalisation-2022", days: 3 }, 401, "AUTH_REQUIRED"],
      [{ ...regulator, csrf: "wrong" }, { scenario: "liberalisation-2022", days: 3 }, 403, "AUTH_CSRF"],
    ];
    for (const [session, body, status, code] of refusals) {
      const reply = await server.call(session, "POST", "/api/lab/runs", body);
      expect([reply.status, reply.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    const missing = await server.call(regulator, "POST", "/api/lab/runs", { scenario: "no-such-scenario" });
    expect(missing.body.error.message).toBe(
      "The policy lab has no scenario 'no-such-scenario'; it has baseline-2021, january-2022-actual, liberalisation-2022, manipulation-2021, retail-freeze-50, safeguarded-2022.",
    );
    const unknown = await server.call(regulator, "GET", `/api/lab/runs/${"0".repeat(32)}`);
    expect([unknown.status, unknown.body.error.code, unknown.body.error.details]).toEqual([
      404,
      "LAB_RUN_NOT_FOUND",
      { id: "0".repeat(32), kept: LAB_RESULTS_KEPT_MAX },
    ]);
    expect((await server.call(null, "GET", `/api/lab/runs/${"0".repeat(32)}`)).status).toBe(401);
    expect((await server.call(regulator, "GET", "/api/lab/runs/not-a-run-id")).body.error.code).toBe("REQUEST_INVALID");
  });

  it("with runs, adds the spread over the drawn runs that the CLI's --runs computes for the same seed", async () => {
    const started = await server.call(regulator, "POST", "/api/lab/runs", {
      scenario: "liberalisation-2022",
      days: 10,
      seed: 11,
      runs: 3,
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ runs: 3, days: 10, progress: { days: 40 } });
    const run = await waitForRun(regulator, started.body.id);
    expect(run.status).toBe("done");
    expect(run.progress).toEqual({ doneDays: 40, days: 40 });

    // What `sauda simulate liberalisation-2022.json --days 10 --seed 11 --runs 3` computes, in this process.
    const json = {
      ...(readScenarioJson(join(SCENARIOS_DIR, "liberalisation-2022.json")) as object),
      days: 10,
      seed: 11,
    };
    const drawn = drawnRuns(json, 11, 3);
    const outcomes = [];
    for (const s of drawn.scenarios) outcomes.push(runOutcome(await runScenario(s)));
    const expected = uncertaintyReport(outcomes, drawn.draws, drawn.inputs);
    expect(run.result.uncertainty).toEqual(JSON.parse(JSON.stringify(expected)));
    // Specific: 3 runs, one month for each of the 17 regions; Mangystau's January retail band is the three runs'
    // monthly averages at P10, P50 and P90 (type 7 over three values: 0.2 and 0.8 of the way between neighbours).
    const u = run.result.uncertainty;
    expect(u.runs).toBe(3);
    expect(u.monthly).toHaveLength(17);
    const mangystau = u.monthly.find((m: Json) => m.region === "MANGYSTAU");
    const retail = outcomes
      .map((o) => o.monthly.find((m) => m.region === "MANGYSTAU")!.retail)
      .sort((a, b) => a - b) as [number, number, number];
    expect(mangystau.month).toBe("2022-01");
    expect(mangystau.retailTengePerLitre).toEqual({
      p10: Number((retail[0] + 0.2 * (retail[1] - retail[0])).toFixed(2)),
      p50: retail[1],
      p90: Number((retail[1] + 0.8 * (retail[2] - retail[1])).toFixed(2)),
    });
    expect(mangystau.retailTengePerLitre.p90).toBeGreaterThan(mangystau.retailTengePerLitre.p10);
    expect(u.drivers.length).toBe(drawn.inputs.length);
    // The scenario's own run is the deterministic one, as without runs.
    const own = await inProcess("liberalisation-2022.json", { days: 10, seed: 11 });
    expect(run.result.summary).toEqual(variantSummary(own));
  });

  it("accepts LAB_RUNS_MAX runs and refuses one more, or too many days for the runs, starting nothing", async () => {
    const catalog = new LabCatalog();
    const atLimit = await server.call(trader, "POST", "/api/lab/runs", {
      scenario: "liberalisation-2022",
      days: 2,
      runs: LAB_RUNS_MAX,
    });
    expect([atLimit.status, atLimit.body.runs]).toEqual([202, LAB_RUNS_MAX]);
    const done = await waitForRun(trader, atLimit.body.id);
    expect([done.status, done.result.uncertainty.runs]).toEqual(["done", LAB_RUNS_MAX]);

    const over = await server.call(trader, "POST", "/api/lab/runs", {
      scenario: "liberalisation-2022",
      days: 2,
      runs: LAB_RUNS_MAX + 1,
    });
    expect([over.status, over.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    const one = await server.call(trader, "POST", "/api/lab/runs", { scenario: "liberalisation-2022", runs: 1 });
    expect([one.status, one.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    const daysMax = labDaysMax(LAB_RUNS_MAX);
    expect(daysMax).toBe(Math.floor(LAB_RUNS_DAYS_TOTAL_MAX / LAB_RUNS_MAX));
    const tooLong = await server.call(trader, "POST", "/api/lab/runs", {
      scenario: "liberalisation-2022",
      days: daysMax + 1,
      runs: LAB_RUNS_MAX,
    });
    expect([tooLong.status, tooLong.body.error.code, tooLong.body.error.details]).toEqual([
      400,
      "LAB_RUNS_DAYS_LIMIT",
      { days: daysMax + 1, runs: LAB_RUNS_MAX, daysMax, totalMax: LAB_RUNS_DAYS_TOTAL_MAX },
    ]);
    // Nothing was started: the runs these requests would have been are unknown.
    const twoDays = catalog.resolve({ scenario: "liberalisation-2022", days: 2 }).scenario;
    const longer = catalog.resolve({ scenario: "liberalisation-2022", days: daysMax + 1 }).scenario;
    for (const id of [runIdOf(twoDays, LAB_RUNS_MAX + 1), runIdOf(longer, LAB_RUNS_MAX)]) {
      expect((await server.call(trader, "GET", `/api/lab/runs/${id}`)).status).toBe(404);
    }
  });

  it("lets one caller have at most two runs waiting or running", async () => {
    const viewer = await server.login("aktau-viewer");
    // Year-long runs take seconds each, so the first two are still waiting or running when the third is asked for.
    const codes: (string | number)[] = [];
    for (const seed of [1, 2, 3]) {
      const reply = await server.call(viewer, "POST", "/api/lab/runs", { scenario: "baseline-2021", seed });
      codes.push(reply.status === 202 ? 202 : `${reply.status} ${reply.body.error.code}`);
    }
    expect(codes).toEqual([202, 202, "429 LAB_RUNS_PER_CALLER_LIMIT"]);
    // Another caller is not held back by them.
    const other = await server.call(trader, "POST", "/api/lab/runs", { scenario: "baseline-2021", days: 2 });
    expect(other.status).toBe(202);
    expect(other.body.queuePosition).toBeGreaterThanOrEqual(0);
  });
});

describe("catalog", () => {
  const catalog = new LabCatalog();

  it("loads every scenario file and gives the same simulation the same id", () => {
    expect(catalog.problems).toEqual([]);
    const a = catalog.resolve({ scenario: "safeguarded-2022", days: 30 });
    const b = catalog.resolve({ scenario: "safeguarded-2022", days: 30, seed: 2022, overrides: { bandBps: 1000 } });
    const c = catalog.resolve({ scenario: "safeguarded-2022", days: 30, overrides: { bandBps: 1001 } });
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
    expect(c.scenario.rules.safeguards.bandPercent).toBe(10.01);
  });

  it("scales the days of a run to its uncertainty runs, at the limit", () => {
    expect(labDaysMax(null)).toBe(LAB_DAYS_MAX);
    expect(labDaysMax(2)).toBe(LAB_DAYS_MAX);
    expect(labDaysMax(4)).toBe(LAB_DAYS_MAX);
    expect(labDaysMax(5)).toBe(292);
    expect(labDaysMax(LAB_RUNS_MAX)).toBe(73);
    const full = catalog.resolve({ scenario: "safeguarded-2022", days: 73, runs: LAB_RUNS_MAX });
    expect([full.scenario.days, full.uncertainty?.runs]).toEqual([73, LAB_RUNS_MAX]);
    // Without days, a run with runs is clipped to the limit; without runs, it has the scenario's length.
    expect(catalog.resolve({ scenario: "safeguarded-2022", runs: LAB_RUNS_MAX }).scenario.days).toBe(73);
    expect(catalog.resolve({ scenario: "safeguarded-2022" }).uncertainty).toBeNull();
    expect(() => catalog.resolve({ scenario: "safeguarded-2022", days: 74, runs: LAB_RUNS_MAX })).toThrow(
      expect.objectContaining({ code: "LAB_RUNS_DAYS_LIMIT" }),
    );
    // The same scenario with and without runs, or with other runs, are different runs.
    const ids = [undefined, 2, 3].map(
      (runs) => catalog.resolve({ scenario: "safeguarded-2022", days: 9, ...(runs === undefined ? {} : { runs }) }).id,
    );
    expect(new Set(ids).size).toBe(3);
  });

  it("switches a control off with null, the ceiling with its later steps", () => {
    const off = catalog.resolve({
      scenario: "safeguarded-2022",
      overrides: { ceilingTengePerTonne: null, bandBps: null },
    });
    expect(off.scenario.rules.safeguards).toMatchObject({
      ceilingTengePerTonne: null,
      ceilingPath: [],
      bandPercent: null,
    });
    const lower = catalog.resolve({ scenario: "safeguarded-2022", overrides: { ceilingTengePerTonne: 90_000 } });
    expect(lower.scenario.rules.safeguards.ceilingTengePerTonne).toBe(90_000);
    expect(lower.scenario.rules.safeguards.ceilingPath).toHaveLength(11);
    const shares = catalog.resolve({
      scenario: "baseline-2021",
      overrides: { exchangeShareBps: 8000, elasticity: -0.5 },
    });
    expect([shares.scenario.rules.exchangeSharePercent, shares.scenario.drivers.elasticity]).toEqual([80, -0.5]);
    expect(shares.parameters).toMatchObject({ exchangeShareBps: 8000, elasticity: -0.5, domesticObligation: true });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The queue, with executions the test finishes by hand.

interface Controlled {
  readonly scenario: string;
  readonly days: number;
  progress(doneDays: number): void;
  finish(json: string): void;
  fail(error: Error): void;
  stopped: boolean;
}

function controlledExecutions() {
  const started: Controlled[] = [];
  const execute: Execute = (scenario, onProgress): Execution => {
    let finish: (json: string) => void = () => undefined;
    let fail: (error: Error) => void = () => undefined;
    const result = new Promise<string>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const controlled: Controlled = {
      scenario: `${scenario.name}/${scenario.seed}`,
      days: scenario.days,
      progress: (doneDays) => onProgress(doneDays, scenario.days),
      finish,
      fail,
      stopped: false,
    };
    started.push(controlled);
    return {
      result,
      stop: () => {
        controlled.stopped = true;
      },
    };
  };
  return { started, execute };
}

const catalog = new LabCatalog();
const spec = (seed: number, days = 3): RunSpec => catalog.resolve({ scenario: "baseline-2021", days, seed });
/** Lets settled executions' callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("run queue", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs at most runsAtOnce at a time, in the order asked, and says where each waits", async () => {
    const { started, execute } = controlledExecutions();
    const runs = new LabRuns({ runsAtOnce: 2, execute });
    const views = [1, 2, 3, 4].map((seed) => runs.submit(spec(seed), `caller-${seed}`).view);
    expect(views.map((v) => [v.status, v.queuePosition])).toEqual([
      ["running", null],
      ["running", null],
      ["queued", 0],
      ["queued", 1],
    ]);
    expect(started.map((s) => s.scenario)).toEqual(["baseline-2021/1", "baseline-2021/2"]);
    started[0]!.progress(2);
    expect(runs.view(views[0]!.id)!.progress).toEqual({ doneDays: 2, days: 3 });
    started[1]!.finish('{"x":2}');
    await settle();
    expect(started.map((s) => s.scenario)).toEqual(["baseline-2021/1", "baseline-2021/2", "baseline-2021/3"]);
    expect(runs.view(views[1]!.id)).toMatchObject({ status: "done", progress: { doneDays: 3, days: 3 } });
    expect(runs.resultJson(views[1]!.id)).toBe('{"x":2}');
    expect(runs.view(views[3]!.id)!.queuePosition).toBe(0);
    expect(runs.stats()).toEqual({ queued: 1, running: 2, finished: 1, finishedBytes: 7 });
  });

  it("refuses a run when the queue is full (503 LAB_BUSY, retry later) and changes nothing", () => {
    const { started, execute } = controlledExecutions();
    const runs = new LabRuns({ runsAtOnce: 1, queueMax: 2, execute });
    for (const seed of [1, 2, 3]) runs.submit(spec(seed), `caller-${seed}`);
    let refusal: unknown;
    try {
      runs.submit(spec(4), "caller-4");
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({
      code: "LAB_BUSY",
      details: { queued: 2, max: 2, retryAfterSeconds: 5 },
      headers: { "retry-after": "5" },
    });
    expect(runs.view(spec(4).id)).toBeUndefined();
    expect(runs.stats()).toMatchObject({ queued: 2, running: 1 });
    expect(started).toHaveLength(1);
    // A run already asked for is found, full queue or not.
    expect(runs.submit(spec(3), "caller-4")).toMatchObject({ created: false, view: { status: "queued" } });
  });

  it("counts a caller's waiting and running runs against its limit (429), and frees a slot when one ends", async () => {
    const { started, execute } = controlledExecutions();
    const runs = new LabRuns({ runsAtOnce: 1, perCallerMax: 2, execute });
    runs.submit(spec(1), "alice");
    runs.submit(spec(2), "alice");
    expect(() => runs.submit(spec(3), "alice")).toThrow(
      "You have 2 policy lab runs waiting or running, the most allowed is 2; wait for one to finish.",
    );
    expect(runs.submit(spec(3), "bob").created).toBe(true);
    started[0]!.finish("{}");
    await settle();
    expect(runs.submit(spec(4), "alice").created).toBe(true);
  });

  it("stops a run that takes too long, fails it with LAB_RUN_TIMEOUT and starts the next", async () => {
    vi.useFakeTimers();
    const { started, execute } = controlledExecutions();
    const runs = new LabRuns({ runsAtOnce: 1, timeoutMs: 1000, execute });
    const slow = runs.submit(spec(1, 10), "alice").view;
    const next = runs.submit(spec(2), "bob").view;
    started[0]!.progress(4);
    vi.advanceTimersByTime(999);
    expect(runs.view(slow.id)!.status).toBe("running");
    vi.advanceTimersByTime(1);
    expect(started[0]!.stopped).toBe(true);
    expect(runs.view(slow.id)).toMatchObject({
      status: "failed",
      error: {
        code: "LAB_RUN_TIMEOUT",
        message: "The simulation ran longer than 1000 ms and was stopped after 4 of 10 days.",
      },
    });
    expect(runs.view(next.id)!.status).toBe("running");
    // A late result of the stopped run changes nothing; asking for it again starts it afresh.
    started[0]!.finish("{}");
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.view(slow.id)!.status).toBe("failed");
    started[1]!.finish("{}");
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.submit(spec(1, 10), "alice")).toMatchObject({ created: true, view: { status: "running" } });
  });

  it("keeps the most recently read finished runs within the count and byte bounds", async () => {
    const { started, execute } = controlledExecutions();
    const runs = new LabRuns({ runsAtOnce: 4, keptMax: 2, bytesMax: 100, execute });
    const [a, b, c] = [1, 2, 3].map((seed) => runs.submit(spec(seed), `caller-${seed}`).view);
    started[0]!.finish("a".repeat(10));
    started[1]!.finish("b".repeat(10));
    await settle();
    runs.view(a!.id); // read: now the most recent
    started[2]!.finish("c".repeat(10));
    await settle();
    expect([runs.view(a!.id)?.status, runs.view(b!.id), runs.view(c!.id)?.status]).toEqual(["done", undefined, "done"]);
    expect(runs.stats()).toMatchObject({ finished: 2, finishedBytes: 20 });
    // A result larger than the byte bound pushes out all others (the newest always stays).
    const d = runs.submit(spec(4), "caller-4").view;
    started[3]!.finish("d".repeat(95));
    await settle();
    expect([runs.view(a!.id), runs.view(c!.id), runs.view(d.id)?.status]).toEqual([undefined, undefined, "done"]);
    expect(runs.stats()).toMatchObject({ finished: 1, finishedBytes: 95 });
  });

  it("reports an execution's error, and on close fails what waits or runs with LAB_STOPPED", async () => {
    const { started, execute } = controlledExecutions();
    const runs = new LabRuns({ runsAtOnce: 1, execute });
    const broken = runs.submit(spec(1), "alice").view;
    started[0]!.fail(new Error("out of gas"));
    await settle();
    expect(runs.view(broken.id)!.error).toMatchObject({
      code: "LAB_RUN_FAILED",
      message: "The simulation failed: out of gas.",
    });
    const running = runs.submit(spec(2), "alice").view;
    const waiting = runs.submit(spec(3), "bob").view;
    runs.close();
    expect(started[1]!.stopped).toBe(true);
    expect([runs.view(running.id)!.error!.code, runs.view(waiting.id)!.error!.code]).toEqual([
      "LAB_STOPPED",
      "LAB_STOPPED",
    ]);
    expect(() => runs.submit(spec(4), "carol")).toThrow("shutting down");
  });

  it("stops a real worker thread at the timeout", async () => {
    const runs = new LabRuns({ runsAtOnce: 1, timeoutMs: 50, execute: executeOnWorker });
    const view = runs.submit(spec(1, 366), "alice").view;
    const deadline = Date.now() + 10_000;
    while (runs.view(view.id)!.status === "running" && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(runs.view(view.id)!.error).toMatchObject({ code: "LAB_RUN_TIMEOUT", details: { timeoutMs: 50, days: 366 } });
    expect(runs.stats()).toMatchObject({ running: 0, queued: 0 });
  });
});
