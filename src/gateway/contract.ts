/**
 * The API contract: what every route under /api must declare, and the machinery that turns those declarations into
 * the published OpenAPI document and into checks.
 *
 * A route declares in its schema an `operationId` (camelCase, unique), `tags`, a `summary`, its request schemas and
 * a `response` schema for each success status; in its config it declares who may call it (`access`, one of the
 * policies below) and which registry codes it raises itself (`errors`). From these, `completeRouteContract` adds the
 * security requirement (cookie session with the CSRF header, or the signed API key with its three headers) and one
 * error response per status the route can answer with, each listing its codes. A route that lacks a declaration is
 * refused when the server is built, so an undocumented route can never be served.
 *
 * Responses are checked against their declared schemas when `validateResponses` is on (the test servers turn it on,
 * so every integration test is also a contract test): a response that does not match is a bug on the server's side
 * and answers 500 INTERNAL naming the mismatch. Otherwise responses are serialised with JSON.stringify and the
 * schemas are documentation only: a schema can never silently drop or coerce a field of a real answer.
 *
 * Conventions (docs/api.md, "Conventions"): response fields carry their unit last (`priceTiynPerTonne`, `quantityKg`,
 * `amountTiyn`, `...Ms` for epoch milliseconds, `...Bps` for basis points); totals that may exceed 2^53 are decimal
 * strings. A test walks every response schema and refuses bare `price`, `quantity`, `amount`, ... names.
 */

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { RouteOptions } from "fastify";
import { Type } from "typebox";
import { ERRORS, type ErrorCode } from "../domain/errors.ts";

/** Who may call a route: the rows of the access matrix (test/gateway/access-matrix.test.ts). */
export const ACCESS_POLICIES = [
  "public",
  "signedIn",
  /** Signed in with a password (a browser session), any role; an API key is refused (403). */
  "person",
  "memberRead",
  "memberTrade",
  /** The signed-in member's own notifications: its users (and their API keys with the read scope); not the consoles. */
  "memberOwn",
  /**
   * The signed-in member's own settings: its traders and its administrators, in a browser session or with a
   * trade-scoped key.
   */
  "memberOwnChange",
  /** A member's administrator, over the member's own users and API keys (reads with `read`, changes with `trade`). */
  "memberAdmin",
  "consoleRead",
  "operatorChange",
  "regulatorChange",
] as const;
export type Access = (typeof ACCESS_POLICIES)[number];

/**
 * The roles each policy admits at all, where a policy admits only some roles (the access matrix's columns). The
 * handlers check access in full (scope, account, CSRF) after validation; the server uses this only to refuse a
 * request that is both of a role the route never admits and invalid in shape with that role refusal (403), not with
 * the schema (400), so a caller learns nothing of a route's schema that it may not call.
 */
export const POLICY_ROLES: Readonly<Partial<Record<Access, readonly string[]>>> = {
  memberTrade: ["trader"],
  memberOwnChange: ["trader", "administrator"],
  memberAdmin: ["administrator"],
  consoleRead: ["operator", "regulator"],
  operatorChange: ["operator"],
  regulatorChange: ["regulator"],
};

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route (required on every /api route). */
    access?: Access;
    /** Registry codes the route raises beyond those every route of its access can answer with. */
    errors?: readonly ErrorCode[];
  }
}

