/**
 * The demo market as `npm start` runs it: its users and keys put in the server's user store as `sauda serve` does,
 * the demo exchange built through the API on a real server (SQLite journal, real HTTP, a controllable clock), and the
 * policy lab's agents trading in it through the public API with the demo members' signed API keys, the back office
 * settling with the operator's. The clock is stepped by hand, the session scheduler and the agents' driver run what is due, so the
 * run is the same every time: about two hours of exchange time from 11:00 on a Monday, with continuous rounds of
 * five minutes and two hourly call auctions. The members' robots pause between order-entry messages as the rulebook
 * asks of members' software; their pauses step the clock.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAccess } from "../../src/cli/demo-users.ts";
import { type DemoMarket, startDemo } from "../../src/demo/demo.ts";
import { MEMBERS, RING_MEMBERS } from "../../src/demo/market.ts";
import { PRODUCERS, REGIONS } from "../../src/demo/world.ts";
import type { Command } from "../../src/engine/commands.ts";
import { bandAround, ceilingAt } from "../../src/engine/safeguards.ts";
import { Scheduler } from "../../src/gateway/scheduler.ts";
import { browserAvailable, ensureWebBuilt, launchBrowser, screenshot } from "../e2e/support/browser.ts";
import { LIVE_MS, reopenIn, signInOn } from "../e2e/support/forms.ts";
import { TestServer } from "../support/server.ts";

const MINUTE_MS = 60_000;
/**
 * A guard against a hang, not a measure: the run is about 10,000 requests and takes about a minute on an idle machine,
 * several on a loaded one; nothing in the outcome depends on how long it takes.
 */
const SETUP_TIMEOUT_MS = 10 * MINUTE_MS;
/** 11:00 in Almaty (UTC+5), Monday 5 January 2026. */
const START_MS = Date.UTC(2026, 0, 5, 6, 0, 0);
/** 12:50 in Almaty: after the 12:45 auction. */
const END_MS = Date.UTC(2026, 0, 5, 7, 50, 0);
const ROUND_MS = 5 * MINUTE_MS;
const STEP_MS = 15_000;
/** 11:30 in Almaty: a person's order and a surprise for one agent. */
const INJECT_MS = Date.UTC(2026, 0, 5, 6, 30, 0);
/** When an order is entered by hand in a robot's namespace (the agent then fails and is rebuilt). */
const INTRUDE_MS = Date.UTC(2026, 0, 5, 6, 50, 0);
/** The demo lists one delivery month whatever its clock says (src/demo/market.ts, DEMO_DELIVERY_PERIOD). */
const KAZGPZ_MANGYSTAU = "PB-KAZGPZ-MANGYSTAU-2026-12";
/** The demo's one call-auction instrument (src/demo/market.ts). */
const TCO_NATIONWIDE = "PB-TCO-KZ-2026-12";
/** The agents' refusals that depend on what others do (the concentration limit counts others' offers). */
const MARKET_STATE_CODES = ["ORDER_CONCENTRATION_LIMIT"];

interface OrderSeen {
  readonly seq: number;
  readonly clientOrderId: string;
  readonly timeMs: number;
  readonly actor: string | null;
  readonly source: string | null;
  readonly instrument: string;
  readonly account: string;
  readonly price: number;
  readonly quantity: number;
  readonly code: string | null;
  /** The limits in force when the order was judged. */
  readonly tick: number;
  readonly lot: number;
  readonly band: { low: number; high: number } | null;
  readonly ceiling: number | null;
}

let server: TestServer;
let agents: DemoMarket;
let scheduler: Scheduler;
const orders: OrderSeen[] = [];
/** Who sent each command other than the scheduler's and the test's own: `<command type> <actor>`. */
const senders = new Set<string>();
const trades = new Map<string, number>();
/** Each order-entry message (new, amend, cancel) sent with a key: its time, by the key. */
const entries = new Map<string, number[]>();
/** The surveillance alerts standing at the end, read through the API with the regulator's key. */
let alerts: {
  id: string;
  rule: string;
  members: string[];
  accounts: string[];
  side: string | null;
  orders: string[];
  figures: Record<string, number>;
  raisedMs: number;
}[] = [];

