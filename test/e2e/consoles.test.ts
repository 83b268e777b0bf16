/**
 * Every control form on the regulator's and the operator's consoles, in a real browser against a real exchange: each
 * is filled in as a person would, submitted and confirmed, and what it changed is read back through the API (not from
 * the page), so a form that sends what the API does not take fails here.
 *
 * The scenarios share one server and run in order: each starts from the market the previous one left.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { tengePerTonne } from "../../web/src/format.ts";
import { INSTRUMENT, type Session } from "../support/server.ts";
import { browserAvailable, browserSuite, screenshot } from "./support/browser.ts";
import { fillFields, LIVE_MS, reopenIn, submitConfirmed } from "./support/forms.ts";
import { tradeThroughApi } from "./support/market.ts";

const run = browserAvailable("console control forms end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };
const SAFEGUARDS = `/api/regulator/instruments/${INSTRUMENT}/safeguards`;

/** A ceiling path as the API reads it back, in the shape a change sends it (to put it back as it was). */
function pathAsSent(path: readonly { effectiveFromMs: number; ceilingTiynPerTonne: number }[]) {
  return path.map((step) => ({ effectiveFromMs: step.effectiveFromMs, ceiling: step.ceilingTiynPerTonne }));
}

describe.skipIf(!run)("console control forms in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { open, pageErrors, signIn } = suite;

  /** Fills a control form's fields (select or text by name), gives the reason, submits and confirms. */
  async function submit(page: Page, formId: string, values: Record<string, string>, reason: string | null) {
    await submitConfirmed(page.getByTestId(formId), values, reason);
  }

  /** Sets the page's clock (Date.now) to `nowMs` from its next load on, shifted rather than stopped. */
  async function clockAt(page: Page, nowMs: number): Promise<void> {
    await page.addInitScript((at) => {
      const realNow = Date.now.bind(Date);
      const offsetMs = at - realNow();
      Date.now = () => realNow() + offsetMs;
    }, nowMs);
  }

  /** The audit rows' command names in words: each row's tooltip (the row's text is the summary). */
  function commandNames(page: Page): Promise<(string | null)[]> {
    return page
      .getByTestId("audit")
      .getByTestId("audit-command")
      .evaluateAll((spans) => spans.map((span) => span.getAttribute("title")));
  }

  it("(operator) the settlement buttons confirm payment and delivery", async () => {
    // A trade between two members makes an obligation to settle.
    await tradeThroughApi(suite.server, { price: 13_300_000, quantity: 2_000 }, "settle");
    const operatorApi = await suite.server.login("operator");
    const obligation = async () => {
      const read = await suite.server.call(operatorApi, "GET", "/api/admin/obligations?status=all&limit=10");
      return read.body.obligations[0] as { id: string; paid: boolean; delivered: boolean; status: string };
    };
    const { id } = await obligation();
    const page = await signIn("operator", "/operator");
    page.on("dialog", (dialog) => void dialog.accept());
    const table = page.getByTestId("settlement");
    const payment = table.getByRole("button", { name: "Payment received" });
    await payment.waitFor({ timeout: LIVE_MS });
    await payment.click();
    await expect.poll(async () => (await obligation()).paid, { timeout: LIVE_MS }).toBe(true);
    const delivery = table.getByRole("button", { name: "Gas delivered" });
    await delivery.click();
    await expect.poll(async () => (await obligation()).delivered, { timeout: LIVE_MS }).toBe(true);
    expect(await obligation()).toMatchObject({ id, status: "settled" });
  });

  let regulator: Page;
  let regulatorApi: Session;

  it("an error under a field goes when the field changes", async () => {
    regulator = await signIn("regulator", "/regulator");
    regulatorApi = await suite.server.login("regulator");
    const form = regulator.getByTestId("band-form");
    const errors = form.locator(".field-error:not([hidden])");
    await form.locator("select[name=instrument]").selectOption(INSTRUMENT);
    await form.locator("input[name=bandPercent]").fill("150");
    await form.locator("input[name=reason]").fill("console test: a wrong percentage");
    await form.locator("button[type=submit]").click();
    await expect.poll(() => errors.count(), { timeout: LIVE_MS }).toBe(1);
    await form.locator("input[name=bandPercent]").fill("15");
    expect(await errors.count()).toBe(0);
    await form.locator("input[name=bandPercent]").fill("");
  });

  it("the band and circuit breaker form sets both", async () => {
    await submit(
      regulator,
      "band-form",
      { instrument: INSTRUMENT, bandPercent: "7.5", breakerPercent: "3" },
      "console test: band",
    );
    const read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.bandBps).toBe(750);
    expect(read.body.safeguards.breakerBps).toBe(300);
  });

  it("the ceiling and floor form sets both", async () => {
    await submit(
      regulator,
      "ceiling-form",
      { instrument: INSTRUMENT, ceiling: "140000", floor: "120000" },
      "console test: ceiling",
    );
    const read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.ceilingTiynPerTonne).toBe(14_000_000);
    expect(read.body.safeguards.floorTiynPerTonne).toBe(12_000_000);
  });

  it("the ceiling path form sets its steps", async () => {
    await submit(
      regulator,
      "path-form",
      { instrument: INSTRUMENT, steps: "2026-02-01 141000; 2026-03-01 142000" },
      "console test: path",
    );
    const read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.ceilingPath).toEqual([
      { effectiveFromMs: Date.parse("2026-02-01T00:00:00+05:00"), ceilingTiynPerTonne: 14_100_000 },
      { effectiveFromMs: Date.parse("2026-03-01T00:00:00+05:00"), ceilingTiynPerTonne: 14_200_000 },
    ]);
  });

  it("the buyer limits form sets the share, orders and lots", async () => {
    await submit(
      regulator,
      "buyer-limits-form",
      { instrument: INSTRUMENT, maxSharePercent: "40", maxActiveOrders: "20", maxLotsPerOrder: "500" },
      "console test: buyer limits",
    );
    const read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.maxShareBps).toBe(4000);
    expect(read.body.safeguards.maxActiveOrders).toBe(20);
    expect(read.body.safeguards.maxLotsPerOrder).toBe(500);
  });

  it("a form shows the settings in force, sends only what changed and names what a cleared field removes", async () => {
    await regulator.reload();
    const form = regulator.getByTestId("band-form");
    await expect
      .poll(() => form.locator(`select[name=instrument] option[value="${INSTRUMENT}"]`).count(), { timeout: LIVE_MS })
      .toBe(1);
    await form.locator("select[name=instrument]").selectOption(INSTRUMENT);
    await expect.poll(() => form.locator("input[name=bandPercent]").inputValue(), { timeout: LIVE_MS }).toBe("7.5");
    expect(await form.locator("input[name=breakerPercent]").inputValue()).toBe("3");

    // Only the band changes: the circuit breaker stays.
    await form.locator("input[name=bandPercent]").fill("6");
    await form.locator("input[name=reason]").fill("console test: narrower band");
    await form.locator("button[type=submit]").click();
    expect(await form.getByTestId("changes").textContent()).toBe("Static band ± %: 7.5 → 6");
    expect(await form.getByTestId("removals").count()).toBe(0);
    await form.getByRole("button", { name: "Yes, do it" }).click();
    await expect.poll(() => form.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    let read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.bandBps).toBe(600);
    expect(read.body.safeguards.breakerBps).toBe(300);

    // Clearing the breaker says it will be removed, and removes only it.
    await form.locator("input[name=breakerPercent]").fill("");
    await form.locator("input[name=reason]").fill("console test: no breaker");
    await form.locator("button[type=submit]").click();
    expect(await form.getByTestId("removals").textContent()).toBe("This will remove: Circuit breaker ± %.");
    await form.getByRole("button", { name: "Yes, do it" }).click();
    await expect.poll(() => form.locator(".ok").textContent(), { timeout: LIVE_MS }).toContain("Done");
    read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.bandBps).toBe(600);
    expect(read.body.safeguards.breakerBps).toBe(null);
    expect(read.body.safeguards.ceilingTiynPerTonne).toBe(14_000_000);

    // Nothing changed: nothing is sent.
    await form.locator("input[name=reason]").fill("console test: nothing");
    await form.locator("button[type=submit]").click();
    expect(await form.locator(".field-error:not([hidden])").first().textContent()).toBe(
      "Nothing is changed: the fields show the settings in force.",
    );
  });

  it("in Russian the forms show a percent with a decimal comma and ceiling steps dated DD.MM.YYYY, and take them", async () => {
    const set = await suite.server.call(regulatorApi, "PATCH", SAFEGUARDS, {
      bandBps: 750,
      reason: "console test: band 7.5% for the Russian page",
    });
    expect(set.status).toBe(200);
    const page = await signIn("regulator", "/regulator");
    await page.evaluate(`localStorage.setItem("sauda.language", "ru")`);
    // The page's clock at the exchange's (January 2026), so the ceiling path's example dates are February and March.
    await clockAt(page, suite.server.nowMs);
    await page.reload();
    const band = page.getByTestId("band-form");
    await expect
      .poll(() => band.locator(`select[name=instrument] option[value="${INSTRUMENT}"]`).count(), { timeout: LIVE_MS })
      .toBe(1);
    await band.locator("select[name=instrument]").selectOption(INSTRUMENT);
    await expect.poll(() => band.locator("input[name=bandPercent]").inputValue(), { timeout: LIVE_MS }).toBe("7,5");

    const path = page.getByTestId("path-form");
    await path.locator("select[name=instrument]").selectOption(INSTRUMENT);
    const steps = path.locator("input[name=steps]");
    await expect.poll(() => steps.inputValue(), { timeout: LIVE_MS }).toBe("01.02.2026 141000; 01.03.2026 142000");
    expect(await steps.getAttribute("placeholder")).toBe("01.02.2026 125000; 01.03.2026 130000");
    // A day that does not exist is refused in Russian, naming the step and the form a date takes.
    await steps.fill("31.02.2026 141000");
    await path.locator("input[name=reason]").fill("console test: path in Russian");
    await path.locator("button[type=submit]").click();
    expect(await path.locator(".field-error:not([hidden])").first().textContent()).toBe(
      "«31.02.2026 141000» — не дата (ДД.ММ.ГГГГ) с ценой в ₸/т.",
    );
    await steps.fill("01.02.2026 141000; 01.04.2026 143000");
    await path.locator("button[type=submit]").click();
    await path.getByRole("button", { name: "Да, выполнить" }).click();
    await expect.poll(() => path.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    const read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.ceilingPath).toEqual([
      { effectiveFromMs: Date.parse("2026-02-01T00:00:00+05:00"), ceilingTiynPerTonne: 14_100_000 },
      { effectiveFromMs: Date.parse("2026-04-01T00:00:00+05:00"), ceilingTiynPerTonne: 14_300_000 },
    ]);
    await page.evaluate(`localStorage.setItem("sauda.language", "en")`);
    await page.close();
  });

  it("the ceiling path's example dates are the next months' first days by the page's clock, in Kazakh and English, and are taken", async () => {
    // December 2026 on the page, January 2026 on the exchange: the example is ahead of both.
    const page = await signIn("regulator", "/regulator");
    await page.evaluate(`localStorage.setItem("sauda.language", "kk")`);
    await clockAt(page, Date.UTC(2026, 11, 5, 6, 0));
    await page.reload();
    const path = page.getByTestId("path-form");
    const steps = path.locator("input[name=steps]");
    await path.locator("select[name=instrument]").selectOption(INSTRUMENT);
    await expect
      .poll(() => steps.getAttribute("placeholder"), { timeout: LIVE_MS })
      .toBe("01.01.2027 125000; 01.02.2027 130000");
    // The example is a path the form takes as it stands.
    await steps.fill((await steps.getAttribute("placeholder")) ?? "");
    await path.locator("input[name=reason]").fill("console test: the example path");
    await path.locator("button[type=submit]").click();
    await path.getByRole("button", { name: "Иә, орындау" }).click();
    await expect.poll(() => path.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    const read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.ceilingPath).toEqual([
      { effectiveFromMs: Date.parse("2027-01-01T00:00:00+05:00"), ceilingTiynPerTonne: 12_500_000 },
      { effectiveFromMs: Date.parse("2027-02-01T00:00:00+05:00"), ceilingTiynPerTonne: 13_000_000 },
    ]);
    await page.getByLabel("Тіл").selectOption("en");
    await expect
      .poll(() => steps.getAttribute("placeholder"), { timeout: LIVE_MS })
      .toBe("2027-01-01 125000; 2027-02-01 130000");
    await page.close();
  });

  it("a fraction of a tenge is refused at the field in the reader's language; grouped and decimal prices on the tick are taken", async () => {
    const spaces = (text: string | null) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");
    const pathBefore = (await suite.server.call(regulatorApi, "GET", SAFEGUARDS)).body.safeguards.ceilingPath;
    const cases = [
      {
        language: "en",
        step: "2026-02-01 143000,5",
        confirm: "Yes, do it",
        stepError:
          "In “2026-02-01 143000,5”: Price 143,000.50 ₸/t is off the tick: this instrument's prices go in steps of 1 ₸/t (no fractions of a step).",
        ceilingError:
          "Price 143,000.50 ₸/t is off the tick: this instrument's prices go in steps of 1 ₸/t (no fractions of a step).",
      },
      {
        language: "ru",
        step: "01.02.2026 143000,5",
        confirm: "Да, выполнить",
        stepError:
          "В «01.02.2026 143000,5»: Цена 143 000,50 ₸/т не кратна шагу цены: цены этого инструмента идут с шагом 1 ₸/т (без долей шага).",
        ceilingError:
          "Цена 143 000,50 ₸/т не кратна шагу цены: цены этого инструмента идут с шагом 1 ₸/т (без долей шага).",
      },
      {
        language: "kk",
        step: "01.02.2026 143000,5",
        confirm: "Иә, орындау",
        stepError:
          "«01.02.2026 143000,5» ішінде: 143 000,50 ₸/т бағасы баға қадамына сай емес: бұл құралдың бағалары 1 ₸/т қадаммен беріледі (қадамның бөлігінсіз).",
        ceilingError:
          "143 000,50 ₸/т бағасы баға қадамына сай емес: бұл құралдың бағалары 1 ₸/т қадаммен беріледі (қадамның бөлігінсіз).",
      },
    ];
    const separator = {
      en: "“01.02.2026 143000, 01.03.2026 144000” holds two steps: separate steps with “;”.",
      ru: "«01.02.2026 143000, 01.03.2026 144000» содержит два шага: разделяйте шаги знаком «;».",
      kk: "«01.02.2026 143000, 01.03.2026 144000» ішінде екі қадам бар: қадамдарды «;» белгісімен бөліңіз.",
    } as const;
    const repeated = {
      en: "Two steps start on 2026-02-01: each step needs a day of its own.",
      ru: "Два шага начинаются 01.02.2026: у каждого шага должен быть свой день.",
      kk: "Екі қадам 01.02.2026 басталады: әр қадамның өз күні болуы керек.",
    } as const;
    const outOfRange = {
      en: [
        ["-150000", "The price must be from 1 to 10,000,000 ₸/t."],
        ["0", "The price must be from 1 to 10,000,000 ₸/t."],
        ["20000000", "At most 10,000,000 ₸/t: the exchange takes no higher price."],
      ],
      ru: [
        ["-150000", "Цена должна быть от 1 до 10 000 000 ₸/т."],
        ["0", "Цена должна быть от 1 до 10 000 000 ₸/т."],
        ["20000000", "Не более 10 000 000 ₸/т: более высокую цену биржа не принимает."],
      ],
      kk: [
        ["-150000", "Баға 1 ₸/т бастап 10 000 000 ₸/т дейін болуы керек."],
        ["0", "Баға 1 ₸/т бастап 10 000 000 ₸/т дейін болуы керек."],
        ["20000000", "Ең көбі 10 000 000 ₸/т: биржа бұдан жоғары бағаны қабылдамайды."],
      ],
    } as const;
    const page = await signIn("regulator", "/regulator");
    for (const { language, step, stepError, ceilingError } of cases) {
      await reopenIn(page, language);
      const path = page.getByTestId("path-form");
      await expect
        .poll(() => path.locator(`select[name=instrument] option[value="${INSTRUMENT}"]`).count(), { timeout: LIVE_MS })
        .toBe(1);
      await path.locator("select[name=instrument]").selectOption(INSTRUMENT);
      const steps = path.locator("input[name=steps]");
      await expect.poll(() => steps.inputValue(), { timeout: LIVE_MS }).not.toBe("");
      await steps.fill(step);
      await path.locator("input[name=reason]").fill(`console test: a fraction of a tenge (${language})`);
      await path.locator("button[type=submit]").click();
      expect(spaces(await path.locator(".field-error:not([hidden])").first().textContent())).toBe(stepError);
      expect(await path.locator("input[name=steps][aria-invalid=true]").count()).toBe(1);
      // Steps separated by a comma are said to want ";" (they were refused as a bad price), and a day given twice
      // is named (only the exchange refused it, as steps out of order).
      await steps.fill("01.02.2026 143000, 01.03.2026 144000");
      await path.locator("button[type=submit]").click();
      expect(spaces(await path.locator(".field-error:not([hidden])").first().textContent())).toBe(
        separator[language as keyof typeof separator],
      );
      await steps.fill("01.02.2026 143000; 01.02.2026 144000");
      await path.locator("button[type=submit]").click();
      expect(spaces(await path.locator(".field-error:not([hidden])").first().textContent())).toBe(
        repeated[language as keyof typeof repeated],
      );

      const ceiling = page.getByTestId("ceiling-form");
      await ceiling.locator("select[name=instrument]").selectOption(INSTRUMENT);
      await expect.poll(() => ceiling.locator("input[name=ceiling]").inputValue(), { timeout: LIVE_MS }).not.toBe("");
      await ceiling.locator("input[name=ceiling]").fill("143000,5");
      await ceiling.locator("input[name=reason]").fill(`console test: a fractional ceiling (${language})`);
      await ceiling.locator("button[type=submit]").click();
      expect(spaces(await ceiling.locator(".field-error:not([hidden])").first().textContent())).toBe(ceilingError);
      expect(await ceiling.locator("input[name=ceiling][aria-invalid=true]").count()).toBe(1);
      // A negative, a zero or a huge ceiling is refused for what it is, not for its form: the API takes from one
      // tick to 10,000,000 ₸/t (ORDER_PRICE_MAX).
      for (const [typed, reason] of outOfRange[language as keyof typeof outOfRange]) {
        await ceiling.locator("input[name=ceiling]").fill(typed);
        await ceiling.locator("button[type=submit]").click();
        expect(spaces(await ceiling.locator(".field-error:not([hidden])").first().textContent())).toBe(reason);
      }
    }
    // Nothing was sent.
    let read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.ceilingPath).toEqual(pathBefore);
    expect(read.body.safeguards.ceilingTiynPerTonne).toBe(14_000_000);

    // On the tick, grouped by spaces or with a decimal comma or point, the same forms are taken (kk is the last).
    const path = page.getByTestId("path-form");
    await path.locator("input[name=steps]").fill("01.02.2026 143 000; 01.03.2026 144000,00");
    await path.locator("input[name=reason]").fill("console test: grouped steps");
    await path.locator("button[type=submit]").click();
    // The confirmation writes each step as the page writes dates and prices, whatever the way it was typed.
    expect(spaces(await path.locator("dialog p").first().textContent())).toBe(
      `${INSTRUMENT} бойынша: жоғарғы шек кестесі 01.02.2026 143 000 ₸/т; 01.03.2026 144 000 ₸/т.`,
    );
    await path.getByRole("button", { name: "Иә, орындау" }).click();
    await expect.poll(() => path.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    await reopenIn(page, "en");
    const ceiling = page.getByTestId("ceiling-form");
    await expect
      .poll(() => ceiling.locator(`select[name=instrument] option[value="${INSTRUMENT}"]`).count(), {
        timeout: LIVE_MS,
      })
      .toBe(1);
    await submit(
      page,
      "ceiling-form",
      { instrument: INSTRUMENT, ceiling: "150 000", floor: "121,000.00" },
      "console test: grouped ceiling",
    );
    read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.ceilingPath).toEqual([
      { effectiveFromMs: Date.parse("2026-02-01T00:00:00+05:00"), ceilingTiynPerTonne: 14_300_000 },
      { effectiveFromMs: Date.parse("2026-03-01T00:00:00+05:00"), ceilingTiynPerTonne: 14_400_000 },
    ]);
    expect(read.body.safeguards.ceilingTiynPerTonne).toBe(15_000_000);
    expect(read.body.safeguards.floorTiynPerTonne).toBe(12_100_000);
    await page.close();
  });

  it("a ceiling-path step dated in the past is said, before sending, to take effect at once; it does", async () => {
    const spaces = (text: string | null) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");
    const before = (await suite.server.call(regulatorApi, "GET", SAFEGUARDS)).body.safeguards;
    const cases = [
      {
        language: "en",
        steps: "2020-01-01 130000; 2030-01-01 145000",
        warning:
          "Dated in the past: 2020-01-01. A step dated in the past takes effect at once, as soon as this is sent: the ceiling in force becomes 130,000 ₸/t now, not on a later date.",
      },
      {
        language: "kk",
        steps: "01.01.2020 130000; 01.01.2030 145000",
        warning:
          "Күні өтіп кеткен: 01.01.2020. Өткен күнмен берілген қадам жіберілген бойда күшіне енеді: қолданыстағы жоғарғы шек кейінгі күні емес, дәл қазір 130 000 ₸/т болады.",
      },
      {
        language: "ru",
        steps: "01.01.2020 130000; 01.01.2030 145000",
        warning:
          "Дата уже прошла: 01.01.2020. Шаг с прошедшей датой вступает в силу сразу после отправки: действующий потолок сразу станет 130 000 ₸/т, а не в будущую дату.",
      },
    ];
    const page = await signIn("regulator", "/regulator");
    let path = page.getByTestId("path-form");
    for (const { language, steps, warning } of cases) {
      await reopenIn(page, language);
      path = page.getByTestId("path-form");
      await expect
        .poll(() => path.locator(`select[name=instrument] option[value="${INSTRUMENT}"]`).count(), { timeout: LIVE_MS })
        .toBe(1);
      await path.locator("select[name=instrument]").selectOption(INSTRUMENT);
      await expect.poll(() => path.locator("input[name=steps]").inputValue(), { timeout: LIVE_MS }).not.toBe("");
      // Steps all to come are not warned about.
      await path.locator("input[name=steps]").fill(steps.split("; ")[1]!);
      await path.locator("input[name=reason]").fill(`console test: a past step (${language})`);
      await path.locator("button[type=submit]").click();
      await expect.poll(() => path.locator("dialog[open]").count()).toBe(1);
      expect(await path.getByTestId("confirm-warning").count()).toBe(0);
      await page.keyboard.press("Escape");
      await expect.poll(() => path.locator("dialog[open]").count()).toBe(0);
      await path.locator("input[name=steps]").fill(steps);
      await path.locator("button[type=submit]").click();
      expect(spaces(await path.getByTestId("confirm-warning").textContent())).toBe(warning);
      if (language !== "ru") {
        await page.keyboard.press("Escape");
        await expect.poll(() => path.locator("dialog[open]").count()).toBe(0);
      }
    }
    // Sent (in Russian): the past step is the ceiling at once, the step to come waits.
    await path.getByRole("button", { name: "Да, выполнить" }).click();
    await expect.poll(() => path.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    const read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.ceilingTiynPerTonne).toBe(13_000_000);
    expect(read.body.safeguards.ceilingPath).toEqual([
      { effectiveFromMs: Date.parse("2030-01-01T00:00:00+05:00"), ceilingTiynPerTonne: 14_500_000 },
    ]);
    // The ceiling and path the next scenarios start from.
    const restored = await suite.server.call(regulatorApi, "PATCH", SAFEGUARDS, {
      ceiling: before.ceilingTiynPerTonne,
      ceilingPath: pathAsSent(before.ceilingPath),
      reason: "console test: back to the ceiling before",
    });
    expect(restored.status).toBe(200);
    await page.evaluate(`localStorage.setItem("sauda.language", "en")`);
    await page.close();
  });

  it("a ceiling below today's band is said before sending and on the board as the one price that can trade", async () => {
    const spaces = (text: string | null) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");
    const before = (await suite.server.call(regulatorApi, "GET", SAFEGUARDS)).body.safeguards;
    const banded = await suite.server.call(regulatorApi, "PATCH", SAFEGUARDS, {
      bandBps: 1000,
      ceiling: null,
      floor: null,
      ceilingPath: [],
      reason: "console test: a band of ±10%",
    });
    expect(banded.status).toBe(200);
    const limitsNow = async () =>
      (await suite.server.call(regulatorApi, "GET", `/api/instruments/${INSTRUMENT}`)).body.limits;
    // ±10% around 133,000 ₸/t.
    const staticBand = { lowTiynPerTonne: 11_970_000, highTiynPerTonne: 14_630_000 };
    expect(await limitsNow()).toMatchObject({ band: staticBand, staticBand });

    const page = await signIn("regulator", "/regulator");
    const form = page.getByTestId("ceiling-form");
    await fillFields(form, { instrument: INSTRUMENT });
    // A ceiling above the band's low is not warned about.
    await fillFields(form, { ceiling: "125000", floor: "" });
    await form.locator("input[name=reason]").fill("console test: a ceiling below the band");
    await form.locator("button[type=submit]").click();
    await expect.poll(() => form.locator("dialog[open]").count()).toBe(1);
    expect(await form.getByTestId("confirm-warning").count()).toBe(0);
    await page.keyboard.press("Escape");
    await expect.poll(() => form.locator("dialog[open]").count()).toBe(0);
    await fillFields(form, { ceiling: "100000" });
    await form.locator("button[type=submit]").click();
    expect(spaces(await form.getByTestId("confirm-warning").textContent())).toBe(
      "The ceiling 100,000 ₸/t is at or below today's band 119,700–146,300 ₸/t. The exchange accepts it: once sent, " +
        "orders can trade only at 100,000 ₸/t, resting orders above it are cancelled, and the band recentres on the " +
        "price a session trades at.",
    );
    await form.getByRole("button", { name: "Yes, do it" }).click();
    await expect.poll(() => form.locator(".ok").textContent(), { timeout: LIVE_MS }).toContain("Done");
    expect((await suite.server.call(regulatorApi, "GET", SAFEGUARDS)).body.safeguards.ceilingTiynPerTonne).toBe(
      10_000_000,
    );
    expect(await limitsNow()).toMatchObject({
      band: { lowTiynPerTonne: 10_000_000, highTiynPerTonne: 10_000_000 },
      staticBand,
      ceilingTiynPerTonne: 10_000_000,
    });

    // A floor at or above the band is said the same way (not sent here).
    await fillFields(form, { ceiling: "", floor: "150000", reason: "console test: a floor above the band" });
    await form.locator("button[type=submit]").click();
    expect(spaces(await form.getByTestId("confirm-warning").textContent())).toBe(
      "The floor 150,000 ₸/t is at or above today's band 119,700–146,300 ₸/t. The exchange accepts it: once sent, " +
        "orders can trade only at 150,000 ₸/t, resting orders below it are cancelled, and the band recentres on the " +
        "price a session trades at.",
    );
    await page.keyboard.press("Escape");
    await expect.poll(() => form.locator("dialog[open]").count()).toBe(0);
    // A ceiling-path step at or below the band is said before sending too; the step is set.
    const path = page.getByTestId("path-form");
    await fillFields(path, { instrument: INSTRUMENT });
    await path.locator("input[name=steps]").fill("2030-01-01 100000; 2031-01-01 130000");
    await path.locator("input[name=reason]").fill("console test: a step below the band");
    await path.locator("button[type=submit]").click();
    expect(spaces(await path.getByTestId("confirm-warning").textContent())).toBe(
      "At or below today's band 119,700–146,300 ₸/t: 2030-01-01 100,000. While such a step is in force, orders can " +
        "trade only at its ceiling and resting orders above it are cancelled.",
    );
    await path.getByRole("button", { name: "Yes, do it" }).click();
    await expect.poll(() => path.locator(".ok").textContent(), { timeout: LIVE_MS }).toContain("Done");
    expect((await suite.server.call(regulatorApi, "GET", SAFEGUARDS)).body.safeguards.ceilingPath).toHaveLength(2);

    // The board says what can trade, in each language, not a band "100,000–100,000".
    const board = await open("/");
    const limits = board.locator(`tr[data-instrument="${INSTRUMENT}"]`).getByTestId("limits");
    const said = {
      en: "trades only at 100,000: the ceiling caps today's band 119,700–146,300",
      ru: "сделки только по 100 000: потолок ограничивает сегодняшний коридор 119 700–146 300",
      kk: "мәмілелер тек 100 000 бағасымен: жоғарғы шек бүгінгі 119 700–146 300 дәлізін шектейді",
    };
    for (const [language, text] of Object.entries(said)) {
      await board.locator("label.language select").selectOption(language);
      await expect.poll(async () => spaces(await limits.textContent()), { timeout: LIVE_MS }).toBe(text);
    }
    await board.locator("label.language select").selectOption("en");
    await screenshot(board, "board-ceiling-below-band");
    await board.close();
    await page.close();

    const restored = await suite.server.call(regulatorApi, "PATCH", SAFEGUARDS, {
      bandBps: before.bandBps,
      ceiling: before.ceilingTiynPerTonne,
      floor: before.floorTiynPerTonne,
      ceilingPath: pathAsSent(before.ceilingPath),
      reason: "console test: back to the limits before",
    });
    expect(restored.status).toBe(200);
  });

  it("a server's refusal shown on a form follows a switch of language, as the API says it in that language", async () => {
    const page = await signIn("regulator", "/regulator");
    const form = page.getByTestId("ceiling-form");
    await expect
      .poll(() => form.locator(`select[name=instrument] option[value="${INSTRUMENT}"]`).count(), { timeout: LIVE_MS })
      .toBe(1);
    await form.locator("select[name=instrument]").selectOption(INSTRUMENT);
    await expect.poll(() => form.locator("input[name=floor]").inputValue(), { timeout: LIVE_MS }).toBe("121000");
    // A floor below the ceiling in force (150,000 ₸/t) but above the ceiling path's steps (143,000 and 144,000 ₸/t,
    // set above): the form cannot see the path, the exchange refuses it (SAFEGUARDS_INVALID).
    const path = (await suite.server.call(regulatorApi, "GET", SAFEGUARDS)).body.safeguards.ceilingPath;
    expect(path.map((step: { ceilingTiynPerTonne: number }) => step.ceilingTiynPerTonne)).toEqual([
      14_300_000, 14_400_000,
    ]);
    await form.locator("input[name=floor]").fill("145000");
    await form.locator("input[name=reason]").fill("console test: a floor above the ceiling path");
    await form.locator("button[type=submit]").click();
    // The confirmation writes the prices as the page does, grouped and with their unit.
    expect(await form.locator("dialog p").first().textContent()).toBe(
      `On ${INSTRUMENT}: ceiling — 150,000 ₸/t, floor — 145,000 ₸/t.`,
    );
    await form.getByRole("button", { name: "Yes, do it" }).click();
    const shown = form.locator(".field-error:not([hidden])");
    await expect.poll(() => shown.count(), { timeout: LIVE_MS }).toBe(1);
    // What the API says for the same change in each language (asked again, with Accept-Language).
    const refusal = async (language: string) => {
      const response = await fetch(`${suite.server.url}${SAFEGUARDS}`, {
        method: "PATCH",
        headers: {
          "content-type": "application/json",
          cookie: regulatorApi.cookie,
          "x-csrf-token": regulatorApi.csrf,
          "accept-language": language,
        },
        body: JSON.stringify({ floor: 14_500_000, reason: "console test: a floor above the ceiling path" }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("SAFEGUARDS_INVALID");
      return body.error.message;
    };
    expect(await shown.first().textContent()).toBe(await refusal("en"));
    const switcher = page.locator("label.language select");
    for (const language of ["ru", "kk", "en"]) {
      await switcher.selectOption(language);
      await expect.poll(() => shown.first().textContent(), { timeout: LIVE_MS }).toBe(await refusal(language));
    }
    expect(await refusal("ru")).toMatch(/^Ограничительные меры недействительны: /);
    expect(await refusal("kk")).toMatch(/^Шектеу шаралары жарамсыз: /);
    // Nothing changed.
    const read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.safeguards.floorTiynPerTonne).toBe(12_100_000);
    expect(read.body.safeguards.ceilingTiynPerTonne).toBe(15_000_000);

    // A check the form makes itself follows the switch too.
    await form.locator("input[name=floor]").fill("121000,5");
    await form.locator("button[type=submit]").click();
    await switcher.selectOption("ru");
    await expect
      .poll(async () => (await shown.first().textContent())?.replace(/[\u00a0\u202f]/g, " "), { timeout: LIVE_MS })
      .toBe("Цена 121 000,50 ₸/т не кратна шагу цены: цены этого инструмента идут с шагом 1 ₸/т (без долей шага).");
    await switcher.selectOption("en");
    await expect
      .poll(() => shown.first().textContent(), { timeout: LIVE_MS })
      .toBe(
        "Price 121,000.50 ₸/t is off the tick: this instrument's prices go in steps of 1 ₸/t (no fractions of a step).",
      );
    await page.close();
  });

  it("the halt and resume forms halt and resume the instrument", async () => {
    await submit(regulator, "halt-form", { scope: "instrument", instrument: INSTRUMENT }, "console test: halt");
    let read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.phase).toBe("halted");
    expect(read.body.phaseChanged.reason).toBe("console test: halt");
    const done = regulator.getByTestId("halt-form").locator(".ok");
    expect(await done.textContent()).toContain(`Halted now: ${INSTRUMENT}.`);
    // Halted again: the exchange leaves it as it is, and the form says so rather than a bare "Done".
    await submit(regulator, "halt-form", { scope: "instrument", instrument: INSTRUMENT }, "console test: halt again");
    await expect.poll(() => done.textContent(), { timeout: LIVE_MS }).toContain("Nothing changed");
    read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.phaseChanged.reason).toBe("console test: halt");
    await submit(regulator, "resume-form", { scope: "instrument", instrument: INSTRUMENT }, "console test: resume");
    read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect(read.body.phase).not.toBe("halted");
  });

  it("the audit trail can be narrowed to kinds of command", async () => {
    const audit = regulator.getByTestId("audit");
    await expect
      .poll(() => audit.getByTestId("audit-kind").allTextContents(), { timeout: LIVE_MS })
      .toContain("Trading");
    await regulator.getByTestId("audit-kinds").getByLabel("Controls").check();
    await expect
      .poll(async () => [...new Set(await audit.getByTestId("audit-kind").allTextContents())], { timeout: LIVE_MS })
      .toEqual(["Controls"]);
    const read = await suite.server.call(regulatorApi, "GET", "/api/regulator/audit?kinds=controls&limit=100");
    expect(await audit.locator("tbody tr").count()).toBe(Math.min(read.body.entries.length, 30));
    await regulator.getByTestId("audit-kinds").getByLabel("Controls").uncheck();
  });

  it("the audit trail can be narrowed to one command, named in words, and by instrument", async () => {
    const audit = regulator.getByTestId("audit");
    const type = regulator.locator("select[name=audit-type]");
    // The halt and resume above: named in words in the list, and only they once chosen.
    expect(await type.locator("option[value=halt]").textContent()).toBe("halt");
    await type.selectOption("halt");
    await regulator.locator("input[name=audit-instrument]").fill(INSTRUMENT);
    const read = await suite.server.call(
      regulatorApi,
      "GET",
      `/api/regulator/audit?commandType=halt&instrument=${INSTRUMENT}&limit=100`,
    );
    expect(read.body.entries.length).toBeGreaterThan(0);
    await expect
      .poll(() => audit.locator("tbody tr").count(), { timeout: LIVE_MS })
      .toBe(Math.min(read.body.entries.length, 30));
    await expect.poll(async () => [...new Set(await commandNames(regulator))], { timeout: LIVE_MS }).toEqual(["halt"]);
    await type.selectOption("");
    await regulator.locator("input[name=audit-instrument]").fill("");
  });

  it("finds the audit rows of an instrument typed in lower case or by its leading part, as the API does", async () => {
    const audit = regulator.getByTestId("audit");
    const type = regulator.locator("select[name=audit-type]");
    const filter = regulator.locator("input[name=audit-instrument]");
    const upper = await suite.server.call(
      regulatorApi,
      "GET",
      `/api/regulator/audit?commandType=halt&instrument=${INSTRUMENT}`,
    );
    const lower = await suite.server.call(
      regulatorApi,
      "GET",
      `/api/regulator/audit?commandType=halt&instrument=${INSTRUMENT.toLowerCase()}`,
    );
    const seqs = (read: typeof upper) => (read.body.entries as { seq: number }[]).map((entry) => entry.seq);
    expect(seqs(upper).length).toBeGreaterThan(0);
    expect(seqs(lower)).toEqual(seqs(upper));
    await type.selectOption("halt");
    await filter.fill(INSTRUMENT.toLowerCase());
    await expect
      .poll(() => audit.locator("tbody tr td:first-child").allTextContents(), { timeout: LIVE_MS })
      .toEqual(seqs(upper).map(String));
    // The id's leading part up to a hyphen finds the same rows (the halts were of this one instrument).
    const leading = INSTRUMENT.split("-").slice(0, 2).join("-").toLowerCase();
    const byLeading = await suite.server.call(
      regulatorApi,
      "GET",
      `/api/regulator/audit?commandType=halt&instrument=${leading}`,
    );
    expect(seqs(byLeading)).toEqual(seqs(upper));
    await filter.fill(leading);
    await expect
      .poll(() => audit.locator("tbody tr td:first-child").allTextContents(), { timeout: LIVE_MS })
      .toEqual(seqs(upper).map(String));
    expect(await filter.getAttribute("placeholder")).toBe("PB-TCO");
    // An instrument no entry names: the page says nothing matches, and so does the API (an empty list).
    await filter.fill("no-such-instrument");
    await regulator.getByText("No entries match.").waitFor({ timeout: LIVE_MS });
    const none = await suite.server.call(regulatorApi, "GET", "/api/regulator/audit?instrument=no-such-instrument");
    expect(none.body.entries).toEqual([]);
    await filter.fill("");
    await type.selectOption("");
  });

  it("says each audit row's command once, in Kazakh and Russian: the summary, not the name and then the summary", async () => {
    const audit = regulator.getByTestId("audit");
    const type = regulator.locator("select[name=audit-type]");
    /** The halts' summaries as the API writes them in a language (the page's words must be these, once). */
    const summariesIn = async (language: string): Promise<string[]> => {
      const response = await fetch(`${suite.server.url}/api/regulator/audit?commandType=halt&limit=30`, {
        headers: { cookie: regulatorApi.cookie, "accept-language": language },
      });
      return ((await response.json()) as { entries: { summary: string }[] }).entries.map((e) => e.summary);
    };
    await type.selectOption("halt");
    // The summary's words for the command, and the command's name in the filter (the same words in Kazakh).
    for (const [language, label, command, name] of [
      ["kk", "Language", "сауданы тоқтата тұру", "сауданы тоқтата тұру"],
      ["ru", "Тіл", "приостановить торги", "приостановка торгов"],
    ] as const) {
      await regulator.getByLabel(label).selectOption(language);
      const summaries = await summariesIn(language);
      expect(summaries.length).toBeGreaterThan(0);
      expect(summaries.every((summary) => summary.startsWith(command))).toBe(true);
      await expect
        .poll(() => audit.getByTestId("audit-command").allTextContents(), { timeout: LIVE_MS })
        .toEqual(summaries);
      for (const cell of await audit.locator("tbody tr td:nth-child(4)").allTextContents()) {
        const times = (words: string) => cell.split(words).length - 1;
        expect(command === name ? times(command) : times(command) + times(name)).toBe(1);
      }
    }
    await regulator.getByLabel("Язык").selectOption("en");
    await type.selectOption("");
  });

  it("the audit trail follows a switch of language for a person who saved a language (the saved one changes too)", async () => {
    // A saved language is the language of every answer to the person's browser session: the trail fetched at the
    // switch is answered in the old one until the new one is saved, so it is fetched again once it is.
    expect((await suite.server.call(regulatorApi, "PUT", "/api/session/language", { language: "en" })).status).toBe(
      200,
    );
    const page = await signIn("regulator", "/regulator");
    const audit = page.getByTestId("audit");
    await page.locator("select[name=audit-type]").selectOption("halt");
    const commands = () => audit.getByTestId("audit-command").allTextContents();
    await expect.poll(commands, { timeout: LIVE_MS }).not.toEqual([]);
    expect((await commands()).every((summary) => summary.startsWith("halt"))).toBe(true);
    for (const [language, words] of [
      ["kk", "сауданы тоқтата тұру"],
      ["ru", "приостановить торги"],
      ["en", "halt"],
    ] as const) {
      await page.locator("label.language select").selectOption(language);
      await expect
        .poll(async () => (await commands()).every((summary) => summary.startsWith(words)), { timeout: LIVE_MS })
        .toBe(true);
      const saved = await suite.server.call(regulatorApi, "GET", "/api/session");
      expect(saved.body.language).toBe(language);
    }
    expect((await suite.server.call(regulatorApi, "PUT", "/api/session/language", { language: null })).status).toBe(
      200,
    );
    await page.close();
  });

  it("names every command of the audit trail's filter in words in Kazakh and Russian (keys with dots included)", async () => {
    const type = regulator.locator("select[name=audit-type]");
    const options = () => type.locator("option").allTextContents();
    await regulator.getByLabel("Language").selectOption("kk");
    await expect
      .poll(options, { timeout: LIVE_MS })
      .toEqual([
        "—",
        "шектеулерді өзгерту",
        "сауданы тоқтата тұру",
        "сауданы қайта бастау",
        "жеткізу жоспары",
        "қатысушыны тоқтата тұру",
        "қатысушыны қалпына келтіру",
        "құралды тоқтата тұру",
        "сауда күнтізбесі",
        "ақша есептеу",
        "жаңа өтінім",
        "өтінімді өзгерту",
        "өтінімді алып тастау",
        "мәміленің күшін жою",
        "қосымша сессия",
      ]);
    await regulator.getByLabel("Тіл").selectOption("ru");
    await expect
      .poll(options, { timeout: LIVE_MS })
      .toEqual([
        "—",
        "изменение ограничений",
        "приостановка торгов",
        "возобновление торгов",
        "план поставок",
        "приостановка участника",
        "восстановление участника",
        "приостановка инструмента",
        "торговый календарь",
        "зачисление денег",
        "новая заявка",
        "изменение заявки",
        "снятие заявки",
        "аннулирование сделки",
        "дополнительная сессия",
      ]);
    // Chosen by its words, the filter asks the API for the command type.
    await type.selectOption({ label: "аннулирование сделки" });
    expect(await type.inputValue()).toBe("trade.void");
    await type.selectOption("");
    await regulator.getByLabel("Язык").selectOption("en");
    await expect.poll(() => type.locator("option[value='safeguards.set']").textContent()).toBe("safeguards changed");
  });

  it("names the command and the actor of an audit row in the reader's language: an API key's change and the scheduler's", async () => {
    const keyed = await suite.server.apiKey("kazgpz-trader");
    const placed = await keyed("POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "audit-key",
      side: "sell",
      price: 13_990_000,
      quantity: 1_000,
    });
    expect(placed.status).toBe(201);
    expect((await keyed("DELETE", "/api/accounts/KAZGPZ-1/orders/audit-key")).status).toBe(200);
    await suite.server.exchange.submit(
      { type: "time.tick" },
      { actor: "scheduler", role: "system", source: "calendar" },
    );
    const read = await suite.server.call(regulatorApi, "GET", "/api/regulator/audit?commandType=order.new&limit=1");
    const keyActor = read.body.entries[0].actor as string;
    expect(keyActor).toMatch(/^kazgpz-trader \(key key-kazgpz-trader-/);
    const keyId = keyActor.slice("kazgpz-trader (key ".length, -1);

    const audit = regulator.getByTestId("audit");
    const actor = regulator.locator("input[name=audit-actor]");
    const type = regulator.locator("select[name=audit-type]");
    await regulator.getByLabel("Language").selectOption("ru");
    await actor.fill(keyActor);
    await type.selectOption("order.new");
    await expect
      .poll(() => audit.getByTestId("audit-actor").allTextContents(), { timeout: LIVE_MS })
      .toEqual([`kazgpz-trader (ключ ${keyId}) (трейдер)`]);
    expect(await commandNames(regulator)).toEqual(["новая заявка"]);
    await type.selectOption("");
    await regulator.getByLabel("Язык").selectOption("kk");
    await expect
      .poll(async () => [...new Set(await commandNames(regulator))], { timeout: LIVE_MS })
      .toEqual(["өтінімді алып тастау", "жаңа өтінім"]);
    expect(await audit.getByTestId("audit-actor").first().textContent()).toBe(
      `kazgpz-trader (${keyId} кілті) (трейдер)`,
    );
    await actor.fill("scheduler");
    await expect
      .poll(() => audit.getByTestId("audit-actor").first().textContent(), { timeout: LIVE_MS })
      .toBe("жоспарлағыш (жүйе)");
    expect((await commandNames(regulator))[0]).toBe("уақыт белгісі");
    await actor.fill("");
    await regulator.getByLabel("Тіл").selectOption("en");
  });

  let operator: Page;
  let operatorApi: Session;

  it("the deposit form books the amount typed", async () => {
    operator = await signIn("operator", "/operator");
    operatorApi = await suite.server.login("operator");
    const trader = await suite.server.login("atyrau-trader");
    const before = await suite.server.call(trader, "GET", "/api/accounts/ATYRAU-1/balances");
    const money = (body: { balances: { asset: string; free: string }[] }) =>
      BigInt(body.balances.find((b) => b.asset === "KZT")?.free ?? "0");
    await submit(
      operator,
      "deposit-form",
      { account: "ATYRAU-1", amount: "1000000.50", reference: "CONSOLE-TEST-1" },
      null,
    );
    const after = await suite.server.call(trader, "GET", "/api/accounts/ATYRAU-1/balances");
    expect(money(after.body) - money(before.body)).toBe(100_000_050n);
  });

  it("in Russian, a deposit of 1000000,50 is booked as 1,000,000.50 ₸, shown so before it is; 1.500 is refused", async () => {
    const trader = await suite.server.login("atyrau-trader");
    const money = async () => {
      const read = await suite.server.call(trader, "GET", "/api/accounts/ATYRAU-1/balances");
      return BigInt(read.body.balances.find((b: { asset: string }) => b.asset === "KZT").free);
    };
    const before = await money();
    await operator.getByLabel("Language").selectOption("ru");
    const form = operator.getByTestId("deposit-form");
    await expect.poll(() => form.locator("h3").first().textContent(), { timeout: LIVE_MS }).not.toBe("Book a deposit");
    await form.locator("select[name=account]").selectOption("ATYRAU-1");
    await form.locator("input[name=reference]").fill("CONSOLE-TEST-RU");
    await form.locator("input[name=amount]").fill("1.500");
    await form.locator("button[type=submit]").click();
    expect(await form.locator(".field-error:not([hidden])").first().textContent()).toContain(
      "«1.500» можно прочитать как две разные суммы",
    );
    await form.locator("input[name=amount]").fill("1000000,50");
    await form.locator("button[type=submit]").click();
    const dialog = form.locator("dialog");
    expect((await dialog.locator("p").first().textContent())?.replace(/\s/g, " ")).toBe(
      "Зачислить 1 000 000,50 ₸ на счёт ATYRAU-1.",
    );
    await dialog.locator("button").first().click();
    await expect.poll(() => form.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    expect((await money()) - before).toBe(100_000_050n);
    await operator.getByLabel("Язык").selectOption("en");
  });

  it("a deposit of nothing, of less than nothing, of a fraction of a tiyn or past the largest amount is said so at the field, and nothing is booked", async () => {
    const trader = await suite.server.login("atyrau-trader");
    const money = async () => {
      const read = await suite.server.call(trader, "GET", "/api/accounts/ATYRAU-1/balances");
      return BigInt(read.body.balances.find((b: { asset: string }) => b.asset === "KZT").free);
    };
    const before = await money();
    const form = operator.getByTestId("deposit-form");
    await form.locator("select[name=account]").selectOption("ATYRAU-1");
    await form.locator("input[name=reference]").fill("CONSOLE-TEST-WRONG");
    const cases: [string, string][] = [
      ["0", "Give an amount above 0 ₸."],
      ["-100", "Give the amount in tenge as a number above 0."],
      ["12.345", "At most two decimals: a tiyn is the smallest amount."],
      ["100000000000000", "At most 90,071,992,547,409.91 ₸ in one deposit."],
    ];
    for (const [amount, said] of cases) {
      await form.locator("input[name=amount]").fill(amount);
      await form.locator("button[type=submit]").click();
      await expect
        .poll(() => form.locator(".field-error:not([hidden])").first().textContent(), { timeout: LIVE_MS })
        .toBe(said);
      expect(await form.locator("dialog[open]").count()).toBe(0);
    }
    expect(await money()).toBe(before);
  });

  it("the suspend and reinstate forms change the member's status", async () => {
    const status = async () => {
      const read = await suite.server.call(operatorApi, "GET", "/api/admin/members");
      return read.body.members.find((m: { member: string }) => m.member === "ATYRAU").suspended as boolean;
    };
    await submit(operator, "suspend-form", { member: "ATYRAU" }, "console test: suspend");
    expect(await status()).toBe(true);
    await submit(operator, "reinstate-form", { member: "ATYRAU" }, "console test: reinstate");
    expect(await status()).toBe(false);
  });

  it("the calendar form sets the sessions, pre-open and holidays", async () => {
    await submit(
      operator,
      "calendar-form",
      {
        instrument: INSTRUMENT,
        sessions: "11:00-13:00, 14:00-16:00",
        preOpenMinutes: "15",
        holidays: "2026-03-21, 2026-03-22",
      },
      "console test: calendar",
    );
    const read = await suite.server.call(operatorApi, "GET", `/api/admin/instruments/${INSTRUMENT}/calendar`);
    expect(read.body.calendar.sessions).toEqual([
      { open: "11:00", close: "13:00" },
      { open: "14:00", close: "16:00" },
    ]);
    expect(read.body.calendar.preOpenMinutes).toBe(15);
    expect(read.body.calendar.holidays).toEqual(["2026-03-21", "2026-03-22"]);
  });

  it("the calendar form changes only what was changed, keeping extra sessions", async () => {
    const extra = await suite.server.call(operatorApi, "PATCH", `/api/admin/instruments/${INSTRUMENT}/calendar`, {
      addExtraSessions: [{ date: "2026-01-10", open: "10:00", close: "12:00" }],
      reason: "console test: a Saturday session",
    });
    expect(extra.status).toBe(200);
    await operator.reload();
    const form = operator.getByTestId("calendar-form");
    await expect
      .poll(() => form.locator(`select[name=instrument] option[value="${INSTRUMENT}"]`).count(), { timeout: LIVE_MS })
      .toBe(1);
    await form.locator("select[name=instrument]").selectOption(INSTRUMENT);
    await expect
      .poll(() => form.locator("input[name=sessions]").inputValue(), { timeout: LIVE_MS })
      .toBe("11:00-13:00, 14:00-16:00");
    expect(await form.locator("input[name=holidays]").inputValue()).toBe("2026-03-21, 2026-03-22");
    await form.locator("input[name=preOpenMinutes]").fill("10");
    await form.locator("input[name=holidays]").fill("2026-03-21");
    await form.locator("input[name=reason]").fill("console test: shorter pre-open");
    await form.locator("button[type=submit]").click();
    await form.getByRole("button", { name: "Yes, do it" }).click();
    await expect.poll(() => form.locator(".ok").count(), { timeout: LIVE_MS }).toBe(1);
    const read = await suite.server.call(operatorApi, "GET", `/api/admin/instruments/${INSTRUMENT}/calendar`);
    expect(read.body.calendar.preOpenMinutes).toBe(10);
    expect(read.body.calendar.holidays).toEqual(["2026-03-21"]);
    expect(read.body.calendar.sessions).toHaveLength(2);
    expect(read.body.calendar.extraSessions).toEqual([{ date: "2026-01-10", open: "10:00", close: "12:00" }]);
  });

  it("a form whose settings another regulator changes meanwhile follows them where untouched and names the real old value", async () => {
    // A 6% band and no breaker in force, shown on a regulator's open form. (The API calls use the suite's session:
    // sign-ins are limited to 20 a minute from one address, and this file signs in often.)
    const set = await suite.server.call(regulatorApi, "PATCH", SAFEGUARDS, {
      bandBps: 600,
      breakerBps: null,
      reason: "console test: a known band before another's change",
    });
    expect(set.status).toBe(200);
    const page = await signIn("regulator", "/regulator");
    const form = page.getByTestId("band-form");
    await expect
      .poll(() => form.locator(`select[name=instrument] option[value="${INSTRUMENT}"]`).count(), { timeout: LIVE_MS })
      .toBe(1);
    await form.locator("select[name=instrument]").selectOption(INSTRUMENT);
    const band = form.locator("input[name=bandPercent]");
    const breaker = form.locator("input[name=breakerPercent]");
    await expect.poll(() => band.inputValue(), { timeout: LIVE_MS }).toBe("6");
    expect(await breaker.inputValue()).toBe("");
    await breaker.fill("4");
    // Another regulator narrows the band through the API while this form is open with the breaker typed.
    const narrowed = await suite.server.call(regulatorApi, "PATCH", SAFEGUARDS, {
      bandBps: 500,
      reason: "console test: another regulator's band",
    });
    expect(narrowed.status).toBe(200);
    // The band, untouched here, follows what is in force; the breaker typed here stays.
    await expect.poll(() => band.inputValue(), { timeout: LIVE_MS }).toBe("5");
    expect(await breaker.inputValue()).toBe("4");
    // Now the band is typed here too, and the other regulator widens it before this one confirms: the typed value
    // stays, and the confirmation measures it from the band in force, not from the one first shown.
    await band.fill("4.5");
    const widened = await suite.server.call(regulatorApi, "PATCH", SAFEGUARDS, {
      bandBps: 800,
      reason: "console test: another regulator widens",
    });
    expect(widened.status).toBe(200);
    await expect
      .poll(async () => (await suite.server.call(regulatorApi, "GET", SAFEGUARDS)).body.safeguards.bandBps)
      .toBe(800);
    // The page has the wider band in force once its overview, drawn from the same answer as the form's settings,
    // says it; the confirmation is measured from what the page has, so it waits for that (the stream and the fetch
    // it prompts take as long as they take), not for a fixed time.
    const wide = (await suite.server.call(regulatorApi, "GET", `/api/instruments/${INSTRUMENT}`)).body.limits.band;
    const overview = page.getByTestId("region-overview").locator("tr", { hasText: INSTRUMENT }).getByTestId("limits");
    await expect
      .poll(() => overview.textContent(), { timeout: LIVE_MS })
      .toContain(`band ${tengePerTonne(wide.lowTiynPerTonne, "en")}–${tengePerTonne(wide.highTiynPerTonne, "en")}`);
    expect(await band.inputValue()).toBe("4.5");
    await form.locator("input[name=reason]").fill("console test: band and breaker after another's change");
    await form.locator("button[type=submit]").click();
    await expect
      .poll(() => form.getByTestId("changes").textContent(), { timeout: LIVE_MS })
      .toContain("Static band ± %: 8 → 4.5");
    await form.getByRole("button", { name: "Yes, do it" }).click();
    await expect.poll(() => form.locator(".ok").textContent(), { timeout: LIVE_MS }).toContain("Done");
    const read = await suite.server.call(regulatorApi, "GET", SAFEGUARDS);
    expect([read.body.safeguards.bandBps, read.body.safeguards.breakerBps]).toEqual([450, 400]);
  });

  it("a floor above the ceiling is said at the floor field in the page's language, and nothing is sent", async () => {
    const spaces = (text: string | null) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");
    const original = (await suite.server.call(regulatorApi, "GET", SAFEGUARDS)).body.safeguards;
    const set = await suite.server.call(regulatorApi, "PATCH", SAFEGUARDS, {
      ceiling: 14_000_000,
      floor: 12_000_000,
      ceilingPath: [],
      reason: "console test: before a floor above the ceiling",
    });
    expect(set.status).toBe(200);
    const before = (await suite.server.call(regulatorApi, "GET", SAFEGUARDS)).body.safeguards;
    // Both typed, then only the floor: the ceiling it is compared with is the one in force, loaded into the form.
    const cases = [
      {
        language: "ru",
        typed: { ceiling: "125000", floor: "130 000" },
        said: "Нижний предел 130 000 ₸/т выше потолка 125 000 ₸/т. Нижний предел может быть не выше потолка: понизьте нижний предел или поднимите потолок.",
      },
      {
        language: "kk",
        typed: { floor: "141 000,00" },
        said: "141 000 ₸/т төменгі шегі 140 000 ₸/т жоғарғы шегінен жоғары. Төменгі шек жоғарғы шектен аспауы керек: төменгі шекті түсіріңіз немесе жоғарғы шекті көтеріңіз.",
      },
      {
        language: "en",
        typed: { floor: "150000" },
        said: "The floor 150,000 ₸/t is above the ceiling 140,000 ₸/t. A floor may be at most the ceiling: lower the floor or raise the ceiling.",
      },
    ];
    const languageBefore = (await regulator.evaluate(`localStorage.getItem("sauda.language")`)) as string | null;
    try {
      for (const { language, typed, said } of cases) {
        await reopenIn(regulator, language);
        const form = regulator.getByTestId("ceiling-form");
        await fillFields(form, { instrument: INSTRUMENT });
        await expect.poll(() => form.locator("input[name=ceiling]").inputValue(), { timeout: LIVE_MS }).not.toBe("");
        await fillFields(form, typed);
        await form.locator("input[name=reason]").fill(`console test: a floor above the ceiling (${language})`);
        await form.locator("button[type=submit]").click();
        expect(spaces(await form.locator(".field-error:not([hidden])").first().textContent())).toBe(said);
        expect(await form.locator("input[name=floor][aria-invalid=true]").count()).toBe(1);
        expect(await form.locator("dialog[open]").count()).toBe(0);
      }
      // The confirmation writes the figures the reader's way: the ceiling in force and the one typed, grouped.
      await reopenIn(regulator, "ru");
      const form = regulator.getByTestId("ceiling-form");
      await fillFields(form, { instrument: INSTRUMENT });
      await expect.poll(() => form.locator("input[name=ceiling]").inputValue(), { timeout: LIVE_MS }).not.toBe("");
      await fillFields(form, { ceiling: "139000", floor: "" });
      await form.locator("input[name=reason]").fill("console test: the figures in the confirmation");
      await form.locator("button[type=submit]").click();
      const changes = form.getByTestId("changes");
      await expect
        .poll(async () => spaces(await changes.textContent()), { timeout: LIVE_MS })
        .toContain("Потолок ₸/т: 140 000 → 139 000");
      expect(spaces(await form.locator("dialog").textContent())).toContain(
        `По ${INSTRUMENT}: потолок — 139 000 ₸/т, нижний предел — нет.`,
      );
      await form.getByRole("button", { name: "Назад" }).click();
      expect((await suite.server.call(regulatorApi, "GET", SAFEGUARDS)).body.safeguards).toEqual(before);
      await reopenIn(regulator, "en");
      // A floor equal to the ceiling is taken: the check is "above", as the exchange's.
      await submit(
        regulator,
        "ceiling-form",
        { instrument: INSTRUMENT, floor: "140000" },
        "console test: floor at the ceiling",
      );
      const after = (await suite.server.call(regulatorApi, "GET", SAFEGUARDS)).body.safeguards;
      expect(after).toEqual({ ...before, floorTiynPerTonne: 14_000_000 });
    } finally {
      // The safeguards and the page other tests use go back to what they were.
      const restored = await suite.server.call(regulatorApi, "PATCH", SAFEGUARDS, {
        ceiling: original.ceilingTiynPerTonne,
        floor: original.floorTiynPerTonne,
        ceilingPath: pathAsSent(original.ceilingPath),
        reason: "console test: after a floor above the ceiling",
      });
      expect(restored.status).toBe(200);
      await regulator.evaluate(
        languageBefore === null
          ? `localStorage.removeItem("sauda.language")`
          : `localStorage.setItem("sauda.language", ${JSON.stringify(languageBefore)})`,
      );
      await regulator.reload();
    }
  });

  it("no page had a script error", () => {
    expect(pageErrors).toEqual([]);
  });
});
