/**
 * What the browser tests do on a page as a person would: sign in on the login page, choose the language in the
 * header (or keep one and load the page again), and fill a form's fields by name (a select is waited for until it
 * offers the value, since its options come from the live API; any other field is typed into).
 */

import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { PASSWORD } from "../../support/server.ts";

/** How long the tests wait for what the live API fills in. */
export const LIVE_MS = 10_000;

/** Signs `user` in on `page` (open at /login) with the test password and waits until the page names them. */
export async function signInOn(page: Page, user: string): Promise<void> {
  await page.getByLabel("User name").fill(user);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).last().click();
  await expect.poll(() => page.getByTestId("who").textContent(), { timeout: LIVE_MS }).toContain(user);
}

/** Chooses `code` (en, ru, kk) in the header's language picker and waits until the page is in that language. */
export async function chooseLanguage(page: Page, code: string): Promise<void> {
  await page.locator("label.language select").selectOption(code);
  await expect.poll(() => page.evaluate<string>("document.documentElement.lang"), { timeout: LIVE_MS }).toBe(code);
}

/**
 * Keeps `code` as the browser's language (where the header's picker keeps it) and loads the page again in it: the same
 * page, or `path` on the same server when given.
 */
export async function reopenIn(page: Page, code: string, path?: string): Promise<void> {
  await page.evaluate(`localStorage.setItem("sauda.language", ${JSON.stringify(code)})`);
  if (path === undefined) await page.reload();
  else await page.goto(new URL(path, page.url()).href);
}

/** Fills `form`'s fields by name: a select chooses the value once it offers it, any other field is typed into. */
export async function fillFields(form: Locator, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const field = form.locator(`[name=${name}]`);
    if ((await field.evaluate((element) => element.tagName)) === "SELECT") {
      await expect
        .poll(() => field.locator(`option[value="${value}"]`).count(), { timeout: LIVE_MS })
        .toBeGreaterThan(0);
      await field.selectOption(value);
    } else {
      await field.fill(value);
    }
  }
}

/**
 * Fills a control form (fields by name, then the reason when one is given), submits it, confirms it and waits for its
 * "Done"; no field is left refused.
 */
export async function submitConfirmed(form: Locator, values: Record<string, string>, reason: string | null) {
  await fillFields(form, values);
  if (reason !== null) await form.locator("input[name=reason]").fill(reason);
  await form.locator("button[type=submit]").click();
  await form.getByRole("button", { name: "Yes, do it" }).click();
  await expect.poll(() => form.locator(".ok").textContent(), { timeout: LIVE_MS }).toContain("Done");
  expect(await form.locator(".field-error:not([hidden])").count()).toBe(0);
}

/**
 * Sends the terminal's ticket as it stands (its side and account as chosen) for `quantityTonnes` at `priceTenge` per
 * tonne, as a trader types them, and waits until the ticket says the order filled.
 */
export async function fillOnTicket(page: Page, priceTenge: string, quantityTonnes: string): Promise<void> {
  const ticket = page.locator(".ticket");
  await ticket.locator("input[name=price]").fill(priceTenge);
  await ticket.locator("input[name=quantity]").fill(quantityTonnes);
  await ticket.locator("button[type=submit]").click();
  await expect.poll(() => ticket.getByTestId("ticket-result").textContent(), { timeout: LIVE_MS }).toContain("filled");
}
