/**
 * A producer agent: one plant selling at its own basis into one instrument per delivery region it serves.
 *
 * Each day the plant produces `output / days in month`. With a domestic supply obligation, the planned volume per
 * region (the ministry's plan) is set aside: the share sold off-exchange goes straight to the region's buyers at the
 * off-exchange price, the rest is "obligated" exchange volume that must be offered in the region's instrument. All
 * other output is free: offered on the exchange only at or above its reservation price — the export netback while
 * export is open (export parity less logistics; selling at home for less makes no sense), the floor ask when it is
 * closed or when the gas fills half the plant's storage (export capacity cannot take it in time) — and exported (within the monthly export
 * capacity) when it does not sell at home. Output that can neither
 * be sold, exported nor stored (`storageDays` of output) is curtailed.
 *
 * Offer strategy, per instrument: a small price ladder around an ask, never below the reservation, clipped to the
 * band and the ceiling in force (obligated volume is offered at the highest allowed price when its wish lies above
 * it; free volume whose reservation is above the limit is not offered). The ask searches: it starts from the midpoint
 * of the last ask and the last session price, one step higher after a session that sold out (≥ 98% of the offer),
 * one step lower after one that sold less than 60% (doubling with each session in a row that sold nearly nothing, up to eight steps), and stays within [markupMin, markupMax] of the reference price. Free volume is spread over the instruments in proportion to weights that move toward where it
 * sold. These are the "own strategy" of the issue: seek the better of home market and export, never sell free volume
 * below cost of opportunity.
 *
 * The agent acts only through its MarketPort (orders, fills). The runner moves its physical gas (declarations to
 * the exchange, exports, curtailment) as the plant's metering would, after asking the agent how much.
 */

import type { ConstraintLog } from "./constraints.ts";
import type { InstrumentView, MarketPort, OrderRequest } from "./port.ts";
import { Random } from "./random.ts";
import type { Plant } from "./scenario.ts";
import { toLotKg, toTiynPerTonne } from "./units.ts";

export interface ProducerSettings {
  readonly markupStep: number;
  readonly markupMin: number;
  readonly markupMax: number;
  readonly askLadder: readonly number[];
  readonly floorAskTengePerTonne: number;
  readonly freeVolumeReallocation: number;
  readonly storageDays: number;
  /** A session that sold at least this share of the offer (0..1) counts as sold out: the next ask steps up. */
  readonly soldOutShare: number;
  /** Below this share sold the next ask steps down. */
  readonly slowSalesShare: number;
  /** Below this share a session counts as idle: each idle session in a row doubles the step down. */
  readonly idleSalesShare: number;
  /** The most the step down is multiplied by (in steps). */
  readonly stepDownMaxMultiple: number;
  /** Least weight a route keeps in the split of free volume (0..1), so a region that bought nothing may bid again. */
  readonly freeWeightMin: number;
  /** Weight of the latest session in the estimate of free volume sold per session. */
  readonly freeSalesSmoothing: number;
  /** Free volume kept back from export, in sessions' worth of recent free sales. */
  readonly exportKeepSessions: number;
  /** Share of storage (0..1) beyond which free gas counts as stranded and is offered from the floor up. */
  readonly strandedStorageShare: number;
  /** Sessions per month assumed before the first (the starting estimate of free sales per session). */
  readonly initialSessionsPerMonth: number;
  /** The learning offer policy (a bandit over markups) instead of the rule of thumb; null: the rule of thumb. */
  readonly learning: LearningSettings | null;
}

/**
 * An ε-greedy bandit over markups, per instrument: each session the producer asks its export netback plus one of
 * `markups` (fractions; the netback, the value of its gas abroad, anchors the ask whether or not export is open, so
 * that markups do not compound from session to session), within [markupMin, markupMax] of the reference price; with probability `epsilon` a random one, otherwise the one with the highest estimated reward,
 * each untried one first. The reward of a session is what its fills earned over the alternative to selling at home,
 * Σ (price − netback) × tonnes (the floor ask instead of the netback when export is closed); the estimate of the markup used moves toward it by `recencyWeight` (an exponential
 * recency-weighted average, so the policy follows a market that changes). Draws come from the seed's stream
 * `producer/<plant>/learning`.
 */
