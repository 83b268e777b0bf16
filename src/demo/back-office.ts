/**
 * The demo's back office: the exchange staff's and the banks' side of the demo market, done through the operator's
 * API with the operator's key, as the staff would from the operator console. It books what a plant's metering reports
 * (gas declared each day, exports and curtailment withdrawn), opens the accounts the demo's desks need, and settles
 * every trade of a demo buyer a while after it: a bank transfer tops the buyer up when its free money would run low,
 * payment and delivery are confirmed, and the buyer lifts its gas at the basis.
 *
 * Settlement reads the buyers' open obligations (`GET /api/admin/obligations?status=open&account=`) at each pass, so
 * trades an earlier run left unsettled are settled like new ones; a trade is due `SETTLE_AFTER_MS` after it, at most
 * `SETTLEMENTS_PER_PASS_MAX` are settled per pass (the oldest first), and more than `SETTLEMENT_QUEUE_MAX` open ones
 * mean the back office is hopelessly behind (`BackOfficeBehindError`: the demo stops trading).
 *
 * Promises: every change is one request that is answered only once durable; a refusal of one throws with the
 * exchange's code and sentence (the back office's own requests are never expected to be refused).
 */

import { type ApiClient, array, big, bool, integer, object, segment, text } from "./api-client.ts";

/** A trade is settled (paid, delivered, lifted) this long after it, as bank statements and delivery acts arrive. */
export const SETTLE_AFTER_MS = 10_000;
/** Most trades settled in one pass; the rest wait for the next. */
export const SETTLEMENTS_PER_PASS_MAX = 2_000;
/** Open trades of the demo's buyers beyond which the back office is hopelessly behind and the demo stops trading. */
export const SETTLEMENT_QUEUE_MAX = 200_000;
/** A buyer whose free money would fall below this after paying is topped up by this much more (tiyn). */
export const TOP_UP_TIYN = 100_000_000_000; // 1 billion tenge
/** Obligations read per buyer account and pass (the API's own limit). */
const OBLIGATIONS_PAGE_MAX = 1000;

export class BackOfficeBehindError extends Error {
  override readonly name = "BackOfficeBehindError";
}

interface OpenObligation {
  readonly id: string;
  readonly buyer: string;
  readonly basis: string;
  readonly quantityKg: number;
  readonly valueTiyn: number;
  readonly tradeTimeMs: number;
  readonly paid: boolean;
  readonly delivered: boolean;
}

export class BackOffice {
  private topUps = 0;
  /** Trades settled since the start. */
  settled = 0;

  constructor(
    private readonly client: ApiClient,
    /** Names this run's bank references, so a restarted demo books new ones. */
    private readonly runId: string,
  ) {}

  /** The accounts listed on the exchange. */
  async accounts(): Promise<Set<string>> {
    const body = object(await this.client.expect("GET", "/api/admin/accounts"), "accounts reply");
    return new Set(array(body.accounts, "accounts").map((a) => text(object(a, "account").account, "account.account")));
  }

  async openAccount(account: string, member: string): Promise<void> {
    await this.client.expect("POST", "/api/admin/accounts", { account, member });
  }

  /** The account's free quantity of an asset (`KZT` in tiyn, `GAS:<basis>` in kg). */
  async free(account: string, asset: string): Promise<bigint> {
    const body = object(
      await this.client.expect("GET", `/api/accounts/${segment(account)}/balances`),
      "balances reply",
    );
    for (const item of array(body.balances, "balances")) {
      const balance = object(item, "balance");
      if (text(balance.asset, "balance.asset") === asset) return big(balance.free, "balance.free");
    }
    return 0n;
  }

  /** The plant takes back the gas the exchange holds free for this account (its agent books its own from zero). */
  async takeBackGas(account: string, basis: string): Promise<void> {
    const free = await this.free(account, `GAS:${basis}`);
    if (free > 0n) await this.withdrawGas(account, basis, Number(free));
  }

