/**
 * Accreditation (accreditation.ts): an application with its documents, the operator's refusal or approval (the fee and
 * the insurance deposit booked on the ledger, the member and its account created), a broker's client registered
 * under the broker, and exclusion with the two-year bar on readmission, tested at its limit: the day before the bar
 * ends an application from the BIN is refused with APPLICANT_EXCLUDED, on the day it ends it is accepted. Every
 * refusal changes nothing (the state hash equals a twin's that saw only a tick). A property test runs random
 * submissions, approvals, refusals, exclusions and the passing of days: money sums to zero over the ledger after every
 * command, every refusal changes nothing, and a snapshot restores the same state.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../domain/errors.ts";
import {
  ACCREDITATION_FEES,
  ACCREDITATION_TERMS,
  barEnd,
  INSURANCE_DEPOSITS,
  TARIFF_AMOUNT_MAX_TIYN,
} from "./accreditation.ts";
import type { Command } from "./commands.ts";
import { Engine } from "./engine.ts";
import type { EngineEvent } from "./events.ts";
import { EXTERNAL_BANK, MONEY } from "./ledger.ts";

/** The sum of money over every ledger account: zero after every command (double entry). */
function moneySum(engine: Engine): bigint {
  let sum = 0n;
  for (const [, asset, balance] of engine.clearingHouse.ledger.snapshot().balances)
    if (asset === MONEY) sum += BigInt(balance);
  return sum;
}

/** 10:00 exchange time (UTC+5) on 5 January 2026. */
const T0 = Date.UTC(2026, 0, 5, 5, 0, 0);
const DAY_MS = 86_400_000;
const BIN = "080540012345";

const DOCUMENTS = {
  registration: "REG-2008-0412",
  vat: { certificate: "VAT-60001-2009", years: 16 },
  stations: [{ name: "Aktau station 1", region: "MANGYSTAU", document: "Lease 14/2024" }],
};

function application(id: string, extra: Record<string, unknown> = {}) {
  return {
    type: "application.submit",
    application: id,
    company: "Aktau filling stations LLP",
    bin: BIN,
    kind: "buyer",
    buyerCategory: "filling-station-network",
    documents: DOCUMENTS,
    ...extra,
  };
}

class Exchange {
  readonly engine = new Engine();
  timeMs = T0;

  run(command: Record<string, unknown>): EngineEvent[] {
    const events = this.engine.apply({
      seq: this.engine.lastSeq + 1,
      timeMs: this.timeMs,
      command: command as unknown as Command,
    });
    this.engine.checkInvariants();
    return events;
  }

  ok(command: Record<string, unknown>): string[] {
    const events = this.run(command);
    expect(events.filter((e) => e.type === "rejected")).toEqual([]);
    return events.map((e) => e.type);
  }

  refuse(command: Record<string, unknown>, code: ErrorCode): EngineEvent {
    const twin = Engine.restore(JSON.parse(JSON.stringify(this.engine.snapshot())));
    const events = this.run(command);
    twin.apply({ seq: this.engine.lastSeq, timeMs: this.timeMs, command: { type: "time.tick" } });
    expect(events.map((e) => (e.type === "rejected" ? e.code : e.type))).toEqual([code]);
    expect(this.engine.stateHash()).toBe(twin.stateHash());
    return events[0]!;
  }

  money(ledgerAccount: string): bigint {
    return this.engine.clearingHouse.ledger.balance(ledgerAccount, MONEY);
  }

  approve(id: string, member: string, account: string | null, n: number) {
    return this.ok({
      type: "application.approve",
      application: id,
      member,
      account,
      feeReference: `FEE-${n}`,
      depositReference: `DEP-${n}`,
      reason: "documents checked",
    });
  }
}

