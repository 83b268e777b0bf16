/**
 * The regulator's surveillance console in a real browser (Debian's Chromium through playwright-core) against a real
 * exchange server: an alert appears on the open console while the session runs (two members the operator recorded as
 * one group trade with each other through the API); the regulator opens a case on it, adds a note, takes it under
 * review and closes it with an outcome; the case page draws the evidence with the alert's orders on the price path.
 * A delivery diverted to another region shows as a `diversion` alert, found with the rule filter. An automated-entry
 * alert whose immediate-or-cancel orders never rested shows a sentence instead of an empty book. An empty note on a case is
 * refused in Russian words that name the note, and the case records nothing; a note another regulator adds through the
 * API shows on the open case page within seconds (the surveillance channel), not at the 15 s poll.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { INSTRUMENT } from "../support/server.ts";
import { browserAvailable, browserSuite, screenshot } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("surveillance console end-to-end tests");
const LAPTOP = { width: 1280, height: 860 };
/** How long the page may take to show a change: polling is 1 s, the stream faster. */

describe.skipIf(!run)("surveillance console in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;
  let page: Page;

  it("shows an alert on the open console while the session runs", async () => {
    const server = suite.server;
    for (const member of ["KAZGPZ", "AKTAU"]) {
      const outcome = await server.exchange.submit(
        { type: "member.group", member, group: "CASPIAN", evidence: "ORDER-2026-17", reason: "one owner" },
        { actor: "operator", role: "operator" },
      );
      expect(outcome.events.map((e) => e.type)).toEqual(["member.grouped"]);
    }
    page = await signIn("regulator");
    await page.getByRole("link", { name: "Surveillance" }).click();
    await page.getByTestId("no-alerts").waitFor({ timeout: LIVE_MS });
    // No case yet, as the API says: a sentence tells so, not an empty table's headings.
    const console_ = await server.login("regulator");
    expect((await server.call(console_, "GET", "/api/regulator/surveillance/cases")).body.cases).toEqual([]);
    await page.getByTestId("no-cases").waitFor({ timeout: LIVE_MS });
    expect(await page.getByTestId("no-cases").textContent()).toBe("No case is open or closed yet.");
    expect(await page.getByTestId("cases").count()).toBe(0);

    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("aktau-trader");
    const order = { instrument: INSTRUMENT, price: 13_300_000, quantity: 20_000 };
    server.nowMs += 60_000;
    await server.call(seller, "POST", "/api/orders", {
      ...order,
      account: "KAZGPZ-1",
      clientOrderId: "e2e-s",
      side: "sell",
    });
    server.nowMs += 1000;
    const bought = await server.call(buyer, "POST", "/api/orders", {
      ...order,
      account: "AKTAU-1",
      clientOrderId: "e2e-b",
      side: "buy",
    });
    expect(bought.body.trades).toHaveLength(1);

    const row = page.locator('[data-rule="wash-trade"]');
    await expect.poll(() => row.count(), { timeout: LIVE_MS }).toBe(1);
    expect(await row.textContent()).toContain("CASPIAN");
    expect(await row.textContent()).toContain("AKTAU-1, KAZGPZ-1");
    // The related parties behind the alert: the group with its members and their accounts.
    const group = page.getByTestId("groups").locator('[data-group="CASPIAN"]');
    await expect.poll(() => group.textContent(), { timeout: LIVE_MS }).toContain("AKTAU → AKTAU-1");
    expect(await group.textContent()).toContain("KAZGPZ → KAZGPZ-1");
    // ...and as a graph: the group, its members and their accounts as nodes, as the API records them.
    const regulator = await server.login("regulator");
    const recorded = (await server.call(regulator, "GET", "/api/regulator/surveillance/groups")).body.groups[0];
    const graph = group.getByTestId("group-graph");
    const nodes = await graph
      .locator(".graph-node")
      .evaluateAll((all) => all.map((n) => `${n.getAttribute("data-kind")}:${n.getAttribute("data-node")}`));
    expect(nodes.sort()).toEqual(
      [
        `group:${recorded.group}`,
        ...recorded.members.flatMap((m: { member: string; accounts: string[] }) => [
          `member:${m.member}`,
          ...m.accounts.map((a) => `account:${a}`),
        ]),
      ].sort(),
    );
    expect(await graph.locator("line").count()).toBe(4);
    await screenshot(page, "surveillance");
  });

  it("opens a case on the alert, adds a note, reviews it and closes it", async () => {
    const row = page.locator('[data-rule="wash-trade"]');
    await row.getByRole("button", { name: "Open a case" }).click();
    await row.getByLabel("Reason").fill("one owner on both sides of the trade");
    // Pressed twice in a hurry: one request goes, none is refused, one case opens.
    const answers: number[] = [];
    const heard = (response: { url(): string; request(): { method(): string }; status(): number }) => {
      if (response.url().endsWith("/api/regulator/surveillance/cases") && response.request().method() === "POST") {
        answers.push(response.status());
      }
    };
    page.on("response", heard);
    await row.getByRole("button", { name: "Open", exact: true }).dblclick();
    await expect.poll(() => page.getByTestId("case-status").textContent(), { timeout: LIVE_MS }).toBe("Open");
    await page.waitForTimeout(500);
    page.off("response", heard);
    expect(answers).toEqual([201]);
    const opened = (
      await suite.server.call(await suite.server.login("regulator"), "GET", "/api/regulator/surveillance/cases")
    ).body.cases as { id: string; steps: { action: string }[] }[];
    expect(opened.map((c) => [c.id, c.steps.map((step) => step.action)])).toEqual([["CASE-1", ["opened"]]]);
    expect(new URL(page.url()).pathname).toBe("/surveillance/case");

    const text = page.getByLabel("Note or reason");
    await text.fill("The members' compliance officers were asked to explain.");
    await page.getByRole("button", { name: "Add note" }).click();
    const steps = page.getByTestId("case-steps");
    await expect.poll(() => steps.locator('[data-action="noted"]').count(), { timeout: LIVE_MS }).toBe(1);
    expect(await steps.locator('[data-action="noted"]').textContent()).toContain("regulator");

    await text.fill("evidence complete");
    await page.getByRole("button", { name: "Take under review" }).click();
    await expect.poll(() => page.getByTestId("case-status").textContent(), { timeout: LIVE_MS }).toBe("Under review");

    await page.getByLabel("Outcome").selectOption("referred");
    await text.fill("referred to the competition agency");
    await page.getByRole("button", { name: "Close case" }).click();
    await expect.poll(() => page.getByTestId("case-status").textContent(), { timeout: LIVE_MS }).toBe("Closed");
    expect(
      await steps.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action"))),
    ).toEqual(["opened", "noted", "reviewing", "closed"]);
    // Back on the console, the cases table lists the case as the API does, and the sentence is gone.
    const cases = (
      await suite.server.call(await suite.server.login("regulator"), "GET", "/api/regulator/surveillance/cases")
    ).body.cases as { id: string; status: string }[];
    expect(cases.map((c) => [c.id, c.status])).toEqual([["CASE-1", "closed"]]);
    await page.getByRole("link", { name: "← Surveillance" }).click();
    // The list is fetched again as it is shown, not at the next poll (15 s while the stream is open): within 5 s.
    const listed = page.getByTestId("cases").locator("tbody tr");
    await expect.poll(() => listed.first().textContent(), { timeout: 5_000 }).toContain("Closed");
    expect(await listed.count()).toBe(1);
    expect(await listed.first().getAttribute("data-case")).toBe("CASE-1");
    expect(await page.getByTestId("no-cases").count()).toBe(0);
    // The alert, free again for a new case, says which case it was in; opening another says so first, and an empty
    // reason is the page's own sentence. Nothing is opened.
    const alertRow = page.locator('[data-rule="wash-trade"]');
    await expect
      .poll(() => alertRow.getByTestId("closed-cases").textContent(), { timeout: LIVE_MS })
      .toBe("closed in CASE-1");
    await alertRow.getByRole("button", { name: "Open a case" }).click();
    expect(await alertRow.getByTestId("reopen-note").textContent()).toBe(
      "This alert was in CASE-1, now closed: a new case starts a new investigation of it.",
    );
    await alertRow.getByRole("button", { name: "Open", exact: true }).click();
    expect(await alertRow.getByTestId("open-case-missing").textContent()).toBe(
      "Give a reason: every change is recorded with who made it and why.",
    );
    const still = (
      await suite.server.call(await suite.server.login("regulator"), "GET", "/api/regulator/surveillance/cases")
    ).body.cases as { id: string }[];
    expect(still.map((c) => c.id)).toEqual(["CASE-1"]);
    // And from there to the case again, for the evidence below.
    await listed.first().getByRole("link", { name: "CASE-1" }).click();
    await expect.poll(() => page.getByTestId("case-status").textContent(), { timeout: LIVE_MS }).toBe("Closed");
  });

  it("draws the evidence: the orders of the alert on the price path", async () => {
    const chart = page.getByTestId("evidence-chart");
    await chart.waitFor({ timeout: LIVE_MS });
    expect(await chart.locator(".order-mark").count()).toBe(2);
    expect(await chart.locator(".order-buy").getAttribute("data-order")).toBe("AKTAU-1~e2e-b");
    expect(await chart.locator(".order-sell").getAttribute("data-order")).toBe("KAZGPZ-1~e2e-s");
    // The orders' table names each order's instrument (an alert may span several).
    const rows = page.getByTestId("evidence-orders").locator("tbody tr");
    expect(
      await rows.evaluateAll((trs) => trs.map((tr) => [tr.children[0]?.textContent, tr.children[1]?.textContent])),
    ).toEqual([
      ["AKTAU-1~e2e-b", INSTRUMENT],
      ["KAZGPZ-1~e2e-s", INSTRUMENT],
    ]);
    expect(await page.getByTestId("report-link").getAttribute("href")).toContain("/report?format=html");
    await screenshot(page, "surveillance-case");
    expect(pageErrors).toEqual([]);
  });

  it("shows the book at each moment of the alert, as the evidence pack read from the journal gives it", async () => {
    const alertId = await page.locator("section[data-alert]").first().getAttribute("data-alert");
    const regulator = await suite.server.login("regulator");
    const { books } = (await suite.server.call(regulator, "GET", `/api/regulator/surveillance/alerts/${alertId}`)).body
      .evidence;
    expect(books).toHaveLength(2);
    const select = page.getByTestId("book-moment-select");
    expect(await select.locator("option").count()).toBe(2);
    // The first moment: the seller's offer resting, all of it the alert's.
    const offers = page.getByTestId("book-asks");
    const alertRow = offers.locator("tr.alert-level");
    expect(await alertRow.count()).toBe(1);
    expect(await alertRow.locator("td").allTextContents()).toEqual(["133,000", "20", "20", "1"]);
    expect(books[0].book.asks.filter((l: { alertKg: number }) => l.alertKg > 0)).toEqual([
      { priceTiynPerTonne: 13_300_000, quantityKg: 20_000, orders: 1, alertKg: 20_000 },
    ]);
    // The second: the trade took it, so no level holds the alert's orders any more.
    await select.selectOption("1");
    await expect.poll(() => page.locator("tr.alert-level").count(), { timeout: LIVE_MS }).toBe(0);
    expect(await offers.locator("tbody tr").count()).toBe(books[1].book.asks.length);
    expect(await page.getByTestId("book-phase").textContent()).toContain("Continuous");
    expect(pageErrors).toEqual([]);
  });

  it("shows a diverted delivery as a `diversion` alert, found with the rule filter", async () => {
    const server = suite.server;
    const operator = await server.login("operator");
    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("atyrau-trader");
    const order = { instrument: INSTRUMENT, price: 13_300_000, quantity: 3000 };
    server.nowMs += 60_000;
    await server.call(seller, "POST", "/api/orders", {
      ...order,
      account: "KAZGPZ-1",
      clientOrderId: "dv-s",
      side: "sell",
    });
    const bought = await server.call(buyer, "POST", "/api/orders", {
      ...order,
      account: "ATYRAU-1",
      clientOrderId: "dv-b",
      side: "buy",
    });
    const obligation = `OB-${(bought.body.trades[0].tradeId as string).slice(2)}`;
    server.nowMs += 60_000;
    const station = { station: "ATYRAU-DEPOT-9", member: "ATYRAU", name: "Atyrau depot 9", region: "ATYRAU" };
    expect(
      (await server.call(operator, "POST", "/api/admin/stations", { ...station, document: "Lease 9" })).status,
    ).toBe(201);
    const shipment = { obligation, vehicle: "123 ABC 12", waybill: "TTN-D", quantityKg: 3000, date: "2026-01-05" };
    expect((await server.call(seller, "POST", "/api/accounts/KAZGPZ-1/shipments", shipment)).status).toBe(201);
    const arrival = { shipment: `${obligation}/S1`, station: "ATYRAU-DEPOT-9" };
    expect((await server.call(buyer, "POST", "/api/accounts/ATYRAU-1/arrivals", arrival)).status).toBe(200);

    await page.goto(`${server.url}/surveillance`);
    await page.getByLabel("Rule").selectOption("diversion");
    const row = page.locator('[data-rule="diversion"]');
    await expect.poll(() => row.count(), { timeout: LIVE_MS }).toBe(1);
    await expect.poll(() => page.locator("[data-rule]").count(), { timeout: LIVE_MS }).toBe(1);
    const text = await row.textContent();
    expect(text).toContain("Diversion of delivered gas");
    expect(text).toContain(
      "ATYRAU-DEPOT-9 (ATYRAU); bought for MANGYSTAU: outside the region, station registered after the trade",
    );
    expect(text).toContain("diverted: 3 t");
    // The same alert as the API gives it.
    const regulator = await server.login("regulator");
    const listed = (await server.call(regulator, "GET", "/api/regulator/surveillance/alerts?rule=diversion")).body;
    expect(listed.alerts.map((a: { id: string; groups: string[] }) => [a.id, a.groups])).toEqual([
      [await row.getAttribute("data-alert"), ["ATYRAU"]],
    ]);
    expect(pageErrors).toEqual([]);
  });

  it("an automated-entry alert whose orders never rested: a sentence instead of an empty book, in Russian and English", async () => {
    const server = suite.server;
    // Three immediate-or-cancel bids within a second against an empty offer side: none rests in the book.
    const buyer = await server.login("aktau-trader");
    server.nowMs += 60_000;
    for (const n of [1, 2, 3]) {
      const placed = await server.call(buyer, "POST", "/api/orders", {
        instrument: INSTRUMENT,
        account: "AKTAU-1",
        clientOrderId: `burst-${n}`,
        side: "buy",
        price: 13_000_000,
        quantity: 1000,
        tif: "IOC",
      });
      expect([placed.status, placed.body.trades]).toEqual([201, []]);
    }
    const regulator = await server.login("regulator");
    const listed = (await server.call(regulator, "GET", "/api/regulator/surveillance/alerts?rule=automated-entry")).body
      .alerts;
    expect(listed).toHaveLength(1);
    const { evidence } = (await server.call(regulator, "GET", `/api/regulator/surveillance/alerts/${listed[0].id}`))
      .body;
    expect(evidence.books.length).toBeGreaterThan(0);
    expect(
      evidence.books.map((b: { book: { bids: unknown[]; asks: unknown[] } }) => [b.book.bids, b.book.asks]),
    ).toEqual(evidence.books.map(() => [[], []]));

    await page.goto(`${server.url}/surveillance`);
    await page.getByLabel("Rule").selectOption("automated-entry");
    const row = page.locator('[data-rule="automated-entry"]');
    await expect.poll(() => row.count(), { timeout: LIVE_MS }).toBe(1);
    await row.getByRole("button", { name: "Open a case" }).click();
    await row.getByLabel("Reason").fill("three bids within a second");
    await row.getByRole("button", { name: "Open", exact: true }).click();
    await expect.poll(() => page.getByTestId("case-status").textContent(), { timeout: LIVE_MS }).toBe("Open");

    // In Russian too: the sentence instead of the book.
    await page.locator("label.language select").selectOption("ru");
    const empty = page.getByTestId("book-empty");
    await expect
      .poll(() => empty.textContent(), { timeout: LIVE_MS })
      .toBe(
        "Ни в один момент этого сигнала в книге заявок не было заявок: его заявки в книге не стояли (они сразу исполнялись, снимались или истекали), поэтому показывать нечего.",
      );
    expect(await page.getByTestId("book-moment").count()).toBe(0);

    await page.locator("label.language select").selectOption("en");
    await expect
      .poll(() => page.getByTestId("book-empty").textContent(), { timeout: LIVE_MS })
      .toContain("The book held no orders at any moment of this alert");
    expect(pageErrors).toEqual([]);
  });

  it("an empty note on the case is refused in Russian words that name the note; the case records nothing", async () => {
    const server = suite.server;
    const regulator = await server.login("regulator");
    const caseId = (await server.call(regulator, "GET", "/api/regulator/surveillance/cases?status=open")).body.cases[0]
      .id;
    await page.locator("label.language select").selectOption("ru");
    const refusal = page.locator('[aria-labelledby="case-actions-title"] [role="alert"]');
    expect(await refusal.count()).toBe(0);
    await page.getByLabel("Заметка или основание").fill("");
    await page.getByRole("button", { name: "Добавить заметку" }).click();
    await expect.poll(() => refusal.textContent(), { timeout: LIVE_MS }).toBe("Примечание не должно быть пустым.");
    const found = (await server.call(regulator, "GET", `/api/regulator/surveillance/cases/${caseId}`)).body.case;
    expect(found.steps.map((step: { action: string }) => step.action)).toEqual(["opened"]);
    await page.locator("label.language select").selectOption("en");
    expect(pageErrors).toEqual([]);
  });

  it("a note another regulator adds shows on the open case page at once, not at its 15 s poll", async () => {
    const server = suite.server;
    const other = await server.login("regulator");
    const caseId = (await server.call(other, "GET", "/api/regulator/surveillance/cases?status=open")).body.cases[0].id;
    const steps = page.getByTestId("case-steps");
    expect(await steps.locator('[data-action="noted"]').count()).toBe(0);
    const noted = await server.call(other, "POST", `/api/regulator/surveillance/cases/${caseId}/notes`, {
      note: "asked the broker for its algorithm's settings",
    });
    expect(noted.status).toBe(200);
    // The surveillance channel says the case changed; the page reads it again well within the poll's 15 s.
    await expect.poll(() => steps.locator('[data-action="noted"]').count(), { timeout: 5_000 }).toBe(1);
    expect(await steps.locator('[data-action="noted"]').textContent()).toContain(
      "asked the broker for its algorithm's settings",
    );
    const found = (await server.call(other, "GET", `/api/regulator/surveillance/cases/${caseId}`)).body.case;
    expect(found.steps.map((step: { action: string }) => step.action)).toEqual(["opened", "noted"]);
    expect(pageErrors).toEqual([]);
  });
});
