/**
 * The exchange server (Fastify): REST under /api with a generated OpenAPI description at /docs, WebSocket streams,
 * /metrics for operators, and the browser application at /.
 *
 * Defaults are strict: every route validates its input against a schema that rejects unknown fields and wrong types
 * (no type coercion of JSON bodies), bodies are limited in size, strings in length; every error is the registry's
 * code with its HTTP status and a sentence (errors.ts). A request turns into an engine command and waits for its
 * durable outcome; it never touches engine state itself.
 */

import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import websocket from "@fastify/websocket";
import { Ajv } from "ajv";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { QueueFullError, SequencerStoppedError } from "../journal/sequencer.ts";
import { asyncApiDocument } from "./asyncapi.ts";
import { Authenticator, type Principal } from "./auth.ts";
import type { RouteContext } from "./context.ts";
import {
  type Access,
  completeRouteContract,
  publishedDocument,
  ResponseContractError,
  responseSerializer,
  SECURITY_SCHEMES,
} from "./contract.ts";
import { DOCS_PAGE_OPTIONS } from "./docs-page.ts";
import { HttpProblem, sendProblem } from "./errors.ts";
import type { Exchange } from "./exchange.ts";
import { MemberRateLimiter } from "./member-rate.ts";
import { Metrics } from "./metrics.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { labRoutes } from "./routes/lab.ts";
import { operatorRoutes } from "./routes/operator/index.ts";
import { orderRoutes } from "./routes/orders.ts";
import { publicRoutes } from "./routes/public.ts";
import { regulatorRoutes } from "./routes/regulator/index.ts";
import { sessionRoutes } from "./routes/session.ts";
import { streamRoutes } from "./routes/streams.ts";
import { CLIENT_MESSAGES } from "./streams/protocol.ts";
import type { UserStore } from "./users.ts";
import { NAMED_SCHEMAS } from "./wire/named.ts";
import { STREAM_MESSAGES } from "./wire/stream.ts";

export const BODY_BYTES_MAX = 64 * 1024;
/** Requests per minute per principal (API key, user, or address for the public). */
export const RATE_PER_MINUTE_DEFAULT = 6000;
export const RATE_PER_MINUTE_PUBLIC = 1200;
export const RATE_PER_MINUTE_PER_MEMBER = 12_000;

declare module "fastify" {
  interface FastifyInstance {
    /** Responses and stream messages that broke the published contract (recorded when validateResponses is on). */
    contractViolations: string[];
    /** Each /api route's declared access policy, by "METHOD /url" (the access matrix test holds it to its rows). */
    routeAccess: ReadonlyMap<string, Access>;
  }
  interface FastifyRequest {
    principal: Principal;
    rawBody: string;
  }
}

export interface ServerOptions {
  readonly exchange: Exchange;
  readonly users: UserStore;
  /** Serve cookies with `Secure` (behind TLS). */
  readonly secureCookies?: boolean;
  /** Requests per minute per key/user; the public gets `ratePerMinutePublic` per address. */
  readonly ratePerMinute?: number;
  readonly ratePerMinutePublic?: number;
  /** Requests per minute shared by all users and keys of one member. */
  readonly ratePerMinutePerMember?: number;
  /** Log requests as JSON lines (default true; tests turn it off). */
  readonly logger?: boolean;
  /** Directory of the built web application; served at /. */
  readonly webRoot?: string;
  /**
   * Check every response against its declared schema and answer 500 naming the mismatch (tests turn this on; default
   * from SAUDA_VALIDATE_RESPONSES=1). Off, the schemas are documentation and responses are sent as built.
   */
  readonly validateResponses?: boolean;
}

export type Server = FastifyInstance;

