/**
 * A buyer agent: a filling-station network in one region. It buys at the exchange for what it expects to sell,
 * holds stock at its stations, and sets its retail price.
 *
 * Bidding (each session, in every open instrument delivering to its region): the network orders up to its expected
 * sales over the time until gas bought now arrives (transit, averaged over the plants it buys from), until the next
 * session, and a safety stock, less what it holds and has in transit. Expected sales at a
 * delivered unit cost w are its smoothed recent demand scaled by the drivers' demand response to the retail price it
 * would then charge (cost × (1 + markup) + station cost, never above a retail cap; at a cost where even the minimum markup breaks
 * the cap it buys nothing). So it bids a downward-sloping demand schedule: a step of quantity at each price of a grid
 * around the best offer it sees (or the reference price), less what it holds and has in transit. Its need is split
 * over the instruments cheapest delivered cost first (price + transport from that plant), each up to about its share
 * of the quantity offered there; it never bids above the delivered cost of another plant's offer (+2%) that could cover all of it. Bids respect
 * the band and ceiling in force and the buyer concentration limit (it reads the offered quantity and trims its lowest
 * bids first).
 *
 * Retail pricing: the target is the unit cost of its recent purchases (the last `costWindowSessions` days it bought,
 * off-exchange allocations included) times (1 + markup), in tenge per litre at the scenario's density, plus the
 * station's cost per litre, capped where a
 * cap is in force; the price moves toward the target by a share per day, faster up than down (pass-through speed).
 *
 * It acts on the exchange only through its MarketPort; the runner moves its gas from the exchange to its stations.
 */

import type { ConstraintLog } from "./constraints.ts";
import { type DemandCurve, demandFactor } from "./drivers.ts";
import type { InstrumentView, MarketPort, OrderRequest } from "./port.ts";
import type { Random } from "./random.ts";
import { tengePerLitre, tengePerTonneFromLitre, toLotKg } from "./units.ts";

export interface BuyerSettings {
  readonly markup: number;
  /** Station operating cost and margin per litre, added after the markup. */
  readonly stationCostTengePerLitre: number;
  readonly minMarkup: number;
  readonly passThroughUp: number;
  readonly passThroughDown: number;
  readonly costWindowSessions: number;
  readonly safetyStockDays: number;
  readonly bidGrid: readonly number[];
  readonly demandSmoothing: number;
  readonly densityKgPerLitre: number;
  readonly curve: DemandCurve;
  readonly referenceRetailTengePerLitre: number;
  /** Most of an instrument's offer a network plans to take, as a multiple of its market share. */
  readonly offerShareMultiple: number;
  /** Premium (fraction) a network pays at most over the delivered cost of another plant's offer that covers its need. */
  readonly switchPremium: number;
  /** Standard deviation (fraction) of the random factor on a network's bid prices. */
  readonly bidJitter: number;
  /** Retail margins that widen when supply is scarce (`scarcityMarkup`). */
  readonly scarcity: ScarcitySettings;
}

/**
 * Scarcity widens the markup: a network's scarcity is its smoothed share of demand it could not serve (weight
 * `smoothing` on the latest day); above `from` its markup rises over its base markup in proportion, by
 * `extraMax` × min(1, (scarcity − from) / (fullAt − from)). Off when `extraMax` is 0.
 */
export interface ScarcitySettings {
  readonly extraMax: number;
  readonly from: number;
  readonly fullAt: number;
  readonly smoothing: number;
}

/** The markup at a scarcity (0..1): never below the base markup, never above base + extraMax, non-decreasing. */
export function scarcityMarkup(markup: number, scarcity: number, s: ScarcitySettings): number {
  if (s.extraMax <= 0 || !(scarcity > s.from)) return markup;
  return markup + s.extraMax * Math.min(1, (scarcity - s.from) / (s.fullAt - s.from));
}

/** What the buyer knows that is not market data: today, the calendar, logistics and retail rules. */
export interface BuyerDay {
  readonly day: number;
  /** Days from today to the next trading day. */
  readonly daysToNextSession: number;
  readonly retailCapTengePerLitre: number | null;
  /** Transport cost and transit days from each plant to this region. */
  readonly logistics: ReadonlyMap<string, { readonly costTengePerTonne: number; readonly transitDays: number }>;
  /**
   * Instruments traded before their delivery month (`rules.nextMonthFromDay`) → the day their delivery month starts.
   * A purchase on one enters the retail cost basis on that day, not on the day it is bought.
   */
  readonly deliveryStartDay?: ReadonlyMap<string, number>;
}

interface Purchase {
  kg: number;
  valueTenge: number;
}

export interface BuyerTotals {
  boughtKg: number;
  boughtValueTenge: number;
  offExchangeKg: number;
  salesKg: number;
  revenueTenge: number;
}

