/**
 * Clearing: what a trade obliges each side to do, the money and gas that secure it, and what happens when it is done
 * or not done. Pure state, moved only through the ledger.
 *
 * A trade of Q kg at price P (tiyn per tonne) has value V = P × Q / 1000 tiyn; Q is a whole number of tonnes on a
 * clearing instrument, so V is exact. It creates one obligation with two legs:
 * - payment: the buyer pays V to the clearing account by `paymentDueMs`;
 * - delivery: the seller delivers Q kg at the basis by `deliveryDueMs`.
 * While it is open, the buyer's guarantee deposit (collateral) and fee stay blocked, and the seller's gas is held for
 * delivery. When the operator has confirmed both legs, it settles: V (less the seller's fee) goes to the seller, the
 * gas to the buyer, the collateral back to the buyer, both fees to the exchange.
 *
 * A missed deadline is a default, applied by the instrument's default rule:
 * - buyer default (payment missed): the buyer's collateral goes to the seller (or the exchange, per the rule), the
 *   buyer's fee to the exchange; undelivered gas returns to the seller's free gas; if the gas was already delivered,
 *   the unpaid value less the collateral is recorded as the seller's claim on the buyer.
 * - seller default (delivery missed): a payment already made goes back to the buyer, the buyer's collateral and fee are
 *   released, the held gas returns to the seller, and the seller pays the buyer a penalty of `sellerPenaltyBps` of V
 *   from its free money; what it cannot pay is recorded as the buyer's claim on the seller.
 * An account that traded with itself (possible in an auction, which has no self-trade prevention) owes itself no
 * penalty and has no claim on itself; the rest of either rule applies as written.
 *
 * Rounding: collateral and fees are computed per tonne and rounded up to a whole tiyn, then multiplied by the tonnes,
 * so the sum over partial fills equals the amount for the whole and a fill at a better price never needs more than the
 * order blocked.
 */

import { BPS_PER_UNIT, KG_PER_TONNE } from "../domain/collateral.ts";
import { invariant } from "../domain/errors.ts";
import {
  type Column,
  ColumnReader,
  columnLength,
  encodeColumn,
  encodeIds,
  type IdColumn,
  IdColumnReader,
  StringTable,
  TextColumnReader,
} from "./columns.ts";
import { heapPop, heapPush } from "./heap.ts";
import {
  CLEARING_SETTLEMENT,
  EXCHANGE_DEFAULTS,
  EXCHANGE_FEES,
  FREE,
  gasAsset,
  type Ledger,
  MONEY,
  memberAccount,
  OBLIGATIONS,
  type Transfer,
} from "./ledger.ts";
import { OrderIndex } from "./order-index.ts";

export interface ClearingTerms {
  /** Delivery basis: the producing plant where gas changes hands. */
  readonly basis: string;
  /** Guarantee deposit a buyer blocks, in basis points of value (500 = 5%). */
  readonly collateralBps: number;
  /** Exchange fee per side, in basis points of value (5 = 0.05%). */
  readonly feeBps: number;
  /** Time the buyer has to pay after the trade. */
  readonly paymentWindowMs: number;
  /** Time the seller has to deliver after the trade. */
  readonly deliveryWindowMs: number;
  /** Who receives a defaulting buyer's collateral. */
  readonly buyerDefaultCollateralTo: "seller" | "exchange";
  /** Penalty a defaulting seller pays the buyer, in basis points of value. */
  readonly sellerPenaltyBps: number;
}

export function tonnes(quantityKg: number): number {
  invariant(quantityKg % KG_PER_TONNE === 0, () => `quantity ${quantityKg} kg is not whole tonnes`);
  return quantityKg / KG_PER_TONNE;
}

export function valueTiyn(priceTiynPerTonne: number, quantityKg: number): number {
  return priceTiynPerTonne * tonnes(quantityKg);
}

/** `voided`: the operator voided the trade (`trade.void`); everything it held went back where it came from. */
export type ObligationStatus = "open" | "settled" | "defaulted" | "voided";

