/**
 * Password hashing with scrypt (Node's crypto, no native add-on). Parameters follow OWASP's recommendation for scrypt
 * (N = 2^17, r = 8, p = 1: 128 MiB and a few hundred ms per hash) and are stored inside each hash, so they can be
 * raised later without invalidating existing passwords. Tests and the demo may pass lighter parameters explicitly.
 *
 * Format: `scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>`.
 */

import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

export interface ScryptParameters {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

export const RECOMMENDED_SCRYPT: ScryptParameters = { log2N: 17, r: 8, p: 1 };
/** For tests and the throw-away demo exchange only: fast to compute, still salted and memory-hard. */
export const LIGHT_SCRYPT: ScryptParameters = { log2N: 12, r: 8, p: 1 };

export const PASSWORD_LENGTH_MIN = 10;
export const PASSWORD_LENGTH_MAX = 200;
const KEY_LENGTH_BYTES = 32;
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
