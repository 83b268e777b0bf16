/**
 * The per-member request limit: all users and API keys of one member share one budget per minute, on top of the
 * per-key (or per-user) limit, so a member cannot multiply its allowance by adding keys. A fixed one-minute window per
 * member; the map of members is bounded by the number of members, which the exchange itself bounds.
 */

import { HttpProblem } from "./errors.ts";

export const WINDOW_MS = 60_000;

export class MemberRateLimiter {
  private readonly windows = new Map<string, { startMs: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: () => number,
  ) {}

  /** Counts one request of `member`; throws 429 RATE_LIMITED with Retry-After when the budget is spent. */
  take(member: string): void {
    const now = this.clock();
    let window = this.windows.get(member);
    if (!window || now - window.startMs >= WINDOW_MS) {
      window = { startMs: now, count: 0 };
      this.windows.set(member, window);
    }
    if (window.count >= this.perMinute) {
      const retryAfterSeconds = Math.max(1, Math.ceil((window.startMs + WINDOW_MS - now) / 1000));
      throw new HttpProblem(
        "RATE_LIMITED",
        { max: this.perMinute, window: "minute for the whole member", retryAfterSeconds },
        { "retry-after": String(retryAfterSeconds) },
      );
    }
    window.count++;
  }
}
