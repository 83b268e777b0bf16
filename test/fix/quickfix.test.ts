/**
 * sauda's FIX acceptor against an independent engine: Debian's QuickFIX (libquickfix-dev). The test builds
 * quickfix-client.cpp with g++ and runs its order-entry and drop-copy clients (scenario in the .cpp's opening
 * comment), acting through REST where they ask: trading against their orders, and restarting the exchange while they
 * are disconnected. The clients check every ExecutionReport's quantities and prices themselves; this test checks that
 * they finished, that the drop copy saw every fill of the account exactly as REST reports them, and the journal.
 *
 * Without QuickFIX's headers the test is skipped and says so, unless SAUDA_REQUIRE_QUICKFIX=1 (set by .ci/run), when
 * it fails.
 */

import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { INSTRUMENT } from "../support/server.ts";
import { FixTestServer } from "./support.ts";

const HEADER = "/usr/include/quickfix/Application.h";
const REQUIRED = process.env.SAUDA_REQUIRE_QUICKFIX === "1";
const HERE = resolve(import.meta.dirname);

function quickfixAvailable(): boolean {
  if (existsSync(HEADER)) return true;
  if (REQUIRED) throw new Error(`QuickFIX is required (SAUDA_REQUIRE_QUICKFIX=1) but ${HEADER} does not exist`);
  process.stderr.write("\nSKIPPED the QuickFIX interoperability test: apt-get install -y libquickfix-dev g++\n");
  return false;
}

/** A client process read line by line; `on(prefix)` waits for the next line starting with it. */
class Child {
  readonly lines: string[] = [];
  private waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly process: ChildProcessWithoutNullStreams,
  ) {
    createInterface({ input: process.stdout }).on("line", (line) => {
      this.lines.push(line);
      this.waiters = this.waiters.filter((waiter) => {
        if (!line.startsWith(waiter.prefix) && !line.startsWith("FAIL")) return true;
        waiter.resolve(line);
        return false;
      });
    });
    process.stderr.on("data", () => {});
    this.exited = new Promise((resolveExit) => process.on("exit", (code) => resolveExit(code)));
  }

  async on(prefix: string): Promise<string> {
    const seen = this.lines.find((line) => line.startsWith(prefix) || line.startsWith("FAIL"));
    const line =
      seen ?? (await new Promise<string>((resolveLine) => this.waiters.push({ prefix, resolve: resolveLine })));
    if (line.startsWith("FAIL")) throw new Error(`${this.name}: ${line}\n${this.lines.join("\n")}`);
    this.lines.splice(this.lines.indexOf(line), 1);
    return line;
  }

  go(): void {
    this.process.stdin.write("GO\n");
  }
}

const available = quickfixAvailable();
const children: Child[] = [];
afterAll(() => {
  for (const child of children) child.process.kill("SIGKILL");
});

describe.runIf(available)("FIX against QuickFIX", () => {
  it("order entry, amend, cancel, mass cancel, a trade against REST, a resend after a restart, and a drop copy of every fill", async () => {
    const work = mkdtempSync(join(tmpdir(), "sauda-quickfix-"));
    const binary = join(work, "quickfix-client");
    execFileSync("g++", [
      "-std=gnu++14",
      "-O1",
      "-w",
      "-o",
      binary,
      join(HERE, "quickfix-client.cpp"),
      "-lquickfix",
      "-lpthread",
    ]);

    const env = await FixTestServer.start();
    try {
      const trader = await env.key("kazgpz-trader", "kazgpz-fix");
      const copy = await env.key("kazgpz-trader", "kazgpz-drop-copy", ["read"]);
      const buyer = await env.server.apiKey("aktau-trader");
      const restBuy = async (clientOrderId: string, quantityKg: number) => {
        const response = await buyer("POST", "/api/orders", {
          instrument: INSTRUMENT,
          account: "AKTAU-1",
          clientOrderId,
          side: "buy",
          price: 13_310_000,
          quantity: quantityKg,
          tif: "IOC",
        });
        expect(response.status).toBe(201);
        expect(response.body.trades.length).toBe(1);
      };
      const start = (name: string, args: string[]) => {
        const child = new Child(name, spawn(binary, args, { stdio: ["pipe", "pipe", "pipe"] }));
        children.push(child);
        return child;
      };
      const dropCopy = start("drop copy", [
        "drop-copy",
        join(HERE, "quickfix/drop-copy.cfg"),
        join(work, "store-dc"),
        String(env.port),
        copy.username,
        copy.password,
        "2",
      ]);
      await dropCopy.on("LOGGED-ON");
      const orders = start("order entry", [
        "order-entry",
        join(HERE, "quickfix/order-entry.cfg"),
        join(work, "store-oe"),
        String(env.port),
        trader.username,
        trader.password,
      ]);
      await orders.on("LOGGED-ON");
      await orders.on("REST-BUY 2 133100");
      await restBuy("rest-1", 2000);
      orders.go();
      await dropCopy.on("DC-DISCONNECTED");
      await orders.on("DISCONNECTED");
      // Both clients are away: the exchange restarts (journal, FIX store and gateway), and a fill happens.
      await env.restart();
      await restBuy("rest-2", 1000);
      orders.go();
      dropCopy.go();
      await orders.on("LOGGED-ON-AGAIN");
      await orders.on("DONE");
      expect(await orders.exited).toBe(0);

      const fills: string[] = [];
      for (let i = 0; i < 2; i++) fills.push(await dropCopy.on("FILL"));
      await dropCopy.on("DONE");
      expect(await dropCopy.exited).toBe(0);

      const rest = await (await env.key("kazgpz-trader", "kazgpz-rest")).username;
      expect(rest).toBe("kazgpz-rest");
      const reader = await env.server.apiKey("kazgpz-trader", ["read"]);
      const restFills = (await reader("GET", "/api/accounts/KAZGPZ-1/fills")).body.fills as {
        tradeId: string;
        quantityKg: number;
        priceTiynPerTonne: number;
      }[];
      const seen = fills.map((line) => {
        const [, , orderId, lastQty, lastPx, tradeId] = line.split(" ");
        return { orderId, tradeId, quantityKg: Number(lastQty) * 1000, priceTiynPerTonne: Number(lastPx) * 100 };
      });
      expect(seen.map((fill) => fill.tradeId).sort()).toEqual(restFills.map((fill) => fill.tradeId).sort());
      for (const fill of seen) {
        const match = restFills.find((other) => other.tradeId === fill.tradeId)!;
        expect(fill.quantityKg).toBe(match.quantityKg);
        expect(fill.priceTiynPerTonne).toBe(match.priceTiynPerTonne);
        expect(fill.orderId).toBe("KAZGPZ-1~s1");
      }
      expect(seen.map((fill) => fill.quantityKg)).toEqual([2000, 1000]);
    } finally {
      await env.close();
    }
  }, 120_000);
});
