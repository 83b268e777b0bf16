/**
 * Delivery after the trade: the buyers' stations and depots, the seller's shipments against an obligation, and the
 * buyer's confirmation that a shipment arrived. The clearing house owns this state and calls it from its commands;
 * like the rest of the engine it is pure, synchronous and in integers (kg, ms).
 *
 * Layout. Stations by id (each names its buyer member, region, the document the operator checked, and when it was
 * registered). Shipments by id, each self-contained: the obligation's instrument, its delivery region and trade time
 * are copied onto it at dispatch, so an arrival is judged without the obligation. Two indexes rebuilt on restore: per
 * obligation its shipments with the kg dispatched and arrived, and per seller account its waybill numbers.
 *
 * Rules.
 * - Only the operator registers a station, for a member that buys (buyer or broker), with the reference of the
 *   document it checked. A station id is never reused; stations are never forgotten.
 * - Only the obligation's seller account records a shipment, while the obligation is open and its delivery not yet
 *   done; the kg dispatched on an obligation never exceed its quantity; a waybill number is used once per seller
 *   account. A shipment's id is `<obligation>/S<n>`, n counting the obligation's shipments from 1.
 * - Only the obligation's buyer account confirms an arrival, once per shipment, at a station of the buyer's member.
 *   The shipment's whole quantity arrives (losses on the way are not modelled).
 * - When the kg arrived on an open obligation reach its quantity, its delivery is done (the clearing's
 *   `confirmDelivery`: the gas moves to the buyer and, if paid, the obligation settles). Until then the gas stays in
 *   the seller's obligation bucket: title passes with the whole delivery, so the default rules apply unchanged.
 * - An arrival raises a `diversion` when the station's region is not the instrument's delivery region (the nationwide
 *   instrument, region `KZ`, delivers anywhere), or when the station was registered after the trade.
 *
 * Limits: `STATIONS_PER_MEMBER_MAX` stations per member, `SHIPMENTS_PER_OBLIGATION_MAX` shipments per obligation.
 * Known limitation: when the instrument closes, the engine forgets its settled and defaulted obligations and, with
 * them, their shipments (the read models keep the history); a shipment still on its way then can no longer arrive.
 *
 * Complexity: every command O(1) map work, except a station count per member (kept in a map) and pruning, O(shipments
 * of the pruned obligations).
 */

import { invariant } from "../domain/errors.ts";
import { NATIONWIDE_REGION } from "../domain/instrument.ts";
import { SHIPMENTS_PER_OBLIGATION_MAX } from "../domain/limits.ts";

export const STATIONS_PER_MEMBER_MAX = 1000;
// The most shipments per obligation: in domain/limits.ts, where the browser's dispatch form reads them all.
export { SHIPMENTS_PER_OBLIGATION_MAX };
/** A station's or depot's document reference (a registry extract, a lease, a permit). */
export const STATION_DOCUMENT_LENGTH_MAX = 200;
// A plate or wagon number's and a waybill number's longest: in domain/limits.ts, where the browser's form reads them.
export { VEHICLE_LENGTH_MAX, WAYBILL_LENGTH_MAX } from "../domain/limits.ts";

export type DiversionReason = "outside-region" | "registered-after-trade";

export interface Station {
  readonly id: string;
  /** The buyer member the station belongs to. */
  readonly member: string;
  readonly name: string;
  readonly region: string;
  /** The document the operator checked. */
  readonly document: string;
  readonly registeredAtMs: number;
}

export interface Arrival {
  readonly station: string;
  readonly stationRegion: string;
  readonly atMs: number;
  /** Empty when the arrival is where and as it should be. */
  readonly diversion: readonly DiversionReason[];
}

