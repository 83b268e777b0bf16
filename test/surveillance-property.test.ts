/**
 * Surveillance against a simple model, and what its output must not depend on. Random market histories (members
 * re-grouped midway, two instruments, limits on some days, orders, amends, cancels and trades at times chosen to hit
 * the rules' edges: equal times, 999/1,000/1,001 ms, 60,000/60,001 ms) are run through:
 * 1. the fast detectors and the brute-force model of test/support/surveillance-reference.ts: the same alerts;
 * 2. the same history with lines of equal time given in another order (each order still before what refers to it, a
 *    cancel still after what else refers to its order): the same alerts, since every rule is defined by times;
 * 3. the same file cut into chunks at random bytes, with LF or CRLF line ends: the same alerts.
 */

import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { surveilStream } from "../src/cli/surveil.ts";
import { alertLine, DEFAULT_CONFIG } from "../src/surveillance/index.ts";
import { run } from "../src/surveillance/test-harness.ts";
import { referenceAlerts } from "./support/surveillance-reference.ts";

type Line = Record<string, unknown>;

const ACCOUNTS = ["A1", "A2", "A3", "A4", "A5", "A6", "A7"];
const MEMBER_OF: Record<string, string> = { A1: "M1", A2: "M2", A3: "M3", A4: "M4", A5: "M5", A6: "M1", A7: "M2" };
const GROUPS = [null, "G1", "G2", "M3"];
const STEPS_MS = [0, 0, 0, 1, 250, 500, 999, 1000, 1001, 5000, 30_000, 59_999, 60_000, 60_001];
const PRICES = [100_000, 119_000, 120_000, 120_000, 121_000, 130_000, 99_000, 131_000];
const QUANTITIES = [1, 2, 5, 10, 10, 20, 50, 60, 100];
const TRADE_QUANTITIES = [1, 5, 10, 150, 301, 400];
const DAY_MS = 86_400_000;
/** What an action code does: 0 advance time, 1 order, 2 cancel, 3 amend, 4 trade, 5 next day, 6 regroup. */
const KINDS = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 4, 4, 5, 6];
const MONDAY_MS = Date.UTC(2026, 0, 5);

interface Plan {
  readonly groups: number[];
  readonly days: number;
  /** Per day: whether I2 trades, and whether I1 has limits. */
  readonly i2: boolean[];
  readonly limits: boolean[];
  /** How many of PRICES orders use (few: coincidences, and coordination groups, become common). */
  readonly prices: number;
  readonly actions: [number, number, number, number][];
  /** The steps time advances by (STEPS_MS when absent). */
  readonly steps?: readonly number[];
}

interface LiveOrder {
  readonly id: string;
  readonly session: string;
  readonly side: "buy" | "sell";
}

