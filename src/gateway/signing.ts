/**
 * Signed requests for programs (API keys). A request carries:
 *   X-Sauda-Key: <key id>
 *   X-Sauda-Timestamp: <ms since epoch>
 *   X-Sauda-Signature: hex HMAC-SHA256(secret, "<timestamp>\n<METHOD>\n<path with query>\n<hex sha256 of the body>")
 * The timestamp must be within `SIGNATURE_WINDOW_MS` of the server's clock, and a signature is accepted once: a replay
 * inside the window is refused (the replay cache holds signatures only as long as the window, bounded in size).
 * The signed text's format is the domain's (src/domain/signing.ts), shared with the exchange's own client.
 */

import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { signedText } from "../domain/signing.ts";

export const SIGNATURE_WINDOW_MS = 30_000;
export const REPLAY_CACHE_MAX = 1_000_000;

export function bodyDigest(body: string | Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

export function sign(secret: string, timestampMs: number, method: string, path: string, body: string | Buffer): string {
  return createHmac("sha256", secret)
    .update(signedText(timestampMs, method, path, bodyDigest(body)))
    .digest("hex");
}

export type SignatureVerdict = "ok" | "stale" | "bad-signature" | "replayed";

/** Remembers accepted signatures for the window so a captured request cannot be sent again. */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  verify(
    secret: string,
    timestampMs: number,
    signature: string,
    method: string,
    path: string,
    body: string | Buffer,
    nowMs: number,
  ): SignatureVerdict {
    if (!Number.isSafeInteger(timestampMs) || Math.abs(nowMs - timestampMs) > SIGNATURE_WINDOW_MS) return "stale";
    const expected = Buffer.from(sign(secret, timestampMs, method, path, body), "hex");
    const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "bad-signature";
    this.prune(nowMs);
    if (this.seen.has(signature)) return "replayed";
    if (this.seen.size >= REPLAY_CACHE_MAX) return "replayed"; // full: refuse rather than forget
    this.seen.set(signature, timestampMs);
    return "ok";
  }

  private prune(nowMs: number): void {
    for (const [signature, timestampMs] of this.seen) {
      if (nowMs - timestampMs <= SIGNATURE_WINDOW_MS) break; // insertion order is roughly time order
      this.seen.delete(signature);
    }
  }
}
