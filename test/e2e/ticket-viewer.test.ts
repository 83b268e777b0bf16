/**
 * A member's viewer on the trading terminal: the order ticket says who it is for at its top, before the controls it
 * explains (as the notification settings do), in a note that describes the form, in en, ru and kk; and pressing Enter
 * in its fields sends nothing, read back through the API.
 */

import { describe, expect, it } from "vitest";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("the order ticket for a viewer");

describe.skipIf(!run)("the order ticket for a member's viewer", () => {
  const suite = browserSuite({ width: 390, height: 844 });

  it("says at its top that a viewer cannot send orders, and Enter sends nothing", async () => {
    const page = await suite.signIn("aktau-viewer", "/terminal");
    const ticket = page.locator("form.ticket");
    await ticket.waitFor({ timeout: LIVE_MS });
    const note = ticket.getByRole("note");
    expect(await note.count()).toBe(1);
    await note.scrollIntoViewIfNeeded();
    const noteBox = (await note.boundingBox())!;
    const firstControl = (await ticket.locator("input, select, textarea").first().boundingBox())!;
    expect(noteBox.y + noteBox.height).toBeLessThanOrEqual(firstControl.y);
    expect(await ticket.getAttribute("aria-describedby")).toBe(await note.getAttribute("id"));
    for (const [code, said] of [
      ["en", "Viewers see the market and the account but cannot send orders."],
      ["ru", "Наблюдатель видит рынок и счёт, но не может подавать заявки."],
      ["kk", "Бақылаушылар нарық пен шотты көреді, бірақ өтінім жібере алмайды."],
    ] as const) {
      await page.locator("label.language select").selectOption(code);
      await expect.poll(() => note.textContent(), { timeout: LIVE_MS }).toBe(said);
    }
    expect(await ticket.locator("button[type=submit]").count()).toBe(0);
    await ticket.locator("input[name=price]").fill("133000");
    await ticket.locator("input[name=quantity]").fill("1");
    await ticket.locator("input[name=quantity]").press("Enter");
    const orders = await suite.server.call(
      await suite.server.login("aktau-trader"),
      "GET",
      "/api/accounts/AKTAU-1/orders",
    );
    expect(orders.body.orders).toEqual([]);
    expect(suite.pageErrors).toEqual([]);
  });
});
