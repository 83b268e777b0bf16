/**
 * Table-driven tests of the continuous matching rules, through the `sauda replay` contract: each case is a list of
 * commands and the exact trades, cancellations, rejections and final book they must produce.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Replay, type ReplayLine } from "./replay.ts";

type Line = Record<string, unknown>;

function buy(id: string, price: number | null, quantity: number, extra: Line = {}): Line {
  return order(id, "buy", price, quantity, extra);
}

function sell(id: string, price: number | null, quantity: number, extra: Line = {}): Line {
  return order(id, "sell", price, quantity, extra);
}

function order(id: string, side: string, price: number | null, quantity: number, extra: Line): Line {
  const account = (extra.account as string | undefined) ?? (side === "buy" ? "B" : "S");
  const base: Line =
    price === null
      ? { op: "new", id, account, side, type: "market", quantity }
      : { op: "new", id, account, side, type: "limit", price, quantity, tif: "GTC" };
  return { ...base, ...extra, account };
}

function run(lines: readonly Line[]): { out: ReplayLine[]; book: ReplayLine } {
  const replay = new Replay();
  const out = lines.flatMap((line) => replay.line(JSON.stringify(line)));
  return { out, book: replay.book() };
}

const trades = (out: ReplayLine[]) => out.filter((e) => e.event === "trade");
const cancels = (out: ReplayLine[]) => out.filter((e) => e.event === "cancelled");
const rejects = (out: ReplayLine[]) => out.filter((e) => e.event === "rejected");

function t(price: number, quantity: number, maker: string, taker: string): ReplayLine {
  return { event: "trade", price, quantity, maker, taker };
}

function c(id: string, quantity: number, reason: string): ReplayLine {
  return { event: "cancelled", id, quantity, reason };
}

interface Case {
  readonly name: string;
  readonly lines: readonly Line[];
  readonly trades: readonly ReplayLine[];
  readonly cancels?: readonly ReplayLine[];
  readonly rejects?: readonly ReplayLine[];
  readonly bids: readonly (readonly number[])[];
  readonly asks: readonly (readonly number[])[];
}

const CASES: readonly Case[] = [
  {
    name: "price priority: the best price trades first, at the maker's price",
    lines: [sell("s1", 102, 5), sell("s2", 101, 5), buy("b1", 103, 7)],
    trades: [t(101, 5, "s2", "b1"), t(102, 2, "s1", "b1")],
    bids: [],
    asks: [[102, 3, 1]],
  },
  {
    name: "time priority inside a level",
    lines: [sell("s1", 100, 3, { account: "S1" }), sell("s2", 100, 3, { account: "S2" }), buy("b1", 100, 4)],
    trades: [t(100, 3, "s1", "b1"), t(100, 1, "s2", "b1")],
    bids: [],
    asks: [[100, 2, 1]],
  },
  {
    name: "a sell crosses bids from the highest down",
    lines: [buy("b1", 98, 2), buy("b2", 99, 2), sell("s1", 97, 3)],
    trades: [t(99, 2, "b2", "s1"), t(98, 1, "b1", "s1")],
    bids: [[98, 1, 1]],
    asks: [],
  },
  {
    name: "a limit order's remainder rests at its own price",
    lines: [sell("s1", 100, 2), buy("b1", 101, 5)],
    trades: [t(100, 2, "s1", "b1")],
    bids: [[101, 3, 1]],
    asks: [],
  },
  {
    name: "a market order walks the book and its remainder is cancelled",
    lines: [sell("s1", 100, 2), sell("s2", 105, 2), buy("m1", null, 6)],
    trades: [t(100, 2, "s1", "m1"), t(105, 2, "s2", "m1")],
    cancels: [c("m1", 2, "market-remainder")],
    bids: [],
    asks: [],
  },
  {
    name: "a market order on an empty side is cancelled without trading",
    lines: [buy("m1", null, 6)],
    trades: [],
    cancels: [c("m1", 6, "market-remainder")],
    bids: [],
    asks: [],
  },
  {
    name: "IOC trades what it can and the rest is cancelled",
    lines: [sell("s1", 100, 2), buy("b1", 100, 5, { tif: "IOC" })],
    trades: [t(100, 2, "s1", "b1")],
    cancels: [c("b1", 3, "ioc-remainder")],
    bids: [],
    asks: [],
  },
  {
    name: "FOK that cannot fill in full does not trade at all",
    lines: [sell("s1", 100, 2), sell("s2", 101, 2), buy("b1", 101, 5, { tif: "FOK" })],
    trades: [],
    cancels: [c("b1", 5, "fok-unfilled")],
    bids: [],
    asks: [
      [100, 2, 1],
      [101, 2, 1],
    ],
  },
  {
    name: "FOK that can fill in full trades across levels",
    lines: [sell("s1", 100, 2), sell("s2", 101, 3), buy("b1", 101, 5, { tif: "FOK" })],
    trades: [t(100, 2, "s1", "b1"), t(101, 3, "s2", "b1")],
    bids: [],
    asks: [],
  },
  {
    name: "FOK with an own order in the way counts only the liquidity ahead of it",
    lines: [
      sell("s1", 100, 2, { account: "X" }),
      sell("own", 100, 5, { account: "A" }),
      sell("s3", 100, 5, { account: "Y" }),
      buy("b1", 100, 4, { account: "A", tif: "FOK", stp: "cancel-maker" }),
    ],
    trades: [],
    cancels: [c("b1", 4, "fok-unfilled")],
    bids: [],
    asks: [[100, 12, 3]],
  },
  {
    name: "post-only that would trade is cancelled without trading",
    lines: [sell("s1", 100, 2), buy("p1", 100, 1, { postOnly: true })],
    trades: [],
    cancels: [c("p1", 1, "post-only")],
    bids: [],
    asks: [[100, 2, 1]],
  },
  {
    name: "post-only that does not cross rests",
    lines: [sell("s1", 100, 2), buy("p1", 99, 1, { postOnly: true })],
    trades: [],
    bids: [[99, 1, 1]],
    asks: [[100, 2, 1]],
  },
  {
    name: "self-trade prevention cancel-taker (default): earlier fills stand, the rest of the incoming order goes",
    lines: [
      sell("s1", 100, 2, { account: "X" }),
      sell("own", 100, 2, { account: "A" }),
      sell("s3", 100, 2, { account: "Y" }),
      buy("b1", 100, 5, { account: "A" }),
    ],
    trades: [t(100, 2, "s1", "b1")],
    cancels: [c("b1", 3, "self-trade")],
    bids: [],
    asks: [[100, 4, 2]],
  },
  {
    name: "self-trade prevention cancel-maker: the own resting order goes and matching goes on",
    lines: [
      sell("s1", 100, 2, { account: "X" }),
      sell("own", 100, 2, { account: "A" }),
      sell("s3", 100, 2, { account: "Y" }),
      buy("b1", 100, 5, { account: "A", stp: "cancel-maker" }),
    ],
    trades: [t(100, 2, "s1", "b1"), t(100, 2, "s3", "b1")],
    cancels: [c("own", 2, "self-trade")],
    bids: [[100, 1, 1]],
    asks: [],
  },
  {
    name: "self-trade prevention cancel-both: both orders go",
    lines: [
      sell("own", 100, 2, { account: "A" }),
      sell("s2", 100, 2, { account: "Y" }),
      buy("b1", 100, 5, { account: "A", stp: "cancel-both" }),
    ],
    trades: [],
    cancels: [c("own", 2, "self-trade"), c("b1", 5, "self-trade")],
    bids: [],
    asks: [[100, 2, 1]],
  },
  {
    name: "amend: a quantity decrease at the same price keeps time priority",
    lines: [
      sell("s1", 100, 5, { account: "S1" }),
      sell("s2", 100, 5, { account: "S2" }),
      { op: "amend", id: "s1", quantity: 3 },
      buy("b1", 100, 4),
    ],
    trades: [t(100, 3, "s1", "b1"), t(100, 1, "s2", "b1")],
    bids: [],
    asks: [[100, 4, 1]],
  },
  {
    name: "amend: a quantity increase loses time priority",
    lines: [
      sell("s1", 100, 5, { account: "S1" }),
      sell("s2", 100, 5, { account: "S2" }),
      { op: "amend", id: "s1", quantity: 6 },
      buy("b1", 100, 4),
    ],
    trades: [t(100, 4, "s2", "b1")],
    bids: [],
    asks: [[100, 7, 2]],
  },
  {
    name: "amend: a price change that crosses re-enters as an incoming order and trades",
    lines: [sell("s1", 101, 2), buy("b1", 99, 3), { op: "amend", id: "b1", price: 101 }],
    trades: [t(101, 2, "s1", "b1")],
    bids: [[101, 1, 1]],
    asks: [],
  },
  {
    name: "amend or cancel of an order that is not resting is rejected",
    lines: [
      sell("s1", 100, 2),
      buy("b1", 100, 2),
      { op: "cancel", id: "s1" },
      { op: "amend", id: "b1", quantity: 1 },
      { op: "cancel", id: "nobody" },
    ],
    trades: [t(100, 2, "s1", "b1")],
    rejects: [
      { event: "rejected", id: "s1", code: "ORDER_NOT_RESTING" },
      { event: "rejected", id: "b1", code: "ORDER_NOT_RESTING" },
      { event: "rejected", id: "nobody", code: "ORDER_NOT_FOUND" },
    ],
    bids: [],
    asks: [],
  },
  {
    name: "cancel removes the order; mass cancel removes all of an account's orders",
    lines: [
      buy("a1", 99, 1, { account: "A" }),
      buy("a2", 98, 1, { account: "A" }),
      sell("a3", 105, 1, { account: "A" }),
      buy("z1", 99, 4, { account: "Z" }),
      { op: "cancel", id: "z1" },
      { op: "mass-cancel", account: "A" },
    ],
    trades: [],
    cancels: [c("z1", 4, "requested"), c("a1", 1, "mass-cancel"), c("a2", 1, "mass-cancel"), c("a3", 1, "mass-cancel")],
    bids: [],
    asks: [],
  },
  {
    name: "bad commands are rejected with a code and change nothing",
    lines: [
      buy("b1", 100, 2),
      buy("b1", 101, 2),
      buy("x1", 100.5, 1),
      buy("x2", 100, 0),
      buy("x3", -5, 1),
      { op: "new", id: "x4", account: "B", side: "up", type: "limit", price: 100, quantity: 1 },
      { op: "new", id: "x5", account: "B", side: "buy", type: "limit", quantity: 1 },
      { op: "new", id: "x6", account: "B", side: "buy", type: "market", price: 100, quantity: 1 },
      buy("x7", 100, 1, { tif: "SOON" }),
      buy("x8", 100, 1, { stp: "maybe" }),
      { op: "amend", id: "b1" },
      { op: "dance", id: "x9" },
    ],
    trades: [],
    rejects: [
      { event: "rejected", id: "b1", code: "ORDER_ID_DUPLICATE" },
      { event: "rejected", id: "x1", code: "ORDER_PRICE_INVALID" },
      { event: "rejected", id: "x2", code: "ORDER_QUANTITY_INVALID" },
      { event: "rejected", id: "x3", code: "ORDER_PRICE_INVALID" },
      { event: "rejected", id: "x4", code: "ORDER_SIDE_INVALID" },
      { event: "rejected", id: "x5", code: "ORDER_PRICE_REQUIRED" },
      { event: "rejected", id: "x6", code: "ORDER_PRICE_NOT_ALLOWED" },
      { event: "rejected", id: "x7", code: "ORDER_TIF_INVALID" },
      { event: "rejected", id: "x8", code: "ORDER_STP_INVALID" },
      { event: "rejected", id: "b1", code: "ORDER_AMEND_EMPTY" },
      { event: "rejected", id: "x9", code: "COMMAND_UNKNOWN" },
    ],
    bids: [[100, 2, 1]],
    asks: [],
  },
];

describe("continuous matching rules (replay contract)", () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const { out, book } = run(testCase.lines);
      expect(trades(out)).toEqual(testCase.trades);
      expect(cancels(out)).toEqual(testCase.cancels ?? []);
      expect(rejects(out)).toEqual(testCase.rejects ?? []);
      expect(book).toEqual({ event: "book", bids: testCase.bids, asks: testCase.asks });
    });
  }

  it("limits: the largest price and quantity are accepted, one more is rejected", () => {
    const { out } = run([
      sell("s1", 1_000_000_000, 1_000_000_000),
      sell("s2", 1_000_000_001, 1),
      sell("s3", 100, 1_000_000_001),
    ]);
    expect(rejects(out)).toEqual([
      { event: "rejected", id: "s2", code: "ORDER_PRICE_INVALID" },
      { event: "rejected", id: "s3", code: "ORDER_QUANTITY_INVALID" },
    ]);
  });

  it("limits: an order id of 64 characters is accepted, 65 is rejected", () => {
    const { out } = run([buy("x".repeat(64), 100, 1), buy("y".repeat(65), 100, 1)]);
    expect(rejects(out)).toEqual([{ event: "rejected", id: "y".repeat(65), code: "ORDER_ID_INVALID" }]);
  });

  it("lines that are not JSON objects are rejected and the replay goes on", () => {
    const replay = new Replay();
    expect(replay.line("{not json")).toEqual([{ event: "rejected", id: null, code: "COMMAND_INVALID" }]);
    expect(replay.line("[1,2]")).toEqual([{ event: "rejected", id: null, code: "COMMAND_INVALID" }]);
    expect(replay.line("")).toEqual([]);
    expect(replay.line(JSON.stringify(buy("b1", 100, 1)))).toContainEqual({ event: "accepted", id: "b1" });
  });
});

describe("sauda replay (the command)", () => {
  it("prints one JSON object per event and the book last, from a file or standard input", () => {
    const input = [
      { op: "new", id: "o1", account: "A", side: "buy", type: "limit", price: 10000, quantity: 5, tif: "GTC" },
      { op: "new", id: "o2", account: "B", side: "sell", type: "market", quantity: 3 },
      {
        op: "new",
        id: "o3",
        account: "B",
        side: "sell",
        type: "limit",
        price: 10010,
        quantity: 2,
        tif: "GTC",
        postOnly: true,
      },
      { op: "amend", id: "o1", price: 10001, quantity: 4 },
      { op: "cancel", id: "o1" },
    ]
      .map((line) => JSON.stringify(line))
      .join("\n");
    const stdout = execFileSync(process.execPath, ["bin/sauda.js", "replay", "-"], { input, encoding: "utf8" });
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as ReplayLine);
    for (const line of lines) expect(typeof line.event).toBe("string");
    expect(trades(lines)).toEqual([t(10000, 3, "o1", "o2")]);
    expect(lines.at(-1)).toEqual({ event: "book", bids: [], asks: [[10010, 2, 1]] });
  });

  it("says a missing file is missing (exit 2) instead of crashing with a stack trace", () => {
    const result = spawnSync(process.execPath, ["bin/sauda.js", "replay", "no-such-orders.jsonl"], {
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("sauda: ENOENT: no such file or directory, open 'no-such-orders.jsonl'\n");
    expect(result.stdout).toBe("");
  });
});
