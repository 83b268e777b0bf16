/**
 * Wire shapes of market surveillance (routes/regulator/surveillance.ts and the `surveillance` stream channel): alerts
 * with their evidence pack, per-session statistics, the configuration of the rules and its changes, and cases. The
 * configuration's schema is built from the domain's defaults and bounds, so the API accepts exactly what the engine
 * checks.
 */

import { type TSchema, Type } from "typebox";
import { CASE_NOTE_LENGTH_MAX, CASE_OUTCOMES } from "../../engine/surveillance.ts";
import { CONFIG_BOUNDS, DEFAULT_CONFIG, type SurveillanceConfig } from "../../surveillance/config.ts";
import { RULES, SEVERITIES } from "../../surveillance/index.ts";
import { COUNT, Enum, EPOCH_MS, KG, Nullable, PHASE, PRICE_TIYN_PER_TONNE, SEQ, SIDE, Strict, TEXT } from "./base.ts";
import { DIVERSION_REASON } from "./delivery.ts";

export const RULE = Enum(RULES);
export const SEVERITY = Enum(SEVERITIES);
export const CASE_OUTCOME = Enum(CASE_OUTCOMES);
export const CASE_STATUS = Enum(["open", "under-review", "closed"] as const);
const TEXTS = Type.Array(TEXT);

export const ALERT = Strict(
  {
    id: TEXT,
    key: Type.String({ description: "the rule and what it counts one alert per" }),
    rule: RULE,
    severity: SEVERITY,
    session: Nullable(TEXT),
    sessions: TEXTS,
    instrument: Nullable(TEXT),
    side: Nullable(SIDE),
    month: Nullable(TEXT),
    accounts: TEXTS,
    members: TEXTS,
    groups: TEXTS,
    fromMs: EPOCH_MS,
    toMs: EPOCH_MS,
    orders: TEXTS,
    trades: TEXTS,
    figures: Type.Record(Type.String(), Type.Number(), {
      description: "the numbers that crossed the thresholds, named with their units",
    }),
    raisedSeq: SEQ,
    raisedMs: EPOCH_MS,
    updatedSeq: SEQ,
    updatedMs: EPOCH_MS,
    version: COUNT,
    caseId: Nullable(TEXT),
    diversion: Type.Optional(
      Strict(
        {
          obligation: TEXT,
          seller: TEXT,
          region: Nullable(TEXT),
          tradeTimeMs: EPOCH_MS,
          stations: TEXTS,
          stationRegions: TEXTS,
          reasons: Type.Array(DIVERSION_REASON),
          shipments: Type.Array(
            Strict({
              shipment: TEXT,
              station: TEXT,
              stationRegion: TEXT,
              reasons: Type.Array(DIVERSION_REASON),
              quantityKg: KG,
              arrivedMs: EPOCH_MS,
            }),
          ),
        },
        {
          description:
            "rule diversion only: the obligation, the instrument's region, the stations and their regions, and each diverted shipment",
        },
      ),
    ),
  },
  { description: "A surveillance alert as it stands (the latest version of it)" },
);

const STEP = { seq: SEQ, timeMs: EPOCH_MS };

const BOOK_LEVEL = Strict({
  priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
  quantityKg: KG,
  orders: COUNT,
  alertKg: Type.Integer({ minimum: 0, description: "open quantity at this level of the orders the alert names" }),
});

export const EVIDENCE = Strict({
  fromSeq: SEQ,
  toSeq: SEQ,
  orders: Type.Array(
    Strict({
      order: TEXT,
      instrument: Nullable(TEXT),
      account: Nullable(TEXT),
      side: Nullable(SIDE),
      entered: Nullable(Strict({ ...STEP, priceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE), quantityKg: KG })),
      amendments: Type.Array(Strict({ ...STEP, priceTiynPerTonne: Nullable(PRICE_TIYN_PER_TONNE), openKg: KG })),
      fills: Type.Array(Strict({ ...STEP, trade: TEXT, priceTiynPerTonne: PRICE_TIYN_PER_TONNE, quantityKg: KG })),
      cancelled: Nullable(Strict({ ...STEP, reason: TEXT })),
    }),
  ),
  trades: Type.Array(
    Strict({
      ...STEP,
      trade: TEXT,
      instrument: TEXT,
      buyOrder: TEXT,
      sellOrder: TEXT,
      buyAccount: TEXT,
      sellAccount: TEXT,
      priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
      quantityKg: KG,
    }),
  ),
  pricePathInstrument: Nullable(TEXT),
  pricePath: Type.Array(Strict({ ...STEP, priceTiynPerTonne: PRICE_TIYN_PER_TONNE, quantityKg: KG })),
  pricePathComplete: Type.Boolean(),
  books: Type.Array(
    Strict({
      ...STEP,
      about: Type.Array(TEXT, { description: "the alert's orders and trades this record concerns" }),
      book: Strict({
        instrument: TEXT,
        phase: Nullable(PHASE),
        bids: Type.Array(BOOK_LEVEL, { description: "best first, at most 10" }),
        asks: Type.Array(BOOK_LEVEL, { description: "best first, at most 10" }),
        curve: Nullable(
          Type.Array(Strict({ priceTiynPerTonne: PRICE_TIYN_PER_TONNE, demandKg: KG, supplyKg: KG }), {
            description: "while an auction collects orders: demand at the price or higher, supply at it or lower",
          }),
        ),
        complete: Type.Boolean({ description: "false when an order resting before the records read may be missing" }),
      }),
    }),
    { description: "the book just after each record that concerns the alert (at most 500)" },
  ),
  booksComplete: Type.Boolean(),
  shipments: Type.Array(
    Strict({
      ...STEP,
      shipment: TEXT,
      step: Enum(["dispatched", "arrived"] as const),
      obligation: TEXT,
      seller: TEXT,
      buyer: TEXT,
      vehicle: TEXT,
      waybill: TEXT,
      quantityKg: KG,
      date: TEXT,
      station: Nullable(TEXT),
      stationRegion: Nullable(TEXT),
      reasons: Type.Array(DIVERSION_REASON),
    }),
    { description: "rule diversion: each shipment the alert names, as dispatched and as arrived; empty otherwise" },
  ),
  complete: Type.Boolean({ description: "false when the span was longer than the records one pack may read" }),
});

