/**
 * Write forwarding between the nodes of one exchange (docs/operations.md, "High availability"): a follower that
 * receives a change (POST, PUT, PATCH, DELETE under /api) passes it to the leader and answers with the leader's
 * answer, unchanged, so that a client connected to any node can trade.
 *
 * What is forwarded: the method, the path with its query exactly as the client sent it, the body's bytes exactly as
 * received, `Content-Type`, `Accept`, `Accept-Language`, the API-key headers (`X-Sauda-Key`, `-Timestamp`,
 * `-Signature`: the leader checks the signature itself, over the same method, path and bytes, so forwarding cannot
 * break it and the leader's replay guard sees every signed change once), `X-CSRF-Token`, and `X-Forwarded-For` with
 * the client's address. Not forwarded: the session cookie (sessions live in the memory of the node that signed the
 * person in; the follower resolves the session and vouches for the person instead) and `Origin` (checked on the
 * follower, whose origin the browser used).
 *
 * The mark. Every forwarded request carries `X-Sauda-Forwarded: <payload>.<mac>`: the payload (base64url JSON) names
 * the forwarding node, the client's address, the time, a random nonce and, for a browser session, the person and the
 * session's CSRF token; the MAC is HMAC-SHA256 under a key derived (HKDF) from the journal MAC key that every node of
 * the exchange holds, over the payload, the method, the path and the body's SHA-256. Only a node can make one: a
 * client that sends the header gets `403 FORWARDING_INVALID`, and so does a mark that is older than
 * `FORWARD_WINDOW_MS` (or as far in the future), names another request, or was already received (replay guard). A
 * node that receives a valid mark while it does not lead refuses with `NOT_LEADER`: a change is forwarded at most
 * once, never in a loop.
 *
 * Failures: no leader known, or the leader could not be reached → `503 LEADER_UNAVAILABLE` (nothing was done); the
 * connection failed after the request was sent, or no answer within `FORWARD_TIMEOUT_MS` → `503 LEADER_UNAVAILABLE`
 * saying the change may have been made (an order resent with the same clientOrderId is not placed twice).
 *
 * Bounds: `FORWARD_CONNECTIONS_MAX` connections to the leader (kept alive), `FORWARD_TIMEOUT_MS` per request,
 * `FORWARD_ANSWER_BYTES_MAX` per answer, `FORWARD_REPLAY_MAX` marks remembered.
 */

import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { HttpProblem } from "./errors.ts";

export const FORWARDED_HEADER = "x-sauda-forwarded";
/**
 * Changes a follower answers itself rather than forwarding ("METHOD /route"): signing in and out (a session lives in
 * the memory of the node that made it) and starting a policy-lab run (a simulation on this node's worker threads,
 * polled on this node; the journal is not written).
 */
export const LOCAL_CHANGES: ReadonlySet<string> = new Set([
  "POST /api/session",
  "DELETE /api/session",
  "POST /api/lab/runs",
]);
/** A mark is accepted this long after (or before) the time it names: the nodes' clocks must agree within it. */
export const FORWARD_WINDOW_MS = 30_000;
/** How long a follower waits for the leader's answer. */
export const FORWARD_TIMEOUT_MS = 10_000;
/** Connections a follower keeps to the leader at most. */
export const FORWARD_CONNECTIONS_MAX = 64;
/** The largest answer passed on (changes answer small bodies). */
export const FORWARD_ANSWER_BYTES_MAX = 4 * 1024 * 1024;
/** Marks remembered by the replay guard; when it is full, marks are refused rather than forgotten. */
export const FORWARD_REPLAY_MAX = 1_000_000;

const KEY_INFO = "sauda request forwarding v1";
const MAC_PREFIX = "sauda forwarded v1";
/** Request headers passed on to the leader as they came. */
const PASSED_REQUEST_HEADERS = [
  "content-type",
  "accept",
  "accept-language",
  "x-sauda-key",
  "x-sauda-timestamp",
  "x-sauda-signature",
  "x-csrf-token",
] as const;
/** Answer headers passed back to the client (the rest are the follower's own: security headers, length, dates). */
const PASSED_ANSWER_HEADERS = [
  "content-type",
  "content-language",
  "content-disposition",
  "retry-after",
  "x-sauda-leader",
  "location",
] as const;

