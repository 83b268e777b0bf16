/**
 * The API page at /docs as a developer uses it: the signing box takes an API key's id and secret and every call the
 * page makes is then signed with it (an order placed with "Try it out" is the key's user's); without a key, a call
 * goes as the signed-in browser with its CSRF token (a broker's order for its client). The box speaks the language
 * chosen in the web application, in Kazakh and Russian as in English. Orders are read back through the API.
 */

import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INSTRUMENT } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("API page (/docs) end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };
/** Swagger UI draws an operation only once its section scrolls into view; this many scroll steps reach every one. */
const SCROLL_STEPS_MAX = 200;

describe.skipIf(!run)("the API page at /docs", () => {
  const suite = browserSuite(LAPTOP);

  /**
   * Opens /docs with the browser's clock at the exchange's (the test server runs a fixed clock, and a signed call's
   * timestamp must be within 30 s of it), in `language` as the web application saved it.
   */
  async function openDocs(language: "en" | "ru" | "kk", page?: Page): Promise<Page> {
    const docs = page ?? (await suite.open("/login"));
    await docs.addInitScript(
      ({ nowMs, saved }) => {
        // Shifted, not stopped: the page's own timers still see time pass.
        const realNow = Date.now.bind(Date);
        const offsetMs = nowMs - realNow();
        Date.now = () => realNow() + offsetMs;
        // Runs in the page; the test's TypeScript has no DOM library.
        (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem(
          "sauda.language",
          saved,
        );
      },
      { nowMs: suite.server.nowMs, saved: language },
    );
    await docs.goto(`${suite.server.url}/docs`);
    await docs.locator("#sauda-signing").waitFor();
    return docs;
  }

  /** The operation's block, scrolled to until Swagger UI has drawn it. */
  async function operation(page: Page, id: string): Promise<Locator> {
    const block = page.locator(`#${id}`);
    for (let step = 0; step < SCROLL_STEPS_MAX && (await block.count()) === 0; step++) {
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(50);
    }
    await block.scrollIntoViewIfNeeded();
    return block;
  }

  /** Sends POST /api/orders with "Try it out" and the body given; the response's status code as the page shows it. */
  async function placeOrderFromDocs(page: Page, body: object): Promise<string> {
    const block = await operation(page, "operations-orders-placeOrder");
    await block.locator(".opblock-summary").click();
    await block.getByRole("button", { name: "Try it out" }).click();
    await block.locator("textarea.body-param__text").fill(JSON.stringify(body));
    await block.getByRole("button", { name: "Execute" }).click();
    const status = block.locator(".live-responses-table .response .response-col_status").first();
    await status.waitFor({ timeout: LIVE_MS });
    return (await status.textContent())?.trim() ?? "";
  }

  it("signs calls with the API key entered in the box: an order placed from the page is the key's user's", async () => {
    const operator = await suite.server.login("operator");
    const made = await suite.server.call(operator, "POST", "/api/admin/users/aktau-trader/keys", {
      scopes: ["read", "trade"],
    });
    expect(made.status).toBe(201);
    // What the document tells a developer to do is what works: the key id and the secret both in the box.
    const document = await suite.server.call(null, "GET", "/docs/json");
    expect(document.body.components.securitySchemes.apiKey.description).toContain(
      "enter the key id and the secret in the signing box at the top",
    );
    const page = await openDocs("en");
    const box = page.locator("#sauda-signing");
    expect(await box.locator("[name=state]").textContent()).toBe("no key: calls go as the signed-in browser (if any)");
    await box.getByLabel("key id").fill(made.body.key.id);
    await box.getByLabel("secret (stays in this tab)").fill(made.body.secret);
    await box.getByRole("button", { name: "Use key" }).click();
    expect(await box.locator("[name=state]").textContent()).toBe(`signing as key ${made.body.key.id}`);
    expect(await box.getByLabel("secret (stays in this tab)").inputValue()).toBe("");

    const status = await placeOrderFromDocs(page, {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "docs-key-1",
      side: "buy",
      type: "limit",
      price: 12_500_000,
      quantity: 1_000,
    });
    expect(status).toBe("201");
    const aktau = await suite.server.login("aktau-trader");
    const placed = await suite.server.call(aktau, "GET", "/api/accounts/AKTAU-1/orders/docs-key-1");
    expect(placed.status).toBe(200);
    expect(placed.body.order).toMatchObject({ status: "resting", priceTiynPerTonne: 12_500_000, quantityKg: 1_000 });

    await box.getByRole("button", { name: "Forget key" }).click();
    expect(await box.locator("[name=state]").textContent()).toBe("no key: calls go as the signed-in browser (if any)");
  });

  it("without a key, calls go as the signed-in browser: a broker places an order for its client", async () => {
    const page = await suite.signIn("broker-trader");
    await openDocs("en", page);
    const status = await placeOrderFromDocs(page, {
      instrument: INSTRUMENT,
      account: "BROKER-C1",
      clientOrderId: "docs-session-1",
      side: "buy",
      type: "limit",
      price: 12_400_000,
      quantity: 2_000,
    });
    expect(status).toBe("201");
    const broker = await suite.server.login("broker-trader");
    const placed = await suite.server.call(broker, "GET", "/api/accounts/BROKER-C1/orders/docs-session-1");
    expect(placed.body.order).toMatchObject({ account: "BROKER-C1", status: "resting", quantityKg: 2_000 });
  });

  it("says the signing box in the language chosen in the web application", async () => {
    const kazakh = await openDocs("kk");
    const box = kazakh.locator("#sauda-signing");
    expect(await box.getAttribute("lang")).toBe("kk");
    expect(await box.locator("strong").textContent()).toBe("Шақыруларға API кілтімен қол қою");
    expect(await box.getByRole("button", { name: "Кілтті қолдану" }).count()).toBe(1);
    expect(await box.getByLabel("кілт идентификаторы").count()).toBe(1);
    await box.getByLabel("кілт идентификаторы").fill("key-1");
    await box.getByLabel("құпия сөз (осы қойындыда қалады)").fill("secret-1");
    await box.getByRole("button", { name: "Кілтті қолдану" }).click();
    expect(await box.locator("[name=state]").textContent()).toBe("шақыруларға key-1 кілтімен қол қойылады");

    const russian = await openDocs("ru");
    const ruBox = russian.locator("#sauda-signing");
    expect(await ruBox.locator("strong").textContent()).toBe("Подписывать вызовы ключом API");
    expect(await ruBox.getByRole("button", { name: "Забыть ключ" }).count()).toBe(1);
    expect(await ruBox.locator("[name=state]").textContent()).toBe(
      "ключа нет: вызовы идут от браузера, в котором выполнен вход (если он выполнен)",
    );
    expect(suite.pageErrors).toEqual([]);
  });
});
