/**
 * The live MarketPort (src/simulator/port.ts): a policy-lab agent trading through the exchange's public REST API with
 * a member's signed API key, exactly as a member's own program would. Each port method is one or a few requests:
 *
 * - instruments: `GET /api/instruments` (phase, tick, lot, the limits in force: band reference, band, ceiling, floor,
 *   the buyer concentration limit; the running session's volume) and, for each instrument the agent asks about, its
 *   sell side from `GET /api/instruments/:id/book` (the quantity offered so far is the open sell quantity plus what
 *   the session has already traded, as the engine counts it for the concentration limit);
 * - lastResult: `GET /api/instruments/:id/sessions?limit=1`;
 * - submit: one `POST /api/orders` per order (DAY limit orders), in order; a refusal answers the exchange's code;
 * - cancel: `DELETE /api/accounts/:account/orders/:clientOrderId` per order (an order already done is no error);
 *   the same, for the port's orders still resting (`GET /api/accounts/:account/orders?status=resting`), ends its
 *   session (`closeSession`, not part of MarketPort: the lab's sessions end by themselves);
 * - fills: `GET /api/accounts/:account/fills`, keeping those after the last one read (`AccountFills`);
 * - balances: `GET /api/accounts/:account/balances`.
 *
 * Several agents may share one trading account (a wholesaler's desks in several regions): each port has its own
 * namespace, a prefix of its client order ids, and sees only the fills of its own orders. The namespace also keeps a
 * restarted demo from reusing the ids of an earlier run.
 *
 * Order entry (submit, cancel, and the cancels that end a session) goes through the client's `entry`, paced to the
 * rulebook's limit for members' software (api-client.ts); the member's other agents share its client and its pace.
 *
 * Promises: replies are checked field by field before an agent sees them (a reply of the wrong shape throws
 * `ApiError`, as does a request the server never answered); a refusal is never an exception. Requests go through the
 * member's signed client (api-client.ts).
 */

import { CLIENT_ORDER_ID_LENGTH_MAX, parseOrderId } from "../domain/ids.ts";
import type { Side } from "../domain/order.ts";
import type {
  Balances,
  Fill,
  InstrumentFilter,
  InstrumentView,
  MarketPort,
  OrderOutcome,
  OrderRequest,
  PhaseName,
  SessionResult,
} from "../simulator/port.ts";
import {
  type ApiClient,
  ApiError,
  array,
  big,
  errorCodeOf,
  integer,
  integerOrNull,
  object,
  segment,
  text,
} from "./api-client.ts";

/** Most fills one read returns (the API's own limit); more between two reads of one account is an error. */
export const FILLS_PAGE_MAX = 1000;
/** Fills kept for an agent that has not read them yet; more means it stopped reading, which is an error. */
export const FILLS_WAITING_MAX = 100_000;
/** Price levels read to add up the quantity offered (the API's own limit). */
export const BOOK_DEPTH_MAX = 1000;
/** Resting orders read per page when cancelling, and pages read at most (an account's agents keep far fewer). */
export const RESTING_PAGE_MAX = 1000;
export const RESTING_PAGES_MAX = 10;
const PHASES: readonly PhaseName[] = ["closed", "collection", "uncross", "continuous", "halted"];

/**
 * One instrument of `GET /api/instruments`, as far as an agent needs it: the port's view of it but for what its book
 * adds (the quantity offered, the best offer), with the running session's volume instead.
 */
interface Listing extends Omit<InstrumentView, "offeredKg" | "bestAskTiynPerTonne"> {
  readonly sessionVolumeKg: number;
}

