/**
 * How the server reports problems: every error response is `{"error": {"code", "message", "details"}}` with the error
 * registry's HTTP status, so clients can branch on the code and people can read the sentence. The registry is one
 * table (src/domain/errors.ts) holding the engine's rejections and the codes that exist only at the edge
 * (authentication, rate limits, request shape); this file only carries a code to the wire.
 *
 * Language. The sentence is written in the reader's language, chosen from the request's `Accept-Language` header
 * (English, Russian or Kazakh; English when the header names none of them), from the message catalogues by code
 * (domain/messages.ts). The `code` and `details` never change with the language.
 */

import type { FastifyReply, FastifyRequest } from "fastify";
import { describe, ERRORS, type ErrorCode, type ErrorDetails, type Problem } from "../domain/errors.ts";
import { chosenLanguageOfAcceptLanguage, LANGUAGE_DEFAULT, type Language } from "../domain/locale.ts";
import { localize } from "../domain/messages.ts";

/** Kept as a name for the edge's codes; every code is the registry's. */
export type AnyErrorCode = ErrorCode;

export function statusOf(code: ErrorCode): number {
  return ERRORS[code].httpStatus;
}

export function messageOf(code: ErrorCode, details: ErrorDetails): string {
  return describe(code, details);
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details: ErrorDetails };
}

export function errorBody(
  code: ErrorCode,
  details: ErrorDetails = {},
  language: Language = LANGUAGE_DEFAULT,
): ErrorBody {
  return { error: { code, message: localize(code, details, language), details } };
}

/** What `languageOf` needs of a request's principal (auth.ts), said here so that this file imports nothing of it. */
type Asker =
  | { readonly kind: "public" }
  | { readonly kind: "user"; readonly via: "session" | "key"; readonly user: { readonly language: Language | null } };

/**
 * The language to answer a request in. Precedence: (1) a route's own `lang` parameter, where it has one (the
 * route applies it before calling this); (2) the language a signed-in person saved (PUT /api/session/language) —
 * always for their browser session, and for their API keys when the request sends no Accept-Language; (3) the
 * request's Accept-Language; (4) English. A request refused before its caller is known (a malformed body, a bad
 * signature) is answered by (3).
 */
export function languageOf(request: Pick<FastifyRequest, "headers"> & { readonly principal?: Asker | null }): Language {
  const raw = request.headers["accept-language"];
  const header = Array.isArray(raw) ? raw[0] : raw;
  const principal = request.principal;
  const chosen = chosenLanguageOfAcceptLanguage(header);
  if (principal?.kind === "user" && principal.user.language !== null) {
    if (principal.via === "session" || chosen === null) return principal.user.language;
  }
  return chosen ?? LANGUAGE_DEFAULT;
}

/** Thrown by handlers and guards; the error handler turns it into the response. */
export class HttpProblem extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  readonly headers: Readonly<Record<string, string>>;
  constructor(code: ErrorCode, details: ErrorDetails = {}, headers: Readonly<Record<string, string>> = {}) {
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
  return reply
    .code(statusOf(problem.code))
    .header("content-language", languageOf(reply.request))
    .send(errorBody(problem.code, problem.details, languageOf(reply.request)));
}
