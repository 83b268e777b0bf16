/**
 * The built web application (web/dist, what `npm ci` builds) is split so that no chunk passes Vite's warning limit
 * (web/vite.config.ts's chunkSizeWarningLimit, 700 kB) and the first page load does not carry the chart library:
 * lightweight-charts is in a chunk of its own that neither the entry script nor what index.html preloads holds, and
 * the pages that draw charts (the board's instrument chart, the lab's results) import it when they show one.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureWebBuilt, WEB } from "../e2e/support/browser.ts";

/** web/vite.config.ts's chunkSizeWarningLimit, in kB as Vite counts them (1000 characters). */
const CHUNK_LIMIT_CHARACTERS = 700 * 1000;
/** The id lightweight-charts gives its attribution logo: a string only the chart library's code holds. */
const CHART_LIBRARY_MARK = "tv-attr-logo";
const DIST = join(WEB, "dist");

describe("the built web application's chunks", () => {
  let chunks: { name: string; code: string }[] = [];
  let indexHtml = "";

  beforeAll(() => {
    ensureWebBuilt();
    const assets = join(DIST, "assets");
    chunks = readdirSync(assets)
      .filter((name) => name.endsWith(".js"))
      .map((name) => ({ name, code: readFileSync(join(assets, name), "utf8") }));
    indexHtml = readFileSync(join(DIST, "index.html"), "utf8");
  }, 180_000);

  it("has no chunk past the warning limit", () => {
    expect(chunks.length).toBeGreaterThan(1);
    const over = chunks.filter((c) => c.code.length > CHUNK_LIMIT_CHARACTERS).map((c) => [c.name, c.code.length]);
    expect(over).toEqual([]);
  });

  it("keeps the chart library out of what the first page load fetches, in a chunk of its own", () => {
    const firstLoad = [...indexHtml.matchAll(/\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
    expect(firstLoad.length).toBeGreaterThan(0);
    const withCharts = chunks.filter((c) => c.code.includes(CHART_LIBRARY_MARK)).map((c) => c.name);
    expect(withCharts).toHaveLength(1);
    expect(withCharts[0]).toMatch(/^charts-/);
    expect(firstLoad.filter((name) => withCharts.includes(name ?? ""))).toEqual([]);
  });
});
