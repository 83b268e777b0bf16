/**
 * Checks of parsed input that JSON schemas cannot express: a number JSON.parse made non-finite (`1e999` parses as
 * Infinity, which JSON cannot write back and which passes an "integer" schema without a maximum). Used on every HTTP
 * body and every WebSocket message.
 */

/** Where in a parsed JSON value a non-finite number is (e.g. `body.expireAt`), or null when there is none. */
export function nonFinitePath(value: unknown, path: string): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? null : path;
  if (typeof value !== "object" || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFinitePath(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key];
    // A field's path is made only when it is the culprit or holds more fields: a message's strings and numbers (most
    // of its fields) cost no string of their own.
    if (typeof field === "number") {
      if (!Number.isFinite(field)) return `${path}.${key}`;
    } else if (typeof field === "object" && field !== null) {
      const found = nonFinitePath(field, `${path}.${key}`);
      if (found !== null) return found;
    }
  }
  return null;
}
