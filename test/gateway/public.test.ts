/**
 * Public market data over real HTTP: an instrument's listing carries its trading rules, the limits in force, the last
 * phase change with its reason and the next scheduled one; CSV downloads; errors for unknown instruments.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTRUMENT, TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start();
  const regulator = await server.login("regulator");
  const set = await server.call(regulator, "PATCH", `/api/regulator/instruments/${INSTRUMENT}/safeguards`, {
    bandBps: 1000,
    ceiling: 15_000_000,
    reason: "test limits",
  });
  expect(set.status).toBe(200);
  await server.exchange.submit({
    type: "calendar.set",
    instrument: INSTRUMENT,
    calendar: {
      sessions: [{ open: "11:00", close: "13:00" }],
      preOpenMinutes: 10,
      weekends: false,
      holidays: [],
      extraSessions: [],
    },
    reason: "test calendar",
  });
});
afterAll(async () => {
  await server.close();
});

describe("public instrument listing", () => {
  it("shows tick, lot, collateral and fee rates, the band and ceiling in force, and the next phase change", async () => {
    const { status, body } = await server.call(null, "GET", `/api/instruments/${INSTRUMENT}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      instrument: INSTRUMENT,
      tickSizeTiynPerTonne: 100,
      lotSizeKg: 1000,
      clearing: { basis: "KAZGPZ", collateralBps: 500, feeBps: 5 },
      limits: {
        bandReferenceTiynPerTonne: 13_300_000,
        band: { lowTiynPerTonne: 11_970_000, highTiynPerTonne: 14_630_000 },
        ceilingTiynPerTonne: 15_000_000,
      },
      info: { product: "propane-butane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-01" },
      // T0 is 11:00 in Almaty: the session closes at 13:00 local time, 08:00 UTC.
      nextPhase: { phase: "closed", atMs: Date.UTC(2026, 0, 5, 8, 0), auction: false },
    });
  });

  it("offers trades and sessions as CSV and refuses unknown instruments with a code", async () => {
    const csv = await server.call(null, "GET", `/api/instruments/${INSTRUMENT}/trades?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(String(csv.body).split("\r\n")[0]).toContain("price");
    const missing = await server.call(null, "GET", "/api/instruments/NOPE");
    expect([missing.status, missing.body.error.code]).toEqual([404, "INSTRUMENT_NOT_FOUND"]);
  });
});
