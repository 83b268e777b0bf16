/**
 * The demo market's traders: the policy lab's own agents (src/simulator: producers, filling-station networks and the
 * drivers they serve) trading on the live exchange through its public REST API, each through an `HttpMarketPort`
 * with its member's signed API key. The agents' code is the lab's, unchanged; this file gives them a calendar.
 *
 * How the lab's day maps to the live market. In the lab a day is one call session: producers offer, networks bid,
 * the auction clears, everyone reads its fills and learns. Here each agent keeps that cycle, with its own "session":
 * - Continuous desk (the instruments open around the clock): a round of `roundMs` wall time is one simulated day.
 *   Every agent acts once per round, at its own slot (the order drawn afresh each round, spread evenly over it): it
 *   ends its previous session (mass cancel of what is left of its orders), reads its fills and learns, and quotes
 *   anew. So each agent's orders live one round, meet every other agent's once, and the board changes every few
 *   seconds. At the start of a round the drivers of each region buy at the stations (the day that ended) and the back
 *   office settles trades.
 * - Auction desk (the hourly call instrument): one order collection is one simulated day of its own small world (the
 *   rest of the country). When a collection opens, its producer offers at once and its buyers bid at moments spread
 *   over most of the collection; the auction clears at the close; they read their fills at the next collection.
 * Producers' physical gas moves as the runner moves it: each day's output is declared to the exchange and exports and
 * curtailment are withdrawn, by the demo back office (in-process, the operator's commands, as a plant's metering and
 * the exchange staff would book them). The back office also settles every trade of a demo buyer a while after it (a
 * bank transfer tops the buyer up when needed, payment and delivery are confirmed, the buyer lifts its gas).
 *
 * Robustness: each agent's step is isolated; an agent whose step fails (a request unanswered, a reply not understood,
 * an agent invariant) is rebuilt from scratch with a fresh namespace after its orders are cancelled and, for a
 * producer, its free gas taken back, so a failure costs one agent one round. A refusal is no failure: the agent
 * hears the code and carries on. Open orders are bounded by one round of each agent's quotes; every queue here is
 * bounded; timestamps and randomness are the only wall-clock and seeded inputs (`tick()` runs what is due by the
 * exchange's clock, so a test can drive it step by step).
 */

import type { Command } from "../../engine/commands.ts";
import { Buyer, type BuyerDay, type BuyerSettings } from "../../simulator/buyer.ts";
import { daysInMonth, monthOf } from "../../simulator/dates.ts";
import { Drivers } from "../../simulator/drivers.ts";
import { Producer, type ProducerDay } from "../../simulator/producer.ts";
import { Random } from "../../simulator/random.ts";
import type { Scenario } from "../../simulator/scenario.ts";
import {
  buyerSettingsOf,
  demandCurveOf,
  netbackOf,
  producerSettingsOf,
  routeLogisticsOf,
  unitCostAtRetail,
} from "../../simulator/settings.ts";
import { tengePerLitre } from "../../simulator/units.ts";
import type { Exchange } from "../exchange.ts";
import { nextScheduledChange } from "../scheduler.ts";
import { AccountFills, ApiClient, type ApiKeyCredentials, cancelResting, HttpMarketPort } from "./http-port.ts";
import {
  checkWorld,
  type Desk,
  loadBehaviour,
  markupPercentOf,
  type NetworkSpec,
  PRODUCERS,
  type ProducerSpec,
  plantOf,
  REGIONS,
  type RegionSpec,
} from "./world.ts";

