/**
 * The operator's console over real HTTP: instruments, calendars, members and the kill switch, accounts, money and gas,
 * settlement, users and API keys. Each change goes through the journal and shows up in the views and the audit trail.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRADE_ID_LENGTH_MAX } from "../../src/domain/ids.ts";
import { INSTRUMENT_ID_LENGTH_MAX } from "../../src/domain/instrument.ts";
import { sign } from "../../src/gateway/signing.ts";
import { INSTRUMENT, type Session, T0, TERMS, TestServer } from "../support/server.ts";

let server: TestServer;
let operator: Session;
beforeAll(async () => {
  server = await TestServer.start();
  operator = await server.login("operator");
});
afterAll(async () => {
  await server.close();
});

const ATYRAU_INSTRUMENT = "PB-ATYRAU-ATR-2026-01";
const NEW_INSTRUMENT = {
  instrument: ATYRAU_INSTRUMENT,
  mode: "call",
  tickSize: 100,
  lotSize: 1000,
  referencePrice: 12_000_000,
  clearing: { ...TERMS, basis: "ATYRAU-REFINERY" },
  description: {
    product: "propane-butane",
    basis: "ATYRAU-REFINERY",
    region: "ATYRAU",
    deliveryPeriod: "2026-01",
    name: "Propane-butane, Atyrau refinery, Atyrau region, January 2026",
  },
};

function order(account: string, clientOrderId: string, side: "buy" | "sell", price: number, quantity: number) {
  return { instrument: INSTRUMENT, account, clientOrderId, side, price, quantity };
}

describe("instruments", () => {
  it("lists an instrument with its clearing terms, safeguards, limits, calendar and phase", async () => {
    const response = await server.call(operator, "GET", "/api/admin/instruments");
    expect(response.status).toBe(200);
    expect(response.body.instruments).toHaveLength(1);
    expect(response.body.instruments[0].listed).toEqual({ seq: 1, timeMs: T0, reason: null });
    expect(response.body.instruments[0]).toMatchObject({
      instrument: INSTRUMENT,
      mode: "continuous",
      tickSizeTiynPerTonne: 100,
      lotSizeKg: 1000,
      clearing: TERMS,
      clearingChanged: null,
      phase: "continuous",
      phaseChanged: { seq: 2, timeMs: T0, reason: null },
      safeguards: {
        bandBps: null,
        ceilingTiynPerTonne: null,
        floorTiynPerTonne: null,
        ceilingPath: [],
        eligibleCategories: null,
      },
      limits: {
        bandReferenceTiynPerTonne: 13_300_000,
        band: null,
        ceilingTiynPerTonne: null,
        floorTiynPerTonne: null,
        ceilingStepsToCome: [],
      },
      calendar: null,
      description: { product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
    });
  });

  it("lists a new instrument, changes its clearing terms with a reason, moves its phase by hand", async () => {
    const created = await server.call(operator, "POST", "/api/admin/instruments", NEW_INSTRUMENT);
    expect(created.status).toBe(201);
    expect(created.body.instrument).toMatchObject({
      instrument: ATYRAU_INSTRUMENT,
      mode: "call",
      phase: "closed",
      clearing: NEW_INSTRUMENT.clearing,
      description: NEW_INSTRUMENT.description,
    });
    const again = await server.call(operator, "POST", "/api/admin/instruments", NEW_INSTRUMENT);
    expect([again.status, again.body.error.code]).toEqual([409, "INSTRUMENT_EXISTS"]);

    const updated = await server.call(operator, "PATCH", `/api/admin/instruments/${ATYRAU_INSTRUMENT}`, {
      clearing: { collateralBps: 1000 },
      reason: "thin market: 10% guarantee deposit",
    });
    expect(updated.status).toBe(200);
    expect(updated.body.instrument.clearing).toEqual({ ...NEW_INSTRUMENT.clearing, collateralBps: 1000 });
    expect(updated.body.instrument.clearingChanged).toMatchObject({ reason: "thin market: 10% guarantee deposit" });
    const noReason = await server.call(operator, "PATCH", `/api/admin/instruments/${ATYRAU_INSTRUMENT}`, {
      clearing: { collateralBps: 900 },
    });
    expect([noReason.status, noReason.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    expect(noReason.body.error.message).toBe("The reason is missing.");

    const collect = await server.call(operator, "PUT", `/api/admin/instruments/${ATYRAU_INSTRUMENT}/phase`, {
      phase: "collection",
    });
    expect([collect.status, collect.body.instrument.phase]).toEqual([200, "collection"]);
    const wrong = await server.call(operator, "PUT", `/api/admin/instruments/${ATYRAU_INSTRUMENT}/phase`, {
      phase: "continuous",
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([409, "PHASE_TRANSITION_INVALID"]);
    const halt = await server.call(operator, "PUT", `/api/admin/instruments/${ATYRAU_INSTRUMENT}/phase`, {
      phase: "halted",
    });
    expect([halt.status, halt.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    const close = await server.call(operator, "PUT", `/api/admin/instruments/${ATYRAU_INSTRUMENT}/phase`, {
      phase: "closed",
    });
    expect(close.body.instrument.phase).toBe("closed");
  });

  it("suspends an instrument with a reason; only the regulator's resume ends the halt", async () => {
    const suspended = await server.call(operator, "POST", `/api/admin/instruments/${ATYRAU_INSTRUMENT}/suspend`, {
      reason: "delivery terminal out of service",
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body.instrument).toMatchObject({
      phase: "halted",
      phaseChanged: { reason: "delivery terminal out of service" },
    });
    const byHand = await server.call(operator, "PUT", `/api/admin/instruments/${ATYRAU_INSTRUMENT}/phase`, {
      phase: "collection",
    });
    expect([byHand.status, byHand.body.error.code]).toEqual([409, "PHASE_TRANSITION_INVALID"]);
    expect(byHand.body.error.message).toBe(
      `Instrument '${ATYRAU_INSTRUMENT}' cannot go from halted to collection; allowed next phases: none by hand: a halt ends with the regulator's resume.`,
    );
    // Suspending it again says the same (it named "collection, closed", phases the operator cannot set), and
    // changes nothing: the first suspension's reason stands.
    const again = await server.call(operator, "POST", `/api/admin/instruments/${ATYRAU_INSTRUMENT}/suspend`, {
      reason: "again",
    });
    expect([again.status, again.body.error.code, again.body.error.message]).toEqual([
      409,
      "PHASE_TRANSITION_INVALID",
      `Instrument '${ATYRAU_INSTRUMENT}' cannot go from halted to halted; allowed next phases: none by hand: a halt ends with the regulator's resume.`,
    ]);
    const still = await server.call(operator, "GET", `/api/admin/instruments/${ATYRAU_INSTRUMENT}`);
    expect(still.body).toMatchObject({
      phase: "halted",
      phaseChanged: { reason: "delivery terminal out of service" },
    });
    const regulator = await server.login("regulator");
    const resumed = await server.call(regulator, "POST", "/api/regulator/resume", {
      scope: "instrument",
      instrument: ATYRAU_INSTRUMENT,
      reason: "terminal repaired",
    });
    expect(resumed.body.changed).toEqual([{ instrument: ATYRAU_INSTRUMENT, from: "halted", to: "closed" }]);
  });

  it("gives an instrument without a reference price one, but never changes an existing one", async () => {
    const { referencePrice: _, ...withoutReference } = NEW_INSTRUMENT;
    const listed = await server.call(operator, "POST", "/api/admin/instruments", {
      ...withoutReference,
      instrument: "PB-NOREF-2026-01",
    });
    expect(listed.body.instrument.limits.bandReferenceTiynPerTonne).toBeNull();
    const set = await server.call(operator, "PUT", "/api/admin/instruments/PB-NOREF-2026-01/reference-price", {
      price: 12_500_000,
    });
    expect([set.status, set.body.instrument.limits.bandReferenceTiynPerTonne]).toEqual([200, 12_500_000]);
    const change = await server.call(operator, "PUT", "/api/admin/instruments/PB-NOREF-2026-01/reference-price", {
      price: 15_000_000,
    });
    expect([change.status, change.body.error.message]).toEqual([
      403,
      "Your role (operator) may not change the reference price 125,000 ₸/t of 'PB-NOREF-2026-01' (it centres the regulator's price band).",
    ]);
  });

  it("sets and reads an instrument's session calendar; the engine refuses a bad one with its code", async () => {
    const calendar = {
      sessions: [
        { open: "11:00", close: "13:00" },
        { open: "14:00", close: "16:00" },
      ],
      preOpenMinutes: 15,
      weekends: false,
      holidays: ["2026-01-07"],
      extraSessions: [{ date: "2026-01-10", open: "11:00", close: "12:00" }],
    };
    const set = await server.call(operator, "PUT", `/api/admin/instruments/${ATYRAU_INSTRUMENT}/calendar`, {
      calendar,
      reason: "ETS session times",
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      instrument: ATYRAU_INSTRUMENT,
      calendar,
      changed: { reason: "ETS session times" },
    });
    const read = await server.call(operator, "GET", `/api/admin/instruments/${ATYRAU_INSTRUMENT}/calendar`);
    expect(read.body.calendar).toEqual(calendar);
    const overlapping = await server.call(operator, "PUT", `/api/admin/instruments/${ATYRAU_INSTRUMENT}/calendar`, {
      calendar: {
        ...calendar,
        sessions: [
          { open: "11:00", close: "13:00" },
          { open: "13:10", close: "14:00" },
        ],
      },
      reason: "typo",
    });
    expect([overlapping.status, overlapping.body.error.code]).toEqual([400, "CALENDAR_INVALID"]);
    expect(overlapping.body.error.message).toBe(
      "Trading calendar is not valid: sessions 11:00–13:00 and 13:10–14:00 overlap (with the pre-open).",
    );
    const missing = await server.call(operator, "GET", "/api/admin/instruments/NOPE/calendar");
    expect([missing.status, missing.body.error.code]).toEqual([404, "INSTRUMENT_NOT_FOUND"]);
  });
});

describe("members and the kill switch", () => {
  it("suspending a member cancels all its resting orders and refuses its next order until reinstated", async () => {
    const trader = await server.login("aktau-trader");
    for (const id of ["ks-1", "ks-2"]) {
      const placed = await server.call(trader, "POST", "/api/orders", order("AKTAU-1", id, "buy", 12_800_000, 2000));
      expect(placed.status).toBe(201);
    }
    const suspended = await server.call(operator, "POST", "/api/admin/members/AKTAU/suspend", {
      reason: "unpaid obligations",
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body.cancelledOrders).toBe(2);
    expect(suspended.body.member).toMatchObject({
      member: "AKTAU",
      suspended: true,
      statusChanged: { reason: "unpaid obligations" },
      accounts: ["AKTAU-1"],
    });
    const orders = await server.call(trader, "GET", "/api/accounts/AKTAU-1/orders?status=cancelled");
    expect(
      orders.body.orders.map((o: { orderId: string; cancelReason: string }) => [o.orderId, o.cancelReason]),
    ).toEqual([
      ["AKTAU-1~ks-2", "member-suspended"],
      ["AKTAU-1~ks-1", "member-suspended"],
    ]);
    const refused = await server.call(trader, "POST", "/api/orders", order("AKTAU-1", "ks-3", "buy", 12_800_000, 1000));
    expect([refused.status, refused.body.error.code]).toEqual([403, "MEMBER_SUSPENDED"]);
    expect(refused.body.error.message).toBe(
      "Member 'AKTAU' is suspended; it cannot enter or change orders until the operator reinstates it.",
    );
    const twice = await server.call(operator, "POST", "/api/admin/members/AKTAU/suspend", { reason: "again" });
    expect([twice.status, twice.body.error.code]).toEqual([409, "MEMBER_ALREADY_SUSPENDED"]);

    const reinstated = await server.call(operator, "POST", "/api/admin/members/AKTAU/reinstate", {
      reason: "paid in full",
    });
    expect([reinstated.status, reinstated.body.member.suspended]).toEqual([200, false]);
    const accepted = await server.call(
      trader,
      "POST",
      "/api/orders",
      order("AKTAU-1", "ks-4", "buy", 12_800_000, 1000),
    );
    expect(accepted.status).toBe(201);
    await server.call(trader, "DELETE", "/api/accounts/AKTAU-1/orders/ks-4");

    // The audit trail says who pressed the switch, when, from where and why.
    const audit = await server.call(
      operator,
      "GET",
      "/api/regulator/audit?commandType=member.suspend&outcome=accepted",
    );
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        actor: "operator",
        role: "operator",
        source: "127.0.0.1",
        time: new Date(T0).toISOString(),
        summary: "suspend member AKTAU; reason: unpaid obligations",
        outcome: "accepted",
      }),
    ]);
  });

  it("adds a member and lists members with their accounts", async () => {
    const added = await server.call(operator, "POST", "/api/admin/members", {
      member: "SHYMKENT-GAS",
      name: "Shymkent gas network",
      roles: ["buyer"],
      buyerCategory: "gas-distribution",
    });
    expect(added.status).toBe(201);
    expect(added.body.member).toMatchObject({
      member: "SHYMKENT-GAS",
      roles: ["buyer"],
      suspended: false,
      accounts: [],
    });
    const invalid = await server.call(operator, "POST", "/api/admin/members", {
      member: "NO-CATEGORY",
      name: "A buyer without a category",
      roles: ["buyer"],
    });
    expect([invalid.status, invalid.body.error.code]).toEqual([400, "MEMBER_INVALID"]);
    const list = await server.call(operator, "GET", "/api/admin/members");
    expect(list.body.members.map((m: { member: string; accounts: string[] }) => [m.member, m.accounts])).toEqual([
      ["AKTAU", ["AKTAU-1"]],
      ["ATYRAU", ["ATYRAU-1"]],
      ["BROKER", ["BROKER-C1"]],
      ["KAZGPZ", ["KAZGPZ-1"]],
      ["SHYMKENT-GAS", []],
    ]);
  });
});

describe("accounts, money and gas", () => {
  it("opens a member's account and a broker's client account; a non-broker cannot open client accounts", async () => {
    const own = await server.call(operator, "POST", "/api/admin/accounts", {
      account: "SHYM-1",
      member: "SHYMKENT-GAS",
    });
    expect(own.status).toBe(201);
    expect(own.body.account).toMatchObject({
      account: "SHYM-1",
      member: "SHYMKENT-GAS",
      client: null,
      canBuy: true,
      canSell: false,
      buyerCategory: "gas-distribution",
    });
    const client = await server.call(operator, "POST", "/api/admin/accounts", {
      account: "BROKER-C2",
      member: "BROKER",
      client: "Kyzylorda autogas",
      canBuy: true,
      canSell: false,
      buyerCategory: "filling-station-network",
    });
    expect(client.body.account).toMatchObject({ client: "Kyzylorda autogas", canBuy: true, member: "BROKER" });
    const notBroker = await server.call(operator, "POST", "/api/admin/accounts", {
      account: "AKTAU-C1",
      member: "AKTAU",
      client: "Someone",
      canBuy: true,
      buyerCategory: "other",
    });
    expect([notBroker.status, notBroker.body.error.code]).toEqual([400, "MEMBER_INVALID"]);
    const list = await server.call(operator, "GET", "/api/admin/accounts?member=BROKER");
    expect(list.body.accounts.map((a: { account: string }) => a.account)).toEqual(["BROKER-C1", "BROKER-C2"]);
  });

  it("books deposits and withdrawals by bank reference, once each, and gas declarations in whole tonnes", async () => {
    const deposit = await server.call(operator, "POST", "/api/admin/accounts/SHYM-1/deposits", {
      amount: 1_000_000_000,
      reference: "KZ-STATEMENT-2026-01-05-0001",
    });
    expect(deposit.status).toBe(200);
    expect(deposit.body.balances).toEqual([
      {
        asset: "KZT",
        unit: "tiyn",
        free: "1000000000",
        blockedForOrders: "0",
        blockedForObligations: "0",
        total: "1000000000",
      },
    ]);
    const duplicate = await server.call(operator, "POST", "/api/admin/accounts/SHYM-1/deposits", {
      amount: 5,
      reference: "KZ-STATEMENT-2026-01-05-0001",
    });
    expect([duplicate.status, duplicate.body.error.code]).toEqual([409, "REFERENCE_DUPLICATE"]);
    const tooMuch = await server.call(operator, "POST", "/api/admin/accounts/SHYM-1/withdrawals", {
      amount: 2_000_000_000,
      reference: "PAYOUT-1",
    });
    expect([tooMuch.status, tooMuch.body.error.code]).toEqual([422, "RISK_INSUFFICIENT_FUNDS"]);
    const withdrawal = await server.call(operator, "POST", "/api/admin/accounts/SHYM-1/withdrawals", {
      amount: 400_000_000,
      reference: "PAYOUT-2",
    });
    expect(withdrawal.body.balances[0]).toMatchObject({ asset: "KZT", free: "600000000" });

    const declared = await server.call(operator, "POST", "/api/admin/accounts/KAZGPZ-1/gas/declarations", {
      basis: "KAZGPZ",
      quantity: 3000,
    });
    expect(declared.body.balances).toContainEqual({
      asset: "GAS:KAZGPZ",
      unit: "kg",
      free: "5003000",
      blockedForOrders: "0",
      blockedForObligations: "0",
      total: "5003000",
    });
    const partTonne = await server.call(operator, "POST", "/api/admin/accounts/KAZGPZ-1/gas/withdrawals", {
      basis: "KAZGPZ",
      quantity: 1500,
    });
    expect([partTonne.status, partTonne.body.error.code]).toEqual([400, "GAS_QUANTITY_INVALID"]);
    const withdrawn = await server.call(operator, "POST", "/api/admin/accounts/KAZGPZ-1/gas/withdrawals", {
      basis: "KAZGPZ",
      quantity: 3000,
    });
    expect(withdrawn.body.balances).toContainEqual(expect.objectContaining({ asset: "GAS:KAZGPZ", free: "5000000" }));
    const unknown = await server.call(operator, "POST", "/api/admin/accounts/NOPE-1/deposits", {
      amount: 1,
      reference: "X-1",
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "ACCOUNT_NOT_FOUND"]);
  });
});

describe("settlement", () => {
  it("lists open obligations across accounts by deadline and confirms payment, then delivery", async () => {
    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("atyrau-trader");
    await server.call(seller, "POST", "/api/orders", order("KAZGPZ-1", "st-offer", "sell", 13_300_000, 10_000));
    const bid = await server.call(buyer, "POST", "/api/orders", order("ATYRAU-1", "st-bid", "buy", 13_300_000, 10_000));
    expect(bid.body.trades).toHaveLength(1);
    const open = await server.call(operator, "GET", "/api/admin/obligations");
    expect(open.status).toBe(200);
    expect(open.body.count).toBe(1);
    const obligation = open.body.obligations[0];
    expect(obligation).toMatchObject({
      buyer: "ATYRAU-1",
      seller: "KAZGPZ-1",
      priceTiynPerTonne: 13_300_000,
      quantityKg: 10_000,
      valueTiyn: 133_000_000,
      status: "open",
      paid: false,
      delivered: false,
      paymentDueMs: T0 + TERMS.paymentWindowMs,
      deliveryDueMs: T0 + TERMS.deliveryWindowMs,
      nextDueMs: T0 + TERMS.paymentWindowMs,
      overdue: false,
    });
    const dueSoon = await server.call(operator, "GET", `/api/admin/obligations?dueBeforeMs=${T0 + 3_600_000}`);
    expect(dueSoon.body.obligations).toEqual([]);
    const byAccount = await server.call(operator, "GET", "/api/admin/obligations?account=ATYRAU-1");
    expect(byAccount.body.count).toBe(1);

    const paid = await server.call(operator, "POST", `/api/admin/obligations/${obligation.id}/confirm-payment`);
    expect(paid.status).toBe(200);
    expect(paid.body.obligation).toMatchObject({ paid: true, delivered: false, status: "open" });
    const again = await server.call(operator, "POST", `/api/admin/obligations/${obligation.id}/confirm-payment`, {});
    expect([again.status, again.body.error.code]).toEqual([409, "OBLIGATION_ALREADY_CONFIRMED"]);
    const afterPayment = await server.call(operator, "GET", "/api/admin/obligations");
    expect(afterPayment.body.obligations[0].nextDueMs).toBe(T0 + TERMS.deliveryWindowMs);
    const delivered = await server.call(operator, "POST", `/api/admin/obligations/${obligation.id}/confirm-delivery`);
    expect(delivered.body.obligation).toMatchObject({ paid: true, delivered: true, status: "settled" });
    const none = await server.call(operator, "GET", "/api/admin/obligations");
    expect(none.body).toEqual({ count: 0, obligations: [] });
    const settled = await server.call(operator, "GET", "/api/admin/obligations?status=settled");
    expect(settled.body.obligations.map((o: { id: string; nextDueMs: null }) => [o.id, o.nextDueMs])).toEqual([
      [obligation.id, null],
    ]);
    const missing = await server.call(operator, "POST", "/api/admin/obligations/NOPE/confirm-delivery", {});
    expect([missing.status, missing.body.error.code]).toEqual([404, "OBLIGATION_NOT_FOUND"]);
  });

  it("confirms obligations of an instrument with the longest id; obligation ids in paths up to TRADE_ID_LENGTH_MAX", async () => {
    const instrument = `PB-${"L".repeat(INSTRUMENT_ID_LENGTH_MAX - 3)}`;
    for (const command of [
      { type: "instrument.list", instrument, mode: "continuous", tickSize: 100, lotSize: 1000, clearing: TERMS },
      { type: "phase.set", instrument, phase: "continuous" },
    ] as const) {
      await server.exchange.submit(command);
    }
    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("atyrau-trader");
    const at = (o: ReturnType<typeof order>) => ({ ...o, instrument });
    await server.call(seller, "POST", "/api/orders", at(order("KAZGPZ-1", "long-offer", "sell", 13_000_000, 1000)));
    const bid = await server.call(
      buyer,
      "POST",
      "/api/orders",
      at(order("ATYRAU-1", "long-bid", "buy", 13_000_000, 1000)),
    );
    expect(bid.body.trades).toHaveLength(1);
    const id = `OB-${instrument}-S1-1`;
    expect(id.length).toBeGreaterThan(64);
    const paid = await server.call(operator, "POST", `/api/admin/obligations/${id}/confirm-payment`);
    expect([paid.status, paid.body.obligation?.tradeId]).toEqual([200, `T-${instrument}-S1-1`]);

    const longest = "O".repeat(TRADE_ID_LENGTH_MAX);
    const atLimit = await server.call(operator, "POST", `/api/admin/obligations/${longest}/confirm-payment`);
    expect([atLimit.status, atLimit.body.error.code]).toEqual([404, "OBLIGATION_NOT_FOUND"]);
    const over = await server.call(operator, "POST", `/api/admin/obligations/${longest}O/confirm-payment`);
    expect([over.status, over.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
  });
});

describe("users and API keys", () => {
  it("creates a user (password of 10 or more characters, role and member consistent) who can sign in", async () => {
    const short = await server.call(operator, "POST", "/api/admin/users", {
      id: "shym-trader",
      name: "Shymkent trader",
      role: "trader",
      member: "SHYMKENT-GAS",
      password: "too-short",
    });
    expect([short.status, short.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    expect(short.body.error.message).toBe("The password must be at least 10 characters long.");
    const noMember = await server.call(operator, "POST", "/api/admin/users", {
      id: "shym-trader",
      name: "Shymkent trader",
      role: "trader",
      password: "a long enough password",
    });
    expect(noMember.body.error.message).toBe("The request is not valid: a trader belongs to a member: give 'member'.");
    const regulatorWithMember = await server.call(operator, "POST", "/api/admin/users", {
      id: "reg-2",
      name: "Second regulator",
      role: "regulator",
      member: "AKTAU",
      password: "a long enough password",
    });
    expect([regulatorWithMember.status, regulatorWithMember.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    const unknownMember = await server.call(operator, "POST", "/api/admin/users", {
      id: "ghost",
      name: "Ghost",
      role: "viewer",
      member: "NOBODY",
      password: "a long enough password",
    });
    expect([unknownMember.status, unknownMember.body.error.code]).toEqual([404, "MEMBER_NOT_FOUND"]);

    const created = await server.call(operator, "POST", "/api/admin/users", {
      id: "shym-trader",
      name: "Shymkent trader",
      role: "trader",
      member: "SHYMKENT-GAS",
      password: "a long enough password",
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toEqual({
      id: "shym-trader",
      name: "Shymkent trader",
      role: "trader",
      member: "SHYMKENT-GAS",
      disabled: false,
      secondFactor: false,
      secondFactorSealedWithCurrentKey: null,
      keys: [],
    });
    expect(JSON.stringify(created.body)).not.toContain("scrypt");
    const exists = await server.call(operator, "POST", "/api/admin/users", {
      id: "shym-trader",
      name: "Again",
      role: "viewer",
      member: "SHYMKENT-GAS",
      password: "a long enough password",
    });
    expect([exists.status, exists.body.error.code]).toEqual([409, "USER_EXISTS"]);
    const weakPasswords: readonly (readonly [string, string])[] = [
      ["          ", "a password may not be only white space"],
      ["qwertyuiop", "this password is on the list of common passwords; choose another"],
      ["aaaaaaaaaaaa", "a password may not be one character repeated"],
      ["Weak-User-1", "a password may not be the user's own id or name"],
    ];
    for (const [password, reason] of weakPasswords) {
      const weak = await server.call(operator, "POST", "/api/admin/users", {
        id: "weak-user-1",
        name: "Weak",
        role: "regulator",
        password,
      });
      expect([weak.status, weak.body.error.code, weak.body.error.message], password).toEqual([
        400,
        "PASSWORD_WEAK",
        `The password is not accepted: ${reason}.`,
      ]);
    }
    const listed = await server.call(operator, "GET", "/api/admin/users");
    expect(listed.body.users.map((u: { id: string }) => u.id)).not.toContain("weak-user-1");
    const session = await server.login("shym-trader", "a long enough password");
    const placed = await server.call(session, "POST", "/api/orders", order("SHYM-1", "first", "buy", 13_000_000, 1000));
    expect(placed.status).toBe(201);
  });

  it("disables a user: signed out everywhere, cannot sign in; the operator cannot disable itself", async () => {
    const session = await server.login("shym-trader", "a long enough password");
    const disabled = await server.call(operator, "POST", "/api/admin/users/shym-trader/disable", {
      reason: "left the company",
    });
    expect([disabled.status, disabled.body.user.disabled]).toEqual([200, true]);
    const whoAmI = await server.call(session, "GET", "/api/session");
    expect(whoAmI.body.user).toBeNull();
    await expect(server.login("shym-trader", "a long enough password")).rejects.toThrow(/401/);
    const self = await server.call(operator, "POST", "/api/admin/users/operator/disable", { reason: "test" });
    expect(self.body.error.message).toBe("The request is not valid: you cannot disable your own user.");
    const enabled = await server.call(operator, "POST", "/api/admin/users/shym-trader/enable", { reason: "came back" });
    expect(enabled.body.user.disabled).toBe(false);
    const missing = await server.call(operator, "POST", "/api/admin/users/nobody/disable", { reason: "test" });
    expect([missing.status, missing.body.error.code]).toEqual([404, "USER_NOT_FOUND"]);
    const noReason = await server.call(operator, "POST", "/api/admin/users/shym-trader/disable", {});
    expect([noReason.status, noReason.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    // Journaled: the audit trail shows who disabled and enabled the user, and why.
    const audit = await server.call(operator, "GET", "/api/regulator/audit?commandType=user.disable");
    expect(audit.body.entries[0]).toMatchObject({
      actor: "operator",
      role: "operator",
      outcome: "accepted",
      summary: "disable user shym-trader; reason: left the company",
    });
  });

  it("creates an API key whose secret is shown once and signs requests; a revoked key stops working", async () => {
    const created = await server.call(operator, "POST", "/api/admin/users/shym-trader/keys", { scopes: ["read"] });
    expect(created.status).toBe(201);
    const { key, secret } = created.body as { key: { id: string }; secret: string };
    expect(created.body.key).toEqual({
      id: key.id,
      user: "shym-trader",
      scopes: ["read"],
      revoked: false,
      sealedWithCurrentKey: true,
    });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const signed = async (path: string, timestampMs: number) => {
      const response = await fetch(`${server.url}${path}`, {
        headers: {
          "x-sauda-key": key.id,
          "x-sauda-timestamp": String(timestampMs),
          "x-sauda-signature": sign(secret, timestampMs, "GET", path, ""),
        },
      });
      return { status: response.status, body: (await response.json()) as { error?: { message: string } } };
    };
    expect((await signed("/api/accounts/SHYM-1/balances", server.nowMs - 1)).status).toBe(200);

    const listed = await server.call(operator, "GET", "/api/admin/users/shym-trader/keys");
    expect(listed.body.keys).toEqual([
      { id: key.id, user: "shym-trader", scopes: ["read"], revoked: false, sealedWithCurrentKey: true },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const users = await server.call(operator, "GET", "/api/admin/users");
    expect(JSON.stringify(users.body)).not.toContain(secret);
    expect(users.body.users.find((u: { id: string }) => u.id === "shym-trader").keys).toHaveLength(1);

    const revoked = await server.call(operator, "DELETE", `/api/admin/users/shym-trader/keys/${key.id}`, {
      reason: "rotated",
    });
    expect([revoked.status, revoked.body.key.revoked]).toEqual([200, true]);
    const refused = await signed("/api/accounts/SHYM-1/balances", server.nowMs - 2);
    expect(refused.status).toBe(401);
    expect(refused.body.error?.message).toBe("The request signature is not valid: unknown or revoked key.");
    const wrongOwner = await server.call(operator, "DELETE", `/api/admin/users/operator/keys/${key.id}`, {
      reason: "test",
    });
    expect([wrongOwner.status, wrongOwner.body.error.code]).toEqual([404, "API_KEY_NOT_FOUND"]);
    const seqBefore = server.exchange.projections.lastSeq;
    const again = await server.call(operator, "DELETE", `/api/admin/users/shym-trader/keys/${key.id}`, {
      reason: "rotated twice",
    });
    expect([again.status, again.body.error.code, again.body.error.message]).toEqual([
      409,
      "API_KEY_ALREADY_REVOKED",
      `API key '${key.id}' of user 'shym-trader' is already revoked.`,
    ]);
    expect(server.exchange.projections.lastSeq).toBe(seqBefore);
    const badScope = await server.call(operator, "POST", "/api/admin/users/shym-trader/keys", { scopes: ["admin"] });
    expect([badScope.status, badScope.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
  });

  it("revokes a key once when two revocations of it arrive at the same moment: one 200, one 409, one record", async () => {
    const made = await server.call(operator, "POST", "/api/admin/users/shym-trader/keys", { scopes: ["read"] });
    const keyId: string = made.body.key.id;
    const before = server.exchange.projections.lastSeq;
    const path = `/api/admin/users/shym-trader/keys/${keyId}`;
    const answers = await Promise.all([
      server.call(operator, "DELETE", path, { reason: "from the first tab" }),
      server.call(operator, "DELETE", path, { reason: "from the second tab" }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe("API_KEY_ALREADY_REVOKED");
    const records = server.exchange.projections.audit
      .query({ actor: "operator" })
      .filter((e) => e.seq > before && e.commandType === "apiKey.revoke");
    expect(records).toHaveLength(1);
  });
});

describe("who may use the operator's console", () => {
  it("members are refused, the regulator may only read, a session needs its CSRF token, a read-only key cannot change", async () => {
    const trader = await server.login("aktau-trader");
    const forbidden = await server.call(trader, "GET", "/api/admin/instruments");
    expect([forbidden.status, forbidden.body.error.message]).toEqual([
      403,
      "Your role (trader) may not list instruments.",
    ]);
    const regulator = await server.login("regulator");
    expect((await server.call(regulator, "GET", "/api/admin/members")).status).toBe(200);
    const change = await server.call(regulator, "POST", "/api/admin/members/KAZGPZ/suspend", { reason: "no" });
    expect([change.status, change.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const noCsrf = await server.call({ cookie: operator.cookie, csrf: "wrong" }, "POST", "/api/admin/members", {
      member: "X",
      name: "X",
      roles: ["producer"],
    });
    expect([noCsrf.status, noCsrf.body.error.code]).toEqual([403, "AUTH_CSRF"]);
    const readKey = await server.apiKey("operator", ["read"]);
    expect((await readKey("GET", "/api/admin/accounts")).status).toBe(200);
    const readOnly = await readKey("POST", "/api/admin/members/KAZGPZ/suspend", { reason: "no" });
    expect([readOnly.status, readOnly.body.error.code]).toEqual([403, "FORBIDDEN_SCOPE"]);
    const anonymous = await server.call(null, "GET", "/api/admin/users");
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, "AUTH_REQUIRED"]);
    const members = await server.call(operator, "GET", "/api/admin/members");
    expect(members.body.members.find((m: { member: string }) => m.member === "KAZGPZ").suspended).toBe(false);
  });
});
