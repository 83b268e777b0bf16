/**
 * Sign-in defences that do not depend on what the attacker knows: every attempt costs the same, and guessing one
 * account's password slows down and is reported, whichever addresses it comes from.
 *
 * - Constant cost: an attempt for an unknown or disabled user checks the password against a stand-in hash made with
 *   this server's scrypt parameters at start, so its time is that of an existing user's (the route never skips the
 *   hash). Hashes made with other parameters are re-made at the user's next successful sign-in.
 * - Per-account backoff: counted by the user name tried (existing or not, so a lock-out tells nothing about which
 *   names exist). After `SIGN_IN_FAILURES_FREE` failures in a row, each further attempt must wait
 *   `SIGN_IN_BACKOFF_BASE_MS` × 2^(failures − free), at most `SIGN_IN_BACKOFF_MS_MAX`; a success clears the count. A
 *   name not tried for `SIGN_IN_FORGET_MS` is forgotten; at most `SIGN_IN_NAMES_TRACKED_MAX` names are tracked (the
 *   longest untried is dropped first). An attempt during the wait is refused before any hashing.
 * - Alerts: when a name reaches the free failures, and again each time its failures double, an alert goes to the
 *   operator (GET /api/admin/alerts, and the log). The newest `ALERTS_KEPT_MAX` are kept.
 */

export const SIGN_IN_FAILURES_FREE = 5;
export const SIGN_IN_BACKOFF_BASE_MS = 1000;
export const SIGN_IN_BACKOFF_MS_MAX = 15 * 60_000;
export const SIGN_IN_FORGET_MS = 24 * 3600_000;
export const SIGN_IN_NAMES_TRACKED_MAX = 100_000;
export const ALERTS_KEPT_MAX = 1000;

export interface SecurityAlert {
  readonly id: number;
  readonly timeMs: number;
  readonly kind: "sign-in-failures";
  /** The user name that was tried (it may not exist). */
  readonly user: string;
  readonly failures: number;
  /** The address of the last failed attempt. */
  readonly source: string;
  readonly message: string;
}

interface Failures {
  count: number;
  lastMs: number;
}

export class SignInGuard {
  private readonly failures = new Map<string, Failures>();
  private readonly alertsKept: SecurityAlert[] = [];
  private nextAlertId = 1;

  constructor(
    private readonly clock: () => number,
    private readonly onAlert: (alert: SecurityAlert) => void = () => {},
  ) {}

  /** How long `user` must wait before the next attempt; 0 when it may try now. */
  waitMs(user: string): number {
    const entry = this.failures.get(user);
    if (!entry) return 0;
    const now = this.clock();
    if (now - entry.lastMs > SIGN_IN_FORGET_MS) {
      this.failures.delete(user);
      return 0;
    }
    return Math.max(0, entry.lastMs + backoffMs(entry.count) - now);
  }

  failed(user: string, source: string): void {
    const now = this.clock();
    let entry = this.failures.get(user);
    if (entry) {
      this.failures.delete(user); // re-inserted below: the map stays in order of the last attempt
    } else {
      entry = { count: 0, lastMs: now };
      if (this.failures.size >= SIGN_IN_NAMES_TRACKED_MAX) this.failures.delete(this.failures.keys().next().value!);
    }
    entry.count++;
    entry.lastMs = now;
    this.failures.set(user, entry);
    const count = entry.count;
    // At the free failures and at each doubling after: 5, 10, 20, 40, ...
    if (count >= SIGN_IN_FAILURES_FREE && Number.isInteger(Math.log2(count / SIGN_IN_FAILURES_FREE))) {
      const alert: SecurityAlert = {
        id: this.nextAlertId++,
        timeMs: now,
        kind: "sign-in-failures",
        user,
        failures: count,
        source,
        message: `${count} failed sign-ins in a row for user name '${user}', the last from ${source}; each further attempt now waits ${backoffMs(count) / 1000} s`,
      };
      this.alertsKept.push(alert);
      if (this.alertsKept.length > ALERTS_KEPT_MAX) this.alertsKept.shift();
      this.onAlert(alert);
    }
  }

  succeeded(user: string): void {
    this.failures.delete(user);
  }

  /** Alerts, newest first. */
  alerts(): SecurityAlert[] {
    return [...this.alertsKept].reverse();
  }
}

/** The wait after `failures` failures in a row. */
export function backoffMs(failures: number): number {
  if (failures < SIGN_IN_FAILURES_FREE) return 0;
  return Math.min(SIGN_IN_BACKOFF_MS_MAX, SIGN_IN_BACKOFF_BASE_MS * 2 ** (failures - SIGN_IN_FAILURES_FREE));
}
