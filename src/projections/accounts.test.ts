import { describe, expect, it } from "vitest";
import { acceptedEvent, EngineRun, KAZGPZ_TERMS, outcomeOf, T0, tradeEvent } from "../../test/support/engine-run.ts";
import { ACCOUNT_LIST_LIMIT_MAX } from "../domain/limits.ts";
import type { Obligation } from "../engine/clearing.ts";
import type { Command } from "../engine/commands.ts";
import type { EngineEvent } from "../engine/events.ts";
import { ACCOUNT_DONE_ORDERS_MAX, ACCOUNT_FILLS_MAX, Accounts, OBLIGATIONS_DONE_MAX } from "./accounts.ts";

const DAY_MS = 86_400_000;
const PRICE = 13_000_000; // 130,000 tenge per tonne
// Per tonne at 13,000,000: collateral 5% = 650,000 and fee 0.05% = 6,500 tiyn; a buy blocks 656,500 per tonne.

function clearedMarket() {
  const accounts = new Accounts();
  const run = new EngineRun((outcome) => accounts.apply(outcome));
  const setup: Command[] = [
    {
      type: "instrument.list",
      instrument: "PB",
      mode: "continuous",
      tickSize: 100,
      lotSize: 1000,
      clearing: KAZGPZ_TERMS,
    },
    { type: "phase.set", instrument: "PB", phase: "continuous" },
    { type: "member.add", member: "P", name: "Producer", roles: ["producer"] },
    { type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "wholesaler" },
    { type: "account.open", account: "P1", member: "P" },
    { type: "account.open", account: "B1", member: "B" },
    { type: "money.deposit", account: "B1", amount: 100_000_000_000, reference: "DEP-1" },
    { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: 50_000 },
  ];
  run.ok(...setup);
  return { accounts, run };
}

function expectLedgerEqualsEngine(accounts: Accounts, run: EngineRun): void {
  const engine = run.engine.clearingHouse.ledger
    .entries()
    .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : a.asset < b.asset ? -1 : 1));
  expect(accounts.ledgerEntries()).toEqual(engine);
}

