/**
 * Multi-host database URLs (pg-target.ts): parsed as libpq writes them, one single-host URL per host for node-postgres,
 * the password hidden in logs, unusable session attributes refused, and the hosts tried in turn for the writable one.
 */

import { describe, expect, it } from "vitest";
import { postgresForSuite, TEST_DATABASE_URL } from "../../test/support/postgres.ts";
import { connectOnce, isConnectionLoss, NoPrimaryError, parseTarget, redactUrl } from "./pg-target.ts";

describe("database URLs with several hosts", () => {
  it("lists the hosts in order, with the default port, and gives node-postgres one host at a time", () => {
    const target = parseTarget(
      "postgres://sauda:s3cret@db1.example:5433,db2.example,[::1]:6000/exchange?target_session_attrs=read-write&sslmode=require",
    );
    expect(target.hosts).toEqual([
      { host: "db1.example", port: 5433 },
      { host: "db2.example", port: 5432 },
      { host: "[::1]", port: 6000 },
    ]);
    expect(target.attrs).toBe("read-write");
    expect(target.url(1)).toBe("postgres://sauda:s3cret@db2.example:5432/exchange?sslmode=require");
    expect(target.url(2)).toBe("postgres://sauda:s3cret@[::1]:6000/exchange?sslmode=require");
    expect(target.redacted).toBe(
      "postgres://sauda:***@db1.example:5433,db2.example,[::1]:6000/exchange?target_session_attrs=read-write&sslmode=require",
    );
  });

  it("takes a one-host URL as before, read-write by default, and any when asked", () => {
    const target = parseTarget("postgresql://postgres@127.0.0.1:5432/test");
    expect(target.hosts).toEqual([{ host: "127.0.0.1", port: 5432 }]);
    expect(target.attrs).toBe("read-write");
    expect(target.url(0)).toBe("postgresql://postgres@127.0.0.1:5432/test");
    expect(parseTarget("postgres://h1,h2/db?target_session_attrs=any").attrs).toBe("any");
    // No host: a Unix socket, as node-postgres reads it.
    expect(parseTarget("postgres://sauda@/exchange?host=/var/run/postgresql").url(0)).toBe(
      "postgres://sauda@/exchange?host=%2Fvar%2Frun%2Fpostgresql",
    );
    expect(parseTarget("postgres://h1,h2/db?target_session_attrs=primary").attrs).toBe("primary");
  });

  it("refuses what it cannot use, and never shows the password", () => {
    expect(() => parseTarget("postgres://h1,h2/db?target_session_attrs=standby")).toThrow(/not one sauda can use/);
    expect(() => parseTarget("postgres://h1:99999/db")).toThrow(/not 1-65535/);
    expect(() => parseTarget("postgres://h1,,h2/db")).toThrow(/is not host\[:port\]/);
    expect(() => parseTarget("mysql://h1/db")).toThrow(/not postgres:/);
    expect(redactUrl("postgres://u:pw@h1:1,h2:2/db")).toBe("postgres://u:***@h1:1,h2:2/db");
    expect(redactUrl("postgres://u:pw@h1:1,,h2:2/db")).toBe("(unparseable database URL)");
  });

  it("tells a lost connection from a refusal by the database", () => {
    expect(isConnectionLoss(Object.assign(new Error("terminating connection"), { code: "57P01" }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error("read-only"), { code: "25006" }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isConnectionLoss(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isConnectionLoss(new TypeError("x is undefined"))).toBe(false);
    // Node's own codes are not the system's: a bad argument (here to Buffer.from) is no lost connection.
    let badArgument: unknown = null;
    try {
      Buffer.from(null as unknown as string);
    } catch (error) {
      badArgument = error;
    }
    expect((badArgument as { code: string }).code).toBe("ERR_INVALID_ARG_TYPE");
    expect(isConnectionLoss(badArgument)).toBe(false);
    expect(isConnectionLoss(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
  });
});

const run = await postgresForSuite("pg-target");

describe.runIf(run)("connecting to the listed hosts in turn", () => {
  it("passes over a host that refuses and keeps the first writable one", async () => {
    const test = parseTarget(TEST_DATABASE_URL);
    const host = test.hosts[0]!;
    // Port 1 on loopback refuses at once; the test server after it is the primary.
    const url = TEST_DATABASE_URL.replace(`${host.host}:${host.port}`, `127.0.0.1:1,${host.host}:${host.port}`);
    expect(parseTarget(url).hosts).toHaveLength(2);
    const client = await connectOnce(parseTarget(url));
    try {
      expect((await client.query("SELECT pg_is_in_recovery() AS r")).rows).toEqual([{ r: false }]);
    } finally {
      await client.end();
    }
    await expect(connectOnce(parseTarget("postgres://postgres@127.0.0.1:1,127.0.0.1:2/test"))).rejects.toBeInstanceOf(
      NoPrimaryError,
    );
  });
});
