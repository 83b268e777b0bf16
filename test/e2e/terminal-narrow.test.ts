/**
 * The trading terminal on a phone (390 px) and a tablet (768 px), as a broker trading for its clients: the page never
 * scrolls sideways (wide tables scroll inside their own box), the account picker with a client's long name stays on
 * the screen, and an order is entered, amended and cancelled for a client by touch, with the amend row's fields on the
 * screen where the Amend button was tapped; the header's notification list opens within the screen. What happened to the order is read back through the API.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { TERMS } from "../support/server.ts";
import { browserAvailable, browserSuite, screenshot, type Viewport } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";
import { tradeThroughApi } from "./support/market.ts";

const run = browserAvailable("trading terminal on narrow screens");
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };
/** A client's name as long as a real cooperative's, the longest text of the account picker. */
const LONG_CLIENT = "Zhanaozen autogas cooperative of the Mangystau region";
/** An instrument id as long as a real one can be: plant and region written out. */
const LONG_INSTRUMENT = "PB-PAVLODAR_REFINERY-NORTH_KAZAKHSTAN-2026-01";

describe.skipIf(!run)("trading terminal on narrow screens", () => {
  const suite = browserSuite(PHONE);

  /** How far the page is wider than the screen, in CSS pixels (0 when nothing sticks out). */
  const overflow = (page: Page) => page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");

  /** The left and right edges of what a locator shows, in CSS pixels from the screen's left edge. */
  async function edges(page: Page, selector: string): Promise<{ left: number; right: number }> {
    const box = await page.locator(selector).first().boundingBox();
    if (!box) throw new Error(`${selector} is not shown`);
    return { left: Math.round(box.x), right: Math.round(box.x + box.width) };
  }

  /** Opens the header's notification list and checks it lies within the screen's width. */
  async function bellListOnScreen(page: Page, viewport: Viewport): Promise<void> {
    await page.getByTestId("notification-bell").click();
    const { left, right } = await edges(page, "#notification-list");
    expect(left, "the notification list's left edge").toBeGreaterThanOrEqual(0);
    expect(right, "the notification list's right edge").toBeLessThanOrEqual(viewport.width);
    await page.getByTestId("notification-bell").click();
  }

  async function signIn(user: string, viewport: Viewport, accounts = 2): Promise<Page> {
    const page = await suite.signIn(user, "/terminal", viewport);
    await expect
      .poll(() => page.getByTestId("account-picker").locator("option").count(), { timeout: LIVE_MS })
      .toBe(accounts);
    return page;
  }

  it("on a phone: no sideways scroll, the client's account on screen, an order entered, amended and cancelled", async () => {
    const operator = await suite.server.login("operator");
    const opened = await suite.server.call(operator, "POST", "/api/admin/accounts", {
      account: "BROKER-C2",
      member: "BROKER",
      client: LONG_CLIENT,
      canBuy: true,
      canSell: false,
      buyerCategory: "filling-station-network",
    });
    expect(opened.status).toBe(201);
    const broker = await suite.server.login("broker-trader");
    const page = await signIn("broker-trader", PHONE);

    await page.getByTestId("account-picker").selectOption("BROKER-C2");
    await expect.poll(() => page.getByTestId("account-picker").inputValue()).toBe("BROKER-C2");
    await page.getByTestId("account-picker").selectOption("BROKER-C1");
    await expect.poll(() => overflow(page), { timeout: LIVE_MS }).toBe(0);
    expect((await edges(page, "[data-testid=account-picker]")).right).toBeLessThanOrEqual(PHONE.width);

    const ticket = page.locator(".ticket");
    // The client may only buy: the ticket says why Sell is off, in the exchange's words.
    expect(await ticket.locator(".sides input[value=sell]").isDisabled()).toBe(true);
    expect(await ticket.getByTestId("side-note").textContent()).toBe(
      "Account BROKER-C1 may only buy: it is not a seller's account.",
    );
    await ticket.locator("input[name=price]").fill("130000");
    await ticket.locator("input[name=quantity]").fill("2");
    await ticket.locator("button[type=submit]").click();
    await expect
      .poll(() => ticket.getByTestId("ticket-result").textContent(), { timeout: LIVE_MS })
      .toContain("resting");
    const resting = await suite.server.call(broker, "GET", "/api/accounts/BROKER-C1/orders?limit=5");
    expect(resting.body.orders).toHaveLength(1);
    const order = resting.body.orders[0];
    expect(order).toMatchObject({ status: "resting", priceTiynPerTonne: 13_000_000, openKg: 2_000 });

    // The order's own id (the one the ticket chose), not to be read as the broker's client's: that is the account.
    expect(await page.getByTestId("own-orders").locator("thead th").first().textContent()).toBe("Order id");
    // The page has orders, fills and obligations tables now; still nothing sticks out of the screen.
    await expect.poll(() => overflow(page), { timeout: LIVE_MS }).toBe(0);

    // Amend and Cancel are in the table's last column, off to the right on a phone: the table scrolls to them.
    const orders = page.getByTestId("own-orders");
    await orders.getByRole("button", { name: "Amend" }).click();
    const form = orders.locator("form.amend");
    for (const field of ["input[name=amend-price]", "input[name=amend-quantity]"]) {
      const { left, right } = await edges(page, `form.amend ${field}`);
      expect(left, field).toBeGreaterThanOrEqual(0);
      expect(right, field).toBeLessThanOrEqual(PHONE.width);
    }
    await screenshot(page, "terminal-amend-390");
    await form.locator("input[name=amend-price]").fill("131000");
    await form.getByRole("button", { name: "Send amend" }).click();
    await expect
      .poll(
        async () =>
          (await suite.server.call(broker, "GET", "/api/accounts/BROKER-C1/orders?limit=5")).body.orders[0]
            .priceTiynPerTonne,
        { timeout: LIVE_MS },
      )
      .toBe(13_100_000);

    await orders.getByRole("button", { name: "Cancel" }).click();
    await expect
      .poll(
        async () =>
          (await suite.server.call(broker, "GET", "/api/accounts/BROKER-C1/orders?limit=5")).body.orders[0].status,
        { timeout: LIVE_MS },
      )
      .toBe("cancelled");
    expect(await overflow(page)).toBe(0);
    await bellListOnScreen(page, PHONE);
    expect(suite.pageErrors).toEqual([]);
  });

  /**
   * Where the page shows `id` (an instrument id) over more than one line, the places it is broken that are not right
   * after a hyphen or an underscore (the separators of its words): "PB-PAVLODAR_REF|INERY-…" is broken inside a
   * word, "PB-PAVLODAR_|REFINERY-…" is not. Each is said as the id with a bar where the line ends.
   */
  function brokenInsideWord(page: Page, id: string): Promise<string[]> {
    return page.evaluate(`(() => {
      const id = ${JSON.stringify(id)};
      const found = [];
      for (const element of document.querySelectorAll("body *")) {
        if (["SELECT", "OPTION", "SCRIPT", "STYLE"].includes(element.tagName)) continue;
        if (!(element.textContent || "").includes(id)) continue;
        if ([...element.children].some((child) => (child.textContent || "").includes(id))) continue;
        if (element.getClientRects().length === 0) continue;
        const chars = [];
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.data.length; i++) chars.push({ node, i, ch: node.data[i] });
        }
        const text = chars.map((c) => c.ch).join("");
        const start = text.indexOf(id);
        let previousTop = null;
        const breaks = [];
        for (let k = start; k < start + id.length; k++) {
          const range = document.createRange();
          range.setStart(chars[k].node, chars[k].i);
          range.setEnd(chars[k].node, chars[k].i + 1);
          const rect = range.getBoundingClientRect();
          if (rect.width === 0 && rect.height === 0) continue;
          if (previousTop !== null && rect.top > previousTop + 2 && !"-_".includes(text[k - 1])) breaks.push(k - start);
          previousTop = rect.top;
        }
        for (const at of breaks) found.push(id.slice(0, at) + "|" + id.slice(at));
      }
      return found;
    })()`);
  }

  it("on a phone: the fills table's quantity and liquidity are on the screen in kk, ru and en, and instrument ids break only between words", async () => {
    // An instrument whose id is as long as a real one can be (plant and region written out), with a fill on it.
    const operator = await suite.server.login("operator");
    const listed = await suite.server.call(operator, "POST", "/api/admin/instruments", {
      instrument: LONG_INSTRUMENT,
      mode: "continuous",
      tickSize: 100,
      lotSize: 1000,
      referencePrice: 13_300_000,
      clearing: TERMS,
      description: { product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
    });
    expect(listed.status).toBe(201);
    const opened = await suite.server.call(operator, "PUT", `/api/admin/instruments/${LONG_INSTRUMENT}/phase`, {
      phase: "continuous",
    });
    expect(opened.status).toBe(200);
    await tradeThroughApi(
      suite.server,
      { instrument: LONG_INSTRUMENT, price: 13_300_000, quantity: 3_000 },
      "narrow-fill",
    );
    const buyer = await suite.server.login("aktau-trader");
    const fills = await suite.server.call(buyer, "GET", "/api/accounts/AKTAU-1/fills?limit=5");
    expect(fills.body.fills[0]).toMatchObject({ instrument: LONG_INSTRUMENT, quantityKg: 3_000 });

    const page = await signIn("aktau-trader", PHONE, 1);
    await page.locator(`select:has(option[value="${LONG_INSTRUMENT}"])`).selectOption(LONG_INSTRUMENT);
    const table = page.getByTestId("fills");
    // The row of the fill's figures (its side, quantity, price, liquidity).
    const fill = table.locator("tbody tr:has(td.buy)").first();
    for (const [code, heading, liquidity, taker] of [
      ["kk", "Саны т", "Өтімділік", "тейкер"],
      ["ru", "Кол-во т", "Ликвидность", "активная"],
      ["en", "Qty t", "Liquidity", "taker"],
    ] as const) {
      await page.locator("label.language select").selectOption(code);
      await expect.poll(() => fill.count(), { timeout: LIVE_MS }).toBeGreaterThan(0);
      await expect.poll(() => table.locator("thead th").allTextContents(), { timeout: LIVE_MS }).toContain(heading);
      const headings = await table.locator("thead th").allTextContents();
      // The quantity's and the liquidity's headings and the fill's cells (3 t, taker) lie within the screen's width as
      // the page opens, without scrolling the table sideways.
      for (const column of [headings.indexOf(heading), headings.indexOf(liquidity)]) {
        expect(column, `${code}: the column is there`).toBeGreaterThanOrEqual(0);
        for (const cell of [table.locator("thead th").nth(column), fill.locator("td").nth(column)]) {
          const box = await cell.boundingBox();
          expect(box, `${code}: the ${headings[column]} cell is shown`).not.toBeNull();
          expect(
            Math.round((box?.x ?? 0) + (box?.width ?? 0)),
            `${code}: the ${headings[column]} cell's right edge`,
          ).toBeLessThanOrEqual(PHONE.width);
          expect(box?.x ?? -1, `${code}: its left edge`).toBeGreaterThanOrEqual(0);
        }
      }
      expect(await fill.locator("td").nth(headings.indexOf(heading)).textContent()).toBe("3");
      expect(await fill.locator("td").nth(headings.indexOf(liquidity)).textContent()).toBe(taker);
      // The liquidity's word stands level with the row's figures, though in the smaller type of a note: its text's
      // vertical centre within 2 px of the quantity's, and both sit on one baseline (the note's text stood 2 px off it).
      const textLine = (column: number) =>
        fill
          .locator("td")
          .nth(column)
          .evaluate((cell) => {
            const range = cell.ownerDocument.createRange();
            range.selectNodeContents(cell);
            const rect = range.getBoundingClientRect();
            // An empty inline-block's bottom edge lies on the baseline of the line it ends.
            const probe = cell.ownerDocument.createElement("span");
            probe.style.display = "inline-block";
            cell.append(probe);
            const baseline = probe.getBoundingClientRect().bottom;
            probe.remove();
            return { centre: rect.top + rect.height / 2, baseline };
          });
      const quantityLine = await textLine(headings.indexOf(heading));
      const liquidityLine = await textLine(headings.indexOf(liquidity));
      expect(
        Math.abs(liquidityLine.centre - quantityLine.centre),
        `${code}: the liquidity's centre at ${liquidityLine.centre}, the quantity's at ${quantityLine.centre}`,
      ).toBeLessThanOrEqual(2);
      expect(
        Math.abs(liquidityLine.baseline - quantityLine.baseline),
        `${code}: the liquidity's baseline at ${liquidityLine.baseline}, the quantity's at ${quantityLine.baseline}`,
      ).toBeLessThanOrEqual(0.5);
      // The fill's time and instrument, a line above its figures on the phone, take at most two lines (the id alone took
      // five in the column it had).
      const instrument = table.locator("tbody td:visible", { hasText: LONG_INSTRUMENT }).first();
      const lines = await instrument.evaluate((cell) => {
        const range = cell.ownerDocument.createRange();
        range.selectNodeContents(cell);
        const tops: number[] = [...range.getClientRects()].map((rect: { top: number }) => Math.round(rect.top));
        return new Set(tops).size;
      });
      expect(lines, `${code}: lines the instrument's id takes`).toBeLessThanOrEqual(2);
      // The table fits its box: nothing of it is left to scroll sideways to.
      const box = table.locator("xpath=..");
      expect(await box.evaluate((element) => element.scrollWidth - element.clientWidth), code).toBe(0);
      // Wherever the terminal shows the instrument's id over more than one line, it breaks between its words.
      expect(await brokenInsideWord(page, LONG_INSTRUMENT), code).toEqual([]);
      expect(await overflow(page)).toBe(0);
    }
    await screenshot(page, "terminal-fills-390");
    // The market board's list of instruments, on a phone.
    await page.locator("label.language select").selectOption("en");
    await page.getByRole("link", { name: "Market board" }).click();
    await expect
      .poll(() => page.getByTestId("quotes").locator(`tr[data-instrument="${LONG_INSTRUMENT}"]`).count(), {
        timeout: LIVE_MS,
      })
      .toBe(1);
    expect(await brokenInsideWord(page, LONG_INSTRUMENT)).toEqual([]);
    expect(await overflow(page)).toBe(0);
    await screenshot(page, "board-390");
  });

  it("on a phone: the obligations table's last column is on the screen in kk and ru, and a trade id takes at most 2 lines", async () => {
    const tradeId = await tradeThroughApi(suite.server, { price: 13_300_000, quantity: 2_000 }, "narrow-obligation");
    const buyer = await suite.server.login("aktau-trader");
    const listed = await suite.server.call(buyer, "GET", "/api/accounts/AKTAU-1/obligations?limit=5");
    const obligation: string =
      listed.body.obligations.find((o: { tradeId: string }) => o.tradeId === tradeId)?.id ?? "";
    expect(obligation, "the buyer's obligation of the trade").not.toBe("");

    const page = await signIn("aktau-trader", PHONE, 1);
    const table = page.getByTestId("obligations");
    // The row of the obligation's figures (its role, quantity, value, collateral, payment, delivery and status).
    const row = table.locator(`tbody tr[data-obligation="${obligation}"]`);
    for (const [code, status, open] of [
      ["kk", "Күйі", "ашық"],
      ["ru", "Состояние", "открыто"],
    ] as const) {
      await page.locator("label.language select").selectOption(code);
      await expect.poll(() => table.locator("thead th").allTextContents(), { timeout: LIVE_MS }).toContain(status);
      await expect.poll(() => row.count(), { timeout: LIVE_MS }).toBe(1);
      const headings = await table.locator("thead th").allTextContents();
      const last = headings.indexOf(status);
      expect(last, `${code}: the status is the last column`).toBe(headings.length - 1);
      expect(await row.locator("td").nth(last).textContent()).toBe(open);
      // The status's heading and cell lie within the screen's width as the page opens, without scrolling sideways.
      for (const cell of [table.locator("thead th").nth(last), row.locator("td").nth(last)]) {
        const box = await cell.boundingBox();
        expect(box, `${code}: the status cell is shown`).not.toBeNull();
        expect(
          Math.round((box?.x ?? 0) + (box?.width ?? 0)),
          `${code}: the status cell's right edge`,
        ).toBeLessThanOrEqual(PHONE.width);
        expect(box?.x ?? -1, `${code}: its left edge`).toBeGreaterThanOrEqual(0);
      }
      // The obligation's id, wherever it is shown, takes at most two lines (it took five in the column it had).
      const id = table.locator("tbody td:visible", { hasText: obligation }).first();
      const lines = await id.evaluate((cell) => {
        const range = cell.ownerDocument.createRange();
        range.selectNodeContents(cell);
        const tops: number[] = [...range.getClientRects()].map((rect: { top: number }) => Math.round(rect.top));
        return new Set(tops).size;
      });
      expect(lines, `${code}: lines the obligation's id takes`).toBeLessThanOrEqual(2);
      const box = table.locator("xpath=..");
      expect(await box.evaluate((element) => element.scrollWidth - element.clientWidth), code).toBe(0);
      expect(await overflow(page)).toBe(0);
    }
    await screenshot(page, "terminal-obligations-390");
  });

  it("on a phone: a settled obligation of 20 million tenge fits the screen in kk, its status written whole", async () => {
    // 154 t at 130,451 ₸/t: 20,089,454.00 ₸, a trade the demo market makes; its status "есеп айырысылды" (settled) is
    // the longest in Kazakh. Before, the figures and that status made the table 24 px wider than its box on a 390 px
    // screen and the status was cut at "айырысыл".
    const tradeId = await tradeThroughApi(suite.server, { price: 13_045_100, quantity: 154_000 }, "narrow-settled");
    const obligation = `OB-${tradeId.slice(2)}`;
    // The operator confirms the payment and the delivery; the obligation is settled (one sign-in: the suite's
    // sign-ins share a limit of 20 a minute).
    const operator = await suite.server.login("operator");
    let settled: { status?: string; valueTiyn?: number } = {};
    for (const step of ["confirm-payment", "confirm-delivery"]) {
      const confirmed = await suite.server.call(operator, "POST", `/api/admin/obligations/${obligation}/${step}`, {});
      expect(confirmed.status, step).toBe(200);
      settled = confirmed.body.obligation;
    }
    expect(settled).toMatchObject({ status: "settled", valueTiyn: 2_008_945_400 });

    const page = await signIn("aktau-trader", PHONE, 1);
    await page.locator("label.language select").selectOption("kk");
    const table = page.getByTestId("obligations");
    const row = table.locator(`tbody tr[data-obligation="${obligation}"]`);
    await expect.poll(() => row.locator("td").last().textContent(), { timeout: LIVE_MS }).toBe("есеп айырысылды");
    const cells = await row.locator("td:visible").allTextContents();
    expect(cells.map((text) => text.replace(/\s/g, " "))).toEqual([
      "154",
      "20 089 454,00",
      "1 004 472,70",
      "есеп айырысылды",
    ]);
    const box = table.locator("xpath=..");
    expect(await box.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
    const status = await row.locator("td").last().boundingBox();
    expect(Math.round((status?.x ?? 0) + (status?.width ?? 0))).toBeLessThanOrEqual(PHONE.width);
    // The status breaks between its words only: no line holds a part of "айырысылды".
    const lines = await row
      .locator("td")
      .last()
      .evaluate((cell) => {
        const range = cell.ownerDocument.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].map((rect: { top: number }) => Math.round(rect.top))).size;
      });
    expect(lines).toBeLessThanOrEqual(2);
    expect(await overflow(page)).toBe(0);
    await screenshot(page, "terminal-obligations-settled-390");
  });

  it("on a tablet: no sideways scroll", async () => {
    const page = await signIn("broker-trader", TABLET);
    await page.getByTestId("account-picker").selectOption("BROKER-C2");
    await expect.poll(() => page.getByTestId("account-picker").inputValue()).toBe("BROKER-C2");
    await expect.poll(() => overflow(page), { timeout: LIVE_MS }).toBe(0);
    expect((await edges(page, "[data-testid=account-picker]")).right).toBeLessThanOrEqual(TABLET.width);
    await bellListOnScreen(page, TABLET);
  });

  it("a seller on a tablet and a phone: no sideways scroll; a negotiated deal registered for a broker's client", async () => {
    const tablet = await signIn("kazgpz-trader", TABLET, 1);
    await expect.poll(() => overflow(tablet), { timeout: LIVE_MS }).toBe(0);
    const phone = await signIn("kazgpz-trader", PHONE, 1);
    await expect.poll(() => overflow(phone), { timeout: LIVE_MS }).toBe(0);
    const form = phone.getByTestId("negotiated-form");
    await form.locator("input[name=buyer]").fill("BROKER-C1");
    await form.locator("input[name=price]").fill("133000");
    await form.locator("input[name=quantity]").fill("2");
    const { right } = await edges(phone, "[data-testid=negotiated-form] button[type=submit]");
    expect(right).toBeLessThanOrEqual(PHONE.width);
    await form.locator("button[type=submit]").click();
    await phone.getByTestId("negotiated-result").waitFor({ timeout: LIVE_MS });
    const seller = await suite.server.login("kazgpz-trader");
    const deals = await suite.server.call(seller, "GET", "/api/accounts/KAZGPZ-1/negotiated");
    expect(deals.body.deals).toHaveLength(1);
    expect(deals.body.deals[0]).toMatchObject({ buyer: "BROKER-C1", priceTiynPerTonne: 13_300_000, quantityKg: 2_000 });
    expect(await overflow(phone)).toBe(0);
  });
});