describe("an application", () => {
  it("approved: the fee and the deposit are booked, the member and its account exist", () => {
    const x = new Exchange();
    expect(x.ok(application("A-1"))).toEqual(["application.submitted"]);
    const events = x.approve("A-1", "AKTAU-GAS", "AKTAU-GAS-1", 1);
    expect(events).toEqual(["application.approved", "member.added", "account.opened", "ledger.posted"]);
    const terms = ACCREDITATION_TERMS.buyer;
    expect(x.money(ACCREDITATION_FEES)).toBe(BigInt(terms.feeTiyn));
    expect(x.money(INSURANCE_DEPOSITS)).toBe(BigInt(terms.depositTiyn));
    expect(x.money(EXTERNAL_BANK)).toBe(-BigInt(terms.feeTiyn + terms.depositTiyn));
    expect(x.engine.clearingHouse.members.member("AKTAU-GAS")).toMatchObject({
      name: "Aktau filling stations LLP",
      roles: ["buyer"],
      buyerCategory: "filling-station-network",
      bin: BIN,
      suspended: false,
    });
    expect(x.engine.clearingHouse.members.account("AKTAU-GAS-1")?.canBuy).toBe(true);
    // Decided once.
    x.refuse({ type: "application.refuse", application: "A-1", reason: "late doubt" }, "APPLICATION_DECIDED");
  });

  it("refused with the reason: no member, and the BIN may apply again", () => {
    const x = new Exchange();
    x.ok(application("A-1"));
    x.refuse(application("A-2"), "APPLICATION_PENDING");
    expect(x.ok({ type: "application.refuse", application: "A-1", reason: "VAT certificate expired" })).toEqual([
      "application.refused",
    ]);
    expect(x.engine.clearingHouse.members.allMembers()).toEqual([]);
    x.ok(application("A-2"));
  });

  it("refuses incomplete documents with APPLICATION_INVALID and a stable field name", () => {
    const x = new Exchange();
    const noStations = x.refuse(
      application("A-1", { documents: { ...DOCUMENTS, stations: [] } }),
      "APPLICATION_INVALID",
    );
    expect((noStations as unknown as { details: { field: string } }).details.field).toBe("documents.stations");
    x.refuse(application("A-1", { documents: { ...DOCUMENTS, vat: null } }), "APPLICATION_INVALID");
    x.refuse(
      application("A-1", { documents: { ...DOCUMENTS, vat: { certificate: "V", years: -1 } } }),
      "APPLICATION_INVALID",
    );
    x.refuse(application("A-1", { bin: "12345" }), "APPLICATION_INVALID");
    x.refuse(application("A-1", { kind: "client" }), "APPLICATION_INVALID");
    // A wholesaler is not asked for stations.
    x.ok(application("A-1", { buyerCategory: "wholesaler", documents: { ...DOCUMENTS, stations: [] } }));
  });

  it("approval refuses a used bank reference and an existing member id, changing nothing", () => {
    const x = new Exchange();
    x.ok(application("A-1"));
    x.approve("A-1", "AKTAU-GAS", "AKTAU-GAS-1", 1);
    x.ok(
      application("B-1", {
        bin: "990140001234",
        kind: "producer",
        buyerCategory: null,
        documents: { ...DOCUMENTS, stations: [] },
      }),
    );
    const approve = { type: "application.approve", application: "B-1", account: "B-1", reason: "ok" };
    x.refuse({ ...approve, member: "AKTAU-GAS", feeReference: "FEE-9", depositReference: "DEP-9" }, "MEMBER_EXISTS");
    x.refuse({ ...approve, member: "B", feeReference: "FEE-1", depositReference: "DEP-9" }, "REFERENCE_DUPLICATE");
    x.refuse({ ...approve, member: "B", feeReference: "FEE-9", depositReference: "FEE-9" }, "REFERENCE_DUPLICATE");
    x.ok({ ...approve, member: "B", feeReference: "FEE-9", depositReference: "DEP-9" });
    expect(x.money(INSURANCE_DEPOSITS)).toBe(
      BigInt(ACCREDITATION_TERMS.buyer.depositTiyn + ACCREDITATION_TERMS.producer.depositTiyn),
    );
  });
});

