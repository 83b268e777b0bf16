/** The clearing's snapshot columns (clearing.ts): trade ids left out only where the obligation's id gives them back. */

import { describe, expect, it } from "vitest";
import { Clearing, type Obligation } from "./clearing.ts";

const obligation = (id: string, tradeId: string): Obligation => ({
  id,
  tradeId,
  instrument: "PB-KAZGPZ-MNG",
  basis: "KAZGPZ",
  buyer: "B1",
  seller: "S1",
  price: 13_000_000,
  quantity: 1000,
  value: 13_000_000,
  collateral: 1_300_000,
  buyerFee: 0,
  sellerFee: 0,
  tradeTimeMs: 1_000,
  paymentDueMs: 86_401_000,
  deliveryDueMs: 432_001_000,
  buyerDefaultCollateralTo: "seller",
  sellerPenaltyBps: 0,
  paid: false,
  delivered: false,
  status: "open",
  defaultedParty: null,
});

describe("Clearing.snapshot", () => {
  it("leaves out a trade id that is `T-` and the rest of its obligation's id, and keeps any other", () => {
    const clearing = new Clearing();
    const kept = [
      obligation("OB-X-S1-1", "T-X-S1-1"), // derived: left out
      obligation("OB-X-S1-2", "T-X-S1-3"), // same length, one character off
      obligation("OB-X-S1-4", "T-X-S1-40"), // longer
      obligation("OB-X-S1-5", "U-X-S1-5"), // another prefix
      obligation("OX-X-S1-6", "T-X-S1-6"), // an id without the obligation prefix gives no trade id
      obligation("OB-", "T-"), // the prefixes alone: derived
    ];
    for (const o of kept) clearing.open(o, []);
    const columns = clearing.snapshot().obligations;
    const tradeIds = (columns.tradeId as readonly (number | null)[]).map((i) =>
      i === null ? null : columns.strings[i],
    );
    // In id order: "OB-", then "OB-X-S1-1", "-2", "-4", "-5", then "OX-X-S1-6".
    expect(tradeIds).toEqual([null, null, "T-X-S1-3", "T-X-S1-40", "U-X-S1-5", "T-X-S1-6"]);
    const restored = Clearing.restore(JSON.parse(JSON.stringify(clearing.snapshot())));
    for (const o of kept) expect(restored.get(o.id)).toEqual(o);
  });
});
