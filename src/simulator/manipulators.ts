/**
 * Manipulative agents, run beside the honest ones so that market surveillance's detection and false-alert rates can
 * be measured (scenarios/manipulation-*.json, docs/policy-lab.md). Each is switched on in the scenario's
 * `manipulators` section with its parameters there (scenario.ts, `Manipulators`); none is on by default. They trade
 * through the same engine commands as every member, on the instruments the runner lists, and act only in the sessions
 * they are due in (every `everySessions`-th trading day of the run).
 *
 * - Wash-trading pair (`WASH-S`, `WASH-B`, one group `WASH-GROUP`): at the session's open, before anyone else, the
 *   seller offers `lots` at the lowest price the limits allow and the buyer bids the same lots at the highest; being
 *   first in price and time on both sides they are paired with each other in the uncross (book.ts pairs in priority
 *   order), so the group trades with itself without moving the price (the same quantity is added to supply and
 *   demand at every price between the two).
 * - Spoofer (`SPOOF`): sells `sellLots` slightly below the reference on the first instrument of its basis (in listing
 *   order), and `secondsBeforeClose` before the close bids `spoofLots` well below the reference on the last one; the
 *   instruments uncross in listing order, so its sell fills first and it cancels the bid, unfilled, right before the
 *   bid's own instrument uncrosses (within a minute of entering it when `secondsBeforeClose` is under 60).
 * - Colluding buyers (`CARTEL-1..n`, no common group): each bids `lots` at the same price (the reference plus
 *   `priceAboveReferencePercent`, kept inside the band) on one instrument, `gapMs` apart.
 * - Limit bidders (`LIMIT-1..n`, one group `LIMIT-GROUP`): each bids `lots` at the upper price limit in force (the
 *   band's high end, else the ceiling); nothing when the instrument has no upper limit.
 * - Withholding producer: the named plant's own producer, whose sell orders from `from` on are passed to the exchange
 *   only while what it offered in the month stays under a share of what it declared in the month (the rest is
 *   refused to it with the code `WITHHELD`, so its books stay right); it still declares all its exchange-bound
 *   output. The share falls through each calendar month, from 100% on its first day to `offerPercent` on its last,
 *   so that supply tightens and the price climbs within the month (the withholding rule looks for a shortfall
 *   against the declared volume while the price rose over the month). The cap is on the month's totals because a
 *   producer re-offers unsold gas day after day, and the rule sums every offer.
 *
 * Manipulators' gas is declared for each session's sale; their money is deposited at the start (enough for every bid
 * they will make) and their purchases are settled and lifted with everyone else's. Their fills are read and dropped.
 */

import { daysInMonth } from "./dates.ts";
import type { InProcessExchange } from "./exchange.ts";
import type {
  Balances,
  Fill,
  InstrumentFilter,
  InstrumentView,
  MarketPort,
  OrderOutcome,
  OrderRequest,
  SessionResult,
} from "./port.ts";
import type { ManipulatorRoute, Manipulators } from "./scenario.ts";

/** Money each manipulating account gets at the start, in tiyn (ten billion tenge: more than any run's bids). */
const MANIPULATOR_DEPOSIT_TIYN = 1_000_000_000_000;

/** The accounts of each manipulator, for the surveillance test and the report. */
export interface ManipulatorAccounts {
  readonly washTrading: readonly string[];
  readonly spoofer: readonly string[];
  readonly colludingBuyers: readonly string[];
  readonly limitBidders: readonly string[];
  readonly withholding: readonly string[];
}

const roundTo = (price: number, tick: number, mode: "down" | "up" | "nearest") => {
  const f = mode === "down" ? Math.floor : mode === "up" ? Math.ceil : Math.round;
  return Math.max(tick, f(price / tick) * tick);
};

