/**
 * Password hashing with scrypt (Node's crypto, no native add-on). Parameters follow OWASP's recommendation for scrypt
 * (N = 2^17, r = 8, p = 1: 128 MiB and a few hundred ms per hash) and are stored inside each hash, so they can be
 * raised later without invalidating existing passwords. Tests and the demo may pass lighter parameters explicitly.
 *
 * Format: `scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>`.
 *
 * The password policy (`passwordProblem`): at least `PASSWORD_LENGTH_MIN` characters (code points after NFKC, as the
 * hash sees them), not only white space, not one character repeated, not the user's own id or name, and not in the
 * list of common passwords (data/common-passwords.txt).
 */

import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN } from "../domain/limits.ts";

export interface ScryptParameters {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

export const RECOMMENDED_SCRYPT: ScryptParameters = { log2N: 17, r: 8, p: 1 };
/** For tests and the throw-away demo exchange only: fast to compute, still salted and memory-hard. */
export const LIGHT_SCRYPT: ScryptParameters = { log2N: 12, r: 8, p: 1 };

// The lengths are in domain/limits.ts, where the operator's and the administrator's forms read them too.
export { PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN };

const KEY_LENGTH_BYTES = 32;

/** Lower-case common passwords, loaded once. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  readFileSync(new URL("./data/common-passwords.txt", import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#")),
);

/** Why `password` may not be used (a sentence), or null when it meets the policy. */
export function passwordProblem(password: string, user: { id: string; name?: string }): string | null {
  const normalised = password.normalize("NFKC");
  const length = [...normalised].length;
  if (length < PASSWORD_LENGTH_MIN) {
    return `a password needs at least ${PASSWORD_LENGTH_MIN} characters, this one has ${length}`;
  }
  if (length > PASSWORD_LENGTH_MAX) {
    return `a password has at most ${PASSWORD_LENGTH_MAX} characters, this one has ${length}`;
  }
  if (normalised.trim() === "") return "a password may not be only white space";
  if (new Set(normalised).size === 1) return "a password may not be one character repeated";
  const lower = normalised.toLowerCase();
  if (lower === user.id.toLowerCase() || (user.name !== undefined && lower === user.name.toLowerCase())) {
    return "a password may not be the user's own id or name";
  }
  if (COMMON_PASSWORDS.has(lower)) return "this password is on the list of common passwords; choose another";
  return null;
}

/** Whether a stored hash was made with `params` (else it is re-made at the next sign-in). */
export function hashUses(stored: string, params: ScryptParameters): boolean {
  return stored.startsWith(`scrypt$${params.log2N}$${params.r}$${params.p}$`);
}
const SALT_LENGTH_BYTES = 16;

function derive(password: string, salt: Buffer, params: ScryptParameters): Promise<Buffer> {
  const N = 2 ** params.log2N;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      KEY_LENGTH_BYTES,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string, params: ScryptParameters = RECOMMENDED_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LENGTH_BYTES);
  const key = await derive(password, salt, params);
  return ["scrypt", params.log2N, params.r, params.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const params = { log2N: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
  if (!Number.isInteger(params.log2N) || params.log2N < 10 || params.log2N > 20) return false;
  const expected = Buffer.from(parts[5]!, "base64");
  const key = await derive(password, Buffer.from(parts[4]!, "base64"), params);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