export interface Obligation {
  /** `OB-` and the rest of its trade's id (src/domain/ids.ts). */
  readonly id: string;
  /** The trade that created it. */
  readonly tradeId: string;
  readonly instrument: string;
  readonly basis: string;
  readonly buyer: string;
  readonly seller: string;
  readonly price: number;
  readonly quantity: number;
  readonly value: number;
  readonly collateral: number;
  readonly buyerFee: number;
  readonly sellerFee: number;
  readonly tradeTimeMs: number;
  readonly paymentDueMs: number;
  readonly deliveryDueMs: number;
  readonly buyerDefaultCollateralTo: "seller" | "exchange";
  readonly sellerPenaltyBps: number;
  paid: boolean;
  delivered: boolean;
  status: ObligationStatus;
  defaultedParty: "buyer" | "seller" | null;
}

export interface ObligationEvent {
  readonly type:
    | "obligation.created"
    | "obligation.paid"
    | "obligation.delivered"
    | "obligation.settled"
    | "obligation.defaulted"
    | "obligation.voided";
  readonly obligation: Readonly<Omit<Obligation, never>>;
  /** Voids only: why, and the rule of the rulebook the trade broke. */
  readonly reason?: string;
  readonly rule?: string;
  /** Defaults only: amounts moved and left owing. */
  readonly forfeitedTiyn?: number;
  readonly penaltyTiyn?: number;
  readonly claimTiyn?: number;
}

export interface LedgerPostedEvent {
  readonly type: "ledger.posted";
  /** Why the money or gas moved, e.g. `order.block`, `trade`, `settlement`. */
  readonly reason: string;
  /** The order, trade or obligation id, or the deposit reference, it belongs to. */
  readonly ref: string;
  readonly transfers: readonly Transfer[];
}

export type ClearingEvent = ObligationEvent | LedgerPostedEvent;

/** The clearing's state (engine snapshot version 6): the obligations by column. */
export interface ClearingSnapshot {
  readonly obligations: ObligationColumns;
}

/** Version 5's: one object per obligation, sorted by id. Read, no longer written. */
export interface ClearingSnapshotV5 {
  readonly obligations: readonly Obligation[];
}

/**
 * Obligations by column, sorted by id: the i-th entry of every column is the i-th obligation. Text fields are indexes
 * into `strings` (each distinct string once, in the order the columns first name them, column by column: every id's
 * stem, then trade ids, instruments, bases, buyers, sellers, collateral rules, statuses, defaulted parties). Fields
 * that almost always follow from others are stored as what they add:
 * - `tradeId`: null when it is `T-` and the id after `OB-` (as `obligationIdOf` made it), else its string;
 * - `value`: null when it is price × tonnes (`valueTiyn`), else the value;
 * - `paymentDueMs`, `deliveryDueMs`: ms after `tradeTimeMs` (the clearing windows, so runs).
 * `paid` and `delivered` are 0 or 1; `defaultedParty` a string index or null.
 */
export interface ObligationColumns {
  readonly strings: readonly string[];
  readonly id: IdColumn;
  readonly tradeId: Column<number | null>;
  readonly instrument: Column<number>;
  readonly basis: Column<number>;
  readonly buyer: Column<number>;
  readonly seller: Column<number>;
  readonly price: Column<number>;
  readonly quantity: Column<number>;
  readonly value: Column<number | null>;
  readonly collateral: Column<number>;
  readonly buyerFee: Column<number>;
  readonly sellerFee: Column<number>;
  readonly tradeTimeMs: Column<number>;
  readonly paymentDueMs: Column<number>;
  readonly deliveryDueMs: Column<number>;
  readonly buyerDefaultCollateralTo: Column<number>;
  readonly sellerPenaltyBps: Column<number>;
  readonly paid: Column<number>;
  readonly delivered: Column<number>;
  readonly status: Column<number>;
  readonly defaultedParty: Column<number | null>;
}

/** Posts transfers under one reason as one event; skips the event when nothing moved. */
export class Postings {
  /**
   * The transfers since the last flush, or null before the first. The event takes this array itself: most postings
   * move once, and an array made from its one transfer is exactly its size (one grown by `push` from empty has room
   * for sixteen, and was copied for the event).
   */
  private transfers: Transfer[] | null = null;
  constructor(
    private readonly ledger: Ledger,
    private readonly reason: string,
    private readonly ref: string,
  ) {}

  move(from: string, to: string, asset: string, amount: number): void {
    if (!(amount > 0)) return;
    const transfer = this.ledger.transfer(from, to, asset, amount);
    if (this.transfers === null) this.transfers = [transfer];
    else this.transfers.push(transfer);
  }

