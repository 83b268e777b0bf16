/**
 * The accounts read model keeps balances, order values and open collateral as numbers while they are safe integers and
 * as bigints beyond (numbers.ts, `ExactInteger`). This differential test feeds it seeded streams of outcomes whose
 * sums cross 2^53 both ways (transfers up to Number.MAX_SAFE_INTEGER, fills worth up to 10^18 milli-tiyn, deposits
 * held up to the largest safe integer) and compares every answer with a plain bigint model of the same rules.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acceptedEvent, outcomeOf, T0, tradeEvent } from "../../test/support/engine-run.ts";
import type { Obligation } from "../engine/clearing.ts";
import type { EngineEvent } from "../engine/events.ts";
import { Random } from "../simulator/random.ts";
import {
  ACCOUNT_DONE_ORDERS_MAX,
  ACCOUNT_QUERY_LIMIT_MAX,
  type AccountState,
  Accounts,
  type Balance,
  type LedgerBalance,
  OBLIGATIONS_DONE_MAX,
} from "./accounts.ts";
import { compareText } from "./instruments.ts";

const SAFE = Number.MAX_SAFE_INTEGER;
/** Ledger account names, with one met under two spellings (`x` and `x/`: owner `x`, bucket ""), as the view reads them. */
const LEDGER_ACCOUNTS = [
  "A1/free",
  "A1/orders",
  "A1/obligations",
  "A2/free",
  "A2/obligations",
  "external/bank",
  "clearing/settlement",
  "x",
  "x/",
];
const ASSETS = ["KZT", "GAS:KAZGPZ"];
const OWNERS = ["A1", "A2", "external", "clearing", "x", "nobody"];
const TRADERS = ["A1", "A2"];

/** Amounts that are small, near the largest safe integer, or anywhere between. */
const amount = fc.oneof(
  fc.integer({ min: 1, max: 1000 }),
  fc.integer({ min: 0, max: 1000 }).map((n) => SAFE - n),
  fc.maxSafeNat().map((n) => Math.max(1, n)),
);
/** Prices and quantities within the order limits (10^9 each): a fill's value reaches 10^18 milli-tiyn. */
const orderNumber = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1_000_000_000 }));

type Step =
  | { kind: "post"; transfers: { from: number; to: number; asset: number; amount: number }[] }
  | { kind: "order"; trader: number; buy: boolean; price: number; quantity: number }
  | { kind: "fill"; buy: number; sell: number; price: number; share: number }
  | { kind: "open"; buyer: number; collateral: number }
  | { kind: "close"; obligation: number };

