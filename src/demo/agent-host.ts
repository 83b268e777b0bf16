/**
 * The demo market's traders: the policy lab's own agents (src/simulator: producers, filling-station networks and the
 * drivers they serve) trading on the live exchange through its public REST API, each through an `HttpMarketPort`
 * with its member's signed API key. The agents' code is the lab's, unchanged; the host builds them from the demo's
 * world (world.ts) and a lab scenario, runs one agent's step when its slot comes (round-clock.ts), and ends a desk's
 * simulated day for the drivers and networks.
 *
 * How the lab's day maps to the live market. In the lab a day is one call session: producers offer, networks bid,
 * the auction clears, everyone reads its fills and learns. Here each agent keeps that cycle, with its own "session":
 * at its slot it ends its previous session (mass cancel of what is left of its orders), reads its fills and learns,
 * and quotes anew; an agent of the continuous desk acts only while one of its instruments trades continuously (in an
 * auction its orders wait for the uncross, as in the lab's call session). Producers' physical gas moves as the
 * runner moves it: each day's output is declared to the exchange, and exports and curtailment are withdrawn, by the
 * back office (back-office.ts).
 *
 * Robustness: each agent's step is isolated; an agent whose step fails (a request unanswered, a reply not understood,
 * an agent invariant) is rebuilt from scratch with a fresh namespace after its orders are cancelled and, for a
 * producer, its free gas taken back, so a failure costs one agent one step. A refusal is no failure: the agent hears
 * the code and carries on. Open orders are bounded by one round of each agent's quotes.
 */

import { Buyer, type BuyerDay, type BuyerSettings } from "../simulator/buyer.ts";
import { daysInMonth, monthOf } from "../simulator/dates.ts";
import { Drivers } from "../simulator/drivers.ts";
import { Producer, type ProducerDay } from "../simulator/producer.ts";
import type { Random } from "../simulator/random.ts";
import type { Scenario } from "../simulator/scenario.ts";
import {
  buyerSettingsOf,
  demandCurveOf,
  netbackOf,
  producerSettingsOf,
  routeLogisticsOf,
  unitCostAtRetail,
} from "../simulator/settings.ts";
import { tengePerLitre } from "../simulator/units.ts";
import { type ApiClient, array, object, segment } from "./api-client.ts";
import type { BackOffice } from "./back-office.ts";
import type { ExchangeView } from "./exchange-view.ts";
import { AccountFills, cancelResting, HttpMarketPort } from "./http-port.ts";
import type { RoundClock } from "./round-clock.ts";
import type { DemoCounters } from "./stats.ts";
import {
  type Desk,
  markupPercentOf,
  type NetworkSpec,
  PRODUCERS,
  type ProducerSpec,
  plantOf,
  REGIONS,
  type RegionSpec,
} from "./world.ts";

/** Client order ids of the demo's agents (`<run>.<agent>.<generation>-<id>`) and of its earlier scripted traders. */
const DEMO_ORDER_ID = /^(?:[0-9a-z]+\.\d+\.\d+-|demo-\d+$)/;
const DAYS_PER_MONTH_AVERAGE = 365 / 12;
/** Resting orders counted per account for the statistics (the API's page). */
const OPEN_ORDERS_PAGE_MAX = 1000;

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

export type Agent = ProducerAgent | BuyerAgent;

interface RegionWorld {
  readonly spec: RegionSpec;
  readonly drivers: Drivers;
  readonly settings: BuyerSettings;
  readonly dailyKg: number;
  readonly unitCostTengePerTonne: number;
  readonly logistics: ReadonlyMap<string, { readonly costTengePerTonne: number; readonly transitDays: number }>;
  readonly agents: BuyerAgent[];
}

export interface AgentHostOptions {
  /** Each demo member's signed client, by member id. */
  readonly clients: ReadonlyMap<string, ApiClient>;
  readonly view: ExchangeView;
  readonly backOffice: BackOffice;
  readonly clock: RoundClock<Agent>;
  readonly counters: DemoCounters;
  /** The policy-lab scenario the agents' behaviour comes from. */
  readonly scenario: Scenario;
  /** The demo's generator; agents draw from named forks of it. */
  readonly random: Random;
  /** Names this run's client order ids, so a restarted demo never reuses an earlier run's. */
  readonly runId: string;
}

