/** Request-size limits at the limit: a body of 64 KiB is read, one byte more is refused with 413 and a code. */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_BYTES_MAX } from "../../src/gateway/server.ts";
import { TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(async () => {
  await server.close();
});

describe("body size", () => {
  const bodyOf = (bytes: number) => {
    const base = '{"user":"operator","password":"';
    const tail = '"}';
    return base + "x".repeat(bytes - base.length - tail.length) + tail;
  };

  it("reads a body of exactly BODY_BYTES_MAX bytes (then judges its content)", async () => {
    const response = await server.call(null, "POST", "/api/session", bodyOf(BODY_BYTES_MAX));
    expect(response.status).toBe(400); // the password is longer than a password may be: a content error, not a size one
    expect(response.body.error.code).toBe("REQUEST_INVALID");
  });

  it("refuses one byte more with 413 REQUEST_TOO_LARGE", async () => {
    const response = await server.call(null, "POST", "/api/session", bodyOf(BODY_BYTES_MAX + 1));
    expect([response.status, response.body.error.code]).toEqual([413, "REQUEST_TOO_LARGE"]);
    expect(response.body.error.message).toBe(`The request body is larger than ${BODY_BYTES_MAX} bytes.`);
  });
});