const index = fc.nat(1000);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("post" as const),
    transfers: fc.array(
      fc.record({
        from: fc.nat(LEDGER_ACCOUNTS.length - 1),
        to: fc.nat(LEDGER_ACCOUNTS.length - 1),
        asset: fc.nat(ASSETS.length - 1),
        amount,
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    kind: fc.constant("order" as const),
    trader: fc.nat(TRADERS.length - 1),
    buy: fc.boolean(),
    price: orderNumber,
    quantity: orderNumber,
  }),
  fc.record({
    kind: fc.constant("fill" as const),
    buy: index,
    sell: index,
    price: orderNumber,
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({ kind: fc.constant("open" as const), buyer: fc.nat(TRADERS.length - 1), collateral: amount }),
  fc.record({ kind: fc.constant("close" as const), obligation: index }),
);

/** The plain model: bigint sums keyed as the view's rules read them (owner before the last `/`, bucket after). */
class Reference {
  readonly balances = new Map<string, bigint>();
  readonly orders = new Map<string, { open: number; filledKg: number; valueMilliTiyn: bigint }>();
  readonly collateral = new Map<string, bigint>();
  readonly openPurchases = new Map<string, number>();

  post(ledgerAccount: string, asset: string, amount: bigint): void {
    const [owner, bucket] = split(ledgerAccount);
    const key = JSON.stringify([owner, asset, bucket]);
    this.balances.set(key, (this.balances.get(key) ?? 0n) + amount);
  }

  ledgerEntries(): LedgerBalance[] {
    const out: LedgerBalance[] = [];
    for (const [key, balance] of this.balances) {
      const [owner, asset, bucket] = JSON.parse(key) as [string, string, string];
      if (balance !== 0n) out.push({ account: bucket === "" ? owner : `${owner}/${bucket}`, asset, balance });
    }
    return out.sort((a, b) => compareText(a.account, b.account) || compareText(a.asset, b.asset));
  }

  ledgerBalance(ledgerAccount: string, asset: string): bigint {
    const [owner, bucket] = split(ledgerAccount);
    return this.balances.get(JSON.stringify([owner, asset, bucket])) ?? 0n;
  }

  accountBalances(owner: string): Balance[] {
    const out: Balance[] = [];
    for (const asset of ASSETS) {
      const of = (bucket: string) => this.balances.get(JSON.stringify([owner, asset, bucket])) ?? 0n;
      let total = 0n;
      let held = false;
      for (const [key, balance] of this.balances) {
        const [o, a] = JSON.parse(key) as [string, string, string];
        if (o !== owner || a !== asset) continue;
        total += balance;
        if (balance !== 0n) held = true;
      }
      if (held) out.push({ asset, free: of("free"), orders: of("orders"), obligations: of("obligations"), total });
    }
    return out.sort((a, b) => compareText(a.asset, b.asset));
  }

  /** Σ price × quantity / Σ quantity, rounded half up. */
  averagePrice(orderId: string): number | null {
    const order = this.orders.get(orderId)!;
    if (order.filledKg === 0) return null;
    const kg = BigInt(order.filledKg);
    return Number((2n * order.valueMilliTiyn + kg) / (2n * kg));
  }
}

function split(ledgerAccount: string): [owner: string, bucket: string] {
  const slash = ledgerAccount.lastIndexOf("/");
  return slash < 0 ? [ledgerAccount, ""] : [ledgerAccount.slice(0, slash), ledgerAccount.slice(slash + 1)];
}

function obligation(n: number, buyer: string, collateral: number, status: "open" | "settled"): Obligation {
  return {
    id: `OB-${n}`,
    tradeId: `T-${n}`,
    instrument: "PB",
    basis: "KAZGPZ",
    buyer,
    seller: "S",
    price: 1,
    quantity: 1000,
    value: 1,
    collateral,
    buyerFee: 0,
    sellerFee: 0,
    tradeTimeMs: T0,
    paymentDueMs: T0,
    deliveryDueMs: T0,
    buyerDefaultCollateralTo: "seller",
    sellerPenaltyBps: 0,
    paid: status === "settled",
    delivered: status === "settled",
    status,
    defaultedParty: null,
  };
}

/** Feeds the steps to the view and the model, outcome by outcome, and compares every answer after each. */
function run(steps: readonly Step[]): void {
  const accounts = new Accounts();
  const reference = new Reference();
  const live = { buy: [] as string[], sell: [] as string[] };
  const open: Obligation[] = [];
  let orders = 0;
  let obligations = 0;
  let seq = 0;
  for (const s of steps) {
    const events: EngineEvent[] = [];
    switch (s.kind) {
      case "post": {
        const transfers = s.transfers.map((t) => ({
          from: LEDGER_ACCOUNTS[t.from]!,
          to: LEDGER_ACCOUNTS[t.to]!,
          asset: ASSETS[t.asset]!,
          amount: t.amount,
        }));
        events.push({ type: "ledger.posted", reason: "test", ref: "test", transfers } as EngineEvent);
        for (const t of transfers) {
          reference.post(t.from, t.asset, -BigInt(t.amount));
          reference.post(t.to, t.asset, BigInt(t.amount));
        }
        break;
      }
      case "order": {
        const orderId = `o${++orders}`;
        const side = s.buy ? "buy" : "sell";
        events.push(acceptedEvent("PB", orderId, side, s.price, s.quantity, TRADERS[s.trader]!));
        live[side].push(orderId);
        reference.orders.set(orderId, { open: s.quantity, filledKg: 0, valueMilliTiyn: 0n });
        break;
      }
      case "fill": {
        if (live.buy.length === 0 || live.sell.length === 0) continue;
        const buy = live.buy[s.buy % live.buy.length]!;
        const sell = live.sell[s.sell % live.sell.length]!;
        const buyOrder = reference.orders.get(buy)!;
        const sellOrder = reference.orders.get(sell)!;
        const quantity = Math.max(1, Math.floor(Math.min(buyOrder.open, sellOrder.open) * s.share));
        for (const order of [buyOrder, sellOrder]) {
          order.open -= quantity;
          order.filledKg += quantity;
          order.valueMilliTiyn += BigInt(s.price) * BigInt(quantity);
        }
        events.push(
          tradeEvent("PB", seq, s.price, quantity, { buy, sell, buyOpen: buyOrder.open, sellOpen: sellOrder.open }),
        );
        if (buyOrder.open === 0) live.buy.splice(live.buy.indexOf(buy), 1);
        if (sellOrder.open === 0) live.sell.splice(live.sell.indexOf(sell), 1);
        break;
      }
      case "open": {
        const created = obligation(++obligations, TRADERS[s.buyer]!, s.collateral, "open");
        events.push({ type: "obligation.created", obligation: created });
        open.push(created);
        const buyer = created.buyer;
        reference.collateral.set(buyer, (reference.collateral.get(buyer) ?? 0n) + BigInt(created.collateral));
        reference.openPurchases.set(buyer, (reference.openPurchases.get(buyer) ?? 0) + 1);
        break;
      }
      case "close": {
        if (open.length === 0) continue;
        const [closing] = open.splice(s.obligation % open.length, 1);
        const n = Number(closing!.id.slice(3));
        events.push({
          type: "obligation.settled",
          obligation: obligation(n, closing!.buyer, closing!.collateral, "settled"),
        });
        const buyer = closing!.buyer;
        reference.collateral.set(buyer, reference.collateral.get(buyer)! - BigInt(closing!.collateral));
        reference.openPurchases.set(buyer, reference.openPurchases.get(buyer)! - 1);
        break;
      }
    }
    accounts.apply(outcomeOf(++seq, T0 + seq, events));

    expect(accounts.ledgerEntries()).toEqual(reference.ledgerEntries());
    for (const owner of OWNERS) expect(accounts.balances(owner)).toEqual(reference.accountBalances(owner));
    for (const name of LEDGER_ACCOUNTS) {
      for (const asset of ASSETS)
        expect(accounts.ledgerBalance(name, asset)).toBe(reference.ledgerBalance(name, asset));
    }
    for (const trader of TRADERS) {
      expect(accounts.openCollateral(trader)).toEqual({
        openPurchases: reference.openPurchases.get(trader) ?? 0,
        collateralTiyn: reference.collateral.get(trader) ?? 0n,
      });
    }
    for (const [orderId, order] of reference.orders) {
      expect(accounts.order(orderId)).toMatchObject({
        filledKg: order.filledKg,
        openKg: order.open,
        averageFillPriceTiynPerTonne: reference.averagePrice(orderId),
      });
    }
  }
}

describe("accounts' exact sums against a bigint model", () => {
  it("answers as the model does for seeded streams whose sums cross 2^53 both ways", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => run(steps)),
      { seed: 20261205, numRuns: 300 },
    );
  });

  it("answers as the model does at the edge: a balance one past the largest safe integer and back", () => {
    run([
      { kind: "post", transfers: [{ from: 5, to: 0, asset: 0, amount: SAFE }] },
      { kind: "post", transfers: [{ from: 5, to: 0, asset: 0, amount: 2 }] }, // 2^53 + 1: no double holds it
      { kind: "post", transfers: [{ from: 0, to: 1, asset: 0, amount: 1 }] },
      { kind: "post", transfers: [{ from: 0, to: 5, asset: 0, amount: SAFE }] },
      { kind: "open", buyer: 0, collateral: SAFE },
      { kind: "open", buyer: 0, collateral: SAFE },
      { kind: "close", obligation: 0 },
      { kind: "order", trader: 0, buy: true, price: 1_000_000_000, quantity: 1_000_000_000 },
      { kind: "order", trader: 1, buy: false, price: 1_000_000_000, quantity: 1_000_000_000 },
      { kind: "fill", buy: 0, sell: 0, price: 999_999_999, share: 0.5 },
      { kind: "fill", buy: 0, sell: 0, price: 7, share: 0.999 },
      // Two halves at p and p + 1 average exactly p + 0.5, which rounds up; a product rounded to a double would not.
      { kind: "order", trader: 0, buy: true, price: 1_000_000_000, quantity: 999_999_998 },
      { kind: "order", trader: 1, buy: false, price: 1_000_000_000, quantity: 999_999_998 },
      { kind: "fill", buy: 1, sell: 1, price: 999_999_999, share: 0.5 },
      { kind: "fill", buy: 1, sell: 1, price: 1_000_000_000, share: 1 },
    ]);
    // The steps above reach the exact half (a check that the edge case still tests what it says).
    const accounts = new Accounts();
    accounts.apply(outcomeOf(1, T0, [acceptedEvent("PB", "b", "buy", 1_000_000_000, 999_999_998, "A1")]));
    accounts.apply(outcomeOf(2, T0, [acceptedEvent("PB", "s", "sell", 1_000_000_000, 999_999_998, "A2")]));
    for (const price of [999_999_999, 1_000_000_000]) {
      const open = price === 999_999_999 ? 499_999_999 : 0;
      accounts.apply(
        outcomeOf(3, T0, [
          tradeEvent("PB", 1, price, 499_999_999, { buy: "b", sell: "s", buyOpen: open, sellOpen: open }),
        ]),
      );
    }
    expect(accounts.order("b")?.averageFillPriceTiynPerTonne).toBe(1_000_000_000);
  });
});