/** Builds a valid history (in time order) from a plan. */
function build(plan: Plan): Line[] {
  const lines: Line[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let i = 0; i < 5; i++) {
    const group = GROUPS[plan.groups[i]! % GROUPS.length];
    lines.push(
      group === null ? { type: "member", member: `M${i + 1}` } : { type: "member", member: `M${i + 1}`, group },
    );
  }
  for (const account of ACCOUNTS) lines.push({ type: "account", account, member: MEMBER_OF[account] });
  for (let day = 0; day < plan.days; day++) {
    const open = iso(MONDAY_MS + day * DAY_MS + 9 * 3_600_000);
    const close = iso(MONDAY_MS + day * DAY_MS + 17 * 3_600_000);
    const limits = plan.limits[day % plan.limits.length] ? { upperLimit: 130_000, lowerLimit: 100_000 } : {};
    lines.push({ type: "session", session: `S${day + 1}`, instrument: "I1", open, close, ...limits });
    if (plan.i2[day % plan.i2.length]) {
      lines.push({
        type: "session",
        session: `T${day + 1}`,
        instrument: "I2",
        open,
        close,
        upperLimit: 131_000,
        lowerLimit: 99_000,
      });
    }
  }
  let day = 0;
  let time = MONDAY_MS + 10 * 3_600_000;
  let live: LiveOrder[] = [];
  let next = 0;
  const sessionsToday = () => [`S${day + 1}`, ...(plan.i2[day % plan.i2.length] ? [`T${day + 1}`] : [])];
  for (const [code, x, y, z] of plan.actions) {
    switch (KINDS[code % KINDS.length]) {
      case 0:
        time += (plan.steps ?? STEPS_MS)[x % (plan.steps ?? STEPS_MS).length]!;
        break;
      case 1: {
        const sessions = sessionsToday();
        const session = sessions[y % sessions.length]!;
        const id = `o${++next}`;
        const side = z % 2 === 0 ? "buy" : "sell";
        live.push({ id, session, side });
        lines.push({
          type: "order",
          time: iso(time),
          session,
          order: id,
          account: ACCOUNTS[x % ACCOUNTS.length],
          side,
          price: PRICES[(x + y + z) % plan.prices],
          quantity: QUANTITIES[(3 * y + z) % QUANTITIES.length],
        });
        break;
      }
      case 2: {
        if (live.length === 0) break;
        const [order] = live.splice(x % live.length, 1);
        lines.push({ type: "cancel", time: iso(time), order: order!.id });
        break;
      }
      case 3: {
        if (live.length === 0) break;
        const order = live[x % live.length]!;
        const change =
          y % 3 === 0
            ? { price: PRICES[z % PRICES.length] }
            : y % 3 === 1
              ? { quantity: QUANTITIES[z % QUANTITIES.length] }
              : { price: PRICES[z % PRICES.length], quantity: 3 };
        lines.push({ type: "amend", time: iso(time), order: order.id, ...change });
        break;
      }
      case 4: {
        const buys = live.filter((o) => o.side === "buy");
        if (buys.length === 0) break;
        const buy = buys[x % buys.length]!;
        const sells = live.filter((o) => o.side === "sell" && o.session === buy.session);
        if (sells.length === 0) break;
        const sell = sells[y % sells.length]!;
        const quantity = TRADE_QUANTITIES[z % TRADE_QUANTITIES.length];
        lines.push({
          type: "trade",
          time: iso(time),
          session: buy.session,
          buyOrder: buy.id,
          sellOrder: sell.id,
          price: 120_000,
          quantity,
        });
        break;
      }
      case 5:
        if (day + 1 < plan.days) {
          day++;
          time = MONDAY_MS + day * DAY_MS + 10 * 3_600_000;
          live = [];
        }
        break;
      case 6: {
        // The operator records another group for a member, from now on.
        const group = GROUPS[y % GROUPS.length];
        const member = `M${(x % 5) + 1}`;
        lines.push(group === null ? { type: "member", member } : { type: "member", member, group });
        break;
      }
    }
  }
  return lines;
}

const plans = fc.record({
  groups: fc.array(fc.nat(3), { minLength: 5, maxLength: 5 }),
  days: fc.integer({ min: 1, max: 12 }),
  i2: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
  limits: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
  prices: fc.integer({ min: 1, max: PRICES.length }),
  actions: fc.array(fc.tuple(fc.nat(20), fc.nat(50), fc.nat(50), fc.nat(50)), {
    minLength: 20,
    maxLength: 400,
    size: "max",
  }),
});

/**
 * High rates: time mostly advances by a few ms, so a window holds many orders of one account at one price and pairs
 * meet many times an order (a pair's session stays within its PAIR_SESSION_ORDERS_MAX orders, which the model does
 * not cap: enough days for the orders).
 */
const busyPlans = fc.record({
  groups: fc.array(fc.nat(3), { minLength: 5, maxLength: 5 }),
  days: fc.integer({ min: 4, max: 8 }),
  i2: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
  limits: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
  prices: fc.integer({ min: 1, max: 2 }),
  actions: fc.array(fc.tuple(fc.nat(20), fc.nat(50), fc.nat(50), fc.nat(50)), {
    minLength: 100,
    maxLength: 400,
    size: "max",
  }),
  steps: fc.constant([0, 0, 1, 1, 2, 3, 5, 10, 20, 999, 1000, 1001]),
});

const canonical = (alerts: readonly Record<string, unknown>[]) => alerts.map((a) => JSON.stringify(a)).sort();
const fast = (lines: readonly Line[]) => canonical(run(lines).alerts);

