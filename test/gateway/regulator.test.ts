/**
 * The regulator's console over real HTTP: the market overview by region, safeguards set with a reason and enforced on
 * the next order, regional and market-wide halts with orderly resumption, supply plans and who is short, and the audit
 * trail that records who changed what, when, from where and why.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localize } from "../../src/domain/messages.ts";
import { Scheduler } from "../../src/gateway/scheduler.ts";
import { INSTRUMENT, type Session, T0, TERMS, TestServer } from "../support/server.ts";

let server: TestServer;
let regulator: Session;
let operator: Session;
const ATYRAU_INSTRUMENT = "PB-ATYRAU-ATR-2026-01";

beforeAll(async () => {
  server = await TestServer.start();
  regulator = await server.login("regulator");
  operator = await server.login("operator");
  const listed = await server.call(operator, "POST", "/api/admin/instruments", {
    instrument: ATYRAU_INSTRUMENT,
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    referencePrice: 12_000_000,
    clearing: { ...TERMS, basis: "ATYRAU-REFINERY" },
    description: { product: "propane-butane", basis: "ATYRAU-REFINERY", region: "ATYRAU", deliveryPeriod: "2026-01" },
  });
  expect(listed.status).toBe(201);
  const opened = await server.call(operator, "PUT", `/api/admin/instruments/${ATYRAU_INSTRUMENT}/phase`, {
    phase: "continuous",
  });
  expect(opened.body.instrument.phase).toBe("continuous");
});
afterAll(async () => {
  await server.close();
});

function order(account: string, clientOrderId: string, side: "buy" | "sell", price: number, quantity: number) {
  return { instrument: INSTRUMENT, account, clientOrderId, side, price, quantity };
}

describe("market overview", () => {
  it("shows prices and volumes by region and where the price rises fastest", async () => {
    const seller = await server.login("kazgpz-trader");
    const buyer = await server.login("atyrau-trader");
    await server.call(seller, "POST", "/api/orders", order("KAZGPZ-1", "ov-offer", "sell", 13_566_000, 5000));
    const bid = await server.call(buyer, "POST", "/api/orders", order("ATYRAU-1", "ov-bid", "buy", 13_566_000, 5000));
    expect(bid.body.trades).toHaveLength(1);

    const overview = await server.call(regulator, "GET", "/api/regulator/overview");
    expect(overview.status).toBe(200);
    expect(overview.body.risingFastest).toEqual({
      instrument: INSTRUMENT,
      changeBps: 200,
      changeTiynPerTonne: 266_000,
    });
    expect(overview.body.regions.map((r: { region: string }) => r.region)).toEqual(["MANGYSTAU", "ATYRAU"]);
    const [mangystau, atyrau] = overview.body.regions;
    expect(mangystau).toMatchObject({
      region: "MANGYSTAU",
      volumeKg: "5000",
      valueTiyn: "67830000",
      vwapTiynPerTonne: 13_566_000,
    });
    expect(mangystau.instruments).toEqual([
      {
        instrument: INSTRUMENT,
        region: "MANGYSTAU",
        product: "propane-butane",
        basis: "KAZGPZ",
        phase: "continuous",
        lastPriceTiynPerTonne: 13_566_000,
        referencePriceTiynPerTonne: 13_300_000,
        changeTiynPerTonne: 266_000,
        changeBps: 200,
        session: {
          session: 1,
          running: true,
          startMs: T0,
          endMs: null,
          vwapTiynPerTonne: 13_566_000,
          volumeKg: "5000",
          valueTiyn: "67830000",
          valueMilliTiyn: "67830000000",
          trades: 1,
        },
      },
    ]);
    expect(atyrau).toMatchObject({ region: "ATYRAU", volumeKg: "0", vwapTiynPerTonne: null, risingFastest: null });
    // The operator may read the regulator's views; members may not.
    expect((await server.call(operator, "GET", "/api/regulator/overview")).status).toBe(200);
    const trader = await server.call(buyer, "GET", "/api/regulator/overview");
    expect([trader.status, trader.body.error.code]).toEqual([403, "FORBIDDEN"]);
  });
});

describe("safeguards", () => {
  it("a band set by the regulator cancels resting orders outside it and refuses a new one, naming the band", async () => {
    const buyer = await server.login("aktau-trader");
    const low = await server.call(buyer, "POST", "/api/orders", order("AKTAU-1", "low-bid", "buy", 12_000_000, 2000));
    expect(low.status).toBe(201);
    const set = await server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      bandBps: 500,
      reason: "price rose 2% in one session",
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      instrument: INSTRUMENT,
      region: "MANGYSTAU",
      cancelledOrders: 1,
      safeguards: { bandBps: 500 },
      changed: { reason: "price rose 2% in one session", timeMs: T0 },
      limits: {
        bandReferenceTiynPerTonne: 13_300_000,
        band: { lowTiynPerTonne: 12_635_000, highTiynPerTonne: 13_965_000 },
      },
    });
    const cancelled = await server.call(buyer, "GET", "/api/accounts/AKTAU-1/orders/low-bid");
    expect(cancelled.body.order).toMatchObject({ status: "cancelled", cancelReason: "price-limit" });

    const outside = await server.call(buyer, "POST", "/api/orders", order("AKTAU-1", "high", "buy", 14_000_000, 1000));
    expect([outside.status, outside.body.error.code]).toEqual([422, "ORDER_PRICE_OUTSIDE_BAND"]);
    expect(outside.body.error.message).toBe(
      "Price 14000000 is outside today's price band 12635000–13965000 (±5% around the reference price 13300000).",
    );
    const edge = await server.call(buyer, "POST", "/api/orders", order("AKTAU-1", "edge", "buy", 13_965_000, 1000));
    expect(edge.status).toBe(201);
    await server.call(buyer, "DELETE", "/api/accounts/AKTAU-1/orders/edge");
  });

  it("buyer limits and eligibility apply to the next order; null turns a safeguard off", async () => {
    const aktau = await server.login("aktau-trader");
    const atyrau = await server.login("atyrau-trader");
    const set = await server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      maxLotsPerOrder: 10,
      eligibleCategories: ["gas-distribution"],
      reason: "gas for households first",
    });
    expect(set.body.safeguards).toMatchObject({ maxLotsPerOrder: 10, eligibleCategories: ["gas-distribution"] });
    const big = await server.call(atyrau, "POST", "/api/orders", order("ATYRAU-1", "big", "buy", 13_000_000, 11_000));
    expect([big.status, big.body.error.message]).toEqual([
      422,
      `The order is 11 lots; at most 10 lots per order are allowed on '${INSTRUMENT}'.`,
    ]);
    const stations = await server.call(aktau, "POST", "/api/orders", order("AKTAU-1", "elig", "buy", 13_000_000, 1000));
    expect([stations.status, stations.body.error.code]).toEqual([403, "ACCOUNT_NOT_ELIGIBLE"]);
    const household = await server.call(
      atyrau,
      "POST",
      "/api/orders",
      order("ATYRAU-1", "ok", "buy", 13_000_000, 10_000),
    );
    expect(household.status).toBe(201);
    await server.call(atyrau, "DELETE", "/api/accounts/ATYRAU-1/orders/ok");

    const off = await server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      maxLotsPerOrder: null,
      eligibleCategories: null,
      reason: "measure lifted",
    });
    expect(off.body.safeguards).toMatchObject({ maxLotsPerOrder: null, eligibleCategories: null, bandBps: 500 });
    const again = await server.call(aktau, "POST", "/api/orders", order("AKTAU-1", "elig-2", "buy", 13_000_000, 1000));
    expect(again.status).toBe(201);
    await server.call(aktau, "DELETE", "/api/accounts/AKTAU-1/orders/elig-2");
  });

  it("the engine checks the whole set; the operator may not change safeguards; a change needs a field and a reason", async () => {
    const inverted = await server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      ceiling: 13_000_000,
      floor: 14_000_000,
      reason: "typo",
    });
    expect([inverted.status, inverted.body.error.message]).toEqual([
      400,
      "Safeguards are not valid: floor 140,000 ₸/t is above the ceiling 130,000 ₸/t.",
    ]);
    const byOperator = await server.call(operator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      bandBps: 1000,
      reason: "wider",
    });
    expect([byOperator.status, byOperator.body.error.message]).toEqual([
      403,
      "Your role (operator) may not set safeguards.",
    ]);
    const empty = await server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      reason: "nothing",
    });
    expect(empty.body.error.message).toBe("The request is not valid: name at least one safeguard to change.");
    const noReason = await server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      bandBps: 300,
    });
    expect([noReason.status, noReason.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    const view = await server.call(regulator, "GET", `/api/regulator/instruments/${INSTRUMENT}/safeguards`);
    expect(view.body.safeguards.bandBps).toBe(500);
  });
});

describe("halts", () => {
  it("a region halt stops that region's instruments only; resumption goes through an auction", async () => {
    const buyer = await server.login("atyrau-trader");
    const halted = await server.call(regulator, "POST", "/api/regulator/halt", {
      scope: "region",
      region: "MANGYSTAU",
      reason: "protests in Zhanaozen",
    });
    expect(halted.status).toBe(200);
    expect(halted.body.changed).toEqual([{ instrument: INSTRUMENT, from: "continuous", to: "halted" }]);
    const stopped = await server.call(buyer, "POST", "/api/orders", order("ATYRAU-1", "h-1", "buy", 13_300_000, 1000));
    expect([stopped.status, stopped.body.error.message]).toEqual([
      409,
      `Instrument '${INSTRUMENT}' is halted; orders are not accepted now.`,
    ]);
    const elsewhere = await server.call(buyer, "POST", "/api/orders", {
      ...order("ATYRAU-1", "h-2", "buy", 12_000_000, 1000),
      instrument: ATYRAU_INSTRUMENT,
    });
    expect(elsewhere.status).toBe(201);

    const noRegion = await server.call(regulator, "POST", "/api/regulator/halt", { scope: "region", reason: "x" });
    expect([noRegion.status, noRegion.body.error.code, noRegion.body.error.message]).toEqual([
      400,
      "HALT_SCOPE_INVALID",
      "Halt scope is not valid: a region's halt needs the region (region).",
    ]);
    // Each refusal says what is wrong for the scope chosen, on a halt and on a resumption.
    const scoped = async (path: string, body: Record<string, unknown>) =>
      (await server.call(regulator, "POST", path, { ...body, reason: "x" })).body.error?.message;
    expect(await scoped("/api/regulator/halt", { scope: "market", instrument: INSTRUMENT })).toBe(
      "Halt scope is not valid: the market's halt names no region or instrument.",
    );
    expect(await scoped("/api/regulator/halt", { scope: "region", region: "MANGYSTAU", instrument: INSTRUMENT })).toBe(
      "Halt scope is not valid: a region's halt names no instrument.",
    );
    expect(
      await scoped("/api/regulator/resume", { scope: "instrument", instrument: INSTRUMENT, region: "MANGYSTAU" }),
    ).toBe("Halt scope is not valid: an instrument's resumption names no region.");
    expect(await scoped("/api/regulator/resume", { scope: "instrument" })).toBe(
      "Halt scope is not valid: an instrument's resumption needs the instrument (instrument).",
    );
    expect(localize("HALT_SCOPE_INVALID", { reason: "the market's halt names no region or instrument" }, "ru")).toBe(
      "Охват приостановки недействителен: остановка всего рынка не называет ни региона, ни инструмента.",
    );
    const nowhere = await server.call(regulator, "POST", "/api/regulator/halt", {
      scope: "region",
      region: "NOWHERE",
      reason: "x",
    });
    expect(nowhere.body.error.message).toBe("Halt scope is not valid: no instrument delivers to region 'NOWHERE'.");
    const byOperator = await server.call(operator, "POST", "/api/regulator/resume", {
      scope: "market",
      reason: "we want to trade",
    });
    expect([byOperator.status, byOperator.body.error.code]).toEqual([403, "FORBIDDEN"]);

    const resumed = await server.call(regulator, "POST", "/api/regulator/resume", {
      scope: "region",
      region: "MANGYSTAU",
      reason: "calm restored",
    });
    expect(resumed.body.changed).toEqual([{ instrument: INSTRUMENT, from: "halted", to: "collection" }]);
    const twice = await server.call(regulator, "POST", "/api/regulator/resume", {
      scope: "region",
      region: "MANGYSTAU",
      reason: "again",
    });
    expect([twice.status, twice.body.error.message]).toEqual([409, "No instrument in region MANGYSTAU is halted."]);
  });

  it("a market halt stops every instrument", async () => {
    const halted = await server.call(regulator, "POST", "/api/regulator/halt", { scope: "market", reason: "drill" });
    expect(halted.body.changed).toEqual([
      { instrument: INSTRUMENT, from: "collection", to: "halted" },
      { instrument: ATYRAU_INSTRUMENT, from: "continuous", to: "halted" },
    ]);
    const views = await server.call(regulator, "GET", "/api/regulator/safeguards");
    expect(views.body.instruments.map((i: { instrument: string; phase: string }) => [i.instrument, i.phase])).toEqual([
      [ATYRAU_INSTRUMENT, "halted"],
      [INSTRUMENT, "halted"],
    ]);
    const resumed = await server.call(regulator, "POST", "/api/regulator/resume", {
      scope: "instrument",
      instrument: ATYRAU_INSTRUMENT,
      reason: "drill over for Atyrau",
    });
    expect(resumed.body.changed).toEqual([{ instrument: ATYRAU_INSTRUMENT, from: "halted", to: "collection" }]);
  });
});

describe("supply obligations", () => {
  it("a supply plan set by the regulator shows who is short of it in the month", async () => {
    const planned = await server.call(regulator, "PUT", "/api/regulator/supply/plans/2026-01/KAZGPZ/KAZGPZ", {
      plannedKg: 100_000,
      reason: "January domestic plan",
    });
    expect(planned.status).toBe(200);
    expect(planned.body.plan).toEqual({
      month: "2026-01",
      producer: "KAZGPZ",
      basis: "KAZGPZ",
      plannedKg: "100000",
      offeredKg: "5000",
      soldKg: "5000",
      shortfallKg: "95000",
      unsoldKg: "95000",
      offeredBps: 500,
    });
    const status = await server.call(regulator, "GET", "/api/regulator/supply");
    expect(status.body.month).toBe("2026-01");
    expect(
      status.body.short.map((r: { producer: string; shortfallKg: string }) => [r.producer, r.shortfallKg]),
    ).toEqual([["KAZGPZ", "95000"]]);
    const unknown = await server.call(regulator, "PUT", "/api/regulator/supply/plans/2026-01/NOBODY/KAZGPZ", {
      plannedKg: 1000,
      reason: "x",
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "MEMBER_NOT_FOUND"]);
    // A plan is a producer's, at a basis the exchange trades: a buyer's or one at an unknown basis is refused, and
    // nothing is published as a shortfall.
    const plan = (producer: string, basis: string) =>
      server.call(regulator, "PUT", `/api/regulator/supply/plans/2026-01/${producer}/${basis}`, {
        plannedKg: 5_000_000,
        reason: "x",
      });
    const buyerPlan = await plan("AKTAU", "KAZGPZ");
    expect([buyerPlan.status, buyerPlan.body.error.code, buyerPlan.body.error.message]).toEqual([
      403,
      "MEMBER_NOT_PRODUCER",
      "Member 'AKTAU' is not a producer; outage notices and supply plans are a producer's.",
    ]);
    const nowhere = await plan("KAZGPZ", "NOPE");
    expect([nowhere.status, nowhere.body.error.code, nowhere.body.error.message, nowhere.body.error.details]).toEqual([
      404,
      "BASIS_UNKNOWN",
      "No listed instrument delivers at basis 'NOPE'; name the basis of a listed instrument.",
      { basis: "NOPE" },
    ]);
    expect(
      (await server.call(regulator, "GET", "/api/regulator/supply")).body.plans.map(
        (r: { producer: string; basis: string }) => `${r.producer}/${r.basis}`,
      ),
    ).toEqual(["KAZGPZ/KAZGPZ"]);
    // The producer reads its own obligations (the regulator's supply view is the console's); another member's
    // account is refused, and a buyer's member has none.
    const producer = await server.login("kazgpz-trader");
    const own = await server.call(producer, "GET", "/api/accounts/KAZGPZ-1/supply?month=2026-01");
    expect(own.status).toBe(200);
    expect([own.body.month, own.body.member]).toEqual(["2026-01", "KAZGPZ"]);
    expect(own.body.plans).toEqual(
      (await server.call(regulator, "GET", "/api/regulator/supply?month=2026-01")).body.plans.filter(
        (r: { producer: string }) => r.producer === "KAZGPZ",
      ),
    );
    expect(own.body.plans.map((r: { basis: string; plannedKg: string }) => [r.basis, r.plannedKg])).toEqual([
      ["KAZGPZ", "100000"],
    ]);
    expect((await server.call(producer, "GET", "/api/accounts/AKTAU-1/supply")).body.error.code).toBe(
      "FORBIDDEN_ACCOUNT",
    );
    const buyer = await server.login("aktau-trader");
    expect((await server.call(buyer, "GET", "/api/accounts/AKTAU-1/supply?month=2026-01")).body.plans).toEqual([]);
    const byOperator = await server.call(operator, "PUT", "/api/regulator/supply/plans/2026-01/KAZGPZ/KAZGPZ", {
      plannedKg: 0,
      reason: "x",
    });
    expect(byOperator.status).toBe(403);

    const seller = await server.login("kazgpz-trader");
    const offer = await server.call(seller, "POST", "/api/orders", {
      ...order("KAZGPZ-1", "plan-offer", "sell", 13_000_000, 95_000),
      instrument: ATYRAU_INSTRUMENT,
    });
    // Gas at one basis counts only on instruments of that basis: this offer is at the Atyrau refinery's.
    expect([offer.status, offer.body.error.code]).toEqual([422, "RISK_INSUFFICIENT_VOLUME"]);
    const halted = await server.call(regulator, "POST", "/api/regulator/resume", {
      scope: "instrument",
      instrument: INSTRUMENT,
      reason: "drill over",
    });
    expect(halted.status).toBe(200);
    const atHome = await server.call(
      seller,
      "POST",
      "/api/orders",
      order("KAZGPZ-1", "plan-2", "sell", 13_900_000, 95_000),
    );
    expect(atHome.status).toBe(201);
    const after = await server.call(regulator, "GET", "/api/regulator/supply?month=2026-01");
    expect(after.body.short).toEqual([]);
    expect(after.body.plans[0]).toMatchObject({ offeredKg: "100000", shortfallKg: "0", offeredBps: 10_000 });
  });
});

describe("audit trail and limits over time", () => {
  it("shows who changed what, when, from where and why; filters; CSV", async () => {
    const changes = await server.call(
      regulator,
      "GET",
      "/api/regulator/audit?actor=regulator&commandType=safeguards.set",
    );
    expect(changes.status).toBe(200);
    expect(
      changes.body.entries.map((e: { outcome: string; summary: string }) => [
        e.outcome,
        e.summary.split("; reason: ")[1],
      ]),
    ).toEqual([
      ["rejected", "typo"],
      ["accepted", "measure lifted"],
      ["accepted", "gas for households first"],
      ["accepted", "price rose 2% in one session"],
    ]);
    expect(changes.body.entries[3]).toMatchObject({
      actor: "regulator",
      role: "regulator",
      source: "127.0.0.1",
      time: "2026-01-05T06:00:00.000Z",
      commandType: "safeguards.set",
      instrument: INSTRUMENT,
      summary: `set safeguards of ${INSTRUMENT}: price band ±5.00%; reason: price rose 2% in one session`,
      code: null,
    });
    expect(changes.body.entries[3].requestId).toMatch(/^[0-9a-f-]{36}$/);
    // In Russian and Kazakh the change is written out in words, as the bulletin writes it, never as its JSON.
    const told = async (language: string) => {
      const response = await fetch(`${server.url}/api/regulator/audit?actor=regulator&commandType=safeguards.set`, {
        headers: { cookie: regulator.cookie, "accept-language": language },
      });
      const body = (await response.json()) as { entries: { summary: string }[] };
      return body.entries.slice(1).map((e) => e.summary.replaceAll("\u00a0", " "));
    };
    expect(await told("ru")).toEqual([
      `изменить ограничительные меры ${INSTRUMENT}: ограничение числа лотов в заявке снято; ограничение круга допущенных покупателей снято; причина: measure lifted`,
      `изменить ограничительные меры ${INSTRUMENT}: лотов в заявке не более 10; допущенные покупатели газораспределительные организации; причина: gas for households first`,
      `изменить ограничительные меры ${INSTRUMENT}: ценовой коридор ±5,00 %; причина: price rose 2% in one session`,
    ]);
    expect(await told("kk")).toEqual([
      `${INSTRUMENT} шектеу шараларын өзгерту: өтінімдегі лоттар санының шегі алынып тасталды; жіберілетін сатып алушылар шектеуі алынып тасталды; себебі: measure lifted`,
      `${INSTRUMENT} шектеу шараларын өзгерту: өтінімдегі лоттар ең көбі 10; жіберілген сатып алушылар газ тарату ұйымдары; себебі: gas for households first`,
      `${INSTRUMENT} шектеу шараларын өзгерту: баға дәлізі ±5,00 %; себебі: price rose 2% in one session`,
    ]);
    const rejected = await server.call(regulator, "GET", "/api/regulator/audit?outcome=rejected&limit=1");
    expect(rejected.body.entries[0]).toMatchObject({ code: "RISK_INSUFFICIENT_VOLUME", commandType: "order.new" });
    expect(rejected.body.nextBeforeSeq).toBe(rejected.body.entries[0].seq);
    const older = await server.call(
      regulator,
      "GET",
      `/api/regulator/audit?outcome=rejected&limit=1&beforeSeq=${rejected.body.nextBeforeSeq}`,
    );
    expect(older.body.entries[0]).toMatchObject({ code: "BASIS_UNKNOWN", commandType: "supply.plan" });
    const halts = await server.call(regulator, "GET", "/api/regulator/audit?commandType=halt&outcome=accepted");
    expect(halts.body.entries.map((e: { summary: string }) => e.summary)).toEqual([
      "halt the market; reason: drill",
      "halt region MANGYSTAU; reason: protests in Zhanaozen",
    ]);

    const csv = await server.call(regulator, "GET", "/api/regulator/audit?commandType=supply.plan&format=csv");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (csv.body as string).trim().split("\r\n");
    expect(lines[0]).toBe(
      "seq,time,actor,role,source,request_id,command_type,kind,instrument,account,outcome,code,summary,message",
    );
    // Newest first: the three refused plans (unknown basis, a buyer's, an unknown member), then the accepted one.
    expect(lines.slice(1, 4).map((line) => line.split(",")[11])).toEqual([
      "BASIS_UNKNOWN",
      "MEMBER_NOT_PRODUCER",
      "MEMBER_NOT_FOUND",
    ]);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toContain(",regulator,regulator,127.0.0.1,");
    expect(lines[4]).toContain(
      ",supply.plan,controls,,,accepted,,plan supply of 100 t at KAZGPZ by KAZGPZ in 2026-01; reason: January domestic plan,",
    );
    const backwards = await server.call(regulator, "GET", `/api/regulator/audit?fromMs=${T0 + 10}&toMs=${T0}`);
    expect(backwards.body.error.message).toBe(`The request is not valid: toMs ${T0} must be after fromMs ${T0 + 10}.`);
    // The regulator reads every member's account too.
    expect((await server.call(regulator, "GET", "/api/accounts/AKTAU-1/balances")).status).toBe(200);
  });

  it("a ceiling path steps down when its time comes", async () => {
    const set = await server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
      ceiling: 14_500_000,
      ceilingPath: [{ effectiveFromMs: T0 + 3_600_000, ceiling: 14_000_000 }],
      reason: "ceiling path toward cost level",
    });
    expect(set.body.limits).toMatchObject({
      ceilingTiynPerTonne: 14_500_000,
      ceilingStepsToCome: [{ effectiveFromMs: T0 + 3_600_000, ceilingTiynPerTonne: 14_000_000 }],
    });
    server.nowMs = T0 + 3_600_000;
    // The clock has reached the step but no command has: the limits shown are those the engine applies, at the
    // journal's time, not the wall clock's.
    const waiting = await server.call(regulator, "GET", `/api/regulator/instruments/${INSTRUMENT}/safeguards`);
    expect(waiting.body.limits).toMatchObject({ ceilingTiynPerTonne: 14_500_000, ceilingStepsToCome: [{}] });
    // The scheduler sends the time tick that brings the step in; the read side shows it once that is durable.
    await new Scheduler(server.exchange).step();
    const later = await server.call(regulator, "GET", `/api/regulator/instruments/${INSTRUMENT}/safeguards`);
    expect(later.body.limits).toMatchObject({ ceilingTiynPerTonne: 14_000_000, ceilingStepsToCome: [] });
    const recent = await server.call(regulator, "GET", `/api/regulator/audit?fromMs=${T0 + 1}`);
    expect(recent.body.entries).toMatchObject([
      { actor: "scheduler", commandType: "time.tick", timeMs: T0 + 3_600_000 },
    ]);
  });
});

describe("after a restart", () => {
  it("the views are rebuilt from the journal: safeguards, phases, supply plans and the trail are the same", async () => {
    const paths = [
      "/api/regulator/safeguards",
      "/api/regulator/supply?month=2026-01",
      "/api/regulator/audit?limit=1000",
    ];
    const before = await Promise.all(paths.map((path) => server.call(regulator, "GET", path)));
    await server.close();
    await server.open();
    regulator = await server.login("regulator");
    const after = await Promise.all(paths.map((path) => server.call(regulator, "GET", path)));
    expect(after.map((r) => r.body)).toEqual(before.map((r) => r.body));
    expect(before[0]!.body.instruments[1]).toMatchObject({ instrument: INSTRUMENT, safeguards: { bandBps: 500 } });
  });
});
