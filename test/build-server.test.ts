/**
 * The compiled build runs: `npm run build:server` (as `npm ci` does through `prepare`) writes dist/ with a fresh
 * stamp, and bin/sauda.js — without SAUDA_FROM_SOURCE, which the other tests set to run the sources — then serves an
 * empty data directory from the build: it says so on its start line and answers /api/health; `sauda --help` works
 * from the build too; the build's OpenAPI document is the one the sources declare (the build bundles typebox, which
 * makes the routes' schemas, prom-client, fastify and the plugins it registers before listening into dist/vendor/;
 * their headers, a refused body, the web application's files and a WebSocket subscription answer as from the
 * sources), and its first request for the policy lab's scenarios (read once it
 * listens) answers as the sources do. Rebuilds this checkout's dist/ from its sources (what `npm ci` would
 * leave there).
 */

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { freshBuild } from "../bin/build-stamp.js";
import { Exchange } from "../src/gateway/exchange.ts";
import { buildServer } from "../src/gateway/server.ts";
import { codeVersion } from "../src/gateway/view-snapshots.ts";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "bin/sauda.js");
/** The environment of a `sauda` started as an operator would: the build when fresh. */
const FROM_BUILD = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "SAUDA_FROM_SOURCE"));

describe("the compiled build", () => {
  it("is made fresh by build:server, serves an empty data directory and answers /api/health", async () => {
    execFileSync(process.execPath, [join(ROOT, "scripts/build-server.js")], { cwd: ROOT, stdio: "pipe" });
    expect(freshBuild(join(ROOT, "src"), join(ROOT, "dist"))).toBe(join(ROOT, "dist", "cli", "main.js"));

    // The build names the read models' code as the sources do: a snapshot written by either is restored by the other.
    const built = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", "console.log((await import('./dist/gateway/view-snapshots.js')).codeVersion())"],
      { cwd: ROOT, env: FROM_BUILD, encoding: "utf8" },
    );
    expect(built.stdout.trim()).toBe(codeVersion());
    expect(codeVersion()).toMatch(/^[0-9a-f]{64}$/);

    // prom-client, bundled into dist/vendor/ (a CommonJS package), counts and renders as the package does.
    const metricsScript = (from: string) =>
      `const { Registry, Counter, Histogram } = await import(${JSON.stringify(from)}); const r = new Registry();` +
      `new Counter({ name: "c_total", help: "c", labelNames: ["a"], registers: [r] }).inc({ a: "x" }, 2);` +
      `new Histogram({ name: "h_ms", help: "h", buckets: [1, 10], registers: [r] }).observe(5);` +
      "console.log(await r.metrics());";
    const metricsOf = (from: string) =>
      spawnSync(process.execPath, ["--input-type=module", "-e", metricsScript(from)], { cwd: ROOT, encoding: "utf8" });
    const vendored = metricsOf("./dist/vendor/prom-client.js");
    expect(vendored.stderr).toBe("");
    expect(vendored.stdout).toContain('c_total{a="x"} 2');
    expect(vendored.stdout).toBe(metricsOf("prom-client").stdout);

    const help = spawnSync(process.execPath, [BIN, "--help"], { env: FROM_BUILD, encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: sauda");

    const dir = mkdtempSync(join(tmpdir(), "sauda-build-serve-"));
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--no-demo", "--data", dir], {
      stdio: ["ignore", "pipe", "pipe"],
      env: FROM_BUILD,
    });
    const lines: string[] = [];
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        createInterface({ input: child.stdout }).on("line", (line) => {
          lines.push(line);
          const match = /sauda exchange on (http:\/\/\S+)/.exec(line);
          if (match) resolveUrl(match[1]!);
        });
        child.on("exit", (code) => reject(new Error(`serve exited early with ${code}: ${lines.join("\n")}`)));
      });
      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      const sources = await fromSources();
      expect(await (await fetch(`${url}/docs/json`)).json()).toEqual(sources.openApi);
      expect(readFileSync(join(ROOT, "dist/gateway/server.js"), "utf8")).toContain('from "../vendor/typebox.js"');
      expect(readFileSync(join(ROOT, "dist/gateway/server.js"), "utf8")).toContain('from "../vendor/fastify.js"');
      // What the bundled fastify plugins do answers as from the sources: helmet's headers, a body refused by the
      // bundled ajv with the exchange's error, the web application's files (@fastify/static), and a WebSocket
      // (@fastify/websocket with ws) answering a subscription with its snapshot.
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      const refused = await fetch(`${url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: url },
        body: JSON.stringify({ user: "someone" }),
      });
      expect({ status: refused.status, body: await refused.json() }).toEqual(sources.refusedSignIn);
      const socket = new WebSocket(`${url.replace("http", "ws")}/api/stream`);
      const snapshot = await new Promise<Record<string, unknown>>((resolveMessage, reject) => {
        socket.addEventListener("open", () =>
          socket.send(JSON.stringify({ op: "subscribe", id: 1, channel: "trades", instrument: "NONE" })),
        );
        socket.addEventListener("message", (event) => resolveMessage(JSON.parse(String(event.data))));
        socket.addEventListener("error", () => reject(new Error("the build's WebSocket failed")));
      });
      socket.close();
      expect(snapshot).toEqual(sources.subscribeAnswer);
      await new Promise<void>((started) => {
        const check = () => (lines.some((line) => line.startsWith("started:")) ? started() : setTimeout(check, 10));
        check();
      });
      expect(lines.find((line) => line.startsWith("started:"))).toMatch(
        /code loaded by \d+ ms, from the build in dist\//,
      );
      // The policy lab's scenarios are read once the server listens: the first request answers as the sources do.
      const scenarios = await fetch(`${url}/api/lab/scenarios`);
      expect(scenarios.status).toBe(200);
      const served = (await scenarios.json()) as { scenarios: { name: string }[] };
      expect(served.scenarios.length).toBeGreaterThan(0);
      expect(served).toEqual(sources.labScenarios);
    } finally {
      const exit = new Promise<number | null>((resolveExit) => child.on("exit", (code) => resolveExit(code)));
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    }
    // The whole build and two servers: on a loaded machine more than the default minute.
  }, 180_000);
});

/**
 * What a server built in this process from the sources answers: its OpenAPI document (as scripts/api-contract.ts
 * makes it) and GET /api/lab/scenarios.
 */
async function fromSources(): Promise<{
  openApi: unknown;
  labScenarios: unknown;
  refusedSignIn: { status: number; body: unknown };
  subscribeAnswer: unknown;
}> {
  const dir = mkdtempSync(join(tmpdir(), "sauda-build-contract-"));
  const exchange = await Exchange.open({ data: join(dir, "data"), keysDir: join(dir, "keys") });
  const app = await buildServer({ exchange, logger: false, webRoot: join(dir, "no-web") });
  try {
    await app.ready();
    const labScenarios = (await app.inject({ method: "GET", url: "/api/lab/scenarios" })).json();
    const refused = await app.inject({
      method: "POST",
      url: "/api/session",
      headers: { "content-type": "application/json", origin: "http://localhost:80" },
      payload: { user: "someone" },
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address() as { port: number };
    const socket = new WebSocket(`ws://127.0.0.1:${address.port}/api/stream`);
    const subscribeAnswer = await new Promise<unknown>((resolveMessage, reject) => {
      socket.addEventListener("open", () =>
        socket.send(JSON.stringify({ op: "subscribe", id: 1, channel: "trades", instrument: "NONE" })),
      );
      socket.addEventListener("message", (event) => resolveMessage(JSON.parse(String(event.data))));
      socket.addEventListener("error", () => reject(new Error("the sources' WebSocket failed")));
    });
    socket.close();
    return {
      openApi: JSON.parse(JSON.stringify(app.swagger())),
      labScenarios,
      refusedSignIn: { status: refused.statusCode, body: refused.json() },
      subscribeAnswer,
    };
  } finally {
    await app.close();
    await exchange.close();
  }
}
