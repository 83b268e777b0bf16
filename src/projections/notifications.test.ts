/**
 * The notifications read model: which events notify whom, deadline notices from the time passed in (each once, only
 * for a leg still open), the browser kinds a member chose, read marks, and its bounds at their limits.
 */

import { describe, expect, it } from "vitest";
import { EngineRun, KAZGPZ_TERMS, outcomeOf, T0, tradeEvent } from "../../test/support/engine-run.ts";
import type { CancelReason } from "../domain/order.ts";
import type { EngineEvent } from "../engine/events.ts";
import { NOTICE_KINDS } from "../engine/notices.ts";
import {
  DEADLINE_NOTICE_BEFORE_MS,
  NOTICES_PER_MEMBER_MAX,
  type Notice,
  NotificationViews,
  READ_MARKS_PER_MEMBER_MAX,
} from "./notifications.ts";

const DAY_MS = 86_400_000;

function cancelled(orderId: string, reason: CancelReason): EngineEvent {
  return { type: "order.cancelled", instrument: "I", orderId, account: "A1", quantity: 2000, reason };
}

function views(): { views: NotificationViews; made: Notice[]; feed: (events: EngineEvent[]) => number } {
  const made: Notice[] = [];
  const notices = new NotificationViews();
  notices.onNotice((notice) => made.push(notice));
  let seq = 0;
  notices.apply(
    outcomeOf(++seq, T0, [
      { type: "account.opened", id: "A1", member: "A", client: null, canBuy: true, canSell: true, buyerCategory: null },
    ]),
  );
  return {
    views: notices,
    made,
    feed: (events) => {
      notices.apply(outcomeOf(++seq, T0, events));
      return seq;
    },
  };
}