export interface LearningSettings {
  readonly markups: readonly number[];
  readonly epsilon: number;
  readonly recencyWeight: number;
  readonly seed: number;
}

/** What a producer knows about today that is not market data: the rules in force and the calendar. */
export interface ProducerDay {
  readonly day: number;
  readonly daysInMonth: number;
  readonly obligation: boolean;
  /** Share of obligated volume sold on the exchange, 0..1. */
  readonly exchangeShare: number;
  readonly exportOpen: boolean;
  readonly netbackTengePerTonne: number;
  readonly planScale: number;
}

interface RouteState {
  readonly region: string;
  readonly planKgPerMonth: number;
  /** Obligated exchange volume still to be sold on this route (kg). */
  obligatedKg: number;
  /** The step the next ask takes from the last: up after a sell-out, down after a poor session. */
  markup: number;
  /** Sessions in a row that sold (almost) nothing: the step down doubles with each, up to 8 steps. */
  poorSessions: number;
  /** The ask of the last session (tiyn/t), the anchor of the next one; null before the first. */
  lastAskTiyn: number | null;
  freeWeight: number;
  offeredKg: number;
  soldKg: number;
  /** Learning policy: the markup arm used in the last session, and each arm's reward estimate (null: untried). */
  arm: number;
  armValues: (number | null)[];
  /** Earned over the export alternative in the last session (tenge). */
  earnedOverNetbackTenge: number;
}

export interface ProducerTotals {
  producedKg: number;
  offExchangeKg: number;
  offeredObligatedKg: number;
  offeredFreeKg: number;
  soldObligatedKg: number;
  soldFreeKg: number;
  exchangeValueTenge: number;
  offExchangeValueTenge: number;
  exportedKg: number;
  curtailedKg: number;
}

export const emptyProducerTotals = (): ProducerTotals => ({
  producedKg: 0,
  offExchangeKg: 0,
  offeredObligatedKg: 0,
  offeredFreeKg: 0,
  soldObligatedKg: 0,
  soldFreeKg: 0,
  exchangeValueTenge: 0,
  offExchangeValueTenge: 0,
  exportedKg: 0,
  curtailedKg: 0,
});

export class Producer {
  readonly id: string;
  private readonly routes = new Map<string, RouteState>();
  /** Exchange-bound output not yet declared to the exchange (the exchange holds whole tonnes). */
  private undeclaredKg = 0;
  /** Gas the exchange holds for this producer at its basis, as the producer books it (whole kg). */
  private stockKg = 0;
  /** Gas the exchange gave back after voids of this producer's sales (kg). */
  private voidedKg = 0;
  /** Gas others sold from a shared account (kg): see `sharedAccount`. */
  private takenByOthersKg = 0;
  /** Expected free volume sold at home per session (smoothed): kept back from export. */
  private freeSoldPerSessionKg: number;
  /** Export capacity not yet used this month (kg). */
  private exportAllowanceKg = 0;
  /** clientOrderId → route and pool of today's orders. */
  private orders = new Map<string, { region: string; obligated: boolean }>();
  private orderCounter = 0;
  private readonly random: Random | null;
  /** The last session's alternative to selling at home (tenge/t): the netback, or the floor ask when export is closed. */
  private lastNetbackTenge = 0;
  readonly totals: ProducerTotals = emptyProducerTotals();
  private readonly offExchangeToday = new Map<string, number>();

