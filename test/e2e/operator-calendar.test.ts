/**
 * The operator's session calendar form in Kazakh and Russian, in a real browser against a real exchange: holidays are
 * typed and shown as the reader writes a day (21.03.2026), a day that is none is said at the field before anything is
 * sent, and what the form sent is read back through the API.
 *
 * The scenarios share one server and run in order: each starts from the calendar the previous one left.
 */

import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INSTRUMENT, type Session } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { fillFields, LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("operator calendar form end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };
const CALENDAR = `/api/admin/instruments/${INSTRUMENT}/calendar`;

describe.skipIf(!run)("the operator's calendar form in Kazakh and Russian", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;
  let operatorApi: Session;

  /** The operator's console in `language`, the page's clock at the exchange's (January 2026). */
  async function operatorConsole(language: "kk" | "ru"): Promise<Page> {
    const page = await signIn("operator");
    // Runs in the page before its scripts (the test's TypeScript has no DOM library, so it is given as text).
    await page.addInitScript(
      `localStorage.setItem("sauda.language", ${JSON.stringify(language)});
      (() => {
        const realNow = Date.now.bind(Date);
        const offsetMs = ${suite.server.nowMs} - realNow();
        Date.now = () => realNow() + offsetMs;
      })();`,
    );
    await page.goto(`${suite.server.url}/operator`);
    return page;
  }

  /** `page`'s calendar form with the instrument chosen, once its `field` shows `value` from the calendar in force. */
  async function calendarShowing(page: Page, field: string, value: string): Promise<Locator> {
    const form = page.getByTestId("calendar-form");
    await fillFields(form, { instrument: INSTRUMENT });
    await expect.poll(() => form.locator(`input[name=${field}]`).inputValue(), { timeout: LIVE_MS }).toBe(value);
    return form;
  }

  const holidays = async (): Promise<string[]> => {
    const read = await suite.server.call(operatorApi, "GET", CALENDAR);
    return (read.body.calendar?.holidays ?? []) as string[];
  };

  it("takes holidays written as 21.03.2026 in Kazakh, sends them as days and shows them back so", async () => {
    operatorApi = await suite.server.login("operator");
    const page = await operatorConsole("kk");
    const form = page.getByTestId("calendar-form");
    await fillFields(form, { instrument: INSTRUMENT });
    // The example is the next Nauryz by the page's clock (January 2026), in the reader's form of a day.
    expect(await form.locator("input[name=holidays]").getAttribute("placeholder")).toBe("21.03.2026, 22.03.2026");
    await fillFields(form, { sessions: "11:00-13:00", preOpenMinutes: "15", holidays: "21.03.2026, 22.03.2026" });
    await form.locator("input[name=reason]").fill("calendar test: Nauryz");
    await form.locator("button[type=submit]").click();
    await form.getByRole("button", { name: "Иә, орындау" }).click();
    await expect.poll(() => form.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    expect(await form.locator(".field-error:not([hidden])").count()).toBe(0);
    expect(await holidays()).toEqual(["2026-03-21", "2026-03-22"]);

    await page.reload();
    await fillFields(form, { instrument: INSTRUMENT });
    await expect
      .poll(() => form.locator("input[name=holidays]").inputValue(), { timeout: LIVE_MS })
      .toBe("21.03.2026, 22.03.2026");
    await page.close();
  });

  it("says at the field, in Russian, that a holiday is no day, and sends nothing", async () => {
    const page = await operatorConsole("ru");
    const form = await calendarShowing(page, "holidays", "21.03.2026, 22.03.2026");
    await form.locator("input[name=holidays]").fill("21.03.2026, 31.02.2026");
    await form.locator("input[name=reason]").fill("calendar test: a day that is none");
    await form.locator("button[type=submit]").click();
    const error = form.locator(".field-error:not([hidden])");
    await expect
      .poll(() => error.textContent(), { timeout: LIVE_MS })
      .toBe("«31.02.2026» — не дата: запишите каждый праздничный день как 21.03.2026, через запятую.");
    expect(await form.locator("dialog[open]").count()).toBe(0);
    expect(await holidays()).toEqual(["2026-03-21", "2026-03-22"]);
    await page.close();
  });

  it("says at the field, in Russian, that order collection runs 0 to 240 minutes, sends nothing, and says what the form shows", async () => {
    const page = await operatorConsole("ru");
    const form = await calendarShowing(page, "holidays", "21.03.2026, 22.03.2026");
    expect(await form.locator("p.small.muted").first().textContent()).toBe(
      "В полях — календарь, действующий сейчас; отправляется только то, что вы измените.",
    );
    const before = (await suite.server.call(operatorApi, "GET", CALENDAR)).body.calendar;
    for (const minutes of ["241", "-3"]) {
      await form.locator("input[name=preOpenMinutes]").fill(minutes);
      await form.locator("input[name=reason]").fill("calendar test: minutes out of range");
      await form.locator("button[type=submit]").click();
      const error = form.locator(".field-error:not([hidden])");
      await expect.poll(() => error.textContent(), { timeout: LIVE_MS }).toBe("Укажите целое число минут от 0 до 240.");
      expect(await form.locator("dialog[open]").count()).toBe(0);
    }
    expect((await suite.server.call(operatorApi, "GET", CALENDAR)).body.calendar).toEqual(before);
    await page.close();
  });

  it("warns before sending a holiday already past, and sends it when confirmed", async () => {
    const page = await operatorConsole("ru");
    const form = await calendarShowing(page, "holidays", "21.03.2026, 22.03.2026");
    await form.locator("input[name=holidays]").fill("01.01.2025, 21.03.2026, 22.03.2026");
    await form.locator("input[name=reason]").fill("calendar test: a past day");
    await form.locator("button[type=submit]").click();
    expect(await form.getByTestId("confirm-warning").textContent()).toBe(
      "Уже прошли: 01.01.2025. Праздничный день в прошлом не закрывает ни одной сессии.",
    );
    await form.getByRole("button", { name: "Да, выполнить" }).click();
    await expect.poll(() => form.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    expect(await holidays()).toEqual(["2025-01-01", "2026-03-21", "2026-03-22"]);
    await page.close();
  });

  it("says at the field, in Kazakh, that a session's time is none of the day's, and sends nothing", async () => {
    const sessions = async () => (await suite.server.call(operatorApi, "GET", CALENDAR)).body.calendar.sessions;
    const before = await sessions();
    const page = await operatorConsole("kk");
    const form = await calendarShowing(page, "sessions", "11:00-13:00");
    const error = form.locator(".field-error:not([hidden])");
    await form.locator("input[name=reason]").fill("calendar test: hours that are none");
    for (const typed of ["25:00-26:00", "13:00-11:00"]) {
      await form.locator("input[name=sessions]").fill(typed);
      await form.locator("button[type=submit]").click();
      await expect
        .poll(() => error.textContent(), { timeout: LIVE_MS })
        .toBe(`${typed}: уақыт 00:00-ден 23:59-ға дейін, ал сессия ашылғаннан кейін жабылады.`);
      expect(await form.locator("dialog[open]").count()).toBe(0);
    }
    expect(await sessions()).toEqual(before);
    await page.close();
  });

  it("says what the calendar will be when only its holidays change, not 'set the sessions'", async () => {
    const page = await operatorConsole("kk");
    const form = await calendarShowing(page, "holidays", "01.01.2025, 21.03.2026, 22.03.2026");
    await form.locator("input[name=holidays]").fill("21.03.2026");
    await form.locator("input[name=reason]").fill("calendar test: one holiday");
    await form.locator("button[type=submit]").click();
    await form.getByRole("button", { name: "Иә, орындау" }).click();
    await expect
      .poll(() => form.locator(".ok").textContent(), { timeout: LIVE_MS })
      .toContain(
        `${INSTRUMENT} күнтізбесін орнату: сессиялар 11:00-13:00, өтінімдер ашылудан 15 мин бұрын жиналады, мерекелер: 21.03.2026.`,
      );
    expect(await holidays()).toEqual(["2026-03-21"]);
    await page.close();
  });

  it("no page had a script error", () => {
    expect(pageErrors).toEqual([]);
  });
});
