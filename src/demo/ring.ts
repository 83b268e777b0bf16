/**
 * The demo's bidding ring: two made-up wholesalers of different groups (`RING_MEMBERS`, market.ts) that bid together,
 * so that the regulator's surveillance page shows a live alert within minutes of `npm start` rather than the empty
 * list an honest market gives for most of a day. It is the lab's colluding buyers (src/simulator/manipulators.ts) on
 * the live exchange: what market surveillance was built to find in January 2022.
 *
 * Once a round of the continuous desk, halfway through it (`DemoMarket`), each ring member cancels what is left of its
 * previous bids and bids one lot on each of the first `RING_INSTRUMENTS` continuous instruments that trade (in listing
 * order, outside the region whose instruments admit only filling-station networks and gas distributors), both at the
 * same price, the second member's bid right after the first's. Three sessions with such a coincidence link the two
 * accounts (`coordinated-bidding`, docs/surveillance.md rule 3), so the alert stands after the ring's first step; it
 * takes in the ring's later steps at the sessions' ends (the rule's evidence is brought up to date then, as
 * docs/surveillance.md says), not as each step comes.
 *
 * The price is `RING_DISCOUNT_BPS` under the band's reference, on the tick and inside the band: the bids rest under the
 * honest buyers' and rarely trade; a trade is settled by the back office like any demo buyer's. Order entry is paced
 * like every demo robot's (api-client.ts), so the ring is never named for automated entry.
 */

import type { InstrumentView } from "../simulator/port.ts";
import type { ApiClient } from "./api-client.ts";
import { AccountFills, cancelResting, HttpMarketPort } from "./http-port.ts";
import { ADMITTED_ONLY_REGION, accountOf, demoInstruments, RING_MEMBERS } from "./market.ts";

/** Instruments the ring bids on each step: three sessions at once complete the rule's three. */
export const RING_INSTRUMENTS = 3;
/** How far under the band's reference the ring bids, in basis points (the band is ±10%). */
export const RING_DISCOUNT_BPS = 500;
/** Lots per bid. */
const RING_LOTS = 1;
/** The ring's client order ids: `ring.<run>.<step>-<n>` (a restarted demo cancels an earlier run's). */
const RING_ORDER_ID = /^ring\.[0-9a-z]+\.\d+-\d+$/;

/** The price the ring bids on an instrument, or null when the instrument gives no reference to bid under. */
export function ringPrice(view: InstrumentView): number | null {
  if (view.referenceTiynPerTonne === null) return null;
  const tick = view.tickTiynPerTonne;
  const under = Math.floor((view.referenceTiynPerTonne * (10_000 - RING_DISCOUNT_BPS)) / 10_000 / tick) * tick;
  const low = view.bandLowTiynPerTonne ?? under;
  const high = Math.min(view.bandHighTiynPerTonne ?? under, view.ceilingTiynPerTonne ?? under);
  const price = Math.max(under, low);
  return price > high ? null : price;
}

export class BiddingRing {
  private steps = 0;

  private constructor(
    private readonly members: readonly { readonly client: ApiClient; readonly port: HttpMarketPort }[],
  ) {}

  /** The ring, with the ring members' clients; null when the exchange has no ring member (a demo built before it). */
  static async create(clients: ReadonlyMap<string, ApiClient>, runId: string): Promise<BiddingRing | null> {
    // The continuous instruments the ring may bid on; `instruments()` shows those that take orders now.
    const eligible = new Set(
      demoInstruments()
        .filter((i) => i.mode === "continuous" && i.region !== ADMITTED_ONLY_REGION)
        .map((i) => i.id),
    );
    const members: { client: ApiClient; port: HttpMarketPort }[] = [];
    for (const member of RING_MEMBERS) {
      const client = clients.get(member);
      if (client === undefined) return null;
      const feed = new AccountFills(client, accountOf(member));
      await feed.open();
      members.push({
        client,
        port: new HttpMarketPort({ client, feed, namespace: `ring.${runId}.`, instruments: eligible }),
      });
    }
    return new BiddingRing(members);
  }

  /** The ring members' ports (their orders sent, accepted and refused count in the demo's statistics). */
  ports(): HttpMarketPort[] {
    return this.members.map((m) => m.port);
  }

  /**
   * One step: what is left of the previous step's bids is cancelled (on the first step, every ring bid an earlier run
   * left), then the ring bids together on the instruments that trade continuously now.
   */
  async step(): Promise<void> {
    this.steps++;
    for (const { client, port } of this.members) {
      if (this.steps === 1) await cancelResting(client, port.account, (id) => RING_ORDER_ID.test(id));
      else await port.closeSession();
    }
    const instruments = await this.members[0]!.port.instruments();
    const chosen = instruments
      .filter((view) => view.phase === "continuous")
      .map((view) => ({ view, price: ringPrice(view) }))
      .filter((c): c is { view: InstrumentView; price: number } => c.price !== null)
      .slice(0, RING_INSTRUMENTS);
    for (const [n, { view, price }] of chosen.entries()) {
      for (const { port } of this.members) {
        await port.submit([
          {
            instrument: view.instrument,
            side: "buy",
            priceTiynPerTonne: price,
            quantityKg: RING_LOTS * view.lotKg,
            clientOrderId: `${this.steps}-${n}`,
          },
        ]);
      }
    }
  }
}
