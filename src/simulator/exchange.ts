/**
 * The in-process exchange the policy lab runs on: the real engine (src/engine), driven by sequenced commands on the
 * simulation clock, with two faces.
 * - `port(account)` gives an agent its MarketPort (port.ts), which turns orders into `order.new` commands and reads
 *   public data and the account's fills from the engine's state and events.
 * - The operator's and regulator's methods (listing, sessions, safeguards, supply plans, halts, deposits, gas
 *   declarations, settlement) are called by the runner, never by agents, as the exchange staff and the banks would.
 *
 * Every change goes through `Engine.apply({seq, timeMs, command})`: risk, collateral, the ledger, obligations and
 * the safeguards are the engine's own. Time never goes backwards: `setTime` refuses to.
 *
 * Promises: an operator command the engine refuses is a bug in the simulation and throws (`SimulationError`); an
 * agent's order the engine refuses is answered with its code and counted in `rejections`.
 */

import { orderIdOf } from "../domain/ids.ts";
import type { Command } from "../engine/commands.ts";
import { Engine } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import { FREE, gasAsset, MONEY, memberAccount } from "../engine/ledger.ts";
import { priceLimitsAt, type Safeguards } from "../engine/safeguards.ts";
import type {
  Balances,
  Fill,
  InstrumentFilter,
  InstrumentView,
  MarketPort,
  OrderOutcome,
  OrderRequest,
  PhaseName,
  SessionResult,
} from "./port.ts";

export class SimulationError extends Error {
  override readonly name = "SimulationError";
}

export interface ListingTerms {
  readonly instrument: string;
  readonly basis: string;
  readonly region: string;
  readonly deliveryPeriod: string;
  readonly name: string;
  readonly tickTiynPerTonne: number;
  readonly lotKg: number;
  readonly referenceTiynPerTonne: number;
  readonly collateralBps: number;
  readonly feeBps: number;
  readonly paymentWindowMs: number;
  readonly deliveryWindowMs: number;
}

interface OrderTag {
  readonly account: string;
  readonly clientOrderId: string;
}

/**
 * How far the clock moves before each agent message (an order or a cancel): members' messages reach the exchange one
 * after another, not all at the same millisecond. More than a second, so that no two honest messages fall within the
 * one-second windows of the surveillance rules (coordinated bidding, automated entry); a session's few hundred
 * messages still take minutes of its hours. Manipulators that act together use a shorter gap of their own.
 */
export const AGENT_MESSAGE_GAP_MS = 1_100;

/** Largest amount one deposit may carry here; bigger top-ups are split (the engine's own limit is higher). */
const DEPOSIT_TIYN_MAX = 1_000_000_000_000_000;

export class InProcessExchange {
  readonly engine = new Engine();
  private seq = 0;
  private nowMs = 0;
  private depositCounter = 0;
  private readonly fillQueues = new Map<string, Fill[]>();
  private readonly orderTags = new Map<string, OrderTag>();
  private readonly results = new Map<string, SessionResult>();
  /** Obligations opened since the last settlement, in trade order. */
  private pendingObligations: string[] = [];
  /** Instruments whose order collection is open, in the order they opened. */
  private open: string[] = [];
  private readonly descriptions = new Map<string, { basis: string; region: string }>();
  /** Refused agent orders by error code. */
  readonly rejections = new Map<string, number>();
  commandCount = 0;
  eventCount = 0;
  /** Called with every event, for observers (e.g. a journal or a surveillance feed); none by default. */
  onEvents: ((events: readonly EngineEvent[]) => void) | null = null;
  /** Called with every sequenced command and its events, as a journal would record them; none by default. */
  onApplied: ((seq: number, timeMs: number, command: Command, events: readonly EngineEvent[]) => void) | null = null;

  get timeMs(): number {
    return this.nowMs;
  }

  setTime(timeMs: number): void {
    if (timeMs < this.nowMs) throw new SimulationError(`time ${timeMs} before ${this.nowMs}`);
    this.nowMs = timeMs;
  }

