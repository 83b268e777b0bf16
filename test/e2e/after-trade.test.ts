/**
 * After the trade, in a real browser against a real exchange: a fill appears under the header's notification bell as
 * it happens (the stream's notifications channel), is marked read there and reads back read through the API; the
 * member's notification settings are saved from the Account page; the buyer confirms a shipment's arrival at its
 * station from the terminal and the API shows the arrival; the trade's contract and the member's statement download
 * from the terminal as PDF; the documents, obligations, fills and shipments lists page 20 at a time; over 1,000 open
 * purchases the balances panel's deposit is the exchange's exact figure.
 *
 * The scenarios share one server and run in order.
 */

import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { tengeOfTiyn } from "../../web/src/format.ts";
import { INSTRUMENT, type Session } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("after-the-trade end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };

describe.skipIf(!run)("after the trade in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;
  let buyer: Page;
  let buyerApi: Session;
  let sellerApi: Session;
  let tradeId = "";
  let obligation = "";

  it("a fill appears under the bell as it happens; marked read there, the API reads it read", async () => {
    buyerApi = await suite.server.login("aktau-trader");
    sellerApi = await suite.server.login("kazgpz-trader");
    buyer = await signIn("aktau-trader", "/terminal");
    const bell = buyer.getByTestId("notification-bell");
    await bell.waitFor({ timeout: LIVE_MS });
    expect(await buyer.getByTestId("notification-unread").count()).toBe(0);
    await bell.click();
    await expect
      .poll(() => buyer.locator("#notification-list").textContent(), { timeout: LIVE_MS })
      .toContain("No notifications yet.");

    const sell = await suite.server.call(sellerApi, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "after-s-1",
      side: "sell",
      price: 13_300_000,
      quantity: 20_000,
    });
    expect(sell.status).toBe(201);
    const buy = await suite.server.call(buyerApi, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "after-b-1",
      side: "buy",
      price: 13_300_000,
      quantity: 20_000,
    });
    expect(buy.status).toBe(201);
    tradeId = buy.body.trades[0].tradeId;
    obligation = `OB-${tradeId.slice(2)}`;

    // Live: the count and the list update without a reload.
    await expect.poll(() => buyer.getByTestId("notification-unread").textContent(), { timeout: LIVE_MS }).toBe("1");
    const item = buyer.getByTestId("notification").first();
    await expect
      .poll(() => item.textContent(), { timeout: LIVE_MS })
      .toContain(`Your order on account AKTAU-1 bought 20 t of ${INSTRUMENT} at 133,000 ₸/t (trade ${tradeId}).`);
    expect(await item.getAttribute("data-kind")).toBe("fill");
    const id = (await item.getAttribute("data-id")) ?? "";
    expect(id).toBe(`N-${buy.body.seq}-1`);

    await item.getByRole("button", { name: "Mark read" }).click();
    await expect.poll(() => buyer.getByTestId("notification-unread").count(), { timeout: LIVE_MS }).toBe(0);
    expect(await item.textContent()).toContain("Read");
    const api = await suite.server.call(buyerApi, "GET", "/api/notifications");
    expect(api.body.unread).toBe(0);
    expect(api.body.notifications.map((n: { id: string; read: boolean }) => [n.id, n.read])).toEqual([[id, true]]);
    await bell.click();
  });

  it("saves the member's notification settings from the Account page", async () => {
    await buyer.getByTestId("who").click();
    const form = buyer.getByTestId("notification-settings");
    await form.waitFor({ timeout: LIVE_MS });
    await expect.poll(() => form.locator("input[name=web-fill]").isChecked(), { timeout: LIVE_MS }).toBe(true);
    await form.locator("input[name=web-shortfall]").uncheck();
    await form.locator("input[name=mail-deadline]").check();
    await form.locator("input[name=mail-default]").check();
    // E-mail ticked with no address: refused in the page, nothing saved.
    const before = (await suite.server.call(buyerApi, "GET", "/api/notifications/preferences")).body;
    await form.getByLabel("E-mail address").fill("");
    await form.getByRole("button", { name: "Save notification settings" }).click();
    expect(await buyer.locator("#notification-settings-error").textContent()).toBe(
      "E-mail is ticked for some notifications, but no address is given: give the address, or untick e-mail.",
    );
    expect((await suite.server.call(buyerApi, "GET", "/api/notifications/preferences")).body).toEqual(before);
    // Not an address: said in words in the page (not the exchange's "'email' ... null or ..."), nothing saved.
    await form.getByLabel("E-mail address").fill("a@b");
    await form.getByRole("button", { name: "Save notification settings" }).click();
    expect(await buyer.locator("#notification-settings-error").textContent()).toBe(
      "The e-mail address “a@b” is not an address like name@example.kz: correct it, or leave it empty.",
    );
    // The value is quoted in each language, so an address with spaces does not run into the sentence.
    await form.getByLabel("E-mail address").fill("desk aktau");
    for (const [code, said] of [
      [
        "kk",
        "«desk aktau» электрондық пошта мекенжайы name@example.kz түріндегі мекенжай емес: оны түзетіңіз немесе бос қалдырыңыз.",
      ],
      [
        "ru",
        "Адрес электронной почты «desk aktau» не похож на адрес вида name@example.kz: исправьте его или оставьте поле пустым.",
      ],
    ] as const) {
      await buyer.locator("label.language select").selectOption(code);
      await form.locator("button[type=submit]").click();
      await expect
        .poll(() => buyer.locator("#notification-settings-error").textContent(), { timeout: LIVE_MS })
        .toBe(said);
    }
    await buyer.locator("label.language select").selectOption("en");
    expect((await suite.server.call(buyerApi, "GET", "/api/notifications/preferences")).body).toEqual(before);
    await form.getByLabel("E-mail address").fill("desk@aktau.kz");
    await form.getByLabel("Language of the e-mails").selectOption("kk");
    await form.getByRole("button", { name: "Save notification settings" }).click();
    await buyer.getByTestId("notification-settings-saved").waitFor({ timeout: LIVE_MS });
    const saved = await suite.server.call(buyerApi, "GET", "/api/notifications/preferences");
    expect(saved.body).toEqual({
      web: ["fill", "cancel", "deadline", "default", "deal", "void"],
      mail: ["deadline", "default"],
      email: "desk@aktau.kz",
      language: "kk",
    });
  });

  it("the buyer confirms an arrival at its station from the terminal; the API shows the arrival", async () => {
    const dispatched = await suite.server.call(sellerApi, "POST", "/api/accounts/KAZGPZ-1/shipments", {
      obligation,
      vehicle: "123 ABC 12",
      waybill: "TTN-000123",
      quantityKg: 20_000,
      date: "2026-01-05",
    });
    expect(dispatched.status).toBe(201);
    const shipment: string = dispatched.body.shipment.shipment;

    await buyer.goto(`${suite.server.url}/terminal`);
    const form = buyer.getByTestId("arrival-form");
    await form.waitFor({ timeout: LIVE_MS });
    // No station of the buyer's yet: the page says why it cannot confirm, and who can change that.
    const noStation = form.getByTestId("no-station");
    await expect
      .poll(() => noStation.textContent(), { timeout: LIVE_MS })
      .toBe(
        "No station or depot of your member is registered, so an arrival cannot be confirmed yet: the exchange's operator registers them, with the document it checked.",
      );
    expect(await form.getByRole("button", { name: "Confirm arrival" }).isDisabled()).toBe(true);
    const operator = await suite.server.login("operator");
    const station = await suite.server.call(operator, "POST", "/api/admin/stations", {
      station: "AKTAU-ST-01",
      member: "AKTAU",
      name: "Aktau station 1",
      region: "MANGYSTAU",
      document: "REG-2025-117",
    });
    expect(station.status).toBe(201);
    await buyer.reload();
    await form.waitFor({ timeout: LIVE_MS });
    await expect.poll(() => form.locator("select[name=station] option").count(), { timeout: LIVE_MS }).toBe(1);
    expect(await noStation.count()).toBe(0);
    expect(await form.locator("select[name=shipment]").inputValue()).toBe(shipment);
    await form.locator("select[name=station]").selectOption("AKTAU-ST-01");
    // The region in words, not its code.
    expect(await form.locator("select[name=station] option").textContent()).toBe(
      "Aktau station 1 (AKTAU-ST-01, Mangystau)",
    );
    await form.getByRole("button", { name: "Confirm arrival" }).click();
    const row = buyer.locator(`[data-shipment="${shipment}"]`).getByTestId("shipment-arrival");
    // The station as registered, with its id; and the confirmation said once the form has gone.
    await expect
      .poll(() => row.textContent(), { timeout: LIVE_MS })
      .toContain("Arrived at Aktau station 1 (AKTAU-ST-01)");
    await expect.poll(() => form.count(), { timeout: LIVE_MS }).toBe(0);
    expect(await buyer.getByTestId("arrival-done").textContent()).toBe(
      `The arrival of ${shipment} at Aktau station 1 (AKTAU-ST-01) is confirmed.`,
    );

    const shipments = await suite.server.call(
      buyerApi,
      "GET",
      `/api/accounts/AKTAU-1/shipments?obligation=${obligation}`,
    );
    expect(shipments.body.shipments).toHaveLength(1);
    expect(shipments.body.shipments[0]).toMatchObject({
      shipment,
      station: "AKTAU-ST-01",
      stationRegion: "MANGYSTAU",
      arrivedMs: suite.server.nowMs,
      diversion: [],
    });
    const obligations = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/obligations");
    expect(obligations.body.obligations.find((o: { id: string }) => o.id === obligation).delivered).toBe(true);
  });

  it("downloads the trade's contract and the member's statement as PDF from the terminal", async () => {
    const documents = buyer.getByTestId("documents");
    const contractLink = documents.getByTestId("contract-link").first();
    await contractLink.waitFor({ timeout: LIVE_MS });
    expect(await contractLink.textContent()).toBe(`Contract for trade ${tradeId} (PDF)`);
    const [contract] = await Promise.all([buyer.waitForEvent("download"), contractLink.click()]);
    expect(contract.suggestedFilename()).toMatch(/-en\.pdf$/);
    const contractBytes = readFileSync(await contract.path());
    expect(contractBytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    // The same bytes the API gives for the trade's English contract.
    const fromApi = await fetch(`${suite.server.url}/api/accounts/AKTAU-1/contracts/${tradeId}/pdf?lang=en`, {
      headers: { cookie: buyerApi.cookie },
    });
    expect(Buffer.from(await fromApi.arrayBuffer()).equals(contractBytes)).toBe(true);

    const statementDate = documents.locator("input[name=statementDate]");
    await expect.poll(() => statementDate.inputValue(), { timeout: LIVE_MS }).toBe("2026-01-05");
    const statementLink = documents.getByTestId("statement-link");
    await expect
      .poll(() => statementLink.getAttribute("href"), { timeout: LIVE_MS })
      .toBe("/api/accounts/AKTAU-1/statements/2026-01-05/pdf?scope=member&lang=en");
    const [statement] = await Promise.all([buyer.waitForEvent("download"), statementLink.click()]);
    const statementBytes = readFileSync(await statement.path());
    expect(statementBytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(statementBytes.length).toBeGreaterThan(1000);
    expect(statement.suggestedFilename()).toBe("statement-AKTAU-2026-01-05.pdf");
    // The day's e-invoices beside the statement: the file the API gives for that day, saved under its name.
    const einvoicesLink = documents.getByTestId("einvoices-link");
    expect(await einvoicesLink.getAttribute("href")).toBe(
      "/api/accounts/AKTAU-1/einvoices?from=2026-01-05&to=2026-01-05",
    );
    const [einvoices] = await Promise.all([buyer.waitForEvent("download"), einvoicesLink.click()]);
    const einvoiceBytes = readFileSync(await einvoices.path());
    const einvoicesFromApi = await fetch(
      `${suite.server.url}/api/accounts/AKTAU-1/einvoices?from=2026-01-05&to=2026-01-05`,
      {
        headers: { cookie: buyerApi.cookie },
      },
    );
    const einvoiceText = await einvoicesFromApi.text();
    // The test's members have no BIN: the day's delivery is counted as one without, as the export says.
    expect(einvoiceText).toContain('<invoices xmlns="urn:sauda:esf:1" member="AKTAU" count="0" withoutBin="1"/>');
    expect(einvoiceBytes.toString("utf8")).toBe(einvoiceText);
    expect(einvoices.suggestedFilename()).toBe("esf-AKTAU.xml");
    expect(pageErrors).toEqual([]);
  });

  it("a statement the exchange refuses is said under the links, not saved as a file of JSON", async () => {
    const documents = buyer.getByTestId("documents");
    const downloads: string[] = [];
    buyer.on("download", (download) => downloads.push(download.suggestedFilename()));
    const statementDate = documents.locator("input[name=statementDate]");
    const error = buyer.locator("#documents-error");
    // A day after the exchange's today: the exchange's refusal, in words.
    await statementDate.fill("2030-01-01");
    await documents.getByTestId("statement-link").click();
    await expect
      .poll(() => error.textContent(), { timeout: LIVE_MS })
      .toMatch(
        /^There is no statement for 2030-01-01 yet: that day is after today, \d{4}-\d\d-\d\d, in Kazakhstan time\.$/,
      );
    expect(await error.isVisible()).toBe(true);
    // No day at all: said in the page, nothing asked of the exchange.
    await statementDate.fill("");
    expect(await error.isVisible()).toBe(false);
    await documents.getByTestId("statement-link").click();
    expect(await error.textContent()).toBe(
      "Choose the statement's day: a date as day, month and year, today or earlier.",
    );
    expect(await statementDate.getAttribute("aria-invalid")).toBe("true");
    // In Kazakh the exchange's sentence comes in Kazakh.
    await buyer.locator("label.language select").selectOption("kk");
    await statementDate.fill("2030-01-01");
    await documents.getByTestId("statement-link").click();
    await expect
      .poll(() => error.textContent(), { timeout: LIVE_MS })
      .toContain("01.01.2030 күнгі үзінді көшірме әлі жоқ");
    await buyer.locator("label.language select").selectOption("en");
    expect(downloads).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("the documents list pages its contracts, newest first as the API lists them, with a button for more", async () => {
    // 25 more trades: 26 contracts for the buyer's account, more than one page (20) of the list.
    for (let i = 0; i < 25; i++) {
      suite.server.nowMs += 1000;
      const order = { instrument: INSTRUMENT, price: 13_300_000, quantity: 1_000 };
      const sell = await suite.server.call(sellerApi, "POST", "/api/orders", {
        ...order,
        account: "KAZGPZ-1",
        clientOrderId: `docs-s-${i}`,
        side: "sell",
      });
      expect(sell.status).toBe(201);
      const buy = await suite.server.call(buyerApi, "POST", "/api/orders", {
        ...order,
        account: "AKTAU-1",
        clientOrderId: `docs-b-${i}`,
        side: "buy",
      });
      expect(buy.body.trades).toHaveLength(1);
    }
    const listed = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/obligations?limit=1000");
    const newestFirst = listed.body.obligations.map((o: { tradeId: string }) => o.tradeId) as string[];
    expect(newestFirst).toHaveLength(26);
    expect(newestFirst.at(-1)).toBe(tradeId);

    const page = await signIn("aktau-trader", "/terminal");
    const documents = page.getByTestId("documents");
    const links = documents.getByTestId("contract-link");
    const shownTrades = async () => (await links.allTextContents()).map((text) => /\bT-\S+/.exec(text)?.[0] ?? text);
    await expect.poll(() => links.count(), { timeout: LIVE_MS }).toBe(20);
    expect(await shownTrades()).toEqual(newestFirst.slice(0, 20));
    expect(await documents.getByTestId("documents-shown").textContent()).toBe(
      "Contracts of the newest 20 trades shown. Show 20 more",
    );
    // In Kazakh, the same list and its button.
    await page.locator("label.language select").selectOption("kk");
    expect(await documents.getByTestId("documents-more").textContent()).toBe("Тағы 20 көрсету");
    await documents.getByTestId("documents-more").click();
    await expect.poll(() => links.count(), { timeout: LIVE_MS }).toBe(26);
    expect(await shownTrades()).toEqual(newestFirst);
    expect(await documents.getByTestId("documents-more").count()).toBe(0);
    expect(await documents.getByTestId("documents-shown").textContent()).toBe(
      "Барлық мәмілелер бойынша шарттар (26), алдымен жаңалары.",
    );
    // The oldest contract, on the second page, downloads as the API gives it.
    const oldest = links.last();
    expect(await oldest.getAttribute("href")).toBe(`/api/accounts/AKTAU-1/contracts/${tradeId}/pdf?lang=kk`);
    const [contract] = await Promise.all([page.waitForEvent("download"), oldest.click()]);
    const fromApi = await fetch(`${suite.server.url}/api/accounts/AKTAU-1/contracts/${tradeId}/pdf?lang=kk`, {
      headers: { cookie: buyerApi.cookie },
    });
    expect(Buffer.from(await fromApi.arrayBuffer()).equals(readFileSync(await contract.path()))).toBe(true);
    await page.locator("label.language select").selectOption("en");
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it("the obligations table pages as the documents list does: the newest 20, then the rest, as the API lists them", async () => {
    // The 26 trades of the scenario before: 26 obligations for the buyer's account, more than one page (20).
    const listed = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/obligations?limit=1000");
    const newestFirst = listed.body.obligations.map((o: { id: string }) => o.id) as string[];
    expect(newestFirst).toHaveLength(26);
    expect(newestFirst.at(-1)).toBe(obligation);

    const page = await signIn("aktau-trader", "/terminal");
    const panel = page.locator("section", { has: page.getByTestId("obligations") });
    const ids = panel.locator("table[data-testid=obligations] tbody tr.obligation td:first-child");
    await expect.poll(() => ids.count(), { timeout: LIVE_MS }).toBe(20);
    expect(await ids.allTextContents()).toEqual(newestFirst.slice(0, 20));
    expect(await panel.getByTestId("obligations-shown").textContent()).toBe(
      "The newest 20 obligations shown. Show 20 more",
    );
    // In Russian, the button; pressed, the second page.
    await page.locator("label.language select").selectOption("ru");
    const more = panel.getByTestId("obligations-more");
    expect(await more.textContent()).toBe("Показать ещё 20");
    await more.click();
    await expect.poll(() => ids.count(), { timeout: LIVE_MS }).toBe(26);
    expect(await ids.allTextContents()).toEqual(newestFirst);
    expect(await more.count()).toBe(0);
    expect(await panel.getByTestId("obligations-shown").textContent()).toBe("Все обязательства (26), сначала новые.");
    // In Kazakh, the same list, all of it.
    await page.locator("label.language select").selectOption("kk");
    await expect
      .poll(() => panel.getByTestId("obligations-shown").textContent(), { timeout: LIVE_MS })
      .toBe("Барлық міндеттемелер (26), алдымен жаңалары.");
    expect(await ids.count()).toBe(26);
    await page.locator("label.language select").selectOption("en");
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it("the fills table pages as the obligations table does: the newest 20, then the rest, as the API lists them", async () => {
    // The 26 trades before: 26 fills of the buyer's account, more than one page (20).
    const listed = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/fills?limit=1000");
    const newestFirst = listed.body.fills.map((f: { tradeId: string }) => f.tradeId) as string[];
    expect(newestFirst).toHaveLength(26);
    expect(newestFirst.at(-1)).toBe(tradeId);

    const page = await signIn("aktau-trader", "/terminal");
    const panel = page.locator("section", { has: page.getByTestId("fills") });
    const rows = panel.locator("table[data-testid=fills] tbody tr.fill");
    const shownTrades = async () =>
      Promise.all((await rows.all()).map(async (row) => (await row.getAttribute("data-fill")) ?? ""));
    await expect.poll(() => rows.count(), { timeout: LIVE_MS }).toBe(20);
    expect(await shownTrades()).toEqual(newestFirst.slice(0, 20));
    expect(await panel.getByTestId("fills-shown").textContent()).toBe("The newest 20 fills shown. Show 20 more");
    // In Russian, the button; pressed, the second page.
    await page.locator("label.language select").selectOption("ru");
    const more = panel.getByTestId("fills-more");
    expect(await more.textContent()).toBe("Показать ещё 20");
    await more.click();
    await expect.poll(() => rows.count(), { timeout: LIVE_MS }).toBe(26);
    expect(await shownTrades()).toEqual(newestFirst);
    expect(await more.count()).toBe(0);
    expect(await panel.getByTestId("fills-shown").textContent()).toBe("Все исполнения (26), сначала новые.");
    // In Kazakh, the same list, all of it.
    await page.locator("label.language select").selectOption("kk");
    await expect
      .poll(() => panel.getByTestId("fills-shown").textContent(), { timeout: LIVE_MS })
      .toBe("Барлық орындалулар (26), алдымен жаңалары.");
    expect(await rows.count()).toBe(26);
    await page.locator("label.language select").selectOption("en");
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it("with more than 50 open obligations the dispatch form offers the oldest; the seller's panel holds no deposit", async () => {
    // 30 more trades: 56 obligations for each side, more than the 50 the terminal once read for these panels.
    for (let i = 0; i < 30; i++) {
      suite.server.nowMs += 1000;
      const order = { instrument: INSTRUMENT, price: 13_300_000, quantity: 1_000 };
      const sell = await suite.server.call(sellerApi, "POST", "/api/orders", {
        ...order,
        account: "KAZGPZ-1",
        clientOrderId: `many-s-${i}`,
        side: "sell",
      });
      expect(sell.status).toBe(201);
      const buy = await suite.server.call(buyerApi, "POST", "/api/orders", {
        ...order,
        account: "AKTAU-1",
        clientOrderId: `many-b-${i}`,
        side: "buy",
      });
      expect(buy.body.trades).toHaveLength(1);
    }
    type Listed = { id: string; status: string; delivered: boolean; collateralTiyn: string };
    const listed = await suite.server.call(
      sellerApi,
      "GET",
      "/api/accounts/KAZGPZ-1/obligations?status=open&limit=1000",
    );
    const open = listed.body.obligations as Listed[];
    expect(open.length).toBeGreaterThan(50);
    const toShip = open.filter((o) => !o.delivered).map((o) => o.id);
    expect(toShip.length).toBeGreaterThan(50);

    // Half a tonne of the oldest shipped, then 50 shipments of others: the account's newest 50 leave it out.
    const oldest = toShip.at(-1) ?? "";
    const ship = async (obligation: string, quantityKg: number, waybill: string) => {
      const answer = await suite.server.call(sellerApi, "POST", "/api/accounts/KAZGPZ-1/shipments", {
        obligation,
        vehicle: "456 DEF 02",
        waybill,
        quantityKg,
        date: "2026-01-05",
      });
      expect(answer.status).toBe(201);
    };
    await ship(oldest, 500, "TTN-000900");
    for (let i = 0; i < 50; i++) await ship(toShip[i] ?? "", 1, `TTN-0009${10 + i}`);

    const seller = await signIn("kazgpz-trader", "/terminal");
    // The guarantee deposit is the buyer's (src/engine/clearing.ts): the seller's open sales hold none of it, as the
    // API says, however many they are.
    const held = (await suite.server.call(sellerApi, "GET", "/api/accounts/KAZGPZ-1/balances")).body;
    expect([held.openPurchases, held.collateralTiyn]).toEqual([0, "0"]);
    await expect
      .poll(() => seller.getByTestId("collateral").textContent(), { timeout: LIVE_MS })
      .toBe("Guarantee deposit held for your open purchases (0): 0.00 ₸.");
    const form = seller.getByTestId("dispatch-form");
    await form.waitFor({ timeout: LIVE_MS });
    const options = form.locator("select[name=obligation] option");
    await expect.poll(() => options.count(), { timeout: LIVE_MS }).toBe(toShip.length);
    expect((await options.allTextContents()).map((text) => text.split(" · ")[0])).toEqual(toShip);
    // The oldest one to ship, beyond the newest 50, is dispatched from the form; the API reads the shipment back.
    await form.locator("select[name=obligation]").selectOption(oldest);
    await expect
      .poll(() => seller.getByTestId("dispatch-left").textContent(), { timeout: LIVE_MS })
      .toContain("0.5 t of 1 t not yet dispatched");
    await form.locator("[name=vehicle]").fill("456 DEF 02");
    await form.locator("[name=waybill]").fill("TTN-001000");
    await form.locator("[name=quantity]").fill("0.5");
    await form.locator("[name=date]").fill("2026-01-05");
    await form.getByRole("button", { name: "Record shipment" }).click();
    await expect
      .poll(() => seller.getByTestId("dispatch-done").textContent(), { timeout: LIVE_MS })
      .toBe(`Shipment ${oldest}/S2 recorded: 1 t of 1 t dispatched, 0 t arrived.`);
    const shipments = await suite.server.call(
      sellerApi,
      "GET",
      `/api/accounts/KAZGPZ-1/shipments?obligation=${oldest}`,
    );
    expect(shipments.body.shipments).toMatchObject([
      { shipment: `${oldest}/S1`, quantityKg: 500, waybill: "TTN-000900" },
      { shipment: `${oldest}/S2`, quantityKg: 500, vehicle: "456 DEF 02", waybill: "TTN-001000", date: "2026-01-05" },
    ]);
    await seller.close();
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("the buyer's shipments table pages as the documents list does; the arrival form offers the oldest on its way", async () => {
    // The scenarios before: 53 shipments to the buyer's account, newest first, more than the 50 once shown.
    type Listed = { shipment: string; buyer: string; arrivedMs: number | null; station: string | null };
    const listed = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/shipments?limit=1000");
    const newestFirst = (listed.body.shipments as Listed[]).map((s) => s.shipment);
    expect(newestFirst.length).toBeGreaterThan(50);
    const onTheWay = (listed.body.shipments as Listed[]).filter((s) => s.arrivedMs === null).map((s) => s.shipment);
    const oldestOnTheWay = onTheWay.at(-1) ?? "";
    expect(newestFirst.indexOf(oldestOnTheWay)).toBeGreaterThanOrEqual(50);

    const page = await signIn("aktau-trader", "/terminal");
    const panel = page.getByTestId("deliveries");
    const rows = panel.locator("table[data-testid=shipments] tbody tr");
    const shown = async () => await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-shipment")));
    await expect.poll(() => rows.count(), { timeout: LIVE_MS }).toBe(20);
    expect(await shown()).toEqual(newestFirst.slice(0, 20));
    expect(await panel.getByTestId("shipments-shown").textContent()).toBe(
      "The newest 20 shipments shown. Show 20 more",
    );
    // In Russian, the button; pressed, the second page.
    await page.locator("label.language select").selectOption("ru");
    const more = panel.getByTestId("shipments-more");
    expect(await more.textContent()).toBe("Показать ещё 20");
    await more.click();
    await expect.poll(() => rows.count(), { timeout: LIVE_MS }).toBe(40);
    expect(await shown()).toEqual(newestFirst.slice(0, 40));
    expect(await panel.getByTestId("shipments-shown").textContent()).toBe(
      "Показаны последние отгрузки: 40. Показать ещё 20",
    );
    // In Kazakh, the rest: all of them, and no button.
    await page.locator("label.language select").selectOption("kk");
    await panel.getByTestId("shipments-more").click();
    await expect.poll(() => rows.count(), { timeout: LIVE_MS }).toBe(newestFirst.length);
    expect(await shown()).toEqual(newestFirst);
    expect(await panel.getByTestId("shipments-more").count()).toBe(0);
    expect(await panel.getByTestId("shipments-shown").textContent()).toBe(
      `Барлық жөнелтілімдер (${newestFirst.length}), алдымен жаңалары.`,
    );
    await page.locator("label.language select").selectOption("en");

    // The arrival form offers every shipment on its way, the oldest too; confirmed there, the API reads it arrived.
    const form = panel.getByTestId("arrival-form");
    const choices = form.locator("select[name=shipment] option");
    await expect.poll(() => choices.count(), { timeout: LIVE_MS }).toBe(onTheWay.length);
    expect(await choices.evaluateAll((options) => options.map((o) => o.getAttribute("value")))).toEqual(onTheWay);
    await form.locator("select[name=shipment]").selectOption(oldestOnTheWay);
    await form.locator("select[name=station]").selectOption("AKTAU-ST-01");
    await form.getByRole("button", { name: "Confirm arrival" }).click();
    await expect.poll(() => choices.count(), { timeout: LIVE_MS }).toBe(onTheWay.length - 1);
    const row = panel.locator(`[data-shipment="${oldestOnTheWay}"]`).getByTestId("shipment-arrival");
    await expect
      .poll(() => row.textContent(), { timeout: LIVE_MS })
      .toContain("Arrived at Aktau station 1 (AKTAU-ST-01)");
    const obligationOfOldest = oldestOnTheWay.replace(/\/S\d+$/, "");
    const readBack = await suite.server.call(
      buyerApi,
      "GET",
      `/api/accounts/AKTAU-1/shipments?obligation=${obligationOfOldest}`,
    );
    expect(readBack.body.shipments.find((s: Listed) => s.shipment === oldestOnTheWay)).toMatchObject({
      station: "AKTAU-ST-01",
      arrivedMs: suite.server.nowMs,
    });
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it("over 1,000 open purchases the balances panel's deposit is the exchange's exact figure, not a capped list's sum", async () => {
    type Listed = { id: string; collateralTiyn: string };
    const sum = (list: readonly Listed[]) => list.reduce((total, o) => total + BigInt(o.collateralTiyn), 0n);
    const openNow = (
      await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/obligations?status=open&limit=1000")
    ).body.obligations as Listed[];
    const heldBefore = sum(openNow);
    expect(openNow.length).toBeLessThan(1000);
    // 1,000 - (open now) + 50 more one-tonne purchases, entered straight into the exchange (as a program would, only
    // faster): one bid of that many tonnes, taken by as many one-tonne offers, each its own trade and obligation.
    const added = 1000 - openNow.length + 50;
    suite.server.nowMs += 1000;
    const bid = await suite.server.exchange.submit({
      type: "order.new",
      instrument: INSTRUMENT,
      orderId: "bulk-b",
      account: "AKTAU-1",
      side: "buy",
      orderType: "limit",
      price: 13_300_000,
      quantity: added * 1000,
    });
    expect(bid.events.map((e) => e.type)).toContain("order.accepted");
    for (let from = 0; from < added; from += 50) {
      const offers = [];
      for (let i = from; i < Math.min(added, from + 50); i++) {
        offers.push(
          suite.server.exchange.submit({
            type: "order.new",
            instrument: INSTRUMENT,
            orderId: `bulk-s-${i}`,
            account: "KAZGPZ-1",
            side: "sell",
            orderType: "limit",
            price: 13_300_000,
            quantity: 1000,
          }),
        );
      }
      for (const outcome of await Promise.all(offers)) expect(outcome.events.map((e) => e.type)).toContain("trade");
    }
    const capped = (
      await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/obligations?status=open&limit=1000")
    ).body.obligations as Listed[];
    expect(capped).toHaveLength(1000);
    const eachTiyn = BigInt(capped[0]!.collateralTiyn);
    expect(eachTiyn).toBe(665_000n); // 5% of 133,000 ₸ for one tonne
    const exact = heldBefore + BigInt(added) * eachTiyn;
    // The list stops at 1,000: its sum, the figure the panel once showed, leaves out the oldest purchases.
    expect(sum(capped)).not.toBe(exact);
    const held = (await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/balances")).body;
    expect([held.openPurchases, held.collateralTiyn]).toEqual([openNow.length + added, exact.toString()]);

    const page = await signIn("aktau-trader", "/terminal");
    const collateral = page.getByTestId("collateral");
    await expect
      .poll(() => collateral.textContent(), { timeout: LIVE_MS })
      .toBe(
        `Guarantee deposit held for your open purchases (${openNow.length + added}): ${tengeOfTiyn(exact, "en")} ₸.`,
      );
    await page.locator("label.language select").selectOption("ru");
    expect(await collateral.textContent()).toBe(
      `Гарантийный взнос по вашим открытым покупкам (${openNow.length + added}): ${tengeOfTiyn(exact, "ru")} ₸.`,
    );
    await page.locator("label.language select").selectOption("kk");
    expect(await collateral.textContent()).toBe(
      `Ашық сатып алуларыңыз бойынша ұсталған кепілдік жарна (${openNow.length + added}): ${tengeOfTiyn(exact, "kk")} ₸.`,
    );
    await page.locator("label.language select").selectOption("en");
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("a trader opening the administrators' page is told whom it is for, in the page's language", async () => {
    await buyer.goto(`${suite.server.url}/users`);
    const reason = buyer.locator("#signin-reason");
    await expect
      .poll(() => reason.textContent(), { timeout: LIVE_MS })
      .toBe(
        "You are signed in as aktau-trader, trader; this page is for: administrator. Sign in as such a user to open it.",
      );
    await buyer.locator("label.language select").selectOption("ru");
    expect(await reason.textContent()).toBe(
      "Вы вошли как aktau-trader (трейдер); эта страница — для ролей: администратор. Чтобы открыть её, войдите под таким пользователем.",
    );
    await buyer.locator("label.language select").selectOption("en");
    expect(pageErrors).toEqual([]);
  });

  it("in Kazakh the button marks a notification read and says so; a read one says it is read", async () => {
    const buyerKk = await suite.server.login("aktau-trader");
    const sellerKk = await suite.server.login("kazgpz-trader");
    const page = await signIn("aktau-trader", "/terminal");
    await page.locator("label.language select").selectOption("kk");
    const buy = await suite.server.call(buyerKk, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "after-b-kk",
      side: "buy",
      price: 13_300_000,
      quantity: 1_000,
    });
    const sell = await suite.server.call(sellerKk, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "after-s-kk",
      side: "sell",
      price: 13_300_000,
      quantity: 1_000,
    });
    expect([buy.status, sell.status, sell.body.trades.length]).toEqual([201, 201, 1]);
    const trade = sell.body.trades[0].tradeId as string;
    await page.getByTestId("notification-bell").click();
    const item = page.getByTestId("notification").filter({ hasText: trade });
    await item.waitFor({ timeout: LIVE_MS });
    const id = (await item.getAttribute("data-id")) ?? "";
    // The action is named as an action, not with the word a read notification shows ("Оқылды": read).
    await item.getByRole("button", { name: "Оқылды деп белгілеу" }).click();
    await expect.poll(() => item.getByRole("button").count(), { timeout: LIVE_MS }).toBe(0);
    expect(await item.textContent()).toContain("Оқылды");
    const api = await suite.server.call(buyerKk, "GET", "/api/notifications");
    expect(api.body.notifications.find((n: { id: string }) => n.id === id)?.read).toBe(true);
    await page.locator("label.language select").selectOption("en");
    await page.close();
  });
});
