/**
 * The delivery read models over a real engine: stations per member, shipments per obligation and account, the
 * diversion list, and the regulator's totals per region and month worked by hand.
 */

import { describe, expect, it } from "vitest";
import { EngineRun, KAZGPZ_TERMS } from "../../test/support/engine-run.ts";
import type { Command } from "../engine/commands.ts";
import { DeliveryViews, SHIPMENTS_KEPT_MAX } from "./deliveries.ts";
import { Projections } from "./index.ts";
import { InstrumentRegistry } from "./instruments.ts";

const HOUR_MS = 3_600_000;

function listing(instrument: string, region: string | null, deliveryPeriod = "2026-01"): Command {
  return {
    type: "instrument.list",
    instrument,
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    clearing: KAZGPZ_TERMS,
    ...(region === null ? {} : { description: { product: "propane-butane", basis: "KAZGPZ", region, deliveryPeriod } }),
  } as Command;
}

/** Two instruments (Mangystau in January, Atyrau in February), a producer, a buyer with a Mangystau station. */
function market() {
  const projections = new Projections();
  const run = new EngineRun((outcome) => projections.apply(outcome));
  run.ok(listing("PB-MNG", "MANGYSTAU"), listing("PB-ATR", "ATYRAU", "2026-02"), listing("PB-BARE", null));
  for (const id of ["PB-MNG", "PB-ATR", "PB-BARE"]) run.phase(id, "continuous");
  run.ok(
    { type: "member.add", member: "P", name: "Producer", roles: ["producer"] },
    { type: "member.add", member: "B", name: "Buyer", roles: ["buyer"], buyerCategory: "wholesaler" },
    { type: "account.open", account: "P1", member: "P" },
    { type: "account.open", account: "B1", member: "B" },
    { type: "gas.declare", account: "P1", basis: "KAZGPZ", quantity: 100_000 },
    { type: "money.deposit", account: "B1", amount: 100_000_000_000, reference: "D" },
    {
      type: "station.register",
      station: "B-AKTAU",
      member: "B",
      name: "Aktau 1",
      region: "MANGYSTAU",
      document: "Lease 7",
    },
  );
  run.timeMs += HOUR_MS;
  const trade = (instrument: string, n: number, kg: number) => {
    run.order(instrument, `s${n}`, "P1", "sell", 10_000_000, kg);
    run.order(instrument, `b${n}`, "B1", "buy", 10_000_000, kg);
  };
  trade("PB-MNG", 1, 5000);
  trade("PB-ATR", 2, 2000);
  trade("PB-BARE", 3, 1000);
  run.timeMs += HOUR_MS;
  return { projections, run };
}

const dispatch = (obligation: string, waybill: string, quantity: number): Command => ({
  type: "shipment.dispatch",
  account: "P1",
  obligation,
  vehicle: "777 KZ 12",
  waybill,
  quantity,
  date: "2026-01-05",
});
const arrive = (shipment: string, station: string): Command => ({
  type: "shipment.arrive",
  account: "B1",
  shipment,
  station,
});

const MNG = "OB-PB-MNG-S1-1";
const ATR = "OB-PB-ATR-S1-1";
const BARE = "OB-PB-BARE-S1-1";

