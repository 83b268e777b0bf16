/**
 * Simulated members for the demo market: they trade through the exchange's public HTTP API with signed API keys,
 * exactly as a member's program would, so a newcomer sees a live market. Producers offer a little above the last
 * price, buyers bid a little below it, some cross; each keeps a handful of orders resting and cancels the oldest.
 * A demo back office confirms payments and deliveries a while after each trade (as bank statements and delivery acts
 * would), so obligations settle instead of defaulting.
 *
 * Randomness is seeded; the timing comes from the wall clock, so the demo is lively rather than reproducible (the
 * reproducible model of market behaviour is the policy lab, src/simulator).
 */

import type { Command } from "../../engine/commands.ts";
import type { Exchange } from "../exchange.ts";
import { sign } from "../signing.ts";
import { accountOf, type DemoInstrument, MEMBERS } from "./market.ts";

/** The parts of API replies the demo reads (a quote, an order result); absent fields are undefined. */
interface Reply {
  readonly phase?: string;
  readonly lastPriceTiynPerTonne?: number | null;
  readonly referencePriceTiynPerTonne?: number | null;
  readonly order?: { readonly status?: string };
  readonly trades?: readonly { readonly tradeId: string }[];
}

export interface DemoKey {
  readonly member: string;
  readonly keyId: string;
  readonly secret: string;
}

export interface DemoTradersOptions {
  readonly baseUrl: string;
  readonly instruments: readonly DemoInstrument[];
  readonly keys: readonly DemoKey[];
  /** A key for reading public data (any user's). */
  readonly readerKey: DemoKey;
  /** The exchange itself, for the demo back office (the operator's bookings of bank statements and delivery acts). */
  readonly exchange: Exchange;
  readonly clock: () => number;
  /** Average pause between two actions of the whole demo crowd. */
  readonly intervalMs?: number;
  readonly seed?: number;
}

const RESTING_PER_ACCOUNT_MAX = 4;
const SETTLE_AFTER_MS = 20_000;
const TOP_UP_TIYN = 1_000_000_000 * 100;
const BACK_OFFICE = { actor: "demo back office", role: "operator", source: "demo" };