  constructor(
    readonly plant: Plant,
    routes: readonly { region: string; planTonnesPerMonth: number }[],
    private readonly settings: ProducerSettings,
    private readonly port: MarketPort,
    private readonly constraints: ConstraintLog | null = null,
    /**
     * Whether others may sell from its account too (the demo: a person trading beside the robot, a negotiated deal):
     * gas the exchange holds below what it booked is then taken as theirs, not an error. The lab's accounts are the
     * producer's alone, where less gas than booked is a fault to stop on.
     */
    private readonly sharedAccount = false,
  ) {
    this.id = plant.id;
    this.random =
      settings.learning === null ? null : new Random(settings.learning.seed, `producer/${plant.id}/learning`);
    const planTotal = routes.reduce((sum, r) => sum + r.planTonnesPerMonth, 0);
    for (const r of routes) {
      this.routes.set(r.region, {
        region: r.region,
        planKgPerMonth: r.planTonnesPerMonth * 1000,
        obligatedKg: 0,
        markup: 0,
        arm: 0,
        armValues: (settings.learning?.markups ?? []).map(() => null),
        earnedOverNetbackTenge: 0,
        lastAskTiyn: null,
        poorSessions: 0,
        freeWeight: planTotal > 0 ? r.planTonnesPerMonth / planTotal : 1 / routes.length,
        offeredKg: 0,
        soldKg: 0,
      });
    }
    this.freeSoldPerSessionKg = (planTotal * 1000) / settings.initialSessionsPerMonth;
  }

  get bookedStockKg(): number {
    return this.stockKg;
  }

  /** Gas given back by voids of its sales (kg), as found in the exchange's holdings before a session. */
  get voidedBackKg(): number {
    return this.voidedKg;
  }

  /** Gas others sold from its shared account (kg), as found in the exchange's holdings before a session. */
  get takenByOthers(): number {
    return this.takenByOthersKg;
  }

  private get obligatedTotalKg(): number {
    let sum = 0;
    for (const r of this.routes.values()) sum += r.obligatedKg;
    return sum;
  }

  /** Free stock: what the exchange holds beyond the obligated volume. */
  get freeStockKg(): number {
    return Math.max(0, this.stockKg - this.obligatedTotalKg);
  }

  /** A new month: fresh export capacity; obligated volume left from last month stays owed. */
  startMonth(day: ProducerDay): void {
    this.exportAllowanceKg = day.exportOpen ? this.plant.exportCapacityTonnesPerMonth * 1000 : 0;
  }

  /**
   * One day's output. Returns the whole tonnes to declare to the exchange today and the off-exchange deliveries per
   * region (kg), which the runner hands to that region's buyers.
   */
  produce(day: ProducerDay): { declareKg: number; offExchange: { region: string; kg: number }[] } {
    const outputKg = (this.plant.outputTonnesPerMonth * 1000) / day.daysInMonth;
    this.totals.producedKg += outputKg;
    const offExchange: { region: string; kg: number }[] = [];
    this.offExchangeToday.clear();
    let exchangeBoundKg = outputKg;
    if (day.obligation) {
      let planKg = 0;
      for (const r of this.routes.values()) planKg += (r.planKgPerMonth * day.planScale) / day.daysInMonth;
      // A plan above output is met in proportion.
      const scale = planKg > outputKg ? outputKg / planKg : 1;
      for (const r of this.routes.values()) {
        const routeKg = ((r.planKgPerMonth * day.planScale) / day.daysInMonth) * scale;
        const offKg = routeKg * (1 - day.exchangeShare);
        if (offKg > 0) {
          offExchange.push({ region: r.region, kg: offKg });
          this.offExchangeToday.set(r.region, offKg);
        }
        r.obligatedKg += routeKg * day.exchangeShare;
        exchangeBoundKg -= offKg;
        this.totals.offExchangeKg += offKg;
      }
    }
    this.undeclaredKg += exchangeBoundKg;
    const declareKg = Math.floor(this.undeclaredKg / 1000) * 1000;
    this.undeclaredKg -= declareKg;
    this.stockKg += declareKg;
    return { declareKg, offExchange };
  }