describe("notifications read model", () => {
  it("keeps each notification's e-mail attempts: retrying with its retry listed, then delivered or failed", () => {
    const { views: notices, feed } = views();
    const seq = feed([cancelled("A1:1", "price-limit"), cancelled("A1:2", "price-limit")]);
    const [first, second] = [`N-${seq}-1`, `N-${seq}-2`];
    const mailed = (id: string, attempt: number, error: string | null, nextAttemptMs: number | null): EngineEvent => ({
      type: "notices.mailed",
      member: "A",
      id,
      attempt,
      atMs: T0 + attempt,
      error,
      nextAttemptMs,
    });
    feed([mailed(first, 1, "451 busy", T0 + 60_000), mailed(second, 1, "451 busy", T0 + 60_000)]);
    expect(notices.mailState(first)).toEqual({
      status: "retrying",
      attempts: 1,
      lastAttemptMs: T0 + 1,
      lastError: "451 busy",
      nextAttemptMs: T0 + 60_000,
    });
    expect([...notices.mailRetries()].map((r) => [r.id, r.attempts, r.nextAttemptMs])).toEqual([
      [first, 1, T0 + 60_000],
      [second, 1, T0 + 60_000],
    ]);
    feed([mailed(first, 2, null, null), mailed(second, 5, "550 no such user", null)]);
    expect(notices.mailState(first)).toMatchObject({ status: "delivered", attempts: 2, lastError: null });
    expect(notices.mailState(second)).toMatchObject({ status: "failed", attempts: 5, lastError: "550 no such user" });
    expect([...notices.mailRetries()]).toEqual([]);
    expect(notices.list("A").map((n) => [n.id, n.mail?.status])).toEqual([
      [second, "failed"],
      [first, "delivered"],
    ]);
    // A record for a notification the member does not have (or no longer keeps) changes nothing.
    feed([{ ...mailed("N-999-1", 1, "451 busy", T0 + 60_000) }]);
    expect(notices.mailState("N-999-1")).toBeNull();
    expect([...notices.mailRetries()]).toEqual([]);
    // A retry waits only for a notification kept: one that drops off takes its e-mail state with it.
    const third = `N-${feed([cancelled("A1:3", "price-limit")])}-1`;
    feed([mailed(third, 1, "451 busy", T0 + 60_000)]);
    for (let i = 0; i < NOTICES_PER_MEMBER_MAX - 3; i++) feed([cancelled(`A1:x${i}`, "price-limit")]);
    expect(notices.mailState(first)).not.toBeNull();
    expect([...notices.mailRetries()].map((r) => r.id)).toEqual([third]);
    feed([cancelled("A1:y", "price-limit")]);
    expect(notices.mailState(first)).toBeNull();
    feed([cancelled("A1:z1", "price-limit"), cancelled("A1:z2", "price-limit")]);
    expect(notices.mailState(third)).toBeNull();
    expect([...notices.mailRetries()]).toEqual([]);
  });

  it("notifies cancellations by the regulator's limits, a suspension or a halt, never the member's own", () => {
    const { views: notices, made, feed } = views();
    feed([cancelled("A1:1", "requested"), cancelled("A1:2", "mass-cancel"), cancelled("A1:3", "expired")]);
    expect(made).toEqual([]);
    const seq = feed([cancelled("A1:4", "price-limit"), cancelled("A1:5", "member-suspended")]);
    feed([{ type: "phase.changed", instrument: "I", from: "continuous", to: "halted", reason: "emergency" }]);
    const halted = feed([cancelled("A1:6", "expired"), cancelled("A1:7", "requested")]);
    feed([{ type: "phase.changed", instrument: "I", from: "halted", to: "continuous" }]);
    feed([cancelled("A1:8", "expired")]);
    expect(made.map((n) => [n.id, n.member, n.facts.kind === "cancel" ? n.facts.cause : null])).toEqual([
      [`N-${seq}-1`, "A", "price-limit"],
      [`N-${seq}-2`, "A", "member-suspended"],
      [`N-${halted}-1`, "A", "halt"],
    ]);
    expect(notices.unreadCount("A")).toBe(3);
  });

  it("a shortfall is a refused order or payment, not a refused withdrawal", () => {
    const { made, feed } = views();
    const refusal = (purpose: string): EngineEvent => ({
      type: "rejected",
      command: "order.new",
      orderId: null,
      code: "RISK_INSUFFICIENT_FUNDS",
      message: "",
      details: { account: "A1", free: "100", required: 250, shortfall: "150", purpose },
    });
    feed([refusal("the withdrawal")]);
    feed([refusal("the order's guarantee deposit and fee")]);
    expect(made.map((n) => n.facts)).toEqual([
      {
        kind: "shortfall",
        account: "A1",
        requiredTiyn: "250",
        freeTiyn: "100",
        shortfallTiyn: "150",
        purpose: "the order's guarantee deposit and fee",
      },
    ]);
  });

  it("shows in the browser the kinds the member chose; marks read by id", () => {
    const { views: notices, feed } = views();
    const seq = feed([tradeEvent("I", 1, 100, 1000, { buy: "x", sell: "y" }), cancelled("A1:1", "price-limit")]);
    // The trade's accounts have no member on record: the account stands for it.
    expect(notices.list("acct-x").map((n) => n.id)).toEqual([`N-${seq}-1`]);
    expect(notices.list("A").map((n) => n.id)).toEqual([`N-${seq}-3`]);
    feed([{ type: "notices.preferred", member: "A", web: ["fill"], mail: [], email: null, language: null }]);
    expect(notices.list("A")).toEqual([]);
    expect(notices.unreadCount("A")).toBe(0);
    feed([{ type: "notices.preferred", member: "A", web: [...NOTICE_KINDS], mail: [], email: null, language: null }]);
    feed([{ type: "notices.read", member: "A", ids: [`N-${seq}-3`] }]);
    expect(notices.list("A").map((n) => [n.id, n.read])).toEqual([[`N-${seq}-3`, true]]);
    expect(notices.list("A", { unreadOnly: true })).toEqual([]);
  });

  it("keeps the newest notifications and read marks per member, at their limits", () => {
    const { views: notices, feed } = views();
    const first = feed(Array.from({ length: NOTICES_PER_MEMBER_MAX }, (_, i) => cancelled(`A1:${i}`, "price-limit")));
    expect(notices.list("A")).toHaveLength(NOTICES_PER_MEMBER_MAX);
    expect(notices.has("A", `N-${first}-1`)).toBe(true);
    const next = feed([cancelled("A1:new", "price-limit")]);
    const kept = notices.list("A");
    expect(kept).toHaveLength(NOTICES_PER_MEMBER_MAX);
    expect(kept[0]!.id).toBe(`N-${next}-1`);
    expect(notices.has("A", `N-${first}-1`)).toBe(false);
    expect(notices.has("A", `N-${first}-2`)).toBe(true);

    const ids = Array.from({ length: READ_MARKS_PER_MEMBER_MAX + 1 }, (_, i) => `X-${i}`);
    for (let from = 0; from < ids.length; from += 100) {
      feed([{ type: "notices.read", member: "A", ids: ids.slice(from, from + 100) }]);
    }
    expect(notices.isRead("A", "X-0")).toBe(false);
    expect(notices.isRead("A", "X-1")).toBe(true);
    expect(notices.isRead("A", `X-${READ_MARKS_PER_MEMBER_MAX}`)).toBe(true);
  });
});

