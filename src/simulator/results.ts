/**
 * What a simulation run produces: plain data, rounded to fixed decimals so that the same scenario and seed always
 * serialise to the same bytes. Prices in tenge per tonne (wholesale, at the plant's basis unless named "delivered")
 * and tenge per litre (retail); quantities in tonnes.
 */

import type { ConstraintRow } from "./constraints.ts";
import type { ManipulatorAccounts, ManipulatorActs } from "./manipulators.ts";

export interface RegionSeries {
  readonly retailTengePerLitre: number[];
  /** Volume-weighted price of the day's sessions delivering to the region, at the plants' bases; null: no trade. */
  readonly wholesaleTengePerTonne: (number | null)[];
  /** The same with transport to the region added. */
  readonly deliveredTengePerTonne: (number | null)[];
  readonly exchangeTonnes: number[];
  readonly offExchangeTonnes: number[];
  readonly demandTonnes: number[];
  readonly salesTonnes: number[];
  readonly shortageTonnes: number[];
  readonly stockTonnes: number[];
}

export interface NationalSeries {
  readonly exchangeTonnes: number[];
  readonly wholesaleTengePerTonne: (number | null)[];
  readonly exportTonnes: number[];
  readonly curtailedTonnes: number[];
  readonly demandTonnes: number[];
  readonly salesTonnes: number[];
  readonly shortageTonnes: number[];
  /** Demand-weighted average retail price. */
  readonly retailTengePerLitre: number[];
}

export interface SessionRow {
  readonly date: string;
  readonly instrument: string;
  /** The instrument's delivery month (YYYY-MM): the session's month, or the next when `rules.nextMonthFromDay`. */
  readonly delivery: string;
  readonly plant: string;
  readonly region: string;
  readonly priceTengePerTonne: number | null;
  readonly volumeTonnes: number;
  readonly offeredTonnes: number;
  readonly bidTonnes: number;
}

/** One resale (reseller.ts): bought on an instrument into `from`, sold on to `to`'s networks. */
export interface ResaleRow {
  readonly date: string;
  readonly reseller: string;
  readonly from: string;
  readonly to: string;
  readonly instrument: string;
  readonly tonnes: number;
  readonly buyTengePerTonne: number;
  /** Transport from the plant to `from` and onward to `to`. */
  readonly transportTengePerTonne: number;
  readonly sellTengePerTonne: number;
}

/** A reseller's totals over the run. */
export interface ResellerRow {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly sessionsBid: number;
  readonly sessionsTraded: number;
  readonly tonnes: number;
  readonly averageBuyTengePerTonne: number | null;
  readonly averageTransportTengePerTonne: number | null;
  readonly averageSellTengePerTonne: number | null;
}

export interface MonthRow {
  readonly month: string;
  readonly region: string;
  readonly wholesaleTengePerTonne: number | null;
  readonly deliveredTengePerTonne: number | null;
  readonly retailTengePerLitre: number;
  readonly demandTonnes: number;
  readonly salesTonnes: number;
  readonly shortageTonnes: number;
  readonly shortagePercent: number;
  readonly exchangeTonnes: number;
  readonly offExchangeTonnes: number;
}

export interface ProducerRow {
  readonly plant: string;
  readonly name: string;
  readonly netbackTengePerTonne: number;
  readonly producedTonnes: number;
  readonly offExchangeTonnes: number;
  readonly offeredObligatedTonnes: number;
  readonly offeredFreeTonnes: number;
  readonly soldOnExchangeTonnes: number;
  readonly exchangeAverageTengePerTonne: number | null;
  readonly exportedTonnes: number;
  readonly curtailedTonnes: number;
  /** Obligated volume planned but not sold by the end of the run. */
  readonly obligatedUnsoldTonnes: number;
}

/** One observation (scenario `observed`) with the model's figure beside it (validation.ts). */
export interface ValidationRow {
  readonly measure: "wholesale" | "retailPeak";
  readonly region: string;
  readonly from: string;
  readonly until: string;
  readonly low: number;
  readonly high: number;
  readonly source: string;
  readonly model: number | null;
  /** Distance from the observed range, percent of its nearest bound; negative below; 0 inside; null: no figure. */
  readonly errorPercent: number | null;
}

export interface SimulationResult {
  readonly scenario: {
    readonly name: string;
    readonly title: string;
    readonly description: string;
    readonly seed: number;
    readonly start: string;
    readonly days: number;
    readonly densityKgPerLitre: number;
    readonly focusRegions: readonly string[];
  };
  readonly regions: readonly { readonly id: string; readonly name: string }[];
  readonly dates: readonly string[];
  readonly tradingDays: readonly boolean[];
  readonly regionSeries: Readonly<Record<string, RegionSeries>>;
  readonly national: NationalSeries;
  readonly sessions: readonly SessionRow[];
  /** Every resale between regions (empty without resellers). */
  readonly resales: readonly ResaleRow[];
  readonly resellers: readonly ResellerRow[];
  readonly monthly: readonly MonthRow[];
  /** Which constraint binds, per month and region (constraints.ts). */
  readonly constraints: readonly ConstraintRow[];
  readonly producers: readonly ProducerRow[];
  readonly engine: {
    readonly commands: number;
    readonly events: number;
    readonly instrumentsListed: number;
    readonly ordersRefusedByCode: Readonly<Record<string, number>>;
    readonly stateHash: string;
  };
  /** The accounts of each manipulator the scenario switched on (manipulators.ts); empty lists when off. */
  readonly manipulators: ManipulatorAccounts;
  /** Sessions each manipulator acted in. */
  readonly manipulatorSessions: Readonly<ManipulatorActs>;
  readonly assumptions: readonly { readonly path: string; readonly value: string; readonly note: string }[];
  /** The scenario's observations with the model's figures (empty when it lists none). */
  readonly validation: readonly ValidationRow[];
  /** Market surveillance over the run, when the caller ran it (`sauda simulate` does). */
  readonly surveillance?: LabSurveillance;
}

/** One alert of market surveillance, as the lab reports it. */
export interface LabAlert {
  readonly rule: string;
  readonly key: string;
  readonly instrument: string | null;
  readonly side: string | null;
  readonly month: string | null;
  readonly accounts: readonly string[];
  readonly groups: readonly string[];
  readonly sessions: number;
  readonly figures: Readonly<Record<string, number>>;
}

/** What surveillance found over a run: every alert, and per manipulator whether its rule flagged it. */
export interface LabSurveillance {
  readonly sessions: number;
  readonly alerts: readonly LabAlert[];
  readonly manipulators: readonly {
    readonly manipulator: string;
    readonly rule: string;
    readonly accounts: readonly string[];
    readonly flagged: boolean;
    readonly alerts: number;
    /** Sessions it acted in (null for the withholding producer, which acts every session from its date). */
    readonly sessionsActed: number | null;
    /** Distinct sessions its rule's alerts about it name. */
    readonly sessionsNamed: number;
  }[];
  /** Alerts that name an honest account (one no manipulator trades on): false alerts, by any rule. */
  readonly falseAlerts: number;
  readonly falseAlertsByRule: Readonly<Record<string, number>>;
  readonly falseAlertsPer1000Sessions: number;
  /**
   * The same without the concentration rule, which reports dominant positions (a seller alone on its plant's
   * instrument, a network with half its region's purchases) rather than manipulation: the false accusations.
   */
  readonly falseManipulationAlerts: number;
  readonly falseManipulationAlertsPer1000Sessions: number;
  readonly honestAccountsFlagged: readonly string[];
  readonly detectionRate: number | null;
}
