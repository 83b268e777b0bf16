import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, ORDER_ENTRY_GAP_MS } from "./api-client.ts";

/** A stepped clock: `wait` steps it, and each request the server receives is noted with the clock's time then. */
let nowMs = 1_000_000;
const received: { method: string; path: string; atMs: number }[] = [];
let server: Server;
let baseUrl = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push({ method: request.method!, path: request.url!, atMs: nowMs });
    // Each answer takes 7 ms of the clock, so the gap is counted from the answer, not from the sending.
    nowMs += 7;
    response.setHeader("content-type", "application/json");
    response.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function client(): ApiClient {
  return new ApiClient(
    baseUrl,
    { keyId: "k", secret: "s" },
    () => nowMs,
    async (ms) => {
      nowMs += ms;
    },
  );
}

describe("ApiClient order entry", () => {
  it("sends a key's order-entry messages one at a time, each the gap after the previous answer", async () => {
    received.length = 0;
    const start = nowMs;
    const c = client();
    // Asked for all at once: they still go one after another, in the order asked.
    await Promise.all([
      c.entry("POST", "/api/orders", { n: 1 }),
      c.entry("DELETE", "/api/accounts/A/orders/x"),
      c.entry("POST", "/api/orders", { n: 3 }),
    ]);
    expect(received.map((r) => [r.method, r.atMs - start])).toEqual([
      ["POST", 0],
      ["DELETE", 7 + ORDER_ENTRY_GAP_MS],
      ["POST", 2 * (7 + ORDER_ENTRY_GAP_MS)],
    ]);
    // Any three such messages lie at least 1,000 ms apart: rule 6 (three within less than 1,000 ms) names none.
    expect(received[2]!.atMs - received[0]!.atMs).toBeGreaterThanOrEqual(1000);
  });

  it("does not pace reading, nor an entry sent the gap or more after the last", async () => {
    received.length = 0;
    const c = client();
    await c.entry("POST", "/api/orders", {});
    const answeredMs = nowMs;
    await c.request("GET", "/api/instruments");
    expect(received[1]!.atMs).toBe(answeredMs);
    nowMs = answeredMs + ORDER_ENTRY_GAP_MS;
    await c.entry("POST", "/api/orders", {});
    expect(received[2]!.atMs).toBe(answeredMs + ORDER_ENTRY_GAP_MS);
  });

  it("paces on after a message that failed", async () => {
    received.length = 0;
    const c = new ApiClient(
      "http://127.0.0.1:1",
      { keyId: "k", secret: "s" },
      () => nowMs,
      async (ms) => {
        nowMs += ms;
      },
    );
    const before = nowMs;
    await expect(c.entry("POST", "/api/orders", {})).rejects.toThrow(/no answer/);
    await expect(c.entry("POST", "/api/orders", {})).rejects.toThrow(/no answer/);
    expect(nowMs - before).toBe(ORDER_ENTRY_GAP_MS);
  });
});
