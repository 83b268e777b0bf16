/**
 * Delivery read models, built only from events (engine/delivery.ts has the rules): the buyers' stations, the shipments
 * of each obligation and account, the diversions, and the regulator's view per region and month.
 *
 * The regulator's view. Each figure is kept under the instrument's delivery region and delivery month (from the
 * instrument's description; an instrument listed without one counts under region `unknown` and the month of the trade
 * in exchange time):
 * - bought: kg of obligations created (what buyers bought on the exchange for that region), less those voided;
 * - dispatched: kg of shipments recorded against those obligations;
 * - arrived in the region: kg of arrivals at a station of the region (any station, for the nationwide instrument `KZ`);
 * - diverted: kg of arrivals that raised a diversion (outside the region, or at a station registered after the
 *   trade). An arrival in the region at a station registered after the trade counts in both of the last two.
 *
 * Limits. Stations are all kept (the engine bounds them per member). Of shipments the newest `SHIPMENTS_KEPT_MAX` are
 * kept, of diversions the newest `DIVERSIONS_KEPT_MAX`; the region totals are kept for every region and month. Older
 * records remain in the journal.
 *
 * Complexity. Per event O(1) map work. Reads: a member's stations O(stations of the member · log); an obligation's
 * shipments O(its shipments); an account's O(its shipments kept); the region view O(regions × months · log); the
 * diversion list O(diversions scanned).
 */

import type { DiversionReason, Shipment } from "../engine/delivery.ts";
import type { EngineEvent } from "../engine/events.ts";
import { compareText, type InstrumentRegistry } from "./instruments.ts";
import { checkUtcOffset, EXCHANGE_UTC_OFFSET_MS, localMonth } from "./numbers.ts";
import type { ProjectionOutcome } from "./outcome.ts";
import { Ring } from "./ring.ts";

export const SHIPMENTS_KEPT_MAX = 1_000_000;
export const DIVERSIONS_KEPT_MAX = 100_000;
/** The region of an instrument listed without a description. */
export const REGION_UNKNOWN = "unknown";
const NATIONWIDE_REGION = "KZ";

export interface StationView {
  readonly station: string;
  readonly member: string;
  readonly name: string;
  readonly region: string;
  readonly document: string;
  readonly registeredMs: number;
  readonly registeredSeq: number;
}

export interface ShipmentView {
  readonly shipment: string;
  readonly obligation: string;
  readonly instrument: string;
  /** The instrument's delivery region; null when it has none. */
  readonly region: string | null;
  readonly seller: string;
  readonly buyer: string;
  readonly vehicle: string;
  readonly waybill: string;
  readonly quantityKg: number;
  readonly date: string;
  readonly dispatchedMs: number;
  readonly dispatchedSeq: number;
  readonly station: string | null;
  readonly stationRegion: string | null;
  readonly arrivedMs: number | null;
  readonly diversion: readonly DiversionReason[];
}

export interface DiversionView {
  readonly seq: number;
  readonly timeMs: number;
  readonly shipment: string;
  readonly obligation: string;
  readonly instrument: string;
  readonly buyer: string;
  readonly buyerMember: string;
  readonly seller: string;
  readonly station: string;
  readonly stationRegion: string;
  /** The instrument's region and delivery month the diversion counts under. */
  readonly region: string;
  readonly month: string;
  readonly quantityKg: number;
  readonly reasons: readonly DiversionReason[];
}

export interface RegionMonthView {
  readonly region: string;
  readonly month: string;
  readonly boughtKg: bigint;
  readonly dispatchedKg: bigint;
  readonly arrivedInRegionKg: bigint;
  readonly divertedKg: bigint;
  readonly obligations: number;
  readonly shipments: number;
  readonly diversions: number;
}

export interface DeliveryViewsOptions {
  readonly registry: InstrumentRegistry;
  readonly utcOffsetMs?: number;
  /** How many shipments to keep (default `SHIPMENTS_KEPT_MAX`). */
  readonly shipmentsKeptMax?: number;
}

interface Totals {
  boughtKg: bigint;
  dispatchedKg: bigint;
  arrivedInRegionKg: bigint;
  divertedKg: bigint;
  obligations: number;
  shipments: number;
  diversions: number;
}

