/**
 * What a program signs to call the API with a key (docs/api.md, "Signing in"): the headers it sends and the text its
 * HMAC-SHA256 covers. One statement of the format for both ends: the server's check (src/gateway/signing.ts) and the
 * exchange's own client (the demo market's agents, src/demo). The HMAC itself is computed with the platform's crypto
 * at each end; this module has no imports.
 */

export const KEY_HEADER = "x-sauda-key";
export const TIMESTAMP_HEADER = "x-sauda-timestamp";
export const SIGNATURE_HEADER = "x-sauda-signature";

/**
 * The text a request's signature covers: `<timestamp>\n<METHOD>\n<path with query>\n<hex SHA-256 of the body>`, with
 * the method upper-cased and the body's digest over its exact bytes (the empty string's digest for no body).
 */
export function signedText(timestampMs: number, method: string, pathWithQuery: string, bodySha256Hex: string): string {
  return `${timestampMs}\n${method.toUpperCase()}\n${pathWithQuery}\n${bodySha256Hex}`;
}