export async function buildServer(options: ServerOptions): Promise<Server> {
  const { exchange, users } = options;
  const app = Fastify({
    // Structured JSON logs; `SAUDA_LOG_LEVEL=info` adds a line per request (the default shows warnings and errors).
    logger: options.logger === false ? false : { level: process.env.SAUDA_LOG_LEVEL ?? "warn" },
    bodyLimit: BODY_BYTES_MAX,
    genReqId: () => randomUUID(),
    ajv: { customOptions: {} },
    // Errors the router raises before any route runs (a malformed URL, a path parameter longer than the router
    // allows) are answered in the registry's shape too.
    frameworkErrors: (error, _request, reply) => {
      sendProblem(reply, new HttpProblem("REQUEST_INVALID", { reason: error.message.slice(0, 300) }));
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies: strict (no coercion, unknown fields are errors). Query strings and params: numbers may be written as text.
  const strict = new Ajv({
    allErrors: false,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  const lenient = new Ajv({
    allErrors: false,
    coerceTypes: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === "body" ? strict.compile(schema as object) : lenient.compile(schema as object),
  );
  const validateResponses = options.validateResponses ?? process.env.SAUDA_VALIDATE_RESPONSES === "1";
  app.setSerializerCompiler(responseSerializer(validateResponses));

  // Keep the raw body: API-key signatures cover the exact bytes sent.
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    request.rawBody = text;
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new HttpProblem("REQUEST_INVALID", { reason: "the body is not valid JSON" }), undefined);
    }
  });

  const auth = new Authenticator(users, exchange.clock);
  const metrics = new Metrics(exchange);
  const context: RouteContext = {
    exchange,
    users,
    auth,
    metrics,
    secureCookies: options.secureCookies ?? false,
    validateResponses,
    contractViolations: [],
  };
  app.decorate("contractViolations", context.contractViolations);

  await app.register(cookie);
  app.decorateRequest("principal", null as never);
  app.decorateRequest("rawBody", "");
  const memberLimit = new MemberRateLimiter(
    options.ratePerMinutePerMember ?? RATE_PER_MINUTE_PER_MEMBER,
    exchange.clock,
  );
  app.addHook("preHandler", async (request) => {
    request.principal = await auth.principal(request, request.rawBody ?? "");
    const member = request.principal.kind === "user" ? request.principal.user.member : null;
    if (member !== null) memberLimit.take(member);
  });

  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    max: (request: FastifyRequest) =>
      principalOf(request).kind === "public"
        ? (options.ratePerMinutePublic ?? RATE_PER_MINUTE_PUBLIC)
        : (options.ratePerMinute ?? RATE_PER_MINUTE_DEFAULT),
    keyGenerator: (request: FastifyRequest) => {
      const principal = principalOf(request);
      if (principal.kind === "user") return principal.keyId ? `key:${principal.keyId}` : `user:${principal.user.id}`;
      return `ip:${request.ip}`;
    },
    hook: "preHandler",
    errorResponseBuilder: (_request, context) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new HttpProblem(
        "RATE_LIMITED",
        { max: context.max, window: "minute", retryAfterSeconds },
        { "retry-after": String(retryAfterSeconds) },
      );
    },
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpProblem) return sendProblem(reply, error);
    if (error instanceof QueueFullError) {
      return sendProblem(reply, new HttpProblem("UNAVAILABLE", { state: "busy" }, { "retry-after": "1" }));
    }
    if (error instanceof SequencerStoppedError)
      return sendProblem(reply, new HttpProblem("UNAVAILABLE", { state: "stopping" }));
    if (error instanceof ResponseContractError) {
      // Our bug, not the caller's: the answer broke the published contract. Tests see what broke it.
      const reference = request.id;
      request.log.error({ err: error, reference }, "response breaks the API contract");
      return sendProblem(
        reply,
        new HttpProblem("INTERNAL", { reference, ...(validateResponses ? { contract: error.message } : {}) }),
      );
    }
    const fastifyError = error as {
      validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
      validationContext?: string;
      statusCode?: number;
      code?: string;
    };
    if (fastifyError.validation) {
      const first = fastifyError.validation[0];
      const where = `${fastifyError.validationContext ?? "request"}${first?.instancePath ?? ""}`;
      const extra = first?.params?.additionalProperty ? ` ('${String(first.params.additionalProperty)}')` : "";
      return sendProblem(
        reply,
        new HttpProblem("REQUEST_INVALID", { reason: `${where} ${first?.message ?? "is not valid"}${extra}` }),
      );
    }
    if (fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return sendProblem(reply, new HttpProblem("REQUEST_TOO_LARGE", { max: BODY_BYTES_MAX }));
    }
    if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return sendProblem(reply, new HttpProblem("REQUEST_INVALID", { reason: (error as Error).message }));
    }
    const reference = request.id;
    request.log.error({ err: error, reference }, "internal error");
    return sendProblem(reply, new HttpProblem("INTERNAL", { reference }));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new HttpProblem("NOT_FOUND", { method: request.method, url: request.url.slice(0, 200) })),
  );

  await app.register(swagger, {
    transformObject: (documents) =>
      publishedDocument((documents as { openapiObject: Record<string, unknown> }).openapiObject, NAMED_SCHEMAS),
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "sauda exchange API",
        version: "1",
        description:
          "Electronic trading of wholesale LPG. Prices are integer tiyn per tonne, quantities integer kg, money integer tiyn. Errors are {error:{code,message,details}}.",
      },
      components: {
        securitySchemes: SECURITY_SCHEMES,
        // The stream's messages, so that clients generate their types from this one document (asyncapi.ts).
        schemas: streamSchemas(),
      },
    },
  });
  await app.register(swaggerUi, DOCS_PAGE_OPTIONS);
  await app.register(websocket, { options: { maxPayload: BODY_BYTES_MAX } });

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    reply.header("content-type", "text/plain; version=0.0.4");
    return metrics.render();
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observeRequest(request.routeOptions.url ?? "unknown", request.method, reply.statusCode, reply.elapsedTime);
  });

  // Strict defaults for every API route (DESIGN.md: reject unknown fields): a route that declares no query fields
  // takes none, and an unsafe route that declares no body takes none (an empty object at most). A body whose fields
  // are all optional may be left out, and is then validated as `{}`.
  const operationIds = new Set<string>();
  const routeAccess = new Map<string, Access>();
  app.decorate("routeAccess", routeAccess);
  app.addHook("onRoute", (route) => {
    if (!route.url.startsWith("/api")) return;
    completeRouteContract(route, operationIds, routeAccess);
    if ((route as { websocket?: boolean }).websocket === true) return;
    const schema = route.schema ?? {};
    route.schema = schema;
    schema.querystring ??= NO_FIELDS;
    const methods = [route.method].flat();
    if (methods.every((method) => method === "GET" || method === "HEAD" || method === "OPTIONS")) return;
    schema.body ??= NO_FIELDS;
    const required = (schema.body as { required?: readonly string[] }).required ?? [];
    if (required.length === 0) {
      const given = route.preValidation === undefined ? [] : [route.preValidation].flat();
      route.preValidation = [...given, emptyBodyAsObject];
    }
  });

  await app.register(
    async (api) => {
      publicRoutes(api, context);
      sessionRoutes(api, context);
      orderRoutes(api, context);
      accountRoutes(api, context);
      operatorRoutes(api, context);
      regulatorRoutes(api, context);
      labRoutes(api, context);
      streamRoutes(api, context);
      api.get(
        "/asyncapi.json",
        {
          schema: {
            operationId: "asyncApiDocument",
            tags: ["streams"],
            summary: "The AsyncAPI 3 document of the WebSocket protocol at /api/stream",
            response: { 200: Type.Object({}, { additionalProperties: true }) },
          },
          config: { access: "public" },
        },
        async () => asyncApiDocument(),
      );
    },
    { prefix: "/api" },
  );

  const webRoot = options.webRoot ?? resolve(import.meta.dirname, "../../web/dist");
  if (existsSync(join(webRoot, "index.html"))) {
    await app.register(fastifyStatic, { root: webRoot, prefix: "/", wildcard: false });
    app.get("/*", { schema: { hide: true } }, (request, reply) => {
      // A path under /api that no route matched (e.g. a parameter longer than the router allows) is an API error,
      // not a page of the web application.
      if (request.url === "/api" || request.url.startsWith("/api/") || request.url.startsWith("/api?")) {
        return sendProblem(
          reply,
          new HttpProblem("NOT_FOUND", { method: request.method, url: request.url.slice(0, 200) }),
        );
      }
      return reply.sendFile("index.html");
    });
  } else {
    app.get("/", { schema: { hide: true } }, (_request, reply) =>
      reply
        .type("text/html")
        .send("<!doctype html><title>sauda</title><p>sauda exchange API: see <a href=/docs>/docs</a>."),
    );
  }
  return app as unknown as Server;
}

function streamSchemas(): Record<string, object> {
  return JSON.parse(JSON.stringify({ ...CLIENT_MESSAGES, ...STREAM_MESSAGES }));
}

const NO_FIELDS = Type.Object({}, { additionalProperties: false, examples: [{}] });

async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined) request.body = {};
}

function principalOf(request: FastifyRequest): Principal {
  return request.principal ?? { kind: "public" };
}
