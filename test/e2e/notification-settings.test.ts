/**
 * Who changes a member's notification settings on the Account page: its administrator can (as its traders can), its
 * viewer sees them and is told who may change them, in a note at the top of the form. What the administrator saved is
 * read back through the API, and the audit trail names the administrator. A choice not yet saved stays while the page
 * reads the settings again, and is the one saved.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("notification settings on the Account page");
const LAPTOP = { width: 1280, height: 900 };

describe.skipIf(!run)("a member's notification settings on the Account page", () => {
  const suite = browserSuite(LAPTOP);

  async function accountPage(user: string): Promise<Page> {
    const page = await suite.signIn(user);
    await page.getByTestId("who").click();
    await page.getByTestId("notification-settings").waitFor({ timeout: LIVE_MS });
    return page;
  }

  it("the member's administrator saves them; they are the member's, read back through the API and audited", async () => {
    await suite.server.addUser("aktau-admin", "administrator", "AKTAU");
    const page = await accountPage("aktau-admin");
    const form = page.getByTestId("notification-settings");
    await expect.poll(() => form.locator("input[name=web-fill]").isChecked(), { timeout: LIVE_MS }).toBe(true);
    expect(await form.locator("input[name=web-shortfall]").isDisabled()).toBe(false);
    expect(await form.getByRole("button", { name: "Save notification settings" }).count()).toBe(1);
    // Who may change them is told only to those who may not.
    expect(await form.getByRole("note").count()).toBe(0);
    await form.locator("input[name=web-shortfall]").uncheck();
    await form.locator("input[name=mail-default]").check();
    await form.getByLabel("E-mail address").fill("office@aktau.kz");
    await form.getByLabel("Language of the e-mails").selectOption("kk");
    await form.getByRole("button", { name: "Save notification settings" }).click();
    await page.getByTestId("notification-settings-saved").waitFor({ timeout: LIVE_MS });

    // Read back as the member's trader: the settings are the member's, not the administrator's.
    const trader = await suite.server.login("aktau-trader");
    const saved = await suite.server.call(trader, "GET", "/api/notifications/preferences");
    expect(saved.body).toEqual({
      web: ["fill", "cancel", "deadline", "default", "deal", "void"],
      mail: ["default"],
      email: "office@aktau.kz",
      language: "kk",
    });
    const audit = await suite.server.call(
      await suite.server.login("regulator"),
      "GET",
      "/api/regulator/audit?commandType=notices.prefer&limit=1",
    );
    expect(audit.body.entries[0]).toMatchObject({ actor: "aktau-admin", role: "administrator", outcome: "accepted" });
  });

  it("the member's viewer sees them and is told who may change them, in Russian and Kazakh too", async () => {
    const page = await accountPage("aktau-viewer");
    const form = page.getByTestId("notification-settings");
    await expect
      .poll(() => form.getByLabel("E-mail address").inputValue(), { timeout: LIVE_MS })
      .toBe("office@aktau.kz");
    expect(await form.locator("input[name=web-fill]").isDisabled()).toBe(true);
    expect(await form.locator("button[type=submit]").count()).toBe(0);
    // The note is at the top of the form, a note that is seen: above the first of the disabled controls, inside the
    // window as the form is scrolled to, at the body's text size, and the form is described by it.
    const note = form.getByRole("note");
    expect(await note.count()).toBe(1);
    await form.scrollIntoViewIfNeeded();
    const noteBox = (await note.boundingBox())!;
    const firstControl = (await form.locator("input, select, textarea").first().boundingBox())!;
    expect(noteBox.y + noteBox.height).toBeLessThanOrEqual(firstControl.y);
    expect(await note.isVisible()).toBe(true);
    // Through the element's own document and window: the tests are typed without the DOM's library.
    const sizes = await note.evaluate((element) => {
      const view = element.ownerDocument.defaultView;
      return {
        note: Number.parseFloat(view.getComputedStyle(element).fontSize),
        body: Number.parseFloat(view.getComputedStyle(element.ownerDocument.body).fontSize),
      };
    });
    expect(sizes.note).toBeGreaterThanOrEqual(sizes.body);
    expect(await form.getAttribute("aria-describedby")).toBe(await note.getAttribute("id"));
    for (const [code, said] of [
      ["en", "Only a trader or an administrator of the member can change these settings."],
      ["ru", "Изменить эти настройки может только трейдер или администратор участника."],
      ["kk", "Бұл баптауларды тек қатысушының трейдері немесе әкімшісі өзгерте алады."],
    ] as const) {
      await page.locator("label.language select").selectOption(code);
      await expect.poll(() => note.textContent(), { timeout: LIVE_MS }).toBe(said);
    }
    expect(suite.pageErrors).toEqual([]);
  });

  it("a choice not yet saved stays while the page reads the settings again, and is the one saved", async () => {
    const page = await accountPage("aktau-trader");
    const form = page.getByTestId("notification-settings");
    const deal = form.locator("input[name=web-deal]");
    await expect.poll(() => deal.isChecked(), { timeout: LIVE_MS }).toBe(true);
    await deal.uncheck();
    // The page reads the saved settings again (its safety poll): they still say "deal" on the web.
    const again = await page.waitForResponse(
      (response) => new URL(response.url()).pathname === "/api/notifications/preferences" && response.status() === 200,
      { timeout: 20_000 },
    );
    expect(((await again.json()) as { web: string[] }).web).toContain("deal");
    // Two frames later the answer has been drawn.
    await page.evaluate("new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn)))");
    expect(await deal.isChecked()).toBe(false);

    await form.getByRole("button", { name: "Save notification settings" }).click();
    await page.getByTestId("notification-settings-saved").waitFor({ timeout: LIVE_MS });
    const trader = await suite.server.login("aktau-trader");
    const saved = await suite.server.call(trader, "GET", "/api/notifications/preferences");
    expect(saved.body).toEqual({
      web: ["fill", "cancel", "deadline", "default", "void"],
      mail: ["default"],
      email: "office@aktau.kz",
      language: "kk",
    });
    expect(suite.pageErrors).toEqual([]);
  });
});
