/**
 * The Policy lab page in a real browser (Debian's Chromium through playwright-core) against a real exchange server: a
 * visitor sees the scenarios and is asked to sign in to run them; the regulator signs in on the page, sets up two
 * runs (liberalisation against the safeguarded reform with a 5% band), starts them from the keyboard, watches them
 * finish, and reads the charts and the summary table, whose figures are the server's; at tablet width in Russian the
 * same simulation comes back at once (same settings, same run) and the page fits the screen; a scenario with
 * observations (january-2022-actual) has them drawn on the price charts and on each region's small chart; a run with
 * three uncertainty runs draws each focus region's fan charts (P10–P90 band, P50 line) with the server's figures.
 * Screenshot: lab.png.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type Json, PASSWORD } from "../support/server.ts";
import { browserAvailable, browserSuite, screenshot } from "./support/browser.ts";

const run = browserAvailable("policy lab end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };
const TABLET = { width: 820, height: 1180 };
/** Two ten-day runs, one after the other on one worker, each about a second. */
const RUN_MS = 30_000;
const UI_MS = 10_000;
const DAYS = "10";
/** january-2022-actual starts on 20 December 2021: 20 days reach 8 January, past the observed dates of 1-5 January. */
const DAYS_OBSERVED = "20";

describe.skipIf(!run)("policy lab page in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { open, pageErrors } = suite;

  async function signInHere(page: Page, user: string): Promise<void> {
    await page.locator("form input[name=user]").fill(user);
    await page.locator("form input[name=password]").fill(PASSWORD);
    await page.locator("form input[name=password]").press("Enter");
    await expect.poll(() => page.getByTestId("who").textContent(), { timeout: UI_MS }).toContain(user);
  }

  /** The run as the server has it. */
  async function serverRun(page: Page, label: "A" | "B"): Promise<Json> {
    const id = await page.locator(`[data-run="${label}"]`).getAttribute("data-run-id");
    const regulator = await suite.server.login("regulator");
    const reply = await suite.server.call(regulator, "GET", `/api/lab/runs/${id}`);
    expect(reply.status).toBe(200);
    return reply.body;
  }

  const en = (value: number, digits = 0) =>
    new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  const cells = (page: Page, row: string) =>
    page.getByTestId("lab-summary").locator(`tr[data-row="${row}"] td`).allTextContents();

  it("shows the scenarios to a visitor and asks to sign in before running", async () => {
    const page = await open("/");
    await page.getByRole("navigation").getByRole("link", { name: "Policy lab" }).click();
    await expect.poll(() => page.locator("h1").first().textContent(), { timeout: UI_MS }).toBe("Policy lab");
    expect(await page.locator("a[aria-current=page]").textContent()).toBe("Policy lab");
    const scenarios = page.locator("select[name=scenario-A] option");
    // baseline-2021, january-2022-actual, liberalisation-2022, manipulation-2021, retail-freeze-50, safeguarded-2022.
    await expect.poll(() => scenarios.count(), { timeout: UI_MS }).toBe(6);
    await expect
      .poll(() => page.locator("select[name=scenario-A]").inputValue(), { timeout: UI_MS })
      .toBe("liberalisation-2022");
    expect(await page.getByRole("button", { name: "Run", exact: true }).count()).toBe(0);
    expect(await page.locator(".signin").textContent()).toContain("sign in to run them");
    const { limits } = (await suite.server.call(null, "GET", "/api/lab/scenarios")).body as {
      limits: { daysMax: number; runsAtOnce: number; runsPerCallerMax: number; runTimeoutMs: number };
    };
    expect(await page.getByTestId("lab-limits").textContent()).toBe(
      `Limits: days a run, at most: ${en(limits.daysMax)}; runs at once on the server: ${en(limits.runsAtOnce)}; runs waiting or running per user: ${en(limits.runsPerCallerMax)}; time a run, at most: ${en(Math.round(limits.runTimeoutMs / 1000))} s.`,
    );
  });

  it("runs two scenarios from the keyboard and shows their charts and summary on the same axes", async () => {
    const page = await open("/lab");
    await signInHere(page, "regulator");
    await page.getByLabel("Compare with a second run").check();
    const b = page.getByTestId("lab-run-B");
    await expect
      .poll(() => b.locator("select[name=scenario-B]").inputValue(), { timeout: UI_MS })
      .toBe("safeguarded-2022");
    // The safeguarded scenario's own values fill the fields: a 10% band, a 100,000 ₸/t ceiling, a 30% buyer limit.
    await expect.poll(() => b.locator("input[name=bandBps]").inputValue(), { timeout: UI_MS }).toBe("10");
    await expect
      .poll(() => b.locator("input[name=ceilingTengePerTonne]").inputValue(), { timeout: UI_MS })
      .toBe("100000");
    await expect.poll(() => b.locator("input[name=maxShareBps]").inputValue(), { timeout: UI_MS }).toBe("30");
    await b.locator("input[name=bandBps]").fill("5");
    // A value out of range is refused beside its field, before anything is sent.
    await b.locator("input[name=maxShareBps]").fill("101");
    await page.locator("input[name=days]").fill(DAYS);
    await page.locator("input[name=days]").press("Enter");
    await expect
      .poll(() => b.locator(".field-error:not([hidden])").textContent(), { timeout: UI_MS })
      .toBe("Must be from 0.01 to 100.");
    expect(await page.getByTestId("lab-progress").count()).toBe(0);
    await b.locator("input[name=maxShareBps]").fill("30");
    await page.locator("input[name=days]").press("Enter");

    await expect.poll(() => page.getByTestId("lab-progress").count(), { timeout: UI_MS }).toBe(1);
    await page.getByTestId("lab-results").waitFor({ timeout: RUN_MS });
    for (const label of ["A", "B"]) {
      expect(await page.locator(`[data-run="${label}"]`).getAttribute("data-status")).toBe("done");
    }
    expect(await page.locator('[data-run="A"]').textContent()).toContain("done: 10 days");

    // Four charts drawn on canvases, each with a legend of the four focus regions (or the three volumes).
    for (const chart of ["wholesale", "retail", "volumes", "shortages"]) {
      const figure = page.getByTestId(`lab-chart-${chart}`);
      expect(await figure.locator("canvas").count(), chart).toBeGreaterThan(0);
      expect(await figure.locator(".legend li").count(), chart).toBe(chart === "volumes" ? 3 : 4);
    }
    expect(await page.getByTestId("lab-chart-wholesale").locator(".legend").textContent()).toBe(
      "MangystauWest KazakhstanAlmaty cityAstana",
    );

    // One small chart per region shown, its legend naming the two runs (A solid, B dashed).
    expect(await page.getByTestId("lab-small-charts").locator("figure").count()).toBe(4);
    expect(await page.getByTestId("lab-chart-retail-MANGYSTAU").locator(".legend li").allTextContents()).toEqual([
      "Run A: Liberalisation 2022",
      "Run B: Safeguarded 2022",
    ]);
    expect(await page.getByTestId("lab-chart-retail-MANGYSTAU").locator("canvas").count()).toBeGreaterThan(0);

    // The summary shows the server's figures for both runs, and B − A.
    const a = (await serverRun(page, "A")).result;
    const bRun = await serverRun(page, "B");
    expect(bRun.parameters).toMatchObject({ bandBps: 500, maxShareBps: 3000 });
    expect(await cells(page, "days")).toEqual(["10", "10", "0"]);
    expect(await cells(page, "averageRetail")).toEqual([
      en(a.totals.averageRetailTengePerLitre, 2),
      en(bRun.result.totals.averageRetailTengePerLitre, 2),
      expect.stringMatching(/^[+−]?\d/),
    ]);
    expect((await cells(page, "shortage")).slice(0, 2)).toEqual([
      en(a.totals.shortageTonnes),
      en(bRun.result.totals.shortageTonnes),
    ]);
    expect((await cells(page, "MANGYSTAU-retail")).slice(0, 2)).toEqual([
      en(a.summary.regions[0].firstMonthRetailTengePerLitre, 2),
      en(bRun.result.summary.regions[0].firstMonthRetailTengePerLitre, 2),
    ]);
    expect(await cells(page, "rule-bandBps")).toEqual(["off", "5%", "changed"]);
    expect(await cells(page, "rule-exportOpen")).toEqual(["yes", "yes", ""]);

    // The monthly table says which constraint binds, as the server's result does: in B, the safeguarded run, the
    // first row (January, Mangystau) is the server's.
    await page.getByTestId("lab-results").locator("summary").click();
    const firstB = bRun.result.monthly.find((m: Json) => bRun.result.scenario.focusRegions.includes(m.region));
    const binds = bRun.result.constraints.find((c: Json) => c.month === firstB.month && c.region === firstB.region);
    const words: Record<string, string> = {
      netback: "netback",
      ceiling: "ceiling",
      band: "band",
      buyerLimit: "buyer limit",
      exportCapacity: "export capacity",
    };
    const rowB = page.getByTestId("lab-monthly").locator("tbody tr").filter({ hasText: /^B/ }).first();
    expect(await rowB.locator("td").last().textContent()).toBe(binds.binding === null ? "none" : words[binds.binding]);
    // The month as the reader writes one (en-US: "01/2022"), not the API's "2022-01".
    const [year, month] = firstB.month.split("-");
    expect(await rowB.locator("td").nth(1).textContent()).toBe(`${month}/${year}`);

    // Regions are chosen with checkboxes: adding the nation adds its line to the price charts.
    await page.getByTestId("lab-results").getByRole("checkbox", { name: "Kazakhstan (national)" }).check();
    await expect
      .poll(() => page.getByTestId("lab-chart-retail").locator(".legend li").count(), { timeout: UI_MS })
      .toBe(5);
    await page.getByTestId("lab-results").getByRole("checkbox", { name: "Kazakhstan (national)" }).uncheck();
    await screenshot(page, "lab");
  });

  it("draws what was observed on the price charts, from the server's validation rows", async () => {
    const page = await open("/lab");
    await signInHere(page, "regulator");
    await page.locator("select[name=scenario-A]").selectOption("january-2022-actual");
    await page.locator("input[name=days]").fill(DAYS_OBSERVED);
    await page.locator("input[name=days]").press("Enter");
    await page.getByTestId("lab-results").waitFor({ timeout: RUN_MS });
    const result = (await serverRun(page, "A")).result;
    const focus = ["MANGYSTAU", "WKO", "ALMATY_CITY", "ASTANA"];
    const listed = (measure: string) =>
      result.validation.filter((v: Json) => v.measure === measure && focus.includes(v.region)).length;
    // Mangystau's January deliveries (133,126 ₸/t) on the exchange price; four retail observations in the focus
    // regions (Atyrau's is not shown): each a legend entry beside the four regions' lines.
    expect(listed("wholesale")).toBe(1);
    expect(listed("retailPeak")).toBe(4);
    const legend = (chart: string) => page.getByTestId(`lab-chart-${chart}`).locator(".legend li").allTextContents();
    await expect
      .poll(() => legend("wholesale"), { timeout: UI_MS })
      .toEqual(["Mangystau", "West Kazakhstan", "Almaty city", "Astana", "Observed: Mangystau 133,126"]);
    expect(await legend("retail")).toEqual([
      "Mangystau",
      "West Kazakhstan",
      "Almaty city",
      "Astana",
      "Observed: Mangystau 100–120",
      "Observed: West Kazakhstan 120",
      "Observed: Astana 90–100",
      "Observed: Mangystau 50",
    ]);
    // Mangystau's own chart: the run and what was observed there.
    expect(await page.getByTestId("lab-chart-retail-MANGYSTAU").locator(".legend li").allTextContents()).toEqual([
      "Run A: January 2022 as it happened",
      "Observed: Mangystau 100–120",
      "Observed: Mangystau 50",
    ]);
    // Ticking Atyrau adds its observation with its line.
    await page.getByTestId("lab-results").getByRole("checkbox", { name: "Atyrau" }).check();
    await expect.poll(() => legend("retail"), { timeout: UI_MS }).toContain("Observed: Atyrau 115");
  });

  it("gives the same run back at once at tablet width in Russian, and fits the screen", async () => {
    const page = await open("/lab", TABLET);
    await page.getByLabel("Language").selectOption("ru");
    await expect
      .poll(() => page.locator("h1").first().textContent(), { timeout: UI_MS })
      .toBe("Лаборатория регулирования");
    await signInHere(page, "regulator");
    await page.locator("input[name=days]").fill(DAYS);
    await page.getByRole("button", { name: "Запустить", exact: true }).click();
    await page.getByTestId("lab-results").waitFor({ timeout: UI_MS });
    expect(await page.locator('[data-run="A"]').textContent()).toContain("готово: 10 дн.");
    // The limits line counts runs without "прогон(а)": each count after its noun, the server's figures.
    const { limits } = (await suite.server.call(null, "GET", "/api/lab/scenarios")).body as {
      limits: { daysMax: number; runsAtOnce: number; runsPerCallerMax: number; runTimeoutMs: number };
    };
    const ru = (value: number) => new Intl.NumberFormat("ru-RU").format(value);
    expect(await page.getByTestId("lab-limits").textContent()).toBe(
      `Ограничения: дней на прогон — не более ${ru(limits.daysMax)}; прогонов одновременно на сервере — ${ru(limits.runsAtOnce)}; прогонов в очереди или в работе на пользователя — ${ru(limits.runsPerCallerMax)}; время прогона — не более ${ru(Math.round(limits.runTimeoutMs / 1000))} с.`,
    );
    expect(await page.getByTestId("lab-chart-retail").locator("h3").textContent()).toContain("Розничная цена на АГЗС");
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it("in Kazakh, names the seed in Kazakh and refuses one out of range with the bound grouped the Kazakh way", async () => {
    const page = await open("/lab");
    await page.getByLabel("Language").selectOption("kk");
    await signInHere(page, "regulator");
    const seed = page.locator("input[name=seed]");
    expect(await page.locator("label", { has: seed }).evaluate((label) => label.firstChild?.textContent)).toBe(
      "Бастапқы сан",
    );
    await seed.fill("-1");
    await page.getByRole("button", { name: "Іске қосу", exact: true }).click();
    await expect
      .poll(() => page.locator("#lab-seed-error").textContent(), { timeout: UI_MS })
      .toBe("0-ден 4\u00a0294\u00a0967\u00a0295-ға дейінгі бүтін санды енгізіңіз немесе бос қалдырыңыз.");
    expect(await page.locator("#lab-seed-help").textContent()).not.toMatch(/seed/i);
    // A parameter's range is grouped the Kazakh way too (was "10000000").
    const ceiling = page.locator("input[name=ceilingTengePerTonne]").first();
    await ceiling.fill("abc");
    await page.getByRole("button", { name: "Іске қосу", exact: true }).click();
    const ceilingError = page.locator("[id$='ceilingTengePerTonne-error']").first();
    await expect
      .poll(() => ceilingError.textContent(), { timeout: UI_MS })
      .toBe("1-ден 10\u00a0000\u00a0000-ға дейінгі санды енгізіңіз.");
    // A fraction of a tenge inside the range is told for what it is: the ceiling is in whole tenge.
    await ceiling.fill("100000,5");
    await page.getByRole("button", { name: "Іске қосу", exact: true }).click();
    await expect
      .poll(() => ceilingError.textContent(), { timeout: UI_MS })
      .toBe("1-ден 10\u00a0000\u00a0000-ға дейінгі бүтін санды енгізіңіз: бұл мәнде бөлшек бөлік болмайды.");
  });

  it("runs uncertainty runs and draws each region's P10–P90 band and P50 line, the server's figures", async () => {
    const page = await open("/lab");
    await signInHere(page, "regulator");
    // Out of bounds, refused beside the fields before anything is sent: 21 runs, then a year with 20 runs.
    await page.locator("input[name=runs]").fill("21");
    await page.locator("input[name=days]").fill(DAYS);
    await page.locator("input[name=days]").press("Enter");
    await expect
      .poll(() => page.locator("#lab-runs-error").textContent(), { timeout: UI_MS })
      .toBe("Enter a whole number from 2 to 20, or leave empty.");
    await page.locator("input[name=runs]").fill("20");
    await page.locator("input[name=days]").fill("365");
    await page.locator("input[name=days]").press("Enter");
    await expect
      .poll(() => page.locator("#lab-days-error").textContent(), { timeout: UI_MS })
      .toBe("With 20 uncertainty runs, at most 73 days.");
    expect(await page.getByTestId("lab-progress").count()).toBe(0);

    await page.locator("input[name=runs]").fill("3");
    await page.locator("input[name=days]").fill(DAYS);
    await page.locator("input[name=days]").press("Enter");
    await page.getByTestId("lab-fans-A").waitFor({ timeout: RUN_MS });
    const server = await serverRun(page, "A");
    expect([server.runs, server.days, server.result.uncertainty.runs]).toEqual([3, 10, 3]);
    // The run is 10 days long; its progress counted the 40 days of the run and its three draws.
    expect(server.progress).toEqual({ doneDays: 40, days: 40 });
    expect(await page.locator('[data-run="A"]').textContent()).toContain("done: 10 days");
    expect(await page.getByTestId("lab-fans-A").locator("h3").first().textContent()).toBe(
      "Uncertainty of run A: P10–P90 of 3 runs",
    );
    // Two fan charts (retail and exchange price) for each of the four focus regions.
    expect(await page.getByTestId("lab-fans-A").locator("figure").count()).toBe(8);
    const fan = page.getByTestId("lab-fan-A-retail-MANGYSTAU");
    expect(await fan.locator(".legend li").allTextContents()).toEqual(["P10–P90 of 3 runs", "P50, the median"]);
    const band = fan.locator("polygon.fan-band");
    expect(await band.count()).toBe(1);
    expect(await fan.locator("polyline.fan-median").count()).toBe(1);
    // The band's figures are the server's: January 2022 in Mangystau, P10 ≤ P50 ≤ P90.
    const mangystau = server.result.uncertainty.monthly.find((m: Json) => m.region === "MANGYSTAU");
    const { p10, p50, p90 } = mangystau.retailTengePerLitre;
    expect(await band.getAttribute("data-months")).toBe("2022-01");
    expect(await band.getAttribute("data-p10")).toBe(String(p10));
    expect(await band.getAttribute("data-p50")).toBe(String(p50));
    expect(await band.getAttribute("data-p90")).toBe(String(p90));
    expect(p10).toBeLessThanOrEqual(p50);
    expect(p50).toBeLessThanOrEqual(p90);
    // One month is drawn across the width: the band is a rectangle of four corners.
    expect((await band.getAttribute("points"))!.split(" ")).toHaveLength(4);
    const wholesale = page.getByTestId("lab-fan-A-wholesale-MANGYSTAU").locator("polygon.fan-band");
    expect(await wholesale.getAttribute("data-p50")).toBe(String(mangystau.wholesaleTengePerTonne.p50));
    // The month under the chart is written the reader's way, in English and in Kazakh.
    const monthLabel = fan.locator("svg > text").last();
    expect(await monthLabel.textContent()).toBe("01/2022");
    await page.getByLabel("Language").selectOption("kk");
    await expect.poll(() => monthLabel.textContent(), { timeout: UI_MS }).toBe("01.2022");
  });

  it("no page had a script error", () => {
    expect(pageErrors).toEqual([]);
  });
});