function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class DemoTraders {
  private timer: NodeJS.Timeout | null = null;
  private readonly random: () => number;
  private counter = 0;
  private readonly resting = new Map<string, string[]>();
  private readonly toSettle: { id: string; dueMs: number; paid: boolean; delivered: boolean }[] = [];
  private busy = false;

  constructor(private readonly options: DemoTradersOptions) {
    this.random = generator(options.seed ?? 2022);
  }

  start(): void {
    const interval = this.options.intervalMs ?? 400;
    this.timer = setInterval(() => void this.act(), interval);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async request(
    key: DemoKey,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Reply }> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const timestamp = this.options.clock();
    const response = await fetch(`${this.options.baseUrl}${path}`, {
      method,
      headers: {
        "x-sauda-key": key.keyId,
        "x-sauda-timestamp": String(timestamp),
        "x-sauda-signature": sign(key.secret, timestamp, method, path, text),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: text }),
    });
    const raw = await response.text();
    try {
      return { status: response.status, body: JSON.parse(raw) as Reply };
    } catch {
      return { status: response.status, body: {} };
    }
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** One action by one simulated member: a new order (maybe crossing), a cancel, or back-office settlement. */
  private async act(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.settleDue();
      if (this.counter % 500 === 0) await this.topUpGas();
      const instrument = this.pick(this.options.instruments);
      const quote = await this.request(this.options.readerKey, "GET", `/api/instruments/${instrument.id}`);
      if (quote.status !== 200 || (quote.body.phase !== "continuous" && quote.body.phase !== "collection")) return;
      const last: number =
        quote.body.lastPriceTiynPerTonne ??
        quote.body.referencePriceTiynPerTonne ??
        instrument.referenceTengePerTonne * 100;
      const sellers = MEMBERS.filter((m) => m.role === "producer" && m.basis === instrument.basis);
      const buyers = MEMBERS.filter(
        (m) => m.role === "buyer" && (instrument.region !== "MANGYSTAU" || m.buyerCategory !== "wholesaler"),
      );
      const sell = this.random() < 0.5 && sellers.length > 0;
      const member = sell ? this.pick(sellers) : this.pick(buyers);
      const key = this.options.keys.find((k) => k.member === member.id);
      if (!key) return;
      const account = accountOf(member.id);
      const slot = `${account}@${instrument.id}`;
      const resting = this.resting.get(slot) ?? [];
      if (resting.length >= RESTING_PER_ACCOUNT_MAX) {
        const oldest = resting.shift()!;
        await this.request(key, "DELETE", `/api/accounts/${account}/orders/${oldest}`);
        this.resting.set(slot, resting);
        return;
      }
      // Sellers ask from 0.6% below to 1.2% above the last price, buyers bid from 1.2% below to 0.6% above: some
      // orders cross and trade, most rest, and the price wanders.
      const skew = sell ? -0.006 + this.random() * 0.018 : 0.006 - this.random() * 0.018;
      const price = Math.max(100, Math.round((last * (1 + skew)) / 100) * 100);
      const quantity = 1000 * (5 + Math.floor(this.random() * (sell ? 40 : 25)));
      const clientOrderId = `demo-${++this.counter}`;
      const response = await this.request(key, "POST", "/api/orders", {
        instrument: instrument.id,
        account,
        clientOrderId,
        side: sell ? "sell" : "buy",
        price,
        quantity,
        tif: "GTC",
      });
      if (response.status === 201 && response.body.order?.status === "resting") {
        resting.push(clientOrderId);
        this.resting.set(slot, resting);
      }
      for (const trade of response.body.trades ?? []) {
        this.toSettle.push({
          id: trade.tradeId,
          dueMs: this.options.clock() + SETTLE_AFTER_MS,
          paid: false,
          delivered: false,
        });
      }
    } catch {
      // The server is stopping; the next tick will find out or the timer will be stopped.
    } finally {
      this.busy = false;
    }
  }

  /**
   * The demo back office: books the buyer's payment and the seller's delivery of each trade a while after it happens,
   * topping up a buyer's money or a producer's gas first when it has run low (a demo runs for days).
   */
  private async settleDue(): Promise<void> {
    const now = this.options.clock();
    const { exchange } = this.options;
    while (this.toSettle.length > 0 && this.toSettle[0]!.dueMs <= now) {
      const item = this.toSettle.shift()!;
      const obligation = exchange.projections.accounts.obligation(item.id);
      if (obligation?.status !== "open") continue;
      const free = exchange.projections.accounts.balances(obligation.buyer).find((b) => b.asset === "KZT")?.free ?? 0n;
      const commands: Command[] = [];
      if (free < BigInt(obligation.valueTiyn)) {
        commands.push({
          type: "money.deposit",
          account: obligation.buyer,
          amount: TOP_UP_TIYN,
          reference: `DEMO-TOPUP-${item.id}`,
        });
      }
      commands.push({ type: "obligation.confirmPayment", obligation: item.id });
      commands.push({ type: "obligation.confirmDelivery", obligation: item.id });
      for (const command of commands) await exchange.submit(command, BACK_OFFICE);
    }
  }

  /** Producers re-declare gas when they run low, as new output arrives. */
  async topUpGas(): Promise<void> {
    const { exchange } = this.options;
    for (const member of MEMBERS) {
      if (member.role !== "producer" || !member.basis || !member.monthlyTonnes) continue;
      const account = accountOf(member.id);
      const gas =
        exchange.projections.accounts.balances(account).find((b) => b.asset === `GAS:${member.basis}`)?.free ?? 0n;
      if (gas < BigInt(member.monthlyTonnes * 1000)) {
        await exchange.submit(
          { type: "gas.declare", account, basis: member.basis, quantity: member.monthlyTonnes * 1000 },
          BACK_OFFICE,
        );
      }
    }
  }
}
