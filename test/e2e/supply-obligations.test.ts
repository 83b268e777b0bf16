/**
 * A producer's domestic supply obligation in the trading terminal (GET /api/accounts/:account/supply): what the
 * regulator planned at its plant this month, what it offered and sold, and any shortfall, read back against the API,
 * in Russian and Kazakh; a buyer's terminal shows none.
 */

import { describe, expect, it } from "vitest";
import { calendarMonth } from "../../web/src/format.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("supply obligation browser tests");

describe.skipIf(!run)("a producer's supply obligation in the terminal", () => {
  const suite = browserSuite({ width: 1280, height: 900 });
  const signIn = (user: string) => suite.signIn(user, "/terminal");

  it("shows a producer its domestic supply obligation as the API gives it, in ru and kk; a buyer has none", async () => {
    const regulator = await suite.server.login("regulator");
    const month = (await suite.server.call(regulator, "GET", "/api/regulator/supply")).body.month as string;
    const planned = await suite.server.call(regulator, "PUT", `/api/regulator/supply/plans/${month}/KAZGPZ/KAZGPZ`, {
      plannedKg: 50_000,
      reason: "terminal test: a plan the producer sees",
    });
    expect(planned.status).toBe(200);
    const page = await signIn("kazgpz-trader");
    const table = page.getByTestId("supply-obligations");
    await expect.poll(() => table.locator("tbody tr").count(), { timeout: LIVE_MS }).toBe(1);
    const producer = await suite.server.login("kazgpz-trader");
    const api = (await suite.server.call(producer, "GET", "/api/accounts/KAZGPZ-1/supply")).body;
    const row = api.plans[0] as { basis: string; plannedKg: string; soldKg: string; shortfallKg: string };
    const cells = await table.locator("tbody tr").first().locator("th, td").allTextContents();
    expect([cells[0], cells[1], cells[3], cells[4]]).toEqual([
      row.basis,
      (Number(row.plannedKg) / 1000).toLocaleString("en-US"),
      (Number(row.soldKg) / 1000).toLocaleString("en-US", { maximumFractionDigits: 3 }),
      (Number(row.shortfallKg) / 1000).toLocaleString("en-US", { maximumFractionDigits: 3 }),
    ]);
    expect(cells[1]).toBe("50");
    await page.locator("label.language select").selectOption("ru");
    await expect
      .poll(() => page.locator("#supply-obligations-title").textContent(), { timeout: LIVE_MS })
      .toBe(`Обязательство по внутренним поставкам, ${calendarMonth(month, "ru-RU")}`);
    await page.locator("label.language select").selectOption("kk");
    await expect
      .poll(() => page.locator("#supply-obligations-title").textContent(), { timeout: LIVE_MS })
      .toBe(`Ішкі жеткізу міндеттемесі, ${calendarMonth(month, "kk-KZ")}`);
    await page.locator("label.language select").selectOption("en");
    // The regulator's console shows the same figures for the producer.
    const console_ = await suite.signIn("regulator", "/regulator");
    const regulatorRow = console_.getByTestId("supply").locator("tbody tr", { hasText: "KAZGPZ" });
    await expect.poll(() => regulatorRow.count(), { timeout: LIVE_MS }).toBe(1);
    const regulatorCells = await regulatorRow.locator("th, td").allTextContents();
    expect([regulatorCells[0], regulatorCells[1], regulatorCells[3], regulatorCells[5], regulatorCells[6]]).toEqual([
      "KAZGPZ",
      row.basis,
      cells[1],
      cells[3],
      cells[4],
    ]);
    const buyer = await signIn("aktau-trader");
    await expect
      .poll(() => buyer.getByTestId("balances").locator("tbody tr").count(), { timeout: LIVE_MS })
      .toBeGreaterThan(0);
    expect(await buyer.getByTestId("supply-obligations").count()).toBe(0);
  });

  it("no page had a script error", () => {
    expect(suite.pageErrors).toEqual([]);
  });
});