/** The order ids a line refers to, and which it defines or ends. */
function references(line: Line): { defines: string | null; uses: string[]; cancels: string | null } {
  switch (line.type) {
    case "order":
      return { defines: String(line.order), uses: [], cancels: null };
    case "amend":
      return { defines: null, uses: [String(line.order)], cancels: null };
    case "cancel":
      return { defines: null, uses: [], cancels: String(line.order) };
    case "trade":
      return { defines: null, uses: [String(line.buyOrder), String(line.sellOrder)], cancels: null };
    default:
      return { defines: null, uses: [], cancels: null };
  }
}

/** Reorders each run of lines with equal time at random, keeping every order before its uses and its cancel last. */
function shuffleEqualTimes(lines: readonly Line[], random: () => number): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i + 1;
    if (typeof lines[i]!.time === "string") while (j < lines.length && lines[j]!.time === lines[i]!.time) j++;
    const block = lines.slice(i, j);
    const before = block.map(() => new Set<number>());
    block.forEach((line, b) => {
      const r = references(line);
      block.forEach((other, a) => {
        if (a === b) return;
        const o = references(other);
        const needs = [...r.uses, ...(r.cancels === null ? [] : [r.cancels])];
        if (o.defines !== null && needs.includes(o.defines)) before[b]!.add(a);
        if (r.cancels !== null && o.uses.includes(r.cancels)) before[b]!.add(a);
      });
    });
    const placed = new Set<number>();
    while (placed.size < block.length) {
      const ready = block.map((_, k) => k).filter((k) => !placed.has(k) && [...before[k]!].every((p) => placed.has(p)));
      const pick = ready[Math.floor(random() * ready.length)]!;
      placed.add(pick);
      out.push(block[pick]!);
    }
    i = j;
  }
  return out;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

describe("surveillance over random histories", () => {
  it("prints exactly what the brute-force model of the rules prints", () => {
    let alerted = 0;
    fc.assert(
      fc.property(plans, (plan) => {
        const lines = build(plan);
        const got = fast(lines);
        expect(got).toEqual(canonical(referenceAlerts(lines)));
        alerted += got.length;
      }),
      { seed: 20_260_105, numRuns: 300 },
    );
    // The histories must actually reach the rules: a model that never alerts would agree with anything.
    expect(alerted).toBeGreaterThan(300);
  });

  it("prints what the model prints at high rates (many orders of an account at a price within the window)", () => {
    let coordinated = 0;
    fc.assert(
      fc.property(busyPlans, (plan) => {
        const lines = build(plan);
        const got = fast(lines);
        expect(got).toEqual(canonical(referenceAlerts(lines)));
        coordinated += got.filter((a) => a.includes('"coordinated-bidding"')).length;
      }),
      { seed: 20_261_205, numRuns: 150 },
    );
    expect(coordinated).toBeGreaterThan(50);
  });

  it("finds every rule in some history", () => {
    const rules = new Set<unknown>();
    fc.assert(
      fc.property(plans, (plan) => {
        for (const alert of run(build(plan)).alerts) rules.add(alert.rule);
      }),
      { seed: 7, numRuns: 200 },
    );
    expect([...rules].sort()).toEqual([
      "automated-entry",
      "concentration",
      "coordinated-bidding",
      "price-limit-bidding",
      "spoofing",
      "wash-trade",
    ]);
  });

  it("does not depend on the order lines of equal time are given in", () => {
    fc.assert(
      fc.property(plans, fc.integer({ min: 1, max: 1_000_000 }), (plan, seed) => {
        const lines = build(plan);
        expect(fast(shuffleEqualTimes(lines, seeded(seed)))).toEqual(fast(lines));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("does not depend on how the file arrives in chunks, nor on LF or CRLF line ends", async () => {
    await fc.assert(
      fc.asyncProperty(plans, fc.array(fc.nat(), { maxLength: 40 }), fc.boolean(), async (plan, cuts, crlf) => {
        const lines = build(plan);
        const text = Buffer.from(`${lines.map((l) => JSON.stringify(l)).join(crlf ? "\r\n" : "\n")}\n`, "utf8");
        const positions = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const at of [...positions, text.length]) {
          chunks.push(text.subarray(from, at));
          from = at;
        }
        const alerts = await surveilStream(Readable.from(chunks), "test", DEFAULT_CONFIG);
        expect(canonical(alerts.map((a) => JSON.parse(JSON.stringify(alertLine(a)))))).toEqual(fast(lines));
      }),
      { seed: 3, numRuns: 60 },
    );
  });
});
