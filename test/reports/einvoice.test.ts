/**
 * The e-invoice export (src/reports/einvoice.ts) against its schema (docs/einvoice.xsd, validated by xmllint-wasm):
 * one invoice per delivered obligation of the member, as seller or buyer, in the date range; left out and counted
 * when a party has no BIN; the goods code per product; at most `EINVOICES_EXPORT_MAX` invoices, tested at the limit;
 * the same facts give the same bytes.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import type { ContractFacts } from "../../src/projections/contracts.ts";
import { EINVOICES_EXPORT_MAX, einvoicesXml, goodsCode } from "../../src/reports/einvoice.ts";

const OFFSET_MS = 5 * 3_600_000;
const SCHEMA = readFileSync(new URL("../../docs/einvoice.xsd", import.meta.url), "utf8");

function facts(n: number, extra: Partial<ContractFacts> = {}): ContractFacts {
  return {
    tradeId: `T-PB-S1-${n}`,
    seq: n,
    timeMs: Date.UTC(2026, 0, 5, 6),
    date: "2026-01-05",
    instrument: "PB",
    description: { product: "propane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
    priceTiynPerTonne: 13_300_100,
    quantityKg: 1000,
    seller: { account: "K-1", member: "K", name: "Plant & Co <LLP>", bin: "951240000017", client: null },
    buyer: { account: "A-1", member: "A", name: "«Ақтау гауһар» ЖШС", bin: "080540012345", client: null },
    vatRateBps: 1250,
    clearing: {
      obligation: `OB-PB-S1-${n}`,
      basis: "KAZGPZ",
      collateralTiyn: 1,
      buyerFeeTiyn: 1,
      sellerFeeTiyn: 1,
      paymentDueMs: 0,
      deliveryDueMs: 0,
      sellerPenaltyBps: 1000,
      buyerDefaultCollateralTo: "seller",
    },
    deliveredMs: Date.UTC(2026, 0, 6, 6),
    deliveredSeq: 1000 + n,
    ...extra,
  };
}

async function valid(xml: string): Promise<boolean> {
  const result = await validateXML({
    xml: [{ fileName: "esf.xml", contents: xml }],
    schema: [{ fileName: "einvoice.xsd", contents: SCHEMA }],
  });
  expect(result.errors).toEqual([]);
  return result.valid;
}

describe("einvoicesXml", () => {
  it("issues one valid invoice per delivered obligation, escapes names, rounds VAT half up once", async () => {
    const out = einvoicesXml(
      "A",
      [facts(1), facts(2, { deliveredMs: null, deliveredSeq: null })],
      { from: null, to: null },
      OFFSET_MS,
    );
    expect([out.invoices, out.withoutBin]).toEqual([1, 0]);
    expect(await valid(out.xml)).toBe(true);
    expect(out.xml).toContain("<name>Plant &amp; Co &lt;LLP&gt;</name>");
    expect(out.xml).toContain("<date>2026-01-06</date>");
    expect(out.xml).toContain("<tnvedCode>2711 12</tnvedCode>");
    // 133,001.00 tenge at 12.5%: 16,625.125 tenge → 16,625.13 (half up on the tiyn).
    expect(out.xml).toContain("<ndsRate>12.50</ndsRate>");
    expect(out.xml).toContain("<ndsAmount>16625.13</ndsAmount>");
    expect(out.xml).toContain("<priceWithTax>149626.13</priceWithTax>");
    expect(einvoicesXml("A", [facts(1)], { from: null, to: null }, OFFSET_MS).xml).toBe(
      einvoicesXml("A", [facts(1)], { from: null, to: null }, OFFSET_MS).xml,
    );
  });

  it("leaves out and counts an obligation without a BIN, and one of another member or outside the range", async () => {
    const noBin = facts(3, { buyer: { account: "A-1", member: "A", name: "A", bin: null, client: null } });
    const other = facts(4, { buyer: { account: "B-1", member: "B", name: "B", bin: "080540012345", client: null } });
    const out = einvoicesXml("A", [facts(1), noBin, other], { from: "2026-01-06", to: "2026-01-06" }, OFFSET_MS);
    expect([out.invoices, out.withoutBin]).toEqual([1, 1]);
    expect(await valid(out.xml)).toBe(true);
    expect(einvoicesXml("A", [facts(1)], { from: "2026-01-07", to: null }, OFFSET_MS).invoices).toBe(0);
  });

  it(`holds at most ${EINVOICES_EXPORT_MAX} invoices, oldest delivery first`, async () => {
    const all = Array.from({ length: EINVOICES_EXPORT_MAX + 1 }, (_, i) => facts(i));
    const out = einvoicesXml("A", all, { from: null, to: null }, OFFSET_MS);
    expect(out.invoices).toBe(EINVOICES_EXPORT_MAX);
    expect(out.xml).toContain("<num>ESF-PB-S1-0</num>");
    expect(out.xml).not.toContain(`<num>ESF-PB-S1-${EINVOICES_EXPORT_MAX}</num>`);
    expect(await valid(out.xml)).toBe(true);
  });

  it("codes propane 2711 12, butane 2711 13, the mix and anything else 2711 19", () => {
    expect([goodsCode("propane"), goodsCode("butane"), goodsCode("propane-butane"), goodsCode(null)]).toEqual([
      "2711 12",
      "2711 13",
      "2711 19",
      "2711 19",
    ]);
  });
});
