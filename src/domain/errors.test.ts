/**
 * `describe` renders each code's stored English template. The sentences are stored in the journal (in rejection
 * events), so the renderer that cuts each template once must give, byte for byte, what the original one-pass regex
 * replacement gave: for every code, with details of every kind, missing and extra.
 */

import fc from "fast-check";
import { expect, it, describe as suite } from "vitest";
import { describe, ERRORS, type ErrorCode, type ErrorDetails } from "./errors.ts";

/** The renderer as it was: one regex replacement over the template. */
function reference(code: ErrorCode, details: ErrorDetails): string {
  return ERRORS[code].template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = details[name];
    return value === undefined ? "?" : typeof value === "string" ? value : JSON.stringify(value);
  });
}

const codes = Object.keys(ERRORS) as ErrorCode[];
const value = fc.oneof(
  fc.string(),
  fc.constantFrom("$&", "$1", "{x}", "$$"),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);

suite("describe", () => {
  it("renders every code as the regex replacement does", () => {
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.array(value, { minLength: 12, maxLength: 12 }), (code, values) => {
        const names = [...ERRORS[code].template.matchAll(/\{(\w+)\}/g)].map((found) => found[1]!);
        const details: Record<string, ErrorDetails[string]> = { unrelated: "x" };
        names.forEach((name, i) => {
          // Some placeholders left out: they render as "?".
          if (i % 5 !== 4) details[name] = values[i % values.length];
        });
        expect(describe(code, details)).toBe(reference(code, details));
      }),
      { seed: 20261205, numRuns: 2000 },
    );
    for (const code of codes) expect(describe(code)).toBe(reference(code, {}));
  });
});
