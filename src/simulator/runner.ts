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
import { ConstraintLog } from "./constraints.ts";
import { addDays, daysInMonth, formatDate, isWeekend, minutesOf, monthOf, nextMonth, parseDate } from "./dates.ts";
import { Drivers } from "./drivers.ts";
import { InProcessExchange } from "./exchange.ts";
import { ManipulatorAgents } from "./manipulators.ts";
import { Producer, type ProducerDay } from "./producer.ts";
import { Random } from "./random.ts";
import { Reseller } from "./reseller.ts";
import type { MonthRow, NationalSeries, RegionSeries, ResaleRow, SessionRow, SimulationResult } from "./results.ts";
import { type MarketRules, type Region, type RuleChange, type Scenario, ScenarioError } from "./scenario.ts";
import {
  buyerSettingsOf,
  demandCurveOf,
  netbackOf,
  producerSettingsOf,
  routeLogisticsOf,
  unitCostAtRetail,
} from "./settings.ts";
import { fixed, MS_PER_DAY, toTiynPerTonne } from "./units.ts";
import { validationRows } from "./validation.ts";

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
  /**
   * The operator's acts of a trading day after the session and the agents' reading of its fills, before settlement
   * (e.g. voiding a trade, as the demo's operator may): tests use it to put the agents through them.
   */
  readonly beforeSettlement?: (exchange: InProcessExchange, dayIndex: number) => void;
}

interface RouteInfo {
  readonly plant: string;
  readonly region: string;
  readonly costTengePerTonne: number;
  readonly transitDays: number;
  readonly planTonnesPerMonth: number;
}

/** Transport cost and transit time, by region and then by plant. */
type Logistics = Map<string, Map<string, { costTengePerTonne: number; transitDays: number }>>;

/** A region's drivers and its filling-station networks (one buyer agent each). */
interface RegionAgents {
  readonly spec: Region;
  readonly drivers: Drivers;
  readonly buyers: Buyer[];
}

/** The market of a run as set up before the first day: the exchange, its members, their agents, the calendar. */
interface Market {
  readonly exchange: InProcessExchange;
  readonly beforeSettlement: RunOptions["beforeSettlement"];
  readonly startMs: number;
  readonly tradingCalendar: readonly boolean[];
  readonly netback: ReadonlyMap<string, number>;
  readonly routes: readonly RouteInfo[];
  readonly logistics: Logistics;
  readonly manipulators: ManipulatorAgents;
  readonly producers: readonly Producer[];
  readonly regions: readonly RegionAgents[];
  readonly regionById: ReadonlyMap<string, RegionAgents>;
  readonly orderRandom: Random;
  /** Resellers between regions (reseller.ts), one per link of the scenario. */
  readonly resellers: readonly Reseller[];
  /** What held each region's supply back, per month (constraints.ts). */
  readonly constraints: ConstraintLog;
  readonly buyersAll: readonly Buyer[];
  /** Session open and close, minutes after 00:00 UTC. */
  readonly sessionOpenMin: number;
  readonly sessionCloseMin: number;
}

/** A listed instrument: its id, route and delivery month (YYYY-MM). */
interface ListedInstrument {
  readonly id: string;
  readonly route: RouteInfo;
  readonly delivery: string;
}

/** What a run changes from day to day, beyond the agents' own state. */
interface RunState {
  /** The current month's instruments, one per route. */
  instruments: ListedInstrument[];
  /** The next month's instruments once listed (`rules.nextMonthFromDay`): the sessions trade these. */
  nextInstruments: ListedInstrument[];
  listed: number;
  readonly haltedRegions: Set<string>;
  marketHalted: boolean;
  ceilingSteps: { effectiveFromMs: number; ceiling: number }[];
  /** The safeguards new instruments get, as dated changes leave them. */
  readonly safeguardsInForce: {
    bandPercent: number | null;
    ceilingTengePerTonne: number | null;
    maxSharePercent: number | null;
  };
  /** The rules of supply in force (the scenario's, as dated `market` changes leave them). */
  marketRules: MarketRules;
  /** Retail caps set by dated changes, per region. */
  readonly datedCaps: Map<string, number | null>;
  /** Each region's latest delivered price (volume-weighted over its latest trading day with trade), tenge/t. */
  readonly lastDeliveredTenge: Map<string, number>;
  /** The latest session price by route key (`plant>region`). */
  readonly lastPriceTiyn: Map<string, number>;
  readonly lastPlantPriceTenge: Map<string, number>;
}

/** The series a run collects, one entry per day (sessions: one row per instrument and session). */
interface Collected {
  readonly dates: string[];
  readonly tradingDays: boolean[];
  readonly regionSeries: Record<string, RegionSeries>;
  readonly national: NationalSeries;
  readonly sessions: SessionRow[];
  readonly resales: ResaleRow[];
}

