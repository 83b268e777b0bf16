/**
 * Wire shapes of the rulebook's remedies (engine/remedies.ts) and the clearing report (reports/clearing-report.ts).
 */

import { Type } from "typebox";
import type { NegotiatedDeal } from "../../engine/remedies.ts";
import { COUNT, DECIMAL, EPOCH_MS, KG, Nullable, PRICE_TIYN_PER_TONNE, Strict, TEXT, TIYN } from "./base.ts";

export const NEGOTIATED_DEAL = Strict({
  id: { ...TEXT, description: "ND-<seq>: the deal's id" },
  instrument: TEXT,
  seller: { ...TEXT, description: "the seller's account" },
  buyer: { ...TEXT, description: "the buyer's account (the counterparty)" },
  priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
  quantityKg: KG,
  submittedMs: EPOCH_MS,
});

/** A deal as the engine reports it, in the wire's names (units last). */
export function dealWire(deal: NegotiatedDeal) {
  return {
    id: deal.id,
    instrument: deal.instrument,
    seller: deal.seller,
    buyer: deal.buyer,
    priceTiynPerTonne: deal.price,
    quantityKg: deal.quantity,
    submittedMs: deal.submittedMs,
  };
}

export const REOFFER = Strict({
  id: { ...TEXT, description: "RO-<seq>-<n>: the re-offer's id, also its sell order's id in the extra session" },
  instrument: TEXT,
  seller: { ...TEXT, description: "the original seller's account" },
  quantityKg: KG,
  source: { ...TEXT, description: "the voided trade, or the re-offer whose unsold rest this is" },
  stage: Type.Union([Type.Literal("extra"), Type.Literal("nationwide")]),
  offered: Type.Boolean({ description: "its order is in an extra session now" }),
});

export const DEALS = Strict({ count: COUNT, deals: Type.Array(NEGOTIATED_DEAL) });
export const REOFFERS = Strict({ count: COUNT, reoffers: Type.Array(REOFFER) });

const ROLE = Type.Union([Type.Literal("buyer"), Type.Literal("seller")]);

export const CLEARING_REPORT = Strict({
  document: Type.Literal("sauda.clearing-report"),
  date: TEXT,
  member: TEXT,
  memberName: TEXT,
  bin: Nullable(TEXT),
  asOf: {
    ...TEXT,
    description:
      "the time of the last journal record the report covers (UTC, ISO 8601); for a past day, that day's last record",
  },
  obligations: Type.Array(
    Strict({
      account: TEXT,
      obligation: TEXT,
      tradeId: TEXT,
      instrument: TEXT,
      role: ROLE,
      priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
      quantityKg: KG,
      valueTiyn: TIYN,
      status: TEXT,
      paid: Type.Boolean(),
      delivered: Type.Boolean(),
      toPayTiyn: TIYN,
      paymentDue: TEXT,
      toDeliverKg: KG,
      deliveryDue: TEXT,
      toReceiveTiyn: TIYN,
    }),
  ),
  netting: Strict({
    toPayTiyn: DECIMAL,
    toReceiveTiyn: DECIMAL,
    netTiyn: { ...DECIMAL, description: "receive less pay: positive, the clearing centre pays the member" },
    toDeliverKg: KG,
  }),
  accounts: Type.Array(
    Strict({
      account: TEXT,
      freeTiyn: DECIMAL,
      collateralHeldTiyn: DECIMAL,
      ordersBlockedTiyn: DECIMAL,
      dueNextDayTiyn: DECIMAL,
      marginCallTiyn: DECIMAL,
    }),
  ),
  marginCalls: Type.Array(Strict({ account: TEXT, amountTiyn: DECIMAL, due: TEXT })),
});