export function parseListing(value: unknown): Listing {
  const item = object(value, "instrument");
  const instrument = text(item.instrument, "instrument.instrument");
  const at = (field: string) => `instrument ${instrument}: ${field}`;
  const info = object(item.info, at("info"));
  const phase = text(item.phase, at("phase")) as PhaseName;
  if (!PHASES.includes(phase)) throw new ApiError(`${at("phase")} '${phase}' is unknown`);
  const limits = object(item.limits, at("limits"));
  const band = limits.band === null ? null : object(limits.band, at("limits.band"));
  const session = item.session === null || item.session === undefined ? null : object(item.session, at("session"));
  return {
    instrument,
    basis: text(info.basis, at("info.basis")),
    region: text(info.region, at("info.region")),
    deliveryPeriod: text(info.deliveryPeriod, at("info.deliveryPeriod")),
    phase,
    tickTiynPerTonne: integer(item.tickSizeTiynPerTonne, at("tickSizeTiynPerTonne")),
    lotKg: integer(item.lotSizeKg, at("lotSizeKg")),
    referenceTiynPerTonne: integerOrNull(limits.bandReferenceTiynPerTonne, at("limits.bandReferenceTiynPerTonne")),
    bandLowTiynPerTonne: band === null ? null : integer(band.lowTiynPerTonne, at("limits.band.lowTiynPerTonne")),
    bandHighTiynPerTonne: band === null ? null : integer(band.highTiynPerTonne, at("limits.band.highTiynPerTonne")),
    ceilingTiynPerTonne: integerOrNull(limits.ceilingTiynPerTonne, at("limits.ceilingTiynPerTonne")),
    floorTiynPerTonne: integerOrNull(limits.floorTiynPerTonne, at("limits.floorTiynPerTonne")),
    maxShareBps: integerOrNull(limits.maxShareBps, at("limits.maxShareBps")),
    sessionVolumeKg: session === null ? 0 : integer(session.volumeKg, at("session.volumeKg")),
  };
}

/**
 * Cancels an account's resting orders whose client order id `mine` accepts, one DELETE each; an order that filled
 * or ended meanwhile is no error. Returns how many it cancelled.
 */
export async function cancelResting(
  client: ApiClient,
  account: string,
  mine: (clientOrderId: string) => boolean,
): Promise<number> {
  const path = `/api/accounts/${segment(account)}`;
  let cancelled = 0;
  for (let page = 0; page < RESTING_PAGES_MAX; page++) {
    const body = object(
      await client.expect("GET", `${path}/orders?status=resting&limit=${RESTING_PAGE_MAX}`),
      "orders reply",
    );
    const orders = array(body.orders, "orders");
    let tried = 0;
    for (const item of orders) {
      const { clientOrderId } = parseOrderId(text(object(item, "order").orderId, "order.orderId"));
      if (!mine(clientOrderId)) continue;
      tried++;
      const reply = await client.entry("DELETE", `${path}/orders/${segment(clientOrderId)}`);
      if (reply.status === 200) cancelled++;
      else if (reply.status >= 500 || errorCodeOf(reply.body) === null) {
        throw new ApiError(`DELETE order ${clientOrderId}: ${reply.status}`);
      }
    }
    // A page that was not full held every resting order; after a full one, read again (bounded) unless none was ours.
    if (orders.length < RESTING_PAGE_MAX || tried === 0) break;
  }
  return cancelled;
}

/**
 * The fills of one account, read for all the agents trading in it and handed to each by the namespace of its client
 * order ids. Any of them reading its fills reads the account's new fills for all, so an agent that reads rarely (an
 * hourly auction's) misses nothing while its account's other agents trade. Fills of other orders (an earlier run's, a
 * person's) are passed over.
 */
export class AccountFills {
  /** Fills up to this sequence number have been read (-1: not opened yet). */
  private seq = -1;
  private readonly waiting = new Map<string, Fill[]>();

  constructor(
    private readonly client: ApiClient,
    readonly account: string,
  ) {}

  /** Starts from now: whatever the account traded before belongs to no agent here. */
  async open(): Promise<void> {
    const body = object(await this.client.expect("GET", `${this.path}?limit=1`), "fills reply");
    const newest = array(body.fills, "fills")[0];
    this.seq = newest === undefined ? 0 : integer(object(newest, "fill").seq, "fill.seq");
  }

  private get path(): string {
    return `/api/accounts/${segment(this.account)}/fills`;
  }

  register(namespace: string): void {
    for (const other of this.waiting.keys()) {
      if (other.startsWith(namespace) || namespace.startsWith(other)) {
        throw new Error(`invariant: namespace '${namespace}' overlaps '${other}' in ${this.account}`);
      }
    }
    this.waiting.set(namespace, []);
  }

  unregister(namespace: string): void {
    this.waiting.delete(namespace);
  }

