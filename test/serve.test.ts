/**
 * `sauda serve` as a process: it starts, answers over HTTP, and on SIGTERM stops taking requests, finishes what is in
 * flight, writes a snapshot and exits 0, leaving a journal that verifies; started again on the same data, it finds the
 * demo market and its users and prints no password.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { verify } from "../src/journal/recovery.ts";
import { SqliteLeadership } from "../src/journal/sqlite-leadership.ts";
import { SqliteStore, sqliteFile } from "../src/journal/sqlite-store.ts";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "bin/sauda.js");

describe("sauda serve", () => {
  it("serves the demo market, stops cleanly on SIGTERM, and on the next start runs the demo without its passwords", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-serve-"));
    // Started as `npm start` starts it: node's flags from that script (src/cli/young-generation.ts).
    const start = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } })
      .scripts.start;
    const nodeFlags = /^node ((?:--\S+ )*)bin\/sauda\.js serve$/.exec(start)![1]!.trim().split(" ");
    const child = spawn(process.execPath, [...nodeFlags, BIN, "serve", "--port", "0", "--data", dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: string[] = [];
    // Ready once the address and the demo users (printed once, on this first start) have been printed.
    const url = await new Promise<string>((resolveUrl, reject) => {
      let address = "";
      createInterface({ input: child.stdout }).on("line", (line) => {
        lines.push(line);
        const match = /sauda exchange on (http:\/\/\S+)/.exec(line);
        if (match) address = match[1]!;
        if (address && /^\s+viewer\s/.test(line)) resolveUrl(address);
      });
      child.on("exit", (code) => reject(new Error(`serve exited early with ${code}: ${lines.join("\n")}`)));
    });
    expect(lines).toContain("heap: young generation with semi-spaces of 64 MB (--max-semi-space-size=64)");
    const instruments = (await (await fetch(`${url}/api/instruments`)).json()) as { instruments: unknown[] };
    expect(instruments.instruments.length).toBe(9);
    expect(lines.some((line) => /^\s+operator\s+operator\s+\S{12,}/.test(line))).toBe(true);
    // A newcomer can sign in as the operator and reach its pages' data (members' users, fees), and as a member's
    // administrator and reach that member's users and keys.
    const passwordOf = (user: string) =>
      lines.map((line) => new RegExp(`^\\s+\\S+\\s+${user}\\s+(\\S{12,})`).exec(line)?.[1]).find(Boolean)!;
    expect(
      lines.some((line) =>
        /^\s+administrator\s+aktau-stations-admin\s+\S{12,}\s+\(member AKTAU-STATIONS\)$/.test(line),
      ),
    ).toBe(true);
    const signIn = async (user: string) => {
      const response = await fetch(`${url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user, password: passwordOf(user) }),
      });
      expect(response.status, user).toBe(200);
      return { cookie: (response.headers.get("set-cookie") ?? "").split(";")[0]! };
    };
    const get = async (session: { cookie: string }, path: string) =>
      fetch(`${url}${path}`, { headers: { cookie: session.cookie } });
    const operator = await signIn("operator");
    expect((await get(operator, "/api/admin/members")).status).toBe(200);
    expect((await get(operator, "/api/admin/tariffs")).status).toBe(200);
    const administrator = await signIn("aktau-stations-admin");
    const own = (await (await get(administrator, "/api/member/users")).json()) as { users: { id: string }[] };
    expect(own.users.map((u) => u.id)).toEqual(
      expect.arrayContaining(["aktau-stations-admin", "aktau-stations-trader", "aktau-stations-viewer"]),
    );
    const exit = new Promise<number | null>((resolveExit) => child.on("exit", (code) => resolveExit(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(lines.at(-1)).toBe("sauda stopped cleanly");
    const store = new SqliteStore(dir);
    const report = await verify(store);
    await store.close();
    expect(report.records).toBeGreaterThan(0);
    expect(report.snapshotsChecked).toBe(1); // the snapshot written at shutdown

    // The second start finds the demo and its users again, and prints no password.
    const again = spawn(process.execPath, [BIN, "serve", "--port", "0", "--data", dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const later: string[] = [];
    await new Promise<void>((running, reject) => {
      createInterface({ input: again.stdout }).on("line", (line) => {
        later.push(line);
        if (/demo market running/.test(line)) running();
      });
      again.on("exit", (code) => reject(new Error(`serve exited early with ${code}: ${later.join("\n")}`)));
    });
    expect(later.some((line) => /Demo users|^\s+operator\s+operator\s/.test(line))).toBe(false);
    // Started without the flag (as `node bin/sauda.js serve`): the log names it.
    expect(
      later.some((line) =>
        line.startsWith(
          "heap: node's default young generation (16 MB semi-spaces); start node with --max-semi-space-size=64",
        ),
      ),
    ).toBe(true);
    const stopped = new Promise<number | null>((resolveExit) => again.on("exit", (code) => resolveExit(code)));
    again.kill("SIGTERM");
    expect(await stopped).toBe(0);
  });

  /** Runs `sauda serve --no-demo` on a port another server listens on; resolves with its exit code and output. */
  async function serveOnTakenPort(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const taken = createServer();
    await new Promise<void>((listening) => taken.listen(0, "127.0.0.1", listening));
    const port = (taken.address() as AddressInfo).port;
    try {
      const child = spawn(process.execPath, [BIN, "serve", "--no-demo", "--port", String(port), "--data", dir], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
      });
      const code = await new Promise<number | null>((exited) => child.on("exit", (exitCode) => exited(exitCode)));
      expect(stderr).toBe(
        `sauda: port ${port} on 127.0.0.1 is in use (another server listens there); start with --port and another port\n`,
      );
      return { code, stdout, stderr };
    } finally {
      taken.close();
    }
  }

  it("on a port already in use says so, names --port and exits 2 instead of staying up", async () => {
    // Before, the process printed the error and then waited for ever with its journal open.
    const { code } = await serveOnTakenPort(mkdtempSync(join(tmpdir(), "sauda-serve-")));
    expect(code).toBe(2);
  }, 60_000);

  it("a standby (the journal led by another process) on a port already in use says so before loading the journal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-serve-"));
    const leader = new SqliteLeadership({ file: sqliteFile(dir) });
    expect(leader.tryLock()).toBe(true);
    try {
      const { code, stdout } = await serveOnTakenPort(dir);
      expect(code).toBe(2);
      // Before, it recovered the engine and loaded every read model first (minutes on a large journal).
      expect(stdout).toBe("");
    } finally {
      await leader.close();
    }
  }, 60_000);
});
