/**
 * Every page for every role in Kazakh and in Russian, in a real browser against a market with a trade, a resting
 * order, a producer's outage notice, a halt, and a wash-trade alert with a case opened on it (the case page too): what the page shows (its text, and the titles, labels, placeholders and alternative texts people
 * read or hear) holds no raw i18n key, no word of the English catalogue, and no number, date or unit written the
 * English way ("133,000", "2026-01-06", "₸/t"). Words both catalogues share (a product
 * name, a code, a unit the translation keeps) are allowed by construction; so are the few in WHITELIST below.
 *
 * With SAUDA_SCREENSHOTS=docs it also refreshes docs/screenshots/<page>-kk.png, every page in Kazakh.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { COMMAND_TYPES } from "../../src/engine/commands.ts";
import { INSTRUMENT, PASSWORD, SETUP, USERS } from "../support/server.ts";
import { browserAvailable, browserSuite, ROOT, screenshot } from "./support/browser.ts";
import { catalogue } from "./support/catalogue.ts";

const run = browserAvailable("every page in Kazakh and Russian");
const LAPTOP = { width: 1280, height: 900 };
const LIVE_MS = 15_000;
/** Reads of a page's text this far apart must agree before it is checked (the live data has arrived). */
const SETTLE_MS = 400;
/** Marks where a page's placeholders begin in what `shown` reads. */
const PLACEHOLDERS = "@@placeholders@@";

const catalogueOf = (language: string) => catalogue(`${language}.json`);