export interface Shipment {
  readonly id: string;
  readonly obligation: string;
  readonly instrument: string;
  /** The instrument's delivery region; null for an instrument listed without a description. */
  readonly region: string | null;
  readonly tradeTimeMs: number;
  readonly seller: string;
  readonly buyer: string;
  /** The member of the buyer account, whose stations the gas may arrive at. */
  readonly buyerMember: string;
  readonly vehicle: string;
  readonly waybill: string;
  readonly quantity: number;
  /** The obligation's quantity. */
  readonly obligationKg: number;
  /** The dispatch date the seller gives, YYYY-MM-DD. */
  readonly date: string;
  readonly dispatchedAtMs: number;
  arrival: Arrival | null;
}

export interface DeliverySnapshot {
  readonly stations: readonly Station[];
  readonly shipments: readonly Shipment[];
}

export interface StationRegisteredEvent {
  readonly type: "station.registered";
  readonly station: Station;
}

export interface ShipmentEvent {
  readonly type: "shipment.dispatched" | "shipment.arrived";
  readonly shipment: Readonly<Shipment>;
  /** The obligation's totals after this event, and its quantity. */
  readonly dispatchedKg: number;
  readonly arrivedKg: number;
  readonly obligationKg: number;
}

/** Gas arrived where it should not have: for the regulator (and surveillance). */
export interface DiversionEvent {
  readonly type: "diversion";
  readonly shipment: string;
  readonly obligation: string;
  readonly instrument: string;
  readonly buyer: string;
  readonly buyerMember: string;
  readonly seller: string;
  readonly station: string;
  readonly stationRegion: string;
  readonly region: string | null;
  /** The trade's time: the registration time the station is judged against. */
  readonly tradeTimeMs: number;
  readonly quantity: number;
  readonly reasons: readonly DiversionReason[];
  readonly atMs: number;
}

export type DeliveryEvent = StationRegisteredEvent | ShipmentEvent | DiversionEvent;

interface ObligationShipments {
  readonly ids: string[];
  /** The obligation's quantity. */
  readonly quantity: number;
  dispatchedKg: number;
  arrivedKg: number;
}

export class Deliveries {
  private readonly stations = new Map<string, Station>();
  private readonly stationCount = new Map<string, number>();
  private readonly shipments = new Map<string, Shipment>();
  private readonly byObligation = new Map<string, ObligationShipments>();
  /** `<seller account>|<waybill>` → shipment id. */
  private readonly waybills = new Map<string, string>();

  get empty(): boolean {
    return this.stations.size === 0 && this.shipments.size === 0;
  }

  station(id: string): Readonly<Station> | undefined {
    return this.stations.get(id);
  }

  stationsOf(member: string): number {
    return this.stationCount.get(member) ?? 0;
  }

  shipment(id: string): Readonly<Shipment> | undefined {
    return this.shipments.get(id);
  }

  /** The obligation's shipment count and kg dispatched and arrived (zeros when it has none). */
  totals(obligation: string): { count: number; dispatchedKg: number; arrivedKg: number } {
    const entry = this.byObligation.get(obligation);
    return entry
      ? { count: entry.ids.length, dispatchedKg: entry.dispatchedKg, arrivedKg: entry.arrivedKg }
      : { count: 0, dispatchedKg: 0, arrivedKg: 0 };
  }

  /** The shipment id a waybill of a seller account was used on, if any. */
  waybillShipment(seller: string, waybill: string): string | undefined {
    return this.waybills.get(`${seller}|${waybill}`);
  }

  /** Registers a station checked by the caller. */
  register(station: Station, out: { push(event: DeliveryEvent): unknown }): void {
    invariant(!this.stations.has(station.id), () => `station ${station.id} exists`);
    this.addStation({ ...station });
    out.push({ type: "station.registered", station: { ...station } });
  }

  /** Records a shipment checked by the caller; the id is the obligation's next. */
  dispatch(fields: Omit<Shipment, "id" | "arrival">, out: { push(event: DeliveryEvent): unknown }): Shipment {
    const before = this.totals(fields.obligation);
    const shipment: Shipment = { id: `${fields.obligation}/S${before.count + 1}`, ...fields, arrival: null };
    invariant(!this.shipments.has(shipment.id), () => `shipment ${shipment.id} exists`);
    this.addShipment(shipment);
    const after = this.byObligation.get(shipment.obligation)!;
    invariant(after.dispatchedKg <= shipment.obligationKg, () => `obligation ${shipment.obligation} over-dispatched`);
    out.push({
      type: "shipment.dispatched",
      shipment: { ...shipment },
      dispatchedKg: after.dispatchedKg,
      arrivedKg: after.arrivedKg,
      obligationKg: shipment.obligationKg,
    });
    return shipment;
  }

