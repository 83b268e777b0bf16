/**
 * The double-entry ledger under every movement of money and gas.
 *
 * Every change is a transfer of an amount of one asset from one ledger account to another, so for each asset the sum
 * of all balances is zero at all times (money that came in from a bank is a negative balance of `external/bank`).
 * Balances are bigints: a single transfer is bounded by the order limits (< 2^53) but totals over the life of the
 * exchange are not. Only external accounts may go below zero; a transfer that would make any other account negative
 * is a broken invariant (the engine checks coverage before it transfers), and throws.
 *
 * Ledger account names are `<owner>/<bucket>`: the owner is a member account id or a system owner (`clearing`,
 * `exchange`, `external`); the bucket says what the balance is for. Assets are `KZT` (tiyn) and `GAS:<basis>` (kg).
 */

import { invariant } from "../domain/errors.ts";

export const MONEY = "KZT";
export type Asset = string;

export function gasAsset(basis: string): Asset {
  return `GAS:${basis}`;
}

/** Buckets of a member account. */
export const FREE = "free"; // money or gas the account can use
export const ORDERS = "orders"; // blocked for live orders
export const OBLIGATIONS = "obligations"; // blocked for open clearing obligations (collateral, fee, gas in delivery)

/** System ledger accounts. */
export const EXTERNAL_BANK = "external/bank"; // money deposited and withdrawn
export const EXTERNAL_PRODUCTION = "external/production"; // gas declared and withdrawn by producers
export const CLEARING_SETTLEMENT = "clearing/settlement"; // buyers' payments waiting for delivery
export const EXCHANGE_FEES = "exchange/fees"; // fees earned
export const EXCHANGE_DEFAULTS = "exchange/defaults"; // collateral forfeited to the exchange

export function memberAccount(account: string, bucket: string): string {
  return `${account}/${bucket}`;
}

export interface Transfer {
  readonly from: string;
  readonly to: string;
  readonly asset: Asset;
  readonly amount: number;
}

const key = (ledgerAccount: string, asset: Asset) => `${ledgerAccount}|${asset}`;

export interface LedgerSnapshot {
  /** [ledger account, asset, balance as a decimal string], sorted. */
  readonly balances: readonly (readonly [string, string, string])[];
}

export class Ledger {
  private readonly balances = new Map<string, bigint>();

  balance(ledgerAccount: string, asset: Asset): bigint {
    return this.balances.get(key(ledgerAccount, asset)) ?? 0n;
  }

  /** Moves `amount` (> 0, a safe integer) and records the transfer in `out`. */
  transfer(from: string, to: string, asset: Asset, amount: number, out: Transfer[]): void {
    invariant(Number.isSafeInteger(amount) && amount > 0, () => `transfer of ${amount} ${asset} from ${from} to ${to}`);
    invariant(from !== to, () => `transfer of ${amount} ${asset} from ${from} to itself`);
    const big = BigInt(amount);
    const fromKey = key(from, asset);
    const fromBalance = (this.balances.get(fromKey) ?? 0n) - big;
    invariant(
      fromBalance >= 0n || from.startsWith("external/"),
      () => `${from} would hold ${fromBalance} ${asset} after sending ${amount} to ${to}`,
    );
    this.set(fromKey, fromBalance);
    const toKey = key(to, asset);
    this.set(toKey, (this.balances.get(toKey) ?? 0n) + big);
    out.push({ from, to, asset, amount });
  }

  private set(k: string, value: bigint): void {
    if (value === 0n) this.balances.delete(k);
    else this.balances.set(k, value);
  }

  /** Every non-zero balance, for views and tests. */
  entries(): { account: string; asset: Asset; balance: bigint }[] {
    return [...this.balances].map(([k, balance]) => {
      const bar = k.lastIndexOf("|");
      return { account: k.slice(0, bar), asset: k.slice(bar + 1), balance };
    });
  }

  /** Conservation and non-negativity: throws `InvariantError` naming the first broken one. */
  checkInvariants(): void {
    const sums = new Map<Asset, bigint>();
    for (const { account, asset, balance } of this.entries()) {
      sums.set(asset, (sums.get(asset) ?? 0n) + balance);
      invariant(balance >= 0n || account.startsWith("external/"), () => `${account} holds ${balance} ${asset}`);
    }
    for (const [asset, sum] of sums) invariant(sum === 0n, () => `ledger ${asset} sums to ${sum}, not zero`);
  }

  snapshot(): LedgerSnapshot {
    const balances = this.entries()
      .map(({ account, asset, balance }) => [account, asset, balance.toString()] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    return { balances };
  }

  static restore(snapshot: LedgerSnapshot): Ledger {
    const ledger = new Ledger();
    for (const [account, asset, balance] of snapshot.balances)
      ledger.balances.set(key(account, asset), BigInt(balance));
    return ledger;
  }
}
