/**
 * A token bucket: at most `perSecond` takes per second on average, with bursts up to `perSecond`. Time comes from the
 * exchange's clock seam, so tests with a fixed clock get a fixed allowance and decide exactly when it refills.
 */

export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly perSecond: number,
    nowMs: number,
  ) {
    this.tokens = perSecond;
    this.lastMs = nowMs;
  }

  /** Takes one token if there is one. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whole seconds until one token is there again (at least 1: what a client is told to wait). */
  retryAfterSeconds(nowMs: number): number {
    this.refill(nowMs);
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond));
  }

  private refill(nowMs: number): void {
    // A clock that steps back (an operator's correction) refills nothing rather than draining the bucket.
    const elapsedMs = Math.max(0, nowMs - this.lastMs);
    this.lastMs = Math.max(this.lastMs, nowMs);
    this.tokens = Math.min(this.perSecond, this.tokens + (elapsedMs * this.perSecond) / 1000);
  }
}
