/**
 * The operator's settlement confirmations in Russian, in a real browser against a real exchange: each obligation's
 * payment and delivery deadlines are said as deadlines ("срок — …") under the buttons that confirm them, not as bare
 * times that read as when the money or the gas arrived; the figures are the API's.
 */

import { describe, expect, it } from "vitest";
import { exchangeMinute } from "../../web/src/format.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS, reopenIn } from "./support/forms.ts";
import { tradeThroughApi } from "./support/market.ts";

const run = browserAvailable("operator settlement end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };

describe.skipIf(!run)("the operator's settlement confirmations in Russian", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;

  it("says each deadline as a deadline, with the API's time in the reader's form", async () => {
    await tradeThroughApi(suite.server, { price: 13_300_000, quantity: 2_000 }, "settlement");
    const operatorApi = await suite.server.login("operator");
    const listed = await suite.server.call(operatorApi, "GET", "/api/admin/obligations?status=open&limit=10");
    const obligation = listed.body.obligations[0] as { paymentDueMs: number; deliveryDueMs: number };

    const page = await signIn("operator");
    await reopenIn(page, "ru", "/operator");
    const table = page.getByTestId("settlement");
    await table.getByTestId("payment-due").first().waitFor({ timeout: LIVE_MS });
    expect(await table.getByTestId("payment-due").first().textContent()).toBe(
      `срок ${exchangeMinute(obligation.paymentDueMs, "ru-RU")}`,
    );
    expect(await table.getByTestId("delivery-due").first().textContent()).toBe(
      `срок ${exchangeMinute(obligation.deliveryDueMs, "ru-RU")}`,
    );
    expect(pageErrors).toEqual([]);
  });
});
