/**
 * The header's notification bell in a real browser (Debian's Chromium, which has no emoji font): the bell is drawn
 * (an inline SVG of non-zero size, no emoji that would show as an empty box) and the button carries its label in
 * English, Russian and Kazakh (switched by the header's language switch); it opens its list, which agrees with the API.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite, WEB } from "./support/browser.ts";
import { chooseLanguage, LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("notification bell end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };
const bellLabel = (language: string) =>
  (JSON.parse(readFileSync(join(WEB, `src/i18n/${language}.json`), "utf8")) as { notifications: { bell: string } })
    .notifications.bell;

describe.skipIf(!run)("the notification bell in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;

  it("is an SVG of non-zero size, labelled in en, ru and kk", async () => {
    const page = await signIn("aktau-trader");
    const bell = page.getByTestId("notification-bell");
    await bell.waitFor({ timeout: LIVE_MS });
    const icon = bell.locator("svg");
    expect(await icon.count()).toBe(1);
    const box = await icon.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(8);
    expect(box?.height ?? 0).toBeGreaterThan(8);
    // Nothing in the button needs an emoji font.
    expect(await bell.textContent()).not.toMatch(/\p{Extended_Pictographic}/u);

    for (const language of ["en", "ru", "kk"]) {
      if (language !== "en") await chooseLanguage(page, language);
      const label = bellLabel(language).replace("{count}", "0");
      await expect.poll(() => bell.getAttribute("aria-label"), { timeout: LIVE_MS }).toBe(label);
      expect(await page.getByRole("button", { name: label }).count()).toBe(1);
    }
    // The bell still opens its list, which shows what the API holds (nothing yet).
    await bell.click();
    const none = (
      JSON.parse(readFileSync(join(WEB, "src/i18n/kk.json"), "utf8")) as { notifications: { none: string } }
    ).notifications.none;
    await expect.poll(() => page.locator("#notification-list").textContent(), { timeout: LIVE_MS }).toContain(none);
    const api = await suite.server.call(await suite.server.login("aktau-trader"), "GET", "/api/notifications");
    expect(api.body.unread).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
