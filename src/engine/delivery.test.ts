/**
 * Delivery worked by hand (delivery.ts): a station registered by the operator, the seller's shipments against an
 * obligation, the buyer's arrivals, the obligation delivered when arrivals cover it, and the diversions. Then one
 * test per refusal, at its limit where it has one: every refusal goes through `refuse`, which checks that the state
 * afterwards is exactly the state a `time.tick` at the same moment leaves (a refused command changes nothing). A
 * restored engine carries on exactly as the original.
 */

import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../domain/errors.ts";
import type { ClearingTerms } from "./clearing.ts";
import type { Command } from "./commands.ts";
import {
  SHIPMENTS_PER_OBLIGATION_MAX,
  STATION_DOCUMENT_LENGTH_MAX,
  STATIONS_PER_MEMBER_MAX,
  VEHICLE_LENGTH_MAX,
  WAYBILL_LENGTH_MAX,
} from "./delivery.ts";
import { Engine } from "./engine.ts";
import type { EngineEvent, RejectedEvent } from "./events.ts";

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0); // Monday 5 January 2026, 11:00 in Almaty
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const I = "PB-KAZGPZ-MNG-2026-01";
const OB = `OB-${I}-S1-1`;
const PRICE = 12_300_000;

const TERMS: ClearingTerms = {
  basis: "KAZGPZ",
  collateralBps: 500,
  feeBps: 5,
  paymentWindowMs: DAY_MS,
  deliveryWindowMs: 5 * DAY_MS,
  buyerDefaultCollateralTo: "seller",
  sellerPenaltyBps: 1000,
};

type Sent = Command | { readonly type: string; readonly [field: string]: unknown };

const of = <T extends EngineEvent["type"]>(events: readonly EngineEvent[], type: T) =>
  events.filter((e): e is EngineEvent & { type: T } => e.type === type);

class Exchange {
  timeMs: number;

  constructor(readonly engine = new Engine()) {
    this.timeMs = Math.max(T0, engine.nowMs);
  }

  fork(): Exchange {
    const copy = new Exchange(Engine.restore(JSON.parse(JSON.stringify(this.engine.snapshot()))));
    expect(copy.engine.stateHash()).toBe(this.engine.stateHash());
    copy.timeMs = this.timeMs;
    return copy;
  }

  run(command: Sent): EngineEvent[] {
    const events = this.engine.apply({
      seq: this.engine.lastSeq + 1,
      timeMs: this.timeMs,
      command: command as Command,
    });
    this.engine.checkInvariants();
    return events;
  }

  ok(command: Sent): EngineEvent[] {
    const events = this.run(command);
    expect(of(events, "rejected")).toEqual([]);
    return events;
  }

  refuse(command: Sent, code: ErrorCode): RejectedEvent {
    const twin = Engine.restore(JSON.parse(JSON.stringify(this.engine.snapshot())));
    const events = this.run(command);
    const tick = twin.apply({ seq: this.engine.lastSeq, timeMs: this.timeMs, command: { type: "time.tick" } });
    const refusals = of(events, "rejected");
    expect(refusals).toHaveLength(1);
    expect(events.at(-1)).toBe(refusals[0]);
    expect(refusals[0]?.code).toBe(code);
    expect(events.slice(0, -1)).toEqual(tick);
    expect(this.engine.stateHash()).toBe(twin.stateHash());
    return refusals[0]!;
  }

  balance(ledgerAccount: string, asset: string): number {
    return Number(this.engine.clearingHouse.ledger.balance(ledgerAccount, asset));
  }

  obligation(id = OB) {
    return this.engine.clearingHouse.clearing.get(id);
  }
}

const station = (id: string, region = "MANGYSTAU", member = "AKTAU"): Sent => ({
  type: "station.register",
  station: id,
  member,
  name: `Station ${id}`,
  region,
  document: `Land registry extract ${id}`,
});