/**
 * The view's lists of an account's orders and obligations are appended to and compacted once half of a list is
 * forgotten (AccountState). This compares every listing, through enough finished records to forget and compact several
 * times, with the plain model: a Map (orders) or Set (obligations) per account, an entry deleted as it is forgotten.
 */
describe("accounts' lists of orders and obligations against Maps and Sets", () => {
  const random = new Random(20261205, "accounts-lists");
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)]!;

  it("lists an account's orders as a Map of them would, through forgetting and compaction", () => {
    const accounts = new Accounts();
    const byAccount = new Map<string, Map<string, "resting" | "cancelled">>([
      ["A", new Map()],
      ["B", new Map()],
    ]);
    const done = new Map<string, string[]>([
      ["A", []],
      ["B", []],
    ]);
    const live: { id: string; account: string }[] = [];
    const compare = () => {
      for (const [account, orders] of byAccount) {
        const newest = [...orders].reverse();
        expect(accounts.orders(account).map((o) => [o.orderId, o.status])).toEqual(
          newest.slice(0, ACCOUNT_QUERY_LIMIT_MAX),
        );
        // The list behind it holds the kept orders and at most as many forgotten ones (AccountState).
        const list = stateOf(accounts, account);
        expect(list.orders.length - list.forgottenOrders).toBe(orders.size);
        expect(list.forgottenOrders * 2).toBeLessThanOrEqual(list.orders.length);
        for (const status of ["resting", "cancelled"] as const) {
          expect(accounts.orders(account, { status, limit: 50 }).map((o) => o.orderId)).toEqual(
            newest
              .filter(([, s]) => s === status)
              .slice(0, 50)
              .map(([id]) => id),
          );
        }
      }
    };
    let seq = 0;
    let cancels = 0;
    // Some 3.5 times ACCOUNT_DONE_ORDERS_MAX finished orders per account, a few live ones among them throughout: each
    // list forgets more than it keeps, so it is compacted.
    for (let i = 0; cancels < 7 * ACCOUNT_DONE_ORDERS_MAX; i++) {
      if (live.length > 0 && random.next() < (live.length > 30 ? 0.9 : 0.3)) {
        cancels++;
        const { id, account } = live.splice(Math.floor(random.next() * live.length), 1)[0]!;
        accounts.apply(
          outcomeOf(++seq, T0, [
            { type: "order.cancelled", instrument: "PB", orderId: id, account, quantity: 1000, reason: "requested" },
          ]),
        );
        byAccount.get(account)!.set(id, "cancelled");
        const finished = done.get(account)!;
        finished.push(id);
        if (finished.length > ACCOUNT_DONE_ORDERS_MAX) byAccount.get(account)!.delete(finished.shift()!);
      } else {
        const account = pick(["A", "B"]);
        const id = `o${i}`;
        accounts.apply(outcomeOf(++seq, T0, [acceptedEvent("PB", id, "buy", 100, 1000, account)]));
        byAccount.get(account)!.set(id, "resting");
        live.push({ id, account });
      }
      if (seq % 19_997 === 0) compare();
    }
    compare();
    expect(accounts.order("o0")).toBeNull();
  });

  it("lists an account's obligations as a Set of them would, once if it is both buyer and seller", () => {
    const accounts = new Accounts();
    const views = new Map<string, { buyer: string; seller: string; status: "open" | "settled" }>();
    const sets = new Map<string, Set<string>>([
      ["A", new Set()],
      ["B", new Set()],
    ]);
    const doneIds: string[] = [];
    let doneHead = 0;
    const open: string[] = [];
    const compare = () => {
      for (const [account, ids] of sets) {
        const newest = [...ids].reverse();
        expect(accounts.obligations(account, { limit: 40 }).map((o) => o.id)).toEqual(newest.slice(0, 40));
        const list = stateOf(accounts, account);
        expect(list.obligations.length - list.forgottenObligations).toBe(ids.size);
        expect(list.forgottenObligations * 2).toBeLessThanOrEqual(list.obligations.length);
        for (const role of ["buyer", "seller"] as const) {
          expect(accounts.obligations(account, { role, status: "open", limit: 40 }).map((o) => o.id)).toEqual(
            newest.filter((id) => views.get(id)![role] === account && views.get(id)!.status === "open").slice(0, 40),
          );
        }
      }
    };
    let seq = 0;
    // Past twice OBLIGATIONS_DONE_MAX settled obligations: each account's list is compacted.
    for (let n = 1; doneIds.length < 2.2 * OBLIGATIONS_DONE_MAX; n++) {
      const events: EngineEvent[] = [];
      if (open.length > 0 && random.next() < 0.49) {
        const id = open.splice(Math.floor(random.next() * open.length), 1)[0]!;
        const view = views.get(id)!;
        view.status = "settled";
        events.push({ type: "obligation.settled", obligation: obligationOf(id, view.buyer, view.seller, "settled") });
        doneIds.push(id);
        if (doneIds.length - doneHead > OBLIGATIONS_DONE_MAX) {
          const forgotten = doneIds[doneHead++]!;
          const old = views.get(forgotten)!;
          sets.get(old.buyer)!.delete(forgotten);
          sets.get(old.seller)!.delete(forgotten);
        }
      } else {
        const id = `OB-${n}`;
        const buyer = pick(["A", "B"]);
        const seller = random.next() < 0.1 ? buyer : pick(["A", "B"]);
        views.set(id, { buyer, seller, status: "open" });
        sets.get(buyer)!.add(id);
        sets.get(seller)!.add(id);
        open.push(id);
        events.push({ type: "obligation.created", obligation: obligationOf(id, buyer, seller, "open") });
      }
      accounts.apply(outcomeOf(++seq, T0, events));
      if (seq % 49_999 === 0) compare();
    }
    compare();
  });
});

/** The view's own record of an account (private), to check what its lists hold. */
function stateOf(accounts: Accounts, account: string): AccountState {
  return (accounts as unknown as { accounts: Map<string, AccountState> }).accounts.get(account)!;
}

function obligationOf(id: string, buyer: string, seller: string, status: "open" | "settled"): Obligation {
  return { ...obligation(0, buyer, 1, status), id, seller };
}
