/**
 * The published API contract: the OpenAPI document the server serves at /docs/json is valid OpenAPI (checked by
 * @apidevtools/swagger-parser, an independent validator); every operation names its operationId, summary, tags,
 * security and a success response, and documents its error codes from the registry; response fields carry their
 * unit in the name; the WebSocket's AsyncAPI document covers every message. (That the web application's generated
 * types follow the routes is `npm run check`'s: scripts/api-contract.ts --check.) Responses and stream messages themselves are checked against
 * these schemas by every integration test (the test server validates them).
 */

import SwaggerParser from "@apidevtools/swagger-parser";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERRORS } from "../../src/domain/errors.ts";
import { CLIENT_MESSAGES } from "../../src/gateway/streams/protocol.ts";
import { TestServer } from "../support/server.ts";

let server: TestServer;
let document: Record<string, unknown>;

beforeAll(async () => {
  server = await TestServer.start();
  document = (await server.call(null, "GET", "/docs/json")).body as Record<string, unknown>;
});
afterAll(async () => {
  await server.close();
});

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  responses?: Record<string, { "x-error-codes"?: string[]; content?: Record<string, { schema?: unknown }> }>;
};

function operations(): [string, Operation][] {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(
      ([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as [string, Operation],
    ),
  );
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 by an independent validator", async () => {
    expect(document.openapi).toBe("3.1.0");
    // validate() dereferences in place; give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it("names every operation, its security and its success, and documents only registry codes", () => {
    const all = operations();
    expect(all.length).toBeGreaterThan(50);
    const ids = new Set<string>();
    for (const [name, operation] of all) {
      expect(operation.operationId, name).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(ids.has(operation.operationId!), `${name} repeats ${operation.operationId}`).toBe(false);
      ids.add(operation.operationId!);
      expect(operation.summary, name).toBeTruthy();
      expect(operation.tags?.length, name).toBeGreaterThan(0);
      expect(Array.isArray(operation.security), name).toBe(true);
      const statuses = Object.keys(operation.responses ?? {});
      expect(
        statuses.some((status) => /^(2\d\d|101)$/.test(status)),
        name,
      ).toBe(true);
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (Number(status) < 400) continue;
        const codes = response["x-error-codes"] ?? [];
        expect(codes.length, `${name} ${status}`).toBeGreaterThan(0);
        for (const code of codes) {
          expect(Object.hasOwn(ERRORS, code), `${name} documents unknown code ${code}`).toBe(true);
          expect(ERRORS[code as keyof typeof ERRORS].httpStatus, `${name}: ${code} under ${status}`).toBe(
            Number(status),
          );
        }
      }
    }
  });

  it("signed-in routes declare the session (with CSRF on changes) or the signed key; public ones nothing", () => {
    for (const [name, operation] of operations()) {
      const security = operation.security ?? [];
      if (security.length === 0) continue;
      const unsafe = !name.startsWith("GET ");
      expect(security, name).toEqual([unsafe ? { session: [], csrf: [] } : { session: [] }, { apiKey: [] }]);
      expect(Object.keys(operation.responses ?? {}), name).toContain("401");
    }
  });

  it("names units in response fields: no bare price, quantity, amount, ceiling or size", () => {
    const bare = new Set(["price", "quantity", "amount", "ceiling", "floor", "volume", "tickSize", "lotSize", "fee"]);
    const found: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (node === null || typeof node !== "object") return;
      if (Array.isArray(node)) {
        node.forEach((item, i) => {
          walk(item, `${where}[${i}]`);
        });
        return;
      }
      const schema = node as Record<string, unknown>;
      const properties = schema.properties as Record<string, unknown> | undefined;
      if (properties !== undefined) {
        for (const name of Object.keys(properties)) if (bare.has(name)) found.push(`${where}.${name}`);
      }
      for (const [key, value] of Object.entries(schema)) walk(value, `${where}/${key}`);
    };
    for (const [name, operation] of operations()) walk(operation.responses, name);
    // Client messages are requests (their fields keep the request bodies' names, docs/api.md "Conventions").
    const clientMessages = new Set(Object.keys(CLIENT_MESSAGES));
    const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
    for (const [name, schema] of Object.entries(schemas)) if (!clientMessages.has(name)) walk(schema, name);
    expect(found).toEqual([]);
  });

  it("gives an action that undoes another an example reason of its own, not the other's", () => {
    type Body = { example?: { reason?: string }; examples?: Record<string, { value?: { reason?: string } }> };
    const byId = new Map(operations().map(([, operation]) => [operation.operationId, operation]));
    const reasons = (operationId: string): string[] => {
      const operation = byId.get(operationId) as { requestBody?: { content?: Record<string, Body> } } | undefined;
      const body = operation?.requestBody?.content?.["application/json"];
      const found = [body?.example?.reason, ...Object.values(body?.examples ?? {}).map((e) => e.value?.reason)];
      return found.filter((reason): reason is string => typeof reason === "string");
    };
    const pairs = [
      ["haltTrading", "resumeTrading"],
      ["suspendMember", "reinstateMember"],
      ["disableUser", "enableUser"],
      ["disableMemberUser", "enableMemberUser"],
    ] as const;
    for (const [doing, undoing] of pairs) {
      expect(reasons(doing).length, doing).toBeGreaterThan(0);
      expect(reasons(undoing).length, undoing).toBeGreaterThan(0);
      for (const reason of reasons(undoing)) expect(reasons(doing), `${undoing}: "${reason}"`).not.toContain(reason);
    }
  });

  it("gives each action an example reason of its own (the operator's and a member's administrator's alike)", () => {
    type Body = { example?: { reason?: string }; examples?: Record<string, { value?: { reason?: string } }> };
    /** The same action from the operator's console and from a member's administrator's page. */
    const action = (operationId: string): string =>
      ({ disableMemberUser: "disableUser", enableMemberUser: "enableUser", revokeMemberApiKey: "revokeApiKey" })[
        operationId
      ] ?? operationId;
    const actionsOf = new Map<string, Set<string>>();
    for (const [, operation] of operations()) {
      const body = (operation as { requestBody?: { content?: Record<string, Body> } }).requestBody?.content?.[
        "application/json"
      ];
      const found = [body?.example?.reason, ...Object.values(body?.examples ?? {}).map((e) => e.value?.reason)];
      for (const reason of found) {
        if (typeof reason !== "string") continue;
        const actions = actionsOf.get(reason) ?? new Set<string>();
        actions.add(action(operation.operationId!));
        actionsOf.set(reason, actions);
      }
    }
    const shared = [...actionsOf].filter(([, actions]) => actions.size > 1).map(([r, a]) => `"${r}": ${[...a]}`);
    expect(shared).toEqual([]);
  });

  it("publishes the stream's messages as components the web application can use", () => {
    const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
    for (const name of [
      "StreamBook",
      "StreamOrders",
      "StreamAck",
      "StreamError",
      "StreamSubscribe",
      "Order",
      "Error",
    ]) {
      expect(Object.keys(schemas), name).toContain(name);
    }
  });
});

describe("the AsyncAPI document of the WebSocket", () => {
  it("lists every client and server message once, each payload a compilable JSON schema", async () => {
    const { status, body } = await server.call(null, "GET", "/api/asyncapi.json");
    expect(status).toBe(200);
    expect(body.asyncapi).toBe("3.0.0");
    const messages = body.components.messages as Record<string, { payload: object }>;
    const ajv = new Ajv({ strict: false });
    for (const [name, message] of Object.entries(messages)) {
      expect(() => ajv.compile(message.payload), name).not.toThrow();
    }
    const sent = body.operations.sendServerMessages.messages.length;
    const received = body.operations.receiveClientMessages.messages.length;
    expect(sent + received).toBe(Object.keys(messages).length);
    expect(received).toBe(7);
  });
});
