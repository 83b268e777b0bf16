/**
 * The surveillance configuration: each rule's thresholds, in the engine's units (kg, basis points, ms), with the
 * defaults of the rulebook (issue 11) and the bounds every value must lie within.
 *
 * `parseConfig` reads a partial configuration (any section, any field; the rest keeps its default) and refuses
 * anything it does not know or that lies outside its bounds, naming the field, the value and the allowed range. It is
 * the shape of `sauda surveil --config FILE.json` (docs/surveillance.md) and of the regulator's changes through the
 * journal (`surveillance.configure`: the engine checks them, which is why this lives in the domain).
 *
 * Threshold words map to comparisons exactly as the rules state them: "more than" is strict (`...Above...`), "at least"
 * and "or more" are inclusive (`...Min`), "no more than" is inclusive (`...Max`, `withinMs`), and "less than ... apart"
 * is strict (`windowMs`).
 */

export interface WashTradeConfig {
  readonly enabled: boolean;
}

export interface ConcentrationConfig {
  readonly enabled: boolean;
  /** A group's share of the session's traded volume must be more than this (basis points; 3500 = 35%). */
  readonly shareAboveBps: number;
  /** ... and its volume more than this. */
  readonly quantityAboveKg: number;
}

export interface CoordinatedBiddingConfig {
  readonly enabled: boolean;
  /** Two accounts are linked when they coincided in at least this many distinct sessions. */
  readonly sessionsMin: number;
  /** Orders coincide when entered no more than this far apart. */
  readonly withinMs: number;
}

export interface SpoofingConfig {
  readonly enabled: boolean;
  /** The order was cancelled no more than this long after entry. */
  readonly lifeMsMax: number;
  /** Its quantity is at least this multiple of the session's median order quantity (whole hundredths). */
  readonly medianMultipleMin: number;
}

export interface PriceLimitBiddingConfig {
  readonly enabled: boolean;
  /** Sessions with an order at the limit needed ... */
  readonly sessionsMin: number;
  /** ... within this many consecutive sessions of the instrument. */
  readonly windowSessions: number;
}

export interface AutomatedEntryConfig {
  readonly enabled: boolean;
  /** This many order-entry messages or more ... */
  readonly messagesMin: number;
  /** ... whose first and last lie less than this far apart. */
  readonly windowMs: number;
}

export interface WithholdingConfig {
  readonly enabled: boolean;
  /** The producer offered less than its declared volume or its obligation by more than this share (basis points). */
  readonly shortfallAboveBps: number;
  /** ... while the session price rose by more than this over the month (basis points). */
  readonly priceRiseAboveBps: number;
  /** Months are calendar months of exchange time: UTC plus this offset. */
  readonly utcOffsetMs: number;
}

export interface SurveillanceConfig {
  readonly washTrade: WashTradeConfig;
  readonly concentration: ConcentrationConfig;
  readonly coordinatedBidding: CoordinatedBiddingConfig;
  readonly spoofing: SpoofingConfig;
  readonly priceLimitBidding: PriceLimitBiddingConfig;
  readonly automatedEntry: AutomatedEntryConfig;
  readonly withholding: WithholdingConfig;
}

export const DEFAULT_CONFIG: SurveillanceConfig = {
  washTrade: { enabled: true },
  concentration: { enabled: true, shareAboveBps: 3500, quantityAboveKg: 300_000 },
  coordinatedBidding: { enabled: true, sessionsMin: 3, withinMs: 1000 },
  spoofing: { enabled: true, lifeMsMax: 60_000, medianMultipleMin: 5 },
  priceLimitBidding: { enabled: true, sessionsMin: 3, windowSessions: 10 },
  automatedEntry: { enabled: true, messagesMin: 3, windowMs: 1000 },
  withholding: { enabled: true, shortfallAboveBps: 1000, priceRiseAboveBps: 500, utcOffsetMs: 5 * 3_600_000 },
};

const DAY_MS = 86_400_000;

interface Bound {
  readonly min: number;
  readonly max: number;
  /** Whole hundredths instead of whole numbers. */
  readonly hundredths?: boolean;
}

/** Every numeric field's allowed range, inclusive. */
export const CONFIG_BOUNDS: { readonly [S in keyof SurveillanceConfig]: Readonly<Record<string, Bound>> } = {
  washTrade: {},
  concentration: { shareAboveBps: { min: 0, max: 10_000 }, quantityAboveKg: { min: 0, max: 1_000_000_000_000 } },
  coordinatedBidding: { sessionsMin: { min: 1, max: 10_000 }, withinMs: { min: 0, max: DAY_MS } },
  spoofing: { lifeMsMax: { min: 0, max: DAY_MS }, medianMultipleMin: { min: 0.01, max: 1000, hundredths: true } },
  priceLimitBidding: { sessionsMin: { min: 1, max: 1000 }, windowSessions: { min: 1, max: 1000 } },
  automatedEntry: { messagesMin: { min: 2, max: 1_000_000 }, windowMs: { min: 1, max: 3_600_000 } },
  withholding: {
    shortfallAboveBps: { min: 0, max: 10_000 },
    priceRiseAboveBps: { min: 0, max: 1_000_000 },
    utcOffsetMs: { min: -14 * 3_600_000, max: 14 * 3_600_000 },
  },
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * The full configuration: `base` (the defaults unless given) with the given sections' fields replaced. Throws
 * `ConfigError`.
 */
export function parseConfig(value: unknown, base: SurveillanceConfig = DEFAULT_CONFIG): SurveillanceConfig {
  if (!isObject(value)) throw new ConfigError("the configuration must be a JSON object of rule sections");
  const sections = Object.keys(DEFAULT_CONFIG) as (keyof SurveillanceConfig)[];
  const result: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(value)) {
    if (!(sections as string[]).includes(name)) {
      throw new ConfigError(`unknown section '${name}'; the sections are ${sections.join(", ")}`);
    }
  }
  for (const name of sections) {
    const section: Record<string, unknown> = { ...base[name] };
    const given = value[name];
    if (given !== undefined) {
      if (!isObject(given)) throw new ConfigError(`${name} must be an object`);
      for (const [field, fieldValue] of Object.entries(given)) {
        if (!(field in section)) {
          throw new ConfigError(`unknown field ${name}.${field}; the fields are ${Object.keys(section).join(", ")}`);
        }
        if (field === "enabled") {
          if (typeof fieldValue !== "boolean") throw new ConfigError(`${name}.enabled must be true or false`);
        } else {
          checkNumber(`${name}.${field}`, fieldValue, CONFIG_BOUNDS[name][field]!);
        }
        section[field] = fieldValue;
      }
    }
    result[name] = section;
  }
  const config = result as unknown as SurveillanceConfig;
  const limits = config.priceLimitBidding;
  if (limits.sessionsMin > limits.windowSessions) {
    throw new ConfigError(
      `priceLimitBidding.sessionsMin ${limits.sessionsMin} is more than windowSessions ${limits.windowSessions}`,
    );
  }
  return config;
}

function checkNumber(name: string, value: unknown, bound: Bound): void {
  const whole = bound.hundredths ? Number.isSafeInteger(Math.round(Number(value) * 100)) : true;
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    value >= bound.min &&
    value <= bound.max &&
    (bound.hundredths ? whole && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6 : Number.isSafeInteger(value));
  if (!ok) {
    const kind = bound.hundredths ? "a number with at most two decimals" : "a whole number";
    throw new ConfigError(`${name} is ${JSON.stringify(value)}; it must be ${kind} from ${bound.min} to ${bound.max}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
