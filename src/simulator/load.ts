/**
 * Reads a scenario file and the files it `extends` (paths relative to the file that names them), merges them and
 * checks the result. A chain of `extends` is bounded and may not loop.
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { mergeScenario, parseScenario, type Scenario, ScenarioError } from "./scenario.ts";

export const EXTENDS_DEPTH_MAX = 8;

/** The merged JSON value of a scenario file, before checking (for sweeps, which change fields first). */
export function readScenarioJson(path: string): unknown {
  const seen: string[] = [];
  const read = (file: string): unknown => {
    const full = resolve(file);
    if (seen.includes(full)) throw new ScenarioError(`scenario ${file}: 'extends' loops back to itself`);
    if (seen.length >= EXTENDS_DEPTH_MAX) throw new ScenarioError(`scenario ${file}: 'extends' is nested too deep`);
    seen.push(full);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(full, "utf8"));
    } catch (error) {
      if (error instanceof SyntaxError) throw new ScenarioError(`scenario ${file} is not valid JSON: ${error.message}`);
      throw error;
    }
    const base = (value as { extends?: unknown }).extends;
    if (base === undefined) return value;
    if (typeof base !== "string") throw new ScenarioError(`scenario ${file}: 'extends' must be a file name`);
    return mergeScenario(read(resolve(dirname(full), base)), value);
  };
  return read(path);
}

export function loadScenario(path: string): Scenario {
  return parseScenario(readScenarioJson(path));
}

/** Writes files (name → content, names may contain folders) under `dir`. */
export function writeFiles(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [name, content] of files) {
    const path = resolve(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}
