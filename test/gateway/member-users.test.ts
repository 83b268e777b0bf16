/**
 * A member's administrator manages the member's own users and API keys over real HTTP (/api/member/users): creates a
 * trader, gives them a key whose secret works once shown, revokes it, disables and re-enables the user; never reaches
 * another member's users (404, nothing journaled) and never gives the operator's or the regulator's role.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign } from "../../src/gateway/signing.ts";
import { PASSWORD, type Session, TestServer } from "../support/server.ts";

let server: TestServer;
let admin: Session;
beforeAll(async () => {
  server = await TestServer.start();
  await server.addUser("aktau-admin", "administrator", "AKTAU");
  admin = await server.login("aktau-admin");
});
afterAll(async () => {
  await server.close();
});

async function signedGet(keyId: string, secret: string, path: string) {
  const headers = {
    "x-sauda-key": keyId,
    "x-sauda-timestamp": String(server.nowMs),
    "x-sauda-signature": sign(secret, server.nowMs, "GET", path, ""),
  };
  return fetch(`${server.url}${path}`, { headers });
}

describe("a member's administrator", () => {
  it("lists only the member's own users, with their keys", async () => {
    const listed = await server.call(admin, "GET", "/api/member/users");
    expect(listed.status).toBe(200);
    expect(listed.body.member).toBe("AKTAU");
    expect(listed.body.users.map((u: { id: string }) => u.id).sort()).toEqual([
      "aktau-admin",
      "aktau-trader",
      "aktau-viewer",
    ]);
  });

  it("creates a trader of its member, gives a key that works, revokes it, disables and enables the user", async () => {
    const created = await server.call(admin, "POST", "/api/member/users", {
      id: "aktau-trader-2",
      name: "Dana K.",
      role: "trader",
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ id: "aktau-trader-2", role: "trader", member: "AKTAU", keys: [] });
    expect(server.users.user("aktau-trader-2")?.member).toBe("AKTAU");

    const key = await server.call(admin, "POST", "/api/member/users/aktau-trader-2/keys", { scopes: ["read"] });
    expect(key.status).toBe(201);
    expect(key.body.key).toMatchObject({ user: "aktau-trader-2", scopes: ["read"], revoked: false });
    const answer = await signedGet(key.body.key.id, key.body.secret, "/api/accounts");
    expect(answer.status).toBe(200);

    const revoked = await server.call(admin, "DELETE", `/api/member/users/aktau-trader-2/keys/${key.body.key.id}`, {
      reason: "laptop lost",
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.key.revoked).toBe(true);
    expect((await signedGet(key.body.key.id, key.body.secret, "/api/accounts")).status).toBe(401);
    // Revoking it again (a second click, a page left open) is refused and journals nothing: the audit trail keeps one
    // revocation with its reason (below).
    const seqBefore = server.exchange.projections.lastSeq;
    const again = await server.call(admin, "DELETE", `/api/member/users/aktau-trader-2/keys/${key.body.key.id}`, {
      reason: "laptop lost",
    });
    expect([again.status, again.body.error.code, again.body.error.message]).toEqual([
      409,
      "API_KEY_ALREADY_REVOKED",
      `API key '${key.body.key.id}' of user 'aktau-trader-2' is already revoked.`,
    ]);
    expect(server.exchange.projections.lastSeq).toBe(seqBefore);

    const disabled = await server.call(admin, "POST", "/api/member/users/aktau-trader-2/disable", { reason: "left" });
    expect(disabled.status).toBe(200);
    expect(disabled.body.user.disabled).toBe(true);
    const enabled = await server.call(admin, "POST", "/api/member/users/aktau-trader-2/enable", { reason: "back" });
    expect(enabled.body.user.disabled).toBe(false);
    const audit = server.exchange.projections.audit.query({ actor: "aktau-admin" }).reverse();
    expect(audit.map((e) => e.commandType)).toEqual([
      "user.create",
      "apiKey.create",
      "apiKey.revoke",
      "user.disable",
      "user.enable",
    ]);
  });

  it("gives a viewer a read key only: a trade scope is refused, naming the user and the scope, and nothing journaled", async () => {
    const before = server.exchange.projections.lastSeq;
    for (const scopes of [["trade"], ["read", "trade"]]) {
      const refused = await server.call(admin, "POST", "/api/member/users/aktau-viewer/keys", { scopes });
      expect([refused.status, refused.body.error.code, refused.body.error.message], scopes.join()).toEqual([
        400,
        "API_KEY_SCOPE_NOT_FOR_ROLE",
        "User 'aktau-viewer' is a viewer and may only look: its API key may have the 'read' scope only, not 'trade'.",
      ]);
    }
    expect(server.exchange.projections.lastSeq).toBe(before);
    const operator = await server.login("operator");
    const byOperator = await server.call(operator, "POST", "/api/admin/users/aktau-viewer/keys", { scopes: ["trade"] });
    expect([byOperator.status, byOperator.body.error.code]).toEqual([400, "API_KEY_SCOPE_NOT_FOR_ROLE"]);
    expect(server.exchange.projections.lastSeq).toBe(before);
    const read = await server.call(admin, "POST", "/api/member/users/aktau-viewer/keys", { scopes: ["read"] });
    expect([read.status, read.body.key.scopes]).toEqual([201, ["read"]]);
  });

  it("gives no key that trades without reading (it could not look up an order it sent): refused, nothing journaled", async () => {
    const before = server.exchange.projections.lastSeq;
    const operator = await server.login("operator");
    const refusals = [
      await server.call(admin, "POST", "/api/member/users/aktau-trader/keys", { scopes: ["trade"] }),
      await server.call(operator, "POST", "/api/admin/users/aktau-trader/keys", { scopes: ["trade"] }),
    ];
    for (const refused of refusals) {
      expect([refused.status, refused.body.error.code, refused.body.error.message]).toEqual([
        400,
        "FIELD_INVALID",
        `Field 'scopes' has value ["trade"]; a key that trades must also read: give 'read' with 'trade'.`,
      ]);
    }
    expect(server.exchange.projections.lastSeq).toBe(before);
  });

  it("never reaches another member's users: 404 and nothing journaled", async () => {
    const before = server.exchange.projections.lastSeq;
    const disable = await server.call(admin, "POST", "/api/member/users/atyrau-trader/disable", { reason: "x" });
    expect(disable.status).toBe(404);
    expect(disable.body.error.code).toBe("USER_NOT_FOUND");
    const key = await server.call(admin, "POST", "/api/member/users/atyrau-trader/keys", { scopes: ["read"] });
    expect(key.status).toBe(404);
    expect(server.exchange.projections.lastSeq).toBe(before);
  });

  it("cannot give the operator's role, nor disable itself", async () => {
    const before = server.exchange.projections.lastSeq;
    const operator = await server.call(admin, "POST", "/api/member/users", {
      id: "aktau-op",
      name: "Not an operator",
      role: "operator",
      password: PASSWORD,
    });
    expect(operator.status).toBe(400);
    expect(operator.body.error.code).toBe("REQUEST_INVALID");
    const self = await server.call(admin, "POST", "/api/member/users/aktau-admin/disable", { reason: "oops" });
    expect(self.status).toBe(400);
    expect(server.exchange.projections.lastSeq).toBe(before);
  });
});