  flush(out: { push(event: LedgerPostedEvent): unknown }): void {
    if (this.transfers !== null) {
      out.push({ type: "ledger.posted", reason: this.reason, ref: this.ref, transfers: this.transfers });
      this.transfers = null;
    }
  }
}

export class Clearing {
  /**
   * By id. After a restore the index is built when first needed or when warmed (`warm`, order-index.ts); the objects
   * themselves are made at the restore (the open ones are in `due`).
   */
  private readonly obligations = new OrderIndex<Obligation>();
  /** The ids of each instrument's obligations, so an instrument's close looks at its own only. */
  private readonly byInstrument = new Map<string, Set<string>>();
  /**
   * Open obligations by deadline (a min-heap of entries keyed by the deadline when pushed). A confirmed leg only makes
   * an obligation's next deadline later, so a stored key is never later than the true one: an entry popped early is
   * pushed again with its new key, and settled or defaulted ones are dropped.
   */
  private readonly due: DueEntry[] = [];

  get(id: string): Readonly<Obligation> | undefined {
    return this.obligations.get(id);
  }

  all(): Readonly<Obligation>[] {
    return [...this.obligations.values()];
  }

  /**
   * Opens the obligation of a trade. The caller has already moved the buyer's collateral and fee, and the seller's
   * gas, into their obligation buckets.
   */
  open(obligation: Obligation, out: ClearingEvent[]): void {
    // `add` both checks the id is new and indexes it, in one lookup.
    invariant(this.obligations.add(obligation.id, obligation), () => `obligation ${obligation.id} exists`);
    this.addToInstrument(obligation);
    heapPush(this.due, { dueMs: nextDeadline(obligation), obligation }, earlier);
    out.push({ type: "obligation.created", obligation: { ...obligation } });
  }

  /** The operator confirms the buyer paid; null, or why it cannot be confirmed. */
  checkPayment(
    id: string,
    ledger: Ledger,
  ): {
    code:
      | "OBLIGATION_NOT_FOUND"
      | "OBLIGATION_NOT_OPEN"
      | "OBLIGATION_ALREADY_CONFIRMED"
      | "OBLIGATION_PAYMENT_UNCOVERED";
    free?: bigint;
  } | null {
    const obligation = this.obligations.get(id);
    if (!obligation) return { code: "OBLIGATION_NOT_FOUND" };
    if (obligation.status !== "open") return { code: "OBLIGATION_NOT_OPEN" };
    if (obligation.paid) return { code: "OBLIGATION_ALREADY_CONFIRMED" };
    const free = ledger.balance(memberAccount(obligation.buyer, FREE), MONEY);
    if (free < BigInt(obligation.value)) return { code: "OBLIGATION_PAYMENT_UNCOVERED", free };
    return null;
  }

  confirmPayment(id: string, ledger: Ledger, out: ClearingEvent[]): void {
    const o = this.obligations.get(id)!;
    const postings = new Postings(ledger, "payment", id);
    postings.move(memberAccount(o.buyer, FREE), CLEARING_SETTLEMENT, MONEY, o.value);
    o.paid = true;
    postings.flush(out);
    out.push({ type: "obligation.paid", obligation: { ...o } });
    if (o.delivered) this.settle(o, ledger, out);
  }

  checkDelivery(
    id: string,
  ): { code: "OBLIGATION_NOT_FOUND" | "OBLIGATION_NOT_OPEN" | "OBLIGATION_ALREADY_CONFIRMED" } | null {
    const obligation = this.obligations.get(id);
    if (!obligation) return { code: "OBLIGATION_NOT_FOUND" };
    if (obligation.status !== "open") return { code: "OBLIGATION_NOT_OPEN" };
    if (obligation.delivered) return { code: "OBLIGATION_ALREADY_CONFIRMED" };
    return null;
  }

  confirmDelivery(id: string, ledger: Ledger, out: ClearingEvent[]): void {
    const o = this.obligations.get(id)!;
    const postings = new Postings(ledger, "delivery", id);
    const gas = gasAsset(o.basis);
    postings.move(memberAccount(o.seller, OBLIGATIONS), memberAccount(o.buyer, FREE), gas, o.quantity);
    o.delivered = true;
    postings.flush(out);
    out.push({ type: "obligation.delivered", obligation: { ...o } });
    if (o.paid) this.settle(o, ledger, out);
  }

