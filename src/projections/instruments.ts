/**
 * What the engine does not know about an instrument: product, delivery basis, delivery region and delivery period
 * (DESIGN.md, "Trading model"). The server fills the registry from its configuration; indices and supply monitoring
 * read it. The engine's listing event carries only the clearing basis, which supply monitoring uses as a fallback.
 *
 * Promise: every entry in the registry has non-empty ids and a delivery period of the form YYYY-MM; a bad entry is
 * refused with a sentence naming the field.
 *
 * Complexity: `set` and `get` O(1); `all` O(n log n).
 */

import { SaudaError } from "../domain/errors.ts";
import type { InstrumentTransport } from "../domain/instrument.ts";
import { MONTH_PATTERN } from "./numbers.ts";

/** Products traded (DESIGN.md); the registry accepts any id so new products need no code change. */
export const PRODUCTS = ["propane-butane", "propane", "butane"] as const;

export interface InstrumentInfo {
  readonly instrument: string;
  /** e.g. `propane-butane`. */
  readonly product: string;
  /** Producing plant where gas changes hands, e.g. `KAZGPZ`; the same id as the clearing terms' basis. */
  readonly basis: string;
  /** Delivery region, e.g. `MANGYSTAU`, or the nationwide fallback `KZ`. */
  readonly region: string;
  /** Delivery month, YYYY-MM. */
  readonly deliveryPeriod: string;
  /** A name for people. */
  readonly name?: string;
  /** Road tank truck or rail tank car and the unit a lot is made of; absent when the listing did not say. */
  readonly transport?: InstrumentTransport;
}

const ID_LENGTH_MAX = 64;
const ID_PATTERN = /^[\x21-\x7e]+$/;

export class InstrumentRegistry {
  private readonly infos = new Map<string, InstrumentInfo>();

  constructor(infos: Iterable<InstrumentInfo> = []) {
    for (const info of infos) this.set(info);
  }

  /** Adds or replaces an instrument's description. */
  set(info: InstrumentInfo): void {
    for (const field of ["instrument", "product", "basis", "region"] as const) {
      const value: unknown = info[field];
      if (typeof value !== "string" || value.length > ID_LENGTH_MAX || !ID_PATTERN.test(value)) {
        throw new SaudaError("FIELD_INVALID", {
          field,
          value: JSON.stringify(value) ?? "(missing)",
          rule: `an instrument's ${field} is 1 to ${ID_LENGTH_MAX} printable characters without spaces`,
        });
      }
    }
    if (typeof info.deliveryPeriod !== "string" || !MONTH_PATTERN.test(info.deliveryPeriod)) {
      throw new SaudaError("FIELD_INVALID", {
        field: "deliveryPeriod",
        value: JSON.stringify(info.deliveryPeriod) ?? "(missing)",
        rule: "a delivery period is a month, YYYY-MM",
      });
    }
    this.infos.set(info.instrument, { ...info });
  }

  get(instrument: string): InstrumentInfo | undefined {
    return this.infos.get(instrument);
  }

  all(): InstrumentInfo[] {
    return [...this.infos.values()].sort((a, b) => compareText(a.instrument, b.instrument));
  }
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An instrument's delivery terms as the public API shows them (docs/delivery.md §7). */
export interface DeliveryTerms {
  /** Always EXW: the buyer takes the gas at the producing plant and carries it at its cost. */
  readonly incoterm: "EXW";
  readonly basis: string;
  readonly region: string;
  readonly deliveryPeriod: string;
  /** How long after a trade the seller has to deliver; null on an instrument without clearing terms. */
  readonly deliveryWindowMs: number | null;
  /** Null when the listing did not state transport (instruments listed before it was a field). */
  readonly transport: {
    readonly mode: InstrumentTransport["mode"];
    readonly unitKg: number;
    /** Transport units in one lot (the engine lists only whole numbers); null if the lot size is unknown. */
    readonly unitsPerLot: number | null;
  } | null;
}

/** The delivery terms of an instrument with a description; null without one. */
export function deliveryTermsOf(
  info: InstrumentInfo | undefined,
  clearing: { readonly deliveryWindowMs: number } | null,
  lotSizeKg: number | null,
): DeliveryTerms | null {
  if (info === undefined) return null;
  const transport = info.transport;
  return {
    incoterm: "EXW",
    basis: info.basis,
    region: info.region,
    deliveryPeriod: info.deliveryPeriod,
    deliveryWindowMs: clearing === null ? null : clearing.deliveryWindowMs,
    transport:
      transport === undefined
        ? null
        : {
            mode: transport.mode,
            unitKg: transport.unitKg,
            unitsPerLot: lotSizeKg === null ? null : lotSizeKg / transport.unitKg,
          },
  };
}
