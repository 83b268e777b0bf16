/**
 * The operator's "Void a trade" form in a real browser against a real exchange (docs/documents.md §5,
 * docs/market-rules.md §10), in Kazakh: wrong input (no reason, an unknown trade) shows the error in Kazakh and
 * changes nothing; a trade made through the API is voided from the console, which answers with the re-offer its
 * volume waits as; read back through the API, its obligation is voided and the re-offer waits.
 *
 * The scenarios share one server and run in order.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { TRADE_ID_LENGTH_MAX } from "../../src/domain/ids.ts";
import { REASON_LENGTH_MAX, RULE_REFERENCE_LENGTH_MAX } from "../../src/domain/limits.ts";
import { INSTRUMENT, type Session } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";
import { tradeThroughApi } from "./support/market.ts";

const run = browserAvailable("void-a-trade console end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };

describe.skipIf(!run)("voiding a trade on the operator's console", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;
  let operator: Page;
  let operatorApi: Session;
  let trade = "";

  async function obligationOf(id: string): Promise<{ id: string; status: string }> {
    const read = await suite.server.call(operatorApi, "GET", "/api/admin/obligations?status=all&limit=100");
    expect(read.status).toBe(200);
    const found = (read.body.obligations as { id: string; status: string }[]).find((o) => o.id === id);
    expect(found).toBeDefined();
    return found!;
  }

  async function reoffers(): Promise<{ id: string; source: string; quantityKg: number }[]> {
    const read = await suite.server.call(operatorApi, "GET", "/api/admin/reoffers");
    expect(read.status).toBe(200);
    return read.body.reoffers;
  }

  const errorOf = (form: ReturnType<Page["getByTestId"]>) => form.locator(".field-error:not([hidden])").first();

  it("in Kazakh, a void without a reason or of an unknown trade shows the error and changes nothing", async () => {
    operatorApi = await suite.server.login("operator");
    trade = await tradeThroughApi(suite.server, { price: 13_300_000, quantity: 2000, tif: "DAY" }, "void");
    const obligation = `OB-${trade.slice(2)}`;
    expect((await obligationOf(obligation)).status).toBe("open");

    const page = await signIn("operator", "/operator");
    operator = page;
    await operator.getByLabel("Language").selectOption("kk");
    const form = operator.getByTestId("void-form");
    await expect.poll(() => form.locator("h3").first().textContent(), { timeout: LIVE_MS }).toBe("Мәмілені жою");

    // No reason: refused in the page, nothing sent.
    await form.locator("input[name=trade]").fill(trade);
    await form.locator("input[name=rule]").fill("Сауда ережелері, 4.2-тармақ");
    await form.locator("button[type=submit]").click();
    expect(await errorOf(form).textContent()).toBe(
      "Себебін көрсетіңіз: әр өзгеріс кім және неге жасағанымен бірге жазылады.",
    );
    expect(await form.locator("dialog[open]").count()).toBe(0);

    // An unknown trade: the exchange's refusal, in Kazakh.
    await form.locator("input[name=trade]").fill(`${trade}9`);
    await form.locator("input[name=reason]").fill("консоль тесті: белгісіз мәміле");
    await form.locator("button[type=submit]").click();
    expect(await form.locator("dialog p").first().textContent()).toBe(
      `${trade}9 мәмілесін бұзушылық үшін жою: Сауда ережелері, 4.2-тармақ.`,
    );
    await form.locator("dialog button").first().click();
    await expect
      .poll(() => errorOf(form).textContent(), { timeout: LIVE_MS })
      .toBe(`Клирингі бар '${trade}9' мәмілесі жоқ.`);
    expect(await form.locator(".ok").count()).toBe(0);

    // Nothing changed: the obligation is open and nothing waits for re-offer.
    expect((await obligationOf(obligation)).status).toBe("open");
    expect(await reoffers()).toEqual([]);
  });

  it("in Kazakh, the void form stops an over-long rule, reason and trade id where the API's schema does", async () => {
    const form = operator.getByTestId("void-form");
    const rule = form.locator("input[name=rule]");
    const reason = form.locator("input[name=reason]");
    const tradeField = form.locator("input[name=trade]");
    await rule.fill("ә".repeat(250));
    await reason.fill("ж".repeat(600));
    await tradeField.fill("T".repeat(300));
    // The API refuses a rule over 200, a reason over 500 and a trade id over TRADE_ID_LENGTH_MAX characters.
    expect((await rule.inputValue()).length).toBe(RULE_REFERENCE_LENGTH_MAX);
    expect((await reason.inputValue()).length).toBe(REASON_LENGTH_MAX);
    expect((await tradeField.inputValue()).length).toBe(TRADE_ID_LENGTH_MAX);
    expect([RULE_REFERENCE_LENGTH_MAX, REASON_LENGTH_MAX]).toEqual([200, 500]);
    await rule.fill("Сауда ережелері, 4.2-тармақ");
    await reason.fill("");
    await tradeField.fill("");
  });

  it("voids the trade: the console names the re-offer, and the API has the obligation voided and the re-offer waiting", async () => {
    const form = operator.getByTestId("void-form");
    await form.locator("input[name=trade]").fill(trade);
    await form.locator("input[name=reason]").fill("консоль тесті: кіру ережелері бұзылды");
    await form.locator("button[type=submit]").click();
    await form.getByRole("button", { name: "Иә, орындау" }).click();
    await expect
      .poll(() => form.locator(".ok").textContent(), { timeout: LIVE_MS })
      .toMatch(/^Орындалды: .* Оның көлемі қайта ұсынылуды күтеді: RO-\d+-1 \(KAZGPZ-1, 2 т\)\.$/);
    expect(await form.locator(".field-error:not([hidden])").count()).toBe(0);

    expect((await obligationOf(`OB-${trade.slice(2)}`)).status).toBe("voided");
    const waiting = await reoffers();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      instrument: INSTRUMENT,
      seller: "KAZGPZ-1",
      quantityKg: 2000,
      source: trade,
      stage: "extra",
      offered: false,
    });
    expect(await form.locator(".ok").textContent()).toContain(`${waiting[0]!.id} (KAZGPZ-1, 2 т)`);
    // The re-offers panel lists it.
    const row = operator.locator(`[data-testid=reoffers] tr[data-reoffer="${waiting[0]!.id}"]`);
    await expect.poll(() => row.textContent(), { timeout: LIVE_MS }).toContain(trade);

    // Voiding it again is refused (no longer open), in Kazakh, and nothing more is re-offered.
    await form.locator("input[name=reason]").fill("консоль тесті: қайта");
    await form.locator("button[type=submit]").click();
    await form.getByRole("button", { name: "Иә, орындау" }).click();
    await expect
      .poll(() => errorOf(form).textContent(), { timeout: LIVE_MS })
      .toContain(`'${trade}' мәмілесінің күшін жою мүмкін емес: оның міндеттемесінің күйі «күші жойылды»`);
    expect(await reoffers()).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });
  it("the buyer's terminal shows the voided obligation as voided, with no deadline still to meet", async () => {
    const page = await signIn("aktau-trader", "/terminal");
    await page.getByLabel("Language").selectOption("ru");
    const row = page.locator("[data-testid=obligations] tr.obligation", { hasText: `OB-${trade.slice(2)}` });
    await expect
      .poll(() => row.locator("td").allTextContents(), { timeout: LIVE_MS })
      .toEqual([
        `OB-${trade.slice(2)}`,
        "покупатель: оплатить",
        "2",
        "266\u00a0000,00",
        "13\u00a0300,00",
        "—",
        "—",
        "аннулировано",
      ]);
    expect((await obligationOf(`OB-${trade.slice(2)}`)).status).toBe("voided");
    expect(pageErrors).toEqual([]);
  });
});
