/**
 * The seller records a shipment from the terminal, in a real browser against a real exchange: the form is filled in
 * as a person would (tonnes, a plate, a waybill, a date), the shipment is read back through the API and the shipments
 * table shows it on its way; a quantity past the API's bound (src/domain/order.ts) is refused in the page in Russian,
 * one at the bound goes to the exchange and comes back as its Russian refusal (more than the obligation holds, said
 * in tonnes in English too, where the registry's stored sentence has raw kg), and a
 * waybill used twice comes back as the exchange's Kazakh refusal; nothing refused is recorded. A trade made while the
 * form is being filled in puts its obligation first in the live list, and the shipment still goes to the obligation
 * the form showed; likewise a shipment the seller records while the buyer confirms another's arrival does not become
 * the one confirmed, nor a station the operator registers meanwhile (whose id sorts first) the one it arrived at.
 *
 * The scenarios share one server and run in order.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ORDER_QUANTITY_MAX } from "../../src/domain/order.ts";
import type { Session } from "../support/server.ts";
import { browserAvailable, browserSuite, screenshot } from "./support/browser.ts";
import { chooseLanguage, LIVE_MS } from "./support/forms.ts";
import { tradeThroughApi } from "./support/market.ts";

const run = browserAvailable("seller's shipment form end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };

describe.skipIf(!run)("the seller records a shipment in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;
  let seller: Page;
  let sellerApi: Session;
  let obligation = "";
  /** The obligations of the two trades of the mid-form scenario: the older, then the newer. */
  let first = "";
  let second = "";

  const shipmentsOf = async () =>
    (await suite.server.call(sellerApi, "GET", `/api/accounts/KAZGPZ-1/shipments?obligation=${obligation}`)).body
      .shipments as { shipment: string; quantityKg: number; vehicle: string; waybill: string; date: string }[];

  async function fill(values: Record<string, string>): Promise<void> {
    const form = seller.getByTestId("dispatch-form");
    for (const [name, value] of Object.entries(values)) await form.locator(`[name=${name}]`).fill(value);
    await form.locator("button[type=submit]").click();
  }

  it("records a shipment of 12.5 t; the API has it and the table shows it on its way", async () => {
    sellerApi = await suite.server.login("kazgpz-trader");
    const tradeId = await tradeThroughApi(suite.server, { price: 13_300_000, quantity: 20_000 }, "dispatch");
    obligation = `OB-${tradeId.slice(2)}`;

    seller = await signIn("kazgpz-trader", "/terminal");
    const form = seller.getByTestId("dispatch-form");
    await form.waitFor({ timeout: LIVE_MS });
    expect(await form.locator("select[name=obligation]").inputValue()).toBe(obligation);
    await expect
      .poll(() => seller.getByTestId("dispatch-left").textContent(), { timeout: LIVE_MS })
      .toBe("20 t of 20 t not yet dispatched; the dispatch date may be from 01/04/2026.");

    await fill({ vehicle: "123 ABC 12", waybill: "TTN-000777", quantity: "12.5", date: "2026-01-05" });
    const done = seller.getByTestId("dispatch-done");
    await expect
      .poll(() => done.textContent(), { timeout: LIVE_MS })
      .toBe(`Shipment ${obligation}/S1 recorded: 12.5 t of 20 t dispatched, 0 t arrived.`);
    expect(await shipmentsOf()).toMatchObject([
      {
        shipment: `${obligation}/S1`,
        quantityKg: 12_500,
        vehicle: "123 ABC 12",
        waybill: "TTN-000777",
        date: "2026-01-05",
      },
    ]);
    const row = seller.locator(`[data-shipment="${obligation}/S1"]`);
    await expect.poll(() => row.getByTestId("shipment-arrival").textContent(), { timeout: LIVE_MS }).toBe("On the way");
    // The dispatch day as the reader writes one (en-US), as the form's own "from 01/04/2026" above.
    expect(await row.locator("td").nth(4).textContent()).toBe("01/05/2026");
    await expect
      .poll(() => seller.getByTestId("dispatch-left").textContent(), { timeout: LIVE_MS })
      .toContain("7.5 t of 20 t");
    // The fields are cleared for the next truck.
    expect(await form.locator("[name=waybill]").inputValue()).toBe("");
    await screenshot(seller, "dispatch-en");
  });

  it("until the obligation's shipments come, the form says they are loading, not a quantity left", async () => {
    // A fresh page whose request for the obligation's shipments is held: the obligation is 12.5 t into its 20 t, so
    // "20 t of 20 t not yet dispatched" (the whole obligation) would be wrong while they are unknown.
    const page = await signIn("kazgpz-trader");
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(
      (url) => url.pathname === "/api/accounts/KAZGPZ-1/shipments" && url.searchParams.has("obligation"),
      async (route) => {
        await held;
        await route.continue();
      },
    );
    await page.goto(new URL("/terminal", page.url()).href);
    const form = page.getByTestId("dispatch-form");
    await form.waitFor({ timeout: LIVE_MS });
    expect(await form.locator("select[name=obligation]").inputValue()).toBe(obligation);
    const left = page.getByTestId("dispatch-left");
    expect(await left.textContent()).toBe(
      "Loading what has been dispatched of 20 t; the dispatch date may be from 01/04/2026.",
    );
    await chooseLanguage(page, "ru");
    expect(await left.textContent()).toBe(
      "Загружается, сколько из 20 т уже отгружено; дата отгрузки — не ранее 04.01.2026.",
    );
    await chooseLanguage(page, "kk");
    expect(await left.textContent()).toBe(
      "20 т ішінен қанша жөнелтілгені жүктелуде; жөнелту күні 04.01.2026 күнінен ерте емес.",
    );
    await chooseLanguage(page, "en");

    release();
    const shipped = (await shipmentsOf()).reduce((sum, s) => sum + s.quantityKg, 0);
    expect(shipped).toBe(12_500);
    await expect
      .poll(() => left.textContent(), { timeout: LIVE_MS })
      .toBe(`${(20_000 - shipped) / 1000} t of 20 t not yet dispatched; the dispatch date may be from 01/04/2026.`);
    // The quantity's hint is what is left too (up to one truck's 20 t), not a guess made before the shipments came.
    expect(await form.locator("[name=quantity]").getAttribute("placeholder")).toBe(`${(20_000 - shipped) / 1000}`);
    expect(pageErrors).toEqual([]);
  });

  it("in Russian: one kg past the API's bound is refused in the page; the bound itself, by the exchange", async () => {
    await seller.locator("label.language select").selectOption("ru");
    const form = seller.getByTestId("dispatch-form");
    await expect
      .poll(() => form.locator("button[type=submit]").textContent(), { timeout: LIVE_MS })
      .toBe("Записать отгрузку");
    const error = seller.locator("#dispatch-quantity-error");
    const formError = seller.locator("#dispatch-form-error");
    const maxTonnes = ORDER_QUANTITY_MAX / 1000;

    await fill({ vehicle: "456 DEF 12", waybill: "TTN-000778", quantity: `${maxTonnes},001` });
    expect(await error.textContent()).toMatch(/^Количество — не более 1\s000\s000 т\.$/);
    expect(await formError.isHidden()).toBe(true);

    await fill({ quantity: "-1" });
    expect(await error.textContent()).toBe("Количество — не менее 0,001 т (один килограмм).");
    await fill({ quantity: "0,0005" });
    expect(await error.textContent()).toBe(
      "Количество считается с точностью до килограмма: не более трёх знаков после запятой.",
    );
    await fill({ vehicle: "", quantity: "1" });
    expect(await seller.locator("#dispatch-vehicle-error").textContent()).toBe(
      "Укажите поле «Госномер автомобиля или номер вагона».",
    );
    // One character past the longest: the whole text stays in the field (the browser does not cut it) and the form
    // says the limit.
    await fill({ vehicle: "7".repeat(33) });
    expect(await seller.getByTestId("dispatch-form").locator("[name=vehicle]").inputValue()).toHaveLength(33);
    expect(await seller.locator("#dispatch-vehicle-error").textContent()).toBe(
      "Поле «Госномер автомобиля или номер вагона» — не длиннее 32 символов.",
    );

    await fill({ vehicle: "456 DEF 12", date: "2026-01-03" });
    expect(await seller.locator("#dispatch-date-error").textContent()).toBe(
      "Дата отгрузки — не ранее 04.01.2026, дня перед сделкой.",
    );
    // A date ahead of the day after today is refused in the page too, in Russian, with the date written the Russian
    // way (not the exchange's "'2099-01-01' … ГГГГ-ММ-ДД"); nothing is sent.
    await fill({ date: "2099-01-01" });
    expect(await seller.locator("#dispatch-date-error").textContent()).toMatch(
      /^Дата отгрузки — не позднее \d\d\.\d\d\.\d{4}: отгрузку записывают, когда она ушла, а не заранее\.$/,
    );
    expect(await shipmentsOf()).toHaveLength(1);

    // At the bound the page lets it go; the exchange refuses it, in Russian, naming the obligation.
    await fill({ quantity: String(maxTonnes), date: "2026-01-05" });
    await expect
      .poll(() => formError.textContent(), { timeout: LIVE_MS })
      .toContain("довела бы отгруженное по обязательству");
    expect(await formError.textContent()).toContain(obligation);
    expect(await error.isHidden()).toBe(true);
    expect(await shipmentsOf()).toHaveLength(1);
    await screenshot(seller, "dispatch-ru-refused");
    // In English the page says it in tonnes too: the registry's English sentence is stored with raw kg
    // ("Shipping 1000000000 kg …"), so the page has its own words for it.
    await seller.locator("label.language select").selectOption("en");
    await expect
      .poll(() => formError.textContent(), { timeout: LIVE_MS })
      .toBe(`Shipping 1,000,000 t would bring obligation ${obligation} to 1,000,012.5 t dispatched, over its 20 t.`);
    await seller.locator("label.language select").selectOption("ru");
    await expect
      .poll(() => formError.textContent(), { timeout: LIVE_MS })
      .toMatch(
        /^Отгрузка 1\s000\s000 т довела бы отгруженное по обязательству OB-\S+ до 1\s000\s012,5 т, больше его 20 т\.$/,
      );
    // A refusal the page made is said again in the language chosen after it.
    await fill({ quantity: "0" });
    expect(await error.textContent()).toBe("Количество — не менее 0,001 т (один килограмм).");
  });

  it("in Kazakh: a waybill used twice is the exchange's refusal; the rest of the obligation goes", async () => {
    await seller.locator("label.language select").selectOption("kk");
    const form = seller.getByTestId("dispatch-form");
    await expect
      .poll(() => form.locator("button[type=submit]").textContent(), { timeout: LIVE_MS })
      .toBe("Жөнелтілімді жазу");
    // The shipments' table writes the dispatch day the Kazakh way.
    expect(await seller.locator(`[data-shipment="${obligation}/S1"] td`).nth(4).textContent()).toBe("05.01.2026");
    expect(await seller.locator("#dispatch-quantity-error").textContent()).toBe(
      "Саны кемінде 0,001 т (бір килограмм) болуы керек.",
    );
    const formError = seller.locator("#dispatch-form-error");
    await fill({ vehicle: "456 DEF 12", waybill: "TTN-000777", quantity: "7,5", date: "2026-01-05" });
    await expect
      .poll(() => formError.textContent(), { timeout: LIVE_MS })
      .toBe(`'KAZGPZ-1' шотының 'TTN-000777' жүкқұжаты '${obligation}/S1' жөнелтіміне жазылып қойған.`);
    expect(await shipmentsOf()).toHaveLength(1);
    await screenshot(seller, "dispatch-kk-refused");

    await fill({ waybill: "TTN-000778" });
    await expect
      .poll(() => seller.getByTestId("dispatch-done").textContent(), { timeout: LIVE_MS })
      .toBe(`${obligation}/S2 жөнелтілімі жазылды: 20 т ішінен 20 т жөнелтілді, 0 т келді.`);
    expect((await shipmentsOf()).map((s) => [s.shipment, s.quantityKg, s.waybill])).toEqual([
      [`${obligation}/S1`, 12_500, "TTN-000777"],
      [`${obligation}/S2`, 7_500, "TTN-000778"],
    ]);
    await expect
      .poll(() => seller.getByTestId("dispatch-left").textContent(), { timeout: LIVE_MS })
      .toContain("20 т ішінен 0 т");
    expect(await seller.getByTestId("page-fault").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("a trade made while the form is filled in does not move the shipment onto the new obligation", async () => {
    const firstTrade = await tradeThroughApi(suite.server, { price: 13_300_000, quantity: 5_000 }, "dispatch-a");
    first = `OB-${firstTrade.slice(2)}`;
    const page = await signIn("kazgpz-trader", "/terminal");
    const form = page.getByTestId("dispatch-form");
    const picker = form.locator("select[name=obligation]");
    await expect.poll(() => picker.inputValue(), { timeout: LIVE_MS }).toBe(first);
    await expect
      .poll(() => page.getByTestId("dispatch-left").textContent(), { timeout: LIVE_MS })
      .toContain("5 t of 5 t");
    await form.locator("[name=vehicle]").fill("789 GHI 12");

    // Another trade lands while the seller types: the live list puts its obligation first.
    const secondTrade = await tradeThroughApi(suite.server, { price: 13_300_000, quantity: 8_000 }, "dispatch-b");
    second = `OB-${secondTrade.slice(2)}`;
    await expect.poll(() => picker.locator(`option[value="${second}"]`).count(), { timeout: LIVE_MS }).toBe(1);
    expect(await picker.locator("option").first().getAttribute("value")).toBe(second);
    expect(await picker.inputValue()).toBe(first);
    expect(await page.getByTestId("dispatch-left").textContent()).toContain("5 t of 5 t");

    await form.locator("[name=waybill]").fill("TTN-000901");
    await form.locator("[name=quantity]").fill("5");
    await form.locator("[name=date]").fill("2026-01-05");
    await form.locator("button[type=submit]").click();
    await expect
      .poll(() => page.getByTestId("dispatch-done").textContent(), { timeout: LIVE_MS })
      .toBe(`Shipment ${first}/S1 recorded: 5 t of 5 t dispatched, 0 t arrived.`);
    const shipmentsOfObligation = async (id: string) =>
      (await suite.server.call(sellerApi, "GET", `/api/accounts/KAZGPZ-1/shipments?obligation=${id}`)).body
        .shipments as { shipment: string; quantityKg: number; waybill: string }[];
    expect((await shipmentsOfObligation(first)).map((s) => [s.shipment, s.quantityKg, s.waybill])).toEqual([
      [`${first}/S1`, 5_000, "TTN-000901"],
    ]);
    expect(await shipmentsOfObligation(second)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("a shipment recorded while the buyer confirms an arrival does not become the one confirmed", async () => {
    const operator = await suite.server.login("operator");
    const station = await suite.server.call(operator, "POST", "/api/admin/stations", {
      station: "AKTAU-ST-09",
      member: "AKTAU",
      name: "Aktau station 9",
      region: "MANGYSTAU",
      document: "REG-2025-909",
    });
    expect(station.status).toBe(201);
    const buyer = await signIn("aktau-trader", "/terminal");
    const form = buyer.getByTestId("arrival-form");
    const picker = form.locator("select[name=shipment]");
    await form.waitFor({ timeout: LIVE_MS });
    // The newest shipment on its way is shown: the first obligation's, recorded above.
    await expect.poll(() => picker.inputValue(), { timeout: LIVE_MS }).toBe(`${first}/S1`);

    // The seller records a truck on the second obligation meanwhile: the live list puts it first.
    const dispatched = await suite.server.call(sellerApi, "POST", "/api/accounts/KAZGPZ-1/shipments", {
      obligation: second,
      vehicle: "321 CBA 12",
      waybill: "TTN-000902",
      quantityKg: 8_000,
      date: "2026-01-05",
    });
    expect(dispatched.status).toBe(201);
    // The buyer's page hears of another member's shipment at its next safety poll (15 s with the stream up).
    await expect.poll(() => picker.locator(`option[value="${second}/S1"]`).count(), { timeout: 20_000 }).toBe(1);
    expect(await picker.locator("option").first().getAttribute("value")).toBe(`${second}/S1`);
    expect(await picker.inputValue()).toBe(`${first}/S1`);

    await form.locator("select[name=station]").selectOption("AKTAU-ST-09");
    await form.getByRole("button", { name: "Confirm arrival" }).click();
    await expect.poll(() => picker.locator(`option[value="${first}/S1"]`).count(), { timeout: LIVE_MS }).toBe(0);
    const buyerApi = await suite.server.login("aktau-trader");
    const shipmentOf = async (id: string) =>
      (await suite.server.call(buyerApi, "GET", `/api/accounts/AKTAU-1/shipments?obligation=${id}`)).body
        .shipments[0] as { shipment: string; station: string | null; arrivedMs: number | null };
    expect(await shipmentOf(first)).toMatchObject({ shipment: `${first}/S1`, station: "AKTAU-ST-09" });
    expect(await shipmentOf(second)).toMatchObject({ shipment: `${second}/S1`, station: null, arrivedMs: null });
    expect(pageErrors).toEqual([]);
  });

  it("a station registered while the buyer confirms an arrival does not become the one the gas arrived at", async () => {
    const buyer = await signIn("aktau-trader", "/terminal");
    const form = buyer.getByTestId("arrival-form");
    const picker = form.locator("select[name=shipment]");
    const stations = form.locator("select[name=station]");
    await form.waitFor({ timeout: LIVE_MS });
    await expect.poll(() => picker.inputValue(), { timeout: LIVE_MS }).toBe(`${second}/S1`);
    // The only station registered so far is shown.
    expect(await stations.inputValue()).toBe("AKTAU-ST-09");

    // The operator registers another station meanwhile, whose id sorts first in the live list.
    const operator = await suite.server.login("operator");
    const registered = await suite.server.call(operator, "POST", "/api/admin/stations", {
      station: "AKTAU-AA-01",
      member: "AKTAU",
      name: "Aktau station 1",
      region: "MANGYSTAU",
      document: "REG-2025-901",
    });
    expect(registered.status).toBe(201);
    await expect.poll(() => stations.locator('option[value="AKTAU-AA-01"]').count(), { timeout: 20_000 }).toBe(1);
    expect(await stations.locator("option").first().getAttribute("value")).toBe("AKTAU-AA-01");
    expect(await stations.inputValue()).toBe("AKTAU-ST-09");

    await form.getByRole("button", { name: "Confirm arrival" }).click();
    await expect.poll(() => picker.locator(`option[value="${second}/S1"]`).count(), { timeout: LIVE_MS }).toBe(0);
    const buyerApi = await suite.server.login("aktau-trader");
    const arrived = (await suite.server.call(buyerApi, "GET", `/api/accounts/AKTAU-1/shipments?obligation=${second}`))
      .body.shipments[0] as { shipment: string; station: string | null; arrivedMs: number | null };
    expect(arrived).toMatchObject({ shipment: `${second}/S1`, station: "AKTAU-ST-09" });
    expect(arrived.arrivedMs).not.toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
