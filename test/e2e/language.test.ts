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
import { LIVE_MS, reopenIn } from "./support/forms.ts";

const run = browserAvailable("saved language end-to-end tests");
const LAPTOP = { width: 1280, height: 860 };
const KK = JSON.parse(readFileSync(join(WEB, "src/i18n/kk.json"), "utf8")) as { errors: Record<string, string> };

describe.skipIf(!run)("a saved language in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { open, pageErrors } = suite;
  let page: Page;

  it("saves Kazakh from the account page; reloaded without the browser's memory, pages and errors are Kazakh", async () => {
    const server = suite.server;
    page = await suite.signIn("aktau-trader");
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

  it("signed out on a Kazakh page, an empty sign-in form says which field is missing, in Kazakh, until it can be sent", async () => {
    const signedOut = await open("/login");
    await reopenIn(signedOut, "kk");
    const submit = signedOut.locator("form button[type=submit]").last();
    const missing = signedOut.locator("#signin-missing");
    expect(await missing.textContent()).toBe("Пайдаланушы атын енгізіңіз.");
    expect(await submit.isDisabled()).toBe(true);
    // Spaces alone are not a name.
    await signedOut.locator("input[autocomplete=username]").first().fill("   ");
    expect(await missing.textContent()).toBe("Пайдаланушы атын енгізіңіз.");
    await signedOut.locator("input[autocomplete=username]").first().fill("kazgpz-trader");
    expect(await missing.textContent()).toBe("Құпиясөзді енгізіңіз.");
    expect(await submit.isDisabled()).toBe(true);
    await signedOut.locator("input[type=password]").first().fill(PASSWORD);
    expect(await missing.count()).toBe(0);
    expect(await submit.isDisabled()).toBe(false);
    // Filled in, the form signs in: the exchange names the user it now knows.
    await submit.click();
    await expect.poll(() => signedOut.getByTestId("who").count(), { timeout: LIVE_MS }).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it("signed out on a Kazakh page (an English browser), a wrong password: the request asks for Kazakh, the answer is Kazakh", async () => {
    const signedOut = await open("/login");
    await reopenIn(signedOut, "kk");
    expect(await signedOut.evaluate<string>("document.documentElement.lang")).toBe("kk");
    expect(await signedOut.evaluate<string>("navigator.language")).toBe("en-US");
    await signedOut.locator("input[autocomplete=username]").first().fill("kazgpz-trader");
    await signedOut.locator("input[type=password]").first().fill(`${PASSWORD}-wrong`);
    const answered = signedOut.waitForResponse(
      (response) => new URL(response.url()).pathname === "/api/session" && response.request().method() === "POST",
    );
    await signedOut.locator("form button[type=submit]").last().click();
    const response = await answered;
    // The page sends its own language, not the browser's: the caller is not known yet, so this decides.
    expect(await response.request().headerValue("accept-language")).toBe("kk");
    expect(response.status()).toBe(401);
    expect(response.headers()["content-language"]).toBe("kk");
    expect(((await response.json()) as { error: unknown }).error).toEqual({
      code: "AUTH_FAILED",
      message: localize("AUTH_FAILED", {}, "kk"),
      details: {},
    });
    expect(localize("AUTH_FAILED", {}, "kk")).toBe("Пайдаланушы аты немесе құпиясөз қате.");
    // What the person reads beside the form: the Kazakh sentence.
    await expect
      .poll(() => signedOut.locator("#signin-error").textContent(), { timeout: LIVE_MS })
      .toBe(KK.errors.AUTH_FAILED);
    expect(KK.errors.AUTH_FAILED).toMatch(/құпиясөз/);
    expect(await signedOut.getByTestId("who").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
