/**
 * The simulation runner: builds the market of a scenario on the real engine and runs it day by day.
 *
 * A day (UTC date; exchange local time is UTC+5):
 * 1. On the first day of a month: one call-auction instrument per route (plant × region) is listed for the month's
 *    deliveries, its reference price the previous month's last session price; the regulator's safeguards are set on
 *    it; the month's supply plans are recorded (`supply.plan`) when obligations are in force; producers get the
 *    month's export capacity.
 * 0. Dated rule changes (`rules.changes`) at 00:00 local time of their date: `safeguards.set` on every listed
 *    instrument (and the safeguards of instruments listed later), `halt`/`resume`, retail caps from that day.
 * 2. Halts and resumptions the scenario schedules for the day.
 * 3. Plants produce; exchange-bound output is declared to the exchange (whole tonnes); off-exchange volumes go to the
 *    region's networks. Deliveries due today reach the stations.
 * 4. On a trading day: every instrument opens its order collection, producers offer, networks bid (in an order drawn
 *    afresh each day), the call auctions uncross at the session close; the agents read their fills; the clearing
 *    operator settles every obligation (payment, delivery) and the buyers lift their gas into transit.
 * 5. Producers export and curtail; drivers buy at the stations; networks set tomorrow's retail prices.
 *
 * Promise: the result is a function of the scenario alone (seeded randomness, simulation clock, deterministic
 * iteration), so the same scenario gives the same bytes. The engine's invariants (books, ledger, obligations) are
 * checked at every month end.
 */

import type { Command } from "../engine/commands.ts";
import type { Engine } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import { Buyer } from "./buyer.ts";
import { addDays, daysInMonth, formatDate, isWeekend, minutesOf, monthOf, parseDate } from "./dates.ts";
import { Drivers } from "./drivers.ts";
import { InProcessExchange } from "./exchange.ts";
import { ManipulatorAgents } from "./manipulators.ts";
import { Producer, type ProducerDay } from "./producer.ts";
import { Random } from "./random.ts";
import type { MonthRow, NationalSeries, RegionSeries, SessionRow, SimulationResult } from "./results.ts";
import { type Scenario, ScenarioError } from "./scenario.ts";
import {
  buyerSettingsOf,
  demandCurveOf,
  netbackOf,
  producerSettingsOf,
  routeLogisticsOf,
  unitCostAtRetail,
} from "./settings.ts";
import { fixed, MS_PER_DAY, toTiynPerTonne } from "./units.ts";

export const TICK_TIYN_PER_TONNE = 100;
export const LOT_KG = 1000;
const EXCHANGE_UTC_OFFSET_MIN = 5 * 60;
const DAYS_PER_MONTH_AVERAGE = 365 / 12;
/** How far ahead the calendar is searched for the next trading day. */
const TRADING_DAY_SEARCH_MAX = 30;

export interface RunOptions {
  /** Called after each simulated day with (days done, days in all). */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Called with every sequenced command and its events, as a journal records them, and the engine right after it
   * applied them (e.g. for market surveillance over the run).
   */
  readonly onApplied?: (
    seq: number,
    timeMs: number,
    command: Command,
    events: readonly EngineEvent[],
    engine: Engine,
  ) => void;
}

