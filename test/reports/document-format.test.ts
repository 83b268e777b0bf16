/**
 * The documents of record in Kazakh and Russian write values as their readers do (src/reports/format.ts): tenge with
 * grouped thousands and a decimal comma ("128 262,00"), tonnes "54,000 т", percentages "12,00 %", times in Kazakhstan time
 * (UTC+5) as dd.MM.yyyy HH:mm, and the instrument named in the document's language. The text is read back from the
 * PDF (pdf-parse) and compared exactly; no ISO timestamp and no English product word is left.
 */

import ExcelJS from "exceljs";
import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { type ClearingReportJson, clearingReportPdf } from "../../src/reports/clearing-report.ts";
import { type ContractJson, contractPdf } from "../../src/reports/contract.ts";
import { safeguardChangesText } from "../../src/reports/format.ts";
import { type StatementJson, statementPdf, statementXlsx } from "../../src/reports/statement.ts";

/** The PDF's text with every run of white space (no-break spaces included) as one space. */
async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text.replace(/\s+/gu, " ");
  } finally {
    await parser.destroy();
  }
}

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ENGLISH_PRODUCT = /propane|butane|Propane|Butane|tenge|\bt\b/;

/**
 * Reads the PDF's text and expects each of `lines` in it, and none of `absent`: by default no ISO timestamp and no
 * English product word, as in a document of record in Kazakh or Russian.
 */
async function expectPdfText(
  pdf: Promise<Buffer>,
  lines: readonly string[],
  absent: readonly (RegExp | string)[] = [ISO_TIME, ENGLISH_PRODUCT],
): Promise<void> {
  const text = await pdfText(await pdf);
  for (const line of lines) expect(text, line).toContain(line);
  for (const pattern of absent) {
    if (typeof pattern === "string") expect(text).not.toContain(pattern);
    else expect(text).not.toMatch(pattern);
  }
}

// 54 t at 128 262 ₸/t: 6 926 148,00 without VAT, VAT 12 % 831 137,76, with VAT 7 757 285,76.
const CONTRACT: ContractJson = {
  document: "sauda.exchange-contract",
  version: 1,
  contract: "EC-PB-S1-7",
  trade: "T-PB-S1-7",
  journalSeq: 42,
  tradeTime: "2026-12-05T04:47:54.188Z",
  tradeDate: "2026-12-05",
  instrument: {
    id: "PB-KAZGPZ-2612",
    product: "propane-butane",
    basis: "KAZGPZ",
    region: "MANGYSTAU",
    deliveryPeriod: "2026-12",
    name: "Propane-butane EXW KAZGPZ December 2026",
  },
  seller: { member: "KAZGPZ", name: "«ҚазГӨЗ» АҚ", bin: "951240000017", account: "KAZGPZ-1", client: null },
  buyer: { member: "AKTAU", name: "«Ақтау гауһар» ЖШС", bin: "080540012345", account: "AKTAU-1", client: null },
  priceTiynPerTonne: 12_826_200,
  quantityKg: 54_000,
  valueWithoutVatTiyn: "692614800",
  vatRateBps: 1200,
  vatTiyn: "83113776",
  valueWithVatTiyn: "775728576",
  delivery: {
    terms: "EXW KAZGPZ",
    basis: "KAZGPZ",
    region: "MANGYSTAU",
    period: "2026-12",
    paymentDue: "2026-12-08T04:47:54.188Z",
    deliveryDue: "2026-12-15T13:00:00.000Z",
  },
  clearing: {
    obligation: "OB-PB-S1-7",
    collateralTiyn: 69_261_480,
    buyerFeeTiyn: 692_615,
    sellerFeeTiyn: 692_615,
    sellerPenaltyBps: 500,
    buyerDefaultCollateralTo: "seller",
  },
  rulebook: "sauda rulebook: docs/market-rules.md; docs/delivery.md §1–§4; docs/documents.md §1–§2",
};

