/**
 * A control form's confirmation dialog follows the reader's language while it is open: its summary, its warning and
 * its list of changes are said again in the language chosen after Submit was pressed, exactly as a dialog opened in
 * that language says them; what is confirmed then is read back through the API.
 */

import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INSTRUMENT } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { chooseLanguage, fillFields, LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("confirmation dialog's language");
const LAPTOP = { width: 1280, height: 900 };
const SAFEGUARDS = `/api/regulator/instruments/${INSTRUMENT}/safeguards`;

describe.skipIf(!run)("a confirmation dialog in the language of the moment", () => {
  const suite = browserSuite(LAPTOP);

  /** The dialog's sentences: summary, warning and the lines of changes, spaces made plain. */
  async function said(form: Locator): Promise<string[]> {
    const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
    const summary = await form.locator("dialog p").first().textContent();
    const warning = await form.getByTestId("confirm-warning").textContent();
    const changes = await form.getByTestId("changes").locator("li").allTextContents();
    return [summary ?? "", warning ?? "", ...changes].map(plain);
  }

  /**
   * The operator signed in on the Operator page, its deposit form, and ATYRAU-1's free tenge (in tiyn) as its trader
   * reads it through the API.
   */
  async function operatorDeposit(): Promise<{ page: Page; form: Locator; money: () => Promise<bigint> }> {
    const trader = await suite.server.login("atyrau-trader");
    const money = async () => {
      const read = await suite.server.call(trader, "GET", "/api/accounts/ATYRAU-1/balances");
      return BigInt(read.body.balances.find((b: { asset: string }) => b.asset === "KZT").free);
    };
    const page = await suite.signIn("operator", "/operator");
    return { page, form: page.getByTestId("deposit-form"), money };
  }

  it("the summary, the warning and the changes are said again in Russian and Kazakh; confirmed in Kazakh", async () => {
    const regulatorApi = await suite.server.login("regulator");
    // A band of ±10% around 133,000 ₸/t: a ceiling of 100,000 ₸/t lies below it, which the dialog warns of.
    const banded = await suite.server.call(regulatorApi, "PATCH", SAFEGUARDS, {
      bandBps: 1000,
      ceiling: null,
      floor: null,
      reason: "confirm-language test: a band of ±10%",
    });
    expect(banded.status).toBe(200);

    const page = await suite.signIn("regulator", "/regulator");
    const form = page.getByTestId("ceiling-form");
    const dialog = form.locator("dialog[open]");
    await fillFields(form, { instrument: INSTRUMENT });
    await fillFields(form, { ceiling: "100000", floor: "" });
    await form.locator("input[name=reason]").fill("confirm-language test: a ceiling below the band");

    // What a dialog opened in each language says.
    const opened = new Map<string, string[]>();
    for (const code of ["en", "ru", "kk"]) {
      await chooseLanguage(page, code);
      await form.locator("button[type=submit]").click();
      await expect.poll(() => dialog.count(), { timeout: LIVE_MS }).toBe(1);
      opened.set(code, await said(form));
      await page.keyboard.press("Escape");
      await expect.poll(() => dialog.count(), { timeout: LIVE_MS }).toBe(0);
    }
    expect(opened.get("en")?.[1]).toContain("The ceiling 100,000 ₸/t is at or below today's band");
    expect(opened.get("ru")?.[0]).toMatch(/[а-яё]/);
    expect(new Set([...opened.values()].map((lines) => lines.join("|"))).size).toBe(3);

    // Opened in English, then the language switched while it is open: it says what a dialog opened there says.
    await chooseLanguage(page, "en");
    await form.locator("button[type=submit]").click();
    await expect.poll(() => dialog.count(), { timeout: LIVE_MS }).toBe(1);
    expect(await said(form)).toEqual(opened.get("en"));
    for (const code of ["ru", "kk"]) {
      await chooseLanguage(page, code);
      await expect.poll(() => said(form), { timeout: LIVE_MS }).toEqual(opened.get(code));
    }
    // Confirmed in Kazakh: the ceiling is in force, read through the API.
    await dialog.locator(".dialog-buttons button").first().click();
    await expect.poll(() => dialog.count(), { timeout: LIVE_MS }).toBe(0);
    await expect.poll(() => form.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    const read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.ceilingTiynPerTonne).toBe(10_000_000);
    expect(suite.pageErrors).toEqual([]);
  });

  it("a deposit whose figure reads otherwise in the new language is not confirmed: the dialog closes and says so", async () => {
    const { page, form, money } = await operatorDeposit();
    const before = await money();
    const dialog = form.locator("dialog[open]");
    await fillFields(form, { account: "ATYRAU-1", amount: "1,500", reference: "CONFIRM-LANGUAGE-1" });
    // "1,500" in English is one thousand five hundred tenge; in Russian and Kazakh it is one and a half.
    await form.locator("button[type=submit]").click();
    await expect.poll(() => dialog.count(), { timeout: LIVE_MS }).toBe(1);
    expect(await form.getByTestId("confirm-summary").textContent()).toBe("Book a deposit of 1,500.00 ₸ to ATYRAU-1.");
    await chooseLanguage(page, "ru");
    // The request was made as 1,500.00 ₸; the dialog would now say 1,50 ₸. It is closed instead, and the form says why.
    await expect.poll(() => dialog.count(), { timeout: LIVE_MS }).toBe(0);
    expect(await form.locator(".field-error:not([hidden])").allTextContents()).toEqual([
      "В этом языке набранные числа читаются иначе (запятая или точка здесь читается так, как числа пишут на этом " +
        "языке), поэтому ничего не отправлено: проверьте поля и отправьте ещё раз.",
    ]);
    expect(await money()).toBe(before);
    // Submitted again in Russian, it says the figure as Russian reads it, and that is what is booked.
    await form.locator("input[name=amount]").fill("1500");
    await form.locator("button[type=submit]").click();
    await expect.poll(() => dialog.count(), { timeout: LIVE_MS }).toBe(1);
    expect((await form.getByTestId("confirm-summary").textContent())?.replace(/\s/g, " ")).toBe(
      "Зачислить 1 500,00 ₸ на счёт ATYRAU-1.",
    );
    // A switch that reads the figure the same keeps the dialog open, in the new language.
    await chooseLanguage(page, "kk");
    await expect
      .poll(async () => (await form.getByTestId("confirm-summary").textContent())?.replace(/\s/g, " "), {
        timeout: LIVE_MS,
      })
      .toBe("ATYRAU-1 шотына 1 500,00 ₸ түсімін тіркеу.");
    await dialog.locator("button").first().click();
    await expect.poll(() => form.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    expect((await money()) - before).toBe(150_000n);
    expect(suite.pageErrors).toEqual([]);
  });

  it("a deposit confirmed in English is not said again with other figures after a switch to Russian", async () => {
    const { page, form, money } = await operatorDeposit();
    const before = await money();
    await fillFields(form, { account: "ATYRAU-1", amount: "1,500", reference: "CONFIRM-LANGUAGE-2" });
    await form.locator("button[type=submit]").click();
    await form.locator("dialog[open]").getByRole("button", { name: "Yes, do it" }).click();
    await expect
      .poll(() => form.locator(".ok").textContent(), { timeout: LIVE_MS })
      .toBe("Done: Book a deposit of 1,500.00 ₸ to ATYRAU-1.");
    expect((await money()) - before).toBe(150_000n);
    // In Russian "1,500" is 1,50 ₸: the note no longer says a figure that was not booked.
    await chooseLanguage(page, "ru");
    await expect
      .poll(() => form.locator(".ok").textContent(), { timeout: LIVE_MS })
      .toBe(
        "Выполнено, как подтверждено. В этом языке набранные числа читаются иначе, поэтому здесь они не повторяются.",
      );
    expect(suite.pageErrors).toEqual([]);
  });
});