/** Lowest and highest prices the instrument's limits allow now (the reference halved or doubled where none). */
function allowed(v: InstrumentView): { low: number; high: number } {
  const reference = v.referenceTiynPerTonne ?? v.tickTiynPerTonne;
  const high = v.bandHighTiynPerTonne ?? v.ceilingTiynPerTonne ?? roundTo(reference * 2, v.tickTiynPerTonne, "down");
  const low = v.bandLowTiynPerTonne ?? v.floorTiynPerTonne ?? roundTo(reference / 2, v.tickTiynPerTonne, "up");
  return { low, high: Math.max(low, high) };
}

const clamp = (price: number, low: number, high: number) => Math.min(high, Math.max(low, price));

/** Sessions each manipulator acted in (one instrument's session per act; the spoofer's counts completed spoofs). */
export interface ManipulatorActs {
  washTrading: number;
  spoofer: number;
  colludingBuyers: number;
  limitBidders: number;
}

export class ManipulatorAgents {
  readonly accounts: ManipulatorAccounts;
  readonly acts: ManipulatorActs = { washTrading: 0, spoofer: 0, colludingBuyers: 0, limitBidders: 0 };
  private session = 0;
  private counter = 0;
  /** The spoof bid waiting to be cancelled: its instrument and client order id. */
  private spoof: { instrument: string; clientOrderId: string; sellInstrument: string } | null = null;

  constructor(
    private readonly config: Manipulators,
    private readonly exchange: InProcessExchange,
  ) {
    const c = config;
    this.accounts = {
      washTrading: c.washTrading ? ["WASH-B", "WASH-S"] : [],
      spoofer: c.spoofer ? ["SPOOF"] : [],
      colludingBuyers: c.colludingBuyers
        ? Array.from({ length: c.colludingBuyers.members }, (_, i) => `CARTEL-${i + 1}`)
        : [],
      limitBidders: c.limitBidders ? Array.from({ length: c.limitBidders.members }, (_, i) => `LIMIT-${i + 1}`) : [],
      withholding: c.withholding ? [c.withholding.plant] : [],
    };
    const all = [
      ...this.accounts.washTrading,
      ...this.accounts.spoofer,
      ...this.accounts.colludingBuyers,
      ...this.accounts.limitBidders,
    ];
    for (const account of all) {
      exchange.addTrader(account, `manipulator ${account}`);
      exchange.deposit(account, MANIPULATOR_DEPOSIT_TIYN);
    }
    for (const account of this.accounts.washTrading) exchange.group(account, "WASH-GROUP", "wash-trading pair");
    for (const account of this.accounts.limitBidders) exchange.group(account, "LIMIT-GROUP", "limit bidders");
  }

  private withholdingPort: WithholdingPort | null = null;

  /** The port the runner gives a plant's producer: cut to `offerPercent` when the plant withholds. */
  producerPort(plant: string, port: MarketPort, fromMs: (date: string) => number): MarketPort {
    const w = this.config.withholding;
    if (w === null || w.plant !== plant) return port;
    this.withholdingPort = new WithholdingPort(port, w.offerPercent, fromMs(w.from), () => this.exchange.timeMs);
    return this.withholdingPort;
  }

  /** The runner declared `kg` of a plant's gas to the exchange. */
  declared(plant: string, kg: number): void {
    if (this.withholdingPort !== null && this.config.withholding?.plant === plant) this.withholdingPort.declared(kg);
  }

  private due(every: number): boolean {
    return this.session % every === 0;
  }

  private instrument(route: ManipulatorRoute): InstrumentView | null {
    const id = this.exchange.openInstruments({ basis: route.plant, region: route.region })[0];
    return id === undefined ? null : this.exchange.view(id);
  }

