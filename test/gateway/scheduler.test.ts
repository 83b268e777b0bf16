/**
 * The session scheduler drives instruments through their calendar: pre-open collection, the opening auction,
 * continuous trading and the close for a continuous instrument; collection and the closing auction for a call
 * instrument; it leaves halted instruments alone and sends time ticks that end volatility auctions.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TradingCalendar } from "../../src/engine/calendar.ts";
import type { Command } from "../../src/engine/commands.ts";
import { Exchange } from "../../src/gateway/exchange.ts";
import { nextScheduledChange, Scheduler } from "../../src/gateway/scheduler.ts";

const MONDAY_0800_LOCAL = Date.UTC(2026, 0, 5, 3, 0); // 08:00 in Almaty
const MINUTE = 60_000;
const CALENDAR: TradingCalendar = {
  sessions: [{ open: "11:00", close: "13:00" }],
  preOpenMinutes: 10,
  weekends: false,
  holidays: [],
  extraSessions: [],
};

let exchange: Exchange;
let now = MONDAY_0800_LOCAL;

async function open(mode: "continuous" | "call"): Promise<Scheduler> {
  now = MONDAY_0800_LOCAL;
  exchange = await Exchange.open({ data: mkdtempSync(join(tmpdir(), "sauda-sched-")), clock: () => now });
  const commands: Command[] = [
    { type: "instrument.list", instrument: "X", mode, tickSize: 1, lotSize: 1, referencePrice: 100 },
    { type: "calendar.set", instrument: "X", calendar: CALENDAR, reason: "test" },
  ];
  for (const command of commands) await exchange.submit(command);
  return new Scheduler(exchange);
}

const phase = () => exchange.engine.market("X")!.phase;
const at = async (scheduler: Scheduler, localTime: string) => {
  const [h, m] = localTime.split(":").map(Number);
  now = MONDAY_0800_LOCAL + ((h! - 8) * 60 + m!) * MINUTE;
  await scheduler.step();
};

afterEach(async () => {
  await exchange.close();
});

describe("scheduler", () => {
  it("runs a continuous instrument's day: pre-open, opening auction, continuous, close", async () => {
    const scheduler = await open("continuous");
    await at(scheduler, "10:49");
    expect(phase()).toBe("closed");
    await at(scheduler, "10:50");
    expect(phase()).toBe("collection");
    await exchange.submit({
      type: "order.new",
      instrument: "X",
      orderId: "s",
      account: "S",
      side: "sell",
      orderType: "limit",
      price: 100,
      quantity: 5,
    });
    await exchange.submit({
      type: "order.new",
      instrument: "X",
      orderId: "b",
      account: "B",
      side: "buy",
      orderType: "limit",
      price: 101,
      quantity: 3,
    });
    await at(scheduler, "11:00");
    expect(phase()).toBe("continuous");
    expect(exchange.projections.marketData.quote("X")?.lastAuction).toMatchObject({
      priceTiynPerTonne: 100,
      volumeKg: 3,
    });
    await at(scheduler, "13:00");
    expect(phase()).toBe("closed");
    // Every change is in the journal, sent by the scheduler.
    const audit = exchange.projections.audit.query({ actor: "scheduler" });
    expect(audit.map((entry) => entry.commandType)).toEqual(["phase.set", "phase.set", "phase.set"]); // collection, uncross, closed
  });

  it("runs a call instrument: collection through the session, one auction at the close", async () => {
    const scheduler = await open("call");
    await at(scheduler, "10:55");
    expect(phase()).toBe("closed");
    await at(scheduler, "11:00");
    expect(phase()).toBe("collection");
    await at(scheduler, "12:59");
    expect(phase()).toBe("collection");
    await at(scheduler, "13:00");
    expect(phase()).toBe("closed");
  });

  it("leaves a halted instrument alone", async () => {
    const scheduler = await open("continuous");
    await at(scheduler, "11:05");
    await at(scheduler, "11:06");
    expect(phase()).toBe("continuous");
    await exchange.submit({ type: "halt", scope: "instrument", instrument: "X", reason: "test" });
    await at(scheduler, "13:30");
    expect(phase()).toBe("halted");
  });

  it("counts down to a resumption auction's end, and to nothing while halted (the public next phase)", async () => {
    const scheduler = await open("continuous");
    const next = () => {
      const controls = exchange.projections.controls.instrument("X")!;
      return nextScheduledChange(controls.calendar, controls.mode, now, controls);
    };
    await at(scheduler, "11:05");
    await at(scheduler, "11:06");
    expect(next()).toEqual({ phase: "closed", atMs: MONDAY_0800_LOCAL + 5 * 60 * MINUTE, auction: false });
    await exchange.submit({ type: "halt", scope: "instrument", instrument: "X", reason: "test" });
    // Halted: the close at 13:00 does not end a halt (the scheduler leaves it), so nothing is scheduled.
    expect(next()).toBeNull();
    await at(scheduler, "11:20");
    await exchange.submit({ type: "resume", scope: "instrument", instrument: "X", reason: "test" });
    const auctionEnd = now + exchange.engine.market("X")!.safeguards.resumptionAuctionMs;
    expect(exchange.projections.controls.instrument("X")!.auctionEndsAtMs).toBe(auctionEnd);
    expect(next()).toEqual({ phase: "continuous", atMs: auctionEnd, auction: true });
    // Its end passed: the auction uncrosses into continuous trading; the close is next again.
    now = auctionEnd;
    await scheduler.step();
    expect(phase()).toBe("continuous");
    expect(exchange.projections.controls.instrument("X")!.auctionEndsAtMs).toBeNull();
    expect(next()).toEqual({ phase: "closed", atMs: MONDAY_0800_LOCAL + 5 * 60 * MINUTE, auction: false });
  });

  it("sends a time tick when a volatility auction is due to end", async () => {
    const scheduler = await open("continuous");
    await exchange.submit({
      type: "safeguards.set",
      instrument: "X",
      changes: { breakerBps: 100, breakerAuctionMs: 60_000 },
      reason: "test",
    });
    await at(scheduler, "11:00");
    await at(scheduler, "11:01");
    expect(phase()).toBe("continuous");
    const order = (orderId: string, side: "buy" | "sell", price: number, account: string): Command => ({
      type: "order.new",
      instrument: "X",
      orderId,
      account,
      side,
      orderType: "limit",
      price,
      quantity: 1,
    });
    await exchange.submit(order("s1", "sell", 100, "S1"));
    await exchange.submit(order("b1", "buy", 100, "B1"));
    await exchange.submit(order("s2", "sell", 110, "S2"));
    await exchange.submit(order("b2", "buy", 110, "B2"));
    expect(phase()).toBe("collection");
    await at(scheduler, "11:03");
    expect(phase()).toBe("continuous");
  });
});

describe("scheduler and the re-offer of voided volume", () => {
  it("opens the calendar's extra session as the re-offer's extra session when voided volume waits", async () => {
    now = MONDAY_0800_LOCAL;
    exchange = await Exchange.open({ data: mkdtempSync(join(tmpdir(), "sauda-sched-")), clock: () => now });
    const terms = {
      basis: "KAZGPZ",
      collateralBps: 500,
      feeBps: 5,
      paymentWindowMs: 86_400_000,
      deliveryWindowMs: 86_400_000,
      buyerDefaultCollateralTo: "seller" as const,
      sellerPenaltyBps: 0,
    };
    const order = (orderId: string, account: string, side: "buy" | "sell"): Command => ({
      type: "order.new",
      instrument: "X",
      orderId,
      account,
      side,
      orderType: "limit",
      price: 12_300_000,
      quantity: 5000,
      tif: "DAY",
    });
    const setup: Command[] = [
      { type: "instrument.list", instrument: "X", mode: "call", tickSize: 100, lotSize: 1000, clearing: terms },
      {
        type: "calendar.set",
        instrument: "X",
        calendar: { ...CALENDAR, extraSessions: [{ date: "2026-01-05", open: "15:00", close: "16:00" }] },
        reason: "test",
      },
      { type: "member.add", member: "P", name: "Plant", roles: ["producer"] },
      { type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "wholesaler" },
      { type: "account.open", account: "P1", member: "P" },
      { type: "account.open", account: "B1", member: "B" },
      { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: 10_000 },
      { type: "money.deposit", account: "B1", amount: 1_000_000_000, reference: "BANK-1" },
    ];
    for (const command of setup) await exchange.submit(command);
    const scheduler = new Scheduler(exchange);
    await at(scheduler, "11:00");
    await exchange.submit(order("s", "P1", "sell"));
    await exchange.submit(order("b", "B1", "buy"));
    await at(scheduler, "13:00");
    expect(phase()).toBe("closed");
    const trade = exchange.projections.accounts.obligations("B1")[0]!.tradeId;
    const voided = await exchange.submit({ type: "trade.void", trade, reason: "entry rules", rule: "4.2" });
    expect(voided.events.map((e) => e.type)).toContain("reoffer.created");
    expect(exchange.engine.reoffersWaiting("X")).toBe(1);

    await at(scheduler, "14:59");
    expect(phase()).toBe("closed");
    await at(scheduler, "15:00");
    expect(phase()).toBe("collection");
    expect(exchange.engine.reoffersWaiting("X")).toBe(0);
    await at(scheduler, "16:00");
    expect(phase()).toBe("closed");
    const audit = exchange.projections.audit.query({ actor: "scheduler" });
    // Newest first.
    expect(audit.map((entry) => entry.commandType)).toEqual([
      "phase.set", // 16:00 the extra session's auction and close
      "session.extra", // 15:00 the calendar's extra session, for the re-offer
      "phase.set", // 13:00 the auction and the close
      "phase.set", // 11:00 collection
    ]);
  });
});
