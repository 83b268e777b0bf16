/**
 * Accreditation in a real browser (Debian's Chromium through playwright-core): two companies apply through the public
 * API; the operator sees them on the console with their documents, approves one (member id, trading account, the fee's
 * and the deposit's bank references, a reason) and refuses the other with the reason; the API then shows the new
 * member with its account and the fee and deposit booked, and the refused applicant reads the reason by its id; the
 * operator then excludes the member from the console and the API shows it suspended with its BIN barred two years.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ACCREDITATION_TERMS } from "../../src/engine/accreditation.ts";
import type { Json } from "../support/server.ts";
import { browserAvailable, browserSuite, screenshot } from "./support/browser.ts";
import { LIVE_MS, submitConfirmed } from "./support/forms.ts";

const run = browserAvailable("accreditation end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };

const APPLICATION = {
  company: "Shymkent autogas LLP",
  bin: "150640012345",
  kind: "buyer",
  buyerCategory: "filling-station-network",
  documents: {
    registration: "REG-2015-0640",
    vat: { certificate: "VAT-60003-2016", years: 9 },
    stations: [{ name: "Shymkent station 2", region: "TURKISTAN", document: "Lease 3/2025" }],
  },
};

describe.skipIf(!run)("the operator decides accreditation applications in a real browser", () => {
  const suite = browserSuite(LAPTOP);
  const { pageErrors, signIn } = suite;
  let page: Page;
  const ids: string[] = [];

  async function apply(bin: string): Promise<string> {
    const response = await fetch(`${suite.server.url}/api/applications`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...APPLICATION, bin }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as Json).application.application;
  }

  async function decide(formId: string, values: Record<string, string>, reason: string) {
    await submitConfirmed(page.getByTestId(formId), values, reason);
  }

  it("shows the pending applications with their documents", async () => {
    ids.push(await apply("150640012345"), await apply("150640012346"));
    page = await signIn("operator", "/operator");
    const row = page.locator(`tr[data-application="${ids[0]}"]`);
    await row.waitFor({ timeout: LIVE_MS });
    const text = await row.textContent();
    expect(text).toContain("Shymkent autogas LLP");
    expect(text).toContain("VAT registration № VAT-60003-2016; full years as a VAT payer: 9");
    expect(text).toContain("Station Shymkent station 2 (Turkistan), document Lease 3/2025");
  });

  it("approves one: the API shows the member, its account, and the fee and deposit booked", async () => {
    await decide(
      "approve-form",
      {
        application: ids[0]!,
        member: "SHYMKENT-GAS",
        account: "SHYMKENT-GAS-1",
        feeReference: "KZ-2026-0201",
        depositReference: "KZ-2026-0202",
      },
      "documents checked against the registry",
    );
    const operator = await suite.server.login("operator");
    const members = await suite.server.call(operator, "GET", "/api/admin/members");
    expect(members.body.members.find((m: { member: string }) => m.member === "SHYMKENT-GAS")).toMatchObject({
      name: "Shymkent autogas LLP",
      roles: ["buyer"],
      buyerCategory: "filling-station-network",
      accounts: ["SHYMKENT-GAS-1"],
      suspended: false,
    });
    const listed = await suite.server.call(operator, "GET", "/api/admin/applications?status=approved");
    expect(listed.body.applications).toHaveLength(1);
    expect(listed.body.applications[0]).toMatchObject({
      application: ids[0],
      member: "SHYMKENT-GAS",
      feeTiyn: ACCREDITATION_TERMS.buyer.feeTiyn,
      depositTiyn: ACCREDITATION_TERMS.buyer.depositTiyn,
      decided: { reason: "documents checked against the registry" },
    });
    await expect
      .poll(() => page.getByTestId("decided-applications").textContent(), { timeout: LIVE_MS })
      .toContain("approved as member SHYMKENT-GAS");
  });

  it("refuses the other with the reason the applicant reads by its id", async () => {
    await decide("refuse-form", { application: ids[1]! }, "the same owner applied twice");
    const read = await fetch(`${suite.server.url}/api/applications/${ids[1]}`);
    const body = (await read.json()) as Json;
    expect(body.application.status).toBe("refused");
    expect(body.application.decided.reason).toBe("the same owner applied twice");
    await expect
      .poll(() => page.getByTestId("applications").textContent(), { timeout: LIVE_MS })
      .toContain("No application is waiting for review.");
    await screenshot(page, "accreditation");
  });

  it("excludes the new member: suspended, and its BIN barred for two years", async () => {
    await decide("exclude-form", { member: "SHYMKENT-GAS" }, "resold its allocation outside the region");
    const operator = await suite.server.login("operator");
    const listed = await suite.server.call(operator, "GET", "/api/admin/applications");
    expect(listed.body.exclusions).toEqual([
      expect.objectContaining({
        member: "SHYMKENT-GAS",
        bin: "150640012345",
        barredUntil: "2028-01-05",
        reason: "resold its allocation outside the region",
      }),
    ]);
    const members = await suite.server.call(operator, "GET", "/api/admin/members");
    expect(members.body.members.find((m: { member: string }) => m.member === "SHYMKENT-GAS")?.suspended).toBe(true);
    await expect
      .poll(() => page.getByTestId("exclusions").textContent(), { timeout: LIVE_MS })
      .toContain("SHYMKENT-GAS, barred until 01/05/2028");
    expect(pageErrors).toEqual([]);
  });
});
