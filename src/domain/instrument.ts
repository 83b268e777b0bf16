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
}

/** The delivery region of the nationwide fallback instrument ("Republic of Kazakhstan"): it delivers to any region. */
export const NATIONWIDE_REGION = "KZ";
