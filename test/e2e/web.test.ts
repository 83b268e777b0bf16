/**
 * The web application in a real browser (Debian's Chromium through playwright-core) against a real exchange server
 * serving the built web/dist: the public board updates live; two members trade with each other through their
 * terminals; an order outside the price band is refused with the band in the message; the regulator halts a region
 * and the terminals show it; the operator suspends a member. Screenshots of each page go to docs/screenshots/.
 *
 * The scenarios share one server and run in order: each starts from the market the previous one left.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INSTRUMENT, type Session } from "../support/server.ts";
import { browserAvailable, browserSuite, screenshot } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("web application end-to-end tests");
const LAPTOP = { width: 1280, height: 860 };
const TABLET = { width: 820, height: 1180 };
/** How long the page may take to show a change: polling is 1 s, the stream faster. */

describe.skipIf(!run)("web application in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { open, pageErrors, signIn } = suite;

  async function placeOrder(page: Page, side: "Buy" | "Sell", priceTenge: string, quantityTonnes: string) {
    await page.locator(".ticket .sides label", { hasText: side }).click();
    await page.locator(".ticket input[name=price]").fill(priceTenge);
    await page.locator(".ticket input[name=quantity]").fill(quantityTonnes);
    await page.locator(".ticket button[type=submit]").click();
  }

  const rowOf = (page: Page) => page.locator(`[data-instrument="${INSTRUMENT}"]`);
  let seller: Page;
  let buyer: Page;
  let board: Page;
  let sellerSession: Session;
  let buyerSession: Session;

  it("the public board loads and updates live", async () => {
    board = await open("/");
    await expect.poll(() => rowOf(board).count(), { timeout: LIVE_MS }).toBe(1);
    expect(await rowOf(board).getByTestId("last").textContent()).toBe("—");
    expect(await rowOf(board).getByTestId("phase").textContent()).toBe("Continuous trading");

    // Two members trade through the API; the open page shows the price without a reload.
    sellerSession = await suite.server.login("kazgpz-trader");
    buyerSession = await suite.server.login("aktau-trader");
    for (const [i, priceTiyn] of [13_300_000, 13_320_000, 13_280_000].entries()) {
      suite.server.nowMs += 60_000;
      const order = { instrument: INSTRUMENT, price: priceTiyn, quantity: 10_000 };
      const sell = await suite.server.call(sellerSession, "POST", "/api/orders", {
        ...order,
        account: "KAZGPZ-1",
        clientOrderId: `board-s-${i}`,
        side: "sell",
      });
      expect(sell.status).toBe(201);
      const buy = await suite.server.call(buyerSession, "POST", "/api/orders", {
        ...order,
        account: "AKTAU-1",
        clientOrderId: `board-b-${i}`,
        side: "buy",
      });
      expect(buy.body.trades).toHaveLength(1);
    }
    await expect.poll(() => rowOf(board).getByTestId("last").textContent(), { timeout: LIVE_MS }).toBe("132,800");
    await expect.poll(() => board.getByTestId("tape").locator("tbody tr").count(), { timeout: LIVE_MS }).toBe(3);
    // ₸/l at the default density 0.55 kg/l: 132,800 × 0.55 / 1000.
    await expect(rowOf(board).locator("td").nth(3).textContent()).resolves.toBe("73.04");
    await screenshot(board, "board");
  });

  it("two members sign in; one offers, the other bids; both see the trade", async () => {
    seller = await signIn("kazgpz-trader");
    buyer = await signIn("aktau-trader");
    await placeOrder(seller, "Sell", "133500", "20");
    await expect
      .poll(() => seller.getByTestId("ticket-result").textContent(), { timeout: LIVE_MS })
      .toContain("resting");

    // The buyer sees the offer in the ladder, picks its price from there and sees what the order will block.
    const level = buyer.getByTestId("ladder").getByRole("button", { name: "133,500" });
    await level.waitFor({ timeout: LIVE_MS });
    await level.click();
    // The ticket takes the picked price in an effect after the click's render, so wait for it rather than read at once.
    await expect
      .poll(() => buyer.locator(".ticket input[name=price]").inputValue(), { timeout: LIVE_MS })
      .toBe("133500");
    await buyer.locator(".ticket input[name=quantity]").fill("20");
    const preview = await buyer.getByTestId("block-preview").textContent();
    expect(preview).toContain("This order will block:");
    await buyer.locator(".ticket button[type=submit]").click();
    await expect.poll(() => buyer.getByTestId("ticket-result").textContent(), { timeout: LIVE_MS }).toContain("filled");

    for (const page of [buyer, seller]) {
      await expect
        .poll(() => page.getByTestId("fills").locator("tbody").textContent(), { timeout: LIVE_MS })
        .toContain("133,500");
      await expect
        .poll(() => page.getByTestId("obligations").locator("tbody").textContent(), { timeout: LIVE_MS })
        .toContain("2,670,000.00");
    }
    await expect.poll(() => rowOf(board).getByTestId("last").textContent(), { timeout: LIVE_MS }).toBe("133,500");
    await screenshot(buyer, "terminal");
  });

  it("refuses an order outside the price band and names the band beside the price", async () => {
    const regulator = await suite.server.login("regulator");
    const set = await suite.server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      bandBps: 500,
      reason: "end-to-end test: ±5% band",
    });
    expect(set.status).toBe(200);
    // The band's reference is the listed reference price while the first session runs: 133,000 ± 5%.
    await placeOrder(buyer, "Buy", "150000", "10");
    const error = buyer.locator(".ticket .field-error").first();
    await expect.poll(() => error.textContent(), { timeout: LIVE_MS }).toContain("126,350–139,650");
    expect(await error.textContent()).toBe(
      "Price 150,000 ₸/t is outside today's price band 126,350–139,650 ₸/t (±5% around the reference price 133,000 ₸/t).",
    );
    await screenshot(buyer, "terminal-band-refused");
  });

  it("the regulator halts a region and the terminals show it", async () => {
    const regulator = await signIn("regulator");
    await regulator.goto(`${suite.server.url}/regulator`);
    const form = regulator.getByTestId("halt-form");
    // The region and instrument lists appear only for the scope they belong to.
    const lists = async () => [
      await form.locator("select[name=region]").count(),
      await form.locator("select[name=instrument]").count(),
    ];
    expect(await lists()).toEqual([0, 0]);
    await form.locator("select[name=scope]").selectOption("market");
    expect(await lists()).toEqual([0, 0]);
    await form.locator("select[name=scope]").selectOption("instrument");
    expect(await lists()).toEqual([0, 1]);
    await form.locator("select[name=scope]").selectOption("region");
    expect(await lists()).toEqual([1, 0]);
    await expect.poll(() => form.locator("select[name=region] option").count(), { timeout: LIVE_MS }).toBe(2);
    await form.locator("select[name=region]").selectOption("MANGYSTAU");
    await form.locator("input[name=reason]").fill("Price spike in Mangystau: cooling-off halt");
    await form.getByRole("button", { name: "Halt trading" }).click();
    await expect(form.locator("dialog").textContent()).resolves.toContain("Halt trading in Mangystau.");
    await form.getByRole("button", { name: "Yes, do it" }).click();
    await expect.poll(() => form.locator(".ok").textContent(), { timeout: LIVE_MS }).toContain("Done");

    for (const page of [seller, buyer]) {
      await expect
        .poll(() => page.getByTestId("terminal-halt-banner").textContent(), { timeout: LIVE_MS })
        .toContain(`${INSTRUMENT} (Mangystau)`);
      await expect.poll(() => page.getByTestId("ticket-halt").count(), { timeout: LIVE_MS }).toBe(1);
    }
    await expect.poll(() => board.getByTestId("board-halt-banner").count(), { timeout: LIVE_MS }).toBe(1);
    await expect
      .poll(() => regulator.getByTestId("audit").locator("tbody").textContent(), { timeout: LIVE_MS })
      .toContain("halt");
    await screenshot(regulator, "regulator");
    await screenshot(seller, "terminal-halted");
  });

  it("the operator suspends a member, whose orders are then refused", async () => {
    // Trading resumes through an auction (orders are collected again), so the suspension is what refuses them.
    const regulator = await suite.server.login("regulator");
    const resume = await suite.server.call(regulator, "POST", "/api/regulator/resume", {
      scope: "region",
      region: "MANGYSTAU",
      reason: "end-to-end test: resume",
    });
    expect(resume.status).toBe(200);

    const operator = await signIn("operator");
    await operator.goto(`${suite.server.url}/operator`);
    const form = operator.getByTestId("suspend-form");
    await expect.poll(() => form.locator("select[name=member] option").count(), { timeout: LIVE_MS }).toBe(5);
    await form.locator("select[name=member]").selectOption("AKTAU");
    await form.locator("input[name=reason]").fill("Unpaid exchange fees: kill switch");
    await form.getByRole("button", { name: "Suspend member" }).click();
    await form.getByRole("button", { name: "Yes, do it" }).click();
    await expect.poll(() => form.locator(".ok").textContent(), { timeout: LIVE_MS }).toContain("Done");
    const row = operator.locator('[data-member="AKTAU"]');
    await expect
      .poll(() => row.getByTestId("member-status").textContent(), { timeout: LIVE_MS })
      .toContain("suspended");
    await screenshot(operator, "operator");

    await placeOrder(buyer, "Buy", "133000", "10");
    await expect
      .poll(() => buyer.locator(".ticket .field-error:not([hidden])").first().textContent(), { timeout: LIVE_MS })
      .toBe("Member AKTAU is suspended: orders cannot be entered or changed until the operator reinstates it.");
  });

  it("no page had a script error", () => {
    expect(pageErrors).toEqual([]);
  });

  it("works at tablet width in Russian", async () => {
    const page = await open("/", TABLET);
    await page.getByLabel("Language").selectOption("ru");
    await expect.poll(() => page.locator("h1").first().textContent(), { timeout: LIVE_MS }).toBe("Биржевое табло");
    await expect.poll(() => rowOf(page).getByTestId("phase").textContent(), { timeout: LIVE_MS }).toBe("Сбор заявок");
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "board-tablet-ru");
  });
});
