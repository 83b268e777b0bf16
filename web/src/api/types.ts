/**
 * The shapes of the exchange's JSON responses as the browser reads them (see /docs/json on a running server). Prices
 * are integer tiyn per tonne, quantities integer kg, money integer tiyn; totals that may exceed 2^53 arrive as decimal
 * strings. Fields marked "not published yet" are read when the server sends them and shown as unknown otherwise.
 */

import { parseOrderId } from "../../../src/domain/ids.ts";

export type Side = "buy" | "sell";
export type Phase = "closed" | "collection" | "uncross" | "continuous" | "halted";
export type Role = "operator" | "regulator" | "trader" | "viewer";
export type Decimal = string;

export interface PriceLevel {
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly orders: number;
}

export interface InstrumentInfo {
  readonly instrument: string;
  readonly product: string;
  readonly basis: string;
  readonly region: string;
  readonly deliveryPeriod: string;
}

export interface ClearingTerms {
  readonly basis: string;
  readonly collateralBps: number;
  readonly feeBps: number;
  readonly paymentWindowMs?: number;
  readonly deliveryWindowMs?: number;
}

export interface Indicative {
  readonly priceTiynPerTonne: number | null;
  readonly volumeKg: number;
  readonly surplusKg: number;
  readonly surplusSide: Side | null;
  readonly needsReference: string | null;
}

/** The regulator's limits as the listing may carry them (not published yet by every server). */
export interface Limits {
  readonly band?: { readonly low: number; readonly high: number } | null;
  readonly bandBps?: number | null;
  readonly ceiling?: number | null;
  readonly floor?: number | null;
  readonly ceilingPath?: readonly { readonly effectiveFromMs: number; readonly ceiling: number }[];
}

export interface LimitsInForce {
  readonly bandReferenceTiynPerTonne: number | null;
  readonly band: { readonly lowTiynPerTonne: number; readonly highTiynPerTonne: number } | null;
  readonly ceilingTiynPerTonne: number | null;
  readonly floorTiynPerTonne: number | null;
}

export interface InstrumentQuote extends Limits {
  readonly instrument: string;
  readonly mode: "continuous" | "call" | null;
  readonly phase: Phase;
  readonly lastPriceTiynPerTonne: number | null;
  readonly lastQuantityKg: number | null;
  readonly lastTradeTimeMs: number | null;
  readonly referencePriceTiynPerTonne: number | null;
  readonly changeTiynPerTonne: number | null;
  readonly changeBps: number | null;
  readonly bestBid: PriceLevel | null;
  readonly bestAsk: PriceLevel | null;
  readonly spreadTiynPerTonne: number | null;
  readonly indicative: Indicative | null;
  readonly info: InstrumentInfo | null;
  /** Not published yet: tick (tiyn per tonne), lot (kg), clearing terms, safeguards, halt and schedule. */
  readonly tickSize?: number;
  readonly lotSize?: number;
  readonly clearing?: ClearingTerms | null;
  readonly safeguards?: Limits | null;
  readonly halt?: { readonly scope: string; readonly reason: string } | null;
  /** The limits in force, as the consoles' instrument view has them (GET /api/admin/instruments). */
  readonly limits?: LimitsInForce | null;
  readonly phaseChanged?: { readonly reason: string | null; readonly timeMs?: number } | null;
  readonly nextPhase?: { readonly phase: Phase; readonly atMs: number } | null;
}

export interface Book {
  readonly instrument: string;
  readonly bids: PriceLevel[];
  readonly asks: PriceLevel[];
}

export interface TapeTrade {
  readonly seq: number;
  readonly timeMs: number;
  readonly tradeId: string;
  readonly instrument: string;
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly aggressor: Side | null;
}

export interface Candle {
  readonly startMs: number;
  readonly openTiynPerTonne: number;
  readonly highTiynPerTonne: number;
  readonly lowTiynPerTonne: number;
  readonly closeTiynPerTonne: number;
  readonly volumeKg: Decimal;
  readonly vwapTiynPerTonne: number;
  readonly trades: number;
}

export interface SessionResult {
  readonly instrument: string;
  readonly session: number;
  readonly startMs: number;
  readonly endMs: number | null;
  readonly referencePriceTiynPerTonne: number | null;
  readonly vwapTiynPerTonne: number | null;
  readonly highTiynPerTonne: number | null;
  readonly lowTiynPerTonne: number | null;
  readonly closeTiynPerTonne: number | null;
  readonly trades: number;
  readonly volumeKg: Decimal;
  readonly valueTiyn: Decimal;
  readonly offeredKg: Decimal;
  readonly bidKg: Decimal;
}

export interface Sessions {
  readonly current: SessionResult | null;
  readonly history: SessionResult[];
}

export interface IndexRow {
  readonly day: string;
  readonly product: string;
  readonly scope: string;
  readonly key: string;
  readonly priceTiynPerTonne: number;
  readonly volumeKg: Decimal | number;
  readonly valueTiyn: Decimal | number;
  readonly sessions: number;
}

export interface Indices {
  readonly day: string | null;
  readonly days: string[];
  readonly indices: IndexRow[];
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly member: string | null;
}

export interface SessionInfo {
  readonly user: User | null;
  readonly csrfToken: string | null;
}

export interface Account {
  readonly account: string;
  readonly member: string;
  readonly client: string | null;
  readonly canBuy: boolean;
  readonly canSell: boolean;
  readonly buyerCategory: string | null;
}

export interface Balance {
  readonly asset: string;
  readonly free: Decimal;
  readonly orders: Decimal;
  readonly obligations: Decimal;
  readonly total: Decimal;
}

export interface Order {
  readonly orderId: string;
  readonly instrument: string;
  readonly account: string;
  readonly side: Side;
  readonly orderType: "limit" | "market";
  readonly tif: string;
  readonly priceTiynPerTonne: number | null;
  readonly quantityKg: number;
  readonly openKg: number;
  readonly filledKg: number;
  readonly averageFillPriceTiynPerTonne: number | null;
  readonly status: string;
  readonly cancelReason: string | null;
  readonly acceptedMs: number;
  readonly updatedMs: number;
}

export interface Fill {
  readonly seq: number;
  readonly timeMs: number;
  readonly tradeId: string;
  readonly orderId: string;
  readonly instrument: string;
  readonly side: Side;
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly liquidity: "maker" | "taker" | "auction" | string;
}

export interface Obligation {
  readonly id: string;
  readonly instrument: string;
  readonly basis: string;
  readonly buyer: string;
  readonly seller: string;
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly valueTiyn: number | Decimal;
  readonly collateralTiyn: number | Decimal;
  readonly paymentDueMs: number;
  readonly deliveryDueMs: number;
  readonly paid: boolean;
  readonly delivered: boolean;
  readonly status: "open" | "settled" | "defaulted";
}

/** The client order id of an engine order id (the format is the server's own: src/domain/ids.ts). */
export function clientOrderIdOf(orderId: string): string {
  return parseOrderId(orderId).clientOrderId;
}
