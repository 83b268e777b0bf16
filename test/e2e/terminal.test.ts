/**
 * The trading terminal in a real browser against a real exchange: the figures it shows are the API's (unit-named
 * fields read through the generated types), the ticket checks what is typed at the field, and what happens to the
 * member's orders is said on the terminal.
 *
 * The scenarios share one server and run in order: each starts from the market the previous one left.
 */

import { readFileSync } from "node:fs";
import type { Page, Request, WebSocketRoute } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../web/src/api/client.ts";
import { describeError, fieldOf } from "../../web/src/errors.ts";
import { tengePerTonne } from "../../web/src/format.ts";
import { interpolate, lookup } from "../../web/src/i18n/lookup.ts";
import { INSTRUMENT, PASSWORD, type Session } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("trading terminal end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };

describe.skipIf(!run)("trading terminal in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { open, pageErrors } = suite;

  const signIn = (user: string, path = "/terminal") => suite.signIn(user, path);

  const ticket = (page: Page) => page.locator(".ticket");
  const kkMessages: unknown = JSON.parse(readFileSync(new URL("../../web/src/i18n/kk.json", import.meta.url), "utf8"));
  let buyer: Page;
  let buyerApi: Session;

  it("shows the tick, the lot and what live orders block, from the API's unit-named fields", async () => {
    buyerApi = await suite.server.login("aktau-trader");
    // A resting bid of 10 t at 130,000 ₸/t blocks 5% guarantee deposit and 0.05% fee: 65,000 + 650 ₸.
    const placed = await suite.server.call(buyerApi, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "types-1",
      side: "buy",
      price: 13_000_000,
      quantity: 10_000,
    });
    expect(placed.status).toBe(201);
    buyer = await signIn("aktau-trader");
    const facts = buyer.getByTestId("ticket-facts");
    await expect.poll(() => facts.textContent(), { timeout: LIVE_MS }).toContain("Tick1 ₸/t");
    expect(await facts.textContent()).toContain("Lot1 t");
    const money = buyer.getByTestId("balances").locator("tbody tr").first();
    await expect.poll(() => money.locator("td").nth(1).textContent(), { timeout: LIVE_MS }).toBe("65,650.00 ₸");
  });

  it("the ticket sends good-till-date, post-only and self-trade prevention", async () => {
    const sellerApi = await suite.server.login("kazgpz-trader");
    const sell = await suite.server.call(sellerApi, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "ticket-s-1",
      side: "sell",
      price: 13_300_000,
      quantity: 5_000,
    });
    expect(sell.body.order.status).toBe("resting");

    // A post-only bid at the offer's price would trade at once, so the exchange cancels it instead.
    await buyer.locator(".ticket .sides label", { hasText: "Buy" }).click();
    await ticket(buyer).locator("input[name=price]").fill("133000");
    await ticket(buyer).locator("input[name=quantity]").fill("1");
    await ticket(buyer).locator("select").nth(1).selectOption("GTD");
    expect(await buyer.getByTestId("expire-refusal").textContent()).toBe(
      "Good till date needs the date and time it expires.",
    );
    expect(await ticket(buyer).locator("button[type=submit]").isDisabled()).toBe(true);
    // An expiry already past is refused at the field, in the reader's language, and nothing is sent. The refusal writes
    // the expiry to the minute as typed and as the exchange writes times (dd.MM.yyyy HH:mm; English in ISO order).
    const ordersBefore = (await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders?limit=100")).body
      .orders.length;
    const expireAt = ticket(buyer).locator("input[name=expireAt]");
    await expireAt.fill("2026-01-05T10:00");
    await expect
      .poll(() => buyer.getByTestId("expire-refusal").allTextContents(), { timeout: LIVE_MS })
      .toEqual(["The expiry 2026-01-05 10:00 (Kazakhstan time) has already passed: choose a later date and time."]);
    expect(await expireAt.getAttribute("aria-invalid")).toBe("true");
    expect(await ticket(buyer).locator("button[type=submit]").isDisabled()).toBe(true);
    for (const [language, said] of [
      ["ru", "Срок 05.01.2026 10:00 (время Казахстана) уже прошёл: укажите более поздние дату и время."],
      ["kk", "05.01.2026 10:00 (Қазақстан уақыты) мерзімі өтіп кетті: кейінірек күн мен уақытты көрсетіңіз."],
    ] as const) {
      await buyer.locator("label.language select").selectOption(language);
      await expect
        .poll(async () => (await buyer.getByTestId("expire-refusal").textContent())?.replace(/\s/g, " "), {
          timeout: LIVE_MS,
        })
        .toBe(said);
    }
    await buyer.locator("label.language select").selectOption("en");
    // Before 1 March 2024 too the refusal says the time as typed (UTC+5), not the hour later Asia/Almaty then kept.
    await expireAt.fill("2020-01-01T10:00");
    await expect
      .poll(() => buyer.getByTestId("expire-refusal").allTextContents(), { timeout: LIVE_MS })
      .toEqual(["The expiry 2020-01-01 10:00 (Kazakhstan time) has already passed: choose a later date and time."]);
    // Enter in the field does not send it either.
    await expireAt.press("Enter");
    expect(
      (await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders?limit=100")).body.orders.length,
    ).toBe(ordersBefore);
    // Ahead of both the exchange's clock (5 January 2026 in this test) and the browser's: a year from now.
    const ahead = new Date(Date.now() + 365 * 86_400_000 + 5 * 3_600_000).toISOString().slice(0, 16);
    await expireAt.fill(ahead);
    await expect.poll(() => buyer.getByTestId("expire-refusal").count(), { timeout: LIVE_MS }).toBe(0);
    await ticket(buyer).locator("input[name=postOnly]").check();
    await ticket(buyer).locator("select[name=stp]").selectOption("cancel-both");
    const [sent] = await Promise.all([
      buyer.waitForRequest((request) => request.url().endsWith("/api/orders") && request.method() === "POST"),
      ticket(buyer).locator("button[type=submit]").click(),
    ]);
    expect(sent.postDataJSON()).toMatchObject({
      side: "buy",
      price: 13_300_000,
      quantity: 1_000,
      tif: "GTD",
      expireAt: Date.parse(`${ahead}:00+05:00`),
      postOnly: true,
      stp: "cancel-both",
    });
    await expect
      .poll(() => buyer.getByTestId("ticket-result").textContent(), { timeout: LIVE_MS })
      .toContain("cancelled");
    const orders = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders?limit=5");
    const placed = orders.body.orders.find((o: { tif: string }) => o.tif === "GTD");
    expect(placed).toMatchObject({
      status: "cancelled",
      cancelReason: "post-only",
      expireAtMs: sent.postDataJSON().expireAt,
    });
    await ticket(buyer).locator("select").nth(1).selectOption("GTC");
    await ticket(buyer).locator("input[name=postOnly]").uncheck();
  });

  it("exports the member's own orders, fills and obligations as CSV, and explains what balances hold", async () => {
    const exports = buyer.getByTestId("exports");
    const [download] = await Promise.all([
      buyer.waitForEvent("download"),
      exports.getByRole("button", { name: "My orders (CSV)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("AKTAU-1-orders.csv");
    const text = readFileSync(await download.path(), "utf8");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe(
      "orderId,clientOrderId,instrument,side,orderType,tif,expireAt,priceTiynPerTonne,quantityKg,filledKg,openKg,cancelledKg,averageFillPriceTiynPerTonne,status,cancelReason,accepted,updated",
    );
    expect(lines.find((line) => line.includes(",types-1,"))).toContain(
      ",buy,limit,GTC,,13000000,10000,0,10000,0,,resting,,",
    );
    for (const [name, header] of [
      ["My fills (CSV)", "time,tradeId,orderId,instrument,side,priceTiynPerTonne,quantityKg,liquidity"],
      ["My obligations (CSV)", "id,tradeId,instrument,basis,buyer,seller,priceTiynPerTonne,quantityKg,valueTiyn"],
    ] as const) {
      const [file] = await Promise.all([buyer.waitForEvent("download"), exports.getByRole("button", { name }).click()]);
      expect(readFileSync(await file.path(), "utf8").startsWith(header)).toBe(true);
    }
    expect(await buyer.getByTestId("balances-explain").textContent()).toContain(
      "“Blocked for obligations” is everything your open trades hold until they settle",
    );
  });

  it("refuses a price off the tick and a quantity off the lot at the field, naming tick and lot", async () => {
    await ticket(buyer).locator("input[name=price]").fill("125000.5");
    await ticket(buyer).locator("input[name=quantity]").fill("1.5");
    await expect
      .poll(() => buyer.getByTestId("quantity-refusal").textContent(), { timeout: LIVE_MS })
      .toBe("Quantity 1.5 t is not a whole number of lots: quantities go in lots of 1 t, prices in steps of 1 ₸/t.");
    expect(await buyer.getByTestId("price-refusal").textContent()).toBe(
      "Price 125,000.50 ₸/t is off the tick: prices go in steps of 1 ₸/t, quantities in lots of 1 t.",
    );
    expect(await ticket(buyer).locator("button[type=submit]").isDisabled()).toBe(true);
    expect(await buyer.getByTestId("block-preview").textContent()).toContain("correct the price and quantity first");
    // On the grid again, the order can be sent.
    await ticket(buyer).locator("input[name=price]").fill("125000");
    await ticket(buyer).locator("input[name=quantity]").fill("2");
    await expect.poll(() => buyer.getByTestId("quantity-refusal").count(), { timeout: LIVE_MS }).toBe(0);
    expect(await ticket(buyer).locator("button[type=submit]").isDisabled()).toBe(false);
  });

  it("refuses a negative or too large price at the field naming the range the exchange takes, in the reader's language", async () => {
    const orders = async () =>
      (await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders?limit=100")).body.orders.length as number;
    const before = await orders();
    const listed = await suite.server.call(buyerApi, "GET", `/api/instruments/${INSTRUMENT}`);
    expect(listed.body.tickSizeTiynPerTonne).toBe(100);
    const band = listed.body.limits?.band ?? null;
    const price = ticket(buyer).locator("input[name=price]");
    await ticket(buyer).locator("input[name=quantity]").fill("1");
    // From one tick (1 ₸/t) to the API's bound (10,000,000 ₸/t), and today's band when the listing has one.
    const english =
      band === null
        ? "The price must be from 1 to 10,000,000 ₸/t."
        : `The price must be from 1 to 10,000,000 ₸/t; today's price band is ${(band.lowTiynPerTonne / 100).toLocaleString("en")}–${(band.highTiynPerTonne / 100).toLocaleString("en")} ₸/t.`;
    for (const typed of ["-5", "999999999999999", "0"]) {
      await price.fill(typed);
      await expect
        .poll(() => buyer.getByTestId("price-refusal").allTextContents(), { timeout: LIVE_MS })
        .toEqual([english]);
      expect(await ticket(buyer).locator("button[type=submit]").isDisabled()).toBe(true);
    }
    // Past the tiyn: too precise, said so (not the range, which it is inside).
    await price.fill("125000.555");
    await expect
      .poll(() => buyer.getByTestId("price-refusal").allTextContents(), { timeout: LIVE_MS })
      .toEqual(["“125000.555” has more than two decimals: a price in tenge per tonne goes down to the tiyn at most."]);
    expect(await ticket(buyer).locator("button[type=submit]").isDisabled()).toBe(true);
    // Not a number at all: asked for one.
    await price.fill("abc");
    await expect
      .poll(() => buyer.getByTestId("price-refusal").allTextContents(), { timeout: LIVE_MS })
      .toEqual(["Enter the price as a number of tenge per tonne, at most two decimals."]);
    // In Russian, the range in Russian, grouped the Russian way.
    await buyer.getByLabel("Language").selectOption("ru");
    await price.fill("-5");
    await expect
      .poll(() => buyer.getByTestId("price-refusal").textContent(), { timeout: LIVE_MS })
      .toMatch(/^Цена должна быть от 1 до 10\s000\s000 ₸\/т[.;]/);
    await buyer.getByLabel("Язык").first().selectOption("en");
    expect(await orders()).toBe(before);
    await price.fill("125000");
    await expect.poll(() => buyer.getByTestId("price-refusal").count(), { timeout: LIVE_MS }).toBe(0);
  });

  it("the amend row says why it cannot be sent at the field, as the ticket does; nothing changes at the exchange", async () => {
    const row = buyer.getByTestId("own-orders").locator("tr", { hasText: "types-1" });
    await row.getByRole("button", { name: "Amend" }).click();
    const form = buyer.locator("form.amend");
    const quantity = form.locator("input[name=amend-quantity]");
    const send = form.getByRole("button", { name: "Send amend" });
    const priceRefusals = () => form.getByTestId("amend-price-refusal").allTextContents();
    const quantityRefusals = () => form.getByTestId("amend-quantity-refusal").allTextContents();
    // As it opens, the row holds the order's own price and quantity: an amend that changes nothing, which the exchange
    // refuses (ORDER_AMEND_EMPTY), is said before it is sent, in the reader's language, and cannot be sent.
    const unchanged = form.getByTestId("amend-unchanged");
    await expect
      .poll(() => unchanged.textContent({ timeout: 1_000 }), { timeout: LIVE_MS })
      .toBe("The price and the quantity are the order's own: change one of them to amend it.");
    expect(await send.isDisabled()).toBe(true);
    const patches: string[] = [];
    const onRequest = (request: Request) => {
      if (request.method() === "PATCH") patches.push(request.url());
    };
    buyer.on("request", onRequest);
    await quantity.press("Enter");
    // The same price written another way is still the order's own.
    await form.locator("input[name=amend-price]").fill("130000.00");
    await quantity.fill("10");
    for (const [language, said] of [
      ["ru", "Цена и количество те же, что в заявке: измените одно из них, чтобы изменить заявку."],
      ["kk", "Баға мен саны өтінімдегідей: өтінімді өзгерту үшін олардың бірін өзгертіңіз."],
      ["en", "The price and the quantity are the order's own: change one of them to amend it."],
    ] as const) {
      await buyer.locator("label.language select").selectOption(language);
      await expect.poll(() => unchanged.textContent({ timeout: 1_000 }), { timeout: LIVE_MS }).toBe(said);
      expect(await form.locator("button[type=submit]").isDisabled()).toBe(true);
    }
    await quantity.fill("9");
    await expect.poll(() => unchanged.count(), { timeout: LIVE_MS }).toBe(0);
    expect(await send.isDisabled()).toBe(false);
    await quantity.fill("abc");
    await expect.poll(quantityRefusals, { timeout: LIVE_MS }).toEqual(["Enter the quantity as a number of tonnes."]);
    expect(await send.isDisabled()).toBe(true);
    // Emptied: the lot (1 t) named, not the API's bound of 1 kg.
    await quantity.fill("");
    await expect
      .poll(quantityRefusals, { timeout: LIVE_MS })
      .toEqual(["The open quantity must be a whole number of lots of 1 t: at least 1 t, at most 1,000,000 t."]);
    // Zero, a minus sign or part of a lot: the ticket's own sentences.
    for (const [typed, said] of [
      ["-3", "The quantity must be more than zero tonnes."],
      ["0", "The quantity must be more than zero tonnes."],
      ["0.5", "Quantity 0.5 t is not a whole number of lots: quantities go in lots of 1 t, prices in steps of 1 ₸/t."],
    ] as const) {
      await quantity.fill(typed);
      await expect.poll(quantityRefusals, { timeout: LIVE_MS }).toEqual([said]);
      expect(await send.isDisabled()).toBe(true);
    }
    await quantity.fill("10");
    await form.locator("input[name=amend-price]").fill("-3");
    await expect
      .poll(priceRefusals, { timeout: LIVE_MS })
      .toEqual([expect.stringMatching(/^The price must be from 1 to 10,000,000 ₸\/t[.;]/)]);
    expect(await quantityRefusals()).toEqual([]);
    expect(await send.isDisabled()).toBe(true);
    // At the least: one lot, a valid price: the button can be used.
    await form.locator("input[name=amend-price]").fill("130000");
    await quantity.fill("1");
    await expect.poll(priceRefusals, { timeout: LIVE_MS }).toEqual([]);
    expect(await quantityRefusals()).toEqual([]);
    expect(await send.isDisabled()).toBe(false);
    await form.getByRole("button", { name: "Keep as is" }).click();
    buyer.off("request", onRequest);
    expect(patches).toEqual([]);
    const read = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders/types-1");
    expect(read.body.order).toMatchObject({ status: "resting", openKg: 10_000, priceTiynPerTonne: 13_000_000 });
  });

  it("the amend row warns of today's band and refuses the regulator's most lots as the ticket does, in ru and kk", async () => {
    // Today's band: ±10% around the reference price, set by the regulator for this scenario.
    const regulator = await suite.server.login("regulator");
    const banded = await suite.server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      bandBps: 1000,
      reason: "terminal test: a band for the amend row",
    });
    expect(banded.status).toBe(200);
    const listed = await suite.server.call(buyerApi, "GET", `/api/instruments/${INSTRUMENT}`);
    const band = listed.body.limits.band as { lowTiynPerTonne: number; highTiynPerTonne: number };
    const tick = listed.body.tickSizeTiynPerTonne as number;
    expect(tick).toBe(100);
    // The resting bid (130,000 ₸/t) is inside it, so the band cancelled nothing.
    expect(band.lowTiynPerTonne).toBeLessThan(13_000_000);
    const before = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders/types-1");
    expect(before.body.order).toMatchObject({ status: "resting", priceTiynPerTonne: 13_000_000 });
    const ruBand = `${tengePerTonne(band.lowTiynPerTonne, "ru-RU")}–${tengePerTonne(band.highTiynPerTonne, "ru-RU")}`;
    const spaces = (text: string | null) => (text ?? "").replace(/[\s\u00a0\u202f]/g, " ");
    const row = buyer.getByTestId("own-orders").locator("tr", { hasText: "types-1" });
    const form = buyer.locator("form.amend");
    const price = form.locator("input[name=amend-price]");
    const quantity = form.locator("input[name=amend-quantity]");
    const warnings = form.getByTestId("amend-price-warning");

    // In Russian: one tick below the band's low edge is warned at the price, in Russian; the button stays (the
    // exchange has the last word on limits that move, as in the ticket), and the exchange does refuse it.
    await buyer.getByLabel("Language").selectOption("ru");
    await row.getByRole("button", { name: "Изменить" }).click();
    await price.fill(String((band.lowTiynPerTonne - tick) / 100));
    await expect
      .poll(async () => spaces(await warnings.textContent()), { timeout: LIVE_MS })
      .toBe(spaces(`Вне сегодняшнего ценового коридора ${ruBand} ₸/т: биржа её отклонит.`));
    expect(await price.getAttribute("aria-invalid")).toBe("true");
    const beyond = await suite.server.call(buyerApi, "PATCH", "/api/accounts/AKTAU-1/orders/types-1", {
      price: band.lowTiynPerTonne - tick,
    });
    expect([beyond.status, beyond.body.error.code]).toEqual([422, "ORDER_PRICE_OUTSIDE_BAND"]);
    // Exactly at the edge: no warning, and the amend goes through.
    await price.fill(String(band.lowTiynPerTonne / 100));
    await expect.poll(() => warnings.count(), { timeout: LIVE_MS }).toBe(0);
    expect(await form.getByTestId("amend-price-refusal").count()).toBe(0);
    await form.getByRole("button", { name: "Отправить изменение" }).click();
    await expect.poll(() => form.count(), { timeout: LIVE_MS }).toBe(0);
    const atEdge = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders/types-1");
    expect(atEdge.body.order).toMatchObject({
      status: "resting",
      openKg: 10_000,
      priceTiynPerTonne: band.lowTiynPerTonne,
    });

    // In Kazakh: the regulator's most lots per order (3) binds the buy's open quantity: 4 t refused at the quantity
    // with the button off, 3 t sent and read back.
    const set = await suite.server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      maxLotsPerOrder: 3,
      reason: "terminal test: at most 3 lots per order, amend",
    });
    expect(set.status).toBe(200);
    await buyer.getByLabel("Язык").first().selectOption("kk");
    await row.getByRole("button", { name: "Өзгерту" }).click();
    const send = form.getByRole("button", { name: "Өзгертуді жіберу" });
    // The open 10 t is over the limit as it stands.
    await expect
      .poll(() => form.getByTestId("amend-quantity-refusal").allTextContents(), { timeout: LIVE_MS })
      .toEqual(["Өтінімде 10 т (10 лот); реттеуші бұл құрал бойынша бір өтінімде ең көбі 3 лотқа (3 т) рұқсат етеді."]);
    expect(await send.isDisabled()).toBe(true);
    await quantity.fill("4");
    await expect
      .poll(() => form.getByTestId("amend-quantity-refusal").allTextContents(), { timeout: LIVE_MS })
      .toEqual(["Өтінімде 4 т (4 лот); реттеуші бұл құрал бойынша бір өтінімде ең көбі 3 лотқа (3 т) рұқсат етеді."]);
    expect(await send.isDisabled()).toBe(true);
    await quantity.fill("3");
    await expect.poll(() => form.getByTestId("amend-quantity-refusal").count(), { timeout: LIVE_MS }).toBe(0);
    expect(await send.isDisabled()).toBe(false);
    await send.click();
    await expect.poll(() => form.count(), { timeout: LIVE_MS }).toBe(0);
    const atLimit = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders/types-1");
    expect(atLimit.body.order).toMatchObject({
      status: "resting",
      openKg: 3_000,
      priceTiynPerTonne: band.lowTiynPerTonne,
    });
    const over = await suite.server.call(buyerApi, "PATCH", "/api/accounts/AKTAU-1/orders/types-1", {
      quantity: 4_000,
    });
    expect([over.status, over.body.error.code]).toEqual([422, "ORDER_LOTS_LIMIT"]);
    // Back as the later scenarios expect it: 10 t at 130,000 ₸/t, no band, no limit on lots, in English.
    const lifted = await suite.server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      bandBps: null,
      maxLotsPerOrder: null,
      reason: "terminal test: band and limit lifted",
    });
    expect(lifted.status).toBe(200);
    const back = await suite.server.call(buyerApi, "PATCH", "/api/accounts/AKTAU-1/orders/types-1", {
      price: 13_000_000,
      quantity: 10_000,
    });
    expect(back.status).toBe(200);
    await buyer.getByLabel("Тіл").first().selectOption("en");
  });

  it("in Kazakh, refuses a quantity above the most one order holds, and a negative or zero one, in tonnes before sending", async () => {
    const orders = async () =>
      (await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders?limit=100")).body.orders.length as number;
    const before = await orders();
    await buyer.getByLabel("Language").selectOption("kk");
    const quantity = ticket(buyer).locator("input[name=quantity]");
    await ticket(buyer).locator("input[name=price]").fill("125000");
    // The price per litre at the default density, both figures with the Kazakh decimal comma.
    await expect
      .poll(() => buyer.getByTestId("per-litre").textContent(), { timeout: LIVE_MS })
      .toBe("= 68,75 ₸/л, 0,55 кг/л кезінде");
    await quantity.fill("99999999");
    // The API's bound (1,000,000,000 kg) in tonnes, grouped the Kazakh way.
    await expect
      .poll(() => buyer.getByTestId("quantity-refusal").textContent(), { timeout: LIVE_MS })
      .toBe("Бір өтінімде ең көбі 1\u00a0000\u00a0000 т.");
    expect(await ticket(buyer).locator("button[type=submit]").isDisabled()).toBe(true);
    await quantity.fill("1000000");
    await expect.poll(() => buyer.getByTestId("quantity-refusal").count(), { timeout: LIVE_MS }).toBe(0);
    for (const typed of ["-5", "0"]) {
      await quantity.fill(typed);
      await expect
        .poll(() => buyer.getByTestId("quantity-refusal").allTextContents(), { timeout: LIVE_MS })
        .toEqual(["Саны нөл тоннадан көп болуы керек."]);
      expect(await ticket(buyer).locator("button[type=submit]").isDisabled()).toBe(true);
    }
    await quantity.fill("абв");
    await expect
      .poll(() => buyer.getByTestId("quantity-refusal").allTextContents(), { timeout: LIVE_MS })
      .toEqual(["Санын тоннамен сан түрінде енгізіңіз."]);
    expect(await orders()).toBe(before);

    // The API's own refusal of the same quantity (its schema's bound in kg) is said beside the quantity, in tonnes.
    const refused = await suite.server.call(buyerApi, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "too-big",
      side: "buy",
      price: 12_500_000,
      quantity: 99_999_999_000,
    });
    expect(refused.status).toBe(400);
    const { code, message, details } = refused.body.error;
    const error = new ApiError(400, code, message, details);
    const kk = {
      language: "kk",
      locale: "ru-KZ",
      setLanguage: () => {},
      has: (key: string) => lookup(kkMessages, key) !== undefined,
      t: (key: string, params?: Record<string, string | number>) => interpolate(lookup(kkMessages, key) ?? key, params),
    };
    expect(fieldOf(error)).toBe("quantity");
    expect(describeError(error, kk)).toBe("Саны ең көбі 1\u00a0000\u00a0000 т болуы мүмкін.");
    await quantity.fill("1");
    await buyer.getByLabel("Тіл").first().selectOption("en");
  });

  it("a fault in a page shows the error boundary in its place, and the navigation still works", async () => {
    const page = await signIn("atyrau-trader");
    // A balance that is not an integer makes the balances panel throw while rendering.
    await page.route("**/api/accounts/ATYRAU-1/balances", (route) =>
      route.fulfill({
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({
          account: "ATYRAU-1",
          balances: [
            {
              asset: "KZT",
              unit: "tiyn",
              free: "1.5",
              blockedForOrders: "0",
              blockedForObligations: "0",
              total: "1.5",
            },
          ],
          openPurchases: 0,
          collateralTiyn: "0",
        }),
      }),
    );
    await page.reload();
    await expect.poll(() => page.getByTestId("page-fault").count(), { timeout: LIVE_MS }).toBe(1);
    expect(await page.getByTestId("page-fault").textContent()).toContain("This page failed");
    expect(await page.getByTestId("who").textContent()).toContain("atyrau-trader");
    await page.getByRole("navigation").getByRole("link", { name: "Market board" }).click();
    await expect.poll(() => page.locator("h1").first().textContent(), { timeout: LIVE_MS }).toBe("Market board");
    expect(await page.getByTestId("page-fault").count()).toBe(0);
  });

  it("takes the exchange's refusal away from under the price when the price changes", async () => {
    const regulator = await suite.server.login("regulator");
    const set = await suite.server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      bandBps: 500,
      reason: "terminal test: ±5% band",
    });
    expect(set.status).toBe(200);
    await ticket(buyer).locator("input[name=price]").fill("150000");
    await ticket(buyer).locator("input[name=quantity]").fill("1");
    await ticket(buyer).locator("button[type=submit]").click();
    const refusal = ticket(buyer).locator(".field-error:not([hidden])");
    await expect.poll(() => refusal.first().textContent(), { timeout: LIVE_MS }).toContain("126,350–139,650");
    await ticket(buyer).locator("input[name=price]").fill("100000");
    await expect.poll(() => refusal.count(), { timeout: LIVE_MS }).toBe(0);
    // A refusal about the price stays while only the quantity changes.
    await ticket(buyer).locator("input[name=price]").fill("150000");
    await ticket(buyer).locator("button[type=submit]").click();
    await expect.poll(() => refusal.count(), { timeout: LIVE_MS }).toBe(1);
    await ticket(buyer).locator("input[name=quantity]").fill("2");
    expect(await refusal.count()).toBe(1);
  });

  it("says so when the regulator's narrower band cancels an order, and when a halt freezes resting orders", async () => {
    const regulator = await suite.server.login("regulator");
    // ±1% around 133,000: 131,670–134,330, so the bid at 130,000 is cancelled.
    const narrow = await suite.server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      bandBps: 100,
      reason: "terminal test: ±1% band",
    });
    expect(narrow.body.cancelledOrders).toBe(1);
    const notices = buyer.getByTestId("order-notices");
    await expect.poll(() => notices.count(), { timeout: LIVE_MS }).toBe(1);
    expect(await notices.textContent()).toContain(
      `The exchange cancelled your order types-1 (Buy 10 t at 130,000 ₸/t on ${INSTRUMENT}): its price is outside the limits the regulator now sets`,
    );
    // A notice shown is said again in the language chosen after it came.
    await buyer.locator("label.language select").selectOption("ru");
    await expect
      .poll(async () => (await notices.textContent())?.replace(/[\u00a0\u202f]/g, " "), { timeout: LIVE_MS })
      .toContain(
        `Биржа сняла вашу заявку types-1 (Покупка 10 т по 130 000 ₸/т на ${INSTRUMENT}): её цена вне ограничений, установленных регулятором`,
      );
    // The side as the order tables name it, in every language: a noun, not the ticket's verb (Купить).
    await buyer.locator("label.language select").selectOption("kk");
    await expect
      .poll(async () => (await notices.textContent())?.replace(/[\u00a0\u202f]/g, " "), { timeout: LIVE_MS })
      .toContain(`Биржа сіздің types-1 өтініміңізді жойды (Сатып алу: ${INSTRUMENT} бойынша 130 000 ₸/т бағамен 10 т)`);
    await buyer.locator("label.language select").selectOption("en");
    await expect.poll(() => notices.textContent(), { timeout: LIVE_MS }).toContain("The exchange cancelled your order");

    const placed = await suite.server.call(buyerApi, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "types-2",
      side: "buy",
      price: 13_200_000,
      quantity: 1_000,
    });
    expect(placed.body.order.status).toBe("resting");
    await expect
      .poll(() => buyer.getByTestId("own-orders").locator("tbody").textContent(), { timeout: LIVE_MS })
      .toContain("types-2");
    const halt = await suite.server.call(regulator, "POST", "/api/regulator/halt", {
      scope: "instrument",
      instrument: INSTRUMENT,
      reason: "terminal test: halt",
    });
    expect(halt.status).toBe(200);
    await expect
      .poll(() => notices.textContent(), { timeout: LIVE_MS })
      .toContain(`Trading in ${INSTRUMENT} is halted (terminal test: halt): your 1 resting orders stay in the book`);
    const resume = await suite.server.call(regulator, "POST", "/api/regulator/resume", {
      scope: "instrument",
      instrument: INSTRUMENT,
      reason: "terminal test: resume",
    });
    expect(resume.status).toBe(200);
  });

  it("marks the figures stale while the exchange does not answer, and live again when it does", async () => {
    const page = await signIn("atyrau-trader");
    let down = false;
    const sockets: WebSocketRoute[] = [];
    await page.context().routeWebSocket(/\/api\/stream/, (ws) => {
      if (down) {
        void ws.close();
        return;
      }
      ws.connectToServer();
      sockets.push(ws);
    });
    await page.reload();
    const money = page.getByTestId("balances").locator("tbody tr").first().locator("td").first();
    await expect.poll(() => money.textContent(), { timeout: LIVE_MS }).toMatch(/₸$/);
    const shown = await money.textContent();
    expect(await page.getByTestId("stale-banner").count()).toBe(0);

    down = true;
    await page.route("**/api/**", (route) => route.abort("connectionrefused"));
    for (const ws of sockets) await ws.close();
    await expect.poll(() => page.getByTestId("stale-banner").count(), { timeout: LIVE_MS }).toBe(1);
    expect(await page.getByTestId("stale-banner").textContent()).toMatch(
      /^The exchange does not answer: the figures below are from \d\d:\d\d:\d\d and may be out of date\.$/,
    );
    expect(await page.getByTestId("live-status").textContent()).toBe("○ offline");
    expect(await money.textContent()).toBe(shown);

    down = false;
    await page.unroute("**/api/**");
    await expect.poll(() => page.getByTestId("stale-banner").count(), { timeout: LIVE_MS }).toBe(0);
    expect(await page.getByTestId("live-status").textContent()).not.toBe("○ offline");
  });

  it("on a session ended by the exchange, stops asking for the account and asks to sign in again", async () => {
    const page = await signIn("kazgpz-trader");
    await expect.poll(() => page.getByTestId("balances").locator("tbody tr").count(), { timeout: LIVE_MS }).toBe(1);
    // End the browser's session on the server, as a restart or a sign-out elsewhere would.
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const read = await suite.server.call({ cookie, csrf: "" }, "GET", "/api/session");
    const ended = await suite.server.call({ cookie, csrf: read.body.csrfToken }, "DELETE", "/api/session");
    expect(ended.status).toBeLessThan(300);

    await expect.poll(() => page.getByTestId("session-expired").count(), { timeout: LIVE_MS }).toBe(1);
    expect(await page.getByTestId("who").count()).toBe(0);
    const accountRequests: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/accounts")) accountRequests.push(request.url());
    });
    await page.waitForTimeout(3000);
    expect(accountRequests).toEqual([]);

    // Signing in again from the notice brings the account back.
    await page.getByTestId("session-expired").getByRole("link", { name: "Sign in again" }).click();
    await page.getByLabel("User name").fill("kazgpz-trader");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).last().click();
    await expect.poll(() => page.getByTestId("who").textContent(), { timeout: LIVE_MS }).toContain("kazgpz-trader");
    await expect.poll(() => page.getByTestId("session-expired").count(), { timeout: LIVE_MS }).toBe(0);
    await expect.poll(() => page.getByTestId("balances").locator("tbody tr").count(), { timeout: LIVE_MS }).toBe(1);

    // After signing out, nothing of the account is asked for any more.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => page.getByTestId("who").count(), { timeout: LIVE_MS }).toBe(0);
    accountRequests.length = 0;
    await page.waitForTimeout(3000);
    expect(accountRequests).toEqual([]);
  });

  it("the board shows the session's weighted average in whole tenge", async () => {
    // Two trades at 133,000 and 133,001 ₸/t: the average 133,000.50 shows as 133,001.
    const sellerApi = await suite.server.login("kazgpz-trader");
    const atyrauApi = await suite.server.login("atyrau-trader");
    const regulator = await suite.server.login("regulator");
    await suite.server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      bandBps: null,
      reason: "terminal test: no band",
    });
    // An hour on, the resumption auction after the halt has ended and trading is continuous again.
    suite.server.nowMs += 3_600_000;
    for (const [i, price] of [13_290_000, 13_290_100].entries()) {
      await suite.server.call(sellerApi, "POST", "/api/orders", {
        instrument: INSTRUMENT,
        account: "KAZGPZ-1",
        clientOrderId: `wap-s-${i}`,
        side: "sell",
        price,
        quantity: 1_000,
      });
      const buy = await suite.server.call(atyrauApi, "POST", "/api/orders", {
        instrument: INSTRUMENT,
        account: "ATYRAU-1",
        clientOrderId: `wap-b-${i}`,
        side: "buy",
        price,
        quantity: 1_000,
      });
      expect(buy.body.trades).toHaveLength(1);
    }
    const sessions = await suite.server.call(null, "GET", `/api/instruments/${INSTRUMENT}/sessions?limit=1`);
    expect(sessions.body.current.vwapTiynPerTonne).toBe(13_290_050);
    const board = await open("/");
    const row = board.locator(`[data-instrument="${INSTRUMENT}"]`);
    await expect.poll(() => row.getByTestId("last").textContent(), { timeout: LIVE_MS }).toBe("132,901");
    const vwap = row.locator("td").nth(5);
    await expect.poll(() => vwap.textContent(), { timeout: LIVE_MS }).toBe("132,901");
  });

  it("in Russian, checks the regulator's most lots per order in tonnes before sending: the limit goes, one lot more does not", async () => {
    const regulator = await suite.server.login("regulator");
    const set = await suite.server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      maxLotsPerOrder: 3,
      reason: "terminal test: at most 3 lots per order",
    });
    expect(set.status).toBe(200);
    // Members read it where they read the instrument's limits in force.
    const listed = await suite.server.call(buyerApi, "GET", `/api/instruments/${INSTRUMENT}`);
    expect(listed.body.limits.maxLotsPerOrder).toBe(3);
    const low = listed.body.limits.band?.lowTiynPerTonne ?? listed.body.lastPriceTiynPerTonne ?? 13_000_000;
    const page = await signIn("aktau-trader");
    await page.getByLabel("Language").selectOption("ru");
    const quantity = ticket(page).locator("input[name=quantity]");
    await ticket(page).locator(".sides label", { hasText: "Купить" }).click();
    await ticket(page)
      .locator("input[name=price]")
      .fill(String(low / 100));
    await ticket(page).locator("select").nth(1).selectOption("IOC");
    // One lot (1 t) over the limit: refused at the field, in Russian, in tonnes; nothing is sent.
    await quantity.fill("4");
    await expect
      .poll(() => page.getByTestId("quantity-refusal").textContent(), { timeout: LIVE_MS })
      .toBe("В заявке 4 т (лотов: 4); регулятор разрешает в одной заявке на этом инструменте не более 3 т (лотов: 3).");
    expect(await ticket(page).locator("button[type=submit]").isDisabled()).toBe(true);
    // At the limit: sent, and the exchange takes it (an IOC with nothing to meet: accepted, its rest cancelled).
    await quantity.fill("3");
    await expect.poll(() => page.getByTestId("quantity-refusal").count(), { timeout: LIVE_MS }).toBe(0);
    const [sent] = await Promise.all([
      page.waitForRequest((request) => request.url().endsWith("/api/orders") && request.method() === "POST"),
      ticket(page).locator("button[type=submit]").click(),
    ]);
    expect(sent.postDataJSON()).toMatchObject({ side: "buy", quantity: 3_000, tif: "IOC" });
    await expect.poll(() => page.getByTestId("ticket-result").count(), { timeout: LIVE_MS }).toBe(1);
    const read = await suite.server.call(
      buyerApi,
      "GET",
      `/api/accounts/AKTAU-1/orders/${encodeURIComponent(sent.postDataJSON().clientOrderId)}`,
    );
    const taken = read.body.order;
    expect(taken).toMatchObject({ quantityKg: 3_000, tif: "IOC" });
    expect(taken.cancelReason).not.toBe("price-limit");
    // The exchange refuses one lot more, as the ticket said.
    const over = await suite.server.call(buyerApi, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "max-lots-over",
      side: "buy",
      price: low,
      quantity: 4_000,
      tif: "IOC",
    });
    expect([over.status, over.body.error.code]).toEqual([422, "ORDER_LOTS_LIMIT"]);
    await suite.server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      maxLotsPerOrder: null,
      reason: "terminal test: limit lifted",
    });
    await page.getByLabel("Язык").first().selectOption("en");
  });

  it("the amend row takes the exchange's refusal away once a field changes, and does not leave it on the row", async () => {
    const api = await suite.server.login("aktau-trader");
    const regulator = await suite.server.login("regulator");
    const banded = await suite.server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      bandBps: 1000,
      reason: "terminal test: a band the amend goes beyond",
    });
    expect(banded.status).toBe(200);
    const listed = await suite.server.call(api, "GET", `/api/instruments/${INSTRUMENT}`);
    const band = listed.body.limits.band as { lowTiynPerTonne: number; highTiynPerTonne: number };
    const placed = await suite.server.call(api, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "stale-1",
      side: "buy",
      price: band.lowTiynPerTonne,
      quantity: 1_000,
    });
    expect(placed.body.order.status).toBe("resting");
    const page = await signIn("aktau-trader");
    const row = page.getByTestId("own-orders").locator("tr", { hasText: "stale-1" });
    await row.getByRole("button", { name: "Amend" }).click();
    const form = page.locator("form.amend");
    const price = form.locator("input[name=amend-price]");
    const refusal = form.locator("p.field-error:not([hidden])");
    // Above today's band: warned, sent anyway (the exchange has the last word), and refused by the exchange.
    await price.fill(String((band.highTiynPerTonne + 100) / 100));
    await form.getByRole("button", { name: "Send amend" }).click();
    await expect.poll(() => refusal.count(), { timeout: LIVE_MS }).toBe(1);
    expect(await refusal.textContent()).toMatch(/outside today's price band|above the price ceiling/);
    // A new price: the refusal of the one sent before goes.
    await price.fill(String((band.lowTiynPerTonne + 100) / 100));
    await expect.poll(() => refusal.count(), { timeout: LIVE_MS }).toBe(0);
    // Refused again, then kept as is: the row does not carry the refusal of an amend that was not made.
    await price.fill(String((band.highTiynPerTonne + 100) / 100));
    await form.getByRole("button", { name: "Send amend" }).click();
    await expect.poll(() => refusal.count(), { timeout: LIVE_MS }).toBe(1);
    await form.getByRole("button", { name: "Keep as is" }).click();
    await expect.poll(() => form.count(), { timeout: LIVE_MS }).toBe(0);
    expect(await row.locator(".field-error:not([hidden])").count()).toBe(0);
    const read = await suite.server.call(api, "GET", "/api/accounts/AKTAU-1/orders/stale-1");
    expect(read.body.order).toMatchObject({ status: "resting", priceTiynPerTonne: band.lowTiynPerTonne });
    // A double click on "Send amend" sends it once (it was sent twice, and both were accepted).
    const patches: string[] = [];
    const onRequest = (request: Request) => {
      if (request.method() === "PATCH") patches.push(request.url());
    };
    page.on("request", onRequest);
    await row.getByRole("button", { name: "Amend" }).click();
    await price.fill(String((band.lowTiynPerTonne + 200) / 100));
    await form.getByRole("button", { name: "Send amend" }).dblclick();
    await expect.poll(() => form.count(), { timeout: LIVE_MS }).toBe(0);
    page.off("request", onRequest);
    expect(patches).toHaveLength(1);
    const amended = await suite.server.call(api, "GET", "/api/accounts/AKTAU-1/orders/stale-1");
    expect(amended.body.order).toMatchObject({ priceTiynPerTonne: band.lowTiynPerTonne + 200, amendments: 1 });
    await suite.server.call(api, "DELETE", "/api/accounts/AKTAU-1/orders/stale-1");
  });

  it("in Russian, the order and fill tables name an order's side as a noun (Покупка), not the ticket's verb (Купить)", {
    timeout: 150_000,
  }, async () => {
    const api = buyerApi;
    const sellerApi = await suite.server.login("kazgpz-trader");
    const listed = await suite.server.call(api, "GET", `/api/instruments/${INSTRUMENT}`);
    const band = listed.body.limits.band as { lowTiynPerTonne: number; highTiynPerTonne: number } | null;
    const last: number = listed.body.lastPriceTiynPerTonne ?? 13_000_000;
    const middle =
      band === null
        ? last
        : band.lowTiynPerTonne + Math.floor((band.highTiynPerTonne - band.lowTiynPerTonne) / 200) * 100;
    // A fill for the member's buy (the seller's offer met at once), and a resting bid at the bottom of the band.
    const offered = await suite.server.call(sellerApi, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "side-words-s",
      side: "sell",
      price: middle,
      quantity: 1_000,
    });
    expect(offered.status).toBe(201);
    const bought = await suite.server.call(api, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "side-words-b",
      side: "buy",
      price: middle,
      quantity: 1_000,
      tif: "IOC",
    });
    expect(bought.body.trades.length).toBeGreaterThan(0);
    const bidding = await suite.server.call(api, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "side-words-bid",
      side: "buy",
      price: band === null ? middle - 100_000 : band.lowTiynPerTonne,
      quantity: 1_000,
    });
    expect(bidding.body).toMatchObject({ order: { status: "resting" } });
    // Resting orders are always listed (finished ones only the latest few); each read waits at most LIVE_MS.
    const sideOf = (page: Page, id: string) =>
      page
        .getByTestId("own-orders")
        .locator("tr", { hasText: id })
        .locator("td")
        .nth(1)
        .textContent({ timeout: LIVE_MS });
    // The buyer's terminal, signed in since the first scenario.
    await buyer.getByLabel("Language").selectOption("ru");
    await expect.poll(() => sideOf(buyer, "side-words-bid"), { timeout: LIVE_MS }).toBe("Покупка");
    const boughtCell = buyer.getByTestId("fills").locator("tbody td.buy").first();
    await expect.poll(() => boughtCell.textContent({ timeout: LIVE_MS }), { timeout: LIVE_MS }).toBe("Покупка");
    // The ticket's buttons keep their verbs.
    expect(await ticket(buyer).locator(".sides label.buy").textContent({ timeout: LIVE_MS })).toBe("Купить");
    await buyer.getByLabel("Язык").first().selectOption("en");
    // What the tables name is what the exchange holds.
    const read = await suite.server.call(api, "GET", "/api/accounts/AKTAU-1/orders/side-words-bid");
    expect(read.body.order).toMatchObject({ side: "buy", status: "resting" });
    const fills = await suite.server.call(api, "GET", "/api/accounts/AKTAU-1/fills?limit=50");
    expect(fills.body.fills.some((f: { side: string }) => f.side === "buy")).toBe(true);
    await suite.server.call(api, "DELETE", "/api/accounts/AKTAU-1/orders/side-words-bid");
  });

  it("the post-only box sits beside its words, and clicking the words sends a post-only order", async () => {
    const api = buyerApi;
    const sellerApi = await suite.server.login("kazgpz-trader");
    const listed = await suite.server.call(api, "GET", `/api/instruments/${INSTRUMENT}`);
    const band = listed.body.limits.band as { lowTiynPerTonne: number; highTiynPerTonne: number } | null;
    // The band's top: above the bids resting in the book, so the offer rests.
    const price: number =
      band === null ? (listed.body.lastPriceTiynPerTonne ?? 13_000_000) + 100_000 : band.highTiynPerTonne;
    // An offer at the price: a post-only bid there would trade at once, so the exchange cancels it instead.
    const offered = await suite.server.call(sellerApi, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "post-label-s",
      side: "sell",
      price,
      quantity: 1_000,
    });
    expect(offered.body).toMatchObject({ order: { status: "resting" } });
    const page = buyer;
    const box = ticket(page).locator("input[name=postOnly]");
    const words = ticket(page).getByText("Post only (never trades on entry)");
    // The box is a box, next to its words (not stretched across the column with the words pushed aside).
    const boxAt = await box.boundingBox({ timeout: LIVE_MS });
    const labelAt = await words.boundingBox({ timeout: LIVE_MS });
    expect(boxAt?.width).toBeLessThanOrEqual(24);
    // The words take the rest of the label's width beside the box.
    expect(labelAt!.width - boxAt!.width).toBeGreaterThan(labelAt!.width / 2);
    await ticket(page).locator(".sides label", { hasText: "Buy" }).click();
    await ticket(page)
      .locator("input[name=price]")
      .fill(String(price / 100));
    await ticket(page).locator("input[name=quantity]").fill("1");
    await words.click();
    expect(await box.isChecked()).toBe(true);
    // The exchange's answer is awaited, not only the request, so the order is read after it was placed.
    const [answer] = await Promise.all([
      page.waitForResponse(
        (response) => response.url().endsWith("/api/orders") && response.request().method() === "POST",
      ),
      ticket(page).locator("button[type=submit]").click(),
    ]);
    const sent = answer.request();
    expect(sent.postDataJSON()).toMatchObject({ side: "buy", price, quantity: 1_000, postOnly: true });
    const read = await suite.server.call(
      api,
      "GET",
      `/api/accounts/AKTAU-1/orders/${encodeURIComponent(sent.postDataJSON().clientOrderId)}`,
    );
    expect(read.body.order).toMatchObject({ status: "cancelled", cancelReason: "post-only" });
    // Clicking the words again takes the box off.
    await words.click();
    expect(await box.isChecked()).toBe(false);
    await suite.server.call(sellerApi, "DELETE", "/api/accounts/KAZGPZ-1/orders/post-label-s");
  });

  it("no page had a script error", () => {
    expect(pageErrors).toEqual([]);
  });
});