export const ERROR_RESPONSE = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: "the error registry's stable code" }),
        message: Type.String({ description: "a sentence naming the offending value and the allowed range" }),
        details: Type.Record(Type.String(), Type.Unknown(), { description: "the values the sentence names" }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The security schemes of the OpenAPI document; see docs/api.md, "Signing in" and "API keys". */
export const SECURITY_SCHEMES = {
  session: {
    type: "apiKey",
    in: "cookie",
    name: "sauda_session",
    description: "The browser's session cookie, set by POST /api/session.",
  },
  csrf: {
    type: "apiKey",
    in: "header",
    name: "X-CSRF-Token",
    description: "With a session: the csrfToken from POST or GET /api/session, on every POST, PUT, PATCH and DELETE.",
  },
  apiKey: {
    type: "apiKey",
    in: "header",
    name: "X-Sauda-Key",
    description:
      "A program's API key id. Sent with X-Sauda-Timestamp (ms since epoch, within 30 s of the server's clock) and " +
      'X-Sauda-Signature = hex HMAC-SHA256(secret, "<timestamp>\\n<METHOD>\\n<path with query>\\n<hex sha256 of the body>"). ' +
      "On the /docs page: enter the key id and the secret in the signing box at the top (not under Authorize, which " +
      "sends the id alone, unsigned, and is refused); the page signs each call in the browser and never sends the " +
      "secret.",
  },
} as const;

const SESSION_READ = { session: [] };
const SESSION_WRITE = { session: [], csrf: [] };
const SIGNED = { apiKey: [] };

/** Codes any /api route can answer with, whatever its access (a bad signature is refused on every route). */
const COMMON_ERRORS: readonly ErrorCode[] = [
  "AUTH_SIGNATURE_INVALID",
  "REQUEST_INVALID",
  "REQUEST_TOO_LARGE",
  "REQUEST_MEDIA_TYPE",
  "RATE_LIMITED",
  "INTERNAL",
  "UNAVAILABLE",
  // A node that serves while its read models load (Exchange `deferViews`) refuses what needs them.
  "VIEWS_LOADING",
];

/** Codes of authentication and authorisation, by access policy. */
function accessErrors(access: Access, unsafe: boolean): readonly ErrorCode[] {
  if (access === "public") return [];
  const codes: ErrorCode[] = ["AUTH_REQUIRED", "FORBIDDEN_SCOPE"];
  if (access !== "signedIn") codes.push("FORBIDDEN");
  if (access === "memberRead" || access === "memberTrade") codes.push("FORBIDDEN_ACCOUNT");
  if (unsafe) codes.push("AUTH_CSRF");
  return codes;
}

function securityOf(access: Access, unsafe: boolean): object[] {
  if (access === "public") return [];
  return [unsafe ? SESSION_WRITE : SESSION_READ, SIGNED];
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const OPERATION_ID = /^[a-z][A-Za-z0-9]*$/;

export class RouteContractError extends Error {
  constructor(route: string, what: string) {
    super(`route ${route} breaks the API contract: ${what} (see src/gateway/contract.ts)`);
    this.name = "RouteContractError";
  }
}

/**
 * Fills in a route's security and error responses from its declarations, or refuses the route. Called from the
 * server's onRoute hook for every route under /api (WebSocket upgrades included: they are documented in
 * docs/asyncapi.json, and their HTTP refusals here).
 */
export function completeRouteContract(
  route: RouteOptions,
  operationIds: Set<string>,
  accessOf: Map<string, Access>,
): void {
  const methods = [route.method].flat().map(String);
  if (methods.every((method) => method === "HEAD")) return;
  const name = `${methods.join(",")} ${route.url}`;
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  route.schema = schema;
  const operationId = schema.operationId;
  if (typeof operationId !== "string" || !OPERATION_ID.test(operationId)) {
    throw new RouteContractError(name, "it needs an operationId in camelCase");
  }
  if (operationIds.has(operationId)) throw new RouteContractError(name, `operationId ${operationId} is taken`);
  operationIds.add(operationId);
  if (typeof schema.summary !== "string" || schema.summary.length === 0) {
    throw new RouteContractError(name, "it needs a summary");
  }
  if (!Array.isArray(schema.tags) || schema.tags.length === 0) throw new RouteContractError(name, "it needs tags");
  const access = route.config?.access;
  if (access === undefined || !ACCESS_POLICIES.includes(access)) {
    throw new RouteContractError(name, `it needs config.access, one of ${ACCESS_POLICIES.join(", ")}`);
  }
  const response = (schema.response ?? {}) as Record<string, unknown>;
  const websocket = (route as { websocket?: boolean }).websocket === true;
  const successes = Object.keys(response).filter((status) => /^2\d\d$/.test(status));
  if (successes.length === 0 && !websocket) {
    throw new RouteContractError(name, "it needs a response schema for its success status");
  }
  const unsafe = methods.some((method) => UNSAFE_METHODS.has(method));
  if (unsafe && schema.body !== undefined && !hasExamples(schema.body)) {
    throw new RouteContractError(name, "its request body schema needs examples");
  }
  schema.security = securityOf(access, unsafe);
  for (const method of methods) accessOf.set(`${method} ${route.url}`, access);

  // A request from a foreign origin is refused on every unsafe route and on WebSocket upgrades, before anything else.
  const origin: ErrorCode[] = unsafe || websocket ? ["AUTH_ORIGIN"] : [];
  const codes = new Set<ErrorCode>([
    ...COMMON_ERRORS,
    // A change sent to a follower of a shared journal is forwarded to the leader (forwarding.ts): refused when no
    // leader can take it, when a forwarding mark is not a node's, or when a forwarded change reaches a non-leader.
    ...(unsafe ? (["NOT_LEADER", "LEADER_UNAVAILABLE", "FORWARDING_INVALID"] as const) : []),
    ...origin,
    ...accessErrors(access, unsafe),
    ...(route.config?.errors ?? []),
  ]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const spec = ERRORS[code];
    if (spec === undefined) throw new RouteContractError(name, `it names an unknown error code ${String(code)}`);
    const list = byStatus.get(spec.httpStatus) ?? [];
    list.push(code);
    byStatus.set(spec.httpStatus, list);
  }
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    response[String(status)] = errorResponse(list.sort());
  }
  schema.response = response;
}

/**
 * The error bodies made so far, by their codes: routes that document the same codes for a status share one schema
 * object (as routes share other schema constants). Building each with typebox was a good part of building the
 * server's routes at a start; there are far fewer distinct lists of codes than routes.
 */
const ERROR_RESPONSES = new Map<string, ReturnType<typeof errorResponseOf>>();

/** The error body with `code` narrowed to the codes a route documents for one status: clients can switch on it. */
function errorResponse(codes: readonly ErrorCode[]) {
  const key = codes.join(",");
  let response = ERROR_RESPONSES.get(key);
  if (response === undefined) {
    response = errorResponseOf(codes);
    ERROR_RESPONSES.set(key, response);
  }
  return response;
}

function errorResponseOf(codes: readonly ErrorCode[]) {
  return Type.Object(
    {
      error: Type.Object(
        {
          code: Type.Enum(codes, { description: "the error registry's stable code" }),
          message: Type.String({ description: "a sentence naming the offending value and the allowed range" }),
          details: Type.Record(Type.String(), Type.Unknown(), { description: "the values the sentence names" }),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false, description: `Error codes: ${codes.join(", ")}.` },
  );
}

function hasExamples(body: unknown): boolean {
  const examples = (body as { examples?: unknown }).examples;
  return Array.isArray(examples) && examples.length > 0;
}

/** What the engine can refuse an order command with (new, amend, cancel), beyond the request's shape. */
export const ORDER_ENTRY_ERRORS: readonly ErrorCode[] = [
  // A field the engine reads past the request's shape (an expiry given to an order that is not GTD, a post-only flag).
  "FIELD_INVALID",
  "ORDER_ID_INVALID",
  "ORDER_ID_DUPLICATE",
  "ORDER_ID_REUSED",
  "ORDER_PRICE_INVALID",
  "ORDER_PRICE_REQUIRED",
  "ORDER_PRICE_NOT_ALLOWED",
  "ORDER_PRICE_OFF_TICK",
  "ORDER_QUANTITY_INVALID",
  "ORDER_QUANTITY_OFF_LOT",
  "ORDER_TIF_NOT_ALLOWED",
  "ORDER_EXPIRY_INVALID",
  "ORDER_POST_ONLY_INVALID",
  "ORDER_PRICE_OUTSIDE_BAND",
  "ORDER_PRICE_ABOVE_CEILING",
  "ORDER_PRICE_BELOW_FLOOR",
  "ORDER_LOTS_LIMIT",
  "ORDER_ACTIVE_LIMIT",
  "ORDER_CONCENTRATION_LIMIT",
  "ORDER_LIMIT_REACHED",
  "ORDER_MARKET_BUY_NOT_COVERED",
  "ORDER_NOT_FOUND",
  "ORDER_NOT_RESTING",
  "ORDER_AMEND_EMPTY",
  "ACCOUNT_NOT_FOUND",
  "ACCOUNT_NOT_ELIGIBLE",
  "ACCOUNT_ROLE_FORBIDDEN",
  "MEMBER_SUSPENDED",
  "INSTRUMENT_NOT_FOUND",
  "PHASE_CLOSED",
  "RISK_INSUFFICIENT_FUNDS",
  "RISK_INSUFFICIENT_VOLUME",
  "TIME_NOT_MONOTONIC",
  // An extra session sells only re-offered volume, whose order members cannot change (engine/remedies.ts).
  "EXTRA_SESSION_SELL_FORBIDDEN",
  "REOFFER_ORDER_LOCKED",
];

/** Thrown by a response serialiser when a response does not match its declared schema (a bug on our side). */
export class ResponseContractError extends Error {
  constructor(
    readonly route: string,
    readonly status: number,
    readonly problems: string,
  ) {
    super(`response ${status} of ${route} does not match its schema: ${problems}`);
    this.name = "ResponseContractError";
  }
}

/**
 * The serialiser for responses with a declared schema: JSON.stringify, after checking the value against the schema
 * when `validate` is on. Strings (CSV, HTML) are sent as they are.
 */
export function responseSerializer(validate: boolean) {
  const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
  addFormats.default(ajv);
  return ({
    schema,
    url,
    method,
    httpStatus,
  }: {
    schema: unknown;
    url: string;
    method: string;
    httpStatus?: string;
  }) => {
    if (!validate) return (data: unknown) => JSON.stringify(data);
    let check: ValidateFunction;
    try {
      check = ajv.compile(schema as object);
    } catch (error) {
      throw new ResponseContractError(`${method} ${url}`, Number(httpStatus), (error as Error).message);
    }
    return (data: unknown) => {
      if (!check(data)) {
        throw new ResponseContractError(`${method} ${url}`, Number(httpStatus), describeProblems(check.errors ?? []));
      }
      return JSON.stringify(data);
    };
  };
}

function describeProblems(errors: readonly ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map((error) => {
      const extra =
        error.keyword === "additionalProperties"
          ? ` '${String((error.params as { additionalProperty?: unknown }).additionalProperty)}'`
          : "";
      return `${error.instancePath || "/"} ${error.message ?? "is not valid"}${extra}`;
    })
    .join("; ");
}

/**
 * The OpenAPI document as published: error responses refer to one `Error` component and list their codes in
 * `x-error-codes` (the server still checks the code against that list), and every schema equal to a named one
 * (wire/named.ts) becomes a reference to its component. Pure: it builds a new document.
 */
export function publishedDocument(
  document: Record<string, unknown>,
  named: Readonly<Record<string, object>>,
): Record<string, unknown> {
  const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));
  const doc = plain(document) as {
    paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    components?: { schemas?: Record<string, unknown> };
  };
  const canonical = (value: unknown): string =>
    JSON.stringify(value, (_key, inner) =>
      inner !== null && typeof inner === "object" && !Array.isArray(inner)
        ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : inner,
    );
  const byText = new Map<string, string>();
  for (const [name, schema] of Object.entries(named)) byText.set(canonical(plain(schema)), name);

  const replace = (node: unknown, top: boolean): unknown => {
    if (node === null || typeof node !== "object") return node;
    if (Array.isArray(node)) return node.map((item) => replace(item, false));
    const name = top ? undefined : byText.get(canonical(node));
    if (name !== undefined) return { $ref: `#/components/schemas/${name}` };
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replace(value, false)]));
  };

  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const body = response as { description?: string; content?: Record<string, { schema?: unknown }> };
        const schema = body.content?.["application/json"]?.schema as
          | { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } }
          | undefined;
        const codes = schema?.properties?.error?.properties?.code?.enum;
        if (Number(status) >= 400 && codes !== undefined) {
          operation.responses![status] = {
            description: body.description ?? `Error codes: ${codes.join(", ")}.`,
            "x-error-codes": codes,
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          };
        }
      }
    }
  }
  if (doc.paths !== undefined) doc.paths = replace(doc.paths, true) as NonNullable<typeof doc.paths>;
  const schemas: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    schemas[name] = Object.fromEntries(
      Object.entries(schema as Record<string, unknown>).map(([key, value]) => [key, replace(value, false)]),
    );
  }
  for (const [name, schema] of Object.entries(named)) {
    // Inside a component, refer to the other components too (a console instrument holds safeguards, limits, ...).
    const text = plain(schema) as Record<string, unknown>;
    schemas[name] = Object.fromEntries(Object.entries(text).map(([key, value]) => [key, replace(value, false)]));
  }
  schemas.Error = plain(ERROR_RESPONSE);
  doc.components = { ...(doc.components ?? {}), schemas };
  return doc as Record<string, unknown>;
}
