/**
 * Runs the real `sauda auction` command (node bin/sauda.js, as a member or auditor would) and checks its contract:
 * one JSON line on stdout and exit 0 for an auction with or without a price, exit 1 with a message on stderr when the
 * price needs a reference price that was not given, exit 2 with a message naming the bad field for bad input.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const workDir = mkdtempSync(join(tmpdir(), "sauda-auction-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface CommandRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function sauda(args: readonly string[], input?: string): CommandRun {
  const run = spawnSync(process.execPath, ["bin/sauda.js", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    ...(input === undefined ? {} : { input }),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let fileCount = 0;
/** Writes the input to a fresh file and runs `sauda auction FILE` on it. */
function auctionFromFile(text: string): CommandRun {
  fileCount++;
  const file = join(workDir, `auction-${fileCount}.json`);
  writeFileSync(file, text);
  return sauda(["auction", file]);
}

// The example of the auction issue: a bid of 300 at 200 against a market sell of 100.
const ISSUE_EXAMPLE = {
  referencePrice: 200,
  orders: [
    { id: "b1", side: "buy", price: 200, quantity: 300 },
    { id: "s1", side: "sell", quantity: 100 },
  ],
};
const ISSUE_RESULT =
  '{"price":200,"volume":100,"surplus":200,"surplusSide":"buy","fills":[{"id":"b1","quantity":100},{"id":"s1","quantity":100}]}\n';

describe("sauda auction", () => {
  it("prices the issue's example from a file", () => {
    const run = auctionFromFile(JSON.stringify(ISSUE_EXAMPLE));
    expect(run).toEqual({ status: 0, stdout: ISSUE_RESULT, stderr: "" });
    expect(JSON.parse(run.stdout)).toEqual({
      price: 200,
      volume: 100,
      surplus: 200,
      surplusSide: "buy",
      fills: [
        { id: "b1", quantity: 100 },
        { id: "s1", quantity: 100 },
      ],
    });
  });

  it("reads standard input for -", () => {
    expect(sauda(["auction", "-"], JSON.stringify(ISSUE_EXAMPLE))).toEqual({
      status: 0,
      stdout: ISSUE_RESULT,
      stderr: "",
    });
  });

  it("prints no price and volume 0 when nothing can execute", () => {
    const input = {
      referencePrice: 200,
      orders: [
        { id: "b1", side: "buy", price: 199, quantity: 80 },
        { id: "s1", side: "sell", price: 201, quantity: 80 },
      ],
    };
    expect(auctionFromFile(JSON.stringify(input))).toEqual({
      status: 0,
      stdout: '{"price":null,"volume":0,"surplus":0,"surplusSide":null,"fills":[]}\n',
      stderr: "",
    });
  });

  it("fails with exit 1 and says so when the price needs a reference price", () => {
    // Xetra example 4: 199 and 202 execute the same volume with surpluses on opposite sides.
    const input = {
      orders: [
        { id: "bm", side: "buy", quantity: 100 },
        { id: "b1", side: "buy", price: 199, quantity: 100 },
        { id: "sm", side: "sell", quantity: 100 },
        { id: "s1", side: "sell", price: 202, quantity: 100 },
      ],
    };
    const run = auctionFromFile(JSON.stringify(input));
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "sauda auction: the auction price needs a reference price (candidate prices with surpluses on both sides " +
        'between 199 and 202); give "referencePrice" in the input\n',
    );

    // With the reference price the same book has a price.
    const priced = auctionFromFile(JSON.stringify({ ...input, referencePrice: 200 }));
    expect(priced.status).toBe(0);
    expect(JSON.parse(priced.stdout)).toMatchObject({ price: 200, volume: 100, surplus: 0, surplusSide: null });
  });

  it("fails with exit 1 when only market orders can execute and no reference price is given", () => {
    const input = {
      orders: [
        { id: "bm", side: "buy", quantity: 900 },
        { id: "sm", side: "sell", quantity: 800 },
      ],
    };
    const run = auctionFromFile(JSON.stringify(input));
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("needs a reference price (only market orders are executable)");
  });

  describe("rejects bad input with exit 2 and names what is wrong", () => {
    const order = { id: "b1", side: "buy", price: 200, quantity: 300 };
    const cases: readonly (readonly [string, string, string])[] = [
      ["a quantity of 0", JSON.stringify({ orders: [{ ...order, quantity: 0 }] }), "order 'b1': quantity 0 must be"],
      ["a fractional price", JSON.stringify({ orders: [{ ...order, price: 200.5 }] }), "order 'b1': price 200.5 must"],
      ["an unknown side", JSON.stringify({ orders: [{ ...order, side: "hold" }] }), "order 'b1': side \"hold\" must"],
      ["a missing id", JSON.stringify({ orders: [{ ...order, id: "" }] }), "order 1: id must be a non-empty string"],
      ["an id used twice", JSON.stringify({ orders: [order, order] }), "order 2: id 'b1' is used twice"],
      ["a reference price as text", JSON.stringify({ referencePrice: "200", orders: [] }), 'referencePrice "200" must'],
      ["no orders array", JSON.stringify({ referencePrice: 200 }), "'orders' must be an array"],
      ["text that is not JSON", '{"orders": [', "is not valid JSON"],
    ];
    for (const [name, text, message] of cases) {
      it(name, () => {
        const run = auctionFromFile(text);
        expect(run.status).toBe(2);
        expect(run.stdout).toBe("");
        expect(run.stderr).toMatch(/^sauda auction: /);
        expect(run.stderr).toContain(message);
      });
    }

    it("a file that does not exist", () => {
      const run = sauda(["auction", join(workDir, "missing.json")]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("ENOENT");
    });
  });
});
