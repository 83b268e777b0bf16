/**
 * Accreditation over real HTTP: a company applies without an account, the operator sees the application, approves it
 * (the member, its account, the fee and the deposit on the ledger) or refuses another with the reason the applicant
 * then reads; the operator excludes the member, and an application from its BIN is refused with APPLICANT_EXCLUDED
 * (in Russian for a Russian reader, with the date the bar ends) until the bar ends two years later.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCREDITATION_TERMS, INSURANCE_DEPOSITS } from "../../src/engine/accreditation.ts";
import { MONEY } from "../../src/engine/ledger.ts";
import { type Json, type Session, TestServer } from "../support/server.ts";

let server: TestServer;
let operator: Session;
beforeAll(async () => {
  server = await TestServer.start();
  operator = await server.login("operator");
});
afterAll(async () => {
  await server.close();
});

const APPLICATION = {
  company: "Atyrau autogas LLP",
  bin: "120340056789",
  kind: "buyer",
  buyerCategory: "filling-station-network",
  documents: {
    registration: "REG-2012-0340",
    vat: { certificate: "VAT-60002-2013", years: 12 },
    stations: [{ name: "Atyrau station 4", region: "ATYRAU", document: "Title deed 7781" }],
  },
};

async function apply(body: unknown, language?: string) {
  const response = await fetch(`${server.url}/api/applications`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(language ? { "accept-language": language } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

describe("accreditation", () => {
  let id = "";

  it("takes an application without an account and shows it to the operator as pending", async () => {
    const submitted = await apply(APPLICATION);
    expect(submitted.status).toBe(201);
    id = submitted.body.application.application;
    expect(id).toMatch(/^APP-[0-9A-F]{16}$/);
    expect(submitted.body.application).toMatchObject({ status: "pending", bin: APPLICATION.bin, decided: null });
    const listed = await server.call(operator, "GET", "/api/admin/applications?status=pending");
    expect(listed.body.applications.map((a: { application: string }) => a.application)).toEqual([id]);
    expect(listed.body.applications[0].documents).toEqual(APPLICATION.documents);
  });

  it("refuses a buyer network's application without stations: APPLICATION_INVALID, nothing journaled", async () => {
    const before = server.exchange.projections.lastSeq;
    const refused = await apply({
      ...APPLICATION,
      bin: "120340056780",
      documents: { ...APPLICATION.documents, stations: [] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("APPLICATION_INVALID");
    expect(refused.body.error.details.field).toBe("documents.stations");
    expect(server.exchange.projections.lastSeq).toBe(before + 1); // the rejected command is journaled, nothing else
    expect(server.exchange.projections.applications.list()).toHaveLength(1);
  });

  it("approves it: the member and its account exist, the fee and the deposit are on the ledger", async () => {
    const approved = await server.call(operator, "POST", `/api/admin/applications/${id}/approve`, {
      member: "ATYRAU-GAS",
      account: "ATYRAU-GAS-1",
      feeReference: "KZ-2026-0101",
      depositReference: "KZ-2026-0102",
      reason: "documents checked",
    });
    expect(approved.status).toBe(200);
    expect(approved.body.application).toMatchObject({
      status: "approved",
      member: "ATYRAU-GAS",
      account: "ATYRAU-GAS-1",
      feeTiyn: ACCREDITATION_TERMS.buyer.feeTiyn,
      depositTiyn: ACCREDITATION_TERMS.buyer.depositTiyn,
    });
    const members = await server.call(operator, "GET", "/api/admin/members");
    expect(members.body.members.find((m: { member: string }) => m.member === "ATYRAU-GAS")).toMatchObject({
      name: "Atyrau autogas LLP",
      roles: ["buyer"],
      accounts: ["ATYRAU-GAS-1"],
      suspended: false,
    });
    expect(server.exchange.engine.clearingHouse.ledger.balance(INSURANCE_DEPOSITS, MONEY)).toBe(
      BigInt(ACCREDITATION_TERMS.buyer.depositTiyn),
    );
    const again = await server.call(operator, "POST", `/api/admin/applications/${id}/refuse`, { reason: "x" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("APPLICATION_DECIDED");
  });

  it("refuses another with the reason, which the applicant reads by the id", async () => {
    const other = await apply({ ...APPLICATION, bin: "120340056781" });
    const otherId = other.body.application.application;
    const refused = await server.call(operator, "POST", `/api/admin/applications/${otherId}/refuse`, {
      reason: "the VAT certificate has expired",
    });
    expect(refused.status).toBe(200);
    const read = await fetch(`${server.url}/api/applications/${otherId}`);
    const body = (await read.json()) as { application: { status: string; decided: { reason: string } } };
    expect(body.application.status).toBe("refused");
    expect(body.application.decided.reason).toBe("the VAT certificate has expired");
  });

  it("excludes the member and bars its BIN until the same day two years on", async () => {
    const excluded = await server.call(operator, "POST", "/api/admin/members/ATYRAU-GAS/exclude", {
      reason: "resold the allocation outside the region",
    });
    expect(excluded.status).toBe(200);
    expect(excluded.body.exclusion).toMatchObject({
      member: "ATYRAU-GAS",
      bin: APPLICATION.bin,
      barredUntil: "2028-01-05",
    });
    const reinstate = await server.call(operator, "POST", "/api/admin/members/ATYRAU-GAS/reinstate", { reason: "x" });
    expect(reinstate.body.error.code).toBe("MEMBER_EXCLUDED");

    server.nowMs = Date.UTC(2028, 0, 4, 18, 59, 59); // 23:59:59 on 4 January 2028, exchange time
    const barred = await apply(APPLICATION, "ru");
    expect(barred.status).toBe(403);
    expect(barred.body.error.code).toBe("APPLICANT_EXCLUDED");
    expect(barred.body.error.message).toBe(
      "БИН 120340056789 принадлежит участнику 'ATYRAU-GAS', исключённому с биржи; заявление принимается с 05.01.2028.",
    );
    server.nowMs = Date.UTC(2028, 0, 4, 19, 0, 0); // 00:00 on 5 January 2028
    const readmitted = await apply(APPLICATION);
    expect(readmitted.status).toBe(201);
  });
});
