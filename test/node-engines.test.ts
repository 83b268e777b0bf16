/**
 * The README promises Node.js 20.19 or later (package.json's `engines`) and that every dependency is pinned to
 * releases that support it: every package the lock file installs that names the Node versions it runs on must take
 * the oldest Node sauda supports, or `npm ci` on it prints "Unsupported engine" warnings (EBADENGINE) and the
 * package may use what that Node lacks. Optional packages for other platforms count too: their ranges are read as
 * written.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { minVersion, satisfies } from "semver";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string; engines?: unknown }>;
};

describe("the Node versions dependencies run on", () => {
  it("every locked package takes the oldest Node that package.json's engines names", () => {
    const oldest = minVersion(manifest.engines.node)?.version;
    expect(oldest).toBe("20.19.0");
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== "")
      .flatMap(([path, entry]) => {
        const engines = entry.engines;
        const range =
          engines !== null && typeof engines === "object" && "node" in engines
            ? (engines as { node: unknown }).node
            : null;
        if (typeof range !== "string") return [];
        return satisfies(oldest ?? "", range)
          ? []
          : [`${path.replace(/^.*node_modules\//, "")}@${entry.version}: ${range}`];
      });
    expect(refusing).toEqual([]);
  });
});