  private settle(o: Obligation, ledger: Ledger, out: ClearingEvent[]): void {
    const postings = new Postings(ledger, "settlement", o.id);
    postings.move(CLEARING_SETTLEMENT, memberAccount(o.seller, FREE), MONEY, o.value - o.sellerFee);
    postings.move(CLEARING_SETTLEMENT, EXCHANGE_FEES, MONEY, o.sellerFee);
    postings.move(memberAccount(o.buyer, OBLIGATIONS), memberAccount(o.buyer, FREE), MONEY, o.collateral);
    postings.move(memberAccount(o.buyer, OBLIGATIONS), EXCHANGE_FEES, MONEY, o.buyerFee);
    o.status = "settled";
    postings.flush(out);
    out.push({ type: "obligation.settled", obligation: { ...o } });
  }

  /** Whether the trade of obligation `id` may be voided: open and its gas not yet delivered. */
  checkVoid(
    id: string,
  ): { code: "OBLIGATION_NOT_FOUND" | "OBLIGATION_NOT_OPEN" | "OBLIGATION_ALREADY_CONFIRMED" } | null {
    return this.checkDelivery(id);
  }

  /**
   * Voids an obligation's trade: every amount the trade and the payment moved goes back exactly where it came from —
   * a payment from the clearing account to the buyer, the buyer's collateral and fee to its free money, the seller's
   * held gas to its free gas. No penalty and no fee: a voided trade is as if it had not been made.
   */
  voidObligation(id: string, reason: string, rule: string, ledger: Ledger, out: ClearingEvent[]): void {
    const o = this.obligations.get(id)!;
    invariant(o.status === "open" && !o.delivered, () => `obligation ${id} cannot be voided`);
    const postings = new Postings(ledger, "void", id);
    if (o.paid) postings.move(CLEARING_SETTLEMENT, memberAccount(o.buyer, FREE), MONEY, o.value);
    postings.move(memberAccount(o.buyer, OBLIGATIONS), memberAccount(o.buyer, FREE), MONEY, o.collateral + o.buyerFee);
    postings.move(memberAccount(o.seller, OBLIGATIONS), memberAccount(o.seller, FREE), gasAsset(o.basis), o.quantity);
    o.status = "voided";
    postings.flush(out);
    out.push({ type: "obligation.voided", obligation: { ...o }, reason, rule });
  }

  /**
   * Forgets an instrument's settled and defaulted obligations (the engine calls this when the instrument closes; the
   * read models keep their history). Open obligations stay. Returns the ids forgotten.
   */
  pruneFinished(instrument: string): string[] {
    // The obligations a restore left unindexed are not in `byInstrument` yet: index them first.
    this.obligations.completeNow();
    const ids = this.byInstrument.get(instrument);
    if (!ids) return [];
    const pruned: string[] = [];
    for (const id of ids) {
      if (this.obligations.get(id)!.status === "open") continue;
      this.obligations.delete(id);
      ids.delete(id);
      pruned.push(id);
    }
    if (ids.size === 0) this.byInstrument.delete(instrument);
    return pruned;
  }

  private add(obligation: Obligation): void {
    this.obligations.set(obligation.id, obligation);
    this.addToInstrument(obligation);
  }

  private addToInstrument(obligation: Obligation): void {
    let ids = this.byInstrument.get(obligation.instrument);
    if (!ids) {
      ids = new Set();
      this.byInstrument.set(obligation.instrument, ids);
    }
    ids.add(obligation.id);
  }

  /** Whether any open obligation may have a deadline at or before `nowMs`. */
  hasDue(nowMs: number): boolean {
    return this.due.length > 0 && this.due[0]!.dueMs <= nowMs;
  }

