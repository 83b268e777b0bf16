/**
 * Scenarios: the rules and the market a simulation runs under, read from JSON files (scenarios/*.json).
 *
 * A scenario file may name a file it `extends` (a path relative to itself); objects are merged field by field, and
 * arrays and plain values in the extending file replace those of the base. Every number a scenario assumes must be
 * named and documented: each numeric field's path (with `[]` for array elements, e.g. `market.regions[].demand...`)
 * has an entry in `notes`, checked by `undocumentedNumbers` (and by a test over every file in scenarios/).
 *
 * `parseScenario` checks the whole value and throws `ScenarioError` with the path of the first bad field; nothing
 * downstream re-checks. The parsing is pure (no file access): `loadScenario` in the CLI reads files and resolves
 * `extends`, and `mergeScenario` does the merge, so the same code serves the browser later.
 */

import { parseDate } from "./dates.ts";
import { isInputObject, resolveInputs, type ScenarioInput } from "./inputs.ts";
import { ScenarioError } from "./scenario-error.ts";

export { ScenarioError };

export interface Plant {
  readonly id: string;
  readonly name: string;
  /** Region where the plant is (for reports). */
  readonly region: string;
  readonly outputTonnesPerMonth: number;
  readonly costTengePerTonne: number;
  /** Rail and port costs from the plant to the export market, per tonne: netback = export parity − this. */
  readonly exportLogisticsTengePerTonne: number;
  readonly exportCapacityTonnesPerMonth: number;
}

export interface Region {
  readonly id: string;
  readonly name: string;
  /** Demand at the reference retail price (before `drivers.demandScalePercent`). */
  readonly demandTonnesPerMonth: number;
  /** Retail price at which `demandTonnesPerMonth` holds; also the starting retail price. */
  readonly retailTengePerLitre: number;
  /** Filling-station networks' markup over their unit cost, percent. */
  readonly markupPercent: number;
  /** Market shares of the region's filling-station networks, percent (sum 100): one buyer agent each. */
  readonly networkSharesPercent: readonly number[];
}

export interface Route {
  readonly plant: string;
  readonly region: string;
  readonly distanceKm: number;
  /** The ministry's monthly supply plan from this plant to this region (domestic supply obligation). */
  readonly planTonnesPerMonth: number;
}

export interface CeilingStep {
  readonly from: string;
  readonly ceilingTengePerTonne: number;
}

export interface RetailCap {
  readonly region: string;
  readonly tengePerLitre: number;
  readonly from: string;
  readonly until: string | null;
}

export interface HaltEvent {
  readonly date: string;
  readonly type: "halt" | "resume";
  readonly scope: "market" | "region";
  readonly region: string | null;
  readonly reason: string;
}

/**
 * A rule change the scenario schedules: it applies at 00:00 local time (exchange time, UTC+5) of its date, through the
 * engine commands the regulator uses (`safeguards.set` on every listed instrument, `halt`/`resume`), or, for retail
 * caps, which are not the exchange's, in the simulated stations from that day on. Exactly one kind per change.
 */
export type RuleChange =
  | {
      readonly kind: "safeguards";
      /** Only the named fields change; a ceiling given here replaces the ceiling and drops the scenario's path. */
      readonly bandPercent?: number | null;
      readonly ceilingTengePerTonne?: number | null;
      readonly maxSharePercent?: number | null;
    }
  | { readonly kind: "halt" | "resume"; readonly scope: "market" | "region"; readonly region: string | null }
  | { readonly kind: "retailCap"; readonly region: string; readonly tengePerLitre: number | null }
  | ({ readonly kind: "market" } & Partial<MarketRules>);

/** The rules of supply a `market` change may set on a date: obligation, exchange share, off-exchange price, export. */
export interface MarketRules {
  readonly domesticObligation: boolean;
  readonly exchangeSharePercent: number;
  readonly offExchangePriceTengePerTonne: number | null;
  readonly exportOpen: boolean;
  readonly planScalePercent: number;
}

/** Something observed, to check a run against (validation.ts): a figure, or a range, in a region over dates. */
export interface Observation {
  readonly measure: "wholesale" | "retailPeak";
  readonly region: string;
  readonly from: string;
  readonly until: string;
  readonly low: number;
  readonly high: number;
  readonly source: string;
}