  /** The session: offers in every open instrument at this basis. */
  async trade(day: ProducerDay): Promise<void> {
    const views = await this.port.instruments({ basis: this.id });
    this.orders = new Map();
    this.lastNetbackTenge = day.exportOpen ? day.netbackTengePerTonne : this.settings.floorAskTengePerTonne;
    let availableKg = (await this.port.balances(this.id)).freeGasKg;
    if (availableKg > BigInt(this.stockKg)) {
      // Only an operator's void of one of its sales gives a producer back gas it booked as sold (the void unwinds the
      // obligation and frees the seller's gas, clearing.ts): the plant takes it back into its stock, as free gas, and
      // offers it again. Which route the voided sale was on the holdings do not say, so the route's statistics keep it.
      const returnedKg = Number(availableKg) - this.stockKg;
      this.stockKg += returnedKg;
      this.voidedKg += returnedKg;
    }
    if (this.sharedAccount && availableKg < BigInt(this.stockKg)) {
      const takenKg = this.stockKg - Number(availableKg);
      this.stockKg -= takenKg;
      this.takenByOthersKg += takenKg;
    }
    if (availableKg !== BigInt(this.stockKg)) {
      throw new Error(`invariant: producer ${this.id} books ${this.stockKg} kg, the exchange holds ${availableKg} kg`);
    }
    const freeKg = this.freeStockKg;
    // Free gas that fills the plant's storage has no export alternative left (export capacity cannot take it in
    // time): rather than curtail output, the plant offers it like obligated gas, from the floor up.
    const dailyOutputKg = (this.plant.outputTonnesPerMonth * 1000) / day.daysInMonth;
    const strandedKg = Math.max(
      0,
      Math.min(freeKg, freeKg - this.settings.strandedStorageShare * this.settings.storageDays * dailyOutputKg),
    );
    let weightSum = 0;
    for (const v of views) weightSum += this.routes.get(v.region)?.freeWeight ?? 0;
    const orders: OrderRequest[] = [];
    for (const v of views) {
      const route = this.routes.get(v.region);
      if (!route) continue;
      const obligatedKg = toLotKg(
        Math.min(
          route.obligatedKg + strandedKg * (weightSum > 0 ? route.freeWeight / weightSum : 0),
          Number(availableKg),
        ),
        v.lotKg,
      );
      availableKg -= BigInt(obligatedKg);
      const share = weightSum > 0 ? route.freeWeight / weightSum : 0;
      const freeOfferKg = toLotKg(Math.min((freeKg - strandedKg) * share, Number(availableKg)), v.lotKg);
      const reference = v.referenceTiynPerTonne ?? toTiynPerTonne(day.netbackTengePerTonne, v.tickTiynPerTonne, "up");
      // The ask moves from the last session's ask by the learnt step; the market price pulls it back when they part.
      // After a session where nothing sold here the reference is stale, so the ask walks on from itself alone.
      const anchor =
        route.lastAskTiyn === null
          ? reference
          : route.soldKg > 0
            ? (route.lastAskTiyn + reference) / 2
            : route.lastAskTiyn;
      const s = this.settings;
      const netbackTiyn = toTiynPerTonne(day.netbackTengePerTonne, v.tickTiynPerTonne, "up");
      const target = s.learning === null ? anchor * (1 + route.markup) : netbackTiyn * (1 + this.chooseArm(route));
      const wish = Math.min(reference * (1 + s.markupMax), Math.max(reference * (1 + s.markupMin), target));
      // Gas with no export alternative may go below the band of the search, down to the floor.
      const wishBound = Math.min(reference * (1 + s.markupMax), target);
      const floor = toTiynPerTonne(this.settings.floorAskTengePerTonne, v.tickTiynPerTonne, "up");
      const freeReservation = day.exportOpen
        ? toTiynPerTonne(day.netbackTengePerTonne, v.tickTiynPerTonne, "up")
        : floor;
      route.offeredKg = 0;
      route.earnedOverNetbackTenge = 0;
      route.soldKg = 0;
      route.lastAskTiyn = obligatedKg > 0 ? Math.max(floor, wishBound) : wish;
      const placed = this.ladder(v, route, obligatedKg, Math.max(floor, wishBound), floor, true, orders);
      availableKg += BigInt(obligatedKg - placed);
      const placedFree = this.ladder(
        v,
        route,
        freeOfferKg,
        Math.max(freeReservation, wish),
        freeReservation,
        false,
        orders,
      );
      availableKg -= BigInt(placedFree);
    }
    const outcomes = await this.port.submit(orders);
    for (let i = 0; i < outcomes.length; i++) {
      const order = orders[i]!;
      const tag = this.orders.get(order.clientOrderId)!;
      const route = this.routes.get(tag.region)!;
      if (!outcomes[i]!.accepted) {
        this.orders.delete(order.clientOrderId);
        continue;
      }
      route.offeredKg += order.quantityKg;
      if (tag.obligated) this.totals.offeredObligatedKg += order.quantityKg;
      else this.totals.offeredFreeKg += order.quantityKg;
    }
  }

