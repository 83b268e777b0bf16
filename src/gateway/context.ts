/** What every route module is given: the running exchange, the user store, authentication and metrics. */

import type { Authenticator } from "./auth.ts";
import type { Exchange } from "./exchange.ts";
import type { Metrics } from "./metrics.ts";
import type { UserStore } from "./users.ts";

export interface RouteContext {
  readonly exchange: Exchange;
  readonly users: UserStore;
  readonly auth: Authenticator;
  readonly metrics: Metrics;
  readonly secureCookies: boolean;
  /** Check responses and stream messages against their schemas (tests); mismatches are recorded here. */
  readonly validateResponses: boolean;
  readonly contractViolations: string[];
}