/** The simulated day at hand. */
interface Day {
  readonly index: number;
  readonly dayMs: number;
  readonly date: string;
  readonly month: string;
}

/** What a day's session sold: by region (volume, value at the exchange, value delivered) and nationally. */
interface SessionTotals {
  readonly regionBought: Map<string, { kg: number; value: number; delivered: number }>;
  nationalKg: number;
  nationalValue: number;
}

/**
 * Runs a scenario on the real engine: sets up the market, runs the daily loop, checks the engine's invariants at the
 * end and collects the result. Each step of a day is its own function below, in the order the module comment gives.
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<SimulationResult> {
  const s = scenario;
  const market = setUpMarket(s, options);
  const collected = emptyCollected(s);
  const state = initialState(s, market);
  for (let d = 0; d < s.days; d++) {
    await runDay(s, market, state, collected, d);
    options.onProgress?.(d + 1, s.days);
  }
  market.exchange.engine.checkInvariants();
  return resultOf(s, market, state, collected);
}

/** Sets up the exchange and its members: routes, calendar, producers, regions with their networks, manipulators. */
function setUpMarket(s: Scenario, options: RunOptions): Market {
  const exchange = new InProcessExchange();
  const onApplied = options.onApplied;
  if (onApplied) {
    exchange.onApplied = (seq, timeMs, command, events) => onApplied(seq, timeMs, command, events, exchange.engine);
  }
  const random = new Random(s.seed);
  const startMs = parseDate(s.start);
  const tradingCalendar = tradingCalendarOf(s, startMs);
  const netback = new Map(s.market.plants.map((p) => [p.id, netbackOf(s, p)]));
  const routes: RouteInfo[] = s.market.routes.map((r) => ({
    plant: r.plant,
    region: r.region,
    ...routeLogisticsOf(s, r.distanceKm),
    planTonnesPerMonth: r.planTonnesPerMonth,
  }));
  const logistics: Logistics = new Map();
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
  const constraints = new ConstraintLog();
  const producers = setUpProducers(s, exchange, routes, manipulators, constraints);
  const regions = setUpRegions(s, exchange, routes, random, constraints);
  return {
    exchange,
    beforeSettlement: options.beforeSettlement,
    startMs,
    tradingCalendar,
    netback,
    routes,
    logistics,
    manipulators,
    producers,
    regions,
    regionById: new Map(regions.map((r) => [r.spec.id, r])),
    orderRandom: random.fork("order-of-bids"),
    resellers: setUpResellers(s, exchange),
    constraints,
    buyersAll: regions.flatMap((r) => r.buyers),
    sessionOpenMin: minutesOf(s.rules.session.open) - EXCHANGE_UTC_OFFSET_MIN,
    sessionCloseMin: minutesOf(s.rules.session.close) - EXCHANGE_UTC_OFFSET_MIN,
  };
}

/** One trader member per reseller link, with its working capital at the exchange. */
function setUpResellers(s: Scenario, exchange: InProcessExchange): Reseller[] {
  const r = s.resellers;
  if (r === null) return [];
  return r.links.map((link, k) => {
    const id = `RESELL-${k + 1}`;
    exchange.addTrader(id, `reseller ${link.from} to ${link.to}`);
    exchange.deposit(
      id,
      Math.ceil(
        r.workingCapitalSessions * r.lotsPerSession * (LOT_KG / 1000) * s.initialExchangePriceTengePerTonne * 100,
      ),
    );
    const onward = routeLogisticsOf(s, link.distanceKm);
    return new Reseller(
      id,
      {
        from: link.from,
        to: link.to,
        lotsPerSession: r.lotsPerSession,
        margin: r.marginPercent / 100,
        onwardCostTengePerTonne: onward.costTengePerTonne,
        onwardTransitDays: onward.transitDays,
      },
      exchange.port(id),
    );
  });
}

/** Which days from the start trade (no weekend, no holiday), far enough ahead to find the next trading day. */
function tradingCalendarOf(s: Scenario, startMs: number): boolean[] {
  const holidays = new Set(s.rules.session.holidays);
  const tradingCalendar: boolean[] = [];
  for (let d = 0; d < s.days + TRADING_DAY_SEARCH_MAX + 31; d++) {
    const ms = addDays(startMs, d);
    tradingCalendar.push(!isWeekend(ms) && !holidays.has(formatDate(ms)));
  }
  return tradingCalendar;
}