  /** Applies the default rule to every open obligation whose deadline has passed, earliest deadline first. */
  processDue(nowMs: number, ledger: Ledger, out: ClearingEvent[]): void {
    while (this.hasDue(nowMs)) {
      const { dueMs, obligation: o } = heapPop(this.due, earlier);
      if (o.status !== "open") continue;
      // A key made stale by a confirmed leg goes back under the true deadline first: otherwise this obligation would
      // be judged before others whose deadlines are earlier, and a restored engine (whose keys are never stale)
      // would judge them in another order, with other results (a seller's penalty depends on its free money).
      const next = nextDeadline(o);
      if (dueMs < next) {
        heapPush(this.due, { dueMs: next, obligation: o }, earlier);
        continue;
      }
      const paymentMissed = !o.paid && o.paymentDueMs <= nowMs;
      const deliveryMissed = !o.delivered && o.deliveryDueMs <= nowMs;
      // When both deadlines have passed, the earlier one decides; at the same time, the buyer's comes first.
      if (paymentMissed && (!deliveryMissed || o.paymentDueMs <= o.deliveryDueMs)) this.buyerDefault(o, ledger, out);
      else {
        invariant(deliveryMissed, () => `obligation ${o.id} is due at ${next} yet no leg is missed at ${nowMs}`);
        this.sellerDefault(o, ledger, out);
      }
    }
  }

  private buyerDefault(o: Obligation, ledger: Ledger, out: ClearingEvent[]): void {
    const postings = new Postings(ledger, "default", o.id);
    const gas = gasAsset(o.basis);
    const to = o.buyerDefaultCollateralTo === "seller" ? memberAccount(o.seller, FREE) : EXCHANGE_DEFAULTS;
    postings.move(memberAccount(o.buyer, OBLIGATIONS), to, MONEY, o.collateral);
    postings.move(memberAccount(o.buyer, OBLIGATIONS), EXCHANGE_FEES, MONEY, o.buyerFee);
    let claim = 0;
    if (o.delivered) {
      // The buyer has the gas but did not pay: the seller keeps a claim for the value the collateral did not cover.
      if (o.buyer !== o.seller) claim = o.buyerDefaultCollateralTo === "seller" ? o.value - o.collateral : o.value;
    } else {
      postings.move(memberAccount(o.seller, OBLIGATIONS), memberAccount(o.seller, FREE), gas, o.quantity);
    }
    o.status = "defaulted";
    o.defaultedParty = "buyer";
    postings.flush(out);
    out.push({
      type: "obligation.defaulted",
      obligation: { ...o },
      forfeitedTiyn: o.collateral,
      penaltyTiyn: 0,
      claimTiyn: claim,
    });
  }

  private sellerDefault(o: Obligation, ledger: Ledger, out: ClearingEvent[]): void {
    const postings = new Postings(ledger, "default", o.id);
    const gas = gasAsset(o.basis);
    if (o.paid) postings.move(CLEARING_SETTLEMENT, memberAccount(o.buyer, FREE), MONEY, o.value);
    postings.move(memberAccount(o.buyer, OBLIGATIONS), memberAccount(o.buyer, FREE), MONEY, o.collateral + o.buyerFee);
    postings.move(memberAccount(o.seller, OBLIGATIONS), memberAccount(o.seller, FREE), gas, o.quantity);
    // V × bps can pass 2^53 (V reaches 10^15 tiyn), so the product is taken in bigint; the result is at most V.
    const penalty =
      o.buyer === o.seller
        ? 0
        : Number((BigInt(o.value) * BigInt(o.sellerPenaltyBps) + BigInt(BPS_PER_UNIT - 1)) / BigInt(BPS_PER_UNIT));
    const free = ledger.balance(memberAccount(o.seller, FREE), MONEY);
    const paid = free >= BigInt(penalty) ? penalty : Number(free);
    postings.move(memberAccount(o.seller, FREE), memberAccount(o.buyer, FREE), MONEY, paid);
    o.status = "defaulted";
    o.defaultedParty = "seller";
    postings.flush(out);
    out.push({
      type: "obligation.defaulted",
      obligation: { ...o },
      forfeitedTiyn: 0,
      penaltyTiyn: paid,
      claimTiyn: penalty - paid,
    });
  }