  /** Applies one command at the current simulation time; returns its events. */
  apply(command: Command): EngineEvent[] {
    const events = this.engine.apply({ seq: ++this.seq, timeMs: this.nowMs, command });
    this.commandCount++;
    this.eventCount += events.length;
    for (const event of events) {
      if (event.type === "trade") this.route(event);
      else if (event.type === "obligation.created") this.pendingObligations.push(event.obligation.id);
      else if (event.type === "auction.uncrossed") {
        this.results.set(event.instrument, {
          instrument: event.instrument,
          timeMs: this.nowMs,
          priceTiynPerTonne: event.price,
          volumeKg: event.volume,
        });
      }
    }
    if (this.onEvents) this.onEvents(events);
    if (this.onApplied) this.onApplied(this.seq, this.nowMs, command, events);
    return events;
  }

  /** An operator command that must succeed. */
  private must(command: Command): EngineEvent[] {
    const events = this.apply(command);
    const refused = events.find((e) => e.type === "rejected");
    if (refused && refused.type === "rejected") {
      throw new SimulationError(`${command.type} refused: ${refused.code}: ${refused.message}`);
    }
    return events;
  }

  private route(event: EngineEvent & { type: "trade" }): void {
    for (const side of ["buy", "sell"] as const) {
      const orderId = side === "buy" ? event.buyOrderId : event.sellOrderId;
      const tag = this.orderTags.get(orderId)!;
      let queue = this.fillQueues.get(tag.account);
      if (!queue) {
        queue = [];
        this.fillQueues.set(tag.account, queue);
      }
      queue.push({
        instrument: event.instrument,
        clientOrderId: tag.clientOrderId,
        side,
        priceTiynPerTonne: event.price,
        quantityKg: event.quantity,
        tradeId: event.tradeId,
      });
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Members, money and gas (the operator and the banks).

  addProducer(member: string, name: string): void {
    this.must({ type: "member.add", member, name, roles: ["producer"] });
    this.must({ type: "account.open", account: member, member });
  }

  addBuyer(member: string, name: string): void {
    this.must({ type: "member.add", member, name, roles: ["buyer"], buyerCategory: "filling-station-network" });
    this.must({ type: "account.open", account: member, member });
  }

  /** A member that may buy and sell (a trader), with one account of the same id. */
  addTrader(member: string, name: string): void {
    this.must({ type: "member.add", member, name, roles: ["producer", "buyer"], buyerCategory: "wholesaler" });
    this.must({ type: "account.open", account: member, member });
  }

  /** The operator records that `member` belongs to the group of persons `group`. */
  group(member: string, group: string, reason: string): void {
    this.must({ type: "member.group", member, group, evidence: `scenario: ${group}`, reason });
  }

  deposit(account: string, amountTiyn: number): void {
    let left = Math.floor(amountTiyn);
    while (left > 0) {
      const amount = Math.min(left, DEPOSIT_TIYN_MAX);
      this.must({ type: "money.deposit", account, amount, reference: `dep-${++this.depositCounter}` });
      left -= amount;
    }
  }

  declareGas(account: string, basis: string, quantityKg: number): void {
    if (quantityKg > 0) this.must({ type: "gas.declare", account, basis, quantity: quantityKg });
  }

  withdrawGas(account: string, basis: string, quantityKg: number): void {
    if (quantityKg > 0) this.must({ type: "gas.withdraw", account, basis, quantity: quantityKg });
  }

  freeGasKg(account: string, basis: string): number {
    return Number(this.engine.clearingHouse.ledger.balance(memberAccount(account, FREE), gasAsset(basis)));
  }

  freeMoneyTiyn(account: string): bigint {
    return this.engine.clearingHouse.ledger.balance(memberAccount(account, FREE), MONEY);
  }

  /**
   * Settles every obligation opened since the last call: each buyer pays its invoices by one bank transfer into its
   * exchange account (so its collateral buffer stays whole), the payments and deliveries are confirmed, and each buyer
   * lifts the gas delivered to it at each basis. Returns the number of obligations settled.
   */
  settle(): number {
    const pending = this.pendingObligations;
    this.pendingObligations = [];
    const open = pending
      .map((id) => this.engine.clearingHouse.clearing.get(id)!)
      .filter((o) => o !== undefined && o.status === "open");
    const owed = new Map<string, number>();
    const lift = new Map<string, { buyer: string; basis: string; kg: number }>();
    for (const o of open) {
      owed.set(o.buyer, (owed.get(o.buyer) ?? 0) + o.value);
      const key = `${o.buyer}|${o.basis}`;
      const entry = lift.get(key) ?? { buyer: o.buyer, basis: o.basis, kg: 0 };
      entry.kg += o.quantity;
      lift.set(key, entry);
    }
    for (const [buyer, value] of owed) this.deposit(buyer, value);
    for (const o of open) {
      this.must({ type: "obligation.confirmPayment", obligation: o.id });
      this.must({ type: "obligation.confirmDelivery", obligation: o.id });
    }
    for (const { buyer, basis, kg } of lift.values()) this.withdrawGas(buyer, basis, kg);
    return open.length;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Listing, sessions and the regulator's controls.

  list(terms: ListingTerms): void {
    this.descriptions.set(terms.instrument, { basis: terms.basis, region: terms.region });
    this.must({
      type: "instrument.list",
      instrument: terms.instrument,
      description: {
        product: "propane-butane",
        basis: terms.basis,
        region: terms.region,
        deliveryPeriod: terms.deliveryPeriod,
        name: terms.name,
      },
      mode: "call",
      tickSize: terms.tickTiynPerTonne,
      lotSize: terms.lotKg,
      referencePrice: terms.referenceTiynPerTonne,
      clearing: {
        basis: terms.basis,
        collateralBps: terms.collateralBps,
        feeBps: terms.feeBps,
        paymentWindowMs: terms.paymentWindowMs,
        deliveryWindowMs: terms.deliveryWindowMs,
        buyerDefaultCollateralTo: "seller",
        sellerPenaltyBps: 1000,
      },
    });
  }

  setSafeguards(instrument: string, changes: Partial<Safeguards>, reason: string): void {
    this.must({ type: "safeguards.set", instrument, changes, reason });
  }

  planSupply(month: string, producer: string, basis: string, plannedKg: number, reason: string): void {
    this.must({ type: "supply.plan", month, producer, basis, plannedKg, reason });
  }

  halt(type: "halt" | "resume", scope: "market" | "region", region: string | null, reason: string): void {
    const events = this.apply({ type, scope, ...(region === null ? {} : { region }), reason });
    const refused = events.find((e) => e.type === "rejected");
    // Resuming what is not halted (or halting a region with no instrument yet) is not an error for a scenario.
    if (refused && refused.type === "rejected" && refused.code !== "NOTHING_TO_RESUME") {
      if (refused.code !== "HALT_SCOPE_INVALID") throw new SimulationError(`${type} refused: ${refused.message}`);
    }
  }

  phase(instrument: string): PhaseName {
    return this.engine.market(instrument)!.phase;
  }

  /** Opens a call session's order collection. */
  openSession(instrument: string): void {
    this.must({ type: "phase.set", instrument, phase: "collection" });
    this.open.push(instrument);
  }

  /**
   * Runs the uncross (the session's call auction) and returns its result with the quantities offered and bid; DAY
   * orders left over expire.
   */
  closeSession(instrument: string): { result: SessionResult; offeredKg: number; bidKg: number } {
    const market = this.engine.market(instrument)!;
    let offeredKg = 0;
    let bidKg = 0;
    for (const level of market.depth("sell")) offeredKg += level.quantity;
    for (const level of market.depth("buy")) bidKg += level.quantity;
    this.results.delete(instrument);
    this.must({ type: "phase.set", instrument, phase: "uncross" });
    this.open = this.open.filter((id) => id !== instrument);
    const result = this.results.get(instrument) ?? {
      instrument,
      timeMs: this.nowMs,
      priceTiynPerTonne: null,
      volumeKg: 0,
    };
    return { result, offeredKg, bidKg };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Public data and ports.

  view(instrument: string): InstrumentView {
    const market = this.engine.market(instrument);
    if (!market) throw new SimulationError(`no instrument ${instrument}`);
    const description = market.spec.description!;
    const limits = priceLimitsAt(market.safeguards, market.bandReference, market.spec.tickSize, this.engine.nowMs);
    const asks = market.depth("sell");
    let offeredKg = 0;
    for (const level of asks) offeredKg += level.quantity;
    return {
      instrument,
      basis: description.basis,
      region: description.region,
      deliveryPeriod: description.deliveryPeriod,
      phase: market.phase,
      tickTiynPerTonne: market.spec.tickSize,
      lotKg: market.spec.lotSize,
      referenceTiynPerTonne: limits.bandReference,
      bandLowTiynPerTonne: limits.band?.low ?? null,
      bandHighTiynPerTonne: limits.band?.high ?? null,
      ceilingTiynPerTonne: limits.ceiling,
      floorTiynPerTonne: limits.floor,
      maxShareBps: limits.maxShareBps,
      offeredKg,
      bestAskTiynPerTonne: asks[0]?.price ?? null,
    };
  }

  /** Instruments open for orders now (in listing order), optionally of one basis or region. */
  openInstruments(filter?: InstrumentFilter): string[] {
    return this.open.filter((id) => {
      const d = this.descriptions.get(id)!;
      return (
        (filter?.basis === undefined || d.basis === filter.basis) &&
        (filter?.region === undefined || d.region === filter.region)
      );
    });
  }

  lastResult(instrument: string): SessionResult | null {
    return this.results.get(instrument) ?? null;
  }

  /** Cancels an agent's order (the clock moves by `gapMs` first, as for every agent message). */
  cancelFor(account: string, clientOrderId: string, gapMs = AGENT_MESSAGE_GAP_MS): void {
    this.nowMs += gapMs;
    this.apply({ type: "order.cancel", orderId: orderIdOf(account, clientOrderId) });
  }

  submitFor(account: string, orders: readonly OrderRequest[], gapMs = AGENT_MESSAGE_GAP_MS): OrderOutcome[] {
    const outcomes: OrderOutcome[] = [];
    for (const order of orders) {
      this.nowMs += gapMs;
      const orderId = orderIdOf(account, order.clientOrderId);
      this.orderTags.set(orderId, { account, clientOrderId: order.clientOrderId });
      const events = this.apply({
        type: "order.new",
        instrument: order.instrument,
        orderId,
        account,
        side: order.side,
        orderType: "limit",
        price: order.priceTiynPerTonne,
        quantity: order.quantityKg,
        tif: "DAY",
      });
      const refused = events.find((e) => e.type === "rejected");
      if (refused && refused.type === "rejected") {
        this.orderTags.delete(orderId);
        this.rejections.set(refused.code, (this.rejections.get(refused.code) ?? 0) + 1);
        outcomes.push({ clientOrderId: order.clientOrderId, accepted: false, code: refused.code });
      } else {
        outcomes.push({ clientOrderId: order.clientOrderId, accepted: true, code: null });
      }
    }
    return outcomes;
  }

  /** Forgets the tags of orders that can no longer fill (after a session closed), to keep memory flat. */
  forgetDoneOrders(): void {
    for (const orderId of this.orderTags.keys()) {
      const order = this.engine.order(orderId);
      if (order?.status !== "resting") this.orderTags.delete(orderId);
    }
  }

  takeFills(account: string): Fill[] {
    const queue = this.fillQueues.get(account);
    if (!queue || queue.length === 0) return [];
    this.fillQueues.set(account, []);
    return queue;
  }

  /** The port of an agent trading on `account`; its messages are `gapMs` apart (see AGENT_MESSAGE_GAP_MS). */
  port(account: string, gapMs = AGENT_MESSAGE_GAP_MS): MarketPort {
    return new EnginePort(this, account, gapMs);
  }
}

/** The in-process MarketPort: answers at once from the engine. */
class EnginePort implements MarketPort {
  constructor(
    private readonly exchange: InProcessExchange,
    readonly account: string,
    private readonly gapMs: number,
  ) {}

  async instruments(filter?: InstrumentFilter): Promise<readonly InstrumentView[]> {
    return this.exchange.openInstruments(filter).map((id) => this.exchange.view(id));
  }

  async lastResult(instrument: string): Promise<SessionResult | null> {
    return this.exchange.lastResult(instrument);
  }

  async submit(orders: readonly OrderRequest[]): Promise<readonly OrderOutcome[]> {
    return this.exchange.submitFor(this.account, orders, this.gapMs);
  }

  async cancel(clientOrderIds: readonly string[]): Promise<void> {
    for (const id of clientOrderIds) this.exchange.cancelFor(this.account, id, this.gapMs);
  }

  async fills(): Promise<readonly Fill[]> {
    return this.exchange.takeFills(this.account);
  }

  async balances(basis: string): Promise<Balances> {
    return {
      freeMoneyTiyn: this.exchange.freeMoneyTiyn(this.account),
      freeGasKg: BigInt(this.exchange.freeGasKg(this.account, basis)),
    };
  }
}
