/**
 * The web pages name the exchange's time zone one way in each language: "Kazakhstan time" / "время Казахстана" /
 * "Қазақстан уақыты" (with UTC+5 where the offset is stated), as the ticket's expiry check, the outage periods and the
 * documents do. A sentence of the catalogues (web/src/i18n) that says "exchange time", "время биржи", "казахстанское
 * время" or "биржа уақыты" instead fails here, so one page (the ticket, whose label, check and footer once said it
 * three ways in Russian) no longer mixes them.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CATALOGUES = join(import.meta.dirname, "../../web/src/i18n");

/** Every sentence of a catalogue with its dotted key. */
function sentences(node: unknown, prefix = ""): [string, string][] {
  if (typeof node === "string") return [[prefix, node]];
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => sentences(value, prefix ? `${prefix}.${key}` : key));
}

const LANGUAGES = {
  en: {
    // Only the one wording: "exchange time", "Astana time", "local time" name the same zone otherwise.
    odd: /\bexchange(?:'s)? time\b|\bAstana time\b|\blocal time\b/i,
    /** A sentence that speaks of the zone at all. */
    zone: /UTC\s*\+\s*5|Kazakhstan time/,
    wording: /Kazakhstan time/,
  },
  ru: {
    odd: /врем(?:я|ени)\s+биржи|биржев\p{L}*\s+врем|казахстанск\p{L}*\s+врем|врем\p{L}*\s*[—-]?\s*казахстанск|астанинск\p{L}*\s+врем|местн\p{L}*\s+врем/iu,
    zone: /UTC\s*\+\s*5|врем(?:я|ени)\s+Казахстана/u,
    wording: /врем(?:я|ени)\s+Казахстана/u,
  },
  kk: {
    odd: /биржа(?:ның)?\s+уақыт|Астана\s+уақыт|жергілікті\s+уақыт/iu,
    zone: /UTC\s*\+\s*5|Қазақстан\s+уақыт/u,
    wording: /Қазақстан\s+уақыт/u,
  },
} as const;

describe("the time zone is named one way in each language of the web pages", () => {
  for (const [language, words] of Object.entries(LANGUAGES)) {
    const catalogue: unknown = JSON.parse(readFileSync(join(CATALOGUES, `${language}.json`), "utf8"));
    const all = sentences(catalogue);

    it(`${language}: no sentence names it otherwise than the one wording`, () => {
      const odd = all.filter(([, text]) => words.odd.test(text)).map(([key, text]) => `${key}: ${text}`);
      expect(odd).toEqual([]);
    });

    it(`${language}: every sentence that states the offset names the zone in the one wording`, () => {
      const speaking = all.filter(([, text]) => words.zone.test(text));
      // The footer, the ticket's expiry and the outage period at least.
      expect(speaking.length).toBeGreaterThanOrEqual(3);
      const without = speaking.filter(([, text]) => !words.wording.test(text)).map(([key, text]) => `${key}: ${text}`);
      expect(without).toEqual([]);
    });
  }
});