  /**
   * What open obligations hold, per ledger account and asset: buyers' collateral and fees, sellers' gas in delivery,
   * and paid values in the clearing account. The engine compares this with the ledger.
   */
  required(): Map<string, bigint> {
    const need = new Map<string, bigint>();
    const add = (account: string, asset: string, amount: number) => {
      if (amount === 0) return;
      const k = `${account}|${asset}`;
      need.set(k, (need.get(k) ?? 0n) + BigInt(amount));
    };
    for (const o of this.obligations.values()) {
      if (o.status !== "open") continue;
      add(memberAccount(o.buyer, OBLIGATIONS), MONEY, o.collateral + o.buyerFee);
      if (!o.delivered) add(memberAccount(o.seller, OBLIGATIONS), gasAsset(o.basis), o.quantity);
      if (o.paid) add(CLEARING_SETTLEMENT, MONEY, o.value);
    }
    return need;
  }

  snapshot(): ClearingSnapshot {
    return { obligations: obligationColumns(this.obligations.byId()) };
  }

  /** Rebuilds the clearing from its state in version 6's format (columns) or version 5's (one object each). */
  static restore(snapshot: ClearingSnapshot | ClearingSnapshotV5): Clearing {
    const clearing = new Clearing();
    const saved = snapshot.obligations;
    const obligations = Array.isArray(saved)
      ? (saved as readonly Obligation[]).map((o) => ({ ...o }))
      : obligationsFromColumns(saved as ObligationColumns);
    const n = obligations.length;
    const ids = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const o = obligations[i]!;
      ids[i] = o.id;
      if (o.status === "open") heapPush(clearing.due, { dueMs: nextDeadline(o), obligation: o }, earlier);
    }
    // Indexed by id (and by instrument) in the snapshot's order when first needed or when warmed.
    let indexed = 0;
    clearing.obligations.adopt(
      ids,
      (budget) => {
        const end = Math.min(n, indexed + budget);
        for (; indexed < end; indexed++) clearing.add(obligations[indexed]!);
        return indexed === n;
      },
      null,
      "snapshot obligations name an obligation more than once",
    );
    return clearing;
  }

  /** Indexes up to `budget` more restored obligations; returns whether all are (see `OrderIndex.warm`). */
  warm(budget: number): boolean {
    return this.obligations.warm(budget);
  }
}

const TRADE_PREFIX = "T-";
const OBLIGATION_PREFIX = "OB-";

/** The trade id `obligationIdOf` turned into obligation `id`'s, which a snapshot leaves out (null). */
function derivedTradeId(id: string): string | null {
  return id.startsWith(OBLIGATION_PREFIX) ? `${TRADE_PREFIX}${id.slice(OBLIGATION_PREFIX.length)}` : null;
}

/**
 * Whether `tradeId` is the one `derivedTradeId(id)` gives, compared in place: a snapshot took 0.3 µs an obligation to
 * make that id only to compare it.
 */
function isDerivedTradeId(id: string, tradeId: string): boolean {
  const rest = id.length - OBLIGATION_PREFIX.length;
  if (rest < 0 || tradeId.length !== TRADE_PREFIX.length + rest) return false;
  if (!id.startsWith(OBLIGATION_PREFIX) || !tradeId.startsWith(TRADE_PREFIX)) return false;
  for (let k = 0; k < rest; k++) {
    if (id.charCodeAt(OBLIGATION_PREFIX.length + k) !== tradeId.charCodeAt(TRADE_PREFIX.length + k)) return false;
  }
  return true;
}

/** `valueTiyn` without its check: a snapshot leaves the value out (null) when it is this. */
function derivedValue(price: number, quantity: number): number {
  return price * (quantity / 1000);
}

/**
 * Obligations sorted by id as `ObligationColumns`. One pass reads every row's numbers and strings into plain arrays;
 * the strings are then named column after column (ids' stems, trade ids, instruments, bases, buyers, sellers, the
 * collateral's destination, statuses, defaulted parties): that order is the table's, so the same state gives one
 * table. A trade id is compared with its obligation's id in place (`isDerivedTradeId`), a run of one string is named
 * with one lookup (`StringTable.indexAll`) and ids are split without a string per id (`encodeIds`).
 */
