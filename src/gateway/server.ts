/**
 * The exchange server (Fastify): REST under /api with a generated OpenAPI description at /docs, WebSocket streams,
 * /metrics for operators, and the browser application at /.
 *
 * Defaults are strict: every route validates its input against a schema that rejects unknown fields and wrong types
 * (no type coercion of JSON bodies), bodies are limited in size, strings in length; every error is the registry's
 * code with its HTTP status and a sentence (errors.ts). A request turns into an engine command and waits for its
 * durable outcome; it never touches engine state itself.
 *
 * Input and transport hardening (docs/security.md):
 * - A body must be valid UTF-8 and JSON without non-finite numbers (`1e999`); a URL must decode as UTF-8.
 * - Every unsafe request (POST, PUT, PATCH, DELETE) and every WebSocket upgrade that carries an `Origin` must come from
 *   this server's own origin or one in `allowedOrigins`; otherwise 403 `AUTH_ORIGIN`. (Programs send no Origin.)
 * - Security headers by @fastify/helmet: a Content-Security-Policy the web application runs under (scripts only from
 *   this origin, no framing), nosniff, a strict referrer policy; HSTS when served over TLS or behind a TLS proxy.
 * - Every /api answer is `Cache-Control: no-store`; cookies are `Secure` whenever the request came over HTTPS.
 * - /metrics needs an operator (session or API key); `sauda serve --metrics-port` serves it on a separate listener.
 * - On a follower of a shared journal, a change is forwarded to the leader and the leader's answer returned
 *   (forwarding.ts); a forwarding mark is checked before anything else runs.
 */

import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import websocket from "@fastify/websocket";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import type { FastifySchemaCompiler, FastifyValidationResult } from "fastify/types/schema.js";
import { Type } from "typebox";
import { TRADE_ID_LENGTH_MAX } from "../domain/ids.ts";
import { NotLeaderError } from "../journal/postgres-store.ts";
import { QueueFullError, SequencerStoppedError, SnapshotRefusedError } from "../journal/sequencer.ts";
import { asyncApiDocument } from "./asyncapi.ts";
import {
  Authenticator,
  forwardedSessionPrincipal,
  type Principal,
  requireRole,
  requireUser,
  SESSION_COOKIE,
} from "./auth.ts";
import type { RouteContext } from "./context.ts";
import {
  type Access,
  completeRouteContract,
  POLICY_ROLES,
  publishedDocument,
  ResponseContractError,
  responseSerializer,
  SECURITY_SCHEMES,
} from "./contract.ts";
import { DOCS_PAGE_OPTIONS } from "./docs-page.ts";
import { HttpProblem, patternInWords, reportedValidationError, sendProblem, validationDetails } from "./errors.ts";
import { type Exchange, ViewsLoadingError, WritesStoppedError } from "./exchange.ts";
import {
  FORWARDED_HEADER,
  type Forwarded,
  Forwarder,
  ForwardingSeal,
  LOCAL_CHANGES,
  unavailable,
} from "./forwarding.ts";
import { nonFinitePath } from "./input.ts";
import { MemberRateLimiter } from "./member-rate.ts";
import { Metrics } from "./metrics.ts";
import { type MailSettings, Notifier, smtpSender } from "./notifier.ts";
import { hashPassword, type ScryptParameters } from "./passwords.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { applicationRoutes } from "./routes/applications.ts";
import { deliveryRoutes } from "./routes/delivery.ts";
import { documentRoutes } from "./routes/documents.ts";
import { journalRoutes } from "./routes/journal.ts";
import { labRoutes } from "./routes/lab.ts";
import { memberUserRoutes } from "./routes/member-users.ts";
import { notificationRoutes } from "./routes/notifications.ts";
import { operatorRoutes } from "./routes/operator/index.ts";
import { orderRoutes } from "./routes/orders.ts";
import { outageRoutes } from "./routes/outages.ts";
import { publicRoutes } from "./routes/public.ts";
import { regulatorRoutes } from "./routes/regulator/index.ts";
import { remedyRoutes } from "./routes/remedies.ts";
import { sessionRoutes } from "./routes/session.ts";
import { streamRoutes } from "./routes/streams.ts";
import { SecondFactors } from "./second-factor.ts";
import { type SecurityAlert, SignInGuard } from "./sign-in.ts";
import { CLIENT_MESSAGES } from "./streams/protocol.ts";
import { Users } from "./users.ts";
import { NAMED_SCHEMAS } from "./wire/named.ts";
import { STREAM_MESSAGES } from "./wire/stream.ts";