export interface DatedChange {
  readonly date: string;
  readonly reason: string;
  readonly change: RuleChange;
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly seed: number;
  readonly start: string;
  readonly days: number;
  readonly densityKgPerLitre: number;
  readonly exportParityUsdPerTonne: number;
  readonly tengePerUsd: number;
  /** Late-previous-year platform price: the first reference price of every instrument. */
  readonly initialExchangePriceTengePerTonne: number;
  /** Regions shown in the comparison charts. */
  readonly focusRegions: readonly string[];
  readonly market: {
    readonly plants: readonly Plant[];
    readonly regions: readonly Region[];
    readonly routes: readonly Route[];
  };
  readonly transport: {
    readonly fixedTengePerTonne: number;
    readonly perKmTengePerTonne: number;
    readonly kmPerDay: number;
  };
  readonly drivers: {
    readonly demandScalePercent: number;
    readonly elasticity: number;
    readonly petrolParityTengePerLitre: number;
    readonly elasticityAboveParity: number;
    readonly dailyNoisePercent: number;
    /** How strongly drivers move to cheaper stations in their region: share ∝ (price ratio)^−this. */
    readonly stationChoiceSensitivity: number;
  };
  readonly buyers: {
    readonly stationCostTengePerLitre: number;
    readonly minMarkupPercent: number;
    readonly passThroughUpPerDay: number;
    readonly passThroughDownPerDay: number;
    readonly costWindowSessions: number;
    readonly safetyStockDays: number;
    readonly initialStockDays: number;
    readonly bidGridPercent: readonly number[];
    readonly workingCapitalDays: number;
    readonly demandSmoothing: number;
    readonly offerShareMultiple: number;
    readonly switchPremiumPercent: number;
    readonly bidJitterPercent: number;
    /**
     * Retail margins that widen when supply is scarce (buyer.ts, ScarcitySettings): from a network's smoothed
     * unserved share of demand `fromUnmetPercent` on, up to `extraMaxPercent` more markup, in full at
     * `fullAtUnmetPercent`.
     */
    readonly scarcityMarkup: {
      readonly extraMaxPercent: number;
      readonly fromUnmetPercent: number;
      readonly fullAtUnmetPercent: number;
      readonly smoothing: number;
    };
  };
  readonly producers: {
    readonly markupStepPercent: number;
    readonly markupMinPercent: number;
    readonly markupMaxPercent: number;
    readonly askLadderPercent: readonly number[];
    readonly floorAskTengePerTonne: number;
    readonly freeVolumeReallocation: number;
    readonly storageDays: number;
    readonly soldOutPercent: number;
    readonly slowSalesPercent: number;
    readonly idleSalesPercent: number;
    readonly stepDownMaxMultiple: number;
    readonly freeWeightMinPercent: number;
    readonly freeSalesSmoothing: number;
    readonly exportKeepSessions: number;
    readonly strandedStoragePercent: number;
    readonly initialSessionsPerMonth: number;
    /** The learning offer policy (producer.ts, LearningSettings) when `enabled`; null: the rule of thumb. */
    readonly learning: {
      readonly markupsPercent: readonly number[];
      readonly epsilon: number;
      readonly recencyWeight: number;
    } | null;
  };
  readonly rules: {
    readonly domesticObligation: boolean;
    readonly exchangeSharePercent: number;
    /** Price of off-exchange sales; null: at the plant's last exchange price. */
    readonly offExchangePriceTengePerTonne: number | null;
    readonly exportOpen: boolean;
    readonly planScalePercent: number;
    /**
     * From this day of each month the sessions trade the next month's delivery (its instruments are listed that day
     * and the current month's stop trading), as the platforms sold January 2022 volumes in December; null: each
     * month's sessions trade that month's delivery.
     */
    readonly nextMonthFromDay: number | null;
    readonly session: { readonly open: string; readonly close: string; readonly holidays: readonly string[] };
    readonly clearing: {
      readonly collateralPercent: number;
      readonly feePercent: number;
      readonly paymentWindowDays: number;
      readonly deliveryWindowDays: number;
    };
    readonly safeguards: {
      readonly bandPercent: number | null;
      readonly ceilingTengePerTonne: number | null;
      readonly ceilingPath: readonly CeilingStep[];
      readonly maxSharePercent: number | null;
    };
    readonly retailCaps: readonly RetailCap[];
    readonly events: readonly HaltEvent[];
    /** Dated rule changes, in date order (`RuleChange`); empty when the scenario has none. */
    readonly changes: readonly DatedChange[];
  };
  /** Manipulative agents run beside the honest ones (manipulators.ts); each null when switched off. */
  readonly manipulators: Manipulators;
  /** Resellers between regions (reseller.ts); null when the section is absent or not `enabled`. */
  readonly resellers: Resellers | null;
  readonly notes: Readonly<Record<string, string>>;
  /** Numbers written as input objects (inputs.ts): their source or reason and, for uncertain ones, their range. */
  readonly inputs: readonly ScenarioInput[];
  /** Observations a run is checked against (optional `observed`; each with its source). */
  readonly observed: readonly Observation[];
}

/** Where a manipulator trades: the instrument of one route (plant × region). */
export interface ManipulatorRoute {
  readonly plant: string;
  readonly region: string;
}

export interface Manipulators {
  /** Two members of one group trading with each other: one sells, the other buys the same lots. */
  readonly washTrading: (ManipulatorRoute & { readonly lots: number; readonly everySessions: number }) | null;
  /**
   * A trader sells on one instrument of a basis and, shortly before the close, bids a large quantity on another it
   * cancels unfilled once its sell has filled (within a minute of entering it).
   */
  readonly spoofer: {
    readonly plant: string;
    readonly sellLots: number;
    readonly spoofLots: number;
    readonly secondsBeforeClose: number;
    readonly everySessions: number;
  } | null;
  /** Members of different groups bidding at the same price within a second of each other. */
  readonly colludingBuyers:
    | (ManipulatorRoute & {
        readonly members: number;
        readonly lots: number;
        readonly gapMs: number;
        readonly priceAboveReferencePercent: number;
        readonly everySessions: number;
      })
    | null;
  /** Members of one group bidding at the upper price limit in force (band high or ceiling). */
  readonly limitBidders:
    | (ManipulatorRoute & { readonly members: number; readonly lots: number; readonly everySessions: number })
    | null;
  /** A plant whose producer offers only part of what it declares (its sell orders cut to `offerPercent`). */
  readonly withholding: { readonly plant: string; readonly offerPercent: number; readonly from: string } | null;
}

