/**
 * The freshness check of the compiled build (bin/build-stamp.js): bin/sauda.js runs dist/ only while the stamp the
 * build wrote equals the stamp of the sources now. An edited, added or removed source makes the build stale (the
 * sources run through tsx); a test file does not count; a build without its stamp (cut short) never runs.
 */

import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { freshBuild, STAMP_FILE, sourceStamp } from "../bin/build-stamp.js";

let root = "";
let src = "";
let dist = "";

/** A source tree of three files and a build stamped from it, as scripts/build-server.js leaves it. */
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "sauda-build-stamp-"));
  src = join(root, "src");
  dist = join(root, "dist");
  mkdirSync(join(src, "cli"), { recursive: true });
  mkdirSync(join(dist, "cli"), { recursive: true });
  writeFileSync(join(src, "cli/main.ts"), "export const main = 1;\n");
  writeFileSync(join(src, "cli/main.test.ts"), "// a test\n");
  writeFileSync(join(src, "worker.js"), "// a worker\n");
  writeFileSync(join(dist, STAMP_FILE), sourceStamp(src));
  return () => rmSync(root, { recursive: true, force: true });
});

describe("freshBuild", () => {
  it("names the compiled entry while the sources are as the build found them", () => {
    expect(freshBuild(src, dist)).toBe(join(dist, "cli", "main.js"));
  });

  it("is stale once a source is edited, even to the same size", () => {
    const file = join(src, "cli/main.ts");
    const before = statSync(file);
    writeFileSync(file, "export const main = 2;\n");
    expect(statSync(file).size).toBe(before.size);
    utimesSync(file, before.atime, new Date(before.mtimeMs + 1000));
    expect(freshBuild(src, dist)).toBeNull();
  });

  it("is stale once a source is added or removed", () => {
    writeFileSync(join(src, "cli/serve.ts"), "export {};\n");
    expect(freshBuild(src, dist)).toBeNull();
    rmSync(join(src, "cli/serve.ts"));
    expect(freshBuild(src, dist)).toBe(join(dist, "cli", "main.js"));
    rmSync(join(src, "worker.js"));
    expect(freshBuild(src, dist)).toBeNull();
  });

  it("stays fresh when only a test changes", () => {
    writeFileSync(join(src, "cli/main.test.ts"), "// a longer test than before\n");
    writeFileSync(join(src, "cli/serve.test.ts"), "// a new test\n");
    expect(freshBuild(src, dist)).toBe(join(dist, "cli", "main.js"));
  });

  it("is absent without a stamp (no build, or one cut short)", () => {
    rmSync(join(dist, STAMP_FILE));
    expect(freshBuild(src, dist)).toBeNull();
    expect(freshBuild(src, join(root, "no-build"))).toBeNull();
  });
});