const dispatch = (waybill: string, quantity: number, extra: Record<string, unknown> = {}): Sent => ({
  type: "shipment.dispatch",
  account: "KAZGPZ-1",
  obligation: OB,
  vehicle: "123 ABC 12",
  waybill,
  quantity,
  date: "2026-01-06",
  ...extra,
});

const arrive = (shipment: string, at: string, account = "AKTAU-1"): Sent => ({
  type: "shipment.arrive",
  account,
  shipment,
  station: at,
});

/**
 * An exchange with instrument I delivering to MANGYSTAU (or `region`), producer KAZGPZ (500 t), buyers AKTAU and
 * ATYRAU, and station AKTAU-ST1 in Mangystau registered before the trade. Then a trade of `tonnes` t at PRICE:
 * obligation OB, KAZGPZ-1 seller, AKTAU-1 buyer.
 */
function traded(options: { region?: string | null; tonnes?: number; startMs?: number } = {}): Exchange {
  const x = new Exchange();
  if (options.startMs !== undefined) x.timeMs = options.startMs;
  const region = options.region === undefined ? "MANGYSTAU" : options.region;
  x.ok({
    type: "instrument.list",
    instrument: I,
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    clearing: TERMS,
    ...(region === null
      ? {}
      : { description: { product: "propane-butane", basis: "KAZGPZ", region, deliveryPeriod: "2026-01" } }),
  });
  x.ok({ type: "phase.set", instrument: I, phase: "continuous" });
  x.ok({ type: "member.add", member: "KAZGPZ", name: "Zhanaozen GPP", roles: ["producer"] });
  for (const member of ["AKTAU", "ATYRAU"]) {
    x.ok({ type: "member.add", member, name: member, roles: ["buyer"], buyerCategory: "filling-station-network" });
    x.ok({ type: "account.open", account: `${member}-1`, member });
  }
  x.ok({ type: "account.open", account: "KAZGPZ-1", member: "KAZGPZ" });
  x.ok({ type: "gas.declare", account: "KAZGPZ-1", basis: "KAZGPZ", quantity: 500_000 });
  x.ok({ type: "money.deposit", account: "AKTAU-1", amount: 10_000_000_000, reference: "BANK-1" });
  x.ok(station("AKTAU-ST1"));
  x.timeMs += HOUR_MS;
  const quantity = (options.tonnes ?? 3) * 1000;
  const order = (side: "buy" | "sell", account: string): Sent => ({
    type: "order.new",
    instrument: I,
    orderId: `${account}~1`,
    account,
    side,
    orderType: "limit",
    price: PRICE,
    quantity,
  });
  x.ok(order("sell", "KAZGPZ-1"));
  const events = x.ok(order("buy", "AKTAU-1"));
  expect(of(events, "obligation.created").map((e) => e.obligation.id)).toEqual([OB]);
  x.timeMs += HOUR_MS;
  return x;
}

