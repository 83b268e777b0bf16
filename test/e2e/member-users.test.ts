/**
 * A member's administrator in a real browser (Debian's Chromium through playwright-core): signs in, opens the Users
 * page, creates a trader of the member and an API key for them (the secret shown once), revokes the key and disables
 * the user, each with a reason; on a phone (390 px) the keys column stays on the screen. Every step is read back
 * through the API — the member's users as the administrator's session sees them, and the key's secret signing a
 * request that the exchange accepts until the key is revoked. A user added meanwhile whose id sorts first does not take
 * the key form's choice from the user it shows.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { sign } from "../../src/gateway/signing.ts";
import { PASSWORD, type Session } from "../support/server.ts";
import { browserAvailable, browserSuite, screenshot } from "./support/browser.ts";
import { LIVE_MS, reopenIn } from "./support/forms.ts";

const run = browserAvailable("member administrator end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

interface ListedUser {
  readonly id: string;
  readonly role: string;
  readonly member: string | null;
  readonly disabled: boolean;
  readonly keys: readonly { id: string; scopes: string[]; revoked: boolean }[];
}

describe.skipIf(!run)("a member's administrator manages users and keys in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;
  let page: Page;
  let session: Session;
  let keyId = "";
  let secret = "";

  async function listed(id: string): Promise<ListedUser | undefined> {
    const answer = await suite.server.call(session, "GET", "/api/member/users");
    expect(answer.status).toBe(200);
    expect(answer.body.member).toBe("AKTAU");
    return (answer.body.users as ListedUser[]).find((user) => user.id === id);
  }

  async function signedAccounts(): Promise<number> {
    const server = suite.server;
    const headers = {
      "x-sauda-key": keyId,
      "x-sauda-timestamp": String(server.nowMs),
      "x-sauda-signature": sign(secret, server.nowMs, "GET", "/api/accounts", ""),
    };
    return (await fetch(`${server.url}/api/accounts`, { headers })).status;
  }

  it("creates a trader of the member from the Users page", async () => {
    const server = suite.server;
    await server.addUser("aktau-admin", "administrator", "AKTAU");
    session = await server.login("aktau-admin");
    page = await signIn("aktau-admin");
    await page.getByRole("link", { name: "Users" }).click();
    await expect
      .poll(() => page.locator("#member-users-title").textContent(), { timeout: LIVE_MS })
      .toBe("Users of AKTAU");

    await page.getByLabel("User name (sign-in id)").fill("aktau-dana");
    await page.getByLabel("Full name").fill("Dana K.");
    await page.getByTestId("member-user-form").locator('select[name="role"]').selectOption("trader");
    await page.getByLabel("First password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create the user" }).click();
    await page.locator('tr[data-user="aktau-dana"]').waitFor({ timeout: LIVE_MS });

    expect(await listed("aktau-dana")).toMatchObject({ role: "trader", member: "AKTAU", disabled: false, keys: [] });
  });

  it("creates an API key whose secret, shown once, signs requests the exchange accepts", async () => {
    await page.getByLabel("For the user").selectOption("aktau-dana");
    await page.getByLabel("Scopes").selectOption("trade");
    await page.getByRole("button", { name: "Create the key" }).click();
    await page.getByTestId("member-key-secret").waitFor({ timeout: LIVE_MS });
    keyId = (await page.getByTestId("new-key-id").textContent()) ?? "";
    secret = (await page.getByTestId("new-key-secret").textContent()) ?? "";
    expect(keyId).toMatch(/^key-/);
    expect(secret.length).toBeGreaterThan(20);

    const user = await listed("aktau-dana");
    expect(user?.keys).toEqual([
      { id: keyId, user: "aktau-dana", scopes: ["read", "trade"], revoked: false, sealedWithCurrentKey: true },
    ]);
    expect(await signedAccounts()).toBe(200);
    await screenshot(page, "member-users");
    await page.getByRole("button", { name: "I have copied it" }).click();
    expect(await page.getByTestId("member-key-secret").count()).toBe(0);
  });

  it("revokes the key, disables and re-enables the user, each with the reason typed", async () => {
    const row = page.locator('tr[data-user="aktau-dana"]');
    await page.getByLabel("Reason (for disabling").fill("laptop stolen");
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => row.textContent(), { timeout: LIVE_MS }).toContain("revoked");
    expect((await listed("aktau-dana"))?.keys[0]?.revoked).toBe(true);
    expect(await signedAccounts()).toBe(401);

    await row.getByRole("button", { name: "Disable" }).click();
    await expect.poll(() => row.getByTestId("user-status").textContent(), { timeout: LIVE_MS }).toBe("Disabled");
    expect((await listed("aktau-dana"))?.disabled).toBe(true);
    await page.getByLabel("Reason (for disabling").fill("back from leave");
    await row.getByRole("button", { name: "Enable" }).click();
    await expect.poll(() => row.getByTestId("user-status").textContent(), { timeout: LIVE_MS }).toBe("Active");
    expect((await listed("aktau-dana"))?.disabled).toBe(false);
    const audit = suite.server.exchange.projections.audit.query({ actor: "aktau-admin" });
    expect(audit.map((entry) => entry.commandType).reverse()).toEqual([
      "user.create",
      "apiKey.create",
      "apiKey.revoke",
      "user.disable",
      "user.enable",
    ]);
    expect(pageErrors).toEqual([]);
  });

  it("says at the field, in Kazakh, what a new user lacks, and creates none until it is right", async () => {
    await reopenIn(page, "kk");
    const form = page.getByTestId("member-user-form");
    const errorAt = (name: string) =>
      form.locator("label", { has: page.locator(`[name=${name}]`) }).locator(".field-error:not([hidden])");
    const create = form.locator("button[type=submit]");
    await form.locator("input[name=id]").waitFor({ timeout: LIVE_MS });
    const before = (await suite.server.call(session, "GET", "/api/member/users")).body.users.length;
    // Nothing typed: the button says what is missing instead of staying mute.
    await create.click();
    expect(await errorAt("id").textContent()).toBe("«Пайдаланушы аты (логин)» өрісін толтырыңыз.");
    for (const id of ["Dana K!", "x".repeat(65)]) {
      await form.locator("input[name=id]").fill(id);
      await form.locator("input[name=name]").fill("Dana K.");
      await form.locator("input[name=password]").fill(PASSWORD);
      await create.click();
      expect(await errorAt("id").textContent()).toBe(
        "Пайдаланушы аты — 1-ден 64-ға дейін латын әрпі, цифр, нүкте, сызықша немесе астыңғы сызық.",
      );
    }
    await form.locator("input[name=id]").fill("aktau-erlan");
    await form.locator("input[name=password]").fill("short");
    await create.click();
    expect(await errorAt("password").textContent()).toMatch(/^Құпиясөз \d+–\d+ таңба болуы керек; мұнда 5 таңба\.$/);
    expect((await suite.server.call(session, "GET", "/api/member/users")).body.users).toHaveLength(before);

    await form.locator("input[name=password]").fill(PASSWORD);
    await create.click();
    await page.locator('tr[data-user="aktau-erlan"]').waitFor({ timeout: LIVE_MS });
    expect(await listed("aktau-erlan")).toMatchObject({ role: "trader", member: "AKTAU", disabled: false });
    expect(pageErrors).toEqual([]);
  });

  it("on a phone (390 px) the API keys column is on the screen, its key and Revoke button within the width", async () => {
    session = await suite.server.login("aktau-admin");
    const other = await suite.server.call(session, "POST", "/api/member/users/aktau-admin/keys", { scopes: ["read"] });
    expect(other.status).toBe(201);
    const shown = other.body.key.id as string;
    const phone = await signIn("aktau-admin", "/users", PHONE);
    const key = phone.locator(`[data-testid="member-users-table"] [data-key="${shown}"]`);
    await key.waitFor({ timeout: LIVE_MS });
    const edges = async (selector: string) => {
      const box = await phone.locator(selector).first().boundingBox();
      if (!box) throw new Error(`${selector} is not shown`);
      return [Math.round(box.x), Math.round(box.x + box.width)];
    };
    const heading = '[data-testid="member-users-table"] thead th:nth-child(4)';
    for (const selector of [heading, `[data-key="${shown}"] code`, `[data-key="${shown}"] button`]) {
      const [left, end] = await edges(selector);
      expect(left, selector).toBeGreaterThanOrEqual(0);
      expect(end, selector).toBeLessThanOrEqual(PHONE.width);
    }
    // Nothing to scroll sideways, in the page or in the table's box.
    expect(await phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")).toBe(0);
    const box = phone.locator(".table-scroll", { has: phone.getByTestId("member-users-table") });
    expect(await box.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
    await screenshot(phone, "member-users-390");
    // The key the column shows is the administrator's, live, as the API lists it.
    const listedKey = (await listed("aktau-admin"))?.keys.find((k) => k.id === shown);
    expect(listedKey).toMatchObject({ scopes: ["read"], revoked: false, sealedWithCurrentKey: true });
    await phone.close();
    expect(pageErrors).toEqual([]);
  });
  it("a user added meanwhile whose id sorts first does not get the key meant for the user shown", async () => {
    const admin = await signIn("aktau-admin", "/users");
    const form = admin.getByTestId("member-key-form");
    const picker = form.locator('select[name="keyUser"]');
    await expect.poll(() => picker.locator("option").count(), { timeout: LIVE_MS }).toBeGreaterThan(0);
    const shown = await picker.inputValue();
    expect(shown).not.toBe("");
    // Another administrator adds a user whose id sorts before every other: the live list puts it first.
    const added = await suite.server.call(session, "POST", "/api/member/users", {
      id: "aaa-first",
      name: "First By Id",
      role: "viewer",
      password: PASSWORD,
    });
    expect(added.status).toBe(201);
    // The page hears of it at its next safety poll (15 s with the stream up).
    await expect
      .poll(() => picker.locator("option").first().getAttribute("value"), { timeout: 20_000 })
      .toBe("aaa-first");
    expect(await picker.inputValue()).toBe(shown);
    const keysBefore = (await listed(shown))?.keys.length ?? 0;

    await form.getByRole("button", { name: "Create the key" }).click();
    await admin.getByTestId("member-key-secret").waitFor({ timeout: LIVE_MS });
    expect((await listed(shown))?.keys).toHaveLength(keysBefore + 1);
    expect((await listed("aaa-first"))?.keys).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
