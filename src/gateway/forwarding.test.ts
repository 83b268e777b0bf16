import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { HttpProblem } from "./errors.ts";
import { FORWARD_WINDOW_MS, Forwarder, ForwardingSeal } from "./forwarding.ts";

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

describe("the forwarder", () => {
  /** A stand-in leader: answers with `answer(request, body)`; records what it received. */
  async function leaderStub(answer: (request: IncomingMessage, body: Buffer, response: ServerResponse) => void) {
    const received: { method: string; url: string; headers: IncomingMessage["headers"]; body: Buffer }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = Buffer.concat(chunks);
        received.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
        answer(request, body, response);
      });
    });
    await new Promise<void>((resolveListen) => server.listen(0, "127.0.0.1", resolveListen));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, received, server };
  }
  const REQUEST = {
    method: "POST",
    // As the client sent it (and signed it): not normalised on the way.
    url: "/api/orders/./x?b=2&a=%41",
    headers: {
      "content-type": "application/json",
      "accept-language": "kk",
      "x-sauda-key": "k-1",
      "x-sauda-timestamp": "123",
      "x-sauda-signature": "ab",
      "x-csrf-token": "t",
      cookie: "sauda_session=secret",
      origin: "https://exchange.example",
    },
    body: Buffer.from('\uFEFF{ "a" : 1 }'),
    mark: "m.ac",
    client: "203.0.113.5",
  };

  it("passes the method, path, body bytes and headers on, but not the cookie or the origin, and the answer back", async () => {
    const stub = await leaderStub((_request, _body, response) => {
      response.writeHead(422, {
        "content-type": "application/json; charset=utf-8",
        "content-language": "kk",
        "x-other": "kept out",
      });
      response.end('{"error":{"code":"X"}}');
    });
    const forwarder = new Forwarder();
    try {
      const answer = await forwarder.send(stub.url, REQUEST);
      expect(answer).toEqual({
        status: 422,
        headers: { "content-type": "application/json; charset=utf-8", "content-language": "kk" },
        body: Buffer.from('{"error":{"code":"X"}}'),
      });
      const [got] = stub.received;
      expect(got?.method).toBe("POST");
      expect(got?.url).toBe(REQUEST.url);
      expect(got?.body.equals(REQUEST.body)).toBe(true);
      expect(got?.headers).toMatchObject({
        "content-type": "application/json",
        "accept-language": "kk",
        "x-sauda-key": "k-1",
        "x-sauda-timestamp": "123",
        "x-sauda-signature": "ab",
        "x-csrf-token": "t",
        "x-forwarded-for": "203.0.113.5",
        "x-sauda-forwarded": "m.ac",
      });
      expect(got?.headers.cookie).toBeUndefined();
      expect(got?.headers.origin).toBeUndefined();
    } finally {
      forwarder.close();
      stub.server.close();
    }
  });

  it("says LEADER_UNAVAILABLE: nothing listening (nothing changed), no answer in time or an answer over the limit (may have changed)", async () => {
    const reasonOfSend = async (forwarder: Forwarder, url: string) => {
      try {
        await forwarder.send(url, REQUEST);
      } catch (error) {
        expect((error as HttpProblem).code).toBe("LEADER_UNAVAILABLE");
        expect((error as HttpProblem).details.leader).toBe(url);
        return (error as HttpProblem).details.reason;
      }
      return "answered";
    };
    const closed = await leaderStub(() => undefined);
    await new Promise((resolveClose) => closed.server.close(resolveClose));
    const silent = await leaderStub(() => undefined); // reads the request, never answers
    const limit = 1000;
    const sized = await leaderStub((request, _body, response) =>
      response.end("x".repeat(Number(request.headers["x-sauda-key"]))),
    );
    const forwarder = new Forwarder({ timeoutMs: 300, answerBytesMax: limit });
    try {
      expect(await reasonOfSend(forwarder, closed.url)).toBe("the leader could not be reached, nothing was changed");
      expect(await reasonOfSend(forwarder, silent.url)).toBe(
        "the leader's answer was lost, the change may have been made",
      );
      const sizedSend = (bytes: number) =>
        forwarder.send(sized.url, { ...REQUEST, headers: { ...REQUEST.headers, "x-sauda-key": String(bytes) } });
      expect((await sizedSend(limit)).body.byteLength).toBe(limit);
      await expect(sizedSend(limit + 1)).rejects.toMatchObject({
        code: "LEADER_UNAVAILABLE",
        details: { reason: "the leader's answer was lost, the change may have been made" },
      });
      expect(await reasonOfSend(forwarder, "not a url")).toBe("the leader could not be reached, nothing was changed");
    } finally {
      forwarder.close();
      silent.server.closeAllConnections();
      silent.server.close();
      sized.server.close();
    }
  });
});
