/** What an instrument is, for people and for indices: product × basis (producing plant) × region × delivery month. */

/** The most characters an instrument id may have (the engine refuses longer ones at listing). */
export const INSTRUMENT_ID_LENGTH_MAX = 64;

export interface InstrumentDescription {
  /** e.g. `propane-butane`. */
  readonly product: string;
  /** Producing plant where gas changes hands, e.g. `KAZGPZ`; equal to the clearing basis on a cleared instrument. */
  readonly basis: string;
  /** Delivery region, e.g. `MANGYSTAU`, or `KZ` for the nationwide fallback. */
  readonly region: string;
  /** Delivery month, YYYY-MM. */
  readonly deliveryPeriod: string;
  /** A name for people, e.g. "Propane-butane, Zhanaozen GPP, Mangystau, January 2026". */
  readonly name?: string;
  /**
   * How the gas leaves the plant: road tank trucks or rail tank cars, and the transport unit a lot is made of (a lot
   * is a whole number of units). Absent on instruments listed before transport was a field: "as before", no unit.
   */
  readonly transport?: InstrumentTransport;
}

/** Transport modes: `road` (tank truck) and `rail` (rail tank car). */
export const TRANSPORT_MODES = ["road", "rail"] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];

export interface InstrumentTransport {
  readonly mode: TransportMode;
  /** The transport unit in kg, e.g. 1,000 (a tonne by tank truck) or 65,000 (a rail tank car). */
  readonly unitKg: number;
}

/** The smallest transport unit: one tonne (a cleared lot is whole tonnes). */
export const TRANSPORT_UNIT_KG_MIN = 1_000;
/** The largest transport unit: 100 t, above any rail tank car for LPG (about 65 t of propane-butane). */
export const TRANSPORT_UNIT_KG_MAX = 100_000;

/** The delivery region of the nationwide fallback instrument ("Republic of Kazakhstan"): it delivers to any region. */
export const NATIONWIDE_REGION = "KZ";
