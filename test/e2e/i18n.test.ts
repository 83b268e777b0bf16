/**
 * The web application's translations (web/src/i18n/*.json) stay complete: every language has exactly the English
 * keys, every placeholder of an English sentence appears in its translation, and every literal key the components
 * ask for exists, each resolved the way the application resolves it (web/src/i18n/lookup.ts: a key whose last parts hold
 * dots, such as `regulator.commands.order.new`, must still be found). Runs without a browser.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMAND_TYPES } from "../../src/engine/commands.ts";
import { OBLIGATION_STATUS, ORDER_STATUS } from "../../src/gateway/wire/accounts.ts";
import { APPLICATION_KIND } from "../../src/gateway/wire/applications.ts";
import { CANCEL_REASON, PHASE, SIDE, TRADING_MODE } from "../../src/gateway/wire/base.ts";
import { ROLE, SCOPE } from "../../src/gateway/wire/console.ts";
import { DIVERSION_REASON } from "../../src/gateway/wire/delivery.ts";
import { INDEX_ROW } from "../../src/gateway/wire/market.ts";
import { NOTICE_KIND } from "../../src/gateway/wire/notifications.ts";
import { CASE_STATUS, RULE } from "../../src/gateway/wire/surveillance.ts";
import { lookup } from "../../web/src/i18n/lookup.ts";
import { EXCHANGE_CANCEL_REASONS } from "../../web/src/orders.ts";
import { WEB } from "./support/browser.ts";
import { catalogue, catalogueTree, I18N } from "./support/catalogue.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [readFileSync(join(dir, entry.name), "utf8")]
        : [],
  );
}

describe("web translations", () => {
  const english = catalogue("en.json");
  const others = readdirSync(I18N).filter((f) => f.endsWith(".json") && f !== "en.json");

  it("has Kazakh and Russian beside English", () => {
    expect(others.sort()).toEqual(["kk.json", "ru.json"]);
  });

  for (const file of others) {
    it(`${file} has the English keys and placeholders`, () => {
      const translated = catalogue(file);
      expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, text] of english) {
        expect({ key, placeholders: placeholders(translated.get(key) ?? "") }).toEqual({
          key,
          placeholders: placeholders(text),
        });
      }
    });
  }

  it("finds every sentence of every language by its key the way the application looks it up", () => {
    const unreachable = ["en.json", ...others].flatMap((file) => {
      const messages = catalogueTree(file);
      return [...catalogue(file)]
        .filter(([key, text]) => lookup(messages, key) !== text)
        .map(([key]) => `${file}: ${key}`);
    });
    expect(unreachable).toEqual([]);
  });

  it("has every key the components ask for by name", () => {
    const code = sources(join(WEB, "src")).join("\n");
    const asked = new Set([...code.matchAll(/\bt\(\s*"([a-zA-Z0-9_.]+)"/g)].map((m) => m[1]!));
    const missing = [...asked].filter((key) => !english.has(key));
    expect(missing).toEqual([]);
    expect(asked.size).toBeGreaterThan(100);
  });

  // Keys the components build from a value the API sends (`t(`obligations.statuses.${o.status}`)`): one for every
  // value the API's schema allows, so a new value never shows as a raw key.
  const built: [string, { enum?: string[]; anyOf?: { const: string }[] }][] = [
    ["obligations.statuses", OBLIGATION_STATUS],
    ["orderStatus", ORDER_STATUS],
    ["orders.cancelReasons", CANCEL_REASON],
    // Only cancellations by the exchange itself become notices (web/src/orders.ts).
    ["notices.reasons", { enum: [...EXCHANGE_CANCEL_REASONS] }],
    ["phases", PHASE],
    ["modes", TRADING_MODE],
    ["sides", SIDE],
    ["roles", ROLE],
    ["memberUsers.scope", SCOPE],
    ["notifications.kinds", NOTICE_KIND],
    ["applications.kinds", APPLICATION_KIND],
    ["surveillance.statuses", CASE_STATUS],
    ["surveillance.rules", RULE],
    ["surveillance.diversionReasons", DIVERSION_REASON],
    ["indices.scopes", INDEX_ROW.properties.scope],
    // The audit trail names every command type the journal can hold (the route's filter adds "unknown").
    ["regulator.commands", { enum: [...COMMAND_TYPES, "unknown"] }],
  ];
  it("has a key for every value the API can send where a component builds the key from it", () => {
    // Resolved as t() resolves them, in every language: a key the flattened files hold but the lookup cannot reach
    // (dots in a value) shows as a raw key in the page.
    const missing = ["en.json", ...others].flatMap((file) => {
      const messages = catalogueTree(file);
      return built.flatMap(([prefix, schema]) =>
        (schema.enum ?? schema.anyOf?.map((branch) => branch.const) ?? [])
          .map((value) => `${prefix}.${value}`)
          .filter((key) => lookup(messages, key) === undefined)
          .map((key) => `${file}: ${key}`),
      );
    });
    expect(missing).toEqual([]);
  });
});
