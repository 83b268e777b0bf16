/**
 * A person's saved language in a real browser: a trader chooses Kazakh on the account page (saved on the exchange,
 * read back through its users); with the browser's own memory of the choice wiped and the page reloaded, the pages
 * come back in Kazakh from the saved choice, and the server's sentences are Kazakh even to a request that asks for
 * English; the header's switch then changes the saved language too, and "follow the browser" clears it.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { localize } from "../../src/domain/messages.ts";
import { PASSWORD } from "../support/server.ts";
import { browserAvailable, browserSuite, WEB } from "./support/browser.ts";

const run = browserAvailable("saved language end-to-end tests");
const LAPTOP = { width: 1280, height: 860 };
const LIVE_MS = 10_000;
const KK = JSON.parse(readFileSync(join(WEB, "src/i18n/kk.json"), "utf8")) as { errors: Record<string, string> };

describe.skipIf(!run)("a saved language in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { open, pageErrors } = suite;
  let page: Page;

  it("saves Kazakh from the account page; reloaded without the browser's memory, pages and errors are Kazakh", async () => {
    const server = suite.server;
    page = await open("/login");
    await page.getByLabel("User name").fill("aktau-trader");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).last().click();
    await expect.poll(() => page.getByTestId("who").textContent(), { timeout: LIVE_MS }).toContain("aktau-trader");
    await page.getByTestId("who").click();
    const choice = page.getByTestId("account-language");
    await expect.poll(() => choice.isEnabled(), { timeout: LIVE_MS }).toBe(true);
    expect(await choice.inputValue()).toBe("");
    expect(server.users.user("aktau-trader")?.language).toBeNull();

    await choice.selectOption("kk");
    await expect
      .poll(() => page.getByTestId("account-language-note").textContent(), { timeout: LIVE_MS })
      .toBe("Сақталды: Қазақша.");
    expect(server.users.user("aktau-trader")?.language).toBe("kk");

    // Forget the browser's own choice: what comes back is the exchange's.
    await page.evaluate("localStorage.clear()");
    await page.reload();
    await expect.poll(() => page.locator("h1").first().textContent(), { timeout: LIVE_MS }).toBe("Менің профилім");
    expect(await page.evaluate<string>("document.documentElement.lang")).toBe("kk");
    expect(await page.getByTestId("account-language").inputValue()).toBe("kk");

    // A refusal in the page (the page writes the server's code in its language): a wrong code for a second factor.
    await page.getByRole("button", { name: "Екінші факторды қосу" }).click();
    await page.getByLabel("Код", { exact: true }).fill("000000");
    await page.getByRole("button", { name: "Растау" }).click();
    await expect
      .poll(() => page.locator("#account-error").textContent(), { timeout: LIVE_MS })
      .toBe(KK.errors.SECOND_FACTOR_INVALID);

    // A request of this session that asks for English still gets Kazakh: the saved choice wins.
    const answer = await page.evaluate(async () => {
      const response = await fetch("/api/session/language", {
        method: "PUT",
        headers: { "accept-language": "en", "content-type": "application/json" },
        body: JSON.stringify({ language: "en" }),
      });
      return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toEqual({ code: "AUTH_CSRF", message: localize("AUTH_CSRF", {}, "kk"), details: {} });
    expect(server.users.user("aktau-trader")?.language).toBe("kk");
  });

  it("the header's switch changes the saved language; 'follow the browser' clears it", async () => {
    const server = suite.server;
    await page.locator("label.language select").selectOption("ru");
    await expect.poll(() => server.users.user("aktau-trader")?.language, { timeout: LIVE_MS }).toBe("ru");
    await expect.poll(() => page.locator("h1").first().textContent(), { timeout: LIVE_MS }).toBe("Мой профиль");

    await page.getByTestId("account-language").selectOption("");
    await expect
      .poll(() => page.getByTestId("account-language-note").textContent(), { timeout: LIVE_MS })
      .toBe("Сохранено: язык определяет браузер.");
    expect(server.users.user("aktau-trader")?.language).toBeNull();
    // The pages stay as they are; the browser's choice now decides.
    expect(await page.evaluate<string>("document.documentElement.lang")).toBe("ru");
    expect(pageErrors).toEqual([]);
  });
});