export class Buyer {
  stockKg: number;
  retailTengePerLitre: number;
  private readonly transit: { arrivalDay: number; kg: number }[] = [];
  /** Purchases by day (newest last), for the retail cost basis. */
  private readonly window: Purchase[] = [];
  private today: Purchase = { kg: 0, valueTenge: 0 };
  /** Purchases for a later delivery month: they enter the cost basis on `fromDay` (the delivery month's first day). */
  private readonly pending: (Purchase & { fromDay: number })[] = [];
  private demandPerDayKg: number;
  /** Smoothed share of demand this network could not serve, 0..1 (`ScarcitySettings`). */
  private scarcity = 0;
  private orders = new Map<string, { plant: string }>();
  private orderCounter = 0;
  readonly totals: BuyerTotals = { boughtKg: 0, boughtValueTenge: 0, offExchangeKg: 0, salesKg: 0, revenueTenge: 0 };

  constructor(
    readonly id: string,
    readonly region: string,
    readonly baseShare: number,
    expectedDailyKg: number,
    initialStockKg: number,
    initialUnitCostTengePerTonne: number,
    private readonly settings: BuyerSettings,
    private readonly port: MarketPort,
    private readonly random: Random,
    private readonly constraints: ConstraintLog | null = null,
  ) {
    this.stockKg = initialStockKg;
    this.demandPerDayKg = expectedDailyKg;
    this.retailTengePerLitre = settings.referenceRetailTengePerLitre;
    this.window.push({ kg: expectedDailyKg, valueTenge: (initialUnitCostTengePerTonne * expectedDailyKg) / 1000 });
  }

  get inTransitKg(): number {
    let sum = 0;
    for (const t of this.transit) sum += t.kg;
    return sum;
  }

  /** The markup in force: the region's, widened by scarcity. */
  get markup(): number {
    return scarcityMarkup(this.settings.markup, this.scarcity, this.settings.scarcity);
  }

  /** The retail price the network would set at a delivered unit cost, or null if a cap makes it a loss. */
  private retailAt(costTengePerTonne: number, cap: number | null): number | null {
    const s = this.settings;
    const wanted =
      tengePerLitre(costTengePerTonne * (1 + this.markup), s.densityKgPerLitre) + s.stationCostTengePerLitre;
    if (cap === null) return wanted;
    const least =
      tengePerLitre(costTengePerTonne * (1 + s.minMarkup), s.densityKgPerLitre) + s.stationCostTengePerLitre;
    if (least > cap) return null;
    return Math.min(cap, wanted);
  }

  /** Quantity (kg) the network wants to hold in new purchases at a delivered unit cost. */
  private needAt(costTengePerTonne: number, horizonDays: number, cap: number | null): number {
    const retail = this.retailAt(costTengePerTonne, cap);
    if (retail === null) return 0;
    const c = this.settings.curve;
    const expected =
      this.demandPerDayKg * (demandFactor(retail, 1, c) / demandFactor(this.retailTengePerLitre, 1, c)) * horizonDays;
    return Math.max(0, expected - this.stockKg - this.inTransitKg);
  }

  async trade(day: BuyerDay): Promise<void> {
    const views = (await this.port.instruments({ region: this.region })).filter((v) => v.offeredKg > 0);
    this.orders = new Map();
    if (views.length === 0) return;
    const anchors = views.map((v) => (v.bestAskTiynPerTonne ?? v.referenceTiynPerTonne ?? 0) / 100);
    const delivered = views.map((v, i) => anchors[i]! + day.logistics.get(v.basis)!.costTengePerTonne);
    // Split the need: cheapest delivered offer first, up to about this network's share of what is offered there, then
    // the next cheapest (water-filling); what is left goes pro rata. The split is fixed at the need at the cheapest
    // offer; the schedule at other prices keeps it.
    const order = views.map((_, j) => j).sort((a, b) => delivered[a]! - delivered[b]! || a - b);
    const referenceNeed = this.needAt(
      delivered[order[0]!]!,
      this.horizon(
        views,
        order.map((j) => (j === order[0] ? 1 : 0)),
        day,
      ),
      day.retailCapTengePerLitre,
    );
    const fractions = views.map(() => 0);
    let left = referenceNeed;
    for (const j of order) {
      const take = Math.min(left, views[j]!.offeredKg * Math.min(1, this.baseShare * this.settings.offerShareMultiple));
      fractions[j] = take;
      left -= take;
    }
    const taken = fractions.reduce((a, b) => a + b, 0);
    if (taken > 0) for (let j = 0; j < fractions.length; j++) fractions[j] = fractions[j]! / taken;
    else fractions[order[0]!] = 1;
    const horizon = this.horizon(views, fractions, day);
    const orders: OrderRequest[] = [];
    for (let j = 0; j < views.length; j++) {
      if (fractions[j]! <= 0) continue;
      // Never pay more here than the delivered cost of another plant's offer that could cover the whole need, plus
      // a little for speed.
      let alternative = Number.POSITIVE_INFINITY;
      for (let k = 0; k < views.length; k++) {
        const covers =
          views[k]!.offeredKg * Math.min(1, this.baseShare * this.settings.offerShareMultiple) >= referenceNeed;
        if (k !== j && covers) alternative = Math.min(alternative, delivered[k]! * (1 + this.settings.switchPremium));
      }
      const capTenge = alternative - day.logistics.get(views[j]!.basis)!.costTengePerTonne;
      this.bidOn(views[j]!, anchors[j]!, fractions[j]!, horizon, capTenge, day, orders);
    }
    if (orders.length === 0) return;
    const outcomes = await this.port.submit(orders);
    for (let i = 0; i < outcomes.length; i++) {
      if (!outcomes[i]!.accepted) this.orders.delete(orders[i]!.clientOrderId);
    }
  }

