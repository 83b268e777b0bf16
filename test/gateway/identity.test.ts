/**
 * Order entry while the read models load (Exchange `deferViews`): identity (users, API keys, accounts' members;
 * gateway/identity.ts) is restored first from its own snapshot and caught up with the journal's tail, so a member's
 * signed order is acknowledged durably while every read is still refused with VIEWS_LOADING; once the read models are
 * loaded they show it. A person signs in with a password and enters an order with the session. A user and key made
 * after the identity snapshot, before the stop, trade at once; a bad
 * signature, an unknown key and a revoked one are refused as always; an identity snapshot that does not check out is
 * not used (identity then comes with the read models). The read models are held by a gate (`viewsGate`), so what is
 * "while loading" is decided by the test, not by timing.
 */

import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Identity } from "../../src/gateway/identity.ts";
import { sign } from "../../src/gateway/signing.ts";
import type { Scope } from "../../src/gateway/users.ts";
import { openJournalDatabase } from "../../src/journal/sqlite-store.ts";
import { INSTRUMENT, type Json, SETUP, TestServer, USERS } from "../support/server.ts";
import { gate, restingAndCrossingOrders } from "../support/view-fixtures.ts";

/** Signed requests with key `id` and `secret` to whatever `server` listens on now (it is re-opened in these tests). */
function signer(server: TestServer, id: string, secret: string) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const text = body === undefined ? "" : JSON.stringify(body);
    const headers: Record<string, string> = {
      "x-sauda-key": id,
      "x-sauda-timestamp": String(server.nowMs),
      "x-sauda-signature": sign(secret, server.nowMs, method, path, text),
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: text }),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
}

async function putKey(server: TestServer, id: string, user: string, scopes: readonly Scope[] = ["read", "trade"]) {
  const secret = `secret-of-${id}`;
  await server.putApiKey({ id, user, secret, scopes });
  return signer(server, id, secret);
}

function order(clientOrderId: string, price = 13_300_000) {
  return {
    instrument: INSTRUMENT,
    account: "AKTAU-1",
    clientOrderId,
    side: "buy",
    type: "limit",
    price,
    quantity: 1000,
  };
}

/** A server that snapshots nothing by count (`viewSnapshotEveryRecords: 0`): only when the test asks, as a crash. */
async function serverWithoutSnapshotsByCount(): Promise<TestServer> {
  const server = new TestServer();
  server.exchangeOptions = { viewSnapshotEveryRecords: 0 };
  await server.open();
  for (const command of SETUP) await server.exchange.submit(command);
  for (const user of USERS) await server.addUser(user.id, user.role, user.member);
  for (const command of restingAndCrossingOrders(6)) await server.exchange.submit(command);
  return server;
}

let open: TestServer | null = null;
let held = gate();
afterEach(async () => {
  held.release();
  await open?.close();
  open = null;
  held = gate();
});