describe("delivery views", () => {
  it("keep stations per member, shipments per obligation and account, and the region totals", () => {
    const { projections, run } = market();
    const views = projections.deliveries;
    run.ok(dispatch(MNG, "W1", 2000), dispatch(MNG, "W2", 3000), dispatch(ATR, "W3", 2000), dispatch(BARE, "W4", 1000));
    run.ok(arrive(`${MNG}/S1`, "B-AKTAU"));
    // Awaiting the buyer's confirmation: its purchases not arrived, newest first; the seller receives none.
    const awaiting = (account: string, limit: number) =>
      views.shipmentsOfAccount(account, limit, { awaitingArrival: true }).map((s) => s.shipment);
    expect(awaiting("B1", 10)).toEqual([`${BARE}/S1`, `${ATR}/S1`, `${MNG}/S2`]);
    expect(awaiting("B1", 2)).toEqual([`${BARE}/S1`, `${ATR}/S1`]);
    expect(awaiting("P1", 10)).toEqual([]);
    // A station in Atyrau registered after the trades: the Mangystau gas that arrives there is diverted on both counts.
    run.ok({
      type: "station.register",
      station: "B-ATYRAU",
      member: "B",
      name: "Atyrau 1",
      region: "ATYRAU",
      document: "Lease 8",
    });
    run.timeMs += HOUR_MS;
    run.ok(arrive(`${MNG}/S2`, "B-ATYRAU"), arrive(`${ATR}/S1`, "B-ATYRAU"), arrive(`${BARE}/S1`, "B-AKTAU"));

    expect(views.stationsOf("B").map((s) => [s.station, s.region, s.document])).toEqual([
      ["B-AKTAU", "MANGYSTAU", "Lease 7"],
      ["B-ATYRAU", "ATYRAU", "Lease 8"],
    ]);
    expect(views.stationsOf("P")).toEqual([]);
    expect(
      views.shipmentsOf(MNG).map((s) => [s.shipment, s.quantityKg, s.station, s.stationRegion, s.diversion]),
    ).toEqual([
      [`${MNG}/S1`, 2000, "B-AKTAU", "MANGYSTAU", []],
      [`${MNG}/S2`, 3000, "B-ATYRAU", "ATYRAU", ["outside-region", "registered-after-trade"]],
    ]);
    expect(views.shipmentsOfAccount("P1", 2).map((s) => s.shipment)).toEqual([`${BARE}/S1`, `${ATR}/S1`]);
    expect(views.shipmentsOfAccount("B1", 10)).toHaveLength(4);
    expect(views.shipmentsOfAccount("X", 10)).toEqual([]);
    expect(views.shipmentsOfAccount("B1", 10, { awaitingArrival: true })).toEqual([]); // all arrived now

    expect(views.regions()).toEqual([
      {
        region: "MANGYSTAU",
        month: "2026-01",
        boughtKg: 5000n,
        dispatchedKg: 5000n,
        arrivedInRegionKg: 2000n, // S1 only; S2 went to Atyrau
        divertedKg: 3000n,
        obligations: 1,
        shipments: 2,
        diversions: 1,
      },
      {
        // Trades of an instrument without a description count under `unknown` and the trade's month (UTC+5).
        region: "unknown",
        month: "2026-01",
        boughtKg: 1000n,
        dispatchedKg: 1000n,
        arrivedInRegionKg: 1000n,
        divertedKg: 0n,
        obligations: 1,
        shipments: 1,
        diversions: 0,
      },
      {
        region: "ATYRAU",
        month: "2026-02",
        boughtKg: 2000n,
        dispatchedKg: 2000n,
        arrivedInRegionKg: 2000n, // in its region, but at a station registered after the trade: diverted as well
        divertedKg: 2000n,
        obligations: 1,
        shipments: 1,
        diversions: 1,
      },
    ]);
    expect(views.regions({ month: "2026-02" }).map((r) => r.region)).toEqual(["ATYRAU"]);

    const diversions = views.diversions({ limit: 10 });
    expect(diversions.map((d) => [d.shipment, d.region, d.month, d.stationRegion, d.quantityKg, d.reasons])).toEqual([
      [`${ATR}/S1`, "ATYRAU", "2026-02", "ATYRAU", 2000, ["registered-after-trade"]],
      [`${MNG}/S2`, "MANGYSTAU", "2026-01", "ATYRAU", 3000, ["outside-region", "registered-after-trade"]],
    ]);
    // A region filter finds diversions from the region and into it.
    expect(views.diversions({ region: "MANGYSTAU", limit: 10 }).map((d) => d.shipment)).toEqual([`${MNG}/S2`]);
    expect(views.diversions({ region: "ATYRAU", limit: 10 })).toHaveLength(2);
    expect(views.diversions({ month: "2026-01", limit: 10 })).toHaveLength(1);
    expect(views.diversions({ limit: 1 })).toHaveLength(1);

    // The audit trail files shipments under their instrument and account, as settlement.
    const audited = projections.audit
      .query({ instrument: "PB-ATR" })
      .filter((e) => e.commandType.startsWith("shipment"));
    expect(audited.map((e) => [e.commandType, e.account, e.kind, e.summary])).toEqual([
      ["shipment.arrive", "B1", "settlement", `arrival of shipment ${ATR}/S1 at station B-ATYRAU`],
      [
        "shipment.dispatch",
        "P1",
        "settlement",
        `dispatch 2000 kg on obligation ${ATR}: vehicle 777 KZ 12, waybill W3, 2026-01-05`,
      ],
    ]);
  });

  it("rebuilt from the journal's outcomes, the views are the same", () => {
    const { projections, run } = market();
    run.ok(dispatch(MNG, "W1", 5000), arrive(`${MNG}/S1`, "B-AKTAU"));
    const again = new Projections();
    for (const outcome of run.outcomes) again.apply(JSON.parse(JSON.stringify(outcome)));
    expect(again.deliveries.regions()).toEqual(projections.deliveries.regions());
    expect(again.deliveries.shipmentsOf(MNG)).toEqual(projections.deliveries.shipmentsOf(MNG));
  });

  it("keeps the newest shipments up to its limit; the region totals keep counting", () => {
    const views = new DeliveryViews({ registry: new InstrumentRegistry(), shipmentsKeptMax: 2 });
    // The market's outcomes into this view (an empty registry: everything counts under `unknown`), then three
    // shipments.
    const { run: setup } = market();
    for (const outcome of setup.outcomes) views.apply(outcome);
    for (const outcome of [
      setup.do(dispatch(MNG, "W1", 1000)),
      setup.do(dispatch(MNG, "W2", 1000)),
      setup.do(dispatch(MNG, "W3", 1000)),
    ]) {
      expect(outcome.events.map((e) => e.type)).toEqual(["shipment.dispatched"]);
      views.apply(outcome);
    }
    expect(views.shipmentsOf(MNG).map((s) => s.shipment)).toEqual([`${MNG}/S2`, `${MNG}/S3`]);
    expect(views.shipment(`${MNG}/S1`)).toBeUndefined();
    expect(views.shipmentsOfAccount("P1", 10)).toHaveLength(2);
    expect(views.regions({ region: "unknown", month: "2026-01" })[0]?.dispatchedKg).toBe(3000n);
    expect(SHIPMENTS_KEPT_MAX).toBe(1_000_000);
  });
});
