/**
 * Delivery over real HTTP: a trade, the seller's two partial dispatches, the buyer's arrivals at its registered
 * station, and the obligation delivered (and settled) when the arrivals cover it; then a delivery diverted to a
 * station in another region, registered after the trade, as the regulator sees it.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchFromKazgpz, tradeWithKazgpz } from "../support/kazgpz-delivery.ts";
import { INSTRUMENT, type Session, TestServer } from "../support/server.ts";

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

/** A trade of `kg` between KAZGPZ-1 and the buyer's account; returns the obligation's id. */
const trade = (buyer: Session, account: string, id: string, kg: number) =>
  tradeWithKazgpz(server, seller, buyer, account, id, kg);

const dispatch = (obligation: string, waybill: string, quantityKg: number) =>
  dispatchFromKazgpz(server, seller, obligation, waybill, quantityKg);

describe("a whole delivery", () => {
  it("trade → two partial dispatches → arrivals → the obligation delivered and settled", async () => {
    const registered = await server.call(operator, "POST", "/api/admin/stations", {
      station: "AKTAU-ST-01",
      member: "AKTAU",
      name: "Aktau, 14th microdistrict",
      region: "MANGYSTAU",
      document: "Land registry extract 12-345",
    });
    expect(registered.status).toBe(201);
    expect(registered.body.station).toMatchObject({ station: "AKTAU-ST-01", member: "AKTAU", region: "MANGYSTAU" });
    server.nowMs += 60_000;

    const obligation = await trade(aktau, "AKTAU-1", "d1", 5000);
    expect(obligation).toBe(`OB-${INSTRUMENT}-S1-1`);
    server.nowMs += 60_000;

    const first = await dispatch(obligation, "TTN-1", 2000);
    expect(first.status).toBe(201);
    expect(first.body.shipment).toMatchObject({
      shipment: `${obligation}/S1`,
      obligation,
      region: "MANGYSTAU",
      seller: "KAZGPZ-1",
      buyer: "AKTAU-1",
      quantityKg: 2000,
      date: "2026-01-05",
      station: null,
      arrivedMs: null,
    });
    expect(first.body.progress).toEqual({
      obligation,
      quantityKg: 5000,
      dispatchedKg: 2000,
      arrivedKg: 0,
      delivered: false,
    });
    const second = await dispatch(obligation, "TTN-2", 3000);
    expect(second.body.progress.dispatchedKg).toBe(5000);
    // Nothing is left to dispatch: one more kilogram is refused.
    const over = await dispatch(obligation, "TTN-3", 1);
    expect([over.status, over.body.error.code]).toEqual([409, "SHIPMENT_OVER_OBLIGATION"]);

    const stations = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/stations");
    expect(stations.body.stations.map((s: { station: string }) => s.station)).toEqual(["AKTAU-ST-01"]);

    server.nowMs += 3_600_000;
    const arrived1 = await server.call(aktau, "POST", "/api/accounts/AKTAU-1/arrivals", {
      shipment: `${obligation}/S1`,
      station: "AKTAU-ST-01",
    });
    expect(arrived1.status).toBe(200);
    expect(arrived1.body.progress).toEqual({
      obligation,
      quantityKg: 5000,
      dispatchedKg: 5000,
      arrivedKg: 2000,
      delivered: false,
    });
    expect(arrived1.body.shipment).toMatchObject({ station: "AKTAU-ST-01", arrivedMs: server.nowMs, diversion: [] });

    const paid = await server.call(operator, "POST", `/api/admin/obligations/${obligation}/confirm-payment`, {});
    expect(paid.body.obligation.paid).toBe(true);

    const arrived2 = await server.call(aktau, "POST", "/api/accounts/AKTAU-1/arrivals", {
      shipment: `${obligation}/S2`,
      station: "AKTAU-ST-01",
    });
    expect(arrived2.body.progress).toEqual({
      obligation,
      quantityKg: 5000,
      dispatchedKg: 5000,
      arrivedKg: 5000,
      delivered: true,
    });
    expect(arrived2.body.obligation).toMatchObject({ id: obligation, delivered: true, status: "settled" });

    const balances = await server.call(aktau, "GET", "/api/accounts/AKTAU-1/balances");
    const gas = balances.body.balances.find((b: { asset: string }) => b.asset === "GAS:KAZGPZ");
    expect(gas).toMatchObject({ free: "5000" });

    const listed = await server.call(seller, "GET", `/api/accounts/KAZGPZ-1/shipments?obligation=${obligation}`);
    expect(listed.body.shipments.map((s: { shipment: string; station: string }) => [s.shipment, s.station])).toEqual([
      [`${obligation}/S1`, "AKTAU-ST-01"],
      [`${obligation}/S2`, "AKTAU-ST-01"],
    ]);

    const view = await server.call(regulator, "GET", "/api/regulator/deliveries?month=2026-01&region=MANGYSTAU");
    expect(view.body.regions).toEqual([
      {
        region: "MANGYSTAU",
        month: "2026-01",
        boughtKg: "5000",
        dispatchedKg: "5000",
        arrivedInRegionKg: "5000",
        divertedKg: "0",
        obligations: 1,
        shipments: 2,
        diversions: 0,
      },
    ]);
  });

  it("refuses a dispatch by another member, by the buyer, and on a settled obligation, changing nothing", async () => {
    const obligation = `OB-${INSTRUMENT}-S1-1`;
    const seqBefore = server.exchange.projections.lastSeq;
    const foreign = await server.call(atyrau, "POST", "/api/accounts/KAZGPZ-1/shipments", {
      obligation,
      vehicle: "X",
      waybill: "X-1",
      quantityKg: 1000,
      date: "2026-01-05",
    });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, "FORBIDDEN_ACCOUNT"]);
    expect(server.exchange.projections.lastSeq).toBe(seqBefore);
    const byBuyer = await server.call(aktau, "POST", "/api/accounts/AKTAU-1/shipments", {
      obligation,
      vehicle: "X",
      waybill: "X-1",
      quantityKg: 1000,
      date: "2026-01-05",
    });
    expect([byBuyer.status, byBuyer.body.error.code]).toEqual([403, "SHIPMENT_NOT_PARTY"]);
    const settled = await dispatch(obligation, "TTN-9", 1000);
    expect([settled.status, settled.body.error.code]).toEqual([409, "OBLIGATION_NOT_OPEN"]);
    const notRegistered = await server.call(operator, "POST", "/api/admin/stations", {
      station: "KAZGPZ-ST",
      member: "KAZGPZ",
      name: "Plant depot",
      region: "MANGYSTAU",
      document: "Permit 1",
    });
    expect([notRegistered.status, notRegistered.body.error.code]).toEqual([409, "STATION_MEMBER_NOT_BUYER"]);
  });
});

