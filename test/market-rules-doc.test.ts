/**
 * Keeps docs/market-rules.md honest: the command examples in its section 9 are run through the real `replay` and
 * `auction` code and must print what the page says they print.
 */

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runAuction } from "../src/cli/auction.ts";
import { Replay } from "../src/cli/replay.ts";

const page = readFileSync(resolve(import.meta.dirname, "../docs/market-rules.md"), "utf8");
const section9 = page.slice(page.indexOf("## 9."));
const blocks = [...section9.matchAll(/```\n([\s\S]*?)```/g)].map((match) => match[1]!.trim());

describe("docs/market-rules.md examples", () => {
  it("has the replay input, its output, the auction input and its output", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it("the replay example prints the trades and book the page shows", () => {
    const replay = new Replay();
    const out = blocks[0]!.split("\n").flatMap((line) => replay.line(line));
    out.push(replay.book());
    const printed = out.filter((e) => e.event === "trade" || e.event === "book").map((e) => JSON.stringify(e));
    expect(printed).toEqual(blocks[1]!.split("\n"));
  });

  it("the auction example prints the result the page shows", () => {
    const input = JSON.parse(blocks[2]!.replace(/\n/g, "")) as unknown;
    expect(JSON.stringify(runAuction(input))).toBe(blocks[3]!);
  });
});
