/** What every route module is given: the running exchange, users, authentication, sign-in guard and metrics. */

import type { Authenticator } from "./auth.ts";
import type { Exchange } from "./exchange.ts";
import type { Metrics } from "./metrics.ts";
import type { Notifier } from "./notifier.ts";
import type { SecondFactors } from "./second-factor.ts";
import type { SignInGuard } from "./sign-in.ts";
import type { Users } from "./users.ts";

export interface RouteContext {
  readonly exchange: Exchange;
  readonly users: Users;
  readonly signIn: SignInGuard;
  /** Second-factor setups pending and the last code step accepted per user. */
  readonly secondFactors: SecondFactors;
  /**
   * A password hash of nothing, with this server's parameters: unknown users are checked against it. Made once, when
   * the server begins to listen or by the first sign-in that needs it sooner (which waits for it).
   */
  readonly standInHash: () => Promise<string>;
  readonly auth: Authenticator;
  readonly metrics: Metrics;
  /** Members' notifications: the live channel's source and the e-mail sender. */
  readonly notifier: Notifier;
  /** Serve cookies with `Secure` also over plain HTTP (a TLS-terminating proxy not marked by --trust-proxy). */
  readonly secureCookies: boolean;
  /** Check responses and stream messages against their schemas (tests); mismatches are recorded here. */
  readonly validateResponses: boolean;
  readonly contractViolations: string[];
  /** Sign-in attempts per minute from one address (the per-name backoff comes on top). */
  readonly signInPerMinute: number;
}