export class DeliveryViews {
  private readonly registry: InstrumentRegistry;
  private readonly utcOffsetMs: number;
  private readonly stations = new Map<string, StationView>();
  private readonly stationsByMember = new Map<string, Set<string>>();
  private readonly shipments = new Map<string, ShipmentView>();
  private readonly order: Ring<string>;
  private readonly byObligation = new Map<string, Set<string>>();
  private readonly byAccount = new Map<string, Set<string>>();
  private readonly diversionList = new Ring<DiversionView>(DIVERSIONS_KEPT_MAX);
  private readonly totals = new Map<string, { region: string; month: string; totals: Totals }>();

  constructor(options: DeliveryViewsOptions) {
    this.registry = options.registry;
    this.utcOffsetMs = checkUtcOffset(options.utcOffsetMs ?? EXCHANGE_UTC_OFFSET_MS);
    this.order = new Ring<string>(options.shipmentsKeptMax ?? SHIPMENTS_KEPT_MAX);
  }

  apply(outcome: ProjectionOutcome): void {
    for (const event of outcome.events) this.applyEvent(event, outcome.seq, outcome.timeMs);
  }

  private applyEvent(event: EngineEvent, seq: number, timeMs: number): void {
    switch (event.type) {
      case "obligation.created": {
        const totals = this.totalsOf(event.obligation.instrument, event.obligation.tradeTimeMs);
        totals.boughtKg += BigInt(event.obligation.quantity);
        totals.obligations++;
        return;
      }
      case "obligation.voided": {
        // A voided trade was never bought: it leaves the region's figures (docs/documents.md §5).
        const totals = this.totalsOf(event.obligation.instrument, event.obligation.tradeTimeMs);
        totals.boughtKg -= BigInt(event.obligation.quantity);
        totals.obligations--;
        return;
      }
      case "station.registered": {
        const s = event.station;
        this.stations.set(s.id, {
          station: s.id,
          member: s.member,
          name: s.name,
          region: s.region,
          document: s.document,
          registeredMs: s.registeredAtMs,
          registeredSeq: seq,
        });
        indexAdd(this.stationsByMember, s.member, s.id);
        return;
      }
      case "shipment.dispatched": {
        const s = event.shipment;
        this.addShipment(s, seq);
        const totals = this.totalsOf(s.instrument, s.tradeTimeMs);
        totals.dispatchedKg += BigInt(s.quantity);
        totals.shipments++;
        return;
      }
      case "shipment.arrived": {
        const s = event.shipment;
        const arrival = s.arrival!;
        const kept = this.shipments.get(s.id);
        if (kept) {
          this.shipments.set(s.id, {
            ...kept,
            station: arrival.station,
            stationRegion: arrival.stationRegion,
            arrivedMs: arrival.atMs,
            diversion: [...arrival.diversion],
          });
        }
        if (s.region === null || s.region === NATIONWIDE_REGION || s.region === arrival.stationRegion) {
          this.totalsOf(s.instrument, s.tradeTimeMs).arrivedInRegionKg += BigInt(s.quantity);
        }
        return;
      }
      case "diversion": {
        const key = this.keyOf(event.instrument, event.tradeTimeMs);
        const totals = this.totalsAt(key.region, key.month);
        totals.divertedKg += BigInt(event.quantity);
        totals.diversions++;
        this.diversionList.push({
          seq,
          timeMs,
          shipment: event.shipment,
          obligation: event.obligation,
          instrument: event.instrument,
          buyer: event.buyer,
          buyerMember: event.buyerMember,
          seller: event.seller,
          station: event.station,
          stationRegion: event.stationRegion,
          region: key.region,
          month: key.month,
          quantityKg: event.quantity,
          reasons: [...event.reasons],
        });
        return;
      }
      default:
        return;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  station(id: string): StationView | undefined {
    return this.stations.get(id);
  }

  /** A member's stations, by id. */
  stationsOf(member: string): StationView[] {
    return [...(this.stationsByMember.get(member) ?? [])]
      .map((id) => this.stations.get(id)!)
      .sort((a, b) => compareText(a.station, b.station));
  }

  /** Every station, by member then id; optionally one region's. */
  allStations(region?: string): StationView[] {
    return [...this.stations.values()]
      .filter((s) => region === undefined || s.region === region)
      .sort((a, b) => compareText(a.member, b.member) || compareText(a.station, b.station));
  }

  shipment(id: string): ShipmentView | undefined {
    return this.shipments.get(id);
  }

  /** An obligation's shipments in the order they were dispatched. */
  shipmentsOf(obligation: string): ShipmentView[] {
    return [...(this.byObligation.get(obligation) ?? [])].map((id) => this.shipments.get(id)!);
  }

  /**
   * The shipments an account sent or receives, newest first; with `awaitingArrival`, only those it receives that have
   * not arrived (what its buyer may still confirm), however far back among its shipments they are.
   */
  shipmentsOfAccount(account: string, limit: number, filter: { awaitingArrival?: boolean } = {}): ShipmentView[] {
    const ids = [...(this.byAccount.get(account) ?? [])];
    const out: ShipmentView[] = [];
    for (let i = ids.length - 1; i >= 0 && out.length < limit; i--) {
      const shipment = this.shipments.get(ids[i]!)!;
      if (filter.awaitingArrival && (shipment.buyer !== account || shipment.arrivedMs !== null)) continue;
      out.push(shipment);
    }
    return out;
  }

  /** The regulator's view: per region and month, by month then region; optionally one month's or one region's. */
  regions(filter: { month?: string; region?: string } = {}): RegionMonthView[] {
    return [...this.totals.values()]
      .filter((row) => filter.month === undefined || row.month === filter.month)
      .filter((row) => filter.region === undefined || row.region === filter.region)
      .sort((a, b) => compareText(a.month, b.month) || compareText(a.region, b.region))
      .map((row) => ({ region: row.region, month: row.month, ...row.totals }));
  }

  /** Diversions, newest first; a region filter matches the instrument's region or the station's. */
  diversions(filter: { month?: string; region?: string; limit: number }): DiversionView[] {
    const out: DiversionView[] = [];
    if (filter.limit < 1) return out;
    this.diversionList.scanNewestFirst((d) => {
      const month = filter.month === undefined || d.month === filter.month;
      const region = filter.region === undefined || d.region === filter.region || d.stationRegion === filter.region;
      if (month && region) out.push(d);
      return out.length < filter.limit;
    });
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------------

  private addShipment(s: Readonly<Shipment>, seq: number): void {
    this.shipments.set(s.id, {
      shipment: s.id,
      obligation: s.obligation,
      instrument: s.instrument,
      region: s.region,
      seller: s.seller,
      buyer: s.buyer,
      vehicle: s.vehicle,
      waybill: s.waybill,
      quantityKg: s.quantity,
      date: s.date,
      dispatchedMs: s.dispatchedAtMs,
      dispatchedSeq: seq,
      station: null,
      stationRegion: null,
      arrivedMs: null,
      diversion: [],
    });
    indexAdd(this.byObligation, s.obligation, s.id);
    indexAdd(this.byAccount, s.seller, s.id);
    indexAdd(this.byAccount, s.buyer, s.id);
    const evicted = this.order.push(s.id);
    if (evicted !== undefined) this.forget(evicted);
  }

  private forget(id: string): void {
    const s = this.shipments.get(id);
    if (!s) return;
    this.shipments.delete(id);
    indexDelete(this.byObligation, s.obligation, id);
    indexDelete(this.byAccount, s.seller, id);
    indexDelete(this.byAccount, s.buyer, id);
  }

  private keyOf(instrument: string, tradeTimeMs: number): { region: string; month: string } {
    const info = this.registry.get(instrument);
    return info
      ? { region: info.region, month: info.deliveryPeriod }
      : { region: REGION_UNKNOWN, month: localMonth(tradeTimeMs, this.utcOffsetMs) };
  }

  private totalsOf(instrument: string, tradeTimeMs: number): Totals {
    const key = this.keyOf(instrument, tradeTimeMs);
    return this.totalsAt(key.region, key.month);
  }

  private totalsAt(region: string, month: string): Totals {
    const k = `${month}|${region}`;
    let row = this.totals.get(k);
    if (!row) {
      row = {
        region,
        month,
        totals: {
          boughtKg: 0n,
          dispatchedKg: 0n,
          arrivedInRegionKg: 0n,
          divertedKg: 0n,
          obligations: 0,
          shipments: 0,
          diversions: 0,
        },
      };
      this.totals.set(k, row);
    }
    return row.totals;
  }
}

function indexAdd(index: Map<string, Set<string>>, key: string, id: string): void {
  let ids = index.get(key);
  if (!ids) {
    ids = new Set();
    index.set(key, ids);
  }
  ids.add(id);
}

function indexDelete(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) index.delete(key);
}