function obligationColumns(obligations: readonly Obligation[]): ObligationColumns {
  const table = new StringTable();
  const n = obligations.length;
  const ids: string[] = [];
  const tradeIds: (string | null)[] = [];
  const instruments: string[] = [];
  const bases: string[] = [];
  const buyers: string[] = [];
  const sellers: string[] = [];
  const price: number[] = [];
  const quantity: number[] = [];
  const value: (number | null)[] = [];
  const collateral: number[] = [];
  const buyerFee: number[] = [];
  const sellerFee: number[] = [];
  const tradeTimeMs: number[] = [];
  const paymentAfterMs: number[] = [];
  const deliveryAfterMs: number[] = [];
  const collateralTo: string[] = [];
  const sellerPenaltyBps: number[] = [];
  const paid: number[] = [];
  const delivered: number[] = [];
  const statuses: string[] = [];
  const defaulted: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const o = obligations[i]!;
    ids.push(o.id);
    tradeIds.push(isDerivedTradeId(o.id, o.tradeId) ? null : o.tradeId);
    instruments.push(o.instrument);
    bases.push(o.basis);
    buyers.push(o.buyer);
    sellers.push(o.seller);
    price.push(o.price);
    quantity.push(o.quantity);
    value.push(derivedValue(o.price, o.quantity) === o.value ? null : o.value);
    collateral.push(o.collateral);
    buyerFee.push(o.buyerFee);
    sellerFee.push(o.sellerFee);
    tradeTimeMs.push(o.tradeTimeMs);
    paymentAfterMs.push(afterTrade(o, o.paymentDueMs));
    deliveryAfterMs.push(afterTrade(o, o.deliveryDueMs));
    collateralTo.push(o.buyerDefaultCollateralTo);
    sellerPenaltyBps.push(o.sellerPenaltyBps);
    paid.push(o.paid ? 1 : 0);
    delivered.push(o.delivered ? 1 : 0);
    statuses.push(o.status);
    defaulted.push(o.defaultedParty);
  }
  const id = encodeIds(ids, table);
  const tradeId = encodeColumn(namedOrNull(tradeIds, table));
  const instrument = encodeColumn(table.indexAll(instruments));
  const basis = encodeColumn(table.indexAll(bases));
  const buyer = encodeColumn(table.indexAll(buyers));
  const seller = encodeColumn(table.indexAll(sellers));
  const buyerDefaultCollateralTo = encodeColumn(table.indexAll(collateralTo));
  const status = encodeColumn(table.indexAll(statuses));
  const defaultedParty = encodeColumn(namedOrNull(defaulted, table));
  return {
    strings: table.strings,
    id,
    tradeId,
    instrument,
    basis,
    buyer,
    seller,
    price: encodeColumn(price),
    quantity: encodeColumn(quantity),
    value: encodeColumn(value),
    collateral: encodeColumn(collateral),
    buyerFee: encodeColumn(buyerFee),
    sellerFee: encodeColumn(sellerFee),
    tradeTimeMs: encodeColumn(tradeTimeMs),
    paymentDueMs: encodeColumn(paymentAfterMs),
    deliveryDueMs: encodeColumn(deliveryAfterMs),
    buyerDefaultCollateralTo,
    sellerPenaltyBps: encodeColumn(sellerPenaltyBps),
    paid: encodeColumn(paid),
    delivered: encodeColumn(delivered),
    status,
    defaultedParty,
  };
}

/** A deadline as the ms after its obligation's trade (how a snapshot stores it). */
function afterTrade(o: Obligation, dueMs: number): number {
  const afterMs = dueMs - o.tradeTimeMs;
  // Exact while engine times stay below 2^53 ms less a clearing window (one year): a trade's time plus its window.
  if (!Number.isSafeInteger(afterMs) || o.tradeTimeMs + afterMs !== dueMs) {
    invariant(
      false,
      `invariant: obligation ${o.id}'s deadline ${dueMs} is not its trade time ${o.tradeTimeMs} and a whole number of ms`,
    );
  }
  return afterMs;
}

/** The strings' places in `table`, named in their order (`StringTable.indexAll`), a null kept as null. */
function namedOrNull(texts: readonly (string | null)[], table: StringTable): (number | null)[] {
  const indexes: (number | null)[] = [];
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    indexes.push(text === null ? null : table.index(text));
  }
  return indexes;
}