  /**
   * Records the arrival of a shipment checked by the caller at a station of its buyer; raises a diversion where one
   * is due. Returns the obligation's kg arrived and its quantity.
   */
  arrive(
    id: string,
    station: Station,
    atMs: number,
    out: { push(event: DeliveryEvent): unknown },
  ): { arrivedKg: number; obligationKg: number } {
    const shipment = this.shipments.get(id)!;
    invariant(shipment.arrival === null, () => `shipment ${id} arrived twice`);
    const diversion: DiversionReason[] = [];
    if (shipment.region !== null && shipment.region !== NATIONWIDE_REGION && station.region !== shipment.region) {
      diversion.push("outside-region");
    }
    if (station.registeredAtMs > shipment.tradeTimeMs) diversion.push("registered-after-trade");
    shipment.arrival = { station: station.id, stationRegion: station.region, atMs, diversion };
    const entry = this.byObligation.get(shipment.obligation)!;
    entry.arrivedKg += shipment.quantity;
    out.push({
      type: "shipment.arrived",
      shipment: { ...shipment, arrival: { ...shipment.arrival, diversion: [...diversion] } },
      dispatchedKg: entry.dispatchedKg,
      arrivedKg: entry.arrivedKg,
      obligationKg: entry.quantity,
    });
    if (diversion.length > 0) {
      out.push({
        type: "diversion",
        shipment: shipment.id,
        obligation: shipment.obligation,
        instrument: shipment.instrument,
        buyer: shipment.buyer,
        buyerMember: shipment.buyerMember,
        seller: shipment.seller,
        station: station.id,
        stationRegion: station.region,
        region: shipment.region,
        tradeTimeMs: shipment.tradeTimeMs,
        quantity: shipment.quantity,
        reasons: [...diversion],
        atMs,
      });
    }
    return { arrivedKg: entry.arrivedKg, obligationKg: entry.quantity };
  }

  /** Forgets the shipments of obligations the clearing forgot. */
  forget(obligations: Iterable<string>): void {
    for (const obligation of obligations) {
      const entry = this.byObligation.get(obligation);
      if (!entry) continue;
      for (const id of entry.ids) {
        const shipment = this.shipments.get(id)!;
        this.waybills.delete(`${shipment.seller}|${shipment.waybill}`);
        this.shipments.delete(id);
      }
      this.byObligation.delete(obligation);
    }
  }

  /**
   * The indexes agree with the shipments; kg arrived ≤ dispatched ≤ the obligation's quantity; every arrival is at a
   * known station of the buyer. `quantityOf` gives an obligation's quantity while the clearing still has it.
   */
  checkInvariants(quantityOf: (obligation: string) => number | undefined): void {
    const sums = new Map<string, { count: number; dispatched: number; arrived: number }>();
    for (const s of this.shipments.values()) {
      const sum = sums.get(s.obligation) ?? { count: 0, dispatched: 0, arrived: 0 };
      sum.count++;
      sum.dispatched += s.quantity;
      if (s.arrival !== null) {
        sum.arrived += s.quantity;
        const station = this.stations.get(s.arrival.station);
        invariant(station?.member === s.buyerMember, () => `shipment ${s.id} arrived at a station not its buyer's`);
      }
      sums.set(s.obligation, sum);
      invariant(this.waybills.get(`${s.seller}|${s.waybill}`) === s.id, () => `waybill index misses ${s.id}`);
    }
    invariant(this.waybills.size === this.shipments.size, () => "waybill index holds forgotten shipments");
    invariant(sums.size === this.byObligation.size, () => "obligation index differs from the shipments");
    for (const [obligation, entry] of this.byObligation) {
      const sum = sums.get(obligation);
      invariant(
        sum !== undefined &&
          sum.count === entry.ids.length &&
          sum.dispatched === entry.dispatchedKg &&
          sum.arrived === entry.arrivedKg,
        () => `obligation ${obligation}: index says ${entry.dispatchedKg}/${entry.arrivedKg} kg`,
      );
      invariant(entry.dispatchedKg <= entry.quantity, () => `obligation ${obligation} over-dispatched`);
      const quantity = quantityOf(obligation);
      invariant(quantity === undefined || quantity === entry.quantity, () => `obligation ${obligation}'s quantity`);
    }
    const counts = new Map<string, number>();
    for (const station of this.stations.values()) counts.set(station.member, (counts.get(station.member) ?? 0) + 1);
    invariant(
      counts.size === this.stationCount.size &&
        [...counts].every(([member, count]) => this.stationCount.get(member) === count),
      () => "station counts differ from the stations",
    );
  }

