/**
 * The e-invoice export (src/reports/einvoice.ts) against its schema (docs/einvoice.xsd, validated by xmllint-wasm):
 * one invoice per delivered obligation of the member, as seller or buyer, in the date range; left out and counted
 * when a party has no BIN; a corrected invoice (FIXED_INVOICE, zero quantity and amounts, the original referred to)
 * for a trade voided after its invoice; the goods code per product; at most `EINVOICES_EXPORT_MAX` invoices, tested at the limit;
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

const CORRECTED_7 = `<invoice>
    <num>ESF-PB-S1-7-C1</num>
    <date>2026-01-08</date>
    <turnoverDate>2026-01-06</turnoverDate>
    <invoiceType>FIXED_INVOICE</invoiceType>
    <relatedInvoice>
      <num>ESF-PB-S1-7</num>
      <date>2026-01-06</date>
    </relatedInvoice>
    <correctionReason>Сделка признана недействительной (Rulebook §2): the buyer's software broke the entry rules</correctionReason>
    <seller>
      <tin>951240000017</tin>
      <name>Plant &amp; Co &lt;LLP&gt;</name>
      <account>K-1</account>
    </seller>
    <customer>
      <tin>080540012345</tin>
      <name>«Ақтау гауһар» ЖШС</name>
      <account>A-1</account>
    </customer>
    <deliveryTerm>
      <contractNum>EC-PB-S1-7</contractNum>
      <contractDate>2026-01-05</contractDate>
      <term>EXW KAZGPZ</term>
      <destination>MANGYSTAU</destination>
      <obligation>OB-PB-S1-7</obligation>
    </deliveryTerm>
    <products currencyCode="KZT">
      <product>
        <description>Пропан сжиженный</description>
        <tnvedCode>2711 12</tnvedCode>
        <unitCode>168</unitCode>
        <unitNomenclature>т</unitNomenclature>
        <quantity>0.000</quantity>
        <unitPrice>133001.00</unitPrice>
        <priceWithoutTax>0.00</priceWithoutTax>
        <ndsRate>12.50</ndsRate>
        <ndsAmount>0.00</ndsAmount>
        <priceWithTax>0.00</priceWithTax>
      </product>
      <totalPriceWithoutTax>0.00</totalPriceWithoutTax>
      <totalNdsAmount>0.00</totalNdsAmount>
      <totalPriceWithTax>0.00</totalPriceWithTax>
    </products>
  </invoice>`;

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

  it("a void after the invoice brings a corrected invoice: zero quantity and amounts, the original referred to", async () => {
    const voided = facts(7, {
      voided: {
        timeMs: Date.UTC(2026, 0, 8, 4),
        seq: 2000,
        reason: "the buyer's software broke the entry rules",
        rule: "Rulebook §2",
      },
    });
    const out = einvoicesXml("A", [voided, facts(8)], { from: null, to: null }, OFFSET_MS);
    expect([out.invoices, out.withoutBin]).toEqual([3, 0]);
    expect(await valid(out.xml)).toBe(true);
    const invoices = out.xml.split("<invoice>").slice(1);
    expect(invoices.map((x) => /<num>([^<]+)<\/num>/.exec(x)![1])).toEqual([
      "ESF-PB-S1-7",
      "ESF-PB-S1-8",
      "ESF-PB-S1-7-C1",
    ]);
    const corrected = `<invoice>${invoices[2]!}`.replace(/<\/invoices>\s*$/, "").trim();
    expect(corrected).toBe(CORRECTED_7);
    // The original stays as it was issued.
    expect(invoices[0]).toContain("<invoiceType>ORDINARY_INVOICE</invoiceType>");
    expect(invoices[0]).toContain("<quantity>1.000</quantity>");
    expect(invoices[0]).not.toContain("relatedInvoice");
    // In a range: by the invoice's own date; the seller gets the same correction.
    const day8 = einvoicesXml("A", [voided], { from: "2026-01-08", to: "2026-01-08" }, OFFSET_MS);
    expect(day8.invoices).toBe(1);
    expect(day8.xml).toContain("<num>ESF-PB-S1-7-C1</num>");
    expect(await valid(day8.xml)).toBe(true);
    expect(einvoicesXml("K", [voided], { from: "2026-01-08", to: null }, OFFSET_MS).xml).toContain("FIXED_INVOICE");
    // A void before delivery: no invoice, nothing to correct.
    const undelivered = facts(9, { deliveredMs: null, deliveredSeq: null, voided: voided.voided! });
    expect(einvoicesXml("A", [undelivered], { from: null, to: null }, OFFSET_MS).invoices).toBe(0);
  });

  it("names as destination the regions the gas arrived in when it was diverted, within the schema's 200 characters", async () => {
    const destinationOf = (f: ContractFacts) =>
      einvoicesXml("A", [f], { from: null, to: null }, OFFSET_MS).xml.match(/<destination>([^<]*)<\/destination>/)?.[1];
    expect(destinationOf(facts(1))).toBe("MANGYSTAU");
    expect(destinationOf(facts(1, { divertedTo: null }))).toBe("MANGYSTAU");
    expect(destinationOf(facts(1, { divertedTo: ["ATYRAU"] }))).toBe("ATYRAU");
    expect(destinationOf(facts(1, { divertedTo: ["MANGYSTAU", "ATYRAU"] }))).toBe("MANGYSTAU, ATYRAU");
    const many = Array.from({ length: 30 }, (_, i) => `REGION-${String(i).padStart(2, "0")}`);
    const long = einvoicesXml("A", [facts(1, { divertedTo: many })], { from: null, to: null }, OFFSET_MS).xml;
    const text = long.match(/<destination>([^<]*)<\/destination>/)?.[1] ?? "";
    expect([text.length, text.startsWith("REGION-00, REGION-01"), text.endsWith("…")]).toEqual([200, true, true]);
    expect(await valid(long)).toBe(true);
  });

  it("the schema refuses a quantity below zero and an invoice type it does not know", async () => {
    const xml = einvoicesXml("A", [facts(1)], { from: null, to: null }, OFFSET_MS).xml;
    for (const bad of [
      xml.replace("<quantity>1.000</quantity>", "<quantity>-1.000</quantity>"),
      xml.replace("ORDINARY_INVOICE", "ADDITIONAL_INVOICE"),
    ]) {
      const result = await validateXML({
        xml: [{ fileName: "esf.xml", contents: bad }],
        schema: [{ fileName: "einvoice.xsd", contents: SCHEMA }],
      });
      expect(result.valid).toBe(false);
    }
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
