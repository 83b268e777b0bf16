/**
 * Market surveillance in the server, over real HTTP and a real WebSocket: a wash trade between two members the
 * operator recorded as one group of persons, placed through the API, raises an alert that the regulator sees on the
 * surveillance stream and in GET /api/regulator/surveillance/alerts, with its evidence pack rebuilt from the journal;
 * the session's statistics; the configuration changed with a reason, audited; the alerts rebuilt the same after a
 * restart; and the same alerts as `sauda surveil --journal` over the server's data folder.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { surveilJournal } from "../../src/cli/surveil.ts";
import { DEFAULT_CONFIG } from "../../src/surveillance/config.ts";
import { INSTRUMENT, type Json, type Session, TestServer } from "../support/server.ts";

/** How long a test waits for a stream message before it fails (a guard against hangs, never an assertion). */
const WAIT_FAILURE_MS = 10_000;
const SESSION = `${INSTRUMENT}:1`;

let server: TestServer;
let regulator: Session;
let operator: Session;

/** A WebSocket client that keeps every message and waits for the first one that matches. */
class StreamClient {
  readonly messages: Json[] = [];
  private waiter: { match: (m: Json) => boolean; resolve: (m: Json) => void } | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data));
      this.messages.push(message);
      if (this.waiter?.match(message)) {
        this.waiter.resolve(message);
        this.waiter = null;
      }
    });
  }

  static open(url: string, session: Session): Promise<StreamClient> {
    const socket = new WebSocket(url, { headers: { cookie: session.cookie } });
    const client = new StreamClient(socket);
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(client));
      socket.once("error", reject);
    });
  }

  next(match: (m: Json) => boolean): Promise<Json> {
    const seen = this.messages.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no matching stream message")), WAIT_FAILURE_MS);
      this.waiter = {
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
    });
  }
}

function order(account: string, clientOrderId: string, side: "buy" | "sell", price: number, quantity: number) {
  return { instrument: INSTRUMENT, account, clientOrderId, side, price, quantity };
}

beforeAll(async () => {
  server = await TestServer.start();
  regulator = await server.login("regulator");
  operator = await server.login("operator");
  // The operator records the producer and the filling-station network as one group of persons.
  for (const member of ["KAZGPZ", "AKTAU"]) {
    const outcome = await server.exchange.submit(
      { type: "member.group", member, group: "CASPIAN", evidence: "ORDER-2026-17", reason: "common beneficial owner" },
      { actor: "operator", role: "operator" },
    );
    expect(outcome.events.map((e) => e.type)).toEqual(["member.grouped"]);
  }
});
afterAll(async () => {
  await server.close();
});

