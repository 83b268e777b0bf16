/**
 * The surveillance configuration: the defaults are the rulebook's, a partial file changes only what it names, and
 * every numeric field is taken at both ends of its range and refused one step beyond, as is anything unknown.
 */

import { describe, expect, it } from "vitest";
import { CONFIG_BOUNDS, ConfigError, DEFAULT_CONFIG, parseConfig, type SurveillanceConfig } from "./config.ts";

describe("surveillance configuration", () => {
  it("defaults to the rulebook's thresholds", () => {
    expect(parseConfig({})).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({
      concentration: { shareAboveBps: 3500, quantityAboveKg: 300_000 },
      coordinatedBidding: { sessionsMin: 3, withinMs: 1000 },
      spoofing: { lifeMsMax: 60_000, medianMultipleMin: 5 },
      priceLimitBidding: { sessionsMin: 3, windowSessions: 10 },
      automatedEntry: { messagesMin: 3, windowMs: 1000 },
      withholding: { shortfallAboveBps: 1000, priceRiseAboveBps: 500 },
    });
  });

  it("changes only the fields given", () => {
    const config = parseConfig({ concentration: { shareAboveBps: 2000 }, washTrade: { enabled: false } });
    expect(config.concentration).toEqual({ enabled: true, shareAboveBps: 2000, quantityAboveKg: 300_000 });
    expect(config.washTrade.enabled).toBe(false);
    expect(config.spoofing).toEqual(DEFAULT_CONFIG.spoofing);
  });

  const fields = Object.entries(CONFIG_BOUNDS).flatMap(([section, bounds]) =>
    Object.entries(bounds).map(([field, bound]) => ({ section, field, bound })),
  );
  for (const { section, field, bound } of fields) {
    it(`${section}.${field}: ${bound.min} and ${bound.max} taken, beyond refused`, () => {
      const step = bound.hundredths ? 0.01 : 1;
      const withValue = (value: unknown) => {
        const given: Record<string, unknown> = { [section]: { [field]: value } };
        // priceLimitBidding.sessionsMin may not exceed windowSessions: give the window its largest value.
        if (section === "priceLimitBidding" && field === "sessionsMin") {
          (given[section] as Record<string, unknown>).windowSessions = 1000;
        }
        if (section === "priceLimitBidding" && field === "windowSessions") {
          (given[section] as Record<string, unknown>).sessionsMin = 1;
        }
        return parseConfig(given);
      };
      const read = (config: SurveillanceConfig) =>
        (config as unknown as Record<string, Record<string, number>>)[section]![field];
      expect(read(withValue(bound.min))).toBe(bound.min);
      expect(read(withValue(bound.max))).toBe(bound.max);
      expect(() => withValue(Math.round((bound.min - step) * 100) / 100)).toThrow(ConfigError);
      expect(() => withValue(Math.round((bound.max + step) * 100) / 100)).toThrow(
        `${section}.${field} is ${JSON.stringify(Math.round((bound.max + step) * 100) / 100)}; it must be`,
      );
      expect(() => withValue(String(bound.min))).toThrow(ConfigError);
    });
  }

  it("takes hundredths for the median multiple, and whole numbers elsewhere", () => {
    expect(parseConfig({ spoofing: { medianMultipleMin: 4.75 } }).spoofing.medianMultipleMin).toBe(4.75);
    expect(() => parseConfig({ spoofing: { medianMultipleMin: 4.755 } })).toThrow("at most two decimals");
    expect(() => parseConfig({ concentration: { shareAboveBps: 3500.5 } })).toThrow("a whole number");
  });

  it("refuses unknown sections and fields, and a window smaller than its count", () => {
    expect(() => parseConfig({ layering: {} })).toThrow("unknown section 'layering'");
    expect(() => parseConfig({ spoofing: { lifeMs: 1 } })).toThrow("unknown field spoofing.lifeMs");
    expect(() => parseConfig({ spoofing: { enabled: "yes" } })).toThrow("spoofing.enabled must be true or false");
    expect(() => parseConfig([])).toThrow("must be a JSON object");
    expect(() => parseConfig({ spoofing: 5 })).toThrow("spoofing must be an object");
    expect(() => parseConfig({ priceLimitBidding: { sessionsMin: 11 } })).toThrow(
      "priceLimitBidding.sessionsMin 11 is more than windowSessions 10",
    );
  });
});
