/**
 * The clearing house: members and accounts, their money and gas in the double-entry ledger, pre-trade risk on
 * cleared instruments, and the obligations trades create. The engine calls it around every order operation on a
 * cleared instrument: `checkOrder`/`checkAmend` before anything changes, `block`/`reprice` once the order is
 * accepted, and `afterMarketEvent` for every event the market produced (a trade opens an obligation, a cancellation
 * releases what the order had blocked).
 *
 * What an order blocks is fixed by the clearing terms in force when it was accepted (kept on its record): a later
 * change of collateral or fee rates applies to new orders only.
 *
 * Promises: per asset the ledger sums to zero; no member account goes negative; what is blocked for orders equals what
 * the live orders require, and what is blocked for obligations equals what the open obligations require
 * (`checkInvariants`).
 */

import { KG_PER_TONNE, perTonneTiyn } from "../domain/collateral.ts";
import { invariant, type Problem, problem } from "../domain/errors.ts";
import { obligationIdOf, TRADE_ID_LENGTH_MAX } from "../domain/ids.ts";
import {
  ID_LENGTH_MAX,
  ID_PATTERN_SOURCE,
  MONEY_AMOUNT_MAX,
  NAME_LENGTH_MAX,
  REFERENCE_LENGTH_MAX,
  RULE_REFERENCE_LENGTH_MAX,
} from "../domain/limits.ts";
import { isSafeWholeNumber, ORDER_QUANTITY_MAX } from "../domain/order.ts";
import { isBin } from "../domain/vat.ts";
import { isCalendarDate, isoDateOfDay } from "./calendar.ts";
import {
  Clearing,
  type ClearingEvent,
  type ClearingSnapshot,
  type ClearingSnapshotV5,
  type ClearingTerms,
  type Obligation,
  Postings,
  tonnes,
  valueTiyn,
} from "./clearing.ts";
import {
  Deliveries,
  type DeliverySnapshot,
  SHIPMENTS_PER_OBLIGATION_MAX,
  type ShipmentArriveCommand,
  type ShipmentDispatchCommand,
  STATION_DOCUMENT_LENGTH_MAX,
  STATIONS_PER_MEMBER_MAX,
  type StationRegisterCommand,
  VEHICLE_LENGTH_MAX,
  WAYBILL_LENGTH_MAX,
} from "./delivery.ts";
import type { EngineEvent } from "./events.ts";
import {
  type Balance,
  CLEARING_SETTLEMENT,
  EXTERNAL_BANK,
  EXTERNAL_PRODUCTION,
  FREE,
  gasAsset,
  Ledger,
  type LedgerSnapshot,
  MONEY,
  memberAccount,
  OBLIGATIONS,
  ORDERS,
} from "./ledger.ts";
import type { OrderRecord } from "./market.ts";
import {
  type Account,
  BUYER_CATEGORIES,
  type BuyerCategory,
  MEMBER_ROLES,
  type MemberRole,
  Members,
  type MembersSnapshot,
} from "./members.ts";

/** What an obligation needs of its trade (a book trade or a negotiated one). */
type TradeFacts = Pick<
  Extract<EngineEvent, { type: "trade" }>,
  "tradeId" | "instrument" | "price" | "quantity" | "buyAccount" | "sellAccount"
>;

/** Longest reference of a group's evidence document. */
export const EVIDENCE_LENGTH_MAX = 200;

export interface ClearingHouseSnapshot {
  readonly members: MembersSnapshot;
  readonly ledger: LedgerSnapshot;
  /** The obligations by column (engine snapshot version 6). */
  readonly clearing: ClearingSnapshot;
  readonly references: readonly string[];
  /** Stations and shipments; left out while there are none, so older states hash the same. */
  readonly delivery?: DeliverySnapshot;
}

/** The clearing house as engine snapshot versions 3 to 5 stored it: one object per obligation. Read, not written. */
export interface ClearingHouseSnapshotV5 extends Omit<ClearingHouseSnapshot, "clearing"> {
  readonly clearing: ClearingSnapshotV5;
}

export interface MemberAddCommand {
  readonly type: "member.add";
  readonly member: string;
  readonly name: string;
  readonly roles: readonly MemberRole[];
  readonly buyerCategory?: BuyerCategory | null;
  /** The member's business identification number (BIN): 12 digits; documents and e-invoices carry it. */
  readonly bin?: string | null;
}

/**
 * The operator records a member's group of persons (a beneficial owner or an affiliated group), or with `group: null`
 * that the member is a group of its own again, naming the document that shows it and why.
 */
export interface MemberGroupCommand {
  readonly type: "member.group";
  readonly member: string;
  readonly group: string | null;
  /** The reference of the evidence document (a registry extract, an agency's decision, ...). */
  readonly evidence: string;
  readonly reason: string;
}

export interface AccountOpenCommand {
  readonly type: "account.open";
  readonly account: string;
  readonly member: string;
  /** Broker client accounts only: the client's name, roles and buyer category. */
  readonly client?: string | null;
  readonly canBuy?: boolean;
  readonly canSell?: boolean;
  readonly buyerCategory?: BuyerCategory | null;
}

export interface MoneyCommand {
  readonly type: "money.deposit" | "money.withdraw";
  readonly account: string;
  readonly amount: number;
  /** The bank statement line: each is booked once. */
  readonly reference: string;
}

export interface GasCommand {
  readonly type: "gas.declare" | "gas.withdraw";
  readonly account: string;
  readonly basis: string;
  readonly quantity: number;
}

export interface ObligationCommand {
  readonly type: "obligation.confirmPayment" | "obligation.confirmDelivery";
  readonly obligation: string;
}