describe("a diversion", () => {
  it("gas bought for Mangystau arriving in Atyrau at a station registered after the trade is the regulator's to see", async () => {
    server.nowMs += 60_000;
    const obligation = await trade(atyrau, "ATYRAU-1", "d2", 3000);
    server.nowMs += 60_000;
    const registered = await server.call(operator, "POST", "/api/admin/stations", {
      station: "ATYRAU-DEPOT-9",
      member: "ATYRAU",
      name: "Atyrau depot 9",
      region: "ATYRAU",
      document: "Lease 2026/9",
    });
    expect(registered.status).toBe(201);
    expect((await dispatch(obligation, "TTN-20", 3000)).status).toBe(201);
    server.nowMs += 3_600_000;

    // Another buyer's station is refused; its own, in the wrong region, is taken and reported.
    const wrongStation = await server.call(atyrau, "POST", "/api/accounts/ATYRAU-1/arrivals", {
      shipment: `${obligation}/S1`,
      station: "AKTAU-ST-01",
    });
    expect([wrongStation.status, wrongStation.body.error.code]).toEqual([409, "STATION_NOT_OWN"]);
    const arrived = await server.call(atyrau, "POST", "/api/accounts/ATYRAU-1/arrivals", {
      shipment: `${obligation}/S1`,
      station: "ATYRAU-DEPOT-9",
    });
    expect(arrived.status).toBe(200);
    expect(arrived.body.shipment.diversion).toEqual(["outside-region", "registered-after-trade"]);
    expect(arrived.body.progress.delivered).toBe(true);

    const diversions = await server.call(regulator, "GET", "/api/regulator/diversions?region=MANGYSTAU");
    expect(diversions.status).toBe(200);
    expect(diversions.body.count).toBe(1);
    expect(diversions.body.diversions[0]).toEqual({
      seq: expect.any(Number),
      timeMs: server.nowMs,
      shipment: `${obligation}/S1`,
      obligation,
      instrument: INSTRUMENT,
      buyer: "ATYRAU-1",
      buyerMember: "ATYRAU",
      seller: "KAZGPZ-1",
      station: "ATYRAU-DEPOT-9",
      stationRegion: "ATYRAU",
      region: "MANGYSTAU",
      month: "2026-01",
      quantityKg: 3000,
      reasons: ["outside-region", "registered-after-trade"],
    });
    const view = await server.call(regulator, "GET", "/api/regulator/deliveries?month=2026-01");
    expect(view.body.regions).toEqual([
      {
        region: "MANGYSTAU",
        month: "2026-01",
        boughtKg: "8000",
        dispatchedKg: "8000",
        arrivedInRegionKg: "5000",
        divertedKg: "3000",
        obligations: 2,
        shipments: 3,
        diversions: 1,
      },
    ]);
    // The operator reads it too; a member does not.
    expect((await server.call(operator, "GET", "/api/regulator/diversions")).body.count).toBe(1);
    expect((await server.call(atyrau, "GET", "/api/regulator/diversions")).status).toBe(403);
  });
});

