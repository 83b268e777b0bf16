/**
 * Every region code the exchange knows has a name in the web catalogue in English, Russian and Kazakh, so no page
 * shows a raw code (a station in TURKISTAN, an instrument in ALMATY). The codes are read from the server's source
 * (the demo's instruments, members and stations, the lab's regions) and Kazakhstan's regions as stations name them.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const LANGUAGES = ["en", "ru", "kk"] as const;
/** Kazakhstan's regions and cities of republican significance, as station applications name them. */
const COUNTRY = [
  "KZ",
  "ABAI",
  "AKMOLA",
  "AKTOBE",
  "ALMATY",
  "ALMATY_CITY",
  "ALMATY_REGION",
  "ASTANA",
  "ATYRAU",
  "EKO",
  "KARAGANDA",
  "KOSTANAY",
  "KYZYLORDA",
  "MANGYSTAU",
  "NKO",
  "PAVLODAR",
  "SHYMKENT",
  "TURKESTAN",
  "TURKISTAN",
  "ULYTAU",
  "WKO",
  "WEST_KAZAKHSTAN",
  "ZHAMBYL",
  "ZHETISU",
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Region codes written in the server's source: `region: "ATYRAU"`, `labRegion: "ALMATY_CITY"` and the like. */
function codesInSource(): string[] {
  const codes = new Set<string>();
  for (const file of sources(join(ROOT, "src"))) {
    for (const match of readFileSync(file, "utf8").matchAll(/[rR]egion\w*: "([A-Z][A-Z0-9_]+)"/g)) codes.add(match[1]!);
  }
  return [...codes].sort();
}

function regionsOf(language: string): Record<string, string> {
  const catalogue = JSON.parse(readFileSync(join(ROOT, `web/src/i18n/${language}.json`), "utf8"));
  return catalogue.regions as Record<string, string>;
}

describe("region names in the web catalogue", () => {
  it("finds the demo's regions in the server's source", () => {
    expect(codesInSource()).toEqual(expect.arrayContaining(["ALMATY", "ALMATY_CITY", "ATYRAU", "KZ", "MANGYSTAU"]));
  });

  it.each(LANGUAGES)("names every region code in %s", (language) => {
    const names = regionsOf(language);
    const missing = [...new Set([...codesInSource(), ...COUNTRY])].filter((code) => !names[code]?.trim());
    expect(missing).toEqual([]);
  });

  it("names the same region codes in every language", () => {
    const keys = LANGUAGES.map((language) => Object.keys(regionsOf(language)).sort());
    expect(keys[1]).toEqual(keys[0]);
    expect(keys[2]).toEqual(keys[0]);
  });
});