/** How often the timer looks for work due. */
export const TICK_MS = 250;
/** One simulated day of the continuous desk. */
export const ROUND_MS_DEFAULT = 60_000;
/** A trade is settled (paid, delivered, lifted) this long after it, as bank statements and delivery acts arrive. */
export const SETTLE_AFTER_MS = 10_000;
/** Most trades settled in one pass; the rest wait for the next round. */
export const SETTLEMENTS_PER_PASS_MAX = 2_000;
/** Trades waiting for settlement; beyond this the back office is hopelessly behind, and the demo stops trading. */
export const SETTLEMENT_QUEUE_MAX = 200_000;
/** A buyer whose free money would fall below this after paying is topped up by this much more (tiyn). */
export const TOP_UP_TIYN = 100_000_000_000; // 1 billion tenge
/** Failures are logged at most this often (each line counts those not logged). */
export const ERROR_LOG_EVERY_MS = 60_000;
/** The auction desk's buyers bid within this share of the collection that is left; the rest is a margin. */
const AUCTION_BID_SHARE = 0.8;
/** Collection assumed when an auction instrument has no calendar to say when it closes. */
const AUCTION_WINDOW_DEFAULT_MS = 10 * 60_000;
const DAYS_PER_MONTH_AVERAGE = 365 / 12;
const MS_PER_DAY = 86_400_000;
/** Client order ids of the demo's agents (`<run>.<agent>.<generation>-<id>`) and of its earlier scripted traders. */
const DEMO_ORDER_ID = /^(?:[0-9a-z]+\.\d+\.\d+-|demo-\d+$)/;
const BACK_OFFICE = { actor: "demo back office", role: "operator", source: "demo" };

export interface DemoAgentsOptions {
  readonly exchange: Exchange;
  readonly baseUrl: string;
  /** The demo members' API keys, by member id. */
  readonly keys: ReadonlyMap<string, ApiKeyCredentials>;
  readonly roundMs?: number;
  readonly seed?: number;
  /** The policy-lab scenario the agents' behaviour comes from. */
  readonly scenarioPath?: string;
  readonly log?: (line: string) => void;
}

export interface DemoAgentsStats {
  readonly rounds: number;
  readonly auctions: number;
  readonly steps: number;
  readonly failures: number;
  readonly lastFailure: string | null;
  readonly ordersSent: number;
  readonly ordersAccepted: number;
  /** Refused orders by the exchange's code; each was answered to its agent, which carried on. */
  readonly refusals: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly settled: number;
  readonly openOrdersMax: number;
}

interface AgentBase {
  readonly label: string;
  readonly desk: Desk;
  readonly account: string;
  readonly member: string;
  readonly index: number;
  readonly instruments: ReadonlySet<string>;
  port: HttpMarketPort;
  generation: number;
  /** Its last step failed and it could not be rebuilt then: rebuild before its next step. */
  broken: boolean;
}

interface ProducerAgent extends AgentBase {
  readonly kind: "producer";
  readonly spec: ProducerSpec;
  producer: Producer;
  lastDay: ProducerDay | null;
  month: string | null;
}

interface BuyerAgent extends AgentBase {
  readonly kind: "buyer";
  readonly spec: NetworkSpec;
  readonly region: RegionWorld;
  buyer: Buyer;
  lastDay: BuyerDay | null;
}

type Agent = ProducerAgent | BuyerAgent;

interface RegionWorld {
  readonly spec: RegionSpec;
  readonly drivers: Drivers;
  readonly settings: BuyerSettings;
  readonly dailyKg: number;
  readonly unitCostTengePerTonne: number;
  readonly logistics: ReadonlyMap<string, { readonly costTengePerTonne: number; readonly transitDays: number }>;
  readonly agents: BuyerAgent[];
}

/** A desk's simulated calendar: day numbers and dates, one per round. */
interface DeskClock {
  day: number;
  dateMs: number;
}

interface Slot {
  readonly atMs: number;
  readonly agent: Agent;
}

interface Settlement {
  readonly obligation: string;
  readonly dueMs: number;
}

export class DemoAgents {
  private readonly exchange: Exchange;
  private readonly roundMs: number;
  private readonly log: (line: string) => void;
  private readonly random: Random;
  private readonly orderRandom: Random;
  private readonly clients = new Map<string, ApiClient>();
  private readonly feeds = new Map<string, AccountFills>();
  private readonly agents: Agent[] = [];
  private readonly regions: RegionWorld[] = [];
  private readonly desks: Record<Desk, DeskClock>;
  private readonly auctionInstruments: string[];
  private readonly buyerAccounts: ReadonlySet<string>;
  private readonly runId: string;
  private queue: Slot[] = [];
  private nextRoundMs: number;
  private lastAuctionSession = new Map<string, number>();
  private readonly toSettle: Settlement[] = [];
  private topUps = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private unsubscribe: (() => void) | null = null;
  private lastErrorLogMs = Number.NEGATIVE_INFINITY;
  private errorsNotLogged = 0;
  // Statistics, kept across rebuilt agents.
  private rounds = 0;
  private auctions = 0;
  private steps = 0;
  private failures = 0;
  private lastFailure: string | null = null;
  private retired = { sent: 0, accepted: 0, refusals: new Map<string, number>() };
  private readonly retiredPorts = new WeakSet<HttpMarketPort>();
  private settled = 0;
  private openOrdersMax = 0;