  /** Reads the account's fills since the last read and files them under their namespaces. */
  async pull(): Promise<void> {
    if (this.seq < 0) throw new Error(`invariant: the fills of ${this.account} are read before open()`);
    const body = object(await this.client.expect("GET", `${this.path}?limit=${FILLS_PAGE_MAX}`), "fills reply");
    const page = array(body.fills, "fills");
    const fresh: { namespace: string; fill: Fill }[] = [];
    let newestSeq = this.seq;
    let reachedRead = false;
    // Newest first: walk back to the last fill already read. All fills of one command arrive together.
    for (const item of page) {
      const fill = object(item, "fill");
      const seq = integer(fill.seq, "fill.seq");
      if (seq <= this.seq) {
        reachedRead = true;
        break;
      }
      newestSeq = Math.max(newestSeq, seq);
      const orderId = text(fill.orderId, "fill.orderId");
      const { account, clientOrderId } = parseOrderId(orderId);
      if (account !== this.account) throw new ApiError(`a fill of order ${orderId} is listed under ${this.account}`);
      const namespace = [...this.waiting.keys()].find((ns) => clientOrderId.startsWith(ns));
      if (namespace === undefined) continue;
      const side = text(fill.side, "fill.side");
      if (side !== "buy" && side !== "sell") throw new ApiError(`fill.side '${side}' is unknown`);
      fresh.push({
        namespace,
        fill: {
          instrument: text(fill.instrument, "fill.instrument"),
          clientOrderId: clientOrderId.slice(namespace.length),
          side: side as Side,
          priceTiynPerTonne: integer(fill.priceTiynPerTonne, "fill.priceTiynPerTonne"),
          quantityKg: integer(fill.quantityKg, "fill.quantityKg"),
          tradeId: text(fill.tradeId, "fill.tradeId"),
        },
      });
    }
    if (!reachedRead && page.length >= FILLS_PAGE_MAX) {
      throw new ApiError(`more than ${FILLS_PAGE_MAX} fills of ${this.account} since the last read: some were missed`);
    }
    this.seq = newestSeq;
    for (let i = fresh.length - 1; i >= 0; i--) {
      const { namespace, fill } = fresh[i]!;
      const queue = this.waiting.get(namespace)!;
      if (queue.length >= FILLS_WAITING_MAX) {
        throw new ApiError(`more than ${FILLS_WAITING_MAX} fills wait for namespace ${namespace} of ${this.account}`);
      }
      queue.push(fill);
    }
  }

  /** The fills waiting for a namespace, oldest first; they are handed over once. */
  take(namespace: string): Fill[] {
    const queue = this.waiting.get(namespace);
    if (queue === undefined)
      throw new Error(`invariant: namespace '${namespace}' is not registered in ${this.account}`);
    this.waiting.set(namespace, []);
    return queue;
  }
}

const acceptsOrders = (phase: PhaseName) => phase === "collection" || phase === "continuous";

export interface HttpPortOptions {
  readonly client: ApiClient;
  /** The fills of the port's account, shared by all ports of the account (and opened before them). */
  readonly feed: AccountFills;
  /** Prefix of this port's client order ids: unique per agent and run (letters, digits, `.`, `-`). */
  readonly namespace: string;
  /** The instruments this agent trades; the others are not shown to it. */
  readonly instruments: ReadonlySet<string>;
}

export class HttpMarketPort implements MarketPort {
  readonly account: string;
  private readonly client: ApiClient;
  private readonly namespace: string;
  private readonly only: ReadonlySet<string>;
  private readonly feed: AccountFills;
  /** Whether this port has placed orders since the last `closeSession`. */
  private placed = false;
  /** Orders sent and refused, by the exchange's code. */
  readonly refusals = new Map<string, number>();
  submitted = 0;
  accepted = 0;

  constructor(options: HttpPortOptions) {
    if (!/^[A-Za-z0-9.-]+$/.test(options.namespace)) throw new Error(`namespace '${options.namespace}' is not valid`);
    this.client = options.client;
    this.feed = options.feed;
    this.account = options.feed.account;
    this.namespace = options.namespace;
    this.feed.register(this.namespace);
    this.only = options.instruments;
  }

  private get accountPath(): string {
    return `/api/accounts/${segment(this.account)}`;
  }

  async instruments(filter?: InstrumentFilter): Promise<readonly InstrumentView[]> {
    const body = object(await this.client.expect("GET", "/api/instruments"), "instruments reply");
    const views: InstrumentView[] = [];
    for (const item of array(body.instruments, "instruments")) {
      const listing = parseListing(item);
      if (!this.only.has(listing.instrument) || !acceptsOrders(listing.phase)) continue;
      if (filter?.basis !== undefined && listing.basis !== filter.basis) continue;
      if (filter?.region !== undefined && listing.region !== filter.region) continue;
      const book = object(
        await this.client.expect("GET", `/api/instruments/${segment(listing.instrument)}/book?depth=${BOOK_DEPTH_MAX}`),
        "book reply",
      );
      let openSellKg = integer(book.marketSellQueuedKg, "book.marketSellQueuedKg");
      const asks = array(book.asks, "book.asks");
      for (const level of asks) openSellKg += integer(object(level, "ask").quantityKg, "ask.quantityKg");
      const best = asks[0] === undefined ? null : integer(object(asks[0], "ask").priceTiynPerTonne, "ask price");
      const { sessionVolumeKg, ...rules } = listing;
      views.push({ ...rules, offeredKg: openSellKg + sessionVolumeKg, bestAskTiynPerTonne: best });
    }
    return views;
  }

