/**
 * The engine's private copy of a command, made without a JSON round trip when the command is plain data.
 *
 * The sequencer must give the engine exactly what replay will give it: the parsed text of the stored command. For a
 * command made only of strings, finite numbers, booleans, null, arrays and plain objects, a fresh deep copy is that
 * same value (`JSON.parse(JSON.stringify(copy))` is deep-equal to `copy`, key order included), and making it costs
 * about half of a stringify-and-parse. The sequencer stores the text of the copy, not of the original, so a getter or
 * an odd prototype on the caller's object cannot make the engine see something other than the journal holds.
 *
 * A property whose value is undefined is left out, as JSON leaves it out. Anything else JSON would change or drop (an
 * undefined array item or a hole, -0, NaN, Infinity, a function, a class instance or a null-prototype object, a
 * `__proto__` key, nesting deeper than `PLAIN_DEPTH_MAX`) makes `plainCommand` return `undefined`, and the caller
 * falls back to the round trip.
 */

/** Deepest nesting `plainCommand` copies; deeper values take the JSON round trip. */
export const PLAIN_DEPTH_MAX = 16;

/**
 * A deep copy of `value` made only of JSON-exact data, or `undefined` when `value` holds anything JSON would change
 * or drop.
 */
export function plainCommand(value: unknown): unknown {
  return copyPlain(value, 0);
}

function copyPlain(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // JSON writes -0 as 0 and non-finite numbers as null.
      return Number.isFinite(value) && !Object.is(value, -0) ? value : undefined;
    case "object": {
      if (value === null) return null;
      if (depth >= PLAIN_DEPTH_MAX) return undefined;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return undefined;
        const copy: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          const item = copyPlain(value[i], depth + 1);
          if (item === undefined) return undefined;
          copy[i] = item;
        }
        return copy;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
      const copy: Record<string, unknown> = {};
      for (const key in value) {
        // Assigning `__proto__` would set the copy's prototype instead of making a property.
        if (key === "__proto__" || !Object.hasOwn(value, key)) return undefined;
        const field = (value as Record<string, unknown>)[key];
        // JSON leaves out a property whose value is undefined; so does the copy.
        if (field === undefined) continue;
        const item = copyPlain(field, depth + 1);
        if (item === undefined) return undefined;
        copy[key] = item;
      }
      return copy;
    }
    default:
      return undefined;
  }
}