/** One producer member and its agent per plant. */
function setUpProducers(
  s: Scenario,
  exchange: InProcessExchange,
  routes: readonly RouteInfo[],
  manipulators: ManipulatorAgents,
  constraints: ConstraintLog,
): Producer[] {
  return s.market.plants.map((plant) => {
    exchange.addProducer(plant.id, plant.name);
    return new Producer(
      plant,
      routes
        .filter((r) => r.plant === plant.id)
        .map((r) => ({ region: r.region, planTonnesPerMonth: r.planTonnesPerMonth })),
      producerSettingsOf(s),
      manipulators.producerPort(plant.id, exchange.port(plant.id), parseDate),
      constraints,
    );
  });
}

/** Per region: its drivers, and a buyer member with its working capital for each filling-station network. */
function setUpRegions(
  s: Scenario,
  exchange: InProcessExchange,
  routes: readonly RouteInfo[],
  random: Random,
  constraints: ConstraintLog,
): RegionAgents[] {
  const curve = demandCurveOf(s);
  return s.market.regions.map((g): RegionAgents => {
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
        constraints,
      );
      for (let day = 1; day <= inboundTransitDays(routes, g.id); day++) buyer.preload(dailyKg, day);
      return buyer;
    });
    return { spec: g, drivers, buyers };
  });
}

/**
 * The plan-weighted transit time into a region: gas already on its way at the start is a day's sales arriving on
 * each of these days.
 */
function inboundTransitDays(routes: readonly RouteInfo[], region: string): number {
  const inbound = routes.filter((r) => r.region === region);
  const planSum = inbound.reduce((sum, r) => sum + r.planTonnesPerMonth, 0);
  return Math.round(
    inbound.reduce(
      (sum, r) => sum + r.transitDays * (planSum > 0 ? r.planTonnesPerMonth / planSum : 1 / inbound.length),
      0,
    ),
  );
}

/** Empty series for every region and the nation. */
function emptyCollected(s: Scenario): Collected {
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
  return { dates: [], tradingDays: [], regionSeries, national, sessions: [], resales: [] };
}

/** The state before the first day: no instruments, no halts, the scenario's safeguards and starting prices. */
function initialState(s: Scenario, market: Market): RunState {
  const lastPlantPriceTenge = new Map<string, number>();
  for (const p of s.market.plants) lastPlantPriceTenge.set(p.id, s.initialExchangePriceTengePerTonne);
  return {
    instruments: [],
    nextInstruments: [],
    listed: 0,
    haltedRegions: new Set<string>(),
    marketHalted: false,
    ceilingSteps: s.rules.safeguards.ceilingPath.map((step) => ({
      effectiveFromMs: parseDate(step.from) + market.sessionOpenMin * 60_000 - 3_600_000,
      ceiling: toTiynPerTonne(step.ceilingTengePerTonne, TICK_TIYN_PER_TONNE, "down"),
    })),
    safeguardsInForce: {
      bandPercent: s.rules.safeguards.bandPercent,
      ceilingTengePerTonne: s.rules.safeguards.ceilingTengePerTonne,
      maxSharePercent: s.rules.safeguards.maxSharePercent,
    },
    datedCaps: new Map<string, number | null>(),
    marketRules: {
      domesticObligation: s.rules.domesticObligation,
      exchangeSharePercent: s.rules.exchangeSharePercent,
      offExchangePriceTengePerTonne: s.rules.offExchangePriceTengePerTonne,
      exportOpen: s.rules.exportOpen,
      planScalePercent: s.rules.planScalePercent,
    },
    lastPriceTiyn: new Map<string, number>(),
    lastDeliveredTenge: new Map<string, number>(),
    lastPlantPriceTenge,
  };
}

/** The retail cap in force in a region on a date: a dated change's, else the lowest scheduled one, else none. */
function retailCapOf(s: Scenario, state: RunState, region: string, date: string): number | null {
  if (state.datedCaps.has(region)) return state.datedCaps.get(region)!;
  let cap: number | null = null;
  for (const c of s.rules.retailCaps) {
    if (c.region === region && c.from <= date && (c.until === null || date <= c.until)) {
      cap = cap === null ? c.tengePerLitre : Math.min(cap, c.tengePerLitre);
    }
  }
  return cap;
}