describe("deadline notifications over the engine", () => {
  function market() {
    const notices = new NotificationViews();
    const made: Notice[] = [];
    notices.onNotice((notice) => made.push(notice));
    const run = new EngineRun((outcome) => notices.apply(outcome));
    run.ok(
      {
        type: "instrument.list",
        instrument: "I",
        mode: "continuous",
        tickSize: 100,
        lotSize: 1000,
        clearing: KAZGPZ_TERMS,
      },
      { type: "member.add", member: "P", name: "Producer", roles: ["producer"] },
      { type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "wholesaler" },
      { type: "account.open", account: "P1", member: "P" },
      { type: "account.open", account: "B1", member: "B" },
      { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: 100_000 },
      { type: "money.deposit", account: "B1", amount: 100_000_000_000, reference: "D" },
    );
    run.phase("I", "continuous");
    run.order("I", "P1:s", "P1", "sell", 13_000_000, 10_000);
    run.order("I", "B1:b", "B1", "buy", 13_000_000, 10_000);
    return { notices, made, run };
  }

  it("a day before and at the deadline, once each, to the party that owes; none for a leg done", () => {
    const { notices, made, run } = market();
    expect(made.map((n) => [n.member, n.facts.kind])).toEqual([
      ["B", "fill"],
      ["P", "fill"],
    ]);
    const obligation = "OB-I-S1-1";
    const deliveryDueMs = T0 + 5 * DAY_MS;
    // The buyer pays within its one-day window (which has no "day before" notice).
    run.ok({ type: "obligation.confirmPayment", obligation });
    expect(notices.nextReminderMs).toBe(T0 + DAY_MS);
    notices.advance(deliveryDueMs - DEADLINE_NOTICE_BEFORE_MS - 1);
    expect(made).toHaveLength(2);
    notices.advance(deliveryDueMs - DEADLINE_NOTICE_BEFORE_MS);
    notices.advance(deliveryDueMs - DEADLINE_NOTICE_BEFORE_MS);
    expect(made.slice(2)).toEqual([
      {
        id: `D-${obligation}-delivery-before`,
        member: "P",
        timeMs: deliveryDueMs - DEADLINE_NOTICE_BEFORE_MS,
        facts: {
          kind: "deadline",
          obligation,
          tradeId: "T-I-S1-1",
          instrument: "I",
          leg: "delivery",
          stage: "before",
          dueMs: deliveryDueMs,
          valueTiyn: 130_000_000,
          quantityKg: 10_000,
        },
      },
    ]);
    // Delivered and settled before the deadline: no notice at it.
    run.ok({ type: "obligation.confirmDelivery", obligation });
    notices.advance(deliveryDueMs);
    expect(made).toHaveLength(3);
    expect(notices.nextReminderMs).toBeNull();
  });

  it("a registered negotiated deal notifies the buyer; its trade notifies both sides as a fill", () => {
    const { made, run } = market();
    const submitted = run.do({
      type: "negotiated.submit",
      instrument: "I",
      seller: "P1",
      buyer: "B1",
      price: 13_100_000,
      quantity: 5_000,
    });
    expect(submitted.events.map((e) => e.type)).toEqual(["negotiated.submitted"]);
    const deal = `ND-${submitted.seq}`;
    // Only the buyer's member: the answer is its to give.
    expect(made.slice(2)).toEqual([
      {
        id: `N-${submitted.seq}-1`,
        member: "B",
        timeMs: submitted.timeMs,
        facts: {
          kind: "deal",
          deal,
          instrument: "I",
          account: "B1",
          seller: "P1",
          priceTiynPerTonne: 13_100_000,
          quantityKg: 5_000,
        },
      },
    ]);
    const accepted = run.do({ type: "negotiated.accept", deal, account: "B1" });
    expect(accepted.events.map((e) => e.type)).toContain("trade.negotiated");
    expect(made.slice(3)).toEqual([
      {
        id: `N-${accepted.seq}-1`,
        member: "B",
        timeMs: accepted.timeMs,
        facts: {
          kind: "fill",
          instrument: "I",
          tradeId: "T-I-S1-2",
          account: "B1",
          side: "buy",
          priceTiynPerTonne: 13_100_000,
          quantityKg: 5_000,
        },
      },
      {
        id: `N-${accepted.seq}-2`,
        member: "P",
        timeMs: accepted.timeMs,
        facts: {
          kind: "fill",
          instrument: "I",
          tradeId: "T-I-S1-2",
          account: "P1",
          side: "sell",
          priceTiynPerTonne: 13_100_000,
          quantityKg: 5_000,
        },
      },
    ]);
  });

  it("an outcome past a deadline makes its notice first, as a replay of the journal does", () => {
    const { made, run } = market();
    run.timeMs = T0 + DAY_MS + 1;
    const tick = run.do({ type: "time.tick" });
    expect(made.slice(2).map((n) => [n.id, n.member])).toEqual([
      ["D-OB-I-S1-1-payment-due", "B"],
      [`N-${tick.seq}-1`, "B"],
      [`N-${tick.seq}-2`, "P"],
    ]);
    expect(made[3]!.facts).toMatchObject({ kind: "default", party: "buyer", forfeitedTiyn: 6_500_000 });
  });
});