/** Traders who buy on one region's instruments and sell on to another's networks when the spread pays the transport. */
export interface Resellers {
  readonly lotsPerSession: number;
  readonly marginPercent: number;
  /** Money each keeps at the exchange: this many sessions of its bids at the first reference price. */
  readonly workingCapitalSessions: number;
  readonly links: readonly { readonly from: string; readonly to: string; readonly distanceKm: number }[];
}

export const NO_MANIPULATORS: Manipulators = {
  washTrading: null,
  spoofer: null,
  colludingBuyers: null,
  limitBidders: null,
  withholding: null,
};

export const SCENARIO_DAYS_MAX = 3660;
export const PLANTS_MAX = 100;
export const REGIONS_MAX = 100;
export const ROUTES_MAX = 1000;
export const NETWORKS_PER_REGION_MAX = 20;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `over` merged onto `base`: objects field by field, everything else replaced. `extends` is dropped. */
export function mergeScenario(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const merged: Record<string, Json> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === "extends") continue;
    merged[key] = key in base ? (mergeScenario(base[key], value) as Json) : value;
  }
  delete merged.extends;
  return merged;
}

/**
 * Sets one field by dotted path (`rules.safeguards.bandPercent`), for parameter sweeps. The path must exist; the
 * value's type must match what is there (a number may replace null where the field is nullable).
 *
 * No ceiling means none later either, as in the API: setting `rules.safeguards.ceilingTengePerTonne` to null also
 * empties `rules.safeguards.ceilingPath`, so `--sweep ceiling=null` runs without any ceiling at all.
 */
export function overrideField(scenario: unknown, path: string, value: Json): unknown {
  const parts = path.split(".");
  // Per-item fields name the item by id (`plants[KAZGPZ].x`, `regions[MANGYSTAU].x`, `routes[KAZGPZ>MANGYSTAU].x`),
  // with or without the `market.` prefix, as uncertainty.json's driver paths do.
  if (/^(plants|regions|routes)\[/.test(parts[0]!)) parts.unshift("market");
  const copy = structuredClone(scenario) as Record<string, Json>;
  let node: Record<string, Json> = copy;
  const missing = () => new ScenarioError(`sweep: '${path}' is not a field of the scenario`);
  for (let i = 0; i < parts.length - 1; i++) {
    const item = /^([A-Za-z]\w*)\[([^\]]+)\]$/.exec(parts[i]!);
    if (item) {
      const list = node[item[1]!];
      if (!Array.isArray(list)) throw missing();
      const found = list.find(
        (x) => isObject(x) && (x.id === item[2] || `${String(x.plant)}>${String(x.region)}` === item[2]),
      );
      if (!isObject(found)) throw missing();
      node = found;
      continue;
    }
    const next = node[parts[i]!];
    if (!isObject(next)) throw missing();
    node = next;
  }
  const last = parts[parts.length - 1]!;
  if (!(last in node)) throw new ScenarioError(`sweep: '${path}' is not a field of the scenario`);
  node[last] = value;
  if (path === SWEEP_ALIASES.ceiling && value === null && Array.isArray(node.ceilingPath)) node.ceilingPath = [];
  return copy;
}

/** Short names for the fields most often swept. */
export const SWEEP_ALIASES: Readonly<Record<string, string>> = {
  band: "rules.safeguards.bandPercent",
  ceiling: "rules.safeguards.ceilingTengePerTonne",
  maxShare: "rules.safeguards.maxSharePercent",
  exchangeShare: "rules.exchangeSharePercent",
  elasticity: "drivers.elasticity",
  exportOpen: "rules.exportOpen",
  obligation: "rules.domesticObligation",
  seed: "seed",
  days: "days",
};

// ---------------------------------------------------------------------------------------------------------------
// Checking.

class Reader {
  constructor(
    private readonly value: Record<string, Json>,
    private readonly path: string,
  ) {}

  private fail(field: string, rule: string): never {
    const where = this.path === "" ? field : `${this.path}.${field}`;
    throw new ScenarioError(`scenario field ${where}: ${rule} (got ${JSON.stringify(this.value[field]) ?? "nothing"})`);
  }

  string(field: string): string {
    const v = this.value[field];
    if (typeof v !== "string" || v.length === 0 || v.length > 2000) this.fail(field, "expected a non-empty string");
    return v;
  }

  id(field: string): string {
    const v = this.string(field);
    if (!/^[A-Z0-9][A-Z0-9_-]{0,23}$/.test(v)) this.fail(field, "expected an id of capitals, digits, - and _");
    return v;
  }

  date(field: string): string {
    const v = this.string(field);
    try {
      parseDate(v);
    } catch {
      this.fail(field, "expected a date YYYY-MM-DD");
    }
    return v;
  }

