/**
 * The demo market on SQLite standbys (docs/operations.md, "A standby on the same machine"): it runs on the leader, and
 * a standby that takes over starts it, so the market keeps trading after the leader's process is killed.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../bin/sauda.js");

interface Node {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly url: Promise<string>;
}

const started: ChildProcess[] = [];

function startNode(data: string): Node {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--data", data], {
    env: { ...process.env, SAUDA_FROM_SOURCE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  const lines: string[] = [];
  const url = new Promise<string>((resolveUrl, reject) => {
    let rest = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      rest += chunk.toString("utf8");
      const parts = rest.split("\n");
      rest = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const found = /^(?:sauda exchange on|serving all of) (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (found) resolveUrl(found[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`sauda serve exited (${code}): ${lines.join("\n")}`)));
  });
  return { child, lines, url };
}

async function health(url: string): Promise<{ role: string; seq: number; views: string } | null> {
  try {
    const response = await fetch(`${url}/api/health`);
    return response.ok ? ((await response.json()) as { role: string; seq: number; views: string }) : null;
  } catch {
    return null;
  }
}

afterAll(async () => {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
      child.kill("SIGTERM");
      await exited;
    }
  }
});

describe("the demo market with a standby on SQLite", () => {
  it("goes on trading on the standby that takes over from a killed leader", async () => {
    const data = join(mkdtempSync(join(tmpdir(), "sauda-standby-demo-")), "data");
    const leader = startNode(data);
    const leaderUrl = await leader.url;
    await expect.poll(async () => (await health(leaderUrl))?.views, { timeout: 60_000, interval: 100 }).toBe("ready");
    // The start line says when the exchange served all and, apart, when the demo was built after it.
    await expect
      .poll(() => leader.lines.find((line) => line.startsWith("started:")), { timeout: 60_000, interval: 100 })
      .toBeDefined();
    const [, readyMs, demoMs] =
      /^started: ready (\d+) ms after the process started \(.*\); the demo market built by (\d+) ms$/.exec(
        leader.lines.find((line) => line.startsWith("started:"))!,
      ) ?? [];
    expect(Number(readyMs)).toBeLessThanOrEqual(Number(demoMs));
    const standby = startNode(data);
    const standbyUrl = await standby.url;
    await expect
      .poll(async () => (await health(standbyUrl))?.role, { timeout: 60_000, interval: 100 })
      .toBe("follower");
    expect(standby.lines).toContain(
      "no demo market on a follower (it runs on the leader; this node starts it if it takes over)",
    );

    const killed = new Promise((resolveExit) => leader.child.once("exit", resolveExit));
    leader.child.kill("SIGKILL");
    await killed;
    await expect.poll(async () => (await health(standbyUrl))?.role, { timeout: 10_000, interval: 20 }).toBe("leader");
    // The new leader starts the demo (its start cancels the killed leader's robots' resting orders through the API, so
    // the journal grows already while it starts) ...
    await expect
      .poll(() => standby.lines.includes("demo market running on this node, which now leads"), {
        timeout: 30_000,
        interval: 100,
      })
      .toBe(true);
    // ... and then its agents trade on it: the journal grows on.
    const seqAtDemo = (await health(standbyUrl))!.seq;
    await expect
      .poll(async () => (await health(standbyUrl))?.seq ?? 0, { timeout: 30_000, interval: 100 })
      .toBeGreaterThan(seqAtDemo + 5);
  }, 180_000);
});