  private constructor(
    options: DemoAgentsOptions,
    private readonly scenario: Scenario,
    private readonly instrumentOf: (basis: string, region: string) => string | null,
  ) {
    this.exchange = options.exchange;
    this.roundMs = options.roundMs ?? ROUND_MS_DEFAULT;
    this.log = options.log ?? (() => {});
    this.random = new Random(options.seed ?? 2022, "demo");
    this.orderRandom = this.random.fork("order-of-steps");
    const now = this.exchange.clock();
    this.runId = now.toString(36);
    const today = Math.floor(now / MS_PER_DAY) * MS_PER_DAY;
    this.desks = {
      continuous: { day: -1, dateMs: today - MS_PER_DAY },
      auction: { day: -1, dateMs: today - MS_PER_DAY },
    };
    this.nextRoundMs = now;
    for (const [member, key] of options.keys)
      this.clients.set(member, new ApiClient(options.baseUrl, key, this.exchange.clock));
    this.auctionInstruments = this.exchange.projections.instruments
      .all()
      .map((info) => info.instrument)
      .filter((id) => this.exchange.projections.controls.instrument(id)?.mode === "call");
    this.buyerAccounts = new Set(REGIONS.flatMap((r) => r.networks.map((n) => n.account)));
  }

  /**
   * Prepares the agents: opens the accounts the demo's desks need, cancels whatever the demo accounts left resting
   * (an earlier run's orders), takes back the producers' free gas (their agents declare output day by day from
   * here), and opens a port per agent.
   */
  static async create(options: DemoAgentsOptions): Promise<DemoAgents> {
    checkWorld();
    const scenario = loadBehaviour(options.scenarioPath);
    const listed = options.exchange.projections.instruments.all();
    const instrumentOf = (basis: string, region: string) =>
      listed.find((info) => info.basis === basis && info.region === region)?.instrument ?? null;
    const agents = new DemoAgents(options, scenario, instrumentOf);
    await agents.prepare();
    return agents;
  }

