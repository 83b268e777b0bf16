/**
 * `sauda simulate`: the policy lab from the command line.
 *
 *   sauda simulate SCENARIO.json --out DIR            one run: result.json, CSV tables, charts/*.svg, report.html
 *   sauda simulate --compare A.json B.json --out DIR  two runs side by side on the same charts
 *   sauda simulate SCENARIO.json --sweep band=5,10,20 --out DIR
 *                                                     one run per value, in parallel on all cores, and a summary
 *   sauda simulate SCENARIO.json --runs N --out DIR   N runs drawing every uncertain input from its range, in parallel
 *                                                     on all cores: uncertainty.json, fan charts and report.html
 *
 * A single run (and each run of --compare) is watched by market surveillance (lab-surveillance.ts): its alerts, and
 * which of the scenario's manipulators they flagged, go into result.json (`surveillance`), the report and the summary.
 *
 * `--days N` and `--seed N` override the scenario's. A progress bar goes to standard error, only on a terminal.
 * Results go to files; standard output gets a short summary. Exit codes as for every sauda command (main.ts).
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadScenario, readScenarioJson, writeFiles } from "../simulator/load.ts";
import { comparisonFiles, headline, runFiles } from "../simulator/output.ts";
import { runScenario } from "../simulator/runner.ts";
import { parseScenario, type Scenario, ScenarioError } from "../simulator/scenario.ts";
import type { VariantSummary } from "../simulator/summary.ts";
import { parseSweep, runInWorkers, sweepVariants } from "../simulator/sweep.ts";
import {
  drawnRuns,
  RUNS_MAX,
  type RunOutcome,
  runOutcome,
  uncertainInputs,
  uncertaintyReport,
} from "../simulator/uncertainty.ts";
import { uncertaintyFiles } from "../simulator/uncertainty-output.ts";
import { runWithSurveillance } from "./lab-surveillance.ts";

export interface SimulateOptions {
  readonly out?: string;
  readonly compare?: readonly string[];
  readonly sweep?: string;
  readonly days?: string;
  readonly seed?: string;
  readonly runs?: string;
}

export class SimulateUsageError extends Error {
  override readonly name = "SimulateUsageError";
}

/** A one-line progress bar on standard error, redrawn in place; silent when standard error is not a terminal. */
export class ProgressBar {
  private lastDrawMs = 0;
  private readonly enabled: boolean;
  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = stream.isTTY === true;
  }

  update(done: number, total: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (done < total && now - this.lastDrawMs < 50) return;
    this.lastDrawMs = now;
    const width = 30;
    const filled = Math.round((width * done) / total);
    this.stream.write(`\r${this.label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
    if (done === total) this.stream.write("\n");
  }
}

function withOverrides(json: unknown, options: SimulateOptions): unknown {
  const copy = structuredClone(json) as Record<string, unknown>;
  const whole = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new SimulateUsageError(`--${name} must be a whole number, not '${text}'`);
    return n;
  };
  if (options.days !== undefined) copy.days = whole("days", options.days);
  if (options.seed !== undefined) copy.seed = whole("seed", options.seed);
  return copy;
}

function load(file: string, options: SimulateOptions): Scenario {
  return parseScenario(withOverrides(readScenarioJson(file), options));
}

async function runOne(scenario: Scenario) {
  const bar = new ProgressBar(scenario.name);
  const started = performance.now();
  const result = await runWithSurveillance(scenario, { onProgress: (done, total) => bar.update(done, total) });
  return { result, seconds: (performance.now() - started) / 1000 };
}

export async function simulateCommand(
  scenarioFile: string | undefined,
  options: SimulateOptions,
  print: (line: string) => void,
): Promise<number> {
  const out = resolve(options.out ?? "sim-out");
  const compare = options.compare ?? [];
  if (compare.length > 0) {
    const files = scenarioFile === undefined ? compare : [scenarioFile, ...compare];
    if (files.length !== 2) throw new SimulateUsageError("--compare takes two scenarios: --compare A.json B.json");
    if (options.sweep !== undefined) throw new SimulateUsageError("--compare and --sweep cannot be combined");
    const a = await runOne(load(files[0]!, options));
    const b = await runOne(load(files[1]!, options));
    writeFiles(out, comparisonFiles(a.result, b.result));
    print(
      `compared ${a.result.scenario.name} (A, ${a.seconds.toFixed(1)} s) with ${b.result.scenario.name} (B, ${b.seconds.toFixed(1)} s)`,
    );
    const ha = headline(a.result);
    const hb = headline(b.result);
    for (const [i, h] of ha.entries()) print(`  ${h.label}: A ${h.value} | B ${hb[i]!.value}`);
    print(`wrote ${join(out, "report.html")} and the tables and charts of both runs`);
    return 0;
  }
  if (scenarioFile === undefined) throw new SimulateUsageError("name a scenario file, or use --compare A.json B.json");
  if (options.runs !== undefined) {
    if (options.sweep !== undefined) throw new SimulateUsageError("--runs and --sweep cannot be combined");
    return uncertaintyCommand(scenarioFile, options, out, print);
  }
  if (options.sweep !== undefined) {
    const spec = parseSweep(options.sweep);
    const variants = sweepVariants(withOverrides(readScenarioJson(scenarioFile), options), spec);
    const bar = new ProgressBar(`sweep ${spec.name}`);
    bar.update(0, variants.length);
    const started = performance.now();
    mkdirSync(out, { recursive: true });
    const summaries: (VariantSummary & { headline: { label: string; value: string }[] })[] = [];
    const results = await runInWorkers<VariantSummary & { headline: { label: string; value: string }[] }>(
      variants,
      { outDir: null },
      { onDone: (done, total) => bar.update(done, total) },
    ).catch(async () => {
      // Fallback when worker threads cannot load TypeScript: run here, one after another.
      const local: (VariantSummary & { headline: { label: string; value: string }[] })[] = [];
      for (const v of variants) {
        const { result } = await runOne(v);
        const { variantSummary } = await import("../simulator/summary.ts");
        local.push({ ...variantSummary(result), headline: headline(result) });
      }
      return local;
    });
    summaries.push(...results);
    const seconds = (performance.now() - started) / 1000;
    writeFileSync(join(out, "sweep.json"), `${JSON.stringify({ parameter: spec, variants: summaries }, null, 1)}\n`);
    const header = ["value", "scenario", "average_wholesale_tenge_per_tonne", "export_tonnes", "shortage_percent"];
    const regionNames = summaries[0]?.regions.map((g) => g.region) ?? [];
    for (const g of regionNames)
      header.push(`${g}_first_month_wholesale`, `${g}_first_month_retail`, `${g}_shortage_percent`);
    const rows = summaries.map((s, i) => [
      String(spec.values[i]),
      s.scenario,
      String(s.averageWholesaleTengePerTonne ?? ""),
      String(s.exportTonnes),
      String(s.shortagePercent),
      ...s.regions.flatMap((g) => [
        String(g.firstMonthWholesaleTengePerTonne ?? ""),
        String(g.firstMonthRetailTengePerLitre),
        String(g.shortagePercent),
      ]),
    ]);
    writeFileSync(join(out, "sweep.csv"), `${[header, ...rows].map((r) => r.join(",")).join("\n")}\n`);
    print(`sweep ${spec.name} (${spec.path}) over ${spec.values.length} values in ${seconds.toFixed(1)} s:`);
    for (const [i, s] of summaries.entries()) {
      const focus = s.regions[0];
      print(
        `  ${spec.name}=${String(spec.values[i])}: average ${s.averageWholesaleTengePerTonne ?? "—"} tenge/t, unmet ${s.shortagePercent}%` +
          (focus
            ? `, ${focus.region} first month ${focus.firstMonthWholesaleTengePerTonne ?? "—"} tenge/t, ${focus.firstMonthRetailTengePerLitre} tenge/l`
            : ""),
      );
    }
    print(`wrote ${join(out, "sweep.csv")} and ${join(out, "sweep.json")}`);
    return 0;
  }
  const { result, seconds } = await runOne(load(scenarioFile, options));
  writeFiles(out, runFiles(result));
  print(
    `${result.scenario.name}: ${result.dates.length} days in ${seconds.toFixed(1)} s (${result.engine.commands} engine commands)`,
  );
  for (const h of headline(result)) print(`  ${h.label}: ${h.value}`);
  const watch = result.surveillance;
  if (watch) {
    print(
      `  surveillance: ${watch.alerts.length} alerts over ${watch.sessions} sessions; ${watch.falseAlerts} name honest agents (${watch.falseAlertsPer1000Sessions} per 1,000 sessions), ${watch.falseManipulationAlerts} of them by a manipulation rule (${watch.falseManipulationAlertsPer1000Sessions} per 1,000; concentration aside)`,
    );
    for (const m of watch.manipulators) {
      const acted = m.sessionsActed === null ? "" : `; acted in ${m.sessionsActed} sessions`;
      print(
        `    ${m.manipulator} (${m.accounts.join(", ")}): ${m.flagged ? "flagged" : "NOT flagged"} by ${m.rule}, ${m.alerts} alerts naming ${m.sessionsNamed} sessions${acted}`,
      );
    }
  }
  print(`wrote ${join(out, "report.html")}, result.json, CSV tables and charts/*.svg`);
  return 0;
}

/** `--runs N`: N runs over the scenario's uncertain inputs on worker threads, and their spread (uncertainty.ts). */
async function uncertaintyCommand(
  scenarioFile: string,
  options: SimulateOptions,
  out: string,
  print: (line: string) => void,
): Promise<number> {
  const runs = Number(options.runs);
  if (!Number.isSafeInteger(runs) || runs < 2 || runs > RUNS_MAX)
    throw new SimulateUsageError(`--runs must be a whole number from 2 to ${RUNS_MAX}, not '${options.runs}'`);
  const json = withOverrides(readScenarioJson(scenarioFile), options);
  const base = parseScenario(json);
  if (uncertainInputs(json).length === 0)
    throw new SimulateUsageError(`${scenarioFile} has no uncertain inputs (no number with low and high)`);
  const { inputs, scenarios, draws } = drawnRuns(json, base.seed, runs);
  const bar = new ProgressBar(`${runs} runs`);
  bar.update(0, runs);
  const started = performance.now();
  const outcomes = await runInWorkers<RunOutcome>(
    scenarios,
    { outDir: null, outcome: "uncertainty" },
    { onDone: (done, total) => bar.update(done, total) },
  ).catch(async () => {
    // Fallback when worker threads cannot load TypeScript: run here, one after another.
    const local: RunOutcome[] = [];
    for (const s of scenarios) local.push(runOutcome(await runScenario(s)));
    return local;
  });
  const seconds = (performance.now() - started) / 1000;
  const report = uncertaintyReport(outcomes, draws, inputs);
  writeFiles(out, uncertaintyFiles(base, report, inputs, seconds));
  print(`${base.name}: ${runs} runs over ${inputs.length} uncertain inputs in ${seconds.toFixed(1)} s`);
  const focus = base.focusRegions[0];
  const peak = report.peakRetailTengePerLitre.find((p) => p.region === focus);
  if (peak) print(`  ${focus} peak retail, tenge/l: P10 ${peak.p10}, P50 ${peak.p50}, P90 ${peak.p90}`);
  for (const d of report.drivers.slice(0, 5)) print(`  driver ${d.path}: ${d.share}`);
  print(`wrote ${join(out, "uncertainty.json")}, ${join(out, "report.html")} and charts/fan-*.svg`);
  return 0;
}

export { loadScenario, ScenarioError };
