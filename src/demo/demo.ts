/**
 * The demo market `npm start` runs: on the first start it builds the demo exchange through the API (market.ts), then
 * the policy lab's agents trade in it as its members (agent-host.ts), a back office settles their trades
 * (back-office.ts), and a round clock says who acts when (round-clock.ts). The demo reaches the exchange only through
 * its public HTTP API, with the API keys it is given (users.ts says whose; the server's user store holds them).
 *
 * The driver: `start()` runs `tick()` every `TICK_MS`; `tick()` runs everything due by the demo's clock, in order:
 * agents whose slot has come, then a new round of the continuous desk (the back office settles first; while none of
 * the desk's instruments trades continuously, at night, no day passes), the bidding ring's step halfway through a
 * round (ring.ts), then a new collection of an auction instrument (a day of the auction desk). A test drives `tick()` itself with a clock it steps. Failures are counted
 * and logged (stats.ts) and never stop the driver, except a back office hopelessly behind, which stops the demo.
 */

import { Random } from "../simulator/random.ts";
import { type Agent, AgentHost } from "./agent-host.ts";
import { ApiClient, type ApiKeyCredentials, array, object } from "./api-client.ts";
import { BackOffice, BackOfficeBehindError } from "./back-office.ts";
import { ExchangeView, LOOK_EVERY_MS } from "./exchange-view.ts";
import { accountOf, RING_MEMBERS, setupRequests } from "./market.ts";
import { BiddingRing } from "./ring.ts";
import { RoundClock } from "./round-clock.ts";
import { DemoCounters, type DemoStats } from "./stats.ts";
import { checkWorld, loadBehaviour } from "./world.ts";

/** How often the timer looks for work due. */
export const TICK_MS = 250;
/** One simulated day of the continuous desk. */
export const ROUND_MS_DEFAULT = 60_000;
/** Collection assumed when an auction instrument has no calendar to say when it closes. */
const AUCTION_WINDOW_DEFAULT_MS = 10 * 60_000;

/** The console keys the demo builds its market with. */
export interface DemoConsoleKeys {
  /** The back office and the set-up's listings, accounts, money and gas. */
  readonly operator: ApiKeyCredentials;
  /** The set-up's safeguards and supply plans. */
  readonly regulator: ApiKeyCredentials;
}

export interface DemoOptions {
  /** The exchange's address, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  readonly keys: DemoConsoleKeys;
  /**
   * Each member's trader's key, by member id (its agents trade with it); asked for after the set-up, since a member's
   * people exist only once the member does.
   */
  readonly memberKeys: () => Promise<ReadonlyMap<string, ApiKeyCredentials>>;
  /** The demo's clock (ms since epoch); the wall clock by default, a stepped one in tests. */
  readonly clock?: () => number;
  /**
   * Waits `ms` of the demo's clock: the pause between a member's order-entry messages (api-client.ts). Real time by
   * default; a test with a stepped clock steps it.
   */
  readonly wait?: (ms: number) => Promise<void>;
  readonly roundMs?: number;
  readonly seed?: number;
  /** The policy-lab scenario the agents' behaviour comes from. */
  readonly scenarioPath?: string;
  readonly log?: (line: string) => void;
}

/**
 * Starts the demo: builds the demo exchange through the API if nothing is listed yet, then prepares the agents.
 * `start()` on the result sets them trading.
 */
export async function startDemo(options: DemoOptions): Promise<DemoMarket> {
  checkWorld();
  const scenario = loadBehaviour(options.scenarioPath);
  const clock = options.clock ?? Date.now;
  const client = (key: ApiKeyCredentials) => new ApiClient(options.baseUrl, key, clock, options.wait);
  const operator = client(options.keys.operator);
  const regulator = client(options.keys.regulator);
  const listed = array(object(await operator.expect("GET", "/api/instruments"), "instruments reply").instruments, "");
  if (listed.length === 0) {
    for (const request of setupRequests(clock())) {
      await (request.by === "operator" ? operator : regulator).expect(request.method, request.path, request.body);
    }
  }
  const members = new Map([...(await options.memberKeys())].map(([member, key]) => [member, client(key)]));
  const log = options.log ?? (() => {});
  const counters = new DemoCounters(clock, log);
  const random = new Random(options.seed ?? 2022, "demo");
  const now = clock();
  const runId = now.toString(36);
  const roundMs = options.roundMs ?? ROUND_MS_DEFAULT;
  const roundClock = new RoundClock<Agent>(roundMs, now, random.fork("order-of-steps"));
  const view = new ExchangeView(operator);
  const backOffice = new BackOffice(operator, runId);
  const host = await AgentHost.create({
    clients: members,
    view,
    backOffice,
    clock: roundClock,
    counters,
    scenario,
    random,
    runId,
  });
  const ring = await BiddingRing.create(members, runId);
  return new DemoMarket({
    clock,
    roundMs,
    roundClock,
    ring,
    view,
    backOffice,
    host,
    counters,
    clients: [operator, regulator, ...members.values()],
  });
}

interface DemoParts {
  readonly clock: () => number;
  readonly roundMs: number;
  readonly roundClock: RoundClock<Agent>;
  /** Null on an exchange built before the ring's members were part of the demo. */
  readonly ring: BiddingRing | null;
  readonly view: ExchangeView;
  readonly backOffice: BackOffice;
  readonly host: AgentHost;
  readonly counters: DemoCounters;
  readonly clients: readonly ApiClient[];
}

