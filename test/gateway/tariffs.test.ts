/**
 * The accreditation tariff over real HTTP (engine/accreditation.ts `tariff.set`, routes/operator/tariffs.ts): the
 * operator sets a buyer's fee and deposit from a later date with a reason (audited; the regulator may read, not set;
 * a date of effect today is refused with TARIFF_INVALID); an application approved on the day
 * before the date books the rulebook's amounts, one approved on the day itself the new ones.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCREDITATION_FEES, ACCREDITATION_TERMS, INSURANCE_DEPOSITS } from "../../src/engine/accreditation.ts";
import { MONEY } from "../../src/engine/ledger.ts";
import { type Session, T0, TestServer } from "../support/server.ts";

let server: TestServer;
let operator: Session;
let regulator: Session;
beforeAll(async () => {
  server = await TestServer.start();
  operator = await server.login("operator");
  regulator = await server.login("regulator");
});
afterAll(async () => {
  await server.close();
});

const TARIFF = {
  kind: "buyer",
  feeTiyn: 35_000_000,
  depositTiyn: 150_000_000,
  from: "2026-01-07",
  reason: "Exchange council decision 3/2026",
};

async function applyFor(bin: string): Promise<string> {
  const response = await fetch(`${server.url}/api/applications`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      company: `Buyer ${bin}`,
      bin,
      kind: "buyer",
      buyerCategory: "wholesaler",
      documents: { registration: `REG-${bin}`, vat: { certificate: `VAT-${bin}`, years: 3 }, stations: [] },
    }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { application: { application: string } }).application.application;
}

const approve = (id: string, n: number) =>
  server.call(operator, "POST", `/api/admin/applications/${id}/approve`, {
    member: `TARIFF-M${n}`,
    account: `TARIFF-M${n}-1`,
    feeReference: `TARIFF-FEE-${n}`,
    depositReference: `TARIFF-DEP-${n}`,
    reason: "documents checked",
  });

const ledger = (account: string) => server.exchange.engine.clearingHouse.ledger.balance(account, MONEY);

describe("the accreditation tariff", () => {
  it("is set from a later date, audited, and read by the operator and the regulator", async () => {
    expect(server.nowMs).toBe(T0); // 11:00 on 5 January 2026, exchange time
    const tooEarly = await server.call(operator, "POST", "/api/admin/tariffs", { ...TARIFF, from: "2026-01-05" });
    expect([tooEarly.status, tooEarly.body.error.code, tooEarly.body.error.details.field]).toEqual([
      400,
      "TARIFF_INVALID",
      "from",
    ]);
    expect(tooEarly.body.error.details.rule).toBe(
      "a real date (YYYY-MM-DD) after today, 2026-01-05: an approval already made never changes",
    );
    const byRegulator = await server.call(regulator, "POST", "/api/admin/tariffs", TARIFF);
    expect(byRegulator.status).toBe(403);
    const set = await server.call(operator, "POST", "/api/admin/tariffs", TARIFF);
    expect(set.status).toBe(200);
    expect(set.body.tariff).toMatchObject({
      today: "2026-01-05",
      schedule: [TARIFF],
    });
    expect(set.body.tariff.inForce).toContainEqual({ kind: "buyer", ...ACCREDITATION_TERMS.buyer });
    const read = await server.call(regulator, "GET", "/api/admin/tariffs");
    expect(read.body.schedule).toEqual([TARIFF]);
    expect(read.body.defaults).toContainEqual({ kind: "producer", ...ACCREDITATION_TERMS.producer });
    const audit = await server.call(regulator, "GET", "/api/regulator/audit?commandType=tariff.set");
    expect(audit.body.entries.map((e: { summary: string; code: string | null }) => [e.summary, e.code])).toEqual([
      [
        "set the accreditation tariff of buyer from 2026-01-07: fee 35000000 tiyn, deposit 150000000 tiyn; reason: Exchange council decision 3/2026",
        null,
      ],
      [
        "set the accreditation tariff of buyer from 2026-01-05: fee 35000000 tiyn, deposit 150000000 tiyn; reason: Exchange council decision 3/2026",
        "TARIFF_INVALID",
      ],
    ]);
  });

  it("an approval on the day before the date books the old amounts, on the day of effect the new ones", async () => {
    const first = await applyFor("200140000001");
    const second = await applyFor("200140000002");
    server.nowMs = Date.UTC(2026, 0, 6, 18, 59, 59); // 23:59:59 on the 6th, exchange time
    operator = await server.login("operator");
    const before = await approve(first, 1);
    expect(before.body.application).toMatchObject({
      feeTiyn: ACCREDITATION_TERMS.buyer.feeTiyn,
      depositTiyn: ACCREDITATION_TERMS.buyer.depositTiyn,
    });
    server.nowMs = Date.UTC(2026, 0, 6, 19, 0, 0); // 00:00 on the 7th
    operator = await server.login("operator");
    const after = await approve(second, 2);
    expect(after.body.application).toMatchObject({ feeTiyn: 35_000_000, depositTiyn: 150_000_000 });
    expect(ledger(ACCREDITATION_FEES)).toBe(BigInt(ACCREDITATION_TERMS.buyer.feeTiyn + 35_000_000));
    expect(ledger(INSURANCE_DEPOSITS)).toBe(BigInt(ACCREDITATION_TERMS.buyer.depositTiyn + 150_000_000));
    const now = await server.call(operator, "GET", "/api/admin/tariffs");
    expect(now.body.inForce).toContainEqual({ kind: "buyer", feeTiyn: 35_000_000, depositTiyn: 150_000_000 });
  });
});