  private id(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  /** At the open, before the honest agents: the wash pair. */
  atOpen(): void {
    this.session++;
    const w = this.config.washTrading;
    if (w && this.due(w.everySessions)) {
      const v = this.instrument(w);
      if (v) {
        const { low, high } = allowed(v);
        const quantityKg = w.lots * v.lotKg;
        this.exchange.declareGas("WASH-S", v.basis, quantityKg);
        this.exchange.submitFor("WASH-S", [
          { instrument: v.instrument, side: "sell", priceTiynPerTonne: low, quantityKg, clientOrderId: this.id("w") },
        ]);
        this.exchange.submitFor("WASH-B", [
          { instrument: v.instrument, side: "buy", priceTiynPerTonne: high, quantityKg, clientOrderId: this.id("w") },
        ]);
        this.acts.washTrading++;
      }
    }
  }

  /** After the honest agents have entered their orders: the cartel, the limit bidders and the spoofer's sale. */
  afterHonest(): void {
    const c = this.config.colludingBuyers;
    if (c && this.due(c.everySessions)) {
      const v = this.instrument(c);
      if (v?.referenceTiynPerTonne != null) {
        const { low, high } = allowed(v);
        const wish = roundTo(
          v.referenceTiynPerTonne * (1 + c.priceAboveReferencePercent / 100),
          v.tickTiynPerTonne,
          "nearest",
        );
        // Inside the limits and off the upper one (bids at the limit are another rule's).
        const price = clamp(wish, low, Math.max(low, high - v.tickTiynPerTonne));
        this.accounts.colludingBuyers.forEach((account, i) => {
          this.exchange.submitFor(
            account,
            [
              {
                instrument: v.instrument,
                side: "buy",
                priceTiynPerTonne: price,
                quantityKg: c.lots * v.lotKg,
                clientOrderId: this.id("c"),
              },
            ],
            i === 0 ? undefined : c.gapMs,
          );
        });
        this.acts.colludingBuyers++;
      }
    }
    const l = this.config.limitBidders;
    if (l && this.due(l.everySessions)) {
      const v = this.instrument(l);
      const limit = v ? (v.bandHighTiynPerTonne ?? v.ceilingTiynPerTonne) : null;
      if (v && limit !== null) {
        for (const account of this.accounts.limitBidders) {
          this.exchange.submitFor(account, [
            {
              instrument: v.instrument,
              side: "buy",
              priceTiynPerTonne: limit,
              quantityKg: l.lots * v.lotKg,
              clientOrderId: this.id("l"),
            },
          ]);
        }
        this.acts.limitBidders++;
      }
    }
    const s = this.config.spoofer;
    this.spoof = null;
    if (s && this.due(s.everySessions)) {
      const live = this.exchange.openInstruments({ basis: s.plant });
      const first = live[0];
      const last = live.at(-1);
      if (first !== undefined && last !== undefined && first !== last) {
        const v = this.exchange.view(first);
        const { low, high } = allowed(v);
        const reference = v.referenceTiynPerTonne ?? low;
        const quantityKg = s.sellLots * v.lotKg;
        // A little under the reference, off the lower limit: it sells.
        const price = clamp(
          roundTo(reference * 0.95, v.tickTiynPerTonne, "up"),
          Math.min(high, low + v.tickTiynPerTonne),
          high,
        );
        this.exchange.declareGas("SPOOF", v.basis, quantityKg);
        this.exchange.submitFor("SPOOF", [
          { instrument: first, side: "sell", priceTiynPerTonne: price, quantityKg, clientOrderId: this.id("s") },
        ]);
        this.spoof = { instrument: last, clientOrderId: "", sellInstrument: first };
      }
    }
  }

  /** `secondsBeforeClose` before the close: the spoofer's large bid, well under the reference so it cannot fill. */
  beforeClose(closeMs: number): void {
    const s = this.config.spoofer;
    if (s === null || this.spoof === null) return;
    this.exchange.setTime(Math.max(this.exchange.timeMs, closeMs - s.secondsBeforeClose * 1000));
    const v = this.exchange.view(this.spoof.instrument);
    const { low, high } = allowed(v);
    const price = clamp(roundTo((v.referenceTiynPerTonne ?? low) * 0.8, v.tickTiynPerTonne, "down"), low, high);
    const clientOrderId = this.id("x");
    const [outcome] = this.exchange.submitFor(
      "SPOOF",
      [
        {
          instrument: v.instrument,
          side: "buy",
          priceTiynPerTonne: price,
          quantityKg: s.spoofLots * v.lotKg,
          clientOrderId,
        },
      ],
      0,
    );
    this.spoof = outcome?.accepted ? { ...this.spoof, clientOrderId } : null;
  }

  /** Right before `instrument` uncrosses: the spoofer cancels its bid there (its sale has uncrossed by now). */
  beforeUncross(instrument: string): void {
    if (this.spoof !== null && this.spoof.instrument === instrument) {
      this.exchange.cancelFor("SPOOF", this.spoof.clientOrderId, 0);
      this.spoof = null;
      this.acts.spoofer++;
    }
  }

  /** After the session: their fills are read and dropped. */
  afterSession(): void {
    for (const account of [
      ...this.accounts.washTrading,
      ...this.accounts.spoofer,
      ...this.accounts.colludingBuyers,
      ...this.accounts.limitBidders,
    ]) {
      this.exchange.takeFills(account);
    }
  }
}

/**
 * A producer's port whose sell orders, from `fromMs` on, pass only while the month's offers stay under a share of the
 * month's declared gas: 100% on a month's first day falling linearly to `offerPercent` on its last.
 */
class WithholdingPort implements MarketPort {
  private month = "";
  private declaredKg = 0;
  private offeredKg = 0;