  async lastResult(instrument: string): Promise<SessionResult | null> {
    const body = object(
      await this.client.expect("GET", `/api/instruments/${segment(instrument)}/sessions?limit=1`),
      "sessions reply",
    );
    const last = array(body.history, "sessions.history")[0];
    if (last === undefined) return null;
    const session = object(last, "session");
    return {
      instrument,
      timeMs: integer(session.endMs, "session.endMs"),
      priceTiynPerTonne: integerOrNull(session.vwapTiynPerTonne, "session.vwapTiynPerTonne"),
      volumeKg: integer(session.volumeKg, "session.volumeKg"),
    };
  }

  async submit(orders: readonly OrderRequest[]): Promise<readonly OrderOutcome[]> {
    const outcomes: OrderOutcome[] = [];
    for (const order of orders) {
      const clientOrderId = `${this.namespace}${order.clientOrderId}`;
      if (clientOrderId.length > CLIENT_ORDER_ID_LENGTH_MAX) {
        throw new Error(`client order id '${clientOrderId}' is longer than ${CLIENT_ORDER_ID_LENGTH_MAX}`);
      }
      this.submitted++;
      const reply = await this.client.entry("POST", "/api/orders", {
        instrument: order.instrument,
        account: this.account,
        clientOrderId,
        side: order.side,
        type: "limit",
        price: order.priceTiynPerTonne,
        quantity: order.quantityKg,
        tif: "DAY",
      });
      if (reply.status === 201 || reply.status === 200) {
        this.accepted++;
        this.placed = true;
        outcomes.push({ clientOrderId: order.clientOrderId, accepted: true, code: null });
        continue;
      }
      const code = errorCodeOf(reply.body);
      // A refusal carries a code; anything else (a server error, a reply without one) leaves the order's fate unknown.
      if (reply.status >= 500 || code === null) {
        throw new ApiError(`POST /api/orders ${clientOrderId}: ${reply.status} ${code ?? "without an error code"}`);
      }
      this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
      outcomes.push({ clientOrderId: order.clientOrderId, accepted: false, code });
    }
    return outcomes;
  }

  async cancel(clientOrderIds: readonly string[]): Promise<void> {
    for (const id of clientOrderIds) {
      const reply = await this.client.entry(
        "DELETE",
        `${this.accountPath}/orders/${segment(`${this.namespace}${id}`)}`,
      );
      // Filled, expired or cancelled already: nothing is left to cancel, which is what was asked.
      if (reply.status >= 500 || (reply.status >= 300 && errorCodeOf(reply.body) === null)) {
        throw new ApiError(`DELETE order ${id}: ${reply.status}`);
      }
    }
  }

  /**
   * Ends the agent's session: cancels what is left of its own orders (others' orders in the same account, such as a
   * person's trading by hand, stay). Nothing to do when it has placed nothing since the last close, unless `always`.
   */
  async closeSession(always = false): Promise<void> {
    if (!always && !this.placed) return;
    await cancelResting(this.client, this.account, (id) => id.startsWith(this.namespace));
    this.placed = false;
  }

  async fills(): Promise<readonly Fill[]> {
    await this.feed.pull();
    return this.feed.take(this.namespace);
  }

  /** This port's agent is gone: its fills are no longer kept. */
  close(): void {
    this.feed.unregister(this.namespace);
  }

  async balances(basis: string): Promise<Balances> {
    const body = object(await this.client.expect("GET", `${this.accountPath}/balances`), "balances reply");
    let freeMoneyTiyn = 0n;
    let freeGasKg = 0n;
    for (const item of array(body.balances, "balances")) {
      const balance = object(item, "balance");
      const asset = text(balance.asset, "balance.asset");
      if (asset === "KZT") freeMoneyTiyn = big(balance.free, "balance.free");
      else if (asset === `GAS:${basis}`) freeGasKg = big(balance.free, "balance.free");
    }
    return { freeMoneyTiyn, freeGasKg };
  }
}