export const BODY_BYTES_MAX = 64 * 1024;
/** The longest path parameter the router passes on to a route's schema: the longest id a path carries. */
export const PATH_PARAMETER_LENGTH_MAX = TRADE_ID_LENGTH_MAX;
/** Requests per minute per principal (API key, user, or address for the public). */
export const RATE_PER_MINUTE_DEFAULT = 6000;
export const RATE_PER_MINUTE_PUBLIC = 1200;
export const RATE_PER_MINUTE_PER_MEMBER = 12_000;
/** Sign-in attempts per minute from one address. */
export const SIGN_IN_PER_MINUTE = 20;

declare module "fastify" {
  interface FastifyInstance {
    /** Responses and stream messages that broke the published contract (recorded when validateResponses is on). */
    contractViolations: string[];
    /** Each /api route's declared access policy, by "METHOD /url" (the access matrix test holds it to its rows). */
    routeAccess: ReadonlyMap<string, Access>;
    /** Members' notifications: delivery to streams and e-mail, and the clock for deadlines (notifier.ts). */
    notifier: Notifier;
  }
  interface FastifyRequest {
    principal: Principal;
    /** A body that could not be read (not UTF-8, not JSON): refused after authentication, not before. */
    bodyProblem: HttpProblem | null;
    rawBody: string;
    /** The body's bytes as received (forwarded to the leader as they are). */
    rawBodyBytes: Buffer | null;
    /** What the forwarding mark says, for a change another node of the exchange forwarded (forwarding.ts). */
    forwarded: Forwarded | null;
  }
}

export interface ServerOptions {
  readonly exchange: Exchange;
  /** Users and API keys (from the journal); made from `exchange` with `passwordHashing` when not given. */
  readonly users?: Users;
  /** Second-factor setups pending and codes used (made on the exchange's clock when not given). */
  readonly secondFactors?: SecondFactors;
  /** scrypt parameters for password hashes made by this server (default: OWASP's recommendation). */
  readonly passwordHashing?: ScryptParameters;
  /** Serve cookies with `Secure` even over plain HTTP (behind a TLS proxy that is not trusted for headers). */
  readonly secureCookies?: boolean;
  /** Serve HTTPS with this certificate and key (PEM). */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Trust X-Forwarded-For/-Proto/-Host from a reverse proxy (which terminates TLS). */
  readonly trustProxy?: boolean;
  /** Origins (scheme://host[:port]) besides this server's own that may send unsafe requests and open streams. */
  readonly allowedOrigins?: readonly string[];
  /** The metrics to record into (to serve them on a separate listener too); made here when not given. */
  readonly metrics?: Metrics;
  /** Told of each security alert (failed sign-ins), besides the alert list and the log. */
  readonly onAlert?: (alert: SecurityAlert) => void;
  /** Requests per minute per key/user; the public gets `ratePerMinutePublic` per address. */
  readonly ratePerMinute?: number;
  readonly ratePerMinutePublic?: number;
  /** Sign-in attempts per minute from one address (default `SIGN_IN_PER_MINUTE`). */
  readonly signInPerMinute?: number;
  /** Requests per minute shared by all users and keys of one member. */
  readonly ratePerMinutePerMember?: number;
  /** Log requests as JSON lines (default true; tests turn it off). */
  readonly logger?: boolean;
  /** Where the log lines go (default standard output); tests read them here. */
  readonly logStream?: NodeJS.WritableStream;
  /** Directory of the built web application; served at /. */
  readonly webRoot?: string;
  /**
   * Check every response against its declared schema and answer 500 naming the mismatch (tests turn this on; default
   * from SAUDA_VALIDATE_RESPONSES=1). Off, the schemas are documentation and responses are sent as built.
   */
  readonly validateResponses?: boolean;
  /** The SMTP server notifications are e-mailed through; none: no e-mail (notifier.ts). */
  readonly mail?: MailSettings | null;
  /** Check the clock for deadline notifications by a timer (default true; tests with a fixed clock call `tick`). */
  readonly noticeTimer?: boolean;
}

