/**
 * MarketPort: everything a market agent may do or see, and nothing more. One port belongs to one trading account
 * (as an authenticated API client does). Agents are written against this interface only, never against the engine,
 * so the same agents can drive the exchange in-process (exchange.ts, for the policy lab) or a live exchange through
 * its public HTTP API (the demo market), where each call is a request.
 *
 * What a port offers:
 * - public market data: the listed instruments with their trading rules in force (tick, lot, phase, reference
 *   price, static band, ceiling and floor, concentration limit), the quantity offered so far in the session and the
 *   best offer (public depth, as in a call auction's order collection), and each instrument's last session result;
 * - private: submit limit orders (each with a client order id unique for the account), cancel them, read the
 *   account's new fills since the last read, and read free balances (money, and gas at a basis).
 *
 * Promises: calls are answered in the order they are made; `submit` answers one outcome per order, in order, with
 * the exchange's error code for a refused one (agents adapt to a refusal; they never see an exception for it);
 * prices are integer tiyn per tonne and quantities integer kg, on the instrument's tick and lot.
 *
 * All methods return promises because a remote port must; the in-process port answers at once.
 */

import type { Side } from "../domain/order.ts";

export type PhaseName = "closed" | "collection" | "uncross" | "continuous" | "halted";

export interface InstrumentView {
  readonly instrument: string;
  /** Producing plant where the gas changes hands. */
  readonly basis: string;
  readonly region: string;
  /** YYYY-MM. */
  readonly deliveryPeriod: string;
  readonly phase: PhaseName;
  readonly tickTiynPerTonne: number;
  readonly lotKg: number;
  /** The previous session's weighted average (the band's centre), or the listing's reference price. */
  readonly referenceTiynPerTonne: number | null;
  /** The static band in force, rounded inward to the tick; null when there is none. */
  readonly bandLowTiynPerTonne: number | null;
  readonly bandHighTiynPerTonne: number | null;
  readonly ceilingTiynPerTonne: number | null;
  readonly floorTiynPerTonne: number | null;
  /** Most a buyer may hold (bought + bidding) of the session's offered quantity, in basis points; null: no limit. */
  readonly maxShareBps: number | null;
  /** Quantity offered in the current session so far (open sell orders plus what already traded). */
  readonly offeredKg: number;
  readonly bestAskTiynPerTonne: number | null;
}

export interface SessionResult {
  readonly instrument: string;
  /** Engine time of the uncross. */
  readonly timeMs: number;
  /** Uniform clearing price, or null when nothing could trade. */
  readonly priceTiynPerTonne: number | null;
  readonly volumeKg: number;
}

export interface OrderRequest {
  readonly instrument: string;
  readonly side: Side;
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  /** Unique among this account's orders. */
  readonly clientOrderId: string;
}

export interface OrderOutcome {
  readonly clientOrderId: string;
  readonly accepted: boolean;
  /** The exchange's error code for a refusal (e.g. ORDER_PRICE_OUTSIDE_BAND), null when accepted. */
  readonly code: string | null;
}

export interface Fill {
  readonly instrument: string;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly tradeId: string;
}

export interface Balances {
  readonly freeMoneyTiyn: bigint;
  readonly freeGasKg: bigint;
}

export interface InstrumentFilter {
  readonly basis?: string;
  readonly region?: string;
}

export interface MarketPort {
  readonly account: string;
  /** Instruments open for orders now, in listing order; optionally only those of one basis or one region. */
  instruments(filter?: InstrumentFilter): Promise<readonly InstrumentView[]>;
  lastResult(instrument: string): Promise<SessionResult | null>;
  submit(orders: readonly OrderRequest[]): Promise<readonly OrderOutcome[]>;
  cancel(clientOrderIds: readonly string[]): Promise<void>;
  /** Fills since the previous call, oldest first. */
  fills(): Promise<readonly Fill[]>;
  /** Free money, and free gas at `basis`. */
  balances(basis: string): Promise<Balances>;
}
