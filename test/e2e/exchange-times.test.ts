/**
 * Exchange times on the terminal read as the exchange writes them (src/domain/locale.ts `formatTimeMs`): to the minute,
 * with the day — "2026-01-05 11:00" in English, "05.01.2026 11:00" in Russian and Kazakh — for a fill, an order's last
 * change, an obligation's terms and a notice under the bell, in a real browser against a real exchange whose clock
 * stands at 11:00:30 on 5 January 2026 (the seconds are not written).
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatTimeMs } from "../../src/domain/locale.ts";
import { INSTRUMENT } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { chooseLanguage, LIVE_MS } from "./support/forms.ts";
import { tradeThroughApi } from "./support/market.ts";

const run = browserAvailable("exchange times on the terminal");
const LAPTOP = { width: 1280, height: 900 };

describe.skipIf(!run)("exchange times on the terminal", () => {
  const suite = browserSuite(LAPTOP);

  it("are written to the minute with the day, as the exchange writes them, in en, ru and kk", async () => {
    suite.server.nowMs += 30_000;
    await tradeThroughApi(suite.server, { price: 13_300_000, quantity: 2_000 }, "times-1");
    const buyer = await suite.server.login("aktau-trader");
    const fills = await suite.server.call(buyer, "GET", "/api/accounts/AKTAU-1/fills");
    const fill = fills.body.fills[0];
    const orders = await suite.server.call(buyer, "GET", `/api/accounts/AKTAU-1/orders?instrument=${INSTRUMENT}`);
    const order = orders.body.orders[0];
    const obligations = await suite.server.call(buyer, "GET", "/api/accounts/AKTAU-1/obligations");
    const obligation = obligations.body.obligations[0];
    const notices = await suite.server.call(buyer, "GET", "/api/notifications");
    const notice = notices.body.notifications[0];
    expect(new Date(fill.timeMs).toISOString()).toBe("2026-01-05T06:00:30.000Z");

    const page: Page = await suite.signIn("aktau-trader", "/terminal");
    const fillTime = page.locator(`tr.fill[data-fill="${fill.tradeId}"] td.fill-time`);
    const orderTime = page.locator(`tr[data-order="${order.orderId}"] td.order-updated`);
    const payment = page.locator(`tr.obligation[data-obligation="${obligation.id}"] td.obligation-term`).first();
    await page.getByTestId("notification-bell").click();
    const noticeTime = page.locator(`[data-testid=notification][data-id="${notice.id}"] span`).first();
    for (const language of ["en", "ru", "kk"] as const) {
      if (language !== "en") await chooseLanguage(page, language);
      const written = formatTimeMs(fill.timeMs, language);
      expect(written).toBe(language === "en" ? "2026-01-05 11:00" : "05.01.2026 11:00");
      await expect.poll(() => fillTime.textContent(), { timeout: LIVE_MS }).toBe(written);
      await expect
        .poll(() => orderTime.textContent(), { timeout: LIVE_MS })
        .toBe(formatTimeMs(order.updatedMs, language));
      await expect
        .poll(() => payment.textContent(), { timeout: LIVE_MS })
        .toContain(formatTimeMs(obligation.paymentDueMs, language));
      await expect
        .poll(() => noticeTime.textContent(), { timeout: LIVE_MS })
        .toMatch(new RegExp(` · ${formatTimeMs(notice.timeMs, language)}$`));
    }
    await chooseLanguage(page, "en");
    expect(suite.pageErrors).toEqual([]);
  });
});
