import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEMI_SPACE_MB, semiSpaceMb, youngGenerationLine } from "./young-generation.ts";

const root = join(import.meta.dirname, "../..");

describe("the young generation sauda serve runs with", () => {
  it("reads --max-semi-space-size from node's arguments or NODE_OPTIONS, the last one given counting", () => {
    expect(semiSpaceMb([], undefined)).toBeNull();
    expect(semiSpaceMb(["--import", "tsx"], "--max-old-space-size=4096")).toBeNull();
    expect(semiSpaceMb(["--max-semi-space-size=64"], undefined)).toBe(64);
    expect(semiSpaceMb(["--max-semi-space-size", "32"], "--enable-source-maps")).toBe(32);
    expect(semiSpaceMb([], "--enable-source-maps --max-semi-space-size=32")).toBe(32);
    expect(semiSpaceMb(["--max_semi_space_size=128"], "")).toBe(128);
    // NODE_OPTIONS is read before the command line, so the command line's flag wins (measured: node's new space).
    expect(semiSpaceMb(["--max-semi-space-size=64"], "--max-semi-space-size=8")).toBe(64);
    expect(semiSpaceMb(["--max-semi-space-size=8", "--max-semi-space-size=16"], undefined)).toBe(16);
    expect(semiSpaceMb(["--max-semi-space-size=x"], undefined)).toBeNull();
  });

  it("npm start and bin/sauda.js's first line give node the flag", () => {
    const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { start: string } })
      .scripts;
    expect(scripts.start).toBe(`node --max-semi-space-size=${SEMI_SPACE_MB} bin/sauda.js serve`);
    const shebang = readFileSync(join(root, "bin/sauda.js"), "utf8").split("\n")[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node --max-semi-space-size=${SEMI_SPACE_MB}`);
  });

  it("says what it got, and without the flag names it", () => {
    expect(youngGenerationLine(64)).toBe("heap: young generation with semi-spaces of 64 MB (--max-semi-space-size=64)");
    expect(youngGenerationLine(null)).toMatch(
      /^heap: node's default young generation \(16 MB semi-spaces\); start node with --max-semi-space-size=64,/,
    );
  });
});
