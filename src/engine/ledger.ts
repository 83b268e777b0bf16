/**
 * The double-entry ledger under every movement of money and gas.
 *
 * Every change is a transfer of an amount of one asset from one ledger account to another, so for each asset the sum
 * of all balances is zero at all times (money that came in from a bank is a negative balance of `external/bank`).
 * A balance is exact at any size: a plain number while it is a safe integer (|b| <= 2^53 - 1, which every balance of
 * an exchange of this size is), a bigint beyond (`Balance`). A single transfer is bounded by the order limits (< 2^53)
 * but sums of them need not be: the bank's account holds minus everything deposited, and nothing in the rules caps
 * it. A sum that would pass 2^53 - 1 is taken in bigint instead and kept so, and one that comes back within it is a
 * number again, so every balance has one form and the snapshot's decimal string is the same either way. Nothing is
 * refused for its size: the ledger records what the rules accepted, in the middle of a command that must not stop
 * half done. Only external accounts may go below zero; a transfer that would make any other account negative
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

/** The names of a member account's ledger accounts, one per bucket (`memberAccount`). */
export interface MemberLedgerAccounts {
  readonly free: string;
  readonly orders: string;
  readonly obligations: string;
}

export interface Transfer {
  readonly from: string;
  readonly to: string;
  readonly asset: Asset;
  readonly amount: number;
}

/** A balance: a number while it is a safe integer, a bigint only beyond (never a bigint that would fit a number). */
export type Balance = number | bigint;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** `value` as a `Balance`: a number when it is a safe integer. */
export function toBalance(value: bigint): Balance {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** `balance + amount` exactly (`amount` a safe integer): in numbers while the sum is a safe integer, else in bigint. */
function plus(balance: Balance, amount: number): Balance {
  if (typeof balance === "number") {
    // Two safe integers: the double sum is exact whenever the exact sum is a safe integer, and not a safe integer
    // (2^53 or more in size) whenever it is not, so this test decides exactly.
    const sum = balance + amount;
    if (Number.isSafeInteger(sum)) return sum;
  }
  return toBalance(BigInt(balance) + BigInt(amount));
}

export interface LedgerSnapshot {
  /** [ledger account, asset, balance as a decimal string], sorted. */
  readonly balances: readonly (readonly [string, string, string])[];
}

export class Ledger {
  /**
   * Non-zero balances by asset, then by ledger account. Two levels rather than one key string per pair, so a transfer
   * builds no key: it runs for nearly every command, and the strings were garbage the moment the lookup ended.
   */
  private readonly balances = new Map<Asset, Map<string, Balance>>();
  /** Member accounts' ledger account names by account (`namesOf`); not state: a restore starts without them. */
  private readonly names = new Map<string, MemberLedgerAccounts>();
  /** Gas assets by basis (`gasAssetOf`), the same way. */
  private readonly gasAssets = new Map<string, Asset>();

  /**
   * `memberAccount(account, bucket)` for each bucket, made once per account and kept: an order's and a trade's transfers
   * name them every time, and making the strings anew was garbage at once. Only for accounts that exist, so what is
   * kept is bounded by the accounts opened.
   */
  /** `gasAsset(basis)`, made once per basis and kept (bounded by the bases instruments trade at), as `namesOf`. */
  gasAssetOf(basis: string): Asset {
    let asset = this.gasAssets.get(basis);
    if (asset === undefined) {
      asset = gasAsset(basis);
      this.gasAssets.set(basis, asset);
    }
    return asset;
  }

  namesOf(account: string): MemberLedgerAccounts {
    let names = this.names.get(account);
    if (names === undefined) {
      names = {
        free: memberAccount(account, FREE),
        orders: memberAccount(account, ORDERS),
        obligations: memberAccount(account, OBLIGATIONS),
      };
      this.names.set(account, names);
    }
    return names;
  }

  /** The balance as a bigint, for views and tests; the engine's checks use `held`, which makes no bigint. */
  balance(ledgerAccount: string, asset: Asset): bigint {
    return BigInt(this.held(ledgerAccount, asset));
  }

  /** The balance exactly (`Balance`): compare it with a number directly (`<` between a bigint and a number is exact). */
  held(ledgerAccount: string, asset: Asset): Balance {
    return this.balances.get(asset)?.get(ledgerAccount) ?? 0;
  }

  /** Moves `amount` (> 0, a safe integer); returns the transfer. */
  transfer(from: string, to: string, asset: Asset, amount: number): Transfer {
    invariant(Number.isSafeInteger(amount) && amount > 0, () => `transfer of ${amount} ${asset} from ${from} to ${to}`);
    invariant(from !== to, () => `transfer of ${amount} ${asset} from ${from} to itself`);
    let held = this.balances.get(asset);
    if (held === undefined) {
      held = new Map();
      this.balances.set(asset, held);
    }
    const fromBalance = plus(held.get(from) ?? 0, -amount);
    invariant(
      fromBalance >= 0 || from.startsWith("external/"),
      () => `${from} would hold ${fromBalance} ${asset} after sending ${amount} to ${to}`,
    );
    setBalance(held, from, fromBalance);
    setBalance(held, to, plus(held.get(to) ?? 0, amount));
    return { from, to, asset, amount };
  }

  /** Every non-zero balance, for views and tests, asset by asset (an order nothing depends on: `snapshot` sorts). */
  entries(): { account: string; asset: Asset; balance: bigint }[] {
    const out: { account: string; asset: Asset; balance: bigint }[] = [];
    for (const [asset, held] of this.balances) {
      for (const [account, balance] of held) out.push({ account, asset, balance: BigInt(balance) });
    }
    return out;
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
    const balances: (readonly [string, string, string])[] = [];
    // A safe integer's and a bigint's decimal strings are the same digits.
    for (const [asset, held] of this.balances) {
      for (const [account, balance] of held) balances.push([account, asset, balance.toString()]);
    }
    balances.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    return { balances };
  }

  static restore(snapshot: LedgerSnapshot): Ledger {
    const ledger = new Ledger();
    for (const [account, asset, balance] of snapshot.balances) {
      let held = ledger.balances.get(asset);
      if (held === undefined) {
        held = new Map();
        ledger.balances.set(asset, held);
      }
      held.set(account, toBalance(BigInt(balance)));
    }
    return ledger;
  }
}

/** Keeps only non-zero balances, so the ledger's entries and snapshot name no account that holds nothing. */
function setBalance(held: Map<string, Balance>, ledgerAccount: string, value: Balance): void {
  if (value === 0) held.delete(ledgerAccount);
  else held.set(ledgerAccount, value);
}