  snapshot(): DeliverySnapshot {
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return {
      stations: [...this.stations.values()].map((s) => ({ ...s })).sort(byId),
      // Shipments in obligation order, then by their number, so a restore rebuilds each obligation's list in order.
      shipments: [...this.byObligation.keys()]
        .sort()
        .flatMap((obligation) => this.byObligation.get(obligation)!.ids.map((id) => this.shipments.get(id)!))
        .map((s) => ({
          ...s,
          arrival: s.arrival === null ? null : { ...s.arrival, diversion: [...s.arrival.diversion] },
        })),
    };
  }

  static restore(snapshot: DeliverySnapshot | undefined): Deliveries {
    const deliveries = new Deliveries();
    if (!snapshot) return deliveries;
    for (const station of snapshot.stations) deliveries.addStation({ ...station });
    for (const saved of snapshot.shipments) {
      const shipment: Shipment = {
        ...saved,
        arrival: saved.arrival === null ? null : { ...saved.arrival, diversion: [...saved.arrival.diversion] },
      };
      deliveries.addShipment(shipment);
      if (shipment.arrival !== null) deliveries.byObligation.get(shipment.obligation)!.arrivedKg += shipment.quantity;
    }
    return deliveries;
  }

  private addStation(station: Station): void {
    this.stations.set(station.id, station);
    this.stationCount.set(station.member, (this.stationCount.get(station.member) ?? 0) + 1);
  }

  private addShipment(shipment: Shipment): void {
    this.shipments.set(shipment.id, shipment);
    this.waybills.set(`${shipment.seller}|${shipment.waybill}`, shipment.id);
    let entry = this.byObligation.get(shipment.obligation);
    if (!entry) {
      entry = { ids: [], quantity: shipment.obligationKg, dispatchedKg: 0, arrivedKg: 0 };
      this.byObligation.set(shipment.obligation, entry);
    }
    entry.ids.push(shipment.id);
    entry.dispatchedKg += shipment.quantity;
  }
}

/** The operator registers a buyer's filling station or depot in a region, naming the document it checked. */
export interface StationRegisterCommand {
  readonly type: "station.register";
  readonly station: string;
  readonly member: string;
  readonly name: string;
  readonly region: string;
  readonly document: string;
}

/** The seller's account records a dispatch against an obligation. */
export interface ShipmentDispatchCommand {
  readonly type: "shipment.dispatch";
  readonly account: string;
  readonly obligation: string;
  /** A tank truck's plate or a rail tank wagon's number. */
  readonly vehicle: string;
  readonly waybill: string;
  readonly quantity: number;
  /** YYYY-MM-DD. */
  readonly date: string;
}

/** The buyer's account confirms that a shipment arrived at one of its member's stations (at the command's time). */
export interface ShipmentArriveCommand {
  readonly type: "shipment.arrive";
  readonly account: string;
  readonly shipment: string;
  readonly station: string;
}

export type DeliveryCommand = StationRegisterCommand | ShipmentDispatchCommand | ShipmentArriveCommand;
