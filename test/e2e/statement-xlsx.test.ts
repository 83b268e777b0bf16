/**
 * The member's daily statement as an XLSX workbook from the terminal, in a real browser against a real exchange: the
 * link sits beside the PDF's, in the page's language, and what it saves is that statement's workbook (a zip of the
 * Office format whose trades sheet holds the day's trade, as the API's statement lists it). A broker sees the same for
 * its client's account alone. A day the exchange refuses is said under the links, as for the PDF.
 */

import ExcelJS from "exceljs";
import type { Download, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INSTRUMENT } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { fillOnTicket, LIVE_MS, signInOn } from "./support/forms.ts";
import { tradeThroughApi } from "./support/market.ts";

const run = browserAvailable("statement XLSX downloads");
const LAPTOP = { width: 1280, height: 900 };
/** Every XLSX is a zip: its first bytes are a local file header. */
const ZIP_MAGIC = "PK\u0003\u0004";

async function bytesOf(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function workbookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

describe.skipIf(!run)("the statement as XLSX from the terminal", () => {
  const suite = browserSuite(LAPTOP);
  let page: Page;

  it("downloads the member's statement as XLSX beside the PDF, in en, ru and kk; the trade is the API's", async () => {
    await tradeThroughApi(suite.server, { price: 13_300_000, quantity: 2_000 }, "xlsx-1");
    const buyer = await suite.server.login("aktau-trader");
    const statement = await suite.server.call(buyer, "GET", "/api/accounts/AKTAU-1/statements/2026-01-05?scope=member");
    const tradeId: string = statement.body.accounts[0].trades[0].tradeId;

    page = await suite.open("/login");
    await signInOn(page, "aktau-trader");
    if (!page.url().endsWith("/terminal")) await page.goto(`${suite.server.url}/terminal`);
    const documents = page.getByTestId("documents");
    const link = documents.getByTestId("statement-xlsx-link");
    await link.waitFor({ timeout: LIVE_MS });
    expect(await link.textContent()).toBe("Member's statement (XLSX)");
    await expect
      .poll(() => link.getAttribute("href"), { timeout: LIVE_MS })
      .toBe("/api/accounts/AKTAU-1/statements/2026-01-05/xlsx?scope=member&lang=en");
    // Beside the PDF's link, after it.
    const pdfBox = await documents.getByTestId("statement-link").boundingBox();
    const xlsxBox = await link.boundingBox();
    expect(xlsxBox!.x).toBeGreaterThan(pdfBox!.x);
    // The "·" between them stands in the middle, a space each side (no link's margin widening the gap before it).
    const dot = await documents.getByTestId("statement-link").evaluate((element) => {
      const range = element.ownerDocument.createRange();
      range.setStart(element.nextSibling, 1);
      range.setEnd(element.nextSibling, 2);
      const box = range.getBoundingClientRect();
      return { text: range.toString(), left: box.left, right: box.right };
    });
    expect(dot.text).toBe("·");
    const before = dot.left - (pdfBox!.x + pdfBox!.width);
    const after = xlsxBox!.x - dot.right;
    expect(Math.abs(before - after)).toBeLessThanOrEqual(2);

    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("statement-AKTAU-2026-01-05.xlsx");
    const bytes = await bytesOf(download);
    expect(bytes.subarray(0, 4).toString("latin1")).toBe(ZIP_MAGIC);
    const workbook = await workbookOf(bytes);
    expect(String(workbook.getWorksheet("Summary")!.getRow(2).getCell(2).value)).toMatch(/\(AKTAU\)$/);
    const trades = workbook.getWorksheet("Trades")!;
    expect(trades.getRow(2).getCell(1).value).toBe("AKTAU-1");
    expect(trades.getRow(2).getCell(2).value).toBe(tradeId);
    expect(trades.getRow(2).getCell(8).value).toBe(2);

    for (const [language, said, sheet] of [
      ["ru", "Выписка участника (XLSX)", "Сделки"],
      ["kk", "Қатысушының үзінді көшірмесі (XLSX)", "Мәмілелер"],
    ] as const) {
      await page.locator("label.language select").selectOption(language);
      await expect.poll(() => link.textContent(), { timeout: LIVE_MS }).toBe(said);
      await expect
        .poll(() => link.getAttribute("href"), { timeout: LIVE_MS })
        .toBe(`/api/accounts/AKTAU-1/statements/2026-01-05/xlsx?scope=member&lang=${language}`);
      const [inLanguage] = await Promise.all([page.waitForEvent("download"), link.click()]);
      const translated = await workbookOf(await bytesOf(inLanguage));
      expect(translated.getWorksheet(sheet)!.getRow(2).getCell(2).value).toBe(tradeId);
    }
    await page.locator("label.language select").selectOption("en");
    expect(suite.pageErrors).toEqual([]);
  });

  it("a day the exchange refuses is said under the links, and nothing is saved", async () => {
    const documents = page.getByTestId("documents");
    const downloads: string[] = [];
    page.on("download", (download) => downloads.push(download.suggestedFilename()));
    await documents.locator("input[name=statementDate]").fill("2030-01-01");
    await documents.getByTestId("statement-xlsx-link").click();
    await expect
      .poll(() => page.locator("#documents-error").textContent(), { timeout: LIVE_MS })
      .toMatch(/^There is no statement for 2030-01-01 yet/);
    await documents.locator("input[name=statementDate]").fill("");
    await documents.getByTestId("statement-xlsx-link").click();
    expect(await page.locator("#documents-error").textContent()).toBe(
      "Choose the statement's day: a date as day, month and year, today or earlier.",
    );
    expect(downloads).toEqual([]);
  });

  it("a broker downloads its client's statement alone as XLSX", async () => {
    const seller = await suite.server.login("kazgpz-trader");
    await suite.server.call(seller, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "xlsx-s-2",
      side: "sell",
      price: 13_300_000,
      quantity: 2_000,
    });
    const broker = await suite.open("/login");
    await signInOn(broker, "broker-trader");
    if (!broker.url().endsWith("/terminal")) await broker.goto(`${suite.server.url}/terminal`);
    await expect.poll(() => broker.getByTestId("account-picker").inputValue(), { timeout: LIVE_MS }).toBe("BROKER-C1");
    await fillOnTicket(broker, "133000", "2");
    const link = broker.getByTestId("documents").getByTestId("client-statement-xlsx-link");
    await expect
      .poll(() => link.textContent(), { timeout: LIVE_MS })
      .toBe("Statement of the client Mangystau autogas alone (XLSX)");
    await expect
      .poll(() => link.getAttribute("href"), { timeout: LIVE_MS })
      .toBe("/api/accounts/BROKER-C1/statements/2026-01-05/xlsx?scope=account&lang=en");
    const [download] = await Promise.all([broker.waitForEvent("download"), link.click()]);
    const bytes = await bytesOf(download);
    expect(bytes.subarray(0, 4).toString("latin1")).toBe(ZIP_MAGIC);
    const trades = (await workbookOf(bytes)).getWorksheet("Trades")!;
    expect(trades.getRow(2).getCell(1).value).toBe("BROKER-C1");
    expect(suite.pageErrors).toEqual([]);
  });
});