export class AgentHost {
  private readonly feeds = new Map<string, AccountFills>();
  private readonly agentList: Agent[] = [];
  private readonly regions: RegionWorld[] = [];

  private constructor(private readonly options: AgentHostOptions) {}

  /**
   * Prepares the agents: opens the accounts the demo's desks need, cancels whatever the demo accounts left resting
   * (an earlier run's orders), takes back the producers' free gas (their agents declare output day by day from
   * here), and builds an agent with its port for every producer desk and every network in every region.
   */
  static async create(options: AgentHostOptions): Promise<AgentHost> {
    const host = new AgentHost(options);
    await host.prepare();
    return host;
  }

  get agents(): readonly Agent[] {
    return this.agentList;
  }

  /** The accounts the demo's networks buy in: the back office settles their trades. */
  static buyerAccounts(): Set<string> {
    return new Set(REGIONS.flatMap((r) => r.networks.map((n) => n.account)));
  }

  private async prepare(): Promise<void> {
    const { backOffice, view } = this.options;
    const listed = await backOffice.accounts();
    for (const spec of PRODUCERS) {
      if (!listed.has(spec.account)) await backOffice.openAccount(spec.account, spec.member);
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
    for (const spec of PRODUCERS) await backOffice.takeBackGas(spec.account, spec.basis);
    await view.refresh();
    await this.buildRegions();
    this.buildProducers();
    for (const agent of this.agentList) await this.build(agent);
  }

  private async buildRegions(): Promise<void> {
    const { scenario, view } = this.options;
    const curve = demandCurveOf(scenario);
    for (const spec of REGIONS) {
      const routes = PRODUCERS.flatMap((p) =>
        p.routes.filter((r) => r.region === spec.region).map((r) => ({ producer: p, route: r })),
      );
      const logistics = new Map(
        routes.map(({ producer, route }) => [producer.basis, routeLogisticsOf(scenario, route.distanceKm)]),
      );
      // The networks start where the market is: their unit cost is the plan-weighted delivered reference price, and
      // the retail price they charge at it is the one their drivers are used to.
      let planSum = 0;
      let costSum = 0;
      for (const { producer, route } of routes) {
        const instrument = view.instrumentOf(producer.basis, spec.region);
        const reference = instrument === null ? null : (view.get(instrument)?.bandReferenceTiynPerTonne ?? null);
        if (reference === null) continue;
        planSum += route.planTonnesPerMonth;
        costSum += route.planTonnesPerMonth * (reference / 100 + logistics.get(producer.basis)!.costTengePerTonne);
      }
      if (planSum === 0) continue;
      const unitCost = costSum / planSum;
      const markupPercent = markupPercentOf(scenario, spec);
      const retail =
        tengePerLitre(unitCost * (1 + markupPercent / 100), scenario.densityKgPerLitre) +
        scenario.buyers.stationCostTengePerLitre;
      const settings = buyerSettingsOf(scenario, { markupPercent, retailTengePerLitre: retail }, curve);
      const dailyKg = (spec.demandTonnesPerMonth * 1000) / DAYS_PER_MONTH_AVERAGE;
      const world: RegionWorld = {
        spec,
        drivers: new Drivers(
          spec.region,
          dailyKg,
          retail,
          curve,
          scenario.drivers.dailyNoisePercent / 100,
          scenario.drivers.stationChoiceSensitivity,
          this.options.random.fork(`drivers/${spec.region}`),
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
          routes.map(({ producer }) => view.instrumentOf(producer.basis, spec.region)).filter((id) => id !== null),
        );
        const agent: BuyerAgent = {
          kind: "buyer",
          label: `network ${network.account} in ${spec.region}`,
          desk: spec.desk,
          account: network.account,
          member: network.member,
          index: this.agentList.length,
          instruments,
          spec: network,
          region: world,
          generation: 0,
          broken: false,
          port: null as never,
          buyer: null as never,
          lastDay: null,
        };
        world.agents.push(agent);
        this.agentList.push(agent);
      }
    }
  }

  private buildProducers(): void {
    for (const spec of PRODUCERS) {
      const instruments = new Set(
        spec.routes.map((r) => this.options.view.instrumentOf(spec.basis, r.region)).filter((id) => id !== null),
      );
      if (instruments.size === 0) continue;
      this.agentList.push({
        kind: "producer",
        label: `producer ${spec.account}`,
        desk: spec.desk,
        account: spec.account,
        member: spec.member,
        index: this.agentList.length,
        instruments,
        spec,
        generation: 0,
        broken: false,
        port: null as never,
        producer: null as never,
        lastDay: null,
        month: null,
      });
    }
  }

  private client(member: string): ApiClient {
    const client = this.options.clients.get(member);
    if (!client) throw new Error(`the demo has no API key for member ${member}`);
    return client;
  }

  /** A fresh agent with a fresh port (a new namespace, so fills of an earlier generation never reach it). */
  private async build(agent: Agent): Promise<void> {
    const { scenario, runId } = this.options;
    let feed = this.feeds.get(agent.account);
    if (!feed) {
      feed = new AccountFills(this.client(agent.member), agent.account);
      await feed.open();
      this.feeds.set(agent.account, feed);
    }
    const port = new HttpMarketPort({
      client: this.client(agent.member),
      feed,
      namespace: `${runId}.${agent.index}.${agent.generation}-`,
      instruments: agent.instruments,
    });
    agent.port = port;
    if (agent.kind === "producer") {
      const plant = plantOf(scenario, agent.spec);
      agent.producer = new Producer(
        plant,
        agent.spec.routes.map((r) => ({ region: r.region, planTonnesPerMonth: r.planTonnesPerMonth })),
        producerSettingsOf(scenario),
        port,
        null,
        // People may trade beside the robot on its account (README): gas they sell is theirs, not a fault.
        true,
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
        dailyKg * scenario.buyers.safetyStockDays,
        world.unitCostTengePerTonne,
        world.settings,
        port,
        this.options.random.fork(`buyer/${agent.account}/${world.spec.region}/${agent.generation}`),
      );
      // Gas already on its way: a day's sales arriving on each day of the plan-weighted transit, as in the lab.
      let transitDays = 0;
      for (const l of world.logistics.values()) transitDays += l.transitDays / world.logistics.size;
      const today = this.options.clock.day(agent.desk).day;
      for (let day = 1; day <= Math.round(transitDays); day++) buyer.preload(dailyKg, today + day);
      agent.buyer = buyer;
      agent.lastDay = null;
    }
  }

  /** Rebuilds a failed agent: its orders cancelled, a producer's free gas taken back, a new agent and port. */
  private async rebuild(agent: Agent): Promise<void> {
    agent.broken = true;
    this.options.counters.retire(agent.port);
    await agent.port.closeSession(true);
    agent.port.close();
    if (agent.kind === "producer") await this.options.backOffice.takeBackGas(agent.spec.account, agent.spec.basis);
    agent.generation++;
    await this.build(agent);
    agent.broken = false;
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Steps.

  /**
   * Whether an agent of the continuous desk has a session to end and begin (as of the view's last reading): one of
   * its instruments trades continuously. In an auction (the pre-open, a volatility interruption) its orders wait for
   * the uncross instead, as they would in the lab's call session; when all its instruments are closed it has nothing
   * to do.
   */
  trading(agent: Agent): boolean {
    for (const id of agent.instruments) if (this.options.view.get(id)?.phase === "continuous") return true;
    return false;
  }

  /** One agent's step at its slot: a failure is counted and logged, and the agent rebuilt. */
  async step(agent: Agent): Promise<void> {
    const { counters, view } = this.options;
    await view.refresh();
    if (agent.desk === "continuous" && !this.trading(agent)) return;
    counters.steps++;
    try {
      if (agent.broken) await this.rebuild(agent);
      if (agent.kind === "producer") await this.producerStep(agent);
      else await this.buyerStep(agent);
    } catch (error) {
      counters.fail(agent.label, error);
      try {
        await this.rebuild(agent);
      } catch (again) {
        counters.fail(`rebuilding ${agent.label}`, again);
      }
    }
  }

  private producerDay(agent: ProducerAgent): ProducerDay {
    const s = this.options.scenario;
    const today = this.options.clock.day(agent.desk);
    return {
      day: today.day,
      daysInMonth: daysInMonth(today.dateMs),
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
    const { backOffice } = this.options;
    await port.closeSession();
    await producer.afterSession();
    if (agent.lastDay !== null) {
      // The day that ended: exports and curtailment leave the exchange.
      const out = producer.dispose(agent.lastDay, true);
      await backOffice.withdrawGas(spec.account, spec.basis, out.exportKg + out.curtailKg);
    }
    const day = this.producerDay(agent);
    const month = monthOf(this.options.clock.day(agent.desk).dateMs);
    if (agent.month !== month) {
      producer.startMonth(day);
      agent.month = month;
    }
    const made = producer.produce(day);
    await backOffice.declareGas(spec.account, spec.basis, made.declareKg);
    for (const delivery of made.offExchange) this.deliverOffExchange(agent, delivery.region, delivery.kg);
    agent.lastDay = day;
    await producer.trade(day);
  }

  /** Volume sold off the exchange under an obligation goes straight to the region's networks, at the rules' price. */
  private deliverOffExchange(agent: ProducerAgent, region: string, kg: number): void {
    const { view, scenario, clock } = this.options;
    const world = this.regions.find((w) => w.spec.region === region);
    const route = world?.logistics.get(agent.spec.basis);
    if (!world || !route) return;
    const instrument = view.instrumentOf(agent.spec.basis, region);
    const reference = instrument === null ? null : (view.get(instrument)?.bandReferenceTiynPerTonne ?? null);
    const price = scenario.rules.offExchangePriceTengePerTonne ?? (reference ?? 0) / 100;
    agent.producer.bookOffExchange(kg, price);
    for (const a of world.agents) {
      a.buyer.receiveOffExchange(
        kg * a.buyer.baseShare,
        price + route.costTengePerTonne,
        clock.day(a.desk).day + route.transitDays,
      );
    }
  }

  private async buyerStep(agent: BuyerAgent): Promise<void> {
    const { buyer, port } = agent;
    await port.closeSession();
    if (agent.lastDay !== null) await buyer.afterSession(agent.lastDay);
    const today = this.options.clock.day(agent.desk).day;
    const day: BuyerDay = {
      day: today,
      daysToNextSession: 1,
      retailCapTengePerLitre: null,
      logistics: agent.region.logistics,
    };
    buyer.unload(today);
    agent.lastDay = day;
    await buyer.trade(day);
  }

  /** The desk's day that ended, if one has begun: each region's drivers buy at its stations. */
  endDay(desk: Desk): void {
    if (this.options.clock.day(desk).day < 0) return;
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

  // -----------------------------------------------------------------------------------------------------------------
  // Reading.

  /** Orders resting in the agents' accounts now (each account counted up to a page). */
  async openOrders(): Promise<number> {
    let open = 0;
    const seen = new Set<string>();
    for (const agent of this.agentList) {
      if (seen.has(agent.account)) continue;
      seen.add(agent.account);
      const path = `/api/accounts/${segment(agent.account)}/orders?status=resting&limit=${OPEN_ORDERS_PAGE_MAX}`;
      open += array(
        object(await this.client(agent.member).expect("GET", path), "orders reply").orders,
        "orders",
      ).length;
    }
    return open;
  }

  /** The agents' ports, for the statistics. */
  ports(): HttpMarketPort[] {
    return this.agentList.map((agent) => agent.port);
  }
}