  /** Appends ladder orders for `quantityKg`; returns the quantity placed (0 when the limits leave no room). */
  private ladder(
    v: InstrumentView,
    route: RouteState,
    quantityKg: number,
    baseTiyn: number,
    reservationTiyn: number,
    obligated: boolean,
    out: OrderRequest[],
  ): number {
    if (quantityKg <= 0) return 0;
    const high = Math.min(
      v.bandHighTiynPerTonne ?? Number.POSITIVE_INFINITY,
      v.ceilingTiynPerTonne ?? Number.POSITIVE_INFINITY,
    );
    const low = Math.max(v.bandLowTiynPerTonne ?? v.tickTiynPerTonne, v.floorTiynPerTonne ?? v.tickTiynPerTonne);
    if (high < low) return 0;
    // Free volume is not given away below its reservation: when the limits do not reach it, it stays for export.
    if (!obligated && reservationTiyn > high) {
      const ceilingBinds = v.ceilingTiynPerTonne !== null && v.ceilingTiynPerTonne <= (v.bandHighTiynPerTonne ?? high);
      this.constraints?.add(route.region, ceilingBinds ? "ceiling" : "band", quantityKg);
      return 0;
    }
    const steps = this.settings.askLadder;
    const lots = quantityKg / v.lotKg;
    let placed = 0;
    for (let k = 0; k < steps.length; k++) {
      const stepLots = Math.floor((lots * (k + 1)) / steps.length) - Math.floor((lots * k) / steps.length);
      if (stepLots <= 0) continue;
      const wish = Math.max(reservationTiyn, baseTiyn * (1 + steps[k]!));
      const price = Math.min(high, Math.max(low, Math.round(wish / v.tickTiynPerTonne) * v.tickTiynPerTonne));
      const clientOrderId = `s${++this.orderCounter}`;
      this.orders.set(clientOrderId, { region: route.region, obligated });
      out.push({
        instrument: v.instrument,
        side: "sell",
        priceTiynPerTonne: price,
        quantityKg: stepLots * v.lotKg,
        clientOrderId,
      });
      placed += stepLots * v.lotKg;
    }
    return placed;
  }

  /** The learning policy's markup for a route's next session (ε-greedy; untried arms first). */
  private chooseArm(route: RouteState): number {
    const learning = this.settings.learning!;
    const random = this.random!;
    const untried = route.armValues.indexOf(null);
    let arm: number;
    if (untried >= 0) arm = untried;
    else if (random.next() < learning.epsilon) arm = Math.floor(random.next() * learning.markups.length);
    else {
      arm = 0;
      for (let a = 1; a < route.armValues.length; a++) if (route.armValues[a]! > route.armValues[arm]!) arm = a;
    }
    route.arm = arm;
    return learning.markups[arm]!;
  }