  constructor(
    private readonly inner: MarketPort,
    private readonly offerPercent: number,
    private readonly fromMs: number,
    private readonly nowMs: () => number,
  ) {}

  get account(): string {
    return this.inner.account;
  }

  instruments(filter?: InstrumentFilter): Promise<readonly InstrumentView[]> {
    return this.inner.instruments(filter);
  }

  lastResult(instrument: string): Promise<SessionResult | null> {
    return this.inner.lastResult(instrument);
  }

  private roll(): void {
    const month = new Date(this.nowMs()).toISOString().slice(0, 7);
    if (month !== this.month) {
      this.month = month;
      this.declaredKg = 0;
      this.offeredKg = 0;
    }
  }

  declared(kg: number): void {
    this.roll();
    this.declaredKg += kg;
  }

  async submit(orders: readonly OrderRequest[]): Promise<readonly OrderOutcome[]> {
    const now = this.nowMs();
    this.roll();
    if (now < this.fromMs) return this.inner.submit(orders);
    const days = daysInMonth(now);
    const dayOfMonth = new Date(now).getUTCDate();
    const share = 100 - ((100 - this.offerPercent) * (dayOfMonth - 1)) / Math.max(1, days - 1);
    const budgetKg = Math.max(0, (this.declaredKg * share) / 100 - this.offeredKg);
    let passedKg = 0;
    const passed: OrderRequest[] = [];
    const withheld = new Set<string>();
    for (const o of orders) {
      if (o.side === "sell" && passedKg + o.quantityKg > budgetKg) withheld.add(o.clientOrderId);
      else {
        if (o.side === "sell") passedKg += o.quantityKg;
        passed.push(o);
      }
    }
    this.offeredKg += passedKg;
    const outcomes = new Map((await this.inner.submit(passed)).map((o) => [o.clientOrderId, o]));
    return orders.map(
      (o) => outcomes.get(o.clientOrderId) ?? { clientOrderId: o.clientOrderId, accepted: false, code: "WITHHELD" },
    );
  }

  cancel(clientOrderIds: readonly string[]): Promise<void> {
    return this.inner.cancel(clientOrderIds);
  }

  fills(): Promise<readonly Fill[]> {
    return this.inner.fills();
  }

  balances(basis: string): Promise<Balances> {
    return this.inner.balances(basis);
  }
}
