/**
 * API fuzzing: every REST route, as a signed-in operator, as a member's trader and anonymously, gets malformed
 * requests (broken JSON, wrong content types, bodies and query strings of wrong types, huge and negative numbers,
 * NaN-like strings, unknown fields, overlong strings, bad path parameters, oversized bodies). Each must be answered
 * with a 4xx carrying an error code, never a 5xx, and must change nothing: the journal's last seq, the engine's state
 * hash and the user store stay as they were.
 *
 * Requests are malformed by construction: a generated body or query is kept only if the route's own schema (from the
 * server's OpenAPI description, checked with Ajv configured as the server's validators) refuses it, so a 2xx is
 * always a finding. fast-check runs with a fixed seed and a fixed number of runs per route and caller (about 20 s in
 * all). The WebSocket route is left out: it speaks its own protocol once upgraded.
 */

import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RouteKey, registeredRoutes, routeName } from "../support/routes.ts";
import { INSTRUMENT, type Session, TestServer } from "../support/server.ts";

const SEED = 20_260_105;
const RUNS_PER_ROUTE_AND_CALLER = 20;
const TEST_TIMEOUT_MS = 120_000;
const WEBSOCKET_ROUTES = new Set(["GET /api/stream"]);
const BODY_BYTES_OVER_LIMIT = 70_000;

/** A valid value for each path parameter name, so that only the part under test is malformed. */
const VALID_PARAMS: Readonly<Record<string, string>> = {
  id: INSTRUMENT,
  account: "AKTAU-1",
  clientOrderId: "fuzz-1",
  keyId: "key-1",
  month: "2026-01",
  producer: "KAZGPZ",
  basis: "KAZGPZ",
};

type JsonSchema = Record<string, unknown>;

interface FuzzRoute {
  readonly method: string;
  readonly url: string;
  readonly params: readonly string[];
  readonly paramSchemas: Readonly<Record<string, ValidateFunction>>;
  readonly queryNames: readonly string[];
  readonly query: ValidateFunction;
  readonly bodyNames: readonly string[];
  readonly body: ValidateFunction | null;
}

interface FuzzRequest {
  readonly kind: string;
  readonly path: string;
  readonly contentType?: string;
  readonly body?: string;
}

// The server's validators: bodies strictly (no coercion), query strings and path parameters with coercion.
const strictAjv = new Ajv({ allErrors: false, coerceTypes: false, useDefaults: true, strict: false });
const lenientAjv = new Ajv({ allErrors: false, coerceTypes: true, useDefaults: true, strict: false });
addFormats.default(strictAjv);
addFormats.default(lenientAjv);
const refuses = (validate: ValidateFunction, value: unknown) => !validate(structuredClone(value));

let server: TestServer;
const callers = new Map<string, Session | null>();
let routes: FuzzRoute[] = [];
/** What the runs sent and got, to show the generators are not degenerate. */
const sentKinds = new Map<string, number>();
const gotStatuses = new Map<number, number>();

beforeAll(async () => {
  server = await TestServer.start({ ratePerMinute: 10_000_000 });
  callers.set("operator", await server.login("operator"));
  callers.set("trader", await server.login("aktau-trader"));
  callers.set("anonymous", null);
  const api = (server.app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> }).paths;
  routes = registeredRoutes(server.app)
    .filter((route) => route.url.startsWith("/api") && !WEBSOCKET_ROUTES.has(routeName(route)))
    .map((route) => fuzzRoute(route, api));
});
afterAll(async () => {
  await server.close();
});