describe("the accreditation tariff (tariff.set)", () => {
  const TARIFF = {
    type: "tariff.set",
    kind: "buyer",
    feeTiyn: 35_000_000,
    depositTiyn: 150_000_000,
    from: "2026-01-07",
    reason: "Exchange council decision 3/2026",
  };

  it("an approval on the day before the date of effect books the old tariff, on the day itself the new one", () => {
    const x = new Exchange();
    expect(x.ok(TARIFF)).toEqual(["tariff.set"]);
    x.ok(application("A-1"));
    x.ok(application("A-2", { bin: "080540099999" }));
    // 23:59:59.999 on the 6th, exchange time: the day before.
    x.timeMs = Date.UTC(2026, 0, 6, 18, 59, 59, 999);
    x.approve("A-1", "M-1", "M-1-1", 1);
    expect(x.money(ACCREDITATION_FEES)).toBe(BigInt(ACCREDITATION_TERMS.buyer.feeTiyn));
    expect(x.money(INSURANCE_DEPOSITS)).toBe(BigInt(ACCREDITATION_TERMS.buyer.depositTiyn));
    // 00:00 on the 7th: the new tariff.
    x.timeMs = Date.UTC(2026, 0, 6, 19, 0, 0);
    const events = x.run({
      type: "application.approve",
      application: "A-2",
      member: "M-2",
      account: "M-2-1",
      feeReference: "FEE-2",
      depositReference: "DEP-2",
      reason: "documents checked",
    });
    expect(events[0]).toMatchObject({ type: "application.approved", feeTiyn: 35_000_000, depositTiyn: 150_000_000 });
    expect(x.money(ACCREDITATION_FEES)).toBe(BigInt(ACCREDITATION_TERMS.buyer.feeTiyn + 35_000_000));
    expect(x.money(INSURANCE_DEPOSITS)).toBe(BigInt(ACCREDITATION_TERMS.buyer.depositTiyn + 150_000_000));
    expect(moneySum(x.engine)).toBe(0n);
    // Another kind keeps the rulebook's tariff; a snapshot restores the schedule.
    const twin = Engine.restore(JSON.parse(JSON.stringify(x.engine.snapshot())));
    expect(twin.stateHash()).toBe(x.engine.stateHash());
  });

  it("a later entry for the same kind and date replaces the earlier", () => {
    const x = new Exchange();
    x.ok(TARIFF);
    x.ok({ ...TARIFF, feeTiyn: 40_000_000, reason: "corrected" });
    x.ok(application("A-1"));
    x.timeMs = Date.UTC(2026, 0, 6, 19, 0, 0);
    x.approve("A-1", "M-1", "M-1-1", 1);
    expect(x.money(ACCREDITATION_FEES)).toBe(40_000_000n);
  });

  it("refuses a date of effect today or earlier, a wrong kind or amount, a client's deposit: nothing changes", () => {
    const x = new Exchange();
    const today = x.refuse({ ...TARIFF, from: "2026-01-05" }, "TARIFF_INVALID");
    expect(today).toMatchObject({ details: { field: "from", value: '"2026-01-05"' } });
    x.refuse({ ...TARIFF, from: "2026-02-30" }, "TARIFF_INVALID");
    x.refuse({ ...TARIFF, kind: "regulator" }, "TARIFF_INVALID");
    x.refuse({ ...TARIFF, feeTiyn: -1 }, "TARIFF_INVALID");
    x.refuse({ ...TARIFF, depositTiyn: TARIFF_AMOUNT_MAX_TIYN + 1 }, "TARIFF_INVALID");
    x.refuse({ ...TARIFF, feeTiyn: 1.5 }, "TARIFF_INVALID");
    x.refuse({ ...TARIFF, kind: "client", depositTiyn: 1 }, "TARIFF_INVALID");
    x.refuse({ ...TARIFF, reason: "" }, "APPLICATION_INVALID");
    // At the limits: tomorrow, and the largest amount.
    x.ok({ ...TARIFF, from: "2026-01-06", feeTiyn: TARIFF_AMOUNT_MAX_TIYN, depositTiyn: 0 });
    x.ok({ ...TARIFF, kind: "client", depositTiyn: 0 });
  });
});

