/**
 * The amend row of the terminal's own orders while the order fills, in a real browser against a real exchange: an
 * untouched quantity follows the order's open quantity (so an amend of the price alone does not put back what has
 * filled), a typed one stays but the row says the order changed and warns when it is now more than is open, and an
 * order that is no longer open cannot be amended. What the amend did is read back through the API; the notes are
 * checked in en, ru and kk.
 *
 * The scenarios share one server and run in order.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INSTRUMENT, type Session } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS, signInOn } from "./support/forms.ts";

const run = browserAvailable("amend row while the order fills");
const LAPTOP = { width: 1280, height: 900 };
const PRICE_TIYN_PER_TONNE = 13_000_000;

describe.skipIf(!run)("the amend row follows the order while it fills", () => {
  const suite = browserSuite(LAPTOP);
  let buyer: Page;
  let buyerApi: Session;
  let sellerApi: Session;

  /** The seller's order that meets the buyer's bid at its price for `quantityKg`. */
  async function sell(clientOrderId: string, quantityKg: number): Promise<void> {
    const sold = await suite.server.call(sellerApi, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId,
      side: "sell",
      price: PRICE_TIYN_PER_TONNE,
      quantity: quantityKg,
    });
    expect(sold.status).toBe(201);
    expect(sold.body.trades.length).toBeGreaterThan(0);
  }

  async function bid(clientOrderId: string, quantityKg: number): Promise<void> {
    const placed = await suite.server.call(buyerApi, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId,
      side: "buy",
      price: PRICE_TIYN_PER_TONNE,
      quantity: quantityKg,
    });
    expect(placed.body.order.status).toBe("resting");
  }

  async function openAmend(clientOrderId: string) {
    const row = buyer.getByTestId("own-orders").locator("tr", { hasText: clientOrderId });
    await row.getByRole("button", { name: "Amend" }).click({ timeout: LIVE_MS });
    return buyer.locator("form.amend");
  }

  it("an untouched quantity follows a fill; a price amend then leaves the open quantity as it is", async () => {
    buyerApi = await suite.server.login("aktau-trader");
    sellerApi = await suite.server.login("kazgpz-trader");
    await bid("live-1", 10_000);
    buyer = await suite.open("/login");
    await signInOn(buyer, "aktau-trader");
    if (!buyer.url().endsWith("/terminal")) await buyer.goto(`${suite.server.url}/terminal`);
    const form = await openAmend("live-1");
    const quantity = form.locator("input[name=amend-quantity]");
    expect(await quantity.inputValue()).toBe("10");
    expect(await form.getByTestId("amend-changed").count()).toBe(0);

    await sell("live-s-1", 4_000);
    await expect.poll(() => quantity.inputValue(), { timeout: LIVE_MS }).toBe("6");
    const changed = form.getByTestId("amend-changed");
    for (const [language, said] of [
      ["ru", "Заявка изменилась, пока вы её правили: было открыто 10 т, сейчас 6 т. Новый остаток следует за заявкой."],
      ["kk", "Сіз өзгертіп жатқанда өтінім өзгерді: 10 т ашық еді, қазір 6 т. Жаңа ашық саны өтінімге сәйкес жаңарды."],
      [
        "en",
        "The order changed while you were amending it: 10 t was open, 6 t is open now. The new quantity follows the order.",
      ],
    ] as const) {
      await buyer.locator("label.language select").selectOption(language);
      await expect.poll(() => changed.textContent({ timeout: 1_000 }), { timeout: LIVE_MS }).toBe(said);
    }
    expect(await changed.getAttribute("role")).toBe("status");

    await form.locator("input[name=amend-price]").fill("129000");
    await form.getByRole("button", { name: "Send amend" }).click();
    await expect.poll(() => buyer.locator("form.amend").count(), { timeout: LIVE_MS }).toBe(0);
    const read = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders/live-1");
    expect(read.body.order).toMatchObject({ status: "resting", openKg: 6_000, priceTiynPerTonne: 12_900_000 });
    await suite.server.call(buyerApi, "DELETE", "/api/accounts/AKTAU-1/orders/live-1", {});
    expect(suite.pageErrors).toEqual([]);
  });

  it("a typed quantity stays; the row says the order changed and that the figure now adds to it", async () => {
    await bid("live-2", 10_000);
    const form = await openAmend("live-2");
    const quantity = form.locator("input[name=amend-quantity]");
    await quantity.fill("5");
    await sell("live-s-2", 7_000);
    const changed = form.getByTestId("amend-changed");
    for (const [language, said] of [
      [
        "ru",
        "Заявка изменилась, пока вы её правили: было открыто 10 т, сейчас 3 т. Проверьте введённое количество. " +
          "5 т больше, чем открыто сейчас (3 т): изменение добавит к заявке и лишит её приоритета по времени.",
      ],
      [
        "kk",
        "Сіз өзгертіп жатқанда өтінім өзгерді: 10 т ашық еді, қазір 3 т. Енгізген санды тексеріңіз. " +
          "5 т қазір ашық 3 т-дан көп: жіберсеңіз, өтінімге қосылады және уақыт басымдығы жоғалады.",
      ],
      [
        "en",
        "The order changed while you were amending it: 10 t was open, 3 t is open now. Check the quantity you typed. " +
          "5 t is more than the 3 t open now: sending it adds to the order and loses time priority.",
      ],
    ] as const) {
      await buyer.locator("label.language select").selectOption(language);
      await expect.poll(() => changed.textContent({ timeout: 1_000 }), { timeout: LIVE_MS }).toBe(said);
    }
    expect(await quantity.inputValue()).toBe("5");
    // Typed down to what is open less one lot: a decrease again, no warning of an increase.
    await quantity.fill("2");
    await expect
      .poll(() => changed.textContent(), { timeout: LIVE_MS })
      .toBe(
        "The order changed while you were amending it: 10 t was open, 3 t is open now. Check the quantity you typed.",
      );
    await form.getByRole("button", { name: "Send amend" }).click();
    await expect.poll(() => buyer.locator("form.amend").count(), { timeout: LIVE_MS }).toBe(0);
    const read = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders/live-2");
    expect(read.body.order).toMatchObject({ status: "resting", openKg: 2_000, filledKg: 7_000 });
  });

  it("an order that fills in full while its row is open says so and cannot be sent", async () => {
    const form = await openAmend("live-2");
    await form.locator("input[name=amend-price]").fill("129500");
    const patches: string[] = [];
    buyer.on("request", (request) => {
      if (request.method() === "PATCH") patches.push(request.url());
    });
    await sell("live-s-3", 2_000);
    const changed = form.getByTestId("amend-changed");
    for (const [language, said] of [
      ["ru", "Заявка больше не открыта (исполнена): изменять нечего."],
      ["kk", "Өтінім енді ашық емес (орындалды): өзгертетін ештеңе жоқ."],
      ["en", "This order is no longer open (filled): there is nothing left to amend."],
    ] as const) {
      await buyer.locator("label.language select").selectOption(language);
      await expect.poll(() => changed.textContent({ timeout: 1_000 }), { timeout: LIVE_MS }).toBe(said);
    }
    const send = form.getByRole("button", { name: "Send amend" });
    expect(await send.isDisabled()).toBe(true);
    await form.locator("input[name=amend-price]").press("Enter");
    expect(patches).toEqual([]);
    const read = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/orders/live-2");
    expect(read.body.order).toMatchObject({ status: "filled", openKg: 0, priceTiynPerTonne: PRICE_TIYN_PER_TONNE });
    expect(suite.pageErrors).toEqual([]);
  });
});