describe("surveillance in the server", () => {
  let alertId = "";

  it("raises a wash-trade alert on the stream and the API when the two members of a group trade with each other", async () => {
    const stream = await StreamClient.open(`${server.url.replace("http", "ws")}/api/stream`, regulator);
    stream.socket.send(JSON.stringify({ op: "subscribe", id: 1, channel: "surveillance" }));
    const snapshot = await stream.next((m) => m.type === "snapshot" && m.channel === "surveillance");
    expect(snapshot).toMatchObject({ total: 0, alerts: [] });

    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("aktau-trader");
    const offer = await server.call(
      seller,
      "POST",
      "/api/orders",
      order("KAZGPZ-1", "w-offer", "sell", 13_300_000, 20_000),
    );
    expect(offer.status).toBe(201);
    const bid = await server.call(buyer, "POST", "/api/orders", order("AKTAU-1", "w-bid", "buy", 13_300_000, 20_000));
    expect(bid.body.trades).toHaveLength(1);

    const update = await stream.next((m) => m.type === "update" && m.channel === "surveillance");
    expect(update.changes).toHaveLength(1);
    expect(update.changes[0]).toMatchObject({
      change: "raised",
      alert: {
        rule: "wash-trade",
        severity: "high",
        session: SESSION,
        instrument: INSTRUMENT,
        accounts: ["AKTAU-1", "KAZGPZ-1"],
        members: ["AKTAU", "KAZGPZ"],
        groups: ["CASPIAN"],
        orders: ["AKTAU-1~w-bid", "KAZGPZ-1~w-offer"],
        figures: { trades: 1, quantityKg: 20_000 },
        version: 1,
        caseId: null,
      },
    });
    alertId = update.changes[0].alert.id;
    expect(alertId).toMatch(/^[0-9a-f]{16}$/);
    stream.socket.close();

    const listed = await server.call(regulator, "GET", "/api/regulator/surveillance/alerts");
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(1);
    expect(listed.body.alerts[0]).toEqual(update.changes[0].alert);
  });

  it("filters alerts by rule, instrument, group and severity", async () => {
    const count = async (query: string) =>
      (await server.call(regulator, "GET", `/api/regulator/surveillance/alerts?${query}`)).body.total;
    expect(await count("rule=wash-trade")).toBe(1);
    expect(await count("rule=spoofing")).toBe(0);
    expect(await count(`instrument=${INSTRUMENT}`)).toBe(1);
    expect(await count("instrument=OTHER")).toBe(0);
    expect(await count("group=CASPIAN")).toBe(1);
    expect(await count("group=AKTAU")).toBe(0);
    expect(await count("severity=high")).toBe(1);
    expect(await count("severity=low")).toBe(0);
    const bad = await server.call(regulator, "GET", "/api/regulator/surveillance/alerts?rule=insider");
    expect(bad.status).toBe(400);
  });

  it("gives an alert's evidence pack: the orders as entered and filled, and the trade", async () => {
    const answer = await server.call(regulator, "GET", `/api/regulator/surveillance/alerts/${alertId}`);
    expect(answer.status).toBe(200);
    const { evidence } = answer.body;
    expect(evidence.complete).toBe(true);
    expect(evidence.trades).toHaveLength(1);
    expect(evidence.trades[0]).toMatchObject({
      buyOrder: "AKTAU-1~w-bid",
      sellOrder: "KAZGPZ-1~w-offer",
      buyAccount: "AKTAU-1",
      sellAccount: "KAZGPZ-1",
      priceTiynPerTonne: 13_300_000,
      quantityKg: 20_000,
    });
    const bid = evidence.orders.find((o: Json) => o.order === "AKTAU-1~w-bid");
    expect(bid).toMatchObject({
      account: "AKTAU-1",
      side: "buy",
      entered: { priceTiynPerTonne: 13_300_000, quantityKg: 20_000 },
      cancelled: null,
    });
    expect(bid.fills).toHaveLength(1);
    expect(evidence.pricePathInstrument).toBe(INSTRUMENT);
    expect(evidence.pricePath.map((p: Json) => p.priceTiynPerTonne)).toEqual([13_300_000]);

    const missing = await server.call(regulator, "GET", "/api/regulator/surveillance/alerts/0123456789abcdef");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("ALERT_NOT_FOUND");
  });

  it("changes the configuration with a reason, through the journal and into the audit trail", async () => {
    const before = await server.call(regulator, "GET", "/api/regulator/surveillance/config");
    expect(before.body).toEqual({ config: DEFAULT_CONFIG, change: null });

    const changed = await server.call(regulator, "PATCH", "/api/regulator/surveillance/config", {
      changes: { concentration: { shareAboveBps: 3000 }, automatedEntry: { enabled: false } },
      reason: "the agency's 30% criterion",
    });
    expect(changed.status).toBe(200);
    expect(changed.body.config.concentration).toEqual({ enabled: true, shareAboveBps: 3000, quantityAboveKg: 300_000 });
    expect(changed.body.config.automatedEntry.enabled).toBe(false);
    const after = await server.call(regulator, "GET", "/api/regulator/surveillance/config");
    expect(after.body.change).toMatchObject({
      seq: changed.body.seq,
      reason: "the agency's 30% criterion",
      actor: "regulator",
    });

    const again = await server.call(regulator, "PATCH", "/api/regulator/surveillance/config", {
      changes: { concentration: { shareAboveBps: 3000 } },
      reason: "once more",
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("SURVEILLANCE_CONFIG_UNCHANGED");
    const outOfRange = await server.call(regulator, "PATCH", "/api/regulator/surveillance/config", {
      changes: { priceLimitBidding: { sessionsMin: 20, windowSessions: 10 } },
      reason: "more sessions than the window",
    });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error.code).toBe("SURVEILLANCE_CONFIG_INVALID");
    const byOperator = await server.call(operator, "PATCH", "/api/regulator/surveillance/config", {
      changes: { washTrade: { enabled: false } },
      reason: "not the operator's to change",
    });
    expect(byOperator.status).toBe(403);

    const audit = await server.call(regulator, "GET", "/api/regulator/audit?kinds=surveillance");
    expect(audit.body.entries.map((e: Json) => [e.actor, e.commandType, e.outcome])).toEqual([
      ["regulator", "surveillance.configure", "rejected"],
      ["regulator", "surveillance.configure", "rejected"],
      ["regulator", "surveillance.configure", "accepted"],
    ]);
    expect(audit.body.entries[2].summary).toContain("reason: the agency's 30% criterion");
  });

  it("gives the statistics of a session once it has ended", async () => {
    const closed = await server.call(operator, "PUT", `/api/admin/instruments/${INSTRUMENT}/phase`, {
      phase: "closed",
    });
    expect(closed.status).toBe(200);
    const answer = await server.call(regulator, "GET", "/api/regulator/surveillance/statistics");
    expect(answer.status).toBe(200);
    expect(answer.body.statistics).toHaveLength(1);
    expect(answer.body.statistics[0]).toMatchObject({
      session: SESSION,
      instrument: INSTRUMENT,
      trades: 1,
      volumeKg: 20_000,
      topBuyers: [{ group: "CASPIAN", quantityKg: 20_000, sharePercent: 100 }],
      topSellers: [{ group: "CASPIAN", quantityKg: 20_000, sharePercent: 100 }],
      buyersHhi: 10_000,
      sellersHhi: 10_000,
      orderToTrade: [
        { member: "AKTAU", messages: 1, trades: 1, ratio: 1 },
        { member: "KAZGPZ", messages: 1, trades: 1, ratio: 1 },
      ],
    });
    expect(answer.body.statistics[0].closeMs).toBe(server.nowMs);
  });

  it("finds the same alerts after a restart and as `sauda surveil --journal` over the data folder", async () => {
    const live = (await server.call(regulator, "GET", "/api/regulator/surveillance/alerts")).body.alerts;
    expect(live).toHaveLength(1);
    await server.app.close();
    await server.exchange.close();
    const offline = await surveilJournal({ journal: server.dir }, DEFAULT_CONFIG);
    if (typeof offline === "string") throw new Error(offline);
    const core = (a: Json) => {
      const { id, severity, raisedSeq, raisedMs, updatedSeq, updatedMs, version, caseId, ...rest } = a;
      return rest;
    };
    expect(offline.map(core)).toEqual(live.map(core));

    await server.open();
    regulator = await server.login("regulator");
    const rebuilt = (await server.call(regulator, "GET", "/api/regulator/surveillance/alerts")).body.alerts;
    expect(rebuilt).toEqual(live);
    const config = (await server.call(regulator, "GET", "/api/regulator/surveillance/config")).body.config;
    expect(config.concentration.shareAboveBps).toBe(3000);
  });
});