interface OpenApiOperation {
  readonly parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
  readonly requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

function fuzzRoute(route: RouteKey, api: Record<string, Record<string, OpenApiOperation>>): FuzzRoute {
  const openApiPath = route.url.replace(/:(\w+)/g, "{$1}");
  const operation = api[openApiPath]?.[route.method.toLowerCase()];
  if (operation === undefined) throw new Error(`${routeName(route)} is not in the OpenAPI description`);
  const parameters = operation.parameters ?? [];
  const inQuery = parameters.filter((p) => p.in === "query");
  const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const paramSchemas: Record<string, ValidateFunction> = {};
  for (const name of params) {
    const schema = parameters.find((p) => p.in === "path" && p.name === name)?.schema ?? { type: "string" };
    paramSchemas[name] = lenientAjv.compile(schema);
  }
  const query = lenientAjv.compile({
    type: "object",
    properties: Object.fromEntries(inQuery.map((p) => [p.name, p.schema])),
    required: inQuery.filter((p) => p.required).map((p) => p.name),
    additionalProperties: false,
  });
  const bodySchema = operation.requestBody?.content["application/json"]?.schema;
  const body = bodySchema === undefined ? null : strictAjv.compile(bodySchema);
  const properties = (bodySchema?.properties ?? {}) as Record<string, unknown>;
  return {
    method: route.method,
    url: route.url,
    params,
    paramSchemas,
    queryNames: inQuery.map((p) => p.name),
    query,
    bodyNames: Object.keys(properties),
    body,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Generators.

const nanLike = fc.constantFrom("NaN", "Infinity", "-Infinity", "1e999", "-0", "0x1F", "1_000", "١٢٣", "12abc", "");
const hugeOrNegative = fc.constantFrom(
  1e308,
  -1e308,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER,
  -1,
  0,
  0.5,
  -0.000001,
  1e21,
  2 ** 63,
);
const overlong = fc.integer({ min: 201, max: 5000 }).map((n) => "x".repeat(n));
const weird = fc.constantFrom(" ", "\u0000", "../..", "<script>", "' OR 1=1 --", "=cmd|' /C calc'!A0", "🔥", "\u202e");
const scalar = fc.oneof(
  hugeOrNegative,
  nanLike,
  overlong,
  weird,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
);
const junk = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }) },
);
const unknownName = fc.stringMatching(/^zz[A-Za-z0-9]{0,10}$/);

function pathOf(route: FuzzRoute, override: Readonly<Record<string, string>> = {}): string {
  return route.url.replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(override[name] ?? VALID_PARAMS[name] ?? "x"),
  );
}