interface RouteInfo {
  readonly plant: string;
  readonly region: string;
  readonly costTengePerTonne: number;
  readonly transitDays: number;
  readonly planTonnesPerMonth: number;
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<SimulationResult> {
  const s = scenario;
  const exchange = new InProcessExchange();
  const onApplied = options.onApplied;
  if (onApplied) {
    exchange.onApplied = (seq, timeMs, command, events) => onApplied(seq, timeMs, command, events, exchange.engine);
  }
  const random = new Random(s.seed);
  const startMs = parseDate(s.start);
  const holidays = new Set(s.rules.session.holidays);
  const tradingCalendar: boolean[] = [];
  for (let d = 0; d < s.days + TRADING_DAY_SEARCH_MAX + 31; d++) {
    const ms = addDays(startMs, d);
    tradingCalendar.push(!isWeekend(ms) && !holidays.has(formatDate(ms)));
  }
  const netback = new Map(s.market.plants.map((p) => [p.id, netbackOf(s, p)]));

  const routes: RouteInfo[] = s.market.routes.map((r) => ({
    plant: r.plant,
    region: r.region,
    ...routeLogisticsOf(s, r.distanceKm),
    planTonnesPerMonth: r.planTonnesPerMonth,
  }));
  const logistics = new Map<string, Map<string, { costTengePerTonne: number; transitDays: number }>>();
  for (const r of routes) {
    if (!logistics.has(r.region)) logistics.set(r.region, new Map());
    logistics.get(r.region)!.set(r.plant, { costTengePerTonne: r.costTengePerTonne, transitDays: r.transitDays });
  }

  // Participants.
  for (const m of [s.manipulators.washTrading, s.manipulators.colludingBuyers, s.manipulators.limitBidders]) {
    if (m && !routes.some((r) => r.plant === m.plant && r.region === m.region)) {
      throw new ScenarioError(`manipulators: no route from ${m.plant} to ${m.region}`);
    }
  }
  const manipulators = new ManipulatorAgents(s.manipulators, exchange);
  const producers = s.market.plants.map((plant) => {
    exchange.addProducer(plant.id, plant.name);
    return new Producer(
      plant,
      routes
        .filter((r) => r.plant === plant.id)
        .map((r) => ({ region: r.region, planTonnesPerMonth: r.planTonnesPerMonth })),
      producerSettingsOf(s),
      manipulators.producerPort(plant.id, exchange.port(plant.id), parseDate),
    );
  });
  const curve = demandCurveOf(s);
  const regions = s.market.regions.map((g) => {
    const baseDailyKg = (g.demandTonnesPerMonth * 1000 * (s.drivers.demandScalePercent / 100)) / DAYS_PER_MONTH_AVERAGE;
    const drivers = new Drivers(
      g.id,
      baseDailyKg,
      g.retailTengePerLitre,
      curve,
      s.drivers.dailyNoisePercent / 100,
      s.drivers.stationChoiceSensitivity,
      random.fork(`drivers/${g.id}`),
    );
    const settings = buyerSettingsOf(s, g, curve);
    const unitCost = unitCostAtRetail(g.retailTengePerLitre, settings);
    const buyers = g.networkSharesPercent.map((share, k) => {
      const id = `${g.id}-N${k + 1}`;
      exchange.addBuyer(id, `${g.name} filling-station network ${k + 1}`);
      const dailyKg = (baseDailyKg * share) / 100;
      const port = exchange.port(id);
      exchange.deposit(id, Math.ceil(s.buyers.workingCapitalDays * (dailyKg / 1000) * unitCost * 100));
      const buyer = new Buyer(
        id,
        g.id,
        share / 100,
        dailyKg,
        dailyKg * s.buyers.initialStockDays,
        unitCost,
        settings,
        port,
        random.fork(`buyer/${id}`),
      );
      // Gas already on its way at the start: a day's sales arriving on each day of the plan-weighted transit time.
      const inbound = routes.filter((r) => r.region === g.id);
      const planSum = inbound.reduce((sum, r) => sum + r.planTonnesPerMonth, 0);
      const transitDays = Math.round(
        inbound.reduce(
          (sum, r) => sum + r.transitDays * (planSum > 0 ? r.planTonnesPerMonth / planSum : 1 / inbound.length),
          0,
        ),
      );
      for (let day = 1; day <= transitDays; day++) buyer.preload(dailyKg, day);
      return buyer;
    });
    return { spec: g, drivers, buyers };
  });
  const regionById = new Map(regions.map((r) => [r.spec.id, r]));
  const orderRandom = random.fork("order-of-bids");
  const buyersAll = regions.flatMap((r) => r.buyers);

  // Series.
  const dates: string[] = [];
  const tradingDays: boolean[] = [];
  const regionSeries: Record<string, RegionSeries> = {};
  for (const g of s.market.regions) {
    regionSeries[g.id] = {
      retailTengePerLitre: [],
      wholesaleTengePerTonne: [],
      deliveredTengePerTonne: [],
      exchangeTonnes: [],
      offExchangeTonnes: [],
      demandTonnes: [],
      salesTonnes: [],
      shortageTonnes: [],
      stockTonnes: [],
    };
  }
  const national: NationalSeries = {
    exchangeTonnes: [],
    wholesaleTengePerTonne: [],
    exportTonnes: [],
    curtailedTonnes: [],
    demandTonnes: [],
    salesTonnes: [],
    shortageTonnes: [],
    retailTengePerLitre: [],
  };
  const sessions: SessionRow[] = [];
  const lastPriceTiyn = new Map<string, number>(); // by route key: the latest session price
  const lastPlantPriceTenge = new Map<string, number>();
  for (const p of s.market.plants) lastPlantPriceTenge.set(p.id, s.initialExchangePriceTengePerTonne);
  const haltedRegions = new Set<string>();
  let marketHalted = false;
  let instruments: { id: string; route: RouteInfo }[] = [];
  let listed = 0;

  const sessionOpenMin = minutesOf(s.rules.session.open) - EXCHANGE_UTC_OFFSET_MIN;
  const sessionCloseMin = minutesOf(s.rules.session.close) - EXCHANGE_UTC_OFFSET_MIN;
  let ceilingSteps = s.rules.safeguards.ceilingPath.map((step) => ({
    effectiveFromMs: parseDate(step.from) + sessionOpenMin * 60_000 - 3_600_000,
    ceiling: toTiynPerTonne(step.ceilingTengePerTonne, TICK_TIYN_PER_TONNE, "down"),
  }));

  // The safeguards new instruments get, as dated changes leave them; retail caps set by dated changes, per region.
  const safeguardsInForce = {
    bandPercent: s.rules.safeguards.bandPercent,
    ceilingTengePerTonne: s.rules.safeguards.ceilingTengePerTonne,
    maxSharePercent: s.rules.safeguards.maxSharePercent,
  };
  const datedCaps = new Map<string, number | null>();

  const retailCap = (region: string, date: string): number | null => {
    if (datedCaps.has(region)) return datedCaps.get(region)!;
    let cap: number | null = null;
    for (const c of s.rules.retailCaps) {
      if (c.region === region && c.from <= date && (c.until === null || date <= c.until)) {
        cap = cap === null ? c.tengePerLitre : Math.min(cap, c.tengePerLitre);
      }
    }
    return cap;
  };

  for (let d = 0; d < s.days; d++) {
    const dayMs = addDays(startMs, d);
    const date = formatDate(dayMs);
    const month = monthOf(dayMs);
    const dim = daysInMonth(dayMs);

    // 0. Dated rule changes, at 00:00 local time of their date, through the regulator's commands.
    for (const { change, reason } of s.rules.changes.filter((c) => c.date === date)) {
      exchange.setTime(dayMs - EXCHANGE_UTC_OFFSET_MIN * 60_000);
      const why = `scenario ${s.name}, ${date}: ${reason}`;
      if (change.kind === "safeguards") {
        const changes: Record<string, unknown> = {};
        if (change.bandPercent !== undefined) {
          safeguardsInForce.bandPercent = change.bandPercent;
          changes.bandBps = change.bandPercent === null ? null : Math.round(change.bandPercent * 100);
        }
        if (change.ceilingTengePerTonne !== undefined) {
          safeguardsInForce.ceilingTengePerTonne = change.ceilingTengePerTonne;
          ceilingSteps = [];
          changes.ceiling =
            change.ceilingTengePerTonne === null
              ? null
              : toTiynPerTonne(change.ceilingTengePerTonne, TICK_TIYN_PER_TONNE, "down");
          changes.ceilingPath = [];
        }
        if (change.maxSharePercent !== undefined) {
          safeguardsInForce.maxSharePercent = change.maxSharePercent;
          changes.maxShareBps = change.maxSharePercent === null ? null : Math.round(change.maxSharePercent * 100);
        }
        for (const x of instruments) exchange.setSafeguards(x.id, changes, why);
      } else if (change.kind === "halt" || change.kind === "resume") {
        exchange.halt(change.kind, change.scope, change.region, why);
        if (change.scope === "market") marketHalted = change.kind === "halt";
        else if (change.kind === "halt") haltedRegions.add(change.region!);
        else haltedRegions.delete(change.region!);
      } else if (change.kind === "retailCap") {
        datedCaps.set(change.region, change.tengePerLitre);
      }
    }
    exchange.setTime(dayMs);
    const producerDay: ProducerDay = {
      day: d,
      daysInMonth: dim,
      obligation: s.rules.domesticObligation,
      exchangeShare: s.rules.exchangeSharePercent / 100,
      exportOpen: s.rules.exportOpen,
      netbackTengePerTonne: 0,
      planScale: s.rules.planScalePercent / 100,
    };

    // 1. A new month: instruments, safeguards, plans.
    if (d === 0 || date.endsWith("-01")) {
      exchange.engine.checkInvariants();
      instruments = [];
      for (const route of routes) {
        const id = `PB-${route.plant}-${route.region}-${month}`;
        const key = `${route.plant}>${route.region}`;
        const reference =
          lastPriceTiyn.get(key) ?? toTiynPerTonne(s.initialExchangePriceTengePerTonne, TICK_TIYN_PER_TONNE, "nearest");
        exchange.list({
          instrument: id,
          basis: route.plant,
          region: route.region,
          deliveryPeriod: month,
          name: `Propane-butane, ${route.plant}, ${route.region}, ${month}`,
          tickTiynPerTonne: TICK_TIYN_PER_TONNE,
          lotKg: LOT_KG,
          referenceTiynPerTonne: reference,
          collateralBps: Math.round(s.rules.clearing.collateralPercent * 100),
          feeBps: Math.round(s.rules.clearing.feePercent * 100),
          paymentWindowMs: Math.round(s.rules.clearing.paymentWindowDays * MS_PER_DAY),
          deliveryWindowMs: Math.round(s.rules.clearing.deliveryWindowDays * MS_PER_DAY),
        });
        listed++;
        const g = safeguardsInForce;
        const ceilingNow = ceilingSteps.filter((step) => step.effectiveFromMs <= dayMs).at(-1)?.ceiling;
        const ceiling =
          ceilingNow ??
          (g.ceilingTengePerTonne === null
            ? null
            : toTiynPerTonne(g.ceilingTengePerTonne, TICK_TIYN_PER_TONNE, "down"));
        if (g.bandPercent !== null || ceiling !== null || g.maxSharePercent !== null || ceilingSteps.length > 0) {
          exchange.setSafeguards(
            id,
            {
              bandBps: g.bandPercent === null ? null : Math.round(g.bandPercent * 100),
              ceiling,
              ceilingPath: ceilingSteps.filter((step) => step.effectiveFromMs > dayMs),
              maxShareBps: g.maxSharePercent === null ? null : Math.round(g.maxSharePercent * 100),
            },
            `scenario ${s.name}: the regulator's safeguards for ${month}`,
          );
        }
        instruments.push({ id, route });
      }
      for (const region of haltedRegions) exchange.halt("halt", "region", region, "halt continues into the new month");
      if (marketHalted) exchange.halt("halt", "market", null, "halt continues into the new month");
      if (s.rules.domesticObligation) {
        for (const p of s.market.plants) {
          const planKg = routes
            .filter((r) => r.plant === p.id)
            .reduce((sum, r) => sum + r.planTonnesPerMonth * 1000 * (s.rules.planScalePercent / 100), 0);
          exchange.planSupply(month, p.id, p.id, Math.round(planKg), `scenario ${s.name}: domestic supply plan`);
        }
      }
      for (const p of producers) p.startMonth(producerDay);
    }

    // 2. Halts and resumptions.
    for (const e of s.rules.events) {
      if (e.date !== date) continue;
      exchange.setTime(dayMs + 3_600_000);
      exchange.halt(e.type, e.scope, e.region, e.reason);
      if (e.scope === "market") marketHalted = e.type === "halt";
      else if (e.type === "halt") haltedRegions.add(e.region!);
      else haltedRegions.delete(e.region!);
    }

    // 3. Production and arrivals.
    exchange.setTime(dayMs + 2 * 3_600_000);
    for (const p of producers) {
      const made = p.produce(producerDay);
      exchange.declareGas(p.id, p.id, made.declareKg);
      manipulators.declared(p.id, made.declareKg);
      const offPrice = s.rules.offExchangePriceTengePerTonne ?? lastPlantPriceTenge.get(p.id)!;
      for (const delivery of made.offExchange) {
        const region = regionById.get(delivery.region)!;
        const route = logistics.get(delivery.region)!.get(p.id)!;
        p.bookOffExchange(delivery.kg, offPrice);
        for (const b of region.buyers) {
          b.receiveOffExchange(delivery.kg * b.baseShare, offPrice + route.costTengePerTonne, d + route.transitDays);
        }
      }
    }
    for (const b of buyersAll) b.unload(d);

    // 4. The session.
    const trading = tradingCalendar[d]!;
    let daysToNext = 1;
    while (daysToNext < TRADING_DAY_SEARCH_MAX && !tradingCalendar[d + daysToNext]) daysToNext++;
    const regionBought = new Map<string, { kg: number; value: number; delivered: number }>();
    let nationalKg = 0;
    let nationalValue = 0;
    if (trading) {
      exchange.setTime(dayMs + sessionOpenMin * 60_000);
      const live = instruments.filter((x) => exchange.phase(x.id) === "closed");
      for (const x of live) exchange.openSession(x.id);
      manipulators.atOpen();
      for (const p of producers) {
        await p.trade({ ...producerDay, netbackTengePerTonne: netback.get(p.id)! });
      }
      const order = buyersAll.map((b) => ({ b, key: orderRandom.next() }));
      order.sort((a, b) => a.key - b.key);
      for (const { b } of order) {
        await b.trade({
          day: d,
          daysToNextSession: daysToNext,
          retailCapTengePerLitre: retailCap(b.region, date),
          logistics: logistics.get(b.region)!,
        });
      }
      manipulators.afterHonest();
      manipulators.beforeClose(dayMs + sessionCloseMin * 60_000);
      exchange.setTime(dayMs + sessionCloseMin * 60_000);
      for (const x of live) {
        manipulators.beforeUncross(x.id);
        const { result, offeredKg, bidKg } = exchange.closeSession(x.id);
        const key = `${x.route.plant}>${x.route.region}`;
        if (result.priceTiynPerTonne !== null && result.volumeKg > 0) {
          lastPriceTiyn.set(key, result.priceTiynPerTonne);
          const price = result.priceTiynPerTonne / 100;
          lastPlantPriceTenge.set(x.route.plant, price);
          const acc = regionBought.get(x.route.region) ?? { kg: 0, value: 0, delivered: 0 };
          acc.kg += result.volumeKg;
          acc.value += price * result.volumeKg;
          acc.delivered += (price + x.route.costTengePerTonne) * result.volumeKg;
          regionBought.set(x.route.region, acc);
          nationalKg += result.volumeKg;
          nationalValue += price * result.volumeKg;
        }
        sessions.push({
          date,
          instrument: x.id,
          plant: x.route.plant,
          region: x.route.region,
          priceTengePerTonne: result.priceTiynPerTonne === null ? null : result.priceTiynPerTonne / 100,
          volumeTonnes: result.volumeKg / 1000,
          offeredTonnes: offeredKg / 1000,
          bidTonnes: bidKg / 1000,
        });
      }
      for (const p of producers) await p.afterSession();
      manipulators.afterSession();
      for (const b of buyersAll) {
        await b.afterSession({
          day: d,
          daysToNextSession: daysToNext,
          retailCapTengePerLitre: null,
          logistics: logistics.get(b.region)!,
        });
      }
      exchange.setTime(dayMs + (sessionCloseMin + 60) * 60_000);
      exchange.settle();
      exchange.forgetDoneOrders();
    }

    // 5. Exports, curtailment, retail.
    exchange.setTime(dayMs + 14 * 3_600_000);
    let exportKg = 0;
    let curtailKg = 0;
    for (const p of producers) {
      const out = p.dispose(producerDay, trading);
      exchange.withdrawGas(p.id, p.id, out.exportKg + out.curtailKg);
      exportKg += out.exportKg;
      curtailKg += out.curtailKg;
    }
    let nDemand = 0;
    let nSales = 0;
    let nShortage = 0;
    let nRetailWeighted = 0;
    for (const region of regions) {
      const cap = retailCap(region.spec.id, date);
      for (const b of region.buyers) b.applyCap(cap);
      const served = region.drivers.serve(
        region.buyers.map((b) => ({
          baseShare: b.baseShare,
          retailTengePerLitre: b.retailTengePerLitre,
          stockKg: b.stockKg,
        })),
      );
      region.buyers.forEach((b, i) => {
        const station = served.perStation[i]!;
        b.endOfDay(Math.max(station.demandKg, station.salesKg), station.salesKg, cap);
      });
      const series = regionSeries[region.spec.id]!;
      const bought = regionBought.get(region.spec.id);
      let offKg = 0;
      let stockKg = 0;
      for (const b of region.buyers) stockKg += b.stockKg + b.inTransitKg;
      for (const p of producers) offKg += p.lastOffExchangeTo(region.spec.id);
      series.retailTengePerLitre.push(fixed(served.averageRetailTengePerLitre, 2));
      series.wholesaleTengePerTonne.push(bought ? fixed(bought.value / bought.kg, 0) : null);
      series.deliveredTengePerTonne.push(bought ? fixed(bought.delivered / bought.kg, 0) : null);
      series.exchangeTonnes.push(fixed((bought?.kg ?? 0) / 1000, 0));
      series.offExchangeTonnes.push(fixed(offKg / 1000, 1));
      series.demandTonnes.push(fixed(served.demandKg / 1000, 1));
      series.salesTonnes.push(fixed(served.salesKg / 1000, 1));
      series.shortageTonnes.push(fixed(served.shortageKg / 1000, 1));
      series.stockTonnes.push(fixed(stockKg / 1000, 0));
      nDemand += served.demandKg;
      nSales += served.salesKg;
      nShortage += served.shortageKg;
      nRetailWeighted += served.averageRetailTengePerLitre * served.demandKg;
    }
    national.exchangeTonnes.push(fixed(nationalKg / 1000, 0));
    national.wholesaleTengePerTonne.push(nationalKg > 0 ? fixed(nationalValue / nationalKg, 0) : null);
    national.exportTonnes.push(fixed(exportKg / 1000, 0));
    national.curtailedTonnes.push(fixed(curtailKg / 1000, 0));
    national.demandTonnes.push(fixed(nDemand / 1000, 1));
    national.salesTonnes.push(fixed(nSales / 1000, 1));
    national.shortageTonnes.push(fixed(nShortage / 1000, 1));
    national.retailTengePerLitre.push(fixed(nRetailWeighted / nDemand, 2));
    dates.push(date);
    tradingDays.push(trading);
    options.onProgress?.(d + 1, s.days);
  }
  exchange.engine.checkInvariants();

  return {
    scenario: {
      name: s.name,
      title: s.title,
      description: s.description,
      seed: s.seed,
      start: s.start,
      days: s.days,
      densityKgPerLitre: s.densityKgPerLitre,
      focusRegions: s.focusRegions,
    },
    regions: s.market.regions.map((g) => ({ id: g.id, name: g.name })),
    dates,
    tradingDays,
    regionSeries,
    national,
    sessions,
    monthly: monthlyRows(s, dates, regionSeries),
    producers: producers.map((p) => {
      const t = p.totals;
      const sold = t.soldObligatedKg + t.soldFreeKg;
      return {
        plant: p.id,
        name: p.plant.name,
        netbackTengePerTonne: fixed(netback.get(p.id)!, 0),
        producedTonnes: fixed(t.producedKg / 1000, 0),
        offExchangeTonnes: fixed(t.offExchangeKg / 1000, 0),
        offeredObligatedTonnes: fixed(t.offeredObligatedKg / 1000, 0),
        offeredFreeTonnes: fixed(t.offeredFreeKg / 1000, 0),
        soldOnExchangeTonnes: fixed(sold / 1000, 0),
        exchangeAverageTengePerTonne: sold > 0 ? fixed((t.exchangeValueTenge / sold) * 1000, 0) : null,
        exportedTonnes: fixed(t.exportedKg / 1000, 0),
        curtailedTonnes: fixed(t.curtailedKg / 1000, 0),
        obligatedUnsoldTonnes: fixed(p.obligatedOwedKg / 1000, 0),
      };
    }),
    engine: {
      commands: exchange.commandCount,
      events: exchange.eventCount,
      instrumentsListed: listed,
      ordersRefusedByCode: Object.fromEntries([...exchange.rejections].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      stateHash: exchange.engine.stateHash(),
    },
    manipulators: manipulators.accounts,
    manipulatorSessions: { ...manipulators.acts },
    assumptions: assumptionsOf(s),
  };
}

function monthlyRows(s: Scenario, dates: readonly string[], series: Record<string, RegionSeries>): MonthRow[] {
  const rows: MonthRow[] = [];
  const months = [...new Set(dates.map((d) => d.slice(0, 7)))];
  for (const month of months) {
    for (const g of s.market.regions) {
      const x = series[g.id]!;
      let kg = 0;
      let value = 0;
      let delivered = 0;
      let retail = 0;
      let n = 0;
      let demand = 0;
      let sales = 0;
      let shortage = 0;
      let off = 0;
      dates.forEach((date, i) => {
        if (!date.startsWith(month)) return;
        n++;
        retail += x.retailTengePerLitre[i]!;
        demand += x.demandTonnes[i]!;
        sales += x.salesTonnes[i]!;
        shortage += x.shortageTonnes[i]!;
        off += x.offExchangeTonnes[i]!;
        const t = x.exchangeTonnes[i]!;
        if (t > 0) {
          kg += t;
          value += t * x.wholesaleTengePerTonne[i]!;
          delivered += t * x.deliveredTengePerTonne[i]!;
        }
      });
      rows.push({
        month,
        region: g.id,
        wholesaleTengePerTonne: kg > 0 ? fixed(value / kg, 0) : null,
        deliveredTengePerTonne: kg > 0 ? fixed(delivered / kg, 0) : null,
        retailTengePerLitre: fixed(retail / n, 2),
        demandTonnes: fixed(demand, 0),
        salesTonnes: fixed(sales, 0),
        shortageTonnes: fixed(shortage, 0),
        shortagePercent: demand > 0 ? fixed((100 * shortage) / demand, 2) : 0,
        exchangeTonnes: fixed(kg, 0),
        offExchangeTonnes: fixed(off, 0),
      });
    }
  }
  return rows;
}

/** Every documented number of the scenario, for the report. */
function assumptionsOf(s: Scenario): { path: string; value: string; note: string }[] {
  const rows: { path: string; value: string; note: string }[] = [];
  const visit = (value: unknown, path: string, pattern: string) => {
    if (typeof value === "number") {
      rows.push({ path, value: String(value), note: s.notes[pattern] ?? "" });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const label = typeof item === "object" && item !== null && "id" in item ? String(item.id) : String(i);
        visit(item, `${path}[${label}]`, `${pattern}[]`);
      });
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (path === "" && key === "notes") continue;
        visit(item, path === "" ? key : `${path}.${key}`, pattern === "" ? key : `${pattern}.${key}`);
      }
    }
  };
  visit(s, "", "");
  return rows;
}
