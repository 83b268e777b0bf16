/**
 * Rate limits at their limit: per key or user, and per member (all of a member's users and keys together); a
 * refused request gets 429 RATE_LIMITED with Retry-After and changes nothing.
 */

import { afterEach, describe, expect, it } from "vitest";
import { TestServer } from "../support/server.ts";

let server: TestServer;
afterEach(async () => {
  await server.close();
});

describe("rate limits", () => {
  it("per key: the 5th request in a minute passes, the 6th gets 429 with Retry-After", async () => {
    server = await TestServer.start({ ratePerMinute: 5 });
    const key = await server.apiKey("aktau-trader", ["read"]);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await key("GET", "/api/accounts/AKTAU-1/balances", undefined, server.nowMs + i)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await key("GET", "/api/accounts/AKTAU-1/balances", undefined, server.nowMs + 10);
    expect(refused.body.error.code).toBe("RATE_LIMITED");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("per member: two keys of one member share the member's budget; another member is unaffected", async () => {
    server = await TestServer.start({ ratePerMinute: 100, ratePerMinutePerMember: 8 });
    const trader = await server.apiKey("aktau-trader", ["read"]);
    const viewer = await server.apiKey("aktau-viewer", ["read"]);
    const other = await server.apiKey("atyrau-trader", ["read"]);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await trader("GET", "/api/accounts/AKTAU-1/balances", undefined, server.nowMs + i)).status);
    for (let i = 0; i < 4; i++)
      statuses.push((await viewer("GET", "/api/accounts/AKTAU-1/balances", undefined, server.nowMs + 100 + i)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    const refused = await viewer("GET", "/api/accounts/AKTAU-1/balances", undefined, server.nowMs + 200);
    expect(refused.body.error.message).toBe(
      `Too many requests: at most 8 per minute for the whole member; retry after ${refused.headers.get("retry-after")} s.`,
    );
    expect((await other("GET", "/api/accounts/ATYRAU-1/balances")).status).toBe(200);
    // The window turns over after a minute.
    server.nowMs += 60_000;
    expect((await viewer("GET", "/api/accounts/AKTAU-1/balances")).status).toBe(200);
  });
});
