/**
 * The public board's indicative auction price, in words a reader of each language cannot misread: in Russian and
 * Kazakh a comma is the decimal mark, so a price and a volume written as "132 902, 70 т" read as 132 902,70.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tengePerTonne, tonnes } from "../../web/src/format.ts";
import { interpolate, lookup } from "../../web/src/i18n/lookup.ts";

const LOCALES = { en: "en-US", ru: "ru-RU", kk: "kk-KZ" } as const;

describe("the board's indicative price", () => {
  for (const [language, locale] of Object.entries(LOCALES)) {
    it(`in ${language}, the price and the volume are not two figures joined by a comma`, () => {
      const messages: unknown = JSON.parse(
        readFileSync(new URL(`../../web/src/i18n/${language}.json`, import.meta.url), "utf8"),
      );
      const template = lookup(messages, "board.indicative");
      expect(template).toBeDefined();
      const said = interpolate(template ?? "", {
        price: tengePerTonne(13_290_200, locale),
        volume: tonnes(70_000, locale),
      });
      expect(said).toContain(tengePerTonne(13_290_200, locale));
      // A digit, a comma and a digit again (with or without spaces between) is one number in ru and kk.
      expect(said).not.toMatch(/\d,[\s\u00a0\u202f]*\d+[\s\u00a0\u202f]*т/);
    });
  }
});