/** The daily loop's body: one simulated day in the order the module comment gives (steps 0 to 5). */
async function runDay(s: Scenario, market: Market, state: RunState, collected: Collected, d: number): Promise<void> {
  const dayMs = addDays(market.startMs, d);
  const day: Day = { index: d, dayMs, date: formatDate(dayMs), month: monthOf(dayMs) };
  market.constraints.setMonth(day.month);
  applyDatedChanges(s, market, state, day);
  market.exchange.setTime(dayMs);
  const producerDay: ProducerDay = {
    day: d,
    daysInMonth: daysInMonth(dayMs),
    obligation: state.marketRules.domesticObligation,
    exchangeShare: state.marketRules.exchangeSharePercent / 100,
    exportOpen: state.marketRules.exportOpen,
    netbackTengePerTonne: 0,
    planScale: state.marketRules.planScalePercent / 100,
  };
  if (d === 0 || day.date.endsWith("-01")) startMonth(s, market, state, day, producerDay);
  const from = s.rules.nextMonthFromDay;
  if (from !== null && Number(day.date.slice(8)) >= from && state.nextInstruments.length === 0) {
    listNextMonth(s, market, state, day);
  }
  applyScheduledHalts(s, market, state, day);
  produceAndShip(market, state, day, producerDay);
  const trading = market.tradingCalendar[d]!;
  const totals: SessionTotals = trading
    ? await runSession(s, market, state, collected, day, producerDay)
    : { regionBought: new Map(), nationalKg: 0, nationalValue: 0 };
  endDay(s, market, state, collected, day, producerDay, trading, totals);
}

/** Step 0: dated rule changes, at 00:00 local time of their date, through the regulator's commands. */
function applyDatedChanges(s: Scenario, market: Market, state: RunState, day: Day): void {
  const { exchange } = market;
  for (const { change, reason } of s.rules.changes.filter((c) => c.date === day.date)) {
    exchange.setTime(day.dayMs - EXCHANGE_UTC_OFFSET_MIN * 60_000);
    const why = `scenario ${s.name}, ${day.date}: ${reason}`;
    if (change.kind === "safeguards") {
      applySafeguardsChange(market, state, change, why);
    } else if (change.kind === "halt" || change.kind === "resume") {
      exchange.halt(change.kind, change.scope, change.region, why);
      if (change.scope === "market") state.marketHalted = change.kind === "halt";
      else if (change.kind === "halt") state.haltedRegions.add(change.region!);
      else state.haltedRegions.delete(change.region!);
    } else if (change.kind === "retailCap") {
      state.datedCaps.set(change.region, change.tengePerLitre);
    } else if (change.kind === "market") {
      const { kind: _, ...rules } = change;
      const wasObligated = state.marketRules.domesticObligation;
      state.marketRules = { ...state.marketRules, ...rules };
      // An obligation from mid-month: the month's plan is registered now (at a month's start, startMonth does it).
      if (!wasObligated && state.marketRules.domesticObligation && !day.date.endsWith("-01") && day.index > 0) {
        planMonth(s, market, state, day);
      }
    }
  }
}

/**
 * A dated safeguards change: the named fields change on every listed instrument and for instruments listed later; a
 * ceiling given drops the scenario's ceiling path.
 */
function applySafeguardsChange(
  market: Market,
  state: RunState,
  change: Extract<RuleChange, { kind: "safeguards" }>,
  why: string,
): void {
  const changes: Record<string, unknown> = {};
  if (change.bandPercent !== undefined) {
    state.safeguardsInForce.bandPercent = change.bandPercent;
    changes.bandBps = change.bandPercent === null ? null : Math.round(change.bandPercent * 100);
  }
  if (change.ceilingTengePerTonne !== undefined) {
    state.safeguardsInForce.ceilingTengePerTonne = change.ceilingTengePerTonne;
    state.ceilingSteps = [];
    changes.ceiling =
      change.ceilingTengePerTonne === null
        ? null
        : toTiynPerTonne(change.ceilingTengePerTonne, TICK_TIYN_PER_TONNE, "down");
    changes.ceilingPath = [];
  }
  if (change.maxSharePercent !== undefined) {
    state.safeguardsInForce.maxSharePercent = change.maxSharePercent;
    changes.maxShareBps = change.maxSharePercent === null ? null : Math.round(change.maxSharePercent * 100);
  }
  for (const x of [...state.instruments, ...state.nextInstruments]) market.exchange.setSafeguards(x.id, changes, why);
}

/**
 * Step 1, a new month: the month's instruments with their safeguards, halts carried over, the supply plans when
 * obligations are in force, producers' export capacity.
 */
function startMonth(s: Scenario, market: Market, state: RunState, day: Day, producerDay: ProducerDay): void {
  const { exchange } = market;
  exchange.engine.checkInvariants();
  if (state.nextInstruments.length > 0 && state.nextInstruments[0]!.id.endsWith(day.month)) {
    // Listed last month for this month's delivery (`rules.nextMonthFromDay`).
    state.instruments = state.nextInstruments;
    state.nextInstruments = [];
  } else {
    state.instruments = [];
    state.nextInstruments = [];
    for (const route of market.routes) {
      const id = listInstrument(s, market, state, route, day.month);
      setMonthSafeguards(s, market, state, id, day);
      state.instruments.push({ id, route, delivery: day.month });
    }
  }
  for (const region of state.haltedRegions) {
    exchange.halt("halt", "region", region, "halt continues into the new month");
  }
  if (state.marketHalted) exchange.halt("halt", "market", null, "halt continues into the new month");
  if (state.marketRules.domesticObligation) planMonth(s, market, state, day);
  for (const p of market.producers) p.startMonth(producerDay);
}