describe("the contract PDF", () => {
  it("writes Kazakh figures, Astana times and the instrument in Kazakh", async () => {
    await expectPdfText(
      contractPdf(CONTRACT, "kk"),
      [
        "Мәміле жасалған уақыт (Астана, UTC+5): 05.12.2026 09:47",
        "Құрал: Пропан-бутан, EXW KAZGPZ, Маңғыстау облысы, 12.2026 (PB-KAZGPZ-2612)",
        "Бағасы, ҚҚС-сыз: 128 262,00 теңге/т",
        "Саны: 54,000 т",
        "ҚҚС-сыз құны: 6 926 148,00 теңге",
        "ҚҚС мөлшерлемесі: 12,00 %",
        "ҚҚС сомасы: 831 137,76 теңге",
        "ҚҚС-мен құны: 7 757 285,76 теңге",
        "жеткізу кезеңі: 12.2026",
        "Төлем мерзімі: 08.12.2026 09:47",
        "Жеткізу мерзімі: 15.12.2026 18:00",
        "Кепілдік жарна: 692 614,80 теңге",
        "Биржалық алым (сатушы / сатып алушы): 6 926,15 / 6 926,15 теңге",
        "Сатушының жеткізбеуі үшін айыппұл: 5,00 %",
      ],
      [ISO_TIME, ENGLISH_PRODUCT, "December"],
    );
  });

  it("writes Russian figures the same way", async () => {
    await expectPdfText(contractPdf(CONTRACT, "ru"), [
      "Время сделки (Астана, UTC+5): 05.12.2026 09:47",
      "Инструмент: Пропан-бутан, EXW KAZGPZ, Мангистауская область, 12.2026 (PB-", // the line wraps at the hyphen
      "Цена без НДС: 128 262,00 тенге/т",
      "Количество: 54,000 т",
      "Ставка НДС: 12,00 %",
      "Стоимость с НДС: 7 757 285,76 тенге",
      "Срок оплаты: 08.12.2026 09:47",
    ]);
  });

  it("keeps English conventions in the English working copy", async () => {
    await expectPdfText(
      contractPdf(CONTRACT, "en"),
      [
        "Price without VAT: 128,262.00 tenge/t",
        "Payment due: 2026-12-08 09:47",
        "VAT rate: 12.00%",
        "Instrument: Propane-butane, EXW KAZGPZ, Mangystau region, 2026-12 (PB-KAZGPZ-2612)",
      ],
      [],
    );
  });
});

const STATEMENT: StatementJson = {
  document: "sauda.daily-statement",
  date: "2026-12-05",
  member: "AKTAU",
  memberName: "«Ақтау гауһар» ЖШС",
  bin: "080540012345",
  scope: "account",
  accounts: [
    {
      account: "AKTAU-1",
      client: null,
      trades: [
        {
          tradeId: "T-PB-S1-7",
          contract: "EC-PB-S1-7",
          time: "2026-12-05T04:47:54.188Z",
          instrument: "PB-KAZGPZ-2612",
          side: "buy",
          priceTiynPerTonne: 12_826_200,
          quantityKg: 54_000,
          valueWithoutVatTiyn: "692614800",
          vatRateBps: 1200,
          vatTiyn: "83113776",
          valueWithVatTiyn: "775728576",
          voided: false,
        },
      ],
      obligations: [],
      deliveries: [
        {
          shipment: "OB-PB-S1-7/S1",
          obligation: "OB-PB-S1-7",
          role: "buyer",
          quantityKg: 20_500,
          vehicle: "123ABC12",
          waybill: "WB-1",
          dispatched: "2026-12-05T06:00:00.000Z",
          station: "AKTAU-ST",
          arrived: "2026-12-05T19:30:00.000Z",
          diversion: [],
        },
      ],
      totals: {
        boughtKg: 54_000,
        soldKg: 0,
        boughtWithoutVatTiyn: "692614800",
        boughtVatTiyn: "83113776",
        soldWithoutVatTiyn: "0",
        soldVatTiyn: "0",
        feesTiyn: "692615",
        collateralTiyn: "69261480",
        dispatchedKg: 20_500,
        arrivedKg: 20_500,
      },
    },
  ],
};

describe("the statement PDF", () => {
  it("writes Kazakh figures and Kazakhstan times", async () => {
    await expectPdfText(statementPdf(STATEMENT, "kk"), [
      "Күні: 05.12.2026; Уақыт — Қазақстан уақыты (UTC+5)",
      "05.12.2026 09:47 T-PB-S1-7 сатып алу 54,000 т × 128 262,00 теңге/т; ҚҚС-сыз құны 6 926 148,00; " +
        "ҚҚС сомасы 831 137,76; ҚҚС-мен құны 7 757 285,76 теңге",
      "OB-PB-S1-7/S1 20,500 т, 123ABC12, WB-1; 05.12.2026 11:00 → AKTAU-ST 06.12.2026 00:30",
      "Жиыны Сатып алынды, т: 54,000; Сатып алынды, ҚҚС-сыз, теңге: 6 926 148,00; Сатып алу бойынша ҚҚС, теңге: 831 137,76 " +
        "Сатылды, т: 0,000; Сатылды, ҚҚС-сыз, теңге: 0,00; Сату бойынша ҚҚС, теңге: 0,00 " +
        "Алымдар, теңге: 6 926,15; Кепілдік жарна, теңге: 692 614,80 Жөнелтілді, т: 20,500; Келді, т: 20,500",
    ]);
  });

  it("writes Russian figures and Kazakhstan times", async () => {
    await expectPdfText(statementPdf(STATEMENT, "ru"), [
      "Дата: 05.12.2026; Время — время Казахстана (UTC+5)",
      "05.12.2026 09:47 T-PB-S1-7 покупка 54,000 т × 128 262,00 тенге/т; Стоимость без НДС 6 926 148,00",
      "05.12.2026 11:00 → AKTAU-ST 06.12.2026 00:30",
    ]);
  });
});