describe("request bounds", () => {
  it("refuses fields beyond the engine's limits before the journal, and accepts them at the limits", async () => {
    const obligation = await trade(aktau, "AKTAU-1", "d3", 1000);
    const seqBefore = server.exchange.projections.lastSeq;
    const body = { obligation, vehicle: "V".repeat(33), waybill: "W-33", quantityKg: 1000, date: "2026-01-05" };
    const long = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/shipments", body);
    expect([long.status, long.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    const control = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/shipments", {
      ...body,
      vehicle: "V\n1",
    });
    expect([control.status, control.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    const badDate = await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/shipments", {
      ...body,
      vehicle: "V",
      date: "2026-02-30",
    });
    expect([badDate.status, badDate.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    expect(server.exchange.projections.lastSeq).toBe(seqBefore);
    for (const path of ["/api/accounts/KAZGPZ-1/shipments?limit=1001", "/api/regulator/diversions?limit=1001"]) {
      const session = path.includes("regulator") ? regulator : seller;
      const over = await server.call(session, "GET", path);
      expect([over.status, over.body.error.code], path).toEqual([400, "REQUEST_INVALID"]);
      expect((await server.call(session, "GET", path.replace("1001", "1000"))).status, path).toBe(200);
    }

    // A program with an API key records a dispatch at the limits: a 32-character plate in Cyrillic, a 32-character
    // waybill.
    const key = await server.apiKey("kazgpz-trader", ["read", "trade"]);
    const shipped = await key("POST", "/api/accounts/KAZGPZ-1/shipments", {
      ...body,
      vehicle: "А".repeat(32),
      waybill: "W".repeat(32),
    });
    expect(shipped.status).toBe(201);
    expect(shipped.body.shipment).toMatchObject({ vehicle: "А".repeat(32), waybill: "W".repeat(32), quantityKg: 1000 });
  });
});

describe("the account's shipments, a page at a time", () => {
  it("lists the newest `limit` first; awaitingArrival keeps what the buyer still has to confirm, however old", async () => {
    type Listed = { shipment: string; buyer: string; arrivedMs: number | null };
    const list = async (session: Session, path: string) => {
      const answer = await server.call(session, "GET", path);
      expect(answer.status, path).toBe(200);
      expect(answer.body.count, path).toBe(answer.body.shipments.length);
      return answer.body.shipments as Listed[];
    };
    // Three shipments of a new trade, newer than the one still on its way from "request bounds".
    server.nowMs += 60_000;
    const obligation = await trade(aktau, "AKTAU-1", "d4", 3000);
    for (const waybill of ["TTN-41", "TTN-42", "TTN-43"])
      expect((await dispatch(obligation, waybill, 1000)).status).toBe(201);
    const arrived = await server.call(aktau, "POST", "/api/accounts/AKTAU-1/arrivals", {
      shipment: `${obligation}/S2`,
      station: "AKTAU-ST-01",
    });
    expect(arrived.status).toBe(200);

    const all = await list(aktau, "/api/accounts/AKTAU-1/shipments?limit=1000");
    expect(all.map((s) => s.shipment).slice(0, 3)).toEqual([
      `${obligation}/S3`,
      `${obligation}/S2`,
      `${obligation}/S1`,
    ]);
    expect(all).toHaveLength(6); // d1's two, the API key's one, d4's three
    // A longer limit adds older ones after the same newest: the terminal's "show more".
    for (const limit of [1, 2, 4, 5]) {
      expect(await list(aktau, `/api/accounts/AKTAU-1/shipments?limit=${limit}`)).toEqual(all.slice(0, limit));
    }
    // Awaiting arrival: the account's purchases not yet arrived, newest first, down to the oldest one on its way.
    const awaiting = all.filter((s) => s.buyer === "AKTAU-1" && s.arrivedMs === null);
    expect(awaiting.map((s) => s.shipment)).toEqual([
      `${obligation}/S3`,
      `${obligation}/S1`,
      expect.stringMatching(/\/S1$/),
    ]);
    expect(all.indexOf(awaiting[2]!)).toBe(3); // older than a page of 2 or 3 of the list
    expect(await list(aktau, "/api/accounts/AKTAU-1/shipments?awaitingArrival=true&limit=1000")).toEqual(awaiting);
    expect(await list(aktau, "/api/accounts/AKTAU-1/shipments?awaitingArrival=true&limit=2")).toEqual(
      awaiting.slice(0, 2),
    );
    expect(await list(aktau, "/api/accounts/AKTAU-1/shipments?awaitingArrival=false&limit=1000")).toEqual(all);
    expect(await list(aktau, `/api/accounts/AKTAU-1/shipments?awaitingArrival=true&obligation=${obligation}`)).toEqual([
      awaiting[1],
      awaiting[0],
    ]); // one obligation's, in dispatch order
    // The seller receives none of them: nothing awaits its confirmation.
    expect(await list(seller, "/api/accounts/KAZGPZ-1/shipments?awaitingArrival=true&limit=1000")).toEqual([]);
    expect(
      (await server.call(aktau, "GET", "/api/accounts/AKTAU-1/shipments?awaitingArrival=maybe")).body.error.code,
    ).toBe("REQUEST_INVALID");
  });
});