  private async prepare(): Promise<void> {
    const accounts = this.exchange.projections.accounts;
    for (const spec of PRODUCERS) {
      if (accounts.info(spec.account) === null) {
        await this.backOffice({ type: "account.open", account: spec.account, member: spec.member });
      }
    }
    const all = [
      ...PRODUCERS.map((p) => ({ account: p.account, member: p.member })),
      ...REGIONS.flatMap((r) => r.networks),
    ];
    const seen = new Set<string>();
    for (const { account, member } of all) {
      if (seen.has(account)) continue;
      seen.add(account);
      await cancelResting(this.client(member), account, (id) => DEMO_ORDER_ID.test(id));
    }
    for (const spec of PRODUCERS) await this.takeBackGas(spec);
    // Trades left unsettled by an earlier run are settled like new ones.
    for (const account of this.buyerAccounts) {
      for (const o of accounts.obligations(account, { status: "open", role: "buyer" })) {
        this.toSettle.push({ obligation: o.id, dueMs: o.tradeTimeMs + SETTLE_AFTER_MS });
      }
    }
    this.toSettle.sort((a, b) => a.dueMs - b.dueMs);
    this.unsubscribe = this.exchange.onOutcomes((outcomes) => {
      for (const outcome of outcomes) {
        for (const event of outcome.events) {
          if (event.type !== "obligation.created" || !this.buyerAccounts.has(event.obligation.buyer)) continue;
          if (this.toSettle.length >= SETTLEMENT_QUEUE_MAX) {
            this.fail("the back office", new Error(`more than ${SETTLEMENT_QUEUE_MAX} trades wait for settlement`));
            this.stopping = true;
            return;
          }
          this.toSettle.push({ obligation: event.obligation.id, dueMs: outcome.timeMs + SETTLE_AFTER_MS });
        }
      }
    });

    const curve = demandCurveOf(this.scenario);
    for (const spec of REGIONS) {
      const routes = PRODUCERS.flatMap((p) =>
        p.routes.filter((r) => r.region === spec.region).map((r) => ({ producer: p, route: r })),
      );
      const logistics = new Map(
        routes.map(({ producer, route }) => [producer.basis, routeLogisticsOf(this.scenario, route.distanceKm)]),
      );
      // The networks start where the market is: their unit cost is the plan-weighted delivered reference price, and
      // the retail price they charge at it is the one their drivers are used to.
      let planSum = 0;
      let costSum = 0;
      for (const { producer, route } of routes) {
        const instrument = this.instrumentOf(producer.basis, spec.region);
        const reference = instrument === null ? null : this.exchange.projections.sessions.referencePrice(instrument);
        if (reference === null) continue;
        planSum += route.planTonnesPerMonth;
        costSum += route.planTonnesPerMonth * (reference / 100 + logistics.get(producer.basis)!.costTengePerTonne);
      }
      if (planSum === 0) continue;
      const unitCost = costSum / planSum;
      const markupPercent = markupPercentOf(this.scenario, spec);
      const retail =
        tengePerLitre(unitCost * (1 + markupPercent / 100), this.scenario.densityKgPerLitre) +
        this.scenario.buyers.stationCostTengePerLitre;
      const settings = buyerSettingsOf(this.scenario, { markupPercent, retailTengePerLitre: retail }, curve);
      const dailyKg = (spec.demandTonnesPerMonth * 1000) / DAYS_PER_MONTH_AVERAGE;
      const world: RegionWorld = {
        spec,
        drivers: new Drivers(
          spec.region,
          dailyKg,
          retail,
          curve,
          this.scenario.drivers.dailyNoisePercent / 100,
          this.scenario.drivers.stationChoiceSensitivity,
          this.random.fork(`drivers/${spec.region}`),
        ),
        settings,
        dailyKg,
        unitCostTengePerTonne: unitCostAtRetail(retail, settings),
        logistics,
        agents: [],
      };
      this.regions.push(world);
      for (const network of spec.networks) {
        const instruments = new Set(
          routes.map(({ producer }) => this.instrumentOf(producer.basis, spec.region)).filter((id) => id !== null),
        );
        const agent: BuyerAgent = {
          kind: "buyer",
          label: `network ${network.account} in ${spec.region}`,
          desk: spec.desk,
          account: network.account,
          member: network.member,
          index: this.agents.length,
          instruments,
          spec: network,
          region: world,
          generation: 0,
          broken: false,
          port: null as never,
          buyer: null as never,
          lastDay: null,
        };
        await this.build(agent);
        world.agents.push(agent);
        this.agents.push(agent);
      }
    }
    for (const spec of PRODUCERS) {
      const instruments = new Set(
        spec.routes.map((r) => this.instrumentOf(spec.basis, r.region)).filter((id) => id !== null),
      );
      if (instruments.size === 0) continue;
      const agent: ProducerAgent = {
        kind: "producer",
        label: `producer ${spec.account}`,
        desk: spec.desk,
        account: spec.account,
        member: spec.member,
        index: this.agents.length,
        instruments,
        spec,
        generation: 0,
        broken: false,
        port: null as never,
        producer: null as never,
        lastDay: null,
        month: null,
      };
      await this.build(agent);
      this.agents.push(agent);
    }
  }

  private client(member: string): ApiClient {
    const client = this.clients.get(member);
    if (!client) throw new Error(`the demo has no API key for member ${member}`);
    return client;
  }

