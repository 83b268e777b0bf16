/**
 * Diversions feeding market surveillance, over real HTTP: gas bought for Mangystau that arrives at a buyer's depot in
 * Atyrau registered after the trade raises a `diversion` alert (severity high) on the regulator's alerts API as soon as
 * the arrival is acknowledged, naming the buyer, the instrument, the stations and their regions against the
 * instrument's, the kinds of diversion, the kilograms and the shipments; a second diverted shipment of the same
 * obligation makes a newer version of the same alert. The alert filters like the others, its evidence pack holds the
 * shipment records, a case opens on it, and a restart rebuilds it. An arrival in the region raises none, and `sauda
 * surveil --journal` over the same journal never prints it (not one of the contract's rules).
 */

import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchFromKazgpz, tradeWithKazgpz } from "../support/kazgpz-delivery.ts";
import { INSTRUMENT, type Session, TestServer } from "../support/server.ts";

const BIN = resolve(import.meta.dirname, "../../bin/sauda.js");
const ALERTS = "/api/regulator/surveillance/alerts";

let server: TestServer;
let operator: Session;
let regulator: Session;
let seller: Session;
let aktau: Session;
let atyrau: Session;

beforeAll(async () => {
  server = await TestServer.start();
  operator = await server.login("operator");
  regulator = await server.login("regulator");
  seller = await server.login("kazgpz-trader");
  aktau = await server.login("aktau-trader");
  atyrau = await server.login("atyrau-trader");
});
afterAll(async () => {
  await server.close();
});

/** A trade of `kg` between KAZGPZ-1 and the buyer's account; returns the obligation's id and the trade's time. */
async function trade(buyer: Session, account: string, id: string, kg: number): Promise<[string, number]> {
  return [await tradeWithKazgpz(server, seller, buyer, account, id, kg), server.nowMs];
}

async function station(id: string, member: string, region: string): Promise<void> {
  const registered = await server.call(operator, "POST", "/api/admin/stations", {
    station: id,
    member,
    name: `${id} depot`,
    region,
    document: `Lease ${id}`,
  });
  expect(registered.status).toBe(201);
}

async function dispatch(obligation: string, waybill: string, quantityKg: number): Promise<void> {
  expect((await dispatchFromKazgpz(server, seller, obligation, waybill, quantityKg)).status).toBe(201);
}

async function arrive(buyer: Session, account: string, shipment: string, at: string) {
  const arrived = await server.call(buyer, "POST", `/api/accounts/${account}/arrivals`, { shipment, station: at });
  expect(arrived.status).toBe(200);
  return arrived.body;
}

async function diversionAlerts(query = "") {
  const answer = await server.call(regulator, "GET", `${ALERTS}?rule=diversion${query}`);
  expect(answer.status).toBe(200);
  return answer.body.alerts;
}

let alertId = "";

