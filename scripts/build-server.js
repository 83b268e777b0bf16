// `npm run build:server` (and `npm ci`, through `prepare`): compiles the server's TypeScript under src/ to JavaScript
// under dist/, file by file, so `sauda` starts without compiling TypeScript (bin/sauda.js runs the build while its
// stamp says it is fresh, else the sources through tsx).
//
// One output file per source, at the same depth as its source (src/gateway/server.ts -> dist/gateway/server.js), so
// every path a module finds from its own place (`import.meta.dirname` + "../../web/dist", the scenarios, the worker
// scripts beside it) still points where it did. Relative imports of ".ts" files are rewritten to ".js"; packages stay
// imports, resolved from node_modules at run time; the lazy `import()`s stay lazy (nothing is bundled). The plain
// JavaScript worker threads (src/journal/*.js) and data files are copied as they are. The policy lab's and the
// sweep's ".mjs" worker entries only exist to register tsx in a worker; compiled code starts its workers' modules
// directly (gateway/lab/runs.ts, simulator/sweep.ts), so they are not copied.
//
// esbuild, because it is what tsx compiles the sources with, reading the same tsconfig.json: the build runs the code
// tsx runs. Two differences of esbuild's bundling mode, used here only to rewrite the imports: top-level `const` and
// `let` become `var` (no temporal dead zone; harmless without import cycles, which test/layers.test.ts forbids), and a
// top-level name that would shadow a Node global is renamed (`require` -> `require2`).
// A dependency, not a devDependency (as vite and tsx): `prepare` builds under `npm ci --omit=dev` too.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { build } from "esbuild";
import { isBuildSource, STAMP_FILE, sourceStamp } from "../bin/build-stamp.js";

const ROOT = resolve(import.meta.dirname, "..");
const SRC = join(ROOT, "src");
const OUT = join(ROOT, "dist");

/** Turns every import into an external one, rewriting a relative ".ts" to ".js"; an import leaving src/ is an error. */
const keepImports = {
  name: "keep-imports",
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      if (!args.path.startsWith(".")) return { path: args.path, external: true };
      const target = resolve(args.resolveDir, args.path);
      if (relative(SRC, target).startsWith("..")) {
        return {
          errors: [{ text: `${args.importer} imports ${args.path}, outside src/: the build has no copy of it` }],
        };
      }
      return { path: args.path.replace(/\.ts$/, ".js"), external: true };
    });
  },
};

const started = performance.now();
// The stamp is taken before any source is read: a source edited while the build runs makes the build stale at once.
const stamp = sourceStamp(SRC);
rmSync(OUT, { recursive: true, force: true });
const entryPoints = [];
let copied = 0;
for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const full = join(entry.parentPath, entry.name);
  const path = relative(SRC, full).split(sep).join("/");
  if (!isBuildSource(path) || path.endsWith(".d.ts") || path.endsWith(".mjs")) continue;
  if (path.endsWith(".ts")) {
    entryPoints.push(full);
  } else {
    mkdirSync(dirname(join(OUT, path)), { recursive: true });
    copyFileSync(full, join(OUT, path));
    copied++;
  }
}
await build({
  entryPoints,
  outbase: SRC,
  outdir: OUT,
  bundle: true, // with every import external (keepImports): one output per source, imports rewritten
  plugins: [keepImports],
  format: "esm",
  platform: "node",
  target: "node20",
  tsconfig: join(ROOT, "tsconfig.json"),
  sourcemap: "linked",
  sourcesContent: false,
  logLevel: "warning",
});
writeFileSync(join(OUT, STAMP_FILE), stamp);
console.log(
  `build:server: ${entryPoints.length} modules compiled, ${copied} files copied to dist/ in ${Math.round(performance.now() - started)} ms`,
);