/**
 * Moves the clock to the next step (on the grid of `STEP_MS` from the start, which the robots' pauses may have left)
 * and lets the scheduler and the agents do what is due (the scheduler moves one phase a pass).
 */
async function advanceTo(ms: number): Promise<void> {
  while (server.nowMs < ms) {
    server.nowMs = Math.min(ms, START_MS + (Math.floor((server.nowMs - START_MS) / STEP_MS) + 1) * STEP_MS);
    for (let pass = 0; pass < 3; pass++) await scheduler.step();
    await agents.tick();
  }
}

beforeAll(async () => {
  // The clock runs about 400 times faster than the wall clock here; the request limits are per wall-clock minute.
  server = await TestServer.start({ setup: false, ratePerMinute: 1_000_000, ratePerMinutePerMember: 1_000_000 });
  server.nowMs = START_MS;
  server.exchange.onOutcomes((outcomes) => {
    for (const outcome of outcomes) {
      for (const event of outcome.events) {
        if (event.type === "trade") trades.set(event.instrument, (trades.get(event.instrument) ?? 0) + 1);
      }
      const command = outcome.command as Command;
      if (command.type === "order.new" || command.type === "order.amend" || command.type === "order.cancel") {
        const key = /\(key ([a-z0-9-]+)\)$/.exec(outcome.meta.actor ?? "")?.[1] ?? String(outcome.meta.actor);
        entries.set(key, [...(entries.get(key) ?? []), outcome.timeMs]);
      }
      if (outcome.meta.actor !== undefined && outcome.meta.actor !== "scheduler" && command.type !== "order.new") {
        senders.add(`${command.type} ${/\(key ([a-z0-9-]+)\)$/.exec(outcome.meta.actor)?.[1] ?? outcome.meta.actor}`);
      }
      if (command.type !== "order.new") continue;
      const controls = server.exchange.projections.controls.instrument(command.instrument)!;
      const rejected = outcome.events.find((e) => e.type === "rejected");
      // A person's orders, and the one entered by hand in a robot's namespace (INTRUDE_MS), are not the robots'.
      if (command.orderId.includes("~by-hand") || command.orderId.endsWith("-by-hand")) continue;
      orders.push({
        seq: outcome.seq,
        clientOrderId: command.orderId.slice(command.orderId.indexOf("~") + 1),
        timeMs: outcome.timeMs,
        actor: outcome.meta.actor ?? null,
        source: outcome.meta.source ?? null,
        instrument: command.instrument,
        account: command.account,
        price: command.price!,
        quantity: command.quantity,
        code: rejected && rejected.type === "rejected" ? rejected.code : null,
        tick: controls.tickSize,
        lot: controls.lotSize,
        band: bandAround(
          server.exchange.projections.sessions.referencePrice(command.instrument),
          controls.safeguards.bandBps,
          controls.tickSize,
        ),
        ceiling: ceilingAt(controls.safeguards, outcome.timeMs).ceiling,
      });
    }
  });
  scheduler = new Scheduler(server.exchange);
  const access = await demoAccess(server.users, true);
  agents = await startDemo({
    baseUrl: server.url,
    keys: access.keys,
    memberKeys: access.memberKeys,
    clock: () => server.nowMs,
    wait: async (ms) => {
      server.nowMs += ms;
    },
    roundMs: ROUND_MS,
    seed: 7,
  });
  for (let pass = 0; pass < 3; pass++) await scheduler.step();
  await advanceTo(INJECT_MS);
  // A person trades by hand in an account an agent also trades in; the agents leave that order alone.
  const trader = await server.apiKey("aktau-stations-trader");
  const byHand = await trader("POST", "/api/orders", {
    instrument: KAZGPZ_MANGYSTAU,
    account: "AKTAU-STATIONS-1",
    clientOrderId: "by-hand",
    side: "buy",
    price: 12_000_000,
    quantity: 1000,
    tif: "GTC",
  });
  expect(byHand.status).toBe(201);
  // Two more messages from the same person in the same moment, faster than a person types: a second order and its
  // cancel, three messages of the member within a second, which surveillance names as automated entry.
  const again = await trader("POST", "/api/orders", {
    instrument: KAZGPZ_MANGYSTAU,
    account: "AKTAU-STATIONS-1",
    clientOrderId: "by-hand-2",
    side: "buy",
    price: 12_000_000,
    quantity: 1000,
    tif: "GTC",
  });
  expect(again.status).toBe(201);
  expect((await trader("DELETE", "/api/accounts/AKTAU-STATIONS-1/orders/by-hand-2")).status).toBe(200);
  // A tonne of the plant's free gas leaves its account behind its agent's back, as gas a person sells beside the
  // robot does: the agent takes it as theirs and trades on (it stopped on its stock invariant before).
  const withdrawn = await server.exchange.submit({
    type: "gas.withdraw",
    account: "KAZGPZ-1",
    basis: "KAZGPZ",
    quantity: 1000,
  });
  expect(withdrawn.events.map((event) => event.type)).not.toContain("rejected");
  // Later, an order entered by hand in the station network's robot's own namespace trades: a fill for an order the
  // robot never sent, which nothing explains, so its step fails and it is rebuilt in a new namespace, leaving the
  // person's own order on the same account alone.
  await advanceTo(INTRUDE_MS);
  const robotOrder = orders.find(
    (o) => o.account === "AKTAU-STATIONS-1" && o.clientOrderId.split("-")[0]!.endsWith(".0"),
  );
  expect(robotOrder).toBeDefined();
  const intruder = `${robotOrder!.clientOrderId.split("-")[0]}-by-hand`;
  const controls = server.exchange.projections.controls.instrument(KAZGPZ_MANGYSTAU)!;
  const band = bandAround(
    server.exchange.projections.sessions.referencePrice(KAZGPZ_MANGYSTAU),
    controls.safeguards.bandBps,
    controls.tickSize,
  );
  const bought = await trader("POST", "/api/orders", {
    instrument: KAZGPZ_MANGYSTAU,
    account: "AKTAU-STATIONS-1",
    clientOrderId: intruder,
    side: "buy",
    price: band!.high,
    quantity: 1000,
    tif: "IOC",
  });
  expect([bought.status, bought.body.trades?.length > 0], JSON.stringify(bought.body)).toEqual([201, true]);
  await advanceTo(END_MS);
  const regulator = await server.apiKey("regulator", ["read"]);
  const reply = await regulator("GET", "/api/regulator/surveillance/alerts");
  expect(reply.status).toBe(200);
  alerts = (reply.body as unknown as { alerts: typeof alerts }).alerts;
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await agents?.stop();
  await server?.close();
});