  time(field: string): string {
    const v = this.string(field);
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v)) this.fail(field, "expected a time HH:MM");
    return v;
  }

  number(field: string, min: number, max: number): number {
    const v = this.value[field];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
      this.fail(field, `expected a number from ${min} to ${max}`);
    }
    return v;
  }

  integer(field: string, min: number, max: number): number {
    const v = this.number(field, min, max);
    if (!Number.isInteger(v)) this.fail(field, "expected a whole number");
    return v;
  }

  nullableNumber(field: string, min: number, max: number): number | null {
    return this.value[field] === null ? null : this.number(field, min, max);
  }

  boolean(field: string): boolean {
    const v = this.value[field];
    if (typeof v !== "boolean") this.fail(field, "expected true or false");
    return v;
  }

  object(field: string): Reader {
    const v = this.value[field];
    if (!isObject(v)) this.fail(field, "expected an object");
    return new Reader(v, this.path === "" ? field : `${this.path}.${field}`);
  }

  array<T>(field: string, max: number, each: (item: Reader, index: number) => T): T[] {
    const v = this.value[field];
    if (!Array.isArray(v) || v.length > max) this.fail(field, `expected a list of at most ${max} items`);
    return v.map((item, index) => {
      if (!isObject(item)) this.fail(field, `item ${index} must be an object`);
      return each(new Reader(item, `${this.path === "" ? field : `${this.path}.${field}`}[${index}]`), index);
    });
  }

  numbers(field: string, max: number, min: number, maxValue: number): number[] {
    const v = this.value[field];
    if (!Array.isArray(v) || v.length === 0 || v.length > max) this.fail(field, `expected 1 to ${max} numbers`);
    for (const n of v) {
      if (typeof n !== "number" || !Number.isFinite(n) || n < min || n > maxValue) {
        this.fail(field, `each must be a number from ${min} to ${maxValue}`);
      }
    }
    return v as number[];
  }

  strings(field: string, max: number, check: (s: string) => boolean, rule: string): string[] {
    const v = this.value[field];
    if (!Array.isArray(v) || v.length > max) this.fail(field, `expected a list of at most ${max} strings`);
    for (const s of v) if (typeof s !== "string" || !check(s)) this.fail(field, rule);
    return v as string[];
  }

  raw(field: string): Json | undefined {
    return this.value[field];
  }
}

const MILLION = 1_000_000;

/**
 * Checks a scenario (its `extends` already merged) and returns it typed. Sections are read in a fixed order, one
 * reader each, so the first error reported for a broken scenario is always the same.
 */
export function parseScenario(input: unknown): Scenario {
  if (!isObject(input)) throw new ScenarioError("a scenario is a JSON object");
  const resolved = resolveInputs(input);
  const r = new Reader(resolved.json as Record<string, Json>, "");
  const { market, plantIds, regionIds } = readMarket(r.object("market"));
  // Every section must be present before any of its fields is read: the first error names the missing section.
  const t = r.object("transport");
  const d = r.object("drivers");
  const b = r.object("buyers");
  const p = r.object("producers");
  const rules = openRules(r.object("rules"));
  const scenario: Scenario = {
    ...readHeader(r, regionIds),
    market,
    transport: readTransport(t),
    drivers: readDrivers(d),
    buyers: readBuyers(b),
    producers: readProducers(p),
    rules: readRules(rules, regionIds),
    manipulators: readManipulators(r, plantIds, regionIds),
    resellers: readResellers(r, regionIds),
    notes: readNotes(r.raw("notes")),
    inputs: resolved.inputs,
    observed: r.raw("observed") === undefined ? [] : r.array("observed", 1000, (o) => readObservation(o, regionIds)),
  };
  checkScenario(scenario);
  return scenario;
}

/** The scenario's own fields: its name and texts, seed, dates, units, starting prices and focus regions. */
function readHeader(r: Reader, regionIds: ReadonlySet<string>) {
  return {
    name: r.string("name"),
    title: r.string("title"),
    description: r.string("description"),
    seed: r.integer("seed", 0, 0xffffffff),
    start: r.date("start"),
    days: r.integer("days", 1, SCENARIO_DAYS_MAX),
    densityKgPerLitre: r.number("densityKgPerLitre", 0.3, 1),
    exportParityUsdPerTonne: r.number("exportParityUsdPerTonne", 0, 100_000),
    tengePerUsd: r.number("tengePerUsd", 1, 100_000),
    initialExchangePriceTengePerTonne: r.number("initialExchangePriceTengePerTonne", 1, 10 * MILLION),
    focusRegions: r.strings("focusRegions", 8, (s) => regionIds.has(s), "each focus region must be a known region"),
  };
}

/**
 * The `market` section: plants, regions and routes, with distinct ids, routes between known plants and regions, one
 * route per plant and region, and a route into every region.
 */
function readMarket(m: Reader): {
  market: Scenario["market"];
  plantIds: ReadonlySet<string>;
  regionIds: ReadonlySet<string>;
} {
  const plants = m.array("plants", PLANTS_MAX, readPlant);
  const regions = m.array("regions", REGIONS_MAX, readRegion);
  const plantIds = new Set(plants.map((p) => p.id));
  const regionIds = new Set(regions.map((g) => g.id));
  if (plantIds.size !== plants.length) throw new ScenarioError("market.plants: ids must be distinct");
  if (regionIds.size !== regions.length) throw new ScenarioError("market.regions: ids must be distinct");
  const routes = m.array("routes", ROUTES_MAX, (x) => readRoute(x, plantIds, regionIds));
  const routeKeys = new Set(routes.map((x) => `${x.plant}>${x.region}`));
  if (routeKeys.size !== routes.length) throw new ScenarioError("market.routes: one route per plant and region");
  for (const g of regions) {
    if (!routes.some((x) => x.region === g.id)) throw new ScenarioError(`region ${g.id} has no route from any plant`);
  }
  return { market: { plants, regions, routes }, plantIds, regionIds };
}