/** A workbook's sheets as rows of cell values as text (empty cells as "", trailing ones dropped). */
async function workbookRows(bytes: Buffer): Promise<Map<string, string[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheets = new Map<string, string[][]>();
  for (const sheet of workbook.worksheets) {
    const rows: string[][] = [];
    sheet.eachRow((row) => {
      const cells: string[] = [];
      for (let column = 1; column <= row.cellCount; column += 1) cells.push(String(row.getCell(column).value ?? ""));
      // Cells a column's number format made, past the last value, are not part of the row.
      while (cells.length > 0 && cells.at(-1) === "") cells.pop();
      rows.push(cells);
    });
    sheets.set(sheet.name, rows);
  }
  return sheets;
}

const OBLIGATION: StatementJson["accounts"][number]["obligations"][number] = {
  obligation: "OB-PB-S1-7",
  tradeId: "T-PB-S1-7",
  role: "buyer",
  quantityKg: 54_000,
  valueWithoutVatTiyn: "692614800",
  vatTiyn: "83113776",
  valueWithVatTiyn: "775728576",
  collateralTiyn: 69_261_480,
  feeTiyn: 692_615,
  paid: true,
  delivered: false,
  status: "open",
  paymentDue: "2026-12-08T04:47:54.188Z",
  deliveryDue: "2026-12-15T13:00:00.000Z",
  createdToday: true,
  updated: "2026-12-05T06:00:00.000Z",
  defaultedParty: null,
  forfeitedTiyn: 0,
  penaltyTiyn: 0,
  claimTiyn: 0,
};
const WITH_OBLIGATION: StatementJson = {
  ...STATEMENT,
  accounts: [{ ...STATEMENT.accounts[0]!, obligations: [OBLIGATION] }],
};

