/**
 * Market surveillance in the server, over real HTTP and a real WebSocket: a wash trade between two members the
 * operator recorded as one group of persons, placed through the API, raises an alert that the regulator sees on the
 * surveillance stream and in GET /api/regulator/surveillance/alerts, with its evidence pack rebuilt from the journal;
 * the session's statistics; the configuration changed with a reason, audited; the alerts rebuilt the same after a
 * restart; and the same alerts as `sauda surveil --journal` over the server's data folder.
 */

import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { surveilJournal } from "../../src/cli/surveil.ts";
import { DEFAULT_CONFIG } from "../../src/surveillance/config.ts";
import { type Alert, alertLine } from "../../src/surveillance/index.ts";
import { INSTRUMENT, type Json, type Session, TestServer } from "../support/server.ts";

/** How long a test waits for a stream message before it fails (a guard against hangs, never an assertion). */
const WAIT_FAILURE_MS = 10_000;
const SESSION = `${INSTRUMENT}:1`;
const BIN = resolve(import.meta.dirname, "../../bin/sauda.js");

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
    const recorded = await server.call(operator, "PUT", `/api/admin/members/${member}/group`, {
      group: "CASPIAN",
      evidence: "ORDER-2026-17",
      reason: "common beneficial owner",
    });
    expect(recorded.body).toMatchObject({ member, group: "CASPIAN", evidence: "ORDER-2026-17" });
  }
  const again = await server.call(operator, "PUT", "/api/admin/members/AKTAU/group", {
    group: "CASPIAN",
    evidence: "ORDER-2026-17",
    reason: "twice",
  });
  expect([again.status, again.body.error.code]).toEqual([409, "GROUP_UNCHANGED"]);
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
    // The alert is raised in the same batch as the trade that completes it: by the time the trade is acknowledged
    // (durable), the regulator's API already lists it; nothing waits for a timer or a later batch.
    const atAck = await server.call(regulator, "GET", "/api/regulator/surveillance/alerts");
    expect(atAck.body.total).toBe(1);

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

  it("keeps the surveillance channel to the consoles: a trader's subscription is refused", async () => {
    const trader = await server.login("aktau-trader");
    const stream = await StreamClient.open(`${server.url.replace("http", "ws")}/api/stream`, trader);
    stream.socket.send(JSON.stringify({ op: "subscribe", id: 7, channel: "surveillance" }));
    const refused = await stream.next((m) => m.type === "error" && m.id === 7);
    expect(refused.error.code).toBe("FORBIDDEN");
    stream.socket.send(JSON.stringify({ op: "subscribe", id: 8, channel: "surveillance", instrument: INSTRUMENT }));
    const malformed = await stream.next((m) => m.type === "error" && m.id === 8);
    expect(malformed.error.code).toBe("REQUEST_INVALID");
    expect(stream.messages.some((m) => m.channel === "surveillance" && m.type !== "error")).toBe(false);
    stream.socket.close();
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

  it("shows the group of persons with its related parties, the evidence of the record and its alerts", async () => {
    const answer = await server.call(regulator, "GET", "/api/regulator/surveillance/groups");
    expect(answer.status).toBe(200);
    expect(answer.body.groups).toEqual([
      {
        group: "CASPIAN",
        alerts: 1,
        members: [
          expect.objectContaining({
            member: "AKTAU",
            accounts: ["AKTAU-1"],
            evidence: "ORDER-2026-17",
            recordedBy: "operator",
          }),
          expect.objectContaining({ member: "KAZGPZ", accounts: ["KAZGPZ-1"], reason: "common beneficial owner" }),
        ],
      },
    ]);
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
    // The book at each moment of the alert: the offer resting, then the trade that took it.
    expect(evidence.booksComplete).toBe(true);
    expect(evidence.books.map((m: Json) => m.about)).toEqual([
      ["KAZGPZ-1~w-offer"],
      ["AKTAU-1~w-bid", "KAZGPZ-1~w-offer", evidence.trades[0].trade].sort(),
    ]);
    const [rested, traded] = evidence.books;
    expect(rested.book).toMatchObject({ instrument: INSTRUMENT, phase: "continuous", curve: null, complete: true });
    expect(rested.book.asks.find((l: Json) => l.alertKg > 0)).toEqual({
      priceTiynPerTonne: 13_300_000,
      quantityKg: expect.any(Number),
      orders: expect.any(Number),
      alertKg: 20_000,
    });
    expect([...traded.book.bids, ...traded.book.asks].filter((l: Json) => l.alertKg > 0)).toEqual([]);

    // The same evidence to keep, as a file and as a readable page with the book drawn.
    const file = await server.call(regulator, "GET", `/api/regulator/surveillance/alerts/${alertId}/evidence`);
    expect(file.status).toBe(200);
    expect(file.body.evidence.books).toEqual(evidence.books);
    const page = await server.call(
      regulator,
      "GET",
      `/api/regulator/surveillance/alerts/${alertId}/evidence?format=html`,
    );
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html: string = page.body;
    expect(html).toContain(`Evidence of alert ${alertId}`);
    expect(html).toContain("Order book at each moment of the alert");
    expect(html).toMatch(/<td class="n">133,000<\/td><td class="n">20<\/td><td class="n">20<\/td>/);

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
    // And the command itself, printing the contract's lines.
    const cli = spawnSync(process.execPath, [BIN, "surveil", "--journal", server.dir], { encoding: "utf8" });
    expect(cli.status).toBe(0);
    const lines = cli.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual(live.map((alert: Alert) => alertLine(alert)));
    expect(lines[0]).toMatchObject({ rule: "wash-trade", groups: ["CASPIAN"], accounts: ["AKTAU-1", "KAZGPZ-1"] });

    await server.open();
    regulator = await server.login("regulator");
    operator = await server.login("operator");
    const rebuilt = (await server.call(regulator, "GET", "/api/regulator/surveillance/alerts")).body.alerts;
    expect(rebuilt).toEqual(live);
    const config = (await server.call(regulator, "GET", "/api/regulator/surveillance/config")).body.config;
    expect(config.concentration.shareAboveBps).toBe(3000);
  });
});