describe("a delivery in two shipments", () => {
  it("sums partial arrivals and delivers the obligation when they cover it; paid first, it settles", () => {
    const x = traded();
    x.ok({ type: "obligation.confirmPayment", obligation: OB });
    const first = x.ok(dispatch("TTN-1", 1000));
    expect(of(first, "shipment.dispatched")).toEqual([
      {
        type: "shipment.dispatched",
        shipment: {
          id: `${OB}/S1`,
          obligation: OB,
          instrument: I,
          region: "MANGYSTAU",
          tradeTimeMs: T0 + HOUR_MS,
          seller: "KAZGPZ-1",
          buyer: "AKTAU-1",
          buyerMember: "AKTAU",
          vehicle: "123 ABC 12",
          waybill: "TTN-1",
          quantity: 1000,
          obligationKg: 3000,
          date: "2026-01-06",
          dispatchedAtMs: T0 + 2 * HOUR_MS,
          arrival: null,
        },
        dispatchedKg: 1000,
        arrivedKg: 0,
        obligationKg: 3000,
      },
    ]);
    const second = x.ok(dispatch("TTN-2", 2000, { vehicle: "Wagon 51234567" }));
    expect(of(second, "shipment.dispatched")[0]?.dispatchedKg).toBe(3000);
    expect(of(second, "shipment.dispatched")[0]?.shipment.id).toBe(`${OB}/S2`);

    x.timeMs += DAY_MS / 2;
    const arrived1 = x.ok(arrive(`${OB}/S1`, "AKTAU-ST1"));
    expect(arrived1.map((e) => e.type)).toEqual(["shipment.arrived"]);
    expect(of(arrived1, "shipment.arrived")[0]?.arrivedKg).toBe(1000);
    expect(x.obligation()?.delivered).toBe(false);
    // The gas stays with the seller's obligation until the whole delivery has arrived.
    expect(x.balance("KAZGPZ-1/obligations", "GAS:KAZGPZ")).toBe(3000);

    const arrived2 = x.ok(arrive(`${OB}/S2`, "AKTAU-ST1"));
    expect(arrived2.map((e) => e.type)).toEqual([
      "shipment.arrived",
      "ledger.posted",
      "obligation.delivered",
      "ledger.posted",
      "obligation.settled",
    ]);
    expect(of(arrived2, "shipment.arrived")[0]?.arrivedKg).toBe(3000);
    expect(of(arrived2, "shipment.arrived")[0]?.shipment.arrival).toEqual({
      station: "AKTAU-ST1",
      stationRegion: "MANGYSTAU",
      atMs: T0 + 2 * HOUR_MS + DAY_MS / 2,
      diversion: [],
    });
    expect(x.balance("AKTAU-1/free", "GAS:KAZGPZ")).toBe(3000);
    expect(x.balance("KAZGPZ-1/obligations", "GAS:KAZGPZ")).toBe(0);
    expect(x.obligation()?.status).toBe("settled");
  });

  it("delivers without settling when not yet paid; payment then settles", () => {
    const x = traded();
    x.ok(dispatch("TTN-1", 3000));
    const arrived = x.ok(arrive(`${OB}/S1`, "AKTAU-ST1"));
    expect(of(arrived, "obligation.delivered")).toHaveLength(1);
    expect(of(arrived, "obligation.settled")).toHaveLength(0);
    const paid = x.ok({ type: "obligation.confirmPayment", obligation: OB });
    expect(of(paid, "obligation.settled")).toHaveLength(1);
  });

  it("keeps the operator's confirmDelivery: later dispatches are refused, an arrival on the way is still recorded", () => {
    const x = traded();
    x.ok(dispatch("TTN-1", 1000));
    const confirmed = x.ok({ type: "obligation.confirmDelivery", obligation: OB });
    expect(of(confirmed, "obligation.delivered")).toHaveLength(1);
    x.refuse(dispatch("TTN-2", 1000), "OBLIGATION_ALREADY_CONFIRMED");
    const arrived = x.ok(arrive(`${OB}/S1`, "AKTAU-ST1"));
    expect(arrived.map((e) => e.type)).toEqual(["shipment.arrived"]);
  });

  it("a restored engine carries on exactly as the original", () => {
    const x = traded();
    x.ok(dispatch("TTN-1", 1000));
    x.ok(dispatch("TTN-2", 2000));
    x.ok(arrive(`${OB}/S1`, "AKTAU-ST1"));
    const y = x.fork();
    for (const command of [arrive(`${OB}/S2`, "AKTAU-ST1"), { type: "obligation.confirmPayment", obligation: OB }]) {
      expect(y.ok(command)).toEqual(x.ok(command));
      expect(y.engine.stateHash()).toBe(x.engine.stateHash());
    }
    // The restored one still knows the waybills and the shipment count.
    const z = x.fork();
    expect(z.engine.clearingHouse.deliveries.totals(OB)).toEqual({ count: 2, dispatchedKg: 3000, arrivedKg: 3000 });
    expect(z.engine.clearingHouse.deliveries.waybillShipment("KAZGPZ-1", "TTN-2")).toBe(`${OB}/S2`);
  });

  it("forgets the shipments of a settled obligation when the instrument closes", () => {
    const x = traded();
    x.ok({ type: "obligation.confirmPayment", obligation: OB });
    x.ok(dispatch("TTN-1", 3000));
    x.ok(arrive(`${OB}/S1`, "AKTAU-ST1"));
    expect(x.engine.clearingHouse.deliveries.shipment(`${OB}/S1`)).toBeDefined();
    x.ok({ type: "phase.set", instrument: I, phase: "closed" });
    expect(x.obligation()).toBeUndefined();
    expect(x.engine.clearingHouse.deliveries.shipment(`${OB}/S1`)).toBeUndefined();
    expect(x.engine.clearingHouse.deliveries.station("AKTAU-ST1")).toBeDefined();
    x.fork();
  });

  it("leaves the snapshot as it was before delivery existed while there are no stations or shipments", () => {
    const x = new Exchange();
    expect(Object.keys(x.engine.snapshot().house)).toEqual(["members", "ledger", "clearing", "references"]);
  });
});

