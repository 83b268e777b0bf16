/**
 * A reseller: a trader who buys on an instrument delivering to one region (`from`) and sells the gas on to the
 * filling-station networks of another (`to`) when the spread between the two regions pays the transport.
 *
 * Each session it reads the price the `to` region's networks last paid, delivered (the volume-weighted delivered
 * price of that region's latest trading day with trade), and bids on the instrument into `from` with the cheapest
 * offer at most what leaves it its margin after both legs of transport:
 *
 *     bid ≤ sell / (1 + margin) − transport(plant → from) − transport(from → to)
 *
 * so it trades only when the spread (sell − price − transport to `from`) exceeds the transport onward plus its
 * margin. Whole lots, up to `lotsPerSession`, within the band, the ceiling and the buyer concentration limit. What it
 * buys goes on to the `to` region's networks (by market share) at that delivered price, arriving after both transits.
 *
 * It acts on the exchange only through its MarketPort; the runner moves its gas.
 */

import type { InstrumentView, MarketPort } from "./port.ts";

export interface ResellerSettings {
  readonly from: string;
  readonly to: string;
  readonly lotsPerSession: number;
  /** Fraction over its costs the reseller wants from the resale. */
  readonly margin: number;
  /** Transport from `from` to `to` (tenge per tonne) and its transit days. */
  readonly onwardCostTengePerTonne: number;
  readonly onwardTransitDays: number;
}

/** One resale: bought on an instrument into `from`, sold on into `to`. */
export interface Resale {
  readonly instrument: string;
  readonly kg: number;
  readonly buyTengePerTonne: number;
  /** Transport from the plant to `from` plus onward to `to`. */
  readonly transportTengePerTonne: number;
  readonly sellTengePerTonne: number;
  readonly arrivalDay: number;
}

export interface ResellerTotals {
  sessionsBid: number;
  sessionsTraded: number;
  boughtKg: number;
  buyValueTenge: number;
  transportTenge: number;
  sellValueTenge: number;
}

export class Reseller {
  readonly totals: ResellerTotals = {
    sessionsBid: 0,
    sessionsTraded: 0,
    boughtKg: 0,
    buyValueTenge: 0,
    transportTenge: 0,
    sellValueTenge: 0,
  };
  private pending: { clientOrderId: string; basis: string; sell: number } | null = null;
  private orderCounter = 0;

  constructor(
    readonly id: string,
    readonly settings: ResellerSettings,
    private readonly port: MarketPort,
  ) {}

  /**
   * Bids, if the spread pays: `sellTengePerTonne` is the `to` region's latest delivered price (null: none yet);
   * `inbound` the transport cost from each plant to `from`.
   */
  async trade(sellTengePerTonne: number | null, inbound: ReadonlyMap<string, { costTengePerTonne: number }>) {
    this.pending = null;
    if (sellTengePerTonne === null) return;
    const views = (await this.port.instruments({ region: this.settings.from })).filter((v) => v.offeredKg > 0);
    let best: { v: InstrumentView; limitTiyn: number } | null = null;
    for (const v of views) {
      const transport = inbound.get(v.basis)!.costTengePerTonne + this.settings.onwardCostTengePerTonne;
      const most = sellTengePerTonne / (1 + this.settings.margin) - transport;
      const high = Math.min(
        v.bandHighTiynPerTonne ?? Number.POSITIVE_INFINITY,
        v.ceilingTiynPerTonne ?? Number.POSITIVE_INFINITY,
        Math.floor((most * 100) / v.tickTiynPerTonne) * v.tickTiynPerTonne,
      );
      const low = Math.max(v.bandLowTiynPerTonne ?? v.tickTiynPerTonne, v.floorTiynPerTonne ?? v.tickTiynPerTonne);
      if (high < low) continue;
      // Only where an offer is within reach: the best ask at or under what it may pay.
      if (v.bestAskTiynPerTonne === null || v.bestAskTiynPerTonne > high) continue;
      if (best === null || v.bestAskTiynPerTonne < best.v.bestAskTiynPerTonne!) best = { v, limitTiyn: high };
    }
    if (best === null) return;
    const { v, limitTiyn } = best;
    let lots = this.settings.lotsPerSession;
    if (v.maxShareBps !== null) lots = Math.min(lots, Math.floor((v.offeredKg * v.maxShareBps) / 10_000 / v.lotKg) - 1);
    if (lots <= 0) return;
    const clientOrderId = `r${++this.orderCounter}`;
    const [outcome] = await this.port.submit([
      {
        instrument: v.instrument,
        side: "buy",
        priceTiynPerTonne: limitTiyn,
        quantityKg: lots * v.lotKg,
        clientOrderId,
      },
    ]);
    this.totals.sessionsBid++;
    if (outcome!.accepted) this.pending = { clientOrderId, basis: v.basis, sell: sellTengePerTonne };
  }

  /** After the session: its fills, each a resale to the `to` region arriving after both transits. */
  async afterSession(
    day: number,
    inbound: ReadonlyMap<string, { costTengePerTonne: number; transitDays: number }>,
  ): Promise<Resale[]> {
    const resales: Resale[] = [];
    for (const fill of await this.port.fills()) {
      const p = this.pending;
      if (p === null || fill.clientOrderId !== p.clientOrderId) {
        throw new Error(`invariant: reseller ${this.id} got a fill for unknown order ${fill.clientOrderId}`);
      }
      const leg = inbound.get(p.basis)!;
      const buy = fill.priceTiynPerTonne / 100;
      const transport = leg.costTengePerTonne + this.settings.onwardCostTengePerTonne;
      resales.push({
        instrument: fill.instrument,
        kg: fill.quantityKg,
        buyTengePerTonne: buy,
        transportTengePerTonne: transport,
        sellTengePerTonne: p.sell,
        arrivalDay: day + leg.transitDays + this.settings.onwardTransitDays,
      });
      this.totals.boughtKg += fill.quantityKg;
      this.totals.buyValueTenge += (buy * fill.quantityKg) / 1000;
      this.totals.transportTenge += (transport * fill.quantityKg) / 1000;
      this.totals.sellValueTenge += (p.sell * fill.quantityKg) / 1000;
    }
    if (resales.length > 0) this.totals.sessionsTraded++;
    return resales;
  }
}