/** One entry of `market.plants`. */
function readPlant(p: Reader): Plant {
  return {
    id: p.id("id"),
    name: p.string("name"),
    region: p.id("region"),
    outputTonnesPerMonth: p.number("outputTonnesPerMonth", 0, 10 * MILLION),
    costTengePerTonne: p.number("costTengePerTonne", 0, 10 * MILLION),
    exportLogisticsTengePerTonne: p.number("exportLogisticsTengePerTonne", 0, 10 * MILLION),
    exportCapacityTonnesPerMonth: p.number("exportCapacityTonnesPerMonth", 0, 10 * MILLION),
  };
}

/** One entry of `market.regions`; its networks' shares must sum to 100. */
function readRegion(g: Reader): Region {
  const shares = g.numbers("networkSharesPercent", NETWORKS_PER_REGION_MAX, 0.1, 100);
  const sum = shares.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 100) > 1e-6) throw new ScenarioError(`${g.string("id")}: network shares sum to ${sum}, not 100`);
  return {
    id: g.id("id"),
    name: g.string("name"),
    demandTonnesPerMonth: g.number("demandTonnesPerMonth", 0, 10 * MILLION),
    retailTengePerLitre: g.number("retailTengePerLitre", 1, 10_000),
    markupPercent: g.number("markupPercent", 0, 500),
    networkSharesPercent: shares,
  };
}

/** One entry of `market.routes`, from a known plant to a known region. */
function readRoute(x: Reader, plantIds: ReadonlySet<string>, regionIds: ReadonlySet<string>): Route {
  const route = {
    plant: x.id("plant"),
    region: x.id("region"),
    distanceKm: x.number("distanceKm", 0, 10_000),
    planTonnesPerMonth: x.number("planTonnesPerMonth", 0, 10 * MILLION),
  };
  if (!plantIds.has(route.plant)) throw new ScenarioError(`route to ${route.region}: unknown plant ${route.plant}`);
  if (!regionIds.has(route.region))
    throw new ScenarioError(`route from ${route.plant}: unknown region ${route.region}`);
  return route;
}

/** The `transport` section: the cost and speed of moving gas by rail. */
function readTransport(t: Reader): Scenario["transport"] {
  return {
    fixedTengePerTonne: t.number("fixedTengePerTonne", 0, MILLION),
    perKmTengePerTonne: t.number("perKmTengePerTonne", 0, 1000),
    kmPerDay: t.number("kmPerDay", 1, 10_000),
  };
}

/** The `drivers` section: demand at the pump and how it answers prices. */
function readDrivers(d: Reader): Scenario["drivers"] {
  return {
    demandScalePercent: d.number("demandScalePercent", 0, 1000),
    elasticity: d.number("elasticity", -5, 0),
    petrolParityTengePerLitre: d.number("petrolParityTengePerLitre", 1, 10_000),
    elasticityAboveParity: d.number("elasticityAboveParity", -20, 0),
    dailyNoisePercent: d.number("dailyNoisePercent", 0, 50),
    stationChoiceSensitivity: d.number("stationChoiceSensitivity", 0, 50),
  };
}

/** The `buyers` section: the filling-station networks' pricing, stock and bidding. */
function readBuyers(b: Reader): Scenario["buyers"] {
  return {
    stationCostTengePerLitre: b.number("stationCostTengePerLitre", 0, 10_000),
    minMarkupPercent: b.number("minMarkupPercent", -50, 500),
    passThroughUpPerDay: b.number("passThroughUpPerDay", 0, 1),
    passThroughDownPerDay: b.number("passThroughDownPerDay", 0, 1),
    costWindowSessions: b.integer("costWindowSessions", 1, 60),
    safetyStockDays: b.number("safetyStockDays", 0, 60),
    initialStockDays: b.number("initialStockDays", 0, 60),
    bidGridPercent: b.numbers("bidGridPercent", 20, -50, 100),
    workingCapitalDays: b.number("workingCapitalDays", 1, 365),
    demandSmoothing: b.number("demandSmoothing", 0.01, 1),
    offerShareMultiple: b.number("offerShareMultiple", 0.01, 100),
    switchPremiumPercent: b.number("switchPremiumPercent", 0, 100),
    bidJitterPercent: b.number("bidJitterPercent", 0, 50),
    scarcityMarkup: readScarcityMarkup(b.object("scarcityMarkup")),
  };
}

/** `buyers.scarcityMarkup`: how far and how fast retail margins widen when supply is scarce. */
function readScarcityMarkup(x: Reader): Scenario["buyers"]["scarcityMarkup"] {
  const from = x.number("fromUnmetPercent", 0, 99);
  const fullAt = x.number("fullAtUnmetPercent", 0.1, 100);
  if (fullAt <= from)
    throw new ScenarioError("buyers.scarcityMarkup: fullAtUnmetPercent must be above fromUnmetPercent");
  return {
    extraMaxPercent: x.number("extraMaxPercent", 0, 500),
    fromUnmetPercent: from,
    fullAtUnmetPercent: fullAt,
    smoothing: x.number("smoothing", 0.001, 1),
  };
}

