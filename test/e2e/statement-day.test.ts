/**
 * The statement's day on the terminal, in a real browser against a real exchange. The field and its links wait for
 * the day of the account's newest trade (the browser's today is not the exchange's: the test clock stands on
 * 5 January 2026), so a link never names a day that then changes under the reader. The field offers no day before the
 * member's admission (min, GET /api/accounts `statementsFrom`); one typed anyway is refused by the exchange with
 * STATEMENT_DAY_BEFORE_MEMBER, said under the links in the page's language, and nothing is saved. The day shown stays
 * while a trade of a later day joins the list, and the statement saved is that day's.
 */

import type { Page, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { chooseLanguage, LIVE_MS, signInOn } from "./support/forms.ts";
import { tradeThroughApi } from "./support/market.ts";

const run = browserAvailable("the statement's day");
const LAPTOP = { width: 1280, height: 900 };

describe.skipIf(!run)("the statement's day on the terminal", () => {
  const suite = browserSuite(LAPTOP);
  let page: Page;

  it("is offered once the newest trade's day is known: until then a note, no field and no link", async () => {
    await tradeThroughApi(suite.server, { price: 13_300_000, quantity: 2_000 }, "day-1");

    page = await suite.open("/login");
    // The account's obligations (where the newest trade's day comes from) are held until the test lets them go.
    const held: Route[] = [];
    let holding = true;
    await page.route("**/api/accounts/AKTAU-1/obligations**", (route) => {
      if (holding) held.push(route);
      else void route.continue();
    });
    await signInOn(page, "aktau-trader");
    if (!page.url().endsWith("/terminal")) await page.goto(`${suite.server.url}/terminal`);
    const documents = page.getByTestId("documents");
    const loading = documents.getByTestId("statement-loading");
    await loading.waitFor({ timeout: LIVE_MS });
    expect(await loading.textContent()).toBe(
      "The statement's day is being read: the day of the account's newest trade.",
    );
    expect(await documents.getByTestId("statement-link").count()).toBe(0);
    expect(await documents.locator("input[name=statementDate]").count()).toBe(0);
    holding = false;
    for (const route of held.splice(0)) await route.continue();

    // The first href read is the trade's day: the link only comes with it.
    const link = documents.getByTestId("statement-link");
    await link.waitFor({ timeout: LIVE_MS });
    // The statement's day and links are not items of the contracts' list (no bullet of their own).
    expect(await documents.locator("li input[name=statementDate], li [data-testid=statement-link]").count()).toBe(0);
    expect(
      await documents
        .locator("ul li")
        .evaluateAll((items) => items.every((li) => li.querySelector("[data-testid=contract-link]") !== null)),
    ).toBe(true);
    expect(await link.getAttribute("href")).toBe(
      "/api/accounts/AKTAU-1/statements/2026-01-05/pdf?scope=member&lang=en",
    );
    expect(await documents.locator("input[name=statementDate]").inputValue()).toBe("2026-01-05");
    expect(await loading.count()).toBe(0);
    expect(suite.pageErrors).toEqual([]);
  });

  it("offers no day before the member's admission; one typed anyway is refused in words, in en and ru", async () => {
    const buyer = await suite.server.login("aktau-trader");
    const listed = await suite.server.call(buyer, "GET", "/api/accounts");
    expect(listed.body.accounts[0]).toMatchObject({ account: "AKTAU-1", statementsFrom: "2026-01-05" });
    const documents = page.getByTestId("documents");
    const field = documents.locator("input[name=statementDate]");
    expect(await field.getAttribute("min")).toBe("2026-01-05");

    const downloads: string[] = [];
    page.on("download", (download) => downloads.push(download.suggestedFilename()));
    await field.fill("2026-01-04");
    await documents.getByTestId("statement-xlsx-link").click();
    await expect
      .poll(() => page.locator("#documents-error").textContent(), { timeout: LIVE_MS })
      .toBe(
        "There is no statement for 2026-01-04: member 'AKTAU' was admitted to the exchange on 2026-01-05, in Kazakhstan time; its first statement is for that day.",
      );
    const api = await suite.server.call(buyer, "GET", "/api/accounts/AKTAU-1/statements/2026-01-04/xlsx");
    expect([api.status, api.body.error.code]).toEqual([409, "STATEMENT_DAY_BEFORE_MEMBER"]);
    await chooseLanguage(page, "ru");
    await expect
      .poll(() => page.locator("#documents-error").textContent(), { timeout: LIVE_MS })
      .toBe(
        "Выписки за 04.01.2026 нет: участник 'AKTAU' допущен к торгам на бирже 05.01.2026 по времени Казахстана; его первая выписка — за этот день.",
      );
    await chooseLanguage(page, "en");
    expect(downloads).toEqual([]);
    expect(suite.pageErrors).toEqual([]);
  });

  it("keeps the day shown while a trade of a later day joins the list: the statement saved is the day shown", async () => {
    const reader = await suite.signIn("aktau-trader", "/terminal");
    const documents = reader.getByTestId("documents");
    const field = documents.locator("input[name=statementDate]");
    await expect.poll(() => field.inputValue(), { timeout: LIVE_MS }).toBe("2026-01-05");

    // A day later a trade lands: the account's newest obligation, which the page reads again, is now of 6 January.
    // The clock moves in steps shorter than a session's idle time, the page's session used after each (it stays in).
    await page.close();
    for (let step = 0; step < 4; step++) {
      suite.server.nowMs += 6 * 60 * 60 * 1000;
      expect(await reader.evaluate(async () => (await fetch("/api/accounts")).status)).toBe(200);
    }
    let tradeId = "";
    const newest = reader.waitForResponse(
      async (response) => {
        const url = new URL(response.url());
        if (url.pathname !== "/api/accounts/AKTAU-1/obligations" || url.search !== "?limit=1") return false;
        if (response.status() !== 200) return false;
        const body = (await response.json()) as { obligations?: { tradeId: string }[] };
        return tradeId !== "" && body.obligations?.[0]?.tradeId === tradeId;
      },
      { timeout: 20_000 },
    );
    tradeId = await tradeThroughApi(suite.server, { price: 13_300_000, quantity: 2_000 }, "day-2");
    await newest;
    const buyer = await suite.server.login("aktau-trader");
    const listed = await suite.server.call(buyer, "GET", "/api/accounts/AKTAU-1/obligations?limit=1");
    expect(listed.body.obligations[0]).toMatchObject({ tradeId });
    // Its trade's day in Kazakhstan time (UTC+5) is the 6th.
    const traded = new Date(listed.body.obligations[0].tradeTimeMs + 5 * 60 * 60 * 1000);
    expect(traded.toISOString().slice(0, 10)).toBe("2026-01-06");
    await expect.poll(() => documents.getByTestId("contract-link").count(), { timeout: LIVE_MS }).toBe(2);
    expect(await field.inputValue()).toBe("2026-01-05");

    const saved = reader.waitForEvent("download", { timeout: LIVE_MS });
    await documents.getByTestId("statement-xlsx-link").click();
    expect((await saved).suggestedFilename()).toBe("statement-AKTAU-2026-01-05.xlsx");
    expect(suite.pageErrors).toEqual([]);
  });
});