describe("the demo market driven by the policy lab's agents", () => {
  it("opens with the producers' offers: every continuous instrument is offered before the first bid", () => {
    const producers = new Set(PRODUCERS.map((p) => p.account));
    const continuous = new Set(orders.filter((o) => o.instrument !== TCO_NATIONWIDE).map((o) => o.instrument));
    const firstBid = orders.findIndex((o) => !producers.has(o.account));
    const offered = new Set(orders.slice(0, firstBid).map((o) => o.instrument));
    expect(continuous.size).toBe(8);
    expect([...continuous].filter((instrument) => !offered.has(instrument))).toEqual([]);
    // The buyers' first round is spread over the round as any round is, not bunched at its start.
    const firstRoundBids = orders.filter((o) => !producers.has(o.account) && o.timeMs < START_MS + ROUND_MS);
    expect(firstRoundBids.at(-1)!.timeMs - firstRoundBids[0]!.timeMs).toBeGreaterThan(ROUND_MS / 2);
  });

  it("sends every order through HTTP with a demo member's API key", () => {
    const stats = agents.stats();
    expect(stats.ordersSent).toBe(orders.length);
    expect(orders.length).toBeGreaterThan(500);
    const keys = new Set(orders.map((o) => /\(key (demo-[a-z0-9-]+)\)$/.exec(o.actor ?? "")?.[1] ?? o.actor));
    // Every member trades: six producers, seven networks, the broker for its two clients and the ring's two members.
    expect([...keys].sort()).toEqual(MEMBERS.map((m) => `demo-${m.id.toLowerCase()}`).sort());
    expect(new Set(orders.map((o) => o.source))).toEqual(new Set(["127.0.0.1"]));
  });

  it("builds the exchange and runs its back office through the API, with the operator's and the regulator's keys", () => {
    // Agents end their sessions by cancelling what is left, each member's with its own key.
    const cancels = MEMBERS.map((m) => `order.cancel demo-${m.id.toLowerCase()}`);
    expect([...senders].sort()).toEqual(
      [
        "account.open demo-operator",
        // Users and keys are journaled too: the server's own demo set-up makes the people's and the robots' users
        // and keys, the test harness its keys.
        "apiKey.create sauda serve (demo set-up)",
        "apiKey.create test setup",
        "user.create sauda serve (demo set-up)",
        "calendar.set demo-operator",
        "station.register demo-operator",
        "gas.declare demo-operator",
        "gas.withdraw demo-operator",
        "instrument.list demo-operator",
        "member.add demo-operator",
        "money.deposit demo-operator",
        "obligation.confirmDelivery demo-operator",
        "obligation.confirmPayment demo-operator",
        "safeguards.set demo-regulator",
        "supply.plan demo-regulator",
        ...cancels,
        // The person's own cancel at 11:30, with the key the test gave the member's trader.
        "order.cancel key-aktau-stations-trader-read-trade-1",
      ].sort(),
    );
    expect(agents.stats().settled).toBeGreaterThan(0);
    // Every buyer has a registered station where it buys (the nationwide call instrument delivers anywhere), so the
    // gas it bought can be received there.
    const stations = server.exchange.projections.deliveries.allStations();
    expect(stations.map((s) => `${s.region} ${s.member}`).sort()).toEqual(
      [
        "MANGYSTAU MANGYSTAU-AUTOGAS",
        "MANGYSTAU AKTAU-STATIONS",
        "MANGYSTAU CASPIAN-BROKER",
        "ATYRAU ATYRAU-GAS",
        "ATYRAU KZ-WHOLESALE",
        "AKTOBE AKTOBE-FUEL",
        "AKTOBE KZ-WHOLESALE",
        "ASTANA ASTANA-LPG",
        "ASTANA KZ-WHOLESALE",
        "SHYMKENT SOUTH-AUTOGAS",
        "SHYMKENT KZ-WHOLESALE",
        "ALMATY SOUTH-AUTOGAS",
        "ALMATY KZ-WHOLESALE",
      ].sort(),
    );
    expect(stations.find((s) => s.station === "AKTAU-STATIONS-MANGYSTAU-1")?.name).toBe(
      "ТОО «Ақтау АЖҚС», MANGYSTAU-1",
    );
  });

  it("trades in every instrument, and the hourly call auction clears at one price inside its band", () => {
    const listed = server.exchange.projections.instruments.all().map((i) => i.instrument);
    expect(listed).toHaveLength(9);
    for (const id of listed) expect(trades.get(id) ?? 0, id).toBeGreaterThan(0);
    const call = listed.find((id) => server.exchange.projections.controls.instrument(id)!.mode === "call")!;
    const auctions = server.exchange.projections.sessions.history(call).reverse();
    expect(auctions.map((s) => s.endMs)).toEqual([Date.UTC(2026, 0, 5, 6, 45), Date.UTC(2026, 0, 5, 7, 45)]);
    for (const session of auctions) {
      expect(session.volumeKg).toBeGreaterThan(0n);
      expect(session.highTiynPerTonne).toBe(session.lowTiynPerTonne);
      // The second session's band is centred on the first one's price.
      const band = bandAround(session.referencePriceTiynPerTonne, 1000, 100)!;
      expect(session.vwapTiynPerTonne).toBeGreaterThanOrEqual(band.low);
      expect(session.vwapTiynPerTonne).toBeLessThanOrEqual(band.high);
    }
    expect(auctions[1]!.referencePriceTiynPerTonne).toBe(auctions[0]!.vwapTiynPerTonne);
    expect(agents.stats().auctions).toBe(2);
  });

  it("answers every refusal to its agent, which trades on; none is for tick, lot, band or ceiling", () => {
    const stats = agents.stats();
    const refused = orders.filter((o) => o.code !== null);
    const byCode: Record<string, number> = {};
    for (const o of refused) byCode[o.code!] = (byCode[o.code!] ?? 0) + 1;
    expect(stats.refusals).toEqual(byCode);
    expect(stats.ordersAccepted).toBe(orders.length - refused.length);
    for (const code of Object.keys(byCode)) expect(MARKET_STATE_CODES).toContain(code);
    // An agent hears a refusal within its step and quotes again in its next one (the last round has no next one).
    for (const o of refused.filter((r) => r.timeMs < END_MS - 2 * ROUND_MS)) {
      const later = orders.find((x) => x.account === o.account && x.seq > o.seq && x.code === null);
      expect(later, `${o.account} after its refusal at seq ${o.seq}`).toBeDefined();
    }
  });

  it("rebuilds an agent whose step fails, which then trades on, and leaves a person's orders alone", () => {
    const stats = agents.stats();
    // One failure: the fill of the order entered in the robot's namespace at 11:50; the tonne withdrawn from the
    // plant's account at 11:30 is none (the producer's robot took it as sold by others).
    expect([stats.failures, stats.lastFailure]).toEqual([
      1,
      "network AKTAU-STATIONS-1 in MANGYSTAU: invariant: buyer AKTAU-STATIONS-1 got a fill for unknown order by-hand",
    ]);
    const after = orders.filter((o) => o.account === "AKTAU-STATIONS-1" && o.timeMs > INTRUDE_MS + ROUND_MS);
    expect(after.length).toBeGreaterThan(0);
    // The rebuilt agent has a new namespace (generation 1) and books its gas from zero again.
    expect(new Set(after.map((o) => o.clientOrderId.split("-")[0]!.split(".")[2]))).toEqual(new Set(["1"]));
    const byHand = server.exchange.projections.accounts.order("AKTAU-STATIONS-1~by-hand")!;
    expect(byHand.status === "cancelled" ? byHand.cancelReason : byHand.status).not.toBe("cancelled");
    expect(byHand.cancelReason).toBeNull();
  });

  it("paces each member's robot to the rulebook's limit, so surveillance names only the person's burst", () => {
    // Every robot's order entry: any three messages of one key span at least 1,000 ms.
    const robots = [...entries].filter(([key]) => key.startsWith("demo-"));
    expect(robots.map(([key]) => key).sort()).toEqual(MEMBERS.map((m) => `demo-${m.id.toLowerCase()}`).sort());
    for (const [key, times] of robots) {
      const tight = times.findIndex((t, i) => i >= 2 && t - times[i - 2]! < 1000);
      expect(tight, `${key} at ${times[tight]}`).toBe(-1);
    }
    // Read through the API: the one automated-entry alert is the person's three messages at 11:30, not a robot's.
    const automated = alerts.filter((a) => a.rule === "automated-entry");
    expect(automated).toHaveLength(1);
    expect(automated[0]).toMatchObject({
      members: ["AKTAU-STATIONS"],
      orders: ["AKTAU-STATIONS-1~by-hand", "AKTAU-STATIONS-1~by-hand-2"],
      figures: { peakMessages: 3, windowMs: 1000, messagesInBursts: 3 },
    });
  });

  it("has its bidding ring named by surveillance, and no one else for coordinated bidding", () => {
    const coordinated = alerts.filter((a) => a.rule === "coordinated-bidding");
    expect(coordinated.map((a) => a.members)).toEqual([[...RING_MEMBERS]]);
    const [ring] = coordinated;
    expect(ring).toMatchObject({ side: "buy", accounts: ["RING-A-1", "RING-B-1"], figures: { linkedPairs: 1 } });
    // Raised at the ring's first step, halfway through the first round: it bid in three sessions at once.
    expect(ring!.raisedMs).toBeGreaterThanOrEqual(START_MS + ROUND_MS / 2);
    expect(ring!.raisedMs).toBeLessThan(START_MS + ROUND_MS / 2 + 5000);
    expect(ring!.figures.sessions).toBeGreaterThanOrEqual(3);
    // Each step's bids: the two members at one price on each instrument, 5% under the band's reference, the second
    // bid within the rule's second of the first.
    const ringOrders = orders.filter((o) => RING_MEMBERS.some((m) => o.account === `${m}-1`));
    const pairs = new Map<string, OrderSeen[]>();
    for (const o of ringOrders) {
      const id = `${o.instrument} ${o.clientOrderId}`;
      pairs.set(id, [...(pairs.get(id) ?? []), o]);
    }
    expect(pairs.size).toBeGreaterThan(3 * 20);
    for (const [id, [a, b, ...more]] of pairs) {
      expect([a?.account, b?.account, more.length], id).toEqual(["RING-A-1", "RING-B-1", 0]);
      expect([a!.code, b!.code, b!.price], id).toEqual([null, null, a!.price]);
      expect(b!.timeMs - a!.timeMs, id).toBeLessThan(1000);
      // 5% under the band's centre, the reference (the band is ±10%): inside it, under the honest buyers' bids.
      expect(a!.price, id).toBeLessThan(a!.band!.low + ((a!.band!.high - a!.band!.low) * 3) / 10);
    }
  });

  it("prices every order on the tick, sizes it in whole lots, inside the band and under the ceiling in force", () => {
    const accepted = orders.filter((o) => o.code === null);
    const offGrid = accepted.filter((o) => o.price % o.tick !== 0 || o.quantity % o.lot !== 0 || o.quantity <= 0);
    expect(offGrid).toEqual([]);
    const outside = accepted.filter(
      (o) =>
        (o.band !== null && (o.price < o.band.low || o.price > o.band.high)) ||
        (o.ceiling !== null && o.price > o.ceiling),
    );
    expect(outside).toEqual([]);
    expect(accepted.every((o) => o.band !== null && o.ceiling !== null)).toBe(true);
  });

  it("keeps open orders to about one round of quotes, and settles the trades", () => {
    const stats = agents.stats();
    expect(stats.rounds).toBe(23);
    expect(stats.openOrdersMax).toBeLessThan(200);
    expect(stats.settled).toBeGreaterThan(0);
    const accounts = server.exchange.projections.accounts;
    const buyers = new Set(REGIONS.flatMap((r) => r.networks.map((n) => n.account)));
    let open = 0;
    for (const account of buyers) {
      for (const o of accounts.obligations(account, { role: "buyer" })) {
        if (o.status === "defaulted") throw new Error(`obligation ${o.id} defaulted`);
        if (o.status === "open" && o.tradeTimeMs < server.nowMs - ROUND_MS) open++;
      }
    }
    expect(open).toBe(0);
  });

  // The ring's alert spans three instruments, whose prices differ by region: the case page draws a chart for each,
  // each with its own price scale and all on one time scale.
  it.skipIf(!browserAvailable("the ring's evidence in a browser"))(
    "draws the ring's evidence in a browser: a chart per instrument, the steps' bids one above the other",
    async () => {
      const ring = alerts.find((a) => a.rule === "coordinated-bidding")!;
      // A regulator with the tests' password (the demo's own are made with passwords of their own).
      await server.addUser("case-regulator", "regulator", null);
      const regulator = await server.login("case-regulator");
      const opened = await server.call(regulator, "POST", "/api/regulator/surveillance/cases", {
        alert: ring.id,
        reason: "the ring's bids",
      });
      expect(opened.status).toBe(201);
      const caseId = (opened.body as { case: { id: string } }).case.id;
      const { evidence } = (await server.call(regulator, "GET", `/api/regulator/surveillance/alerts/${ring.id}`))
        .body as { evidence: { orders: { order: string; instrument: string; entered: { timeMs: number } | null }[] } };
      const expected = new Map<string, string[]>();
      const enteredMs = new Map<string, number>();
      for (const o of evidence.orders) {
        if (o.entered === null) continue;
        expected.set(o.instrument, [...(expected.get(o.instrument) ?? []), o.order].sort());
        enteredMs.set(o.order, o.entered.timeMs);
      }
      // Three at a time (more over the run, as the instruments the ring picks change).
      expect(expected.size).toBeGreaterThanOrEqual(3);
      ensureWebBuilt();
      const browser = await launchBrowser();
      try {
        const context = await browser.newContext({
          viewport: { width: 1280, height: 900 },
          locale: "en-US",
          timezoneId: "Asia/Almaty",
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        await page.goto(`${server.url}/login`);
        await signInOn(page, "case-regulator");
        await page.goto(`${server.url}/surveillance/case?id=${caseId}`);
        const charts = page.getByTestId("evidence-charts").locator('svg[data-testid="evidence-chart"]');
        await expect.poll(() => charts.count(), { timeout: LIVE_MS }).toBe(expected.size);
        const drawn = await charts.evaluateAll((svgs) =>
          svgs.map((svg) => ({
            instrument: svg.getAttribute("data-instrument") ?? "",
            // Each mark's order and its centre across (its triangle's apex).
            marks: [...svg.querySelectorAll(".order-mark")].map((m) => ({
              order: m.getAttribute("data-order") ?? "",
              x: Number(m.getAttribute("points")!.split(" ")[2]!.split(",")[0]),
            })),
          })),
        );
        expect(new Map(drawn.map((c) => [c.instrument, c.marks.map((m) => m.order).sort()]))).toEqual(expected);
        // No trades' line on these (the evidence holds one instrument's trades, and this alert spans several): each is
        // named as the orders it draws, with the time it spans at its foot.
        const [firstChart] = drawn;
        expect(await charts.first().getAttribute("aria-label")).toBe(
          `The alert's orders by price and time: ${firstChart!.instrument}`,
        );
        expect(await charts.first().getByTestId("chart-span").textContent()).toMatch(
          /^\d\d:\d\d:\d\d – \d\d:\d\d:\d\d$/,
        );
        await screenshot(page, "surveillance-ring-evidence");
        // One time scale for all: every mark lies where the first and the last order's times put it, whichever chart
        // each is on (charts with scales of their own would each start at their left edge).
        const marks = drawn.flatMap((c) => c.marks).map((m) => ({ ...m, timeMs: enteredMs.get(m.order)! }));
        marks.sort((a, b) => a.timeMs - b.timeMs);
        const [first, last] = [marks[0]!, marks[marks.length - 1]!];
        expect(last.timeMs).toBeGreaterThan(first.timeMs);
        const perMs = (last.x - first.x) / (last.timeMs - first.timeMs);
        for (const m of marks)
          expect(Math.abs(first.x + (m.timeMs - first.timeMs) * perMs - m.x), m.order).toBeLessThan(0.2);
        await reopenIn(page, "kk");
        await expect
          .poll(() => page.getByTestId("evidence-charts").locator("p").first().textContent(), { timeout: LIVE_MS })
          .toBe(
            "Ескерту өтінімдері бірнеше құралда: әр құралдың өз графигі, баға шкаласы өзінікі, ал уақыт шкаласы бәріне ортақ, сондықтан бірге берілген өтінімдер бірінің үстінде бірі тұрады.",
          );
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
