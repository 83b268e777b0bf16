/**
 * `sauda serve --fix-port` as a process: it opens the FIX acceptor (here over TLS, with the test certificate in
 * test/fix/tls), says where, answers a Logon, and stops cleanly on SIGTERM.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { FixTestClient, tag } from "./fix-client.ts";

const BIN = resolve(import.meta.dirname, "../../bin/sauda.js");
const TLS = resolve(import.meta.dirname, "tls");

describe("sauda serve --fix-port", () => {
  it("opens a FIX acceptor over TLS that answers a Logon, and stops cleanly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sauda-serve-fix-"));
    const args = ["serve", "--no-demo", "--port", "0", "--fix-port", "0", "--data", dir];
    args.push("--fix-tls-cert", join(TLS, "cert.pem"), "--fix-tls-key", join(TLS, "key.pem"));
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    const port = await new Promise<number>((resolvePort, reject) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        lines.push(line);
        const match = /FIX 4\.4 acceptor on 127\.0\.0\.1:(\d+) \(TLS\)/.exec(line);
        if (match) resolvePort(Number(match[1]));
      });
      child.on("exit", (code) => reject(new Error(`serve exited early with ${code}: ${lines.join("\n")}`)));
    });
    const { client, answer } = await FixTestClient.logon({
      port,
      sender: "NOBODY",
      username: "no-such-key",
      password: "x",
      tlsCa: readFileSync(join(TLS, "cert.pem")),
    });
    expect(answer.type).toBe("5");
    expect(tag(answer, 58)).toBe("Username(553) and Password(554) are not the id and secret of a valid API key");
    await client.whenClosed();
    const exit = new Promise<number | null>((resolveExit) => child.on("exit", (code) => resolveExit(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(lines.at(-1)).toBe("sauda stopped cleanly");
  });
});
