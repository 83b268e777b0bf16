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
import { localize, unquotedDetails } from "../domain/messages.ts";
import { FIELD_KEYWORDS } from "../domain/messages-validation.ts";
import { formOfPattern, formWords } from "../domain/value-forms.ts";

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

/** What the schema validator (ajv, through Fastify) says of the first thing wrong with a request. */
export interface ValidationError {
  readonly keyword?: string;
  readonly instancePath?: string;
  readonly params?: Record<string, unknown>;
  /** The schema that holds the broken rule (ajv's `verbose`): a pattern's refusal reads the field's length from it. */
  readonly parentSchema?: unknown;
}

/** The most characters the field of a broken rule may have, from its schema; undefined when none is known. */
function lengthMaxOf(error: ValidationError | undefined): number | undefined {
  const schema = error?.parentSchema;
  const max = typeof schema === "object" && schema !== null ? (schema as { maxLength?: unknown }).maxLength : undefined;
  return typeof max === "number" ? max : undefined;
}

/**
 * The error to report from a validator's list. A union of literals (`Type.Union([Type.Literal("a"), ...])`) fails as
 * one `const` error per branch followed by the `anyOf` that holds them; reporting the first branch alone would name
 * one allowed value as if it were the only one. Such a run is reported as one `enum` error listing every value; a
 * `Type.Null()` branch among the literals (a `type` error "must be null") counts as the value null.
 */
export function reportedValidationError(
  errors: readonly (ValidationError & { readonly message?: string })[],
): (ValidationError & { readonly message?: string }) | undefined {
  const first = errors[0];
  const isNullBranch = (error: ValidationError | undefined) =>
    error?.keyword === "type" && error.params?.type === "null";
  if (first === undefined || (first.keyword !== "const" && !isNullBranch(first))) return first;
  const path = first.instancePath ?? "";
  const allowed: unknown[] = [];
  for (const error of errors) {
    if ((error.instancePath ?? "") !== path) return first;
    if (error.keyword === "const") {
      allowed.push(error.params?.allowedValue);
      continue;
    }
    if (isNullBranch(error)) {
      allowed.push(null);
      continue;
    }
    if (error.keyword !== "anyOf" || allowed.length < 2) return first;
    const list = allowed.map((value) => (typeof value === "string" ? value : JSON.stringify(value))).join(", ");
    return {
      keyword: "enum",
      instancePath: path,
      params: { allowedValues: allowed },
      message: `must be one of ${list}`,
    };
  }
  return first;
}

/** For a broken pattern that stands for a form of value: "must be a month as YYYY-MM" (the English reason); else null. */
export function patternInWords(error: ValidationError | undefined): string | null {
  if (error?.keyword !== "pattern") return null;
  const form = formOfPattern(error.params?.pattern);
  return form === null ? null : `must be ${formWords(form, "en", lengthMaxOf(error))}`;
}

/** The keywords whose rule is a number (ajv's `limit`, or `multipleOf`). */
const LIMIT_KEYWORDS = new Set([
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "multipleOf",
]);

/**
 * The details of a REQUEST_INVALID from schema validation, beside the validator's English `reason`: the rule broken
 * (`keyword`), the part of the request (`part`: body, querystring, params, headers), the field's path in it (`field`,
 * "legs/0/price"; for a missing or unexpected field, that field), and the rule's value (`limit`, `type`, `allowed`,
 * `pattern`, `format`). The Russian and Kazakh sentences are written from these (domain/messages-validation.ts).
 */
export function validationDetails(
  part: string | undefined,
  error: ValidationError | undefined,
  data?: unknown,
): ErrorDetails {
  const params = error?.params ?? {};
  const keyword = error?.keyword ?? "unknown";
  const path = (error?.instancePath ?? "").replace(/^\//, "");
  const child =
    keyword === "required"
      ? params.missingProperty
      : keyword === "additionalProperties"
        ? params.additionalProperty
        : undefined;
  const field = typeof child === "string" ? (path === "" ? child : `${path}/${child}`) : path;
  const details: Record<string, string | number | boolean | null> = { keyword, part: part ?? "request", field };
  const text = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? String(value)));
  if (LIMIT_KEYWORDS.has(keyword)) {
    const limit = params.limit ?? params.multipleOf;
    if (typeof limit === "number") details.limit = limit;
  }
  // A type may be a list (["string", "null"]); allowed values are written as one list, comma-separated.
  if (keyword === "type") details.type = Array.isArray(params.type) ? params.type.join(",") : text(params.type);
  if (keyword === "enum" && Array.isArray(params.allowedValues))
    details.allowed = params.allowedValues.map(text).join(", ");
  if (keyword === "const") details.allowed = text(params.allowedValue);
  if (keyword === "pattern") {
    details.pattern = text(params.pattern);
    // A pattern that stands for a form of value (a month, a day) names it, so the sentence can say it in words.
    const form = formOfPattern(params.pattern);
    if (form !== null) details.format = form;
    // An id's form names its length too, so one refusal says all a person must change.
    const lengthMax = lengthMaxOf(error);
    if (form !== null && lengthMax !== undefined) details.lengthMax = lengthMax;
  }
  if (keyword === "format") details.format = text(params.format);
  const sent = sentValue(part, keyword, path, data);
  if (sent !== undefined) details.value = sent.value;
  // A rule on the length: the length sent, in characters (the value itself may be cut short).
  if (sent?.length !== undefined && (keyword === "minLength" || keyword === "maxLength")) details.length = sent.length;
  return details;
}

/**
 * The keywords whose refusal is about the value sent at the field (so the sentence can name it): the field rules but
 * `required` (nothing was sent), and the rules on a value that have no field sentence.
 */
const VALUE_KEYWORDS: ReadonlySet<string> = new Set([
  ...FIELD_KEYWORDS.filter((keyword) => keyword !== "required"),
  "format",
  "multipleOf",
]);
/** Fields whose value is never repeated back: secrets a log or a screen must not show. */
const SECRET_FIELD = /pass|secret|token|otp|signature|key|code|credential/i;
/** The longest text sent that a refusal repeats; longer is cut with an ellipsis. */
export const SENT_VALUE_CHARS_MAX = 40;

/**
 * The value sent at the refused field (`data` is the part of the request the validator read, `path` the field's
 * JSON pointer in it), for a refusal about a value: a number or a boolean as is, text cut to SENT_VALUE_CHARS_MAX
 * characters; nothing for a header, a secret, an object or a list.
 */
function sentValue(
  part: string | undefined,
  keyword: string,
  path: string,
  data: unknown,
): { readonly value: string | number | boolean; readonly length?: number } | undefined {
  if (part === "headers" || !VALUE_KEYWORDS.has(keyword) || path === "") return undefined;
  let value = data;
  for (const raw of path.split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, segment)) return undefined;
    if (SECRET_FIELD.test(segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  if (typeof value === "number") return Number.isFinite(value) ? { value } : undefined;
  if (typeof value === "boolean") return { value };
  if (typeof value !== "string") return undefined;
  const characters = [...value];
  const length = characters.length;
  if (length <= SENT_VALUE_CHARS_MAX) return { value, length };
  return { value: `${characters.slice(0, SENT_VALUE_CHARS_MAX - 1).join("")}…`, length };
}

/** Thrown by handlers and guards; the error handler turns it into the response. */
export class HttpProblem extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  readonly headers: Readonly<Record<string, string>>;
  constructor(code: ErrorCode, given: ErrorDetails = {}, headers: Readonly<Record<string, string>> = {}) {
    const details = unquotedDetails(code, given);
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
