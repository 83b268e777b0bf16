/**
 * The demo's HTTP client of the exchange's public API: requests signed with one API key (docs/api.md, "Signing in";
 * the signed text's format is the domain's, src/domain/signing.ts), and the helpers that read a reply field by field.
 * The demo reaches the exchange only through this, exactly as a member's own program would.
 *
 * Promises: every request carries a fresh signature (timestamps strictly increase per key, because the server accepts
 * a signature once); a request the server does not answer within `REQUEST_TIMEOUT_MS` throws `ApiError`, as does a
 * reply that is not JSON or, for the readers below, has a field of the wrong shape; an error reply with a registry
 * code is returned, never thrown, by `request` (callers decide whether a refusal is an error).
 *
 * Order entry keeps to the rulebook's limit for members' software: a key's order-entry messages (new, amend, cancel:
 * `entry`) go one at a time, each sent at least `ORDER_ENTRY_GAP_MS` after the previous one was answered, so the
 * exchange stamps any three of them at least 1,000 ms apart and the `automated-entry` rule (docs/surveillance.md,
 * rule 6: three or more within less than 1,000 ms) never names a demo robot. The wait is the client's `wait`: real
 * time by default, the test's stepped clock in a test.
 */

import { createHash, createHmac } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { KEY_HEADER, SIGNATURE_HEADER, signedText, TIMESTAMP_HEADER } from "../domain/signing.ts";

/** A request the server has not answered by then is abandoned (and the step that sent it fails). */
export const REQUEST_TIMEOUT_MS = 10_000;
/**
 * Least time from the answer to one order-entry message of a key to the sending of its next: the rulebook lets members'
 * software send at most 2 a second (rule 6 raises at 3 within less than 1,000 ms), and two gaps of 500 ms span 1,000.
 */
export const ORDER_ENTRY_GAP_MS = 500;

/** The server gave no usable answer: no reply, an unexpected status, or a reply of the wrong shape. */
export class ApiError extends Error {
  override readonly name = "ApiError";
}

export interface ApiKeyCredentials {
  readonly keyId: string;
  readonly secret: string;
}

export interface ApiReply {
  readonly status: number;
  readonly body: unknown;
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Signed requests with one API key. Share one client among all users of the same key. */
export class ApiClient {
  private lastTimestampMs = 0;
  /** When the key's last order-entry message was answered, by `clock`. */
  private lastEntryMs = Number.NEGATIVE_INFINITY;
  /** The key's order-entry messages, one after another. */
  private entries: Promise<unknown> = Promise.resolve();
  requests = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly key: ApiKeyCredentials,
    private readonly clock: () => number,
    /** Waits (at least) this many ms of `clock`; real time by default. */
    private readonly wait: (ms: number) => Promise<void> = (ms) => sleep(ms),
  ) {}

  /**
   * An order-entry message (a new order, an amend, a cancel), sent once the key's previous one has been answered and
   * `ORDER_ENTRY_GAP_MS` have passed since; otherwise as `request`.
   */
  entry(method: Method, path: string, body?: unknown): Promise<ApiReply> {
    const sent = this.entries.then(async () => {
      for (let now = this.clock(); now < this.lastEntryMs + ORDER_ENTRY_GAP_MS; now = this.clock()) {
        await this.wait(this.lastEntryMs + ORDER_ENTRY_GAP_MS - now);
      }
      try {
        return await this.request(method, path, body);
      } finally {
        this.lastEntryMs = this.clock();
      }
    });
    this.entries = sent.catch(() => undefined);
    return sent;
  }

  async request(method: Method, path: string, body?: unknown): Promise<ApiReply> {
    const text = body === undefined ? "" : JSON.stringify(body);
    // The server accepts each signature once; two equal requests in the same millisecond would sign the same text.
    const timestampMs = Math.max(this.clock(), this.lastTimestampMs + 1);
    this.lastTimestampMs = timestampMs;
    this.requests++;
    const digest = createHash("sha256").update(text).digest("hex");
    const signature = createHmac("sha256", this.key.secret)
      .update(signedText(timestampMs, method, path, digest))
      .digest("hex");
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          [KEY_HEADER]: this.key.keyId,
          [TIMESTAMP_HEADER]: String(timestampMs),
          [SIGNATURE_HEADER]: signature,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: text }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ApiError(`${method} ${path}: no answer (${(error as Error).message})`);
    }
    const raw = await response.text();
    let parsed: unknown = null;
    try {
      parsed = raw === "" ? null : JSON.parse(raw);
    } catch {
      throw new ApiError(`${method} ${path}: ${response.status} with a body that is not JSON`);
    }
    return { status: response.status, body: parsed };
  }

  /** A request that must succeed with 2xx; anything else throws `ApiError` naming the status and the code. */
  async expect(method: Method, path: string, body?: unknown): Promise<unknown> {
    const reply = await this.request(method, path, body);
    if (reply.status < 200 || reply.status > 299) {
      const error = errorOf(reply.body);
      const detail = error === null ? "" : ` ${error.code}: ${error.message}`;
      throw new ApiError(`${method} ${path}: ${reply.status}${detail}`);
    }
    return reply.body;
  }
}

/** The registry code and sentence of an error reply (`{"error": {"code", "message"}}`), or null. */
export function errorOf(body: unknown): { code: string; message: string } | null {
  if (typeof body !== "object" || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === "string" ? { code, message: typeof message === "string" ? message : "" } : null;
}

/** The registry code of an error reply, or null. */
export function errorCodeOf(body: unknown): string | null {
  return errorOf(body)?.code ?? null;
}

/** A path segment, escaped. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

// -----------------------------------------------------------------------------------------------------------------
// Reading replies: each helper checks one field and names it when it is wrong.

export type Json = Readonly<Record<string, unknown>>;

export function object(value: unknown, what: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ApiError(`${what} is not an object`);
  return value as Json;
}

export function array(value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new ApiError(`${what} is not a list`);
  return value;
}

export function text(value: unknown, what: string): string {
  if (typeof value !== "string") throw new ApiError(`${what} is not a string`);
  return value;
}

export function integer(value: unknown, what: string): number {
  // Quantities that may exceed 2^53 in general arrive as decimal strings; the ones read here stay far below it.
  const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw new ApiError(`${what} is not an integer`);
  return n;
}

export function integerOrNull(value: unknown, what: string): number | null {
  return value === null || value === undefined ? null : integer(value, what);
}

export function big(value: unknown, what: string): bigint {
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) throw new ApiError(`${what} is not a decimal integer`);
  return BigInt(value);
}

export function bool(value: unknown, what: string): boolean {
  if (typeof value !== "boolean") throw new ApiError(`${what} is not true or false`);
  return value;
}