describe("a broker's client", () => {
  it("is registered under its accredited broker: a client account of the broker, the fee and no deposit", () => {
    const x = new Exchange();
    x.ok(
      application("BR", {
        bin: "770340005555",
        kind: "broker",
        buyerCategory: null,
        documents: { ...DOCUMENTS, stations: [] },
      }),
    );
    expect(x.approve("BR", "CASPIAN", null, 1)).toEqual(["application.approved", "member.added", "ledger.posted"]);
    const client = { kind: "client", broker: "CASPIAN", documents: { registration: "REG-1", vat: null, stations: [] } };
    x.refuse(application("C-1", { ...client, broker: "NOBODY", buyerCategory: "wholesaler" }), "APPLICATION_INVALID");
    x.ok(application("C-1", { ...client, buyerCategory: "wholesaler" }));
    const events = x.ok({
      type: "application.approve",
      application: "C-1",
      member: "CASPIAN",
      account: "CASPIAN-C1",
      feeReference: "FEE-C1",
      depositReference: null,
      reason: "documents checked",
    });
    expect(events).toEqual(["application.approved", "account.opened", "ledger.posted"]);
    expect(x.engine.clearingHouse.members.account("CASPIAN-C1")).toMatchObject({
      member: "CASPIAN",
      client: "Aktau filling stations LLP",
      canBuy: true,
      canSell: false,
    });
    expect(x.money(ACCREDITATION_FEES)).toBe(
      BigInt(ACCREDITATION_TERMS.broker.feeTiyn + ACCREDITATION_TERMS.client.feeTiyn),
    );
  });
});

describe("exclusion", () => {
  it("suspends the member, keeps it out, and bars its BIN for two years to the day", () => {
    const x = new Exchange();
    x.ok(application("A-1"));
    x.approve("A-1", "AKTAU-GAS", "AKTAU-GAS-1", 1);
    const excluded = x.run({ type: "member.exclude", member: "AKTAU-GAS", reason: "wash trades, case 12" });
    expect(excluded.map((e) => e.type)).toEqual(["member.suspended", "member.excluded"]);
    expect(excluded[1]).toMatchObject({ bin: BIN, barredUntil: "2028-01-05" });
    expect(x.engine.clearingHouse.members.member("AKTAU-GAS")?.suspended).toBe(true);
    x.refuse({ type: "member.reinstate", member: "AKTAU-GAS", reason: "appeal" }, "MEMBER_EXCLUDED");
    x.refuse({ type: "member.exclude", member: "AKTAU-GAS", reason: "again" }, "MEMBER_EXCLUDED");

    // 4 January 2028, 23:59 exchange time: the last minute of the bar.
    x.timeMs = Date.UTC(2028, 0, 4, 18, 59, 0);
    const barred = x.refuse(application("A-2"), "APPLICANT_EXCLUDED");
    expect((barred as unknown as { details: unknown }).details).toEqual({
      bin: BIN,
      member: "AKTAU-GAS",
      until: "2028-01-05",
    });
    // 5 January 2028, 00:00 exchange time: the bar has ended.
    x.timeMs = Date.UTC(2028, 0, 4, 19, 0, 0);
    x.ok(application("A-2"));
    x.approve("A-2", "AKTAU-GAS-2", "AKTAU-GAS-2-1", 2);
    expect(x.engine.clearingHouse.members.member("AKTAU-GAS-2")?.suspended).toBe(false);
  });

  it("bars from 29 February to 1 March two years on", () => {
    expect(barEnd("2028-02-29", 2)).toBe("2030-03-01");
    expect(barEnd("2026-01-05", 2)).toBe("2028-01-05");
    expect(barEnd("2030-02-28", 2)).toBe("2032-02-28");
  });

  it("a snapshot restores the bar: the same state hash and the same refusal", () => {
    const x = new Exchange();
    x.ok(application("A-1"));
    x.approve("A-1", "AKTAU-GAS", "AKTAU-GAS-1", 1);
    x.ok({ type: "member.exclude", member: "AKTAU-GAS", reason: "breach" });
    const restored = Engine.restore(JSON.parse(JSON.stringify(x.engine.snapshot())));
    expect(restored.stateHash()).toBe(x.engine.stateHash());
    x.timeMs += 365 * DAY_MS;
    const events = restored.apply({
      seq: x.engine.lastSeq + 1,
      timeMs: x.timeMs,
      command: application("A-2") as Command,
    });
    expect(events.map((e) => (e.type === "rejected" ? e.code : e.type))).toEqual(["APPLICANT_EXCLUDED"]);
  });
});