  /** A fresh agent with a fresh port (a new namespace, so fills of an earlier generation never reach it). */
  private async build(agent: Agent): Promise<void> {
    let feed = this.feeds.get(agent.account);
    if (!feed) {
      feed = new AccountFills(this.client(agent.member), agent.account);
      await feed.open();
      this.feeds.set(agent.account, feed);
    }
    const port = new HttpMarketPort({
      client: this.client(agent.member),
      feed,
      namespace: `${this.runId}.${agent.index}.${agent.generation}-`,
      instruments: agent.instruments,
    });
    agent.port = port;
    if (agent.kind === "producer") {
      const plant = plantOf(this.scenario, agent.spec);
      agent.producer = new Producer(
        plant,
        agent.spec.routes.map((r) => ({ region: r.region, planTonnesPerMonth: r.planTonnesPerMonth })),
        producerSettingsOf(this.scenario),
        port,
      );
      agent.lastDay = null;
      agent.month = null;
    } else {
      const world = agent.region;
      const share = agent.spec.sharePercent / 100;
      const dailyKg = world.dailyKg * share;
      // The demo joins a running market: a network holds its safety stock and has gas in transit, so it buys from
      // its first session (the lab's opening stock, for a run that starts from a standstill, would idle it for days).
      const buyer = new Buyer(
        agent.account,
        world.spec.region,
        share,
        dailyKg,
        dailyKg * this.scenario.buyers.safetyStockDays,
        world.unitCostTengePerTonne,
        world.settings,
        port,
        this.random.fork(`buyer/${agent.account}/${world.spec.region}/${agent.generation}`),
      );
      // Gas already on its way: a day's sales arriving on each day of the plan-weighted transit, as in the lab.
      let transitDays = 0;
      for (const l of world.logistics.values()) transitDays += l.transitDays / world.logistics.size;
      for (let day = 1; day <= Math.round(transitDays); day++) buyer.preload(dailyKg, this.desks[agent.desk].day + day);
      agent.buyer = buyer;
      agent.lastDay = null;
    }
  }

  /** Rebuilds a failed agent: its orders cancelled, a producer's free gas taken back, a new agent and port. */
  private async rebuild(agent: Agent): Promise<void> {
    agent.broken = true;
    this.retire(agent.port);
    await agent.port.closeSession(true);
    agent.port.close();
    if (agent.kind === "producer") await this.takeBackGas(agent.spec);
    agent.generation++;
    await this.build(agent);
    agent.broken = false;
  }

  /** Adds a port's counts to the totals once, when its agent is rebuilt. */
  private retire(port: HttpMarketPort): void {
    if (this.retiredPorts.has(port)) return;
    this.retiredPorts.add(port);
    this.retired.sent += port.submitted;
    this.retired.accepted += port.accepted;
    for (const [code, n] of port.refusals) this.retired.refusals.set(code, (this.retired.refusals.get(code) ?? 0) + n);
  }

  /** The plant takes back the gas the exchange holds free for this account: its agent books its own from zero. */
  private async takeBackGas(spec: ProducerSpec): Promise<void> {
    const free =
      this.exchange.projections.accounts.balances(spec.account).find((b) => b.asset === `GAS:${spec.basis}`)?.free ??
      0n;
    if (free > 0n) {
      await this.backOffice({ type: "gas.withdraw", account: spec.account, basis: spec.basis, quantity: Number(free) });
    }
  }