/** The `producers` section: the plants' markup adjustment, asks and storage. */
function readProducers(p: Reader): Scenario["producers"] {
  return {
    markupStepPercent: p.number("markupStepPercent", 0, 50),
    markupMinPercent: p.number("markupMinPercent", -90, 0),
    markupMaxPercent: p.number("markupMaxPercent", 0, 500),
    askLadderPercent: p.numbers("askLadderPercent", 10, -50, 100),
    floorAskTengePerTonne: p.number("floorAskTengePerTonne", 1, 10 * MILLION),
    freeVolumeReallocation: p.number("freeVolumeReallocation", 0, 1),
    storageDays: p.number("storageDays", 0, 365),
    soldOutPercent: p.number("soldOutPercent", 0, 100),
    slowSalesPercent: p.number("slowSalesPercent", 0, 100),
    idleSalesPercent: p.number("idleSalesPercent", 0, 100),
    stepDownMaxMultiple: p.number("stepDownMaxMultiple", 1, 1000),
    freeWeightMinPercent: p.number("freeWeightMinPercent", 0, 100),
    freeSalesSmoothing: p.number("freeSalesSmoothing", 0, 1),
    exportKeepSessions: p.number("exportKeepSessions", 0, 100),
    strandedStoragePercent: p.number("strandedStoragePercent", 0, 100),
    initialSessionsPerMonth: p.number("initialSessionsPerMonth", 1, 31),
    learning: readLearning(p),
  };
}

/** `producers.learning`: the bandit over markups, when present and enabled. */
function readLearning(p: Reader): Scenario["producers"]["learning"] {
  if (p.raw("learning") === undefined) return null;
  const l = p.object("learning");
  if (!l.boolean("enabled")) return null;
  return {
    markupsPercent: l.numbers("markupsPercent", 20, -50, 100),
    epsilon: l.number("epsilon", 0, 1),
    recencyWeight: l.number("recencyWeight", 0.001, 1),
  };
}

/** The `rules` section opened: its sub-sections present and the session's hours, close after open. */
interface RulesReaders {
  readonly rules: Reader;
  readonly session: Reader;
  readonly clearing: Reader;
  readonly safeguards: Reader;
  readonly open: string;
  readonly close: string;
}

/** Opens the `rules` section: its session, clearing and safeguards sub-sections and the session's hours. */
function openRules(u: Reader): RulesReaders {
  const session = u.object("session");
  const clearing = u.object("clearing");
  const safeguards = u.object("safeguards");
  const open = session.time("open");
  const close = session.time("close");
  if (close <= open) throw new ScenarioError("rules.session: close must be after open");
  return { rules: u, session, clearing, safeguards, open, close };
}

/** The `rules` section: obligations, export, session, clearing, safeguards, retail caps, halts and dated changes. */
function readRules(x: RulesReaders, regionIds: ReadonlySet<string>): Scenario["rules"] {
  const u = x.rules;
  const isDate = (s: string) => {
    try {
      parseDate(s);
      return true;
    } catch {
      return false;
    }
  };
  return {
    domesticObligation: u.boolean("domesticObligation"),
    exchangeSharePercent: u.number("exchangeSharePercent", 0, 100),
    offExchangePriceTengePerTonne: u.nullableNumber("offExchangePriceTengePerTonne", 1, 10 * MILLION),
    exportOpen: u.boolean("exportOpen"),
    planScalePercent: u.number("planScalePercent", 0, 1000),
    nextMonthFromDay:
      u.raw("nextMonthFromDay") === undefined || u.raw("nextMonthFromDay") === null
        ? null
        : u.integer("nextMonthFromDay", 2, 28),
    session: {
      open: x.open,
      close: x.close,
      holidays: x.session.strings("holidays", 400, isDate, "holidays must be dates YYYY-MM-DD"),
    },
    clearing: readClearing(x.clearing),
    safeguards: readSafeguards(x.safeguards),
    retailCaps: u.array("retailCaps", 1000, (c) => readRetailCap(c, regionIds)),
    events: u.array("events", 1000, (e) => readHaltEvent(e, regionIds)),
    changes: u.raw("changes") === undefined ? [] : u.array("changes", 1000, (c) => readChange(c, regionIds)),
  };
}

/** `rules.clearing`: collateral, fee and the payment and delivery windows. */
function readClearing(clearing: Reader): Scenario["rules"]["clearing"] {
  return {
    collateralPercent: clearing.number("collateralPercent", 0, 100),
    feePercent: clearing.number("feePercent", 0, 10),
    paymentWindowDays: clearing.number("paymentWindowDays", 0.01, 365),
    deliveryWindowDays: clearing.number("deliveryWindowDays", 0.01, 365),
  };
}