describe("the ledger and refusals under random accreditation traffic", () => {
  it("money sums to zero after every command; a refused command changes nothing; a snapshot restores the same state", () => {
    const bins = ["100000000001", "100000000002", "100000000003"];
    const step = fc.oneof(
      fc.record({
        op: fc.constant("submit" as const),
        bin: fc.constantFrom(...bins),
        kind: fc.constantFrom("producer", "buyer", "broker"),
      }),
      fc.record({ op: fc.constant("approve" as const), n: fc.nat(20), reference: fc.nat(5) }),
      fc.record({ op: fc.constant("refuse" as const), n: fc.nat(20) }),
      fc.record({ op: fc.constant("exclude" as const), n: fc.nat(20) }),
      fc.record({ op: fc.constant("days" as const), days: fc.integer({ min: 1, max: 400 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const x = new Exchange();
        let submitted = 0;
        for (const s of steps) {
          let command: Record<string, unknown> | null = null;
          if (s.op === "submit") {
            submitted++;
            command = application(`A-${submitted}`, {
              bin: s.bin,
              kind: s.kind,
              buyerCategory: s.kind === "buyer" ? "wholesaler" : null,
            });
          } else if (s.op === "approve") {
            command = {
              type: "application.approve",
              application: `A-${s.n}`,
              member: `M-${s.n}`,
              account: s.n % 3 === 0 ? null : `M-${s.n}-1`,
              feeReference: `F-${s.reference}`,
              depositReference: `D-${s.n}`,
              reason: "checked",
            };
          } else if (s.op === "refuse") {
            command = { type: "application.refuse", application: `A-${s.n}`, reason: "no" };
          } else if (s.op === "exclude") {
            command = { type: "member.exclude", member: `M-${s.n}`, reason: "breach" };
          } else {
            x.timeMs += s.days * DAY_MS;
          }
          if (command === null) continue;
          const twin = Engine.restore(JSON.parse(JSON.stringify(x.engine.snapshot())));
          const events = x.run(command);
          if (events.some((e) => e.type === "rejected")) {
            expect(events).toHaveLength(1);
            // A refusal changes nothing: the state equals a twin's that only saw the time pass.
            twin.apply({ seq: x.engine.lastSeq, timeMs: x.timeMs, command: { type: "time.tick" } });
            expect(x.engine.stateHash()).toBe(twin.stateHash());
          }
          expect(moneySum(x.engine)).toBe(0n);
        }
        const restored = Engine.restore(JSON.parse(JSON.stringify(x.engine.snapshot())));
        expect(restored.stateHash()).toBe(x.engine.stateHash());
      }),
      { seed: 20261204, numRuns: 200 },
    );
  });
});