  private async backOffice(command: Command): Promise<void> {
    const outcome = await this.exchange.submit(command, BACK_OFFICE);
    const refused = outcome.events.find((e) => e.type === "rejected");
    if (refused && refused.type === "rejected") {
      throw new Error(`the back office's ${command.type} was refused: ${refused.code}: ${refused.message}`);
    }
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Running.

  start(): void {
    if (this.timer || this.stopping) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.fail("the demo driver", error))
        .finally(() => {
          this.running = null;
        });
    }, TICK_MS);
  }

  /** Stops taking steps and waits for the step in flight. Orders resting stay (DAY orders end with the session). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Runs everything due by the exchange's clock: agents' steps, new rounds, new auctions. Returns the steps run. */
  async tick(): Promise<number> {
    let steps = 0;
    while (!this.stopping) {
      const now = this.exchange.clock();
      const slot = this.queue[0];
      if (slot !== undefined && slot.atMs <= now) {
        this.queue.shift();
        await this.step(slot.agent);
        steps++;
      } else if (now >= this.nextRoundMs) {
        await this.startRound(now);
      } else {
        const auction = this.auctionOpening();
        if (auction === null) break;
        await this.startAuction(auction, now);
      }
    }
    return steps;
  }

  private schedule(slots: readonly Slot[]): void {
    this.queue.push(...slots);
    this.queue.sort((a, b) => a.atMs - b.atMs || a.agent.index - b.agent.index);
  }

  /**
   * A new simulated day on the continuous desk: trades settle, drivers buy at the stations, agents get their slots.
   * While none of the desk's instruments trades continuously (the nightly close and its pre-open), no day passes:
   * the desk's world sleeps with the market rather than count idle days.
   */
  private async startRound(now: number): Promise<void> {
    // Slots keep to the nominal round, so a late round catches up; after a stall of a whole round it starts afresh.
    const startMs = now - this.nextRoundMs >= this.roundMs ? now : this.nextRoundMs;
    this.nextRoundMs = startMs + this.roundMs;
    try {
      await this.settle(now);
    } catch (error) {
      this.fail("the back office", error);
    }
    const agents = this.agents.filter((a) => a.desk === "continuous");
    if (!agents.some((a) => this.trading(a))) return;
    this.rounds++;
    this.newDay("continuous");
    const order = agents.map((agent) => ({ agent, key: this.orderRandom.next() })).sort((a, b) => a.key - b.key);
    const spacingMs = this.roundMs / Math.max(1, order.length);
    this.schedule(order.map(({ agent }, i) => ({ atMs: startMs + Math.floor((i + 0.5) * spacingMs), agent })));
    this.trackOpenOrders();
  }

  /**
   * Whether an agent of the continuous desk has a session to end and begin: one of its instruments trades
   * continuously. In an auction (the pre-open, a volatility interruption) its orders wait for the uncross instead, as
   * they would in the lab's call session; when all its instruments are closed it has nothing to do.
   */
  private trading(agent: Agent): boolean {
    for (const id of agent.instruments) {
      if (this.exchange.projections.controls.instrument(id)?.phase === "continuous") return true;
    }
    return false;
  }

  /** The auction instrument whose order collection has opened since its last round, if any. */
  private auctionOpening(): string | null {
    for (const id of this.auctionInstruments) {
      if (this.exchange.projections.controls.instrument(id)?.phase !== "collection") continue;
      const session = this.exchange.projections.sessions.current(id)?.session;
      if (session === undefined || this.lastAuctionSession.get(id) === session) continue;
      return id;
    }
    return null;
  }

  /** A new order collection: a new day of the auction desk's world; its producers offer now, its buyers bid later. */
  private async startAuction(instrument: string, now: number): Promise<void> {
    this.auctions++;
    this.lastAuctionSession.set(instrument, this.exchange.projections.sessions.current(instrument)!.session);
    this.newDay("auction");
    const controls = this.exchange.projections.controls.instrument(instrument)!;
    const closeMs = nextScheduledChange(controls.calendar, controls.mode, now)?.atMs ?? now + AUCTION_WINDOW_DEFAULT_MS;
    const windowMs = Math.max(0, closeMs - now) * AUCTION_BID_SHARE;
    const agents = this.agents.filter((a) => a.desk === "auction" && a.instruments.has(instrument));
    const producers = agents.filter((a) => a.kind === "producer");
    const buyers = agents
      .filter((a) => a.kind === "buyer")
      .map((agent) => ({ agent, key: this.orderRandom.next() }))
      .sort((a, b) => a.key - b.key);
    this.schedule([
      ...producers.map((agent) => ({ atMs: now, agent })),
      ...buyers.map(({ agent }, i) => ({ atMs: now + Math.floor((windowMs * (i + 1)) / (buyers.length + 1)), agent })),
    ]);
  }

  /** The day that ended: each region's drivers buy at its stations; then the desk's calendar moves on a day. */
  private newDay(desk: Desk): void {
    const clock = this.desks[desk];
    if (clock.day >= 0) {
      for (const world of this.regions) {
        if (world.spec.desk !== desk || world.agents.length === 0) continue;
        const served = world.drivers.serve(
          world.agents.map((a) => ({
            baseShare: a.buyer.baseShare,
            retailTengePerLitre: a.buyer.retailTengePerLitre,
            stockKg: a.buyer.stockKg,
          })),
        );
        world.agents.forEach((a, i) => {
          const station = served.perStation[i]!;
          a.buyer.endOfDay(Math.max(station.demandKg, station.salesKg), station.salesKg, null);
        });
      }
    }
    clock.day++;
    clock.dateMs += MS_PER_DAY;
  }

  private async step(agent: Agent): Promise<void> {
    if (agent.desk === "continuous" && !this.trading(agent)) return;
    this.steps++;
    try {
      if (agent.broken) await this.rebuild(agent);
      if (agent.kind === "producer") await this.producerStep(agent);
      else await this.buyerStep(agent);
    } catch (error) {
      this.fail(agent.label, error);
      try {
        await this.rebuild(agent);
      } catch (again) {
        this.fail(`rebuilding ${agent.label}`, again);
      }
    }
  }

  private producerDay(agent: ProducerAgent): ProducerDay {
    const s = this.scenario;
    const clock = this.desks[agent.desk];
    return {
      day: clock.day,
      daysInMonth: daysInMonth(clock.dateMs),
      obligation: s.rules.domesticObligation,
      exchangeShare: s.rules.exchangeSharePercent / 100,
      exportOpen: s.rules.exportOpen,
      netbackTengePerTonne: netbackOf(s, plantOf(s, agent.spec)),
      planScale: s.rules.planScalePercent / 100,
    };
  }

  /** A producer's session ends and the next begins: fills and learning, the day's gas, new offers. */
  private async producerStep(agent: ProducerAgent): Promise<void> {
    const { producer, port, spec } = agent;
    await port.closeSession();
    await producer.afterSession();
    if (agent.lastDay !== null) {
      // The day that ended: exports and curtailment leave the exchange.
      const out = producer.dispose(agent.lastDay, true);
      await this.gas("gas.withdraw", spec, out.exportKg + out.curtailKg);
    }
    const day = this.producerDay(agent);
    const month = monthOf(this.desks[agent.desk].dateMs);
    if (agent.month !== month) {
      producer.startMonth(day);
      agent.month = month;
    }
    const made = producer.produce(day);
    await this.gas("gas.declare", spec, made.declareKg);
    for (const delivery of made.offExchange) this.deliverOffExchange(agent, delivery.region, delivery.kg);
    agent.lastDay = day;
    await producer.trade(day);
  }

  /** Volume sold off the exchange under an obligation goes straight to the region's networks, at the rules' price. */
  private deliverOffExchange(agent: ProducerAgent, region: string, kg: number): void {
    const world = this.regions.find((w) => w.spec.region === region);
    const route = world?.logistics.get(agent.spec.basis);
    if (!world || !route) return;
    const instrument = this.instrumentOf(agent.spec.basis, region);
    const reference = instrument === null ? null : this.exchange.projections.sessions.referencePrice(instrument);
    const price = this.scenario.rules.offExchangePriceTengePerTonne ?? (reference ?? 0) / 100;
    agent.producer.bookOffExchange(kg, price);
    for (const a of world.agents) {
      a.buyer.receiveOffExchange(
        kg * a.buyer.baseShare,
        price + route.costTengePerTonne,
        this.desks[a.desk].day + route.transitDays,
      );
    }
  }

  private async buyerStep(agent: BuyerAgent): Promise<void> {
    const { buyer, port } = agent;
    await port.closeSession();
    if (agent.lastDay !== null) await buyer.afterSession(agent.lastDay);
    const clock = this.desks[agent.desk];
    const day: BuyerDay = {
      day: clock.day,
      daysToNextSession: 1,
      retailCapTengePerLitre: null,
      logistics: agent.region.logistics,
    };
    buyer.unload(clock.day);
    agent.lastDay = day;
    await buyer.trade(day);
  }

  private async gas(type: "gas.declare" | "gas.withdraw", spec: ProducerSpec, quantityKg: number): Promise<void> {
    if (quantityKg > 0) await this.backOffice({ type, account: spec.account, basis: spec.basis, quantity: quantityKg });
  }

  /**
   * Settles the demo buyers' trades that are due: a bank transfer first when the buyer's free money would run low,
   * then payment and delivery confirmed, then the buyer lifts its gas at each basis.
   */
  private async settle(now: number): Promise<void> {
    const accounts = this.exchange.projections.accounts;
    const due: Settlement[] = [];
    while (due.length < SETTLEMENTS_PER_PASS_MAX && this.toSettle.length > 0 && this.toSettle[0]!.dueMs <= now) {
      due.push(this.toSettle.shift()!);
    }
    const owed = new Map<string, bigint>();
    const open = due
      .map((item) => accounts.obligation(item.obligation))
      .filter((o) => o !== null && o.status === "open")
      .map((o) => o!);
    for (const o of open) if (!o.paid) owed.set(o.buyer, (owed.get(o.buyer) ?? 0n) + BigInt(o.valueTiyn));
    for (const [buyer, amount] of owed) {
      const free = accounts.balances(buyer).find((b) => b.asset === "KZT")?.free ?? 0n;
      if (free - amount < BigInt(TOP_UP_TIYN)) {
        await this.backOffice({
          type: "money.deposit",
          account: buyer,
          amount: Number(amount) + TOP_UP_TIYN,
          reference: `DEMO-TOPUP-${this.runId}-${++this.topUps}`,
        });
      }
    }
    const lift = new Map<string, { account: string; basis: string; kg: number }>();
    for (const o of open) {
      if (!o.paid) await this.backOffice({ type: "obligation.confirmPayment", obligation: o.id });
      if (!o.delivered) await this.backOffice({ type: "obligation.confirmDelivery", obligation: o.id });
      const key = `${o.buyer}|${o.basis}`;
      const entry = lift.get(key) ?? { account: o.buyer, basis: o.basis, kg: 0 };
      entry.kg += o.quantityKg;
      lift.set(key, entry);
      this.settled++;
    }
    for (const { account, basis, kg } of lift.values()) {
      await this.backOffice({ type: "gas.withdraw", account, basis, quantity: kg });
    }
  }

  private trackOpenOrders(): void {
    let open = 0;
    for (const account of new Set(this.agents.map((a) => a.account))) {
      open += this.exchange.projections.accounts.orders(account, { status: "resting" }).length;
    }
    this.openOrdersMax = Math.max(this.openOrdersMax, open);
  }

  private fail(where: string, error: unknown): void {
    this.failures++;
    this.lastFailure = `${where}: ${error instanceof Error ? error.message : String(error)}`;
    const now = this.exchange.clock();
    if (now - this.lastErrorLogMs < ERROR_LOG_EVERY_MS) {
      this.errorsNotLogged++;
      return;
    }
    const more = this.errorsNotLogged > 0 ? ` (and ${this.errorsNotLogged} more failures since the last line)` : "";
    this.log(`demo: ${this.lastFailure}${more}`);
    this.lastErrorLogMs = now;
    this.errorsNotLogged = 0;
  }

  stats(): DemoAgentsStats {
    let sent = this.retired.sent;
    let accepted = this.retired.accepted;
    const refusals = new Map(this.retired.refusals);
    for (const agent of this.agents) {
      if (this.retiredPorts.has(agent.port)) continue;
      sent += agent.port.submitted;
      accepted += agent.port.accepted;
      for (const [code, n] of agent.port.refusals) refusals.set(code, (refusals.get(code) ?? 0) + n);
    }
    let requests = 0;
    for (const client of this.clients.values()) requests += client.requests;
    return {
      rounds: this.rounds,
      auctions: this.auctions,
      steps: this.steps,
      failures: this.failures,
      lastFailure: this.lastFailure,
      ordersSent: sent,
      ordersAccepted: accepted,
      refusals: Object.fromEntries([...refusals].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      requests,
      settled: this.settled,
      openOrdersMax: this.openOrdersMax,
    };
  }
}