describe("diversions", () => {
  it("an arrival at a station in another region", () => {
    const x = traded();
    x.ok(station("AKTAU-ATR", "ATYRAU")); // registered after the trade as well
    x.ok(dispatch("TTN-1", 1000));
    const events = x.ok(arrive(`${OB}/S1`, "AKTAU-ATR"));
    expect(of(events, "diversion")).toEqual([
      {
        type: "diversion",
        shipment: `${OB}/S1`,
        obligation: OB,
        instrument: I,
        buyer: "AKTAU-1",
        buyerMember: "AKTAU",
        seller: "KAZGPZ-1",
        station: "AKTAU-ATR",
        stationRegion: "ATYRAU",
        region: "MANGYSTAU",
        tradeTimeMs: T0 + HOUR_MS,
        quantity: 1000,
        reasons: ["outside-region", "registered-after-trade"],
        atMs: T0 + 2 * HOUR_MS,
      },
    ]);
  });

  it("an arrival at a station of the region registered after the trade", () => {
    const x = traded();
    x.ok(station("AKTAU-NEW"));
    x.ok(dispatch("TTN-1", 3000));
    const events = x.ok(arrive(`${OB}/S1`, "AKTAU-NEW"));
    expect(of(events, "diversion").map((e) => e.reasons)).toEqual([["registered-after-trade"]]);
    // A diversion is reported; the delivery itself is still done.
    expect(of(events, "obligation.delivered")).toHaveLength(1);
  });

  it("the nationwide instrument delivers to any region; one without a region has no region to leave", () => {
    const x = traded({ region: "KZ" });
    x.ok(dispatch("TTN-1", 3000));
    x.ok(station("AKTAU-FAR", "ALMATY"));
    const events = x.ok(arrive(`${OB}/S1`, "AKTAU-FAR"));
    // Registered one hour after the trade: late, but not outside the region.
    expect(of(events, "diversion").map((e) => e.reasons)).toEqual([["registered-after-trade"]]);
    const y = traded({ region: null });
    y.ok(dispatch("TTN-1", 3000));
    expect(of(y.ok(arrive(`${OB}/S1`, "AKTAU-ST1")), "diversion")).toEqual([]);
  });

  it("the registration time equal to the trade time is not after it", () => {
    const x = new Exchange();
    x.ok({
      type: "instrument.list",
      instrument: I,
      mode: "continuous",
      tickSize: 100,
      lotSize: 1000,
      clearing: TERMS,
      description: { product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
    });
    x.ok({ type: "phase.set", instrument: I, phase: "continuous" });
    x.ok({ type: "member.add", member: "KAZGPZ", name: "GPP", roles: ["producer"] });
    x.ok({ type: "member.add", member: "AKTAU", name: "A", roles: ["buyer"], buyerCategory: "wholesaler" });
    x.ok({ type: "account.open", account: "KAZGPZ-1", member: "KAZGPZ" });
    x.ok({ type: "account.open", account: "AKTAU-1", member: "AKTAU" });
    x.ok({ type: "gas.declare", account: "KAZGPZ-1", basis: "KAZGPZ", quantity: 1000 });
    x.ok({ type: "money.deposit", account: "AKTAU-1", amount: 1_000_000_000, reference: "B" });
    const base = { type: "order.new", instrument: I, orderType: "limit", price: PRICE, quantity: 1000 } as const;
    x.ok({ ...base, orderId: "s", account: "KAZGPZ-1", side: "sell" });
    x.ok({ ...base, orderId: "b", account: "AKTAU-1", side: "buy" });
    x.ok(station("SAME-TIME")); // same timeMs as the trade
    x.ok(dispatch("W", 1000));
    expect(of(x.ok(arrive(`${OB}/S1`, "SAME-TIME")), "diversion")).toEqual([]);
  });
});

/** A table row: a command sent to a fresh `traded()` exchange, and `"ok"` or the code it must be refused with. */
type Row = readonly [string, Sent, ErrorCode | "ok"];

function runTable(rows: readonly Row[], prepare: (x: Exchange) => void = () => {}) {
  for (const [name, command, expected] of rows) {
    it(`${name}: ${expected}`, () => {
      const x = traded();
      prepare(x);
      if (expected === "ok") x.ok(command);
      else x.refuse(command, expected);
    });
  }
}

describe("station.register at its limits (a refusal changes nothing)", () => {
  runTable([
    ["an id already registered", station("AKTAU-ST1"), "STATION_EXISTS"],
    ["an id with a space", station("bad id"), "STATION_INVALID"],
    ["an id of 64 characters", station("X".repeat(64)), "ok"],
    ["an id of 65 characters", station("X".repeat(65)), "STATION_INVALID"],
    ["an unknown member", station("S2", "MANGYSTAU", "NOBODY"), "MEMBER_NOT_FOUND"],
    ["a producer", station("S2", "MANGYSTAU", "KAZGPZ"), "STATION_MEMBER_NOT_BUYER"],
    ["a blank name", { ...station("S2"), name: " " }, "STATION_INVALID"],
    ["a name of 200 characters", { ...station("S2"), name: "n".repeat(200) }, "ok"],
    ["a name of 201 characters", { ...station("S2"), name: "n".repeat(201) }, "STATION_INVALID"],
    ["a region with a space", { ...station("S2"), region: "MANG YSTAU" }, "STATION_INVALID"],
    ["no document", { ...station("S2"), document: "" }, "STATION_INVALID"],
    [
      `a document of ${STATION_DOCUMENT_LENGTH_MAX} characters`,
      { ...station("S2"), document: "d".repeat(STATION_DOCUMENT_LENGTH_MAX) },
      "ok",
    ],
    [
      `a document of ${STATION_DOCUMENT_LENGTH_MAX + 1} characters`,
      { ...station("S2"), document: "d".repeat(STATION_DOCUMENT_LENGTH_MAX + 1) },
      "STATION_INVALID",
    ],
    ["a document with a line break", { ...station("S2"), document: "line\nbreak" }, "STATION_INVALID"],
    ["a document in Kazakh", { ...station("S2"), document: "Жер учаскесіне куәлік № 12" }, "ok"],
  ]);

  it(`at most ${STATIONS_PER_MEMBER_MAX} per member`, () => {
    const x = traded();
    for (let i = 2; i <= STATIONS_PER_MEMBER_MAX; i++) x.engine.apply(next(x, station(`S${i}`)));
    expect(x.engine.clearingHouse.deliveries.stationsOf("AKTAU")).toBe(STATIONS_PER_MEMBER_MAX);
    x.engine.checkInvariants();
    x.refuse(station("ONE-MORE"), "STATIONS_LIMIT");
    x.ok(station("ATYRAU-ST1", "ATYRAU", "ATYRAU")); // another member is not affected
  });
});

describe("shipment.dispatch at its limits (a refusal changes nothing)", () => {
  // The obligation is 3000 kg, traded on 5 January (UTC) an hour before now: dates run from 4 to 6 January.
  runTable([
    ["an unknown obligation", dispatch("W", 1000, { obligation: "OB-NONE" }), "OBLIGATION_NOT_FOUND"],
    ["the buyer's account", dispatch("W", 1000, { account: "AKTAU-1" }), "SHIPMENT_NOT_PARTY"],
    ["another seller's account", dispatch("W", 1000, { account: "ATYRAU-1" }), "SHIPMENT_NOT_PARTY"],
    ["no vehicle", dispatch("W", 1000, { vehicle: "" }), "SHIPMENT_INVALID"],
    ["a blank vehicle", dispatch("W", 1000, { vehicle: "   " }), "SHIPMENT_INVALID"],
    [
      `a vehicle of ${VEHICLE_LENGTH_MAX} characters`,
      dispatch("W", 1000, { vehicle: "V".repeat(VEHICLE_LENGTH_MAX) }),
      "ok",
    ],
    [
      `a vehicle of ${VEHICLE_LENGTH_MAX + 1} characters`,
      dispatch("W", 1000, { vehicle: "V".repeat(VEHICLE_LENGTH_MAX + 1) }),
      "SHIPMENT_INVALID",
    ],
    ["a plate in Cyrillic", dispatch("W", 1000, { vehicle: "123 АВС 12" }), "ok"],
    [`a waybill of ${WAYBILL_LENGTH_MAX} characters`, dispatch("W".repeat(WAYBILL_LENGTH_MAX), 1000), "ok"],
    [
      `a waybill of ${WAYBILL_LENGTH_MAX + 1} characters`,
      dispatch("W".repeat(WAYBILL_LENGTH_MAX + 1), 1000),
      "SHIPMENT_INVALID",
    ],
    ["a waybill with a tab", dispatch("W\t1", 1000), "SHIPMENT_INVALID"],
    ["0 kg", dispatch("W", 0), "SHIPMENT_INVALID"],
    ["-1 kg", dispatch("W", -1), "SHIPMENT_INVALID"],
    ["1.5 kg", dispatch("W", 1.5), "SHIPMENT_INVALID"],
    ["kg as text", dispatch("W", 0, { quantity: "1000" }), "SHIPMENT_INVALID"],
    ["1 kg", dispatch("W", 1), "ok"],
    ["the whole 3000 kg", dispatch("W", 3000), "ok"],
    ["3001 kg", dispatch("W", 3001), "SHIPMENT_OVER_OBLIGATION"],
    ["the earliest date, the day before the trade", dispatch("W", 1000, { date: "2026-01-04" }), "ok"],
    ["two days before the trade", dispatch("W", 1000, { date: "2026-01-03" }), "SHIPMENT_INVALID"],
    ["the latest date, tomorrow", dispatch("W", 1000, { date: "2026-01-06" }), "ok"],
    ["the day after tomorrow", dispatch("W", 1000, { date: "2026-01-07" }), "SHIPMENT_INVALID"],
    ["a date that does not exist", dispatch("W", 1000, { date: "2026-02-30" }), "SHIPMENT_INVALID"],
    ["a date in words", dispatch("W", 1000, { date: "6 Jan 2026" }), "SHIPMENT_INVALID"],
  ]);

  it("sums partial shipments up to the obligation, once per waybill", () => {
    const x = traded();
    x.ok(dispatch("W1", 1000));
    x.refuse(dispatch("W1", 1000), "SHIPMENT_WAYBILL_DUPLICATE");
    const over = x.refuse(dispatch("W2", 2001), "SHIPMENT_OVER_OBLIGATION");
    expect(over.details).toEqual({ quantity: 2001, obligation: OB, total: 3001, max: 3000 });
    x.ok(dispatch("W2", 2000));
    x.refuse(dispatch("W3", 1), "SHIPMENT_OVER_OBLIGATION");
  });

  it(`at most ${SHIPMENTS_PER_OBLIGATION_MAX} shipments per obligation`, () => {
    const x = traded({ tonnes: 2 });
    for (let i = 1; i <= SHIPMENTS_PER_OBLIGATION_MAX; i++) x.engine.apply(next(x, dispatch(`W${i}`, 1)));
    x.engine.checkInvariants();
    expect(x.engine.clearingHouse.deliveries.totals(OB)).toEqual({
      count: SHIPMENTS_PER_OBLIGATION_MAX,
      dispatchedKg: SHIPMENTS_PER_OBLIGATION_MAX,
      arrivedKg: 0,
    });
    x.refuse(dispatch("ONE-MORE", 1), "SHIPMENTS_LIMIT");
  });

  it("a dispatch at the far end of engine time is judged, not thrown on", () => {
    // Engine time beyond what a Date holds (8.64e15 ms): dates are judged against the calendar's last day, 2199-12-31.
    const x = traded({ startMs: 9e15 });
    expect(x.refuse(dispatch("W", 1000), "SHIPMENT_INVALID").details.field).toBe("date");
  });

  it("dates follow the trade and today: four days on, the trade's eve is too early, a day ahead is fine", () => {
    const y = traded();
    y.ok({ type: "obligation.confirmPayment", obligation: OB }); // paid, so only the delivery window runs
    y.timeMs += 4 * DAY_MS;
    y.refuse(dispatch("W", 1000, { date: "2026-01-03" }), "SHIPMENT_INVALID");
    y.ok(dispatch("W", 1000, { date: "2026-01-10" }));
    y.refuse(dispatch("W2", 1000, { date: "2026-01-11" }), "SHIPMENT_INVALID");
  });

  it("not on a defaulted obligation", () => {
    const x = traded();
    x.timeMs += DAY_MS; // the payment window passes: the buyer defaults
    x.ok({ type: "time.tick" });
    expect(x.obligation()?.status).toBe("defaulted");
    x.refuse(dispatch("W", 1000), "OBLIGATION_NOT_OPEN");
  });
});

describe("shipment.arrive (a refusal changes nothing)", () => {
  runTable(
    [
      ["an unknown shipment", arrive("OB-NONE/S1", "AKTAU-ST1"), "SHIPMENT_NOT_FOUND"],
      ["another buyer's account", arrive(`${OB}/S1`, "AKTAU-ST1", "ATYRAU-1"), "SHIPMENT_NOT_PARTY"],
      ["the seller's account", arrive(`${OB}/S1`, "AKTAU-ST1", "KAZGPZ-1"), "SHIPMENT_NOT_PARTY"],
      ["an unknown station", arrive(`${OB}/S1`, "NO-STATION"), "STATION_NOT_FOUND"],
      ["another member's station", arrive(`${OB}/S1`, "ATYRAU-ST1"), "STATION_NOT_OWN"],
      ["the buyer's own station", arrive(`${OB}/S1`, "AKTAU-ST1"), "ok"],
    ],
    (x) => {
      x.ok(station("ATYRAU-ST1", "MANGYSTAU", "ATYRAU"));
      x.ok(dispatch("W1", 1000));
    },
  );

  it("once per shipment", () => {
    const x = traded();
    x.ok(dispatch("W1", 1000));
    x.ok(arrive(`${OB}/S1`, "AKTAU-ST1"));
    const twice = x.refuse(arrive(`${OB}/S1`, "AKTAU-ST1"), "SHIPMENT_ALREADY_ARRIVED");
    expect(twice.message).toBe(`Shipment '${OB}/S1' already arrived at station 'AKTAU-ST1'.`);
  });
});

/** The next sequenced command for `x` without the per-command checks (for long runs up to a limit). */
function next(x: Exchange, command: Sent) {
  const seq = x.engine.lastSeq + 1;
  return { seq, timeMs: x.timeMs, command: command as Command };
}
