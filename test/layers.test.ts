/**
 * Keeps the layout honest (docs/architecture.md, "Modules"): each module under src/ imports only what the table
 * allows, the engine and domain import no Node built-ins and no packages beyond a short allow-list, the read models
 * take from the engine only its messages and its pure rules, the browser application takes nothing from the server
 * but two pure domain modules, and no file imports itself back through a cycle. Every source file counts: TypeScript,
 * JavaScript and ES modules alike, and the files a worker thread is started from.
 */

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const SRC = join(ROOT, "src");
const WEB = join(ROOT, "web/src");
const ARCHITECTURE = join(ROOT, "docs/architecture.md");

/** Which project modules each module may import (besides itself): docs/architecture.md's table, word for word. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  domain: [],
  engine: ["domain"],
  journal: ["domain", "engine"],
  projections: ["domain", "engine"],
  surveillance: ["domain", "engine"],
  reports: ["domain", "engine", "projections", "surveillance"],
  simulator: ["domain", "engine", "journal"],
  gateway: ["domain", "engine", "journal", "projections", "surveillance", "reports", "simulator"],
  demo: ["domain", "simulator"],
  cli: ["domain", "engine", "journal", "projections", "surveillance", "reports", "simulator", "gateway", "demo"],
};

/**
 * The engine as the read models may see it ("events and pure rule functions"). Values (functions, constants) only
 * from modules of pure rules, which hold no state (checked below: no class); types also from the messages (events,
 * commands) and the modules that define the values those messages carry. The engine itself, its markets, books,
 * ledger and clearing house are off limits.
 */
const ENGINE_RULES_FOR_PROJECTIONS = [
  "auction.ts",
  "calendar.ts",
  "phases.ts",
  "safeguards.ts",
  "heap.ts",
  "notices.ts",
];
const ENGINE_TYPES_FOR_PROJECTIONS = [
  ...ENGINE_RULES_FOR_PROJECTIONS,
  "events.ts",
  "commands.ts",
  "clearing.ts",
  "delivery.ts",
  "members.ts",
  "book.ts",
  "access.ts",
  "accreditation.ts",
];

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

/**
 * What the browser application may take from the server's code: pure domain modules with no imports outside the
 * domain (the buy-order block rule, the id formats), so it shows exactly what the exchange will do. Its API types come
 * from the OpenAPI document.
 */
const WEB_MAY_IMPORT = [
  // Whether a band a ceiling or floor clamped refused a price, said the same by the server and the page.
  "src/domain/band-clamp.ts",
  // The evidence charts' time span, drawn the same in the console and in the filed report.
  "src/domain/chart-span.ts",
  "src/domain/collateral.ts",
  "src/domain/ids.ts",
  // The API schema's bounds the forms check before sending (order size and price, text lengths).
  "src/domain/limits.ts",
  "src/domain/order.ts",
  // The server's sentences for error codes, made in the browser in the reader's language of the moment (with the
  // modules they import): a refusal shown follows a switch of language.
  "src/domain/catalogue.ts",
  "src/domain/errors.ts",
  "src/domain/locale.ts",
  "src/domain/messages.ts",
  "src/domain/messages-kk.ts",
  "src/domain/messages-ru.ts",
  "src/domain/messages-validation.ts",
  "src/domain/phrases.ts",
  "src/domain/value-forms.ts",
];

const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;
const TEST = /\.test\.(ts|tsx|js|mjs)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return SOURCE.test(entry.name) && !TEST.test(entry.name) ? [path] : [];
  });
}

interface Import {
  readonly specifier: string;
  /** Only types are imported (`import type`, or every name marked `type`): nothing of it runs. */
  readonly typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  const found: Import[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s+["']([^"']+)["']/gms;
  for (const match of text.matchAll(statement)) {
    const names = match[3]!;
    const braced = /^\{([^}]*)\}$/.exec(names.trim());
    const everyNameTyped =
      braced !== null &&
      braced[1]!
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean)
        .every((name) => name.startsWith("type "));
    found.push({ specifier: match[4]!, typeOnly: match[2] !== undefined || everyNameTyped });
  }
  // Side-effect imports, dynamic imports, CommonJS requires, and files a worker is started from.
  const plain = [
    /^\s*import\s+["']([^"']+)["']/gm,
    /import\(\s*["']([^"']+)["']\s*\)/g,
    /require\(\s*["']([^"']+)["']\s*\)/g,
    /new\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const pattern of plain) {
    for (const match of text.matchAll(pattern)) found.push({ specifier: match[1]!, typeOnly: false });
  }
  return found;
}