function queryString(query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function requests(route: FuzzRoute): fc.Arbitrary<FuzzRequest> {
  const kinds: fc.Arbitrary<FuzzRequest>[] = [];
  // Query strings the route's schema refuses: unknown names, and known names with wrong values.
  const queryValue = fc.oneof(
    nanLike,
    overlong,
    weird,
    fc.string({ maxLength: 12 }),
    fc.array(fc.string(), { minLength: 2, maxLength: 3 }),
  );
  const knownQuery =
    route.queryNames.length === 0
      ? fc.constant({})
      : fc.dictionary(fc.constantFrom(...route.queryNames), queryValue, { maxKeys: 3 });
  kinds.push(
    fc
      .tuple(knownQuery, fc.dictionary(unknownName, queryValue, { maxKeys: 2 }))
      .map(([known, unknown]) => ({ ...known, ...unknown }))
      .filter((query) => refuses(route.query, query))
      .map((query) => ({ kind: "query", path: `${pathOf(route)}${queryString(query)}` })),
  );
  // Path parameters the schema refuses (never `.` or `..`, which a URL resolves as a path step to another route).
  if (route.params.length > 0) {
    kinds.push(
      fc
        .tuple(fc.constantFrom(...route.params), fc.oneof(overlong, weird, nanLike, fc.string({ maxLength: 80 })))
        .filter(([name, value]) => value !== "." && value !== ".." && refuses(route.paramSchemas[name]!, value))
        .map(([name, value]) => ({ kind: "params", path: pathOf(route, { [name]: value }) })),
    );
  }
  if (UNSAFE.has(route.method)) {
    const path = pathOf(route);
    const json = "application/json";
    kinds.push(
      fc
        .oneof(
          fc.constantFrom("{", '{"a":1', "[1,]", "NaN", '{"price": NaN}', "{'a':1}", '{"a":1}}', "\u0000", "undefined"),
          fc.string({ minLength: 1, maxLength: 200 }),
        )
        .filter((text) => text.trim() !== "" && !parses(text))
        .map((body) => ({ kind: "malformed JSON", path, contentType: json, body })),
      fc
        .tuple(
          fc.constantFrom(
            "text/plain",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/octet-stream",
          ),
          fc.oneof(fc.constant('{"reason":"x"}'), fc.string({ minLength: 1, maxLength: 100 })),
        )
        .map(([contentType, body]) => ({ kind: "content type", path, contentType, body })),
      fc.constant({
        kind: "oversized",
        path,
        contentType: json,
        body: JSON.stringify({ reason: "x".repeat(BODY_BYTES_OVER_LIMIT) }),
      }),
      bodies(route)
        .filter((value) => route.body === null || refuses(route.body, value))
        .map((value) => ({ kind: "body", path, contentType: json, body: JSON.stringify(value) })),
    );
  }
  return fc.oneof(...kinds);
}

/** JSON bodies: not objects at all, objects of unknown fields, or the route's fields with junk values. */
function bodies(route: FuzzRoute): fc.Arbitrary<unknown> {
  const known =
    route.bodyNames.length === 0
      ? fc.constant({})
      : fc.dictionary(fc.constantFrom(...route.bodyNames), junk, { minKeys: 1, maxKeys: route.bodyNames.length });
  return fc.oneof(
    scalar,
    fc.array(junk, { maxLength: 3 }),
    fc.tuple(known, fc.dictionary(unknownName, junk, { maxKeys: 2 })).map(([a, b]) => ({ ...a, ...b })),
  );
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------

interface State {
  readonly seq: number;
  readonly hash: string;
  readonly users: string;
}

async function state(): Promise<State> {
  const users = await server.users.users();
  const keys = await Promise.all(users.map((user) => server.users.apiKeysOf(user.id)));
  return {
    seq: server.exchange.projections.lastSeq,
    hash: server.exchange.engine.stateHash(),
    users: JSON.stringify([users, keys]),
  };
}

async function send(session: Session | null, route: FuzzRoute, request: FuzzRequest) {
  const headers: Record<string, string> = {};
  if (request.contentType !== undefined) headers["content-type"] = request.contentType;
  if (session !== null) {
    headers.cookie = session.cookie;
    headers["x-csrf-token"] = session.csrf;
  }
  const response = await fetch(`${server.url}${request.path}`, {
    method: route.method,
    headers,
    redirect: "manual",
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  let code: unknown = null;
  try {
    code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code ?? null;
  } catch {
    // not JSON: reported below
  }
  return { status: response.status, code, text: text.slice(0, 300) };
}

describe("API fuzzing", () => {
  it("fuzzes every REST route the server registers", () => {
    const all = registeredRoutes(server.app).filter((route) => route.url.startsWith("/api"));
    expect(routes.length).toBe(all.length - WEBSOCKET_ROUTES.size);
    expect(routes.length).toBeGreaterThan(50);
  });

  for (const caller of ["operator", "trader", "anonymous"] as const) {
    it(
      `as ${caller}: malformed requests get a 4xx with an error code and change nothing`,
      async () => {
        const session = callers.get(caller) ?? null;
        let index = 0;
        for (const route of routes) {
          index += 1;
          await fc.assert(
            fc.asyncProperty(requests(route), async (request) => {
              const before = await state();
              const reply = await send(session, route, request);
              sentKinds.set(request.kind, (sentKinds.get(request.kind) ?? 0) + 1);
              gotStatuses.set(reply.status, (gotStatuses.get(reply.status) ?? 0) + 1);
              const where = `${route.method} ${request.path.slice(0, 120)} (${request.kind}): ${reply.status} ${reply.text}`;
              expect(reply.status, where).toBeGreaterThanOrEqual(400);
              expect(reply.status, where).toBeLessThan(500);
              expect(reply.code, where).toMatch(/^[A-Z_]+$/);
              expect(await state(), where).toEqual(before);
            }),
            { seed: SEED + index, numRuns: RUNS_PER_ROUTE_AND_CALLER },
          );
        }
      },
      TEST_TIMEOUT_MS,
    );
  }

  it("sent every kind of malformed request and saw the statuses they call for", () => {
    expect([...sentKinds.keys()].sort()).toEqual([
      "body",
      "content type",
      "malformed JSON",
      "oversized",
      "params",
      "query",
    ]);
    expect([...gotStatuses.keys()].sort()).toEqual(expect.arrayContaining([400, 413]));
    const total = [...sentKinds.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(routes.length * 3 * RUNS_PER_ROUTE_AND_CALLER);
  });
});