/** The obligations `ObligationColumns` holds, in its order; throws when a column is short or names no string. */
function obligationsFromColumns(columns: ObligationColumns): Obligation[] {
  const kind = "obligation";
  invariant(
    typeof columns === "object" && columns !== null && Array.isArray(columns.strings),
    "snapshot obligation columns are not columns",
  );
  const strings = columns.strings;
  // The count is the id column's; every other column must hold as many entries (the readers check).
  const n = Math.max(0, columnLength(columns.id?.stem));
  const ids = new IdColumnReader(columns.id, n, strings, "id", kind);
  const numbers = (name: keyof ObligationColumns) => new ColumnReader(columns[name] as Column<number>, n, name, kind);
  const maybe = (name: keyof ObligationColumns) =>
    new ColumnReader(columns[name] as Column<number | null>, n, name, kind);
  const texts = (name: keyof ObligationColumns) =>
    new TextColumnReader(columns[name] as Column<number>, n, strings, name, kind);
  const maybeText = (name: keyof ObligationColumns) => {
    const reader = maybe(name);
    reader.forEachValue((index) => {
      if (index !== null && strings[index] === undefined) {
        invariant(false, `snapshot ${kind} column names string ${index}, which does not exist`);
      }
    });
    return reader;
  };
  const flags = (name: keyof ObligationColumns) => {
    const reader = numbers(name);
    reader.forEachValue((flag) => {
      if (flag !== 0 && flag !== 1) invariant(false, `snapshot ${kind} column ${name} holds ${flag}, not 0 or 1`);
    });
    return reader;
  };
  const tradeId = maybeText("tradeId");
  const instrument = texts("instrument");
  const basis = texts("basis");
  const buyer = texts("buyer");
  const seller = texts("seller");
  const price = numbers("price");
  const quantity = numbers("quantity");
  const value = maybe("value");
  const collateral = numbers("collateral");
  const buyerFee = numbers("buyerFee");
  const sellerFee = numbers("sellerFee");
  const tradeTimeMs = numbers("tradeTimeMs");
  const paymentDueMs = numbers("paymentDueMs");
  const deliveryDueMs = numbers("deliveryDueMs");
  const collateralTo = texts("buyerDefaultCollateralTo");
  const sellerPenaltyBps = numbers("sellerPenaltyBps");
  const paid = flags("paid");
  const delivered = flags("delivered");
  const status = texts("status");
  const defaultedParty = maybeText("defaultedParty");
  const obligations = new Array<Obligation>(n);
  for (let i = 0; i < n; i++) {
    const id = ids.next();
    const tradeIndex = tradeId.next();
    const trade = tradeIndex === null ? derivedTradeId(id) : strings[tradeIndex]!;
    invariant(trade !== null, () => `snapshot obligation ${id} leaves out a trade id it does not imply`);
    const p = price.next();
    const q = quantity.next();
    const v = value.next();
    const timeMs = tradeTimeMs.next();
    const party = defaultedParty.next();
    obligations[i] = {
      id,
      tradeId: trade,
      instrument: instrument.next(),
      basis: basis.next(),
      buyer: buyer.next(),
      seller: seller.next(),
      price: p,
      quantity: q,
      value: v === null ? derivedValue(p, q) : v,
      collateral: collateral.next(),
      buyerFee: buyerFee.next(),
      sellerFee: sellerFee.next(),
      tradeTimeMs: timeMs,
      paymentDueMs: timeMs + paymentDueMs.next(),
      deliveryDueMs: timeMs + deliveryDueMs.next(),
      buyerDefaultCollateralTo: collateralTo.next() as Obligation["buyerDefaultCollateralTo"],
      sellerPenaltyBps: sellerPenaltyBps.next(),
      paid: paid.next() === 1,
      delivered: delivered.next() === 1,
      status: status.next() as ObligationStatus,
      defaultedParty: party === null ? null : (strings[party] as Obligation["defaultedParty"]),
    };
  }
  return obligations;
}

function nextDeadline(o: Obligation): number {
  const payment = o.paid ? Number.POSITIVE_INFINITY : o.paymentDueMs;
  const delivery = o.delivered ? Number.POSITIVE_INFINITY : o.deliveryDueMs;
  return Math.min(payment, delivery);
}

interface DueEntry {
  readonly dueMs: number;
  readonly obligation: Obligation;
}

function earlier(a: DueEntry, b: DueEntry): boolean {
  if (a.dueMs !== b.dueMs) return a.dueMs < b.dueMs;
  if (a.obligation.tradeTimeMs !== b.obligation.tradeTimeMs) return a.obligation.tradeTimeMs < b.obligation.tradeTimeMs;
  return a.obligation.id < b.obligation.id;
}
