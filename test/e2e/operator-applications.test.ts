/**
 * The operator's accreditation desk in Russian and Kazakh, in a real browser against a real exchange: what the approval
 * form needs is said at its field before anything is sent, the application's documents are said in the reader's words,
 * and what the form sent is read back through the API.
 *
 * The scenarios share one server and run in order.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ACCREDITATION_TERMS } from "../../src/engine/accreditation.ts";
import type { Json } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { fillFields, LIVE_MS, reopenIn } from "./support/forms.ts";

const run = browserAvailable("operator accreditation desk end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };

const APPLICATION = {
  company: "ТОО «Жаңа АЖҚС»",
  bin: "190540012399",
  kind: "buyer",
  buyerCategory: "filling-station-network",
  documents: {
    registration: "REG-2019-0540",
    vat: { certificate: "VAT-60009-2019", years: 3 },
    stations: [{ name: "Ақтау 5", region: "MANGYSTAU", document: "Lease 1/2025" }],
  },
};

describe.skipIf(!run)("the operator's accreditation desk in Russian and Kazakh", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;
  let application: string;

  async function operatorConsole(language: "kk" | "ru"): Promise<Page> {
    const page = await signIn("operator");
    await reopenIn(page, language, "/operator");
    return page;
  }

  it("asks at the field for the deposit's bank reference a buyer's approval needs, then approves with it", async () => {
    const applied = await fetch(`${suite.server.url}/api/applications`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(APPLICATION),
    });
    expect(applied.status).toBe(201);
    application = ((await applied.json()) as Json).application.application;
    const page = await operatorConsole("ru");
    const form = page.getByTestId("approve-form");
    await fillFields(form, {
      application,
      member: "ZHANA",
      account: "ZHANA-1",
      feeReference: "KZ-2026-0301",
    });
    await form.locator("input[name=reason]").fill("документы сверены с реестром");
    await form.locator("button[type=submit]").click();
    // The buyer's tariff holds a deposit of 1 000 000 ₸: its reference is asked for at its field, nothing is sent.
    const error = form.locator(".control-field", { has: page.locator("input[name=depositReference]") });
    await expect
      .poll(async () => (await error.locator(".field-error:not([hidden])").textContent())?.replace(/\s/g, " "), {
        timeout: LIVE_MS,
      })
      .toBe("Для этого вида страховой взнос — 1 000 000,00 ₸: укажите банковскую ссылку его оплаты.");
    expect(await form.locator("dialog[open]").count()).toBe(0);
    const operatorApi = await suite.server.login("operator");
    const pending = await suite.server.call(operatorApi, "GET", "/api/admin/applications?status=pending");
    expect(pending.body.applications.map((a: { application: string }) => a.application)).toEqual([application]);

    await form.locator("input[name=depositReference]").fill("KZ-2026-0302");
    await form.locator("button[type=submit]").click();
    await form.getByRole("button", { name: "Да, выполнить" }).click();
    await expect.poll(() => form.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    const approved = await suite.server.call(operatorApi, "GET", "/api/admin/applications?status=approved");
    expect(approved.body.applications[0]).toMatchObject({
      application,
      member: "ZHANA",
      depositTiyn: ACCREDITATION_TERMS.buyer.depositTiyn,
    });
    await page.close();
  });

  it("says an application's documents and a member's exclusion in Kazakh words: region by name, days as 05.01.2028", async () => {
    const applied = await fetch(`${suite.server.url}/api/applications`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...APPLICATION, bin: "190540012400" }),
    });
    const second = ((await applied.json()) as Json).application.application as string;
    const page = await operatorConsole("kk");
    const row = page.locator(`tr[data-application="${second}"]`);
    await row.waitFor({ timeout: LIVE_MS });
    const text = await row.textContent();
    expect(text).toContain("ҚҚС бойынша куәлік № VAT-60009-2019; ҚҚС төлеушісі болған толық жылдар: 3");
    expect(text).toContain("Ақтау 5 станциясы (Маңғыстау), құжат Lease 1/2025");

    const form = page.getByTestId("exclude-form");
    await fillFields(form, { member: "ZHANA" });
    await form.locator("input[name=reason]").fill("өңірден тыс қайта сатты");
    await form.locator("button[type=submit]").click();
    await form.getByRole("button", { name: "Иә, орындау" }).click();
    await expect.poll(() => form.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    const operatorApi = await suite.server.login("operator");
    const listed = await suite.server.call(operatorApi, "GET", "/api/admin/applications");
    const until = listed.body.exclusions[0].barredUntil as string;
    expect(until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const [year, month, day] = until.split("-");
    await expect
      .poll(() => page.getByTestId("exclusions").textContent(), { timeout: LIVE_MS })
      .toContain(`ZHANA, ${day}.${month}.${year} дейін тыйым`);
    await page.close();
  });

  it("says at the field, in Russian, what a new member's id may hold, and sends nothing until it is right", async () => {
    const applied = await fetch(`${suite.server.url}/api/applications`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...APPLICATION, bin: "190540012401" }),
    });
    const third = ((await applied.json()) as Json).application.application as string;
    const page = await operatorConsole("ru");
    const form = page.getByTestId("approve-form");
    await fillFields(form, {
      application: third,
      member: "ЖАНА 2",
      account: "ZHANA2-1",
      feeReference: "KZ-2026-0401",
      depositReference: "KZ-2026-0402",
    });
    await form.locator("input[name=reason]").fill("документы сверены с реестром");
    await form.locator("button[type=submit]").click();
    const member = form.locator(".control-field", { has: page.locator("input[name=member]") });
    await expect
      .poll(() => member.locator(".field-error:not([hidden])").textContent(), { timeout: LIVE_MS })
      .toBe("«Идентификатор нового участника»: от 1 до 64 латинских букв, цифр или знаков, без пробелов.");
    expect(await form.locator("dialog[open]").count()).toBe(0);
    const operatorApi = await suite.server.login("operator");
    const pending = await suite.server.call(operatorApi, "GET", "/api/admin/applications?status=pending");
    expect(pending.body.applications.map((a: { application: string }) => a.application)).toContain(third);

    await form.locator("input[name=member]").fill("ZHANA2");
    await form.locator("button[type=submit]").click();
    await form.getByRole("button", { name: "Да, выполнить" }).click();
    await expect.poll(() => form.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    const approved = await suite.server.call(operatorApi, "GET", "/api/admin/applications?status=approved");
    expect(approved.body.applications.map((a: { member: string }) => a.member)).toContain("ZHANA2");
    await page.close();
  });

  it("no page had a script error", () => {
    expect(pageErrors).toEqual([]);
  });
});