export class DemoMarket {
  private readonly buyerAccounts = new Set([...AgentHost.buyerAccounts(), ...RING_MEMBERS.map(accountOf)]);
  /** When the bidding ring's next step is due (halfway through the round), or null when it has taken it. */
  private ringDueMs: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private lastLookMs = Number.NEGATIVE_INFINITY;
  /** The auction instruments in order collection at the last look, with their sessions. */
  private collecting: { instrument: string; session: number }[] = [];
  /**
   * Whether a continuous instrument traded at the last look. The first round waits for it: just after a start the
   * instruments are still opening, and a round begun then would give its agents nothing to do until the next round
   * (a minute without an order on the board).
   */
  private continuousOpen = false;

  constructor(private readonly parts: DemoParts) {}

  start(): void {
    if (this.timer || this.stopping) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.parts.counters.fail("the demo driver", error))
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
  }

  /** Runs everything due by the demo's clock: agents' steps, new rounds, new auctions. Returns the steps run. */
  async tick(): Promise<number> {
    const { clock, roundClock, host } = this.parts;
    let steps = 0;
    while (!this.stopping) {
      const now = clock();
      const agent = roundClock.takeDue(now);
      if (agent !== null) {
        await host.step(agent);
        steps++;
      } else if (this.ringDueMs !== null && now >= this.ringDueMs) {
        this.ringDueMs = null;
        await this.ringStep();
        steps++;
      } else if (roundClock.roundDue(now) && (this.parts.counters.rounds > 0 || this.continuousOpen)) {
        await this.startRound(now);
      } else {
        const auction = await this.auctionOpening(now);
        if (auction === null) break;
        await this.startAuction(auction.instrument, auction.session, now);
      }
    }
    return steps;
  }

  /**
   * A new simulated day on the continuous desk: trades settle, drivers buy at the stations, agents get their slots.
   * While none of the desk's instruments trades continuously (the nightly close and its pre-open), no day passes:
   * the desk's world sleeps with the market rather than count idle days.
   */
  private async startRound(now: number): Promise<void> {
    const { roundClock, backOffice, host, view, counters } = this.parts;
    const startMs = roundClock.beginRound(now);
    try {
      await backOffice.settle(this.buyerAccounts, now);
    } catch (error) {
      counters.fail("the back office", error);
      if (error instanceof BackOfficeBehindError) this.stopping = true;
    }
    const agents = host.agents.filter((a) => a.desk === "continuous");
    await view.refresh();
    if (!agents.some((a) => host.trading(a))) return;
    counters.rounds++;
    this.newDay("continuous");
    // The first round: the producers offer at once, so a person who opens the board just after the start sees the
    // books filled within seconds rather than over the round; the buyers bid spread over it as in any round.
    const first = counters.rounds === 1;
    roundClock.scheduleRound(startMs, agents, (agent) => first && agent.kind === "producer");
    if (this.parts.ring !== null) this.ringDueMs = startMs + Math.floor(this.parts.roundMs / 2);
    counters.trackOpenOrders(await host.openOrders());
  }

  /** The bidding ring's step; a failure is counted and logged, and the ring tries again next round. */
  private async ringStep(): Promise<void> {
    try {
      await this.parts.ring?.step();
    } catch (error) {
      this.parts.counters.fail("the bidding ring", error);
    }
  }

  /** The day that ended for the desk's drivers and networks; then the desk's calendar moves on a day. */
  private newDay(desk: "continuous" | "auction"): void {
    this.parts.host.endDay(desk);
    this.parts.roundClock.advanceDay(desk);
  }

  /**
   * The auction instrument whose order collection has opened since it last got its slots, if any. The exchange is
   * looked at again at most every `LOOK_EVERY_MS` (the server moves phases once a second); the look also says whether
   * a continuous instrument trades (`continuousOpen`).
   */
  private async auctionOpening(now: number): Promise<{ instrument: string; session: number } | null> {
    const { view, roundClock } = this.parts;
    if (now - this.lastLookMs >= LOOK_EVERY_MS) {
      this.lastLookMs = now;
      await view.refresh();
      this.continuousOpen = view.all().some((state) => state.mode === "continuous" && state.phase === "continuous");
      this.collecting = [];
      for (const state of view.all()) {
        if (state.mode !== "call" || state.phase !== "collection") continue;
        const session = await view.currentSession(state.instrument);
        if (session !== null) this.collecting.push({ instrument: state.instrument, session });
      }
    }
    return this.collecting.find((c) => roundClock.isNewCollection(c.instrument, c.session)) ?? null;
  }

  /** A new order collection: a new day of the auction desk's world; its producers offer now, its buyers bid later. */
  private async startAuction(instrument: string, session: number, now: number): Promise<void> {
    const { roundClock, host, view, counters } = this.parts;
    counters.auctions++;
    this.newDay("auction");
    const closeMs = view.get(instrument)?.nextChangeMs ?? now + AUCTION_WINDOW_DEFAULT_MS;
    const agents = host.agents.filter((a) => a.desk === "auction" && a.instruments.has(instrument));
    roundClock.scheduleCollection(
      instrument,
      session,
      now,
      closeMs,
      agents.filter((a) => a.kind === "producer"),
      agents.filter((a) => a.kind === "buyer"),
    );
  }

  stats(): DemoStats {
    const { counters, host, clients, backOffice } = this.parts;
    const requests = clients.reduce((sum, client) => sum + client.requests, 0);
    return counters.totals([...host.ports(), ...(this.parts.ring?.ports() ?? [])], requests, backOffice.settled);
  }
}