/**
 * The "may import" column of docs/architecture.md's module table, read as ALLOWED is written: parentheses are
 * comments ("events and pure rule functions", "and the API over HTTP"), "all above" is every module above the row,
 * "all" every other module; the browser application (`web/`, outside src/) is checked on its own below.
 */
function documentedTable(): Record<string, string[]> {
  const rows = readFileSync(ARCHITECTURE, "utf8")
    .split("\n")
    .map((line) => /^\| `([a-z]+)\/` \|[^|]*\| ([^|]*) \|$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ module: match[1]!, imports: match[2]!.replace(/\([^)]*\)/g, "").trim() }))
    .filter((row) => row.module !== "web");
  const table: Record<string, string[]> = {};
  rows.forEach(({ module, imports }, i) => {
    table[module] =
      imports === "nothing"
        ? []
        : imports === "all above"
          ? rows.slice(0, i).map((row) => row.module)
          : imports === "all"
            ? rows.filter((row) => row.module !== module).map((row) => row.module)
            : imports.split(",").map((name) => name.trim());
  });
  return table;
}

function moduleOf(file: string): string {
  return relative(SRC, file).split("/")[0]!;
}

const files = sourceFiles(SRC);

describe("module layers", () => {
  it("finds the JavaScript files too (worker threads)", () => {
    const scripts = files.filter((file) => /\.(js|mjs|cjs)$/.test(file)).map((file) => relative(SRC, file));
    expect(scripts).toContain("journal/sqlite-writer.js");
    expect(scripts).toContain("simulator/sweep-worker-entry.mjs");
  });

  it("knows every module under src/, and docs/architecture.md's table says exactly what ALLOWED says", () => {
    const modules = new Set(files.map(moduleOf));
    for (const module of modules) expect(Object.keys(ALLOWED), `module ${module}`).toContain(module);
    expect(documentedTable()).toEqual(ALLOWED);
  });

  it("imports only what the table allows", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      for (const { specifier } of importsOf(file)) {
        if (!specifier.startsWith(".")) continue;
        const to = moduleOf(resolve(dirname(file), specifier));
        if (to !== from && !ALLOWED[from]!.includes(to)) violations.push(`${relative(SRC, file)} imports ${specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the read models take from the engine only its events, its messages' types and its pure rules", () => {
    const violations: string[] = [];
    for (const file of files.filter((f) => moduleOf(f) === "projections")) {
      for (const { specifier, typeOnly } of importsOf(file)) {
        if (!specifier.startsWith(".")) continue;
        const target = resolve(dirname(file), specifier);
        if (moduleOf(target) !== "engine") continue;
        const name = relative(join(SRC, "engine"), target);
        const allowed = typeOnly ? ENGINE_TYPES_FOR_PROJECTIONS : ENGINE_RULES_FOR_PROJECTIONS;
        if (!allowed.includes(name)) {
          violations.push(`${relative(SRC, file)} imports ${typeOnly ? "types from " : ""}${specifier}`);
        }
      }
    }
    expect(violations).toEqual([]);
    // The rule modules hold no state: no class in them.
    for (const name of ENGINE_RULES_FOR_PROJECTIONS) {
      expect(readFileSync(join(SRC, "engine", name), "utf8"), `engine/${name}`).not.toMatch(/^\s*(export\s+)?class\s/m);
    }
  });

  it("the engine, the domain and surveillance import no Node built-ins and only pure packages", () => {
    const violations: string[] = [];
    for (const file of files) {
      const module = moduleOf(file);
      const allowed = PURE_PACKAGES[module];
      if (!allowed) continue;
      for (const { specifier } of importsOf(file)) {
        if (specifier.startsWith(".")) continue;
        const pkg = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
        if (!allowed.includes(pkg)) violations.push(`${relative(SRC, file)} imports ${specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the browser application imports nothing of the server but the pure domain modules it shares", () => {
    const violations: string[] = [];
    for (const file of sourceFiles(WEB)) {
      for (const { specifier } of importsOf(file)) {
        if (!specifier.startsWith(".")) continue;
        const target = resolve(dirname(file), specifier);
        if (!relative(WEB, target).startsWith("..")) continue;
        if (!WEB_MAY_IMPORT.includes(relative(ROOT, target))) {
          violations.push(`${relative(ROOT, file)} imports ${specifier}`);
        }
      }
    }
    expect(violations).toEqual([]);
    for (const shared of WEB_MAY_IMPORT) {
      for (const { specifier } of importsOf(join(ROOT, shared))) {
        expect(specifier.startsWith("./"), `${shared} imports ${specifier}`).toBe(true);
      }
    }
  });

  it("has no import cycles", () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      graph.set(
        file,
        importsOf(file)
          .filter(({ specifier }) => specifier.startsWith("."))
          .map(({ specifier }) => resolve(dirname(file), specifier)),
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