export type Server = FastifyInstance;

/**
 * A route part's validator that compiles its schema on the first request that needs it. Compiling every route's
 * schemas when the server is built was the largest part of a start after loading the code (ajv: about 1.9 s of 6.6 s
 * of CPU before listening, load average 18, docs/operations.md "Restart"); a request pays only its own route's
 * compile, once. Fastify reads `errors` from the function it was given, so they are copied from ajv's.
 */
function compiledOnFirstUse(ajv: Ajv, schema: object): FastifyValidationResult {
  let validate: ValidateFunction | null = null;
  const checked: FastifyValidationResult = (data: unknown): boolean => {
    validate ??= ajv.compile(schema);
    const valid = validate(data) as boolean;
    checked.errors = validate.errors ?? null;
    return valid;
  };
  checked.errors = null;
  return checked;
}

export async function buildServer(options: ServerOptions): Promise<Server> {
  const { exchange } = options;
  const users =
    options.users ??
    new Users(exchange, options.passwordHashing === undefined ? {} : { scrypt: options.passwordHashing });
  // Bodies: strict (no coercion, unknown fields are errors). Query strings and params: numbers may be written as text.
  // `verbose`: an error carries its schema, so a refused id's form can name the id's length (errors.ts).
  const strict = new Ajv({
    allErrors: false,
    verbose: true,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  const lenient = new Ajv({
    allErrors: false,
    verbose: true,
    coerceTypes: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  // `format: "date"` and friends check real calendar dates (no 31 February).
  addFormats.default(strict);
  addFormats.default(lenient);
  const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
    compiledOnFirstUse(httpPart === "body" ? strict : lenient, schema as object);
  const validateResponses = options.validateResponses ?? process.env.SAUDA_VALIDATE_RESPONSES === "1";
  const serializerCompiler = responseSerializer(validateResponses);
  const onTls = options.tls !== undefined;
  const app = Fastify({
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    trustProxy: options.trustProxy ?? false,
    // Structured JSON logs; `SAUDA_LOG_LEVEL=info` adds a line per request (the default shows warnings and errors).
    logger:
      options.logger === false
        ? false
        : {
            level: process.env.SAUDA_LOG_LEVEL ?? "warn",
            ...(options.logStream === undefined ? {} : { stream: options.logStream }),
          },
    bodyLimit: BODY_BYTES_MAX,
    routerOptions: { maxParamLength: PATH_PARAMETER_LENGTH_MAX },
    genReqId: () => randomUUID(),
    ajv: { customOptions: {} },
    // The validator and serializer compilers of every route: given as the schema controller's, Fastify does not load
    // its default ones (its ajv compiler and fast-json-stringify, about 40 ms of a start) only to have them replaced.
    schemaController: {
      // Fastify's types name its default compilers' own signatures here; what the factories return is used as the
      // routes' compilers, as `setValidatorCompiler`/`setSerializerCompiler` install them (its schema-controller.js).
      compilersFactory: {
        buildValidator: (() => validatorCompiler) as never,
        buildSerializer: (() => serializerCompiler) as never,
      },
    },
    // Errors the router raises before any route runs (a malformed URL, a path parameter longer than the router
    // allows) are answered in the registry's shape too.
    frameworkErrors: (error, _request, reply) => {
      sendProblem(reply, new HttpProblem("REQUEST_INVALID", { reason: error.message.slice(0, 300) }));
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Keep the raw body: API-key signatures cover the exact bytes sent. Bytes that are not UTF-8 are refused rather than
  // stored as replacement characters, and numbers JSON cannot hold (1e999 parses as Infinity) rather than trusted.
  // Such a body is not refused here but kept as `bodyProblem` and refused once the caller is authenticated (the
  // principal hook below), so an anonymous caller hears that it must sign in, whatever it sent.
  app.decorateRequest("bodyProblem", null);
  const unreadable = (request: FastifyRequest, problem: HttpProblem) => {
    request.bodyProblem = problem;
    return undefined;
  };
  // JSON only: fastify's own text/plain parser would hand a route a string, and a signed body read so would then be
  // refused as a bad signature rather than for its type (REQUEST_MEDIA_TYPE, below).
  app.removeContentTypeParser("text/plain");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    let text: string;
    try {
      text = UTF8.decode(body as Buffer);
    } catch {
      return done(
        null,
        unreadable(request, new HttpProblem("REQUEST_INVALID", { reason: "the body is not valid UTF-8" })),
      );
    }
    request.rawBody = text;
    request.rawBodyBytes = body as Buffer;
    if (text.trim() === "") return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(
        null,
        unreadable(request, new HttpProblem("REQUEST_INVALID", { reason: "the body is not valid JSON" })),
      );
    }
    const bad = nonFinitePath(parsed, "body");
    if (bad !== null) {
      return done(
        null,
        unreadable(
          request,
          new HttpProblem("REQUEST_INVALID", { reason: `${bad} is a number too large to hold (not finite)` }),
        ),
      );
    }
    done(null, parsed);
  });

  const auth = new Authenticator(users, exchange.clock);
  const metrics = options.metrics ?? new Metrics(exchange);
  exchange.onInvariantCheck((passed, alarm) => {
    if (passed || alarm === null) return;
    if (alarm.where === "journal") {
      app.log.error(
        { alarm: "journal", seq: alarm.seq ?? null, atMs: alarm.atMs, problem: alarm.message },
        `journal record ${alarm.seq ?? "?"} was changed after it was written: the exchange refuses all changes (reads go on); run sauda verify, and restore the journal from a backup or find out who changed it`,
      );
      return;
    }
    app.log.error(
      { alarm: "invariant", where: alarm.where, atMs: alarm.atMs, problem: alarm.message },
      "engine invariant broken: the exchange refuses all changes until it is restarted from the journal",
    );
  });
  const signIn = new SignInGuard(exchange.clock, (alert) => {
    app.log.warn({ alert }, alert.message);
    options.onAlert?.(alert);
  });
  // Made once with this server's parameters, so an unknown user's sign-in costs what a known one's does. Made on
  // libuv's threads (a start used to wait about 0.8 s of CPU for it), once the server listens: made while it starts,
  // it took a core from the start for about 0.4 s of CPU with the recommended parameters (2 cores). A sign-in before
  // then makes it and waits for it.
  let standIn: Promise<string> | null = null;
  const standInHash = (): Promise<string> => {
    standIn ??= hashPassword(randomBytes(32).toString("hex"), users.scrypt);
    return standIn;
  };
  app.addHook("onListen", async () => {
    void standInHash();
  });
  const notifier = new Notifier(exchange, {
    send: options.mail ? smtpSender(options.mail) : null,
    onMailError: (error, mail) =>
      app.log.warn({ err: error, to: mail.to, subject: mail.subject }, "notification e-mail not sent"),
    ...(options.noticeTimer === undefined ? {} : { timer: options.noticeTimer }),
  });
  app.addHook("onClose", async () => {
    notifier.stop();
    await notifier.idle();
  });
  const context: RouteContext = {
    notifier,
    exchange,
    users,
    auth,
    metrics,
    signIn,
    secondFactors: options.secondFactors ?? new SecondFactors(exchange.clock),
    standInHash,
    secureCookies: options.secureCookies ?? false,
    signInPerMinute: options.signInPerMinute ?? SIGN_IN_PER_MINUTE,
    validateResponses,
    contractViolations: [],
  };
  app.decorate("contractViolations", context.contractViolations);
  app.decorate("notifier", notifier);

  // Origins: checked before validation and authentication, for unsafe methods and WebSocket upgrades. (In
  // preValidation rather than onRequest: a WebSocket upgrade refused in onRequest leaves its socket open.)
  const allowedOrigins = new Set((options.allowedOrigins ?? []).map((origin) => origin.replace(/\/+$/, "")));
  app.addHook("preValidation", async (request) => {
    try {
      decodeURIComponent(request.url);
    } catch {
      throw new HttpProblem("REQUEST_INVALID", { reason: "the URL is not valid UTF-8 (percent-encoding)" });
    }
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const upgrade = String(request.headers.upgrade ?? "").toLowerCase() === "websocket";
    if (SAFE_METHODS.has(request.method) && !upgrade) return;
    const own = `${request.protocol}://${request.host}`;
    if (origin !== own && !allowedOrigins.has(origin)) {
      throw new HttpProblem("AUTH_ORIGIN", {
        origin: origin.slice(0, 100),
        allowed: [own, ...allowedOrigins].join(", "),
      });
    }
  });

  // While the read models load behind a serving exchange (Exchange `deferViews`), every API route but the health
  // check, signing in and order entry is refused with VIEWS_LOADING (503, Retry-After): each reads them. Those
  // (`ORDER_ENTRY_WHILE_VIEWS_LOAD`) read only the engine and identity (users, API keys, accounts' members), which a
  // start restores first from its own snapshot (identity.ts): they are admitted once identity is there, signed with an
  // API key or with a session made meanwhile (sessions do not survive a restart). Refused here, before anything else
  // reads them. Non-API paths (the web application's files, the API's documents) do not read them.
  app.addHook("preValidation", async (request) => {
    if (exchange.viewsState === "ready") return;
    const route = request.routeOptions.url;
    if (route === undefined || !route.startsWith("/api") || route === "/api/health") return;
    if (exchange.identityReady && ORDER_ENTRY_WHILE_VIEWS_LOAD.has(`${request.method} ${route}`)) return;
    throw exchange.viewsRefusal();
  });

  // Write forwarding (forwarding.ts), after the origin check. A change another node forwarded carries a mark that
  // only the exchange's nodes can make: checked here, and refused with NOT_LEADER when this node does not lead (a
  // change is forwarded once, never in a loop). A change sent to a follower is passed to the leader, and the leader's
  // answer is sent back as it is; the follower checks nothing more (validation, authentication and rate limits are
  // the leader's, so the answer is the one the leader gives).
  const seal = new ForwardingSeal(exchange.keys.macKeys, exchange.clock);
  const forwarder = new Forwarder();
  app.addHook("onClose", async () => forwarder.close());
  app.decorateRequest("forwarded", null);
  app.decorateRequest("rawBodyBytes", null);
  app.addHook("preValidation", async (request, reply) => {
    if (SAFE_METHODS.has(request.method)) return;
    const route = request.routeOptions.url;
    if (route === undefined || !route.startsWith("/api")) return;
    const body = request.rawBodyBytes ?? NO_BYTES;
    const mark = request.headers[FORWARDED_HEADER];
    if (mark !== undefined) {
      request.forwarded = seal.open(String(mark), request.method, request.url, body);
      if (exchange.role === "follower") {
        throw new NotLeaderError("a forwarded change reached a node that does not lead", exchange.leaderUrl);
      }
      return;
    }
    if (exchange.role === "leader" || LOCAL_CHANGES.has(`${request.method} ${route}`)) return;
    const leader = exchange.leaderUrl;
    if (leader === null) {
      metrics.observeForward("LEADER_UNAVAILABLE");
      throw unavailable(null, "no node leads the journal yet");
    }
    const node = exchange.nodeUrl ?? `${request.protocol}://${request.host}`;
    // A browser session lives on this node: the follower vouches for its person (an API key is checked by the leader).
    const token = typeof request.headers["x-sauda-key"] === "string" ? undefined : request.cookies?.[SESSION_COOKIE];
    const session = token === undefined ? undefined : auth.sessions.get(token);
    const forwarded = {
      node,
      client: request.ip,
      session: session ? { user: session.user, csrf: session.csrf } : null,
    };
    const answer = await forwarder
      .send(leader, {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body,
        mark: seal.mark(forwarded, request.method, request.url, body),
        client: request.ip,
      })
      .catch((error: unknown) => {
        metrics.observeForward(error instanceof HttpProblem ? error.code : "INTERNAL");
        throw error;
      });
    metrics.observeForward("answered");
    reply.code(answer.status).headers(answer.headers).send(answer.body);
    return reply;
  });

  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React sets style attributes; the charts and Swagger UI set inline styles too.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", "blob:"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(onTls || options.trustProxy ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only where the browser reached us over TLS (directly or through the trusted proxy).
    strictTransportSecurity: onTls || options.trustProxy ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "no-referrer" },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onSend", async (request, reply, payload) => {
    if (request.url.startsWith("/api") && !reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });

  await app.register(cookie);
  app.decorateRequest("principal", null as never);
  app.decorateRequest("rawBody", "");
  const memberLimit = new MemberRateLimiter(
    options.ratePerMinutePerMember ?? RATE_PER_MINUTE_PER_MEMBER,
    exchange.clock,
  );
  // Authentication comes before validation (preValidation, after the origin check and forwarding): a caller who is
  // not signed in, or whose signature is bad, is refused as such whatever the body holds, and never learns the
  // schema of a route it may not call. Authorisation stays with each route's handler (it often needs the validated
  // body, as an order's account), after validation.
  app.addHook("preValidation", async (request) => {
    const forwardedSession = request.forwarded?.session ?? null;
    request.principal =
      forwardedSession !== null && typeof request.headers["x-sauda-key"] !== "string"
        ? forwardedSessionPrincipal(users, forwardedSession)
        : await auth.principal(request, request.rawBody ?? "");
    const access = request.routeOptions.config?.access;
    if (access !== undefined && access !== "public") requireUser(request.principal, "make this request");
    if (request.bodyProblem !== null) throw request.bodyProblem;
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
      return `ip:${request.forwarded?.client ?? request.ip}`;
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
    if (error instanceof NotLeaderError) {
      return sendProblem(
        reply,
        new HttpProblem(
          "NOT_LEADER",
          { leader: error.leader ?? "(not known yet)" },
          { "retry-after": "1", ...(error.leader ? { "x-sauda-leader": error.leader } : {}) },
        ),
      );
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
    if (error instanceof ViewsLoadingError) return sendProblem(reply, viewsLoadingProblem(error));
    if (error instanceof WritesStoppedError || error instanceof SnapshotRefusedError) {
      return sendProblem(
        reply,
        new HttpProblem("UNAVAILABLE", {
          state: "refusing changes after a failed consistency check (reads go on; the operator has been alerted)",
        }),
      );
    }
    const fastifyError = error as {
      validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
      validationContext?: string;
      statusCode?: number;
      code?: string;
    };
    if (fastifyError.validation) {
      // A role the route never admits hears that, not what the schema wants (the handler would refuse it anyway).
      const admitted = POLICY_ROLES[request.routeOptions.config?.access ?? "public"];
      const principal = principalOf(request);
      if (admitted !== undefined && principal.kind === "user" && !admitted.includes(principal.user.role)) {
        return sendProblem(
          reply,
          new HttpProblem("FORBIDDEN", { role: principal.user.role, action: "make this request" }),
        );
      }
      const first =
        unknownFieldFirst(request, fastifyError.validationContext, fastifyError.validation[0]) ??
        reportedValidationError(fastifyError.validation);
      const where = `${fastifyError.validationContext ?? "request"}${first?.instancePath ?? ""}`;
      const extra = first?.params?.additionalProperty ? ` ('${String(first.params.additionalProperty)}')` : "";
      return sendProblem(
        reply,
        new HttpProblem("REQUEST_INVALID", {
          reason: `${where} ${patternInWords(first) ?? first?.message ?? "is not valid"}${extra}`,
          ...validationDetails(
            fastifyError.validationContext,
            first,
            requestPart(request, fastifyError.validationContext),
          ),
        }),
      );
    }
    if (fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return sendProblem(reply, new HttpProblem("REQUEST_TOO_LARGE", { max: BODY_BYTES_MAX }));
    }
    // A body in any other type (or with none named) is refused for what it is, before its signature is checked: a
    // signed body fastify read as text would otherwise be refused as a bad signature.
    if (fastifyError.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      const contentType = request.headers["content-type"] ?? null;
      return sendProblem(reply, new HttpProblem("REQUEST_MEDIA_TYPE", { contentType }));
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

  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    requireRole(request.principal, ["operator"], "read the metrics");
    reply.header("content-type", "text/plain; version=0.0.4");
    reply.header("cache-control", "no-store");
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
    async (api) =>
      // The registrars keep references to the read models, which may still be loading (refused above until ready).
      exchange.wireViews(() => {
        publicRoutes(api, context);
        outageRoutes(api, context);
        sessionRoutes(api, context);
        orderRoutes(api, context);
        accountRoutes(api, context);
        deliveryRoutes(api, context);
        documentRoutes(api, context);
        remedyRoutes(api, context);
        memberUserRoutes(api, context);
        applicationRoutes(api, context);
        operatorRoutes(api, context);
        regulatorRoutes(api, context);
        labRoutes(api, context);
        journalRoutes(api, context);
        notificationRoutes(api, context);
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
      }),
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
      // A file of the web application built after this server started (a rebuild while it serves: new hashed
      // names) is not among the routes the static plugin made at start; serve it from the folder. A missing asset
      // is a 404, never the page: a browser given HTML for a script shows a blank page.
      const path = request.url.split("?")[0]!;
      if (path.startsWith("/assets/")) {
        const file = resolve(webRoot, `.${decodeURIComponentOrEmpty(path)}`);
        if (file.startsWith(`${resolve(webRoot, "assets")}${sep}`) && existsSync(file)) {
          return reply.sendFile(relative(webRoot, file));
        }
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
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const NO_BYTES = Buffer.alloc(0);
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined) request.body = {};
}

function principalOf(request: FastifyRequest): Principal {
  return request.principal ?? { kind: "public" };
}

function decodeURIComponentOrEmpty(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return "";
  }
}

/** The part of a request a schema refused (Fastify's validation context), so the refusal can name the value sent. */
/**
 * A required field missing beside a field the schema does not know, at the top of the body or query: the field sent
 * is reported, not the missing one. The validator checks `required` first, so a body with `price` where the route
 * wants `priceTiynPerTonne` was told "the price is not given", which it was (under another name).
 */
function unknownFieldFirst(
  request: FastifyRequest,
  part: string | undefined,
  first: { keyword?: string; instancePath?: string } | undefined,
): { keyword: string; instancePath: string; params: { additionalProperty: string }; message: string } | null {
  if (first?.keyword !== "required" || (first.instancePath ?? "") !== "") return null;
  if (part !== "body" && part !== "querystring") return null;
  const schema = (request.routeOptions.schema as Record<string, unknown> | undefined)?.[part] as
    | { properties?: Record<string, unknown>; additionalProperties?: unknown }
    | undefined;
  const data = requestPart(request, part);
  if (schema?.properties === undefined || schema.additionalProperties !== false) return null;
  if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
  const unknown = Object.keys(data).find((key) => !Object.hasOwn(schema.properties!, key));
  if (unknown === undefined) return null;
  return {
    keyword: "additionalProperties",
    instancePath: "",
    params: { additionalProperty: unknown },
    message: "must NOT have additional properties",
  };
}

function requestPart(request: FastifyRequest, part: string | undefined): unknown {
  if (part === "body") return request.body;
  if (part === "querystring") return request.query;
  if (part === "params") return request.params;
  return undefined;
}

/**
 * The routes that read only the engine and identity (order-entry.ts): served while the read models load, once identity
 * was restored first. Their acknowledgement's `order` is null meanwhile (it is the accounts read model's copy).
 */
export const ORDER_ENTRY_WHILE_VIEWS_LOAD: ReadonlySet<string> = new Set([
  // Signing in and out, and who is signed in: users (identity) and the sessions in memory, for order entry by session.
  "POST /api/session",
  "GET /api/session",
  "DELETE /api/session",
  "POST /api/orders",
  "PATCH /api/accounts/:account/orders/:clientOrderId",
  "DELETE /api/accounts/:account/orders/:clientOrderId",
  "POST /api/accounts/:account/mass-cancel",
  // The WebSocket upgrade: its order entry reads the engine and identity as the routes above do; what reads the read
  // models on the socket (subscriptions, cancel-on-disconnect) is refused there with VIEWS_LOADING until they are
  // loaded (streams/connection.ts).
  "GET /api/stream",
]);

/**
 * The answer while the read models load behind a serving exchange: 503 with how far they are and Retry-After (their
 * load takes seconds; a client polling every second sees the answer change when they are ready). Read models that
 * failed to load answer the same: the node stops (`onFatal`) and the next start loads them again.
 */
export function viewsLoadingProblem(error: ViewsLoadingError): HttpProblem {
  return new HttpProblem("VIEWS_LOADING", { seq: error.seq, head: error.headSeq }, { "retry-after": "1" });
}
