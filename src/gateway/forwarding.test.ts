import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HttpProblem } from "./errors.ts";
import { FORWARD_WINDOW_MS, ForwardingSeal } from "./forwarding.ts";

const KEY = Buffer.alloc(32, 7);
const BODY = Buffer.from('{"instrument":"PB","quantity":1000}');
const FORWARD = { node: "http://node-b:8080", client: "203.0.113.5", session: null };

function reasonOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpProblem);
    expect((error as HttpProblem).code).toBe("FORWARDING_INVALID");
    return String((error as HttpProblem).details.reason);
  }
  throw new Error("not refused");
}

describe("forwarding marks", () => {
  it("a mark opens on a node with the same key and says who forwarded it, for whom and when", () => {
    let now = 1_000_000;
    const a = new ForwardingSeal([KEY], () => now);
    const b = new ForwardingSeal([KEY], () => now);
    const session = { user: "trader-b", csrf: "t0k3n" };
    const mark = a.mark({ ...FORWARD, session }, "POST", "/api/orders?x=1", BODY);
    now += FORWARD_WINDOW_MS;
    expect(b.open(mark, "POST", "/api/orders?x=1", BODY)).toEqual({ ...FORWARD, session, timeMs: 1_000_000 });
  });

  it("refuses a mark made with another key, for another request, out of its window, or a second time", () => {
    let now = 5_000_000;
    const seal = new ForwardingSeal([KEY], () => now);
    const other = new ForwardingSeal([randomBytes(32)], () => now);
    const forged = other.mark(FORWARD, "POST", "/api/orders", BODY);
    expect(reasonOf(() => seal.open(forged, "POST", "/api/orders", BODY))).toBe(
      "it is not a mark this exchange's nodes make",
    );
    const mark = seal.mark(FORWARD, "POST", "/api/orders", BODY);
    for (const [method, url, body] of [
      ["DELETE", "/api/orders", BODY],
      ["POST", "/api/orders/", BODY],
      ["POST", "/api/orders", Buffer.from('{"instrument":"PB","quantity":9000}')],
    ] as const) {
      expect(reasonOf(() => seal.open(mark, method, url, body))).toBe("it is not a mark this exchange's nodes make");
    }
    expect(reasonOf(() => seal.open("garbage", "POST", "/api/orders", BODY))).toBe(
      "it is not a mark this exchange's nodes make",
    );
    // The payload changed under the same MAC (a client claiming another person or address).
    const [payload, mac] = mark.split(".") as [string, string];
    const claimed = Buffer.from(
      Buffer.from(payload, "base64url").toString().replace("203.0.113.5", "198.51.100.1"),
    ).toString("base64url");
    expect(reasonOf(() => seal.open(`${claimed}.${mac}`, "POST", "/api/orders", BODY))).toBe(
      "it is not a mark this exchange's nodes make",
    );
    // At the limit of the window it is accepted once; a second time it is a replay.
    const atLimit = seal.mark(FORWARD, "POST", "/api/orders", BODY, now - FORWARD_WINDOW_MS);
    expect(seal.open(atLimit, "POST", "/api/orders", BODY).timeMs).toBe(now - FORWARD_WINDOW_MS);
    expect(reasonOf(() => seal.open(atLimit, "POST", "/api/orders", BODY))).toBe("it was already received");
    const stale = seal.mark(FORWARD, "POST", "/api/orders", BODY, now - FORWARD_WINDOW_MS - 1);
    expect(reasonOf(() => seal.open(stale, "POST", "/api/orders", BODY))).toBe("it is more than 30 s old");
    const future = seal.mark(FORWARD, "POST", "/api/orders", BODY, now + FORWARD_WINDOW_MS + 1);
    expect(reasonOf(() => seal.open(future, "POST", "/api/orders", BODY))).toBe("it is more than 30 s old");
    now += 1;
  });

  it("checks with every journal MAC key the node holds (rotation), marks with the one in use", () => {
    const old = randomBytes(32);
    const before = new ForwardingSeal([old], () => 0);
    const after = new ForwardingSeal([KEY, old], () => 0);
    expect(after.open(before.mark(FORWARD, "PUT", "/api/x", BODY), "PUT", "/api/x", BODY).node).toBe(FORWARD.node);
    expect(reasonOf(() => before.open(after.mark(FORWARD, "PUT", "/api/x", BODY), "PUT", "/api/x", BODY))).toBe(
      "it is not a mark this exchange's nodes make",
    );
  });
});