/** A browser session the forwarding node resolved: the person, and the session's CSRF token. */
export interface ForwardedSession {
  readonly user: string;
  readonly csrf: string;
}

/** What a valid mark says. */
export interface Forwarded {
  /** The forwarding node (its advertised URL). */
  readonly node: string;
  /** The client's address as the forwarding node saw it. */
  readonly client: string;
  readonly timeMs: number;
  readonly session: ForwardedSession | null;
}

interface Payload extends Forwarded {
  readonly v: 1;
  readonly nonce: string;
}

/** The forwarding key of a journal MAC key: the same on every node that holds the exchange's keys. */
export function forwardingKey(macKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync("sha256", macKey, Buffer.alloc(0), KEY_INFO, 32));
}

function macOf(key: Uint8Array, payload: string, method: string, url: string, body: Uint8Array): Buffer {
  const digest = createHash("sha256").update(body).digest("hex");
  return createHmac("sha256", key).update(`${MAC_PREFIX}\n${payload}\n${method}\n${url}\n${digest}`).digest();
}

/** Makes and checks forwarding marks; remembers the marks it accepted for the window (replay guard). */
export class ForwardingSeal {
  private readonly keys: readonly Buffer[];
  private readonly seen = new Map<string, number>();

  /** `macKeys`: the journal MAC keys, the one in use first (marks are made with it, checked with any). */
  constructor(
    macKeys: readonly Uint8Array[],
    private readonly clock: () => number,
  ) {
    if (macKeys.length === 0) throw new Error("forwarding needs the journal MAC key");
    this.keys = macKeys.map(forwardingKey);
  }

  /** The header value for a request forwarded by `node` for `client`. */
  mark(
    forwarded: Omit<Forwarded, "timeMs">,
    method: string,
    url: string,
    body: Uint8Array,
    timeMs = this.clock(),
  ): string {
    const payload: Payload = {
      v: 1,
      node: forwarded.node,
      client: forwarded.client,
      timeMs,
      session: forwarded.session,
      nonce: randomBytes(16).toString("base64url"),
    };
    const text = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return `${text}.${macOf(this.keys[0]!, text, method, url, body).toString("hex")}`;
  }

  /** What a mark says, or FORWARDING_INVALID (not a node's mark, out of its window, or already received). */
  open(header: string, method: string, url: string, body: Uint8Array): Forwarded {
    const match = /^([A-Za-z0-9_-]{1,4096})\.([0-9a-f]{64})$/.exec(header);
    if (match === null) throw invalid("it is not a mark this exchange's nodes make");
    const [, text, macHex] = match as unknown as [string, string, string];
    const given = Buffer.from(macHex, "hex");
    if (!this.keys.some((key) => timingSafeEqual(given, macOf(key, text, method, url, body)))) {
      throw invalid("it is not a mark this exchange's nodes make");
    }
    const payload = parsePayload(text);
    if (payload === null) throw invalid("it is not a mark this exchange's nodes make");
    const now = this.clock();
    if (Math.abs(now - payload.timeMs) > FORWARD_WINDOW_MS) throw invalid("it is more than 30 s old");
    this.prune(now);
    if (this.seen.has(macHex) || this.seen.size >= FORWARD_REPLAY_MAX) throw invalid("it was already received");
    this.seen.set(macHex, payload.timeMs);
    return { node: payload.node, client: payload.client, timeMs: payload.timeMs, session: payload.session };
  }

  private prune(nowMs: number): void {
    for (const [mac, timeMs] of this.seen) {
      if (nowMs - timeMs <= FORWARD_WINDOW_MS) break; // insertion order is roughly time order
      this.seen.delete(mac);
    }
  }
}

function invalid(reason: string): HttpProblem {
  return new HttpProblem("FORWARDING_INVALID", { reason });
}

function parsePayload(text: string): Payload | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const p = value as Record<string, unknown>;
  const session = p.session as Record<string, unknown> | null | undefined;
  const sessionOk =
    session === null ||
    (typeof session === "object" && typeof session.user === "string" && typeof session.csrf === "string");
  if (
    p.v !== 1 ||
    typeof p.node !== "string" ||
    typeof p.client !== "string" ||
    !Number.isSafeInteger(p.timeMs) ||
    typeof p.nonce !== "string" ||
    !sessionOk
  ) {
    return null;
  }
  return value as Payload;
}

