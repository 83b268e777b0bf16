/**
 * A control form's confirmation dialog follows the reader's language while it is open: its summary, its warning and
 * its list of changes are said again in the language chosen after Submit was pressed, exactly as a dialog opened in
 * that language says them; what is confirmed then is read back through the API.
 */

import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INSTRUMENT } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { fillFields, LIVE_MS, signInOn } from "./support/forms.ts";

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

  async function language(page: Page, code: string): Promise<void> {
    await page.locator("label.language select").selectOption(code);
    await expect.poll(() => page.evaluate("document.documentElement.lang"), { timeout: LIVE_MS }).toBe(code);
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

    const page = await suite.open("/login");
    await signInOn(page, "regulator");
    await page.goto(`${suite.server.url}/regulator`);
    const form = page.getByTestId("ceiling-form");
    const dialog = form.locator("dialog[open]");
    await fillFields(form, { instrument: INSTRUMENT });
    await fillFields(form, { ceiling: "100000", floor: "" });
    await form.locator("input[name=reason]").fill("confirm-language test: a ceiling below the band");

    // What a dialog opened in each language says.
    const opened = new Map<string, string[]>();
    for (const code of ["en", "ru", "kk"]) {
      await language(page, code);
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
    await language(page, "en");
    await form.locator("button[type=submit]").click();
    await expect.poll(() => dialog.count(), { timeout: LIVE_MS }).toBe(1);
    expect(await said(form)).toEqual(opened.get("en"));
    for (const code of ["ru", "kk"]) {
      await language(page, code);
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
});