/** `rules.safeguards`: price band, ceiling with its dated path, buyer concentration limit. */
function readSafeguards(safeguards: Reader): Scenario["rules"]["safeguards"] {
  return {
    bandPercent: safeguards.nullableNumber("bandPercent", 0.01, 99.99),
    ceilingTengePerTonne: safeguards.nullableNumber("ceilingTengePerTonne", 1, 10 * MILLION),
    ceilingPath: safeguards.array("ceilingPath", 240, (s) => ({
      from: s.date("from"),
      ceilingTengePerTonne: s.number("ceilingTengePerTonne", 1, 10 * MILLION),
    })),
    maxSharePercent: safeguards.nullableNumber("maxSharePercent", 0.01, 100),
  };
}

/** One entry of `observed`: a measure in a known region over dates, a range low..high, and its source. */
function readObservation(o: Reader, regionIds: ReadonlySet<string>): Observation {
  const measure = o.string("measure");
  if (measure !== "wholesale" && measure !== "retailPeak")
    throw new ScenarioError("observed: measure must be wholesale or retailPeak");
  const region = o.id("region");
  if (!regionIds.has(region)) throw new ScenarioError(`observed: unknown region ${region}`);
  const from = o.date("from");
  const until = o.date("until");
  if (until < from) throw new ScenarioError("observed: until is before from");
  const low = o.number("low", 0, 10 * MILLION);
  const high = o.number("high", low, 10 * MILLION);
  return { measure, region, from, until, low, high, source: o.string("source") };
}

/** One entry of `rules.retailCaps`, in a known region. */
function readRetailCap(c: Reader, regionIds: ReadonlySet<string>): RetailCap {
  const region = c.id("region");
  if (!regionIds.has(region)) throw new ScenarioError(`retail cap: unknown region ${region}`);
  return {
    region,
    tengePerLitre: c.number("tengePerLitre", 1, 10_000),
    from: c.date("from"),
    until: c.raw("until") === null ? null : c.date("until"),
  };
}

/** One entry of `rules.events`: a halt or resumption of the market or of a known region. */
function readHaltEvent(e: Reader, regionIds: ReadonlySet<string>): HaltEvent {
  const type = e.string("type");
  const scope = e.string("scope");
  if (type !== "halt" && type !== "resume") throw new ScenarioError("events: type must be halt or resume");
  if (scope !== "market" && scope !== "region") throw new ScenarioError("events: scope must be market or region");
  const region = scope === "region" ? e.id("region") : null;
  if (region !== null && !regionIds.has(region)) throw new ScenarioError(`events: unknown region ${region}`);
  return { date: e.date("date"), type, scope, region, reason: e.string("reason") } as HaltEvent;
}

/** Checks across sections once all are read: dates in order, the producers' markup bounds. */
function checkScenario(scenario: Scenario): void {
  const changes = scenario.rules.changes;
  for (let i = 1; i < changes.length; i++) {
    if (changes[i]!.date < changes[i - 1]!.date) throw new ScenarioError("rules.changes: dates must not decrease");
  }
  const path = scenario.rules.safeguards.ceilingPath;
  for (let i = 1; i < path.length; i++) {
    if (path[i]!.from <= path[i - 1]!.from) throw new ScenarioError("ceilingPath: dates must increase");
  }
  if (scenario.producers.markupMinPercent > scenario.producers.markupMaxPercent) {
    throw new ScenarioError("producers: markupMinPercent is above markupMaxPercent");
  }
}

/** One entry of `rules.changes`: `{date, reason, change: {safeguards | halt | resume | retailCap: {...}}}`. */
function readChange(c: Reader, regions: ReadonlySet<string>): DatedChange {
  const date = c.date("date");
  const reason = c.string("reason");
  const holder = c.raw("change");
  const kinds = isObject(holder) ? Object.keys(holder) : [];
  if (kinds.length !== 1) {
    throw new ScenarioError(
      "rules.changes: each change names exactly one of safeguards, halt, resume, retailCap, market",
    );
  }
  const kind = kinds[0]!;
  const body = c.object("change").object(kind);
  const region = (field: string) => {
    const id = body.id(field);
    if (!regions.has(id)) throw new ScenarioError(`rules.changes: unknown region ${id}`);
    return id;
  };
  let change: RuleChange;
  if (kind === "safeguards") {
    const optional = (field: string, min: number, max: number) =>
      body.raw(field) === undefined ? {} : { [field]: body.nullableNumber(field, min, max) };
    change = {
      kind,
      ...optional("bandPercent", 0.01, 99.99),
      ...optional("ceilingTengePerTonne", 1, 10 * MILLION),
      ...optional("maxSharePercent", 0.01, 100),
    };
  } else if (kind === "halt" || kind === "resume") {
    const scope = body.string("scope");
    if (scope !== "market" && scope !== "region")
      throw new ScenarioError("rules.changes: scope must be market or region");
    change = { kind, scope, region: scope === "region" ? region("region") : null };
  } else if (kind === "retailCap") {
    change = { kind, region: region("region"), tengePerLitre: body.nullableNumber("tengePerLitre", 1, 10_000) };
  } else if (kind === "market") {
    const has = (field: string) => body.raw(field) !== undefined;
    change = {
      kind,
      ...(has("domesticObligation") ? { domesticObligation: body.boolean("domesticObligation") } : {}),
      ...(has("exchangeSharePercent") ? { exchangeSharePercent: body.number("exchangeSharePercent", 0, 100) } : {}),
      ...(has("offExchangePriceTengePerTonne")
        ? { offExchangePriceTengePerTonne: body.nullableNumber("offExchangePriceTengePerTonne", 1, 10 * MILLION) }
        : {}),
      ...(has("exportOpen") ? { exportOpen: body.boolean("exportOpen") } : {}),
      ...(has("planScalePercent") ? { planScalePercent: body.number("planScalePercent", 0, 1000) } : {}),
    };
  } else {
    throw new ScenarioError(
      `rules.changes: unknown change '${kind}'; expected safeguards, halt, resume, retailCap or market`,
    );
  }
  return { date, reason, change };
}