describe("cases", () => {
  let first = "";
  let second = "";

  it("opens a case on an alert, refusing an alert already taken or unknown", async () => {
    const before = (await server.call(regulator, "GET", "/api/regulator/surveillance/alerts")).body.alerts[0];
    first = before.id;
    // A second regulator's console watches the surveillance channel: the alert taken into the case is said to it, and
    // the case opened, so its list of cases reads again.
    const stream = await StreamClient.open(`${server.url.replace("http", "ws")}/api/stream`, regulator);
    stream.socket.send(JSON.stringify({ op: "subscribe", id: 21, channel: "surveillance" }));
    await stream.next((m) => m.type === "snapshot" && m.channel === "surveillance");
    const opened = await server.call(regulator, "POST", "/api/regulator/surveillance/cases", {
      alert: first,
      reason: "one owner on both sides",
    });
    expect(opened.status).toBe(201);
    expect(opened.body.case).toMatchObject({ id: "CASE-1", status: "open", outcome: null, alerts: [first] });
    expect(opened.body.case.steps).toEqual([
      expect.objectContaining({
        action: "opened",
        actor: "regulator",
        role: "regulator",
        alert: first,
        text: "one owner on both sides",
      }),
    ]);
    expect(opened.body.alerts.map((a: Json) => a.id)).toEqual([first]);
    const alert = (await server.call(regulator, "GET", `/api/regulator/surveillance/alerts/${first}`)).body.alert;
    expect(alert.caseId).toBe("CASE-1");
    const told = await stream.next((m) => m.type === "update" && m.channel === "surveillance");
    expect(told.changes).toEqual([
      { change: "updated", alert },
      { change: "case", caseId: "CASE-1", status: "open", seq: opened.body.case.steps[0].seq },
    ]);
    expect([told.changes[0].alert.version, told.changes[0].alert.updatedSeq]).toEqual([
      before.version,
      before.updatedSeq,
    ]);
    stream.socket.close();

    const taken = await server.call(regulator, "POST", "/api/regulator/surveillance/cases", {
      alert: first,
      reason: "again",
    });
    expect([taken.status, taken.body.error.code]).toEqual([409, "CASE_ALERT_TAKEN"]);
    const unknown = await server.call(regulator, "POST", "/api/regulator/surveillance/cases", {
      alert: "0123456789abcdef",
      reason: "no such alert",
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "ALERT_NOT_FOUND"]);
    const byOperator = await server.call(operator, "POST", "/api/regulator/surveillance/cases", {
      alert: first,
      reason: "r",
    });
    expect(byOperator.status).toBe(403);
  });

  it("refuses to close a case that was not reviewed", async () => {
    const early = await server.call(regulator, "POST", "/api/regulator/surveillance/cases/CASE-1/close", {
      outcome: "warning",
      reason: "too early",
    });
    expect([early.status, early.body.error.code]).toEqual([409, "CASE_TRANSITION_INVALID"]);
    expect(early.body.error.details).toMatchObject({ caseId: "CASE-1", status: "open" });
  });

  it("takes another alert and a note, then goes under review", async () => {
    // A second session with the same pair washing again: a second alert.
    expect(
      (await server.call(operator, "PUT", `/api/admin/instruments/${INSTRUMENT}/phase`, { phase: "continuous" }))
        .status,
    ).toBe(200);
    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("aktau-trader");
    await server.call(seller, "POST", "/api/orders", order("KAZGPZ-1", "w2-offer", "sell", 13_300_000, 10_000));
    await server.call(buyer, "POST", "/api/orders", order("AKTAU-1", "w2-bid", "buy", 13_300_000, 10_000));
    const alerts = (await server.call(regulator, "GET", "/api/regulator/surveillance/alerts?rule=wash-trade")).body
      .alerts;
    expect(alerts.map((a: Json) => a.session)).toEqual([SESSION, `${INSTRUMENT}:2`]);
    second = alerts[1].id;

    const joined = await server.call(regulator, "POST", "/api/regulator/surveillance/cases/CASE-1/alerts", {
      alert: second,
      reason: "the same pair in the next session",
    });
    expect(joined.status).toBe(200);
    expect(joined.body.case.alerts).toEqual([first, second]);
    // A second regulator's console watches the channel: the note and the review are said to it as they are made.
    const stream = await StreamClient.open(`${server.url.replace("http", "ws")}/api/stream`, regulator);
    stream.socket.send(JSON.stringify({ op: "subscribe", id: 23, channel: "surveillance" }));
    await stream.next((m) => m.type === "snapshot" && m.channel === "surveillance");
    const noted = await server.call(regulator, "POST", "/api/regulator/surveillance/cases/CASE-1/notes", {
      note: "The members' compliance officers were asked to explain.",
    });
    expect(noted.body.case.steps.at(-1)).toMatchObject({ action: "noted", actor: "regulator" });
    const noteTold = await stream.next((m) => m.type === "update" && m.channel === "surveillance");
    expect(noteTold.changes).toEqual([
      { change: "case", caseId: "CASE-1", status: "open", seq: noted.body.case.steps.at(-1).seq },
    ]);
    const reviewed = await server.call(regulator, "POST", "/api/regulator/surveillance/cases/CASE-1/review", {
      reason: "evidence complete",
    });
    expect(reviewed.body.case.status).toBe("under-review");
    const reviewTold = await stream.next(
      (m) => m.type === "update" && m.channel === "surveillance" && m.seq > noteTold.seq,
    );
    expect(reviewTold.changes).toEqual([
      { change: "case", caseId: "CASE-1", status: "under-review", seq: reviewed.body.case.steps.at(-1).seq },
    ]);
    stream.socket.close();
    const again = await server.call(regulator, "POST", "/api/regulator/surveillance/cases/CASE-1/review", {
      reason: "twice",
    });
    expect([again.status, again.body.error.code]).toEqual([409, "CASE_TRANSITION_INVALID"]);
  });

  it("gives the suspicious-transaction report as JSON and as a readable page", async () => {
    const json = await server.call(regulator, "GET", "/api/regulator/surveillance/cases/CASE-1/report");
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      report: "suspicious-transaction",
      reference: "CASE-1",
      case: { status: "under-review", outcome: null },
      who: { accounts: ["AKTAU-1", "KAZGPZ-1"], members: ["AKTAU", "KAZGPZ"], groups: ["CASPIAN"] },
    });
    expect(json.body.what.map((w: Json) => w.alert.id)).toEqual([first, second]);
    expect(json.body.what[0].whySuspicious).toContain("same member or the same group of persons");
    expect(json.body.what[1].evidence.trades.map((t: Json) => t.quantityKg)).toEqual([10_000]);
    expect(json.body.handling.map((s: Json) => s.action)).toEqual(["opened", "joined", "noted", "reviewing"]);

    const html = await server.call(regulator, "GET", "/api/regulator/surveillance/cases/CASE-1/report?format=html");
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(html.body).toContain("<h1>Suspicious-transaction report CASE-1</h1>");
    expect(html.body).toContain("KAZGPZ-1~w2-offer");
    expect(html.body.match(/class="order-mark"/g)).toHaveLength(4);
    expect(html.body.match(/<div class="book" data-seq=/g)?.length).toBe(
      json.body.what.reduce((n: number, w: Json) => n + w.evidence.books.length, 0),
    );
    // In Kazakh (`lang`) and in Russian (the reader's Accept-Language): words, Astana times, no English heading.
    const kk = await server.call(
      regulator,
      "GET",
      "/api/regulator/surveillance/cases/CASE-1/report?format=html&lang=kk",
    );
    expect(kk.body).toContain('<html lang="kk">');
    expect(kk.body).toContain("<h1>Күдікті операция туралы хабарлама CASE-1</h1>");
    expect(kk.body).toContain("<h2>Жалған мәміле <small>(жоғары, ескерту ");
    expect(kk.body).not.toContain("Why suspicious");
    expect(kk.body).not.toMatch(/<td>\d{4}-\d{2}-\d{2}T/);
    const ru = await fetch(`${server.url}/api/regulator/surveillance/cases/CASE-1/report?format=html`, {
      headers: { cookie: regulator.cookie, "accept-language": "ru" },
    });
    const ruText = await ru.text();
    expect(ruText).toContain("<h1>Сообщение о подозрительной операции CASE-1</h1>");
    expect(ruText).toContain("<b>Почему подозрительно:</b> сделки, в которых счета покупателя и продавца");
  });

  it("closes a case under review with its outcome, and then refuses every further step", async () => {
    const stream = await StreamClient.open(`${server.url.replace("http", "ws")}/api/stream`, regulator);
    stream.socket.send(JSON.stringify({ op: "subscribe", id: 22, channel: "surveillance" }));
    await stream.next((m) => m.type === "snapshot" && m.channel === "surveillance");
    const closed = await server.call(regulator, "POST", "/api/regulator/surveillance/cases/CASE-1/close", {
      outcome: "referred",
      reason: "referred to the competition agency",
    });
    expect(closed.status).toBe(200);
    expect(closed.body.case).toMatchObject({ status: "closed", outcome: "referred" });
    for (const [path, body] of [
      ["close", { outcome: "warning", reason: "again" }],
      ["review", { reason: "again" }],
      ["notes", { note: "late" }],
      ["alerts", { alert: first, reason: "again" }],
    ] as const) {
      const refused = await server.call(regulator, "POST", `/api/regulator/surveillance/cases/CASE-1/${path}`, body);
      expect([path, refused.status, refused.body.error.code]).toEqual([path, 409, "CASE_TRANSITION_INVALID"]);
    }
    const missing = await server.call(regulator, "GET", "/api/regulator/surveillance/cases/CASE-9");
    expect([missing.status, missing.body.error.code]).toEqual([404, "CASE_NOT_FOUND"]);
    const list = await server.call(regulator, "GET", "/api/regulator/surveillance/cases?status=closed");
    expect(list.body.cases.map((c: Json) => c.id)).toEqual(["CASE-1"]);
    const alert = (await server.call(regulator, "GET", `/api/regulator/surveillance/alerts/${first}`)).body.alert;
    expect(alert.caseId).toBeNull();
    // Both alerts the case held are free again, and the console watching the channel hears it with the close, then
    // the case closed.
    const freed = await stream.next((m) => m.type === "update" && m.channel === "surveillance");
    expect(freed.changes.map((c: Json) => (c.change === "case" ? c : [c.change, c.alert.id, c.alert.caseId]))).toEqual([
      ["updated", first, null],
      ["updated", second, null],
      { change: "case", caseId: "CASE-1", status: "closed", seq: closed.body.case.steps.at(-1).seq },
    ]);
    stream.socket.close();

    const audit = await server.call(regulator, "GET", "/api/regulator/audit?kinds=surveillance&outcome=accepted");
    expect(
      audit.body.entries
        .filter((e: Json) => e.commandType.startsWith("case."))
        .map((e: Json) => [e.actor, e.commandType]),
    ).toEqual([
      ["regulator", "case.close"],
      ["regulator", "case.review"],
      ["regulator", "case.note"],
      ["regulator", "case.join"],
      ["regulator", "case.open"],
    ]);
  });

  it("rebuilds cases from the journal after a restart", async () => {
    const before = (await server.call(regulator, "GET", "/api/regulator/surveillance/cases/CASE-1")).body;
    await server.app.close();
    await server.exchange.close();
    await server.open();
    regulator = await server.login("regulator");
    const after = (await server.call(regulator, "GET", "/api/regulator/surveillance/cases/CASE-1")).body;
    expect(after).toEqual(before);
  });
});

