/**
 * Negotiated deals in a real browser against a real exchange: the seller's trader registers a deal on the terminal
 * (a price outside the band is refused in the exchange's words and registers nothing), the buyer's trader sees it
 * waiting and accepts it on its terminal, and the API then shows the negotiated trade on the tape, the obligation,
 * and no deal pending on either side; a negative or zero price is refused as not positive (in Kazakh), in the page
 * and by the API; the buyer rejects a deal and the seller withdraws one; the buyer's member is notified of the deal, both sides of the fill.
 *
 * The scenarios share one server and run in order.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INSTRUMENT, type Session } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("negotiated deal end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };

describe.skipIf(!run)("negotiated deals in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors } = suite;
  let seller: Page;
  let buyer: Page;
  let sellerApi: Session;
  let buyerApi: Session;
  let deal = "";

  async function signIn(user: string): Promise<Page> {
    const page = await suite.signIn(user, "/terminal");
    await page.getByTestId("instrument-picker").selectOption(INSTRUMENT);
    return page;
  }

  async function fillDeal(page: Page, price: string, quantity: string): Promise<void> {
    const form = page.getByTestId("negotiated-form");
    await form.waitFor({ timeout: LIVE_MS });
    await form.locator("input[name=buyer]").fill("AKTAU-1");
    await form.locator("select[name=instrument]").selectOption(INSTRUMENT);
    await form.locator("input[name=price]").fill(price);
    await form.locator("input[name=quantity]").fill(quantity);
    await form.getByRole("button", { name: "Register the deal" }).click();
  }

  async function pending(session: Session, account: string): Promise<{ id: string }[]> {
    const listed = await suite.server.call(session, "GET", `/api/accounts/${account}/negotiated`);
    expect(listed.status).toBe(200);
    return listed.body.deals;
  }

  it("a price outside the band is refused in the exchange's words and registers nothing", async () => {
    // A ±10% band around the listed reference 133,000 ₸/t: 119,700 to 146,300.
    const band = await suite.server.exchange.submit({
      type: "safeguards.set",
      instrument: INSTRUMENT,
      changes: { bandBps: 1000 },
      reason: "negotiated browser test",
    });
    expect(band.events.map((e) => e.type)).toEqual(["safeguards.changed"]);
    sellerApi = await suite.server.login("kazgpz-trader");
    buyerApi = await suite.server.login("aktau-trader");
    seller = await signIn("kazgpz-trader");
    const balancesBefore = (await suite.server.call(sellerApi, "GET", "/api/accounts/KAZGPZ-1/balances")).body;
    const tapeBefore = (await suite.server.call(null, "GET", `/api/instruments/${INSTRUMENT}/trades`)).body;

    // A tenge above the band's top edge.
    await fillDeal(seller, "146301", "10");
    await expect
      .poll(() => seller.locator("#negotiated-error").textContent(), { timeout: LIVE_MS })
      .toContain("is outside today's price band");
    expect(await seller.locator("#negotiated-error").textContent()).toContain("146,301");
    expect(await seller.getByTestId("negotiated-result").count()).toBe(0);
    expect(await pending(sellerApi, "KAZGPZ-1")).toEqual([]);
    expect(await pending(buyerApi, "AKTAU-1")).toEqual([]);
    expect((await suite.server.call(sellerApi, "GET", "/api/accounts/KAZGPZ-1/balances")).body).toEqual(balancesBefore);
    expect((await suite.server.call(null, "GET", `/api/instruments/${INSTRUMENT}/trades`)).body).toEqual(tapeBefore);

    // In Russian, a price mistyped after the refusal: only the new field error stands, not the old refusal beside it.
    await seller.getByLabel("Language").selectOption("ru");
    const form = seller.getByTestId("negotiated-form");
    await expect
      .poll(() => seller.locator("#negotiated-error").textContent(), { timeout: LIVE_MS })
      .toContain("146\u00a0301");
    await form.locator("input[name=price]").fill("абв");
    await expect
      .poll(() => form.locator(".field-error").allTextContents(), { timeout: LIVE_MS })
      .toEqual(["Введите цену числом в тенге за тонну, не более двух знаков после запятой."]);
    expect(await seller.locator("#negotiated-error").textContent()).toBe("");
    expect(await seller.locator("#negotiated-error").isHidden()).toBe(true);
    await seller.getByLabel("Язык").first().selectOption("en");
  });

  it("a negative or zero price is refused as not positive, in Kazakh, by the page and by the API; nothing registers", async () => {
    // The trader reads Kazakh (the header's switch).
    await seller.locator("label.language select").selectOption("kk");
    const form = seller.getByTestId("negotiated-form");
    await form.locator("input[name=buyer]").fill("AKTAU-1");
    await form.locator("select[name=instrument]").selectOption(INSTRUMENT);
    await form.locator("input[name=quantity]").fill("10");
    const price = form.locator("input[name=price]");
    const problem = seller.getByTestId("negotiated-price-problem");
    const submit = form.locator("button[type=submit]");
    for (const typed of ["-133000", "−133000", "0", "0,00"]) {
      await price.fill(typed);
      await expect
        .poll(() => problem.textContent(), { timeout: LIVE_MS })
        .toBe("Баға нөлден үлкен болуы керек: тоннасына теңгені енгізіңіз.");
      expect(await price.getAttribute("aria-invalid"), typed).toBe("true");
      expect(await submit.isDisabled(), typed).toBe(true);
    }
    // Text that is no number at all is still asked to be a number.
    await price.fill("-abc");
    await expect
      .poll(() => problem.textContent(), { timeout: LIVE_MS })
      .toBe("Бағаны тоннасына теңгемен сан түрінде енгізіңіз, ең көбі екі ондық таңба.");
    // A negative quantity: the quantity must be positive.
    await price.fill("133000");
    await form.locator("input[name=quantity]").fill("-10");
    await expect
      .poll(() => seller.getByTestId("negotiated-quantity-problem").textContent(), { timeout: LIVE_MS })
      .toBe("Көлем нөлден үлкен болуы керек: тоннаны енгізіңіз.");
    expect(await problem.count()).toBe(0);
    expect(await submit.isDisabled()).toBe(true);

    // The API refuses a negative or zero price as specifically, in the language the caller asks for.
    for (const [priceTiynPerTonne, sent] of [
      [-13_300_000, "−133\u00a0000 ₸/т"],
      [0, "0 ₸/т"],
    ] as const) {
      const response = await fetch(`${suite.server.url}/api/accounts/KAZGPZ-1/negotiated`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "accept-language": "kk",
          cookie: sellerApi.cookie,
          "x-csrf-token": sellerApi.csrf,
        },
        body: JSON.stringify({ instrument: INSTRUMENT, buyer: "AKTAU-1", priceTiynPerTonne, quantityKg: 10_000 }),
      });
      const refused = (await response.json()) as { error: { code: string; message: string; details: unknown } };
      expect([response.status, refused.error.code, refused.error.message]).toEqual([
        400,
        "REQUEST_INVALID",
        `Баға нөлден үлкен болуы керек (жіберілгені: ${sent}).`,
      ]);
      expect(refused.error.details).toMatchObject({
        keyword: "minimum",
        field: "priceTiynPerTonne",
        limit: 1,
        value: priceTiynPerTonne,
      });
    }
    expect(await pending(sellerApi, "KAZGPZ-1")).toEqual([]);
    expect(await pending(buyerApi, "AKTAU-1")).toEqual([]);

    await form.locator("input[name=quantity]").fill("");
    await price.fill("");
    await seller.locator("label.language select").selectOption("en");
    await expect
      .poll(() => form.locator("button[type=submit]").textContent(), { timeout: LIVE_MS })
      .toBe("Register the deal");
    expect(pageErrors).toEqual([]);
  });

  it("the button is not greyed out by empty fields: pressed, it names each empty one, in Russian; nothing registers", async () => {
    await seller.locator("label.language select").selectOption("ru");
    const form = seller.getByTestId("negotiated-form");
    await form.locator("input[name=buyer]").fill("");
    await form.locator("input[name=price]").fill("");
    await form.locator("input[name=quantity]").fill("");
    const submit = form.locator("button[type=submit]");
    expect(await submit.isDisabled()).toBe(false);
    await submit.click();
    await expect
      .poll(() => form.locator(".field-error").allTextContents(), { timeout: LIVE_MS })
      .toEqual(["Укажите счёт покупателя.", "Укажите цену в тенге за тонну.", "Укажите количество в тоннах."]);
    expect(await form.locator("input[aria-invalid=true]").count()).toBe(3);
    // Each goes when its field is filled; the one still empty is still named.
    await form.locator("input[name=buyer]").fill("AKTAU-1");
    await form.locator("input[name=price]").fill("133000");
    await expect
      .poll(() => form.locator(".field-error").allTextContents(), { timeout: LIVE_MS })
      .toEqual(["Укажите количество в тоннах."]);
    expect(await form.locator("input[name=quantity]").getAttribute("aria-invalid")).toBe("true");
    expect(await pending(sellerApi, "KAZGPZ-1")).toEqual([]);
    expect(await pending(buyerApi, "AKTAU-1")).toEqual([]);
    await form.locator("input[name=price]").fill("");
    await seller.locator("label.language select").selectOption("en");
    expect(pageErrors).toEqual([]);
  });

  it("the seller registers a deal at the band's edge; it waits on both sides", async () => {
    await fillDeal(seller, "146300", "10");
    const result = seller.getByTestId("negotiated-result");
    await expect.poll(() => result.textContent(), { timeout: LIVE_MS }).toMatch(/^Deal ND-\d+ registered/);
    deal = /ND-\d+/.exec((await result.textContent()) ?? "")?.[0] ?? "";
    expect(await seller.locator("#negotiated-error").isHidden()).toBe(true);
    const row = seller.locator(`[data-deal="${deal}"]`);
    await row.waitFor({ timeout: LIVE_MS });
    expect(await row.getByRole("button", { name: "Withdraw" }).count()).toBe(1);
    expect(await row.getByRole("button", { name: "Accept" }).count()).toBe(0);

    const forSeller = await pending(sellerApi, "KAZGPZ-1");
    expect(forSeller).toEqual([
      {
        id: deal,
        instrument: INSTRUMENT,
        seller: "KAZGPZ-1",
        buyer: "AKTAU-1",
        priceTiynPerTonne: 14_630_000,
        quantityKg: 10_000,
        submittedMs: suite.server.nowMs,
      },
    ]);
    expect(await pending(buyerApi, "AKTAU-1")).toEqual(forSeller);
    // The buyer's member is told a deal awaits its answer; the seller's is not.
    const buyerNotices = (await suite.server.call(buyerApi, "GET", "/api/notifications")).body.notifications;
    expect(
      buyerNotices
        .filter((n: { kind: string }) => n.kind === "deal")
        .map((n: { text: string; facts: { deal: string } }) => [n.facts.deal, n.text]),
    ).toEqual([
      [
        deal,
        `Account KAZGPZ-1 offers account AKTAU-1 a negotiated deal ${deal}: 10 t of ${INSTRUMENT} at 146,300 ₸/t. Accept or reject it on the terminal before the session closes.`,
      ],
    ]);
    const sellerNotices = (await suite.server.call(sellerApi, "GET", "/api/notifications")).body.notifications;
    expect(sellerNotices.filter((n: { kind: string }) => n.kind === "deal")).toEqual([]);
  });

  it("the buyer accepts it on its terminal; the API shows the negotiated trade and no deal pending", async () => {
    buyer = await signIn("aktau-trader");
    const row = buyer.locator(`[data-deal="${deal}"]`);
    await row.waitFor({ timeout: LIVE_MS });
    // The buyer has no form to register deals (its account cannot sell) and answers the deal addressed to it.
    expect(await buyer.getByTestId("negotiated-form").count()).toBe(0);
    await row.getByRole("button", { name: "Accept" }).click();
    const result = buyer.getByTestId("negotiated-result");
    await expect.poll(() => result.textContent(), { timeout: LIVE_MS }).toMatch(`Deal ${deal} accepted: trade T-`);
    const tradeId = /T-\S+?(?=\.$)/.exec((await result.textContent()) ?? "")?.[0] ?? "";
    await expect.poll(() => row.count(), { timeout: LIVE_MS }).toBe(0);
    expect(await buyer.getByTestId("negotiated").textContent()).toContain("No deals waiting for an answer.");

    const tape = await suite.server.call(null, "GET", `/api/instruments/${INSTRUMENT}/trades`);
    const printed = tape.body.trades.find((t: { tradeId: string }) => t.tradeId === tradeId);
    expect(printed).toMatchObject({ priceTiynPerTonne: 14_630_000, quantityKg: 10_000, negotiated: true });
    const obligations = await suite.server.call(buyerApi, "GET", "/api/accounts/AKTAU-1/obligations");
    expect(obligations.body.obligations.find((o: { tradeId: string }) => o.tradeId === tradeId)).toMatchObject({
      buyer: "AKTAU-1",
      seller: "KAZGPZ-1",
      valueTiyn: 146_300_000,
    });
    expect(await pending(buyerApi, "AKTAU-1")).toEqual([]);
    expect(await pending(sellerApi, "KAZGPZ-1")).toEqual([]);
    // Both sides are notified of the fill.
    const notices = await suite.server.call(buyerApi, "GET", "/api/notifications");
    expect(
      notices.body.notifications.filter(
        (n: { facts: { kind: string; tradeId?: string } }) => n.facts.kind === "fill" && n.facts.tradeId === tradeId,
      ),
    ).toHaveLength(1);
  });

  it("the buyer rejects one deal and the seller withdraws another on their terminals; neither waits any more", async () => {
    const register = async (price: number) => {
      const response = await suite.server.call(sellerApi, "POST", "/api/accounts/KAZGPZ-1/negotiated", {
        instrument: INSTRUMENT,
        buyer: "AKTAU-1",
        priceTiynPerTonne: price,
        quantityKg: 10_000,
      });
      expect(response.status).toBe(201);
      return response.body.deal.id as string;
    };
    const rejected = await register(13_300_000);
    const withdrawn = await register(13_400_000);
    await buyer.reload();
    const buyerRow = buyer.locator(`[data-deal="${rejected}"]`);
    await buyerRow.waitFor({ timeout: LIVE_MS });
    await buyerRow.getByRole("button", { name: "Reject" }).click();
    await expect
      .poll(() => buyer.getByTestId("negotiated-result").textContent(), { timeout: LIVE_MS })
      .toBe(`Deal ${rejected} answered: it no longer waits.`);
    await expect.poll(() => buyerRow.count(), { timeout: LIVE_MS }).toBe(0);
    expect((await pending(buyerApi, "AKTAU-1")).map((d) => d.id)).toEqual([withdrawn]);

    await seller.reload();
    const sellerRow = seller.locator(`[data-deal="${withdrawn}"]`);
    await sellerRow.waitFor({ timeout: LIVE_MS });
    await sellerRow.getByRole("button", { name: "Withdraw" }).click();
    await expect.poll(() => sellerRow.count(), { timeout: LIVE_MS }).toBe(0);
    expect(await pending(sellerApi, "KAZGPZ-1")).toEqual([]);
    expect(await pending(buyerApi, "AKTAU-1")).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
