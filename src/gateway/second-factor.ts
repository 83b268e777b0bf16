/**
 * A second factor for signing in: time-based one-time passwords (TOTP, RFC 6238, through the `otpauth` library) as
 * every authenticator app makes them — SHA-1, 6 digits, 30-second steps, a 20-byte secret.
 *
 * Setting one up takes two steps, so a user cannot lock themselves out with a secret their app never received: the
 * server draws a secret and keeps it pending for the signed-in user (`SETUP_PENDING_MS`, in memory only); the user adds
 * it to their app (the `otpauth://` address, as a QR code or typed) and confirms with a code it shows. Only then is the
 * secret sealed with the secrets key (secrets.ts; the engine and the database see it sealed) and journaled
 * (`user.secondFactor`). From then on signing in needs the password and a current code.
 *
 * A code is accepted for its own 30-second step and the one before and after (clocks drift, people type slowly), and
 * at most once: a code of a step at or before the last one accepted for that user is refused (a code seen over a
 * shoulder or replayed from a log does not open a second session). The last step accepted is kept in memory (at most
 * `USERS_TRACKED_MAX` users, the oldest dropped first; a restart forgets it, which reopens at most the current
 * 90 seconds of codes).
 */

import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";

export const TOTP_PERIOD_S = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of the current one a code may come from. */
export const TOTP_WINDOW = 1;
export const SETUP_PENDING_MS = 10 * 60_000;
const SECRET_BYTES = 20;
const USERS_TRACKED_MAX = 100_000;
const ISSUER = "sauda";

/** The purpose a TOTP secret is sealed for (secrets.ts): never confused with an API key's secret. */
export const SECOND_FACTOR_PURPOSE = "second factor";

function totp(user: string, secretBase32: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: user,
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The code an authenticator app shows for `secretBase32` at `timeMs` (the tests' and the demo's authenticator). */
export function totpCode(secretBase32: string, timeMs: number): string {
  return totp("user", secretBase32).generate({ timestamp: timeMs });
}

export interface SecondFactorSetup {
  /** Base32, as authenticator apps take it typed. */
  readonly secret: string;
  /** `otpauth://totp/...`: what a QR code for the app holds. */
  readonly uri: string;
  readonly expiresMs: number;
}

export class SecondFactors {
  private readonly pending = new Map<string, SecondFactorSetup>();
  private readonly lastStep = new Map<string, number>();

  constructor(private readonly clock: () => number) {}

  /** Draws a new secret for `user`, pending until confirmed or `SETUP_PENDING_MS` passes (a new one replaces it). */
  begin(user: string): SecondFactorSetup {
    const secret = new Secret({ buffer: randomBytes(SECRET_BYTES).buffer }).base32;
    const setup = { secret, uri: totp(user, secret).toString(), expiresMs: this.clock() + SETUP_PENDING_MS };
    this.pending.delete(user);
    this.pending.set(user, setup);
    for (const [name, other] of this.pending) {
      if (other.expiresMs > this.clock()) break;
      this.pending.delete(name);
    }
    return setup;
  }

  /** The pending secret if `code` is a current code of it (it stops being pending); null otherwise. */
  confirm(user: string, code: string): string | null {
    const setup = this.pending.get(user);
    if (setup === undefined || setup.expiresMs <= this.clock()) {
      this.pending.delete(user);
      return null;
    }
    if (!this.check(user, setup.secret, code)) return null;
    this.pending.delete(user);
    return setup.secret;
  }

  /** Whether a setup is pending for `user`. */
  isPending(user: string): boolean {
    return this.pendingSetup(user) !== null;
  }

  /** The setup pending for `user`, if any (what the user's app was given). */
  pendingSetup(user: string): SecondFactorSetup | null {
    const setup = this.pending.get(user);
    return setup !== undefined && setup.expiresMs > this.clock() ? setup : null;
  }

  /** True when `code` is a code of `secretBase32` for a step near now that was not used before by `user`. */
  check(user: string, secretBase32: string, code: string): boolean {
    if (!new RegExp(`^[0-9]{${TOTP_DIGITS}}$`).test(code)) return false;
    const now = this.clock();
    const delta = totp(user, secretBase32).validate({ token: code, timestamp: now, window: TOTP_WINDOW });
    if (delta === null) return false;
    const step = Math.floor(now / 1000 / TOTP_PERIOD_S) + delta;
    const last = this.lastStep.get(user);
    if (last !== undefined && step <= last) return false;
    this.lastStep.delete(user);
    this.lastStep.set(user, step);
    if (this.lastStep.size > USERS_TRACKED_MAX) this.lastStep.delete(this.lastStep.keys().next().value!);
    return true;
  }
}
