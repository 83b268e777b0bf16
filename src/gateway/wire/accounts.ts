/**
 * Response schemas of a member's account views: orders, fills, balances, clearing obligations and the account itself.
 * Balances name their unit (`tiyn` for money, `kg` for gas at a basis) because one list holds both.
 */

import { Type } from "typebox";
import type { Balance } from "../../projections/index.ts";
import {
  BUYER_CATEGORY,
  CANCEL_REASON,
  COUNT,
  DECIMAL,
  Enum,
  EPOCH_MS,
  KG,
  Nullable,
  ORDER_TYPE,
  PRICE_TIYN_PER_TONNE,
  SEQ,
  SIDE,
  Strict,
  TEXT,
  TIF,
  TIYN,
} from "./base.ts";

export const ORDER_STATUS = Enum(["resting", "filled", "cancelled"] as const);
export const OBLIGATION_STATUS = Enum(["open", "settled", "defaulted", "voided"] as const);

export const ORDER = Strict({
  orderId: TEXT,
  instrument: TEXT,
  account: TEXT,
  side: SIDE,
  orderType: ORDER_TYPE,
  tif: TIF,
  expireAtMs: Nullable(EPOCH_MS),
  priceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  quantityKg: Type.Integer({ description: "kg as first entered" }),
  openKg: KG,
  filledKg: KG,
  averageFillPriceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE),
  status: ORDER_STATUS,
  cancelReason: Nullable(CANCEL_REASON),
  cancelledKg: KG,
  amendments: COUNT,
  acceptedSeq: SEQ,
  acceptedMs: EPOCH_MS,
  updatedSeq: SEQ,
  updatedMs: EPOCH_MS,
});

export const FILL = Strict({
  seq: SEQ,
  timeMs: EPOCH_MS,
  tradeId: TEXT,
  orderId: TEXT,
  instrument: TEXT,
  account: TEXT,
  side: SIDE,
  priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
  quantityKg: KG,
  liquidity: Enum(["maker", "taker", "auction"] as const),
});

export const BALANCE = Strict({
  asset: Type.String({ description: "KZT (money) or GAS:<basis> (gas at a producing plant)" }),
  unit: Enum(["tiyn", "kg"] as const),
  free: Type.String({ pattern: "^-?\\d+$", description: "usable now, in the unit" }),
  blockedForOrders: Type.String({
    pattern: "^-?\\d+$",
    description: "held for live orders: a buy order's guarantee deposit and fee, a sell order's gas",
  }),
  blockedForObligations: Type.String({
    pattern: "^-?\\d+$",
    description: "held for open clearing obligations: collateral and fees until settled, gas until delivered",
  }),
  total: DECIMAL,
});

/** A balance on the wire: the unit named, the blocked parts named for what they are held for. */
export function balanceWire(balance: Balance) {
  return {
    asset: balance.asset,
    unit: balance.asset.startsWith("GAS:") ? ("kg" as const) : ("tiyn" as const),
    free: balance.free.toString(),
    blockedForOrders: balance.orders.toString(),
    blockedForObligations: balance.obligations.toString(),
    total: balance.total.toString(),
  };
}

export const OBLIGATION = Strict({
  id: TEXT,
  tradeId: TEXT,
  instrument: TEXT,
  basis: TEXT,
  buyer: TEXT,
  seller: TEXT,
  priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
  quantityKg: KG,
  valueTiyn: TIYN,
  collateralTiyn: TIYN,
  buyerFeeTiyn: TIYN,
  sellerFeeTiyn: TIYN,
  tradeTimeMs: EPOCH_MS,
  paymentDueMs: EPOCH_MS,
  deliveryDueMs: EPOCH_MS,
  paid: Type.Boolean(),
  delivered: Type.Boolean(),
  status: OBLIGATION_STATUS,
  defaultedParty: Nullable(SIDE_PARTY()),
  forfeitedTiyn: TIYN,
  penaltyTiyn: TIYN,
  claimTiyn: TIYN,
  updatedSeq: SEQ,
  updatedMs: EPOCH_MS,
});

function SIDE_PARTY() {
  return Enum(["buyer", "seller"] as const);
}

export const ACCOUNT_INFO = Strict({
  account: TEXT,
  member: TEXT,
  client: Nullable(TEXT),
  canBuy: Type.Boolean(),
  canSell: Type.Boolean(),
  buyerCategory: Nullable(BUYER_CATEGORY),
  openedSeq: SEQ,
});

/**
 * An account as GET /api/accounts lists it: with the first day its statements are given for (its member's admission,
 * exchange time), so a page offers no earlier day; an earlier one is refused with 409 STATEMENT_DAY_BEFORE_MEMBER.
 */
export const LISTED_ACCOUNT = Strict({
  ...ACCOUNT_INFO.properties,
  statementsFrom: Type.String({
    format: "date",
    description: "YYYY-MM-DD, exchange time (UTC+5): the day the account's member was admitted",
  }),
});
