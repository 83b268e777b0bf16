// Whether the compiled server under dist/ (scripts/build-server.js) may run instead of the TypeScript sources. Plain
// JavaScript: bin/sauda.js reads it before any loader is registered, and the build script writes with it.
//
// The stamp lists every file the build reads under src/ (tests excepted) with its size and modification time; the
// build writes it last, after every output file, so a build cut short has no stamp. A build runs only while the stamp
// it wrote equals the stamp of src/ now: an edited, added or removed source (or a checkout, which sets new times)
// makes it stale, and bin/sauda.js then runs the sources through tsx. Sizes and times are enough: a source edited
// to the same size within the same millisecond is the one case they miss, and no editor or checkout does that. The
// check costs a readdir per directory and a stat per source file (about 280): about 12 ms of CPU in a fresh process
// at load average 23 (docs/operations.md, "Restart").
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Bumped when the build's output changes shape for the same sources, so an older build is never taken as fresh. */
export const BUILD_FORMAT = 1;
/** The stamp file, inside the build directory. */
export const STAMP_FILE = ".source-stamp";

/** Sources the build reads: all of src/ but the test files. */
export function isBuildSource(path) {
  return !path.endsWith(".test.ts");
}

/** The stamp of the sources under `srcDir` now: one line per file (path, size, modification time), sorted. */
export function sourceStamp(srcDir) {
  const lines = [`format ${BUILD_FORMAT}`];
  // A walk of one readdir per directory: at a cold start readdirSync's `recursive` option costs several times more
  // CPU (25-30 ms against 2-3 ms for src/, measured at load average 23).
  const walk = (dir) => {
    for (const entry of readdirSync(dir === "" ? srcDir : `${srcDir}/${dir}`, { withFileTypes: true })) {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (isBuildSource(path)) {
        const stat = statSync(`${srcDir}/${path}`);
        lines.push(`${path} ${stat.size} ${stat.mtimeMs}`);
      }
    }
  };
  walk("");
  return lines.sort().join("\n");
}

/**
 * The compiled CLI entry (`<buildDir>/cli/main.js`) when the build in `buildDir` is complete and was made from the
 * sources under `srcDir` as they are now; otherwise null (no build, a build cut short, or stale sources).
 */
export function freshBuild(srcDir, buildDir) {
  let written;
  try {
    written = readFileSync(join(buildDir, STAMP_FILE), "utf8");
  } catch {
    return null;
  }
  return written === sourceStamp(srcDir) ? join(buildDir, "cli", "main.js") : null;
}