const words = (text: string) => (text.match(/[A-Za-z][A-Za-z'’]+/g) ?? []).map((w) => w.toLowerCase());
/**
 * Latin words allowed on a Kazakh or Russian page although the English catalogue uses them: the product's name, the
 * wire's codes and names shown as such (a phase or side code in a CSV column, a file format), and the member and
 * instrument codes of the test market.
 */
const WHITELIST = new Set(["sauda", "csv", "xlsx", "pdf", "json", "api", "fix", "totp", "qr", "lpg", "id", "ok"]);

/** Reasons this test types, data on the pages. */
const OUTAGE_REASON = "sweep: repair of the fractionation unit";
const HALT_REASON = "sweep: cooling-off halt";
/** The related-party group the sweep records (its two members then trade with each other: a wash-trade alert). */
const GROUP = { group: "CASPIAN", evidence: "ORDER-2026-17", reason: "sweep: one owner" };
const CASE_REASON = "sweep: one owner on both sides";
/** The case the regulator opens on that alert: the first. */
const CASE_ID = "CASE-1";

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/**
 * Data, not the interface: what the test market was set up with (member and station names, reasons the test typed,
 * user names), the policy lab's scenario notes (research documents in English, scenarios/*.json), and the command
 * types the audit trail shows as codes. Cut from the page's text before it is checked.
 */
const DATA = [
  ...strings(SETUP),
  ...USERS.map((user) => user.id),
  "test user",
  "test setup",
  OUTAGE_REASON,
  HALT_REASON,
  ...Object.values(GROUP),
  CASE_REASON,
  CASE_ID,
  ...readdirSync(join(ROOT, "scenarios"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".json"))
    .flatMap((file) => strings(JSON.parse(readFileSync(join(ROOT, "scenarios", file), "utf8")))),
  ...COMMAND_TYPES,
]
  // Words only: a bare date or number of the setup ("2026-01") must not cut a date the page writes.
  .filter((text) => text.length >= 3 && /[A-Za-z]{2}/.test(text))
  .sort((a, b) => b.length - a.length);

function withoutData(text: string): string {
  let rest = text;
  for (const data of DATA) if (rest.includes(data)) rest = rest.split(data).join(" ");
  return rest;
}

interface Role {
  readonly name: string;
  readonly user: string | null;
  readonly pages: readonly string[];
}
const ROLES: readonly Role[] = [
  { name: "public", user: null, pages: ["/", "/lab", "/login"] },
  { name: "trader", user: "aktau-trader", pages: ["/", "/terminal", "/account", "/lab"] },
  { name: "viewer", user: "aktau-viewer", pages: ["/terminal", "/account"] },
  { name: "operator", user: "operator", pages: ["/operator", "/operator/users", "/operator/fees", "/account"] },
  { name: "administrator", user: "aktau-admin", pages: ["/users", "/account"] },
  {
    name: "regulator",
    user: "regulator",
    pages: ["/regulator", "/surveillance", `/surveillance/case?id=${CASE_ID}`, "/account"],
  },
];

describe.skipIf(!run)("every page and role in Kazakh and Russian", () => {
  const suite = browserSuite(LAPTOP);
  const { open, pageErrors } = suite;
  const english = catalogueOf("en");
  const keys = new Set(english.keys());
  let ready = false;
  const pictured = new Set<string>();

  async function market() {
    if (ready) return;
    ready = true;
    const server = suite.server;
    await server.addUser("aktau-admin", "administrator", "AKTAU");
    // The two trading members as one group: their trade below raises a wash-trade alert, and a case is opened on it.
    for (const member of ["KAZGPZ", "AKTAU"]) {
      const grouped = await server.exchange.submit(
        { type: "member.group", member, ...GROUP },
        { actor: "operator", role: "operator" },
      );
      expect(grouped.events.map((e) => e.type)).toEqual(["member.grouped"]);
    }
    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("aktau-trader");
    const order = { instrument: INSTRUMENT, quantity: 2_000 };
    await server.call(seller, "POST", "/api/orders", {
      ...order,
      account: "KAZGPZ-1",
      clientOrderId: "sweep-s",
      side: "sell",
      price: 13_300_000,
    });
    await server.call(buyer, "POST", "/api/orders", {
      ...order,
      account: "AKTAU-1",
      clientOrderId: "sweep-b",
      side: "buy",
      price: 13_300_000,
    });
    await server.call(buyer, "POST", "/api/orders", {
      ...order,
      account: "AKTAU-1",
      clientOrderId: "sweep-r",
      side: "buy",
      price: 13_200_000,
    });
    const regulator = await server.login("regulator");
    let alerts: { id: string; rule: string }[] = [];
    await expect
      .poll(
        async () => {
          alerts = (await server.call(regulator, "GET", "/api/regulator/surveillance/alerts")).body.alerts;
          return alerts.map((alert) => alert.rule);
        },
        { timeout: LIVE_MS },
      )
      .toContain("wash-trade");
    const wash = alerts.find((alert) => alert.rule === "wash-trade");
    const opened = await server.call(regulator, "POST", "/api/regulator/surveillance/cases", {
      alert: wash?.id,
      reason: CASE_REASON,
    });
    expect([opened.status, opened.body.case.id]).toEqual([201, CASE_ID]);
    // A producer's outage notice on the board, and a halt: their banners and rows in each language too.
    const hourMs = 3_600_000;
    const outage = await server.call(seller, "POST", "/api/outages", {
      basis: "KAZGPZ",
      kind: "planned",
      fromMs: server.nowMs + 7 * 24 * hourMs,
      toMs: server.nowMs + 21 * 24 * hourMs,
      volumeKg: 3_600_000,
      reason: OUTAGE_REASON,
    });
    expect(outage.status).toBe(201);
    const halt = await server.call(regulator, "POST", "/api/regulator/halt", {
      scope: "instrument",
      instrument: INSTRUMENT,
      reason: HALT_REASON,
    });
    expect(halt.status).toBe(200);
  }

  /** What a person reads on the page: its text and the attributes read aloud or shown on hover. */
  async function shown(page: Page): Promise<string> {
    return page.evaluate<string>(`(() => {
      const parts = [document.body.innerText];
      for (const element of document.querySelectorAll("[title],[aria-label],[placeholder],img[alt]")) {
        for (const name of ["title", "aria-label", "alt"]) {
          const value = element.getAttribute(name);
          if (value) parts.push(value);
        }
      }
      // Placeholders last, after a mark: they show the machine format a field takes (2026-03-21), checked for words only.
      parts.push("${PLACEHOLDERS}");
      for (const element of document.querySelectorAll("[placeholder]")) parts.push(element.getAttribute("placeholder"));
      return parts.join("\\n");
    })()`);
  }

  async function settled(page: Page): Promise<string> {
    let previous = "";
    const deadline = Date.now() + LIVE_MS;
    for (;;) {
      const text = await shown(page);
      if (text === previous && text.length > 0) return text;
      if (Date.now() > deadline) return text;
      previous = text;
      await page.waitForTimeout(SETTLE_MS);
    }
  }

  for (const language of ["kk", "ru"] as const) {
    const translated = catalogueOf(language);
    // Words the translation keeps (codes, units, names) are not English taken over.
    const kept = new Set([...translated.values()].flatMap(words));
    const englishWords = new Set(
      [...english.values()].flatMap(words).filter((w) => w.length >= 3 && !kept.has(w) && !WHITELIST.has(w)),
    );

    for (const role of ROLES) {
      it(`${language}: ${role.name} sees no raw key and no English word on ${role.pages.join(", ")}`, async () => {
        await market();
        const page = await open("/login");
        await page.evaluate(`localStorage.setItem("sauda.language", "${language}")`);
        if (role.user !== null) {
          await page.reload();
          await page.locator("input[name=user], input#user, input[autocomplete=username]").first().fill(role.user);
          await page.locator("input[type=password]").first().fill(PASSWORD);
          await page.locator("form button[type=submit]").last().click();
          await expect.poll(() => page.getByTestId("who").textContent(), { timeout: LIVE_MS }).toContain(role.user);
        }
        const problems: string[] = [];
        for (const path of role.pages) {
          await page.goto(`${suite.server.url}${path}`);
          await page.locator("main").waitFor({ timeout: LIVE_MS });
          // The case page is checked with the case drawn: its status, the steps and the evidence.
          if (path.startsWith("/surveillance/case")) {
            for (const id of ["case-status", "case-steps", "evidence-chart"]) {
              await page.getByTestId(id).waitFor({ timeout: LIVE_MS });
            }
          }
          const text = withoutData(await settled(page));
          expect(await page.evaluate<string>("document.documentElement.lang")).toBe(language);
          const rawKeys = [...new Set(text.match(/\b[a-z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9_-]+)+\b/g) ?? [])].filter((k) =>
            keys.has(k),
          );
          const taken = [...new Set(words(text).filter((w) => englishWords.has(w)))];
          if (rawKeys.length > 0) problems.push(`${path}: raw keys ${rawKeys.join(", ")}`);
          if (taken.length > 0) problems.push(`${path}: English ${taken.join(", ")}`);
          // Numbers, dates and units in the language's conventions: no "133,000", no "2026-01-06", no "₸/t".
          const shownText = text.split(PLACEHOLDERS)[0] ?? text;
          const conventions = [
            /(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?![\d,])/g,
            /(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])/g,
            /₸\/[tl]\b/g,
            // Units as Latin abbreviations after a number: "1 t", "5m", "1h".
            /(?<![\w.,])\d+(?:[.,]\d+)?[\s\u00a0]?(?:t|m|h|d)(?![\w/])/g,
          ].flatMap((pattern) =>
            [...shownText.matchAll(pattern)].map((m) =>
              shownText.slice(Math.max(0, m.index - 30), m.index + m[0].length + 10),
            ),
          );
          if (conventions.length > 0) {
            problems.push(`${path}: written the English way: ${[...new Set(conventions)].join(" | ")}`);
          }
          // One picture of each page in Kazakh, as the first role that opens it sees it.
          const pathname = path.split("?")[0] ?? path;
          const name = `${pathname === "/" ? "board" : pathname.slice(1).replace(/\//g, "-")}-kk`;
          if (language === "kk" && !pictured.has(name)) {
            pictured.add(name);
            await screenshot(page, name);
          }
        }
        expect(problems).toEqual([]);
      });
    }
  }

  it("finds the English catalogue's words on a page in English (the check can fail)", async () => {
    const page = await open("/");
    await page.locator("main").waitFor({ timeout: LIVE_MS });
    const kept = new Set([...catalogueOf("kk").values()].flatMap(words));
    const englishWords = new Set([...english.values()].flatMap(words).filter((w) => w.length >= 3 && !kept.has(w)));
    const taken = new Set(words(withoutData(await settled(page))).filter((w) => englishWords.has(w)));
    expect(taken.size).toBeGreaterThan(10);
  });

  it("had no script errors", () => {
    expect(pageErrors).toEqual([]);
  });
});
