// `npm run build:server` (and `npm ci`, through `prepare`): compiles the server's TypeScript under src/ to JavaScript
// under dist/, file by file, so `sauda` starts without compiling TypeScript (bin/sauda.js runs the build while its
// stamp says it is fresh, else the sources through tsx).
//
// One output file per source, at the same depth as its source (src/gateway/server.ts -> dist/gateway/server.js), so
// every path a module finds from its own place (`import.meta.dirname` + "../../web/dist", the scenarios, the worker
// scripts beside it) still points where it did. Relative imports of ".ts" files are rewritten to ".js"; packages stay
// imports, resolved from node_modules at run time, but for those listed in VENDORED, each bundled into one file under
// dist/vendor/ (below); the lazy `import()`s stay lazy (nothing of src/ is bundled). The plain
// JavaScript worker threads (src/journal/*.js) and data files are copied as they are. The policy lab's and the
// sweep's ".mjs" worker entries only exist to register tsx in a worker; compiled code starts its workers' modules
// directly (gateway/lab/runs.ts, simulator/sweep.ts), so they are not copied.
//
// esbuild, because it is what tsx compiles the sources with, reading the same tsconfig.json: the build runs the code
// tsx runs. Two differences of esbuild's bundling mode, used here only to rewrite the imports: top-level `const` and
// `let` become `var` (no temporal dead zone; harmless without import cycles, which test/layers.test.ts forbids), and a
// top-level name that would shadow a Node global is renamed (`require` -> `require2`).
// A dependency, not a devDependency (as vite and tsx): `prepare` builds under `npm ci --omit=dev` too.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { build } from "esbuild";
import { isBuildSource, STAMP_FILE, sourceStamp } from "../bin/build-stamp.js";

const ROOT = resolve(import.meta.dirname, "..");
const SRC = join(ROOT, "src");
const OUT = join(ROOT, "dist");

/**
 * Packages the build bundles, each into one file under dist/vendor/ that the compiled modules import instead of the
 * package. For packages of many small modules, which Node loads one by one, loaded before a server can listen:
 * typebox (the schema builder of every route) is 374 ES modules, about 240 ms to import, and about 35 ms as one file
 * (load average 3); prom-client (the metrics) with @opentelemetry/api is 84 CommonJS modules, 70-90 ms, and about
 * 40 ms as one file. Then fastify, the plugins the server registers before it listens, ajv and commander (about
 * 500 CommonJS modules): importing the server's modules 477-527 ms of CPU from node_modules, 382-415 ms bundled
 * (alternating, load average 15). They are bundled in one build, split: what several of them share (fastify-plugin,
 * ws, ajv, ...) goes into a chunk under dist/vendor/chunks/ loaded once. Left out: packages that find files beside
 * their own code (@fastify/swagger and @fastify/swagger-ui read their package.json and static files from
 * `__dirname`), better-sqlite3 (a native addon) and what loads only when asked for (pg, pdfkit, exceljs, ...).
 * Only a package's main entry is bundled; an import of one of its subpaths is an error.
 */
const VENDORED = [
  "typebox",
  "prom-client",
  "fastify",
  "@fastify/cookie",
  "@fastify/helmet",
  "@fastify/rate-limit",
  "@fastify/static",
  "@fastify/websocket",
  "ajv",
  "ajv-formats",
  "commander",
];
const VENDOR_DIR = "vendor";

/**
 * Turns every import into an external one, rewriting a relative ".ts" to ".js" and a vendored package to its file
 * under dist/vendor/; an import leaving src/ is an error.
 */
const keepImports = {
  name: "keep-imports",
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      if (VENDORED.includes(args.path)) {
        // The output mirrors src/ (one file per source at the same depth): the path from the importer's place in
        // src/ to src/vendor/ is the path from its output to dist/vendor/.
        const path = relative(args.resolveDir, join(SRC, VENDOR_DIR, `${args.path}.js`))
          .split(sep)
          .join("/");
        return { path: path.startsWith(".") ? path : `./${path}`, external: true };
      }
      if (VENDORED.some((name) => args.path.startsWith(`${name}/`))) {
        return {
          errors: [
            { text: `${args.importer} imports ${args.path}: only ${args.path.split("/")[0]} itself is bundled` },
          ],
        };
      }
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
const requireHere = createRequire(join(ROOT, "package.json"));
/** The vendored packages that have a default export (as Node imports them). */
const hasDefault = new Set();
for (const name of VENDORED) if ("default" in (await import(name))) hasDefault.add(name);
/** The entry module of a vendored package: what the compiled modules import in its place. */
function vendorEntry(name) {
  // A CommonJS package's names are exported one by one (`export *` cannot name them), as Node's own import of it
  // does.
  // (commander ships both: Node's import takes its ES module, esm.mjs, which has no default export.)
  const commonJs =
    JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).type !== "module" &&
    !import.meta.resolve(name).endsWith(".mjs");
  const names = commonJs
    ? Object.keys(requireHere(name)).filter((key) => /^[A-Za-z_$][\w$]*$/.test(key) && key !== "default")
    : [];
  return commonJs
    ? `import pkg from "${name}";\nexport default pkg;\nexport const { ${names.join(", ")} } = pkg;\n`
    : `export * from "${name}";\n${hasDefault.has(name) ? `export { default } from "${name}";\n` : ""}`;
}
// All vendored packages in one build, split: what several of them use (fastify-plugin, ws, ajv, ...) goes to a
// shared chunk, loaded once, as Node would load it once from node_modules.
await build({
  entryPoints: VENDORED.map((name) => ({ in: `vendor-entry:${name}`, out: name })),
  plugins: [
    {
      name: "vendor-entries",
      setup(builder) {
        builder.onResolve({ filter: /^vendor-entry:/ }, (args) => ({
          path: args.path.slice("vendor-entry:".length),
          namespace: "vendor-entry",
        }));
        builder.onLoad({ filter: /.*/, namespace: "vendor-entry" }, (args) => ({
          contents: vendorEntry(args.path),
          resolveDir: ROOT,
          loader: "js",
        }));
      },
    },
  ],
  // The CommonJS packages' require() calls of Node's modules need a `require` in each ES module.
  banner: { js: 'import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);' },
  outdir: join(OUT, VENDOR_DIR),
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  sourcesContent: false,
  logLevel: "warning",
});
writeFileSync(join(OUT, STAMP_FILE), stamp);
console.log(
  `build:server: ${entryPoints.length} modules compiled, ${VENDORED.length} packages bundled, ${copied} files copied to dist/ in ${Math.round(performance.now() - started)} ms`,
);