describe("order entry while the read models load", () => {
  it("identity restored first: signed orders and cancels are acknowledged durably, reads wait, then show them", async () => {
    const server = await serverWithoutSnapshotsByCount();
    open = server;
    const trader = await putKey(server, "key-aktau", "aktau-trader");
    const atyrau = await putKey(server, "key-atyrau", "atyrau-trader");
    const revoked = await putKey(server, "key-revoked", "aktau-trader");
    const snapshot = server.exchange.snapshotIdentity();
    expect(snapshot).not.toBeNull();
    await snapshot;
    const identitySeq = server.exchange.health().seq;
    expect((await server.exchange.store.loadIdentitySnapshot())?.seq).toBe(identitySeq);
    // After the identity snapshot, before the stop: a new trader with a key, and a key revoked. A stop that takes
    // no snapshot (none by count), as a crash would leave the data directory.
    await server.addUser("aktau-late", "trader", "AKTAU");
    const late = await putKey(server, "key-late", "aktau-late");
    await server.users.revokeKey("key-revoked", "test", { actor: "test" });
    const head = server.exchange.health().seq;
    expect(head).toBeGreaterThan(identitySeq + 2);
    await server.close();

    server.exchangeOptions = { deferViews: true, viewsGate: held.hold, viewSnapshotEveryRecords: 0 };
    await server.open();
    expect((await server.call(null, "GET", "/api/health")).body).toMatchObject({ seq: head, views: "loading" });
    expect(server.exchange.identityReady).toBe(true);
    expect(server.exchange.identity.lastSeq).toBe(head);
    expect(server.exchange.warnings.filter((warning) => warning.includes("identity"))).toEqual([]);

    // Reads still wait for the read models, the order's own status included.
    expect((await trader("GET", "/api/accounts/AKTAU-1/orders")).body.error.code).toBe("VIEWS_LOADING");
    expect((await server.call(null, "GET", "/api/instruments")).status).toBe(503);

    const placed = await trader("POST", "/api/orders", order("while-loading"));
    expect(placed).toEqual({
      status: 201,
      body: { seq: head + 1, order: null, trades: [], duplicate: false },
    });
    server.nowMs += 1; // the same request again would be a replay (refused as such)
    const retried = await trader("POST", "/api/orders", order("while-loading"));
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ order: null, duplicate: true });
    // The trader made after the identity snapshot trades, and cancels its order.
    const latePlaced = await late("POST", "/api/orders", order("late-1", 13_000_000));
    expect(latePlaced.status).toBe(201);
    const cancelled = await late("DELETE", "/api/accounts/AKTAU-1/orders/late-1");
    expect(cancelled).toEqual({ status: 200, body: { seq: latePlaced.body.seq + 1, order: null, trades: [] } });

    // A person signs in (password, from identity) and enters an order in the browser's way (session and CSRF token).
    const session = await server.login("aktau-trader");
    const browserOrder = await server.call(session, "POST", "/api/orders", order("by-session"));
    expect([browserOrder.status, browserOrder.body.order]).toEqual([201, null]);
    const noCsrf = await server.call({ ...session, csrf: "wrong" }, "POST", "/api/orders", order("no-csrf"));
    expect([noCsrf.status, noCsrf.body.error.code]).toEqual([403, "AUTH_CSRF"]);
    const wrongPassword = await server.call(null, "POST", "/api/session", { user: "aktau-late", password: "nope" });
    expect([wrongPassword.status, wrongPassword.body.error.code]).toEqual([401, "AUTH_FAILED"]);

    // Refused as always: another member's account, a bad signature, an unknown key, a revoked key.
    const foreign = await atyrau("POST", "/api/orders", order("not-mine"));
    expect([foreign.status, foreign.body.error.code]).toEqual([403, "FORBIDDEN_ACCOUNT"]);
    const forged = await signer(server, "key-aktau", "not-the-secret")("POST", "/api/orders", order("forged"));
    expect([forged.status, forged.body.error.code]).toEqual([401, "AUTH_SIGNATURE_INVALID"]);
    const unknown = await signer(server, "key-nobody", "x")("POST", "/api/orders", order("unknown"));
    expect([unknown.status, unknown.body.error.code]).toEqual([401, "AUTH_SIGNATURE_INVALID"]);
    const gone = await revoked("POST", "/api/orders", order("revoked"));
    expect([gone.status, gone.body.error.code]).toEqual([401, "AUTH_SIGNATURE_INVALID"]);

    // Durable: in the journal, while the read models are still held.
    const written = await server.exchange.store.read(head + 1, 10);
    expect(written.map((record) => JSON.parse(record.command).type)).toEqual([
      "order.new",
      "order.new",
      "order.new",
      "order.cancel",
      "order.new",
    ]);
    expect(server.exchange.viewsState).toBe("loading");

    held.release();
    expect(await server.exchange.viewsReady()).toBe("ready");
    const status = await trader("GET", "/api/accounts/AKTAU-1/orders/while-loading");
    expect(status.body.order).toMatchObject({ status: "resting", acceptedSeq: head + 1, openKg: 1000 });
    const lateStatus = await late("GET", "/api/accounts/AKTAU-1/orders/late-1");
    expect(lateStatus.body.order).toMatchObject({ status: "cancelled", acceptedSeq: latePlaced.body.seq });
    // Identity fed meanwhile holds what the read models now hold.
    expect(server.exchange.identity.capture()).toEqual(Identity.fromViews(server.exchange.projections).capture());
    // And an order now is acknowledged with its state, as always.
    const after = await trader("POST", "/api/orders", order("after-loading"));
    expect(after.body.order).toMatchObject({ status: "resting", acceptedSeq: head + 6 });
  });

  it("without an identity snapshot (a data directory from before them) identity comes with the read models", async () => {
    const server = await serverWithoutSnapshotsByCount();
    open = server;
    const trader = await putKey(server, "key-aktau", "aktau-trader");
    const head = server.exchange.health().seq;
    await server.close();
    const db = openJournalDatabase(join(server.dir, "sauda.sqlite"));
    expect(db.prepare("SELECT count(*) AS n FROM identity_snapshots").get()).toEqual({ n: 0 });
    db.close();
    server.exchangeOptions = { deferViews: true, viewsGate: held.hold, viewSnapshotEveryRecords: 0 };
    await server.open();
    expect(server.exchange.identityReady).toBe(false);
    const refused = await trader("POST", "/api/orders", order("while-loading"));
    expect([refused.status, refused.body.error.code]).toEqual([503, "VIEWS_LOADING"]);
    held.release();
    expect(await server.exchange.viewsReady()).toBe("ready");
    expect(server.exchange.identityReady).toBe(true);
    const placed = await trader("POST", "/api/orders", order("after-loading"));
    expect(placed.status).toBe(201);
    expect(placed.body.order).toMatchObject({ acceptedSeq: head + 1 });
  });

  it("an identity snapshot that does not check out is not used: a warning, and identity comes with the read models", async () => {
    const server = await serverWithoutSnapshotsByCount();
    open = server;
    const trader = await putKey(server, "key-aktau", "aktau-trader");
    await server.exchange.snapshotIdentity();
    const seq = server.exchange.health().seq;
    await server.close();
    const db = openJournalDatabase(join(server.dir, "sauda.sqlite"));
    db.prepare(
      "UPDATE identity_snapshots SET data = CAST(replace(CAST(data AS TEXT), 'AKTAU', 'ATYRA') AS BLOB)",
    ).run();
    db.close();
    server.exchangeOptions = { deferViews: true, viewsGate: held.hold, viewSnapshotEveryRecords: 0 };
    await server.open();
    expect(server.exchange.identityReady).toBe(false);
    expect(server.exchange.warnings).toContain(
      `the identity snapshot at ${seq} was not used (its data does not match its hash); identity loads with the read models`,
    );
    expect((await trader("POST", "/api/orders", order("while-loading"))).status).toBe(503);
    held.release();
    expect(await server.exchange.viewsReady()).toBe("ready");
    expect((await trader("POST", "/api/orders", order("after-loading"))).status).toBe(201);
  });

  it("a clean stop snapshots identity at the head (when snapshots by count are on)", async () => {
    const server = await TestServer.start();
    open = server;
    const head = server.exchange.health().seq;
    await server.close();
    const db = openJournalDatabase(join(server.dir, "sauda.sqlite"));
    const row = db.prepare("SELECT seq FROM identity_snapshots ORDER BY seq DESC LIMIT 1").get() as { seq: number };
    db.close();
    expect(row.seq).toBe(head);
    server.exchangeOptions = { deferViews: true, viewsGate: held.hold };
    await server.open();
    expect(server.exchange.identityReady).toBe(true);
  });
});