/** The optional `manipulators` section: each entry is switched on by `"enabled": true`. */
function readManipulators(r: Reader, plants: ReadonlySet<string>, regions: ReadonlySet<string>): Manipulators {
  if (r.raw("manipulators") === undefined) return NO_MANIPULATORS;
  const all = r.object("manipulators");
  const entry = <T>(field: string, read: (e: Reader) => T): T | null => {
    if (all.raw(field) === undefined) return null;
    const e = all.object(field);
    return e.boolean("enabled") ? read(e) : null;
  };
  const plant = (e: Reader) => {
    const id = e.id("plant");
    if (!plants.has(id)) throw new ScenarioError(`manipulators: unknown plant ${id}`);
    return id;
  };
  const route = (e: Reader): ManipulatorRoute => {
    const region = e.id("region");
    if (!regions.has(region)) throw new ScenarioError(`manipulators: unknown region ${region}`);
    return { plant: plant(e), region };
  };
  return {
    washTrading: entry("washTrading", (e) => ({
      ...route(e),
      lots: e.integer("lots", 1, 100_000),
      everySessions: e.integer("everySessions", 1, 1000),
    })),
    spoofer: entry("spoofer", (e) => ({
      plant: plant(e),
      sellLots: e.integer("sellLots", 1, 100_000),
      spoofLots: e.integer("spoofLots", 1, 1_000_000),
      secondsBeforeClose: e.integer("secondsBeforeClose", 1, 3600),
      everySessions: e.integer("everySessions", 1, 1000),
    })),
    colludingBuyers: entry("colludingBuyers", (e) => ({
      ...route(e),
      members: e.integer("members", 2, 20),
      lots: e.integer("lots", 1, 100_000),
      gapMs: e.integer("gapMs", 0, 60_000),
      priceAboveReferencePercent: e.number("priceAboveReferencePercent", -50, 100),
      everySessions: e.integer("everySessions", 1, 1000),
    })),
    limitBidders: entry("limitBidders", (e) => ({
      ...route(e),
      members: e.integer("members", 1, 20),
      lots: e.integer("lots", 1, 100_000),
      everySessions: e.integer("everySessions", 1, 1000),
    })),
    withholding: entry("withholding", (e) => ({
      plant: plant(e),
      offerPercent: e.number("offerPercent", 0, 100),
      from: e.date("from"),
    })),
  };
}

/** The optional `resellers` section, switched on by `"enabled": true`: links between distinct known regions. */
function readResellers(r: Reader, regions: ReadonlySet<string>): Resellers | null {
  if (r.raw("resellers") === undefined) return null;
  const x = r.object("resellers");
  if (!x.boolean("enabled")) return null;
  const region = (l: Reader, field: string) => {
    const id = l.id(field);
    if (!regions.has(id)) throw new ScenarioError(`resellers: unknown region ${id}`);
    return id;
  };
  return {
    lotsPerSession: x.integer("lotsPerSession", 1, 100_000),
    marginPercent: x.number("marginPercent", 0, 100),
    workingCapitalSessions: x.number("workingCapitalSessions", 1, 1000),
    links: x.array("links", 100, (l) => {
      const link = { from: region(l, "from"), to: region(l, "to"), distanceKm: l.number("distanceKm", 0, 10_000) };
      if (link.from === link.to) throw new ScenarioError("resellers: a link joins two different regions");
      return link;
    }),
  };
}

function readNotes(value: Json | undefined): Record<string, string> {
  if (!isObject(value)) throw new ScenarioError("scenario field notes: expected an object of documentation strings");
  const notes: Record<string, string> = {};
  for (const [key, text] of Object.entries(value)) {
    if (typeof text !== "string" || text.trim() === "") throw new ScenarioError(`notes.${key}: expected a sentence`);
    notes[key] = text;
  }
  return notes;
}

/** Paths (with `[]` for array items) of numeric fields that have no entry in `notes`. */
export function undocumentedNumbers(scenario: unknown): string[] {
  if (!isObject(scenario)) return [];
  const notes = isObject(scenario.notes) ? scenario.notes : {};
  const missing = new Set<string>();
  const visit = (value: Json, path: string) => {
    if (isInputObject(value)) {
      // An input object carries its own source or reason (inputs.ts).
      return;
    }
    if (typeof value === "number") {
      // A list of numbers may be documented as a whole (its path without the trailing []).
      if (!(path in notes) && !(path.endsWith("[]") && path.slice(0, -2) in notes)) missing.add(path);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, `${path}[]`);
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        // Observations carry their own source (required), as notes do.
        if (path === "" && (key === "notes" || key === "observed")) continue;
        visit(item, path === "" ? key : `${path}.${key}`);
      }
    }
  };
  visit(scenario as Json, "");
  return [...missing].sort();
}
