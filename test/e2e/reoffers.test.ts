/**
 * The operator's re-offer controls in a real browser against a real exchange (docs/market-rules.md §10): the operator
 * voids a trade through the API, the console lists its volume waiting for re-offer, the extra-session form refuses
 * while the instrument is still in session (the exchange's reason shown in Russian, nothing changed), and once the
 * instrument is closed it opens the extra session; the session is read back through the API and its base price is the
 * previous session's weighted average, rounded to the tick.
 *
 * The scenarios share one server and run in order.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INSTRUMENT, type Session } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";
import { tradeThroughApi } from "./support/market.ts";

const run = browserAvailable("re-offer console end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };
const TICK = 100;

describe.skipIf(!run)("re-offers and the extra session on the operator's console", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;
  let operator: Page;
  let operatorApi: Session;
  let voided = "";
  let reoffer = "";

  const trade = (price: number, quantity: number, id: string) =>
    tradeThroughApi(suite.server, { price, quantity, tif: "DAY" }, id);

  it("a voided trade's volume is listed as waiting for re-offer", async () => {
    operatorApi = await suite.server.login("operator");
    // 3 t at 133,000 and 1 t at 133,003 ₸/t: the session's weighted average is 133,000.75 ₸/t.
    voided = await trade(13_300_000, 3000, "ro-1");
    await trade(13_300_300, 1000, "ro-2");
    const answer = await suite.server.call(operatorApi, "POST", `/api/admin/trades/${voided}/void`, {
      reason: "console test: entry rules broken",
      rule: "Rulebook 4.2",
    });
    expect(answer.status).toBe(200);
    const waiting = await suite.server.call(operatorApi, "GET", "/api/admin/reoffers");
    expect(waiting.body.reoffers).toHaveLength(1);
    expect(waiting.body.reoffers[0]).toMatchObject({
      instrument: INSTRUMENT,
      seller: "KAZGPZ-1",
      quantityKg: 3000,
      source: voided,
      stage: "extra",
      offered: false,
    });
    reoffer = waiting.body.reoffers[0].id;

    operator = await signIn("operator", "/operator");
    const row = operator.locator(`[data-testid=reoffers] tr[data-reoffer="${reoffer}"]`);
    await expect.poll(() => row.textContent(), { timeout: LIVE_MS }).toContain("KAZGPZ-1");
    expect(await row.textContent()).toContain(voided);
    expect(await row.locator("td.num").textContent()).toBe("3");
    expect(await row.textContent()).toContain("waiting");
    expect(await operator.getByTestId("reoffer-total").textContent()).toBe(`Waiting on ${INSTRUMENT}3`);
  });

  it("in Russian, opening while the instrument is in session shows the exchange's reason and changes nothing", async () => {
    await operator.getByLabel("Language").selectOption("ru");
    const form = operator.getByTestId("extra-session-form");
    await expect
      .poll(() => form.locator("h3").first().textContent(), { timeout: LIVE_MS })
      .toBe("Открыть дополнительную сессию");
    // No reason: refused in the page.
    await form.locator("select[name=instrument]").selectOption(INSTRUMENT);
    await form.locator("button[type=submit]").click();
    expect(await form.locator(".field-error:not([hidden])").first().textContent()).toContain("Укажите основание");
    await form.locator("input[name=reason]").fill("консольный тест: рано");
    await form.locator("button[type=submit]").click();
    await form.locator("dialog button").first().click();
    await expect
      .poll(() => form.locator(".field-error:not([hidden])").first().textContent(), { timeout: LIVE_MS })
      .toBe(
        `Дополнительную сессию по инструменту '${INSTRUMENT}' можно открыть только после закрытия его сессии; сейчас фаза: непрерывные торги.`,
      );
    expect(await form.locator(".ok").count()).toBe(0);
    const read = await suite.server.call(operatorApi, "GET", `/api/instruments/${INSTRUMENT}`);
    expect(read.body.phase).toBe("continuous");
    const waiting = await suite.server.call(operatorApi, "GET", "/api/admin/reoffers");
    expect(waiting.body.reoffers[0]).toMatchObject({ id: reoffer, offered: false });
    await operator.getByLabel("Язык").selectOption("en");
  });

  it("once closed, the form opens the extra session at the previous session's weighted average", async () => {
    const closed = await suite.server.exchange.submit({ type: "phase.set", instrument: INSTRUMENT, phase: "closed" });
    expect(closed.events.find((e) => e.type === "rejected")).toBeUndefined();
    // The previous session's weighted average, from its trades as the API lists them (the voided one was made).
    const tape = await suite.server.call(operatorApi, "GET", `/api/instruments/${INSTRUMENT}/trades?limit=100`);
    const trades = tape.body.trades as { priceTiynPerTonne: number; quantityKg: number }[];
    expect(trades).toHaveLength(2);
    const value = trades.reduce((sum, t) => sum + t.priceTiynPerTonne * t.quantityKg, 0);
    const volume = trades.reduce((sum, t) => sum + t.quantityKg, 0);
    expect(value / volume).toBe(13_300_075);
    const sessions = await suite.server.call(operatorApi, "GET", `/api/instruments/${INSTRUMENT}/sessions`);
    expect(sessions.body.current).toBeNull();
    // The published result leaves the voided trade out (docs/indices.md); the base price is the engine's band
    // reference, which counts every trade the session made (docs/market-rules.md §10).
    expect(trades.filter((t) => (t as { voided?: unknown }).voided !== undefined)).toHaveLength(1);
    expect(sessions.body.history[0]).toMatchObject({ trades: 1, volumeKg: "1000", vwapTiynPerTonne: 13_300_300 });
    const base = Math.floor((value / volume + TICK / 2) / TICK) * TICK;
    expect(base).toBe(13_300_100);

    const form = operator.getByTestId("extra-session-form");
    expect(await form.locator(`select[name=instrument] option[value="${INSTRUMENT}"]`).textContent()).toBe(
      `${INSTRUMENT} (3 t waiting)`,
    );
    await form.locator("select[name=instrument]").selectOption(INSTRUMENT);
    await form.locator("input[name=reason]").fill("console test: re-offer of the voided volume");
    await form.locator("button[type=submit]").click();
    expect(await form.locator("dialog p").first().textContent()).toBe(
      `Open an extra session on ${INSTRUMENT} for its re-offered volume.`,
    );
    await form.getByRole("button", { name: "Yes, do it" }).click();
    await expect
      .poll(() => form.locator(".ok").textContent(), { timeout: LIVE_MS })
      .toContain(`Base price 133,001 ₸/t; offered: ${reoffer} (KAZGPZ-1, 3 t).`);
    expect(await form.locator(".field-error:not([hidden])").count()).toBe(0);

    // Read back through the API: the instrument collects orders for the extra session, centred on the base price,
    // and the re-offer is the one sell order in its book.
    const read = await suite.server.call(operatorApi, "GET", `/api/instruments/${INSTRUMENT}`);
    expect(read.body.phase).toBe("collection");
    expect(read.body.referencePriceTiynPerTonne).toBe(base);
    const book = await suite.server.call(operatorApi, "GET", `/api/instruments/${INSTRUMENT}/book`);
    expect(book.body.asks).toEqual([expect.objectContaining({ priceTiynPerTonne: base, quantityKg: 3000 })]);
    const waiting = await suite.server.call(operatorApi, "GET", "/api/admin/reoffers");
    expect(waiting.body.reoffers[0]).toMatchObject({ id: reoffer, offered: true });
    const row = operator.locator(`[data-testid=reoffers] tr[data-reoffer="${reoffer}"]`);
    await expect.poll(() => row.textContent(), { timeout: LIVE_MS }).toContain("offered in the extra session");
    expect(pageErrors).toEqual([]);
  });
});