  /** Order-up-to horizon (days): until the next session, the transit of the plants bought from, and safety. */
  private horizon(views: readonly InstrumentView[], fractions: readonly number[], day: BuyerDay): number {
    let transit = 0;
    for (let j = 0; j < views.length; j++) transit += fractions[j]! * day.logistics.get(views[j]!.basis)!.transitDays;
    return day.daysToNextSession + transit + this.settings.safetyStockDays;
  }

  private bidOn(
    v: InstrumentView,
    anchorTengePerTonne: number,
    weight: number,
    horizon: number,
    capTengePerTonne: number,
    day: BuyerDay,
    out: OrderRequest[],
  ): void {
    const transport = day.logistics.get(v.basis)!.costTengePerTonne;
    const high = Math.min(
      v.bandHighTiynPerTonne ?? Number.POSITIVE_INFINITY,
      v.ceilingTiynPerTonne ?? Number.POSITIVE_INFINITY,
      Math.max(v.tickTiynPerTonne, Math.floor((capTengePerTonne * 100) / v.tickTiynPerTonne) * v.tickTiynPerTonne),
    );
    const low = Math.max(v.bandLowTiynPerTonne ?? v.tickTiynPerTonne, v.floorTiynPerTonne ?? v.tickTiynPerTonne);
    const jitter = 1 + this.settings.bidJitter * this.random.normal();
    const prices: number[] = [];
    for (const step of this.settings.bidGrid) {
      const wish = anchorTengePerTonne * 100 * (1 + step) * jitter;
      const price = Math.min(high, Math.max(low, Math.round(wish / v.tickTiynPerTonne) * v.tickTiynPerTonne));
      if (prices[prices.length - 1] !== price && !prices.includes(price)) prices.push(price);
    }
    prices.sort((a, b) => a - b);
    // Whole lots wanted at each price, non-increasing in price.
    const lotsAt = prices.map((p) =>
      Math.floor(
        toLotKg(this.needAt(p / 100 + transport, horizon, day.retailCapTengePerLitre) * weight, v.lotKg) / v.lotKg,
      ),
    );
    for (let k = lotsAt.length - 2; k >= 0; k--) lotsAt[k] = Math.max(lotsAt[k]!, lotsAt[k + 1]!);
    const steps = prices.map((_, k) => lotsAt[k]! - (lotsAt[k + 1] ?? 0));
    if (v.maxShareBps !== null) {
      // Keep within the concentration limit, one lot of margin for rounding; give up the lowest bids first.
      let allowedLots = Math.floor((v.offeredKg * v.maxShareBps) / 10_000 / v.lotKg) - 1;
      let trimmedLots = 0;
      for (let k = steps.length - 1; k >= 0; k--) {
        const kept = Math.max(0, Math.min(steps[k]!, allowedLots));
        trimmedLots += Math.max(0, steps[k]!) - kept;
        steps[k] = kept;
        allowedLots -= steps[k]!;
      }
      this.constraints?.add(this.region, "buyerLimit", trimmedLots * v.lotKg);
    }
    for (let k = 0; k < prices.length; k++) {
      if (steps[k]! <= 0) continue;
      const clientOrderId = `b${++this.orderCounter}`;
      this.orders.set(clientOrderId, { plant: v.basis });
      out.push({
        instrument: v.instrument,
        side: "buy",
        priceTiynPerTonne: prices[k]!,
        quantityKg: steps[k]! * v.lotKg,
        clientOrderId,
      });
    }
  }

