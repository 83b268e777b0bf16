/**
 * What a simulation run produces: plain data, rounded to fixed decimals so that the same scenario and seed always
 * serialise to the same bytes. Prices in tenge per tonne (wholesale, at the plant's basis unless named "delivered")
 * and tenge per litre (retail); quantities in tonnes.
 */

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
  readonly plant: string;
  readonly region: string;
  readonly priceTengePerTonne: number | null;
  readonly volumeTonnes: number;
  readonly offeredTonnes: number;
  readonly bidTonnes: number;
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
  readonly monthly: readonly MonthRow[];
  readonly producers: readonly ProducerRow[];
  readonly engine: {
    readonly commands: number;
    readonly events: number;
    readonly instrumentsListed: number;
    readonly ordersRefusedByCode: Readonly<Record<string, number>>;
    readonly stateHash: string;
  };
  readonly assumptions: readonly { readonly path: string; readonly value: string; readonly note: string }[];
}
