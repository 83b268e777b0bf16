/**
 * The web application's files: a rebuild while the server runs writes new hashed asset names, which the static
 * plugin did not route at start. They are served from the folder; a missing asset is a 404 problem, not the page
 * (HTML given for a script leaves the browser with a blank page).
 */

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestServer } from "../support/server.ts";

describe("web application files", () => {
  let server: TestServer;
  let webRoot: string;

  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), "sauda-web-"));
    mkdirSync(join(webRoot, "assets"));
    writeFileSync(
      join(webRoot, "index.html"),
      "<!doctype html><title>sauda</title><script src=/assets/a-1.js></script>",
    );
    writeFileSync(join(webRoot, "assets", "a-1.js"), "console.log('first build');");
    server = await TestServer.start({ setup: false, server: { webRoot } });
  });

  afterAll(async () => {
    await server.close();
  });

  it("serves an asset written after the server started, with a script's type", async () => {
    writeFileSync(join(webRoot, "assets", "a-2.js"), "console.log('second build');");
    writeFileSync(
      join(webRoot, "index.html"),
      "<!doctype html><title>sauda</title><script src=/assets/a-2.js></script>",
    );
    const asset = await fetch(`${server.url}/assets/a-2.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
    expect(await asset.text()).toBe("console.log('second build');");
    // The page names the new build.
    const page = await fetch(`${server.url}/board`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/assets/a-2.js");
    // The asset there at start is still served.
    expect(await (await fetch(`${server.url}/assets/a-1.js`)).text()).toBe("console.log('first build');");
  });

  it("answers a missing asset with a 404 problem, not the page", async () => {
    const missing = await fetch(`${server.url}/assets/gone-3.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });

  it("serves nothing outside the assets folder through it", async () => {
    const cases: [string, number][] = [
      ["/assets/..%2findex.html", 404],
      ["/assets/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", 404],
      // Not a URL at all: refused by the router before any file is looked for.
      ["/assets/%E0%A4%A", 400],
    ];
    for (const [path, status] of cases) {
      const answer = await fetch(`${server.url}${path}`);
      expect(answer.status, path).toBe(status);
      expect(await answer.text(), path).not.toContain("<title>sauda</title>");
    }
  });
});