  async declareGas(account: string, basis: string, quantityKg: number): Promise<void> {
    if (quantityKg > 0) await this.gas(account, "declarations", basis, quantityKg);
  }

  async withdrawGas(account: string, basis: string, quantityKg: number): Promise<void> {
    if (quantityKg > 0) await this.gas(account, "withdrawals", basis, quantityKg);
  }

  private async gas(account: string, path: string, basis: string, quantity: number): Promise<void> {
    await this.client.expect("POST", `/api/admin/accounts/${segment(account)}/gas/${path}`, { basis, quantity });
  }

  /**
   * Settles the buyers' trades that are due by `nowMs`: a bank transfer first when a buyer's free money would run
   * low, then payment and delivery confirmed, then each buyer lifts its gas at each basis. Returns how many it settled.
   */
  async settle(buyers: Iterable<string>, nowMs: number): Promise<number> {
    const open: OpenObligation[] = [];
    for (const account of buyers) {
      const query = `status=open&account=${segment(account)}&limit=${OBLIGATIONS_PAGE_MAX}`;
      const body = object(await this.client.expect("GET", `/api/admin/obligations?${query}`), "obligations reply");
      if (integer(body.count, "obligations.count") + open.length > SETTLEMENT_QUEUE_MAX) {
        throw new BackOfficeBehindError(`more than ${SETTLEMENT_QUEUE_MAX} trades wait for settlement`);
      }
      for (const item of array(body.obligations, "obligations")) {
        const o = parseObligation(item);
        // The listing holds the account's obligations as seller too; the back office settles its buyers' trades.
        if (o.buyer === account) open.push(o);
      }
    }
    const due = open
      .filter((o) => o.tradeTimeMs + SETTLE_AFTER_MS <= nowMs)
      .sort((a, b) => a.tradeTimeMs - b.tradeTimeMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, SETTLEMENTS_PER_PASS_MAX);
    const owed = new Map<string, bigint>();
    for (const o of due) if (!o.paid) owed.set(o.buyer, (owed.get(o.buyer) ?? 0n) + BigInt(o.valueTiyn));
    for (const [buyer, amount] of owed) {
      if ((await this.free(buyer, "KZT")) - amount < BigInt(TOP_UP_TIYN)) {
        await this.client.expect("POST", `/api/admin/accounts/${segment(buyer)}/deposits`, {
          amount: Number(amount) + TOP_UP_TIYN,
          reference: `DEMO-TOPUP-${this.runId}-${++this.topUps}`,
        });
      }
    }
    const lift = new Map<string, { account: string; basis: string; kg: number }>();
    for (const o of due) {
      const path = `/api/admin/obligations/${segment(o.id)}`;
      if (!o.paid) await this.client.expect("POST", `${path}/confirm-payment`, {});
      if (!o.delivered) await this.client.expect("POST", `${path}/confirm-delivery`, {});
      const key = `${o.buyer}|${o.basis}`;
      const entry = lift.get(key) ?? { account: o.buyer, basis: o.basis, kg: 0 };
      entry.kg += o.quantityKg;
      lift.set(key, entry);
    }
    for (const { account, basis, kg } of lift.values()) await this.withdrawGas(account, basis, kg);
    this.settled += due.length;
    return due.length;
  }
}

function parseObligation(value: unknown): OpenObligation {
  const o = object(value, "obligation");
  const id = text(o.id, "obligation.id");
  const at = (field: string) => `obligation ${id}: ${field}`;
  return {
    id,
    buyer: text(o.buyer, at("buyer")),
    basis: text(o.basis, at("basis")),
    quantityKg: integer(o.quantityKg, at("quantityKg")),
    valueTiyn: integer(o.valueTiyn, at("valueTiyn")),
    tradeTimeMs: integer(o.tradeTimeMs, at("tradeTimeMs")),
    paid: bool(o.paid, at("paid")),
    delivered: bool(o.delivered, at("delivered")),
  };
}
