/**
 * Keeps the layout honest (DESIGN.md, "Modules"): each module under src/ imports only the modules below it, the
 * engine and domain import no Node built-ins and no packages beyond a short allow-list, and no file imports itself
 * back through a cycle.
 */

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../src");

/** Which project modules each module may import (besides itself). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  domain: [],
  engine: ["domain"],
  journal: ["domain", "engine"],
  projections: ["domain", "engine"],
  surveillance: ["domain", "engine"],
  simulator: ["domain", "engine", "journal"],
  gateway: ["domain", "engine", "journal", "projections", "surveillance", "simulator"],
  cli: ["domain", "engine", "journal", "projections", "surveillance", "gateway", "simulator"],
};

/**
 * Packages the pure core may use: each is pure computation with no I/O, clock or randomness.
 * @noble/hashes: SHA-256 for the state hash (an audited, dependency-free implementation).
 * Surveillance is pure too (it runs beside the engine in the server and offline over a journal), with no package.
 */
const PURE_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  domain: [],
  engine: ["@noble/hashes"],
  surveillance: [],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers: string[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)) specifiers.push(match[1]!);
  for (const match of text.matchAll(/import\(\s*"([^"]+)"\s*\)/g)) specifiers.push(match[1]!);
  return specifiers;
}

function moduleOf(file: string): string {
  return relative(SRC, file).split("/")[0]!;
}

const files = sourceFiles(SRC);

describe("module layers", () => {
  it("knows every module under src/", () => {
    const modules = new Set(files.map(moduleOf));
    for (const module of modules) expect(Object.keys(ALLOWED), `module ${module}`).toContain(module);
  });

  it("imports only go down the layers", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith(".")) continue;
        const target = resolve(dirname(file), specifier);
        const to = moduleOf(target);
        if (to !== from && !ALLOWED[from]!.includes(to)) violations.push(`${relative(SRC, file)} imports ${specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the engine, the domain and surveillance import no Node built-ins and only pure packages", () => {
    const violations: string[] = [];
    for (const file of files) {
      const module = moduleOf(file);
      const allowed = PURE_PACKAGES[module];
      if (!allowed) continue;
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith(".")) continue;
        const pkg = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
        if (!allowed.includes(pkg)) violations.push(`${relative(SRC, file)} imports ${specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      graph.set(
        file,
        importsOf(file)
          .filter((s) => s.startsWith("."))
          .map((s) => resolve(dirname(file), s)),
      );
    }
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(" -> "));
        return;
      }
      state.set(file, "visiting");
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
