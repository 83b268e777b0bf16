/**
 * The second factor in a real browser (Debian's Chromium through playwright-core): a trader opens their account from
 * the header, sets up a second factor (the QR code and the key shown, a wrong code refused beside the field, the right
 * one accepted), and the exchange's users read back through the API say so; signed out, signing in asks for the code,
 * refuses a wrong one and lets the right one in; the code then removes the factor.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { TOTP_PERIOD_S, totpCode } from "../../src/gateway/second-factor.ts";
import { PASSWORD } from "../support/server.ts";
import { browserAvailable, browserSuite, screenshot } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("second factor end-to-end tests");
const LAPTOP = { width: 1280, height: 860 };
const STEP_MS = TOTP_PERIOD_S * 1000;

describe.skipIf(!run)("a second factor in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { open, pageErrors } = suite;
  let page: Page;
  let secret = "";

  async function fillSignIn(target: Page, user: string) {
    await target.getByLabel("User name").fill(user);
    await target.getByLabel("Password").fill(PASSWORD);
    await target.getByRole("button", { name: "Sign in" }).last().click();
  }

  it("sets up a second factor from the account page: a wrong code is refused, the right one accepted", async () => {
    const server = suite.server;
    page = await open("/login");
    await fillSignIn(page, "aktau-trader");
    await expect.poll(() => page.getByTestId("who").textContent(), { timeout: LIVE_MS }).toContain("aktau-trader");
    await page.getByTestId("who").click();
    expect(new URL(page.url()).pathname).toBe("/account");
    await expect
      .poll(() => page.getByTestId("second-factor-status").textContent(), { timeout: LIVE_MS })
      .toContain("Off");
    await page.getByRole("button", { name: "Set up a second factor" }).click();
    await page.getByTestId("second-factor-qr").waitFor({ timeout: LIVE_MS });
    secret = (await page.getByTestId("second-factor-secret").textContent()) ?? "";
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // The key shown is the one the exchange holds pending for this user.
    expect(server.secondFactors.pendingSetup("aktau-trader")?.secret).toBe(secret);

    const code = page.getByLabel("Code", { exact: true });
    await code.fill("000000");
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect
      .poll(() => page.locator("#account-error").textContent(), { timeout: LIVE_MS })
      .toContain("wrong, too old or already used");
    expect(server.users.user("aktau-trader")?.secondFactorSealed).toBeNull();

    await code.fill(totpCode(secret, server.nowMs));
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect
      .poll(() => page.getByTestId("second-factor-status").textContent(), { timeout: LIVE_MS })
      .toContain("On");
    expect(server.users.user("aktau-trader")?.secondFactorSealed).not.toBeNull();
    await screenshot(page, "account");
  });

  it("asks for the code at sign-in, refuses a wrong one and lets the right one in", async () => {
    const server = suite.server;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).click();
    await fillSignIn(page, "aktau-trader");
    const code = page.getByLabel("Code from the authenticator app");
    await code.waitFor({ timeout: LIVE_MS });
    expect(await page.locator("#signin-error").textContent()).toContain("Enter the code from your authenticator app");

    // Not six digits: said so, not taken for a wrong code.
    await code.fill("abc");
    await page.getByRole("button", { name: "Sign in" }).last().click();
    await expect
      .poll(() => page.locator("#signin-error").textContent(), { timeout: LIVE_MS })
      .toBe("A code is 6 digits, as the app shows it; this one is not.");
    expect(await code.getAttribute("aria-invalid")).toBe("true");

    server.nowMs += STEP_MS;
    await code.fill("123456");
    await page.getByRole("button", { name: "Sign in" }).last().click();
    await expect
      .poll(() => page.locator("#signin-error").textContent(), { timeout: LIVE_MS })
      .toContain("wrong, too old or already used");
    await code.fill(totpCode(secret, server.nowMs));
    await page.getByRole("button", { name: "Sign in" }).last().click();
    await expect.poll(() => page.getByTestId("who").textContent(), { timeout: LIVE_MS }).toContain("aktau-trader");
  });

  it("removes the second factor with a current code", async () => {
    const server = suite.server;
    await page.getByTestId("who").click();
    await page.getByTestId("second-factor-remove").waitFor({ timeout: LIVE_MS });
    server.nowMs += STEP_MS;
    await page.getByLabel("Code", { exact: true }).fill(totpCode(secret, server.nowMs));
    await page.getByRole("button", { name: "Remove the second factor" }).click();
    await expect
      .poll(() => page.getByTestId("second-factor-status").textContent(), { timeout: LIVE_MS })
      .toContain("Off");
    expect(server.users.user("aktau-trader")?.secondFactorSealed).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