describe("a diversion raises a surveillance alert", () => {
  it("an arrival in the region at a station registered before the trade raises none", async () => {
    await station("AKTAU-ST-01", "AKTAU", "MANGYSTAU");
    server.nowMs += 60_000;
    const [obligation] = await trade(aktau, "AKTAU-1", "d1", 5000);
    await dispatch(obligation, "TTN-1", 5000);
    server.nowMs += 3_600_000;
    const body = await arrive(aktau, "AKTAU-1", `${obligation}/S1`, "AKTAU-ST-01");
    expect(body.shipment.diversion).toEqual([]);
    expect(await diversionAlerts()).toEqual([]);
    expect((await server.call(regulator, "GET", ALERTS)).body.total).toBe(0);
  });

  it("raises a `diversion` alert right after the diverted arrival, and a newer version at the next one", async () => {
    server.nowMs += 60_000;
    const [obligation, tradeMs] = await trade(atyrau, "ATYRAU-1", "d2", 3000);
    server.nowMs += 60_000;
    await station("ATYRAU-DEPOT-9", "ATYRAU", "ATYRAU");
    await station("ATYRAU-MNG-2", "ATYRAU", "MANGYSTAU");
    await dispatch(obligation, "TTN-20", 1000);
    await dispatch(obligation, "TTN-21", 2000);
    server.nowMs += 3_600_000;

    const firstMs = server.nowMs;
    await arrive(atyrau, "ATYRAU-1", `${obligation}/S1`, "ATYRAU-DEPOT-9");
    const seq1 = server.exchange.projections.lastSeq;
    const first = await diversionAlerts();
    expect(first).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        key: `diversion|${obligation}|ATYRAU`,
        rule: "diversion",
        severity: "high",
        session: null,
        sessions: [],
        instrument: INSTRUMENT,
        side: null,
        month: null,
        accounts: ["ATYRAU-1"],
        members: ["ATYRAU"],
        groups: ["ATYRAU"],
        fromMs: tradeMs,
        toMs: firstMs,
        orders: [],
        trades: [],
        figures: {
          divertedKg: 1000,
          outsideRegionKg: 1000,
          registeredAfterTradeKg: 1000,
          obligationKg: 3000,
          shipments: 1,
        },
        raisedSeq: seq1,
        raisedMs: firstMs,
        updatedSeq: seq1,
        updatedMs: firstMs,
        version: 1,
        caseId: null,
        diversion: {
          obligation,
          seller: "KAZGPZ-1",
          region: "MANGYSTAU",
          tradeTimeMs: tradeMs,
          stations: ["ATYRAU-DEPOT-9"],
          stationRegions: ["ATYRAU"],
          reasons: ["outside-region", "registered-after-trade"],
          shipments: [
            {
              shipment: `${obligation}/S1`,
              station: "ATYRAU-DEPOT-9",
              stationRegion: "ATYRAU",
              reasons: ["outside-region", "registered-after-trade"],
              quantityKg: 1000,
              arrivedMs: firstMs,
            },
          ],
        },
      },
    ]);
    alertId = first[0].id;

    // The second shipment arrives in the right region, but at a station registered after the trade.
    server.nowMs += 60_000;
    const secondMs = server.nowMs;
    const body = await arrive(atyrau, "ATYRAU-1", `${obligation}/S2`, "ATYRAU-MNG-2");
    expect(body.progress.delivered).toBe(true);
    const seq2 = server.exchange.projections.lastSeq;
    const [second] = await diversionAlerts();
    expect(second).toMatchObject({
      id: alertId,
      fromMs: tradeMs,
      toMs: secondMs,
      figures: {
        divertedKg: 3000,
        outsideRegionKg: 1000,
        registeredAfterTradeKg: 3000,
        obligationKg: 3000,
        shipments: 2,
      },
      raisedSeq: seq1,
      updatedSeq: seq2,
      updatedMs: secondMs,
      version: 2,
    });
    expect(second.diversion).toMatchObject({
      stations: ["ATYRAU-DEPOT-9", "ATYRAU-MNG-2"],
      stationRegions: ["ATYRAU", "MANGYSTAU"],
      reasons: ["outside-region", "registered-after-trade"],
    });
    expect(
      second.diversion.shipments.map((s: { shipment: string; reasons: string[] }) => [s.shipment, s.reasons]),
    ).toEqual([
      [`${obligation}/S1`, ["outside-region", "registered-after-trade"]],
      [`${obligation}/S2`, ["registered-after-trade"]],
    ]);
  });

  it("filters like the other alerts", async () => {
    for (const query of ["&severity=high", `&instrument=${INSTRUMENT}`, "&group=ATYRAU"]) {
      expect(
        (await diversionAlerts(query)).map((a: { id: string }) => a.id),
        query,
      ).toEqual([alertId]);
    }
    for (const query of ["&severity=medium", "&instrument=OTHER", "&group=AKTAU", "&session=X:1"]) {
      expect(await diversionAlerts(query), query).toEqual([]);
    }
    const wash = await server.call(regulator, "GET", `${ALERTS}?rule=wash-trade`);
    expect(wash.body.total).toBe(0);
    const bad = await server.call(regulator, "GET", `${ALERTS}?rule=diverted`);
    expect([bad.status, bad.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
  });

  it("has the shipment records as its evidence", async () => {
    const answer = await server.call(regulator, "GET", `${ALERTS}/${alertId}`);
    expect(answer.status).toBe(200);
    const { evidence } = answer.body;
    expect(evidence.orders).toEqual([]);
    expect(evidence.trades).toEqual([]);
    const obligation = answer.body.alert.diversion.obligation;
    expect(
      evidence.shipments.map((s: Record<string, unknown>) => [
        s.shipment,
        s.step,
        s.waybill,
        s.quantityKg,
        s.station,
        s.stationRegion,
        s.reasons,
      ]),
    ).toEqual([
      [`${obligation}/S1`, "dispatched", "TTN-20", 1000, null, null, []],
      [`${obligation}/S2`, "dispatched", "TTN-21", 2000, null, null, []],
      [
        `${obligation}/S1`,
        "arrived",
        "TTN-20",
        1000,
        "ATYRAU-DEPOT-9",
        "ATYRAU",
        ["outside-region", "registered-after-trade"],
      ],
      [`${obligation}/S2`, "arrived", "TTN-21", 2000, "ATYRAU-MNG-2", "MANGYSTAU", ["registered-after-trade"]],
    ]);
    const html = await server.call(regulator, "GET", `${ALERTS}/${alertId}/evidence?format=html`);
    expect(html.status).toBe(200);
    expect(String(html.body)).toContain("ATYRAU-DEPOT-9");
  });

  it("opens a case on it, with its report", async () => {
    const opened = await server.call(regulator, "POST", "/api/regulator/surveillance/cases", {
      alert: alertId,
      reason: "Mangystau gas delivered to Atyrau",
    });
    expect(opened.status).toBe(201);
    expect(opened.body.case).toMatchObject({ status: "open", alerts: [alertId] });
    const caseId = opened.body.case.id as string;
    const [alert] = await diversionAlerts();
    expect(alert.caseId).toBe(caseId);
    const report = await server.call(regulator, "GET", `/api/regulator/surveillance/cases/${caseId}/report`);
    expect(report.status).toBe(200);
    expect(report.body.what).toHaveLength(1);
    expect(report.body.what[0].whySuspicious).toMatch(/^gas bought for a region arrived at a station outside/);
    expect(report.body.what[0].evidence.shipments).toHaveLength(4);
  });

  it("is rebuilt the same after a restart, and `sauda surveil --journal` never prints it", async () => {
    const before = await diversionAlerts();
    await server.app.close();
    await server.exchange.close();
    const cli = spawnSync(process.execPath, [BIN, "surveil", "--journal", server.dir], { encoding: "utf8" });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toBe("");
    await server.open();
    regulator = await server.login("regulator");
    expect(await diversionAlerts()).toEqual(before);
  });
});
