/**
 * The operator's pages for users and API keys (/operator/users) and for the accreditation tariff and the VAT rate
 * (/operator/fees), in a real browser against a real exchange: each form is filled in as a person would, and what it
 * changed is read back through the API (not from the page); an issued key's secret, shown once, signs a request; wrong
 * input is refused in Russian or Kazakh, in the page or as the server's sentence, and nothing refused is recorded.
 * Every limit the pages check (VAT 50%, a tariff amount of 1,000,000,000 tenge) is tried at and past the limit.
 *
 * The scenarios share one server and run in order.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { sign } from "../../src/gateway/signing.ts";
import { KEY_FILES, newSymmetricKey } from "../../src/journal/keys.ts";
import type { Session } from "../support/server.ts";
import { browserAvailable, browserSuite, screenshot } from "./support/browser.ts";
import { fillFields, LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("operator's users, keys, tariff and VAT pages end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

interface UserRow {
  id: string;
  role: string;
  member: string | null;
  disabled: boolean;
  keys: { id: string; scopes: string[]; revoked: boolean; sealedWithCurrentKey: boolean }[];
}

describe.skipIf(!run)("the operator's users, keys, tariff and VAT pages in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;
  let page: Page;
  let operatorApi: Session;
  let keyId = "";

  const userOf = async (id: string): Promise<UserRow | undefined> =>
    ((await suite.server.call(operatorApi, "GET", "/api/admin/users")).body.users as UserRow[]).find(
      (u) => u.id === id,
    );

  async function fill(formId: string, values: Record<string, string>): Promise<void> {
    const form = page.getByTestId(formId);
    await fillFields(form, values);
    await form.locator("button[type=submit]").click();
  }

  it("(en) creates a trader of a member from the users page; the API has it", async () => {
    operatorApi = await suite.server.login("operator");
    page = await signIn("operator");
    await page.getByRole("navigation").getByRole("link", { name: "Users and keys" }).click();
    await page.getByTestId("operator-users-table").waitFor({ timeout: LIVE_MS });
    expect(await page.locator('[data-user="aktau-trader"] th').textContent()).toContain("aktau-trader");
    // The operator's own user cannot be disabled (the API refuses it), so it has no button.
    expect(await page.locator('[data-user="operator"]').getByRole("button").count()).toBe(0);
    expect(await page.locator('[data-user="operator"]').textContent()).toContain("(you)");

    await fill("operator-user-form", {
      id: "aktau-trader-2",
      name: "Aigerim S.",
      role: "trader",
      member: "AKTAU",
      password: "a long passphrase only I know",
      createReason: "joined the desk",
    });
    await expect
      .poll(() => page.getByTestId("operator-user-created").textContent(), { timeout: LIVE_MS })
      .toBe("User aktau-trader-2 created: trader, member AKTAU.");
    expect(await userOf("aktau-trader-2")).toEqual({
      id: "aktau-trader-2",
      name: "Aigerim S.",
      role: "trader",
      member: "AKTAU",
      disabled: false,
      secondFactor: false,
      secondFactorSealedWithCurrentKey: null,
      keys: [],
    });
    await expect
      .poll(() => page.locator('[data-user="aktau-trader-2"] [data-testid=user-status]').textContent(), {
        timeout: LIVE_MS,
      })
      .toBe("Active");
    // The new person signs in with the password given.
    expect((await suite.server.login("aktau-trader-2", "a long passphrase only I know")).csrf).not.toBe("");
  });

  it("(en) issues an API key: the secret is shown once and signs a request; the API lists the key", async () => {
    const form = page.getByTestId("operator-key-form");
    // A key that trades also reads: read unchecked takes trade with it, and trade checked brings read back.
    await form.locator("input[name=scope-trade]").check();
    await form.locator("input[name=scope-read]").uncheck();
    expect(await form.locator("input[name=scope-trade]").isChecked()).toBe(false);
    await form.locator("input[name=scope-trade]").check();
    expect(await form.locator("input[name=scope-read]").isChecked()).toBe(true);
    await fill("operator-key-form", { keyUser: "aktau-trader-2" });
    const shown = page.getByTestId("operator-key-secret");
    await shown.waitFor({ timeout: LIVE_MS });
    expect(await shown.locator("p").first().textContent()).toBe(
      "Key issued to aktau-trader-2 (read, trade). Copy the secret now: it is shown only this once.",
    );
    keyId = (await page.getByTestId("new-key-id").textContent()) ?? "";
    const secret = (await page.getByTestId("new-key-secret").textContent()) ?? "";
    expect(keyId).not.toBe("");
    expect(secret.length).toBeGreaterThan(16);
    expect((await userOf("aktau-trader-2"))?.keys).toEqual([
      { id: keyId, user: "aktau-trader-2", scopes: ["read", "trade"], revoked: false, sealedWithCurrentKey: true },
    ]);

    // The secret shown is the key's: a request signed with it is the new trader's.
    const path = "/api/session";
    const signed = await fetch(`${suite.server.url}${path}`, {
      headers: {
        "x-sauda-key": keyId,
        "x-sauda-timestamp": String(suite.server.nowMs),
        "x-sauda-signature": sign(secret, suite.server.nowMs, "GET", path, ""),
      },
    });
    expect(signed.status).toBe(200);
    expect(((await signed.json()) as { user: { id: string } }).user.id).toBe("aktau-trader-2");

    await shown.getByRole("button", { name: "I have copied it" }).click();
    expect(await page.getByTestId("operator-key-secret").count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, "operator-users-en");
  });

  it("(en) revokes the key and disables the user, each with a reason; without one, nothing is sent", async () => {
    const row = page.locator('[data-user="aktau-trader-2"]');
    await row.getByRole("button", { name: "Revoke" }).click();
    expect(await page.locator("#operator-users-reason-error").textContent()).toBe(
      "Type the reason first: the audit trail keeps it with the change.",
    );
    expect((await userOf("aktau-trader-2"))?.keys[0]?.revoked).toBe(false);

    await page.getByTestId("operator-users").locator("input[name=reason]").fill("desk reorganised");
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => row.getByTestId("key-revoked").textContent(), { timeout: LIVE_MS }).toBe("revoked");
    expect((await userOf("aktau-trader-2"))?.keys).toEqual([
      { id: keyId, user: "aktau-trader-2", scopes: ["read", "trade"], revoked: true, sealedWithCurrentKey: true },
    ]);
    // Said above the table; the reason, spent on that change, is cleared, so it is not given to the next by mistake.
    const reasonField = page.getByTestId("operator-users").locator("input[name=reason]");
    expect(await page.getByTestId("operator-users-done").textContent()).toBe(`Key ${keyId} of aktau-trader-2 revoked.`);
    expect(await reasonField.inputValue()).toBe("");

    await reasonField.fill("left the desk");
    await row.getByRole("button", { name: "Disable" }).click();
    await expect.poll(() => row.getByTestId("user-status").textContent(), { timeout: LIVE_MS }).toBe("Disabled");
    expect(await page.getByTestId("operator-users-done").textContent()).toBe(
      "User aktau-trader-2 disabled: signed out everywhere, their keys stopped.",
    );
    expect((await userOf("aktau-trader-2"))?.disabled).toBe(true);
    // A disabled user is offered no new key.
    expect(await page.locator('select[name=keyUser] option[value="aktau-trader-2"]').count()).toBe(0);
  });

  it("(ru) wrong input is refused in Russian: in the page (a password one character short), a common password by the server", async () => {
    await page.locator("label.language select").selectOption("ru");
    const form = page.getByTestId("operator-user-form");
    await expect
      .poll(() => form.locator("button[type=submit]").textContent(), { timeout: LIVE_MS })
      .toBe("Создать пользователя");

    await fill("operator-user-form", { id: "new trader", name: "Дана К.", role: "viewer", password: "x" });
    expect(await page.locator("#operator-user-id-error").textContent()).toBe(
      "Имя пользователя — от 1 до 64 латинских букв, цифр, точек, дефисов или подчёркиваний.",
    );
    await fill("operator-user-form", { id: "aktau-viewer-2" });
    expect(await page.locator("#operator-user-member-error").textContent()).toBe(
      "Роль «наблюдатель» относится к участнику: выберите его.",
    );
    // The password's length at the API's bound (src/domain/limits.ts): 9 characters refused in the page, 10 sent.
    await fill("operator-user-form", { member: "AKTAU", password: "ѣ".repeat(9) });
    expect(await page.locator("#operator-user-password-error").textContent()).toBe(
      "Пароль — от 10 до 200 символов; в этом 9.",
    );
    expect(await userOf("aktau-viewer-2")).toBeUndefined();
    // Ten characters pass the page; a common one is the server's refusal, in Russian.
    await fill("operator-user-form", { password: "password12" });
    const refusal = page.locator("#operator-user-error");
    await expect
      .poll(() => refusal.textContent(), { timeout: LIVE_MS })
      .toBe("Пароль не принят: этот пароль есть в списке распространённых паролей; выберите другой.");
    await fill("operator-user-form", { id: "aktau-trader-2", password: "a long passphrase only I know" });
    await expect.poll(() => refusal.textContent(), { timeout: LIVE_MS }).toContain("aktau-trader-2");
    expect(await userOf("aktau-viewer-2")).toBeUndefined();
    expect((await userOf("aktau-trader-2"))?.role).toBe("trader");
    await screenshot(page, "operator-users-ru-refused");
  });

  it("(kk) on a phone (390 px) nothing scrolls sideways; a user's Enable button is on the screen and enables the user", async () => {
    const phone = await signIn("operator", "/operator/users", PHONE);
    await phone.locator("label.language select").selectOption("kk");
    const row = phone.locator('[data-testid="operator-users-table"] [data-user="aktau-trader-2"]');
    const enable = row.getByRole("button", { name: "Қосу" });
    await enable.waitFor({ timeout: LIVE_MS });
    const edges = async (selector: string) => {
      const box = await phone.locator(selector).first().boundingBox();
      if (!box) throw new Error(`${selector} is not shown`);
      return [Math.round(box.x), Math.round(box.x + box.width)];
    };
    const table = '[data-testid="operator-users-table"]';
    const user = `${table} [data-user="aktau-trader-2"]`;
    for (const selector of [`${table} thead th:nth-child(6)`, `${user} td:nth-child(5) button`, `${user} code`]) {
      const [left, end] = await edges(selector);
      expect(left, selector).toBeGreaterThanOrEqual(0);
      expect(end, selector).toBeLessThanOrEqual(PHONE.width);
    }
    // Nothing to scroll sideways, in the page or in the table's box.
    expect(await phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")).toBe(0);
    const box = phone.locator(".table-scroll", { has: phone.getByTestId("operator-users-table") });
    expect(await box.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
    await screenshot(phone, "operator-users-kk-390");
    // The button is used once, with a reason; the API has the user enabled again.
    expect((await userOf("aktau-trader-2"))?.disabled).toBe(true);
    await phone.getByTestId("operator-users").locator("input[name=reason]").fill("back on the desk");
    await enable.click();
    await expect.poll(() => row.getByTestId("user-status").textContent(), { timeout: LIVE_MS }).toBe("Белсенді");
    expect((await userOf("aktau-trader-2"))?.disabled).toBe(false);
    await phone.close();
    expect(pageErrors).toEqual([]);
  });

  it("(kk) sets the buyers' tariff from a later date; a client's deposit, today's date and too much are refused in Kazakh", async () => {
    await page.locator("label.language select").selectOption("kk");
    await page.getByRole("navigation").getByRole("link", { name: "Тарифтер және ҚҚС" }).click();
    const form = page.getByTestId("tariff-form");
    await expect.poll(() => form.locator("input[name=from]").inputValue(), { timeout: LIVE_MS }).toBe("2026-01-06");
    const before = (await suite.server.call(operatorApi, "GET", "/api/admin/tariffs")).body;

    await fill("tariff-form", { kind: "client", deposit: "100" });
    expect(await page.locator("#tariff-deposit-error").textContent()).toBe(
      "Брокердің клиенті өз сақтандыру жарнасын төлемейді (оның орнына брокердің жарнасы жүреді): жарна — 0.",
    );
    await fill("tariff-form", { kind: "buyer", fee: "1000000000,01", deposit: "1500000", from: "2026-01-05" });
    expect(await page.locator("#tariff-fee-error").textContent()).toMatch(
      /^«Аккредиттеу алымы» өрісі ең көбі 1\s000\s000\s000,00 ₸ болуы мүмкін\.$/,
    );
    await fill("tariff-form", { fee: "400000" });
    expect(await page.locator("#tariff-from-error").textContent()).toBe(
      "Күшіне ену күні бүгіннен, 05.01.2026, кейін болуы керек: бұрын есептелген өзгермейді.",
    );
    // A refusal the page made is said again in the language chosen after it.
    await page.locator("label.language select").selectOption("ru");
    await expect
      .poll(() => page.locator("#tariff-from-error").textContent(), { timeout: LIVE_MS })
      .toBe("Дата начала действия — позже сегодняшней, 05.01.2026: уже начисленное не меняется.");
    await page.locator("label.language select").selectOption("kk");
    await fill("tariff-form", { from: "2026-02-01" });
    expect(await page.locator("#tariff-reason-error").textContent()).toBe(
      "Себебін жазыңыз: аудит журналы оны өзгеріспен бірге сақтайды.",
    );
    expect((await suite.server.call(operatorApi, "GET", "/api/admin/tariffs")).body).toEqual(before);

    await fill("tariff-form", { reason: "Биржа кеңесінің 3/2026 шешімі" });
    await expect
      .poll(() => page.getByTestId("tariff-done").textContent(), { timeout: LIVE_MS })
      .toMatch(
        /^«Сатып алушы» түріне тариф 01\.02\.2026 бастап белгіленді: алым 400\s000,00 ₸, жарна 1\s500\s000,00 ₸\.$/,
      );
    // At the limit: a fee of exactly 1,000,000,000 tenge is taken.
    await fill("tariff-form", {
      kind: "producer",
      fee: "1000000000",
      deposit: "5000000",
      from: "2026-03-01",
      reason: "шек",
    });
    await expect
      .poll(() => page.getByTestId("tariff-done").textContent(), { timeout: LIVE_MS })
      .toContain("«Өндіруші»");
    const after = (await suite.server.call(operatorApi, "GET", "/api/admin/tariffs")).body;
    expect(after.schedule).toEqual([
      {
        kind: "buyer",
        feeTiyn: 40_000_000,
        depositTiyn: 150_000_000,
        from: "2026-02-01",
        reason: "Биржа кеңесінің 3/2026 шешімі",
      },
      { kind: "producer", feeTiyn: 100_000_000_000, depositTiyn: 500_000_000, from: "2026-03-01", reason: "шек" },
    ]);
    await expect
      .poll(() => page.getByTestId("tariff-schedule").locator("tbody tr").count(), { timeout: LIVE_MS })
      .toBe(2);
    await screenshot(page, "operator-fees-kk");
  });

  it("(ru) sets the VAT rate: 50,01% refused in Russian, 50% (the limit) and 16% taken, read back", async () => {
    await page.locator("label.language select").selectOption("ru");
    const form = page.getByTestId("vat-form");
    await expect
      .poll(() => form.locator("button[type=submit]").textContent(), { timeout: LIVE_MS })
      .toBe("Задать ставку НДС");
    expect(await page.getByTestId("vat-today").textContent()).toBe(
      "Действует сегодня, 05.01.2026: 12% (ставка до любых изменений: 12%).",
    );
    await fill("vat-form", { rate: "50,01", from: "2026-03-01", reason: "проверка предела" });
    expect(await page.locator("#vat-rate-error").textContent()).toBe("Поле «Ставка НДС» — не более 50%.");
    await fill("vat-form", { rate: "12,345" });
    expect(await page.locator("#vat-rate-error").textContent()).toBe(
      "В поле «Ставка НДС» — не более двух знаков после запятой.",
    );
    expect((await suite.server.call(operatorApi, "GET", "/api/admin/vat")).body.schedule).toEqual([]);

    await fill("vat-form", { rate: "50" });
    await expect
      .poll(() => page.getByTestId("vat-done").textContent(), { timeout: LIVE_MS })
      .toBe("Ставка НДС 50% задана с 01.03.2026.");
    await fill("vat-form", { rate: "16", from: "2026-02-01", reason: "Поправка к Налоговому кодексу" });
    await expect
      .poll(() => page.getByTestId("vat-done").textContent(), { timeout: LIVE_MS })
      .toBe("Ставка НДС 16% задана с 01.02.2026.");
    const vat = (await suite.server.call(operatorApi, "GET", "/api/admin/vat")).body;
    expect(vat.rateTodayBps).toBe(1200);
    expect(
      vat.schedule.map((e: { from: string; rateBps: number; reason: string }) => [e.from, e.rateBps, e.reason]),
    ).toEqual([
      ["2026-02-01", 1600, "Поправка к Налоговому кодексу"],
      ["2026-03-01", 5000, "проверка предела"],
    ]);
    await expect.poll(() => page.getByTestId("vat-schedule").locator("tbody tr").count(), { timeout: LIVE_MS }).toBe(2);
    await screenshot(page, "operator-fees-ru");
    expect(await page.getByTestId("page-fault").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
  it("(en) a user added meanwhile whose id sorts first does not get the key meant for the user shown", async () => {
    operatorApi = await suite.server.login("operator");
    const operator = await signIn("operator", "/operator/users");
    const form = operator.getByTestId("operator-key-form");
    const picker = form.locator('select[name="keyUser"]');
    await expect.poll(() => picker.locator("option").count(), { timeout: LIVE_MS }).toBeGreaterThan(0);
    const shown = await picker.inputValue();
    expect(shown).not.toBe("");
    // Another operator adds a user whose id sorts before every other: the live list puts it first.
    const added = await suite.server.call(operatorApi, "POST", "/api/admin/users", {
      id: "aaa-first",
      name: "First By Id",
      role: "viewer",
      member: "AKTAU",
      password: "a long enough password",
    });
    expect(added.status).toBe(201);
    // The page hears of it at its next safety poll (15 s with the stream up).
    await expect
      .poll(() => picker.locator("option").first().getAttribute("value"), { timeout: 20_000 })
      .toBe("aaa-first");
    expect(await picker.inputValue()).toBe(shown);
    const keysBefore = (await userOf(shown))?.keys.length ?? 0;

    await form.locator("button[type=submit]").click();
    await operator.getByTestId("operator-key-secret").waitFor({ timeout: LIVE_MS });
    expect((await userOf(shown))?.keys).toHaveLength(keysBefore + 1);
    expect((await userOf("aaa-first"))?.keys).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
  it("(kk) after the secrets key is rotated, a live key sealed with the older one says so, in Kazakh and in the API", async () => {
    const issued = await suite.server.call(operatorApi, "POST", "/api/admin/users/aaa-first/keys", {
      scopes: ["read"],
    });
    expect(issued.status).toBe(201);
    const older = issued.body.key.id as string;
    expect(issued.body.key.sealedWithCurrentKey).toBe(true);
    // docs/security.md: a new secrets key goes first in secrets.key, the older one stays below it; then a restart.
    await suite.server.close();
    const file = join(`${suite.server.dir}-keys`, KEY_FILES.secrets);
    writeFileSync(file, `${newSymmetricKey()}\n${readFileSync(file, "utf8")}`);
    await suite.server.open();
    operatorApi = await suite.server.login("operator");
    const keysOf = async (user: string) => (await userOf(user))?.keys ?? [];
    expect((await keysOf("aaa-first")).map((k) => [k.id, k.sealedWithCurrentKey])).toEqual([[older, false]]);
    // A key issued now is sealed with the new key.
    const fresh = await suite.server.call(operatorApi, "POST", "/api/admin/users/aaa-first/keys", { scopes: ["read"] });
    expect(fresh.body.key.sealedWithCurrentKey).toBe(true);

    const operator = await signIn("operator", "/operator/users");
    await operator.getByLabel("Language").selectOption("kk");
    // A viewer's key only reads: the trade box is not offered for one.
    const keyForm = operator.getByTestId("operator-key-form");
    await keyForm.locator('select[name="keyUser"]').selectOption("aaa-first");
    expect(await keyForm.locator("input[name=scope-trade]").isDisabled()).toBe(true);
    const row = operator.locator('[data-user="aaa-first"]');
    await expect
      .poll(() => row.getByTestId("key-older-seal").allTextContents(), { timeout: LIVE_MS })
      .toEqual(["құпиясы бұрынғы шифрлау кілтімен шифрланған: жаңа кілт шығарып, мұны кері қайтарып алыңыз"]);
    expect(await row.locator(`[data-key="${older}"]`).getByTestId("key-older-seal").count()).toBe(1);
    // Revoked, the older key is no longer to be reissued: the note goes, and the API has it revoked.
    await operator.getByTestId("operator-users").locator("input[name=reason]").fill("reissued after the key rotation");
    await row.locator(`[data-key="${older}"]`).getByRole("button").click();
    await expect.poll(() => row.getByTestId("key-older-seal").count(), { timeout: LIVE_MS }).toBe(0);
    expect((await keysOf("aaa-first")).find((k) => k.id === older)?.revoked).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