/** The leader's answer, to send back as it is. */
export interface ForwardAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** A request to pass on. */
export interface ForwardRequest {
  readonly method: string;
  /** Path and query exactly as the client sent them. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
  /** The mark (`ForwardingSeal.mark`). */
  readonly mark: string;
  readonly client: string;
}

/**
 * Passes requests to the leader over HTTP/1.1 with kept-alive connections (node:http, so that the path goes out
 * byte for byte as the client signed it: a URL parser would normalise it).
 */
export class Forwarder {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: FORWARD_CONNECTIONS_MAX });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: FORWARD_CONNECTIONS_MAX });
  private readonly timeoutMs: number;
  private readonly answerBytesMax: number;

  /** The bounds are the constants above; tests give smaller ones. */
  constructor(bounds: { readonly timeoutMs?: number; readonly answerBytesMax?: number } = {}) {
    this.timeoutMs = bounds.timeoutMs ?? FORWARD_TIMEOUT_MS;
    this.answerBytesMax = bounds.answerBytesMax ?? FORWARD_ANSWER_BYTES_MAX;
  }

  /** The leader's answer, or LEADER_UNAVAILABLE. */
  send(leaderUrl: string, request: ForwardRequest): Promise<ForwardAnswer> {
    let leader: URL;
    try {
      leader = new URL(leaderUrl);
    } catch {
      return Promise.reject(unavailable(leaderUrl, "the leader could not be reached, nothing was changed"));
    }
    const secure = leader.protocol === "https:";
    const headers: Record<string, string | string[]> = {};
    for (const name of PASSED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    headers["x-forwarded-for"] = request.client;
    headers[FORWARDED_HEADER] = request.mark;
    headers["content-length"] = String(request.body.byteLength);
    return new Promise<ForwardAnswer>((resolve, reject) => {
      let sent = false;
      const outgoing = (secure ? https : http).request(
        {
          protocol: leader.protocol,
          hostname: leader.hostname.replace(/^\[|\]$/g, ""),
          port: leader.port === "" ? (secure ? 443 : 80) : Number(leader.port),
          method: request.method,
          path: `${leader.pathname.replace(/\/+$/, "")}${request.url}`,
          headers,
          agent: secure ? this.httpsAgent : this.httpAgent,
          timeout: this.timeoutMs,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          answer.on("data", (chunk: Buffer) => {
            bytes += chunk.byteLength;
            if (bytes > this.answerBytesMax) {
              answer.destroy(new Error("the leader's answer is too large"));
              return;
            }
            chunks.push(chunk);
          });
          answer.on("error", () =>
            reject(unavailable(leaderUrl, "the leader's answer was lost, the change may have been made")),
          );
          answer.on("end", () => {
            const passed: Record<string, string> = {};
            for (const name of PASSED_ANSWER_HEADERS) {
              const value = answer.headers[name];
              if (typeof value === "string") passed[name] = value;
            }
            resolve({ status: answer.statusCode ?? 502, headers: passed, body: Buffer.concat(chunks) });
          });
        },
      );
      outgoing.on("socket", (socket) => {
        // A kept-alive socket is connected already; a new one once it connects. Only then can the leader have
        // seen the request.
        if (!socket.connecting) sent = true;
        else socket.once("connect", () => (sent = true));
      });
      outgoing.on("timeout", () => outgoing.destroy(new Error("timeout")));
      outgoing.on("error", () =>
        reject(
          unavailable(
            leaderUrl,
            sent
              ? "the leader's answer was lost, the change may have been made"
              : "the leader could not be reached, nothing was changed",
          ),
        ),
      );
      outgoing.end(request.body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

export function unavailable(leader: string | null, reason: LeaderUnavailableReason): HttpProblem {
  return new HttpProblem("LEADER_UNAVAILABLE", { leader: leader ?? "(not known yet)", reason }, { "retry-after": "1" });
}

/** Why a follower could not pass a change on; the last may have been made (resend it idempotently). */
export type LeaderUnavailableReason =
  | "no node leads the journal yet"
  | "the leader could not be reached, nothing was changed"
  | "the leader's answer was lost, the change may have been made";
