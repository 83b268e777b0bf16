/**
 * Who is asking: the principal of a request, from a session cookie (people in the browser) or a signed API-key
 * request (programs), and the guards routes use.
 *
 * - Sessions: a random 256-bit token in an HttpOnly, SameSite=Strict cookie (Secure when the server is behind TLS),
 *   kept in memory with an idle timeout; each session has a CSRF token that unsafe requests must echo in
 *   `X-CSRF-Token` (double submit). Restarting the server signs everyone out.
 * - API keys: see signing.ts. A key acts as its user, limited to its scopes (read, trade).
 * - Object-level access: a member's user reaches only its member's accounts (`requireAccount`).
 */

import { randomBytes } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { HttpProblem } from "./errors.ts";
import { ReplayGuard } from "./signing.ts";
import type { Role, Scope, User, Users } from "./users.ts";

export const SESSION_COOKIE = "sauda_session";
export const SESSION_IDLE_MS = 8 * 3600_000;
export const SESSIONS_MAX = 100_000;

export type Principal =
  | { readonly kind: "public" }
  | {
      readonly kind: "user";
      readonly user: User;
      readonly via: "session" | "key";
      readonly scopes: readonly Scope[];
      readonly keyId: string | null;
      readonly csrf: string | null;
    };

interface Session {
  readonly user: string;
  readonly csrf: string;
  lastSeenMs: number;
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private readonly endedListeners: (() => void)[] = [];
  constructor(private readonly clock: () => number) {}

  /** Called after a session was ended by sign-out or a user's sign-out everywhere (the streams close its sockets). */
  onEnded(listener: () => void): void {
    this.endedListeners.push(listener);
  }

  private ended(): void {
    for (const listener of this.endedListeners) listener();
  }

  create(user: string): { token: string; csrf: string } {
    this.prune();
    if (this.sessions.size >= SESSIONS_MAX) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    const token = randomBytes(32).toString("base64url");
    const csrf = randomBytes(32).toString("base64url");
    this.sessions.set(token, { user, csrf, lastSeenMs: this.clock() });
    return { token, csrf };
  }

  get(token: string): Session | undefined {
    const session = this.sessions.get(token);
    if (!session) return undefined;
    const now = this.clock();
    if (now - session.lastSeenMs > SESSION_IDLE_MS) {
      this.sessions.delete(token);
      return undefined;
    }
    session.lastSeenMs = now;
    return session;
  }

  delete(token: string): void {
    if (this.sessions.delete(token)) this.ended();
  }

  /** Signs a user out everywhere (suspension, password change). */
  deleteUser(user: string): void {
    let any = false;
    for (const [token, session] of this.sessions) {
      if (session.user === user) any = this.sessions.delete(token) || any;
    }
    if (any) this.ended();
  }

  private prune(): void {
    const now = this.clock();
    for (const [token, session] of this.sessions) {
      if (now - session.lastSeenMs > SESSION_IDLE_MS) this.sessions.delete(token);
    }
  }
}

export class Authenticator {
  readonly sessions: Sessions;
  private readonly replay = new ReplayGuard();

  constructor(
    private readonly users: Users,
    private readonly clock: () => number,
  ) {
    this.sessions = new Sessions(clock);
  }

  /** Resolves the principal; throws `HttpProblem` for a bad signature (never for a missing one). */
  async principal(request: FastifyRequest, rawBody: string): Promise<Principal> {
    const keyId = request.headers["x-sauda-key"];
    if (typeof keyId === "string") {
      const key = this.users.apiKey(keyId);
      const timestamp = Number(request.headers["x-sauda-timestamp"]);
      const signature = String(request.headers["x-sauda-signature"] ?? "");
      if (!key || key.revoked) throw new HttpProblem("AUTH_SIGNATURE_INVALID", { reason: "unknown or revoked key" });
      const secret = this.users.secretOf(key.id);
      if (secret === null) {
        throw new HttpProblem("AUTH_SIGNATURE_INVALID", {
          reason: "the key's secret cannot be opened with this exchange's secrets key",
        });
      }
      const verdict = this.replay.verify(
        secret,
        timestamp,
        signature,
        request.method,
        request.url,
        rawBody,
        this.clock(),
      );
      if (verdict !== "ok") {
        const reasons = {
          stale: "the timestamp is missing or more than 30 s away from the exchange's clock",
          "bad-signature": "the signature does not match the request",
          replayed: "this exact request was already received",
        } as const;
        throw new HttpProblem("AUTH_SIGNATURE_INVALID", { reason: reasons[verdict] });
      }
      const user = this.users.user(key.user);
      if (!user || user.disabled)
        throw new HttpProblem("AUTH_SIGNATURE_INVALID", { reason: "the key's user is disabled" });
      return { kind: "user", user, via: "key", scopes: key.scopes, keyId: key.id, csrf: null };
    }
    const token = request.cookies?.[SESSION_COOKIE];
    if (token) {
      const session = this.sessions.get(token);
      if (session) {
        const user = this.users.user(session.user);
        if (user && !user.disabled) {
          return { kind: "user", user, via: "session", scopes: ["read", "trade"], keyId: null, csrf: session.csrf };
        }
      }
    }
    return { kind: "public" };
  }
}

/**
 * The principal of a change another node forwarded for a browser session it resolved (forwarding.ts): the person as
 * that node's session says, with the session's CSRF token (the forwarded X-CSRF-Token is checked against it as
 * usual); the public when the user is gone or disabled, as a session of such a user is.
 */
export function forwardedSessionPrincipal(users: Users, session: { user: string; csrf: string }): Principal {
  const user = users.user(session.user);
  if (!user || user.disabled) return { kind: "public" };
  return { kind: "user", user, via: "session", scopes: ["read", "trade"], keyId: null, csrf: session.csrf };
}

/** The user behind a request, or 401. */
export function requireUser(principal: Principal, action: string): Extract<Principal, { kind: "user" }> {
  if (principal.kind !== "user") throw new HttpProblem("AUTH_REQUIRED", { action });
  return principal;
}

export function requireRole(
  principal: Principal,
  roles: readonly Role[],
  action: string,
): Extract<Principal, { kind: "user" }> {
  const user = requireUser(principal, action);
  if (!roles.includes(user.user.role)) throw new HttpProblem("FORBIDDEN", { role: user.user.role, action });
  return user;
}

export function requireScope(principal: Extract<Principal, { kind: "user" }>, scope: Scope, action: string): void {
  if (!principal.scopes.includes(scope)) throw new HttpProblem("FORBIDDEN_SCOPE", { scope, action });
}

/** Unsafe requests from a browser session must carry the session's CSRF token. */
export function checkCsrf(request: FastifyRequest, principal: Principal): void {
  if (principal.kind !== "user" || principal.via !== "session") return;
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return;
  if (request.headers["x-csrf-token"] !== principal.csrf) throw new HttpProblem("AUTH_CSRF");
}