describe("the statement XLSX", () => {
  it("is in Kazakh with Kazakhstan times, and keeps the instants as ISO UTC in the last columns", async () => {
    const sheets = await workbookRows(await statementXlsx(WITH_OBLIGATION, "kk"));
    expect([...sheets.keys()]).toEqual(["Жиыны", "Мәмілелер", "Міндеттемелер", "Жеткізулер"]);
    expect(sheets.get("Жиыны")![0]).toEqual(["Күнделікті үзінді-көшірме", "05.12.2026"]);
    expect(sheets.get("Жиыны")![3]).toEqual(["Уақыт — Қазақстан уақыты (UTC+5)"]);
    const trades = sheets.get("Мәмілелер")!;
    expect(trades[0]![3]).toBe("Уақыты (Қазақстан уақыты, UTC+5)");
    expect(trades[0]![13]).toBe("Уақыты: UTC, ISO 8601");
    expect(trades[1]).toEqual([
      "AKTAU-1",
      "T-PB-S1-7",
      "EC-PB-S1-7",
      "05.12.2026 09:47",
      "PB-KAZGPZ-2612",
      "сатып алу",
      "128262",
      "54",
      "6926148",
      "12",
      "831137.76",
      "7757285.76",
      "",
      "2026-12-05T04:47:54.188Z",
    ]);
    const obligations = sheets.get("Міндеттемелер")!;
    expect(obligations[1]!.slice(2, 3)).toEqual(["Сатып алушы"]);
    expect(obligations[1]!.slice(9, 15)).toEqual(["иә", "жоқ", "ашық", "08.12.2026 09:47", "15.12.2026 18:00", ""]);
    expect(obligations[1]!.slice(18)).toEqual(["2026-12-08T04:47:54.188Z", "2026-12-15T13:00:00.000Z"]);
    const deliveries = sheets.get("Жеткізулер")!;
    expect(deliveries[1]).toEqual([
      "AKTAU-1",
      "OB-PB-S1-7/S1",
      "Сатып алушы",
      "20.5",
      "123ABC12",
      "WB-1",
      "05.12.2026 11:00",
      "AKTAU-ST",
      "06.12.2026 00:30",
      "",
      "2026-12-05T06:00:00.000Z",
      "2026-12-05T19:30:00.000Z",
    ]);
    // No English heading or word left, and no ISO time outside the machine-readable columns.
    for (const rows of sheets.values()) {
      for (const row of rows) {
        const shown = row.slice(0, rows === trades ? 13 : rows === obligations ? 18 : rows === deliveries ? 10 : 99);
        for (const cell of shown) expect(cell).not.toMatch(ISO_TIME);
        for (const cell of shown) expect(cell).not.toMatch(/\b(?:yes|no|buy|sell|buyer|open|Account|Trade|Time)\b/);
      }
    }
  });

  it("is in Russian with Kazakhstan times", async () => {
    const sheets = await workbookRows(await statementXlsx(WITH_OBLIGATION, "ru"));
    expect([...sheets.keys()]).toEqual(["Итого", "Сделки", "Обязательства", "Поставки"]);
    expect(sheets.get("Сделки")![0]!.slice(0, 6)).toEqual([
      "Счёт",
      "Сделка",
      "Договор",
      "Время (время Казахстана, UTC+5)",
      "Инструмент",
      "Направление",
    ]);
    expect(sheets.get("Сделки")![1]!.slice(3, 6)).toEqual(["05.12.2026 09:47", "PB-KAZGPZ-2612", "покупка"]);
    expect(sheets.get("Обязательства")![1]!.slice(9, 14)).toEqual([
      "да",
      "нет",
      "открыто",
      "08.12.2026 09:47",
      "15.12.2026 18:00",
    ]);
    expect(sheets.get("Поставки")![1]!.slice(6, 9)).toEqual(["05.12.2026 11:00", "AKTAU-ST", "06.12.2026 00:30"]);
  });
});

const REPORT: ClearingReportJson = {
  document: "sauda.clearing-report",
  date: "2026-12-05",
  member: "AKTAU",
  memberName: "«Ақтау гауһар» ЖШС",
  bin: "080540012345",
  asOf: "2026-12-05T18:59:59.000Z",
  obligations: [
    {
      account: "AKTAU-1",
      obligation: "OB-PB-S1-7",
      tradeId: "T-PB-S1-7",
      instrument: "PB-KAZGPZ-2612",
      role: "buyer",
      priceTiynPerTonne: 12_826_200,
      quantityKg: 54_000,
      valueTiyn: 692_614_800,
      status: "open",
      paid: false,
      delivered: false,
      toPayTiyn: 775_728_576,
      paymentDue: "2026-12-08T04:47:54.188Z",
      toDeliverKg: 0,
      deliveryDue: "2026-12-15T13:00:00.000Z",
      toReceiveTiyn: 0,
    },
  ],
  netting: { toPayTiyn: "775728576", toReceiveTiyn: "0", netTiyn: "-775728576", toDeliverKg: 0 },
  accounts: [
    {
      account: "AKTAU-1",
      freeTiyn: "100000000",
      collateralHeldTiyn: "69954095",
      ordersBlockedTiyn: "0",
      dueNextDayTiyn: "0",
      marginCallTiyn: "0",
    },
  ],
  marginCalls: [],
};

describe("the clearing report PDF", () => {
  it("writes Kazakh figures, words for roles and statuses, and Kazakhstan times", async () => {
    await expectPdfText(
      clearingReportPdf(REPORT, "kk"),
      [
        "Күні: 05.12.2026",
        "Жағдай бойынша (Қазақстан уақыты, UTC+5): 05.12.2026 23:59",
        "Төлеуге: 7 757 285,76 теңге; Алуға: 0,00 теңге",
        "Сальдо (алу − төлеу): −7 757 285,76 теңге",
        "AKTAU-1 OB-PB-S1-7 (Сатып алушы) 54,000 т × 128 262,00 теңге/т; ашық; Төлеуге 7 757 285,76 теңге (мерзімі 08.12.2026 09:47)",
      ],
      // In tenge, as the statement and the other documents of record write it.
      [ISO_TIME, /\b(buyer|seller|open)\b/, "₸"],
    );
  });

  it("writes Russian figures", async () => {
    await expectPdfText(
      clearingReportPdf(REPORT, "ru"),
      [
        "По состоянию на (время Казахстана, UTC+5): 05.12.2026 23:59",
        "(Покупатель) 54,000 т × 128 262,00 тенге/т; открыто; К оплате 7 757 285,76 тенге (срок 08.12.2026 09:47)",
      ],
      [ISO_TIME, "₸"],
    );
  });

  it("writes money in English one way, in tenge as the statement does: no ₸ beside KZT", async () => {
    await expectPdfText(
      clearingReportPdf(REPORT, "en"),
      [
        "To pay: 7,757,285.76 tenge; To receive: 0.00 tenge",
        "(Buyer) 54.000 t × 128,262.00 tenge/t; open; To pay 7,757,285.76 tenge (due 2026-12-08 09:47)",
      ],
      ["₸", "KZT"],
    );
  });
});

