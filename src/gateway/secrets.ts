/**
 * API-key secrets at rest: sealed with AES-256-GCM under the secrets key (kept outside the database, journal/keys.ts)
 * before they enter the journal, opened only in memory when a signed request is checked. The database alone (or a
 * copy of it, or the journal exported for an audit) does not give a key's secret away.
 *
 * Format: `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts); the key id names which secrets key sealed it, so
 * older keys stay usable after a rotation. The associated data binds a sealed secret to its purpose (an API key's
 * secret, or a user's second factor), its API key and its user: moved to another record, it does not open.
 */

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { symmetricKeyId } from "../journal/keys.ts";

const VERSION = "v1";
const IV_BYTES = 12;

/** What a sealed secret is for: an API key's, or a user's second factor (second-factor.ts). */
export type SealPurpose = "api key" | "second factor";

function associatedData(keyId: string, user: string, purpose: SealPurpose): Buffer {
  return Buffer.from(`sauda ${purpose}\n${keyId}\n${user}`, "utf8");
}

/** Seals `secret` for API key `keyId` of `user` with the secrets key in use (the first). */
export function sealSecret(
  secretsKeys: readonly Buffer[],
  keyId: string,
  user: string,
  secret: string,
  purpose: SealPurpose = "api key",
): string {
  const key = secretsKeys[0]!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(associatedData(keyId, user, purpose));
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [VERSION, symmetricKeyId(key), iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/**
 * Whether `sealed` was sealed with the secrets key in use (the first), as its key id says: one sealed with an older key
 * still opens while that key is kept, and must be reissued before the older key is removed (docs/security.md).
 */
export function sealedWithCurrentKey(secretsKeys: readonly Buffer[], sealed: string): boolean {
  const parts = sealed.split(".");
  return parts.length === 5 && parts[0] === VERSION && parts[1] === symmetricKeyId(secretsKeys[0]!);
}

/** The secret, or null when it was not sealed for this key and user by one of `secretsKeys` (or was changed). */
export function openSecret(
  secretsKeys: readonly Buffer[],
  keyId: string,
  user: string,
  sealed: string,
  purpose: SealPurpose = "api key",
): string | null {
  const parts = sealed.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) return null;
  const key = secretsKeys.find((k) => symmetricKeyId(k) === parts[1]);
  if (!key) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(parts[2]!, "base64url"));
    decipher.setAAD(associatedData(keyId, user, purpose));
    decipher.setAuthTag(Buffer.from(parts[4]!, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(parts[3]!, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