/**
 * `rules.nextMonthFromDay`: the next month's instruments are listed (with the safeguards in force and the ceiling
 * steps ahead), and from today the sessions trade them instead of the current month's.
 */
function listNextMonth(s: Scenario, market: Market, state: RunState, day: Day): void {
  const month = nextMonth(day.month);
  for (const route of market.routes) {
    const id = listInstrument(s, market, state, route, month);
    setMonthSafeguards(s, market, state, id, day);
    state.nextInstruments.push({ id, route, delivery: month });
  }
}

/** Registers the month's domestic supply plan of every plant with the exchange. */
function planMonth(s: Scenario, market: Market, state: RunState, day: Day): void {
  for (const p of s.market.plants) {
    const planKg = market.routes
      .filter((r) => r.plant === p.id)
      .reduce((sum, r) => sum + r.planTonnesPerMonth * 1000 * (state.marketRules.planScalePercent / 100), 0);
    market.exchange.planSupply(day.month, p.id, p.id, Math.round(planKg), `scenario ${s.name}: domestic supply plan`);
  }
}

/** Lists a route's call-auction instrument for the month, referenced at the route's latest session price. */
function listInstrument(s: Scenario, market: Market, state: RunState, route: RouteInfo, month: string): string {
  const id = `PB-${route.plant}-${route.region}-${month}`;
  const key = `${route.plant}>${route.region}`;
  const reference =
    state.lastPriceTiyn.get(key) ?? toTiynPerTonne(s.initialExchangePriceTengePerTonne, TICK_TIYN_PER_TONNE, "nearest");
  market.exchange.list({
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
  state.listed++;
  return id;
}

/** Sets the regulator's safeguards in force (and the ceiling path still ahead) on a newly listed instrument. */
function setMonthSafeguards(s: Scenario, market: Market, state: RunState, id: string, day: Day): void {
  const g = state.safeguardsInForce;
  const ceilingSteps = state.ceilingSteps;
  const ceilingNow = ceilingSteps.filter((step) => step.effectiveFromMs <= day.dayMs).at(-1)?.ceiling;
  const ceiling =
    ceilingNow ??
    (g.ceilingTengePerTonne === null ? null : toTiynPerTonne(g.ceilingTengePerTonne, TICK_TIYN_PER_TONNE, "down"));
  if (g.bandPercent !== null || ceiling !== null || g.maxSharePercent !== null || ceilingSteps.length > 0) {
    market.exchange.setSafeguards(
      id,
      {
        bandBps: g.bandPercent === null ? null : Math.round(g.bandPercent * 100),
        ceiling,
        ceilingPath: ceilingSteps.filter((step) => step.effectiveFromMs > day.dayMs),
        maxShareBps: g.maxSharePercent === null ? null : Math.round(g.maxSharePercent * 100),
      },
      `scenario ${s.name}: the regulator's safeguards for ${day.month}`,
    );
  }
}

/** Step 2: the halts and resumptions the scenario schedules for the day. */
function applyScheduledHalts(s: Scenario, market: Market, state: RunState, day: Day): void {
  for (const e of s.rules.events) {
    if (e.date !== day.date) continue;
    market.exchange.setTime(day.dayMs + 3_600_000);
    market.exchange.halt(e.type, e.scope, e.region, e.reason);
    if (e.scope === "market") state.marketHalted = e.type === "halt";
    else if (e.type === "halt") state.haltedRegions.add(e.region!);
    else state.haltedRegions.delete(e.region!);
  }
}

/**
 * Step 3: plants produce and declare exchange-bound output; off-exchange volumes are shipped to the region's networks
 * (transport cost and transit time of the route); deliveries due today reach the stations.
 */
function produceAndShip(market: Market, state: RunState, day: Day, producerDay: ProducerDay): void {
  const { exchange } = market;
  const d = day.index;
  exchange.setTime(day.dayMs + 2 * 3_600_000);
  for (const p of market.producers) {
    const made = p.produce(producerDay);
    exchange.declareGas(p.id, p.id, made.declareKg);
    market.manipulators.declared(p.id, made.declareKg);
    const offPrice = state.marketRules.offExchangePriceTengePerTonne ?? state.lastPlantPriceTenge.get(p.id)!;
    for (const delivery of made.offExchange) {
      const region = market.regionById.get(delivery.region)!;
      const route = market.logistics.get(delivery.region)!.get(p.id)!;
      p.bookOffExchange(delivery.kg, offPrice);
      for (const b of region.buyers) {
        b.receiveOffExchange(delivery.kg * b.baseShare, offPrice + route.costTengePerTonne, d + route.transitDays);
      }
    }
  }
  for (const b of market.buyersAll) b.unload(d);
}

/**
 * Step 4, a trading day's session: every instrument opens its order collection, producers offer, networks bid, the
 * call auctions uncross at the close, the agents read their fills and the clearing operator settles.
 */
async function runSession(
  s: Scenario,
  market: Market,
  state: RunState,
  collected: Collected,
  day: Day,
  producerDay: ProducerDay,
): Promise<SessionTotals> {
  const { exchange, manipulators } = market;
  let daysToNext = 1;
  while (daysToNext < TRADING_DAY_SEARCH_MAX && !market.tradingCalendar[day.index + daysToNext]) daysToNext++;
  exchange.setTime(day.dayMs + market.sessionOpenMin * 60_000);
  const trading = state.nextInstruments.length > 0 ? state.nextInstruments : state.instruments;
  const live = trading.filter((x) => exchange.phase(x.id) === "closed");
  for (const x of live) exchange.openSession(x.id);
  manipulators.atOpen();
  await producersOffer(market, producerDay);
  await buyersBid(s, market, state, day, daysToNext);
  for (const r of market.resellers) {
    await r.trade(state.lastDeliveredTenge.get(r.settings.to) ?? null, market.logistics.get(r.settings.from)!);
  }
  manipulators.afterHonest();
  manipulators.beforeClose(day.dayMs + market.sessionCloseMin * 60_000);
  exchange.setTime(day.dayMs + market.sessionCloseMin * 60_000);
  const totals = uncross(market, state, collected, day, live);
  for (const [region, bought] of totals.regionBought)
    state.lastDeliveredTenge.set(region, bought.delivered / bought.kg);
  await settleAndLift(market, state, collected, day, daysToNext);
  return totals;
}

/** Producers' offers: each plant's agent offers at its netback-anchored asks. */
async function producersOffer(market: Market, producerDay: ProducerDay): Promise<void> {
  for (const p of market.producers) {
    await p.trade({ ...producerDay, netbackTengePerTonne: market.netback.get(p.id)! });
  }
}

/** Buyers' bids: every network bids, in an order drawn afresh each day, under the day's retail cap. */
async function buyersBid(s: Scenario, market: Market, state: RunState, day: Day, daysToNext: number): Promise<void> {
  const order = market.buyersAll.map((b) => ({ b, key: market.orderRandom.next() }));
  order.sort((a, b) => a.key - b.key);
  for (const { b } of order) {
    await b.trade({
      day: day.index,
      daysToNextSession: daysToNext,
      retailCapTengePerLitre: retailCapOf(s, state, b.region, day.date),
      logistics: market.logistics.get(b.region)!,
    });
  }
}

/** The call auctions uncross at the close: the session rows, the latest prices and what each region bought. */
function uncross(
  market: Market,
  state: RunState,
  collected: Collected,
  day: Day,
  live: readonly ListedInstrument[],
): SessionTotals {
  const totals: SessionTotals = { regionBought: new Map(), nationalKg: 0, nationalValue: 0 };
  for (const x of live) {
    market.manipulators.beforeUncross(x.id);
    const { result, offeredKg, bidKg } = market.exchange.closeSession(x.id);
    const key = `${x.route.plant}>${x.route.region}`;
    if (state.marketRules.exportOpen) {
      market.constraints.add(x.route.region, "netback", Math.min(bidKg, offeredKg) - result.volumeKg);
    }
    if (result.priceTiynPerTonne !== null && result.volumeKg > 0) {
      state.lastPriceTiyn.set(key, result.priceTiynPerTonne);
      const price = result.priceTiynPerTonne / 100;
      state.lastPlantPriceTenge.set(x.route.plant, price);
      const acc = totals.regionBought.get(x.route.region) ?? { kg: 0, value: 0, delivered: 0 };
      acc.kg += result.volumeKg;
      acc.value += price * result.volumeKg;
      acc.delivered += (price + x.route.costTengePerTonne) * result.volumeKg;
      totals.regionBought.set(x.route.region, acc);
      totals.nationalKg += result.volumeKg;
      totals.nationalValue += price * result.volumeKg;
    }
    collected.sessions.push({
      date: day.date,
      instrument: x.id,
      delivery: x.delivery,
      plant: x.route.plant,
      region: x.route.region,
      priceTengePerTonne: result.priceTiynPerTonne === null ? null : result.priceTiynPerTonne / 100,
      volumeTonnes: result.volumeKg / 1000,
      offeredTonnes: offeredKg / 1000,
      bidTonnes: bidKg / 1000,
    });
  }
  return totals;
}

/**
 * Settlement, delivery and transport after the close: the agents read their fills (buyers lift their gas into
 * transit), then the clearing operator settles every obligation (payment, delivery).
 */
async function settleAndLift(
  market: Market,
  state: RunState,
  collected: Collected,
  day: Day,
  daysToNext: number,
): Promise<void> {
  const { exchange } = market;
  // Gas bought for next month's delivery enters the stations' cost on the 1st of that month.
  const deliveryStartDay = new Map<string, number>();
  const nextMonthStart = day.index + daysInMonth(day.dayMs) - Number(day.date.slice(8)) + 1;
  for (const x of state.nextInstruments) deliveryStartDay.set(x.id, nextMonthStart);
  for (const p of market.producers) await p.afterSession();
  market.manipulators.afterSession();
  for (const b of market.buyersAll) {
    await b.afterSession({
      day: day.index,
      daysToNextSession: daysToNext,
      retailCapTengePerLitre: null,
      logistics: market.logistics.get(b.region)!,
      deliveryStartDay,
    });
  }
  for (const r of market.resellers) {
    for (const resale of await r.afterSession(day.index, market.logistics.get(r.settings.from)!)) {
      for (const b of market.regionById.get(r.settings.to)!.buyers) {
        b.receive(resale.kg * b.baseShare, resale.sellTengePerTonne, resale.arrivalDay);
      }
      collected.resales.push({
        date: day.date,
        reseller: r.id,
        from: r.settings.from,
        to: r.settings.to,
        instrument: resale.instrument,
        tonnes: fixed(resale.kg / 1000, 3),
        buyTengePerTonne: fixed(resale.buyTengePerTonne, 2),
        transportTengePerTonne: fixed(resale.transportTengePerTonne, 2),
        sellTengePerTonne: fixed(resale.sellTengePerTonne, 2),
      });
    }
  }
  exchange.setTime(day.dayMs + (market.sessionCloseMin + 60) * 60_000);
  market.beforeSettlement?.(exchange, day.index);
  exchange.settle();
  exchange.forgetDoneOrders();
}

/** Step 5: producers export and curtail, drivers buy at the stations; the day's series are recorded. */
function endDay(
  s: Scenario,
  market: Market,
  state: RunState,
  collected: Collected,
  day: Day,
  producerDay: ProducerDay,
  trading: boolean,
  totals: SessionTotals,
): void {
  market.exchange.setTime(day.dayMs + 14 * 3_600_000);
  let exportKg = 0;
  let curtailKg = 0;
  for (const p of market.producers) {
    const out = p.dispose(producerDay, trading);
    market.exchange.withdrawGas(p.id, p.id, out.exportKg + out.curtailKg);
    exportKg += out.exportKg;
    curtailKg += out.curtailKg;
  }
  let nDemand = 0;
  let nSales = 0;
  let nShortage = 0;
  let nRetailWeighted = 0;
  for (const region of market.regions) {
    const cap = retailCapOf(s, state, region.spec.id, day.date);
    const served = serveRegion(market, region, cap, collected, totals);
    nDemand += served.demandKg;
    nSales += served.salesKg;
    nShortage += served.shortageKg;
    nRetailWeighted += served.averageRetailTengePerLitre * served.demandKg;
  }
  const national = collected.national;
  national.exchangeTonnes.push(fixed(totals.nationalKg / 1000, 0));
  national.wholesaleTengePerTonne.push(
    totals.nationalKg > 0 ? fixed(totals.nationalValue / totals.nationalKg, 0) : null,
  );
  national.exportTonnes.push(fixed(exportKg / 1000, 0));
  national.curtailedTonnes.push(fixed(curtailKg / 1000, 0));
  national.demandTonnes.push(fixed(nDemand / 1000, 1));
  national.salesTonnes.push(fixed(nSales / 1000, 1));
  national.shortageTonnes.push(fixed(nShortage / 1000, 1));
  national.retailTengePerLitre.push(fixed(nRetailWeighted / nDemand, 2));
  collected.dates.push(day.date);
  collected.tradingDays.push(trading);
}

/**
 * A region's retail day: the cap applies, drivers buy at the stations, the networks close their day and set
 * tomorrow's retail prices; the region's series get the day's entry.
 */
function serveRegion(
  market: Market,
  region: RegionAgents,
  cap: number | null,
  collected: Collected,
  totals: SessionTotals,
): ReturnType<Drivers["serve"]> {
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
  const series = collected.regionSeries[region.spec.id]!;
  const bought = totals.regionBought.get(region.spec.id);
  let offKg = 0;
  let stockKg = 0;
  for (const b of region.buyers) stockKg += b.stockKg + b.inTransitKg;
  for (const p of market.producers) offKg += p.lastOffExchangeTo(region.spec.id);
  series.retailTengePerLitre.push(fixed(served.averageRetailTengePerLitre, 2));
  series.wholesaleTengePerTonne.push(bought ? fixed(bought.value / bought.kg, 0) : null);
  series.deliveredTengePerTonne.push(bought ? fixed(bought.delivered / bought.kg, 0) : null);
  series.exchangeTonnes.push(fixed((bought?.kg ?? 0) / 1000, 0));
  series.offExchangeTonnes.push(fixed(offKg / 1000, 1));
  series.demandTonnes.push(fixed(served.demandKg / 1000, 1));
  series.salesTonnes.push(fixed(served.salesKg / 1000, 1));
  series.shortageTonnes.push(fixed(served.shortageKg / 1000, 1));
  series.stockTonnes.push(fixed(stockKg / 1000, 0));
  return served;
}

/** Collects the result: the scenario's identity, the series, monthly rows, producers' totals, the engine's counts. */
function resultOf(s: Scenario, market: Market, state: RunState, collected: Collected): SimulationResult {
  const { exchange, manipulators } = market;
  const result = {
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
    dates: collected.dates,
    tradingDays: collected.tradingDays,
    regionSeries: collected.regionSeries,
    national: collected.national,
    sessions: collected.sessions,
    resales: collected.resales,
    resellers: market.resellers.map((r) => ({
      id: r.id,
      from: r.settings.from,
      to: r.settings.to,
      sessionsBid: r.totals.sessionsBid,
      sessionsTraded: r.totals.sessionsTraded,
      tonnes: fixed(r.totals.boughtKg / 1000, 0),
      averageBuyTengePerTonne:
        r.totals.boughtKg > 0 ? fixed((r.totals.buyValueTenge / r.totals.boughtKg) * 1000, 0) : null,
      averageTransportTengePerTonne:
        r.totals.boughtKg > 0 ? fixed((r.totals.transportTenge / r.totals.boughtKg) * 1000, 0) : null,
      averageSellTengePerTonne:
        r.totals.boughtKg > 0 ? fixed((r.totals.sellValueTenge / r.totals.boughtKg) * 1000, 0) : null,
    })),
    monthly: monthlyRows(s, collected.dates, collected.regionSeries),
    constraints: market.constraints.rows(
      [...new Set(collected.dates.map((d) => d.slice(0, 7)))],
      s.market.regions.map((g) => g.id),
    ),
    producers: market.producers.map((p) => producerRowOf(p, market.netback.get(p.id)!)),
    engine: {
      commands: exchange.commandCount,
      events: exchange.eventCount,
      instrumentsListed: state.listed,
      ordersRefusedByCode: Object.fromEntries([...exchange.rejections].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      stateHash: exchange.engine.stateHash(),
    },
    manipulators: manipulators.accounts,
    manipulatorSessions: { ...manipulators.acts },
  };
  return { ...result, assumptions: assumptionsOf(s), validation: validationRows(s.observed, result) };
}

/** A producer's totals over the run, in tonnes and tenge. */
function producerRowOf(p: Producer, netbackTengePerTonne: number): SimulationResult["producers"][number] {
  const t = p.totals;
  const sold = t.soldObligatedKg + t.soldFreeKg;
  return {
    plant: p.id,
    name: p.plant.name,
    netbackTengePerTonne: fixed(netbackTengePerTonne, 0),
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
  const inputs = new Map(s.inputs.map((i) => [i.path, i]));
  const inputNote = (path: string) => {
    const input = inputs.get(path.replace(/^market\./, ""));
    if (input === undefined) return undefined;
    const range = input.low === null ? "" : ` Range ${input.low}–${input.high} (${input.distribution}).`;
    return input.source !== null ? `Source: ${input.source}${range}` : `Assumed: ${input.assumed}${range}`;
  };
  const visit = (value: unknown, path: string, pattern: string) => {
    if (typeof value === "number") {
      rows.push({ path, value: String(value), note: inputNote(path) ?? s.notes[pattern] ?? "" });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const o = typeof item === "object" && item !== null ? (item as Record<string, unknown>) : null;
        const label =
          o !== null && "id" in o
            ? String(o.id)
            : o !== null && "plant" in o && "region" in o
              ? `${String(o.plant)}>${String(o.region)}`
              : String(i);
        visit(item, `${path}[${label}]`, `${pattern}[]`);
      });
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (path === "" && (key === "notes" || key === "inputs" || key === "observed")) continue;
        visit(item, path === "" ? key : `${path}.${key}`, pattern === "" ? key : `${pattern}.${key}`);
      }
    }
  };
  visit(s, "", "");
  return rows;
}
