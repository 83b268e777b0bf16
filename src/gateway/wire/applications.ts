/**
 * Accreditation applications and exclusions on the wire (engine/accreditation.ts, projections/applications.ts).
 */

import { Type } from "typebox";
import { NAME_LENGTH_MAX } from "../../domain/limits.ts";
import {
  APPLICATION_KINDS,
  DOCUMENT_LENGTH_MAX,
  STATIONS_PER_APPLICATION_MAX,
  TARIFF_AMOUNT_MAX_TIYN,
  VAT_YEARS_MAX,
} from "../../engine/accreditation.ts";
import { BUYER_CATEGORIES } from "../../engine/members.ts";
import type { ApplicationView, ExclusionView } from "../../projections/applications.ts";
import { COUNT, Enum, EPOCH_MS, Nullable, SEQ, Strict, TEXT } from "./base.ts";

const strict = { additionalProperties: false } as const;
const NO_CONTROL = "^[^\\x00-\\x1f\\x7f]+$";
const DOCUMENT = Type.String({ minLength: 1, maxLength: DOCUMENT_LENGTH_MAX, pattern: NO_CONTROL });

export const APPLICATION_KIND = Enum(APPLICATION_KINDS);
export const APPLICATION_STATUS = Enum(["pending", "approved", "refused"] as const);

export const APPLICATION_DOCUMENTS = Type.Object(
  {
    registration: Type.String({
      minLength: 1,
      maxLength: DOCUMENT_LENGTH_MAX,
      pattern: NO_CONTROL,
      description: "the state registration certificate's number",
    }),
    vat: Type.Union(
      [
        Type.Object(
          {
            certificate: DOCUMENT,
            years: Type.Integer({ minimum: 0, maximum: VAT_YEARS_MAX, description: "full years as a VAT payer" }),
          },
          strict,
        ),
        Type.Null(),
      ],
      { description: "the VAT registration; null for a broker's client that is not a VAT payer" },
    ),
    stations: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: NAME_LENGTH_MAX, pattern: NO_CONTROL }),
          region: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_.-]+$" }),
          document: DOCUMENT,
        },
        strict,
      ),
      {
        maxItems: STATIONS_PER_APPLICATION_MAX,
        description: "own filling stations or depots (required of filling-station networks and gas distributors)",
      },
    ),
  },
  strict,
);

export const NEW_APPLICATION = Type.Object(
  {
    company: Type.String({ minLength: 1, maxLength: NAME_LENGTH_MAX, pattern: NO_CONTROL }),
    bin: Type.String({ pattern: "^\\d{12}$", description: "business identification number (BIN), 12 digits" }),
    kind: Type.Enum(APPLICATION_KINDS),
    buyerCategory: Type.Optional(Type.Enum(BUYER_CATEGORIES)),
    broker: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "a client's accredited broker" })),
    documents: APPLICATION_DOCUMENTS,
  },
  {
    ...strict,
    examples: [
      {
        company: "Aktau filling stations LLP",
        bin: "080540012345",
        kind: "buyer",
        buyerCategory: "filling-station-network",
        documents: {
          registration: "REG-2008-0412",
          vat: { certificate: "VAT-60001-2009", years: 16 },
          stations: [{ name: "Aktau station 1", region: "MANGYSTAU", document: "Lease 14/2024" }],
        },
      },
    ],
  },
);

const DECISION = Strict({ seq: SEQ, timeMs: EPOCH_MS, reason: TEXT });

export const APPLICATION = Strict({
  application: TEXT,
  company: TEXT,
  bin: TEXT,
  kind: APPLICATION_KIND,
  buyerCategory: Nullable(TEXT),
  broker: Nullable(TEXT),
  documents: APPLICATION_DOCUMENTS,
  status: APPLICATION_STATUS,
  submitted: Strict({ seq: SEQ, timeMs: EPOCH_MS }),
  decided: Nullable(DECISION),
  member: Nullable(TEXT),
  account: Nullable(TEXT),
  feeTiyn: COUNT,
  depositTiyn: COUNT,
});

export const EXCLUSION = Strict({
  member: TEXT,
  bin: Nullable(TEXT),
  barredUntil: Type.String({ description: "YYYY-MM-DD: the first day an application from the BIN is accepted" }),
  reason: TEXT,
  seq: SEQ,
  timeMs: EPOCH_MS,
});

export function applicationWire(view: ApplicationView) {
  return { ...view, documents: view.documents, submitted: { ...view.submitted }, decided: view.decided };
}

export function exclusionWire(view: ExclusionView) {
  return { ...view };
}

const TARIFF_TIYN = Type.Integer({ minimum: 0, maximum: TARIFF_AMOUNT_MAX_TIYN, description: "tiyn" });

/** One kind's accreditation fee and insurance deposit. */
export const TARIFF_TERMS = Strict({ kind: APPLICATION_KIND, feeTiyn: TARIFF_TIYN, depositTiyn: TARIFF_TIYN });

/** The accreditation tariff: what an approval today books per kind, the rulebook's default, and every entry set. */
export const TARIFF_SCHEDULE = Strict({
  today: Type.String({ description: "YYYY-MM-DD, exchange time (UTC+5)" }),
  inForce: Type.Array(TARIFF_TERMS, { description: "per kind, the fee and deposit an approval made today books" }),
  defaults: Type.Array(TARIFF_TERMS, { description: "the rulebook's tariff, in force before any entry" }),
  schedule: Type.Array(
    Strict({
      kind: APPLICATION_KIND,
      feeTiyn: TARIFF_TIYN,
      depositTiyn: TARIFF_TIYN,
      from: Type.String({ description: "the first exchange day (YYYY-MM-DD) the amounts apply to" }),
      reason: TEXT,
    }),
  ),
});