describe("a safeguard change in words", () => {
  const changes = {
    bandBps: 1000,
    breakerBps: 300,
    breakerAuctionMs: 120_000,
    ceiling: 13_500_000,
    floor: null,
    maxShareBps: 2500,
    maxActiveOrders: 10,
    maxLotsPerOrder: 1200,
    resumptionAuctionMs: 30_000,
    ceilingPath: [{ effectiveFromMs: Date.UTC(2026, 11, 8, 4, 0), ceiling: 13_400_000 }],
  };
  it("is told in each language, every field named", () => {
    expect(safeguardChangesText(changes, "kk").replaceAll("\u00a0", " ")).toBe(
      "баға дәлізі ±10,00 %; сауданы тоқтата тұру шегі 3,00 %; тоқтатудан кейінгі аукцион 2 мин; " +
        "шекті баға 135 000 ₸/т; ең төменгі баға алынып тасталды; бір сатып алушыға ұсыныстың ең үлкен үлесі 25,00 %; " +
        "шотқа белсенді өтінімдер ең көбі 10; өтінімдегі лоттар ең көбі 1 200; қайта бастаудағы аукцион 30 с; " +
        "шекті баға сатылары 08.12.2026 09:00 бастап 134 000 ₸/т",
    );
    expect(safeguardChangesText(changes, "ru").replaceAll("\u00a0", " ")).toBe(
      "ценовой коридор ±10,00 %; порог приостановки торгов 3,00 %; аукцион после приостановки 2 мин; " +
        "предельная цена 135 000 ₸/т; минимальная цена снята; наибольшая доля предложения на покупателя 25,00 %; " +
        "активных заявок на счёт не более 10; лотов в заявке не более 1 200; аукцион при возобновлении 30 с; " +
        "ступени предельной цены 134 000 ₸/т с 08.12.2026 09:00",
    );
    expect(safeguardChangesText({ bandBps: 1000, breakerBps: 300 }, "en")).toBe(
      "price band ±10.00%; circuit breaker 3.00%",
    );
    // A lifted limit is one sentence whose verb agrees with its noun, never "лотов в заявке не более снято".
    const lifted = { maxLotsPerOrder: null, maxActiveOrders: null, eligibleCategories: null, ceilingPath: [] };
    expect(safeguardChangesText(lifted, "ru")).toBe(
      "ограничение числа лотов в заявке снято; ограничение числа активных заявок на счёт снято; " +
        "ограничение круга допущенных покупателей снято; ступени предельной цены сняты",
    );
    expect(safeguardChangesText(lifted, "kk")).toBe(
      "өтінімдегі лоттар санының шегі алынып тасталды; шоттағы белсенді өтінімдер санының шегі алынып тасталды; " +
        "жіберілетін сатып алушылар шектеуі алынып тасталды; шекті баға сатылары алынып тасталды",
    );
    expect(safeguardChangesText({ maxLotsPerOrder: null }, "en")).toBe("limit on lots per order removed");
    // Buyer categories are words in every language, not the API's codes.
    const admitted = { eligibleCategories: ["filling-station-network", "gas-distribution"] };
    expect(safeguardChangesText(admitted, "en")).toBe(
      "buyers admitted filling-station networks, gas distribution companies",
    );
    expect(safeguardChangesText(admitted, "ru")).toBe(
      "допущенные покупатели сети АЗС, газораспределительные организации",
    );
    expect(safeguardChangesText({ eligibleCategories: ["industrial", "new-kind"] }, "en")).toBe(
      "buyers admitted industrial consumers, new-kind",
    );
    // A field no table knows is written as its name and value, not dropped.
    expect(safeguardChangesText({ newRule: 5 }, "kk")).toBe("newRule 5");
  });
});
