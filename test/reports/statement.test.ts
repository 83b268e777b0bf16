/**
 * The statement PDF's page limit (src/reports/statement.ts, `PDF_PAGES_MAX`): a statement of a few lines is one page;
 * one too long for the limit stops at exactly the limit, its last page saying that the rest is cut and where the
 * whole statement is (JSON and XLSX, which are never cut). A diverted delivery's reasons are written in the
 * document's language in the PDF and the XLSX (the JSON keeps the codes).
 */

import ExcelJS from "exceljs";
import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { PDF_PAGES_MAX } from "../../src/reports/pdf.ts";
import { type StatementJson, type StatementTrade, statementPdf, statementXlsx } from "../../src/reports/statement.ts";

function statement(trades: number): StatementJson {
  const trade = (i: number): StatementTrade => ({
    tradeId: `T-PB-S1-${i}`,
    contract: `EC-PB-S1-${i}`,
    time: "2026-01-05T06:00:00.000Z",
    instrument: "PB",
    side: "buy",
    priceTiynPerTonne: 13_300_000,
    quantityKg: 1000,
    valueWithoutVatTiyn: "13300000",
    vatRateBps: 1200,
    vatTiyn: "1596000",
    valueWithVatTiyn: "14896000",
    voided: false,
  });
  return {
    document: "sauda.daily-statement",
    date: "2026-01-05",
    member: "AKTAU",
    memberName: "«Ақтау гауһар» ЖШС",
    bin: "080540012345",
    scope: "account",
    accounts: [
      {
        account: "AKTAU-1",
        client: null,
        trades: Array.from({ length: trades }, (_, i) => trade(i)),
        obligations: [],
        deliveries: [],
        totals: {
          boughtKg: trades * 1000,
          soldKg: 0,
          boughtWithoutVatTiyn: String(trades * 13_300_000),
          boughtVatTiyn: String(trades * 1_596_000),
          soldWithoutVatTiyn: "0",
          soldVatTiyn: "0",
          feesTiyn: "0",
          collateralTiyn: "0",
          dispatchedKg: 0,
          arrivedKg: 0,
        },
      },
    ],
  };
}

async function pages(pdf: Buffer): Promise<{ count: number; last: string }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const info = await parser.getInfo();
    const text = await parser.getText({ partial: [info.total] });
    return { count: info.total, last: text.text };
  } finally {
    await parser.destroy();
  }
}

/** `statement(1)` with one delivery that arrived outside its region at a station registered after the trade. */
function diverted(): StatementJson {
  const base = statement(1);
  const account = base.accounts[0]!;
  return {
    ...base,
    accounts: [
      {
        ...account,
        deliveries: [
          {
            shipment: "OB-PB-S1-0/S1",
            obligation: "OB-PB-S1-0",
            role: "buyer",
            quantityKg: 1000,
            vehicle: "123ABC02",
            waybill: "W-1",
            dispatched: "2026-01-05T07:00:00.000Z",
            station: "AKTAU-ST-02",
            arrived: "2026-01-05T09:00:00.000Z",
            diversion: ["outside-region", "registered-after-trade"],
          },
        ],
      },
    ],
  };
}

describe("a diverted delivery's reasons", () => {
  const words = {
    kk: "өңірден тыс, станция мәміледен кейін тіркелген",
    ru: "за пределами региона, станция зарегистрирована после сделки",
    en: "outside the region, station registered after the trade",
  } as const;

  for (const language of ["kk", "ru", "en"] as const) {
    it(`are in ${language} in the PDF and the XLSX`, async () => {
      const { last } = await pages(await statementPdf(diverted(), language));
      expect(last.replace(/\s+/g, " ")).toContain(`[${words[language]}]`);
      expect(last).not.toContain("outside-region");

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await statementXlsx(diverted(), language)) as unknown as ArrayBuffer);
      const sheet = workbook.worksheets.find((w) => w.getCell("B2").value === "OB-PB-S1-0/S1");
      expect(sheet?.getCell("J2").value).toBe(words[language]);
    });
  }
});

describe("statementPdf", () => {
  it("is one page for a short statement", async () => {
    const { count, last } = await pages(await statementPdf(statement(3), "en"));
    expect(count).toBe(1);
    expect(last).toContain("T-PB-S1-2");
    expect(last).not.toContain("is cut");
  });

  it(`stops at ${PDF_PAGES_MAX} pages and says the rest is cut`, async () => {
    const { count, last } = await pages(await statementPdf(statement(3_000), "en"));
    expect(count).toBe(PDF_PAGES_MAX);
    expect(last).toContain(`The statement is cut after ${PDF_PAGES_MAX} pages`);
  }, 120_000);
});