  /** After the session: books the fills and learns. */
  async afterSession(): Promise<void> {
    const fills = await this.port.fills();
    let freeSoldKg = 0;
    for (const fill of fills) {
      const tag = this.orders.get(fill.clientOrderId);
      if (!tag) throw new Error(`invariant: producer ${this.id} got a fill for unknown order ${fill.clientOrderId}`);
      const route = this.routes.get(tag.region)!;
      route.soldKg += fill.quantityKg;
      route.earnedOverNetbackTenge += (fill.priceTiynPerTonne / 100 - this.lastNetbackTenge) * (fill.quantityKg / 1000);
      this.stockKg -= fill.quantityKg;
      this.totals.exchangeValueTenge += (fill.priceTiynPerTonne / 100) * (fill.quantityKg / 1000);
      if (tag.obligated) {
        route.obligatedKg = Math.max(0, route.obligatedKg - fill.quantityKg);
        this.totals.soldObligatedKg += fill.quantityKg;
      } else {
        freeSoldKg += fill.quantityKg;
        this.totals.soldFreeKg += fill.quantityKg;
      }
    }
    const s = this.settings;
    let soldSum = 0;
    for (const route of this.routes.values()) soldSum += route.soldKg;
    for (const route of this.routes.values()) {
      if (s.learning !== null) {
        if (route.offeredKg > 0) {
          const old = route.armValues[route.arm] ?? null;
          const reward = route.earnedOverNetbackTenge;
          route.armValues[route.arm] = old === null ? reward : old + s.learning.recencyWeight * (reward - old);
        }
      } else if (route.offeredKg > 0) {
        const soldShare = route.soldKg / route.offeredKg;
        route.poorSessions = soldShare < s.idleSalesShare ? route.poorSessions + 1 : 0;
        const down = s.markupStep * Math.min(s.stepDownMaxMultiple, 2 ** Math.max(0, route.poorSessions - 1));
        route.markup = soldShare >= s.soldOutShare ? s.markupStep : soldShare < s.slowSalesShare ? -down : 0;
      }
      const target = soldSum > 0 ? route.soldKg / soldSum : route.freeWeight;
      route.freeWeight = (1 - s.freeVolumeReallocation) * route.freeWeight + s.freeVolumeReallocation * target;
      // Keep every route in play: a region that bought nothing today may bid tomorrow.
      route.freeWeight = Math.max(route.freeWeight, s.freeWeightMin);
    }
    this.freeSoldPerSessionKg =
      (1 - s.freeSalesSmoothing) * this.freeSoldPerSessionKg + s.freeSalesSmoothing * freeSoldKg;
  }

  /**
   * End of day: free stock beyond what is kept back for the home market is exported (within capacity); what still
   * exceeds storage is curtailed. Returns whole tonnes to withdraw from the exchange for each.
   */
  dispose(day: ProducerDay, tradingDay: boolean): { exportKg: number; curtailKg: number } {
    const dailyOutputKg = (this.plant.outputTonnesPerMonth * 1000) / day.daysInMonth;
    let exportKg = 0;
    if (day.exportOpen && tradingDay) {
      const keepKg = this.settings.exportKeepSessions * this.freeSoldPerSessionKg;
      const wantedKg = Math.max(0, this.freeStockKg - keepKg);
      exportKg = Math.floor(Math.min(wantedKg, this.exportAllowanceKg) / 1000) * 1000;
      if (this.constraints !== null && wantedKg > this.exportAllowanceKg)
        this.logKeptHome(wantedKg - this.exportAllowanceKg);
      this.exportAllowanceKg -= exportKg;
      this.stockKg -= exportKg;
      this.totals.exportedKg += exportKg;
    }
    const storageKg = this.settings.storageDays * dailyOutputKg;
    const curtailKg = Math.floor(Math.max(0, Math.min(this.freeStockKg, this.stockKg - storageKg)) / 1000) * 1000;
    this.stockKg -= curtailKg;
    this.totals.curtailedKg += curtailKg;
    return { exportKg, curtailKg };
  }

  /** Free gas export capacity kept at home, shared over the regions this plant serves by their plans. */
  private logKeptHome(kg: number): void {
    let planSum = 0;
    for (const r of this.routes.values()) planSum += r.planKgPerMonth;
    for (const r of this.routes.values()) {
      const share = planSum > 0 ? r.planKgPerMonth / planSum : 1 / this.routes.size;
      this.constraints!.add(r.region, "exportCapacity", kg * share);
    }
  }

  /** Off-exchange sales are booked at the price the rules set. */
  bookOffExchange(kg: number, priceTengePerTonne: number): void {
    this.totals.offExchangeValueTenge += (priceTengePerTonne * kg) / 1000;
  }

  /** Off-exchange volume sent to a region today (kg). */
  lastOffExchangeTo(region: string): number {
    return this.offExchangeToday.get(region) ?? 0;
  }

  /** Obligated volume still owed (kg), for the compliance report. */
  get obligatedOwedKg(): number {
    return this.obligatedTotalKg;
  }
}