/**
 * The operator voids a trade made in breach of the rules (for example a member's software breaking the entry rules),
 * with a reason and the rule it broke: its obligation unwinds exactly (clearing.ts `voidObligation`). Only while the
 * obligation is open and its gas not yet delivered.
 */
export interface TradeVoidCommand {
  readonly type: "trade.void";
  readonly trade: string;
  readonly reason: string;
  /** The rulebook's clause, e.g. "Rulebook 4.2: order entry". */
  readonly rule: string;
}

/** The longest rule reference a void may carry (in domain/limits.ts, which the web's forms read too). */
export { RULE_REFERENCE_LENGTH_MAX };

const ID_PATTERN = new RegExp(ID_PATTERN_SOURCE);
const isId = (value: string) => value.length <= ID_LENGTH_MAX && ID_PATTERN.test(value);

export class ClearingHouse {
  readonly members: Members;
  readonly ledger: Ledger;
  readonly clearing: Clearing;
  readonly deliveries: Deliveries;
  private readonly references: Set<string>;

  constructor(snapshot?: ClearingHouseSnapshot | ClearingHouseSnapshotV5) {
    this.deliveries = Deliveries.restore(snapshot?.delivery);
    this.members = snapshot ? Members.restore(snapshot.members) : new Members();
    this.ledger = snapshot ? Ledger.restore(snapshot.ledger) : new Ledger();
    this.clearing = snapshot ? Clearing.restore(snapshot.clearing) : new Clearing();
    this.references = new Set(snapshot?.references ?? []);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Members, accounts, money and gas.

  addMember(command: MemberAddCommand, out: EngineEvent[]): Problem | null {
    const { member, name, roles } = command;
    const buyerCategory = command.buyerCategory ?? null;
    if (typeof member !== "string" || !isId(member)) {
      return problem("MEMBER_INVALID", {
        reason: `id ${JSON.stringify(member)} must be 1 to ${ID_LENGTH_MAX} printable characters`,
      });
    }
    if (this.members.hasMember(member)) return problem("MEMBER_EXISTS", { id: member });
    if (typeof name !== "string" || name.trim() === "" || name.length > NAME_LENGTH_MAX) {
      return problem("MEMBER_INVALID", { reason: `name must be 1 to ${NAME_LENGTH_MAX} characters` });
    }
    if (
      !Array.isArray(roles) ||
      roles.length === 0 ||
      roles.some((role) => !(MEMBER_ROLES as readonly unknown[]).includes(role)) ||
      new Set(roles).size !== roles.length
    ) {
      return problem("MEMBER_INVALID", { reason: `roles must be distinct values from ${MEMBER_ROLES.join(", ")}` });
    }
    if (buyerCategory !== null && !(BUYER_CATEGORIES as readonly unknown[]).includes(buyerCategory)) {
      return problem("MEMBER_INVALID", {
        reason: `buyer category ${JSON.stringify(buyerCategory)} is not one of ${BUYER_CATEGORIES.join(", ")}`,
      });
    }
    if (roles.includes("buyer") !== (buyerCategory !== null)) {
      return problem("MEMBER_INVALID", { reason: "a buyer needs a buyer category, and only a buyer has one" });
    }
    const bin = command.bin ?? null;
    if (bin !== null && !isBin(bin)) {
      return problem("MEMBER_INVALID", { reason: `BIN ${JSON.stringify(bin)} must be exactly 12 digits` });
    }
    // The BIN is kept only when given, so members without one snapshot (and hash) as before BINs existed.
    const withBin = bin === null ? {} : { bin };
    this.members.addMember({ id: member, name, roles: [...roles], buyerCategory, suspended: false, ...withBin });
    out.push({ type: "member.added", member, name, roles: [...roles], buyerCategory, ...withBin });
    return null;
  }

  checkSuspension(member: string, suspend: boolean): Problem | null {
    const found = this.members.member(member);
    if (!found) return problem("MEMBER_NOT_FOUND", { id: String(member) });
    if (suspend && found.suspended) return problem("MEMBER_ALREADY_SUSPENDED", { member });
    if (!suspend && !found.suspended) return problem("MEMBER_NOT_SUSPENDED", { member });
    return null;
  }

  setSuspended(member: string, suspended: boolean, reason: string, out: EngineEvent[]): void {
    this.members.member(member)!.suspended = suspended;
    out.push({ type: suspended ? "member.suspended" : "member.reinstated", member, reason });
  }

  /** Checks a group record in full; the reason is the engine's to check. */
  checkGroup(command: MemberGroupCommand): Problem | null {
    const { member, group, evidence } = command;
    if (typeof member !== "string" || !this.members.hasMember(member)) {
      return problem("MEMBER_NOT_FOUND", { id: String(member) });
    }
    if (group !== null && (typeof group !== "string" || !isId(group))) {
      return problem("GROUP_INVALID", {
        value: JSON.stringify(group),
        rule: `a group id is 1 to ${ID_LENGTH_MAX} printable characters without spaces, or null for none`,
      });
    }
    if (
      typeof evidence !== "string" ||
      evidence.trim() === "" ||
      evidence.length > EVIDENCE_LENGTH_MAX ||
      /\p{Cc}/u.test(evidence)
    ) {
      return problem("GROUP_EVIDENCE_INVALID", {
        value: JSON.stringify(evidence),
        rule: `the document's reference is 1 to ${EVIDENCE_LENGTH_MAX} characters without control characters`,
      });
    }
    const current = this.members.groupOf(member);
    if (group === null && current === undefined) {
      return problem("GROUP_UNCHANGED", { member, state: "is not recorded in any group" });
    }
    if (group !== null && current?.group === group && current.evidence === evidence) {
      return problem("GROUP_UNCHANGED", { member, state: `is already recorded in group '${group}' on this evidence` });
    }
    return null;
  }

  /** Records a group checked by `checkGroup`. */
  setGroup(command: MemberGroupCommand, out: EngineEvent[]): void {
    const { member, group, evidence, reason } = command;
    this.members.setGroup(member, group === null ? null : { member, group, evidence });
    out.push({ type: "member.grouped", member, group, evidence, reason });
  }

  openAccount(command: AccountOpenCommand, out: EngineEvent[]): Problem | null {
    const { account } = command;
    if (typeof account !== "string" || !isId(account)) {
      return problem("ACCOUNT_INVALID", {
        value: JSON.stringify(account),
        rule: `an id is 1 to ${ID_LENGTH_MAX} printable characters`,
      });
    }
    if (this.members.hasAccount(account)) return problem("ACCOUNT_EXISTS", { id: account });
    const member = this.members.member(command.member);
    if (!member) return problem("MEMBER_NOT_FOUND", { id: String(command.member) });
    const client = command.client ?? null;
    let opened: Account;
    if (member.roles.includes("broker") && client !== null) {
      const canBuy = command.canBuy ?? false;
      const canSell = command.canSell ?? false;
      const buyerCategory = command.buyerCategory ?? null;
      if (typeof client !== "string" || client.trim() === "" || client.length > NAME_LENGTH_MAX) {
        return problem("MEMBER_INVALID", { reason: `client name must be 1 to ${NAME_LENGTH_MAX} characters` });
      }
      if (typeof canBuy !== "boolean" || typeof canSell !== "boolean" || (!canBuy && !canSell)) {
        return problem("MEMBER_INVALID", { reason: "a client account must be allowed to buy, to sell, or both" });
      }
      if (buyerCategory !== null && !(BUYER_CATEGORIES as readonly unknown[]).includes(buyerCategory)) {
        return problem("MEMBER_INVALID", { reason: `buyer category ${JSON.stringify(buyerCategory)} is not known` });
      }
      if (canBuy !== (buyerCategory !== null)) {
        return problem("MEMBER_INVALID", {
          reason: "a client who buys needs a buyer category, and only such a client",
        });
      }
      opened = { id: account, member: member.id, client, canBuy, canSell, buyerCategory };
    } else {
      if (client !== null) {
        return problem("MEMBER_INVALID", {
          reason: `member '${member.id}' is not a broker and cannot open client accounts`,
        });
      }
      const canBuy = member.roles.includes("buyer");
      const canSell = member.roles.includes("producer");
      if (!canBuy && !canSell) {
        return problem("MEMBER_INVALID", { reason: `broker '${member.id}' trades only through client accounts` });
      }
      opened = { id: account, member: member.id, client: null, canBuy, canSell, buyerCategory: member.buyerCategory };
    }
    this.members.addAccount(opened);
    out.push({ type: "account.opened", ...opened });
    return null;
  }

  moveMoney(command: MoneyCommand, out: EngineEvent[]): Problem | null {
    const { account, amount, reference } = command;
    const found = this.requireAccount(account);
    if (found) return found;
    if (!isSafeWholeNumber(amount) || amount < 1 || amount > MONEY_AMOUNT_MAX) {
      return problem("AMOUNT_INVALID", { value: JSON.stringify(amount), max: MONEY_AMOUNT_MAX });
    }
    if (typeof reference !== "string" || reference.length > REFERENCE_LENGTH_MAX || !ID_PATTERN.test(reference)) {
      return problem("REFERENCE_INVALID", { value: JSON.stringify(reference) });
    }
    if (this.references.has(reference)) return problem("REFERENCE_DUPLICATE", { reference });
    const free = memberAccount(account, FREE);
    if (command.type === "money.withdraw") {
      const available = this.ledger.held(free, MONEY);
      if (available < amount) return this.fundsProblem(account, available, amount, "the withdrawal");
    }
    this.references.add(reference);
    const postings = new Postings(this.ledger, command.type, reference);
    if (command.type === "money.deposit") postings.move(EXTERNAL_BANK, free, MONEY, amount);
    else postings.move(free, EXTERNAL_BANK, MONEY, amount);
    out.push({
      type: command.type === "money.deposit" ? "money.deposited" : "money.withdrawn",
      account,
      amount,
      reference,
    });
    postings.flush(out);
    return null;
  }

  moveGas(command: GasCommand, out: EngineEvent[]): Problem | null {
    const { account, basis, quantity } = command;
    const found = this.requireAccount(account);
    if (found) return found;
    // Any account may lift gas it holds (a buyer takes away what was delivered); only sellers declare gas for sale.
    if (command.type === "gas.declare" && !this.members.account(account)!.canSell) {
      return problem("ACCOUNT_ROLE_FORBIDDEN", {
        account,
        action: "hold gas for sale",
        reason: "it is not a seller's account",
      });
    }
    if (typeof basis !== "string" || !isId(basis)) {
      return problem("BASIS_INVALID", {
        value: JSON.stringify(basis),
        rule: `a basis id is 1 to ${ID_LENGTH_MAX} printable characters`,
      });
    }
    if (
      !isSafeWholeNumber(quantity) ||
      quantity < KG_PER_TONNE ||
      quantity > ORDER_QUANTITY_MAX ||
      quantity % KG_PER_TONNE !== 0
    ) {
      return problem("GAS_QUANTITY_INVALID", { value: JSON.stringify(quantity), max: ORDER_QUANTITY_MAX });
    }
    const free = memberAccount(account, FREE);
    const asset = gasAsset(basis);
    if (command.type === "gas.withdraw") {
      const available = this.ledger.held(free, asset);
      if (available < quantity) return this.volumeProblem(account, basis, available, quantity, "the withdrawal");
    }
    const postings = new Postings(this.ledger, command.type, `${account}@${basis}`);
    if (command.type === "gas.declare") postings.move(EXTERNAL_PRODUCTION, free, asset, quantity);
    else postings.move(free, EXTERNAL_PRODUCTION, asset, quantity);
    out.push({ type: command.type === "gas.declare" ? "gas.declared" : "gas.withdrawn", account, basis, quantity });
    postings.flush(out);
    return null;
  }

  private requireAccount(account: unknown): Problem | null {
    if (typeof account !== "string" || !this.members.hasAccount(account)) {
      return problem("ACCOUNT_NOT_FOUND", { id: String(account) });
    }
    return null;
  }

  private fundsProblem(account: string, free: Balance, required: number, purpose: string): Problem {
    return problem("RISK_INSUFFICIENT_FUNDS", {
      account,
      free: free.toString(),
      required,
      shortfall: (BigInt(required) - BigInt(free)).toString(),
      purpose,
    });
  }

  private volumeProblem(account: string, basis: string, free: Balance, required: number, purpose: string): Problem {
    return problem("RISK_INSUFFICIENT_VOLUME", {
      account,
      basis,
      free: free.toString(),
      required,
      shortfall: (BigInt(required) - BigInt(free)).toString(),
      purpose,
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Orders on cleared instruments.

  /** Who may send this order, and whether it is covered. `order` has passed the engine's shape checks. */
  checkOrder(
    order: OrderRecord,
    terms: ClearingTerms,
    instrument: string,
    eligible: readonly BuyerCategory[] | null,
  ): Problem | null {
    const account = this.members.account(order.account);
    if (!account) return problem("ACCOUNT_NOT_FOUND", { id: order.account });
    const member = this.members.member(account.member)!;
    if (member.suspended) return problem("MEMBER_SUSPENDED", { member: member.id });
    if (order.side === "buy" && !account.canBuy) {
      return problem("ACCOUNT_ROLE_FORBIDDEN", {
        account: account.id,
        action: "buy",
        reason: "it is not a buyer's account",
      });
    }
    if (order.side === "sell" && !account.canSell) {
      return problem("ACCOUNT_ROLE_FORBIDDEN", {
        account: account.id,
        action: "sell",
        reason: "it is not a seller's account",
      });
    }
    if (order.side === "buy" && eligible !== null && !eligible.includes(account.buyerCategory!)) {
      return problem("ACCOUNT_NOT_ELIGIBLE", {
        account: account.id,
        category: account.buyerCategory ?? "none",
        instrument,
        eligible: eligible.join(", "),
      });
    }
    if (order.side === "buy") {
      // What a buy blocks per tonne was sized by the engine (at the limit, or at the ceiling for a market buy).
      const required = order.blockPerTonne * tonnes(order.open);
      const free = this.ledger.held(this.ledger.namesOf(account.id).free, MONEY);
      if (free < required)
        return this.fundsProblem(account.id, free, required, `the order's guarantee deposit and fee`);
    } else {
      const free = this.ledger.held(this.ledger.namesOf(account.id).free, this.ledger.gasAssetOf(terms.basis));
      if (free < order.open) return this.volumeProblem(account.id, terms.basis, free, order.open, "the order");
    }
    return null;
  }

  /** Blocks what an accepted order needs (checked by `checkOrder`). */
  block(order: OrderRecord, terms: ClearingTerms, out: EngineEvent[]): void {
    const postings = new Postings(this.ledger, "order.block", order.id);
    const names = this.ledger.namesOf(order.account);
    if (order.side === "buy") postings.move(names.free, names.orders, MONEY, orderBlock(order));
    else postings.move(names.free, names.orders, this.ledger.gasAssetOf(terms.basis), order.open);
    postings.flush(out);
  }

  /** Whether an amend to `price`/`quantity` is covered; the order keeps the clearing rates it was accepted with. */
  checkAmend(order: OrderRecord, newBlockPerTonne: number, quantity: number, basis: string): Problem | null {
    const account = this.members.account(order.account)!;
    const member = this.members.member(account.member)!;
    if (member.suspended) return problem("MEMBER_SUSPENDED", { member: member.id });
    if (order.side === "buy") {
      const extra = newBlockPerTonne * tonnes(quantity) - orderBlock(order);
      if (extra > 0) {
        const free = this.ledger.held(memberAccount(order.account, FREE), MONEY);
        if (free < extra) return this.fundsProblem(order.account, free, extra, "the amended order's extra deposit");
      }
    } else if (quantity > order.open) {
      const free = this.ledger.held(memberAccount(order.account, FREE), gasAsset(basis));
      const extra = quantity - order.open;
      if (free < extra) return this.volumeProblem(order.account, basis, free, extra, "the amended order");
    }
    return null;
  }

  /** Moves the difference an amend makes to what the order blocks; call before the market changes the order. */
  reprice(order: OrderRecord, newBlockPerTonne: number, quantity: number, basis: string, out: EngineEvent[]): void {
    const postings = new Postings(this.ledger, "order.amend", order.id);
    const free = memberAccount(order.account, FREE);
    const blocked = memberAccount(order.account, ORDERS);
    if (order.side === "buy") {
      const delta = newBlockPerTonne * tonnes(quantity) - orderBlock(order);
      if (delta > 0) postings.move(free, blocked, MONEY, delta);
      else postings.move(blocked, free, MONEY, -delta);
    } else {
      const delta = quantity - order.open;
      if (delta > 0) postings.move(free, blocked, gasAsset(basis), delta);
      else postings.move(blocked, free, gasAsset(basis), -delta);
    }
    postings.flush(out);
  }

  /** Whether any of `events` from `start` on is one `afterMarketEvent` acts on (a trade or a cancellation). */
  followsAny(events: readonly EngineEvent[], start: number): boolean {
    for (let i = start; i < events.length; i++) {
      const type = events[i]!.type;
      if (type === "trade" || type === "order.cancelled") return true;
    }
    return false;
  }

  /**
   * Follows a market event on a cleared instrument: a trade opens its obligation and moves the blocked amounts to
   * it; a cancellation releases what the cancelled quantity had blocked. Other events it leaves alone (`followsAny`).
   */
  afterMarketEvent(
    event: EngineEvent,
    orders: (id: string) => OrderRecord,
    terms: ClearingTerms,
    nowMs: number,
    out: EngineEvent[],
  ): void {
    if (event.type === "order.cancelled") {
      const order = orders(event.orderId);
      const postings = new Postings(this.ledger, "order.release", order.id);
      const { orders: blocked, free } = this.ledger.namesOf(order.account);
      if (order.side === "buy") postings.move(blocked, free, MONEY, order.blockPerTonne * tonnes(event.quantity));
      else postings.move(blocked, free, this.ledger.gasAssetOf(terms.basis), event.quantity);
      postings.flush(out);
    } else if (event.type === "trade") {
      const buy = orders(event.buyOrderId);
      const sell = orders(event.sellOrderId);
      const t = tonnes(event.quantity);
      const collateral = perTonneTiyn(event.price, buy.collateralBps) * t;
      const buyerFee = perTonneTiyn(event.price, buy.feeBps) * t;
      const sellerFee = perTonneTiyn(event.price, sell.feeBps) * t;
      const released = buy.blockPerTonne * t;
      invariant(released >= collateral + buyerFee, () => `trade ${event.tradeId} needs more than its order blocked`);
      const postings = new Postings(this.ledger, "trade", event.tradeId);
      const buyer = this.ledger.namesOf(event.buyAccount);
      const seller = this.ledger.namesOf(event.sellAccount);
      postings.move(buyer.orders, buyer.obligations, MONEY, collateral + buyerFee);
      postings.move(buyer.orders, buyer.free, MONEY, released - collateral - buyerFee);
      postings.move(seller.orders, seller.obligations, this.ledger.gasAssetOf(terms.basis), event.quantity);
      postings.flush(out);
      this.openObligation(event, collateral, buyerFee, sellerFee, terms, nowMs, out);
    }
  }

  /** Opens the obligation of a trade whose collateral, fee and gas are already in the obligations buckets. */
  private openObligation(
    event: TradeFacts,
    collateral: number,
    buyerFee: number,
    sellerFee: number,
    terms: ClearingTerms,
    nowMs: number,
    out: EngineEvent[],
  ): void {
    {
      const obligation: Obligation = {
        id: obligationIdOf(event.tradeId),
        tradeId: event.tradeId,
        instrument: event.instrument,
        basis: terms.basis,
        buyer: event.buyAccount,
        seller: event.sellAccount,
        price: event.price,
        quantity: event.quantity,
        value: valueTiyn(event.price, event.quantity),
        collateral,
        buyerFee,
        sellerFee,
        tradeTimeMs: nowMs,
        paymentDueMs: nowMs + terms.paymentWindowMs,
        deliveryDueMs: nowMs + terms.deliveryWindowMs,
        buyerDefaultCollateralTo: terms.buyerDefaultCollateralTo,
        sellerPenaltyBps: terms.sellerPenaltyBps,
        paid: false,
        delivered: false,
        status: "open",
        defaultedParty: null,
      };
      this.clearing.open(obligation, out as ClearingEvent[]);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Negotiated deals (remedies.ts): covered like an order, cleared like a book trade.

  /**
   * Whether a negotiated deal may be registered (`accepting` false: the seller's side) or traded (`accepting` true:
   * both sides, the buyer's collateral and fee at the terms in force). Price and quantity are the engine's to check.
   */
  checkNegotiated(
    seller: string,
    buyer: string,
    price: number,
    quantity: number,
    terms: ClearingTerms,
    instrument: string,
    eligible: readonly BuyerCategory[] | null,
    accepting: boolean,
  ): Problem | null {
    for (const [id, side] of [
      [seller, "sell"],
      [buyer, "buy"],
    ] as const) {
      const account = typeof id === "string" ? this.members.account(id) : undefined;
      if (!account) return problem("ACCOUNT_NOT_FOUND", { id: String(id) });
      const member = this.members.member(account.member)!;
      if (member.suspended) return problem("MEMBER_SUSPENDED", { member: member.id });
      if (side === "sell" ? !account.canSell : !account.canBuy) {
        return problem("ACCOUNT_ROLE_FORBIDDEN", {
          account: account.id,
          action: side,
          reason: side === "sell" ? "it is not a seller's account" : "it is not a buyer's account",
        });
      }
      if (side === "buy" && eligible !== null && !eligible.includes(account.buyerCategory!)) {
        return problem("ACCOUNT_NOT_ELIGIBLE", {
          account: account.id,
          category: account.buyerCategory ?? "none",
          instrument,
          eligible: eligible.join(", "),
        });
      }
    }
    if (seller === buyer) return problem("NEGOTIATED_SAME_ACCOUNT", { account: seller });
    const gas = this.ledger.held(memberAccount(seller, FREE), gasAsset(terms.basis));
    if (gas < quantity) return this.volumeProblem(seller, terms.basis, gas, quantity, "the negotiated deal");
    if (accepting) {
      const t = tonnes(quantity);
      const required = (perTonneTiyn(price, terms.collateralBps) + perTonneTiyn(price, terms.feeBps)) * t;
      const free = this.ledger.held(memberAccount(buyer, FREE), MONEY);
      if (free < required) {
        return this.fundsProblem(buyer, free, required, "the negotiated deal's guarantee deposit and fee");
      }
    }
    return null;
  }

  /** Clears an accepted negotiated trade (checked by `checkNegotiated`): from free straight to the obligation. */
  clearNegotiated(event: TradeFacts, terms: ClearingTerms, nowMs: number, out: EngineEvent[]): void {
    const t = tonnes(event.quantity);
    const collateral = perTonneTiyn(event.price, terms.collateralBps) * t;
    const buyerFee = perTonneTiyn(event.price, terms.feeBps) * t;
    const sellerFee = perTonneTiyn(event.price, terms.feeBps) * t;
    const postings = new Postings(this.ledger, "trade", event.tradeId);
    postings.move(
      memberAccount(event.buyAccount, FREE),
      memberAccount(event.buyAccount, OBLIGATIONS),
      MONEY,
      collateral + buyerFee,
    );
    postings.move(
      memberAccount(event.sellAccount, FREE),
      memberAccount(event.sellAccount, OBLIGATIONS),
      gasAsset(terms.basis),
      event.quantity,
    );
    postings.flush(out);
    this.openObligation(event, collateral, buyerFee, sellerFee, terms, nowMs, out);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Obligations.

  confirm(command: ObligationCommand, out: EngineEvent[]): Problem | null {
    const id = command.obligation;
    if (typeof id !== "string") return problem("OBLIGATION_NOT_FOUND", { id: String(id) });
    const payment = command.type === "obligation.confirmPayment";
    const refusal = payment ? this.clearing.checkPayment(id, this.ledger) : this.clearing.checkDelivery(id);
    if (refusal) {
      const o = this.clearing.get(id);
      switch (refusal.code) {
        case "OBLIGATION_NOT_FOUND":
          return problem("OBLIGATION_NOT_FOUND", { id });
        case "OBLIGATION_NOT_OPEN":
          return problem("OBLIGATION_NOT_OPEN", { id, status: o!.status });
        case "OBLIGATION_ALREADY_CONFIRMED":
          return problem("OBLIGATION_ALREADY_CONFIRMED", { id, leg: payment ? "payment" : "delivery" });
        case "OBLIGATION_PAYMENT_UNCOVERED":
          return this.fundsProblem(o!.buyer, refusal.free!, o!.value, `paying obligation '${id}'`);
      }
    }
    if (payment) this.clearing.confirmPayment(id, this.ledger, out as ClearingEvent[]);
    else this.clearing.confirmDelivery(id, this.ledger, out as ClearingEvent[]);
    return null;
  }

  /** Checks a void in full (the reason is the engine's to check), then unwinds the trade's obligation. */
  voidTrade(command: TradeVoidCommand, out: EngineEvent[]): Problem | null {
    const { trade, rule } = command;
    if (typeof trade !== "string" || trade.length === 0 || trade.length > TRADE_ID_LENGTH_MAX) {
      return problem("OBLIGATION_NOT_FOUND", { id: String(trade) });
    }
    if (typeof rule !== "string" || rule.trim() === "" || rule.length > RULE_REFERENCE_LENGTH_MAX) {
      return problem("FIELD_INVALID", {
        field: "rule",
        value: JSON.stringify(rule ?? null),
        rule: `a void names the rule the trade broke, 1 to ${RULE_REFERENCE_LENGTH_MAX} characters`,
      });
    }
    const id = obligationIdOf(trade);
    const refusal = this.clearing.checkVoid(id);
    if (refusal) {
      switch (refusal.code) {
        case "OBLIGATION_NOT_FOUND":
          return problem("OBLIGATION_NOT_FOUND", { id });
        case "OBLIGATION_NOT_OPEN":
          return problem("OBLIGATION_NOT_OPEN", { id, status: this.clearing.get(id)!.status });
        case "OBLIGATION_ALREADY_CONFIRMED":
          return problem("OBLIGATION_ALREADY_CONFIRMED", { id, leg: "delivery" });
      }
    }
    this.clearing.voidObligation(id, command.reason, rule, this.ledger, out as ClearingEvent[]);
    return null;
  }

  hasDue(nowMs: number): boolean {
    return this.clearing.hasDue(nowMs);
  }

  /** Forgets an instrument's finished obligations and their shipments (the engine calls this at the close). */
  pruneFinished(instrument: string): void {
    this.deliveries.forget(this.clearing.pruneFinished(instrument));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Delivery: stations, shipments, arrivals (delivery.ts has the rules).

  registerStation(command: StationRegisterCommand, nowMs: number, out: EngineEvent[]): Problem | null {
    const { station, member, name, region, document } = command;
    if (typeof station !== "string" || !isId(station)) {
      return problem("STATION_INVALID", { field: "id", value: show(station), rule: idRule });
    }
    if (this.deliveries.station(station)) return problem("STATION_EXISTS", { id: station });
    const found = typeof member === "string" ? this.members.member(member) : undefined;
    if (!found) return problem("MEMBER_NOT_FOUND", { id: String(member) });
    if (!found.roles.includes("buyer") && !found.roles.includes("broker")) {
      return problem("STATION_MEMBER_NOT_BUYER", { member: found.id });
    }
    if (!isText(name, NAME_LENGTH_MAX)) {
      return problem("STATION_INVALID", {
        field: "name",
        value: show(name),
        rule: `a name is 1 to ${NAME_LENGTH_MAX} characters without control characters`,
      });
    }
    if (typeof region !== "string" || !isId(region)) {
      return problem("STATION_INVALID", { field: "region", value: show(region), rule: idRule });
    }
    if (!isText(document, STATION_DOCUMENT_LENGTH_MAX)) {
      return problem("STATION_INVALID", {
        field: "document",
        value: show(document),
        rule: `the checked document's reference is 1 to ${STATION_DOCUMENT_LENGTH_MAX} characters without control characters`,
      });
    }
    const count = this.deliveries.stationsOf(found.id);
    if (count >= STATIONS_PER_MEMBER_MAX) {
      return problem("STATIONS_LIMIT", { member: found.id, count, max: STATIONS_PER_MEMBER_MAX });
    }
    this.deliveries.register({ id: station, member: found.id, name, region, document, registeredAtMs: nowMs }, out);
    return null;
  }

  /** `regionOf` gives an instrument's delivery region (null when it has no description). */
  dispatchShipment(
    command: ShipmentDispatchCommand,
    regionOf: (instrument: string) => string | null,
    nowMs: number,
    out: EngineEvent[],
  ): Problem | null {
    const { account, obligation: id, vehicle, waybill, quantity, date } = command;
    const o = typeof id === "string" ? this.clearing.get(id) : undefined;
    if (!o) return problem("OBLIGATION_NOT_FOUND", { id: String(id) });
    if (account !== o.seller) {
      return problem("SHIPMENT_NOT_PARTY", { account: String(account), party: "seller", obligation: o.id });
    }
    if (o.status !== "open") return problem("OBLIGATION_NOT_OPEN", { id: o.id, status: o.status });
    if (o.delivered) return problem("OBLIGATION_ALREADY_CONFIRMED", { id: o.id, leg: "delivery" });
    if (!isText(vehicle, VEHICLE_LENGTH_MAX)) {
      return problem("SHIPMENT_INVALID", {
        field: "vehicle",
        value: show(vehicle),
        rule: `a plate or wagon number is 1 to ${VEHICLE_LENGTH_MAX} characters without control characters`,
      });
    }
    if (!isText(waybill, WAYBILL_LENGTH_MAX)) {
      return problem("SHIPMENT_INVALID", {
        field: "waybill",
        value: show(waybill),
        rule: `a waybill number is 1 to ${WAYBILL_LENGTH_MAX} characters without control characters`,
      });
    }
    const totals = this.deliveries.totals(o.id);
    const remaining = o.quantity - totals.dispatchedKg;
    if (!isSafeWholeNumber(quantity) || quantity < 1) {
      return problem("SHIPMENT_INVALID", {
        field: "quantity",
        value: show(quantity),
        rule: `a quantity is a whole number of kg from 1 to the ${remaining} kg not yet dispatched`,
      });
    }
    // A day's slack either side: the seller writes its local date, the engine counts in UTC.
    const earliest = utcDate(o.tradeTimeMs - DAY_MS);
    const latest = utcDate(nowMs + DAY_MS);
    if (typeof date !== "string" || !isCalendarDate(date) || date < earliest || date > latest) {
      return problem("SHIPMENT_INVALID", {
        field: "date",
        value: show(date),
        rule: `a dispatch date is a real date YYYY-MM-DD from ${earliest} to ${latest}`,
      });
    }
    const used = this.deliveries.waybillShipment(o.seller, waybill);
    if (used !== undefined) {
      return problem("SHIPMENT_WAYBILL_DUPLICATE", { waybill, account: o.seller, shipment: used });
    }
    if (totals.count >= SHIPMENTS_PER_OBLIGATION_MAX) {
      return problem("SHIPMENTS_LIMIT", { obligation: o.id, count: totals.count, max: SHIPMENTS_PER_OBLIGATION_MAX });
    }
    if (quantity > remaining) {
      return problem("SHIPMENT_OVER_OBLIGATION", {
        quantity,
        obligation: o.id,
        total: totals.dispatchedKg + quantity,
        max: o.quantity,
      });
    }
    this.deliveries.dispatch(
      {
        obligation: o.id,
        instrument: o.instrument,
        region: regionOf(o.instrument),
        tradeTimeMs: o.tradeTimeMs,
        seller: o.seller,
        buyer: o.buyer,
        buyerMember: this.members.account(o.buyer)!.member,
        vehicle,
        waybill,
        quantity,
        obligationKg: o.quantity,
        date,
        dispatchedAtMs: nowMs,
      },
      out,
    );
    return null;
  }

  /** The buyer confirms an arrival; when arrivals cover the obligation, its delivery is done. */
  arriveShipment(command: ShipmentArriveCommand, nowMs: number, out: EngineEvent[]): Problem | null {
    const { account, shipment: id, station: stationId } = command;
    const shipment = typeof id === "string" ? this.deliveries.shipment(id) : undefined;
    if (!shipment) return problem("SHIPMENT_NOT_FOUND", { id: String(id) });
    if (account !== shipment.buyer) {
      return problem("SHIPMENT_NOT_PARTY", {
        account: String(account),
        party: "buyer",
        obligation: shipment.obligation,
      });
    }
    if (shipment.arrival !== null) {
      return problem("SHIPMENT_ALREADY_ARRIVED", { id: shipment.id, station: shipment.arrival.station });
    }
    const station = typeof stationId === "string" ? this.deliveries.station(stationId) : undefined;
    if (!station) return problem("STATION_NOT_FOUND", { id: String(stationId) });
    if (station.member !== shipment.buyerMember) {
      return problem("STATION_NOT_OWN", { station: station.id, owner: station.member, member: shipment.buyerMember });
    }
    const { arrivedKg, obligationKg } = this.deliveries.arrive(shipment.id, station, nowMs, out);
    const o = this.clearing.get(shipment.obligation);
    if (o && o.status === "open" && !o.delivered && arrivedKg === obligationKg) {
      this.clearing.confirmDelivery(o.id, this.ledger, out as ClearingEvent[]);
    }
    return null;
  }

  /** Does up to `budget` of the indexing a restore left for later; returns whether none is left (`Engine.warm`). */
  warm(budget: number): boolean {
    return this.clearing.warm(budget);
  }

  processDue(nowMs: number, out: EngineEvent[]): void {
    this.clearing.processDue(nowMs, this.ledger, out as ClearingEvent[]);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Checks and snapshots.

  /** Ledger conservation, and blocked amounts equal to what live orders and open obligations require. */
  checkInvariants(orders: Iterable<OrderRecord>, basisOf: (order: OrderRecord) => string | null): void {
    this.ledger.checkInvariants();
    const need = this.clearing.required();
    // The live orders' blocks, summed per account: money, and gas per basis. The server runs this check
    // periodically, so the walk over every order builds no string and no bigint per order: plain numbers, each a sum
    // of blocks below 2^53, moved into the bigint total whenever one more could pass 2^53.
    const sums = new Map<string, { money: number; gas: Map<string, number> }>();
    const flush = (account: string, asset: string, amount: number) => {
      const k = `${memberAccount(account, ORDERS)}|${asset}`;
      need.set(k, (need.get(k) ?? 0n) + BigInt(amount));
    };
    for (const order of orders) {
      if (order.status !== "resting") continue;
      const basis = basisOf(order);
      if (basis === null) continue; // an instrument without clearing blocks nothing
      let held = sums.get(order.account);
      if (held === undefined) {
        held = { money: 0, gas: new Map() };
        sums.set(order.account, held);
      }
      if (order.side === "buy") {
        const block = orderBlock(order);
        if (held.money + block > Number.MAX_SAFE_INTEGER) {
          flush(order.account, MONEY, held.money);
          held.money = 0;
        }
        held.money += block;
      } else {
        const sum = held.gas.get(basis) ?? 0;
        if (sum + order.open > Number.MAX_SAFE_INTEGER) {
          flush(order.account, gasAsset(basis), sum);
          held.gas.set(basis, order.open);
        } else held.gas.set(basis, sum + order.open);
      }
    }
    for (const [account, held] of sums) {
      if (held.money > 0) flush(account, MONEY, held.money);
      for (const [basis, sum] of held.gas) if (sum > 0) flush(account, gasAsset(basis), sum);
    }
    for (const { account, asset, balance } of this.ledger.entries()) {
      const bucket = account.slice(account.lastIndexOf("/") + 1);
      if (bucket !== ORDERS && bucket !== OBLIGATIONS && account !== CLEARING_SETTLEMENT) continue;
      const k = `${account}|${asset}`;
      const required = need.get(k) ?? 0n;
      invariant(balance === required, () => `${account} holds ${balance} ${asset} but ${required} is required`);
      need.delete(k);
    }
    for (const [k, required] of need)
      invariant(required === 0n, () => `${k} holds nothing but ${required} is required`);
    // Delivery: the shipments agree with their indexes, and an open obligation whose arrivals cover it is delivered.
    this.deliveries.checkInvariants((id) => this.clearing.get(id)?.quantity);
    for (const o of this.clearing.all()) {
      if (o.status !== "open" || o.delivered) continue;
      const { arrivedKg } = this.deliveries.totals(o.id);
      invariant(arrivedKg < o.quantity, () => `obligation ${o.id} arrived in full but is not delivered`);
    }
  }

  snapshot(): ClearingHouseSnapshot {
    return {
      members: this.members.snapshot(),
      ledger: this.ledger.snapshot(),
      clearing: this.clearing.snapshot(),
      references: [...this.references].sort(),
      ...(this.deliveries.empty ? {} : { delivery: this.deliveries.snapshot() }),
    };
  }
}

const DAY_MS = 86_400_000;
const idRule = `an id is 1 to ${ID_LENGTH_MAX} printable characters without spaces`;

/** Text for people: 1 to `lengthMax` characters, not only spaces, no control characters. */
function isText(value: unknown, lengthMax: number): value is string {
  return typeof value === "string" && value.trim() !== "" && value.length <= lengthMax && !/\p{Cc}/u.test(value);
}

function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = typeof value === "string" ? `'${value}'` : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The first and last days (counted from 1970-01-01) of the calendar's years, 1900–2199. */
const FIRST_CALENDAR_DAY = -25_567; // 1900-01-01
const LAST_CALENDAR_DAY = 84_005; // 2199-12-31

/**
 * The UTC date of a time, YYYY-MM-DD, by the engine's own day arithmetic (calendar.ts; no Date, no clock). Engine
 * time may be any safe integer, so the day is clamped to the calendar's years: the text always has four-digit years
 * and compares as dates do, and a shipment's date (a calendar date, 1900–2199) is judged against it correctly.
 */
export function utcDate(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  return isoDateOfDay(Math.max(FIRST_CALENDAR_DAY, Math.min(LAST_CALENDAR_DAY, day)));
}

function orderBlock(order: OrderRecord): number {
  return order.blockPerTonne * tonnes(order.open);
}