describe("a fault in surveillance", () => {
  it("never stops trading: surveillance stops, its routes say so, and a restart rebuilds it", async () => {
    const live = server.exchange.surveillance;
    live.apply = () => {
      throw new Error("invariant: a detector's bug");
    };
    const seller = await server.login("kazgpz-trader");
    const offer = await server.call(
      seller,
      "POST",
      "/api/orders",
      order("KAZGPZ-1", "f-offer", "sell", 13_300_000, 1000),
    );
    expect(offer.status).toBe(201);
    expect(server.exchange.surveillanceFailure).toEqual({ seq: offer.body.seq, reason: "invariant: a detector's bug" });
    const refused = await server.call(regulator, "GET", "/api/regulator/surveillance/alerts");
    expect([refused.status, refused.body.error.code]).toEqual([503, "SURVEILLANCE_UNAVAILABLE"]);
    const still = await server.call(
      seller,
      "POST",
      "/api/orders",
      order("KAZGPZ-1", "f-offer-2", "sell", 13_300_000, 1000),
    );
    expect(still.status).toBe(201);

    await server.app.close();
    await server.exchange.close();
    await server.open();
    regulator = await server.login("regulator");
    expect(server.exchange.surveillanceFailure).toBeNull();
    const rebuilt = await server.call(regulator, "GET", "/api/regulator/surveillance/alerts?rule=wash-trade");
    expect(rebuilt.body.total).toBe(2);
  });
});
