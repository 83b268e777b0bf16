/**
 * The public board in a real browser: producers' outages shown to everyone (a late one marked), and the board at
 * narrow widths — readable at a tablet's 768 px (the columns that matter first, no sideways scrolling) and usable at
 * a phone's 390 px (instrument, last price and change; a tap opens the instrument's chart); a trade the operator
 * voids through the API stays on the tape, struck through and labelled voided in English, Russian and Kazakh; at a
 * laptop's 1280 px a long instrument id that wraps starts from the same left edge as the line under it.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { calendarDate, calendarMonth } from "../../web/src/format.ts";
import { INSTRUMENT, TERMS } from "../support/server.ts";
import { browserAvailable, browserSuite, screenshot } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";
import { tradeThroughApi } from "./support/market.ts";

const run = browserAvailable("board browser tests");
const LAPTOP = { width: 1280, height: 860 };
const TABLET = { width: 768, height: 1024 };
const PHONE = { width: 390, height: 844 };
const HOUR = 3_600_000;

describe.skipIf(!run)("the public board", () => {
  const suite = browserSuite(LAPTOP);
  const rowOf = (page: Page) => page.locator(`[data-instrument="${INSTRUMENT}"]`);
  /** The quote table's column titles a reader can see. */
  const visibleHeaders = (page: Page) =>
    page
      .locator("[data-testid=quotes] thead th")
      .evaluateAll((cells) =>
        cells
          .filter((cell) => (cell as unknown as { offsetParent: unknown }).offsetParent !== null)
          .map((cell) => cell.textContent?.trim()),
      );
  /** How far the page is wider than the screen, in CSS pixels (0 when nothing sticks out). */
  const overflow = (page: Page) =>
    page.evaluate(() => {
      // Runs in the page; the test's TypeScript has no DOM library.
      const root = (
        globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
      ).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });

  it("shows producers' outages, the late one marked, as the API publishes them", async () => {
    const producer = await suite.server.login("kazgpz-trader");
    const now = suite.server.nowMs;
    const planned = await suite.server.call(producer, "POST", "/api/outages", {
      basis: "KAZGPZ",
      kind: "planned",
      fromMs: now + 7 * 24 * HOUR,
      toMs: now + 21 * 24 * HOUR,
      volumeKg: 3_600_000,
      reason: "repair of the fractionation unit",
    });
    const late = await suite.server.call(producer, "POST", "/api/outages", {
      basis: "KAZGPZ",
      kind: "unplanned",
      fromMs: now - HOUR,
      toMs: now + 2 * 24 * HOUR,
      volumeKg: 500_000,
      reason: "compressor failure",
    });
    expect([planned.status, late.status]).toEqual([201, 201]);

    const board = await suite.open("/");
    const rows = board.getByTestId("outages").locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: LIVE_MS }).toBe(2);
    const published = (await suite.server.call(null, "GET", "/api/outages?upcoming=true")).body.outages as {
      outage: string;
      late: boolean;
    }[];
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-outage")))).toEqual(
      published.map((o) => o.outage),
    );
    const lateRow = board.locator(`[data-outage="${late.body.outage.outage}"]`);
    expect(await lateRow.getByTestId("late").textContent()).toBe("published late");
    expect(await lateRow.locator("td").nth(1).textContent()).toBe("unplanned");
    expect(await lateRow.locator("td").nth(3).textContent()).toBe("500");
    expect(await lateRow.locator("td").nth(4).textContent()).toBe("compressor failure");
    expect(await board.locator(`[data-outage="${planned.body.outage.outage}"]`).getByTestId("late").count()).toBe(0);
    expect(suite.pageErrors).toEqual([]);
  });

  it("is readable at 768 px: the first columns only, nothing wider than the screen", async () => {
    // A trade so that last price and change have figures.
    await tradeThroughApi(suite.server, { price: 13_400_000, quantity: 10_000 }, "n");

    const tablet = await suite.open("/", TABLET);
    await expect.poll(() => rowOf(tablet).getByTestId("last").textContent(), { timeout: LIVE_MS }).toBe("134,000");
    expect(await visibleHeaders(tablet)).toEqual(["Instrument", "Plant", "Phase", "Last ₸/t", "Change", "Volume t"]);
    // The phase has its column here: it is not said twice.
    expect(await rowOf(tablet).getByTestId("phone-phase").isVisible()).toBe(false);
    expect(await overflow(tablet)).toBe(0);
    const table = tablet.getByTestId("quotes");
    expect(await table.evaluate((el) => el.scrollWidth <= (el.parentElement?.clientWidth ?? 0))).toBe(true);
    await screenshot(tablet, "board-768");
  });

  it("is usable at 390 px: instrument, last price and change, and a tap opens the chart", async () => {
    const phone = await suite.open("/", PHONE);
    await expect.poll(() => rowOf(phone).getByTestId("last").textContent(), { timeout: LIVE_MS }).toBe("134,000");
    expect(await visibleHeaders(phone)).toEqual(["Instrument", "Last ₸/t", "Change"]);
    // Change against the reference price 133,000 ₸/t.
    expect(await rowOf(phone).getByTestId("change").textContent()).toBe("+1,000+0.75%");
    expect(await overflow(phone)).toBe(0);
    // The density the prices per litre use is shown whole, not clipped to "0.5".
    const density = phone.locator(".density input");
    expect(await density.inputValue()).toBe("0.55");
    expect(await density.evaluate((input) => input.scrollWidth <= input.clientWidth)).toBe(true);
    // The phase's column went, so it is said under the instrument's name: a closed market's price reads as closed.
    expect(await rowOf(phone).getByTestId("phone-phase").isVisible()).toBe(true);
    expect(await rowOf(phone).getByTestId("phone-phase").textContent()).toBe("Continuous trading");
    await rowOf(phone).getByRole("button", { name: INSTRUMENT }).click();
    expect(await phone.locator("#detail-title").textContent()).toContain(INSTRUMENT);
    expect(await phone.locator("#detail-title").isVisible()).toBe(true);
    await screenshot(phone, "board-390");
    expect(suite.pageErrors).toEqual([]);
  });

  it("says a density outside 0.4–0.7 kg/l is not taken, and prices per litre keep the last one", async () => {
    const board = await suite.open("/");
    const perLitre = () => rowOf(board).locator("td").nth(3).textContent();
    // 134,000 ₸/t × 0.55 kg/l / 1000.
    await expect.poll(perLitre, { timeout: LIVE_MS }).toBe("73.70");
    // The field's label changes with the language.
    const density = board.locator("label.density input");
    expect(await board.getByLabel("Density for ₸/l").count()).toBe(1);
    // Untouched, the field writes the density as the language does: "0,55" in Russian and Kazakh.
    expect(await density.inputValue()).toBe("0.55");
    await board.getByLabel("Language").selectOption("kk");
    await expect.poll(() => density.inputValue(), { timeout: LIVE_MS }).toBe("0,55");
    await board.locator("label.language select").selectOption("en");
    await expect.poll(() => density.inputValue(), { timeout: LIVE_MS }).toBe("0.55");
    const error = board.getByTestId("density-error");
    expect(await error.count()).toBe(0);
    await density.fill("5");
    expect(await error.textContent()).toBe(
      "Density 5 kg/l is outside 0.4–0.7 kg/l: prices per litre stay at 0.55 kg/l.",
    );
    expect(await density.getAttribute("aria-invalid")).toBe("true");
    expect(await perLitre()).toBe("73.70");
    // At the limits: taken.
    await density.fill("0.7");
    expect(await error.count()).toBe(0);
    expect(await perLitre()).toBe("93.80");
    await density.fill("0.4");
    expect(await perLitre()).toBe("53.60");
    await density.fill("0.399");
    expect(await error.textContent()).toBe(
      "Density 0.399 kg/l is outside 0.4–0.7 kg/l: prices per litre stay at 0.4 kg/l.",
    );
    await board.getByLabel("Language").selectOption("ru");
    await density.fill("");
    expect(await error.textContent()).toBe("Введите плотность от 0,4 до 0,7 кг/л: цены за литр остаются при 0,4 кг/л.");
    await density.fill("-1");
    await board.locator("label.language select").selectOption("kk");
    expect(await error.textContent()).toBe(
      "-1 кг/л тығыздығы 0,4–0,7 кг/л аралығынан тыс: литр бағасы 0,4 кг/л бойынша қалады.",
    );
    // Typed with the decimal comma a Kazakh or Russian reader writes: taken as 0.56 kg/l, not as 56.
    await density.fill("");
    await density.pressSequentially("0,56");
    expect(await density.inputValue()).toBe("0,56");
    expect(await error.count()).toBe(0);
    // 134,000 ₸/t × 0.56 kg/l / 1000, written the Kazakh way.
    expect(await perLitre()).toBe("75,04");
    await density.fill("0.55");
    expect(await error.count()).toBe(0);
    await board.locator("label.language select").selectOption("en");
    expect(await perLitre()).toBe("73.70");
    expect(suite.pageErrors).toEqual([]);
  });

  it("offers the daily bulletin as PDF, Excel and CSV in the language chosen, and the files come in it", async () => {
    const board = await suite.open("/");
    await board.getByLabel("Language").selectOption("kk");
    const links = board.getByTestId("bulletin-downloads");
    await expect.poll(() => links.locator("span").textContent(), { timeout: LIVE_MS }).toBe("Күнделікті бюллетень:");
    const hrefs = await links.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(hrefs).toEqual([
      "/api/bulletin?format=pdf&lang=kk",
      "/api/bulletin?format=xlsx&lang=kk",
      "/api/bulletin?format=csv&lang=kk",
    ]);
    // The three links stand apart, not run together as "PDFExcelCSV".
    const boxes = await links.locator("a").evaluateAll((as) => as.map((a) => a.getBoundingClientRect()));
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.left - boxes[i - 1]!.right).toBeGreaterThanOrEqual(8);
    const pdf = await fetch(`${suite.server.url}${hrefs[0]}`);
    expect([pdf.status, pdf.headers.get("content-type"), pdf.headers.get("content-language")]).toEqual([
      200,
      "application/pdf",
      "kk",
    ]);
    expect(suite.pageErrors).toEqual([]);
  });

  it("shows a calendar change inside the notice window as short-notice, with its reason", async () => {
    const operator = await suite.server.login("operator");
    const base = await suite.server.call(operator, "PUT", `/api/admin/instruments/${INSTRUMENT}/calendar`, {
      calendar: {
        sessions: [{ open: "11:00", close: "13:00" }],
        preOpenMinutes: 10,
        weekends: false,
        holidays: [],
        extraSessions: [],
      },
      reason: "the 2026 calendar",
    });
    expect(base.status).toBe(200);
    const urgent = await suite.server.call(operator, "PATCH", `/api/admin/instruments/${INSTRUMENT}/calendar`, {
      addHolidays: ["2026-01-09"],
      reason: "pipeline repair at the plant",
    });
    expect(urgent.body.shortNoticeDates).toEqual(["2026-01-09"]);
    const board = await suite.open("/");
    const notices = board.getByTestId("short-notice");
    await expect.poll(() => notices.count(), { timeout: LIVE_MS }).toBe(1);
    expect(await notices.first().textContent()).toMatch(
      /^Short-notice change of 01\/09\/2026, published .+: pipeline repair at the plant$/,
    );
    // In Russian the day is written as every other date on the page (it stayed ISO).
    await board.getByLabel("Language").selectOption("ru");
    await expect.poll(() => notices.first().textContent(), { timeout: LIVE_MS }).toContain("09.01.2026");
    await board.getByLabel("Язык").selectOption("en");
    const published = await suite.server.call(null, "GET", `/api/instruments/${INSTRUMENT}/calendar`);
    expect(published.body.changes.filter((c: { shortNotice: boolean }) => c.shortNotice)).toHaveLength(1);
    expect(suite.pageErrors).toEqual([]);
  });

  it("shows a trade the operator voided struck through and labelled, in English, Russian and Kazakh", async () => {
    const tradeId = await tradeThroughApi(suite.server, { price: 13_500_000, quantity: 3000 }, "v");

    const board = await suite.open("/");
    await rowOf(board).getByRole("button", { name: INSTRUMENT }).click();
    const row = board.locator(`[data-testid=tape] tr[data-trade="${tradeId}"]`);
    await expect.poll(() => row.count(), { timeout: LIVE_MS }).toBe(1);
    expect(await row.getByTestId("voided").count()).toBe(0);

    // The operator voids it through the API; the open board hears of it on the trades stream.
    const operator = await suite.server.login("operator");
    const voided = await suite.server.call(operator, "POST", `/api/admin/trades/${tradeId}/void`, {
      reason: "order entry software broke the rules",
      rule: "Rulebook 4.2",
    });
    expect(voided.status).toBe(200);
    const published = (await suite.server.call(null, "GET", `/api/instruments/${INSTRUMENT}/trades`)).body.trades as {
      tradeId: string;
      voided?: { rule: string; reason: string };
    }[];
    expect(published.find((t) => t.tradeId === tradeId)?.voided).toMatchObject({
      rule: "Rulebook 4.2",
      reason: "order entry software broke the rules",
    });

    await expect.poll(() => row.getByTestId("voided").textContent(), { timeout: LIVE_MS }).toBe("voided");
    expect(await row.getAttribute("class")).toContain("voided");
    expect(await row.locator("td.num s").allTextContents()).toEqual(["135,000", "3"]);
    expect(await row.getAttribute("title")).toContain("Rulebook 4.2: order entry software broke the rules");
    // The board's last price is no longer the voided trade's 135,000. It comes from the instruments' list, fetched
    // apart from the tape on the same stream message, so it may arrive after the tape has shown the void.
    await expect.poll(() => rowOf(board).getByTestId("last").textContent(), { timeout: LIVE_MS }).not.toBe("135,000");
    await screenshot(board, "board-voided-trade");

    await board.getByLabel("Language").selectOption("ru");
    await expect.poll(() => row.getByTestId("voided").textContent(), { timeout: LIVE_MS }).toBe("аннулирована");
    await board.getByLabel("Язык").selectOption("kk");
    await expect.poll(() => row.getByTestId("voided").textContent(), { timeout: LIVE_MS }).toBe("күші жойылды");
    // The delivery month as Kazakh writes it (as its days), not the API's 2026-01.
    expect(await rowOf(board).locator("th .muted.small").textContent()).toMatch(/ · 01\.2026$/);
    expect(suite.pageErrors).toEqual([]);
  });

  it("publishes participation and concentration per month as the API does, in Russian and Kazakh, with its CSV", async () => {
    await tradeThroughApi(suite.server, { price: 13_400_000, quantity: 1000 }, "p");
    const api = (await suite.server.call(null, "GET", "/api/participation")).body as {
      month: string;
      instruments: {
        instrument: string;
        trades: number;
        volumeKg: string;
        buyers: { participants: number; top5ShareBps: number; hhi: number };
        sellers: { participants: number; top5ShareBps: number; hhi: number };
      }[];
    };
    expect(api.instruments.length).toBeGreaterThan(0);
    const first = api.instruments[0]!;
    const board = await suite.open("/");
    const table = board.getByTestId("participation");
    await expect.poll(() => table.locator("tbody tr").count(), { timeout: LIVE_MS }).toBe(api.instruments.length);
    const cells = table.locator("tbody tr").first().locator("td");
    expect(await cells.allTextContents()).toEqual([
      first.instrument,
      first.trades.toLocaleString("en-US"),
      (Number(first.volumeKg) / 1000).toLocaleString("en-US", { maximumFractionDigits: 3 }),
      String(first.buyers.participants),
      `${(first.buyers.top5ShareBps / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`,
      first.buyers.hhi.toLocaleString("en-US"),
      String(first.sellers.participants),
      `${(first.sellers.top5ShareBps / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`,
      first.sellers.hhi.toLocaleString("en-US"),
    ]);
    // How the indices are computed, with the national index's weights as the API publishes them.
    const weights = (await suite.server.call(null, "GET", "/api/indices")).body.weights as {
      basis: string;
      weight: number;
    }[];
    const method = board.getByTestId("indices-method");
    await method.locator("summary").click();
    const weighted = weights.filter((w) => w.weight > 0);
    expect(weighted.length).toBeGreaterThan(0);
    expect(await method.textContent()).toContain(
      `: ${weighted.map((w) => `${w.basis} ${w.weight.toLocaleString("en-US")}`).join(", ")}.`,
    );
    const csv = board.getByTestId("participation-csv");
    expect(await csv.getAttribute("href")).toBe(`/api/participation?format=csv&month=${api.month}`);
    const file = await suite.server.call(null, "GET", `/api/participation?format=csv&month=${api.month}`);
    expect(String(file.body).split("\n")[1]).toContain(`${api.month},${first.instrument},${first.trades},`);
    // In Russian and Kazakh: the panel's words, the month and the index day written the reader's way.
    await board.getByLabel("Language").selectOption("ru");
    await expect
      .poll(() => board.locator("#participation-title").textContent(), { timeout: LIVE_MS })
      .toBe("Участие и концентрация");
    expect(await board.locator("section:has(#participation-title) select option:checked").textContent()).toBe(
      calendarMonth(api.month, "ru-RU"),
    );
    await board.getByLabel("Язык").selectOption("kk");
    await expect
      .poll(() => board.locator("#participation-title").textContent(), { timeout: LIVE_MS })
      .toBe("Қатысу және шоғырлану");
    expect(suite.pageErrors).toEqual([]);
  });

  it("marks an index revised when a trade is voided after its session closed, and shows the revised figure", async () => {
    const tradeId = await tradeThroughApi(suite.server, { price: 13_450_000, quantity: 2000 }, "r");
    const closed = await suite.server.exchange.submit({ type: "phase.set", instrument: INSTRUMENT, phase: "closed" });
    expect(closed.events.some((e) => e.type === "rejected")).toBe(false);
    const before = (await suite.server.call(null, "GET", "/api/indices")).body.indices as {
      scope: string;
      priceTiynPerTonne: number;
      revisedMs?: number;
    }[];
    const basis = (rows: typeof before) => rows.find((r) => r.scope === "basis");
    expect(basis(before)?.revisedMs).toBeUndefined();

    const operator = await suite.server.login("operator");
    const voided = await suite.server.call(operator, "POST", `/api/admin/trades/${tradeId}/void`, {
      reason: "entry rules broken",
      rule: "Rulebook 4.2",
    });
    expect(voided.status).toBe(200);
    const after = (await suite.server.call(null, "GET", "/api/indices")).body.indices as typeof before;
    // The session's trades that stand: the 10 t at 134,000 (the 3 t at 135,000 and the 2 t at 134,500 were voided).
    expect(basis(after)).toMatchObject({ priceTiynPerTonne: 13_400_000, revisedMs: suite.server.nowMs });

    const board = await suite.open("/");
    const row = board.getByTestId("indices").locator("tbody tr").first();
    await expect.poll(() => row.getByTestId("revised").count(), { timeout: LIVE_MS }).toBe(1);
    expect(await board.getByTestId("indices").getByTestId("revised").first().textContent()).toBe("revised");
    expect(await row.locator("td.strong").textContent()).toContain("134,000");
    await board.getByLabel("Language").selectOption("ru");
    await expect
      .poll(() => board.getByTestId("indices").getByTestId("revised").first().textContent(), { timeout: LIVE_MS })
      .toBe("пересмотрен");
    // Every scope the API sends is named in words: the plant-to-region index too (it showed its raw key in ru).
    const place = after.findIndex((r) => r.scope === "basis-region");
    expect(place).toBeGreaterThanOrEqual(0);
    const cells = board.getByTestId("indices").locator("tbody tr").nth(place).locator("td");
    expect(await cells.nth(1).textContent()).toBe("завод — регион");
    expect(await cells.nth(2).textContent()).toBe("KAZGPZ / Мангистауская обл.");
    // The national index's place is the nation by its name, not its code "KZ".
    const national = after.findIndex((r) => r.scope === "national");
    expect(national).toBeGreaterThanOrEqual(0);
    expect(
      await board.getByTestId("indices").locator("tbody tr").nth(national).locator("td").nth(2).textContent(),
    ).toBe("Республика Казахстан");
    // The day is written the reader's way, and a figure starts with its digits (it had a space before it when the
    // index was not revised).
    const indexDay = (await suite.server.call(null, "GET", "/api/indices")).body.day as string;
    expect(await board.locator("section:has(#indices-title) select option:checked").textContent()).toBe(
      calendarDate(indexDay, "ru-RU"),
    );
    const figures = await board.getByTestId("indices").locator("td.strong").allTextContents();
    expect(figures.filter((figure) => /^\s/u.test(figure))).toEqual([]);
    await board.getByLabel("Язык").selectOption("kk");
    await expect.poll(() => cells.nth(1).textContent(), { timeout: LIVE_MS }).toBe("зауыт — өңір");
    expect(suite.pageErrors).toEqual([]);
  });

  it("shows an instrument's delivery terms, rail tank cars of 65 t, as the API publishes them, in English, Kazakh and Russian", async () => {
    const operator = await suite.server.login("operator");
    const rail = "PB-KAZGPZ-MNG-RAIL-2026-01";
    const listed = await suite.server.call(operator, "POST", "/api/admin/instruments", {
      instrument: rail,
      mode: "continuous",
      tickSize: 100,
      lotSize: 65_000,
      clearing: TERMS,
      description: {
        product: "propane-butane",
        basis: "KAZGPZ",
        region: "MANGYSTAU",
        deliveryPeriod: "2026-01",
        transport: { mode: "rail", unitKg: 65_000 },
      },
    });
    expect(listed.status).toBe(201);
    const api = (await suite.server.call(null, "GET", `/api/instruments/${rail}`)).body.deliveryTerms;
    expect(api.transport).toEqual({ mode: "rail", unitKg: 65_000, unitsPerLot: 1 });

    const board = await suite.open("/");
    await board.locator(`[data-instrument="${rail}"]`).getByRole("button", { name: rail }).click();
    const terms = board.getByTestId("delivery-terms");
    await expect
      .poll(() => terms.textContent(), { timeout: LIVE_MS })
      .toBe(
        "Delivery terms: EXW KAZGPZ plant, to Mangystau, in 01/2026; delivery within 5 d of a trade; " +
          "by rail, tank cars of 65 t, 1 a lot.",
      );
    await board.getByLabel("Language").selectOption("kk");
    await expect
      .poll(() => terms.textContent(), { timeout: LIVE_MS })
      .toBe(
        "Жеткізу шарттары: EXW KAZGPZ зауыты, Маңғыстау өңіріне, кезеңі 01.2026; мәміледен кейін 5 тәулік ішінде " +
          "жеткізу; темір жол көлігімен, 65 т теміржол цистерналары, лотта 1.",
      );
    // The delivery month as the reader writes it, as on the instrument's row (it was the API's 2026-01).
    await board.getByLabel("Тіл").selectOption("ru");
    await expect.poll(() => terms.textContent(), { timeout: LIVE_MS }).toContain(", период 01.2026;");
    expect(suite.pageErrors).toEqual([]);
  });

  it("at 1280 px writes each instrument's id from the same left edge as the line under it", async () => {
    // An id as long as the demo market's, which its column wraps at this width (the demo's were centred).
    const operator = await suite.server.login("operator");
    const long = "PB-KAZGPZ-MANGYSTAU-REGION-WHOLESALE-ROAD-TANKER-2026-01";
    const listed = await suite.server.call(operator, "POST", "/api/admin/instruments", {
      instrument: long,
      mode: "continuous",
      tickSize: 100,
      lotSize: 1_000,
      clearing: TERMS,
      description: { product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
    });
    expect(listed.status).toBe(201);
    const laptop = await suite.open("/", LAPTOP);
    await laptop.locator(`[data-instrument="${long}"]`).waitFor({ timeout: LIVE_MS });
    // The left edges, in CSS pixels, of the id's text and of the product-and-month line's text under it, per row: the
    // text itself (a range over it), not only the boxes, so an id centred inside a wider button is caught too.
    const edges = await laptop.locator("[data-testid=quotes] tbody th[scope=row]").evaluateAll((cells) =>
      cells.map((cell) => {
        // Runs in the page; the test's TypeScript has no DOM library.
        const doc = (globalThis as unknown as { document: { createRange(): DomRange } }).document;
        type Box = { left: number; width: number };
        type DomRange = { selectNodeContents(node: unknown): void; getBoundingClientRect(): Box };
        const textLeft = (node: unknown) => {
          const range = doc.createRange();
          range.selectNodeContents(node);
          return range.getBoundingClientRect().left;
        };
        const id = (cell as unknown as { querySelector(s: string): { getBoundingClientRect(): Box } }).querySelector(
          "button",
        );
        const line = (cell as unknown as { querySelector(s: string): { getBoundingClientRect(): Box } }).querySelector(
          ":scope > div.muted",
        );
        return {
          id: Math.round(textLeft(id)),
          idBox: Math.round(id.getBoundingClientRect().left),
          line: Math.round(textLeft(line)),
          lineBox: Math.round(line.getBoundingClientRect().left),
        };
      }),
    );
    expect(edges.length).toBeGreaterThan(1);
    for (const edge of edges)
      expect(edge).toEqual({ id: edge.line, idBox: edge.lineBox, line: edge.line, lineBox: edge.lineBox });
    expect(suite.pageErrors).toEqual([]);
  });
});