  /** After the session: what it bought goes into transit. Returns kg bought per plant. */
  async afterSession(day: BuyerDay): Promise<Map<string, number>> {
    const bought = new Map<string, number>();
    for (const fill of await this.port.fills()) {
      const tag = this.orders.get(fill.clientOrderId);
      if (!tag) throw new Error(`invariant: buyer ${this.id} got a fill for unknown order ${fill.clientOrderId}`);
      const logistics = day.logistics.get(tag.plant)!;
      const priceTenge = fill.priceTiynPerTonne / 100;
      const costFromDay = day.deliveryStartDay?.get(fill.instrument);
      this.receive(
        fill.quantityKg,
        priceTenge + logistics.costTengePerTonne,
        day.day + logistics.transitDays,
        costFromDay !== undefined && costFromDay > day.day ? costFromDay : null,
      );
      this.totals.boughtKg += fill.quantityKg;
      this.totals.boughtValueTenge += (priceTenge * fill.quantityKg) / 1000;
      bought.set(tag.plant, (bought.get(tag.plant) ?? 0) + fill.quantityKg);
    }
    return bought;
  }

  /** A retail cap in force holds the price at once. */
  applyCap(cap: number | null): void {
    if (cap !== null && this.retailTengePerLitre > cap) this.retailTengePerLitre = cap;
  }

  /** Gas already on its way when the run starts (bought before it, at the initial cost). */
  preload(kg: number, arrivalDay: number): void {
    this.transit.push({ arrivalDay, kg });
  }

  /**
   * Gas on its way: arrives at the stations on `arrivalDay`, at a delivered unit cost. Its cost enters the retail cost
   * basis today, or on `costFromDay` (morning) when it is bought for a later delivery month: stations reprice when
   * the month's deliveries start, not when they buy. (The gas itself is moved at once: the stock is one pool.)
   */
  receive(kg: number, deliveredTengePerTonne: number, arrivalDay: number, costFromDay: number | null = null): void {
    this.transit.push({ arrivalDay, kg });
    const valueTenge = (deliveredTengePerTonne * kg) / 1000;
    if (costFromDay === null) {
      this.today.kg += kg;
      this.today.valueTenge += valueTenge;
    } else {
      this.pending.push({ kg, valueTenge, fromDay: costFromDay });
    }
  }

  receiveOffExchange(kg: number, deliveredTengePerTonne: number, arrivalDay: number): void {
    this.receive(kg, deliveredTengePerTonne, arrivalDay);
    this.totals.offExchangeKg += kg;
  }

  /** Morning: deliveries due today reach the stations; purchases whose delivery month starts today enter the cost. */
  unload(day: number): void {
    let waiting = 0;
    for (const p of this.pending) {
      if (p.fromDay <= day) {
        this.today.kg += p.kg;
        this.today.valueTenge += p.valueTenge;
      } else this.pending[waiting++] = p;
    }
    this.pending.length = waiting;
    let kept = 0;
    for (const t of this.transit) {
      if (t.arrivalDay <= day) this.stockKg += t.kg;
      else this.transit[kept++] = t;
    }
    this.transit.length = kept;
  }

  /** Evening: books the day's sales, learns demand and sets tomorrow's retail price. */
  endOfDay(demandKg: number, salesKg: number, cap: number | null): void {
    const s = this.settings;
    this.stockKg = Math.max(0, this.stockKg - salesKg);
    this.totals.salesKg += salesKg;
    this.totals.revenueTenge +=
      tengePerTonneFromLitre(this.retailTengePerLitre, s.densityKgPerLitre) * (salesKg / 1000);
    this.demandPerDayKg = (1 - s.demandSmoothing) * this.demandPerDayKg + s.demandSmoothing * demandKg;
    const unserved = demandKg > 0 ? Math.max(0, demandKg - salesKg) / demandKg : 0;
    this.scarcity = (1 - s.scarcity.smoothing) * this.scarcity + s.scarcity.smoothing * unserved;
    if (this.today.kg > 0) {
      this.window.push(this.today);
      if (this.window.length > s.costWindowSessions) this.window.shift();
    }
    this.today = { kg: 0, valueTenge: 0 };
    let kg = 0;
    let value = 0;
    for (const p of this.window) {
      kg += p.kg;
      value += p.valueTenge;
    }
    const unitCost = (value / kg) * 1000;
    let target = tengePerLitre(unitCost * (1 + this.markup), s.densityKgPerLitre) + s.stationCostTengePerLitre;
    if (cap !== null) target = Math.min(target, cap);
    const rate = target > this.retailTengePerLitre ? s.passThroughUp : s.passThroughDown;
    this.retailTengePerLitre += (target - this.retailTengePerLitre) * rate;
    if (cap !== null) this.retailTengePerLitre = Math.min(this.retailTengePerLitre, cap);
  }
}