const SHARE = Strict({ group: TEXT, quantityKg: KG, sharePercent: Type.Number() });

export const SESSION_STATISTICS = Strict({
  session: TEXT,
  instrument: TEXT,
  openMs: Nullable(EPOCH_MS),
  closeMs: Nullable(EPOCH_MS),
  trades: COUNT,
  volumeKg: KG,
  topBuyers: Type.Array(SHARE),
  topSellers: Type.Array(SHARE),
  topBuyersSharePercent: Type.Number(),
  topSellersSharePercent: Type.Number(),
  buyersHhi: Type.Number({ description: "Herfindahl–Hirschman index, 0–10,000" }),
  sellersHhi: Type.Number({ description: "Herfindahl–Hirschman index, 0–10,000" }),
  orderToTrade: Type.Array(Strict({ member: TEXT, messages: COUNT, trades: COUNT, ratio: Nullable(Type.Number()) })),
});

/** The configuration's shape: every section with every field (`full`), or any subset of them (a change). */
function configSchema(full: boolean): TSchema {
  const sections: Record<string, TSchema> = {};
  for (const name of Object.keys(DEFAULT_CONFIG) as (keyof SurveillanceConfig)[]) {
    const fields: Record<string, TSchema> = {};
    for (const field of Object.keys(DEFAULT_CONFIG[name])) {
      const bound = CONFIG_BOUNDS[name][field];
      const schema =
        field === "enabled"
          ? Type.Boolean()
          : bound?.hundredths
            ? Type.Number({ minimum: bound.min, maximum: bound.max, multipleOf: 0.01 })
            : Type.Integer({ minimum: bound!.min, maximum: bound!.max });
      fields[field] = full ? schema : Type.Optional(schema);
    }
    sections[name] = full ? Strict(fields) : Type.Optional(Type.Object(fields, { additionalProperties: false }));
  }
  return full ? Strict(sections) : Type.Object(sections, { additionalProperties: false });
}

export const SURVEILLANCE_CONFIG = configSchema(true);

export const SURVEILLANCE_CONFIG_VIEW = Strict({
  config: SURVEILLANCE_CONFIG,
  change: Nullable(Strict({ seq: SEQ, timeMs: EPOCH_MS, reason: TEXT, actor: Nullable(TEXT) })),
});

/** Any subset of the configuration's sections and fields (a change). */
export const SURVEILLANCE_CONFIG_CHANGES = configSchema(false);

export const CASE_STEP = Strict({
  seq: SEQ,
  timeMs: EPOCH_MS,
  actor: Nullable(TEXT),
  role: Nullable(TEXT),
  action: Enum(["opened", "joined", "reviewing", "closed", "noted"] as const),
  alert: Nullable(TEXT),
  outcome: Nullable(CASE_OUTCOME),
  text: TEXT,
});

export const CASE = Strict({
  id: TEXT,
  status: CASE_STATUS,
  outcome: Nullable(CASE_OUTCOME),
  openedMs: EPOCH_MS,
  updatedMs: EPOCH_MS,
  alerts: TEXTS,
  steps: Type.Array(CASE_STEP),
});

export const CASE_VIEW = Strict({ case: CASE, alerts: Type.Array(ALERT) });

export const CASE_NOTE = Type.String({ minLength: 1, maxLength: CASE_NOTE_LENGTH_MAX, pattern: "\\S" });

/** A case's suspicious-transaction report (src/reports/suspicious-transaction.ts). */
export const STR = Strict({
  report: Type.Literal("suspicious-transaction"),
  reference: TEXT,
  generatedMs: EPOCH_MS,
  case: Strict({ status: CASE_STATUS, outcome: Nullable(CASE_OUTCOME), openedMs: EPOCH_MS }),
  who: Strict({ accounts: TEXTS, members: TEXTS, groups: TEXTS }),
  when: Strict({ fromMs: Nullable(EPOCH_MS), toMs: Nullable(EPOCH_MS) }),
  what: Type.Array(Strict({ alert: ALERT, whySuspicious: TEXT, evidence: Nullable(EVIDENCE) })),
  handling: Type.Array(CASE_STEP),
});

/** A group of persons with its related parties (src/surveillance/live.ts, `groups`). */
export const PERSONS_GROUP = Strict({
  group: TEXT,
  members: Type.Array(
    Strict({
      member: TEXT,
      accounts: TEXTS,
      evidence: TEXT,
      reason: TEXT,
      recordedSeq: SEQ,
      recordedMs: EPOCH_MS,
      recordedBy: Nullable(TEXT),
    }),
  ),
  alerts: COUNT,
});
