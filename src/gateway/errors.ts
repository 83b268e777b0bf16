/**
 * How the server reports problems: every error response is `{"error": {"code", "message", "details"}}` with the error
 * registry's HTTP status, so clients can branch on the code and people can read the sentence. Codes that exist only at
 * the edge (authentication, rate limits, request shape) are registered here beside the engine's.
 */

import type { FastifyReply } from "fastify";
import { describe, ERRORS, type ErrorCode, type ErrorDetails, type Problem } from "../domain/errors.ts";

export const GATEWAY_ERRORS = {
  REQUEST_INVALID: { httpStatus: 400, template: "The request is not valid: {reason}." },
  REQUEST_TOO_LARGE: { httpStatus: 413, template: "The request body is larger than {max} bytes." },
  NOT_FOUND: { httpStatus: 404, template: "No route {method} {url}." },
  AUTH_REQUIRED: { httpStatus: 401, template: "Sign in or sign the request with an API key to {action}." },
  AUTH_FAILED: { httpStatus: 401, template: "The user name or password is wrong." },
  AUTH_SIGNATURE_INVALID: { httpStatus: 401, template: "The request signature is not valid: {reason}." },
  AUTH_CSRF: {
    httpStatus: 403,
    template: "The CSRF token is missing or wrong; send the X-CSRF-Token header from GET /api/session.",
  },
  AUTH_BACKOFF: {
    httpStatus: 429,
    template:
      "Too many failed sign-ins for this user name: wait {retryAfterSeconds} s before the next attempt (the operator has been told).",
  },
  AUTH_ORIGIN: {
    httpStatus: 403,
    template: "Requests from origin {origin} are not accepted; this exchange accepts {allowed}.",
  },
  PASSWORD_WEAK: { httpStatus: 400, template: "The password is not accepted: {reason}." },
  FORBIDDEN: { httpStatus: 403, template: "Your role ({role}) may not {action}." },
  FORBIDDEN_SCOPE: { httpStatus: 403, template: "This API key lacks the '{scope}' scope needed to {action}." },
  FORBIDDEN_ACCOUNT: { httpStatus: 403, template: "Account '{account}' does not belong to your member." },
  RATE_LIMITED: {
    httpStatus: 429,
    template: "Too many requests: at most {max} per {window}; retry after {retryAfterSeconds} s.",
  },
  UNAVAILABLE: { httpStatus: 503, template: "The exchange is {state}; try again shortly." },
  SUBSCRIPTIONS_LIMIT: {
    httpStatus: 429,
    template: "This connection has {count} subscriptions, the most allowed is {max}; unsubscribe first.",
  },
  CANCEL_ON_DISCONNECT_LIMIT: {
    httpStatus: 429,
    template:
      "This connection guards {live} live orders with cancel-on-disconnect, the most allowed is {max}; cancel some or open another connection.",
  },
  LAB_SCENARIO_NOT_FOUND: { httpStatus: 404, template: "The policy lab has no scenario '{name}'; it has {known}." },
  LAB_SCENARIO_INVALID: {
    httpStatus: 400,
    template: "Scenario '{name}' with these settings is not valid: {reason}.",
  },
  LAB_RUN_NOT_FOUND: {
    httpStatus: 404,
    template:
      "No policy lab run '{id}': it never existed or was dropped to make room (the lab keeps the last {kept} finished runs); start it again.",
  },
  LAB_BUSY: {
    httpStatus: 503,
    template:
      "The policy lab is busy: {queued} runs are waiting, the most allowed is {max}; retry after {retryAfterSeconds} s.",
  },
  LAB_RUNS_PER_CALLER_LIMIT: {
    httpStatus: 429,
    template:
      "You have {active} policy lab runs waiting or running, the most allowed is {max}; wait for one to finish.",
  },
  LAB_RUN_TIMEOUT: {
    httpStatus: 504,
    template: "The simulation ran longer than {timeoutMs} ms and was stopped after {doneDays} of {days} days.",
  },
  LAB_RUN_FAILED: { httpStatus: 500, template: "The simulation failed: {reason}." },
  LAB_STOPPED: { httpStatus: 503, template: "The simulation was stopped because the server is shutting down." },
  INTERNAL: {
    httpStatus: 500,
    template:
      "Something went wrong on the exchange's side (reference {reference}); nothing was changed by this request unless its outcome says so.",
  },
} as const;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;
export type AnyErrorCode = ErrorCode | GatewayErrorCode;

export function statusOf(code: AnyErrorCode): number {
  return code in GATEWAY_ERRORS
    ? GATEWAY_ERRORS[code as GatewayErrorCode].httpStatus
    : ERRORS[code as ErrorCode].httpStatus;
}

export function messageOf(code: AnyErrorCode, details: ErrorDetails): string {
  if (code in GATEWAY_ERRORS) {
    return GATEWAY_ERRORS[code as GatewayErrorCode].template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = details[name];
      return value === undefined ? "?" : String(value);
    });
  }
  return describe(code as ErrorCode, details);
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details: ErrorDetails };
}

export function errorBody(code: AnyErrorCode, details: ErrorDetails = {}): ErrorBody {
  return { error: { code, message: messageOf(code, details), details } };
}

/** Thrown by handlers and guards; the error handler turns it into the response. */
export class HttpProblem extends Error {
  readonly code: AnyErrorCode;
  readonly details: ErrorDetails;
  readonly headers: Readonly<Record<string, string>>;
  constructor(code: AnyErrorCode, details: ErrorDetails = {}, headers: Readonly<Record<string, string>> = {}) {
    super(messageOf(code, details));
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  static of(problem: Problem): HttpProblem {
    return new HttpProblem(problem.code, problem.details);
  }
}

export function sendProblem(reply: FastifyReply, problem: HttpProblem): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply.code(statusOf(problem.code)).send(errorBody(problem.code, problem.details));
}