describe("account views from a cleared market", () => {
  it("follows orders, fills, balances and an obligation to settlement, then a buyer's default", () => {
    const { accounts, run } = clearedMarket();
    expect(accounts.info("B1")).toMatchObject({ member: "B", canBuy: true, canSell: false });
    expect(accounts.accountIds()).toEqual(["P1", "B1"]);

    run.order("PB", "b1", "B1", "buy", PRICE, 10_000);
    expect(accounts.balances("B1")).toEqual([
      { asset: "KZT", free: 99_993_435_000n, orders: 6_565_000n, obligations: 0n, total: 100_000_000_000n },
    ]);

    run.order("PB", "s1", "P1", "sell", PRICE, 4000); // trades 4 t with b1
    expect(accounts.order("s1")).toMatchObject({ status: "filled", openKg: 0, filledKg: 4000 });
    expect(accounts.order("b1")).toMatchObject({
      status: "resting",
      openKg: 6000,
      filledKg: 4000,
      averageFillPriceTiynPerTonne: PRICE,
    });
    expect(accounts.balances("B1")).toEqual([
      { asset: "KZT", free: 99_993_435_000n, orders: 3_939_000n, obligations: 2_626_000n, total: 100_000_000_000n },
    ]);
    expect(accounts.balances("P1")).toEqual([
      { asset: "GAS:KAZGPZ", free: 46_000n, orders: 0n, obligations: 4000n, total: 50_000n },
    ]);
    expect(accounts.fills("B1")).toEqual([
      {
        seq: run.outcomes.length,
        timeMs: T0,
        tradeId: "T-PB-S1-1",
        orderId: "b1",
        instrument: "PB",
        account: "B1",
        side: "buy",
        priceTiynPerTonne: PRICE,
        quantityKg: 4000,
        liquidity: "maker",
      },
    ]);
    expect(accounts.fills("P1").map((f) => [f.orderId, f.side, f.liquidity])).toEqual([["s1", "sell", "taker"]]);
    expect(accounts.obligation("OB-PB-S1-1")).toMatchObject({
      buyer: "B1",
      seller: "P1",
      basis: "KAZGPZ",
      valueTiyn: 52_000_000,
      collateralTiyn: 2_600_000,
      buyerFeeTiyn: 26_000,
      sellerFeeTiyn: 26_000,
      paymentDueMs: T0 + DAY_MS,
      deliveryDueMs: T0 + 5 * DAY_MS,
      status: "open",
      paid: false,
      delivered: false,
    });
    // The deposit held is the buyer's: the seller's open sale holds none.
    expect(accounts.openCollateral("B1")).toEqual({ openPurchases: 1, collateralTiyn: 2_600_000n });
    expect(accounts.openCollateral("P1")).toEqual({ openPurchases: 0, collateralTiyn: 0n });

    run.order("PB", "s2", "P1", "sell", 13_100_000, 2000);
    run.ok({ type: "order.cancel", orderId: "s2" });
    expect(accounts.order("s2")).toMatchObject({ status: "cancelled", cancelReason: "requested", cancelledKg: 2000 });
    run.ok({ type: "order.amend", orderId: "b1", quantity: 5000 }); // releases 1 t's block: 656,500
    expect(accounts.order("b1")).toMatchObject({ openKg: 5000, amendments: 1, quantityKg: 9000 }); // 4 t filled + 5 t

    run.ok({ type: "obligation.confirmPayment", obligation: "OB-PB-S1-1" });
    expect(accounts.ledgerBalance("clearing/settlement", "KZT")).toBe(52_000_000n);
    run.ok({ type: "obligation.confirmDelivery", obligation: "OB-PB-S1-1" });
    expect(accounts.obligation("OB-PB-S1-1")).toMatchObject({ status: "settled", paid: true, delivered: true });
    expect(accounts.openCollateral("B1")).toEqual({ openPurchases: 0, collateralTiyn: 0n });
    expect(accounts.balances("B1")).toEqual([
      { asset: "GAS:KAZGPZ", free: 4000n, orders: 0n, obligations: 0n, total: 4000n },
      { asset: "KZT", free: 99_944_691_500n, orders: 3_282_500n, obligations: 0n, total: 99_947_974_000n },
    ]);
    expect(accounts.ledgerBalance("P1/free", "KZT")).toBe(51_974_000n);
    expect(accounts.ledgerBalance("exchange/fees", "KZT")).toBe(52_000n);
    expect(accounts.ledgerBalance("clearing/settlement", "KZT")).toBe(0n);
    expectLedgerEqualsEngine(accounts, run);

    run.order("PB", "s3", "P1", "sell", PRICE, 2000); // 2 t more from b1: obligation OB-PB-S1-2
    expect(accounts.openCollateral("B1")).toEqual({ openPurchases: 1, collateralTiyn: 1_300_000n });
    run.timeMs = T0 + DAY_MS; // OB-PB-S1-2's payment deadline passes unpaid
    run.ok({ type: "time.tick" });
    expect(accounts.obligation("OB-PB-S1-2")).toMatchObject({
      status: "defaulted",
      defaultedParty: "buyer",
      forfeitedTiyn: 1_300_000,
      penaltyTiyn: 0,
      claimTiyn: 0,
      updatedMs: T0 + DAY_MS,
    });
    expect(accounts.openCollateral("B1")).toEqual({ openPurchases: 0, collateralTiyn: 0n });
    expect(accounts.balances("B1")[1]).toEqual({
      asset: "KZT",
      free: 99_944_691_500n,
      orders: 1_969_500n,
      obligations: 0n,
      total: 99_946_661_000n, // 100 bn − 52 m paid − 39,000 fees − 1.3 m forfeited
    });
    expect(accounts.balances("P1")).toEqual([
      { asset: "GAS:KAZGPZ", free: 46_000n, orders: 0n, obligations: 0n, total: 46_000n },
      { asset: "KZT", free: 53_274_000n, orders: 0n, obligations: 0n, total: 53_274_000n },
    ]);
    expect(accounts.ledgerBalance("exchange/fees", "KZT")).toBe(65_000n);
    expectLedgerEqualsEngine(accounts, run);

    expect(accounts.obligations("B1").map((o) => [o.id, o.status])).toEqual([
      ["OB-PB-S1-2", "defaulted"],
      ["OB-PB-S1-1", "settled"],
    ]);
    expect(accounts.obligations("P1", { status: "settled", role: "seller" }).map((o) => o.id)).toEqual(["OB-PB-S1-1"]);
    expect(accounts.obligations("P1", { role: "buyer" })).toEqual([]);
    expect(accounts.orders("P1").map((o) => [o.orderId, o.status])).toEqual([
      ["s3", "filled"],
      ["s2", "cancelled"],
      ["s1", "filled"],
    ]);
    expect(accounts.orders("P1", { status: "filled", limit: 1 }).map((o) => o.orderId)).toEqual(["s3"]);
    expect(accounts.orders("B1", { status: "resting" }).map((o) => [o.orderId, o.openKg, o.filledKg])).toEqual([
      ["b1", 3000, 6000],
    ]);
    for (const id of ["b1", "s1", "s2", "s3"]) {
      const engineOrder = run.engine.order(id)!;
      expect(accounts.order(id)).toMatchObject({
        status: engineOrder.status,
        openKg: engineOrder.open,
        filledKg: engineOrder.filled,
        // The engine keeps no price of a done order (`DoneOrder`); the view keeps it.
        ...("price" in engineOrder ? { priceTiynPerTonne: engineOrder.price } : {}),
      });
    }
  });

  it("reads an amended quantity as the order's quantity: ordered = filled + open + cancelled after amend and cancel", () => {
    const { accounts, run } = clearedMarket();
    run.order("PB", "b5", "B1", "buy", PRICE, 5000);
    run.ok({ type: "order.amend", orderId: "b5", quantity: 6000 }); // 5 t → 6 t
    expect(accounts.order("b5")).toMatchObject({ quantityKg: 6000, openKg: 6000, filledKg: 0, amendments: 1 });
    run.ok({ type: "order.cancel", orderId: "b5" });
    expect(accounts.order("b5")).toMatchObject({ status: "cancelled", quantityKg: 6000, cancelledKg: 6000, openKg: 0 });

    // Partly filled, then cut down and cancelled: the quantity follows the amend and the parts still add up.
    run.order("PB", "b6", "B1", "buy", PRICE, 5000);
    run.order("PB", "s6", "P1", "sell", PRICE, 2000); // 2 t of b6 trade
    run.ok({ type: "order.amend", orderId: "b6", quantity: 1000 }); // open 3 t → 1 t
    expect(accounts.order("b6")).toMatchObject({ quantityKg: 3000, openKg: 1000, filledKg: 2000 });
    run.ok({ type: "order.cancel", orderId: "b6" });
    const b6 = accounts.order("b6")!;
    expect(b6).toMatchObject({ quantityKg: 3000, filledKg: 2000, cancelledKg: 1000 });
    expect(b6.filledKg + b6.openKg + b6.cancelledKg).toBe(b6.quantityKg);
  });

  it("does nothing for a rejected command", () => {
    const { accounts, run } = clearedMarket();
    const before = accounts.ledgerEntries();
    const outcome = run.order("PB", "x", "B1", "buy", PRICE, 1_000_000_000); // far beyond the buyer's funds
    expect(outcome.events.map((e) => e.type)).toEqual(["rejected"]);
    expect(accounts.order("x")).toBeNull();
    expect(accounts.ledgerEntries()).toEqual(before);
  });

  it("forgets the oldest finished orders of an account beyond ACCOUNT_DONE_ORDERS_MAX, never live ones", () => {
    const accounts = new Accounts();
    let seq = 0;
    accounts.apply(outcomeOf(++seq, T0, [acceptedEvent("X", "live", "buy", 100, 1000)]));
    const n = ACCOUNT_DONE_ORDERS_MAX + 2;
    for (let i = 0; i < n; i++) {
      const id = `o${i}`;
      accounts.apply(
        outcomeOf(++seq, T0, [
          acceptedEvent("X", id, "sell", 100, 1000, "acct-live"),
          {
            type: "order.cancelled",
            instrument: "X",
            orderId: id,
            account: "acct-live",
            quantity: 1000,
            reason: "requested",
          },
        ]),
      );
    }
    const done = accounts.orders("acct-live", { status: "cancelled" });
    expect(done).toHaveLength(ACCOUNT_DONE_ORDERS_MAX);
    expect(done[0]!.orderId).toBe(`o${n - 1}`);
    expect(done.at(-1)!.orderId).toBe("o2");
    expect(accounts.orders("acct-live", { status: "resting" }).map((o) => o.orderId)).toEqual(["live"]);
    expect(accounts.order("o0")).toBeNull();
    expect(accounts.order("o1")).toBeNull();
    expect(accounts.order("o2")?.status).toBe("cancelled");
    // The live order still trades.
    accounts.apply(
      outcomeOf(++seq, T0, [
        acceptedEvent("X", "t", "sell", 100, 1000, "other"),
        tradeEvent("X", 1, 100, 1000, { buy: "live", sell: "t", aggressor: "sell" }),
      ]),
    );
    expect(accounts.order("live")?.status).toBe("filled");
  });

  it("keeps the newest ACCOUNT_FILLS_MAX fills of an account", () => {
    const accounts = new Accounts();
    const n = ACCOUNT_FILLS_MAX + 1;
    for (let i = 1; i <= n; i++) {
      accounts.apply(
        outcomeOf(i, T0 + i, [
          acceptedEvent("X", `s${i}`, "sell", 100, 1000, "S"),
          acceptedEvent("X", `b${i}`, "buy", 100, 1000, "F"),
          tradeEvent("X", i, 100, 1000, { buy: `b${i}`, sell: `s${i}` }),
        ]),
      );
    }
    const fills = accounts.fills("F");
    expect(fills).toHaveLength(ACCOUNT_FILLS_MAX);
    expect([fills[0]!.tradeId, fills.at(-1)!.tradeId]).toEqual([`X-${n}`, "X-2"]);
    expect(accounts.fills("F", 2).map((f) => f.liquidity)).toEqual(["taker", "taker"]);
  });

  it("keeps open obligations and the newest OBLIGATIONS_DONE_MAX finished ones", () => {
    const accounts = new Accounts();
    const obligation = (id: string, status: Obligation["status"]): Obligation => ({
      id,
      tradeId: `T-${id}`,
      instrument: "PB",
      basis: "KAZGPZ",
      buyer: "B1",
      seller: "P1",
      price: PRICE,
      quantity: 1000,
      value: PRICE,
      collateral: 650_000,
      buyerFee: 6500,
      sellerFee: 6500,
      tradeTimeMs: T0,
      paymentDueMs: T0 + DAY_MS,
      deliveryDueMs: T0 + 5 * DAY_MS,
      buyerDefaultCollateralTo: "seller",
      sellerPenaltyBps: 1000,
      paid: status === "settled",
      delivered: status === "settled",
      status,
      defaultedParty: null,
    });
    const created = (id: string): EngineEvent => ({ type: "obligation.created", obligation: obligation(id, "open") });
    accounts.apply(outcomeOf(1, T0, [created("open-one")]));
    const n = OBLIGATIONS_DONE_MAX + 1;
    const events: EngineEvent[] = [];
    for (let i = 1; i <= n; i++) {
      events.push(created(`PB-${i}`), { type: "obligation.settled", obligation: obligation(`PB-${i}`, "settled") });
    }
    accounts.apply(outcomeOf(2, T0, events));
    expect(accounts.obligation("PB-1")).toBeNull();
    expect(accounts.obligation("PB-2")?.status).toBe("settled");
    expect(accounts.obligation("open-one")?.status).toBe("open");
    expect(accounts.obligations("P1", { status: "open" }).map((o) => o.id)).toEqual(["open-one"]);
    expect(accounts.obligations("B1", { limit: 1 }).map((o) => o.id)).toEqual([`PB-${n}`]);
    expect(accounts.openCollateral("B1")).toEqual({ openPurchases: 1, collateralTiyn: 650_000n });
  });

  it("holds the deposit of every open purchase, past the API's longest list, exactly", () => {
    const accounts = new Accounts();
    const obligation = (i: number, status: Obligation["status"]): Obligation => ({
      id: `PB-${i}`,
      tradeId: `T-PB-${i}`,
      instrument: "PB",
      basis: "KAZGPZ",
      // Every seventh bought by another account, sold by B1: B1's sales hold no deposit of B1's.
      buyer: i % 7 === 0 ? "B2" : "B1",
      seller: i % 7 === 0 ? "B1" : "P1",
      price: PRICE + i * 100,
      quantity: 1000 * (1 + (i % 3)),
      value: 0,
      collateral: 650_000 + i * 7,
      buyerFee: 6500,
      sellerFee: 6500,
      tradeTimeMs: T0,
      paymentDueMs: T0 + DAY_MS,
      deliveryDueMs: T0 + 5 * DAY_MS,
      buyerDefaultCollateralTo: "seller",
      sellerPenaltyBps: 1000,
      paid: false,
      delivered: false,
      status,
      defaultedParty: status === "defaulted" ? "buyer" : null,
    });
    const n = 2 * ACCOUNT_LIST_LIMIT_MAX;
    const events: EngineEvent[] = [];
    for (let i = 1; i <= n; i++) events.push({ type: "obligation.created", obligation: obligation(i, "open") });
    // Some close: paid (still open), settled, defaulted, voided.
    for (let i = 1; i <= n; i += 10) events.push({ type: "obligation.paid", obligation: obligation(i, "open") });
    for (let i = 2; i <= n; i += 10) events.push({ type: "obligation.settled", obligation: obligation(i, "settled") });
    for (let i = 3; i <= n; i += 10)
      events.push({ type: "obligation.defaulted", obligation: obligation(i, "defaulted") });
    for (let i = 4; i <= n; i += 10) events.push({ type: "obligation.voided", obligation: obligation(i, "voided") });
    accounts.apply(outcomeOf(1, T0, events));

    // The reference: every open obligation B1 buys in, listed without the API's limit and summed.
    const open = accounts.obligations("B1", { status: "open", role: "buyer", limit: n });
    expect(open.length).toBeGreaterThan(ACCOUNT_LIST_LIMIT_MAX);
    const sum = open.reduce((total, o) => total + BigInt(o.collateralTiyn), 0n);
    expect(accounts.openCollateral("B1")).toEqual({ openPurchases: open.length, collateralTiyn: sum });
    // What the newest ACCOUNT_LIST_LIMIT_MAX alone would give differs: the figure is not a capped list's.
    const capped = open.slice(0, ACCOUNT_LIST_LIMIT_MAX).reduce((total, o) => total + BigInt(o.collateralTiyn), 0n);
    expect(capped).not.toBe(sum);
    const b2 = accounts.obligations("B2", { status: "open", limit: n });
    expect(accounts.openCollateral("B2")).toEqual({
      openPurchases: b2.length,
      collateralTiyn: b2.reduce((total, o) => total + BigInt(o.collateralTiyn), 0n),
    });
    expect(accounts.openCollateral("P1")).toEqual({ openPurchases: 0, collateralTiyn: 0n });
    expect(accounts.openCollateral("nobody")).toEqual({ openPurchases: 0, collateralTiyn: 0n });
  });
});
